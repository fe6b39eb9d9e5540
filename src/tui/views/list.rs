//! The list of studies: decision mark, year, first author, title (or derived label).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::fit;
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::theme;

const YEAR_WIDTH: usize = 4;
const AUTHOR_WIDTH: usize = 14;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    // A search's first screen: more rows are coming.
    let more = if app.list.search.as_ref().is_some_and(|h| h.partial) {
        "…"
    } else {
        ""
    };
    let title = format!(
        " Studies {}/{}{more} ",
        (app.cursor + 1).min(app.rows.len()),
        app.rows.len()
    );
    frame.render_widget(Block::bordered().title(title), area);
    let inside = inner(area);
    let width = usize::from(inside.width);
    let title_width = width.saturating_sub(3 + YEAR_WIDTH + 1 + AUTHOR_WIDTH + 1);
    let visible = app
        .rows
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(usize::from(inside.height));
    let lines: Vec<Line<'_>> = visible
        .map(|(position, &cluster)| {
            let record = app.study(cluster);
            let status = app.decisions.status(&record.id);
            let year = record.year.map(|y| y.to_string()).unwrap_or_default();
            let author = record.first_author_family().unwrap_or_default();
            let title_style = if record.is_untitled() {
                theme::derived_title()
            } else {
                Default::default()
            };
            let decision = app.decisions.get(&record.id);
            let has_note = decision.is_some_and(|d| !d.note.is_empty());
            let mut suffix = reasons(decision.map_or(&[][..], |d| &d.reasons), title_width / 3);
            let also = also_in(app, cluster, title_width / 2);
            let (suffix_style, suffix_text) = if also.is_empty() {
                (theme::dim(), std::mem::take(&mut suffix))
            } else {
                (theme::duplicate(), also)
            };
            let mut spans = vec![
                Span::styled(theme::mark(status), theme::status(status)),
                Span::styled(if has_note { "✎" } else { " " }, theme::note()),
                Span::raw(" "),
                Span::styled(fit(&year, YEAR_WIDTH), theme::dim()),
                Span::raw(" "),
                Span::raw(fit(&author, AUTHOR_WIDTH)),
                Span::raw(" "),
            ];
            let room = title_width - suffix_text.chars().count();
            spans.extend(matched_spans(
                &fit(&record.display_title(), room),
                &app.search_positions(cluster),
                title_style,
            ));
            spans.push(Span::styled(suffix_text, suffix_style));
            let mut line = Line::from(spans);
            if position == app.cursor {
                line = line.patch_style(theme::selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inside);
}

/// ` — wrong setting, no abstract` cut to `room` columns; empty without reasons.
fn reasons(reasons: &[String], room: usize) -> String {
    if reasons.is_empty() {
        return String::new();
    }
    let text = format!(" — {}", reasons.join(", "));
    fit(&text, room.min(text.chars().count()))
}

/// `text` in spans, the characters at `positions` (a search's matches) marked.
fn matched_spans(text: &str, positions: &[usize], base: Style) -> Vec<Span<'static>> {
    if positions.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in text.chars().enumerate() {
        let matched = positions.binary_search(&i).is_ok();
        if matched != run_matched && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_matched {
                    base.patch(theme::matched())
                } else {
                    base
                },
            ));
        }
        run_matched = matched;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_matched {
                base.patch(theme::matched())
            } else {
                base
            },
        ));
    }
    spans
}

/// For a study found more than once, ` ⧉ also in: scopus.ris, wos.ciw` cut to `room` columns
/// (files other than the shown record's); empty otherwise.
fn also_in(app: &App, cluster: usize, room: usize) -> String {
    let cluster = &app.clusters.clusters[cluster];
    if !cluster.is_duplicated() {
        return String::new();
    }
    let own = &app.corpus.records[cluster.representative()].source.file;
    let mut files: Vec<&str> = Vec::new();
    for &m in &cluster.members[1..] {
        let file = app.corpus.records[m].source.file.as_str();
        let name = file.rsplit('/').next().unwrap_or(file);
        if !files.contains(&name) {
            files.push(name);
        }
    }
    let text = if files.len() == 1 && files[0] == own.rsplit('/').next().unwrap_or(own) {
        format!(" ⧉ ×{} in this file", cluster.members.len())
    } else {
        format!(" ⧉ also in: {}", files.join(", "))
    };
    fit(&text, room.min(text.chars().count()))
}
