//! The database side of the app: it runs the effects the screens ask for through the
//! service, and hands what came of them back to the screens as events.

use super::app::{App, Effect, LoginItem, Message, Screen, Session};
use super::effect::{self, Done};
use super::screens;
use crate::i18n::Lang;
use crate::service::{Service, ServiceError};
use crate::store::Store;
use anyhow::{Context, Result};
use chrono::Datelike;
use std::path::Path;
use std::time::Duration;

/// The database side of the app: a store before logging in, a service after.
pub struct Runtime {
    store: Option<Store>,
    svc: Option<Service>,
    db_name: String,
    /// The database's data version when the screen was last loaded.
    seen_version: i64,
    /// The search thread with its index of persons, made on the first `/`.
    search: Option<crate::search::SearchWorker>,
    /// The index no longer matches the database (something was written since).
    search_stale: bool,
    /// The audit log's last row when the screen was last loaded: a change of the data
    /// version without a new audit row is only presence (the meeting's heartbeats).
    seen_mark: i64,
    /// When this app last said it is alive in the meeting (the service's clock).
    last_beat: Option<chrono::DateTime<chrono::Utc>>,
}

impl Runtime {
    pub fn new(store: Store, db: &Path) -> Runtime {
        app_busy_wait(&store);
        Runtime {
            store: Some(store),
            svc: None,
            db_name: db
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            seen_version: 0,
            search: None,
            search_stale: false,
            seen_mark: 0,
            last_beat: None,
        }
    }

    /// A runtime already logged in (tests, benchmarks).
    pub fn with_service(svc: Service, db_name: &str) -> Runtime {
        app_busy_wait(svc.store());
        Runtime {
            store: None,
            svc: Some(svc),
            db_name: db_name.to_string(),
            seen_version: 0,
            search: None,
            search_stale: false,
            seen_mark: 0,
            last_beat: None,
        }
    }

    pub fn service(&self) -> Option<&Service> {
        self.svc.as_ref()
    }

    /// The first state: the login list, with the demo PINs on a demo database.
    pub fn initial_state(&self, lang: Lang, theme_count: usize, user: Option<i64>) -> Result<App> {
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
        let mut ui = App::new(lang, theme_count, members, crate::service::clock_for(store));
        if crate::service::demo::is_demo(store) {
            ui.screens.login.demo_pins = crate::service::demo::demo_pins();
        }
        if let Some(id) = user {
            match ui.screens.login.members.iter().position(|m| m.id == id) {
                Some(i) => {
                    ui.screens.login.cursor.at = i;
                    ui.screens.login.chosen = Some(i);
                }
                None => anyhow::bail!("--user {id}: no such committee member"),
            }
        }
        Ok(ui)
    }

    /// Runs one effect, changing the state with its result.
    pub fn run_effect(&mut self, ui: &mut App, effect: Effect) {
        self.run_try(ui, effect, 1);
    }

    /// Tries again, once each, the saves waiting for a busy database: called on each
    /// tick of the event loop (tests call it themselves). Returns whether it tried any.
    pub fn retry_unsaved(&mut self, ui: &mut App) -> bool {
        if ui.state.session.is_none() {
            return false;
        }
        let due = ui.screens.sheet.due();
        for u in &due {
            self.run_try(ui, u.effect.clone(), u.tries + 1);
        }
        !due.is_empty()
    }

    /// A save of the score sheet that failed: the sheet marks it (a busy database is
    /// tried again on the next ticks) and then shows what the disk holds.
    fn save_failed(&mut self, ui: &mut App, effect: Effect, tries: u32, e: &ServiceError) {
        let lang = ui.state.lang;
        let app = screens::sheet::save_app(&effect);
        let failure = effect::SaveFailure {
            effect,
            tries,
            busy: is_busy(e),
            error: error_text(e, lang),
        };
        ui.on_event(screens::Event::SaveFailed(failure));
        // The sheet shows what the disk holds; the mark shows what was typed.
        if let Some(app) = app {
            if let Err(e) = self.load_sheet(ui, app) {
                ui.state.message = Some(Message::Error(error_text(&e, lang)));
            }
        }
    }

