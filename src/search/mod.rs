//! Finding things by typing: fuzzy matching (skim's algorithm, from `fuzzy-matcher`) of short
//! strings such as theme and reason names, and the record search: how a query scores a record
//! ([`records`]), continuing from its earlier results as it is typed ([`engine`]), its best
//! results found first ([`screen`]), on a thread of its own so that typing never waits for it
//! ([`worker`]).

pub mod engine;
pub mod records;
pub mod screen;
pub mod worker;

use fuzzy_matcher::FuzzyMatcher;

use self::records::fresh_skim;

/// One item that matched, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the item in the list searched.
    pub index: usize,
    /// Higher is better.
    pub score: i64,
    /// Character positions in the item that matched the query (for highlighting).
    pub positions: Vec<usize>,
}

/// The items matching `query`, best first (ties in list order). An empty query matches every
/// item, in list order. Matching ignores case.
pub fn rank<S: AsRef<str>>(query: &str, items: &[S]) -> Vec<Match> {
    let query = query.trim();
    if query.is_empty() {
        return (0..items.len())
            .map(|index| Match {
                index,
                score: 0,
                positions: Vec::new(),
            })
            .collect();
    }
    let mut matches: Vec<Match> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            // A matcher of its own for each item, so that an item's score is its own (see
            // `records::fresh_skim`).
            let (score, positions) = fresh_skim().fuzzy_indices(item.as_ref(), query)?;
            Some(Match {
                index,
                score,
                positions,
            })
        })
        .collect();
    matches.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_match_first_and_positions_for_highlighting() {
        let items = ["workload and capacity", "team working", "digital and IT"];
        let found = rank("work", &items);
        let order: Vec<usize> = found.iter().map(|m| m.index).collect();
        assert_eq!(order[..2], [0, 1]);
        assert_eq!(found[0].positions, [0, 1, 2, 3]);
        assert!(rank("zzz", &items).is_empty());
        assert_eq!(rank("", &items).len(), 3);
        assert_eq!(rank("DIGITAL", &items)[0].index, 2);
    }
}
