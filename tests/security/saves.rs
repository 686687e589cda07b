//! What the screen says is what the disk holds: a score typed while another process
//! holds the database's write lock is never shown as saved, its error stays until it
//! is read, the app does not hang on the lock, and once the lock is gone the value is
//! saved and marked. And a signal never leaves the terminal in the app's screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pingshen::i18n::Lang;
use pingshen::service::evaluation::Cell;
use pingshen::service::{demo, Service};
use pingshen::store::Store;
use pingshen::tui::app::{self, App as Ui};
use pingshen::tui::keymap::Keymap;
use pingshen::tui::screens::sheet::{Panel, SAVE_TRIES};
use pingshen::tui::theme::Theme;
use pingshen::tui::{render, Runtime};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rusqlite::Connection;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

/// How long a press may take with the database locked before the test calls it hung:
/// far longer than any bounded wait, far shorter than a hang.
const HUNG: Duration = Duration::from_secs(60);

/// The member who scores, with the demo PIN.
const MEMBER: &str = "陈静怡";
const PIN: &str = "1002";

/// The app's state and runtime on a demo database in a file, on the fixed clock.
struct App {
    rt: Runtime,
    ui: Ui,
    keymap: Keymap,
}

impl App {
    fn open(path: &Path, lang: Lang) -> App {
        let rt = Runtime::new(Store::open(path).expect("the database opens"), path);
        let mut ui = rt.initial_state(lang, 1, None).expect("the login screen");
        ui.state.clock = demo::fixed_clock();
        App {
            rt,
            ui,
            keymap: Keymap::builtin(),
        }
    }

    fn press(&mut self, code: KeyCode) {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        for effect in app::handle_key(&mut self.ui, &self.keymap, key) {
            self.rt.run_effect(&mut self.ui, effect);
        }
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Runs `f` on another thread and waits for it a bounded time: with the database
    /// locked, an app that waits for the lock fails the test instead of hanging it.
    fn bounded(self, what: &str, f: impl FnOnce(&mut App) + Send + 'static) -> App {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut app = self;
            f(&mut app);
            let _ = tx.send(app);
        });
        rx.recv_timeout(HUNG)
            .unwrap_or_else(|_| panic!("{what}: no answer with the database locked"))
    }

    fn board(&self) -> &app::Screens {
        assert!(self.ui.state.session.is_some(), "logged in");
        &self.ui.screens
    }

    fn panel(&self) -> &Panel {
        self.board()
            .sheet
            .panel
            .as_ref()
            .expect("on the score sheet")
    }

    /// The screen as text, drawn as the app draws it.
    fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
        let theme = Theme::default_theme();
        terminal
            .draw(|f| {
                render::render(&self.ui, &theme, &self.keymap, f);
            })
            .expect("drawn");
        let buf = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..buf.area.height {
            let mut hidden = 0;
            for x in 0..buf.area.width {
                // The cell behind a wide character is not shown.
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                let symbol = buf[(x, y)].symbol();
                hidden = symbol.width().saturating_sub(1);
                text.push_str(symbol);
            }
            text.push('\n');
        }
        text
    }

    /// The line of the screen holding `what` (the sheet's total, the status bar).
    fn line_with(&self, what: &str) -> String {
        let screen = self.screen();
        screen
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no line with {what:?}:\n{screen}"))
            .to_string()
    }

    /// The sheet's total line and the status bar's first line.
    fn saved_marks(&self) -> (String, String) {
        let total = match self.ui.state.lang {
            Lang::Zh => "合计",
            Lang::En => "Total",
        };
        (self.line_with(total), self.line_with("demo.sqlite3"))
    }
}

/// Logs in as the member and opens the score sheet of a candidate they have not
/// scored yet. Returns the application and the member.
fn to_sheet(app: &mut App) -> (i64, i64) {
    app.typed(MEMBER);
    app.press(KeyCode::Enter);
    app.typed(PIN);
    app.press(KeyCode::Enter);
    assert!(
        app.ui.state.session.is_some(),
        "logged in: {:?}",
        app.ui.screens.login.message
    );
    app.press(KeyCode::Char('5'));
    let b = app.board();
    let (app_id, name) = b
        .list
        .view
        .iter()
        .map(|i| &b.list.rows[*i])
        .find(|r| b.list.my_cells.get(&r.id) == Some(&Cell::Pending) && r.status.code() == "active")
        .map(|r| (r.id, r.name.clone()))
        .expect("a candidate the member has not scored");
    let member = app.ui.state.session.as_ref().expect("logged in").member_id;
    app.press(KeyCode::Char('g'));
    for _ in 0..app.board().list.view.len() {
        if app.board().list.current().is_some_and(|r| r.name == name) {
            break;
        }
        app.press(KeyCode::Char('j'));
    }
    app.press(KeyCode::Enter);
    assert_eq!(app.ui.state.screen, app::Screen::Panel);
    assert!(app.panel().sheet.is_some(), "the sheet is loaded");
    (app_id, member)
}

