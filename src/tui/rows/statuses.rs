//! The verdict on every study and the counts over the listed ones, kept in step with the
//! decisions as they change (following [`Decisions::changed_since`]) instead of being looked up
//! again for 100,000 studies on every frame.

use std::collections::HashMap;

use crate::decisions::{Counts, Decisions, Status};
use crate::record::RecordId;

/// No next study sharing an id.
const NONE: usize = usize::MAX;

/// Verdicts by study (cluster index) and their counts over the rows listed.
#[derive(Debug, Default)]
pub(crate) struct Statuses {
    /// The decisions' revision the verdicts are of.
    revision: u64,
    /// The verdict on each study.
    by_study: Vec<Option<Status>>,
    /// The first study with each id.
    study_of: HashMap<RecordId, usize>,
    /// The next study with the same id as this one (studies split apart by the reviewer can
    /// share their id), or [`NONE`].
    next_same: Vec<usize>,
    /// Whether each study is listed.
    listed: Vec<bool>,
    /// Verdicts over the listed studies.
    counts: Counts,
}

impl Statuses {
    /// Indexes studies with these ids (in cluster order) and looks up their verdicts.
    pub(crate) fn new<'a>(ids: impl Iterator<Item = &'a RecordId>, decisions: &Decisions) -> Self {
        let mut study_of: HashMap<RecordId, usize> = HashMap::new();
        let mut next_same = Vec::new();
        let mut last_of: HashMap<usize, usize> = HashMap::new();
        for (c, id) in ids.enumerate() {
            next_same.push(NONE);
            match study_of.get(id) {
                None => {
                    study_of.insert(id.clone(), c);
                }
                Some(&first) => {
                    let last = last_of.get(&first).copied().unwrap_or(first);
                    next_same[last] = c;
                    last_of.insert(first, c);
                }
            }
        }
        let studies = next_same.len();
        let mut statuses = Self {
            revision: 0,
            by_study: vec![None; studies],
            study_of,
            next_same,
            listed: vec![false; studies],
            counts: Counts::default(),
        };
        statuses.look_up_all(decisions);
        statuses
    }

    /// Every verdict looked up again (decisions replaced, or changed too much to follow).
    fn look_up_all(&mut self, decisions: &Decisions) {
        self.by_study.iter_mut().for_each(|s| *s = None);
        for (id, decision) in decisions.iter() {
            let mut c = self.study_of.get(id).copied().unwrap_or(NONE);
            while c != NONE {
                self.by_study[c] = decision.status;
                c = self.next_same[c];
            }
        }
        self.revision = decisions.revision();
        self.count_listed();
    }

    fn count_listed(&mut self) {
        let mut counts = Counts::default();
        for (status, _) in self
            .by_study
            .iter()
            .zip(&self.listed)
            .filter(|(_, listed)| **listed)
        {
            add(&mut counts, *status, 1);
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
            let mut c = self.study_of.get(id).copied().unwrap_or(NONE);
            while c != NONE {
                if self.listed[c] {
                    add(&mut self.counts, self.by_study[c], -1);
                    add(&mut self.counts, status, 1);
                }
                self.by_study[c] = status;
                c = self.next_same[c];
            }
        }
        self.revision = decisions.revision();
    }

    /// Lists these studies (the rows) and counts their verdicts.
    pub(crate) fn list(&mut self, rows: &[usize]) {
        self.listed.iter_mut().for_each(|l| *l = false);
        for &c in rows {
            if let Some(listed) = self.listed.get_mut(c) {
                *listed = true;
            }
        }
        self.count_listed();
    }

    /// The verdict on study `c` (as of the last [`Statuses::follow`]).
    pub(crate) fn of(&self, c: usize) -> Option<Status> {
        self.by_study.get(c).copied().flatten()
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

    #[derive(Debug, Clone)]
    enum Op {
        Decide(usize, Option<Status>),
        Restore(usize),
        Replace,
        Gather(usize, usize),
        Follow,
        List(Vec<bool>),
    }

    fn op() -> impl Strategy<Value = Op> {
        let status = prop::option::of(prop::sample::select(Status::ALL.to_vec()));
        prop_oneof![
            6 => (0..8usize, status).prop_map(|(i, s)| Op::Decide(i, s)),
            1 => (0..8usize).prop_map(Op::Restore),
            1 => Just(Op::Replace),
            1 => (0..8usize, 0..8usize).prop_map(|(a, b)| Op::Gather(a, b)),
            3 => Just(Op::Follow),
            1 => prop::collection::vec(any::<bool>(), 7).prop_map(Op::List),
        ]
    }

    proptest! {
        /// Whatever happens to the decisions, the verdicts and counts followed are those looked
        /// up afresh; sequences run past the change log's length.
        #[test]
        fn followed_verdicts_are_the_decisions(ops in prop::collection::vec(op(), 0..150)) {
            // Seven studies; the last two share an id (split apart by the reviewer). Ids 7
            // and beyond are records that are not studies.
            let ids: Vec<RecordId> = (0..8)
                .map(|i| RecordId::new(format!("r{}", i.min(6))))
                .chain([RecordId::new("r7")])
                .collect();
            let studies = &ids[..7];
            let at = Timestamp::UNIX_EPOCH;
            let mut decisions = Decisions::default();
            let mut statuses = Statuses::new(studies.iter(), &decisions);
            let mut rows: Vec<usize> = (0..7).collect();
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
                        rows = (0..7).filter(|&c| listed[c]).collect();
                        statuses.follow(&decisions);
                        statuses.list(&rows);
                    }
                }
            }
            statuses.follow(&decisions);
            for (c, id) in studies.iter().enumerate() {
                prop_assert_eq!(statuses.of(c), decisions.status(id), "study {}", c);
            }
            prop_assert_eq!(statuses.counts(), decisions.counts(rows.iter().map(|&c| &ids[c])));
        }
    }
}
