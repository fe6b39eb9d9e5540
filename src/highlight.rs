//! Terms a review wants to spot at a glance (review.toml's `[highlight]`, or `--highlight`):
//! inclusion terms and exclusion terms found in titles and abstracts, so the screen can mark
//! them in two colours (and bold / underline, for screens without colour).

use std::ops::Range;

use regex::{Regex, RegexBuilder};

/// Which list a term came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A term suggesting inclusion.
    Include,
    /// A term suggesting exclusion.
    Exclude,
}

/// A term that could not be turned into a pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("highlight term {term:?}: {reason}")]
pub struct HighlightError {
    /// The term as written.
    pub term: String,
    /// Why it is not usable.
    pub reason: String,
}

/// Compiled highlight terms.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    include: Option<Regex>,
    exclude: Option<Regex>,
}

/// Largest number of terms per list (a pattern stays small and fast).
const MAX_TERMS: usize = 500;

impl Highlighter {
    /// Compiles both lists. Terms are case-insensitive; `*` stands for any letters
    /// (`qualitativ*`); a phrase matches whatever spacing the text uses; terms match whole
    /// words.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, HighlightError> {
        Ok(Self {
            include: pattern(include)?,
            exclude: pattern(exclude)?,
        })
    }

    /// Whether there is anything to highlight.
    pub fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    /// Where terms occur in `text`, in order, without overlaps (an exclusion term wins over an
    /// inclusion term at the same place).
    pub fn marks(&self, text: &str) -> Vec<(Range<usize>, Mark)> {
        let mut found: Vec<(Range<usize>, Mark)> = Vec::new();
        for (regex, mark) in [
            (&self.exclude, Mark::Exclude),
            (&self.include, Mark::Include),
        ] {
            if let Some(regex) = regex {
                found.extend(
                    regex
                        .find_iter(text)
                        .filter(|m| !m.is_empty())
                        .map(|m| (m.range(), mark)),
                );
            }
        }
        found.sort_by_key(|(range, mark)| (range.start, *mark == Mark::Include));
        let mut kept: Vec<(Range<usize>, Mark)> = Vec::with_capacity(found.len());
        for (range, mark) in found {
            if kept.last().is_none_or(|(last, _)| range.start >= last.end) {
                kept.push((range, mark));
            }
        }
        kept
    }
}

fn pattern(terms: &[String]) -> Result<Option<Regex>, HighlightError> {
    let parts: Vec<String> = terms
        .iter()
        .take(MAX_TERMS)
        .map(|t| t.trim())
        .filter(|t| !t.is_empty() && t.chars().any(char::is_alphanumeric))
        .map(term_pattern)
        .collect();
    if parts.is_empty() {
        return Ok(None);
    }
    RegexBuilder::new(&parts.join("|"))
        .case_insensitive(true)
        .size_limit(1 << 22)
        .build()
        .map(Some)
        .map_err(|e| HighlightError {
            term: terms.join(", "),
            reason: e.to_string(),
        })
}

/// One term compiled on its own, case-insensitive, with the same meaning as in a highlight
/// list; shared with [`crate::query`] so a term finds in a query what it marks on screen.
pub(crate) fn term_regex(term: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&term_pattern(term.trim()))
        .case_insensitive(true)
        .build()
}

/// One term as a pattern: words escaped, `*` as any letters, spaces as any white space, and
/// word boundaries where the term starts or ends with a letter or digit.
fn term_pattern(term: &str) -> String {
    let words: Vec<String> = term
        .split_whitespace()
        .map(|w| {
            w.split('*')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\w*")
        })
        .collect();
    let body = words.join(r"\s+");
    let starts_word = term.chars().next().is_some_and(char::is_alphanumeric);
    let ends_word = term.chars().last().is_some_and(char::is_alphanumeric);
    format!(
        "(?:{}{body}{})",
        if starts_word { r"\b" } else { "" },
        if ends_word { r"\b" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn marked<'a>(h: &Highlighter, text: &'a str) -> Vec<(&'a str, Mark)> {
        h.marks(text)
            .into_iter()
            .map(|(r, m)| (&text[r], m))
            .collect()
    }

    #[test]
    fn wildcards_phrases_case_and_whole_words() {
        let h = Highlighter::new(
            &words(&["qualitativ*", "focus group", "GP"]),
            &words(&["rat*", "randomi*ed trial"]),
        )
        .unwrap();
        assert_eq!(
            marked(
                &h,
                "A Qualitative study with a Focus  group of GPs, not a randomised trial in rats; GP practice and separate data."
            ),
            [
                ("Qualitative", Mark::Include),
                ("Focus  group", Mark::Include),
                ("randomised trial", Mark::Exclude),
                ("rats", Mark::Exclude),
                ("GP", Mark::Include),
            ]
        );
    }

    #[test]
    fn terms_are_whole_words_unless_a_wildcard_says_otherwise() {
        let plain = Highlighter::new(&words(&["focus group"]), &[]).unwrap();
        assert!(plain.marks("focus groups").is_empty());
        let wild = Highlighter::new(&words(&["focus group*"]), &[]).unwrap();
        assert_eq!(
            marked(&wild, "focus groups"),
            [("focus groups", Mark::Include)]
        );
    }

    #[test]
    fn exclusion_wins_where_both_match_and_nothing_matches_nothing() {
        let h = Highlighter::new(&words(&["primary care"]), &words(&["care"])).unwrap();
        assert_eq!(
            marked(&h, "primary care"),
            [("primary care", Mark::Include)]
        );
        let same = Highlighter::new(&words(&["care"]), &words(&["care"])).unwrap();
        assert_eq!(marked(&same, "care"), [("care", Mark::Exclude)]);
        let none = Highlighter::new(&words(&["", "  ", "*"]), &[]).unwrap();
        assert!(none.is_empty());
        assert!(none.marks("anything").is_empty());
    }
}
