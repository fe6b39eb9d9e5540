//! Ovid's native tagged export (the "Citavi", "EndNote" and "Reference Manager" direct exports
//! of Ovid Embase, MEDLINE, PsycINFO...): each record opens with a `<3001. >` line, then
//! `XX  - value` lines. Indented lines add a value to list fields (`IN` institutions) or
//! continue the value; unindented untagged lines are further abstract paragraphs.

use std::sync::LazyLock;

use regex::Regex;

use super::fields::Field;
use super::names::ovid_name;
use super::{Kind, lex};
use crate::corpus::raw::{Parsed, RawRecord, Warning};

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^<\s*\d+\s*\.?\s*>$").expect("constant regex"));

/// Tags whose continuation lines are further values rather than more words of one value.
const LIST_TAGS: &[&str] = &[
    "AU", "FA", "IN", "MH", "KW", "OD", "DJ", "PT", "LG", "SL", "UR", "XL", "LK", "TN", "DM", "DV",
    "DN", "RN", "IS", "IB", "FS", "GI",
];

/// Whether `text` is Ovid native tagged: its first line is a `<1. >` record marker and the
/// next one a tag line.
pub fn detect(text: &str) -> bool {
    let mut lines = lex(text).filter(|l| l.kind != Kind::Blank);
    matches!(lines.next().map(|l| l.kind), Some(Kind::Other(m)) if MARKER.is_match(m))
        && matches!(lines.next().map(|l| l.kind), Some(Kind::Tag(..)))
}

/// A record being read.
struct Open {
    fields: Vec<Field>,
    line: usize,
    start: usize,
    end: usize,
}

/// Parses every record of an Ovid native tagged file.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut open: Option<Open> = None;
    for line in lex(text) {
        match line.kind {
            Kind::Blank => {}
            Kind::Other(m) if MARKER.is_match(m) => {
                if let Some(record) = open.take() {
                    close(&mut parsed, record);
                }
                open = Some(Open {
                    fields: Vec::new(),
                    line: line.no,
                    start: line.start,
                    end: line.end,
                });
            }
            Kind::Tag(tag, value) => match open.as_mut() {
                Some(record) => {
                    record.fields.push(Field {
                        tag: tag.to_string(),
                        value: value.to_string(),
                    });
                    record.end = line.end;
                }
                None => parsed.warnings.push(Warning::new(
                    line.no,
                    "tag line before the first <n. > record marker; ignored",
                )),
            },
            Kind::Indented(more) | Kind::Other(more) => {
                let Some(record) = open.as_mut() else {
                    parsed.warnings.push(Warning::new(
                        line.no,
                        "text before the first <n. > record marker; ignored",
                    ));
                    continue;
                };
                record.end = line.end;
                let Some(last) = record.fields.last_mut() else {
                    parsed.warnings.push(Warning::new(
                        line.no,
                        "untagged text before the record's first tag; kept as notes",
                    ));
                    record.fields.push(Field {
                        tag: "notes".into(),
                        value: more.to_string(),
                    });
                    continue;
                };
                if LIST_TAGS.contains(&last.tag.as_str()) {
                    let tag = last.tag.clone();
                    record.fields.push(Field {
                        tag,
                        value: more.to_string(),
                    });
                } else {
                    let paragraph = matches!(line.kind, Kind::Other(_)) && last.tag == "AB";
                    if !last.value.is_empty() {
                        last.value.push(if paragraph { '\n' } else { ' ' });
                    }
                    last.value.push_str(more);
                }
            }
        }
    }
    if let Some(record) = open.take() {
        if !text.ends_with('\n') {
            parsed.warnings.push(Warning::new(
                record.line,
                "file ends in the middle of a line; last record may be cut short",
            ));
        }
        close(&mut parsed, record);
    }
    parsed
}

fn close(parsed: &mut Parsed, open: Open) {
    let mut record = ovid_record(&open.fields);
    record.line = open.line;
    record.span = open.start..open.end;
    if record.is_empty() {
        parsed.warnings.push(Warning::new(
            open.line,
            "record has no title, abstract, author, DOI or source; skipped",
        ));
    } else {
        parsed.records.push(record);
    }
}

static DOI_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:doi\.org/|\bdoi:\s*)(10\.\d{4,9}/\S+)").expect("constant regex")
});