/// The stored value of a criterion, if any.
fn stored(conn: &Connection, app: i64, member: i64, criterion: &str) -> Option<f64> {
    conn.query_row(
        "SELECT value FROM scores WHERE application_id = ?1 AND member_id = ?2 AND criterion = ?3",
        rusqlite::params![app, member, criterion],
        |r| r.get(0),
    )
    .ok()
}

/// Another process holding the write lock.
fn lock(path: &Path) -> Connection {
    let conn = crate::common::open_db(path);
    conn.execute_batch("BEGIN IMMEDIATE")
        .expect("the write lock");
    conn
}

fn criterion(app: &App, row: usize) -> String {
    app.panel().sheet.as_ref().expect("a sheet").criteria[row]
        .key
        .clone()
}

fn locked_save_is_never_shown_saved(lang: Lang) {
    let (_dir, path) = crate::common::demo_file();
    let mut app = App::open(&path, lang);
    let (app_id, member) = to_sheet(&mut app);
    // A saved time is the fixed clock's.
    let (not_saved, saved) = match lang {
        Lang::Zh => ("未保存", "已保存 10:42:05"),
        Lang::En => ("not saved", "saved 10:42:05"),
    };

    // The first value saves while nobody holds the lock: marked with its time.
    let first = criterion(&app, 0);
    app.typed("18");
    app.press(KeyCode::Enter);
    assert_eq!(
        stored(&lock_free(&path), app_id, member, &first),
        Some(18.0)
    );
    assert!(
        app.panel().saved.is_some(),
        "the first value is marked saved"
    );
    let (total, status) = app.saved_marks();
    assert!(total.contains('✓') && total.contains(saved), "{total}");
    assert!(status.contains(saved), "{status}");

    // Another process takes the write lock; the second value is typed and saved.
    let locker = lock(&path);
    let second = criterion(&app, 1);
    assert_eq!(
        app.panel().row.at,
        1,
        "Enter moved on to the second criterion"
    );
    let mut app = app.bounded("a save", |app| {
        app.typed("22.5");
        app.press(KeyCode::Enter);
    });
    assert_eq!(
        stored(&locker, app_id, member, &second),
        None,
        "not on disk"
    );
    let p = app.panel();
    assert_eq!(p.saved, None, "no saved time beside a value not saved");
    assert_eq!(app.board().sheet.last_saved, None);
    let mark = app
        .board()
        .sheet
        .unsaved
        .first()
        .expect("the value is marked unsaved");
    assert_eq!(mark.value(), Some(22.5));
    assert!(mark.retrying, "a busy database is tried again");
    let alert = app.ui.state.alert.clone().expect("an alert says so");
    assert!(alert.retrying);
    let busy = match lang {
        Lang::Zh => "数据库正被占用，正在重试…",
        Lang::En => "The database is busy; retrying…",
    };
    assert!(alert.text.contains(busy), "{}", alert.text);
    // The sheet shows what the disk holds; the typed value only as not saved.
    assert_eq!(p.sheet.as_ref().unwrap().criteria[1].value, None);
    let screen = app.screen();
    assert!(screen.contains(busy), "{screen}");
    assert!(app.line_with("22.5").contains(not_saved), "{screen}");
    let (total, status) = app.saved_marks();
    for line in [&total, &status] {
        assert!(line.contains(not_saved), "{line}");
        assert!(!line.contains('✓'), "no ✓ beside a value not saved: {line}");
        assert!(!line.contains(saved), "no saved time: {line}");
    }

    // The next key does not wipe it.
    app.press(KeyCode::Char('k'));
    assert!(
        app.ui.state.alert.is_some(),
        "the alert survives the next key"
    );

    // The event loop tries again on its ticks, a bounded number of times, then gives up;
    // still nothing on disk and nothing marked saved.
    let mut app = app.bounded("the retries", |app| {
        for _ in 0..SAVE_TRIES {
            app.rt.retry_unsaved(&mut app.ui);
        }
        assert!(!app.rt.retry_unsaved(&mut app.ui), "no more tries");
    });
    assert_eq!(stored(&locker, app_id, member, &second), None);
    let alert = app.ui.state.alert.clone().expect("the failure is said");
    assert!(!alert.retrying, "given up");
    let gave_up = match lang {
        Lang::Zh => "未保存：数据库一直被其他程序占用",
        Lang::En => "was not saved: another program kept the database busy",
    };
    assert!(alert.text.contains(gave_up), "{}", alert.text);
    assert!(app.board().sheet.unsaved.iter().all(|u| !u.retrying));
    assert_eq!(app.panel().saved, None);
    // Keys that move, that refuse (a letter is no score) and that move again: a
    // refusal answers its key on the message line, and then the alert is back.
    for key in [KeyCode::Char('j'), KeyCode::Char('x'), KeyCode::Char('k')] {
        app.press(key);
        assert_eq!(
            app.ui.state.alert.as_ref(),
            Some(&alert),
            "survives {key:?}"
        );
    }
    let (total, status) = app.saved_marks();
    for line in [&total, &status] {
        assert!(line.contains(not_saved) && !line.contains('✓'), "{line}");
    }
    let screen = app.screen();
    assert!(screen.contains(gave_up), "{screen}");
    // Submitting is refused while a value is not saved.
    app.press(KeyCode::Char('j'));
    app.press(KeyCode::Enter);
    assert!(
        app.ui.state.form.is_none(),
        "no submit with a value not saved"
    );

    // The lock goes; the value typed again is saved and marked, and the alert goes.
    drop(locker);
    app.press(KeyCode::Char('k'));
    assert_eq!(app.panel().row.at, 1);
    app.typed("22.5");
    app.press(KeyCode::Enter);
    assert_eq!(
        stored(&lock_free(&path), app_id, member, &second),
        Some(22.5)
    );
    assert!(app.panel().saved.is_some(), "marked saved");
    assert!(app.board().sheet.unsaved.is_empty());
    assert_eq!(
        app.ui.state.alert, None,
        "the alert goes once the value is saved"
    );
    let (total, status) = app.saved_marks();
    assert!(total.contains('✓') && total.contains(saved), "{total}");
    assert!(status.contains(saved), "{status}");
    assert!(!app.screen().contains(not_saved));
}

