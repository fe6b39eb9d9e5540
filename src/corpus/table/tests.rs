//! Unit tests on small tables, shortened from permissively licensed exports (file named above
//! each).

use super::*;

fn one(text: &str) -> RawRecord {
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.records.len(), 1, "{:?}", parsed.records);
    parsed.records.into_iter().next().unwrap_or_default()
}

#[test]
fn scopus_csv_with_quoted_commas_and_ranked_columns() {
    // citation-file-formatting/_baseline_scopus.csv
    let text = "\"Authors\",\"Author full names\",\"Title\",\"Year\",\"Source title\",\"Volume\",\"Issue\",\"Page start\",\"Page end\",\"DOI\",\"Abstract\",\"Author Keywords\",\"PubMed ID\",\"Abbreviated Source Title\",\"Source\"\n\"Wilson L.N.; Gardner J.D.\",\"Wilson, Lauren N. (58975547800); Gardner, Jacob D. (57190394669)\",\"Global latitudinal gradients and the evolution of body size in dinosaurs and mammals\",\"2024\",\"Nature Communications\",\"15\",\"1\",\"1084\",\"1092\",\"10.1038/s41467-024-46843-2\",\"Global climate patterns, fundamentally \"\"shape\"\" the distribution\",\"bone histology; ornithodira\",\"38580657\",\"Nat. Commun.\",\"Scopus\"\n";
    let r = one(text);
    assert_eq!(r.authors, ["Wilson L.N.", "Gardner J.D."]);
    assert_eq!(r.date, "2024");
    assert_eq!(r.journal, "Nature Communications");
    assert_eq!(
        (r.start_page.as_str(), r.end_page.as_str()),
        ("1084", "1092")
    );
    assert_eq!(
        r.abstract_text,
        "Global climate patterns, fundamentally \"shape\" the distribution"
    );
    assert_eq!(r.keywords, ["bone histology", "ornithodira"]);
    assert_eq!(r.extra_values("pmid"), ["38580657"]);
    assert_eq!(r.extra_values("journal abbreviation"), ["Nat. Commun."]);
    assert_eq!(r.extra_values("source"), ["Scopus"]);
    assert_eq!(r.extra_values("author full names").len(), 1);
    assert_eq!(r.line, 2);
    assert_eq!(r.span.end, text.len());
}

#[test]
fn embase_preamble_is_skipped_and_rows_span_lines() {
    // citation-file-formatting/_baseline_embase.csv
    let text = "\"SEARCH QUERY\",\"dinosaur:ti\"\n-------------------------------------\n\n\"Title\",\"Author Names\",\"Source\",\"Source title\",\"Publication Year\",\"Abstract\"\n\"Cellular structure of dinosaur scales\",\"Yang Z., Jiang B., Xu J., McNamara M.E.\",\"Nature Communications (2024) 15:1 Article Number: 4063. Date of Publication: 1 Dec 2024\",\"Nature Communications\",\"2024\",\"Fossil feathers have transformed our understanding.\n\nHere we shed light.\"\n\"A remarkable assemblage\",\"Troiano L.P.\",,\"Scientific reports\",\"2024\",\n";
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let r = &parsed.records;
    assert_eq!(r.len(), 2);
    assert_eq!(
        r[0].authors,
        ["Yang Z.", "Jiang B.", "Xu J.", "McNamara M.E."]
    );
    assert_eq!(
        r[0].abstract_text,
        "Fossil feathers have transformed our understanding.\n\nHere we shed light."
    );
    assert_eq!(r[0].journal, "Nature Communications");
    assert_eq!((r[0].line, r[1].line), (5, 8));
    assert!(text[r[1].span.clone()].starts_with("\"A remarkable"));
    assert!(text[r[0].span.clone()].ends_with("light.\"\n"));
}

#[test]
fn old_embase_csv_gives_the_journal_only_in_its_source_citation() {
    // asreview/embase.csv
    let text = "Title,Author Names,Source,Abstract\n\"Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound\",\"Liu R., Adler D.G.\",Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014,\"Gastrointestinal tract duplication cysts are rare.\"\n";
    let r = one(text);
    assert_eq!(r.journal, "Endoscopic Ultrasound");
    assert_eq!((r.date.as_str(), r.volume.as_str()), ("2014", "3"));
    assert_eq!((r.issue.as_str(), r.start_page.as_str()), ("3", "152-160"));
    assert_eq!(r.extra_values("source").len(), 1);
}

