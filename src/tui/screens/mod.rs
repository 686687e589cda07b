//! One module per screen: its state, its `update`, its `render` and what it loads;
//! here, which screen is shown and what every screen shares with the others while it
//! handles an action (the language, the clock, the member, the status line, the form
//! over the screen).

use crate::domain::{Deed, Stage};
use crate::i18n::Lang;
use crate::service::Clock;
use crate::service::{Service, ServiceError};
use crate::tui::ctx::{Alert, Message};
use crate::tui::effect::{Done, Effect, OverviewData, RegisterData, SaveFailure, SheetData};
pub use crate::tui::keymap::Screen;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::session::Session;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::Form;
use chrono::NaiveDate;
use file::Files;
use help::Help;
use list::{List, Outcome as ListOutcome};
use login::LoginState;
use meeting::MeetingScreen;
use overview::{Outcome as OverviewOutcome, Overview};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::Frame;
use registers::Registers;
use search::SearchPopup;
use sheet::Sheet;

pub mod file;
pub mod help;
pub mod list;
pub mod login;
pub mod meeting;
pub mod overview;
pub mod registers;
pub mod search;
pub mod sheet;

/// What a screen's `update` may read and change beyond its own state.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub clock: Clock,
    /// The rows a page moves.
    pub page: usize,
    /// The stage shown.
    pub stage: Stage,
    /// The member signed in.
    pub session: &'a Session,
    pub message: &'a mut Option<Message>,
    /// A failed save, said until it is read.
    pub alert: &'a mut Option<Alert>,
    /// The form over the screen.
    pub form: &'a mut Option<Form>,
    pub screen: &'a mut Screen,
}

