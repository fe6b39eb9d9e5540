//! Saving when the disk says no: a full disk, a read-only folder, a second session on the same
//! file, a lock left by a crashed session, and a session that panics or is signalled.

mod common;

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use abstriage::decisions::lock::{WriterLock, lock_path};
use abstriage::decisions::saver::Writer;
use abstriage::decisions::{Status, file};
use abstriage::files::atomic_write;
use abstriage::tui::app::{App, SaveState};
use abstriage::tui::terminal::Input;
use abstriage::tui::{Ending, run_guarded};
use common::{app, draw, press, press_ctrl, seeds_dir};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

const SIZE: Size = Size::new(100, 30);

/// A writer that fails with `error` while `failing` is set, like a disk that fills up and is
/// then cleared.
fn flaky(failing: &Arc<AtomicBool>, error: fn() -> io::Error) -> Writer {
    let failing = Arc::clone(failing);
    Box::new(move |path: &Path, bytes: &[u8]| {
        if failing.load(Ordering::SeqCst) {
            Err(error())
        } else {
            atomic_write(path, bytes)
        }
    })
}

fn screen_of(app: &App) -> String {
    draw(app).backend().to_string()
}

/// Ticks the session (as its loop does every second) until `done` or 10 s pass.
fn tick_until(app: &mut App, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(app) {
        assert!(start.elapsed() < Duration::from_secs(10), "gave up waiting");
        std::thread::sleep(Duration::from_millis(50));
        app.tick();
    }
}

#[test]
fn a_full_disk_is_shown_at_once_the_decision_kept_and_the_save_retried() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let full = Arc::new(AtomicBool::new(true));
    let mut app = app(&seeds_dir(), dir.path(), SIZE).with_writer(flaky(&full, || {
        io::Error::from_raw_os_error(28) // ENOSPC
    }));
    let first = app.current().unwrap().id.clone();
    press(&mut app, "i");
    assert_eq!(app.decisions.status(&first), Some(Status::Include));
    let screen = screen_of(&app);
    assert!(screen.contains("NOT SAVED │ Not saved: "), "{screen}");
    let message = app.message.clone().unwrap();
    assert!(message.error);
    assert!(
        message
            .text
            .contains("tester.toml: No space left on device")
            && message.text.contains("kept in memory, retrying"),
        "{message:?}"
    );
    assert!(!path.exists());

    // Space is freed: the saver's next try writes the decision, without a key pressed.
    full.store(false, Ordering::SeqCst);
    tick_until(&mut app, |app| app.save_state == SaveState::Saved);
    assert_eq!(
        file::load(&path).unwrap().status(&first),
        Some(Status::Include)
    );
    let screen = screen_of(&app);
    assert!(screen.contains("Saved again"), "{screen}");
    assert!(screen.contains("saved "), "{screen}");
}

#[test]
fn a_read_only_folder_blocks_quitting_until_the_reviewer_chooses() {
    let dir = tempfile::tempdir().unwrap();
    let read_only = Arc::new(AtomicBool::new(true));
    let mut app = app(&seeds_dir(), dir.path(), SIZE).with_writer(flaky(&read_only, || {
        io::Error::from_raw_os_error(30) // EROFS
    }));
    press(&mut app, "i");
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("Read-only file system")
    );
    press(&mut app, "m");
    assert!(
        screen_of(&app).contains("NOT SAVED"),
        "still said after the next key"
    );
    press(&mut app, "q");
    assert!(!app.should_quit);
    let screen = screen_of(&app);
    assert!(screen.contains("Decisions are NOT saved."), "{screen}");
    assert!(screen.contains("Read-only file system"), "{screen}");
    // Esc: back to screening, nothing lost.
    press(&mut app, "\x1b");
    assert!(app.popups.is_empty() && !app.should_quit);
    assert_eq!(app.decisions.len(), 2);
    // Quitting again and insisting: the session ends saying what is lost.
    press(&mut app, "q");
    press_ctrl(&mut app, 'q');
    assert!(app.should_quit);
    let farewell = app.farewell.clone().unwrap();
    assert!(farewell.contains("are lost"), "{farewell}");
}

