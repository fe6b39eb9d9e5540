//! `abstriage check`: what reading each file of a corpus gave — format, encoding, records,
//! gaps, and every warning with its line — so a reviewer sees what an import lost before
//! screening starts.

use std::fmt::Write;

use crate::corpus::{Corpus, FileReport};

/// Whether the check found something a reviewer must act on (a file that was skipped).
pub fn has_problems(corpus: &Corpus) -> bool {
    corpus.files.iter().any(|f| f.skipped.is_some())
}

/// The check's report: a table of files, then warnings and skipped files, then a summary.
pub fn report(corpus: &Corpus) -> String {
    let headers = [
        "file",
        "format",
        "encoding",
        "records",
        "no title",
        "no abstract",
        "warnings",
    ];
    let rows: Vec<[String; 7]> = corpus.files.iter().map(row).collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let pad = width.saturating_sub(cell.chars().count());
            if i < 3 {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
            text.push_str("  ");
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&mut out, &headers.map(String::from));
    for row in &rows {
        line(&mut out, row);
    }
    let warnings: Vec<String> = corpus
        .files
        .iter()
        .flat_map(|f| {
            f.warnings.iter().map(move |w| match w.line {
                0 => format!("{}: {}", f.path, w.message),
                n => format!("{}:{n}: {}", f.path, w.message),
            })
        })
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in &warnings {
            let _ = writeln!(out, "  {w}");
        }
    }
    let skipped: Vec<&FileReport> = corpus
        .files
        .iter()
        .filter(|f| f.skipped.is_some())
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "\nskipped:");
        for f in &skipped {
            let _ = writeln!(
                out,
                "  {}: {}",
                f.path,
                f.skipped.as_deref().unwrap_or_default()
            );
        }
    }
    let records: usize = corpus.files.iter().map(|f| f.records).sum();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let _ = writeln!(
        out,
        "\n{}: {} read ({}), {} skipped; {}.",
        plural(corpus.files.len(), "file"),
        corpus.files.len() - skipped.len(),
        plural(records, "record"),
        skipped.len(),
        plural(warnings.len(), "warning")
    );
    out
}

fn row(file: &FileReport) -> [String; 7] {
    let format = match (&file.format, &file.skipped) {
        (Some(format), _) => format.to_string(),
        (None, _) => "skipped".to_string(),
    };
    [
        file.path.clone(),
        format,
        file.encoding.to_string(),
        file.records.to_string(),
        file.no_title.to_string(),
        file.no_abstract.to_string(),
        file.warnings.len().to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    #[test]
    fn report_lists_files_gaps_warnings_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.ris"),
            "TY  - JOUR\nTI  - One\nAB  - Text.\nER  - \nTY  - JOUR\nAB  - Untitled.\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.txt"), "just a note\n").unwrap();
        let corpus = corpus::load(dir.path()).unwrap();
        let text = report(&corpus);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "file   format   encoding  records  no title  no abstract  warnings"
        );
        assert_eq!(
            lines[1],
            "a.ris  RIS      UTF-8           2         1            0         1"
        );
        assert_eq!(
            lines[2],
            "b.txt  skipped  UTF-8           0         0            0         0"
        );
        assert!(
            text.contains("  a.ris:5: file ends inside a record (no ER line); record kept as read"),
            "{text}"
        );
        assert!(
            text.contains("skipped:\n  b.txt: not a bibliographic format abstriage reads"),
            "{text}"
        );
        assert!(
            text.ends_with("2 files: 1 read (2 records), 1 skipped; 1 warning.\n"),
            "{text}"
        );
        assert!(has_problems(&corpus));
    }
}
