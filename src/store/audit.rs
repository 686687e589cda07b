//! The tamper-evident audit log. Each row carries a SHA-256 hash over its own content
//! and the previous row's hash, so editing, inserting or deleting a row breaks the chain
//! from that row on.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something: a committee member, or the operator of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub member_id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// A command run without logging in (import, demo set-up...).
    pub fn system(what: &str) -> Actor {
        Actor {
            member_id: None,
            name: what.to_string(),
        }
    }
}

/// One audit entry before it is written.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[allow(clippy::too_many_arguments)]
fn digest(
    prev: &str,
    id: i64,
    at: &str,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
    rows: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    let actor_id = actor_id.map(|i| i.to_string()).unwrap_or_default();
    for part in [
        prev,
        &id.to_string(),
        at,
        &actor_id,
        actor,
        action,
        entity,
        entity_id,
        before.unwrap_or("\u{0}"),
        after.unwrap_or("\u{0}"),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    // Rows written before the log recorded them hash as they always did.
    if let Some(rows) = rows {
        h.update(rows.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// The committee's tables: every change to them is noted by a trigger (migration 5;
/// the members' keys, migration 6) and recorded, row by row, in the audit row of the change, so that [`replay`] can
/// tell a row changed outside pingshen.
pub const PROTECTED: [&str; 20] = [
    "members",
    "cycles",
    "applications",
    "stage_records",
    "site_visits",
    "conflicts",
    "sheets",
    "scores",
    "scoring_sessions",
    "score_revisions",
    "notices",
    "objections",
    "certificates",
    "inspections",
    "job_changes",
    "meetings",
    "meeting_agenda",
    "meeting_attendance",
    "meeting_steps",
    "member_keys",
];

/// Columns left out of a row's hash: a member's login counters, which change before a
/// PIN is checked (see the lockout in `service::members`), are not committee data.
const VOLATILE: [(&str, &str); 3] = [
    ("members", "failed_pins"),
    ("members", "locked_until"),
    ("members", "lockouts"),
];

/// A row's content as a hash: every column's name, type and value, in column order.
fn row_hash(conn: &Connection, table: &str, rowid: i64) -> rusqlite::Result<Option<String>> {
    use rusqlite::types::ValueRef;
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM \"{table}\" WHERE rowid = ?1"))?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let mut rows = stmt.query([rowid])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut h = Sha256::new();
    for (i, name) in names.iter().enumerate() {
        if VOLATILE.contains(&(table, name.as_str())) {
            continue;
        }
        h.update(name.as_bytes());
        h.update([0x1f]);
        match r.get_ref(i)? {
            ValueRef::Null => h.update([0]),
            ValueRef::Integer(v) => {
                h.update([1]);
                h.update(v.to_le_bytes());
            }
            ValueRef::Real(v) => {
                h.update([2]);
                h.update(v.to_le_bytes());
            }
            ValueRef::Text(t) => {
                h.update([3]);
                h.update(t);
            }
            ValueRef::Blob(b) => {
                h.update([4]);
                h.update(b);
            }
        }
        h.update([0x1e]);
    }
    Ok(Some(hex::encode(&h.finalize()[..16])))
}

/// The rows the current transaction changed (noted by the triggers), each with its
/// new hash or `null` once removed, as JSON `{"table": {"rowid": hash}}`; the notes
/// are cleared. `None` when nothing protected changed.
fn take_pending(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT tbl, key FROM audit_pending ORDER BY tbl, key")?;
    let pending: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if pending.is_empty() {
        return Ok(None);
    }
    let mut rows: std::collections::BTreeMap<String, serde_json::Map<String, Value>> =
        Default::default();
    for (table, key) in pending {
        if !PROTECTED.contains(&table.as_str()) {
            continue;
        }
        let hash = row_hash(conn, &table, key)?;
        rows.entry(table)
            .or_default()
            .insert(key.to_string(), hash.map_or(Value::Null, Value::String));
    }
    conn.execute("DELETE FROM audit_pending", [])?;
    Ok(Some(serde_json::to_string(&rows).unwrap_or_default()))
}

/// Records every row of the committee's tables in one audit row (migration 5, for a
/// database written before the log recorded rows), so that [`replay`] starts from
/// them. Nothing is written when the tables are empty.
pub fn baseline(conn: &Connection) -> rusqlite::Result<()> {
    for table in PROTECTED {
        // Tables of later migrations are not there yet (and have no rows to record).
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if !exists {
            continue;
        }
        conn.execute(
            &format!(
                "INSERT INTO audit_pending (tbl, key) SELECT '{table}', rowid FROM \"{table}\""
            ),
            [],
        )?;
    }
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM audit_pending)", [], |r| {
        r.get(0)
    })?;
    if !any {
        return Ok(());
    }
    let at: String = conn
        .query_row("SELECT at FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default();
    append(
        conn,
        &at,
        &Actor::system("migration"),
        Entry {
            action: "baseline",
            entity: "database",
            entity_id: String::new(),
            before: None,
            after: None,
        },
    )
    .map(|_| ())
}

