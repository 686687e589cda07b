//! Snapshot tests of the full-screen app: every screen is driven through the real key
//! handling and effects on the in-memory demo database, drawn on a test backend, turned
//! into text and compared with the stored snapshot. Every screen drawn is also checked
//! for properties that must always hold: nothing wider than the terminal, no wide
//! character cut in half, boxes with straight right borders, and key hints in the
//! language of the screen.

mod common;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pingshen::i18n::Lang;
use pingshen::tui::app::{self, App as Ui, Form, Pane};
use pingshen::tui::keymap::{key_label, Keymap};
use pingshen::tui::render;
use pingshen::tui::theme::Theme;
use pingshen::tui::widgets::fields::{Fields, Purpose};
use pingshen::tui::Runtime;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::BTreeSet;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

/// The fixed "now" of every snapshot.
const SAVED_AT: &str = "10:42:05";
/// What a `YYYY-MM-DD hh:mm` timestamp written with the real clock becomes.
const STAMP: &str = "####-##-## ##:##";

/// One screen as text: a line per terminal row, each cell's symbol once (the cell
/// hidden behind a wide character is left out).
struct Screen {
    width: u16,
    lines: Vec<String>,
    /// Cells hidden behind a wide character that hold something else: on a real
    /// terminal that character is cut in half.
    clobbered: Vec<String>,
}

impl Screen {
    fn from_buffer(buf: &ratatui::buffer::Buffer) -> Screen {
        let area = buf.area;
        let mut lines = Vec::new();
        let mut clobbered = Vec::new();
        for y in area.top()..area.bottom() {
            let mut line = String::new();
            let mut hidden = 0usize;
            let mut wide = String::new();
            for x in area.left()..area.right() {
                let sym = buf[(x, y)].symbol();
                if hidden > 0 {
                    hidden -= 1;
                    if sym != " " && !sym.is_empty() {
                        clobbered.push(format!(
                            "row {y} col {x}: '{sym}' over the right half of '{wide}'"
                        ));
                        line.push_str(sym);
                    }
                    continue;
                }
                line.push_str(sym);
                let w = sym.width();
                if w > 1 {
                    hidden = w - 1;
                    wide = sym.to_string();
                }
            }
            lines.push(redact_timestamps(&line));
        }
        Screen {
            width: area.width,
            lines,
            clobbered,
        }
    }

    fn text(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|l| l.trim_end()).collect();
        lines.join("\n")
    }

    /// The lines as (display column, symbol) pairs.
    fn grid(&self) -> Vec<Vec<(usize, String)>> {
        self.lines
            .iter()
            .map(|l| {
                let mut col = 0;
                let mut out = Vec::new();
                for c in l.chars() {
                    out.push((col, c.to_string()));
                    col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                }
                out
            })
            .collect()
    }
}

