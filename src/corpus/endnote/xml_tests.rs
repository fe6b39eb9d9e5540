use super::*;

/// Hand-made record in EndNote desktop's documented export form: every value wrapped in
/// `<style face=… font=… size=…>` runs (two runs in the title), `&#xD;` between abstract
/// paragraphs, ISSN in `<isbn>`, EndNote's own bookkeeping elements.
const DESKTOP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><database name="Review.enl" path="C:\Users\me\Review.enl">Review.enl</database>"#,
    r#"<source-app name="EndNote" version="20.2">EndNote</source-app><rec-number>42</rec-number>"#,
    r#"<foreign-keys><key app="EN" db-id="t9dzx0">42</key></foreign-keys><ref-type name="Journal Article">17</ref-type>"#,
    r#"<contributors><authors><author><style face="normal" font="default" size="100%">Doe, Jane</style></author>"#,
    r#"<author><style face="normal" font="default" size="100%">Roe, R.</style></author></authors>"#,
    r#"<secondary-authors><author><style face="normal" font="default" size="100%">Editor, E.</style></author></secondary-authors></contributors>"#,
    r#"<auth-address><style face="normal" font="default" size="100%">Dept of Things, Somewhere University</style></auth-address>"#,
    r#"<titles><title><style face="normal" font="default" size="100%">Effects of CO</style><style face="subscript" font="default" size="100%">2</style><style face="normal" font="default" size="100%"> on plants &amp; soil</style></title>"#,
    r#"<secondary-title><style face="normal" font="default" size="100%">Journal of Examples</style></secondary-title></titles>"#,
    r#"<periodical><full-title><style face="normal" font="default" size="100%">Journal of Examples</style></full-title><abbr-1><style face="normal" font="default" size="100%">J Ex</style></abbr-1></periodical>"#,
    r#"<pages><style face="normal" font="default" size="100%">101-109</style></pages><volume><style face="normal" font="default" size="100%">12</style></volume>"#,
    r#"<number><style face="normal" font="default" size="100%">3</style></number><edition><style face="normal" font="default" size="100%">2020/05/01</style></edition>"#,
    r#"<keywords><keyword><style face="normal" font="default" size="100%">Carbon Dioxide</style></keyword><keyword><style face="normal" font="default" size="100%">Plants</style></keyword></keywords>"#,
    r#"<dates><year><style face="normal" font="default" size="100%">2020</style></year><pub-dates><date><style face="normal" font="default" size="100%">May</style></date></pub-dates></dates>"#,
    r#"<pub-location><style face="normal" font="default" size="100%">England</style></pub-location><publisher><style face="normal" font="default" size="100%">Example Press</style></publisher>"#,
    r#"<isbn><style face="normal" font="default" size="100%">1234-5678 (Print)&#xD;1234-567X (Linking)</style></isbn>"#,
    r#"<accession-num><style face="normal" font="default" size="100%">31234567</style></accession-num>"#,
    r#"<label><style face="normal" font="default" size="100%">include</style></label><work-type><style face="normal" font="default" size="100%">Randomized Controlled Trial</style></work-type>"#,
    r#"<urls><related-urls><url><style face="normal" font="default" size="100%">https://example.org/a</style></url></related-urls></urls>"#,
    r#"<custom1><style face="normal" font="default" size="100%">screened</style></custom1>"#,
    r#"<electronic-resource-num><style face="normal" font="default" size="100%">https://doi.org/10.1000/xyz.1</style></electronic-resource-num>"#,
    r#"<abstract><style face="normal" font="default" size="100%">BACKGROUND: First paragraph.&#xD;METHODS: Second &lt;paragraph&gt;.&#13;&#xD;</style><style face="italic" font="default" size="100%">RESULTS</style><style face="normal" font="default" size="100%">: Third.</style></abstract>"#,
    r#"<notes><style face="normal" font="default" size="100%">Note one</style></notes>"#,
    r#"<remote-database-name><style face="normal" font="default" size="100%">MEDLINE</style></remote-database-name>"#,
    r#"<remote-database-provider><style face="normal" font="default" size="100%">Ovid Technologies</style></remote-database-provider>"#,
    r#"<language><style face="normal" font="default" size="100%">eng</style></language></record></records></xml>"#,
);

