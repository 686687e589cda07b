//! The search popup (`/` on any screen): results on every keystroke, Enter opens the
//! personnel file, Esc closes and leaves everything as it was.

use super::app::{Effect, State};
use super::keymap::Action;
use super::text_input::{Edit, TextInput};
use crate::search::Hit;

/// How many matches the popup asks for.
pub const LIMIT: usize = 50;

/// The popup's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPopup {
    pub query: TextInput,
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
    /// The first match shown (the list scrolls to keep the selected one in view).
    pub offset: usize,
    /// Enter was pressed before the answer to the typed query came: its best match
    /// opens when it does.
    pub open_on_answer: bool,
}

impl SearchPopup {
    /// Whether the matches shown answer the query as typed.
    pub fn answered(&self) -> bool {
        self.pending.is_none() && self.query == self.shown
    }

    /// Scrolls so that the selected match is among the `rows` shown.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.offset = in_view(self.selected, self.offset, rows);
    }
}

/// The first of `rows` lines to show so that line `selected` is among them, moving
/// from `offset` as little as possible.
pub fn in_view(selected: usize, offset: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
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

/// A character typed into the query, at its cursor.
pub fn type_char(state: &mut State, c: char) -> Vec<Effect> {
    let Some(s) = state.search.as_mut() else {
        return vec![];
    };
    s.query.insert(c);
    vec![Effect::Search(s.query.to_string())]
}

/// Keys of the popup.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(s) = state.search.as_mut() else {
        return vec![];
    };
    let last = s.hits.len().saturating_sub(1);
    // While the popup is drawn, the page is the number of matches it shows.
    let page = state.page.max(1);
    // Moving the cursor, deleting (a character, the word before the cursor, all of
    // it): a changed query is searched for.
    if let Some(edit) = Edit::of(action) {
        if s.query.apply(edit) {
            return vec![Effect::Search(s.query.to_string())];
        }
        return vec![];
    }
    match action {
        Action::Down => s.selected = (s.selected + 1).min(last),
        Action::Up => s.selected = s.selected.saturating_sub(1),
        Action::PageDown => s.selected = (s.selected + page).min(last),
        Action::PageUp => s.selected = s.selected.saturating_sub(page),
        Action::Back => {
            state.search = None;
            return vec![];
        }
        Action::Submit => {
            // The matches on screen answer an older query: open the best match of
            // the typed one when its answer comes.
            if !s.answered() {
                s.open_on_answer = true;
                return vec![];
            }
            let Some(person) = s.hits.get(s.selected).map(|h| h.person_id) else {
                return vec![];
            };
            state.search = None;
            return vec![Effect::OpenFile(person)];
        }
        _ => {}
    }
    s.keep_in_view(page);
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
        let mut s = State::new(
            Lang::Zh,
            3,
            vec![],
            crate::service::Clock::on(today, 10, 0, 0),
        );
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
    fn a_typo_in_the_query_is_fixed_where_it_is() {
        use crate::tui::keymap::Keymap;
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let km = Keymap::builtin();
        let mut s = popup("");
        let press = |s: &mut State, code: KeyCode, mods: KeyModifiers| {
            crate::tui::app::handle_key(s, &km, KeyEvent::new(code, mods))
        };
        let mut fx = vec![];
        for c in "等级:高及 zhang".chars() {
            fx = press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
        }
        assert_eq!(fx, [Effect::Search("等级:高及 zhang".into())]);
        // Moves search for nothing.
        assert!(press(&mut s, KeyCode::Home, KeyModifiers::NONE).is_empty());
        for _ in 0..4 {
            assert!(press(&mut s, KeyCode::Right, KeyModifiers::NONE).is_empty());
        }
        assert_eq!(
            press(&mut s, KeyCode::Delete, KeyModifiers::NONE),
            [Effect::Search("等级:高 zhang".into())]
        );
        assert_eq!(
            press(&mut s, KeyCode::Char('级'), KeyModifiers::NONE),
            [Effect::Search("等级:高级 zhang".into())]
        );
        // Ctrl-W takes the word before the cursor, not the last one.
        assert_eq!(
            press(&mut s, KeyCode::Char('w'), KeyModifiers::CONTROL),
            [Effect::Search(" zhang".into())]
        );
        press(&mut s, KeyCode::Char('e'), KeyModifiers::CONTROL);
        assert_eq!(
            press(&mut s, KeyCode::Backspace, KeyModifiers::NONE),
            [Effect::Search(" zhan".into())]
        );
        assert_eq!(
            press(&mut s, KeyCode::Char('l'), KeyModifiers::CONTROL),
            [Effect::Search(String::new())]
        );
        assert!(s.search.is_some(), "still open");
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
        s.search.as_mut().unwrap().shown = "z".into();
        update(&mut s, Action::PageDown);
        assert_eq!(s.search.as_ref().unwrap().selected, 10);
        update(&mut s, Action::PageDown);
        update(&mut s, Action::PageDown);
        assert_eq!(s.search.as_ref().unwrap().selected, 24);
        update(&mut s, Action::PageUp);
        assert_eq!(s.search.as_ref().unwrap().selected, 14);
        assert_eq!(
            s.search.as_ref().unwrap().offset,
            14,
            "the page scrolled up"
        );
        update(&mut s, Action::Down);
        assert_eq!(
            s.search.as_ref().unwrap().offset,
            14,
            "in view: no scrolling"
        );
        update(&mut s, Action::Up);
        let fx = update(&mut s, Action::Submit);
        assert_eq!(fx, [Effect::OpenFile(14)]);
        assert!(s.search.is_none());
    }

    #[test]
    fn enter_before_the_answer_waits_for_it() {
        let mut s = popup("zhangw");
        let p = s.search.as_mut().unwrap();
        p.shown = "zhang".into();
        p.pending = Some(7);
        assert!(update(&mut s, Action::Submit).is_empty());
        assert!(s.search.as_ref().unwrap().open_on_answer);
    }
}