#[test]
fn excel_semicolon_resave_with_preamble() {
    // citation-file-formatting/_baseline_excel.csv (BOM already removed by decoding)
    let text = "SEARCH QUERY;dinosaur:ti;;;\n-------------------------------------;;;;\n;;;;\nTitle;Original Title;Author Names;Abstract;Author Keywords\nCellular structure of dinosaur scales;;Yang Z., Jiang B.;\"Fossil feathers; a study\";Allosaurus,loricatan,predator\n";
    assert!(detect(text));
    let r = one(text);
    assert_eq!(r.title, "Cellular structure of dinosaur scales");
    assert_eq!(r.abstract_text, "Fossil feathers; a study");
    assert_eq!(r.keywords, ["Allosaurus", "loricatan", "predator"]);
    assert_eq!(r.line, 5);
}

#[test]
fn abstrackr_sections_and_reviewer_decisions() {
    // citation-file-formatting/_baseline_abstrackr.csv (shortened)
    let text = "(internal) id,(source) id,pubmed id,keywords,abstract,title,journal,authors,tags,consensus,labeled_at,Anonymous,labeled_at,general notes (Anonymous)\n41893415,7,0,\"phosphate,Africa\",\"In the Late Cretaceous.\",A new small duckbilled dinosaur,Sci Rep,\"Longrich, N.R.\n and Bardet, N.\n\",,o,,1,2024-08-15 08:42:23,\ncitations that are not yet labeled by anyone\n41893421,5,0,\"chick,Cretaceous\",,Erratum: Correction: A juvenile bird,BMC Ecol Evol,\"Brownstein, C.D.\n\"\n";
    let parsed = parse(text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let r = &parsed.records;
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].authors, ["Longrich, N.R.", "Bardet, N."]);
    assert_eq!(r[0].extra_values("abstrackr decisions"), ["Anonymous: 1"]);
    assert_eq!(r[0].extra_values("consensus"), ["o"]);
    assert_eq!(
        r[0].extra_values("labeled at (anonymous)"),
        ["2024-08-15 08:42:23"]
    );
    assert_eq!(r[1].title, "Erratum: Correction: A juvenile bird");
    assert_eq!(r[1].authors, ["Brownstein, C.D."]);
    assert_eq!(r[1].line, 6);
}

