//! Tagged formats: RIS and PubMed MEDLINE.

use std::fmt::Write;

use super::super::generate::Entry;

/// One line of text: line breaks inside a value would start a new (untagged) line.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// RIS as EndNote and Embase export it: `TAG  - value`, authors `Family, Given` (or `Family
/// GI`), the abstract on one `AB` line or one line per section (continuation lines, as
/// EndNote writes paragraphs), `ER  - ` and a blank line between records.
pub fn ris(entries: &[&Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 2_400);
    for (n, e) in entries.iter().enumerate() {
        let mut tag = |tag: &str, value: &str| {
            if !value.trim().is_empty() {
                let _ = writeln!(out, "{tag}  - {}", one_line(value.trim()));
            }
        };
        tag("TY", "JOUR");
        tag("ID", &(n + 1).to_string());
        tag("TI", &e.title);
        for a in &e.authors {
            tag(
                "AU",
                &if e.style.initials_only {
                    a.short()
                } else {
                    a.full()
                },
            );
        }
        tag("AD", &e.affiliation);
        tag("PY", &e.year.map(|y| y.to_string()).unwrap_or_default());
        tag("T2", &e.journal);
        tag("J2", &e.journal_abbrev);
        tag("VL", &e.volume);
        tag("IS", &e.issue);
        tag("SP", &e.first_page);
        tag("EP", &e.last_page);
        tag("SN", &e.issn);
        tag("DO", &e.doi);
        if !e.doi.is_empty() {
            tag("UR", &format!("https://doi.org/{}", e.doi));
        }
        tag("AN", e.shown_pmid());
        for k in &e.keywords {
            tag("KW", k);
        }
        tag("LA", "English");
        tag("DB", "Embase");
        tag("M3", "Article");
        let paragraphs = e.abstract_paragraphs();
        if e.style.split_sections {
            let mut lines = paragraphs.iter();
            if let Some(first) = lines.next() {
                let _ = writeln!(out, "AB  - {}", one_line(first));
                for line in lines {
                    let _ = writeln!(out, "{}", one_line(line));
                }
            }
        } else if !paragraphs.is_empty() {
            let _ = writeln!(out, "AB  - {}", one_line(&paragraphs.join(" ")));
        }
        out.push_str("ER  - \n\n");
    }
    out
}

/// Value width of a MEDLINE line before it wraps onto a six-space continuation line.
const MEDLINE_WIDTH: usize = 82;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// PubMed's MEDLINE format (.nbib): four-character tags, values wrapped at about 80 columns
/// onto six-space continuation lines, `FAU`/`AU` pairs, the DOI in `LID` and `AID`, the
/// abstract one paragraph with capitalised or plain labels, a blank line between records.
/// A record without a PMID gets one made from its study, the same for every copy of it.
pub fn medline(entries: &[&Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 2_800);
    for e in entries {
        let pmid = if e.pmid.is_empty() {
            (70_000_000 + e.study).to_string()
        } else {
            e.pmid.clone()
        };
        let year = e.year.unwrap_or(2000);
        let month = MONTHS[e.study % 12];
        let mut tag = |tag: &str, value: &str| {
            if !value.trim().is_empty() {
                wrap_medline(&mut out, tag, &one_line(value.trim()));
            }
        };
        tag("PMID", &pmid);
        tag("OWN", "NLM");
        tag("STAT", "MEDLINE");
        tag("DCOM", &format!("{year}{:02}15", e.study % 12 + 1));
        tag("LR", "20240101");
        if !e.issn.is_empty() {
            tag("IS", &format!("{} (Linking)", e.issn));
        }
        tag("VI", &e.volume);
        tag("IP", &e.issue);
        tag("DP", &format!("{year} {month}"));
        tag("TI", &e.title);
        tag("PG", &e.pages());
        if !e.doi.is_empty() {
            tag("LID", &format!("{} [doi]", e.doi));
        }
        tag("AB", &e.abstract_line());
        for (i, a) in e.authors.iter().enumerate() {
            tag("FAU", &a.full());
            tag("AU", &a.short());
            if i == 0 {
                tag("AD", &e.affiliation);
            }
        }
        tag("LA", "eng");
        tag("PT", "Journal Article");
        tag("PL", "England");
        tag("TA", &e.journal_abbrev);
        tag("JT", &e.journal);
        tag(
            "JID",
            &format!("{}", 100_000_000 + (e.study * 31) % 9_000_000),
        );
        tag("SB", "IM");
        if !e.keywords.is_empty() {
            tag("OTO", "NOTNLM");
        }
        for k in &e.keywords {
            tag("OT", k);
        }
        tag("EDAT", &format!("{year}/{:02}/10 06:00", e.study % 12 + 1));
        tag("MHDA", &format!("{year}/{:02}/20 06:00", e.study % 12 + 1));
        tag("CRDT", &format!("{year}/{:02}/10 06:00", e.study % 12 + 1));
        if !e.doi.is_empty() {
            tag("AID", &format!("{} [doi]", e.doi));
        }
        tag("PST", "ppublish");
        let mut so = format!("{}. {year} {month}", e.journal_abbrev);
        if !e.volume.is_empty() {
            let _ = write!(so, ";{}", e.volume);
            if !e.issue.is_empty() {
                let _ = write!(so, "({})", e.issue);
            }
        }
        if !e.first_page.is_empty() {
            let _ = write!(so, ":{}", e.pages());
        }
        so.push('.');
        if !e.doi.is_empty() {
            let _ = write!(so, " doi: {}.", e.doi);
        }
        tag("SO", &so);
        out.push('\n');
    }
    out
}

/// Writes `TAG - value` wrapped at [`MEDLINE_WIDTH`] on word boundaries.
fn wrap_medline(out: &mut String, tag: &str, value: &str) {
    let _ = write!(out, "{tag:<4}- ");
    let mut width = 0;
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if width > 0 && width + 1 + len > MEDLINE_WIDTH {
            out.push_str("\n      ");
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += len;
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medline_lines_wrap_onto_six_space_continuations() {
        let mut out = String::new();
        let long = "word ".repeat(40);
        wrap_medline(&mut out, "AB", long.trim());
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("AB  - word"));
        assert!(lines[1].starts_with("      word"));
        assert!(lines.iter().all(|l| l.chars().count() <= MEDLINE_WIDTH + 6));
        let mut out = String::new();
        wrap_medline(&mut out, "PMID", "123");
        assert_eq!(out, "PMID- 123\n");
    }
}
