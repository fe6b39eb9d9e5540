//! From a scanned entry's fields to a [`RawRecord`]: which BibTeX field fills which record
//! field, author lists split on `and`, keyword lists split, pages split, LaTeX decoded.

use std::cell::Cell;
use std::sync::LazyLock;

use regex::Regex;

use super::scan::Entry;
use crate::clean::latex::decode;
use crate::corpus::raw::RawRecord;

/// Fields whose values are verbatim in BibTeX (`~` and `_` in a URL are not LaTeX).
const VERBATIM: &[&str] = &["doi", "url", "eprint", "file", "pdf", "urlraw"];

static PAGE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([^\s\-–—]+)\s*(?:-{1,3}|–|—)\s*([^\s\-–—]+)\s*$").expect("constant regex")
});

/// Which keyword lists of a file are separated by `;` (Scopus) rather than `,` (Zotero,
/// Mendeley, JabRef): decided once per file, by which separator most lists use.
pub fn keyword_separator(entries: &[Entry]) -> char {
    let (mut semicolon, mut comma) = (0usize, 0usize);
    for entry in entries {
        for (name, value) in &entry.fields {
            if is_keyword_field(&normal_name(name)) {
                if value.contains(';') {
                    semicolon += 1;
                } else if value.contains(',') {
                    comma += 1;
                }
            }
        }
    }
    if semicolon > 0 && semicolon >= comma {
        ';'
    } else {
        ','
    }
}

fn is_keyword_field(name: &str) -> bool {
    matches!(name, "keywords" | "keyword" | "author_keywords")
}

/// Lower case, `-` and spaces as `_`, trailing counters dropped (`funding_text 1`).
fn normal_name(name: &str) -> String {
    let lower = name
        .trim()
        .to_ascii_lowercase()
        .replace(['-', ' ', '\u{a0}'], "_");
    let stripped = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
    if stripped.is_empty() {
        lower
    } else {
        stripped.to_string()
    }
}

/// Builds the record of one entry; `line` is the line of its `@`.
pub fn record(entry: &Entry, keyword_separator: char, line: usize) -> RawRecord {
    let mut r = RawRecord {
        line,
        span: entry.start..entry.end,
        ..RawRecord::default()
    };
    r.extra
        .push(("type".to_string(), entry.kind.to_ascii_lowercase()));
    if !entry.key.is_empty() {
        r.extra
            .push(("citation key".to_string(), entry.key.clone()));
    }
    let mut dates = Vec::new();
    let mut book_titles = Vec::new();
    let mut article_numbers = Vec::new();
    for (raw_name, raw_value) in &entry.fields {
        let name = normal_name(raw_name);
        if VERBATIM.contains(&name.as_str()) {
            let value = raw_value.trim().to_string();
            if name == "doi" && r.doi.is_empty() {
                // DBLP and Better BibTeX (in BibTeX mode) write `10.1007/978-3-319-1_5` as
                // `10.1007/978-3-319-1\_5`; a backslash in a real DOI is unheard of.
                r.doi = value.replace("\\_", "_");
            } else if !value.is_empty() {
                r.extra.push((extra_name(&name, raw_name), value));
            }
            continue;
        }
        match name.as_str() {
            "author" => r.authors.extend(names(raw_value)),
            "editor" => {
                for editor in names(raw_value) {
                    r.extra.push(("editors".to_string(), editor));
                }
            }
            n if is_keyword_field(n) => r.keywords.extend(list(raw_value, keyword_separator)),
            "abstract" if r.abstract_text.is_empty() => {
                r.abstract_text = decode(&paragraphs(raw_value));
            }
            "pages" if r.start_page.is_empty() => {
                let pages = field_text(raw_value);
                match PAGE_RANGE.captures(&pages) {
                    Some(c) => {
                        r.start_page = c[1].to_string();
                        r.end_page = c[2].to_string();
                    }
                    None => r.start_page = pages,
                }
            }
            _ => {
                let value = field_text(raw_value);
                if value.trim().is_empty() {
                    continue;
                }
                let slot = match name.as_str() {
                    "title" => Some(&mut r.title),
                    "journal" | "journaltitle" => Some(&mut r.journal),
                    "year" => Some(&mut r.date),
                    "volume" => Some(&mut r.volume),
                    "number" | "issue" => Some(&mut r.issue),
                    _ => None,
                };
                match (slot, name.as_str()) {
                    (Some(slot), _) if slot.is_empty() => *slot = value,
                    (_, "date") => dates.push(value),
                    (_, "booktitle") => book_titles.push(value),
                    (_, "art_number" | "eid" | "articleno") => article_numbers.push(value),
                    _ => r.extra.push((extra_name(&name, raw_name), value)),
                }
            }
        }
    }
    for date in dates {
        if r.date.is_empty() {
            r.date = date;
        } else {
            r.extra.push(("date".to_string(), date));
        }
    }
    for title in book_titles {
        if r.journal.is_empty() {
            r.journal = title;
        } else {
            r.extra.push(("book title".to_string(), title));
        }
    }
    for number in article_numbers {
        if r.start_page.is_empty() {
            r.start_page = number;
        } else {
            r.extra.push(("article number".to_string(), number));
        }
    }
    r
}

