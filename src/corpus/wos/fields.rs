//! What each Web of Science tag means, and how its lines join: into a [`RawRecord`].
//!
//! Continuation lines mean different things for different tags. For authors, editors and
//! cited references each line is one entry. Titles, keywords and most other fields are
//! wrapped at 75 columns, so their lines join with a space. Abstracts and addresses depend on
//! the export: the Web of Science Core Collection writes one abstract paragraph or one address
//! per line, however long, while some exports (Zoological Record, older `.ciw` files) wrap
//! them at 75 columns too. A line counts as wrapped when it is at most that wide and the next
//! line's first word would not have fitted on it.

use std::borrow::Cow;

use crate::corpus::raw::RawRecord;

/// Width Web of Science wraps long fields at, counting the three-character tag or indent.
const WRAP_WIDTH: usize = 75;

/// Tags whose every line is a separate entry.
const LIST_TAGS: &[&str] = &["AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR"];

/// Tags whose lines are entries that may themselves be wrapped (see [`Field::entries`]).
const ENTRY_TAGS: &[&str] = &["C1", "OR"];

/// Preference order of the tags the authors come from: full names, then abbreviated ones,
/// then book authors.
const AUTHOR_TAGS: &[&str] = &["AF", "AU", "BF", "BA"];

/// Preference order of the tags the date comes from: the year, then the publication date,
/// then the early-access year and date (papers not yet in an issue have only these).
const DATE_TAGS: &[&str] = &["PY", "PD", "EY", "EA"];

/// Tags that hold the pages when there is no `BP`/`EP`: Zoological Record's page span, then
/// the article number of online-only journals.
const PAGE_TAGS: &[&str] = &["PS", "AR"];

/// Tags only Zoological Record uses; in its records `DE` holds indexer descriptors with
/// bracketed, `;`-holding qualifiers, not author keywords.
const ZOOLOGICAL_TAGS: &[&str] = &["BD", "TN", "ST", "OR"];

/// One physical line of a field: its value without tag or indent, and the whole line.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    value: &'a str,
    physical: &'a str,
}

/// One tagged field with its continuation lines.
#[derive(Debug, Clone)]
pub(super) struct Field<'a> {
    /// The two-character tag.
    pub(super) tag: &'a str,
    lines: Vec<Line<'a>>,
}

impl<'a> Field<'a> {
    /// A field from its tag line: `value` is the text after the tag.
    pub(super) fn new(tag: &'a str, value: &'a str, physical: &'a str) -> Self {
        Self {
            tag,
            lines: vec![Line { value, physical }],
        }
    }

    /// Adds an indented (or stray) line to the field.
    pub(super) fn continue_with(&mut self, physical: &'a str) {
        self.lines.push(Line {
            value: physical.trim(),
            physical,
        });
    }

    fn values(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.lines.iter().map(|l| l.value).filter(|v| !v.is_empty())
    }

    fn is_blank(&self) -> bool {
        self.values().next().is_none()
    }

    /// The lines joined with a space: the field as one text.
    fn text(&self) -> String {
        self.values().collect::<Vec<_>>().join(" ")
    }

    /// One entry per line.
    fn list(&self) -> Vec<String> {
        self.values().map(str::to_string).collect()
    }

    /// Abstract text: wrapped lines join with a space, paragraphs with `\n`.
    fn paragraphs(&self) -> String {
        let mut text = String::new();
        let mut previous: Option<&str> = None;
        for line in &self.lines {
            if line.value.is_empty() {
                continue;
            }
            if let Some(prev) = previous {
                text.push(if is_wrapped(prev, line.value) {
                    ' '
                } else {
                    '\n'
                });
            }
            text.push_str(line.value);
            previous = Some(line.physical);
        }
        text
    }

