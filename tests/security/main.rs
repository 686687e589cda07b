//! Every attack on the committee's guarantees, performed: the command line without a
//! PIN, the audit export during scoring, parallel and time-zone-shifted PIN attempts,
//! each kind of tampering with the file, hostile bytes through import, search and CSV,
//! and a save against a locked database. Each asserts the refusal and that nothing
//! else changed.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod hostile;
mod independence;
mod lockout;
mod saves;
mod tamper;
