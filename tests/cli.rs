//! The `pingshen` binary: exit codes, messages on standard error, and files left as
//! they were when a command is refused.

mod common;
use common::{credit_code, id_number};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary in `dir` with a private data folder and no backtraces.
fn pingshen(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_pingshen"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("HOME", dir)
        .output()
        .expect("the binary runs");
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

fn db_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

// ---------------------------------------------------------------------------------

#[test]
fn demo_database_checks_clean_and_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = ok(d, &["init", "--demo", "--db", "demo.db"]);
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
        let conn = Connection::open(db_path(d, "n.db")).unwrap();
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
    Connection::open(d.join("other.db"))
        .unwrap()
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

    let revealed = ok(
        d,
        &[
            "export",
            "persons",
            "--format",
            "csv",
            "--reveal-ids",
            "--db",
            &db,
        ],
    );
    for id in &ids {
        assert!(revealed.contains(id.as_str()));
    }
    let reveals: i64 = Connection::open(d.join(&db))
        .unwrap()
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
    Connection::open(d.join(&db))
        .unwrap()
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
