//! Dumps every cleaned record (all fields, ids included) and the duplicate clusters of each
//! corpus file, so a change to reading, cleaning or duplicate detection can be checked to
//! change nothing a reviewer sees:
//!
//! ```sh
//! cargo run --release --example dump_records -- --out /tmp/before.txt
//! # ... change the code ...
//! cargo run --release --example dump_records -- --out /tmp/after.txt
//! diff /tmp/before.txt /tmp/after.txt
//! ```
//!
//! Without paths it dumps every file below `$ABSTRIAGE_CORPORA` (else `../shared/corpora`)
//! one by one, then `seeds/` as a folder; more files or folders can be named.

use std::io::Write;
use std::path::{Path, PathBuf};

use abstriage::{corpus, dedup};
use anyhow::Context;
use clap::Parser;

/// Dump cleaned records and duplicate clusters.
#[derive(Parser, Debug)]
struct Args {
    /// Files or folders to dump, each as its own corpus (default: every corpus file of the
    /// shared corpora, then `seeds/`).
    paths: Vec<PathBuf>,
    /// Where to write the dump.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let paths = if args.paths.is_empty() {
        default_paths()?
    } else {
        args.paths
    };
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for path in &paths {
        writeln!(out, "=== {}", path.display())?;
        match corpus::load(path) {
            Ok(corpus) => {
                writeln!(out, "{:#?}", corpus.files)?;
                for record in corpus.records.iter() {
                    writeln!(out, "{record:#?}")?;
                }
                let clusters = dedup::find(&corpus.records, &dedup::Overrides::default());
                writeln!(out, "{clusters:#?}")?;
            }
            Err(e) => writeln!(out, "error: {e}")?,
        }
    }
    out.flush()?;
    eprintln!("{} corpora dumped to {}", paths.len(), args.out.display());
    Ok(())
}

/// Every corpus file of the shared corpora, sorted, then the seeds folder.
fn default_paths() -> anyhow::Result<Vec<PathBuf>> {
    let root = std::env::var_os("ABSTRIAGE_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    let mut paths =
        corpus::corpus_files(&root).with_context(|| format!("listing {}", root.display()))?;
    paths.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"));
    Ok(paths)
}
