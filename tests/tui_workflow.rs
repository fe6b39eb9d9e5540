//! The screening workflow driven key by key on TestBackend: reasons by digit and by picker,
//! notes, undo/redo, search, filters, sort, highlights, criteria and summary. Expected titles,
//! reasons and themes come from `seeds/` (the five demo files and `seeds/review.toml`).

mod common;

use abstriage::decisions::{Decisions, Status, file};
use abstriage::tui::popups::Popup;
use common::{
    app, copy_of_seeds, draw, find_on_screen, paste, press, press_code, press_ctrl, seeds_dir,
};
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier};

const SIZE: Size = Size::new(100, 30);

type App = abstriage::tui::app::App;

fn on_disk(dir: &std::path::Path) -> Decisions {
    file::load(&dir.join("tester.toml")).unwrap()
}

fn listed_titles(app: &App) -> Vec<String> {
    app.rows
        .iter()
        .map(|&c| app.study(c).display_title())
        .collect()
}

fn id_of(app: &App, row: usize) -> abstriage::record::RecordId {
    app.study(app.rows[row]).id.clone()
}

#[test]
fn a_digit_excludes_with_that_reason_in_one_keystroke() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let first = id_of(&app, 0);
    press(&mut app, "2");
    // seeds/review.toml: reasons[1] = "not primary care".
    let decision = app.decisions.get(&first).unwrap();
    assert_eq!(decision.status, Some(Status::Exclude));
    assert_eq!(decision.reasons, ["not primary care"]);
    assert_eq!(app.cursor, 1, "moves on at once");
    assert_eq!(on_disk(dir.path()), app.decisions, "saved");
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains("│✗  2021 Swaithes"),
        "the list marks it:\n{screen}"
    );
    assert!(
        screen.contains("— not primary care"),
        "the list names the reason:\n{screen}"
    );

    // Back on it, the detail pane shows the reason.
    press(&mut app, "k");
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("reasons: not primary care"), "{screen}");

    // A digit with no reason behind it changes nothing and says why.
    press(&mut app, "j7");
    assert_eq!(app.decisions.status(&id_of(&app, 1)), None);
    let message = app.message.as_ref().unwrap();
    assert!(message.error && message.text.contains('7'), "{message:?}");
}

#[test]
fn x_opens_the_reason_picker_for_several_reasons_and_a_new_one() {
    let corpus = copy_of_seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(corpus.path(), dir.path(), SIZE);
    let first = id_of(&app, 0);
    press(&mut app, "x");
    assert_eq!(app.decisions.status(&first), Some(Status::Exclude));
    assert!(matches!(app.popups.last(), Some(Popup::Picker(_))));
    assert_eq!(app.cursor, 0, "stays while reasons are chosen");

    press(&mut app, "research\n");
    press_ctrl(&mut app, 'u');
    press(&mut app, "qualit\n");
    press_ctrl(&mut app, 'u');
    press(&mut app, "animal study\n");
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains(" Exclusion reasons "), "{screen}");
    assert!(screen.contains("[x] animal study"), "{screen}");
    press_code(&mut app, KeyCode::Esc);
    assert!(app.popups.is_empty());
    assert_eq!(app.cursor, 1, "closing the picker moves on");

    let decision = app.decisions.get(&first).unwrap();
    assert_eq!(
        decision.reasons,
        ["not primary research", "not qualitative", "animal study"]
    );
    assert_eq!(on_disk(dir.path()), app.decisions);
    let review = std::fs::read_to_string(corpus.path().join("review.toml")).unwrap();
    assert!(
        review.contains("\"animal study\""),
        "new reason kept:\n{review}"
    );
    assert_eq!(app.review.reasons.last().unwrap(), "animal study");
    // It is now reason 6, so the digit 6 applies it.
    press(&mut app, "6");
    assert_eq!(
        app.decisions.get(&id_of(&app, 1)).unwrap().reasons,
        ["animal study"]
    );
}