/// Replaces every `dddd-dd-dd dd:dd` with a placeholder of the same width.
fn redact_timestamps(line: &str) -> String {
    const SHAPE: &str = "9999-99-99 99:99";
    let chars: Vec<char> = line.chars().collect();
    let shape: Vec<char> = SHAPE.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let fits = i + shape.len() <= chars.len()
            && shape.iter().zip(&chars[i..]).all(|(s, c)| match s {
                '9' => c.is_ascii_digit(),
                other => other == c,
            });
        if fits {
            out.push_str(STAMP);
            i += shape.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The symbol at a display column of a grid row.
fn at(row: &[(usize, String)], col: usize) -> Option<&str> {
    row.iter().find(|(c, _)| *c == col).map(|(_, s)| s.as_str())
}

/// Every rounded box on the screen: each row between its corners must have the left
/// and the right border in the corners' columns.
fn box_problems(screen: &Screen) -> Vec<String> {
    let grid = screen.grid();
    let mut out = Vec::new();
    for (y, row) in grid.iter().enumerate() {
        for (c, sym) in row {
            if sym != "╭" {
                continue;
            }
            let Some(right) = row
                .iter()
                .find(|(d, s)| *d > *c && s == "╮")
                .map(|(d, _)| *d)
            else {
                out.push(format!(
                    "row {y}: box at column {c} has no top-right corner"
                ));
                continue;
            };
            let mut closed = false;
            for (yy, r) in grid.iter().enumerate().skip(y + 1) {
                match at(r, *c) {
                    Some("│") => {
                        if at(r, right) != Some("│") {
                            out.push(format!(
                                "row {yy}: right border of the box at ({c},{y}) is not at column {right}: {:?}",
                                screen.lines[yy].trim_end()
                            ));
                        }
                    }
                    Some("╰") => {
                        if at(r, right) != Some("╯") {
                            out.push(format!(
                                "row {yy}: bottom-right corner of the box at ({c},{y}) is not at column {right}"
                            ));
                        }
                        closed = true;
                        break;
                    }
                    other => {
                        out.push(format!(
                            "row {yy}: left border of the box at ({c},{y}) broken by {other:?}"
                        ));
                        closed = true;
                        break;
                    }
                }
            }
            if !closed {
                out.push(format!("box at ({c},{y}) has no bottom"));
            }
        }
    }
    out
}

/// Runs of ASCII letters.
fn ascii_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The words a key name may contain (`Enter`, `Ctrl`, `S`, `q`...).
fn key_words(keymap: &Keymap) -> BTreeSet<String> {
    keymap
        .bindings
        .iter()
        .flat_map(|b| b.keys.iter())
        .flat_map(|k| ascii_words(&key_label(k)))
        .collect()
}

/// Problems of a hint line in the screen's language.
fn hint_problems(lang: Lang, hint: &str, keys: &BTreeSet<String>) -> Vec<String> {
    match lang {
        Lang::Zh => ascii_words(hint)
            .into_iter()
            .filter(|w| !keys.contains(w))
            .map(|w| format!("English word '{w}' in the Chinese hints: {:?}", hint.trim()))
            .collect(),
        Lang::En => {
            let mut out: Vec<String> = hint
                .chars()
                .filter(|c| is_cjk(*c))
                .map(|c| format!("Chinese '{c}' in the English hints: {:?}", hint.trim()))
                .collect();
            // A hint is a key and a few words; it must not stop mid-phrase.
            const DANGLING: [&str; 10] =
                ["/", "a", "an", "the", "to", "or", "for", "and", "of", "by"];
            for item in hint.split("  ").map(str::trim).filter(|i| !i.is_empty()) {
                if let Some(last) = item.split(' ').next_back() {
                    if item.contains(' ') && DANGLING.contains(&last) {
                        out.push(format!("the English hint '{item}' stops mid-phrase"));
                    }
                }
            }
            out
        }
    }
}

/// The demo app, driven key by key like the terminal loop drives it.
struct App {
    rt: Runtime,
    ui: Ui,
    keymap: Keymap,
    theme: Theme,
    /// Every property that failed, by screen.
    problems: Vec<String>,
}

impl App {
    /// The login screen of a fresh demo database.
    fn start(lang: Lang) -> App {
        let svc = pingshen::service::demo::in_memory().expect("demo database");
        App::on(svc, lang)
    }

    /// The login screen of a demo built for `day`, on a clock of 10:42:05 that day.
    fn start_on(lang: Lang, day: NaiveDate) -> App {
        let svc = common::demo_on(day);
        let clock = svc.clock();
        let mut app = App::on(svc, lang);
        app.ui.state.clock = clock;
        app
    }

    fn on(svc: pingshen::service::Service, lang: Lang) -> App {
        let app = App::on_store(svc.into_store(), lang);
        assert_eq!(app.ui.state.today(), common::today());
        app
    }

    /// The login screen of the app on a database file (several apps may open one).
    fn on_file(path: &Path, lang: Lang) -> App {
        App::on_store(
            pingshen::store::Store::open(path).expect("the database opens"),
            lang,
        )
    }

    /// The login screen of the app on a store, on the demo's fixed clock.
    fn on_store(store: pingshen::store::Store, lang: Lang) -> App {
        let rt = Runtime::new(store, Path::new("demo.sqlite3"));
        let mut ui = rt.initial_state(lang, 3, None).expect("login state");
        ui.state.clock = pingshen::service::demo::fixed_clock();
        App {
            rt,
            ui,
            keymap: Keymap::builtin(),
            theme: Theme::default_theme(),
            problems: Vec::new(),
        }
    }

    /// Logs in as `name` (filtered in the login list) with their demo PIN.
    fn log_in_as(mut self, name: &str) -> App {
        let app = &mut self;
        app.typed(name);
        app.press(KeyCode::Enter);
        app.typed(&common::pin_of(name));
        app.press(KeyCode::Enter);
        assert!(
            app.ui
                .state
                .session
                .as_ref()
                .is_some_and(|s| s.member == name),
            "logged in as {name}: {:?}",
            app.ui.screens.login.message
        );
        self
    }

    /// Between keys, as the terminal loop does: says it is alive in a meeting and
    /// follows what other apps wrote.
    fn idle(&mut self) {
        self.rt.tick(&mut self.ui);
        self.rt.poll_changes(&mut self.ui);
    }

    /// Logs in as the chair through the login screen.
    fn logged_in(lang: Lang) -> App {
        App::start(lang).log_in()
    }

    /// Logs in as the chair (PIN 1001) through the login screen.
    fn log_in(mut self) -> App {
        let app = &mut self;
        app.press(KeyCode::Enter);
        app.typed("1001");
        app.press(KeyCode::Enter);
        assert!(
            app.ui.state.session.is_some(),
            "logged in: {:?}",
            app.ui.screens.login.message
        );
        self
    }

    fn send(&mut self, key: KeyEvent) {
        for effect in app::handle_key(&mut self.ui, &self.keymap, key) {
            self.rt.run_effect(&mut self.ui, effect);
        }
        if self.ui.state.session.is_some() {
            let sheet = &mut self.ui.screens.sheet;
            sheet.last_saved = Some(SAVED_AT.to_string());
            if let Some(p) = sheet.panel.as_mut().filter(|p| p.saved.is_some()) {
                p.saved = Some(SAVED_AT.to_string());
            }
        }
    }

    fn press(&mut self, code: KeyCode) {
        self.send(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn ctrl(&mut self, c: char) {
        self.send(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// The form of fields open on the board.
    fn fields(&self) -> &Fields {
        match &self.ui.state.form {
            Some(Form::Fields(f)) => f.as_ref(),
            other => panic!("no form of fields: {other:?}"),
        }
    }

    fn board(&self) -> &app::Screens {
        assert!(self.ui.state.session.is_some(), "on the board");
        &self.ui.screens
    }

    /// Draws the screen on a new `w` x `h` terminal. The text is what the terminal
    /// shows; the cut wide characters are looked for in the frame as drawn, since
    /// the terminal never receives a cell hidden behind a wide character.
    fn draw(&mut self, w: u16, h: u16) -> Screen {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        let mut page = self.ui.state.page;
        let (state, theme, keymap) = (&self.ui, &self.theme, &self.keymap);
        let drawn = terminal
            .draw(|f| page = render::render(state, theme, keymap, f))
            .expect("draw");
        let clobbered = Screen::from_buffer(drawn.buffer).clobbered;
        // As the terminal loop does: the table's height sets the paging step.
        self.ui.state.page = page.max(1);
        let mut screen = Screen::from_buffer(terminal.backend().buffer());
        screen.clobbered.extend(clobbered);
        screen
    }

    /// A count from the app's database (`SELECT count(*) …`).
    fn count(&self, sql: &str) -> i64 {
        common::count(self.rt.service().unwrap(), sql)
    }

    /// Where the terminal's own cursor is after a draw, and where the caret glyph was
    /// drawn (if anywhere).
    fn cursor_and_caret(&self, w: u16, h: u16) -> (ratatui::layout::Position, Option<(u16, u16)>) {
        use ratatui::backend::Backend;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        terminal
            .draw(|f| {
                render::render(&self.ui, &self.theme, &self.keymap, f);
            })
            .expect("draw");
        let buffer = terminal.backend().buffer().clone();
        let caret = buffer
            .area
            .positions()
            .find(|p| buffer[*p].symbol() == "▏")
            .map(|p| (p.x, p.y));
        let at = terminal
            .backend_mut()
            .get_cursor_position()
            .expect("cursor");
        (at, caret)
    }

    /// Draws on one terminal at each size in turn, as a window being resized.
    fn resized(&self, sizes: &[(u16, u16)]) -> Vec<Screen> {
        let (w, h) = sizes[0];
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        let mut out = Vec::new();
        for &(w, h) in sizes {
            terminal.backend_mut().resize(w, h);
            terminal
                .draw(|f| {
                    render::render(&self.ui, &self.theme, &self.keymap, f);
                })
                .expect("draw");
            out.push(Screen::from_buffer(terminal.backend().buffer()));
        }
        out
    }

    /// Draws, checks and snapshots a screen.
    fn shot(&mut self, name: &str, w: u16, h: u16) -> Screen {
        let screen = self.draw(w, h);
        self.check(name, &screen);
        insta::assert_snapshot!(name, screen.text());
        screen
    }

    fn check(&mut self, name: &str, screen: &Screen) {
        let w = screen.width as usize;
        let mut found = Vec::new();
        for (y, l) in screen.lines.iter().enumerate() {
            if l.width() > w {
                found.push(format!(
                    "row {y} is {} cells wide on a {w}-cell terminal",
                    l.width()
                ));
            }
        }
        found.extend(screen.clobbered.iter().cloned());
        let small =
            screen.width < render::MIN_WIDTH || screen.lines.len() < render::MIN_HEIGHT as usize;
        if !small {
            found.extend(self.screen_problems(screen));
        }
        for p in found {
            let p = format!("{name}: {p}");
            if !self.problems.contains(&p) {
                self.problems.push(p);
            }
        }
    }

    /// Problems of a full-size screen: hints, boxes, table cells, header, messages.
    fn screen_problems(&self, screen: &Screen) -> Vec<String> {
        let lang = self.ui.state.lang;
        let keys = key_words(&self.keymap);
        let mut out = Vec::new();
        let mut hints = Vec::new();
        match self.ui.state.session {
            None => {
                // The last line inside the login box.
                if let Some(y) = screen
                    .lines
                    .iter()
                    .rposition(|l| l.trim_start().starts_with('╰'))
                {
                    hints.push(screen.lines[y - 1].replace('│', " "));
                }
            }
            Some(_) => {
                // The last line holds the hints unless it shows a message.
                if self.ui.state.message.is_none() {
                    hints.push(screen.lines.last().cloned().unwrap_or_default());
                }
                // The discard, quit and confirm questions name their keys (y / n)
                // in their text.
                let form = &self.ui.state.form;
                if form.is_some()
                    && !matches!(
                        form,
                        Some(app::Form::Discard(_))
                            | Some(app::Form::Confirm(_))
                            | Some(app::Form::Quit(_))
                    )
                {
                    let h = form_hint_line(screen);
                    if h.trim().is_empty() {
                        out.push("the form's key hints are not shown".to_string());
                    }
                    hints.push(h);
                }
            }
        }
        for h in hints {
            out.extend(hint_problems(lang, &h, &keys));
        }
        // Anywhere on a Chinese screen: no English word but key names, the program's
        // and file's names, file formats and certificate-number codes.
        if lang == Lang::Zh {
            const ALLOWED: [&str; 12] = [
                "pingshen", "demo", "sqlite", "HTML", "Markdown", "CSV", "Excel", "Word", "xlsx",
                "NJ", "GJ", "CJ",
            ];
            // What the user typed is theirs, and so are its words when quoted back (a
            // search's unknown filter).
            let query = self
                .ui
                .screens
                .search
                .as_ref()
                .map_or("", |s| s.query.as_str());
            let mut typed: Vec<&str> = [
                self.ui.screens.login.filter.as_str(),
                self.ui.screens.list.filter.as_str(),
                query,
            ]
            .into_iter()
            .chain(query.split_whitespace())
            .chain(
                query
                    .split_whitespace()
                    .filter_map(|w| Some(w.split_once(':')?.0)),
            )
            .filter(|t| !t.is_empty())
            .collect();
            typed.sort_by_key(|t| std::cmp::Reverse(t.len()));
            for line in &screen.lines {
                let line = typed.iter().fold(line.clone(), |l, t| l.replace(t, ""));
                for w in ascii_words(&line) {
                    let code = w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase());
                    if w.len() > 1 && !code && !keys.contains(&w) && !ALLOWED.contains(&w.as_str())
                    {
                        out.push(format!(
                            "English word '{w}' on the Chinese screen: {:?}",
                            line.trim()
                        ));
                    }
                }
            }
        }
        if self.ui.state.session.is_none() {
            out.extend(box_problems(screen));
            return out;
        }
        let b = &self.ui.screens;
        let shown = self.ui.state.screen;
        let overlay = self.ui.screens.help.open
            || self.ui.state.form.is_some()
            || self.ui.screens.search.is_some();
        let list = shown == app::Screen::List;
        let with_detail = list || shown == app::Screen::Panel;
        if !overlay {
            out.extend(box_problems(screen));
        }
        if list && !overlay {
            out.extend(table_problems(screen, b, self.ui.state.stage, lang));
        }
        if with_detail && !overlay {
            // With the detail at its top, it starts with the current application's
            // name and sex.
            if let Some(r) = b.list.current().filter(|_| b.list.detail_scroll == 0) {
                let heads = ["男", "女", "male", "female"].map(|s| format!("{}  {s} ·", r.name));
                if !screen
                    .lines
                    .iter()
                    .any(|l| heads.iter().any(|h| l.contains(h.as_str())))
                {
                    out.push(format!("the detail pane does not show {}", r.name));
                }
            }
        }
        // The certified count, tight ("✓0") or labelled ("✓ 已认证 0").
        let certified = format!("✓{}", b.list.counts[6]);
        let labelled = format!(" {}", b.list.counts[6]);
        let stage_line = screen.lines[1].trim_end();
        let shown = stage_line.contains(&certified)
            || stage_line.contains('✓') && stage_line.ends_with(labelled.as_str());
        if !self.ui.screens.help.open && !shown {
            out.push(format!(
                "the stage line does not show '{certified}': {:?}",
                screen.lines[1].trim_end()
            ));
        }
        if let Some(app::Message::Info(m) | app::Message::Error(m)) = &self.ui.state.message {
            let status = &screen.lines[screen.lines.len() - 1];
            if !status.contains(m.as_str()) {
                out.push(format!(
                    "the status line cuts the message {m:?}: {:?}",
                    status.trim_end()
                ));
            }
        }
        out
    }

    /// Fails on every problem found that is not listed as known. Each known problem
    /// (screen name and text, both parts) must still occur: once it is fixed, its
    /// entry goes, and the snapshots are recorded again.
    fn finish(self, known: &[(&str, &str)]) {
        let unexpected: Vec<&String> = self
            .problems
            .iter()
            .filter(|p| !known.iter().any(|(s, t)| p.contains(s) && p.contains(t)))
            .collect();
        let gone: Vec<&(&str, &str)> = known
            .iter()
            .filter(|(s, t)| !self.problems.iter().any(|p| p.contains(s) && p.contains(t)))
            .collect();
        assert!(
            unexpected.is_empty() && gone.is_empty(),
            "problems on the screens:\n{}\nknown problems that no longer occur:\n{:?}",
            unexpected
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            gone
        );
    }
}

/// Cells of the stage table that do not show their whole text (the organisation is
/// left out: it is shortened with an ellipsis on purpose).
fn table_problems(
    screen: &Screen,
    b: &app::Screens,
    stage: pingshen::domain::Stage,
    lang: Lang,
) -> Vec<String> {
    let mut out = BTreeSet::new();
    for line in screen.lines.iter().skip(4) {
        let Some(body) = line.strip_prefix('│') else {
            break;
        };
        let body = body.split('│').next().unwrap_or_default();
        let Some(r) = b
            .list
            .rows
            .iter()
            .filter(|r| body.starts_with(&r.name))
            .max_by_key(|r| r.name.len())
        else {
            continue;
        };
        let zh = lang == Lang::Zh;
        let mut cells = vec![
            ("category", lang.category(r.category).to_string()),
            (
                "grade",
                format!(
                    "{}→{}",
                    lang.grade_short(r.current),
                    lang.grade_short(r.target)
                ),
            ),
            ("status", lang.status(r.status).to_string()),
        ];
        // At the evaluation the member's own sheet state replaces the visit and
        // test-score flags.
        let evaluation = stage == pingshen::domain::Stage::Evaluation;
        let mine = b
            .list
            .my_cells
            .get(&r.id)
            .map(|c| pingshen::tui::widgets::labels::cell_label(*c, lang).to_string());
        if let Some(m) = mine.filter(|_| evaluation) {
            cells.push(("flags", m));
        }
        let flags = [
            (r.overridden, if zh { "破格" } else { "ovr" }),
            (r.open_objections > 0, if zh { "异议" } else { "obj" }),
            (
                r.visits > 0 && !evaluation,
                if zh { "走访" } else { "visit" },
            ),
            (
                r.test_score.is_some() && !evaluation,
                if zh { "成绩" } else { "score" },
            ),
        ];
        for (on, flag) in flags {
            if on {
                cells.push(("flags", flag.to_string()));
            }
        }
        for (column, text) in cells {
            let whole = body
                .split(' ')
                .any(|word| word == text || text.contains(' ') && body.contains(&text));
            if !text.is_empty() && !whole {
                out.insert(format!("the {column} column cuts '{text}'"));
            }
        }
    }
    out.into_iter().collect()
}

/// The hint line of a form: the last line inside the popup, which is 70 cells wide and
/// centred.
fn form_hint_line(screen: &Screen) -> String {
    let grid = screen.grid();
    let left = (screen.width as usize).saturating_sub(70) / 2;
    let right = left + 69;
    let bottom = grid
        .iter()
        .rposition(|r| at(r, right) == Some("╯"))
        .unwrap_or(0);
    grid.get(bottom.saturating_sub(1))
        .map(|r| {
            r.iter()
                .filter(|(c, _)| *c > left && *c < right)
                .map(|(_, s)| s.as_str())
                .collect()
        })
        .unwrap_or_default()
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn shots(app: &mut App, name: &str) {
    for (w, h) in SIZES {
        app.shot(&format!("{name}_{w}x{h}"), w, h);
    }
}

#[test]
fn login_screens_and_logging_in() {
    let mut app = App::start(Lang::Zh);
    assert_eq!(app.ui.screens.login.members.len(), 7);
    assert!(
        !app.ui.screens.login.demo_pins.is_empty(),
        "the demo PINs are shown"
    );
    shots(&mut app, "login");
    let screen = app.draw(80, 24);
    assert!(screen.text().contains("周明远 1001"), "{}", screen.text());

    // Filtering the list by role.
    app.typed("sec");
    app.shot("login_filtered_80x24", 80, 24);
    app.press(KeyCode::Esc);

    // A member chosen, two digits typed.
    app.press(KeyCode::Down);
    app.press(KeyCode::Enter);
    app.typed("10");
    shots(&mut app, "login_pin");
    let screen = app.draw(80, 24);
    assert!(
        screen.text().contains("陈静怡 口令 ●●▏"),
        "{}",
        screen.text()
    );

    // A wrong PIN is refused with a message and the login screen stays.
    app.typed("99");
    app.press(KeyCode::Enter);
    assert!(app.ui.state.session.is_none());
    app.shot("login_wrong_pin_80x24", 80, 24);
    app.press(KeyCode::Esc);
    app.press(KeyCode::Up);

    // Too small, and back again.
    app.shot("login_too_small_60x20", 60, 20);
    let normal = app.draw(80, 24).text();
    let seen = app.resized(&[(80, 24), (60, 20), (80, 24)]);
    assert!(
        seen[1].text().contains("终端窗口太小"),
        "{}",
        seen[1].text()
    );
    assert_eq!(seen[2].text(), normal, "back to the normal screen");

    // The chair logs in.
    app.press(KeyCode::Enter);
    app.typed("1001");
    app.press(KeyCode::Enter);
    let session = app.ui.state.session.as_ref().expect("logged in");
    assert_eq!(
        (session.member.as_str(), app.ui.state.stage.number()),
        ("周明远", 1)
    );
    shots(&mut app, "board_after_login");

    // The board, too small and back.
    app.shot("board_too_small_60x20", 60, 20);
    app.shot("board_too_small_79x24", 79, 24);
    app.shot("board_too_small_80x23", 80, 23);
    let normal = app.draw(80, 24).text();
    let seen = app.resized(&[(120, 40), (60, 20), (80, 24)]);
    assert!(seen[1].text().contains("需要至少 80×24，当前 60×20"));
    assert_eq!(seen[2].text(), normal, "back to the normal screen");
    app.finish(&[]);

    let mut en = App::start(Lang::En);
    shots(&mut en, "login_en");
    en.shot("login_too_small_en_60x20", 60, 20);
    en.finish(&[]);
}

#[test]
fn stage_boards() {
    let mut app = App::logged_in(Lang::Zh);
    for stage in 1..=6 {
        app.press(KeyCode::Char(char::from(b'0' + stage)));
        assert_eq!(app.ui.state.stage.number(), stage as usize);
        assert!(
            !app.board().list.rows.is_empty(),
            "the demo has applications at stage {stage}"
        );
        shots(&mut app, &format!("stage{stage}"));
    }

    // Moving down loads the next application's details.
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('j'));
    app.press(KeyCode::Char('j'));
    let id = app.board().list.current().map(|r| r.id);
    assert_eq!(app.board().list.detail.as_ref().map(|d| d.app.id), id);
    shots(&mut app, "stage2_third_row");

    // The detail pane focused, then scrolled.
    app.press(KeyCode::Tab);
    assert_eq!(app.board().list.pane, Pane::Detail);
    shots(&mut app, "stage2_detail_focused");
    for _ in 0..4 {
        app.press(KeyCode::Char('j'));
    }
    shots(&mut app, "stage2_detail_scrolled");
    for _ in 0..60 {
        app.press(KeyCode::Char('j'));
    }
    app.shot("stage2_detail_scrolled_past_the_end_80x24", 80, 24);
    app.press(KeyCode::Esc);
    assert_eq!(app.board().list.pane, Pane::Table);
    // Another stage keeps the scroll of the last detail.
    app.press(KeyCode::Char('3'));
    app.shot("stage3_after_a_scrolled_detail_80x24", 80, 24);
    // Moving the cursor starts the detail at its top again.
    app.press(KeyCode::Char('j'));
    app.press(KeyCode::Char('k'));
    assert_eq!(app.board().list.detail_scroll, 0);

    // A filter being typed, then applied, then one that matches nothing.
    app.press(KeyCode::Char('1'));
    app.press(KeyCode::Char('f'));
    app.typed("公司");
    let n = app.board().list.view.len();
    assert!(
        n > 0 && n < app.board().list.rows.len(),
        "the filter narrows the list"
    );
    shots(&mut app, "stage1_filter_typing");
    app.press(KeyCode::Left);
    app.shot("stage1_filter_cursor_moved_80x24", 80, 24);
    app.press(KeyCode::End);
    app.press(KeyCode::Enter);
    shots(&mut app, "stage1_filtered");
    app.press(KeyCode::Char('f'));
    app.typed("不存在的单位");
    app.press(KeyCode::Enter);
    assert!(app.board().list.view.is_empty());
    app.shot("stage1_filter_no_match_80x24", 80, 24);
    app.press(KeyCode::Esc);
    assert!(app.board().list.filter.is_empty());
    app.shot("stage1_filter_cleared_80x24", 80, 24);
    app.press(KeyCode::Char('j'));
    app.press(KeyCode::Char('k'));

    // Sorting says how; four presses come back to the declaration order.
    app.press(KeyCode::Char('s'));
    app.shot("stage1_sorted_by_name_80x24", 80, 24);
    for _ in 0..3 {
        app.press(KeyCode::Char('s'));
    }
    assert_eq!(app.board().list.sort, app::Sort::Declared);

    // Errors on the status line.
    app.press(KeyCode::Char('5'));
    app.press(KeyCode::Char('a'));
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));
    shots(&mut app, "stage5_error");
    app.press(KeyCode::Char('z'));
    app.shot("stage5_unbound_key_80x24", 80, 24);
    // A stage key leaves the message of the last stage.
    app.press(KeyCode::Char('1'));
    app.shot("stage1_after_an_error_80x24", 80, 24);
    app.press(KeyCode::Esc);
    assert!(app.ui.state.message.is_none());

    // English.
    app.press(KeyCode::Char('L'));
    assert_eq!(app.ui.state.lang, Lang::En);
    app.press(KeyCode::Char('5'));
    app.press(KeyCode::Char('a'));
    shots(&mut app, "stage5_error_en");
    app.press(KeyCode::Esc);
    for stage in [1u8, 2, 3, 4, 6] {
        app.press(KeyCode::Char(char::from(b'0' + stage)));
        shots(&mut app, &format!("stage{stage}_en"));
    }
    app.press(KeyCode::Char('4'));
    app.press(KeyCode::Tab);
    shots(&mut app, "stage4_detail_focused_en");
    app.finish(&[]);
}

#[test]
fn forms() {
    let mut app = App::logged_in(Lang::Zh);

    // The reason form: empty, refused, typed.
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('r'));
    assert!(matches!(
        app.fields().purpose,
        Purpose::Reason {
            what: app::ReasonFor::Return,
            ..
        }
    ));
    shots(&mut app, "form_reason_empty");
    app.ctrl('s');
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));
    app.shot("form_reason_required_80x24", 80, 24);
    app.typed("培训证明缺少盖章");
    // The terminal's cursor sits on the caret, where an input method opens its
    // candidate window.
    let (cursor, caret) = app.cursor_and_caret(120, 40);
    assert_eq!(caret, Some((cursor.x, cursor.y)));
    app.press(KeyCode::Enter);
    app.typed("请补充2025年度考核结果");
    shots(&mut app, "form_reason_typed");
    // Back to the first line to add a word in the middle of it.
    app.press(KeyCode::Home);
    for _ in 0..3 {
        app.press(KeyCode::Left);
    }
    app.typed("单位");
    let text = &app.fields().fields[0].text;
    assert_eq!(
        (text.before(), text.after()),
        ("培训证明缺少单位", "盖章\n请补充2025年度考核结果")
    );
    shots(&mut app, "form_reason_typo_fixed");

    // Escape asks before throwing the text away; n goes back to the form.
    app.press(KeyCode::Esc);
    assert!(matches!(app.ui.state.form, Some(Form::Discard(_))));
    shots(&mut app, "form_discard");
    app.press(KeyCode::Char('n'));
    assert!(matches!(app.fields().purpose, Purpose::Reason { .. }));
    app.press(KeyCode::Esc);
    app.press(KeyCode::Char('y'));
    assert!(app.ui.state.form.is_none());

    // The override form at review.
    app.press(KeyCode::Char('o'));
    app.shot("form_override_80x24", 80, 24);
    app.press(KeyCode::Esc);

    // The score form at the test stage, and a score out of range.
    app.press(KeyCode::Char('3'));
    app.press(KeyCode::Char('e'));
    assert!(
        app.ui.state.form.is_none(),
        "the first application at the test stage has failed it"
    );
    app.shot("stage3_final_refused_80x24", 80, 24);
    app.press(KeyCode::Char('j'));
    app.press(KeyCode::Char('e'));
    assert!(matches!(app.fields().purpose, Purpose::Score { .. }));
    shots(&mut app, "form_score");
    for _ in 0..4 {
        app.press(KeyCode::Backspace);
    }
    app.typed("250");
    app.press(KeyCode::Enter);
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));
    app.shot("form_score_out_of_range_80x24", 80, 24);
    for _ in 0..3 {
        app.press(KeyCode::Backspace);
    }
    app.press(KeyCode::Esc);
    app.press(KeyCode::Char('y'));

    // The failed-test reason at the test stage.
    app.press(KeyCode::Char('x'));
    app.shot("form_fail_80x24", 80, 24);
    app.press(KeyCode::Esc);

    // The visit form: fresh, then filled in with the rating chosen.
    app.press(KeyCode::Char('4'));
    app.press(KeyCode::Char('v'));
    assert!(matches!(app.fields().purpose, Purpose::Visit { .. }));
    assert_eq!(app.fields().at, 0);
    shots(&mut app, "form_visit");
    app.press(KeyCode::Enter);
    app.typed("陈静怡、刘志强");
    app.press(KeyCode::Tab);
    app.typed("党建台账齐全，三会一课记录完整");
    app.press(KeyCode::Enter);
    app.typed("群众评价较好");
    app.press(KeyCode::Tab);
    app.press(KeyCode::Right);
    assert!(matches!(app.fields().purpose, Purpose::Visit { .. }));
    assert_eq!((app.fields().at, app.fields().fields[3].choice), (3, 1));
    shots(&mut app, "form_visit_filled");
    app.press(KeyCode::Esc);
    assert!(matches!(app.ui.state.form, Some(Form::Discard(_))));
    app.press(KeyCode::Char('y'));

    // English forms.
    app.press(KeyCode::Char('L'));
    app.press(KeyCode::Char('v'));
    app.typed("x");
    app.press(KeyCode::Backspace);
    shots(&mut app, "form_visit_en");
    app.press(KeyCode::Esc);
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('x'));
    app.typed("Training certificate missing");
    shots(&mut app, "form_reject_en");
    app.press(KeyCode::Esc);
    shots(&mut app, "form_discard_en");
    app.press(KeyCode::Char('y'));
    app.press(KeyCode::Char('3'));
    app.press(KeyCode::Char('j'));
    app.press(KeyCode::Char('e'));
    app.shot("form_score_en_80x24", 80, 24);
    app.finish(&[]);
}

