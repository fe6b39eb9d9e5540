//! Spreadsheet workbooks (XLSX, XLS, XLSB, ODS), as EPPI-Reviewer, Embase and Covidence export
//! them. The first worksheet with bibliographic columns becomes CSV text, which the table
//! reader then reads like any other delimited export, so the same column names, cleaning and
//! raw view apply.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

/// Whether `bytes` look like a workbook: a zip archive (XLSX, XLSB, ODS) or an OLE compound
/// file (XLS).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// The first worksheet the table reader recognises as a bibliography, as CSV text; `Err` says
/// why there is none.
pub fn to_csv(bytes: &[u8]) -> Result<String, String> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a workbook abstriage can read ({e})"))?;
    let mut sheets = 0;
    for index in 0..workbook.sheet_names().len() {
        let Some(Ok(range)) = workbook.worksheet_range_at(index) else {
            continue;
        };
        sheets += 1;
        let csv = sheet_csv(range.rows()).map_err(|e| format!("worksheet {}: {e}", index + 1))?;
        if super::table::detect(&csv) {
            return Ok(csv);
        }
    }
    Err(format!(
        "workbook with {sheets} worksheet(s), none with bibliographic columns (a title or abstract column)"
    ))
}

fn sheet_csv<'a>(rows: impl Iterator<Item = &'a [Data]>) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row.iter().map(cell_text))?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
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

    #[test]
    fn rows_become_quoted_csv() {
        let rows: Vec<Vec<Data>> = vec![
            vec![
                Data::String("Title".into()),
                Data::String("Abstract".into()),
            ],
            vec![
                Data::String("A, b".into()),
                Data::String("line 1\nline \"2\"".into()),
            ],
        ];
        let csv = sheet_csv(rows.iter().map(Vec::as_slice)).unwrap();
        assert_eq!(csv, "Title,Abstract\n\"A, b\",\"line 1\nline \"\"2\"\"\"\n");
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
