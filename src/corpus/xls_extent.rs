//! How much memory an XLS (BIFF) workbook will make calamine allocate, checked before it is
//! opened.
//!
//! calamine builds every worksheet of an `.xls` as a dense rectangle from its first to its
//! last used cell, and reserves room for the rectangle a sheet's DIMENSIONS record claims,
//! all while opening the file, before abstriage sees a cell. A few bytes can claim billions
//! of cells, and an allocation that large aborts the program. This module walks the workbook
//! stream's records the way calamine will (from each sheet's offset to its end-of-file
//! record) and refuses a sheet larger than BIFF8 itself allows, 65,536 rows × 256 columns.

use std::io::{Cursor, Read};

/// Most cells one XLS worksheet may span: BIFF8's own limit, 65,536 rows × 256 columns.
pub const MAX_SHEET_CELLS: u64 = 65_536 * 256;

/// Record types (MS-XLS 2.3).
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MULRK: u16 = 0x00BD;
/// Records whose data starts with the cell's row and column, as calamine reads them.
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

/// `Err` naming the worksheet when opening the workbook would allocate for more than
/// [`MAX_SHEET_CELLS`] cells in one sheet. A file that is not a readable XLS passes: calamine
/// then reports what is wrong with it.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut stream = Vec::new();
    let read = ["/Workbook", "/Book"]
        .iter()
        .find_map(|name| file.open_stream(name).ok())
        // A stream cannot hold more than the file's sectors; the cap guards a corrupt size.
        .map(|s| s.take(bytes.len() as u64 * 2).read_to_end(&mut stream));
    if !matches!(read, Some(Ok(_))) {
        return Ok(());
    }
    let offsets: Vec<usize> = records(&stream, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, data)| *kind == BOUNDSHEET && data.len() >= 4)
        .filter_map(|(_, data)| usize::try_from(u32_at(data, 0)).ok())
        .collect();
    for (sheet, offset) in offsets.into_iter().enumerate() {
        let cells = sheet_extent(&stream, offset);
        if cells > MAX_SHEET_CELLS {
            return Err(format!(
                "worksheet {}: spans {cells} cells, more than an XLS sheet can hold \
                 ({MAX_SHEET_CELLS}); the file is damaged or crafted",
                sheet + 1
            ));
        }
    }
    Ok(())
}

/// The most cells calamine will allocate for the sheet at `offset`: the larger of the
/// rectangle its DIMENSIONS record claims and the one its cells span.
fn sheet_extent(stream: &[u8], offset: usize) -> u64 {
    let mut claimed = 0u64;
    let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
    let mut see = |row: u32, col: u32| {
        rows = (rows.0.min(row), rows.1.max(row));
        cols = (cols.0.min(col), cols.1.max(col));
    };
    let mut seen_bof = false;
    let mut depth = 0usize;
    for (kind, data) in records(stream, offset) {
        match kind {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF if depth == 0 => break,
            EOF => depth -= 1,
            DIMENSIONS => claimed = claimed.max(dimensions(data)),
            MULRK if data.len() >= 6 => {
                let row = u32::from(u16_at(data, 0));
                see(row, u32::from(u16_at(data, 2)));
                see(row, u32::from(u16_at(data, data.len() - 2)));
            }
            kind if CELLS.contains(&kind) && data.len() >= 4 => {
                see(u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
            }
            _ => {}
        }
    }
    let spanned = if rows.0 > rows.1 {
        0
    } else {
        u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1)
    };
    claimed.max(spanned)
}

/// The cells a DIMENSIONS record claims, read as calamine reads it.
fn dimensions(data: &[u8]) -> u64 {
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)),
            u32::from(u16_at(data, 2)),
            u32::from(u16_at(data, 4)),
            u32::from(u16_at(data, 6)),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u32::from(u16_at(data, 8)),
            u32::from(u16_at(data, 10)),
        ),
        _ => return 0,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return 0;
    }
    // calamine computes the row count in 32 bits; it wraps when the first row is past the last.
    let rows = (last_row - 1).wrapping_sub(first_row).wrapping_add(1);
    let cols = (last_col - 1).wrapping_sub(first_col).wrapping_add(1);
    u64::from(rows) * u64::from(cols)
}

