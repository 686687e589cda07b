//! One clock for the whole program: nothing but `service/clock.rs` reads the system
//! time, every time is stored in UTC, and the demo's story is told for any day — its
//! notice running on that day with working days left, its histories in order.

mod common;

use chrono::{Datelike, NaiveDate};
use common::{day, demo_on, rust_files};
use pingshen::domain::workdays::uncovered_warning;
use pingshen::domain::Stage;
use pingshen::service::clock::parse_stamp;
use pingshen::service::{demo, Clock, Service};
use pingshen::store::Store;
use std::path::Path;

#[test]
fn only_the_clock_reads_the_system_time() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    // Written in pieces so that this file does not find itself.
    let readers = [
        ["Utc", "::now("],
        ["Local", "::now("],
        ["Utc", "::today("],
        ["Local", "::today("],
        ["SystemTime", "::now("],
        ["UNIX", "_EPOCH"],
        ["time", "::OffsetDateTime::now"],
    ]
    .map(|p| p.concat());
    let clock = root.join("src/service/clock.rs");
    let mut found = Vec::new();
    for file in &files {
        if *file == clock {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for r in &readers {
                if line.contains(r.as_str()) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(files.len() > 50, "the tree was read: {} files", files.len());
    assert!(
        found.is_empty(),
        "the system time is read outside src/service/clock.rs:\n{}",
        found.join("\n")
    );
    // The clock itself does read it.
    let text = std::fs::read_to_string(&clock).unwrap();
    assert!(text.contains(&readers[0]));
}

#[test]
fn times_are_stored_in_utc_and_shown_in_the_clocks_zone() {
    let svc = demo::in_memory().unwrap();
    let last: String = common::db(&svc)
        .query_row("SELECT at FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let at = parse_stamp(&last).unwrap_or_else(|| panic!("{last} is not RFC 3339"));
    assert!(last.ends_with('Z'), "{last}");
    // The demo's story ends the evening before its day (18:30 in Beijing).
    assert_eq!(svc.clock().local(at).date(), day(2026, 11, 25));
    assert_eq!(svc.show_time(&last), "2026-11-25 18:30:00");
}

/// Stage counts of a demo, in procedure order.
fn stage_counts(svc: &Service) -> Vec<i64> {
    Stage::SIX
        .iter()
        .map(|s| {
            common::db(svc)
                .query_row(
                    "SELECT count(*) FROM applications WHERE stage = ?1",
                    [s.code()],
                    |r| r.get(0),
                )
                .unwrap()
        })
        .collect()
}

#[test]
fn the_demo_is_live_on_any_day() {
    let anchor = demo_on(demo::anchor());
    let expected = stage_counts(&anchor);
    assert!(expected.iter().all(|&n| n > 0), "{expected:?}");
    for today in [
        day(2026, 12, 4),
        day(2028, 2, 29),
        day(2031, 7, 1),
        // In the National Day holiday, and just after the Spring Festival.
        day(2026, 10, 5),
        day(2026, 2, 24),
        // A Sunday in a year the demo rules hold no calendar for.
        day(2027, 1, 3),
    ] {
        let svc = demo_on(today);
        assert_eq!(svc.today(), today);
        assert_eq!(stage_counts(&svc), expected, "{today}: the same story");
        // The notice runs on the demo's day with working days left.
        let notice = svc.latest_notice().unwrap();
        assert!(!notice.closed && !notice.ended, "{today}: {notice:?}");
        assert!(notice.start < today && today <= notice.end, "{today}");
        assert!(notice.days_left >= 1, "{today}: {}", notice.days_left);
        assert_eq!(notice.working_days, 5, "{today}");
        // A period in a year without a holiday calendar says so.
        let uncovered = (notice.start.year()..=notice.end.year()).any(|y| y != 2026);
        assert_eq!(!notice.uncovered_years.is_empty(), uncovered, "{today}");
        assert_eq!(
            uncovered_warning(&notice.uncovered_years).is_some(),
            uncovered
        );
        // Every audit time is in order, before the demo's day and after its cycle's
        // declarations opened.
        let times: Vec<String> = {
            let mut stmt = common::db(&svc)
                .prepare("SELECT at FROM audit ORDER BY id")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert!(times.len() > 500, "{today}: {} audit rows", times.len());
        let local: Vec<_> = times
            .iter()
            .map(|t| svc.clock().local(parse_stamp(t).unwrap()))
            .collect();
        assert!(
            local.windows(2).all(|w| w[0] <= w[1]),
            "{today}: audit times out of order"
        );
        assert!(local.last().unwrap().date() < today, "{today}");
        assert!(
            (today - local[0].date()).num_days() > 60,
            "{today}: the story starts months before"
        );
        // Each candidate's history is in order, and starts after the declaration.
        let out_of_order: i64 = common::db(&svc)
            .query_row(
                "SELECT count(*) FROM stage_records a JOIN stage_records b
                   ON b.application_id = a.application_id AND b.id > a.id AND b.at < a.at",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(out_of_order, 0, "{today}");
        let early: i64 = common::db(&svc)
            .query_row(
                "SELECT count(*) FROM stage_records s JOIN applications a ON a.id = s.application_id
                 WHERE substr(s.at, 1, 10) < a.declared_on",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(early, 0, "{today}: a decision before its declaration");
        // The objections came in during the notice, before the demo's day.
        let mut stmt = common::db(&svc)
            .prepare("SELECT received_at FROM objections")
            .unwrap();
        let received: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(received.len(), 3, "{today}");
        for r in &received {
            let d = NaiveDate::parse_from_str(&r[..10], "%Y-%m-%d").unwrap();
            assert!(notice.start <= d && d < today, "{today}: {r}");
        }
    }
}

/// The days a demo's clock is moved by, as stored.
fn shift_days(svc: &Service) -> String {
    common::db(svc)
        .query_row(
            "SELECT value FROM meta WHERE key = 'clock_shift_days'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_demo_built_for_another_day_runs_on_that_day() {
    // Built on a clock of 2026-12-04 for 2028-02-29: 452 days on.
    let mut svc = Service::system(Store::open_in_memory().unwrap(), "test");
    svc.set_clock(Clock::on(day(2026, 12, 4), 9, 0, 0));
    demo::build(&mut svc, day(2028, 2, 29)).unwrap();
    assert_eq!(
        svc.today(),
        day(2026, 12, 4),
        "the builder's clock is given back"
    );
    assert_eq!(shift_days(&svc), "452");
    // A demo built for its clock's own day runs on the clock as it is.
    let same = demo_on(day(2031, 7, 1));
    assert_eq!(shift_days(&same), "0");
}

#[test]
fn the_command_line_shows_the_demos_notice_on_its_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pingshen"))
            .args(args)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let db = db.to_str().unwrap();
    run(&["init", "--demo", "--today", "2028-02-29", "--db", db]);
    let summary = run(&["summary", "--db", db]);
    assert!(summary.contains("today 今天 2028-02-29"), "{summary}");
    assert!(
        summary.contains("公示期 notice: 2028-02-24 至 2028-03-01"),
        "{summary}"
    );
    assert!(summary.contains("剩 2 个工作日"), "{summary}");
    assert!(
        summary.contains("⚠ 规则文件未录入2028年节假日安排"),
        "{summary}"
    );
    // A day that is not a date is refused before anything is built.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pingshen"))
        .args(["init", "--demo", "--today", "2028-02-30", "--db"])
        .arg(dir.path().join("other.sqlite3"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--today"));
    assert!(!dir.path().join("other.sqlite3").exists());
}
