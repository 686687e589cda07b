//! Stage 5 in the app: the score sheet (panel), the chair's progress board, the
//! results and the ranking. Keys in, state and effects out, like `app`.

use super::app::{say, Board, Confirm, Effect, Form, Message, Panel, ReasonFor, Screen, State};
use super::i18n::Lang;
use super::keymap::{Action, Keymap};
use crate::domain::eligibility::fmt_num;
use crate::domain::Role;
use crate::service::evaluation::Cell;

/// The longest value one types (e.g. `17.5`, `100`).
const MAX_TYPED: usize = 5;

/// Stage-5 (and reopen at stage 6) actions of the list.
pub fn table_action(state: &mut State, keymap: &Keymap, action: Action) -> Vec<Effect> {
    if super::app::refused_here(state, keymap, action) {
        return vec![];
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let current = b.current().map(|r| (r.id, r.name.clone()));
    match action {
        Action::ScorePanel => match current {
            Some((app, _)) => open_panel(b, app),
            None => {
                say(state, "列表为空", "The list is empty");
                vec![]
            }
        },
        Action::Progress => open_overview(b, Screen::Progress),
        Action::Results => open_overview(b, Screen::Results),
        Action::Session => session(b),
        Action::Conflict => match current {
            Some((app, name)) => {
                conflict_form(state, app, name);
                vec![]
            }
            None => vec![],
        },
        Action::Reopen => match current {
            // A candidate whose notice has started cannot be reopened: say so before
            // a reason is typed.
            Some((app, _))
                if b.notice
                    .as_ref()
                    .is_some_and(|n| n.candidates.iter().any(|c| c.app_id == app)) =>
            {
                let e = crate::domain::stage::TransitionError::NoticeStarted;
                state.message = Some(Message::Error(match state.lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                }));
                vec![]
            }
            Some((app, name)) => {
                b.form = Some(Form::reason(state.lang, app, &name, ReasonFor::Reopen));
                vec![]
            }
            None => vec![],
        },
        _ => vec![],
    }
}

fn open_panel(b: &mut Board, app: i64) -> Vec<Effect> {
    forget_given_up(b);
    b.screen = Screen::Panel;
    b.panel = Some(Panel {
        app,
        sheet: None,
        recused: None,
        row: 0,
        typed: String::new(),
        saved: None,
    });
    vec![Effect::LoadSheet(app), Effect::LoadDetail(app)]
}

fn open_overview(b: &mut Board, screen: Screen) -> Vec<Effect> {
    b.screen = screen;
    b.cursor = 0;
    vec![Effect::LoadOverview]
}

/// Leaving a sheet forgets the values whose save was given up (the alert still says
/// they were not saved): the sheet shows what the disk holds when it is opened again.
/// Values still being tried again keep their mark.
fn forget_given_up(b: &mut Board) {
    b.unsaved.retain(|u| u.retrying);
}

/// Opens scoring, or asks before closing it.
fn session(b: &mut Board) -> Vec<Effect> {
    if b.session.as_ref().is_some_and(|s| s.is_open()) {
        let (drafts, pending) = b.progress.as_ref().map_or((0, 0), |p| {
            p.rows
                .iter()
                .filter(|r| !r.finalised)
                .fold((0, 0), |(d, n), r| {
                    (d + r.count(Cell::Draft), n + r.count(Cell::Pending))
                })
        });
        b.form = Some(Form::Confirm(Confirm::CloseScoring { drafts, pending }));
        vec![]
    } else {
        vec![Effect::OpenScoring]
    }
}

/// The conflict form: the chair declares for any scorer, a member for themself.
fn conflict_form(state: &mut State, app: i64, name: String) {
    let Some(b) = state.board.as_mut() else {
        return;
    };
    let members: Vec<(i64, String)> = state
        .login
        .members
        .iter()
        .filter(|m| match b.role {
            Some(Role::Chair) => m.role != Role::Secretary,
            _ => m.id == b.member_id,
        })
        .map(|m| (m.id, m.name.clone()))
        .collect();
    if members.is_empty() {
        state.message = Some(Message::Error(
            state
                .lang
                .pick("只有评委可以申报回避", "Only scorers declare conflicts")
                .into(),
        ));
        return;
    }
    let member = members.iter().position(|m| m.0 == b.member_id).unwrap_or(0);
    let lang = state.lang;
    let kinds = super::app::CONFLICT_KINDS
        .iter()
        .map(|k| super::widgets::labels::conflict_kind(k, lang).to_string())
        .collect();
    let chair = b.role == Some(Role::Chair);
    b.form = Some(Form::conflict(
        lang, app, &name, members, member, kinds, chair,
    ));
}

