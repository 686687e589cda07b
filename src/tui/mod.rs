//! The full-screen app: one state, one action type, pure rendering. The loop reads
//! keys, maps them through the keymap to actions, applies them with `update`, and runs
//! the resulting effects through the service layer.

pub mod app;
pub mod i18n;
pub mod keymap;
pub mod render;
pub mod theme;

use crate::service::{Service, ServiceError};
use crate::store::Store;
use anyhow::{Context, Result};
use app::{Board, Effect, LoginItem, Message, State};
use crossterm::event::{self, Event, KeyEventKind};
use i18n::Lang;
use keymap::Keymap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use theme::Theme;

/// How the app is started.
#[derive(Debug, Clone)]
pub struct Options {
    pub db: PathBuf,
    pub user: Option<i64>,
    pub theme: Option<String>,
    pub lang: Lang,
}

/// The database side of the app: a store before logging in, a service after.
pub struct Runtime {
    store: Option<Store>,
    svc: Option<Service>,
    db_name: String,
}

impl Runtime {
    pub fn new(store: Store, db: &Path) -> Runtime {
        Runtime {
            store: Some(store),
            svc: None,
            db_name: db
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    /// A runtime already logged in (tests, benchmarks).
    pub fn with_service(svc: Service, db_name: &str) -> Runtime {
        Runtime {
            store: None,
            svc: Some(svc),
            db_name: db_name.to_string(),
        }
    }

    pub fn service(&self) -> Option<&Service> {
        self.svc.as_ref()
    }

    /// The first state: the login list, with the demo PINs on a demo database.
    pub fn initial_state(
        &self,
        lang: Lang,
        theme_count: usize,
        user: Option<i64>,
    ) -> Result<State> {
        let store = self
            .store
            .as_ref()
            .or(self.svc.as_ref().map(|s| s.store()))
            .context("no database")?;
        let members: Vec<LoginItem> = crate::service::members::list(store)?
            .into_iter()
            .map(|m| LoginItem {
                id: m.id,
                name: m.name,
                role: m.role,
            })
            .collect();
        let mut state = State::new(
            lang,
            theme_count,
            members,
            chrono::Local::now().date_naive(),
        );
        let demo = store
            .conn()
            .query_row("SELECT value FROM meta WHERE key = 'demo'", [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|v| v == "1");
        if demo {
            state.login.demo_pins = crate::service::demo::demo_pins();
            state.today = crate::service::demo::demo_today().max(state.today);
        }
        if let Some(id) = user {
            match state.login.members.iter().position(|m| m.id == id) {
                Some(i) => {
                    state.login.selected = i;
                    state.login.chosen = Some(i);
                }
                None => anyhow::bail!("--user {id}: no such committee member"),
            }
        }
        Ok(state)
    }

    /// Runs one effect, changing the state with its result.
    pub fn run_effect(&mut self, state: &mut State, effect: Effect) {
        let lang = state.lang;
        // A session left open past midnight applies the new day's date.
        let now = chrono::Local::now().date_naive();
        if state.follow_clock && now > state.today {
            state.today = now;
            if let Some(svc) = self.svc.as_mut() {
                svc.set_today(now);
            }
        }
        let outcome: Result<Option<String>, ServiceError> = match effect {
            Effect::Quit => Ok(None),
            Effect::Login { member, pin } => {
                let Some(store) = self.store.take() else {
                    return;
                };
                match Service::login(store, member, &pin) {
                    Ok(mut svc) => {
                        svc.set_today(state.today);
                        self.svc = Some(svc);
                        if let Err(e) = self.enter_board(state) {
                            // Stay on the login screen, able to try again.
                            state.board = None;
                            self.store = self.svc.take().map(Service::into_store);
                            state.login.message = Some(e.to_string());
                        }
                    }
                    Err(boxed) => {
                        let (store, e) = *boxed;
                        self.store = Some(store);
                        state.login.message = Some(match &e {
                            ServiceError::Locked(until) => match lang {
                                Lang::Zh => format!("口令连续错误三次，已锁定至 {until}"),
                                Lang::En => format!("Three wrong PINs: locked until {until}"),
                            },
                            ServiceError::Forbidden(_) => {
                                lang.pick("口令错误", "Wrong PIN").to_string()
                            }
                            other => other.to_string(),
                        });
                    }
                }
                return;
            }
            Effect::Reload => self.reload(state).map(|_| None),
            Effect::LoadDetail(id) => self.load_detail(state, id).map(|_| None),
            Effect::Transition { app, transition } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.transition(app, transition).map(|p| {
                    Some(match lang {
                        Lang::Zh => format!("已办理：{} · {}", p.stage.zh(), p.status.zh()),
                        Lang::En => {
                            format!("Done: now {} · {}", p.stage.en(), lang.status(p.status))
                        }
                    })
                })
            }
            Effect::Override { app, reason } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.override_eligibility(app, &reason).map(|_| {
                    Some(
                        lang.pick(
                            "已记录破格理由，可按 a 通过",
                            "Override recorded; press a to pass",
                        )
                        .to_string(),
                    )
                })
            }
            Effect::Score { app, score } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.record_test_score(app, score)
                    .map(|_| Some(lang.pick("成绩已保存", "Score saved").to_string()))
            }
            Effect::Visit {
                app,
                date,
                visitors,
                findings,
                rating,
            } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.record_visit(app, date, &visitors, &findings, rating)
                    .map(|_| Some(lang.pick("走访记录已保存", "Visit recorded").to_string()))
            }
        };
        match outcome {
            Ok(Some(done)) => {
                if let Some(b) = state.board.as_mut() {
                    b.last_saved = Some(chrono::Local::now().format("%H:%M:%S").to_string());
                }
                let reloaded = self.reload(state);
                state.message = Some(match reloaded {
                    Ok(()) => Message::Info(done),
                    Err(e) => Message::Error(e.to_string()),
                });
            }
            Ok(None) => {}
            Err(e) => state.message = Some(Message::Error(error_text(&e, lang))),
        }
    }

    fn enter_board(&mut self, state: &mut State) -> Result<(), ServiceError> {
        let svc = self.svc.as_ref().expect("logged in");
        let cycle = svc.open_cycle()?;
        let role = svc.role();
        let member = svc.actor().name.clone();
        state.board = Some(Board {
            member,
            role,
            cycle: cycle.name,
            cycle_id: cycle.id,
            db_name: self.db_name.clone(),
            stage: 1,
            ..Board::default()
        });
        self.reload(state)
    }

    /// Reloads the counts, the current stage's rows and the selected detail.
    pub fn reload(&mut self, state: &mut State) -> Result<(), ServiceError> {
        let (Some(svc), Some(b)) = (self.svc.as_ref(), state.board.as_mut()) else {
            return Ok(());
        };
        let stage = crate::domain::Stage::SIX[b.stage.clamp(1, 6) - 1];
        b.counts = svc.stage_counts(b.cycle_id)?;
        b.rows = svc.stage_rows(b.cycle_id, stage)?;
        b.keys.clear();
        b.rebuild_view();
        let id = b.current().map(|r| r.id);
        match id {
            Some(id) => self.load_detail(state, id),
            None => {
                b.detail = None;
                Ok(())
            }
        }
    }

    fn load_detail(&mut self, state: &mut State, id: i64) -> Result<(), ServiceError> {
        let (Some(svc), Some(b)) = (self.svc.as_ref(), state.board.as_mut()) else {
            return Ok(());
        };
        b.detail = Some(svc.detail(id)?);
        Ok(())
    }
}

