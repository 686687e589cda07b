//! The index as bytes, to be kept with the database: its pools of texts with their
//! haystacks and masks, and its persons. Reading it back is copying, not working out
//! readings again nor joining tables.
//!
//! Layout (little-endian): the five pools, each its entry count then per entry the
//! text, the haystack (each a `u32` length and UTF-8 bytes) and the three masks
//! (`u64`), then its order (`u32` per entry); then the person count and per person the
//! id (`i64`), the five pool ids (`u32`), category, grade and stage (`u8`, the place in
//! their `ALL` lists, 0 for none), certified (`u8`), and the masked ID number as the
//! count of its `*`s (`u8`) and its visible tail (a `u8` length and bytes).

use super::{Entry, Person, Pool, SearchIndex};
use crate::domain::{Category, Grade, Stage};
use std::hash::{Hash, Hasher};

/// What the bytes were made by: the encoding, the program and the reading tables. An
/// index kept in another format is built again.
pub(super) fn format() -> String {
    let mut h = rustc_hash::FxHasher::default();
    for table in [
        include_str!("surnames.txt"),
        include_str!("words.txt"),
        include_str!("usual.txt"),
    ] {
        table.hash(&mut h);
    }
    format!(
        "pingshen-search-1 {} {:016x}",
        env!("CARGO_PKG_VERSION"),
        h.finish()
    )
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

/// The place of a value in its list, plus one (0 for none).
fn place<T: PartialEq>(all: &[T], v: Option<&T>) -> u8 {
    v.and_then(|v| all.iter().position(|x| x == v))
        .map_or(0, |i| i as u8 + 1)
}

fn at<T: Copy>(all: &[T], code: u8) -> Option<Option<T>> {
    match code {
        0 => Some(None),
        n => all.get(n as usize - 1).copied().map(Some),
    }
}

impl SearchIndex {
    /// The index as bytes (see the module documentation).
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.heap_bytes()));
        for pool in self.pools() {
            w.u32(pool.entries.len() as u32);
            for e in &pool.entries {
                w.str(&e.text);
                w.str(&e.hay);
                w.u64(e.mask);
                w.u64(e.initials);
                w.u64(e.lead);
            }
            for id in 0..pool.entries.len() {
                w.u32(pool.order.get(id).copied().unwrap_or(u32::MAX));
            }
        }
        w.u32(self.persons.len() as u32);
        for p in &self.persons {
            w.u64(p.id as u64);
            for id in [p.name, p.org, p.position, p.county, p.township] {
                w.u32(id);
            }
            w.u8(place(Category::ALL, Some(&p.category)));
            w.u8(place(Grade::ALL, p.grade.as_ref()));
            w.u8(place(&Stage::ALL, p.stage.as_ref()));
            w.u8(u8::from(p.certified));
            let masked = self.masked_id(p);
            let tail = masked.trim_start_matches('*');
            w.u8((masked.len() - tail.len()).min(255) as u8);
            w.u8(tail.len().min(255) as u8);
            w.0.extend_from_slice(&tail.as_bytes()[..tail.len().min(255)]);
        }
        w.0
    }

    /// The index the bytes hold; `None` when they are not an index.
    pub(super) fn decode(bytes: &[u8]) -> Option<SearchIndex> {
        let mut r = Reader(bytes);
        let mut index = SearchIndex::default();
        for pool in index.pools_mut() {
            decode_pool(&mut r, pool)?;
        }
        let n = r.u32()? as usize;
        index.persons.reserve_exact(n);
        index.masked_ids.reserve_exact(n * 18);
        for _ in 0..n {
            let id = r.u64()? as i64;
            let mut ids = [0u32; 5];
            for v in &mut ids {
                *v = r.u32()?;
            }
            let category = at(Category::ALL, r.u8()?)??;
            let grade = at(Grade::ALL, r.u8()?)?;
            let stage = at(&Stage::ALL, r.u8()?)?;
            let certified = r.u8()? != 0;
            let stars = r.u8()? as usize;
            let tail_len = r.u8()? as usize;
            let tail = std::str::from_utf8(r.take(tail_len)?).ok()?;
            let masked_at = index.masked_ids.len() as u32;
            index.masked_ids.extend(std::iter::repeat_n('*', stars));
            index.masked_ids.push_str(tail);
            let pools = index.pools();
            if ids
                .iter()
                .zip(pools)
                .any(|(&id, pool)| id as usize >= pool.len())
            {
                return None;
            }
            index.persons.push(Person {
                id,
                name: ids[0],
                org: ids[1],
                position: ids[2],
                county: ids[3],
                township: ids[4],
                masked_at,
                masked_end: index.masked_ids.len() as u32,
                category,
                grade,
                stage,
                certified,
            });
        }
        r.0.is_empty().then_some(index)
    }
}

fn decode_pool(r: &mut Reader, pool: &mut Pool) -> Option<()> {
    let n = r.u32()? as usize;
    pool.entries.reserve_exact(n);
    for _ in 0..n {
        let text = r.str()?.into();
        let hay = r.str()?.into();
        pool.entries.push(Entry {
            text,
            hay,
            mask: r.u64()?,
            initials: r.u64()?,
            lead: r.u64()?,
        });
    }
    pool.order = (0..n).map(|_| r.u32()).collect::<Option<Vec<u32>>>()?;
    pool.pending = n;
    Some(())
}
