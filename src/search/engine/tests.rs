//! The engine's results against a scan of every candidate, as a query is typed, erased and
//! typed again.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;

use super::*;
use crate::record::{RecordId, Section, Source};

fn record(title: &str, authors: &[&str], year: Option<u16>, abstract_text: &str) -> Record {
    Record {
        id: RecordId::new(title),
        title: title.into(),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        year,
        journal: None,
        volume: None,
        issue: None,
        pages: None,
        doi: None,
        keywords: Vec::new(),
        sections: vec![Section {
            label: None,
            text: abstract_text.into(),
        }]
        .into(),
        extra: Default::default(),
        source: Source::default(),
    }
}

/// What a full scan of every candidate gives: `Query::matches` over the haystack.
fn scanned(text: &str, haystack: &Haystack) -> Option<Vec<(usize, i64)>> {
    let query = Query::new(text)?;
    let candidates: Vec<(usize, &Record)> = haystack
        .candidates
        .iter()
        .map(|&k| (k, haystack.records.record(k)))
        .collect();
    Some(query.matches(&candidates))
}

fn never() -> bool {
    false
}

/// A small alphabet, so that typed words often match: letters of both cases, digits, a space.
fn text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'a', 'b', 'e', 'i', 'n', 's', 't', 'A', 'S', 'T', '1', '2', '0', '9', ' ', '-', 'é',
    ]);
    prop::collection::vec(chars, 0..max).prop_map(|c| c.into_iter().collect())
}

fn any_record() -> impl Strategy<Value = Record> {
    (
        text(30),
        prop::collection::vec(text(10), 0..3),
        prop::option::of(prop::sample::select(vec![1999u16, 2019, 2020, 2021])),
        text(40),
    )
        .prop_map(|(title, authors, year, abstract_text)| {
            let authors: Vec<&str> = authors.iter().map(String::as_str).collect();
            record(&title, &authors, year, &abstract_text)
        })
}

/// What the reviewer does to the query: types a character, erases one, or erases a word.
#[derive(Debug, Clone)]
enum Edit {
    Type(char),
    Backspace,
    EraseWord,
}

impl Edit {
    /// The edit made to the prompt's text, as the prompt makes it.
    fn apply(self, typed: &mut String) {
        match self {
            Edit::Type(c) => typed.push(c),
            Edit::Backspace => {
                typed.pop();
            }
            Edit::EraseWord => {
                let kept = typed.trim_end().rfind(' ').map_or(0, |i| i + 1);
                typed.truncate(kept);
            }
        }
    }
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        6 => prop::sample::select(vec!['a', 'n', 's', 't', 'i', 'e', 'S', '2', '0', '1', '9', ' '])
            .prop_map(Edit::Type),
        1 => Just(Edit::Backspace),
        1 => Just(Edit::EraseWord),
    ];
    prop::collection::vec(edit, 1..30)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_result_is_that_of_a_full_scan(
        records in prop::collection::vec(any_record(), 1..40),
        edits in edits(),
        every_other in any::<bool>(),
    ) {
        let mut haystack = Haystack::all(records);
        if every_other {
            // Candidates that are not every record.
            haystack.candidates = (0..haystack.candidates.len()).step_by(2).collect();
        }
        let mut engine = Engine::default();
        let mut typed = String::new();
        for edit in edits {
            edit.apply(&mut typed);
            let Some(query) = Query::new(&typed) else {
                continue;
            };
            let found = engine.search(query, &haystack, &never);
            let scan = scanned(&typed, &haystack);
            prop_assert_eq!(
                found.as_ref().map(|f| f.scores.clone()),
                scan.clone(),
                "typed {:?}",
                typed
            );
            // Ranked best first, ties by key: as the list sorted them before.
            let mut best = scan.unwrap_or_default();
            best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let best: Vec<usize> = best.into_iter().map(|(k, _)| k).collect();
            prop_assert_eq!(found.map(|f| f.ranked).unwrap_or_default(), best);
        }
    }
}

