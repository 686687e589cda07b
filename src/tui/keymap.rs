//! The one keymap: `(Mode, KeyEvent) -> Action`, defined in `keymap.toml` (compiled in),
//! with the user's own file of bindings over it (`Keymap::with_user_file`).
//! The help overlay and the status-bar hints are generated from the same table. Here
//! too: the screens of the board, each in the mode its keys are in.

use crate::domain::Deed;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Login,
    Table,
    /// A member's score sheet.
    Panel,
    /// The chair's progress board, the results and the ranking.
    Overview,
    /// A personnel file.
    File,
    /// The objection register.
    Objections,
    /// The certificate register and the allowance roll.
    Certificates,
    Input,
    Help,
    /// The search popup.
    Search,
    /// The review meeting.
    Meeting,
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
    /// The review meeting: the agenda, the candidate now discussed, who is present.
    Meeting,
}

impl Screen {
    /// The keymap mode of the screen.
    pub fn mode(self) -> Mode {
        match self {
            Screen::List => Mode::Table,
            Screen::Panel => Mode::Panel,
            Screen::Progress | Screen::Results | Screen::Ranking => Mode::Overview,
            Screen::File => Mode::File,
            Screen::Objections => Mode::Objections,
            Screen::Certificates | Screen::Allowance => Mode::Certificates,
            Screen::Meeting => Mode::Meeting,
        }
    }
}

impl Mode {
    /// Every mode, in the order the help lists them.
    pub const ALL: [Mode; 11] = [
        Mode::Table,
        Mode::Panel,
        Mode::Overview,
        Mode::Meeting,
        Mode::File,
        Mode::Search,
        Mode::Objections,
        Mode::Certificates,
        Mode::Input,
        Mode::Login,
        Mode::Help,
    ];

    /// The mode's title in the help: (Chinese, English).
    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Mode::Table => ("列表与环节", "Lists and stages"),
            Mode::Panel => ("评分表", "The score sheet"),
            Mode::Overview => ("评分进度、结果与排名", "Progress, results and ranking"),
            Mode::Meeting => ("评审会", "The review meeting"),
            Mode::File => ("人员档案", "The personnel file"),
            Mode::Search => ("查找", "Search"),
            Mode::Objections => ("异议登记簿", "The objection register"),
            Mode::Certificates => (
                "证书登记簿与津贴名册",
                "Certificates and the allowance roll",
            ),
            Mode::Input => ("表单", "Forms"),
            Mode::Login => ("登录", "Log in"),
            Mode::Help => ("帮助", "Help"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    /// Go to a stage; the number is taken from the key.
    Stage,
    Open,
    Back,
    Help,
    Quit,
    Advance,
    Score,
    Visit,
    Override,
    Return,
    Reject,
    Withdraw,
    Filter,
    Sort,
    Theme,
    Lang,
    Submit,
    Save,
    NextField,
    PrevField,
    ScorePanel,
    Progress,
    Results,
    Session,
    Conflict,
    Reopen,
    Finalise,
    StepUp,
    StepDown,
    Comment,
    NextCandidate,
    PrevCandidate,
    PersonFile,
    Reveal,
    NextTab,
    PrevTab,
    StartNotice,
    Objection,
    Objections,
    Certificates,
    CloseNotice,
    Export,
    Verify,
    Uphold,
    Dismiss,
    WithdrawObjection,
    Decide,
    Inspection,
    JobChange,
    Allowance,
    Search,
    /// The review meeting: open it, or go back to the candidate it discusses.
    Meeting,
    /// Move the selected candidate up / down the meeting's agenda.
    AgendaUp,
    AgendaDown,
    /// Open the discussion of the candidate now discussed.
    Discussion,
    /// Open a revision round for the candidate now discussed.
    RevisionRound,
    /// Add the rules' extension to the current turn.
    Extend,
    EndMeeting,
    /// A line down in a text of several lines, else the next field.
    LineDown,
    /// A line up in a text of several lines, else the previous field.
    LineUp,
    /// Empty the search query.
    ClearQuery,
    /// Delete the word before the cursor of a text.
    DeleteWord,
    /// The cursor of a text one character left (on a choice: the next option).
    CursorLeft,
    /// The cursor of a text one character right (on a choice: the next option).
    CursorRight,
    /// The cursor to the start of its line.
    LineStart,
    /// The cursor to the end of its line.
    LineEnd,
    /// Delete the character before the cursor.
    DeleteBack,
    /// Delete the character after the cursor.
    DeleteForward,
}

impl Action {
    /// What the service must allow the member for the action to do anything, in
    /// `mode` at `stage`; `None` for actions anyone signed in may take.
    pub fn deed(self, mode: Mode, stage: usize) -> Option<Deed> {
        use Action as A;
        Some(match self {
            A::Advance => Deed::PassApplication,
            A::Return => Deed::ReturnApplication,
            A::Reject if stage == 3 => Deed::RecordFailedTest,
            A::Reject => Deed::RejectApplication,
            A::Override => Deed::OverrideEligibility,
            A::Score => Deed::RecordTestScore,
            A::Visit => Deed::RecordSiteVisit,
            A::Reveal if mode == Mode::Objections => Deed::RevealObjectorContact,
            A::Reveal => Deed::RevealIds,
            A::ScorePanel => Deed::Score,
            A::Conflict => Deed::DeclareConflict,
            A::Progress => Deed::SeeProgress,
            A::Results => Deed::SeeResults,
            A::Session => Deed::OpenScoring,
            A::Finalise => Deed::FinaliseResult,
            A::Reopen => Deed::ReopenResult,
            A::StartNotice => Deed::StartNotice,
            A::CloseNotice => Deed::CloseNotice,
            A::Objection => Deed::RecordObjection,
            A::Verify | A::WithdrawObjection => Deed::VerifyObjection,
            A::Uphold | A::Dismiss => Deed::ConcludeObjection,
            A::Decide => Deed::DecideObjection,
            A::Inspection => Deed::RecordInspection,
            A::JobChange => Deed::RecordJobChange,
            A::AgendaUp
            | A::AgendaDown
            | A::Discussion
            | A::RevisionRound
            | A::Extend
            | A::EndMeeting => Deed::RunMeeting,
            A::Open if mode == Mode::Meeting => Deed::RunMeeting,
            A::Export if mode == Mode::Meeting => Deed::ExportMinutes,
            _ => return None,
        })
    }
}

/// One binding of the table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    pub mode: Mode,
    pub keys: Vec<String>,
    pub action: Action,
    pub zh: String,
    pub en: String,
    #[serde(default)]
    pub hint: bool,
    /// Short texts for the status-bar hint (default: the help text).
    #[serde(default)]
    pub hint_zh: Option<String>,
    #[serde(default)]
    pub hint_en: Option<String>,
    #[serde(default)]
    pub stages: Vec<usize>,
}

