//! Saving a reviewer's decisions file off the key path.
//!
//! The screening session hands every change to a [`Saver`], which writes the file on its own
//! thread: a keypress never waits for rendering, fsync or rename. Saves queued while one is
//! being written are coalesced into one write of the newest decisions. A failed write (disk
//! full, read-only folder, permissions) is reported at once and retried every
//! [`RETRY_EVERY`] until it succeeds or newer decisions replace it; nothing is dropped.
//!
//! The saver never overwrites a change made to the file by someone else (`git pull`,
//! `abstriage mark`): before writing it checks that the file is still the one the session
//! last read or the saver last wrote, and otherwise reports [`Outcome::Changed`] so the
//! session can merge first.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Decisions;
use super::file;
use super::merge::FileStamp;
use crate::files::atomic_write;

/// How long a failed save waits before it is tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);

/// How a decisions file is put on disk: [`atomic_write`] in real use, a failing writer in
/// tests of disk-full and permission errors.
pub type Writer = Box<dyn Fn(&Path, &[u8]) -> io::Result<()> + Send>;

/// One save asked for: the decisions to write, numbered in the order they were asked.
struct Job {
    generation: u64,
    decisions: Decisions,
    /// The file's stamp as the session last knew it.
    expected: Option<FileStamp>,
}

/// What became of a save.
#[derive(Debug)]
pub enum Outcome {
    /// The decisions of save `generation` are on disk (fsynced, renamed, folder fsynced).
    Saved {
        /// Which save.
        generation: u64,
        /// What was written: the new merge base.
        decisions: Decisions,
        /// The file's stamp right after the write.
        stamp: Option<FileStamp>,
    },
    /// The write failed; it is retried every [`RETRY_EVERY`] until it succeeds or newer
    /// decisions are queued.
    Failed {
        /// Which save.
        generation: u64,
        /// Why, naming the file.
        error: String,
    },
    /// The file changed on disk since the session last read it: nothing was written. The
    /// session merges the file's changes and saves again.
    Changed {
        /// Which save.
        generation: u64,
    },
}

impl Outcome {
    /// The save this outcome is about.
    pub fn generation(&self) -> u64 {
        match self {
            Self::Saved { generation, .. }
            | Self::Failed { generation, .. }
            | Self::Changed { generation } => *generation,
        }
    }
}

/// What another thread needs to finish saving when the session's own thread cannot: after
/// SIGHUP, the terminal library can spin forever reading a terminal that is gone, and the
/// signal's watcher then ends the session from outside its loop.
#[derive(Clone)]
pub struct Lifeline(Arc<LifelineState>);

struct LifelineState {
    path: PathBuf,
    reviewer: String,
    /// The last save asked for and its decisions.
    latest: Mutex<(u64, Option<Decisions>)>,
    /// The last save written.
    written: AtomicU64,
}

