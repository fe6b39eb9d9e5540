//! The search prompt: the list narrows and reorders, best match first, as each character is
//! typed. Enter keeps the results as a filter; Esc puts back the list and the study that were
//! there before.
//!
//! The search runs on a thread of its own ([`Searcher`]), so typing never waits for it: the
//! prompt shows each key at once, and the list changes when the results for the text typed
//! come. Results for a text typed over since are dropped, never shown: the newest text's
//! are on their way, and showing the older ones first would move the list twice. When the
//! thread can be sure of the best results before ranking them all, it hands them back first:
//! the list shows that screenful at once, cursor on the best, and the complete results follow
//! without moving those rows.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Popup;
use crate::filter::Filter;
use crate::record::RecordId;
use crate::search::engine::{Engine, Haystack, Records};
use crate::search::records::Query;
use crate::search::worker::{Outcome, Searcher};
use crate::tui::app::App;
use crate::tui::rows::{Hits, Sort};

/// The prompt's state.
#[derive(Debug, Clone, Default)]
pub struct SearchPrompt {
    /// What has been typed.
    pub query: String,
    /// The search kept before this one started, restored by Esc.
    before: Option<Hits>,
    /// The study the cursor was on, restored by Esc.
    was_on: Option<RecordId>,
}

impl PartialEq for SearchPrompt {
    fn eq(&self, other: &Self) -> bool {
        self.query == other.query && self.was_on == other.was_on
    }
}

impl Eq for SearchPrompt {}

/// The search thread and what the prompt waits for from it.
pub(crate) struct SearchTask {
    searcher: Searcher,
    /// The prompt's text changed since the last search was asked for (asked before the next
    /// frame, once for all the keys typed meanwhile).
    pending: bool,
    /// The search whose results the list waits for: its number and text.
    awaiting: Option<(u64, String)>,
    /// The studies the filter lets through, kept while the filter (and the decisions it
    /// reads) stay the same, so that the search thread can continue from its results.
    candidates: Option<Candidates>,
}

struct Candidates {
    filter: Filter,
    /// The decisions' revision, when the filter reads them.
    revision: Option<u64>,
    keys: Arc<[usize]>,
}

impl Default for SearchTask {
    fn default() -> Self {
        Self::new(Searcher::spawn())
    }
}

impl SearchTask {
    fn new(searcher: Searcher) -> Self {
        Self {
            searcher,
            pending: false,
            awaiting: None,
            candidates: None,
        }
    }
}

/// A key of the prompt that moves the cursor over the results, one row.
enum Step {
    Down,
    Up,
}

impl Step {
    /// The move `key` makes in the prompt: Down, Tab or Ctrl+N; Up, Shift+Tab or Ctrl+P.
    fn of(key: &KeyEvent) -> Option<Step> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Down | KeyCode::Tab => Some(Step::Down),
            KeyCode::Char('n') if ctrl => Some(Step::Down),
            KeyCode::Up | KeyCode::BackTab => Some(Step::Up),
            KeyCode::Char('p') if ctrl => Some(Step::Up),
            _ => None,
        }
    }
}

impl App {
    /// Opens the prompt, starting from the search kept before (if any).
    pub(crate) fn open_search(&mut self) {
        let prompt = SearchPrompt {
            query: self
                .list
                .search
                .as_ref()
                .map(|h| h.query.clone())
                .unwrap_or_default(),
            before: self.list.search.clone(),
            was_on: self.current().map(|r| r.id.clone()),
        };
        self.popups.push(Popup::Search(prompt));
        // The thread reads what first screens need while the reviewer starts typing, so the
        // first key's results do not wait for it.
        let rows = self.first_screen_rows();
        if rows > 0 && self.search_task.awaiting.is_none() {
            let haystack = self.search_haystack();
            self.search_task.searcher.send("", haystack, rows);
        }
    }

    pub(crate) fn search_key(&mut self, key: &KeyEvent) {
        let Some(Popup::Search(prompt)) = self.popups.last_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut query = prompt.query.clone();
        match key.code {
            KeyCode::Esc => {
                let (before, was_on) = (prompt.before.take(), prompt.was_on.take());
                self.drop_search();
                self.popups.pop();
                self.list.search = before;
                self.refresh_rows();
                if let Some(id) = was_on {
                    self.show_study(&id);
                }
                return;
            }
            KeyCode::Enter => {
                self.popups.pop();
                if let Some(hits) = &self.list.search {
                    let n = hits.scores.len();
                    let (studies, verb) = if n == 1 {
                        ("study", "matches")
                    } else {
                        ("studies", "match")
                    };
                    self.say(format!(
                        "{n} {studies} {verb} “{}”; F shows all again.",
                        hits.query
                    ));
                }
                return;
            }
            _ if let Some(step) = Step::of(key) => {
                self.move_to(match step {
                    Step::Down => self.cursor.saturating_add(1),
                    Step::Up => self.cursor.saturating_sub(1),
                });
                return;
            }
            KeyCode::Backspace => {
                query.pop();
            }
            KeyCode::Char('u') if ctrl => query.clear(),
            KeyCode::Char('w') if ctrl => {
                let kept = query.trim_end().rfind(' ').map_or(0, |i| i + 1);
                query.truncate(kept);
            }
            KeyCode::Char(c) if !ctrl => query.push(c),
            _ => return,
        }
        self.set_search_query(query);
    }

