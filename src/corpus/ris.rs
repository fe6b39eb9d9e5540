//! RIS in its dialects: `TAG  - value` lines, untagged continuation lines, Ovid's `1.`
//! numbering lines, and RIS flattened onto one line (`TY - JOUR T1 - ... ER -`), which web
//! pages and some reference managers produce.

use std::sync::LazyLock;

use regex::Regex;

use super::raw::{Parsed, RawRecord, Warning};

/// Tags a flattened one-line record is split on. Only known tags count, so that text such as
/// `UK - based` inside an abstract is never taken for a tag.
const KNOWN_TAGS: &[&str] = &[
    "TY", "A1", "A2", "A3", "A4", "AB", "AD", "AN", "AU", "AV", "BT", "C1", "C2", "C3", "C4", "C5",
    "C6", "C7", "C8", "CA", "CN", "CP", "CT", "CY", "DA", "DB", "DO", "DP", "ED", "EP", "ER", "ET",
    "ID", "IS", "J1", "J2", "JA", "JF", "JO", "KW", "L1", "L2", "L3", "L4", "LA", "LB", "LK", "LP",
    "M1", "M2", "M3", "N1", "N2", "NV", "OP", "PB", "PP", "PY", "RI", "RN", "RP", "SE", "SN", "SP",
    "ST", "T1", "T2", "T3", "TA", "TI", "TT", "U1", "U2", "U3", "U4", "U5", "UR", "VL", "VO", "Y1",
    "Y2",
];

/// A flattened line is split only when it holds at least this many embedded known tags.
const MIN_INLINE_TAGS: usize = 3;

static INLINE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s([A-Z][A-Z0-9]) {1,2}-(?:\s|$)").expect("constant regex"));

static OVID_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+\.\s*$").expect("constant regex"));

static RECORD_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Record #\d+ of \d+$").expect("constant regex"));

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z0-9 /-]{0,40}):\s+(\S.*)$").expect("constant regex")
});

/// A line that separates records in some exporters: Ovid's `2.`, Cochrane's `Record #3 of 18`.
fn is_separator(line: &str) -> bool {
    OVID_NUMBER.is_match(line) || RECORD_HEADER.is_match(line)
}

/// Whether `text` looks like RIS: a `TY` tag line comes before any other content, allowing
/// the separator and `Key: value` lines some exporters put before each record.
pub fn detect(text: &str) -> bool {
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
    {
        if let Some((tag, _)) = tag_line(line) {
            return tag == "TY";
        }
        if !is_separator(line) && !KEY_VALUE.is_match(line) {
            return false;
        }
    }
    false
}

/// Parses every record of an RIS file.
///
/// Between records, exporters write their own lines: Ovid a `2.` before each record and
/// `NL` tags and `Link to the Ovid Full Text...: url` after `ER`; Cochrane `Record #3 of 18`,
/// `Provider: ...` before `TY`. `Key: value` lines after a record (before the next separator)
/// are kept in that record's extra fields, those before a record in the next one's.
pub fn parse(text: &str) -> Parsed {
    parse_chunk(text, 0).parsed
}

/// What parsing one piece of a file gave.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Records and warnings; spans are offsets in the whole file, lines count from the
    /// piece's first line (1).
    pub parsed: Parsed,
    /// Lines in the piece.
    pub lines: usize,
    /// Whether the piece ended between records with nothing carried over to the next
    /// (no open record, no `Key: value` lines waiting for one): only then does parsing the
    /// pieces one by one give what parsing the file at once gives.
    pub ends_clean: bool,
    /// Whether a line of the piece belongs to the record before the piece (after an `ER`,
    /// with no record of the piece kept yet): the piece cannot be parsed apart.
    pub needs_previous: bool,
}

