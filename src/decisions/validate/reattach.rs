//! Which study an orphaned decision was made on, found by its stored title: the rule is in
//! `docs/decisions-format.md` ("When the corpus changes").

use std::collections::HashMap;

use crate::decisions::Decisions;
use crate::dedup::Clusters;
use crate::record::{Record, RecordId};

/// Lowest similarity (normalised Levenshtein, 0–1, of normalised titles) for a title to be
/// proposed; the bar duplicate detection sets for "near-identical" titles. One typo in a
/// 30-character title passes (1 − 1/30 ≈ 0.97); `peer` changed to `nurse` in a 51-character
/// title does not (1 − 5/52 ≈ 0.90).
pub const MATCH_THRESHOLD: f64 = 0.93;

/// How much better the best study's title must score than the next study's for it to be
/// proposed: two near-identical titles are left to the reviewer.
pub const MATCH_MARGIN: f64 = 0.05;

/// A study an orphaned decision may have been made on.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The study's id: where the decision would go.
    pub study: RecordId,
    /// The study's record whose title matched best.
    pub record: RecordId,
    /// That record's display title.
    pub title: String,
    /// The similarity of the titles, 0–1.
    pub score: f64,
}

/// Where an orphaned decision could go.
#[derive(Debug, Clone, PartialEq)]
pub enum Reattach {
    /// No study's title is similar enough (or the decision stores no title).
    NoMatch,
    /// Two studies match about as well.
    Ambiguous {
        /// The best.
        best: Candidate,
        /// The next best, within the margin of it.
        runner_up: Candidate,
    },
    /// One study clearly matches, but the file already has a decision on it.
    Taken(Candidate),
    /// One study clearly matches, but so does it for another orphan of the file.
    Contested {
        /// The study.
        candidate: Candidate,
        /// The other orphan's id.
        other: RecordId,
    },
    /// One study clearly matches and is free: `--fix` moves the decision there.
    Proposed(Candidate),
}

/// Titles compared as lower-case letters and digits, one space between words, so
/// punctuation, case and spacing never count.
pub(super) fn normalise(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The best study for each orphaned decision of a file (its id and stored title), given what
/// else the file (`decisions`) holds.
pub(super) fn propose(
    records: &[Record],
    clusters: &Clusters,
    decisions: &Decisions,
    orphans: &[(&RecordId, &str)],
) -> Vec<Reattach> {
    if orphans.is_empty() {
        return Vec::new();
    }
    let index = TitleIndex::new(records);
    let mut found: Vec<Reattach> = orphans
        .iter()
        .map(|(_, title)| index.best(records, clusters, title))
        .collect();
    let studies: HashMap<&RecordId, usize> = clusters
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, i))
        .collect();
    let decided = |c: &Candidate| {
        studies.get(&c.study).is_some_and(|&s| {
            clusters.clusters[s]
                .members
                .iter()
                .any(|&m| decisions.get(&records[m].id).is_some())
        })
    };
    let mut claims: HashMap<RecordId, Vec<usize>> = HashMap::new();
    for (i, reattach) in found.iter_mut().enumerate() {
        if let Reattach::Proposed(c) = reattach {
            if decided(c) {
                *reattach = Reattach::Taken(c.clone());
            } else {
                claims.entry(c.study.clone()).or_default().push(i);
            }
        }
    }
    // A study claimed by several orphans goes to none of them: each names the next claimant
    // (the last, the first).
    for claimants in claims.into_values().filter(|c| c.len() > 1) {
        for (k, &i) in claimants.iter().enumerate() {
            let other = orphans[claimants[(k + 1) % claimants.len()]].0.clone();
            if let Reattach::Proposed(c) = &found[i] {
                found[i] = Reattach::Contested {
                    candidate: c.clone(),
                    other,
                };
            }
        }
    }
    found
}

/// Every record's normalised titles (display title, and the title itself when it differs).
struct TitleIndex {
    titles: Vec<(usize, Title)>,
}

/// A normalised title with what bounds its distance to another cheaply.
struct Title {
    text: String,
    /// Length in characters.
    chars: usize,
    /// Characters counted by kind: `a`–`z`, `0`–`9`, space, anything else.
    counts: [u16; 38],
}

impl Title {
    fn new(text: String) -> Self {
        let mut counts = [0u16; 38];
        let mut chars = 0;
        for c in text.chars() {
            chars += 1;
            let slot = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + c as usize - '0' as usize,
                ' ' => 36,
                _ => 37,
            };
            counts[slot] = counts[slot].saturating_add(1);
        }
        Self {
            text,
            chars,
            counts,
        }
    }

    /// An upper bound of the normalised Levenshtein similarity of two titles: every edit
    /// removes at most one character's surplus on each side, so the distance is at least the
    /// larger surplus of either title's characters over the other's.
    fn similarity_bound(&self, other: &Title) -> f64 {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.counts.iter().zip(&other.counts) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        1.0 - more.max(fewer) as f64 / self.chars.max(other.chars) as f64
    }
}

/// [`Title::similarity_bound`] of two normalised titles.
#[cfg(test)]
pub(super) fn similarity_bound(a: &str, b: &str) -> f64 {
    Title::new(a.to_string()).similarity_bound(&Title::new(b.to_string()))
}

impl TitleIndex {
    fn new(records: &[Record]) -> Self {
        let mut titles = Vec::new();
        for (i, record) in records.iter().enumerate() {
            let shown = normalise(&record.display_title());
            let own = normalise(&record.title);
            if !own.is_empty() && own != shown {
                titles.push((i, Title::new(own)));
            }
            if !shown.is_empty() {
                titles.push((i, Title::new(shown)));
            }
        }
        Self { titles }
    }

    fn best(&self, records: &[Record], clusters: &Clusters, title: &str) -> Reattach {
        let wanted = Title::new(normalise(title));
        if wanted.chars == 0 {
            return Reattach::NoMatch;
        }
        // Best score and record per study that could matter (within the margin of the
        // threshold); titles that cannot reach it are skipped on their character counts.
        let floor = MATCH_THRESHOLD - MATCH_MARGIN;
        let mut by_study: HashMap<usize, (f64, usize)> = HashMap::new();
        for (i, other) in &self.titles {
            if wanted.similarity_bound(other) < floor {
                continue;
            }
            let score = strsim::normalized_levenshtein(&wanted.text, &other.text);
            if score < floor {
                continue;
            }
            let study = clusters.of_record[*i];
            let entry = by_study.entry(study).or_insert((score, *i));
            if score > entry.0 {
                *entry = (score, *i);
            }
        }
        let mut ranked: Vec<(f64, usize)> = by_study.into_values().collect();
        ranked.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| records[a.1].id.cmp(&records[b.1].id))
        });
        let candidate = |(score, i): (f64, usize)| Candidate {
            study: clusters.of(i).id.clone(),
            record: records[i].id.clone(),
            title: records[i].display_title(),
            score,
        };
        match ranked.as_slice() {
            [] => Reattach::NoMatch,
            [best, ..] if best.0 < MATCH_THRESHOLD => Reattach::NoMatch,
            [best, next, ..] if best.0 - next.0 < MATCH_MARGIN => Reattach::Ambiguous {
                best: candidate(*best),
                runner_up: candidate(*next),
            },
            [best, ..] => Reattach::Proposed(candidate(*best)),
        }
    }
}
