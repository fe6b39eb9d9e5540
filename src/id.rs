//! Stable record ids: what decision files key on, so they must survive re-imports and
//! improvements to the cleaning rules. The exact recipe is documented in `docs/record-ids.md`;
//! changing it orphans every decision ever written, so it is versioned (`v1`).

use std::borrow::Cow;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::record::RecordId;

/// How many leading normalised characters of an abstract identify an untitled record.
const ABSTRACT_HEAD_CHARS: usize = 200;

/// The fields an id is computed from, exactly as the format parser extracted them, before any
/// cleaning rule has run (so a better cleaner never changes an id).
#[derive(Debug, Clone, Copy, Default)]
pub struct IdInput<'a> {
    /// DOI field (any form: bare, `doi:`, `https://doi.org/...`).
    pub doi: Option<&'a str>,
    /// Publication year.
    pub year: Option<u16>,
    /// Title as extracted.
    pub title: &'a str,
    /// Abstract as extracted.
    pub abstract_text: &'a str,
    /// The record's whole source text, used only when it has neither title nor abstract.
    pub raw: &'a str,
}

/// The record's id: `normalised DOI` when there is a DOI, else `h` + 12 hex digits of
/// SHA-256 over `abstriage-id-v1`, the year and the normalised title (or the first 200
/// normalised characters of the abstract when untitled).
pub fn record_id(input: &IdInput<'_>) -> RecordId {
    if let Some(doi) = input.doi.and_then(normalise_doi) {
        return RecordId::new(doi);
    }
    let title = normalise_text(input.title);
    let content = if !title.is_empty() {
        title
    } else {
        let head = normalise_text_head(input.abstract_text, ABSTRACT_HEAD_CHARS);
        if head.is_empty() {
            normalise_text(input.raw)
        } else {
            head
        }
    };
    let year = input.year.map(|y| y.to_string()).unwrap_or_default();
    let digest = Sha256::digest(format!("abstriage-id-v1\n{year}\n{content}").as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    RecordId::new(format!("h{hex}"))
}

/// A DOI in its canonical comparable form: resolver prefixes removed, lower-cased
/// (DOIs are case-insensitive). `None` when the text holds no DOI.
pub fn normalise_doi(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let lower = trimmed.to_lowercase();
    let start = lower.find("10.")?;
    let doi = lower[start..]
        .split_whitespace()
        .next()?
        .trim_end_matches(['.', ',', ';']);
    let (prefix, suffix) = doi.split_once('/')?;
    let registrant_ok =
        prefix.len() > 3 && prefix[3..].chars().all(|c| c.is_ascii_digit() || c == '.');
    (registrant_ok && !suffix.is_empty()).then(|| doi.to_string())
}

/// Letters and digits only, lower-cased and stripped of accents, with markup tags and
/// character entities dropped: the same text written with other spacing, punctuation,
/// case, accents or HTML gives the same string.
pub fn normalise_text(text: &str) -> String {
    normalise_text_head(text, usize::MAX)
}

/// The first `max_chars` characters of [`normalise_text`], without normalising the rest of
/// the text (the abstract heads that ids and duplicate detection keep).
pub fn normalise_text_head(text: &str, max_chars: usize) -> String {
    let plain = strip_tags_and_entities(text);
    let mut out: Vec<u8> = Vec::with_capacity(plain.len().min(max_chars.saturating_mul(4)));
    let mut chars = 0;
    let bytes = plain.as_bytes();
    let mut i = 0;
    while i < bytes.len() && chars < max_chars {
        let b = bytes[i];
        if b.is_ascii() {
            // ASCII is its own NFKD form, and its letters lower-case to one ASCII letter.
            if b.is_ascii_alphanumeric() {
                out.push(b.to_ascii_lowercase());
                chars += 1;
            }
            i += 1;
            continue;
        }
        // A run of non-ASCII characters goes through Unicode normalisation whole: ASCII
        // characters are starters, so canonical reordering never crosses them and the run
        // decomposes exactly as it does inside the whole text.
        let end = bytes[i..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |n| i + n);
        let mut buffer = [0; 4];
        for c in plain[i..end]
            .nfkd()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
        {
            if chars == max_chars {
                break;
            }
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            chars += 1;
        }
        i = end;
    }
    // Whole characters only were written.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `text` with markup tags and character entities cut out (the text between them kept).
fn strip_tags_and_entities(text: &str) -> Cow<'_, str> {
    if !crate::clean::text::has_markup_char(text) {
        return Cow::Borrowed(text);
    }
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['<', '&']) {
        plain.push_str(&rest[..start]);
        let tail = &rest[start..];
        // Look only as far as a tag or an entity can reach: searching the whole rest for
        // every `<` made text of many `<` (or `&`) and no `>` quadratic.
        let (close, reach) = if tail.starts_with('<') {
            (b'>', 64)
        } else {
            (b';', 12)
        };
        let end = tail.as_bytes()[..tail.len().min(reach)]
            .iter()
            .position(|&b| b == close);
        match end {
            Some(end) => rest = &tail[end + 1..],
            None => {
                plain.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    plain.push_str(rest);
    Cow::Owned(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_is_the_id_whatever_form_it_takes() {
        for form in [
            "10.3399/BJGP.2020.0856",
            "https://doi.org/10.3399/BJGP.2020.0856",
            "doi: 10.3399/bjgp.2020.0856.",
            "http://dx.doi.org/10.3399/bjgp.2020.0856",
        ] {
            let id = record_id(&IdInput {
                doi: Some(form),
                ..Default::default()
            });
            assert_eq!(id.as_str(), "10.3399/bjgp.2020.0856", "{form}");
        }
    }

    #[test]
    fn text_that_is_not_a_doi_is_ignored() {
        assert_eq!(normalise_doi(""), None);
        assert_eq!(normalise_doi("DOIs"), None);
        assert_eq!(normalise_doi("10.1234"), None);
        assert_eq!(normalise_doi("10.ab/x"), None);
    }

    #[test]
    fn stray_markup_characters_are_dropped_in_linear_time() {
        // tests/hostile.rs: an abstract of only `<` took 6 s per megabyte here, each `<`
        // searching the rest of the text for its `>`. Tags and entities still go.
        let text = format!("{}b{}&x", "<".repeat(20_000), "&".repeat(20_000));
        assert_eq!(normalise_text(&text), "bx");
        assert_eq!(normalise_text("a<i>b</i>&amp;c"), "abc");
        assert_eq!(
            normalise_text(&format!("<{}>x", "a".repeat(70))),
            format!("{}x", "a".repeat(70))
        );
    }

    #[test]
    fn hash_ignores_spacing_case_accents_and_markup() {
        let a = IdInput {
            year: Some(2020),
            title: "Café <i>culture</i> &amp; GPs",
            ..Default::default()
        };
        let b = IdInput {
            year: Some(2020),
            title: "CAFE culture GPs.",
            ..Default::default()
        };
        assert_eq!(record_id(&a), record_id(&b));
        let other_year = IdInput {
            year: Some(2021),
            ..a
        };
        assert_ne!(record_id(&a), record_id(&other_year));
    }

    #[test]
    fn untitled_records_are_identified_by_the_head_of_their_abstract() {
        let head = "x".repeat(ABSTRACT_HEAD_CHARS);
        let a = IdInput {
            abstract_text: &format!("{head} first ending"),
            ..Default::default()
        };
        let b = IdInput {
            abstract_text: &format!("{head} other ending"),
            ..Default::default()
        };
        assert_eq!(
            record_id(&a),
            record_id(&b),
            "text past the head does not count"
        );
        let c = IdInput {
            abstract_text: "y",
            ..Default::default()
        };
        assert_ne!(record_id(&a), record_id(&c));
    }

    #[test]
    fn id_recipe_is_frozen() {
        // Computed once by hand: printf 'abstriage-id-v1\n2018\ndeliveringaprimary' | sha256sum
        let id = record_id(&IdInput {
            year: Some(2018),
            title: "Delivering a primary",
            ..Default::default()
        });
        assert_eq!(id.as_str(), "hc63dc146bd9a");
    }
}

#[cfg(test)]
mod fast_path_tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    /// The definition: tags and entities cut, then the whole text through NFKD, letters and
    /// digits kept, lower-cased (what `normalise_text` did before its ASCII fast path).
    fn reference(text: &str) -> String {
        super::strip_tags_and_entities(text)
            .nfkd()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// ASCII, markup, accents precomposed and combining (marks of different classes, which
    /// NFKD reorders), compatibility forms, letters whose lower case is two characters.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "9", " ", "-", "<i>", "</i>", "&amp;", "<", "&", ">", ";", "é", "É",
                "\u{301}", "\u{323}", "\u{345}", "\u{a0}", "ﬁ", "①", "İ", "ß", "Σ", "中", "ﾃ",
                "\u{200b}", "ǅ",
            ]),
            0..40,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn fast_path_normalises_as_the_definition(text in text(), head in 0usize..30) {
            let full = reference(&text);
            prop_assert_eq!(super::normalise_text(&text), full.clone());
            let expected: String = full.chars().take(head).collect();
            prop_assert_eq!(super::normalise_text_head(&text, head), expected);
        }
    }
}
