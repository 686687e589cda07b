//! Helpers shared by the integration tests: valid (fictitious) identifiers made with
//! the validators' own check characters, dates, tables, the demo (in memory, in a file
//! built through the service or through the binary), logging in as a member, running
//! the binary, and looking at what the database holds.
#![allow(dead_code)]

pub mod pty;

use chrono::NaiveDate;
use pingshen::domain::ids::{credit_check_char, id_check_char};
use pingshen::domain::rules::DEMO_RULES;
use pingshen::service::{demo, Clock, Service};
use pingshen::store::Store;
use pingshen::table::Table;
use std::path::{Path, PathBuf};

/// A resident ID number: the 17 digits given and their check character.
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17).expect("17 digits"))
}

/// A unified social credit code: the 17 characters given and their check character.
pub fn credit_code(first17: &str) -> String {
    format!(
        "{first17}{}",
        credit_check_char(first17).expect("17 code characters")
    )
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

/// The date the tests act on: the demo's day.
pub fn today() -> NaiveDate {
    day(2026, 11, 26)
}

/// A table as an import file named `source` would give it.
pub fn table(source: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    let mut t = Table::new(source, headers);
    for r in rows {
        t.push(r);
    }
    t
}

/// The records of CSV text, the header row among them, rows of any length.
pub fn csv_records(text: impl AsRef<[u8]>) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_ref())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The demo rules with a quorum of one sheet, to keep a test short.
pub fn rules_with_quorum_of_one() -> String {
    let r = DEMO_RULES.replacen("quorum = 5", "quorum = 1", 1);
    assert_ne!(r, DEMO_RULES);
    r
}

/// The demo built in memory for `day`, on a clock standing at 10:42:05 that day.
pub fn demo_on(day: NaiveDate) -> Service {
    let mut svc = Service::system(Store::open_in_memory().unwrap(), "test");
    svc.set_clock(Clock::on(day, 10, 42, 5));
    demo::build(&mut svc, day).unwrap();
    svc
}

/// The demo built through the service into `dir`/demo.sqlite3, on the demo's fixed
/// clock.
pub fn demo_file_in(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite3");
    let mut svc = Service::system(Store::open(&path).unwrap(), "test");
    svc.set_clock(demo::fixed_clock());
    demo::build(&mut svc, demo::anchor()).unwrap();
    path
}

/// The demo in a database file of a private temporary folder (see [`demo_file_in`]).
pub fn demo_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file_in(dir.path());
    (dir, path)
}

/// Runs the pingshen binary in `dir` with a private home and data folder, no
/// backtraces, and `stdin` as its standard input (a PIN for `--pin-stdin`, say).
pub fn run_pingshen(dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    run_pingshen_with(dir, args, stdin, &[])
}

/// [`run_pingshen`] with these environment variables set (`PINGSHEN_LANG`, say).
pub fn run_pingshen_with(
    dir: &Path,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pingshen"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        // Nothing of the machine's own settings: no configuration file, no variables.
        .env_remove("PINGSHEN_CONFIG")
        .env_remove("PINGSHEN_DB")
        .env_remove("PINGSHEN_THEME")
        .env_remove("PINGSHEN_LANG")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("HOME", dir)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut input) = child.stdin.take() {
        // A command that reads nothing may have exited already.
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("the binary runs")
}

/// The demo written by the binary (`pingshen init --demo`) to the database `db` in
/// `dir`, its story told for the day the tests were written for, whatever day they
/// run.
pub fn init_demo(dir: &Path, db: &str) {
    let out = run_pingshen(
        dir,
        &["init", "--demo", "--today", "2026-11-26", "--db", db],
        "",
    );
    assert!(
        out.status.success(),
        "init --demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A private temporary folder holding `demo.sqlite3`, written by the binary (see
/// [`init_demo`]).
pub fn demo_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("demo.sqlite3");
    init_demo(dir.path(), db.to_str().expect("a UTF-8 path"));
    (dir, db)
}

/// The demo committee's PIN of the member `name`. The towns the tests build give their
/// committees the demo's names and PINs too.
pub fn pin_of(name: &str) -> String {
    demo::demo_pins()
        .into_iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is not on the demo committee"))
        .2
}

pub fn member_id(svc: &Service, name: &str) -> i64 {
    svc.find_member(name).unwrap().id
}

/// Logs the database of `svc` in as the committee member `name`, with the demo's PIN,
/// on the same clock.
pub fn demo_login(svc: Service, name: &str) -> Service {
    let id = member_id(&svc, name);
    let pin = pin_of(name);
    let clock = svc.clock();
    match Service::login(svc.into_store(), clock, id, &pin) {
        Ok(svc) => svc,
        Err(e) => panic!("login as {name}: {}", e.1),
    }
}

/// Logs in as the committee member `name` (see [`demo_login`]), keeping the day acted
/// on.
pub fn login(svc: Service, name: &str) -> Service {
    let today = svc.today();
    let mut svc = demo_login(svc, name);
    svc.set_today(today);
    svc
}

/// The demo in memory, as the committee member `name`, or as the operator.
pub fn demo_as(name: Option<&str>) -> Service {
    let svc = demo::in_memory().unwrap();
    match name {
        Some(name) => demo_login(svc, name),
        None => svc,
    }
}

/// A connection of the test's own on a database file, as any SQLite client would open
/// it: for tests that look at, or tamper with, what is stored, on purpose.
pub fn open_db(path: impl AsRef<Path>) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("the database opens")
}

