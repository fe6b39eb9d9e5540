//! Narrowing the list of studies: by decision, theme, reason, note, abstract or source file.
//! Options within one kind widen (included *or* maybe); kinds narrow (excluded *and* for
//! reason X).

use std::collections::BTreeSet;
use std::fmt;

use crate::decisions::{Decision, Status};
use crate::record::Record;

/// A decision state to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusFilter {
    /// No decision yet.
    Undecided,
    /// Included.
    Included,
    /// Excluded.
    Excluded,
    /// Maybe.
    Maybe,
}

impl StatusFilter {
    /// Every state, in menu order.
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::Undecided,
        StatusFilter::Included,
        StatusFilter::Excluded,
        StatusFilter::Maybe,
    ];

    fn accepts(self, status: Option<Status>) -> bool {
        matches!(
            (self, status),
            (StatusFilter::Undecided, None)
                | (StatusFilter::Included, Some(Status::Include))
                | (StatusFilter::Excluded, Some(Status::Exclude))
                | (StatusFilter::Maybe, Some(Status::Maybe))
        )
    }
}

impl fmt::Display for StatusFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StatusFilter::Undecided => "undecided",
            StatusFilter::Included => "included",
            StatusFilter::Excluded => "excluded",
            StatusFilter::Maybe => "maybe",
        })
    }
}

/// The active filter; empty lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Decision states allowed (any of them).
    pub statuses: BTreeSet<StatusFilter>,
    /// Themes (any of them).
    pub themes: BTreeSet<String>,
    /// Exclusion reasons (any of them).
    pub reasons: BTreeSet<String>,
    /// Only studies with a note.
    pub has_note: bool,
    /// Only studies with an abstract.
    pub has_abstract: bool,
    /// Source files (a study found in any of them).
    pub files: BTreeSet<String>,
}

impl Filter {
    /// Whether the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        // Field by field: comparing with a default filter made and dropped one per study,
        // most of listing the results of a broad search at 100,000 records.
        let Self {
            statuses,
            themes,
            reasons,
            has_note,
            has_abstract,
            files,
        } = self;
        statuses.is_empty()
            && themes.is_empty()
            && reasons.is_empty()
            && !has_note
            && !has_abstract
            && files.is_empty()
    }

    /// Whether a study passes: its record (for a duplicated study, its merged record), the
    /// files its records come from, and the reviewer's decision on it.
    pub fn accepts<'a>(
        &self,
        record: &Record,
        files: impl IntoIterator<Item = &'a str>,
        decision: Option<&Decision>,
    ) -> bool {
        let status = decision.and_then(|d| d.status);
        let has = |set: &BTreeSet<String>, values: Option<&Vec<String>>| {
            set.is_empty() || values.is_some_and(|v| v.iter().any(|x| set.contains(x)))
        };
        (self.statuses.is_empty() || self.statuses.iter().any(|s| s.accepts(status)))
            && has(&self.themes, decision.map(|d| &d.themes))
            && has(&self.reasons, decision.map(|d| &d.reasons))
            && (!self.has_note || decision.is_some_and(|d| !d.note.is_empty()))
            && (!self.has_abstract || !record.sections.is_empty())
            && (self.files.is_empty() || files.into_iter().any(|f| self.files.contains(f)))
    }
}

impl fmt::Display for Filter {
    /// The filter as the status bar shows it: `excluded+maybe · theme: x · has note`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if !self.statuses.is_empty() {
            parts.push(
                self.statuses
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("+"),
            );
        }
        for (label, set) in [
            ("theme", &self.themes),
            ("reason", &self.reasons),
            ("file", &self.files),
        ] {
            if !set.is_empty() {
                parts.push(format!(
                    "{label}: {}",
                    set.iter().cloned().collect::<Vec<_>>().join("+")
                ));
            }
        }
        if self.has_note {
            parts.push("has note".into());
        }
        if self.has_abstract {
            parts.push("has abstract".into());
        }
        f.write_str(&parts.join(" · "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{RecordId, Section, Source};

    fn record(with_abstract: bool) -> Record {
        Record {
            id: RecordId::new("r"),
            title: "T".into(),
            sections: if with_abstract {
                vec![Section {
                    label: None,
                    text: "x".into(),
                }]
                .into()
            } else {
                Default::default()
            },
            source: Source {
                file: "a.ris".into(),
                line: 1,
                ..Source::default()
            },
            ..Record::default()
        }
    }

    fn decision(status: Option<Status>, reasons: &[&str], themes: &[&str], note: &str) -> Decision {
        Decision {
            status,
            reasons: reasons.iter().map(|s| s.to_string()).collect(),
            themes: themes.iter().map(|s| s.to_string()).collect(),
            note: note.into(),
            title: String::new(),
            decided_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_filter_with_any_option_is_not_empty() {
        assert!(Filter::default().is_empty());
        let one = |f: fn(&mut Filter)| {
            let mut filter = Filter::default();
            f(&mut filter);
            filter
        };
        let each = [
            one(|f| _ = f.statuses.insert(StatusFilter::Undecided)),
            one(|f| _ = f.themes.insert("equity".into())),
            one(|f| _ = f.reasons.insert("wrong setting".into())),
            one(|f| f.has_note = true),
            one(|f| f.has_abstract = true),
            one(|f| _ = f.files.insert("a.ris".into())),
        ];
        for filter in each {
            assert!(!filter.is_empty(), "{filter:?}");
        }
    }

    #[test]
    fn options_of_one_kind_widen_kinds_narrow() {
        let mut f = Filter::default();
        assert!(f.accepts(&record(false), ["a.ris"], None));
        f.statuses = [StatusFilter::Excluded, StatusFilter::Maybe].into();
        let excluded = decision(Some(Status::Exclude), &["wrong setting"], &[], "");
        let maybe = decision(Some(Status::Maybe), &[], &["equity"], "");
        assert!(f.accepts(&record(true), ["a.ris"], Some(&excluded)));
        assert!(f.accepts(&record(true), ["a.ris"], Some(&maybe)));
        assert!(!f.accepts(&record(true), ["a.ris"], None));
        f.reasons = ["wrong setting".to_string()].into();
        assert!(f.accepts(&record(true), ["a.ris"], Some(&excluded)));
        assert!(
            !f.accepts(&record(true), ["a.ris"], Some(&maybe)),
            "maybe has no such reason"
        );
        assert_eq!(f.to_string(), "excluded+maybe · reason: wrong setting");
    }

    #[test]
    fn undecided_notes_abstracts_and_files() {
        let f = Filter {
            statuses: [StatusFilter::Undecided].into(),
            ..Filter::default()
        };
        assert!(f.accepts(&record(true), ["a.ris"], None));
        assert!(
            f.accepts(
                &record(true),
                ["a.ris"],
                Some(&decision(None, &[], &["x"], ""))
            ),
            "themes only: still undecided"
        );
        let f = Filter {
            has_note: true,
            has_abstract: true,
            files: ["b.ris".to_string()].into(),
            ..Filter::default()
        };
        let noted = decision(None, &[], &[], "read later");
        assert!(f.accepts(&record(true), ["a.ris", "b.ris"], Some(&noted)));
        assert!(
            !f.accepts(&record(false), ["b.ris"], Some(&noted)),
            "no abstract"
        );
        assert!(
            !f.accepts(&record(true), ["a.ris"], Some(&noted)),
            "not in b.ris"
        );
        assert_eq!(f.to_string(), "file: b.ris · has note · has abstract");
    }
}
