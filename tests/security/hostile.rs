//! Hostile bytes at every door: control characters (ESC sequences that clear or
//! retitle a terminal, BEL, NUL, line breaks) and bidirectional controls are refused
//! at import, with the file, line and column, and by the service in the texts forms
//! give it; text already in a database is shown escaped by `pingshen search`; and a
//! CSV cell a spreadsheet would run as a formula is written as text.

use crate::common::{credit_code, id_number, row_of, rows_in};
use pingshen::cli::export::write_table;
use pingshen::domain::notice::Channel;
use pingshen::domain::stage::Transition;
use pingshen::service::files::Format;
use pingshen::service::forms::{self, Form, Line, Value};
use pingshen::service::import::RowProblem;
use pingshen::service::notice::{NewObjection, Objector};
use pingshen::service::registers;
use pingshen::service::{demo, Field, Kind, Refusal, Service, ServiceError};
use pingshen::table::Table;
use std::path::Path;
use std::process::Output;

/// The bytes that must never reach a terminal raw.
const RAW: [char; 6] = ['\x1b', '\x07', '\0', '\u{202E}', '\u{9b}', '\u{2066}'];

/// An import acts as the demo's secretary, 吴婷 (#7, PIN 1007 on standard input).
fn pingshen(dir: &Path, args: &[&str]) -> Output {
    let import = args.first() == Some(&"import");
    let out = if import {
        let mut all = args.to_vec();
        all.extend(["--user", "7", "--pin-stdin"]);
        crate::common::run_pingshen(dir, &all, "1007\n")
    } else {
        crate::common::run_pingshen(dir, args, "")
    };
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{args:?} panicked"
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Asserts that `output` holds none of the hostile characters.
fn no_raw(what: &str, output: &str) {
    for c in RAW {
        assert!(
            !output.contains(c),
            "{what} holds a raw U+{:04X}:\n{}",
            u32::from(c),
            output.escape_debug()
        );
    }
}

/// The demo database built by the binary for a fixed day, in `dir`.
fn demo_db(dir: &Path) -> String {
    crate::common::init_demo(dir, "demo.db");
    "demo.db".into()
}

#[test]
fn hostile_names_and_positions_are_refused_at_import_by_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let conn = crate::common::open_db(d.join(&db));
    let org: String = conn
        .query_row("SELECT code FROM organisations LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let (persons, audit) = (rows_in(&conn, "persons"), rows_in(&conn, "audit"));

    let id = |i: usize| id_number(&format!("3201021975030{i}05{i}"));
    let row = |i: usize, name: &str, position: &str| {
        format!(
            "{},\"{name}\",{org},secretary,\"{position}\",2018-03-01\n",
            id(i)
        )
    };
    let mut csv = String::from("id_number,name,org_code,category,position,post_start\n");
    csv += &row(1, "\x1b[2J张伟", "党支部书记"); // line 2
    csv += &row(2, "李\x1b]0;pwned\x07娜", "党支部书记"); // line 3
    csv += &row(3, "王\x07强", "党支部书记"); // line 4
    csv += &row(4, "赵\0敏", "党支部书记"); // line 5
    csv += &row(5, "\u{202E}钱军", "党支部书记"); // line 6
    csv += &row(6, "吴\t婷", "党委\x1b[31m书记"); // line 7
    csv += &row(7, "周\u{2066}好", "党支部书记"); // line 8
    csv += &row(8, "孙\n悦", "党支部书记"); // line 9, two lines long
    csv += &row(9, "郑好人", "党支部书记"); // line 11: a good row, not written either
    std::fs::write(d.join("hostile.csv"), csv).unwrap();

    let out = pingshen(d, &["import", "persons", "hostile.csv", "--db", &db]);
    assert!(!out.status.success());
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    no_raw("the import's refusal", &err);
    for expected in [
        "hostile.csv:2:name: contains U+001B",
        "hostile.csv:3:name: contains U+001B",
        "hostile.csv:4:name: contains U+0007",
        "hostile.csv:5:name: contains U+0000",
        "hostile.csv:6:name: contains U+202E (a bidirectional control)",
        "hostile.csv:7:name: contains U+0009",
        "hostile.csv:7:position: contains U+001B",
        "hostile.csv:8:name: contains U+2066",
        "hostile.csv:9:name: contains U+000A (a line break)",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(expected)),
            "no line starting {expected:?} in:\n{err}"
        );
    }
    assert!(
        !err.contains("hostile.csv:11:"),
        "the good row is fine:\n{err}"
    );

    assert_eq!(rows_in(&conn, "persons"), persons, "no person was written");
    // The secretary's login is audited; the refused import is not.
    let logins: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE id > ?1 AND action = 'login'",
            [audit],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logins, 1);
    assert_eq!(
        rows_in(&conn, "audit"),
        audit + 1,
        "nothing else was audited"
    );
    let good: i64 = conn
        .query_row(
            "SELECT count(*) FROM persons WHERE name = '郑好人'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(good, 0);

    // Organisations: the name, the county and the township are all refused.
    let code = credit_code("91320102MA1HX0001");
    std::fs::write(
        d.join("orgs.csv"),
        format!(
            "code,name,kind,county,township\n\
             {code},\"南京\x1b[2J软件有限公司\",enterprise,\"玄武区\u{202E}\",\"新街口\x7f\"\n"
        ),
    )
    .unwrap();
    let organisations = rows_in(&conn, "organisations");
    let out = pingshen(d, &["import", "organisations", "orgs.csv", "--db", &db]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    no_raw("the import's refusal", &err);
    for expected in [
        "orgs.csv:2:name: contains U+001B",
        "orgs.csv:2:county: contains U+202E",
        "orgs.csv:2:township: contains U+007F",
    ] {
        assert!(err.contains(expected), "no {expected:?} in:\n{err}");
    }
    assert_eq!(rows_in(&conn, "organisations"), organisations);
}

#[test]
fn a_hostile_header_is_refused_without_being_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    std::fs::write(
        d.join("h.csv"),
        "code,name,kind,county,\"\x1b]0;pwned\x07\"\n91320102MA1HX0001X,x,enterprise,玄武区,y\n",
    )
    .unwrap();
    let out = pingshen(d, &["import", "organisations", "h.csv", "--db", &db]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    no_raw("the refusal of a header", &err);
    assert!(err.contains("the header contains U+001B"), "{err}");
}

#[test]
fn statements_keep_their_line_breaks_but_not_other_controls() {
    let mut svc = demo::in_memory().unwrap();
    let id: String = crate::common::db(&svc)
        .query_row("SELECT id_number FROM persons LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let mut table = Table::new(
        "decl.csv",
        &["id_number", "target_grade", "declared_on", "statement"],
    );
    table.push(vec![
        id.clone(),
        "junior".into(),
        "2026-09-01".into(),
        "第一段。\n\t第二段。".into(),
    ]);
    table.push(vec![
        id,
        "junior".into(),
        "2026-09-01".into(),
        "第一段。\n第二段\x1b[2J。".into(),
    ]);
    let applications: i64 = rows_in(&svc, "applications");
    let Err(ServiceError::Import(e)) = svc.import(Kind::Declarations, &table) else {
        panic!("the import should be refused");
    };
    let hostile: Vec<_> = e
        .errors
        .iter()
        .filter(|e| matches!(e.problem, RowProblem::Hostile { .. }))
        .collect();
    assert_eq!(hostile.len(), 1, "{e}");
    assert_eq!(
        (
            hostile[0].line,
            hostile[0].column.as_str(),
            &hostile[0].problem
        ),
        (
            3,
            "statement",
            &RowProblem::Hostile {
                found: '\x1b',
                multiline: true
            }
        ),
        "{e}"
    );
    assert!(
        hostile[0]
            .to_string()
            .starts_with("decl.csv:3:statement: contains U+001B"),
        "{}",
        hostile[0]
    );
    let after: i64 = rows_in(&svc, "applications");
    assert_eq!(after, applications);
}

#[test]
fn search_shows_hostile_names_already_in_the_database_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let conn = crate::common::open_db(d.join(&db));
    let name = "\x1b]0;pwned\x07\x1b[2J单蕊\u{202E}\u{9b}\0";
    conn.execute(
        "UPDATE persons SET name = ?1, position = '党委\x1b[31m书记' WHERE id = 1",
        [name],
    )
    .unwrap();
    conn.execute(
        "UPDATE organisations SET name = name || '\u{2066}\x07' WHERE id = (SELECT org_id FROM persons WHERE id = 1)",
        [],
    )
    .unwrap();

    let out = pingshen(d, &["search", "--db", &db, "单蕊"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    no_raw("search", &shown);
    no_raw("search's standard error", &text(&out.stderr));
    let line = shown
        .lines()
        .find(|l| l.contains("pwned"))
        .unwrap_or_else(|| panic!("the hostile person is found:\n{shown}"));
    assert!(
        line.starts_with("<U+001B>]0;pwned<U+0007><U+001B>[2J单蕊<U+202E><U+009B><U+0000>"),
        "{line}"
    );
    assert!(line.contains("党委<U+001B>[31m书记"), "{line}");
    assert!(line.contains("<U+2066><U+0007>"), "{line}");

    // JSON: the same values, every control escaped.
    let out = pingshen(d, &["search", "--json", "--db", &db, "单蕊"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    no_raw("search --json", &json);
    let hits: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == name && h["position"] == "党委\x1b[31m书记"),
        "the JSON holds the names as they are: {json}"
    );

    // The query itself is echoed escaped when nothing matches.
    let out = pingshen(d, &["search", "--db", &db, "\x1b[2J无此人\u{202E}"]);
    no_raw("search's standard error", &text(&out.stderr));
}

#[test]
fn formulas_in_names_are_exported_to_csv_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let conn = crate::common::open_db(d.join(&db));
    let formula = "=HYPERLINK(\"http://x\",\"y\")";
    conn.execute("UPDATE persons SET name = ?1 WHERE id = 1", [formula])
        .unwrap();
    conn.execute(
        "UPDATE organisations SET name = '@SUM(1+1)' WHERE id = (SELECT org_id FROM persons WHERE id = 1)",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE persons SET position = '-2+3', title = '+1' WHERE id = 2",
        [],
    )
    .unwrap();

    let out = pingshen(d, &["export", "persons", "--format", "csv", "--db", &db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let names: Vec<&str> = rows.iter().map(|r| &r[col("name")]).collect();
    assert!(
        names.contains(&"'=HYPERLINK(\"http://x\",\"y\")"),
        "{names:?}"
    );
    assert!(!names.contains(&formula));
    assert!(rows.iter().any(|r| &r[col("position")] == "'-2+3"));
    assert!(rows.iter().any(|r| &r[col("title")] == "'+1"));
    // The organisation's name leaves in the organisations export.
    let out = crate::common::run_pingshen(
        d,
        &[
            "export",
            "organisations",
            "--db",
            &db,
            "--user",
            "7",
            "--pin-stdin",
        ],
        "1007\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let orgs_csv = text(&out.stdout);
    let mut orgs_reader = csv::Reader::from_reader(orgs_csv.as_bytes());
    let org_headers = orgs_reader.headers().unwrap().clone();
    let name_col = org_headers.iter().position(|h| h == "name").unwrap();
    let org_rows: Vec<csv::StringRecord> = orgs_reader.records().map(|r| r.unwrap()).collect();
    let orgs: Vec<&str> = org_rows.iter().map(|r| &r[name_col]).collect();
    assert!(orgs.contains(&"'@SUM(1+1)"), "{orgs:?}");
    for r in rows.iter().chain(&org_rows) {
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula: {cell}"
            );
        }
    }
}

#[test]
fn csv_writers_quote_formula_text_but_keep_negative_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    let mut table = Table::new("t", &["text", "number"]);
    table.numeric = vec![false, true];
    table.push(vec!["-1+2".into(), "-3.5".into()]);
    table.push(vec!["=1+1".into(), "-7".into()]);
    table.push(vec!["\tcmd".into(), "=1".into()]);
    write_table(&table, Format::Csv, Some(&path)).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(written.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect();
    let cells: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().collect()).collect();
    assert_eq!(
        cells,
        vec![
            vec!["'-1+2", "-3.5"],
            vec!["'=1+1", "-7"],
            vec!["'\tcmd", "'=1"], // not a number, even in a numeric column
        ]
    );

    let form = Form {
        name: "f".into(),
        lines: vec![
            Line::Title("=title".into()),
            Line::Header(vec!["@head".into(), "分数".into()]),
            Line::Row(vec![Value::Text("+text".into()), Value::Num(-2.5)]),
            Line::Sign("-sign".into()),
        ],
    };
    let written = String::from_utf8(forms::csv(&[form]).unwrap()).unwrap();
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(written.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["'=title"],
            vec!["'@head", "分数"],
            vec!["'+text", "-2.5"],
            vec!["'-sign"],
        ]
    );
}

