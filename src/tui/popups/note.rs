//! The note editor: a multi-line text area (cursor movement, word deletion, paste) for the
//! note on the selected study. Esc saves; Ctrl-G leaves without saving.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::Popup;
use crate::record::RecordId;
use crate::tui::app::App;

/// The editor's state: the text being written, for which study.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    /// The text area (`ratatui-textarea`).
    pub area: TextArea<'static>,
    /// The study the note is on.
    pub id: RecordId,
    /// Its title, stored with the decision.
    pub title: String,
}

impl PartialEq for NoteEditor {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.text() == other.text()
    }
}

impl Eq for NoteEditor {}

impl NoteEditor {
    /// An editor holding `note`, the cursor at its end.
    pub fn new(id: RecordId, title: String, note: &str) -> Self {
        let mut area = TextArea::new(note.lines().map(str::to_string).collect());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Self { area, id, title }
    }

    /// The text written so far. (`TextArea::lines` borrows for the area's own lifetime,
    /// `'static` here, so the lines are read from a copy; a note is short.)
    pub fn text(&self) -> String {
        self.area.clone().into_lines().join("\n")
    }
}

impl App {
    /// Opens the note editor on the selected study.
    pub(crate) fn open_note(&mut self) {
        let Some(record) = self.current() else { return };
        let note = self
            .decisions
            .get(&record.id)
            .map(|d| d.note.clone())
            .unwrap_or_default();
        let editor = NoteEditor::new(record.id.clone(), record.display_title(), &note);
        self.popups.push(Popup::Note(Box::new(editor)));
    }

    pub(crate) fn note_key(&mut self, key: &KeyEvent) {
        let Some(Popup::Note(editor)) = self.popups.last_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.close_popup(),
            KeyCode::Char('g') if ctrl => {
                self.popups.pop();
                self.say("Note not changed.");
            }
            _ => {
                editor.area.input(*key);
            }
        }
    }

    /// Text pasted into the note, line breaks kept.
    pub(crate) fn note_paste(&mut self, text: &str) {
        if let Some(Popup::Note(editor)) = self.popups.last_mut() {
            editor
                .area
                .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
        }
    }

    /// Saves the note written in `editor` (an undoable change, like any other).
    pub(crate) fn save_note(&mut self, editor: &NoteEditor) {
        let text = editor.text();
        let now = self.now();
        let (id, title) = (editor.id.clone(), editor.title.clone());
        let before = self
            .decisions
            .get(&id)
            .map(|d| d.note.clone())
            .unwrap_or_default();
        if before.trim_end() == text.trim_end() {
            return;
        }
        self.change(&id, |d| d.set_note(&id, &title, &text, now));
        self.say(if text.trim().is_empty() {
            "Note removed."
        } else {
            "Note saved."
        });
    }
}
