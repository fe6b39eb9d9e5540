//! Popups drawn over the main screen, on a stack: the topmost sees every key (and paste) first.

pub mod filter_menu;
pub mod note;
pub mod picker;
pub mod rescue;
pub mod search;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use self::filter_menu::FilterMenu;
use self::note::NoteEditor;
use self::picker::Picker;
use self::rescue::Rescue;
use self::search::SearchPrompt;
use super::app::App;

/// A scrollable panel of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPanel {
    /// The active key bindings.
    Help,
    /// The review's inclusion and exclusion criteria.
    Criteria,
    /// Counts and pace.
    Summary,
}

/// An open popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// A panel of text, scrolled by `scroll` lines.
    Text {
        /// Which panel.
        panel: TextPanel,
        /// Lines scrolled off the top.
        scroll: u16,
    },
    /// The theme or reason picker.
    Picker(Picker),
    /// The note editor.
    Note(Box<NoteEditor>),
    /// The filter menu.
    Filter(FilterMenu),
    /// The search prompt (drawn in the status bar).
    Search(SearchPrompt),
    /// Another file for decisions that could not be saved, offered on quit.
    Rescue(Rescue),
}

impl App {
    /// Routes a key to the topmost popup.
    pub(crate) fn popup_key(&mut self, key: &KeyEvent) {
        match self.popups.last() {
            Some(Popup::Text { .. }) => self.text_key(key),
            Some(Popup::Picker(_)) => self.picker_key(key),
            Some(Popup::Note(_)) => self.note_key(key),
            Some(Popup::Filter(_)) => self.filter_key(key),
            Some(Popup::Search(_)) => self.search_key(key),
            Some(Popup::Rescue(_)) => self.rescue_key(key),
            None => {}
        }
    }

    /// Routes pasted text to the topmost popup that takes text.
    pub(crate) fn paste(&mut self, text: &str) {
        match self.popups.last() {
            Some(Popup::Note(_)) => self.note_paste(text),
            Some(Popup::Picker(_)) => self.picker_paste(text),
            Some(Popup::Search(_)) => self.search_paste(text),
            Some(Popup::Rescue(_)) => self.rescue_paste(text),
            _ => {}
        }
    }

    /// Closes the topmost popup the way its Esc does: a note is saved, a reason picker opened
    /// by `exclude` moves on to the next undecided study.
    pub(crate) fn close_popup(&mut self) {
        match self.popups.pop() {
            Some(Popup::Note(editor)) => self.save_note(&editor),
            Some(Popup::Picker(picker)) if picker.advance_on_close => self.advance(),
            _ => {}
        }
    }

    /// Whether the topmost popup is the note editor (which takes Alt+keys as its own).
    pub(crate) fn editing_note(&self) -> bool {
        matches!(self.popups.last(), Some(Popup::Note(_)))
    }

    fn text_key(&mut self, key: &KeyEvent) {
        let Some(Popup::Text { scroll, .. }) = self.popups.last_mut() else {
            return;
        };
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => *scroll = scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => *scroll = scroll.saturating_add(10),
            KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
            _ => self.close_popup(),
        }
    }
}
