//! Studies found more than once: the record shown for each, looking at its members one by one,
//! and the reviewer's own merges and splits.

use std::sync::Arc;

use rayon::prelude::*;

use super::app::App;
use crate::dedup::regroup::Regrouping;
use crate::dedup::{Cluster, Clusters, merged};
use crate::record::{Record, RecordId};
use crate::search::engine::Records;

/// The record shown for each study: its only record, or for a study found more than once the
/// best fields of its records. Shared with the search thread (the records are the corpus's
/// own, not copies); made again when the studies are regrouped, keeping the merged records of
/// the studies the regrouping left as they were.
#[derive(Debug, Default)]
pub struct Studies {
    records: Arc<[Record]>,
    /// Each study's representative record.
    representatives: Vec<usize>,
    /// Whether each study was found more than once (its record is merged).
    duplicated: Vec<bool>,
    /// The merged record of each study found more than once, by its representative record.
    /// A persistent map: a regrouping shares it and changes a few entries, where copying
    /// 15,000 entries took most of a merge's time at 100,000 records.
    merged: imbl::HashMap<usize, Arc<Merged>>,
}

/// A study's merged record and the records it was merged from.
#[derive(Debug)]
struct Merged {
    members: Vec<usize>,
    record: Record,
}

impl Merged {
    /// The merged record of `cluster`, if it was found more than once.
    fn of(records: &[Record], cluster: &Cluster) -> Option<Arc<Self>> {
        cluster.is_duplicated().then(|| {
            Arc::new(Self {
                members: cluster.members.clone(),
                record: merged(records, cluster),
            })
        })
    }
}

impl Studies {
    /// The studies of `clusters` over `records`, each merged record taken from these studies
    /// when they hold it for the same records (after the decisions file changed under the
    /// session, a few studies of thousands change: at 100k, merging the others again took
    /// most of the time).
    pub fn regrouped(&self, records: &Arc<[Record]>, clusters: &Clusters) -> Self {
        let same_records = Arc::ptr_eq(&self.records, records);
        let kept = |c: &Cluster| {
            let known = self.merged.get(&c.representative())?;
            (same_records && known.members == c.members).then(|| Arc::clone(known))
        };
        // On every core: 15,000 duplicated studies at 100k records.
        let merged: Vec<(usize, Arc<Merged>)> = (clusters.clusters.par_iter())
            .filter_map(|c| {
                Some((
                    c.representative(),
                    kept(c).or_else(|| Merged::of(records, c))?,
                ))
            })
            .collect();
        let studies = &clusters.clusters;
        Self {
            records: Arc::clone(records),
            representatives: studies.iter().map(|c| c.representative()).collect(),
            duplicated: studies.iter().map(|c| c.is_duplicated()).collect(),
            merged: merged.into_iter().collect(),
        }
    }

    /// These studies after `regrouping` made `clusters` from theirs: only the studies it
    /// grouped again are merged again, the others' carried to their new places (reading
    /// every study's members, an allocation each, took longer at 100,000 records).
    pub fn regrouped_in_part(&self, clusters: &Clusters, regrouping: &Regrouping) -> Self {
        let study = |c: usize| &clusters.clusters[c];
        let mut merged = self.merged.clone();
        for cluster in &regrouping.removed {
            merged.remove(&cluster.representative());
        }
        for &c in &regrouping.added {
            if let Some(record) = Merged::of(&self.records, study(c)) {
                merged.insert(study(c).representative(), record);
            }
        }
        Self {
            records: Arc::clone(&self.records),
            representatives: (regrouping)
                .carried(&self.representatives, |c| study(c).representative()),
            duplicated: (regrouping).carried(&self.duplicated, |c| study(c).is_duplicated()),
            merged,
        }
    }

    /// Each study's representative record.
    pub fn representatives(&self) -> &[usize] {
        &self.representatives
    }

    /// The record shown for study `cluster`.
    pub fn get(&self, cluster: usize) -> &Record {
        let representative = self.representatives[cluster];
        let merged = self.duplicated[cluster]
            .then(|| self.merged.get(&representative))
            .flatten();
        match merged {
            Some(merged) => &merged.record,
            None => &self.records[representative],
        }
    }
}

impl Records for Studies {
    fn record(&self, key: usize) -> &Record {
        self.get(key)
    }
}

