//! Delimited tables (CSV, `;`-CSV, TSV) as every screening tool and database exports them:
//! Scopus, Embase (with its search-query preamble), Web of Science tab-delimited, PubMed,
//! CINAHL, Cochrane, Lens, OpenAlex, IEEE, Springer, Google Scholar, Zotero, RefWorks, Covidence,
//! Rayyan, abstrackr and the labelled screening datasets.
//!
//! The delimiter and the header row are found from content: the first of the first rows whose
//! cells name bibliographic columns, under the delimiter that makes the following rows agree
//! with it. Rows are read with the `csv` crate (quoted fields may hold delimiters, doubled
//! quotes and newlines); every row after the header is one record, whatever it lacks.

mod cells;
mod columns;
#[cfg(test)]
mod corpus_tests;

use std::collections::HashMap;
use std::ops::Range;

use csv::{ByteRecord, ReaderBuilder};

use self::cells::{embase_source, rayyan_notes, split_authors, split_keywords, unwrap_excel_text};
use self::columns::{
    Column, Field, classify, is_bibliographic, is_wos_header, normalise, recognised,
};
use super::raw::{Parsed, RawRecord, Warning};

/// Delimiters tried, in order of preference when two read a header equally well.
const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];
/// The header must be among this many first rows (Embase puts three rows before it).
const HEADER_SEARCH_ROWS: usize = 10;
/// Rows after a candidate header checked for agreeing with it.
const SAMPLE_ROWS: usize = 20;
/// A header cell longer than this is data or prose, not a column name.
const MAX_HEADER_CELL: usize = 100;
/// abstrackr's line between its labelled and not-yet-labelled rows.
const ABSTRACKR_UNLABELLED: &str = "citations that are not yet labeled by anyone";

/// Whether `text` is a table of bibliographic records: among its first rows, a header naming a
/// title or abstract column and another bibliographic column, with a delimiter the rows after it
/// use consistently. RIS, MEDLINE, WoS plain text, BibTeX, XML and prose never have such a row;
/// pasted-web-text detection accepts any text, so this must be asked before it.
pub fn detect(text: &str) -> bool {
    sniff(text).is_some()
}

/// Parses every row under the header into a record, including rows with nothing but an id and
/// a label (the labelled datasets have such rows, and their count matters to a simulation).
/// Blank rows, a repeated header and abstrackr's section line are not records.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let Some(dialect) = sniff(text) else {
        parsed.warnings.push(Warning::new(
            0,
            "no header row with bibliographic column names found",
        ));
        return parsed;
    };
    let mut header: Option<Row> = None;
    let mut data = Vec::new();
    for (index, row) in Rows::new(text, dialect.delimiter).enumerate() {
        if index < dialect.header_row {
            if !is_preamble(&row.cells) {
                parsed.warnings.push(Warning::new(
                    row.line,
                    "text before the table's header row; ignored",
                ));
            }
        } else if index == dialect.header_row {
            header = Some(row);
        } else {
            data.push(row);
        }
    }
    let Some(header) = header else {
        return parsed;
    };
    let plan = Plan::new(&header.cells, dialect.wos, &data);
    let mut unlabelled_section = false;
    for row in &data {
        if row.cells.iter().all(|c| c.trim().is_empty()) || row.cells == header.cells {
            continue;
        }
        if is_abstrackr_section(&row.cells) {
            unlabelled_section = true;
            continue;
        }
        let (have, want) = (row.cells.len(), header.cells.len());
        if have > want && row.cells[want..].iter().any(|c| !c.trim().is_empty()) {
            parsed.warnings.push(Warning::new(
                row.line,
                format!("row has {have} fields but the header {want}; the extra ones are kept as `column N`"),
            ));
        } else if have < want && !unlabelled_section {
            parsed.warnings.push(Warning::new(
                row.line,
                format!("row has {have} of the header's {want} fields; kept what is there"),
            ));
        }
        parsed.records.push(plan.record(row));
    }
    parsed
}

/// How a file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dialect {
    delimiter: u8,
    /// Index of the header among the file's rows.
    header_row: usize,
    /// The header holds Web of Science field tags.
    wos: bool,
}

/// Finds the delimiter and header row, or `None` when no row reads as a bibliographic header.
fn sniff(text: &str) -> Option<Dialect> {
    let mut best: Option<(usize, Dialect)> = None;
    for delimiter in DELIMITERS {
        let rows: Vec<Row> = Rows::new(text, delimiter)
            .take(HEADER_SEARCH_ROWS + SAMPLE_ROWS)
            .collect();
        let Some((score, dialect)) = find_header(&rows, delimiter) else {
            continue;
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, dialect));
        }
    }
    best.map(|(_, dialect)| dialect)
}

