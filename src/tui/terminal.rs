//! The real terminal: entered and left in one place, so that every way a session ends — a
//! quit, an error, a panic, or a signal (SIGHUP when an SSH connection drops, SIGTERM,
//! SIGINT) — leaves the terminal as it found it.
//!
//! Everything drawn goes through [`SafeBackend`], the last guard between corpus text and the
//! terminal: no control character, escape sequence or bidirectional override reaches it,
//! whatever a view draws.

use std::io::{self, Stdout, Write};
use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::{Position, Size};

use crate::decisions::saver::Lifeline;

/// The signals that end a session: each is caught so the session saves and restores the
/// terminal. A second one while that happens ends the process at once.
const ENDING_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGINT,
];

/// How often a wait for input looks at the signals.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// What the loop gets from the terminal.
#[derive(Debug)]
pub enum Input {
    /// A key, paste or resize.
    Event(Event),
    /// Nothing came within the wait.
    Quiet,
    /// An ending signal arrived (its number).
    Signal(i32),
}

/// The terminal in raw mode on the alternate screen, with the ending signals caught.
pub struct Screen {
    /// The terminal, drawn through the guard. Dropped by hand: see `Drop`.
    pub terminal: ManuallyDrop<Terminal<SafeBackend<CrosstermBackend<Stdout>>>>,
    signals: Signals,
}

/// The ending signals received, and input read with an eye on them.
#[derive(Debug, Clone)]
pub struct Signals {
    received: Arc<AtomicUsize>,
    /// Bumped by every wait for input: the session's loop is alive.
    heartbeat: Arc<AtomicU64>,
    /// Set once the loop has seen the signal and is ending the session itself.
    handled: Arc<AtomicBool>,
}

/// How long the session's loop may stay silent after a signal before the watcher ends the
/// session from outside it.
const TAKEOVER_AFTER: Duration = Duration::from_millis(600);

/// How long the watcher waits for the last save before writing a rescue file.
const TAKEOVER_SAVE_WAIT: Duration = Duration::from_secs(3);

impl Screen {
    /// Takes over the terminal. The ending signals are caught from here on (and stay caught:
    /// the session saves before it ends).
    pub fn enter() -> io::Result<Self> {
        let signal = Arc::new(AtomicUsize::new(0));
        let armed = Arc::new(AtomicBool::new(false));
        for sig in ENDING_SIGNALS {
            // Registered first, so a second signal ends the process before the flag is set.
            signal_hook::flag::register_conditional_default(sig, Arc::clone(&armed))?;
            signal_hook::flag::register(sig, Arc::clone(&armed))?;
            signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
        }
        install_panic_hook();
        enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen)?;
        // Pasted text arrives as one event (into the note editor) instead of as keystrokes that
        // would each run a command. Terminals without bracketed paste ignore the request.
        let _ = execute!(io::stdout(), EnableBracketedPaste);
        let terminal = Terminal::new(SafeBackend(CrosstermBackend::new(io::stdout())))?;
        Ok(Self {
            terminal: ManuallyDrop::new(terminal),
            signals: Signals {
                received: signal,
                heartbeat: Arc::new(AtomicU64::new(0)),
                handled: Arc::new(AtomicBool::new(false)),
            },
        })
    }

    /// Watches for the ending signals from a thread of its own. The session's loop normally
    /// sees a signal within 50 ms and ends the session itself; but when the terminal is gone
    /// (SIGHUP after an SSH connection drops), crossterm can spin forever inside its read of
    /// it, and the loop never comes back. The watcher then finishes the job through
    /// `lifeline`: waits for the last save (every change is handed to the saver as it is
    /// made), else writes a rescue file, restores what it can of the terminal, and exits.
    pub fn watch(&self, lifeline: Option<Lifeline>) -> io::Result<()> {
        let mut incoming = signal_hook::iterator::Signals::new(ENDING_SIGNALS)?;
        let signals = self.signals.clone();
        std::thread::Builder::new()
            .name("abstriage-signals".into())
            .spawn(move || {
                let Some(signal) = incoming.forever().next() else {
                    return;
                };
                loop {
                    let beat = signals.heartbeat.load(Ordering::SeqCst);
                    std::thread::sleep(TAKEOVER_AFTER);
                    if signals.handled.load(Ordering::SeqCst) {
                        return;
                    }
                    if signals.heartbeat.load(Ordering::SeqCst) == beat {
                        break;
                    }
                }
                let saved = lifeline.map_or_else(
                    || Ok("nothing to save".to_string()),
                    |l| l.finish(TAKEOVER_SAVE_WAIT),
                );
                restore();
                let (Ok(text) | Err(text)) = saved;
                let _ = writeln!(io::stderr(), "abstriage: ended by signal {signal}. {text}");
                std::process::exit(128 + signal);
            })?;
        Ok(())
    }

    /// The session's signals.
    pub fn signals(&self) -> Signals {
        self.signals.clone()
    }
}

