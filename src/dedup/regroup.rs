//! Regrouping after the reviewer corrects duplicate detection: a merge, a split or its undo
//! changes a few studies of tens of thousands, so only the records the changed pairs can reach
//! are grouped again, with exactly the result of grouping the whole corpus ([`super::apply`]).
//!
//! Why grouping a part is exact: [`super::apply`] joins records pair by pair (the reviewer's
//! pairs, then automatic links), refusing a join that would put a pair the reviewer split
//! into one study. Two records end up in one study only through a chain of pairs, so a study
//! lies inside one component of the graph of all pairs, and whether a join inside a component
//! succeeds depends only on the earlier joins and the splits inside it. Grouping the records
//! of some whole components, their pairs in the same order, gives their studies as grouping
//! everything does; studies in other components are those grouped before, unless a changed
//! pair lies in their component. [`Reach`] keeps components that may be larger than the true
//! ones (pairs the reviewer took back stay in it), which only regroups more records.

#![expect(
    clippy::vec_box,
    reason = "studies are boxed in `Clusters`, so that a regrouping moves pointers"
)]

use super::{Automatic, Cluster, Clusters, Overrides, Sets, clusters_of, join, root};
use crate::record::{IdIndex, Record, RecordId};

/// No study: a study grouped again has no index after a regrouping.
const GONE: u32 = u32::MAX;

/// The records each record may share a study with: components of every pair automatic
/// detection linked and every pair the reviewer called the same study, each kept as a ring
/// of records so its members are listed without a search.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    parent: Vec<u32>,
    /// The next record of the same component (a ring).
    next: Vec<u32>,
}

impl Reach {
    /// The components of `automatic`'s links and `overrides`' same-study pairs over a corpus
    /// of `records` records.
    pub fn new(
        records: usize,
        automatic: &Automatic,
        overrides: &Overrides,
        index: &IdIndex,
    ) -> Self {
        // Indices fit in u32: a corpus of four billion records does not fit in memory.
        let mut reach = Self {
            parent: (0..records as u32).collect(),
            next: (0..records as u32).collect(),
        };
        for (a, b, _) in automatic.links() {
            reach.join(a, b);
        }
        for (a, b) in overrides.same.iter().filter_map(|p| resolve(index, p)) {
            reach.join(a, b);
        }
        reach
    }

    /// Puts `a` and `b` in one component.
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (root(&mut self.parent, a), root(&mut self.parent, b));
        if ra != rb {
            self.parent[rb] = ra as u32;
            // Swapping the successors of one member of each ring makes one ring of both.
            self.next.swap(a, b);
        }
    }

    /// The records of `record`'s component, `record` first.
    fn members(&self, record: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(record), move |&r| {
            let next = self.next[r] as usize;
            (next != record).then_some(next)
        })
    }
}

/// Neighbouring studies a regrouping left alone, moved together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// The first one's index before.
    before: usize,
    /// How many.
    len: usize,
    /// The first one's index after.
    after: usize,
}

/// What a regrouping changed, for whatever is kept by study index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regrouping {
    /// For each study before, its index after, or [`GONE`] when it was grouped again.
    /// Derivable from `runs`, kept as a table: lists of studies and the record-to-study table
    /// look up every study they hold, where a search among the runs cost more.
    moved: Vec<u32>,
    /// The studies left alone, as runs of neighbours that moved together: tables by study
    /// are copied a run at a time.
    runs: Vec<Run>,
    /// The indices after of the studies grouped again, ascending.
    pub added: Vec<usize>,
    /// The studies before that were grouped again (taken out of the clusters).
    pub removed: Vec<Box<Cluster>>,
}

impl Regrouping {
    /// The index after the regrouping of study `before`, unless it was grouped again.
    pub fn moved(&self, before: usize) -> Option<usize> {
        match self.moved.get(before) {
            Some(&GONE) => None,
            Some(&after) => Some(after as usize),
            // Past the studies known (a regrouping that changed nothing keeps no table).
            None => Some(before),
        }
    }

    /// Moves the study index `c` to its index after the regrouping; false (leaving it) when
    /// that study was grouped again. For lists of studies kept with `retain_mut`.
    pub fn carry(&self, c: &mut usize) -> bool {
        let moved = self.moved(*c);
        *c = moved.unwrap_or(*c);
        moved.is_some()
    }

