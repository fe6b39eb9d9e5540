//! Every file of ../shared/corpora (real exports, see its SOURCES.md) read as a reviewer would:
//! the right format, every record, titles and abstracts wherever the source has them, and no
//! markup, mojibake or format syntax left in what the reviewer reads.
//!
//! The expected numbers were derived independently of abstriage, from each file's own record
//! markers and fields, by tests/tools/count_records.py, and checked against SOURCES.md; where
//! they differ from SOURCES.md, `SOURCES_DIFFER` says why.

mod common;

use std::sync::LazyLock;

use abstriage::corpus::{Format, read_bytes};
use common::corpora_dir;
use regex::Regex;

/// (file, format, records, records with a title, records with an abstract).
const EXPECTED: &[(&str, &str, usize, usize, usize)] = &[
    ("ASySD/labelled_test_set.csv", "table", 1845, 1845, 1845),
    ("ASySD/mendeley_export.xml", "endnote-xml", 1233, 1233, 1128),
    ("ASySD/ris_export.txt", "ris", 69, 69, 58),
    ("ASySD/scopus.ris", "ris", 10, 10, 10),
    ("ASySD/wos_test.ris", "ris", 50, 50, 49),
    ("ASySD/zotero_export.bib", "bibtex", 1000, 1000, 776),
    ("ASySD/zotero_export.ris", "ris", 1000, 1000, 776),
    ("ASySD/zotero_export.xml", "endnote-xml", 1233, 1233, 1128),
    (
        "CiteSource/new_stage_data/Dimensions_246.ris",
        "ris",
        246,
        246,
        243,
    ),
    ("CiteSource/new_stage_data/econlit_3.ris", "ris", 3, 3, 3),
    (
        "CiteSource/new_stage_data/envindex_100.ris",
        "ris",
        100,
        100,
        99,
    ),
    (
        "CiteSource/new_stage_data/medline_84.ris",
        "ris",
        84,
        84,
        84,
    ),
    (
        "CiteSource/topic_data/20221207_gambling-harms_crimjust_41.ris",
        "ris",
        41,
        41,
        41,
    ),
    (
        "CiteSource/topic_data/20221207_gambling-harms_lens_49.ris",
        "ris",
        49,
        49,
        49,
    ),
    (
        "CiteSource/topic_data/20221207_gambling-harms_psycinfo_124.ris",
        "ris",
        124,
        124,
        124,
    ),
    (
        "CiteSource/topic_data/20221207_gambling-harms_pubmed_176.ris",
        "ris",
        176,
        176,
        157,
    ),
    (
        "CiteSource/topic_data/20221207_gambling-harms_scopus_255.ris",
        "ris",
        255,
        255,
        237,
    ),
    (
        "CiteSource/working_example_data/AGRIS.ris",
        "ris",
        12,
        12,
        12,
    ),
    (
        "CiteSource/working_example_data/CAB.ris",
        "ris",
        687,
        687,
        687,
    ),
    (
        "CiteSource/working_example_data/EconLit.ris",
        "ris",
        50,
        50,
        50,
    ),
    (
        "CiteSource/working_example_data/GreenFile.ris",
        "ris",
        139,
        139,
        139,
    ),
    ("asreview/_baseline.ris", "ris", 100, 100, 98),
    ("asreview/baseline_zotero.ris", "ris", 100, 100, 98),
    ("asreview/embase.csv", "table", 6, 6, 6),
    ("asreview/embase.ris", "ris", 6, 6, 6),
    ("asreview/embase_newpage.csv", "table", 6, 6, 6),
    ("asreview/ovid_psycinfo.ris", "ris", 6, 6, 6),
    ("asreview/ovid_zotero.ris", "ris", 6, 6, 6),
    ("asreview/proquest.ris", "ris", 6, 6, 6),
    ("asreview/pubmed_endnote.txt", "ris", 6, 6, 6),
    ("asreview/pubmed_zotero.ris", "ris", 6, 6, 6),
    ("asreview/ris_issue_1099.txt", "ris", 7, 7, 7),
    ("asreview/ris_issue_992.txt", "ris", 19, 19, 8),
    ("asreview/scopus.ris", "ris", 6, 6, 6),
    ("asreview/web_of_science.txt", "ris", 10, 10, 10),
    ("asreview-datatools/dataset_1.ris", "ris", 6, 6, 5),
    ("asreview-datatools/dataset_2.ris", "ris", 8, 8, 8),
    (
        "asreview-systematic-review-datasets/ACEInhibitors.csv",
        "table",
        2544,
        2518,
        2214,
    ),
    (
        "asreview-systematic-review-datasets/ADHD.csv",
        "table",
        851,
        827,
        781,
    ),
    (
        "asreview-systematic-review-datasets/DOKU_All FT-Screening_20200116_cap.txt",
        "ris",
        174,
        174,
        157,
    ),
    (
        "asreview-systematic-review-datasets/DOKU_All Included_20200116_cap.txt",
        "ris",
        26,
        26,
        23,
    ),
    (
        "asreview-systematic-review-datasets/Depression-Dataset-SLIM-DevelopmentTrainingSet.txt",
        "table",
        1993,
        1993,
        1599,
    ),
    (
        "asreview-systematic-review-datasets/Kitchenham_2010.csv",
        "table",
        1704,
        1704,
        1700,
    ),
    (
        "asreview-systematic-review-datasets/Nagtegaal_2019.csv",
        "table",
        2019,
        2019,
        1850,
    ),
    (
        "asreview-systematic-review-datasets/Opiods.csv",
        "table",
        1915,
        1855,
        1717,
    ),
    (
        "asreview-systematic-review-datasets/ProtonPumpInhibitors.csv",
        "table",
        1333,
        1289,
        1171,
    ),
    (
        "asreview-systematic-review-datasets/Virus_Metagenomics_in_Farm_Animals-INCLUDED-v2.txt",
        "ris",
        120,
        120,
        114,
    ),
    (
        "asreview-systematic-review-datasets/dataset_included.ris",
        "ris",
        19,
        19,
        19,
    ),
    (
        "asreview-systematic-review-datasets/schoot-lgmm-ptsd-included-1.ris",
        "ris",
        363,
        363,
        196,
    ),
    (
        "asreview-systematic-review-datasets/schoot-lgmm-ptsd-included-2.ris",
        "ris",
        38,
        38,
        26,
    ),
    (
        "asreview-systematic-review-datasets/schoot-lgmm-ptsd-included-3.ris",
        "ris",
        8,
        8,
        8,
    ),
    (
        "asreview-systematic-review-datasets/wilson_zotero_processed/DOKU_All FT-Screening_20200116_cap.csv",
        "table",
        174,
        174,
        157,
    ),
    (
        "asreview-systematic-review-datasets/wilson_zotero_processed/DOKU_All FT-Screening_20200116_cap.ris",
        "ris",
        174,
        174,
        157,
    ),
    (
        "asreview-thesis-Ferdinands/virus.csv",
        "table",
        2304,
        2304,
        2304,
    ),
    (
        "asreview-thesis-Ferdinands/wilson.csv",
        "table",
        2333,
        2332,
        2333,
    ),
    (
        "citation-file-formatting/_baseline.csv",
        "table",
        100,
        100,
        98,
    ),
    (
        "citation-file-formatting/_baseline.ris",
        "ris",
        100,
        100,
        98,
    ),
    (
        "citation-file-formatting/_baseline.tsv",
        "table",
        100,
        100,
        98,
    ),
    (
        "citation-file-formatting/_baseline.xlsx",
        "xlsx",
        100,
        100,
        98,
    ),
    (
        "citation-file-formatting/_baseline_abstrackr.csv",
        "table",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_cinahl.csv",
        "table",
        10,
        10,
        10,
    ),
    (
        "citation-file-formatting/_baseline_cinahl.ris",
        "ris",
        9,
        9,
        9,
    ),
    (
        "citation-file-formatting/_baseline_citavi.ris",
        "ris",
        100,
        100,
        98,
    ),
    (
        "citation-file-formatting/_baseline_cochrane.csv",
        "table",
        3,
        3,
        3,
    ),
    (
        "citation-file-formatting/_baseline_cochrane_endnote.ris",
        "ris",
        3,
        3,
        3,
    ),
    (
        "citation-file-formatting/_baseline_cochrane_procite.ris",
        "ris",
        3,
        3,
        3,
    ),
    (
        "citation-file-formatting/_baseline_cochrane_refman.ris",
        "ris",
        3,
        3,
        3,
    ),
    (
        "citation-file-formatting/_baseline_covidence.csv",
        "table",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_covidence_endnote.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_covidence_mendeley.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_covidence_refworks.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_covidence_zotero.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_embase.csv",
        "table",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_embase.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_embase.xlsx",
        "xlsx",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_endnote.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_eppireviewer.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_eppireviewer.xlsx",
        "xlsx",
        10,
        10,
        0,
    ),
    (
        "citation-file-formatting/_baseline_eric_ovid.ris",
        "ris",
        10,
        10,
        10,
    ),
    (
        "citation-file-formatting/_baseline_excel.csv",
        "table",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_googlescholar.csv",
        "table",
        10,
        10,
        0,
    ),
    (
        "citation-file-formatting/_baseline_googlescholar.ris",
        "ris",
        10,
        10,
        0,
    ),
    (
        "citation-file-formatting/_baseline_mdpi.ris",
        "ris",
        11,
        11,
        11,
    ),
    (
        "citation-file-formatting/_baseline_mendeley.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_openalex.csv",
        "table",
        9,
        9,
        9,
    ),
    (
        "citation-file-formatting/_baseline_openalex.ris",
        "ris",
        9,
        9,
        9,
    ),
    (
        "citation-file-formatting/_baseline_pubmed.csv",
        "table",
        10,
        10,
        0,
    ),
    (
        "citation-file-formatting/_baseline_pubmed.ris",
        "medline",
        50,
        50,
        49,
    ),
    (
        "citation-file-formatting/_baseline_rayyan.csv",
        "table",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_rayyan.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_refworks.ris",
        "ris",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "table",
        100,
        100,
        98,
    ),
    (
        "citation-file-formatting/_baseline_scopus.csv",
        "table",
        10,
        10,
        10,
    ),
    (
        "citation-file-formatting/_baseline_scopus.ris",
        "ris",
        10,
        10,
        10,
    ),
    (
        "citation-file-formatting/_baseline_webofscience.ris",
        "ris",
        10,
        10,
        7,
    ),
    (
        "citation-file-formatting/_baseline_zotero.csv",
        "table",
        10,
        10,
        8,
    ),
    (
        "citation-file-formatting/_baseline_zotero.ris",
        "ris",
        10,
        10,
        8,
    ),
    ("colrev/ais_enl.txt", "endnote-tagged", 6, 6, 4),
    ("colrev/crossref_bib.bib", "bibtex", 1, 1, 0),
    ("colrev/enl_data.enl", "endnote-tagged", 3, 3, 2),
    ("colrev/ieee_csv.csv", "table", 2, 2, 2),
    (
        "commandline4expertsearchers/Embase_citavi_r3001-3002.ovd",
        "ovid",
        2,
        2,
        2,
    ),
    (
        "commandline4expertsearchers/Embase_endnote_r3001-3002.cgi",
        "ovid",
        2,
        2,
        2,
    ),
    ("litstudy/example.ris", "ris", 25, 25, 25),
    ("litstudy/ieee.csv", "table", 10, 10, 10),
    ("litstudy/springer.csv", "table", 1000, 1000, 0),
    (
        "metaknowledge/medline_test.medline",
        "medline",
        175,
        175,
        171,
    ),
    ("metaknowledge/savedrecs.txt", "wos", 32, 32, 10),
    ("nbib/pmc_medlars.txt", "medline", 5, 5, 4),
    ("nbib/pubmed-balloongui-set.nbib", "medline", 75, 75, 70),
    ("nbib/single.nbib", "medline", 1, 1, 1),
    ("revtools/avian_ecology_bibliography.ris", "ris", 20, 20, 20),
    ("revtools/restoration_WoS.ciw", "wos", 247, 247, 215),
    ("revtools/restoration_pubmed.nbib", "medline", 104, 104, 96),
    ("revtools/restoration_scopus.ris", "ris", 286, 286, 281),
    ("rispy/example_utf_chars.ris", "ris", 1, 1, 1),
    ("rispy/example_wos.ris", "wos", 2, 2, 2),
    (
        "synergy-dataset/Hamilton_2022.csv",
        "table",
        1862,
        1857,
        1554,
    ),
    ("synthesisr/ASP_ris_example.ris", "ris", 4, 4, 4),
    ("synthesisr/Ovid_ris_example.ris", "ris", 4, 4, 4),
    ("synthesisr/PubMed_example.txt", "medline", 3, 3, 3),
    ("synthesisr/Scopus_bib_example.bib", "bibtex", 3, 3, 3),
    ("synthesisr/Scopus_ris_example.ris", "ris", 3, 3, 3),
    ("synthesisr/WoS_ciw_example.ciw", "wos", 5, 5, 5),
    ("synthesisr/WoS_txt_example.txt", "wos", 4, 4, 4),
    ("synthesisr/citesource_issue_24.ris", "ris", 17, 17, 17),
    ("synthesisr/res_synth_methods.txt", "medline", 2, 2, 2),
    ("synthesisr/scopus.ris", "ris", 92, 92, 89),
    ("synthesisr/zoorec.txt", "wos", 134, 134, 80),
    ("wosfile/wos_plaintext.txt", "wos", 50, 50, 49),
    (
        "wosfile/wos_tab_delimited_win_utf16.txt",
        "table",
        50,
        50,
        49,
    ),
    (
        "wosfile/wos_tab_delimited_win_utf8.txt",
        "table",
        50,
        50,
        49,
    ),
];

