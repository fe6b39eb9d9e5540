//! `abstriage dedup`: the studies found more than once, each record with its source and why it
//! was matched, as text, JSON or CSV.

use std::io::Write;

use serde::Serialize;

use super::compare::Reason;
use super::{Cluster, Clusters};
use crate::record::Record;

/// Output formats of `dedup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DedupFormat {
    /// A readable list.
    Text,
    /// A JSON array of studies.
    Json,
    /// One CSV row per record of a duplicated study.
    Csv,
}

/// One record of a duplicated study.
#[derive(Debug, Serialize)]
pub struct Member<'a> {
    /// Record id.
    pub id: &'a str,
    /// File, relative to the corpus root.
    pub file: &'a str,
    /// 0-based position in the file.
    pub index: usize,
    /// Why it joined the study (none for the representative, or a reviewer's merge in it).
    pub reason: Option<Reason>,
}

/// A study found more than once.
#[derive(Debug, Serialize)]
pub struct Study<'a> {
    /// The study's id: its representative's.
    pub cluster: &'a str,
    /// Its records, the representative first.
    pub members: Vec<Member<'a>>,
}

fn study<'a>(records: &'a [Record], cluster: &'a Cluster) -> Study<'a> {
    let members = cluster
        .members
        .iter()
        .map(|&i| {
            let record = &records[i];
            // Any link touching the record explains why it belongs to the study.
            let reason = (i != cluster.representative())
                .then(|| {
                    cluster
                        .links
                        .iter()
                        .find(|l| l.a == i || l.b == i)
                        .map(|l| l.reason)
                })
                .flatten();
            Member {
                id: record.id.as_str(),
                file: &record.source.file,
                index: record.source.index,
                reason,
            }
        })
        .collect();
    Study {
        cluster: cluster.id.as_str(),
        members,
    }
}

/// Writes the duplicated studies in `format`.
pub fn write(
    out: &mut dyn Write,
    format: DedupFormat,
    records: &[Record],
    clusters: &Clusters,
) -> anyhow::Result<()> {
    let studies: Vec<Study<'_>> = clusters.duplicated().map(|c| study(records, c)).collect();
    match format {
        DedupFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &studies)?;
            writeln!(out)?;
        }
        DedupFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(["cluster", "id", "file", "index", "reason"])?;
            for s in &studies {
                for m in &s.members {
                    let reason = m.reason.map(Reason::describe).unwrap_or("representative");
                    csv.write_record([s.cluster, m.id, m.file, &m.index.to_string(), reason])?;
                }
            }
            csv.flush()?;
        }
        DedupFormat::Text => {
            for (s, cluster) in studies.iter().zip(clusters.duplicated()) {
                let title = records[cluster.representative()].display_title();
                writeln!(
                    out,
                    "{}  {}",
                    s.cluster,
                    crate::record::truncate_words(&title, 90)
                )?;
                for m in &s.members {
                    let why = m.reason.map_or("kept: best identifier", Reason::describe);
                    writeln!(out, "    {}  {} #{}  ({why})", m.id, m.file, m.index + 1)?;
                }
            }
            let found = studies.len();
            let extra: usize = studies.iter().map(|s| s.members.len() - 1).sum();
            writeln!(
                out,
                "\n{} records, {} studies: {found} found more than once ({extra} duplicate records).",
                records.len(),
                clusters.clusters.len()
            )?;
        }
    }
    Ok(())
}