#[test]
fn a_reason_taller_than_the_screen_keeps_its_cursor_in_view() {
    let mut app = App::logged_in(Lang::Zh);
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('r'));
    let lines: Vec<String> = (1..=30).map(|i| format!("第{i}条：材料核对情况")).collect();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            app.press(KeyCode::Enter);
        }
        app.typed(l);
    }
    // Typing at the end: the last line, with the cursor, is on the screen.
    let screen = app.shot("form_reason_long_end_80x24", 80, 24);
    assert!(screen.text().contains("第30条：材料核对情况▏"));
    // Back to the first line: the form shows its top again.
    for _ in 0..lines.join("\n").chars().count() {
        app.press(KeyCode::Left);
    }
    app.press(KeyCode::Right);
    let screen = app.shot("form_reason_long_start_80x24", 80, 24);
    assert!(screen.text().contains(" 第▏1条"), "{}", screen.text());
    app.finish(&[]);
}

#[test]
fn help_overlay() {
    let mut app = App::logged_in(Lang::Zh);
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('?'));
    assert!(app.ui.screens.help.open);
    shots(&mut app, "help");
    for _ in 0..12 {
        app.press(KeyCode::Char('j'));
    }
    app.shot("help_scrolled_80x24", 80, 24);
    app.press(KeyCode::Char('G'));
    let end = app.ui.screens.help.scroll;
    app.press(KeyCode::Char('j'));
    assert_eq!(app.ui.screens.help.scroll, end, "no scrolling past the end");
    app.shot("help_scrolled_past_the_end_80x24", 80, 24);
    app.press(KeyCode::Char('g'));
    assert_eq!(app.ui.screens.help.scroll, 0);
    app.press(KeyCode::PageDown);
    assert!(app.ui.screens.help.scroll > 1);
    app.press(KeyCode::Char('q'));
    assert!(
        !app.ui.screens.help.open && !app.ui.state.quit,
        "q closes help first"
    );

    app.press(KeyCode::Char('L'));
    app.press(KeyCode::Char('?'));
    shots(&mut app, "help_en");
    for _ in 0..12 {
        app.press(KeyCode::Char('j'));
    }
    app.shot("help_en_scrolled_80x24", 80, 24);
    app.press(KeyCode::Esc);
    app.shot("help_en_too_small_60x20", 60, 20);
    app.finish(&[]);
}

