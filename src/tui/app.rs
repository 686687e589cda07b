//! The app: the state all screens share and every screen's own; an action in, the
//! state changed and the effects (database work) out. No terminal, no database here.
//! Keys go to what is on top (help, search, a form, the filter) and otherwise to the
//! screen shown; what the runtime did comes back as events to the screens.

pub use super::ctx::{Alert, Message};
pub use super::effect::Effect;
use super::keymap::{Action, Keymap, Mode};
pub use super::screens::list::{Pane, Sort};
pub use super::screens::login::{LoginItem, LoginState};
use super::screens::Event;
pub use super::screens::{Ctx, Screen, Screens, View};
pub use super::session::Session;
pub use super::state::State;
use super::text_input::Edit;
pub use super::widgets::form::{
    step_choice, Confirm, Form, ReasonFor, Step as FormStep, CONFLICT_KINDS, RATINGS,
};
use crate::domain::Stage;
use crate::i18n::Lang;
use crate::service::Clock;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The whole app: what the screens share, and each screen's own state.
#[derive(Debug, Clone)]
pub struct App {
    pub state: State,
    pub screens: Screens,
}

/// Builds the context a screen's `update` gets from the state.
macro_rules! ctx {
    ($state:expr, $session:expr) => {
        Ctx {
            lang: $state.lang,
            clock: $state.clock,
            page: $state.page,
            stage: $state.stage,
            session: $session,
            message: &mut $state.message,
            alert: &mut $state.alert,
            form: &mut $state.form,
            screen: &mut $state.screen,
        }
    };
}

impl App {
    pub fn new(lang: Lang, theme_count: usize, members: Vec<LoginItem>, clock: Clock) -> App {
        let mut screens = Screens::default();
        screens.login.members = members;
        App {
            state: State::new(lang, theme_count, clock),
            screens,
        }
    }

    /// The keymap mode the app is in.
    pub fn mode(&self) -> Mode {
        let (s, screens) = (&self.state, &self.screens);
        if screens.help.open && screens.help.filtering {
            Mode::Input
        } else if screens.help.open {
            Mode::Help
        } else if screens.search.is_some() {
            Mode::Search
        } else if s.session.is_none() {
            Mode::Login
        } else if s.form.is_some() || screens.list.filtering {
            Mode::Input
        } else {
            s.screen.mode()
        }
    }

    /// Signs in: the session starts on the first stage's list.
    pub fn signed_in(&mut self, session: Session, allowance_year: i32) {
        self.state.session = Some(session);
        self.state.stage = Stage::Declaration;
        self.state.screen = Screen::List;
        self.screens.registers = super::screens::registers::Registers::new(allowance_year);
    }

    /// Gives the screens the result of an effect the runtime ran.
    pub fn on_event(&mut self, event: Event) {
        let App { state, screens } = self;
        if let Event::Done { done, subject } = &event {
            let lang = state.lang;
            let mut text = done.text_about(lang, subject.as_ref().map(|s| s.1.as_str()));
            // The row acted on left the list: the cursor is on another, said so.
            let left = subject
                .as_ref()
                .is_some_and(|(app, _)| !screens.list.ids().contains(app));
            if let Some(next) = screens
                .list
                .current()
                .filter(|_| left && state.screen == Screen::List)
            {
                text.push_str(&match lang {
                    Lang::Zh => format!("；光标现在在 {}", next.name),
                    Lang::En => format!("; the cursor is now on {}", next.name),
                });
            }
            state.message = Some(Message::Info(text));
            return;
        }
        let Some(session) = state.session.as_ref() else {
            return;
        };
        screens.on_event(&mut ctx!(state, session), event);
    }

    /// Whether something typed would be lost on quitting: a form typed in, or a
    /// value typed on the score sheet and not yet saved.
    pub fn unsaved_input(&self) -> bool {
        let form = self.state.form.as_ref().is_some_and(Form::is_dirty);
        let sheet = self
            .screens
            .sheet
            .panel
            .as_ref()
            .is_some_and(|p| !p.typed.is_empty());
        form || sheet
    }

