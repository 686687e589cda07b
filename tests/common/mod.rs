//! Helpers shared by the integration tests: valid (fictitious) identifiers made with
//! the validators' own check characters.
#![allow(dead_code)]

use pingshen::domain::ids::{credit_check_char, id_check_char};

/// A resident ID number: the 17 digits given and their check character.
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17).expect("17 digits"))
}

/// A unified social credit code: the 17 characters given and their check character.
pub fn credit_code(first17: &str) -> String {
    format!(
        "{first17}{}",
        credit_check_char(first17).expect("17 code characters")
    )
}
