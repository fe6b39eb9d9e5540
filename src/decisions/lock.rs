//! One writer per decisions file.
//!
//! Two screening sessions writing the same reviewer's file would each overwrite the other's
//! decisions between merges. The session that opens a file first takes an advisory lock on a
//! small lock file named after the decisions file's full path; a second session finds it held
//! and opens read-only, told who holds it.
//!
//! The lock files live in the user's runtime folder (`$XDG_RUNTIME_DIR/abstriage`, else the
//! temporary folder), not beside the decisions: they must never end up committed with them.
//! So the lock guards against a second session of the same user on the same machine — a
//! forgotten session in another tmux window, or left running over a dropped SSH connection —
//! which is how a reviewer's own file gets opened twice; reviewers on other machines work on
//! clones and merge through git.
//!
//! The lock is the operating system's (`flock`), not the lock file's existence: it is
//! released when its holder exits in any way, SIGKILL and power loss included, so a crashed
//! session never leaves it stuck. A lock file left behind is simply taken over.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The lock on a decisions file, held until dropped.
#[derive(Debug)]
pub struct WriterLock {
    path: PathBuf,
    /// Keeps the lock: closing the file releases it.
    _file: File,
}

/// Why a session could not take the writer lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live session holds it.
    #[error("{} is open in {holder}", decisions.file_name().map_or_else(|| decisions.display().to_string(), |n| n.to_string_lossy().into_owned()))]
    Held {
        /// The decisions file.
        decisions: PathBuf,
        /// Who holds the lock, as it wrote itself into the lock file.
        holder: String,
    },
    /// The lock file (or the decisions' folder) could not be created or locked.
    #[error("cannot lock {lock}: {source}")]
    Io {
        /// The lock file.
        lock: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl WriterLock {
    /// Takes the writer lock on `decisions` (the file need not exist; its folder is created,
    /// as the first save would).
    pub fn acquire(decisions: &Path) -> Result<Self, LockError> {
        let io = |lock: &Path, source| LockError::Io {
            lock: lock.to_path_buf(),
            source,
        };
        if let Some(dir) = decisions.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        let path = lock_path(decisions);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        let io = |source| io(&path, source);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Held {
                    decisions: decisions.to_path_buf(),
                    holder: if holder.is_empty() {
                        "a session starting up".to_string()
                    } else {
                        holder.to_string()
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        // Who holds it, for the message a second session shows. Best effort: the lock itself
        // is what counts.
        let _ = file.set_len(0).and_then(|()| {
            file.rewind()?;
            writeln!(file, "{}", holder_description())
        });
        Ok(Self { path, _file: file })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of a decisions file: in the runtime folder, named after the file's name
/// and a digest of its full path (the file need not exist; its folder must, to be resolved).
pub fn lock_path(decisions: &Path) -> PathBuf {
    let name = decisions
        .file_name()
        .map_or_else(|| "decisions".into(), |n| n.to_string_lossy());
    let full = decisions
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .and_then(|dir| dir.canonicalize().ok())
        .map_or_else(|| decisions.to_path_buf(), |dir| dir.join(name.as_ref()));
    let digest = Sha256::digest(full.to_string_lossy().as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    lock_dir().join(format!("{name}-{hex}.lock"))
}

fn lock_dir() -> PathBuf {
    crate::config::project_dirs()
        .and_then(|dirs| dirs.runtime_dir().map(Path::to_path_buf))
        .unwrap_or_else(|| std::env::temp_dir().join("abstriage-locks"))
}

fn holder_description() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "this machine".to_string());
    let since = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
    format!("process {} on {host} (since {since})", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_file_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let decisions = dir.path().join("screening/alice.toml");
        let first = WriterLock::acquire(&decisions).unwrap();
        assert!(
            !first.path().starts_with(dir.path()),
            "never beside the decisions"
        );
        assert!(first.path().to_string_lossy().contains("alice.toml-"));
        // The same file reached by another path is the same lock.
        let roundabout = dir.path().join("screening/../screening/alice.toml");
        assert_eq!(lock_path(&roundabout), first.path());
        match WriterLock::acquire(&decisions) {
            Err(LockError::Held { holder, .. }) => {
                assert!(
                    holder.starts_with(&format!("process {} on ", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected Held, got {other:?}"),
        }
        drop(first);
        WriterLock::acquire(&decisions).expect("released when dropped");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let decisions = dir.path().join("bob.toml");
        let stale = lock_path(&decisions);
        std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
        std::fs::write(
            &stale,
            "process 999999 on elsewhere (since 2020-01-01 00:00 UTC)\n",
        )
        .unwrap();
        let lock = WriterLock::acquire(&decisions).expect("a stale lock file is not a lock");
        let text = std::fs::read_to_string(lock.path()).unwrap();
        assert!(
            text.starts_with(&format!("process {} on ", std::process::id())),
            "{text}"
        );
        assert!(!text.contains("999999"), "{text}");
    }

    #[test]
    fn different_reviewers_do_not_block_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let _alice = WriterLock::acquire(&dir.path().join("alice.toml")).unwrap();
        WriterLock::acquire(&dir.path().join("bob.toml")).unwrap();
    }
}
