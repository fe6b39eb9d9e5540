//! The real records generated corpora are built from: read with abstriage's own readers,
//! duplicates removed with its own detection (so the pool brings no duplicates of its own),
//! kept only when they have a title, an author and a real abstract.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use abstriage::corpus::{self, CorpusError};
use abstriage::dedup::{self, Overrides};
use abstriage::record::Record;

use super::generate::{Entry, Name};

/// Shortest abstract, in characters, of a record taken into the pool: real exports' abstracts
/// are long, and short ones are mostly notices and placeholders.
const MIN_ABSTRACT_CHARS: usize = 300;

/// Longest affiliation kept from a source record.
const MAX_AFFILIATION_CHARS: usize = 300;

/// Real records and the vocabularies variations draw from.
#[derive(Debug, Clone, Default)]
pub struct Pool {
    /// One entry per distinct real record, in corpus order.
    pub bases: Vec<Entry>,
    /// Title words (lower case, five letters or more), sorted: substituted into titles.
    pub title_words: Vec<String>,
    /// Keywords seen, sorted: given to records that have none.
    pub keywords: Vec<String>,
    /// (journal, abbreviation, ISSN), sorted: given to records without a journal.
    pub journals: Vec<(String, String, String)>,
    /// Affiliations seen, sorted, with a few made-up ones so the list is never empty.
    pub affiliations: Vec<String>,
}

impl Pool {
    /// Reads every corpus file under `path` (or the single file `path`).
    pub fn load(path: &Path) -> Result<Self, CorpusError> {
        let corpus = corpus::load(path)?;
        Ok(Self::from_records(&corpus.records))
    }

    /// Builds a pool from records already read: one per study, the usable ones.
    pub fn from_records(records: &[Record]) -> Self {
        let clusters = dedup::find(records, &Overrides::default());
        let bases: Vec<Entry> = clusters
            .clusters
            .iter()
            .map(|c| &records[c.representative()])
            .filter_map(entry_of)
            .collect();
        let mut title_words = BTreeSet::new();
        let mut keywords = BTreeSet::new();
        let mut journals = BTreeMap::new();
        let mut affiliations: BTreeSet<String> = SYNTHETIC_AFFILIATIONS
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        for base in &bases {
            for word in base.title.split_whitespace() {
                let word = word.trim_matches(|c: char| !c.is_alphabetic());
                if word.chars().count() >= 5
                    && word.chars().all(char::is_alphabetic)
                    && !word.chars().all(char::is_uppercase)
                {
                    title_words.insert(word.to_lowercase());
                }
            }
            keywords.extend(
                base.keywords
                    .iter()
                    .filter(|k| (3..=40).contains(&k.chars().count()))
                    .cloned(),
            );
            if !base.journal.is_empty() {
                journals
                    .entry(base.journal.clone())
                    .or_insert_with(|| (base.journal_abbrev.clone(), base.issn.clone()));
            }
            if !base.affiliation.is_empty() {
                affiliations.insert(base.affiliation.clone());
            }
        }
        if keywords.is_empty() {
            keywords.extend(title_words.iter().take(50).cloned());
        }
        if journals.is_empty() {
            journals.insert(
                "Journal of Evidence Synthesis".to_string(),
                (String::new(), String::new()),
            );
        }
        Self {
            bases,
            title_words: title_words.into_iter().collect(),
            keywords: keywords.into_iter().collect(),
            journals: journals
                .into_iter()
                .map(|(name, (abbrev, issn))| {
                    let abbrev = if abbrev.is_empty() {
                        abbreviate(&name)
                    } else {
                        abbrev
                    };
                    let issn = if issn.is_empty() {
                        made_up_issn(&name)
                    } else {
                        issn
                    };
                    (name, abbrev, issn)
                })
                .collect(),
            affiliations: affiliations.into_iter().collect(),
        }
    }

    /// Whether there is nothing to generate from.
    pub fn is_empty(&self) -> bool {
        self.bases.is_empty()
    }
}

