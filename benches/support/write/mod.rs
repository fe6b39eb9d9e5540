//! Generated records as the bytes of real exports: RIS (EndNote/Embase style), PubMed
//! MEDLINE, Scopus CSV, Zotero BibTeX and EndNote XML; and a review folder holding them split
//! by database the way searches are exported.

mod markup;
mod tagged;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use fastrand::Rng;

use super::generate::{Corpus, Entry};

/// A format the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// RIS as EndNote and Embase write it.
    Ris,
    /// PubMed MEDLINE (.nbib).
    Medline,
    /// Scopus CSV.
    Csv,
    /// BibTeX as Zotero writes it.
    Bibtex,
    /// EndNote XML as EndNote desktop writes it (`<style>` runs, one line).
    EndnoteXml,
}

impl Format {
    /// Every format, in the order folders list them.
    pub const ALL: [Format; 5] = [
        Format::Ris,
        Format::Medline,
        Format::Csv,
        Format::Bibtex,
        Format::EndnoteXml,
    ];

    /// Short name used on the command line and in bench ids.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ris => "ris",
            Format::Medline => "medline",
            Format::Csv => "csv",
            Format::Bibtex => "bibtex",
            Format::EndnoteXml => "endnote-xml",
        }
    }

    /// File name ending.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Ris => "ris",
            Format::Medline => "nbib",
            Format::Csv => "csv",
            Format::Bibtex => "bib",
            Format::EndnoteXml => "xml",
        }
    }

    /// The database a folder's file of this format stands for.
    fn database(self) -> &'static str {
        match self {
            Format::Ris => "embase",
            Format::Medline => "pubmed",
            Format::Csv => "scopus",
            Format::Bibtex => "zotero",
            Format::EndnoteXml => "endnote",
        }
    }

    /// Relative share of a folder's records exported in this format.
    fn weight(self) -> u32 {
        match self {
            Format::Ris => 35,
            Format::Medline => 25,
            Format::Csv => 25,
            Format::Bibtex => 8,
            Format::EndnoteXml => 7,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ris" => Ok(Format::Ris),
            "medline" | "nbib" | "pubmed" => Ok(Format::Medline),
            "csv" | "scopus" => Ok(Format::Csv),
            "bibtex" | "bib" => Ok(Format::Bibtex),
            "endnote-xml" | "endnote" | "xml" => Ok(Format::EndnoteXml),
            other => Err(format!(
                "unknown format `{other}` (expected ris, medline, csv, bibtex or endnote-xml)"
            )),
        }
    }
}

/// `entries` as one file of `format`.
pub fn write(format: Format, entries: &[Entry]) -> Vec<u8> {
    write_refs(format, &entries.iter().collect::<Vec<_>>())
}

/// [`write`] for records held elsewhere.
pub fn write_refs(format: Format, entries: &[&Entry]) -> Vec<u8> {
    match format {
        Format::Ris => tagged::ris(entries).into_bytes(),
        Format::Medline => tagged::medline(entries).into_bytes(),
        Format::Csv => csv(entries),
        Format::Bibtex => markup::bibtex(entries).into_bytes(),
        Format::EndnoteXml => markup::endnote_xml(entries).into_bytes(),
    }
}

