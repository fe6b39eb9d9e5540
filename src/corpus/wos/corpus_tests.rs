//! Every Web of Science plain-text file of the shared corpora, parsed and cleaned.
//! Counts were taken independently from the files (`PT` lines, and `TI`/`AB` tags with a value
//! inside each record) and agree with SOURCES.md.

use super::{detect, parse};
use crate::clean::clean_record;
use crate::corpus::decode::decode;
use crate::record::Source;

/// (file, records, records with a title, records with an abstract)
const FILES: &[(&str, usize, usize, usize)] = &[
    ("wosfile/wos_plaintext.txt", 50, 50, 49),
    ("revtools/restoration_WoS.ciw", 247, 247, 215),
    ("synthesisr/WoS_ciw_example.ciw", 5, 5, 5),
    ("synthesisr/WoS_txt_example.txt", 4, 4, 4),
    ("synthesisr/zoorec.txt", 134, 134, 80),
    ("metaknowledge/savedrecs.txt", 32, 32, 10),
    ("rispy/example_wos.ris", 2, 2, 2),
];

/// (file, abstract paragraph breaks, addresses, Zoological Record descriptors, organisms).
/// Breaks: indented `AB` lines of the unwrapped Core Collection exports (the others wrap at
/// 75 columns). Addresses and the rest: lines ending with a full stop outside brackets.
const ENTRIES: &[(&str, usize, usize, usize, usize)] = &[
    ("wosfile/wos_plaintext.txt", 7, 119, 0, 0),
    ("revtools/restoration_WoS.ciw", 66, 0, 0, 0),
    ("synthesisr/WoS_ciw_example.ciw", 0, 0, 0, 0),
    ("synthesisr/zoorec.txt", 0, 80, 185, 279),
    ("metaknowledge/savedrecs.txt", 0, 35, 0, 0),
];

/// Text that must not survive into a cleaned title or abstract.
fn leftover(text: &str) -> Option<&'static str> {
    let markup = regex::Regex::new(r"</?[a-zA-Z][a-zA-Z0-9]*\s*/?>").expect("constant regex");
    // A tag that starts the text, record framing, or another field's line swallowed by a
    // continuation (all-caps titles hold words such as `DE`, so only telling shapes count).
    let tag_line = regex::Regex::new(
        r"^(?:PT|AU|AF|TI|SO|AB|PY|DI|UT) |(?:^|\s)(?:PT [JBSP]$|ER$|EF$|UT (?:WOS|ZOOREC):|[A-Z][A-Z0-9] (?:WOS|ZOOREC):)",
    )
    .expect("constant regex");
    if markup.is_match(text) {
        Some("markup")
    } else if text.contains("&amp;") {
        Some("entity")
    } else if text.contains("   ") || text.starts_with(' ') || text.ends_with(' ') {
        Some("continuation indent")
    } else if tag_line.is_match(text) {
        Some("WoS tag")
    } else {
        None
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_wos_file_of_the_corpora() {
    let root = crate::corpus::corpora_dir();
    for &(name, records, titled, with_abstract) in FILES {
        let bytes = std::fs::read(root.join(name)).expect("corpus file");
        let decoded = decode(&bytes);
        assert!(detect(&decoded.text), "{name}: not detected");
        let parsed = parse(&decoded.text);
        assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), records, "{name}: records");
        let count = |f: fn(&crate::corpus::raw::RawRecord) -> bool| {
            parsed.records.iter().filter(|r| f(r)).count()
        };
        assert_eq!(count(|r| !r.title.is_empty()), titled, "{name}: titles");
        assert_eq!(
            count(|r| !r.abstract_text.is_empty()),
            with_abstract,
            "{name}: abstracts"
        );
        for (index, raw) in parsed.records.iter().enumerate() {
            let span = &decoded.text[raw.span.clone()];
            assert!(span.starts_with("PT "), "{name} #{index}: span {span:.40}");
            assert!(span.trim_end().ends_with("ER"), "{name} #{index}: span end");
            assert!(!raw.authors.is_empty(), "{name} #{index}: authors");
            assert!(!raw.date.is_empty(), "{name} #{index}: date");
            let source = Source {
                file: name.to_string(),
                index,
                line: raw.line,
                span: raw.span.clone(),
            };
            let record = clean_record(raw, source, span);
            for (what, text) in [
                ("title", record.title.clone()),
                ("abstract", record.abstract_text()),
            ] {
                if let Some(problem) = leftover(&text) {
                    panic!("{name} #{index}: {what} has {problem}: {text}");
                }
            }
            assert!(record.year.is_some(), "{name} #{index}: year");
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn continuation_lines_split_and_join_as_the_export_meant() {
    let root = crate::corpus::corpora_dir();
    for &(name, breaks, addresses, descriptors, organisms) in ENTRIES {
        let decoded = decode(&std::fs::read(root.join(name)).expect("corpus file"));
        let parsed = parse(&decoded.text);
        let extras = |key: &str| {
            parsed
                .records
                .iter()
                .flat_map(|r| &r.extra)
                .filter(|(k, _)| k == key)
                .count()
        };
        let found_breaks: usize = parsed
            .records
            .iter()
            .map(|r| r.abstract_text.matches('\n').count())
            .sum();
        assert_eq!(found_breaks, breaks, "{name}: paragraph breaks");
        assert_eq!(extras("affiliations"), addresses, "{name}: addresses");
        assert_eq!(extras("descriptors"), descriptors, "{name}: descriptors");
        assert_eq!(extras("organisms"), organisms, "{name}: organisms");
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn no_other_file_of_the_corpora_is_taken_for_wos() {
    let root = crate::corpus::corpora_dir();
    let mut stack = vec![root.clone()];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpora folder") {
            let path = entry.expect("corpora entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if FILES.iter().any(|(wos, ..)| *wos == name) {
                continue;
            }
            let bytes = std::fs::read(&path).expect("corpus file");
            assert!(!detect(&decode(&bytes).text), "{name}: taken for WoS");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} files checked");
}
