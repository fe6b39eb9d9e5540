//! The screening session driven key by key on TestBackend: state, files, and what shows.

mod common;

use abstriage::decisions::{Status, file};
use abstriage::review::Review;
use common::{app, copy_of_seeds, draw, paste, press, press_code, press_ctrl, seeds_dir};
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Size;

const SIZE: Size = Size::new(80, 24);

fn statuses(app: &abstriage::tui::app::App) -> Vec<Option<Status>> {
    app.corpus
        .records
        .iter()
        .map(|r| app.decisions.status(&r.id))
        .collect()
}

#[test]
fn each_decision_is_saved_and_the_cursor_moves_to_the_next_undecided() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    assert_eq!(app.cursor, 0);
    press(&mut app, "jj");
    press(&mut app, "i");
    assert_eq!(app.cursor, 3, "moved past the decided record");
    let on_disk = file::load(&dir.path().join("tester.toml")).unwrap();
    assert_eq!(on_disk, app.decisions);
    assert_eq!(
        on_disk.status(&app.corpus.records[2].id),
        Some(Status::Include)
    );
    press(&mut app, "gx");
    assert_eq!(app.cursor, 0, "x waits in the reason picker");
    assert_eq!(
        app.decisions.status(&app.corpus.records[0].id),
        Some(Status::Exclude)
    );
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(
        app.cursor, 1,
        "record 2 is decided, so the next undecided after 0 is 1"
    );
    press(&mut app, "m");
    assert_eq!(app.cursor, 3);
    let expected = [
        Some(Status::Exclude),
        Some(Status::Maybe),
        Some(Status::Include),
    ];
    assert_eq!(statuses(&app)[..3], expected);
}

#[test]
fn space_clears_and_n_finds_the_next_undecided_wrapping_round() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    press(&mut app, "iii");
    assert_eq!(app.cursor, 3);
    press(&mut app, "k ");
    assert_eq!(
        (app.cursor, statuses(&app)[2]),
        (2, None),
        "clearing does not move"
    );
    press(&mut app, "G");
    assert_eq!(app.cursor, 14);
    press(&mut app, "n");
    assert_eq!(app.cursor, 2, "wraps round to the cleared record");
    let text = std::fs::read_to_string(dir.path().join("tester.toml")).unwrap();
    assert_eq!(text.matches("[records.").count(), 2, "{text}");
}

#[test]
fn last_decision_reports_that_all_are_screened() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    press(&mut app, &"i".repeat(15));
    assert!(statuses(&app).iter().all(|s| *s == Some(Status::Include)));
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("All 15 studies listed are screened.")
    );
    assert!(
        draw(&app)
            .backend()
            .to_string()
            .contains("15/15 screened ✓15")
    );
}

#[test]
fn staying_put_after_a_decision_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    app.behaviour.advance_after_decision = false;
    press(&mut app, "i");
    assert_eq!(app.cursor, 0);
}

#[test]
fn paging_and_scrolling_stay_in_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    press_code(&mut app, KeyCode::PageDown);
    assert_eq!(app.cursor, 6, "one list screen (6 rows at 80x24)");
    assert_eq!(app.list_offset, 1);
    press_code(&mut app, KeyCode::PageDown);
    press_code(&mut app, KeyCode::PageDown);
    assert_eq!(app.cursor, 14);
    press_code(&mut app, KeyCode::PageUp);
    assert_eq!(app.cursor, 8);
    press(&mut app, &"J".repeat(200));
    let scrolled = app.detail_scroll;
    assert!(
        scrolled > 0 && scrolled < 200,
        "clamped at the end of the text: {scrolled}"
    );
    press(&mut app, "K");
    assert_eq!(app.detail_scroll, scrolled - 1);
    press(&mut app, "j");
    assert_eq!(app.detail_scroll, 0, "a new record starts at its top");
}

