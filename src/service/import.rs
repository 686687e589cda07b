//! Importing tables: all or nothing. Every bad row is reported as
//! `file:line:column: reason` and the database is left exactly as it was.

use super::{AuditNote, Result, Service, ServiceError};
use crate::domain::grade::{Assessment, Category, Grade, Role, Sex};
use crate::domain::ids::{self, check_credit_code, parse_date, parse_id_number};
use crate::domain::stage::{Stage, Status};
use crate::table::{Row, Table};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;

mod problem;
pub(crate) mod read;
pub use problem::{Choices, Keyed, RowProblem};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organisations,
    Persons,
    Education,
    WorkHistory,
    Training,
    Assessments,
    Pay,
    Rewards,
    Declarations,
    Committee,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Organisations,
        Kind::Persons,
        Kind::Education,
        Kind::WorkHistory,
        Kind::Training,
        Kind::Assessments,
        Kind::Pay,
        Kind::Rewards,
        Kind::Declarations,
        Kind::Committee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Organisations => "organisations",
            Kind::Persons => "persons",
            Kind::Education => "education",
            Kind::WorkHistory => "work_history",
            Kind::Training => "training",
            Kind::Assessments => "assessments",
            Kind::Pay => "pay",
            Kind::Rewards => "rewards",
            Kind::Declarations => "declarations",
            Kind::Committee => "committee",
        }
    }

    /// What the kind's file holds, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Organisations => "组织",
            Kind::Persons => "人员",
            Kind::Education => "学历",
            Kind::WorkHistory => "工作经历",
            Kind::Training => "培训",
            Kind::Assessments => "年度考核",
            Kind::Pay => "薪酬",
            Kind::Rewards => "奖惩",
            Kind::Declarations => "申报",
            Kind::Committee => "评审委员会",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        let t = text.trim().replace('-', "_");
        Kind::ALL
            .into_iter()
            .find(|k| k.code() == t || (t == "organizations" && *k == Kind::Organisations))
    }

    /// The columns of this kind: English key, Chinese header(s), required.
    pub fn columns(self) -> &'static [Col] {
        match self {
            Kind::Organisations => ORGANISATIONS,
            Kind::Persons => PERSONS,
            Kind::Education => EDUCATION,
            Kind::WorkHistory => WORK_HISTORY,
            Kind::Training => TRAINING,
            Kind::Assessments => ASSESSMENTS,
            Kind::Pay => PAY,
            Kind::Rewards => REWARDS,
            Kind::Declarations => DECLARATIONS,
            Kind::Committee => COMMITTEE,
        }
    }
}

/// A column of an import file.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub key: &'static str,
    /// Accepted Chinese headers, the first one canonical.
    pub zh: &'static [&'static str],
    pub required: bool,
    pub doc: &'static str,
}

const fn col(
    key: &'static str,
    zh: &'static [&'static str],
    required: bool,
    doc: &'static str,
) -> Col {
    Col {
        key,
        zh,
        required,
        doc,
    }
}

const ID: Col = col(
    "id_number",
    &["身份证号", "身份证号码", "公民身份号码"],
    true,
    "18-character resident ID number of a person already imported",
);

pub const ORGANISATIONS: &[Col] = &[
    col(
        "code",
        &["统一社会信用代码", "信用代码"],
        true,
        "18-character unified social credit code (check character verified)",
    ),
    col("name", &["名称", "单位名称", "组织名称"], true, "full name"),
    col(
        "kind",
        &["组织类型", "类型"],
        true,
        "enterprise/企业 or social/社会组织",
    ),
    col(
        "county",
        &["区县", "所在区县"],
        true,
        "county or district, e.g. 玄武区",
    ),
    col(
        "township",
        &["街道乡镇", "街道"],
        false,
        "street or township",
    ),
    col("address", &["地址"], false, "address"),
    col("industry", &["行业"], false, "industry"),
];

pub const PERSONS: &[Col] = &[
    col(
        "id_number",
        &["身份证号", "身份证号码", "公民身份号码"],
        true,
        "resident ID number (GB 11643: checksum, birth date; sex and birth date are taken from it)",
    ),
    col("name", &["姓名"], true, "name"),
    col(
        "sex",
        &["性别"],
        false,
        "male/男 or female/女; must agree with the ID number",
    ),
    col(
        "org_code",
        &["统一社会信用代码", "单位代码"],
        true,
        "credit code of an organisation already imported",
    ),
    col(
        "category",
        &["人员类别", "类别"],
        true,
        "secretary/党组织书记, staff/专职党务工作人员 or instructor/党建工作指导员",
    ),
    col("position", &["职务"], true, "position"),
    col(
        "post_start",
        &["任职时间"],
        true,
        "date the current post began",
    ),
    col(
        "current_grade",
        &["现等级", "现有等级"],
        false,
        "junior/初级, intermediate/中级, senior/高级, special/特级; empty when none",
    ),
    col(
        "grade_since",
        &["定级时间", "获得等级时间"],
        false,
        "date the current grade was awarded (required with a grade)",
    ),
    col(
        "phone",
        &["手机号码", "联系电话", "电话"],
        false,
        "mobile or landline",
    ),
    col("ethnicity", &["民族"], false, "ethnicity"),
    col("education", &["学历"], false, "highest education"),
    col(
        "party_join_date",
        &["入党时间"],
        false,
        "date of joining the party",
    ),
    col("address", &["住址", "家庭住址"], false, "home address"),
    col(
        "title",
        &["职称"],
        false,
        "professional title (政工类/社会工作类)",
    ),
];

