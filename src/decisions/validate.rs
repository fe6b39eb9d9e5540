//! Checking a decisions file against the corpus and the protocol, for `abstriage check`: a
//! decision under an id the corpus no longer has (it changed: a re-export, a corrected title),
//! a decision under a record that is now a duplicate of another, exclusion reasons and themes
//! `review.toml` does not list, and duplicate corrections naming unknown records. Orphaned
//! decisions are matched to the record whose title is clearly the one they were made on
//! (rule in `docs/decisions-format.md`), so [`fix`] can re-attach them.

mod reattach;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use super::Decisions;
use crate::dedup::{Clusters, Overrides, merged, pair};
use crate::files::Location;
use crate::record::{Record, RecordId};
use crate::review::Review;

pub use self::reattach::{Candidate, MATCH_MARGIN, MATCH_THRESHOLD, Reattach};

/// One decisions file to check.
#[derive(Debug, Clone, Copy)]
pub struct DecisionsFile<'a> {
    /// The file, as it is to be named in messages (relative to the review folder).
    pub path: &'a Path,
    /// Its text, to locate each problem.
    pub text: &'a str,
    /// What it holds, as parsed from `text`.
    pub decisions: &'a Decisions,
}

/// Which list of duplicate corrections an id is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OverrideList {
    /// `[duplicates.same]`: the reviewer's merges.
    Same,
    /// `[duplicates.different]`: the reviewer's splits.
    Different,
}

impl OverrideList {
    /// The table the list is written in.
    pub fn table(self) -> &'static str {
        match self {
            OverrideList::Same => "duplicates.same",
            OverrideList::Different => "duplicates.different",
        }
    }
}

/// What is wrong with one entry of a decisions file.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// A decision on an id no record of the corpus has, with the record it was probably made
    /// on.
    Orphan {
        /// The id it is stored under.
        id: RecordId,
        /// The title stored with it.
        title: String,
        /// Where it could go.
        reattach: Reattach,
    },
    /// A decision stored under a record that is now part of a study with another id; it
    /// belongs under the study's id.
    UnderDuplicateMember {
        /// The record it is stored under.
        id: RecordId,
        /// The study's id.
        study: RecordId,
        /// Whether the file also has a decision under the study's id (gathering keeps the
        /// later of the two).
        study_decided: bool,
    },
    /// An exclusion reason `review.toml` does not list.
    UnknownReason {
        /// The record decided.
        id: RecordId,
        /// The reason.
        reason: String,
    },
    /// A theme `review.toml` does not list.
    UnknownTheme {
        /// The record tagged.
        id: RecordId,
        /// The theme.
        theme: String,
    },
    /// A duplicate correction naming an id no record of the corpus has.
    UnknownOverrideId {
        /// The id.
        id: RecordId,
        /// The list it is in.
        list: OverrideList,
    },
}

/// One problem found in a decisions file, located.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file, as named in messages.
    pub file: PathBuf,
    /// 1-based line of the entry at fault (its `[records."id"]` header); 0 when unknown.
    pub line: usize,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl Problem {
    /// Whether [`fix`] repairs it.
    pub fn fixable(&self) -> bool {
        matches!(
            self.kind,
            ProblemKind::UnderDuplicateMember { .. }
                | ProblemKind::Orphan {
                    reattach: Reattach::Proposed(_),
                    ..
                }
        )
    }
}

/// A title as quoted in messages: whole, so a reviewer can compare two titles letter by letter.
fn quoted(title: &str) -> String {
    format!("{title:?}")
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Orphan {
                id,
                title,
                reattach,
            } => {
                write!(
                    f,
                    "record \"{id}\" is not in the corpus (title {})",
                    quoted(title)
                )?;
                let seen =
                    |c: &Candidate| format!("{} ({}, {:.2})", quoted(&c.title), c.study, c.score);
                match reattach {
                    Reattach::NoMatch => {
                        write!(f, "; no record has a title close enough to re-attach it")
                    }
                    Reattach::Ambiguous { best, runner_up } => write!(
                        f,
                        "; as close to {} as to {}: re-attach it by hand",
                        seen(best),
                        seen(runner_up)
                    ),
                    Reattach::Taken(c) => write!(
                        f,
                        "; looks like {}, which already has a decision in this file: merge them by hand",
                        seen(c)
                    ),
                    Reattach::Contested { candidate, other } => write!(
                        f,
                        "; looks like {}, as does \"{other}\": re-attach it by hand",
                        seen(candidate)
                    ),
                    Reattach::Proposed(c) => {
                        write!(f, "; looks like {}: --fix re-attaches it", seen(c))
                    }
                }
            }
            ProblemKind::UnderDuplicateMember {
                id,
                study,
                study_decided,
            } => {
                write!(
                    f,
                    "record \"{id}\" is a duplicate in study \"{study}\": --fix files its decision under the study"
                )?;
                if *study_decided {
                    write!(f, " (which has one too; the later is kept)")?;
                }
                Ok(())
            }
            ProblemKind::UnknownReason { id, reason } => write!(
                f,
                "record \"{id}\": exclusion reason {reason:?} is not in review.toml"
            ),
            ProblemKind::UnknownTheme { id, theme } => {
                write!(f, "record \"{id}\": theme {theme:?} is not in review.toml")
            }
            ProblemKind::UnknownOverrideId { id, list } => write!(
                f,
                "[{}] names record \"{id}\", which is not in the corpus",
                list.table()
            ),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file.display(), self.kind),
            line => write!(f, "{}:{line}: {}", self.file.display(), self.kind),
        }
    }
}