/// What became of a typed value.
enum Commit {
    /// Nothing was typed.
    Nothing,
    Saved(Effect),
    /// The sheet is submitted: a reason form is open.
    NeedsReason,
    Invalid,
}

/// Saves the typed value of the current criterion, if any.
fn commit(state: &mut State) -> Commit {
    let lang = state.lang;
    let Some(b) = state.board.as_mut() else {
        return Commit::Nothing;
    };
    let Some(p) = b.panel.as_mut() else {
        return Commit::Nothing;
    };
    if p.typed.is_empty() {
        return Commit::Nothing;
    }
    let Some(sheet) = p.sheet.as_ref() else {
        return Commit::Nothing;
    };
    let c = &sheet.criteria[p.row.min(sheet.criteria.len() - 1)];
    let value = p
        .typed
        .parse::<f64>()
        .ok()
        .filter(|v| sheet.valid(p.row, *v));
    let Some(value) = value else {
        let step = fmt_num(sheet.step);
        state.message = Some(Message::Error(match lang {
            Lang::Zh => format!("{}须为 0 到 {}，每档 {step} 分", c.name, fmt_num(c.max)),
            Lang::En => format!(
                "{} must be 0 to {} in steps of {step}",
                c.name_en,
                fmt_num(c.max)
            ),
        }));
        return Commit::Invalid;
    };
    p.typed.clear();
    let (app, key) = (p.app, c.key.clone());
    let label = lang.pick(&c.name, &c.name_en).to_string();
    if sheet.status == Cell::Submitted {
        if c.value == Some(value) {
            return Commit::Nothing;
        }
        b.form = Some(Form::revise(lang, app, &key, &label, value));
        return Commit::NeedsReason;
    }
    // Shown at once; the saved sheet replaces it when the save returns.
    if let Some(s) = p.sheet.as_mut() {
        s.criteria[p.row].value = Some(value);
    }
    Commit::Saved(Effect::SaveScore {
        app,
        criterion: key,
        value,
    })
}

/// Whether the sheet may be changed now; says why not otherwise.
fn editable(state: &mut State) -> bool {
    let Some(p) = state.board.as_ref().and_then(|b| b.panel.as_ref()) else {
        return false;
    };
    let why = if p.recused.is_some() {
        Some((
            "您已回避该候选人，不能评分",
            "You are recused from this candidate",
        ))
    } else {
        match &p.sheet {
            None => Some(("评分表尚未载入", "The sheet is not loaded yet")),
            Some(s) if s.finalised => Some((
                "该候选人的结果已确定，评分已锁定",
                "The result is final; the sheet is locked",
            )),
            Some(s) if !s.session_open => Some((
                "评分尚未开始或已结束，须由主任委员开始评分",
                "Scoring is not open; the chair opens it",
            )),
            Some(_) => None,
        }
    };
    match why {
        Some((zh, en)) => {
            say(state, zh, en);
            false
        }
        None => true,
    }
}

/// A character typed on the panel: digits and a point build the value.
pub fn type_value(state: &mut State, c: Option<char>) -> Vec<Effect> {
    let half = state
        .board
        .as_ref()
        .and_then(|b| b.panel.as_ref())
        .and_then(|p| p.sheet.as_ref())
        .is_some_and(|s| s.step < 1.0);
    if let Some(c) = c {
        if !(c.is_ascii_digit() || c == '.') {
            say(
                state,
                "请输入数字分数，Enter 保存；按 ? 查看按键",
                "Type a number and Enter to save; press ? for the keys",
            );
            return vec![];
        }
        if !editable(state) {
            return vec![];
        }
    }
    state.message = None;
    let Some(p) = state.board.as_mut().and_then(|b| b.panel.as_mut()) else {
        return vec![];
    };
    match c {
        Some('.') if !half || p.typed.contains('.') => {}
        Some(c) if p.typed.len() < MAX_TYPED => p.typed.push(c),
        Some(_) => {}
        None => {
            p.typed.pop();
        }
    }
    vec![]
}

