//! The decisions file: TOML designed for git. One table per decided record, sorted by id, so
//! the same decisions always give the same bytes and one decision changes only its own lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Decision, Decisions, Status};
use crate::dedup::{Overrides, pair};
use crate::files::{TomlFileError, atomic_write, parse_toml};
use crate::record::RecordId;

mod render;

/// Version of the file format written in every file.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    format: u32,
    reviewer: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    records: BTreeMap<String, EntryRepr>,
    #[serde(default, skip_serializing_if = "DuplicatesRepr::is_empty")]
    duplicates: DuplicatesRepr,
}

/// The reviewer's corrections to duplicate detection: each record id with the ids it is the
/// same study as / a different study from (each pair once, under its smaller id), sorted, so
/// the same corrections always read the same and one correction changes one line.
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DuplicatesRepr {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    same: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    different: BTreeMap<String, Vec<String>>,
}

impl DuplicatesRepr {
    fn is_empty(&self) -> bool {
        self.same.is_empty() && self.different.is_empty()
    }

    fn from_overrides(overrides: &Overrides) -> Self {
        let grouped = |set: &std::collections::BTreeSet<(RecordId, RecordId)>| {
            let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (a, b) in set {
                map.entry(a.as_str().to_string())
                    .or_default()
                    .push(b.as_str().to_string());
            }
            map
        };
        Self {
            same: grouped(&overrides.same),
            different: grouped(&overrides.different),
        }
    }

