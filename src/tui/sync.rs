//! Keeping the session and its decisions file in step when the file changes underneath it
//! (`git pull`, `abstriage mark`, another tool): checked every second and before every save,
//! merged three ways, never clobbered. A file with git conflict markers is left alone, and
//! saving waits until the reviewer has resolved it.

use super::app::{App, SaveState};
use crate::decisions::Decisions;
use crate::decisions::file;
use crate::decisions::merge::{FileStamp, three_way};

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
    /// Called about once a second: takes in a change made to the file by someone else.
    /// Returns whether the screen needs redrawing.
    pub fn tick(&mut self) -> bool {
        let before = (self.disk.stamp, self.disk.blocked.clone());
        self.take_in_disk_changes();
        (self.disk.stamp, self.disk.blocked.clone()) != before
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
            self.write_file();
        } else {
            self.save_state = SaveState::Saved;
        }
        match follow {
            Some(id) if regroup => self.regroup(&id),
            _ => self.refresh_rows(),
        }
        true
    }

    /// Saves the session's decisions, first merging whatever changed in the file meanwhile.
    pub(super) fn save(&mut self) {
        if self.take_in_disk_changes() {
            self.write_file();
        }
    }

    fn write_file(&mut self) {
        match file::save(&self.decisions_path, &self.reviewer, &self.decisions) {
            Ok(()) => {
                self.save_state = SaveState::Saved;
                self.disk.base = self.decisions.clone();
                self.disk.stamp = FileStamp::of(&self.decisions_path);
            }
            Err(e) => {
                let text = format!("Not saved: {e}");
                self.save_state = SaveState::Failed(text.clone());
                self.complain(text);
            }
        }
    }
}