#[test]
fn timestamps_are_redacted_to_the_same_width() {
    assert_eq!(
        redact_timestamps(" 2026-11-26 10:00 通过 周明远"),
        format!(" {STAMP} 通过 周明远")
    );
    assert_eq!(
        redact_timestamps("走访 2026-11-10 · 满意"),
        "走访 2026-11-10 · 满意",
        "a date alone is kept"
    );
}

#[test]
fn the_checks_see_cut_characters_and_crooked_boxes() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 3));
    buf.set_string(0, 0, "╭──╮", Style::default());
    buf.set_string(0, 1, "│中│", Style::default());
    buf.set_string(0, 2, "╰──╯", Style::default());
    let straight = Screen::from_buffer(&buf);
    assert_eq!(straight.text(), "╭──╮\n│中│\n╰──╯");
    assert!(straight.clobbered.is_empty());
    assert!(box_problems(&straight).is_empty());

    // Something drawn over the right half of 中.
    buf[(2, 1)].set_symbol("x");
    let cut = Screen::from_buffer(&buf);
    assert_eq!(cut.clobbered.len(), 1, "{:?}", cut.clobbered);
    assert_eq!(cut.lines[1].width(), 5);
    assert_eq!(box_problems(&cut).len(), 1, "{:?}", box_problems(&cut));
}

