//! Every delimited table of the shared corpora, parsed and cleaned (`cargo test -- --ignored`).
//!
//! Counts were derived independently with Python's `csv` module (rows after the header that have
//! a non-blank cell; Embase's preamble and abstrackr's section line left out; title / abstract =
//! non-blank cell in the title / abstract column) and match shared/corpora/SOURCES.md, except
//! `_baseline_embase.csv` and `_baseline_excel.csv`, which SOURCES §2 lists as 12 rows: 10 records
//! follow their search-query preamble (as SOURCES §6 says).

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::clean_record;
use crate::corpus::decode::decode;
use crate::record::Source;

/// (file, records, records with a title, records with an abstract; `None`: no abstract column)
const TABLES: &[(&str, usize, usize, Option<usize>)] = &[
    ("ASySD/labelled_test_set.csv", 1845, 1845, Some(1845)),
    (
        "asreview-systematic-review-datasets/ACEInhibitors.csv",
        2544,
        2518,
        Some(2214),
    ),
    (
        "asreview-systematic-review-datasets/ADHD.csv",
        851,
        827,
        Some(781),
    ),
    (
        "asreview-systematic-review-datasets/Kitchenham_2010.csv",
        1704,
        1704,
        Some(1700),
    ),
    (
        "asreview-systematic-review-datasets/Nagtegaal_2019.csv",
        2019,
        2019,
        Some(1850),
    ),
    (
        "asreview-systematic-review-datasets/Opiods.csv",
        1915,
        1855,
        Some(1717),
    ),
    (
        "asreview-systematic-review-datasets/ProtonPumpInhibitors.csv",
        1333,
        1289,
        Some(1171),
    ),
    (
        "asreview-systematic-review-datasets/wilson_zotero_processed/DOKU_All FT-Screening_20200116_cap.csv",
        174,
        174,
        Some(157),
    ),
    (
        "asreview-systematic-review-datasets/Depression-Dataset-SLIM-DevelopmentTrainingSet.txt",
        1993,
        1993,
        Some(1599),
    ),
    (
        "asreview-thesis-Ferdinands/virus.csv",
        2304,
        2304,
        Some(2304),
    ),
    (
        "asreview-thesis-Ferdinands/wilson.csv",
        2333,
        2332,
        Some(2333),
    ),
    ("asreview/embase.csv", 6, 6, Some(6)),
    ("asreview/embase_newpage.csv", 6, 6, Some(6)),
    ("citation-file-formatting/_baseline.csv", 100, 100, Some(98)),
    ("citation-file-formatting/_baseline.tsv", 100, 100, Some(98)),
    (
        "citation-file-formatting/_baseline_abstrackr.csv",
        10,
        10,
        Some(8),
    ),
    (
        "citation-file-formatting/_baseline_cinahl.csv",
        10,
        10,
        Some(10),
    ),
    (
        "citation-file-formatting/_baseline_cochrane.csv",
        3,
        3,
        Some(3),
    ),
    (
        "citation-file-formatting/_baseline_covidence.csv",
        10,
        10,
        Some(8),
    ),
    (
        "citation-file-formatting/_baseline_embase.csv",
        10,
        10,
        Some(8),
    ),
    (
        "citation-file-formatting/_baseline_excel.csv",
        10,
        10,
        Some(8),
    ),
    (
        "citation-file-formatting/_baseline_googlescholar.csv",
        10,
        10,
        None,
    ),
    (
        "citation-file-formatting/_baseline_openalex.csv",
        9,
        9,
        Some(9),
    ),
    (
        "citation-file-formatting/_baseline_pubmed.csv",
        10,
        10,
        None,
    ),
    (
        "citation-file-formatting/_baseline_rayyan.csv",
        10,
        10,
        Some(8),
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        100,
        100,
        Some(98),
    ),
    (
        "citation-file-formatting/_baseline_scopus.csv",
        10,
        10,
        Some(10),
    ),
    (
        "citation-file-formatting/_baseline_zotero.csv",
        10,
        10,
        Some(8),
    ),
    ("colrev/ieee_csv.csv", 2, 2, Some(2)),
    ("litstudy/ieee.csv", 10, 10, Some(10)),
    ("litstudy/springer.csv", 1000, 1000, None),
    ("synergy-dataset/Hamilton_2022.csv", 1862, 1857, Some(1554)),
    ("wosfile/wos_tab_delimited_win_utf8.txt", 50, 50, Some(49)),
    ("wosfile/wos_tab_delimited_win_utf16.txt", 50, 50, Some(49)),
];

