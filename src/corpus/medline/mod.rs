//! PubMed's MEDLINE format (`.nbib`, "PubMed format" downloads), its PMC MEDLARS variant, and
//! Ovid's native tagged export (see [`ovid`]).
//!
//! A MEDLINE record is a run of `TAG - value` lines: the tag (up to four capitals) is padded
//! to four columns, then `- `, and long values continue on lines indented by six spaces.
//! Records are separated by blank lines and start with `PMID- ` (PMC MEDLARS files put
//! `PMC - ` before it). PubMed ends every record with `SO`, so a last record without it was
//! cut short.

mod fields;
mod names;
pub mod ovid;

#[cfg(test)]
mod corpus_tests;

use super::raw::{Parsed, RawRecord, Warning};

pub use self::ovid::{detect as detect_ovid, parse as parse_ovid};

/// Lines of the first record looked at by [`detect`] for its `PMID- ` line.
const DETECT_LINES: usize = 400;

/// Whether `text` is MEDLINE: its first line is a MEDLINE tag line, and the record it opens
/// holds a `PMID- ` line. RIS (`TY  - `) and Web of Science (`PT J`) never carry `PMID-`.
pub fn detect(text: &str) -> bool {
    let mut lines = lex(text).skip_while(|l| matches!(l.kind, Kind::Blank));
    let Some(first) = lines.next() else {
        return false;
    };
    let Kind::Tag(tag, _) = first.kind else {
        return false;
    };
    tag == "PMID"
        || std::iter::once(first)
            .chain(lines)
            .take(DETECT_LINES)
            .take_while(|l| !matches!(l.kind, Kind::Blank))
            .any(|l| matches!(l.kind, Kind::Tag("PMID", _)))
}

/// Parses every record of a MEDLINE / PMC MEDLARS file.
///
/// Besides blank lines, a `PMID` line (or a `PMC` line followed by one) starts a new record
/// when the open record already has its PMID, so files whose blank lines were lost still
/// split correctly.
pub fn parse(text: &str) -> Parsed {
    let lines: Vec<Line<'_>> = lex(text).collect();
    let mut parsed = Parsed::default();
    let mut open: Option<Open> = None;
    let mut any_source = false;
    for (index, line) in lines.iter().enumerate() {
        match line.kind {
            Kind::Blank => {
                if let Some(record) = open.take() {
                    any_source |= record.has_source;
                    close(&mut parsed, record);
                }
            }
            Kind::Tag(tag, value) => {
                let next_is_pmid = || next_tag(&lines[index + 1..]) == Some("PMID");
                let splits = open.as_ref().is_some_and(|o| {
                    o.has_pmid && (tag == "PMID" || (tag == "PMC" && next_is_pmid()))
                });
                if splits && let Some(record) = open.take() {
                    any_source |= record.has_source;
                    close(&mut parsed, record);
                }
                let record = open.get_or_insert_with(|| Open::new(line));
                record.has_pmid |= tag == "PMID";
                record.has_source |= tag == "SO";
                record.fields.push(fields::Field {
                    tag: tag.to_string(),
                    value: value.to_string(),
                });
                record.end = line.end;
            }
            Kind::Indented(more) | Kind::Other(more) => {
                let Some(record) = open.as_mut() else {
                    parsed.warnings.push(Warning::new(
                        line.no,
                        "text outside any record (no tag line before it); ignored",
                    ));
                    continue;
                };
                let Some(field) = record.fields.last_mut() else {
                    continue;
                };
                if matches!(line.kind, Kind::Other(_)) {
                    parsed.warnings.push(Warning::new(
                        line.no,
                        format!(
                            "line is neither a tag line nor indented; joined to the {} field",
                            field.tag
                        ),
                    ));
                }
                if !field.value.is_empty() {
                    field.value.push(' ');
                }
                field.value.push_str(more);
                record.end = line.end;
            }
        }
    }
    if let Some(record) = open.take() {
        if !record.has_source && (any_source || !text.ends_with('\n')) {
            parsed.warnings.push(Warning::new(
                record.line,
                "file ends inside a record (no SO line); record kept as read",
            ));
        }
        close(&mut parsed, record);
    }
    parsed
}

/// A record being read.
struct Open {
    fields: Vec<fields::Field>,
    line: usize,
    start: usize,
    end: usize,
    has_pmid: bool,
    has_source: bool,
}

impl Open {
    fn new(line: &Line<'_>) -> Self {
        Self {
            fields: Vec::new(),
            line: line.no,
            start: line.start,
            end: line.end,
            has_pmid: false,
            has_source: false,
        }
    }
}

fn close(parsed: &mut Parsed, open: Open) {
    if !open.has_pmid {
        parsed
            .warnings
            .push(Warning::new(open.line, "record has no PMID line"));
    }
    let mut record: RawRecord = fields::medline_record(&open.fields);
    record.line = open.line;
    record.span = open.start..open.end;
    if record.is_empty() {
        parsed.warnings.push(Warning::new(
            open.line,
            "record has no title, abstract, author, DOI or journal; skipped",
        ));
    } else {
        parsed.records.push(record);
    }
}

