//! The command line's shared parts: how commands fail and how they open a review. Each
//! command that is more than a few lines lives in its own module here, over the same core the
//! TUI uses.

pub mod agreement;
pub mod check;
pub mod mark;
pub mod reconcile;

use std::path::Path;
use std::sync::Mutex;

use abstriage::cache::{self, Cache};
use abstriage::corpus::Corpus;
use abstriage::dedup::Automatic;
use abstriage::session::{self, Loading, Options, Session};

/// How a command failed: bad input (exit 2), anything else (exit 1), or a failure the
/// command has already reported on stdout (exit 1, nothing more to say).
pub enum Failure {
    /// Unknown paths, unreadable or invalid files, bad arguments: exit 2.
    BadInput(anyhow::Error),
    /// Anything else: exit 1.
    Other(anyhow::Error),
    /// Already reported (a check that found problems): exit 1.
    Silent,
    /// Ended by a signal, already reported: exit 128 + the signal, as a shell reports it.
    Signalled(i32),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

/// Opens the review at `path` for the reviewer in `options`; every failure is bad input.
/// A copy of the corpus being written to the load cache is waited for by
/// [`finish_cache_writes`] before the process exits.
pub fn open(path: &Path, options: &Options) -> Result<Session, Failure> {
    let session = session::open(path, options).map_err(|e| Failure::BadInput(e.into()))?;
    keep_cache_write(session.cache_write.clone());
    Ok(session)
}

/// [`open`] for the screening view: a large corpus comes back as its first records while the
/// rest is read ([`session::open_progressively`]). The copy written to the load cache is known
/// only once the whole corpus is read: hand the app's to [`keep_cache_write`] at the end.
pub fn open_progressively(
    path: &Path,
    options: &Options,
) -> Result<(Session, Option<Loading>), Failure> {
    session::open_progressively(path, options).map_err(|e| Failure::BadInput(e.into()))
}

/// The corpus at `path` and what duplicate detection found in it (before any reviewer's
/// corrections), from the load cache when it holds them: the commands that read the corpus
/// without a reviewer's session (check, agreement, reconcile) open a large one as fast as the
/// screening view does. A copy written meanwhile is waited for by [`finish_cache_writes`].
pub fn read_corpus(path: &Path) -> Result<(Corpus, Automatic), Failure> {
    let opened =
        cache::open(path, Cache::from_env().as_ref()).map_err(|e| Failure::BadInput(e.into()))?;
    keep_cache_write(opened.writing);
    Ok((opened.corpus, opened.automatic))
}

/// Has [`finish_cache_writes`] wait for `writing` too.
pub fn keep_cache_write(writing: cache::Writing) {
    if let Ok(mut writes) = CACHE_WRITES.lock() {
        writes.push(writing);
    }
}

/// Load-cache writes started by [`open`].
static CACHE_WRITES: Mutex<Vec<cache::Writing>> = Mutex::new(Vec::new());

/// Waits for the copies of opened corpora to be written to the load cache, so that the next
/// open is fast even when this command ended right after its own. A copy that could not be
/// written is no error: the corpus is simply read from its files next time.
pub fn finish_cache_writes() {
    let writes = match CACHE_WRITES.lock() {
        Ok(mut writes) => std::mem::take(&mut *writes),
        Err(_) => return,
    };
    for write in writes {
        let _ = write.finish();
    }
}
