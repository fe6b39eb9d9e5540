//! Every expected value here is worked out by hand from the texts and records written in the
//! test: line numbers by counting the lines of the file text, scores as 1 − edits / longer
//! normalised title (strsim's normalised Levenshtein).

use super::reattach::normalise;
use super::*;
use crate::decisions::Status;
use crate::decisions::file::{from_toml, to_toml};
use crate::dedup::Cluster;
use crate::record::Source;

const PEER: &str = "Influences of peer facilitation in general practice";
const SOCIAL: &str =
    "Delivering a primary care-based social prescribing initiative: a qualitative study";
const GROUP: &str =
    "Experience of implementing and delivering group consultations in UK general practice";

fn record(id: &str, title: &str) -> Record {
    Record {
        id: RecordId::new(id),
        title: title.to_string(),
        source: Source {
            file: "corpus.ris".to_string(),
            index: 0,
            line: 1,
            span: 0..0,
        },
        ..Record::default()
    }
}

/// hpeer, hsocial, and one study found twice: 10.1/group (its id) and hgroup.
fn corpus() -> (Vec<Record>, Clusters) {
    let records = vec![
        record("hpeer", PEER),
        record("hsocial", SOCIAL),
        record("10.1/group", GROUP),
        record("hgroup", GROUP),
    ];
    let clusters = studies(&records, &[&[0], &[1], &[2, 3]]);
    (records, clusters)
}

/// Clusters as given (each group's first record is its representative), so the tests do not
/// depend on duplicate detection's rules.
fn studies(records: &[Record], groups: &[&[usize]]) -> Clusters {
    let mut of_record = vec![0; records.len()];
    let clusters = groups
        .iter()
        .enumerate()
        .map(|(c, members)| {
            for &m in *members {
                of_record[m] = c;
            }
            Box::new(Cluster {
                id: records[members[0]].id.clone(),
                members: members.to_vec(),
                links: vec![],
            })
        })
        .collect();
    Clusters {
        clusters,
        of_record,
    }
}

fn review() -> Review {
    Review {
        reasons: vec!["not qualitative".into(), "no abstract".into()],
        themes: vec!["facilitation".into(), "team working".into()],
        ..Review::default()
    }
}

/// A file whose entries start on line 3.
fn text(entries: &str) -> String {
    format!("format = 1\nreviewer = \"Ann\"\n{entries}")
}

fn check(records: &[Record], clusters: &Clusters, text: &str) -> (Decisions, Vec<Problem>) {
    let path = Path::new("ann.toml");
    let (_, decisions) = from_toml(path, text).unwrap();
    let file = DecisionsFile {
        path,
        text,
        decisions: &decisions,
    };
    let problems = validate(records, clusters, &review(), &file);
    (decisions, problems)
}

fn lines(problems: &[Problem]) -> Vec<usize> {
    problems.iter().map(|p| p.line).collect()
}

#[test]
fn titles_are_compared_as_lower_case_words() {
    assert_eq!(
        normalise("Influences of peer facilitation in general practice - a qualitative study."),
        "influences of peer facilitation in general practice a qualitative study"
    );
    assert_eq!(
        normalise("[Sinnott 2020] To identify…"),
        "sinnott 2020 to identify"
    );
    assert_eq!(normalise("  —  "), "");
}

