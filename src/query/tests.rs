use super::*;
use crate::record::{RecordId, Section, Source};

fn record(title: &str, abstract_text: &str, year: Option<u16>) -> Record {
    Record {
        id: RecordId::new("r"),
        title: title.into(),
        authors: vec!["Ratcliffe, Anna".into(), "Bo Li".into()],
        year,
        journal: Some("BMJ Open".into()),
        volume: None,
        issue: None,
        pages: None,
        doi: None,
        keywords: vec!["primary care".into(), "focus".into(), "groups".into()],
        sections: vec![
            Section {
                label: Some("Background".into()),
                text: abstract_text.into(),
            },
            Section {
                label: Some("Methods".into()),
                text: "Semi-structured interviews.".into(),
            },
        ]
        .into(),
        extra: Default::default(),
        source: Source {
            file: "scopus/export.ris".into(),
            index: 0,
            line: 1,
            span: 0..0,
        },
    }
}

fn decision(status: Option<Status>, reasons: &[&str], themes: &[&str], note: &str) -> Decision {
    Decision {
        status,
        reasons: reasons.iter().map(|s| s.to_string()).collect(),
        themes: themes.iter().map(|s| s.to_string()).collect(),
        note: note.into(),
        title: String::new(),
        decided_at: jiff::Timestamp::UNIX_EPOCH,
    }
}

const FILES: &[&str] = &["scopus/export.ris", "pubmed.nbib"];

fn hits(query: &str, record: &Record, decision: Option<&Decision>) -> bool {
    let query = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    query.matches(&Study {
        record,
        files: FILES,
        decision,
    })
}

fn error(query: &str) -> QueryError {
    Query::parse(query).expect_err(query)
}

#[test]
fn bare_terms_search_title_abstract_and_keywords_only() {
    let r = record(
        "Effects in rats",
        "A randomised trial in general practice.",
        Some(2010),
    );
    assert!(hits("rats", &r, None), "title");
    assert!(hits("randomised", &r, None), "abstract");
    assert!(
        hits("interviews", &r, None),
        "second section of the abstract"
    );
    assert!(hits("care", &r, None), "keyword");
    assert!(
        !hits("Ratcliffe", &r, None),
        "authors are not searched bare"
    );
    assert!(!hits("BMJ", &r, None), "nor the journal");
    assert!(!hits("Background", &r, None), "nor section labels");
}

#[test]
fn terms_are_case_insensitive_whole_words_with_star_as_any_letters() {
    let r = record("Effects in RATS and a rationale", "", None);
    assert!(hits("title:rats", &r, None));
    assert!(!hits("title:rat", &r, None), "whole words");
    assert!(hits("title:rat*", &r, None));
    assert!(!hits("title:ration", &r, None));
    assert!(
        hits("title:ration*", &r, None),
        "`*` also ends a longer word"
    );
    assert!(hits("title:r*e", &r, None), "rationale");
    assert!(!hits("title:e*x", &r, None));
}

#[test]
fn phrases_match_whatever_the_spacing_but_not_across_list_items() {
    let r = record(
        "A focus\n   group study",
        "Two focus groups were held.",
        None,
    );
    assert!(hits("\"focus group\"", &r, None), "title, spacing aside");
    assert!(hits("abstract:\"focus group*\"", &r, None));
    assert!(
        !hits("abstract:\"focus group\"", &r, None),
        "groups ≠ group"
    );
    assert!(
        !hits("keywords:\"focus groups\"", &r, None),
        "the keywords `focus` and `groups` are two values"
    );
    assert!(hits("keywords:\"primary  care\"", &r, None));
}

#[test]
fn clauses_are_and_ed_and_minus_negates() {
    let r = record("Effects in rats", "In general practice.", Some(2010));
    assert!(hits("rats practice", &r, None));
    assert!(!hits("rats mice", &r, None));
    assert!(hits("rats -mice", &r, None));
    assert!(!hits("-rats", &r, None));
    assert!(hits("-\"general hospital\"", &r, None));
    assert!(
        hits("  rats   -title:mice  ", &r, None),
        "spaces around clauses"
    );
}

#[test]
fn field_clauses_look_in_their_field_only() {
    let r = record("Effects in rats", "In general practice.", Some(2010));
    assert!(hits("authors:ratcliffe", &r, None));
    assert!(hits("authors:\"bo li\"", &r, None));
    assert!(!hits("title:ratcliffe", &r, None));
    assert!(hits("journal:bmj", &r, None));
    assert!(hits("journal:\"bmj open\"", &r, None));
    assert!(!hits("abstract:rats", &r, None));
    assert!(hits("Title:RATS", &r, None), "field names ignore case");
    assert!(
        hits("file:pubmed.nbib", &r, None),
        "any of the study's files"
    );
    assert!(
        hits("file:scopus", &r, None),
        "a folder is a word of the path"
    );
    assert!(hits("file:*.ris", &r, None));
    assert!(!hits("file:embase", &r, None));
}

