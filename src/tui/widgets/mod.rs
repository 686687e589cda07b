//! What several screens use: the one form system, the list cursor, drawing helpers.

pub mod cursor;
pub mod draw;
pub mod fields;
pub mod form;
pub mod labels;
