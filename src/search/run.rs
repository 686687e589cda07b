//! Running a query over the index; the steps are listed at [`SearchIndex::run`].

use super::par::{split, split_mut};
use super::query::{Filter, Query, Term};
use super::reading::{is_subsequence, sort_key, spelling, spells, usual_match, MatchKind};
use super::session::{Cancel, Highlights, Hit, Results, Scorer, Tuning};
use super::{Person, Pool, SearchIndex};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// What a running search needs besides the query.
pub(super) struct Ctx<'a> {
    pub scorer: &'a dyn Scorer,
    pub cancel: &'a Cancel,
    pub tuning: Tuning,
}

/// What a query that only grew can take from the previous one: its matches (a superset
/// of the new ones) and which terms spelled each text — the same for the terms before
/// `same`; the grown term `same` can only spell texts the shorter one spelled.
pub(super) struct Narrow<'a> {
    /// The previous matches, when they are few enough to be worth going through.
    pub persons: Option<&'a [u32]>,
    pub texts: &'a Matches,
    pub same: usize,
    pub grown: bool,
}

/// How the terms spell each text of a pool.
#[derive(Default)]
pub(super) struct PoolMatch(Vec<Spelled>);

/// How the terms spell one text: bit t for term t.
#[derive(Clone, Copy, Default)]
struct Spelled {
    /// The terms that spell it.
    bits: u64,
    /// The terms that spell it from its start, by the usual readings of its
    /// characters (a rare reading only finds it).
    starts: u64,
    /// The best rank of a term (for names, the rank of the name).
    kind: MatchKind,
}

impl PoolMatch {
    fn bits(&self, id: u32) -> u64 {
        self.0[id as usize].bits
    }
    fn starts(&self, id: u32) -> u64 {
        self.0[id as usize].starts
    }
    fn kind(&self, id: u32) -> MatchKind {
        self.0[id as usize].kind
    }
}

/// The spellings of every pool, kept by a session for narrowing the next query.
pub(super) struct Matches {
    names: PoolMatch,
    orgs: PoolMatch,
    positions: PoolMatch,
    counties: PoolMatch,
    townships: PoolMatch,
}

impl Matches {
    /// The pools other than names, with their texts' ids in a person.
    fn fields(&self) -> [(&PoolMatch, Key); 4] {
        [
            (&self.orgs, |p| p.org),
            (&self.positions, |p| p.position),
            (&self.counties, |p| p.county),
            (&self.townships, |p| p.township),
        ]
    }

    /// The terms that spell a field of the person other than the name from its start.
    fn field_starts(&self, p: &Person) -> u64 {
        self.fields()
            .iter()
            .fold(0, |bits, (pool, key)| bits | pool.starts(key(p)))
    }

    /// The terms that spell some field of the person from its start.
    fn starts(&self, p: &Person) -> u64 {
        self.names.starts(p.name) | self.field_starts(p)
    }
}

/// The matcher's scores of the texts of a pool: `[id * terms + t]`, [`NONE`] where
/// not scored.
#[derive(Default)]
struct PoolScores(Vec<i32>);

struct Scores {
    terms: usize,
    names: PoolScores,
    orgs: PoolScores,
    positions: PoolScores,
    counties: PoolScores,
    townships: PoolScores,
}

/// Not scored.
const NONE: i32 = i32::MIN;

/// Where a person keeps the id of their text in a pool.
type Key = fn(&Person) -> u32;

/// Where a term counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Name,
    Id,
    Organisation,
    Position,
    County,
    Township,
}

/// A match as ranked: greater is better; on the same rank, words in the name and score,
/// the name that
/// sorts first (see `reading::sort_key`), then the lower person id.
#[derive(Clone, Copy)]
struct Ranked<'a> {
    kind: MatchKind,
    /// How many words the name takes: within a rank, a word found in the name counts
    /// before any score in another field (张月薇 before 工作服务 for `zw`).
    in_name: usize,
    score: i64,
    name: &'a super::Entry,
    /// The name's place in the order of all names (`u32::MAX` when added since).
    order: u32,
    person: i64,
    index: u32,
}