    /// Runs one effect, changing the state with its result; `tries` counts the tries of
    /// a save waiting for a busy database.
    fn run_try(&mut self, ui: &mut App, effect: Effect, tries: u32) {
        let lang = ui.state.lang;
        // The form this write was submitted from, to give back if it is refused.
        let submitted = ui.state.submitted.take();
        // A save of the score sheet, which the sheet marks saved or not saved.
        let sheet_save = screens::sheet::save_app(&effect).map(|_| effect.clone());
        // The candidate a write is about, named in what the status line says of it.
        let subject = effect.app();
        let outcome: Result<Option<Done>, ServiceError> = match effect {
            Effect::Quit => Ok(None),
            Effect::Login { member, pin } => {
                let Some(store) = self.store.take() else {
                    return;
                };
                match Service::login(store, ui.state.clock, member, &pin) {
                    Ok(svc) => {
                        self.svc = Some(svc);
                        if let Err(e) = self.enter_board(ui) {
                            // Stay on the login screen, able to try again.
                            ui.state.session = None;
                            self.store = self.svc.take().map(Service::into_store);
                            ui.screens.login.message = Some(error_text(&e, lang));
                        }
                    }
                    Err(boxed) => {
                        let (store, e) = *boxed;
                        self.store = Some(store);
                        ui.screens.login.message = Some(match &e {
                            ServiceError::Locked(until) => match lang {
                                Lang::Zh => format!("口令连续错误三次，已锁定至 {until}"),
                                Lang::En => format!("Three wrong PINs: locked until {until}"),
                            },
                            ServiceError::WrongPin => {
                                lang.pick("口令错误", "Wrong PIN").to_string()
                            }
                            other => error_text(other, lang),
                        });
                    }
                }
                return;
            }
            Effect::Reload => self.reload(ui).map(|_| None),
            Effect::LoadDetail(id) => self.load_detail(ui, id).map(|_| None),
            Effect::Transition { app, transition } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.transition(app, transition)
                    .map(|p| Some(Done::Moved(p)))
            }
            Effect::Override { app, reason } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.override_eligibility(app, &reason)
                    .map(|_| Some(Done::Overridden))
            }
            Effect::Score { app, score } => {
                let svc = self.svc.as_mut().expect("logged in");
                svc.record_test_score(app, score)
                    .map(|_| Some(Done::TestScore))
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
                    .map(|_| Some(Done::Visit))
            }
            Effect::LoadSheet(app) => self.load_sheet(ui, app).map(|_| None),
            Effect::Load(Screen::Meeting) => self.load_meeting(ui).map(|_| None),
            Effect::Load(screen) => self.load(ui, screen).map(|_| None),
            Effect::Follow(app) => self.follow(ui, app).map(|_| None),
            Effect::OpenFile(person) => self.open_file(ui, person).map(|_| None),
            Effect::Reveal(person) => self.reveal(ui, person),
            Effect::RevealContact(objection) => self.reveal_contact(ui, objection),
            Effect::Search(query) => self.search(ui, &query).map(|_| None),
            e @ (Effect::StartNotice(_)
            | Effect::RecordObjection(_)
            | Effect::ObjectionStep { .. }
            | Effect::Decide { .. }
            | Effect::CloseNotice(_)
            | Effect::Export { .. }
            | Effect::Inspection { .. }
            | Effect::JobChange(_)) => self.run_notice(e),
            other => self.run_evaluation(ui, other),
        };
        match outcome {
            Ok(Some(done)) => {
                self.search_stale = true;
                let at = ui.state.clock.local_now().format("%H:%M:%S").to_string();
                ui.on_event(screens::Event::Saved {
                    at,
                    sheet: sheet_save,
                });
                match self.reload(ui).and_then(|_| self.reload_screen(ui)) {
                    Ok(()) => {
                        let subject = subject.and_then(|app| {
                            let svc = self.svc.as_ref()?;
                            Some((app, svc.application(app).ok()?.name))
                        });
                        ui.on_event(screens::Event::Done { done, subject })
                    }
                    Err(e) => ui.state.message = Some(Message::Error(error_text(&e, lang))),
                }
            }
            Ok(None) => {}
            Err(e) => {
                // The form comes back with what was typed; the refusal says why.
                if submitted.is_some() && ui.state.form.is_none() {
                    ui.state.form = submitted;
                }
                match sheet_save {
                    Some(effect) => self.save_failed(ui, effect, tries, &e),
                    // Any other write refused by a busy database: said until read.
                    None if is_busy(&e) => {
                        ui.state.message = None;
                        ui.state.alert = Some(super::ctx::Alert {
                            text: error_text(&e, lang)
                                + lang.pick("（Esc 关闭）", " (Esc to dismiss)"),
                            retrying: false,
                        });
                    }
                    None => ui.state.message = Some(Message::Error(error_text(&e, lang))),
                }
            }
        }
    }

    fn enter_board(&mut self, ui: &mut App) -> Result<(), ServiceError> {
        let svc = self.svc.as_ref().expect("logged in");
        let cycle = svc.open_cycle()?;
        let role = svc.role();
        let allowed = crate::domain::Deed::ALL
            .iter()
            .copied()
            .filter(|d| svc.may(*d))
            .collect();
        let member = svc.actor().name.clone();
        let criteria = cycle
            .rules
            .criteria
            .iter()
            .map(|c| (c.key.clone(), c.name.clone(), c.name_en.clone()))
            .collect();
        let last_year = ui.state.today().year() - 1;
        let session = Session {
            member,
            member_id: svc.actor().member_id.unwrap_or(0),
            role,
            cycle: cycle.name,
            cycle_id: cycle.id,
            db_name: self.db_name.clone(),
            criteria,
            allowed,
        };
        ui.signed_in(session, last_year);
        self.reload(ui)
    }

    /// Reloads the counts, the current stage's rows and the selected detail, and the
    /// meeting under way (which the app may follow).
    pub fn reload(&mut self, ui: &mut App) -> Result<(), ServiceError> {
        self.reload_list(ui)?;
        self.load_meeting(ui)
    }

    /// Reads the meeting under way and follows it: to the candidate now discussed, or
    /// to the meeting screen for a member who must recuse.
    fn load_meeting(&mut self, ui: &mut App) -> Result<(), ServiceError> {
        let (Some(svc), Some(session)) = (self.svc.as_ref(), ui.state.session.as_ref()) else {
            return Ok(());
        };
        let meeting = screens::meeting::load(svc, session.cycle_id)?;
        match ui.meeting_loaded(meeting) {
            Some(screens::meeting::Follow::Sheet(app)) => self.follow(ui, app),
            Some(screens::meeting::Follow::Here) | None => Ok(()),
        }
    }

    /// To a candidate's score sheet on stage 5, the list's cursor on them.
    fn follow(&mut self, ui: &mut App, app: i64) -> Result<(), ServiceError> {
        if ui.state.stage != crate::domain::Stage::Evaluation {
            ui.state.stage = crate::domain::Stage::Evaluation;
            ui.screens.list.go_to_stage();
            self.reload_list(ui)?;
        }
        for effect in ui.open_sheet(app) {
            self.run_effect(ui, effect);
        }
        Ok(())
    }

    /// Says this app is alive in the meeting under way (every few seconds, between
    /// keys), and which candidate it shows. Returns whether the screen should be drawn
    /// again (the meeting's clock runs).
    pub fn tick(&mut self, ui: &mut App) -> bool {
        let Some(svc) = self.svc.as_mut() else {
            return false;
        };
        if ui.state.session.is_none() {
            return false;
        }
        let now = svc.clock().now();
        let due = self.last_beat.is_none_or(|t| {
            (now - t).num_seconds() >= crate::service::meeting::HEARTBEAT_SECONDS as i64
        });
        if due {
            self.last_beat = Some(now);
            let viewing = match ui.state.screen {
                Screen::Panel => ui.screens.sheet.app(),
                _ => None,
            };
            // A meeting this app has not read yet: read it (and follow it).
            let joined = matches!(svc.meeting_heartbeat(viewing), Ok(Some(_)));
            if joined != ui.screens.meeting.data.is_some() {
                if let Err(e) = self.load_meeting(ui) {
                    ui.state.message = Some(Message::Error(error_text(&e, ui.state.lang)));
                }
                return true;
            }
        }
        ui.screens.meeting.data.is_some()
    }

    /// Reloads the counts, the current stage's rows and the selected detail.
    fn reload_list(&mut self, ui: &mut App) -> Result<(), ServiceError> {
        let (Some(svc), Some(session)) = (self.svc.as_ref(), ui.state.session.as_ref()) else {
            return Ok(());
        };
        self.seen_version = svc.store().data_version();
        self.seen_mark = svc.change_mark()?;
        let data = screens::list::load(svc, session.cycle_id, ui.state.stage)?;
        ui.on_event(screens::Event::List(Box::new(data)));
        // The details beside the score sheet stay its candidate's, even when they
        // left the stage's list (finalised in another terminal).
        let id = match (ui.state.screen, ui.screens.sheet.app()) {
            (Screen::Panel, Some(app)) => Some(app),
            _ => ui.screens.list.current().map(|r| r.id),
        };
        match id {
            Some(id) => self.load_detail(ui, id),
            None => Ok(()),
        }
    }

    /// Reloads what the stage-5 screen shows (the sheet, the board, the results).
    fn reload_screen(&mut self, ui: &mut App) -> Result<(), ServiceError> {
        if ui.state.session.is_none() {
            return Ok(());
        }
        match ui.state.screen {
            // The meeting is read again with every reload.
            Screen::List | Screen::Meeting => Ok(()),
            Screen::Objections | Screen::Certificates | Screen::Allowance => {
                if let Some(effect) = ui.reload_effect() {
                    self.run_effect(ui, effect);
                }
                Ok(())
            }
            Screen::File => match ui.screens.files.shown.as_ref().map(|f| f.file.id) {
                Some(id) => self.open_file(ui, id),
                None => Ok(()),
            },
            // The score sheet, the board, the results, the ranking.
            _ => match ui.reload_effect() {
                Some(Effect::LoadSheet(app)) => self.load_sheet(ui, app),
                Some(Effect::Load(screen)) => self.load(ui, screen),
                _ => Ok(()),
            },
        }
    }

    /// Refreshes the screen when another terminal has written to the database since
    /// it was loaded. Returns whether it did.
    pub fn poll_changes(&mut self, ui: &mut App) -> bool {
        let Some(svc) = self.svc.as_ref() else {
            return false;
        };
        if ui.state.session.is_none() || svc.store().data_version() == self.seen_version {
            return false;
        }
        // Only presence changed (another app in the meeting said it is alive): the
        // meeting's panel alone is read again.
        if svc.change_mark().is_ok_and(|m| m == self.seen_mark) {
            self.seen_version = svc.store().data_version();
            if ui.screens.meeting.data.is_none() {
                return false;
            }
            if let Err(e) = self.load_meeting(ui) {
                ui.state.message = Some(Message::Error(error_text(&e, ui.state.lang)));
            }
            return true;
        }
        self.search_stale = true;
        let (subject, row) = (ui.form_subject(), ui.list_subject());
        if let Err(e) = self.reload(ui).and_then(|_| self.reload_screen(ui)) {
            ui.state.message = Some(Message::Error(error_text(&e, ui.state.lang)));
        }
        ui.check_list_subject(row);
        ui.check_form_subject(subject);
        true
    }

    /// Starts a search for the popup on the search thread. The first one starts the
    /// thread, which reads the persons on its own (a database in memory is read
    /// here); when something was written since, the index is brought up to date
    /// first.
    fn search(&mut self, ui: &mut App, query: &str) -> Result<(), ServiceError> {
        let Some(svc) = self.svc.as_ref() else {
            return Ok(());
        };
        // A thread that could not read the file tries again from scratch.
        if self.search.as_ref().is_some_and(|w| w.failure().is_some()) {
            self.search = None;
        }
        match self.search.as_ref() {
            None => {
                self.search = Some(match svc.store().path() {
                    Some(path) => crate::search::SearchWorker::open(path),
                    None => crate::search::SearchWorker::spawn(svc.search_index()?),
                });
                self.search_stale = false;
            }
            Some(w) if self.search_stale => {
                svc.sync_search(w)?;
                self.search_stale = false;
            }
            Some(_) => {}
        }
        if let (Some(w), Some(popup)) = (self.search.as_ref(), ui.screens.search.as_mut()) {
            popup.pending = Some(w.search(query, screens::search::LIMIT));
            popup.indexing = !w.is_ready();
        }
        Ok(())
    }

    /// Takes the newest answer of the search thread into the popup. Returns whether
    /// the popup changed.
    pub fn poll_search(&mut self, ui: &mut App) -> bool {
        let Some(w) = self.search.as_ref() else {
            return false;
        };
        let mut changed = false;
        let mut open = None;
        while let Some(reply) = w.try_recv() {
            let (c, o) = apply_reply(ui, reply);
            changed |= c;
            open = o.or(open);
        }
        if let Some(popup) = ui.screens.search.as_mut() {
            let failure = w.failure().map(|f| f.to_string());
            changed |= popup.worker_state(ui.state.lang, !w.is_ready(), failure, w.is_running());
            // A search thread that stopped answers nothing more: a new one starts on
            // the next `/`.
            if !w.is_running() {
                self.search = None;
            }
        }
        if let Some(person) = open {
            self.open_from_search(ui, person);
        }
        changed
    }

    /// Waits (a few seconds at most) for the answer to the search the popup is waiting
    /// for: for tests and benchmarks, which have no event loop.
    pub fn wait_search(&mut self, ui: &mut App) {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while ui
            .screens
            .search
            .as_ref()
            .is_some_and(|s| s.pending.is_some())
        {
            let Some(w) = self.search.as_ref() else {
                return;
            };
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return;
            }
            if let Some(reply) = w.recv_timeout(left) {
                if let (_, Some(person)) = apply_reply(ui, reply) {
                    self.open_from_search(ui, person);
                }
            }
        }
    }

    /// Opens the file of a match that Enter chose before its answer came.
    fn open_from_search(&mut self, ui: &mut App, person: i64) {
        ui.screens.search = None;
        if let Err(e) = self.open_file(ui, person) {
            ui.state.message = Some(Message::Error(error_text(&e, ui.state.lang)));
        }
    }

    /// Loads a personnel file and shows it.
    fn open_file(&mut self, ui: &mut App, person: i64) -> Result<(), ServiceError> {
        let Some(svc) = self.svc.as_ref() else {
            return Ok(());
        };
        let file = screens::file::load(svc, person)?;
        ui.on_event(screens::Event::File(Box::new(file)));
        Ok(())
    }

    /// Reveals the shown file's ID number, phone and address (audited).
    fn reveal(&mut self, ui: &mut App, person: i64) -> Result<Option<Done>, ServiceError> {
        let Some(svc) = self.svc.as_mut() else {
            return Ok(None);
        };
        let revealed = svc.reveal_person(person)?;
        ui.on_event(screens::Event::Revealed { person, revealed });
        Ok(None)
    }

    /// Reveals an objector's full contact in the register (audited).
    fn reveal_contact(
        &mut self,
        ui: &mut App,
        objection: i64,
    ) -> Result<Option<Done>, ServiceError> {
        let Some(svc) = self.svc.as_mut() else {
            return Ok(None);
        };
        let contact = svc.reveal_objection_contact(objection)?;
        ui.on_event(screens::Event::ContactRevealed { objection, contact });
        Ok(None)
    }

    /// Loads the acting member's sheet for the score sheet when it shows `app`.
    fn load_sheet(&mut self, ui: &mut App, app: i64) -> Result<(), ServiceError> {
        let Some(svc) = self.svc.as_ref() else {
            return Ok(());
        };
        match screens::sheet::load(svc, &ui.screens.sheet, app) {
            Ok(None) => Ok(()),
            Ok(Some(sheet)) => {
                ui.on_event(screens::Event::Sheet { app, sheet });
                Ok(())
            }
            Err(e) => {
                // Nothing to show: back to the list, with the refusal.
                ui.on_event(screens::Event::SheetRefused(app));
                Err(e)
            }
        }
    }

    /// Loads the progress board, the results and the ranking (as far as the actor may
    /// see them).
    /// Loads what a screen shows (see [`screens::load`]).
    fn load(&mut self, ui: &mut App, screen: Screen) -> Result<(), ServiceError> {
        let (Some(svc), Some(session)) = (self.svc.as_ref(), ui.state.session.as_ref()) else {
            return Ok(());
        };
        if let Some(event) = screens::load(svc, session, &ui.screens, screen)? {
            ui.on_event(event);
        }
        Ok(())
    }

    /// The scoring effects: saving, submitting, the session, finalising, reopening and
    /// conflicts.
    fn run_evaluation(
        &mut self,
        ui: &mut App,
        effect: Effect,
    ) -> Result<Option<Done>, ServiceError> {
        let svc = self.svc.as_mut().expect("logged in");
        match effect {
            Effect::Meeting(step) => {
                use super::effect::MeetingStep as S;
                match &step {
                    S::Start { place } => svc.start_meeting(place).map(|_| ())?,
                    S::Discuss(app) => svc.discuss_now(*app)?,
                    S::Move { app, by } => svc.move_on_agenda(*app, *by)?,
                    S::Discussion => svc.open_discussion()?,
                    S::Revision => svc.open_revision()?,
                    S::Extend => svc.extend_turn().map(|_| ())?,
                    S::End => svc.end_meeting()?,
                }
                if matches!(step, S::Start { .. }) {
                    ui.state.screen = Screen::Meeting;
                }
                Ok(Some(Done::Meeting(step)))
            }
            Effect::SaveScore {
                app,
                criterion,
                value,
            } => {
                svc.save_score(app, &criterion, value)?;
                Ok(Some(Done::Score(value)))
            }
            Effect::Revise {
                app,
                criterion,
                value,
                reason,
            } => {
                svc.revise_score(app, &criterion, value, &reason)?;
                Ok(Some(Done::Revised(value)))
            }
            Effect::Comment {
                app,
                criterion,
                text: comment,
            } => {
                svc.save_comment(app, &criterion, &comment)?;
                Ok(Some(Done::Comment))
            }
            Effect::SubmitSheet { app, zero } => {
                for key in &zero {
                    svc.save_score(app, key, 0.0)?;
                }
                svc.submit_sheet(app)?;
                let name = svc.application(app)?.name;
                // Score and move on: the next candidate still to score — except in a
                // review meeting, where the chair says who is next.
                self.reload(ui)?;
                let in_meeting = ui.screens.meeting.data.is_some();
                let next = if in_meeting { None } else { ui.score_next() };
                let moved = match next {
                    Some((next, effects)) => {
                        for fx in effects {
                            self.run_effect(ui, fx);
                        }
                        Some(next)
                    }
                    None => None,
                };
                Ok(Some(Done::Submitted { name, next: moved }))
            }
            Effect::OpenScoring => {
                svc.open_scoring()?;
                Ok(Some(Done::ScoringOpen))
            }
            Effect::CloseScoring => {
                let drafts = svc.close_scoring()?;
                Ok(Some(Done::ScoringClosed { drafts }))
            }
            Effect::Finalise(app) => {
                let agg = svc.finalise(app)?;
                let a = svc.application(app)?;
                Ok(Some(Done::Finalised {
                    name: a.name,
                    result: agg.result,
                    passed: a.result_passed == Some(true),
                }))
            }
            Effect::Reopen { app, reason } => {
                svc.reopen_result(app, &reason)?;
                Ok(Some(Done::Reopened))
            }
            Effect::Conflict {
                member,
                app,
                kind,
                reason,
            } => {
                let person = svc.application(app)?.person_id;
                svc.declare_conflict(member, person, kind, &reason)?;
                Ok(Some(Done::Conflict))
            }
            _ => Ok(None),
        }
    }

    /// The effects of stage 6: the notice, objections, certificates and exports.
    fn run_notice(&mut self, effect: Effect) -> Result<Option<Done>, ServiceError> {
        let svc = self.svc.as_mut().expect("logged in");
        match effect {
            Effect::StartNotice(start) => {
                let (id, first, last) = svc.start_notice(start)?;
                let warning =
                    crate::domain::workdays::uncovered_warning(&svc.notice(id)?.uncovered_years);
                Ok(Some(Done::NoticeStarted {
                    first,
                    last,
                    warning,
                }))
            }
            Effect::RecordObjection(o) => {
                let id = svc.record_objection(&o)?;
                let late = svc.objection(id)?.late;
                Ok(Some(Done::Objection { id, late }))
            }
            Effect::ObjectionStep { id, step } => {
                let s = svc.objection_step(id, &step)?;
                Ok(Some(Done::ObjectionStep { id, state: s }))
            }
            Effect::Decide {
                id,
                decision,
                reason,
            } => {
                svc.decide_objection(id, decision, &reason)?;
                Ok(Some(Done::Decided(decision)))
            }
            Effect::CloseNotice(id) => {
                let r = svc.close_notice(id)?;
                Ok(Some(Done::NoticeClosed {
                    certified: r.certified.len(),
                    not_certified: r.not_certified.len(),
                }))
            }
            Effect::Export { what, format } => {
                use crate::service::registers::RegisterKind;
                let (kind, year, stem) = match what {
                    effect::ExportWhat::Notice => {
                        (RegisterKind::Notice, None, "公示名单".to_string())
                    }
                    effect::ExportWhat::Objections => {
                        (RegisterKind::Objections, None, "异议登记簿".to_string())
                    }
                    effect::ExportWhat::Certificates => {
                        (RegisterKind::Certificates, None, "证书登记簿".to_string())
                    }
                    effect::ExportWhat::Allowance(y) => (
                        RegisterKind::Allowance,
                        Some(y),
                        format!("红领津贴名册-{y}"),
                    ),
                    effect::ExportWhat::Minutes(lang) => return export_minutes(svc, lang, format),
                };
                let path = free_path(&stem, format.ext());
                crate::service::registers::write(svc, kind, None, year, format, &path).map_err(
                    |e| crate::service::Refusal::NotExported {
                        problem: format!("{e:#}"),
                    },
                )?;
                Ok(Some(Done::Exported(path)))
            }
            Effect::Inspection {
                certificate,
                year,
                assessment,
                reason,
            } => {
                let outcome = svc.record_inspection(certificate, year, assessment, &reason)?;
                Ok(Some(Done::Inspection { year, outcome }))
            }
            Effect::JobChange(j) => {
                svc.record_job_change(&j)?;
                Ok(Some(Done::JobChange {
                    left_party_work: j.left_party_work,
                }))
            }
            _ => Ok(None),
        }
    }

    fn load_detail(&mut self, ui: &mut App, id: i64) -> Result<(), ServiceError> {
        let Some(svc) = self.svc.as_ref() else {
            return Ok(());
        };
        let detail = screens::list::load_detail(svc, id)?;
        ui.on_event(screens::Event::Detail(Box::new(detail)));
        Ok(())
    }
}