#[test]
fn a_note_is_written_with_word_delete_and_paste_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let first = id_of(&app, 0);
    press(&mut app, "a");
    assert!(matches!(app.popups.last(), Some(Popup::Note(_))));
    press(&mut app, "Check the methods\nsecond");
    press_ctrl(&mut app, 'w');
    paste(&mut app, "pasted from\r\nthe PDF");
    press_code(&mut app, KeyCode::Esc);
    assert!(app.popups.is_empty());
    let note = &app.decisions.get(&first).unwrap().note;
    assert_eq!(note, "Check the methods\npasted from\nthe PDF");
    assert_eq!(
        app.decisions.status(&first),
        None,
        "a note is not a decision"
    );
    assert_eq!(on_disk(dir.path()), app.decisions);

    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains("│·✎ 2021 Swaithes"),
        "the list marks notes:\n{screen}"
    );
    assert!(
        screen.contains("✎ note Check the methods"),
        "detail shows it:\n{screen}"
    );
    assert!(screen.contains("       pasted from"), "{screen}");

    // Ctrl-G leaves without saving.
    press(&mut app, "a and more");
    press_ctrl(&mut app, 'g');
    assert_eq!(
        app.decisions.get(&first).unwrap().note,
        "Check the methods\npasted from\nthe PDF"
    );
    // Keys typed into the editor are text, not commands.
    assert_eq!(app.decisions.status(&first), None);
}

#[test]
fn undo_and_redo_step_through_every_kind_of_change_and_save_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let ids: Vec<_> = (0..4).map(|row| id_of(&app, row)).collect();
    press(&mut app, "i"); // study 0 included
    press(&mut app, "3"); // study 1 excluded, reason 3
    press(&mut app, "tfacil\n\x1b"); // study 2 themed
    press(&mut app, "aread again\x1b"); // study 2 noted
    let done = app.decisions.clone();
    assert_eq!(done.status(&ids[0]), Some(Status::Include));
    assert_eq!(
        done.get(&ids[1]).unwrap().reasons,
        ["not implementation or delivery"]
    );
    assert_eq!(done.get(&ids[2]).unwrap().themes, ["facilitation"]);
    assert_eq!(done.get(&ids[2]).unwrap().note, "read again");

    press(&mut app, "u");
    assert_eq!(app.decisions.get(&ids[2]).unwrap().note, "");
    assert_eq!(on_disk(dir.path()), app.decisions, "each undo is saved");
    press(&mut app, "u");
    assert!(app.decisions.get(&ids[2]).is_none());
    press(&mut app, "u");
    assert!(app.decisions.get(&ids[1]).is_none());
    press(&mut app, "gG"); // wander off: undo brings the study back into view
    press(&mut app, "u");
    assert!(app.decisions.get(&ids[0]).is_none());
    assert_eq!(app.cursor, 0, "undo shows the study it changed");
    assert_eq!(on_disk(dir.path()), Decisions::default());
    press(&mut app, "u");
    assert_eq!(app.message.as_ref().unwrap().text, "Nothing to undo.");

    for _ in 0..4 {
        press_ctrl(&mut app, 'r');
    }
    assert_eq!(app.decisions, done);
    assert_eq!(on_disk(dir.path()), done);
    press_ctrl(&mut app, 'r');
    assert_eq!(app.message.as_ref().unwrap().text, "Nothing to redo.");

    // A new change after an undo drops what could be redone.
    press(&mut app, "u");
    press(&mut app, "gm");
    press_ctrl(&mut app, 'r');
    assert_eq!(app.message.as_ref().unwrap().text, "Nothing to redo.");
}

