//! A corpus: the records of one file, or of every bibliographic file in a folder.
//! Formats are detected from content, never from the file name.

pub mod bibtex;
mod blocks;
pub mod decode;
pub mod endnote;
pub mod medline;
mod parallel;
mod preview;
pub mod raw;
pub mod ris;
pub mod spreadsheet;
pub mod table;
pub mod web;
pub mod wos;
pub mod xls_extent;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::record::{Record, RecordId};

use self::blocks::{BLOCK_BYTES, read_in_blocks};
pub use self::preview::preview;
use self::raw::{Parsed, Warning};

/// A bibliographic file format abstriage reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// RIS, including one-line RIS.
    Ris,
    /// PubMed MEDLINE / .nbib, and PMC MEDLARS.
    Medline,
    /// Ovid's native tagged format (`<1. >` record markers).
    Ovid,
    /// Web of Science plain text (FN/VR, PT ... ER, EF).
    Wos,
    /// BibTeX / BibLaTeX.
    Bibtex,
    /// EndNote XML, as written by EndNote, Zotero and Mendeley.
    EndnoteXml,
    /// EndNote tagged / Refer (`%0`, `%T`, ...).
    EndnoteTagged,
    /// A delimited table (CSV, TSV, `;`-separated) from any tool, Web of Science tab-delimited
    /// included.
    Table,
    /// Text copied from web pages.
    WebText,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Ris => "RIS",
            Format::Medline => "MEDLINE",
            Format::Ovid => "Ovid",
            Format::Wos => "Web of Science",
            Format::Bibtex => "BibTeX",
            Format::EndnoteXml => "EndNote XML",
            Format::EndnoteTagged => "EndNote tagged",
            Format::Table => "table",
            Format::WebText => "web text",
        })
    }
}

/// Detects the format of decoded text, or `None` when it holds no bibliographic records.
pub fn detect(text: &str) -> Option<Format> {
    if endnote::detect(text) {
        Some(Format::EndnoteXml)
    } else if ris::detect(text) {
        Some(Format::Ris)
    } else if medline::detect(text) {
        Some(Format::Medline)
    } else if medline::detect_ovid(text) {
        Some(Format::Ovid)
    } else if wos::detect(text) {
        Some(Format::Wos)
    } else if endnote::detect_tagged(text) {
        Some(Format::EndnoteTagged)
    } else if bibtex::detect(text) {
        Some(Format::Bibtex)
    } else if table::detect(text) {
        Some(Format::Table)
    } else if web::detect(text) {
        Some(Format::WebText)
    } else {
        None
    }
}

/// Parses decoded text of a known format.
pub fn parse(format: Format, text: &str) -> Parsed {
    match format {
        Format::Ris => ris::parse(text),
        Format::Medline => medline::parse(text),
        Format::Ovid => medline::parse_ovid(text),
        Format::Wos => wos::parse(text),
        Format::Bibtex => bibtex::parse(text),
        Format::EndnoteXml => endnote::parse(text),
        Format::EndnoteTagged => endnote::parse_tagged(text),
        Format::Table => table::parse(text),
        Format::WebText => web::parse(text),
    }
}

/// What reading one file gave: shown by `abstriage check` and kept for the status of a load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// Path relative to the corpus root.
    pub path: String,
    /// Detected format; `None` when the file was skipped.
    pub format: Option<Format>,
    /// Encoding the bytes were read as.
    pub encoding: &'static str,
    /// Records read.
    pub records: usize,
    /// Records without a title.
    pub no_title: usize,
    /// Records without an abstract.
    pub no_abstract: usize,
    /// Problems found, with their lines.
    pub warnings: Vec<Warning>,
    /// Why the file was skipped, when it was.
    pub skipped: Option<String>,
}

impl FileReport {
    /// Counts `records`, the file's records as read: how many, and how many lack a title or
    /// an abstract.
    fn count(&mut self, records: &[Record]) {
        self.records = records.len();
        self.no_title = records.iter().filter(|r| r.is_untitled()).count();
        self.no_abstract = records.iter().filter(|r| r.sections.is_empty()).count();
    }
}

/// The records of a review, in corpus order (files sorted by path, records in file order).
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The review folder: the corpus directory, or the directory of a single-file corpus.
    pub root: PathBuf,
    /// Every record, cleaned, with unique ids. Shared, never changed after the load: the
    /// search worker and the load cache's writer read it on other threads without a copy.
    pub records: Arc<[Record]>,
    /// One report per file considered.
    pub files: Vec<FileReport>,
}

/// Why a corpus could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The path does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    /// The path could not be read.
    #[error("{path}: {source}")]
    Io {
        /// What was being read.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A folder with no file abstriage can read.
    #[error(
        "{0}: no bibliographic files here (looked for RIS and pasted web text in .ris, .txt, .nbib, .bib, .csv, .tsv, .xml ... files)"
    )]
    NoFiles(PathBuf),
}

