//! What every screen shares with the others while it handles an action: the language,
//! the clock, the status line, the form over the screen and which screen is shown.

use super::widgets::form::Form;
use crate::i18n::Lang;
use crate::service::Clock;
use chrono::NaiveDate;

/// Which screen of the board is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    List,
    /// The acting member's score sheet for one candidate.
    Panel,
    Progress,
    Results,
    Ranking,
    /// A personnel file.
    File,
    /// The objection register.
    Objections,
    /// The certificate register.
    Certificates,
    /// The 红领津贴 roll of a year.
    Allowance,
}

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

/// What a screen's `update` may read and change beyond its own state.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub clock: Clock,
    /// The member signed in.
    pub member: &'a str,
    pub message: &'a mut Option<Message>,
    /// The form over the screen.
    pub form: &'a mut Option<Form>,
    pub screen: &'a mut Screen,
}

impl Ctx<'_> {
    /// The local date, from the clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// An error on the status line, in the screen's language.
    pub fn say(&mut self, zh: &str, en: &str) {
        *self.message = Some(Message::Error(self.lang.pick(zh, en).to_string()));
    }

    /// An error on the status line, already worded.
    pub fn error(&mut self, text: String) {
        *self.message = Some(Message::Error(text));
    }

    /// Opens a form over the screen.
    pub fn open(&mut self, form: Form) {
        *self.form = Some(form);
    }
}