impl Binding {
    /// The text of the hint in the status bar.
    pub fn hint_text(&self, zh: bool) -> &str {
        match (zh, &self.hint_zh, &self.hint_en) {
            (true, Some(h), _) => h,
            (false, _, Some(h)) => h,
            (true, None, _) => &self.zh,
            (false, _, None) => &self.en,
        }
    }

    fn applies_at(&self, stage: Option<usize>) -> bool {
        self.stages.is_empty() || stage.is_some_and(|s| self.stages.contains(&s))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    bind: Vec<Binding>,
}

/// The user's file of key bindings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserFile {
    #[serde(default)]
    bind: Vec<UserBind>,
}

/// One binding of the user's file: an action of a mode and its new keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserBind {
    mode: toml::Spanned<String>,
    action: toml::Spanned<String>,
    keys: Vec<toml::Spanned<String>>,
}

/// A mistake in the user's file of key bindings: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct KeymapError {
    pub file: std::path::PathBuf,
    /// The 1-based line (0: the file as a whole).
    pub line: usize,
    /// The setting the mistake is in (`mode`, `action`, `keys`), if one.
    pub key: String,
    pub problem: KeymapProblem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum KeymapProblem {
    Unreadable(String),
    Syntax(String),
    UnknownMode(String),
    UnknownAction(String),
    UnknownKey(String),
    /// The action has no binding in that mode to give keys to.
    NotInMode(String),
    /// A key bound twice (the built-in checker's words).
    Clash(String),
}

impl KeymapError {
    /// Where: `file, line 3, key "keys"`.
    fn place(&self, zh: bool) -> String {
        let file = self.file.display();
        match (zh, self.line, self.key.is_empty()) {
            (true, 0, _) => format!("{file}"),
            (true, l, true) => format!("{file} 第 {l} 行"),
            (true, l, false) => format!("{file} 第 {l} 行 {}", self.key),
            (false, 0, _) => format!("{file}"),
            (false, l, true) => format!("{file}, line {l}"),
            (false, l, false) => format!("{file}, line {l}, {}", self.key),
        }
    }

