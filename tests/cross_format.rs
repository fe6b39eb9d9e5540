//! The same records exported by different tools must read the same after cleaning: title, DOI,
//! year and abstract. Groups come from ../shared/corpora/SOURCES.md §4. Every difference that
//! remains is listed in EXPLAINED with what the source files themselves show; at least 98% of
//! compared records must agree on all four fields.

mod common;

use std::collections::HashMap;

use abstriage::corpus::read_bytes;
use abstriage::id::{normalise_doi, normalise_text};
use abstriage::record::Record;
use common::corpora_dir;

/// Files holding the same records; the first is the reference the others are compared with.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "100 Lens records through seven exporters",
        &[
            "citation-file-formatting/_baseline.ris",
            "citation-file-formatting/_baseline.csv",
            "citation-file-formatting/_baseline.tsv",
            "citation-file-formatting/_baseline_citavi.ris",
            "citation-file-formatting/_baseline_refworks.tsv",
            "asreview/_baseline.ris",
            "asreview/baseline_zotero.ris",
        ],
    ),
    (
        "10 'dinosaur' records through each reference manager and screening tool",
        &[
            "citation-file-formatting/_baseline_zotero.ris",
            "citation-file-formatting/_baseline_zotero.csv",
            "citation-file-formatting/_baseline_mendeley.ris",
            "citation-file-formatting/_baseline_refworks.ris",
            "citation-file-formatting/_baseline_endnote.ris",
            "citation-file-formatting/_baseline_rayyan.ris",
            "citation-file-formatting/_baseline_rayyan.csv",
            "citation-file-formatting/_baseline_eppireviewer.ris",
            "citation-file-formatting/_baseline_embase.ris",
            "citation-file-formatting/_baseline_embase.csv",
            "citation-file-formatting/_baseline_excel.csv",
            "citation-file-formatting/_baseline_abstrackr.csv",
            "citation-file-formatting/_baseline_covidence.csv",
            "citation-file-formatting/_baseline_covidence_endnote.ris",
            "citation-file-formatting/_baseline_covidence_mendeley.ris",
            "citation-file-formatting/_baseline_covidence_refworks.ris",
            "citation-file-formatting/_baseline_covidence_zotero.ris",
        ],
    ),
    (
        "50 Web of Science records in its three export formats",
        &[
            "wosfile/wos_plaintext.txt",
            "wosfile/wos_tab_delimited_win_utf8.txt",
            "wosfile/wos_tab_delimited_win_utf16.txt",
        ],
    ),
    (
        "1233 records as EndNote XML written by Zotero and by Mendeley",
        &["ASySD/zotero_export.xml", "ASySD/mendeley_export.xml"],
    ),
];

/// Fields a file's export format does not carry at all: not compared for that file.
const NOT_EXPORTED: &[(&str, &str)] = &[
    ("citation-file-formatting/_baseline_abstrackr.csv", "doi"),
    ("citation-file-formatting/_baseline_abstrackr.csv", "year"),
];

/// Differences read in the files: (file, start of the record's reference title, field, why).
const EXPLAINED: &[(&str, &str, &str, &str)] = &[
    (
        "citation-file-formatting/_baseline.csv",
        "Allergen immunotherapy for allergic rhinoconjunctivitis",
        "abstract",
        "Lens's CSV wrote a line break inside a sentence as ';' ('Allergen; Immunotherapy'), indistinguishable from a real semicolon",
    ),
    (
        "citation-file-formatting/_baseline.tsv",
        "Allergen immunotherapy for allergic rhinoconjunctivitis",
        "abstract",
        "as in Lens's CSV: 'Allergen; Immunotherapy'",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Effectiveness of mHealth",
        "abstract",
        "RefWorks' TSV lost every '[' in this set ('gap. J Med Internet Res 2016;18(8):e226]')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Prediction models for",
        "abstract",
        "RefWorks lost '[' ('studies CHARMS])')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Flare-Up After Maxillofacial",
        "abstract",
        "RefWorks lost '[' ('18F]-NaF')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Effects of the application of",
        "abstract",
        "RefWorks lost '[' ('14 of 30 tasks')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Poor methodological detail",
        "abstract",
        "RefWorks lost '[' ('(±8.0 SD])')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Anti‐platelet antibody",
        "abstract",
        "RefWorks lost '[' ('IgG direct test]')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "A systematic review of the nex",
        "abstract",
        "RefWorks lost '[' ('STM g = 0.64')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Long-term outcomes of survivor",
        "abstract",
        "RefWorks lost '[' ('impairment 22.0%')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Prevalence of cardiovascular",
        "abstract",
        "RefWorks lost '[' ('92% 95% confidence interval')",
    ),
    (
        "citation-file-formatting/_baseline_refworks.tsv",
        "Prognostic value of pretranspl",
        "abstract",
        "RefWorks lost '[' ('interval CI]')",
    ),
    (
        "asreview/_baseline.ris",
        "Clinical Impact of Pretreatment",
        "title",
        "this export has an en dash in 'Inhibitor–Containing' where the Lens RIS has a hyphen",
    ),
    (
        "asreview/_baseline.ris",
        "Cue-reminders to prevent",
        "abstract",
        "the Lens RIS labels the first section 'Introduction:'; this export has no label",
    ),
    (
        "asreview/_baseline.ris",
        "Open Source Software for Efficient",
        "title",
        "this export holds the preprint's title ('An open source machine learning framework ...') for the ASReview paper",
    ),
    (
        "asreview/_baseline.ris",
        "Open Source Software for Efficient",
        "abstract",
        "the preprint's abstract: no '(ASReview)' after 'a tool'",
    ),
    (
        "asreview/baseline_zotero.ris",
        "Clinical Impact of Pretreatment",
        "title",
        "en dash vs hyphen, as in asreview/_baseline.ris",
    ),
    (
        "asreview/baseline_zotero.ris",
        "Cue-reminders to prevent",
        "abstract",
        "no 'Introduction:' label, as in asreview/_baseline.ris",
    ),
    (
        "asreview/baseline_zotero.ris",
        "Open Source Software for Efficient",
        "title",
        "the preprint's title, as in asreview/_baseline.ris",
    ),
    (
        "asreview/baseline_zotero.ris",
        "Open Source Software for Efficient",
        "abstract",
        "the preprint's abstract, as in asreview/_baseline.ris",
    ),
    (
        "citation-file-formatting/_baseline_abstrackr.csv",
        "A remarkable assemblage of pet",
        "abstract",
        "abstrackr turned the double quotes around “lajeiros” into single quotes",
    ),
    (
        "citation-file-formatting/_baseline_abstrackr.csv",
        "Functional morphology of the T",
        "abstract",
        "abstrackr's CSV has '???' where the curly quotes around “rauisuchians.” were",
    ),
    (
        "ASySD/mendeley_export.xml",
        "Circulating MiR-30b-5p",
        "abstract",
        "Zotero's XML export dropped the text between '<3y' and 'B1>17y' (it took it for HTML); Mendeley's has it",
    ),
    (
        "ASySD/mendeley_export.xml",
        "Chronic Inflammatory Disease",
        "abstract",
        "Zotero's export dropped '<10 plasma cells/high-power field) ... >' as HTML",
    ),
    (
        "ASySD/mendeley_export.xml",
        "Magnetic resonance imaging-bas",
        "abstract",
        "Zotero's export dropped '<15 kg, age >' as HTML",
    ),
    (
        "ASySD/mendeley_export.xml",
        "Persistent penile frenulum",
        "title",
        "Mendeley capitalises 'Cocker Spaniel'; Zotero's record does not",
    ),
    (
        "ASySD/mendeley_export.xml",
        "Persistent penile frenulum",
        "year",
        "the two libraries hold 1981 and 1979 for this record",
    ),
];

