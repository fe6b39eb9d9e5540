//! Working on an opened corpus: duplicate detection, saving the decisions file, searching
//! records, and the screen (opening the app, drawing a frame, a key and a
//! redraw). Sizes as in benches/read.rs (`ABSTRIAGE_BENCH_SIZES`).

mod support;

use std::hint::black_box;
use std::time::Duration;

use abstriage::config::Config;
use abstriage::decisions::{Decisions, Status, file};
use abstriage::dedup::{self, Overrides};
use abstriage::record::Record;
use abstriage::search::records::Query;
use abstriage::session::{self, Options};
use abstriage::tui::app::App;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput, measurement::WallTime,
};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

/// Decisions in the decisions-file benchmark besides one per record of each size: a review
/// screened far along.
const DECISIONS: usize = 50_000;

fn configure(group: &mut BenchmarkGroup<'_, WallTime>, records: usize) {
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(if records >= 100_000 { 10 } else { 20 });
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(if records >= 100_000 { 20 } else { 4 }));
}

/// `dedup::find` over the records of a generated corpus (15% planted duplicates).
fn dedup(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let read = support::shared_records(records);
        let mut group = c.benchmark_group("dedup");
        configure(&mut group, records);
        group.throughput(Throughput::Elements(records as u64));
        group.bench_function(records.to_string(), |b| {
            b.iter(|| {
                dedup::find(black_box(&read), &Overrides::default())
                    .clusters
                    .len()
            });
        });
        group.finish();
    }
}

/// A reviewer's decisions on the first `count` records of a generated corpus: a third each
/// included, excluded (half with a reason) and maybe, one in five with themes, one in ten
/// with a note.
fn decisions(count: usize) -> Decisions {
    let read = support::shared_records(count);
    let at: Timestamp = "2026-11-24T12:00:00Z".parse().expect("constant time");
    let mut decisions = Decisions::default();
    const THEMES: &[&str] = &["workload", "leadership and champions", "digital and IT"];
    for (i, record) in read.iter().enumerate() {
        let title = record.display_title();
        let status = [Status::Include, Status::Exclude, Status::Maybe][i % 3];
        decisions.set_status(&record.id, &title, Some(status), at);
        if i % 5 == 0 {
            for theme in &THEMES[..1 + i % THEMES.len()] {
                decisions.toggle_theme(&record.id, &title, theme, at);
            }
        }
    }
    // Reasons and notes have no setter of their own: add them through the file's text.
    let text = file::to_toml("bench", &decisions);
    let mut lines = String::with_capacity(text.len() + count * 40);
    let (mut excluded, mut in_exclusion) = (0, false);
    for line in text.lines() {
        if line.starts_with("[records") {
            in_exclusion = false;
        }
        let line = match line {
            "status = \"exclude\"" => {
                excluded += 1;
                in_exclusion = true;
                line
            }
            "reasons = []" if in_exclusion && excluded % 2 == 1 => {
                "reasons = [\"wrong population\"]"
            }
            "note = \"\"" if in_exclusion && excluded % 10 == 1 => {
                "note = \"check the full text for the comparison group\""
            }
            _ => line,
        };
        lines.push_str(line);
        lines.push('\n');
    }
    file::from_toml(std::path::Path::new("bench.toml"), &lines)
        .map(|(_, d)| d)
        .unwrap_or(decisions)
}

/// Rendering the decisions file (`to_toml`) and saving it (`save`: render, write a
/// temporary file, fsync, rename, fsync the folder), as after every key that decides.
fn decisions_file(c: &mut Criterion) {
    let mut counts = support::bench_sizes();
    counts.push(DECISIONS);
    counts.sort_unstable();
    counts.dedup();
    for count in counts {
        let decisions = decisions(count);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("screening").join("bench.toml");
        let mut group = c.benchmark_group("decisions");
        configure(&mut group, count);
        group.throughput(Throughput::Elements(decisions.len() as u64));
        group.bench_function(format!("to_toml/{count}"), |b| {
            b.iter(|| file::to_toml("bench", black_box(&decisions)).len());
        });
        group.bench_function(format!("save/{count}"), |b| {
            b.iter(|| file::save(&path, "bench", black_box(&decisions)).is_ok());
        });
        group.finish();
    }
}

