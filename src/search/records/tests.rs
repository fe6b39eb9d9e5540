//! Tests of the record search: what matches, how it ranks, and that the shortcuts taken
//! for speed give what scoring every field of every word gives.

use proptest::prelude::*;

use super::bound::may_reach;
use super::*;
use crate::record::{RecordId, Section, Source};

/// The cues of `records`, keyed by position.
fn table_of(records: &[Record]) -> CueTable {
    let keys: Vec<usize> = (0..records.len()).collect();
    CueTable::new(&keys, |key| &records[key])
}

fn record(title: &str, author: &str, year: u16, abstract_text: &str) -> Record {
    Record {
        id: RecordId::new("x"),
        title: title.into(),
        authors: vec![author.into()],
        year: Some(year),
        journal: Some("British Journal of General Practice".into()),
        volume: None,
        issue: None,
        pages: None,
        doi: None,
        keywords: vec!["social prescribing".into()],
        sections: vec![Section {
            label: None,
            text: abstract_text.into(),
        }]
        .into(),
        extra: Default::default(),
        source: Source {
            file: "a.ris".into(),
            index: 0,
            line: 1,
            span: 0..0,
        },
    }
}

#[test]
fn every_word_must_match_somewhere() {
    let r = record(
        "Group consultations in general practice",
        "Swaithes L",
        2021,
        "Telephone interviews with GPs.",
    );
    let q = |text: &str| Query::new(text).and_then(|q| q.score(&r));
    assert!(q("grp cons").is_some(), "fuzzy on the title");
    assert!(q("swaithes 2021").is_some(), "author and year");
    assert!(q("telephone").is_some(), "a word of the abstract");
    assert!(
        q("general practice journal").is_some(),
        "the journal, fuzzily"
    );
    assert!(q("prescribing").is_some(), "a keyword");
    assert!(
        q("consultations zebra").is_none(),
        "a word matching nowhere"
    );
    assert!(
        q("tlphn").is_none(),
        "the abstract is searched for the word itself"
    );
    assert!(Query::new("   ").is_none());
}

#[test]
fn title_matches_rank_above_abstract_matches_and_are_located() {
    let in_title = record(
        "Telephone follow-up after discharge",
        "A",
        2020,
        "Nothing here.",
    );
    let in_abstract = record("Follow-up after discharge", "B", 2020, "By telephone.");
    let q = Query::new("telephone").unwrap();
    let (a, b) = (q.score(&in_title).unwrap(), q.score(&in_abstract).unwrap());
    assert!(a.score > b.score, "{} vs {}", a.score, b.score);
    assert_eq!(a.title_positions, (0..9).collect::<Vec<_>>());
    assert!(b.title_positions.is_empty());
}

/// The scoring as it was before the byte prefilter, the fields skipped when another
/// already scores more than they can, and the title positions found apart: every field of
/// every word scored.
fn reference(text: &str, record: &Record) -> Option<Scored> {
    // A new matcher for every call: skim's score of a text as its first call gives it.
    let fresh = || SkimMatcherV2::default().ignore_case();
    let mut total = 0;
    let mut title_positions = Vec::new();
    for word in text.split_whitespace() {
        let in_abstract = RegexBuilder::new(&regex::escape(word))
            .case_insensitive(true)
            .build()
            .unwrap();
        let fuzzy = |text: &str| fresh().fuzzy_match(text, word);
        let title = fuzzy(&record.title)
            .map(|s| (s, fresh().fuzzy_indices(&record.title, word).unwrap().1));
        let people = record.authors.iter().filter_map(|a| fuzzy(a)).max();
        let source = record
            .journal
            .iter()
            .chain(&record.keywords)
            .filter_map(|s| fuzzy(s))
            .max();
        let year = record.year.map(|y| y.to_string()).and_then(|y| {
            if y == word {
                Some(YEAR_SCORE)
            } else {
                y.starts_with(word).then_some(1)
            }
        });
        let abstract_score = record
            .sections
            .iter()
            .any(|s| in_abstract.is_match(&s.text))
            .then_some(ABSTRACT_SCORE);
        let best = [
            title.as_ref().map(|(s, _)| s * TITLE_WEIGHT),
            people.map(|s| s * PEOPLE_WEIGHT),
            source.map(|s| s * SOURCE_WEIGHT),
            year,
            abstract_score,
        ]
        .into_iter()
        .flatten()
        .max();
        total += best.map(|b| b.max(1))?;
        if let Some((_, positions)) = title {
            title_positions.extend(positions);
        }
    }
    title_positions.sort_unstable();
    title_positions.dedup();
    Some(Scored {
        score: total,
        title_positions,
    })
}

