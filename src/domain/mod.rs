//! Pure types and rules of certification: no I/O, no clock, no database.

pub mod aggregate;
pub mod eligibility;
#[macro_use]
pub mod grade;
pub mod certificate;
pub mod deed;
pub mod ids;
pub mod meeting;
pub mod notice;
pub mod number;
pub mod pubkey;
pub mod recusal;
pub mod rules;
pub mod stage;
pub mod workdays;

pub use deed::{may, Deed};
pub use grade::{Assessment, Category, Grade, Role, Sex};
pub use recusal::{ConflictKind, Recusal};
pub use stage::{Stage, Status};
