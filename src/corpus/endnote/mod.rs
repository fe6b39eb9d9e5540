//! EndNote's two export formats: EndNote XML (`<xml><records><record>…`, written by EndNote
//! desktop, Zotero and Mendeley) and the EndNote tagged / Refer format (`%0 Journal Article`,
//! `%T Title`, …). They share EndNote's field model, so they share the naming of the fields
//! that go to `extra`.

mod tagged;
mod xml;

#[cfg(test)]
mod corpus_tests;

use std::sync::LazyLock;

use regex::Regex;

use super::raw::Parsed;

/// Whether decoded `text` is EndNote XML: an optional `<?xml …?>` prolog (and comments or a
/// doctype), then the `<xml>` root holding `<records>`, or a `<records>` root holding
/// `<record>`. Other XML (PubMed, JATS, …) has other roots and is not taken.
pub fn detect(text: &str) -> bool {
    xml::detect(text)
}

/// Parses every record of an EndNote XML file with a streaming reader (no tree of the whole
/// file is built). Truncated or malformed records are dropped with a warning at their line;
/// the complete ones are kept.
pub fn parse(text: &str) -> Parsed {
    xml::parse(text)
}

/// Whether decoded `text` is in the EndNote tagged (Refer) format: one of its first five
/// non-blank lines is a `%X value` tag line with an EndNote tag character, at least a third of
/// its first 200 non-blank lines are tag lines, and a core tag (`%0`, `%T` or `%A`) is among
/// them.
pub fn detect_tagged(text: &str) -> bool {
    tagged::detect(text)
}

/// Parses every record of an EndNote tagged file: records are separated by blank lines and may
/// start with any tag; untagged lines continue the previous field.
pub fn parse_tagged(text: &str) -> Parsed {
    tagged::parse(text)
}

static ISSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-?\d{3}[\dXx]$").expect("constant regex"));

/// EndNote keeps ISSNs and ISBNs in one field (`ISBN/ISSN`): `issn` when every number in the
/// value looks like an ISSN (`1939-1676 0891-6640`), `isbn` otherwise.
fn standard_number_name(value: &str) -> &'static str {
    let mut issn = 0;
    let mut other = 0;
    for token in value
        .split(|c: char| !(c.is_ascii_digit() || c == '-' || c == 'X' || c == 'x'))
        .map(|t| t.trim_matches('-'))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
    {
        if ISSN.is_match(token) {
            issn += 1;
        } else {
            other += 1;
        }
    }
    if issn > 0 && other == 0 {
        "issn"
    } else {
        "isbn"
    }
}

/// Splits one keyword field into keywords: EndNote puts one per element or line, but some
/// sources pack a `;`-separated list or line breaks into one.
fn split_keywords(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issn_and_isbn_are_told_apart() {
        assert_eq!(standard_number_name("1939-1676 0891-6640"), "issn");
        assert_eq!(standard_number_name("0042-4900"), "issn");
        assert_eq!(standard_number_name("1751-0147 (Print)"), "issn");
        assert_eq!(standard_number_name("978-1-4020-9460-8"), "isbn");
        assert_eq!(standard_number_name("0-19-852663-6"), "isbn");
        assert_eq!(standard_number_name("1234-5678; 978-1-4020-9460-8"), "isbn");
        assert_eq!(standard_number_name("n/a"), "isbn");
    }

    #[test]
    fn keyword_lists_are_split() {
        let k: Vec<String> = split_keywords("a; b\nc ;;").collect();
        assert_eq!(k, ["a", "b", "c"]);
    }
}