#[test]
fn the_secretary_sees_no_decision_keys() {
    let mut app = App::start(Lang::Zh);
    // Typing her name leaves only 吴婷; her PIN is 1007.
    app.typed("吴婷");
    app.press(KeyCode::Enter);
    app.typed("1007");
    app.press(KeyCode::Enter);
    assert_eq!(
        app.ui.state.session.as_ref().unwrap().role,
        Some(pingshen::domain::Role::Secretary)
    );
    app.press(KeyCode::Char('3'));
    let screen = app.shot("secretary_stage3_80x24", 80, 24);
    let hints = screen.lines.last().cloned().unwrap_or_default();
    assert!(hints.contains("录入成绩"), "{hints}");
    for decision in ["通过", "退回补正", "不合格"] {
        assert!(!hints.contains(decision), "{decision} in {hints}");
    }
    app.finish(&[]);
}

impl App {
    /// Logs in as a committee member by name, with the demo PIN.
    fn logged_in_as(lang: Lang, name: &str, pin: &str) -> App {
        let mut app = App::start(lang);
        app.typed(name);
        app.press(KeyCode::Enter);
        app.typed(pin);
        app.press(KeyCode::Enter);
        assert!(app.ui.state.session.is_some(), "{name} logged in");
        app
    }

    /// Puts the stage-5 list's cursor on a candidate by name.
    fn select(&mut self, name: &str) {
        self.press(KeyCode::Char('g'));
        for _ in 0..self.board().list.view.len() {
            if self.board().list.current().is_some_and(|r| r.name == name) {
                return;
            }
            self.press(KeyCode::Char('j'));
        }
        panic!("{name} is not in the list");
    }
}

/// The first candidate of the demo's evaluation whose sheet, for the acting member,
/// is in the given state.
fn candidate_with(app: &App, cell: pingshen::service::evaluation::Cell) -> String {
    let b = app.board();
    b.list
        .view
        .iter()
        .map(|i| &b.list.rows[*i])
        .find(|r| b.list.my_cells.get(&r.id) == Some(&cell) && r.status.code() == "active")
        .map(|r| r.name.clone())
        .expect("such a candidate in the demo")
}

#[test]
fn scoring_panel_by_keys() {
    use pingshen::service::evaluation::Cell;
    let mut app = App::logged_in_as(Lang::Zh, "陈静怡", "1002");
    app.press(KeyCode::Char('5'));
    shots(&mut app, "member_stage5");
    let name = candidate_with(&app, Cell::Pending);
    app.select(&name);
    app.press(KeyCode::Enter);
    assert_eq!(app.ui.state.screen, app::Screen::Panel);
    shots(&mut app, "panel_empty");

    // A value being typed, one refused, then three saved by Enter.
    app.typed("18");
    shots(&mut app, "panel_typing");
    app.press(KeyCode::Enter);
    app.typed("26");
    app.press(KeyCode::Enter);
    assert!(
        matches!(app.ui.state.message, Some(app::Message::Error(_))),
        "26 > 25"
    );
    app.shot("panel_out_of_range_80x24", 80, 24);
    app.press(KeyCode::Backspace);
    app.press(KeyCode::Backspace);
    app.typed("22.5");
    app.press(KeyCode::Enter);
    app.typed("8");
    app.press(KeyCode::Enter);
    // A comment on the last value saved.
    app.press(KeyCode::Char('k'));
    app.press(KeyCode::Char('c'));
    app.typed("任职年限核实无误");
    shots(&mut app, "panel_comment");
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('j'));
    let sheet = app
        .board()
        .sheet
        .panel
        .as_ref()
        .and_then(|p| p.sheet.clone())
        .unwrap();
    assert_eq!(sheet.total, 48.5);
    assert_eq!(sheet.criteria[2].comment, "任职年限核实无误");
    shots(&mut app, "panel_draft");

    // Enter with two empty criteria asks first; n keeps scoring.
    app.press(KeyCode::Enter);
    assert!(matches!(app.ui.state.form, Some(Form::Confirm(_))));
    shots(&mut app, "panel_confirm_empty");
    app.press(KeyCode::Char('n'));
    app.typed("25");
    app.press(KeyCode::Enter);
    app.typed("12");
    app.press(KeyCode::Enter);
    // Every criterion scored: Enter still asks, naming the candidate, before the
    // sheet counts; a second Enter is no answer.
    app.press(KeyCode::Enter);
    app.press(KeyCode::Enter);
    assert!(matches!(
        app.ui.state.form,
        Some(Form::Confirm(app::Confirm::Submit { .. }))
    ));
    shots(&mut app, "panel_confirm_full");
    app.press(KeyCode::Char('y'));
    // Submitted: the panel moved on to the next candidate still to score.
    assert!(
        matches!(&app.ui.state.message, Some(app::Message::Info(m)) if m.contains(&name)),
        "{:?}",
        app.ui.state.message
    );
    assert_ne!(app.board().sheet.panel.as_ref().map(|p| p.app), None);
    shots(&mut app, "panel_after_submit");

    // Back on the submitted sheet: the other members' totals, anonymous; a change
    // needs a reason.
    app.press(KeyCode::Char('p'));
    let p = app.board().sheet.panel.as_ref().unwrap();
    assert!(p
        .sheet
        .as_ref()
        .is_some_and(|s| s.status == Cell::Submitted && s.others.is_some()));
    shots(&mut app, "panel_submitted");
    app.typed("17");
    app.press(KeyCode::Enter);
    assert!(matches!(app.fields().purpose, Purpose::Revise { .. }));
    app.typed("会上核对了政治素质材料");
    shots(&mut app, "panel_revise");
    app.press(KeyCode::Enter);
    let p = app.board().sheet.panel.as_ref().unwrap();
    assert_eq!(p.sheet.as_ref().unwrap().criteria[0].value, Some(17.0));
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.screen, app::Screen::List);

    // The conflict form of a member: for herself only.
    app.press(KeyCode::Char('D'));
    assert!(
        matches!(&app.fields().purpose, Purpose::Conflict { members, .. } if members.len() == 1)
    );
    app.typed("系候选人的表姐");
    shots(&mut app, "form_conflict");
    app.press(KeyCode::Esc);
    app.press(KeyCode::Char('y'));

    app.press(KeyCode::Char('L'));
    app.press(KeyCode::Enter);
    shots(&mut app, "panel_en");
    app.finish(&[]);

    // A recused member sees 回避, not the sheet.
    let mut app = App::logged_in_as(Lang::Zh, "刘志强", "1003");
    app.press(KeyCode::Char('5'));
    let name = candidate_with(&app, Cell::Recused);
    app.select(&name);
    app.press(KeyCode::Enter);
    assert!(app
        .board()
        .sheet
        .panel
        .as_ref()
        .is_some_and(|p| p.recused.is_some() && p.sheet.is_none()));
    shots(&mut app, "panel_recused");
    app.typed("15");
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));
    app.finish(&[]);
}

