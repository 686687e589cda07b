//! pingshen (评审): certification review for party-affairs workers.
pub mod domain;
pub mod gen;
pub mod table;
