use std::path::{Path, PathBuf};

use super::*;
use crate::dedup::{self, Overrides};

/// Two RIS records of one study (same DOI) and a third, distinct one.
const RIS: &str = "TY  - JOUR\nTI  - Nurse staffing and patient outcomes\nAU  - Aiken, Linda\nPY  - 2014\nDO  - 10.1016/S0140-6736(13)62631-8\nAB  - BACKGROUND: Austerity. METHODS: Discharge data.\nER  - \n\nTY  - JOUR\nTI  - Nurse staffing and patient outcomes.\nAU  - Aiken L\nPY  - 2014\nDO  - 10.1016/s0140-6736(13)62631-8\nER  - \n\nTY  - JOUR\nTI  - Handover in intensive care\nAU  - Smith, Jo\nPY  - 2020\nER  - \n";

/// A review folder with records in several formats and encodings: the seeds (pasted web
/// text), RIS with a duplicate, Latin-1 text, a workbook.
fn review_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("pubmed.ris"), RIS).unwrap();
    let latin1 = b"TY  - JOUR\nTI  - Qualit\xe9 des soins infirmiers\nAU  - M\xfcller, J\xfcrgen\nPY  - 2019\nER  - \n";
    std::fs::write(dir.path().join("cinahl.ris"), latin1).unwrap();
    let workbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.xls");
    std::fs::copy(workbook, dir.path().join("scopus.xls")).unwrap();
    dir
}

/// A cache in its own folder that caches corpora of any size.
fn cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::in_dir(dir.path()).with_min_bytes(0);
    (dir, cache)
}

fn entries(cache: &Cache) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache.dir())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Opens `path` through `cache` and waits for the copy to be written.
fn open_and_store(path: &Path, cache: &Cache) -> Opened {
    let opened = open(path, Some(cache)).unwrap();
    opened.writing.finish().unwrap();
    opened
}

fn assert_same_corpus(cached: &Opened, read: &Opened) {
    assert_eq!(cached.corpus.root, read.corpus.root);
    assert_eq!(cached.corpus.files, read.corpus.files);
    assert_eq!(cached.automatic, read.automatic);
    assert_eq!(cached.corpus.records.len(), read.corpus.records.len());
    for (a, b) in cached.corpus.records.iter().zip(read.corpus.records.iter()) {
        assert_eq!(a, b);
        // `Record`'s equality covers these too; named because the raw view needs them.
        assert_eq!(a.source.line, b.source.line);
        assert_eq!(a.source.span, b.source.span);
    }
}

#[test]
fn a_second_open_reads_the_cache_and_gets_exactly_what_the_files_give() {
    let folder = review_folder();
    let (_dir, cache) = cache();
    let first = open_and_store(folder.path(), &cache);
    assert!(!first.from_cache);
    assert_eq!(entries(&cache).len(), 1, "one cached corpus written");
    let second = open(folder.path(), Some(&cache)).unwrap();
    assert!(second.from_cache);
    let uncached = open(folder.path(), None).unwrap();
    assert!(!uncached.from_cache);
    assert_same_corpus(&second, &uncached);
    // What the test corpus holds, so the comparison above is not of two empty corpora: 15
    // seed records, 3 + 1 RIS records, the workbook's rows; a Latin-1 file; one duplicate.
    assert!(second.corpus.records.len() > 19);
    let encodings: Vec<&str> = second.corpus.files.iter().map(|f| f.encoding).collect();
    assert!(encodings.contains(&"windows-1252") && encodings.contains(&"workbook"));
    let clusters = dedup::apply(
        &second.corpus.records,
        &second.automatic,
        &Overrides::default(),
    );
    assert_eq!(
        clusters,
        dedup::find(&uncached.corpus.records, &Overrides::default())
    );
    assert_eq!(clusters.duplicated().count(), 1);
}

#[test]
fn a_changed_renamed_or_added_file_is_read_again() {
    let folder = review_folder();
    let (_dir, cache) = cache();
    open_and_store(folder.path(), &cache);
    let ris = folder.path().join("pubmed.ris");
    std::fs::write(&ris, RIS.replace("Handover", "Handoff")).unwrap();
    let changed = open_and_store(folder.path(), &cache);
    assert!(!changed.from_cache);
    assert!(
        changed
            .corpus
            .records
            .iter()
            .any(|r| r.title == "Handoff in intensive care")
    );
    std::fs::rename(&ris, folder.path().join("medline.ris")).unwrap();
    assert!(!open_and_store(folder.path(), &cache).from_cache);
    std::fs::write(folder.path().join("extra.ris"), RIS).unwrap();
    assert!(!open_and_store(folder.path(), &cache).from_cache);
    assert!(open(folder.path(), Some(&cache)).unwrap().from_cache);
}

#[test]
fn an_unreadable_cache_is_ignored_replaced_and_loses_nothing() {
    let folder = review_folder();
    let (_dir, cache) = cache();
    let read = open_and_store(folder.path(), &cache);
    let entry = entries(&cache).remove(0);
    let bytes = std::fs::read(&entry).unwrap();
    for damaged in [
        bytes[..bytes.len() / 2].to_vec(),
        bytes[..10].to_vec(),
        Vec::new(),
        {
            let mut flipped = bytes.clone();
            let middle = flipped.len() / 2;
            flipped[middle..middle + 64].fill(0xff);
            flipped
        },
    ] {
        std::fs::write(&entry, &damaged).unwrap();
        let opened = open_and_store(folder.path(), &cache);
        assert!(!opened.from_cache);
        assert_same_corpus(&opened, &read);
        assert_eq!(std::fs::read(&entry).unwrap(), bytes, "written again whole");
    }
}

