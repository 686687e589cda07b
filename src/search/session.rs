//! Sessions, cancellation, matchers and what a search returns.

use super::query::Query;
use super::reading::MatchKind;
use super::run::{Ctx, Matches, Narrow};
use super::SearchIndex;
use crate::domain::{Category, Grade, Stage};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering as Atomic};
use std::sync::{Arc, OnceLock};

/// A fuzzy matcher: scores a lower-case term against a text, higher is better. Its
/// scores are ranked below a word that spells a field from its start, which counts 32
/// a character: the most SkimMatcherV2 gives.
pub trait Scorer: Send + Sync {
    /// The score, or `None` when the term is not a subsequence of the text.
    fn score(&self, text: &str, term: &str) -> Option<i64>;
    /// The score and the indices of the matched characters.
    fn indices(&self, text: &str, term: &str) -> Option<(i64, Vec<usize>)>;
}

/// fuzzy-matcher's SkimMatcherV2, ignoring case: the product's matcher.
pub struct Skim(SkimMatcherV2);

impl Default for Skim {
    fn default() -> Self {
        Skim(SkimMatcherV2::default().ignore_case())
    }
}

impl Scorer for Skim {
    fn score(&self, text: &str, term: &str) -> Option<i64> {
        self.0.fuzzy_match(text, term)
    }
    fn indices(&self, text: &str, term: &str) -> Option<(i64, Vec<usize>)> {
        self.0.fuzzy_indices(text, term)
    }
}

fn default_scorer() -> Arc<dyn Scorer> {
    static SKIM: OnceLock<Arc<Skim>> = OnceLock::new();
    SKIM.get_or_init(|| Arc::new(Skim::default())).clone()
}

/// Numbers searches: taking the next number makes every earlier [`Cancel`] cancelled.
#[derive(Debug, Clone, Default)]
pub struct Generation(Arc<AtomicU64>);

impl Generation {
    pub fn new() -> Generation {
        Generation::default()
    }

    /// A token for a new search; every token handed out before is now cancelled.
    pub fn next(&self) -> Cancel {
        let mine = self.0.fetch_add(1, Atomic::SeqCst) + 1;
        Cancel {
            latest: Some(self.0.clone()),
            mine,
        }
    }

    /// Cancels every token handed out so far.
    pub fn cancel_all(&self) {
        self.0.fetch_add(1, Atomic::SeqCst);
    }
}

/// Checked by a running search, which stops as soon as it is cancelled.
#[derive(Debug, Clone)]
pub struct Cancel {
    latest: Option<Arc<AtomicU64>>,
    mine: u64,
}

impl Cancel {
    /// A token that is never cancelled.
    pub fn never() -> Cancel {
        Cancel {
            latest: None,
            mine: 0,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.latest
            .as_ref()
            .is_some_and(|l| l.load(Atomic::Relaxed) != self.mine)
    }

    /// The number of the search this token belongs to.
    pub fn ticket(&self) -> u64 {
        self.mine
    }
}

/// The outcome of a search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    /// The best matches, best first, at most the limit asked for.
    pub hits: Vec<Hit>,
    /// How many persons match in all.
    pub total: usize,
    /// Whether the search started from the previous query's matches.
    pub narrowed: bool,
}

/// One person found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub person_id: i64,
    pub name: String,
    pub organisation: String,
    pub position: String,
    pub county: String,
    pub township: String,
    /// The ID number masked: every character but the last four is `*`.
    pub masked_id: String,
    pub category: Category,
    pub grade: Option<Grade>,
    /// Stage of the application in the newest open cycle.
    pub stage: Option<Stage>,
    pub certified: bool,
    pub kind: MatchKind,
    pub score: i64,
    pub highlights: Highlights,
}

/// Matched characters of each field, as ascending character indices into the
/// corresponding field of the [`Hit`] (`masked_id` for `id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Highlights {
    pub name: Vec<usize>,
    pub organisation: Vec<usize>,
    pub position: Vec<usize>,
    pub county: Vec<usize>,
    pub township: Vec<usize>,
    pub id: Vec<usize>,
}

/// Remembers the last query, its matches and how its words spelled each text, so that
/// a query that only grows starts from there instead of the whole index. Results are
/// the same either way.
pub struct Session {
    previous: Option<Previous>,
    scorer: Arc<dyn Scorer>,
    tuning: Tuning,
}

/// Switches for measuring the design in the benchmarks; the default is what the app
/// and the command line use.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Turn texts down by their character masks before trying to spell a word.
    pub prefilter: bool,
    /// Start from the previous query's matches and spellings when the query grows.
    pub narrowing: bool,
    /// Score only the ranks that can reach the first N and keep those in a heap
    /// (otherwise score and sort every match).
    pub top_n: bool,
    /// 1 to search on one thread; otherwise the pool's threads, one per core.
    pub threads: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            prefilter: true,
            narrowing: true,
            top_n: true,
            threads: 0,
        }
    }
}

struct Previous {
    version: u64,
    query: Query,
    matches: Vec<u32>,
    texts: Matches,
}

impl Default for Session {
    fn default() -> Self {
        Session::with_scorer(default_scorer())
    }
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// A session scoring with another matcher (for comparisons).
    pub fn with_scorer(scorer: Arc<dyn Scorer>) -> Session {
        Session {
            previous: None,
            scorer,
            tuning: Tuning::default(),
        }
    }

    #[doc(hidden)]
    pub fn tune(&mut self, tuning: Tuning) {
        self.tuning = tuning;
        self.previous = None;
    }

    /// Runs a query for at most `limit` hits; `Ok(None)` when cancelled.
    pub fn search(
        &mut self,
        index: &SearchIndex,
        text: &str,
        limit: usize,
        cancel: &Cancel,
    ) -> Result<Option<Results>, super::QueryError> {
        let query = index.parse(text)?;
        let narrow = self
            .previous
            .as_ref()
            .filter(|p| p.version == index.version && query.narrows(&p.query))
            .filter(|_| self.tuning.narrowing)
            .map(|p| Narrow {
                // Going through a list of most persons costs more than it saves.
                persons: (p.matches.len() * 2 < index.len()).then_some(p.matches.as_slice()),
                texts: &p.texts,
                same: p.query.terms.len().saturating_sub(1),
                grown: !p.query.terms.is_empty(),
            });
        let narrowed = narrow.is_some();
        let ctx = Ctx {
            scorer: self.scorer.as_ref(),
            cancel,
            tuning: self.tuning,
        };
        let Some((mut results, matches, texts)) = index.run(&query, narrow, limit, &ctx) else {
            return Ok(None);
        };
        results.narrowed = narrowed;
        self.previous = Some(Previous {
            version: index.version,
            query,
            matches,
            texts,
        });
        Ok(Some(results))
    }

    /// Forgets the last query: the next search scans the whole index.
    pub fn forget(&mut self) {
        self.previous = None;
    }
}

impl SearchIndex {
    /// Runs one query over the whole index for at most `limit` hits.
    pub fn search(&self, text: &str, limit: usize) -> Result<Results, super::QueryError> {
        let results = Session::new().search(self, text, limit, &Cancel::never())?;
        Ok(results.unwrap_or_default())
    }
}