fn words(max: usize) -> impl Strategy<Value = String> {
    // Letters of both cases, digits, punctuation and non-ASCII letters, so the byte
    // prefilter meets what skim compares with and without case.
    let chars = prop::sample::select(vec![
        'a', 'b', 'c', 'e', 'i', 'n', 's', 't', 'A', 'B', 'E', 'S', 'T', '1', '2', '0', '9', '-',
        '.', ' ', 'é', 'É', 'ß', 'ı', 'İ', 'K',
    ]);
    prop::collection::vec(chars, 0..max).prop_map(|c| c.into_iter().collect())
}

fn any_record() -> impl Strategy<Value = Record> {
    (
        words(40),
        prop::collection::vec(words(12), 0..3),
        prop::option::of(words(20)),
        prop::collection::vec(words(15), 0..3),
        prop::option::of(1990u16..2030),
        prop::collection::vec(words(60), 0..2),
    )
        .prop_map(|(title, authors, journal, keywords, year, sections)| {
            let mut r = record(&title, "", 2000, "");
            r.authors = authors;
            r.journal = journal;
            r.keywords = keywords;
            r.year = year;
            r.sections = sections
                .into_iter()
                .map(|text| Section { label: None, text })
                .collect();
            r
        })
}

proptest! {
    #[test]
    fn scores_and_positions_are_those_of_every_field_scored(
        typed in words(8),
        records in prop::collection::vec(any_record(), 1..20),
    ) {
        let Some(query) = Query::new(&typed) else {
            return Ok(());
        };
        let mut expected = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let want = reference(&typed, r);
            prop_assert_eq!(query.score(r), want.clone(), "{:?} on {:?}", typed, r.title);
            if let Some(want) = want {
                expected.push((i, want.score));
            }
        }
        let candidates: Vec<(usize, &Record)> = records.iter().enumerate().collect();
        prop_assert_eq!(query.matches(&candidates), expected);
    }
}

proptest! {
    #[test]
    fn no_record_scores_above_its_bound(
        typed in words(12),
        records in prop::collection::vec(any_record(), 1..20),
    ) {
        let Some(query) = Query::new(&typed) else {
            return Ok(());
        };
        let table = table_of(&records);
        for (key, r) in records.iter().enumerate() {
            let cues = table.get(key);
            for word in 0..query.word_count() {
                if let Some(score) = query.word_score(word, r) {
                    let bound = query.word_ceiling(word, cues);
                    prop_assert!(score <= bound, "{} > {} for word {} of {:?} on {:?}", score, bound, word, typed, r);
                }
            }
            let bound = query.ceiling_for(cues);
            prop_assert!(bound <= query.ceiling());
            if let Some(score) = query.rank(r) {
                prop_assert!(score <= bound, "{} > {} for {:?} on {:?}", score, bound, typed, r);
            }
        }
    }
}

