//! Time to the first usable frame and peak memory of the real `abstriage` binary, run in a
//! pseudo-terminal as a reviewer runs it:
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example gen_corpus -- -n 100k --format ris --out /tmp/ab/100k.ris
//! cargo run --release --example measure_load -- --runs 5 /tmp/ab/100k.ris
//! ```
//!
//! Each run starts `$CARGO_TARGET_DIR/release/abstriage CORPUS` (or `--binary`) on a 120×40
//! terminal with the built-in configuration and a fresh decisions file, and times from just
//! before the spawn to the moment the terminal (read back through the `vt100` emulator) shows
//! the study list and the status line: the first frame a reviewer can act on. A large corpus is
//! opened progressively (its first records first, the whole corpus read in the background), so
//! each run also times the frame listing the whole corpus (the title bar no longer saying
//! `records so far`). Peak memory is the process's `VmHWM` from `/proc/<pid>/status`, read
//! once the whole corpus is on screen and the program has had `--settle` ms more to finish
//! whatever it does after. Files are read from the page cache (one unmeasured run first
//! warms it); runs report the median.
//!
//! `--steps` instead opens the corpus in this process step by step (the preview a large
//! corpus shows first, on its own; reading, decoding and parsing alone, for a file; then the
//! whole load with cleaning, duplicate detection, building the screen's state, drawing one
//! frame on a TestBackend) and times each, to see where the open's time goes without a
//! profiler.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use abstriage::cache::{self, Cache};
use abstriage::config::Config;
use abstriage::dedup::Automatic;
use abstriage::{corpus, decisions::file, dedup, review::Review, session::Session};
use anyhow::{Context, bail};
use clap::Parser;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Measure the real binary's open of a corpus: time to first frame and peak memory.
#[derive(Parser, Debug)]
struct Args {
    /// Corpora (files or folders) to open, one after the other.
    #[arg(required = true)]
    corpora: Vec<PathBuf>,
    /// Measured runs per corpus (after one unmeasured warm-up run).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The abstriage binary (default: `$CARGO_TARGET_DIR/release/abstriage`, else
    /// `target/release/abstriage`).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Terminal width and height.
    #[arg(long, default_value_t = 120)]
    cols: u16,
    #[arg(long, default_value_t = 40)]
    rows: u16,
    /// Milliseconds to let the program run after the whole corpus is on screen before reading
    /// its peak memory.
    #[arg(long, default_value_t = 500)]
    settle: u64,
    /// Seconds to wait for the first frame before giving up.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// Time the steps of an open in this process instead (no terminal, no binary).
    #[arg(long)]
    steps: bool,
}

/// One measured open.
struct Run {
    first_frame: Duration,
    /// CPU time (user and system) the process had used by the first frame: less sensitive
    /// than wall time to other programs sharing the cores.
    cpu: Duration,
    /// Until the whole corpus is listed (the first frame, for a corpus read whole first).
    whole: Duration,
    /// CPU time used by then.
    whole_cpu: Duration,
    peak_rss_kib: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.steps {
        for corpus in &args.corpora {
            steps(corpus)?;
        }
        return Ok(());
    }
    let binary = args.binary.clone().unwrap_or_else(default_binary);
    if !binary.is_file() {
        bail!(
            "{} not found: run `cargo build --release` first, or pass --binary",
            binary.display()
        );
    }
    println!(
        "| corpus | size on disk | first frame (median of {}) | min–max | CPU time to first frame \
         | whole corpus listed | CPU time to whole | peak RSS | RSS / size | load average |",
        args.runs
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for corpus in &args.corpora {
        let bytes = disk_size(corpus)?;
        measure(&args, &binary, corpus)
            .with_context(|| format!("warm-up run on {}", corpus.display()))?;
        let mut runs = Vec::with_capacity(args.runs);
        for i in 0..args.runs {
            let run = measure(&args, &binary, corpus)
                .with_context(|| format!("run {} on {}", i + 1, corpus.display()))?;
            eprintln!(
                "{}: run {}: first frame {:.0} ms (CPU {:.0} ms), whole corpus {:.0} ms (CPU \
                 {:.0} ms), peak RSS {:.1} MiB, load {}",
                corpus.display(),
                i + 1,
                ms(run.first_frame),
                ms(run.cpu),
                ms(run.whole),
                ms(run.whole_cpu),
                run.peak_rss_kib as f64 / 1024.0,
                load_average()
            );
            runs.push(run);
        }
        let sorted = |of: fn(&Run) -> Duration| {
            let mut times: Vec<Duration> = runs.iter().map(of).collect();
            times.sort_unstable();
            times
        };
        let median = |times: &[Duration]| times.get(times.len() / 2).copied().unwrap_or_default();
        let times = sorted(|r| r.first_frame);
        let peak = runs.iter().map(|r| r.peak_rss_kib).max().unwrap_or(0) * 1024;
        println!(
            "| {} | {} | {:.0} ms | {:.0}–{:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {} | {:.2}× | {} |",
            corpus.display(),
            mib(bytes),
            ms(median(&times)),
            ms(times.first().copied().unwrap_or_default()),
            ms(times.last().copied().unwrap_or_default()),
            ms(median(&sorted(|r| r.cpu))),
            ms(median(&sorted(|r| r.whole))),
            ms(median(&sorted(|r| r.whole_cpu))),
            mib(peak),
            peak as f64 / bytes.max(1) as f64,
            load_average()
        );
    }
    Ok(())
}

/// The release binary of this workspace's target directory.
fn default_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("abstriage")
}

