//! The note editor popup.

use ratatui::Frame;
use ratatui::widgets::{Block, Clear};

use crate::record::truncate_words;
use crate::tui::layout::centred;
use crate::tui::popups::note::NoteEditor;

pub(super) fn draw(frame: &mut Frame<'_>, editor: &NoteEditor) {
    let area = centred(frame.area(), 72, 14);
    frame.render_widget(Clear, area);
    let title = format!(" Note: {} ", truncate_words(&editor.title, 50));
    let block = Block::bordered()
        .title(title)
        .title_bottom(" Esc save · Ctrl-G cancel ");
    let inside = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&editor.area, inside);
}