#[test]
fn markdown_and_html_show_controls_escaped() {
    let form = Form {
        name: "f".into(),
        lines: vec![
            Line::Title("公示\x1b]0;pwned\x07".into()),
            Line::Header(vec!["姓名".into()]),
            Line::Row(vec![Value::Text("张\u{202E}伟\x1b[2J".into())]),
        ],
    };
    let md = registers::markdown(&form);
    no_raw("markdown", &md);
    assert!(md.contains("公示<U+001B>]0;pwned<U+0007>"), "{md}");
    assert!(md.contains("张<U+202E>伟<U+001B>[2J"), "{md}");
    let html = registers::html(&form);
    no_raw("html", &html);
    assert!(html.contains("张&lt;U+202E&gt;伟"), "{html}");
}

/// The demo service logged in as its chair, 周明远.
fn chair() -> Service {
    crate::common::login(demo::in_memory().unwrap(), "周明远")
}

fn app_at(svc: &Service, stage: &str) -> i64 {
    crate::common::db(svc)
        .query_row(
            "SELECT id FROM applications WHERE stage = ?1 AND status = 'active' ORDER BY id LIMIT 1",
            [stage],
            |r| r.get(0),
        )
        .unwrap()
}

/// Asserts a refusal of `field` naming `char`, itself free of raw controls in both
/// languages.
fn refused<T: std::fmt::Debug>(r: Result<T, ServiceError>, field: Field, char: &str) {
    match r {
        Err(ServiceError::Invalid(
            m @ Refusal::HostileText {
                field: f, found, ..
            },
        )) if f == field && pingshen::text::char_name(found) == char => {
            for text in [m.en(), m.zh()] {
                assert!(text.contains(char), "{text}");
                no_raw("the refusal", &text);
            }
            assert!(m.en().contains(field.en()) && m.zh().contains(field.zh()));
        }
        other => panic!("{field:?}: expected a refusal naming {char}, got {other:?}"),
    }
}

