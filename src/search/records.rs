//! Searching studies as a reviewer types: every word typed must match somewhere in the record.
//! Title, authors, journal and keywords are matched fuzzily (skim's algorithm: letters in
//! order, closeness rewarded), the year exactly, and the abstract by the word itself: an
//! in-order scattered match over a 300-word abstract matches nearly every record, and exact
//! substring search is what stays fast over 100,000 abstracts.

use std::thread;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::{memchr, memchr2};
use regex::{Regex, RegexBuilder};

use crate::record::Record;

/// How much a match in each field counts, relative to the others.
const TITLE_WEIGHT: i64 = 3;
const PEOPLE_WEIGHT: i64 = 2;
const SOURCE_WEIGHT: i64 = 2;
/// Score of a word found in the abstract (a title match of a few letters scores more).
const ABSTRACT_SCORE: i64 = 30;
/// Score of a typed year equal to the record's.
const YEAR_SCORE: i64 = 200;
/// Fewer candidates than this are scored on one thread (starting another costs more).
const PER_THREAD: usize = 2_000;

/// A typed query, ready to match records.
pub struct Query {
    terms: Vec<Term>,
    matcher: SkimMatcherV2,
}

struct Term {
    text: String,
    /// The word's bytes, ASCII letters in lower case: what skim compares (it ignores ASCII
    /// case only), for the test that its letters occur in order.
    folded: Vec<u8>,
    /// The most skim can score the word on any text (see [`skim_ceiling`]).
    ceiling: i64,
    in_abstract: Regex,
}

/// How well a record matched, and where in its title (for highlighting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// Higher is better.
    pub score: i64,
    /// Character positions in the title that matched.
    pub title_positions: Vec<usize>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let words: Vec<&str> = self.terms.iter().map(|t| t.text.as_str()).collect();
        f.debug_tuple("Query").field(&words).finish()
    }
}

impl Query {
    /// The query for `text`; `None` when nothing was typed.
    pub fn new(text: &str) -> Option<Self> {
        let terms: Vec<Term> = text
            .split_whitespace()
            .filter_map(|word| {
                let in_abstract = RegexBuilder::new(&regex::escape(word))
                    .case_insensitive(true)
                    .build()
                    .ok()?;
                Some(Term {
                    text: word.to_string(),
                    folded: word.bytes().map(|b| b.to_ascii_lowercase()).collect(),
                    ceiling: skim_ceiling(word),
                    in_abstract,
                })
            })
            .collect();
        (!terms.is_empty()).then(|| Self {
            terms,
            matcher: SkimMatcherV2::default().ignore_case(),
        })
    }

    /// The record's score and title positions, or `None` when some word typed matches nowhere
    /// in it.
    pub fn score(&self, record: &Record) -> Option<Scored> {
        let score = self.rank(record)?;
        Some(Scored {
            score,
            title_positions: self.title_positions(&record.title),
        })
    }

    /// The record's score (higher is better), or `None` when some word typed matches nowhere
    /// in it. The ranking alone: where the title matched is [`Query::title_positions`], needed
    /// only for the rows on screen.
    pub fn rank(&self, record: &Record) -> Option<i64> {
        self.terms
            .iter()
            .map(|term| self.best(term, record).map(|b| b.max(1)))
            .sum()
    }

