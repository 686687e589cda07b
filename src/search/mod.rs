//! Search over personnel files: an in-memory index of every person, matched by Hanzi,
//! full pinyin, initials and mixes of them, with filters, ranking and highlights.
//!
//! # Use
//!
//! ```no_run
//! use pingshen::search::{SearchIndex, SearchWorker};
//! # fn demo(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
//! // Headless, one query at a time (the command line):
//! let index = SearchIndex::build(conn)?;
//! let results = index.search("grade:senior zw", 20).expect("a valid query");
//! for hit in &results.hits {
//!     println!("{} {} {}", hit.name, hit.organisation, hit.masked_id);
//! }
//!
//! // Interactive, one search per keystroke (the app): searches run on a worker
//! // thread; a newer keystroke cancels the search still running.
//! let worker = SearchWorker::spawn(index);
//! let ticket = worker.search("zw", 50);
//! if let Some(reply) = worker.recv_timeout(std::time::Duration::from_millis(100)) {
//!     if reply.ticket == ticket {
//!         let _ = reply.outcome; // Ok(Results) to list, or Err(QueryError) to show
//!     }
//! }
//! // After a change to person 42 (a stage, a grade, a move):
//! worker.refresh(conn, 42)?;
//! # Ok(()) }
//! ```
//!
//! - [`SearchIndex::open`] takes the index kept with the database (its texts, their
//!   readings and its persons, as bytes) and reads again only the persons the
//!   database's triggers noted as changed since; it builds the index from the tables
//!   when there is none yet (or everyone changed) and keeps what it built.
//!   [`SearchIndex::build`] always reads every person from the tables.
//!   [`SearchIndex::sync`] brings an index up to date in proportion to what changed.
//!   [`SearchIndex::refresh`] re-reads one person after a
//!   change; [`SearchIndex::upsert`] and [`SearchIndex::remove`] take the change
//!   directly ([`PersonRecord::load`] reads one person).
//! - [`SearchIndex::search`] runs one query. A [`Session`] remembers the last query
//!   and, when the next one only grows, starts from its matches; the results are the
//!   same either way.
//! - [`SearchWorker`] owns an index and a session on a thread of its own.
//!   [`SearchWorker::search`] returns a ticket and cancels the search before it;
//!   [`SearchWorker::try_recv`] (for an event loop's poll) and
//!   [`SearchWorker::recv_timeout`] give the newest [`Reply`], with the ticket and the
//!   text it answers (drop replies whose ticket is not the last one asked for).
//!   [`SearchWorker::refresh`], [`SearchWorker::upsert`], [`SearchWorker::remove`] and
//!   [`SearchWorker::replace`] change its index before the next search.
//! - A [`Hit`] carries the fields to show, the rank ([`MatchKind`]) and the score, and
//!   the matched characters of each field as character indices ([`Highlights`]);
//!   display widths of Chinese characters are the interface's business. ID numbers
//!   only ever enter the index masked ([`crate::domain::ids::mask`]): the visible last
//!   four characters are all that can be searched or shown.
//! - [`QueryError`] names an unknown filter or value, in English (`Display`) or in
//!   Chinese ([`QueryError::zh`]).
//!
//! # Query
//!
//! Words are separated by spaces; every word must be found in a field — the name, the
//! organisation, the position, the county or the township — or, digits and `x` only,
//! in the visible tail of the ID number. A word is found when characters of the field,
//! in order and skipping any, spell it: each character by itself, by one of its
//! readings, or by the first letters of one (`张伟`, `zhangwei`, `zw`, `张w`, `zhangw`,
//! `zhw`; `njrj` for 南京…软件…). A spelling starts at the start of a syllable, so `ag`
//! does not find 张. Polyphonic characters count under every reading, except where a
//! table fixes it: common words of organisations, positions and places (重庆
//! Chongqing, 长沙 Changsha, 银行 yinhang; `words.txt`). A reading is *usual* — the
//! dictionary's first, those of `usual.txt` for characters read several ways in common
//! use (乐 le/yue, 长 chang/zhang), a surname's at the start of a name (单 Shan, 曾
//! Zeng, 尉迟 Yuchi, …; `surnames.txt`) — or *rare* (浩 gao, 立 wei, and a surname's
//! other readings, 区 qu for the surname Ou): a rare reading still finds a person, but
//! only a spelling by usual readings reaches the exact, prefix and start ranks, so a
//! misreading of a surname (`quzhiming` for 区志明) comes after the true readers.
//!
//! Filters, `key:value` (a Chinese colon works too), narrow the set before matching:
//! `grade:` (初级/junior … 特级/special, none/无), `stage:` (the application in the
//! newest open cycle: declaration/个人申报 … certified/已认证, or the stage number,
//! none/无), `county:` (part of the county's name, its pinyin or initials: `玄武`,
//! `xuanwu`, `xw`), `cat:` (secretary/党组织书记, staff, instructor), `cert:` (yes/是,
//! no/否: holds a grade or a valid certificate). English values may be shortened while
//! unambiguous (`grade:sen`). An unknown filter or value is a [`QueryError`].
//!
//! Ranking, by [`MatchKind`] first: names spelled whole (`zhangwei`, `zw`, `张伟`, or
//! the words run together: `zhang w`), names spelled from their start (`zhang`), other
//! fields spelled from their start (`njrj` for 南京软件…, `xuanwu` for 玄武区), the
//! rest. Then by score: each word spelling a field from its start counts 32 a
//! character (at least what the matcher can give it), any other word the score of
//! fuzzy-matcher's SkimMatcherV2 in the name if the name spells it, otherwise in the
//! field where it scores best. Then by name in pinyin order, then by person id.
//!
//! # How it stays fast
//!
//! Names, organisations, positions, counties and townships are pooled, so each distinct
//! text is tested once per query however many persons share it. Each text carries
//! 64-bit masks of its characters and of the characters a spelling can start at, which
//! turn most texts down before the spelling is tried (a one-letter word needs nothing
//! more). A query that only grows starts from the last query's matches and spellings.
//! The matcher runs only where the score decides something: not for words spelled
//! from a start, and not for ranks that cannot reach the first N, which a heap keeps.
//! Each step is cut into pieces for rayon's work-stealing pool, so that both cores work
//! when both are free and a busy core holds nothing up; and every loop checks a
//! generation counter, so that a newer keystroke stops a search at once.

