//! Reading import files (CSV in UTF-8 or GBK, .xlsx, JSON) into tables, and turning
//! tables into CSV, JSON or .xlsx files.

use super::import::{read, ImportError, RowProblem};
use crate::table::{Row, Table};
use crate::text::csv_text_cell;
use anyhow::{anyhow, bail, Context, Result};
use std::io::Write;
use std::path::Path;

/// What reading an import file gives: its table, or why it cannot be read.
type Read<T> = std::result::Result<T, ImportError>;

/// Reads a file by its extension: `.csv` (UTF-8 with or without BOM, or GBK),
/// `.xlsx` (first sheet) or `.json` (an array of objects); any other is refused.
pub fn read_table(path: &Path) -> Read<Table> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "csv" | "json" | "xlsx") {
        return Err(ImportError::at(
            &shown,
            0,
            RowProblem::UnknownFileType { ext },
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let problem = e.to_string();
        ImportError::at(&shown, 0, RowProblem::CannotRead { problem })
    })?;
    read_bytes(&shown, &ext, bytes)
}

/// Reads the bytes of a file of extension `ext` (`csv`, `json` or `xlsx`). A file read
/// as GBK is refused where a Chinese text holds a `?`: a character GBK could not hold.
pub fn read_bytes(shown: &str, ext: &str, bytes: Vec<u8>) -> Read<Table> {
    if read::is_blank(&bytes) {
        return Err(ImportError::at(shown, 0, RowProblem::EmptyFile));
    }
    if ext == "xlsx" {
        return parse_xlsx(shown, bytes);
    }
    let (text, gbk) = read::decode(shown, &bytes)?;
    let table = if ext == "json" {
        parse_json(shown, &text)?
    } else {
        parse_csv(shown, &text)?
    };
    let lost = if gbk {
        read::lost_characters(&table)
    } else {
        Vec::new()
    };
    if lost.is_empty() {
        Ok(table)
    } else {
        Err(ImportError { errors: lost })
    }
}

/// UTF-8 (a BOM is dropped) or, failing that, GBK; a file mixing them is refused at
/// its first line that is not UTF-8.
pub fn decode_text(shown: &str, bytes: &[u8]) -> Read<String> {
    read::decode(shown, bytes).map(|(text, _)| text)
}

pub fn parse_csv(shown: &str, text: &str) -> Read<Table> {
    if let Some(line) = read::unterminated_quote(text) {
        return Err(ImportError::at(shown, line, RowProblem::UnterminatedQuote));
    }
    let malformed = |line: usize, e: csv::Error| {
        let problem = e.to_string();
        ImportError::at(shown, line.max(1), RowProblem::MalformedCsv { problem })
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(1, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut table = Table {
        source: shown.to_string(),
        headers,
        rows: Vec::new(),
        numeric: Vec::new(),
    };
    // Count lines by bytes (the reader's own count skips blank lines), carrying the
    // count forward from record to record.
    let bytes = text.as_bytes();
    let (mut at, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            malformed(line as usize, e)
        })?;
        let mut start = record
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(at)
            .min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        line += bytes[at.min(start)..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        at = start;
        table.rows.push(Row {
            line,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(table)
}

pub fn parse_json(shown: &str, text: &str) -> Read<Table> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let problem = e.to_string();
        ImportError::at(shown, e.line(), RowProblem::MalformedJson { problem })
    })?;
    let not_array = || ImportError::at(shown, 0, RowProblem::JsonNotArray);
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut o) => match o.remove("rows").or_else(|| o.remove("data")) {
            Some(serde_json::Value::Array(items)) => items,
            _ => return Err(not_array()),
        },
        _ => return Err(not_array()),
    };
    let mut headers: Vec<String> = Vec::new();
    for item in &items {
        if let serde_json::Value::Object(o) = item {
            for k in o.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    let mut table = Table {
        source: shown.to_string(),
        headers: headers.clone(),
        rows: Vec::new(),
        numeric: Vec::new(),
    };
    for (i, item) in items.iter().enumerate() {
        let serde_json::Value::Object(o) = item else {
            let item = i + 1;
            return Err(ImportError::at(
                shown,
                item,
                RowProblem::JsonNotObject { item },
            ));
        };
        let cells = headers
            .iter()
            .map(|h| match o.get(h) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        table.rows.push(Row { line: i + 1, cells });
    }
    Ok(table)
}

/// The first sheet of a workbook. When it is empty but another sheet holds data, the
/// refusal names that sheet.
pub fn parse_xlsx(shown: &str, bytes: Vec<u8>) -> Read<Table> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        let problem = e.to_string();
        ImportError::at(shown, 0, RowProblem::NotXlsx { problem })
    })?;
    let names = book.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for sheet in names {
        let range = book.worksheet_range(&sheet).map_err(|e| {
            let (sheet, problem) = (sheet.clone(), e.to_string());
            ImportError::at(shown, 0, RowProblem::SheetUnreadable { sheet, problem })
        })?;
        let empty = range.used_cells().all(|(_, _, c)| match c {
            Data::String(s) => s.trim().is_empty(),
            c => *c == Data::Empty,
        });
        sheets.push((sheet, range, empty));
        if sheets.len() == 1 && !empty {
            break; // the first sheet has data: the others are not read
        }
    }
    let Some((first, range, empty)) = sheets.first() else {
        return Err(ImportError::at(shown, 0, RowProblem::EmptyFile));
    };
    if *empty {
        let problem = match sheets.iter().find(|(_, _, empty)| !empty) {
            Some((found, _, _)) => RowProblem::DataOnOtherSheet {
                first: first.clone(),
                found: found.clone(),
            },
            None => RowProblem::EmptyFile,
        };
        return Err(ImportError::at(shown, 0, problem));
    }
    let text = |c: &Data| -> String {
        match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            // Past 15 digits a number is no longer exact (an ID number stored as a
            // number): written as a spreadsheet shows it, never as digits that look
            // whole.
            Data::Float(f) if f.abs() >= 1e15 => format!("{f:E}"),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => d
                .as_datetime()
                .map(|dt| dt.date().to_string())
                .unwrap_or_else(|| d.to_string()),
            Data::DateTimeIso(s) => s.chars().take(10).collect(),
            Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut rows = range.rows();
    let headers: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| text(c).trim().to_string()).collect())
        .unwrap_or_default();
    let mut table = Table {
        source: shown.to_string(),
        headers,
        rows: Vec::new(),
        numeric: Vec::new(),
    };
    for (i, r) in rows.enumerate() {
        table.rows.push(Row {
            line: start_row + i + 2,
            cells: r.iter().map(text).collect(),
        });
    }
    Ok(table)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
    /// Markdown: the published notice only.
    Md,
    /// A self-contained web page: the published notice and the minutes.
    Html,
    /// A Word document: the minutes only.
    Docx,
}

