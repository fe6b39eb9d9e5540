//! Reading a file's records on every core: RIS cut into pieces that are parsed and cleaned
//! apart, the records of other formats cleaned apart after one parse. The records, their
//! order, indices, lines and spans, and the warnings are those of reading in order.

use rayon::prelude::*;

use super::raw::{RawRecord, Warning};
use super::{Format, parse, ris};
use crate::clean::clean_record;
use crate::record::{Record, Source};

/// Bytes of RIS parsed as one piece: enough pieces to keep every core busy and each piece's
/// raw records short-lived, few enough that cutting costs nothing.
pub(super) const PIECE_BYTES: usize = 2 << 20;

/// The cleaned records of `text` (a file of `format` named `name`) and the parser's warnings.
pub(super) fn records(format: Format, name: &str, text: &str) -> (Vec<Record>, Vec<Warning>) {
    if format == Format::Ris
        && let Some(read) = ris_in_pieces(name, text, PIECE_BYTES)
    {
        return read;
    }
    let parsed = parse(format, text);
    let records = parsed
        .records
        .into_par_iter()
        .enumerate()
        .map(|(index, raw)| clean_one(raw, name, text, 0, index))
        .collect();
    (records, parsed.warnings)
}

/// One raw record cleaned, its source set; `index` is its position in the file, `text` the
/// part of the file's text starting at its byte `base` that holds the record.
fn clean_one(raw: RawRecord, name: &str, text: &str, base: usize, index: usize) -> Record {
    let source = Source {
        file: name.to_string(),
        index,
        line: raw.line,
        span: raw.span.clone(),
    };
    let local = raw.span.start.saturating_sub(base)..raw.span.end.saturating_sub(base);
    let raw_text = text.get(local).unwrap_or_default();
    clean_record(&raw, source, raw_text)
}

/// The RIS piece `range` of `text` (the part of the file's text starting at its byte `base`)
/// parsed, and when `apart` says it can be read apart from its neighbours, its records
/// cleaned: spans in the whole file's text, index 0 and lines counted from the piece's first
/// (the caller numbers them once the pieces before are counted).
pub(super) fn read_piece(
    name: &str,
    text: &str,
    range: std::ops::Range<usize>,
    base: usize,
    apart: impl Fn(&ris::Chunk) -> bool,
) -> Option<(ris::Chunk, Vec<Record>)> {
    let mut chunk = ris::parse_chunk(&text[range.clone()], base + range.start);
    if !apart(&chunk) {
        return None;
    }
    let records = std::mem::take(&mut chunk.parsed.records)
        .into_iter()
        .map(|raw| clean_one(raw, name, text, base, 0))
        .collect();
    Some((chunk, records))
}

/// RIS read in pieces on every core; `None` when the file is one piece, or when a piece
/// turned out to depend on the one before it (then the whole file is read at once).
fn ris_in_pieces(name: &str, text: &str, size: usize) -> Option<(Vec<Record>, Vec<Warning>)> {
    let pieces = chunks(text, size);
    if pieces.len() < 2 {
        return None;
    }
    let last = pieces.len() - 1;
    let read: Vec<Option<(ris::Chunk, Vec<Record>)>> = pieces
        .into_par_iter()
        .enumerate()
        .map(|(n, range)| {
            // Index and line are set below, once the pieces before are counted.
            read_piece(name, text, range, 0, |chunk| {
                (n == last || chunk.ends_clean) && (n == 0 || !chunk.needs_previous)
            })
        })
        .collect();
    let read: Vec<(ris::Chunk, Vec<Record>)> = read.into_iter().collect::<Option<_>>()?;
    let mut records = Vec::with_capacity(read.iter().map(|(_, r)| r.len()).sum());
    let mut warnings = Vec::new();
    let mut lines_before = 0;
    for (chunk, piece) in read {
        for mut record in piece {
            record.source.index = records.len();
            record.source.line += lines_before;
            records.push(record);
        }
        warnings.extend(chunk.parsed.warnings.into_iter().map(|mut w| {
            w.line += lines_before;
            w
        }));
        lines_before += chunk.lines;
    }
    Some((records, warnings))
}

