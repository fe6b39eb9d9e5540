use super::*;
use crate::corpus::raw::RawRecord;

#[test]
fn zotero_style_entry() {
    let text = "\n@article{doe_title_1999,\n\ttitle = {Blood supply in {Cocker} {Spaniel} dogs},\n\tvolume = {12},\n\tissn = {0932-0814},\n\tdoi = {10.1000/x_y},\n\tabstract = {First paragraph, 26\\% of dogs.\nSecond paragraph {\\textless} 1 year.},\n\tlanguage = {English},\n\tnumber = {3},\n\tjournal = {VETERINARY JOURNAL},\n\tauthor = {Doe, J and Roe, RK},\n\tmonth = aug,\n\tyear = {1999},\n\tkeywords = {blood supply, Cocker Spaniels, FRACTURES},\n\tpages = {134--137},\n\tannote = {Times Cited: 12},\n}\n";
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let r = &parsed.records[0];
    assert_eq!(r.title, "Blood supply in Cocker Spaniel dogs");
    assert_eq!(r.authors, ["Doe, J", "Roe, RK"]);
    assert_eq!(r.date, "1999");
    assert_eq!(r.journal, "VETERINARY JOURNAL");
    assert_eq!((r.volume.as_str(), r.issue.as_str()), ("12", "3"));
    assert_eq!((r.start_page.as_str(), r.end_page.as_str()), ("134", "137"));
    assert_eq!(r.doi, "10.1000/x_y");
    assert_eq!(
        r.abstract_text,
        "First paragraph, 26% of dogs.\nSecond paragraph < 1 year."
    );
    assert_eq!(r.keywords, ["blood supply", "Cocker Spaniels", "FRACTURES"]);
    assert_eq!(r.extra_values("type"), ["article"]);
    assert_eq!(r.extra_values("citation key"), ["doe_title_1999"]);
    assert_eq!(r.extra_values("month"), ["August"]);
    assert_eq!(r.extra_values("issn"), ["0932-0814"]);
    assert_eq!(r.extra_values("language"), ["English"]);
    assert_eq!(r.extra_values("notes"), ["Times Cited: 12"]);
    assert_eq!(r.line, 2);
    assert_eq!(&text[r.span.clone()], text.trim());
}

#[test]
fn scopus_style_entry() {
    let text = "@ARTICLE{Doe2020,\nauthor={Doe, A. and Roe, B.},\ntitle={Soil fauna},\njournal={Ecosystem Health},\nyear={2020},\nvolume={6},\nnumber={1},\nart_number={1722034},\nnote={cited By 0},\nurl={https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&partnerID=40},\naffiliation={Institute A, China; School B, UK},\nabstract={Text here.},\nauthor_keywords={Environmental factors;  Lake Taihu;  reed},\nkeywords={Textures, Computer technology;  MATLAB},\nfunding_details={Fund A},\nfunding_text\u{a0}1={Funded by A.},\ncorrespondence_address1={Doe, A.; email: a@b.cn},\nabbrev_source_title={Ecosyst. Health},\ndocument_type={Article},\nsource={Scopus},\n}\n";
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let r = &parsed.records[0];
    assert_eq!(r.start_page, "1722034");
    assert_eq!(
        r.keywords,
        [
            "Environmental factors",
            "Lake Taihu",
            "reed",
            "Textures, Computer technology",
            "MATLAB"
        ]
    );
    assert_eq!(r.extra_values("type"), ["article"]);
    assert_eq!(r.extra_values("database"), ["Scopus"]);
    assert_eq!(r.extra_values("publication type"), ["Article"]);
    assert_eq!(r.extra_values("journal abbreviation"), ["Ecosyst. Health"]);
    assert_eq!(r.extra_values("funding"), ["Fund A", "Funded by A."]);
    assert_eq!(
        r.extra_values("correspondence address"),
        ["Doe, A.; email: a@b.cn"]
    );
    assert_eq!(
        r.extra_values("url"),
        ["https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&partnerID=40"]
    );
    assert_eq!(
        r.extra_values("affiliations"),
        ["Institute A, China; School B, UK"]
    );
}

#[test]
fn crossref_entry_with_aligned_fields() {
    // colrev (MIT): tests/review_manager/3_packages_search/data/crossref_bib.bib
    let text = "@article{000803,\n   doi                           = {10.25300/MISQ/2013/37.4.13},\n   author                        = {Seidel, Stefan and Recker, Jan and vom Brocke, Jan},\n   journal                       = {MIS Quarterly},\n   title                         = {Sensemaking and Sustainable Practicing: Functional Affordances of Information Systems in Green Transformations},\n   year                          = {2013},\n   volume                        = {37},\n   number                        = {4},\n   pages                         = {1275--1299},\n}\n";
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let r = &parsed.records[0];
    assert_eq!(
        r.authors,
        ["Seidel, Stefan", "Recker, Jan", "vom Brocke, Jan"]
    );
    assert_eq!(
        (r.start_page.as_str(), r.end_page.as_str()),
        ("1275", "1299")
    );
    assert_eq!(r.extra_values("citation key"), ["000803"]);
}