#[test]
fn themes_toggle_from_the_picker_and_new_ones_go_into_review_toml() {
    let corpus = copy_of_seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(corpus.path(), dir.path(), SIZE);
    press(&mut app, "tlead\n");
    press(&mut app, "patient safety");
    press_code(&mut app, KeyCode::Down);
    press_code(&mut app, KeyCode::Down);
    press(&mut app, "\n");
    press(&mut app, "\x1b");
    assert!(app.popups.is_empty());
    let id = app.corpus.records[0].id.clone();
    let themes = app
        .decisions
        .get(&id)
        .map(|d| d.themes.clone())
        .unwrap_or_default();
    assert_eq!(themes, ["leadership and champions", "patient safety"]);
    assert_eq!(
        Review::load(corpus.path())
            .unwrap()
            .themes
            .last()
            .map(String::as_str),
        Some("patient safety")
    );
    let text = std::fs::read_to_string(corpus.path().join("review.toml")).unwrap();
    assert!(
        text.starts_with("# Protocol of the demo review"),
        "comments kept"
    );
    // Space toggles the highlighted theme when nothing is typed: untag the first one.
    press(&mut app, "t ");
    press(&mut app, "\x1b");
    let themes = app
        .decisions
        .get(&id)
        .map(|d| d.themes.clone())
        .unwrap_or_default();
    assert_eq!(
        themes,
        [
            "leadership and champions",
            "patient safety",
            "workload and capacity"
        ]
    );
}

#[test]
fn reopening_restores_every_decision() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = app(&seeds_dir(), dir.path(), SIZE);
    press(&mut first, "tfacil\n\x1bix\x1bm");
    let before = first.decisions.clone();
    let reopened = app(&seeds_dir(), dir.path(), SIZE);
    assert_eq!(reopened.decisions, before);
    assert_eq!(reopened.cursor, 3, "opens at the first undecided record");
    let screen = draw(&reopened).backend().to_string();
    assert!(screen.contains("│✓  2021 Swaithes"), "{screen}");
    assert!(screen.contains("│✗  2023"), "{screen}");
    assert!(screen.contains("3/15 screened ✓1 ✗1 ?1"), "{screen}");
}

#[test]
fn a_failed_save_is_shown_kept_in_memory_and_guards_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = tempfile::NamedTempFile::new().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    // The decisions folder is a file: every save fails, with the operating system's error.
    app.decisions_path = blocker.path().join("tester.toml");
    let mut app = app.with_writer(Box::new(|path, bytes| {
        abstriage::files::atomic_write(path, bytes)
    }));
    press(&mut app, "i");
    assert_eq!(
        app.decisions.status(&app.corpus.records[0].id),
        Some(Status::Include)
    );
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("NOT SAVED"), "{screen}");
    assert!(screen.contains("Not saved:"), "{screen}");
    press(&mut app, "q");
    assert!(!app.should_quit, "quit refuses to lose decisions");
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("Decisions are NOT saved."), "{screen}");
    assert!(
        screen.contains("Write them to this file instead:"),
        "{screen}"
    );
    // Another file: written there, and the session ends saying where.
    let elsewhere = dir.path().join("rescued.toml");
    press_ctrl(&mut app, 'u');
    paste(&mut app, &elsewhere.display().to_string());
    press(&mut app, "\n");
    assert!(app.should_quit);
    let rescued = abstriage::decisions::file::load(&elsewhere).unwrap();
    assert_eq!(rescued, app.decisions);
    assert!(
        app.farewell
            .as_ref()
            .is_some_and(|f| f.contains("rescued.toml") && f.contains("NOT up to date")),
        "{:?}",
        app.farewell
    );
}

