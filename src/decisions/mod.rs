//! What a reviewer decided about each record, and the file it lives in
//! (`screening/<reviewer>.toml`, format in `docs/decisions-format.md`).

pub mod file;
pub mod lock;
pub mod merge;
pub mod reviewer;
pub mod saver;
pub mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::dedup::{Overrides, pair};
use crate::record::RecordId;

/// A screening verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Meets the criteria (at this stage).
    Include,
    /// Does not meet them.
    Exclude,
    /// Unsure: to discuss or read in full.
    Maybe,
}

impl Status {
    /// Every status, in the order counts are shown.
    pub const ALL: [Status; 3] = [Status::Include, Status::Exclude, Status::Maybe];

    /// The word used in files, exports and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Include => "include",
            Status::Exclude => "exclude",
            Status::Maybe => "maybe",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "include" | "included" => Ok(Status::Include),
            "exclude" | "excluded" => Ok(Status::Exclude),
            "maybe" => Ok(Status::Maybe),
            other => Err(format!(
                "unknown decision `{other}` (expected include, exclude or maybe)"
            )),
        }
    }
}

/// Everything one reviewer recorded about one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The verdict; `None` when only themes or a note were recorded.
    pub status: Option<Status>,
    /// Exclusion reasons.
    pub reasons: Vec<String>,
    /// Themes, sorted so that the same set always reads (and diffs) the same.
    pub themes: Vec<String>,
    /// Free-text note.
    pub note: String,
    /// The record's title (or derived label) when last changed, for people reading diffs.
    pub title: String,
    /// When it was last changed.
    pub decided_at: Timestamp,
}

impl Decision {
    fn new(title: &str, now: Timestamp) -> Self {
        Self {
            status: None,
            reasons: Vec::new(),
            themes: Vec::new(),
            note: String::new(),
            title: title.to_string(),
            decided_at: now,
        }
    }

    /// Whether nothing is recorded (such an entry is not kept).
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.reasons.is_empty()
            && self.themes.is_empty()
            && self.note.is_empty()
    }
}

/// One reviewer's decisions, keyed by record id.
///
/// The entries live in a persistent map: a copy shares them, so handing the decisions to the
/// background saver after every keypress costs nothing, however many there are.
#[derive(Debug, Clone)]
pub struct Decisions {
    entries: imbl::OrdMap<RecordId, Decision>,
    /// The reviewer's corrections to duplicate detection.
    duplicates: Overrides,
    /// Which entries changed lately, so a view counting statuses over 100,000 studies can
    /// follow the changes instead of counting again (see [`Decisions::changed_since`]).
    changes: ChangeLog,
}

/// Revisions of a set of decisions: every set made or changed takes a revision number no other
/// set ever had, so two sets showing the same revision hold the same entries.
#[derive(Debug, Clone)]
struct ChangeLog {
    revision: u64,
    /// (revision before the change, id changed), oldest first; at most [`ChangeLog::KEEP`].
    recent: Vec<(u64, RecordId)>,
}

impl ChangeLog {
    const KEEP: usize = 64;

    fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self {
            revision: NEXT.fetch_add(1, Ordering::Relaxed),
            recent: Vec::new(),
        }
    }

    fn record(&mut self, id: &RecordId) {
        if self.recent.len() >= Self::KEEP {
            self.recent.drain(..Self::KEEP / 2);
        }
        self.recent.push((self.revision, id.clone()));
        self.revision = Self::new().revision;
    }
}

impl Default for Decisions {
    fn default() -> Self {
        Self {
            entries: imbl::OrdMap::new(),
            duplicates: Overrides::default(),
            changes: ChangeLog::new(),
        }
    }
}

/// Equal when they hold the same entries and corrections, whatever their history.
impl PartialEq for Decisions {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries && self.duplicates == other.duplicates
    }
}

impl Eq for Decisions {}

impl Decisions {
    /// Builds a set from entries (as read from a file).
    pub fn from_entries(entries: BTreeMap<RecordId, Decision>) -> Self {
        Self {
            entries: entries.into_iter().collect(),
            ..Self::default()
        }
    }

    /// This set's revision: it changes with every change to an entry, and no other set has
    /// the same one, so a copy of it or of anything computed from it is current while the
    /// revision is the same.
    pub fn revision(&self) -> u64 {
        self.changes.revision
    }

