//! Helpers shared by the integration tests: valid (fictitious) identifiers made with
//! the validators' own check characters.
#![allow(dead_code)]

use pingshen::domain::ids::{credit_check_char, id_check_char};

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

/// Runs the pingshen binary in `dir` with a private home and data folder, no
/// backtraces, and `stdin` as its standard input (a PIN for `--pin-stdin`, say).
pub fn run_pingshen(dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pingshen"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("HOME", dir)
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

/// A connection of the test's own on a database file, as any SQLite client would open
/// it: for tests that look at, or tamper with, what is stored, on purpose.
pub fn open_db(path: impl AsRef<std::path::Path>) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("the database opens")
}

/// The connection under a service, for the same purpose when the database is in memory
/// or already open: what the service stored, as SQLite holds it. Everything else a
/// test does goes through the service.
pub fn db(svc: &pingshen::service::Service) -> &rusqlite::Connection {
    svc.store().conn()
}

/// Every column of one row (by `id`), as debug text, to compare before and after.
pub fn row_of(svc: &pingshen::service::Service, table: &str, id: i64) -> Vec<String> {
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

/// Logs the demo database of `svc` in as the committee member `name`, with the demo's
/// PIN, on the same clock.
pub fn demo_login(svc: pingshen::service::Service, name: &str) -> pingshen::service::Service {
    use pingshen::service::{demo, Service};
    let id = svc.find_member(name).unwrap().id;
    let pin = demo::demo_pins()
        .into_iter()
        .find(|(n, _, _)| n == name)
        .unwrap()
        .2;
    let clock = svc.clock();
    match Service::login(svc.into_store(), clock, id, &pin) {
        Ok(svc) => svc,
        Err(e) => panic!("login as {name}: {}", e.1),
    }
}