/// The tag of the next tag line, unless a blank line comes first.
fn next_tag<'a>(lines: &[Line<'a>]) -> Option<&'a str> {
    lines.iter().find_map(|l| match l.kind {
        Kind::Tag(tag, _) => Some(Some(tag)),
        Kind::Blank => Some(None),
        _ => None,
    })?
}

/// What one physical line of a tagged file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    /// Empty or white space only.
    Blank,
    /// `TAG - value` (tag padded to four columns); the value trimmed.
    Tag(&'a str, &'a str),
    /// An indented continuation line, trimmed.
    Indented(&'a str),
    /// Any other line, trimmed.
    Other(&'a str),
}

/// One physical line with its place in the text.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// 1-based line number.
    no: usize,
    /// Byte offset of the line's start.
    start: usize,
    /// Byte offset just after the line (and its `\n`).
    end: usize,
    kind: Kind<'a>,
}

/// Splits `text` into classified lines.
fn lex(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .enumerate()
        .map(move |(index, physical)| {
            let start = offset;
            offset += physical.len();
            let line = physical.trim_end_matches(['\n', '\r']);
            let kind = if line.trim().is_empty() {
                Kind::Blank
            } else if let Some((tag, value)) = tag_line(line) {
                Kind::Tag(tag, value)
            } else if line.starts_with([' ', '\t']) {
                Kind::Indented(line.trim())
            } else {
                Kind::Other(line.trim())
            };
            Line {
                no: index + 1,
                start,
                end: offset,
                kind,
            }
        })
}

