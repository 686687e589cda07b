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
    hex::encode(h.finalize())
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
    );
    conn.execute(
        "INSERT INTO audit (id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
            hash
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
        "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash
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