mod load;
mod par;
mod persist;
mod query;
mod reading;
mod run;
mod session;
mod worker;

pub use load::PersonRecord;
pub use query::{Query, QueryError};
pub use reading::MatchKind;
pub use session::{Cancel, Generation, Highlights, Hit, Results, Scorer, Session, Skim, Tuning};
pub use worker::{Reply, SearchWorker};

/// The key that puts persons' names in dictionary order: by pinyin, syllable by
/// syllable, surnames read as surnames (曾 zeng, 单 shan); then the text itself.
pub fn name_order(name: &str) -> String {
    order(name, reading::Field::Name)
}

/// The key that puts other texts (organisations, places) in dictionary order.
pub fn text_order(text: &str) -> String {
    order(text, reading::Field::Text)
}

fn order(text: &str, field: reading::Field) -> String {
    let hay = reading::Readings::default().haystack(text, field);
    let mut key = reading::sort_key(&hay);
    // Same readings: the characters decide, so the order is total.
    key.push('\u{0}');
    key.push_str(text);
    key
}

use crate::domain::{Category, Grade, Stage};
use load::PersonRef;
use reading::{char_mask, initials_mask, lead_mask, Field, Readings};
use rustc_hash::FxHashMap as HashMap;

/// Distinct texts of one kind (names, organisations, …), each with its haystack.
#[derive(Default)]
struct Pool {
    field: Option<Field>,
    entries: Vec<Entry>,
    lookup: HashMap<Box<str>, u32>,
    /// Entries from here on have no haystack yet (see [`Pool::finish`]).
    pending: usize,
    /// Each text's place in the order of [`reading::sort_key`] and text (`u32::MAX`
    /// for texts added since the order was taken): comparing two numbers is quicker
    /// than two names.
    order: Vec<u32>,
}

#[derive(Default)]
struct Entry {
    text: Box<str>,
    /// The interleaved haystack (text and readings).
    hay: Box<str>,
    /// Mask of the haystack's characters.
    mask: u64,
    /// Mask of the characters a spelling can start at.
    initials: u64,
    /// Mask of the characters a spelling from the start can start with.
    lead: u64,
}

impl Entry {
    fn new(text: &str, field: Field, readings: &mut Readings) -> Entry {
        let hay = readings.haystack(text, field);
        Entry {
            text: text.into(),
            mask: char_mask(&hay),
            initials: initials_mask(&hay),
            lead: lead_mask(&hay),
            hay: hay.into_boxed_str(),
        }
    }
}

impl Pool {
    fn new(field: Field) -> Pool {
        Pool {
            field: Some(field),
            ..Pool::default()
        }
    }

