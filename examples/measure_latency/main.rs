//! Latency distributions of what a reviewer does once a corpus is open, in this process:
//! each key to its frame drawn (on a TestBackend), each decision to the decisions file
//! durable on disk with 50,000 decisions in it, and each typed character of a search to its
//! ranked results, with percentiles (criterion's benches give means; the targets are p95/p99):
//!
//! ```sh
//! cargo run --release --example measure_latency -- /tmp/ab/100k.ris
//! cargo run --release --example measure_latency -- --lines /tmp/ab/lines-100k /tmp/ab/100k.ris
//! ```
//!
//! Search uses `search::records::Query` the way a search box would: the query is rebuilt for
//! every character typed and every record scored, matches sorted best first. "Fields" scores
//! records with their abstracts removed (title, authors, year, journal, keywords); "with
//! abstracts" scores them whole. "Incremental" scores only the previous results when the new
//! query narrows the old (`Query::narrows`), else every record; "engine" is the search
//! thread's `search::engine::Engine`, which also keeps each word's score and scores only the
//! words that changed; its first screen (the best 36 rows, found first) is timed apart. Then
//! the same queries are typed into the app's search prompt: (a) each key to the prompt's
//! frame (the search runs on its own thread meanwhile), (b1) each key to the first frame
//! showing results for it (their first screen, or all of them) and (b2) to the frame with all
//! of them; `--pace MS` types them again a key every MS milliseconds, not waiting for
//! results, as a typist would.
//!
//! `--lines DIR` also writes what benches/peers.sh gives `fzf --filter`: one line per record
//! (`fields.txt`, `abstracts.txt`) and every typed prefix (`queries.txt`).

mod screening;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use abstriage::config::Config;
use abstriage::record::Record;
use abstriage::search::engine::{Engine, Haystack};
use abstriage::search::records::Query;
use abstriage::session::{self, Options};
use abstriage::tui::SEARCH_POLL;
use abstriage::tui::app::App;
use anyhow::Context;
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

/// What a reviewer types into the search, character by character: a method, a design, an
/// author and a year, a topic over two words, and a word found nowhere.
pub const QUERIES: &[&str] = &[
    "qualitative interviews",
    "randomized controlled trial",
    "smith 2019",
    "insulin resistance",
    "zzqxv",
];

/// Rows of results the app's list shows at 120×40 (the first screen it asks for).
const ROWS: usize = 36;

