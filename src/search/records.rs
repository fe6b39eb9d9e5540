//! Searching studies as a reviewer types: every word typed must match somewhere in the record.
//! Title, authors, journal and keywords are matched fuzzily (skim's algorithm: letters in
//! order, closeness rewarded), the year exactly, and the abstract by the word itself: an
//! in-order scattered match over a 300-word abstract matches nearly every record, and exact
//! substring search is what stays fast over 100,000 abstracts.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
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

/// A typed query, ready to match records.
pub struct Query {
    terms: Vec<Term>,
    matcher: SkimMatcherV2,
}

struct Term {
    text: String,
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
                    in_abstract,
                })
            })
            .collect();
        (!terms.is_empty()).then(|| Self {
            terms,
            matcher: SkimMatcherV2::default().ignore_case(),
        })
    }

    /// The record's score, or `None` when some word typed matches nowhere in it.
    pub fn score(&self, record: &Record) -> Option<Scored> {
        let mut total = 0;
        let mut title_positions = Vec::new();
        for term in &self.terms {
            // A field matches when the word's letters occur in it in order (skim may still
            // score such a match at or below zero); that test only gets stricter as a word
            // grows, which is what lets a search continue from its previous results.
            let title = self.matcher.fuzzy_indices(&record.title, &term.text);
            let fuzzy = |text: &str| self.matcher.fuzzy_match(text, &term.text);
            let people = record.authors.iter().filter_map(|a| fuzzy(a)).max();
            let source = record
                .journal
                .iter()
                .chain(&record.keywords)
                .filter_map(|s| fuzzy(s))
                .max();
            // A year matches as it is typed: "201" matches 2015 (weakly), "2019" 2019.
            let year = record.year.map(|y| y.to_string()).and_then(|y| {
                if y == term.text {
                    Some(YEAR_SCORE)
                } else {
                    y.starts_with(&term.text).then_some(1)
                }
            });
            let in_abstract = record
                .sections
                .iter()
                .any(|s| term.in_abstract.is_match(&s.text))
                .then_some(ABSTRACT_SCORE);
            let best = [
                title.as_ref().map(|(s, _)| s * TITLE_WEIGHT),
                people.map(|s| s * PEOPLE_WEIGHT),
                source.map(|s| s * SOURCE_WEIGHT),
                year,
                in_abstract,
            ]
            .into_iter()
            .flatten()
            .max();
            // A match never scores below 1, so any match outranks none.
            let best = best.map(|b| b.max(1))?;
            total += best;
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

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