#[test]
fn search_narrows_as_you_type_and_esc_restores_the_list_and_the_study() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    press(&mut app, "jjjj"); // on Norman (row 4)
    let was_on = id_of(&app, 4);
    press(&mut app, "/");
    press(&mut app, "social prescrib");
    assert!(matches!(app.popups.last(), Some(Popup::Search(_))));
    let titles = listed_titles(&app);
    assert!(titles.len() < 15, "narrowed: {titles:?}");
    assert!(
        titles[0].starts_with("Delivering a primary care-based social prescribing"),
        "the title match ranks first: {titles:?}"
    );
    assert!(titles.iter().all(|t| !t.contains("peer facilitation")));
    let terminal = draw(&app);
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("social prescrib"),
        "prompt shown:\n{screen}"
    );
    // The matched characters of the first title are marked.
    let social = find_on_screen(terminal.backend().buffer(), "social");
    assert!(
        social
            .iter()
            .any(|cells| cells.iter().all(|c| c.modifier.contains(Modifier::BOLD))),
        "{screen}"
    );

    press_code(&mut app, KeyCode::Esc);
    assert_eq!(app.rows.len(), 15);
    assert_eq!(app.cursor, 4);
    assert_eq!(id_of(&app, app.cursor), was_on);

    press(&mut app, "/social prescrib\n");
    assert!(app.popups.is_empty());
    let kept = app.rows.len();
    assert!(kept < 15);
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .starts_with(&format!("{kept} studies match")),
        "{:?}",
        app.message
    );
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains("search “social prescrib”"),
        "status bar:\n{screen}"
    );
    // Deciding inside the kept search works like anywhere else.
    let top = id_of(&app, 0);
    press(&mut app, "gi");
    assert_eq!(app.decisions.status(&top), Some(Status::Include));
    press(&mut app, "F");
    assert_eq!(app.rows.len(), 15);
}

#[test]
fn filters_combine_show_in_the_status_bar_and_clear_with_shift_f() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    // Rows 0 and 1 excluded (reasons 1 and 2), row 2 included, row 3 excluded with a note.
    press(&mut app, "12i");
    press(&mut app, "aunsure\x1b1");
    let excluded: Vec<_> = [0, 1, 3].iter().map(|&r| id_of(&app, r)).collect();

    press(&mut app, "f");
    assert!(matches!(app.popups.last(), Some(Popup::Filter(_))));
    press(&mut app, "jj "); // Decision: undecided, included, [excluded]
    let listed: Vec<_> = (0..app.rows.len()).map(|r| id_of(&app, r)).collect();
    assert_eq!(listed, excluded);
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains(" Filter · 3 of 15 studies "), "{screen}");

    press(&mut app, "j "); // + maybe: still the same three (there are no maybes)
    assert_eq!(app.rows.len(), 3);
    press(&mut app, " k"); // maybe off again
    press(&mut app, "jj "); // Content: [has a note]
    assert_eq!(
        (0..app.rows.len())
            .map(|r| id_of(&app, r))
            .collect::<Vec<_>>(),
        [excluded[2].clone()],
        "excluded AND with a note"
    );
    press(&mut app, " "); // note off
    // Reason "not primary care" (the second reason, after 11 themes).
    let options = app.filter_options();
    let target = options
        .iter()
        .position(|o| o.label() == "not primary care")
        .unwrap();
    let Some(Popup::Filter(menu)) = app.popups.last() else {
        panic!("menu open")
    };
    let steps = target - menu.selected;
    press(&mut app, &"j".repeat(steps));
    press(&mut app, " ");
    assert_eq!(
        (0..app.rows.len())
            .map(|r| id_of(&app, r))
            .collect::<Vec<_>>(),
        [excluded[1].clone()]
    );
    press_code(&mut app, KeyCode::Esc);
    let screen = draw(&app).backend().to_string();
    assert!(
        screen.contains("excluded · reason: not primary care"),
        "status bar names the filter:\n{screen}"
    );
    press(&mut app, "F");
    assert_eq!(app.rows.len(), 15);
    assert!(app.list.filter.is_empty());
}