impl Signals {
    /// The ending signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }

    /// Waits up to `wait` for input, looking at the signals meanwhile.
    pub fn next_input(&self, wait: Duration) -> io::Result<Input> {
        let deadline = Instant::now() + wait;
        loop {
            self.heartbeat.fetch_add(1, Ordering::SeqCst);
            if let Some(sig) = self.received() {
                self.handled.store(true, Ordering::SeqCst);
                return Ok(Input::Signal(sig));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if event::poll(left.min(SIGNAL_CHECK))? {
                return event::read().map(Input::Event);
            }
            if left <= SIGNAL_CHECK {
                return Ok(Input::Quiet);
            }
        }
    }
}

impl Drop for Screen {
    /// Restores the terminal. ratatui's own `Terminal` drop only shows the cursor, and reports
    /// failing to with `eprintln!`, which panics when the terminal is gone (a dropped SSH
    /// connection). So the cursor is shown here, and the `Terminal` is never dropped: a
    /// screen ends with the session, and the process ends with it.
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        restore();
    }
}

/// Puts the terminal back: bracketed paste off, main screen, cursor shown, raw mode off.
/// Errors are ignored: after SIGHUP there is no terminal left to restore.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

/// On a panic, the terminal is restored before the message is printed, so the message is
/// readable; the session's decisions are then saved by whoever catches the panic.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Whether `c` may not reach the terminal: C0 and C1 controls (ESC starts every escape
/// sequence, OSC 52 writes the clipboard, BEL rings, CR and backspace overwrite) and the
/// bidirectional controls that reorder what is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A backend that drops unsafe characters from every cell before the terminal sees it.
///
/// ratatui already leaves control characters out of the text widgets lay out; this guard makes
/// that a property of the whole program rather than of each widget.
#[derive(Debug)]
pub struct SafeBackend<B>(pub B);

impl<B: Backend> Backend for SafeBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cleaned: Vec<(u16, u16, Option<Cell>, &Cell)> = content
            .map(|(x, y, cell)| (x, y, safe_cell(cell), cell))
            .collect();
        self.0.draw(
            cleaned
                .iter()
                .map(|(x, y, clean, cell)| (*x, *y, clean.as_ref().unwrap_or(cell))),
        )
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.0.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
}

/// The cell with unsafe characters removed from its symbol (a blank if nothing is left), or
/// `None` when it is safe as it is.
fn safe_cell(cell: &Cell) -> Option<Cell> {
    if !cell.symbol().chars().any(is_unsafe) {
        return None;
    }
    let kept: String = cell.symbol().chars().filter(|&c| !is_unsafe(c)).collect();
    let mut clean = cell.clone();
    clean.set_symbol(if kept.is_empty() { " " } else { &kept });
    Some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;

    #[test]
    fn unsafe_symbols_never_reach_the_backend() {
        let mut backend = SafeBackend(TestBackend::new(4, 1));
        let symbols = ["\u{1b}]52;c;aGk=\u{7}", "a\u{202E}", "\u{9b}", "é"];
        let cells: Vec<Cell> = symbols.iter().map(|s| Cell::new(s)).collect();
        backend
            .draw(cells.iter().enumerate().map(|(x, c)| (x as u16, 0, c)))
            .unwrap();
        let drawn: Vec<&str> = backend
            .0
            .buffer()
            .content
            .iter()
            .map(Cell::symbol)
            .collect();
        // The ESC and BEL go, leaving the harmless letters of the payload; the override goes;
        // a lone C1 CSI becomes a blank; accented letters stay.
        assert_eq!(drawn, ["]52;c;aGk=", "a", " ", "é"]);
    }

    #[test]
    fn what_is_unsafe() {
        for c in [
            '\u{1b}', '\u{7}', '\r', '\u{8}', '\u{7f}', '\u{9b}', '\u{202E}', '\u{2067}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['a', 'é', '東', '\u{301}', ' '] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }
}