/// Scopus CSV: UTF-8 with a BOM, every cell quoted, authors as `Family G.I.; ...`, the
/// abstract on one line or (for records written with split sections) with line breaks inside
/// the quoted cell, as Embase's CSV does.
fn csv(entries: &[&Entry]) -> Vec<u8> {
    const HEADER: &[&str] = &[
        "Authors",
        "Author full names",
        "Title",
        "Year",
        "Source title",
        "Volume",
        "Issue",
        "Art. No.",
        "Page start",
        "Page end",
        "Cited by",
        "DOI",
        "Link",
        "Affiliations",
        "Abstract",
        "Author Keywords",
        "Language of Original Document",
        "Abbreviated Source Title",
        "Document Type",
        "Publication Stage",
        "Source",
        "EID",
        "PubMed ID",
        "ISSN",
    ];
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut writer = ::csv::WriterBuilder::new()
        .quote_style(::csv::QuoteStyle::Always)
        .from_writer(&mut out);
    // Writing into a Vec cannot fail.
    let _ = writer.write_record(HEADER);
    for e in entries {
        let authors: Vec<String> = e
            .authors
            .iter()
            .map(|a| {
                if e.style.initials_only {
                    a.short()
                } else {
                    a.dotted()
                }
            })
            .collect();
        let full: Vec<String> = e.authors.iter().map(|a| a.full()).collect();
        let abstract_text = if e.style.split_sections {
            e.abstract_paragraphs().join("\n")
        } else {
            e.abstract_line()
        };
        let eid = format!("2-s2.0-{}", 85_000_000_000u64 + e.study as u64);
        let link = format!("https://www.scopus.com/inward/record.uri?eid={eid}&partnerID=40");
        let year = e.year.map(|y| y.to_string()).unwrap_or_default();
        let cited = (e.study * 7 % 97).to_string();
        let _ = writer.write_record([
            authors.join("; ").as_str(),
            full.join("; ").as_str(),
            &e.title,
            &year,
            &e.journal,
            &e.volume,
            &e.issue,
            "",
            &e.first_page,
            &e.last_page,
            &cited,
            &e.doi,
            &link,
            &e.affiliation,
            &abstract_text,
            &e.keywords.join("; "),
            "English",
            &e.journal_abbrev,
            "Article",
            "Final",
            "Scopus",
            &eid,
            e.shown_pmid(),
            &e.issn.replace('-', ""),
        ]);
    }
    let _ = writer.flush();
    drop(writer);
    out
}

/// Records per file in a folder, as databases cap their exports (PubMed and Embase at 10,000).
pub const RECORDS_PER_FILE: usize = 10_000;

/// One file written by [`write_folder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Where.
    pub path: PathBuf,
    /// In what format.
    pub format: Format,
    /// How many records.
    pub records: usize,
    /// How many bytes.
    pub bytes: usize,
}

/// Writes `corpus` into `dir` as a review folder: each study's first record goes to a format
/// drawn by weight (RIS 35%, MEDLINE 25%, CSV 25%, BibTeX 8%, EndNote XML 7%, among
/// `formats`), each duplicate to another format than its study's first record where there is
/// another, as the same study found in two databases; files hold at most
/// [`RECORDS_PER_FILE`] records (`embase-01.ris`, `embase-02.ris`, ...).
pub fn write_folder(
    dir: &Path,
    corpus: &Corpus,
    formats: &[Format],
    seed: u64,
) -> std::io::Result<Vec<Written>> {
    let formats: Vec<Format> = if formats.is_empty() {
        Format::ALL.to_vec()
    } else {
        formats.to_vec()
    };
    let mut rng = Rng::with_seed(seed ^ 0x5eed_f01d);
    let total: u32 = formats.iter().map(|f| f.weight()).sum();
    let mut first_format = vec![None; corpus.studies];
    let mut per_format: Vec<Vec<&Entry>> = vec![Vec::new(); formats.len()];
    for entry in &corpus.entries {
        let slot = first_format.get_mut(entry.study);
        let chosen = match slot.as_ref().and_then(|s| **s) {
            Some(first) if formats.len() > 1 => {
                let other = rng.usize(..formats.len() - 1);
                if other >= first { other + 1 } else { other }
            }
            Some(first) => first,
            None => {
                let mut pick = rng.u32(..total);
                let mut index = 0;
                for (i, f) in formats.iter().enumerate() {
                    if pick < f.weight() {
                        index = i;
                        break;
                    }
                    pick -= f.weight();
                }
                if let Some(slot) = slot {
                    *slot = Some(index);
                }
                index
            }
        };
        per_format[chosen].push(entry);
    }
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (format, entries) in formats.iter().zip(per_format) {
        let chunks: Vec<&[&Entry]> = entries.chunks(RECORDS_PER_FILE).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            let name = if chunks.len() == 1 {
                format!("{}.{}", format.database(), format.extension())
            } else {
                format!("{}-{:02}.{}", format.database(), n + 1, format.extension())
            };
            let bytes = write_refs(*format, chunk);
            let path = dir.join(name);
            std::fs::write(&path, &bytes)?;
            written.push(Written {
                path,
                format: *format,
                records: chunk.len(),
                bytes: bytes.len(),
            });
        }
    }
    Ok(written)
}
