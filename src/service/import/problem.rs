//! Why a header, a cell, a row or a whole file of an import was refused: one variant
//! per problem, carrying the value found and what was expected, never a sentence;
//! each words itself in Chinese ([`RowProblem::zh`]) and in English
//! ([`RowProblem::en`], also its `Display`).

use super::Kind;
use crate::domain::grade::{Assessment, Category, Grade, Role, Sex};
use crate::domain::ids::{CreditCodeError, IdError};
use crate::domain::pubkey::KeyError;
use crate::service::members::PinError;
use chrono::NaiveDate;
use thiserror::Error;

/// The values a coded column accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Sex,
    Category,
    Grade,
    Assessment,
    Role,
    /// An organisation's kind: an enterprise or a social organisation.
    OrgKind,
    /// A reward or a penalty.
    RewardKind,
}

impl Choices {
    /// Every value, as its English code and its Chinese label.
    pub fn values(self) -> Vec<(&'static str, &'static str)> {
        fn of<T: Copy>(
            all: &[T],
            code: fn(T) -> &'static str,
            zh: fn(T) -> &'static str,
        ) -> Vec<(&'static str, &'static str)> {
            all.iter().map(|x| (code(*x), zh(*x))).collect()
        }
        match self {
            Choices::Sex => of(Sex::ALL, Sex::code, Sex::zh),
            Choices::Category => of(Category::ALL, Category::code, Category::zh),
            Choices::Grade => of(Grade::ALL, Grade::code, Grade::zh),
            Choices::Assessment => of(Assessment::ALL, Assessment::code, Assessment::zh),
            Choices::Role => of(Role::ALL, Role::code, Role::zh),
            Choices::OrgKind => vec![("enterprise", "企业"), ("social", "社会组织")],
            Choices::RewardKind => vec![("reward", "奖励"), ("penalty", "处罚")],
        }
    }

    /// Both spellings of every value: `male/男, female/女`.
    pub fn en(self) -> String {
        let v: Vec<String> = self
            .values()
            .into_iter()
            .map(|(code, zh)| format!("{code}/{zh}"))
            .collect();
        v.join(", ")
    }

    /// The Chinese labels: `男、女`.
    pub fn zh(self) -> String {
        let v: Vec<&str> = self.values().into_iter().map(|(_, zh)| zh).collect();
        v.join("、")
    }
}

/// What a key repeated within one file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    IdNumber,
    CreditCode,
    MemberName,
    /// A person's declaration.
    Declaration,
    /// A record of a person's file (education, training, pay...).
    Record,
    /// A member's public key.
    PublicKey,
}

impl Keyed {
    pub fn en(self) -> &'static str {
        match self {
            Keyed::IdNumber => "ID number",
            Keyed::CreditCode => "credit code",
            Keyed::MemberName => "member name",
            Keyed::Declaration => "declaration of this person",
            Keyed::Record => "record for this person",
            Keyed::PublicKey => "public key",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Keyed::IdNumber => "身份证号",
            Keyed::CreditCode => "统一社会信用代码",
            Keyed::MemberName => "委员姓名",
            Keyed::Declaration => "此人的申报",
            Keyed::Record => "此人的这条记录",
            Keyed::PublicKey => "公钥",
        }
    }
}