    /// One entry per line, except that a line continues the entry before it when that entry
    /// was wrapped: it does not end with a full stop (or still has a `[` open) and, for
    /// addresses (`bracketed_heads`), the line does not start a bracketed author list. Core
    /// Collection addresses end with a full stop, one per line; Zoological Record wraps its
    /// addresses, organisms and descriptors at 75 columns and ends each with a full stop.
    fn entries(&self, bracketed_heads: bool) -> Vec<String> {
        let mut entries: Vec<String> = Vec::new();
        let mut previous: Option<&str> = None;
        let mut open_brackets = 0i64;
        for line in &self.lines {
            if line.value.is_empty() {
                continue;
            }
            let continues = previous.is_some_and(|prev| {
                !(bracketed_heads && line.value.starts_with('['))
                    && (open_brackets > 0 || !prev.trim_end().ends_with('.'))
                    && is_wrapped(prev, line.value)
            });
            match entries.last_mut() {
                Some(last) if continues => {
                    last.push(' ');
                    last.push_str(line.value);
                }
                _ => {
                    open_brackets = 0;
                    entries.push(line.value.to_string());
                }
            }
            open_brackets += brackets(line.value);
            previous = Some(line.physical);
        }
        entries
    }
}

/// Net count of `[` over `]` in `text`.
fn brackets(text: &str) -> i64 {
    text.bytes().fold(0, |n, b| match b {
        b'[' => n + 1,
        b']' => n - 1,
        _ => n,
    })
}

/// Whether the line `next` (a value) only continues `previous` (a whole physical line)
/// because the exporter wrapped it: `previous` fits the wrap width and `next`'s first word
/// would not have fitted after it.
fn is_wrapped(previous: &str, next: &str) -> bool {
    let width = previous.trim_end().chars().count();
    let word = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    width <= WRAP_WIDTH + 1 && width + 1 + word > WRAP_WIDTH - 2
}