/// Splits a `TAG - value` line: a capital, up to three more capitals or digits, spaces to
/// column four, `-`, then a space before the value (or nothing, for an empty value).
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if bytes.len() < 5 || bytes[4] != b'-' || bytes.get(5).is_some_and(|&b| b != b' ') {
        return None;
    }
    let head = &bytes[..4];
    let tag_len = head.iter().position(|&b| b == b' ').unwrap_or(4);
    let tag_ok = tag_len > 0
        && head[0].is_ascii_uppercase()
        && head[..tag_len]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && head[tag_len..].iter().all(|&b| b == b' ');
    if !tag_ok {
        return None;
    }
    // The first six bytes are ASCII, so these are character boundaries.
    let tag = line.get(..tag_len)?;
    let value = line.get(6..).unwrap_or("").trim();
    Some((tag, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped after `nbib/single.nbib` (holub008/nbib, MIT), shortened.
    const SINGLE: &str = "PMID- 28754806
OWN - NLM
IS  - 1759-8486 (Electronic)
VI  - 10
IP  - 4
DP  - 2018 Apr
TI  - Impact of balloon guide catheter on technical and clinical outcomes: a systematic 
      review and meta-analysis.
PG  - 335-339
LID - 10.1136/neurintsurg-2017-013179 [doi]
AB  - BACKGROUND AND PURPOSE: Flow arrest with balloon guide catheters (BGCs) is becoming 
      increasingly recognized as critical to optimizing patient outcomes for mechanical 
      thrombectomy. And I could go on...
FAU - Brinjikji, Waleed
AU  - Brinjikji W
AD  - Department of Radiology, Mayo Clinic, Rochester, Minnesota, USA.
FAU - Pereira, Vitor M
AU  - Pereira VM
LA  - eng
PT  - Journal Article
PT  - Meta-Analysis
TA  - J Neurointerv Surg
JT  - Journal of neurointerventional surgery
MH  - Aged
MH  - Brain Ischemia/diagnostic imaging/*surgery
OTO - NOTNLM
OT  - mechanical thrombectomy
OT  - stroke
AID - neurintsurg-2017-013179 [pii]
AID - 10.1136/neurintsurg-2017-013179 [doi]
SO  - J Neurointerv Surg. 2018 Apr;10(4):335-339. doi: 10.1136/neurintsurg-2017-013179. 
      Epub 2017 Jul 28.
";

    #[test]
    fn a_pubmed_record_maps_to_fields() {
        let parsed = parse(SINGLE);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let r = &parsed.records[0];
        assert_eq!(
            r.title,
            "Impact of balloon guide catheter on technical and clinical outcomes: a systematic review and meta-analysis."
        );
        assert!(r.abstract_text.starts_with("BACKGROUND AND PURPOSE: Flow"));
        assert!(r.abstract_text.contains("becoming increasingly recognized"));
        assert_eq!(r.authors, ["Brinjikji, Waleed", "Pereira, Vitor M"]);
        assert_eq!(r.date, "2018 Apr");
        assert_eq!(r.journal, "Journal of neurointerventional surgery");
        assert_eq!((r.volume.as_str(), r.issue.as_str()), ("10", "4"));
        assert_eq!(r.start_page, "335-339");
        assert_eq!(r.doi, "10.1136/neurintsurg-2017-013179");
        assert_eq!(r.keywords, ["mechanical thrombectomy", "stroke"]);
        assert_eq!(r.extra_values("pmid"), ["28754806"]);
        assert_eq!(
            r.extra_values("journal abbreviation"),
            ["J Neurointerv Surg"]
        );
        assert_eq!(r.extra_values("issn"), ["1759-8486 (Electronic)"]);
        assert_eq!(r.extra_values("language"), ["eng"]);
        assert_eq!(
            r.extra_values("publication type"),
            ["Journal Article", "Meta-Analysis"]
        );
        assert_eq!(
            r.extra_values("mesh terms"),
            ["Aged; Brain Ischemia/diagnostic imaging/*surgery"]
        );
        assert_eq!(
            r.extra_values("affiliations"),
            ["Department of Radiology, Mayo Clinic, Rochester, Minnesota, USA."]
        );
        assert_eq!(r.extra_values("pii"), ["neurintsurg-2017-013179"]);
        assert_eq!(r.extra_values("owner"), ["NLM"]);
        assert!(r.extra_values("source")[0].ends_with("Epub 2017 Jul 28."));
        assert_eq!((r.line, r.span.clone()), (1, 0..SINGLE.len()));
    }

    #[test]
    fn pmc_medlars_records_start_at_pmc_and_split_without_blank_lines() {
        // Shaped after `nbib/pmc_medlars.txt` (holub008/nbib, MIT): no blank line between.
        let text = "\nPMC - PMC6055010\nPMID- 30042925\nTI  - A method package.\nAB  - \nOAB - Publisher: Abstract available from the publisher.\nSO  - MethodsX. 2018.\nPMC - PMC6088416\nPMID- 30123504\nTI  - Role of gender.\nLID - 18\nSO  - J Eat Disord. 2018.\nPMID- 3\nTI  - Third\nSO  - x\n";
        let parsed = parse(text);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["A method package.", "Role of gender.", "Third"]);
        let first = &parsed.records[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.extra_values("pmcid"), ["PMC6055010"]);
        assert_eq!(first.abstract_text, "");
        assert_eq!(
            first.extra_values("other abstract"),
            ["Publisher: Abstract available from the publisher."]
        );
        assert_eq!(parsed.records[1].line, 8);
        assert_eq!(
            parsed.records[1].extra_values("location identifier"),
            ["18"]
        );
        assert!(text[parsed.records[1].span.clone()].starts_with("PMC - PMC6088416"));
    }

    #[test]
    fn a_truncated_last_record_is_kept_and_reported() {
        let text = "PMID- 1\nTI  - One\nSO  - x\n\nPMID- 2\nTI  - Two, cut in the mid";
        let parsed = parse(text);
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.records[1].title, "Two, cut in the mid");
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert_eq!(parsed.warnings[0].line, 5);
    }

    #[test]
    fn stray_lines_are_reported_not_lost() {
        let text = "PMID- 1\nTI  - One\nunindented tail\nSO  - x\n";
        let parsed = parse(text);
        assert_eq!(parsed.records[0].title, "One unindented tail");
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].line, 3);
    }

    #[test]
    fn detection_needs_a_pmid_in_the_first_record() {
        assert!(detect(SINGLE));
        assert!(detect("\n\nPMC - PMC1\nPMID- 2\n"));
        assert!(detect("OWN - NLM\nPMID- 2\n"));
        assert!(!detect("TY  - JOUR\nTI  - x\nER  - \n"));
        assert!(!detect("TY  - JOUR\nAN  - PMID- 1\nER  - \n"));
        assert!(!detect(
            "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Doe, J\nER\n"
        ));
        assert!(!detect("<1. >\nTI  - x\n"));
        assert!(!detect("OWN - NLM\n\nPMID- 2\n"));
        assert!(!detect(""));
    }

    #[test]
    fn tag_lines_need_four_columns_and_a_hyphen() {
        assert_eq!(tag_line("PMID- 1"), Some(("PMID", "1")));
        assert_eq!(tag_line("AB  - "), Some(("AB", "")));
        assert_eq!(tag_line("AB  -"), Some(("AB", "")));
        assert_eq!(tag_line("PMC - PMC1"), Some(("PMC", "PMC1")));
        assert_eq!(tag_line("UK  -based"), None);
        assert_eq!(tag_line("A B - x"), None);
        assert_eq!(tag_line("ab  - x"), None);
        assert_eq!(tag_line("é   - x"), None);
        assert_eq!(tag_line("      x"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_tag_shaped_text_parses_without_panic(
            lines in proptest::collection::vec(
                ("(PMID- |PMC - |TI  - |AB  - |      |<1. >|SO  - |FAU - |AU  - |LID - |OAB - |MH  - |IN  - |)", ".{0,40}"),
                0..40,
            )
        ) {
            let text: String = lines.iter().map(|(tag, body)| format!("{tag}{body}\n")).collect();
            for parsed in [parse(&text), parse_ovid(&text)] {
                for r in &parsed.records {
                    proptest::prop_assert!(text.get(r.span.clone()).is_some());
                }
            }
            let _ = (detect(&text), detect_ovid(&text));
        }
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "PMID-",
            "PMID- \n      \n",
            "      orphan\nPMID- 1\n",
            "PMC - 1\nPMC - 2\n",
            "PMID- 1\nPMID- 1\n",
            "\u{feff}PMID- é\n",
        ] {
            let _ = parse(text);
        }
    }
}
