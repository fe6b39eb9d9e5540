//! RIS output: the cleaned records in the format every reference manager imports, with the
//! reviewer's decision in notes so it travels with the record.

use std::fmt::Write;

use crate::decisions::Decision;
use crate::record::{Record, RecordId};

/// RIS type codes a record's `type` field may already hold; anything else is written as JOUR.
const TYPE_CODES: &[&str] = &[
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART",
    "CLSWK", "COMP", "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP", "EDBOOK",
    "EJOUR", "ELEC", "ENCYC", "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "HEAR", "ICOMM", "INPR",
    "JFULL", "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI", "MUSIC", "NEWS", "PAMP",
    "PAT", "PCOMM", "RPRT", "SER", "SLIDE", "SOUND", "STAND", "STAT", "THES", "UNPB", "VIDEO",
];

/// Extra fields written back under their own RIS tag.
const EXTRA_TAGS: &[(&str, &str)] = &[
    ("url", "UR"),
    ("issn", "SN"),
    ("isbn", "SN"),
    ("publisher", "PB"),
    ("place", "CY"),
    ("language", "LA"),
    ("accession number", "AN"),
    ("database", "DB"),
    ("journal abbreviation", "J2"),
    ("short title", "ST"),
];

/// Writes one record as an RIS entry (ending with `ER  - ` and a blank line).
pub fn write_record(
    out: &mut String,
    record: &Record,
    decision: Option<&Decision>,
    duplicate_of: Option<&RecordId>,
) {
    let mut tag = |tag: &str, value: &str| {
        let value = value.replace('\n', " ");
        if !value.trim().is_empty() {
            let _ = writeln!(out, "{tag}  - {}", value.trim());
        }
    };
    let kind = record
        .extra
        .get("type")
        .map(|t| t.to_uppercase())
        .filter(|t| TYPE_CODES.contains(&t.as_str()))
        .unwrap_or_else(|| "JOUR".to_string());
    tag("TY", &kind);
    tag("TI", &record.title);
    for author in &record.authors {
        tag("AU", author);
    }
    tag(
        "PY",
        &record.year.map(|y| y.to_string()).unwrap_or_default(),
    );
    tag("T2", record.journal.as_deref().unwrap_or_default());
    tag("VL", record.volume.as_deref().unwrap_or_default());
    tag("IS", record.issue.as_deref().unwrap_or_default());
    tag("SP", record.pages.as_deref().unwrap_or_default());
    tag("DO", record.doi.as_deref().unwrap_or_default());
    for keyword in &record.keywords {
        tag("KW", keyword);
    }
    for (key, ris_tag) in EXTRA_TAGS {
        if let Some(value) = record.extra.get(key) {
            tag(ris_tag, value);
        }
    }
    tag("ID", record.id.as_str());
    if let Some(study) = duplicate_of {
        tag("N1", &format!("abstriage: duplicate of {study}"));
    }
    if let Some(decision) = decision {
        let mut note = format!(
            "abstriage: {}",
            decision.status.map_or("undecided", |s| s.as_str())
        );
        for (what, list) in [("reasons", &decision.reasons), ("themes", &decision.themes)] {
            if !list.is_empty() {
                let _ = write!(note, "; {what}: {}", list.join(", "));
            }
        }
        if !decision.note.is_empty() {
            let _ = write!(note, "; note: {}", decision.note);
        }
        tag("N1", &note);
    }
    // The abstract last: one section per line, continuation lines as RIS allows.
    let abstract_text = record.abstract_text();
    let mut paragraphs = abstract_text.lines();
    if let Some(first) = paragraphs.next() {
        let _ = writeln!(out, "AB  - {first}");
        for paragraph in paragraphs {
            let _ = writeln!(out, "{paragraph}");
        }
    }
    let _ = writeln!(out, "ER  - \n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    #[test]
    fn seeds_written_as_ris_read_back_the_same() {
        let seeds =
            corpus::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap();
        let mut text = String::new();
        for record in seeds.records.iter() {
            write_record(&mut text, record, None, None);
        }
        let (_, back) = corpus::read_bytes("back.ris", text.as_bytes());
        assert_eq!(back.len(), seeds.records.len());
        for (a, b) in seeds.records.iter().zip(&back) {
            assert_eq!(
                (
                    &a.title,
                    &a.authors,
                    a.year,
                    &a.journal,
                    &a.volume,
                    &a.issue,
                    &a.pages,
                    &a.doi,
                    &a.keywords,
                    &a.sections
                ),
                (
                    &b.title,
                    &b.authors,
                    b.year,
                    &b.journal,
                    &b.volume,
                    &b.issue,
                    &b.pages,
                    &b.doi,
                    &b.keywords,
                    &b.sections
                ),
                "{}",
                a.display_title()
            );
            assert_eq!(b.extra.get("reference id"), Some(a.id.as_str()));
        }
    }
}
