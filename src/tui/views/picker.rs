//! The theme / reason picker popup.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::app::App;
use crate::tui::layout::{centred, inner};
use crate::tui::popups::picker::{Picker, PickerRow};
use crate::tui::theme;

pub(super) fn draw(frame: &mut Frame<'_>, app: &App, picker: &Picker) {
    let (options, chosen) = app.picker_options(picker.kind);
    let rows = picker.rows(options, &chosen);
    let height = u16::try_from(rows.len().max(1) + 4)
        .unwrap_or(u16::MAX)
        .min(frame.area().height);
    let area = centred(frame.area(), 56, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(picker.kind.title())
        .title_bottom(" Enter toggle · Esc close ");
    frame.render_widget(block, area);
    let inside = inner(area);
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme::dim()),
        Span::raw(picker.query.clone()),
        Span::raw("▏"),
    ])];
    let visible = usize::from(inside.height.saturating_sub(1));
    let first = picker.selected.saturating_sub(visible.saturating_sub(1));
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("None yet: type a {} to create it.", picker.kind.noun()),
            theme::dim(),
        )));
    }
    for (i, row) in rows.iter().enumerate().skip(first).take(visible) {
        let mut line = match row {
            PickerRow::Option {
                name,
                checked,
                positions,
            } => {
                let mut spans = vec![Span::raw(if *checked { "[x] " } else { "[ ] " })];
                spans.extend(name.chars().enumerate().map(|(i, c)| {
                    let style = if positions.contains(&i) {
                        theme::matched()
                    } else {
                        theme::themes()
                    };
                    Span::styled(c.to_string(), style)
                }));
                Line::from(spans)
            }
            PickerRow::Create(name) => Line::from(vec![
                Span::styled(format!(" +  create {} ", picker.kind.noun()), theme::dim()),
                Span::styled(format!("“{name}”"), theme::themes()),
            ]),
        };
        if i == picker.selected {
            line = line.patch_style(theme::selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inside);
}