/// The first row that reads as a bibliographic header and that the rows after it agree with,
/// with the number of cells it names.
fn find_header(rows: &[Row], delimiter: u8) -> Option<(usize, Dialect)> {
    for (index, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let cells = &row.cells;
        if cells.len() < 2 || cells.iter().any(|c| c.chars().count() > MAX_HEADER_CELL) {
            continue;
        }
        let wos = is_wos_header(cells);
        let columns: Vec<Column> = cells.iter().map(|c| classify(c, wos)).collect();
        if !is_bibliographic(&columns) {
            continue;
        }
        let score = recognised(cells, wos);
        // Exported headers are not padded; `Title, Authors, Abstract` is a sentence.
        let padded = cells[1..]
            .iter()
            .filter(|c| c.starts_with(char::is_whitespace))
            .count();
        if delimiter != b'\t' && padded * 2 >= cells.len() - 1 {
            continue;
        }
        // Rows after abstrackr's section line are short by design: judge by the ones before.
        let sample: Vec<&Row> = rows[index + 1..]
            .iter()
            .take_while(|r| !is_abstrackr_section(&r.cells))
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
            .take(SAMPLE_ROWS)
            .collect();
        let agreeing = sample
            .iter()
            .filter(|r| {
                r.cells.len() == cells.len()
                    || (r.cells.len() > cells.len()
                        && r.cells[cells.len()..].iter().all(|c| c.trim().is_empty()))
            })
            .count();
        // Some ragged rows are fine; rows that mostly disagree with the header are not a table.
        let consistent = if sample.is_empty() {
            score >= 3
        } else {
            agreeing >= 1 && agreeing * 3 >= sample.len()
        };
        if consistent {
            let dialect = Dialect {
                delimiter,
                header_row: index,
                wos,
            };
            return Some((score, dialect));
        }
    }
    None
}

/// abstrackr's line between labelled and unlabelled rows.
fn is_abstrackr_section(cells: &[String]) -> bool {
    cells.len() == 1 && cells[0].trim().eq_ignore_ascii_case(ABSTRACKR_UNLABELLED)
}

/// Rows exporters put before the header: Embase's `SEARCH QUERY` line, dashes, empty rows.
fn is_preamble(cells: &[String]) -> bool {
    let first = cells.first().map_or("", |c| c.trim());
    first.eq_ignore_ascii_case("search query")
        || cells
            .iter()
            .all(|c| c.trim().chars().all(|ch| ch == '-' || ch == '='))
}

/// One row of the table, with where it is in the text.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<String>,
    /// 1-based line of the row's first physical line.
    line: usize,
    span: Range<usize>,
}

/// The rows of `text` read with `delimiter`; quoted fields may span lines.
struct Rows<'a> {
    reader: csv::Reader<&'a [u8]>,
    text: &'a str,
    record: ByteRecord,
}

impl<'a> Rows<'a> {
    fn new(text: &'a str, delimiter: u8) -> Self {
        let reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        Self {
            reader,
            text,
            record: ByteRecord::new(),
        }
    }
}

impl Iterator for Rows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        // With flexible rows and bytes, the reader can only fail on I/O, which a slice has not.
        if !self.reader.read_byte_record(&mut self.record).ok()? {
            return None;
        }
        let (mut start, mut line) = self
            .record
            .position()
            .map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
        // The reader skips blank lines before a row and counts them into its position.
        let skipped = self.text.as_bytes()[start.min(self.text.len())..]
            .iter()
            .take_while(|&&b| b == b'\n')
            .count();
        start += skipped;
        line += skipped;
        let end = (self.reader.position().byte() as usize).clamp(start, self.text.len());
        let cells = self
            .record
            .iter()
            .map(|field| String::from_utf8_lossy(field).into_owned())
            .collect();
        Some(Row {
            cells,
            line,
            span: start..end,
        })
    }
}

/// What each column of a table becomes.
struct Plan {
    columns: Vec<Column>,
    /// abstrackr reviewer columns: their decisions are kept as `Reviewer: 1`.
    reviewers: HashMap<usize, String>,
}

