//! Three-way merge of a decisions file changed on disk while a session had it open (`git pull`,
//! a script running `abstriage mark`, another tool): what the session last read or wrote is the
//! base, the session's state is ours, the file is theirs. Nothing either side changed is lost.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::SystemTime;

use super::{Decision, Decisions};
use crate::dedup::Overrides;
use crate::record::RecordId;

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The decisions to keep (and write, when they differ from the file).
    pub decisions: Decisions,
    /// Studies whose entry came from the file.
    pub from_disk: usize,
    /// Studies changed on both sides differently; the later change was kept.
    pub both_changed: Vec<RecordId>,
}

/// Merges `theirs` (the file now) and `ours` (the session) given `base` (the file as the session
/// last saw it). Per study: a side that did not change it yields to the side that did; when
/// both changed it differently, the later decision wins (ours on a tie). Duplicate corrections
/// merge the same way as a whole, or as a union when both sides changed them.
pub fn three_way(base: &Decisions, ours: &Decisions, theirs: &Decisions) -> Merged {
    let ids: BTreeSet<&RecordId> = base
        .entries
        .keys()
        .chain(ours.entries.keys())
        .chain(theirs.entries.keys())
        .collect();
    let mut merged = Decisions::default();
    let (mut from_disk, mut both_changed) = (0, Vec::new());
    for id in ids {
        let (b, o, t) = (base.get(id), ours.get(id), theirs.get(id));
        let kept: Option<&Decision> = if o == t || t == b {
            o
        } else if o == b {
            from_disk += 1;
            t
        } else {
            both_changed.push(id.clone());
            match (o, t) {
                (Some(o), Some(t)) if t.decided_at > o.decided_at => Some(t),
                (Some(o), _) => Some(o),
                (None, t) => t,
            }
        };
        if let Some(decision) = kept {
            merged.entries.insert(id.clone(), decision.clone());
        }
    }
    merged.duplicates = merge_overrides(&base.duplicates, &ours.duplicates, &theirs.duplicates);
    Merged {
        decisions: merged,
        from_disk,
        both_changed,
    }
}

fn merge_overrides(base: &Overrides, ours: &Overrides, theirs: &Overrides) -> Overrides {
    if ours == base {
        return theirs.clone();
    }
    if theirs == base || theirs == ours {
        return ours.clone();
    }
    let mut union = ours.clone();
    union.same.extend(theirs.same.iter().cloned());
    union.different.extend(
        theirs
            .different
            .iter()
            .filter(|pair| !ours.same.contains(*pair))
            .cloned(),
    );
    union.same.retain(|pair| !ours.different.contains(pair));
    union
}

/// What identifies a version of a file cheaply: its modification time and length. Checked every
/// second; the content is read and compared only when this changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl FileStamp {
    /// The stamp of `path` now, `None` when there is no file.
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::Status;

    fn at(minute: u32) -> jiff::Timestamp {
        format!("2026-11-24T10:{minute:02}:00Z").parse().unwrap()
    }

    fn with(entries: &[(&str, Status, u32)]) -> Decisions {
        let mut d = Decisions::default();
        for (id, status, minute) in entries {
            d.set_status(&RecordId::new(*id), id, Some(*status), at(*minute));
        }
        d
    }

    #[test]
    fn each_side_keeps_what_only_it_changed() {
        use Status::*;
        let base = with(&[("a", Include, 0), ("b", Include, 0), ("c", Include, 0)]);
        // Ours: decided d, changed a. Theirs (pulled): decided e, changed b, removed c.
        let ours = with(&[
            ("a", Exclude, 5),
            ("b", Include, 0),
            ("c", Include, 0),
            ("d", Maybe, 6),
        ]);
        let theirs = with(&[("a", Include, 0), ("b", Maybe, 3), ("e", Exclude, 4)]);
        let merged = three_way(&base, &ours, &theirs);
        let d = &merged.decisions;
        assert_eq!(d.status(&RecordId::new("a")), Some(Exclude));
        assert_eq!(d.status(&RecordId::new("b")), Some(Maybe));
        assert_eq!(
            d.status(&RecordId::new("c")),
            None,
            "removed there, untouched here"
        );
        assert_eq!(d.status(&RecordId::new("d")), Some(Maybe));
        assert_eq!(d.status(&RecordId::new("e")), Some(Exclude));
        assert_eq!(merged.from_disk, 3, "b, c and e");
        assert!(merged.both_changed.is_empty());
    }

    #[test]
    fn both_changed_keeps_the_later_and_reports_it() {
        use Status::*;
        let base = with(&[("a", Include, 0), ("b", Include, 0)]);
        let ours = with(&[("a", Exclude, 9), ("b", Exclude, 1)]);
        let theirs = with(&[("a", Maybe, 2), ("b", Maybe, 8)]);
        let merged = three_way(&base, &ours, &theirs);
        assert_eq!(merged.decisions.status(&RecordId::new("a")), Some(Exclude));
        assert_eq!(merged.decisions.status(&RecordId::new("b")), Some(Maybe));
        assert_eq!(
            merged.both_changed,
            [RecordId::new("a"), RecordId::new("b")]
        );
    }

    #[test]
    fn nothing_changed_on_disk_is_ours() {
        let base = with(&[("a", Status::Include, 0)]);
        let ours = with(&[("a", Status::Exclude, 1)]);
        let merged = three_way(&base, &ours, &base);
        assert_eq!(merged.decisions, ours);
        assert_eq!(merged.from_disk, 0);
    }
}