/// One problem of an import. ID numbers are carried masked, as they are shown.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RowProblem {
    // The headers and the file.
    #[error("the header contains {}, which is not allowed", describe(.found))]
    HostileHeader { found: char },
    /// Two headers name the same column.
    #[error("column '{key}' appears twice")]
    ColumnTwice { key: &'static str, zh: &'static str },
    #[error("unknown column for {} (expected: {})", .kind.code(), keys(.kind))]
    UnknownColumn { kind: Kind },
    #[error("missing required column ({key} / {zh})")]
    MissingColumn { key: &'static str, zh: &'static str },
    #[error("the file has no data rows")]
    NoDataRows,
    // Reading the file, before its rows (on `line` 0, the whole file, or on the line
    // the problem starts on).
    /// A file type pingshen does not read; `ext` without its dot, empty for none.
    #[error("{} (use .csv, .xlsx or .json)", file_type(.ext))]
    UnknownFileType { ext: String },
    /// The file could not be read (the system's message).
    #[error("cannot read the file: {problem}")]
    CannotRead { problem: String },
    #[error("the file is empty")]
    EmptyFile,
    /// Bytes that are neither UTF-8 nor GBK (GB18030), from this line on.
    #[error("the text is neither UTF-8 nor GBK from this line on: save the file as UTF-8")]
    UnknownEncoding,
    /// A line that is not UTF-8 in a file that otherwise is.
    #[error("this line is not UTF-8 though the rest of the file is (the file mixes encodings): save the whole file as UTF-8")]
    MixedEncoding,
    /// A `?` in a Chinese text of a file read as GBK: a character GBK has no code for
    /// (such as 𠮷), replaced when the file was saved.
    #[error("'{found}' holds a '?' where a Chinese character was lost when the file was saved as GBK: save it as UTF-8 (CSV UTF-8) or GB18030 and import it again")]
    LostCharacter { found: String },
    /// A quote opened on this line and never closed: the rest of the file would be
    /// one value.
    #[error("a quote opened on this line is never closed (the rest of the file would read as one value)")]
    UnterminatedQuote,
    #[error("malformed CSV: {problem}")]
    MalformedCsv { problem: String },
    #[error("malformed JSON: {problem}")]
    MalformedJson { problem: String },
    #[error("expected an array of objects (or {{\"rows\": [...]}})")]
    JsonNotArray,
    /// Item `item` (from 1) of the array is not an object.
    #[error("item {item} is not an object")]
    JsonNotObject { item: usize },
    #[error("not a readable .xlsx file: {problem}")]
    NotXlsx { problem: String },
    #[error("cannot read sheet '{sheet}': {problem}")]
    SheetUnreadable { sheet: String, problem: String },
    /// The first sheet is empty, and the data is on sheet `found`.
    #[error("the first sheet '{first}' is empty and the data is on sheet '{found}': move that sheet to the front (or delete the empty one) and import again")]
    DataOnOtherSheet { first: String, found: String },
    // A row.
    /// A row with more fields than the header has columns.
    #[error("the row has {fields} fields but the header has {header}")]
    TooManyFields { fields: usize, header: usize },
    /// A value in a column (from 1) whose header is empty.
    #[error("a value in column {column}, which has no header")]
    NoHeader { column: usize },
    /// The same content was imported before, as import `id`, from a file then named
    /// `name`.
    #[error("this file was already imported as {name} on {at} (import #{id}); nothing changed")]
    AlreadyImported { name: String, at: String, id: i64 },
    /// The database could not be read (its message).
    #[error("database error: {problem}")]
    Database { problem: String },
    // Any cell.
    #[error("{}", not_allowed(.found, .multiline))]
    Hostile { found: char, multiline: bool },
    #[error("required value is empty")]
    Empty,
    #[error("required value is empty (one of: {})", .choices.en())]
    EmptyChoice { choices: Choices },
    #[error("unknown value '{found}' (one of: {})", .choices.en())]
    UnknownChoice { found: String, choices: Choices },
    #[error("required date is empty")]
    EmptyDate,
    #[error("'{found}' is not a real date (expected YYYY-MM-DD)")]
    NotADate { found: String },
    #[error("{date} is in the future")]
    FutureDate { date: NaiveDate },
    #[error("{date} is before {earliest}")]
    DateTooEarly { date: NaiveDate, earliest: i32 },
    #[error("{end} is before the start {start}")]
    EndBeforeStart { end: NaiveDate, start: NaiveDate },
    #[error("'{found}' is not a number")]
    NotANumber { found: String },
    #[error("'{found}' is out of range ({min} to {max})")]
    OutOfRange { found: String, min: f64, max: f64 },
    #[error("'{found}' is not a year")]
    NotAYear { found: f64 },
    /// A number between the steps its column states (days in halves).
    #[error("'{found}' is not a multiple of {step}")]
    OffStep { found: String, step: f64 },
    // Keys: within the file and in the database.
    #[error("duplicate {}: also on line {first} of this file", .what.en())]
    Duplicate { what: Keyed, first: usize },
    #[error("ID number {id} is already in the database")]
    PersonExists { id: String },
    #[error("organisation {code} is already in the database")]
    OrganisationExists { code: String },
    #[error("member {name} is already in the database")]
    MemberExists { name: String },
    #[error("a declaration of this person in the open cycle is already in the database")]
    DeclarationExists,
    #[error("this record is already in the database")]
    RecordExists,
    /// A row of a person's file names no person imported.
    #[error("no person with ID number {id} (import persons first)")]
    NoSuchPerson { id: String },
    /// `import_first`: the hint that organisations are imported before persons.
    #[error("unknown organisation code {code}{}", import_orgs_first(.import_first))]
    UnknownOrganisation { code: String, import_first: bool },
    // Codes.
    #[error("bad ID number: {0}")]
    BadIdNumber(IdError),
    /// An ID number a spreadsheet stored as a number (`3.20102E+17`): its last digits
    /// are lost.
    #[error("'{found}' is an ID number stored as a number, its last digits lost: format the column as text and enter the ID numbers again")]
    IdAsNumber { found: String },
    #[error("bad credit code {code}: {error}")]
    BadCreditCode {
        code: String,
        error: CreditCodeError,
    },
    // Persons.
    /// `max` counted in Chinese characters (two terminal cells each).
    #[error("name is longer than {max} Chinese characters")]
    NameTooLong { max: usize },
    /// The sex as the file gave it, and the one the ID number's 17th digit tells.
    #[error("'{found}' disagrees with the ID number's sex digit ({id})")]
    SexDisagrees { found: String, id: Sex },
    #[error("required when a current grade is given")]
    GradeSinceMissing,
    #[error("given without a current grade")]
    GradeSinceWithoutGrade,
    #[error("instructors ({}) are never graded", Category::Instructor.zh())]
    InstructorGraded,
    /// The post began before the person was `age` (born on `birth`).
    #[error("{start} is before the person turned {age} (born {birth})")]
    PostTooYoung {
        start: NaiveDate,
        birth: NaiveDate,
        age: u32,
    },
    #[error("'{found}' is not a phone number (11-digit mobile 1[3-9]… or landline 0xx-xxxxxxxx)")]
    NotAPhone { found: String },
    // Committee members.
    #[error("must be {min} to {max} digits")]
    PinNotDigits { min: usize, max: usize },
    /// The PIN was refused by the PIN policy, or could not be hashed.
    #[error("{0}")]
    WeakPin(PinError),
    /// The public key is not one pingshen takes.
    #[error("{0}")]
    BadKey(KeyError),
    /// The public key is already recorded, for the member named.
    #[error("the key {fingerprint} is already {member}'s: a key belongs to one member only")]
    KeyTaken { fingerprint: String, member: String },
}

