//! The search prompt: the list narrows and reorders, best match first, as each character is
//! typed. Enter keeps the results as a filter; Esc puts back the list and the study that were
//! there before.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Popup;
use crate::record::RecordId;
use crate::tui::app::App;
use crate::tui::rows::Hits;

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
    }

    pub(crate) fn search_key(&mut self, key: &KeyEvent) {
        let Some(Popup::Search(prompt)) = self.popups.last_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut query = prompt.query.clone();
        match key.code {
            KeyCode::Esc => {
                self.search_pending = false;
                let (before, was_on) = (prompt.before.take(), prompt.was_on.take());
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
                    self.say(format!(
                        "{n} studies match “{}”; F shows all again.",
                        hits.query
                    ));
                }
                return;
            }
            KeyCode::Down | KeyCode::Tab => {
                self.move_to(self.cursor.saturating_add(1));
                return;
            }
            KeyCode::Char('n') if ctrl => {
                self.move_to(self.cursor.saturating_add(1));
                return;
            }
            KeyCode::Up | KeyCode::BackTab => {
                self.move_to(self.cursor.saturating_sub(1));
                return;
            }
            KeyCode::Char('p') if ctrl => {
                self.move_to(self.cursor.saturating_sub(1));
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

    /// Takes the typed query; the search itself runs in [`App::catch_up`], once for all the
    /// keys typed before the next frame.
    fn set_search_query(&mut self, query: String) {
        if let Some(Popup::Search(prompt)) = self.popups.last_mut() {
            prompt.query = query;
            self.search_pending = true;
        }
    }

    /// Runs the search for what is typed in the prompt, if it changed since the last one.
    /// Called before every frame: keys typed while a search over 100,000 records runs are all
    /// taken before the next search, so a fast typist waits for one search, not one per key.
    /// Returns whether the list changed.
    pub fn catch_up(&mut self) -> bool {
        if !std::mem::take(&mut self.search_pending) {
            return false;
        }
        let Some(Popup::Search(prompt)) = self.popups.last() else {
            return false;
        };
        let query = prompt.query.clone();
        self.search_for(&query);
        self.move_to(0);
        true
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