fn extra<'r>(r: &'r RawRecord, name: &str) -> Vec<&'r str> {
    r.extra
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn endnote_desktop_style_runs_are_concatenated_and_cr_separates_paragraphs() {
    assert!(detect(DESKTOP));
    let parsed = parse(DESKTOP);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.records.len(), 1);
    let r = &parsed.records[0];
    assert_eq!(r.title, "Effects of CO2 on plants & soil");
    assert_eq!(r.authors, ["Doe, Jane", "Roe, R."]);
    assert_eq!(r.journal, "Journal of Examples");
    assert_eq!(r.date, "2020");
    assert_eq!(
        (r.volume.as_str(), r.issue.as_str(), r.start_page.as_str()),
        ("12", "3", "101-109")
    );
    assert_eq!(r.doi, "https://doi.org/10.1000/xyz.1");
    assert_eq!(
        r.abstract_text,
        "BACKGROUND: First paragraph.\nMETHODS: Second <paragraph>.\n\nRESULTS: Third."
    );
    assert_eq!(r.keywords, ["Carbon Dioxide", "Plants"]);
    assert_eq!(extra(r, "type"), ["Journal Article"]);
    assert_eq!(extra(r, "journal abbreviation"), ["J Ex"]);
    assert_eq!(extra(r, "date"), ["May"]);
    assert_eq!(extra(r, "editors"), ["Editor, E."]);
    assert_eq!(
        extra(r, "affiliations"),
        ["Dept of Things, Somewhere University"]
    );
    assert_eq!(extra(r, "issn"), ["1234-5678 (Print)\n1234-567X (Linking)"]);
    assert_eq!(extra(r, "accession number"), ["31234567"]);
    assert_eq!(extra(r, "database"), ["MEDLINE", "Ovid Technologies"]);
    assert_eq!(extra(r, "url"), ["https://example.org/a"]);
    assert_eq!(extra(r, "place"), ["England"]);
    assert_eq!(extra(r, "publisher"), ["Example Press"]);
    assert_eq!(extra(r, "label"), ["include"]);
    assert_eq!(extra(r, "type of work"), ["Randomized Controlled Trial"]);
    assert_eq!(extra(r, "custom 1"), ["screened"]);
    assert_eq!(extra(r, "notes"), ["Note one"]);
    assert_eq!(extra(r, "language"), ["eng"]);
    assert_eq!(extra(r, "edition"), ["2020/05/01"]);
    assert_eq!(extra(r, "endnote library"), ["Review.enl"]);
    assert_eq!(extra(r, "record number"), ["42"]);
    assert_eq!(extra(r, "foreign key"), ["42"]);
    assert!(
        extra(r, "secondary title").is_empty(),
        "same as the journal"
    );
    assert_eq!(r.line, 1);
    assert!(DESKTOP[r.span.clone()].starts_with("<record>"));
    assert!(DESKTOP[r.span.clone()].ends_with("</record>"));
}

#[test]
fn pretty_printed_records_get_their_own_lines_and_spans() {
    let text = "<?xml version=\"1.0\"?>\n<xml>\n  <records>\n    <record>\n      <ref-type name=\"Book\"/>\n      <titles>\n        <title>One</title>\n      </titles>\n    </record>\n    <record>\n      <titles><title>Two</title><secondary-title>A Book</secondary-title></titles>\n      <number>4</number><issue>5</issue>\n      <dates><pub-dates><date>March 2001</date></pub-dates></dates>\n    </record>\n  </records>\n</xml>\n";
    assert!(detect(text));
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let [one, two] = &parsed.records[..] else {
        panic!("{:?}", parsed.records)
    };
    assert_eq!((one.title.as_str(), one.line), ("One", 4));
    assert_eq!(extra(one, "type"), ["Book"]);
    assert_eq!((two.title.as_str(), two.line), ("Two", 10));
    assert_eq!(two.journal, "A Book");
    assert_eq!(two.issue, "4");
    assert_eq!(extra(two, "issue"), ["5"]);
    assert_eq!(two.date, "March 2001");
    assert!(text[two.span.clone()].starts_with("<record>\n"));
    assert!(text[two.span.clone()].ends_with("</record>"));
}

