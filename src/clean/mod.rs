//! Cleaning: from the fields a parser extracted to the record a reviewer reads. The same rules
//! apply whatever the format; nothing here knows which file or site a record came from.

pub mod boilerplate;
pub mod latex;
pub mod sections;
pub mod text;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::raw::RawRecord;
use crate::id::{IdInput, normalise_doi, normalise_text, normalise_text_head, record_id};
use crate::record::{Extra, Record, Section, Source};

use self::text::{
    decoded, plain, squash_whitespace, strip_abstract_prefix, strip_content_type_prefix,
    trim_separators,
};

/// Cleans one parsed record. `raw_text` is the record's source text, used for its id only when
/// the record has no DOI, title or abstract.
pub fn clean_record(raw: &RawRecord, source: Source, raw_text: &str) -> Record {
    let year = parse_year(&raw.date);
    let id = record_id(&IdInput {
        doi: Some(raw.doi.as_str()),
        year,
        title: &raw.title,
        abstract_text: &raw.abstract_text,
        raw: raw_text,
    });
    let cleaned = clean_abstract(&raw.abstract_text);
    let mut keywords = raw.keywords.clone();
    keywords.extend(cleaned.keywords);
    Record {
        id,
        title: clean_title(&raw.title),
        authors: clean_authors(&raw.authors),
        year,
        journal: clean_field(&raw.journal),
        volume: clean_field(&raw.volume),
        issue: clean_field(&raw.issue),
        pages: clean_pages(&raw.start_page, &raw.end_page),
        doi: display_doi(&raw.doi),
        keywords: clean_keywords(&keywords),
        sections: cleaned.sections.into(),
        extra: clean_extra(&raw.extra),
        source,
    }
}

/// A title as a reader expects it: no markup, no catalogue prefix, single spaces, no
/// trailing full stop (PubMed adds one; other sources do not).
pub fn clean_title(raw: &str) -> String {
    let plain = SPACE_BEFORE_PUNCTUATION
        .replace_all(&plain(raw), "$1$2")
        .into_owned();
    let title = trim_separators(strip_content_type_prefix(&plain));
    let title = match title.strip_suffix('.') {
        // `Care . .` loses its last full stop and the space before it.
        Some(stripped) if !stripped.ends_with('.') => stripped.trim_end(),
        _ => title,
    };
    title.to_string()
}

fn clean_field(raw: &str) -> Option<String> {
    let value = plain(raw);
    let value = trim_separators(&value);
    (!value.is_empty()).then(|| value.to_string())
}

/// Author names without separators, and without the `...` / `et al.` that stand for omitted ones.
fn clean_authors(raw: &[String]) -> Vec<String> {
    raw.iter()
        .filter_map(|a| clean_field(a))
        .map(|a| a.trim_end_matches([',', ';']).trim().to_string())
        .filter(|a| {
            !matches!(
                a.to_lowercase().as_str(),
                "" | "..." | "…" | "et al" | "et al." | "and others"
            )
        })
        .collect()
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(1[5-9]\d\d|20\d\d)\b").expect("constant regex"));

/// The first plausible four-digit year in a date field (`2021/06/01`, `Published - 3 Mar 2023`).
pub fn parse_year(date: &str) -> Option<u16> {
    YEAR.captures(date)?.get(1)?.as_str().parse().ok()
}

fn clean_pages(start: &str, end: &str) -> Option<String> {
    let start = clean_field(start);
    let end = clean_field(end);
    match (start, end) {
        (Some(s), Some(e)) if !s.contains(['-', '–']) && s != e => Some(format!("{s}-{e}")),
        (Some(s), _) => Some(s),
        (None, e) => e,
    }
}

/// The DOI as the source wrote it (case kept), without resolver or `doi:` prefixes.
fn display_doi(raw: &str) -> Option<String> {
    let normal = normalise_doi(raw)?;
    let lower = raw.to_lowercase();
    let start = lower.find(&normal)?;
    Some(raw[start..start + normal.len()].to_string())
}

fn clean_keywords(raw: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    raw.iter()
        .flat_map(|k| k.split(';'))
        .filter_map(|k| {
            let k = plain(k);
            let k = trim_separators(&k)
                .trim_end_matches([',', '.'])
                .trim()
                .to_string();
            (!k.is_empty() && seen.insert(k.to_lowercase())).then_some(k)
        })
        .collect()
}

fn clean_extra(raw: &[(String, String)]) -> Extra {
    // Values per key in order, without repeats; a set per key keeps this linear for records
    // with thousands of values (cited references).
    let mut values: BTreeMap<&str, (Vec<String>, HashSet<String>)> = BTreeMap::new();
    for (key, value) in raw {
        let value = plain(value);
        let value = match key.as_str() {
            "pmid" => normalise_pmid(&value),
            _ => value,
        };
        if value.is_empty() {
            continue;
        }
        let (list, seen) = values.entry(key.as_str()).or_default();
        if seen.insert(value.clone()) {
            list.push(value);
        }
    }
    values
        .into_iter()
        .map(|(key, (list, _))| (key, list.join("; ")))
        .collect()
}

static PMID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,9}\b").expect("constant regex"));