#[test]
fn titles_starting_with_the_word_reach_its_bound() {
    // Worked by hand from fuzzy-matcher 0.3.7's `build_score_matrix` (see `bound`): the first
    // character scores its match (16, or 14 in the other case) less 1 plus the head bonus
    // doubled in column 1 (16), or single elsewhere (8); each next letter right after a
    // letter adds 16 + 4.
    let skim = |word: &str, text: &str| fresh_skim().fuzzy_match(text, word).unwrap();
    let cases = [
        ("r", "rats", Start::Same, 31),
        ("r", "Rats", Start::OtherCase, 29),
        ("ra", "Rats", Start::OtherCase, 49),
        ("ra", "rats", Start::Same, 51),
        ("ra", "A rat", Start::Other, 43),
        (
            "qualitative",
            "Qualitative interviews",
            Start::OtherCase,
            229,
        ),
        // After a separator, the next character is a head (8): 31 + 8 + 16.
        ("/a", "/a", Start::Same, 55),
        // A capital after a lower-case letter (camel case, 6): 31 + 6 + 16.
        ("aB", "aB", Start::Same, 53),
    ];
    for (word, text, start, score) in cases {
        assert_eq!(
            Start::of(word.chars().next().unwrap(), text.chars().next()),
            start
        );
        assert_eq!(skim(word, text), score, "{word} on {text}");
        assert_eq!(skim_bound(word, start), score, "{word} on {text}");
    }
    // One space between two letters keeps the bound in reach; anything else between them
    // takes it out: "insul" on "Ins ulcers" scores 29 + 20 + 20, then 20 for the "u" (a
    // gap of one, -4, and a head, 8), and 20 for the "l"; on "Inspiring ulcers" the "u"
    // comes after a gap of 7 (-10) and the "l" after it (20): 103, not 109.
    assert_eq!(skim("insul", "Ins ulcers"), 109);
    assert_eq!(skim_bound("insul", Start::OtherCase), 109);
    assert!(may_reach(b"insul", 1, b"Ins ulcers", true));
    assert_eq!(shortfall("insul", b"Ins ulcers", true), 0);
    assert_eq!(skim("insul", "Inspiring ulcers"), 103);
    assert!(!may_reach(b"insul", 1, b"Inspiring ulcers", true));
    // Of the places "insul" could leave the title's start "Ins" for, the "u" of "ulcers"
    // after a gap of 7 into a head (8) costs least: 7 + 7 - 8 = 6 (an "n" or "s" further on
    // costs more), and starting further on costs 29 - 23 = 6 too.
    assert_eq!(shortfall("insul", b"Inspiring ulcers", true), 6);
    let inspiring = record("Inspiring ulcers", "Lee A", 2020, "");
    let query = Query::new("insul").unwrap();
    assert_eq!(
        query.ceiling_for(table_of(std::slice::from_ref(&inspiring)).get(0)),
        3 * 103
    );
    // The head kept ends before the word does: it may still reach it.
    assert!(may_reach(b"insulin", 1, b"Insu", false));
    assert_eq!(shortfall("insulin", b"Insu", false), 0);
    assert!(!may_reach(b"insulin", 1, b"Insu", true));
    // "Influence": the "s" comes after a gap of 11, into "of soc..." (a head): 10 short.
    assert_eq!(shortfall("insuli", b"Influence of soc", false), 10);
    // The bound used before, 32 a character less one, is out of reach past one character:
    // "ra" scores 51 at best, not 63.
    assert!(skim("ra", "ra") < 32 * 2 - 1);

    // A record: "ra" on a capitalised title scores the title's weight times 49, the bound for
    // its title's start; only a title starting with "r" in lower case could score more.
    let rats = record("Rats in a maze", "Lee A", 2020, "");
    let query = Query::new("ra").unwrap();
    assert_eq!(query.rank(&rats), Some(3 * 49));
    assert_eq!(
        query.ceiling_for(table_of(std::slice::from_ref(&rats)).get(0)),
        3 * 49
    );
    assert_eq!(query.ceiling(), 3 * 51);
    // Two words: the second matched inside the title (23 for its first letter, a head).
    let query = Query::new("rats maze").unwrap();
    let maze = 23 + 3 * 20;
    assert_eq!(query.rank(&rats), Some(3 * (29 + 3 * 20) + 3 * maze));
    assert_eq!(
        query.ceiling_for(table_of(std::slice::from_ref(&rats)).get(0)),
        query.rank(&rats).unwrap()
    );
    // A year's score is known from the record's year: "2" is only the start of 2020 (1), so
    // the most "2" can add is what a title could give it, not a whole year's 200; and since
    // no word of the title starts with a "2", not even a head's 23 (point 6 of `bound`): 22.
    let query = Query::new("rats 2").unwrap();
    assert_eq!(query.word_score(1, &rats), Some(1));
    assert_eq!(
        query.word_ceiling(1, table_of(std::slice::from_ref(&rats)).get(0)),
        3 * 22
    );
    let in_2020 = record("Rats in 2020", "Lee A", 2020, "");
    let cues = table_of(std::slice::from_ref(&in_2020));
    assert_eq!(query.word_ceiling(1, cues.get(0)), 3 * 23);
    assert_eq!(query.word_score(1, &in_2020), Some(3 * 23));
    assert_eq!(query.ceiling(), 3 * (31 + 3 * 20) + 200);
}

