//! The app's state and `update`: an action in, the state changed and the effects
//! (database work) out. No terminal, no database here.

use super::i18n::Lang;
use super::keymap::{Action, Keymap, Mode};
use super::text_input::{Edit, TextInput};
use crate::domain::stage::{Stage, Transition};
use crate::domain::Grade;
use crate::service::applications::Rating;
use crate::service::board::{AppRow, Detail};
use crate::service::evaluation::{Cell, MySheet, Progress, RankRow, ResultRow, Session};
use crate::service::Clock;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

/// A member on the login list.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginItem {
    pub id: i64,
    pub name: String,
    pub role: crate::domain::Role,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoginState {
    pub members: Vec<LoginItem>,
    pub filter: TextInput,
    /// Index into `visible()`.
    pub selected: usize,
    /// The member chosen, whose PIN is being typed.
    pub chosen: Option<usize>,
    pub pin: String,
    pub message: Option<String>,
    /// Demo PINs to show (demo databases only).
    pub demo_pins: Vec<(String, String, String)>,
}

impl LoginState {
    /// Members matching the filter (fuzzy, by name and role), best first.
    pub fn visible(&self) -> Vec<usize> {
        if self.filter.is_empty() {
            return (0..self.members.len()).collect();
        }
        use fuzzy_matcher::skim::SkimMatcherV2;
        use fuzzy_matcher::FuzzyMatcher;
        let m = SkimMatcherV2::default();
        let mut scored: Vec<(i64, usize)> = self
            .members
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                let text = format!("{} {} {}", x.name, x.role.zh(), x.role.code());
                m.fuzzy_match(&text, &self.filter).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Declared,
    Name,
    Organisation,
    Status,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Declared => Sort::Name,
            Sort::Name => Sort::Organisation,
            Sort::Organisation => Sort::Status,
            Sort::Status => Sort::Declared,
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Sort::Declared => lang.pick("按申报顺序", "by declaration"),
            Sort::Name => lang.pick("按姓名", "by name"),
            Sort::Organisation => lang.pick("按单位", "by organisation"),
            Sort::Status => lang.pick("按状态", "by status"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Table,
    Detail,
}

/// Which decision a reason form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonFor {
    Return,
    Reject,
    Fail,
    Override,
    Withdraw,
    Reopen,
    /// The objector withdraws an objection (`app` holds the objection's id).
    WithdrawObjection,
}

impl ReasonFor {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ReasonFor::Return => lang.pick("退回补正", "Return for correction"),
            ReasonFor::Reject => lang.pick("不予通过", "Reject"),
            ReasonFor::Fail => lang.pick("测试不合格", "Record a failed test"),
            ReasonFor::Override => lang.pick("破格通过", "Override failing checks"),
            ReasonFor::Withdraw => lang.pick("本人撤回", "Withdrawn by the applicant"),
            ReasonFor::Reopen => lang.pick("重新评定", "Reopen the result"),
            ReasonFor::WithdrawObjection => lang.pick("异议撤回", "Objection withdrawn"),
        }
    }
}

/// A form over the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    Reason {
        app: i64,
        name: String,
        what: ReasonFor,
        text: TextInput,
    },
    Score {
        app: i64,
        name: String,
        text: TextInput,
        max: f64,
        pass_mark: f64,
    },
    Visit {
        app: i64,
        name: String,
        date: TextInput,
        visitors: TextInput,
        findings: TextInput,
        rating: usize,
        field: usize,
    },
    /// The comment on one criterion of the score sheet.
    Comment {
        app: i64,
        criterion: String,
        label: String,
        text: TextInput,
    },
    /// A new value on a submitted sheet: needs a reason.
    Revise {
        app: i64,
        criterion: String,
        label: String,
        value: f64,
        text: TextInput,
    },
    /// Declare a conflict of interest with the candidate.
    Conflict {
        app: i64,
        name: String,
        /// Whom for: the member themself, or (for the chair) any scorer.
        members: Vec<(i64, String)>,
        member: usize,
        kind: usize,
        reason: TextInput,
        field: usize,
    },
    /// A yes/no question before a step that matters.
    Confirm(Confirm),
    /// A form of fields (the notice, objections, certificates).
    Fields(Box<super::fields::Fields>),
    /// Discard a half-typed form?
    Discard(Box<Form>),
}

/// Steps confirmed with y / n.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Submit a sheet with empty criteria, which count as 0.
    Submit {
        app: i64,
        name: String,
        empty: Vec<(String, String)>,
    },
    Finalise {
        app: i64,
        name: String,
        result: f64,
        threshold: f64,
        discuss: bool,
    },
    CloseScoring {
        drafts: usize,
        pending: usize,
    },
    /// Close the notice: certify its candidates.
    CloseNotice {
        id: i64,
        candidates: usize,
        end: String,
    },
}

/// Conflict kinds a member may declare (the same organisation is found by itself).
pub const CONFLICT_KINDS: [&str; 3] = ["relative", "worked_there", "other"];

pub const RATINGS: [Rating; 3] = [
    Rating::Satisfied,
    Rating::BasicallySatisfied,
    Rating::Unsatisfied,
];

impl Form {
    /// Whether anything has been typed.
    pub fn is_dirty(&self) -> bool {
        match self {
            Form::Reason { text, .. } | Form::Score { text, .. } => !text.trim().is_empty(),
            Form::Visit {
                visitors, findings, ..
            } => !visitors.trim().is_empty() || !findings.trim().is_empty(),
            Form::Comment { text, .. } | Form::Revise { text, .. } => !text.trim().is_empty(),
            Form::Conflict { reason, .. } => !reason.trim().is_empty(),
            Form::Fields(f) => f.is_dirty(),
            Form::Confirm(_) | Form::Discard(_) => false,
        }
    }

    /// The text field being typed into (`None` on a choice).
    fn field_mut(&mut self) -> Option<&mut TextInput> {
        match self {
            Form::Reason { text, .. } | Form::Score { text, .. } => Some(text),
            Form::Visit {
                date,
                visitors,
                findings,
                field,
                ..
            } => match field {
                0 => Some(date),
                1 => Some(visitors),
                2 => Some(findings),
                _ => None,
            },
            Form::Comment { text, .. } | Form::Revise { text, .. } => Some(text),
            Form::Conflict { reason, field, .. } => (*field == 2).then_some(reason),
            Form::Fields(f) => f.text_mut(),
            Form::Confirm(_) | Form::Discard(_) => None,
        }
    }

