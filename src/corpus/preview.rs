//! The first records of a large corpus, read from the start of its files: what the screening
//! view shows while the whole corpus is read in the background (issue 8: a 100,000-record
//! corpus on screen within a second, when reading all of it for the first time takes three).
//!
//! A preview's records are exactly the first records of the whole corpus — the same ids,
//! fields, cleaning, positions and lines — so a decision made on one before the rest is read
//! stands on the same record after. That holds because the bytes read are a prefix of the
//! file cut at a line end, the record the cut may fall inside is left out, and only formats
//! whose records are read one after the other without looking ahead are read in part
//! (`tests/preview.rs` compares previews cut anywhere with the whole read, over every file of
//! the shared corpora).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Corpus, FileReport, Format, make_ids_unique, read_owned, relative_name, spreadsheet};
use crate::record::Record;

/// Whether the complete records at the start of a file of `format` are read as they are read
/// from the whole file. Text copied from web pages may not be: how its lines are read depends
/// on the whole text (whether it is mostly in Latin script).
fn reads_in_part(format: Format) -> bool {
    !matches!(format, Format::WebText)
}

/// The records of the first `budget` bytes of the corpus `files` (found by
/// [`locate`](super::locate) in `root`): whole files while they fit, then the complete records
/// at the start of the next one. `None` when that gives no record: the first file left to
/// read is a workbook or a web page, has no line end within the budget, or cannot be read
/// (the whole read reports why).
pub fn preview(root: &Path, files: &[PathBuf], budget: u64) -> Option<Corpus> {
    let mut records = Vec::new();
    let mut reports = Vec::new();
    let mut left = budget;
    for file in files {
        let size = std::fs::metadata(file).ok()?.len();
        let name = relative_name(root, file);
        if size <= left {
            let bytes = std::fs::read(file).ok()?;
            let (report, file_records) = read_owned(&name, bytes);
            records.extend(file_records);
            reports.push(report);
            left -= size;
            continue;
        }
        if let Some((report, file_records)) = start_of(file, &name, left) {
            records.extend(file_records);
            reports.push(report);
        }
        break;
    }
    if records.is_empty() {
        return None;
    }
    make_ids_unique(&mut records);
    Some(Corpus {
        root: root.to_path_buf(),
        records: records.into(),
        files: reports,
    })
}

/// The complete records within the first `budget` bytes of `file` (named `name`), which is
/// longer than that, with the report of reading them.
fn start_of(file: &Path, name: &str, budget: u64) -> Option<(FileReport, Vec<Record>)> {
    let mut bytes = Vec::new();
    File::open(file)
        .ok()?
        .take(budget)
        .read_to_end(&mut bytes)
        .ok()?;
    if spreadsheet::is_workbook(&bytes) {
        return None;
    }
    // Cut after the last line end: no character or line is cut in two.
    let cut = bytes.iter().rposition(|&b| b == b'\n')? + 1;
    bytes.truncate(cut);
    let (mut report, mut records) = read_owned(name, bytes);
    if !report.format.is_some_and(reads_in_part) {
        return None;
    }
    // The last record may go on past the cut.
    records.pop();
    report.count(&records);
    Some((report, records))
}
