//! The search prompt with its search thread: typing never waits for a search, results for a
//! text typed over are never shown, Enter keeps what was typed, Esc drops what is on its way,
//! and the results are those of a full scan. The thread is replaced by a desk the test answers
//! when it chooses (`Searcher::manual`), or is the app's own.

mod common;

use std::sync::Arc;

use abstriage::record::Record;
use abstriage::search::engine::Engine;
use abstriage::search::records::Query;
use abstriage::search::screen::Budget;
use abstriage::search::worker::{Desk, Outcome, Request, Searcher};
use abstriage::tui::app::App;
use abstriage::tui::popups::Popup;
use common::{app, draw, press, press_code, seeds_dir};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

const SIZE: Size = Size::new(120, 30);

/// Hands the app one key as the event loop does, without waiting for anything after it.
fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Types `keys` as the event loop takes them: each handled, then the search asked for before
/// the frame (never waiting for results).
fn type_keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        key(app, KeyCode::Char(c));
        app.catch_up();
    }
}

/// The search thread's answer to `request`: a search from scratch, whoever still wants it.
fn answer(request: &Request) -> Outcome {
    let found = Query::new(&request.text)
        .and_then(|q| Engine::default().search(q, &request.haystack, &|| false));
    Outcome {
        id: request.id,
        text: request.text.clone(),
        found,
        partial: false,
    }
}

/// The studies listed, by title.
fn listed(app: &App) -> Vec<String> {
    app.rows
        .iter()
        .map(|&c| app.study(c).title.clone())
        .collect()
}

/// The status bar (the prompt while it is open).
fn status_bar(app: &App) -> String {
    let screen = draw(app).backend().to_string();
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 1].to_string()
}

fn manual_app(dir: &std::path::Path) -> (App, Desk) {
    let (searcher, desk) = Searcher::manual();
    (app(&seeds_dir(), dir, SIZE).with_searcher(searcher), desk)
}

#[test]
fn typing_goes_on_while_a_search_is_on_its_way() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk) = manual_app(dir.path());
    type_keys(&mut app, "/swa");
    // Nobody has answered: every key was still taken and drawn.
    assert!(app.searching());
    assert_eq!(app.rows.len(), 15, "the list waits for the results");
    let bar = status_bar(&app);
    assert!(
        bar.contains("/ swa▏") && bar.contains("searching…"),
        "{bar}"
    );
    type_keys(&mut app, "ithes");
    let bar = status_bar(&app);
    assert!(bar.contains("/ swaithes▏"), "{bar}");
    // The newest text is what the thread is asked for (older requests are dropped).
    let request = desk.next().unwrap();
    assert_eq!(request.text, "swaithes");
    assert!(desk.wanted(request.id));
    desk.answer(answer(&request));
    assert!(app.take_search_result());
    assert!(!app.searching());
    // Swaithes is the first author of the group consultations study (seeds/000_*.txt).
    let titles = listed(&app);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].contains("group consultations"), "{titles:?}");
    let bar = status_bar(&app);
    assert!(
        bar.contains("1 found") && !bar.contains("searching"),
        "{bar}"
    );
}

#[test]
fn results_for_a_text_typed_over_are_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk) = manual_app(dir.path());
    type_keys(&mut app, "/swa");
    let older = desk.next().unwrap();
    assert_eq!(older.text, "swa");
    type_keys(&mut app, "i");
    let newer = desk.next().unwrap();
    assert_eq!(newer.text, "swai");
    assert!(!desk.wanted(older.id), "the older search may stop");
    // The older search finishes anyway, after the newer was asked for: it is dropped.
    desk.answer(answer(&older));
    assert!(!app.take_search_result());
    assert!(app.list.search.is_none() && app.rows.len() == 15);
    assert!(status_bar(&app).contains("searching…"));
    desk.answer(answer(&newer));
    assert!(app.take_search_result());
    assert_eq!(app.list.search.as_ref().unwrap().query, "swai");

    // Once a search is shown, a later one's text labels the count until its results come.
    type_keys(&mut app, "t");
    let bar = status_bar(&app);
    assert!(
        bar.contains("/ swait▏") && bar.contains("searching…") && bar.contains("for “swai”"),
        "{bar}"
    );
    let request = desk.next().unwrap();
    desk.answer(answer(&request));
    app.catch_up();
    assert_eq!(app.list.search.as_ref().unwrap().query, "swait");
}