#[test]
fn help_closes_on_any_key_and_esc_then_key_typed_fast_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    press(&mut app, "?");
    assert_eq!(app.popups.len(), 1);
    press(&mut app, "x");
    assert!(app.popups.is_empty());
    assert_eq!(statuses(&app)[0], None, "the closing key does nothing else");
    press(&mut app, "t");
    let alt_i = ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('i'),
        ratatui::crossterm::event::KeyModifiers::ALT,
    );
    app.handle_event(&ratatui::crossterm::event::Event::Key(alt_i));
    assert!(app.popups.is_empty());
    assert_eq!(
        statuses(&app)[0],
        Some(Status::Include),
        "Esc+i arriving together includes"
    );
}

#[test]
fn only_input_and_resizes_ask_for_a_redraw() {
    use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    assert!(!app.handle_event(&Event::FocusGained));
    assert!(!app.handle_event(&Event::FocusLost));
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(
        !app.handle_event(&Event::Key(release)),
        "key releases are not input"
    );
    assert_eq!(app.cursor, 0);
    assert!(app.handle_event(&Event::Resize(120, 40)));
    assert_eq!(app.size, Size::new(120, 40));
    assert!(app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('j'),
        KeyModifiers::NONE
    ))));
}

#[test]
fn raw_view_shows_the_record_as_in_its_file_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), Size::new(100, 30));
    press(&mut app, "jr");
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains(" as in 001_e9e60fdb1346e16d.txt (r: cleaned view) "),
        "{screen}"
    );
    assert!(
        screen.contains("│ 1 Abstract / Description of output"),
        "{screen}"
    );
    assert!(
        screen.contains("│ 2 Background: Formation of GP clusters"),
        "{screen}"
    );
    // Moving keeps the raw view, now on the next record (seed 002 starts at line 1 with furniture).
    press(&mut app, "j");
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains(
            "│ 5 Influences of peer facilitation in general practice - a qualitative study."
        ),
        "{screen}"
    );
    press(&mut app, "jj");
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains("│16 Author(s):"),
        "the Norman record starts at line 16 of seed 003:\n{screen}"
    );
    press(&mut app, "r");
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains("[Norman] COVID-19 is disproportionately"),
        "{screen}"
    );
    assert!(!screen.contains("Author(s):"), "{screen}");
}

#[test]
fn the_title_names_the_review_folder_even_when_opened_as_dot_dot() {
    let corpus = copy_of_seeds();
    let folder = corpus.path().join("my-review");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    for entry in std::fs::read_dir(corpus.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::rename(entry.path(), folder.join(entry.file_name())).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    // `my-review/sub/..` has no last name of its own: the title resolves it.
    let app = app(&folder.join("sub/.."), dir.path(), SIZE);
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains(" abstriage │ my-review │ 15 records"),
        "{screen}"
    );
}

#[test]
fn keys_typed_faster_than_a_search_are_all_taken_before_the_next_search_and_frame() {
    use abstriage::tui::terminal::Input;
    use ratatui::crossterm::event::{Event, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(SIZE.width, SIZE.height))
            .unwrap();
    // Everything is already typed when the loop first looks: "/swaithes", Enter, q.
    let mut keys: Vec<KeyCode> = "/swaithes"
        .chars()
        .map(KeyCode::Char)
        .chain([KeyCode::Enter, KeyCode::Char('q')])
        .rev()
        .collect();
    let mut waits = Vec::new();
    abstriage::tui::run(&mut terminal, &mut app, |wait| {
        waits.push(wait);
        Ok(match keys.pop() {
            Some(code) => Input::Event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))),
            None => Input::Quiet,
        })
    })
    .unwrap();
    assert!(app.should_quit);
    // One frame (the first): the keys were taken together, without a frame between them.
    assert_eq!(terminal.get_frame().count(), 1);
    assert!(waits[1..].iter().all(|w| w.is_zero()), "{waits:?}");
    // The search ran for the whole query (at Enter), and was kept.
    let hits = app.list.search.as_ref().unwrap();
    assert_eq!(hits.query, "swaithes");
    assert_eq!(app.rows.len(), 1);
    assert!(app.current().unwrap().title.contains("group consultations"));
}
