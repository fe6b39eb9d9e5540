//! Duplicate detection: the same study exported by several databases, a preprint and its
//! journal version, a record repeated in one file. Records are grouped into clusters, each
//! screened as one study under the id of its member with the best identifier.
//!
//! Candidates come from blocks (same DOI, same PMID, same title, same first title words, same
//! first author + year + first page), so the work grows with the corpus, not its square; each
//! candidate pair is judged by [`compare::same_study`]. The reviewer's own merges and splits
//! (stored in their decisions file) are applied on top and always win.

pub mod compare;
pub mod keys;
mod merge;
pub mod regroup;
pub mod report;

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use self::compare::{Reason, same_study};
use self::keys::Keys;
use crate::record::{Record, RecordId};

pub use self::merge::merged;

/// Largest block compared pair by pair; bigger blocks (very common title openings) are only
/// compared through their other keys.
const MAX_BLOCK: usize = 200;

/// Title words that open a block of candidates with similar titles.
const PREFIX_WORDS: usize = 4;

/// Two records linked, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Index of one record in the corpus.
    pub a: usize,
    /// Index of the other.
    pub b: usize,
    /// Why they are the same study.
    pub reason: Reason,
}

/// The reviewer's corrections to automatic detection, as pairs of record ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Pairs the reviewer says are the same study.
    pub same: BTreeSet<(RecordId, RecordId)>,
    /// Pairs the reviewer says are different studies.
    pub different: BTreeSet<(RecordId, RecordId)>,
}

/// A pair in the order overrides store it (smaller id first), so each pair is stored once.
pub fn pair(a: &RecordId, b: &RecordId) -> (RecordId, RecordId) {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

/// One study: the records that are the same study, with its stable id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The id decisions on the study are stored under: its representative's.
    pub id: RecordId,
    /// Record indices, the representative first, then corpus order.
    pub members: Vec<usize>,
    /// Links that joined the members.
    pub links: Vec<Link>,
}

impl Cluster {
    /// The representative record's index.
    pub fn representative(&self) -> usize {
        self.members[0]
    }

    /// Its first record in corpus order: studies are listed in this order.
    pub fn first_record(&self) -> usize {
        // The representative, or the next member: the others follow in corpus order.
        self.members[..self.members.len().min(2)]
            .iter()
            .copied()
            .min()
            .unwrap_or(usize::MAX)
    }

    /// Whether the study was found more than once.
    pub fn is_duplicated(&self) -> bool {
        self.members.len() > 1
    }
}

/// Every record grouped into studies, in corpus order of each study's first record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clusters {
    /// The studies (boxed: a merge or split moves the studies after it, pointers moving
    /// nine times quicker than the studies themselves).
    pub clusters: Vec<Box<Cluster>>,
    /// For each record, the index of its study.
    pub of_record: Vec<usize>,
}

impl Clusters {
    /// The study of record `index`.
    pub fn of(&self, index: usize) -> &Cluster {
        &self.clusters[self.of_record[index]]
    }

    /// Studies found more than once.
    pub fn duplicated(&self) -> impl Iterator<Item = &Cluster> {
        self.clusters
            .iter()
            .map(Box::as_ref)
            .filter(|c| c.is_duplicated())
    }
}

/// Groups `records` into studies, applying the reviewer's `overrides`.
pub fn find(records: &[Record], overrides: &Overrides) -> Clusters {
    apply(records, &Automatic::find(records), overrides)
}

/// What automatic detection concluded about a corpus, before the reviewer's corrections: a
/// pure function of the records, so the load cache keeps it beside them and a later open
/// skips the keys and comparisons (see [`crate::cache`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Automatic {
    /// Candidate pairs judged the same study (record indices, smaller first), in the order
    /// they are joined.
    links: Vec<(u32, u32, Reason)>,
    /// For each record, how good its identifiers are to name a study: 0 best (a DOI and a
    /// PMID), 1 a DOI, 2 a PMID, 3 neither.
    rank: Vec<u8>,
}

impl Automatic {
    /// Judges every candidate pair of `records`.
    pub fn find(records: &[Record]) -> Self {
        let keys: Vec<Keys> = records.par_iter().map(Keys::of).collect();
        // Pairs are judged on every core (a pure function of their keys), then kept in order:
        // the links are those of judging them one by one.
        let pairs = candidates(&keys);
        let verdicts: Vec<Option<Reason>> = pairs
            .par_iter()
            .map(|&(a, b)| same_study(&keys[a], &keys[b]))
            .collect();
        let links = pairs
            .iter()
            .zip(verdicts)
            // Indices fit in u32: a corpus of four billion records does not fit in memory.
            .filter_map(|(&(a, b), verdict)| Some((a as u32, b as u32, verdict?)))
            .collect();
        let rank = keys
            .iter()
            .map(|k| 2 * u8::from(k.doi.is_none()) + u8::from(k.pmid.is_none()))
            .collect();
        Self { links, rank }
    }

