//! Import: every error class is reported as file:line:column and leaves the database
//! exactly as it was; a re-import is refused.

mod common;
use common::{credit_code, id_number, today};
use pingshen::domain::ids::CreditCodeError;
use pingshen::domain::ids::{id_check_char, mask, IdError};
use pingshen::domain::{Category, Sex};
use pingshen::service::files::{decode_text, parse_csv, parse_json, read_bytes, read_table};
use pingshen::service::import::{Choices, Keyed, RowError, RowProblem};
use pingshen::service::{Kind, Service, ServiceError};
use pingshen::store::Store;
use pingshen::table::Table;

fn svc() -> Service {
    let mut svc = Service::system(Store::open_in_memory().unwrap(), "test");
    svc.set_today(today());
    svc.set_pin_policy(pingshen::service::members::PinPolicy::demo());
    svc
}

fn csv(name: &str, text: &str) -> Table {
    parse_csv(name, text).unwrap()
}

/// Row counts of every table the importers write, plus the audit.
fn snapshot(s: &Service) -> Vec<i64> {
    [
        "organisations",
        "persons",
        "training",
        "assessments",
        "members",
        "applications",
        "imports",
        "audit",
    ]
    .iter()
    .map(|t| common::rows_in(s, t))
    .collect()
}

fn with_orgs() -> (Service, String) {
    let mut s = svc();
    let code = credit_code("91320102MA1XY0000");
    let t = csv(
        "orgs.csv",
        &format!("统一社会信用代码,名称,组织类型,区县\n{code},南京华宇软件有限公司,企业,玄武区\n"),
    );
    s.import(Kind::Organisations, &t).unwrap();
    (s, code)
}

fn import_err(s: &mut Service, kind: Kind, t: &Table) -> Vec<RowError> {
    match s.import(kind, t) {
        Err(ServiceError::Import(e)) => e.errors,
        other => panic!("expected an import error, got {other:?}"),
    }
}

/// The problem expected at `source:line:column`.
fn at(source: &str, line: usize, column: &str, problem: RowProblem) -> RowError {
    RowError {
        source: source.into(),
        line,
        column: column.into(),
        problem,
    }
}

#[test]
fn good_files_import_with_chinese_or_english_headers_and_values() {
    let (mut s, code) = with_orgs();
    let a = id_number("32010219850615123");
    let b = id_number("32010219900101002");
    let t = csv(
        "persons.csv",
        &format!(
            "身份证号,姓名,统一社会信用代码,人员类别,职务,任职时间,现等级,定级时间\n\
             {a},张伟,{code},党组织书记,党支部书记,2018-03-01,初级,2020-06-01\n\
             {b},欧阳丽娜,{code},staff,专职党务工作者,2021/5/1,,\n"
        ),
    );
    let r = s.import(Kind::Persons, &t).unwrap();
    assert_eq!(r.rows, 2);
    let (sex, birth, cat): (String, String, String) = common::db(&s)
        .query_row(
            "SELECT sex, birth_date, category FROM persons WHERE name = '欧阳丽娜'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (sex.as_str(), birth.as_str(), cat.as_str()),
        ("female", "1990-01-01", "staff")
    );
    let training = parse_json(
        "training.json",
        &format!(r#"[{{"id_number":"{a}","date":"2026-03-10","days":2,"title":"党务培训"}},{{"id_number":"{b}","date":"2026-04-01","days":"1.5","title":"专题培训"}}]"#),
    )
    .unwrap();
    assert_eq!(s.import(Kind::Training, &training).unwrap().rows, 2);
    let days: f64 = common::db(&s)
        .query_row("SELECT sum(days) FROM training", [], |r| r.get(0))
        .unwrap();
    assert_eq!(days, 3.5);
    let audit: String = common::db(&s)
        .query_row(
            "SELECT after FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        audit.contains("\"rows\":2") && audit.contains("training"),
        "{audit}"
    );
}

