//! Title bar (review, corpus) and status bar (progress, counts, reviewer, saved state, hints).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::decisions::Status;
use crate::tui::app::{App, SaveState};
use crate::tui::command::Command;
use crate::tui::popups::Popup;
use crate::tui::rows::Sort;
use crate::tui::theme;

pub(super) fn title(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let corpus = &app.corpus_name;
    let (records, studies) = (app.corpus.records.len(), app.clusters.clusters.len());
    let mut text = format!(" abstriage │ {corpus} │ ");
    match app.loading_note() {
        Some(note) => text.push_str(&note),
        None if studies != records => {
            text.push_str(&format!("{records} records, {studies} studies"));
        }
        None => text.push_str(&format!("{records} records")),
    }
    if !app.review.title.is_empty() {
        text.push_str(&format!(" │ {}", app.review.title));
    }
    frame.render_widget(
        Paragraph::new(text).style(theme::bar().add_modifier(Modifier::BOLD)),
        area,
    );
}

pub(super) fn status(frame: &mut Frame<'_>, area: Rect, app: &App) {
    if let Some(Popup::Search(prompt)) = app.popups.last() {
        // Until the results of what is typed come, the count says which text it is for.
        let found = match (&app.list.search, app.searching()) {
            // The first screen, best first: how many match is not known yet.
            (Some(hits), true) if hits.partial => {
                format!(
                    "searching… best {} shown for “{}”",
                    hits.ranked.len(),
                    hits.query
                )
            }
            (Some(hits), true) => {
                format!(
                    "searching… {} found for “{}”",
                    hits.scores.len(),
                    hits.query
                )
            }
            (None, true) => "searching…".to_string(),
            (Some(hits), false) => format!("{} found", hits.scores.len()),
            (None, false) => format!("{} found", app.rows.len()),
        };
        let line = Line::from(vec![
            Span::styled(" / ", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(prompt.query.clone()),
            Span::raw("▏"),
            Span::styled(
                format!("  {found} · Enter keep · Esc back"),
                theme::dim_on_bar(),
            ),
        ]);
        frame.render_widget(Paragraph::new(line).style(theme::bar()), area);
        return;
    }
    let counts = app.listed_counts();
    let mut spans = vec![Span::raw(format!(
        " {}/{} screened ",
        counts.screened(),
        counts.total
    ))];
    for (status, count) in [
        (Status::Include, counts.include),
        (Status::Exclude, counts.exclude),
        (Status::Maybe, counts.maybe),
    ] {
        spans.push(Span::styled(
            format!("{}{count} ", theme::mark(Some(status))),
            theme::status(Some(status)).bg(theme::bar().bg.unwrap_or_default()),
        ));
    }
    spans.push(Span::raw(format!("│ {} │ ", app.reviewer)));
    let narrowed = narrowing(app);
    if !narrowed.is_empty() {
        spans.push(Span::styled(format!("{narrowed} "), theme::narrowing()));
        spans.push(Span::raw("│ "));
    }
    match (&app.read_only, &app.save_state) {
        (Some(_), _) => spans.push(Span::styled("READ-ONLY ", theme::error())),
        (None, SaveState::Saved) => spans.push(Span::raw("saved ")),
        (None, SaveState::Pending) => spans.push(Span::raw("saving… ")),
        (None, SaveState::Failed(_)) => spans.push(Span::styled("NOT SAVED ", theme::error())),
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + 1);
    match &app.message {
        Some(message) => {
            let style = if message.error {
                theme::error()
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            spans.push(Span::raw("│ "));
            spans.push(Span::styled(message.text.clone(), style));
        }
        None => {
            let hints = hints(app, room.saturating_sub(2));
            if !hints.is_empty() {
                spans.push(Span::raw(format!("│ {hints}")));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::bar()), area);
}

/// What narrows or orders the list: `search “rat” · excluded · by year`.
fn narrowing(app: &App) -> String {
    let mut parts = Vec::new();
    if let Some(hits) = &app.list.search {
        parts.push(format!("search “{}”", hits.query));
    }
    if !app.list.filter.is_empty() {
        parts.push(app.list.filter.to_string());
    }
    if app.list.sort != Sort::Corpus {
        parts.push(app.list.sort.label().to_string());
    }
    parts.join(" · ")
}

/// As many key hints as fit in `room` columns, chosen by usefulness, shown in key order.
fn hints(app: &App, room: usize) -> String {
    // (display order, command, word), listed most useful first.
    let by_priority = [
        (4, Command::Help, "help"),
        (0, Command::Include, "incl"),
        (1, Command::Exclude, "excl"),
        (3, Command::Themes, "themes"),
        (2, Command::Maybe, "maybe"),
        (5, Command::Quit, "quit"),
    ];
    let mut chosen: Vec<(usize, String)> = Vec::new();
    let mut width = 0;
    for (order, command, word) in by_priority {
        let hint = format!("{} {word}", app.keymap.hint(command));
        if width + hint.width() < room {
            width += hint.width() + 1;
            chosen.push((order, hint));
        }
    }
    chosen.sort();
    chosen
        .into_iter()
        .map(|(_, hint)| hint)
        .collect::<Vec<_>>()
        .join(" ")
}
