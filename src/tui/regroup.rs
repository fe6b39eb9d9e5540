//! Grouping the records into studies again: in whole when the corpus or the decisions file
//! changes under the session, in part when the reviewer merges or splits (a key, at 100,000
//! records, must not group the whole corpus again).

use std::sync::Arc;

use super::app::App;
use super::rows::statuses::Statuses;
use crate::dedup::regroup::{Reach, Regrouping, regroup};
use crate::dedup::{self, Overrides};
use crate::record::{IdIndex, RecordId};

impl App {
    /// Indexes the corpus's records by id (when the corpus is new) and which records each may
    /// share a study with, from duplicate detection's findings and the reviewer's corrections.
    pub(super) fn index_corpus(&mut self) {
        let records = &self.corpus.records;
        if !self.ids.indexes(records) {
            self.ids = Arc::new(IdIndex::new(records));
        }
        let overrides = self.decisions.duplicates();
        self.reach = Reach::new(records.len(), &self.automatic, overrides, &self.ids);
    }

    /// Files away a new grouping: decisions stored under members gathered under their study,
    /// the records of duplicated studies merged, one row per study.
    pub(super) fn adopt_clusters(&mut self) {
        for c in 0..self.clusters.clusters.len() {
            self.gather_study(c);
        }
        let records = &self.corpus.records;
        self.studies = Arc::new(self.studies.regrouped(records, &self.clusters));
        let statuses = self.statuses.get_mut();
        let representatives = self.studies.representatives();
        if statuses.indexes(&self.ids) {
            statuses.regroup(representatives);
        } else {
            *statuses = Statuses::new(Arc::clone(&self.ids), representatives, &self.decisions);
        }
        // Cluster indices changed: a kept search is run again on the new grouping.
        self.studies_regrouped();
        match self.list.search.take() {
            Some(hits) => self.search_for(&hits.query),
            None => self.refresh_rows(),
        }
    }

    /// Gathers the decisions stored under the records of study `c` (found more than once)
    /// under the study's id.
    fn gather_study(&mut self, c: usize) {
        let cluster = &self.clusters.clusters[c];
        if cluster.is_duplicated() {
            let ids: Vec<RecordId> = (cluster.members.iter())
                .map(|&i| self.corpus.records[i].id.clone())
                .collect();
            self.decisions.gather(&cluster.id, &ids);
        }
    }

    /// The id of the representative record of the study with id `study`.
    pub(super) fn representative_record(&self, study: &RecordId) -> Option<RecordId> {
        let cluster = self.clusters.of(self.ids.first(study)?);
        (cluster.id == *study).then(|| self.corpus.records[cluster.representative()].id.clone())
    }

    /// Regroups the records in whole (the decisions file changed under the session), keeps
    /// the cursor on the study holding `follow`, and saves.
    pub(super) fn regroup(&mut self, follow: Option<&RecordId>) {
        self.group_again(follow);
        self.save();
    }

    /// Groups the records into studies again — duplicate detection's findings with the
    /// reviewer's corrections as they stand — and keeps the cursor on the study holding the
    /// record `follow`, if it is listed.
    pub(super) fn group_again(&mut self, follow: Option<&RecordId>) {
        self.index_corpus();
        self.clusters = dedup::apply(
            &self.corpus.records,
            &self.automatic,
            self.decisions.duplicates(),
        );
        self.member_view = None;
        self.adopt_clusters();
        self.follow_record(follow);
    }

    /// Regroups the studies a correction changed — the reviewer's corrections were `before`
    /// and are now the decisions' — keeps the cursor on the study holding `follow`, and
    /// saves (the correction is part of the decisions file).
    pub(super) fn regroup_after(&mut self, before: &Overrides, follow: Option<&RecordId>) {
        let regrouping = regroup(
            &mut self.clusters,
            &self.corpus.records,
            &self.automatic,
            &self.ids,
            &mut self.reach,
            before,
            self.decisions.duplicates(),
        );
        self.member_view = None;
        if !regrouping.is_empty() {
            self.adopt_regrouping(&regrouping);
        }
        self.follow_record(follow);
        self.save();
    }

    /// Files away a regrouping in part: as [`App::adopt_clusters`], for the studies it
    /// grouped again, the others moved to their new indices.
    fn adopt_regrouping(&mut self, regrouping: &Regrouping) {
        for &c in &regrouping.added {
            self.gather_study(c);
        }
        let studies = self.studies.regrouped_in_part(&self.clusters, regrouping);
        self.studies = Arc::new(studies);
        (self.statuses.get_mut()).regroup(self.studies.representatives());
        self.studies_regrouped();
        match self.list.search.take() {
            // Complete results: the studies made are scored, the others keep theirs.
            Some(mut hits) => match (hits.partial, hits.matcher.clone()) {
                (false, Some(query)) => {
                    let matches = |c: usize| query.rank(self.study(c));
                    hits.regroup(regrouping, |c| self.passes_filter(c).then(|| matches(c))?);
                    self.list.search = Some(hits);
                    self.carry_rows(regrouping);
                    self.refresh_rows();
                }
                // The first screen of results still on their way: searched again.
                _ => self.search_for(&hits.query),
            },
            None => self.regroup_rows(regrouping),
        }
    }

    /// Moves the cursor to the study holding the record `follow`, if it is listed.
    fn follow_record(&mut self, follow: Option<&RecordId>) {
        let Some(record) = follow.and_then(|id| self.ids.first(id)) else {
            return;
        };
        let cluster = self.clusters.of_record[record];
        if let Some(position) = self.rows.iter().position(|&c| c == cluster) {
            self.move_to(position);
        }
    }
}
