//! Backups: a consistent copy while others write, checked; a restore refuses a copy
//! that fails the checks and a database someone is writing, keeps the database it
//! replaces, and brings the copy's rows back. Only the chair and the secretary may.

mod common;
use common::{credit_code, demo_file, login, open_db, rows_in, run_pingshen};
use pingshen::domain::{Deed, Role};
use pingshen::service::{Kind, Refusal, Service, ServiceError};
use pingshen::store::{Store, StoreError};
use pingshen::table::Table;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn as_member(path: &Path, name: &str) -> Service {
    let svc = Service::system(Store::open(path).unwrap(), "test");
    login(svc, name)
}

/// One organisation to import, its code made from `n`.
fn one_org(n: usize) -> Table {
    common::table(
        &format!("org{n}.csv"),
        &["code", "name", "kind", "county"],
        vec![vec![
            credit_code(&format!("91320102MA1X{n:05}")),
            format!("备份测试单位{n}"),
            "enterprise".into(),
            "玄武区".into(),
        ]],
    )
}

#[test]
fn a_backup_taken_while_another_connection_writes_passes_the_check() {
    let (dir, db) = demo_file();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut svc = Service::system(Store::open(&db).unwrap(), "writer");
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                svc.import(Kind::Organisations, &one_org(n)).unwrap();
                n += 1;
            }
            n
        })
    };
    let mut svc = as_member(&db, "吴婷");
    let before = rows_in(&svc, "organisations");
    let mut counts = Vec::new();
    for i in 0..4 {
        let copy = dir.path().join(format!("b{i}.sqlite3"));
        let report = svc.backup(&copy, "b.sqlite3").unwrap();
        assert!(report.ok(), "{report:?}");
        let conn = open_db(&copy);
        counts.push(rows_in(&conn, "organisations"));
        // The copy holds the row of its own making.
        assert_eq!(common::last_action(&conn).0, "backup");
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0, "the writer wrote meanwhile");
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(counts[0] >= before);
    assert!(*counts.last().unwrap() <= before + written as i64);
}

#[test]
fn only_the_chair_and_the_secretary_back_up_and_restore() {
    let (dir, db) = demo_file();
    let copy = dir.path().join("b.sqlite3");
    let mut member = as_member(&db, "陈静怡");
    assert!(matches!(
        member.backup(&copy, "b.sqlite3"),
        Err(ServiceError::Forbidden {
            role: Role::Member,
            deed: Deed::BackUp
        })
    ));
    assert!(!copy.exists() || std::fs::metadata(&copy).unwrap().len() == 0);
    let mut chair = as_member(&db, "周明远");
    chair.backup(&copy, "b.sqlite3").unwrap();
    let mut member = as_member(&db, "陈静怡");
    let keep = dir.path().join("keep");
    assert!(matches!(
        member.restore(&copy, &keep, "b.sqlite3"),
        Err(ServiceError::Forbidden {
            role: Role::Member,
            deed: Deed::Restore
        })
    ));
    assert!(!keep.exists());
}

#[test]
fn a_tampered_copy_is_refused_and_a_good_one_brings_its_rows_back() {
    let (dir, db) = demo_file();
    let good = dir.path().join("good.sqlite3");
    let mut svc = as_member(&db, "吴婷");
    svc.backup(&good, "good.sqlite3").unwrap();
    let orgs = rows_in(&svc, "organisations");
    // Work goes on after the backup.
    let mut operator = Service::system(Store::open(&db).unwrap(), "test");
    operator.import(Kind::Organisations, &one_org(1)).unwrap();
    assert_eq!(rows_in(&svc, "organisations"), orgs + 1);

    // A copy whose log was edited afterwards is refused, and nothing moves.
    let bad = dir.path().join("bad.sqlite3");
    std::fs::copy(&good, &bad).unwrap();
    open_db(&bad)
        .execute("UPDATE audit SET after = '{}' WHERE id = 10", [])
        .unwrap();
    let keep = dir.path().join("demo.sqlite3.before-restore");
    let r = svc.restore(&bad, &keep, "bad.sqlite3");
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::CopyFailsCheck { faults })) if faults > 0
        ),
        "{r:?}"
    );
    assert!(!keep.exists());
    assert_eq!(rows_in(&svc, "organisations"), orgs + 1);

    // While another connection writes, no restore.
    let other = open_db(&db);
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = svc.restore(&good, &keep, "good.sqlite3");
    assert!(
        matches!(r, Err(ServiceError::Store(StoreError::Locked(_)))),
        "{r:?}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    assert!(!keep.exists());

    // The good copy brings its rows back; the database as it was is kept.
    let report = svc.restore(&good, &keep, "good.sqlite3").unwrap();
    assert!(report.ok());
    assert_eq!(rows_in(&svc, "organisations"), orgs);
    assert_eq!(rows_in(&open_db(&db), "organisations"), orgs);
    assert_eq!(rows_in(&open_db(&keep), "organisations"), orgs + 1);
    assert_eq!(
        common::last_action(&svc),
        ("restore".into(), "database".into())
    );
    assert!(
        svc.check(&[]).unwrap().ok(),
        "the restored database passes the check"
    );
    // Another connection, open through it all, reads the restored database.
    assert_eq!(rows_in(&operator, "organisations"), orgs);
}

#[test]
fn the_commands_refuse_to_overwrite_and_restore_onto_the_database_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "demo.db");
    let as_secretary = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--db", "demo.db", "--user", "7", "--pin-stdin"]);
        run_pingshen(d, &all, "1007\n")
    };
    let out = as_secretary(&["backup", "b.sqlite3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_secretary(&["backup", "b.sqlite3"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let out = as_secretary(&["backup", "b.sqlite3", "--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("b.sqlite3"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "a backup is private");
    }
    let persons = rows_in(&open_db(d.join("demo.db")), "persons");
    open_db(d.join("demo.db"))
        .execute("DELETE FROM training", [])
        .unwrap();
    let out = as_secretary(&["restore", "b.sqlite3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = open_db(d.join("demo.db"));
    assert!(rows_in(&conn, "training") > 0, "the rows are back");
    assert_eq!(rows_in(&conn, "persons"), persons);
    assert!(d.join("demo.db.before-restore").exists());
    assert_eq!(
        rows_in(&open_db(d.join("demo.db.before-restore")), "training"),
        0
    );
    // The backup itself is untouched by the restore's checks.
    assert_eq!(
        common::last_action(&open_db(d.join("b.sqlite3"))).0,
        "backup"
    );
}
