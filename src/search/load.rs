//! Reading persons from the database into the index: the only I/O of the search.

use super::SearchIndex;
use crate::domain::{Category, Grade, Stage};
use crate::store::persons_read;
use rusqlite::Connection;

/// A person as read, borrowing the row's text.
pub(super) type PersonRef<'a> = persons_read::PersonRow<'a>;

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

impl PersonRecord {
    /// Reads one person from the database; `None` when there is no such person.
    pub fn load(conn: &Connection, person_id: i64) -> rusqlite::Result<Option<PersonRecord>> {
        persons_read::one(conn, person_id, |p| record(&p))
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

fn record(p: &PersonRef) -> PersonRecord {
    PersonRecord {
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
    }
}

impl SearchIndex {
    /// Builds the index of every person in the database. The rows are read through a
    /// memory map (about a sixth quicker than copying pages on a 100,000-person
    /// database); the connection's setting is put back afterwards. A database in
    /// memory has no such setting and is read as it is.
    pub fn build(conn: &Connection) -> rusqlite::Result<SearchIndex> {
        let count = persons_read::count(conn)?;
        let mut index = SearchIndex::default();
        index.persons.reserve(count as usize);
        index.by_id.reserve(count as usize);
        index.masked_ids.reserve(count as usize * 18);
        persons_read::each(conn, true, |p| index.insert(p))?;
        index.finish();
        Ok(index)
    }

    /// Brings the index up to date with the database: every person is read again, but
    /// only those who changed are indexed again, and those no longer there removed.
    /// Returns how many persons changed.
    pub fn sync(&mut self, conn: &Connection) -> rusqlite::Result<usize> {
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
        persons_read::each(conn, false, |p| {
            seen.insert(p.person_id);
            if !self.holds(&p) {
                self.insert(p);
                *changed += 1;
            }
        })
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
