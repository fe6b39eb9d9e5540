use jiff::Timestamp;
use proptest::prelude::*;

use super::*;

fn table(counts: &[&[usize]]) -> Table {
    let categories = (0..counts.len()).map(|i| format!("c{i}")).collect();
    Table::new(categories, counts.iter().map(|r| r.to_vec()).collect()).unwrap()
}

fn decision(status: Option<Status>, reasons: &[&str], themes: &[&str]) -> Decision {
    Decision {
        status,
        reasons: reasons.iter().map(|s| s.to_string()).collect(),
        themes: themes.iter().map(|s| s.to_string()).collect(),
        note: String::new(),
        title: String::new(),
        decided_at: Timestamp::UNIX_EPOCH,
    }
}

/// Two reviewers' decisions from `(study, first's decision, second's decision)`.
fn reviewers(rows: Vec<(&str, Option<Decision>, Option<Decision>)>) -> (Decisions, Decisions) {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    for (id, da, db) in rows {
        if let Some(d) = da {
            a.insert(RecordId::new(id), d);
        }
        if let Some(d) = db {
            b.insert(RecordId::new(id), d);
        }
    }
    (Decisions::from_entries(a), Decisions::from_entries(b))
}

/// `count` studies, numbered from `*next`, on which the reviewers said `a` and `b`.
fn same(
    next: &mut usize,
    count: usize,
    a: Status,
    b: Status,
) -> Vec<(String, Option<Decision>, Option<Decision>)> {
    (0..count)
        .map(|_| {
            *next += 1;
            (
                format!("s{next}"),
                Some(decision(Some(a), &[], &[])),
                Some(decision(Some(b), &[], &[])),
            )
        })
        .collect()
}

fn ids(rows: &[(String, Option<Decision>, Option<Decision>)]) -> Vec<Study> {
    rows.iter()
        .map(|(id, _, _)| Study::from(RecordId::new(id.as_str())))
        .collect()
}

fn run(rows: &[(String, Option<Decision>, Option<Decision>)], scheme: Scheme) -> PairAgreement {
    let (a, b) = reviewers(
        rows.iter()
            .map(|(id, x, y)| (id.as_str(), x.clone(), y.clone()))
            .collect(),
    );
    compare(("ann", &a), ("bob", &b), &ids(rows), scheme)
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-12
}

use Status::{Exclude, Include, Maybe};
use std::collections::BTreeMap;

// Published worked examples.

#[test]
fn sim_and_wright_2005_table_1() {
    // Sim J, Wright CC. The kappa statistic in reliability studies: use, interpretation, and
    // sample size requirements. Phys Ther 2005;85(3):257–268, Table 1 (relevance of lateral
    // shift, 2 clinicians, 39 patients): 22 both "relevant", 11 both "not relevant", 2 and 4
    // disagreements; κ printed as .67.
    let t = table(&[&[22, 2], &[4, 11]]);
    let k = t.kappa().unwrap();
    assert_eq!(format!("{:.2}", k.kappa), "0.67");
    // By hand: p_o = 33/39; p_e = (24·26 + 15·13)/39² = 819/1521;
    // κ = (33·39 − 819)/(1521 − 819) = 468/702 = 2/3; PABAK = 2·33/39 − 1 = 27/39.
    assert!(close(k.kappa, 2.0 / 3.0));
    assert!(close(t.pabak().unwrap(), 27.0 / 39.0));
}

#[test]
fn sim_and_wright_2005_table_3() {
    // Sim & Wright 2005, Table 3 (three diagnostic categories, 102 patients); κ printed as .46.
    // By hand: p_o = 66/102, p_e = (34·30 + 44·42 + 24·30)/102² = 3588/10404,
    // κ = (66·102 − 3588)/(10404 − 3588) = 3144/6816 = 0.4613.
    let k = table(&[&[22, 10, 2], &[6, 27, 11], &[2, 5, 17]])
        .kappa()
        .unwrap();
    assert_eq!(format!("{:.2}", k.kappa), "0.46");
    assert!(close(k.kappa, 3144.0 / 6816.0));
}