    /// The best score of one word over the record's fields.
    fn best(&self, term: &Term, record: &Record) -> Option<i64> {
        // A field matches when the word's letters occur in it in order (skim may still
        // score such a match at or below zero); that test only gets stricter as a word
        // grows, which is what lets a search continue from its previous results. It is run
        // first on the bytes, which rules out most fields without building skim's matrix.
        let fuzzy = |text: &str| {
            in_order(&term.folded, text.as_bytes())
                .then(|| self.matcher.fuzzy_match(text, &term.text))
                .flatten()
        };
        // The title is scored like the other fields. (Its score once came from
        // `fuzzy_indices`, whose full matrix reads cells left over from the previous call:
        // a record's score then depended on the record scored before it.)
        let title = fuzzy(&record.title).map(|s| s * TITLE_WEIGHT);
        // Authors and sources are weighed less than the title: when the title already
        // scores more than they could, skim need not score them.
        let ceiling = SOURCE_WEIGHT.max(PEOPLE_WEIGHT) * term.ceiling;
        let unbeatable = |best: Option<i64>| best.is_some_and(|b| b >= ceiling);
        let people = if unbeatable(title) {
            None
        } else {
            record.authors.iter().filter_map(|a| fuzzy(a)).max()
        };
        let source = if unbeatable(title.max(people.map(|s| s * PEOPLE_WEIGHT))) {
            None
        } else {
            record
                .journal
                .iter()
                .chain(&record.keywords)
                .filter_map(|s| fuzzy(s))
                .max()
        };
        // A year matches as it is typed: "201" matches 2015 (weakly), "2019" 2019. Only
        // a word starting with a digit can.
        let year = record
            .year
            .filter(|_| term.folded.first().is_some_and(u8::is_ascii_digit))
            .map(|y| y.to_string())
            .and_then(|y| {
                if y == term.text {
                    Some(YEAR_SCORE)
                } else {
                    y.starts_with(&term.text).then_some(1)
                }
            });
        let best = [
            title,
            people.map(|s| s * PEOPLE_WEIGHT),
            source.map(|s| s * SOURCE_WEIGHT),
            year,
        ]
        .into_iter()
        .flatten()
        .max();
        // The abstract can only raise a best below its fixed score.
        if best.is_some_and(|b| b >= ABSTRACT_SCORE) {
            return best;
        }
        let in_abstract = record
            .sections
            .iter()
            .any(|s| term.in_abstract.is_match(&s.text));
        match (best, in_abstract) {
            (Some(b), true) => Some(b.max(ABSTRACT_SCORE)),
            (None, true) => Some(ABSTRACT_SCORE),
            (best, false) => best,
        }
    }

