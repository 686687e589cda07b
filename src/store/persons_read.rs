//! The persons as the search index reads them: one row per person with their
//! organisation, the stage of their application in the open cycle and whether they
//! hold a valid certificate. The search's only door to the database.

use crate::domain::{Category, Grade, Stage};
use rusqlite::types::Type;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};
use std::path::Path;
use std::time::Duration;

/// A person as read, borrowed from the row or the record.
pub struct PersonRow<'a> {
    pub person_id: i64,
    pub name: &'a str,
    pub id_number: &'a str,
    pub organisation: &'a str,
    pub county: &'a str,
    pub township: &'a str,
    pub position: &'a str,
    pub category: Category,
    pub grade: Option<Grade>,
    pub stage: Option<Stage>,
    pub certified: bool,
}

/// How much of the database file a build may map (SQLite caps it at its own limit).
const MMAP_SIZE: i64 = 1 << 30;

const SELECT: &str = "
    SELECT p.id, p.name, p.id_number, o.name, o.county, o.township, p.position,
           p.category, p.current_grade, a.stage,
           p.current_grade IS NOT NULL OR c.person_id IS NOT NULL
    FROM persons p
    JOIN organisations o ON o.id = p.org_id
    LEFT JOIN applications a ON a.person_id = p.id AND a.cycle_id =
        (SELECT id FROM cycles WHERE status = 'open' ORDER BY year DESC, id DESC LIMIT 1)
    LEFT JOIN (SELECT DISTINCT person_id FROM certificates WHERE status = 'valid') c
        ON c.person_id = p.id";

/// A row of [`SELECT`], borrowed.
fn person<'r>(r: &'r Row) -> rusqlite::Result<PersonRow<'r>> {
    let text = |i: usize| -> rusqlite::Result<&'r str> {
        r.get_ref(i)?
            .as_str()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
    };
    let coded = |i: usize| -> rusqlite::Result<Option<&'r str>> {
        r.get_ref(i)?
            .as_str_or_null()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
    };
    Ok(PersonRow {
        person_id: r.get(0)?,
        name: text(1)?,
        id_number: text(2)?,
        organisation: text(3)?,
        county: text(4)?,
        township: text(5)?,
        position: text(6)?,
        category: coded(7)?
            .and_then(Category::parse)
            .unwrap_or(Category::Secretary),
        grade: coded(8)?.and_then(Grade::parse),
        stage: coded(9)?.and_then(Stage::parse),
        certified: r.get(10)?,
    })
}

/// Runs `read` with the database file memory-mapped, then puts the connection's
/// setting back. A database in memory has no such setting and is read as it is.
fn mapped<T>(
    conn: &Connection,
    read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let mmap: Option<i64> = conn
        .pragma_query_value(None, "mmap_size", |r| r.get(0))
        .optional()?;
    let Some(mmap) = mmap else {
        return read(conn);
    };
    conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    let done = read(conn);
    conn.pragma_update(None, "mmap_size", mmap)?;
    done
}

/// How many persons there are.
pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
}

/// Every person, in the order of their ids when `ordered`, each given to `each`
/// (read with the database mapped into memory where it can be).
pub fn each(
    conn: &Connection,
    ordered: bool,
    mut each: impl FnMut(PersonRow<'_>),
) -> rusqlite::Result<()> {
    mapped(conn, |conn| {
        let sql = if ordered {
            format!("{SELECT} ORDER BY p.id")
        } else {
            SELECT.to_string()
        };
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(person(row)?);
        }
        Ok(())
    })
}

/// One person, given to `read`; `None` when there is no such person.
pub fn one<T>(
    conn: &Connection,
    person_id: i64,
    read: impl FnOnce(PersonRow<'_>) -> T,
) -> rusqlite::Result<Option<T>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE p.id = ?1"))?;
    stmt.query_row([person_id], |r| person(r).map(read))
        .optional()
}

/// A connection of the search's own: it only reads, and waits out a writer.
pub fn reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// The index kept with the database (see `migrations/008_search_index.sql`).
pub struct Stored<'a> {
    /// The last change of `search_changes` it holds.
    pub seq: i64,
    pub format: &'a str,
    pub data: &'a [u8],
}