impl App {
    /// The record shown for study `cluster`: its only record, or the best fields of its records.
    pub fn study(&self, cluster: usize) -> &Record {
        self.studies.get(cluster)
    }

    /// Where the selected study's other records come from, for the detail pane:
    /// `scopus.ris (record 12, line 340)`.
    pub fn also_in(&self) -> Vec<String> {
        let Some(&c) = self.rows.get(self.cursor) else {
            return Vec::new();
        };
        let cluster = &self.clusters.clusters[c];
        cluster.members[1..]
            .iter()
            .map(|&i| {
                let source = &self.corpus.records[i].source;
                format!(
                    "{} (record {}, line {})",
                    source.file,
                    source.index + 1,
                    source.line
                )
            })
            .collect()
    }

    /// Shows the next record of the selected study (after the last, the study again).
    pub(super) fn next_member(&mut self) {
        let Some(&c) = self.rows.get(self.cursor) else {
            return;
        };
        let count = self.clusters.clusters[c].members.len();
        if count < 2 {
            self.say("This study was found once: there are no other records of it.");
            return;
        }
        self.member_view = match self.member_view {
            None => Some(0),
            Some(n) if n + 1 < count => Some(n + 1),
            Some(_) => None,
        };
        self.detail_scroll = 0;
        self.load_raw();
    }

    /// Splits the shown record off its study: the reviewer says it is a different study from
    /// each of the others.
    pub(super) fn split_shown(&mut self) {
        let Some(&c) = self.rows.get(self.cursor) else {
            return;
        };
        let Some(shown) = self.member_view else {
            let key = self.keymap.hint(super::command::Command::Members);
            self.say(format!(
                "Show the record to split off first ({key} steps through the study's records)."
            ));
            return;
        };
        let members: Vec<RecordId> = self.clusters.clusters[c]
            .members
            .iter()
            .map(|&i| self.corpus.records[i].id.clone())
            .collect();
        let Some(off) = members.get(shown).cloned() else {
            return;
        };
        // Stay on the study being read; the record split off is listed on its own.
        let stay = members
            .iter()
            .find(|id| **id != off)
            .cloned()
            .unwrap_or_else(|| off.clone());
        self.change_duplicates(&stay, |d| {
            for other in members.iter().filter(|id| **id != off) {
                d.mark_different(&off, other);
            }
        });
        self.say(format!("Split off: {off} is now a study of its own."));
    }