    /// Character positions in `title` matching the query's words (for highlighting).
    pub fn title_positions(&self, title: &str) -> Vec<usize> {
        // A matcher of its own each time: `fuzzy_indices` reads cells its cache kept from
        // earlier calls, and the same title must always be marked the same way.
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut positions: Vec<usize> = self
            .terms
            .iter()
            .filter(|term| in_order(&term.folded, title.as_bytes()))
            .filter_map(|term| matcher.fuzzy_indices(title, &term.text))
            .flat_map(|(_, positions)| positions)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// The candidates that match, with their scores, in the candidates' order: what a search
    /// box shows for one typed character. Large sets are split over the machine's cores.
    pub fn matches<K: Copy + Send + Sync>(&self, candidates: &[(K, &Record)]) -> Vec<(K, i64)> {
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores.min(candidates.len() / PER_THREAD).max(1);
        let score = |part: &[(K, &Record)]| -> Vec<(K, i64)> {
            part.iter()
                .filter_map(|&(key, record)| self.rank(record).map(|s| (key, s)))
                .collect()
        };
        if threads == 1 {
            return score(candidates);
        }
        let chunk = candidates.len().div_ceil(threads);
        thread::scope(|scope| {
            let parts: Vec<_> = candidates
                .chunks(chunk)
                .skip(1)
                .map(|part| scope.spawn(move || score(part)))
                .collect();
            let mut all = score(&candidates[..chunk]);
            for part in parts {
                // A scoring thread only panics if this thread would have too.
                all.extend(part.join().unwrap_or_default());
            }
            all
        })
    }

    /// Whether this query narrows `previous` (every record it matches, `previous` matched too),
    /// so a search can continue from the previous results instead of starting over.
    pub fn narrows(&self, previous: &Query) -> bool {
        previous.terms.len() <= self.terms.len()
            && previous
                .terms
                .iter()
                .zip(&self.terms)
                .enumerate()
                .all(|(i, (old, new))| {
                    let last_old = i + 1 == previous.terms.len();
                    if last_old {
                        new.text.starts_with(&old.text)
                    } else {
                        new.text == old.text
                    }
                })
    }
}

/// The most skim's default scoring gives a match of `word` on any text: 32 a character,
/// less one. Each matched character scores at most `score_match` (16) plus a bonus (at most
/// `bonus_head` 8 doubled on the first character, 16); gaps only subtract; the first row starts
/// from `gap_extension` (-1). So row i of skim's matrix never exceeds 32 i - 1 (fuzzy-matcher
/// 0.3.7, `SkimScoreConfig::default` and `build_score_matrix`).
fn skim_ceiling(word: &str) -> i64 {
    let chars = i64::try_from(word.chars().count()).unwrap_or(i64::MAX / 64);
    32 * chars - 1
}

/// Whether the bytes of `word` (ASCII letters in lower case) occur in `text` in order,
/// ignoring ASCII case. Skim matches a word only where its characters do, comparing ASCII
/// letters without case and other characters exactly, so a field failing this cannot match.
fn in_order(word: &[u8], text: &[u8]) -> bool {
    // Most fields are short (an author, a keyword): a plain loop beats starting memchr.
    if text.len() < 64 {
        let mut wanted = word.iter();
        let mut next = wanted.next();
        for &b in text {
            match next {
                None => break,
                Some(&w) if b.to_ascii_lowercase() == w => next = wanted.next(),
                Some(_) => {}
            }
        }
        return next.is_none();
    }
    let mut rest = text;
    for &b in word {
        let found = if b.is_ascii_lowercase() {
            memchr2(b, b.to_ascii_uppercase(), rest)
        } else {
            memchr(b, rest)
        };
        match found {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::record::{RecordId, Section, Source};

    fn record(title: &str, author: &str, year: u16, abstract_text: &str) -> Record {
        Record {
            id: RecordId::new("x"),
            title: title.into(),
            authors: vec![author.into()],
            year: Some(year),
            journal: Some("British Journal of General Practice".into()),
            volume: None,
            issue: None,
            pages: None,
            doi: None,
            keywords: vec!["social prescribing".into()],
            sections: vec![Section {
                label: None,
                text: abstract_text.into(),
            }],
            extra: BTreeMap::new(),
            source: Source {
                file: "a.ris".into(),
                index: 0,
                line: 1,
                span: 0..0,
            },
        }
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let r = record(
            "Group consultations in general practice",
            "Swaithes L",
            2021,
            "Telephone interviews with GPs.",
        );
        let q = |text: &str| Query::new(text).and_then(|q| q.score(&r));
        assert!(q("grp cons").is_some(), "fuzzy on the title");
        assert!(q("swaithes 2021").is_some(), "author and year");
        assert!(q("telephone").is_some(), "a word of the abstract");
        assert!(
            q("general practice journal").is_some(),
            "the journal, fuzzily"
        );
        assert!(q("prescribing").is_some(), "a keyword");
        assert!(
            q("consultations zebra").is_none(),
            "a word matching nowhere"
        );
        assert!(
            q("tlphn").is_none(),
            "the abstract is searched for the word itself"
        );
        assert!(Query::new("   ").is_none());
    }

    #[test]
    fn title_matches_rank_above_abstract_matches_and_are_located() {
        let in_title = record(
            "Telephone follow-up after discharge",
            "A",
            2020,
            "Nothing here.",
        );
        let in_abstract = record("Follow-up after discharge", "B", 2020, "By telephone.");
        let q = Query::new("telephone").unwrap();
        let (a, b) = (q.score(&in_title).unwrap(), q.score(&in_abstract).unwrap());
        assert!(a.score > b.score, "{} vs {}", a.score, b.score);
        assert_eq!(a.title_positions, (0..9).collect::<Vec<_>>());
        assert!(b.title_positions.is_empty());
    }

    /// The scoring as it was before the byte prefilter, the fields skipped when another
    /// already scores more than they can, and the title positions found apart: every field of
    /// every word scored.
    fn reference(text: &str, record: &Record) -> Option<Scored> {
        let matcher = SkimMatcherV2::default().ignore_case();
        let fresh = || SkimMatcherV2::default().ignore_case();
        let mut total = 0;
        let mut title_positions = Vec::new();
        for word in text.split_whitespace() {
            let in_abstract = RegexBuilder::new(&regex::escape(word))
                .case_insensitive(true)
                .build()
                .unwrap();
            let fuzzy = |text: &str| matcher.fuzzy_match(text, word);
            let title = fuzzy(&record.title)
                .map(|s| (s, fresh().fuzzy_indices(&record.title, word).unwrap().1));
            let people = record.authors.iter().filter_map(|a| fuzzy(a)).max();
            let source = record
                .journal
                .iter()
                .chain(&record.keywords)
                .filter_map(|s| fuzzy(s))
                .max();
            let year = record.year.map(|y| y.to_string()).and_then(|y| {
                if y == word {
                    Some(YEAR_SCORE)
                } else {
                    y.starts_with(word).then_some(1)
                }
            });
            let abstract_score = record
                .sections
                .iter()
                .any(|s| in_abstract.is_match(&s.text))
                .then_some(ABSTRACT_SCORE);
            let best = [
                title.as_ref().map(|(s, _)| s * TITLE_WEIGHT),
                people.map(|s| s * PEOPLE_WEIGHT),
                source.map(|s| s * SOURCE_WEIGHT),
                year,
                abstract_score,
            ]
            .into_iter()
            .flatten()
            .max();
            total += best.map(|b| b.max(1))?;
            if let Some((_, positions)) = title {
                title_positions.extend(positions);
            }
        }
        title_positions.sort_unstable();
        title_positions.dedup();
        Some(Scored {
            score: total,
            title_positions,
        })
    }

    fn words(max: usize) -> impl Strategy<Value = String> {
        // Letters of both cases, digits, punctuation and non-ASCII letters, so the byte
        // prefilter meets what skim compares with and without case.
        let chars = prop::sample::select(vec![
            'a', 'b', 'c', 'e', 'i', 'n', 's', 't', 'A', 'B', 'E', 'S', 'T', '1', '2', '0', '9',
            '-', '.', ' ', 'é', 'É', 'ß', 'ı', 'İ', 'K',
        ]);
        prop::collection::vec(chars, 0..max).prop_map(|c| c.into_iter().collect())
    }

    fn any_record() -> impl Strategy<Value = Record> {
        (
            words(40),
            prop::collection::vec(words(12), 0..3),
            prop::option::of(words(20)),
            prop::collection::vec(words(15), 0..3),
            prop::option::of(1990u16..2030),
            prop::collection::vec(words(60), 0..2),
        )
            .prop_map(|(title, authors, journal, keywords, year, sections)| {
                let mut r = record(&title, "", 2000, "");
                r.authors = authors;
                r.journal = journal;
                r.keywords = keywords;
                r.year = year;
                r.sections = sections
                    .into_iter()
                    .map(|text| Section { label: None, text })
                    .collect();
                r
            })
    }

    proptest! {
        #[test]
        fn scores_and_positions_are_those_of_every_field_scored(
            typed in words(8),
            records in prop::collection::vec(any_record(), 1..20),
        ) {
            let Some(query) = Query::new(&typed) else {
                return Ok(());
            };
            let mut expected = Vec::new();
            for (i, r) in records.iter().enumerate() {
                let want = reference(&typed, r);
                prop_assert_eq!(query.score(r), want.clone(), "{:?} on {:?}", typed, r.title);
                if let Some(want) = want {
                    expected.push((i, want.score));
                }
            }
            let candidates: Vec<(usize, &Record)> = records.iter().enumerate().collect();
            prop_assert_eq!(query.matches(&candidates), expected);
        }
    }

    proptest! {
        #[test]
        fn skim_never_scores_above_the_ceiling(
            word in words(8),
            texts in prop::collection::vec(words(60), 1..4),
        ) {
            // One matcher for several texts, as a search uses it.
            let matcher = SkimMatcherV2::default().ignore_case();
            let ceiling = skim_ceiling(&word);
            for text in &texts {
                if let Some(score) = matcher.fuzzy_match(text, &word).filter(|_| !word.is_empty()) {
                    prop_assert!(score <= ceiling, "{} > {} for {:?} in {:?}", score, ceiling, word, text);
                }
            }
        }
    }

    #[test]
    fn a_records_score_does_not_depend_on_the_record_scored_before() {
        // Found by the comparison above: skim's `fuzzy_indices` scored the second title 41
        // after the first and 39 alone, so the title's score came to depend on the order
        // records were scored in (a full scan and an incremental one disagreed).
        let (first, second) = (
            record("aaaaaaaaaasa1Saaaaaaaaaaaaaaaaaa", "", 2000, ""),
            record("taaaaaaSaaaaaaaaaaaaSSaaaaaa", "", 2000, ""),
        );
        let alone = Query::new("sS").unwrap().rank(&second);
        let query = Query::new("sS").unwrap();
        query.rank(&first);
        assert_eq!(query.rank(&second), alone);
        assert_eq!(
            alone,
            Some(39 * TITLE_WEIGHT),
            "skim's fuzzy_match on its own"
        );
    }

    #[test]
    fn the_ceiling_is_close_to_the_best_skim_gives() {
        // The best case: every character at the start of a word, the first at the start.
        let matcher = SkimMatcherV2::default().ignore_case();
        for (word, text) in [("a", "a"), ("ab", "a b"), ("abc", "abc"), ("ABC", "A-B-C")] {
            let score = matcher.fuzzy_match(text, word).unwrap();
            assert!(score <= skim_ceiling(word), "{word} in {text}: {score}");
            assert!(score * 2 > skim_ceiling(word), "{word} in {text}: {score}");
        }
    }

    #[test]
    fn matches_split_over_threads_keep_the_candidates_order() {
        let records: Vec<Record> = (0..5_000)
            .map(|i| {
                let title = if i % 3 == 0 {
                    "Insulin pumps"
                } else {
                    "Glucose"
                };
                record(title, "Lee A", 2015, "")
            })
            .collect();
        let candidates: Vec<(usize, &Record)> = records.iter().enumerate().collect();
        let found = Query::new("insulin").unwrap().matches(&candidates);
        let keys: Vec<usize> = found.iter().map(|&(i, _)| i).collect();
        assert_eq!(keys, (0..5_000).step_by(3).collect::<Vec<_>>());
    }

    #[test]
    fn a_longer_query_narrows_the_previous_one() {
        let q = |t: &str| Query::new(t).unwrap();
        assert!(q("tele").narrows(&q("tel")));
        assert!(q("tel gp").narrows(&q("tel")));
        assert!(q("tel gps").narrows(&q("tel gp")));
        assert!(!q("tal").narrows(&q("tel")));
        assert!(!q("gp tel").narrows(&q("tel")));
    }

    #[test]
    fn a_growing_word_only_ever_drops_matches() {
        // The cases a benchmark run found: skim scores "insuli" at or below zero on a title
        // it scores "insulin" well on; and a year typed digit by digit.
        let records = [
            record(
                "Insulin pumps in adolescents",
                "Smith J",
                2019,
                "We interviewed teenagers.",
            ),
            record(
                "Blood glucose monitoring at home",
                "Lee A",
                2015,
                "A survey of parents.",
            ),
        ];
        for full in ["insulin", "2019", "insulin 2019", "pumps adol"] {
            for end in 1..=full.len() {
                let (prefix, whole) = (&full[..end], Query::new(full).unwrap());
                let Some(shorter) = Query::new(prefix) else {
                    continue;
                };
                for r in &records {
                    if whole.score(r).is_some() {
                        assert!(
                            shorter.score(r).is_some(),
                            "{full:?} matches {:?} but its prefix {prefix:?} does not",
                            r.title
                        );
                    }
                }
            }
        }
        assert!(Query::new("insuli").unwrap().score(&records[0]).is_some());
        assert!(Query::new("201").unwrap().score(&records[0]).is_some());
    }
}
