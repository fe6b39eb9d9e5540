//! Which studies the list shows, in what order: the filter, a kept search, and the sort order.
//! The cursor stays on the study it was on whenever that study is still listed.

pub(crate) mod statuses;

use std::cell::Ref;
use std::sync::Arc;

use super::app::App;
use crate::decisions::Counts;
use crate::dedup::regroup::Regrouping;
use crate::filter::Filter;
use crate::record::RecordId;
use crate::search::records::Query;

/// Orders the list can be in; `s` cycles through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// As the studies stand in the corpus (for a search: best match first).
    #[default]
    Corpus,
    /// By year, oldest first; no year last.
    Year,
    /// By first author's family name.
    Author,
    /// By title (or derived label).
    Title,
}

impl Sort {
    /// The next order in the cycle.
    pub fn next(self) -> Self {
        match self {
            Sort::Corpus => Sort::Year,
            Sort::Year => Sort::Author,
            Sort::Author => Sort::Title,
            Sort::Title => Sort::Corpus,
        }
    }

    /// How the list title names it.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Corpus => "corpus order",
            Sort::Year => "by year",
            Sort::Author => "by author",
            Sort::Title => "by title",
        }
    }
}

/// Where a study goes in the list's order (ties in corpus order); one kind a list.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    /// Corpus order: no key.
    Corpus,
    /// The year, none last.
    Year(u16),
    /// Whether there is no first author (those go last), then the author lower-cased.
    Author(bool, String),
    /// The title lower-cased.
    Title(String),
}

/// A search's results: the query and the matching studies with their scores.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// What was typed.
    pub query: String,
    /// Matching studies (cluster index) with their scores, by cluster index.
    pub scores: Vec<(usize, i64)>,
    /// Matching studies best first (ties in corpus order), as the search thread ranked them.
    pub ranked: Vec<usize>,
    /// The query, to find where titles on screen match.
    pub matcher: Option<Arc<Query>>,
    /// Only the best matches, as many as the list shows, found before the others: the
    /// complete results (and their count) are on their way, and start with these.
    pub partial: bool,
}

impl Hits {
    /// These results after `regrouping`: the studies it left alone keep their scores under
    /// their new indices, and each study it made is scored by `score` (`None`: not found).
    pub fn regroup(&mut self, regrouping: &Regrouping, score: impl Fn(usize) -> Option<i64>) {
        self.scores.retain_mut(|(c, _)| regrouping.carry(c));
        self.ranked.retain_mut(|c| regrouping.carry(c));
        for &c in &regrouping.added {
            let Some(s) = score(c) else { continue };
            let at = self.scores.partition_point(|&(k, _)| k < c);
            self.scores.insert(at, (c, s));
            // Best first, ties by index: as the search thread ranks them.
            let score_of = |k: usize| {
                let i = self.scores.binary_search_by_key(&k, |&(k, _)| k);
                i.map_or(i64::MIN, |i| self.scores[i].1)
            };
            let at = (self.ranked).partition_point(|&k| (-score_of(k), k) < (-s, c));
            self.ranked.insert(at, c);
        }
    }

    /// Whether study `cluster` matched.
    pub fn contains(&self, cluster: usize) -> bool {
        self.scores
            .binary_search_by_key(&cluster, |&(c, _)| c)
            .is_ok()
    }
}

/// What narrows and orders the list.
#[derive(Debug, Clone, Default)]
pub struct ListView {
    /// The active filter.
    pub filter: Filter,
    /// The order.
    pub sort: Sort,
    /// A search typed and kept (Enter), or being typed.
    pub search: Option<Hits>,
}

impl App {
    /// Recomputes the rows from the filter, search and order, keeping the cursor on the same
    /// study when it is still listed.
    pub(super) fn refresh_rows(&mut self) {
        let keep = self.rows.get(self.cursor).copied();
        let rows = match &self.list.search {
            Some(hits) => {
                // Best match first, ties in corpus order, as the search thread ranked them;
                // other orders sort them from corpus order.
                let found: Box<dyn Iterator<Item = usize>> = match self.list.sort {
                    Sort::Corpus => Box::new(hits.ranked.iter().copied()),
                    _ => Box::new(hits.scores.iter().map(|&(c, _)| c)),
                };
                let mut rows: Vec<usize> = found.filter(|&c| self.passes_filter(c)).collect();
                self.order(&mut rows);
                rows
            }
            None => {
                let mut rows: Vec<usize> = (0..self.clusters.clusters.len())
                    .filter(|&c| self.passes_filter(c))
                    .collect();
                self.order(&mut rows);
                rows
            }
        };
        self.set_rows(rows, keep);
    }