    /// Values kept by study index (`before`, one a study before), carried to the studies'
    /// indices after: each study moved keeps its value, each study grouped again gets
    /// `fresh(its index)`.
    pub fn carried<T: Clone>(&self, before: &[T], fresh: impl Fn(usize) -> T) -> Vec<T> {
        if self.is_empty() {
            return before.to_vec();
        }
        let studies = before.len() + self.added.len() - self.removed.len();
        let mut after = Vec::with_capacity(studies);
        let mut added = self.added.iter().copied().peekable();
        // A run at a time: copying them whole is several times quicker than study by study.
        for run in &self.runs {
            while let Some(a) = added.next_if(|&a| a < run.after) {
                after.push(fresh(a));
            }
            after.extend_from_slice(&before[run.before..run.before + run.len]);
        }
        after.extend(added.map(fresh));
        after
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// The record pair `pair` names, its ids' first records, when the corpus holds both.
fn resolve(index: &IdIndex, (a, b): &(RecordId, RecordId)) -> Option<(usize, usize)> {
    Some((index.first(a)?, index.first(b)?))
}

/// Regroups `clusters` (grouped with the overrides `before`) for the overrides `after`,
/// grouping again only the records the changed pairs can reach: the result equals
/// [`super::apply`] with `after`. `reach` and `index` must be of `records`; `reach` learns
/// the new same-study pairs.
pub fn regroup(
    clusters: &mut Clusters,
    records: &[Record],
    automatic: &Automatic,
    index: &IdIndex,
    reach: &mut Reach,
    before: &Overrides,
    after: &Overrides,
) -> Regrouping {
    let changed: Vec<(usize, usize)> = (before.same.symmetric_difference(&after.same))
        .chain(before.different.symmetric_difference(&after.different))
        .filter_map(|p| resolve(index, p))
        .collect();
    for p in after.same.difference(&before.same) {
        if let Some((a, b)) = resolve(index, p) {
            reach.join(a, b);
        }
    }
    let mut affected: Vec<usize> = Vec::new();
    for &(a, b) in &changed {
        for end in [a, b] {
            if affected.binary_search(&end).is_err() {
                affected.extend(reach.members(end));
                affected.sort_unstable();
            }
        }
    }
    if affected.is_empty() {
        return Regrouping::default();
    }
    let grouped = group(records, automatic, index, after, &affected);
    splice(clusters, grouped)
}

/// The studies of the records `affected` (ascending, whole components of [`Reach`]), in order
/// of their first records, with their links.
fn group(
    records: &[Record],
    automatic: &Automatic,
    index: &IdIndex,
    overrides: &Overrides,
    affected: &[usize],
) -> Vec<Box<Cluster>> {
    let local = |r: usize| affected.binary_search(&r).ok();
    let both = |(a, b): (usize, usize)| Some((local(a)?, local(b)?));
    let apart = (overrides.different.iter())
        .filter_map(|p| both(resolve(index, p)?))
        .collect();
    let mut sets = Sets::new(affected.len(), apart);
    let same = (overrides.same.iter()).filter_map(|p| both(resolve(index, p)?));
    let links =
        (automatic.links()).filter_map(|(a, b, reason)| both((a, b)).map(|(a, b)| (a, b, reason)));
    let links = join(&mut sets, same, links);
    let (mut groups, group_of_root) = sets.groups();
    for members in &mut groups {
        members.iter_mut().for_each(|m| *m = affected[*m]);
    }
    let mut clusters = clusters_of(records, &automatic.rank, groups);
    for mut link in links {
        let group = group_of_root[sets.find(link.a)];
        (link.a, link.b) = (affected[link.a], affected[link.b]);
        // Groups and clusters are made in the same order, one for one.
        clusters[group].links.push(link);
    }
    clusters
}

/// Puts the studies `grouped` in place of those holding their records, keeping every study
/// in order of its first record.
fn splice(clusters: &mut Clusters, grouped: Vec<Box<Cluster>>) -> Regrouping {
    let mut gone: Vec<usize> = (grouped.iter())
        .flat_map(|c| c.members.iter().map(|&m| clusters.of_record[m]))
        .collect();
    gone.sort_unstable();
    gone.dedup();
    let Some(&start) = gone.first() else {
        return Regrouping::default();
    };
    let gaps = gaps(&clusters.clusters, &gone, grouped);
    let studies = clusters.clusters.len();
    let mut moved: Vec<u32> = vec![GONE; studies];
    let mut runs = Vec::with_capacity(gaps.len() + 1);
    let mut added = Vec::new();
    // How far the studies after each gap moved, and where each gap's studies are now.
    let mut shift = 0isize;
    let mut next = 0;
    for gap in gaps.iter().map(Some).chain([None]) {
        let end = gap.map_or(studies, |g| g.at);
        if next < end {
            let run = Run {
                before: next,
                len: end - next,
                after: next.saturating_add_signed(shift),
            };
            for (slot, after) in moved[next..end].iter_mut().zip(run.after..) {
                // Indices fit in u32, as records do.
                *slot = after as u32;
            }
            runs.push(run);
        }
        if let Some(gap) = gap {
            let now = gap.at.saturating_add_signed(shift);
            added.extend(now..now + gap.grouped.len());
            shift += gap.grouped.len() as isize - gap.gone as isize;
            next = gap.at + gap.gone;
        }
    }
    let mut removed = Vec::with_capacity(gone.len());
    // From the last gap back, so the indices of those before stay right; each gap's studies
    // are replaced in place, the list moved only when a gap gains or loses studies (once for
    // a merge or split, where rebuilding the list moved every study after the first changed).
    for gap in gaps.into_iter().rev() {
        let taken = (clusters.clusters).splice(gap.at..gap.at + gap.gone, gap.grouped);
        removed.splice(0..0, taken);
    }
    // Through the table, not the studies' members: those are one allocation each, and at
    // 100,000 records reading them took longer than the rest of the regrouping.
    for c in &mut clusters.of_record {
        if *c >= start {
            *c = moved[*c] as usize;
        }
    }
    for &c in &added {
        for &m in &clusters.clusters[c].members {
            clusters.of_record[m] = c;
        }
    }
    Regrouping {
        moved,
        runs,
        added,
        removed,
    }
}

/// Studies of a regrouping that go between the same two studies left alone.
#[derive(Debug)]
struct Gap {
    /// Where they go in the studies before: the first of those they replace, or the study
    /// left alone they go before.
    at: usize,
    /// How many studies before they replace (they are `at..at + gone`).
    gone: usize,
    /// The studies grouped again that go there, in order.
    grouped: Vec<Box<Cluster>>,
}

/// The gaps the studies `grouped` (in order of their first records) go in among `studies`,
/// whose studies `gone` (ascending) they replace; in order.
fn gaps(studies: &[Box<Cluster>], gone: &[usize], grouped: Vec<Box<Cluster>>) -> Vec<Gap> {
    // A gap is known by how many studies left alone come before it.
    let mut gaps: Vec<(usize, Gap)> = Vec::new();
    for (n, &g) in gone.iter().enumerate() {
        let gap = gap_of(&mut gaps, g - n, g);
        // The studies gone in one gap are next to each other: no study left alone between.
        gap.at = gap.at.min(g);
        gap.gone += 1;
    }
    for cluster in grouped {
        let first = cluster.first_record();
        let at = studies.partition_point(|c| c.first_record() < first);
        let gone_before = gone.partition_point(|&g| g < at);
        let gap = gap_of(&mut gaps, at - gone_before, at);
        if gap.gone == 0 {
            gap.at = gap.at.min(at);
        }
        gap.grouped.push(cluster);
    }
    gaps.into_iter().map(|(_, gap)| gap).collect()
}

/// The gap after `kept_before` studies left alone, made at `at` if it is new.
fn gap_of(gaps: &mut Vec<(usize, Gap)>, kept_before: usize, at: usize) -> &mut Gap {
    let i = match gaps.binary_search_by_key(&kept_before, |(k, _)| *k) {
        Ok(i) => i,
        Err(i) => {
            let gap = Gap {
                at,
                gone: 0,
                grouped: Vec::new(),
            };
            gaps.insert(i, (kept_before, gap));
            i
        }
    };
    &mut gaps[i].1
}

#[cfg(test)]
mod tests;