impl Ord for Ranked<'_> {
    fn cmp(&self, o: &Self) -> Ordering {
        self.kind
            .cmp(&o.kind)
            .then(self.in_name.cmp(&o.in_name))
            .then(self.score.cmp(&o.score))
            .then_with(|| {
                if self.order != u32::MAX && o.order != u32::MAX {
                    o.order.cmp(&self.order)
                } else {
                    let key = |e: &super::Entry| (sort_key(&e.hay), e.text.to_string());
                    key(o.name).cmp(&key(self.name))
                }
            })
            .then(o.person.cmp(&self.person))
    }
}

impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl PartialEq for Ranked<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Ranked<'_> {}

/// The matches of one share of the candidates, in order, and by rank.
#[derive(Default)]
struct Found {
    matches: Vec<u32>,
    by_kind: [Vec<u32>; 4],
}

impl SearchIndex {
    /// Runs a parsed query over every person, or over the previous matches when the
    /// query only grew; `None` when cancelled. Also returns every match and which terms
    /// spelled each text, for narrowing the next query.
    ///
    /// 1. the filters pick the candidates;
    /// 2. each text the candidates use is tested once per term (character masks, then
    ///    spelling, then spelling from its start); names get their rank;
    /// 3. a candidate matches when every term spells one of its fields;
    /// 4. the matcher scores, once per text, only what it must: terms that spell no
    ///    field from its start, of matches whose rank can still reach the first
    ///    `limit` (every match of a higher rank is in);
    /// 5. the best `limit` are kept in a heap, and get their fields and highlights.
    pub(super) fn run(
        &self,
        q: &Query,
        narrow: Option<Narrow>,
        limit: usize,
        ctx: &Ctx,
    ) -> Option<(Results, Vec<u32>, Matches)> {
        let admits = |&i: &u32| {
            let p = &self.persons[i as usize];
            q.filters.iter().all(|f| admits(f, p))
        };
        let candidates: Vec<u32> = match narrow.as_ref().and_then(|n| n.persons) {
            Some(persons) => persons.iter().copied().filter(admits).collect(),
            None => (0..self.persons.len() as u32).filter(admits).collect(),
        };
        // The texts the candidates use (`None` for all, when they are everyone).
        let everyone = candidates.len() == self.persons.len();
        let texts = |pool: &Pool, key: Key| {
            (!everyone)
                .then(|| self.texts_used(pool, &candidates, key, |_| true))
                .flatten()
        };
        let spell = |pool: &Pool, key: Key, before: Option<&PoolMatch>| {
            let before = narrow.as_ref().zip(before);
            spell_pool(pool, texts(pool, key).as_deref(), before, q, ctx)
        };
        let was = narrow.as_ref().map(|n| n.texts);
        let mut m = Matches {
            names: spell(&self.names, |p| p.name, was.map(|w| &w.names))?,
            orgs: spell(&self.orgs, |p| p.org, was.map(|w| &w.orgs))?,
            positions: spell(&self.positions, |p| p.position, was.map(|w| &w.positions))?,
            counties: spell(&self.counties, |p| p.county, was.map(|w| &w.counties))?,
            townships: spell(&self.townships, |p| p.township, was.map(|w| &w.townships))?,
        };
        if q.terms.len() > 1 {
            // The terms run together may spell a name better than any one of them.
            let joined = per_text(
                &self.names,
                texts(&self.names, |p| p.name).as_deref(),
                1,
                MatchKind::Fuzzy,
                ctx,
                |id, out| {
                    let e = &self.names.entries[id];
                    if m.names.0[id].bits != 0 && q.terms[0].first & e.lead != 0 {
                        out[0] = usual_match(&e.hay, &q.joined);
                    }
                },
            )?;
            for (name, joined) in m.names.0.iter_mut().zip(joined) {
                name.kind = name.kind.max(joined);
            }
        }
        let mut found = Found::default();
        for part in split(candidates.len(), ctx.tuning.threads, |range| {
            self.classify(&candidates[range], q, &m, ctx.cancel)
        }) {
            let part = part?;
            found.matches.extend(part.matches);
            for (all, some) in found.by_kind.iter_mut().zip(part.by_kind) {
                all.extend(some);
            }
        }
        let mut enough = 0;
        let mut ranked: Vec<u32> = Vec::new();
        for kind in MatchKind::ALL.into_iter().rev() {
            if enough >= limit && ctx.tuning.top_n {
                break;
            }
            enough += found.by_kind[kind as usize].len();
            ranked.extend(&found.by_kind[kind as usize]);
        }
        let s = self.scores(&ranked, q, &m, ctx)?;
        let mut best: Vec<Ranked> = Vec::new();
        for part in split(ranked.len(), ctx.tuning.threads, |range| {
            self.best(&ranked[range], q, &m, &s, limit, ctx)
        }) {
            best.extend(part?);
        }
        best.sort_unstable_by(|a, b| b.cmp(a));
        best.truncate(limit);
        let hits = best
            .iter()
            .map(|r| self.hit(r, q, &m, &s, ctx.scorer))
            .collect();
        let results = Results {
            hits,
            total: found.matches.len(),
            narrowed: false,
        };
        Some((results, found.matches, m))
    }