    fn multiline(&self) -> bool {
        match self {
            Form::Fields(f) => f.multiline(),
            _ => matches!(self, Form::Reason { .. } | Form::Visit { field: 2, .. }),
        }
    }
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

/// What the runtime must do for the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Log in the member with the PIN.
    Login {
        member: i64,
        pin: String,
    },
    /// Reload the counts and the rows of the current stage.
    Reload,
    /// Load the detail of an application.
    LoadDetail(i64),
    Transition {
        app: i64,
        transition: Transition,
    },
    Override {
        app: i64,
        reason: String,
    },
    Score {
        app: i64,
        score: f64,
    },
    Visit {
        app: i64,
        date: NaiveDate,
        visitors: String,
        findings: String,
        rating: Rating,
    },
    /// Load the acting member's sheet for the panel.
    LoadSheet(i64),
    SaveScore {
        app: i64,
        criterion: String,
        value: f64,
    },
    Revise {
        app: i64,
        criterion: String,
        value: f64,
        reason: String,
    },
    Comment {
        app: i64,
        criterion: String,
        text: String,
    },
    /// Submit the sheet, first giving 0 to the criteria listed.
    SubmitSheet {
        app: i64,
        zero: Vec<String>,
    },
    OpenScoring,
    CloseScoring,
    /// Load the progress board, the results and the ranking.
    LoadOverview,
    /// Open a person's file.
    OpenFile(i64),
    StartNotice(NaiveDate),
    RecordObjection(crate::service::notice::NewObjection),
    ObjectionStep {
        id: i64,
        step: crate::domain::notice::Step,
    },
    Decide {
        id: i64,
        decision: crate::domain::notice::Decision,
        reason: String,
    },
    CloseNotice(i64),
    Export {
        what: super::fields::ExportWhat,
        format: crate::service::files::Format,
    },
    Inspection {
        certificate: i64,
        year: i32,
        assessment: crate::domain::Assessment,
        reason: String,
    },
    JobChange(crate::service::certificates::NewJobChange),
    /// Load the objection register, the certificates and the allowance roll.
    LoadRegisters,
    /// Search the personnel files (on the search thread).
    Search(String),
    /// Reveal the file's ID number, phone and address (audited).
    Reveal(i64),
    /// Reveal an objector's full contact (audited).
    RevealContact(i64),
    Finalise(i64),
    Reopen {
        app: i64,
        reason: String,
    },
    Conflict {
        member: i64,
        app: i64,
        kind: &'static str,
        reason: String,
    },
    Quit,
}

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

/// A personnel file on screen, and where Esc goes back to.
#[derive(Debug, Clone, PartialEq)]
pub struct FileView {
    pub file: crate::service::persons::PersonFile,
    pub tab: usize,
    pub scroll: u16,
    pub revealed: Option<crate::service::persons::Revealed>,
    pub back: Screen,
    /// The file this one was opened from (by search), which Esc goes back to.
    pub previous: Option<Box<FileView>>,
}

impl FileView {
    /// Keeps at most `n` files in the chain behind `file` (itself included).
    pub fn forget_beyond(file: &mut FileView, n: usize) {
        let mut at = file;
        for _ in 1..n.max(1) {
            match at.previous.as_deref_mut() {
                Some(p) => at = p,
                None => return,
            }
        }
        at.previous = None;
    }
}

/// The score sheet on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub app: i64,
    /// `None` while loading, or when the member is recused.
    pub sheet: Option<MySheet>,
    /// Why the member may not score this candidate.
    pub recused: Option<String>,
    /// The criterion under the cursor.
    pub row: usize,
    /// A value being typed for it.
    pub typed: String,
    /// When this sheet was last saved from this terminal.
    pub saved: Option<String>,
}

/// The signed-in part of the app.
#[derive(Debug, Clone, Default)]
pub struct Board {
    pub member: String,
    pub role: Option<crate::domain::Role>,
    pub cycle: String,
    pub cycle_id: i64,
    pub db_name: String,
    pub stage: usize,
    pub counts: [usize; 7],
    /// Rows of the current stage, as loaded.
    pub rows: Vec<AppRow>,
    /// Indices into `rows`, filtered and sorted.
    pub view: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub sort: Sort,
    pub filter: TextInput,
    pub filtering: bool,
    /// Lower-case "name organisation" of each row, made once per load for filtering.
    pub keys: Vec<String>,
    /// Each row's name and organisation in dictionary (pinyin) order, for sorting;
    /// made when a sort by either first needs them after a load.
    pub order: Vec<(String, String)>,
    /// The filter `view` was built for, so a longer filter narrows it instead of
    /// scanning every row again.
    pub view_filter: Option<String>,
    pub pane: Pane,
    pub detail: Option<Detail>,
    pub detail_scroll: u16,
    pub form: Option<Form>,
    pub last_saved: Option<String>,
    /// Score-sheet values whose save failed or is being tried again.
    pub unsaved: Vec<Unsaved>,
    pub member_id: i64,
    /// Stage 5: the screen shown, the score sheet, the board and the results.
    pub screen: Screen,
    pub panel: Option<Panel>,
    pub progress: Option<Progress>,
    pub results: Vec<ResultRow>,
    pub ranking: Vec<(Grade, Vec<RankRow>)>,
    /// The row under the cursor on the progress, results or ranking screen.
    pub cursor: usize,
    /// The acting member's own sheet state per candidate.
    pub my_cells: HashMap<i64, Cell>,
    pub session: Option<Session>,
    /// Declared conflicts (chair and secretary).
    pub conflicts: Vec<crate::service::evaluation::ConflictRow>,
    /// The personnel file shown.
    pub file: Option<FileView>,
    /// Stage 6: the newest notice, the registers and the allowance roll.
    pub notice: Option<crate::service::notice::NoticeView>,
    pub objections: Vec<crate::service::notice::ObjectionRow>,
    pub objection_filter: Option<crate::domain::notice::ObjectionState>,
    /// An objector's contact revealed (objection id, contact) until the register is
    /// left.
    pub revealed_contact: Option<(i64, String)>,
    pub certificates: Vec<crate::service::certificates::CertificateRow>,
    pub allowance: Option<crate::service::certificates::AllowanceRoll>,
    pub allowance_year: i32,
    /// The rules' criteria: key, name, English name (for the objection form).
    pub criteria: Vec<(String, String, String)>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub lang: Lang,
    pub theme: usize,
    pub theme_count: usize,
    pub login: LoginState,
    /// `Some` once logged in.
    pub board: Option<Board>,
    pub help: bool,
    pub help_scroll: u16,
    pub message: Option<Message>,
    /// A failed save, kept until Esc or until what it was about is saved.
    pub alert: Option<Alert>,
    pub quit: bool,
    /// Rows the table shows (set by rendering; used for paging).
    pub page: usize,
    /// The service's clock: the real one in the app, a fixed one in tests.
    pub clock: Clock,
    /// The search popup, over any screen of the board.
    pub search: Option<super::search::SearchPopup>,
}

impl State {
    pub fn new(lang: Lang, theme_count: usize, members: Vec<LoginItem>, clock: Clock) -> State {
        State {
            lang,
            theme: 0,
            theme_count: theme_count.max(1),
            login: LoginState {
                members,
                ..LoginState::default()
            },
            board: None,
            help: false,
            help_scroll: 0,
            message: None,
            alert: None,
            quit: false,
            page: 10,
            clock,
            search: None,
        }
    }

    /// The local date, from the clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The keymap mode the state is in.
    pub fn mode(&self) -> Mode {
        if self.help {
            Mode::Help
        } else if self.search.is_some() {
            Mode::Search
        } else if let Some(b) = &self.board {
            if b.form.is_some() || b.filtering {
                Mode::Input
            } else {
                match b.screen {
                    Screen::List => Mode::Table,
                    Screen::Panel => Mode::Panel,
                    Screen::Progress | Screen::Results | Screen::Ranking => Mode::Overview,
                    Screen::File => Mode::File,
                    Screen::Objections => Mode::Objections,
                    Screen::Certificates | Screen::Allowance => Mode::Certificates,
                }
            }
        } else {
            Mode::Login
        }
    }

    pub fn stage(&self) -> Option<Stage> {
        self.board
            .as_ref()
            .and_then(|b| Stage::SIX.get(b.stage.saturating_sub(1)).copied())
    }
}

