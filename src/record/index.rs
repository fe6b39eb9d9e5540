//! Records found by id: a decision, a duplicate correction or a study names a record by its
//! id, and at 100,000 records a scan or a map of cloned ids costs more than a keypress may.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Record, RecordId};

/// The records of a corpus by id: each record's id hashed and sorted, so a look-up is a binary
/// search over 12 bytes a record (a map holding the ids' strings took five times as much).
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    records: Arc<[Record]>,
    hasher: RandomState,
    /// (hash of the id, record index), sorted.
    by_hash: Vec<(u64, u32)>,
}

impl IdIndex {
    /// Indexes `records` by id.
    pub fn new(records: &Arc<[Record]>) -> Self {
        let hasher = RandomState::new();
        let mut by_hash: Vec<(u64, u32)> = records
            .par_iter()
            .enumerate()
            // Indices fit in u32: a corpus of four billion records does not fit in memory.
            .map(|(i, r)| (hasher.hash_one(&r.id), i as u32))
            .collect();
        by_hash.par_sort_unstable();
        Self {
            records: Arc::clone(records),
            hasher,
            by_hash,
        }
    }

    /// How many records it indexes.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether it indexes no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Whether this indexes exactly `records` (the same corpus, not a copy).
    pub fn indexes(&self, records: &Arc<[Record]>) -> bool {
        Arc::ptr_eq(&self.records, records)
    }

    /// The indices of the records with id `id`, in corpus order (one, unless the corpus
    /// repeats ids).
    pub fn all<'a>(&'a self, id: &'a RecordId) -> impl Iterator<Item = usize> + 'a {
        let hash = self.hasher.hash_one(id);
        let start = self.by_hash.partition_point(|&(h, _)| h < hash);
        self.by_hash[start..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, i)| i as usize)
            .filter(move |&i| self.records[i].id == *id)
    }

    /// The first record with id `id`.
    pub fn first(&self, id: &RecordId) -> Option<usize> {
        self.all(id).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(ids: &[&str]) -> Arc<[Record]> {
        ids.iter()
            .map(|id| Record {
                id: RecordId::new(*id),
                ..Record::default()
            })
            .collect()
    }

    #[test]
    fn finds_every_record_with_an_id_and_nothing_else() {
        let records = records(&["a", "b", "c", "b", "10.1/x"]);
        let index = IdIndex::new(&records);
        let find = |id: &str| index.all(&RecordId::new(id)).collect::<Vec<_>>();
        assert_eq!(find("a"), [0]);
        assert_eq!(find("10.1/x"), [4]);
        let mut b = find("b");
        b.sort_unstable();
        assert_eq!(b, [1, 3]);
        assert_eq!(index.first(&RecordId::new("b")), Some(1));
        assert_eq!(find("d"), Vec::<usize>::new());
        assert_eq!(find(""), Vec::<usize>::new());
        assert!(index.indexes(&records));
        assert_eq!(index.len(), 5);
        assert!(!index.indexes(&records.iter().cloned().collect()));
    }
}
