//! Inter-rater agreement between two reviewers' screening decisions, as systematic reviews
//! report it: how many studies both screened, observed agreement, Cohen's kappa with a 95%
//! confidence interval, PABAK, the contingency table, and agreement on exclusion reasons and
//! themes.
//!
//! # Categories
//!
//! [`Scheme::ThreeWay`] keeps include, exclude and maybe as three categories.
//! [`Scheme::MaybeAsInclude`] folds maybe into include, so the two categories are "excluded" and
//! "not excluded": in most protocols maybe means "not excluded at title/abstract stage, read the
//! full text", and reviews usually report the two-category kappa. The caller chooses; there is no
//! default.
//!
//! The table always has every category of the scheme (a category nobody used is a row and a
//! column of zeros). Such a row and column add nothing to `p_o`, `p_e` or any term of the
//! standard error, so kappa and its interval are the same as over the categories actually used.
//!
//! # Formulas
//!
//! With `n` studies both reviewers screened, `p_ij` the proportion the first reviewer put in
//! category `i` and the second in `j`, `p_i.` and `p_.j` the row and column proportions:
//!
//! - observed agreement `p_o = Σ p_ii`; `percent_agreement = 100·p_o`;
//! - chance agreement `p_e = Σ p_i.·p_.i`;
//! - Cohen's kappa `κ = (p_o − p_e) / (1 − p_e)` (Cohen 1960, *Educ Psychol Meas* 20:37–46);
//!   undefined when `n = 0` or `p_e = 1`, which happens exactly when both reviewers put every
//!   study in one and the same category ([`KappaUndefined`]);
//! - its large-sample standard error, Fleiss, Cohen & Everitt 1969 (*Psychol Bull*
//!   72(5):323–327; the "ASE" of SAS PROC FREQ and of Fleiss, Levin & Paik 2003, ch. 18):
//!
//!   ```text
//!   A  = Σ_i p_ii · [1 − (p_i. + p_.i)(1 − κ)]²
//!   B  = (1 − κ)² · Σ_{i≠j} p_ij · (p_.i + p_j.)²
//!   C  = [κ − p_e(1 − κ)]²
//!   SE = √((A + B − C) / (n · (1 − p_e)²))
//!   ```
//!
//!   not Cohen's (1960) simpler `√(p_o(1 − p_o) / (n(1 − p_e)²))`, which ignores the sampling
//!   error of the margins. `A + B − C` is a variance and is floored at 0 against rounding;
//! - the 95% interval `κ ± 1.959964·SE` (1.959964 = Φ⁻¹(0.975)), clipped to [−1, 1], the range
//!   kappa can take. Under perfect agreement `SE = 0` and the interval is `[1, 1]`: the
//!   large-sample formula says nothing about small samples, which is for the reader to weigh;
//! - PABAK, the prevalence- and bias-adjusted kappa of Byrt, Bishop & Carlin 1993 (*J Clin
//!   Epidemiol* 46(5):423–429), `2p_o − 1` for two categories and `(k·p_o − 1)/(k − 1)` for `k`,
//!   which is Brennan & Prediger's (1981) free-marginal kappa: chance agreement taken as `1/k`.
//!   `k` is the number of categories the scheme offers reviewers (3 or 2), used or not, since
//!   that is what a reviewer choosing at random would choose among.
//!
//! Agreement on a label (an exclusion reason, a theme) is the proportion of specific positive
//! agreement `2a / (2a + b + c)` (Fleiss 1975, *Biometrics* 31:651–659; Cicchetti & Feinstein
//! 1990, *J Clin Epidemiol* 43(6):551–558), with `a` the studies both reviewers gave the label,
//! `b` and `c` those only the first or only the second gave it. It leaves out the studies neither
//! gave it, which for a rarely used label would swamp any other measure. Reasons are compared
//! over the studies both reviewers excluded, themes over the studies both tagged with at least
//! one theme (whatever their status); labels are compared as written.

pub mod report;

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::decisions::{Decision, Decisions, Status};
use crate::dedup::Clusters;
use crate::record::{Record, RecordId};

