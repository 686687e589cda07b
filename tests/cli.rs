//! The `pingshen` binary: exit codes, messages on standard error, and files left as
//! they were when a command is refused.

mod common;
use common::{credit_code, csv_records, id_number};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Output;

thread_local! {
    /// Who the commands of this test act as on the demo: (member id, PIN).
    static ACTING: std::cell::Cell<(&'static str, &'static str)> =
        const { std::cell::Cell::new(("7", "1007")) };
}

/// The rest of this test acts as the chair, 周明远 (#1, PIN 1001), on the demo.
fn as_chair() {
    ACTING.with(|a| a.set(("1", "1001")));
}

/// Runs the binary in `dir` with a private data folder and no backtraces. On the
/// demo database (`demo.db`) it acts as a committee member, the PIN given on standard
/// input: the secretary, 吴婷 (#7, PIN 1007), who scores nobody, unless the test acts
/// as the chair ([`as_chair`]).
fn pingshen(dir: &Path, args: &[&str]) -> Output {
    let on_demo = args.contains(&"demo.db") && !args.contains(&"init");
    let (user, pin) = ACTING.with(|a| a.get());
    if on_demo {
        let mut all = args.to_vec();
        all.extend(["--user", user, "--pin-stdin"]);
        pingshen_in(dir, &all, &format!("{pin}\n"))
    } else {
        pingshen_in(dir, args, "")
    }
}

/// Runs the binary with `stdin` as its standard input; it never panics.
fn pingshen_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let out = common::run_pingshen(dir, args, stdin);
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{args:?} panicked:\n{err}"
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a command that must succeed; returns its standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = pingshen(dir, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}\n{}",
        out.status,
        stderr(&out)
    );
    stdout(&out)
}

/// Runs a command that must fail; returns its standard error.
fn fails(dir: &Path, args: &[&str]) -> String {
    let out = pingshen(dir, args);
    assert!(
        !out.status.success(),
        "{args:?} should fail, printed:\n{}",
        stdout(&out)
    );
    stderr(&out)
}

/// The same 17 digits with a wrong check character.
fn wrong_check(id: &str) -> String {
    let good = id.as_bytes()[17];
    format!("{}{}", &id[..17], if good == b'0' { '1' } else { '0' })
}

const PERSON_HEADER: &str = "id_number,name,org_code,category,position,post_start,phone";

/// A database with one organisation and two persons, imported through the binary.
/// Returns the database file name and the two ID numbers.
fn small_db(dir: &Path) -> (String, [String; 2]) {
    let db = "t.db".to_string();
    ok(dir, &["init", "--db", &db]);
    let org = credit_code("91320102MA1CD0002");
    std::fs::write(
        dir.join("orgs.csv"),
        format!("code,name,kind,county\n{org},南京示例软件有限公司,enterprise,玄武区\n"),
    )
    .unwrap();
    ok(dir, &["import", "organisations", "orgs.csv", "--db", &db]);
    let ids = [
        id_number("32010219850615123"),
        id_number("32010419900101002"),
    ];
    std::fs::write(
        dir.join("persons.csv"),
        format!(
            "{PERSON_HEADER}\n\
             {},张伟,{org},secretary,党支部书记,2018-03-01,13912345678\n\
             {},李娜,{org},staff,专职党务工作者,2021-05-01,02584561234\n",
            ids[0], ids[1]
        ),
    )
    .unwrap();
    ok(dir, &["import", "persons", "persons.csv", "--db", &db]);
    (db, ids)
}

/// Imports a committee of one into `db`: its chair, 赵主任 (#1, PIN 246813).
fn import_chair(dir: &Path, db: &str) {
    std::fs::write(
        dir.join("committee.csv"),
        "name,role,pin\n赵主任,chair,246813\n",
    )
    .unwrap();
    ok(dir, &["import", "committee", "committee.csv", "--db", db]);
}

fn db_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

// ---------------------------------------------------------------------------------

#[test]
fn demo_database_checks_clean_and_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = ok(
        d,
        &["init", "--demo", "--today", "2026-11-26", "--db", "demo.db"],
    );
    assert!(out.contains("created demo.db"), "{out}");
    let out = ok(d, &["check", "--db", "demo.db"]);
    let chain = out
        .lines()
        .find(|l| l.contains("audit chain"))
        .unwrap_or_else(|| panic!("no audit chain line in:\n{out}"));
    assert!(chain.trim_end().ends_with("ok"), "{chain}");
    assert!(chain.contains("row(s)"), "{chain}");
    for check in ["integrity_check", "foreign_key_check"] {
        let line = out.lines().find(|l| l.contains(check)).unwrap();
        assert!(line.trim_end().ends_with("ok"), "{line}");
    }
    assert!(
        !d.join(".demo.db.building").exists(),
        "no half-built file left behind"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("demo.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "--db", "n.db"]);
    {
        let conn = common::open_db(db_path(d, "n.db"));
        let v: i32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "user_version", v + 1).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    assert!(!d.join("n.db-wal").exists());
    let before = std::fs::read(d.join("n.db")).unwrap();
    let err = fails(d, &["summary", "--db", "n.db"]);
    assert_eq!(err.trim_end().lines().count(), 1, "one line:\n{err}");
    assert!(err.contains("newer"), "{err}");
    assert!(err.contains("n.db"), "{err}");
    assert_eq!(
        std::fs::read(d.join("n.db")).unwrap(),
        before,
        "file unchanged"
    );
    assert!(!d.join("n.db-wal").exists(), "no WAL created");
    assert!(
        !d.join("n.db-shm").exists(),
        "no shared-memory file created"
    );
}

#[test]
fn files_that_are_not_pingshen_databases_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "姓名,职务\n张伟,党支部书记\n".repeat(200);
    std::fs::write(d.join("notes.db"), &text).unwrap();
    for cmd in [&["summary"][..], &["check"], &["export", "persons"]] {
        let mut args = cmd.to_vec();
        args.extend(["--db", "notes.db"]);
        let err = fails(d, &args);
        assert!(err.contains("not a SQLite database"), "{args:?}: {err}");
        assert!(err.contains("notes.db"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read_to_string(d.join("notes.db")).unwrap(), text);

    // Another application's SQLite database.
    common::open_db(d.join("other.db"))
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(d.join("other.db")).unwrap();
    let err = fails(d, &["summary", "--db", "other.db"]);
    assert!(err.contains("not a pingshen database"), "{err}");
    assert_eq!(std::fs::read(d.join("other.db")).unwrap(), before);
}

#[test]
fn a_bad_import_lists_every_problem_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, _) = small_db(d);
    let before = ok(d, &["export", "persons", "--format", "json", "--db", &db]);
    let org = credit_code("91320102MA1CD0002");
    let good = id_number("32010519700101003");
    let bad = wrong_check(&id_number("32010519800101005"));
    std::fs::write(
        d.join("bad.csv"),
        format!(
            "{PERSON_HEADER}\n\
             {good},王强,{org},secretary,党委书记,2015-01-01,13900000001\n\
             {bad},赵敏,{org},secretary,党支部书记,2016-01-01,13900000002\n\
             {},孙悦,{org},staff,党务专员,2019-02-30,13900000003\n",
            id_number("32010519850101007")
        ),
    )
    .unwrap();
    let out = pingshen(d, &["import", "persons", "bad.csv", "--db", &db]);
    assert!(!out.status.success());
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    let located: Vec<&str> = err.lines().filter(|l| l.starts_with("bad.csv:")).collect();
    assert_eq!(located.len(), 2, "{err}");
    assert!(
        located[0].starts_with("bad.csv:3:id_number: bad ID number: check character must be"),
        "{}",
        located[0]
    );
    assert_eq!(
        located[1],
        "bad.csv:4:post_start: '2019-02-30' is not a real date (expected YYYY-MM-DD)"
    );
    assert!(err.contains("2 problem(s)"), "{err}");

    let after = ok(d, &["export", "persons", "--format", "json", "--db", &db]);
    assert_eq!(after, before, "the database is unchanged");
    let rows: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert!(!after.contains("王强"));
}

