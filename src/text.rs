//! Text measured in terminal cells (CJK characters are two cells wide): truncating,
//! padding and wrapping without ever cutting a character in half.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The first character of `text` that must never reach a terminal or a stored field:
/// a control character (C0, DEL, C1) or a bidirectional control (U+061C, U+200E/F,
/// U+202A–U+202E, U+2066–U+2069). `allow_newlines` lets `\n` (and `\t`) through, for
/// texts of several lines.
pub fn hostile_char(text: &str, allow_newlines: bool) -> Option<char> {
    text.chars().find(|&c| {
        let newline = matches!(c, '\n' | '\t');
        (c.is_control() && !(allow_newlines && newline))
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// Truncates to `width` cells, never cutting a wide character in half.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads to `width` cells.
pub fn pad(text: &str, width: usize) -> String {
    let t = fit(text, width);
    let w = t.width();
    format!("{t}{}", " ".repeat(width.saturating_sub(w)))
}

/// Splits text into pieces of at most `width` cells, never inside a character.
pub fn wrap_cells(text: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut w = 0;
    for c in text.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            out.push(String::new());
            w = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        w += cw;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_text_is_measured_in_cells() {
        assert_eq!(fit("南京华宇软件有限公司", 9), "南京华宇…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(pad("张伟", 6), "张伟  ");
        assert_eq!(pad("欧阳丽娜同志", 6), "欧阳… ", "4 + 1 cells, padded to 6");
        assert_eq!(wrap_cells("一二三四五", 4), vec!["一二", "三四", "五"]);
        assert_eq!(wrap_cells("ab一", 3), vec!["ab", "一"]);
    }
}