/// Φ⁻¹(0.975): the normal quantile of a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// How screening statuses map onto the categories kappa compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Include, exclude and maybe are three categories.
    ThreeWay,
    /// Maybe counts as include: the categories are "not excluded" and "excluded".
    MaybeAsInclude,
}

impl Scheme {
    /// The categories' names, in table order.
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Scheme::ThreeWay => &["include", "exclude", "maybe"],
            Scheme::MaybeAsInclude => &["include_or_maybe", "exclude"],
        }
    }

    /// The table row (or column) of a status.
    fn index(self, status: Status) -> usize {
        match (self, status) {
            (_, Status::Include) => 0,
            (_, Status::Exclude) => 1,
            (Scheme::ThreeWay, Status::Maybe) => 2,
            (Scheme::MaybeAsInclude, Status::Maybe) => 0,
        }
    }
}

/// A study to compare on: the id its decisions are stored under and the ids of all its records,
/// since a reviewer may have decided on a duplicate before it was found to be one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Study {
    /// The study's id (its cluster's).
    pub id: RecordId,
    /// Ids of the study's records (the study's own included or not).
    pub members: Vec<RecordId>,
}

impl From<RecordId> for Study {
    fn from(id: RecordId) -> Self {
        Self {
            members: vec![id.clone()],
            id,
        }
    }
}

impl Study {
    /// Every study of a corpus, with its records' ids, in cluster order.
    pub fn all(records: &[Record], clusters: &Clusters) -> Vec<Study> {
        clusters
            .clusters
            .iter()
            .map(|c| Study {
                id: c.id.clone(),
                members: c.members.iter().map(|&i| records[i].id.clone()).collect(),
            })
            .collect()
    }

    fn decision<'a>(&self, decisions: &'a Decisions) -> Option<&'a Decision> {
        decisions.for_study(&self.id, self.members.iter())
    }
}

/// A square contingency table: `counts[i][j]` studies the first reviewer put in category `i`
/// and the second in category `j`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Category names, for rows (first reviewer) and columns (second reviewer) alike.
    pub categories: Vec<String>,
    /// Counts, rows for the first reviewer.
    pub counts: Vec<Vec<usize>>,
}

/// A table that cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The table has `rows` rows where it has `categories` categories.
    #[error("{rows} rows, expected {categories} (one per category)")]
    Rows {
        /// The number of rows.
        rows: usize,
        /// The number of categories.
        categories: usize,
    },
    /// Row `row` has `len` cells where the table has `categories` categories.
    #[error("row {row} has {len} cells, expected {categories} (one per category)")]
    Cells {
        /// The row's index.
        row: usize,
        /// Its length.
        len: usize,
        /// The number of categories.
        categories: usize,
    },
}

impl Table {
    /// A table from its categories and counts (rows for the first reviewer), which must be
    /// square with one row and one column per category.
    pub fn new(categories: Vec<String>, counts: Vec<Vec<usize>>) -> Result<Self, TableError> {
        let k = categories.len();
        if counts.len() != k {
            return Err(TableError::Rows {
                rows: counts.len(),
                categories: k,
            });
        }
        if let Some((row, cells)) = counts.iter().enumerate().find(|(_, r)| r.len() != k) {
            return Err(TableError::Cells {
                row,
                len: cells.len(),
                categories: k,
            });
        }
        Ok(Self { categories, counts })
    }

    fn empty(scheme: Scheme) -> Self {
        let k = scheme.categories().len();
        Self {
            categories: scheme.categories().iter().map(|s| s.to_string()).collect(),
            counts: vec![vec![0; k]; k],
        }
    }

    /// The same table seen from the other reviewer.
    pub fn transposed(&self) -> Self {
        let k = self.categories.len();
        Self {
            categories: self.categories.clone(),
            counts: (0..k)
                .map(|i| (0..k).map(|j| self.counts[j][i]).collect())
                .collect(),
        }
    }

