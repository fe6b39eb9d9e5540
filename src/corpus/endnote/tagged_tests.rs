use super::*;

/// From colrev `tests/2_loader/data/enl_data.enl` (MIT; abstracts shortened): records start
/// with `%T`, the second has no `%0`, and records are separated by two blank lines.
const COLREV: &str = "%T How Trust Leads to Commitment on Microsourcing Platforms\n%0 Journal Article\n%A Guo, Wenbo\n%A Straub, Detmar W.\n%B Management Information Systems Quarterly\n%D 2021\n%8 September  1, 2021\n%V 45\n%N 3\n%P 1309-1348\n%U https://aisel.aisnet.org/misq/vol45/iss3/13\n%X IS research has extensively examined the role of trust in client-vendor relationships.\n\n\n%T MISQ Volume 45, Issue 3 Table of Contents\n%B Management Information Systems Quarterly\n%D 2021\n%8 September  1, 2021\n%V 45\n%N 3\n%P i-ii\n%U https://aisel.aisnet.org/misq/vol45/iss3/1\n\n";

fn extra<'r>(r: &'r RawRecord, name: &str) -> Vec<&'r str> {
    r.extra
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn colrev_records_start_with_any_tag() {
    assert!(detect(COLREV));
    let parsed = parse(COLREV);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let [first, second] = &parsed.records[..] else {
        panic!("{:?}", parsed.records)
    };
    assert_eq!(
        first.title,
        "How Trust Leads to Commitment on Microsourcing Platforms"
    );
    assert_eq!(first.authors, ["Guo, Wenbo", "Straub, Detmar W."]);
    assert_eq!(first.journal, "Management Information Systems Quarterly");
    assert_eq!(first.date, "2021");
    assert_eq!(extra(first, "date"), ["September  1, 2021"]);
    assert_eq!(extra(first, "type"), ["Journal Article"]);
    assert_eq!(
        (
            first.volume.as_str(),
            first.issue.as_str(),
            first.start_page.as_str()
        ),
        ("45", "3", "1309-1348")
    );
    assert_eq!(
        extra(first, "url"),
        ["https://aisel.aisnet.org/misq/vol45/iss3/13"]
    );
    assert!(first.abstract_text.starts_with("IS research"));
    assert_eq!((first.line, second.line), (1, 15));
    assert!(COLREV[first.span.clone()].starts_with("%T How"));
    assert!(COLREV[first.span.clone()].ends_with("relationships.\n"));
    assert_eq!(second.title, "MISQ Volume 45, Issue 3 Table of Contents");
    assert!(second.abstract_text.is_empty());
    assert!(COLREV[second.span.clone()].ends_with("iss3/1\n"));
}

#[test]
fn continuation_lines_join_the_previous_field() {
    let text = "%0 Journal Article\n%T A long title\nthat goes on\n%A Doe, J.\n%J Journal of Tests\n%B Proceedings of Something\n%K alpha\nbeta; gamma\n%K delta\n%@ 1234-5678\n%R 10.1000/abc\n%X First paragraph\nsecond paragraph\n\nthird after a blank line\n%Z a note\n%+ Dept A\n%5 odd tag\n\n%0 Book\n%T Second\n%@ 978-0-19-852663-6\n";
    assert!(detect(text));
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let r = &parsed.records[0];
    assert_eq!(r.title, "A long title that goes on");
    assert_eq!(r.journal, "Journal of Tests");
    assert_eq!(extra(r, "secondary title"), ["Proceedings of Something"]);
    assert_eq!(r.keywords, ["alpha", "beta", "gamma", "delta"]);
    assert_eq!(extra(r, "issn"), ["1234-5678"]);
    assert_eq!(r.doi, "10.1000/abc");
    assert_eq!(
        r.abstract_text,
        "First paragraph\nsecond paragraph\nthird after a blank line"
    );
    assert_eq!(extra(r, "notes"), ["a note"]);
    assert_eq!(extra(r, "affiliations"), ["Dept A"]);
    assert_eq!(extra(r, "tag %5"), ["odd tag"]);
    let second = &parsed.records[1];
    assert_eq!((second.title.as_str(), second.line), ("Second", 20));
    assert_eq!(extra(second, "isbn"), ["978-0-19-852663-6"]);
    assert_eq!(extra(second, "type"), ["Book"]);
}

#[test]
fn date_falls_back_to_the_full_date_and_stray_text_is_reported() {
    let text = "stray words\n%T One\n%8 March 2001\n\njunk between records\n\n%0 Journal Article\n%T Two\n%0 Journal Article\n%T Three\n";
    let parsed = parse(text);
    let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["One", "Two", "Three"]);
    assert_eq!(parsed.records[0].date, "March 2001");
    assert!(extra(&parsed.records[0], "date").is_empty());
    let lines: Vec<_> = parsed.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [1, 5, 7], "{:?}", parsed.warnings);
}

#[test]
fn detection_needs_early_endnote_tag_lines() {
    assert!(detect("\n%0 Journal Article\n%T x\n%A y\n"));
    assert!(!detect("TY  - JOUR\nTI  - x\nER  - \n"));
    assert!(!detect(
        "% LaTeX comment\n\\documentclass{article}\n%TODO fix\n\\begin{document}\n"
    ));
    assert!(!detect(
        "one\ntwo\nthree\nfour\nfive\nsix\n%T x\n%A y\n%0 z\n"
    ));
    assert!(!detect("%T only one tag line\nand prose\nand more prose\n"));
    assert!(!detect("%Z 1\n%Z 2\n%Z 3\n"), "no core tag");
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(s in "(%|0|T|A|K|X|@| |\n|\t|;|é|x)*") {
        let parsed = parse(&s);
        for r in &parsed.records {
            proptest::prop_assert!(s.get(r.span.clone()).is_some());
        }
        let _ = detect(&s);
    }
}