impl Board {
    /// The application under the cursor.
    pub fn current(&self) -> Option<&AppRow> {
        self.view.get(self.selected).and_then(|i| self.rows.get(*i))
    }

    /// Recomputes the filtered, sorted view, keeping the cursor on the same row when
    /// it is still there.
    pub fn rebuild_view(&mut self) {
        let keep = self.current().map(|r| r.id);
        // New rows (a reload clears the keys) need new keys and a full scan.
        if self.keys.len() != self.rows.len() || self.keys.is_empty() {
            self.view_filter = None;
            self.keys = self
                .rows
                .iter()
                .map(|r| format!("{} {}", r.name, r.organisation).to_lowercase())
                .collect();
            // Made when a sort by name or organisation first needs them.
            self.order.clear();
        }
        if matches!(self.sort, Sort::Name | Sort::Organisation)
            && self.order.len() != self.rows.len()
        {
            self.order = self
                .rows
                .iter()
                .map(|r| {
                    (
                        crate::search::name_order(&r.name),
                        crate::search::text_order(&r.organisation),
                    )
                })
                .collect();
        }
        let f = self.filter.trim().to_lowercase();
        // A filter that only grew keeps a subset of the current view, in its order.
        let narrowing = self
            .view_filter
            .as_ref()
            .is_some_and(|old| !old.is_empty() && f.starts_with(old.as_str()));
        let candidates: Vec<usize> = if narrowing {
            std::mem::take(&mut self.view)
        } else {
            (0..self.rows.len()).collect()
        };
        let mut view: Vec<usize> = candidates
            .into_iter()
            .filter(|i| f.is_empty() || self.keys[*i].contains(&f))
            .collect();
        if !narrowing {
            let (rows, order) = (&self.rows, &self.order);
            match self.sort {
                Sort::Declared => {}
                Sort::Name => view.sort_by(|a, b| order[*a].0.cmp(&order[*b].0)),
                Sort::Organisation => view.sort_by(|a, b| order[*a].1.cmp(&order[*b].1)),
                Sort::Status => view.sort_by_key(|i| rows[*i].status.code()),
            }
        }
        self.view = view;
        self.view_filter = Some(f);
        self.selected = keep
            .and_then(|id| self.view.iter().position(|i| self.rows[*i].id == id))
            .unwrap_or(0)
            .min(self.view.len().saturating_sub(1));
    }

    /// Forgets the view's filter, e.g. after the sort order changed.
    pub fn invalidate_view(&mut self) {
        self.view_filter = None;
    }

    fn move_to(&mut self, index: usize, page: usize) -> Vec<Effect> {
        let index = index.min(self.view.len().saturating_sub(1));
        // Scroll only when the cursor would leave the visible rows.
        let page = page.max(1);
        if index < self.offset {
            self.offset = index;
        } else if index >= self.offset + page {
            self.offset = index + 1 - page;
        }
        if index == self.selected
            && self.detail.as_ref().map(|d| d.app.id) == self.current().map(|r| r.id)
        {
            return vec![];
        }
        self.selected = index;
        self.detail_scroll = 0;
        self.current()
            .map(|r| vec![Effect::LoadDetail(r.id)])
            .unwrap_or_default()
    }
}

/// Maps a key to an action in the state's mode and applies it. Typed characters go
/// to the field being edited.
pub fn handle_key(state: &mut State, keymap: &Keymap, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        state.quit = true;
        return vec![Effect::Quit];
    }
    let mode = state.mode();
    let stage = state.board.as_ref().map(|b| b.stage);
    if let Some(action) = keymap.action(mode, key, stage) {
        // Number keys carry the stage.
        if action == Action::Stage {
            if let KeyCode::Char(c) = key.code {
                return go_to_stage(state, c.to_digit(10).unwrap_or(1) as usize);
            }
        }
        return update(state, keymap, action);
    }
    // Unbound keys type text where text is being entered (at the cursor; the keymap
    // moves it and deletes).
    let typing = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT) == KeyModifiers::NONE;
    match (mode, key.code) {
        (Mode::Login, KeyCode::Char(c)) if typing => {
            let l = &mut state.login;
            if l.chosen.is_some() {
                if c.is_ascii_digit() && l.pin.len() < 8 {
                    l.pin.push(c);
                }
            } else {
                l.filter.insert(c);
                l.selected = 0;
            }
            vec![]
        }
        (Mode::Input, KeyCode::Char(c)) if typing => type_char(state, c),
        (Mode::Search, KeyCode::Char(c)) if typing => super::search::type_char(state, c),
        (Mode::Panel, KeyCode::Char(c)) if typing => super::eval::type_value(state, Some(c)),
        (Mode::Panel, KeyCode::Backspace) => super::eval::type_value(state, None),
        (Mode::Table | Mode::Overview, _) => {
            state.message = Some(Message::Error(
                state
                    .lang
                    .pick(
                        "该键没有功能，按 ? 查看帮助",
                        "That key does nothing here; press ? for help",
                    )
                    .into(),
            ));
            vec![]
        }
        _ => vec![],
    }
}

/// A character typed: into the field being edited, at its cursor, or the answer to a
/// yes/no question.
fn type_char(state: &mut State, c: char) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    if b.filtering && b.form.is_none() {
        b.filter.insert(c);
        return filter_changed(b);
    }
    if let Some(form) = b.form.as_mut() {
        if let Form::Confirm(confirm) = form {
            let effect = match c {
                'y' | 'Y' => super::eval::confirmed(confirm),
                'n' | 'N' => None,
                _ => return vec![],
            };
            b.form = None;
            return effect.into_iter().collect();
        }
        if let Form::Discard(inner) = form {
            match c {
                'y' | 'Y' => b.form = None,
                'n' | 'N' => b.form = Some((**inner).clone()),
                _ => {}
            }
            return vec![];
        }
        let numeric = matches!(form, Form::Score { .. });
        if let Some(field) = form.field_mut() {
            if !numeric || c.is_ascii_digit() || c == '.' && !field.contains('.') {
                field.insert(c);
            }
        }
    }
    vec![]
}

/// The list filter changed: the view again, from its top, and the current row's
/// details.
fn filter_changed(b: &mut Board) -> Vec<Effect> {
    b.rebuild_view();
    b.offset = 0;
    b.current()
        .map(|r| vec![Effect::LoadDetail(r.id)])
        .unwrap_or_default()
}

/// A cursor move or deletion in the list filter or the form's field. On a form's
/// choice, → chooses the next option and ← the one before.
fn edit_input(b: &mut Board, edit: Edit) -> Vec<Effect> {
    if b.filtering && b.form.is_none() {
        return if b.filter.apply(edit) {
            filter_changed(b)
        } else {
            vec![]
        };
    }
    let Some(form) = b.form.as_mut() else {
        return vec![];
    };
    if matches!(form, Form::Confirm(_) | Form::Discard(_)) {
        return vec![];
    }
    match form.field_mut() {
        Some(field) => {
            field.apply(edit);
        }
        None if edit == Edit::Right => choose(form, 1),
        None if edit == Edit::Left => choose(form, -1),
        None => {}
    }
    vec![]
}

/// The option `step` places after (or, negative, before) the current one of `n`,
/// going round.
pub fn step_choice(current: usize, step: isize, n: usize) -> usize {
    let n = n.max(1) as isize;
    (current as isize + step).rem_euclid(n) as usize
}