    /// The linked pairs (record indices), in the order they are joined.
    fn links(&self) -> impl Iterator<Item = (usize, usize, Reason)> + '_ {
        self.links
            .iter()
            .map(|&(a, b, reason)| (a as usize, b as usize, reason))
    }

    /// Whether this was found for a corpus of `records` records (a cache read back for
    /// another corpus is not).
    pub fn fits(&self, records: usize) -> bool {
        self.rank.len() == records
            && self
                .links
                .iter()
                .all(|&(a, b, _)| (a as usize) < records && (b as usize) < records)
    }
}

/// Groups `records` into studies from what automatic detection found, with the reviewer's
/// `overrides` applied first (they always win). `automatic` must [fit](Automatic::fits)
/// `records`.
pub fn apply(records: &[Record], automatic: &Automatic, overrides: &Overrides) -> Clusters {
    // Only overrides need records by id; most sessions have none. An id the corpus repeats
    // names its first record, as `IdIndex::first` does for a regrouping.
    let mut index: HashMap<&RecordId, usize> = HashMap::new();
    if !(overrides.same.is_empty() && overrides.different.is_empty()) {
        for (i, r) in records.iter().enumerate() {
            index.entry(&r.id).or_insert(i);
        }
    }
    let resolve = |(a, b): &(RecordId, RecordId)| Some((*index.get(a)?, *index.get(b)?));
    let mut sets = Sets::new(
        records.len(),
        overrides.different.iter().filter_map(resolve).collect(),
    );
    let same = overrides.same.iter().filter_map(resolve);
    let links = join(&mut sets, same, automatic.links());
    assemble(records, &automatic.rank, &mut sets, links)
}

/// Joins the reviewer's `same` pairs, then automatic detection's links, in that order, as far
/// as the sets' constraints allow; returns the links that joined two sets.
fn join(
    sets: &mut Sets,
    same: impl Iterator<Item = (usize, usize)>,
    automatic: impl Iterator<Item = (usize, usize, Reason)>,
) -> Vec<Link> {
    let mut links = Vec::new();
    for (a, b) in same {
        if sets.union(a, b) {
            links.push(Link {
                a,
                b,
                reason: Reason::Manual,
            });
        }
    }
    for (a, b, reason) in automatic {
        if sets.find(a) != sets.find(b) && sets.union(a, b) {
            links.push(Link { a, b, reason });
        }
    }
    links
}

