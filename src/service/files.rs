//! Reading import files (CSV in UTF-8 or GBK, .xlsx, JSON) into tables, and turning
//! tables into CSV, JSON or .xlsx files.

use crate::table::{Row, Table};
use crate::text::csv_text_cell;
use anyhow::{anyhow, bail, Context, Result};
use std::io::Write;
use std::path::Path;

/// Reads a file by its extension: `.csv` (UTF-8 with or without BOM, or GBK),
/// `.xlsx` (first sheet) or `.json` (an array of objects).
pub fn read_table(path: &Path) -> Result<Table> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path).with_context(|| format!("{shown}: cannot read"))?;
    match ext.as_str() {
        "csv" | "txt" => parse_csv(&shown, &decode_text(&shown, &bytes)?),
        "json" => parse_json(&shown, &decode_text(&shown, &bytes)?),
        "xlsx" | "xlsm" => parse_xlsx(&shown, bytes),
        other => bail!("{shown}: unknown file type '.{other}' (use .csv, .xlsx or .json)"),
    }
}

/// UTF-8 (a BOM is dropped) or, failing that, GBK.
pub fn decode_text(shown: &str, bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, bad) = encoding_rs::GBK.decode(bytes);
    if bad {
        bail!("{shown}: the text is neither UTF-8 nor GBK");
    }
    Ok(text.into_owned())
}

pub fn parse_csv(shown: &str, text: &str) -> Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{shown}:1: cannot read the header row"))?
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
            anyhow!("{shown}:{line}: malformed CSV: {e}")
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

pub fn parse_json(shown: &str, text: &str) -> Result<Table> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| anyhow!("{shown}:{}: malformed JSON: {e}", e.line()))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut o) => match o.remove("rows").or_else(|| o.remove("data")) {
            Some(serde_json::Value::Array(items)) => items,
            _ => bail!("{shown}: expected an array of objects (or {{\"rows\": [...]}})"),
        },
        _ => bail!("{shown}: expected an array of objects"),
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
            bail!("{shown}:{}: item {} is not an object", i + 1, i + 1);
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

pub fn parse_xlsx(shown: &str, bytes: Vec<u8>) -> Result<Table> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| anyhow!("{shown}: not a readable .xlsx file: {e}"))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| anyhow!("{shown}: the workbook has no sheets"))?;
    let range = book
        .worksheet_range(&first)
        .map_err(|e| anyhow!("{shown}: cannot read sheet '{first}': {e}"))?;
    let text = |c: &Data| -> String {
        match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
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
    /// A self-contained web page: the published notice only.
    Html,
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
        Format::Md | Format::Html => {
            bail!("Markdown and HTML are made for the published notice only (`export notice`); use csv, json or xlsx")
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