/// Records a file does not share with its group's reference (SOURCES.md: Covidence exports
/// share 8 of the 10).
const NOT_SHARED: &[(&str, &str)] = &[
    (
        "citation-file-formatting/_baseline_covidence",
        "Reappraisal of sauropod dinosaur diversity",
    ),
    (
        "citation-file-formatting/_baseline_covidence",
        "Digestibility of dinosaur food plants",
    ),
];

fn read(file: &str) -> Vec<Record> {
    let bytes = std::fs::read(corpora_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    read_bytes(file, &bytes).1
}

fn doi(record: &Record) -> Option<String> {
    record.doi.as_deref().and_then(normalise_doi)
}

fn fields(record: &Record) -> [(&'static str, String); 4] {
    [
        ("title", record.title.clone()),
        ("doi", doi(record).unwrap_or_default()),
        (
            "year",
            record.year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        (
            "abstract",
            record
                .abstract_text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ]
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn the_same_records_read_the_same_through_every_exporter() {
    let (mut compared, mut identical) = (0usize, 0usize);
    let mut problems = Vec::new();
    let mut used = vec![false; EXPLAINED.len()];
    for (group, files) in GROUPS {
        let reference = read(files[0]);
        let by_doi: HashMap<String, &Record> = reference
            .iter()
            .filter_map(|r| Some((doi(r)?, r)))
            .collect();
        let by_title: HashMap<String, &Record> = reference
            .iter()
            .map(|r| (normalise_text(&r.title), r))
            .collect();
        for file in &files[1..] {
            for record in read(file) {
                let twin = doi(&record)
                    .and_then(|d| by_doi.get(&d))
                    .or_else(|| by_title.get(&normalise_text(&record.title)));
                let Some(twin) = twin else {
                    if !NOT_SHARED
                        .iter()
                        .any(|(f, t)| file.starts_with(f) && record.title.starts_with(t))
                    {
                        problems.push(format!("{group}: {file}: no twin for {:?}", record.title));
                    }
                    continue;
                };
                compared += 1;
                let mut same = true;
                for ((field, want), (_, got)) in fields(twin).into_iter().zip(fields(&record)) {
                    if want == got || NOT_EXPORTED.contains(&(*file, field)) {
                        continue;
                    }
                    same = false;
                    let explained = EXPLAINED.iter().position(|(f, t, w, _)| {
                        f == file && twin.title.starts_with(t) && *w == field
                    });
                    if let Some(i) = explained {
                        used[i] = true;
                    } else {
                        problems.push(format!(
                            "{group}: {file}: {field} of {:?}: {want:?} vs {got:?}",
                            twin.title
                        ));
                    }
                }
                identical += usize::from(same);
            }
        }
    }
    let share = identical as f64 / compared as f64;
    eprintln!(
        "cross-format: {identical} of {compared} compared records identical ({:.2}%)",
        share * 100.0
    );
    for (explanation, used) in EXPLAINED.iter().zip(used) {
        if !used {
            problems.push(format!(
                "stale explanation, no such difference any more: {explanation:?}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} unexplained differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(share >= 0.98, "only {:.2}% of records agree", share * 100.0);
}