#[test]
fn chair_progress_results_and_ranking() {
    let mut app = App::logged_in(Lang::Zh);
    app.press(KeyCode::Char('5'));
    shots(&mut app, "chair_stage5");
    app.press(KeyCode::Char('b'));
    assert_eq!(app.ui.state.screen, app::Screen::Progress);
    shots(&mut app, "progress_open");
    // While scoring is open the results hide the values.
    app.press(KeyCode::Tab);
    assert_eq!(app.ui.state.screen, app::Screen::Results);
    let open = app
        .board()
        .overview
        .results
        .iter()
        .find(|r| r.finalised.is_none())
        .unwrap();
    assert!(!open.visible && open.sheets.is_empty());
    shots(&mut app, "results_open");
    app.press(KeyCode::Char('F'));
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));

    // Closing asks first.
    app.press(KeyCode::Char('O'));
    assert!(matches!(app.ui.state.form, Some(Form::Confirm(_))));
    shots(&mut app, "confirm_close_scoring");
    app.press(KeyCode::Char('y'));
    assert!(app
        .board()
        .list
        .session
        .as_ref()
        .is_some_and(|s| !s.is_open()));
    shots(&mut app, "results_closed");

    // The finalised candidate whose sheet was changed after discussion.
    let revised = app
        .board()
        .overview
        .results
        .iter()
        .position(|r| !r.revisions.is_empty())
        .unwrap();
    for _ in 0..revised {
        app.press(KeyCode::Char('j'));
    }
    shots(&mut app, "results_revised");

    // Finalising a candidate with a quorum.
    let ready = app
        .board()
        .overview
        .results
        .iter()
        .position(|r| r.finalised.is_none() && r.aggregate.as_ref().is_some_and(|a| a.quorum_met))
        .unwrap();
    app.press(KeyCode::Char('g'));
    for _ in 0..ready {
        app.press(KeyCode::Char('j'));
    }
    let id = app.board().overview.results[ready].app_id;
    app.press(KeyCode::Char('F'));
    shots(&mut app, "confirm_finalise");
    app.press(KeyCode::Char('y'));
    let r = app
        .board()
        .overview
        .results
        .iter()
        .find(|r| r.app_id == id)
        .unwrap();
    assert!(r.finalised.is_some(), "{:?}", app.ui.state.message);
    assert_eq!(
        app.board().overview.selected(app.ui.state.screen),
        Some(id),
        "the cursor stays"
    );

    app.press(KeyCode::Tab);
    assert_eq!(app.ui.state.screen, app::Screen::Ranking);
    shots(&mut app, "ranking");
    app.press(KeyCode::Tab);
    shots(&mut app, "progress_closed");

    app.press(KeyCode::Char('L'));
    shots(&mut app, "progress_en");
    app.press(KeyCode::Tab);
    shots(&mut app, "results_en");
    app.press(KeyCode::Tab);
    shots(&mut app, "ranking_en");
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.screen, app::Screen::List);
    app.finish(&[]);
}

#[test]
fn personnel_file_tabs_reveal_and_back() {
    // The secretary may reveal; every tab of one file, then back where she was.
    let mut app = App::logged_in_as(Lang::Zh, "吴婷", "1007");
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('j'));
    let before = app.draw(80, 24).text();
    let name = app.board().list.current().unwrap().name.clone();
    app.press(KeyCode::Enter);
    assert_eq!(app.ui.state.screen, app::Screen::File);
    let f = app.board().files.shown.as_ref().unwrap();
    assert_eq!(f.file.name, name);
    assert!(f.file.id_masked.starts_with("**************"));
    shots(&mut app, "file_basics");
    for tab in 1..7 {
        app.press(KeyCode::Tab);
        assert_eq!(app.board().files.shown.as_ref().unwrap().tab, tab);
        shots(&mut app, &format!("file_tab{tab}"));
    }
    app.press(KeyCode::Char(']'));
    assert_eq!(
        app.board().files.shown.as_ref().unwrap().tab,
        0,
        "round again"
    );
    let audit = |app: &App| app.count("SELECT count(*) FROM audit WHERE action = 'reveal'");
    assert_eq!(audit(&app), 0);
    app.press(KeyCode::Char('r'));
    assert_eq!(audit(&app), 1, "the reveal is audited");
    let revealed = app
        .board()
        .files
        .shown
        .as_ref()
        .unwrap()
        .revealed
        .clone()
        .unwrap();
    assert_eq!(revealed.id_number.chars().count(), 18);
    let screen = app.draw(80, 24).text();
    assert!(screen.contains(&revealed.id_number), "{screen}");
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.screen, app::Screen::List);
    app.ui.state.message = None;
    assert_eq!(
        app.draw(80, 24).text(),
        before,
        "back exactly where she was"
    );
    app.press(KeyCode::Char('L'));
    app.press(KeyCode::Char('i'));
    shots(&mut app, "file_basics_en");
    app.finish(&[]);

    // A member cannot reveal; the score sheet opens the candidate's file and Esc
    // goes back to the sheet.
    let mut app = App::logged_in_as(Lang::Zh, "陈静怡", "1002");
    app.press(KeyCode::Char('5'));
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('i'));
    assert_eq!(app.ui.state.screen, app::Screen::File);
    app.press(KeyCode::Char('r'));
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));
    assert!(app.board().files.shown.as_ref().unwrap().revealed.is_none());
    app.shot("file_member_reveal_refused_80x24", 80, 24);
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.screen, app::Screen::Panel);
    app.finish(&[]);
}

#[test]
fn notice_objections_certificates_and_the_allowance_roll() {
    use pingshen::domain::notice::ObjectionState;
    let mut app = App::logged_in(Lang::Zh);
    app.press(KeyCode::Char('6'));
    assert!(
        app.board().list.notice.is_some(),
        "the demo's notice is running"
    );
    shots(&mut app, "notice_list");

    // An objection typed in full.
    app.press(KeyCode::Char('o'));
    let Some(Form::Fields(f)) = &app.ui.state.form else {
        panic!("the objection form");
    };
    assert_eq!(f.fields.len(), 6);
    app.press(KeyCode::Tab);
    app.press(KeyCode::Right); // 来访
    app.press(KeyCode::Tab);
    app.typed("李某");
    app.press(KeyCode::Tab);
    app.typed("13812345678");
    app.press(KeyCode::Tab);
    app.typed("反映该同志工作实绩材料与实际不符");
    app.press(KeyCode::Tab);
    app.press(KeyCode::Right); // 政治素质
    shots(&mut app, "form_objection");
    let before = app.count("SELECT count(*) FROM objections");
    app.ctrl('s');
    assert!(app.ui.state.form.is_none(), "{:?}", app.ui.state.message);
    let after = app.count("SELECT count(*) FROM objections");
    assert_eq!(after, before + 1);

    // The register: the new one verified and upheld, then the chair's decision.
    app.press(KeyCode::Char('b'));
    assert_eq!(app.ui.state.screen, app::Screen::Objections);
    shots(&mut app, "objections");
    app.press(KeyCode::Char('G'));
    app.press(KeyCode::Char('v'));
    app.press(KeyCode::Char('u'));
    app.typed("经向所在单位核实，实绩材料中两项数据有出入");
    shots(&mut app, "form_uphold");
    app.ctrl('s');
    let last = app.board().registers.objections.last().unwrap().clone();
    assert_eq!(last.state, ObjectionState::Upheld);
    assert_eq!(last.contact_masked, "*******5678", "the contact is masked");
    app.press(KeyCode::Char('c'));
    shots(&mut app, "form_decide");
    app.press(KeyCode::Esc);
    // Filtering by state.
    app.press(KeyCode::Char('f'));
    app.press(KeyCode::Char('f'));
    app.press(KeyCode::Char('f'));
    assert_eq!(app.board().registers.filter, Some(ObjectionState::Upheld));
    app.shot("objections_upheld_80x24", 80, 24);
    let screen = app.draw(120, 40).text();
    assert!(!screen.contains("13812345678"), "never the full contact");
    // The chair reveals it to verify: shown, audited, and masked again once the
    // register is left.
    let audited = |app: &App| {
        app.count("SELECT count(*) FROM audit WHERE action = 'reveal' AND entity = 'objection'")
    };
    let seen = audited(&app);
    app.press(KeyCode::Char('r'));
    assert_eq!(audited(&app), seen + 1);
    assert!(app.draw(120, 40).text().contains("13812345678"));
    app.ui.state.message = None;
    app.press(KeyCode::Tab);
    app.press(KeyCode::Tab);
    assert_eq!(app.ui.state.screen, app::Screen::Objections);
    assert!(!app.draw(120, 40).text().contains("13812345678"));

    // Certificates and the allowance roll.
    app.press(KeyCode::Tab);
    assert_eq!(app.ui.state.screen, app::Screen::Certificates);
    assert!(!app.board().registers.certificates.is_empty());
    shots(&mut app, "certificates");
    app.press(KeyCode::Char('n'));
    shots(&mut app, "form_inspection");
    app.press(KeyCode::Esc);
    app.press(KeyCode::Char('a'));
    assert!(app
        .board()
        .registers
        .allowance
        .as_ref()
        .is_some_and(|r| !r.rows.is_empty()));
    shots(&mut app, "allowance");
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.screen, app::Screen::List);

    // Closing is refused while the period runs, with the reason, before asking.
    app.press(KeyCode::Char('F'));
    assert!(app.ui.state.form.is_none(), "nothing to confirm");
    assert!(matches!(app.ui.state.message, Some(app::Message::Error(_))));
    app.shot("notice_close_refused_80x24", 80, 24);
    // Nobody is left to publish, and a published result cannot be reopened: both
    // said at once, with no form to fill in for nothing.
    for (key, says) in [('S', "没有等待公示"), ('U', "公示已开始")] {
        app.ui.state.message = None;
        app.press(KeyCode::Char(key));
        assert!(app.ui.state.form.is_none(), "{key}");
        assert!(
            matches!(&app.ui.state.message, Some(app::Message::Error(m)) if m.contains(says)),
            "{key}: {:?}",
            app.ui.state.message
        );
    }

    app.press(KeyCode::Char('L'));
    app.press(KeyCode::Char('b'));
    shots(&mut app, "objections_en");
    app.press(KeyCode::Esc);
    shots(&mut app, "notice_list_en");
    app.finish(&[]);
}

