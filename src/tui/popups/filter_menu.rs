//! The filter menu: every way the list can be narrowed, each toggled on its own line. The list
//! changes as options are toggled.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::Popup;
use crate::filter::StatusFilter;
use crate::tui::app::App;

/// One toggleable option of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterOption {
    /// A decision state.
    Status(StatusFilter),
    /// Studies with a note.
    HasNote,
    /// Studies with an abstract.
    HasAbstract,
    /// A theme.
    Theme(String),
    /// An exclusion reason.
    Reason(String),
    /// A source file.
    File(String),
}

impl FilterOption {
    /// The group the option is listed under.
    pub fn group(&self) -> &'static str {
        match self {
            FilterOption::Status(_) => "Decision",
            FilterOption::HasNote | FilterOption::HasAbstract => "Content",
            FilterOption::Theme(_) => "Theme",
            FilterOption::Reason(_) => "Reason",
            FilterOption::File(_) => "Source file",
        }
    }

    /// The option's label.
    pub fn label(&self) -> String {
        match self {
            FilterOption::Status(s) => s.to_string(),
            FilterOption::HasNote => "has a note".into(),
            FilterOption::HasAbstract => "has an abstract".into(),
            FilterOption::Theme(t) | FilterOption::Reason(t) | FilterOption::File(t) => t.clone(),
        }
    }
}

/// The menu's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterMenu {
    /// Selected option.
    pub selected: usize,
}

impl App {
    /// Every option the menu offers for this review.
    pub fn filter_options(&self) -> Vec<FilterOption> {
        let mut options: Vec<FilterOption> = StatusFilter::ALL
            .into_iter()
            .map(FilterOption::Status)
            .collect();
        options.extend([FilterOption::HasNote, FilterOption::HasAbstract]);
        options.extend(self.review.themes.iter().cloned().map(FilterOption::Theme));
        options.extend(
            self.review
                .reasons
                .iter()
                .cloned()
                .map(FilterOption::Reason),
        );
        let mut files: Vec<&str> = self
            .corpus
            .files
            .iter()
            .filter(|f| f.records > 0)
            .map(|f| f.path.as_str())
            .collect();
        files.dedup();
        options.extend(files.into_iter().map(|f| FilterOption::File(f.to_string())));
        options
    }

    /// Whether `option` is on in the current filter.
    pub fn filter_has(&self, option: &FilterOption) -> bool {
        let f = &self.list.filter;
        match option {
            FilterOption::Status(s) => f.statuses.contains(s),
            FilterOption::HasNote => f.has_note,
            FilterOption::HasAbstract => f.has_abstract,
            FilterOption::Theme(t) => f.themes.contains(t),
            FilterOption::Reason(r) => f.reasons.contains(r),
            FilterOption::File(p) => f.files.contains(p),
        }
    }

    fn toggle_filter(&mut self, option: &FilterOption) {
        fn flip<T: Ord + Clone>(set: &mut std::collections::BTreeSet<T>, value: &T) {
            if !set.remove(value) {
                set.insert(value.clone());
            }
        }
        let f = &mut self.list.filter;
        match option {
            FilterOption::Status(s) => flip(&mut f.statuses, s),
            FilterOption::HasNote => f.has_note = !f.has_note,
            FilterOption::HasAbstract => f.has_abstract = !f.has_abstract,
            FilterOption::Theme(t) => flip(&mut f.themes, t),
            FilterOption::Reason(r) => flip(&mut f.reasons, r),
            FilterOption::File(p) => flip(&mut f.files, p),
        }
        self.refresh_rows();
    }

    pub(crate) fn filter_key(&mut self, key: &KeyEvent) {
        let options = self.filter_options();
        let Some(Popup::Filter(menu)) = self.popups.last_mut() else {
            return;
        };
        let last = options.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.close_popup(),
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => {
                menu.selected = (menu.selected + 1).min(last)
            }
            KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => {
                menu.selected = menu.selected.saturating_sub(1)
            }
            KeyCode::Char(' ') | KeyCode::Enter => {
                let chosen = options.get(menu.selected).cloned();
                if let Some(option) = chosen {
                    self.toggle_filter(&option);
                }
            }
            KeyCode::Char('F') | KeyCode::Char('c') => {
                self.list.filter = Default::default();
                self.refresh_rows();
            }
            _ => {}
        }
    }
}