    /// Studies counted.
    pub fn n(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Observed agreement `p_o` (0–1); `None` when the table is empty.
    pub fn observed(&self) -> Option<f64> {
        let n = self.n();
        let agreed: usize = (0..self.counts.len()).map(|i| self.counts[i][i]).sum();
        (n > 0).then(|| agreed as f64 / n as f64)
    }

    /// Chance agreement `p_e = Σ p_i.·p_.i` (0–1); `None` when the table is empty.
    pub fn expected(&self) -> Option<f64> {
        let p = self.proportions()?;
        let (rows, cols) = margins(&p);
        Some(rows.iter().zip(&cols).map(|(r, c)| r * c).sum())
    }

    /// PABAK `(k·p_o − 1)/(k − 1)` with `k` the table's categories; `None` when the table is
    /// empty or has fewer than two categories.
    pub fn pabak(&self) -> Option<f64> {
        let k = self.categories.len() as f64;
        let p_o = self.observed()?;
        (self.categories.len() >= 2).then(|| (k * p_o - 1.0) / (k - 1.0))
    }

    /// Cohen's kappa with its Fleiss–Cohen–Everitt standard error and 95% interval (see the
    /// module documentation), or why it is undefined.
    pub fn kappa(&self) -> Result<Kappa, KappaUndefined> {
        let p = self.proportions().ok_or(KappaUndefined::NoStudies)?;
        let k = p.len();
        let (rows, cols) = margins(&p);
        let p_e: f64 = rows.iter().zip(&cols).map(|(r, c)| r * c).sum();
        // Kappa from the counts, κ = (n·agreed − Σ n_i.·n_.i) / (n² − Σ n_i.·n_.i), so that
        // perfect agreement gives exactly 1 and one category exactly 0/0, not rounding noise.
        let n = self.n();
        let agreed: usize = (0..k).map(|i| self.counts[i][i]).sum();
        let chance: i128 = (0..k)
            .map(|i| {
                let row: usize = self.counts[i].iter().sum();
                let col: usize = self.counts.iter().map(|r| r[i]).sum();
                row as i128 * col as i128
            })
            .sum();
        let (n2, agreed_n) = (n as i128 * n as i128, n as i128 * agreed as i128);
        if chance == n2 {
            // Σ n_i.·n_.i = n² only when one row and the same column hold every study.
            let only = (0..k).find(|&i| self.counts[i][i] == n).unwrap_or(0);
            return Err(KappaUndefined::OneCategory {
                category: self.categories[only].clone(),
            });
        }
        let kappa = (agreed_n - chance) as f64 / (n2 - chance) as f64;
        if agreed == n {
            // p_o = κ = 1: A = Σ p_ii = 1, B = 0, C = 1, so the variance is exactly 0.
            return Ok(Kappa {
                kappa,
                se: 0.0,
                ci: [1.0, 1.0],
            });
        }
        let q = 1.0 - kappa;
        let a: f64 = (0..k)
            .map(|i| p[i][i] * (1.0 - (rows[i] + cols[i]) * q).powi(2))
            .sum();
        let b: f64 = q.powi(2)
            * (0..k)
                .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
                .map(|(i, j)| p[i][j] * (cols[i] + rows[j]).powi(2))
                .sum::<f64>();
        let c = (kappa - p_e * q).powi(2);
        let variance = ((a + b - c) / (n as f64 * (1.0 - p_e).powi(2))).max(0.0);
        let se = variance.sqrt();
        let ci = [(kappa - Z_95 * se).max(-1.0), (kappa + Z_95 * se).min(1.0)];
        Ok(Kappa { kappa, se, ci })
    }

    fn proportions(&self) -> Option<Vec<Vec<f64>>> {
        let n = self.n();
        (n > 0).then(|| {
            self.counts
                .iter()
                .map(|row| row.iter().map(|&c| c as f64 / n as f64).collect())
                .collect()
        })
    }
}

/// Row and column proportions.
fn margins(p: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let k = p.len();
    let rows = p.iter().map(|r| r.iter().sum()).collect();
    let cols = (0..k).map(|j| p.iter().map(|r| r[j]).sum()).collect();
    (rows, cols)
}

/// Cohen's kappa and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kappa {
    /// κ.
    pub kappa: f64,
    /// Fleiss–Cohen–Everitt large-sample standard error.
    pub se: f64,
    /// `κ ± 1.96·SE`, clipped to [−1, 1].
    pub ci: [f64; 2],
}