/// Where the table above departs from SOURCES.md, and why (checked by reading the files).
const SOURCES_DIFFER: &[(&str, &str)] = &[
    (
        "colrev/ais_enl.txt",
        "SOURCES.md counts 2 records (its `%0` lines); the file holds 6 records separated by blank lines, 4 of them without a `%0` type line (issue contents, subject index, conference papers)",
    ),
    (
        "colrev/enl_data.enl",
        "SOURCES.md counts 2 (`%0` lines); the third record (`MISQ Volume 45, Issue 3 Table of Contents`) has no `%0` line",
    ),
    (
        "citation-file-formatting/_baseline_embase.csv",
        "SOURCES.md counts 12 rows including the two rows of Embase's search-query preamble; 10 are records",
    ),
    (
        "citation-file-formatting/_baseline_excel.csv",
        "the same Embase export re-saved by Excel: 12 rows, 10 records",
    ),
    (
        "nbib/pmc_medlars.txt",
        "SOURCES.md counts 5 abstracts; one is the placeholder `Publisher: Abstract available from the publisher.` (OAB, with AB empty), which is no abstract",
    ),
    (
        "citation-file-formatting/_baseline.xlsx",
        "XLSX workbook: not read (binary); reported by `check` with the advice to save it as CSV",
    ),
    (
        "citation-file-formatting/_baseline_embase.xlsx",
        "XLSX workbook: not read (binary)",
    ),
    (
        "citation-file-formatting/_baseline_eppireviewer.xlsx",
        "XLSX workbook: not read (binary)",
    ),
];

