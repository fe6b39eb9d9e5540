//! From a MEDLINE record's tags to a [`RawRecord`].

use std::sync::LazyLock;

use regex::Regex;

use super::names::medline_name;
use crate::corpus::raw::RawRecord;

/// One tag of a record, continuation lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    pub tag: String,
    pub value: String,
}

static TYPED_ID: LazyLock<Regex> = LazyLock::new(|| {
    // `10.1136/x [doi]`, `S2215-0161(18)30045-1 [pii]`: the identifier and its kind.
    Regex::new(r"^(.*?)\s*\[([A-Za-z-]+)\]$").expect("constant regex")
});

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    // PMC MEDLARS's stand-in where the publisher keeps the abstract: not an abstract.
    Regex::new(r"(?i)^(?:publisher:\s*)?abstract available from the publisher\.?$")
        .expect("constant regex")
});

/// Splits `value [kind]` into the value and the lower-cased kind.
fn typed_id(value: &str) -> Option<(&str, String)> {
    let caps = TYPED_ID.captures(value)?;
    let id = caps.get(1)?.as_str();
    Some((id, caps.get(2)?.as_str().to_ascii_lowercase()))
}

/// Names paired tags: the full form (`FAU`) is kept, and the abbreviated form (`AU`) that
/// PubMed writes right after it is dropped; an abbreviated form on its own is kept.
#[derive(Default)]
struct Pairs {
    full_waiting: [bool; 3],
}

impl Pairs {
    /// Index of the pair a tag belongs to, and whether it is the full form.
    fn of(tag: &str) -> Option<(usize, bool)> {
        match tag {
            "FAU" => Some((0, true)),
            "AU" => Some((0, false)),
            "FIR" => Some((1, true)),
            "IR" => Some((1, false)),
            "FED" => Some((2, true)),
            "ED" => Some((2, false)),
            _ => None,
        }
    }

    /// Whether this occurrence of a paired tag should be kept.
    fn keep(&mut self, pair: usize, full: bool) -> bool {
        if full {
            self.full_waiting[pair] = true;
            true
        } else {
            !std::mem::replace(&mut self.full_waiting[pair], false)
        }
    }
}

fn push(r: &mut RawRecord, tag: &str, value: &str) {
    r.extra
        .push((medline_name(tag).into_owned(), value.to_string()));
}

