//! The app's state and `update`: an action in, the state changed and the effects
//! (database work) out. No terminal, no database here.

pub use super::ctx::{Alert, Message};
pub use super::effect::Effect;
use super::keymap::{Action, Keymap, Mode};
pub use super::screens::list::{Pane, Sort};
use super::screens::overview::Outcome;
pub use super::screens::Screen;
use super::text_input::Edit;
pub use super::widgets::form::{
    step_choice, Confirm, Form, ReasonFor, Step as FormStep, CONFLICT_KINDS, RATINGS,
};
use crate::domain::stage::Stage;
use crate::i18n::Lang;
use crate::service::Clock;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The signed-in part of the app.
#[derive(Debug, Clone, Default)]
pub struct Board {
    pub member: String,
    pub role: Option<crate::domain::Role>,
    pub cycle: String,
    pub cycle_id: i64,
    pub db_name: String,
    pub stage: usize,
    /// What the service allows the member signed in.
    pub allowed: Vec<crate::domain::Deed>,
    /// The stage list.
    pub list: super::screens::list::List,
    pub form: Option<Form>,
    pub member_id: i64,
    /// Stage 5: the screen shown, the score sheet, the board and the results.
    pub screen: Screen,
    /// The acting member's score sheet, the values not saved, when this terminal last
    /// saved.
    pub sheet: super::screens::sheet::Sheet,
    /// The chair's progress board, the results and the ranking.
    pub overview: super::screens::overview::Overview,
    /// The personnel file shown.
    pub files: super::screens::file::Files,
    /// The objection register, the certificates and the allowance roll.
    pub registers: super::screens::registers::Registers,
    /// The rules' criteria: key, name, English name (for the objection form).
    pub criteria: Vec<(String, String, String)>,
}

pub use super::screens::login::{LoginItem, LoginState};

#[derive(Debug, Clone)]
pub struct State {
    pub lang: Lang,
    pub theme: usize,
    pub theme_count: usize,
    pub login: LoginState,
    /// `Some` once logged in.
    pub board: Option<Board>,
    pub help: super::screens::help::Help,
    pub message: Option<Message>,
    /// A failed save, kept until Esc or until what it was about is saved.
    pub alert: Option<Alert>,
    pub quit: bool,
    /// Rows the table shows (set by rendering; used for paging).
    pub page: usize,
    /// The service's clock: the real one in the app, a fixed one in tests.
    pub clock: Clock,
    /// The search popup, over any screen of the board.
    pub search: Option<super::screens::search::SearchPopup>,
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
            help: Default::default(),
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
        if self.help.open {
            Mode::Help
        } else if self.search.is_some() {
            Mode::Search
        } else if let Some(b) = &self.board {
            if b.form.is_some() || b.list.filtering {
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

/// Builds the context a screen's `update` gets from the state and the board.
macro_rules! ctx {
    ($state:expr, $b:expr) => {
        super::screens::Ctx {
            lang: $state.lang,
            clock: $state.clock,
            page: $state.page,
            stage: $b.stage,
            member: &$b.member,
            member_id: $b.member_id,
            role: $b.role,
            criteria: &$b.criteria,
            allowed: &$b.allowed,
            message: &mut $state.message,
            form: &mut $b.form,
            screen: &mut $b.screen,
        }
    };
}

/// Opens the file of the person behind the current row (the list, or the score
/// sheet's candidate).
pub(super) fn open_current_file(state: &mut State) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let person = match (b.screen, b.sheet.app()) {
        (Screen::Panel, Some(app)) => b.list.rows.iter().find(|r| r.id == app),
        _ => b.list.current(),
    }
    .map(|r| r.person_id);
    person.map(Effect::OpenFile).into_iter().collect()
}

/// After a sheet is submitted: the score sheet moves to the next candidate in the list
/// still to score. Returns their name and what loads their sheet.
pub fn score_next(state: &mut State) -> Option<(String, Vec<Effect>)> {
    let b = state.board.as_mut()?;
    let (pos, id) = b.list.next_to_score()?;
    b.list.selected = pos;
    let effects = b.sheet.open(&mut ctx!(state, b), id);
    let name = b.list.current()?.name.clone();
    Some((name, effects))
}

/// Opens the search popup (logged in only).
fn open_search(state: &mut State) -> Vec<Effect> {
    if state.board.is_none() {
        return vec![];
    }
    state.search = Some(Default::default());
    state.message = None;
    vec![Effect::Search(String::new())]
}

fn search_update(state: &mut State, action: Action) -> Vec<Effect> {
    use super::screens::search::Step;
    let Some(s) = state.search.as_mut() else {
        return vec![];
    };
    // While the popup is drawn, the page is the number of matches it shows.
    match s.update(state.page, action) {
        Step::Stay(fx) => fx,
        Step::Close => {
            state.search = None;
            vec![]
        }
        Step::Open(person) => {
            state.search = None;
            vec![Effect::OpenFile(person)]
        }
    }
}

fn file_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    b.files.update(&mut ctx!(state, b), action)
}

fn sheet_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    // The list's keys, on the sheet's candidate.
    if b.sheet.panel.is_some() {
        match action {
            Action::Conflict => {
                if let Some((app, name)) = b.list.current().map(|r| (r.id, r.name.clone())) {
                    let members = &state.login.members;
                    super::screens::list::conflict_form(&mut ctx!(state, b), members, app, &name);
                }
                return vec![];
            }
            Action::PersonFile => return open_current_file(state),
            _ => {}
        }
    }
    let (rows, view) = (&b.list.rows, &b.list.view);
    let at = |pos: usize| view.get(pos).map(|i| rows[*i].id);
    let (fx, moved) = b
        .sheet
        .update(&mut ctx!(state, b), b.list.selected, at, action);
    if let Some(pos) = moved {
        b.list.selected = pos;
    }
    fx
}