/// Keys of the score sheet.
pub fn panel_update(state: &mut State, action: Action) -> Vec<Effect> {
    let lang = state.lang;
    if let Some(fx) = super::app::help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let Some(p) = b.panel.as_mut() else {
        b.screen = Screen::List;
        return vec![Effect::Reload];
    };
    let rows = p.sheet.as_ref().map_or(0, |s| s.criteria.len());
    match action {
        Action::Back => {
            if !p.typed.is_empty() {
                p.typed.clear();
                return vec![];
            }
            b.screen = Screen::List;
            b.panel = None;
            forget_given_up(b);
            vec![Effect::Reload]
        }
        Action::Down | Action::Up => {
            let fx = match commit(state) {
                Commit::Saved(e) => vec![e],
                Commit::Nothing => vec![],
                Commit::NeedsReason | Commit::Invalid => return vec![],
            };
            if let Some(p) = state.board.as_mut().and_then(|b| b.panel.as_mut()) {
                p.row = if action == Action::Down {
                    (p.row + 1).min(rows.saturating_sub(1))
                } else {
                    p.row.saturating_sub(1)
                };
            }
            fx
        }
        Action::StepUp | Action::StepDown => {
            if !editable(state) {
                return vec![];
            }
            let Some(p) = state.board.as_mut().and_then(|b| b.panel.as_mut()) else {
                return vec![];
            };
            let Some(s) = p.sheet.as_ref() else {
                return vec![];
            };
            let c = &s.criteria[p.row];
            let now = c.value.unwrap_or(0.0);
            let next = if action == Action::StepUp {
                (now + s.step).min(c.max)
            } else {
                (now - s.step).max(0.0)
            };
            if c.value == Some(next) {
                return vec![];
            }
            p.typed = fmt_num(next);
            match commit(state) {
                Commit::Saved(e) => vec![e],
                _ => vec![],
            }
        }
        Action::Submit => {
            if !editable(state) {
                return vec![];
            }
            match commit(state) {
                Commit::Saved(e) => {
                    if let Some(p) = state.board.as_mut().and_then(|b| b.panel.as_mut()) {
                        p.row = (p.row + 1).min(rows.saturating_sub(1));
                    }
                    return vec![e];
                }
                Commit::NeedsReason | Commit::Invalid => return vec![],
                Commit::Nothing => {}
            }
            let Some(b) = state.board.as_mut() else {
                return vec![];
            };
            let Some(s) = b.panel.as_ref().and_then(|p| p.sheet.as_ref()) else {
                return vec![];
            };
            if b.unsaved.iter().any(|u| u.app() == Some(s.app_id)) {
                say(
                    state,
                    "还有未保存的分数或评语：保存成功后才能提交",
                    "Some values are not saved yet: the sheet can be submitted once they are",
                );
                return vec![];
            }
            if s.status == Cell::Submitted {
                say(
                    state,
                    "评分表已提交；修改分数须输入新分数并写明理由",
                    "The sheet is submitted; type a new value to change it, with a reason",
                );
                return vec![];
            }
            let empty: Vec<(String, String)> = s
                .criteria
                .iter()
                .filter(|c| c.value.is_none())
                .map(|c| (c.key.clone(), lang.pick(&c.name, &c.name_en).to_string()))
                .collect();
            if empty.is_empty() {
                return vec![Effect::SubmitSheet {
                    app: s.app_id,
                    zero: vec![],
                }];
            }
            b.form = Some(Form::Confirm(Confirm::Submit {
                app: s.app_id,
                name: s.name.clone(),
                empty,
            }));
            vec![]
        }
        Action::Comment => {
            if !editable(state) {
                return vec![];
            }
            let Some(b) = state.board.as_mut() else {
                return vec![];
            };
            let Some(p) = b.panel.as_ref() else {
                return vec![];
            };
            let Some(c) = p.sheet.as_ref().and_then(|s| s.criteria.get(p.row)) else {
                return vec![];
            };
            if c.value.is_none() {
                say(
                    state,
                    "请先为本项打分，再写评语",
                    "Score the criterion before commenting on it",
                );
                return vec![];
            }
            let label = lang.pick(&c.name, &c.name_en);
            b.form = Some(Form::comment(lang, p.app, &c.key, label, &c.comment));
            vec![]
        }
        Action::NextCandidate | Action::PrevCandidate => {
            let mut fx = match commit(state) {
                Commit::Saved(e) => vec![e],
                Commit::Nothing => vec![],
                Commit::NeedsReason | Commit::Invalid => return vec![],
            };
            let Some(b) = state.board.as_mut() else {
                return fx;
            };
            let next = if action == Action::NextCandidate {
                b.selected + 1
            } else {
                b.selected.wrapping_sub(1)
            };
            match b.view.get(next).map(|i| b.rows[*i].id) {
                Some(app) => {
                    b.selected = next;
                    fx.extend(open_panel(b, app));
                }
                None => say(state, "已是名单的一端", "That is the end of the list"),
            }
            fx
        }
        Action::Conflict => {
            let Some((app, name)) = b.current().map(|r| (r.id, r.name.clone())) else {
                return vec![];
            };
            conflict_form(state, app, name);
            vec![]
        }
        Action::PersonFile => super::app::open_current_file(state),
        _ => vec![],
    }
}