/// Cuts `text` into pieces of about `size` bytes or more that can be parsed apart (in
/// parallel): each cut is at the start of a `TY` line whose previous non-blank line is an
/// empty `ER` line, where the parser holds no record. Ranges of the whole text, in order.
pub(super) fn chunks(text: &str, size: usize) -> Vec<std::ops::Range<usize>> {
    let mut cuts = vec![0];
    let mut from = size;
    while from < text.len() {
        match next_cut(text, from) {
            Some(cut) => {
                cuts.push(cut);
                from = cut + size;
            }
            None => break,
        }
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The first place at or after byte `from` where [`chunks`] may cut.
fn next_cut(text: &str, mut from: usize) -> Option<usize> {
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut search = from;
    while let Some(found) = text.get(search..)?.find("\nTY ") {
        let line_start = search + found + 1;
        search = line_start;
        let line = text[line_start..].split('\n').next().unwrap_or_default();
        if !matches!(ris::tag_line(line), Some(("TY", _))) {
            continue;
        }
        let previous = text[..line_start]
            .rsplit('\n')
            .map(str::trim)
            .find(|l| !l.is_empty());
        let closes = previous.is_some_and(|l| {
            matches!(ris::tag_line(l), Some(("ER", v)) if v.trim().is_empty())
                && ris::split_flattened(l).is_none()
        });
        if closes {
            return Some(line_start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An RIS file of `records` records, with every `unusual`th record followed by lines
    /// that tie it to its neighbours: an empty record whose `ER` is followed by a tag (which
    /// goes to the record before), a `Key: value` line (kept for the next record), a record
    /// without `ER`, a stray `ER`.
    fn ris_text(records: usize, unusual: bool) -> String {
        let mut text = String::new();
        for n in 0..records {
            text.push_str(&format!(
                "TY  - JOUR\nTI  - Title {n}\nAU  - Doe, J\nAB  - Text {n}\nsecond line\nER  - \n\n"
            ));
            match (unusual, n % 50) {
                (true, 10) => text.push_str("TY  - JOUR\nER  - \nNL  - Orphan tag\n\n"),
                (true, 20) => text.push_str("Provider: Someone\n\n"),
                (true, 30) => text.push_str("TY  - JOUR\nTI  - Unclosed\n\n"),
                (true, 40) => text.push_str("ER  - \n\n"),
                _ => {}
            }
        }
        text
    }

    /// Reading the whole file at once, in order.
    fn in_order(text: &str) -> (Vec<Record>, Vec<Warning>) {
        let parsed = ris::parse(text);
        let records = parsed
            .records
            .into_iter()
            .enumerate()
            .map(|(i, raw)| clean_one(raw, "f.ris", text, 0, i))
            .collect();
        (records, parsed.warnings)
    }

    #[test]
    fn pieces_read_as_the_whole_file() {
        let text = ris_text(400, false);
        let expected = in_order(&text);
        assert_eq!(expected.0.len(), 400);
        assert_eq!(expected.0[399].source.line, 399 * 7 + 1);
        for size in [1, 100, 1000, 5000] {
            assert!(chunks(&text, size).len() > 1);
            let read = ris_in_pieces("f.ris", &text, size);
            assert_eq!(read, Some(expected.clone()), "pieces of {size} bytes");
        }
    }

    #[test]
    fn pieces_tied_to_their_neighbours_are_read_whole() {
        let text = ris_text(400, true);
        let expected = in_order(&text);
        assert!(!expected.1.is_empty(), "the unusual records give warnings");
        let orphan = &expected.0[10].extra;
        assert_eq!(orphan.get("journal abbreviation"), Some("Orphan tag"));
        // Cut everywhere possible: some piece starts with the empty record.
        assert_eq!(ris_in_pieces("f.ris", &text, 1), None);
        for size in [1, 100, 1000, 5000, text.len()] {
            let read = ris_in_pieces("f.ris", &text, size).unwrap_or_else(|| in_order(&text));
            assert_eq!(read, expected, "pieces of {size} bytes");
        }
    }
}
