//! A cached corpus on disk: a signature and the key, a header (the file reports and duplicate
//! detection's links), then the records in chunks, each block prefixed by its length and
//! checksum, all in postcard. Chunks are decoded on every core as they are read, so the file is never whole
//! in memory beside the records it becomes.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::Key;
use crate::corpus::raw::Warning;
use crate::corpus::{FileReport, Format};
use crate::dedup::Automatic;
use crate::record::Record;

/// First bytes of every cache file.
const SIGNATURE: &[u8; 16] = b"abstriage cache\n";

/// Records per chunk: a few megabytes, enough chunks to keep both cores busy.
const CHUNK: usize = 2_048;

/// Longest header or chunk believed; a longer length means a corrupt file, not an allocation.
const MAX_BLOCK: u64 = 1 << 32;

/// What comes before the records.
#[derive(Serialize, Deserialize)]
struct Header {
    files: Vec<Report>,
    automatic: Automatic,
    records: u64,
    chunks: u64,
}

/// A [`FileReport`] as stored (its encoding name owned).
#[derive(Serialize, Deserialize)]
struct Report {
    path: String,
    format: Option<Format>,
    encoding: String,
    records: usize,
    no_title: usize,
    no_abstract: usize,
    warnings: Vec<Warning>,
    skipped: Option<String>,
}

impl Report {
    fn of(report: &FileReport) -> Self {
        Self {
            path: report.path.clone(),
            format: report.format,
            encoding: report.encoding.to_string(),
            records: report.records,
            no_title: report.no_title,
            no_abstract: report.no_abstract,
            warnings: report.warnings.clone(),
            skipped: report.skipped.clone(),
        }
    }

    fn into_report(self) -> io::Result<FileReport> {
        Ok(FileReport {
            encoding: encoding_name(&self.encoding)
                .ok_or_else(|| invalid(format!("unknown encoding {}", self.encoding)))?,
            path: self.path,
            format: self.format,
            records: self.records,
            no_title: self.no_title,
            no_abstract: self.no_abstract,
            warnings: self.warnings,
            skipped: self.skipped,
        })
    }
}

/// The static name of an encoding a report can give.
fn encoding_name(name: &str) -> Option<&'static str> {
    match name {
        "binary" => Some("binary"),
        "workbook" => Some("workbook"),
        _ => encoding_rs::Encoding::for_label(name.as_bytes())
            .map(|e| e.name())
            .filter(|&n| n == name),
    }
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// What a cache file holds.
pub(super) type Contents = (Arc<[Record]>, Vec<FileReport>, Automatic);

/// Reads the cached corpus at `path`; `Ok(None)` when there is none, `Err` when it cannot be
/// used (another layout, a different key, truncated or corrupt).
pub(super) fn read(path: &Path, key: &Key) -> io::Result<Option<Contents>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut input = BufReader::with_capacity(1 << 20, file);
    let mut start = [0; 32];
    input.read_exact(&mut start)?;
    if &start[..16] != SIGNATURE || start[16..] != key.bytes() {
        return Err(invalid("not a cache of this corpus"));
    }
    let header: Header = postcard::from_bytes(&block(&mut input)?).map_err(invalid_data)?;
    let files = header
        .files
        .into_iter()
        .map(Report::into_report)
        .collect::<io::Result<Vec<_>>>()?;
    // Chunks are read in order on this thread and decoded on every core as they come; at
    // most a chunk per core is waiting, so the file is never whole in memory.
    let chunks = (0..header.chunks).map(|_| block(&mut input));
    let mut decoded: Vec<(usize, Vec<Record>)> = chunks
        .enumerate()
        .par_bridge()
        .map(|(n, bytes)| {
            let records = postcard::from_bytes(&bytes?).map_err(invalid_data)?;
            Ok((n, records))
        })
        .collect::<io::Result<_>>()?;
    decoded.sort_unstable_by_key(|&(n, _)| n);
    let mut records = Vec::with_capacity(header.records.try_into().unwrap_or(0));
    for (_, chunk) in decoded {
        records.extend(chunk);
    }
    if records.len() as u64 != header.records || !header.automatic.fits(records.len()) {
        return Err(invalid("records missing"));
    }
    Ok(Some((records.into(), files, header.automatic)))
}

fn invalid_data(error: postcard::Error) -> io::Error {
    invalid(error.to_string())
}

/// One block: its length and checksum (xxh3-64, so a damaged file is never read as other
/// records), then its bytes.
fn block(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut prefix = [0; 16];
    input.read_exact(&mut prefix)?;
    let (length, checksum) = prefix.split_at(8);
    let length = u64::from_le_bytes(length.try_into().map_err(|_| invalid("prefix"))?);
    if length > MAX_BLOCK {
        return Err(invalid("block too long"));
    }
    let mut bytes = Vec::new();
    input.take(length).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    if xxh3_64(&bytes).to_le_bytes() != checksum {
        return Err(invalid("checksum"));
    }
    Ok(bytes)
}

fn write_block(output: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    output.write_all(&(bytes.len() as u64).to_le_bytes())?;
    output.write_all(&xxh3_64(bytes).to_le_bytes())?;
    output.write_all(bytes)
}

/// Writes the cached corpus to `path`: to a temporary file beside it, renamed into place
/// when complete, so a reader never sees half a file.
pub(super) fn write(
    path: &Path,
    key: &Key,
    records: &[Record],
    files: &[FileReport],
    automatic: &Automatic,
) -> io::Result<()> {
    let temporary = path.with_extension(format!("{}.partial", std::process::id()));
    let write_temporary = || -> io::Result<()> {
        let mut output = BufWriter::with_capacity(1 << 20, File::create(&temporary)?);
        output.write_all(SIGNATURE)?;
        output.write_all(&key.bytes())?;
        let header = Header {
            files: files.iter().map(Report::of).collect(),
            automatic: automatic.clone(),
            records: records.len() as u64,
            chunks: records.chunks(CHUNK).len() as u64,
        };
        write_block(
            &mut output,
            &postcard::to_stdvec(&header).map_err(invalid_data)?,
        )?;
        for chunk in records.chunks(CHUNK) {
            write_block(
                &mut output,
                &postcard::to_stdvec(chunk).map_err(invalid_data)?,
            )?;
        }
        output.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    let result = write_temporary().and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
