//! The verdict on every study and the counts over the listed ones, kept in step with the
//! decisions as they change (following [`Decisions::changed_since`]) instead of being looked up
//! again for 100,000 studies on every frame. Verdicts are kept by record, as decisions are
//! stored by record id, so a merge or split only tells each study its representative again.

use std::sync::Arc;

use crate::decisions::{Counts, Decisions, Status};
use crate::record::IdIndex;

/// No study: the record represents none.
const NONE: u32 = u32::MAX;

/// Verdicts by study (cluster index) and their counts over the rows listed.
#[derive(Debug, Default)]
pub(crate) struct Statuses {
    /// The decisions' revision the verdicts are of.
    revision: u64,
    /// The corpus's records by id.
    ids: Arc<IdIndex>,
    /// The verdict stored under each record's id.
    by_record: Vec<Option<Status>>,
    /// Each study's representative record, whose id its decisions are stored under.
    representatives: Vec<u32>,
    /// The study each record represents, or [`NONE`].
    study_of: Vec<u32>,
    /// Whether each study is listed.
    listed: Vec<bool>,
    /// Verdicts over the listed studies.
    counts: Counts,
}

impl Statuses {
    /// The verdicts on the studies with these `representatives`, over the records `ids`
    /// indexes.
    pub(crate) fn new(ids: Arc<IdIndex>, representatives: &[usize], decisions: &Decisions) -> Self {
        let mut statuses = Self {
            by_record: vec![None; ids.len()],
            ids,
            ..Self::default()
        };
        statuses.look_up_all(decisions);
        statuses.regroup(representatives);
        statuses
    }

    /// Whether these verdicts are over the records `ids` indexes.
    pub(crate) fn indexes(&self, ids: &Arc<IdIndex>) -> bool {
        Arc::ptr_eq(&self.ids, ids)
    }

    /// The studies were grouped again, these now their `representatives` (their verdicts are
    /// their records'): none is listed
    /// until [`Statuses::list`].
    pub(crate) fn regroup(&mut self, representatives: &[usize]) {
        // Indices fit in u32: a corpus of four billion records does not fit in memory.
        self.representatives.clear();
        (self.representatives).extend(representatives.iter().map(|&r| r as u32));
        self.study_of.clear();
        self.study_of.resize(self.ids.len(), NONE);
        for (c, &r) in self.representatives.iter().enumerate() {
            self.study_of[r as usize] = c as u32;
        }
        self.listed.clear();
        self.listed.resize(self.representatives.len(), false);
        self.counts = Counts::default();
    }

    /// Every verdict looked up again (decisions replaced, or changed too much to follow).
    fn look_up_all(&mut self, decisions: &Decisions) {
        self.by_record.iter_mut().for_each(|s| *s = None);
        for (id, decision) in decisions.iter() {
            for r in self.ids.all(id) {
                self.by_record[r] = decision.status;
            }
        }
        self.revision = decisions.revision();
        self.count_listed();
    }

    fn count_listed(&mut self) {
        let mut counts = Counts::default();
        for (c, _) in self.listed.iter().enumerate().filter(|(_, l)| **l) {
            add(&mut counts, self.of(c), 1);
        }
        self.counts = counts;
    }

    /// Brings the verdicts up to date with `decisions`: only the studies whose entries changed
    /// are looked up, when the decisions know which.
    pub(crate) fn follow(&mut self, decisions: &Decisions) {
        if decisions.revision() == self.revision {
            return;
        }
        let Some(changed) = decisions.changed_since(self.revision) else {
            self.look_up_all(decisions);
            return;
        };
        for id in changed {
            let status = decisions.status(id);
            for r in self.ids.all(id) {
                let c = self.study_of[r];
                if c != NONE && self.listed[c as usize] {
                    add(&mut self.counts, self.by_record[r], -1);
                    add(&mut self.counts, status, 1);
                }
                self.by_record[r] = status;
            }
        }
        self.revision = decisions.revision();
    }

    /// Lists these studies (the rows) and counts their verdicts.
    pub(crate) fn list(&mut self, rows: &[usize]) {
        self.listed.fill(false);
        // Counted as they are listed: a pass over every study took a third of a merge's
        // time at 100,000 records.
        let mut counts = Counts::default();
        for &c in rows {
            if let Some(listed) = self.listed.get_mut(c).filter(|l| !**l) {
                *listed = true;
                add(&mut counts, self.of(c), 1);
            }
        }
        self.counts = counts;
    }

    /// The verdict on study `c` (as of the last [`Statuses::follow`]).
    pub(crate) fn of(&self, c: usize) -> Option<Status> {
        let r = *self.representatives.get(c)?;
        self.by_record.get(r as usize).copied().flatten()
    }

    /// Verdicts over the listed studies (as of the last [`Statuses::follow`]).
    pub(crate) fn counts(&self) -> Counts {
        self.counts
    }
}

