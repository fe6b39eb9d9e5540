//! The load cache: a large corpus opened once is opened again from a compact binary copy of
//! its cleaned records and duplicate links, instead of being read, parsed, cleaned and
//! compared again (issue 8: a 100,000-record corpus to its first frame within a second).
//!
//! - **Keyed by content.** The key hashes (xxh3, 128 bits) every corpus file's name and bytes
//!   and the abstriage executable itself, so an edited file, a file added to the folder or a
//!   new build of abstriage (whose cleaning may differ) never reads a stale copy.
//! - **Only where it pays.** Corpora under [`MIN_BYTES`] open in milliseconds without it;
//!   they are neither cached nor hashed.
//! - **Never in the way.** The copy is written by a background thread after the open; a
//!   cache that cannot be read (truncated, another version, a disk error) is ignored and
//!   removed, and the corpus read from its files as if there were none.
//! - **Bounded.** The [`MAX_ENTRIES`] most recently opened corpora are kept.
//!
//! `ABSTRIAGE_CACHE=off` turns it off; `ABSTRIAGE_CACHE=DIR` puts it in `DIR` instead of the
//! user's cache folder (`~/.cache/abstriage/corpora` on Linux).

mod file;

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::corpus::{self, Corpus, CorpusError};
use crate::dedup::Automatic;

/// Environment variable: `off`, or the folder to keep the cache in.
pub const CACHE_ENV: &str = "ABSTRIAGE_CACHE";

/// Corpora smaller than this (all files together) are not cached: they open fast anyway.
pub const MIN_BYTES: u64 = 4 << 20;

/// How many corpora are kept, the most recently opened.
pub const MAX_ENTRIES: usize = 4;

/// Version of the layout of a cache file; part of every key.
const LAYOUT: u32 = 3;

/// A temporary file older than this was left by a writer that died; it is removed.
const STALE_TEMPORARY: Duration = Duration::from_secs(600);

/// Where cached corpora are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
    min_bytes: u64,
}

impl Cache {
    /// The cache in `dir`, for corpora of [`MIN_BYTES`] or more.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            min_bytes: MIN_BYTES,
        }
    }

    /// The same cache for corpora of `min_bytes` or more (tests cache small corpora).
    pub fn with_min_bytes(self, min_bytes: u64) -> Self {
        Self { min_bytes, ..self }
    }

    /// The cache the environment asks for: `$ABSTRIAGE_CACHE`, else the user's cache folder;
    /// `None` when it is turned off or there is no home.
    pub fn from_env() -> Option<Self> {
        Self::from_setting(std::env::var_os(CACHE_ENV))
    }

    /// The cache a value of `$ABSTRIAGE_CACHE` asks for.
    fn from_setting(setting: Option<std::ffi::OsString>) -> Option<Self> {
        match setting {
            Some(value) if value == "off" => None,
            Some(dir) if !dir.is_empty() => Some(Self::in_dir(dir)),
            _ => crate::config::project_dirs().map(|d| Self::in_dir(d.cache_dir().join("corpora"))),
        }
    }

    /// The folder holding the cached corpora.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}.corpus", key.hex()))
    }
}

/// Which load cache an open uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Caching {
    /// The one the environment asks for ([`Cache::from_env`]).
    #[default]
    FromEnv,
    /// None: every corpus is read from its files (tests that must not touch the user's cache).
    Off,
    /// This one.
    In(Cache),
}

impl Caching {
    /// The cache to use, if any.
    pub fn cache(&self) -> Option<Cache> {
        match self {
            Self::FromEnv => Cache::from_env(),
            Self::Off => None,
            Self::In(cache) => Some(cache.clone()),
        }
    }
}

/// A corpus as opened: its records and what duplicate detection found in them.
#[derive(Debug)]
pub struct Opened {
    /// The records.
    pub corpus: Corpus,
    /// Duplicate detection before the reviewer's corrections.
    pub automatic: Automatic,
    /// Whether it came from the cache.
    pub from_cache: bool,
    /// The copy being written to the cache, when it was not there.
    pub writing: Writing,
}

/// The background write of a corpus to the cache; [`Writing::finish`] waits for it (a
/// command about to exit calls it, so the copy is complete for the next open).
#[derive(Debug, Clone, Default)]
pub struct Writing(Arc<Mutex<Option<JoinHandle<io::Result<()>>>>>);

impl Writing {
    /// Waits for the write, if one is under way. `Err` says why the copy was not kept (the
    /// corpus itself is unaffected).
    pub fn finish(&self) -> io::Result<()> {
        let handle = match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        match handle.map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the cache writer stopped on an error")),
        }
    }
}

/// Opens the corpus at `path` (a file or a folder), from `cache` when it holds a copy of
/// exactly these files, else from the files, then writing a copy in the background.
pub fn open(path: &Path, cache: Option<&Cache>) -> Result<Opened, CorpusError> {
    let (root, files) = corpus::locate(path)?;
    open_files(root, &files, cache)
}