/// Puts a search answer into the popup (see [`screens::search::SearchPopup::answered_by`]).
fn apply_reply(ui: &mut App, reply: crate::search::Reply) -> (bool, Option<i64>) {
    let lang = ui.state.lang;
    match ui.screens.search.as_mut() {
        Some(popup) => popup.answered_by(reply, lang),
        None => (false, None),
    }
}

/// How long the app's connection waits for another writer: short, so that a locked
/// database never freezes the screen (a save is tried again from the event loop).
const APP_BUSY_TIMEOUT: Duration = Duration::from_millis(200);

/// Makes the app's connection give up quickly on a busy database.
fn app_busy_wait(store: &Store) {
    // Without it the store keeps its longer wait, which only makes saves slower.
    let _ = store.set_busy_wait(APP_BUSY_TIMEOUT, 0);
}

/// Whether the database was held by another connection, so nothing was written.
fn is_busy(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Store(s) if s.is_busy())
}

/// A refusal from the service layer in the interface language.
pub fn error_text(e: &ServiceError, lang: Lang) -> String {
    if is_busy(e) {
        return lang
            .pick(
                "数据库正被其他程序占用，未保存任何内容；请稍后再试",
                "The database is busy (another program is writing); nothing was saved. Try again in a moment",
            )
            .to_string();
    }
    match lang {
        Lang::Zh => e.zh(),
        Lang::En => e.en(),
    }
}

/// Writes the minutes of the cycle's latest review meeting into the working folder.
fn export_minutes(
    svc: &Service,
    lang: Lang,
    format: crate::service::files::Format,
) -> Result<Option<Done>, ServiceError> {
    let m = svc.minutes(None)?;
    let path = free_path(&m.file_stem(lang), format.ext());
    crate::service::minutes::write(svc, Some(m.meeting_id), lang, format, &path).map_err(|e| {
        crate::service::Refusal::NotExported {
            problem: format!("{e:#}"),
        }
    })?;
    Ok(Some(Done::Exported(path)))
}

/// A file `stem.ext` in the working folder, never over one already there: the next
/// free name (`stem-2.ext`, …).
fn free_path(stem: &str, ext: &str) -> std::path::PathBuf {
    let dir = std::env::current_dir().unwrap_or_default();
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.{ext}")),
            n => dir.join(format!("{stem}-{n}.{ext}")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.{ext}")))
}
