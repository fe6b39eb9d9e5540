//! Undo and redo of every change a reviewer makes in a session — decisions, reasons, themes,
//! notes, merges and splits — each saved to disk like the change itself. A change is kept as
//! the entry before and after it, so undoing one study's decision never touches another's.

use super::app::App;
use crate::decisions::{Decision, Decisions};
use crate::dedup::Overrides;
use crate::record::RecordId;

/// One change, as it can be undone and redone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A study's entry in the decisions file.
    Entry {
        /// The study.
        id: RecordId,
        /// The entry before (`None`: there was none).
        before: Option<Decision>,
        /// The entry after.
        after: Option<Decision>,
    },
    /// The reviewer's duplicate corrections (a merge or a split).
    Duplicates {
        /// Before.
        before: Overrides,
        /// After.
        after: Overrides,
    },
}

/// The session's changes: done (undoable) and undone (redoable).
#[derive(Debug, Clone, Default)]
pub struct History {
    done: Vec<Change>,
    undone: Vec<Change>,
}

impl History {
    /// Files a new change; whatever was undone can no longer be redone.
    pub fn record(&mut self, change: Change) {
        self.done.push(change);
        self.undone.clear();
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }
}

impl App {
    /// Applies `edit` to the decisions on study `id`, files it for undo, and saves.
    pub(super) fn change(&mut self, id: &RecordId, edit: impl FnOnce(&mut Decisions)) {
        let before = self.decisions.get(id).cloned();
        edit(&mut self.decisions);
        let after = self.decisions.get(id).cloned();
        if before != after {
            self.history.record(Change::Entry {
                id: id.clone(),
                before,
                after,
            });
            self.save();
        }
    }

    /// Applies `edit` to the duplicate corrections, files it for undo, regroups and saves.
    pub(super) fn change_duplicates(
        &mut self,
        follow: &RecordId,
        edit: impl FnOnce(&mut Decisions),
    ) {
        let before = self.decisions.duplicates().clone();
        edit(&mut self.decisions);
        let after = self.decisions.duplicates().clone();
        if before != after {
            self.history.record(Change::Duplicates {
                before: before.clone(),
                after,
            });
            self.regroup_after(&before, Some(follow));
        }
    }

    /// Undoes the last change still done.
    pub(super) fn undo(&mut self) {
        match self.history.done.pop() {
            Some(change) => {
                self.apply(&change, false);
                self.history.undone.push(change);
                self.say("Undone.");
            }
            None => self.say("Nothing to undo."),
        }
    }

    /// Redoes the last change undone.
    pub(super) fn redo(&mut self) {
        match self.history.undone.pop() {
            Some(change) => {
                self.apply(&change, true);
                self.history.done.push(change);
                self.say("Redone.");
            }
            None => self.say("Nothing to redo."),
        }
    }

    /// Puts the `after` (redo) or `before` (undo) side of `change` in place, shows the study
    /// it concerns, and saves.
    fn apply(&mut self, change: &Change, forward: bool) {
        match change {
            Change::Entry { id, before, after } => {
                let entry = if forward { after } else { before };
                self.decisions.restore(id, entry.clone());
                self.show_study(id);
                self.save();
            }
            Change::Duplicates { before, after } => {
                let overrides = if forward { after } else { before };
                // What they are now: the decisions file may have brought others' since.
                let now = self.decisions.duplicates().clone();
                self.decisions.restore_duplicates(overrides.clone());
                let follow = self.current().map(|r| r.id.clone());
                self.regroup_after(&now, follow.as_ref());
            }
        }
    }
}
