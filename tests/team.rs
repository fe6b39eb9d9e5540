//! Team screening from the command line: agreement between reviewers' files and the consensus
//! taking precedence in exports.

mod common;

use common::abstriage;

use common::copy_of_seeds;

/// Record ids of four seed records, checked by hand (see tests/e2e.rs).
const S1: &str = "10.3399/bjgp.2020.0856";
const S2: &str = "h0940cb59c3bc";
const S3: &str = "h9558e59a46e7";
const S4: &str = "hd9c9184339e9";

fn entry(id: &str, status: &str, reasons: &[&str]) -> String {
    let reasons: Vec<String> = reasons.iter().map(|r| format!("{r:?}")).collect();
    format!(
        "[records.{id:?}]\ntitle = \"t\"\nstatus = {status:?}\nreasons = [{}]\ndecided = 2026-11-24T10:00:00Z\n\n",
        reasons.join(", ")
    )
}

fn write_reviewer(root: &std::path::Path, stem: &str, name: &str, entries: &[String]) {
    std::fs::create_dir_all(root.join("screening")).unwrap();
    let text = format!("format = 1\nreviewer = {name:?}\n\n{}", entries.concat());
    std::fs::write(root.join(format!("screening/{stem}.toml")), text).unwrap();
}

/// Ann: S1 include, S2 include, S3 exclude (not qualitative), S4 exclude (not primary care).
/// Bo:  S1 include, S2 exclude, S3 exclude (not qualitative), S4 exclude (not qualitative).
fn two_reviewers() -> tempfile::TempDir {
    let corpus = copy_of_seeds();
    write_reviewer(
        corpus.path(),
        "ann",
        "Ann",
        &[
            entry(S1, "include", &[]),
            entry(S2, "include", &[]),
            entry(S3, "exclude", &["not qualitative"]),
            entry(S4, "exclude", &["not primary care"]),
        ],
    );
    write_reviewer(
        corpus.path(),
        "bo",
        "Bo",
        &[
            entry(S1, "include", &[]),
            entry(S2, "exclude", &[]),
            entry(S3, "exclude", &["not qualitative"]),
            entry(S4, "exclude", &["not qualitative"]),
        ],
    );
    corpus
}