    /// The ids whose entries changed since this set was at `revision` (oldest first, an id
    /// possibly more than once), or `None` when that is not known (too many changes since, or
    /// `revision` is not of this set's history): then compare everything again.
    pub fn changed_since(&self, revision: u64) -> Option<Vec<&RecordId>> {
        if revision == self.changes.revision {
            return Some(Vec::new());
        }
        let recent = &self.changes.recent;
        let from = recent.iter().position(|(before, _)| *before == revision)?;
        Some(recent[from..].iter().map(|(_, id)| id).collect())
    }

    /// Adds the reviewer's corrections to duplicate detection (as read from a file).
    pub fn with_duplicates(mut self, duplicates: Overrides) -> Self {
        self.duplicates = duplicates;
        self
    }

    /// The reviewer's corrections to duplicate detection.
    pub fn duplicates(&self) -> &Overrides {
        &self.duplicates
    }

    /// Records that `a` and `b` are the same study (undoing any split of the two).
    pub fn mark_same(&mut self, a: &RecordId, b: &RecordId) {
        let key = pair(a, b);
        self.duplicates.different.remove(&key);
        self.duplicates.same.insert(key);
    }

    /// Records that `a` and `b` are different studies (undoing any merge of the two).
    pub fn mark_different(&mut self, a: &RecordId, b: &RecordId) {
        let key = pair(a, b);
        self.duplicates.same.remove(&key);
        self.duplicates.different.insert(key);
    }

