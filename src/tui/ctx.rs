//! What the status line says: a message, or the alert of a failed save.

/// A message on the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Info(String),
    Error(String),
}

/// A failed save, shown until it is read: it survives other keys and goes when Esc
/// dismisses it or when every value it was about is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub text: String,
    /// The database is busy and the save is being tried again.
    pub retrying: bool,
}