    /// The rows after `regrouping`, as [`App::refresh_rows`] lists them without a search,
    /// without looking at every study: the others keep their order under their new indices,
    /// and each study grouped again is placed by its sort key.
    pub(super) fn regroup_rows(&mut self, regrouping: &Regrouping) {
        let keep = self.carry_rows(regrouping);
        let mut rows = std::mem::take(&mut self.rows);
        for &c in &regrouping.added {
            if self.passes_filter(c) {
                let key = (self.sort_key(c), c);
                let at = rows.partition_point(|&r| (self.sort_key(r), r) < key);
                rows.insert(at, c);
            }
        }
        self.set_rows(rows, keep);
    }

    /// Carries the rows through `regrouping`: the studies it left alone, under their new
    /// indices, the cursor on the same study (or on the row where it was, if it was grouped
    /// again). Returns the cursor's study if it was left alone.
    pub(super) fn carry_rows(&mut self, regrouping: &Regrouping) -> Option<usize> {
        let at = self.cursor;
        let keep = self.rows.get(at).and_then(|&c| regrouping.moved(c));
        let mut kept_before = 0;
        let mut position = 0;
        self.rows.retain_mut(|c| {
            let kept = regrouping.carry(c);
            if position < at {
                kept_before += usize::from(kept);
            }
            position += 1;
            kept
        });
        self.cursor = kept_before.min(self.rows.len().saturating_sub(1));
        keep
    }

    /// Lists `rows`, the cursor on study `keep` if it is listed, else on the first row.
    fn set_rows(&mut self, rows: Vec<usize>, keep: Option<usize>) {
        self.rows = rows;
        let statuses = self.statuses.get_mut();
        statuses.follow(&self.decisions);
        statuses.list(&self.rows);
        let position = keep.and_then(|c| self.rows.iter().position(|&r| r == c));
        self.cursor = position.unwrap_or(0).min(self.rows.len().saturating_sub(1));
        if position.is_none() {
            self.detail_scroll = 0;
            self.member_view = None;
        }
        self.keep_cursor_visible();
    }

    pub(super) fn passes_filter(&self, cluster: usize) -> bool {
        let filter = &self.list.filter;
        if filter.is_empty() {
            return true;
        }
        let study = self.study(cluster);
        let files = self.clusters.clusters[cluster]
            .members
            .iter()
            .map(|&i| self.corpus.records[i].source.file.as_str());
        filter.accepts(study, files, self.decisions.get(&study.id))
    }

    fn order(&self, rows: &mut [usize]) {
        // In corpus order, or for a search best first (as `refresh_rows` lists them); other
        // orders keep ties in the order they come.
        if self.list.sort != Sort::Corpus {
            rows.sort_by_cached_key(|&c| self.sort_key(c));
        }
    }

    /// Where study `cluster` goes in the list's order.
    fn sort_key(&self, cluster: usize) -> SortKey {
        let study = || self.study(cluster);
        match self.list.sort {
            Sort::Corpus => SortKey::Corpus,
            Sort::Year => SortKey::Year(study().year.map_or(u16::MAX, |y| y)),
            Sort::Author => {
                let author = study().first_author_family();
                SortKey::Author(author.is_none(), author.unwrap_or_default().to_lowercase())
            }
            Sort::Title => SortKey::Title(study().display_title().to_lowercase()),
        }
    }

    /// The verdicts on the studies, brought up to date with the decisions.
    pub(super) fn statuses_now(&self) -> Ref<'_, statuses::Statuses> {
        self.statuses.borrow_mut().follow(&self.decisions);
        self.statuses.borrow()
    }

    /// How many of the listed studies have each verdict.
    pub fn listed_counts(&self) -> Counts {
        self.statuses_now().counts()
    }

    /// Moves the cursor to the study `id`, when it is listed.
    pub(super) fn show_study(&mut self, id: &RecordId) {
        if let Some(position) = self.rows.iter().position(|&c| self.study(c).id == *id) {
            self.move_to(position);
        }
    }

    /// Title positions matching the search, for highlighting study `cluster` in the list
    /// (found when drawn: only the rows on screen need them).
    pub fn search_positions(&self, cluster: usize) -> Vec<usize> {
        let Some(hits) = self.list.search.as_ref().filter(|h| h.contains(cluster)) else {
            return Vec::new();
        };
        hits.matcher
            .as_ref()
            .map_or_else(Vec::new, |q| q.title_positions(&self.study(cluster).title))
    }
}