/// Every problem of `file`, in line order. `clusters` must be `records` grouped with the
/// file's own duplicate corrections (`dedup::find(records, file.decisions.duplicates())`),
/// as its reviewer sees them.
pub fn validate(
    records: &[Record],
    clusters: &Clusters,
    review: &Review,
    file: &DecisionsFile,
) -> Vec<Problem> {
    let index: HashMap<&RecordId, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.id, i))
        .collect();
    let lines = Lines::of(file.text);
    let decisions = file.decisions;
    let mut problems = Vec::new();
    let mut orphans = Vec::new();
    let mut problem = |line: usize, kind: ProblemKind| {
        problems.push(Problem {
            file: file.path.to_path_buf(),
            line,
            kind,
        })
    };
    for (id, decision) in decisions.iter() {
        let line = lines.record(id);
        match index.get(id) {
            None => orphans.push((id, decision.title.as_str(), line)),
            Some(&i) => {
                let study = &clusters.of(i).id;
                if study != id {
                    problem(
                        line,
                        ProblemKind::UnderDuplicateMember {
                            id: id.clone(),
                            study: study.clone(),
                            study_decided: decisions.get(study).is_some(),
                        },
                    );
                }
            }
        }
        for reason in decision
            .reasons
            .iter()
            .filter(|r| !review.reasons.contains(r))
        {
            problem(
                line,
                ProblemKind::UnknownReason {
                    id: id.clone(),
                    reason: reason.clone(),
                },
            );
        }
        for theme in decision
            .themes
            .iter()
            .filter(|t| !review.themes.contains(t))
        {
            problem(
                line,
                ProblemKind::UnknownTheme {
                    id: id.clone(),
                    theme: theme.clone(),
                },
            );
        }
    }
    let wanted: Vec<(&RecordId, &str)> =
        orphans.iter().map(|(id, title, _)| (*id, *title)).collect();
    let matches = reattach::propose(records, clusters, decisions, &wanted);
    for ((id, title, line), reattach) in orphans.into_iter().zip(matches) {
        problem(
            line,
            ProblemKind::Orphan {
                id: id.clone(),
                title: title.to_string(),
                reattach,
            },
        );
    }
    let overrides = decisions.duplicates();
    for (list, pairs) in [
        (OverrideList::Same, &overrides.same),
        (OverrideList::Different, &overrides.different),
    ] {
        let mut unknown: Vec<&RecordId> = pairs
            .iter()
            .flat_map(|(a, b)| [a, b])
            .filter(|id| !index.contains_key(id))
            .collect();
        unknown.sort();
        unknown.dedup();
        for id in unknown {
            problem(
                lines.override_id(list, id),
                ProblemKind::UnknownOverrideId {
                    id: id.clone(),
                    list,
                },
            );
        }
    }
    problems.sort_by_key(|p| p.line);
    problems
}

/// What [`fix`] did to one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fixed {
    /// An orphaned decision moved to the study it was made on.
    Reattached {
        /// The id it was under.
        from: RecordId,
        /// The study's id it is under now.
        to: RecordId,
        /// The study's title, now stored with it.
        title: String,
    },
    /// A decision under a duplicate record filed under its study's id.
    Gathered {
        /// The record it was under.
        member: RecordId,
        /// The study's id.
        study: RecordId,
    },
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fixed::Reattached { from, to, title } => write!(
                f,
                "re-attached the decision on \"{from}\" to \"{to}\" ({})",
                quoted(title)
            ),
            Fixed::Gathered { member, study } => write!(
                f,
                "filed the decision on duplicate \"{member}\" under its study \"{study}\""
            ),
        }
    }
}

