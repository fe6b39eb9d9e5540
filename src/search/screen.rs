//! The first screen of a search: its best results, exactly those the complete ranking starts
//! with, found before it by scoring as few records as it takes to be sure of them.
//!
//! The first letters of a query match nearly every record, and ranking them all means scoring
//! every one with skim; the list shows a screenful. A record's score is at most a bound known
//! without scoring it ([`Query::ceiling_for`]: it depends only on the query and on its title's
//! first character), and the bounds take few values. So the records are taken by bound,
//! highest first, and within a bound in key order, each scored in full. Once `rows` records
//! are found that every record not scored yet cannot outrank, they are the first `rows` of the
//! ranking (score descending, ties by key ascending): the records not scored either have a
//! lower bound than the last of them scores, or the same bound and a larger key than it.
//!
//! A lower-case word reaches its bound on titles starting with it in capitals ("ra" on
//! "Randomised ..."), so for one or two typed letters a screenful is found after scoring a few
//! dozen records. Whether it is found never decides what is found: when the records reaching
//! their bound are too few, it gives up after [`BUDGET`] records, and the complete search
//! follows anyway.

use super::engine::Records;
use super::records::Query;

/// Most records the first screen scores before giving up: a few milliseconds on one core.
pub const BUDGET: usize = 3_000;

/// The best `rows` of `keys` (ascending) for `query`, best first, with their scores: the first
/// `rows` of their complete ranking (fewer when fewer match). `title_starts[key]` is the first
/// character of the title of `key`'s record. `None` when that takes scoring more than `budget`
/// records, or when `stop` says the result is no longer wanted.
pub(crate) fn first_screen(
    query: &Query,
    keys: &[usize],
    records: &dyn Records,
    title_starts: &[Option<char>],
    rows: usize,
    budget: usize,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(usize, i64)>> {
    if rows == 0 {
        return None;
    }
    // The keys by the most their records can score, highest first; each level's keys
    // ascending. There are few levels: one per way a title can start against the words.
    let mut levels: Vec<(i64, Vec<usize>)> = Vec::new();
    for &key in keys {
        let bound = query.ceiling_for(title_starts.get(key).copied().flatten());
        match levels.iter_mut().find(|(b, _)| *b == bound) {
            Some((_, level)) => level.push(key),
            None => levels.push((bound, vec![key])),
        }
    }
    levels.sort_unstable_by(|a, b| b.0.cmp(&a.0));
    // The best found so far, best first: (score, key).
    let mut best: Vec<(i64, usize)> = Vec::with_capacity(rows + 1);
    let mut scored = 0;
    for (bound, level) in &levels {
        for &key in level {
            // Not scored yet: this key and the next ones of this level (at most `bound`, keys
            // from `key` on) and the lower levels (below `bound`).
            if let Some(&(score, last)) = best.get(rows - 1)
                && (score > *bound || (score == *bound && last < key))
            {
                return Some(best.into_iter().map(|(s, k)| (k, s)).collect());
            }
            if scored == budget || stop() {
                return None;
            }
            scored += 1;
            if let Some(score) = query.rank(records.record(key)) {
                let at = best.partition_point(|&(s, k)| s > score || (s == score && k < key));
                if at < rows {
                    best.insert(at, (score, key));
                    best.truncate(rows);
                }
            }
        }
    }
    // Every key scored.
    Some(best.into_iter().map(|(s, k)| (k, s)).collect())
}