#[test]
fn an_orphan_with_a_typo_is_re_attached_with_its_duplicate_corrections() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[records.hgone]\n",                                                // 3
        "title = \"Influences of peer facilitaton in general practice\"\n", // 4
        "status = \"include\"\n",                                           // 5
        "themes = [\"facilitation\"]\n",                                    // 6
        "decided = 2026-11-24T10:00:00Z\n",                                 // 7
        "[duplicates.different]\n",                                         // 8
        "hgone = [\"hsocial\"]\n",                                          // 9
    ));
    let (mut decisions, problems) = check(&records, &clusters, &text);
    assert_eq!(lines(&problems), [3, 9]);
    // "facilitaton" misses one letter: 1 edit in 51 characters.
    let ProblemKind::Orphan {
        reattach: Reattach::Proposed(candidate),
        ..
    } = &problems[0].kind
    else {
        panic!("{problems:?}");
    };
    assert_eq!(
        (candidate.study.as_str(), candidate.record.as_str()),
        ("hpeer", "hpeer")
    );
    assert!((candidate.score - (1.0 - 1.0 / 51.0)).abs() < 1e-12);
    assert_eq!(
        problems[0].to_string(),
        "ann.toml:3: record \"hgone\" is not in the corpus (title \"Influences of peer \
         facilitaton in general practice\"); looks like \"Influences of peer facilitation in \
         general practice\" (hpeer, 0.98): --fix re-attaches it"
    );
    assert_eq!(
        problems[1].to_string(),
        "ann.toml:9: [duplicates.different] names record \"hgone\", which is not in the corpus"
    );
    assert!(problems[0].fixable() && !problems[1].fixable());

    let before = decisions.get(&RecordId::new("hgone")).cloned().unwrap();
    let fixed = fix(&records, &clusters, &mut decisions, &problems);
    assert_eq!(
        fixed,
        [Fixed::Reattached {
            from: RecordId::new("hgone"),
            to: RecordId::new("hpeer"),
            title: PEER.to_string(),
        }]
    );
    assert_eq!(decisions.len(), 1);
    let moved = decisions.get(&RecordId::new("hpeer")).unwrap();
    assert_eq!(moved.title, PEER, "the record's title now");
    assert_eq!(
        (moved.status, &moved.themes, moved.decided_at),
        (Some(Status::Include), &before.themes, before.decided_at),
        "the decision itself unchanged"
    );
    assert_eq!(
        decisions.duplicates().different.iter().collect::<Vec<_>>(),
        [&(RecordId::new("hpeer"), RecordId::new("hsocial"))]
    );
    let (_, again) = check(&records, &clusters, &to_toml("Ann", &decisions));
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn an_orphan_unlike_every_title_or_without_one_stays() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[records.hx]\n",                                             // 3
        "title = \"A randomised trial of exercise for back pain\"\n", // 4
        "status = \"exclude\"\n",                                     // 5
        "decided = 2026-11-24T10:00:00Z\n",                           // 6
        "[records.hy]\n",                                             // 7
        "title = \"\"\n",                                             // 8
        "note = \"hand-written\"\n",                                  // 9
        "decided = 2026-11-24T10:00:00Z\n",                           // 10
        "[records.hz]\n",                                             // 11
        // `peer` → `nurse`: 5 edits in 52 characters, 0.904, under the threshold.
        "title = \"Influences of nurse facilitation in general practice\"\n", // 12
        "status = \"maybe\"\n",                                               // 13
        "decided = 2026-11-24T10:00:00Z\n",                                   // 14
    ));
    let (mut decisions, problems) = check(&records, &clusters, &text);
    assert_eq!(lines(&problems), [3, 7, 11]);
    for problem in &problems {
        assert!(
            matches!(
                problem.kind,
                ProblemKind::Orphan {
                    reattach: Reattach::NoMatch,
                    ..
                }
            ),
            "{problem:?}"
        );
    }
    assert!(problems[0].to_string().ends_with(
        "(title \"A randomised trial of exercise for back pain\"); no record has a title close \
         enough to re-attach it"
    ));
    let before = decisions.clone();
    assert!(fix(&records, &clusters, &mut decisions, &problems).is_empty());
    assert_eq!(decisions, before);
}