#[test]
fn exports_mask_ids_and_xlsx_needs_an_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, ids) = small_db(d);

    let csv = ok(d, &["export", "persons", "--format", "csv", "--db", &db]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id_col, phone_col, name_col) = (col("id_number"), col("phone"), col("name"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let phones = [("张伟", "13912345678"), ("李娜", "02584561234")];
    for (row, id) in rows.iter().zip(&ids) {
        assert_eq!(&row[id_col], format!("**************{}", &id[14..]));
        let phone = phones.iter().find(|p| p.0 == &row[name_col]).unwrap().1;
        assert_eq!(&row[phone_col], format!("*******{}", &phone[7..]));
    }
    for id in &ids {
        assert!(!csv.contains(id.as_str()), "full ID {id} in the export");
    }

    // Revealing takes the chair or the secretary, logged in: the committee first.
    import_chair(d, &db);
    let out = pingshen_in(
        d,
        &[
            "export",
            "persons",
            "--format",
            "csv",
            "--reveal-ids",
            "--db",
            &db,
            "--user",
            "1",
            "--pin-stdin",
        ],
        "246813\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let revealed = stdout(&out);
    for id in &ids {
        assert!(revealed.contains(id.as_str()));
    }
    let reveals: i64 = common::open_db(d.join(&db))
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'reveal_ids'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reveals, 1, "revealing is audited, masking is not");

    let err = fails(d, &["export", "persons", "--format", "xlsx", "--db", &db]);
    assert!(err.contains("--out"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let out = pingshen(
        d,
        &[
            "export", "persons", "--format", "xlsx", "--out", "p.xlsx", "--db", &db,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing on standard output");
    let bytes = std::fs::read(d.join("p.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK"), "zip magic");
    assert!(bytes.len() > 1000);
}

#[test]
fn a_tampered_audit_row_fails_the_check_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, _) = small_db(d);
    let out = ok(d, &["check", "--db", &db]);
    assert!(out.contains("2 row(s), ok"), "{out}");
    common::open_db(d.join(&db))
        .execute("UPDATE audit SET actor = 'mallory' WHERE id = 2", [])
        .unwrap();
    let out = pingshen(d, &["check", "--db", &db]);
    assert!(!out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("audit row 2: content does not match its hash (the row was edited)"),
        "{text}"
    );
    assert!(text.contains("1 fault(s)"), "{text}");
    assert!(stderr(&out).contains("found faults"), "{}", stderr(&out));
}

/// The anchor `pingshen check` prints: `ROW:HASH`.
fn anchor_of(check_output: &str) -> String {
    check_output
        .lines()
        .find_map(|l| l.trim().strip_prefix("anchor"))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no anchor in:\n{check_output}"))
        .to_string()
}

#[test]
fn an_anchor_written_down_shows_removed_last_rows_and_rewritten_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, _) = small_db(d);
    let anchor = anchor_of(&ok(d, &["check", "--db", &db]));
    assert!(anchor.starts_with("2:"), "{anchor}");
    // Later work adds rows: the old anchor still holds.
    import_chair(d, &db);
    let out = ok(d, &["check", "--db", &db, "--anchor", &anchor]);
    assert!(
        out.contains(&format!("anchor {anchor}")) && out.contains("held"),
        "{out}"
    );
    // The last rows removed: the chain alone still verifies, but the member they
    // recorded is no longer in the log; the anchor shows the rows are gone.
    let conn = common::open_db(d.join(&db));
    let newest = anchor_of(&ok(d, &["check", "--db", &db]));
    conn.execute("DELETE FROM audit WHERE id > 2", []).unwrap();
    let out = pingshen(d, &["check", "--db", &db]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("audit chain         2 row(s), ok"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("members row 1 is not in the log"),
        "{}",
        stdout(&out)
    );
    let out = pingshen(d, &["check", "--db", &db, "--anchor", &newest]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("is gone: the log now ends at row 2"),
        "{}",
        stdout(&out)
    );
    // History rewritten from the start with fresh hashes: the anchor does not match.
    conn.execute(
        // Its first two digits changed, whatever they were.
        "UPDATE audit SET hash = CASE WHEN hash LIKE 'ff%' THEN '00' ELSE 'ff' END || substr(hash, 3) WHERE id = 2",
        [],
    )
    .unwrap();
    let out = pingshen(d, &["check", "--db", &db, "--anchor", &anchor]);
    assert!(stdout(&out).contains("does not match"), "{}", stdout(&out));
    // A malformed anchor is refused by name.
    let err = fails(d, &["check", "--db", &db, "--anchor", "2:abc"]);
    assert!(err.contains("12 to 64 hexadecimal digits"), "{err}");
}

#[test]
fn rules_files_are_validated_with_key_paths() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/demo-nanjing.toml");
    let out = ok(d, &["rules", demo.to_str().unwrap()]);
    assert!(out.contains("valid"), "{out}");
    assert!(
        out.contains("4 grades, 5 criteria, total 100, notice 5 working days"),
        "{out}"
    );
    let text = std::fs::read_to_string(&demo).unwrap();
    // The first `min_years = 5` is the senior grade's.
    let bad = text.replacen("min_years = 5", "min_years = -1", 1);
    assert_ne!(bad, text);
    assert!(bad.contains("[grades.senior]\nmin_years = -1"));
    std::fs::write(d.join("bad.toml"), bad).unwrap();
    let err = fails(d, &["rules", "bad.toml"]);
    assert!(
        err.contains("bad.toml: grades.senior.min_years: must be >= 0"),
        "{err}"
    );
    assert!(err.contains("1 problem(s)"), "{err}");
}

#[test]
fn generated_cities_are_deterministic_by_seed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let export = |db: &str| ok(d, &["export", "persons", "--format", "csv", "--db", db]);
    ok(
        d,
        &["gen", "--persons", "500", "--seed", "7", "--db", "a.db"],
    );
    ok(
        d,
        &["gen", "--persons", "500", "--seed", "7", "--db", "b.db"],
    );
    ok(
        d,
        &["gen", "--persons", "500", "--seed", "8", "--db", "c.db"],
    );
    let (a, b, c) = (export("a.db"), export("b.db"), export("c.db"));
    assert_eq!(a.lines().count(), 501, "a header and 500 persons");
    assert_eq!(a, b, "the same seed gives the same city");
    assert_ne!(a, c, "another seed gives another city");
    let err = fails(d, &["gen", "--persons", "5", "--seed", "7", "--db", "a.db"]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn unknown_kinds_and_subcommands_fail_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("x.csv"), "a,b\n1,2\n").unwrap();
    let err = fails(d, &["import", "widgets", "x.csv", "--db", "x.db"]);
    assert!(err.contains("unknown import kind 'widgets'"), "{err}");
    assert!(err.contains("persons"), "lists the kinds: {err}");
    assert!(!d.join("x.db").exists(), "no database created");
    let err = fails(d, &["export", "widgets", "--db", "x.db"]);
    assert!(err.contains("unknown export kind 'widgets'"), "{err}");
    assert!(!d.join("x.db").exists(), "no database created");
    let out = pingshen(d, &["frobnicate", "--db", "x.db"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
    assert!(stderr(&out).contains("frobnicate"), "{}", stderr(&out));
}

#[test]
fn a_missing_database_or_a_folder_is_refused_without_creating_anything() {
    let dir = tempfile::tempdir().unwrap();
    let missing = db_path(dir.path(), "missing.sqlite3");
    let m = missing.to_str().unwrap();
    for args in [
        vec!["summary", "--db", m],
        vec!["check", "--db", m],
        vec!["export", "persons", "--db", m],
    ] {
        let err = fails(dir.path(), &args);
        assert!(err.contains("no such database"), "{args:?}: {err}");
    }
    assert!(!missing.exists(), "no empty database was created");
    let folder = dir.path().to_str().unwrap();
    let err = fails(dir.path(), &["summary", "--db", folder]);
    assert!(
        err.contains("cannot open the database (is it a folder"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

// ---------------------------------------------------------------------------------
// The printed forms of the overall evaluation: score sheets, summary sheets, ranking
// ---------------------------------------------------------------------------------

use pingshen::domain::rules::{Method, Rules};
use pingshen::domain::Grade;
use std::collections::{BTreeMap, BTreeSet};

const CHECK_FOOTER: &str = "填表人：____ 日期：____ 复核人：____ 日期：____";

/// The demo database, its cycle's name and rules.
fn demo_db(dir: &Path) -> (Connection, String, Rules) {
    common::init_demo(dir, "demo.db");
    let conn = common::open_db(dir.join("demo.db"));
    let (name, text): (String, String) = conn
        .query_row("SELECT name, rules_toml FROM cycles", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    (conn, name, Rules::from_toml(&text).unwrap())
}

/// Closes the open scoring session behind the program's back.
fn close_scoring(conn: &Connection) {
    let n = conn
        .execute(
            "UPDATE scoring_sessions SET closed_at = '2026-11-26 18:00:00' WHERE closed_at IS NULL",
            [],
        )
        .unwrap();
    assert_eq!(n, 1, "the demo has an open session");
}

/// Runs an export that must succeed; returns standard output and standard error.
fn export(dir: &Path, args: &[&str]) -> (String, String) {
    let mut all = vec!["export"];
    all.extend(args);
    all.extend(["--db", "demo.db"]);
    let out = pingshen(dir, &all);
    assert!(out.status.success(), "{all:?}: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

/// The blocks of a CSV export, separated by blank lines.
fn blocks(text: &str) -> Vec<Vec<Vec<String>>> {
    text.split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .map(csv_records)
        .collect()
}

/// The row of a block whose first cell is `label`.
fn labelled<'a>(block: &'a [Vec<String>], label: &str) -> &'a [String] {
    block
        .iter()
        .find(|r| r[0] == label)
        .unwrap_or_else(|| panic!("no row '{label}' in {block:?}"))
}

fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("'{cell}' is not a number"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005 + 1e-9
}

/// Applications of the demo cycle by the SQL condition given: id -> name.
fn apps(conn: &Connection, condition: &str) -> BTreeMap<i64, String> {
    let sql = format!(
        "SELECT a.id, p.name FROM applications a JOIN persons p ON p.id = a.person_id WHERE {condition}"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    rows
}

const FINAL: &str = "a.result_passed IS NOT NULL";
const IN_PROGRESS: &str =
    "a.stage = 'evaluation' AND a.status = 'active' AND a.result_passed IS NULL";

/// The submitted sheets of members not recused (neither from the candidate's
/// organisation nor with a declared conflict), in member order: (member, values by
/// criterion key).
fn eligible_sheets(conn: &Connection, app: i64) -> Vec<(String, BTreeMap<String, f64>)> {
    let mut stmt = conn
        .prepare(
            "SELECT m.name, sc.criterion, sc.value
             FROM sheets sh JOIN members m ON m.id = sh.member_id
               JOIN scores sc ON sc.application_id = sh.application_id AND sc.member_id = sh.member_id
               JOIN applications a ON a.id = sh.application_id JOIN persons p ON p.id = a.person_id
             WHERE sh.application_id = ?1 AND sh.status = 'submitted'
               AND coalesce(m.org_id, -1) <> p.org_id
               AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.member_id = m.id AND c.person_id = p.id)
             ORDER BY m.id",
        )
        .unwrap();
    let mut out: Vec<(String, BTreeMap<String, f64>)> = Vec::new();
    for row in stmt
        .query_map([app], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })
        .unwrap()
    {
        let (member, key, value) = row.unwrap();
        match out.last_mut() {
            Some((m, values)) if *m == member => {
                values.insert(key, value);
            }
            _ => out.push((member, BTreeMap::from([(key, value)]))),
        }
    }
    out
}

fn total(rules: &Rules, values: &BTreeMap<String, f64>) -> f64 {
    rules
        .criteria
        .iter()
        .map(|c| values.get(&c.key).copied().unwrap_or(0.0) * c.weight)
        .sum()
}

/// The result under the rules' method, computed here from the totals.
fn expected_result(rules: &Rules, totals: &[f64]) -> f64 {
    let mut t = totals.to_vec();
    t.sort_by(f64::total_cmp);
    let n = t.len();
    let mean = t.iter().sum::<f64>() / n as f64;
    if rules.aggregation.method == Method::TrimmedMean && n >= rules.aggregation.trim_min_scorers {
        t[1..n - 1].iter().sum::<f64>() / (n - 2) as f64
    } else {
        mean
    }
}

/// Checks one candidate's summary block against the database; returns the members
/// shown as columns.
fn check_summary_block(
    conn: &Connection,
    rules: &Rules,
    cycle: &str,
    block: &[Vec<String>],
    app: i64,
) -> Vec<String> {
    assert_eq!(block[0], [format!("{cycle} 综合评定汇总表")]);
    let header = &block[2];
    assert_eq!(header[..2], ["评分项目", "满分"]);
    let sheets = eligible_sheets(conn, app);
    let members: Vec<String> = header[2..header.len() - 1].to_vec();
    let expected: Vec<String> = sheets.iter().map(|(m, _)| m.clone()).collect();
    assert_eq!(members, expected, "application #{app}: the columns");
    assert_eq!(header.last().unwrap(), "平均分");
    for c in &rules.criteria {
        let row = labelled(block, &c.name);
        assert!(close(num(&row[1]), c.max));
        for (j, (m, values)) in sheets.iter().enumerate() {
            assert!(
                close(num(&row[2 + j]), values[&c.key]),
                "#{app} {m} {}: {row:?}",
                c.key
            );
        }
    }
    let totals: Vec<f64> = sheets.iter().map(|(_, v)| total(rules, v)).collect();
    let row = labelled(block, "合计");
    assert!(close(num(&row[1]), rules.total_max()));
    for (j, t) in totals.iter().enumerate() {
        assert!(close(num(&row[2 + j]), *t), "#{app} totals: {row:?}");
    }
    assert_eq!(
        num(&labelled(block, "有效评分表(份)")[1]),
        sheets.len() as f64
    );
    let n = totals.len();
    let mean = totals.iter().sum::<f64>() / n as f64;
    assert!(close(num(&labelled(block, "平均分")[1]), mean));
    let mut sorted = totals.clone();
    sorted.sort_by(f64::total_cmp);
    let trimmed = &labelled(block, "去掉最高最低分后平均分")[1];
    if n >= 3 {
        let expected = sorted[1..n - 1].iter().sum::<f64>() / (n - 2) as f64;
        assert!(close(num(trimmed), expected), "#{app}: {trimmed}");
    } else {
        assert_eq!(trimmed, "—", "#{app}: nothing to trim with {n} sheets");
    }
    assert!(close(
        num(&labelled(block, "极差")[1]),
        sorted[n - 1] - sorted[0]
    ));
    assert!(close(
        num(&labelled(block, "评定结果")[1]),
        expected_result(rules, &totals)
    ));
    assert_eq!(block.last().unwrap(), &[CHECK_FOOTER]);
    members
}

#[test]
fn summary_sheets_match_the_scores_and_never_show_a_recused_member() {
    as_chair();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (conn, cycle, rules) = demo_db(d);
    let finalised = apps(&conn, FINAL);
    let in_progress = apps(&conn, IN_PROGRESS);
    assert!(finalised.len() >= 5 && !in_progress.is_empty());
    // A conflict declared after 马晓东 submitted his sheet: it no longer counts.
    let (&target, _) = finalised.iter().next().unwrap();
    conn.execute(
        "INSERT INTO conflicts (member_id, person_id, kind, reason, declared_at)
         SELECT m.id, a.person_id, 'relative', '事后申报', '2026-11-26 12:00:00'
         FROM members m, applications a WHERE m.name = '马晓东' AND a.id = ?1",
        [target],
    )
    .unwrap();

    let (csv, err) = export(d, &["summary", "--format", "csv"]);
    assert!(
        err.contains(&format!("left out {} candidate(s)", in_progress.len())),
        "{err}"
    );
    assert!(err.contains("scoring is open"), "{err}");
    let blocks = blocks(&csv);
    assert_eq!(blocks.len(), finalised.len(), "one block per final result");
    for block in &blocks {
        let who = &block[1][0];
        let (&app, _) = finalised
            .iter()
            .find(|(_, name)| who.starts_with(&format!("候选人：{name}　")))
            .unwrap_or_else(|| panic!("{who} is not a finalised candidate"));
        let members = check_summary_block(&conn, &rules, &cycle, block, app);
        let (stored, passed): (f64, bool) = conn
            .query_row(
                "SELECT result_score, result_passed FROM applications WHERE id = ?1",
                [app],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let state = &labelled(block, "结果状态")[1];
        assert_eq!(
            state,
            if passed {
                "已确定：通过"
            } else {
                "已确定：未通过"
            }
        );
        if app == target {
            assert!(!members.contains(&"马晓东".to_string()), "{members:?}");
            assert_eq!(labelled(block, "回避(人)")[1], "1");
        } else {
            // The committee less those who had to recuse (one, in the demo's meeting).
            let recused: usize = labelled(block, "回避(人)")[1].parse().unwrap();
            assert!(recused <= 1, "#{app}: {recused} recused");
            assert_eq!(members.len(), 6 - recused, "the committee scored #{app}");
            assert!(close(num(&labelled(block, "评定结果")[1]), stored));
        }
    }
    // One candidate on its own.
    let (one, err) = export(d, &["summary", "--app", &target.to_string()]);
    assert_eq!(err, "");
    assert_eq!(blocks_of(&one), 1);
    check_summary_block(&conn, &rules, &cycle, &csv_records(&one), target);
    // A candidate still being scored cannot be asked for.
    let (&hidden, _) = in_progress.iter().next().unwrap();
    let err = fails(
        d,
        &[
            "export",
            "summary",
            "--app",
            &hidden.to_string(),
            "--db",
            "demo.db",
        ],
    );
    assert!(err.contains("scoring is open"), "{err}");
}

fn blocks_of(csv: &str) -> usize {
    blocks(csv).len()
}

#[test]
fn only_a_final_result_is_summarised_and_without_drafts_or_recused_sheets() {
    as_chair();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (conn, cycle, rules) = demo_db(d);
    // 刘志强 works at the candidate's organisation; a sheet of his slipped in anyway.
    let app: i64 = conn
        .query_row(
            &format!(
                "SELECT a.id FROM applications a JOIN persons p ON p.id = a.person_id
                   JOIN members m ON m.org_id = p.org_id
                 WHERE m.name = '刘志强' AND {IN_PROGRESS}
                   AND (SELECT count(*) FROM sheets s WHERE s.application_id = a.id AND s.status = 'submitted') >= 2
                   AND EXISTS (SELECT 1 FROM sheets s WHERE s.application_id = a.id AND s.status = 'draft')"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "INSERT INTO sheets (application_id, member_id, status, submitted_at)
         SELECT ?1, id, 'submitted', '2026-11-26 12:00:00' FROM members WHERE name = '刘志强'",
        [app],
    )
    .unwrap();
    for c in &rules.criteria {
        conn.execute(
            "INSERT INTO scores (application_id, member_id, criterion, value, updated_at)
             SELECT ?1, id, ?2, ?3, '2026-11-26 12:00:00' FROM members WHERE name = '刘志强'",
            rusqlite::params![app, c.key, c.max],
        )
        .unwrap();
    }
    let drafts: Vec<String> = {
        let mut stmt = conn
            .prepare(
                "SELECT m.name FROM sheets s JOIN members m ON m.id = s.member_id
                 WHERE s.application_id = ?1 AND s.status = 'draft'",
            )
            .unwrap();
        let v = stmt
            .query_map([app], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        v
    };
    assert!(!drafts.is_empty());

    // While scoring is open the candidate cannot be exported at all.
    fails(
        d,
        &[
            "export",
            "summary",
            "--app",
            &app.to_string(),
            "--db",
            "demo.db",
        ],
    );
    // Closing scoring is not enough: it can be opened again and the values changed.
    close_scoring(&conn);
    fails(
        d,
        &[
            "export",
            "summary",
            "--app",
            &app.to_string(),
            "--db",
            "demo.db",
        ],
    );
    let in_progress = apps(&conn, IN_PROGRESS).len();
    let (all, err) = export(d, &["summary"]);
    assert!(
        err.contains(&format!("left out {in_progress} candidate(s)")),
        "{err}"
    );
    assert_eq!(blocks_of(&all), apps(&conn, FINAL).len());
    // Its result made final behind the program's back, the candidate is summarised.
    conn.execute(
        "UPDATE applications SET result_passed = 0, finalised_at = '2026-11-26 18:30:00' WHERE id = ?1",
        [app],
    )
    .unwrap();
    let (one, err) = export(d, &["summary", "--app", &app.to_string()]);
    assert_eq!(err, "");
    let block = csv_records(&one);
    let members = check_summary_block(&conn, &rules, &cycle, &block, app);
    assert!(!members.contains(&"刘志强".to_string()), "{members:?}");
    for m in &drafts {
        assert!(!members.contains(m), "a draft counted: {m}");
    }
    assert_eq!(labelled(&block, "回避(人)")[1], "1");
    assert_eq!(labelled(&block, "结果状态")[1], "已确定：未通过");

    let (all, err) = export(d, &["summary"]);
    assert!(
        err.contains(&format!("left out {} candidate(s)", in_progress - 1)),
        "{err}"
    );
    assert_eq!(
        blocks_of(&all),
        apps(&conn, FINAL).len(),
        "every final result"
    );
}

#[test]
fn the_ranking_goes_by_grade_and_leaves_out_results_not_yet_final() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (conn, cycle, rules) = demo_db(d);
    let finalised = apps(&conn, FINAL);
    let in_progress = apps(&conn, IN_PROGRESS);
    let (csv, err) = export(d, &["ranking"]);
    assert!(
        err.contains(&format!("left out {} candidate(s)", in_progress.len())),
        "{err}"
    );
    let rows = csv_records(&csv);
    assert_eq!(rows[0], [format!("{cycle} 综合评定排名表")]);
    assert_eq!(rows[1][..3], ["申报等级", "名次", "姓名"]);
    assert_eq!(rows.last().unwrap(), &[CHECK_FOOTER]);
    let body = &rows[2..rows.len() - 1];
    assert_eq!(body.len(), finalised.len());
    let names: BTreeSet<&str> = body.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(
        names,
        finalised
            .values()
            .map(String::as_str)
            .collect::<BTreeSet<_>>()
    );
    let mut last: Option<(Grade, f64, usize)> = None;
    for r in body {
        let grade = Grade::parse(&r[0]).unwrap();
        let (rank, result) = (num(&r[1]) as usize, num(&r[4]));
        let stored: f64 = conn
            .query_row(
                "SELECT a.result_score FROM applications a JOIN persons p ON p.id = a.person_id WHERE p.name = ?1",
                [&r[2]],
                |x| x.get(0),
            )
            .unwrap();
        assert!(close(result, stored), "{r:?}");
        let threshold = rules.grade(grade).unwrap().pass_threshold;
        assert!(close(num(&r[5]), threshold));
        assert_eq!(r[6], if result >= threshold { "是" } else { "否" }, "{r:?}");
        assert!(r[7].starts_with("已确定"), "{r:?}");
        match last {
            Some((g, prev, prev_rank)) if g == grade => {
                assert!(result <= prev && rank >= prev_rank, "{r:?}");
            }
            Some((g, _, _)) => {
                assert!(grade < g, "grades highest first: {r:?}");
                assert_eq!(rank, 1);
            }
            None => assert_eq!(rank, 1),
        }
        last = Some((grade, result, rank));
    }

    // Closed: the candidates still without a final result are still left out, as
    // scoring can be opened again.
    close_scoring(&conn);
    let (csv_closed, err) = export(d, &["ranking"]);
    assert!(
        err.contains(&format!("left out {} candidate(s)", in_progress.len())),
        "{err}"
    );
    assert_eq!(csv_closed, csv);
    let rows = csv_records(&csv_closed);
    assert!(!rows.iter().any(|r| r.get(7).is_some_and(|s| s == "未确定")));
}

#[test]
fn a_member_score_sheet_has_the_rules_criteria_and_only_visible_candidates() {
    as_chair();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (conn, cycle, rules) = demo_db(d);
    let (by_name, err) = export(d, &["sheet", "--member", "陈静怡"]);
    let member: i64 = conn
        .query_row("SELECT id FROM members WHERE name = '陈静怡'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let (by_id, _) = export(d, &["sheet", "--member", &member.to_string()]);
    assert_eq!(by_name, by_id);
    let mine = |condition: &str| {
        apps(
            &conn,
            &format!(
                "{condition} AND EXISTS (SELECT 1 FROM sheets s WHERE s.application_id = a.id AND s.member_id = {member})"
            ),
        )
    };
    let (visible, hidden) = (mine(FINAL), mine(IN_PROGRESS));
    assert!(!hidden.is_empty());
    assert!(
        err.contains(&format!("left out {} candidate(s)", hidden.len())),
        "{err}"
    );
    let rows = csv_records(&by_name);
    assert_eq!(rows[0], [format!("{cycle} 综合评定评分表")]);
    assert_eq!(rows[1], ["评委：陈静怡"]);
    let mut header: Vec<String> = ["序号", "姓名", "单位", "申报等级"]
        .map(String::from)
        .to_vec();
    header.extend(
        rules
            .criteria
            .iter()
            .map(|c| format!("{}({})", c.name, c.max)),
    );
    header.extend([
        format!("合计({})", rules.total_max()),
        "状态".into(),
        "评语".into(),
    ]);
    assert_eq!(rows[2], header);
    assert!(header.contains(&"政治素质(20)".to_string()));
    assert_eq!(rows.last().unwrap(), &["评委签字：______ 日期：______"]);
    let body = &rows[3..rows.len() - 1];
    assert_eq!(body.len(), visible.len());
    for r in body {
        let (&app, _) = visible.iter().find(|(_, n)| **n == r[1]).unwrap();
        let mut values = BTreeMap::new();
        for (i, c) in rules.criteria.iter().enumerate() {
            let v: f64 = conn
                .query_row(
                    "SELECT value FROM scores WHERE application_id = ?1 AND member_id = ?2 AND criterion = ?3",
                    rusqlite::params![app, member, c.key],
                    |x| x.get(0),
                )
                .unwrap();
            assert!(close(num(&r[4 + i]), v), "{r:?}");
            values.insert(c.key.clone(), v);
        }
        let n = rules.criteria.len();
        assert!(close(num(&r[4 + n]), total(&rules, &values)), "{r:?}");
        assert_eq!(r[5 + n], "已提交");
    }
    let err = fails(
        d,
        &["export", "sheet", "--member", "无名氏", "--db", "demo.db"],
    );
    assert!(err.contains("no committee member '无名氏'"), "{err}");
}

#[test]
fn xlsx_forms_have_a_worksheet_per_candidate_with_numbers_as_numbers() {
    as_chair();
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (conn, cycle, rules) = demo_db(d);
    close_scoring(&conn);
    let (csv, _) = export(d, &["summary"]);
    let (out, err) = export(d, &["summary", "--format", "xlsx", "--out", "s.xlsx"]);
    assert_eq!(out, "");
    assert!(err.contains("s.xlsx"), "{err}");
    let mut book: Xlsx<_> = calamine::open_workbook(d.join("s.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), blocks_of(&csv), "a worksheet per candidate");
    let unique: BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(unique.len(), names.len());
    for name in &names {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        let range = book.worksheet_range(name).unwrap();
        let title = range.get_value((0, 0)).unwrap();
        assert_eq!(
            title,
            &Data::String(format!("{cycle} 综合评定汇总表")),
            "{name}"
        );
        let rows: Vec<&[Data]> = range.rows().collect();
        let find = |label: &str| {
            *rows
                .iter()
                .find(|r| r[0] == Data::String(label.into()))
                .unwrap_or_else(|| panic!("{name}: no row {label}"))
        };
        let first = &rules.criteria[0];
        assert_eq!(find(&first.name)[1], Data::Float(first.max));
        let totals = find("合计");
        let sheets = num(&find("有效评分表(份)")[1].to_string()) as usize;
        for cell in &totals[1..2 + sheets] {
            assert!(matches!(cell, Data::Float(_)), "{name}: {cell:?}");
        }
        if sheets > 0 {
            assert!(matches!(find("评定结果")[1], Data::Float(_)), "{name}");
        }
    }

    export(
        d,
        &[
            "sheet",
            "--member",
            "周明远",
            "--format",
            "xlsx",
            "--out",
            "m.xlsx",
        ],
    );
    export(d, &["ranking", "--format", "xlsx", "--out", "r.xlsx"]);
    for (file, numeric_col) in [("m.xlsx", 4), ("r.xlsx", 4)] {
        let mut book: Xlsx<_> = calamine::open_workbook(d.join(file)).unwrap();
        let names = book.sheet_names();
        assert_eq!(names.len(), 1, "{file}");
        let range = book.worksheet_range(&names[0]).unwrap();
        let body: Vec<&[Data]> = range.rows().skip(3).take(3).collect();
        assert!(!body.is_empty(), "{file}");
        for r in body {
            assert!(matches!(r[numeric_col], Data::Float(_)), "{file}: {r:?}");
        }
    }
    let stray: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn the_scores_export_leaves_out_candidates_without_a_final_result() {
    as_chair();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (conn, _, _) = demo_db(d);
    let scored = |condition: &str| -> BTreeSet<i64> {
        apps(
            &conn,
            &format!(
                "{condition} AND EXISTS (SELECT 1 FROM scores s WHERE s.application_id = a.id)"
            ),
        )
        .into_keys()
        .collect()
    };
    let (visible, hidden) = (scored(FINAL), scored(IN_PROGRESS));
    assert!(!visible.is_empty() && !hidden.is_empty());
    // The export acts as the chair: the other members' values only of final results,
    // the chair's own of any candidate.
    let exported = |csv: &str| -> BTreeSet<i64> {
        csv_records(csv)[1..]
            .iter()
            .filter(|r| r[2] != "周明远")
            .map(|r| r[0].parse().unwrap())
            .collect()
    };
    let own_unfinished = |csv: &str| -> usize {
        csv_records(csv)[1..]
            .iter()
            .filter(|r| hidden.contains(&r[0].parse::<i64>().unwrap()))
            .inspect(|r| assert_eq!(r[2], "周明远", "{r:?}"))
            .count()
    };
    let (csv, err) = export(d, &["scores"]);
    assert_eq!(exported(&csv), visible);
    assert!(own_unfinished(&csv) > 0, "the chair's own values are there");
    assert!(
        err.contains(&format!("left out {} candidate(s)", hidden.len())),
        "{err}"
    );
    // Closing scoring is not enough: it can be opened again.
    close_scoring(&conn);
    let (csv, err) = export(d, &["scores"]);
    assert_eq!(exported(&csv), visible);
    assert!(
        err.contains(&format!("left out {} candidate(s)", hidden.len())),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------
// The published notice and the registers
// ---------------------------------------------------------------------------------

/// The text of an exported file: the cells of every sheet of an .xlsx, the visible
/// text of a web page (without its style sheet), the file itself otherwise.
fn exported_text(path: &Path) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some("xlsx") => {
            let t = pingshen::service::files::read_table(path).unwrap();
            let mut cells = t.headers.clone();
            for r in &t.rows {
                cells.extend(r.cells.iter().cloned());
            }
            cells.join("\n")
        }
        Some("html") => {
            let page = std::fs::read_to_string(path).unwrap();
            let (head, rest) = page.split_once("<style>").unwrap();
            let (_, body) = rest.split_once("</style>").unwrap();
            format!("{head}{body}")
        }
        _ => std::fs::read_to_string(path).unwrap(),
    }
}

#[test]
fn the_published_notice_never_shows_an_id_number_a_phone_an_address_or_a_score() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, _, _) = demo_db(dir.path());
    let mut stmt = conn
        .prepare(
            "SELECT p.name, p.id_number, p.phone, p.address, a.result_score
             FROM applications a JOIN persons p ON p.id = a.person_id WHERE a.notice_id IS NOT NULL",
        )
        .unwrap();
    let candidates: Vec<(String, String, String, String, f64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(candidates.len() >= 5, "the demo notice has candidates");
    let id_number = regex::Regex::new(r"\d{17}[\dXx]").unwrap();
    let mobile = regex::Regex::new(r"(^|\D)1[3-9]\d{9}(\D|$)").unwrap();
    let decimal = regex::Regex::new(r"\d+\.\d+").unwrap();
    for format in ["csv", "xlsx", "md", "html"] {
        let path = dir.path().join(format!("notice.{format}"));
        export(
            dir.path(),
            &[
                "notice",
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        let text = exported_text(&path);
        assert!(
            text.contains("公示期：2026年11月23日至2026年11月27日（5个工作日）"),
            "{format}"
        );
        assert!(
            text.contains("受理单位：南京市委组织部组织二处"),
            "{format}"
        );
        for (name, id, phone, address, score) in &candidates {
            assert!(text.contains(name.as_str()), "{format}: {name} is listed");
            assert!(!text.contains(id.as_str()), "{format}: {name}'s ID number");
            assert!(!text.contains(phone.as_str()), "{format}: {name}'s phone");
            assert!(
                !text.contains(address.as_str()),
                "{format}: {name}'s address"
            );
            let shown = pingshen::domain::eligibility::fmt_num(*score);
            let figure =
                regex::Regex::new(&format!(r"(^|[^\d.]){}([^\d.]|$)", regex::escape(&shown)))
                    .unwrap();
            assert!(!figure.is_match(&text), "{format}: {name}'s result {shown}");
        }
        assert!(!id_number.is_match(&text), "{format}: an ID-like number");
        assert!(!mobile.is_match(&text), "{format}: a mobile number");
        assert!(!decimal.is_match(&text), "{format}: a score-like figure");
        assert!(!text.contains("分"), "{format}: points");
    }
    // The web page stands alone: UTF-8, Chinese, the style inline, nothing fetched.
    let page = std::fs::read_to_string(dir.path().join("notice.html")).unwrap();
    for part in [
        "<!DOCTYPE html>",
        "<html lang=\"zh-CN\">",
        "<meta charset=\"utf-8\">",
        "<style>",
        "@media print",
        "<table>",
        "<th>拟认定等级</th>",
    ] {
        assert!(page.contains(part), "{part}");
    }
    for absent in [
        "<script", "src=", "href=", "http://", "https://", "@import", "url(",
    ] {
        assert!(!page.contains(absent), "{absent}");
    }
    // Markdown: a pipe table with a row per candidate.
    let md = std::fs::read_to_string(dir.path().join("notice.md")).unwrap();
    assert!(md.starts_with("# 南京市2026年度党务工作者资格认证结果公示\n"));
    assert!(md.contains(
        "| 序号 | 姓名 | 性别 | 单位 | 职务 | 拟认定等级 |\n|---|---|---|---|---|---|\n"
    ));
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ")).count(),
        candidates.len() + 1
    );
}

#[test]
fn registers_export_as_csv_or_xlsx_with_contacts_masked() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, _, _) = demo_db(dir.path());
    let contacts: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT objector_contact FROM objections WHERE objector_contact != ''")
            .unwrap();
        let v = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        v
    };
    assert!(!contacts.is_empty());
    let (register, _) = export(dir.path(), &["objections"]);
    let rows = csv_records(&register);
    assert_eq!(rows[2][8], "联系方式");
    for c in &contacts {
        assert!(!register.contains(c.as_str()), "{c} is masked");
        assert!(register.contains(&pingshen::domain::ids::mask_contact(c)));
    }
    let states: BTreeSet<&str> = rows[3..]
        .iter()
        .filter(|r| r.len() > 12)
        .map(|r| r[12].as_str())
        .collect();
    assert_eq!(states, BTreeSet::from(["已受理", "核查中", "不属实"]));

    let (certs, note) = export(dir.path(), &["certificates"]);
    let n = common::rows_in(&conn, "certificates");
    assert!(certs.contains(&format!("共 {n} 本")));
    assert!(note.is_empty(), "{note}");
    let (roll, _) = export(dir.path(), &["allowance", "--year", "2025"]);
    assert!(roll.starts_with("南京市2025年度红领津贴发放名册"));
    assert_eq!(blocks_of(&roll), 4, "roll, by grade, by county, left off");
    let path = dir.path().join("roll.xlsx");
    let (_, note) = export(
        dir.path(),
        &[
            "allowance",
            "--year",
            "2025",
            "--format",
            "xlsx",
            "--out",
            path.to_str().unwrap(),
        ],
    );
    assert!(note.contains("the 2025 allowance roll"), "{note}");
    assert!(path.exists());

    let err = fails(dir.path(), &["export", "allowance", "--db", "demo.db"]);
    assert!(err.contains("needs --year"), "{err}");
    let err = fails(
        dir.path(),
        &[
            "export",
            "certificates",
            "--format",
            "html",
            "--db",
            "demo.db",
        ],
    );
    assert!(err.contains("csv or xlsx"), "{err}");
    let err = fails(
        dir.path(),
        &["export", "persons", "--format", "md", "--db", "demo.db"],
    );
    assert!(err.contains("published notice only"), "{err}");
    let err = fails(
        dir.path(),
        &["export", "persons", "--year", "2025", "--db", "demo.db"],
    );
    assert!(err.contains("--year"), "{err}");
}

#[test]
fn json_and_xlsx_exports_keep_numbers_as_numbers_and_identifiers_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "demo.db");
    let out = ok(
        d,
        &[
            "export",
            "applications",
            "--format",
            "json",
            "--db",
            "demo.db",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    let first = rows[0].as_object().unwrap();
    // Keys in the columns' order.
    let keys: Vec<&str> = first.keys().map(|k| k.as_str()).collect();
    assert_eq!(&keys[..3], ["id", "cycle", "id_number"], "{keys:?}");
    assert!(first["id"].is_i64());
    assert!(first["id_number"].is_string(), "an ID number is text");
    let scored = rows
        .iter()
        .find(|r| !r["test_score"].is_null())
        .expect("a test score in the demo");
    assert!(scored["test_score"].is_number(), "{scored}");
    assert!(
        rows.iter().any(|r| r["override_reason"].is_null()),
        "empty is null"
    );
    let persons = ok(
        d,
        &["export", "persons", "--format", "json", "--db", "demo.db"],
    );
    let persons: serde_json::Value = serde_json::from_str(&persons).unwrap();
    assert!(persons[0]["phone"].is_string(), "a phone number is text");

    ok(
        d,
        &[
            "export",
            "applications",
            "--format",
            "xlsx",
            "--out",
            "a.xlsx",
            "--db",
            "demo.db",
        ],
    );
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(d.join("a.xlsx")).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert!(
        matches!(sheet.get((1, 0)), Some(Data::Float(_))),
        "{:?}",
        sheet.get((1, 0))
    );
    assert!(matches!(sheet.get((1, 2)), Some(Data::String(_))));
}

// ---------------------------------------------------------------------------------
// The conventions of the command line: help, completions, the manual, settings, exit
// codes, closed pipes, and no database made by mistake
// ---------------------------------------------------------------------------------

/// Runs the binary in `dir` like [`common::run_pingshen`], with these environment
/// variables set (and the configuration file `PINGSHEN_CONFIG` names, if any).
fn pingshen_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = isolated(dir, args);
    cmd.stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    assert!(
        !stderr(&out).contains("panicked"),
        "{args:?}: {}",
        stderr(&out)
    );
    out
}

/// The binary to run in `dir` with a private home, data and configuration folder, none
/// of pingshen's environment variables and no backtraces.
fn isolated(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pingshen"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("HOME", dir);
    for var in [
        "PINGSHEN_DB",
        "PINGSHEN_CONFIG",
        "PINGSHEN_LANG",
        "PINGSHEN_THEME",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

#[test]
fn every_command_and_argument_is_documented_with_an_example() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str) {
        for arg in cmd.get_arguments() {
            if arg.is_hide_set() || ["help", "version"].contains(&arg.get_id().as_str()) {
                continue;
            }
            assert!(
                arg.get_help()
                    .is_some_and(|h| !h.to_string().trim().is_empty()),
                "{path}: argument {} has no help",
                arg.get_id()
            );
            if arg.get_action().takes_values() {
                assert!(
                    arg.get_value_names().is_some_and(|n| !n.is_empty()),
                    "{path}: argument {} has no value name",
                    arg.get_id()
                );
            }
        }
        for sub in cmd.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            assert!(sub.get_about().is_some(), "{path}: no description");
            if sub.get_subcommands().next().is_none() {
                let after = sub
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                assert!(
                    after.contains(&path),
                    "{path}: no example in its help: {after}"
                );
            }
            walk(sub, &path);
        }
    }
    walk(&pingshen::cli::Cli::command(), "pingshen");
}

#[test]
fn the_apps_flags_are_only_on_the_commands_they_mean_something_to() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let help = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--help");
        let out = pingshen_env(d, &all, &[]);
        assert!(out.status.success(), "{all:?}");
        stdout(&out)
    };
    for cmd in [
        &["rules"][..],
        &["columns"],
        &["summary"],
        &["search"],
        &["check"],
        &["cycle", "list"],
        &["gen"],
        &["init"],
        &["completions"],
        &["man"],
    ] {
        let h = help(cmd);
        for flag in ["--user", "--theme", "--lang", "--pin-stdin"] {
            assert!(!h.contains(flag), "{cmd:?} shows {flag}:\n{h}");
        }
    }
    for cmd in [&["import"][..], &["export"], &["cycle", "new"]] {
        let h = help(cmd);
        assert!(
            h.contains("--user") && h.contains("--pin-stdin"),
            "{cmd:?}:\n{h}"
        );
        assert!(
            !h.contains("--theme") && !h.contains("--lang"),
            "{cmd:?}:\n{h}"
        );
    }
    for cmd in [&[][..], &["demo"]] {
        let h = help(cmd);
        for flag in ["--user", "--theme", "--lang"] {
            assert!(h.contains(flag), "{cmd:?} lacks {flag}:\n{h}");
        }
    }
    let h = help(&["import"]);
    assert!(h.contains("pingshen import persons 人员.xlsx"), "{h}");
    assert!(h.contains("work_history"), "lists the kinds: {h}");
    // Given before a command they mean nothing to, they are refused, not ignored.
    let out = pingshen_env(d, &["--theme", "light", "summary", "--db", "x.db"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--theme before `summary`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_for_every_shell_and_a_manual_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bash = pingshen_env(d, &["completions", "bash"], &[]);
    assert!(bash.status.success(), "{}", stderr(&bash));
    let bash = stdout(&bash);
    for word in ["import", "export", "search", "completions", "man", "cycle"] {
        assert!(bash.contains(word), "bash completions lack {word}");
    }
    for kind in pingshen::service::Kind::ALL {
        assert!(
            bash.contains(kind.code()),
            "bash completions lack {}",
            kind.code()
        );
    }
    for shell in ["zsh", "fish", "powershell"] {
        let out = pingshen_env(d, &["completions", shell], &[]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains("pingshen"), "{shell}");
    }
    let out = pingshen_env(d, &["completions", "tcsh"], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    let man = pingshen_env(d, &["man"], &[]);
    assert!(man.status.success(), "{}", stderr(&man));
    let man = stdout(&man);
    assert!(man.contains(".TH"), "{man}");
    assert!(man.contains("import"), "{man}");
    // A broken configuration file does not stand in their way.
    std::fs::write(d.join("bad.toml"), "database = \n").unwrap();
    let bad = [("PINGSHEN_CONFIG", "bad.toml")];
    assert!(pingshen_env(d, &["man"], &bad).status.success());
    assert!(pingshen_env(d, &["completions", "fish"], &bad)
        .status
        .success());
}

#[test]
fn flags_win_over_the_environment_and_the_environment_over_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "a.db");
    common::init_demo(d, "b.db");
    common::init_demo(d, "c.db");
    let shown = |out: &Output| {
        assert!(out.status.success(), "{}", stderr(out));
        let first = stdout(out).lines().next().unwrap_or_default().to_string();
        ["a.db", "b.db", "c.db"]
            .into_iter()
            .find(|db| first.contains(db))
            .unwrap_or_else(|| panic!("which database? {first}"))
    };
    // The usual place: <config dir>/pingshen/config.toml; a relative database is
    // taken from the file's folder.
    let folder = d.join("config").join("pingshen");
    std::fs::create_dir_all(&folder).unwrap();
    let a = d.join("a.db");
    std::fs::write(
        folder.join("config.toml"),
        format!("database = {:?}\nlang = \"en\"\n", a.to_str().unwrap()),
    )
    .unwrap();
    assert_eq!(shown(&pingshen_env(d, &["summary"], &[])), "a.db");
    std::fs::write(
        d.join("other.toml"),
        "database = \"c.db\"\ntheme = \"light\"\n",
    )
    .unwrap();
    let file = [("PINGSHEN_CONFIG", "other.toml")];
    assert_eq!(shown(&pingshen_env(d, &["summary"], &file)), "c.db");
    let env = [("PINGSHEN_CONFIG", "other.toml"), ("PINGSHEN_DB", "b.db")];
    assert_eq!(shown(&pingshen_env(d, &["summary"], &env)), "b.db");
    assert_eq!(
        shown(&pingshen_env(d, &["summary", "--db", "a.db"], &env)),
        "a.db"
    );
    // The bare app off a terminal prints the summary, after the language is settled:
    // the flag wins over PINGSHEN_LANG, which is read before the file's.
    let lang = [("PINGSHEN_DB", "b.db"), ("PINGSHEN_LANG", "fr")];
    let out = pingshen_env(d, &[], &lang);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("PINGSHEN_LANG=fr"),
        "{}",
        stderr(&out)
    );
    assert_eq!(shown(&pingshen_env(d, &["--lang", "en"], &lang)), "b.db");
    // A file named but missing, a malformed one and an unknown key are refused,
    // naming the file and the line.
    let out = pingshen_env(d, &["summary"], &[("PINGSHEN_CONFIG", "none.toml")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("none.toml"), "{}", stderr(&out));
    for (text, says) in [
        ("theme = \"light\"\ndatabase = \n", "line 2"),
        ("theme = \"light\"\n\ncolour = \"red\"\n", "line 3"),
        ("lang = \"fr\"\n", "unknown language"),
    ] {
        std::fs::write(d.join("bad.toml"), text).unwrap();
        let out = pingshen_env(d, &["summary"], &[("PINGSHEN_CONFIG", "bad.toml")]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        let err = stderr(&out);
        assert!(
            err.contains("bad.toml") && err.contains(says),
            "{text}: {err}"
        );
        assert_eq!(err.matches("pingshen:").count(), 1, "{err}");
    }
}

#[test]
fn search_exits_as_grep_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "demo.db");
    let code = |args: &[&str]| pingshen_env(d, args, &[]).status.code();
    assert_eq!(code(&["search", "zhang", "--db", "demo.db"]), Some(0));
    assert_eq!(code(&["search", "qqqqxxzz", "--db", "demo.db"]), Some(1));
    assert_eq!(code(&["search", "colour:red", "--db", "demo.db"]), Some(2));
    assert_eq!(code(&["search", "zhang", "--db", "missing.db"]), Some(2));
    assert_eq!(code(&["search", "--db", "demo.db"]), Some(2), "no query");
    assert_eq!(code(&["summary", "--db", "missing.db"]), Some(1));
    assert_eq!(code(&["summary", "--frobnicate"]), Some(2));
    assert_eq!(code(&["import", "persons"]), Some(2), "no file");
    assert!(!d.join("missing.db").exists());
}

/// Runs the binary with its standard output (or error) a pipe whose reader is gone
/// before it writes.
fn with_closed(dir: &Path, args: &[&str], stderr_too: bool) -> std::process::ExitStatus {
    use std::process::Stdio;
    let mut child = isolated(dir, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if stderr_too {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().expect("the binary runs")
}

#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "demo.db");
    for args in [
        &["summary", "--db", "demo.db"][..],
        &["search", "z", "--limit", "100", "--db", "demo.db"],
        &["search", "z", "--json", "--db", "demo.db"],
        &["columns"],
        &["check", "--db", "demo.db"],
        &["export", "persons", "--db", "demo.db"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
    ] {
        let status = with_closed(d, args, false);
        assert_ne!(status.code(), Some(101), "{args:?} panicked");
        assert!(status.code().is_some(), "{args:?} was killed: {status}");
        // The same, its messages going nowhere too.
        let status = with_closed(d, args, true);
        assert_ne!(status.code(), Some(101), "{args:?} panicked");
    }
    // An error with standard error closed still exits 1 (2 for search).
    let status = with_closed(d, &["summary", "--db", "missing.db"], true);
    assert_eq!(status.code(), Some(1));
    let status = with_closed(d, &["search", "qqqqxxzz", "--db", "demo.db"], true);
    assert_eq!(status.code(), Some(1), "nothing found");
    // Through a pipe read to the end, the output is whole.
    let out = pingshen_env(d, &["search", "z", "--db", "demo.db"], &[]);
    assert!(out.status.success());
    assert!(!stdout(&out).is_empty());
}

#[test]
fn only_init_and_demo_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("orgs.csv"), "code,name,kind,county\n").unwrap();
    std::fs::write(d.join("rules.toml"), pingshen::domain::rules::DEMO_RULES).unwrap();
    let default = d.join("data").join("pingshen").join("pingshen.sqlite3");
    for args in [
        &[][..],
        &["summary"],
        &["search", "zhang"],
        &["check"],
        &["cycle", "list"],
        &["cycle", "new", "--rules", "rules.toml", "--year", "2027"],
        &["import", "organisations", "orgs.csv"],
        &["export", "persons"],
        &["export", "notice"],
    ] {
        for db in [None, Some("missing.db")] {
            let mut all = args.to_vec();
            if let Some(db) = db {
                all.extend(["--db", db]);
            }
            let out = pingshen_env(d, &all, &[]);
            let want = if args.first() == Some(&"search") {
                2
            } else {
                1
            };
            assert_eq!(out.status.code(), Some(want), "{all:?}");
            let err = stderr(&out);
            let path = db.map_or(default.display().to_string(), str::to_string);
            assert!(
                err.contains(&format!("{path}: no such database")),
                "{all:?}: {err}"
            );
            assert!(
                err.contains("pingshen init") && err.contains("pingshen demo"),
                "{err}"
            );
            assert_eq!(stdout(&out), "", "{all:?}");
        }
    }
    // A database named in the environment is no more created than one on the
    // command line.
    let out = pingshen_env(d, &[], &[("PINGSHEN_DB", "env.db")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!d.join("missing.db").exists() && !d.join("env.db").exists());
    assert!(
        !default.exists() && !d.join("data").exists(),
        "nothing created"
    );
    // init makes it where PINGSHEN_DB says, and then the app's summary reads it.
    let out = pingshen_env(d, &["init"], &[("PINGSHEN_DB", "env.db")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(d.join("env.db").exists());
    let out = pingshen_env(d, &[], &[("PINGSHEN_DB", "env.db")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("env.db"), "{}", stdout(&out));
}

/// As the secretary would move the persons to another database: the revealed persons
/// export, with the organisations, imports into a fresh database, and exporting that
/// one gives the same file.
#[test]
fn the_revealed_persons_export_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "demo.db");
    ok(
        d,
        &[
            "export",
            "organisations",
            "--out",
            "单位.csv",
            "--db",
            "demo.db",
        ],
    );
    let persons = ok(d, &["export", "persons", "--reveal-ids", "--db", "demo.db"]);
    std::fs::write(d.join("人员.csv"), &persons).unwrap();
    ok(d, &["init", "--db", "fresh.db"]);
    ok(
        d,
        &["import", "organisations", "单位.csv", "--db", "fresh.db"],
    );
    ok(d, &["import", "persons", "人员.csv", "--db", "fresh.db"]);
    // The fresh database has no committee yet, so nobody there may reveal: the two
    // databases' masked exports are compared, field by field.
    let masked = |db: &str| ok(d, &["export", "persons", "--db", db]);
    let (before, after) = (masked("demo.db"), masked("fresh.db"));
    assert_eq!(csv_records(&after), csv_records(&before));
    assert!(csv_records(&before).len() > 100, "the demo's persons");
}