    /// The candidate the open form is about and how their application stood in the
    /// list (`None` inside: not in it), to tell after a reload whether it changed.
    pub fn form_subject(&self) -> Option<(i64, Option<crate::domain::stage::Status>)> {
        let app = self.state.form.as_ref()?.as_fields()?.app()?;
        let row = self.screens.list.rows.iter().find(|r| r.id == app);
        Some((app, row.map(|r| r.status)))
    }

    /// The row under the list's cursor (id, name), to tell after another terminal's
    /// change whether it left the list.
    pub fn list_subject(&self) -> Option<(i64, String)> {
        let r = self.screens.list.current()?;
        Some((r.id, r.name.clone()))
    }

    /// After another terminal's change: when the row the cursor was on left the
    /// stage's list, the status line says so and where the cursor is now.
    pub fn check_list_subject(&mut self, before: Option<(i64, String)>) {
        let Some((app, name)) = before else {
            return;
        };
        if self.state.screen != Screen::List || self.screens.list.ids().contains(&app) {
            return;
        }
        let lang = self.state.lang;
        let mut text = match lang {
            Lang::Zh => format!("{name} 已在其他终端办理，已离开本环节"),
            Lang::En => format!("{name} was dealt with in another terminal and left this stage"),
        };
        if let Some(r) = self.screens.list.current() {
            text.push_str(&match lang {
                Lang::Zh => format!("；光标现在在 {}", r.name),
                Lang::En => format!("; the cursor is now on {}", r.name),
            });
        }
        self.state.message = Some(Message::Info(text));
    }