#[test]
fn cohens_three_category_example() {
    // Cohen J. Weighted kappa. Psychol Bull 1968;70(4):213–220, Table 1 (proportions of 200
    // items, as transcribed in the R psych package's cohen.kappa examples): rows .44 .07 .09 /
    // .05 .20 .05 / .01 .03 .06. p_o = .70, p_c = .60·.50 + .30·.30 + .10·.20 = .41, κ = .492.
    let t = table(&[&[88, 14, 18], &[10, 40, 10], &[2, 6, 12]]);
    assert!(close(t.observed().unwrap(), 0.70));
    assert!(close(t.expected().unwrap(), 0.41));
    assert_eq!(format!("{:.3}", t.kappa().unwrap().kappa), "0.492");
}

#[test]
fn sas_proc_freq_printout_quoted_by_statsmodels() {
    // SAS PROC FREQ AGREE output for the table [[0,4,1],[0,8,0],[0,1,5]], quoted in
    // statsmodels/statsmodels, statsmodels/stats/tests/test_inter_rater.py (TestUnweightedCohens):
    // Kappa 0.4842, ASE 0.1380, 95% limits 0.2137 and 0.7547. SAS's ASE is the
    // Fleiss–Cohen–Everitt standard error, so this checks the SE and the interval.
    let k = table(&[&[0, 4, 1], &[0, 8, 0], &[0, 1, 5]])
        .kappa()
        .unwrap();
    let printed = |x: f64| format!("{x:.4}");
    assert_eq!(printed(k.kappa), "0.4842");
    assert_eq!(printed(k.se), "0.1380");
    assert_eq!(
        (printed(k.ci[0]), printed(k.ci[1])),
        ("0.2137".into(), "0.7547".into())
    );
}

#[test]
fn sas_proc_freq_skin_condition_example() {
    // SAS/STAT User's Guide, PROC FREQ, Getting Started: "Agreement Study" (two dermatologists,
    // 88 patients, terrible/poor/marginal/clear). Simple kappa 0.3449, ASE 0.0724, 95% limits
    // 0.2030 and 0.4868. (The table was checked against the guide's text; the printed figures
    // are as recalled from its output, written down before running this code.)
    let k = table(&[
        &[10, 4, 1, 0],
        &[5, 10, 12, 2],
        &[2, 4, 12, 5],
        &[0, 2, 6, 13],
    ])
    .kappa()
    .unwrap();
    let printed = |x: f64| format!("{x:.4}");
    assert_eq!(printed(k.kappa), "0.3449");
    assert_eq!(printed(k.se), "0.0724");
    assert_eq!(
        (printed(k.ci[0]), printed(k.ci[1])),
        ("0.2030".into(), "0.4868".into())
    );
}

// Hand-computed cases, through the decisions.

