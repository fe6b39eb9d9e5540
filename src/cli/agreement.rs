//! `abstriage agreement`: inter-rater agreement between every pair of reviewers whose decision
//! files are in `screening/`.

use std::path::Path;

use abstriage::agreement::{Scheme, Study, report};
use abstriage::{dedup, team};
use anyhow::Context;

use super::Failure;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AgreementFormat {
    /// A report to read.
    Text,
    /// One object per pair of reviewers.
    Json,
}

/// How statuses are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemeArg {
    /// Include, exclude and maybe are three categories.
    ThreeWay,
    /// Maybe counts as include: excluded vs not excluded.
    MaybeAsInclude,
}

impl From<SchemeArg> for Scheme {
    fn from(arg: SchemeArg) -> Self {
        match arg {
            SchemeArg::ThreeWay => Scheme::ThreeWay,
            SchemeArg::MaybeAsInclude => Scheme::MaybeAsInclude,
        }
    }
}

/// Prints agreement for every pair of reviewers of the review at `path`.
pub fn run(path: &Path, format: AgreementFormat, scheme: SchemeArg) -> Result<(), Failure> {
    let (corpus, automatic) = super::read_corpus(path)?;
    let reviewers = team::load_reviewers(&corpus.root).map_err(|e| Failure::BadInput(e.into()))?;
    if reviewers.len() < 2 {
        let found: Vec<&str> = reviewers.iter().map(|r| r.name.as_str()).collect();
        return Err(Failure::BadInput(anyhow::anyhow!(
            "agreement needs the decision files of two reviewers in {}; found {}",
            team::screening_dir(&corpus.root).display(),
            if found.is_empty() {
                "none".to_string()
            } else {
                found.join(", ")
            }
        )));
    }
    let clusters = dedup::apply(&corpus.records, &automatic, &dedup::Overrides::default());
    let studies = Study::all(&corpus.records, &clusters);
    let scheme = Scheme::from(scheme);
    let pairs = report::for_team(&reviewers, &studies, scheme);
    match format {
        AgreementFormat::Text => print!("{}", report::text(&pairs, scheme)),
        AgreementFormat::Json => {
            let json = serde_json::to_string_pretty(&pairs).context("writing JSON")?;
            println!("{json}");
        }
    }
    Ok(())
}
