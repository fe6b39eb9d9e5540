//! Merges, splits and their undos regroup only the studies they touch (the rest moved to new
//! indices): whatever the reviewer does, in any order, sorted and filtered any way, the
//! session must show what grouping the whole corpus again shows.

mod common;

use std::collections::BTreeSet;

use abstriage::dedup::{self, Clusters};
use abstriage::filter::{Filter, StatusFilter};
use abstriage::record::{Record, RecordId};
use abstriage::tui::app::App;
use common::{press, press_ctrl};
use proptest::prelude::*;
use ratatui::layout::Size;

const SIZE: Size = Size {
    width: 100,
    height: 30,
};

/// Two exports of 24 records: the first six of b.ris are a.ris's first six again with their
/// DOI (found twice automatically); years and authors vary so that the sorts differ.
fn write_corpus(dir: &std::path::Path) {
    for (file, range) in [("a.ris", 0..12), ("b.ris", 0..12)] {
        let mut text = String::new();
        for i in range {
            let copy = file == "b.ris" && i < 6;
            let n = if file == "b.ris" && !copy { i + 12 } else { i };
            let doi = if copy || (file == "a.ris" && i < 6) {
                format!("DO  - 10.1000/study{n}\n")
            } else {
                String::new()
            };
            text.push_str(&format!(
                "TY  - JOUR\nTI  - {} study of topic {n}\nAU  - {}, A\nPY  - {}\n{doi}AB  - Abstract {n}.\nER  - \n\n",
                ["Alpha", "beta", "Gamma", "delta"][n % 4],
                ["Young", "Adams", "Moss", "Khan", "Zhou"][n % 5],
                2000 + (n * 7) % 11,
            ));
        }
        std::fs::write(dir.join(file), text).unwrap();
    }
}

#[derive(Debug, Clone)]
enum Op {
    Merge(usize, usize),
    Split(usize, usize),
    Undo,
    Redo,
    Sort,
    Decide(usize, char),
    Filter(usize),
    Search(&'static str),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..24usize, 0..24usize).prop_map(|(a, b)| Op::Merge(a, b)),
        3 => (0..24usize, 1..3usize).prop_map(|(a, k)| Op::Split(a, k)),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
        1 => Just(Op::Sort),
        2 => (0..24usize, prop::sample::select(vec!['i', 'm', ' '])).prop_map(|(a, k)| Op::Decide(a, k)),
        1 => (0..4usize).prop_map(Op::Filter),
        1 => prop::sample::select(vec!["alpha", "topic 1", ""]).prop_map(Op::Search),
    ]
}

/// The filters the test switches between: none, undecided studies, studies found in b.ris,
/// included or maybe.
fn filter(kind: usize) -> Filter {
    let mut filter = Filter::default();
    match kind {
        1 => {
            filter.statuses.insert(StatusFilter::Undecided);
        }
        2 => {
            filter.files.insert("b.ris".to_string());
        }
        3 => {
            filter.statuses.insert(StatusFilter::Included);
            filter.statuses.insert(StatusFilter::Maybe);
        }
        _ => {}
    }
    filter
}

/// Does `op`; returns the study the cursor must be on after a merge: the one merged into.
fn apply(app: &mut App, op: &Op) -> Option<RecordId> {
    let rows = app.rows.len().max(1);
    match *op {
        Op::Merge(a, b) => {
            app.move_to(a % rows);
            press(app, "M");
            app.move_to(b % rows);
            let into = app.current().map(|r| r.id.clone());
            press(app, "M");
            return into.filter(|_| a % rows != b % rows && app.rows.len() > 1);
        }
        Op::Split(a, k) => {
            app.move_to(a % rows);
            press(app, &"D".repeat(k));
            press(app, "U");
        }
        Op::Undo => press(app, "u"),
        Op::Redo => press_ctrl(app, 'r'),
        Op::Sort => press(app, "s"),
        Op::Decide(a, key) => {
            app.move_to(a % rows);
            press(app, &key.to_string());
        }
        Op::Filter(kind) => {
            app.list.filter = filter(kind);
            list_afresh(app);
        }
        Op::Search(text) => {
            press(app, "/");
            // Clear what a kept search left in the prompt.
            press_ctrl(app, 'u');
            press(app, &format!("{text}\n"));
        }
    }
    None
}