#[test]
fn strings_concatenation_quotes_preamble_and_comments() {
    let text = r#"% This file was created with JabRef
Comment text with an e-mail@example.org address.
@preamble{ "\newcommand{\noopsort}[1]{}" }
@string{ jams = "J. Amer. Math. Soc." }
@STRING(pre = {Proc. of })
@Comment{jabref-meta: databaseType:bibtex;}
@inproceedings(key1,
  title = "The {``Best''} {C}ase: {\"U}ber " # "alles",
  booktitle = pre # {Conf},
  journal = jams,
  year = 2001,
  month = "1~" # dec,
  address = {Berlin},
  langid = {german},
  eprint = {2101.00001}, archiveprefix = {arXiv},
  date = {2001-12-01},
)
"#;
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.records.len(), 1);
    let r = &parsed.records[0];
    assert_eq!(r.title, "The “Best” Case: Über alles");
    assert_eq!(r.journal, "J. Amer. Math. Soc.");
    assert_eq!(r.extra_values("book title"), ["Proc. of Conf"]);
    assert_eq!(r.date, "2001");
    assert_eq!(r.extra_values("date"), ["2001-12-01"]);
    assert_eq!(r.extra_values("month"), ["1\u{a0}December"]);
    assert_eq!(r.extra_values("place"), ["Berlin"]);
    assert_eq!(r.extra_values("language"), ["german"]);
    assert_eq!(r.extra_values("eprint"), ["2101.00001"]);
    assert_eq!(r.extra_values("eprint type"), ["arXiv"]);
    assert_eq!(r.extra_values("type"), ["inproceedings"]);
    assert_eq!(r.line, 7);
}

#[test]
fn unclosed_entry_is_reported_and_the_next_one_read() {
    let text = "@article{a,\n  title = {First},\n  author = {One, A}\n\n@article{b,\n  title = {Second},\n}\n";
    let parsed = parse(text);
    let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["First", "Second"]);
    assert_eq!(parsed.records[1].line, 5);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].line, 1);
    assert!(parsed.warnings[0].message.contains("line 5"));
}

#[test]
fn missing_closing_brace_in_a_value_is_cut_at_the_next_field() {
    let text = "@article{a,\n  title = {Unbalanced {title,\n  author = {One, A},\n  year = {2020},\n}\n@article{b, title = {Next}}\n";
    let parsed = parse(text);
    let r = &parsed.records[0];
    assert_eq!(r.title, "Unbalanced title");
    assert_eq!(r.authors, ["One, A"]);
    assert_eq!(r.date, "2020");
    assert_eq!(parsed.records[1].title, "Next");
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].line, 2);
}

#[test]
fn missing_brace_that_swallows_the_file_end_keeps_what_was_read() {
    let text = "@article{a,\n  title = {Good},\n  abstract = {Never closed\n";
    let parsed = parse(text);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].title, "Good");
    assert_eq!(parsed.records[0].abstract_text, "Never closed");
    assert!(!parsed.warnings.is_empty());
    // Each macro doubles the last: without a budget this would need 2^64 bytes.
    let doubling = format!(
        "@string{{a = {{xx}}}}\n{}@article{{k, title = a}}\n",
        "@string{a = a # a}\n".repeat(64)
    );
    let parsed = parse(&doubling);
    assert!(parsed.records[0].title.len() <= doubling.len() * 4);
}

#[test]
fn stray_braces_commas_and_unescaped_specials_are_tolerated() {
    let text = "@article{a,\n  title = {Cats} and dogs},\n  author = {One, A}\n  journal = {R&D 50% a_b}\n  year = 2020 doi = {10.1/x}\n}\n@article{b,\n  title = {Two}\n  garbage line without equals\n  year = {2021},\n}\n";
    let parsed = parse(text);
    let a = &parsed.records[0];
    assert_eq!(a.title, "Cats and dogs");
    assert_eq!(a.authors, ["One, A"]);
    assert_eq!(a.journal, "R&D 50% a_b");
    assert_eq!(a.date, "2020");
    assert_eq!(a.doi, "10.1/x");
    let b = &parsed.records[1];
    assert_eq!((b.title.as_str(), b.date.as_str()), ("Two", "2021"));
    let lines: Vec<_> = parsed.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [2, 4, 5, 5, 9], "{:?}", parsed.warnings);
}

#[test]
fn entry_without_key_and_broken_headers_are_reported() {
    let text = "@article{title = {No key}, year = 1999}\n@article key2,\n  title = {Lost}}\n@misc{k3, title = {Three}}\n";
    let parsed = parse(text);
    let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["No key", "Three"]);
    let lines: Vec<_> = parsed.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [1, 2], "{:?}", parsed.warnings);
}

#[test]
fn several_entries_on_one_line() {
    let parsed = parse("@article{a, title={One}} @book{b, title={Two}}");
    let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["One", "Two"]);
}