#[test]
fn search_popup_by_initials_opens_the_file_and_esc_comes_back() {
    let mut app = App::logged_in(Lang::Zh);
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('j'));
    let before = app.draw(80, 24).text();
    app.press(KeyCode::Char('/'));
    app.rt.wait_search(&mut app.ui);
    assert!(app.ui.screens.search.is_some());
    shots(&mut app, "search_empty");
    // A surname read by its surname reading, typed by initials.
    app.typed("oy");
    app.rt.wait_search(&mut app.ui);
    let s = app.ui.screens.search.as_ref().unwrap();
    assert!(!s.hits.is_empty(), "欧阳… by initials");
    assert!(s.hits[0].name.starts_with("欧阳"), "{:?}", s.hits[0].name);
    assert!(s
        .hits
        .iter()
        .all(|h| h.masked_id.starts_with("**************")));
    shots(&mut app, "search_initials");
    // A typo in the middle of the query, put right where it is.
    app.ctrl('l');
    app.typed("等级:中及 oy");
    app.rt.wait_search(&mut app.ui);
    assert!(app.ui.screens.search.as_ref().unwrap().error.is_some());
    for _ in 0..3 {
        app.press(KeyCode::Left);
    }
    app.press(KeyCode::Backspace);
    app.typed("级");
    app.rt.wait_search(&mut app.ui);
    let s = app.ui.screens.search.as_ref().unwrap();
    assert_eq!((s.query.before(), s.query.after()), ("等级:中级", " oy"));
    assert!(s.error.is_none(), "{:?}", s.error);
    assert!(!s.hits.is_empty());
    shots(&mut app, "search_typo_fixed");
    app.ctrl('l');
    app.typed("oy");
    app.rt.wait_search(&mut app.ui);
    // An unknown filter is named, not ignored.
    app.typed(" level:3");
    app.rt.wait_search(&mut app.ui);
    let s = app.ui.screens.search.as_ref().unwrap();
    assert!(
        s.error.as_deref().is_some_and(|e| e.contains("level")),
        "{:?}",
        s.error
    );
    app.shot("search_unknown_filter_80x24", 80, 24);
    for _ in 0.." level:3".chars().count() {
        app.press(KeyCode::Backspace);
    }
    app.rt.wait_search(&mut app.ui);
    let first = app.ui.screens.search.as_ref().unwrap().hits[0].clone();
    app.press(KeyCode::Enter);
    assert!(app.ui.screens.search.is_none());
    assert_eq!(app.ui.state.screen, app::Screen::File);
    assert_eq!(
        app.board().files.shown.as_ref().unwrap().file.id,
        first.person_id
    );
    app.press(KeyCode::Esc);
    app.ui.state.message = None;
    assert_eq!(
        app.draw(80, 24).text(),
        before,
        "back exactly where one was"
    );
    // From a file, a search opens another file; Esc comes back to the first one, on
    // the tab it was on, then to the list.
    app.press(KeyCode::Char('i'));
    app.press(KeyCode::Tab);
    app.press(KeyCode::Char('r'));
    assert!(app.board().files.shown.as_ref().unwrap().revealed.is_some());
    let first_file = app.board().files.shown.as_ref().unwrap().file.id;
    app.press(KeyCode::Char('/'));
    app.typed("oy");
    app.rt.wait_search(&mut app.ui);
    app.press(KeyCode::Enter);
    let second = app.board().files.shown.as_ref().unwrap();
    assert_ne!(second.file.id, first_file);
    assert_eq!(second.tab, 0);
    app.press(KeyCode::Esc);
    let back = app.board().files.shown.as_ref().unwrap();
    assert_eq!((back.file.id, back.tab), (first_file, 1));
    assert!(back.revealed.is_none(), "masked again once left");
    assert_eq!(app.ui.state.screen, app::Screen::File);
    app.press(KeyCode::Esc);
    app.ui.state.message = None;
    assert_eq!(app.draw(80, 24).text(), before, "then back to the list");
    // Enter before the answer to what was typed has come opens its best match, not
    // the best match of the query before.
    app.press(KeyCode::Char('/'));
    app.rt.wait_search(&mut app.ui);
    app.typed("oy");
    app.press(KeyCode::Enter);
    assert!(app.ui.screens.search.is_some(), "waits for the answer");
    app.rt.wait_search(&mut app.ui);
    assert!(app.ui.screens.search.is_none());
    let opened = &app.board().files.shown.as_ref().unwrap().file;
    assert!(opened.name.starts_with("欧阳"), "{}", opened.name);
    app.press(KeyCode::Esc);
    app.ui.state.message = None;
    assert_eq!(app.draw(80, 24).text(), before);
    // Esc on the popup leaves everything as it was.
    app.press(KeyCode::Char('/'));
    app.typed("zhang");
    app.rt.wait_search(&mut app.ui);
    app.press(KeyCode::Esc);
    assert!(app.ui.screens.search.is_none());
    assert_eq!(app.draw(80, 24).text(), before);
    app.press(KeyCode::Char('L'));
    app.press(KeyCode::Char('/'));
    app.typed("cat:secretary wang");
    app.rt.wait_search(&mut app.ui);
    shots(&mut app, "search_en");
    app.finish(&[]);
}

/// A demo built for a day of a year the demo rules hold no holiday calendar for: its
/// notice is counted as weekdays only, and the stage-6 list and the candidate's
/// details say so in the screen's language.
#[test]
fn a_notice_counted_without_a_holiday_calendar_says_so() {
    let day = NaiveDate::from_ymd_opt(2028, 2, 29).expect("a valid date");
    for (lang, warning) in [
        (Lang::Zh, "规则文件未录入2028年节假日安排"),
        (Lang::En, "the rules hold no holiday calendar for 2028"),
    ] {
        let mut app = App::start_on(lang, day).log_in();
        assert_eq!(app.ui.state.today(), day);
        app.press(KeyCode::Char('6'));
        let n = app
            .board()
            .list
            .notice
            .clone()
            .expect("the demo's notice is running");
        assert_eq!(n.uncovered_years, vec![2028]);
        assert!(!n.ended && n.days_left > 0, "{n:?}");
        let name = match lang {
            Lang::Zh => "notice_without_calendar",
            Lang::En => "notice_without_calendar_en",
        };
        for (w, h) in [(120, 40), (80, 24)] {
            let screen = app.shot(&format!("{name}_{w}x{h}"), w, h);
            let text = screen.text();
            let title = text.lines().nth(2).unwrap_or_default();
            assert!(title.contains('⚠'), "{w}x{h}: {title}");
            if w == 120 {
                // The details wrap the warning; its start is on one line.
                assert!(
                    text.replace(['│', '\n', ' '], "")
                        .contains(&warning.replace(' ', "")),
                    "{w}x{h}:\n{text}"
                );
            }
        }
        assert!(app.problems.is_empty(), "{:?}", app.problems);
    }
}

#[test]
fn a_sheet_open_while_the_chair_finalises_elsewhere_says_so_and_keeps_its_candidate() {
    use pingshen::service::{demo, Service};
    use pingshen::store::Store;
    let (_dir, path) = common::demo_file();
    // The member's app and the chair's connection of their own on the same file.
    let svc = Service::system(Store::open(&path).unwrap(), "test");
    let mut app = App::on(svc, Lang::Zh);
    app.typed("陈静怡");
    app.press(KeyCode::Enter);
    app.typed("1002");
    app.press(KeyCode::Enter);
    let mut chair = Service::system(Store::open(&path).unwrap(), "test");
    chair.set_clock(demo::fixed_clock());
    let mut chair = common::demo_login(chair, "周明远");
    chair.close_scoring().unwrap();
    let cycle = chair.open_cycle_id().unwrap();
    let ready = chair
        .results(cycle)
        .unwrap()
        .into_iter()
        .find(|r| r.finalised.is_none() && r.aggregate.as_ref().is_some_and(|a| a.quorum_met))
        .expect("a candidate ready to finalise");
    let name = ready.name.clone();

    // The member is on that candidate's sheet (locked: scoring is closed).
    app.press(KeyCode::Char('5'));
    app.select(&name);
    app.press(KeyCode::Enter);
    assert_eq!(app.ui.state.screen, app::Screen::Panel);
    chair.finalise(ready.app_id).unwrap();
    // The event loop's tick: the other connection's write is seen.
    assert!(app.rt.poll_changes(&mut app.ui));
    let said = format!("{name} 已由主任委员确定结果");
    assert!(
        matches!(&app.ui.state.message, Some(app::Message::Error(m)) if m.contains(&said)),
        "{:?}",
        app.ui.state.message
    );
    let screen = app.shot("sheet_finalised_elsewhere_120x40", 120, 40);
    assert!(
        screen.lines[2].contains(&format!("评分表 · {name}")),
        "the title keeps the candidate: {:?}",
        screen.lines[2]
    );
    assert_eq!(
        app.board().list.detail.as_ref().map(|d| d.app.id),
        Some(ready.app_id),
        "the details beside the sheet stay the candidate's"
    );
    assert!(screen.text().contains("评分表已锁定"));
    app.finish(&[]);
}

