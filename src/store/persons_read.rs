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
    conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [person_id], |r| {
        person(r).map(read)
    })
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