    /// The decision on a study found as several records: the one under its id, else the
    /// latest one stored under any member's id (decided before the duplicates were found).
    pub fn for_study<'a>(
        &self,
        study: &RecordId,
        members: impl Iterator<Item = &'a RecordId>,
    ) -> Option<&Decision> {
        self.entries.get(study).or_else(|| {
            members
                .filter_map(|id| self.entries.get(id))
                .max_by_key(|d| d.decided_at)
        })
    }

    /// Files the decisions stored under a study's members under the study's own id, keeping
    /// the latest, so one study has one decision. Returns whether anything moved.
    pub fn gather(&mut self, study: &RecordId, members: &[RecordId]) -> bool {
        let stray: Vec<RecordId> = members
            .iter()
            .filter(|id| *id != study && self.entries.contains_key(*id))
            .cloned()
            .collect();
        if stray.is_empty() {
            return false;
        }
        let mut candidates: Vec<Decision> = stray
            .iter()
            .filter_map(|id| self.entries.remove(id))
            .collect();
        if let Some(own) = self.entries.remove(study) {
            candidates.push(own);
        }
        if let Some(latest) = candidates.into_iter().max_by_key(|d| d.decided_at) {
            self.entries.insert(study.clone(), latest);
        }
        for id in stray.iter().chain([study]) {
            self.changes.record(id);
        }
        true
    }

    /// The decision on `id`, if any.
    pub fn get(&self, id: &RecordId) -> Option<&Decision> {
        self.entries.get(id)
    }

    /// The verdict on `id`, if any.
    pub fn status(&self, id: &RecordId) -> Option<Status> {
        self.get(id).and_then(|d| d.status)
    }

    /// Every entry, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = (&RecordId, &Decision)> {
        self.entries.iter()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets (or with `None` clears) the verdict on `id`, keeping its themes and note; clearing
    /// also drops exclusion reasons, which only mean something beside an exclusion.
    pub fn set_status(
        &mut self,
        id: &RecordId,
        title: &str,
        status: Option<Status>,
        now: Timestamp,
    ) {
        self.update(id, title, now, |d| {
            d.status = status;
            if status != Some(Status::Exclude) {
                d.reasons.clear();
            }
        });
    }

    /// Excludes `id` for exactly these `reasons` (one keystroke: exclude for reason 3).
    pub fn exclude_for(
        &mut self,
        id: &RecordId,
        title: &str,
        reasons: Vec<String>,
        now: Timestamp,
    ) {
        self.update(id, title, now, |d| {
            d.status = Some(Status::Exclude);
            d.reasons = reasons;
        });
    }

    /// Adds exclusion `reason` to `id` if absent, removes it if present; a reason implies the
    /// record is excluded. Returns whether it is now set.
    pub fn toggle_reason(
        &mut self,
        id: &RecordId,
        title: &str,
        reason: &str,
        now: Timestamp,
    ) -> bool {
        let mut now_set = false;
        self.update(id, title, now, |d| {
            if let Some(i) = d.reasons.iter().position(|r| r == reason) {
                d.reasons.remove(i);
            } else {
                d.reasons.push(reason.to_string());
                d.status = Some(Status::Exclude);
                now_set = true;
            }
        });
        now_set
    }

    /// Replaces the note on `id` (an empty note removes it).
    pub fn set_note(&mut self, id: &RecordId, title: &str, note: &str, now: Timestamp) {
        let note = note.trim_end().to_string();
        self.update(id, title, now, |d| d.note = note);
    }

    /// Puts back an entry exactly as it was (`None`: no entry), for undo and redo.
    pub fn restore(&mut self, id: &RecordId, entry: Option<Decision>) {
        match entry {
            Some(decision) => self.entries.insert(id.clone(), decision),
            None => self.entries.remove(id),
        };
        self.changes.record(id);
    }

    /// Puts back the duplicate corrections exactly as they were, for undo and redo.
    pub fn restore_duplicates(&mut self, duplicates: Overrides) {
        self.duplicates = duplicates;
    }

    /// Adds `theme` to `id` if absent, removes it if present. Returns whether it is now set.
    pub fn toggle_theme(
        &mut self,
        id: &RecordId,
        title: &str,
        theme: &str,
        now: Timestamp,
    ) -> bool {
        let mut now_set = false;
        self.update(id, title, now, |d| {
            if let Some(i) = d.themes.iter().position(|t| t == theme) {
                d.themes.remove(i);
            } else {
                d.themes.push(theme.to_string());
                d.themes.sort();
                now_set = true;
            }
        });
        now_set
    }

    /// Applies `change` to the entry of `id` (created if needed), stamping it; entries left
    /// empty are removed.
    fn update(
        &mut self,
        id: &RecordId,
        title: &str,
        now: Timestamp,
        change: impl FnOnce(&mut Decision),
    ) {
        let entry = self
            .entries
            .entry(id.clone())
            .or_insert_with(|| Decision::new(title, now));
        change(entry);
        entry.title = title.to_string();
        entry.decided_at = now;
        if entry.is_empty() {
            self.entries.remove(id);
        }
        self.changes.record(id);
    }

    /// How many of `ids` have each verdict, and how many have one at all.
    pub fn counts<'a>(&self, ids: impl Iterator<Item = &'a RecordId>) -> Counts {
        let mut counts = Counts::default();
        for id in ids {
            counts.total += 1;
            match self.status(id) {
                Some(Status::Include) => counts.include += 1,
                Some(Status::Exclude) => counts.exclude += 1,
                Some(Status::Maybe) => counts.maybe += 1,
                None => {}
            }
        }
        counts
    }
}

/// Screening progress over a set of records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records considered.
    pub total: usize,
    /// Included.
    pub include: usize,
    /// Excluded.
    pub exclude: usize,
    /// Maybe.
    pub maybe: usize,
}