#[test]
fn esc_drops_the_search_on_its_way_and_puts_the_list_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk) = manual_app(dir.path());
    press(&mut app, "jj");
    let was_on = app.current().unwrap().id.clone();
    type_keys(&mut app, "/swaithes");
    let request = desk.next().unwrap();
    press_code(&mut app, KeyCode::Esc);
    assert!(app.popups.is_empty() && !app.searching());
    assert!(!desk.wanted(request.id), "the search may stop");
    desk.answer(answer(&request));
    assert!(!app.catch_up() && !app.take_search_result());
    assert!(app.list.search.is_none());
    assert_eq!(app.rows.len(), 15);
    assert_eq!(app.current().unwrap().id, was_on);
}

#[test]
fn enter_keeps_the_results_of_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    // Typed as fast as the loop takes keys, Enter before any result was looked for.
    type_keys(&mut app, "/swaithes");
    key(&mut app, KeyCode::Enter);
    assert!(app.popups.is_empty() && !app.searching());
    assert_eq!(app.list.search.as_ref().unwrap().query, "swaithes");
    let titles = listed(&app);
    assert_eq!(titles.len(), 1);
    assert!(titles[0].contains("group consultations"), "{titles:?}");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "1 study matches “swaithes”; F shows all again."
    );
}

#[test]
fn keys_that_move_over_the_results_see_those_of_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    type_keys(&mut app, "/social prescrib");
    key(&mut app, KeyCode::Down);
    assert!(!app.searching());
    assert_eq!(app.list.search.as_ref().unwrap().query, "social prescrib");
    assert_eq!(app.cursor, 1, "moved from the best match");
    assert!(matches!(app.popups.last(), Some(Popup::Search(_))));
}

#[test]
fn results_are_those_of_a_full_scan_as_the_query_is_typed_and_erased() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    press(&mut app, "/");
    let edits = [
        "p", "r", "i", "m", "a", " ", "c", "a", "\u{8}", "\u{8}", "\u{8}", "\u{8}", "\u{8}", "e",
        " ", "2", "0", "2", "\u{8}", "1", " ", "g", "p",
    ];
    for edit in edits {
        if edit == "\u{8}" {
            press_code(&mut app, KeyCode::Backspace);
        } else {
            press(&mut app, edit);
        }
        let Some(Popup::Search(prompt)) = app.popups.last() else {
            panic!("the prompt closed");
        };
        let typed = prompt.query.clone();
        let candidates: Vec<(usize, &Record)> = (0..app.clusters.clusters.len())
            .map(|c| (c, app.study(c)))
            .collect();
        let scan = Query::new(&typed).map(|q| q.matches(&candidates));
        let shown = app.list.search.as_ref().map(|h| h.scores.clone());
        assert_eq!(shown, scan, "typed {typed:?}");
        if let Some(hits) = &app.list.search {
            assert_eq!(hits.query, typed);
        }
    }
}

#[test]
fn without_its_thread_the_search_runs_on_the_loops() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk) = manual_app(dir.path());
    drop(desk);
    type_keys(&mut app, "/swaithes");
    assert!(!app.searching());
    assert_eq!(listed(&app).len(), 1);
}

#[test]
fn the_thread_holds_the_studies_shared_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk) = manual_app(dir.path());
    type_keys(&mut app, "/swa");
    let request = desk.next().unwrap();
    // The same records as the corpus's (one allocation, shared).
    let study = request.haystack.records.record(0);
    assert!(std::ptr::eq(study, app.study(0)));
    assert_eq!(request.haystack.candidates.len(), 15);
    // The next search shares the same candidates, so the thread can continue from the last.
    type_keys(&mut app, "i");
    let next = desk.next().unwrap();
    assert!(Arc::ptr_eq(
        &request.haystack.candidates,
        &next.haystack.candidates
    ));
}

/// The seeds in a list of three rows (7 lines: title bar, the list's borders, the prompt),
/// "in" typed, and its first screen taken by the app; the complete results are returned, not
/// yet handed back.
fn first_screen_of_in(dir: &std::path::Path) -> (App, Desk, Outcome) {
    let (searcher, desk) = Searcher::manual();
    let mut app = app(&seeds_dir(), dir, Size::new(120, 7)).with_searcher(searcher);
    type_keys(&mut app, "/in");
    let request = desk.next().unwrap();
    assert_eq!(request.text, "in");
    assert_eq!(request.rows, 3, "the rows the list shows");
    // The thread's engine, looking for a first screen among more than 4 studies. It hands
    // back the first screen at once, then returns the complete results.
    let complete = desk
        .search(
            &mut Engine::with_budget(Budget { most: 4, share: 1 }),
            request,
        )
        .unwrap();
    assert!(app.take_search_result());
    (app, desk, complete)
}