    /// The texts of a pool that the given persons use (those `needed` lets through),
    /// in order; `None` for all texts.
    fn texts_used(
        &self,
        pool: &Pool,
        persons: &[u32],
        key: Key,
        needed: impl Fn(&Person) -> bool,
    ) -> Option<Vec<u32>> {
        let mut used = vec![false; pool.len()];
        for &i in persons {
            let p = &self.persons[i as usize];
            if needed(p) {
                used[key(p) as usize] = true;
            }
        }
        let ids: Vec<u32> = (0..pool.len() as u32)
            .filter(|&id| used[id as usize])
            .collect();
        (ids.len() < pool.len()).then_some(ids)
    }

    /// The candidates every term spells somewhere, in order, and by rank.
    fn classify(
        &self,
        candidates: &[u32],
        q: &Query,
        m: &Matches,
        cancel: &Cancel,
    ) -> Option<Found> {
        let all = u64::MAX >> (64 - q.terms.len().max(1));
        let all = if q.terms.is_empty() { 0 } else { all };
        let mut found = Found::default();
        for (k, &i) in candidates.iter().enumerate() {
            if k % 1024 == 0 && cancel.is_cancelled() {
                return None;
            }
            let p = &self.persons[i as usize];
            let mut bits = m.names.bits(p.name);
            for (pool, key) in m.fields() {
                bits |= pool.bits(key(p));
            }
            if bits != all {
                bits |= self.id_bits(p, q);
            }
            if bits == all {
                found.matches.push(i);
                found.by_kind[person_kind(p, m) as usize].push(i);
            }
        }
        Some(found)
    }