proptest! {
    #[test]
    fn skim_scores_the_part_kept_as_the_whole_text(
        word in words(6),
        text in words(60),
    ) {
        let folded: Vec<u8> = word.bytes().map(|b| b.to_ascii_lowercase()).collect();
        let part = scored_part(&folded, &text);
        prop_assert_eq!(
            fresh_skim().fuzzy_match(part, &word),
            fresh_skim().fuzzy_match(&text, &word),
            "{:?} in {:?}, part {:?}", word, text, part
        );
    }
}

#[test]
fn the_part_kept_runs_from_before_the_first_letter_to_the_last() {
    let part = |word: &str, text| scored_part(word.as_bytes(), text);
    // The first r is trial's, the last t rats'.
    assert_eq!(part("rat", "A trial of rats, randomised"), "trial of rat");
    assert_eq!(part("rat", "Rats"), "Rat");
    assert_eq!(part("rat", "é rat"), " rat");
    assert_eq!(part("rat", "éRat"), "éRat");
    assert_eq!(
        part("ré", "A rét"),
        "A rét",
        "a non-ASCII end keeps the text"
    );
}

#[test]
fn a_records_score_does_not_depend_on_the_record_scored_before() {
    // Found by the comparison above: skim's `fuzzy_indices` scored the second title 41
    // after the first and 39 alone, so the title's score came to depend on the order
    // records were scored in (a full scan and an incremental one disagreed).
    let (first, second) = (
        record("aaaaaaaaaasa1Saaaaaaaaaaaaaaaaaa", "", 2000, ""),
        record("taaaaaaSaaaaaaaaaaaaSSaaaaaa", "", 2000, ""),
    );
    let alone = Query::new("sS").unwrap().rank(&second);
    let query = Query::new("sS").unwrap();
    query.rank(&first);
    assert_eq!(query.rank(&second), alone);
    assert_eq!(
        alone,
        Some(39 * TITLE_WEIGHT),
        "skim's fuzzy_match on its own"
    );
}

#[test]
fn a_words_score_does_not_depend_on_the_field_scored_before() {
    // Found by the engine's comparison with a full scan (search/engine/tests.rs): a reused
    // skim matcher scored "ssi" on the author 63 after scoring "9" on the title, and 59 on
    // its own, so "9 ssi" scored this record 195 in a full scan and 187 continued from "9".
    let mut r = record("aaa 9saaaaa", "aaaaSsiaa", 2000, "");
    r.year = None;
    r.journal = None;
    r.keywords.clear();
    let alone = |text: &str, field: &str| {
        SkimMatcherV2::default()
            .ignore_case()
            .fuzzy_match(field, text)
            .unwrap()
    };
    // The reused matcher's two answers, for the record.
    let reused = SkimMatcherV2::default().ignore_case();
    reused.fuzzy_match("aaa 9saaaaa", "9");
    assert_eq!(reused.fuzzy_match("aaaaSsiaa", "ssi"), Some(63));
    assert_eq!(alone("ssi", "aaaaSsiaa"), 59);
    // "9" in the title (x3; its ceiling of 31 x2 rules the author out), "ssi" in the author
    // (x2; the title lacks the letters): each as skim scores it on its own.
    let expected = 3 * alone("9", "aaa 9saaaaa") + 2 * 59;
    let query = Query::new("9 ssi").unwrap();
    assert_eq!(query.rank(&r), Some(expected));
}