#[test]
fn small_corpora_are_neither_cached_nor_hashed() {
    let folder = review_folder();
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::in_dir(dir.path());
    let opened = open_and_store(folder.path(), &cache);
    assert!(!opened.from_cache);
    assert!(entries(&cache).is_empty());
}

#[test]
fn only_the_most_recently_opened_corpora_are_kept() {
    let (_dir, cache) = cache();
    let folders: Vec<tempfile::TempDir> = (0..MAX_ENTRIES + 2)
        .map(|n| {
            let folder = tempfile::tempdir().unwrap();
            let text = RIS.replace("Handover", &format!("Handover {n}"));
            std::fs::write(folder.path().join("search.ris"), text).unwrap();
            folder
        })
        .collect();
    for folder in &folders {
        open_and_store(folder.path(), &cache);
        // Modification times must differ for "most recent" to mean something.
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(entries(&cache).len(), MAX_ENTRIES);
    // The oldest two were evicted, the newest are read from the cache.
    assert!(!open(folders[0].path(), Some(&cache)).unwrap().from_cache);
    assert!(
        open(folders[MAX_ENTRIES + 1].path(), Some(&cache))
            .unwrap()
            .from_cache
    );
}

#[test]
fn temporary_files_of_dead_writers_are_removed_once_stale() {
    let (_dir, cache) = cache();
    std::fs::create_dir_all(cache.dir()).unwrap();
    let stale = cache.dir().join("0123.99999.partial");
    let fresh = cache.dir().join("4567.99998.partial");
    std::fs::write(&stale, b"half").unwrap();
    std::fs::write(&fresh, b"half").unwrap();
    let old = SystemTime::now() - STALE_TEMPORARY - Duration::from_secs(1);
    File::options()
        .append(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let folder = review_folder();
    open_and_store(folder.path(), &cache);
    assert!(!stale.exists());
    assert!(fresh.exists(), "a writer may still be at work on it");
}

#[test]
fn the_environment_turns_it_off_or_moves_it() {
    assert_eq!(Cache::from_setting(Some("off".into())), None);
    assert_eq!(
        Cache::from_setting(Some("/tmp/elsewhere".into())),
        Some(Cache::in_dir("/tmp/elsewhere"))
    );
}

#[test]
fn a_cache_write_that_fails_leaves_the_corpus_open() {
    let folder = review_folder();
    let blocker = tempfile::NamedTempFile::new().unwrap();
    // The cache "folder" is a file: nothing can be written there.
    let cache = Cache::in_dir(blocker.path()).with_min_bytes(0);
    let opened = open(folder.path(), Some(&cache)).unwrap();
    assert!(opened.writing.finish().is_err());
    assert!(!opened.corpus.records.is_empty());
}

/// Every file of the shared corpora, read from the files and from the cache: the same.
#[test]
#[ignore = "needs ../shared/corpora"]
fn every_shared_corpus_reads_back_identically() {
    let (_dir, cache) = cache();
    let mut compared = 0;
    for path in crate::corpus::corpus_files(&crate::corpus::corpora_dir()).unwrap() {
        let read = open_and_store(&path, &cache);
        let cached = open(&path, Some(&cache)).unwrap();
        assert!(cached.from_cache, "{}", path.display());
        assert_same_corpus(&cached, &read);
        compared += 1;
    }
    assert!(compared > 100, "only {compared} files");
}

#[test]
fn the_content_hash_changes_with_any_byte_and_with_the_length() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.ris");
    let hash = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        hash_file(&path).unwrap()
    };
    let text = RIS.as_bytes();
    let original = hash(text);
    assert_eq!(hash(text), original, "the same bytes, the same hash");
    let mut flipped = text.to_vec();
    flipped[text.len() / 2] ^= 1;
    assert_ne!(hash(&flipped), original);
    assert_ne!(hash(&[text, b"\0"].concat()), original);
    assert_ne!(hash(b""), hash(b"\0"));
}

#[test]
fn another_build_or_other_files_make_another_key() {
    let root = Path::new("/review");
    let files = [root.join("pubmed.ris"), root.join("scopus.csv")];
    let contents = [1_u128, 2];
    let key = combine(7, root, &files, &contents);
    assert_eq!(combine(7, root, &files, &contents), key, "deterministic");
    assert_ne!(
        combine(8, root, &files, &contents),
        key,
        "a new build of abstriage"
    );
    assert_ne!(combine(7, root, &files, &[1, 3]), key, "a file's bytes");
    let renamed = [root.join("pubmed.ris"), root.join("embase.csv")];
    assert_ne!(combine(7, root, &renamed, &contents), key, "a file's name");
    assert_ne!(
        combine(7, root, &files[..1], &contents[..1]),
        key,
        "a file fewer"
    );
    // The review folder's own path is not part of the key: a moved folder keeps its copy.
    let other_root = Path::new("/other");
    let same_names = [other_root.join("pubmed.ris"), other_root.join("scopus.csv")];
    assert_eq!(
        combine(7, other_root, &same_names, &contents),
        key,
        "names are relative"
    );
}
