//! The full-screen app: one action type, screens that own their state, pure
//! rendering. The loop reads keys, maps them through the keymap to actions, applies
//! them with `update`, and runs the resulting effects through the runtime, whose
//! results come back to the screens as events. See `src/ARCHITECTURE.md`.

pub mod app;
pub mod ctx;
pub mod effect;
pub mod keymap;
pub mod render;
pub mod runtime;
pub mod screens;
pub mod session;
pub mod state;
pub mod text_input;
pub mod theme;
pub mod widgets;

pub use runtime::{error_text, Runtime};

use crate::i18n::Lang;
use crate::store::Store;
use anyhow::Result;
use crossterm::event::{self, Event, KeyEventKind};
use keymap::Keymap;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use theme::Theme;
// (the loop below)

/// What the app asks of the terminal besides ratatui's raw mode and alternate screen:
/// a paste arrives as one text, never as keys; the mouse's clicks and wheel come as
/// events.
fn enter_terminal() {
    use crossterm::event::{EnableBracketedPaste, EnableMouseCapture};
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste, EnableMouseCapture);
}

/// Gives the terminal back as it was: on quitting and before a Ctrl-Z stops the app.
fn leave_terminal() {
    use crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    ratatui::restore();
    // `restore` leaves the alternate screen; the cursor, hidden while drawing, is
    // shown again here, also when no drop follows (a signal ends the process).
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// How the app is started.
#[derive(Debug, Clone)]
pub struct Options {
    pub db: PathBuf,
    pub user: Option<i64>,
    /// The login offers `user` alone (over SSH: the member the key belongs to).
    pub only: bool,
    pub theme: Option<String>,
    pub lang: Lang,
    /// The user's file of key bindings, if any.
    pub keymap: Option<PathBuf>,
}

/// Opens the app on a database in the terminal.
pub fn run(opts: Options) -> Result<()> {
    // A theme file with a mistake is skipped and said on standard error before the app
    // takes the screen; it is there to read again when the app gives the screen back.
    let loaded = theme::load_all(theme::user_dir().as_deref());
    let (mut theme_index, fallback) = theme::choose(&loaded, opts.theme.as_deref())?;
    for error in loaded.skipped.iter().map(|s| &s.error).chain(&fallback) {
        eprintln!("pingshen: {}", theme::warning(opts.lang, error));
    }
    // NO_COLOR (https://no-color.org): no colour at all; the selection in reverse
    // video and marked in text.
    let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let themes: Vec<Theme> = match no_colour {
        true => loaded.themes.iter().map(Theme::without_colour).collect(),
        false => loaded.themes,
    };
    let store = Store::open(&opts.db)?;
    let mut rt = Runtime::new(store, &opts.db);
    let mut ui = rt.initial_state(opts.lang, themes.len(), opts.user)?;
    if let (true, Some(id)) = (opts.only, opts.user) {
        ui.screens.login.keep_only(id);
    }
    ui.state.theme = theme_index;
    // A keymap file with a mistake is said (file, line and key) and the built-in keys
    // are used: on standard error, and on the login screen.
    let keymap = match opts.keymap.as_deref().map(Keymap::with_user_file) {
        Some(Ok(k)) => k,
        Some(Err(e)) => {
            let text = match opts.lang {
                Lang::Zh => e.zh(),
                Lang::En => e.en(),
            };
            eprintln!("pingshen: {text}");
            ui.screens.login.message = Some(text);
            Keymap::builtin()
        }
        None => Keymap::builtin(),
    };
    // SIGTERM, SIGHUP and SIGINT end the app through the loop below, which restores the
    // terminal first (in raw mode Ctrl-C is a key, handled as quit). A second signal
    // while the first waits ends the process at once.
    let signalled = Arc::new(AtomicUsize::new(0));
    let twice = Arc::new(AtomicBool::new(false));
    for sig in [SIGTERM, SIGHUP, SIGINT] {
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&twice))?;
        signal_hook::flag::register_usize(sig, Arc::clone(&signalled), sig as usize)?;
        signal_hook::flag::register(sig, Arc::clone(&twice))?;
    }
    // A terminal that goes away (its window or multiplexer closed) reads as an endless
    // end of file, on which crossterm's wait for a key never returns: a watchdog ends
    // the process as a hang-up would, and ends it too if a signal's orderly exit
    // through the loop does not come within a second.
    {
        let signalled = Arc::clone(&signalled);
        std::thread::spawn(move || {
            let mut waited = 0;
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let sig = signalled.load(Ordering::Relaxed);
                let gone = crossterm::terminal::size().is_err();
                if sig != 0 {
                    waited += 1;
                }
                if gone || waited >= 4 {
                    let code = if sig != 0 { sig } else { SIGHUP as usize };
                    std::process::exit(128 + code as i32);
                }
            }
        });
    }
    let mut terminal = ratatui::init();
    enter_terminal();
    let result = (|| -> Result<()> {
        // Drawn again only after a key, a resize, a search answer or a change saved
        // elsewhere.
        let mut dirty = true;
        loop {
            if dirty {
                theme_index = ui.state.theme % themes.len();
                let theme: &Theme = &themes[theme_index];
                let mut page = ui.state.page;
                terminal.draw(|f| page = render::render(&ui, theme, &keymap, f))?;
                ui.state.page = page.max(1);
                dirty = false;
            }
            if ui.state.quit || signalled.load(Ordering::Relaxed) != 0 {
                return Ok(());
            }
            // Between keys, take search answers, try again saves waiting for a busy
            // database and follow what other terminals save (within a second).
            let waiting = ui
                .screens
                .search
                .as_ref()
                .is_some_and(|s| s.pending.is_some());
            let wait = Duration::from_millis(if waiting { 10 } else { 300 });
            let ready = match event::poll(wait) {
                Ok(ready) => ready,
                // A signal may interrupt the wait.
                Err(_) if signalled.load(Ordering::Relaxed) != 0 => continue,
                Err(e) => return Err(e.into()),
            };
            if !ready {
                dirty = rt.poll_search(&mut ui) || !waiting && rt.poll_changes(&mut ui);
                dirty |= rt.retry_unsaved(&mut ui);
                // The meeting: this app says it is alive, and its clock runs.
                dirty |= rt.tick(&mut ui);
                continue;
            }
            match event::read()? {
                // Ctrl-Z: the terminal given back, the process stopped as a shell's
                // job; on fg the screen is taken again and drawn anew.
                Event::Key(k)
                    if k.kind != KeyEventKind::Release
                        && k.code == crossterm::event::KeyCode::Char('z')
                        && k.modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL) =>
                {
                    leave_terminal();
                    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                    terminal = ratatui::init();
                    enter_terminal();
                    terminal.clear()?;
                    dirty = true;
                }
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    for effect in app::handle_key(&mut ui, &keymap, k) {
                        rt.run_effect(&mut ui, effect);
                    }
                    dirty = true;
                }
                Event::Paste(text) => {
                    for effect in app::handle_paste(&mut ui, &text) {
                        rt.run_effect(&mut ui, effect);
                    }
                    dirty = true;
                }
                Event::Mouse(m) => {
                    let size = terminal.size().map(|s| (s.width, s.height))?;
                    for effect in app::handle_mouse(&mut ui, &keymap, m, size) {
                        rt.run_effect(&mut ui, effect);
                    }
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
    })();
    leave_terminal();
    drop(terminal);
    let sig = signalled.load(Ordering::Relaxed);
    if sig != 0 {
        // Ended by a signal: the terminal is restored; exit as the signal would have.
        drop(rt);
        std::process::exit(128 + sig as i32);
    }
    result
}
