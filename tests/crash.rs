//! The real binary in a pseudo-terminal, ended the hard way: SIGKILL at random moments, and
//! SIGHUP (an SSH connection dropping) and SIGTERM. Whatever the moment, the decisions file
//! parses and holds every decision the screen showed long enough ago (SIGKILL), or every
//! decision the screen showed at all and a restored terminal (SIGHUP, SIGTERM).
//!
//! Rounds: `ABSTRIAGE_KILL_ROUNDS` (default 200) for SIGKILL, a quarter as many for each of
//! SIGHUP and SIGTERM, an eighth for SIGINT.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use abstriage::decisions::{Status, file};
use common::pty::Pty;

/// How long after the screen shows a decision it must be on disk (the promise is "within
/// milliseconds"; this leaves room for a loaded test machine).
const SAVE_BOUND: Duration = Duration::from_millis(500);

/// Records in the test corpus: more than the rounds can decide.
const RECORDS: usize = 2_000;

fn rounds() -> usize {
    std::env::var("ABSTRIAGE_KILL_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
}

/// A RIS file of `n` distinct journal articles.
fn write_corpus(dir: &Path, n: usize) {
    let mut ris = String::new();
    for i in 0..n {
        ris.push_str(&format!(
            "TY  - JOUR\r\nTI  - Study {i} of nurse-led follow-up in ward {}\r\nAU  - Author{i}, A.\r\n\
             PY  - {}\r\nAB  - Background: study {i}. Methods: a trial. Results: some.\r\nER  - \r\n\r\n",
            i % 97,
            2000 + i % 25
        ));
    }
    std::fs::write(dir.join("corpus.ris"), ris).unwrap();
}

/// abstriage on `dir`'s corpus, deciding into `screening/killer.toml`.
fn spawn_killer(dir: &Path) -> Pty {
    let decisions = dir.join("screening/killer.toml");
    let decisions = decisions.to_string_lossy().into_owned();
    Pty::spawn(
        &[
            "--reviewer",
            "killer",
            "--decisions",
            &decisions,
            "corpus.ris",
        ],
        dir,
        100,
        30,
    )
}

/// The counts in the status bar: (screened, included, excluded, maybe).
fn shown_counts(screen: &str) -> Option<[usize; 4]> {
    let line = screen.lines().rev().find(|l| l.contains(" screened "))?;
    let number = |after: &str| -> Option<usize> {
        let rest = &line[line.find(after)? + after.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    let screened = line.trim_start().split('/').next()?.trim().parse().ok()?;
    Some([screened, number("✓")?, number("✗")?, number("?")?])
}

fn counts_on_disk(path: &Path) -> [usize; 4] {
    if !path.exists() {
        return [0; 4];
    }
    let decisions =
        file::load(path).unwrap_or_else(|e| panic!("the decisions file must always parse: {e}"));
    let mut counts = [0; 4];
    for (_, decision) in decisions.iter() {
        match decision.status {
            Some(Status::Include) => counts[1] += 1,
            Some(Status::Exclude) => counts[2] += 1,
            Some(Status::Maybe) => counts[3] += 1,
            None => continue,
        }
        counts[0] += 1;
    }
    counts
}

/// One session: open, decide a few studies at a random pace while watching the screen, then
/// send `signal` at a random moment. Returns the observations (when the status bar first
/// showed each count) and when the signal was sent.
fn one_round(
    dir: &Path,
    signal: &str,
    rng: &mut fastrand::Rng,
) -> (Vec<(Instant, [usize; 4])>, Instant, Pty) {
    let mut pty = spawn_killer(dir);
    let first = pty.wait_for(" screened ");
    let mut seen = vec![(Instant::now(), shown_counts(&first).expect("counts"))];
    let keys = rng.usize(0..8);
    let kill_after = Duration::from_millis(rng.u64(0..1_200));
    let start = Instant::now();
    let mut typed = 0;
    let mut next_key = start;
    while start.elapsed() < kill_after {
        if typed < keys && Instant::now() >= next_key {
            pty.type_raw_now(if rng.bool() { "i" } else { "m" });
            typed += 1;
            next_key = Instant::now() + Duration::from_millis(rng.u64(0..120));
        }
        if let Some(counts) = shown_counts(&pty.screen())
            && seen.last().map(|(_, c)| *c) != Some(counts)
        {
            seen.push((Instant::now(), counts));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Instant::now();
    pty.signal(signal);
    (seen, sent, pty)
}

#[test]
fn sigkill_at_random_moments_loses_no_decision_older_than_the_save_bound() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), RECORDS);
    let path = dir.path().join("screening/killer.toml");
    let mut rng = fastrand::Rng::with_seed(7);
    let mut checked = 0;
    for round in 0..rounds() {
        let (seen, killed_at, mut pty) = one_round(dir.path(), "KILL", &mut rng);
        assert_eq!(pty.wait_exit_code(), None, "round {round}: killed");
        let on_disk = counts_on_disk(&path);
        // Everything shown at least SAVE_BOUND before the kill must be there.
        let required = seen
            .iter()
            .rev()
            .find(|(at, _)| *at + SAVE_BOUND <= killed_at)
            .map(|(_, counts)| *counts)
            .unwrap_or([0; 4]);
        for k in 0..4 {
            assert!(
                on_disk[k] >= required[k],
                "round {round}: the screen showed {required:?} (screened, ✓, ✗, ?) at least \
                 {SAVE_BOUND:?} before SIGKILL, the file holds {on_disk:?}"
            );
        }
        // A round counts when a decision made in it was old enough to be required.
        if required[0] > seen[0].1[0] {
            checked += 1;
        }
    }
    assert!(
        checked >= rounds() / 4,
        "too few rounds had a decision old enough to check: {checked}"
    );
}

fn ended_by(signal: &str, number: u32, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), RECORDS);
    let path = dir.path().join("screening/killer.toml");
    let mut rng = fastrand::Rng::with_seed(u64::from(number));
    for round in 0..rounds {
        let (seen, _, mut pty) = one_round(dir.path(), signal, &mut rng);
        let code = pty.wait_exit_code();
        // What the screen showed last before the signal was drawn, so it had been decided.
        let shown = seen.last().map(|(_, c)| *c).unwrap_or([0; 4]);
        let on_disk = counts_on_disk(&path);
        for k in 0..4 {
            assert!(
                on_disk[k] >= shown[k],
                "round {round}: SIG{signal} after the screen showed {shown:?}; the file holds {on_disk:?}"
            );
        }
        assert_eq!(
            code,
            Some(128 + number),
            "round {round}: exit status after SIG{signal}"
        );
        let problems = pty.terminal_state_problems();
        assert!(
            problems.is_empty(),
            "round {round}: SIG{signal} left the terminal {problems:?}"
        );
    }
}

