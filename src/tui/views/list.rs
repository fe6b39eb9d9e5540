//! The list of studies: decision mark, year, first author, title (or derived label).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::fit;
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::theme;

const YEAR_WIDTH: usize = 4;
const AUTHOR_WIDTH: usize = 14;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let title = format!(
        " Studies {}/{} ",
        (app.cursor + 1).min(app.rows.len()),
        app.rows.len()
    );
    frame.render_widget(Block::bordered().title(title), area);
    let inside = inner(area);
    let width = usize::from(inside.width);
    let title_width = width.saturating_sub(2 + YEAR_WIDTH + 1 + AUTHOR_WIDTH + 1);
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
            let also = also_in(app, cluster, title_width / 2);
            let mut line = Line::from(vec![
                Span::styled(theme::mark(status), theme::status(status)),
                Span::raw(" "),
                Span::styled(fit(&year, YEAR_WIDTH), theme::dim()),
                Span::raw(" "),
                Span::raw(fit(&author, AUTHOR_WIDTH)),
                Span::raw(" "),
                Span::styled(
                    fit(&record.display_title(), title_width - also.chars().count()),
                    title_style,
                ),
                Span::styled(also, theme::duplicate()),
            ]);
            if position == app.cursor {
                line = line.patch_style(theme::selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inside);
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