    /// Text pasted into the prompt (line breaks become spaces).
    pub(crate) fn search_paste(&mut self, text: &str) {
        let Some(Popup::Search(prompt)) = self.popups.last() else {
            return;
        };
        let query = format!("{}{}", prompt.query, text.replace(['\n', '\r'], " "));
        self.set_search_query(query);
    }

    /// Takes the typed query; the search for it is asked for in [`App::catch_up`], once for
    /// all the keys typed before the next frame.
    fn set_search_query(&mut self, query: String) {
        if let Some(Popup::Search(prompt)) = self.popups.last_mut() {
            prompt.query = query;
            self.search_task.pending = true;
        }
    }

    /// Searches with `searcher` instead of a thread of the app's own (tests answer through
    /// [`Searcher::manual`]'s desk).
    pub fn with_searcher(mut self, searcher: Searcher) -> Self {
        self.search_task = SearchTask::new(searcher);
        self
    }

    /// Asks for the search of what is typed in the prompt, if it changed since the last one,
    /// and takes its results if they came. Called before every frame; never waits. Returns
    /// whether the list changed.
    pub fn catch_up(&mut self) -> bool {
        let mut changed = false;
        if std::mem::take(&mut self.search_task.pending)
            && let Some(Popup::Search(prompt)) = self.popups.last()
        {
            let text = prompt.query.clone();
            let rows = self.first_screen_rows();
            if self.ask_for_search(&text, rows) {
                self.move_to(0);
                changed = true;
            }
        }
        self.take_search_result() || changed
    }

    /// Whether the list does not show the results of what is typed in the prompt yet.
    pub fn searching(&self) -> bool {
        self.search_task.pending || self.search_task.awaiting.is_some()
    }

    /// Shows the results of what was typed if they came, or their first screen if that came
    /// first. Never waits. Returns whether the list changed.
    pub fn take_search_result(&mut self) -> bool {
        let Some((id, text)) = self.search_task.awaiting.clone() else {
            return false;
        };
        match self.search_task.searcher.take(id) {
            Ok(Some(outcome)) if outcome.partial => self.show_first_screen(outcome),
            Ok(Some(outcome)) => {
                // After a first screen the reviewer may have moved in it: its rows are the
                // complete results' first, so the cursor stays on its study.
                let to_top = !self.first_screen_shown();
                self.show_results(outcome, to_top)
            }
            Ok(None) => return false,
            Err(_) => self.search_here(&text, true),
        }
        true
    }

    /// Waits for the results of what is typed and shows them (for keys that act on them, and
    /// for tests). Returns whether the list changed.
    pub fn finish_search(&mut self) -> bool {
        let changed = self.catch_up();
        let to_top = !self.first_screen_shown();
        self.await_search(to_top) || changed
    }

    /// Whether the list shows the first screen of the results awaited (of what is typed, no
    /// key typed since): rows that the complete results start with.
    fn first_screen_shown(&self) -> bool {
        let Some((_, text)) = &self.search_task.awaiting else {
            return false;
        };
        !self.search_task.pending
            && self
                .list
                .search
                .as_ref()
                .is_some_and(|hits| hits.partial && hits.query == *text)
    }

    /// Whether `key` moves the cursor within the first screen shown: those rows are final,
    /// so the move need not wait for the complete results (Enter, which reports how many
    /// studies match, still does).
    pub(crate) fn moves_within_the_first_screen(&self, key: &KeyEvent) -> bool {
        if !matches!(self.popups.last(), Some(Popup::Search(_))) || !self.first_screen_shown() {
            return false;
        }
        match Step::of(key) {
            Some(Step::Down) => self.cursor + 1 < self.rows.len(),
            Some(Step::Up) => true,
            None => false,
        }
    }

    /// Runs the search for `text` and waits for its results (a kept search, run again on new
    /// studies), keeping the cursor on its study.
    pub(crate) fn search_for(&mut self, text: &str) {
        if !self.ask_for_search(text, 0) {
            self.await_search(false);
        }
    }

