//! Properties that must hold for every input, checked on generated ones.

use abstriage::corpus::read_bytes;
use abstriage::export::ris::write_record;
use abstriage::record::{Record, RecordId, Section, Source};
use proptest::prelude::*;

/// Openings that send generated text down each format's parser.
const OPENINGS: &[&str] = &[
    "",
    "TY  - JOUR\n",
    "TY - JOUR T1 - x AU - y ER -",
    "1.\nTY  - JOUR\n",
    "PMID- 1\n",
    "PMC - PMC1\nPMID- 2\n",
    "<1. >\nTI  - x\n",
    "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n",
    "@article{key,\n",
    "<?xml version=\"1.0\"?><xml><records><record>",
    "%0 Journal Article\n%T ",
    "Title,Abstract,Authors,Year\n",
    "PT\tAU\tTI\tAB\n",
    "Abstract\nBackground:\n",
    "Author(s):\n",
];

/// Pieces of lines that look like each format's syntax, mixed with arbitrary text.
fn line() -> impl Strategy<Value = String> {
    let tag = prop_oneof![
        Just(String::new()),
        "[A-Z][A-Z0-9]  - ".prop_map(String::from),
        "[A-Z]{2,4} ?- ".prop_map(String::from),
        "[A-Z]{2} ".prop_map(String::from),
        "      ".prop_map(String::from),
        "%[0-9A-Z@] ".prop_map(String::from),
        "@[a-z]{1,8}\\{".prop_map(String::from),
        "<[a-z/-]{1,12}>".prop_map(String::from),
        "[0-9]{4} ◽".prop_map(String::from),
    ];
    let body = prop_oneof![
        any::<String>(),
        "[ -~]{0,80}".prop_map(String::from),
        "[\\{\\}\"\\\\,;=#|\t<>&]{0,20}".prop_map(String::from),
    ];
    (tag, body).prop_map(|(t, b)| format!("{t}{b}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let (report, records) = read_bytes("any.txt", &bytes);
        prop_assert_eq!(report.records, records.len());
    }

    #[test]
    fn format_shaped_text_never_panics(
        opening in proptest::sample::select(OPENINGS),
        lines in proptest::collection::vec(line(), 0..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let text = format!("{opening}{}", lines.join("\n"));
        let (_, records) = read_bytes("shaped.txt", text.as_bytes());
        for record in &records {
            let _ = record.display_title();
        }
        // The same text cut anywhere (a truncated download) must not panic either.
        let bytes = text.as_bytes();
        let _ = read_bytes("cut.txt", &bytes[..cut.index(bytes.len() + 1)]);
    }
}

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-z]{1,8}", min..=max).prop_map(|w| w.join(" "))
}

prop_compose! {
    fn section(i: usize)(label in proptest::option::of(proptest::sample::select(vec!["Background", "Methods", "Results", "Conclusions"])),
                         sentences in proptest::collection::vec(words(2, 10), 1..4)) -> Section {
        let text = sentences.iter().map(|s| format!("{s}.")).collect::<Vec<_>>().join(" ");
        Section { label: label.map(String::from), text: format!("section {i} {text}") }
    }
}

prop_compose! {
    fn record()(title in words(1, 8),
                authors in proptest::collection::vec("[A-Z][a-z]{2,8}, [A-Z]", 0..4),
                year in proptest::option::of(1600u16..2100),
                journal in proptest::option::of(words(1, 4)),
                volume in proptest::option::of("[0-9]{1,3}"),
                issue in proptest::option::of("[0-9]{1,3}"),
                pages in proptest::option::of("e?[0-9]{1,4}(-[0-9]{1,4})?"),
                doi in proptest::option::of("10\\.[0-9]{4}/[a-z0-9]([a-z0-9.]{0,8}[a-z0-9])?"),
                keywords in proptest::collection::btree_set(words(1, 3), 0..4),
                sections in (0..4usize).prop_flat_map(|n| (0..n).map(section).collect::<Vec<_>>())) -> Record {
        Record {
            id: RecordId::new("generated"),
            title,
            authors,
            year,
            journal,
            volume,
            issue,
            pages,
            doi,
            keywords: keywords.into_iter().collect(),
            sections: sections.into(),
            extra: Default::default(),
            source: Source { file: "generated.ris".into(), index: 0, line: 1, span: 0..0 },
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ris_written_by_the_exporter_reads_back_to_the_same_records(records in proptest::collection::vec(record(), 1..6)) {
        let mut text = String::new();
        for r in &records {
            write_record(&mut text, r, None, None);
        }
        let (report, back) = read_bytes("round-trip.ris", text.as_bytes());
        prop_assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        prop_assert_eq!(back.len(), records.len());
        for (a, b) in records.iter().zip(&back) {
            prop_assert_eq!(&a.title, &b.title);
            prop_assert_eq!(&a.authors, &b.authors);
            prop_assert_eq!(a.year, b.year);
            prop_assert_eq!(&a.journal, &b.journal);
            prop_assert_eq!(&a.volume, &b.volume);
            prop_assert_eq!(&a.issue, &b.issue);
            prop_assert_eq!(&a.pages, &b.pages);
            prop_assert_eq!(&a.doi, &b.doi);
            prop_assert_eq!(&a.keywords, &b.keywords);
            prop_assert_eq!(&a.sections, &b.sections);
        }
    }
}
