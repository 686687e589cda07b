//! Text measured in terminal cells (CJK characters are two cells wide): truncating,
//! padding and wrapping without ever cutting a character in half.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The first character of `text` that must never reach a terminal or a stored field:
/// a control character (C0, DEL, C1) or a bidirectional control (U+061C, U+200E/F,
/// U+202A–U+202E, U+2066–U+2069). `allow_newlines` lets `\n` (and `\t`) through, for
/// texts of several lines.
pub fn hostile_char(text: &str, allow_newlines: bool) -> Option<char> {
    text.chars().find(|&c| {
        let newline = matches!(c, '\n' | '\t');
        (c.is_control() && !(allow_newlines && newline)) || is_bidi_control(c)
    })
}

/// Whether `c` is a bidirectional control (U+061C, U+200E/F, U+202A–U+202E,
/// U+2066–U+2069): invisible, it reorders the text around it on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character typed or pasted into a number, as the number's ASCII character: the
/// digits and the decimal point, half- or full-width (`８５`, `．`, as a Chinese input
/// method types them); `None` for anything that cannot be part of a number.
pub fn number_char(c: char) -> Option<char> {
    match c {
        '0'..='9' | '.' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        '．' => Some('.'),
        _ => None,
    }
}

/// A pasted text as it goes into a field: line breaks as one `\n` (a Windows `\r\n`
/// too), each a space on a field of one line; tabs a space there too; other control
/// and bidirectional characters, which no field takes, left out.
pub fn pasted(text: &str, multiline: bool) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' if multiline => Some(c),
            '\n' | '\t' => Some(' '),
            c if is_hostile(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Whether `c` must be escaped before it reaches a terminal.
fn is_hostile(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// A character as it is named in refusals: `U+001B`.
pub fn char_name(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Why a text holding `c` is refused, naming it: `contains U+001B (a control
/// character), which is not allowed`. Shared by the importer and the service's refusals.
pub fn not_allowed(c: char, multiline: bool) -> String {
    format!(
        "contains {}, which is not allowed{}",
        describe(c),
        if multiline {
            " (of the invisible characters only line breaks and tabs are)"
        } else {
            ""
        }
    )
}

/// What kind of hostile character `c` is, in English and in Chinese.
fn kind_of(c: char) -> (&'static str, &'static str) {
    if is_bidi_control(c) {
        ("a bidirectional control", "双向控制字符")
    } else if c == '\n' || c == '\r' {
        ("a line break", "换行符")
    } else {
        ("a control character", "控制字符")
    }
}

/// A hostile character named for a person: `U+001B (a control character)`.
pub fn describe(c: char) -> String {
    format!("{} ({})", char_name(c), kind_of(c).0)
}

/// [`not_allowed`] in Chinese: `含有U+001B（控制字符），不能保存`.
pub fn not_allowed_zh(c: char, multiline: bool) -> String {
    format!(
        "含有{}，不能保存{}",
        describe_zh(c),
        if multiline {
            "（不可见字符中只允许换行符和制表符）"
        } else {
            ""
        }
    )
}

/// [`describe`] in Chinese: `U+001B（控制字符）`.
pub fn describe_zh(c: char) -> String {
    format!("{}（{}）", char_name(c), kind_of(c).1)
}

/// The text with every control character and bidirectional control shown visibly as
/// `<U+001B>`, so that nothing read from a file or a database can move the cursor,
/// retitle or clear a terminal, or reorder what is shown. Line breaks are escaped too:
/// one datum never takes two lines.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_where(text, is_hostile)
}

/// As [`escape_controls`], but keeping line breaks (`\n`, and `\r` directly before
/// one) and tabs: for whole documents (CSV, Markdown) shown on a terminal.
pub fn escape_controls_keep_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kept = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_hostile(c) && !kept {
            out.push_str(&format!("<{}>", char_name(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn escape_where(text: &str, hostile: fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            out.push_str(&format!("<{}>", char_name(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON made by serde_json with the controls it leaves raw (DEL, C1 controls and the
/// bidirectional controls; it escapes only U+0000–U+001F) written as `\uXXXX`
/// escapes: the same JSON value, safe on a terminal. Such characters can only stand
/// inside strings, so the result is valid JSON.
pub fn json_escape_controls(json: &str) -> Cow<'_, str> {
    let raw = |c: char| u32::from(c) >= 0x7f && is_hostile(c);
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if raw(c) {
            // All of them lie in the Basic Multilingual Plane: one escape each.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV text cell that a spreadsheet would run as a formula (it begins with `=`, `+`,
/// `-` or `@`, or with a tab or carriage return, per OWASP's guidance on CSV
/// injection) with a single quote put before it, so it is shown as the text it is.
/// Numbers are not text cells: callers leave them alone.
pub fn csv_text_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
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

/// Splits text into lines of at most `width` cells, never inside a character, nor
/// inside a word or a number (unless it is longer than a line).
pub fn wrap_cells(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line: Vec<char> = Vec::new();
    let mut w = 0;
    let cells = |c: char| UnicodeWidthChar::width(c).unwrap_or(0);
    for c in text.chars() {
        let cw = cells(c);
        if w + cw > width && !line.is_empty() {
            // A word or a number goes down whole (unless it is longer than a line).
            let mut cut = line.len();
            if is_word(c) && line.last().is_some_and(|x| is_word(*x)) {
                let start = word_start(line.iter().copied());
                if start > 0 {
                    cut = start;
                }
            }
            let mut carried = line.split_off(cut);
            while line.last() == Some(&' ') {
                line.pop();
            }
            while carried.first() == Some(&' ') {
                carried.remove(0);
            }
            out.push(line.into_iter().collect());
            line = carried;
            w = line.iter().map(|x| cells(*x)).sum();
        }
        if c == ' ' && line.is_empty() && !out.is_empty() {
            continue;
        }
        line.push(c);
        w += cw;
    }
    out.push(line.into_iter().collect());
    out
}

/// Whether `c` belongs to a word or a number that a line must not break: ASCII letters
/// and digits and what joins them (`83.88`, `2,400`, `don't`, `e-mail`, `fi/eld`).
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '\'' | '-' | '_' | '/' | '%')
}

/// Where the last word of `chars` starts: after its last space or other character
/// that is not part of a word (a Chinese character, say); 0 when it all is one word.
pub fn word_start(chars: impl DoubleEndedIterator<Item = char> + ExactSizeIterator) -> usize {
    let n = chars.len();
    chars
        .rev()
        .position(|c| !is_word(c))
        .map_or(0, |from_end| n - from_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_are_digits_and_pastes_lose_their_controls() {
        let digits: String = "８５．５a".chars().filter_map(number_char).collect();
        assert_eq!(digits, "85.5");
        assert_eq!(pasted("甲\r\n乙\t丙\x1b[2J", true), "甲\n乙\t丙[2J");
        assert_eq!(pasted("甲\r\n乙", false), "甲 乙");
    }

    #[test]
    fn cjk_text_is_measured_in_cells() {
        assert_eq!(fit("南京华宇软件有限公司", 9), "南京华宇…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(pad("张伟", 6), "张伟  ");
        assert_eq!(pad("欧阳丽娜同志", 6), "欧阳… ", "4 + 1 cells, padded to 6");
        assert_eq!(wrap_cells("一二三四五", 4), vec!["一二", "三四", "五"]);
        assert_eq!(wrap_cells("ab一", 3), vec!["ab", "一"]);
        // Words and numbers go down whole.
        assert_eq!(
            wrap_cells("Fill in the field", 12),
            vec!["Fill in the", "field"]
        );
        assert_eq!(wrap_cells("分数线 83.88", 10), vec!["分数线", "83.88"]);
        assert_eq!(wrap_cells("分数线83.88", 10), vec!["分数线", "83.88"]);
        assert_eq!(wrap_cells("abcdefgh", 3), vec!["abc", "def", "gh"]);
    }

    #[test]
    fn hostile_text_is_refused_named_and_escaped() {
        assert_eq!(hostile_char("张伟", false), None);
        assert_eq!(hostile_char("a\nb", false), Some('\n'));
        assert_eq!(hostile_char("a\nb\tc", true), None);
        assert_eq!(hostile_char("a\rb", true), Some('\r'));
        assert_eq!(hostile_char("\u{202E}abc", true), Some('\u{202E}'));
        assert_eq!(hostile_char("\u{9B}2J", true), Some('\u{9B}'));
        assert_eq!(
            not_allowed('\x1b', false),
            "contains U+001B (a control character), which is not allowed"
        );
        assert_eq!(
            not_allowed_zh('\u{202E}', true),
            "含有U+202E（双向控制字符），不能保存（不可见字符中只允许换行符和制表符）"
        );

        assert!(matches!(escape_controls("张伟"), Cow::Borrowed("张伟")));
        assert_eq!(
            escape_controls("\x1b]0;pwned\x07张\u{202E}伟\n"),
            "<U+001B>]0;pwned<U+0007>张<U+202E>伟<U+000A>"
        );
        assert_eq!(
            escape_controls_keep_lines("a\r\nb\rc\x1b\td\n"),
            "a\r\nb<U+000D>c<U+001B>\td\n"
        );
        assert_eq!(
            json_escape_controls("\"a\u{202E}\u{7f}\"\n"),
            "\"a\\u202e\\u007f\"\n"
        );
    }

    #[test]
    fn csv_cells_that_would_be_formulas_are_quoted() {
        assert_eq!(
            csv_text_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for c in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_text_cell(c), format!("'{c}"));
        }
        for c in ["张伟", "", "1", "a=b", " =x"] {
            assert_eq!(csv_text_cell(c), c);
        }
    }
}