/// Readable name for a field kept in `extra`.
fn extra_name(name: &str, raw_name: &str) -> String {
    let readable = match name {
        "title" => "secondary title",
        "journal" | "journaltitle" => "journal title",
        "year" => "year",
        "number" | "issue" => "number",
        "abstract" => "notes",
        "pages" => "pages",
        "issn" | "eissn" => "issn",
        "isbn" => "isbn",
        "publisher" => "publisher",
        "address" | "location" => "place",
        "language" | "langid" => "language",
        "note" | "annote" | "annotation" | "comment" => "notes",
        "pmid" | "pubmed_id" => "pmid",
        "pmcid" => "pmcid",
        "eprint" => "eprint",
        "archiveprefix" | "eprinttype" => "eprint type",
        "primaryclass" | "eprintclass" => "eprint class",
        "source" => "database",
        "document_type" => "publication type",
        "abbrev_source_title"
        | "shortjournal"
        | "journal_iso"
        | "journalabbreviation"
        | "journal_abbreviation"
        | "iso_source_abbreviation" => "journal abbreviation",
        "type" => "type of work",
        "affiliation" | "affiliations" => "affiliations",
        "funding_details" | "funding_text" | "funding_acknowledgement" | "funding" => "funding",
        "correspondence_address" => "correspondence address",
        "times_cited" => "times cited",
        "unique_id" => "accession number",
        "urldate" => "accessed",
        "shorttitle" => "short title",
        "mesh" | "mesh_terms" | "mesh_headings" => "mesh terms",
        "mendeley_tags" => "tags",
        _ => "",
    };
    if readable.is_empty() {
        raw_name
            .trim()
            .to_ascii_lowercase()
            .replace(['_', '-', '\u{a0}'], " ")
    } else {
        readable.to_string()
    }
}

/// A value's lines joined with single spaces, LaTeX decoded.
fn field_text(raw: &str) -> String {
    decode(&join_lines(raw))
}