impl Plan {
    fn new(header: &[String], wos: bool, data: &[Row]) -> Self {
        let mut columns: Vec<Column> = header.iter().map(|h| classify(h, wos)).collect();
        let mut reviewers = HashMap::new();
        // abstrackr: `consensus, labeled_at, <reviewer>, labeled_at, <reviewer>, labeled_at ...`
        let keys: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        if let Some(consensus) = keys.iter().position(|k| k == "consensus") {
            for j in consensus + 1..keys.len() {
                if keys[j] != "labeledat" {
                    continue;
                }
                if j == consensus + 1 {
                    columns[j].extra_name = "labeled at".to_string();
                } else if keys[j - 1] != "labeledat" {
                    let reviewer = header[j - 1].trim().to_string();
                    columns[j].extra_name = format!("labeled at ({})", reviewer.to_lowercase());
                    columns[j - 1] = Column {
                        field: None,
                        extra_name: "abstrackr decisions".to_string(),
                    };
                    reviewers.insert(j - 1, reviewer);
                }
            }
        }
        // A bare `label` column of 0/1 values is an inclusion label (synergy datasets); other
        // labels (such as a deduplication verdict) keep their name.
        for (j, column) in columns.iter_mut().enumerate() {
            if column.extra_name == "label" {
                let mut values = data
                    .iter()
                    .filter_map(|r| r.cells.get(j))
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .peekable();
                if values.peek().is_some() && values.all(|v| v == "0" || v == "1") {
                    column.extra_name = "label included".to_string();
                }
            }
        }
        Self { columns, reviewers }
    }

    fn record(&self, row: &Row) -> RawRecord {
        let mut record = RawRecord {
            line: row.line,
            span: row.span.clone(),
            ..RawRecord::default()
        };
        let value = |j: usize| -> &str { row.cells.get(j).map_or("", |c| unwrap_excel_text(c)) };
        // The best-ranked non-empty column of each field fills it.
        let mut winners: HashMap<Field, (u8, usize)> = HashMap::new();
        for (j, column) in self.columns.iter().enumerate() {
            if let Some((field, rank)) = column.field
                && !value(j).trim().is_empty()
            {
                let entry = winners.entry(field).or_insert((rank, j));
                if rank < entry.0 {
                    *entry = (rank, j);
                }
            }
        }
        for (j, cell) in row.cells.iter().enumerate() {
            let text = unwrap_excel_text(cell);
            if text.trim().is_empty() {
                continue;
            }
            let Some(column) = self.columns.get(j) else {
                record
                    .extra
                    .push((format!("column {}", j + 1), text.to_string()));
                continue;
            };
            match column.field {
                Some((Field::Keywords, _)) => record.keywords.extend(split_keywords(text)),
                Some((field, rank)) if winners.get(&field).is_some_and(|&(_, w)| w == j) => {
                    fill(&mut record, field, text);
                    if field == Field::Journal && rank == SOURCE_RANK {
                        split_source(&mut record, text, &column.extra_name);
                    }
                }
                Some((field, _)) => {
                    let winner = winners.get(&field).map_or("", |&(_, w)| value(w));
                    if text != winner {
                        record
                            .extra
                            .push((column.extra_name.clone(), text.to_string()));
                    }
                }
                None => {
                    let shown = match self.reviewers.get(&j) {
                        Some(reviewer) => format!("{reviewer}: {text}"),
                        None => text.to_string(),
                    };
                    record.extra.push((column.extra_name.clone(), shown));
                    if column.extra_name == "notes" {
                        record.extra.extend(rayyan_notes(text));
                    }
                }
            }
        }
        record
    }
}

/// Rank of a column named `Source`: a journal only when nothing better names one.
const SOURCE_RANK: u8 = 2;

/// Embase exports without a `Source title` column give the journal only inside the `Source`
/// citation: take journal, year, volume, issue and pages from it, and keep it whole in `extra`.
fn split_source(record: &mut RawRecord, text: &str, name: &str) {
    let Some(source) = embase_source(text) else {
        return;
    };
    record.journal = source.journal.to_string();
    for (slot, value) in [
        (&mut record.date, source.year),
        (&mut record.volume, source.volume),
        (&mut record.issue, source.issue),
        (&mut record.start_page, source.pages),
    ] {
        if slot.is_empty() {
            *slot = value.to_string();
        }
    }
    record.extra.push((name.to_string(), text.to_string()));
    if !source.date.is_empty() && source.date != source.year {
        record
            .extra
            .push(("date".to_string(), source.date.to_string()));
    }
}

/// Puts a cell's text into the record field it fills.
fn fill(record: &mut RawRecord, field: Field, text: &str) {
    let slot = match field {
        Field::Authors => {
            record.authors = split_authors(text);
            return;
        }
        Field::Keywords => {
            record.keywords.extend(split_keywords(text));
            return;
        }
        Field::Title => &mut record.title,
        Field::Abstract => &mut record.abstract_text,
        Field::Date => &mut record.date,
        Field::Journal => &mut record.journal,
        Field::Volume => &mut record.volume,
        Field::Issue => &mut record.issue,
        Field::StartPage => &mut record.start_page,
        Field::EndPage => &mut record.end_page,
        Field::Doi => &mut record.doi,
    };
    *slot = text.to_string();
}

#[cfg(test)]
mod tests;
