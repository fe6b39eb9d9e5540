//! A large corpus opened progressively: the reviewer screens its first records while the rest
//! is read, and the whole corpus then takes their place without losing a decision or the
//! study being read.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use abstriage::cache::Caching;
use abstriage::config::Config;
use abstriage::decisions::{Status, file};
use abstriage::session::{self, Options};
use abstriage::tui::app::App;
use abstriage::tui::terminal::Input;
use common::{RECORDS, draw, large_corpus, press, press_code};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

const SIZE: Size = Size::new(100, 30);

fn options(decisions: &Path) -> Options {
    Options {
        reviewer: Some("tester".into()),
        decisions: Some(decisions.join("tester.toml")),
        config: None,
        cache: Caching::Off,
    }
}

/// The app over the first records of the corpus at `path`, its whole corpus being read.
fn progressive_app(path: &Path, decisions: &Path) -> App {
    let (mut session, loading) =
        session::open_progressively(path, &options(decisions)).expect("open");
    assert!(
        loading.is_some(),
        "a corpus this large is opened progressively"
    );
    session.config = Config::defaults().expect("defaults");
    App::new(session, SIZE)
        .expect("app")
        .with_loading(loading)
        .with_clock(Box::new(|| "2026-11-25T12:00:00Z".parse().expect("time")))
}

/// Takes the whole corpus in as the event loop does, waiting for it to be read.
fn wait_until_loaded(app: &mut App) {
    let limit = Instant::now() + Duration::from_secs(60);
    while !app.take_loaded() {
        assert!(
            Instant::now() < limit,
            "the corpus was not read in a minute"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The first records of a fresh large corpus in a folder of its own (kept while the test
/// runs), the whole corpus being read.
fn opened() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = large_corpus(dir.path());
    let app = progressive_app(&corpus, dir.path());
    (dir, app)
}

/// The title bar as `app` draws it.
fn title(app: &App) -> String {
    top_row(draw(app).backend().buffer())
}

fn top_row(buffer: &Buffer) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, 0)].symbol())
        .collect()
}

#[test]
fn decisions_made_on_the_first_records_stand_once_the_whole_corpus_is_read() {
    let (dir, mut app) = opened();
    let first = app.corpus.records.len();
    assert!(
        (100..RECORDS / 2).contains(&first),
        "{first} records read first"
    );
    assert!(
        title(&app).contains(&format!("{first} records so far, reading all 5 MB…")),
        "{}",
        title(&app)
    );

    // Include the second study (the one copied at the end), exclude nothing, then go on to
    // the fifth and stay there.
    press(&mut app, "ji");
    let second = app.corpus.records[1].id.clone();
    assert_eq!(app.decisions.status(&second), Some(Status::Include));
    press(&mut app, "jj");
    let reading = app.current().expect("a study").id.clone();
    assert_eq!(reading, app.corpus.records[4].id);

    wait_until_loaded(&mut app);
    assert_eq!(app.corpus.records.len(), RECORDS);
    assert_eq!(app.clusters.clusters.len(), RECORDS - 1, "the copy found");
    assert!(!app.loading());
    let title = title(&app);
    assert!(
        title.contains(&format!("{RECORDS} records, {} studies", RECORDS - 1)),
        "{title}"
    );
    assert_eq!(
        app.current().map(|r| r.id.clone()),
        Some(reading),
        "still on the study being read"
    );
    // The decision stands on the study, whichever of its records names it now.
    let copied = &app.clusters.clusters[app.clusters.of_record[1]];
    let mut records = copied.members.clone();
    records.sort_unstable();
    assert_eq!(records, vec![1, RECORDS - 1]);
    let members: Vec<_> = copied
        .members
        .iter()
        .map(|&i| app.corpus.records[i].id.clone())
        .collect();
    let decision = app.decisions.for_study(&copied.id, members.iter());
    assert_eq!(decision.and_then(|d| d.status), Some(Status::Include));
    // And it is on disk.
    let on_disk = file::load(&dir.path().join("tester.toml")).expect("decisions file");
    assert_eq!(on_disk.status(&second), Some(Status::Include));
    // Deciding goes on over the whole corpus.
    press(&mut app, "G");
    press(&mut app, "m");
    assert_eq!(
        app.decisions.status(&app.corpus.records[RECORDS - 2].id),
        Some(Status::Maybe)
    );
}

#[test]
fn the_whole_corpus_waits_for_an_open_popup_to_close() {
    let (_dir, mut app) = opened();
    let first = app.corpus.records.len();
    press(&mut app, "a");
    assert!(!app.popups.is_empty(), "the note editor is open");
    // Long enough for the corpus to be read; it is not taken in under the editor.
    std::thread::sleep(Duration::from_secs(3));
    assert!(!app.take_loaded());
    assert_eq!(app.corpus.records.len(), first);
    press_code(&mut app, KeyCode::Esc);
    wait_until_loaded(&mut app);
    assert_eq!(app.corpus.records.len(), RECORDS);
}

#[test]
fn a_corpus_that_cannot_be_read_whole_leaves_its_first_records_on_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let review = dir.path().join("review");
    std::fs::create_dir(&review).expect("review folder");
    large_corpus(&review);
    // A second file that vanished: listed in the folder, unreadable.
    std::os::unix::fs::symlink(dir.path().join("gone.ris"), review.join("more.ris"))
        .expect("symlink");
    let mut app = progressive_app(&review, dir.path());
    let first = app.corpus.records.len();
    press(&mut app, "i");
    wait_until_loaded(&mut app);
    assert_eq!(app.corpus.records.len(), first, "the first records stay");
    let title = title(&app);
    assert!(
        title.contains(&format!("{first} records (the rest could not be read:")),
        "{title}"
    );
    let message = app.message.as_ref().expect("the failure is said");
    assert!(
        message.error && message.text.contains("more.ris"),
        "{message:?}"
    );
    assert!(!app.take_loaded(), "said once");
    // Screening goes on.
    press(&mut app, "x");
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(
        file::load(&dir.path().join("tester.toml"))
            .expect("decisions")
            .iter()
            .count(),
        2
    );
}

#[test]
fn the_event_loop_takes_the_whole_corpus_in_without_a_key() {
    let (_dir, mut app) = opened();
    let mut terminal = Terminal::new(TestBackend::new(SIZE.width, SIZE.height)).expect("term");
    let limit = Instant::now() + Duration::from_secs(60);
    // While the corpus is read the loop looks for it every few milliseconds (unless it was
    // read before the loop began); once it has it, it waits the ordinary tick for input. No
    // key until then; then `q`.
    abstriage::tui::run(&mut terminal, &mut app, |wait| {
        assert!(Instant::now() < limit, "the whole corpus never came");
        if wait < Duration::from_millis(100) {
            std::thread::sleep(wait);
            return Ok(Input::Quiet);
        }
        Ok(Input::Event(Event::Key(KeyEvent::new(
            KeyCode::Char('q'),
            KeyModifiers::NONE,
        ))))
    })
    .expect("run");
    assert_eq!(app.corpus.records.len(), RECORDS);
    let top = top_row(terminal.backend().buffer());
    assert!(
        top.contains(&format!("{RECORDS} records, ")),
        "drawn: {top}"
    );
}

#[test]
fn small_corpora_are_read_whole_before_the_first_frame() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (session, loading) =
        session::open_progressively(&common::seeds_dir(), &options(dir.path())).expect("open");
    assert!(loading.is_none());
    let whole = session::open(&common::seeds_dir(), &options(dir.path())).expect("open");
    assert_eq!(session.corpus.records, whole.corpus.records);
}
