//! The first screen of a search: its best results, exactly those the complete ranking starts
//! with, found before it by scoring as few records as it takes to be sure of them.
//!
//! The first letters of a query match nearly every record, and ranking them all means scoring
//! every one with skim; the list shows a screenful. A record's score is at most a bound known
//! without scoring it ([`Query::ceiling_for`]: from the query, the title's first character and
//! the year; a word kept from the query before counts its score, known already). So the
//! records are taken by bound, highest first, ties in key order, and each is scored in full.
//! Once `rows` records are found that no record not scored yet can outrank, they are the
//! first `rows` of the ranking (score descending, ties by key ascending): every record not
//! scored has a bound below the last of them's score, or equal to it with a larger key.
//!
//! A lower-case word reaches its bound on titles starting with it in capitals ("ra" on
//! "Randomised ..."), so for one or two typed letters a screenful is found after scoring a few
//! dozen records. Whether it is found never decides what is found: when too few records
//! reach their bound, it gives up after its budget, and the complete search follows anyway.
//!
//! [`Query::ceiling_for`]: super::records::Query::ceiling_for

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

/// How much a first screen may cost before it gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Most records scored.
    pub most: usize,
    /// Most records scored, as a share of those to search: one in this many. Past that, the
    /// complete search (on every core, scoring only the words that changed) is not much
    /// slower.
    pub share: usize,
}

impl Budget {
    /// The records a first screen among `keys` records may score.
    pub fn of(self, keys: usize) -> usize {
        self.most.min(keys / self.share.max(1))
    }
}

/// The app's budget: about 10 milliseconds on two cores at most, and an eighth of the
/// complete search's work.
pub const BUDGET: Budget = Budget {
    most: 5_000,
    share: 8,
};

/// Records scored together on the machine's cores, at most: a few hundred microseconds of
/// work, so that a newer query stops a first screen soon.
const MOST_AT_ONCE: usize = 256;

/// The best `rows` of `keys` (ascending), best first, with their scores: the first `rows` of
/// their complete ranking (fewer when fewer match). `bound(i)` is the most the record of
/// `keys[i]` can score, `score(i)` its score (`None` when it does not match). `None` when
/// that takes scoring more than `budget` records, or when `stop` says the result is no longer
/// wanted.
pub(crate) fn first_screen(
    keys: &[usize],
    bound: impl Fn(usize) -> i64 + Sync,
    score: impl Fn(usize) -> Option<i64> + Sync,
    rows: usize,
    budget: usize,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(usize, i64)>> {
    if rows == 0 {
        return None;
    }
    // Highest bound first, ties by key (a heap: only the records scored are ever ordered).
    let mut next: BinaryHeap<(i64, Reverse<usize>, usize)> = keys
        .par_iter()
        .enumerate()
        .map(|(i, &key)| (bound(i), Reverse(key), i))
        .collect::<Vec<_>>()
        .into();
    // The best found so far, best first: (score, key).
    let mut best: Vec<(i64, usize)> = Vec::with_capacity(rows + 1);
    // Whether the record next in order, and so every record after it (none with a higher
    // bound, none with the same bound and a smaller key), cannot outrank the rows found.
    let certain = |best: &[(i64, usize)], bound: i64, key: usize| {
        best.get(rows - 1)
            .is_some_and(|&(score, last)| score > bound || (score == bound && last < key))
    };
    let mut scored = 0;
    // Scored a few at a time on every core, more each time (a screenful often takes a few
    // dozen).
    let mut at_once = 16;
    while let Some(&(bound, Reverse(key), _)) = next.peek() {
        if certain(&best, bound, key) {
            break;
        }
        if scored >= budget || stop() {
            return None;
        }
        let take = at_once.min(budget - scored);
        let taken: Vec<(i64, Reverse<usize>, usize)> =
            std::iter::from_fn(|| next.pop()).take(take).collect();
        let scores: Vec<Option<i64>> = taken.par_iter().map(|&(_, _, i)| score(i)).collect();
        scored += taken.len();
        for (&(bound, Reverse(key), _), score) in taken.iter().zip(scores) {
            // Those scored after the rows are certain are not needed.
            if certain(&best, bound, key) {
                break;
            }
            if let Some(score) = score {
                let at = best.partition_point(|&(s, k)| s > score || (s == score && k < key));
                if at < rows {
                    best.insert(at, (score, key));
                    best.truncate(rows);
                }
            }
        }
        at_once = (at_once * 2).min(MOST_AT_ONCE);
    }
    Some(best.into_iter().map(|(s, k)| (k, s)).collect())
}