/// Why kappa cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KappaUndefined {
    /// No study was screened by both reviewers.
    NoStudies,
    /// Both reviewers put every study in `category`: chance agreement is 1, kappa is 0/0.
    OneCategory {
        /// The only category used.
        category: String,
    },
}

impl fmt::Display for KappaUndefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KappaUndefined::NoStudies => f.write_str("no study was screened by both reviewers"),
            KappaUndefined::OneCategory { category } => write!(
                f,
                "both reviewers put every study in `{category}`, so agreement expected by \
                 chance is 1 and kappa is 0/0"
            ),
        }
    }
}

impl Serialize for KappaUndefined {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Agreement on one label (an exclusion reason or a theme).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelAgreement {
    /// The label as written.
    pub label: String,
    /// Studies the first reviewer gave it.
    pub first: usize,
    /// Studies the second reviewer gave it.
    pub second: usize,
    /// Studies both gave it.
    pub both: usize,
    /// `2·both / (first + second)`; every listed label was given at least once, so it is
    /// defined.
    pub positive_agreement: f64,
}

/// Agreement on the labels of a set of studies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelsAgreement {
    /// Studies compared: those both reviewers excluded (reasons) or tagged (themes).
    pub studies: usize,
    /// Every label either reviewer gave one of those studies, sorted.
    pub labels: Vec<LabelAgreement>,
}

impl LabelsAgreement {
    /// Compares the label sets the two reviewers gave each study.
    fn of<'a>(pairs: impl Iterator<Item = (&'a [String], &'a [String])>) -> Self {
        let mut studies = 0;
        let mut tally: std::collections::BTreeMap<&str, [usize; 3]> = Default::default();
        for (first, second) in pairs {
            studies += 1;
            let first: BTreeSet<&str> = first.iter().map(String::as_str).collect();
            let second: BTreeSet<&str> = second.iter().map(String::as_str).collect();
            for label in first.union(&second) {
                let t = tally.entry(label).or_default();
                let (in_first, in_second) = (first.contains(label), second.contains(label));
                t[0] += usize::from(in_first);
                t[1] += usize::from(in_second);
                t[2] += usize::from(in_first && in_second);
            }
        }
        let labels = tally
            .into_iter()
            .map(|(label, [first, second, both])| LabelAgreement {
                label: label.to_string(),
                first,
                second,
                both,
                positive_agreement: 2.0 * both as f64 / (first + second) as f64,
            })
            .collect();
        Self { studies, labels }
    }

    fn swapped(&self) -> Self {
        Self {
            studies: self.studies,
            labels: self
                .labels
                .iter()
                .map(|l| LabelAgreement {
                    first: l.second,
                    second: l.first,
                    ..l.clone()
                })
                .collect(),
        }
    }
}

/// Everything reported about one pair of reviewers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairAgreement {
    /// The two reviewers: rows of the table are the first's, columns the second's.
    pub reviewers: [String; 2],
    /// How statuses were mapped onto categories.
    pub scheme: Scheme,
    /// Studies considered.
    pub studies: usize,
    /// Of those, how many each reviewer screened (gave a status).
    pub screened: [usize; 2],
    /// Studies both screened: the `n` of every statistic below.
    pub n: usize,
    /// `100·p_o`; `None` when `n = 0`.
    pub percent_agreement: Option<f64>,
    /// `p_e`, the agreement expected by chance (0–1); `None` when `n = 0`.
    pub expected_agreement: Option<f64>,
    /// Cohen's kappa; `None` when undefined (see `kappa_undefined`).
    pub kappa: Option<f64>,
    /// Its Fleiss–Cohen–Everitt standard error.
    pub kappa_se: Option<f64>,
    /// Its 95% confidence interval, clipped to [−1, 1].
    pub kappa_ci: Option<[f64; 2]>,
    /// Why kappa is undefined, when it is.
    pub kappa_undefined: Option<KappaUndefined>,
    /// Prevalence- and bias-adjusted kappa over the scheme's categories; `None` when `n = 0`.
    pub pabak: Option<f64>,
    /// The contingency table.
    pub table: Table,
    /// Agreement on exclusion reasons, over the studies both excluded.
    pub reasons: LabelsAgreement,
    /// Agreement on themes, over the studies both tagged.
    pub themes: LabelsAgreement,
}

