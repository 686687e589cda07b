//! Tampering with the file behind pingshen's back: every kind `pingshen check` must
//! find, each named by its table and row, and what only the anchor noted in the
//! minutes can show.

use pingshen::service::Service;
use pingshen::store::audit::Anchor;
use pingshen::store::Store;
use sha2::{Digest, Sha256};
use std::path::Path;

/// What `pingshen check` finds: (chain faults, data faults).
fn check(path: &Path, anchors: &[Anchor]) -> (Vec<String>, Vec<String>) {
    let svc = Service::system(Store::open(path).unwrap(), "test");
    let r = svc.check(anchors).unwrap();
    (r.audit_faults, r.data_faults)
}

fn anchor(path: &Path) -> Anchor {
    let svc = Service::system(Store::open(path).unwrap(), "test");
    svc.check(&[]).unwrap().audit_head.unwrap()
}

fn sql(path: &Path, statement: &str) {
    crate::common::open_db(path)
        .execute_batch(statement)
        .unwrap();
}

fn one(path: &Path, query: &str) -> i64 {
    crate::common::open_db(path)
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

/// Recomputes every audit hash from the first row on, as someone who has read the
/// source can: the chain is plain SHA-256 over the row's fields.
fn rehash_chain(path: &Path) {
    let conn = crate::common::open_db(path);
    let mut stmt = conn
        .prepare(
            "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, rows
             FROM audit ORDER BY id",
        )
        .unwrap();
    type Row = (
        i64,
        String,
        Option<i64>,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (id, at, actor_id, actor, action, entity, entity_id, before, after, data) in rows {
        let mut h = Sha256::new();
        let actor_id = actor_id.map(|i| i.to_string()).unwrap_or_default();
        for part in [
            prev.as_str(),
            &id.to_string(),
            &at,
            &actor_id,
            &actor,
            &action,
            &entity,
            &entity_id,
            before.as_deref().unwrap_or("\u{0}"),
            after.as_deref().unwrap_or("\u{0}"),
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        if let Some(d) = &data {
            h.update(d.as_bytes());
            h.update([0x1f]);
        }
        let hash = hex::encode(h.finalize());
        conn.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            rusqlite::params![prev, hash, id],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn an_untouched_demo_checks_clean() {
    let (_dir, path) = crate::common::demo_file();
    let (chain, data) = check(&path, &[]);
    assert!(chain.is_empty(), "{chain:?}");
    assert!(data.is_empty(), "{data:?}");
}

#[test]
fn an_edited_audit_row_breaks_the_chain_at_that_row() {
    let (_dir, path) = crate::common::demo_file();
    sql(&path, "UPDATE audit SET actor = '别人' WHERE id = 40");
    let (chain, _) = check(&path, &[]);
    assert!(
        chain.iter().any(|f| f.starts_with("audit row 40:")),
        "{chain:?}"
    );
}

#[test]
fn deleting_the_last_row_or_the_whole_log_is_found_from_the_data() {
    let (_dir, path) = crate::common::demo_file();
    let last = one(&path, "SELECT max(id) FROM audit WHERE rows IS NOT NULL");
    sql(&path, &format!("DELETE FROM audit WHERE id >= {last}"));
    let (chain, data) = check(&path, &[]);
    assert!(chain.is_empty(), "the chain alone still holds: {chain:?}");
    assert!(
        !data.is_empty(),
        "the rows its last change wrote are not in the log"
    );

    let (_dir, path) = crate::common::demo_file();
    sql(&path, "DELETE FROM audit");
    let (_, data) = check(&path, &[]);
    let scores = one(&path, "SELECT count(*) FROM scores");
    assert!(scores > 0);
    assert!(
        data.iter()
            .any(|f| f.starts_with("scores row ") && f.contains("not in the log")),
        "{data:?}"
    );
    assert!(
        data.iter().any(|f| f.starts_with("members row 1 ")),
        "{data:?}"
    );
}

#[test]
fn direct_edits_of_the_committee_s_tables_are_named_by_table_and_row() {
    for (table, edit) in [
        ("scores", "UPDATE scores SET value = value + 1 WHERE rowid = 7"),
        (
            "applications",
            "UPDATE applications SET result_score = 99.5 WHERE rowid = 7",
        ),
        (
            "members",
            "UPDATE members SET role = 'chair' WHERE rowid = 7",
        ),
        ("sheets", "DELETE FROM sheets WHERE rowid = 7"),
        (
            "conflicts",
            "INSERT INTO conflicts (member_id, person_id, kind, reason, declared_at)
             SELECT 3, person_id, 'other', '补录', '2026-11-20T00:00:00Z' FROM applications LIMIT 1",
        ),
    ] {
        let (_dir, path) = crate::common::demo_file();
        // The triggers' notes of the edit are wiped too, as a careful editor would.
        sql(&path, &format!("{edit}; DELETE FROM audit_pending;"));
        let (chain, data) = check(&path, &[]);
        assert!(chain.is_empty(), "{table}: {chain:?}");
        assert!(
            data.iter().any(|f| f.starts_with(&format!("{table} row "))),
            "{table}: {data:?}"
        );
    }
}

#[test]
fn an_edit_left_with_its_trigger_note_or_with_the_triggers_dropped_is_found() {
    let (_dir, path) = crate::common::demo_file();
    sql(&path, "UPDATE scores SET value = 0 WHERE rowid = 3");
    let (_, data) = check(&path, &[]);
    assert!(
        data.iter()
            .any(|f| f == "scores row 3 was changed without an audit row (outside pingshen)"),
        "{data:?}"
    );

    let (_dir, path) = crate::common::demo_file();
    sql(
        &path,
        "DROP TRIGGER audit_scores_update; UPDATE scores SET value = 0 WHERE rowid = 3;",
    );
    let (_, data) = check(&path, &[]);
    assert!(data.iter().any(|f| f.contains("triggers")), "{data:?}");
    assert!(
        data.iter().any(|f| f.starts_with("scores row 3 differs")),
        "{data:?}"
    );
}

#[test]
fn a_score_edited_and_the_chain_rehashed_is_still_found() {
    let (_dir, path) = crate::common::demo_file();
    let before = anchor(&path);
    sql(
        &path,
        "UPDATE scores SET value = value + 2 WHERE rowid = 11; DELETE FROM audit_pending;",
    );
    rehash_chain(&path);
    let (chain, data) = check(&path, &[]);
    assert!(chain.is_empty(), "a rehashed chain verifies: {chain:?}");
    assert!(
        data.iter().any(|f| f.starts_with("scores row 11 differs")),
        "{data:?}"
    );
    // The log itself was not changed (the same hashes came out): the anchor holds,
    // and it is the replayed data that show the edit.
    let (chain, data) = check(&path, &[before]);
    assert!(chain.is_empty(), "{chain:?}");
    assert!(!data.is_empty());
}

#[test]
fn a_log_rewritten_to_say_something_else_needs_the_anchor() {
    // The audit text changed (who did it) and every hash recomputed: the data still
    // match, so only the anchor written in the minutes shows the rewrite.
    let (_dir, path) = crate::common::demo_file();
    let noted = anchor(&path);
    sql(&path, "UPDATE audit SET actor = '别人' WHERE id = 40");
    rehash_chain(&path);
    let (chain, data) = check(&path, &[]);
    assert!(chain.is_empty() && data.is_empty(), "{chain:?} {data:?}");
    let (chain, _) = check(&path, &[noted]);
    assert!(
        chain.iter().any(|f| f.contains("does not match")),
        "{chain:?}"
    );
}

#[test]
fn a_forged_row_appended_breaks_the_chain() {
    let (_dir, path) = crate::common::demo_file();
    let next = one(&path, "SELECT max(id) + 1 FROM audit");
    sql(
        &path,
        &format!(
            "INSERT INTO audit (id, at, actor, action, entity, entity_id, prev_hash, hash)
             VALUES ({next}, '2026-11-26T03:00:00Z', '周明远', 'finalise', 'application', '7', 'x', 'y')"
        ),
    );
    let (chain, _) = check(&path, &[]);
    assert!(
        chain
            .iter()
            .any(|f| f.starts_with(&format!("audit row {next}:"))),
        "{chain:?}"
    );
}

#[test]
fn an_empty_file_is_no_database_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.sqlite3");
    std::fs::write(&path, b"").unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(err.to_string().contains("an empty file"), "{err}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}