/// A plain connection that takes no lock, to read what is committed.
fn lock_free(path: &Path) -> Connection {
    crate::common::open_db(path)
}

#[test]
fn a_save_against_a_locked_database_is_never_shown_saved() {
    locked_save_is_never_shown_saved(Lang::Zh);
}

#[test]
fn a_save_against_a_locked_database_is_never_shown_saved_in_english() {
    locked_save_is_never_shown_saved(Lang::En);
}

#[test]
fn a_save_waiting_for_the_lock_is_saved_on_a_later_tick() {
    let (_dir, path) = crate::common::demo_file();
    let mut app = App::open(&path, Lang::Zh);
    let (app_id, member) = to_sheet(&mut app);
    let key = criterion(&app, 0);
    let locker = lock(&path);
    let mut app = app.bounded("a save", |app| {
        app.typed("15");
        app.press(KeyCode::Enter);
        app.rt.retry_unsaved(&mut app.ui);
    });
    assert_eq!(stored(&locker, app_id, member, &key), None);
    assert!(app.ui.state.alert.as_ref().is_some_and(|a| a.retrying));
    assert_eq!(app.panel().saved, None);
    // Esc dismisses the message once read, leaving the sheet open and the value marked.
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.alert, None);
    assert_eq!(app.ui.state.screen, app::Screen::Panel);
    assert_eq!(app.board().sheet.unsaved.len(), 1);
    drop(locker);
    assert!(app.rt.retry_unsaved(&mut app.ui), "tried again");
    assert_eq!(stored(&lock_free(&path), app_id, member, &key), Some(15.0));
    assert!(app.board().sheet.unsaved.is_empty());
    assert!(app.panel().saved.is_some(), "marked saved once it is");
    assert!(matches!(&app.ui.state.message, Some(app::Message::Info(m)) if m.contains("15")));
    assert!(!app.rt.retry_unsaved(&mut app.ui), "nothing left to try");
}

#[test]
fn a_refused_save_stays_marked_unsaved_until_dismissed() {
    let (_dir, path) = crate::common::demo_file();
    let mut app = App::open(&path, Lang::En);
    let (app_id, member) = to_sheet(&mut app);
    let key = criterion(&app, 0);
    // The chair closes scoring from another terminal while the sheet is open.
    {
        let chair_id = app
            .ui
            .screens
            .login
            .members
            .iter()
            .find(|m| m.role == pingshen::domain::Role::Chair)
            .expect("a chair")
            .id;
        let mut chair = Service::login(
            Store::open(&path).expect("the database"),
            demo::fixed_clock(),
            chair_id,
            "1001",
        )
        .map_err(|e| e.1.to_string())
        .expect("the chair logs in");
        chair.close_scoring().expect("scoring closed");
    }
    app.typed("15");
    app.press(KeyCode::Enter);
    assert_eq!(stored(&lock_free(&path), app_id, member, &key), None);
    let alert = app.ui.state.alert.clone().expect("the refusal stays");
    assert!(!alert.retrying);
    assert!(alert.text.contains("not saved"), "{}", alert.text);
    assert_eq!(app.panel().saved, None);
    assert!(app.screen().contains("not saved"));
    app.press(KeyCode::Char('j'));
    assert_eq!(app.ui.state.alert.as_ref(), Some(&alert));
    app.press(KeyCode::Esc);
    assert_eq!(app.ui.state.alert, None, "Esc dismisses it");
}

