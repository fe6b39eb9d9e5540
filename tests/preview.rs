//! A preview of a corpus (its first records, read from the start of its files while the rest is
//! read in the background) holds exactly the first records of the whole read, wherever the
//! budget cuts the file: a decision made on a previewed record stands on the same record once
//! everything is read.

mod common;

use std::path::{Path, PathBuf};

use abstriage::corpus::{self, Corpus};
use common::corpora_dir;

/// Where budgets cut a file, as fractions of its size.
const CUTS: [f64; 6] = [0.02, 0.1, 0.33, 0.5, 0.77, 0.98];

/// Previews of `path` cut at each of [`CUTS`], each checked against the whole read. Returns how
/// many cuts gave a preview.
fn previews_match_the_whole_read(path: &Path) -> usize {
    let (root, files) = corpus::locate(path).expect("locate");
    let whole = corpus::read_files(root.clone(), &files).expect("whole read");
    let size: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("size").len())
        .sum();
    let mut previews = 0;
    for cut in CUTS {
        let budget = (size as f64 * cut) as u64;
        let Some(preview) = corpus::preview(&root, &files, budget) else {
            continue;
        };
        previews += 1;
        assert_first_records(&preview, &whole, &format!("{} at {budget}", path.display()));
    }
    previews
}

fn assert_first_records(preview: &Corpus, whole: &Corpus, what: &str) {
    assert!(
        preview.records.len() < whole.records.len(),
        "{what}: a preview within the file holds fewer records ({} of {})",
        preview.records.len(),
        whole.records.len()
    );
    for (i, (seen, read)) in preview.records.iter().zip(whole.records.iter()).enumerate() {
        assert_eq!(seen, read, "{what}: record {i}");
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Records of every format whose parser reads a file from its start, with what tends to go
/// wrong when a file is cut: multi-line fields, a quoted table cell over several lines,
/// duplicated titles (ids with `~2` suffixes), CRLF line ends and accented letters.
fn samples(n: usize) -> Vec<(&'static str, String)> {
    let mut ris = String::new();
    let mut medline = String::new();
    let mut bibtex = String::new();
    let mut table = String::from("Title,Authors,Year,Abstract\r\n");
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><records>\n");
    for i in 0..n {
        // Every third title repeats one before it: same id but for the suffix.
        let title = format!("Études of fatigue in cohort {}", i - i % 3 * (i % 2));
        ris.push_str(&format!(
            "TY  - JOUR\r\nTI  - {title}\r\nAU  - Smith, J\r\nPY  - 2020\r\nAB  - Background: first line {i}\r\ncontinued on a second line.\r\nMethods: a study.\r\nER  - \r\n\r\n"
        ));
        medline.push_str(&format!(
            "PMID- {}\nTI  - {title}\n      over two lines.\nAB  - An abstract {i} that\n      goes on.\nDP  - 2019\n\n",
            1000 + i
        ));
        bibtex.push_str(&format!(
            "@article{{key{i},\n  title = {{{title}}},\n  abstract = {{An abstract {i},\n with a line break}},\n  year = {{2018}}\n}}\n\n"
        ));
        table.push_str(&format!(
            "\"{title}\",\"Doe, A\",2021,\"Line one of {i}\r\nline two, with a comma\"\r\n"
        ));
        xml.push_str(&format!(
            "<record><titles><title>{title}</title></titles><abstract>Abstract {i}</abstract><dates><year>2017</year></dates></record>\n"
        ));
    }
    xml.push_str("</records></xml>\n");
    vec![
        ("sample.ris", ris),
        ("sample.nbib", medline),
        ("sample.bib", bibtex),
        ("sample.csv", table),
        ("sample.xml", xml),
    ]
}

#[test]
fn a_preview_is_the_start_of_the_whole_read_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in samples(60) {
        let path = write(dir.path(), name, &text);
        let previews = previews_match_the_whole_read(&path);
        assert!(previews >= 4, "{name}: only {previews} cuts gave a preview");
    }
}

#[test]
fn a_folder_is_previewed_whole_files_first_then_the_start_of_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    let samples = samples(40);
    for (name, text) in &samples {
        write(dir.path(), name, text);
    }
    // Files are read in path order: sample.bib, sample.csv, sample.nbib, ...
    let bib = samples[2].1.len() as u64;
    let csv = samples[3].1.len() as u64;
    let (root, files) = corpus::locate(dir.path()).expect("locate");
    let whole = corpus::read_files(root.clone(), &files).expect("whole read");
    let preview = corpus::preview(&root, &files, bib + csv / 2).expect("a preview");
    assert_first_records(&preview, &whole, "folder");
    assert_eq!(
        preview.files.len(),
        2,
        "the whole first file, part of the second"
    );
    assert_eq!(preview.files[0].records, 40);
    assert!((1..40).contains(&preview.files[1].records));
    assert_eq!(
        preview.records.len(),
        40 + preview.files[1].records,
        "the records are the files' records"
    );
}

#[test]
fn web_pages_and_files_without_a_line_end_in_the_budget_give_no_preview() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/pubmed_page.txt"),
    )
    .expect("fixture");
    let path = write(dir.path(), "page.txt", &page);
    let (root, files) = corpus::locate(&path).expect("locate");
    assert!(corpus::preview(&root, &files, page.len() as u64 / 2).is_none());
    // A one-line RIS record longer than the budget: no line end to cut at.
    let one_line = "TY - JOUR TI - A title AU - Doe, J PY - 2020 AB - An abstract ER - ".repeat(3);
    let path = write(dir.path(), "one.ris", &one_line);
    let (root, files) = corpus::locate(&path).expect("locate");
    assert!(corpus::preview(&root, &files, 40).is_none());
}

#[test]
fn the_seeds_web_pages_are_never_read_in_part() {
    // How text copied from web pages is read depends on the whole text (whether it is mostly
    // in Latin script decides how its lines are read), so it is read whole or not previewed.
    for entry in std::fs::read_dir(common::seeds_dir()).expect("seeds") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            assert_eq!(
                previews_match_the_whole_read(&path),
                0,
                "{}",
                path.display()
            );
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn previews_of_every_shared_corpus_file_are_the_start_of_its_whole_read() {
    let (mut files, mut previews) = (0, 0);
    for path in corpus::corpus_files(&corpora_dir()).expect("corpora") {
        if corpus::read_files(PathBuf::new(), std::slice::from_ref(&path))
            .is_ok_and(|c| c.records.len() > 1)
        {
            files += 1;
            previews += previews_match_the_whole_read(&path);
        }
    }
    assert!(files > 100, "{files} files read");
    // Most cuts of most files give one (not web pages, workbooks, one-line files).
    assert!(previews > files * 3, "{previews} previews of {files} files");
}