    /// The terms that match the visible tail of a person's ID number.
    fn id_bits(&self, p: &Person, q: &Query) -> u64 {
        let (_, tail) = visible_tail(self.masked_id(p));
        q.terms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.id_like && find_ignore_case(tail, &t.text).is_some())
            .fold(0, |bits, (t, _)| bits | 1 << t)
    }

    /// The matcher's scores of the texts where the ranked persons' terms count (see
    /// [`SearchIndex::place`]): only for terms that spell no field from its start.
    fn scores(&self, ranked: &[u32], q: &Query, m: &Matches, ctx: &Ctx) -> Option<Scores> {
        // Persons with a term that spells no field from its start.
        let all = u64::MAX >> (64 - q.terms.len().max(1));
        let open: Vec<u32> = ranked
            .iter()
            .copied()
            .filter(|&i| all & !m.starts(&self.persons[i as usize]) != 0)
            .collect();
        let ranked = &open;
        let score = |pool: &Pool, key: Key, matched: &PoolMatch, name: bool| {
            let needed = |p: &Person| {
                let elsewhere = if name { 0 } else { m.names.bits(p.name) };
                matched.bits(key(p)) & !elsewhere & !m.starts(p) != 0
            };
            let ids = self.texts_used(pool, ranked, key, needed);
            let terms = q.terms.len();
            per_text(pool, ids.as_deref(), terms, NONE, ctx, |id, out| {
                let e = &pool.entries[id];
                for (t, term) in q.terms.iter().enumerate() {
                    if matched.0[id].bits >> t & 1 == 1 {
                        let target = if term.latin { &e.hay } else { &e.text };
                        let v = ctx.scorer.score(target, &term.text).unwrap_or(0);
                        out[t] = v.clamp(0, i64::from(i32::MAX)) as i32;
                    }
                }
            })
            .map(PoolScores)
        };
        Some(Scores {
            terms: q.terms.len(),
            names: score(&self.names, |p| p.name, &m.names, true)?,
            orgs: score(&self.orgs, |p| p.org, &m.orgs, false)?,
            positions: score(&self.positions, |p| p.position, &m.positions, false)?,
            counties: score(&self.counties, |p| p.county, &m.counties, false)?,
            townships: score(&self.townships, |p| p.township, &m.townships, false)?,
        })
    }

    /// The best `limit` of the given matches (all of them when measuring without the
    /// heap).
    fn best<'a>(
        &'a self,
        persons: &[u32],
        q: &Query,
        m: &Matches,
        s: &Scores,
        limit: usize,
        ctx: &Ctx,
    ) -> Option<Vec<Ranked<'a>>> {
        let mut top: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(limit + 1);
        let mut all = Vec::new();
        for (k, &i) in persons.iter().enumerate() {
            if k % 1024 == 0 && ctx.cancel.is_cancelled() {
                return None;
            }
            let p = &self.persons[i as usize];
            let (mut score, mut in_name) = (0, 0);
            for (place, points) in
                (0..q.terms.len()).filter_map(|t| self.place(p, t, q, m, s, ctx.scorer))
            {
                score += points;
                in_name += usize::from(place == Place::Name);
            }
            let ranked = Ranked {
                kind: person_kind(p, m),
                in_name,
                score,
                name: &self.names.entries[p.name as usize],
                order: self
                    .names
                    .order
                    .get(p.name as usize)
                    .copied()
                    .unwrap_or(u32::MAX),
                person: p.id,
                index: i,
            };
            if !ctx.tuning.top_n {
                all.push(ranked);
            } else if top.len() < limit {
                top.push(Reverse(ranked));
            } else if let Some(mut worst) = top.peek_mut() {
                if ranked > worst.0 {
                    *worst = Reverse(ranked);
                }
            }
        }
        all.extend(top.into_iter().map(|Reverse(r)| r));
        Some(all)
    }

    /// Where term `t` counts for a person, with its score: a field the term spells from
    /// its start (the name first), scoring [`full`]; otherwise the name when the term
    /// spells it; otherwise the field it spells with the best score (the first on a
    /// tie: ID, organisation, position, county, township).
    fn place(
        &self,
        p: &Person,
        t: usize,
        q: &Query,
        m: &Matches,
        s: &Scores,
        scorer: &dyn Scorer,
    ) -> Option<(Place, i64)> {
        let term = &q.terms[t];
        let fields = [
            (Place::Organisation, &m.orgs, &s.orgs, p.org),
            (Place::Position, &m.positions, &s.positions, p.position),
            (Place::County, &m.counties, &s.counties, p.county),
            (Place::Township, &m.townships, &s.townships, p.township),
        ];
        let starts = |matched: &PoolMatch, id: u32| matched.starts(id) >> t & 1 == 1;
        if starts(&m.names, p.name) {
            return Some((Place::Name, full(term)));
        }
        if let Some(&(place, ..)) = fields
            .iter()
            .find(|(_, matched, _, id)| starts(matched, *id))
        {
            return Some((place, full(term)));
        }
        let pooled = |matched: &PoolMatch, scores: &PoolScores, id: u32| {
            (matched.bits(id) >> t & 1 == 1).then(|| {
                match scores.0.get(id as usize * s.terms + t) {
                    Some(&v) if v != NONE => i64::from(v),
                    _ => 0,
                }
            })
        };
        if let Some(score) = pooled(&m.names, &s.names, p.name) {
            return Some((Place::Name, score));
        }
        let id = {
            let (_, tail) = visible_tail(self.masked_id(p));
            (term.id_like && find_ignore_case(tail, &term.text).is_some())
                .then(|| scorer.score(tail, &term.text).unwrap_or(0))
        };
        let mut best = id.map(|score| (Place::Id, score));
        for (place, matched, scores, id) in fields {
            if let Some(score) = pooled(matched, scores, id) {
                if best.is_none_or(|(_, b)| score > b) {
                    best = Some((place, score));
                }
            }
        }
        best
    }

    /// A hit with its fields and highlights.
    fn hit(&self, r: &Ranked, q: &Query, m: &Matches, s: &Scores, scorer: &dyn Scorer) -> Hit {
        let p = &self.persons[r.index as usize];
        let mut h = Highlights::default();
        for (t, term) in q.terms.iter().enumerate() {
            let Some((place, _)) = self.place(p, t, q, m, s, scorer) else {
                continue;
            };
            let (pool, id, out) = match place {
                Place::Name => (&self.names, p.name, &mut h.name),
                Place::Organisation => (&self.orgs, p.org, &mut h.organisation),
                Place::Position => (&self.positions, p.position, &mut h.position),
                Place::County => (&self.counties, p.county, &mut h.county),
                Place::Township => (&self.townships, p.township, &mut h.township),
                Place::Id => {
                    h.id.extend(id_positions(self.masked_id(p), term));
                    continue;
                }
            };
            let e = &pool.entries[id as usize];
            out.extend(text_positions(&e.text, &e.hay, term, scorer));
        }
        for v in [
            &mut h.name,
            &mut h.organisation,
            &mut h.position,
            &mut h.county,
            &mut h.township,
            &mut h.id,
        ] {
            v.sort_unstable();
            v.dedup();
        }
        Hit {
            person_id: p.id,
            name: self.names.text(p.name).to_string(),
            organisation: self.orgs.text(p.org).to_string(),
            position: self.positions.text(p.position).to_string(),
            county: self.counties.text(p.county).to_string(),
            township: self.townships.text(p.township).to_string(),
            masked_id: self.masked_id(p).to_string(),
            category: p.category,
            grade: p.grade,
            stage: p.stage,
            certified: p.certified,
            kind: r.kind,
            score: r.score,
            highlights: h,
        }
    }
}