    /// The studies changed (a merge or split): their indices are not those of any search
    /// asked for before, whose results are dropped; the prompt's text is searched again.
    pub(crate) fn studies_regrouped(&mut self) {
        self.search_task.candidates = None;
        if self.search_task.awaiting.take().is_some() {
            self.search_task.searcher.forget();
        }
        if matches!(self.popups.last(), Some(Popup::Search(_))) {
            self.search_task.pending = true;
        }
    }

    /// No results are wanted any more (Esc).
    fn drop_search(&mut self) {
        self.search_task.pending = false;
        if self.search_task.awaiting.take().is_some() {
            self.search_task.searcher.forget();
        }
    }

    /// How many results the thread should find first, before ranking them all: the rows the
    /// list shows, when it lists results best first (in another order, the best are not the
    /// first screen).
    fn first_screen_rows(&self) -> usize {
        if self.list.sort == Sort::Corpus {
            self.areas().list_rows()
        } else {
            0
        }
    }

    /// Asks the search thread for `text`'s results, the best `rows` first when that is
    /// quicker. When nothing is typed the whole list is shown at once instead, and it returns
    /// true.
    fn ask_for_search(&mut self, text: &str, rows: usize) -> bool {
        if text.split_whitespace().next().is_none() {
            self.drop_search();
            self.list.search = None;
            self.refresh_rows();
            return true;
        }
        let haystack = self.search_haystack();
        let id = self.search_task.searcher.send(text, haystack, rows);
        self.search_task.awaiting = Some((id, text.to_string()));
        false
    }

    /// Waits for the results awaited, if any, and shows them. Returns whether it waited.
    fn await_search(&mut self, to_top: bool) -> bool {
        let Some((id, text)) = self.search_task.awaiting.clone() else {
            return false;
        };
        match self.search_task.searcher.wait(id) {
            Ok(outcome) => self.show_results(outcome, to_top),
            Err(_) => self.search_here(&text, to_top),
        }
        true
    }

    /// The search thread is gone (it panicked): searches on this thread.
    fn search_here(&mut self, text: &str, to_top: bool) {
        let found = Query::new(text)
            .and_then(|query| Engine::default().search(query, &self.search_haystack(), &|| false));
        let outcome = Outcome {
            id: 0,
            text: text.to_string(),
            found,
            partial: false,
        };
        self.show_results(outcome, to_top);
    }

    fn show_results(&mut self, outcome: Outcome, to_top: bool) {
        self.search_task.awaiting = None;
        self.list.search = outcome.found.map(|found| Hits {
            query: outcome.text,
            scores: found.scores,
            ranked: found.ranked,
            matcher: Some(found.query),
            partial: false,
        });
        self.refresh_rows();
        if to_top {
            self.move_to(0);
        }
    }

    /// Shows the first screen of the results awaited, cursor on the best; the list goes on
    /// waiting for the complete results, which start with the same rows.
    fn show_first_screen(&mut self, outcome: Outcome) {
        let Some(found) = outcome.found else {
            return;
        };
        self.list.search = Some(Hits {
            query: outcome.text,
            scores: found.scores,
            ranked: found.ranked,
            matcher: Some(found.query),
            partial: true,
        });
        self.refresh_rows();
        self.move_to(0);
    }

    /// The studies to search: those the filter lets through (kept while the filter and the
    /// decisions stay the same).
    fn search_haystack(&mut self) -> Haystack {
        let filter = &self.list.filter;
        let revision = (!filter.is_empty()).then(|| self.decisions.revision());
        let kept = self
            .search_task
            .candidates
            .as_ref()
            .filter(|c| c.filter == *filter && c.revision == revision);
        let keys = match kept {
            Some(candidates) => Arc::clone(&candidates.keys),
            None => {
                let keys: Arc<[usize]> = (0..self.clusters.clusters.len())
                    .filter(|&c| self.passes_filter(c))
                    .collect();
                self.search_task.candidates = Some(Candidates {
                    filter: filter.clone(),
                    revision,
                    keys: Arc::clone(&keys),
                });
                keys
            }
        };
        let records: Arc<dyn Records> = self.studies.clone();
        Haystack {
            records,
            candidates: keys,
        }
    }

    /// Whether `key` only edits the search prompt's text (so a pending search can wait for the
    /// next one).
    pub(crate) fn only_edits_the_query(&self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        matches!(self.popups.last(), Some(Popup::Search(_)))
            && match key.code {
                KeyCode::Backspace => true,
                KeyCode::Char('u' | 'w') if ctrl => true,
                KeyCode::Char(_) => !ctrl && !alt,
                _ => false,
            }
    }
}
