//! The other reviewers of the review, as the screening view may show them: hidden while the
//! review is screened blind (review.toml `blind = true`, the default), else on request.

use super::app::App;
use crate::agreement::{Scheme, Study, report};
use crate::decisions::Decision;
use crate::team::{self, ReviewerFile};

/// What the session knows of the rest of the team.
#[derive(Debug, Clone, Default)]
pub struct Team {
    /// The other reviewers' files, as last read.
    pub others: Vec<ReviewerFile>,
    /// Whether their decisions are shown beside the reviewer's own.
    pub shown: bool,
    /// Agreement lines for the summary, worked out when it opens.
    pub agreement: Vec<String>,
}

impl App {
    /// Shows or hides the other reviewers' decisions, when the review is not screened blind.
    pub(super) fn toggle_others(&mut self) {
        if self.review.blind {
            self.say(
                "Screening is blind (review.toml: blind = true): others' decisions show in \
                 `abstriage reconcile`.",
            );
            return;
        }
        if self.team.shown {
            self.team.shown = false;
            self.say("Others' decisions hidden.");
            return;
        }
        match self.load_others() {
            Ok(0) => self.say("No other reviewer has a decisions file in screening/ yet."),
            Ok(n) => {
                self.team.shown = true;
                self.say(format!("Showing the decisions of {n} other reviewer(s)."));
            }
            Err(e) => self.complain(format!("Cannot read the team's files: {e}")),
        }
    }

    /// Reads the other reviewers' files again; returns how many there are.
    fn load_others(&mut self) -> Result<usize, crate::decisions::file::DecisionsError> {
        let own = self.decisions_path.clone();
        let mut others = team::load_reviewers(&self.corpus.root)?;
        others.retain(|r| r.path != own && r.name != self.reviewer);
        self.team.others = others;
        Ok(self.team.others.len())
    }

    /// The other reviewers' decisions on the selected study, when shown.
    pub fn others_on_study(&self) -> Vec<(String, Option<Decision>)> {
        if !self.team.shown || self.review.blind {
            return Vec::new();
        }
        let (Some(study), Some(&c)) = (self.current(), self.rows.get(self.cursor)) else {
            return Vec::new();
        };
        let members: Vec<_> = self.clusters.clusters[c]
            .members
            .iter()
            .map(|&i| self.corpus.records[i].id.clone())
            .collect();
        self.team
            .others
            .iter()
            .map(|r| {
                let decision = r.decisions.for_study(&study.id, members.iter()).cloned();
                (r.name.clone(), decision)
            })
            .collect()
    }

    /// One line per pair of reviewers for the summary, or why there is none.
    pub fn agreement_lines(&mut self) -> Vec<String> {
        if self.review.blind {
            return vec!["hidden while screening is blind (review.toml: blind = true)".into()];
        }
        if let Err(e) = self.load_others() {
            return vec![format!("cannot read the team's files: {e}")];
        }
        if self.team.others.is_empty() {
            return vec!["no other reviewer has a decisions file in screening/ yet".into()];
        }
        let mut everyone = self.team.others.clone();
        everyone.push(ReviewerFile {
            name: self.reviewer.clone(),
            path: self.decisions_path.clone(),
            decisions: self.decisions.clone(),
        });
        let studies = Study::all(&self.corpus.records, &self.clusters);
        report::for_team(&everyone, &studies, Scheme::ThreeWay)
            .iter()
            .map(|pair| {
                let [a, b] = &pair.reviewers;
                format!("{a} × {b}: {}", report::headline(pair))
            })
            .collect()
    }
}
