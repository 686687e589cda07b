//! Text being typed, with a cursor: every text field of the app (form fields, the list
//! filter, the login filter, the search query) is one of these. Characters go in at
//! the cursor, which moves by whole characters and never stands inside one; what is
//! shown of a field too wide for its box is measured in cells (CJK characters are two
//! wide) and always includes the cursor.

use super::keymap::Action;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How the cursor is drawn: a thin bar between two characters, one cell wide.
pub const CURSOR: &str = "▏";

/// One change to a text: a cursor move or a deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    /// To the start of the cursor's line.
    Home,
    /// To the end of the cursor's line.
    End,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character after the cursor.
    Delete,
    /// Delete the word before the cursor.
    DeleteWord,
    Clear,
}

impl Edit {
    /// The edit a keymap action stands for, if it is one.
    pub fn of(action: Action) -> Option<Edit> {
        Some(match action {
            Action::CursorLeft => Edit::Left,
            Action::CursorRight => Edit::Right,
            Action::LineStart => Edit::Home,
            Action::LineEnd => Edit::End,
            Action::DeleteBack => Edit::Backspace,
            Action::DeleteForward => Edit::Delete,
            Action::DeleteWord => Edit::DeleteWord,
            Action::ClearQuery => Edit::Clear,
            _ => return None,
        })
    }
}

/// A text and a cursor in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Byte offset of the cursor, always on a character boundary.
    cursor: usize,
}

/// What separates words for Ctrl-W: spaces, and the punctuation of Chinese text
/// (，。、：“” …), so that a word of a sentence without spaces goes back to the last
/// mark. ASCII punctuation belongs to its word (`等级:高级` is one search filter).
fn separates(c: char) -> bool {
    c.is_whitespace() || !c.is_ascii() && !c.is_alphanumeric()
}