    /// The id of a text, added when new; its haystack waits for [`Pool::finish`].
    fn intern(&mut self, text: &str) -> u32 {
        if self.lookup.len() != self.entries.len() {
            // Read back from bytes: the lookup is made when first needed.
            self.lookup = (0..self.entries.len() as u32)
                .map(|id| (self.entries[id as usize].text.clone(), id))
                .collect();
        }
        if let Some(&id) = self.lookup.get(text) {
            return id;
        }
        let id = self.entries.len() as u32;
        self.entries.push(Entry {
            text: text.into(),
            ..Entry::default()
        });
        self.lookup.insert(text.into(), id);
        self.order.push(u32::MAX);
        id
    }

    /// Works out the haystacks of the texts added since the last call, split over
    /// the cores.
    fn finish(&mut self) {
        let field = self.field.unwrap_or(Field::Text);
        let fresh = &mut self.entries[self.pending..];
        par::split_mut(fresh, 1, 0, |_, run| {
            let mut readings = Readings::default();
            for e in run {
                *e = Entry::new(&e.text, field, &mut readings);
            }
            true
        });
        self.pending = self.entries.len();
    }

    /// Takes the order of all texts.
    fn sort(&mut self) {
        let mut keyed: Vec<(String, &str, u32)> = (0..self.entries.len() as u32)
            .map(|id| {
                let e = &self.entries[id as usize];
                (reading::sort_key(&e.hay), &*e.text, id)
            })
            .collect();
        keyed.sort_unstable();
        let order: Vec<u32> = keyed.iter().map(|&(_, _, id)| id).collect();
        for (place, id) in order.into_iter().enumerate() {
            self.order[id as usize] = place as u32;
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn text(&self, id: u32) -> &str {
        &self.entries[id as usize].text
    }

    fn heap_bytes(&self) -> usize {
        let entries = self.entries.capacity() * std::mem::size_of::<Entry>()
            + self
                .entries
                .iter()
                .map(|e| e.text.len() + e.hay.len())
                .sum::<usize>();
        let lookup = self.lookup.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 1)
            + self.lookup.keys().map(|k| k.len()).sum::<usize>();
        entries + lookup + self.order.capacity() * 4
    }
}

/// One person in the index: pool ids of the texts and the filter fields.
struct Person {
    id: i64,
    name: u32,
    org: u32,
    position: u32,
    county: u32,
    township: u32,
    /// Start of the masked ID number in `SearchIndex::masked_ids`.
    masked_at: u32,
    masked_end: u32,
    category: Category,
    grade: Option<Grade>,
    stage: Option<Stage>,
    certified: bool,
}

/// The in-memory search index over persons. See the module documentation.
pub struct SearchIndex {
    persons: Vec<Person>,
    /// Where each person is in `persons`; made when first needed after the index was
    /// read back from bytes (complete when it has an entry per person).
    by_id: HashMap<i64, u32>,
    names: Pool,
    orgs: Pool,
    positions: Pool,
    counties: Pool,
    townships: Pool,
    /// Masked ID numbers, one after another (an update appends).
    masked_ids: String,
    /// Changes with every update, so that a session never narrows across one.
    version: u64,
    /// The last change noted by the database that the index holds (`None` when it was
    /// not read from a database that notes them).
    seq: Option<i64>,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            persons: Vec::new(),
            by_id: HashMap::default(),
            names: Pool::new(Field::Name),
            orgs: Pool::new(Field::Text),
            positions: Pool::new(Field::Text),
            counties: Pool::new(Field::Text),
            townships: Pool::new(Field::Text),
            masked_ids: String::new(),
            version: 0,
            seq: None,
        }
    }
}

impl SearchIndex {
    /// An index of the given persons.
    pub fn from_records(records: impl IntoIterator<Item = PersonRecord>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for r in records {
            index.insert(r.as_ref());
        }
        index.finish();
        index
    }

    /// Adds a person, or replaces the one with the same person id.
    pub fn upsert(&mut self, record: PersonRecord) {
        self.insert(record.as_ref());
        self.finish_pools();
    }

    /// Adds or replaces a person; the haystacks of new texts wait for
    /// [`SearchIndex::finish`].
    fn insert(&mut self, r: PersonRef) {
        let masked = crate::domain::ids::mask(r.id_number);
        let person = Person {
            id: r.person_id,
            name: self.names.intern(r.name),
            org: self.orgs.intern(r.organisation),
            position: self.positions.intern(r.position),
            county: self.counties.intern(r.county),
            township: self.townships.intern(r.township),
            masked_at: self.masked_ids.len() as u32,
            masked_end: (self.masked_ids.len() + masked.len()) as u32,
            category: r.category,
            grade: r.grade,
            stage: r.stage,
            certified: r.certified,
        };
        self.masked_ids.push_str(&masked);
        self.index_ids();
        match self.by_id.get(&r.person_id) {
            Some(&at) => self.persons[at as usize] = person,
            None => {
                self.by_id.insert(r.person_id, self.persons.len() as u32);
                self.persons.push(person);
            }
        }
        self.version += 1;
    }

