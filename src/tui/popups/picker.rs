//! The picker for themes and exclusion reasons: type to filter (fuzzy), pick to toggle, or
//! create the typed name when no option has it (added to review.toml for everyone).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Popup;
use crate::search;
use crate::tui::app::App;

/// What the picker picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// Themes of review.toml.
    Themes,
    /// Exclusion reasons of review.toml.
    Reasons,
}

impl PickerKind {
    /// The picker's title.
    pub fn title(self) -> &'static str {
        match self {
            PickerKind::Themes => " Themes ",
            PickerKind::Reasons => " Exclusion reasons ",
        }
    }

    /// What a new option is called in the picker.
    pub fn noun(self) -> &'static str {
        match self {
            PickerKind::Themes => "theme",
            PickerKind::Reasons => "reason",
        }
    }
}

/// The picker's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// Themes or reasons.
    pub kind: PickerKind,
    /// What has been typed.
    pub query: String,
    /// Selected row.
    pub selected: usize,
    /// Move on to the next undecided study when the picker closes (it opened on `exclude`).
    pub advance_on_close: bool,
}

impl Picker {
    /// A picker of `kind` with nothing typed.
    pub fn new(kind: PickerKind) -> Self {
        Self {
            kind,
            query: String::new(),
            selected: 0,
            advance_on_close: false,
        }
    }
}

/// A row of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerRow {
    /// An existing option.
    Option {
        /// Its name.
        name: String,
        /// Whether the study has it.
        checked: bool,
        /// Characters matching the query.
        positions: Vec<usize>,
    },
    /// Create the typed option and give it to the study.
    Create(String),
}

impl Picker {
    /// Rows for the typed query: matching options best first, then an entry to create the
    /// query when no option has exactly that name.
    pub fn rows(&self, options: &[String], chosen: &[String]) -> Vec<PickerRow> {
        let mut rows: Vec<PickerRow> = search::rank(&self.query, options)
            .into_iter()
            .map(|m| PickerRow::Option {
                name: options[m.index].clone(),
                checked: chosen.contains(&options[m.index]),
                positions: m.positions,
            })
            .collect();
        let query = self.query.trim();
        if !query.is_empty() && !options.iter().any(|t| t.eq_ignore_ascii_case(query)) {
            rows.push(PickerRow::Create(query.to_string()));
        }
        rows
    }
}

impl App {
    /// The options of `kind` and those the selected study has.
    pub fn picker_options(&self, kind: PickerKind) -> (&[String], Vec<String>) {
        let decision = self.current().and_then(|r| self.decisions.get(&r.id));
        match kind {
            PickerKind::Themes => (
                &self.review.themes,
                decision.map(|d| d.themes.clone()).unwrap_or_default(),
            ),
            PickerKind::Reasons => (
                &self.review.reasons,
                decision.map(|d| d.reasons.clone()).unwrap_or_default(),
            ),
        }
    }

    fn picker_rows(&self) -> Vec<PickerRow> {
        let Some(Popup::Picker(picker)) = self.popups.last() else {
            return Vec::new();
        };
        let (options, chosen) = self.picker_options(picker.kind);
        picker.rows(options, &chosen)
    }

    pub(crate) fn picker_key(&mut self, key: &KeyEvent) {
        let rows = self.picker_rows().len();
        let Some(Popup::Picker(picker)) = self.popups.last_mut() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let last = rows.saturating_sub(1);
        match key.code {
            KeyCode::Esc => self.close_popup(),
            KeyCode::Down | KeyCode::Tab => picker.selected = (picker.selected + 1).min(last),
            KeyCode::Char('n') if ctrl => picker.selected = (picker.selected + 1).min(last),
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

    /// Text pasted into the picker's filter (line breaks become spaces).
    pub(crate) fn picker_paste(&mut self, text: &str) {
        if let Some(Popup::Picker(picker)) = self.popups.last_mut() {
            picker.query.push_str(&text.replace(['\n', '\r'], " "));
            picker.selected = 0;
        }
    }

    /// Toggles the selected option on the current study (creating it first when asked), then
    /// clears the query so the next one can be typed.
    fn toggle_picked(&mut self) {
        let rows = self.picker_rows();
        let Some(Popup::Picker(picker)) = self.popups.last() else {
            return;
        };
        let (kind, selected) = (picker.kind, picker.selected);
        let Some(row) = rows.get(selected).cloned() else {
            return;
        };
        let Some(record) = self.current() else { return };
        let (id, title) = (record.id.clone(), record.display_title());
        let name = match row {
            PickerRow::Option { name, .. } => name,
            PickerRow::Create(name) => {
                let root = self.corpus.root.clone();
                let added = match kind {
                    PickerKind::Themes => self.review.add_theme(&root, &name),
                    PickerKind::Reasons => self.review.add_reason(&root, &name),
                };
                if let Err(e) = added {
                    self.complain(format!("Not added to review.toml: {e}"));
                    return;
                }
                name
            }
        };
        let now = self.now();
        let mut on = false;
        self.change(&id, |d| {
            on = match kind {
                PickerKind::Themes => d.toggle_theme(&id, &title, &name, now),
                PickerKind::Reasons => d.toggle_reason(&id, &title, &name, now),
            }
        });
        if let Some(Popup::Picker(picker)) = self.popups.last_mut()
            && !picker.query.is_empty()
        {
            picker.query.clear();
            picker.selected = 0;
        }
        if self.message.is_none() {
            let noun = kind.noun();
            self.say(format!(
                "{} {noun} “{name}”",
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
                PickerRow::Option { name, checked, .. } => {
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
        let mut picker = Picker::new(PickerKind::Themes);
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