impl TextInput {
    /// A text with the cursor at its end.
    pub fn new(text: impl Into<String>) -> TextInput {
        let text = text.into();
        TextInput {
            cursor: text.len(),
            text,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The cursor as a byte offset into the text.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The text before the cursor.
    pub fn before(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// The text after the cursor.
    pub fn after(&self) -> &str {
        &self.text[self.cursor..]
    }

    /// Puts the cursor at byte `at`, or at the nearest character boundary before it
    /// (the end when `at` is past it).
    pub fn set_cursor(&mut self, at: usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        self.cursor = at;
    }

    /// Inserts a character at the cursor and moves the cursor past it.
    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Inserts a text at the cursor (a paste, whole) and moves the cursor past it.
    pub fn insert_str(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    /// Empties the text; whether there was any.
    pub fn clear(&mut self) -> bool {
        self.apply(Edit::Clear)
    }

    /// Applies an edit; whether the text changed (moves never change it).
    pub fn apply(&mut self, edit: Edit) -> bool {
        let (text, at) = (&self.text, self.cursor);
        match edit {
            Edit::Left => {
                self.cursor = self.before().char_indices().last().map_or(0, |(i, _)| i);
                false
            }
            Edit::Right => {
                self.cursor += self.after().chars().next().map_or(0, char::len_utf8);
                false
            }
            Edit::Home => {
                self.cursor = text[..at].rfind('\n').map_or(0, |i| i + 1);
                false
            }
            Edit::End => {
                self.cursor = text[at..].find('\n').map_or(text.len(), |i| at + i);
                false
            }
            Edit::Backspace => {
                let start = self.before().char_indices().last().map_or(at, |(i, _)| i);
                self.remove(start, at)
            }
            Edit::Delete => {
                let end = at + self.after().chars().next().map_or(0, char::len_utf8);
                self.remove(at, end)
            }
            Edit::DeleteWord => {
                // The separators just before the cursor, then the word before them.
                let before = self.before();
                let word_end = before.trim_end_matches(separates).len();
                let start = before[..word_end]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| separates(*c))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                self.remove(start, at)
            }
            Edit::Clear => self.remove(0, text.len()),
        }
    }

    /// Moves the cursor to the line above (`up`) or below, to the same display column
    /// or the end of a shorter line; false (and no move) on the first or last line.
    pub fn move_line(&mut self, up: bool) -> bool {
        let text = &self.text;
        let start = text[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
        let column = text[start..self.cursor].width();
        let (from, to) = if up {
            if start == 0 {
                return false;
            }
            let end = start - 1;
            (text[..end].rfind('\n').map_or(0, |i| i + 1), end)
        } else {
            let Some(end) = text[self.cursor..].find('\n').map(|i| self.cursor + i) else {
                return false;
            };
            let from = end + 1;
            (
                from,
                text[from..].find('\n').map_or(text.len(), |i| from + i),
            )
        };
        // The last character boundary of the target line not past the column.
        let mut at = from;
        let mut used = 0;
        for (i, c) in text[from..to].char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > column {
                break;
            }
            used += w;
            at = from + i + c.len_utf8();
        }
        self.cursor = at;
        true
    }

    /// Removes bytes `start..end` (character boundaries) and leaves the cursor where
    /// they were; whether anything was removed.
    fn remove(&mut self, start: usize, end: usize) -> bool {
        if start >= end {
            return false;
        }
        let after = self.cursor;
        self.text.replace_range(start..end, "");
        self.cursor = if after >= end {
            after - (end - start)
        } else {
            after.min(start)
        };
        true
    }

    /// What of a one-line text to show in `width` cells, the cursor drawn between the
    /// two parts (one cell): all of it when it fits; else a window that holds the
    /// cursor, starting at the text's start while the cursor is near it, and
    /// otherwise keeping up to a quarter of the room for the text after the cursor
    /// (none when typing at the end, so that what was typed last is in view).
    pub fn view(&self, width: usize) -> (&str, &str) {
        let (before, after) = (self.before(), self.after());
        let room = width.saturating_sub(CURSOR.width());
        let (before_w, after_w) = (before.width(), after.width());
        if before_w + after_w <= room {
            return (before, after);
        }
        let start = tail_start(before, room - after_w.min(room / 4));
        let shown = before[start..].width();
        let end = head_end(after, room - shown);
        (&before[start..], &after[..end])
    }
}

/// The byte offset where the longest end of `text` that fits in `width` cells starts.
fn tail_start(text: &str, width: usize) -> usize {
    let mut used = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        start = i;
    }
    start
}

/// The byte offset where the longest start of `text` that fits in `width` cells ends.
fn head_end(text: &str, width: usize) -> usize {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width {
            return i;
        }
    }
    text.len()
}

impl std::ops::Deref for TextInput {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for TextInput {
    fn from(text: String) -> TextInput {
        TextInput::new(text)
    }
}

impl From<&str> for TextInput {
    fn from(text: &str) -> TextInput {
        TextInput::new(text)
    }
}

impl PartialEq<str> for TextInput {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for TextInput {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl PartialEq<String> for TextInput {
    fn eq(&self, other: &String) -> bool {
        &self.text == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_keep_the_column_across_lines_of_cjk_text() {
        let mut t = TextInput::new("培训证明缺少盖章\n补充ab\n第三行内容");
        assert!(!t.move_line(false), "the cursor is on the last line");
        t.apply(Edit::Home);
        t.apply(Edit::Right);
        t.apply(Edit::Right); // 第三|行内容: column 4
        assert!(t.move_line(true));
        assert_eq!(t.before(), "培训证明缺少盖章\n补充");
        assert!(t.move_line(true));
        assert_eq!(t.before(), "培训");
        assert!(!t.move_line(true), "the first line");
        t.apply(Edit::End);
        assert!(t.move_line(false), "a shorter line: its end");
        assert_eq!(t.before(), "培训证明缺少盖章\n补充ab");
    }

    /// The text with the cursor drawn in it.
    fn shown(t: &TextInput) -> String {
        format!("{}{CURSOR}{}", t.before(), t.after())
    }

    fn moved(t: &mut TextInput, edits: &[Edit]) {
        for e in edits {
            t.apply(*e);
        }
    }

    #[test]
    fn a_typo_in_the_middle_of_chinese_text_is_fixed() {
        let mut t = TextInput::new("材料不全请补充");
        assert_eq!(t.cursor(), t.len(), "a new text has the cursor at its end");
        moved(&mut t, &[Edit::Left, Edit::Left, Edit::Left]);
        assert_eq!(shown(&t), "材料不全▏请补充");
        assert!(t.apply(Edit::Backspace));
        assert_eq!(shown(&t), "材料不▏请补充");
        for c in "齐，".chars() {
            t.insert(c);
        }
        assert_eq!(shown(&t), "材料不齐，▏请补充");
        assert!(t.apply(Edit::Delete));
        assert_eq!(shown(&t), "材料不齐，▏补充");
        t.insert('x');
        assert_eq!(t, "材料不齐，x补充");
    }

    #[test]
    fn the_cursor_stops_at_both_ends_and_on_character_boundaries() {
        let mut t = TextInput::new("张w");
        moved(&mut t, &[Edit::Right, Edit::Right]);
        assert_eq!(t.cursor(), t.len());
        assert!(!t.apply(Edit::Delete), "nothing after the end");
        moved(&mut t, &[Edit::Left, Edit::Left, Edit::Left]);
        assert_eq!(t.cursor(), 0);
        assert!(!t.apply(Edit::Backspace), "nothing before the start");
        t.set_cursor(1);
        assert_eq!(t.cursor(), 0, "inside 张: back to its start");
        t.set_cursor(99);
        assert_eq!(t.cursor(), 4, "past the end: the end");
        t.apply(Edit::Clear);
        assert_eq!((t.as_str(), t.cursor()), ("", 0));
        assert!(!t.apply(Edit::Clear));
    }

    #[test]
    fn home_and_end_go_to_the_ends_of_the_cursor_line() {
        let mut t = TextInput::new("第一行\n第二行");
        t.apply(Edit::Home);
        assert_eq!(shown(&t), "第一行\n▏第二行");
        t.apply(Edit::Left);
        t.apply(Edit::Home);
        assert_eq!(shown(&t), "▏第一行\n第二行");
        t.apply(Edit::End);
        assert_eq!(shown(&t), "第一行▏\n第二行");
        t.apply(Edit::Right);
        t.apply(Edit::End);
        assert_eq!(shown(&t), "第一行\n第二行▏");
        let mut one = TextInput::new("abc");
        one.apply(Edit::Home);
        assert_eq!(one.cursor(), 0);
        one.apply(Edit::End);
        assert_eq!(one.cursor(), 3);
    }

    #[test]
    fn a_word_goes_back_to_a_space_or_a_chinese_mark() {
        let mut t = TextInput::new("等级:高级  zhang w ");
        assert!(t.apply(Edit::DeleteWord));
        assert_eq!(t, "等级:高级  zhang ");
        t.apply(Edit::DeleteWord);
        assert_eq!(t, "等级:高级  ", "the spaces before a word go with it");
        t.apply(Edit::DeleteWord);
        assert_eq!(t, "", "ASCII punctuation is part of the word");
        assert!(!t.apply(Edit::DeleteWord));

        // Chinese text without spaces: back to the last comma, which goes next.
        let mut t = TextInput::new("台账齐全，三会一课记录完整");
        t.apply(Edit::DeleteWord);
        assert_eq!(t, "台账齐全，");
        t.apply(Edit::DeleteWord);
        assert_eq!(t, "");

        // Before the cursor only; what follows it stays.
        let mut t = TextInput::new("张伟 南京 公司");
        moved(&mut t, &[Edit::Left, Edit::Left, Edit::Left]);
        t.apply(Edit::DeleteWord);
        assert_eq!(shown(&t), "张伟 ▏ 公司");
    }

    #[test]
    fn the_view_keeps_the_cursor_in_a_narrow_box() {
        // Everything fits: all of it, with a cell for the cursor.
        let t = TextInput::new("南京华宇");
        assert_eq!(t.view(9), ("南京华宇", ""));
        // Typing at the end: the end is shown, the cursor in the last cell.
        assert_eq!(t.view(8), ("京华宇", ""));
        assert_eq!(t.view(6), ("华宇", ""), "5 cells, never half a character");

        let mut t = TextInput::new("一二三四五六七八九十");
        t.set_cursor(0);
        assert_eq!(t.view(11), ("", "一二三四五"), "from the start");
        // In the middle: text on both sides, the cursor in view.
        moved(&mut t, &[Edit::Right; 6]);
        let (before, after) = t.view(11);
        assert_eq!((before, after), ("三四五六", "七"));
        assert!(before.width() + 1 + after.width() <= 11);
        // Every cursor position and width: within the width, and the cursor shown
        // with the characters next to it.
        let text = "a南京b华宇软件c有限公司";
        for width in 1..=30 {
            let mut t = TextInput::new(text);
            t.set_cursor(0);
            loop {
                let (before, after) = t.view(width);
                assert!(
                    before.width() + 1 + after.width() <= width.max(1),
                    "{width} cells: {before}|{after}"
                );
                assert!(t.before().ends_with(before) && t.after().starts_with(after));
                // From 9 cells, two are kept for a character after the cursor.
                if width >= 9 && !t.after().is_empty() {
                    assert!(!after.is_empty(), "{width} cells at {}", t.cursor());
                }
                if t.cursor() == t.len() {
                    break;
                }
                t.apply(Edit::Right);
            }
        }
    }
}
