//! Keeping the session and its decisions file in step: every change is handed to the
//! background [`Saver`](crate::decisions::saver::Saver) at once, and what it reports comes back
//! here. Changes made to the file underneath the session (`git pull`, `abstriage mark`,
//! another tool) are checked every second and before every save, merged three ways, never
//! clobbered. A file with git conflict markers is left alone, and saving waits until the
//! reviewer has resolved it.

use std::time::{Duration, Instant};

use super::app::{App, SaveState};
use crate::decisions::Decisions;
use crate::decisions::file;
use crate::decisions::merge::{FileStamp, three_way};
use crate::decisions::saver::{Outcome, rescue};

/// How long a session ending without the reviewer (signal, crash) waits for its last save.
const EXIT_WAIT: Duration = Duration::from_secs(3);

/// What the session knows of its file on disk.
#[derive(Debug, Clone, Default)]
pub struct Disk {
    /// The decisions as last read from or written to the file: the merge base.
    pub base: Decisions,
    /// The file's stamp then.
    pub stamp: Option<FileStamp>,
    /// Why the file cannot be merged now (conflict markers, a parse error), if so.
    pub blocked: Option<String>,
}

impl Disk {
    /// The file as the session opened it.
    pub fn opened(decisions: &Decisions, path: &std::path::Path) -> Self {
        Self {
            base: decisions.clone(),
            stamp: FileStamp::of(path),
            blocked: None,
        }
    }
}

impl App {
    /// Called about once a second: takes in what the saver reported and a change made to the
    /// file by someone else. Returns whether the screen needs redrawing.
    pub fn tick(&mut self) -> bool {
        let before = (self.disk.stamp, self.disk.blocked.clone());
        let reported = self.take_save_outcomes();
        if !self.saver.is_busy() {
            self.take_in_disk_changes();
        }
        reported || (self.disk.stamp, self.disk.blocked.clone()) != before
    }

    /// Takes in what the saver reported since last asked. Returns whether anything came.
    pub fn take_save_outcomes(&mut self) -> bool {
        let outcomes = self.saver.outcomes();
        let any = !outcomes.is_empty();
        for outcome in outcomes {
            self.take_outcome(outcome);
        }
        any
    }

    /// What another thread needs to finish saving if this session's loop is stuck.
    pub fn lifeline(&self) -> crate::decisions::saver::Lifeline {
        self.saver.lifeline()
    }

    /// Whether a save is being written or retried.
    pub fn saving(&self) -> bool {
        self.saver.is_busy()
    }

    /// Waits up to `limit` for every change to be on disk (or for a save to fail). Returns
    /// whether everything is saved.
    pub fn wait_for_saves(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while self.saver.is_busy() {
            let left = deadline.saturating_duration_since(Instant::now());
            for outcome in self.saver.wait(left) {
                self.take_outcome(outcome);
            }
            if left.is_zero() || matches!(self.save_state, SaveState::Failed(_)) {
                break;
            }
        }
        self.save_state == SaveState::Saved
    }

    /// Ends the session without asking anyone (a signal, a crash, the terminal gone): every
    /// decision is written, to the decisions file if it can be within [`EXIT_WAIT`], else to a
    /// rescue file. Says where they are: `Ok` when in the decisions file (or nothing needed
    /// saving), `Err` otherwise.
    pub fn save_before_exit(&mut self) -> Result<String, String> {
        if let Some(why) = &self.read_only {
            return Ok(format!("Nothing to save: {why}"));
        }
        if let Some(farewell) = self.farewell.clone()
            && self.save_state != SaveState::Saved
        {
            // The reviewer already chose where the decisions went (or to lose them).
            return Err(farewell);
        }
        if self.saver.is_busy() || self.decisions != self.disk.base {
            self.save();
        }
        if self.wait_for_saves(EXIT_WAIT) {
            return Ok(format!(
                "Decisions saved in {}",
                self.decisions_path.display()
            ));
        }
        let why = match &self.save_state {
            SaveState::Failed(why) => why.clone(),
            _ => format!("still being written after {} s", EXIT_WAIT.as_secs()),
        };
        let written = rescue(&self.decisions_path, &self.reviewer, Some(&self.decisions));
        Err(format!("{written} ({why})"))
    }

