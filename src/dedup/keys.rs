//! The comparable form of each field duplicate detection looks at: the same value written
//! differently by two databases (case, accents, punctuation, markup, page-range style,
//! `[bracketed]` translated titles, `https://doi.org/` prefixes) gives the same key.

use unicode_normalization::UnicodeNormalization;

use crate::id::{normalise_doi, normalise_text_head};
use crate::record::{Record, family_name};

/// Everything duplicate detection compares, computed once per record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// The title's words, lower case, accents and punctuation removed, joined by single
    /// spaces (one string, not a string a word: 100,000 records' keys are built at once).
    pub title_text: String,
    /// How many words `title_text` holds.
    pub title_words: usize,
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
    /// A hash (xxh3, 128 bits) of the abstract's opening, normalised: corroborates a title
    /// match, never vetoes one (databases cut abstracts differently). Only ever compared for
    /// equality, so its hash is kept, not its 300 characters.
    pub abstract_head: Option<u128>,
}

/// Normalised characters of an abstract's opening compared.
const ABSTRACT_HEAD_CHARS: usize = 300;

impl Keys {
    /// The keys of `record`.
    pub fn of(record: &Record) -> Self {
        let title_text = title_key(&record.title);
        Self {
            title_words: word_count(&title_text),
            title_text,
            doi: record.doi.as_deref().and_then(normalise_doi),
            pmid: record
                .extra
                .get("pmid")
                .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_string),
            year: record.year,
            author: record
                .authors
                .first()
                .map(|a| fold(&family_name(a)))
                .filter(|a| !a.is_empty()),
            page: record.pages.as_deref().and_then(first_page),
            volume: record.volume.as_deref().and_then(leading_number),
            // The first characters only: what a longer head would add is never compared. A
            // head of 300 characters is at least 100 bytes, so the length check is the same
            // as on the whole normalised abstract.
            abstract_head: Some(abstract_head(record))
                .filter(|a| a.len() >= 100)
                .map(|a| xxhash_rust::xxh3::xxh3_128(a.as_bytes())),
        }
    }
}

/// The first [`ABSTRACT_HEAD_CHARS`] normalised characters of the record's abstract text
/// ([`Record::abstract_text`]). Without markup characters, the sections are normalised one
/// after the other instead of joined first: the `: ` and line breaks that join them are
/// ASCII, dropped, and never inside a run of characters NFKD reorders, so the result is the
/// same.
fn abstract_head(record: &Record) -> String {
    let markup = crate::clean::text::has_markup_char;
    if record
        .sections
        .iter()
        .any(|s| markup(&s.text) || s.label.as_deref().is_some_and(markup))
    {
        return normalise_text_head(&record.abstract_text(), ABSTRACT_HEAD_CHARS);
    }
    let mut head = String::new();
    let mut chars = 0;
    let pieces = record
        .sections
        .iter()
        .flat_map(|s| s.label.as_deref().into_iter().chain([s.text.as_str()]));
    for piece in pieces {
        if chars == ABSTRACT_HEAD_CHARS {
            break;
        }
        let part = normalise_text_head(piece, ABSTRACT_HEAD_CHARS - chars);
        chars += part.chars().count();
        head.push_str(&part);
    }
    head
}

/// A title for comparison, its words joined by single spaces: a title wholly in brackets (how
/// MEDLINE marks a translated title) loses them; then lower case, accents folded, every run of
/// other characters one space ([`fold`], which leaves none at either end).
pub fn title_key(title: &str) -> String {
    let title = title.trim().trim_end_matches('.');
    let title = title
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(title);
    fold(title)
}

/// Words in text whose words are separated by single spaces.
pub fn word_count(text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        text.matches(' ').count() + 1
    }
}

/// Lower case, accents removed, letters and digits kept, anything else a single space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    let mut fold_char = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space && !unicode_normalization::char::is_combining_mark(c) {
            out.push(' ');
            space = true;
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // ASCII is its own NFKD form and lower-cases to ASCII.
            fold_char(char::from(b.to_ascii_lowercase()));
            i += 1;
            continue;
        }
        // Non-ASCII runs are normalised whole: canonical reordering never crosses the ASCII
        // characters around them (they are starters), so this is the whole text's NFKD.
        let end = bytes[i..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |n| i + n);
        text[i..end]
            .nfkd()
            .flat_map(char::to_lowercase)
            .for_each(&mut fold_char);
        i = end;
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out
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
            title_key("[Évaluation of X-rays: a review.]"),
            title_key("Evaluation of X rays - A Review")
        );
        let key = title_key("  Care—quality, “safety” & cost. ");
        assert_eq!(key, "care quality safety cost");
        assert_eq!(word_count(&key), 4);
        assert_eq!(word_count(&title_key("—")), 0);
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

#[cfg(test)]
mod fast_path_tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    use super::ABSTRACT_HEAD_CHARS;
    use crate::record::Record;

    /// The definition of [`super::fold`], on the whole text at once (as it was written before
    /// its ASCII fast path).
    fn reference(text: &str) -> String {
        let mut out = String::new();
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

    fn piece() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec![
                "ab",
                "Z9",
                " ",
                ".",
                "é",
                "\u{301}",
                "\u{323}",
                "ﬁ",
                "İ",
                "中",
                "<i>",
                "&",
                ";",
                ">",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ]),
            0..12,
        )
        .prop_map(|p| p.concat())
    }

    proptest! {
        /// Section by section, the head is that of the joined abstract text (combining marks
        /// at the edges of sections, markup split across them, heads cut mid-section).
        #[test]
        fn abstract_head_is_the_head_of_the_joined_text(
            sections in proptest::collection::vec((proptest::option::of(piece()), piece()), 0..6)
        ) {
            let record = Record {
                id: crate::record::RecordId::new("x"),
                sections: sections
                    .into_iter()
                    .map(|(label, text)| crate::record::Section { label, text })
                    .collect(),
                ..Record::default()
            };
            let expected = crate::id::normalise_text_head(&record.abstract_text(), ABSTRACT_HEAD_CHARS);
            prop_assert_eq!(super::abstract_head(&record), expected);
        }

        #[test]
        fn fast_path_folds_as_the_definition(pieces in proptest::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "9", " ", "-", ".", "é", "É", "\u{301}", "\u{323}", "\u{345}",
                "\u{a0}", "ﬁ", "①", "İ", "ß", "中", "—", "“", "\u{200b}", "ǅ",
            ]),
            0..40,
        )) {
            let text = pieces.concat();
            prop_assert_eq!(super::fold(&text), reference(&text));
        }
    }
}
