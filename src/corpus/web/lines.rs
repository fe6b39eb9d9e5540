//! What each line of pasted web text is: site furniture, a metadata item, a heading, or text.

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::boilerplate;
use crate::clean::sections::label_at_start;
use crate::clean::text::{has_content_type_prefix, trim_separators};

/// Metadata that opens a record on a results page (it comes before the abstract).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header<'a> {
    /// `2018 ◽`
    Year(&'a str),
    /// `Vol 68 (672) ◽`: volume and optional issue.
    Volume(&'a str, Option<&'a str>),
    /// `pp. e487-e494 ◽`
    Pages(&'a str),
    /// `BMJ Open ◽`: a name standing alone between separators, before the year.
    Journal(&'a str),
    /// `Author(s):` with any names written on the same line.
    Authors(&'a str),
    /// `Br J Gen Pract. 2021;71(707):e413-e422. doi: 10.3399/...`
    Citation(Citation<'a>),
}

/// A Vancouver-style citation line, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Citation<'a> {
    /// Journal (abbreviation).
    pub journal: &'a str,
    /// Year.
    pub year: &'a str,
    /// Volume.
    pub volume: &'a str,
    /// Issue.
    pub issue: &'a str,
    /// Pages.
    pub pages: &'a str,
    /// DOI, when the line carries one.
    pub doi: &'a str,
}

/// Metadata that belongs to the record it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trailer<'a> {
    /// `Keywords: a, b, c`
    Keywords(&'a str),
    /// `DOI: 10.1000/x` or a doi.org link.
    Doi(&'a str),
    /// `Published: 3 March 2023`
    Date(&'a str),
    /// A `key | value |` row of a repository's metadata table.
    Field(&'a str, &'a str),
    /// `Publisher` alone: its value is on the next line.
    Heading(&'a str),
    /// `Keywords` or `MeSH terms` alone: one item per line follows.
    List(&'a str),
    /// `PMID: 35012345 PMCID: PMC8912345 DOI: 10.3399/...`: identifiers on one line.
    Ids(Vec<(&'a str, &'a str)>),
    /// `References` / `Reference38 articles.`: numbered entries follow.
    References,
}

/// One classified line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// Empty or white space.
    Blank,
    /// Site boilerplate, with the rule that recognised it.
    Junk(&'static str),
    /// `Abstract`, `Abstract / Description of output`, `Summary`.
    AbstractHeading,
    /// A structured-abstract label alone on its line (`Background:`).
    Label(&'a str),
    /// A line that a catalogue item-type prefix marks as a title (`scholarly journals ...`).
    Title(&'a str),
    /// Record-opening metadata.
    Header(Header<'a>),
    /// Record-closing metadata.
    Trailer(Trailer<'a>),
    /// A publication type printed above a title (`Clinical Trial`, `Research article`).
    PublicationType(&'a str),
    /// Anything else: a title, an author list or abstract text, decided by context.
    Text(&'a str),
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static ABSTRACT_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:abstract|summary)(?:\s*[:/|–-].{0,40})?\s*:?$"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^((?:1[5-9]|20)\d\d)\s*[◽◾•|]?$"));
static VOLUME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^vol(?:ume)?\.?\s*([\w.-]+)\s*(?:\(([^)]+)\)|,?\s*(?:no\.?|issue)\s*([\w.-]+))?\s*[◽◾•|,]?$",
    )
});
static PAGES: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:pp?\.|pages?:?)\s*(\S+)\s*[◽◾•|]?$"));
static AUTHORS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:author\(s\)|authors?|by)\s*:\s*(.*)$"));
/// A Vancouver citation line. The journal is at most [`CITATION_JOURNAL_CHARS`] characters,
/// checked after the match: written in the pattern (`[\w .&-]{1,80}?`) the bound copies the
/// Unicode `\w` class 80 times, an automaton that took longer to build (23 ms) than the rest
/// of opening the seeds. The repeat is lazy, so the journal matched is the shortest that lets
/// the line match; when it is too long, no shorter one could, which is what the bound said.
static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([A-Z][\w .&-]+?)\.\s+((?:19|20)\d\d)(?:\s+\w{3}(?:\s+\d{1,2})?)?;\s*(\w+)(?:\(([\w-]+)\))?:\s*([\w-]+)\.?(?:\s*doi:\s*(10\.\S+?))?\.?(?:\s.*)?$",
    )
});

/// Longest journal name of a [`CITATION`] line, in characters (a capital and 80 more).
const CITATION_JOURNAL_CHARS: usize = 81;
static KEYWORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:key\s*words?|keywords?)\s*[:：]\s*(.*)$"));
static DOI: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:doi\s*[:：]?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{3,}/\S+)$"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:published(?: online)?|publication date|date published|issue date|first published)\s*[:：-]?\s*(.{4,40})$",
    )
});
static TABLE_ROW: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([^|]{1,60}?)\s*\|\s*([^|]*?)\s*\|?\s*$"));
static TABLE_RULE: LazyLock<Regex> = LazyLock::new(|| re(r"^[\s|:-]*-{3,}[\s|:-]*$"));
static VALUE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(Publisher|Subject|Funders?|Funding|ISSN|Language|Document type|Source|Journal|DOI)$")
});
static LIST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(Keywords|Key words|MeSH terms|Publication types?|Substances|Subjects|Topics)$")
});
static IDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:(?:PMID|PMCID|DOI|ISSN|ISBN)\s*:\s*\S+\s*)+$"));
static ID_PAIR: LazyLock<Regex> = LazyLock::new(|| re(r"(PMID|PMCID|DOI|ISSN|ISBN)\s*:\s*(\S+)"));
static VOLUME_ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(.{2,100}?),?\s+volume\s+(\w+),?\s+(?:Article number:?|Article|pages?)\s+([\w-]+)\s+\(((?:19|20)\d\d)\)\.?$",
    )
});
static PUBLICATION_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(research|research article|original article|original research|original paper|review|review article|systematic review|meta-analysis|clinical trial|randomi[sz]ed controlled trial|controlled clinical trial|observational study|multicenter study|editorial|letter|comment|commentary|case reports?|short report|brief report|research letter|protocol|study protocol|conference abstract|practice|debate|perspective|opinion)$",
    )
});
static REFERENCES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:references?|bibliography|works cited)\s*(?:\d+\s*(?:articles?|items|references))?\.?$",
    )
});
static NUMBERED_ENTRY: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:\d{1,4}\.|\[\d{1,4}\])\s+\S"));

