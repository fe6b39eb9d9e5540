//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pty;

use std::path::{Path, PathBuf};

use abstriage::config::Config;
use abstriage::session::{self, Options, PROGRESSIVE_BYTES};
use abstriage::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

/// The source tree's `seeds/` folder.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A fresh copy of the seeds (corpus files and review.toml, no decisions) in a temp folder.
pub fn copy_of_seeds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(seeds_dir()).expect("seeds") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
    }
    dir
}

/// A session on the corpus at `corpus`, as reviewer `tester`, with the built-in configuration,
/// a fixed clock, and decisions kept in `decisions_dir`.
pub fn app(corpus: &Path, decisions_dir: &Path, size: Size) -> App {
    let options = Options {
        reviewer: Some("tester".into()),
        decisions: Some(decisions_dir.join("tester.toml")),
        config: None,
        cache: abstriage::cache::Caching::Off,
    };
    let mut session = session::open(corpus, &options).expect("open");
    session.config = Config::defaults().expect("defaults");
    App::new(session, size)
        .expect("app")
        .with_clock(Box::new(|| "2026-11-24T12:00:00Z".parse().expect("time")))
}

/// Records in [`large_corpus`]: enough for more than [`PROGRESSIVE_BYTES`], so that the
/// screening view opens it progressively.
pub const RECORDS: usize = 2200;

/// A RIS corpus of [`RECORDS`] distinct records of about 2 KB, in which the last record is a
/// copy of the second (with a DOI the second lacks), so that the two are one study once the
/// whole corpus is read, but not in its first records.
pub fn large_corpus(dir: &Path) -> PathBuf {
    let mut text = String::new();
    for i in 0..RECORDS {
        let n = if i == RECORDS - 1 { 1 } else { i };
        let doi = if i == RECORDS - 1 {
            "DO  - 10.1234/copy.1\n"
        } else {
            ""
        };
        let words: String = (0..400)
            .map(|w| format!("w{} ", (w * 7 + n) % 997))
            .collect();
        text.push_str(&format!(
            "TY  - JOUR\nTI  - Study number {n} of sleep and fatigue\nAU  - Author{n}, A\nPY  - 2020\n{doi}AB  - Background: {words}\nER  - \n\n"
        ));
    }
    assert!(
        text.len() as u64 > PROGRESSIVE_BYTES,
        "{} bytes",
        text.len()
    );
    let path = dir.join("large.ris");
    std::fs::write(&path, text).expect("write corpus");
    path
}

/// Presses each key of `keys` (characters; `\n` is Enter, `\x1b` is Esc).
pub fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
    settle(app);
}

/// Presses one special key.
pub fn press_code(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    settle(app);
}

/// Waits for the results of the search typed (asked for before the next frame, shown when the
/// search thread has them), and for the background saver to write what the keys changed (or
/// to fail), as a reviewer's next look at the screen and the file would, within milliseconds.
pub fn settle(app: &mut App) {
    app.finish_search();
    app.wait_for_saves(std::time::Duration::from_secs(10));
}

/// The screen as drawn now.
pub fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal =
        Terminal::new(TestBackend::new(app.size.width, app.size.height)).expect("terminal");
    terminal
        .draw(|frame| abstriage::tui::views::draw(frame, app))
        .expect("draw");
    terminal
}

/// The shared corpora of real exports: `$ABSTRIAGE_CORPORA`, else `../shared/corpora` beside
/// the repository.
pub fn corpora_dir() -> PathBuf {
    std::env::var_os("ABSTRIAGE_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"))
}

/// Presses `c` with Ctrl held.
pub fn press_ctrl(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
    settle(app);
}

/// Pastes `text` the way a terminal with bracketed paste delivers it.
pub fn paste(app: &mut App, text: &str) {
    app.handle_event(&Event::Paste(text.to_string()));
    settle(app);
}

/// Where `word` is drawn on screen: the cells of each occurrence, row by row.
pub fn find_on_screen(
    buffer: &ratatui::buffer::Buffer,
    word: &str,
) -> Vec<Vec<ratatui::buffer::Cell>> {
    let want: Vec<String> = word.chars().map(String::from).collect();
    let mut found = Vec::new();
    for y in 0..buffer.area.height {
        let row: Vec<&ratatui::buffer::Cell> =
            (0..buffer.area.width).map(|x| &buffer[(x, y)]).collect();
        for start in 0..row.len().saturating_sub(want.len() - 1) {
            if (0..want.len()).all(|i| row[start + i].symbol() == want[i]) {
                found.push(
                    row[start..start + want.len()]
                        .iter()
                        .map(|c| (*c).clone())
                        .collect(),
                );
            }
        }
    }
    found
}

/// The real binary, kept away from the user's own config and load cache and from cargo's
/// environment.
pub fn abstriage() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("abstriage").expect("binary");
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/empty-config.toml");
    cmd.env("ABSTRIAGE_CONFIG", config)
        .env("ABSTRIAGE_CACHE", "off")
        .env_remove("CARGO_MANIFEST_DIR");
    cmd
}
