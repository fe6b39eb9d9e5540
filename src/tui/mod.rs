//! The terminal interface: a thin layer over the core. One loop reads an event, turns it into
//! a command, updates the session and redraws — only when something changed.

pub mod app;
pub mod command;
mod detail;
pub mod keymap;
pub mod layout;
pub mod popups;
pub mod reconcile;
pub mod rows;
mod studies;
mod sync;
mod team;
mod theme;
pub mod undo;
mod update;
pub mod views;

use std::io;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;

use self::app::App;

/// How long the loop waits for input before checking the decisions file for outside changes.
const TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs the session on `terminal` until it quits, reading events from `next_event` (`None`:
/// a second passed without one).
/// Generic over the backend so tests drive the real loop on `TestBackend`.
pub fn run<B>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next_event: impl FnMut() -> io::Result<Option<Event>>,
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app.handle_event(&Event::Resize(size.width, size.height));
    let mut redraw = true;
    while !app.should_quit {
        if redraw {
            terminal.draw(|frame| views::draw(frame, app))?;
        }
        redraw = match next_event()? {
            Some(event) => app.handle_event(&event),
            // A second without input: look for changes to the decisions file.
            None => app.tick(),
        };
    }
    Ok(())
}

/// Runs the session in the real terminal (raw mode, alternate screen), restoring the terminal
/// afterwards, also on error or panic.
pub fn run_in_terminal(app: &mut App) -> anyhow::Result<()> {
    let mut terminal = ratatui::try_init()?;
    // Pasted text arrives as one event (into the note editor) instead of as keystrokes that
    // would each run a command. Terminals without bracketed paste ignore the request.
    let _ = execute!(io::stdout(), EnableBracketedPaste);
    let result = run(&mut terminal, app, || {
        if event::poll(TICK)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    });
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}
