//! The selected record: title, authors, citation, DOI, keywords, decision, abstract.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::{detail, theme};

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let mut block = Block::bordered();
    let (Some(study), Some(record)) = (app.current(), app.shown()) else {
        let empty = Paragraph::new("This corpus has no records.")
            .style(theme::dim())
            .block(block);
        frame.render_widget(empty, area);
        return;
    };
    if let (Some(n), Some(&c)) = (app.member_view, app.rows.get(app.cursor)) {
        let count = app.clusters.clusters[c].members.len();
        let members = app.keymap.hint(Command::Members);
        let split = app.keymap.hint(Command::Split);
        block = block.title(format!(
            " record {} of {count} of this study ({members}: next, {split}: split off) ",
            n + 1
        ));
    }
    let (text, block) = match app.raw_text().filter(|_| app.show_raw) {
        Some(raw) => {
            let title = format!(" as in {} (r: cleaned view) ", record.source.file);
            (
                detail::raw_text(raw, record.source.line),
                block.title(title),
            )
        }
        None => {
            let also_in = if app.member_view.is_none() {
                app.also_in()
            } else {
                Vec::new()
            };
            (
                detail::text(
                    record,
                    app.decisions.get(&study.id),
                    &also_in,
                    &app.others_on_study(),
                    &app.highlighter,
                ),
                block,
            )
        }
    };
    let paragraph = Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll, 0))
        .block(block);
    frame.render_widget(paragraph, area);
}