/// What puts records in the same block: the same DOI, PMID, title, first title words, or
/// first author with year and first page. Borrowed from the keys (no string per block key).
#[derive(PartialEq, Eq, Hash)]
enum Block<'a> {
    Doi(&'a str),
    Pmid(&'a str),
    Title(&'a str),
    /// The first [`PREFIX_WORDS`] title words, joined by single spaces.
    Words(&'a str),
    Author(&'a str, u16, &'a str),
}

/// The blocks a record is in.
fn blocks_of(k: &Keys) -> impl Iterator<Item = Block<'_>> {
    let title = (!k.title_text.is_empty()).then(|| {
        [
            Block::Title(&k.title_text),
            Block::Words(first_words(&k.title_text, PREFIX_WORDS)),
        ]
    });
    let author = match (&k.author, k.year, &k.page) {
        (Some(author), Some(year), Some(page)) => Some(Block::Author(author, year, page)),
        _ => None,
    };
    (k.doi.as_deref().map(Block::Doi).into_iter())
        .chain(k.pmid.as_deref().map(Block::Pmid))
        .chain(title.into_iter().flatten())
        .chain(author)
}

/// A block's hash, the same in every process (SipHash with fixed keys).
fn block_hash(block: &Block<'_>) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    block.hash(&mut hasher);
    hasher.finish()
}

/// Candidate pairs (smaller index first), each at most once.
fn candidates(keys: &[Keys]) -> Vec<(usize, usize)> {
    candidates_by(keys, block_hash)
}

/// [`candidates`], blocks hashed by `hash` (tests make hashes collide).
fn candidates_by(keys: &[Keys], hash: fn(&Block<'_>) -> u64) -> Vec<(usize, usize)> {
    // Every record's blocks as (hash, record), sorted: the records of a block are neighbours.
    // Twelve bytes a block, where a map of blocks took a entry and a list each (44 MiB at
    // 100,000 records, while every record is in memory).
    let mut entries: Vec<(u64, u32)> = keys
        .par_iter()
        .enumerate()
        // Indices fit in u32: a corpus of four billion records does not fit in memory.
        .flat_map_iter(|(i, k)| blocks_of(k).map(move |b| (hash(&b), i as u32)))
        .collect();
    entries.par_sort_unstable();
    let mut pairs = BTreeSet::new();
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // The records sharing a hash, by the block itself (two blocks may share a hash).
        let mut blocks: Vec<(Block<'_>, Vec<usize>)> = Vec::new();
        let mut records: Vec<usize> = run.iter().map(|&(_, i)| i as usize).collect();
        records.dedup();
        for i in records {
            for block in blocks_of(&keys[i]).filter(|b| hash(b) == run[0].0) {
                match blocks.iter_mut().find(|(known, _)| *known == block) {
                    Some((_, members)) => members.push(i),
                    None => blocks.push((block, vec![i])),
                }
            }
        }
        for (_, members) in blocks {
            if members.len() < 2 || members.len() > MAX_BLOCK {
                continue;
            }
            for (n, &a) in members.iter().enumerate() {
                for &b in &members[n + 1..] {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs.into_iter().collect()
}

/// The first `n` words of text whose words are separated by single spaces.
fn first_words(text: &str, n: usize) -> &str {
    match text.match_indices(' ').nth(n.saturating_sub(1)) {
        Some((end, _)) if n > 0 => &text[..end],
        _ if n == 0 => "",
        _ => text,
    }
}

/// Builds the clusters from the final sets: representative first, stable ids.
fn assemble(records: &[Record], rank: &[u8], sets: &mut Sets, links: Vec<Link>) -> Clusters {
    let (groups, _) = sets.groups();
    let clusters = clusters_of(records, rank, groups);
    let mut of_record = vec![0; records.len()];
    for (c, cluster) in clusters.iter().enumerate() {
        for &m in &cluster.members {
            of_record[m] = c;
        }
    }
    let mut clusters = Clusters {
        clusters,
        of_record,
    };
    for link in links {
        let c = clusters.of_record[link.a];
        clusters.clusters[c].links.push(link);
    }
    clusters
}

/// One study for each group of records (each group in corpus order), its representative
/// first and its id the representative's; without links.
#[expect(
    clippy::vec_box,
    reason = "studies are boxed in `Clusters`, so that a regrouping moves pointers"
)]
fn clusters_of(records: &[Record], rank: &[u8], groups: Vec<Vec<usize>>) -> Vec<Box<Cluster>> {
    let mut clusters = Vec::with_capacity(groups.len());
    for mut members in groups {
        // The best identifier first: a DOI, then a PMID, then the smallest id (stable whatever
        // the file order), so decisions stay under the same id across imports.
        // Every group has its first record, so there is a best.
        let Some(best) = members.iter().copied().min_by(|&x, &y| {
            rank[x]
                .cmp(&rank[y])
                .then_with(|| records[x].id.cmp(&records[y].id))
        }) else {
            continue;
        };
        members.retain(|&m| m != best);
        members.insert(0, best);
        clusters.push(Box::new(Cluster {
            id: records[best].id.clone(),
            members,
            links: Vec::new(),
        }));
    }
    clusters
}

/// Union-find whose unions respect "different study" constraints.
struct Sets {
    /// Each element's parent (u32: a corpus of four billion records does not fit in memory).
    parent: Vec<u32>,
    /// Constraint pairs (record indices) that must stay in different sets.
    apart: Vec<(usize, usize)>,
}

impl Sets {
    fn new(n: usize, apart: Vec<(usize, usize)>) -> Self {
        Self {
            parent: (0..n as u32).collect(),
            apart,
        }
    }

    fn find(&mut self, x: usize) -> usize {
        root(&mut self.parent, x)
    }

    /// The members of each set, sets in order of their first member, and for each root the
    /// index of its set's group (no hashing: a slot per root).
    fn groups(&mut self) -> (Vec<Vec<usize>>, Vec<usize>) {
        let mut group_of_root = vec![usize::MAX; self.parent.len()];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.parent.len() {
            let root = self.find(i);
            if group_of_root[root] == usize::MAX {
                group_of_root[root] = groups.len();
                groups.push(Vec::new());
            }
            groups[group_of_root[root]].push(i);
        }
        (groups, group_of_root)
    }

    /// Joins the sets of `a` and `b` unless a constraint keeps them apart. Returns whether they
    /// were joined.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        for i in 0..self.apart.len() {
            let (x, y) = self.apart[i];
            let (rx, ry) = (self.find(x), self.find(y));
            if (rx == ra && ry == rb) || (rx == rb && ry == ra) {
                return false;
            }
        }
        self.parent[rb] = ra as u32;
        true
    }
}

/// The root of `x` in the forest `parent` (each element's parent, a root its own), halving
/// the path on the way.
fn root(parent: &mut [u32], mut x: usize) -> usize {
    while parent[x] as usize != x {
        let grand = parent[parent[x] as usize];
        parent[x] = grand;
        x = grand as usize;
    }
    x
}

#[cfg(test)]
mod tests;