/// The connection under a service, for the same purpose when the database is in memory
/// or already open: what the service stored, as SQLite holds it. Everything else a
/// test does goes through the service.
pub fn db(svc: &Service) -> &rusqlite::Connection {
    svc.store().conn()
}

/// What a test may look into the database through: a connection of its own
/// ([`open_db`]), a store, or a service ([`db`]).
pub trait Db {
    fn connection(&self) -> &rusqlite::Connection;
}

impl Db for rusqlite::Connection {
    fn connection(&self) -> &rusqlite::Connection {
        self
    }
}

impl Db for Store {
    fn connection(&self) -> &rusqlite::Connection {
        self.conn()
    }
}

impl Db for Service {
    fn connection(&self) -> &rusqlite::Connection {
        db(self)
    }
}

/// The answer of a `SELECT count(*) …`.
pub fn count(db: &impl Db, sql: &str) -> i64 {
    db.connection()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// How a member's sheet for an application stands, as stored (`draft`, `submitted`).
pub fn sheet_status(db: &impl Db, app: i64, member: i64) -> String {
    db.connection()
        .query_row(
            "SELECT status FROM sheets WHERE application_id = ?1 AND member_id = ?2",
            [app, member],
            |r| r.get(0),
        )
        .unwrap()
}

/// How many rows `table` holds.
pub fn rows_in(db: &impl Db, table: &str) -> i64 {
    count(db, &format!("SELECT count(*) FROM {table}"))
}

/// The newest audit row's action and entity.
pub fn last_action(db: &impl Db) -> (String, String) {
    db.connection()
        .query_row(
            "SELECT action, entity FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// Every column of one row (by `id`), as debug text, to compare before and after.
pub fn row_of(svc: &Service, table: &str, id: i64) -> Vec<String> {
    let mut stmt = db(svc)
        .prepare(&format!("SELECT * FROM {table} WHERE id = ?1"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_row([id], |r| {
        (0..n)
            .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
            .collect::<rusqlite::Result<Vec<String>>>()
    })
    .unwrap()
}

/// Every `.rs` file below `dir`.
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A candidate in the demo's open scoring session whom the member has not scored and
/// need not recuse from, and whose name matches no other row of the evaluation.
pub fn unscored_candidate(db: &Path, member: i64) -> (i64, String) {
    let conn = open_db(db);
    let mut stmt = conn
        .prepare(
            "SELECT a.id, p.name FROM applications a JOIN persons p ON p.id = a.person_id
             WHERE a.stage = 'evaluation' AND a.status = 'active'
               AND NOT EXISTS (SELECT 1 FROM sheets s WHERE s.application_id = a.id AND s.member_id = ?1)
               AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.person_id = a.person_id AND c.member_id = ?1)
               AND coalesce(p.org_id, -1) <> coalesce((SELECT org_id FROM members WHERE id = ?1), -2)
               AND (SELECT count(*) FROM applications b JOIN persons q ON q.id = b.person_id
                    WHERE b.stage = 'evaluation' AND instr(q.name, p.name) > 0) = 1
             ORDER BY a.id LIMIT 1",
        )
        .unwrap();
    stmt.query_row([member], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the demo has such a candidate")
}

/// In the app on a terminal, at the board: opens the score sheet of `name` at the
/// overall evaluation and gives its five criteria 17.5, 21, 8, 26 and 12, each saved.
pub fn score_by_keys(term: &mut pty::Term, name: &str) {
    term.send("5");
    term.send(&format!("f{name}\r"));
    term.wait_for(&format!("筛选 {name}"));
    term.send("\r");
    term.wait_for_all(&[&format!("评分表 · {name}"), "还有 5 项未打分"]);
    for value in ["17.5", "21", "8", "26", "12"] {
        term.send(&format!("{value}\r"));
        term.wait_for(&format!("已保存 {value}"));
    }
    term.wait_for("各项均已打分");
}