#[test]
fn rayyan_notes_keep_raw_and_give_decisions() {
    // citation-file-formatting/_baseline_rayyan.csv (shortened)
    let text = "key,title,year,journal,authors,abstract,notes,keywords\nrayyan-42924189,Cellular structure of dinosaur scales,2024,Nat. Commun.,\"Yang, Z. and Jiang, B.\",Fossil feathers.,\"RAYYAN-INCLUSION: {\"\"Emily\"\"=>\"\"Maybe\"\"}\",keratin;melanin\n";
    let r = one(text);
    assert_eq!(r.authors, ["Yang, Z.", "Jiang, B."]);
    assert_eq!(
        r.extra_values("notes"),
        [r#"RAYYAN-INCLUSION: {"Emily"=>"Maybe"}"#]
    );
    assert_eq!(r.extra_values("rayyan decisions"), ["Emily: Maybe"]);
    assert_eq!(r.keywords, ["keratin", "melanin"]);
}

#[test]
fn web_of_science_tab_delimited_uses_field_tags() {
    // wosfile/wos_tab_delimited_win_utf8.txt (shortened; rows end with a tab)
    let text = "PT\tAU\tAF\tTI\tSO\tDE\tID\tAB\tPY\tVL\tIS\tBP\tEP\tDI\tUT\nJ\tOwen-Smith, J; Powell, WW\tOwen-Smith, Jason; Powell, Walter W.\tKnowledge networks as channels and conduits\tORGANIZATION SCIENCE\tknowledge networks; spillovers\tSTRATEGIC ALLIANCE FORMATION\tWe contend that two important features.\t2004\t15\t1\t5\t21\t10.1287/orsc.1030.0054\tWOS:000220015600001\t\n";
    let r = one(text);
    assert_eq!(r.title, "Knowledge networks as channels and conduits");
    assert_eq!(r.authors, ["Owen-Smith, J", "Powell, WW"]);
    assert_eq!(r.journal, "ORGANIZATION SCIENCE");
    assert_eq!(r.keywords, ["knowledge networks", "spillovers"]);
    assert_eq!(r.doi, "10.1287/orsc.1030.0054");
    assert_eq!(
        r.extra_values("subject terms"),
        ["STRATEGIC ALLIANCE FORMATION"]
    );
    assert_eq!(r.extra_values("accession number"), ["WOS:000220015600001"]);
    assert_eq!(
        r.extra_values("authors (full names)"),
        ["Owen-Smith, Jason; Powell, Walter W."]
    );
}

#[test]
fn labelled_datasets_keep_rows_without_text_and_their_labels() {
    // asreview-systematic-review-datasets/ACEInhibitors.csv (row 2 made textless, as 26 are)
    let text = "record_id,pubmedID,title,authors,abstract,year,label_included,label_abstract_screening\n1,10024335,Distinct and combined vascular effects of ACE blockade.,P Nazzaro; M Manzari,\"Hypercholesterolemia and hypertension.\",1999.0,0,0\n2,10027778,,,,,0,0\n";
    let parsed = parse(text);
    assert_eq!(parsed.records.len(), 2);
    let r = &parsed.records[0];
    assert_eq!(r.authors, ["P Nazzaro", "M Manzari"]);
    assert_eq!(r.extra_values("label included"), ["0"]);
    assert_eq!(r.extra_values("label abstract screening"), ["0"]);
    assert_eq!(parsed.records[1].extra_values("pmid"), ["10027778"]);
    // synergy-dataset/Hamilton_2022.csv: a bare 0/1 `label` is the inclusion label
    let r = one("title,abstract,label\nSongs in the classroom,,1\n");
    assert_eq!(r.extra_values("label included"), ["1"]);
    // Depression-Dataset-SLIM-DevelopmentTrainingSet.txt
    let r = one(
        "ID\tAuthor\tYear\tTitle\tJournal\tAbstract\tIncl(1)/Excl(0)\n1\tR. L. Whistler and W. C. Lake\t1972\tInhibition of cellular transport\tBiochem.J.\t\"5-Thio-d-glucopyranose, the analogue.\"\t0\n",
    );
    assert_eq!(r.authors, ["R. L. Whistler", "W. C. Lake"]);
    assert_eq!(r.extra_values("id"), ["1"]);
    assert_eq!(r.extra_values("label included"), ["0"]);
}

#[test]
fn cinahl_excel_text_values_are_unwrapped() {
    // citation-file-formatting/_baseline_cinahl.csv
    let r = one(
        "Article Title,Author,Journal Title,ISSN,Publication Date,Abstract\n\"Osteohistological insight.\",\"Curry Rogers, Kristina; Colombi, Carina\",\"PLoS ONE\",=\"19326203\",=\"4/3/2024\",\"Dinosauria debuted.\"\n",
    );
    assert_eq!(r.authors, ["Curry Rogers, Kristina", "Colombi, Carina"]);
    assert_eq!(r.date, "4/3/2024");
    assert_eq!(r.extra_values("issn"), ["19326203"]);
}

#[test]
fn year_beats_date_and_the_date_is_kept() {
    // citation-file-formatting/_baseline.csv (Lens)
    let r = one(
        "Lens ID,Title,Date Published,Publication Year,Source Title,Author/s,Abstract,Start Page,End Page\n000-463-679-101-319,The Value of Radiologic Interventions,2012-07-03,2012,Molecular imaging and biology,Björn A. Blomberg; Mateen Moghbel,This systematic review.,97,105\n",
    );
    assert_eq!(r.date, "2012");
    assert_eq!(r.extra_values("date"), ["2012-07-03"]);
    assert_eq!(r.extra_values("lens id"), ["000-463-679-101-319"]);
    assert_eq!(r.authors, ["Björn A. Blomberg", "Mateen Moghbel"]);
}

#[test]
fn ragged_rows_are_kept_and_reported_with_their_line() {
    let text = "Title,Authors,Abstract\nOne,\"Doe, J\",Text one\nTwo,\"Roe, R\"\nThree,\"Poe, P\",Text three,surplus\n";
    let parsed = parse(text);
    assert_eq!(parsed.records.len(), 3);
    let lines: Vec<usize> = parsed.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [3, 4]);
    assert_eq!(parsed.records[1].title, "Two");
    assert_eq!(parsed.records[2].extra_values("column 4"), ["surplus"]);
    // Trailing empty fields (Web of Science rows end with a tab) are no problem.
    assert!(parse("Title,Abstract\nOne,Text,\n").warnings.is_empty());
}