impl Ctx<'_> {
    /// Whether the service allows the member `deed`.
    pub fn may(&self, deed: Deed) -> bool {
        self.session.may(deed)
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

/// What drawing a screen may read beyond its own state.
pub struct View<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    pub stage: Stage,
    pub session: &'a Session,
    /// The rows a page shows (the score sheet and the registers say so).
    pub page: usize,
    /// No form is open over the screen: its focused pane shows it.
    pub focused: bool,
    /// Now, by the service's clock (the meeting's time left).
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Every screen's state.
#[derive(Debug, Clone, Default)]
pub struct Screens {
    pub login: LoginState,
    /// The stage list.
    pub list: List,
    /// The acting member's score sheet, the values not saved, when this terminal last
    /// saved.
    pub sheet: Sheet,
    /// The chair's progress board, the results and the ranking.
    pub overview: Overview,
    /// The personnel file shown.
    pub files: Files,
    /// The objection register, the certificates and the allowance roll.
    pub registers: Registers,
    /// The search popup, over any screen of the board.
    pub search: Option<SearchPopup>,
    pub help: Help,
    /// The review meeting under way, if any: every screen's status line shows it.
    pub meeting: MeetingScreen,
}

impl Screens {
    /// Keys of the screen of the board shown (help, quit, theme and language aside).
    pub fn update(&mut self, ctx: &mut Ctx, keymap: &Keymap, action: Action) -> Vec<Effect> {
        // `M`: the meeting screen from the stage list, and back to the candidate the
        // meeting discusses from the other screens.
        if action == Action::Meeting && *ctx.screen != Screen::Meeting {
            if *ctx.screen == Screen::List || self.meeting.data.is_none() || self.meeting.leads {
                return self.meeting.open(ctx);
            }
            self.meeting.follow_again();
            return vec![Effect::Load(Screen::Meeting)];
        }
        // `x` on stage 5: the latest meeting's minutes.
        if action == Action::Export
            && *ctx.screen == Screen::List
            && ctx.stage == crate::domain::Stage::Evaluation
        {
            return meeting::export_minutes(ctx);
        }
        match *ctx.screen {
            Screen::Meeting => self.meeting.update(ctx, action),
            Screen::List => self.list_update(ctx, keymap, action),
            Screen::Panel => self.sheet_update(ctx, action),
            Screen::Progress | Screen::Results | Screen::Ranking => {
                let (rows, view) = (&self.list.rows, &self.list.view);
                let in_list = |app: i64| view.iter().position(|i| rows[*i].id == app);
                let session = self.list.session.as_ref();
                match self.overview.update(ctx, session, in_list, action) {
                    OverviewOutcome::Effects(fx) => fx,
                    // The candidate's score sheet, with the list's cursor on them.
                    OverviewOutcome::Score { pos, app } => {
                        self.list.cursor.at = pos;
                        self.sheet.open(ctx, app)
                    }
                }
            }
            Screen::File => self.files.update(ctx, action),
            Screen::Objections | Screen::Certificates | Screen::Allowance => {
                let rows = &self.list.rows;
                let held = |app: i64| rows.iter().find(|r| r.id == app).and_then(|r| r.current);
                self.registers.update(ctx, held, action)
            }
        }
    }

    fn list_update(&mut self, ctx: &mut Ctx, keymap: &Keymap, action: Action) -> Vec<Effect> {
        match self.list.update(ctx, keymap, &self.login.members, action) {
            ListOutcome::Effects(fx) => fx,
            ListOutcome::Sheet(app) => self.sheet.open(ctx, app),
            ListOutcome::Overview(screen) => self.overview.open(ctx, screen),
            ListOutcome::Scoring => self.overview.scoring(ctx, self.list.session.as_ref()),
            ListOutcome::Registers(screen) => self.registers.open(ctx, screen),
            ListOutcome::PersonFile => self.open_current_file(*ctx.screen),
        }
    }

    fn sheet_update(&mut self, ctx: &mut Ctx, action: Action) -> Vec<Effect> {
        // The list's keys, on the sheet's candidate.
        if self.sheet.panel.is_some() {
            match action {
                Action::Conflict => {
                    if let Some((app, name)) = self.list.current().map(|r| (r.id, r.name.clone())) {
                        list::conflict_form(ctx, &self.login.members, app, &name);
                    }
                    return vec![];
                }
                Action::PersonFile => return self.open_current_file(*ctx.screen),
                _ => {}
            }
        }
        let (rows, view) = (&self.list.rows, &self.list.view);
        let at = |pos: usize| view.get(pos).map(|i| rows[*i].id);
        let (fx, moved) = self.sheet.update(ctx, self.list.cursor.at, at, action);
        if let Some(pos) = moved {
            self.list.cursor.at = pos;
        }
        fx
    }

    /// A character typed on the score sheet (`None`: Backspace).
    pub fn sheet_typed(&mut self, ctx: &mut Ctx, c: Option<char>) -> Vec<Effect> {
        self.sheet.type_value(ctx, c)
    }

    /// Opens the file of the person behind the current row (the list, or the score
    /// sheet's candidate).
    pub fn open_current_file(&self, screen: Screen) -> Vec<Effect> {
        let person = match (screen, self.sheet.app()) {
            (Screen::Panel, Some(app)) => self.list.rows.iter().find(|r| r.id == app),
            _ => self.list.current(),
        }
        .map(|r| r.person_id);
        person.map(Effect::OpenFile).into_iter().collect()
    }

    /// After a sheet is submitted: the score sheet moves to the next candidate in the
    /// list still to score. Returns their name and what loads their sheet.
    pub fn score_next(&mut self, ctx: &mut Ctx) -> Option<(String, Vec<Effect>)> {
        let (pos, id) = self.list.next_to_score()?;
        self.list.cursor.at = pos;
        let effects = self.sheet.open(ctx, id);
        let name = self.list.current()?.name.clone();
        Some((name, effects))
    }

    /// Gives a screen the result of an effect the runtime ran.
    pub fn on_event(&mut self, ctx: &mut Ctx, event: Event) {
        match event {
            // Said on the status line by the app; the meeting is followed by the app.
            Event::Done { .. } | Event::Meeting(_) => {}
            Event::List(data) => {
                if data.progress.is_some() {
                    self.overview.progress = data.progress.clone();
                }
                self.list.loaded(*data)
            }
            Event::Detail(detail) => self.list.detail_loaded(*detail),
            Event::Registers(data) => self.registers.loaded(data, *ctx.screen),
            Event::Sheet { app, sheet } => self.sheet.loaded(ctx, app, sheet),
            Event::SheetRefused(app) => self.sheet.refused(ctx, app),
            Event::Saved { at, sheet } => self.sheet.saved(ctx.lang, ctx.alert, at, sheet),
            Event::Overview(data) => {
                // The stage list shows the scoring session too.
                self.list.session = Some(data.session.clone());
                self.overview.loaded(data, *ctx.screen)
            }
            Event::SaveFailed(failure) => self.sheet.save_failed(ctx, failure),
            Event::File(file) => self.files.opened(ctx, *file),
            Event::Revealed { person, revealed } => self.files.revealed(ctx, person, revealed),
            Event::ContactRevealed { objection, contact } => {
                self.registers.contact_revealed(ctx, objection, contact)
            }
        }
    }

    /// What reloads `screen` after a write or another terminal's change (the stage
    /// list reloads itself).
    pub fn reload_effect(&self, screen: Screen) -> Option<Effect> {
        match screen {
            Screen::Objections | Screen::Certificates | Screen::Allowance => {
                Some(self.registers.load_effect(screen))
            }
            Screen::File => self.files.load_effect(),
            Screen::Panel => self.sheet.load_effect(),
            Screen::Progress | Screen::Results | Screen::Ranking => {
                Some(self.overview.load_effect())
            }
            Screen::Meeting => Some(Effect::Load(Screen::Meeting)),
            Screen::List => None,
        }
    }

    /// Draws `screen` in `area` (between the header and the status line). Returns the
    /// number of rows it shows, for paging.
    pub fn render(&self, view: &View, screen: Screen, frame: &mut Frame, area: Rect) -> usize {
        let (lang, theme) = (view.lang, view.theme);
        // The detail pane sits beside the table on wide terminals, below it otherwise.
        let wide = area.width >= 110;
        let body = Layout::default()
            .direction(if wide {
                Direction::Horizontal
            } else {
                Direction::Vertical
            })
            .constraints(match (wide, screen) {
                (true, _) => [Constraint::Percentage(60), Constraint::Percentage(40)],
                // The whole score sheet stays in view; the details get the rest.
                (false, Screen::Panel) => {
                    [Constraint::Length(self.sheet.height()), Constraint::Min(3)]
                }
                (false, _) => [Constraint::Percentage(55), Constraint::Percentage(45)],
            })
            .split(area);
        match screen {
            Screen::List => {
                let stage = Some(view.stage);
                let visible =
                    self.list
                        .render_table(lang, stage, view.focused, theme, frame, body[0]);
                self.list
                    .render_detail(lang, view.focused, theme, frame, body[1]);
                visible
            }
            Screen::Panel => {
                self.sheet
                    .render(&self.list.rows, view.focused, lang, theme, frame, body[0]);
                self.list
                    .render_detail(lang, view.focused, theme, frame, body[1]);
                view.page
            }
            Screen::Progress | Screen::Results | Screen::Ranking => {
                let session = self.list.session.as_ref();
                self.overview
                    .render(screen, session, lang, theme, frame, area);
                view.page
            }
            Screen::File => {
                self.files.render(lang, theme, frame, area);
                view.page
            }
            Screen::Meeting => {
                let chair_view = view.session.may(Deed::SeeConflicts);
                self.meeting
                    .render(chair_view, lang, theme, frame, area, view.now);
                view.page
            }
            Screen::Objections | Screen::Certificates | Screen::Allowance => {
                self.registers.render(screen, lang, theme, frame, area);
                view.page
            }
        }
    }
}

/// What the runtime hands back to the screens: the result of an effect.
#[derive(Debug, Clone)]
pub enum Event {
    /// A write done, as the status line says it, and the candidate it was about
    /// (application id and name), if any.
    Done {
        done: Done,
        subject: Option<(i64, String)>,
    },
    /// The stage list.
    List(Box<crate::tui::effect::ListData>),
    /// The details of an application.
    Detail(Box<crate::service::board::Detail>),
    /// A personnel file read.
    File(Box<crate::service::persons::PersonFile>),
    /// A file's ID number, phone and address revealed (and audited).
    Revealed {
        person: i64,
        revealed: crate::service::persons::Revealed,
    },
    Registers(RegisterData),
    /// The score sheet for an application, loaded.
    Sheet {
        app: i64,
        sheet: SheetData,
    },
    /// The score sheet for an application could not be loaded (the runtime says why).
    SheetRefused(i64),
    /// A write went through at `at` (the local time); `sheet` is the save of the score
    /// sheet it was, if it was one.
    Saved {
        at: String,
        sheet: Option<Effect>,
    },
    /// A save of the score sheet failed.
    SaveFailed(SaveFailure),
    /// The progress board, the results and the ranking, loaded.
    Overview(OverviewData),
    /// An objector's contact, revealed (and audited).
    ContactRevealed {
        objection: i64,
        contact: String,
    },
    /// The review meeting under way in the cycle (`None`: there is none).
    Meeting(Option<Box<crate::service::meeting::Meeting>>),
}

/// Reads what `screen` shows, for [`Effect::Load`]: the answer comes back to the
/// screen as an event.
/// (The list, the score sheet and the file load through effects of their own, which
/// say which stage, application or person.)
pub fn load(
    svc: &Service,
    session: &Session,
    screens: &Screens,
    screen: Screen,
) -> Result<Option<Event>, ServiceError> {
    Ok(Some(match screen {
        Screen::Objections | Screen::Certificates | Screen::Allowance => {
            let year = (screen == Screen::Allowance).then_some(screens.registers.year);
            Event::Registers(registers::load(svc, year)?)
        }
        Screen::Progress | Screen::Results | Screen::Ranking => {
            Event::Overview(overview::load(svc, session.cycle_id)?)
        }
        Screen::Meeting => Event::Meeting(meeting::load(svc, session.cycle_id)?.map(Box::new)),
        Screen::List | Screen::Panel | Screen::File => return Ok(None),
    }))
}
