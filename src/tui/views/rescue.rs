//! The prompt offering another file for decisions that could not be saved.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::layout::centred;
use crate::tui::popups::rescue::Rescue;
use crate::tui::theme;

pub(super) fn draw(frame: &mut Frame<'_>, rescue: &Rescue) {
    let area = centred(frame.area(), 76, 14);
    frame.render_widget(Clear, area);
    let mut lines = vec![
        Line::from(Span::styled("Decisions are NOT saved.", theme::error())),
        Line::from(rescue.reason.clone()),
        Line::from(""),
        Line::from("Write them to this file instead:"),
        Line::from(vec![
            Span::styled(rescue.path.clone(), theme::selected()),
            Span::raw("▏"),
        ]),
    ];
    if let Some(error) = &rescue.error {
        lines.push(Line::from(Span::styled(
            format!("Could not: {error}"),
            theme::error(),
        )));
    }
    let block = Block::bordered()
        .title(" Quit ")
        .title_bottom(" Enter write there and quit · Esc back · Ctrl+Q quit, losing them ");
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