fn overview_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let (rows, view) = (&b.list.rows, &b.list.view);
    let in_list = |app: i64| view.iter().position(|i| rows[*i].id == app);
    let mut ctx = ctx!(state, b);
    match b
        .overview
        .update(&mut ctx, b.list.session.as_ref(), in_list, action)
    {
        Outcome::Effects(fx) => fx,
        // The candidate's score sheet, with the list's cursor on them.
        Outcome::Score { pos, app } => {
            b.list.selected = pos;
            b.sheet.open(&mut ctx, app)
        }
    }
}

/// A character typed on the score sheet (`None`: Backspace).
fn sheet_typed(state: &mut State, c: Option<char>) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    b.sheet.type_value(&mut ctx!(state, b), c)
}

fn registers_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let rows = &b.list.rows;
    let held = |app: i64| rows.iter().find(|r| r.id == app).and_then(|r| r.current);
    b.registers.update(&mut ctx!(state, b), held, action)
}

/// Gives a screen the result of an effect the runtime ran.
pub fn on_event(state: &mut State, event: super::effect::Event) {
    use super::effect::Event;
    let Some(b) = state.board.as_mut() else {
        return;
    };
    match event {
        Event::List(data) => {
            if data.progress.is_some() {
                b.overview.progress = data.progress.clone();
            }
            b.list.loaded(*data)
        }
        Event::Detail(detail) => b.list.detail_loaded(*detail),
        Event::Registers(data) => b.registers.loaded(data, b.screen),
        Event::Sheet { app, sheet } => b.sheet.loaded(app, sheet),
        Event::SheetRefused(app) => b.sheet.refused(&mut ctx!(state, b), app),
        Event::Saved { at, sheet } => b.sheet.saved(state.lang, &mut state.alert, at, sheet),
        Event::Overview(data) => {
            // The stage list shows the scoring session too.
            b.list.session = Some(data.session.clone());
            b.overview.loaded(data, b.screen)
        }
        Event::SaveFailed(failure) => {
            b.sheet
                .save_failed(&mut ctx!(state, b), &mut state.alert, failure)
        }
        Event::File(file) => b.files.opened(&mut ctx!(state, b), *file),
        Event::Revealed { person, revealed } => {
            b.files.revealed(&mut ctx!(state, b), person, revealed)
        }
        Event::ContactRevealed { objection, contact } => {
            let mut ctx = ctx!(state, b);
            b.registers.contact_revealed(&mut ctx, objection, contact)
        }
    }
}

