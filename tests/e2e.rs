//! The real binary in a pseudo-terminal, driven with keys as a reviewer would.

mod common;

use common::copy_of_seeds;
use common::pty::Pty;

/// Ids of the first three seed records, computed by hand from the recipe in
/// docs/record-ids.md (DOI of seed 000; SHA-256 of year + normalised abstract head / title).
const SWAITHES: &str = "10.3399/bjgp.2020.0856";
const CLUSTERS: &str = "h0940cb59c3bc";
const PEER_FACILITATION: &str = "h9558e59a46e7";
/// Seed 003 (Skivington 2018): SHA-256 of `abstriage-id-v1\n2018\n` + the title as the web
/// parser extracts it, `scholarly journals Delivering a primary care-based social prescribing
/// initiative: ...`, normalised (computed with Python's hashlib, not with abstriage).
const SKIVINGTON: &str = "hd9c9184339e9";

#[test]
fn decide_three_records_quit_reopen_and_see_them() {
    let corpus = copy_of_seeds();
    let mut pty = Pty::spawn(&["--reviewer", "E2E Tester", "."], corpus.path(), 100, 30);
    pty.wait_for("0/15 screened");
    pty.type_keys("t");
    pty.wait_for(" Themes ");
    pty.type_keys("lead\n");
    pty.wait_for("[x] leadership and champions");
    pty.type_keys("facil\n");
    pty.wait_for("[x] facilitation");
    pty.type_keys("\x1b");
    pty.type_keys("i");
    pty.wait_for("1/15 screened");
    pty.type_keys("x");
    pty.wait_for("2/15 screened");
    pty.wait_for(" Exclusion reasons ");
    pty.type_keys("\x1b");
    pty.type_keys("m");
    pty.wait_for("3/15 screened");
    pty.type_keys("q");
    assert!(pty.wait_exit(), "clean exit");

    let path = corpus.path().join("screening/e2e-tester.toml");
    let text = std::fs::read_to_string(&path).expect("decisions file written beside the corpus");
    let file: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(file["reviewer"].as_str(), Some("E2E Tester"));
    let records = file["records"].as_table().expect("records table");
    assert_eq!(
        records.keys().collect::<Vec<_>>(),
        [SWAITHES, CLUSTERS, PEER_FACILITATION]
    );
    let field = |id: &str, key: &str| records[id][key].clone();
    assert_eq!(field(SWAITHES, "status").as_str(), Some("include"));
    assert_eq!(
        field(SWAITHES, "themes"),
        toml::Value::from(vec!["facilitation", "leadership and champions"])
    );
    assert_eq!(field(CLUSTERS, "status").as_str(), Some("exclude"));
    assert_eq!(field(PEER_FACILITATION, "status").as_str(), Some("maybe"));
    assert_eq!(
        field(PEER_FACILITATION, "title").as_str(),
        Some("Influences of peer facilitation in general practice - a qualitative study")
    );
    assert!(
        field(CLUSTERS, "title")
            .as_str()
            .is_some_and(|t| t.starts_with("[2023] To compare predicted"))
    );

    let again = Pty::spawn(&["--reviewer", "E2E Tester", "."], corpus.path(), 100, 30);
    let screen = again.wait_for("3/15 screened ✓1 ✗1 ?1");
    assert!(screen.contains("│✓  2021 Swaithes"), "{screen}");
    assert!(screen.contains("│✗  2023"), "{screen}");
    assert!(
        screen.contains("│?                      Influences of peer facilitation"),
        "{screen}"
    );
    assert!(
        screen.contains("Delivering a primary care-based social prescribing"),
        "opens at the first undecided:\n{screen}"
    );
}

#[test]
fn an_installed_binary_opens_the_corpus_in_the_current_folder() {
    let corpus = copy_of_seeds();
    let bin = tempfile::tempdir().unwrap();
    let installed = bin.path().join("abstriage");
    std::fs::copy(env!("CARGO_BIN_EXE_abstriage"), &installed).unwrap();
    let mut pty = Pty::spawn_program(&installed, &["--reviewer", "x"], corpus.path(), 80, 24);
    pty.wait_for_all(&["15 records", "Implementing new ways", "0/15 screened"]);
    pty.type_keys("q");
    assert!(pty.wait_exit());
}

