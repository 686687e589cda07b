//! Reading persons from the database into the index: the only I/O of the search.

use super::SearchIndex;
use crate::domain::{Category, Grade, Stage};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row};

/// What the index keeps of a person. The ID number is masked on the way in.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub person_id: i64,
    pub name: String,
    /// The resident ID number; only its mask (`crate::domain::ids::mask`) is kept.
    pub id_number: String,
    pub organisation: String,
    pub county: String,
    pub township: String,
    pub position: String,
    pub category: Category,
    /// Current grade, if any.
    pub grade: Option<Grade>,
    /// Stage of the person's application in the newest open cycle, if any.
    pub stage: Option<Stage>,
    /// Holds a grade or a valid certificate.
    pub certified: bool,
}

/// A person as read, borrowed from the row or the record.
pub(super) struct PersonRef<'a> {
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

impl PersonRecord {
    /// Reads one person from the database; `None` when there is no such person.
    pub fn load(conn: &Connection, person_id: i64) -> rusqlite::Result<Option<PersonRecord>> {
        conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [person_id], record)
            .optional()
    }

    pub(super) fn as_ref(&self) -> PersonRef<'_> {
        PersonRef {
            person_id: self.person_id,
            name: &self.name,
            id_number: &self.id_number,
            organisation: &self.organisation,
            county: &self.county,
            township: &self.township,
            position: &self.position,
            category: self.category,
            grade: self.grade,
            stage: self.stage,
            certified: self.certified,
        }
    }
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
fn person<'r>(r: &'r Row) -> rusqlite::Result<PersonRef<'r>> {
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
    Ok(PersonRef {
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

fn record(r: &Row) -> rusqlite::Result<PersonRecord> {
    let p = person(r)?;
    Ok(PersonRecord {
        person_id: p.person_id,
        name: p.name.into(),
        id_number: p.id_number.into(),
        organisation: p.organisation.into(),
        county: p.county.into(),
        township: p.township.into(),
        position: p.position.into(),
        category: p.category,
        grade: p.grade,
        stage: p.stage,
        certified: p.certified,
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

impl SearchIndex {
    /// Builds the index of every person in the database. The rows are read through a
    /// memory map (about a sixth quicker than copying pages on a 100,000-person
    /// database); the connection's setting is put back afterwards. A database in
    /// memory has no such setting and is read as it is.
    pub fn build(conn: &Connection) -> rusqlite::Result<SearchIndex> {
        mapped(conn, SearchIndex::read)
    }

    fn read(conn: &Connection) -> rusqlite::Result<SearchIndex> {
        let count: i64 = conn.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))?;
        let mut index = SearchIndex::default();
        index.persons.reserve(count as usize);
        index.by_id.reserve(count as usize);
        index.masked_ids.reserve(count as usize * 18);
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY p.id"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            index.insert(person(row)?);
        }
        index.finish();
        Ok(index)
    }

    /// Brings the index up to date with the database: every person is read again, but
    /// only those who changed are indexed again, and those no longer there removed.
    /// Returns how many persons changed.
    pub fn sync(&mut self, conn: &Connection) -> rusqlite::Result<usize> {
        mapped(conn, |conn| self.sync_from(conn))
    }

    fn sync_from(&mut self, conn: &Connection) -> rusqlite::Result<usize> {
        let mut seen = rustc_hash::FxHashSet::default();
        seen.reserve(self.len());
        let mut changed = 0;
        let read = self.sync_rows(conn, &mut seen, &mut changed);
        // Whatever was inserted before a failure still gets its haystacks, so that it
        // can be found (a later sync sees it as unchanged).
        if changed > 0 {
            self.finish_pools();
        }
        read?;
        let gone: Vec<i64> = self.person_ids().filter(|id| !seen.contains(id)).collect();
        for id in gone {
            self.remove(id);
            changed += 1;
        }
        Ok(changed)
    }

    fn sync_rows(
        &mut self,
        conn: &Connection,
        seen: &mut rustc_hash::FxHashSet<i64>,
        changed: &mut usize,
    ) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(SELECT)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let p = person(row)?;
            seen.insert(p.person_id);
            if !self.holds(&p) {
                self.insert(p);
                *changed += 1;
            }
        }
        Ok(())
    }

    /// Re-reads one person after a change: updated, or removed when no longer in the
    /// database.
    pub fn refresh(&mut self, conn: &Connection, person_id: i64) -> rusqlite::Result<()> {
        match PersonRecord::load(conn, person_id)? {
            Some(r) => self.upsert(r),
            None => {
                self.remove(person_id);
            }
        }
        Ok(())
    }
}