/// The entry of a usable record, or `None`.
fn entry_of(record: &Record) -> Option<Entry> {
    let abstract_chars: usize = record.sections.iter().map(|s| s.text.chars().count()).sum();
    if record.title.is_empty() || record.authors.is_empty() || abstract_chars < MIN_ABSTRACT_CHARS {
        return None;
    }
    let authors: Vec<Name> = record
        .authors
        .iter()
        .map(|a| Name::parse(a))
        .filter(|n| !n.family.is_empty())
        .collect();
    if authors.is_empty() {
        return None;
    }
    let (first_page, last_page) = record.pages.as_deref().map(split_pages).unwrap_or_default();
    let extra = |key: &str| record.extra.get(key).unwrap_or_default().to_string();
    let affiliation = ["affiliations", "address"]
        .iter()
        .map(|k| extra(k))
        .find(|a| !a.is_empty())
        .map(|a| {
            let first = a.split(';').next().unwrap_or_default().trim().to_string();
            first.chars().take(MAX_AFFILIATION_CHARS).collect()
        })
        .unwrap_or_default();
    let issn = extra("issn")
        .split([' ', ';', ','])
        .find(|s| s.len() == 9 && s.as_bytes()[4] == b'-')
        .unwrap_or_default()
        .to_string();
    Some(Entry {
        study: 0,
        title: record.title.clone(),
        authors,
        year: record.year,
        journal: record.journal.clone().unwrap_or_default(),
        journal_abbrev: extra("journal abbreviation"),
        volume: record.volume.clone().unwrap_or_default(),
        issue: record.issue.clone().unwrap_or_default(),
        first_page,
        last_page,
        doi: record.doi.clone().unwrap_or_default(),
        pmid: Some(extra("pmid"))
            .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_default(),
        issn,
        sections: record
            .sections
            .iter()
            .map(|s| (s.label.clone().unwrap_or_default(), s.text.clone()))
            .collect(),
        copyright: String::new(),
        keywords: record.keywords.clone(),
        affiliation,
        style: Default::default(),
    })
}

/// `1001-1013` → (`1001`, `1013`); `e413` → (`e413`, ``).
fn split_pages(pages: &str) -> (String, String) {
    match pages.split_once(['-', '–']) {
        Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
        None => (pages.trim().to_string(), String::new()),
    }
}

/// A rough NLM-style abbreviation: short words dropped, long ones cut (`Journal of
/// Hypertension` → `Jour Hype`), for journals whose source gave none.
fn abbreviate(journal: &str) -> String {
    journal
        .split_whitespace()
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "of" | "the" | "and" | "&" | "in" | "for"
            )
        })
        .map(|w| w.chars().take(5).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stable made-up ISSN for a journal (FNV-1a of its name), so every record of one journal
/// carries the same one.
fn made_up_issn(journal: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in journal.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let digits = hash % 100_000_000;
    format!("{:04}-{:04}", digits / 10_000, digits % 10_000)
}

const SYNTHETIC_AFFILIATIONS: &[&str] = &[
    "Department of Primary Care and Public Health, University of Bristol, Bristol, UK",
    "School of Nursing and Midwifery, Trinity College Dublin, Dublin, Ireland",
    "Department of Epidemiology, Erasmus MC, Rotterdam, The Netherlands",
    "Institute of Health and Society, Newcastle University, Newcastle upon Tyne, UK",
    "Department of Family Medicine, McMaster University, Hamilton, Ontario, Canada",
    "School of Public Health, The University of Sydney, Sydney, NSW, Australia",
    "Department of Clinical Sciences, Lund University, Malmö, Sweden",
    "Centre for Health Services Research, The University of Queensland, Brisbane, Australia",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_on_hyphen_or_en_dash() {
        assert_eq!(split_pages("1001-1013"), ("1001".into(), "1013".into()));
        assert_eq!(split_pages("e413–e422"), ("e413".into(), "e422".into()));
        assert_eq!(split_pages("2864"), ("2864".into(), String::new()));
    }

    #[test]
    fn made_up_issns_look_like_issns_and_are_stable() {
        let issn = made_up_issn("Journal of Hypertension");
        assert_eq!(issn.len(), 9);
        assert_eq!(&issn[4..5], "-");
        assert_eq!(issn, made_up_issn("Journal of Hypertension"));
    }
}