/// The records of `stream` from `offset`: (type, data), until the stream ends or a record
/// runs past it.
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = offset;
    std::iter::from_fn(move || {
        let header = stream.get(at..at.checked_add(4)?)?;
        let kind = u16_at(header, 0);
        let len = usize::from(u16_at(header, 2));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data))
    })
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend_from_slice(&u16::try_from(data.len()).unwrap().to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend_from_slice(&col.to_le_bytes());
        data.extend_from_slice(&[0; 10]);
        record(0x0203, &data)
    }

    /// A workbook stream: globals with one BOUNDSHEET, then the sheet's records.
    fn stream(sheet: &[Vec<u8>]) -> Vec<u8> {
        let globals_len = (4 + 16) + (4 + 8) + 4;
        let mut out = record(BOF, &[0; 16]);
        let mut bound = u32::try_from(globals_len).unwrap().to_le_bytes().to_vec();
        bound.extend_from_slice(&[0, 0, 1, 0]);
        out.extend(record(BOUNDSHEET, &bound));
        out.extend(record(EOF, &[]));
        assert_eq!(out.len(), globals_len);
        out.extend(record(BOF, &[0; 16]));
        for r in sheet {
            out.extend_from_slice(r);
        }
        out.extend(record(EOF, &[]));
        out
    }

    fn cfb_with(stream: &[u8]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        {
            let mut workbook = file.create_stream("/Workbook").unwrap();
            std::io::Write::write_all(&mut workbook, stream).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn an_ordinary_sheet_passes() {
        let sheet = [number(0, 0), number(99, 3)];
        assert_eq!(sheet_extent(&stream(&sheet), 36), 400);
        assert_eq!(check(&cfb_with(&stream(&sheet))), Ok(()));
    }

    #[test]
    fn cells_at_opposite_corners_of_a_malformed_sheet_are_refused() {
        // Column 65,535 is past BIFF8's 256, but calamine takes it: 65,536 × 65,536 cells.
        let sheet = [number(0, 0), number(65_535, 65_535)];
        let crafted = cfb_with(&stream(&sheet));
        let error = check(&crafted).unwrap_err();
        assert!(
            error.starts_with("worksheet 1: spans 4294967296 cells"),
            "{error}"
        );
        // Reading the file as a corpus stops there, before calamine opens it.
        let error = crate::corpus::spreadsheet::to_csv(&crafted).unwrap_err();
        assert!(error.contains("more than an XLS sheet can hold"), "{error}");
    }

    #[test]
    fn a_dimensions_record_claiming_billions_of_rows_is_refused() {
        // BIFF8 DIMENSIONS: first row 0, last row 4,000,000,000 (exclusive), columns 0..200.
        let mut data = 0u32.to_le_bytes().to_vec();
        data.extend_from_slice(&4_000_000_000u32.to_le_bytes());
        data.extend_from_slice(&0u16.to_le_bytes());
        data.extend_from_slice(&200u16.to_le_bytes());
        data.extend_from_slice(&[0, 0]);
        let sheet = [record(DIMENSIONS, &data), number(0, 0)];
        assert!(check(&cfb_with(&stream(&sheet))).is_err());
    }

    #[test]
    fn a_real_xls_passes_and_is_read() {
        // tests/fixtures/small.xls: written with xlwt 1.3.0 (a header row and two records).
        let bytes = include_bytes!("../../tests/fixtures/small.xls");
        assert_eq!(check(bytes), Ok(()));
        let (_, records) = crate::corpus::read_bytes("small.xls", bytes);
        let titles: Vec<&str> = records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Nurse-led follow-up after discharge: a randomised trial",
                "Group consultations in general practice"
            ]
        );
    }

    #[test]
    fn what_is_not_an_xls_passes_to_calamine() {
        assert_eq!(check(b"\xD0\xCF\x11\xE0 not really"), Ok(()));
        assert_eq!(check(&cfb_with(&[1, 2, 3])), Ok(()));
    }
}
