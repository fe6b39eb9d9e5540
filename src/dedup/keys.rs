//! The comparable form of each field duplicate detection looks at: the same value written
//! differently by two databases (case, accents, punctuation, markup, page-range style,
//! `[bracketed]` translated titles, `https://doi.org/` prefixes) gives the same key.

use unicode_normalization::UnicodeNormalization;

use crate::id::normalise_doi;
use crate::record::{Record, family_name};

/// Everything duplicate detection compares, computed once per record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// Title words, lower case, accents and punctuation removed.
    pub title: Vec<String>,
    /// The title words joined by single spaces.
    pub title_text: String,
    /// Normalised DOI.
    pub doi: Option<String>,
    /// PubMed id.
    pub pmid: Option<String>,
    /// Publication year.
    pub year: Option<u16>,
    /// First author's family name, folded.
    pub author: Option<String>,
    /// First page (`221` from `221-8`, `e413` from `e413-e422`).
    pub page: Option<String>,
    /// Volume number (`38` from `38 (Supplement 1)`).
    pub volume: Option<String>,
    /// The abstract's opening, normalised: corroborates a title match, never vetoes one
    /// (databases cut abstracts differently).
    pub abstract_head: Option<String>,
}

/// Normalised characters of an abstract's opening compared.
const ABSTRACT_HEAD_CHARS: usize = 300;

impl Keys {
    /// The keys of `record`.
    pub fn of(record: &Record) -> Self {
        let title = title_words(&record.title);
        Self {
            title_text: title.join(" "),
            title,
            doi: record.doi.as_deref().and_then(normalise_doi),
            pmid: record
                .extra
                .get("pmid")
                .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                .cloned(),
            year: record.year,
            author: record
                .authors
                .first()
                .map(|a| fold(&family_name(a)))
                .filter(|a| !a.is_empty()),
            page: record.pages.as_deref().and_then(first_page),
            volume: record.volume.as_deref().and_then(leading_number),
            abstract_head: Some(crate::id::normalise_text(&record.abstract_text()))
                .filter(|a| a.len() >= 100)
                .map(|a| a.chars().take(ABSTRACT_HEAD_CHARS).collect()),
        }
    }
}

/// Title words for comparison: a title wholly in brackets (how MEDLINE marks a translated
/// title) loses them; then lower case, accents folded, every run of other characters a break.
pub fn title_words(title: &str) -> Vec<String> {
    let title = title.trim().trim_end_matches('.');
    let title = title
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(title);
    fold(title)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lower case, accents removed, letters and digits kept, anything else a single space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfkd().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if unicode_normalization::char::is_combining_mark(c) {
            continue;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

fn first_page(pages: &str) -> Option<String> {
    let first = pages
        .split(['-', '–', ' ', ','])
        .next()?
        .trim()
        .to_lowercase();
    (!first.is_empty() && first.chars().any(|c| c.is_ascii_digit())).then_some(first)
}

fn leading_number(volume: &str) -> Option<String> {
    let digits: String = volume
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_compare_without_case_accents_punctuation_or_brackets() {
        assert_eq!(
            title_words("[Évaluation of X-rays: a review.]"),
            title_words("Evaluation of X rays - A Review")
        );
        assert_eq!(
            title_words("Care—quality, “safety” & cost."),
            ["care", "quality", "safety", "cost"]
        );
    }

    #[test]
    fn pages_and_volumes_reduce_to_their_first_number() {
        assert_eq!(first_page("221-8"), first_page("221-228"));
        assert_eq!(first_page("e413-e422").as_deref(), Some("e413"));
        assert_eq!(first_page("n/a"), None);
        assert_eq!(leading_number("38 (Supplement 1)").as_deref(), Some("38"));
        assert_eq!(leading_number("Suppl"), None);
    }
}