/// Builds the record from its fields (line and span are the caller's).
pub(super) fn medline_record(fields: &[Field]) -> RawRecord {
    let mut r = RawRecord::default();
    let mut pairs = Pairs::default();
    let mut mesh: Option<usize> = None;
    // Where BTI/TT, TA and OAB went in `extra`, in case one of them is promoted below.
    let mut other_titles: Vec<(&str, usize)> = Vec::new();
    let mut abbreviation: Option<usize> = None;
    let mut other_abstracts: Vec<usize> = Vec::new();
    for Field { tag, value } in fields {
        let (tag, value) = (tag.as_str(), value.as_str());
        if let Some((pair, full)) = Pairs::of(tag) {
            if !pairs.keep(pair, full) {
                continue;
            }
            if pair == 0 {
                r.authors.push(value.to_string());
            } else {
                push(&mut r, tag, value);
            }
            continue;
        }
        match tag {
            "TI" if r.title.is_empty() => r.title = value.to_string(),
            "TI" | "BTI" | "TT" => {
                other_titles.push((tag, r.extra.len()));
                push(&mut r, tag, value);
            }
            "AB" => {
                if !value.is_empty() {
                    RawRecord::push_paragraph(&mut r.abstract_text, value);
                }
            }
            "OAB" => {
                other_abstracts.push(r.extra.len());
                push(&mut r, tag, value);
            }
            "CN" => r.authors.push(value.to_string()),
            "DP" if r.date.is_empty() => r.date = value.to_string(),
            "JT" if r.journal.is_empty() => r.journal = value.to_string(),
            "TA" => {
                abbreviation.get_or_insert(r.extra.len());
                push(&mut r, tag, value);
            }
            "VI" if r.volume.is_empty() => r.volume = value.to_string(),
            "IP" if r.issue.is_empty() => r.issue = value.to_string(),
            "PG" if r.start_page.is_empty() => r.start_page = value.to_string(),
            "OT" => r.keywords.push(value.to_string()),
            "LID" | "AID" => match typed_id(value) {
                Some((doi, kind)) if kind == "doi" => {
                    if r.doi.is_empty() {
                        r.doi = doi.to_string();
                    } else if r.doi != doi {
                        r.extra.push(("other doi".into(), doi.to_string()));
                    }
                }
                Some((id, kind)) if kind == "pii" => r.extra.push(("pii".into(), id.to_string())),
                _ => push(&mut r, tag, value),
            },
            "MH" => match mesh {
                Some(at) => {
                    let terms = &mut r.extra[at].1;
                    terms.push_str("; ");
                    terms.push_str(value);
                }
                None => {
                    mesh = Some(r.extra.len());
                    push(&mut r, tag, value);
                }
            },
            _ => push(&mut r, tag, value),
        }
    }
    let mut promoted = Vec::new();
    // Without TI (whole books), the book or transliterated title is the title.
    if r.title.is_empty()
        && let Some(at) = ["BTI", "TT"]
            .iter()
            .find_map(|t| other_titles.iter().find(|(tag, _)| tag == t))
            .map(|(_, at)| *at)
    {
        r.title = r.extra[at].1.clone();
        promoted.push(at);
    }
    if r.journal.is_empty()
        && let Some(at) = abbreviation
    {
        r.journal = r.extra[at].1.clone();
        promoted.push(at);
    }
    // OAB is usually a second abstract (plain-language summary, other language). With no AB it
    // is the only abstract the reviewer has, unless it merely says where the abstract is.
    if r.abstract_text.is_empty()
        && let Some(at) = other_abstracts.into_iter().find(|&at| {
            let value = r.extra[at].1.as_str();
            !value.is_empty() && !PLACEHOLDER.is_match(value)
        })
    {
        r.abstract_text = r.extra[at].1.clone();
        r.extra[at] = (
            "notes".into(),
            "abstract taken from OAB (other abstract)".into(),
        );
    }
    promoted.sort_unstable();
    for at in promoted.into_iter().rev() {
        r.extra.remove(at);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(lines: &[(&str, &str)]) -> RawRecord {
        let fields: Vec<Field> = lines
            .iter()
            .map(|(tag, value)| Field {
                tag: tag.to_string(),
                value: value.to_string(),
            })
            .collect();
        medline_record(&fields)
    }

    #[test]
    fn full_names_win_and_lone_abbreviations_stay() {
        let r = record(&[
            ("FAU", "Doe, Jane"),
            ("AU", "Doe J"),
            ("AD", "Somewhere"),
            ("AU", "Roe R"),
            ("CN", "The Study Group"),
            ("FIR", "Poe, Edgar"),
            ("IR", "Poe E"),
        ]);
        assert_eq!(r.authors, ["Doe, Jane", "Roe R", "The Study Group"]);
        assert!(
            r.extra
                .contains(&("investigators".into(), "Poe, Edgar".into()))
        );
        assert!(!r.extra.iter().any(|(_, v)| v == "Poe E"));
    }

    #[test]
    fn identifiers_by_kind() {
        let r = record(&[
            ("LID", "10.1/a [doi]"),
            ("LID", "e123"),
            ("AID", "S0-1 [pii]"),
            ("AID", "10.1/a [doi]"),
            ("AID", "10.1/b [doi]"),
            ("AID", "NIHMS1 [mid]"),
        ]);
        assert_eq!(r.doi, "10.1/a");
        let extra: Vec<(&str, &str)> = r
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            extra,
            [
                ("location identifier", "e123"),
                ("pii", "S0-1"),
                ("other doi", "10.1/b"),
                ("article identifier", "NIHMS1 [mid]"),
            ]
        );
    }

    #[test]
    fn other_abstract_fills_an_empty_abstract_unless_it_is_a_placeholder() {
        let r = record(&[
            ("TI", "x"),
            ("AB", ""),
            ("OAB", "Resumen: algo."),
            ("OABL", "spa"),
        ]);
        assert_eq!(r.abstract_text, "Resumen: algo.");
        let r = record(&[("AB", "Real."), ("OAB", "Summary for patients.")]);
        assert_eq!(r.abstract_text, "Real.");
        assert!(
            r.extra
                .contains(&("other abstract".into(), "Summary for patients.".into()))
        );
        let r = record(&[
            ("AB", ""),
            ("OAB", "Publisher: Abstract available from the publisher."),
        ]);
        assert_eq!(r.abstract_text, "");
    }

    #[test]
    fn books_fall_back_to_the_book_title_and_abbreviated_journal() {
        let r = record(&[("BTI", "A Book"), ("TT", "Un libro"), ("TA", "J Abbr")]);
        assert_eq!(r.title, "A Book");
        assert_eq!(r.journal, "J Abbr");
        assert!(
            r.extra
                .contains(&("transliterated title".into(), "Un libro".into()))
        );
    }
}