/// Lists the studies afresh: a kept search searched again (a filter chosen or a decision
/// made does not search again), else four sorts (the same order again).
fn list_afresh(app: &mut App) {
    match app.list.search.take() {
        Some(hits) => press(app, &format!("/{}\n", hits.query)),
        None => press(app, "ssss"),
    }
}

/// The record shown for each study when the corpus is grouped afresh.
fn expected_study(records: &[Record], clusters: &Clusters, c: usize) -> Record {
    let cluster = &clusters.clusters[c];
    if cluster.is_duplicated() {
        dedup::merged(records, cluster)
    } else {
        records[cluster.representative()].clone()
    }
}

/// Checks the session against the corpus grouped afresh; `listed_afresh`: whether the rows
/// are those of listing the studies afresh (a decision does not list them again, so under a
/// filter of verdicts they are only after a regrouping).
fn check(app: &mut App, after: &Op, listed_afresh: bool) -> Result<(), TestCaseError> {
    let records = app.corpus.records.clone();
    let whole = dedup::find(&records, app.decisions.duplicates());
    prop_assert_eq!(&app.clusters, &whole, "studies after {:?}", after);
    for c in 0..whole.clusters.len() {
        prop_assert_eq!(
            app.study(c),
            &expected_study(&records, &whole, c),
            "study {}",
            c
        );
    }
    let ids: Vec<_> = app.rows.iter().map(|&c| app.study(c).id.clone()).collect();
    prop_assert_eq!(
        app.listed_counts(),
        app.decisions.counts(ids.iter()),
        "counts"
    );
    // No decision is left under a record merged into another study.
    let members: BTreeSet<_> = (whole.duplicated())
        .flat_map(|c| c.members[1..].iter().map(|&m| &records[m].id))
        .collect();
    for (id, _) in app.decisions.iter() {
        prop_assert!(!members.contains(id), "{} left under a member", id);
    }
    // A kept search lists what searching again lists (its results, under the filter).
    if let Some(hits) = app
        .list
        .search
        .clone()
        .filter(|h| !h.partial && listed_afresh)
    {
        let rows = app.rows.clone();
        list_afresh(app);
        prop_assert_eq!(
            &app.rows,
            &rows,
            "rows found by {:?} after {:?}",
            hits.query,
            after
        );
    }
    // The rows are those the list shows when it is listed afresh (the same sort, four
    // times round), with the cursor on the same study: a regrouping places the studies it
    // made as listing them all again would.
    let (rows, study) = (app.rows.clone(), app.current().map(|r| r.id.clone()));
    if app.list.search.is_none() && listed_afresh {
        press(app, "ssss");
        prop_assert_eq!(
            &app.rows,
            &rows,
            "rows after {:?} ({:?})",
            after,
            app.list.sort
        );
        prop_assert_eq!(app.current().map(|r| r.id.clone()), study);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn merges_and_splits_show_what_grouping_everything_again_shows(
        ops in prop::collection::vec(op(), 1..14),
    ) {
        let corpus = tempfile::tempdir().unwrap();
        write_corpus(corpus.path());
        let decisions = tempfile::tempdir().unwrap();
        let mut app = common::app(corpus.path(), decisions.path(), SIZE);
        prop_assert_eq!(app.rows.len(), 18, "six studies found twice");
        for op in &ops {
            let by_verdict = !app.list.filter.statuses.is_empty();
            if by_verdict {
                list_afresh(&mut app);
            }
            let corrections = app.decisions.duplicates().clone();
            let merged_into = apply(&mut app, op);
            if let Some(id) = merged_into {
                // The cursor stays on the study merged into, now holding both.
                let record = app.corpus.records.iter().position(|r| r.id == id).unwrap();
                let study = app.clusters.of_record[record];
                // (Unless a filter of verdicts no longer lets it through.)
                if app.rows.contains(&study) {
                    prop_assert_eq!(app.rows.get(app.cursor), Some(&study), "cursor after {:?}", op);
                }
            }
            let regrouped = *app.decisions.duplicates() != corrections;
            check(&mut app, op, !by_verdict || regrouped)?;
        }
    }
}
