//! The load cache through the real binary: a command that opened a large corpus leaves its
//! copy complete, the next one reads it, and what a reviewer gets never depends on it.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::abstriage;

/// A RIS corpus over the cache's 4 MiB threshold: 1,600 distinct records with ~2.5 KB
/// abstracts, every tenth one exported again (same DOI) as a second database would.
fn large_corpus(dir: &Path) -> PathBuf {
    let mut text = String::new();
    let sentence = "Nurses described staffing, handover and workload in qualitative interviews. ";
    for n in 0..1_600 {
        let record = format!(
            "TY  - JOUR\nTI  - Staffing and outcomes in ward {n}\nAU  - Aiken, Linda\nAU  - Smith, Jo {n}\nPY  - {}\nDO  - 10.5555/ward.{n}\nAB  - BACKGROUND: {} METHODS: Interviews {n}.\nER  - \n\n",
            2000 + n % 25,
            sentence.repeat(32)
        );
        text.push_str(&record);
        if n % 10 == 0 {
            text.push_str(&record.replace("TI  - Staffing", "TI  - STAFFING"));
        }
    }
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let path = dir.join("search.ris");
    std::fs::write(&path, text).unwrap();
    path
}

fn export(corpus: &Path, cache: &str) -> Vec<u8> {
    let output = abstriage()
        .env("ABSTRIAGE_CACHE", cache)
        .args(["export", "--reviewer", "ann", "--format", "json"])
        .arg(corpus)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

fn cached_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn a_command_leaves_a_complete_copy_and_the_next_reads_it_with_the_same_result() {
    let review = tempfile::tempdir().unwrap();
    let corpus = large_corpus(review.path());
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();

    let uncached = export(&corpus, "off");
    assert!(cached_files(cache.path()).is_empty());
    let records: serde_json::Value = serde_json::from_slice(&uncached).unwrap();
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 1_760);
    assert_eq!(
        records
            .iter()
            .filter(|r| !r["duplicate_of"].is_null())
            .count(),
        160,
        "every tenth record is a second copy"
    );

    // The first open writes the copy, and the command waits for it before exiting.
    assert_eq!(export(&corpus, cache_dir), uncached);
    let files = cached_files(cache.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "corpus");

    // The second open reads it: it marks the copy as just used.
    let long_ago = SystemTime::now() - Duration::from_secs(3_600);
    let copy = std::fs::File::options()
        .append(true)
        .open(&files[0])
        .unwrap();
    copy.set_modified(long_ago).unwrap();
    assert_eq!(export(&corpus, cache_dir), uncached);
    let used = std::fs::metadata(&files[0]).unwrap().modified().unwrap();
    assert!(
        used > long_ago + Duration::from_secs(60),
        "the copy was read"
    );

    // A damaged copy is ignored and written again.
    let whole = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &whole[..whole.len() / 3]).unwrap();
    assert_eq!(export(&corpus, cache_dir), uncached);
    assert_eq!(std::fs::read(&files[0]).unwrap().len(), whole.len());
}

fn run(corpus: &Path, cache: &str, args: &[&str]) -> String {
    let output = abstriage()
        .env("ABSTRIAGE_CACHE", cache)
        .args(args)
        .arg(corpus)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn check_and_agreement_read_the_copy_with_the_same_result() {
    let review = tempfile::tempdir().unwrap();
    large_corpus(review.path());
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    // Two reviewers, disagreeing on the titles of wards 1x.
    for (reviewer, status) in [("ann", "include"), ("bob", "exclude")] {
        for (query, decided) in [("title:ward*", "include"), ("title:1*", status)] {
            let output = abstriage()
                .env("ABSTRIAGE_CACHE", "off")
                .args(["mark", "--reviewer", reviewer])
                .arg(review.path())
                .args([decided, "--where", query])
                .output()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
        }
    }
    let commands: [&[&str]; 2] = [&["check"], &["agreement"]];
    let uncached: Vec<String> = commands
        .iter()
        .map(|args| run(review.path(), "off", args))
        .collect();
    assert!(uncached[0].contains("1760 records"), "{}", uncached[0]);
    // Counted by study: the 160 second copies are grouped with their first.
    assert!(
        uncached[1].contains("studies both screened   1600 (of 1600;"),
        "{}",
        uncached[1]
    );
    for (args, expected) in commands.iter().zip(&uncached) {
        assert_eq!(
            &run(review.path(), cache_dir, args),
            expected,
            "{args:?}, copy written"
        );
        assert_eq!(cached_files(cache.path()).len(), 1);
        assert_eq!(
            &run(review.path(), cache_dir, args),
            expected,
            "{args:?}, copy read"
        );
    }
}