/// Builds the record from its fields (line and span are the caller's).
fn ovid_record(fields: &[Field]) -> RawRecord {
    let mut r = RawRecord::default();
    let value_of = |tag: &str| {
        fields
            .iter()
            .find(|f| f.tag == tag)
            .map(|f| f.value.as_str())
    };
    let database = value_of("DB").unwrap_or("").to_ascii_lowercase();
    let embase = database.contains("embase");
    let medline = database.contains("medline");
    let full_names = fields.iter().any(|f| f.tag == "FA" && !f.value.is_empty());
    let mut headings: Option<usize> = None;
    let (mut year, mut source) = (None, None);
    for Field { tag, value } in fields {
        let (tag, value) = (tag.as_str(), value.as_str());
        let named = |name: &str| (name.to_string(), value.to_string());
        match tag {
            "FA" => r.authors.push(value.to_string()),
            "AU" if !full_names => r.authors.push(value.to_string()),
            "AU" => {}
            "TI" if r.title.is_empty() => r.title = value.to_string(),
            "AB" => RawRecord::push_paragraph(&mut r.abstract_text, value),
            "JN" if r.journal.is_empty() => r.journal = value.to_string(),
            "VI" | "VO" if r.volume.is_empty() => r.volume = value.to_string(),
            "IP" if r.issue.is_empty() => r.issue = value.to_string(),
            "PG" if r.start_page.is_empty() => r.start_page = value.to_string(),
            "DP" if r.date.is_empty() => r.date = value.to_string(),
            "DO" if r.doi.is_empty() => r.doi = value.to_string(),
            "KW" => r.keywords.push(value.to_string()),
            "YR" if year.is_none() => year = Some(value),
            "SO" => {
                source.get_or_insert(value);
                r.extra.push(named("source"));
            }
            "UI" if medline => r.extra.push(named("pmid")),
            "MH" => match headings {
                Some(at) => {
                    let terms: &mut String = &mut r.extra[at].1;
                    terms.push_str("; ");
                    terms.push_str(value);
                }
                None => {
                    headings = Some(r.extra.len());
                    let name = match (embase, medline) {
                        (true, _) => "emtree terms",
                        (_, true) => "mesh terms",
                        _ => "subject terms",
                    };
                    r.extra.push(named(name));
                }
            },
            "notes" => r.extra.push(named("notes")),
            _ => r
                .extra
                .push((ovid_name(tag).into_owned(), value.to_string())),
        }
    }
    match year {
        Some(y) if r.date.is_empty() => r.date = y.to_string(),
        Some(y) => r.extra.push(("year".into(), y.to_string())),
        None => {}
    }
    if let Some(citation) = source.and_then(parse_source) {
        citation.fill(&mut r);
    }
    if r.doi.is_empty() {
        r.doi = fields
            .iter()
            .find_map(|f| DOI_IN_TEXT.captures(&f.value)?.get(1))
            .map(|m| {
                m.as_str()
                    .trim_end_matches(['.', ',', ';', ')'])
                    .to_string()
            })
            .unwrap_or_default();
    }
    r
}

/// What an Ovid `SO` citation string holds.
#[derive(Debug, Default, PartialEq, Eq)]
struct Citation {
    journal: String,
    volume: String,
    issue: String,
    pages: String,
    date: String,
    conference: String,
    publication_date: String,
    article_number: String,
}

impl Citation {
    /// Fills the record's empty citation fields; conference, article number and a fuller
    /// publication date go to extra.
    fn fill(self, r: &mut RawRecord) {
        for (field, value) in [
            (&mut r.journal, self.journal),
            (&mut r.volume, self.volume),
            (&mut r.issue, self.issue),
            (&mut r.start_page, self.pages),
            (&mut r.date, self.date),
        ] {
            if field.is_empty() {
                *field = value;
            }
        }
        if !self.conference.is_empty() {
            r.extra.push(("conference".into(), self.conference));
        }
        if !self.article_number.is_empty() {
            r.extra.push(("article number".into(), self.article_number));
        }
        if !self.publication_date.is_empty() && self.publication_date != r.date {
            r.extra.push(("date".into(), self.publication_date));
        }
    }
}