    /// After another terminal's change: when the candidate of the open form moved on
    /// or changed status, the form says so before it is saved.
    pub fn check_form_subject(
        &mut self,
        before: Option<(i64, Option<crate::domain::stage::Status>)>,
    ) {
        let Some((app, was)) = before else {
            return;
        };
        let now = self.form_subject().filter(|s| s.0 == app).map(|s| s.1);
        let Some(now) = now else {
            return;
        };
        if now == was {
            return;
        }
        let lang = self.state.lang;
        let name = self
            .state
            .form
            .as_ref()
            .and_then(|f| f.as_fields())
            .map(|f| f.title.rsplit(" · ").next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let text = match (lang, now) {
            (Lang::Zh, Some(s)) => {
                format!("{name} 已在其他终端办理，现为「{}」：保存前请核对", s.zh())
            }
            (Lang::En, Some(s)) => format!(
                "{name} was dealt with in another terminal and is now {}: check before saving",
                lang.status(s)
            ),
            (Lang::Zh, None) => format!("{name} 已在其他终端办理，已不在本环节：保存前请核对"),
            (Lang::En, None) => format!(
                "{name} was dealt with in another terminal and left this stage: check before saving"
            ),
        };
        if let Some(form) = self.state.form.as_mut() {
            form.warn(text.clone());
        }
        self.state.message = Some(Message::Error(text));
    }

    /// What reloads the screen shown after a write or another terminal's change (the
    /// stage list reloads itself).
    pub fn reload_effect(&self) -> Option<Effect> {
        self.state.session.as_ref()?;
        self.screens.reload_effect(self.state.screen)
    }

    /// The meeting under way as read (`None`: none): returns where following it takes
    /// the app, and says on the status line what the chair changed.
    pub fn meeting_loaded(
        &mut self,
        meeting: Option<crate::service::meeting::Meeting>,
    ) -> Option<super::screens::meeting::Follow> {
        use super::screens::meeting::Follow;
        let App { state, screens } = self;
        let session = state.session.as_ref()?;
        let key = |m: &super::screens::meeting::MeetingScreen| {
            m.data
                .as_ref()
                .map(|d| (d.current_row().map(|r| r.app_id), d.phase))
        };
        let before = key(&screens.meeting);
        let follow = screens.meeting.loaded(
            meeting,
            state.clock.now(),
            session.role,
            session.may(crate::domain::Deed::Score),
        );
        let after = key(&screens.meeting);
        let leads = session.may(crate::domain::Deed::RunMeeting);
        let lang = state.lang;
        if before.is_some() && after.is_none() {
            state.message = Some(Message::Info(
                lang.pick("评审会已结束", "The review meeting has ended")
                    .into(),
            ));
        } else if !leads && before != after {
            let moved = before.map(|b| b.0) != after.map(|a| a.0);
            let text = if moved {
                screens.meeting.follow_message(lang)
            } else {
                screens.meeting.phase_message(lang)
            };
            if let Some(text) = text {
                state.message = Some(Message::Info(text));
            }
        }
        if follow == Some(Follow::Here) {
            state.form = None;
            state.screen = Screen::Meeting;
        }
        follow
    }

    /// Opens a candidate's score sheet with the stage list's cursor on them.
    pub fn open_sheet(&mut self, app: i64) -> Vec<Effect> {
        let App { state, screens } = self;
        let Some(session) = state.session.as_ref() else {
            return vec![];
        };
        if let Some(pos) = screens
            .list
            .view
            .iter()
            .position(|i| screens.list.rows[*i].id == app)
        {
            screens.list.cursor.at = pos;
        }
        screens.sheet.open(&mut ctx!(state, session), app)
    }

    /// After a sheet is submitted: the score sheet moves to the next candidate in the
    /// list still to score. Returns their name and what loads their sheet.
    pub fn score_next(&mut self) -> Option<(String, Vec<Effect>)> {
        let App { state, screens } = self;
        let session = state.session.as_ref()?;
        screens.score_next(&mut ctx!(state, session))
    }
}

/// Maps a key to an action in the app's mode and applies it. Typed characters go to
/// the field being edited.
pub fn handle_key(app: &mut App, keymap: &Keymap, key: KeyEvent) -> Vec<Effect> {
    let effects = key_effects(app, keymap, key);
    looked_elsewhere(app);
    effects
}

/// A member following the meeting who went to another screen or candidate by a key
/// stops following (until `M`).
fn looked_elsewhere(app: &mut App) {
    let App { state, screens } = app;
    let m = &mut screens.meeting;
    let Some(current) = m
        .data
        .as_ref()
        .and_then(|d| d.current_row())
        .map(|r| r.app_id)
    else {
        return;
    };
    if !m.following || m.leads {
        return;
    }
    let there = match state.screen {
        Screen::Meeting => true,
        Screen::Panel => screens.sheet.app() == Some(current),
        _ => false,
    };
    if !there && screens.search.is_none() && !screens.help.open {
        m.following = false;
    }
}

fn key_effects(app: &mut App, keymap: &Keymap, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        // With input not saved, Ctrl-C asks first; asked, a second one quits.
        if app.unsaved_input() && !matches!(app.state.form, Some(Form::Quit(_))) {
            let over = app.state.form.take().map(Box::new);
            app.state.form = Some(Form::Quit(over));
            return vec![];
        }
        app.state.quit = true;
        return vec![Effect::Quit];
    }
    let mode = app.mode();
    let stage = app.state.stage().map(Stage::number);
    if let Some(action) = keymap.action(mode, key, stage) {
        // Number keys carry the stage.
        if action == Action::Stage {
            if let KeyCode::Char(c) = key.code {
                return go_to_stage(app, c.to_digit(10).unwrap_or(1) as usize);
            }
        }
        return update(app, keymap, action);
    }
    // Unbound keys type text where text is being entered (at the cursor; the keymap
    // moves it and deletes).
    let typing = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT) == KeyModifiers::NONE;
    match (mode, key.code) {
        (Mode::Login, KeyCode::Char(c)) if typing => {
            app.screens.login.type_char(c);
            vec![]
        }
        (Mode::Input, KeyCode::Char(c)) if typing => type_char(app, c),
        (Mode::Search, KeyCode::Char(c)) if typing => app
            .screens
            .search
            .as_mut()
            .map(|s| s.type_char(c))
            .unwrap_or_default(),
        (Mode::Panel, KeyCode::Char(c)) if typing => sheet_typed(app, Some(c)),
        (Mode::Panel, KeyCode::Backspace) => sheet_typed(app, None),
        (Mode::Table | Mode::Overview, _) => {
            let state = &mut app.state;
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

/// A text pasted (the terminal's bracketed paste): all of it at once into the field
/// being typed in, and never run as keys. Where nothing is being typed, nothing
/// happens and the status line says so.
pub fn handle_paste(app: &mut App, text: &str) -> Vec<Effect> {
    let lang = app.state.lang;
    match app.mode() {
        Mode::Login => {
            app.screens.login.paste(text);
            vec![]
        }
        Mode::Search => app
            .screens
            .search
            .as_mut()
            .map(|s| s.paste(text))
            .unwrap_or_default(),
        Mode::Input if app.screens.help.open => {
            app.screens.help.paste(text);
            vec![]
        }
        Mode::Input if app.screens.list.filtering && app.state.form.is_none() => {
            app.screens.list.paste_filter(text)
        }
        Mode::Input => {
            let state = &mut app.state;
            match state.form.as_mut().map(|f| f.paste(text, lang)) {
                Some(step) => form_step(state, step),
                None => vec![],
            }
        }
        Mode::Panel => {
            let App { state, screens } = app;
            let Some(session) = state.session.as_ref() else {
                return vec![];
            };
            screens.sheet.paste_value(&mut ctx!(state, session), text)
        }
        _ => {
            app.state.message = Some(Message::Error(
                lang.pick(
                    "粘贴的内容没有使用：这里没有输入框，粘贴不会当作按键执行",
                    "The pasted text was not used: there is no text field here, and a paste never runs as keys",
                )
                .into(),
            ));
            vec![]
        }
    }
}

/// The mouse, on a terminal of `size` (columns, rows): the wheel scrolls as ↓ and ↑
/// do wherever they move; a click on a row of the stage list selects it, as moving
/// the cursor there does.
pub fn handle_mouse(
    app: &mut App,
    keymap: &Keymap,
    mouse: crossterm::event::MouseEvent,
    size: (u16, u16),
) -> Vec<Effect> {
    use crossterm::event::{MouseButton, MouseEventKind};
    match mouse.kind {
        MouseEventKind::ScrollDown => update(app, keymap, Action::Down),
        MouseEventKind::ScrollUp => update(app, keymap, Action::Up),
        MouseEventKind::Down(MouseButton::Left) if app.mode() == Mode::Table => {
            let Some(row) = list_row_at(app, mouse.column, mouse.row, size) else {
                return vec![];
            };
            app.state.message = None;
            app.screens.list.click(row, app.state.page)
        }
        _ => vec![],
    }
}

/// The row of the stage list drawn at a cell of the screen, if one is (the layout
/// of `render`: the header's two lines, the table's border and its head line).
fn list_row_at(app: &App, x: u16, y: u16, (w, h): (u16, u16)) -> Option<usize> {
    use super::state::{MIN_HEIGHT, MIN_WIDTH};
    if w < MIN_WIDTH || h < MIN_HEIGHT || app.state.screen != Screen::List {
        return None;
    }
    let body = h.saturating_sub(4);
    // Beside the details on a wide terminal, above them otherwise.
    let (table_w, table_h) = if w >= 110 {
        (w * 60 / 100, body)
    } else {
        (w, body * 55 / 100)
    };
    let top = 2 + 1 + 1;
    if x == 0 || x + 1 >= table_w || y < top || y + 1 >= 2 + table_h {
        return None;
    }
    Some(usize::from(y - top) + app.screens.list.cursor.offset)
}

/// A character typed on the score sheet (`None`: Backspace).
fn sheet_typed(app: &mut App, c: Option<char>) -> Vec<Effect> {
    let App { state, screens } = app;
    let Some(session) = state.session.as_ref() else {
        return vec![];
    };
    screens.sheet_typed(&mut ctx!(state, session), c)
}

/// A character typed: into the list filter, or into the form.
fn type_char(app: &mut App, c: char) -> Vec<Effect> {
    let App { state, screens } = app;
    if screens.help.open {
        screens.help.type_char(c);
        return vec![];
    }
    if screens.list.filtering && state.form.is_none() {
        return screens.list.type_filter(c);
    }
    let lang = state.lang;
    match state.form.as_mut().map(|f| f.type_char(c, lang)) {
        Some(step) => form_step(state, step),
        None => vec![],
    }
}

/// What the form said it did: closes it, does its effect, or says what is wrong.
fn form_step(state: &mut State, step: FormStep) -> Vec<Effect> {
    match step {
        FormStep::Stay => vec![],
        FormStep::Close => {
            state.form = None;
            vec![]
        }
        FormStep::Done(Effect::Quit) => {
            state.quit = true;
            vec![Effect::Quit]
        }
        FormStep::Done(effect) => {
            // Kept until the write is done: a refusal gives it back as it was.
            state.submitted = state.form.take().filter(|f| f.as_fields().is_some());
            vec![effect]
        }
        FormStep::Refused(text) => {
            state.message = Some(Message::Error(text));
            vec![]
        }
    }
}

fn go_to_stage(app: &mut App, stage: usize) -> Vec<Effect> {
    let Some(&stage) = Stage::SIX.get(stage.wrapping_sub(1)) else {
        return vec![];
    };
    if app.state.session.is_none() {
        return vec![];
    }
    app.state.stage = stage;
    app.screens.list.go_to_stage();
    app.state.message = None;
    vec![Effect::Reload]
}

/// Applies an action.
pub fn update(app: &mut App, keymap: &Keymap, action: Action) -> Vec<Effect> {
    let state = &mut app.state;
    // Editing a text leaves the message, as typing does.
    if action != Action::Back && Edit::of(action).is_none() {
        state.message = None;
    }
    // Esc first dismisses the message of a failed save, which stays until it is read.
    if action == Action::Back && !app.screens.help.open && state.alert.take().is_some() {
        state.message = None;
        return vec![];
    }
    if action == Action::Search && state.session.is_some() {
        return open_search(app);
    }
    match app.mode() {
        Mode::Help => {
            let page = app.state.page;
            app.screens.help.update(keymap, page, action);
            vec![]
        }
        Mode::Search => search_update(app, action),
        Mode::Login => {
            let lang = app.state.lang;
            app.screens.login.update(lang, action)
        }
        Mode::Input => input_update(app, action),
        _ => board_update(app, keymap, action),
    }
}

/// Opens the search popup (logged in only).
fn open_search(app: &mut App) -> Vec<Effect> {
    app.screens.search = Some(Default::default());
    app.state.message = None;
    vec![Effect::Search(String::new())]
}

fn search_update(app: &mut App, action: Action) -> Vec<Effect> {
    use super::screens::search::Step;
    let Some(s) = app.screens.search.as_mut() else {
        return vec![];
    };
    // While the popup is drawn, the page is the number of matches it shows.
    match s.update(app.state.page, action) {
        Step::Stay(fx) => fx,
        Step::Close => {
            app.screens.search = None;
            vec![]
        }
        Step::Open(person) => {
            app.screens.search = None;
            vec![Effect::OpenFile(person)]
        }
    }
}

fn input_update(app: &mut App, action: Action) -> Vec<Effect> {
    let App { state, screens } = app;
    let (lang, today) = (state.lang, state.today());
    if screens.help.open {
        screens.help.filter_key(action);
        return vec![];
    }
    if let Some(edit) = Edit::of(action) {
        if screens.list.filtering && state.form.is_none() {
            return screens.list.edit_filter(edit);
        }
        if let Some(form) = state.form.as_mut() {
            form.edit(edit);
        }
        return vec![];
    }
    if screens.list.filtering && state.form.is_none() {
        return screens.list.filter_key(action);
    }
    match state.form.as_mut().map(|f| f.update(action, lang, today)) {
        Some(step) => form_step(state, step),
        None => vec![],
    }
}

/// Keys of the screens of the board: help and quit everywhere, theme and language on
/// the list, and the rest to the screen shown.
fn board_update(app: &mut App, keymap: &Keymap, action: Action) -> Vec<Effect> {
    let App { state, screens } = app;
    match action {
        Action::Help => {
            screens.help.show(state.screen.mode());
            return vec![];
        }
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Action::Theme if state.screen == Screen::List => {
            state.theme = (state.theme + 1) % state.theme_count;
            return vec![];
        }
        Action::Lang if state.screen == Screen::List => {
            state.lang = state.lang.other();
            return vec![];
        }
        _ => {}
    }
    let Some(session) = state.session.as_ref() else {
        return vec![];
    };
    // What the service does not allow the member is refused here, before any screen
    // opens a form or a board for it, in the words of the service's refusal.
    let deed = action.deed(state.screen.mode(), state.stage.number());
    if let (Some(deed), Some(role)) = (deed.filter(|d| !session.may(*d)), session.role) {
        let refusal = crate::service::ServiceError::Forbidden { role, deed };
        state.message = Some(Message::Error(match state.lang {
            Lang::Zh => refusal.zh(),
            Lang::En => refusal.en(),
        }));
        return vec![];
    }
    screens.update(&mut ctx!(state, session), keymap, action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stage::Transition;
    use crate::service::board::AppRow;
    use crate::tui::widgets::fields::{Fields, Purpose};
    use chrono::NaiveDate;

    /// The form of fields open on the board.
    fn open_fields(s: &App) -> Fields {
        match &s.state.form {
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
    fn logged_in(stage: usize) -> App {
        let mut s = App::new(
            Lang::Zh,
            3,
            members(),
            Clock::on(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), 10, 0, 0),
        );
        s.state.session = Some(Session::default());
        s.state.stage = Stage::SIX[stage - 1];
        let list = &mut s.screens.list;
        list.rows = vec![
            row(10, "张伟", "南京华宇软件有限公司", Status::Active),
            row(11, "李娜", "鼓楼区湖南商会", Status::Active),
            row(12, "王强", "南京恒信物流有限公司", Status::Rejected),
        ];
        list.rebuild_view();
        s
    }
    fn keys(s: &mut App, text: &str) -> Vec<Effect> {
        let km = Keymap::builtin();
        text.chars()
            .flat_map(|c| handle_key(s, &km, key(c)))
            .collect()
    }

    #[test]
    fn login_filters_chooses_and_sends_the_pin() {
        let km = Keymap::builtin();
        let mut s = App::new(
            Lang::Zh,
            3,
            members(),
            Clock::on(NaiveDate::default(), 10, 0, 0),
        );
        keys(&mut s, "sec");
        assert_eq!(
            s.screens.login.visible(),
            vec![2],
            "fuzzy match on the role: secretary"
        );
        handle_key(&mut s, &km, code(KeyCode::Esc));
        assert_eq!(s.screens.login.visible().len(), 3);
        handle_key(&mut s, &km, code(KeyCode::Down));
        handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(s.screens.login.chosen, Some(1));
        keys(&mut s, "10a02");
        assert_eq!(s.screens.login.pin, "1002", "only digits");
        let fx = handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(
            fx,
            vec![Effect::Login {
                member: 2,
                pin: "1002".into()
            }]
        );
        assert!(s.screens.login.pin.is_empty(), "the PIN is not kept");
    }

    #[test]
    fn moving_loads_details_and_stage_keys_reload() {
        let mut s = logged_in(2);
        let fx = keys(&mut s, "j");
        assert_eq!(fx, vec![Effect::LoadDetail(11)]);
        keys(&mut s, "G");
        assert_eq!(s.screens.list.cursor.at, 2);
        let fx = keys(&mut s, "4");
        assert_eq!(fx, vec![Effect::Reload]);
        assert_eq!(s.state.stage.number(), 4);
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
        assert!(matches!(s.state.message, Some(Message::Error(_))));
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
        assert!(matches!(s.state.form, Some(Form::Discard(_))));
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
        assert!(s.state.form.is_none());
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
        let press = |s: &mut App, c: KeyCode| handle_key(s, &km, code(c));
        let ctrl = |s: &mut App, c: char| {
            handle_key(
                s,
                &km,
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            )
        };
        let reason = |s: &App| {
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
        assert!(s.state.message.is_none());
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
        let at_and_rating = |s: &App| {
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
        assert!(s.screens.list.view.is_empty());
        handle_key(&mut s, &km, code(KeyCode::Left));
        let fx = keys(&mut s, "物");
        let b = &s.screens;
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
        assert_eq!(s.screens.list.view, vec![2]);
        assert_eq!(s.screens.list.filter, "恒信物流");

        let mut s = App::new(
            Lang::Zh,
            3,
            members(),
            Clock::on(NaiveDate::default(), 10, 0, 0),
        );
        keys(&mut s, "sc");
        handle_key(&mut s, &km, code(KeyCode::Left));
        keys(&mut s, "e");
        assert_eq!(s.screens.login.filter, "sec");
        assert_eq!(s.screens.login.visible(), vec![2]);
        handle_key(&mut s, &km, code(KeyCode::Enter));
        keys(&mut s, "1007");
        handle_key(&mut s, &km, code(KeyCode::Left));
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(
            s.screens.login.pin, "100",
            "Backspace takes the PIN's last digit"
        );
        assert_eq!(s.screens.login.filter, "sec");
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
        assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("王强")));
        let mut s = logged_in(5);
        assert!(keys(&mut s, "a").is_empty());
        assert!(matches!(s.state.message, Some(Message::Error(_))));
        let mut s = logged_in(2);
        assert!(keys(&mut s, "e").is_empty(), "no score at review");
    }

    #[test]
    fn filter_and_sort_keep_the_cursor() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "f商会");
        assert_eq!(s.screens.list.view, vec![1]);
        handle_key(&mut s, &km, code(KeyCode::Enter));
        assert_eq!(s.mode(), Mode::Table);
        assert_eq!(s.screens.list.current().unwrap().name, "李娜");
        keys(&mut s, "f");
        handle_key(&mut s, &km, code(KeyCode::Esc));
        assert_eq!(s.screens.list.view.len(), 3);
        keys(&mut s, "s");
        assert_eq!(s.screens.list.sort, Sort::Name);
        assert_eq!(s.screens.list.current().unwrap().name, "李娜");
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
        assert!(s.state.form.is_some());
    }

    #[test]
    fn a_step_the_stage_rules_refuse_opens_no_form() {
        let mut s = logged_in(1);
        let b = &mut s.screens;
        b.list.rows = vec![row(
            1,
            "朴阳轩",
            "南京卓越电子商务股份有限公司",
            Status::Returned,
        )];
        b.list.keys.clear();
        b.list.rebuild_view();
        assert!(keys(&mut s, "r").is_empty());
        assert!(s.state.form.is_none(), "no reason typed in vain");
        assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("个人申报")));
        // Withdrawing a returned declaration is allowed: the form opens.
        keys(&mut s, "w");
        assert!(s.state.form.is_some());
    }

    #[test]
    fn names_and_organisations_sort_by_pinyin() {
        let mut s = logged_in(1);
        let b = &mut s.screens;
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
        assert_eq!(s.screens.list.view, vec![0, 2]);
        keys(&mut s, "恒");
        assert_eq!(s.screens.list.view, vec![2]);
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.screens.list.view, vec![0, 2]);
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        handle_key(&mut s, &km, code(KeyCode::Backspace));
        assert_eq!(s.screens.list.view, vec![0, 1, 2]);
        // Matching is case-blind for Latin letters too.
        s.screens.list.rows[1].organisation = "Gulou Hunan Chamber".into();
        s.screens.list.keys.clear();
        keys(&mut s, "HUNAN");
        assert_eq!(s.screens.list.view, vec![1]);
    }

    #[test]
    fn a_reload_that_empties_a_filtered_stage_does_not_crash() {
        let mut s = logged_in(2);
        keys(&mut s, "f张");
        let b = &mut s.screens;
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
        assert!(!s.state.quit, "q closes help first");
        keys(&mut s, "tL");
        assert_eq!((s.state.theme, s.state.lang), (1, Lang::En));
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
        let mut s = App::new(Lang::Zh, 3, vec![], Clock::on(today, 10, 0, 0));
        s.state.session = Some(Session::default());
        s.screens.search = Some(Default::default());
        let press = |s: &mut App, code: KeyCode, mods: KeyModifiers| {
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
        assert!(s.screens.search.is_some(), "still open");
    }

    #[test]
    fn a_paste_on_the_list_runs_no_key_and_changes_nothing() {
        let mut s = logged_in(2);
        let before = (s.screens.list.cursor.at, s.state.form.is_some());
        let fx = handle_paste(&mut s, "王a\nay");
        assert!(fx.is_empty(), "no effect: {fx:?}");
        assert_eq!((s.screens.list.cursor.at, s.state.form.is_some()), before);
        assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("粘贴")));
    }

    #[test]
    fn pass_asks_with_the_name_and_a_second_press_is_no_answer() {
        let mut s = logged_in(1);
        assert!(keys(&mut s, "a").is_empty(), "nothing done yet");
        let Some(Form::Confirm(c)) = &s.state.form else {
            panic!("a question: {:?}", s.state.form);
        };
        let (title, text) = c.text(Lang::Zh);
        assert!(
            title.contains("张伟") && text.contains("组织审核"),
            "{title} {text}"
        );
        assert!(keys(&mut s, "a").is_empty(), "a second a answers nothing");
        assert!(
            handle_paste(&mut s, "y").is_empty(),
            "a pasted y answers nothing"
        );
        assert!(s.state.form.is_some());
        assert_eq!(
            keys(&mut s, "y"),
            vec![Effect::Transition {
                app: 10,
                transition: Transition::Advance
            }]
        );
    }

    #[test]
    fn a_paste_goes_whole_into_the_field_and_numbers_take_full_width_digits() {
        let km = Keymap::builtin();
        let mut s = logged_in(1);
        keys(&mut s, "r");
        let long = "材".repeat(2000);
        assert!(handle_paste(&mut s, &format!("{long}\r\n另a")).is_empty());
        assert_eq!(
            open_fields(&s).fields[0].text.as_str(),
            format!("{long}\n另a"),
            "whole, the line break kept in a reason, the a typed not run"
        );
        // A number field: full-width digits are digits; a letter or a second point is
        // refused visibly and nothing is typed.
        let mut s = logged_in(3);
        keys(&mut s, "e");
        handle_key(
            &mut s,
            &km,
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        for _ in 0..3 {
            handle_key(&mut s, &km, code(KeyCode::Backspace));
        }
        let score = |s: &App| open_fields(s).fields[0].text.to_string();
        keys(&mut s, "８５");
        assert_eq!(score(&s), "85");
        keys(&mut s, "x");
        assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("x")));
        assert_eq!(score(&s), "85");
        keys(&mut s, ".5");
        keys(&mut s, ".");
        assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("小数点")));
        assert_eq!(score(&s), "85.5", "never 1.2.3");
        handle_paste(&mut s, "1a");
        assert_eq!(score(&s), "85.5", "a paste that is no number goes nowhere");
    }

    #[test]
    fn what_the_role_may_not_do_opens_no_form() {
        let mut s = logged_in(1);
        if let Some(session) = s.state.session.as_mut() {
            session.role = Some(Role::Secretary);
            session.allowed = vec![];
        }
        assert!(keys(&mut s, "r").is_empty());
        assert!(s.state.form.is_none(), "no reason typed in vain");
        assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("无权操作")));
    }
}