#[test]
fn every_bad_row_is_listed_and_nothing_is_written() {
    let (mut s, code) = with_orgs();
    let before = snapshot(&s);
    let good = id_number("32010219850615123");
    let bad_check = format!("{}0", &id_number("32010219850615123")[..17]);
    let bad_check = if bad_check == good {
        format!("{}1", &good[..17])
    } else {
        bad_check
    };
    // A code with a valid check character that names no organisation imported.
    let unknown = credit_code("91320102MA1XY0001");
    let t = csv(
        "p.csv",
        &format!(
            "id_number,name,org_code,category,position,post_start\n\
             {good},张伟,{code},secretary,党支部书记,2018-03-01\n\
             {bad_check},李强,{code},secretary,党支部书记,2018-03-01\n\
             {},王芳,{code},secretary,书记,2019-02-30\n\
             {},赵军,{unknown},secretary,书记,2019-01-01\n\
             {good},张伟,{code},secretary,党支部书记,2018-03-01\n\
             {},钱敏,{code},boss,书记,2019-01-01\n",
            id_number("32010219860101002"),
            id_number("32010219870101003"),
            id_number("32010219880101004"),
        ),
    );
    let errors = import_err(&mut s, Kind::Persons, &t);
    let check = IdError::Check {
        expected: id_check_char(&bad_check[..17]).unwrap(),
        found: bad_check.chars().last().unwrap(),
    };
    assert_eq!(
        errors,
        vec![
            at("p.csv", 3, "id_number", RowProblem::BadIdNumber(check)),
            at(
                "p.csv",
                4,
                "post_start",
                RowProblem::NotADate {
                    found: "2019-02-30".into()
                }
            ),
            at(
                "p.csv",
                5,
                "org_code",
                RowProblem::UnknownOrganisation {
                    code: unknown.clone(),
                    import_first: true
                }
            ),
            at(
                "p.csv",
                6,
                "id_number",
                RowProblem::Duplicate {
                    what: Keyed::IdNumber,
                    first: 2
                }
            ),
            at(
                "p.csv",
                7,
                "category",
                RowProblem::UnknownChoice {
                    found: "boss".into(),
                    choices: Choices::Category
                }
            ),
        ]
    );
    assert_eq!(
        errors[3].to_string(),
        "p.csv:6:id_number: duplicate ID number: also on line 2 of this file"
    );
    assert_eq!(snapshot(&s), before, "nothing written");
}