/// Parses `piece`, which starts at byte `start` of its file: [`parse`] on part of a file cut
/// where the parser holds no record (`corpus::parallel` cuts RIS so).
pub fn parse_chunk(piece: &str, start: usize) -> Chunk {
    let text = piece;
    let mut parsed = Parsed::default();
    let mut builder: Option<Builder> = None;
    let mut after_record = false;
    let mut pending: Vec<(String, String)> = Vec::new();
    let mut offset = start;
    let mut lines = 0;
    let mut needs_previous = false;
    for (index, physical) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        lines = line_no;
        let line_start = offset;
        offset += physical.len();
        let line = physical.trim_end_matches(['\n', '\r']);
        let pieces = split_flattened(line);
        for &logical in pieces.as_deref().unwrap_or(std::slice::from_ref(&line)) {
            let trimmed = logical.trim_start_matches('\u{feff}');
            if let Some((tag, value)) = tag_line(trimmed) {
                let value = value.trim();
                match tag {
                    "TY" => {
                        if let Some(open) = builder.take() {
                            parsed.warnings.push(Warning::new(
                                open.record.line,
                                "record has no ER line before the next TY; kept as read",
                            ));
                            push(&mut parsed, open, line_start);
                        }
                        let mut b = Builder::new(line_no, line_start);
                        b.record.extra.append(&mut pending);
                        b.field("TY", value);
                        builder = Some(b);
                    }
                    "ER" => match builder.take() {
                        Some(b) => {
                            push(&mut parsed, b, offset);
                            after_record = true;
                        }
                        None => parsed.warnings.push(Warning::new(
                            line_no,
                            "ER line with no open record; ignored",
                        )),
                    },
                    _ => match (builder.as_mut(), parsed.records.last_mut()) {
                        (Some(b), _) => b.field(tag, value),
                        (None, Some(last)) if after_record => {
                            last.extra
                                .push((extra_name(tag).to_string(), value.to_string()));
                        }
                        (None, last) => {
                            // After an `ER`, the whole file gives this line to a record
                            // before the piece (the piece's first record was empty).
                            needs_previous |= after_record && last.is_none();
                            let mut b = Builder::new(line_no, line_start);
                            b.record.extra.append(&mut pending);
                            b.field(tag, value);
                            builder = Some(b);
                        }
                    },
                }
                continue;
            }
            let content = logical.trim();
            if content.is_empty() {
                continue;
            }
            if is_separator(content) {
                after_record = false;
            } else if let Some(b) = builder.as_mut() {
                b.continuation(content);
            } else if let Some(caps) = KEY_VALUE.captures(content) {
                let pair = (caps[1].to_lowercase(), caps[2].to_string());
                match parsed.records.last_mut() {
                    Some(last) if after_record => last.extra.push(pair),
                    last => {
                        needs_previous |= after_record && last.is_none();
                        pending.push(pair);
                    }
                }
            } else {
                parsed.warnings.push(Warning::new(
                    line_no,
                    "text outside any record (no TY line before it); ignored",
                ));
            }
        }
    }
    let ends_clean = builder.is_none() && pending.is_empty();
    if let Some(open) = builder.take() {
        parsed.warnings.push(Warning::new(
            open.record.line,
            "file ends inside a record (no ER line); record kept as read",
        ));
        push(&mut parsed, open, start + text.len());
    }
    Chunk {
        parsed,
        lines,
        ends_clean,
        needs_previous,
    }
}

fn push(parsed: &mut Parsed, builder: Builder<'_>, end: usize) {
    let mut record = builder.finish();
    record.span.end = end;
    if !record.is_empty() {
        parsed.records.push(record);
    }
}

/// Splits a line holding several `TAG - value` pairs into one logical line per tag; `None`
/// when it is one logical line (nearly always).
pub(super) fn split_flattened(line: &str) -> Option<Vec<&str>> {
    if tag_line(line).is_none() || inline_tag_candidates(line) < MIN_INLINE_TAGS {
        return None;
    }
    let cuts: Vec<usize> = INLINE_TAG
        .captures_iter(line)
        .filter_map(|c| {
            let tag = c.get(1)?;
            KNOWN_TAGS.contains(&tag.as_str()).then_some(tag.start())
        })
        .collect();
    if cuts.len() < MIN_INLINE_TAGS {
        return None;
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        pieces.push(line[start..cut].trim_end());
        start = cut;
    }
    pieces.push(&line[start..]);
    Some(pieces)
}

/// How many places in `line` could end an [`INLINE_TAG`] match (`X9 -` or `X9  -`, tag
/// characters being capitals and digits): at least as many as its matches, so a line with
/// fewer than [`MIN_INLINE_TAGS`] of them needs no regex (an abstract line has few or none).
fn inline_tag_candidates(line: &str) -> usize {
    let bytes = line.as_bytes();
    let tag_char = |i: usize| bytes[i].is_ascii_uppercase() || bytes[i].is_ascii_digit();
    line.match_indices('-')
        .filter(|&(i, _)| {
            i >= 3
                && bytes[i - 1] == b' '
                && (tag_char(i - 2) || (i >= 4 && bytes[i - 2] == b' ' && tag_char(i - 3)))
        })
        .count()
}

