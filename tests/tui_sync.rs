//! The decisions file changing under an open session (`git pull`, `abstriage mark`): taken in
//! within a tick or at the next save, merged, never clobbered; conflict markers left alone.

mod common;

use abstriage::decisions::{Decisions, Status, file};
use abstriage::tui::app::SaveState;
use common::{app, copy_of_seeds, press, settle};
use ratatui::layout::Size;

const SIZE: Size = Size::new(100, 30);

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_change_on_disk_is_taken_in_on_the_next_tick_and_kept_on_save() {
    let corpus = copy_of_seeds();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let mut app = app(corpus.path(), dir.path(), SIZE);
    let ids: Vec<_> = app.rows.iter().map(|&c| app.study(c).id.clone()).collect();
    press(&mut app, "i");

    // Someone else (a pull) adds a decision on study 5 and a note on study 0.
    let mut pulled = file::load(&path).unwrap();
    pulled.set_status(
        &ids[5],
        "five",
        Some(Status::Exclude),
        at("2026-11-24T13:00:00Z"),
    );
    pulled.set_note(
        &ids[0],
        "zero",
        "from the other clone",
        at("2026-11-24T13:00:00Z"),
    );
    file::save(&path, "tester", &pulled).unwrap();

    assert!(app.tick(), "redraw after taking the change in");
    assert_eq!(app.decisions.status(&ids[5]), Some(Status::Exclude));
    assert_eq!(
        app.decisions.get(&ids[0]).unwrap().note,
        "from the other clone"
    );
    assert_eq!(app.decisions.status(&ids[0]), Some(Status::Include));
    let message = app.message.clone().unwrap().text;
    assert!(
        message.contains("changed on disk: 2 decision(s) taken in"),
        "{message}"
    );
    assert!(!app.tick(), "nothing new");

    // Changed again, and this time the session saves before any tick.
    let mut again = file::load(&path).unwrap();
    again.set_status(
        &ids[7],
        "seven",
        Some(Status::Maybe),
        at("2026-11-24T13:01:00Z"),
    );
    file::save(&path, "tester", &again).unwrap();
    press(&mut app, "gjji"); // include study 2
    let on_disk = file::load(&path).unwrap();
    assert_eq!(
        on_disk.status(&ids[7]),
        Some(Status::Maybe),
        "not clobbered"
    );
    assert_eq!(on_disk.status(&ids[2]), Some(Status::Include));
    assert_eq!(on_disk.status(&ids[5]), Some(Status::Exclude));
    assert_eq!(on_disk, app.decisions);
}

#[test]
fn conflict_markers_stop_saving_until_resolved_then_nothing_is_lost() {
    let corpus = copy_of_seeds();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tester.toml");
    let mut app = app(corpus.path(), dir.path(), SIZE);
    let ids: Vec<_> = app.rows.iter().map(|&c| app.study(c).id.clone()).collect();
    press(&mut app, "i");
    let clean = std::fs::read_to_string(&path).unwrap();
    // A merge gone wrong: markers around a (made-up) conflicting entry.
    let conflicted =
        format!("{clean}<<<<<<< HEAD\n[records.\"x\"]\n=======\n[records.\"y\"]\n>>>>>>> theirs\n");
    std::fs::write(&path, &conflicted).unwrap();
    let marker_line = clean.lines().count() + 1;

    app.tick();
    let message = app.message.clone().unwrap();
    assert!(message.error, "{message:?}");
    assert!(
        message
            .text
            .contains(&format!("tester.toml:{marker_line}:1"))
            && message.text.contains("git conflict markers"),
        "{message:?}"
    );
    assert!(matches!(app.save_state, SaveState::Failed(_)));

    press(&mut app, "m"); // a decision while the file is blocked: kept in memory only
    assert_eq!(app.decisions.status(&ids[1]), Some(Status::Maybe));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        conflicted,
        "file untouched"
    );

    // Resolved (their side taken: a decision on study 9), the session merges and saves.
    let mut resolved: Decisions = file::from_toml(&path, &clean).unwrap().1;
    resolved.set_status(
        &ids[9],
        "nine",
        Some(Status::Include),
        at("2026-11-24T14:00:00Z"),
    );
    file::save(&path, "tester", &resolved).unwrap();
    app.tick();
    settle(&mut app); // the merged decisions are written in the background
    assert_eq!(app.save_state, SaveState::Saved);
    let on_disk = file::load(&path).unwrap();
    assert_eq!(on_disk.status(&ids[0]), Some(Status::Include));
    assert_eq!(
        on_disk.status(&ids[1]),
        Some(Status::Maybe),
        "made while blocked"
    );
    assert_eq!(on_disk.status(&ids[9]), Some(Status::Include), "theirs");
}
