//! Screening progress a reviewer (or a report) wants: counts per decision, reason and theme, and
//! the pace read from decision timestamps — decisions per hour, median seconds per decision,
//! and the time the rest will take at that pace.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::decisions::{Decisions, Status};
use crate::record::RecordId;

/// A gap between two decisions longer than this is a break, not screening time.
pub const BREAK_SECONDS: i64 = 10 * 60;

/// Counts over a set of studies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Studies considered.
    pub studies: usize,
    /// Studies per verdict.
    pub by_status: BTreeMap<Status, usize>,
    /// Excluded studies per reason (a study can have several).
    pub by_reason: BTreeMap<String, usize>,
    /// Studies per theme.
    pub by_theme: BTreeMap<String, usize>,
    /// Studies with a note.
    pub with_note: usize,
}

impl Tally {
    /// Counts `decisions` over the studies `ids`.
    pub fn of<'a>(decisions: &Decisions, ids: impl Iterator<Item = &'a RecordId>) -> Self {
        let mut tally = Tally::default();
        for id in ids {
            tally.studies += 1;
            let Some(decision) = decisions.get(id) else {
                continue;
            };
            if let Some(status) = decision.status {
                *tally.by_status.entry(status).or_default() += 1;
            }
            for reason in &decision.reasons {
                *tally.by_reason.entry(reason.clone()).or_default() += 1;
            }
            for theme in &decision.themes {
                *tally.by_theme.entry(theme.clone()).or_default() += 1;
            }
            tally.with_note += usize::from(!decision.note.is_empty());
        }
        tally
    }

    /// Studies with a verdict.
    pub fn screened(&self) -> usize {
        self.by_status.values().sum()
    }
}

/// How fast screening goes, from when decisions were made.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pace {
    /// Gaps between consecutive decisions counted as screening (breaks left out).
    pub intervals: usize,
    /// Screening time: the sum of those gaps, in seconds.
    pub active_seconds: i64,
    /// Median gap, in seconds: the typical time one decision takes.
    pub median_seconds: Option<f64>,
    /// Decisions per hour of screening time.
    pub per_hour: Option<f64>,
}

impl Pace {
    /// The pace of decisions made at `times` (any order).
    pub fn of(times: impl Iterator<Item = Timestamp>) -> Self {
        let mut times: Vec<Timestamp> = times.collect();
        times.sort();
        let mut gaps: Vec<i64> = times
            .windows(2)
            .map(|w| w[1].as_second() - w[0].as_second())
            .filter(|&g| g <= BREAK_SECONDS)
            .collect();
        gaps.sort_unstable();
        let active_seconds: i64 = gaps.iter().sum();
        let median_seconds = match gaps.len() {
            0 => None,
            n if n % 2 == 1 => Some(gaps[n / 2] as f64),
            n => Some((gaps[n / 2 - 1] + gaps[n / 2]) as f64 / 2.0),
        };
        let per_hour =
            (active_seconds > 0).then(|| gaps.len() as f64 * 3600.0 / active_seconds as f64);
        Pace {
            intervals: gaps.len(),
            active_seconds,
            median_seconds,
            per_hour,
        }
    }

    /// Seconds `remaining` decisions will take at the median pace.
    pub fn remaining_seconds(&self, remaining: usize) -> Option<f64> {
        self.median_seconds.map(|m| m * remaining as f64)
    }
}

/// A duration as a person says it: `45 s`, `12 min`, `3 h 20 min`.
pub fn human_duration(seconds: f64) -> String {
    let seconds = seconds.round() as i64;
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", (s + 30) / 60),
        s => {
            let minutes = (s + 30) / 60;
            format!("{} h {} min", minutes / 60, minutes % 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    #[test]
    fn pace_skips_breaks_and_takes_the_median() {
        // Decisions at 0, 10, 30, 60 s, then a 1-hour break, then 3600+20 and +40 s.
        // Gaps: 10, 20, 30, (3540: a break), 20, 20 → counted 10, 20, 20, 20, 30.
        let pace = Pace::of([0, 10, 30, 60, 3600, 3620, 3640].into_iter().map(at));
        assert_eq!(pace.intervals, 5);
        assert_eq!(pace.active_seconds, 100);
        assert_eq!(pace.median_seconds, Some(20.0));
        assert_eq!(
            pace.per_hour,
            Some(180.0),
            "5 decisions in 100 s of screening"
        );
        assert_eq!(pace.remaining_seconds(90), Some(1800.0));
    }

    #[test]
    fn pace_of_too_few_decisions_is_unknown() {
        assert_eq!(Pace::of(std::iter::empty()).median_seconds, None);
        assert_eq!(Pace::of([at(5)].into_iter()).per_hour, None);
        let even = Pace::of([0, 10, 40].into_iter().map(at));
        assert_eq!(even.median_seconds, Some(20.0), "median of 10 and 30");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human_duration(42.4), "42 s");
        assert_eq!(human_duration(1800.0), "30 min");
        assert_eq!(human_duration(12_000.0), "3 h 20 min");
    }

    #[test]
    fn tally_counts_statuses_reasons_themes_and_notes() {
        let ids: Vec<RecordId> = (0..4).map(|i| RecordId::new(format!("r{i}"))).collect();
        let mut d = Decisions::default();
        d.exclude_for(&ids[0], "", vec!["a".into(), "b".into()], at(0));
        d.exclude_for(&ids[1], "", vec!["a".into()], at(1));
        d.set_status(&ids[2], "", Some(Status::Include), at(2));
        d.toggle_theme(&ids[2], "", "t", at(3));
        d.set_note(&ids[3], "", "later", at(4));
        let tally = Tally::of(&d, ids.iter());
        assert_eq!(
            (tally.studies, tally.screened(), tally.with_note),
            (4, 3, 1)
        );
        assert_eq!(
            tally.by_status,
            BTreeMap::from([(Status::Include, 1), (Status::Exclude, 2)])
        );
        assert_eq!(
            tally.by_reason,
            BTreeMap::from([("a".to_string(), 2), ("b".to_string(), 1)])
        );
        assert_eq!(tally.by_theme, BTreeMap::from([("t".to_string(), 1)]));
    }
}