/// Which terms spell each text of a pool (of `ids`, or all), and which from its start.
/// When the query only grew, the terms before the grown one keep their spellings and
/// the grown one is only tried on texts its shorter self spelled.
fn spell_pool(
    pool: &Pool,
    ids: Option<&[u32]>,
    before: Option<(&Narrow, &PoolMatch)>,
    q: &Query,
    ctx: &Ctx,
) -> Option<PoolMatch> {
    let spelled = per_text(pool, ids, 1, Spelled::default(), ctx, |id, out| {
        let e = &pool.entries[id];
        let out = &mut out[0];
        let from_start = |t: usize, term: &Term, out: &mut Spelled| {
            if term.first & e.lead != 0 {
                let kind = usual_match(&e.hay, &term.text);
                if kind >= MatchKind::Prefix {
                    out.starts |= 1 << t;
                    out.kind = out.kind.max(kind);
                }
            }
        };
        for (t, term) in q.terms.iter().enumerate() {
            if let Some((n, was)) = before {
                let had = was.0[id].bits >> t & 1 == 1;
                if t < n.same {
                    out.bits |= u64::from(had) << t;
                    if was.0[id].starts >> t & 1 == 1 {
                        from_start(t, term, out);
                    }
                    continue;
                }
                if t == n.same && n.grown && !had {
                    continue;
                }
            }
            let spelled = if ctx.tuning.prefilter {
                term.mask & !e.mask == 0
                    && term.first & !e.initials == 0
                    && (term.single || spelled(&e.text, &e.hay, term))
            } else {
                spelled(&e.text, &e.hay, term)
            };
            if spelled {
                out.bits |= 1 << t;
                from_start(t, term, out);
            }
        }
    })?;
    Some(PoolMatch(spelled))
}