/// Classifies one line. `latin` says whether the surrounding document is mostly Latin script.
pub fn classify(line: &str, latin: bool) -> Line<'_> {
    // PubMed prints its citation after a `> ` breadcrumb mark.
    let line = line.trim();
    let line = line.strip_prefix("> ").unwrap_or(line).trim();
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(rule) = boilerplate::line_rule(line) {
        return Line::Junk(rule);
    }
    if boilerplate::is_foreign_script_notice(line, latin) {
        return Line::Junk("notice in another language");
    }
    if boilerplate::is_word_count(line) {
        return Line::Junk("word count");
    }
    if TABLE_RULE.is_match(line) {
        return Line::Junk("table rule");
    }
    if ABSTRACT_HEADING.is_match(line) {
        return Line::AbstractHeading;
    }
    if let Some(m) = label_at_start(line).filter(|m| m.text_start >= line.len()) {
        return Line::Label(&line[..m.end]);
    }
    if has_content_type_prefix(line) && line.chars().count() <= 400 {
        return Line::Title(line);
    }
    if PUBLICATION_TYPE.is_match(line) {
        return Line::PublicationType(line);
    }
    if let Some(header) = header(line) {
        return Line::Header(header);
    }
    if let Some(trailer) = trailer(line) {
        return Line::Trailer(trailer);
    }
    Line::Text(line)
}

fn group<'a>(caps: &regex::Captures<'a>, i: usize) -> &'a str {
    caps.get(i).map_or("", |m| m.as_str())
}

/// Like [`group`], for captures whose lifetime is tied to an iterator over `line`.
fn group_owned<'a>(caps: &regex::Captures<'_>, i: usize, line: &'a str) -> &'a str {
    caps.get(i).map_or("", |m| &line[m.range()])
}

fn header(line: &str) -> Option<Header<'_>> {
    if let Some(c) = YEAR.captures(line) {
        return Some(Header::Year(group(&c, 1)));
    }
    if let Some(c) = VOLUME.captures(line) {
        let issue = c.get(2).or_else(|| c.get(3)).map(|m| m.as_str());
        return Some(Header::Volume(group(&c, 1), issue));
    }
    if let Some(c) = PAGES.captures(line) {
        return Some(Header::Pages(group(&c, 1)));
    }
    if let Some(c) = AUTHORS.captures(line) {
        return Some(Header::Authors(group(&c, 1)));
    }
    // Each pattern below is only built (about 1 ms each) for pages with a line that holds
    // what it needs: few pages print citations, and most lines are abstract text.
    if line.contains("volume")
        && let Some(c) = VOLUME_ARTICLE.captures(line)
    {
        return Some(Header::Citation(Citation {
            journal: group(&c, 1),
            volume: group(&c, 2),
            pages: group(&c, 3),
            year: group(&c, 4),
            ..Citation::default()
        }));
    }
    if let Some(citation) = citation(line) {
        return Some(Header::Citation(citation));
    }
    let ends_with_separator = line.ends_with(['◽', '◾']);
    let name = trim_separators(line);
    (ends_with_separator && !name.is_empty() && name.chars().count() <= 120)
        .then_some(Header::Journal(name))
}