#[test]
fn questions_pastes_help_filter_and_no_colour() {
    let mut app = App::logged_in(Lang::Zh);
    // Pass asks, naming the candidate and where they go; a second a is no answer.
    let name = app.board().list.current().unwrap().name.clone();
    app.press(KeyCode::Char('a'));
    app.press(KeyCode::Char('a'));
    assert!(matches!(
        app.ui.state.form,
        Some(Form::Confirm(app::Confirm::Pass { .. }))
    ));
    let screen = app.shot("confirm_pass_80x24", 80, 24);
    assert!(screen.text().contains(&format!("通过 · {name}")));
    app.press(KeyCode::Char('n'));
    assert!(app.ui.state.form.is_none());

    // A paste on the list runs nothing.
    let before = app.count("SELECT count(*) FROM stage_records");
    for effect in app::handle_paste(&mut app.ui, "王a\ny") {
        app.rt.run_effect(&mut app.ui, effect);
    }
    assert!(app.ui.state.form.is_none());
    app.shot("paste_on_the_list_80x24", 80, 24);
    assert_eq!(app.count("SELECT count(*) FROM stage_records"), before);

    // A reason half typed: Ctrl-C asks; n gives the form back as it was.
    app.press(KeyCode::Char('2'));
    app.press(KeyCode::Char('r'));
    assert!(app.ui.state.form.is_some(), "{:?}", app.ui.state.message);
    for effect in app::handle_paste(&mut app.ui, "材料不全") {
        app.rt.run_effect(&mut app.ui, effect);
    }
    app.ctrl('c');
    assert!(!app.ui.state.quit);
    assert!(matches!(app.ui.state.form, Some(Form::Quit(_))));
    app.shot("quit_with_input_80x24", 80, 24);
    app.press(KeyCode::Char('n'));
    assert_eq!(app.fields().fields[0].text.as_str(), "材料不全");
    app.press(KeyCode::Esc);
    app.press(KeyCode::Char('y'));
    assert!(app.ui.state.form.is_none());

    // Help: this screen's keys first, and / filters them.
    app.press(KeyCode::Char('?'));
    app.press(KeyCode::Char('/'));
    app.typed("导出");
    app.press(KeyCode::Enter);
    let screen = app.shot("help_filtered_120x40", 120, 40);
    assert!(screen.text().contains("列表与环节（本屏幕）"));
    assert!(!screen.text().contains("上一评分项"), "filtered out");
    app.press(KeyCode::Esc);
    app.press(KeyCode::Esc);
    assert!(!app.ui.screens.help.open);

    // Without colour: the chosen option is marked in text, the selected row in
    // reverse video.
    app.theme = app.theme.without_colour();
    app.press(KeyCode::Char('4'));
    app.press(KeyCode::Char('v'));
    let screen = app.shot("no_colour_visit_form_80x24", 80, 24);
    assert!(screen.text().contains("[满意]"), "{}", screen.text());
    app.press(KeyCode::Esc);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| {
            render::render(&app.ui, &app.theme, &app.keymap, f);
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    let row = 4 + app.board().list.cursor.at as u16;
    assert!(
        buffer[(1, row)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED),
        "the selected row is in reverse video"
    );
    assert!(!buffer[(1, row + 1)]
        .modifier
        .contains(ratatui::style::Modifier::REVERSED));
    app.finish(&[]);
}

#[test]
fn a_keymap_file_with_a_bad_line_is_named_on_the_login_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(
        &path,
        "[[bind]]\nmode = \"table\"\naction = \"advance\"\nkeys = [\"A\"]\n\n[[bind]]\nmode = \"table\"\naction = \"return\"\nkeys = [\"ctrl-\"]\n",
    )
    .unwrap();
    let e = Keymap::with_user_file(&path).unwrap_err();
    assert_eq!((e.line, e.key.as_str()), (9, "keys"));
    let mut app = App::start(Lang::Zh);
    let shown = path.display().to_string();
    app.ui.screens.login.message = Some(e.zh().replace(&shown, "keymap.toml"));
    app.shot("login_keymap_error_80x24", 80, 24);
    assert!(e.zh().contains(&format!("{shown} 第 9 行 keys")));
    assert!(e.en().contains("line 9, keys: unknown key \"ctrl-\""));
    // The file's name, the setting and the key names are what the user writes in it.
    app.finish(&[
        ("login_keymap_error", "'keymap'"),
        ("login_keymap_error", "'toml'"),
        ("login_keymap_error", "'keys'"),
        ("login_keymap_error", "'ctrl'"),
    ]);
}

#[test]
fn the_review_meeting_for_the_chair_a_member_and_a_recused_member() {
    let (_dir, path) = common::demo_file();
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "" } else { "_en" };
        // A fresh demo for each language: the meeting starts from nothing.
        let _ = std::fs::remove_file(&path);
        let path = common::demo_file_in(path.parent().unwrap());
        let mut chair = App::on_file(&path, lang).log_in_as("周明远");
        let mut member = App::on_file(&path, lang).log_in_as("陈静怡");
        let mut recused = App::on_file(&path, lang).log_in_as("刘志强");
        // M on stage 5: the chair says where the meeting is and starts it.
        chair.press(KeyCode::Char('5'));
        chair.press(KeyCode::Char('M'));
        assert!(matches!(chair.ui.state.form, Some(Form::Fields(_))));
        chair.typed("第一会议室");
        chair.ctrl('s');
        assert_eq!(chair.ui.state.screen, app::Screen::Meeting);
        for a in [&mut member, &mut recused, &mut chair] {
            a.idle();
        }
        let agenda = chair.board().meeting.data.clone().expect("a meeting");
        assert!(agenda.current.is_none());
        shots(&mut chair, &format!("meeting_chair_start{tag}"));
        // The last of the agenda: 刘志强 must recuse from them.
        let last = agenda.agenda.last().unwrap().clone();
        assert!(last.recused.iter().any(|r| r.name == "刘志强"));
        chair.press(KeyCode::Char('G'));
        chair.press(KeyCode::Enter);
        for a in [&mut member, &mut recused, &mut chair] {
            a.idle();
        }
        // The member follows to the candidate's score sheet, the recused member to
        // the 回避 screen.
        assert_eq!(member.ui.state.screen, app::Screen::Panel);
        assert_eq!(member.board().sheet.app(), Some(last.app_id));
        assert_eq!(recused.ui.state.screen, app::Screen::Meeting);
        assert!(recused
            .board()
            .meeting
            .data
            .as_ref()
            .unwrap()
            .my_recusal
            .is_some());
        assert!(
            chair
                .board()
                .meeting
                .data
                .as_ref()
                .unwrap()
                .attendees
                .iter()
                .filter(|a| a.connected)
                .count()
                >= 3
        );
        shots(&mut chair, &format!("meeting_chair_turn{tag}"));
        shots(&mut member, &format!("meeting_member_sheet{tag}"));
        shots(&mut recused, &format!("meeting_recused{tag}"));
        // A member who looks elsewhere stops following until M.
        member.press(KeyCode::Esc);
        assert_eq!(member.ui.state.screen, app::Screen::List);
        member.press(KeyCode::Char('1'));
        // The first of the agenda: nobody recuses.
        chair.press(KeyCode::Char('g'));
        chair.press(KeyCode::Enter);
        member.idle();
        assert_eq!(member.ui.state.screen, app::Screen::List, "not following");
        let status = member.draw(120, 40).text();
        assert!(
            status.contains(if lang == Lang::Zh {
                "M 回到会议"
            } else {
                "M back to the meeting"
            }),
            "{status}"
        );
        // Back with one key, from the stage list of stage 1 too.
        member.press(KeyCode::Char('M'));
        assert_eq!(member.ui.state.screen, app::Screen::Panel);
        recused.idle();
        assert_eq!(
            recused.ui.state.screen,
            app::Screen::Panel,
            "stepped back in"
        );
        let current = chair
            .board()
            .meeting
            .data
            .as_ref()
            .unwrap()
            .current_row()
            .unwrap()
            .app_id;
        assert_eq!(recused.board().sheet.app(), Some(current));
        assert!(chair.problems.is_empty(), "{:?}", chair.problems);
        assert!(member.problems.is_empty(), "{:?}", member.problems);
        assert!(recused.problems.is_empty(), "{:?}", recused.problems);
    }
}