fn studies() -> Haystack {
    Haystack::all(vec![
        record(
            "Insulin pumps in adolescents",
            &["Smith J"],
            Some(2019),
            "Teenagers.",
        ),
        record(
            "Blood glucose at home",
            &["Lee A"],
            Some(2015),
            "Insulin doses.",
        ),
        record("Smartphone apps for diabetes", &["Smith K"], Some(2019), ""),
        record("Exercise and insulin resistance", &["Ng P"], Some(2021), ""),
    ])
}

#[test]
fn a_growing_query_scores_only_the_previous_results_and_its_new_word() {
    let haystack = studies();
    let mut engine = Engine::default();
    let mut search = |text: &str| {
        engine
            .search(Query::new(text).unwrap(), &haystack, &never)
            .unwrap()
            .scores
            .iter()
            .map(|&(k, _)| k)
            .collect::<Vec<_>>()
    };
    // Insulin: records 0 and 3 by their titles, 1 by its abstract.
    assert_eq!(search("insulin"), [0, 1, 3]);
    // Smith: the authors of 0 and 2; with 2019, both their years; "insulin" narrows to 0.
    assert_eq!(search("insulin smith"), [0]);
    assert_eq!(search("smith"), [0, 2]);
    assert_eq!(search("smith 2019"), [0, 2]);
    assert_eq!(search("smith 2015"), Vec::<usize>::new());
    assert_eq!(search("smith 201"), [0, 2]);
}

#[test]
fn a_search_stopped_midway_gives_nothing_and_the_next_is_whole() {
    let records: Vec<Record> = (0..3 * CHUNK)
        .map(|i| record(&format!("Study {i} of insulin"), &["Lee A"], None, ""))
        .collect();
    let haystack = Haystack::all(records);
    let mut engine = Engine::default();
    let asked = AtomicUsize::new(0);
    // Wanted for the first chunk only.
    let after_one = || asked.fetch_add(1, Ordering::SeqCst) >= 1;
    assert!(
        engine
            .search(Query::new("insulin").unwrap(), &haystack, &after_one)
            .is_none()
    );
    let found = engine
        .search(Query::new("insulin").unwrap(), &haystack, &never)
        .unwrap();
    assert_eq!(found.scores.len(), 3 * CHUNK);
    // And its narrowing continues from it.
    let found = engine
        .search(Query::new("insulin 1").unwrap(), &haystack, &never)
        .unwrap();
    assert_eq!(Some(found.scores), scanned("insulin 1", &haystack));
}

#[test]
fn another_haystack_starts_over() {
    let haystack = studies();
    let mut engine = Engine::default();
    let mut found = |text: &str, haystack: &Haystack| {
        engine
            .search(Query::new(text).unwrap(), haystack, &never)
            .unwrap()
            .scores
            .len()
    };
    assert_eq!(found("smith", &haystack), 2);
    // The same records, only the first two candidates: "smith 2019" must not continue from
    // the results over all four.
    let fewer = Haystack {
        records: Arc::clone(&haystack.records),
        candidates: Arc::from([0, 1]),
    };
    assert_eq!(found("smith 2019", &fewer), 1);
}

