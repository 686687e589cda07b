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
    let last = s.hits.len().saturating_sub(1);
    match action {
        Action::Down => s.selected = (s.selected + 1).min(last),
        Action::Up => s.selected = s.selected.saturating_sub(1),
        Action::PageDown => s.selected = (s.selected + state.page.max(1)).min(last),
        Action::PageUp => s.selected = s.selected.saturating_sub(state.page.max(1)),
        Action::ClearQuery | Action::DeleteWord => {
            let before = s.query.clone();
            if action == Action::ClearQuery {
                s.query.clear();
            } else {
                let kept = s.query.trim_end().len();
                s.query.truncate(kept);
                let start = s.query.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                s.query.truncate(start);
            }
            if s.query != before {
                return vec![Effect::Search(s.query.clone())];
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Board;
    use crate::tui::i18n::Lang;
    use chrono::NaiveDate;

    fn popup(query: &str) -> State {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let mut s = State::new(Lang::Zh, 3, vec![], today);
        s.board = Some(Board::default());
        s.search = Some(SearchPopup {
            query: query.into(),
            ..SearchPopup::default()
        });
        s
    }

    #[test]
    fn words_come_off_the_query_and_it_empties() {
        let mut s = popup("等级:高级  zhang w ");
        assert_eq!(
            update(&mut s, Action::DeleteWord),
            [Effect::Search("等级:高级  zhang ".into())]
        );
        update(&mut s, Action::DeleteWord);
        assert_eq!(s.search.as_ref().unwrap().query, "等级:高级  ");
        assert_eq!(
            update(&mut s, Action::ClearQuery),
            [Effect::Search(String::new())]
        );
        assert!(
            update(&mut s, Action::ClearQuery).is_empty(),
            "nothing to clear"
        );
        assert!(update(&mut s, Action::DeleteWord).is_empty());
    }

    #[test]
    fn the_selection_pages_and_stays_on_the_matches() {
        let mut s = popup("z");
        s.page = 10;
        let hit = |id| crate::search::Hit {
            person_id: id,
            name: String::new(),
            organisation: String::new(),
            position: String::new(),
            county: String::new(),
            township: String::new(),
            masked_id: String::new(),
            category: crate::domain::Category::Secretary,
            grade: None,
            stage: None,
            certified: false,
            kind: crate::search::MatchKind::Fuzzy,
            score: 0,
            highlights: Default::default(),
        };
        s.search.as_mut().unwrap().hits = (0..25).map(hit).collect();
        update(&mut s, Action::PageDown);
        assert_eq!(s.search.as_ref().unwrap().selected, 10);
        update(&mut s, Action::PageDown);
        update(&mut s, Action::PageDown);
        assert_eq!(s.search.as_ref().unwrap().selected, 24);
        update(&mut s, Action::PageUp);
        assert_eq!(s.search.as_ref().unwrap().selected, 14);
        let fx = update(&mut s, Action::Submit);
        assert_eq!(fx, [Effect::OpenFile(14)]);
        assert!(s.search.is_none());
    }
}