/// What reloads the screen shown after a write or another terminal's change (the
/// stage list reloads itself).
pub fn reload_effect(state: &State) -> Option<Effect> {
    let b = state.board.as_ref()?;
    match b.screen {
        Screen::Objections | Screen::Certificates | Screen::Allowance => {
            Some(b.registers.load_effect(b.screen))
        }
        Screen::File => b.files.load_effect(),
        Screen::Panel => b.sheet.load_effect(),
        Screen::Progress | Screen::Results | Screen::Ranking => Some(b.overview.load_effect()),
        _ => None,
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
            state.login.type_char(c);
            vec![]
        }
        (Mode::Input, KeyCode::Char(c)) if typing => type_char(state, c),
        (Mode::Search, KeyCode::Char(c)) if typing => state
            .search
            .as_mut()
            .map(|s| s.type_char(c))
            .unwrap_or_default(),
        (Mode::Panel, KeyCode::Char(c)) if typing => sheet_typed(state, Some(c)),
        (Mode::Panel, KeyCode::Backspace) => sheet_typed(state, None),
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

/// A character typed: into the list filter, or into the form.
fn type_char(state: &mut State, c: char) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    if b.list.filtering && b.form.is_none() {
        return b.list.type_filter(c);
    }
    match b.form.as_mut().map(|f| f.type_char(c)) {
        Some(step) => form_step(b, &mut state.message, step),
        None => vec![],
    }
}

/// What the form said it did: closes it, does its effect, or says what is wrong.
fn form_step(b: &mut Board, message: &mut Option<Message>, step: FormStep) -> Vec<Effect> {
    match step {
        FormStep::Stay => vec![],
        FormStep::Close => {
            b.form = None;
            vec![]
        }
        FormStep::Done(effect) => {
            b.form = None;
            vec![effect]
        }
        FormStep::Refused(text) => {
            *message = Some(Message::Error(text));
            vec![]
        }
    }
}

/// A cursor move or deletion in the list filter or the form's field.
fn edit_input(b: &mut Board, edit: Edit) -> Vec<Effect> {
    if b.list.filtering && b.form.is_none() {
        return b.list.edit_filter(edit);
    }
    if let Some(form) = b.form.as_mut() {
        form.edit(edit);
    }
    vec![]
}

fn go_to_stage(state: &mut State, stage: usize) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    if !(1..=6).contains(&stage) {
        return vec![];
    }
    b.stage = stage;
    b.list.go_to_stage();
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
    if action == Action::Back && !state.help.open && state.alert.take().is_some() {
        state.message = None;
        return vec![];
    }
    if action == Action::Search && state.board.is_some() {
        return open_search(state);
    }
    match state.mode() {
        Mode::Help => {
            state.help.update(keymap, state.page, action);
            vec![]
        }
        Mode::Search => search_update(state, action),
        Mode::Login => login_update(state, action),
        Mode::Input => input_update(state, action),
        Mode::Table => table_update(state, keymap, action),
        Mode::Panel => sheet_update(state, action),
        Mode::Overview => overview_update(state, action),
        Mode::File => file_update(state, action),
        Mode::Objections | Mode::Certificates => registers_update(state, action),
    }
}

fn login_update(state: &mut State, action: Action) -> Vec<Effect> {
    let lang = state.lang;
    state.login.update(lang, action)
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
    if b.list.filtering && b.form.is_none() {
        return b.list.filter_key(action);
    }
    match b.form.as_mut().map(|f| f.update(action, lang, today)) {
        Some(step) => form_step(b, &mut state.message, step),
        None => vec![],
    }
}