fn add(counts: &mut Counts, status: Option<Status>, n: isize) {
    let slot = match status {
        Some(Status::Include) => &mut counts.include,
        Some(Status::Exclude) => &mut counts.exclude,
        Some(Status::Maybe) => &mut counts.maybe,
        None => {
            counts.total = counts.total.saturating_add_signed(n);
            return;
        }
    };
    *slot = slot.saturating_add_signed(n);
    counts.total = counts.total.saturating_add_signed(n);
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use proptest::prelude::*;

    use super::*;
    use crate::dedup::{Cluster, Clusters};
    use crate::record::{Record, RecordId};

    #[derive(Debug, Clone)]
    enum Op {
        Decide(usize, Option<Status>),
        Restore(usize),
        Replace,
        Gather(usize, usize),
        Follow,
        List(Vec<bool>),
        Regroup,
    }

    fn op() -> impl Strategy<Value = Op> {
        let status = prop::option::of(prop::sample::select(Status::ALL.to_vec()));
        prop_oneof![
            6 => (0..9usize, status).prop_map(|(i, s)| Op::Decide(i, s)),
            1 => (0..9usize).prop_map(Op::Restore),
            1 => Just(Op::Replace),
            1 => (0..9usize, 0..9usize).prop_map(|(a, b)| Op::Gather(a, b)),
            3 => Just(Op::Follow),
            1 => prop::collection::vec(any::<bool>(), 8).prop_map(Op::List),
            1 => Just(Op::Regroup),
        ]
    }

    /// Studies of the records `groups` (each group's representative first).
    fn clusters(records: &[Record], groups: &[&[usize]]) -> Clusters {
        let mut of_record = vec![0; records.len()];
        let clusters = (groups.iter().enumerate())
            .map(|(c, members)| {
                members.iter().for_each(|&m| of_record[m] = c);
                Box::new(Cluster {
                    id: records[members[0]].id.clone(),
                    members: members.to_vec(),
                    links: Vec::new(),
                })
            })
            .collect();
        Clusters {
            clusters,
            of_record,
        }
    }

    proptest! {
        /// Whatever happens to the decisions and the studies, the verdicts and counts followed
        /// are those looked up afresh; sequences run past the change log's length.
        #[test]
        fn followed_verdicts_are_the_decisions(ops in prop::collection::vec(op(), 0..150)) {
            // Nine records; records 6 and 7 share an id (a corpus repeating an id). Id 9 is
            // no record's.
            let ids: Vec<RecordId> = (0..10)
                .map(|i| RecordId::new(format!("r{}", if i == 7 { 6 } else { i })))
                .collect();
            let records: Arc<[Record]> = (ids[..9].iter())
                .map(|id| Record { id: id.clone(), ..Record::default() })
                .collect();
            // Two groupings: a merge of records 0 and 8 (8 representing them), and of 1, 2
            // and 3 (represented by 1); then the first undone and 4 merged into 5.
            let groupings = [
                clusters(&records, &[&[8, 0], &[1, 2, 3], &[4], &[5], &[6], &[7]]),
                clusters(&records, &[&[0], &[1, 2, 3], &[5, 4], &[6], &[7], &[8]]),
            ];
            let mut grouping = 0;
            let at = Timestamp::UNIX_EPOCH;
            let mut decisions = Decisions::default();
            let index = Arc::new(IdIndex::new(&records));
            let representatives = |g: &Clusters| -> Vec<usize> {
                g.clusters.iter().map(|c| c.representative()).collect()
            };
            let mut statuses = Statuses::new(index, &representatives(&groupings[0]), &decisions);
            let mut rows: Vec<usize> = (0..6).collect();
            statuses.list(&rows);
            for op in ops {
                match op {
                    Op::Decide(i, s) => decisions.set_status(&ids[i], "t", s, at),
                    Op::Restore(i) => decisions.restore(&ids[i], None),
                    Op::Replace => {
                        let entries = decisions.iter().map(|(k, v)| (k.clone(), v.clone()));
                        decisions = Decisions::from_entries(entries.collect());
                    }
                    Op::Gather(a, b) => {
                        decisions.gather(&ids[a], &[ids[a].clone(), ids[b].clone()]);
                    }
                    Op::Follow => statuses.follow(&decisions),
                    Op::List(listed) => {
                        rows = (0..6).filter(|&c| listed[c]).collect();
                        statuses.follow(&decisions);
                        statuses.list(&rows);
                    }
                    Op::Regroup => {
                        grouping = 1 - grouping;
                        statuses.regroup(&representatives(&groupings[grouping]));
                        statuses.follow(&decisions);
                        statuses.list(&rows);
                    }
                }
            }
            statuses.follow(&decisions);
            let studies = &groupings[grouping].clusters;
            for (c, study) in studies.iter().enumerate() {
                prop_assert_eq!(statuses.of(c), decisions.status(&study.id), "study {}", c);
            }
            let listed = rows.iter().map(|&c| &studies[c].id);
            prop_assert_eq!(statuses.counts(), decisions.counts(listed));
        }
    }
}