fn read(path: &std::path::Path) -> String {
    decode(&std::fs::read(path).expect("readable corpus file")).text
}

static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:amp|lt|gt|quot|#\d+);")
        .expect("constant regex")
});

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_table_of_the_corpora() {
    let root = crate::corpus::corpora_dir();
    let mut failures = Vec::new();
    for &(name, records, titles, abstracts) in TABLES {
        let text = read(&root.join(name));
        if !super::detect(&text) {
            failures.push(format!("{name}: not detected"));
            continue;
        }
        let parsed = super::parse(&text);
        let got = (
            parsed.records.len(),
            parsed
                .records
                .iter()
                .filter(|r| !r.title.trim().is_empty())
                .count(),
            abstracts.map(|_| {
                parsed
                    .records
                    .iter()
                    .filter(|r| !r.abstract_text.trim().is_empty())
                    .count()
            }),
        );
        if got != (records, titles, abstracts) {
            failures.push(format!(
                "{name}: got (records, titles, abstracts) {got:?}, want {:?}",
                (records, titles, abstracts)
            ));
        }
        if !parsed.warnings.is_empty() {
            failures.push(format!(
                "{name}: warnings {:?}",
                &parsed.warnings[..parsed.warnings.len().min(3)]
            ));
        }
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for (index, raw) in parsed.records.iter().enumerate() {
            let line_of_start = line_starts.partition_point(|&s| s <= raw.span.start);
            if line_of_start != raw.line || !text[..raw.span.start].ends_with('\n') {
                failures.push(format!(
                    "{name}:{}: span starts at line {line_of_start}, mid-line or elsewhere",
                    raw.line
                ));
            }
            let source = Source {
                file: name.to_string(),
                index,
                line: raw.line,
                span: raw.span.clone(),
            };
            let raw_text = text.get(raw.span.clone()).unwrap_or_default();
            if raw_text.trim().is_empty() || raw.line == 0 {
                failures.push(format!("{name}:{}: empty span {:?}", raw.line, raw.span));
            }
            let record = clean_record(raw, source, raw_text);
            let abstract_text: Vec<&str> =
                record.sections.iter().map(|s| s.text.as_str()).collect();
            let fields = [
                ("title", record.title.clone(), &raw.title),
                ("abstract", abstract_text.join("\n"), &raw.abstract_text),
            ];
            for (what, value, raw_value) in fields {
                // Markup the source escaped twice (`&lt;u&gt;`, `&#60;i>`, `&amp;amp;`: Kitchenham
                // abstracts) is text after one decoding: cleaning's business, not the parser's.
                let escaped_twice = ["&lt;", "&#60;", "&amp;"]
                    .iter()
                    .any(|e| raw_value.contains(e));
                let artefact = MARKUP
                    .find(&value)
                    .filter(|_| !escaped_twice)
                    .map(|m| m.as_str().to_string())
                    .or_else(|| {
                        ["\t", "RAYYAN-"]
                            .into_iter()
                            .find(|a| value.contains(a))
                            .map(str::to_string)
                    })
                    .or_else(|| value.starts_with("=\"").then(|| "=\"".to_string()));
                if let Some(artefact) = artefact {
                    failures.push(format!("{name}:{}: {what} keeps `{artefact}`", raw.line));
                }
            }
            if record.title.contains('\n') {
                failures.push(format!("{name}:{}: title spans lines", raw.line));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every other file of the corpora (RIS, MEDLINE, WoS plain text, BibTeX, EndNote, XML, XLSX)
/// is not a table.
#[test]
#[ignore = "needs ../shared/corpora"]
fn no_other_corpus_file_is_taken_for_a_table() {
    let root = crate::corpus::corpora_dir();
    let mut stack = vec![root.clone()];
    let mut wrong = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&root)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let is_table = TABLES.iter().any(|(t, ..)| *t == name);
            if name == "SOURCES.md" {
                continue;
            }
            if super::detect(&read(&path)) != is_table {
                wrong.push(name);
            }
        }
    }
    assert!(wrong.is_empty(), "detect() wrong on {wrong:?}");
}