/// Embase: `Journal. 12 (3) (pp 1-9), 2018. Date of Publication: May 2018.`, with
/// `(no pagination)` for article-numbered papers and `. Conference: name` after the journal.
static EMBASE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?<journal>.+?)\. (?:(?<volume>[^\s(),]+) )?(?:\((?<issue>[^()]*)\) )?",
        r"\((?:pp (?<pages>[^()]*)|no pagination)\), (?<date>\d{4})\b"
    ))
    .expect("constant regex")
});

/// Ovid MEDLINE: `Journal. 10(4):335-339, 2018 Apr.`
static MEDLINE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?<journal>.+?)\. (?<volume>[^\s():,]+)(?:\((?<issue>[^()]*)\))?:(?<pages>[^\s,]+), ",
        r"(?<date>\d{4}[^.]*)\.?$"
    ))
    .expect("constant regex")
});

/// PsycINFO: `Journal. Vol.127(3), Apr 2018, pp. 321-330.`
static PSYCINFO_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?<journal>.+?)\. Vol\.? ?(?<volume>[^\s(),]+)(?:\((?<issue>[^()]*)\))?, ",
        r"(?<date>[^,]*\d{4}[^,]*?)(?:, pp\. ?(?<pages>[^,]+?))?\.?$"
    ))
    .expect("constant regex")
});

static PUBLICATION_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Date of Publication: ([^.]+)").expect("constant regex"));

static ARTICLE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Article Number: ([^.]+)").expect("constant regex"));

