//! The cleaned study record a reviewer screens, and where it came from.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod extra;
mod index;

pub use extra::Extra;
pub use index::IdIndex;

/// Stable identifier of a record: the key of every decision stored about it.
///
/// Built by [`crate::id::record_id`]: the lower-cased DOI when the source gives one, otherwise a
/// short hash of normalised source fields (see `docs/record-ids.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(String);

impl RecordId {
    /// Wraps an id read from a decisions file or built by [`crate::id`].
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as written in decision files.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One labelled part of a structured abstract ("Background", "Methods", ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The label as a reader would write it (`Design and setting`), `None` for unlabelled text.
    pub label: Option<String>,
    /// The section's cleaned text.
    pub text: String,
}

/// Where a record stands in the corpus, so a reviewer (and `r`aw view) can find it again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File path relative to the corpus root, with `/` separators.
    pub file: String,
    /// 0-based position of the record within its file.
    pub index: usize,
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// Byte range of the record in the file's decoded text (for the raw view).
    pub span: std::ops::Range<usize>,
}

/// A study as the reviewer sees it: every field its source gives, cleaned.
/// `Default` is an empty record with an empty id, for building records field by field.
/// Serialised only by the load cache ([`crate::cache`]); exports have their own shapes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Stable id; decisions are keyed on it.
    pub id: RecordId,
    /// Cleaned title; empty when the source has none (never invented).
    pub title: String,
    /// Author names as the source writes them, in order.
    pub authors: Vec<String>,
    /// Publication year.
    pub year: Option<u16>,
    /// Journal (or other container) name.
    pub journal: Option<String>,
    /// Journal volume.
    pub volume: Option<String>,
    /// Journal issue.
    pub issue: Option<String>,
    /// Page range or article number (`e413-e422`).
    pub pages: Option<String>,
    /// DOI as the source gives it, without any `https://doi.org/` prefix.
    pub doi: Option<String>,
    /// Author keywords / subject terms.
    pub keywords: Vec<String>,
    /// The structured abstract, cleaned; empty when the source has no abstract. Shared, never
    /// changed after the load: the record shown for a study found several times takes its
    /// longest abstract without a copy.
    pub sections: Arc<[Section]>,
    /// Fields the source has that have no place above (URL, ISSN, language, publisher, ...),
    /// keyed by a readable name; kept so that nothing the source gave is lost.
    pub extra: Extra,
    /// Where the record came from.
    pub source: Source,
}

/// Longest derived label (in characters) before it is cut with an ellipsis.
const DERIVED_LABEL_CHARS: usize = 110;

impl Record {
    /// The whole cleaned abstract as text: one line per section, `Label: text`.
    pub fn abstract_text(&self) -> String {
        let mut text = String::with_capacity(self.abstract_len());
        for (n, section) in self.sections.iter().enumerate() {
            if n > 0 {
                text.push('\n');
            }
            if let Some(label) = &section.label {
                text.push_str(label);
                text.push_str(": ");
            }
            text.push_str(&section.text);
        }
        text
    }

    /// The length in bytes of [`Record::abstract_text`], without building it.
    pub fn abstract_len(&self) -> usize {
        let lines: usize = self
            .sections
            .iter()
            .map(|s| s.text.len() + s.label.as_ref().map_or(0, |l| l.len() + 2))
            .sum();
        lines + self.sections.len().saturating_sub(1)
    }

    /// Whether the source gave no title, so the list must show a derived label instead.
    pub fn is_untitled(&self) -> bool {
        self.title.is_empty()
    }

    /// The title, or for untitled records a label derived from what the source does give:
    /// `[Author Year] aim or first sentence…`. The brackets mark it as supplied, as
    /// bibliographers bracket supplied titles.
    pub fn display_title(&self) -> String {
        if !self.is_untitled() {
            return self.title.clone();
        }
        let mut who: Vec<String> = Vec::new();
        if let Some(name) = self.first_author_family() {
            who.push(name);
        }
        if let Some(year) = self.year {
            who.push(year.to_string());
        }
        let prefix = if who.is_empty() {
            "untitled".to_string()
        } else {
            who.join(" ")
        };
        match self.gist() {
            Some(gist) => format!("[{prefix}] {}", truncate_words(&gist, DERIVED_LABEL_CHARS)),
            None => format!("[{prefix}]"),
        }
    }