#[test]
fn missing_and_unknown_columns_and_empty_files() {
    let (mut s, _) = with_orgs();
    let before = snapshot(&s);
    let t = csv("p.csv", "id_number,name,colour\n");
    let errors = import_err(&mut s, Kind::Persons, &t);
    for expected in [
        at(
            "p.csv",
            1,
            "colour",
            RowProblem::UnknownColumn {
                kind: Kind::Persons,
            },
        ),
        at(
            "p.csv",
            1,
            "org_code",
            RowProblem::MissingColumn {
                key: "org_code",
                zh: "统一社会信用代码",
            },
        ),
        at("p.csv", 1, "", RowProblem::NoDataRows),
    ] {
        assert!(errors.contains(&expected), "no {expected:?} in {errors:#?}");
    }
    let empty = csv("e.csv", "code,name,kind,county\n");
    let errors = import_err(&mut s, Kind::Organisations, &empty);
    assert_eq!(errors, vec![at("e.csv", 1, "", RowProblem::NoDataRows)]);
    assert_eq!(errors[0].to_string(), "e.csv:1: the file has no data rows");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn duplicates_already_in_the_database_and_reimports_are_refused() {
    let (mut s, code) = with_orgs();
    let a = id_number("32010219850615123");
    let text = format!("id_number,name,org_code,category,position,post_start\n{a},张伟,{code},secretary,书记,2018-03-01\n");
    s.import(Kind::Persons, &csv("p.csv", &text)).unwrap();
    let before = snapshot(&s);
    // The same file again: refused as a re-import.
    let errors = import_err(&mut s, Kind::Persons, &csv("p.csv", &text));
    assert_eq!(errors.len(), 1);
    assert!(
        matches!(&errors[0].problem, RowProblem::AlreadyImported { name, .. } if name == "p.csv"),
        "{}",
        errors[0]
    );
    // A different file with the same person: refused as a duplicate.
    let other = format!("id_number,name,org_code,category,position,post_start\n{a},张伟,{code},secretary,党委书记,2018-03-01\n");
    let errors = import_err(&mut s, Kind::Persons, &csv("q.csv", &other));
    assert_eq!(
        errors,
        vec![at(
            "q.csv",
            2,
            "id_number",
            RowProblem::PersonExists { id: mask(&a) }
        )]
    );
    assert_eq!(mask(&a), format!("**************{}", &a[14..]));
    assert_eq!(snapshot(&s), before);
}

#[test]
fn sex_must_agree_with_the_id_and_instructors_have_no_grade() {
    let (mut s, code) = with_orgs();
    let male = id_number("32010219850615123");
    let t = csv(
        "p.csv",
        &format!(
            "id_number,name,sex,org_code,category,position,post_start,current_grade,grade_since\n\
             {male},张伟,女,{code},secretary,书记,2018-03-01,,\n\
             {},李娜,女,{code},instructor,指导员,2018-03-01,初级,2020-01-01\n\
             {},王强,男,{code},secretary,书记,2018-03-01,中级,\n",
            id_number("32010219860101002"),
            id_number("32010219870101013"),
        ),
    );
    let errors = import_err(&mut s, Kind::Persons, &t);
    assert_eq!(
        errors,
        vec![
            at(
                "p.csv",
                2,
                "sex",
                RowProblem::SexDisagrees {
                    found: "女".into(),
                    id: Sex::Male
                }
            ),
            at("p.csv", 3, "current_grade", RowProblem::InstructorGraded),
            at("p.csv", 4, "grade_since", RowProblem::GradeSinceMissing),
        ]
    );
    assert_eq!(
        errors[1].zh(),
        format!(
            "p.csv 第 3 行“current_grade”列：{}不评定等级",
            Category::Instructor.zh()
        )
    );
}

#[test]
fn section_rows_need_a_known_person_and_valid_values() {
    let (mut s, _) = with_orgs();
    let before = snapshot(&s);
    let id = id_number("32010219850615123");
    let t = csv("a.csv", &format!("id_number,year,grade\n{id},2025,称职\n"));
    let errors = import_err(&mut s, Kind::Assessments, &t);
    assert_eq!(
        errors,
        vec![at(
            "a.csv",
            2,
            "id_number",
            RowProblem::NoSuchPerson { id: mask(&id) }
        )]
    );
    assert_eq!(snapshot(&s), before);
}

#[test]
fn declarations_need_an_open_cycle() {
    let (mut s, _) = with_orgs();
    let t = csv(
        "d.csv",
        &format!(
            "id_number,target_grade,declared_on\n{},junior,2026-09-01\n",
            id_number("32010219850615123")
        ),
    );
    let err = s.import(Kind::Declarations, &t).unwrap_err();
    assert!(
        err.to_string().contains("no open certification cycle"),
        "{err}"
    );
}

#[test]
fn gbk_files_import_like_utf8() {
    let mut s = svc();
    let code = credit_code("51320106MJ0000001");
    let text =
        format!("统一社会信用代码,名称,组织类型,区县\n{code},鼓楼区湖南商会,社会组织,鼓楼区\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let t = parse_csv("gbk.csv", &decode_text("gbk.csv", &bytes).unwrap()).unwrap();
    s.import(Kind::Organisations, &t).unwrap();
    let name: String = common::db(&s)
        .query_row("SELECT name FROM organisations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "鼓楼区湖南商会");
}

#[test]
fn committee_pins_are_stored_only_as_argon2_hashes() {
    let mut s = svc();
    let t = csv(
        "c.csv",
        "name,role,pin\n周明远,主任委员,1001\n吴婷,secretary,12\n",
    );
    let errors = import_err(&mut s, Kind::Committee, &t);
    assert_eq!(
        errors,
        vec![at(
            "c.csv",
            3,
            "pin",
            RowProblem::PinNotDigits { min: 4, max: 8 }
        )]
    );
    let t = csv("c.csv", "name,role,pin\n周明远,主任委员,1001\n");
    s.import(Kind::Committee, &t).unwrap();
    let hash: String = common::db(&s)
        .query_row("SELECT pin_hash FROM members", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("1001"));
}

/// The persons header and one row for `id` (a woman's or a man's number) in
/// organisation `code`.
const PERSONS: &str = "id_number,name,sex,org_code,category,position,post_start";

/// The problems of reading `bytes` as a file named `name`.
fn read_err(name: &str, bytes: &[u8]) -> Vec<RowError> {
    let ext = name.rsplit('.').next().unwrap();
    match read_bytes(name, ext, bytes.to_vec()) {
        Err(e) => e.errors,
        Ok(t) => panic!("expected {name} to be refused, read {t:?}"),
    }
}

#[test]
fn a_row_longer_than_the_header_is_refused_naming_the_line() {
    let (mut s, code) = with_orgs();
    let before = snapshot(&s);
    let (a, b) = (
        id_number("32010219850615123"),
        id_number("32010219900101002"),
    );
    let t = csv(
        "p.csv",
        &format!(
            "{PERSONS}\n\
             {a},张伟,男,{code},secretary,书记,2018-03-01,党委委员\n\
             {b},李娜,女,{code},secretary,书记,2018-03-01,,\n"
        ),
    );
    let errors = import_err(&mut s, Kind::Persons, &t);
    let problem = RowProblem::TooManyFields {
        fields: 8,
        header: 7,
    };
    assert_eq!(
        errors,
        vec![at("p.csv", 2, "", problem)],
        "empty extras lose nothing"
    );
    assert_eq!(
        errors[0].to_string(),
        "p.csv:2: the row has 8 fields but the header has 7"
    );
    assert_eq!(
        errors[0].zh(),
        "p.csv 第 2 行：这一行有 8 个字段，而表头只有 7 列"
    );
    // A value under a header left empty (a spreadsheet's unnamed column).
    let t = csv(
        "p.csv",
        &format!("{PERSONS},\n{a},张伟,男,{code},secretary,书记,2018-03-01,备注\n"),
    );
    let errors = import_err(&mut s, Kind::Persons, &t);
    assert_eq!(
        errors,
        vec![at("p.csv", 2, "", RowProblem::NoHeader { column: 8 })]
    );
    assert_eq!(snapshot(&s), before);
}

#[test]
fn numbers_keep_to_the_steps_their_columns_state() {
    let (mut s, code) = with_orgs();
    let a = id_number("32010219850615123");
    let persons = format!("{PERSONS}\n{a},张伟,男,{code},secretary,书记,2018-03-01\n");
    s.import(Kind::Persons, &csv("p.csv", &persons)).unwrap();
    let before = snapshot(&s);
    let t = csv(
        "t.csv",
        &format!(
            "id_number,date,days,title\n\
             {a},2026-03-10,1.5,党务培训\n\
             {a},2026-04-10,1.3,专题培训\n\
             {a},2026-05-10,0.25,专题党课\n"
        ),
    );
    let off = |found: &str| RowProblem::OffStep {
        found: found.into(),
        step: 0.5,
    };
    assert_eq!(
        import_err(&mut s, Kind::Training, &t),
        vec![
            at("t.csv", 3, "days", off("1.3")),
            at(
                "t.csv",
                4,
                "days",
                RowProblem::OutOfRange {
                    found: "0.25".into(),
                    min: 0.5,
                    max: 366.0
                }
            ),
        ]
    );
    assert_eq!(
        import_err(&mut s, Kind::Training, &t)[0].to_string(),
        "t.csv:3:days: '1.3' is not a multiple of 0.5"
    );
    let pay = csv(
        "pay.csv",
        &format!(
            "id_number,year,item,amount\n{a},2025,基本工资,3200.50\n{a},2025,红领津贴,100.005\n"
        ),
    );
    assert_eq!(
        import_err(&mut s, Kind::Pay, &pay),
        vec![at(
            "pay.csv",
            3,
            "amount",
            RowProblem::OffStep {
                found: "100.005".into(),
                step: 0.01
            }
        )]
    );
    assert_eq!(snapshot(&s), before);
    let good = csv(
        "t.csv",
        &format!(
            "id_number,date,days,title\n{a},2026-03-10,1.5,党务培训\n{a},2026-04-10,2,专题培训\n"
        ),
    );
    assert_eq!(s.import(Kind::Training, &good).unwrap().rows, 2);
}

#[test]
fn only_the_documented_file_types_are_read() {
    let dir = tempfile::tempdir().unwrap();
    for (name, ext) in [("p.txt", "txt"), ("p.xlsm", "xlsm"), ("p", "")] {
        let path = dir.path().join(name);
        std::fs::write(&path, "code,name\n").unwrap();
        let err = read_table(&path).unwrap_err();
        let shown = path.display().to_string();
        let problem = RowProblem::UnknownFileType { ext: ext.into() };
        assert_eq!(err.errors, vec![at(&shown, 0, "", problem)]);
        assert!(
            err.errors[0]
                .to_string()
                .ends_with("(use .csv, .xlsx or .json)"),
            "{}",
            err.errors[0]
        );
    }
    let path = dir.path().join("P.CSV");
    std::fs::write(&path, "code,name\n1,2\n").unwrap();
    assert_eq!(read_table(&path).unwrap().rows.len(), 1);
    let missing = dir.path().join("gone.csv");
    assert!(matches!(
        &read_table(&missing).unwrap_err().errors[0].problem,
        RowProblem::CannotRead { .. }
    ));
}

#[test]
fn an_empty_file_is_one_line_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["e.csv", "e.json", "e.xlsx"] {
        let path = dir.path().join(name);
        std::fs::write(&path, "").unwrap();
        let err = read_table(&path).unwrap_err();
        assert_eq!(err.errors.len(), 1, "{err}");
        assert_eq!(err.errors[0].problem, RowProblem::EmptyFile);
        assert_eq!(
            err.errors[0].to_string(),
            format!("{}: the file is empty", path.display())
        );
    }
    assert_eq!(
        read_err("e.csv", b"\xEF\xBB\xBF\r\n"),
        vec![at("e.csv", 0, "", RowProblem::EmptyFile)]
    );
}

#[test]
fn an_unterminated_quote_is_named_with_its_line() {
    let code = credit_code("91320102MA1XY0000");
    let text = format!(
        "统一社会信用代码,名称,组织类型,区县\n{code},南京华宇软件有限公司,企业,玄武区\n{code},\"南京华宇,企业,玄武区\n"
    );
    assert_eq!(
        read_err("o.csv", text.as_bytes()),
        vec![at("o.csv", 3, "", RowProblem::UnterminatedQuote)]
    );
    assert_eq!(
        parse_csv("o.csv", &text).unwrap_err().to_string(),
        "o.csv:3: a quote opened on this line is never closed (the rest of the file would read as one value)\n1 problem(s)"
    );
}

#[test]
fn a_lost_character_of_a_gbk_file_is_refused_with_the_advice_to_save_as_utf8() {
    let (a, b) = (
        id_number("32010219850615123"),
        id_number("32010219900101002"),
    );
    let code = credit_code("91320102MA1XY0000");
    // 𠮷 has no GBK code: Excel saved it as '?'.
    let text = format!(
        "身份证号,姓名,统一社会信用代码,人员类别,职务,任职时间\n\
         {a},杨?,{code},党组织书记,党支部书记,2018-03-01\n\
         {b},李娜,{code},党组织书记,党支部书记?,2018-03-01\n"
    );
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    let errors = read_err("p.csv", &bytes);
    let lost = |found: &str| RowProblem::LostCharacter {
        found: found.into(),
    };
    assert_eq!(
        errors,
        vec![
            at("p.csv", 2, "姓名", lost("杨?")),
            at("p.csv", 3, "职务", lost("党支部书记?")),
        ]
    );
    assert!(
        errors[0].to_string().contains("save it as UTF-8"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].zh().contains("另存为 UTF-8"),
        "{}",
        errors[0].zh()
    );
    // The same text in UTF-8 holds a real question mark: read as it is.
    let t = read_bytes("p.csv", "csv", text.into_bytes()).unwrap();
    assert_eq!(t.rows[0].cells[1], "杨?");
    // A GBK file without one reads as before.
    let (bytes, _, _) = encoding_rs::GBK.encode("姓名\n李娜?\n");
    assert!(read_bytes("q.csv", "csv", bytes.into_owned()).is_err());
    let (bytes, _, _) = encoding_rs::GBK.encode("姓名,备注\n李娜,Q?\n");
    assert!(read_bytes("q.csv", "csv", bytes.into_owned()).is_ok());
}

#[test]
fn a_file_mixing_encodings_names_the_first_line_that_is_not_utf8() {
    let mut bytes = "统一社会信用代码,名称,组织类型,区县\n".as_bytes().to_vec();
    bytes.extend_from_slice(
        &encoding_rs::GBK
            .encode("x,鼓楼区湖南商会,社会组织,鼓楼区\n")
            .0,
    );
    bytes.extend_from_slice("y,南京华宇,企业,玄武区\n".as_bytes());
    assert_eq!(
        read_err("m.csv", &bytes),
        vec![at("m.csv", 2, "", RowProblem::MixedEncoding)]
    );
    assert_eq!(
        decode_text("m.csv", &bytes).unwrap_err().errors[0].to_string(),
        "m.csv:2: this line is not UTF-8 though the rest of the file is (the file mixes encodings): save the whole file as UTF-8"
    );
    // Neither UTF-8 nor GBK: named from the line it starts on.
    assert_eq!(
        read_err("n.csv", b"code,name\n1,2\n3,\xFF\xFF\n"),
        vec![at("n.csv", 3, "", RowProblem::UnknownEncoding)]
    );
}

#[test]
fn a_bad_checksum_in_org_code_is_a_checksum_error_not_an_unknown_organisation() {
    let (mut s, code) = with_orgs();
    let a = id_number("32010219850615123");
    let last = code.chars().last().unwrap();
    let wrong = if last == '0' { '1' } else { '0' };
    let bad = format!("{}{wrong}", &code[..17]);
    let t = csv(
        "p.csv",
        &format!("{PERSONS}\n{a},张伟,男,{bad},secretary,书记,2018-03-01\n"),
    );
    let check = CreditCodeError::Check {
        expected: last,
        found: wrong,
    };
    let problem = RowProblem::BadCreditCode {
        code: bad.clone(),
        error: check.clone(),
    };
    assert_eq!(
        import_err(&mut s, Kind::Persons, &t),
        vec![at("p.csv", 2, "org_code", problem.clone())]
    );
    let t = csv(
        "c.csv",
        &format!("name,role,org_code,pin\n周明远,主任委员,{bad},1001\n"),
    );
    assert_eq!(
        import_err(&mut s, Kind::Committee, &t),
        vec![at("c.csv", 2, "org_code", problem)]
    );
}

#[test]
fn a_sex_that_disagrees_is_quoted_as_the_file_gave_it() {
    let (mut s, code) = with_orgs();
    let woman = id_number("32010219900101002");
    let t = csv(
        "p.csv",
        &format!("{PERSONS}\n{woman},李娜,male,{code},secretary,书记,2018-03-01\n"),
    );
    let errors = import_err(&mut s, Kind::Persons, &t);
    assert_eq!(
        errors,
        vec![at(
            "p.csv",
            2,
            "sex",
            RowProblem::SexDisagrees {
                found: "male".into(),
                id: Sex::Female
            }
        )]
    );
    assert!(
        errors[0].to_string().contains("'male' disagrees"),
        "{}",
        errors[0]
    );
}

/// An .xlsx workbook of sheets, each a name and its rows (numbers where a cell parses
/// as one and `numbers` says so).
fn workbook(sheets: &[(&str, Vec<Vec<String>>)], numbers: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v.parse::<f64>().ok().filter(|_| numbers && r > 0) {
                    Some(n) => sheet.write_number(r, c, n).unwrap(),
                    None => sheet.write_string(r, c, v).unwrap(),
                };
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn cells(rows: &[&str]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn an_xlsx_with_its_data_on_another_sheet_names_that_sheet() {
    let code = credit_code("91320102MA1XY0000");
    let data = cells(&[
        "统一社会信用代码,名称,组织类型,区县",
        &format!("{code},南京华宇,企业,玄武区"),
    ]);
    let bytes = workbook(&[("Sheet1", vec![]), ("组织", data.clone())], false);
    let errors = read_err("o.xlsx", &bytes);
    let problem = RowProblem::DataOnOtherSheet {
        first: "Sheet1".into(),
        found: "组织".into(),
    };
    assert_eq!(errors, vec![at("o.xlsx", 0, "", problem)]);
    assert!(
        errors[0].zh().contains("工作表“组织”"),
        "{}",
        errors[0].zh()
    );
    // Data on the first sheet: read, the others untouched.
    let bytes = workbook(&[("组织", data), ("Sheet2", vec![])], false);
    let t = read_bytes("o.xlsx", "xlsx", bytes).unwrap();
    assert_eq!(t.rows[0].cells[0], code);
    // No data anywhere: an empty file.
    let bytes = workbook(&[("Sheet1", vec![]), ("Sheet2", vec![])], false);
    assert_eq!(
        read_err("o.xlsx", &bytes),
        vec![at("o.xlsx", 0, "", RowProblem::EmptyFile)]
    );
}

#[test]
fn an_id_number_stored_as_a_number_hints_to_make_the_column_text() {
    let (mut s, code) = with_orgs();
    let a = id_number("32010219850615123");
    let rows = cells(&[
        PERSONS,
        &format!("{a},张伟,男,{code},secretary,书记,2018-03-01"),
    ]);
    // Only a number that is all digits can be stored as one.
    let digits = if a.ends_with('X') {
        id_number("32010219850615131")
    } else {
        a.clone()
    };
    let mut rows_numeric = rows.clone();
    rows_numeric[1][0] = digits.clone();
    let t = read_bytes("p.xlsx", "xlsx", workbook(&[("人员", rows_numeric)], true)).unwrap();
    let errors = import_err(&mut s, Kind::Persons, &t);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let RowProblem::IdAsNumber { found } = &errors[0].problem else {
        panic!("{}", errors[0]);
    };
    assert!(found.contains('E'), "{found}");
    assert_eq!(
        (errors[0].line, errors[0].column.as_str()),
        (2, "id_number")
    );
    assert!(
        errors[0].to_string().contains("format the column as text"),
        "{}",
        errors[0]
    );
    // As a CSV saved from Excel shows it, and in a person's file.
    let t = csv(
        "p.csv",
        &format!("{PERSONS}\n3.20102E+17,张伟,男,{code},secretary,书记,2018-03-01\n"),
    );
    let hint = RowProblem::IdAsNumber {
        found: "3.20102E+17".into(),
    };
    assert_eq!(
        import_err(&mut s, Kind::Persons, &t),
        vec![at("p.csv", 2, "id_number", hint.clone())]
    );
    let t = csv(
        "t.csv",
        "id_number,date,days,title\n320102198506151000.0,2026-03-10,1,党务培训\n",
    );
    assert!(matches!(
        &import_err(&mut s, Kind::Training, &t)[0].problem,
        RowProblem::IdAsNumber { .. }
    ));
}