/// A PubMed id as its number alone (`PMID: 35012345`, `35012345 [PubMed - indexed]`,
/// `https://pubmed.ncbi.nlm.nih.gov/35012345/` → `35012345`); other text is kept as given.
pub fn normalise_pmid(value: &str) -> String {
    PMID.find(value)
        .map_or_else(|| value.to_string(), |m| m.as_str().to_string())
}

/// A cleaned abstract, and any keywords found inside it (`Keywords: a, b`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CleanAbstract {
    /// Labelled sections, in order, without repeats.
    pub sections: Vec<Section>,
    /// Keywords lifted out of the abstract text.
    pub keywords: Vec<String>,
}

static KEYWORDS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:key\s*words?|keywords?|mesh terms?)\s*[:：]\s*(.*)$")
        .expect("constant regex")
});

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    // What exporters write where there is no abstract: not an abstract.
    Regex::new(r"(?i)^[\[(]?(?:publisher:\s*)?(?:no abstract(?: available)?|abstract not available|abstract available from the publisher|not available)[.]?[\])]?\.?$")
        .expect("constant regex")
});

static SEMICOLON_BREAKS: LazyLock<Regex> = LazyLock::new(|| {
    // Line breaks some CSV exporters (Lens) wrote as `;`: a sentence end followed by one or
    // more semicolons (`medications.; ; ; Method ; A systematic ...`) is a paragraph break.
    Regex::new(r"([.!?])(?:\s*;)+\s*").expect("constant regex")
});

static SPACE_BEFORE_PUNCTUATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+([,.;:])(\s|$)").expect("constant regex"));

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[•·▪◦*–-]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)").expect("constant regex")
});

/// Shortest line a hard-wrapped paragraph is made of: shorter lines are headings or list items.
const MIN_WRAPPED_LINE_CHARS: usize = 40;

/// Rejoins what exporters broke into lines: a section label alone on its line joins the text
/// after it (`Background:` / `The CONSORT statement ...`), and a line that stops mid-sentence
/// joins the next (`... Guidelines on Allergen` / `Immunotherapy (AIT) ...`), unless the next
/// starts a labelled section or a list item.
fn join_wrapped_lines(lines: Vec<String>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let continues = joined.last().is_some_and(|previous: &String| {
            let label_only =
                sections::label_at_start(previous).is_some_and(|m| m.text_start >= previous.len());
            // `nth`, not `count`: `previous` grows with every line joined to it, and counting
            // all of it each time made an abstract of many wrapped lines quadratic.
            let mid_sentence = previous.chars().nth(MIN_WRAPPED_LINE_CHARS - 1).is_some()
                && !previous.ends_with(['.', '!', '?', ':', ';', ')', ']', '"', '”', '’', '\''])
                && sections::label_at_start(&line).is_none()
                && !LIST_ITEM.is_match(&line);
            label_only || mid_sentence
        });
        match joined.last_mut() {
            Some(previous) if continues => {
                previous.push(' ');
                previous.push_str(&line);
            }
            _ => joined.push(line),
        }
    }
    joined
}

/// Shortest normalised text two sections must share to count as a repeat.
const MIN_REPEAT_CHARS: usize = 20;

/// Normalised characters of each section compared before whole sections are.
const REPEAT_HEAD_CHARS: usize = 64;

/// Drops every section whose normalised text (of [`MIN_REPEAT_CHARS`] or more) repeats an
/// earlier section's. Equal texts have equal heads, so a section whose head is long and
/// shared with no other section is kept without normalising the rest of it.
fn drop_repeated_sections(sections: &mut Vec<Section>) {
    let heads: Vec<String> = sections
        .iter()
        .map(|s| normalise_text_head(&s.text, REPEAT_HEAD_CHARS))
        .collect();
    let mut head_count: HashMap<&str, usize> = HashMap::new();
    for head in &heads {
        *head_count.entry(head.as_str()).or_default() += 1;
    }
    let unique: Vec<bool> = heads
        .iter()
        .map(|h| h.chars().count() == REPEAT_HEAD_CHARS && head_count[h.as_str()] == 1)
        .collect();
    let mut seen = HashSet::new();
    let mut index = 0;
    sections.retain(|s| {
        let unique = unique[index];
        index += 1;
        if unique {
            return true;
        }
        let key = normalise_text(&s.text);
        key.len() < MIN_REPEAT_CHARS || seen.insert(key)
    });
}