#[test]
fn two_studies_about_as_close_are_left_to_the_reviewer() {
    let mut records = corpus().0;
    records.push(record("hpeers", &format!("{PEER}s")));
    let clusters = studies(&records, &[&[0], &[1], &[2, 3], &[4]]);
    let text = text(concat!(
        "[records.hgone]\n",
        "title = \"Influences of peer facilitation in general practice!\"\n",
        "status = \"include\"\n",
        "decided = 2026-11-24T10:00:00Z\n",
    ));
    let (_, problems) = check(&records, &clusters, &text);
    // Exactly hpeer's title (1.0), and one letter short of hpeers' (1 − 1/52 ≈ 0.981): 0.019
    // apart, under the margin.
    let ProblemKind::Orphan {
        reattach: Reattach::Ambiguous { best, runner_up },
        ..
    } = &problems[0].kind
    else {
        panic!("{problems:?}");
    };
    assert_eq!((best.study.as_str(), best.score), ("hpeer", 1.0));
    assert_eq!(runner_up.study.as_str(), "hpeers");
    assert!(problems[0].to_string().ends_with(
        "as close to \"Influences of peer facilitation in general practice\" (hpeer, 1.00) as to \
         \"Influences of peer facilitation in general practices\" (hpeers, 0.98): re-attach it by \
         hand"
    ));
    assert!(!problems[0].fixable());
}

#[test]
fn a_match_already_decided_or_claimed_twice_is_not_proposed() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[records.hgone1]\n",                                                // 3
        "title = \"Influences of peer facilitaton in general practice\"\n",  // 4
        "status = \"include\"\n",                                            // 5
        "decided = 2026-11-24T10:00:00Z\n",                                  // 6
        "[records.hgone2]\n",                                                // 7
        "title = \"Influences of peer facilitation in general practise\"\n", // 8
        "status = \"exclude\"\n",                                            // 9
        "decided = 2026-11-24T10:00:00Z\n",                                  // 10
        "[records.hgroup]\n",                                                // 11
        "title = \"x\"\n",                                                   // 12
        "status = \"include\"\n",                                            // 13
        "decided = 2026-11-24T10:00:00Z\n",                                  // 14
        "[records.hold]\n",                                                  // 15
        "title = \"Experience of implementing and delivering group consultation in UK general practice\"\n",
        "status = \"maybe\"\n",
        "decided = 2026-11-24T10:00:00Z\n",
    ));
    let (mut decisions, problems) = check(&records, &clusters, &text);
    let kinds: Vec<String> = problems
        .iter()
        .map(|p| match &p.kind {
            ProblemKind::Orphan { id, reattach, .. } => match reattach {
                Reattach::Contested { candidate, other } => {
                    format!("{id} contests {} with {other}", candidate.study)
                }
                Reattach::Taken(c) => format!("{id} finds {} taken", c.study),
                other => format!("{id} {other:?}"),
            },
            ProblemKind::UnderDuplicateMember { id, study, .. } => format!("{id} under {study}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "hgone1 contests hpeer with hgone2",
            "hgone2 contests hpeer with hgone1",
            "hgroup under 10.1/group",
            // The study's decision is under its duplicate hgroup: still taken.
            "hold finds 10.1/group taken",
        ]
    );
    assert_eq!(lines(&problems), [3, 7, 11, 15]);
    // "consultation" misses its "s": 1 edit in 84 characters, 0.988.
    assert!(
        problems[3].to_string().ends_with(
            "\"Experience of implementing and delivering group consultations in UK general \
             practice\" (10.1/group, 0.99), which already has a decision in this file: merge \
             them by hand"
        ),
        "{}",
        problems[3]
    );
    let fixed = fix(&records, &clusters, &mut decisions, &problems);
    assert_eq!(
        fixed,
        [Fixed::Gathered {
            member: RecordId::new("hgroup"),
            study: RecordId::new("10.1/group"),
        }],
        "only the duplicate is fixed"
    );
}

#[test]
fn decisions_under_a_duplicate_are_gathered_under_the_study_keeping_the_later() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[records.\"10.1/group\"]\n",        // 3
        "title = \"g\"\n",                   // 4
        "status = \"exclude\"\n",            // 5
        "reasons = [\"not qualitative\"]\n", // 6
        "decided = 2026-11-24T10:00:00Z\n",  // 7
        "[records.hgroup]\n",                // 8
        "title = \"g\"\n",                   // 9
        "status = \"include\"\n",            // 10
        "decided = 2026-11-24T11:00:00Z\n",  // 11
    ));
    let (mut decisions, problems) = check(&records, &clusters, &text);
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "ann.toml:8: record \"hgroup\" is a duplicate in study \"10.1/group\": --fix files its \
          decision under the study (which has one too; the later is kept)"
        ]
    );
    let fixed = fix(&records, &clusters, &mut decisions, &problems);
    assert_eq!(fixed.len(), 1);
    assert_eq!(decisions.len(), 1);
    assert_eq!(
        decisions.status(&RecordId::new("10.1/group")),
        Some(Status::Include),
        "11:00 is later than 10:00"
    );
}