/// Measure key, decision and search latencies over an opened corpus.
#[derive(Parser, Debug)]
struct Args {
    /// Corpus (a file or a folder).
    corpus: PathBuf,
    /// Decisions in the file while deciding: the corpus's records from the last one back,
    /// then made-up ids when the corpus has fewer.
    #[arg(long, default_value_t = 50_000)]
    decisions: usize,
    /// Moves (j/k, page, first/last, popup open and close) to time.
    #[arg(long, default_value_t = 2_000)]
    keys: usize,
    /// Decisions (i) to time.
    #[arg(long, default_value_t = 100)]
    decide: usize,
    /// Merges (M on a study, j, M) and their undos (u) to time: each regroups the corpus.
    #[arg(long, default_value_t = 10)]
    merges: usize,
    /// Times to type every query (the search figures pool all of them).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Write fzf's input lines and the typed prefixes here.
    #[arg(long)]
    lines: Option<PathBuf>,
    /// Also type the queries into the app at this pace (milliseconds between keys), not
    /// waiting for results.
    #[arg(long)]
    pace: Option<u64>,
    /// Skip the key and decision measurements.
    #[arg(long)]
    search_only: bool,
    /// Only the merges and their undos (with the decisions file filled first).
    #[arg(long, conflicts_with = "search_only")]
    merges_only: bool,
    /// Only write `--lines` and stop.
    #[arg(long, requires = "lines")]
    lines_only: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let scratch = tempfile::tempdir()?;
    let decisions_path = scratch.path().join("screening").join("bench.toml");
    let options = Options {
        reviewer: Some("bench".into()),
        decisions: Some(decisions_path.clone()),
        config: Some(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/empty-config.toml"),
        ),
        cache: Default::default(),
    };
    let started = Instant::now();
    let mut session = session::open(&args.corpus, &options)
        .with_context(|| format!("opening {}", args.corpus.display()))?;
    session.config = Config::defaults()?;
    let records = session.corpus.records.len();
    eprintln!(
        "{}: {records} records opened in {:.1} s",
        args.corpus.display(),
        started.elapsed().as_secs_f64()
    );
    if let Some(dir) = &args.lines {
        write_lines(dir, &session.corpus.records)?;
        if args.lines_only {
            return Ok(());
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "## {} ({records} records; load average {})\n",
        args.corpus.display(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| measure | n | p50 | p95 | p99 | max | CPU mean |");
    println!("|---|---|---|---|---|---|---|");

    if args.merges_only {
        screening::prefill(&mut session, args.decisions);
        return screening::merges(&session, args.merges);
    }
    search(&session.corpus.records, args.repeat);
    app_search(&session, args.repeat, None)?;
    if let Some(pace) = args.pace {
        app_search(&session, args.repeat, Some(Duration::from_millis(pace)))?;
    }
    if !args.search_only {
        screening::prefill(&mut session, args.decisions);
        screening::keys(&session, args.keys)?;
        screening::merges(&session, args.merges)?;
        screening::decide(session, args.decide)?;
    }
    Ok(())
}

/// Every character of every query typed, fields and abstracts: full scans; "incremental",
/// every word scored again on the previous results when the query narrows them
/// (`Query::narrows`); and the search thread's engine, which scores only the words that
/// changed on the previous results, each on both cores.
fn search(records: &Arc<[Record]>, repeat: usize) {
    let fields: Arc<[Record]> = records
        .iter()
        .map(|r| Record {
            sections: Default::default(),
            ..r.clone()
        })
        .collect();
    for (name, set) in [("fields", &fields), ("with abstracts", records)] {
        let (mut full, mut incremental, mut engine) = (Vec::new(), Vec::new(), Vec::new());
        let (mut screens, mut cpu_screens, mut fired) = (Vec::new(), Duration::ZERO, 0);
        let mut found_first = Vec::new();
        let mut cpu_full = Duration::ZERO;
        let (mut cpu_incremental, mut cpu_engine) = (Duration::ZERO, Duration::ZERO);
        let mut found = Vec::new();
        let mut differ = Vec::new();
        let haystack = Haystack {
            records: Arc::new(Arc::clone(set)),
            candidates: (0..set.len()).collect(),
        };
        let mut searcher = Engine::default();
        for round in 0..repeat {
            for query in QUERIES {
                let mut previous: Option<(Query, Vec<usize>)> = None;
                for typed in prefixes(query) {
                    let (t, cpu) = (Instant::now(), cpu_now());
                    let all = rank(&typed, set, 0..set.len());
                    full.push(t.elapsed());
                    cpu_full += cpu_now().saturating_sub(cpu);
                    let (t, cpu) = (Instant::now(), cpu_now());
                    let narrowed = match (&previous, Query::new(&typed)) {
                        (Some((old, hits)), Some(new)) if new.narrows(old) => {
                            rank(&typed, set, hits.iter().copied())
                        }
                        _ => rank(&typed, set, 0..set.len()),
                    };
                    incremental.push(t.elapsed());
                    cpu_incremental += cpu_now().saturating_sub(cpu);
                    let parsed = Query::new(&typed).map(Arc::new);
                    let (t, cpu) = (Instant::now(), cpu_now());
                    let screen = parsed
                        .as_ref()
                        .and_then(|q| searcher.first_screen(q, &haystack, ROWS, &|| false));
                    screens.push(t.elapsed());
                    cpu_screens += cpu_now().saturating_sub(cpu);
                    let (t, cpu) = (Instant::now(), cpu_now());
                    let continued = parsed
                        .and_then(|q| searcher.search(q, &haystack, &|| false))
                        .map_or_else(|| (0..set.len()).collect(), |f| best_first(f.scores));
                    engine.push(t.elapsed());
                    cpu_engine += cpu_now().saturating_sub(cpu);
                    if let Some(screen) = screen {
                        fired += 1;
                        if round == 0 {
                            let (s, e) = (ms(screens.last()), ms(engine.last()));
                            found_first.push(format!("{typed:?} ({s:.1} vs {e:.1} ms)"));
                        }
                        if round == 0 && screen.ranked[..] != continued[..screen.ranked.len()] {
                            differ.push(format!("{typed:?} (first screen)"));
                        }
                    }
                    if round == 0 && all != narrowed {
                        differ.push(format!("{typed:?} ({} vs {})", all.len(), narrowed.len()));
                    }
                    if round == 0 && all != continued {
                        differ.push(format!(
                            "{typed:?} (engine: {} vs {})",
                            all.len(),
                            continued.len()
                        ));
                    }
                    if round == 0 && typed.len() == query.len() {
                        found.push(format!("{query:?}: {}", all.len()));
                    }
                    previous = Query::new(&typed).map(|q| (q, narrowed));
                }
            }
        }
        eprintln!("search ({name}) matches: {}", found.join(", "));
        eprintln!(
            "search ({name}): a first screen was found for {} (its time vs the complete \
             search's)",
            found_first.join(", ")
        );
        if !differ.is_empty() {
            eprintln!(
                "search ({name}): a search continuing from the previous results gives other \
                 results than a full scan for {} of {} prefixes (full vs continued), e.g. {}",
                differ.len(),
                full.len() / repeat.max(1),
                differ
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let first_screen = format!(
            "engine's first screen of {ROWS} rows, before it (found for {fired} of {})",
            screens.len()
        );
        for (what, times, cpu) in [
            ("full scan", &mut full, cpu_full),
            ("incremental", &mut incremental, cpu_incremental),
            ("engine (changed words only)", &mut engine, cpu_engine),
            (&first_screen, &mut screens, cpu_screens),
        ] {
            row_cpu(&format!("search per character, {name}, {what}"), times, cpu);
        }
    }
}

/// The search as the app runs it: `/`, every character of every query typed into the prompt
/// as the event loop takes it (the key handled, the search asked of the search thread, the
/// frame drawn: (a) key to the prompt's frame), then the loop's wait for the results (looking
/// every `SEARCH_POLL`, as the loop does) to the frame drawn with them listed (best first,
/// title matches marked): (b) key to its results' frame. Esc between queries. "Fields" runs
/// it on the corpus with its abstracts removed.
///
/// With `pace`, keys come every `pace` whatever the search does, as from a typist: (a) for
/// every key, (b) for the keys whose results were shown (the others were typed over before
/// their results came; the last key of each query always gets its own).
fn app_search(
    session: &session::Session,
    repeat: usize,
    pace: Option<Duration>,
) -> anyhow::Result<()> {
    let mut fields = session.clone();
    let mut records = fields.corpus.records.to_vec();
    for record in &mut records {
        record.sections = Default::default();
    }
    fields.corpus.records = records.into();
    let how = pace.map_or(String::new(), |p| {
        format!(", a key every {} ms", p.as_millis())
    });
    for (name, session) in [("fields", &fields), ("with abstracts", session)] {
        let size = Size::new(120, 40);
        let mut app = App::new(session.clone(), size)?;
        let mut terminal = Terminal::new(TestBackend::new(size.width, size.height))?;
        terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
        let (mut prompt, mut first, mut complete) = (Vec::new(), Vec::new(), Vec::new());
        let (mut typed_over, mut first_screens) = (0, 0);
        let cpu = cpu_now();
        for _ in 0..repeat {
            for query in QUERIES {
                app.handle_event(&key(KeyCode::Char('/')));
                terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
                let chars: Vec<char> = query.chars().collect();
                for (i, &c) in chars.iter().enumerate() {
                    let t = Instant::now();
                    app.handle_event(&key(KeyCode::Char(c)));
                    // As the loop does after the keys it took: asks for the search.
                    app.catch_up();
                    terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
                    prompt.push(t.elapsed());
                    let next_key = match pace {
                        Some(pace) if i + 1 < chars.len() => Some(t + pace),
                        _ => None,
                    };
                    // As the loop does while the search thread works: no input for a
                    // while, then the results if they came: (b1) the first frame showing
                    // results of this key, its first screen or all of them, and (b2) the
                    // frame with all of them.
                    let mut shown = !app.searching();
                    if shown {
                        // At once: nothing to search, or results kept.
                        first.push(t.elapsed());
                    }
                    let mut screen_shown = shown;
                    while app.searching() {
                        let poll = match next_key {
                            Some(due) => {
                                SEARCH_POLL.min(due.saturating_duration_since(Instant::now()))
                            }
                            None => SEARCH_POLL,
                        };
                        if poll.is_zero() {
                            break;
                        }
                        std::thread::sleep(poll);
                        if app.take_search_result() {
                            terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
                            if !screen_shown {
                                first.push(t.elapsed());
                                screen_shown = true;
                                if app.searching() {
                                    first_screens += 1;
                                }
                            }
                            shown = !app.searching();
                        }
                    }
                    if shown {
                        complete.push(t.elapsed());
                    } else {
                        typed_over += 1;
                    }
                    if let Some(due) = next_key {
                        std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    }
                }
                app.handle_event(&key(KeyCode::Esc));
            }
        }
        let cpu = cpu_now().saturating_sub(cpu);
        let keys = prompt.len();
        row_cpu(
            &format!("search in the app{how}, {name}: (a) key to the prompt's frame"),
            &mut prompt,
            cpu,
        );
        row(
            &format!(
                "search in the app{how}, {name}: (b1) key to the first screen of its results \
                 (first screen first for {first_screens} of {keys} keys)"
            ),
            &mut first,
        );
        row(
            &format!("search in the app{how}, {name}: (b2) key to all its results' frame"),
            &mut complete,
        );
        if pace.is_some() {
            eprintln!(
                "search in the app{how}, {name}: {typed_over} keys typed over before their results came"
            );
        }
    }
    Ok(())
}

/// A time in milliseconds (0 for none).
fn ms(time: Option<&Duration>) -> f64 {
    time.map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Every prefix of `query`, as typed: "s", "sm", ... (spaces included).
fn prefixes(query: &str) -> impl Iterator<Item = String> + '_ {
    query
        .char_indices()
        .map(|(i, c)| query[..i + c.len_utf8()].to_string())
}

/// The records of `candidates` matching `typed`, best first (ties in corpus order).
fn rank(typed: &str, records: &[Record], candidates: impl Iterator<Item = usize>) -> Vec<usize> {
    let Some(query) = Query::new(typed) else {
        return (0..records.len()).collect();
    };
    let candidates: Vec<(usize, &Record)> = candidates.map(|i| (i, &records[i])).collect();
    best_first(query.matches(&candidates))
}

/// Keys best first (ties in key order).
fn best_first(mut hits: Vec<(usize, i64)>) -> Vec<usize> {
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.into_iter().map(|(i, _)| i).collect()
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// CPU time of this process so far, every thread (user + system, from `/proc/self/stat`,
/// in clock ticks of 10 ms): on a busy machine the wall times grow, the CPU times do not.
fn cpu_now() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// One table row: percentiles of `times` in milliseconds, and the mean CPU time per
/// operation (all threads) when measured.
fn row_cpu(name: &str, times: &mut [Duration], cpu: Duration) {
    let mean = cpu.as_secs_f64() * 1000.0 / times.len().max(1) as f64;
    row_with(name, times, &format!("{mean:.2} ms"));
}

/// One table row: percentiles of `times` in milliseconds.
fn row(name: &str, times: &mut [Duration]) {
    row_with(name, times, "");
}

fn row_with(name: &str, times: &mut [Duration], cpu: &str) {
    times.sort_unstable();
    let at = |p: f64| {
        let rank = ((p * times.len() as f64).ceil() as usize).clamp(1, times.len().max(1));
        times
            .get(rank - 1)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "| {name} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {cpu} |",
        times.len(),
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    );
}

/// fzf's input: one line per record, without and with the abstract, and the typed prefixes.
fn write_lines(dir: &Path, records: &[Record]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut fields = String::new();
    let mut abstracts = String::new();
    for r in records {
        let year = r.year.map(|y| y.to_string()).unwrap_or_default();
        let line = format!(
            "{}\t{}\t{year}\t{}\t{}",
            r.title,
            r.authors.join("; "),
            r.journal.as_deref().unwrap_or_default(),
            r.keywords.join("; ")
        );
        let line = line.replace(['\n', '\r'], " ");
        fields.push_str(&line);
        fields.push('\n');
        abstracts.push_str(&line);
        for section in r.sections.iter() {
            abstracts.push('\t');
            abstracts.push_str(&section.text.replace(['\n', '\r'], " "));
        }
        abstracts.push('\n');
    }
    let queries: Vec<String> = QUERIES.iter().flat_map(|q| prefixes(q)).collect();
    std::fs::write(dir.join("fields.txt"), fields)?;
    std::fs::write(dir.join("abstracts.txt"), abstracts)?;
    std::fs::write(dir.join("queries.txt"), queries.join("\n") + "\n")?;
    eprintln!("fzf lines written to {}", dir.display());
    Ok(())
}