#[test]
fn agreement_matches_kappa_computed_by_hand() {
    // By hand, n = 4: p_o = 3/4; margins Ann (.5 incl, .5 excl), Bo (.25, .75), so
    // p_e = .5·.25 + .5·.75 = .5 and kappa = (.75 − .5)/(1 − .5) = 0.5.
    // SE (Fleiss, Cohen & Everitt 1969): A = .25(1 − .75·.5)² + .5(1 − 1.25·.5)² = .16796875,
    // B = .5²·.25·(.25 + .5)² = .03515625, C = (.5 − .5·.5)² = .0625,
    // SE = √((A + B − C)/(4·.5²)) = √.140625 = .375; CI = .5 ± 1.959964·.375 = −.235 to 1.235,
    // clipped to 1. PABAK with 3 categories: (3·.75 − 1)/2 = .625.
    // Reasons over the 2 studies both excluded: "not qualitative" Ann 1, Bo 2, both 1 →
    // 2·1/(1 + 2) = .67; "not primary care" Ann 1, Bo 0 → 0.
    let corpus = two_reviewers();
    let output = abstriage()
        .arg("agreement")
        .arg(corpus.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{text}");
    for line in [
        "Ann × Bo",
        "studies both screened   4 (of 15; Ann screened 4, Bo 4)",
        "percent agreement       75.0%",
        "Cohen's kappa           0.500 (95% CI -0.235 to 1.000)",
        "PABAK                   0.625",
        "not qualitative   0.67  (both 1, Ann only 0, Bo only 1)",
        "not primary care  0.00  (both 0, Ann only 1, Bo only 0)",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }

    let output = abstriage()
        .args([
            "agreement",
            "--format",
            "json",
            "--scheme",
            "maybe-as-include",
        ])
        .arg(corpus.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let pair = &json[0];
    assert_eq!(pair["reviewers"], serde_json::json!(["Ann", "Bo"]));
    assert_eq!(pair["n"], 4);
    assert_eq!(pair["percent_agreement"], 75.0);
    assert!((pair["kappa"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    let ci = pair["kappa_ci"].as_array().unwrap();
    assert!((ci[0].as_f64().unwrap() - (0.5 - 1.959964 * 0.375)).abs() < 1e-5);
    assert_eq!(ci[1], 1.0);
    // Two categories: PABAK = 2·.75 − 1.
    assert!((pair["pabak"].as_f64().unwrap() - 0.5).abs() < 1e-12);
}

#[test]
fn agreement_needs_two_reviewers() {
    let corpus = copy_of_seeds();
    write_reviewer(corpus.path(), "ann", "Ann", &[entry(S1, "include", &[])]);
    let output = abstriage()
        .arg("agreement")
        .arg(corpus.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        err.contains("two reviewers") && err.contains("found Ann"),
        "{err}"
    );
}

#[test]
fn consensus_decisions_take_precedence_in_exports() {
    let corpus = two_reviewers();
    write_reviewer(
        corpus.path(),
        "consensus",
        "consensus",
        &[entry(S2, "exclude", &["not primary research"])],
    );
    let output = abstriage()
        .args(["export", "--reviewer", "Ann", "--format", "json"])
        .arg(corpus.path())
        .output()
        .unwrap();
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let by_id = |id: &str| {
        records
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(S1)["decision"]["status"], "include", "Ann's own");
    assert_eq!(
        by_id(S2)["decision"]["status"],
        "exclude",
        "the consensus over Ann's include"
    );
    assert_eq!(
        by_id(S2)["decision"]["reasons"],
        serde_json::json!(["not primary research"])
    );
    // The consensus is not a reviewer in agreement.
    let text = abstriage()
        .arg("agreement")
        .arg(corpus.path())
        .output()
        .unwrap()
        .stdout;
    assert!(!String::from_utf8(text).unwrap().contains("consensus"));
}

mod screening_view {
    use super::*;
    use common::{app, draw, press};
    use ratatui::layout::Size;

    #[test]
    fn blind_review_keeps_others_hidden_even_when_asked() {
        let corpus = two_reviewers();
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(corpus.path(), dir.path(), Size::new(100, 30));
        assert!(app.review.blind, "seeds/review.toml screens blind");
        press(&mut app, "o");
        assert!(app.message.as_ref().unwrap().text.contains("blind = true"));
        let screen = draw(&app).backend().to_string();
        assert!(!screen.contains("Ann: "), "{screen}");
        press(&mut app, "S");
        let screen = draw(&app).backend().to_string();
        assert!(
            screen.contains("hidden while screening is blind"),
            "{screen}"
        );
    }

    #[test]
    fn open_review_shows_others_on_request_and_agreement_in_the_summary() {
        let corpus = two_reviewers();
        let review = corpus.path().join("review.toml");
        let text = std::fs::read_to_string(&review).unwrap();
        std::fs::write(&review, text.replace("blind = true", "blind = false")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(corpus.path(), dir.path(), Size::new(100, 40));
        let screen = draw(&app).backend().to_string();
        assert!(!screen.contains("Ann: "), "hidden until asked:\n{screen}");
        press(&mut app, "o");
        // The first study is S1 (Swaithes): both included it.
        let screen = draw(&app).backend().to_string();
        assert!(screen.contains("Ann: ✓ included"), "{screen}");
        assert!(screen.contains("Bo: ✓ included"), "{screen}");
        press(&mut app, "jjj"); // S4: excluded by both, for different reasons
        let screen = draw(&app).backend().to_string();
        assert!(
            screen.contains("Ann: ✗ excluded  reasons: not primary care"),
            "{screen}"
        );
        assert!(
            screen.contains("Bo: ✗ excluded  reasons: not qualitative"),
            "{screen}"
        );
        press(&mut app, "jo");
        assert!(!draw(&app).backend().to_string().contains("Ann: "));

        // The summary adds agreement, this session's reviewer (no decisions yet) included.
        press(&mut app, "S");
        let screen = draw(&app).backend().to_string();
        assert!(
            screen.contains("Ann × Bo: n 4 · agreement 75.0% · kappa 0.50 (95% CI -0.23 to 1.00)")
                && screen.contains("PABAK 0.62"),
            "{screen}"
        );
        assert!(
            screen.contains("Ann × tester: n 0 · kappa undefined"),
            "{screen}"
        );
    }
}

mod reconcile_view {
    use super::*;
    use abstriage::decisions::{Status, file};
    use abstriage::reconcile::Strictness;
    use abstriage::review::Review;
    use abstriage::tui::reconcile::{Reconcile, draw};
    use abstriage::{corpus, dedup};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    fn open(root: &std::path::Path, strictness: Strictness) -> Reconcile {
        let corpus = corpus::load(root).unwrap();
        let review = Review::load(&corpus.root).unwrap();
        let clusters = dedup::find(&corpus.records, &dedup::Overrides::default());
        let mut app = Reconcile::new(corpus, review, clusters, strictness)
            .unwrap()
            .with_clock(Box::new(|| "2026-11-24T16:00:00Z".parse().unwrap()));
        app.handle_event(&Event::Resize(100, 34));
        app
    }

    fn keys(app: &mut Reconcile, keys: &str) {
        for c in keys.chars() {
            let code = if c == ' ' {
                KeyCode::Char(' ')
            } else {
                KeyCode::Char(c)
            };
            app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        }
    }

    fn screen(app: &Reconcile) -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 34)).unwrap();
        terminal.draw(|frame| draw(frame, app)).unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn lists_disagreements_side_by_side_and_adopting_writes_the_consensus() {
        let corpus = two_reviewers();
        let mut app = open(corpus.path(), Strictness::default());
        // Only S2 is decided differently (Ann include, Bo exclude); S4's reasons differ but
        // reasons are not compared by default.
        let ids: Vec<&str> = app.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, [S2]);
        let shown = screen(&app);
        for text in [
            "0 of 1 disagreements settled",
            "Ann:✓ Bo:✗ decision",
            " 1 Ann ",
            " 2 Bo ",
            " Consensus ",
            "not decided",
            "[2023] To compare predicted challenges",
        ] {
            assert!(shown.contains(text), "missing {text:?}:\n{shown}");
        }

        keys(&mut app, "2");
        let consensus = file::load(&corpus.path().join("screening/consensus.toml")).unwrap();
        let id = abstriage::record::RecordId::new(S2);
        assert_eq!(
            consensus.status(&id),
            Some(Status::Exclude),
            "Bo's decision"
        );
        assert_eq!(consensus.len(), 1);
        let text = std::fs::read_to_string(corpus.path().join("screening/consensus.toml")).unwrap();
        assert!(text.contains("reviewer = \"consensus\""), "{text}");
        let shown = screen(&app);
        assert!(shown.contains("1 of 1 disagreements settled"), "{shown}");
        assert!(shown.contains("All 1 disagreements settled."), "{shown}");

        keys(&mut app, " ");
        assert!(app.settled(0).is_none(), "Space clears the consensus");
        assert!(
            file::load(&corpus.path().join("screening/consensus.toml"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn stricter_reconcile_lists_different_reasons_and_pools_them_on_exclude() {
        let corpus = two_reviewers();
        let mut app = open(
            corpus.path(),
            Strictness {
                reasons: true,
                themes: false,
            },
        );
        let ids: Vec<&str> = app.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, [S2, S4]);
        keys(&mut app, "jx"); // S4: Ann "not primary care", Bo "not qualitative"
        let consensus = file::load(&corpus.path().join("screening/consensus.toml")).unwrap();
        let decision = consensus
            .get(&abstriage::record::RecordId::new(S4))
            .unwrap();
        assert_eq!(decision.status, Some(Status::Exclude));
        assert_eq!(decision.reasons, ["not primary care", "not qualitative"]);
        assert_eq!(app.cursor, 0, "moves on to the one still open");
        keys(&mut app, "1"); // S2: Ann's include
        let consensus = file::load(&corpus.path().join("screening/consensus.toml")).unwrap();
        assert_eq!(
            consensus.status(&abstriage::record::RecordId::new(S2)),
            Some(Status::Include)
        );
        keys(&mut app, "3");
        assert!(app.message.as_ref().unwrap().0.contains("no reviewer 3"));
    }
}
