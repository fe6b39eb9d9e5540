//! A record search that continues from its previous results as a query is typed.
//!
//! Every word typed must match somewhere in a record, and a record's score is the sum of what
//! each word scores on it ([`Query::word_score`], which depends on that word and the record
//! alone). Whether a word matches only gets stricter as it grows, so a query that extends the
//! previous one ([`Query::narrows`]) matches a subset of its results: the engine scores only
//! those, and only the words that changed, reusing each kept word's score per record. Its
//! results are those of a scan of every candidate (a proptest compares the two).

use std::sync::Arc;

use rayon::prelude::*;

use super::records::{CHUNK, CueTable, Query};
use super::screen::{self, Budget, first_screen};
use crate::record::Record;

/// Most searches kept to continue from (a query typed one character at a time keeps one per
/// character, so Backspace finds its previous results again).
const KEEP: usize = 64;

/// Where a search finds the record behind each candidate key.
pub trait Records: Send + Sync {
    /// The record of `key` (a key the candidates list).
    fn record(&self, key: usize) -> &Record;
}

impl Records for Vec<Record> {
    fn record(&self, key: usize) -> &Record {
        &self[key]
    }
}

impl Records for Arc<[Record]> {
    fn record(&self, key: usize) -> &Record {
        &self[key]
    }
}

/// What a search runs over: records and the keys of those to search, in ascending order.
/// Both are shared, not copied, so a search thread can hold them.
#[derive(Clone)]
pub struct Haystack {
    /// The records, by key.
    pub records: Arc<dyn Records>,
    /// The keys to search, ascending.
    pub candidates: Arc<[usize]>,
}

impl Haystack {
    /// Every record of `records`, keyed by position.
    pub fn all(records: Vec<Record>) -> Self {
        let candidates: Arc<[usize]> = (0..records.len()).collect();
        Self {
            records: Arc::new(records),
            candidates,
        }
    }

    /// Whether this is the same haystack (the very same shared records and candidates).
    fn same(&self, other: &Haystack) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(&self.records), Arc::as_ptr(&other.records))
            && Arc::ptr_eq(&self.candidates, &other.candidates)
    }
}

impl std::fmt::Debug for Haystack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Haystack")
            .field("candidates", &self.candidates.len())
            .finish_non_exhaustive()
    }
}

/// A search's results.
#[derive(Debug, Clone)]
pub struct Found {
    /// The query (to mark where titles match).
    pub query: Arc<Query>,
    /// The matching keys with their scores (higher is better), keys ascending.
    pub scores: Vec<(usize, i64)>,
    /// The matching keys, best first (ties by key): ranked here so that a list showing
    /// them need not sort 100,000 results itself.
    pub ranked: Vec<usize>,
}

impl Found {
    /// The results of `scores` (keys ascending) for `query`, ranked.
    pub fn new(query: Arc<Query>, scores: Vec<(usize, i64)>) -> Self {
        let mut best: Vec<(std::cmp::Reverse<i64>, usize)> = scores
            .iter()
            .map(|&(key, score)| (std::cmp::Reverse(score), key))
            .collect();
        best.par_sort_unstable();
        Self {
            query,
            scores,
            ranked: best.into_iter().map(|(_, key)| key).collect(),
        }
    }
}

/// The results of one query, each word's score kept per record.
struct Step {
    query: Arc<Query>,
    /// Matching keys, ascending.
    keys: Vec<usize>,
    /// Each key's score for each word: row `i` is `words[i * n .. (i + 1) * n]` for `n` words.
    words: Vec<i64>,
}

impl Step {
    fn found(&self) -> Found {
        let n = self.query.word_count().max(1);
        let scores = self
            .keys
            .iter()
            .zip(self.words.chunks(n))
            .map(|(&key, row)| (key, row.iter().sum()))
            .collect();
        Found::new(Arc::clone(&self.query), scores)
    }
}

/// Searches a haystack as a query is typed, continuing from its earlier results whenever the
/// query only grew.
pub struct Engine {
    /// The haystack of the kept steps (held, so that it cannot be freed and another take its
    /// address).
    haystack: Option<Haystack>,
    /// Each query searched, each narrowing the one before, newest last.
    steps: Vec<Step>,
    /// What each candidate's bound depends on, by key (for first screens), found once per
    /// haystack.
    cues: Option<CueTable>,
    /// How much a first screen may cost.
    budget: Budget,
}

