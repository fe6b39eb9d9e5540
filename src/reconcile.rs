//! Where reviewers disagree, and how the team settles it: the studies two or more reviewers
//! decided differently (and, optionally, those they excluded for different reasons or tagged
//! with different themes), each with every reviewer's decision and the consensus so far.
//! The consensus is kept in `screening/consensus.toml`, in the same format as a reviewer's file.

use std::collections::BTreeSet;

use crate::decisions::{Decision, Decisions, Status};
use crate::dedup::Clusters;
use crate::record::{Record, RecordId};
use crate::team::ReviewerFile;

/// What counts as a disagreement besides different decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Strictness {
    /// Reviewers who all excluded a study but for different reasons disagree.
    pub reasons: bool,
    /// Reviewers who tagged a study with different themes disagree.
    pub themes: bool,
}

/// How reviewers differ on a study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// Different decisions (include, exclude, maybe).
    Decision,
    /// All excluded, for different reasons.
    Reasons,
    /// Different themes.
    Themes,
}

/// A study the team must settle.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// The study's index in the clusters.
    pub cluster: usize,
    /// The id its decisions are stored under.
    pub id: RecordId,
    /// The ids of all its records (a decision may be stored under any).
    pub members: Vec<RecordId>,
    /// Each reviewer's decision, in the order of the reviewers given.
    pub decisions: Vec<Option<Decision>>,
    /// How they differ.
    pub differences: Vec<Difference>,
}

/// The studies where reviewers disagree, in corpus order. A study only one reviewer decided is
/// not a disagreement (it is not yet double-screened).
pub fn disagreements(
    records: &[Record],
    clusters: &Clusters,
    reviewers: &[ReviewerFile],
    strictness: Strictness,
) -> Vec<Disagreement> {
    let mut found = Vec::new();
    for (index, cluster) in clusters.clusters.iter().enumerate() {
        let members: Vec<RecordId> = cluster
            .members
            .iter()
            .map(|&i| records[i].id.clone())
            .collect();
        let decisions: Vec<Option<Decision>> = reviewers
            .iter()
            .map(|r| r.decisions.for_study(&cluster.id, members.iter()).cloned())
            .collect();
        let differences = differences(&decisions, strictness);
        if !differences.is_empty() {
            found.push(Disagreement {
                cluster: index,
                id: cluster.id.clone(),
                members,
                decisions,
                differences,
            });
        }
    }
    found
}

fn differences(decisions: &[Option<Decision>], strictness: Strictness) -> Vec<Difference> {
    let decided: Vec<&Decision> = decisions
        .iter()
        .flatten()
        .filter(|d| d.status.is_some())
        .collect();
    let mut found = Vec::new();
    if decided.len() < 2 {
        return found;
    }
    let statuses: BTreeSet<Option<Status>> = decided.iter().map(|d| d.status).collect();
    if statuses.len() > 1 {
        found.push(Difference::Decision);
    } else if strictness.reasons && statuses.contains(&Some(Status::Exclude)) {
        let sets: BTreeSet<BTreeSet<&String>> =
            decided.iter().map(|d| d.reasons.iter().collect()).collect();
        if sets.len() > 1 {
            found.push(Difference::Reasons);
        }
    }
    if strictness.themes {
        let sets: BTreeSet<BTreeSet<&String>> =
            decided.iter().map(|d| d.themes.iter().collect()).collect();
        if sets.len() > 1 {
            found.push(Difference::Themes);
        }
    }
    found
}

/// The consensus decision on a disagreement, if the team settled it.
pub fn settled<'a>(consensus: &'a Decisions, item: &'a Disagreement) -> Option<&'a Decision> {
    consensus
        .for_study(&item.id, item.members.iter())
        .filter(|d| d.status.is_some())
}

/// The reasons the reviewers who excluded a study gave, each once, in the order first given:
/// what a consensus exclusion starts from.
pub fn pooled_reasons(item: &Disagreement) -> Vec<String> {
    let mut reasons: Vec<String> = Vec::new();
    for decision in item.decisions.iter().flatten() {
        if decision.status == Some(Status::Exclude) {
            for reason in &decision.reasons {
                if !reasons.contains(reason) {
                    reasons.push(reason.clone());
                }
            }
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::{self, Overrides};
    use crate::record::Record;

    fn records(n: usize) -> Vec<Record> {
        (0..n)
            .map(|i| Record {
                id: RecordId::new(format!("r{i}")),
                title: format!(
                    "Study {i}: {}",
                    ["alpha", "beta", "gamma", "delta", "epsilon"][i]
                ),
                source: crate::record::Source {
                    file: "f.ris".into(),
                    index: i,
                    line: 1,
                    span: 0..0,
                },
                ..Record::default()
            })
            .collect()
    }

    fn reviewer(name: &str, entries: &[(usize, Status, &[&str])]) -> ReviewerFile {
        let mut decisions = Decisions::default();
        let at: jiff::Timestamp = "2026-11-24T10:00:00Z".parse().unwrap();
        for (i, status, reasons) in entries {
            let id = RecordId::new(format!("r{i}"));
            decisions.set_status(&id, "t", Some(*status), at);
            if *status == Status::Exclude {
                let reasons = reasons.iter().map(|r| r.to_string()).collect();
                decisions.exclude_for(&id, "t", reasons, at);
            }
        }
        ReviewerFile {
            name: name.into(),
            path: format!("{name}.toml").into(),
            decisions,
        }
    }

    #[test]
    fn different_decisions_disagree_and_single_screened_studies_do_not() {
        use Status::*;
        let records = records(5);
        let clusters = dedup::find(&records, &Overrides::default());
        let team = [
            reviewer(
                "Ann",
                &[
                    (0, Include, &[]),
                    (1, Exclude, &["a"]),
                    (2, Exclude, &["a"]),
                    (3, Maybe, &[]),
                ],
            ),
            reviewer(
                "Bo",
                &[
                    (0, Include, &[]),
                    (1, Include, &[]),
                    (2, Exclude, &["b"]),
                    (4, Exclude, &[]),
                ],
            ),
        ];
        let plain = disagreements(&records, &clusters, &team, Strictness::default());
        let ids: Vec<&str> = plain.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["r1"],
            "r0 agreed, r2 both excluded, r3 and r4 screened once"
        );
        assert_eq!(plain[0].differences, [Difference::Decision]);
        assert_eq!(
            plain[0].decisions[1].as_ref().unwrap().status,
            Some(Include)
        );

        let strict = Strictness {
            reasons: true,
            themes: false,
        };
        let ids: Vec<String> = disagreements(&records, &clusters, &team, strict)
            .iter()
            .map(|d| d.id.to_string())
            .collect();
        assert_eq!(ids, ["r1", "r2"]);
    }

    #[test]
    fn pooled_reasons_come_from_the_excluders_only() {
        use Status::*;
        let records = records(1);
        let clusters = dedup::find(&records, &Overrides::default());
        let team = [
            reviewer("Ann", &[(0, Exclude, &["b", "a"])]),
            reviewer("Bo", &[(0, Include, &[])]),
            reviewer("Cy", &[(0, Exclude, &["a", "c"])]),
        ];
        let found = disagreements(&records, &clusters, &team, Strictness::default());
        assert_eq!(pooled_reasons(&found[0]), ["b", "a", "c"]);
    }
}