/// After a sheet is submitted: the next candidate in the list still to score (draft or
/// not started, not recused), searching forwards then from the top.
pub fn next_to_score(b: &Board) -> Option<(usize, i64)> {
    let n = b.view.len();
    (1..=n)
        .map(|k| (b.selected + k) % n)
        .map(|pos| (pos, b.rows[b.view[pos]].id))
        .find(|(_, id)| matches!(b.my_cells.get(id), Some(Cell::Pending) | Some(Cell::Draft)))
}

/// Moves the panel to another candidate (after a submission).
pub fn move_panel(b: &mut Board, pos: usize, app: i64) -> Vec<Effect> {
    b.selected = pos;
    open_panel(b, app)
}

/// The application under the cursor of the progress, results or ranking screen.
pub fn overview_app(b: &Board) -> Option<i64> {
    match b.screen {
        Screen::Progress => b
            .progress
            .as_ref()
            .and_then(|p| p.rows.get(b.cursor))
            .map(|r| r.app_id),
        Screen::Results => b.results.get(b.cursor).map(|r| r.app_id),
        Screen::Ranking => b
            .ranking
            .iter()
            .flat_map(|(_, rows)| rows.iter())
            .nth(b.cursor)
            .map(|r| r.app_id),
        _ => None,
    }
}

/// Where an application is on the current overview screen.
pub fn overview_position(b: &Board, app: i64) -> Option<usize> {
    match b.screen {
        Screen::Progress => b
            .progress
            .as_ref()?
            .rows
            .iter()
            .position(|r| r.app_id == app),
        Screen::Results => b.results.iter().position(|r| r.app_id == app),
        Screen::Ranking => b
            .ranking
            .iter()
            .flat_map(|(_, rows)| rows.iter())
            .position(|r| r.app_id == app),
        _ => None,
    }
}

/// Rows of the current overview screen.
pub fn overview_len(b: &Board) -> usize {
    match b.screen {
        Screen::Progress => b.progress.as_ref().map_or(0, |p| p.rows.len()),
        Screen::Results => b.results.len(),
        Screen::Ranking => b.ranking.iter().map(|(_, r)| r.len()).sum(),
        _ => 0,
    }
}

