//! A corpus: the records of one file, or of every bibliographic file in a folder.
//! Formats are detected from content, never from the file name.

pub mod decode;
pub mod endnote;
pub mod raw;
pub mod ris;
pub mod web;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::clean::clean_record;
use crate::record::{Record, RecordId, Source};

use self::raw::{Parsed, Warning};

/// A bibliographic file format abstriage reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RIS, including one-line RIS.
    Ris,
    /// Text copied from web pages.
    WebText,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Ris => "RIS",
            Format::WebText => "web text",
        })
    }
}

/// Detects the format of decoded text, or `None` when it holds no bibliographic records.
pub fn detect(text: &str) -> Option<Format> {
    if ris::detect(text) {
        Some(Format::Ris)
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
    /// Problems found, with their lines.
    pub warnings: Vec<Warning>,
    /// Why the file was skipped, when it was.
    pub skipped: Option<String>,
}

/// The records of a review, in corpus order (files sorted by path, records in file order).
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The review folder: the corpus directory, or the directory of a single-file corpus.
    pub root: PathBuf,
    /// Every record, cleaned, with unique ids.
    pub records: Vec<Record>,
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
    "enl", "ciw", "isi", "ovd", "cgi",
];

/// Folder, inside a review folder, where decision files live (never read as corpus).
pub const DECISIONS_DIR: &str = "screening";

/// File, inside a review folder, holding the review protocol (never read as corpus).
pub const REVIEW_FILE: &str = "review.toml";

/// Opens a corpus: a single file, or every corpus file below a folder.
pub fn load(path: &Path) -> Result<Corpus, CorpusError> {
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CorpusError::NotFound(path.to_path_buf()),
        _ => CorpusError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let (root, files) = if meta.is_dir() {
        let files = corpus_files(path)?;
        if files.is_empty() {
            return Err(CorpusError::NoFiles(path.to_path_buf()));
        }
        (path.to_path_buf(), files)
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, vec![path.to_path_buf()])
    };
    let mut records = Vec::new();
    let mut reports = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).map_err(|source| CorpusError::Io {
            path: file.clone(),
            source,
        })?;
        let name = relative_name(&root, file);
        let (report, file_records) = read_bytes(&name, &bytes);
        records.extend(file_records);
        reports.push(report);
    }
    make_ids_unique(&mut records);
    Ok(Corpus {
        root,
        records,
        files: reports,
    })
}

/// Reads one file's bytes into cleaned records (ids not yet made unique across the corpus).
pub fn read_bytes(name: &str, bytes: &[u8]) -> (FileReport, Vec<Record>) {
    let decoded = decode::decode(bytes);
    let mut report = FileReport {
        path: name.to_string(),
        format: None,
        encoding: decoded.encoding,
        records: 0,
        warnings: Vec::new(),
        skipped: None,
    };
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
    let parsed = parse(format, &decoded.text);
    let records: Vec<Record> = parsed
        .records
        .iter()
        .enumerate()
        .map(|(index, raw)| {
            let source = Source {
                file: name.to_string(),
                index,
                line: raw.line,
            };
            let raw_text = decoded.text.get(raw.span.clone()).unwrap_or_default();
            clean_record(raw, source, raw_text)
        })
        .collect();
    report.format = Some(format);
    report.records = records.len();
    report.warnings.extend(parsed.warnings);
    (report, records)
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

fn relative_name(root: &Path, file: &Path) -> String {
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