/// The next (`step` 1) or previous (-1) option of the form's choice under the cursor.
fn choose(form: &mut Form, step: isize) {
    match form {
        Form::Fields(f) => f.choose(step),
        Form::Visit {
            rating, field: 3, ..
        } => *rating = step_choice(*rating, step, RATINGS.len()),
        Form::Conflict {
            members,
            member,
            field: 0,
            ..
        } => *member = step_choice(*member, step, members.len()),
        Form::Conflict { kind, field: 1, .. } => {
            *kind = step_choice(*kind, step, CONFLICT_KINDS.len())
        }
        _ => {}
    }
}

fn go_to_stage(state: &mut State, stage: usize) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    if !(1..=6).contains(&stage) {
        return vec![];
    }
    b.stage = stage;
    b.selected = 0;
    b.offset = 0;
    b.filter.clear();
    b.detail = None;
    b.detail_scroll = 0;
    b.pane = Pane::Table;
    state.message = None;
    vec![Effect::Reload]
}

/// Applies an action.
pub fn update(state: &mut State, keymap: &Keymap, action: Action) -> Vec<Effect> {
    // Editing a text leaves the message, as typing does.
    if action != Action::Back && Edit::of(action).is_none() {
        state.message = None;
    }
    // Esc first dismisses the message of a failed save, which stays until it is read.
    if action == Action::Back && !state.help && state.alert.take().is_some() {
        state.message = None;
        return vec![];
    }
    if action == Action::Search && state.board.is_some() {
        return super::search::open(state);
    }
    match state.mode() {
        Mode::Help => help_update(state, action, help_lines(keymap)),
        Mode::Search => super::search::update(state, action),
        Mode::Login => login_update(state, action),
        Mode::Input => input_update(state, action),
        Mode::Table => table_update(state, keymap, action),
        Mode::Panel => super::eval::panel_update(state, action),
        Mode::Overview => super::eval::overview_update(state, action),
        Mode::File => super::file::file_update(state, action),
        Mode::Objections | Mode::Certificates => super::notice::register_update(state, action),
    }
}

/// At least as many lines as the help overlay has (a binding, a title and a gap per
/// mode, and the footer), so scrolling stops near its end.
fn help_lines(keymap: &Keymap) -> u16 {
    (keymap.bindings.len() + 16) as u16
}

fn help_update(state: &mut State, action: Action, max: u16) -> Vec<Effect> {
    match action {
        Action::Back | Action::Help | Action::Quit => state.help = false,
        Action::Down => {
            state.help_scroll = (state.help_scroll + 1).min(max);
        }
        Action::Up => state.help_scroll = state.help_scroll.saturating_sub(1),
        Action::PageDown => {
            let page = u16::try_from(state.page.max(1)).unwrap_or(u16::MAX);
            state.help_scroll = state.help_scroll.saturating_add(page).min(max);
        }
        Action::PageUp => {
            let page = u16::try_from(state.page.max(1)).unwrap_or(u16::MAX);
            state.help_scroll = state.help_scroll.saturating_sub(page);
        }
        Action::Top => state.help_scroll = 0,
        Action::Bottom => state.help_scroll = max,
        _ => {}
    }
    vec![]
}

fn login_update(state: &mut State, action: Action) -> Vec<Effect> {
    let l = &mut state.login;
    if let Some(edit) = Edit::of(action) {
        if l.chosen.is_none() {
            if l.filter.apply(edit) {
                l.selected = 0;
            }
        } else if edit == Edit::Backspace {
            l.pin.pop();
        }
        return vec![];
    }
    let n = l.visible().len();
    match action {
        Action::Up if l.chosen.is_none() => l.selected = l.selected.saturating_sub(1),
        Action::Down if l.chosen.is_none() => {
            l.selected = (l.selected + 1).min(n.saturating_sub(1))
        }
        Action::Back => {
            if l.chosen.is_some() {
                l.chosen = None;
                l.pin.clear();
            } else {
                l.filter.clear();
                l.selected = 0;
            }
            l.message = None;
        }
        Action::Submit => match l.chosen {
            None => {
                if let Some(&i) = l.visible().get(l.selected) {
                    l.chosen = Some(i);
                    l.pin.clear();
                    l.message = None;
                }
            }
            Some(i) => {
                if l.pin.is_empty() {
                    l.message = Some(state.lang.pick("请输入口令", "Type your PIN").into());
                } else {
                    let pin = std::mem::take(&mut l.pin);
                    return vec![Effect::Login {
                        member: l.members[i].id,
                        pin,
                    }];
                }
            }
        },
        _ => {}
    }
    vec![]
}

fn input_update(state: &mut State, action: Action) -> Vec<Effect> {
    let lang = state.lang;
    let today = state.today();
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    if let Some(edit) = Edit::of(action) {
        return edit_input(b, edit);
    }
    if b.filtering && b.form.is_none() {
        match action {
            Action::Back => {
                b.filter.clear();
                b.filtering = false;
                b.rebuild_view();
            }
            Action::Submit | Action::Save => b.filtering = false,
            _ => {}
        }
        return b
            .current()
            .map(|r| vec![Effect::LoadDetail(r.id)])
            .unwrap_or_default();
    }
    let Some(form) = b.form.as_mut() else {
        return vec![];
    };
    if let Form::Discard(inner) = form {
        if action == Action::Back {
            let inner = (**inner).clone();
            b.form = Some(inner);
        }
        return vec![];
    }
    if let Form::Confirm(_) = form {
        if action == Action::Back {
            b.form = None;
        }
        return vec![];
    }
    match action {
        Action::Back => {
            if form.is_dirty() {
                let inner = form.clone();
                b.form = Some(Form::Discard(Box::new(inner)));
            } else {
                b.form = None;
            }
            vec![]
        }
        Action::LineDown | Action::LineUp => {
            let up = action == Action::LineUp;
            let moved = form
                .field_mut()
                .is_some_and(|f| f.as_str().contains('\n') && f.move_line(up));
            if moved {
                return vec![];
            }
            let field = if up {
                Action::PrevField
            } else {
                Action::NextField
            };
            input_update(state, field)
        }
        Action::NextField | Action::PrevField if matches!(form, Form::Fields(_)) => {
            if let Form::Fields(f) = form {
                if action == Action::NextField {
                    f.next()
                } else {
                    f.prev()
                }
            }
            vec![]
        }
        Action::NextField | Action::PrevField => {
            let n = match form {
                Form::Visit { .. } => 4,
                Form::Conflict { .. } => 3,
                _ => 0,
            };
            if let Form::Visit { field, .. } | Form::Conflict { field, .. } = form {
                *field = if action == Action::NextField {
                    (*field + 1) % n
                } else {
                    (*field + n - 1) % n
                };
            }
            vec![]
        }
        Action::Submit if form.multiline() => {
            if let Some(f) = form.field_mut() {
                f.insert('\n');
            }
            vec![]
        }
        Action::Submit | Action::Save => {
            if let Form::Visit { field, .. } = form {
                if action == Action::Submit && *field < 3 {
                    *field += 1;
                    return vec![];
                }
            }
            if let Form::Conflict { field, .. } = form {
                if action == Action::Submit && *field < 2 {
                    *field += 1;
                    return vec![];
                }
            }
            if let Form::Fields(f) = form {
                if action == Action::Submit && !f.last() {
                    f.next();
                    return vec![];
                }
            }
            submit_form(b, lang, today, &mut state.message)
        }
        _ => vec![],
    }
}