pub const EDUCATION: &[Col] = &[
    ID,
    col("start", &["开始日期", "入学时间"], true, "start date"),
    col("end", &["结束日期", "毕业时间"], false, "end date"),
    col("school", &["学校", "院校"], true, "school"),
    col("major", &["专业"], false, "major"),
    col("degree", &["学位"], false, "degree"),
];

pub const WORK_HISTORY: &[Col] = &[
    ID,
    col("start", &["开始日期", "起始时间"], true, "start date"),
    col(
        "end",
        &["结束日期", "截止时间"],
        false,
        "end date; empty for the current post",
    ),
    col("organisation", &["单位", "工作单位"], true, "organisation"),
    col("position", &["职务"], true, "position"),
];

pub const TRAINING: &[Col] = &[
    ID,
    col("date", &["培训日期", "日期"], true, "date of the training"),
    col(
        "days",
        &["天数", "培训天数"],
        true,
        "days, > 0, in halves (1, 1.5, 2...)",
    ),
    col("title", &["培训名称", "名称"], true, "title"),
    col("organiser", &["主办单位"], false, "organiser"),
];

pub const ASSESSMENTS: &[Col] = &[
    ID,
    col("year", &["年度"], true, "year"),
    col(
        "grade",
        &["考核等级", "考核结果"],
        true,
        "excellent/优秀, competent/称职, basic/基本称职, incompetent/不称职",
    ),
    col("remark", &["评语", "备注"], false, "remark"),
];

pub const PAY: &[Col] = &[
    ID,
    col("year", &["年度"], true, "year"),
    col("item", &["项目"], true, "item, e.g. 基本工资, 红领津贴"),
    col(
        "amount",
        &["金额", "金额（元）"],
        true,
        "amount in yuan, >= 0, to the fen (0.01)",
    ),
];

pub const REWARDS: &[Col] = &[
    ID,
    col("date", &["日期"], true, "date"),
    col(
        "kind",
        &["类型", "奖惩类型"],
        true,
        "reward/奖励 or penalty/处罚",
    ),
    col("title", &["名称", "奖惩名称"], true, "title"),
    col("issuer", &["授予单位", "决定单位"], false, "issuing body"),
];

pub const DECLARATIONS: &[Col] = &[
    ID,
    col("target_grade", &["申报等级"], true, "grade applied for"),
    col(
        "declared_on",
        &["申报日期"],
        true,
        "date of the declaration",
    ),
    col(
        "statement",
        &["个人陈述", "申报理由"],
        false,
        "the applicant's statement",
    ),
];

pub const COMMITTEE: &[Col] = &[
    col("name", &["姓名"], true, "member's name (unique)"),
    col(
        "role",
        &["角色", "职务"],
        true,
        "chair/主任委员, member/委员 or secretary/秘书",
    ),
    col(
        "org_code",
        &["统一社会信用代码", "单位代码"],
        false,
        "credit code of the member's own organisation, for recusal",
    ),
    col(
        "pin",
        &["PIN", "口令"],
        true,
        "4 to 8 digits; stored only as an argon2 hash",
    ),
    col("phone", &["手机号码", "联系电话"], false, "phone"),
    col(
        "ssh_key",
        &["公钥", "SSH公钥", "SSH 公钥"],
        false,
        "the member's OpenSSH public key, one line (`ssh-ed25519 AAAA… comment`), for logging in over SSH",
    ),
];

/// The columns that hold texts of several lines, where line breaks and tabs are
/// kept; in every other column (names, positions, organisations, codes...) they are
/// refused like any other control character.
const MULTILINE: &[(Kind, &str)] = &[
    (Kind::Declarations, "statement"),
    (Kind::Assessments, "remark"),
];

/// The earliest year a date of an import may fall in.
const EARLIEST_YEAR: i32 = 1900;
/// How old a person must have been when their post began.
const MIN_POST_AGE: u32 = 16;
/// How wide a person's name may be, in terminal cells (two per Chinese character).
const NAME_CELLS: usize = 40;
/// The step of a training's days: halves.
const DAY_STEP: f64 = 0.5;
/// The step of an amount of pay, in yuan: the fen.
const FEN: f64 = 0.01;
/// How many digits a committee member's PIN in a file has.
const PIN_DIGITS: (usize, usize) = (4, 8);

/// One bad cell or row: where, and what is wrong there.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub source: String,
    pub line: usize,
    pub column: String,
    pub problem: RowProblem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file's name, a header or a quoted value may hold anything: shown escaped.
        let esc = crate::text::escape_controls;
        let reason = self.problem.en();
        let (source, reason) = (esc(&self.source), esc(&reason));
        if self.line == 0 {
            write!(f, "{source}: {reason}")
        } else if self.column.is_empty() {
            write!(f, "{source}:{}: {reason}", self.line)
        } else {
            write!(f, "{source}:{}:{}: {reason}", self.line, esc(&self.column))
        }
    }
}

impl RowError {
    /// The problem in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// Where the problem is and what it is, in Chinese.
    pub fn zh(&self) -> String {
        let esc = crate::text::escape_controls;
        let reason = self.problem.zh();
        let (source, reason) = (esc(&self.source), esc(&reason));
        if self.line == 0 {
            format!("{source}：{reason}")
        } else if self.column.is_empty() {
            format!("{source} 第 {} 行：{reason}", self.line)
        } else {
            format!(
                "{source} 第 {} 行“{}”列：{reason}",
                self.line,
                esc(&self.column)
            )
        }
    }
}

/// Why an import was refused: every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub errors: Vec<RowError>,
}

