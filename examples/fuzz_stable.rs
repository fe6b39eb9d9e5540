//! Fuzzing on stable Rust, without cargo-fuzz or libFuzzer: mutates the seeds of a fuzz target
//! for a given time and runs each input through the same checks as the libFuzzer targets
//! (`fuzz/fuzz_targets/checks.rs`). It has no coverage feedback, so it finds less per input
//! than libFuzzer; it is there for a machine without a C++ compiler or cargo-fuzz, and for CI.
//!
//! ```sh
//! cargo run --release --example fuzz_stable -- TARGET [SECONDS] [RNG_SEED]   # TARGET or `all`
//! cargo run --release --example fuzz_stable -- TARGET --replay FILE_OR_DIR... # re-run inputs
//! ```
//!
//! Seeds are read from `fuzz/corpus/TARGET/` and `fuzz/runs/TARGET/` (libFuzzer's working
//! corpus, when there is one). A panic or an input running over 10 s stops the run and writes
//! the input to `fuzz/artifacts/TARGET/stable-{crash,timeout}-HASH`; the exit code is then 1.
//! The slowest input of each run is kept there as `stable-slowest-HASH`.

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Longest input made by mutation; libFuzzer runs use `-max_len=65536`.
const MAX_LEN: usize = 1 << 20;
/// An input that runs longer than this is a finding (libFuzzer's `-timeout=10`).
const TIMEOUT: Duration = Duration::from_secs(10);

/// Pieces of each format's syntax, inserted by the mutator so that random edits still reach
/// the parsers' branches (libFuzzer finds these by itself with coverage feedback).
const TOKENS: &[&[u8]] = &[
    b"TY  - JOUR\n",
    b"ER  - \n",
    b"AB  - ",
    b"TI  - ",
    b"PMID- 1\n",
    b"      ",
    b"<1. >\n",
    b"FN Clarivate Analytics Web of Science\nVR 1.0\n",
    b"PT J\n",
    b"\nER\n",
    b"@article{key,\n",
    b"@string{a = \"",
    b" = {",
    b"{",
    b"}",
    b"\"",
    b",",
    b"\t",
    b"\r\n",
    b"\n\n",
    b"<records><record>",
    b"</record>",
    b"<abstract><style>",
    b"]]>",
    b"<![CDATA[",
    b"%0 Journal Article\n",
    b"%X ",
    b"Title,Abstract\n",
    b"Background: ",
    b"Abstract\n",
    b"&amp;",
    b"<i>",
    b"$\\",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3\x83",
    b"PK\x03\x04",
    b"[[decisions]]\n",
    b"reviewer = \"a\"\n",
    b"status = \"include\"\n",
    b"decided = 2024-01-01T00:00:00Z\n",
    b"[keys]\n",
    b"\"\"\"",
    b"'''",
    b" = ",
    b"#",
    b"[",
    b"]",
];

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Applies one to eight random edits to `input`; `others` are the seeds to splice from.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, others: &[Vec<u8>]) {
    for _ in 0..=rng.below(8) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(9) {
            0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => input[at.min(len - 1)] = rng.next() as u8,
            2 => {
                let bytes: Vec<u8> = (0..=rng.below(8)).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
            3 | 4 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(at..at, token.iter().copied());
            }
            5 => {
                let end = (at + rng.below(64)).min(len);
                input.drain(at..end);
            }
            6 => {
                // A chunk repeated: long lines, deep nesting, many columns.
                let end = (at + 1 + rng.below(16)).min(len);
                let chunk = input[at..end].to_vec();
                let times = 1 << rng.below(12);
                let repeated: Vec<u8> = chunk.repeat(times);
                input.splice(end..end, repeated);
            }
            7 if !others.is_empty() => {
                let other = &others[rng.below(others.len())];
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(4096)).min(other.len());
                input.splice(at..at, other[from..to].iter().copied());
            }
            _ => input.truncate(at),
        }
        input.truncate(MAX_LEN);
    }
}

/// The files in `dir` (none when it does not exist), each cut to `MAX_LEN` bytes.
fn read_dir(dir: &Path) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = vec![];
    if dir.is_file() {
        files.push((dir.to_path_buf(), std::fs::read(dir)?));
        return Ok(files);
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(files);
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            let mut bytes = std::fs::read(&path).with_context(|| path.display().to_string())?;
            bytes.truncate(MAX_LEN);
            files.push((path, bytes));
        }
    }
    files.sort();
    Ok(files)
}

/// FNV-1a of `bytes`, to name an artifact.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes `input` as `fuzz/artifacts/TARGET/stable-KIND-HASH` and says where.
fn save_artifact(fuzz: &Path, target: &str, kind: &str, input: &[u8]) {
    let dir = fuzz.join("artifacts").join(target);
    let path = dir.join(format!("stable-{kind}-{:016x}", hash(input)));
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input)) {
        Ok(()) => eprintln!("{kind}: input written to {}", path.display()),
        Err(e) => eprintln!("{kind}: could not write {}: {e}", path.display()),
    }
}