#[test]
fn two_categories_by_hand_with_undecided_studies_left_out() {
    let mut next = 0;
    let mut rows = same(&mut next, 3, Include, Include);
    rows.extend(same(&mut next, 5, Exclude, Exclude));
    rows.extend(same(&mut next, 1, Include, Exclude));
    rows.extend(same(&mut next, 1, Exclude, Include));
    // Not both screened: one undecided by bob, one with only a theme from ann, one untouched.
    rows.push(("u1".into(), Some(decision(Some(Include), &[], &[])), None));
    rows.push((
        "u2".into(),
        Some(decision(None, &[], &["t"])),
        Some(decision(Some(Exclude), &[], &[])),
    ));
    rows.push(("u3".into(), None, None));
    let r = run(&rows, Scheme::MaybeAsInclude);
    assert_eq!((r.studies, r.screened, r.n), (13, [11, 11], 10));
    assert_eq!(r.table.counts, vec![vec![3, 1], vec![1, 5]]);
    // p_o = 8/10; margins (.4, .6) for both, p_e = .16 + .36 = .52; κ = .28/.48 = 7/12.
    assert!(close(r.percent_agreement.unwrap(), 80.0));
    assert!(close(r.expected_agreement.unwrap(), 0.52));
    assert!(close(r.kappa.unwrap(), 7.0 / 12.0));
    // SE (Fleiss–Cohen–Everitt), 1 − κ = 5/12:
    //   A = .3·(1 − .8·5/12)² + .5·(1 − 1.2·5/12)² = .3·4/9 + .5·1/4 = 31/120
    //   B = (5/12)²·[.1·(.4 + .6)² + .1·(.6 + .4)²] = 25/144·.2 = 5/144
    //   C = (7/12 − .52·5/12)² = (11/30)² = 121/900
    //   A + B − C = (930 + 125 − 484)/3600 = 571/3600; var = 571/3600 / (10·.48²) = 571/8294.4
    let se = (571.0f64 / 8294.4).sqrt();
    assert!(close(r.kappa_se.unwrap(), se));
    // 7/12 ± 1.96·0.2624 = [0.069, 1.098]: the upper limit is clipped to 1.
    let ci = r.kappa_ci.unwrap();
    assert!(close(ci[0], 7.0 / 12.0 - Z_95 * se));
    assert_eq!(ci[1], 1.0);
    // PABAK = 2·.8 − 1.
    assert!(close(r.pabak.unwrap(), 0.6));
}

/// Twelve studies: both include 2, both exclude 6, both maybe 1, and one each of
/// include/maybe, maybe/exclude and exclude/include.
fn with_maybes() -> Vec<(String, Option<Decision>, Option<Decision>)> {
    let mut next = 0;
    let mut rows = same(&mut next, 2, Include, Include);
    rows.extend(same(&mut next, 6, Exclude, Exclude));
    rows.extend(same(&mut next, 1, Maybe, Maybe));
    rows.extend(same(&mut next, 1, Include, Maybe));
    rows.extend(same(&mut next, 1, Maybe, Exclude));
    rows.extend(same(&mut next, 1, Exclude, Include));
    rows
}

#[test]
fn three_categories_by_hand() {
    let r = run(&with_maybes(), Scheme::ThreeWay);
    assert_eq!(r.table.categories, ["include", "exclude", "maybe"]);
    assert_eq!(
        r.table.counts,
        vec![vec![2, 0, 1], vec![1, 6, 0], vec![0, 1, 1]]
    );
    // p_o = 9/12; margins ann (3, 7, 2), bob (3, 7, 2): p_e = (9 + 49 + 4)/144 = 62/144;
    // κ = (108 − 62)/(144 − 62) = 46/82; PABAK = (3·9/12 − 1)/2 = 0.625.
    assert!(close(r.percent_agreement.unwrap(), 75.0));
    assert!(close(r.kappa.unwrap(), 46.0 / 82.0));
    assert!(close(r.pabak.unwrap(), 0.625));
}

#[test]
fn maybe_folded_into_include_by_hand() {
    let r = run(&with_maybes(), Scheme::MaybeAsInclude);
    assert_eq!(r.table.categories, ["include_or_maybe", "exclude"]);
    // include/include 2, maybe/maybe 1, include/maybe 1 agree as "not excluded".
    assert_eq!(r.table.counts, vec![vec![4, 1], vec![1, 6]]);
    // p_o = 10/12; margins (5, 7) both: p_e = 74/144; κ = (120 − 74)/(144 − 74) = 46/70;
    // PABAK = 2·10/12 − 1 = 2/3.
    assert!(close(r.kappa.unwrap(), 46.0 / 70.0));
    assert!(close(r.pabak.unwrap(), 2.0 / 3.0));
}

