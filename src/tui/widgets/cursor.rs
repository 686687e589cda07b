//! The one list cursor: the row under it, the first row shown, and the keys that move
//! it, for every list of the app.

use super::super::keymap::Action;

/// A cursor over a list, and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The row under the cursor.
    pub at: usize,
    /// The first row shown.
    pub offset: usize,
}

impl Cursor {
    /// The cursor on row `at` of `len` (the last when past the end).
    pub fn to(&mut self, at: usize, len: usize) {
        self.at = at.min(len.saturating_sub(1));
    }

    /// Back on the list's first row.
    pub fn reset(&mut self) {
        *self = Cursor::default();
    }

    /// Kept on the list after it changed to `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.to(self.at, len);
    }

    /// Moves the cursor by a movement key over `len` rows, `page` rows a page (PgDn
    /// moves half a page on lists and a page on the others: `page` says). Returns
    /// whether `action` was a movement.
    pub fn moved(&mut self, action: Action, len: usize, page: usize) -> bool {
        let at = match action {
            Action::Down => self.at + 1,
            Action::Up => self.at.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => len.saturating_sub(1),
            Action::PageDown => self.at + page.max(1),
            Action::PageUp => self.at.saturating_sub(page.max(1)),
            _ => return false,
        };
        self.to(at, len);
        true
    }

    /// Scrolls so that the cursor's row is among the `rows` shown, moving as little as
    /// possible.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.offset = in_view(self.at, self.offset, rows);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_stays_on_the_list() {
        let mut c = Cursor::default();
        assert!(c.moved(Action::Up, 5, 2));
        assert_eq!(c.at, 0);
        c.moved(Action::PageDown, 5, 3);
        assert_eq!(c.at, 3);
        c.moved(Action::PageDown, 5, 3);
        assert_eq!(c.at, 4, "stops on the last row");
        c.moved(Action::Down, 5, 3);
        assert_eq!(c.at, 4);
        c.moved(Action::Top, 5, 3);
        assert_eq!(c.at, 0);
        c.moved(Action::Bottom, 0, 3);
        assert_eq!(c.at, 0, "an empty list keeps it on 0");
        assert!(!c.moved(Action::Submit, 5, 3));
        c.to(9, 5);
        assert_eq!(c.at, 4);
        c.clamp(2);
        assert_eq!(c.at, 1);
    }

    #[test]
    fn the_rows_shown_follow_the_cursor_as_little_as_they_can() {
        assert_eq!(in_view(0, 0, 10), 0);
        assert_eq!(in_view(12, 0, 10), 3);
        assert_eq!(in_view(5, 3, 10), 3);
        assert_eq!(in_view(2, 3, 10), 2);
        assert_eq!(
            in_view(4, 0, 0),
            4,
            "a page of no rows still shows the cursor"
        );
    }
}
