//! What every screen shares with the others while it handles an action: the language,
//! the clock, the status line, the form over the screen and which screen is shown.

use super::effect::Effect;
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

/// How many times the app tries a save while the database is busy before it gives
/// up (one try per tick of the event loop, each waiting a fifth of a second).
pub const SAVE_TRIES: u32 = 10;

/// A value on the score sheet that is not on disk: its save failed, or is being tried
/// again while the database is busy. The sheet shows it marked, never as saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    /// The save: `SaveScore`, `Revise` or `Comment`.
    pub effect: Effect,
    /// Tries so far.
    pub tries: u32,
    /// Still being tried (the database was busy); `false` once given up.
    pub retrying: bool,
}

impl Unsaved {
    /// The application, the criterion and whether it is a comment.
    pub fn key(&self) -> Option<(i64, &str, bool)> {
        match &self.effect {
            Effect::SaveScore { app, criterion, .. } | Effect::Revise { app, criterion, .. } => {
                Some((*app, criterion, false))
            }
            Effect::Comment { app, criterion, .. } => Some((*app, criterion, true)),
            _ => None,
        }
    }

    pub fn app(&self) -> Option<i64> {
        self.key().map(|k| k.0)
    }

    /// The value not saved (a score).
    pub fn value(&self) -> Option<f64> {
        match &self.effect {
            Effect::SaveScore { value, .. } | Effect::Revise { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The comment not saved.
    pub fn comment(&self) -> Option<&str> {
        match &self.effect {
            Effect::Comment { text, .. } => Some(text),
            _ => None,
        }
    }
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
