//! Synthetic corpora of realistic size for benchmarks: N records in RIS, MEDLINE, CSV, BibTeX
//! or EndNote XML, built from real records read with abstriage's own readers, varied so that
//! every generated record is distinct, with a known share of duplicates written the way
//! databases write them differently. The same pool, options and seed always give the same
//! bytes (for a given `Cargo.lock`: the random stream is fastrand's).
//!
//! Used by the benches (`mod support;`), by `examples/gen_corpus.rs` from the command line and
//! by `tests/gen_corpus.rs`, so it lives outside `src/` and never enters the product's build.
// Each includer uses a different part of the module.
#![allow(dead_code, unused_imports)]

pub mod generate;
pub mod pool;
pub mod vary;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use abstriage::record::Record;

pub use self::generate::{Corpus, Entry, Name, Options, generate};
pub use self::pool::Pool;
pub use self::write::{Format, write_folder};

/// Sizes the benches run at when `ABSTRIAGE_BENCH_SIZES` is not set: a default `cargo bench`
/// finishes in minutes on two cores.
pub const DEFAULT_SIZES: &[usize] = &[1_000, 10_000];

/// Variable naming the corpus sizes to benchmark, comma-separated (`1000,10000,100000,300000`;
/// `k` for thousands is accepted: `1k,10k,100k,300k`).
pub const SIZES_ENV: &str = "ABSTRIAGE_BENCH_SIZES";

/// The corpus sizes to benchmark: `$ABSTRIAGE_BENCH_SIZES`, else [`DEFAULT_SIZES`].
pub fn bench_sizes() -> Vec<usize> {
    match std::env::var(SIZES_ENV) {
        Ok(value) => parse_sizes(&value).unwrap_or_else(|e| {
            eprintln!("{SIZES_ENV}: {e}; using the default sizes");
            DEFAULT_SIZES.to_vec()
        }),
        Err(_) => DEFAULT_SIZES.to_vec(),
    }
}

/// Parses `1000,10k,1m`-style lists of sizes.
pub fn parse_sizes(value: &str) -> Result<Vec<usize>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_size)
        .collect::<Result<Vec<_>, _>>()
        .and_then(|sizes| {
            if sizes.is_empty() {
                Err("no size given".to_string())
            } else {
                Ok(sizes)
            }
        })
}

/// Parses one size: `300000`, `300k`, `1m`, `100_000`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let lower = text.trim().to_ascii_lowercase().replace('_', "");
    let (digits, factor) = match lower.strip_suffix('k') {
        Some(d) => (d, 1_000),
        None => match lower.strip_suffix('m') {
            Some(d) => (d, 1_000_000),
            None => (lower.as_str(), 1),
        },
    };
    digits
        .parse::<usize>()
        .map(|n| n * factor)
        .map_err(|_| format!("`{text}` is not a size (e.g. 1000, 10k, 1m)"))
}

/// The shared corpora of real exports: `$ABSTRIAGE_CORPORA`, else `../shared/corpora` beside
/// the repository.
pub fn corpora_dir() -> PathBuf {
    std::env::var_os("ABSTRIAGE_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"))
}

/// The bundled demo corpus, the fallback pool when the shared corpora are not there.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The pool the benches draw from: the shared corpora when present (what the figures in
/// docs/performance.md were measured on), else the 15 demo records, with a warning, so the
/// benches still run on a bare clone.
pub fn default_pool() -> Pool {
    let dir = corpora_dir();
    if dir.is_dir() {
        match Pool::load(&dir) {
            Ok(pool) => return pool,
            Err(e) => eprintln!("{}: {e}; falling back to seeds/", dir.display()),
        }
    } else {
        eprintln!(
            "{} not found (set ABSTRIAGE_CORPORA); generating from the 15 demo records in seeds/, \
             figures will not compare with docs/performance.md",
            dir.display()
        );
    }
    Pool::load(&seeds_dir()).unwrap_or_default()
}

/// The pool, read once per process.
pub fn shared_pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(default_pool)
}

/// The generated corpus of `records` records (default seed and duplicate rate), generated
/// once per process.
pub fn shared_corpus(records: usize) -> Arc<Corpus> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Corpus>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(records)
        .or_insert_with(|| Arc::new(generate(shared_pool(), &Options::new(records))))
        .clone()
}

/// The generated corpus of `records` records as abstriage reads it (written as RIS, read back,
/// ids made unique), read once per process.
pub fn shared_records(records: usize) -> Arc<Vec<Record>> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Vec<Record>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(records)
        .or_insert_with(|| {
            let corpus = shared_corpus(records);
            let bytes = write::write(Format::Ris, &corpus.entries);
            let (_, mut read) = abstriage::corpus::read_bytes("generated.ris", &bytes);
            abstriage::corpus::make_ids_unique(&mut read);
            Arc::new(read)
        })
        .clone()
}
