//! The last resort before quitting with decisions that are not on disk: the reviewer names
//! another file to write them to (a path outside the failing folder is offered), goes back
//! to screening while saving is retried, or insists on quitting and losing them.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Popup;
use crate::decisions::file;
use crate::tui::app::App;

/// The prompt's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rescue {
    /// Why the decisions are not saved.
    pub reason: String,
    /// Where to write them (editable).
    pub path: String,
    /// Why the last attempt to write there failed, if it did.
    pub error: Option<String>,
}

impl App {
    /// Opens the prompt after a quit found decisions not on disk.
    pub(crate) fn open_rescue(&mut self, reason: String) {
        let path = crate::decisions::saver::rescue_path(&self.reviewer);
        self.popups.push(Popup::Rescue(Rescue {
            reason,
            path: path.display().to_string(),
            error: None,
        }));
    }

    pub(crate) fn rescue_key(&mut self, key: &KeyEvent) {
        let Some(Popup::Rescue(rescue)) = self.popups.last_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.popups.pop();
                self.say("Back to screening; saving is retried in the background.");
            }
            KeyCode::Enter => {
                let path = PathBuf::from(rescue.path.trim());
                match file::save(&path, &self.reviewer, &self.decisions) {
                    Ok(()) => {
                        self.popups.pop();
                        self.farewell = Some(format!(
                            "Decisions written to {} ({} is NOT up to date: copy the file \
                             there once its folder can be written).",
                            path.display(),
                            self.decisions_path.display()
                        ));
                        self.should_quit = true;
                    }
                    Err(e) => rescue.error = Some(e.to_string()),
                }
            }
            KeyCode::Char('q') if ctrl => {
                self.farewell = Some(format!(
                    "Quit without saving: the decisions made since {} was last written are lost.",
                    self.decisions_path.display()
                ));
                self.should_quit = true;
            }
            KeyCode::Backspace => {
                rescue.path.pop();
            }
            KeyCode::Char('u') if ctrl => rescue.path.clear(),
            KeyCode::Char(c) if !ctrl => rescue.path.push(c),
            _ => {}
        }
    }

    /// Text pasted into the path (line breaks dropped).
    pub(crate) fn rescue_paste(&mut self, text: &str) {
        if let Some(Popup::Rescue(rescue)) = self.popups.last_mut() {
            rescue.path.push_str(&text.replace(['\n', '\r'], ""));
        }
    }
}
