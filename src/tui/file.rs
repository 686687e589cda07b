//! The personnel file screen: opened from any list (or from search), six sections
//! and the certification history as tabs, Esc back to exactly where one was.

use super::app::{Effect, Screen, State};
use super::keymap::Action;

/// The sections of a file, in tab order.
pub const TABS: usize = 7;

/// Opens the file of the person behind the current row (the list, or the score sheet's
/// candidate).
pub fn open_current(state: &mut State) -> Vec<Effect> {
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let person = match (b.screen, &b.panel) {
        (Screen::Panel, Some(p)) => b.rows.iter().find(|r| r.id == p.app),
        _ => b.current(),
    }
    .map(|r| r.person_id);
    match person {
        Some(id) => open(state, id),
        None => vec![],
    }
}

/// Opens a person's file over the current screen.
pub fn open(state: &mut State, person: i64) -> Vec<Effect> {
    if state.board.is_none() {
        return vec![];
    }
    vec![Effect::OpenFile(person)]
}

/// Keys of the file screen.
pub fn file_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = super::app::help_or_quit(state, action) {
        return fx;
    }
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let Some(f) = b.file.as_mut() else {
        b.screen = Screen::List;
        return vec![];
    };
    match action {
        Action::NextTab => {
            f.tab = (f.tab + 1) % TABS;
            f.scroll = 0;
        }
        Action::PrevTab => {
            f.tab = (f.tab + TABS - 1) % TABS;
            f.scroll = 0;
        }
        Action::Down => f.scroll = f.scroll.saturating_add(1).min(500),
        Action::Up => f.scroll = f.scroll.saturating_sub(1),
        Action::Reveal => return vec![Effect::Reveal(f.file.id)],
        Action::Back => match f.previous.take() {
            // Back to the file this one was opened from, read again.
            Some(previous) => {
                let id = previous.file.id;
                b.file = Some(*previous);
                return vec![Effect::OpenFile(id)];
            }
            None => {
                b.screen = f.back;
                b.file = None;
            }
        },
        _ => {}
    }
    vec![]
}