/// A refusal from the service layer in the interface language.
pub fn error_text(e: &ServiceError, lang: Lang) -> String {
    match (e, lang) {
        (ServiceError::Transition(t), Lang::Zh) => t.zh(),
        // In the app, refusals by role are the only ones of stages 1-4.
        (ServiceError::Forbidden(m), Lang::Zh) => match m.split_once(" (") {
            Some((role, _)) if !role.is_empty() => format!("无权操作：{role}不能进行此项操作"),
            _ => format!("无权操作：{m}"),
        },
        (ServiceError::Locked(until), Lang::Zh) => format!("口令连续错误三次，已锁定至 {until}"),
        _ => e.to_string(),
    }
}

/// Opens the app on a database in the terminal.
pub fn run(opts: Options) -> Result<()> {
    let themes = theme::load_all(theme::user_dir().as_deref())?;
    let mut theme_index = match &opts.theme {
        None => 0,
        Some(name) => {
            let t = theme::select(&themes, name)?;
            themes.iter().position(|x| x.name == t.name).unwrap_or(0)
        }
    };
    let store = Store::open(&opts.db)?;
    let mut rt = Runtime::new(store, &opts.db);
    let mut state = rt.initial_state(opts.lang, themes.len(), opts.user)?;
    state.theme = theme_index;
    state.follow_clock = true;
    let keymap = Keymap::builtin();
    let mut terminal = ratatui::init();
    let result = (|| -> Result<()> {
        loop {
            theme_index = state.theme % themes.len();
            let theme: &Theme = &themes[theme_index];
            let mut page = state.page;
            terminal.draw(|f| page = render::render(&state, theme, &keymap, f))?;
            state.page = page.max(1);
            if state.quit {
                return Ok(());
            }
            if !event::poll(Duration::from_millis(500))? {
                continue;
            }
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    for effect in app::handle_key(&mut state, &keymap, k) {
                        rt.run_effect(&mut state, effect);
                    }
                }
                _ => {} // a resize redraws on the next turn
            }
        }
    })();
    ratatui::restore();
    result
}
