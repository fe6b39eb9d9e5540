//! Drawing. Views take the session by shared reference and draw it; they change nothing.

mod bars;
mod detail;
mod filter;
mod list;
mod note;
mod panels;
mod picker;
mod rescue;

use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

use super::app::App;
use super::layout::Areas;
use super::popups::Popup;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let areas = Areas::of(frame.area().as_size());
    bars::title(frame, areas.title, app);
    list::draw(frame, areas.list, app);
    detail::draw(frame, areas.detail, app);
    bars::status(frame, areas.status, app);
    for popup in &app.popups {
        match popup {
            Popup::Text { panel, scroll } => panels::draw(frame, app, *panel, *scroll),
            Popup::Picker(picker) => picker::draw(frame, app, picker),
            Popup::Note(editor) => note::draw(frame, editor),
            Popup::Filter(menu) => filter::draw(frame, app, menu),
            Popup::Rescue(rescue) => rescue::draw(frame, rescue),
            // The search prompt replaces the status bar (drawn there).
            Popup::Search(_) => {}
        }
    }
}

/// `text` cut or padded to exactly `width` columns (cut text ends with `…`).
pub(crate) fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    let limit = if total > width {
        width.saturating_sub(1)
    } else {
        width
    };
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > limit {
            break;
        }
        out.push(c);
        used += w;
    }
    if total > width && width > 0 {
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_cuts_and_pads_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("東京東京", 5), "東京…");
        assert_eq!(fit("x", 0), "");
    }
}
