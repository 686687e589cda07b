//! Import: every error class is reported as file:line:column and leaves the database
//! exactly as it was; a re-import is refused.

mod common;
use common::{credit_code, id_number, today};
use pingshen::domain::ids::{id_check_char, mask, IdError};
use pingshen::domain::{Category, Sex};
use pingshen::service::files::{decode_text, parse_csv, parse_json};
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
    let t = csv(
        "p.csv",
        &format!(
            "id_number,name,org_code,category,position,post_start\n\
             {good},张伟,{code},secretary,党支部书记,2018-03-01\n\
             {bad_check},李强,{code},secretary,党支部书记,2018-03-01\n\
             {},王芳,{code},secretary,书记,2019-02-30\n\
             {},赵军,91320102MA1XYZ0009,secretary,书记,2019-01-01\n\
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
                    code: "91320102MA1XYZ0009".into(),
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
                    given: Sex::Female,
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