impl std::error::Error for ImportError {}

impl ImportError {
    /// A refusal of one problem of the file `source` as a whole (`line` 0) or from
    /// `line` on.
    pub fn at(source: &str, line: usize, problem: RowProblem) -> ImportError {
        ImportError {
            errors: vec![RowError {
                source: source.to_string(),
                line,
                column: String::new(),
                problem,
            }],
        }
    }
}

/// How many problems an import refusal lists before it only counts the rest.
const SHOWN: usize = 50;

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in self.errors.iter().take(SHOWN) {
            writeln!(f, "{e}")?;
        }
        if self.errors.len() > SHOWN {
            writeln!(f, "... and {} more", self.errors.len() - SHOWN)?;
        }
        write!(f, "{} problem(s)", self.errors.len())
    }
}

impl ImportError {
    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The refusal in Chinese: where each problem is, and how many there are.
    pub fn zh(&self) -> String {
        let mut lines: Vec<String> = self.errors.iter().take(SHOWN).map(RowError::zh).collect();
        if self.errors.len() > SHOWN {
            lines.push(format!("……另有 {} 处", self.errors.len() - SHOWN));
        }
        lines.push(format!("共 {} 处问题", self.errors.len()));
        lines.join("\n")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub kind: Kind,
    pub rows: usize,
}

/// Reads cells of a row by column key, collecting errors.
struct Reader<'a> {
    source: &'a str,
    headers: &'a [String],
    index: HashMap<&'static str, usize>,
    errors: Vec<RowError>,
    line: usize,
    cells: &'a [String],
}

impl<'a> Reader<'a> {
    fn at(&mut self, row: &'a Row) {
        self.line = row.line;
        self.cells = &row.cells;
    }

    fn header(&self, key: &str) -> String {
        self.index
            .get(key)
            .map(|i| self.headers[*i].clone())
            .unwrap_or_else(|| key.to_string())
    }

    fn fail(&mut self, key: &str, problem: RowProblem) {
        let column = if key.is_empty() {
            String::new()
        } else {
            self.header(key)
        };
        self.errors.push(RowError {
            source: self.source.to_string(),
            line: self.line,
            column,
            problem,
        });
    }

    /// The trimmed cell, empty when the column is absent.
    fn text(&self, key: &str) -> &'a str {
        self.index
            .get(key)
            .and_then(|i| self.cells.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    fn required(&mut self, key: &str) -> Option<&'a str> {
        let t = self.text(key);
        if t.is_empty() {
            self.fail(key, RowProblem::Empty);
            None
        } else {
            Some(t)
        }
    }

    /// The row's ID number, normalised; one a spreadsheet stored as a number
    /// (`3.20102E+17`, `320102198506151000.0`) is refused with the hint to make the
    /// column text.
    fn id_number(&mut self) -> Option<String> {
        let t = self.required("id_number")?;
        if t.parse::<f64>().is_ok() && t.contains(['.', 'e', 'E']) {
            let found = t.to_string();
            self.fail("id_number", RowProblem::IdAsNumber { found });
            return None;
        }
        Some(ids::normalize_id_number(t))
    }

    /// Refuses a row with a value beyond the header or under an empty header: no
    /// value of a file is dropped unread.
    fn refuse_unheaded(&mut self) {
        let width = self.headers.len();
        if self.cells.len() > width && self.cells[width..].iter().any(|c| !c.trim().is_empty()) {
            let (fields, header) = (self.cells.len(), width);
            self.fail("", RowProblem::TooManyFields { fields, header });
            return;
        }
        let unheaded = self.cells.iter().zip(self.headers).position(|(c, h)| {
            h.trim().trim_start_matches('\u{feff}').is_empty() && !c.trim().is_empty()
        });
        if let Some(i) = unheaded {
            self.fail("", RowProblem::NoHeader { column: i + 1 });
        }
    }

    fn date(&mut self, key: &str, required: bool, today: NaiveDate) -> Option<NaiveDate> {
        let t = self.text(key);
        if t.is_empty() {
            if required {
                self.fail(key, RowProblem::EmptyDate);
            }
            return None;
        }
        match parse_date(t) {
            Ok(date) if date > today => {
                self.fail(key, RowProblem::FutureDate { date });
                None
            }
            Ok(date) if date.year() < EARLIEST_YEAR => {
                let earliest = EARLIEST_YEAR;
                self.fail(key, RowProblem::DateTooEarly { date, earliest });
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                let found = t.to_string();
                self.fail(key, RowProblem::NotADate { found });
                None
            }
        }
    }