/// Repairs in `decisions` what `problems` (found by [`validate`] on them, with the same
/// `records` and `clusters`) say can be: decisions under duplicates go under their study's
/// id (the later one kept, as when the reviewer screens), and orphans with a proposed record
/// move to that record's study, taking its title; duplicate corrections naming the orphan's
/// id are renamed to the record. Unknown reasons and themes are left for the reviewer.
pub fn fix(
    records: &[Record],
    clusters: &Clusters,
    decisions: &mut Decisions,
    problems: &[Problem],
) -> Vec<Fixed> {
    let mut done = Vec::new();
    let mut renames: BTreeMap<RecordId, RecordId> = BTreeMap::new();
    for problem in problems {
        match &problem.kind {
            ProblemKind::UnderDuplicateMember { id, study, .. } => {
                let moved = decisions.gather(study, std::slice::from_ref(id));
                if moved {
                    done.push(Fixed::Gathered {
                        member: id.clone(),
                        study: study.clone(),
                    });
                }
            }
            ProblemKind::Orphan {
                id,
                reattach: Reattach::Proposed(candidate),
                ..
            } => {
                let (Some(decision), None) = (decisions.get(id), decisions.get(&candidate.study))
                else {
                    continue;
                };
                let mut decision = decision.clone();
                let title = study_title(records, clusters, &candidate.record)
                    .unwrap_or_else(|| candidate.title.clone());
                decision.title.clone_from(&title);
                decisions.restore(id, None);
                decisions.restore(&candidate.study, Some(decision));
                renames.insert(id.clone(), candidate.record.clone());
                done.push(Fixed::Reattached {
                    from: id.clone(),
                    to: candidate.study.clone(),
                    title,
                });
            }
            _ => {}
        }
    }
    if !renames.is_empty() {
        let renamed = rename_overrides(decisions.duplicates(), &renames);
        decisions.restore_duplicates(renamed);
    }
    done
}

/// The display title of the study `record` is part of.
fn study_title(records: &[Record], clusters: &Clusters, record: &RecordId) -> Option<String> {
    let i = records.iter().position(|r| &r.id == record)?;
    Some(merged(records, clusters.of(i)).display_title())
}

fn rename_overrides(overrides: &Overrides, renames: &BTreeMap<RecordId, RecordId>) -> Overrides {
    let rename = |id: &RecordId| renames.get(id).unwrap_or(id).clone();
    let pairs = |set: &std::collections::BTreeSet<(RecordId, RecordId)>| {
        set.iter()
            .map(|(a, b)| pair(&rename(a), &rename(b)))
            .filter(|(a, b)| a != b)
            .collect()
    };
    Overrides {
        same: pairs(&overrides.same),
        different: pairs(&overrides.different),
    }
}

/// Where each entry of a decisions file starts, from its text. A text that does not parse
/// (it should, having been read) locates nothing: every line is 0.
struct Lines {
    records: HashMap<String, usize>,
    overrides: HashMap<(OverrideList, String), usize>,
}

impl Lines {
    fn of(text: &str) -> Self {
        let mut lines = Self {
            records: HashMap::new(),
            overrides: HashMap::new(),
        };
        let Ok(doc) = toml_edit::Document::parse(text) else {
            return lines;
        };
        let line = |span: Option<std::ops::Range<usize>>| {
            span.map_or(0, |s| Location::of_offset(text, s.start).line)
        };
        let root = doc.as_table();
        if let Some(records) = root.get("records").and_then(|i| i.as_table_like()) {
            for (name, item) in records.iter() {
                let at = records
                    .get_key_value(name)
                    .and_then(|(key, _)| key.span())
                    .or_else(|| item.span());
                lines.records.insert(name.to_string(), line(at));
            }
        }
        let duplicates = root.get("duplicates").and_then(|i| i.as_table_like());
        for list in [OverrideList::Same, OverrideList::Different] {
            let name = match list {
                OverrideList::Same => "same",
                OverrideList::Different => "different",
            };
            let Some(table) = duplicates
                .and_then(|d| d.get(name))
                .and_then(|i| i.as_table_like())
            else {
                continue;
            };
            for (id, item) in table.iter() {
                let key_at = table.get_key_value(id).and_then(|(key, _)| key.span());
                lines
                    .overrides
                    .entry((list, id.to_string()))
                    .or_insert(line(key_at));
                for value in item.as_array().into_iter().flat_map(|a| a.iter()) {
                    if let Some(other) = value.as_str() {
                        lines
                            .overrides
                            .entry((list, other.to_string()))
                            .or_insert(line(value.span()));
                    }
                }
            }
        }
        lines
    }

    fn record(&self, id: &RecordId) -> usize {
        self.records.get(id.as_str()).copied().unwrap_or(0)
    }

    fn override_id(&self, list: OverrideList, id: &RecordId) -> usize {
        self.overrides
            .get(&(list, id.as_str().to_string()))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
