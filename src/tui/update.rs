//! What each command does to the session.

use super::app::{App, SaveState};
use super::command::Command;
use super::detail;
use super::layout::Areas;
use super::popups::filter_menu::FilterMenu;
use super::popups::picker::{Picker, PickerKind};
use super::popups::{Popup, TextPanel};
use crate::decisions::Status;

/// How long quitting waits for the last save to reach the disk.
const QUIT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl App {
    /// Runs a bound command.
    pub fn run(&mut self, command: Command) {
        if let Some(why) = self
            .read_only
            .as_ref()
            .filter(|_| command.changes_decisions())
        {
            return self.complain(format!("Read-only: {why}"));
        }
        match command {
            Command::MoveDown => self.move_to(self.cursor.saturating_add(1)),
            Command::MoveUp => self.move_to(self.cursor.saturating_sub(1)),
            Command::First => self.move_to(0),
            Command::Last => self.move_to(usize::MAX),
            Command::PageDown => self.move_to(self.cursor.saturating_add(self.areas().list_rows())),
            Command::PageUp => self.move_to(self.cursor.saturating_sub(self.areas().list_rows())),
            Command::ScrollDown => self.scroll_detail(1),
            Command::ScrollUp => self.scroll_detail(-1),
            Command::Include => self.decide(Some(Status::Include)),
            Command::Exclude => self.exclude_with_picker(),
            Command::ExcludeFor(n) => self.exclude_for(n),
            Command::Maybe => self.decide(Some(Status::Maybe)),
            Command::Clear => self.decide(None),
            Command::Note => self.open_note(),
            Command::Themes => {
                if self.current().is_some() {
                    self.popups
                        .push(Popup::Picker(Picker::new(PickerKind::Themes)));
                }
            }
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::Search => self.open_search(),
            Command::Filter => self.popups.push(Popup::Filter(FilterMenu::default())),
            Command::ClearFilters => {
                let had = !self.list.filter.is_empty() || self.list.search.is_some();
                self.list.filter = Default::default();
                self.list.search = None;
                self.refresh_rows();
                if had {
                    self.say("Filters and search cleared: every study is listed.");
                }
            }
            Command::Sort => {
                self.list.sort = self.list.sort.next();
                self.refresh_rows();
                self.say(format!("Order: {}.", self.list.sort.label()));
            }
            Command::Criteria => self.popups.push(Popup::Text {
                panel: TextPanel::Criteria,
                scroll: 0,
            }),
            Command::Summary => {
                self.team.agreement = self.agreement_lines();
                self.popups.push(Popup::Text {
                    panel: TextPanel::Summary,
                    scroll: 0,
                });
            }
            Command::Others => self.toggle_others(),
            Command::Raw => {
                self.show_raw = !self.show_raw;
                self.detail_scroll = 0;
                self.load_raw();
            }
            Command::Members => self.next_member(),
            Command::Split => self.split_shown(),
            Command::Merge => self.merge_with_mark(),
            Command::Cancel => {
                if self.merge_mark.take().is_some() {
                    self.say("Merge mark forgotten.");
                }
                self.member_view = None;
            }
            Command::NextUndecided => self.next_undecided(),
            Command::Help => self.popups.push(Popup::Text {
                panel: TextPanel::Help,
                scroll: 0,
            }),
            Command::Quit => self.quit(),
        }
    }

    pub(super) fn areas(&self) -> Areas {
        Areas::of(self.size)
    }

    /// Selects row `position` (clamped to the list), resetting the detail scroll.
    pub fn move_to(&mut self, position: usize) {
        let last = self.rows.len().saturating_sub(1);
        let position = position.min(last);
        if position != self.cursor {
            self.cursor = position;
            self.detail_scroll = 0;
            self.member_view = None;
            self.load_raw();
        }
        self.keep_cursor_visible();
    }

    /// In the raw view, makes sure the selected record's file is read (once per file).
    pub(super) fn load_raw(&mut self) {
        if !self.show_raw {
            return;
        }
        let Some(file) = self.shown().map(|r| r.source.file.clone()) else {
            return;
        };
        if self
            .raw_file
            .as_ref()
            .is_some_and(|(loaded, _)| *loaded == file)
        {
            return;
        }
        match crate::corpus::file_text(&self.corpus.root, &file) {
            Ok(text) => self.raw_file = Some((file, text)),
            Err(e) => {
                self.raw_file = None;
                self.complain(format!("Cannot show the raw record: {e}"));
            }
        }
    }

    /// Scrolls the list so the selected row is on screen.
    pub(super) fn keep_cursor_visible(&mut self) {
        let rows = self.areas().list_rows();
        if self.cursor < self.list_offset {
            self.list_offset = self.cursor;
        } else if self.cursor >= self.list_offset + rows {
            self.list_offset = self.cursor + 1 - rows;
        }
        let max_offset = self.rows.len().saturating_sub(rows);
        self.list_offset = self.list_offset.min(max_offset);
    }

    fn scroll_detail(&mut self, delta: i32) {
        self.detail_scroll =
            u16::try_from((i32::from(self.detail_scroll) + delta).max(0)).unwrap_or(u16::MAX);
        self.clamp_detail_scroll();
    }

    /// Keeps the detail scroll within the record's text at the current size.
    pub(super) fn clamp_detail_scroll(&mut self) {
        let (Some(study), Some(shown)) = (self.current(), self.shown()) else {
            return;
        };
        let inner = self.areas().detail_inner();
        let text = match self.raw_text().filter(|_| self.show_raw) {
            Some(raw) => detail::raw_text(raw, shown.source.line),
            None => detail::text(
                shown,
                self.decisions.get(&study.id),
                &self.also_in(),
                &self.others_on_study(),
                &self.highlighter,
            ),
        };
        let max =
            detail::wrapped_height(&text, inner.width).saturating_sub(usize::from(inner.height));
        self.detail_scroll = self
            .detail_scroll
            .min(u16::try_from(max).unwrap_or(u16::MAX));
    }

    fn decide(&mut self, status: Option<Status>) {
        let Some(record) = self.current() else { return };
        let (id, title) = (record.id.clone(), record.display_title());
        let now = self.now();
        self.change(&id, |d| d.set_status(&id, &title, status, now));
        if status.is_some() {
            self.advance();
        }
    }

    /// Excludes the study and opens the reason picker; closing it moves on.
    fn exclude_with_picker(&mut self) {
        let Some(record) = self.current() else { return };
        let (id, title) = (record.id.clone(), record.display_title());
        let now = self.now();
        self.change(&id, |d| {
            let reasons = d.get(&id).map(|e| e.reasons.clone()).unwrap_or_default();
            d.exclude_for(&id, &title, reasons, now);
        });
        let mut picker = Picker::new(PickerKind::Reasons);
        picker.advance_on_close = true;
        self.popups.push(Popup::Picker(picker));
    }

    /// Excludes the study for reason `n` of review.toml, in one keystroke.
    fn exclude_for(&mut self, n: u8) {
        let Some(reason) = self
            .review
            .reasons
            .get(usize::from(n).saturating_sub(1))
            .cloned()
        else {
            let count = self.review.reasons.len();
            self.complain(format!(
                "review.toml lists {count} exclusion reason(s): there is no reason {n}."
            ));
            return;
        };
        let Some(record) = self.current() else { return };
        let (id, title) = (record.id.clone(), record.display_title());
        let now = self.now();
        self.change(&id, |d| {
            d.exclude_for(&id, &title, vec![reason.clone()], now)
        });
        self.say(format!("Excluded: {reason}."));
        self.advance();
    }

    /// After a decision, moves to the next undecided study (when the configuration says so).
    pub(super) fn advance(&mut self) {
        if !self.behaviour.advance_after_decision {
            return;
        }
        match self.undecided_from(self.cursor) {
            Some(next) => self.move_to(next),
            None if self.message.is_none() => self.say(format!(
                "All {} studies listed are screened.",
                self.rows.len()
            )),
            None => {}
        }
    }

    fn next_undecided(&mut self) {
        match self.undecided_from(self.cursor.saturating_add(1)) {
            Some(next) => self.move_to(next),
            None => self.say("Every study listed is decided."),
        }
    }

    /// Quits once every decision is on disk; otherwise offers another file to write them to.
    fn quit(&mut self) {
        // A save known to fail is not waited for: the reviewer chooses at once (and saving
        // goes on being retried if they go back to screening).
        let failing = matches!(self.save_state, SaveState::Failed(_));
        if self.read_only.is_some() || (!failing && self.wait_for_saves(QUIT_WAIT)) {
            self.should_quit = true;
            return;
        }
        let reason = match &self.save_state {
            SaveState::Failed(why) => why.clone(),
            _ => format!(
                "{} is still being written after {} s.",
                self.decisions_path.display(),
                QUIT_WAIT.as_secs()
            ),
        };
        self.open_rescue(reason);
    }
}
