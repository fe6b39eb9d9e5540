//! A large RIS file read from disk a block at a time: each block's records are parsed and
//! cleaned on every core and its text freed before the next block is read, so the file's
//! text is never whole in memory beside its records (issue 8: the first open of a
//! 100,000-record corpus peaked at 2.9 times the file, a third of it the file's text).
//!
//! Only UTF-8 RIS is read so, in the pieces [`parallel`](super::parallel) cuts; anything else
//! — another format or encoding, bytes that are not UTF-8, a piece tied to the one before —
//! is left to the whole read ([`read_owned`](super::read_owned)), and the records, their
//! lines and spans and the warnings are those of the whole read either way
//! (the tests, over every RIS file of the shared corpora cut into small blocks).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use rayon::prelude::*;

use super::parallel::{PIECE_BYTES, chunks, read_piece};
use super::raw::Warning;
use super::{
    BINARY_SAMPLE, FileReport, Format, binary_signature, binary_text, decode, detect, ris,
};
use crate::record::Record;

/// Bytes read at a time: sixteen pieces, enough to keep every core busy.
pub(super) const BLOCK_BYTES: usize = 16 * PIECE_BYTES;

/// Reads the RIS file at `path` (named `name`) `block` bytes at a time. `Ok(None)` when it is
/// not UTF-8 RIS that can be read so: the whole read takes it.
pub(super) fn read_in_blocks(
    path: &Path,
    name: &str,
    block: usize,
) -> io::Result<Option<(FileReport, Vec<Record>)>> {
    read_in_pieces_of(path, name, block, PIECE_BYTES)
}

/// [`read_in_blocks`], each block cut in pieces of about `piece` bytes.
fn read_in_pieces_of(
    path: &Path,
    name: &str,
    block: usize,
    piece: usize,
) -> io::Result<Option<(FileReport, Vec<Record>)>> {
    // Text carried over from block to block before the file is left to the whole read (a
    // file with no place to cut it).
    let most_carried = (4 * block.max(piece)).max(1 << 20);
    let mut file = File::open(path)?;
    let mut reader = Blocks {
        name,
        piece,
        records: Vec::new(),
        warnings: Vec::new(),
        offset: 0,
        lines: 0,
    };
    // Bytes read and not yet taken as text.
    let mut pending: Vec<u8> = Vec::new();
    let mut first = true;
    loop {
        let read = (&mut file).take(block as u64).read_to_end(&mut pending)?;
        let end = read < block;
        if first {
            if !starts_as_utf8(&mut pending) {
                return Ok(None);
            }
            first = false;
        }
        // Up to the last line end: no character or `\r\n` is cut in two.
        let upto = match pending.iter().rposition(|&b| b == b'\n') {
            _ if end => pending.len(),
            Some(i) => i + 1,
            None if pending.len() > most_carried => return Ok(None),
            None => continue,
        };
        let rest = pending.split_off(upto);
        let Ok(text) = String::from_utf8(std::mem::replace(&mut pending, rest)) else {
            return Ok(None);
        };
        let text = decode::unify_line_ends_owned(text);
        if reader.offset == 0 {
            // The whole read looks at the text's first 8,192 characters (is it text?) and
            // lines (which format?): so does this, once it has them.
            if !end && text.chars().nth(BINARY_SAMPLE).is_none() {
                let mut next = text.into_bytes();
                next.append(&mut pending);
                pending = next;
                continue;
            }
            if binary_text(&text).is_some() || detect(&text) != Some(Format::Ris) {
                return Ok(None);
            }
        }
        let Some(carried) = reader.take(&text, end) else {
            return Ok(None);
        };
        if carried.len() > most_carried {
            return Ok(None);
        }
        // What the last piece holds goes on in the next block (its line ends unified
        // already: unifying again changes nothing).
        let mut next = carried.as_bytes().to_vec();
        next.append(&mut pending);
        pending = next;
        if end {
            break;
        }
    }
    Ok(Some(reader.finish()))
}

/// Whether a file starting with `bytes` may be UTF-8 text read in blocks: no binary
/// signature, no other encoding's byte-order mark, not UTF-16 without one, the first bytes
/// valid UTF-8.
/// A UTF-8 byte-order mark is dropped, as the whole read drops it.
fn starts_as_utf8(bytes: &mut Vec<u8>) -> bool {
    if binary_signature(bytes).is_some() {
        return false;
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            return false;
        }
        bytes.drain(..bom);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let valid = match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        // A block may end inside a character: what comes before it decides.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    valid.is_some_and(|text| decode::sniff(text.as_bytes()) == encoding_rs::UTF_8)
}

/// The records read so far and where the next block starts.
struct Blocks<'n> {
    name: &'n str,
    /// Bytes of a piece.
    piece: usize,
    records: Vec<Record>,
    warnings: Vec<Warning>,
    /// Bytes of text before the block being read.
    offset: usize,
    /// Lines before it.
    lines: usize,
}

impl Blocks<'_> {
    /// Reads the pieces of `text` (the next block) but the last, which may go on in the next
    /// block, unless this is the file's `end`; returns the text not read, or `None` when a
    /// piece cannot be read apart from the one before.
    fn take<'t>(&mut self, text: &'t str, end: bool) -> Option<&'t str> {
        let pieces = chunks(text, self.piece);
        let done = if end { pieces.len() } else { pieces.len() - 1 };
        let first_of_file = self.offset == 0;
        let read: Vec<Option<(ris::Chunk, Vec<Record>)>> = pieces[..done]
            .par_iter()
            .enumerate()
            .map(|(n, range)| {
                let last_of_file = end && n + 1 == done;
                read_piece(self.name, text, range.clone(), self.offset, |chunk| {
                    (last_of_file || chunk.ends_clean)
                        && ((first_of_file && n == 0) || !chunk.needs_previous)
                })
            })
            .collect();
        for (chunk, piece) in read.into_iter().collect::<Option<Vec<_>>>()? {
            for mut record in piece {
                record.source.index = self.records.len();
                record.source.line += self.lines;
                self.records.push(record);
            }
            self.warnings
                .extend(chunk.parsed.warnings.into_iter().map(|mut w| {
                    w.line += self.lines;
                    w
                }));
            self.lines += chunk.lines;
        }
        let rest = pieces.get(done).map_or(text.len(), |r| r.start);
        self.offset += rest;
        Some(&text[rest..])
    }

    fn finish(self) -> (FileReport, Vec<Record>) {
        let mut report = FileReport {
            path: self.name.to_string(),
            format: Some(Format::Ris),
            encoding: encoding_rs::UTF_8.name(),
            records: 0,
            no_title: 0,
            no_abstract: 0,
            warnings: self.warnings,
            skipped: None,
        };
        report.count(&self.records);
        (report, self.records)
    }
}

#[cfg(test)]
mod tests;
