//! Every EndNote file of the shared corpora, parsed and cleaned. Counts were taken
//! independently of this parser (Python's ElementTree for the XML; blank-line-separated blocks
//! and `%T` / `%X` lines for the tagged files).

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::clean_record;
use crate::corpus::decode::decode;
use crate::corpus::raw::Parsed;
use crate::record::Source;

fn read(name: &str) -> String {
    let bytes = std::fs::read(crate::corpus::corpora_dir().join(name)).expect("corpus file");
    decode(&bytes).text
}

/// Expected numbers for one file.
struct Expect {
    file: &'static str,
    tagged: bool,
    records: usize,
    titles: usize,
    abstracts: usize,
    dois: usize,
}

const FILES: &[Expect] = &[
    Expect {
        file: "ASySD/zotero_export.xml",
        tagged: false,
        records: 1233,
        titles: 1233,
        abstracts: 1128,
        dois: 1064,
    },
    Expect {
        file: "ASySD/mendeley_export.xml",
        tagged: false,
        records: 1233,
        titles: 1233,
        abstracts: 1128,
        dois: 1064,
    },
    // SOURCES.md says 2 records for each tagged file: it counted `%0` lines, but records here
    // may start with `%T` and not all have a `%0`.
    Expect {
        file: "colrev/enl_data.enl",
        tagged: true,
        records: 3,
        titles: 3,
        abstracts: 2,
        dois: 0,
    },
    Expect {
        file: "colrev/ais_enl.txt",
        tagged: true,
        records: 6,
        titles: 6,
        abstracts: 4,
        dois: 0,
    },
];

static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"</?[A-Za-z][A-Za-z0-9:_-]{0,30}(?:\s[^<>]{0,200})?/?>|&(?:amp|lt|gt|quot|apos|#x?[0-9A-Fa-f]+);|\bstyle face=|(?:^|\s)%[0-9A-Z@] |\r",
    )
    .expect("constant regex")
});

fn parse_file(expect: &Expect) -> (String, Parsed) {
    let text = read(expect.file);
    let parsed = if expect.tagged {
        super::parse_tagged(&text)
    } else {
        super::parse(&text)
    };
    (text, parsed)
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_endnote_file_of_the_corpora() {
    for expect in FILES {
        let (text, parsed) = parse_file(expect);
        let file = expect.file;
        assert_eq!(super::detect(&text), !expect.tagged, "{file}: detect");
        assert_eq!(
            super::detect_tagged(&text),
            expect.tagged,
            "{file}: detect_tagged"
        );
        assert!(!crate::corpus::ris::detect(&text), "{file}: not RIS");
        assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
        let records = &parsed.records;
        assert_eq!(records.len(), expect.records, "{file}: records");
        let count =
            |f: fn(&crate::corpus::raw::RawRecord) -> bool| records.iter().filter(|r| f(r)).count();
        assert_eq!(
            count(|r| !r.title.trim().is_empty()),
            expect.titles,
            "{file}"
        );
        assert_eq!(
            count(|r| !r.abstract_text.trim().is_empty()),
            expect.abstracts,
            "{file}"
        );
        assert_eq!(count(|r| !r.doi.trim().is_empty()), expect.dois, "{file}");
        for (index, raw) in records.iter().enumerate() {
            let source = Source {
                file: file.to_string(),
                index,
                line: raw.line,
                span: raw.span.clone(),
            };
            let raw_text = text.get(raw.span.clone()).expect("span on char boundaries");
            let record = clean_record(raw, source, raw_text);
            let cleaned = std::iter::once(record.title.as_str())
                .chain(record.sections.iter().map(|s| s.text.as_str()));
            for value in cleaned {
                assert!(
                    !MARKUP.is_match(value),
                    "{file} record {index} (line {}): {value:?}",
                    raw.line
                );
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn zotero_and_mendeley_xml_give_the_same_titles() {
    let titles = |expect: &Expect| {
        let (_, parsed) = parse_file(expect);
        let mut titles: Vec<String> = parsed
            .records
            .iter()
            .map(|r| crate::clean::clean_title(&r.title))
            .collect();
        titles.sort();
        titles
    };
    let zotero = titles(&FILES[0]);
    let mendeley = titles(&FILES[1]);
    assert_eq!(zotero.len(), 1233);
    assert_eq!(zotero, mendeley);
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn one_line_xml_records_have_line_two_or_one_and_exact_spans() {
    for (expect, line) in [(&FILES[0], 2), (&FILES[1], 1)] {
        let (text, parsed) = parse_file(expect);
        for r in &parsed.records {
            assert_eq!(r.line, line, "{}", expect.file);
            assert!(text[r.span.clone()].starts_with("<record>"));
            assert!(text[r.span.clone()].ends_with("</record>"));
        }
        let first = &parsed.records[0];
        assert_eq!(
            first.authors,
            ["Rotter, Carina", "Whittaker, Danielle", "Rusbridge, Clare"]
        );
        assert_eq!(first.doi, "10.1111/jvim.16404");
        assert_eq!(first.journal, "Journal of veterinary internal medicine");
        assert_eq!((first.volume.as_str(), first.issue.as_str()), ("36", "3"));
    }
}