#[test]
fn unknown_and_empty_cells() {
    // citation-file-formatting/_baseline_refworks.tsv: empty cells hold a space
    let r = one(
        "Reference Type\tAuthors, Primary\tTitle Primary\tPeriodical Full\tAbstract\tUser 1\nJournal Article\tSmits,Maarten L. J.;Lam, Marnix G. E. H.\tThe effect of angiotensin II\tJ Vasc Interv Radiol\t \t \n",
    );
    assert_eq!(r.authors, ["Smits,Maarten L. J.", "Lam, Marnix G. E. H."]);
    assert_eq!(r.abstract_text, "");
    assert_eq!(r.extra_values("type"), ["Journal Article"]);
    assert!(r.extra_values("user 1").is_empty());
}

#[test]
fn detection_needs_a_bibliographic_header() {
    assert!(detect("title,abstract\nA,B\n"));
    assert!(detect("\"Title\",\"Authors\"\n\"A\",\"B\"\n"));
    // a data table
    assert!(!detect("name,year,genre\nAlien,1979,horror\n"));
    assert!(!detect("title,year\nAlien,1979\n"));
    // other formats
    assert!(!detect(
        "TY  - JOUR\nTI  - Title, with a comma\nAB  - Abstract, too\nER  - \n"
    ));
    assert!(!detect("PMID- 1\nTI  - Title, abstract\nAB  - Text\n"));
    assert!(!detect(
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Doe, J\nTI Title\nER\nEF\n"
    ));
    assert!(!detect(
        "@article{key,\n  title = {Title},\n  author = {Doe, J},\n  abstract = {Text},\n}\n"
    ));
    assert!(!detect(
        "<xml><records><record><title>T</title></record></records></xml>\n"
    ));
    assert!(!detect(
        "Title, Authors, Abstract\nThis page lists, among other things, the abstract of a study.\nIt was written by several people over many years and then revised.\nNothing here is a table at all, even though it has commas, like this one, and that one.\n"
    ));
    assert!(!detect(""));
}

#[test]
fn header_only_table_is_a_table_with_no_records() {
    let text = "Title,Authors,Abstract,DOI\n";
    assert!(detect(text));
    let parsed = parse(text);
    assert!(parsed.records.is_empty() && parsed.warnings.is_empty());
}

#[test]
fn arbitrary_input_never_panics() {
    let samples = [
        "\"",
        "\"Title\",\"Abstract\"\n\"unterminated",
        "Title,Abstract\n\u{0}\u{1}\"\"\"\n,,,,",
        "Title\tAbstract\n\r\r\n\t\t\t\"\n",
        "title;abstract\n;;;;;;;;;;;;;;;;;;;;;;\n\"a\"\"\";b",
    ];
    for text in samples {
        let _ = detect(text);
        let _ = parse(text);
    }
    let big = format!("Title,Abstract\n\"{}\",b\n", "x,".repeat(200_000));
    assert_eq!(parse(&big).records.len(), 1);
}

mod prop {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_never_panics(text in "(?s).{0,400}") {
            let _ = super::detect(&text);
            let _ = super::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_table_like_text(
            body in "[a-z\",;\t\n\" ]{0,300}"
        ) {
            let text = format!("Title,Abstract,Authors\n{body}");
            let parsed = super::parse(&text);
            for r in parsed.records {
                prop_assert!(r.span.start <= r.span.end && r.span.end <= text.len());
                prop_assert!(r.line >= 2);
            }
        }
    }
}

#[test]
fn pasted_web_pages_of_the_demo_corpus_are_not_tables() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    for entry in std::fs::read_dir(seeds).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text =
                crate::corpus::decode::decode(&std::fs::read(&path).unwrap_or_default()).text;
            assert!(!detect(&text), "{}", path.display());
        }
    }
}
