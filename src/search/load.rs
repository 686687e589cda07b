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

/// After bringing a kept index up to date by more than this many persons, it is kept
/// again, so that the changes to read at each start stay few.
const KEEP_AFTER: usize = 1000;

impl SearchIndex {
    /// Builds the index of every person in the database from its tables. The rows are
    /// read through a memory map (about a sixth quicker than copying pages on a
    /// 100,000-person database); the connection's setting is put back afterwards. A
    /// database in memory has no such setting and is read as it is.
    pub fn build(conn: &Connection) -> rusqlite::Result<SearchIndex> {
        persons_read::consistent(conn, SearchIndex::build_now)
    }

    /// [`SearchIndex::build`] inside the caller's read transaction.
    fn build_now(conn: &Connection) -> rusqlite::Result<SearchIndex> {
        let seq = persons_read::changes_since(conn, None)?.map(|c| c.last);
        let count = persons_read::count(conn)?;
        let mut index = SearchIndex::default();
        index.persons.reserve(count as usize);
        index.by_id.reserve(count as usize);
        index.masked_ids.reserve(count as usize * 18);
        persons_read::each(conn, true, |p| index.insert(p))?;
        index.finish();
        index.seq = seq;
        Ok(index)
    }

    /// The index kept with the database, brought up to date with the persons changed
    /// since it was kept; built from the tables when there is none, when it was made by
    /// another version of the search, or when everyone (or a large part) changed. An
    /// index built, or brought up to date by many persons, is kept again when the
    /// connection may write (failing that, it is only slower next time).
    pub fn open(conn: &Connection) -> rusqlite::Result<SearchIndex> {
        let format = super::persist::format();
        let (index, keep, version) = persons_read::consistent(conn, |conn| {
            let stored = persons_read::stored(conn, |s| {
                (s.format == format)
                    .then(|| SearchIndex::decode(s.data).map(|index| (s.seq, index)))
                    .flatten()
            })?
            .flatten();
            let version = persons_read::data_version(conn)?;
            if let Some((seq, mut index)) = stored {
                index.seq = Some(seq);
                if let Some(changed) = index.apply_changes(conn)? {
                    return Ok((index, changed > KEEP_AFTER, version));
                }
            }
            Ok((SearchIndex::build_now(conn)?, true, version))
        })?;
        if let (true, Some(seq)) = (keep, index.seq) {
            // Another connection's write since makes it stale: the next reader keeps one.
            let _ = persons_read::keep(conn, seq, version, &format, &index.encode());
        }
        Ok(index)
    }

    /// Reads again the persons noted as changed since the index's change number;
    /// `None` when that cannot bring it up to date (everyone changed, or so many that
    /// reading everyone is quicker, or the database notes no changes).
    fn apply_changes(&mut self, conn: &Connection) -> rusqlite::Result<Option<usize>> {
        let Some(changes) = persons_read::changes_since(conn, self.seq)? else {
            return Ok(None);
        };
        if changes.everyone || changes.persons.len() > self.len() / 8 + KEEP_AFTER {
            return Ok(None);
        }
        for &id in &changes.persons {
            let found = persons_read::one(conn, id, |p| self.insert(p))?;
            if found.is_none() {
                self.remove(id);
            }
        }
        if !changes.persons.is_empty() {
            self.finish_pools();
        }
        self.seq = Some(changes.last);
        Ok(Some(changes.persons.len()))
    }

    /// Brings the index up to date with the database: the persons the database noted
    /// as changed since the index was read are read again; when it cannot tell, every
    /// person is read again, but only those who changed are indexed again, and those no
    /// longer there removed. Returns how many persons changed (or were read again).
    pub fn sync(&mut self, conn: &Connection) -> rusqlite::Result<usize> {
        persons_read::consistent(conn, |conn| {
            if let Some(changed) = self.apply_changes(conn)? {
                return Ok(changed);
            }
            let last = persons_read::changes_since(conn, None)?.map(|c| c.last);
            let changed = self.sync_all(conn)?;
            self.seq = last;
            Ok(changed)
        })
    }

    fn sync_all(&mut self, conn: &Connection) -> rusqlite::Result<usize> {
        self.index_ids();
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