/// File name endings considered when a folder is opened (a single file is read whatever its name).
pub const CORPUS_EXTENSIONS: &[&str] = &[
    "ris", "txt", "text", "nbib", "medline", "bib", "bibtex", "csv", "tsv", "tab", "xml", "enw",
    "enl", "ciw", "isi", "ovd", "cgi", "xlsx", "xls",
];

/// The shared corpora of real exports read by the tests marked `needs ../shared/corpora`:
/// `$ABSTRIAGE_CORPORA`, else `../shared/corpora` beside the repository.
#[cfg(test)]
pub(crate) fn corpora_dir() -> PathBuf {
    std::env::var_os("ABSTRIAGE_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"))
}

/// Folder, inside a review folder, where decision files live (never read as corpus).
pub const DECISIONS_DIR: &str = "screening";

/// File, inside a review folder, holding the review protocol (never read as corpus).
pub const REVIEW_FILE: &str = "review.toml";

/// Opens a corpus: a single file, or every corpus file below a folder.
pub fn load(path: &Path) -> Result<Corpus, CorpusError> {
    let (root, files) = locate(path)?;
    read_files(root, &files)
}

/// The review folder of the corpus at `path` (a file or a folder) and the corpus files to
/// read, sorted by path.
pub fn locate(path: &Path) -> Result<(PathBuf, Vec<PathBuf>), CorpusError> {
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CorpusError::NotFound(path.to_path_buf()),
        _ => CorpusError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    if meta.is_dir() {
        let files = corpus_files(path)?;
        if files.is_empty() {
            return Err(CorpusError::NoFiles(path.to_path_buf()));
        }
        Ok((path.to_path_buf(), files))
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok((root, vec![path.to_path_buf()]))
    }
}

/// Reads `files` (found by [`locate`]) into the corpus of the review folder `root`.
pub fn read_files(root: PathBuf, files: &[PathBuf]) -> Result<Corpus, CorpusError> {
    // Files are read on every core too (a review folder holds one file per database); the
    // results are taken in file order, so the first unreadable file is the one reported.
    let read: Vec<Result<(FileReport, Vec<Record>), CorpusError>> = files
        .par_iter()
        .map(|file| {
            let failed = |source| CorpusError::Io {
                path: file.clone(),
                source,
            };
            let name = relative_name(&root, file);
            // A large file is read a block at a time when it can be (UTF-8 RIS).
            if std::fs::metadata(file).map_err(failed)?.len() > BLOCK_BYTES as u64
                && let Some(read) = read_in_blocks(file, &name, BLOCK_BYTES).map_err(failed)?
            {
                return Ok(read);
            }
            let bytes = std::fs::read(file).map_err(failed)?;
            Ok(read_owned(&name, bytes))
        })
        .collect();
    let mut records = Vec::new();
    let mut reports = Vec::new();
    for result in read {
        let (report, file_records) = result?;
        records.extend(file_records);
        reports.push(report);
    }
    make_ids_unique(&mut records);
    Ok(Corpus {
        root,
        records: records.into(),
        files: reports,
    })
}

/// The decoded text of the corpus file `file` (a path relative to `root`, as in
/// [`Source::file`](crate::record::Source::file)): what the raw view slices records out of.
pub fn file_text(root: &Path, file: &str) -> Result<String, CorpusError> {
    let path = root.join(file);
    let bytes = std::fs::read(&path).map_err(|source| CorpusError::Io { path, source })?;
    Ok(file_decoded(&bytes).map(|d| d.text).unwrap_or_default())
}

/// A file's bytes as the text its records are read from: decoded text, or for a spreadsheet
/// workbook its bibliographic worksheet as CSV. `Err` says why a workbook has none.
fn file_decoded(bytes: &[u8]) -> Result<decode::Decoded, String> {
    if !spreadsheet::is_workbook(bytes) {
        return Ok(decode::decode(bytes));
    }
    spreadsheet::to_csv(bytes).map(|text| decode::Decoded {
        text,
        encoding: "workbook",
        bom: false,
        had_errors: false,
    })
}

/// Reads one file's bytes into cleaned records (ids not yet made unique across the corpus).
pub fn read_bytes(name: &str, bytes: &[u8]) -> (FileReport, Vec<Record>) {
    read_owned(name, bytes.to_vec())
}

/// [`read_bytes`] taking the bytes, so that UTF-8 text is read in place (no second copy of
/// the file in memory) and freed as soon as its records are made.
pub fn read_owned(name: &str, bytes: Vec<u8>) -> (FileReport, Vec<Record>) {
    let mut report = FileReport {
        path: name.to_string(),
        format: None,
        encoding: "binary",
        records: 0,
        no_title: 0,
        no_abstract: 0,
        warnings: Vec::new(),
        skipped: None,
    };
    let signature = binary_signature(&bytes);
    let decoded = match file_decoded_owned(bytes) {
        Ok(decoded) => decoded,
        Err(why) => {
            report.skipped = Some(why);
            return (report, Vec::new());
        }
    };
    report.encoding = decoded.encoding;
    let binary = signature.or_else(|| binary_text(&decoded.text));
    if let Some(kind) = binary.filter(|_| decoded.encoding != "workbook") {
        report.encoding = "binary";
        report.skipped = Some(kind);
        return (report, Vec::new());
    }
    if decoded.had_errors {
        report.warnings.push(Warning::new(
            0,
            format!("bytes invalid in {}; replaced by �", decoded.encoding),
        ));
    }
    let Some(format) = detect(&decoded.text) else {
        report.skipped = Some(if decoded.text.trim().is_empty() {
            "empty file".to_string()
        } else {
            "not a bibliographic format abstriage reads".to_string()
        });
        return (report, Vec::new());
    };
    let (records, warnings) = parallel::records(format, name, &decoded.text);
    report.format = Some(format);
    report.count(&records);
    report.warnings.extend(warnings);
    (report, records)
}