    /// The record's aim (its Aim/Objective/Purpose section) or else its first sentence.
    fn gist(&self) -> Option<String> {
        let aim = self.sections.iter().find(|s| {
            s.label.as_deref().is_some_and(|l| {
                let l = l.to_lowercase();
                l.starts_with("aim") || l.starts_with("objective") || l.starts_with("purpose")
            })
        });
        let text = match aim {
            Some(section) => section.text.as_str(),
            None => self.sections.first()?.text.as_str(),
        };
        first_sentence(text).map(str::to_string)
    }

    /// Family name of the first author, for the list column and derived labels.
    pub fn first_author_family(&self) -> Option<String> {
        self.authors.first().map(|a| family_name(a))
    }
}

/// Family name from an author string in any of the usual forms: `Swaithes, Laura`,
/// `Laura Swaithes`, `Swaithes L`, `Swaithes LM`.
pub fn family_name(author: &str) -> String {
    let author = author.trim();
    if let Some((family, _)) = author.split_once(',') {
        return family.trim().to_string();
    }
    let words: Vec<&str> = author.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] if is_initials(last) => rest.join(" "),
        [.., last] => (*last).to_string(),
    }
}

/// `LM`, `L.M.`, `J-P`: a MEDLINE-style initials token rather than a name.
fn is_initials(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// The first sentence of `text` (up to the first `.`, `?` or `!` followed by a space or the end).
fn first_sentence(text: &str) -> Option<&str> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '?' | '!') {
            match chars.peek() {
                None => return Some(&text[..i]),
                Some((_, next)) if next.is_whitespace() => return Some(&text[..i]),
                _ => {}
            }
        }
    }
    Some(text)
}

/// Cuts `text` to at most `max` characters on a word boundary, adding `…` when cut.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstract_len_is_the_length_of_the_abstract_text() {
        let section = |label: Option<&str>, text: &str| Section {
            label: label.map(str::to_string),
            text: text.to_string(),
        };
        let mut record = Record::default();
        assert_eq!(record.abstract_len(), 0);
        record.sections = vec![section(None, "Qualité des soins.")].into();
        assert_eq!(record.abstract_len(), record.abstract_text().len());
        record.sections = vec![
            section(Some("Background"), "Staffing."),
            section(None, "Unlabelled."),
            section(Some("Methods"), ""),
        ]
        .into();
        // "Background: Staffing.\nUnlabelled.\nMethods: " by hand: 21 + 1 + 11 + 1 + 9.
        assert_eq!(record.abstract_len(), 43);
        assert_eq!(record.abstract_text().len(), 43);
    }

    #[test]
    fn family_names_from_common_author_forms() {
        assert_eq!(family_name("Swaithes, Laura"), "Swaithes");
        assert_eq!(family_name("Laura Swaithes"), "Swaithes");
        assert_eq!(family_name("Dixon-Woods M"), "Dixon-Woods");
        assert_eq!(family_name("van der Berg JA"), "van der Berg");
        assert_eq!(family_name("Plato"), "Plato");
        assert_eq!(family_name("  "), "");
    }

    #[test]
    fn first_sentence_stops_at_sentence_end_not_at_decimal_points() {
        assert_eq!(
            first_sentence("It rose 2.5 times. Then fell."),
            Some("It rose 2.5 times")
        );
        assert_eq!(first_sentence("No end"), Some("No end"));
        assert_eq!(first_sentence("   "), None);
    }

    #[test]
    fn truncation_cuts_on_words_and_marks_the_cut() {
        assert_eq!(truncate_words("short", 10), "short");
        assert_eq!(truncate_words("one two three four", 12), "one two…");
    }
}