/// `search::records::Query` over every record, as for one character typed into the search:
/// the query built, every record scored, matches sorted best first. `fields` scores the
/// records with their abstracts removed (title, authors, year, journal, keywords);
/// `abstracts` scores them whole.
fn search_records(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let read = support::shared_records(records);
        let fields: Vec<Record> = read
            .iter()
            .map(|r| Record {
                sections: Default::default(),
                ..r.clone()
            })
            .collect();
        let mut group = c.benchmark_group("search");
        configure(&mut group, records);
        group.throughput(Throughput::Elements(records as u64));
        for (set, name) in [(&fields[..], "fields"), (&read[..], "abstracts")] {
            for query in ["qualitative interv", "smith 2019", "zzqxv"] {
                group.bench_function(format!("{name}/{query}/{records}"), |b| {
                    b.iter(|| rank(black_box(query), set).len());
                });
            }
        }
        group.finish();
    }
}

/// The records matching `typed`, best first (ties in corpus order).
fn rank(typed: &str, records: &[Record]) -> Vec<usize> {
    let Some(query) = Query::new(typed) else {
        return (0..records.len()).collect();
    };
    let candidates: Vec<(usize, &Record)> = records.iter().enumerate().collect();
    let mut hits = query.matches(&candidates);
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.into_iter().map(|(i, _)| i).collect()
}

/// The screen: `App::new` on an opened session (studies and their merged records), one
/// frame drawn on a 120×40 TestBackend, a key (`j`/`k`) with the redraw it causes, and a
/// merge and its undo with theirs.
fn screen(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let corpus = support::shared_corpus(records);
        let dir = tempfile::tempdir().expect("temp dir");
        support::write::write_folder(dir.path(), &corpus, &[], 1).expect("folder written");
        let options = Options {
            reviewer: Some("bench".into()),
            decisions: Some(dir.path().join("bench-decisions.toml")),
            config: None,
            cache: Default::default(),
        };
        let mut session = session::open(dir.path(), &options).expect("session");
        session.config = Config::defaults().expect("default config");
        let size = Size::new(120, 40);
        let mut group = c.benchmark_group("screen");
        configure(&mut group, records);
        group.bench_function(format!("open/{records}"), |b| {
            b.iter_batched(
                || session.clone(),
                |s| App::new(s, size).map(|app| app.rows.len()).ok(),
                BatchSize::LargeInput,
            );
        });
        let mut app = App::new(session.clone(), size).expect("app");
        let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).expect("tty");
        group.bench_function(format!("draw/{records}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| abstriage::tui::views::draw(frame, &app))
                    .is_ok()
            });
        });
        let mut down = true;
        group.bench_function(format!("key_and_draw/{records}"), |b| {
            b.iter(|| {
                let code = KeyCode::Char(if down { 'j' } else { 'k' });
                down = !down;
                app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
                terminal
                    .draw(|frame| abstriage::tui::views::draw(frame, &app))
                    .is_ok()
            });
        });
        // The first study merged with the second and the merge undone, each drawn: both
        // regroup the studies they touch and hand the decisions file to the saver.
        let press = |app: &mut App, c: char| {
            app.handle_event(&Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        };
        group.bench_function(format!("merge_undo_and_draw/{records}"), |b| {
            b.iter(|| {
                for c in ['g', 'M', 'j', 'M'] {
                    press(&mut app, c);
                }
                let merged = (terminal)
                    .draw(|frame| abstriage::tui::views::draw(frame, &app))
                    .is_ok();
                press(&mut app, 'u');
                let undone = (terminal)
                    .draw(|frame| abstriage::tui::views::draw(frame, &app))
                    .is_ok();
                merged && undone
            });
        });
        group.finish();
    }
}

criterion::criterion_group!(benches, dedup, decisions_file, search_records, screen);
criterion::criterion_main!(benches);
