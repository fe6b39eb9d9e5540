//! Markup formats: BibTeX and EndNote XML.

use std::fmt::Write;

use super::super::generate::Entry;

/// BibTeX as Zotero writes it: `@article{key,` then tab-indented `field = {value},` lines,
/// LaTeX specials escaped (but in the verbatim `doi` and `url`), all-capital words braced to
/// keep their case, authors joined by `and`, pages with `--`.
pub fn bibtex(entries: &[&Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 2_500);
    for (n, e) in entries.iter().enumerate() {
        let family = e.authors.first().map_or("anon", |a| a.family.as_str());
        let key: String = family
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(|c| c.to_lowercase())
            .collect();
        let year = e.year.map(|y| y.to_string()).unwrap_or_default();
        let _ = writeln!(out, "@article{{{key}_{year}_{n},");
        let mut field = |name: &str, value: &str| {
            if !value.trim().is_empty() {
                let _ = writeln!(out, "\t{name} = {{{value}}},");
            }
        };
        field("title", &protect_capitals(&escape_tex(&e.title)));
        field("volume", &escape_tex(&e.volume));
        field("issn", &e.issn);
        // Verbatim fields: Zotero writes them as they are.
        if !e.doi.is_empty() {
            field("url", &format!("https://doi.org/{}", e.doi));
        }
        field("doi", &e.doi);
        let paragraphs: Vec<String> = e
            .abstract_paragraphs()
            .iter()
            .map(|p| escape_tex(p))
            .collect();
        let separator = if e.style.split_sections { "\n" } else { " " };
        field("abstract", &paragraphs.join(separator));
        field("language", "eng");
        field("number", &escape_tex(&e.issue));
        field("journal", &escape_tex(&e.journal));
        let authors: Vec<String> = e
            .authors
            .iter()
            .map(|a| {
                let name = escape_tex(&if e.style.initials_only {
                    a.short()
                } else {
                    a.full()
                });
                // A group name holding `and` is braced whole, or it would split in two.
                if name.to_lowercase().contains(" and ") {
                    format!("{{{name}}}")
                } else {
                    name
                }
            })
            .collect();
        field("author", &authors.join(" and "));
        field("year", &year);
        field("pmid", e.shown_pmid());
        let keywords: Vec<String> = e.keywords.iter().map(|k| escape_tex(k)).collect();
        field("keywords", &keywords.join(", "));
        field("pages", &escape_tex(&e.pages()).replacen('-', "--", 1));
        out.push_str("}\n\n");
    }
    out
}

/// LaTeX's special characters escaped, as Zotero's exporter does.
fn escape_tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Words of two or more capitals (`COVID`, `DPP-4`) in braces, as Zotero protects them.
fn protect_capitals(title: &str) -> String {
    title
        .split(' ')
        .map(|word| {
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 2
                && letters.iter().all(|c| c.is_uppercase())
                && !word.contains('\\')
            {
                format!("{{{word}}}")
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// EndNote XML as EndNote desktop writes it: the whole file on one line, every text value in a
/// `<style face="normal" font="default" size="100%">` run, abstract sections separated by
/// `&#xD;` (a carriage return, as EndNote stores paragraph breaks).
pub fn endnote_xml(entries: &[&Entry]) -> String {
    const STYLE: &str = r#"<style face="normal" font="default" size="100%">"#;
    let styled = |text: &str| format!("{STYLE}{}</style>", escape_xml(text));
    let mut out = String::with_capacity(entries.len() * 3_000);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8" ?><xml><records>"#);
    for (n, e) in entries.iter().enumerate() {
        let number = n + 1;
        let _ = write!(
            out,
            r#"<record><database name="Review.enl" path="C:\Users\reviewer\Documents\Review.enl">Review.enl</database><source-app name="EndNote" version="21.0">EndNote</source-app><rec-number>{number}</rec-number><foreign-keys><key app="EN" db-id="tdv5fxsvw0p0z8e2d9bvx0w1v2zezxv0z9xp" timestamp="1700000000">{number}</key></foreign-keys><ref-type name="Journal Article">17</ref-type><contributors><authors>"#
        );
        for a in &e.authors {
            let name = if e.style.initials_only {
                a.short()
            } else {
                a.full()
            };
            let _ = write!(out, "<author>{}</author>", styled(&name));
        }
        out.push_str("</authors></contributors>");
        if !e.affiliation.is_empty() {
            let _ = write!(
                out,
                "<auth-address>{}</auth-address>",
                styled(&e.affiliation)
            );
        }
        let _ = write!(
            out,
            "<titles><title>{}</title><secondary-title>{}</secondary-title></titles>",
            styled(&e.title),
            styled(&e.journal)
        );
        let _ = write!(
            out,
            "<periodical><full-title>{}</full-title>",
            styled(&e.journal)
        );
        if !e.journal_abbrev.is_empty() {
            let _ = write!(out, "<abbr-1>{}</abbr-1>", styled(&e.journal_abbrev));
        }
        out.push_str("</periodical>");
        for (name, value) in [
            ("pages", e.pages()),
            ("volume", e.volume.clone()),
            ("number", e.issue.clone()),
        ] {
            if !value.is_empty() {
                let _ = write!(out, "<{name}>{}</{name}>", styled(&value));
            }
        }
        if !e.keywords.is_empty() {
            out.push_str("<keywords>");
            for k in &e.keywords {
                let _ = write!(out, "<keyword>{}</keyword>", styled(k));
            }
            out.push_str("</keywords>");
        }
        if let Some(year) = e.year {
            let _ = write!(
                out,
                "<dates><year>{}</year></dates>",
                styled(&year.to_string())
            );
        }
        if !e.issn.is_empty() {
            let _ = write!(out, "<isbn>{}</isbn>", styled(&e.issn));
        }
        if !e.shown_pmid().is_empty() {
            let _ = write!(
                out,
                "<accession-num>{}</accession-num>",
                styled(e.shown_pmid())
            );
        }
        if !e.doi.is_empty() {
            let _ = write!(
                out,
                "<urls><related-urls><url>{}</url></related-urls></urls><electronic-resource-num>{}</electronic-resource-num>",
                styled(&format!("https://doi.org/{}", e.doi)),
                styled(&e.doi)
            );
        }
        let paragraphs = e.abstract_paragraphs();
        if !paragraphs.is_empty() {
            let separator = if e.style.split_sections { "&#xD;" } else { " " };
            let text: Vec<String> = paragraphs.iter().map(|p| escape_xml(p)).collect();
            let _ = write!(
                out,
                "<abstract>{STYLE}{}</style></abstract>",
                text.join(separator)
            );
        }
        let _ = write!(
            out,
            "<remote-database-name>{}</remote-database-name><language>{}</language></record>",
            styled("MEDLINE"),
            styled("eng")
        );
    }
    out.push_str("</records></xml>\n");
    out
}

/// Text as XML character data: markup characters escaped, characters XML 1.0 forbids dropped.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_specials_are_escaped_and_capitals_protected() {
        assert_eq!(escape_tex("50% & {x}_1"), "50\\% \\& \\{x\\}\\_1");
        assert_eq!(protect_capitals("The COVID-19 era"), "The {COVID-19} era");
    }

    #[test]
    fn xml_markup_is_escaped_and_controls_dropped() {
        assert_eq!(escape_xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