    fn take_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Saved {
                decisions, stamp, ..
            } => {
                self.disk.base = decisions;
                self.disk.stamp = stamp;
                if !self.saver.is_busy() {
                    if let SaveState::Failed(_) = self.save_state {
                        self.say(format!("Saved again: {}", self.decisions_path.display()));
                    }
                    self.save_state = SaveState::Saved;
                }
            }
            Outcome::Failed { error, .. } => {
                let text = format!("Not saved: {error} (kept in memory, retrying)");
                if self.save_state != SaveState::Failed(text.clone()) {
                    self.complain(text.clone());
                }
                self.save_state = SaveState::Failed(text);
            }
            Outcome::Changed { .. } => {
                let queued = self.saver.queued();
                if self.take_in_disk_changes()
                    && self.saver.queued() == queued
                    && !self.saver.is_busy()
                    && self.decisions != self.disk.base
                {
                    self.queue_save();
                }
            }
        }
    }

    /// Merges the file's changes into the session if it changed since last read or written.
    /// Returns false when the file cannot be merged (it is then not to be written).
    pub(super) fn take_in_disk_changes(&mut self) -> bool {
        let stamp = FileStamp::of(&self.decisions_path);
        if stamp == self.disk.stamp && self.disk.blocked.is_none() {
            return true;
        }
        let theirs = match file::load(&self.decisions_path) {
            Ok(theirs) => theirs,
            Err(e) => {
                let text = format!("Not saving: {e}");
                if self.disk.blocked.as_deref() != Some(text.as_str()) {
                    self.complain(text.clone());
                }
                self.disk.blocked = Some(text.clone());
                self.disk.stamp = stamp;
                self.save_state = SaveState::Failed(text);
                return false;
            }
        };
        let was_blocked = self.disk.blocked.take().is_some();
        self.disk.stamp = stamp;
        if theirs == self.disk.base && !was_blocked {
            return true;
        }
        let merged = three_way(&self.disk.base, &self.decisions, &theirs);
        let follow = self.current().map(|r| r.id.clone());
        let regroup = merged.decisions.duplicates() != self.decisions.duplicates();
        self.decisions = merged.decisions;
        self.disk.base = theirs.clone();
        if merged.from_disk > 0 || !merged.both_changed.is_empty() {
            let mut text = format!(
                "{} changed on disk: {} decision(s) taken in",
                self.decisions_path.display(),
                merged.from_disk
            );
            if !merged.both_changed.is_empty() {
                text.push_str(&format!(
                    "; {} changed here and there, the later kept",
                    merged.both_changed.len()
                ));
            }
            self.say(text);
        }
        if self.decisions != theirs {
            self.queue_save();
        } else if !self.saver.is_busy() {
            self.save_state = SaveState::Saved;
        }
        if regroup {
            self.regroup(follow.as_ref());
        } else {
            self.refresh_rows();
        }
        true
    }

    /// Saves the session's decisions in the background, first merging whatever changed in the
    /// file meanwhile (while a save is under way, the saver itself refuses to overwrite a
    /// change made by someone else, and the merge happens when it says so).
    pub(super) fn save(&mut self) {
        if self.read_only.is_some() {
            return;
        }
        if self.saver.is_busy() {
            return self.queue_save();
        }
        let queued = self.saver.queued();
        if self.take_in_disk_changes() && self.saver.queued() == queued {
            self.queue_save();
        }
    }

    fn queue_save(&mut self) {
        if self.read_only.is_some() {
            return;
        }
        self.saver.queue(self.decisions.clone(), self.disk.stamp);
        if !matches!(self.save_state, SaveState::Failed(_)) {
            self.save_state = SaveState::Pending;
        }
    }
}
