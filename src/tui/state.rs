//! What all screens share: the language and theme, the clock, the member signed in
//! and their cycle, the stage and the screen shown, the form over it, and the status
//! line.

use super::ctx::{Alert, Message};
use super::screens::Screen;
use super::session::Session;
use super::widgets::form::Form;
use crate::domain::Stage;
use crate::i18n::Lang;
use crate::service::Clock;
use chrono::NaiveDate;

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone)]
pub struct State {
    pub lang: Lang,
    pub theme: usize,
    pub theme_count: usize,
    /// The service's clock: the real one in the app, a fixed one in tests.
    pub clock: Clock,
    /// Rows the table shows (set by rendering; used for paging).
    pub page: usize,
    pub quit: bool,
    pub message: Option<Message>,
    /// A failed save, kept until Esc or until what it was about is saved.
    pub alert: Option<Alert>,
    /// `Some` once logged in.
    pub session: Option<Session>,
    /// The stage shown.
    pub stage: Stage,
    /// The screen of the board shown.
    pub screen: Screen,
    /// The form over the screen.
    pub form: Option<Form>,
    /// A form of fields just submitted, whose write is being done: back over the
    /// screen, with everything typed in it, when the service refuses the write.
    pub submitted: Option<Form>,
}

impl State {
    pub fn new(lang: Lang, theme_count: usize, clock: Clock) -> State {
        State {
            lang,
            theme: 0,
            theme_count: theme_count.max(1),
            clock,
            page: 10,
            quit: false,
            message: None,
            alert: None,
            session: None,
            stage: Stage::Declaration,
            screen: Screen::List,
            form: None,
            submitted: None,
        }
    }

    /// The local date, from the clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The stage shown, once logged in.
    pub fn stage(&self) -> Option<Stage> {
        self.session.as_ref().map(|_| self.stage)
    }
}