/// The first tag of `preferred` that has a value in `fields`.
fn first_present<'t>(fields: &[Field<'_>], preferred: &[&'t str]) -> Option<&'t str> {
    preferred
        .iter()
        .copied()
        .find(|tag| fields.iter().any(|f| f.tag == *tag && !f.is_blank()))
}

/// Builds the raw record from its fields, in file order. `database` is the file's `FN` header.
pub(super) fn build_record(
    fields: &[Field<'_>],
    database: Option<&str>,
    line: usize,
    span: std::ops::Range<usize>,
) -> RawRecord {
    let zoological = fields.iter().any(|f| {
        ZOOLOGICAL_TAGS.contains(&f.tag)
            || (f.tag == "UT" && f.values().next().is_some_and(|v| v.starts_with("ZOOREC:")))
    });
    let author_tag = first_present(fields, AUTHOR_TAGS);
    let date_tag = first_present(fields, DATE_TAGS);
    let page_tag = match first_present(fields, &["BP", "EP"]) {
        Some(_) => None,
        None => first_present(fields, PAGE_TAGS),
    };
    let mut r = RawRecord {
        line,
        span,
        ..RawRecord::default()
    };
    for field in fields.iter().filter(|f| !f.is_blank()) {
        let tag = field.tag;
        let set = |slot: &mut String| {
            if slot.is_empty() {
                *slot = field.text();
                true
            } else {
                false
            }
        };
        let taken = match tag {
            _ if Some(tag) == author_tag => {
                r.authors.extend(field.list());
                true
            }
            _ if Some(tag) == date_tag => set(&mut r.date),
            _ if Some(tag) == page_tag => set(&mut r.start_page),
            "TI" => set(&mut r.title),
            "SO" => set(&mut r.journal),
            "VL" => set(&mut r.volume),
            "IS" => set(&mut r.issue),
            "BP" => set(&mut r.start_page),
            "EP" => set(&mut r.end_page),
            "DI" => set(&mut r.doi),
            "AB" if r.abstract_text.is_empty() => {
                r.abstract_text = field.paragraphs();
                true
            }
            "DE" if !zoological => {
                r.keywords.extend(
                    field
                        .text()
                        .split(';')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .map(str::to_string),
                );
                true
            }
            _ => false,
        };
        if taken {
            continue;
        }
        let name = extra_name(tag, zoological);
        let values = if LIST_TAGS.contains(&tag) {
            field.list()
        } else if ENTRY_TAGS.contains(&tag) || (zoological && tag == "DE") {
            field.entries(tag == "C1")
        } else if tag == "AB" {
            vec![field.paragraphs()]
        } else {
            vec![field.text()]
        };
        r.extra
            .extend(values.into_iter().map(|v| (name.to_string(), v)));
    }
    if let Some(database) = database {
        r.extra.push(("database".to_string(), database.to_string()));
    }
    r
}

/// Readable name of a Core Collection field tag kept in `extra`; also used for the columns of
/// Web of Science's tab-delimited export, so both exports name extra fields alike.
pub(crate) fn tag_name(tag: &str) -> Cow<'static, str> {
    extra_name(tag, false)
}

/// Readable name, from Clarivate's field tag lists (Core Collection and Zoological Record),
/// for a tag kept in `extra`.
fn extra_name(tag: &str, zoological: bool) -> Cow<'static, str> {
    Cow::Borrowed(match tag {
        "PT" => "type",
        "DT" => "publication type",
        "AU" => "authors (abbreviated)",
        "AF" => "authors (full names)",
        "BA" => "book authors (abbreviated)",
        "BF" => "book authors",
        "CA" => "group authors",
        "GP" => "book group authors",
        "BE" | "ED" => "editors",
        "TI" => "title",
        "FT" => "original-language title",
        "SO" => "source",
        "SE" => "book series",
        "BS" => "book series subtitle",
        "LA" => "language",
        "CT" => "conference",
        "CY" => "conference date",
        "CL" => "conference location",
        "SP" => "conference sponsors",
        "HO" => "conference host",
        "DE" if zoological => "descriptors",
        "DE" => "keywords",
        "ID" | "BD" => "subject terms",
        "AB" => "other abstract",
        "C1" => "affiliations",
        "C3" => "organisations",
        "RP" => "reprint address",
        "EM" => "email",
        "RI" => "researcher ids",
        "OI" => "orcid ids",
        "FU" | "FX" | "FP" => "funding",
        "CR" => "references",
        "NR" => "cited reference count",
        "TC" => "times cited",
        "Z9" => "times cited, all databases",
        "Z8" => "times cited, chinese science citation database",
        "ZB" => "times cited, biosis citation index",
        "ZR" => "times cited, russian science citation index",
        "ZS" => "times cited, scielo citation index",
        "U1" => "usage count, last 180 days",
        "U2" => "usage count since 2013",
        "PU" => "publisher",
        "PI" => "place",
        "PA" => "publisher address",
        "SN" | "EI" => "issn",
        "BN" => "isbn",
        "J9" | "JI" => "journal abbreviation",
        "PY" => "year",
        "PD" => "date",
        "EA" => "early access date",
        "EY" => "early access year",
        "VL" => "volume",
        "IS" => "issue",
        "PN" => "part number",
        "SU" => "supplement",
        "SI" => "special issue",
        "MA" => "meeting abstract",
        "BP" => "start page",
        "EP" => "end page",
        "AR" => "article number",
        "PS" => "pages",
        "PG" => "page count",
        "P2" => "chapter count",
        "DI" => "doi",
        "D2" => "book doi",
        "WC" => "categories",
        "WE" => "web of science index",
        "SC" => "research areas",
        "GA" => "document delivery number",
        "PM" => "pmid",
        "UT" | "AN" => "accession number",
        "OA" => "open access",
        "HC" => "highly cited paper",
        "HP" => "hot paper",
        "DA" => "export date",
        "TN" => "taxa notes",
        "ST" => "systematics",
        "OR" => "organisms",
        "NT" => "notes",
        "UR" | "AW" => "url",
        other => return Cow::Owned(format!("wos field {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    // From wosfile/wos_plaintext.txt (rafguns/wosfile, BSD), trimmed.
    const CORE: &str = "PT J
AU Croft, D
   Stein, L
AF Croft, David
   Stein, Lincoln
TI Reactome: a database of reactions, pathways and biological processes
SO NUCLEIC ACIDS RESEARCH
LA English
DT Article
DE TOXIN-ANTITOXIN; FALSE; AMPHIBIAN; POPULATION-SIZE; GLOBAL
   DECLINES
ID INTERACTION DATABASE; GENE ONTOLOGY
AB Reactome (http://www.reactome.org) is a collaboration among groups at the Ontario Institute for Cancer Research.
   Reactome is an open source project.
C1 [Croft, David; O'Kelly, Gavin] Wellcome Trust Genome Campus, European Bioinformat Inst, Cambridge CB10 1SD, England.
   [Stein, Lincoln] Cold Spring Harbor Lab, Cold Spring Harbor, NY 11724 USA.
CR Alfarano C, 2005, NUCLEIC ACIDS RES, V33, pD418, DOI 10.1093/nar/gki051
   Apweiler R., 2004, NUCLEIC ACIDS RES, V32, P115
NR 2
TC 171
Z9 187
PU OXFORD UNIV PRESS
SN 0305-1048
EI 1362-4962
J9 NUCLEIC ACIDS RES
JI Nucleic Acids Res.
PD JAN
PY 2011
VL 39
SU 1
AR 12
BP D691
EP D697
DI 10.1093/nar/gkq1018
WC Biochemistry & Molecular Biology
UT WOS:000285831700103
PM 21067998
ZZ something new
ER
";

    #[test]
    fn core_collection_fields_map_to_the_record() {
        let r = &parse(CORE).records[0];
        assert_eq!(r.authors, ["Croft, David", "Stein, Lincoln"]);
        assert_eq!(
            r.extra_values("authors (abbreviated)"),
            ["Croft, D", "Stein, L"]
        );
        assert_eq!(r.journal, "NUCLEIC ACIDS RESEARCH");
        assert_eq!(r.date, "2011");
        assert_eq!(r.extra_values("date"), ["JAN"]);
        assert_eq!((r.volume.as_str(), r.issue.as_str()), ("39", ""));
        assert_eq!(
            (r.start_page.as_str(), r.end_page.as_str()),
            ("D691", "D697")
        );
        assert_eq!(r.extra_values("article number"), ["12"]);
        assert_eq!(r.doi, "10.1093/nar/gkq1018");
        assert_eq!(
            r.keywords,
            [
                "TOXIN-ANTITOXIN",
                "FALSE",
                "AMPHIBIAN",
                "POPULATION-SIZE",
                "GLOBAL DECLINES"
            ]
        );
        assert_eq!(
            r.extra_values("subject terms"),
            ["INTERACTION DATABASE; GENE ONTOLOGY"]
        );
        assert_eq!(
            r.abstract_text,
            "Reactome (http://www.reactome.org) is a collaboration among groups at the Ontario Institute for Cancer Research.\nReactome is an open source project."
        );
        assert_eq!(r.extra_values("affiliations").len(), 2);
        assert_eq!(r.extra_values("references").len(), 2);
        assert_eq!(r.extra_values("issn"), ["0305-1048", "1362-4962"]);
        assert_eq!(
            r.extra_values("journal abbreviation"),
            ["NUCLEIC ACIDS RES", "Nucleic Acids Res."]
        );
        assert_eq!(r.extra_values("times cited"), ["171"]);
        assert_eq!(r.extra_values("times cited, all databases"), ["187"]);
        assert_eq!(r.extra_values("accession number"), ["WOS:000285831700103"]);
        assert_eq!(r.extra_values("pmid"), ["21067998"]);
        assert_eq!(r.extra_values("type"), ["J"]);
        assert_eq!(r.extra_values("publication type"), ["Article"]);
        assert_eq!(r.extra_values("supplement"), ["1"]);
        assert_eq!(r.extra_values("wos field ZZ"), ["something new"]);
    }

    #[test]
    fn wrapped_abstracts_join_with_spaces_and_article_numbers_stand_for_pages() {
        // Wrapped at 75 columns, as older `.ciw` exports do (text made up for the test).
        let text = "PT J
AU Li, Wei
TI Soil fauna at different stages of restoration
AR UNSP 1722034
AB Introduction: Wetland soil fauna support material cycling and
   restoration processes in wetland ecosystems.
   Short second paragraph.
ER
";
        let r = &parse(text).records[0];
        assert_eq!(
            r.abstract_text,
            "Introduction: Wetland soil fauna support material cycling and restoration processes in wetland ecosystems.\nShort second paragraph."
        );
        assert_eq!(r.authors, ["Li, Wei"]);
        assert_eq!(r.start_page, "UNSP 1722034");
        assert!(r.extra_values("article number").is_empty());
    }

    #[test]
    fn zoological_record_tags_and_wrapped_entries() {
        // Made-up record in the shape of a Zoological Record export.
        let text = "PT J
AN ZOOR00000000001
TI Nest site selection of woodpeckers after
   wildfire.
AU Doe, Jane N. (jane@example.org)
   Roe, R.
SO Condor
PS 1-19
PD Aug 1 2019
PY 2019
C1 Doe, Jane N.; Univ Somewhere, Ecol & Evolutionary Biol, Some Town, Some
   State, 06269, USA, USA.
BD Conservation; Conservation measures; Reproduction; Reproductive
   behaviour
DE Picoides arcticus [Conservation measures / Management implications /
   habitat characteristics] [Breeding site / Nest site selection; nest / ].
   Picidae [Habitat /  / ].
OR Picoides arcticus (Picidae).
   Dryobates villosus (Picidae).
UT ZOOREC:ZOOR00000000001
ER
";
        let r = &parse(text).records[0];
        assert_eq!(
            r.title,
            "Nest site selection of woodpeckers after wildfire."
        );
        assert_eq!(r.authors, ["Doe, Jane N. (jane@example.org)", "Roe, R."]);
        assert_eq!(r.start_page, "1-19");
        assert!(r.keywords.is_empty());
        assert_eq!(
            r.extra_values("subject terms"),
            ["Conservation; Conservation measures; Reproduction; Reproductive behaviour"]
        );
        assert_eq!(
            r.extra_values("descriptors"),
            [
                "Picoides arcticus [Conservation measures / Management implications / habitat characteristics] [Breeding site / Nest site selection; nest / ].",
                "Picidae [Habitat /  / ]."
            ]
        );
        assert_eq!(
            r.extra_values("affiliations"),
            [
                "Doe, Jane N.; Univ Somewhere, Ecol & Evolutionary Biol, Some Town, Some State, 06269, USA, USA."
            ]
        );
        assert_eq!(
            r.extra_values("organisms"),
            [
                "Picoides arcticus (Picidae).",
                "Dryobates villosus (Picidae)."
            ]
        );
        assert_eq!(
            r.extra_values("accession number"),
            ["ZOOR00000000001", "ZOOREC:ZOOR00000000001"]
        );
    }

    #[test]
    fn fallbacks_for_authors_dates_and_books() {
        let text = "PT B\nBA Smith, J\nBF Smith, John\nBE Editor, E\n   Other, O\nTI A book\nEA JAN\nEY 2019\nER\n";
        let r = &parse(text).records[0];
        assert_eq!(r.authors, ["Smith, John"]);
        assert_eq!(r.extra_values("book authors (abbreviated)"), ["Smith, J"]);
        assert_eq!(r.extra_values("editors"), ["Editor, E", "Other, O"]);
        assert_eq!(r.date, "2019");
        assert_eq!(r.extra_values("early access date"), ["JAN"]);
        assert!(r.extra_values("early access year").is_empty());
    }
}
