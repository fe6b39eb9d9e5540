//! Where each part of the screen goes. Shared by the views (to draw) and by updates that depend
//! on the layout (paging by a screenful, clamping scroll), so both always agree.

use ratatui::layout::{Constraint, Layout, Rect, Size};

/// Widest terminal that still stacks the list above the record; wider ones put them side by side.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Title bar (one line).
    pub title: Rect,
    /// The list of studies, with its border.
    pub list: Rect,
    /// The selected record, with its border.
    pub detail: Rect,
    /// Status bar (one line).
    pub status: Rect,
}

impl Areas {
    /// Lays out a screen of `size`.
    pub fn of(size: Size) -> Self {
        let screen = Rect::new(0, 0, size.width, size.height);
        let [title, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(screen);
        let [list, detail] = if size.width >= SIDE_BY_SIDE_MIN_WIDTH {
            Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body)
        } else {
            let list_height = (body.height * 2 / 5).max(5);
            Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(body)
        };
        Self {
            title,
            list,
            detail,
            status,
        }
    }

    /// Rows of records the list shows at once.
    pub fn list_rows(&self) -> usize {
        usize::from(self.list.height.saturating_sub(2)).max(1)
    }

    /// The detail pane inside its border.
    pub fn detail_inner(&self) -> Rect {
        inner(self.detail)
    }
}

/// A bordered block's inside.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// A centred rectangle of at most `width` x `height` inside `area`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_screens_stack_wide_screens_split() {
        let small = Areas::of(Size::new(80, 24));
        assert_eq!((small.list.width, small.list.height), (80, 8));
        assert_eq!(small.detail.y, 9);
        assert_eq!(small.status.y, 23);
        let wide = Areas::of(Size::new(120, 40));
        assert_eq!(wide.list.y, wide.detail.y);
        assert_eq!(wide.list.width + wide.detail.width, 120);
    }

    #[test]
    fn tiny_screens_do_not_underflow() {
        let tiny = Areas::of(Size::new(3, 2));
        assert_eq!(tiny.list_rows(), 1);
        assert_eq!(
            centred(Rect::new(0, 0, 3, 2), 50, 10),
            Rect::new(0, 0, 3, 2)
        );
    }
}