/// Help and quit, the same on every screen of the board.
pub(super) fn help_or_quit(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    match action {
        Action::Help => {
            state.help.show();
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
    use super::screens::list::Outcome as Asked;
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
        _ => {}
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let members = &state.login.members;
    let mut ctx = ctx!(state, b);
    match b.list.update(&mut ctx, keymap, members, action) {
        Asked::Effects(fx) => fx,
        Asked::Sheet(app) => b.sheet.open(&mut ctx, app),
        Asked::Overview(screen) => b.overview.open(&mut ctx, screen),
        Asked::Scoring => b.overview.scoring(&mut ctx, b.list.session.as_ref()),
        Asked::Registers(screen) => b.registers.open(&mut ctx, screen),
        Asked::PersonFile => open_current_file(state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stage::Transition;
    use crate::service::board::AppRow;
    use crate::tui::widgets::fields::{Fields, Purpose};

    /// The form of fields open on the board.
    fn open_fields(s: &State) -> Fields {
        match &s.board.as_ref().unwrap().form {
            Some(Form::Fields(f)) => (**f).clone(),
            other => panic!("no form of fields: {other:?}"),
        }
    }
    use crate::domain::stage::Status;
    use crate::domain::Role;
    use crate::service::applications::Rating;

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
            ..Board::default()
        };
        b.list.rows = vec![
            row(10, "张伟", "南京华宇软件有限公司", Status::Active),
            row(11, "李娜", "鼓楼区湖南商会", Status::Active),
            row(12, "王强", "南京恒信物流有限公司", Status::Rejected),
        ];
        b.list.rebuild_view();
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
        assert_eq!(s.board.as_ref().unwrap().list.selected, 2);
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
            open_fields(&s).purpose,
            Purpose::Reason {
                what: ReasonFor::Reject,
                ..
            }
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
        let f = open_fields(&s);
        assert!(matches!(f.purpose, Purpose::Score { .. }));
        assert_eq!(f.fields[0].text, "101");
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
            open_fields(&s).purpose,
            Purpose::Reason {
                what: ReasonFor::Fail,
                ..
            }
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
        let reason = |s: &State| {
            let text = open_fields(s).fields[0].text.clone();
            format!("{}|{}", text.before(), text.after())
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
        // The visit's fields: date, visitors, findings, rating.
        let at_and_rating = |s: &State| {
            let f = open_fields(s);
            assert!(matches!(f.purpose, Purpose::Visit { .. }));
            (f.at, f.fields[3].choice)
        };
        let f = open_fields(&s);
        assert_eq!(
            (f.fields[1].text.as_str(), f.fields[3].choice),
            ("陈静怡、刘志强", 0)
        );
        // On the rating, → picks the next option and ← the one before, going round.
        handle_key(&mut s, &km, code(KeyCode::BackTab));
        handle_key(&mut s, &km, code(KeyCode::BackTab));
        assert_eq!(at_and_rating(&s).0, 3);
        handle_key(&mut s, &km, code(KeyCode::Right));
        handle_key(&mut s, &km, code(KeyCode::Right));
        assert_eq!(at_and_rating(&s).1, 2);
        handle_key(&mut s, &km, code(KeyCode::Left));
        assert_eq!(at_and_rating(&s).1, 1);
        handle_key(&mut s, &km, code(KeyCode::Right));
        assert_eq!(at_and_rating(&s).1, 2);
        // Backspace and Delete do nothing there.
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        handle_key(&mut s, &km, code(KeyCode::Delete));
        assert_eq!(at_and_rating(&s).1, 2);
        assert_eq!(s.mode(), Mode::Input);
    }

    #[test]
    fn the_list_filter_and_the_login_filter_edit_at_the_cursor() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "f南京恒信流");
        assert!(s.board.as_ref().unwrap().list.view.is_empty());
        handle_key(&mut s, &km, code(KeyCode::Left));
        let fx = keys(&mut s, "物");
        let b = s.board.as_ref().unwrap();
        assert_eq!(
            (b.list.filter.as_str(), b.list.view.clone()),
            ("南京恒信物流", vec![2])
        );
        assert_eq!(fx, vec![Effect::LoadDetail(12)]);
        assert!(
            handle_key(&mut s, &km, code(KeyCode::Home)).is_empty(),
            "a move changes nothing"
        );
        handle_key(&mut s, &km, code(KeyCode::Delete));
        handle_key(&mut s, &km, code(KeyCode::Delete));
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![2]);
        assert_eq!(s.board.as_ref().unwrap().list.filter, "恒信物流");

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
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![1]);
        handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(s.mode(), Mode::Table);
        assert_eq!(
            s.board.as_ref().unwrap().list.current().unwrap().name,
            "李娜"
        );
        keys(&mut s, "f");
        handle_key(&mut s, &km, code(KeyCode::Esc));
        assert_eq!(s.board.as_ref().unwrap().list.view.len(), 3);
        keys(&mut s, "s");
        assert_eq!(s.board.as_ref().unwrap().list.sort, Sort::Name);
        assert_eq!(
            s.board.as_ref().unwrap().list.current().unwrap().name,
            "李娜"
        );
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
        assert_eq!(open_fields(&s).fields[0].text.as_str(), "第X一行\n二");
        // On the first line, ↑ has nowhere to go: the form stays as it was.
        handle_key(&mut s, &km, code(KeyCode::Up));
        assert!(s.board.as_ref().unwrap().form.is_some());
    }

    #[test]
    fn a_step_the_stage_rules_refuse_opens_no_form() {
        let mut s = logged_in(1);
        let b = s.board.as_mut().unwrap();
        b.list.rows = vec![row(
            1,
            "朴阳轩",
            "南京卓越电子商务股份有限公司",
            Status::Returned,
        )];
        b.list.keys.clear();
        b.list.rebuild_view();
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
        b.list.rows = vec![
            row(1, "张伟", "中山商会", Status::Active),
            row(2, "曾宏", "爱达公司", Status::Active),
            row(3, "程冬晶", "长江物流", Status::Active),
            row(4, "陈静悦", "重庆商会", Status::Active),
            row(5, "单蕊", "北辰软件", Status::Active),
        ];
        b.list.keys.clear();
        b.list.sort = Sort::Name;
        b.list.rebuild_view();
        let names: Vec<&str> = b
            .list
            .view
            .iter()
            .map(|i| b.list.rows[*i].name.as_str())
            .collect();
        // 陈 chen, 程 cheng, 单 shan (a surname), 曾 zeng (a surname), 张 zhang.
        assert_eq!(names, ["陈静悦", "程冬晶", "单蕊", "曾宏", "张伟"]);
        b.list.sort = Sort::Organisation;
        b.list.keys.clear();
        b.list.rebuild_view();
        let orgs: Vec<&str> = b
            .list
            .view
            .iter()
            .map(|i| b.list.rows[*i].organisation.as_str())
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
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![0, 2]);
        keys(&mut s, "恒");
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![2]);
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![0, 2]);
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![0, 1, 2]);
        // Matching is case-blind for Latin letters too.
        s.board.as_mut().unwrap().list.rows[1].organisation = "Gulou Hunan Chamber".into();
        s.board.as_mut().unwrap().list.keys.clear();
        keys(&mut s, "HUNAN");
        assert_eq!(s.board.as_ref().unwrap().list.view, vec![1]);
    }

    #[test]
    fn a_reload_that_empties_a_filtered_stage_does_not_crash() {
        let mut s = logged_in(2);
        keys(&mut s, "f张");
        let b = s.board.as_mut().unwrap();
        assert_eq!(b.list.view, vec![0]);
        // The last matching application moved on: the stage reloads with no rows.
        b.list.rows.clear();
        b.list.keys.clear();
        b.list.rebuild_view();
        assert!(b.list.view.is_empty());
        assert!(b.list.current().is_none());
        // And with other rows again.
        b.list.rows = vec![row(20, "张三", "南京华宇软件有限公司", Status::Active)];
        b.list.keys.clear();
        b.list.rebuild_view();
        assert_eq!(b.list.view, vec![0]);
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

    #[test]
    fn a_typo_in_the_query_is_fixed_where_it_is() {
        use crate::tui::keymap::Keymap;
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let km = Keymap::builtin();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let mut s = State::new(Lang::Zh, 3, vec![], Clock::on(today, 10, 0, 0));
        s.board = Some(Board::default());
        s.search = Some(Default::default());
        let press = |s: &mut State, code: KeyCode, mods: KeyModifiers| {
            handle_key(s, &km, KeyEvent::new(code, mods))
        };
        let mut fx = vec![];
        for c in "等级:高及 zhang".chars() {
            fx = press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
        }
        assert_eq!(fx, [Effect::Search("等级:高及 zhang".into())]);
        // Moves search for nothing.
        assert!(press(&mut s, KeyCode::Home, KeyModifiers::NONE).is_empty());
        for _ in 0..4 {
            assert!(press(&mut s, KeyCode::Right, KeyModifiers::NONE).is_empty());
        }
        assert_eq!(
            press(&mut s, KeyCode::Delete, KeyModifiers::NONE),
            [Effect::Search("等级:高 zhang".into())]
        );
        assert_eq!(
            press(&mut s, KeyCode::Char('级'), KeyModifiers::NONE),
            [Effect::Search("等级:高级 zhang".into())]
        );
        // Ctrl-W takes the word before the cursor, not the last one.
        assert_eq!(
            press(&mut s, KeyCode::Char('w'), KeyModifiers::CONTROL),
            [Effect::Search(" zhang".into())]
        );
        press(&mut s, KeyCode::Char('e'), KeyModifiers::CONTROL);
        assert_eq!(
            press(&mut s, KeyCode::Backspace, KeyModifiers::NONE),
            [Effect::Search(" zhan".into())]
        );
        assert_eq!(
            press(&mut s, KeyCode::Char('l'), KeyModifiers::CONTROL),
            [Effect::Search(String::new())]
        );
        assert!(s.search.is_some(), "still open");
    }
}