fn format_of(kind: &str) -> Option<Format> {
    Some(match kind {
        "ris" => Format::Ris,
        "medline" => Format::Medline,
        "ovid" => Format::Ovid,
        "wos" => Format::Wos,
        "endnote-xml" => Format::EndnoteXml,
        "endnote-tagged" => Format::EndnoteTagged,
        "bibtex" => Format::Bibtex,
        "table" | "xlsx" => Format::Table,
        _ => return None,
    })
}

/// What must never reach a reviewer's screen: markup, entities, double-encoded UTF-8, LaTeX,
/// and the tag syntax of the formats themselves at the start of a line.
static LEFTOVERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"</?(?:i|b|sup|sub|p|em|strong|br|span|div|jats:[a-z]+|inf|scp)\b[^>]*>",
        r"|&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);",
        r"|Ã[\x{80}-\x{BF}]|Â[\x{A0}-\x{BF}]|â(?:€|\x{80})[\x{98}\x{99}\x{9C}\x{9D}\x{93}\x{94}™œ“”–—˜]",
        r"|\\(?:textit|textbf|emph|'|`|\x22)\{|\{\\",
        // Format syntax: RIS/MEDLINE two-letter tags at any line start; longer MEDLINE tags
        // only after a line break (a title may start `MFL - ...`); EndNote tagged.
        r"|(?m)^(?:[A-Z][A-Z0-9]  - |%[0-9A-Z@] )|\n[A-Z]{3,4} ?- ",
    ))
    .expect("constant regex")
});

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_corpus_file_reads_with_its_records_titles_and_abstracts() {
    let root = corpora_dir();
    let mut problems = Vec::new();
    for (file, kind, records, titled, with_abstract) in EXPECTED {
        let bytes = std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let (report, read) = read_bytes(file, &bytes);
        let Some(format) = format_of(kind) else {
            if report.skipped.is_none() {
                problems.push(format!("{file}: expected to be skipped as {kind}"));
            }
            continue;
        };
        let got_titled = read.iter().filter(|r| !r.is_untitled()).count();
        let got_abstract = read.iter().filter(|r| !r.sections.is_empty()).count();
        let got = (report.format, read.len(), got_titled, got_abstract);
        let want = (Some(format), *records, *titled, *with_abstract);
        if got != want {
            problems.push(format!(
                "{file}: (format, records, titled, with abstract) = {got:?}, expected {want:?}"
            ));
        }
        for record in &read {
            for (what, text) in [
                ("title", record.title.clone()),
                ("abstract", record.abstract_text()),
            ] {
                if let Some(m) = LEFTOVERS.find(&text) {
                    let at = text[..m.start()]
                        .chars()
                        .rev()
                        .take(30)
                        .collect::<String>()
                        .chars()
                        .rev()
                        .collect::<String>();
                    problems.push(format!(
                        "{file}#{}: {what} still holds {:?} (after {at:?})",
                        record.source.index,
                        m.as_str()
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn the_table_covers_every_file_of_the_corpora() {
    let root = corpora_dir();
    let mut on_disk = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
                on_disk.push(
                    path.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|e| e.0.to_string()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    for (file, _) in SOURCES_DIFFER {
        assert!(listed.iter().any(|l| l == file), "{file}");
    }
}