/// Replays the rows the log recorded and compares them with the committee's tables:
/// every row changed, added or removed outside pingshen, and every change noted by the
/// triggers but never audited, is a fault naming its table and row.
pub fn replay(conn: &Connection) -> rusqlite::Result<Vec<Fault>> {
    use std::collections::HashMap;
    let mut faults = Vec::new();
    let triggers: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'",
        [],
        |r| r.get(0),
    )?;
    if triggers != 3 * PROTECTED.len() as i64 {
        faults.push(Fault {
            id: 0,
            problem: format!(
                "{triggers} of the {} triggers that note changes are there (some were dropped or added outside pingshen)",
                3 * PROTECTED.len()
            ),
        });
    }
    // What the log says each row is, and which audit row said it last.
    let mut logged: HashMap<(String, i64), (Option<String>, i64)> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, rows FROM audit WHERE rows IS NOT NULL ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let text: String = r.get(1)?;
        let Ok(Value::Object(tables)) = serde_json::from_str::<Value>(&text) else {
            faults.push(Fault {
                id,
                problem: "its record of rows cannot be read".into(),
            });
            continue;
        };
        for (table, keys) in tables {
            let Value::Object(keys) = keys else { continue };
            for (key, hash) in keys {
                let Ok(key) = key.parse::<i64>() else {
                    continue;
                };
                logged.insert(
                    (table.clone(), key),
                    (hash.as_str().map(str::to_string), id),
                );
            }
        }
    }
    drop(rows);
    drop(stmt);
    let mut stmt = conn.prepare("SELECT DISTINCT tbl, key FROM audit_pending ORDER BY tbl, key")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (table, key) = row?;
        faults.push(Fault {
            id: 0,
            problem: format!(
                "{table} row {key} was changed without an audit row (outside pingshen)"
            ),
        });
    }
    for table in PROTECTED {
        let mut stmt = conn.prepare(&format!("SELECT rowid FROM \"{table}\" ORDER BY rowid"))?;
        let keys: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for key in keys {
            let now = row_hash(conn, table, key)?;
            match logged.remove(&(table.to_string(), key)) {
                None | Some((None, _)) => faults.push(Fault {
                    id: 0,
                    problem: format!("{table} row {key} is not in the log (added outside pingshen, or the log was cut)"),
                }),
                Some((Some(h), id)) if Some(&h) != now.as_ref() => faults.push(Fault {
                    id,
                    problem: format!("{table} row {key} differs from what audit row {id} recorded (changed outside pingshen)"),
                }),
                Some(_) => {}
            }
        }
    }
    let mut gone: Vec<_> = logged
        .into_iter()
        .filter(|(_, (hash, _))| hash.is_some())
        .collect();
    gone.sort();
    for ((table, key), (_, id)) in gone {
        faults.push(Fault {
            id,
            problem: format!(
                "{table} row {key}, recorded by audit row {id}, is gone (removed outside pingshen)"
            ),
        });
    }
    Ok(faults)
}

/// Appends an audit row, written at `at` (the caller's clock, as stored), inside the
/// caller's transaction; returns its id.
pub fn append(
    conn: &Connection,
    at: &str,
    actor: &Actor,
    entry: Entry<'_>,
) -> rusqlite::Result<i64> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let before = entry.before.map(|v| v.to_string());
    let after = entry.after.map(|v| v.to_string());
    let rows = take_pending(conn)?;
    let hash = digest(
        &prev,
        id,
        at,
        actor.member_id,
        &actor.name,
        entry.action,
        entry.entity,
        &entry.entity_id,
        before.as_deref(),
        after.as_deref(),
        rows.as_deref(),
    );
    conn.execute(
        "INSERT INTO audit (id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash, rows)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            at,
            actor.member_id,
            actor.name,
            entry.action,
            entry.entity,
            entry.entity_id,
            before,
            after,
            prev,
            hash,
            rows
        ],
    )?;
    Ok(id)
}

/// A break in the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub id: i64,
    pub problem: String,
}

/// The last row of the chain: its id and hash (`None` for an empty log). Written down
/// outside the database (in the minutes of a meeting, say), it is an anchor: a later
/// [`check_anchor`] shows whether any row up to it was removed or changed since —
/// including the last ones, which the chain alone cannot show.
pub fn head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// An anchor as written: `ROW:HASH`, the hash in full or its first 12 or more hex
/// digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub hash: String,
}

impl std::str::FromStr for Anchor {
    type Err = String;

    fn from_str(text: &str) -> Result<Anchor, String> {
        let (id, hash) = text.trim().split_once(':').ok_or_else(|| {
            format!("'{text}': an anchor is ROW:HASH, as `pingshen check` prints it")
        })?;
        let id: i64 = id
            .parse()
            .ok()
            .filter(|i| *i > 0)
            .ok_or_else(|| format!("'{text}': '{id}' is not an audit row number"))?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() < 12 || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "'{text}': the hash must be 12 to 64 hexadecimal digits"
            ));
        }
        Ok(Anchor { id, hash })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.id, self.hash)
    }
}

