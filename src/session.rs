//! Opening a review: the corpus, its protocol, the reviewer and their decisions, and the
//! configuration. Shared by the TUI and every CLI command, so they all see the same review.

use std::path::{Path, PathBuf};

use crate::cache::{self, Cache};
use crate::config::{self, Config};
use crate::corpus::{Corpus, CorpusError};
use crate::decisions::file::DecisionsError;
use crate::decisions::{Decisions, file, reviewer};
use crate::dedup::{self, Clusters};
use crate::files::TomlFileError;
use crate::review::{Review, ReviewError};

/// Choices made on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--reviewer NAME`.
    pub reviewer: Option<String>,
    /// `--decisions FILE`: a decisions file other than `screening/<reviewer>.toml`.
    pub decisions: Option<PathBuf>,
    /// `--config FILE`: a config file other than the user's.
    pub config: Option<PathBuf>,
}

/// An opened review.
#[derive(Debug, Clone)]
pub struct Session {
    /// The records.
    pub corpus: Corpus,
    /// The protocol.
    pub review: Review,
    /// Who is screening.
    pub reviewer: String,
    /// Their decisions file.
    pub decisions_path: PathBuf,
    /// Their decisions so far.
    pub decisions: Decisions,
    /// The records grouped into studies (duplicates found, the reviewer's corrections applied).
    pub clusters: Clusters,
    /// The effective configuration.
    pub config: Config,
    /// The corpus being copied to the load cache, when it was not there (a command about to
    /// exit waits for it with [`cache::Writing::finish`]).
    pub cache_write: cache::Writing,
}

/// Why a review could not be opened. Every variant names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The corpus path is missing or unreadable.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The configuration file is invalid.
    #[error(transparent)]
    Config(#[from] TomlFileError),
    /// `review.toml` is invalid.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// The decisions file is invalid or unreadable.
    #[error(transparent)]
    Decisions(#[from] DecisionsError),
}

/// Opens the review whose corpus is at `path` (a file or a folder).
pub fn open(path: &Path, options: &Options) -> Result<Session, OpenError> {
    let config = load_config(options.config.as_deref())?;
    let opened = cache::open(path, Cache::from_env().as_ref())?;
    let corpus = opened.corpus;
    let review = Review::load(&corpus.root)?;
    let (reviewer, _) = reviewer::resolve(options.reviewer.as_deref(), config.reviewer.as_deref());
    let decisions_path = options
        .decisions
        .clone()
        .unwrap_or_else(|| reviewer::decisions_path(&corpus.root, &reviewer));
    let decisions = file::load(&decisions_path)?;
    let clusters = dedup::apply(&corpus.records, &opened.automatic, decisions.duplicates());
    Ok(Session {
        corpus,
        review,
        reviewer,
        decisions_path,
        decisions,
        clusters,
        config,
        cache_write: opened.writing,
    })
}

/// The configuration: defaults merged with the file named by `--config`, else
/// `$ABSTRIAGE_CONFIG`, else the user's config file if it exists.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, TomlFileError> {
    let named = explicit.is_some() || std::env::var_os(config::CONFIG_ENV).is_some();
    let path = config::user_path(explicit);
    Config::load(path.as_deref(), named)
}