/// A Vancouver citation line (`Br J Gen Pract. 2021;71(707):e413-e422. doi: 10.3399/...`).
fn citation(line: &str) -> Option<Citation<'_>> {
    if !may_be_citation(line) {
        return None;
    }
    let c = CITATION.captures(line)?;
    let journal = group(&c, 1);
    (journal.chars().count() <= CITATION_JOURNAL_CHARS).then(|| Citation {
        journal,
        year: group(&c, 2),
        volume: group(&c, 3),
        issue: group(&c, 4),
        pages: group(&c, 5),
        doi: group(&c, 6),
    })
}

/// Whether `line` has what every [`CITATION`] line has: a full stop, white space (`\s`, the
/// Unicode White_Space that `trim_start` drops too) and a year starting `19` or `20`, then
/// a semicolon somewhere after it.
fn may_be_citation(line: &str) -> bool {
    let Some(last_semicolon) = line.rfind(';') else {
        return false;
    };
    line[..last_semicolon].match_indices('.').any(|(i, _)| {
        let after = &line[i + 1..last_semicolon];
        let year = after.trim_start();
        year.len() < after.len() && (year.starts_with("19") || year.starts_with("20"))
    })
}

fn trailer(line: &str) -> Option<Trailer<'_>> {
    if let Some(c) = KEYWORDS.captures(line) {
        return Some(Trailer::Keywords(group(&c, 1)));
    }
    if let Some(c) = DOI.captures(line) {
        return Some(Trailer::Doi(group(&c, 1)));
    }
    if let Some(c) = DATE.captures(line) {
        return Some(Trailer::Date(group(&c, 1)));
    }
    if REFERENCES.is_match(line) {
        return Some(Trailer::References);
    }
    if let Some(c) = VALUE_HEADING.captures(line) {
        return Some(Trailer::Heading(group(&c, 1)));
    }
    if let Some(c) = LIST_HEADING.captures(line) {
        return Some(Trailer::List(group(&c, 1)));
    }
    if IDS.is_match(line) {
        let pairs = ID_PAIR
            .captures_iter(line)
            .map(|c| (group_owned(&c, 1, line), group_owned(&c, 2, line)))
            .collect();
        return Some(Trailer::Ids(pairs));
    }
    if line.contains('|')
        && let Some(c) = TABLE_ROW.captures(line)
    {
        return Some(Trailer::Field(group(&c, 1), group(&c, 2)));
    }
    None
}

/// Whether `line` is an entry of a numbered reference list (`1. Smith J ...`, `[2] ...`).
pub fn is_numbered_entry(line: &str) -> bool {
    NUMBERED_ENTRY.is_match(line.trim())
}

/// Whether a line of text could be a title: short, at most two sentences, and not the start of
/// a labelled abstract section.
pub fn is_title_like(line: &str) -> bool {
    let chars = line.chars().count();
    let words = line.split_whitespace().count();
    let sentence_breaks = line.matches(". ").count() + line.matches("? ").count();
    chars <= 300 && words >= 2 && sentence_breaks <= 1 && label_at_start(line).is_none()
}

/// Whether `line` is a list of personal names (`Jane Doe, John A. Smith and Ann Lee`): what
/// sites print under a title.
pub fn is_name_list(line: &str) -> bool {
    if line.chars().count() > 400 || line.ends_with(['.', '?', '!']) && !line.ends_with(" al.") {
        return false;
    }
    let names: Vec<&str> = split_names(line);
    !names.is_empty()
        && names.iter().all(|name| {
            let tokens: Vec<&str> = name.split_whitespace().collect();
            (2..=5).contains(&tokens.len())
                && tokens.iter().all(|t| {
                    t.chars().next().is_some_and(|c| c.is_uppercase())
                        || matches!(
                            *t,
                            "van"
                                | "von"
                                | "de"
                                | "der"
                                | "den"
                                | "da"
                                | "di"
                                | "del"
                                | "la"
                                | "le"
                                | "al."
                        )
                })
        })
}

