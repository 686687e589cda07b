//! The search popup (`/` on any screen): results on every keystroke, Enter opens the
//! personnel file, Esc closes and leaves everything as it was.

use super::app::{Effect, State};
use super::keymap::Action;
use crate::search::Hit;

/// How many matches the popup asks for.
pub const LIMIT: usize = 50;

/// The popup's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPopup {
    pub query: String,
    /// The matches for `shown`, best first.
    pub hits: Vec<Hit>,
    pub total: usize,
    /// The query the hits answer (the one typed may be newer).
    pub shown: String,
    pub selected: usize,
    /// Why the query cannot run (an unknown filter…), in the screen's language.
    pub error: Option<String>,
    /// The ticket of the search still running, if any.
    pub pending: Option<u64>,
    /// The persons are still being read into the index.
    pub indexing: bool,
}

/// Opens the popup (logged in only).
pub fn open(state: &mut State) -> Vec<Effect> {
    if state.board.is_none() {
        return vec![];
    }
    state.search = Some(SearchPopup::default());
    state.message = None;
    vec![Effect::Search(String::new())]
}

/// A character typed into the query (or one taken away with `None`).
pub fn type_char(state: &mut State, c: Option<char>) -> Vec<Effect> {
    let Some(s) = state.search.as_mut() else {
        return vec![];
    };
    match c {
        Some(c) => s.query.push(c),
        None => {
            if s.query.pop().is_none() {
                return vec![];
            }
        }
    }
    vec![Effect::Search(s.query.clone())]
}

/// Keys of the popup.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(s) = state.search.as_mut() else {
        return vec![];
    };
    match action {
        Action::Down => s.selected = (s.selected + 1).min(s.hits.len().saturating_sub(1)),
        Action::Up => s.selected = s.selected.saturating_sub(1),
        Action::Back => {
            state.search = None;
        }
        Action::Submit => {
            let Some(person) = s.hits.get(s.selected).map(|h| h.person_id) else {
                return vec![];
            };
            state.search = None;
            return super::file::open(state, person);
        }
        _ => {}
    }
    vec![]
}
