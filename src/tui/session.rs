//! Who is signed in: the member, the cycle they work on, and what the service allows
//! them.

use crate::domain::{Deed, Role};

/// The member signed in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    pub member: String,
    pub member_id: i64,
    pub role: Option<Role>,
    pub cycle: String,
    pub cycle_id: i64,
    /// The database file's name, for the header.
    pub db_name: String,
    /// The rules' criteria: key, name, English name (for the objection form).
    pub criteria: Vec<(String, String, String)>,
    /// The deeds the service allows the member.
    pub allowed: Vec<Deed>,
}

impl Session {
    /// Whether the service allows the member `deed`.
    pub fn may(&self, deed: Deed) -> bool {
        self.allowed.contains(&deed)
    }
}
