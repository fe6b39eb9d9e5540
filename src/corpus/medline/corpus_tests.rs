//! Every MEDLINE and Ovid file of the shared corpora, parsed and cleaned.
//!
//! Expected numbers were counted apart from this parser: records from the files' own markers
//! (`grep -c '^PMID- '`, `grep -c '^<[0-9]*\. >'`), titles and abstracts from non-empty `TI` /
//! `AB` values with their continuation lines (tests/tools/count_records.py agrees, and so does
//! SOURCES.md except for `nbib/pmc_medlars.txt`, whose fifth `AB` is empty).

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::clean_record;
use crate::corpus::decode::decode;
use crate::corpus::raw::Parsed;
use crate::record::Source;

/// (file, records, records with a title, records with an abstract, warnings expected).
type Expected = (&'static str, usize, usize, usize, usize);

const MEDLINE_FILES: &[Expected] = &[
    ("nbib/pubmed-balloongui-set.nbib", 75, 75, 70, 0),
    ("nbib/single.nbib", 1, 1, 1, 0),
    ("nbib/pmc_medlars.txt", 5, 5, 4, 0),
    ("revtools/restoration_pubmed.nbib", 104, 104, 96, 0),
    // The last record stops in the middle of its title: one warning.
    ("metaknowledge/medline_test.medline", 175, 175, 171, 1),
    ("synthesisr/PubMed_example.txt", 3, 3, 3, 0),
    ("synthesisr/res_synth_methods.txt", 2, 2, 2, 0),
    (
        "citation-file-formatting/_baseline_pubmed.ris",
        50,
        50,
        49,
        0,
    ),
];

const OVID_FILES: &[Expected] = &[
    (
        "commandline4expertsearchers/Embase_citavi_r3001-3002.ovd",
        2,
        2,
        2,
        0,
    ),
    (
        "commandline4expertsearchers/Embase_endnote_r3001-3002.cgi",
        2,
        2,
        2,
        0,
    ),
];

/// What must not survive cleaning: markup, entities, tag lines of either format, and the
/// indentation of continuation lines.
static LEFTOVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"</?[a-zA-Z][^>]*>|&amp;|&lt;|&gt;|&#\d+;|\b(?:[A-Z]{4}|[A-Z]{3} |[A-Z]{2}  )- |<\d+\. >|  |\n")
        .expect("constant regex")
});

fn check(files: &[Expected], detect: fn(&str) -> bool, parse: fn(&str) -> Parsed) {
    let root = crate::corpus::corpora_dir();
    for &(file, records, titled, abstracts, warnings) in files {
        let decoded = decode(&std::fs::read(root.join(file)).expect("corpus file"));
        let text = decoded.text;
        assert!(detect(&text), "{file}: not detected");
        let parsed = parse(&text);
        assert_eq!(parsed.records.len(), records, "{file}: records");
        let with_title = parsed.records.iter().filter(|r| !r.title.is_empty());
        assert_eq!(with_title.count(), titled, "{file}: titles");
        let with_abstract = parsed
            .records
            .iter()
            .filter(|r| !r.abstract_text.is_empty());
        assert_eq!(with_abstract.count(), abstracts, "{file}: abstracts");
        assert_eq!(
            parsed.warnings.len(),
            warnings,
            "{file}: {:?}",
            parsed.warnings
        );
        for (index, raw) in parsed.records.iter().enumerate() {
            // A file's warnings are about its cut-short last record.
            if warnings == 0 || index + 1 < records {
                assert!(!raw.authors.is_empty(), "{file} #{index}: no authors");
                assert!(!raw.journal.is_empty(), "{file} #{index}: no journal");
                assert!(!raw.date.is_empty(), "{file} #{index}: no date");
            }
            let source = Source {
                file: file.to_string(),
                index,
                line: raw.line,
                span: raw.span.clone(),
            };
            let record = clean_record(raw, source, &text[raw.span.clone()]);
            let texts =
                std::iter::once(&record.title).chain(record.sections.iter().map(|s| &s.text));
            for cleaned in texts {
                assert!(
                    !LEFTOVER.is_match(cleaned),
                    "{file} #{index}: {:?} in {cleaned:?}",
                    LEFTOVER.find(cleaned).map(|m| m.as_str())
                );
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_medline_file_of_the_corpora() {
    check(MEDLINE_FILES, super::detect, super::parse);
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_ovid_file_of_the_corpora() {
    check(OVID_FILES, super::detect_ovid, super::parse_ovid);
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn no_other_corpus_file_is_taken_for_medline_or_ovid() {
    let root = crate::corpus::corpora_dir();
    let ours: Vec<&str> = MEDLINE_FILES
        .iter()
        .chain(OVID_FILES)
        .map(|e| e.0)
        .collect();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            if ours.contains(&name.as_str()) || name == "SOURCES.md" {
                continue;
            }
            let text = decode(&std::fs::read(&path).expect("file")).text;
            assert!(!super::detect(&text), "{name} taken for MEDLINE");
            assert!(!super::detect_ovid(&text), "{name} taken for Ovid");
        }
    }
}