/// Starts the binary on `corpus` in a pseudo-terminal, waits for the first frame showing the
/// list, reads its peak memory, then quits it.
fn measure(args: &Args, binary: &Path, corpus: &Path) -> anyhow::Result<Run> {
    let corpus = corpus
        .canonicalize()
        .with_context(|| format!("{} not found", corpus.display()))?;
    let scratch = tempfile::tempdir().context("temporary folder")?;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: args.rows,
            cols: args.cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| anyhow::anyhow!("openpty: {e}"))?;
    let mut cmd = CommandBuilder::new(binary);
    cmd.arg("--reviewer");
    cmd.arg("bench");
    cmd.arg("--decisions");
    cmd.arg(scratch.path().join("bench.toml"));
    cmd.arg(&corpus);
    cmd.cwd(scratch.path());
    cmd.env("TERM", "xterm-256color");
    // The built-in configuration only, whatever the user's config says.
    cmd.env(
        "ABSTRIAGE_CONFIG",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/empty-config.toml"),
    );
    cmd.env_remove("CARGO_MANIFEST_DIR");
    let mut reader = pair
        .master
        .try_clone_reader()
        .map_err(|e| anyhow::anyhow!("pty reader: {e}"))?;
    let mut writer = pair
        .master
        .take_writer()
        .map_err(|e| anyhow::anyhow!("pty writer: {e}"))?;
    let started = Instant::now();
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .map_err(|e| anyhow::anyhow!("starting {}: {e}", binary.display()))?;
    drop(pair.slave);
    let pid = child.process_id().context("no process id")?;

    // The reader thread feeds the emulator and reports the instant the list is on screen, then
    // the instant it lists the whole corpus: checked after every chunk read, so the times are
    // the frames', not a polling interval's.
    let (ready_tx, ready_rx) = mpsc::channel();
    let (cols, rows) = (args.cols, args.rows);
    let reading = std::thread::spawn(move || {
        let size = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
        let mut parser = vt100::Parser::new(size(rows), size(cols), 0);
        let mut buf = vec![0u8; 64 * 1024];
        let mut told = 0;
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.process(&buf[..n]);
            if told < 2 {
                let screen = parser.screen().contents();
                let shown = usize::from(shows_list(&screen))
                    + usize::from(shows_list(&screen) && !screen.contains("records so far"));
                for _ in told..shown {
                    let _ = ready_tx.send(Ok(Instant::now()));
                }
                told = told.max(shown);
            }
        }
        if told < 2 {
            let _ = ready_tx.send(Err(parser.screen().contents()));
        }
    });

    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let next = || match ready_rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(at)) => Ok((at.duration_since(started), cpu_time(pid)?)),
        Ok(Err(screen)) => Err(anyhow::anyhow!(
            "the program ended before showing the whole list; its screen:\n{screen}"
        )),
        Err(_) => Err(anyhow::anyhow!(
            "no whole list on screen after {} s",
            args.timeout
        )),
    };
    let result = next().and_then(|(first_frame, cpu)| {
        let (whole, whole_cpu) = next()?;
        std::thread::sleep(Duration::from_millis(args.settle));
        let peak_rss_kib = peak_rss_kib(pid)?;
        Ok(Run {
            first_frame,
            cpu,
            whole,
            whole_cpu,
            peak_rss_kib,
        })
    });
    // Quit as a reviewer would; kill if that does not end it.
    let _ = writer.write_all(b"q").and_then(|()| writer.flush());
    let quit_by = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > quit_by {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(writer);
    drop(pair.master);
    let _ = reading.join();
    result
}

/// Whether the screen shows the study list and the status line under it.
fn shows_list(screen: &str) -> bool {
    screen.contains("Studies ") && screen.contains(" screened")
}

/// The process's peak resident memory so far, in KiB (`VmHWM`).
fn peak_rss_kib(pid: u32) -> anyhow::Result<u64> {
    match rss_kib(pid, "VmHWM:") {
        0 => anyhow::bail!("no VmHWM in /proc/{pid}/status"),
        kib => Ok(kib),
    }
}

/// A memory figure of `/proc/<pid>/status` in KiB (`VmRSS:`, `VmHWM:`), 0 when unreadable.
fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(field))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// User and system CPU time the process has used (`/proc/<pid>/stat` fields 14 and 15, in
/// clock ticks of 10 ms on Linux).
fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    // Field 3 (state) is fields[0], so utime (14) and stime (15) are fields[11] and [12].
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => Ok(Duration::from_millis((user + system) * 10)),
        _ => anyhow::bail!("no CPU times in /proc/{pid}/stat"),
    }
}

