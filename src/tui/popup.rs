//! Popups drawn over the main screen. The topmost one sees every key first.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::App;
use crate::search;

/// An open popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The key help, scrolled by `scroll` lines.
    Help {
        /// Lines scrolled off the top.
        scroll: u16,
    },
    /// The theme picker for the selected record.
    Themes(ThemePicker),
}

/// The theme picker: type to filter, pick to toggle, or create a theme that does not exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemePicker {
    /// What has been typed.
    pub query: String,
    /// Selected row.
    pub selected: usize,
}

/// A row of the theme picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerRow {
    /// An existing theme.
    Theme {
        /// Its name.
        name: String,
        /// Whether the record has it.
        checked: bool,
        /// Characters matching the query.
        positions: Vec<usize>,
    },
    /// Create the typed theme and tag the record with it.
    Create(String),
}

impl ThemePicker {
    /// Rows for the typed query: matching themes best first, then an entry to create the query
    /// as a theme when no theme has exactly that name.
    pub fn rows(&self, themes: &[String], tagged: &[String]) -> Vec<PickerRow> {
        let mut rows: Vec<PickerRow> = search::rank(&self.query, themes)
            .into_iter()
            .map(|m| PickerRow::Theme {
                name: themes[m.index].clone(),
                checked: tagged.contains(&themes[m.index]),
                positions: m.positions,
            })
            .collect();
        let query = self.query.trim();
        if !query.is_empty() && !themes.iter().any(|t| t.eq_ignore_ascii_case(query)) {
            rows.push(PickerRow::Create(query.to_string()));
        }
        rows
    }
}

impl App {
    /// Routes a key to the topmost popup.
    pub(super) fn popup_key(&mut self, key: &KeyEvent) {
        match self.popups.last_mut() {
            Some(Popup::Help { scroll }) => match key.code {
                KeyCode::Char('j') | KeyCode::Down => *scroll = scroll.saturating_add(1),
                KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                _ => {
                    self.popups.pop();
                }
            },
            Some(Popup::Themes(_)) => self.theme_picker_key(key),
            None => {}
        }
    }

    fn picker_rows(&self) -> Vec<PickerRow> {
        let Some(Popup::Themes(picker)) = self.popups.last() else {
            return Vec::new();
        };
        let tagged = self
            .current()
            .and_then(|r| self.decisions.get(&r.id))
            .map(|d| d.themes.clone())
            .unwrap_or_default();
        picker.rows(&self.review.themes, &tagged)
    }

    fn theme_picker_key(&mut self, key: &KeyEvent) {
        let rows = self.picker_rows().len();
        let Some(Popup::Themes(picker)) = self.popups.last_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.popups.pop();
            }
            KeyCode::Down | KeyCode::Tab => {
                picker.selected = (picker.selected + 1).min(rows.saturating_sub(1))
            }
            KeyCode::Char('n') if ctrl => {
                picker.selected = (picker.selected + 1).min(rows.saturating_sub(1))
            }
            KeyCode::Up | KeyCode::BackTab => picker.selected = picker.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => picker.selected = picker.selected.saturating_sub(1),
            KeyCode::Enter => self.toggle_picked(),
            KeyCode::Char(' ') if picker.query.is_empty() => self.toggle_picked(),
            KeyCode::Backspace => {
                picker.query.pop();
                picker.selected = 0;
            }
            KeyCode::Char('u') if ctrl => {
                picker.query.clear();
                picker.selected = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let kept = picker.query.trim_end().rfind(' ').map_or(0, |i| i + 1);
                picker.query.truncate(kept);
                picker.selected = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                picker.query.push(c);
                picker.selected = 0;
            }
            _ => {}
        }
    }

    /// Toggles the selected theme on the current record (creating it first when asked), then
    /// clears the query so the next theme can be typed.
    fn toggle_picked(&mut self) {
        let rows = self.picker_rows();
        let Some(Popup::Themes(picker)) = self.popups.last() else {
            return;
        };
        let Some(row) = rows.get(picker.selected).cloned() else {
            return;
        };
        let Some(record) = self.current() else { return };
        let (id, title) = (record.id.clone(), record.display_title());
        let name = match row {
            PickerRow::Theme { name, .. } => name,
            PickerRow::Create(name) => {
                if let Err(e) = self.review.add_theme(&self.corpus.root, &name) {
                    self.complain(format!("Theme not added to review.toml: {e}"));
                    return;
                }
                name
            }
        };
        let now = self.now();
        let on = self.decisions.toggle_theme(&id, &title, &name, now);
        self.save();
        if let Some(Popup::Themes(picker)) = self.popups.last_mut()
            && !picker.query.is_empty()
        {
            picker.query.clear();
            picker.selected = 0;
        }
        if self.message.is_none() {
            self.say(format!(
                "{} theme “{name}”",
                if on { "Added" } else { "Removed" }
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(rows: &[PickerRow]) -> Vec<String> {
        rows.iter()
            .map(|r| match r {
                PickerRow::Theme { name, checked, .. } => {
                    format!("{}{name}", if *checked { "[x] " } else { "" })
                }
                PickerRow::Create(name) => format!("+ {name}"),
            })
            .collect()
    }

    #[test]
    fn rows_filter_check_and_offer_creation() {
        let themes: Vec<String> = ["team working", "workload and capacity", "facilitation"]
            .map(String::from)
            .to_vec();
        let tagged = vec!["facilitation".to_string()];
        let mut picker = ThemePicker::default();
        assert_eq!(
            names(&picker.rows(&themes, &tagged)),
            ["team working", "workload and capacity", "[x] facilitation"]
        );
        picker.query = "work".into();
        assert_eq!(
            names(&picker.rows(&themes, &tagged)),
            ["workload and capacity", "team working", "+ work"]
        );
        picker.query = "Facilitation".into();
        assert_eq!(names(&picker.rows(&themes, &tagged)), ["[x] facilitation"]);
    }
}