#[test]
fn matches_split_over_threads_keep_the_candidates_order() {
    let records: Vec<Record> = (0..5_000)
        .map(|i| {
            let title = if i % 3 == 0 {
                "Insulin pumps"
            } else {
                "Glucose"
            };
            record(title, "Lee A", 2015, "")
        })
        .collect();
    let candidates: Vec<(usize, &Record)> = records.iter().enumerate().collect();
    let found = Query::new("insulin").unwrap().matches(&candidates);
    let keys: Vec<usize> = found.iter().map(|&(i, _)| i).collect();
    assert_eq!(keys, (0..5_000).step_by(3).collect::<Vec<_>>());
}

#[test]
fn a_longer_query_narrows_the_previous_one() {
    let q = |t: &str| Query::new(t).unwrap();
    assert!(q("tele").narrows(&q("tel")));
    assert!(q("tel gp").narrows(&q("tel")));
    assert!(q("tel gps").narrows(&q("tel gp")));
    assert!(!q("tal").narrows(&q("tel")));
    assert!(!q("gp tel").narrows(&q("tel")));
}

#[test]
fn a_growing_word_only_ever_drops_matches() {
    // The cases a benchmark run found: skim scores "insuli" at or below zero on a title
    // it scores "insulin" well on; and a year typed digit by digit.
    let records = [
        record(
            "Insulin pumps in adolescents",
            "Smith J",
            2019,
            "We interviewed teenagers.",
        ),
        record(
            "Blood glucose monitoring at home",
            "Lee A",
            2015,
            "A survey of parents.",
        ),
    ];
    for full in ["insulin", "2019", "insulin 2019", "pumps adol"] {
        for end in 1..=full.len() {
            let (prefix, whole) = (&full[..end], Query::new(full).unwrap());
            let Some(shorter) = Query::new(prefix) else {
                continue;
            };
            for r in &records {
                if whole.score(r).is_some() {
                    assert!(
                        shorter.score(r).is_some(),
                        "{full:?} matches {:?} but its prefix {prefix:?} does not",
                        r.title
                    );
                }
            }
        }
    }
    assert!(Query::new("insuli").unwrap().score(&records[0]).is_some());
    assert!(Query::new("201").unwrap().score(&records[0]).is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]
    #[test]
    fn a_grown_word_scores_no_more_than_its_earlier_score_allows(
        earlier in words(6),
        added in words(4),
        records in prop::collection::vec(any_record(), 1..10),
    ) {
        let (Some(short), Some(long)) = (Query::new(&earlier), Query::new(&format!("{earlier}{added}"))) else {
            return Ok(());
        };
        // One word each, the second extending the first.
        if short.word_count() != 1 || long.word_count() != 1 || short.words().eq(long.words()) {
            return Ok(());
        }
        let table = table_of(&records);
        for (key, r) in records.iter().enumerate() {
            let Some(score) = long.word_score(0, r) else {
                continue;
            };
            // A grown word matches only where the shorter one did.
            let before = short.word_score(0, r).unwrap();
            let earlier = short.words().next().unwrap();
            let bound = long.grown_ceiling(0, earlier, before, table.get(key));
            prop_assert!(
                score <= bound,
                "{} > {} for {:?} after {:?} ({}) on {:?}", score, bound, long, short, before, r
            );
        }
    }
}

#[test]
fn a_year_typed_on_is_bounded_afresh() {
    // "201" is only the start of 2019 (1); "2019" is the year itself (200), far more than
    // any title's step could add.
    let r = record("Insulin pumps", "Smith J", 2019, "");
    let (short, long) = (Query::new("201").unwrap(), Query::new("2019").unwrap());
    assert_eq!(short.word_score(0, &r), Some(1));
    assert_eq!(long.word_score(0, &r), Some(200));
    let table = table_of(std::slice::from_ref(&r));
    assert_eq!(long.grown_ceiling(0, "201", 1, table.get(0)), 200);
    // A word of letters grows by a step of 20 a letter on the title's weight at most.
    let (short, long) = (Query::new("pum").unwrap(), Query::new("pump").unwrap());
    let before = short.word_score(0, &r).unwrap();
    assert_eq!(
        long.grown_ceiling(0, "pum", before, table.get(0)),
        before + 3 * 20
    );
    assert!(long.word_score(0, &r).unwrap() <= before + 3 * 20);
}
