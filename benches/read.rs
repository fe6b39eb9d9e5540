//! Reading a corpus: decode + detect + parse per format, cleaning parsed records, a whole
//! `corpus::load` of a review folder, and the same folder from the load cache. Sizes: 1k and 10k records by default; set
//! `ABSTRIAGE_BENCH_SIZES=1k,10k,100k,300k` for more (see docs/performance.md).

mod support;

use std::hint::black_box;
use std::time::Duration;

use abstriage::cache::{self, Cache};
use abstriage::clean::clean_record;
use abstriage::corpus::{self, decode};
use abstriage::record::Source;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, measurement::WallTime};
use support::{Format, write};

/// Few, flat samples: one iteration at 100k records takes seconds.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, records: usize) {
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(if records >= 100_000 { 10 } else { 20 });
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(if records >= 100_000 { 20 } else { 4 }));
}

/// Bytes to records of one format: decoding, format detection and the format's parser
/// (no cleaning).
fn parse(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let corpus = support::shared_corpus(records);
        let mut group = c.benchmark_group(format!("parse/{records}"));
        configure(&mut group, records);
        for format in Format::ALL {
            let bytes = write::write(format, &corpus.entries);
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function(format.name(), |b| {
                b.iter(|| {
                    let decoded = decode::decode(black_box(&bytes));
                    let detected = corpus::detect(&decoded.text);
                    detected.map(|f| corpus::parse(f, &decoded.text).records.len())
                });
            });
        }
        group.finish();
    }
}

/// Cleaning every parsed record of an RIS corpus (ids, titles, abstracts split into
/// sections, boilerplate removed).
fn clean(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let corpus = support::shared_corpus(records);
        let bytes = write::write(Format::Ris, &corpus.entries);
        let text = decode::decode(&bytes).text;
        let parsed = corpus::parse(corpus::Format::Ris, &text);
        let mut group = c.benchmark_group("clean");
        configure(&mut group, records);
        group.throughput(Throughput::Elements(records as u64));
        group.bench_function(records.to_string(), |b| {
            b.iter(|| {
                parsed
                    .records
                    .iter()
                    .enumerate()
                    .map(|(index, raw)| {
                        let source = Source {
                            file: "generated.ris".to_string(),
                            index,
                            line: raw.line,
                            span: raw.span.clone(),
                        };
                        let raw_text = text.get(raw.span.clone()).unwrap_or_default();
                        clean_record(raw, source, raw_text)
                    })
                    .collect::<Vec<_>>()
            });
        });
        group.finish();
    }
}

/// A review folder of `records` generated records as searches are exported (RIS, MEDLINE,
/// CSV, BibTeX and EndNote XML files, at most 10,000 records each), and its size in bytes.
fn review_folder(records: usize) -> (tempfile::TempDir, usize) {
    let corpus = support::shared_corpus(records);
    let dir = tempfile::tempdir().expect("temp dir");
    let written =
        write::write_folder(dir.path(), &corpus, &[], 1).expect("generated folder written");
    let bytes = written.iter().map(|w| w.bytes).sum();
    (dir, bytes)
}

/// `corpus::load` of a review folder as searches are exported (RIS, MEDLINE, CSV, BibTeX and
/// EndNote XML files, at most 10,000 records each): reading files, decoding, parsing,
/// cleaning, unique ids. The files are in the page cache after the first iteration.
fn load(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let (dir, bytes) = review_folder(records);
        let mut group = c.benchmark_group("load");
        configure(&mut group, records);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(records.to_string(), |b| {
            b.iter(|| {
                corpus::load(dir.path())
                    .map(|c| c.records.len())
                    .unwrap_or_default()
            });
        });
        group.finish();
    }
}

/// The same review folder opened from the load cache (`cache::open` after a first open has
/// written the copy: hashing the files, reading and decoding the copy), beside `load` above
/// and `dedup::find` in the review bench, which a cold open adds.
fn load_cached(c: &mut Criterion) {
    for records in support::bench_sizes() {
        let (dir, bytes) = review_folder(records);
        let store = tempfile::tempdir().expect("temp dir");
        let cache = Cache::in_dir(store.path()).with_min_bytes(0);
        let first = cache::open(dir.path(), Some(&cache)).expect("corpus opened");
        first.writing.finish().expect("cache written");
        let mut group = c.benchmark_group("load_cached");
        configure(&mut group, records);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(records.to_string(), |b| {
            b.iter(|| {
                let opened = cache::open(dir.path(), Some(&cache)).expect("corpus opened");
                assert!(opened.from_cache);
                opened.corpus.records.len()
            });
        });
        group.finish();
    }
}

criterion::criterion_group!(benches, parse, clean, load, load_cached);
criterion::criterion_main!(benches);