fn describe(found: &char) -> String {
    crate::text::describe(*found)
}

fn not_allowed(found: &char, multiline: &bool) -> String {
    crate::text::not_allowed(*found, *multiline)
}

fn keys(kind: &Kind) -> String {
    let keys: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
    keys.join(", ")
}

fn file_type(ext: &String) -> String {
    if ext.is_empty() {
        "a file without an extension is not read".into()
    } else {
        format!("'.{ext}' files are not read")
    }
}

fn import_orgs_first(hint: &bool) -> &'static str {
    if *hint {
        " (import organisations first)"
    } else {
        ""
    }
}

impl RowProblem {
    /// The problem in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        use RowProblem::*;
        match self {
            HostileHeader { found } => {
                format!("列名含有{}，不允许使用", crate::text::describe_zh(*found))
            }
            ColumnTwice { zh, .. } => format!("“{zh}”列出现了两次"),
            UnknownColumn { kind } => {
                let headers: Vec<&str> = kind.columns().iter().map(|c| c.zh[0]).collect();
                format!(
                    "{}文件没有这一列（应为：{}）",
                    kind.zh(),
                    headers.join("、")
                )
            }
            MissingColumn { zh, .. } => format!("缺少必填的“{zh}”列"),
            NoDataRows => "文件没有数据行".into(),
            UnknownFileType { ext } if ext.is_empty() => {
                "不读取没有扩展名的文件（请用 .csv、.xlsx 或 .json）".into()
            }
            UnknownFileType { ext } => {
                format!("不读取“.{ext}”文件（请用 .csv、.xlsx 或 .json）")
            }
            CannotRead { problem } => format!("无法读取文件：{problem}"),
            EmptyFile => "文件是空的".into(),
            UnknownEncoding => "从这一行起，文本既不是 UTF-8 也不是 GBK 编码：请把文件另存为 UTF-8".into(),
            MixedEncoding => {
                "这一行不是 UTF-8 编码，文件其余部分却是（文件混用了编码）：请把整个文件另存为 UTF-8".into()
            }
            LostCharacter { found } => format!(
                "“{found}”中的“?”是文件存为 GBK 时丢失的汉字：请另存为 UTF-8（CSV UTF-8）或 GB18030 后重新导入"
            ),
            UnterminatedQuote => "这一行开始的引号没有闭合（其后的内容会被读成一个值）".into(),
            MalformedCsv { problem } => format!("逗号分隔文件格式有误：{problem}"),
            MalformedJson { problem } => format!("文件格式有误：{problem}"),
            JsonNotArray => "应为由对象组成的数组".into(),
            JsonNotObject { item } => format!("第 {item} 项不是对象"),
            NotXlsx { problem } => format!("不是可读取的 .xlsx 文件：{problem}"),
            SheetUnreadable { sheet, problem } => {
                format!("无法读取工作表“{sheet}”：{problem}")
            }
            DataOnOtherSheet { first, found } => format!(
                "第一个工作表“{first}”是空的，数据在工作表“{found}”上：请把该表移到最前面（或删去空表）后重新导入"
            ),
            TooManyFields { fields, header } => {
                format!("这一行有 {fields} 个字段，而表头只有 {header} 列")
            }
            NoHeader { column } => format!("第 {column} 列有值，但该列没有列名"),
            AlreadyImported { name, at, id } => {
                format!("该文件已于 {at} 以 {name} 导入过（导入 #{id}），未作改动")
            }
            Database { problem } => format!("数据库出错：{problem}"),
            Hostile { found, multiline } => crate::text::not_allowed_zh(*found, *multiline),
            Empty => "必填项为空".into(),
            EmptyChoice { choices } => format!("必填项为空（可选：{}）", choices.zh()),
            UnknownChoice { found, choices } => {
                format!("无法识别“{found}”（可选：{}）", choices.zh())
            }
            EmptyDate => "必填日期为空".into(),
            NotADate { found } => format!("“{found}”不是真实的日期（格式如 2026-03-01）"),
            FutureDate { date } => format!("{date} 晚于今天"),
            DateTooEarly { date, earliest } => format!("{date} 早于 {earliest} 年"),
            EndBeforeStart { end, start } => format!("{end} 早于开始日期 {start}"),
            NotANumber { found } => format!("“{found}”不是数字"),
            OutOfRange { found, min, max } => {
                format!("“{found}”超出范围（{min} 到 {max}）")
            }
            NotAYear { found } => format!("“{found}”不是年份"),
            OffStep { found, step } => format!("“{found}”须为 {step} 的整数倍"),
            Duplicate { what, first } => {
                format!("{}重复：本文件第 {first} 行已有", what.zh())
            }
            PersonExists { id } => format!("身份证号 {id} 已在数据库中"),
            OrganisationExists { code } => format!("组织 {code} 已在数据库中"),
            MemberExists { name } => format!("委员 {name} 已在数据库中"),
            DeclarationExists => "此人在本年度的申报已在数据库中".into(),
            RecordExists => "这条记录已在数据库中".into(),
            NoSuchPerson { id } => format!("没有身份证号为 {id} 的人员（请先导入人员）"),
            UnknownOrganisation { code, import_first } => format!(
                "没有统一社会信用代码为 {code} 的组织{}",
                if *import_first {
                    "（请先导入组织）"
                } else {
                    ""
                }
            ),
            BadIdNumber(e) => format!("身份证号有误：{}", e.zh()),
            IdAsNumber { found } => format!(
                "“{found}”是被存成数字的身份证号，末几位已丢失：请把这一列设为文本格式，再重新填写身份证号"
            ),
            BadCreditCode { code, error } => {
                format!("统一社会信用代码 {code} 有误：{}", error.zh())
            }
            NameTooLong { max } => format!("姓名超过 {max} 个汉字"),
            SexDisagrees { found, id } => {
                format!("性别“{found}”与身份证号的性别码（{id}）不符")
            }
            GradeSinceMissing => "填写了现等级时必填".into(),
            GradeSinceWithoutGrade => "填写了定级时间，却没有现等级".into(),
            InstructorGraded => format!("{}不评定等级", Category::Instructor.zh()),
            PostTooYoung { start, birth, age } => {
                format!("{start} 时此人未满 {age} 岁（生于 {birth}）")
            }
            NotAPhone { found } => format!(
                "“{found}”不是电话号码（应为 13 至 19 开头的 11 位手机号，或带区号的固定电话，如 025-84561234）"
            ),
            PinNotDigits { min, max } => format!("须为 {min} 到 {max} 位数字"),
            WeakPin(e) => e.zh(),
            BadKey(e) => e.zh(),
            KeyTaken {
                fingerprint,
                member,
            } => format!("公钥 {fingerprint} 已属于{member}：一把公钥只能属于一位委员"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The English reads word for word as the importer's messages always have: the
    /// command line prints it and scripts may read it.
    #[test]
    fn the_english_is_the_importers_wording() {
        use RowProblem::*;
        let cases: Vec<(RowProblem, &str)> = vec![
            (
                HostileHeader { found: '\u{1b}' },
                "the header contains U+001B (a control character), which is not allowed",
            ),
            (
                ColumnTwice { key: "name", zh: "姓名" },
                "column 'name' appears twice",
            ),
            (
                UnknownColumn { kind: Kind::Assessments },
                "unknown column for assessments (expected: id_number, year, grade, remark)",
            ),
            (
                MissingColumn { key: "org_code", zh: "统一社会信用代码" },
                "missing required column (org_code / 统一社会信用代码)",
            ),
            (NoDataRows, "the file has no data rows"),
            (
                UnknownFileType { ext: "txt".into() },
                "'.txt' files are not read (use .csv, .xlsx or .json)",
            ),
            (
                UnknownFileType { ext: String::new() },
                "a file without an extension is not read (use .csv, .xlsx or .json)",
            ),
            (EmptyFile, "the file is empty"),
            (
                DataOnOtherSheet { first: "Sheet1".into(), found: "Sheet2".into() },
                "the first sheet 'Sheet1' is empty and the data is on sheet 'Sheet2': move that sheet to the front (or delete the empty one) and import again",
            ),
            (
                TooManyFields { fields: 8, header: 7 },
                "the row has 8 fields but the header has 7",
            ),
            (NoHeader { column: 8 }, "a value in column 8, which has no header"),
            (
                OffStep { found: "1.3".into(), step: 0.5 },
                "'1.3' is not a multiple of 0.5",
            ),
            (
                IdAsNumber { found: "3.20102E+17".into() },
                "'3.20102E+17' is an ID number stored as a number, its last digits lost: format the column as text and enter the ID numbers again",
            ),
            (
                AlreadyImported {
                    name: "p.csv".into(),
                    at: "2026-11-26T09:00:00Z".into(),
                    id: 4,
                },
                "this file was already imported as p.csv on 2026-11-26T09:00:00Z (import #4); nothing changed",
            ),
            (
                Database { problem: "disk I/O error".into() },
                "database error: disk I/O error",
            ),
            (
                Hostile { found: '\u{202E}', multiline: false },
                "contains U+202E (a bidirectional control), which is not allowed",
            ),
            (Empty, "required value is empty"),
            (
                EmptyChoice { choices: Choices::Sex },
                "required value is empty (one of: male/男, female/女)",
            ),
            (
                UnknownChoice { found: "boss".into(), choices: Choices::OrgKind },
                "unknown value 'boss' (one of: enterprise/企业, social/社会组织)",
            ),
            (
                UnknownChoice { found: "x".into(), choices: Choices::RewardKind },
                "unknown value 'x' (one of: reward/奖励, penalty/处罚)",
            ),
            (EmptyDate, "required date is empty"),
            (
                NotADate { found: "2019-02-30".into() },
                "'2019-02-30' is not a real date (expected YYYY-MM-DD)",
            ),
            (FutureDate { date: day(2027, 1, 1) }, "2027-01-01 is in the future"),
            (
                DateTooEarly { date: day(1899, 12, 31), earliest: 1900 },
                "1899-12-31 is before 1900",
            ),
            (
                EndBeforeStart { end: day(2019, 1, 1), start: day(2020, 1, 1) },
                "2019-01-01 is before the start 2020-01-01",
            ),
            (NotANumber { found: "abc".into() }, "'abc' is not a number"),
            (
                OutOfRange { found: "0".into(), min: 0.5, max: 366.0 },
                "'0' is out of range (0.5 to 366)",
            ),
            (
                OutOfRange { found: "-1".into(), min: 0.0, max: 1e9 },
                "'-1' is out of range (0 to 1000000000)",
            ),
            (NotAYear { found: 2020.5 }, "'2020.5' is not a year"),
            (
                Duplicate { what: Keyed::IdNumber, first: 2 },
                "duplicate ID number: also on line 2 of this file",
            ),
            (
                Duplicate { what: Keyed::CreditCode, first: 2 },
                "duplicate credit code: also on line 2 of this file",
            ),
            (
                Duplicate { what: Keyed::MemberName, first: 2 },
                "duplicate member name: also on line 2 of this file",
            ),
            (
                Duplicate { what: Keyed::Declaration, first: 2 },
                "duplicate declaration of this person: also on line 2 of this file",
            ),
            (
                Duplicate { what: Keyed::Record, first: 2 },
                "duplicate record for this person: also on line 2 of this file",
            ),
            (
                PersonExists { id: "**************002X".into() },
                "ID number **************002X is already in the database",
            ),
            (
                OrganisationExists { code: "91350100M000100Y43".into() },
                "organisation 91350100M000100Y43 is already in the database",
            ),
            (
                MemberExists { name: "周明远".into() },
                "member 周明远 is already in the database",
            ),
            (
                DeclarationExists,
                "a declaration of this person in the open cycle is already in the database",
            ),
            (RecordExists, "this record is already in the database"),
            (
                NoSuchPerson { id: "**************002X".into() },
                "no person with ID number **************002X (import persons first)",
            ),
            (
                UnknownOrganisation { code: "91320102MA1XYZ0009".into(), import_first: true },
                "unknown organisation code 91320102MA1XYZ0009 (import organisations first)",
            ),
            (
                UnknownOrganisation { code: "91320102MA1XYZ0009".into(), import_first: false },
                "unknown organisation code 91320102MA1XYZ0009",
            ),
            (
                BadIdNumber(IdError::Check { expected: 'X', found: '3' }),
                "bad ID number: check character must be 'X', found '3'",
            ),
            (
                BadCreditCode {
                    code: "9135".into(),
                    error: CreditCodeError::Length(4),
                },
                "bad credit code 9135: must be 18 characters, found 4",
            ),
            (NameTooLong { max: 20 }, "name is longer than 20 Chinese characters"),
            (
                SexDisagrees { found: "女".into(), id: Sex::Male },
                "'女' disagrees with the ID number's sex digit (男)",
            ),
            (GradeSinceMissing, "required when a current grade is given"),
            (GradeSinceWithoutGrade, "given without a current grade"),
            (InstructorGraded, "instructors (党建工作指导员) are never graded"),
            (
                PostTooYoung { start: day(2000, 1, 1), birth: day(1990, 1, 1), age: 16 },
                "2000-01-01 is before the person turned 16 (born 1990-01-01)",
            ),
            (
                NotAPhone { found: "12812345678".into() },
                "'12812345678' is not a phone number (11-digit mobile 1[3-9]… or landline 0xx-xxxxxxxx)",
            ),
            (PinNotDigits { min: 4, max: 8 }, "must be 4 to 8 digits"),
            (
                WeakPin(PinError::TooShort { min: 6 }),
                "must have at least 6 digits",
            ),
        ];
        for (problem, en) in cases {
            assert_eq!(problem.en(), en);
            assert_eq!(problem.to_string(), en);
        }
    }

    #[test]
    fn the_chinese_names_the_values_in_chinese() {
        assert_eq!(
            RowProblem::UnknownChoice {
                found: "boss".into(),
                choices: Choices::Category
            }
            .zh(),
            "无法识别“boss”（可选：党组织书记、专职党务工作人员、党建工作指导员）"
        );
        assert_eq!(
            RowProblem::UnknownColumn {
                kind: Kind::Assessments
            }
            .zh(),
            "年度考核文件没有这一列（应为：身份证号、年度、考核等级、评语）"
        );
        assert_eq!(
            RowProblem::Duplicate {
                what: Keyed::IdNumber,
                first: 2
            }
            .zh(),
            "身份证号重复：本文件第 2 行已有"
        );
        assert_eq!(
            RowProblem::BadIdNumber(IdError::Length(17)).zh(),
            "身份证号有误：须为 18 位，实为 17 位"
        );
        assert_eq!(Choices::Sex.en(), Sex::choices());
        assert_eq!(Choices::Assessment.en(), Assessment::choices());
    }
}
