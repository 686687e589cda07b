//! pingshen (评审): certification review for party-affairs workers of non-public
//! enterprises and social organisations.
//!
//! Layers, data flowing down only: the binary's `main` on top; `tui` (the app) and
//! `cli` (the commands) side by side, neither using the other; both on `service`, which
//! uses `domain` (pure rules), `store` (SQLite), `search` (the in-memory person index)
//! and `table` (rows in and out). `i18n` (the interface's two languages) and `text`
//! are neutral ground.

pub mod cli;
pub mod domain;
pub mod i18n;
pub mod search;
pub mod service;
pub mod store;
pub mod table;
pub mod text;
pub mod tui;