/// The real binary in a pseudo-terminal, ended by a signal: the terminal is given back
/// (the alternate screen left, the cursor shown) before it exits.
/// The real app on a fresh demo in a pseudo-terminal, showing its login screen: the
/// child, the terminal's master side, everything the app wrote, and its folder.
type InPty = (
    Box<dyn portable_pty::Child + Send + Sync>,
    Box<dyn portable_pty::MasterPty + Send>,
    Arc<Mutex<Vec<u8>>>,
    tempfile::TempDir,
);

fn app_in_pty() -> InPty {
    let (dir, cmd) = app_command();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let child = pair.slave.spawn_command(cmd).expect("the app starts");
    drop(pair.slave);
    let raw = Arc::new(Mutex::new(Vec::<u8>::new()));
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let sink = Arc::clone(&raw);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(&buf[..n]);
        }
    });
    let output = || raw.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let shows = |bytes: &[u8]| output().windows(bytes.len()).any(|w| w == bytes);
    // Wait for the login screen.
    let start = Instant::now();
    while !(shows(b"\x1b[?1049h") && shows(PIN.as_bytes())) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the app never drew its screen: {:?}",
            String::from_utf8_lossy(&output())
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, pair.master, raw, dir)
}

/// A fresh demo in a temporary folder, and the command that opens the app on it.
fn app_command() -> (tempfile::TempDir, CommandBuilder) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("demo.sqlite3");
    crate::common::init_demo(dir.path(), db.to_str().expect("a UTF-8 path"));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pingshen"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.cwd(dir.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "zh_CN.UTF-8");
    cmd.env("HOME", dir.path());
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_DATA_HOME", dir.path().join("data"));
    (dir, cmd)
}

/// Waits (at most 20 s) for the app to end.
fn ended(
    child: &mut Box<dyn portable_pty::Child + Send + Sync>,
    what: &str,
) -> portable_pty::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            return status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{what} did not end the app");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_terminal_closed_under_the_app_ends_it_rather_than_leaving_it_spinning() {
    // Nothing reads the terminal here, so that closing its master side closes it
    // (a small one: the app's first screen fits in the terminal's buffer).
    let (_dir, cmd) = app_command();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 12,
            cols: 40,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut child = pair.slave.spawn_command(cmd).expect("the app starts");
    drop(pair.slave);
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        child.try_wait().expect("the child's status").is_none(),
        "the app runs"
    );
    // The window closes: the terminal's other side goes away.
    drop(pair.master);
    let status = ended(&mut child, "closing the terminal");
    assert!(!status.success(), "ends as a hang-up would");
}

fn signal_restores_the_terminal(signal: &str) {
    let (mut child, _master, raw, _dir) = app_in_pty();
    let output = || raw.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let pid = child.process_id().expect("the child's pid");
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = ended(&mut child, &format!("SIG{signal}"));
    assert!(!status.success(), "SIG{signal}: exits as a signal would");
    // The reader may still be taking in the last bytes.
    let start = Instant::now();
    while !output().ends_with(b"\x1b[?25h") && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = output();
    let text = String::from_utf8_lossy(&out);
    let tail = &text[text.len().saturating_sub(200)..];
    let left = out.windows(8).rposition(|w| w == b"\x1b[?1049l");
    let entered = out.windows(8).rposition(|w| w == b"\x1b[?1049h");
    assert!(
        left.is_some() && left > entered,
        "SIG{signal}: the alternate screen is left at the end: {tail:?}"
    );
    let shown = out.windows(6).rposition(|w| w == b"\x1b[?25h");
    let hidden = out.windows(6).rposition(|w| w == b"\x1b[?25l");
    assert!(
        out.ends_with(b"\x1b[?25h") && shown > hidden,
        "SIG{signal}: the cursor is shown at the end: {tail:?}"
    );
    // Nothing is drawn after leaving the alternate screen.
    let after = &out[left.unwrap_or(0) + 8..];
    assert!(
        after.iter().all(|b| *b != b'\n') && after.len() < 32,
        "SIG{signal}: only the cursor after leaving: {:?}",
        String::from_utf8_lossy(after)
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM");
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("HUP");
}

#[test]
fn sigint_restores_the_terminal() {
    signal_restores_the_terminal("INT");
}