#[test]
fn the_service_refuses_hostile_text_from_forms_and_changes_nothing() {
    let mut svc = chair();
    let app = app_at(&svc, "review");
    let before = row_of(&svc, "applications", app);
    let audit: i64 = rows_in(&svc, "audit");
    for (reason, char) in [
        ("材料不全\x1b[2J", "U+001B"),
        ("\x1b]0;pwned\x07", "U+001B"),
        ("材料\u{202E}不全", "U+202E"),
        ("材料\0不全", "U+0000"),
    ] {
        let r = svc.transition(
            app,
            Transition::Return {
                reason: reason.into(),
            },
        );
        refused(r, Field::Reason, char);
    }
    refused(
        svc.override_eligibility(app, "经集体研究\x07同意"),
        Field::OverrideReason,
        "U+0007",
    );
    assert_eq!(row_of(&svc, "applications", app), before, "unchanged");

    // A reason of several lines is fine.
    svc.transition(
        app,
        Transition::Return {
            reason: "材料不全：\n1. 缺少培训证明".into(),
        },
    )
    .unwrap();

    // Objections against a candidate of the running notice.
    let candidate = app_at(&svc, "notice");
    let objections: i64 = rows_in(&svc, "objections");
    let received_at = svc.today().and_hms_opt(9, 0, 0).unwrap();
    let objection = |name: &str, contact: &str, content: &str| NewObjection {
        app_id: candidate,
        received_at,
        channel: Channel::Letter,
        objector: Some(Objector {
            name: name.into(),
            contact: contact.into(),
        }),
        content: content.into(),
        criterion: None,
    };
    let o = objection("王\u{202E}某", "13900000000", "反映情况");
    refused(svc.record_objection(&o), Field::ObjectorName, "U+202E");
    let o = objection("王某", "139\x1b[8m00000000", "反映情况");
    refused(svc.record_objection(&o), Field::ObjectorContact, "U+001B");
    let o = objection("王某", "13900000000", "反映\x1b]0;x\x07情况");
    refused(svc.record_objection(&o), Field::ObjectionContent, "U+001B");
    let after: i64 = rows_in(&svc, "objections");
    assert_eq!(after, objections, "no objection was written");
    let audit_after: i64 = rows_in(&svc, "audit");
    assert_eq!(audit_after, audit + 1, "only the good return was audited");
}