    /// Makes the map from person ids to places, if it is not complete.
    fn index_ids(&mut self) {
        if self.by_id.len() != self.persons.len() {
            self.by_id = (0..self.persons.len() as u32)
                .map(|at| (self.persons[at as usize].id, at))
                .collect();
        }
    }

    fn pools(&self) -> [&Pool; 5] {
        [
            &self.names,
            &self.orgs,
            &self.positions,
            &self.counties,
            &self.townships,
        ]
    }

    fn pools_mut(&mut self) -> [&mut Pool; 5] {
        [
            &mut self.names,
            &mut self.orgs,
            &mut self.positions,
            &mut self.counties,
            &mut self.townships,
        ]
    }

    fn finish_pools(&mut self) {
        for pool in self.pools_mut() {
            pool.finish();
        }
    }

    /// After a bulk load: the haystacks, the order of names, and no spare capacity.
    fn finish(&mut self) {
        self.finish_pools();
        self.names.sort();
        self.persons.shrink_to_fit();
        self.masked_ids.shrink_to_fit();
        for pool in self.pools_mut() {
            pool.entries.shrink_to_fit();
        }
    }

    /// Whether the index holds this person exactly as read.
    fn holds(&self, r: &PersonRef) -> bool {
        let Some(&at) = self.by_id.get(&r.person_id) else {
            return false;
        };
        let p = &self.persons[at as usize];
        self.names.text(p.name) == r.name
            && self.orgs.text(p.org) == r.organisation
            && self.positions.text(p.position) == r.position
            && self.counties.text(p.county) == r.county
            && self.townships.text(p.township) == r.township
            && self.masked_id(p) == crate::domain::ids::mask(r.id_number)
            && (p.category, p.grade, p.stage, p.certified)
                == (r.category, r.grade, r.stage, r.certified)
    }

    fn person_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.persons.iter().map(|p| p.id)
    }

    /// Removes a person; false when the index did not hold them.
    pub fn remove(&mut self, person_id: i64) -> bool {
        self.index_ids();
        let Some(at) = self.by_id.remove(&person_id) else {
            return false;
        };
        self.persons.swap_remove(at as usize);
        if let Some(moved) = self.persons.get(at as usize) {
            self.by_id.insert(moved.id, at);
        }
        self.version += 1;
        true
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.persons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    /// Whether the index holds this person.
    pub fn contains(&self, person_id: i64) -> bool {
        if self.by_id.len() == self.persons.len() {
            self.by_id.contains_key(&person_id)
        } else {
            self.persons.iter().any(|p| p.id == person_id)
        }
    }

    /// Bytes the index holds on the heap, computed from the capacities of its vectors,
    /// strings and maps (a lower bound: the allocator's own overhead is not counted).
    pub fn heap_bytes(&self) -> usize {
        self.persons.capacity() * std::mem::size_of::<Person>()
            + self.by_id.capacity() * (std::mem::size_of::<(i64, u32)>() + 1)
            + self.pools().iter().map(|p| p.heap_bytes()).sum::<usize>()
            + self.masked_ids.capacity()
    }

    fn masked_id(&self, p: &Person) -> &str {
        &self.masked_ids[p.masked_at as usize..p.masked_end as usize]
    }

    /// Parses a query against this index (county names are resolved here).
    pub fn parse(&self, text: &str) -> Result<Query, QueryError> {
        query::parse(text, |value| self.counties_named(value))
    }

    /// Ids of the counties whose name contains `value` or is spelled from its start by
    /// it (`玄武`, `xuanwu`, `xw`); the list of counties when none is.
    fn counties_named(&self, value: &str) -> Result<Vec<u32>, String> {
        let found: Vec<u32> = (0..self.counties.len() as u32)
            .filter(|&id| {
                let e = &self.counties.entries[id as usize];
                !e.text.is_empty()
                    && (e.text.contains(value)
                        || reading::name_match(&e.hay, value) >= MatchKind::Prefix)
            })
            .collect();
        if found.is_empty() {
            let mut all: Vec<&str> = self
                .counties
                .entries
                .iter()
                .map(|e| &*e.text)
                .filter(|t| !t.is_empty())
                .collect();
            all.sort_unstable();
            Err(all.join(", "))
        } else {
            Ok(found)
        }
    }
}