/// [`file_decoded`] taking the bytes.
fn file_decoded_owned(bytes: Vec<u8>) -> Result<decode::Decoded, String> {
    if spreadsheet::is_workbook(&bytes) {
        file_decoded(&bytes)
    } else {
        Ok(decode::decode_owned(bytes))
    }
}

/// What `bytes` are when they start with a known binary signature.
fn binary_signature(bytes: &[u8]) -> Option<String> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (
            b"PK\x03\x04",
            "a zip archive (an XLSX or DOCX file? save it as CSV or RIS)",
        ),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Office document (XLS/DOC? save it as CSV or RIS)",
        ),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| format!("binary file: {kind}"))
}

/// Characters at the start of a file that [`binary_text`] looks at.
const BINARY_SAMPLE: usize = 8192;

/// Whether decoded text is not text at all: NUL and control characters where text would be.
fn binary_text(text: &str) -> Option<String> {
    let sample: Vec<char> = text.chars().take(BINARY_SAMPLE).collect();
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\u{c}'))
        .count();
    (controls * 20 > sample.len().max(1)).then(|| "binary file: not text".to_string())
}

/// Gives the second and later records sharing an id (same DOI, or same title and year) the
/// suffixes `~2`, `~3`, ... in corpus order, so every record can be decided on its own.
pub fn make_ids_unique(records: &mut [Record]) {
    let mut seen: HashMap<RecordId, usize> = HashMap::new();
    for record in records.iter_mut() {
        let count = seen.entry(record.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            record.id = RecordId::new(format!("{}~{count}", record.id));
        }
    }
}

pub(crate) fn relative_name(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Corpus files below `dir`, sorted by path: known endings only; hidden entries, the
/// decisions folder and the review file are left out.
pub fn corpus_files(dir: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| CorpusError::Io {
            path: current.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| CorpusError::Io {
                path: current.clone(),
                source,
            })?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.')
                || (current == dir && (name == DECISIONS_DIR || name == REVIEW_FILE))
            {
                continue;
            }
            let file_type = entry.file_type().map_err(|source| CorpusError::Io {
                path: path.clone(),
                source,
            })?;
            if file_type.is_dir() {
                stack.push(path);
            } else if has_corpus_extension(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn has_corpus_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CORPUS_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether `dir` holds anything abstriage can open (used to decide what to open by default).
pub fn holds_corpus(dir: &Path) -> bool {
    dir.join(REVIEW_FILE).is_file() || corpus_files(dir).is_ok_and(|files| !files.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_ids_get_ordinal_suffixes() {
        let (_, mut records) = read_bytes("a.ris", b"TY  - JOUR\nTI  - Same\nER  - \nTY  - JOUR\nTI  - Same\nER  - \nTY  - JOUR\nTI  - Same\nER  - \n");
        make_ids_unique(&mut records);
        let ids: Vec<_> = records.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids[1], format!("{}~2", ids[0]));
        assert_eq!(ids[2], format!("{}~3", ids[0]));
    }

    #[test]
    fn binary_files_are_reported_by_kind() {
        let (report, records) = read_bytes("sheet.xlsx", b"PK\x03\x04\x14\x00rest");
        assert!(records.is_empty());
        let why = report.skipped.unwrap_or_default();
        assert!(
            why.starts_with("not a workbook abstriage can read"),
            "{why}"
        );
        let (report, _) = read_bytes("scan.pdf", b"%PDF-1.7 ...");
        assert_eq!(
            report.skipped.as_deref(),
            Some("binary file: a PDF document")
        );
        let (report, _) = read_bytes("blob.txt", &[0u8, 1, 2, 3, 4, 5, 6, 7, 0, 0, 9]);
        assert_eq!(report.skipped.as_deref(), Some("binary file: not text"));
    }

    #[test]
    fn files_that_are_not_bibliographic_are_reported_not_fatal() {
        let (report, records) = read_bytes("notes.txt", b"just a note\n");
        assert!(records.is_empty());
        assert_eq!(
            report.skipped.as_deref(),
            Some("not a bibliographic format abstriage reads")
        );
        let (report, _) = read_bytes("empty.ris", b"  \n");
        assert_eq!(report.skipped.as_deref(), Some("empty file"));
    }
}