#[test]
fn a_second_session_on_the_same_file_is_read_only_and_says_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let mut first = app(&seeds_dir(), dir.path(), SIZE);
    let mut second = app(&seeds_dir(), dir.path(), SIZE);
    assert!(first.read_only.is_none());
    let why = second
        .read_only
        .clone()
        .expect("the second session is read-only");
    assert!(
        why.contains(&format!("process {}", std::process::id())) && why.contains("tester.toml"),
        "{why}"
    );
    let screen = screen_of(&second);
    assert!(screen.contains("READ-ONLY"), "{screen}");

    press(&mut second, "i");
    assert!(second.decisions.is_empty(), "no decision taken");
    assert!(
        second
            .message
            .as_ref()
            .unwrap()
            .text
            .starts_with("Read-only: ")
    );
    assert!(!path.exists(), "nothing written by the second session");

    press(&mut first, "i");
    assert_eq!(file::load(&path).unwrap().len(), 1);
    // The read-only session still sees the first one's decisions (within its tick).
    tick_until(&mut second, |app| app.decisions.len() == 1);
    press(&mut second, "q");
    assert!(
        second.should_quit,
        "a read-only session quits without asking"
    );

    // Once the first session ends, the file can be opened for writing again.
    drop(first);
    let third = app(&seeds_dir(), dir.path(), SIZE);
    assert!(third.read_only.is_none());
}

#[test]
fn a_lock_left_by_a_crashed_session_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let stale = lock_path(&path);
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(
        &stale,
        "process 4194303 on gone, since 2026-01-01 00:00 UTC\n",
    )
    .unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    assert!(app.read_only.is_none(), "{:?}", app.read_only);
    press(&mut app, "i");
    assert_eq!(file::load(&path).unwrap().len(), 1);
    // The lock is really held now.
    assert!(WriterLock::acquire(&path).is_err());
}

/// Runs `app` through the real loop on a TestBackend with `inputs`, then `last` instead of
/// the next input.
fn run_with(
    app: &mut App,
    keys: &str,
    last: impl Fn() -> io::Result<Input>,
) -> anyhow::Result<(Ending, Result<String, String>)> {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.width, SIZE.height)).unwrap();
    let mut keys: Vec<char> = keys.chars().rev().collect();
    run_guarded(
        &mut terminal,
        app,
        move |_| match keys.pop() {
            Some(c) => Ok(Input::Event(Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )))),
            None => last(),
        },
        || None,
    )
}

#[test]
fn a_panic_saves_every_decision_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let result = run_with(&mut app, "imi", || panic!("a bug"));
    let error = format!("{:#}", result.unwrap_err());
    assert!(
        error.contains(&format!("Decisions saved in {}", path.display()))
            && error.contains("internal error"),
        "{error}"
    );
    assert_eq!(file::load(&path).unwrap(), app.decisions);
    assert_eq!(app.decisions.len(), 3);
}

#[test]
fn a_signal_ends_the_loop_after_saving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let (ending, saved) = run_with(&mut app, "ii", || Ok(Input::Signal(1))).unwrap();
    assert_eq!(ending, Ending::Signal(1));
    assert_eq!(
        saved.unwrap(),
        format!("Decisions saved in {}", path.display())
    );
    assert_eq!(file::load(&path).unwrap().len(), 2);
}

#[test]
fn when_the_decisions_file_cannot_be_written_an_ending_session_writes_a_rescue_file() {
    let dir = tempfile::tempdir().unwrap();
    let never = Arc::new(AtomicBool::new(true));
    let mut app = app(&seeds_dir(), dir.path(), SIZE)
        .with_writer(flaky(&never, || io::Error::from_raw_os_error(13))); // EACCES
    let (_, saved) = run_with(&mut app, "i", || Ok(Input::Signal(15))).unwrap();
    let text = saved.unwrap_err();
    assert!(text.contains("Permission denied"), "{text}");
    let rescue = text
        .split_once("written to ")
        .and_then(|(_, rest)| rest.split_once(" instead"))
        .map(|(path, _)| path)
        .unwrap_or_else(|| panic!("names the rescue file: {text}"));
    let rescued = file::load(Path::new(rescue)).unwrap();
    assert_eq!(rescued, app.decisions);
    std::fs::remove_file(rescue).unwrap();
}

#[test]
fn the_status_bar_says_saving_until_the_write_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let slow: Writer = Box::new(|path: &Path, bytes: &[u8]| {
        std::thread::sleep(Duration::from_millis(300));
        atomic_write(path, bytes)
    });
    let mut app = app(&seeds_dir(), dir.path(), SIZE).with_writer(slow);
    // The key returns at once; the write is still under way.
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('i'),
        KeyModifiers::NONE,
    )));
    assert_eq!(app.save_state, SaveState::Pending);
    assert!(screen_of(&app).contains("│ saving… │"));
    tick_until(&mut app, |app| app.save_state == SaveState::Saved);
    assert!(screen_of(&app).contains("│ saved │"));
    assert_eq!(
        file::load(&dir.path().join("tester.toml")).unwrap().len(),
        1
    );
}