/// Reads the parts of a citation string that one of Ovid's known layouts makes certain;
/// `None` for any other layout.
fn parse_source(so: &str) -> Option<Citation> {
    let caps = [&*EMBASE_SOURCE, &*MEDLINE_SOURCE, &*PSYCINFO_SOURCE]
        .iter()
        .find_map(|re| re.captures(so))?;
    let part = |name: &str| caps.name(name).map_or("", |m| m.as_str()).to_string();
    let mut journal = part("journal");
    let mut conference = String::new();
    if let Some((name, meeting)) = journal.split_once(". Conference: ") {
        conference = meeting.to_string();
        journal = name.to_string();
    }
    let later = |re: &Regex| {
        re.captures(so)
            .and_then(|c| c.get(1))
            .map_or(String::new(), |m| m.as_str().trim().to_string())
    };
    Some(Citation {
        journal,
        volume: part("volume"),
        issue: part("issue"),
        pages: part("pages"),
        date: part("date"),
        conference,
        publication_date: later(&PUBLICATION_DATE),
        article_number: later(&ARTICLE_NUMBER),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped after `commandline4expertsearchers/Embase_endnote_r3001-3002.cgi`, shortened
    /// (the abstract paragraphs are made up).
    const EMBASE: &str = "<3001. >
VN  - Ovid Technologies
DB  - Embase
UI  - 621381829
ST  - CONFERENCE ABSTRACT
TI  - Quality of life in patients with primary ciliary dyskinesia: A systematic review.
SO  - BMC Proceedings. Conference: 2nd BEAT-PCD Conference and 3rd PCD Training School: Part 2. Spain. 12 (Supplement 3) (no pagination), 2018. Date of Publication: 2018.
AU  - Behan L.
AU  - Rubbo B.
IN  - (Behan, Rubbo) NIHR Southampton Biomedical Research Centre, Southampton, United Kingdom
      (Behan) School of Applied Psychology, University College Cork, Cork, Ireland
MH  - adult
MH  - *quality of life
DJ  - conference abstract [other term]
AB  - Background: First paragraph. 
Method(s): Second paragraph.
IS  - 1753-6561
DO  - http://dx.doi.org/10.1186/s12919-018-0099-8
LG  - English
PT  - Conference Abstract
YR  - 2018

<3002. >
TI  - Second
SO  - Journal of Testing. 36 (15) (pp 1234-1240), 2019. Date of Publication: May 2019.
UR  - https://doi.org/10.1000/xyz.1.
";

    #[test]
    fn embase_records_map_to_fields() {
        let parsed = parse(EMBASE);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 2);
        let r = &parsed.records[0];
        assert!(r.title.starts_with("Quality of life"));
        assert_eq!(r.authors, ["Behan L.", "Rubbo B."]);
        assert_eq!(
            r.abstract_text,
            "Background: First paragraph.\nMethod(s): Second paragraph."
        );
        assert_eq!(r.journal, "BMC Proceedings");
        assert_eq!(
            (r.volume.as_str(), r.issue.as_str()),
            ("12", "Supplement 3")
        );
        assert_eq!(r.start_page, "");
        assert_eq!(r.date, "2018");
        assert_eq!(r.doi, "http://dx.doi.org/10.1186/s12919-018-0099-8");
        assert_eq!(r.extra_values("affiliations").len(), 2);
        assert_eq!(r.extra_values("emtree terms"), ["adult; *quality of life"]);
        assert_eq!(r.extra_values("accession number"), ["621381829"]);
        assert_eq!(r.extra_values("language"), ["English"]);
        assert_eq!(r.extra_values("publication type"), ["Conference Abstract"]);
        assert_eq!(r.extra_values("database"), ["Embase"]);
        assert_eq!(
            r.extra_values("conference"),
            ["2nd BEAT-PCD Conference and 3rd PCD Training School: Part 2. Spain"]
        );
        assert!(r.extra_values("source")[0].starts_with("BMC Proceedings. Conference"));
        assert!(r.extra_values("date").is_empty());
        assert_eq!(r.line, 1);

        let r = &parsed.records[1];
        assert_eq!(r.line, 23);
        assert_eq!(r.journal, "Journal of Testing");
        assert_eq!(r.start_page, "1234-1240");
        assert_eq!(r.date, "2019");
        assert_eq!(r.extra_values("date"), ["May 2019"]);
        assert_eq!(r.doi, "10.1000/xyz.1");
        assert!(EMBASE[r.span.clone()].starts_with("<3002. >"));
        assert!(EMBASE[r.span.clone()].ends_with("xyz.1.\n"));
    }

    #[test]
    fn citation_layouts_of_other_ovid_databases() {
        let medline =
            parse_source("Journal of neurointerventional surgery. 10(4):335-339, 2018 Apr.");
        assert_eq!(
            medline,
            Some(Citation {
                journal: "Journal of neurointerventional surgery".into(),
                volume: "10".into(),
                issue: "4".into(),
                pages: "335-339".into(),
                date: "2018 Apr".into(),
                ..Citation::default()
            })
        );
        let psyc =
            parse_source("Journal of Abnormal Psychology. Vol.127(3), Apr 2018, pp. 321-330.")
                .expect("psycinfo layout");
        assert_eq!(
            (
                psyc.journal.as_str(),
                psyc.volume.as_str(),
                psyc.issue.as_str()
            ),
            ("Journal of Abnormal Psychology", "127", "3")
        );
        assert_eq!(
            (psyc.date.as_str(), psyc.pages.as_str()),
            ("Apr 2018", "321-330")
        );
        let numbered = parse_source(
            "BMJ Open. 8 (3) (no pagination), 2018. Article Number: e019999. Date of Publication: 01 Mar 2018.",
        )
        .expect("embase layout");
        assert_eq!(numbered.article_number, "e019999");
        assert_eq!(numbered.publication_date, "01 Mar 2018");
        assert_eq!(parse_source("Some free text without a layout"), None);
    }

    #[test]
    fn full_author_names_win_and_medline_ids_are_pmids() {
        let text = "<1. >\nDB  - Ovid MEDLINE(R)\nUI  - 28754806\nAU  - Doe J\nFA  - Doe, Jane\nMH  - Aged\n";
        let parsed = parse(text);
        let r = &parsed.records[0];
        assert_eq!(r.authors, ["Doe, Jane"]);
        assert_eq!(r.extra_values("pmid"), ["28754806"]);
        assert_eq!(r.extra_values("mesh terms"), ["Aged"]);
    }

    #[test]
    fn detection_and_stray_text() {
        assert!(detect(EMBASE));
        assert!(detect("\n<1. >\nTI  - x\n"));
        assert!(!detect("<1. >\nUnique Identifier\n  123\n"));
        assert!(!detect("TY  - JOUR\n"));
        assert!(!detect("PMID- 1\n"));
        let parsed = parse("junk\n<1. >\n  orphan\nTI  - x\n");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
        assert_eq!(parsed.records[0].extra_values("notes"), ["orphan"]);
    }
}
