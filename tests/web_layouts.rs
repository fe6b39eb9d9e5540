//! Pasted web pages in layouts other than the seeds' sites. The fixtures in
//! tests/fixtures/web/ were written for abstriage in the layouts of a PubMed abstract page and
//! a BMC article page (study text invented); expectations are written from them by hand.

use abstriage::corpus::{self, Format};
use abstriage::record::Record;

fn read(name: &str, bytes: &[u8]) -> (corpus::FileReport, Vec<Record>) {
    corpus::read_bytes(name, bytes)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/web")
            .join(name),
    )
    .unwrap()
}

fn labels(record: &Record) -> Vec<&str> {
    record
        .sections
        .iter()
        .map(|s| s.label.as_deref().unwrap_or(""))
        .collect()
}

#[test]
fn pubmed_abstract_page() {
    let (report, records) = read("pubmed_page.txt", &fixture("pubmed_page.txt"));
    assert_eq!(report.format, Some(Format::WebText));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let [r] = records.as_slice() else {
        panic!("one record expected, got {}", records.len())
    };
    assert_eq!(
        r.title,
        "Nurse-led telephone follow-up after discharge from hospital: a qualitative process evaluation"
    );
    assert_eq!(r.authors, ["Amira Haddad", "Tomás Ferreira", "Li Wen"]);
    assert_eq!(
        (r.year, r.journal.as_deref()),
        (Some(2022), Some("Br J Gen Pract"))
    );
    assert_eq!(
        (r.volume.as_deref(), r.issue.as_deref(), r.pages.as_deref()),
        (Some("72"), Some("716"), Some("e190-e198"))
    );
    assert_eq!(r.doi.as_deref(), Some("10.3399/BJGP.2021.0412"));
    assert_eq!(
        r.keywords,
        [
            "general practice",
            "nursing",
            "telephone",
            "qualitative research"
        ]
    );
    assert_eq!(r.extra.get("pmid"), Some("35012345"));
    assert_eq!(r.extra.get("pmcid"), Some("PMC8912345"));
    assert_eq!(r.extra.get("publication type"), Some("Clinical Trial"));
    assert_eq!(
        labels(r),
        [
            "Background",
            "Aim",
            "Design and setting",
            "Method",
            "Results",
            "Conclusion"
        ]
    );
    assert_eq!(
        r.sections[5].text,
        "Nurse-led follow-up can be delivered in general practice when time is protected."
    );
    assert!(
        !r.abstract_text().contains("Copyright"),
        "{}",
        r.abstract_text()
    );
}

#[test]
fn journal_article_page_with_one_keyword_per_line() {
    let (report, records) = read("bmc_page.txt", &fixture("bmc_page.txt"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let [r] = records.as_slice() else {
        panic!("one record expected, got {}", records.len())
    };
    assert_eq!(
        r.title,
        "Making sense of care navigation: a qualitative study of receptionists in general practice"
    );
    assert_eq!(r.authors, ["Hannah Price", "Owen Mbeki", "Sofia Lindqvist"]);
    assert_eq!(
        (
            r.year,
            r.journal.as_deref(),
            r.volume.as_deref(),
            r.pages.as_deref()
        ),
        (
            Some(2021),
            Some("BMC Primary Care"),
            Some("22"),
            Some("118")
        )
    );
    assert_eq!(
        r.keywords,
        [
            "Care navigation",
            "Receptionists",
            "Primary care",
            "Qualitative research"
        ]
    );
    assert_eq!(r.extra.get("published"), Some("14 June 2021"));
    assert_eq!(
        labels(r),
        ["Background", "Methods", "Results", "Conclusions"]
    );
    for furniture in [
        "Accesses",
        "Altmetric",
        "Cite this article",
        "Peer Review",
        "Download PDF",
        "Advertisement",
    ] {
        assert!(!r.abstract_text().contains(furniture), "{furniture}");
    }
}

#[test]
fn two_pages_pasted_into_one_file_are_two_records() {
    let mut both = fixture("pubmed_page.txt");
    both.extend(fixture("bmc_page.txt"));
    let (report, records) = read("both.txt", &both);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[1].source.line, 36,
        "the second page's record opens at its publication type"
    );
    assert_eq!(
        records[0].extra.get("published"),
        None,
        "the date above the second title is the second's"
    );
    assert_eq!(records[1].extra.get("published"), Some("14 June 2021"));
    assert_eq!(records[1].extra.get("publication type"), Some("Research"));
    assert_eq!(records[1].authors.len(), 3);
}

#[test]
fn full_text_after_the_abstract_is_left_out_and_reported() {
    let page = "Abstract\nBackground: Why we looked at the way practices organise their front desks.\nMethods: How we looked, with interviews in six practices over a year.\n\nBackground\nIn the full paper the background runs on at length, citing many studies.\nMethods\nThe full methods section.\n";
    let (report, records) = read("full.txt", page.as_bytes());
    assert_eq!(labels(&records[0]), ["Background", "Methods"]);
    assert_eq!(
        records[0].sections[0].text,
        "Why we looked at the way practices organise their front desks."
    );
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0]
            .message
            .starts_with("2 paragraph(s) after the end of the abstract left out")
    );
}
