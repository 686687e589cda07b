//! One module per screen: its state, its `update`, its `render` and what it loads;
//! here, which screen is shown and what every screen shares with the others while it
//! handles an action (the language, the clock, the member, the status line, the form
//! over the screen).

use crate::domain::{Deed, Role};
use crate::i18n::Lang;
use crate::service::Clock;
use crate::tui::ctx::Message;
use crate::tui::widgets::form::Form;
use chrono::NaiveDate;

pub mod file;
pub mod help;
pub mod list;
pub mod login;
pub mod overview;
pub mod registers;
pub mod search;
pub mod sheet;

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

/// What a screen's `update` may read and change beyond its own state.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub clock: Clock,
    /// The rows a page moves.
    pub page: usize,
    /// The stage shown (1 to 6).
    pub stage: usize,
    /// The member signed in, their id and role.
    pub member: &'a str,
    pub member_id: i64,
    pub role: Option<Role>,
    /// The rules' criteria: key, name, English name.
    pub criteria: &'a [(String, String, String)],
    /// What the service allows the member.
    pub allowed: &'a [Deed],
    pub message: &'a mut Option<Message>,
    /// The form over the screen.
    pub form: &'a mut Option<Form>,
    pub screen: &'a mut Screen,
}

impl Ctx<'_> {
    /// Whether the service allows the member `deed`.
    pub fn may(&self, deed: Deed) -> bool {
        self.allowed.contains(&deed)
    }

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