impl Lifeline {
    /// Waits up to `limit` for the last decisions asked to be saved to be on disk; if they are
    /// not, writes them to a rescue file. Says where they are (`Err`: not in the decisions
    /// file).
    pub fn finish(&self, limit: Duration) -> Result<String, String> {
        let deadline = Instant::now() + limit;
        let (generation, decisions) = {
            let latest = self.0.latest.lock().unwrap_or_else(|e| e.into_inner());
            (latest.0, latest.1.clone())
        };
        while self.0.written.load(Ordering::SeqCst) < generation {
            if Instant::now() >= deadline {
                return Err(rescue(&self.0.path, &self.0.reviewer, decisions.as_ref()));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(format!("Decisions saved in {}", self.0.path.display()))
    }
}

/// Writes `decisions` (not saved in `path`) to a rescue file; says where they went.
pub fn rescue(path: &Path, reviewer: &str, decisions: Option<&Decisions>) -> String {
    let Some(decisions) = decisions else {
        return format!("Decisions NOT saved in {}", path.display());
    };
    let rescue = rescue_path(reviewer);
    match file::save(&rescue, reviewer, decisions) {
        Ok(()) => format!(
            "Decisions NOT saved in {}; written to {} instead",
            path.display(),
            rescue.display()
        ),
        Err(e) => format!(
            "Decisions could NOT be saved in {} nor in {}: {e}",
            path.display(),
            rescue.display()
        ),
    }
}

/// A background writer for one decisions file.
pub struct Saver {
    jobs: Option<mpsc::Sender<Job>>,
    outcomes: mpsc::Receiver<Outcome>,
    thread: Option<JoinHandle<()>>,
    /// The last save asked for.
    queued: u64,
    /// The last save that came back written or superseded by a change on disk.
    settled: u64,
    lifeline: Lifeline,
}

impl Saver {
    /// Starts a saver for `path`, written as `reviewer`'s file.
    pub fn spawn(path: PathBuf, reviewer: String) -> Self {
        Self::with_writer(path, reviewer, Box::new(atomic_write))
    }

    /// Starts a saver that puts files on disk with `writer`.
    pub fn with_writer(path: PathBuf, reviewer: String, writer: Writer) -> Self {
        let (jobs, job_queue) = mpsc::channel();
        let (report, outcomes) = mpsc::channel();
        let lifeline = Lifeline(Arc::new(LifelineState {
            path,
            reviewer,
            latest: Mutex::new((0, None)),
            written: AtomicU64::new(0),
        }));
        let thread_lifeline = lifeline.clone();
        let thread = std::thread::Builder::new()
            .name("abstriage-saver".into())
            .spawn(move || save_loop(&writer, &job_queue, &report, &thread_lifeline));
        let (jobs, thread) = match thread {
            Ok(handle) => (Some(jobs), Some(handle)),
            // No thread (the system is out of them): saves are then written on the caller's
            // thread by `queue`, see there.
            Err(_) => (None, None),
        };
        Self {
            jobs,
            outcomes,
            thread,
            queued: 0,
            settled: 0,
            lifeline,
        }
    }

    /// The handle another thread uses to finish saving if the session cannot.
    pub fn lifeline(&self) -> Lifeline {
        self.lifeline.clone()
    }

    /// Asks for `decisions` to be written; `expected` is the file's stamp as the caller last
    /// knew it. Returns the save's number. Cheap: the decisions are shared, not copied.
    pub fn queue(&mut self, decisions: Decisions, expected: Option<FileStamp>) -> u64 {
        self.queued += 1;
        *self
            .lifeline
            .0
            .latest
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = (self.queued, Some(decisions.clone()));
        let job = Job {
            generation: self.queued,
            decisions,
            expected,
        };
        let unsent = match &self.jobs {
            Some(jobs) => jobs.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        if let Some(job) = unsent {
            // There is no saver thread (the system had none to give, or a bug killed it): a
            // save must not be lost to that, so it is written here instead.
            self.jobs = None;
            let (report, outcomes) = mpsc::channel();
            let writer: Writer = Box::new(atomic_write);
            let state = &self.lifeline.0;
            let (outcome, _) = save_once(&state.path, &state.reviewer, &writer, &job, None);
            if let Outcome::Saved { generation, .. } = &outcome {
                self.lifeline
                    .0
                    .written
                    .fetch_max(*generation, Ordering::SeqCst);
            }
            let _ = report.send(outcome);
            self.outcomes = outcomes;
        }
        self.queued
    }

    /// The number of the last save asked for (0: none yet).
    pub fn queued(&self) -> u64 {
        self.queued
    }

    /// Whether a save asked for has not come back written yet.
    pub fn is_busy(&self) -> bool {
        self.settled < self.queued
    }

    /// The outcomes that came back since the last call, oldest first, without waiting.
    pub fn outcomes(&mut self) -> Vec<Outcome> {
        let outcomes: Vec<Outcome> = self.outcomes.try_iter().collect();
        self.settle(&outcomes);
        outcomes
    }

    /// Waits up to `limit` for the last save asked for to come back (written, failed or
    /// refused because the file changed), returning every outcome that came back meanwhile.
    pub fn wait(&mut self, limit: Duration) -> Vec<Outcome> {
        let deadline = Instant::now() + limit;
        let mut outcomes = Vec::new();
        while self.is_busy() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.outcomes.recv_timeout(left) {
                Ok(outcome) => {
                    let last = outcome.generation() == self.queued;
                    let failed = matches!(outcome, Outcome::Failed { .. });
                    self.settle(std::slice::from_ref(&outcome));
                    outcomes.push(outcome);
                    if last && failed {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        outcomes
    }

    fn settle(&mut self, outcomes: &[Outcome]) {
        for outcome in outcomes {
            if !matches!(outcome, Outcome::Failed { .. }) {
                self.settled = self.settled.max(outcome.generation());
            }
        }
    }
}

impl Drop for Saver {
    /// Lets the thread finish the save it has (the session waits for it before it quits).
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take()
            && !self.is_busy()
        {
            let _ = thread.join();
        }
    }
}

/// The saver thread: takes the newest job, writes it, reports, and retries failures until a
/// newer job comes or the session ends.
fn save_loop(
    writer: &Writer,
    jobs: &mpsc::Receiver<Job>,
    report: &mpsc::Sender<Outcome>,
    lifeline: &Lifeline,
) {
    let (path, reviewer) = (&lifeline.0.path, &lifeline.0.reviewer);
    let mut last_written: Option<FileStamp> = None;
    let mut failed: Option<Job> = None;
    let mut session_ended = false;
    loop {
        let next = match failed.take() {
            None => jobs.recv().ok(),
            Some(_) if session_ended => None,
            Some(job) => match jobs.recv_timeout(RETRY_EVERY) {
                Ok(newer) => Some(newer),
                Err(RecvTimeoutError::Timeout) => Some(job),
                // The session has ended without waiting: one last try of what it asked for.
                Err(RecvTimeoutError::Disconnected) => {
                    session_ended = true;
                    Some(job)
                }
            },
        };
        let Some(mut job) = next else { return };
        // Coalesce: only the newest decisions need writing.
        for newer in jobs.try_iter() {
            job = newer;
        }
        let (outcome, stamp) = save_once(path, reviewer, writer, &job, last_written);
        let was_failure = matches!(outcome, Outcome::Failed { .. });
        if let Outcome::Saved { generation, .. } = &outcome {
            lifeline.0.written.fetch_max(*generation, Ordering::SeqCst);
        }
        if stamp.is_some() {
            last_written = stamp;
        }
        if report.send(outcome).is_err() && !was_failure {
            return;
        }
        if was_failure {
            failed = Some(job);
        }
    }
}

/// Writes one job if the file is as the session or this saver left it.
fn save_once(
    path: &Path,
    reviewer: &str,
    writer: &Writer,
    job: &Job,
    last_written: Option<FileStamp>,
) -> (Outcome, Option<FileStamp>) {
    let generation = job.generation;
    let now = FileStamp::of(path);
    if now != job.expected && (last_written.is_none() || now != last_written) {
        return (Outcome::Changed { generation }, None);
    }
    let text = file::to_toml(reviewer, &job.decisions);
    match writer(path, text.as_bytes()) {
        Ok(()) => {
            let stamp = FileStamp::of(path);
            let outcome = Outcome::Saved {
                generation,
                decisions: job.decisions.clone(),
                stamp,
            };
            (outcome, stamp)
        }
        Err(e) => (
            Outcome::Failed {
                generation,
                error: format!("{}: {e}", path.display()),
            },
            None,
        ),
    }
}

/// Where to write decisions that cannot be saved where they belong: the user's data folder
/// (`~/.local/share/abstriage/rescue/` on Linux), else the temporary folder, under the
/// reviewer's name and the time, so nothing earlier is overwritten.
pub fn rescue_path(reviewer: &str) -> PathBuf {
    let dir = crate::config::project_dirs()
        .map(|dirs| dirs.data_local_dir().join("rescue"))
        .unwrap_or_else(|| std::env::temp_dir().join("abstriage-rescue"));
    let when = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%SZ");
    let name: String = reviewer
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(format!("{name}-{when}.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::Status;
    use crate::record::RecordId;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    fn with_include(decisions: &Decisions, n: usize) -> Decisions {
        let mut next = decisions.clone();
        next.set_status(
            &RecordId::new(format!("r{n}")),
            "t",
            Some(Status::Include),
            "2026-11-24T12:00:00Z".parse().unwrap(),
        );
        next
    }

    #[test]
    fn saves_queued_during_a_slow_write_are_coalesced_into_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        let writes = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&writes);
        let writer: Writer = Box::new(move |path, bytes| {
            std::thread::sleep(Duration::from_millis(100));
            counted.fetch_add(1, Ordering::SeqCst);
            atomic_write(path, bytes)
        });
        let mut saver = Saver::with_writer(path.clone(), "a".into(), writer);
        let mut decisions = Decisions::default();
        for n in 0..20 {
            decisions = with_include(&decisions, n);
            saver.queue(decisions.clone(), None);
        }
        saver.wait(Duration::from_secs(10));
        assert!(!saver.is_busy());
        // The first write starts at once; the 19 queued behind it become one.
        assert!(writes.load(Ordering::SeqCst) <= 3, "{writes:?}");
        assert_eq!(file::load(&path).unwrap(), decisions);
    }

    #[test]
    fn a_file_changed_by_someone_else_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        let mut saver = Saver::spawn(path.clone(), "a".into());
        let ours = with_include(&Decisions::default(), 1);
        saver.queue(ours.clone(), None);
        let outcomes = saver.wait(Duration::from_secs(10));
        let Some(Outcome::Saved { stamp, .. }) = outcomes.last() else {
            panic!("{outcomes:?}");
        };
        let stamp = *stamp;
        // Someone else writes the file (a `git pull`); a save based on the old stamp and one
        // the saver knows nothing of are both refused.
        std::thread::sleep(Duration::from_millis(20));
        let theirs = with_include(&Decisions::default(), 2);
        file::save(&path, "a", &theirs).unwrap();
        saver.queue(with_include(&ours, 3), stamp);
        let outcomes = saver.wait(Duration::from_secs(10));
        assert!(
            matches!(outcomes.last(), Some(Outcome::Changed { .. })),
            "{outcomes:?}"
        );
        assert_eq!(file::load(&path).unwrap(), theirs);
        // Once the session has merged and knows the new stamp, it may write.
        saver.queue(with_include(&theirs, 3), FileStamp::of(&path));
        let outcomes = saver.wait(Duration::from_secs(10));
        assert!(
            matches!(outcomes.last(), Some(Outcome::Saved { .. })),
            "{outcomes:?}"
        );
    }

    #[test]
    fn a_failed_write_is_retried_until_it_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        let failures = Arc::new(Mutex::new(1));
        let left = Arc::clone(&failures);
        let writer: Writer = Box::new(move |path, bytes| {
            let mut left = left.lock().unwrap();
            if *left > 0 {
                *left -= 1;
                return Err(io::Error::from_raw_os_error(28));
            }
            atomic_write(path, bytes)
        });
        let mut saver = Saver::with_writer(path.clone(), "a".into(), writer);
        let decisions = with_include(&Decisions::default(), 1);
        saver.queue(decisions.clone(), None);
        let first = saver.wait(Duration::from_secs(10));
        assert!(
            matches!(first.last(), Some(Outcome::Failed { error, .. }) if error.contains("No space left"))
        );
        assert!(saver.is_busy(), "a failed save is still owed");
        let retried = saver.wait(RETRY_EVERY * 3);
        assert!(
            matches!(retried.last(), Some(Outcome::Saved { .. })),
            "{retried:?}"
        );
        assert_eq!(file::load(&path).unwrap(), decisions);
    }
}
