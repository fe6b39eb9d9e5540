//! Opening a review: the corpus, its protocol, the reviewer and their decisions, and the
//! configuration. Shared by the TUI and every CLI command, so they all see the same review.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::cache::{self, Cache, Caching};
use crate::config::{self, Config};
use crate::corpus::{self, Corpus, CorpusError};
use crate::decisions::file::DecisionsError;
use crate::decisions::{Decisions, file, reviewer};
use crate::dedup::{self, Automatic, Clusters};
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
    /// The load cache (`$ABSTRIAGE_CACHE` unless a caller says otherwise).
    pub cache: Caching,
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
    /// What duplicate detection found before the reviewer's corrections: regrouping after a
    /// new correction applies it again instead of comparing every record again.
    pub automatic: Automatic,
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
    Parts::read(path, options)?.read_whole(options)
}

/// Corpora at least this large (all files together) are opened progressively by
/// [`open_progressively`]; smaller ones are read whole within about a tenth of a second.
pub const PROGRESSIVE_BYTES: u64 = cache::MIN_BYTES;

/// How much of a large corpus is read before the rest: about 450 records of a typical RIS
/// export, ten screens of the study list, read within milliseconds.
pub const PREVIEW_BYTES: u64 = 1 << 20;

/// Opens the review whose corpus is at `path` for screening as soon as its first records are
/// read: a large corpus comes back as a session over its first records (a
/// [preview](crate::corpus::preview), grouped into studies among themselves), with the whole
/// corpus being read, cleaned and compared on other threads, to be taken from [`Loading`].
/// A corpus under [`PROGRESSIVE_BYTES`], or one whose start cannot be read in part, is read
/// whole first, as [`open`] does.
pub fn open_progressively(
    path: &Path,
    options: &Options,
) -> Result<(Session, Option<Loading>), OpenError> {
    let parts = Parts::read(path, options)?;
    let bytes: u64 = parts
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let preview = (bytes >= PROGRESSIVE_BYTES)
        .then(|| corpus::preview(&parts.root, &parts.files, PREVIEW_BYTES))
        .flatten();
    let Some(preview) = preview else {
        return Ok((parts.read_whole(options)?, None));
    };
    let loading = Loading::start(
        parts.root.clone(),
        parts.files.clone(),
        options.cache.cache(),
        bytes,
    );
    let automatic = Automatic::find(&preview.records);
    let session = parts.into_session(preview, automatic, cache::Writing::default());
    Ok((session, Some(loading)))
}

/// A whole corpus being read on a background thread (from the load cache when it holds it),
/// while the reviewer screens its first records.
#[derive(Debug)]
pub struct Loading {
    received: mpsc::Receiver<Result<cache::Opened, CorpusError>>,
    /// Where the corpus is, for an error if the reading thread stops.
    root: PathBuf,
    /// Bytes of the corpus files together.
    pub bytes: u64,
}

impl Loading {
    /// Starts reading the corpus `files` of the review folder `root`.
    fn start(root: PathBuf, files: Vec<PathBuf>, cache: Option<Cache>, bytes: u64) -> Self {
        let (send, received) = mpsc::channel();
        let (thread_root, thread_files) = (root.clone(), files);
        // When no thread can be had, `send` is dropped with the closure, and `take` reports
        // the closed channel as a failure to read.
        let _ = std::thread::Builder::new()
            .name("abstriage-load".into())
            .spawn(move || {
                let opened = cache::open_files(thread_root, &thread_files, cache.as_ref());
                // Nobody waits any more when the session ended first.
                let _ = send.send(opened);
            });
        Self {
            received,
            root,
            bytes,
        }
    }

    /// The whole corpus once it is read (its records, duplicate links and the copy being
    /// written to the load cache), or why it could not be; `None` while it is being read.
    /// Never waits. After it has given the corpus once, it gives `None`.
    pub fn take(&self) -> Option<Result<cache::Opened, CorpusError>> {
        match self.received.try_recv() {
            Ok(opened) => Some(opened),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(self.stopped())),
        }
    }

    /// Waits for the whole corpus (tests, and commands that need it all).
    pub fn wait(self) -> Result<cache::Opened, CorpusError> {
        self.received.recv().unwrap_or_else(|_| Err(self.stopped()))
    }

    fn stopped(&self) -> CorpusError {
        CorpusError::Io {
            path: self.root.clone(),
            source: std::io::Error::other("reading stopped on an internal error"),
        }
    }
}

/// What opening a review reads besides the corpus's records.
struct Parts {
    root: PathBuf,
    files: Vec<PathBuf>,
    config: Config,
    review: Review,
    reviewer: String,
    decisions_path: PathBuf,
    decisions: Decisions,
}

impl Parts {
    fn read(path: &Path, options: &Options) -> Result<Self, OpenError> {
        let config = load_config(options.config.as_deref())?;
        let (root, files) = corpus::locate(path)?;
        let review = Review::load(&root)?;
        let (reviewer, _) =
            reviewer::resolve(options.reviewer.as_deref(), config.reviewer.as_deref());
        let decisions_path = options
            .decisions
            .clone()
            .unwrap_or_else(|| reviewer::decisions_path(&root, &reviewer));
        let decisions = file::load(&decisions_path)?;
        Ok(Self {
            root,
            files,
            config,
            review,
            reviewer,
            decisions_path,
            decisions,
        })
    }

    /// The session over the whole corpus, read from the load cache or the files.
    fn read_whole(self, options: &Options) -> Result<Session, OpenError> {
        let cache = options.cache.cache();
        let opened = cache::open_files(self.root.clone(), &self.files, cache.as_ref())?;
        Ok(self.into_session(opened.corpus, opened.automatic, opened.writing))
    }

    fn into_session(
        self,
        corpus: Corpus,
        automatic: Automatic,
        cache_write: cache::Writing,
    ) -> Session {
        let clusters = dedup::apply(&corpus.records, &automatic, self.decisions.duplicates());
        Session {
            corpus,
            review: self.review,
            reviewer: self.reviewer,
            decisions_path: self.decisions_path,
            decisions: self.decisions,
            clusters,
            automatic,
            config: self.config,
            cache_write,
        }
    }
}

/// The configuration: defaults merged with the file named by `--config`, else
/// `$ABSTRIAGE_CONFIG`, else the user's config file if it exists.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, TomlFileError> {
    let named = explicit.is_some() || std::env::var_os(config::CONFIG_ENV).is_some();
    let path = config::user_path(explicit);
    Config::load(path.as_deref(), named)
}