#[test]
fn latex_is_decoded_in_every_text_field_but_not_in_verbatim_ones() {
    let text = r#"@article{k,
  title = {{COVID}-19 and $\alpha$-synuclein in Espa\~na},
  author = {Mart{\'\i}nez, Jos{\'e} and {\O}stergaard, S{\o}ren and {World Health Organization}},
  journal = {Ann. \& Rep.},
  url = {http://x.org/~me/a_b},
  keywords = {{\"U}bung, caf\'{e}},
}"#;
    let r = &parse(text).records[0];
    assert_eq!(r.title, "COVID-19 and α-synuclein in España");
    assert_eq!(
        r.authors,
        [
            "Martínez, José",
            "Østergaard, Søren",
            "World Health Organization"
        ]
    );
    assert_eq!(r.journal, "Ann. & Rep.");
    assert_eq!(r.extra_values("url"), ["http://x.org/~me/a_b"]);
    assert_eq!(r.keywords, ["Übung", "café"]);
}

#[test]
fn an_escaped_underscore_in_a_doi_is_the_underscore() {
    // As DBLP writes it: `doi = {10.1007/978-3-032-00942-5\_12}` (volkm/bibtex-dblp#21).
    let text = "@inproceedings{k,\n  doi = {10.1007/978-3-032-00942-5\\_12},\n  title = {T},\n}\n";
    assert_eq!(parse(text).records[0].doi, "10.1007/978-3-032-00942-5_12");
}

#[test]
fn detection() {
    assert!(detect("\n@article{a,\n title = {x},\n}\n"));
    assert!(detect(
        "% Encoding: UTF-8\n\n@Article{a,\n title = {x},\n}\n"
    ));
    assert!(detect("@book(a, title = \"x\")"));
    // RIS with an e-mail address, text mentioning an entry, unknown `@` words.
    assert!(!detect("TY  - JOUR\nAD  - a@b.org\nER  - \n"));
    assert!(!detect(
        "Cite as:\n@article{a, title={x}}\nThen a long page of text that is not BibTeX at all, with many words, far more than the entry holds, so most of the file is not entries."
    ));
    assert!(!detect("@handle{ hello }\n"));
    assert!(!detect("mail me@article{x}"));
}

#[test]
fn hostile_input_is_linear_and_never_panics() {
    let mut text = String::from("@article{a,\n");
    for _ in 0..20_000 {
        text.push_str("  a = {\n");
    }
    let started = std::time::Instant::now();
    let parsed = parse(&text);
    assert!(started.elapsed().as_secs() < 5);
    assert!(!parsed.warnings.is_empty());
    for input in [
        "@",
        "@article{",
        "@article{k,",
        "@article{k, t = ",
        "@article{k, t = {",
        "@article{k, t = \"",
        "@article{k, t = a #",
        "@string{",
        "{}}}{{",
        "@article{k, t = {\\",
        "@article{k, t = {é\\",
    ] {
        let _ = parse(input);
        let _ = detect(input);
    }
}

proptest::proptest! {
    #[test]
    fn never_panics(text in "[@a-z{}()\"#=,%\\\\ \n\té$]{0,200}") {
        let _ = parse(&text);
        let _ = detect(&text);
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_bibtex_file_of_the_corpora() {
    use crate::record::Source;
    // (file, entries, with title, with abstract), counted with grep on `^@`, `title = {`,
    // `abstract = {`, and matching SOURCES.md.
    let files = [
        ("ASySD/zotero_export.bib", 1000, 1000, 776),
        ("synthesisr/Scopus_bib_example.bib", 3, 3, 3),
        ("colrev/crossref_bib.bib", 1, 1, 0),
    ];
    let markup = regex::Regex::new(r"</?[A-Za-z][^<>]{0,40}>|&amp;|&lt;|\\[A-Za-z]+|\{|\}")
        .expect("constant regex");
    for (file, count, titles, abstracts) in files {
        let bytes = std::fs::read(crate::corpus::corpora_dir().join(file)).expect("corpus file");
        let text = crate::corpus::decode::decode(&bytes).text;
        assert!(detect(&text), "{file}");
        let parsed = parse(&text);
        assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), count, "{file}");
        let with = |f: fn(&RawRecord) -> &str| {
            parsed
                .records
                .iter()
                .filter(|r| !f(r).trim().is_empty())
                .count()
        };
        assert_eq!(with(|r| &r.title), titles, "{file}");
        assert_eq!(with(|r| &r.abstract_text), abstracts, "{file}");
        for (index, raw) in parsed.records.iter().enumerate() {
            assert!(!raw.authors.is_empty(), "{file} #{index}");
            let source = Source {
                file: file.to_string(),
                index,
                line: raw.line,
                span: raw.span.clone(),
            };
            let record = crate::clean::clean_record(raw, source, &text[raw.span.clone()]);
            let body: String = record.sections.iter().map(|s| s.text.as_str()).collect();
            for cleaned in [&record.title, &body] {
                assert!(
                    !markup.is_match(cleaned),
                    "{file} line {}: {cleaned}",
                    raw.line
                );
                assert!(!cleaned.contains(" = {"), "{file} line {}", raw.line);
            }
        }
    }
}
