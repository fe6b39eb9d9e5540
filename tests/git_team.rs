//! Two reviewers screening in separate git clones of one review: each writes only their own
//! file, so committing and merging in either order never conflicts, and `agreement` reads both.
//! Uses the real `git` (required: this test fails rather than skips without it).

mod common;

use common::abstriage;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use abstriage::config::Config;
use abstriage::session::{self, Options};
use abstriage::tui::app::App;
use common::{press, seeds_dir};
use ratatui::layout::Size;

/// Record ids of four seed records, checked by hand (see tests/e2e.rs).
const S1: &str = "10.3399/bjgp.2020.0856";
const S2: &str = "h0940cb59c3bc";
const S3: &str = "h9558e59a46e7";
const S4: &str = "hd9c9184339e9";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Process::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(["-c", "pull.rebase=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git must be installed for this test");
    assert!(
        output.status.success(),
        "git {args:?} failed in {}:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn mark(review: &Path, reviewer: &str, id: &str, action: &str, reason: Option<&str>) {
    let mut cmd = abstriage();
    cmd.args(["mark", "--reviewer", reviewer])
        .arg(review)
        .args([id, action]);
    if let Some(reason) = reason {
        cmd.args(["--reason", reason]);
    }
    cmd.assert().success();
}

/// Screens in the TUI on TestBackend as `reviewer`: `keys` pressed from the first study.
fn screen_in_tui(review: &Path, reviewer: &str, keys: &str) {
    let options = Options {
        reviewer: Some(reviewer.into()),
        decisions: None,
        config: None,
        cache: abstriage::cache::Caching::Off,
    };
    let mut session = session::open(review, &options).unwrap();
    session.config = Config::defaults().unwrap();
    let mut app = App::new(session, Size::new(100, 30)).unwrap();
    press(&mut app, "g");
    press(&mut app, keys);
}

/// A bare repository holding the seeds review, and two clones of it.
fn repos() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let bare = root.path().join("origin.git");
    std::fs::create_dir(&bare).unwrap();
    git(&bare, &["init", "--bare", "-q"]);
    let seed = root.path().join("seed");
    std::fs::create_dir(&seed).unwrap();
    git(&seed, &["init", "-q"]);
    let review = seed.join("review");
    std::fs::create_dir(&review).unwrap();
    for entry in std::fs::read_dir(seeds_dir()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), review.join(entry.file_name())).unwrap();
        }
    }
    git(&seed, &["add", "."]);
    git(&seed, &["commit", "-q", "-m", "review"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "HEAD:main"]);
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    for clone in [&a, &b] {
        git(
            root.path(),
            &[
                "clone",
                "-q",
                bare.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
    }
    (root, a, b)
}

/// Ann: S1 include, S2 include, S3 exclude (not qualitative), S4 exclude (not primary care),
/// and, in the TUI, maybe on the last study. Bo: S1 include, S2 exclude, S3 exclude (not
/// qualitative), S4 exclude (not qualitative), and, in the TUI, include on the one before last.
fn screen_both(a: &Path, b: &Path) {
    let (ra, rb) = (a.join("review"), b.join("review"));
    mark(&ra, "Ann", S1, "include", None);
    mark(&ra, "Ann", S2, "include", None);
    mark(&ra, "Ann", S3, "exclude", Some("not qualitative"));
    mark(&ra, "Ann", S4, "exclude", Some("not primary care"));
    screen_in_tui(&ra, "Ann", "Gm");
    mark(&rb, "Bo", S1, "include", None);
    mark(&rb, "Bo", S2, "exclude", None);
    mark(&rb, "Bo", S3, "exclude", Some("not qualitative"));
    mark(&rb, "Bo", S4, "exclude", Some("not qualitative"));
    screen_in_tui(&rb, "Bo", "Gki");
    for (clone, who) in [(a, "Ann"), (b, "Bo")] {
        git(clone, &["add", "-A"]);
        git(clone, &["commit", "-q", "-m", &format!("{who} screened")]);
    }
}

fn merge_in_order(first: &Path, second: &Path) {
    git(first, &["push", "-q", "origin", "HEAD:main"]);
    git(second, &["pull", "-q", "--no-edit", "origin", "main"]);
    git(second, &["push", "-q", "origin", "HEAD:main"]);
    git(first, &["pull", "-q", "--no-edit", "origin", "main"]);
}

fn check_merged(a: &Path, b: &Path) {
    for clone in [a, b] {
        let status = git(clone, &["status", "--porcelain"]);
        assert!(status.is_empty(), "clean after merging:\n{status}");
        let files: Vec<String> = std::fs::read_dir(clone.join("review/screening"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(files, ["ann.toml", "bo.toml"]);
    }
    assert_eq!(
        std::fs::read(a.join("review/screening/ann.toml")).unwrap(),
        std::fs::read(b.join("review/screening/ann.toml")).unwrap()
    );
    // Worked by hand (as in tests/team.rs): the four studies both screened give p_o = .75,
    // p_e = .5, kappa = .5, SE = .375, CI −.235 to 1 (clipped), PABAK (3 categories) .625.
    // The two studies decided in the TUI were each screened by one reviewer only.
    let output = abstriage()
        .arg("agreement")
        .arg(b.join("review"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for line in [
        "studies both screened   4 (of 15; Ann screened 5, Bo 5)",
        "percent agreement       75.0%",
        "Cohen's kappa           0.500 (95% CI -0.235 to 1.000)",
        "PABAK                   0.625",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}

#[test]
fn two_clones_merge_without_conflict_in_either_order() {
    let (_root, a, b) = repos();
    screen_both(&a, &b);
    merge_in_order(&a, &b);
    check_merged(&a, &b);

    let (_root, a, b) = repos();
    screen_both(&a, &b);
    merge_in_order(&b, &a);
    check_merged(&a, &b);
}