/// A `TAG  - value` line as (tag, value): a capital and a capital or digit, one or two
/// spaces, a hyphen, then a space and the value or the end of the line (empty tags such as
/// `ER  -`). What the regex `^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|$)` matches, by hand: it is tried
/// on every line of every file.
pub(super) fn tag_line(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if bytes.len() < 4 || !bytes[0].is_ascii_uppercase() {
        return None;
    }
    if !(bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit()) || bytes[2] != b' ' {
        return None;
    }
    let hyphen = if bytes[3] == b'-' {
        3
    } else if bytes[3] == b' ' && bytes.get(4) == Some(&b'-') {
        4
    } else {
        return None;
    };
    let tag = &line[..2];
    match bytes.get(hyphen + 1) {
        None => Some((tag, "")),
        Some(b' ') => {
            let value = &line[hyphen + 2..];
            // `.` stops at a line feed.
            Some((tag, value.split('\n').next().unwrap_or_default()))
        }
        Some(_) => None,
    }
}

/// Accumulates one record's tags.
struct Builder<'a> {
    record: RawRecord,
    last_tag: Option<&'a str>,
    titles: Vec<Ranked<'a>>,
    journals: Vec<Ranked<'a>>,
    dates: Vec<Ranked<'a>>,
    abstracts: Vec<Ranked<'a>>,
}

/// A value of one of several tags that can hold the same field: (preference, tag, value).
type Ranked<'a> = (usize, &'a str, String);

/// Preference order (lower first) among tags that can hold the same field.
fn rank(tags: &[&str], tag: &str) -> Option<usize> {
    tags.iter().position(|t| *t == tag)
}

const TITLE_TAGS: &[&str] = &["TI", "T1", "CT", "BT", "ST"];
const JOURNAL_TAGS: &[&str] = &["JF", "T2", "JO", "JA", "J2", "J1", "T3"];
const DATE_TAGS: &[&str] = &["PY", "Y1", "DA", "Y2"];
const ABSTRACT_TAGS: &[&str] = &["AB", "N2"];

impl<'a> Builder<'a> {
    fn new(line: usize, start: usize) -> Self {
        Self {
            record: RawRecord::starting_at(line, start),
            last_tag: None,
            titles: Vec::new(),
            journals: Vec::new(),
            dates: Vec::new(),
            abstracts: Vec::new(),
        }
    }

