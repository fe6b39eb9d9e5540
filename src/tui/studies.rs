//! Studies found more than once: the record shown for each, looking at its members one by one,
//! and the reviewer's own merges and splits.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::app::App;
use super::rows::statuses::Statuses;
use crate::dedup::{self, Cluster, Clusters, merged};
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
    /// The merged record of each study found more than once, by its representative record.
    merged: HashMap<usize, Merged>,
}

/// A study's merged record and the records it was merged from.
#[derive(Debug)]
struct Merged {
    members: Vec<usize>,
    record: Arc<Record>,
}

impl Studies {
    /// The studies of `clusters` over `records`, each merged record taken from these studies
    /// when they hold it for the same records (a merge or split changes a few studies of
    /// thousands: at 100k, merging the others again took most of its time).
    pub fn regrouped(&self, records: &Arc<[Record]>, clusters: &Clusters) -> Self {
        let same_records = Arc::ptr_eq(&self.records, records);
        let kept = |c: &Cluster| {
            let known = self.merged.get(&c.representative())?;
            (same_records && known.members == c.members).then(|| Arc::clone(&known.record))
        };
        // On every core: 15,000 duplicated studies at 100k records.
        let merged = clusters
            .clusters
            .par_iter()
            .filter(|c| c.is_duplicated())
            .map(|c| {
                let record = kept(c).unwrap_or_else(|| Arc::new(merged(records, c)));
                let members = c.members.clone();
                (c.representative(), Merged { members, record })
            })
            .collect();
        Self {
            records: Arc::clone(records),
            representatives: clusters
                .clusters
                .iter()
                .map(|c| c.representative())
                .collect(),
            merged,
        }
    }

    /// The record shown for study `cluster`.
    pub fn get(&self, cluster: usize) -> &Record {
        let representative = self.representatives[cluster];
        match self.merged.get(&representative) {
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

    /// Files away a new grouping: decisions stored under members gathered under their study,
    /// the records of duplicated studies merged, one row per study.
    pub(super) fn adopt_clusters(&mut self) {
        let records = &self.corpus.records;
        for cluster in self.clusters.duplicated() {
            let ids: Vec<RecordId> = cluster
                .members
                .iter()
                .map(|&i| records[i].id.clone())
                .collect();
            self.decisions.gather(&cluster.id, &ids);
        }
        self.studies = Arc::new(self.studies.regrouped(records, &self.clusters));
        let ids = (0..self.clusters.clusters.len()).map(|c| &self.study(c).id);
        let statuses = Statuses::new(ids, &self.decisions);
        *self.statuses.get_mut() = statuses;
        // Cluster indices changed: a kept search is run again on the new grouping.
        self.studies_regrouped();
        match self.list.search.take() {
            Some(hits) => self.search_for(&hits.query),
            None => self.refresh_rows(),
        }
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
        for other in members.iter().filter(|id| **id != off) {
            self.decisions.mark_different(&off, other);
        }
        // Stay on the study being read; the record split off is listed on its own.
        let stay = members
            .iter()
            .find(|id| **id != off)
            .cloned()
            .unwrap_or_else(|| off.clone());
        self.regroup(&stay);
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

    /// The id of the representative record of the study with id `study`.
    fn representative_record(&self, study: &RecordId) -> Option<RecordId> {
        let cluster = self.clusters.clusters.iter().find(|c| c.id == *study)?;
        Some(self.corpus.records[cluster.representative()].id.clone())
    }

    /// Regroups the records after a merge or split, keeps the cursor on the study holding
    /// `follow`, and saves (the correction is part of the decisions file).
    pub(super) fn regroup(&mut self, follow: &RecordId) {
        self.group_again(Some(follow));
        self.save();
    }

    /// Groups the records into studies again — duplicate detection's findings with the
    /// reviewer's corrections as they stand — and keeps the cursor on the study holding the
    /// record `follow`, if it is listed.
    pub(super) fn group_again(&mut self, follow: Option<&RecordId>) {
        self.clusters = dedup::apply(
            &self.corpus.records,
            &self.automatic,
            self.decisions.duplicates(),
        );
        self.member_view = None;
        self.adopt_clusters();
        let record = follow.and_then(|id| self.corpus.records.iter().position(|r| r.id == *id));
        if let Some(index) = record {
            let cluster = self.clusters.of_record[index];
            if let Some(position) = self.rows.iter().position(|&c| c == cluster) {
                self.move_to(position);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::{Automatic, Overrides, pair};

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

    #[test]
    fn a_regrouping_keeps_the_merged_records_of_studies_it_left_alone() {
        let records = records();
        let automatic = Automatic::find(&records);
        let before = dedup::apply(&records, &automatic, &Overrides::default());
        assert_eq!(before.duplicated().count(), 3);
        let studies = Studies::default().regrouped(&records, &before);
        // The reviewer merges a study found once (record 6, the longest abstract) into the
        // first study (records 0 and 1, represented by 1), and the other one found once
        // (record 7) with the second study (records 2 and 3).
        let mut overrides = Overrides::default();
        overrides.same.insert(pair(&records[6].id, &records[0].id));
        overrides.same.insert(pair(&records[7].id, &records[2].id));
        let after = dedup::apply(&records, &automatic, &overrides);
        assert_eq!(after.duplicated().count(), 3);
        assert_eq!(after.clusters[after.of_record[6]].members, [1, 0, 6]);
        let regrouped = studies.regrouped(&records, &after);
        let fresh = Studies::default().regrouped(&records, &after);
        for (c, cluster) in after.clusters.iter().enumerate() {
            assert_eq!(regrouped.get(c), fresh.get(c), "study {c}");
            let kept = studies.merged.get(&cluster.representative());
            let now = regrouped.merged.get(&cluster.representative());
            if let (Some(kept), Some(now)) = (kept, now) {
                // Kept exactly when its records are the same.
                let same = kept.members == cluster.members;
                assert_eq!(Arc::ptr_eq(&kept.record, &now.record), same, "study {c}");
            }
        }
        let first = regrouped.get(after.of_record[6]);
        assert_eq!(
            first.abstract_text(),
            "We studied group 4, the longest of all.",
            "the study with a new member is merged again"
        );
        let third = after.of_record[4];
        assert!(
            Arc::ptr_eq(
                &studies.merged[&after.clusters[third].representative()].record,
                &regrouped.merged[&after.clusters[third].representative()].record
            ),
            "the study left alone keeps its merged record"
        );
        // Other records: nothing is kept.
        let other = records.iter().cloned().collect::<Vec<_>>().into();
        let elsewhere = studies.regrouped(&other, &before);
        assert!(elsewhere.merged.values().all(|m| {
            studies
                .merged
                .values()
                .all(|k| !Arc::ptr_eq(&k.record, &m.record))
        }));
    }
}
