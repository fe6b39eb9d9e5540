//! Web of Science plain text, the "field tagged" ISI export (`.txt`, `.ciw`, `.isi`): an
//! optional `FN`/`VR` header, then records that open with `PT <type>` and close with `ER`, and
//! a final `EF`. Every field is a two-character tag, one space and the value; a value goes on
//! over lines indented by three spaces. Zoological Record and other databases exported through
//! the Web of Science platform use the same framing with some tags of their own.
//!
//! Reading the lines and framing the records happens here; what each tag means is in
//! [`fields`].

mod fields;

pub(crate) use fields::tag_name;

#[cfg(test)]
mod corpus_tests;

use std::sync::LazyLock;

use regex::Regex;

use self::fields::{Field, build_record};
use super::raw::{Parsed, Warning};

static TAG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // A tag, then nothing or exactly one space before the value. RIS (`TY  - `) and MEDLINE
    // (`PMID- `, `AU  - `) never match: their tags are followed by two spaces or a hyphen.
    Regex::new(r"^([A-Z][A-Z0-9])(?:$| (.*)$)").expect("constant regex")
});

/// Whether `text` is Web of Science plain text: its first lines are the `FN` header (followed
/// by `VR` or a record), a lone `VR` header, or a `PT <code>` line followed by another tagged
/// line. RIS (`TY  - `) and MEDLINE (`PMID- `) files never match.
pub fn detect(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim_end())
        .filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    let next = lines.next().unwrap_or_default();
    if let Some(name) = first.strip_prefix("FN ") {
        !name.trim().is_empty() && (next.starts_with("VR ") || is_record_start(next))
    } else if first.starts_with("VR ") {
        is_record_start(next) || next == "EF"
    } else {
        is_record_start(first) && TAG_LINE.is_match(next)
    }
}

/// A `PT` line with a publication type code (`J`, `B`, `S`, `P`), as opposed to prose that
/// happens to start with "PT ".
fn is_record_start(line: &str) -> bool {
    line.strip_prefix("PT ").is_some_and(|code| {
        let code = code.trim();
        (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphabetic())
    })
}

/// A record being read: its fields so far and where it started.
struct Open<'a> {
    line: usize,
    start: usize,
    fields: Vec<Field<'a>>,
}

/// Parses every record of a Web of Science plain-text file.
pub fn parse(text: &str) -> Parsed {
    let mut reader = Reader::default();
    let mut offset = 0usize;
    let mut last_line = 0usize;
    for (index, physical) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let start = offset;
        offset += physical.len();
        let line = physical
            .trim_end_matches(['\n', '\r'])
            .trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        last_line = line_no;
        reader.line(line, line_no, start, offset);
    }
    reader.finish(text.len(), last_line)
}

/// The state of a parse between lines.
#[derive(Default)]
struct Reader<'a> {
    parsed: Parsed,
    open: Option<Open<'a>>,
    /// The `FN` header's value (the exporting database), given to every record after it.
    database: Option<&'a str>,
    /// Whether the last framing line seen was `EF`.
    ended: bool,
}

impl<'a> Reader<'a> {
    /// Reads one non-blank line: `start..end` is its byte range in the text.
    fn line(&mut self, line: &'a str, line_no: usize, start: usize, end: usize) {
        if line.starts_with([' ', '\t']) {
            self.continuation(line, line_no, None);
            return;
        }
        let Some(caps) = TAG_LINE.captures(line) else {
            self.continuation(
                line,
                line_no,
                Some("line is neither a tagged field nor an indented continuation"),
            );
            return;
        };
        let tag = caps.get(1).map_or("", |m| m.as_str());
        let value = caps.get(2).map_or("", |m| m.as_str()).trim();
        match tag {
            "PT" => {
                self.close_unended(start, "the next PT line");
                self.ended = false;
                self.open = Some(Open {
                    line: line_no,
                    start,
                    fields: vec![Field::new(tag, value, line)],
                });
            }
            "ER" => match self.open.take() {
                Some(open) => self.push(open, end),
                None => self.warn(line_no, "ER line with no open record; ignored"),
            },
            "FN" | "VR" | "EF" => {
                self.close_unended(start, &format!("the {tag} line"));
                match tag {
                    "FN" => self.database = Some(value).filter(|v| !v.is_empty()),
                    "EF" => self.ended = true,
                    _ => {}
                }
            }
            _ => match self.open.as_mut() {
                Some(open) => open.fields.push(Field::new(tag, value, line)),
                None => self.warn(
                    line_no,
                    format!("{tag} field outside any record (no PT line before it); ignored"),
                ),
            },
        }
    }