#[test]
fn reasons_over_studies_both_excluded_and_themes_over_studies_both_tagged() {
    let ex = |reasons: &[&str], themes: &[&str]| Some(decision(Some(Exclude), reasons, themes));
    let rows: Vec<(String, Option<Decision>, Option<Decision>)> = vec![
        (
            "1".into(),
            ex(&["population"], &[]),
            ex(&["population"], &[]),
        ),
        (
            "2".into(),
            ex(&["population"], &[]),
            ex(&["population", "design"], &[]),
        ),
        (
            "3".into(),
            ex(&["population", "design"], &[]),
            ex(&["population"], &[]),
        ),
        ("4".into(), ex(&["population"], &[]), ex(&["design"], &[])),
        // Excluded by ann only: its reasons are not compared.
        (
            "5".into(),
            ex(&["language"], &[]),
            Some(decision(Some(Include), &[], &[])),
        ),
        // Themes: tagged by both (one without a status), by one only.
        (
            "6".into(),
            Some(decision(Some(Include), &[], &["equity", "cost"])),
            Some(decision(None, &[], &["equity"])),
        ),
        (
            "7".into(),
            Some(decision(Some(Include), &[], &["cost"])),
            Some(decision(Some(Include), &[], &["equity"])),
        ),
        (
            "8".into(),
            Some(decision(Some(Include), &[], &["cost"])),
            Some(decision(Some(Include), &[], &[])),
        ),
    ];
    let r = run(&rows, Scheme::ThreeWay);
    let label = |l: &LabelAgreement| (l.label.clone(), l.first, l.second, l.both);
    assert_eq!(r.reasons.studies, 4);
    assert_eq!(
        r.reasons.labels.iter().map(label).collect::<Vec<_>>(),
        [("design".into(), 1, 2, 0), ("population".into(), 4, 3, 3)]
    );
    // design: 2·0/(1 + 2) = 0; population: 2·3/(4 + 3) = 6/7.
    assert!(close(r.reasons.labels[0].positive_agreement, 0.0));
    assert!(close(r.reasons.labels[1].positive_agreement, 6.0 / 7.0));
    assert_eq!(r.themes.studies, 2);
    assert_eq!(
        r.themes.labels.iter().map(label).collect::<Vec<_>>(),
        [("cost".into(), 2, 0, 0), ("equity".into(), 1, 2, 1)]
    );
    // equity: 2·1/(1 + 2) = 2/3.
    assert!(close(r.themes.labels[1].positive_agreement, 2.0 / 3.0));
}

// Edge cases.

#[test]
fn no_study_screened_by_both_leaves_every_statistic_undefined() {
    let rows = vec![
        (
            "a".to_string(),
            Some(decision(Some(Include), &[], &[])),
            None,
        ),
        (
            "b".to_string(),
            None,
            Some(decision(Some(Exclude), &[], &[])),
        ),
    ];
    let r = run(&rows, Scheme::ThreeWay);
    assert_eq!((r.n, r.screened), (0, [1, 1]));
    assert_eq!(
        (r.percent_agreement, r.kappa, r.kappa_ci, r.pabak),
        (None, None, None, None)
    );
    assert_eq!(r.kappa_undefined, Some(KappaUndefined::NoStudies));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["kappa"], serde_json::Value::Null);
    assert_eq!(
        json["kappa_undefined"],
        "no study was screened by both reviewers"
    );
}

#[test]
fn one_category_only_has_no_kappa_but_full_agreement() {
    let mut next = 0;
    let rows = same(&mut next, 4, Exclude, Exclude);
    let r = run(&rows, Scheme::ThreeWay);
    assert_eq!(
        r.kappa_undefined,
        Some(KappaUndefined::OneCategory {
            category: "exclude".into()
        })
    );
    assert_eq!((r.kappa, r.kappa_se, r.kappa_ci), (None, None, None));
    assert!(close(r.percent_agreement.unwrap(), 100.0));
    assert!(close(r.pabak.unwrap(), 1.0));
    // Include and maybe are one category once maybe is folded in.
    let mut next = 0;
    let mut rows = same(&mut next, 2, Include, Maybe);
    rows.extend(same(&mut next, 1, Maybe, Include));
    let r = run(&rows, Scheme::MaybeAsInclude);
    assert_eq!(
        r.kappa_undefined.map(|u| u.to_string()),
        Some(
            "both reviewers put every study in `include_or_maybe`, so agreement expected by \
             chance is 1 and kappa is 0/0"
                .to_string()
        )
    );
}