/// Keys of the progress board, the results and the ranking.
pub fn overview_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = super::app::help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let n = overview_len(b);
    match action {
        Action::Down => b.cursor = (b.cursor + 1).min(n.saturating_sub(1)),
        Action::Up => b.cursor = b.cursor.saturating_sub(1),
        Action::Top => b.cursor = 0,
        Action::Bottom => b.cursor = n.saturating_sub(1),
        Action::NextPane => {
            let next = match b.screen {
                Screen::Progress => Screen::Results,
                Screen::Results => Screen::Ranking,
                _ => Screen::Progress,
            };
            return open_overview(b, next);
        }
        Action::Back => {
            b.screen = Screen::List;
            return vec![Effect::Reload];
        }
        Action::Session => return session(b),
        Action::ScorePanel => {
            let Some(app) = overview_app(b) else {
                return vec![];
            };
            match b.view.iter().position(|i| b.rows[*i].id == app) {
                Some(pos) => return move_panel(b, pos, app),
                None => say(
                    state,
                    "该候选人不在评定环节（结果已确定）",
                    "The candidate is no longer in evaluation (the result is final)",
                ),
            }
        }
        Action::Finalise => {
            let Some(app) = overview_app(b) else {
                return vec![];
            };
            let Some(r) = b.results.iter().find(|r| r.app_id == app) else {
                say(
                    state,
                    "请在结果视图中确定结果",
                    "Finalise from the results view",
                );
                return vec![];
            };
            if r.finalised.is_some() {
                say(state, "该候选人的结果已确定", "The result is already final");
                return vec![];
            }
            let Some(a) = r.aggregate.as_ref() else {
                say(
                    state,
                    "尚无可见的评分：须先结束评分",
                    "No scores to see yet: close scoring first",
                );
                return vec![];
            };
            if !a.quorum_met {
                let text = match state.lang {
                    super::i18n::Lang::Zh => {
                        format!("有效评分表 {} 份，不足法定人数，不能确定结果", a.sheets)
                    }
                    super::i18n::Lang::En => format!(
                        "{} eligible sheet(s): below the quorum, cannot be finalised",
                        a.sheets
                    ),
                };
                state.message = Some(Message::Error(text));
                return vec![];
            }
            b.form = Some(Form::Confirm(Confirm::Finalise {
                app,
                name: r.name.clone(),
                result: a.result,
                threshold: r.threshold,
                discuss: r.needs_discussion || r.sheets.iter().any(|s| s.outlier),
            }));
        }
        Action::Reopen => {
            let Some(app) = overview_app(b) else {
                return vec![];
            };
            let Some(r) = b.results.iter().find(|r| r.app_id == app) else {
                return vec![];
            };
            if r.finalised.is_none() {
                say(
                    state,
                    "只有已确定的结果才能重新评定",
                    "Only a final result can be reopened",
                );
                return vec![];
            }
            b.form = Some(Form::reason(state.lang, app, &r.name, ReasonFor::Reopen));
        }
        _ => {}
    }
    vec![]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Grade;
    use crate::service::board::AppRow;
    use crate::service::evaluation::{CriterionScore, MySheet};
    use crate::tui::app::{handle_key, Board};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn sheet(values: [Option<f64>; 3], status: Cell) -> MySheet {
        let crit = |key: &str, name: &str, max: f64, value| CriterionScore {
            key: key.into(),
            name: name.into(),
            name_en: key.into(),
            max,
            weight: 1.0,
            value,
            comment: String::new(),
        };
        MySheet {
            app_id: 10,
            name: "张伟".into(),
            target: Grade::Junior,
            status,
            criteria: vec![
                crit("political", "政治素质", 20.0, values[0]),
                crit("competence", "业务水平", 25.0, values[1]),
                crit("tenure", "任职年限", 10.0, values[2]),
            ],
            total: values.iter().flatten().sum(),
            step: 0.5,
            session_open: true,
            finalised: false,
            others: None,
        }
    }

    fn on_panel(s: MySheet) -> State {
        let mut state = State::new(
            Lang::Zh,
            1,
            vec![],
            crate::service::Clock::on(chrono::NaiveDate::default(), 10, 0, 0),
        );
        let row = |id, name: &str| AppRow {
            id,
            name: name.into(),
            organisation: String::new(),
            category: None,
            current: None,
            target: None,
            status: crate::domain::stage::Status::Active,
            overridden: false,
            test_score: None,
            visits: 0,
            open_objections: 0,
            person_id: id + 100,
        };
        let mut b = Board {
            stage: 5,
            rows: vec![row(10, "张伟"), row(11, "李娜")],
            screen: Screen::Panel,
            ..Board::default()
        };
        b.rebuild_view();
        b.my_cells = [(10, Cell::Draft), (11, Cell::Pending)]
            .into_iter()
            .collect();
        b.panel = Some(Panel {
            app: 10,
            sheet: Some(s),
            recused: None,
            row: 0,
            typed: String::new(),
            saved: None,
        });
        state.board = Some(b);
        state
    }

    fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
        handle_key(
            state,
            &Keymap::builtin(),
            KeyEvent::new(code, KeyModifiers::NONE),
        )
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            press(state, KeyCode::Char(c));
        }
    }

    fn panel(state: &State) -> &Panel {
        state.board.as_ref().unwrap().panel.as_ref().unwrap()
    }

    #[test]
    fn enter_saves_the_typed_value_and_moves_down() {
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        typed(&mut s, "17.5");
        assert_eq!(panel(&s).typed, "17.5");
        let fx = press(&mut s, KeyCode::Enter);
        assert_eq!(
            fx,
            vec![Effect::SaveScore {
                app: 10,
                criterion: "political".into(),
                value: 17.5
            }]
        );
        assert_eq!(panel(&s).row, 1);
        assert!(panel(&s).typed.is_empty());
        // Shown at once, before the save returns.
        assert_eq!(
            panel(&s).sheet.as_ref().unwrap().criteria[0].value,
            Some(17.5)
        );
    }

    #[test]
    fn values_off_the_range_or_the_step_are_refused_with_a_message() {
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        for bad in ["21", "17.3"] {
            typed(&mut s, bad);
            assert!(press(&mut s, KeyCode::Enter).is_empty(), "{bad}");
            assert!(matches!(&s.message, Some(Message::Error(m)) if m.contains("政治素质")));
            assert_eq!(panel(&s).row, 0, "the cursor stays");
            press(&mut s, KeyCode::Esc);
            assert!(panel(&s).typed.is_empty(), "Esc clears the input first");
        }
        // Letters are not scores; a second point is ignored.
        typed(&mut s, "1x..5");
        assert_eq!(panel(&s).typed, "1.5");
    }

    #[test]
    fn step_keys_save_one_step_and_stop_at_the_bounds() {
        let mut s = on_panel(sheet([Some(20.0), Some(0.0), None], Cell::Draft));
        assert!(
            press(&mut s, KeyCode::Char('l')).is_empty(),
            "already the maximum"
        );
        let fx = press(&mut s, KeyCode::Char('h'));
        assert_eq!(
            fx,
            vec![Effect::SaveScore {
                app: 10,
                criterion: "political".into(),
                value: 19.5
            }]
        );
        press(&mut s, KeyCode::Char('j'));
        assert!(press(&mut s, KeyCode::Left).is_empty(), "already 0");
    }

    #[test]
    fn enter_with_nothing_typed_submits_and_asks_about_empty_criteria() {
        let mut s = on_panel(sheet([Some(18.0), None, None], Cell::Draft));
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        let Some(Form::Confirm(Confirm::Submit { empty, .. })) = &s.board.as_ref().unwrap().form
        else {
            panic!("a confirmation");
        };
        assert_eq!(empty.len(), 2);
        let fx = press(&mut s, KeyCode::Char('y'));
        assert_eq!(
            fx,
            vec![Effect::SubmitSheet {
                app: 10,
                zero: vec!["competence".into(), "tenure".into()]
            }]
        );
        let mut s = on_panel(sheet([Some(18.0), Some(20.0), Some(8.0)], Cell::Draft));
        assert_eq!(
            press(&mut s, KeyCode::Enter),
            vec![Effect::SubmitSheet {
                app: 10,
                zero: vec![]
            }]
        );
    }

    #[test]
    fn a_submitted_sheet_changes_only_with_a_reason() {
        let mut s = on_panel(sheet([Some(18.0), Some(20.0), Some(8.0)], Cell::Submitted));
        typed(&mut s, "16");
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        assert!(matches!(
            &s.board.as_ref().unwrap().form,
            Some(Form::Fields(f)) if matches!(
                f.purpose,
                crate::tui::widgets::fields::Purpose::Revise { value: 16.0, .. }
            )
        ));
        assert!(press(&mut s, KeyCode::Enter).is_empty(), "no reason yet");
        typed(&mut s, "讨论后");
        assert_eq!(
            press(&mut s, KeyCode::Enter),
            vec![Effect::Revise {
                app: 10,
                criterion: "political".into(),
                value: 16.0,
                reason: "讨论后".into()
            }]
        );
        // Enter with nothing typed does not submit twice.
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        assert!(matches!(s.message, Some(Message::Error(_))));
    }

    #[test]
    fn closed_scoring_and_recusal_refuse_typing() {
        let mut closed = sheet([None, None, None], Cell::Pending);
        closed.session_open = false;
        let mut s = on_panel(closed);
        typed(&mut s, "5");
        assert!(panel(&s).typed.is_empty());
        assert!(matches!(s.message, Some(Message::Error(_))));
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        if let Some(p) = s.board.as_mut().unwrap().panel.as_mut() {
            p.sheet = None;
            p.recused = Some(crate::domain::Recusal::SameOrganisation);
        }
        typed(&mut s, "5");
        assert!(panel(&s).typed.is_empty());
    }

    #[test]
    fn next_candidate_saves_first_and_after_submitting_the_next_to_score_is_found() {
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        typed(&mut s, "12");
        let fx = press(&mut s, KeyCode::Char('n'));
        assert_eq!(
            fx,
            vec![
                Effect::SaveScore {
                    app: 10,
                    criterion: "political".into(),
                    value: 12.0
                },
                Effect::LoadSheet(11),
                Effect::LoadDetail(11)
            ]
        );
        let b = s.board.as_mut().unwrap();
        assert_eq!(b.selected, 1);
        // From 李娜, the next still to score wraps round to 张伟 (a draft).
        assert_eq!(next_to_score(b), Some((0, 10)));
        b.my_cells.insert(10, Cell::Submitted);
        b.my_cells.insert(11, Cell::Submitted);
        assert_eq!(next_to_score(b), None);
    }
}