#[test]
fn sighup_saves_everything_shown_and_restores_the_terminal() {
    ended_by("HUP", 1, rounds().div_ceil(4));
}

#[test]
fn sigterm_saves_everything_shown_and_restores_the_terminal() {
    ended_by("TERM", 15, rounds().div_ceil(4));
}

/// SIGINT from `kill -INT` (Ctrl-C in the session is a key, not a signal, in raw mode).
#[test]
fn sigint_saves_everything_shown_and_restores_the_terminal() {
    ended_by("INT", 2, rounds().div_ceil(8));
}

#[test]
fn a_second_abstriage_on_the_same_file_opens_read_only_and_says_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 20);
    let args = ["--reviewer", "pat", "corpus.ris"];
    let mut first = Pty::spawn(&args, dir.path(), 120, 30);
    first.wait_for("0/20 screened");
    let mut second = Pty::spawn(&args, dir.path(), 120, 30);
    let screen = second.wait_for("READ-ONLY");
    assert!(
        screen.contains(&format!("process {} on", first.pid())),
        "names the session holding the file:\n{screen}"
    );
    second.type_keys("i");
    second.wait_for("Read-only: ");
    first.type_keys("i");
    first.wait_for("1/20 screened");
    // The read-only session shows the first one's decision within its once-a-second look.
    second.wait_for("1/20 screened");
    second.type_keys("q");
    assert!(second.wait_exit());
    first.type_keys("q");
    assert!(first.wait_exit());
    let decisions = file::load(&dir.path().join("screening/pat.toml")).unwrap();
    assert_eq!(decisions.len(), 1);
}

/// The terminal itself goes away (an SSH connection drops, a terminal window is closed): the
/// program gets SIGHUP and every read of its terminal fails from then on. It must still
/// save, and exit rather than spin.
#[test]
fn a_terminal_that_hangs_up_ends_the_session_with_every_decision_saved() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), RECORDS);
    let path = dir.path().join("screening/killer.toml");
    let mut rng = fastrand::Rng::with_seed(3);
    for round in 0..rounds().div_ceil(10) {
        let mut pty = spawn_killer(dir.path());
        let before = shown_counts(&pty.wait_for(" screened ")).expect("counts");
        let keys = 1 + rng.usize(0..4);
        for _ in 0..keys {
            pty.type_raw_now("i");
            std::thread::sleep(Duration::from_millis(rng.u64(0..60)));
        }
        let target = format!("{}/{RECORDS} screened", before[0] + keys);
        let shown = shown_counts(&pty.wait_for(&target)).expect("counts");
        pty.hang_up();
        assert_eq!(
            pty.wait_exit_code(),
            Some(129),
            "round {round}: exit after the hang-up"
        );
        let on_disk = counts_on_disk(&path);
        assert!(
            on_disk[0] >= shown[0],
            "round {round}: the screen showed {shown:?}, the file holds {on_disk:?}"
        );
    }
}