/// Validates a form; on success closes it and returns its effect.
fn submit_form(
    b: &mut Board,
    lang: Lang,
    today: NaiveDate,
    message: &mut Option<Message>,
) -> Vec<Effect> {
    let Some(form) = b.form.clone() else {
        return vec![];
    };
    let err = |m: &mut Option<Message>, zh: &str, en: &str| {
        *m = Some(Message::Error(lang.pick(zh, en).to_string()))
    };
    let effect = match form {
        Form::Reason {
            app, what, text, ..
        } => {
            let reason = text.trim().to_string();
            if reason.is_empty() {
                err(message, "必须写明理由", "A reason is required");
                return vec![];
            }
            match what {
                ReasonFor::Override => Effect::Override { app, reason },
                ReasonFor::Return => Effect::Transition {
                    app,
                    transition: Transition::Return { reason },
                },
                ReasonFor::Reject => Effect::Transition {
                    app,
                    transition: Transition::Reject { reason },
                },
                ReasonFor::Fail => Effect::Transition {
                    app,
                    transition: Transition::Fail { reason },
                },
                ReasonFor::Withdraw => Effect::Transition {
                    app,
                    transition: Transition::Withdraw { reason },
                },
                ReasonFor::Reopen => Effect::Reopen { app, reason },
                ReasonFor::WithdrawObjection => Effect::ObjectionStep {
                    id: app,
                    step: crate::domain::notice::Step::Withdraw { note: reason },
                },
            }
        }
        Form::Comment {
            app,
            criterion,
            text,
            ..
        } => Effect::Comment {
            app,
            criterion,
            text: text.trim().to_string(),
        },
        Form::Revise {
            app,
            criterion,
            value,
            text,
            ..
        } => {
            if text.trim().is_empty() {
                err(
                    message,
                    "修改已提交的评分须写明理由",
                    "Changing a submitted sheet needs a reason",
                );
                return vec![];
            }
            Effect::Revise {
                app,
                criterion,
                value,
                reason: text.trim().to_string(),
            }
        }
        Form::Conflict {
            app,
            members,
            member,
            kind,
            reason,
            ..
        } => {
            if reason.trim().is_empty() {
                err(message, "必须写明回避理由", "A conflict needs a reason");
                return vec![];
            }
            let Some((member, _)) = members.get(member) else {
                return vec![];
            };
            Effect::Conflict {
                member: *member,
                app,
                kind: CONFLICT_KINDS[kind % CONFLICT_KINDS.len()],
                reason: reason.trim().to_string(),
            }
        }
        Form::Score { app, text, max, .. } => match text.trim().parse::<f64>() {
            Ok(s) if (0.0..=max).contains(&s) => Effect::Score { app, score: s },
            _ => {
                *message = Some(Message::Error(match lang {
                    Lang::Zh => format!("成绩须为 0 到 {max} 之间的数"),
                    Lang::En => format!("The score must be a number from 0 to {max}"),
                }));
                return vec![];
            }
        },
        Form::Visit {
            app,
            date,
            visitors,
            findings,
            rating,
            ..
        } => {
            let Ok(d) = crate::domain::ids::parse_date(&date) else {
                err(
                    message,
                    "走访日期无效（格式 2026-11-20）",
                    "The visit date is not a date (e.g. 2026-11-20)",
                );
                return vec![];
            };
            if d > today {
                err(
                    message,
                    "走访日期不能晚于今天",
                    "The visit date cannot be in the future",
                );
                return vec![];
            }
            if visitors.trim().is_empty() || findings.trim().is_empty() {
                err(
                    message,
                    "请填写走访人员和走访情况",
                    "Fill in the visitors and the findings",
                );
                return vec![];
            }
            Effect::Visit {
                app,
                date: d,
                visitors: visitors.trim().to_string(),
                findings: findings.trim().to_string(),
                rating: RATINGS[rating % RATINGS.len()],
            }
        }
        Form::Fields(f) => match f.submit(lang, today) {
            Ok(effect) => effect,
            Err(m) => {
                *message = Some(Message::Error(m));
                return vec![];
            }
        },
        Form::Confirm(_) | Form::Discard(_) => return vec![],
    };
    b.form = None;
    vec![effect]
}

/// An error on the status line, in the screen's language.
pub(super) fn say(state: &mut State, zh: &str, en: &str) {
    state.message = Some(Message::Error(state.lang.pick(zh, en).to_string()));
}

/// Refuses (with a message) an action the keymap does not give the current stage.
pub(super) fn refused_here(state: &mut State, keymap: &Keymap, action: Action) -> bool {
    let stage = state.board.as_ref().map_or(0, |b| b.stage);
    if keymap.applies(action, stage) {
        return false;
    }
    say(
        state,
        "本环节没有这项操作，按 ? 查看本环节的按键",
        "Not at this stage; press ? for this stage's keys",
    );
    true
}

/// Help and quit, the same on every screen of the board.
pub(super) fn help_or_quit(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    match action {
        Action::Help => {
            state.help = true;
            state.help_scroll = 0;
            Some(vec![])
        }
        Action::Quit => {
            state.quit = true;
            Some(vec![Effect::Quit])
        }
        _ => None,
    }
}