    fn field(&mut self, tag: &'a str, value: &str) {
        self.last_tag = Some(tag);
        let r = &mut self.record;
        let ranked = |list: &mut Vec<Ranked<'a>>, tags: &[&str]| {
            if let Some(rank) = rank(tags, tag) {
                list.push((rank, tag, value.to_string()));
            }
        };
        match tag {
            "AU" | "A1" => r.authors.push(value.to_string()),
            "VL" | "VO" => r.volume = value.to_string(),
            "IS" | "CP" => r.issue = value.to_string(),
            "SP" => r.start_page = value.to_string(),
            "EP" | "LP" => r.end_page = value.to_string(),
            "DO" => r.doi = value.to_string(),
            "KW" => r.keywords.push(value.to_string()),
            t if TITLE_TAGS.contains(&t) => ranked(&mut self.titles, TITLE_TAGS),
            t if JOURNAL_TAGS.contains(&t) => ranked(&mut self.journals, JOURNAL_TAGS),
            t if DATE_TAGS.contains(&t) => ranked(&mut self.dates, DATE_TAGS),
            t if ABSTRACT_TAGS.contains(&t) => ranked(&mut self.abstracts, ABSTRACT_TAGS),
            other => r
                .extra
                .push((extra_name(other).to_string(), value.to_string())),
        }
    }

    /// An untagged line continues the previous tag: a new paragraph of an abstract, a new
    /// keyword of a keyword list, or more words of anything else.
    fn continuation(&mut self, text: &str) {
        let Some(tag) = self.last_tag else {
            return;
        };
        let r = &mut self.record;
        let append = |field: &mut String, sep: &str| {
            if !field.is_empty() {
                field.push_str(sep);
            }
            field.push_str(text);
        };
        match tag {
            "KW" => r.keywords.push(text.to_string()),
            "AU" | "A1" => r.authors.push(text.to_string()),
            t if ABSTRACT_TAGS.contains(&t) || t == "N1" => {
                if let Some(last) = self.abstracts.last_mut().filter(|_| t != "N1") {
                    append(&mut last.2, "\n");
                } else if let Some(last) = r.extra.last_mut() {
                    append(&mut last.1, "\n");
                }
            }
            t if TITLE_TAGS.contains(&t) => self
                .titles
                .last_mut()
                .into_iter()
                .for_each(|v| append(&mut v.2, " ")),
            t if JOURNAL_TAGS.contains(&t) => self
                .journals
                .last_mut()
                .into_iter()
                .for_each(|v| append(&mut v.2, " ")),
            t if DATE_TAGS.contains(&t) => {}
            _ => {
                if let Some(last) = r.extra.last_mut() {
                    append(&mut last.1, " ");
                }
            }
        }
    }

    /// Picks the preferred tag of each ranked field; the other values are kept in extra
    /// under their own names unless they repeat the chosen value.
    fn finish(mut self) -> RawRecord {
        let r = &mut self.record;
        for (list, field) in [
            (&mut self.titles, &mut r.title),
            (&mut self.journals, &mut r.journal),
            (&mut self.dates, &mut r.date),
            (&mut self.abstracts, &mut r.abstract_text),
        ] {
            list.retain(|(_, _, v)| !v.trim().is_empty());
            list.sort_by_key(|(rank, _, _)| *rank);
            let mut values = list.drain(..);
            if let Some((_, _, chosen)) = values.next() {
                *field = chosen;
            }
            for (_, tag, value) in values {
                if value != *field && !r.extra.iter().any(|(_, v)| *v == value) {
                    r.extra.push((extra_name(tag).to_string(), value));
                }
            }
        }
        self.record
    }
}