#[test]
fn the_first_screen_shows_at_once_and_the_complete_results_leave_it_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk, complete) = first_screen_of_in(dir.path());
    assert!(app.searching(), "the complete results are still awaited");
    // "in" scores most on "Influences ..." (a title starting with "In"), then as much on
    // "implementing" (study 0) and "initiative" (study 3), each "in" at the start of a word
    // inside the title (seeds/002, 000 and 003): ties in corpus order.
    let first: Vec<String> = listed(&app);
    assert_eq!(first.len(), 3, "{first:?}");
    assert!(
        first[0].starts_with("Influences of peer facilitation"),
        "{first:?}"
    );
    assert!(
        first[1].starts_with("Experience of implementing"),
        "{first:?}"
    );
    assert!(
        first[2].starts_with("Delivering a primary care-based"),
        "{first:?}"
    );
    assert_eq!(app.cursor, 0);
    let before = draw(&app).backend().to_string();
    assert!(
        before.contains("Studies 1/3… "),
        "more rows are coming:\n{before}"
    );
    let bar = status_bar(&app);
    assert!(
        bar.contains("/ in▏") && bar.contains("searching… best 3 shown for “in”"),
        "{bar}"
    );

    desk.answer(complete);
    assert!(app.take_search_result());
    assert!(!app.searching());
    let all = listed(&app);
    assert!(all.len() > 3, "{all:?}");
    assert_eq!(all[..3], first[..]);
    assert_eq!(app.cursor, 0);
    // The rows on screen did not move: the list's three lines are drawn as they were.
    let after = draw(&app).backend().to_string();
    assert!(after.contains("Studies 1/15 "), "{after}");
    let rows = |screen: &str| {
        screen
            .lines()
            .skip(2)
            .take(3)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&after), rows(&before));
    let bar = status_bar(&app);
    assert!(
        bar.contains(&format!("{} found", all.len())) && !bar.contains("searching"),
        "{bar}"
    );
    // And they are those of a full scan.
    let candidates: Vec<(usize, &Record)> = (0..app.clusters.clusters.len())
        .map(|c| (c, app.study(c)))
        .collect();
    let scan = Query::new("in").unwrap().matches(&candidates);
    assert_eq!(app.list.search.as_ref().unwrap().scores, scan);
}

#[test]
fn moves_within_the_first_screen_do_not_wait_and_the_complete_results_keep_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, desk, complete) = first_screen_of_in(dir.path());
    let first = listed(&app);
    assert_eq!(first.len(), 3);
    // Nobody answers with the complete results: were a move to wait for them, the manual
    // desk would never answer and the test would hang.
    let mut step = |code: KeyCode| {
        key(&mut app, code);
        app.catch_up();
    };
    step(KeyCode::Down);
    step(KeyCode::Tab);
    step(KeyCode::Up);
    step(KeyCode::Down);
    assert_eq!(app.cursor, 2);
    assert!(app.searching(), "still the first screen");
    // Past its last row the move waits; here the complete results come first.
    desk.answer(complete);
    assert!(app.take_search_result());
    assert!(!app.searching());
    assert_eq!(app.cursor, 2, "the cursor stays on its study");
    assert_eq!(app.study(app.rows[2]).title, first[2]);
    press_code(&mut app, KeyCode::Down);
    assert_eq!(app.cursor, 3);
}

#[test]
fn opening_the_prompt_has_the_thread_get_ready_for_first_screens() {
    let dir = tempfile::tempdir().unwrap();
    let (searcher, desk) = Searcher::manual();
    let mut app = app(&seeds_dir(), dir.path(), Size::new(120, 7)).with_searcher(searcher);
    press(&mut app, "/");
    let request = desk.next().unwrap();
    assert_eq!((request.text.as_str(), request.rows), ("", 3));
    assert!(
        !app.searching(),
        "nothing is awaited: the list stays as it is"
    );
    let haystack = request.haystack.clone();
    let mut engine = Engine::default();
    assert!(!engine.prepared(&haystack));
    let outcome = desk.search(&mut engine, request).unwrap();
    assert!(outcome.found.is_none());
    assert!(engine.prepared(&haystack));
    desk.answer(outcome);
    app.catch_up();
    assert_eq!(app.rows.len(), 15);
    // The first key's request shares that haystack, so the engine keeps what it read.
    type_keys(&mut app, "in");
    let next = desk.next().unwrap();
    assert_eq!(next.text, "in");
    assert!(engine.prepared(&next.haystack));
}