impl PairAgreement {
    /// The same comparison with the reviewers' order swapped: the table transposed and each
    /// label's counts exchanged, every statistic unchanged.
    pub fn swapped(&self) -> Self {
        let [a, b] = self.reviewers.clone();
        let [sa, sb] = self.screened;
        Self {
            reviewers: [b, a],
            screened: [sb, sa],
            table: self.table.transposed(),
            reasons: self.reasons.swapped(),
            themes: self.themes.swapped(),
            ..self.clone()
        }
    }
}

/// Compares two reviewers over `studies`. A study counts towards `n` only when both gave it a
/// status; decisions stored under any of a study's records count as the study's.
pub fn compare(
    first: (&str, &Decisions),
    second: (&str, &Decisions),
    studies: &[Study],
    scheme: Scheme,
) -> PairAgreement {
    let decided: Vec<(Option<&Decision>, Option<&Decision>)> = studies
        .iter()
        .map(|s| (s.decision(first.1), s.decision(second.1)))
        .collect();
    let status = |d: Option<&Decision>| d.and_then(|d| d.status);
    let mut table = Table::empty(scheme);
    for (a, b) in &decided {
        if let (Some(a), Some(b)) = (status(*a), status(*b)) {
            table.counts[scheme.index(a)][scheme.index(b)] += 1;
        }
    }
    let screened = [
        decided.iter().filter(|(a, _)| status(*a).is_some()).count(),
        decided.iter().filter(|(_, b)| status(*b).is_some()).count(),
    ];
    let both = || {
        decided
            .iter()
            .filter_map(|(a, b)| Some((a.as_ref()?, b.as_ref()?)))
    };
    let reasons = LabelsAgreement::of(
        both()
            .filter(|(a, b)| a.status == Some(Status::Exclude) && b.status == Some(Status::Exclude))
            .map(|(a, b)| (a.reasons.as_slice(), b.reasons.as_slice())),
    );
    let themes = LabelsAgreement::of(
        both()
            .filter(|(a, b)| !a.themes.is_empty() && !b.themes.is_empty())
            .map(|(a, b)| (a.themes.as_slice(), b.themes.as_slice())),
    );
    let kappa = table.kappa();
    PairAgreement {
        reviewers: [first.0.to_string(), second.0.to_string()],
        scheme,
        studies: studies.len(),
        screened,
        n: table.n(),
        percent_agreement: table.observed().map(|p| 100.0 * p),
        expected_agreement: table.expected(),
        kappa: kappa.as_ref().ok().map(|k| k.kappa),
        kappa_se: kappa.as_ref().ok().map(|k| k.se),
        kappa_ci: kappa.as_ref().ok().map(|k| k.ci),
        kappa_undefined: kappa.err(),
        pabak: table.pabak(),
        table,
        reasons,
        themes,
    }
}

/// Compares every pair of reviewers, in list order: (0, 1), (0, 2), …, (1, 2), …
pub fn all_pairs(
    reviewers: &[(String, Decisions)],
    studies: &[Study],
    scheme: Scheme,
) -> Vec<PairAgreement> {
    let mut pairs = Vec::new();
    for (i, (a, da)) in reviewers.iter().enumerate() {
        for (b, db) in &reviewers[i + 1..] {
            pairs.push(compare((a, da), (b, db), studies, scheme));
        }
    }
    pairs
}

#[cfg(test)]
mod tests;