impl Default for Engine {
    fn default() -> Self {
        Self::with_budget(screen::BUDGET)
    }
}

impl Engine {
    /// An engine whose first screens cost at most `budget` (the default is
    /// [`screen::BUDGET`]; tests use small ones).
    pub fn with_budget(budget: Budget) -> Self {
        Self {
            haystack: None,
            steps: Vec::new(),
            cues: None,
            budget,
        }
    }

    /// The candidates of `haystack` matching `query`. `stop` is asked between chunks of
    /// candidates whether the result is still wanted; `None` when it said no.
    pub fn search(
        &mut self,
        query: impl Into<Arc<Query>>,
        haystack: &Haystack,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Found> {
        let query = query.into();
        self.follow(&query, haystack);
        let step = match self.steps.last() {
            Some(base) if base.query.words().eq(query.words()) => return Some(base.found()),
            Some(base) => narrow(base, query, &*haystack.records, stop)?,
            None => scan(query, haystack, stop)?,
        };
        let found = step.found();
        if self.steps.len() == KEEP {
            self.steps.remove(0);
        }
        self.steps.push(step);
        Some(found)
    }

    /// The best `rows` results of `query` in `haystack`, best first: exactly the first `rows`
    /// of the ranking [`Engine::search`] gives for it next, found by scoring records only
    /// until they are certain ([`screen`]), among the same kept results the search will
    /// continue from, with the scores kept of the words that did not change. `None` when
    /// there is nothing to gain (no rows wanted, the complete results at hand, or no more
    /// records to search than the budget allows scoring), when it would cost more than the
    /// budget ([`screen::BUDGET`] by default), or when `stop` said the results are no longer
    /// wanted.
    pub fn first_screen(
        &mut self,
        query: &Arc<Query>,
        haystack: &Haystack,
        rows: usize,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Found> {
        if rows == 0 {
            return None;
        }
        self.follow(query, haystack);
        let keys = match self.steps.last() {
            Some(base) if base.query.words().eq(query.words()) => return None,
            Some(base) => &base.keys,
            None => &haystack.candidates[..],
        };
        let budget = self.budget.of(keys.len());
        if keys.len() <= budget {
            return None;
        }
        let cues = self.cues.get_or_insert_with(|| cues_of(haystack));
        let records = &*haystack.records;
        let mut best = match self.steps.last() {
            Some(base) => {
                // The words kept score what they scored; only the others are bounded.
                let (kept, fresh) = kept_words(query, &base.query);
                let m = base.query.word_count();
                let kept_score = |i: usize| -> i64 {
                    kept.iter()
                        .flatten()
                        .map(|&from| base.words[i * m + from])
                        .sum()
                };
                // The last word typed before, grown since: what it scored bounds what it
                // can score now.
                let grown = base.query.words().last().filter(|_| kept[m - 1].is_none());
                let bound = |i: usize| {
                    let cues = cues.get(base.keys[i]);
                    let fresh_bound = |w: usize| match grown {
                        Some(earlier) if w == m - 1 => {
                            query.grown_ceiling(w, earlier, base.words[i * m + w], cues)
                        }
                        _ => query.word_ceiling(w, cues),
                    };
                    kept_score(i) + fresh.iter().map(|&w| fresh_bound(w)).sum::<i64>()
                };
                let score = |i: usize| {
                    let record = records.record(base.keys[i]);
                    let scored: Option<i64> =
                        fresh.iter().map(|&w| query.word_score(w, record)).sum();
                    Some(kept_score(i) + scored?)
                };
                first_screen(&base.keys, bound, score, rows, budget, stop)?
            }
            None => {
                let keys = &haystack.candidates;
                let bound = |i: usize| query.ceiling_for(cues.get(keys[i]));
                let score = |i: usize| query.rank(records.record(keys[i]));
                first_screen(keys, bound, score, rows, budget, stop)?
            }
        };
        best.sort_unstable_by_key(|&(key, _)| key);
        Some(Found::new(Arc::clone(query), best))
    }

    /// Reads what first screens need from `haystack` (each candidate's cues) ahead of the
    /// first query: the search prompt was just opened, and the first key typed need not pay
    /// for it (about 10 ms at 100,000 studies).
    pub fn prepare(&mut self, haystack: &Haystack) {
        self.adopt(haystack);
        if self.cues.is_none() {
            self.cues = Some(cues_of(haystack));
        }
    }

    /// Whether what first screens need from `haystack` is at hand.
    pub fn prepared(&self, haystack: &Haystack) -> bool {
        self.cues.is_some() && self.haystack.as_ref().is_some_and(|h| h.same(haystack))
    }

    /// Forgets what was kept of another haystack than `haystack`.
    fn adopt(&mut self, haystack: &Haystack) {
        if !self.haystack.as_ref().is_some_and(|h| h.same(haystack)) {
            self.steps.clear();
            self.cues = None;
            self.haystack = Some(haystack.clone());
        }
    }

    /// Makes the kept steps those `query` can continue from: none for another haystack, and
    /// only those it narrows.
    fn follow(&mut self, query: &Query, haystack: &Haystack) {
        self.adopt(haystack);
        while self
            .steps
            .last()
            .is_some_and(|step| !query.narrows(&step.query))
        {
            self.steps.pop();
        }
    }
}

/// Each candidate's cues, by key.
fn cues_of(haystack: &Haystack) -> CueTable {
    let records = &*haystack.records;
    CueTable::new(&haystack.candidates, |key| records.record(key))
}

/// For each word of `query` (which narrows `base`), the word of `base` with the same text
/// whose scores it keeps, or `None`; and the words with none, to score.
fn kept_words(query: &Query, base: &Query) -> (Vec<Option<usize>>, Vec<usize>) {
    let kept: Vec<Option<usize>> = query
        .words()
        .zip(base.words().map(Some).chain(std::iter::repeat(None)))
        .enumerate()
        .map(|(w, (new, old))| (old == Some(new)).then_some(w))
        .collect();
    let fresh = (0..kept.len()).filter(|&w| kept[w].is_none()).collect();
    (kept, fresh)
}

/// Scores every candidate on every word.
fn scan(query: Arc<Query>, haystack: &Haystack, stop: &(dyn Fn() -> bool + Sync)) -> Option<Step> {
    let n = query.word_count();
    let records = &*haystack.records;
    let parts: Vec<(Vec<usize>, Vec<i64>)> = haystack
        .candidates
        .par_chunks(CHUNK)
        .map(|keys| {
            if stop() {
                return None;
            }
            let (mut found, mut words) = (Vec::new(), Vec::new());
            let mut row = vec![0; n];
            for &key in keys {
                let record = records.record(key);
                let all = (0..n).all(|w| match query.word_score(w, record) {
                    Some(score) => {
                        row[w] = score;
                        true
                    }
                    None => false,
                });
                if all {
                    found.push(key);
                    words.extend_from_slice(&row);
                }
            }
            Some((found, words))
        })
        .collect::<Option<_>>()?;
    Some(join(query, parts))
}

/// Scores the results of `base` on the words of `query` that differ from its words (the
/// query narrows `base`'s), reusing the others' scores.
fn narrow(
    base: &Step,
    query: Arc<Query>,
    records: &dyn Records,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Step> {
    let n = query.word_count();
    let m = base.query.word_count();
    let (kept, fresh) = kept_words(&query, &base.query);
    let parts: Vec<(Vec<usize>, Vec<i64>)> = base
        .keys
        .par_chunks(CHUNK)
        .zip(base.words.par_chunks(CHUNK * m))
        .map(|(keys, old_rows)| {
            if stop() {
                return None;
            }
            let (mut found, mut words) = (Vec::new(), Vec::new());
            let mut row = vec![0; n];
            for (&key, old) in keys.iter().zip(old_rows.chunks(m)) {
                let record = records.record(key);
                let all = fresh.iter().all(|&w| match query.word_score(w, record) {
                    Some(score) => {
                        row[w] = score;
                        true
                    }
                    None => false,
                });
                if all {
                    for (w, from) in kept.iter().enumerate() {
                        if let Some(from) = from {
                            row[w] = old[*from];
                        }
                    }
                    found.push(key);
                    words.extend_from_slice(&row);
                }
            }
            Some((found, words))
        })
        .collect::<Option<_>>()?;
    Some(join(query, parts))
}

/// One step from the parts scored on each core, in candidate order.
fn join(query: Arc<Query>, parts: Vec<(Vec<usize>, Vec<i64>)>) -> Step {
    let (mut keys, mut words) = (Vec::new(), Vec::new());
    for (k, w) in parts {
        keys.extend(k);
        words.extend(w);
    }
    Step { query, keys, words }
}

#[cfg(test)]
mod tests;