/// A record whose title is made of a few words starting with the letters typed, so that
/// typed words often reach their bound on it; or any record.
fn titled_record() -> impl Strategy<Value = Record> {
    let word = prop::sample::select(vec![
        "Sat", "sat", "Saints", "Ant", "ants", "Anti-", "Tin", "in", "Inset", "Nest", "east",
        "2019", "Seats", "Tea",
    ]);
    prop_oneof![
        any_record(),
        (prop::collection::vec(word, 1..5), any_record()).prop_map(|(words, mut r)| {
            r.title = words.join(" ");
            r
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn every_first_screen_is_the_start_of_the_complete_ranking(
        records in prop::collection::vec(titled_record(), 1..60),
        edits in edits(),
        most in 0usize..12,
        rows in 1usize..6,
    ) {
        let haystack = Haystack::all(records);
        let mut engine = Engine::with_budget(Budget { most, share: 1 });
        let mut typed = String::new();
        for edit in edits {
            edit.apply(&mut typed);
            let Some(query) = Query::new(&typed) else {
                continue;
            };
            let query = Arc::new(query);
            let first = engine.first_screen(&query, &haystack, rows, &never);
            let full = engine.search(Arc::clone(&query), &haystack, &never).unwrap();
            if let Some(first) = first {
                let n = rows.min(full.ranked.len());
                prop_assert_eq!(&first.ranked[..], &full.ranked[..n], "typed {:?}", typed);
                for (key, score) in &first.scores {
                    prop_assert!(full.scores.contains(&(*key, *score)), "typed {:?}", typed);
                }
                prop_assert_eq!(first.scores.len(), n);
            }
        }
    }
}

/// `n` records titled "Glucose {i} and brats" (the "r" of "brats" is inside a word), and
/// "Rats in a maze {i}" at the keys of `rats`.
fn rats_among_glucose(n: usize, rats: impl Fn(usize) -> bool) -> Haystack {
    Haystack::all(
        (0..n)
            .map(|i| {
                let title = if rats(i) {
                    format!("Rats in a maze {i}")
                } else {
                    format!("Glucose {i} and brats")
                };
                record(&title, &[], None, "")
            })
            .collect(),
    )
}

/// An engine whose first screens score at most 100 records.
fn hundred() -> Engine {
    Engine::with_budget(Budget {
        most: 100,
        share: 1,
    })
}

#[test]
fn the_first_screen_is_the_best_titles_reaching_their_bound_in_key_order() {
    // "ra" scores 3 x 49 on every "Rats ..." title (its bound for a title starting with "R":
    // records/tests.rs) and less on "... brats" (the "r" inside a word): the best five are
    // the first five rats.
    let haystack = rats_among_glucose(1_000, |i| i % 10 == 3);
    let mut engine = hundred();
    let query = Arc::new(Query::new("ra").unwrap());
    let first = engine.first_screen(&query, &haystack, 5, &never).unwrap();
    assert_eq!(first.ranked, [3, 13, 23, 33, 43]);
    assert!(first.scores.iter().all(|&(_, score)| score == 3 * 49));
    let full = engine.search(query, &haystack, &never).unwrap();
    assert_eq!(full.ranked[..5], first.ranked);
    assert_eq!(full.ranked.len(), 1_000);
}

#[test]
fn no_first_screen_when_too_few_reach_their_bound_within_the_budget() {
    // Three rats first (their bound is the highest), then the others in key order looking for
    // two more as good: none is, and the budget runs out.
    let haystack = rats_among_glucose(1_000, |i| i == 7 || i == 400 || i == 999);
    let mut engine = hundred();
    let query = Arc::new(Query::new("ra").unwrap());
    assert!(engine.first_screen(&query, &haystack, 5, &never).is_none());
    // With three rows, the three rats are the first screen.
    let first = engine.first_screen(&query, &haystack, 3, &never).unwrap();
    assert_eq!(first.ranked, [7, 400, 999]);
    // No more records than the budget: the complete search is as quick, none is looked for.
    let few = rats_among_glucose(100, |i| i % 10 == 3);
    assert!(engine.first_screen(&query, &few, 5, &never).is_none());
    // Nor when nothing but the complete results would do.
    assert!(engine.first_screen(&query, &haystack, 0, &never).is_none());
}

#[test]
fn the_budget_is_a_share_of_the_records_to_search() {
    assert_eq!(screen::BUDGET.of(100_000), 5_000);
    assert_eq!(screen::BUDGET.of(10_000), 1_250);
    // An eighth of 1,000 records: 125 may be scored, and among 1,000 records the 500 rats
    // come first.
    let haystack = rats_among_glucose(1_000, |i| i % 2 == 1);
    let query = Arc::new(Query::new("ra").unwrap());
    let mut engine = Engine::default();
    let first = engine.first_screen(&query, &haystack, 3, &never).unwrap();
    assert_eq!(first.ranked, [1, 3, 5]);
    // Three rats among them: the others are not scored past 125.
    let haystack = rats_among_glucose(1_000, |i| i < 3);
    assert!(engine.first_screen(&query, &haystack, 4, &never).is_none());
}

#[test]
fn a_newer_query_stops_the_first_screen_and_the_search_after_it_is_whole() {
    let haystack = rats_among_glucose(1_000, |i| i % 10 == 3);
    let mut engine = hundred();
    let query = Arc::new(Query::new("ra").unwrap());
    let asked = AtomicUsize::new(0);
    // Wanted while the first two batches are scored (16 and 32 records; it asks before each):
    // 60 rows need a third.
    let after_two = || asked.fetch_add(1, Ordering::SeqCst) >= 2;
    assert!(
        engine
            .first_screen(&query, &haystack, 60, &after_two)
            .is_none()
    );
    assert_eq!(
        asked.load(Ordering::SeqCst),
        3,
        "stopped before the third batch"
    );
    let found = engine.search(query, &haystack, &never).unwrap();
    assert_eq!(found.ranked[..3], [3, 13, 23]);
}

#[test]
fn a_narrowing_query_finds_its_first_screen_with_the_kept_words_scores() {
    let haystack = rats_among_glucose(1_000, |i| i % 10 == 3);
    let mut engine = hundred();
    engine.search(Query::new("ra").unwrap(), &haystack, &never);
    // "rats" narrows "ra": its first screen comes from the kept results (every record
    // matched "ra"), the rats first.
    let query = Arc::new(Query::new("rats").unwrap());
    let first = engine.first_screen(&query, &haystack, 2, &never).unwrap();
    assert_eq!(first.ranked, [3, 13]);
    // The complete results at hand: no first screen is needed.
    engine.search(Arc::clone(&query), &haystack, &never);
    assert!(engine.first_screen(&query, &haystack, 2, &never).is_none());
    // A second word: "rats" keeps its scores (3 x 89 on the rats, less on the others), and
    // "maze" is bounded for titles starting with "R" (3 x 83: its "m" inside the title), which
    // "maze" reaches on every rat.
    let query = Arc::new(Query::new("rats maze").unwrap());
    let first = engine.first_screen(&query, &haystack, 2, &never).unwrap();
    assert_eq!(first.ranked, [3, 13]);
    assert_eq!(first.scores, [(3, 3 * 89 + 3 * 83), (13, 3 * 89 + 3 * 83)]);
}

#[test]
fn a_name_typed_letter_by_letter_gets_first_screens_from_what_its_start_scored() {
    // Titles naming Smith, capitalised, among titles holding its letters scattered (and
    // "sm" at a word's start): "smit" and "smith" score 3 x 81 and 3 x 101 on the first,
    // less than every title's bound from its start alone (3 x 82 and 3 x 102: the "s" at a
    // word's start, in lower case as typed), so only what the shorter word scored before
    // rules the others out (`Query::grown_ceiling`).
    let haystack = Haystack::all(
        (0..1_000)
            .map(|i| {
                let title = if i % 10 == 3 {
                    format!("Commentary on Hancock and Smith {i}")
                } else {
                    format!("Glucose {i}: small smoking in the home")
                };
                record(&title, &[], None, "")
            })
            .collect(),
    );
    let mut engine = hundred();
    for typed in ["s", "sm", "smi"] {
        engine.search(Query::new(typed).unwrap(), &haystack, &never);
    }
    for typed in ["smit", "smith"] {
        let query = Arc::new(Query::new(typed).unwrap());
        let first = engine.first_screen(&query, &haystack, 5, &never);
        let full = engine
            .search(Arc::clone(&query), &haystack, &never)
            .unwrap();
        assert_eq!(full.ranked[..5], [3, 13, 23, 33, 43], "{typed}");
        assert_eq!(
            first.map(|f| f.ranked),
            Some(full.ranked[..5].to_vec()),
            "{typed}"
        );
    }
    // Typed at once, with nothing scored before, "smith" has no first screen within the
    // budget: every title's bound is above what the names score.
    let query = Arc::new(Query::new("smith").unwrap());
    assert!(
        hundred()
            .first_screen(&query, &haystack, 5, &never)
            .is_none()
    );
}