/// The load average over the last minute: other programs on the machine slow wall times.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// Bytes of a file, or of every file under a folder.
fn disk_size(path: &Path) -> anyhow::Result<u64> {
    let meta = std::fs::metadata(path).with_context(|| format!("{} not found", path.display()))?;
    if !meta.is_dir() {
        return Ok(meta.len());
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path)? {
        total += disk_size(&entry?.path())?;
    }
    Ok(total)
}

/// The steps of `session::open` and the app's first frame, each timed, in this process.
fn steps(path: &Path) -> anyhow::Result<()> {
    let mut total = Instant::now();
    let mut step = Instant::now();
    let pid = std::process::id();
    // CPU time of every thread: on a busy machine it says more than the wall time, and beside
    // the wall time it shows how much of a step ran on more than one core.
    let cpu = || cpu_time(pid).unwrap_or_default();
    let mut step_cpu = cpu();
    let mut lap = |name: &str| {
        let (rss, peak) = (rss_kib(pid, "VmRSS:"), rss_kib(pid, "VmHWM:"));
        let now_cpu = cpu();
        eprintln!(
            "{}: {name}: {:.0} ms, CPU {:.0} ms (RSS after {:.0} MiB, peak so far {:.0} MiB)",
            path.display(),
            ms(step.elapsed()),
            ms(now_cpu.saturating_sub(step_cpu)),
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        step = Instant::now();
        step_cpu = now_cpu;
    };
    let (root, files) = corpus::locate(path)?;
    if let Some(preview) = corpus::preview(&root, &files, abstriage::session::PREVIEW_BYTES) {
        let automatic = Automatic::find(&preview.records);
        let records = preview.records.len();
        drop((preview, automatic));
        lap(&format!(
            "corpus::preview + duplicates among them: the first {records} records, shown first \
             while the rest is read (not part of the steps below)"
        ));
        total = Instant::now();
    }
    if path.is_file() {
        // What parsing alone costs (the load below does it again, then cleans).
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let text = corpus::decode::decode(&bytes).text;
        let parsed = corpus::detect(&text).map(|format| corpus::parse(format, &text));
        let raw = parsed.as_ref().map_or(0, |p| p.records.len());
        drop((parsed, text, bytes));
        lap(&format!(
            "read + decode + parse, no cleaning ({raw} raw records; not part of the open)"
        ));
        total = Instant::now();
    }
    // With a cache (`ABSTRIAGE_CACHE=DIR`), the open as the app makes it: from the cache when
    // it holds this corpus, else from the files, then the copy written (in the app, in the
    // background while the reviewer screens). Without, the open's steps one by one.
    let (corpus, automatic) = match Cache::from_env() {
        Some(cache) => {
            let opened = cache::open(path, Some(&cache))
                .with_context(|| format!("reading {}", path.display()))?;
            lap(&format!(
                "cache::open, {} ({} records, {} files)",
                if opened.from_cache {
                    "from the cache"
                } else {
                    "not cached: read, parse, clean, ids, duplicate links"
                },
                opened.corpus.records.len(),
                opened.corpus.files.len()
            ));
            if !opened.from_cache {
                let written = opened.writing.finish();
                lap(&format!(
                    "cache written: {written:?} (in the app: in the background, after the open)"
                ));
                total = Instant::now();
            }
            (opened.corpus, opened.automatic)
        }
        None => {
            let corpus =
                corpus::load(path).with_context(|| format!("reading {}", path.display()))?;
            lap(&format!(
                "corpus::load ({} records, {} files)",
                corpus.records.len(),
                corpus.files.len()
            ));
            let automatic = Automatic::find(&corpus.records);
            lap("dedup: Automatic::find (keys, blocks, pairs judged)");
            (corpus, automatic)
        }
    };
    let review = Review::load(&corpus.root)?;
    let scratch = tempfile::tempdir()?;
    let decisions_path = scratch.path().join("bench.toml");
    let decisions = file::load(&decisions_path)?;
    lap("review.toml and decisions");
    let clusters = dedup::apply(&corpus.records, &automatic, decisions.duplicates());
    lap(&format!(
        "dedup::apply ({} studies)",
        clusters.clusters.len()
    ));
    let session = Session {
        corpus,
        review,
        reviewer: "bench".into(),
        decisions_path,
        decisions,
        clusters,
        automatic,
        config: Config::defaults()?,
        cache_write: Default::default(),
    };
    let size = ratatui::layout::Size::new(120, 40);
    let app = abstriage::tui::app::App::new(session, size)?;
    lap("App::new");
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.width, size.height))?;
    terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
    lap("first draw (TestBackend)");
    eprintln!("{}: total {:.0} ms", path.display(), ms(total.elapsed()));
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
