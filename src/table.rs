//! A plain rectangular table of text cells: what importers read and exporters write.
//!
//! Every file format (CSV, .xlsx, JSON) is turned into a `Table` before the service
//! layer sees it, and every export is built as a `Table` before it is written, so the
//! validation and the formats never mix.

/// One data row, with the 1-based line it came from (the header is line 1 in CSV and
/// .xlsx; in JSON the first object is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Where the table came from (a file name), used in error messages.
    pub source: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Which columns hold numbers (written as numbers to JSON and .xlsx); columns
    /// past its end hold text. Identifiers such as ID numbers and phones are text.
    pub numeric: Vec<bool>,
}

impl Table {
    pub fn new(source: impl Into<String>, headers: &[&str]) -> Self {
        Table {
            source: source.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            numeric: Vec::new(),
        }
    }

    /// Whether a column holds numbers.
    pub fn is_numeric(&self, column: usize) -> bool {
        self.numeric.get(column).copied().unwrap_or(false)
    }

    /// Appends a row; its line number follows CSV numbering (header = line 1).
    pub fn push(&mut self, cells: Vec<String>) {
        let line = self.rows.len() + 2;
        self.rows.push(Row { line, cells });
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The index of a header, compared exactly.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}