#[test]
fn sort_cycles_year_author_title_and_back_to_corpus_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    let corpus_order = app.rows.clone();
    press(&mut app, "s");
    let years: Vec<Option<i32>> = app
        .rows
        .iter()
        .map(|&c| app.study(c).year.map(i32::from))
        .collect();
    // seeds: 2015 Zhang first, 2023 last among dated; undated records after.
    assert_eq!(years[0], Some(2015));
    let dated: Vec<i32> = years.iter().flatten().copied().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{years:?}");
    assert!(
        years
            .iter()
            .skip_while(|y| y.is_some())
            .all(Option::is_none),
        "{years:?}"
    );
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("by year"), "{screen}");

    press(&mut app, "s");
    let families: Vec<String> = app
        .rows
        .iter()
        .filter_map(|&c| {
            app.study(c)
                .authors
                .first()
                .map(|a| abstriage::record::family_name(a).to_lowercase())
        })
        .collect();
    assert!(families.windows(2).all(|w| w[0] <= w[1]), "{families:?}");
    assert!(screen_of(&app).contains("by author"));

    press(&mut app, "s");
    let titles: Vec<String> = listed_titles(&app)
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");

    press(&mut app, "s");
    assert_eq!(app.rows, corpus_order);
}

fn screen_of(app: &App) -> String {
    draw(app).backend().to_string()
}

#[test]
fn highlight_terms_are_coloured_and_styled_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), SIZE);
    // seeds/review.toml: include "qualitativ*", "interview*", "thematic analysis";
    // exclude "hospital*". Row 2's title is "Influences of peer facilitation in general
    // practice - a qualitative study"; row 5 (Sinnott 2020) mentions hospitals.
    press(&mut app, "jj");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let include: Vec<_> = find_on_screen(buffer, "qualitative")
        .into_iter()
        .filter(|cells| cells.iter().all(|c| c.fg == Color::Green))
        .collect();
    assert!(!include.is_empty(), "{}", terminal.backend());
    for cells in &include {
        assert!(
            cells.iter().all(|c| c.modifier.contains(Modifier::BOLD)),
            "bold too"
        );
    }
    let phrase = find_on_screen(buffer, "thematic analysis");
    assert!(
        phrase.iter().any(|cells| cells
            .iter()
            .filter(|c| c.symbol() != " ")
            .all(|c| c.fg == Color::Green)),
        "a phrase is one highlight"
    );
    // Words around a term keep the plain style.
    let study = find_on_screen(buffer, "study");
    assert!(
        study
            .iter()
            .all(|cells| cells.iter().all(|c| c.fg != Color::Green))
    );

    press(&mut app, "jjj");
    let terminal = draw(&app);
    let hospital = find_on_screen(terminal.backend().buffer(), "hospital");
    assert!(!hospital.is_empty(), "{}", terminal.backend());
    for cells in &hospital {
        assert!(cells.iter().all(|c| c.fg == Color::Red), "{cells:?}");
        assert!(
            cells
                .iter()
                .all(|c| c.modifier.contains(Modifier::UNDERLINED))
        );
    }

    // --highlight adds inclusion terms for the session.
    press(&mut app, "gjj");
    app.highlight_also(&["peer*".to_string()]).unwrap();
    let terminal = draw(&app);
    let peer = find_on_screen(terminal.backend().buffer(), "peer");
    assert!(
        peer.iter()
            .any(|cells| cells.iter().all(|c| c.fg == Color::Green)),
        "{}",
        terminal.backend()
    );
}

#[test]
fn criteria_panel_shows_the_review_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), Size::new(80, 34));
    press(&mut app, "c");
    insta::assert_snapshot!(draw(&app).backend());
    press(&mut app, "q");
    assert!(app.popups.is_empty(), "any other key closes");
    assert!(!app.should_quit, "and is not also run as a command");
}

#[test]
fn summary_counts_decisions_reasons_themes_and_pace() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), dir.path(), Size::new(80, 30));
    // A clock that moves 30 s per reading: decisions are 30 s apart or more.
    let tick = std::rc::Rc::new(std::cell::Cell::new(0i64));
    let start: jiff::Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
    let clock_tick = tick.clone();
    app = app.with_clock(Box::new(move || {
        clock_tick.set(clock_tick.get() + 1);
        start + jiff::SignedDuration::from_secs(30 * clock_tick.get())
    }));
    press(&mut app, "i12m");
    press(&mut app, "tfacil\n\x1b");
    press(&mut app, "2");
    press(&mut app, "S");
    insta::assert_snapshot!(draw(&app).backend());
    assert!(tick.get() >= 6);
}
