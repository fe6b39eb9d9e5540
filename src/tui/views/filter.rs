//! The filter menu popup.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::app::App;
use crate::tui::layout::{centred, inner};
use crate::tui::popups::filter_menu::FilterMenu;
use crate::tui::theme;
use crate::tui::views::fit;

pub(super) fn draw(frame: &mut Frame<'_>, app: &App, menu: &FilterMenu) {
    let options = app.filter_options();
    let height = frame
        .area()
        .height
        .saturating_sub(2)
        .min(u16::try_from(options.len() + 8).unwrap_or(u16::MAX));
    let area = centred(frame.area(), 60, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(
            " Filter · {} of {} studies ",
            app.rows.len(),
            app.clusters.clusters.len()
        ))
        .title_bottom(" Space toggle · F clear · Esc close ");
    frame.render_widget(block, area);
    let inside = inner(area);
    // One line per option, a heading line before each group.
    let mut lines: Vec<(Option<usize>, Line<'_>)> = Vec::new();
    let mut group = "";
    for (i, option) in options.iter().enumerate() {
        if option.group() != group {
            group = option.group();
            lines.push((
                None,
                Line::from(Span::styled(group, theme::section_label())),
            ));
        }
        let on = app.filter_has(option);
        let mut line = Line::from(vec![
            Span::raw(if on { " [x] " } else { " [ ] " }),
            Span::raw(fit(
                &option.label(),
                usize::from(inside.width).saturating_sub(5),
            )),
        ]);
        if i == menu.selected {
            line = line.patch_style(theme::selected());
        }
        lines.push((Some(i), line));
    }
    let height = usize::from(inside.height);
    let at = lines
        .iter()
        .position(|(i, _)| *i == Some(menu.selected))
        .unwrap_or(0);
    let first = at.saturating_sub(height.saturating_sub(1));
    let shown: Vec<Line<'_>> = lines
        .into_iter()
        .skip(first)
        .take(height)
        .map(|(_, l)| l)
        .collect();
    frame.render_widget(Paragraph::new(shown), inside);
}