fn table_update(state: &mut State, keymap: &Keymap, action: Action) -> Vec<Effect> {
    let lang = state.lang;
    let page = state.page.max(2);
    let today = state.today();
    if let Some(fx) = help_or_quit(state, action) {
        return fx;
    }
    match action {
        Action::Theme => {
            state.theme = (state.theme + 1) % state.theme_count;
            return vec![];
        }
        Action::Lang => {
            state.lang = state.lang.other();
            return vec![];
        }
        Action::ScorePanel
        | Action::Progress
        | Action::Results
        | Action::Session
        | Action::Conflict
        | Action::Reopen => return super::eval::table_action(state, keymap, action),
        Action::PersonFile => return super::file::open_current(state),
        Action::StartNotice
        | Action::Objection
        | Action::Objections
        | Action::Certificates
        | Action::CloseNotice
        | Action::Export => return super::notice::table_action(state, keymap, action),
        _ => {}
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let stage = b.stage;
    if b.pane == Pane::Detail {
        match action {
            Action::Down => {
                // The pane clamps what it shows; this keeps the count from running
                // far past the end, so k answers at once.
                let lines = b.detail.as_ref().map_or(0, |d| {
                    15 + d.checks.len()
                        + 2 * d.history.len()
                        + d.visits
                            .iter()
                            .map(|v| 2 + v.findings.lines().count())
                            .sum::<usize>()
                });
                b.detail_scroll = (b.detail_scroll + 1).min(lines as u16);
                return vec![];
            }
            Action::Up => {
                b.detail_scroll = b.detail_scroll.saturating_sub(1);
                return vec![];
            }
            Action::Back | Action::NextPane | Action::PrevPane => {
                b.pane = Pane::Table;
                return vec![];
            }
            _ => {}
        }
    }
    let current = b.current().cloned();
    let needs_row = matches!(
        action,
        Action::Advance
            | Action::Score
            | Action::Visit
            | Action::Override
            | Action::Return
            | Action::Reject
            | Action::Withdraw
    );
    if needs_row {
        if !keymap.applies(action, stage) {
            state.message = Some(Message::Error(
                lang.pick(
                    "本环节没有这项操作，按 ? 查看本环节的按键",
                    "Not at this stage; press ? for this stage's keys",
                )
                .into(),
            ));
            return vec![];
        }
        let Some(row) = current else {
            state.message = Some(Message::Error(
                lang.pick("列表为空", "The list is empty").into(),
            ));
            return vec![];
        };
        if row.status.is_final() {
            state.message = Some(Message::Error(match lang {
                Lang::Zh => format!("{} 的申请已{}，本周期不能再办理", row.name, row.status.zh()),
                Lang::En => format!(
                    "{}'s application is {}; nothing more can be done this cycle",
                    row.name,
                    lang.status(row.status)
                ),
            }));
            return vec![];
        }
        // A step the stage rules refuse whatever the reason (returning a declaration
        // already returned, say) is refused before a reason is typed for nothing.
        let step = |reason: String| match action {
            Action::Return => Some(Transition::Return { reason }),
            Action::Reject if stage == 3 => Some(Transition::Fail { reason }),
            Action::Reject => Some(Transition::Reject { reason }),
            Action::Withdraw => Some(Transition::Withdraw { reason }),
            _ => None,
        };
        if let (Some(t), Some(&at)) = (step("-".into()), Stage::ALL.get(stage.wrapping_sub(1))) {
            let pos = crate::domain::stage::Position {
                stage: at,
                status: row.status,
            };
            let facts = crate::domain::stage::Facts::default();
            if let Err(e) = crate::domain::stage::apply(pos, &t, &facts) {
                state.message = Some(Message::Error(match lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                }));
                return vec![];
            }
        }
        let name = row.name.clone();
        let reason = |what| Form::Reason {
            app: row.id,
            name: name.clone(),
            what,
            text: TextInput::default(),
        };
        b.form = Some(match action {
            Action::Advance => {
                return vec![Effect::Transition {
                    app: row.id,
                    transition: Transition::Advance,
                }]
            }
            Action::Return => reason(ReasonFor::Return),
            Action::Reject if stage == 3 => reason(ReasonFor::Fail),
            Action::Reject => reason(ReasonFor::Reject),
            Action::Override => reason(ReasonFor::Override),
            Action::Withdraw => reason(ReasonFor::Withdraw),
            Action::Score => {
                let (max, pass_mark) = b
                    .detail
                    .as_ref()
                    .filter(|d| d.app.id == row.id)
                    .map(|d| (d.test_max.unwrap_or(100.0), d.pass_mark.unwrap_or(0.0)))
                    .unwrap_or((100.0, 0.0));
                Form::Score {
                    app: row.id,
                    name,
                    text: row
                        .test_score
                        .map(crate::domain::eligibility::fmt_num)
                        .unwrap_or_default()
                        .into(),
                    max,
                    pass_mark,
                }
            }
            _ => Form::Visit {
                app: row.id,
                name,
                date: today.to_string().into(),
                visitors: TextInput::default(),
                findings: TextInput::default(),
                rating: 0,
                field: 0,
            },
        });
        return vec![];
    }
    let n = b.view.len();
    match action {
        Action::Down => b.move_to(b.selected + 1, page),
        Action::Up => b.move_to(b.selected.saturating_sub(1), page),
        Action::Top => b.move_to(0, page),
        Action::Bottom => b.move_to(n.saturating_sub(1), page),
        Action::PageDown => b.move_to(b.selected + page / 2, page),
        Action::PageUp => b.move_to(b.selected.saturating_sub(page / 2), page),
        Action::NextPane | Action::PrevPane | Action::Open => {
            b.pane = Pane::Detail;
            b.current()
                .map(|r| vec![Effect::LoadDetail(r.id)])
                .unwrap_or_default()
        }
        Action::Back => {
            state.message = None;
            if b.filter.is_empty() {
                return vec![];
            }
            b.filter.clear();
            b.rebuild_view();
            b.current()
                .map(|r| vec![Effect::LoadDetail(r.id)])
                .unwrap_or_default()
        }
        Action::Filter => {
            b.filtering = true;
            vec![]
        }
        Action::Sort => {
            b.sort = b.sort.next();
            b.invalidate_view();
            b.rebuild_view();
            state.message = Some(Message::Info(b.sort.label(lang).to_string()));
            vec![]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stage::Status;
    use crate::domain::Role;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }
    fn code(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }
    fn members() -> Vec<LoginItem> {
        vec![
            LoginItem {
                id: 1,
                name: "周明远".into(),
                role: Role::Chair,
            },
            LoginItem {
                id: 2,
                name: "陈静怡".into(),
                role: Role::Member,
            },
            LoginItem {
                id: 7,
                name: "吴婷".into(),
                role: Role::Secretary,
            },
        ]
    }
    fn row(id: i64, name: &str, org: &str, status: Status) -> AppRow {
        AppRow {
            id,
            name: name.into(),
            organisation: org.into(),
            category: None,
            current: None,
            target: None,
            status,
            overridden: false,
            test_score: None,
            visits: 0,
            open_objections: 0,
            person_id: id + 100,
        }
    }
    fn logged_in(stage: usize) -> State {
        let mut s = State::new(
            Lang::Zh,
            3,
            members(),
            Clock::on(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), 10, 0, 0),
        );
        let mut b = Board {
            stage,
            rows: vec![
                row(10, "张伟", "南京华宇软件有限公司", Status::Active),
                row(11, "李娜", "鼓楼区湖南商会", Status::Active),
                row(12, "王强", "南京恒信物流有限公司", Status::Rejected),
            ],
            ..Board::default()
        };
        b.rebuild_view();
        s.board = Some(b);
        s
    }
    fn keys(s: &mut State, text: &str) -> Vec<Effect> {
        let km = Keymap::builtin();
        text.chars()
            .flat_map(|c| handle_key(s, &km, key(c)))
            .collect()
    }

    #[test]
    fn login_filters_chooses_and_sends_the_pin() {
        let km = Keymap::builtin();
        let mut s = State::new(
            Lang::Zh,
            3,
            members(),
            Clock::on(NaiveDate::default(), 10, 0, 0),
        );
        keys(&mut s, "sec");
        assert_eq!(
            s.login.visible(),
            vec![2],
            "fuzzy match on the role: secretary"
        );
        handle_key(&mut s, &km, code(KeyCode::Esc));
        assert_eq!(s.login.visible().len(), 3);
        handle_key(&mut s, &km, code(KeyCode::Down));
        handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(s.login.chosen, Some(1));
        keys(&mut s, "10a02");
        assert_eq!(s.login.pin, "1002", "only digits");
        let fx = handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(
            fx,
            vec![Effect::Login {
                member: 2,
                pin: "1002".into()
            }]
        );
        assert!(s.login.pin.is_empty(), "the PIN is not kept");
    }

    #[test]
    fn moving_loads_details_and_stage_keys_reload() {
        let mut s = logged_in(2);
        let fx = keys(&mut s, "j");
        assert_eq!(fx, vec![Effect::LoadDetail(11)]);
        keys(&mut s, "G");
        assert_eq!(s.board.as_ref().unwrap().selected, 2);
        let fx = keys(&mut s, "4");
        assert_eq!(fx, vec![Effect::Reload]);
        assert_eq!(s.board.as_ref().unwrap().stage, 4);
    }

    #[test]
    fn return_needs_a_reason_and_sends_a_transition() {
        let km = Keymap::builtin();
        let mut s = logged_in(2);
        keys(&mut s, "r");
        assert_eq!(s.mode(), Mode::Input);
        let fx = handle_key(
            &mut s,
            &km,
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        );
        assert!(fx.is_empty());
        assert!(matches!(s.message, Some(Message::Error(_))));
        keys(&mut s, "材料不全");
        let fx = handle_key(
            &mut s,
            &km,
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        );
        assert_eq!(
            fx,
            vec![Effect::Transition {
                app: 10,
                transition: Transition::Return {
                    reason: "材料不全".into()
                }
            }]
        );
        assert_eq!(s.mode(), Mode::Table);
    }

    #[test]
    fn escape_from_a_half_typed_form_asks_first() {
        let km = Keymap::builtin();
        let mut s = logged_in(2);
        keys(&mut s, "x不符合");
        handle_key(&mut s, &km, code(KeyCode::Esc));
        assert!(matches!(
            s.board.as_ref().unwrap().form,
            Some(Form::Discard(_))
        ));
        keys(&mut s, "n");
        assert!(matches!(
            s.board.as_ref().unwrap().form,
            Some(Form::Reason {
                what: ReasonFor::Reject,
                ..
            })
        ));
        handle_key(&mut s, &km, code(KeyCode::Esc));
        keys(&mut s, "y");
        assert!(s.board.as_ref().unwrap().form.is_none());
    }

    #[test]
    fn test_stage_score_form_is_numeric_and_range_checked() {
        let km = Keymap::builtin();
        let mut s = logged_in(3);
        keys(&mut s, "e1a0b1");
        match &s.board.as_ref().unwrap().form {
            Some(Form::Score { text, .. }) => assert_eq!(text, "101"),
            other => panic!("{other:?}"),
        }
        assert!(
            handle_key(&mut s, &km, code(KeyCode::Enter)).is_empty(),
            "101 > 100"
        );
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        keys(&mut s, "5.5");
        assert_eq!(
            handle_key(&mut s, &km, code(KeyCode::Enter)),
            vec![Effect::Score {
                app: 10,
                score: 15.5
            }]
        );
        // On the test stage, x records a failed test.
        keys(&mut s, "x52分");
        assert!(matches!(
            s.board.as_ref().unwrap().form,
            Some(Form::Reason {
                what: ReasonFor::Fail,
                ..
            })
        ));
    }

    #[test]
    fn a_typo_in_the_middle_of_a_reason_is_fixed_where_it_is() {
        let km = Keymap::builtin();
        let press = |s: &mut State, c: KeyCode| handle_key(s, &km, code(c));
        let ctrl = |s: &mut State, c: char| {
            handle_key(
                s,
                &km,
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            )
        };
        let reason = |s: &State| match &s.board.as_ref().unwrap().form {
            Some(Form::Reason { text, .. }) => format!("{}|{}", text.before(), text.after()),
            other => panic!("{other:?}"),
        };
        let mut s = logged_in(2);
        keys(&mut s, "r材料不全请补允盖章");
        // Back over 盖章 to the typo, and put it right.
        for _ in 0..2 {
            press(&mut s, KeyCode::Left);
        }
        assert_eq!(reason(&s), "材料不全请补允|盖章");
        press(&mut s, KeyCode::Backspace);
        keys(&mut s, "充");
        assert_eq!(reason(&s), "材料不全请补充|盖章");
        // A comma after 不全: Home, four to the right, and typed there.
        press(&mut s, KeyCode::Home);
        for _ in 0..4 {
            press(&mut s, KeyCode::Right);
        }
        keys(&mut s, "，");
        assert_eq!(reason(&s), "材料不全，|请补充盖章");
        // Delete takes the character after the cursor; Ctrl-E goes to the end, where
        // Enter starts a new line; Ctrl-W takes the word before the cursor.
        press(&mut s, KeyCode::Delete);
        assert_eq!(reason(&s), "材料不全，|补充盖章");
        keys(&mut s, "请");
        ctrl(&mut s, 'e');
        press(&mut s, KeyCode::Enter);
        keys(&mut s, "另见 附件");
        ctrl(&mut s, 'w');
        assert_eq!(reason(&s), "材料不全，请补充盖章\n另见 |");
        ctrl(&mut s, 'a');
        assert_eq!(
            reason(&s),
            "材料不全，请补充盖章\n|另见 ",
            "the start of the line"
        );
        assert!(s.message.is_none());
        let fx = ctrl(&mut s, 's');
        assert_eq!(
            fx,
            vec![Effect::Transition {
                app: 10,
                transition: Transition::Return {
                    reason: "材料不全，请补充盖章\n另见".into()
                }
            }]
        );
    }

    #[test]
    fn left_and_right_choose_on_a_choice_and_move_in_a_text() {
        let km = Keymap::builtin();
        let mut s = logged_in(4);
        keys(&mut s, "v");
        handle_key(&mut s, &km, code(KeyCode::Tab));
        keys(&mut s, "陈静怡刘志强");
        for _ in 0..3 {
            handle_key(&mut s, &km, code(KeyCode::Left));
        }
        keys(&mut s, "、");
        let form = |s: &State| s.board.as_ref().unwrap().form.clone().unwrap();
        match form(&s) {
            Form::Visit {
                visitors, rating, ..
            } => assert_eq!((visitors.as_str(), rating), ("陈静怡、刘志强", 0)),
            other => panic!("{other:?}"),
        }
        // On the rating, → picks the next option and ← the one before, going round.
        handle_key(&mut s, &km, code(KeyCode::BackTab));
        handle_key(&mut s, &km, code(KeyCode::BackTab));
        assert!(matches!(form(&s), Form::Visit { field: 3, .. }));
        handle_key(&mut s, &km, code(KeyCode::Right));
        handle_key(&mut s, &km, code(KeyCode::Right));
        assert!(matches!(form(&s), Form::Visit { rating: 2, .. }));
        handle_key(&mut s, &km, code(KeyCode::Left));
        assert!(matches!(form(&s), Form::Visit { rating: 1, .. }));
        handle_key(&mut s, &km, code(KeyCode::Right));
        assert!(matches!(form(&s), Form::Visit { rating: 2, .. }));
        // Backspace and Delete do nothing there.
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        handle_key(&mut s, &km, code(KeyCode::Delete));
        assert!(matches!(form(&s), Form::Visit { rating: 2, .. }));
        assert_eq!(s.mode(), Mode::Input);
    }

    #[test]
    fn the_list_filter_and_the_login_filter_edit_at_the_cursor() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "f南京恒信流");
        assert!(s.board.as_ref().unwrap().view.is_empty());
        handle_key(&mut s, &km, code(KeyCode::Left));
        let fx = keys(&mut s, "物");
        let b = s.board.as_ref().unwrap();
        assert_eq!(
            (b.filter.as_str(), b.view.clone()),
            ("南京恒信物流", vec![2])
        );
        assert_eq!(fx, vec![Effect::LoadDetail(12)]);
        assert!(
            handle_key(&mut s, &km, code(KeyCode::Home)).is_empty(),
            "a move changes nothing"
        );
        handle_key(&mut s, &km, code(KeyCode::Delete));
        handle_key(&mut s, &km, code(KeyCode::Delete));
        assert_eq!(s.board.as_ref().unwrap().view, vec![2]);
        assert_eq!(s.board.as_ref().unwrap().filter, "恒信物流");

        let mut s = State::new(
            Lang::Zh,
            3,
            members(),
            Clock::on(NaiveDate::default(), 10, 0, 0),
        );
        keys(&mut s, "sc");
        handle_key(&mut s, &km, code(KeyCode::Left));
        keys(&mut s, "e");
        assert_eq!(s.login.filter, "sec");
        assert_eq!(s.login.visible(), vec![2]);
        handle_key(&mut s, &km, code(KeyCode::Enter));
        keys(&mut s, "1007");
        handle_key(&mut s, &km, code(KeyCode::Left));
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.login.pin, "100", "Backspace takes the PIN's last digit");
        assert_eq!(s.login.filter, "sec");
    }

    #[test]
    fn visit_form_walks_its_fields() {
        let km = Keymap::builtin();
        let mut s = logged_in(4);
        keys(&mut s, "v");
        handle_key(&mut s, &km, code(KeyCode::Enter)); // keep today's date
        keys(&mut s, "陈静怡");
        handle_key(&mut s, &km, code(KeyCode::Tab));
        keys(&mut s, "台账齐全");
        handle_key(&mut s, &km, code(KeyCode::Enter)); // a new line in the findings
        keys(&mut s, "评价好");
        handle_key(&mut s, &km, code(KeyCode::Tab));
        handle_key(&mut s, &km, code(KeyCode::Right));
        let fx = handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(
            fx,
            vec![Effect::Visit {
                app: 10,
                date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                visitors: "陈静怡".into(),
                findings: "台账齐全\n评价好".into(),
                rating: Rating::BasicallySatisfied,
            }]
        );
    }

    #[test]
    fn final_applications_and_wrong_stages_are_refused_with_a_message() {
        let mut s = logged_in(2);
        keys(&mut s, "G");
        assert!(keys(&mut s, "a").is_empty());
        assert!(matches!(&s.message, Some(Message::Error(m)) if m.contains("王强")));
        let mut s = logged_in(5);
        assert!(keys(&mut s, "a").is_empty());
        assert!(matches!(s.message, Some(Message::Error(_))));
        let mut s = logged_in(2);
        assert!(keys(&mut s, "e").is_empty(), "no score at review");
    }

    #[test]
    fn filter_and_sort_keep_the_cursor() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "f商会");
        assert_eq!(s.board.as_ref().unwrap().view, vec![1]);
        handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(s.mode(), Mode::Table);
        assert_eq!(s.board.as_ref().unwrap().current().unwrap().name, "李娜");
        keys(&mut s, "f");
        handle_key(&mut s, &km, code(KeyCode::Esc));
        assert_eq!(s.board.as_ref().unwrap().view.len(), 3);
        keys(&mut s, "s");
        assert_eq!(s.board.as_ref().unwrap().sort, Sort::Name);
        assert_eq!(s.board.as_ref().unwrap().current().unwrap().name, "李娜");
    }

    #[test]
    fn up_moves_a_line_in_a_reason_of_several_lines() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "r第一行");
        handle_key(&mut s, &km, code(KeyCode::Enter));
        keys(&mut s, "二");
        handle_key(&mut s, &km, code(KeyCode::Up));
        keys(&mut s, "X");
        match s.board.as_ref().unwrap().form.as_ref().unwrap() {
            Form::Reason { text, .. } => assert_eq!(text.as_str(), "第X一行\n二"),
            other => panic!("{other:?}"),
        }
        // On the first line, ↑ has nowhere to go: the form stays as it was.
        handle_key(&mut s, &km, code(KeyCode::Up));
        assert!(s.board.as_ref().unwrap().form.is_some());
    }

    #[test]
    fn a_step_the_stage_rules_refuse_opens_no_form() {
        let mut s = logged_in(1);
        let b = s.board.as_mut().unwrap();
        b.rows = vec![row(
            1,
            "朴阳轩",
            "南京卓越电子商务股份有限公司",
            Status::Returned,
        )];
        b.keys.clear();
        b.rebuild_view();
        assert!(keys(&mut s, "r").is_empty());
        assert!(
            s.board.as_ref().unwrap().form.is_none(),
            "no reason typed in vain"
        );
        assert!(matches!(&s.message, Some(Message::Error(m)) if m.contains("个人申报")));
        // Withdrawing a returned declaration is allowed: the form opens.
        keys(&mut s, "w");
        assert!(s.board.as_ref().unwrap().form.is_some());
    }

    #[test]
    fn names_and_organisations_sort_by_pinyin() {
        let mut s = logged_in(1);
        let b = s.board.as_mut().unwrap();
        b.rows = vec![
            row(1, "张伟", "中山商会", Status::Active),
            row(2, "曾宏", "爱达公司", Status::Active),
            row(3, "程冬晶", "长江物流", Status::Active),
            row(4, "陈静悦", "重庆商会", Status::Active),
            row(5, "单蕊", "北辰软件", Status::Active),
        ];
        b.keys.clear();
        b.sort = Sort::Name;
        b.rebuild_view();
        let names: Vec<&str> = b.view.iter().map(|i| b.rows[*i].name.as_str()).collect();
        // 陈 chen, 程 cheng, 单 shan (a surname), 曾 zeng (a surname), 张 zhang.
        assert_eq!(names, ["陈静悦", "程冬晶", "单蕊", "曾宏", "张伟"]);
        b.sort = Sort::Organisation;
        b.keys.clear();
        b.rebuild_view();
        let orgs: Vec<&str> = b
            .view
            .iter()
            .map(|i| b.rows[*i].organisation.as_str())
            .collect();
        // 长江 changjiang and 重庆 chongqing by their usual readings.
        assert_eq!(
            orgs,
            ["爱达公司", "北辰软件", "长江物流", "重庆商会", "中山商会"]
        );
    }

    #[test]
    fn a_growing_filter_narrows_and_backspace_widens_again() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "f南京");
        assert_eq!(s.board.as_ref().unwrap().view, vec![0, 2]);
        keys(&mut s, "恒");
        assert_eq!(s.board.as_ref().unwrap().view, vec![2]);
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.board.as_ref().unwrap().view, vec![0, 2]);
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.board.as_ref().unwrap().view, vec![0, 1, 2]);
        // Matching is case-blind for Latin letters too.
        s.board.as_mut().unwrap().rows[1].organisation = "Gulou Hunan Chamber".into();
        s.board.as_mut().unwrap().keys.clear();
        keys(&mut s, "HUNAN");
        assert_eq!(s.board.as_ref().unwrap().view, vec![1]);
    }

    #[test]
    fn a_reload_that_empties_a_filtered_stage_does_not_crash() {
        let mut s = logged_in(2);
        keys(&mut s, "f张");
        let b = s.board.as_mut().unwrap();
        assert_eq!(b.view, vec![0]);
        // The last matching application moved on: the stage reloads with no rows.
        b.rows.clear();
        b.keys.clear();
        b.rebuild_view();
        assert!(b.view.is_empty());
        assert!(b.current().is_none());
        // And with other rows again.
        b.rows = vec![row(20, "张三", "南京华宇软件有限公司", Status::Active)];
        b.keys.clear();
        b.rebuild_view();
        assert_eq!(b.view, vec![0]);
    }

    #[test]
    fn help_quit_theme_and_language() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "?");
        assert_eq!(s.mode(), Mode::Help);
        keys(&mut s, "q");
        assert!(!s.quit, "q closes help first");
        keys(&mut s, "tL");
        assert_eq!((s.theme, s.lang), (1, Lang::En));
        assert_eq!(keys(&mut s, "q"), vec![Effect::Quit]);
        let mut s = logged_in(1);
        keys(&mut s, "r");
        let fx = handle_key(
            &mut s,
            &km,
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        );
        assert_eq!(fx, vec![Effect::Quit], "Ctrl-C always quits");
    }
}
