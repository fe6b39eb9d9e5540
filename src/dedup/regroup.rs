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

use super::{Automatic, Cluster, Clusters, Overrides, Sets, clusters_of, join};
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

    /// Whether this covers a corpus of `records` records.
    pub fn covers(&self, records: usize) -> bool {
        self.parent.len() == records
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }

    /// Puts `a` and `b` in one component.
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
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

/// What a regrouping changed, for whatever is kept by study index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regrouping {
    /// For each study before, its index after, or [`GONE`] when it was grouped again.
    moved: Vec<u32>,
    /// The indices after of the studies grouped again, ascending.
    pub added: Vec<usize>,
    /// The studies before that were grouped again (taken out of the clusters).
    pub removed: Vec<Cluster>,
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
) -> Vec<Cluster> {
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
    let mut group_of_root = vec![usize::MAX; affected.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, &record) in affected.iter().enumerate() {
        let root = sets.find(i);
        if group_of_root[root] == usize::MAX {
            group_of_root[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of_root[root]].push(record);
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
fn splice(clusters: &mut Clusters, grouped: Vec<Cluster>) -> Regrouping {
    let mut gone: Vec<usize> = (grouped.iter())
        .flat_map(|c| c.members.iter().map(|&m| clusters.of_record[m]))
        .collect();
    gone.sort_unstable();
    gone.dedup();
    let Some(&start) = gone.first() else {
        return Regrouping::default();
    };
    let studies = clusters.clusters.len();
    let mut moved: Vec<u32> = (0..start as u32).collect();
    moved.resize(studies, GONE);
    let tail = clusters.clusters.split_off(start);
    let mut removed = Vec::with_capacity(gone.len());
    let mut added = Vec::with_capacity(grouped.len());
    let mut grouped = grouped.into_iter().peekable();
    for (old, cluster) in (start..).zip(tail) {
        if gone.binary_search(&old).is_ok() {
            removed.push(cluster);
            continue;
        }
        while let Some(new) = grouped.next_if(|g| g.first_record() < cluster.first_record()) {
            added.push(clusters.clusters.len());
            clusters.clusters.push(new);
        }
        // Indices fit in u32, as records do.
        moved[old] = clusters.clusters.len() as u32;
        clusters.clusters.push(cluster);
    }
    for new in grouped {
        added.push(clusters.clusters.len());
        clusters.clusters.push(new);
    }
    for (c, cluster) in clusters.clusters.iter().enumerate().skip(start) {
        for &m in &cluster.members {
            clusters.of_record[m] = c;
        }
    }
    Regrouping {
        moved,
        added,
        removed,
    }
}

#[cfg(test)]
mod tests;