/// Whether the log still holds the anchored row with the anchored hash; a fault
/// saying what changed otherwise.
pub fn check_anchor(conn: &Connection, anchor: &Anchor) -> rusqlite::Result<Option<Fault>> {
    use rusqlite::OptionalExtension;
    let stored: Option<String> = conn
        .query_row("SELECT hash FROM audit WHERE id = ?1", [anchor.id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match stored {
        Some(h) if h.starts_with(&anchor.hash) => None,
        Some(h) => Some(Fault {
            id: anchor.id,
            problem: format!(
                "the anchor {anchor} does not match: the row's hash is now {}… (a row up to it was changed, removed or inserted)",
                &h[..16.min(h.len())]
            ),
        }),
        None => {
            let last = head(conn)?.map_or(0, |(id, _)| id);
            Some(Fault {
                id: anchor.id,
                problem: format!(
                    "the anchor {anchor} is gone: the log now ends at row {last} (rows were removed, or the anchor's row number is mistyped)"
                ),
            })
        }
    })
}

/// Walks the chain; returns the number of rows checked and every fault found.
pub fn verify(conn: &Connection) -> rusqlite::Result<(usize, Vec<Fault>)> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash, rows
         FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    let mut n = 0;
    let mut faults = Vec::new();
    while let Some(r) = rows.next()? {
        n += 1;
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(9)?;
        let stored_hash: String = r.get(10)?;
        if id != expected_id {
            faults.push(Fault {
                id,
                problem: format!("row {expected_id} is missing (found {id})"),
            });
        }
        if stored_prev != prev {
            faults.push(Fault {
                id,
                problem: "does not follow the previous row's hash (a row before it was changed, removed or inserted)".into(),
            });
        }
        let h = digest(
            &stored_prev,
            id,
            &r.get::<_, String>(1)?,
            r.get(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            &r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?.as_deref(),
            r.get::<_, Option<String>>(8)?.as_deref(),
            r.get::<_, Option<String>>(11)?.as_deref(),
        );
        if h != stored_hash {
            faults.push(Fault {
                id,
                problem: "content does not match its hash (the row was edited)".into(),
            });
        }
        prev = stored_hash;
        expected_id = id + 1;
    }
    Ok((n, faults))
}

#[cfg(test)]
mod anchor_tests {
    use super::*;

    #[test]
    fn anchors_parse_from_what_check_prints() {
        let a: Anchor = "869:3FA2C1D0E4B5aa".parse().unwrap();
        assert_eq!(a.id, 869);
        assert_eq!(a.hash, "3fa2c1d0e4b5aa");
        assert_eq!(a.to_string(), "869:3fa2c1d0e4b5aa");
        for bad in [
            "869",
            "x:3fa2c1d0e4b5",
            "0:3fa2c1d0e4b5",
            "869:3fa2",
            "869:3fa2c1d0e4bz",
        ] {
            assert!(bad.parse::<Anchor>().is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::json;

    fn entry(n: i64) -> Entry<'static> {
        Entry {
            action: "test",
            entity: "thing",
            entity_id: n.to_string(),
            before: None,
            after: Some(json!({ "n": n })),
        }
    }

    fn store_with(n: i64) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        for i in 1..=n {
            store
                .write(|tx| append(tx, "2026-11-26T02:42:05Z", &Actor::system("test"), entry(i)))
                .unwrap();
        }
        store
    }

    #[test]
    fn chain_verifies_and_links_rows() {
        let store = store_with(3);
        assert_eq!(verify(store.conn()).unwrap(), (3, vec![]));
        let (p2, h1): (String, String) = store
            .conn()
            .query_row(
                "SELECT (SELECT prev_hash FROM audit WHERE id=2), (SELECT hash FROM audit WHERE id=1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(p2, h1);
    }

    #[test]
    fn an_edited_row_is_detected() {
        let store = store_with(3);
        store
            .conn()
            .execute("UPDATE audit SET after = '{\"n\":99}' WHERE id = 2", [])
            .unwrap();
        let (_, faults) = verify(store.conn()).unwrap();
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].id, 2);
        assert!(faults[0].problem.contains("edited"));
    }

    #[test]
    fn a_deleted_row_is_detected() {
        let store = store_with(3);
        store
            .conn()
            .execute("DELETE FROM audit WHERE id = 2", [])
            .unwrap();
        let (n, faults) = verify(store.conn()).unwrap();
        assert_eq!(n, 2);
        assert!(faults
            .iter()
            .any(|f| f.id == 3 && f.problem.contains("missing")));
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        let store = store_with(3);
        // Forge row 2 with a fresh self-consistent hash: row 3 no longer follows it.
        store
            .conn()
            .execute("UPDATE audit SET actor = 'mallory' WHERE id = 2", [])
            .unwrap();
        let (at, prev): (String, String) = store
            .conn()
            .query_row("SELECT at, prev_hash FROM audit WHERE id = 2", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let forged = digest(
            &prev,
            2,
            &at,
            None,
            "mallory",
            "test",
            "thing",
            "2",
            None,
            Some("{\"n\":2}"),
            None,
        );
        store
            .conn()
            .execute("UPDATE audit SET hash = ?1 WHERE id = 2", [forged])
            .unwrap();
        let (_, faults) = verify(store.conn()).unwrap();
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].id, 3);
    }
}
