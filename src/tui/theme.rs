//! Colours, marks and text styles, in one place so views stay consistent. Every distinction
//! also shows without colour (a mark, bold, italic), for monochrome terminals and snapshots.

use ratatui::style::{Color, Modifier, Style};

use crate::decisions::Status;

/// The list mark of a verdict.
pub fn mark(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Include) => "✓",
        Some(Status::Exclude) => "✗",
        Some(Status::Maybe) => "?",
        None => "·",
    }
}

/// The verdict as a past participle, for the detail pane.
pub fn verdict(status: Status) -> &'static str {
    match status {
        Status::Include => "included",
        Status::Exclude => "excluded",
        Status::Maybe => "maybe",
    }
}

/// Style of a verdict mark.
pub fn status(status: Option<Status>) -> Style {
    match status {
        Some(Status::Include) => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        Some(Status::Exclude) => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Some(Status::Maybe) => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        None => dim(),
    }
}

/// Secondary text.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// A label derived for an untitled record: visibly not a title.
pub fn derived_title() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}

/// Structured-abstract section labels.
pub fn section_label() -> Style {
    Style::new().add_modifier(Modifier::BOLD).fg(Color::Cyan)
}

/// Theme names.
pub fn themes() -> Style {
    Style::new().fg(Color::Magenta)
}

/// Marks of a study found more than once.
pub fn duplicate() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}

/// The selected list row.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Title and status bars.
pub fn bar() -> Style {
    Style::new().bg(Color::Blue).fg(Color::White)
}

/// Secondary text on the title and status bars.
pub fn dim_on_bar() -> Style {
    bar().fg(Color::Gray)
}

/// The active filter / search / order on the status bar.
pub fn narrowing() -> Style {
    bar().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// A study with a note (list mark).
pub fn note() -> Style {
    Style::new().fg(Color::Cyan)
}

/// An inclusion term in titles and abstracts: colour, and bold for screens without colour.
pub fn include_term() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

/// An exclusion term: another colour, and underlined for screens without colour.
pub fn exclude_term() -> Style {
    Style::new()
        .fg(Color::Red)
        .add_modifier(Modifier::UNDERLINED)
}

/// Error messages.
pub fn error() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}

/// Characters of a fuzzy match.
pub fn matched() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}