/// Cleans abstract text: markup, word counts, `Abstract` prefixes, copyright statements,
/// keyword lines, repeated paragraphs; then splits it into labelled sections.
pub fn clean_abstract(raw: &str) -> CleanAbstract {
    let plain = decoded(raw);
    let plain = SEMICOLON_BREAKS.replace_all(&plain, "$1\n");
    let mut keywords = Vec::new();
    let mut paragraphs = Vec::new();
    for line in plain.split('\n') {
        let line = squash_whitespace(line);
        if line.is_empty() || boilerplate::is_word_count(&line) || PLACEHOLDER.is_match(&line) {
            continue;
        }
        if let Some(caps) = KEYWORDS_LINE.captures(&line) {
            let list = caps.get(1).map_or("", |m| m.as_str());
            keywords.extend(list.split([';', ',']).map(str::to_string));
            continue;
        }
        let line = boilerplate::strip_copyright_tail(strip_abstract_prefix(&line)).trim();
        if !line.is_empty() {
            paragraphs.push(line.to_string());
        }
    }
    let paragraphs = join_wrapped_lines(paragraphs);
    let mut sections = sections::split_sections(&paragraphs);
    // A single section repeats nothing: most abstracts need no normalising here.
    if sections.len() > 1 {
        drop_repeated_sections(&mut sections);
    }
    CleanAbstract { sections, keywords }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_prefixes_markup_and_the_final_full_stop() {
        assert_eq!(
            clean_title("scholarly journals Delivering care"),
            "Delivering care"
        );
        assert_eq!(
            clean_title("Influences of peer facilitation - a qualitative study."),
            "Influences of peer facilitation - a qualitative study"
        );
        assert_eq!(clean_title("<i>In vivo</i>  study..."), "In vivo study...");
        // Found by fuzzing (fuzz/ target `clean`): the space before a final full stop stayed.
        assert_eq!(clean_title("care $ . ."), "care $.");
    }

    #[test]
    fn years_from_any_date_form() {
        assert_eq!(parse_year("2021/06/01"), Some(2021));
        assert_eq!(parse_year("Published - 3 Mar 2023"), Some(2023));
        assert_eq!(parse_year("in press"), None);
    }

    #[test]
    fn pages_and_dois() {
        assert_eq!(clean_pages("e413", "e422"), Some("e413-e422".to_string()));
        assert_eq!(clean_pages("112-121 ◽", ""), Some("112-121".to_string()));
        assert_eq!(
            display_doi("https://doi.org/10.3399/BJGP.2020.0856"),
            Some("10.3399/BJGP.2020.0856".to_string())
        );
        assert_eq!(display_doi(""), None);
    }

    #[test]
    fn many_wrapped_lines_join_into_one_paragraph() {
        // tests/hostile.rs: 1 MB of such lines took 0.6 s (quadratic) before the fix.
        let line = "this line of an abstract is long enough to be wrapped text";
        let cleaned = clean_abstract(&vec![line; 5_000].join("\n"));
        assert_eq!(cleaned.sections.len(), 1);
        assert_eq!(cleaned.sections[0].text, vec![line; 5_000].join(" "));
    }

    #[test]
    fn lines_broken_by_exporters_are_rejoined() {
        // Shapes from asreview/baseline_zotero.ris (Apache-2.0).
        let cleaned = clean_abstract(
            "Background: \nThe CONSORT statement aims to improve reporting.\nThe EAACI is developing Guidelines on Allergen\nImmunotherapy (AIT) for rhinitis.\nResults: fine.\n• MR imaging helps.",
        );
        let sections: Vec<(Option<&str>, &str)> = cleaned
            .sections
            .iter()
            .map(|s| (s.label.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            sections,
            [
                (
                    Some("Background"),
                    "The CONSORT statement aims to improve reporting."
                ),
                (
                    None,
                    "The EAACI is developing Guidelines on Allergen Immunotherapy (AIT) for rhinitis."
                ),
                (Some("Results"), "fine."),
                (None, "• MR imaging helps."),
            ]
        );
    }

    #[test]
    fn semicolons_standing_for_line_breaks_become_paragraph_breaks() {
        // From citation-file-formatting/_baseline.csv (Lens, CC0).
        let cleaned = clean_abstract(
            "There is a gap in cardiovascular medications.; ; ; Method ; A systematic search was done; it found 12 studies.",
        );
        let labels: Vec<Option<&str>> = cleaned
            .sections
            .iter()
            .map(|s| s.label.as_deref())
            .collect();
        assert_eq!(labels, [None, Some("Method")]);
        assert_eq!(
            cleaned.sections[1].text,
            "A systematic search was done; it found 12 studies."
        );
    }

    #[test]
    fn titles_lose_space_before_punctuation() {
        assert_eq!(
            clean_title("General Hospital Wards : A Systematic Review"),
            "General Hospital Wards: A Systematic Review"
        );
    }

    #[test]
    fn jats_abstracts_from_crossref_become_sections() {
        let jats = "<jats:title>Abstract</jats:title><jats:sec><jats:title>Background</jats:title><jats:p>Why <jats:italic>E. coli</jats:italic> &amp; others.</jats:p></jats:sec><jats:sec><jats:title>Methods</jats:title><jats:p>How.</jats:p></jats:sec>";
        let sections: Vec<(Option<String>, String)> = clean_abstract(jats)
            .sections
            .into_iter()
            .map(|s| (s.label, s.text))
            .collect();
        assert_eq!(
            sections,
            [
                (
                    Some("Background".to_string()),
                    "Why E. coli & others.".to_string()
                ),
                (Some("Methods".to_string()), "How.".to_string())
            ]
        );
    }

    #[test]
    fn placeholder_abstracts_are_no_abstract() {
        for placeholder in [
            "[No abstract available]",
            "Publisher: Abstract available from the publisher.",
            "Abstract not available.",
        ] {
            assert_eq!(
                clean_abstract(placeholder),
                CleanAbstract::default(),
                "{placeholder}"
            );
        }
        assert_eq!(
            clean_abstract("No abstract available was a problem for us.")
                .sections
                .len(),
            1
        );
    }

    #[test]
    fn pmids_are_reduced_to_their_number() {
        for form in [
            "35012345",
            "PMID: 35012345",
            "35012345 [PubMed - indexed for MEDLINE]",
            "https://pubmed.ncbi.nlm.nih.gov/35012345/",
        ] {
            assert_eq!(normalise_pmid(form), "35012345", "{form}");
        }
        assert_eq!(normalise_pmid("not given"), "not given");
    }

    #[test]
    fn omitted_author_markers_are_dropped() {
        let raw: Vec<String> = ["Kathryn Skivington ◽", " ...", "Sally Wyke ◽ ", "et al."]
            .map(String::from)
            .to_vec();
        assert_eq!(clean_authors(&raw), ["Kathryn Skivington", "Sally Wyke"]);
    }

    #[test]
    fn long_sections_sharing_an_opening_are_compared_whole() {
        let section = |text: &str| Section {
            label: None,
            text: text.to_string(),
        };
        let x = "x".repeat(70);
        let mut sections = vec![
            section(&format!("{x} one")),
            section(&"y".repeat(70)),
            // Same first 64 normalised characters as the first, different after: kept.
            section(&format!("{x} two")),
            // The first again, in other case and punctuation: a repeat, dropped.
            section(&format!("{}  ONE.", x.to_uppercase())),
            // Shorter than MIN_REPEAT_CHARS once normalised: never a repeat.
            section("Short."),
            section("Short."),
        ];
        drop_repeated_sections(&mut sections);
        let texts: Vec<String> = sections.into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                format!("{x} one"),
                "y".repeat(70),
                format!("{x} two"),
                "Short.".to_string(),
                "Short.".to_string()
            ]
        );
    }

    #[test]
    fn repeated_paragraphs_word_counts_and_keyword_lines() {
        let raw = "Aims: To compare things over time.\nResults: They changed a great deal.\n[227]\nKeywords: a, b,\nAims: To compare things over time.\nResults: They changed a great deal.\n[227]";
        let cleaned = clean_abstract(raw);
        let labels: Vec<_> = cleaned
            .sections
            .iter()
            .map(|s| s.label.clone().unwrap_or_default())
            .collect();
        assert_eq!(labels, ["Aims", "Results"]);
        assert_eq!(cleaned.keywords, ["a", " b", ""]);
    }
}