impl Format {
    /// The file name extension of the format.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// A cell of a numeric column as a number, if it is one.
fn number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A cell as a JSON value: empty is `null`, a number in a numeric column a number
/// (an integer when it is one), anything else text.
fn json_value(cell: &str, numeric: bool) -> serde_json::Value {
    if cell.is_empty() {
        return serde_json::Value::Null;
    }
    if numeric {
        if let Ok(i) = cell.parse::<i64>() {
            return i.into();
        }
        if let Some(n) = number(cell).and_then(serde_json::Number::from_f64) {
            return serde_json::Value::Number(n);
        }
    }
    serde_json::Value::String(cell.to_string())
}

/// A table as the bytes of a file in `format` (CSV, JSON or .xlsx).
pub fn table_bytes(table: &Table, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Csv => {
            // Text that a spreadsheet would run as a formula gets a leading `'`;
            // numbers in numeric columns (negative ones too) stay numbers.
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(table.headers.iter().map(|h| csv_text_cell(h).into_owned()))?;
            for r in &table.rows {
                w.write_record(r.cells.iter().enumerate().map(|(i, c)| {
                    if table.is_numeric(i) && number(c).is_some() {
                        c.clone()
                    } else {
                        csv_text_cell(c).into_owned()
                    }
                }))?;
            }
            w.into_inner().map_err(|e| anyhow!("{e}"))?
        }
        Format::Json => {
            let items: Vec<serde_json::Map<String, serde_json::Value>> = table
                .rows
                .iter()
                .map(|r| {
                    table
                        .headers
                        .iter()
                        .cloned()
                        .zip(
                            r.cells
                                .iter()
                                .enumerate()
                                .map(|(i, c)| json_value(c, table.is_numeric(i))),
                        )
                        .collect()
                })
                .collect();
            let mut s = serde_json::to_vec_pretty(&items)?;
            s.push(b'\n');
            s
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (c, h) in table.headers.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, h, &bold)?;
            }
            for (r, row) in table.rows.iter().enumerate() {
                for (c, v) in row.cells.iter().enumerate() {
                    let (r, c) = (r as u32 + 1, c as u16);
                    match number(v).filter(|_| table.is_numeric(c.into())) {
                        Some(n) => sheet.write_number(r, c, n)?,
                        None => sheet.write_string(r, c, v)?,
                    };
                }
            }
            book.save_to_buffer()?
        }
        Format::Md | Format::Html | Format::Docx => {
            bail!("Markdown is made for the published notice only (`export notice`), HTML for it and the minutes, .docx for the minutes only (`export minutes`); use csv, json or xlsx")
        }
    })
}

/// Writes through a temporary file in the same folder and renames it, so a reader
/// never sees a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{shown}: cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("{shown}: cannot write"))?;
    tmp.persist(path)
        .map_err(|e| anyhow!("{shown}: cannot write: {}", e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_csv_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,职务\n张伟,党支部书记\n");
        let text = decode_text("f.csv", &bytes).unwrap();
        let t = parse_csv("f.csv", &text).unwrap();
        assert_eq!(t.headers, vec!["姓名", "职务"]);
        assert_eq!(t.rows[0].cells, vec!["张伟", "党支部书记"]);
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn utf8_bom_is_dropped_and_line_numbers_count_from_the_header() {
        let t = parse_csv(
            "f.csv",
            &decode_text("f.csv", "\u{feff}a,b\n1,2\n\n3,4\n".as_bytes()).unwrap(),
        )
        .unwrap();
        assert_eq!(t.headers, vec!["a", "b"]);
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn json_rows_take_the_union_of_keys() {
        let t = parse_json(
            "f.json",
            r#"[{"name":"张伟","year":2025},{"name":"李娜","remark":"好"}]"#,
        )
        .unwrap();
        assert_eq!(t.headers, vec!["name", "year", "remark"]);
        assert_eq!(t.rows[0].cells, vec!["张伟", "2025", ""]);
        assert_eq!(t.rows[1].line, 2);
        assert!(parse_json("f.json", "{oops")
            .unwrap_err()
            .to_string()
            .starts_with("f.json:1: malformed JSON"));
    }

    #[test]
    fn xlsx_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let mut t = Table::new("t", &["name", "days"]);
        t.push(vec!["张伟".into(), "2.5".into()]);
        write_atomically(&path, &table_bytes(&t, Format::Xlsx).unwrap()).unwrap();
        let back = read_table(&path).unwrap();
        assert_eq!(back.headers, t.headers);
        assert_eq!(back.rows[0].cells, t.rows[0].cells);
        assert_eq!(back.rows[0].line, 2);
    }
}