#[test]
fn unknown_reasons_and_themes_are_located_and_left_alone() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[records.hpeer]\n",                                    // 3
        "title = \"p\"\n",                                      // 4
        "status = \"exclude\"\n",                               // 5
        "reasons = [\"not qualitative\", \"wrong country\"]\n", // 6
        "themes = [\"Team working\", \"facilitation\"]\n",      // 7
        "decided = 2026-11-24T10:00:00Z\n",                     // 8
        "\n",                                                   // 9
        "[records.\"hsocial\"]\n",                              // 10
        "title = \"s\"\n",                                      // 11
        "themes = [\"equity\"]\n",                              // 12
        "decided = 2026-11-24T10:00:00Z\n",                     // 13
    ));
    let (mut decisions, problems) = check(&records, &clusters, &text);
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "ann.toml:3: record \"hpeer\": exclusion reason \"wrong country\" is not in review.toml",
            // Case counts: the protocol says "team working".
            "ann.toml:3: record \"hpeer\": theme \"Team working\" is not in review.toml",
            "ann.toml:10: record \"hsocial\": theme \"equity\" is not in review.toml",
        ]
    );
    let before = decisions.clone();
    assert!(fix(&records, &clusters, &mut decisions, &problems).is_empty());
    assert_eq!(decisions, before);
}

#[test]
fn duplicate_corrections_naming_unknown_records_are_located() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[duplicates.same]\n",      // 3
        "hpeer = [\"hzz\"]\n",      // 4
        "\n",                       // 5
        "[duplicates.different]\n", // 6
        "haa = [\n",                // 7
        "    \"hpeer\",\n",         // 8
        "    \"hsocial\",\n",       // 9
        "    \"hzz\",\n",           // 10
        "]\n",                      // 11
    ));
    let (_, problems) = check(&records, &clusters, &text);
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "ann.toml:4: [duplicates.same] names record \"hzz\", which is not in the corpus",
            "ann.toml:7: [duplicates.different] names record \"haa\", which is not in the corpus",
            "ann.toml:10: [duplicates.different] names record \"hzz\", which is not in the corpus",
        ]
    );
}

#[test]
fn a_file_in_order_has_no_problems() {
    let (records, clusters) = corpus();
    let text = text(concat!(
        "[records.\"10.1/group\"]\n",
        "title = \"g\"\n",
        "status = \"exclude\"\n",
        "reasons = [\"no abstract\"]\n",
        "themes = [\"team working\"]\n",
        "decided = 2026-11-24T10:00:00Z\n",
        "[duplicates.different]\n",
        "hpeer = [\"hsocial\"]\n",
    ));
    assert!(check(&records, &clusters, &text).1.is_empty());
}

#[test]
fn the_character_count_bound_never_understates_a_similarity() {
    use super::reattach::similarity_bound;
    // (a, b, bound, exact): exact = 1 − edits / longer length, edits counted by hand.
    let cases = [
        ("abc", "abd", 1.0 - 1.0 / 3.0, 1.0 - 1.0 / 3.0),
        // kitten → sitting: 3 edits; surpluses {k, e} and {s, i, g}.
        ("kitten", "sitting", 1.0 - 3.0 / 7.0, 1.0 - 3.0 / 7.0),
        // An anagram: the same characters, 2 edits.
        ("ab", "ba", 1.0, 0.0),
    ];
    for (a, b, bound, exact) in cases {
        let got = similarity_bound(a, b);
        assert!((got - bound).abs() < 1e-12, "{a} {b}: {got}");
        assert!((strsim::normalized_levenshtein(a, b) - exact).abs() < 1e-12);
        assert!(got >= exact);
    }
}