/// Runs `read` inside one read transaction (or the caller's, if one is open), so that
/// everything it reads is one state of the database.
pub fn consistent<T>(
    conn: &Connection,
    read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    if !conn.is_autocommit() {
        return read(conn);
    }
    let tx = conn.unchecked_transaction()?;
    let done = read(&tx);
    tx.finish()?;
    done
}

/// Gives the stored index to `read`; `None` when there is none, or the database
/// has no place for one.
pub fn stored<T>(
    conn: &Connection,
    read: impl FnOnce(Stored<'_>) -> T,
) -> rusqlite::Result<Option<T>> {
    if !has_changes_table(conn)? {
        return Ok(None);
    }
    conn.query_row(
        "SELECT seq, format, data FROM search_index WHERE id = 1",
        [],
        |r| {
            let format = r.get_ref(1)?.as_str()?;
            let data = r.get_ref(2)?.as_blob()?;
            Ok(read(Stored {
                seq: r.get(0)?,
                format,
                data,
            }))
        },
    )
    .optional()
}

fn has_changes_table(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_changes'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// What changed for the search since a change number.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    /// The persons changed (added, altered or removed), ascending, each once.
    pub persons: Vec<i64>,
    /// Everyone may have changed (a cycle opened or closed, a bulk write).
    pub everyone: bool,
    /// The number of the last change noted.
    pub last: i64,
}

/// The changes noted after `seq` (all of them when `seq` is `None`); `None` when the
/// database does not note changes.
pub fn changes_since(conn: &Connection, seq: Option<i64>) -> rusqlite::Result<Option<Changes>> {
    if !has_changes_table(conn)? {
        return Ok(None);
    }
    let last: i64 = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let Some(seq) = seq else {
        return Ok(Some(Changes {
            persons: Vec::new(),
            everyone: true,
            last,
        }));
    };
    // While everyone is noted as changed, no single person is: whatever the index
    // holds, the changes after it are not all there.
    let everyone: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)",
        [],
        |r| r.get(0),
    )?;
    let mut persons = Vec::new();
    if !everyone {
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT person_id FROM search_changes WHERE seq > ?1 ORDER BY 1",
        )?;
        let mut rows = stmt.query([seq])?;
        while let Some(r) = rows.next()? {
            persons.push(r.get(0)?);
        }
    }
    Ok(Some(Changes {
        persons,
        everyone,
        last,
    }))
}

/// A number that changes when another connection commits (read inside a read
/// transaction: the state that transaction sees).
pub fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "data_version", |r| r.get(0))
}

/// Keeps an index with the database, as of change `seq`, if nothing was committed by
/// another connection since `version` was read (then it would be stale already, and a
/// later reader keeps one); forgets the changes it holds. Writes even on a connection
/// otherwise kept to reading (the search thread's). Returns whether it was kept.
pub fn keep(
    conn: &Connection,
    seq: i64,
    version: i64,
    format: &str,
    data: &[u8],
) -> rusqlite::Result<bool> {
    if !has_changes_table(conn)? || !conn.is_autocommit() {
        return Ok(false);
    }
    let query_only: bool = conn.pragma_query_value(None, "query_only", |r| r.get(0))?;
    conn.pragma_update(None, "query_only", false)?;
    let kept = (|| {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let now = changes_since(&tx, Some(seq))?.map(|c| c.last);
        if data_version(&tx)? != version || now != Some(seq) {
            return Ok(false);
        }
        tx.execute(
            "INSERT OR REPLACE INTO search_index (id, seq, format, data) VALUES (1, ?1, ?2, ?3)",
            rusqlite::params![seq, format, data],
        )?;
        tx.execute("DELETE FROM search_changes WHERE seq <= ?1", [seq])?;
        tx.commit()?;
        Ok(true)
    })();
    conn.pragma_update(None, "query_only", query_only)?;
    kept
}

/// Notes that everyone is to be read again by the search (before a bulk write, so that
/// its rows are not noted one by one).
pub fn everyone_changed(conn: &Connection) -> rusqlite::Result<()> {
    if has_changes_table(conn)? {
        conn.execute(
            "INSERT INTO search_changes (person_id) SELECT 0
             WHERE NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)",
            [],
        )?;
    }
    Ok(())
}
