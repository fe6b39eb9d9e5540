//! Spreadsheet workbooks (XLSX, XLS, XLSB, ODS), as EPPI-Reviewer, Embase and Covidence export
//! them. The first worksheet with bibliographic columns becomes CSV text, which the table
//! reader then reads like any other delimited export, so the same column names, cleaning and
//! raw view apply.

use std::io::{Cursor, Read, Seek};

use calamine::{Cell, Data, DataType, Reader, Sheets, open_workbook_auto_from_rs};

/// Most non-empty cells read from one worksheet. A real export of 100,000 records with
/// Zotero's 87 columns has 8.7 million; a crafted sheet can claim far more in a few bytes.
const MAX_CELLS: usize = 20_000_000;

/// Most cells written as CSV for one worksheet, the empty ones between used cells included:
/// a sheet with cells at `A1` and `XFD1048576` must not become 17 billion empty fields.
const MAX_GRID_CELLS: usize = 100_000_000;

/// Whether `bytes` look like a workbook: a zip archive (XLSX, XLSB, ODS) or an OLE compound
/// file (XLS).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// The first worksheet the table reader recognises as a bibliography, as CSV text; `Err` says
/// why there is none.
pub fn to_csv(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        super::xls_extent::check(bytes)?;
    }
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a workbook abstriage can read ({e})"))?;
    let mut sheets = 0;
    for (index, name) in workbook.sheet_names().iter().enumerate() {
        let Some(cells) = used_cells(&mut workbook, index, name) else {
            continue;
        };
        sheets += 1;
        let csv = cells
            .and_then(sheet_csv)
            .map_err(|e| format!("worksheet {}: {e}", index + 1))?;
        if super::table::detect(&csv) {
            return Ok(csv);
        }
    }
    Err(format!(
        "workbook with {sheets} worksheet(s), none with bibliographic columns (a title or abstract column)"
    ))
}

/// The non-empty cells of worksheet `index` (named `name`); `None` when it cannot be read.
///
/// XLSX and XLSB sheets are streamed cell by cell: calamine's `worksheet_range` allocates the
/// whole rectangle between the first and last used cell, so one cell at `XFD1048576` in a
/// 2 KB file would ask for half a terabyte and abort the program. XLS and ODS have no such
/// reader; calamine caps ODS sheets itself, and XLS sheets are measured before calamine opens
/// the file ([`super::xls_extent`]).
fn used_cells<RS: Read + Seek>(
    workbook: &mut Sheets<RS>,
    index: usize,
    name: &str,
) -> Option<Result<Vec<Cell<Data>>, String>> {
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx.worksheet_cells_reader(name).ok()?;
            Some(collect_cells(|| {
                reader.next_cell().map_err(|e| e.to_string())
            }))
        }
        Sheets::Xlsb(xlsb) => {
            let mut reader = xlsb.worksheet_cells_reader(name).ok()?;
            Some(collect_cells(|| {
                reader.next_cell().map_err(|e| e.to_string())
            }))
        }
        _ => {
            let range = workbook.worksheet_range_at(index)?.ok()?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .filter_map(|(row, col, value)| {
                    let row = row0.checked_add(u32::try_from(row).ok()?)?;
                    let col = col0.checked_add(u32::try_from(col).ok()?)?;
                    Some(Cell::new((row, col), value.clone()))
                })
                .take(MAX_CELLS)
                .collect();
            Some(Ok(cells))
        }
    }
}

/// Drains a streaming cell reader, keeping non-empty cells, at most [`MAX_CELLS`] of them.
fn collect_cells<T: Into<Data> + DataType + calamine::CellType>(
    mut next: impl FnMut() -> Result<Option<Cell<T>>, String>,
) -> Result<Vec<Cell<Data>>, String> {
    let mut cells = Vec::new();
    while let Some(cell) = next()? {
        if cell.get_value().is_empty() {
            continue;
        }
        if cells.len() == MAX_CELLS {
            return Err(format!("more than {MAX_CELLS} cells"));
        }
        let position = cell.get_position();
        cells.push(Cell::new(position, cell.get_value().clone().into()));
    }
    Ok(cells)
}