#[test]
fn with_no_path_cargo_run_opens_the_bundled_seeds() {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn_as_cargo_run(&["--reviewer", "x"], elsewhere.path(), 80, 24);
    pty.wait_for_all(&["│ seeds │ 15 records", "Swaithes", "0/15 screened"]);
    pty.type_keys("q");
    assert!(pty.wait_exit());
}

#[test]
fn demo_writes_the_review_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(&["demo", "--reviewer", "x"], dir.path(), 80, 24);
    pty.wait_for_all(&["│ abstriage-demo │ 15 records", "0/15 screened"]);
    pty.type_keys("q");
    assert!(pty.wait_exit());
    assert!(dir.path().join("abstriage-demo/review.toml").is_file());
}

#[test]
fn search_exclude_by_digit_note_undo_redo_filter_quit() {
    let corpus = copy_of_seeds();
    let mut pty = Pty::spawn(&["--reviewer", "E2E Tester", "."], corpus.path(), 100, 30);
    pty.wait_for("0/15 screened");

    // Find the social prescribing study and keep the search.
    pty.type_keys("/social prescrib");
    pty.wait_for("social prescrib▏  3 found");
    pty.type_keys("\n");
    pty.wait_for("3 studies match");
    // Exclude it for reason 2 ("not primary care" in seeds/review.toml), one keystroke.
    pty.type_keys("g2");
    pty.wait_for("1/3 screened ✓0 ✗1 ?0");

    // Back on it, a note: typed, then a second line pasted (bracketed paste).
    pty.type_keys("ga");
    pty.wait_for("┌ Note: Delivering a primary care-based");
    pty.type_keys("setting is a community hub");
    pty.type_raw("\x1b[200~\r\nask the second reviewer\x1b[201~");
    pty.wait_for("ask the second reviewer");
    pty.type_keys("\x1b");
    pty.wait_for("✎ note setting is a community hub");

    // Undo takes the note away, redo puts it back.
    pty.type_keys("u");
    pty.wait_for("Undone.");
    let screen = pty.screen();
    assert!(!screen.contains("✎ note"), "{screen}");
    pty.type_keys("\x12"); // Ctrl-R
    pty.wait_for("Redone.");
    pty.wait_for("✎ note setting is a community hub");

    // The whole list again, then only the excluded studies.
    pty.type_keys("F");
    pty.wait_for("Studies 4/15"); // still on the same study
    pty.type_keys("fjj ");
    pty.wait_for(" Filter · 1 of 15 studies ");
    pty.type_keys("\x1b");
    let screen = pty.wait_for("excluded │");
    assert!(
        screen.contains("Delivering a primary care-based social prescribing"),
        "{screen}"
    );
    pty.type_keys("q");
    assert!(pty.wait_exit(), "clean exit");

    let path = corpus.path().join("screening/e2e-tester.toml");
    let file: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let records = file["records"].as_table().expect("records table");
    assert_eq!(records.keys().collect::<Vec<_>>(), [SKIVINGTON]);
    let entry = records[SKIVINGTON].as_table().unwrap();
    assert_eq!(entry["status"].as_str(), Some("exclude"));
    assert_eq!(
        entry["reasons"],
        toml::Value::from(vec!["not primary care"])
    );
    assert_eq!(
        entry["note"].as_str(),
        Some("setting is a community hub\nask the second reviewer")
    );
}

#[test]
fn a_large_corpus_is_listed_whole_once_read_and_screened_as_usual() {
    let dir = tempfile::tempdir().expect("temp dir");
    common::large_corpus(dir.path());
    let mut pty = Pty::spawn(&["--reviewer", "tester", "large.ris"], dir.path(), 100, 30);
    let whole = format!(
        "{} records, {} studies",
        common::RECORDS,
        common::RECORDS - 1
    );
    pty.wait_for(&whole);
    pty.type_keys("i");
    pty.wait_for(&format!("1/{} screened", common::RECORDS - 1));
    pty.type_keys("q");
    assert!(pty.wait_exit(), "clean exit");
    let decisions = abstriage::decisions::file::load(&dir.path().join("screening/tester.toml"))
        .expect("decisions file");
    assert_eq!(decisions.iter().count(), 1);
}