#[test]
fn perfect_agreement_has_kappa_one_and_a_degenerate_interval() {
    // p_o = 1, κ = 1: A = Σ p_ii = 1, B = 0, C = (1 − 0)² = 1, so SE = 0.
    let mut next = 0;
    let mut rows = same(&mut next, 3, Include, Include);
    rows.extend(same(&mut next, 2, Exclude, Exclude));
    rows.extend(same(&mut next, 1, Maybe, Maybe));
    let r = run(&rows, Scheme::ThreeWay);
    assert_eq!(
        (r.kappa, r.kappa_se, r.kappa_ci, r.pabak),
        (Some(1.0), Some(0.0), Some([1.0, 1.0]), Some(1.0))
    );
}

#[test]
fn complete_disagreement_with_one_category_each_has_kappa_zero() {
    // ann includes everything, bob excludes everything: p_o = 0, p_e = 1·0 + 0·1 = 0, κ = 0.
    let mut next = 0;
    let rows = same(&mut next, 3, Include, Exclude);
    let r = run(&rows, Scheme::MaybeAsInclude);
    assert_eq!(r.kappa, Some(0.0));
    assert_eq!(r.pabak, Some(-1.0));
}

#[test]
fn a_decision_under_a_duplicate_record_counts_for_its_study() {
    let (a, b) = reviewers(vec![
        ("10.1/x", Some(decision(Some(Exclude), &[], &[])), None),
        ("hash", None, Some(decision(Some(Exclude), &[], &[]))),
    ]);
    let study = Study {
        id: RecordId::new("10.1/x"),
        members: vec![RecordId::new("10.1/x"), RecordId::new("hash")],
    };
    let r = compare(("ann", &a), ("bob", &b), &[study], Scheme::ThreeWay);
    assert_eq!(r.n, 1);
}

#[test]
fn all_pairs_in_list_order_with_the_reported_keys() {
    let rows = with_maybes();
    let (a, b) = reviewers(
        rows.iter()
            .map(|(id, x, y)| (id.as_str(), x.clone(), y.clone()))
            .collect(),
    );
    let list = vec![
        ("ann".to_string(), a.clone()),
        ("bob".to_string(), b),
        ("cat".to_string(), a),
    ];
    let pairs = all_pairs(&list, &ids(&rows), Scheme::ThreeWay);
    let names: Vec<[String; 2]> = pairs.iter().map(|p| p.reviewers.clone()).collect();
    assert_eq!(
        names,
        [["ann", "bob"], ["ann", "cat"], ["bob", "cat"]].map(|p| p.map(String::from))
    );
    assert_eq!(pairs[1].kappa, Some(1.0), "ann against her own copy");
    let json = serde_json::to_value(&pairs[0]).unwrap();
    for key in [
        "reviewers",
        "n",
        "percent_agreement",
        "kappa",
        "kappa_ci",
        "pabak",
        "table",
        "reasons",
        "themes",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(json["scheme"], "three_way");
    assert_eq!(json["table"]["counts"][0], serde_json::json!([2, 0, 1]));
}

#[test]
fn tables_must_be_square() {
    let two = || vec!["a".to_string(), "b".to_string()];
    assert_eq!(
        Table::new(two(), vec![vec![1, 2]]),
        Err(TableError::Rows {
            rows: 1,
            categories: 2
        })
    );
    assert_eq!(
        Table::new(two(), vec![vec![1, 2], vec![3]]),
        Err(TableError::Cells {
            row: 1,
            len: 1,
            categories: 2
        })
    );
}

// Properties.

fn status() -> impl Strategy<Value = Option<Status>> {
    prop_oneof![
        Just(None),
        Just(Some(Include)),
        Just(Some(Exclude)),
        Just(Some(Maybe)),
    ]
}

fn labels() -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(vec!["p", "q", "r"], 0..=3)
        .prop_map(|v| v.into_iter().map(String::from).collect())
}