    /// A number from `min` to `max` in steps of `step` (0: any).
    fn number(&mut self, key: &str, min: f64, max: f64, step: f64) -> Option<f64> {
        let t = self.required(key)?;
        match t.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= min && n <= max => {
                let steps = if step > 0.0 { n / step } else { 0.0 };
                if (steps - steps.round()).abs() > 1e-9 {
                    let found = t.to_string();
                    self.fail(key, RowProblem::OffStep { found, step });
                    return None;
                }
                Some(n)
            }
            Ok(_) => {
                let found = t.to_string();
                self.fail(key, RowProblem::OutOfRange { found, min, max });
                None
            }
            Err(_) => {
                let found = t.to_string();
                self.fail(key, RowProblem::NotANumber { found });
                None
            }
        }
    }

    fn year(&mut self, key: &str, today: NaiveDate) -> Option<i32> {
        let n = self.number(key, 1950.0, f64::from(today.year()), 0.0)?;
        if n.fract() != 0.0 {
            self.fail(key, RowProblem::NotAYear { found: n });
            return None;
        }
        Some(n as i32)
    }

    fn coded<T>(
        &mut self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        choices: Choices,
        required: bool,
    ) -> Option<T> {
        let t = self.text(key);
        if t.is_empty() {
            if required {
                self.fail(key, RowProblem::EmptyChoice { choices });
            }
            return None;
        }
        let v = parse(t);
        if v.is_none() {
            self.unknown(key, t, choices);
        }
        v
    }

    fn unknown(&mut self, key: &str, found: &str, choices: Choices) {
        let found = found.to_string();
        self.fail(key, RowProblem::UnknownChoice { found, choices });
    }

    /// Reports every cell of the row holding a control character or a bidirectional
    /// control, named (`U+001B`), never echoed. Only the texts of several lines may
    /// keep line breaks and tabs.
    fn refuse_hostile(&mut self, kind: Kind) {
        let mut keys: Vec<(&'static str, usize)> =
            self.index.iter().map(|(k, i)| (*k, *i)).collect();
        keys.sort_by_key(|(_, i)| *i);
        for (key, _) in keys {
            let multiline = MULTILINE.contains(&(kind, key));
            if let Some(found) = crate::text::hostile_char(self.text(key), multiline) {
                self.fail(key, RowProblem::Hostile { found, multiline });
            }
        }
    }

    /// Remembers a key and reports a repeat within the file.
    fn unique<K: std::hash::Hash + Eq>(
        &mut self,
        seen: &mut HashMap<K, usize>,
        k: K,
        col: &str,
        what: Keyed,
    ) -> bool {
        if let Some(&first) = seen.get(&k) {
            self.fail(col, RowProblem::Duplicate { what, first });
            false
        } else {
            seen.insert(k, self.line);
            true
        }
    }
}

/// Maps the file's headers to the kind's columns.
fn resolve(table: &Table, kind: Kind) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut index = HashMap::new();
    let err = |column: &str, problem: RowProblem| RowError {
        source: table.source.clone(),
        line: 1,
        column: column.to_string(),
        problem,
    };
    let cols = kind.columns();
    for (i, h) in table.headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if h.is_empty() {
            continue;
        }
        if let Some(found) = crate::text::hostile_char(h, false) {
            errors.push(err(h, RowProblem::HostileHeader { found }));
            continue;
        }
        let found = cols
            .iter()
            .find(|c| c.key.eq_ignore_ascii_case(h) || c.zh.contains(&h));
        match found {
            Some(c) => {
                if index.insert(c.key, i).is_some() {
                    let (key, zh) = (c.key, c.zh[0]);
                    errors.push(err(h, RowProblem::ColumnTwice { key, zh }));
                }
            }
            None => errors.push(err(h, RowProblem::UnknownColumn { kind })),
        }
    }
    for c in cols.iter().filter(|c| c.required) {
        if !index.contains_key(c.key) {
            let (key, zh) = (c.key, c.zh[0]);
            errors.push(err(c.key, RowProblem::MissingColumn { key, zh }));
        }
    }
    if table
        .rows
        .iter()
        .all(|r| r.cells.iter().all(|c| c.trim().is_empty()))
    {
        errors.push(err("", RowProblem::NoDataRows));
    }
    if errors.is_empty() {
        Ok(index)
    } else {
        Err(errors)
    }
}