    /// An indented line continues the field before it; so does a malformed line, with a
    /// warning (`problem`), so that nothing the file holds is lost.
    fn continuation(&mut self, line: &'a str, line_no: usize, problem: Option<&str>) {
        match self.open.as_mut().and_then(|o| o.fields.last_mut()) {
            Some(field) => {
                if let Some(problem) = problem {
                    let message = format!("{problem}; read as more of the {} field", field.tag);
                    field.continue_with(line);
                    self.warn(line_no, message);
                } else {
                    field.continue_with(line);
                }
            }
            None => self.warn(line_no, "text outside any record; ignored"),
        }
    }

    /// Closes a record that a framing line interrupted before its `ER`.
    fn close_unended(&mut self, at: usize, what: &str) {
        if let Some(open) = self.open.take() {
            self.warn(
                open.line,
                format!("record has no ER line before {what}; kept as read"),
            );
            self.push(open, at);
        }
    }

    fn push(&mut self, open: Open<'a>, end: usize) {
        let record = build_record(&open.fields, self.database, open.line, open.start..end);
        if record.is_empty() {
            self.warn(
                open.line,
                "record has no title, authors, abstract, DOI or source; skipped",
            );
        } else {
            self.parsed.records.push(record);
        }
    }

    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.parsed.warnings.push(Warning::new(line, message));
    }

    fn finish(mut self, end: usize, last_line: usize) -> Parsed {
        if let Some(open) = self.open.take() {
            self.warn(
                open.line,
                "file ends inside a record (no ER line); record kept as read",
            );
            self.push(open, end);
        } else if !self.ended && !self.parsed.records.is_empty() {
            self.warn(
                last_line,
                "file has no EF line at its end: the export may have been cut short here",
            );
        }
        self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Shortened from wosfile/wos_plaintext.txt (rafguns/wosfile, BSD).
    const SAMPLE: &str = "FN Thomson Reuters Web of Science™
VR 1.0
PT J
AU Owen-Smith, J
   Powell, WW
AF Owen-Smith, J
   Powell, WW
TI Knowledge networks as channels and conduits: The effects of spillovers
   in the Boston biotechnology community
SO ORGANIZATION SCIENCE
PY 2004
AB We argue that the benefits of proximity are contingent.
ER

PT J
AU Kerrien, S
TI IntAct - open source resource for molecular interaction data
SO NUCLEIC ACIDS RESEARCH
ER

EF
";

    #[test]
    fn records_are_framed_by_pt_and_er() {
        let parsed = parse(SAMPLE);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 2);
        let first = &parsed.records[0];
        assert_eq!(first.line, 3);
        assert_eq!(
            first.title,
            "Knowledge networks as channels and conduits: The effects of spillovers in the Boston biotechnology community"
        );
        let span = &SAMPLE[first.span.clone()];
        assert!(
            span.starts_with("PT J\n") && span.ends_with("ER\n"),
            "{span}"
        );
        assert!(
            first
                .extra
                .contains(&("database".into(), "Thomson Reuters Web of Science™".into()))
        );
        assert_eq!(parsed.records[1].line, 15);
        assert_eq!(parsed.records[1].authors, ["Kerrien, S"]);
    }

    #[test]
    fn detection_looks_at_the_first_lines_only() {
        assert!(detect(SAMPLE));
        assert!(detect(
            "\u{feff}FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n"
        ));
        assert!(detect("VR 1.0\nPT J\nTI x\nER\n"));
        assert!(detect("\nPT J\nAU Doe, J\nTI x\nER\n"));
        assert!(!detect("TY  - JOUR\nTI  - x\nER  - \n"));
        assert!(!detect("PMID- 123\nTI  - x\n"));
        assert!(!detect("PT Barnum said many things.\nOthers disagreed.\n"));
        assert!(!detect("FN\n"));
        assert!(!detect(""));
    }

    #[test]
    fn broken_records_are_kept_and_reported() {
        let text = "PT J\nTI One\nPT J\nTI Two\nER\nstray words\nPT J\nTI Three\nno indent\n";
        let parsed = parse(text);
        let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two", "Three no indent"]);
        let lines: Vec<_> = parsed.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [1, 6, 9, 7], "{:?}", parsed.warnings);
        assert_eq!(parsed.records[0].span, 0..12);
    }

    #[test]
    fn missing_ef_and_empty_records_are_reported() {
        let parsed = parse("PT J\nUT WOS:1\nER\nPT J\nTI Kept\nER\n");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].message.contains("skipped"));
        assert!(parsed.warnings[1].message.contains("no EF"));
    }

    #[test]
    fn concatenated_exports_are_read_whole() {
        let twice = format!("{SAMPLE}{SAMPLE}");
        let parsed = parse(&twice);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 4);
    }

    #[test]
    fn arbitrary_input_never_panics() {
        for text in [
            "PT",
            "PT J\n   \n",
            "   cont\nER\nEF\nEF",
            "PT J\nAB\n   x\nER",
            "\u{feff}PT J\r\nTI é\u{0}\n",
            "PT J\nTI ü\n   ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü\n",
        ] {
            let _ = parse(text);
            let _ = detect(text);
        }
    }
}