fn side() -> impl Strategy<Value = Option<Decision>> {
    (status(), labels(), labels()).prop_map(|(s, mut reasons, themes)| {
        if s != Some(Exclude) {
            reasons.clear();
        }
        let d = decision(s, &[], &[]);
        let d = Decision {
            reasons,
            themes,
            ..d
        };
        (!d.is_empty()).then_some(d)
    })
}

fn studies() -> impl Strategy<Value = Vec<(String, Option<Decision>, Option<Decision>)>> {
    proptest::collection::vec((side(), side()), 0..60).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (a, b))| (format!("s{i}"), a, b))
            .collect()
    })
}

fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![Just(Scheme::ThreeWay), Just(Scheme::MaybeAsInclude)]
}

fn same_number(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => close(x, y),
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #[test]
    fn kappa_is_at_most_one_and_inside_its_interval(rows in studies(), scheme in scheme()) {
        let r = run(&rows, scheme);
        if let (Some(k), Some([lo, hi])) = (r.kappa, r.kappa_ci) {
            prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&k), "kappa {k}");
            prop_assert!(lo <= k + 1e-12 && k <= hi + 1e-12, "{lo} {k} {hi}");
            prop_assert!((-1.0..=1.0).contains(&lo) && (-1.0..=1.0).contains(&hi));
            prop_assert!(r.kappa_se.is_some_and(|se| se >= 0.0 && se.is_finite()));
        } else {
            prop_assert!(r.kappa_undefined.is_some());
        }
    }

    #[test]
    fn pabak_follows_percent_agreement(rows in studies(), scheme in scheme()) {
        let r = run(&rows, scheme);
        let k = scheme.categories().len() as f64;
        match (r.percent_agreement, r.pabak) {
            (Some(pct), Some(pabak)) => {
                let p_o = pct / 100.0;
                prop_assert!(close(pabak, (k * p_o - 1.0) / (k - 1.0)));
                prop_assert!(pabak <= 1.0 + 1e-12 && pabak >= -1.0 / (k - 1.0) - 1e-12);
                prop_assert_eq!(close(pabak, 1.0), close(pct, 100.0));
            }
            (None, None) => prop_assert_eq!(r.n, 0),
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn swapping_the_reviewers_changes_nothing(rows in studies(), scheme in scheme()) {
        let forward = run(&rows, scheme).swapped();
        let swapped: Vec<_> = rows.iter().map(|(i, a, b)| (i.clone(), b.clone(), a.clone())).collect();
        let mut back = run(&swapped, scheme);
        back.reviewers = forward.reviewers.clone();
        prop_assert_eq!(
            (&back.table, &back.reasons.studies, &back.themes.studies, back.n, back.screened),
            (&forward.table, &forward.reasons.studies, &forward.themes.studies, forward.n, forward.screened)
        );
        prop_assert_eq!(&back.kappa_undefined, &forward.kappa_undefined);
        for (x, y) in [
            (back.percent_agreement, forward.percent_agreement),
            (back.expected_agreement, forward.expected_agreement),
            (back.kappa, forward.kappa),
            (back.kappa_se, forward.kappa_se),
            (back.kappa_ci.map(|c| c[0]), forward.kappa_ci.map(|c| c[0])),
            (back.kappa_ci.map(|c| c[1]), forward.kappa_ci.map(|c| c[1])),
            (back.pabak, forward.pabak),
        ] {
            prop_assert!(same_number(x, y), "{:?} vs {:?}", x, y);
        }
        for (x, y) in back.reasons.labels.iter().chain(&back.themes.labels)
            .zip(forward.reasons.labels.iter().chain(&forward.themes.labels))
        {
            prop_assert_eq!((&x.label, x.first, x.second, x.both), (&y.label, y.first, y.second, y.both));
            prop_assert!(close(x.positive_agreement, y.positive_agreement));
        }
    }
}