    /// The mistake in Chinese, the built-in keys kept.
    pub fn zh(&self) -> String {
        use KeymapProblem as P;
        let what = match &self.problem {
            P::Unreadable(e) => format!("无法读取：{e}"),
            P::Syntax(e) => format!("格式错误：{e}"),
            P::UnknownMode(m) => format!("没有“{m}”这种模式"),
            P::UnknownAction(a) => format!("没有“{a}”这种操作"),
            P::UnknownKey(k) => format!("无法识别的按键“{k}”（例：a、G、ctrl-d）"),
            P::NotInMode(a) => format!("该模式中没有“{a}”操作"),
            P::Clash(c) => format!("按键冲突：{c}"),
        };
        format!("按键文件 {}：{what}；仍使用内置按键", self.place(true))
    }

    /// The mistake in English, the built-in keys kept.
    pub fn en(&self) -> String {
        use KeymapProblem as P;
        let what = match &self.problem {
            P::Unreadable(e) => format!("cannot be read: {e}"),
            P::Syntax(e) => format!("not valid: {e}"),
            P::UnknownMode(m) => format!("no mode \"{m}\""),
            P::UnknownAction(a) => format!("no action \"{a}\""),
            P::UnknownKey(k) => format!("unknown key \"{k}\" (e.g. a, G, ctrl-d, enter)"),
            P::NotInMode(a) => format!("the mode has no action \"{a}\""),
            P::Clash(c) => format!("keys clash: {c}"),
        };
        format!(
            "keymap file {}: {what}; the built-in keys are used",
            self.place(false)
        )
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
    parsed: Vec<(Mode, KeyCode, KeyModifiers, usize)>,
}

/// Parses a key name such as `j`, `G`, `ctrl-d`, `shift-tab`, `enter`, `?`.
pub fn parse_key(name: &str) -> Option<(KeyCode, KeyModifiers)> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = name;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "shift-tab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" => KeyCode::Delete,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        s if s.chars().count() == 1 => KeyCode::Char(s.chars().next()?),
        _ => return None,
    };
    Some((code, mods))
}

/// How a key is written in help and hints.
pub fn key_label(name: &str) -> String {
    match name {
        "up" => "↑".into(),
        "down" => "↓".into(),
        "left" => "←".into(),
        "right" => "→".into(),
        "enter" => "Enter".into(),
        "esc" => "Esc".into(),
        "tab" => "Tab".into(),
        "backtab" => "Shift-Tab".into(),
        "pageup" => "PgUp".into(),
        "pagedown" => "PgDn".into(),
        "home" => "Home".into(),
        "end" => "End".into(),
        "backspace" => "Backspace".into(),
        "delete" => "Del".into(),
        other => match other.strip_prefix("ctrl-") {
            Some(k) => format!("Ctrl-{}", k.to_uppercase()),
            None => other.to_string(),
        },
    }
}

/// Only Ctrl and Alt distinguish keys; Shift is already in the character.
fn significant(mods: KeyModifiers) -> KeyModifiers {
    mods & (KeyModifiers::CONTROL | KeyModifiers::ALT)
}

impl Keymap {
    /// The compiled-in keymap.
    pub fn builtin() -> Keymap {
        Keymap::parse(include_str!("keymap.toml")).expect("the built-in keymap is valid")
    }