fn join_lines(raw: &str) -> String {
    if !raw.contains('\n') {
        return raw.trim().to_string();
    }
    raw.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Abstract lines as paragraphs: a blank line, or a line starting at the left margin (as
/// Zotero writes paragraphs), starts a new paragraph; an indented line continues a wrapped one.
fn paragraphs(raw: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in raw.split('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else if current.is_empty() {
            current.push_str(trimmed);
        } else if line.starts_with([' ', '\t']) {
            current.push(' ');
            current.push_str(trimmed);
        } else {
            out.push(std::mem::replace(&mut current, trimmed.to_string()));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.join("\n")
}

/// Splits `raw` on `separator` where it is outside braces.
fn split_top_level(raw: &str, separator: impl Fn(&str) -> Option<usize>) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut pos = 0;
    while pos < raw.len() {
        let rest = &raw[pos..];
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '\\' => {
                // Skip the escaped character (`\{`), keeping to character boundaries.
                pos += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            _ if depth == 0 => {
                if let Some(len) = separator(rest) {
                    parts.push(&raw[start..pos]);
                    pos += len;
                    start = pos;
                    continue;
                }
            }
            _ => {}
        }
        pos += c.len_utf8();
    }
    parts.push(&raw[start..]);
    parts
}

/// A name list (`A and B and {Org and Co}`) as decoded names; `others` (et al.) is dropped.
fn names(raw: &str) -> Vec<String> {
    // `rest.len()` where the last white space run looked at ends. Every position inside a run
    // sees the same word after it, so once its first position did not separate, the others
    // need not look again: looking made a long run quadratic (64 KB of spaces: 4.5 s).
    let run_end = Cell::new(usize::MAX);
    let separator = |rest: &str| -> Option<usize> {
        let bytes = rest.as_bytes();
        if !bytes.first()?.is_ascii_whitespace() || rest.len() > run_end.get() {
            return None;
        }
        let word_start = rest.len() - rest.trim_start().len();
        run_end.set(rest.len() - word_start);
        let word = rest.get(word_start..word_start + 3)?;
        let after = bytes.get(word_start + 3).copied();
        ((word == "and" || word == "AND") && after.is_none_or(|b| b.is_ascii_whitespace()))
            .then_some(word_start + 3)
    };
    split_top_level(raw, separator)
        .into_iter()
        .map(field_text)
        .filter(|n| !n.is_empty() && n != "others")
        .collect()
}

/// A keyword list split on `separator`, each keyword decoded.
fn list(raw: &str, separator: char) -> Vec<String> {
    split_top_level(raw, |rest| rest.starts_with(separator).then_some(1))
        .into_iter()
        .map(field_text)
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_split_at_top_level_and_only() {
        assert_eq!(
            names(
                "Larsen, LJ and Roush, JK AND {Anderson and Sons} and M{\\\"u}ller, K. and others"
            ),
            ["Larsen, LJ", "Roush, JK", "Anderson and Sons", "Müller, K."]
        );
        assert_eq!(
            names("{World Health Organization}"),
            ["World Health Organization"]
        );
        assert_eq!(
            names("Sandy, A and\n   Andersen, B"),
            ["Sandy, A", "Andersen, B"]
        );
        assert_eq!(names(""), Vec::<String>::new());
    }

    #[test]
    fn long_white_space_runs_in_names_split_as_short_ones() {
        // Found by fuzzing (examples/fuzz_stable.rs, target `bibtex`): each space of a run
        // looked at the whole rest of the run: 1 MB of spaces would take some 18 minutes in a
        // release build (64 KB: 4.5 s).
        let spaces = " ".repeat(1_000_000);
        // No `and` after the run: one name, its spaces kept (as for a short run).
        let one = format!("Doe, J{spaces}Roe, K");
        assert_eq!(names(&one), [one.as_str()]);
        assert_eq!(
            names(&format!("Doe, J{spaces}and Roe, K")),
            ["Doe, J", "Roe, K"]
        );
        assert_eq!(
            names(&format!("Doe, J and{spaces}Roe, K")),
            ["Doe, J", "Roe, K"]
        );
        let glued = format!("Doe, J{spaces}andRoe");
        assert_eq!(names(&glued), [glued.as_str()]);
    }

    #[test]
    fn keywords_split_outside_braces() {
        assert_eq!(list("a, {b, c}, d\\&e", ','), ["a", "b, c", "d&e"]);
        assert_eq!(list("Lake Taihu;  reed", ';'), ["Lake Taihu", "reed"]);
    }

    #[test]
    fn abstract_paragraphs_follow_the_margin() {
        assert_eq!(
            paragraphs("First line.\nSecond para."),
            "First line.\nSecond para."
        );
        assert_eq!(
            paragraphs("\n  Wrapped text\n  goes on.\n\n  Next para."),
            "Wrapped text goes on.\nNext para."
        );
    }

    #[test]
    fn field_names_are_normalised() {
        assert_eq!(normal_name("funding_text\u{a0}1"), "funding_text");
        assert_eq!(normal_name("Journal-ISO"), "journal_iso");
        assert_eq!(
            extra_name("correspondence_address", "correspondence_address1"),
            "correspondence address"
        );
        assert_eq!(
            extra_name("research_areas", "Research-Areas"),
            "research areas"
        );
    }
}