impl Counts {
    /// Records with a verdict.
    pub fn screened(&self) -> usize {
        self.include + self.exclude + self.maybe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).unwrap()
    }

    #[test]
    fn clearing_keeps_themes_and_drops_empty_entries() {
        let id = RecordId::new("r1");
        let mut d = Decisions::default();
        d.set_status(&id, "T", Some(Status::Include), t(1));
        assert!(d.toggle_theme(&id, "T", "b", t(2)));
        assert!(d.toggle_theme(&id, "T", "a", t(3)));
        d.set_status(&id, "T", None, t(4));
        let entry = d.get(&id).unwrap();
        assert_eq!(
            (entry.status, entry.themes.clone(), entry.decided_at),
            (None, vec!["a".to_string(), "b".to_string()], t(4))
        );
        assert!(!d.toggle_theme(&id, "T", "a", t(5)));
        assert!(!d.toggle_theme(&id, "T", "b", t(6)));
        assert!(d.is_empty());
    }

    #[test]
    fn counts_follow_statuses() {
        let ids: Vec<RecordId> = (0..4).map(|i| RecordId::new(format!("r{i}"))).collect();
        let mut d = Decisions::default();
        d.set_status(&ids[0], "", Some(Status::Include), t(0));
        d.set_status(&ids[1], "", Some(Status::Exclude), t(0));
        d.set_status(&ids[2], "", Some(Status::Maybe), t(0));
        let c = d.counts(ids.iter());
        assert_eq!(
            (c.total, c.screened(), c.include, c.exclude, c.maybe),
            (4, 3, 1, 1, 1)
        );
    }

    #[test]
    fn a_studys_decision_is_found_under_any_member_and_gathered_under_its_id() {
        let (study, a, b) = (
            RecordId::new("10.1/x"),
            RecordId::new("ha"),
            RecordId::new("hb"),
        );
        let mut d = Decisions::default();
        d.set_status(&a, "A", Some(Status::Exclude), t(10));
        d.set_status(&b, "B", Some(Status::Include), t(20));
        let members = [study.clone(), a.clone(), b.clone()];
        assert_eq!(
            d.for_study(&study, members.iter()).map(|x| x.status),
            Some(Some(Status::Include)),
            "the latest"
        );
        assert!(d.gather(&study, &members));
        assert_eq!(d.len(), 1);
        assert_eq!(d.status(&study), Some(Status::Include));
        assert!(!d.gather(&study, &members), "nothing left to move");
    }

    #[test]
    fn merging_undoes_a_split_and_splitting_undoes_a_merge() {
        let (a, b) = (RecordId::new("hb"), RecordId::new("ha"));
        let mut d = Decisions::default();
        d.mark_different(&a, &b);
        d.mark_same(&a, &b);
        assert!(d.duplicates().different.is_empty());
        assert_eq!(
            d.duplicates().same.iter().next(),
            Some(&(b.clone(), a.clone())),
            "stored smaller id first"
        );
        d.mark_different(&b, &a);
        assert!(d.duplicates().same.is_empty());
    }

    #[test]
    fn reasons_imply_exclusion_and_notes_are_kept_with_the_entry() {
        let id = RecordId::new("r");
        let mut d = Decisions::default();
        assert!(d.toggle_reason(&id, "T", "wrong setting", t(1)));
        assert_eq!(d.status(&id), Some(Status::Exclude));
        d.exclude_for(&id, "T", vec!["no abstract".into()], t(2));
        assert_eq!(
            d.get(&id).map(|e| e.reasons.clone()),
            Some(vec!["no abstract".to_string()])
        );
        d.set_note(&id, "T", "check full text\n\n", t(3));
        d.set_status(&id, "T", None, t(4));
        let entry = d.get(&id).unwrap();
        assert_eq!(
            (entry.reasons.len(), entry.note.as_str()),
            (0, "check full text"),
            "clearing drops reasons, keeps the note"
        );
        let before = d.get(&id).cloned();
        d.set_note(&id, "T", "", t(5));
        assert!(d.is_empty());
        d.restore(&id, before.clone());
        assert_eq!(d.get(&id).cloned(), before);
    }

    #[test]
    fn changes_are_told_since_a_revision_of_the_same_history() {
        let (a, b) = (RecordId::new("a"), RecordId::new("b"));
        let mut d = Decisions::default();
        let start = d.revision();
        assert_eq!(d.changed_since(start), Some(vec![]));
        d.set_status(&a, "A", Some(Status::Include), t(1));
        let after_a = d.revision();
        d.restore(&b, None);
        assert_eq!(d.changed_since(start), Some(vec![&a, &b]));
        assert_eq!(d.changed_since(after_a), Some(vec![&b]));
        let copy = d.clone();
        assert_eq!(
            copy.revision(),
            d.revision(),
            "a copy holds the same entries"
        );
        let other = Decisions::from_entries(BTreeMap::new());
        assert_eq!(other.changed_since(start), None, "another history");
        for i in 0..200 {
            d.set_status(&a, "A", Some(Status::Maybe), t(i));
        }
        assert_eq!(d.changed_since(start), None, "too long ago");
        assert_ne!(d.revision(), copy.revision());
        assert_eq!(Decisions::default(), other, "equality ignores revisions");
    }

    #[test]
    fn statuses_parse_from_words() {
        assert_eq!("Include".parse(), Ok(Status::Include));
        assert!("yes".parse::<Status>().is_err());
    }
}
