//! The command line is a door like the app: without the right member's PIN nothing
//! changes, no full ID is shown and no register, score or log is read; with it, the
//! service's rules for that member's role apply and the audit log names them.

use std::path::Path;
use std::process::Output;

/// Runs the binary in `dir` with `stdin` as its standard input.
fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    crate::common::run_pingshen(dir, args, stdin)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A demo database told for the anchor day, in a temporary folder.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::common::init_demo(dir.path(), "demo.db");
    dir
}

fn count(dir: &Path, sql: &str) -> i64 {
    crate::common::count(&crate::common::open_db(dir.join("demo.db")), sql)
}

/// Every full ID number of the demo's persons.
fn full_ids(dir: &Path) -> Vec<String> {
    let conn = crate::common::open_db(dir.join("demo.db"));
    let mut stmt = conn.prepare("SELECT id_number FROM persons").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn without_a_member_nothing_protected_is_shown_or_changed() {
    let dir = demo();
    let d = dir.path();
    let audit = count(d, "SELECT count(*) FROM audit");
    std::fs::write(d.join("orgs.csv"), "code,name,kind,county\n").unwrap();
    std::fs::write(d.join("rules.toml"), pingshen::domain::rules::DEMO_RULES).unwrap();
    for args in [
        &["export", "persons", "--reveal-ids"][..],
        &["export", "audit"],
        &["export", "scores"],
        &["export", "applications"],
        &["export", "sheet", "--member", "陈静怡"],
        &["export", "summary"],
        &["export", "ranking"],
        &["export", "certificates"],
        &["export", "objections"],
        &["export", "allowance", "--year", "2025"],
        &["import", "organisations", "orgs.csv"],
        &["cycle", "new", "--rules", "rules.toml", "--year", "2027"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--db", "demo.db"]);
        let out = run(d, &all, "");
        assert!(!out.status.success(), "{all:?} ran without a member");
        let err = text(&out.stderr);
        assert!(err.contains("--user ID"), "{all:?}: {err}");
        assert_eq!(text(&out.stdout), "", "{all:?} printed something");
    }
    assert_eq!(
        count(d, "SELECT count(*) FROM audit"),
        audit,
        "nothing written"
    );
}

#[test]
fn masked_look_ups_and_the_published_notice_need_no_member() {
    let dir = demo();
    let d = dir.path();
    let ids = full_ids(d);
    for args in [
        &["summary"][..],
        &["search", "zhang"],
        &["export", "persons"],
        &["export", "notice", "--format", "md"],
        &["check"],
        &["cycle", "list"],
        &["columns"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--db", "demo.db"]);
        let out = run(d, &all, "");
        assert!(out.status.success(), "{all:?}: {}", text(&out.stderr));
        let shown = text(&out.stdout);
        for id in &ids {
            assert!(!shown.contains(id.as_str()), "{all:?} showed {id}");
        }
    }
}

#[test]
fn revealing_ids_takes_the_chair_or_the_secretary_and_is_audited_under_their_name() {
    let dir = demo();
    let d = dir.path();
    let ids = full_ids(d);
    let reveal = [
        "export",
        "persons",
        "--reveal-ids",
        "--db",
        "demo.db",
        "--pin-stdin",
        "--user",
    ];
    // A member may not, and nothing is shown.
    let mut args = reveal.to_vec();
    args.push("2");
    let out = run(d, &args, "1002\n");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("may not"),
        "{}",
        text(&out.stderr)
    );
    assert!(!ids.iter().any(|id| text(&out.stdout).contains(id.as_str())));
    // A wrong PIN is refused and counts as a failed login.
    let failed = count(
        d,
        "SELECT count(*) FROM audit WHERE action = 'login_failed'",
    );
    let mut args = reveal.to_vec();
    args.push("1");
    let out = run(d, &args, "9999\n");
    assert!(!out.status.success());
    assert!(!ids.iter().any(|id| text(&out.stdout).contains(id.as_str())));
    assert_eq!(
        count(
            d,
            "SELECT count(*) FROM audit WHERE action = 'login_failed'"
        ),
        failed + 1
    );
    // The chair with the right PIN: every ID (from which the birth dates follow; the
    // masked export has neither), and an audit row naming the chair.
    let masked = run(d, &["export", "persons", "--db", "demo.db"], "");
    let header = text(&masked.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(!header.contains("birth_date"), "{header}");
    let out = run(d, &args, "1001\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(!shown
        .lines()
        .next()
        .unwrap_or_default()
        .contains("birth_date"));
    assert!(ids.iter().all(|id| shown.contains(id.as_str())));
    let (actor_id, actor): (Option<i64>, String) = crate::common::open_db(d.join("demo.db"))
        .query_row(
            "SELECT actor_id, actor FROM audit WHERE action = 'reveal_ids' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((actor_id, actor.as_str()), (Some(1), "周明远"));
}

#[test]
fn with_no_terminal_the_pin_must_come_on_standard_input() {
    let dir = demo();
    let out = run(
        dir.path(),
        &["export", "audit", "--db", "demo.db", "--user", "1"],
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--pin-stdin"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn demo_replaces_only_a_demo_and_an_empty_file_is_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A text file, and a real (not demo) database, are left as they were.
    std::fs::write(d.join("notes.txt"), "会议记录\n").unwrap();
    let out = run(d, &["demo", "--db", "notes.txt"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("not a demo database"));
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "会议记录\n"
    );
    assert!(run(d, &["init", "--db", "real.db"], "").status.success());
    let before = std::fs::read(d.join("real.db")).unwrap();
    let out = run(d, &["demo", "--db", "real.db"], "");
    assert!(!out.status.success());
    assert_eq!(std::fs::read(d.join("real.db")).unwrap(), before);
    // An empty file is not a database for any command but init.
    std::fs::write(d.join("empty.db"), b"").unwrap();
    for cmd in [&["summary"][..], &["check"], &["search", "zhang"]] {
        let mut all = cmd.to_vec();
        all.extend(["--db", "empty.db"]);
        let out = run(d, &all, "");
        assert!(!out.status.success(), "{all:?}");
        assert!(
            text(&out.stderr).contains("an empty file"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(std::fs::metadata(d.join("empty.db")).unwrap().len(), 0);
    }
    let out = run(d, &["init", "--db", "empty.db", "--force"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(run(d, &["summary", "--db", "empty.db"], "")
        .status
        .success());
}

/// A demo open in a running app is not replaced under it: that app would go on saving
/// into the file replaced, shown as saved and lost to the new demo.
#[test]
fn demo_is_not_rebuilt_under_an_open_app() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(run(d, &["demo", "--db", "d.sqlite3", "--lang", "en"], "")
        .status
        .success());
    // Another terminal has the demo open (as the app holds it, in WAL mode).
    let other = pingshen::store::Store::open(&d.join("d.sqlite3")).unwrap();
    assert!(d.join("d.sqlite3-shm").exists());
    let before = crate::common::open_db(d.join("d.sqlite3"))
        .query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let out = run(d, &["demo", "--db", "d.sqlite3"], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("open in another pingshen"),
        "{}",
        text(&out.stderr)
    );
    let after = crate::common::open_db(d.join("d.sqlite3"))
        .query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(after, before, "the open demo is left as it was");
    // Once it is closed, the demo is built afresh.
    drop(other);
    assert!(!d.join("d.sqlite3-shm").exists());
    let out = run(d, &["demo", "--db", "d.sqlite3"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
}
