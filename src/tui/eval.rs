//! Stage 5 in the app: the score sheet (panel), the chair's progress board, the
//! results and the ranking. Keys in, state and effects out, like `app`.

use super::app::{ctx, say, Board, Confirm, Effect, Form, Message, ReasonFor, Screen, State};
use super::i18n::Lang;
use super::keymap::{Action, Keymap};
use crate::domain::Role;
use crate::service::evaluation::Cell;

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
            Some((app, _)) => b.sheet.open(&mut ctx!(state, b), app),
            None => {
                say(state, "列表为空", "The list is empty");
                vec![]
            }
        },
        Action::Progress => open_overview(b, Screen::Progress),
        Action::Results => open_overview(b, Screen::Results),
        Action::Session => session(b),
        Action::Conflict => conflict_current(state),
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

fn open_overview(b: &mut Board, screen: Screen) -> Vec<Effect> {
    b.screen = screen;
    b.cursor = 0;
    vec![Effect::LoadOverview]
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

/// The conflict form for the candidate under the list's cursor.
pub fn conflict_current(state: &mut State) -> Vec<Effect> {
    let Some((app, name)) = state
        .board
        .as_ref()
        .and_then(|b| b.current())
        .map(|r| (r.id, r.name.clone()))
    else {
        return vec![];
    };
    conflict_form(state, app, name);
    vec![]
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

/// After a sheet is submitted: the next candidate in the list still to score (draft or
/// not started, not recused), searching forwards then from the top.
pub fn next_to_score(b: &Board) -> Option<(usize, i64)> {
    let n = b.view.len();
    (1..=n)
        .map(|k| (b.selected + k) % n)
        .map(|pos| (pos, b.rows[b.view[pos]].id))
        .find(|(_, id)| matches!(b.my_cells.get(id), Some(Cell::Pending) | Some(Cell::Draft)))
}

/// Moves the score sheet to the candidate at `pos` in the list.
pub fn move_panel(state: &mut State, pos: usize, app: i64) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    b.selected = pos;
    b.sheet.open(&mut ctx!(state, b), app)
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
                Some(pos) => return move_panel(state, pos, app),
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
