//! One module per screen: its state, its `update`, its `render` and what it loads.

pub mod file;
pub mod help;
pub mod login;
pub mod overview;
pub mod registers;
pub mod search;
pub mod sheet;
