//! The terminal interface: a thin layer over the core. One loop reads an event, turns it into
//! a command, updates the session and redraws — only when something changed.

pub mod app;
pub mod command;
mod detail;
pub mod keymap;
pub mod layout;
mod loading;
pub mod popups;
pub mod reconcile;
mod regroup;
pub mod rows;
mod studies;
mod sync;
mod team;
pub mod terminal;
mod theme;
pub mod undo;
mod update;
pub mod views;

use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;

use self::app::App;
use self::terminal::{Input, Screen};

/// How long the loop waits for input before checking the decisions file for outside changes.
const TICK: Duration = Duration::from_secs(1);

/// How often the loop looks for the saver's reports while a save is under way, and for the
/// whole corpus while it is read in the background.
const SAVE_POLL: Duration = Duration::from_millis(20);

/// How often the loop looks for a search's results while the search thread works: at most
/// this much is added to the time a result takes to reach the screen.
pub const SEARCH_POLL: Duration = Duration::from_millis(4);

/// How a session in the real terminal ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The reviewer quit.
    Quit,
    /// A signal ended it (its number); the decisions were saved first.
    Signal(i32),
}

/// Runs the session on `terminal` until it quits, reading input from `next_input`, which is
/// told how long it may wait. Returns the signal that ended the session, if one did.
/// Generic over the backend so tests drive the real loop on `TestBackend`.
pub fn run<B>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next_input: impl FnMut(Duration) -> io::Result<Input>,
) -> anyhow::Result<Ending>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app.handle_event(&ratatui::crossterm::event::Event::Resize(
        size.width,
        size.height,
    ));
    let mut redraw = true;
    while !app.should_quit {
        // The whole corpus, once read in the background, replaces its first records.
        redraw |= app.take_loaded();
        if redraw {
            terminal.draw(|frame| views::draw(frame, app))?;
        }
        let wait = if app.searching() {
            SEARCH_POLL
        } else if app.saving() || app.loading() {
            SAVE_POLL
        } else {
            TICK
        };
        redraw = match next_input(wait)? {
            Input::Event(event) => {
                let mut changed = app.handle_event(&event);
                // Keys typed while the last frame was being made are all taken before the
                // next search is asked for and the next frame drawn.
                while !app.should_quit {
                    match next_input(Duration::ZERO)? {
                        Input::Event(event) => changed |= app.handle_event(&event),
                        Input::Quiet => break,
                        Input::Signal(signal) => return Ok(Ending::Signal(signal)),
                    }
                }
                // Asks the search thread for what was typed (never waiting for it).
                let searched = app.catch_up();
                app.take_save_outcomes() || changed || searched
            }
            // No input while the search thread works: its results, if they came.
            Input::Quiet if app.searching() => app.take_search_result() | app.take_save_outcomes(),
            // A while without input: take in the saver's reports and changes to the file.
            Input::Quiet => app.tick(),
            Input::Signal(signal) => return Ok(Ending::Signal(signal)),
        };
    }
    Ok(Ending::Quit)
}

/// Runs the session in the real terminal. However it ends — quit, error, panic, or a signal
/// (SIGHUP when an SSH connection drops, SIGTERM, SIGINT) — every decision is written before
/// the terminal is given back (see [`run_guarded`]).
pub fn run_in_terminal(app: &mut App) -> anyhow::Result<(Ending, Result<String, String>)> {
    let mut screen = Screen::enter()?;
    screen.watch((app.read_only.is_none()).then(|| app.lifeline()))?;
    let signals = screen.signals();
    let result = run_guarded(
        &mut *screen.terminal,
        app,
        |wait| signals.next_input(wait),
        || signals.received(),
    );
    drop(screen);
    result
}

/// Runs the session like [`run`], then, however it ended — a quit, an error, a panic (caught
/// here) or a signal — writes every decision: to the decisions file, or when that cannot be
/// written, to a rescue file. Returns how it ended and where the decisions are (`Err`: not in
/// the decisions file); an error or panic comes back as an error saying the same.
pub fn run_guarded<B>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    next_input: impl FnMut(Duration) -> io::Result<Input>,
    signal: impl Fn() -> Option<i32>,
) -> anyhow::Result<(Ending, Result<String, String>)>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let outcome = catch_unwind(AssertUnwindSafe(|| run(terminal, app, next_input)));
    let (ending, error) = match outcome {
        Ok(Ok(ending)) => (ending, None),
        Ok(Err(error)) => (Ending::Quit, Some(error)),
        Err(_) => (
            Ending::Quit,
            Some(anyhow::anyhow!(
                "abstriage stopped on an internal error (reported above)"
            )),
        ),
    };
    // A signal that broke the loop with an error (SIGHUP: the terminal is gone) ends the
    // session like one caught by the loop.
    let ending = match (signal(), ending) {
        (Some(signal), Ending::Quit) if !app.should_quit => Ending::Signal(signal),
        (_, ending) => ending,
    };
    let saved = app.save_before_exit();
    match error {
        Some(error) if !matches!(ending, Ending::Signal(_)) => Err(error.context(match saved {
            Ok(text) | Err(text) => text,
        })),
        _ => Ok((ending, saved)),
    }
}