/// [`open`] for the corpus `files` of the review folder `root`, found by [`corpus::locate`].
pub fn open_files(
    root: PathBuf,
    files: &[PathBuf],
    cache: Option<&Cache>,
) -> Result<Opened, CorpusError> {
    let key = match cache {
        Some(cache) => key(&root, files, cache.min_bytes)?,
        None => None,
    };
    let (Some(cache), Some(key)) = (cache, key) else {
        return read(root, files);
    };
    let entry = cache.entry(&key);
    match file::read(&entry, &key) {
        Ok(Some((records, files, automatic))) => {
            // Most recently used first when entries are evicted.
            if let Ok(f) = File::options().append(true).open(&entry) {
                let _ = f.set_modified(SystemTime::now());
            }
            return Ok(Opened {
                corpus: Corpus {
                    root,
                    records,
                    files,
                },
                automatic,
                from_cache: true,
                writing: Writing::default(),
            });
        }
        Ok(None) => {}
        // Unreadable: another layout, truncated, corrupt. Read the files and write it again.
        Err(_) => {
            let _ = std::fs::remove_file(&entry);
        }
    }
    let mut opened = read(root, files)?;
    opened.writing = store(cache.clone(), key, &opened);
    Ok(opened)
}

/// Reads the corpus from its files and detects duplicates.
fn read(root: PathBuf, files: &[PathBuf]) -> Result<Opened, CorpusError> {
    let corpus = corpus::read_files(root, files)?;
    let automatic = Automatic::find(&corpus.records);
    Ok(Opened {
        corpus,
        automatic,
        from_cache: false,
        writing: Writing::default(),
    })
}

/// Starts writing `opened` to `cache` under `key` on a background thread.
fn store(cache: Cache, key: Key, opened: &Opened) -> Writing {
    let records = Arc::clone(&opened.corpus.records);
    let files = opened.corpus.files.clone();
    let automatic = opened.automatic.clone();
    let handle = std::thread::Builder::new()
        .name("abstriage-cache".into())
        .spawn(move || {
            std::fs::create_dir_all(&cache.dir)?;
            remove_stale_temporaries(&cache.dir);
            file::write(&cache.entry(&key), &key, &records, &files, &automatic)?;
            evict(&cache.dir, MAX_ENTRIES);
            Ok(())
        });
    Writing(Arc::new(Mutex::new(handle.ok())))
}

/// A corpus's cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(u128);

impl Key {
    fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }

    pub(crate) fn bytes(&self) -> [u8; 16] {
        self.0.to_le_bytes()
    }
}

/// The key of `files` (relative to `root`), or `None` when they are smaller than `min_bytes` or
/// the executable cannot be read to tell this build from another.
fn key(root: &Path, files: &[PathBuf], min_bytes: u64) -> Result<Option<Key>, CorpusError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CorpusError::Io { path, source }
    };
    let mut total = 0;
    for path in files {
        total += std::fs::metadata(path).map_err(io_error(path))?.len();
    }
    if total < min_bytes {
        return Ok(None);
    }
    let Some(build) = build_hash() else {
        return Ok(None);
    };
    let contents: Vec<u128> = files
        .par_iter()
        .map(|path| hash_file(path).map_err(io_error(path)))
        .collect::<Result<_, _>>()?;
    Ok(Some(combine(build, root, files, &contents)))
}

/// The key of `files` under `root` whose contents hash to `contents`, read by the build
/// whose executable hashes to `build`.
fn combine(build: u128, root: &Path, files: &[PathBuf], contents: &[u128]) -> Key {
    let mut hasher = Xxh3::new();
    hasher.update(&LAYOUT.to_le_bytes());
    hasher.update(&build.to_le_bytes());
    for (path, content) in files.iter().zip(contents) {
        let name = corpus::relative_name(root, path);
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(&content.to_le_bytes());
    }
    Key(hasher.digest128())
}

/// The hash of the running executable, computed once: a new build may clean records
/// differently, so it must not read an older build's copies.
fn build_hash() -> Option<u128> {
    static BUILD: OnceLock<Option<u128>> = OnceLock::new();
    *BUILD.get_or_init(|| hash_file(&std::env::current_exe().ok()?).ok())
}

/// Parts of a file hashed apart, so that a large file is hashed on every core.
const PART: u64 = 32 << 20;

/// The hash of a file's bytes: xxh3-128 of its length and of the xxh3-128 of each
/// [`PART`] of it, the parts read and hashed on every core.
fn hash_file(path: &Path) -> io::Result<u128> {
    let length = std::fs::metadata(path)?.len();
    let parts: Vec<u128> = (0..length.div_ceil(PART).max(1))
        .into_par_iter()
        .map(|n| hash_part(path, n * PART, PART.min(length - n * PART)))
        .collect::<io::Result<_>>()?;
    let mut hasher = Xxh3::new();
    hasher.update(&length.to_le_bytes());
    for part in parts {
        hasher.update(&part.to_le_bytes());
    }
    Ok(hasher.digest128())
}

/// The xxh3-128 hash of `length` bytes of a file from `start`, read a megabyte at a time. A
/// file that shrank meanwhile is an error (it is being written: not a corpus to cache).
fn hash_part(path: &Path, start: u64, length: u64) -> io::Result<u128> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut part = file.take(length);
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0; 1 << 20];
    let mut read = 0;
    loop {
        match part.read(&mut buffer) {
            Ok(0) if read == length => return Ok(hasher.digest128()),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                hasher.update(&buffer[..n]);
                read += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Removes all but the `keep` most recently used cached corpora in `dir`.
fn evict(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut cached: Vec<(SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "corpus"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    cached.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (_, path) in cached.into_iter().skip(keep) {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes temporary files left in `dir` by writers that died mid-way.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMPORARY);
        if old && path.extension().is_some_and(|x| x == "partial") {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests;