#[test]
fn a_truncated_file_keeps_complete_records_and_reports_the_tail() {
    let text = "<?xml version=\"1.0\"?>\n<xml><records>\n<record><titles><title>Whole</title></titles></record>\n<record><titles><title>Cut</title></titles><abstract>Half an abs";
    let parsed = parse(text);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].title, "Whole");
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].line, 4);
    // Cut inside a tag rather than inside text.
    let parsed = parse(&text[..text.len() - 20]);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].line, 4);
}

#[test]
fn malformed_record_is_dropped_and_reading_resumes_at_the_next() {
    let text = "<xml><records>\n<record><titles><title>Bad <![CDATA[x</title></titles></record>\n<record><titles><title>Good</title></titles></record></records></xml>";
    let parsed = parse(text);
    let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Good"], "reading resumes after the unclosed CDATA");
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].line, 2);

    let text = "<xml><records>\n<record><titles><title>Bad</title></titles><abstract>x <!- y</abstract></record>\n<record><titles><title>Good</title></titles></record></records></xml>";
    let parsed = parse(text);
    assert_eq!(
        parsed
            .records
            .iter()
            .map(|r| r.title.as_str())
            .collect::<Vec<_>>(),
        ["Good"]
    );
    assert_eq!(parsed.warnings[0].line, 2, "{:?}", parsed.warnings);
}

#[test]
fn unknown_entities_and_dangling_ampersands_are_kept_as_written() {
    let text = "<xml><records><record><titles><title>R&D &nbsp;&#x2019;s &quot;x&quot;</title></titles></record></records></xml>";
    let parsed = parse(text);
    assert_eq!(parsed.records[0].title, "R&D &nbsp;\u{2019}s \"x\"");
}

#[test]
fn detection_wants_the_endnote_root() {
    assert!(detect(
        "\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml><records><record>"
    ));
    assert!(detect("<xml>\n<records>\n</records></xml>"));
    assert!(detect(
        "<?xml version=\"1.0\"?><!-- exported --><records><record>"
    ));
    assert!(!detect(
        "<?xml version=\"1.0\"?><!DOCTYPE PubmedArticleSet><PubmedArticleSet><PubmedArticle>"
    ));
    assert!(!detect("TY  - JOUR\nTI  - x\nER  - \n"));
    assert!(!detect("<xml>\n<something/>"));
    assert!(!detect(""));
    // White space before the root is any Unicode white space (`\s`), which the quick
    // rejection of text not starting with `<` must skip too; a BOM is not white space.
    assert!(detect("\u{3000}\u{a0}\t<xml><records><record>"));
    assert!(!detect("\u{feff}<xml><records><record>"));
    assert!(!detect(" \n x <xml><records><record>"));
}

#[test]
fn every_prefix_of_a_file_parses_without_panicking() {
    let two = DESKTOP.replace(
        "</record></records>",
        "</record><record><titles><title>B</title></titles></record></records>",
    );
    let mut end = 0;
    while end <= two.len() {
        if two.is_char_boundary(end) {
            let prefix = &two[..end];
            let parsed = parse(prefix);
            let opened = prefix.matches("<record>").count();
            let closed = prefix.matches("</record>").count();
            assert_eq!(parsed.records.len(), closed, "at {end}");
            if opened > closed {
                assert!(!parsed.warnings.is_empty(), "silent loss at {end}");
            }
        }
        end += 1;
    }
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(s in "(<|>|/|&|;|#|x|record|records|xml|title|titles|style| |\n|\"|=|!|\\[|CDATA|\\?|-)*") {
        let _ = parse(&s);
        let _ = detect(&s);
    }

    #[test]
    fn arbitrary_unicode_never_panics(s in "\\PC*") {
        let _ = parse(&s);
        let _ = parse(&format!("<xml><records><record>{s}</record></records></xml>"));
    }
}