    /// Marks the selected study for merging, or merges it with the one marked before.
    pub(super) fn merge_with_mark(&mut self) {
        let Some(current) = self.current().map(|r| r.id.clone()) else {
            return;
        };
        match self.merge_mark.take() {
            None => {
                self.merge_mark = Some(current);
                let key = self.keymap.hint(super::command::Command::Merge);
                self.say(format!(
                    "Marked. Go to its duplicate and press {key} to merge the two (Esc: forget)."
                ));
            }
            Some(marked) if marked == current => self.say("Merge cancelled."),
            Some(marked) => {
                let (a, b) = (
                    self.representative_record(&marked),
                    self.representative_record(&current),
                );
                if let (Some(a), Some(b)) = (a, b) {
                    self.change_duplicates(&b, |d| d.mark_same(&a, &b));
                    self.say("Merged: the two are now one study.");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::regroup::{Reach, regroup};
    use crate::dedup::{self, Automatic, Overrides, pair};
    use crate::record::IdIndex;

    /// Three studies found twice each (the copies later in the file, with a DOI), and two
    /// found once.
    fn records() -> Arc<[Record]> {
        let mut text = String::new();
        let studies = [
            (1, "Sleep and fatigue in nurses", true),
            (2, "Malaria vaccines in infants", true),
            (3, "Hip fractures after falls", true),
            (4, "Screen time and myopia", false),
            (5, "Tai chi for balance", false),
        ];
        for (n, title, copied) in studies {
            let record = format!(
                "TY  - JOUR\nTI  - {title}\nAU  - Doe{n}, J\nPY  - 2020\nAB  - We studied group {n}{}.\nER  - \n\n",
                if n == 4 { ", the longest of all" } else { "" }
            );
            text.push_str(&record);
            if copied {
                text.push_str(&record.replace("ER  - ", &format!("DO  - 10.1/{n}\nER  - ")));
            }
        }
        let (_, mut records) = crate::corpus::read_bytes("a.ris", text.as_bytes());
        crate::corpus::make_ids_unique(&mut records);
        records.into()
    }

    /// The merged record of the study `representative` represents.
    fn merged_of(studies: &Studies, representative: usize) -> Option<&Arc<Merged>> {
        studies.merged.get(&representative)
    }

    /// The reviewer merges a study found once (record 6, the longest abstract) into the
    /// first study (records 0 and 1, represented by 1), and the other one found once (record
    /// 7) with the second study (records 2 and 3).
    fn merge_two(records: &[Record], overrides: &mut Overrides) {
        overrides.same.insert(pair(&records[6].id, &records[0].id));
        overrides.same.insert(pair(&records[7].id, &records[2].id));
    }

    /// Each study of `studies` is that of `fresh`; those `before` held for the same records
    /// are kept, not merged again.
    fn check_kept(before: &Studies, studies: &Studies, fresh: &Studies, clusters: &Clusters) {
        for (c, cluster) in clusters.clusters.iter().enumerate() {
            assert_eq!(studies.get(c), fresh.get(c), "study {c}");
            let kept = merged_of(before, cluster.representative());
            let now = merged_of(studies, cluster.representative());
            if let (Some(kept), Some(now)) = (kept, now) {
                // Kept exactly when its records are the same.
                let same = kept.members == cluster.members;
                assert_eq!(Arc::ptr_eq(kept, now), same, "study {c}");
            }
        }
        let first = studies.get(clusters.of_record[6]);
        assert_eq!(
            first.abstract_text(),
            "We studied group 4, the longest of all.",
            "the study with a new member is merged again"
        );
        let third = clusters.clusters[clusters.of_record[4]].representative();
        assert!(
            Arc::ptr_eq(
                merged_of(before, third).unwrap(),
                merged_of(studies, third).unwrap()
            ),
            "the study left alone keeps its merged record"
        );
    }

    #[test]
    fn a_regrouping_keeps_the_merged_records_of_studies_it_left_alone() {
        let records = records();
        let automatic = Automatic::find(&records);
        let before = dedup::apply(&records, &automatic, &Overrides::default());
        assert_eq!(before.duplicated().count(), 3);
        let studies = Studies::default().regrouped(&records, &before);
        let mut overrides = Overrides::default();
        merge_two(&records, &mut overrides);
        let after = dedup::apply(&records, &automatic, &overrides);
        assert_eq!(after.duplicated().count(), 3);
        assert_eq!(after.clusters[after.of_record[6]].members, [1, 0, 6]);
        let regrouped = studies.regrouped(&records, &after);
        let fresh = Studies::default().regrouped(&records, &after);
        check_kept(&studies, &regrouped, &fresh, &after);
        // Other records: nothing is kept.
        let other = records.iter().cloned().collect::<Vec<_>>().into();
        let elsewhere = studies.regrouped(&other, &before);
        let all = |s: &Studies| s.merged.values().cloned().collect::<Vec<_>>();
        assert!((all(&elsewhere).iter()).all(|m| all(&studies).iter().all(|k| !Arc::ptr_eq(k, m))));
    }

    #[test]
    fn a_regrouping_in_part_gives_the_studies_of_a_whole_one() {
        let records = records();
        let automatic = Automatic::find(&records);
        let none = Overrides::default();
        let mut clusters = dedup::apply(&records, &automatic, &none);
        let studies = Studies::default().regrouped(&records, &clusters);
        let index = IdIndex::new(&records);
        let mut reach = Reach::new(records.len(), &automatic, &none, &index);
        let mut overrides = Overrides::default();
        merge_two(&records, &mut overrides);
        let regrouping = regroup(
            &mut clusters,
            &records,
            &automatic,
            &index,
            &mut reach,
            &none,
            &overrides,
        );
        assert_eq!(regrouping.added.len(), 2, "two studies grouped again");
        let regrouped = studies.regrouped_in_part(&clusters, &regrouping);
        let fresh = Studies::default().regrouped(&records, &clusters);
        assert_eq!(regrouped.representatives, fresh.representatives);
        assert_eq!(regrouped.duplicated, fresh.duplicated);
        check_kept(&studies, &regrouped, &fresh, &clusters);
    }
}
