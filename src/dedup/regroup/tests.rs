use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::dedup::{apply, compare::Reason, pair};

fn records(n: usize) -> Arc<[Record]> {
    (0..n)
        .map(|i| Record {
            id: RecordId::new(format!("r{i:02}")),
            ..Record::default()
        })
        .collect()
}

fn automatic(links: &[(usize, usize)], rank: Vec<u8>) -> Automatic {
    Automatic {
        links: (links.iter())
            .map(|&(a, b)| (a.min(b) as u32, a.max(b) as u32, Reason::Title))
            .collect(),
        rank,
    }
}

/// The overrides with `edit` made, regrouped both ways: the whole corpus and only what the
/// change reaches. Checks they agree and that the regrouping says where each study went.
fn check(
    records: &Arc<[Record]>,
    automatic: &Automatic,
    state: &mut (Clusters, Reach, Overrides),
    edit: impl FnOnce(&mut Overrides),
) -> Result<Regrouping, TestCaseError> {
    let index = IdIndex::new(records);
    let (clusters, reach, overrides) = state;
    let before_clusters = clusters.clone();
    let before = overrides.clone();
    edit(overrides);
    let regrouping = regroup(
        clusters, records, automatic, &index, reach, &before, overrides,
    );
    let whole = apply(records, automatic, overrides);
    prop_assert_eq!(&*clusters, &whole);
    let mut kept = vec![false; whole.clusters.len()];
    for (c, cluster) in before_clusters.clusters.iter().enumerate() {
        match regrouping.moved(c) {
            Some(after) => {
                prop_assert_eq!(&whole.clusters[after], cluster, "study {} moved", c);
                kept[after] = true;
            }
            None => prop_assert!(regrouping.removed.contains(cluster), "study {}", c),
        }
    }
    let added: Vec<usize> = (0..kept.len()).filter(|&c| !kept[c]).collect();
    let representatives: Vec<usize> = (before_clusters.clusters.iter())
        .map(|c| c.representative())
        .collect();
    let carried = regrouping.carried(&representatives, |c| whole.clusters[c].representative());
    let now: Vec<usize> = whole.clusters.iter().map(|c| c.representative()).collect();
    prop_assert_eq!(carried, now);
    prop_assert_eq!(&regrouping.added, &added);
    prop_assert_eq!(
        before_clusters.clusters.len() - regrouping.removed.len() + added.len(),
        whole.clusters.len()
    );
    Ok(regrouping)
}

#[derive(Debug, Clone)]
enum Edit {
    Same(usize, usize),
    Different(usize, usize),
    /// Takes back the n-th correction (modulo how many there are).
    TakeBack(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..14usize, 0..14usize).prop_map(|(a, b)| Edit::Same(a, b)),
        2 => (0..14usize, 0..14usize).prop_map(|(a, b)| Edit::Different(a, b)),
        2 => (0..64usize).prop_map(Edit::TakeBack),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Merges, splits and their undos in any order, over any links: regrouping what they
    /// reach gives the studies of grouping everything again.
    #[test]
    fn regrouping_what_a_change_reaches_equals_grouping_everything(
        n in 2..14usize,
        links in prop::collection::vec((0..14usize, 0..14usize), 0..16),
        rank in prop::collection::vec(0..4u8, 14),
        edits in prop::collection::vec(edit(), 1..24),
    ) {
        let records = records(n);
        let links: Vec<(usize, usize)> =
            links.into_iter().filter(|&(a, b)| a < n && b < n && a != b).collect();
        let automatic = automatic(&links, rank[..n].to_vec());
        let index = IdIndex::new(&records);
        let none = Overrides::default();
        let mut state = (
            apply(&records, &automatic, &none),
            Reach::new(n, &automatic, &none, &index),
            none,
        );
        for edit in edits {
            let id = |i: usize| records[i % n].id.clone();
            check(&records, &automatic, &mut state, |o| match edit {
                Edit::Same(a, b) if a % n != b % n => {
                    o.same.insert(pair(&id(a), &id(b)));
                }
                Edit::Different(a, b) if a % n != b % n => {
                    o.different.insert(pair(&id(a), &id(b)));
                }
                Edit::TakeBack(k) => {
                    let all: Vec<_> = o.same.iter().chain(&o.different).cloned().collect();
                    if let Some(p) = all.get(k % all.len().max(1)) {
                        o.same.remove(p);
                        o.different.remove(p);
                    }
                }
                _ => {}
            })?;
        }
    }
}

/// A merge that pushes a record out: record 1 was linked to 0 automatically, the reviewer had
/// split 1 from 2, and now merges 0 with 2. Their pair is joined first, so the link from 0 to
/// 1 would put 1 with 2 and is refused: 1 becomes a study of its own.
#[test]
fn a_merge_can_leave_out_a_record_split_from_the_other_study() {
    let records = records(4);
    let automatic = automatic(&[(0, 1)], vec![3; 4]);
    let index = IdIndex::new(&records);
    let mut overrides = Overrides::default();
    overrides
        .different
        .insert(pair(&records[1].id, &records[2].id));
    let mut state = (
        apply(&records, &automatic, &overrides),
        Reach::new(4, &automatic, &overrides, &index),
        overrides,
    );
    let members = |c: &Clusters| -> Vec<Vec<usize>> {
        c.clusters.iter().map(|c| c.members.clone()).collect()
    };
    assert_eq!(members(&state.0), [vec![0, 1], vec![2], vec![3]]);
    let regrouping = check(&records, &automatic, &mut state, |o| {
        o.same.insert(pair(&records[0].id, &records[2].id));
    })
    .map_err(|e| e.to_string())
    .unwrap();
    assert_eq!(members(&state.0), [vec![0, 2], vec![1], vec![3]]);
    assert_eq!(regrouping.added, [0, 1]);
    assert_eq!(regrouping.moved(2), Some(2), "the study of record 3 stays");
    assert_eq!(regrouping.removed.len(), 2);
}

/// Corrections naming records the corpus does not hold (another reviewer's corpus) change
/// nothing and regroup nothing.
#[test]
fn pairs_of_records_not_in_the_corpus_regroup_nothing() {
    let records = records(3);
    let automatic = automatic(&[(0, 1)], vec![3; 3]);
    let index = IdIndex::new(&records);
    let none = Overrides::default();
    let mut state = (
        apply(&records, &automatic, &none),
        Reach::new(3, &automatic, &none, &index),
        none,
    );
    let regrouping = check(&records, &automatic, &mut state, |o| {
        o.same
            .insert(pair(&RecordId::new("elsewhere"), &records[2].id));
    })
    .map_err(|e| e.to_string())
    .unwrap();
    assert!(regrouping.is_empty());
    assert_eq!(regrouping.moved(1), Some(1));
}
