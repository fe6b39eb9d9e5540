//! The command line's shared parts: how commands fail and how they open a review. Each
//! command that is more than a few lines lives in its own module here, over the same core the
//! TUI uses.

pub mod agreement;
pub mod check;
pub mod mark;
pub mod reconcile;

use std::path::Path;

use abstriage::session::{self, Options, Session};

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
pub fn open(path: &Path, options: &Options) -> Result<Session, Failure> {
    session::open(path, options).map_err(|e| Failure::BadInput(e.into()))
}
