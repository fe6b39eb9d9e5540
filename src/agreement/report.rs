//! Agreement as people read it: per pair of reviewers, the figures a review reports, the
//! contingency table, and agreement on each reason and theme. Shared by `abstriage agreement`
//! and the summary view.

use std::fmt::Write;

use super::{LabelsAgreement, PairAgreement, Scheme, Study, all_pairs};
use crate::team::ReviewerFile;

/// Agreement for every pair of the team's reviewers, over every study.
pub fn for_team(
    reviewers: &[ReviewerFile],
    studies: &[Study],
    scheme: Scheme,
) -> Vec<PairAgreement> {
    let named: Vec<(String, crate::decisions::Decisions)> = reviewers
        .iter()
        .map(|r| (r.name.clone(), r.decisions.clone()))
        .collect();
    all_pairs(&named, studies, scheme)
}

/// How a scheme is described to readers.
pub fn scheme_label(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::ThreeWay => "include / exclude / maybe as three categories",
        Scheme::MaybeAsInclude => "maybe counted as include: excluded vs not excluded",
    }
}

/// The headline figures of a pair on one line: `n 12 · 75.0% · κ 0.58 (0.21–0.95) · PABAK 0.63`.
pub fn headline(pair: &PairAgreement) -> String {
    let mut line = format!("n {}", pair.n);
    if let Some(p) = pair.percent_agreement {
        let _ = write!(line, " · agreement {p:.1}%");
    }
    match (pair.kappa, pair.kappa_ci) {
        (Some(k), Some([lo, hi])) => {
            let _ = write!(line, " · kappa {k:.2} (95% CI {lo:.2} to {hi:.2})");
        }
        (Some(k), None) => {
            let _ = write!(line, " · kappa {k:.2}");
        }
        _ => line.push_str(" · kappa undefined"),
    }
    if let Some(pabak) = pair.pabak {
        let _ = write!(line, " · PABAK {pabak:.2}");
    }
    line
}

/// The full text report.
pub fn text(pairs: &[PairAgreement], scheme: Scheme) -> String {
    let mut out = format!("Agreement ({}).\n", scheme_label(scheme));
    for pair in pairs {
        let [a, b] = &pair.reviewers;
        let _ = writeln!(out, "\n{a} × {b}");
        let _ = writeln!(
            out,
            "  studies both screened   {} (of {}; {a} screened {}, {b} {})",
            pair.n, pair.studies, pair.screened[0], pair.screened[1]
        );
        if let Some(p) = pair.percent_agreement {
            let _ = writeln!(out, "  percent agreement       {p:.1}%");
        }
        match (pair.kappa, pair.kappa_ci, &pair.kappa_undefined) {
            (Some(k), Some([lo, hi]), _) => {
                let _ = writeln!(
                    out,
                    "  Cohen's kappa           {k:.3} (95% CI {lo:.3} to {hi:.3})"
                );
            }
            (Some(k), None, _) => {
                let _ = writeln!(out, "  Cohen's kappa           {k:.3}");
            }
            (None, _, Some(why)) => {
                let _ = writeln!(out, "  Cohen's kappa           undefined: {why}");
            }
            (None, _, None) => {}
        }
        if let Some(pabak) = pair.pabak {
            let _ = writeln!(out, "  PABAK                   {pabak:.3}");
        }
        if pair.n > 0 {
            table(&mut out, pair);
        }
        labels(
            &mut out,
            "exclusion reasons",
            "both excluded",
            &pair.reasons,
            a,
            b,
        );
        labels(&mut out, "themes", "both tagged", &pair.themes, a, b);
    }
    out
}

fn table(out: &mut String, pair: &PairAgreement) {
    let [a, b] = &pair.reviewers;
    let cats = &pair.table.categories;
    let width = cats.iter().map(|c| c.len()).max().unwrap_or(0).max(7);
    let _ = writeln!(out, "  decisions (rows {a}, columns {b}):");
    let _ = write!(out, "    {:width$}", "");
    for c in cats {
        let _ = write!(out, "  {c:>width$}");
    }
    out.push('\n');
    for (c, row) in cats.iter().zip(&pair.table.counts) {
        let _ = write!(out, "    {c:width$}");
        for n in row {
            let _ = write!(out, "  {n:>width$}");
        }
        out.push('\n');
    }
}

fn labels(out: &mut String, what: &str, over: &str, labels: &LabelsAgreement, a: &str, b: &str) {
    if labels.labels.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  {what}, positive agreement over the {} studies {over}:",
        labels.studies
    );
    let width = labels
        .labels
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0);
    for l in &labels.labels {
        let _ = writeln!(
            out,
            "    {:width$}  {:.2}  (both {}, {a} only {}, {b} only {})",
            l.label,
            l.positive_agreement,
            l.both,
            l.first - l.both,
            l.second - l.both
        );
    }
}
