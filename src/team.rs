//! The review team's decision files in `screening/`: one file per reviewer, each written only by
//! its reviewer (so merging clones in git never conflicts), and `consensus.toml`, the decisions
//! the team reached where reviewers disagreed, which take precedence in exports and reports.

use std::path::{Path, PathBuf};

use crate::corpus::DECISIONS_DIR;
use crate::decisions::file::{self, DecisionsError};
use crate::decisions::{Decision, Decisions, reviewer};
use crate::record::RecordId;

/// File name of the team's reconciled decisions, in `screening/`.
pub const CONSENSUS_FILE: &str = "consensus.toml";

/// Reviewer name written in the consensus file (and refused as a person's name).
pub const CONSENSUS: &str = "consensus";

/// One reviewer's decisions as found in `screening/`.
#[derive(Debug, Clone)]
pub struct ReviewerFile {
    /// The name written in the file (its stem when the file names nobody).
    pub name: String,
    /// Where the file is.
    pub path: PathBuf,
    /// What it holds.
    pub decisions: Decisions,
}

/// The folder of decision files of the review folder `root`.
pub fn screening_dir(root: &Path) -> PathBuf {
    root.join(DECISIONS_DIR)
}

/// Where the consensus decisions of the review folder `root` are kept.
pub fn consensus_path(root: &Path) -> PathBuf {
    screening_dir(root).join(CONSENSUS_FILE)
}

/// Whether `name` would write the consensus file rather than a reviewer's own.
pub fn is_consensus_name(name: &str) -> bool {
    reviewer::file_stem(name) == CONSENSUS
}

/// Every reviewer's file in `screening/` (not the consensus), sorted by file name. A file that
/// does not parse is an error naming it, line and column: a report that silently left out a
/// reviewer would be wrong.
pub fn load_reviewers(root: &Path) -> Result<Vec<ReviewerFile>, DecisionsError> {
    reviewer_paths(root)?
        .into_iter()
        .map(|path| {
            let (name, decisions) = file::load_named(&path)?;
            let name = if name.trim().is_empty() {
                stem(&path)
            } else {
                name
            };
            Ok(ReviewerFile {
                name,
                path,
                decisions,
            })
        })
        .collect()
}

/// The paths of every reviewer's file in `screening/` (not the consensus), sorted by file
/// name, not yet read: for a check that reports each file that does not parse and goes on.
pub fn reviewer_paths(root: &Path) -> Result<Vec<PathBuf>, DecisionsError> {
    let dir = screening_dir(root);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(DecisionsError::Io { path: dir, source }),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "toml")
                && path.file_name().is_some_and(|name| name != CONSENSUS_FILE)
                && path.is_file()
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// The consensus decisions of the review folder `root` (empty when there are none yet).
pub fn load_consensus(root: &Path) -> Result<Decisions, DecisionsError> {
    file::load(&consensus_path(root))
}

/// A reviewer's decisions with the consensus laid over them: where the team settled a study,
/// its consensus decision is the one that counts.
pub fn with_consensus(own: &Decisions, consensus: &Decisions) -> Decisions {
    let mut merged = own.clone();
    for (id, decision) in consensus.iter() {
        merged.restore(id, Some(decision.clone()));
    }
    merged
}

/// The consensus decision on a study, if the team reached one.
pub fn consensus_for<'a>(
    consensus: &'a Decisions,
    study: &RecordId,
    members: &'a [RecordId],
) -> Option<&'a Decision> {
    consensus.for_study(study, members.iter())
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::Status;

    fn at() -> jiff::Timestamp {
        "2026-11-24T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn reviewers_are_every_file_but_the_consensus_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let mut ann = Decisions::default();
        ann.set_status(&RecordId::new("a"), "A", Some(Status::Include), at());
        file::save(&reviewer::decisions_path(dir.path(), "Ann"), "Ann", &ann).unwrap();
        file::save(
            &reviewer::decisions_path(dir.path(), "Bo Li"),
            "Bo Li",
            &Decisions::default(),
        )
        .unwrap();
        file::save(&consensus_path(dir.path()), CONSENSUS, &ann).unwrap();
        std::fs::write(screening_dir(dir.path()).join("notes.txt"), "not toml").unwrap();

        let team = load_reviewers(dir.path()).unwrap();
        let names: Vec<&str> = team.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Bo Li"]);
        assert_eq!(team[0].decisions, ann);
        assert!(team[1].path.ends_with("screening/bo-li.toml"));
    }

    #[test]
    fn a_broken_file_is_named_not_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(screening_dir(dir.path())).unwrap();
        std::fs::write(
            screening_dir(dir.path()).join("cy.toml"),
            "format = 1\nreviewer = \"Cy\"\n<<<<<<< HEAD\n",
        )
        .unwrap();
        let error = load_reviewers(dir.path()).unwrap_err().to_string();
        assert!(error.contains("cy.toml:3:1"), "{error}");
        assert!(error.contains("git conflict markers"), "{error}");
    }

    #[test]
    fn consensus_takes_precedence() {
        let (a, b) = (RecordId::new("a"), RecordId::new("b"));
        let mut own = Decisions::default();
        own.set_status(&a, "A", Some(Status::Include), at());
        own.set_status(&b, "B", Some(Status::Include), at());
        let mut consensus = Decisions::default();
        consensus.set_status(&b, "B", Some(Status::Exclude), at());
        let merged = with_consensus(&own, &consensus);
        assert_eq!(merged.status(&a), Some(Status::Include));
        assert_eq!(merged.status(&b), Some(Status::Exclude));
        assert!(is_consensus_name("Consensus") && !is_consensus_name("Con"));
    }
}