/// What one target's run did.
struct Stats {
    execs: u64,
    slowest: Duration,
    /// The input that took `slowest`.
    slowest_input: Vec<u8>,
}

/// Runs `target` on each of `inputs` (replay) or, when `seconds` is given, on mutations of
/// them for that long. Returns false after a finding.
fn fuzz(
    fuzz_dir: &Path,
    target: &str,
    inputs: Vec<Vec<u8>>,
    seconds: Option<u64>,
    rng: &mut Rng,
) -> anyhow::Result<(bool, Stats)> {
    // The input being run and when it started, for the watchdog.
    let current: Arc<Mutex<(Vec<u8>, Option<Instant>)>> = Arc::new(Mutex::new((vec![], None)));
    let watched = Arc::clone(&current);
    let (fuzz_path, name) = (fuzz_dir.to_path_buf(), target.to_string());
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let Ok(guard) = watched.lock() else { return };
            if guard.1.is_some_and(|start| start.elapsed() > TIMEOUT) {
                save_artifact(&fuzz_path, &name, "timeout", &guard.0);
                std::process::exit(1);
            }
        }
    });
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let mut stats = Stats {
        execs: 0,
        slowest: Duration::ZERO,
        slowest_input: vec![],
    };
    let mut index = 0;
    let mut last_report = Instant::now();
    loop {
        let input = match deadline {
            None if index == inputs.len() => break,
            None => inputs[index].clone(),
            Some(end) if Instant::now() >= end => break,
            Some(_) => {
                let mut input = if inputs.is_empty() {
                    vec![]
                } else {
                    inputs[rng.below(inputs.len())].clone()
                };
                mutate(rng, &mut input, &inputs);
                input
            }
        };
        index += 1;
        let start = Instant::now();
        if let Ok(mut guard) = current.lock() {
            *guard = (input.clone(), Some(start));
        }
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| checks::run(target, &input)));
        let took = start.elapsed();
        if let Ok(mut guard) = current.lock() {
            guard.1 = None;
        }
        stats.execs += 1;
        if took > stats.slowest {
            stats.slowest = took;
            stats.slowest_input = input.clone();
        }
        match outcome {
            Ok(true) => {}
            Ok(false) => bail!("unknown target {target}; targets: {:?}", checks::TARGETS),
            Err(_) => {
                save_artifact(fuzz_dir, target, "crash", &input);
                return Ok((false, stats));
            }
        }
        if last_report.elapsed() > Duration::from_secs(10) {
            eprintln!("{target}: {} execs", stats.execs);
            last_report = Instant::now();
        }
    }
    Ok((true, stats))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target) = args.first() else {
        bail!("usage: fuzz_stable TARGET|all [SECONDS] [RNG_SEED] | TARGET --replay PATH...");
    };
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let targets: Vec<&str> = if target == "all" {
        checks::TARGETS.to_vec()
    } else {
        vec![target.as_str()]
    };
    let replay = args.get(1).is_some_and(|a| a == "--replay");
    let seconds: u64 = match args.get(1) {
        Some(s) if !replay => s.parse().context("SECONDS")?,
        _ => 60,
    };
    let rng_seed: u64 = match args.get(2) {
        Some(s) if !replay => s.parse().context("RNG_SEED")?,
        _ => 0x5eed,
    };
    let mut rng = Rng(rng_seed.max(1));
    let mut all_passed = true;
    for target in targets {
        let files = if replay {
            let mut files = vec![];
            for path in &args[2..] {
                files.extend(read_dir(Path::new(path))?);
            }
            files
        } else {
            let mut files = read_dir(&fuzz_dir.join("corpus").join(target))?;
            files.extend(read_dir(&fuzz_dir.join("runs").join(target))?);
            files
        };
        let count = files.len();
        let inputs = files.into_iter().map(|(_, bytes)| bytes).collect();
        let per_target = (!replay).then_some(seconds);
        let start = Instant::now();
        let (passed, stats) = fuzz(&fuzz_dir, target, inputs, per_target, &mut rng)?;
        let took = start.elapsed().as_secs_f64();
        println!(
            "{target}: {} from {count} input(s), {} execs in {took:.0} s ({:.0}/s), slowest {:.3} s ({} bytes), rng seed {rng_seed}",
            if passed { "passed" } else { "FAILED" },
            stats.execs,
            stats.execs as f64 / took.max(1e-9),
            stats.slowest.as_secs_f64(),
            stats.slowest_input.len(),
        );
        if !replay {
            // Kept to look at (a slow input may be a quadratic loop short of the timeout).
            save_artifact(&fuzz_dir, target, "slowest", &stats.slowest_input);
        }
        all_passed &= passed;
    }
    if !all_passed {
        std::process::exit(1);
    }
    Ok(())
}