/// Writes `cells` as CSV: one line per row that has a cell (empty rows carry nothing), every
/// line as wide as the sheet's used columns, starting at its first used row and column.
fn sheet_csv(mut cells: Vec<Cell<Data>>) -> Result<String, String> {
    cells.sort_by_key(Cell::get_position);
    let first_col = cells.iter().map(|c| c.get_position().1).min().unwrap_or(0);
    let last_col = cells.iter().map(|c| c.get_position().1).max().unwrap_or(0);
    let width = (last_col - first_col) as usize + 1;
    let rows = cells
        .chunk_by(|a, b| a.get_position().0 == b.get_position().0)
        .count();
    if rows.saturating_mul(width) > MAX_GRID_CELLS {
        return Err(format!(
            "{rows} rows of {width} columns is more than the {MAX_GRID_CELLS} cells abstriage reads"
        ));
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut line = vec![String::new(); width];
    for row in cells.chunk_by(|a, b| a.get_position().0 == b.get_position().0) {
        line.iter_mut().for_each(String::clear);
        for cell in row {
            line[(cell.get_position().1 - first_col) as usize] = cell_text(cell.get_value());
        }
        out.write_record(&line).map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error().to_string())?;
    // The csv writer only writes the UTF-8 strings it was given.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A cell as text: whole numbers without a decimal point (years, volumes, PMIDs).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_read_as_integers() {
        assert_eq!(cell_text(&Data::Float(2021.0)), "2021");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::String("x".into())), "x");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    fn text(row: u32, col: u32, value: &str) -> Cell<Data> {
        Cell::new((row, col), Data::String(value.into()))
    }

    #[test]
    fn rows_become_quoted_csv() {
        let cells = vec![
            text(0, 0, "Title"),
            text(0, 1, "Abstract"),
            text(1, 0, "A, b"),
            text(1, 1, "line 1\nline \"2\""),
        ];
        let csv = sheet_csv(cells).unwrap();
        assert_eq!(csv, "Title,Abstract\n\"A, b\",\"line 1\nline \"\"2\"\"\"\n");
    }

    #[test]
    fn gaps_are_padded_and_empty_rows_dropped() {
        // Cells given out of order, from B2; row 3 and column C are empty.
        let cells = vec![text(3, 3, "z"), text(1, 1, "Title"), text(1, 3, "Abstract")];
        assert_eq!(sheet_csv(cells).unwrap(), "Title,,Abstract\n,,z\n");
    }

    #[test]
    fn cells_far_apart_are_refused_not_expanded() {
        // The shape of tests/fixtures/hostile/far-cell.xlsx, scaled up: two million rows,
        // each with a cell in column A and one in column XFD.
        let cells: Vec<Cell<Data>> = (0..2_000_000u32)
            .step_by(100_000)
            .flat_map(|r| [text(r, 0, "a"), text(r, 16_383, "b")])
            .chain((0..10_000u32).map(|r| text(r, 0, "a")))
            .collect();
        let err = sheet_csv(cells).unwrap_err();
        assert!(err.contains("more than the 100000000 cells"), "{err}");
    }

    #[test]
    fn damaged_workbooks_are_errors_not_panics() {
        assert!(to_csv(b"PK\x03\x04not really a zip").is_err());
    }
}

#[cfg(test)]
mod fixture_tests {
    use crate::corpus::{Format, read_bytes};

    #[test]
    fn an_embase_workbook_reads_like_its_csv() {
        // tests/fixtures/embase.xlsx: citation-file-formatting/_baseline_embase.xlsx (CC0).
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/embase.xlsx"
        ))
        .unwrap();
        let (report, records) = read_bytes("embase.xlsx", &bytes);
        assert_eq!(
            (report.format, report.encoding, records.len()),
            (Some(Format::Table), "workbook", 10)
        );
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        // Values checked in the sheet's XML (xl/sharedStrings.xml and sheet1.xml).
        let first = &records[0];
        assert_eq!(
            first.title,
            "Cellular structure of dinosaur scales reveals retention of reptile-type skin during the evolutionary transition to feathers"
        );
        assert_eq!(
            (first.year, first.doi.as_deref()),
            (Some(2024), Some("10.1038/s41467-024-48400-3"))
        );
        assert_eq!(records.iter().filter(|r| !r.sections.is_empty()).count(), 8);
    }
}