#[test]
fn years_exact_compared_and_ranged() {
    let r = |y| record("T", "", Some(y));
    assert!(hits("year:2010", &r(2010), None));
    assert!(!hits("year:2010", &r(2011), None));
    assert!(hits("year:<2000", &r(1999), None));
    assert!(!hits("year:<2000", &r(2000), None));
    assert!(hits("year:<=2000", &r(2000), None));
    assert!(!hits("year:<=2000", &r(2001), None));
    assert!(hits("year:>2015", &r(2016), None));
    assert!(!hits("year:>2015", &r(2015), None));
    assert!(hits("year:>=2015", &r(2015), None));
    assert!(!hits("year:>=2015", &r(2014), None));
    for (y, inside) in [
        (1999, false),
        (2000, true),
        (2005, true),
        (2010, true),
        (2011, false),
    ] {
        assert_eq!(hits("year:2000..2010", &r(y), None), inside, "{y}");
    }
    assert!(hits("year:2000..", &r(2024), None));
    assert!(!hits("year:2000..", &r(1999), None));
    assert!(hits("year:..2000", &r(1990), None));
    assert!(hits("year:2010..2010", &r(2010), None));
    let undated = record("T", "", None);
    assert!(
        !hits("year:<3000", &undated, None),
        "no year: no year clause holds"
    );
    assert!(hits("-year:<3000", &undated, None), "so its negation does");
}

#[test]
fn status_reason_theme_and_note_are_the_reviewers_own() {
    let r = record("T", "", None);
    let excluded = decision(
        Some(Status::Exclude),
        &["not primary care"],
        &["digital and IT"],
        "animal study\nsee full text",
    );
    let themes_only = decision(None, &[], &["equity"], "");
    assert!(hits("status:undecided", &r, None));
    assert!(
        hits("status:undecided", &r, Some(&themes_only)),
        "no verdict yet"
    );
    assert!(!hits("status:undecided", &r, Some(&excluded)));
    assert!(hits("status:exclude", &r, Some(&excluded)));
    assert!(hits("status:Excluded", &r, Some(&excluded)));
    assert!(!hits("status:include", &r, Some(&excluded)));
    assert!(hits("-status:include", &r, None));
    assert!(hits("reason:\"primary care\"", &r, Some(&excluded)));
    assert!(!hits("reason:primary", &r, None));
    assert!(hits("theme:digital", &r, Some(&excluded)));
    assert!(hits("theme:equity", &r, Some(&themes_only)));
    assert!(
        hits("note:\"animal study see\"", &r, Some(&excluded)),
        "across the line break"
    );
    assert!(hits("note:*", &r, Some(&excluded)), "`*` alone: has a note");
    assert!(!hits("note:*", &r, Some(&themes_only)));
    assert!(hits("-note:*", &r, None));
    assert!(hits("-reason:*", &r, Some(&themes_only)));
}

#[test]
fn errors_say_where_and_what_was_expected() {
    let e = error("rat* titel:mice");
    assert_eq!((e.column, e.found.as_str()), (6, "`titel:`"));
    assert!(
        e.expected
            .starts_with("a field (title, abstract, authors, journal, keywords, year, file,"),
        "{e}"
    );
    assert_eq!(
        error("title: rats").to_string(),
        "query column 7: expected a term after `title:`, found a space"
    );
    assert_eq!(
        error("-title:").to_string(),
        "query column 8: expected a term after `title:`, found the end of the query"
    );
    assert_eq!(
        error("rats - mice").to_string(),
        "query column 7: expected a term after `-`, found a space"
    );
    assert_eq!(
        error("abstract:\"focus group").to_string(),
        "query column 10: expected a closing `\"` for this phrase, found the end of the query"
    );
    assert_eq!(
        error("\"focus group\"s").to_string(),
        "query column 14: expected a space or the end of the query, found `s`"
    );
    assert_eq!(
        error("rat\"s\"").to_string(),
        "query column 4: expected a space or the end of the query, found `\"`"
    );
    assert_eq!(
        error("   ").to_string(),
        "query column 4: expected a clause (a term, a `field:term`, or `*` for every study), \
         found the end of the query"
    );
    let e = error("status:rejected");
    assert_eq!((e.column, e.found.as_str()), (8, "`rejected`"));
    assert_eq!(e.expected, "undecided, include, exclude or maybe");
    let e = error("\"!?\"");
    assert_eq!((e.column, e.found.as_str()), (1, "`!?`"));
    assert_eq!(error("note:\"\"").found, "an empty phrase");
}

#[test]
fn year_errors_point_at_the_bad_part() {
    let expected = "a year (2010), a comparison (<2000, >=2015) or a range (2000..2010)";
    for (query, column, found) in [
        ("year:nineties", 6, "`nineties`"),
        ("year:<abc", 7, "`abc`"),
        ("year:>=", 8, "nothing"),
        ("year:2000..20x0", 12, "`20x0`"),
        ("year:..", 6, "`..`"),
        ("year:99999", 6, "`99999`"),
        ("rats year:-2000", 11, "`-2000`"),
    ] {
        let e = error(query);
        assert_eq!(
            (e.column, e.expected.as_str(), e.found.as_str()),
            (column, expected, found),
            "{query}"
        );
    }
    assert_eq!(
        error("year:2010..2000").to_string(),
        "query column 6: expected the earlier year first (2000..2010), found `2010..2000`"
    );
}
