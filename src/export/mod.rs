//! `abstriage export`: every record with its cleaned fields, provenance, derived label and
//! decision, as JSON, CSV or RIS, for analysis or a reference manager.

pub mod ris;

use std::io::Write;

use serde::Serialize;

use crate::decisions::{Decision, Decisions, Status};
use crate::dedup::Clusters;
use crate::record::{Extra, Record, RecordId, Section};

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A JSON array of records.
    Json,
    /// One CSV row per record (sections folded into `abstract`).
    Csv,
    /// RIS, for reference managers; the decision goes into an `N1` note.
    Ris,
}

/// Where a record came from.
#[derive(Debug, Serialize)]
pub struct SourceRef<'a> {
    /// File path relative to the corpus root.
    pub file: &'a str,
    /// 0-based position in the file.
    pub index: usize,
}

/// The reviewer's decision as exported.
#[derive(Debug, Serialize)]
pub struct DecisionRef<'a> {
    /// `include`, `exclude`, `maybe`, or null when undecided.
    pub status: Option<Status>,
    /// Exclusion reasons.
    pub reasons: &'a [String],
    /// Themes.
    pub themes: &'a [String],
    /// Note.
    pub note: &'a str,
}

/// One exported record (JSON field names are part of the interface: see the README).
#[derive(Debug, Serialize)]
pub struct ExportRecord<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Title, empty when the source has none.
    pub title: &'a str,
    /// Title, or the derived label of an untitled record.
    pub display_title: String,
    /// Authors.
    pub authors: &'a [String],
    /// Year.
    pub year: Option<u16>,
    /// Journal.
    pub journal: Option<&'a str>,
    /// Volume.
    pub volume: Option<&'a str>,
    /// Issue.
    pub issue: Option<&'a str>,
    /// Pages.
    pub pages: Option<&'a str>,
    /// DOI as given.
    pub doi: Option<&'a str>,
    /// Keywords.
    pub keywords: &'a [String],
    /// The cleaned abstract, one `Label: text` line per section.
    pub r#abstract: String,
    /// The abstract's sections.
    pub sections: &'a [Section],
    /// Other fields the source gave.
    pub extra: &'a Extra,
    /// Provenance.
    pub source: SourceRef<'a>,
    /// The study's id when this record is a duplicate of another (the study's representative),
    /// else null.
    pub duplicate_of: Option<&'a str>,
    /// The decision.
    pub decision: DecisionRef<'a>,
}

const NO_STRINGS: &[String] = &[];

impl<'a> ExportRecord<'a> {
    /// Builds the exported form of `record` with its study's decision, if any.
    pub fn new(
        record: &'a Record,
        decision: Option<&'a Decision>,
        duplicate_of: Option<&'a RecordId>,
    ) -> Self {
        Self {
            id: record.id.as_str(),
            title: &record.title,
            display_title: record.display_title(),
            authors: &record.authors,
            year: record.year,
            journal: record.journal.as_deref(),
            volume: record.volume.as_deref(),
            issue: record.issue.as_deref(),
            pages: record.pages.as_deref(),
            doi: record.doi.as_deref(),
            keywords: &record.keywords,
            r#abstract: record.abstract_text(),
            sections: &record.sections,
            extra: &record.extra,
            source: SourceRef {
                file: &record.source.file,
                index: record.source.index,
            },
            duplicate_of: duplicate_of.map(RecordId::as_str),
            decision: DecisionRef {
                status: decision.and_then(|d| d.status),
                reasons: decision.map_or(NO_STRINGS, |d| &d.reasons),
                themes: decision.map_or(NO_STRINGS, |d| &d.themes),
                note: decision.map_or("", |d| &d.note),
            },
        }
    }
}

/// Each record with its study's decision and, for a duplicate, the study it belongs to.
fn with_studies<'a>(
    records: &'a [Record],
    clusters: &'a Clusters,
    decisions: &'a Decisions,
) -> impl Iterator<Item = (&'a Record, Option<&'a Decision>, Option<&'a RecordId>)> {
    records.iter().enumerate().map(move |(i, record)| {
        let study = clusters.of(i);
        let members = study.members.iter().map(|&m| &records[m].id);
        let decision = decisions.for_study(&study.id, members);
        let duplicate_of = (study.representative() != i).then_some(&study.id);
        (record, decision, duplicate_of)
    })
}

/// Writes every record in `format` to `out`.
pub fn write(
    out: &mut dyn Write,
    format: ExportFormat,
    records: &[Record],
    clusters: &Clusters,
    decisions: &Decisions,
) -> anyhow::Result<()> {
    let rows =
        with_studies(records, clusters, decisions).map(|(r, d, dup)| ExportRecord::new(r, d, dup));
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows.collect::<Vec<_>>())?;
            writeln!(out)?;
        }
        ExportFormat::Ris => {
            let mut text = String::new();
            for (record, decision, duplicate_of) in with_studies(records, clusters, decisions) {
                ris::write_record(&mut text, record, decision, duplicate_of);
            }
            out.write_all(text.as_bytes())?;
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record([
                "id",
                "title",
                "display_title",
                "authors",
                "year",
                "journal",
                "volume",
                "issue",
                "pages",
                "doi",
                "keywords",
                "abstract",
                "source_file",
                "source_index",
                "duplicate_of",
                "decision",
                "reasons",
                "themes",
                "note",
            ])?;
            for r in rows {
                let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
                csv.write_record([
                    r.id.to_string(),
                    r.title.to_string(),
                    r.display_title.clone(),
                    r.authors.join("; "),
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    opt(r.journal),
                    opt(r.volume),
                    opt(r.issue),
                    opt(r.pages),
                    opt(r.doi),
                    r.keywords.join("; "),
                    r.r#abstract.clone(),
                    r.source.file.to_string(),
                    r.source.index.to_string(),
                    opt(r.duplicate_of),
                    r.decision.status.map(|s| s.to_string()).unwrap_or_default(),
                    r.decision.reasons.join("; "),
                    r.decision.themes.join("; "),
                    r.decision.note.to_string(),
                ])?;
            }
            csv.flush()?;
        }
    }
    Ok(())
}
