//! The stage list's keys at stage 5 (and reopening at stage 6): the score sheet, the
//! chair's board and the results, the scoring session, the conflict form and
//! reopening a result; and moving the score sheet along the list.

use super::app::{ctx, say, Board, Effect, Form, Message, ReasonFor, Screen, State};
use super::keymap::{Action, Keymap};
use crate::domain::Role;
use crate::i18n::Lang;
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
        Action::Progress => b.overview.open(&mut ctx!(state, b), Screen::Progress),
        Action::Results => b.overview.open(&mut ctx!(state, b), Screen::Results),
        Action::Session => b.overview.scoring(&mut ctx!(state, b), b.session.as_ref()),
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