/// Splits an author line on the separators sites use between names.
pub fn split_names(line: &str) -> Vec<&str> {
    line.split([',', ';', '◽', '◾', '•', '&'])
        .flat_map(|part| part.split(" and "))
        .map(|n| {
            n.trim()
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '*')
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_lines_of_a_results_page() {
        assert_eq!(
            classify("2018 ◽  ", true),
            Line::Header(Header::Year("2018"))
        );
        assert_eq!(
            classify("Vol 68 (672) ◽", true),
            Line::Header(Header::Volume("68", Some("672")))
        );
        assert_eq!(
            classify("pp. e487-e494 ◽", true),
            Line::Header(Header::Pages("e487-e494"))
        );
        assert_eq!(
            classify("Author(s):  ", true),
            Line::Header(Header::Authors(""))
        );
        assert_eq!(
            classify("BMJ Open ◽", true),
            Line::Header(Header::Journal("BMJ Open"))
        );
        assert_eq!(
            classify("Keywords: a, b,", true),
            Line::Trailer(Trailer::Keywords("a, b,"))
        );
        assert_eq!(
            classify("Journal | BJGP Open |", true),
            Line::Trailer(Trailer::Field("Journal", "BJGP Open"))
        );
        assert_eq!(classify("---|---|", true), Line::Junk("table rule"));
        assert_eq!(
            classify("Reference38 articles.", true),
            Line::Trailer(Trailer::References)
        );
        assert_eq!(
            classify("Publisher", true),
            Line::Trailer(Trailer::Heading("Publisher"))
        );
    }

    #[test]
    fn headings_labels_and_titles() {
        assert_eq!(
            classify("Abstract / Description of output", true),
            Line::AbstractHeading
        );
        assert_eq!(classify("Abstract", true), Line::AbstractHeading);
        assert_eq!(
            classify("Design and setting:", true),
            Line::Label("Design and setting")
        );
        assert!(matches!(
            classify("scholarly journals Delivering care", true),
            Line::Title(_)
        ));
        assert!(matches!(
            classify("Abstract Background There is growing evidence.", true),
            Line::Text(_)
        ));
    }

    #[test]
    fn citation_lines_are_split_into_parts() {
        let Line::Header(Header::Citation(c)) = classify(
            "Br J Gen Pract. 2021 Jun;71(707):e413-e422. doi: 10.3399/BJGP.2020.0856.",
            true,
        ) else {
            panic!("not a citation line");
        };
        assert_eq!(
            (c.journal, c.year, c.volume, c.issue, c.pages),
            ("Br J Gen Pract", "2021", "71", "707", "e413-e422")
        );
        assert_eq!(c.doi, "10.3399/BJGP.2020.0856");
        let Line::Header(Header::Citation(c)) = classify(
            "> Br J Gen Pract. 2022 Mar 3;72(716):e190-e198. doi: 10.3399/BJGP.2021.0412. Print 2022 Mar.",
            true,
        ) else {
            panic!("PubMed breadcrumb citation not recognised");
        };
        assert_eq!(
            (c.year, c.volume, c.doi),
            ("2022", "72", "10.3399/BJGP.2021.0412")
        );
        let Line::Header(Header::Citation(c)) = classify(
            "BMC Primary Care volume 22, Article number: 118 (2021)",
            true,
        ) else {
            panic!("journal-site citation not recognised");
        };
        assert_eq!(
            (c.journal, c.volume, c.pages, c.year),
            ("BMC Primary Care", "22", "118", "2021")
        );
    }

    /// The citation pattern as it was written before the journal's bound moved out of it.
    static BOUNDED_CITATION: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^([A-Z][\w .&-]{1,80}?)\.\s+((?:19|20)\d\d)(?:\s+\w{3}(?:\s+\d{1,2})?)?;\s*(\w+)(?:\(([\w-]+)\))?:\s*([\w-]+)\.?(?:\s*doi:\s*(10\.\S+?))?\.?(?:\s.*)?$",
        )
    });

    fn bounded_citation(line: &str) -> Option<Citation<'_>> {
        BOUNDED_CITATION.captures(line).map(|c| Citation {
            journal: group(&c, 1),
            year: group(&c, 2),
            volume: group(&c, 3),
            issue: group(&c, 4),
            pages: group(&c, 5),
            doi: group(&c, 6),
        })
    }

    /// Mostly one of `valid`, sometimes one of `invalid`.
    fn piece(
        valid: Vec<&'static str>,
        invalid: Vec<&'static str>,
    ) -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::sample::select;
        proptest::prop_oneof![8 => select(valid), 1 => select(invalid)]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Citation-like lines with journals of 1 to about 160 characters, full stops inside
        /// them, accented, combining and CJK letters (all `\w`), and characters outside the
        /// class; each part sometimes malformed.
        #[test]
        fn citation_journal_bound_is_the_patterns(
            start in piece(vec!["B", "Br J Gen Pract", "É", "Ab. C", "Z"], vec!["b", "1"]),
            journal in proptest::collection::vec(proptest::sample::select(
                vec!["a", "é", "中", "\u{301}", "_", "7", " ", ".", ". ", "&", "-", "X"],
            ), 0..110),
            outside in proptest::option::weighted(0.2, (
                0..110usize,
                proptest::sample::select(vec![",", "(", "’", "\t"]),
            )),
            sep in piece(
                vec![". ", ".  ", ".\u{a0}", ".\t", ".\u{3000}", ".\u{85} "],
                vec![".", " . ", ".\u{200b}"],
            ),
            year in piece(vec!["2021", "1999", "20\u{662}\u{661}"], vec!["1899", "20211", "21"]),
            month in piece(vec!["", " Jun", " Jun 3", " Déc 12"], vec![" 3", " June"]),
            volume in piece(vec![";71", "; 71", ";7é"], vec![";", "71"]),
            issue in piece(vec!["", "(707)", "(S-1)"], vec!["(", "()"]),
            pages in piece(vec![":e413-e422", ": 12"], vec![":", "e1"]),
            tail in piece(
                vec!["", ".", ". doi: 10.3399/X.1.", " doi:10.1/x", ". Print 2022 Mar."],
                vec!["x", "(1)"],
            ),
        ) {
            let mut journal = journal.concat();
            if let Some((at, c)) = outside {
                let at = journal.char_indices().nth(at).map_or(journal.len(), |(i, _)| i);
                journal.insert_str(at, c);
            }
            let line = format!("{start}{journal}{sep}{year}{month}{volume}{issue}{pages}{tail}");
            proptest::prop_assert_eq!(citation(&line), bounded_citation(&line), "{:?}", line);
        }

        /// Any text at all (mostly not citations).
        #[test]
        fn citation_matches_the_bounded_pattern_on_any_text(line in "\\PC{0,150}") {
            proptest::prop_assert_eq!(citation(&line), bounded_citation(&line));
        }
    }

    #[test]
    fn white_space_is_what_trim_start_drops() {
        // `may_be_citation` stands for the pattern's `\s+` with `trim_start`.
        let space = Regex::new(r"\A\s\z").expect("constant regex");
        let mut buffer = [0; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = c.encode_utf8(&mut buffer);
            assert_eq!(space.is_match(text), text.trim_start().is_empty(), "{c:?}");
        }
    }

    #[test]
    fn citation_journal_of_81_characters_but_not_82() {
        // A capital and 80 more characters is the longest journal name of a citation line.
        let line = |journal: &str| format!("{journal}. 2021;71(707):e413-e422.");
        let longest = format!("J{}", "a".repeat(80));
        assert_eq!(
            citation(&line(&longest)).map(|c| c.journal),
            Some(longest.as_str())
        );
        assert_eq!(citation(&line(&format!("{longest}a"))), None);
        // The journal ends at the first full stop that a year follows (the repeat is lazy):
        // here that makes it 92 characters long, so the line is no citation.
        let dotted = format!("J. {}. 2021;71:1.", "a".repeat(90));
        assert_eq!(citation(&dotted), None);
        assert_eq!(
            citation("J. Gen. Pract. 2021;71:1.").map(|c| c.journal),
            Some("J. Gen. Pract")
        );
    }

    #[test]
    fn name_lists_and_titles() {
        assert!(is_name_list("Jane Doe, John A. Smith and Ann van der Berg"));
        assert!(is_name_list("Hannah Price, Owen Mbeki & Sofia Lindqvist"));
        assert!(is_name_list("Amira Haddad 1, Tomás Ferreira 2, Li Wen 3"));
        assert!(!is_name_list(
            "Influences of peer facilitation in general practice"
        ));
        assert!(!is_name_list("Results were good, and costs fell."));
        assert!(is_title_like(
            "Influences of peer facilitation in general practice - a qualitative study."
        ));
        assert!(!is_title_like("Background: short"));
    }
}
