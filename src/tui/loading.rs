//! A large corpus screened from its first records while the rest is read on other threads
//! ([`crate::session::open_progressively`]): the list grows to the whole corpus, grouped into
//! studies, when it has been read, and the reviewer stays on the study they were reading.

use super::app::App;
use crate::cache::Opened;
use crate::record::RecordId;
use crate::session::Loading;

/// The whole corpus as it is being read, or why it could not be.
pub enum Background {
    /// Being read.
    Reading(Loading),
    /// Reading it failed: the session goes on with the records already read.
    Failed(String),
}

impl App {
    /// Screens the first records of a corpus being read in the background by `loading`.
    pub fn with_loading(mut self, loading: Option<Loading>) -> Self {
        self.background = loading.map(Background::Reading);
        self
    }

    /// Whether the whole corpus is still being read.
    pub fn loading(&self) -> bool {
        matches!(self.background, Some(Background::Reading(_)))
    }

    /// What the title bar says while the corpus is not all there: being read, or why it
    /// could not be.
    pub fn loading_note(&self) -> Option<String> {
        match self.background.as_ref()? {
            Background::Reading(loading) => Some(format!(
                "{} records so far, reading all {}…",
                self.corpus.records.len(),
                megabytes(loading.bytes)
            )),
            Background::Failed(why) => Some(format!(
                "{} records (the rest could not be read: {why})",
                self.corpus.records.len()
            )),
        }
    }

    /// Takes the whole corpus in, once it is read and no popup is open (a popup works on the
    /// rows it was opened over). Never waits. Returns whether the screen changed.
    pub fn take_loaded(&mut self) -> bool {
        let Some(Background::Reading(loading)) = &self.background else {
            return false;
        };
        if !self.popups.is_empty() {
            return false;
        }
        let Some(read) = loading.take() else {
            return false;
        };
        match read {
            Ok(opened) => {
                self.background = None;
                self.adopt_corpus(opened);
            }
            Err(e) => {
                self.complain(format!("Reading the whole corpus failed: {e}"));
                self.background = Some(Background::Failed(e.to_string()));
            }
        }
        true
    }

    /// Replaces the first records by the whole corpus, grouped into studies with the
    /// reviewer's corrections as they stand now, and keeps the cursor on the study read.
    fn adopt_corpus(&mut self, opened: Opened) {
        let follow = self.current().map(|r| r.id.clone());
        let previewed: Vec<RecordId> = self.corpus.records.iter().map(|r| r.id.clone()).collect();
        self.corpus = opened.corpus;
        self.cache_write = opened.writing;
        self.automatic = opened.automatic;
        self.group_again(follow.as_ref());
        // The first records are those of the whole read (`corpus::preview`); should one have
        // been read otherwise, decisions made on it are under an id no record has now.
        let changed = previewed
            .iter()
            .enumerate()
            .filter(|&(i, id)| self.corpus.records.get(i).is_none_or(|r| r.id != *id))
            .count();
        if changed > 0 {
            self.complain(format!(
                "{changed} of the first {} records read differently once the whole corpus \
                 was read; decisions made on them are kept under their old ids (`abstriage \
                 check` lists them).",
                previewed.len()
            ));
        }
    }
}

/// `bytes` for a person: `222 MB`.
fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}
