//! What reading a file decides before its rows are validated: which encoding its text
//! is in (and where it stops being in one), whether a quote is left open, and whether a
//! file saved as GBK lost characters GBK has no code for.

use super::{ImportError, RowError, RowProblem};
use crate::table::Table;

/// The UTF-8 byte order mark some editors (and Excel's "CSV UTF-8") write first.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many characters of a cell a refusal quotes around a lost character.
const QUOTED: usize = 8;

/// The text of a file and whether it was read as GBK: UTF-8 (a BOM is dropped) or,
/// failing that, GBK (read as GB18030, of which GBK is a part). A file that is UTF-8
/// but for some lines is refused at its first such line, as is one that is neither.
pub fn decode(shown: &str, bytes: &[u8]) -> Result<(String, bool), ImportError> {
    let with_bom = bytes.starts_with(BOM);
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), false));
    }
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    // A line of valid UTF-8 with a character of three or four bytes (every Chinese
    // character is one) is next to never GBK by chance: such a file is UTF-8.
    let utf8 = with_bom
        || lines
            .iter()
            .any(|l| std::str::from_utf8(l).is_ok_and(|s| s.chars().any(|c| c.len_utf8() >= 3)));
    if utf8 {
        let line = lines
            .iter()
            .position(|l| std::str::from_utf8(l).is_err())
            .map_or(1, |i| i + 1);
        return Err(ImportError::at(shown, line, RowProblem::MixedEncoding));
    }
    let (text, _, bad) = encoding_rs::GBK.decode(bytes);
    if bad {
        let line = lines
            .iter()
            .position(|l| encoding_rs::GBK.decode_without_bom_handling(l).1)
            .map_or(1, |i| i + 1);
        return Err(ImportError::at(shown, line, RowProblem::UnknownEncoding));
    }
    Ok((text.into_owned(), true))
}

/// Whether a file holds nothing but blanks (a BOM aside).
pub fn is_blank(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// The line a quote opens on that is never closed, if one is. A field is quoted when
/// its first character is `"`; inside it `""` is a quote, and line breaks are kept.
pub fn unterminated_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut line, mut opened) = (1, 0);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        }
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else {
            match b {
                b'"' if field_start => {
                    quoted = true;
                    opened = line;
                }
                b',' | b'\n' | b'\r' => {
                    field_start = true;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            field_start = false;
        }
        i += 1;
    }
    quoted.then_some(opened)
}

/// Every cell of a table read as GBK where a `?` stands in a Chinese text: the mark
/// Excel writes for a character GBK cannot hold (𠮷 becomes `杨?`).
pub fn lost_characters(table: &Table) -> Vec<RowError> {
    let han = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}');
    let mut errors = Vec::new();
    for row in &table.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            let cell = cell.trim();
            if !(cell.contains('?') && cell.chars().any(han)) {
                continue;
            }
            errors.push(RowError {
                source: table.source.clone(),
                line: row.line,
                column: table.headers.get(i).cloned().unwrap_or_default(),
                problem: RowProblem::LostCharacter {
                    found: around_mark(cell),
                },
            });
        }
    }
    errors
}

/// The cell, or the characters around its first `?` when it is long.
fn around_mark(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    if chars.len() <= 2 * QUOTED {
        return cell.to_string();
    }
    let at = chars.iter().position(|c| *c == '?').unwrap_or(0);
    let (from, to) = (at.saturating_sub(QUOTED), (at + QUOTED).min(chars.len()));
    let mut s = String::new();
    if from > 0 {
        s.push('…');
    }
    s.extend(&chars[from..to]);
    if to < chars.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_quote_is_found_on_its_line() {
        assert_eq!(unterminated_quote("a,b\n1,\"2\"\n"), None);
        assert_eq!(unterminated_quote("a,b\n1,\"two\nlines\"\n3,4\n"), None);
        assert_eq!(unterminated_quote("a,b\n1,\"say \"\"hi\"\"\"\n"), None);
        assert_eq!(
            unterminated_quote("a,b\n1,2\"3\n"),
            None,
            "a quote inside a field"
        );
        assert_eq!(unterminated_quote("a,b\n1,2\n3,\"4\n5,6\n"), Some(3));
        assert_eq!(unterminated_quote("a,b\r\n\"1,2\r\n"), Some(2));
    }

    #[test]
    fn utf8_gbk_and_mixed_files_are_told_apart() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名\n张伟\n");
        assert_eq!(
            decode("f", &gbk).unwrap(),
            ("姓名\n张伟\n".to_string(), true)
        );
        assert!(!decode("f", "姓名\n".as_bytes()).unwrap().1);
        let mut mixed = "姓名\n张伟\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encoding_rs::GBK.encode("李娜\n").0);
        let err = decode("f.csv", &mixed).unwrap_err();
        assert_eq!(err.errors[0].line, 3);
        assert_eq!(err.errors[0].problem, RowProblem::MixedEncoding);
    }

    #[test]
    fn long_cells_are_quoted_around_the_mark() {
        assert_eq!(around_mark("杨?"), "杨?");
        let long = format!("{}?{}", "党".repeat(20), "建".repeat(20));
        assert_eq!(
            around_mark(&long),
            format!("…{}?{}…", "党".repeat(8), "建".repeat(7))
        );
    }
}