    pub fn parse(text: &str) -> Result<Keymap, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("keymap: {e}"))?;
        Keymap::of(file.bind)
    }

    /// The built-in keymap with the user's file of bindings over it: each of its
    /// `[[bind]]` gives a mode's action new keys (`mode = "table"`, `action =
    /// "advance"`, `keys = ["A"]`), keeping the texts of help and hints. A mistake
    /// names the file, the line and the key it is on.
    pub fn with_user_file(path: &std::path::Path) -> Result<Keymap, KeymapError> {
        let at = |line: usize, key: &str, problem: KeymapProblem| KeymapError {
            file: path.to_path_buf(),
            line,
            key: key.to_string(),
            problem,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| at(0, "", KeymapProblem::Unreadable(e.to_string())))?;
        let line_of = |span: std::ops::Range<usize>| {
            text[..span.start.min(text.len())].matches('\n').count() + 1
        };
        let file: UserFile = toml::from_str(&text).map_err(|e| {
            let line = e.span().map_or(0, line_of);
            at(line, "", KeymapProblem::Syntax(e.message().to_string()))
        })?;
        let mut bindings = Keymap::builtin().bindings;
        for b in &file.bind {
            let value = |s: &toml::Spanned<String>| toml::Value::String(s.get_ref().clone());
            let mode: Mode = value(&b.mode).try_into().map_err(|_| {
                at(
                    line_of(b.mode.span()),
                    "mode",
                    KeymapProblem::UnknownMode(b.mode.get_ref().clone()),
                )
            })?;
            let action: Action = value(&b.action).try_into().map_err(|_| {
                let name = b.action.get_ref().clone();
                at(
                    line_of(b.action.span()),
                    "action",
                    KeymapProblem::UnknownAction(name),
                )
            })?;
            let keys: Vec<String> = b.keys.iter().map(|k| k.get_ref().clone()).collect();
            if let Some(k) = b.keys.iter().find(|k| parse_key(k.get_ref()).is_none()) {
                let problem = KeymapProblem::UnknownKey(k.get_ref().clone());
                return Err(at(line_of(k.span()), "keys", problem));
            }
            let mut found = false;
            for built in bindings
                .iter_mut()
                .filter(|x| x.mode == mode && x.action == action)
            {
                built.keys = keys.clone();
                found = true;
            }
            if !found {
                let problem = KeymapProblem::NotInMode(b.action.get_ref().clone());
                return Err(at(line_of(b.action.span()), "action", problem));
            }
        }
        Keymap::of(bindings).map_err(|clash| {
            // The user's line that brought the key in.
            let line = file
                .bind
                .iter()
                .flat_map(|b| &b.keys)
                .find(|k| clash.contains(&format!("'{}'", k.get_ref())))
                .map_or(0, |k| line_of(k.span()));
            at(line, "keys", KeymapProblem::Clash(clash))
        })
    }

    /// The keymap of these bindings, checked: every key known, none bound twice.
    fn of(bind: Vec<Binding>) -> Result<Keymap, String> {
        let file = File { bind };
        let mut parsed = Vec::new();
        for (i, b) in file.bind.iter().enumerate() {
            for k in &b.keys {
                let (code, mods) =
                    parse_key(k).ok_or_else(|| format!("keymap: bind[{i}]: unknown key '{k}'"))?;
                // A key may serve two bindings only on disjoint stages.
                let clash =
                    parsed
                        .iter()
                        .any(|(m, c, md, j): &(Mode, KeyCode, KeyModifiers, usize)| {
                            let other: &Binding = &file.bind[*j];
                            *m == b.mode
                                && *c == code
                                && *md == mods
                                && (b.stages.is_empty()
                                    || other.stages.is_empty()
                                    || b.stages.iter().any(|s| other.stages.contains(s)))
                        });
                if clash {
                    return Err(format!(
                        "keymap: bind[{i}]: key '{k}' is bound twice in {:?} mode",
                        b.mode
                    ));
                }
                parsed.push((b.mode, code, mods, i));
            }
        }
        Ok(Keymap {
            bindings: file.bind,
            parsed,
        })
    }

    /// The action of a key in a mode, at a stage (1-6) where bindings depend on it.
    pub fn action(&self, mode: Mode, key: KeyEvent, stage: Option<usize>) -> Option<Action> {
        self.binding(mode, key, stage).map(|b| b.action)
    }

    /// The binding a key selects.
    pub fn binding(&self, mode: Mode, key: KeyEvent, stage: Option<usize>) -> Option<&Binding> {
        let mods = significant(key.modifiers);
        let mut found = self
            .parsed
            .iter()
            .filter(|(m, c, md, _)| *m == mode && *c == key.code && *md == mods)
            .map(|(_, _, _, i)| &self.bindings[*i]);
        let first = found.next()?;
        if first.applies_at(stage) {
            return Some(first);
        }
        found.find(|b| b.applies_at(stage)).or(Some(first))
    }

    /// The bindings of a mode that apply at `stage` (1-6), for help and hints.
    pub fn for_mode(&self, mode: Mode, stage: Option<usize>) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.mode == mode && b.applies_at(stage))
    }

    /// Whether an action applies at a stage (stage-bound actions only where listed).
    pub fn applies(&self, action: Action, stage: usize) -> bool {
        self.bindings
            .iter()
            .filter(|b| b.mode == Mode::Table && b.action == action)
            .any(|b| b.applies_at(Some(stage)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn a_user_file_gives_an_action_new_keys_and_a_bad_line_is_named() {
        let (_dir, path) =
            user_file("[[bind]]\nmode = \"table\"\naction = \"advance\"\nkeys = [\"A\"]\n");
        let km = Keymap::with_user_file(&path).unwrap();
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(
            km.action(Mode::Table, key('A'), Some(1)),
            Some(Action::Advance)
        );
        assert_eq!(km.action(Mode::Table, key('a'), Some(1)), None, "a is free");
        let b = km
            .bindings
            .iter()
            .find(|b| b.action == Action::Advance)
            .unwrap();
        assert_eq!(
            b.zh, "通过，进入下一环节",
            "help and hints keep their texts"
        );

        let (_dir, path) =
            user_file("[[bind]]\nmode = \"table\"\naction = \"advance\"\nkeys = [\"ctrl-\"]\n");
        let e = Keymap::with_user_file(&path).unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (4, "keys"));
        assert!(
            e.en().contains("line 4, keys: unknown key \"ctrl-\""),
            "{}",
            e.en()
        );
        assert!(
            e.zh().contains("第 4 行 keys") && e.zh().contains("内置按键"),
            "{}",
            e.zh()
        );

        let (_dir, path) =
            user_file("[[bind]]\nmode = \"table\"\naction = \"fly\"\nkeys = [\"x\"]\n");
        let e = Keymap::with_user_file(&path).unwrap_err();
        assert_eq!(
            (e.line, e.problem),
            (3, KeymapProblem::UnknownAction("fly".into()))
        );

        // A key that another action of the mode holds is refused on its line.
        let (_dir, path) =
            user_file("\n[[bind]]\nmode = \"table\"\naction = \"advance\"\nkeys = [\"q\"]\n");
        let e = Keymap::with_user_file(&path).unwrap_err();
        assert!(matches!(e.problem, KeymapProblem::Clash(_)), "{e:?}");
        assert_eq!(e.line, 5);
    }

    #[test]
    fn the_help_lists_every_mode_that_has_keys() {
        let km = Keymap::builtin();
        for b in &km.bindings {
            assert!(
                Mode::ALL.contains(&b.mode),
                "{:?} is not in the help",
                b.mode
            );
        }
    }

    fn act(k: &Keymap, mode: Mode, e: KeyEvent) -> Option<Action> {
        k.action(mode, e, None)
    }

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn builtin_keymap_parses_and_maps_keys() {
        let k = Keymap::builtin();
        assert_eq!(
            act(&k, Mode::Table, key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            act(&k, Mode::Table, key(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            act(
                &k,
                Mode::Table,
                key(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            act(
                &k,
                Mode::Table,
                key(KeyCode::Char('d'), KeyModifiers::CONTROL)
            ),
            Some(Action::PageDown)
        );
        assert_eq!(
            act(&k, Mode::Table, key(KeyCode::Char('d'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            act(&k, Mode::Table, key(KeyCode::Char('3'), KeyModifiers::NONE)),
            Some(Action::Stage)
        );
        assert_eq!(
            act(
                &k,
                Mode::Input,
                key(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
        assert_eq!(
            act(&k, Mode::Login, key(KeyCode::Char('j'), KeyModifiers::NONE)),
            None,
            "letters type"
        );
    }

    #[test]
    fn stage_actions_apply_only_where_listed() {
        let k = Keymap::builtin();
        assert!(k.applies(Action::Score, 3));
        assert!(!k.applies(Action::Score, 2));
        assert!(k.applies(Action::Override, 2));
        assert!(!k.applies(Action::Advance, 5));
        assert!(k.applies(Action::Help, 5));
        let hints: Vec<&str> = k
            .for_mode(Mode::Table, Some(4))
            .filter(|b| b.hint)
            .map(|b| b.keys[0].as_str())
            .collect();
        assert_eq!(hints, vec!["a", "v", "r", "/", "?", "q"]);
        // Enter opens the details on most stages and the score sheet on stage 5.
        let enter = key(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            k.action(Mode::Table, enter, Some(2)),
            Some(Action::PersonFile)
        );
        assert_eq!(
            k.action(Mode::Table, enter, Some(5)),
            Some(Action::ScorePanel)
        );
        assert!(k.applies(Action::Reopen, 6));
        assert!(!k.applies(Action::Session, 4));
    }

    #[test]
    fn duplicate_and_unknown_keys_are_refused() {
        let dup = "[[bind]]\nmode='table'\nkeys=['j']\naction='up'\nzh='x'\nen='x'\n[[bind]]\nmode='table'\nkeys=['j']\naction='down'\nzh='x'\nen='x'\n";
        assert!(Keymap::parse(dup).unwrap_err().contains("bound twice"));
        let bad = "[[bind]]\nmode='table'\nkeys=['hyper-j']\naction='up'\nzh='x'\nen='x'\n";
        assert!(Keymap::parse(bad).unwrap_err().contains("unknown key"));
    }
}
