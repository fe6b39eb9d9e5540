//! BibTeX and BibLaTeX, as Zotero, Scopus, Crossref, Mendeley and JabRef export them.
//!
//! Reading BibTeX includes decoding its LaTeX (`{\"u}`, `\&`, `--`, `$\alpha$`, protective
//! braces) into Unicode, since nothing downstream knows LaTeX; everything else is kept as the
//! file gives it. The scanner is written for broken files: a bad entry is reported with its
//! line and never costs the entries after it.

mod fields;
mod scan;

use super::raw::{Parsed, Warning};

use self::scan::{LineIndex, is_known_type};

/// Whether `text` is BibTeX: a line starting with `@type{` (or `@type(`) of a known entry type,
/// and most of the non-blank text inside entries (so a stray `@article{` line in another
/// format, or an e-mail address, is not enough).
pub fn detect(text: &str) -> bool {
    let has_entry_line = text.lines().any(|line| {
        let Some(rest) = line.trim_start().strip_prefix('@') else {
            return false;
        };
        let rest = rest.trim_start_matches([' ', '\t']);
        let kind_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let after = rest[kind_len..].trim_start_matches([' ', '\t']);
        is_known_type(&rest[..kind_len]) && after.starts_with(['{', '('])
    });
    if !has_entry_line {
        return false;
    }
    let scanned = scan::scan(text);
    let total = non_blank(text);
    let inside: usize = scanned
        .entries
        .iter()
        .map(|e| text.get(e.start..e.end).map_or(0, non_blank))
        .sum();
    !scanned.entries.is_empty() && inside * 2 >= total
}

fn non_blank(text: &str) -> usize {
    text.bytes().filter(|b| !b.is_ascii_whitespace()).count()
}

/// Parses every entry of a BibTeX file into a record (`@string` macros expanded, `@preamble`
/// and `@comment` skipped).
pub fn parse(text: &str) -> Parsed {
    let scanned = scan::scan(text);
    let lines = LineIndex::new(text);
    let separator = fields::keyword_separator(&scanned.entries);
    let mut parsed = Parsed::default();
    for entry in &scanned.entries {
        let record = fields::record(entry, separator, lines.line(entry.start));
        if record.is_empty() {
            parsed.warnings.push(Warning::new(
                record.line,
                format!(
                    "entry `{}` has no title, author, abstract, DOI or journal; skipped",
                    entry.key
                ),
            ));
        } else {
            parsed.records.push(record);
        }
    }
    parsed.warnings.extend(
        scanned
            .warnings
            .into_iter()
            .map(|(offset, message)| Warning::new(lines.line(offset), message)),
    );
    parsed.warnings.sort_by_key(|w| w.line);
    parsed
}

#[cfg(test)]
mod tests;
