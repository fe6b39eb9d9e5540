//! `abstriage check [PATH] [--fix]`: what reading each corpus file gave, then every decisions
//! file of the review (`screening/*.toml`, the consensus included) checked against the corpus
//! and `review.toml`. `--fix` re-attaches orphaned decisions and gathers decisions made on
//! duplicates; exit status 1 while any problem is left, so the command can guard commits. A
//! decisions file that does not parse (a git conflict left in it) is named with its line
//! after every other file is checked, and the exit status is 2.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use abstriage::decisions::Decisions;
use abstriage::decisions::file;
use abstriage::decisions::validate::{self, DecisionsFile, Fixed, Problem};
use abstriage::dedup::{self, Automatic, Clusters, Overrides};
use abstriage::record::Record;
use abstriage::review::Review;
use abstriage::{check, team};
use anyhow::Context;

use super::Failure;

/// Fixing one problem can reveal another (a re-attached decision lands on a record that a
/// renamed duplicate correction now merges): fix again, at most this many times.
const FIX_PASSES: usize = 3;

/// Runs the check on the corpus at `path`.
pub fn run(path: &Path, fix: bool) -> Result<(), Failure> {
    let (corpus, automatic) = super::read_corpus(path)?;
    print!("{}", check::report(&corpus));
    let review = Review::load(&corpus.root).map_err(|e| Failure::BadInput(e.into()))?;
    let paths = decision_files(&corpus.root)?;
    let mut clusters = ClustersCache::new(&corpus.records, &automatic);
    let mut fixed: Vec<String> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut entries = 0;
    // A file that does not parse is reported after the others are checked, not instead.
    let mut unreadable: Vec<anyhow::Error> = Vec::new();
    for path in &paths {
        let shown = path.strip_prefix(&corpus.root).unwrap_or(path);
        let (mut text, reviewer, mut decisions) = match read(path) {
            Ok(read) => read,
            Err(error) => {
                unreadable.push(error);
                continue;
            }
        };
        if fix {
            let done = fix_file(&corpus.records, &mut clusters, &review, &mut decisions);
            if !done.is_empty() {
                file::save(path, &reviewer, &decisions).map_err(anyhow::Error::from)?;
                fixed.extend(done.iter().map(|d| format!("{}: {d}", shown.display())));
                // Problems left are located in the file as it now stands on disk.
                (text, _, decisions) = read(path).map_err(Failure::BadInput)?;
            }
        }
        entries += decisions.len();
        let file = DecisionsFile {
            path: shown,
            text: &text,
            decisions: &decisions,
        };
        let found = clusters.get(decisions.duplicates());
        problems.extend(validate::validate(&corpus.records, found, &review, &file));
    }
    let read = paths.len() - unreadable.len();
    if read > 0 {
        print!("{}", summary(read, entries, fix, &fixed, &problems));
    }
    if !unreadable.is_empty() {
        let messages: Vec<String> = unreadable.iter().map(|e| format!("{e:#}")).collect();
        return Err(Failure::BadInput(anyhow::anyhow!(
            "{} not read, so not checked:\n  {}",
            plural(unreadable.len(), "decision file"),
            messages.join("\n  ")
        )));
    }
    if check::has_problems(&corpus) || !problems.is_empty() {
        return Err(Failure::Silent);
    }
    Ok(())
}

/// Every reviewer's file in `screening/`, then the consensus when there is one.
fn decision_files(root: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut paths = team::reviewer_paths(root).map_err(|e| Failure::BadInput(e.into()))?;
    let consensus = team::consensus_path(root);
    if consensus.is_file() {
        paths.push(consensus);
    }
    Ok(paths)
}

/// A decisions file's text, the reviewer named in it and its decisions.
fn read(path: &Path) -> anyhow::Result<(String, String, Decisions)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (reviewer, decisions) = file::from_toml(path, &text).map_err(file::DecisionsError::from)?;
    Ok((text, reviewer, decisions))
}

/// Repairs what can be repaired in `decisions`, pass after pass until nothing changes.
fn fix_file(
    records: &[Record],
    clusters: &mut ClustersCache,
    review: &Review,
    decisions: &mut Decisions,
) -> Vec<Fixed> {
    let mut done = Vec::new();
    for _ in 0..FIX_PASSES {
        let found = clusters.get(decisions.duplicates()).clone();
        // Lines do not matter here: the file is located again once saved.
        let file = DecisionsFile {
            path: Path::new(""),
            text: "",
            decisions: &*decisions,
        };
        let problems = validate::validate(records, &found, review, &file);
        let fixed = validate::fix(records, &found, decisions, &problems);
        if fixed.is_empty() {
            break;
        }
        done.extend(fixed);
    }
    done
}

/// The records grouped into studies, found once for every file without duplicate
/// corrections (the usual case) and again for each file with some.
struct ClustersCache<'a> {
    records: &'a [Record],
    automatic: &'a Automatic,
    plain: Option<Clusters>,
    corrected: Option<Clusters>,
}

impl<'a> ClustersCache<'a> {
    fn new(records: &'a [Record], automatic: &'a Automatic) -> Self {
        Self {
            records,
            automatic,
            plain: None,
            corrected: None,
        }
    }

    fn get(&mut self, overrides: &Overrides) -> &Clusters {
        let (records, automatic) = (self.records, self.automatic);
        if overrides.same.is_empty() && overrides.different.is_empty() {
            self.plain
                .get_or_insert_with(|| dedup::apply(records, automatic, overrides))
        } else {
            self.corrected
                .insert(dedup::apply(records, automatic, overrides))
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What was fixed, the problems left, and a line of counts.
fn summary(
    files: usize,
    entries: usize,
    fix: bool,
    fixed: &[String],
    problems: &[Problem],
) -> String {
    let mut out = String::new();
    if !fixed.is_empty() {
        let _ = writeln!(out, "\nfixed:");
        for line in fixed {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !problems.is_empty() {
        let _ = writeln!(out, "\ndecision problems:");
        for problem in problems {
            let _ = writeln!(out, "  {problem}");
        }
    }
    let _ = write!(
        out,
        "\n{}, {}: ",
        plural(files, "decision file"),
        plural(entries, "decision")
    );
    let repairable = problems.iter().filter(|p| p.fixable()).count();
    let _ = match (fix, problems.len()) {
        (true, 0) => writeln!(out, "{} fixed, no problems left.", fixed.len()),
        (true, n) => writeln!(
            out,
            "{} fixed, {} left to fix by hand.",
            fixed.len(),
            plural(n, "problem")
        ),
        (false, 0) => writeln!(out, "no problems."),
        (false, n) if repairable > 0 => writeln!(
            out,
            "{}; `abstriage check --fix` repairs {repairable}.",
            plural(n, "problem")
        ),
        (false, n) => writeln!(out, "{}.", plural(n, "problem")),
    };
    out
}
