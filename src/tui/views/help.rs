//! The help overlay, generated from the active keymap.

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::app::App;
use crate::tui::keymap::display_key;
use crate::tui::layout::centred;
use crate::tui::theme;

/// Keys of the theme picker, which are fixed (typing filters, so they cannot be letters).
const PICKER_KEYS: &[(&str, &str)] = &[
    ("type", "filter themes (fuzzy)"),
    ("↑ ↓", "choose"),
    ("Enter", "toggle, or create the typed theme"),
    ("Space", "toggle (before typing)"),
    ("Esc", "close"),
];

pub(super) fn draw(frame: &mut Frame<'_>, app: &App, scroll: u16) {
    let key_style = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = Vec::new();
    for (command, keys) in &app.keymap.bindings {
        let keys = keys
            .iter()
            .map(|k| display_key(k))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:>12}  "), key_style),
            Span::raw(command.description()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Theme picker (t)",
        theme::section_label(),
    )));
    for (keys, what) in PICKER_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:>12}  "), key_style),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!("Decisions: {}", app.decisions_path.display()),
        theme::dim(),
    )));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let area = centred(frame.area(), 72, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Keys ")
        .title_bottom(" j/k scroll · any other key closes ");
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), area);
}