/// Computes `width` values for each text of a pool (of `ids`, or all), split over the
/// cores, into a vector indexed by text id times `width` (`empty` for texts not
/// computed); `None` when cancelled.
fn per_text<T: Copy + Send + Sync>(
    pool: &Pool,
    ids: Option<&[u32]>,
    width: usize,
    empty: T,
    ctx: &Ctx,
    f: impl Fn(usize, &mut [T]) + Sync,
) -> Option<Vec<T>> {
    let mut out = vec![empty; pool.len() * width];
    if width == 0 {
        return Some(out);
    }
    let threads = ctx.tuning.threads;
    let Some(ids) = ids else {
        // Every text: each thread fills its own run of the output.
        let parts = split_mut(&mut out, width, threads, |first, run| {
            for (k, values) in run.chunks_mut(width).enumerate() {
                if k % 512 == 0 && ctx.cancel.is_cancelled() {
                    return false;
                }
                f(first + k, values);
            }
            true
        });
        return parts.then_some(out);
    };
    let parts = split(ids.len(), threads, |range| {
        let start = range.start;
        let mut part = vec![empty; range.len() * width];
        for k in range {
            if k % 512 == 0 && ctx.cancel.is_cancelled() {
                return None;
            }
            f(ids[k] as usize, &mut part[(k - start) * width..][..width]);
        }
        Some((start, part))
    });
    for part in parts {
        let (start, values) = part?;
        for (j, chunk) in values.chunks(width).enumerate() {
            let id = ids[start + j] as usize;
            out[id * width..][..width].copy_from_slice(chunk);
        }
    }
    Some(out)
}

/// A person's rank: the name's, or [`MatchKind::Start`] when a term spells another
/// field from its start.
fn person_kind(p: &Person, m: &Matches) -> MatchKind {
    let name = m.names.kind(p.name);
    if name < MatchKind::Start && m.field_starts(p) != 0 {
        MatchKind::Start
    } else {
        name
    }
}

/// What a term spelling a field from its start scores: at least what the matcher can
/// give it anywhere (16 a character, and at most 16 more for its place).
fn full(term: &Term) -> i64 {
    32 * term.text.chars().count() as i64
}

fn admits(f: &Filter, p: &Person) -> bool {
    match f {
        Filter::Grade(g) => p.grade == *g,
        Filter::Stage(s) => p.stage == *s,
        Filter::County(ids) => ids.contains(&p.county),
        Filter::Category(c) => p.category == *c,
        Filter::Certified(c) => p.certified == *c,
    }
}

/// Whether a term spells a pooled text: a term with Latin letters by the readings, any
/// other term by the characters themselves.
fn spelled(text: &str, hay: &str, term: &Term) -> bool {
    if term.latin {
        spells(hay, &term.text)
    } else {
        is_subsequence(text, &term.text)
    }
}

/// Character indices of the text a term uses: its spelling for a term with Latin
/// letters, the matcher's choice otherwise.
fn text_positions(text: &str, hay: &str, term: &Term, scorer: &dyn Scorer) -> Vec<usize> {
    if term.latin {
        spelling(hay, &term.text).unwrap_or_default()
    } else {
        scorer
            .indices(text, &term.text)
            .map(|(_, v)| v)
            .unwrap_or_default()
    }
}

/// The visible end of a masked ID number (after the `*`s), and where it starts.
fn visible_tail(masked: &str) -> (usize, &str) {
    let tail = masked.trim_start_matches('*');
    (masked.len() - tail.len(), tail)
}

/// Byte offset of `term` in `tail`, ignoring ASCII case.
fn find_ignore_case(tail: &str, term: &str) -> Option<usize> {
    let (t, n) = (tail.as_bytes(), term.len());
    if n == 0 || n > t.len() {
        return None;
    }
    (0..=t.len() - n).find(|&i| t[i..i + n].eq_ignore_ascii_case(term.as_bytes()))
}

fn id_positions(masked: &str, term: &Term) -> Vec<usize> {
    let (stars, tail) = visible_tail(masked);
    find_ignore_case(tail, &term.text)
        .map(|at| (stars + at..stars + at + term.text.len()).collect())
        .unwrap_or_default()
}