/// A fingerprint of a table's content, so the same file is never imported twice.
fn fingerprint(table: &Table) -> String {
    let mut h = Sha256::new();
    for cell in table
        .headers
        .iter()
        .chain(table.rows.iter().flat_map(|r| r.cells.iter()))
    {
        h.update(cell.trim().as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

fn lookup(conn: &Connection, sql: &str) -> rusqlite::Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    rows.collect()
}

/// A validated row, ready to insert.
enum Record {
    Org([String; 7]),
    Person {
        id_number: String,
        name: String,
        sex: Sex,
        birth: NaiveDate,
        org_id: i64,
        category: Category,
        position: String,
        post_start: NaiveDate,
        grade: Option<(Grade, NaiveDate)>,
        rest: [String; 5],
        party_join: Option<NaiveDate>,
    },
    /// person id, then the kind's fields as SQL values in column order.
    Section(i64, Vec<rusqlite::types::Value>),
    Declaration {
        person_id: i64,
        grade: Grade,
        declared_on: NaiveDate,
        statement: String,
    },
    Member {
        name: String,
        role: Role,
        org_id: Option<i64>,
        pin: String,
        phone: String,
        key: Option<crate::domain::pubkey::PublicKey>,
    },
}

/// Rows beyond which an import tells the search to read everyone again instead of
/// noting each changed person.
const BULK: usize = 1000;

impl Service {
    /// Imports a table of `kind`; the service's today bounds dates (nothing may lie in
    /// the future).
    pub fn import(&mut self, kind: Kind, table: &Table) -> Result<ImportReport> {
        self.require(crate::domain::Deed::ImportData)?;
        let today = self.today();
        let index =
            resolve(table, kind).map_err(|errors| ServiceError::Import(ImportError { errors }))?;
        let hash = fingerprint(table);
        let earlier: Option<(i64, String, String)> = self
            .conn()
            .query_row(
                "SELECT id, source, at FROM imports WHERE kind = ?1 AND sha256 = ?2",
                params![kind.code(), hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((id, name, at)) = earlier {
            return Err(ServiceError::Import(ImportError {
                errors: vec![RowError {
                    source: table.source.clone(),
                    line: 1,
                    column: String::new(),
                    problem: RowProblem::AlreadyImported { name, at, id },
                }],
            }));
        }
        let cycle = if kind == Kind::Declarations {
            Some(self.open_cycle_id()?)
        } else {
            None
        };
        let records = validate(self.conn(), kind, table, index, today, cycle)
            .map_err(|errors| ServiceError::Import(ImportError { errors }))?;
        let rows = records.len();
        let source = table.source.clone();
        // Hash PINs before the transaction: argon2 is deliberately slow.
        let policy = self.pin_policy();
        let mut weak = Vec::new();
        let records: Vec<Record> = records
            .into_iter()
            .enumerate()
            .map(|(i, r)| match r {
                Record::Member {
                    name,
                    role,
                    org_id,
                    pin,
                    phone,
                    key,
                } => Record::Member {
                    pin: super::members::hash_new_pin(&pin, policy).unwrap_or_else(|why| {
                        weak.push(RowError {
                            source: table.source.clone(),
                            line: i + 2,
                            column: "pin".into(),
                            problem: RowProblem::WeakPin(why),
                        });
                        String::new()
                    }),
                    name,
                    role,
                    org_id,
                    phone,
                    key,
                },
                other => other,
            })
            .collect();
        if !weak.is_empty() {
            return Err(ServiceError::Import(ImportError { errors: weak }));
        }
        let now = self.stamp();
        self.mutate(|tx, actor| {
            if records.len() > BULK {
                // The search reads everyone again, rather than each row noted.
                crate::store::persons_read::everyone_changed(tx)?;
            }
            insert(tx, kind, &records, cycle, actor.member_id, &now)?;
            tx.execute(
                "INSERT INTO imports (kind, source, sha256, rows, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![kind.code(), source, hash, rows as i64, now],
            )?;
            let id = tx.last_insert_rowid();
            Ok((
                ImportReport { kind, rows },
                AuditNote::new("import", "import", id).after(json!({
                    "kind": kind.code(), "source": source, "rows": rows, "sha256": hash,
                })),
            ))
        })
    }
}

fn validate(
    conn: &Connection,
    kind: Kind,
    table: &Table,
    index: HashMap<&'static str, usize>,
    today: NaiveDate,
    cycle: Option<i64>,
) -> Result<Vec<Record>, Vec<RowError>> {
    let db = |e: rusqlite::Error| {
        vec![RowError {
            source: table.source.clone(),
            line: 0,
            column: String::new(),
            problem: RowProblem::Database {
                problem: e.to_string(),
            },
        }]
    };
    let orgs = match kind {
        Kind::Persons | Kind::Committee => {
            lookup(conn, "SELECT code, id FROM organisations").map_err(db)?
        }
        _ => HashMap::new(),
    };
    let persons = match kind {
        Kind::Organisations | Kind::Committee => HashMap::new(),
        _ => lookup(conn, "SELECT id_number, id FROM persons").map_err(db)?,
    };
    let existing = existing_keys(conn, kind, cycle).map_err(db)?;
    // The members' keys already recorded: the key data, the member's name.
    let held = match kind {
        Kind::Committee => held_keys(conn).map_err(db)?,
        _ => HashMap::new(),
    };
    let mut seen_keys: HashMap<String, usize> = HashMap::new();
    let mut r = Reader {
        source: &table.source,
        headers: &table.headers,
        index,
        errors: Vec::new(),
        line: 0,
        cells: &[],
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue; // blank lines are not rows
        }
        r.at(row);
        let before = r.errors.len();
        r.refuse_unheaded();
        r.refuse_hostile(kind);
        // The person a section row belongs to.
        let person = if matches!(kind, Kind::Organisations | Kind::Persons | Kind::Committee) {
            None
        } else {
            match r.id_number() {
                Some(id) => match persons.get(&id) {
                    Some(pid) => Some(*pid),
                    None => {
                        let id = ids::mask(&id);
                        r.fail("id_number", RowProblem::NoSuchPerson { id });
                        None
                    }
                },
                None => None,
            }
        };
        let record = match kind {
            Kind::Organisations => org_row(&mut r, &mut seen, &existing),
            Kind::Persons => person_row(&mut r, &mut seen, &existing, &orgs, today),
            Kind::Committee => {
                let key = member_key(&mut r, &mut seen_keys, &held);
                member_row(&mut r, &mut seen, &existing, &orgs, key)
            }
            Kind::Declarations => declaration_row(&mut r, &mut seen, &existing, person, today),
            _ => section_row(&mut r, kind, &mut seen, &existing, person, today),
        };
        if r.errors.len() == before {
            if let Some(rec) = record {
                out.push(rec);
            }
        }
    }
    if r.errors.is_empty() {
        Ok(out)
    } else {
        Err(r.errors)
    }
}

/// Natural keys already in the database, as the row validators spell them.
fn existing_keys(
    conn: &Connection,
    kind: Kind,
    cycle: Option<i64>,
) -> rusqlite::Result<HashMap<String, i64>> {
    let sql = match kind {
        Kind::Organisations => "SELECT code, id FROM organisations",
        Kind::Persons => "SELECT id_number, id FROM persons",
        Kind::Committee => "SELECT name, id FROM members",
        Kind::Education => {
            "SELECT person_id || '|' || start_date || '|' || school, id FROM education"
        }
        Kind::WorkHistory => {
            "SELECT person_id || '|' || start_date || '|' || organisation, id FROM work_history"
        }
        Kind::Training => "SELECT person_id || '|' || date || '|' || title, id FROM training",
        Kind::Assessments => "SELECT person_id || '|' || year, id FROM assessments",
        Kind::Pay => "SELECT person_id || '|' || year || '|' || item, id FROM pay",
        Kind::Rewards => "SELECT person_id || '|' || date || '|' || title, id FROM rewards",
        Kind::Declarations => {
            let mut stmt =
                conn.prepare("SELECT person_id, id FROM applications WHERE cycle_id = ?1")?;
            let rows = stmt.query_map([cycle.unwrap_or(0)], |r| {
                Ok((r.get::<_, i64>(0)?.to_string(), r.get(1)?))
            })?;
            return rows.collect();
        }
    };
    lookup(conn, sql)
}

fn in_db(
    r: &mut Reader,
    existing: &HashMap<String, i64>,
    key: &str,
    col: &str,
    exists: impl FnOnce() -> RowProblem,
) -> bool {
    if existing.contains_key(key) {
        r.fail(col, exists());
        true
    } else {
        false
    }
}

/// The organisation an `org_code` names. A code whose checksum (or form) is wrong is
/// refused as such, not looked up; `import_first`: the hint that organisations are
/// imported before persons.
fn known_org(
    r: &mut Reader,
    orgs: &HashMap<String, i64>,
    code: &str,
    import_first: bool,
) -> Option<i64> {
    let code = code.to_ascii_uppercase();
    if let Err(error) = check_credit_code(&code) {
        r.fail("org_code", RowProblem::BadCreditCode { code, error });
        return None;
    }
    let id = orgs.get(&code).copied();
    if id.is_none() {
        let problem = RowProblem::UnknownOrganisation { code, import_first };
        r.fail("org_code", problem);
    }
    id
}

fn org_row(
    r: &mut Reader,
    seen: &mut HashMap<String, usize>,
    existing: &HashMap<String, i64>,
) -> Option<Record> {
    let code = r.required("code").map(|c| c.to_ascii_uppercase());
    if let Some(c) = &code {
        if let Err(error) = check_credit_code(c) {
            let code = c.clone();
            r.fail("code", RowProblem::BadCreditCode { code, error });
        } else if !in_db(r, existing, c, "code", || RowProblem::OrganisationExists {
            code: c.clone(),
        }) {
            r.unique(seen, c.clone(), "code", Keyed::CreditCode);
        }
    }
    let name = r.required("name");
    let kind = r.required("kind").and_then(|k| match k {
        "enterprise" | "企业" | "非公有制企业" => Some("enterprise"),
        "social" | "社会组织" => Some("social"),
        other => {
            r.unknown("kind", other, Choices::OrgKind);
            None
        }
    });
    let county = r.required("county");
    Some(Record::Org([
        code?,
        name?.to_string(),
        kind?.to_string(),
        county?.to_string(),
        r.text("township").to_string(),
        r.text("address").to_string(),
        r.text("industry").to_string(),
    ]))
}

fn person_row(
    r: &mut Reader,
    seen: &mut HashMap<String, usize>,
    existing: &HashMap<String, i64>,
    orgs: &HashMap<String, i64>,
    today: NaiveDate,
) -> Option<Record> {
    let id_number = r.id_number();
    let info = id_number
        .as_ref()
        .and_then(|id| match parse_id_number(id, today) {
            Ok(info) => {
                if !in_db(r, existing, id, "id_number", || RowProblem::PersonExists {
                    id: ids::mask(id),
                }) {
                    r.unique(seen, id.clone(), "id_number", Keyed::IdNumber);
                }
                Some(info)
            }
            Err(e) => {
                r.fail("id_number", RowProblem::BadIdNumber(e));
                None
            }
        });
    let name = r.required("name");
    if let Some(n) = name {
        if unicode_width::UnicodeWidthStr::width(n) > NAME_CELLS {
            let max = NAME_CELLS / 2;
            r.fail("name", RowProblem::NameTooLong { max });
        }
    }
    if let (Some(given), Some(info)) = (r.coded("sex", Sex::parse, Choices::Sex, false), &info) {
        if given != info.sex {
            let (found, id) = (r.text("sex").to_string(), info.sex);
            r.fail("sex", RowProblem::SexDisagrees { found, id });
        }
    }
    let org_id = r
        .required("org_code")
        .and_then(|c| known_org(r, orgs, c, true));
    let category = r.coded("category", Category::parse, Choices::Category, true);
    let position = r.required("position");
    let post_start = r.date("post_start", true, today);
    let grade = r.coded("current_grade", Grade::parse, Choices::Grade, false);
    let since = r.date("grade_since", false, today);
    let grade = match (grade, since) {
        (Some(g), Some(s)) => Some((g, s)),
        (Some(_), None) => {
            if r.text("grade_since").is_empty() {
                r.fail("grade_since", RowProblem::GradeSinceMissing);
            }
            None
        }
        (None, Some(_)) => {
            r.fail("grade_since", RowProblem::GradeSinceWithoutGrade);
            None
        }
        (None, None) => None,
    };
    if category == Some(Category::Instructor) && grade.is_some() {
        r.fail("current_grade", RowProblem::InstructorGraded);
    }
    let phone = r.text("phone");
    let phone = if phone.is_empty() {
        String::new()
    } else {
        ids::parse_phone(phone).unwrap_or_else(|| {
            let found = phone.to_string();
            r.fail("phone", RowProblem::NotAPhone { found });
            String::new()
        })
    };
    let party_join = r.date("party_join_date", false, today);
    if let (Some(info), Some(start)) = (&info, post_start) {
        if start < info.birth + chrono::Months::new(MIN_POST_AGE * 12) {
            let (birth, age) = (info.birth, MIN_POST_AGE);
            r.fail("post_start", RowProblem::PostTooYoung { start, birth, age });
        }
    }
    let info = info?;
    Some(Record::Person {
        id_number: id_number?,
        name: name?.to_string(),
        sex: info.sex,
        birth: info.birth,
        org_id: org_id?,
        category: category?,
        position: position?.to_string(),
        post_start: post_start?,
        grade,
        rest: [
            phone,
            r.text("ethnicity").to_string(),
            r.text("education").to_string(),
            r.text("address").to_string(),
            r.text("title").to_string(),
        ],
        party_join,
    })
}

fn member_row(
    r: &mut Reader,
    seen: &mut HashMap<String, usize>,
    existing: &HashMap<String, i64>,
    orgs: &HashMap<String, i64>,
    key: Option<crate::domain::pubkey::PublicKey>,
) -> Option<Record> {
    let name = r.required("name").map(str::to_string);
    if let Some(n) = &name {
        if !in_db(r, existing, n, "name", || RowProblem::MemberExists {
            name: n.clone(),
        }) {
            r.unique(seen, n.clone(), "name", Keyed::MemberName);
        }
    }
    let role = r.coded("role", Role::parse, Choices::Role, true);
    let org = r.text("org_code");
    let org_id = if org.is_empty() {
        None
    } else {
        known_org(r, orgs, org, false)
    };
    let pin = r.required("pin").map(str::to_string);
    if let Some(p) = &pin {
        let (min, max) = PIN_DIGITS;
        if !(min..=max).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            r.fail("pin", RowProblem::PinNotDigits { min, max });
        }
    }
    Some(Record::Member {
        name: name?,
        role: role?,
        org_id,
        pin: pin?,
        phone: r.text("phone").to_string(),
        key,
    })
}

/// The members' keys already recorded: key data (base64), the holder's name.
fn held_keys(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut stmt = conn
        .prepare("SELECT k.blob, m.name FROM member_keys k JOIN members m ON m.id = k.member_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The row's public key, if it gives one: a key pingshen takes, held by no member yet
/// and given once in the file.
fn member_key(
    r: &mut Reader,
    seen: &mut HashMap<String, usize>,
    held: &HashMap<String, String>,
) -> Option<crate::domain::pubkey::PublicKey> {
    let text = r.text("ssh_key");
    if text.is_empty() {
        return None;
    }
    let key = match crate::domain::pubkey::parse_line(text) {
        Ok(key) => key,
        Err(e) => {
            r.fail("ssh_key", RowProblem::BadKey(e));
            return None;
        }
    };
    if let Some(member) = held.get(&key.base64()) {
        let (fingerprint, member) = (key.fingerprint(), member.clone());
        r.fail(
            "ssh_key",
            RowProblem::KeyTaken {
                fingerprint,
                member,
            },
        );
        return None;
    }
    r.unique(seen, key.base64(), "ssh_key", Keyed::PublicKey)
        .then_some(key)
}

fn declaration_row(
    r: &mut Reader,
    seen: &mut HashMap<String, usize>,
    existing: &HashMap<String, i64>,
    person: Option<i64>,
    today: NaiveDate,
) -> Option<Record> {
    if let Some(p) = person {
        if !in_db(r, existing, &p.to_string(), "id_number", || {
            RowProblem::DeclarationExists
        }) {
            r.unique(seen, p.to_string(), "id_number", Keyed::Declaration);
        }
    }
    let grade = r.coded("target_grade", Grade::parse, Choices::Grade, true);
    let declared_on = r.date("declared_on", true, today);
    Some(Record::Declaration {
        person_id: person?,
        grade: grade?,
        declared_on: declared_on?,
        statement: r.text("statement").to_string(),
    })
}

fn section_row(
    r: &mut Reader,
    kind: Kind,
    seen: &mut HashMap<String, usize>,
    existing: &HashMap<String, i64>,
    person: Option<i64>,
    today: NaiveDate,
) -> Option<Record> {
    use rusqlite::types::Value as V;
    let text = |r: &Reader, k: &str| V::Text(r.text(k).to_string());
    let opt_date = |d: Option<NaiveDate>| d.map(|d| V::Text(d.to_string())).unwrap_or(V::Null);
    // (natural key after the person, column shown for a duplicate, values)
    let (key, col, values): (Option<String>, &str, Option<Vec<V>>) = match kind {
        Kind::Education | Kind::WorkHistory => {
            let (place, other) = if kind == Kind::Education {
                ("school", "major")
            } else {
                ("organisation", "position")
            };
            let start = r.date("start", true, today);
            let end = r.date("end", false, today);
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    r.fail("end", RowProblem::EndBeforeStart { end: e, start: s });
                }
            }
            let p = r.required(place);
            if kind == Kind::WorkHistory {
                r.required(other);
            }
            let key = start.zip(p).map(|(s, p)| format!("{s}|{p}"));
            let mut v = vec![
                opt_date(start),
                opt_date(end),
                text(r, place),
                text(r, other),
            ];
            if kind == Kind::Education {
                v.push(text(r, "degree"));
            }
            (key, "start", start.map(|_| v))
        }
        Kind::Training => {
            let date = r.date("date", true, today);
            let days = r.number("days", DAY_STEP, 366.0, DAY_STEP);
            let title = r.required("title");
            let key = date.zip(title).map(|(d, t)| format!("{d}|{t}"));
            let ok = date.is_some() && days.is_some();
            let v = vec![
                opt_date(date),
                V::Real(days.unwrap_or(0.0)),
                text(r, "title"),
                text(r, "organiser"),
            ];
            (key, "date", ok.then_some(v))
        }
        Kind::Assessments => {
            let year = r.year("year", today);
            let grade = r.coded("grade", Assessment::parse, Choices::Assessment, true);
            let v = year.zip(grade).map(|(y, g)| {
                vec![
                    V::Integer(y.into()),
                    V::Text(g.code().into()),
                    text(r, "remark"),
                ]
            });
            (year.map(|y| y.to_string()), "year", v)
        }
        Kind::Pay => {
            let year = r.year("year", today);
            let item = r.required("item");
            let amount = r.number("amount", 0.0, 1e9, FEN);
            let key = year.zip(item).map(|(y, i)| format!("{y}|{i}"));
            let v = year
                .zip(amount)
                .map(|(y, a)| vec![V::Integer(y.into()), text(r, "item"), V::Real(a)]);
            (key, "item", v)
        }
        Kind::Rewards => {
            let date = r.date("date", true, today);
            let k = r.required("kind").and_then(|k| match k {
                "reward" | "奖励" => Some("reward"),
                "penalty" | "处罚" | "惩处" => Some("penalty"),
                other => {
                    r.unknown("kind", other, Choices::RewardKind);
                    None
                }
            });
            let title = r.required("title");
            let key = date.zip(title).map(|(d, t)| format!("{d}|{t}"));
            let v = date.zip(k).map(|(d, k)| {
                vec![
                    V::Text(d.to_string()),
                    V::Text(k.into()),
                    text(r, "title"),
                    text(r, "issuer"),
                ]
            });
            (key, "date", v)
        }
        _ => unreachable!("section kinds only"),
    };
    let person = person?;
    let key = format!("{person}|{}", key?);
    if !in_db(r, existing, &key, col, || RowProblem::RecordExists) {
        r.unique(seen, key, col, Keyed::Record);
    }
    Some(Record::Section(person, values?))
}

fn insert(
    tx: &Connection,
    kind: Kind,
    records: &[Record],
    cycle: Option<i64>,
    member: Option<i64>,
    now: &str,
) -> rusqlite::Result<()> {
    let sql = match kind {
        Kind::Organisations => "INSERT INTO organisations (code, name, kind, county, township, address, industry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        Kind::Persons => "INSERT INTO persons (id_number, name, sex, birth_date, org_id, category, position, post_start, current_grade, grade_since, phone, ethnicity, education, address, title, party_join_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        Kind::Education => "INSERT INTO education (person_id, start_date, end_date, school, major, degree) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        Kind::WorkHistory => "INSERT INTO work_history (person_id, start_date, end_date, organisation, position) VALUES (?1, ?2, ?3, ?4, ?5)",
        Kind::Training => "INSERT INTO training (person_id, date, days, title, organiser) VALUES (?1, ?2, ?3, ?4, ?5)",
        Kind::Assessments => "INSERT INTO assessments (person_id, year, grade, remark) VALUES (?1, ?2, ?3, ?4)",
        Kind::Pay => "INSERT INTO pay (person_id, year, item, amount) VALUES (?1, ?2, ?3, ?4)",
        Kind::Rewards => "INSERT INTO rewards (person_id, date, kind, title, issuer) VALUES (?1, ?2, ?3, ?4, ?5)",
        Kind::Declarations => "INSERT INTO applications (cycle_id, person_id, target_grade, declared_on, statement, stage, status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'declaration', 'active', ?6)",
        Kind::Committee => "INSERT INTO members (name, role, org_id, pin_hash, phone) VALUES (?1, ?2, ?3, ?4, ?5)",
    };
    let mut stmt = tx.prepare(sql)?;
    for rec in records {
        match rec {
            Record::Org(v) => {
                stmt.execute(rusqlite::params_from_iter(v.iter()))?;
            }
            Record::Person {
                id_number,
                name,
                sex,
                birth,
                org_id,
                category,
                position,
                post_start,
                grade,
                rest,
                party_join,
            } => {
                stmt.execute(params![
                    id_number,
                    name,
                    sex.code(),
                    birth.to_string(),
                    org_id,
                    category.code(),
                    position,
                    post_start.to_string(),
                    grade.map(|(g, _)| g.code()),
                    grade.map(|(_, s)| s.to_string()),
                    rest[0],
                    rest[1],
                    rest[2],
                    rest[3],
                    rest[4],
                    party_join.map(|d| d.to_string()),
                ])?;
            }
            Record::Section(person, values) => {
                let mut all = vec![rusqlite::types::Value::Integer(*person)];
                all.extend(values.iter().cloned());
                stmt.execute(rusqlite::params_from_iter(all))?;
            }
            Record::Declaration {
                person_id,
                grade,
                declared_on,
                statement,
            } => {
                stmt.execute(params![
                    cycle,
                    person_id,
                    grade.code(),
                    declared_on.to_string(),
                    statement,
                    now
                ])?;
                let app = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO stage_records (application_id, from_stage, to_stage, to_status, action, member_id, at, reason)
                     VALUES (?1, '', ?2, ?3, 'declare', ?4, ?5, '')",
                    params![app, Stage::Declaration.code(), Status::Active.code(), member, now],
                )?;
            }
            Record::Member {
                name,
                role,
                org_id,
                pin,
                phone,
                key,
            } => {
                stmt.execute(params![name, role.code(), org_id, pin, phone])?;
                if let Some(key) = key {
                    super::keys::insert(tx, tx.last_insert_rowid(), key, now)?;
                }
            }
        }
    }
    Ok(())
}