    fn into_overrides(self) -> Overrides {
        let pairs = |map: BTreeMap<String, Vec<String>>| {
            map.into_iter()
                .flat_map(|(a, others)| {
                    others
                        .into_iter()
                        .map(move |b| pair(&RecordId::new(a.clone()), &RecordId::new(b)))
                })
                .collect()
        };
        Overrides {
            same: pairs(self.same),
            different: pairs(self.different),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryRepr {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    status: Option<Status>,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    note: String,
    decided: toml::value::Datetime,
}

/// Why a decisions file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    /// The file does not parse: it is left untouched.
    #[error("{0} (fix or move the file; abstriage will not overwrite it)")]
    Invalid(#[from] TomlFileError),
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Renders decisions as the file's bytes.
pub fn to_toml(reviewer: &str, decisions: &Decisions) -> String {
    let header = format!(
        "# Screening decisions of reviewer {reviewer:?}, written by abstriage.\n\
         # One table per record, keyed by record id and sorted; see docs/decisions-format.md.\n"
    );
    render::body(&header, reviewer, decisions)
        .unwrap_or_else(|| header + &via_serde(reviewer, decisions))
}

/// The file's body as `toml::to_string_pretty` renders it: the reference [`render`] follows,
/// used for dates outside the years it writes directly.
fn via_serde(reviewer: &str, decisions: &Decisions) -> String {
    let repr = FileRepr {
        format: FORMAT_VERSION,
        reviewer: reviewer.to_string(),
        records: decisions
            .iter()
            .map(|(id, d)| {
                let entry = EntryRepr {
                    title: d.title.clone(),
                    status: d.status,
                    reasons: d.reasons.clone(),
                    themes: d.themes.clone(),
                    note: d.note.clone(),
                    decided: to_datetime(d.decided_at),
                };
                (id.as_str().to_string(), entry)
            })
            .collect(),
        duplicates: DuplicatesRepr::from_overrides(decisions.duplicates()),
    };
    // Serialising plain strings, lists and datetimes cannot fail; an empty body would only
    // hide a bug, so it is reported in the file itself rather than by panicking.
    toml::to_string_pretty(&repr).unwrap_or_else(|e| format!("# serialisation failed: {e}\n"))
}

/// Parses the file's text. `path` is used in error messages only.
pub fn from_toml(path: &Path, text: &str) -> Result<(String, Decisions), TomlFileError> {
    if let Some(offset) = conflict_marker(text) {
        return Err(TomlFileError::at(
            path,
            text,
            offset,
            "git conflict markers: finish the merge (keep one side of each conflict and \
             remove the marker lines), then open the review again",
        ));
    }
    let repr: FileRepr = parse_toml(path, text)?;
    if repr.format != FORMAT_VERSION {
        let offset = text.find("format").unwrap_or(0);
        return Err(TomlFileError::at(
            path,
            text,
            offset,
            format!(
                "format {} is not one this abstriage reads (expected {FORMAT_VERSION})",
                repr.format
            ),
        ));
    }
    let mut entries = BTreeMap::new();
    for (id, entry) in repr.records {
        let decided_at = from_datetime(&entry.decided).ok_or_else(|| {
            let offset = text.find(&entry.decided.to_string()).unwrap_or(0);
            TomlFileError::at(
                path,
                text,
                offset,
                "`decided` must be a date and time, like 2026-11-24T15:30:12Z",
            )
        })?;
        let decision = Decision {
            status: entry.status,
            reasons: entry.reasons,
            themes: entry.themes,
            note: entry.note,
            title: entry.title,
            decided_at,
        };
        entries.insert(RecordId::new(id), decision);
    }
    let duplicates = repr.duplicates.into_overrides();
    Ok((
        repr.reviewer,
        Decisions::from_entries(entries).with_duplicates(duplicates),
    ))
}

fn to_datetime(at: Timestamp) -> toml::value::Datetime {
    let text = at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    // The text above is a well-formed RFC 3339 date-time by construction.
    text.parse().unwrap_or(toml::value::Datetime {
        date: None,
        time: None,
        offset: None,
    })
}

fn from_datetime(value: &toml::value::Datetime) -> Option<Timestamp> {
    let text = value.to_string();
    text.parse::<Timestamp>()
        .ok()
        .or_else(|| format!("{text}Z").parse().ok())
        .or_else(|| format!("{text}T00:00:00Z").parse().ok())
}

/// Where the first line of a git merge conflict (`<<<<<<< `, `=======`, `>>>>>>> `) starts
/// in `text`, if there is one. Such a file must be left for the reviewer to resolve.
pub fn conflict_marker(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.starts_with("<<<<<<< ")
            || bare == "<<<<<<<"
            || bare == "======="
            || bare.starts_with(">>>>>>> ")
            || bare == ">>>>>>>"
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Reads decisions from `path`; a missing file is an empty set.
pub fn load(path: &Path) -> Result<Decisions, DecisionsError> {
    load_named(path).map(|(_, decisions)| decisions)
}

/// Reads decisions from `path` with the reviewer named in it (empty for a missing file).
pub fn load_named(path: &Path) -> Result<(String, Decisions), DecisionsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(from_toml(path, &text)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok((String::new(), Decisions::default()))
        }
        Err(source) => Err(DecisionsError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes decisions to `path` atomically.
pub fn save(path: &Path, reviewer: &str, decisions: &Decisions) -> Result<(), DecisionsError> {
    atomic_write(path, to_toml(reviewer, decisions).as_bytes()).map_err(|source| {
        DecisionsError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn sample() -> Decisions {
        let mut d = Decisions::default();
        let a = RecordId::new("10.3399/bjgp.2020.0856");
        let b = RecordId::new("h0940cb59c3bc");
        d.set_status(
            &b,
            "[2023] To compare",
            Some(Status::Exclude),
            at("2026-11-24T10:00:00Z"),
        );
        d.set_status(
            &a,
            "Group consultations",
            Some(Status::Include),
            at("2026-11-24T10:01:00Z"),
        );
        d.toggle_theme(
            &a,
            "Group consultations",
            "leadership and champions",
            at("2026-11-24T10:02:00Z"),
        );
        d.toggle_theme(
            &a,
            "Group consultations",
            "facilitation",
            at("2026-11-24T10:03:00Z"),
        );
        d
    }

    #[test]
    fn file_is_sorted_readable_toml() {
        let text = to_toml("alice", &sample());
        let expected = r#"# Screening decisions of reviewer "alice", written by abstriage.
# One table per record, keyed by record id and sorted; see docs/decisions-format.md.
format = 1
reviewer = "alice"

[records."10.3399/bjgp.2020.0856"]
title = "Group consultations"
status = "include"
reasons = []
themes = [
    "facilitation",
    "leadership and champions",
]
note = ""
decided = 2026-11-24T10:03:00Z

[records.h0940cb59c3bc]
title = "[2023] To compare"
status = "exclude"
reasons = []
themes = []
note = ""
decided = 2026-11-24T10:00:00Z
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn round_trip_gives_the_same_bytes() {
        let text = to_toml("alice", &sample());
        let (reviewer, back) = from_toml(Path::new("a.toml"), &text).unwrap();
        assert_eq!(reviewer, "alice");
        assert_eq!(back, sample());
        assert_eq!(to_toml("alice", &back), text);
    }

    #[test]
    fn one_change_touches_only_that_records_lines() {
        let before = to_toml("alice", &sample());
        let mut changed = sample();
        changed.set_status(
            &RecordId::new("h0940cb59c3bc"),
            "[2023] To compare",
            Some(Status::Maybe),
            at("2026-11-24T11:00:00Z"),
        );
        let after = to_toml("alice", &changed);
        let differing: Vec<(&str, &str)> = before
            .lines()
            .zip(after.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(
            differing,
            [
                ("status = \"exclude\"", "status = \"maybe\""),
                (
                    "decided = 2026-11-24T10:00:00Z",
                    "decided = 2026-11-24T11:00:00Z"
                )
            ]
        );
    }

    #[test]
    fn duplicate_corrections_are_kept_sorted_after_the_records() {
        let mut d = sample();
        d.mark_different(&RecordId::new("hb"), &RecordId::new("ha"));
        d.mark_same(&RecordId::new("h2"), &RecordId::new("10.1/z"));
        d.mark_different(&RecordId::new("hc"), &RecordId::new("ha"));
        let text = to_toml("alice", &d);
        let tail = "\n[duplicates.same]\n\"10.1/z\" = [\"h2\"]\n\n[duplicates.different]\nha = [\n    \"hb\",\n    \"hc\",\n]\n";
        assert!(text.ends_with(tail), "{text}");
        let (_, back) = from_toml(Path::new("a.toml"), &text).unwrap();
        assert_eq!(back, d);
        assert!(
            !to_toml("alice", &sample()).contains("[duplicates]"),
            "absent when there are none"
        );
    }

    #[test]
    fn notes_with_newlines_and_quotes_survive() {
        let mut d = Decisions::default();
        let id = RecordId::new("x");
        d.update(&id, "T", at("2026-01-01T00:00:00Z"), |e| {
            e.note = "line 1\n\"quoted\" '''\nend".to_string()
        });
        let text = to_toml("bob", &d);
        assert_eq!(from_toml(Path::new("b.toml"), &text).unwrap().1, d);
    }

    #[test]
    fn broken_files_are_located_and_not_overwritten_by_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.toml");
        let broken = "format = 1\nreviewer = \"alice\"\n[records.x]\nstatus = \"include\"\ndecided = 2026-01-01T00:00:00Z\ntitle = 3\n";
        std::fs::write(&path, broken).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(
            err.contains("alice.toml:6:9: invalid type: integer `3`, expected a string"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
        let unknown = "format = 1\nreviewer = \"a\"\n[records.x]\ntitle = \"t\"\nstatus = \"yes\"\ndecided = 2026-01-01T00:00:00Z\n";
        std::fs::write(&path, unknown).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(
            err.contains("alice.toml:5:10: unknown variant `yes`"),
            "{err}"
        );
    }

    #[test]
    fn missing_file_is_empty_and_save_creates_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("screening/alice.toml");
        assert!(load(&path).unwrap().is_empty());
        save(&path, "alice", &sample()).unwrap();
        assert_eq!(load(&path).unwrap(), sample());
    }
}
