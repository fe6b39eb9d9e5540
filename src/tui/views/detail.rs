//! The selected record: title, authors, citation, DOI, keywords, decision, abstract.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::{detail, theme};

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let block = Block::bordered();
    let Some(record) = app.current() else {
        let empty = Paragraph::new("This corpus has no records.")
            .style(theme::dim())
            .block(block);
        frame.render_widget(empty, area);
        return;
    };
    let (text, block) = match app.raw_text().filter(|_| app.show_raw) {
        Some(raw) => {
            let title = format!(" as in {} (r: cleaned view) ", record.source.file);
            (
                detail::raw_text(raw, record.source.line),
                block.title(title),
            )
        }
        None => (detail::text(record, app.decisions.get(&record.id)), block),
    };
    let paragraph = Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll, 0))
        .block(block);
    frame.render_widget(paragraph, area);
}
