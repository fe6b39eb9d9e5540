//! Drawing reconciliation: the disagreements, the reviewers' decisions side by side with the
//! consensus, and the study's abstract. Reads state, draws, nothing else.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Reconcile;
use crate::decisions::Decision;
use crate::reconcile::Difference;
use crate::tui::{detail, theme};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &Reconcile) {
    let area = frame.area();
    let list_height = u16::try_from(app.items.len().clamp(1, 8)).unwrap_or(8) + 2;
    let [top, list, sides, abstract_area, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_height),
        Constraint::Length(9),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let title = format!(
        " abstriage reconcile │ {} of {} disagreements settled │ {} ",
        app.settled_count(),
        app.items.len(),
        app.review.title
    );
    frame.render_widget(Paragraph::new(title).style(theme::dim()), top);
    draw_list(frame, list, app);
    if app.items.is_empty() {
        return draw_status(frame, status, app);
    }
    draw_sides(frame, sides, app);
    let record = app.record(app.cursor);
    let text = detail::text(&record, None, &[], &[], &app.highlighter);
    let paragraph = Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll, 0))
        .block(Block::bordered());
    frame.render_widget(paragraph, abstract_area);
    draw_status(frame, status, app);
}

fn draw_list(frame: &mut Frame<'_>, area: Rect, app: &Reconcile) {
    let block = Block::bordered().title(format!(
        " Disagreements {}/{} ",
        (app.cursor + 1).min(app.items.len()),
        app.items.len()
    ));
    if app.items.is_empty() {
        let text = if app.reviewers.len() < 2 {
            "Reconciling needs the decision files of two reviewers in screening/."
        } else {
            "No disagreements: the reviewers agree on every study both screened."
        };
        frame.render_widget(Paragraph::new(text).style(theme::dim()).block(block), area);
        return;
    }
    let visible = usize::from(area.height.saturating_sub(2));
    let first = app.cursor.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line<'_>> = (first..app.items.len())
        .take(visible)
        .map(|i| {
            let item = &app.items[i];
            let settled = app.settled(i);
            let mut spans = vec![Span::styled(
                format!("{} ", settled.map_or("·", |d| theme::mark(d.status))),
                theme::status(settled.and_then(|d| d.status)),
            )];
            for (reviewer, decision) in app.reviewers.iter().zip(&item.decisions) {
                let status = decision.as_ref().and_then(|d| d.status);
                spans.push(Span::styled(
                    format!("{}{} ", initial(&reviewer.name), theme::mark(status)),
                    theme::status(status),
                ));
            }
            let kinds: Vec<&str> = item.differences.iter().map(|d| label(*d)).collect();
            spans.push(Span::styled(
                format!("{:<9}", kinds.join("+")),
                theme::dim(),
            ));
            spans.push(Span::raw(app.record(i).display_title()));
            let mut line = Line::from(spans);
            if i == app.cursor {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_sides(frame: &mut Frame<'_>, area: Rect, app: &Reconcile) {
    let item = &app.items[app.cursor];
    let columns = app.reviewers.len() + 1;
    let constraints = vec![Constraint::Ratio(1, u32::try_from(columns).unwrap_or(1)); columns];
    let areas = Layout::horizontal(constraints).split(area);
    for (n, (reviewer, decision)) in app.reviewers.iter().zip(&item.decisions).enumerate() {
        let title = format!(" {} {} ", n + 1, reviewer.name);
        column(frame, areas[n], &title, decision.as_ref());
    }
    column(
        frame,
        areas[columns - 1],
        " Consensus ",
        app.settled(app.cursor),
    );
}

fn column(frame: &mut Frame<'_>, area: Rect, title: &str, decision: Option<&Decision>) {
    let mut lines: Vec<Line<'_>> = Vec::new();
    match decision.filter(|d| d.status.is_some()) {
        None => lines.push(Line::from(Span::styled("not decided", theme::dim()))),
        Some(d) => {
            if let Some(status) = d.status {
                lines.push(Line::from(Span::styled(
                    format!("{} {}", theme::mark(Some(status)), theme::verdict(status)),
                    theme::status(Some(status)),
                )));
            }
            if !d.reasons.is_empty() {
                lines.push(Line::from(vec![
                    Span::styled("reasons ", theme::dim()),
                    Span::raw(d.reasons.join(", ")),
                ]));
            }
            if !d.themes.is_empty() {
                lines.push(Line::from(vec![
                    Span::styled("themes ", theme::dim()),
                    Span::styled(d.themes.join(", "), theme::themes()),
                ]));
            }
            for (i, note) in d.note.lines().enumerate() {
                let lead = if i == 0 { "✎ " } else { "  " };
                lines.push(Line::from(vec![
                    Span::styled(lead, theme::note()),
                    Span::raw(note.to_string()),
                ]));
            }
        }
    }
    let paragraph = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(Block::bordered().title(title.to_string()));
    frame.render_widget(paragraph, area);
}

fn draw_status(frame: &mut Frame<'_>, area: Rect, app: &Reconcile) {
    let line = match &app.message {
        Some((text, true)) => Line::from(Span::styled(text.clone(), theme::error())),
        Some((text, false)) => Line::from(Span::styled(
            text.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        None => Line::from(Span::styled(
            format!(
                " 1–{} adopt a reviewer's · i/x/m set · Space clear · n next unsettled · q quit",
                app.reviewers.len().clamp(1, 9)
            ),
            theme::dim(),
        )),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn initial(name: &str) -> String {
    let short: String = name.chars().take(3).collect();
    format!("{short}:")
}

fn label(difference: Difference) -> &'static str {
    match difference {
        Difference::Decision => "decision",
        Difference::Reasons => "reasons",
        Difference::Themes => "themes",
    }
}
