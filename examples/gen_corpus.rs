//! Generates a synthetic corpus of realistic size from real records, for benchmarks and for
//! trying abstriage at scale:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --records 100000 --format ris --out /tmp/100k.ris
//! cargo run --release --example gen_corpus -- --records 100000 --folder /tmp/review-100k
//! ```
//!
//! The pool of real records is `../shared/corpora` (or `$ABSTRIAGE_CORPORA`, or `--pool`);
//! the same pool, options and seed always write the same bytes. See docs/performance.md.

#[path = "../benches/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;

use support::{Format, Options, Pool, generate, write};

/// Generate a corpus of N distinct records, with planted duplicates, in one format or as a
/// review folder of several.
#[derive(Parser, Debug)]
struct Args {
    /// Records in all, duplicates included (`100000`, `100k`).
    #[arg(long, short = 'n', value_parser = support::parse_size, default_value = "1000")]
    records: usize,
    /// Seed of the random stream.
    #[arg(long, default_value_t = support::generate::DEFAULT_SEED)]
    seed: u64,
    /// Share of records that are extra copies of another record's study.
    #[arg(long, default_value_t = support::generate::DEFAULT_DUPLICATE_RATE)]
    duplicates: f64,
    /// Corpus (file or folder) whose records are the pool (default: the shared corpora).
    #[arg(long)]
    pool: Option<PathBuf>,
    /// Write one file in `--format` here.
    #[arg(long, requires = "format", conflicts_with = "folder")]
    out: Option<PathBuf>,
    /// Format of `--out`: ris, medline, csv, bibtex, endnote-xml.
    #[arg(long)]
    format: Option<Format>,
    /// Write a review folder here: files per database, at most 10,000 records each.
    #[arg(long)]
    folder: Option<PathBuf>,
    /// Formats of the folder, comma-separated (default: all five).
    #[arg(long, value_delimiter = ',')]
    formats: Vec<Format>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.out.is_none() && args.folder.is_none() {
        bail!("say where to write: --out FILE --format F, or --folder DIR");
    }
    let started = Instant::now();
    let pool = match &args.pool {
        Some(path) => Pool::load(path).with_context(|| format!("reading {}", path.display()))?,
        None => support::default_pool(),
    };
    if pool.is_empty() {
        bail!("the pool has no record with a title, an author and an abstract");
    }
    eprintln!(
        "pool: {} records ({:.1} s)",
        pool.bases.len(),
        started.elapsed().as_secs_f64()
    );
    let options = Options {
        records: args.records,
        seed: args.seed,
        duplicate_rate: args.duplicates,
    };
    let corpus = generate(&pool, &options);
    eprintln!(
        "generated {} records: {} studies, {} duplicates",
        corpus.entries.len(),
        corpus.studies,
        corpus.duplicates()
    );
    if let (Some(out), Some(format)) = (&args.out, args.format) {
        let bytes = write::write(format, &corpus.entries);
        std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("{}: {} bytes", out.display(), bytes.len());
    }
    if let Some(dir) = &args.folder {
        let written = write::write_folder(dir, &corpus, &args.formats, args.seed)
            .with_context(|| format!("writing {}", dir.display()))?;
        let files: Vec<serde_json::Value> = written
            .iter()
            .map(|w| {
                eprintln!(
                    "{}: {} records, {} bytes",
                    w.path.display(),
                    w.records,
                    w.bytes
                );
                serde_json::json!({
                    "file": w.path.file_name().map(|n| n.to_string_lossy().into_owned()),
                    "format": w.format.name(),
                    "records": w.records,
                    "bytes": w.bytes,
                })
            })
            .collect();
        // `.json` is not a corpus file ending: abstriage does not read the manifest.
        let manifest = serde_json::json!({
            "generator": "examples/gen_corpus.rs",
            "seed": args.seed,
            "records": corpus.entries.len(),
            "studies": corpus.studies,
            "duplicates": corpus.duplicates(),
            "duplicate_rate": args.duplicates,
            "pool_records": pool.bases.len(),
            "files": files,
        });
        std::fs::write(
            dir.join("generated.json"),
            serde_json::to_string_pretty(&manifest)?,
        )?;
    }
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