/// Readable name for an RIS tag kept in `extra`.
fn extra_name(tag: &str) -> &str {
    match tag {
        "TY" => "type",
        "UR" | "L1" | "L2" | "L3" | "L4" | "LK" => "url",
        "SN" => "issn",
        "PB" => "publisher",
        "CY" | "PP" => "place",
        "LA" => "language",
        "N1" => "notes",
        "AN" => "accession number",
        "DB" | "DP" => "database",
        "ID" => "reference id",
        "A2" | "ED" => "editors",
        "A3" | "A4" => "other contributors",
        "AD" => "address",
        "ST" => "short title",
        "TI" | "T1" => "alternative title",
        "CT" => "caption title",
        "BT" => "book title",
        "JF" => "journal",
        "T2" => "secondary title",
        "JO" | "JA" | "J1" | "J2" | "NL" => "journal abbreviation",
        "T3" => "tertiary title",
        "PY" => "year",
        "Y1" | "DA" => "date",
        "Y2" => "access date",
        "AB" | "N2" => "other abstract",
        "ET" => "edition",
        "M3" => "type of work",
        "C1" | "C2" | "C3" | "C4" | "C5" | "C6" | "C7" | "C8" => "custom",
        "U1" | "U2" | "U3" | "U4" | "U5" => "user",
        "RP" => "reprint",
        "CN" => "call number",
        "CA" => "caption",
        "SE" => "section",
        "NV" => "number of volumes",
        "OP" => "original publication",
        "RI" => "reviewed item",
        "RN" => "research notes",
        "TT" => "translated title",
        "TA" => "translated author",
        "AV" => "availability",
        "M1" | "M2" => "number",
        "LB" => "label",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_multiline_record_with_continuations() {
        let text = "TY  - JOUR\nTI  - A title\nAU  - Doe, Jane\nAU  - Roe, R\nPY  - 2020\nJO  - J Abbr\nT2  - Journal Full\nAB  - First paragraph\nsecond paragraph\nKW  - alpha\nbeta\nDO  - 10.1/x\nSP  - 1\nEP  - 9\nUR  - http://x\nER  - \n";
        let parsed = parse(text);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let r = &parsed.records[0];
        assert_eq!(r.title, "A title");
        assert_eq!(r.authors, ["Doe, Jane", "Roe, R"]);
        assert_eq!(r.journal, "Journal Full");
        assert_eq!(r.abstract_text, "First paragraph\nsecond paragraph");
        assert_eq!(r.keywords, ["alpha", "beta"]);
        assert_eq!((r.start_page.as_str(), r.end_page.as_str()), ("1", "9"));
        assert!(r.extra.contains(&("url".into(), "http://x".into())));
        assert!(
            r.extra
                .contains(&("journal abbreviation".into(), "J Abbr".into()))
        );
        assert_eq!(r.span, 0..text.len());
    }

    #[test]
    fn flattened_one_line_record_is_split_on_known_tags_only() {
        let text = "TY - JOUR T1 - Title here JF - Journal AU - A One AU - B Two N2 - Text with a UK - based study. ER -";
        let parsed = parse(text);
        assert_eq!(parsed.records.len(), 1);
        let r = &parsed.records[0];
        assert_eq!(r.title, "Title here");
        assert_eq!(r.authors, ["A One", "B Two"]);
        assert_eq!(r.abstract_text, "Text with a UK - based study.");
    }

    #[test]
    fn ovid_numbering_lines_and_missing_er_are_tolerated() {
        let text = "1.\nTY  - JOUR\nTI  - One\n\n2.\nTY  - JOUR\nTI  - Two\n";
        let parsed = parse(text);
        assert_eq!(
            parsed
                .records
                .iter()
                .map(|r| r.title.as_str())
                .collect::<Vec<_>>(),
            ["One", "Two"]
        );
        assert_eq!(parsed.records[1].line, 6);
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
    }

    #[test]
    fn detection_requires_a_leading_ty_line() {
        assert!(detect("\n1.\nTY  - JOUR\n"));
        assert!(detect("TY - JOUR T1 - x ER -"));
        assert!(!detect("Abstract\nTY  - JOUR\n"));
    }

    #[test]
    fn cochrane_record_headers_precede_each_record() {
        // Shape of citation-file-formatting/_baseline_cochrane_endnote.ris (CC0).
        let text = "Record #3 of 18\nProvider: John Wiley & Sons, Ltd.\nContent: text/plain; charset=\"UTF-8\"\n\nTY  -  JOUR\nAN  -  CN-00778158\nTI  -  The Incredible Years\nER  -  \n\nRecord #4 of 18\nProvider: John Wiley & Sons, Ltd.\n\nTY  -  JOUR\nTI  -  Second\nER  -  \n";
        assert!(detect(text));
        let parsed = parse(text);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let titles: Vec<&str> = parsed.records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["The Incredible Years", "Second"]);
        assert!(
            parsed.records[1]
                .extra
                .contains(&("provider".into(), "John Wiley & Sons, Ltd.".into()))
        );
        assert!(
            parsed.records[0]
                .extra
                .contains(&("accession number".into(), "CN-00778158".into()))
        );
    }

    #[test]
    fn ovid_lines_after_er_stay_with_their_record() {
        // Shape of asreview/ovid_psycinfo.ris (Apache-2.0).
        let text = "1.\nTY  - JOUR\nTI  - One\nER  -\nNL  - Clin Psychol Psychother\n\nLink to the Ovid Full Text or citation: https://ovid.example/1\n\n2.\nTY  - JOUR\nTI  - Two\nER  -\n";
        let parsed = parse(text);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let first = &parsed.records[0].extra;
        assert!(
            first
                .iter()
                .any(|(k, v)| k == "journal abbreviation" && v == "Clin Psychol Psychother")
        );
        assert!(
            first
                .iter()
                .any(|(k, v)| k == "link to the ovid full text or citation"
                    && v == "https://ovid.example/1")
        );
        assert!(parsed.records[1].extra.iter().all(|(k, _)| k == "type"));
    }

    #[test]
    fn short_title_stands_in_when_there_is_no_title_and_others_are_kept() {
        // rispy/example_utf_chars.ris (MIT) has `TY  - Journal Article` and only ST.
        let parsed = parse(
            "TY  - Journal Article\nST  - Состояние\nER  -\nTY  - JOUR\nTI  - Full\nT1  - Other\nST  - Full\nER  -\n",
        );
        assert_eq!(parsed.records[0].title, "Состояние");
        assert!(
            parsed.records[0]
                .extra
                .contains(&("type".into(), "Journal Article".into()))
        );
        assert_eq!(parsed.records[1].title, "Full");
        assert_eq!(
            parsed.records[1].extra,
            [
                ("type".to_string(), "JOUR".to_string()),
                ("alternative title".to_string(), "Other".to_string())
            ]
        );
    }
}
