//! Lists packed into one cell: authors, keywords, and the screening decisions Rayyan writes into
//! its notes. Splitting a list is parsing; the names and words themselves are kept as written.

use std::sync::LazyLock;

use regex::Regex;

/// Excel's way of keeping a value text: `="19326203"` (CINAHL CSV). Returns the value inside.
pub fn unwrap_excel_text(cell: &str) -> &str {
    cell.strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'))
        .unwrap_or(cell)
}

static AND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+and\s+").expect("constant regex"));

static INITIALS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\p{Lu}\.?(?:-\p{Lu}\.?)?\s*)+$").expect("constant regex"));

/// Splits an authors cell into one name per entry. Separators, in order of trust: `|`
/// (OpenAlex), `;`, ` and ` (BibTeX style: Rayyan, abstrackr), then `,` where every piece is a
/// whole name (`Yang Z., Jiang B.`, `Joseph Rottman, Erran Carmel`) or pieces alternate surname
/// and initials (`Yang, Z., Jiang, B.`); `Smith, J` stays one name. Names glued without a
/// separator (`Adeli K.Lewis G. F.`, `Vivek K. PallipuramMohammad Bhuiyan`) are split where a
/// new name visibly starts.
pub fn split_authors(cell: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if cell.contains('|') {
        names.extend(cell.split('|').map(|n| n.trim().to_string()));
    } else if cell.contains(';') {
        names.extend(cell.split(';').map(|n| n.trim().to_string()));
    } else if AND.is_match(cell) {
        let pieces: Vec<&str> = AND.split(cell).map(str::trim).collect();
        // `A. Smith, B. Jones and C. Lee` lists names with commas before the last `and`;
        // `Smith, A. and Jones, B.` (BibTeX style) has a comma inside every name.
        let commas_list = pieces.last().is_some_and(|last| !last.contains(','));
        for piece in pieces {
            if commas_list {
                push_comma_list(piece, &mut names);
            } else {
                names.push(piece.to_string());
            }
        }
    } else {
        split_commas(cell.trim(), &mut names);
    }
    names.retain(|n| !n.is_empty());
    names
}

/// Name suffixes that follow a comma but belong to the name before (`C. W. Livingston, Jr.`).
const SUFFIXES: &[&str] = &["Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"];

/// Splits a piece of an `A, B and C` list on every comma, keeping suffixes with their name.
fn push_comma_list(piece: &str, names: &mut Vec<String>) {
    let mut first = true;
    for name in piece.split(',').map(str::trim) {
        match names.last_mut() {
            Some(last) if !first && SUFFIXES.contains(&name) => {
                last.push_str(", ");
                last.push_str(name);
            }
            _ => names.push(name.to_string()),
        }
        first = false;
    }
}

fn split_commas(part: &str, names: &mut Vec<String>) {
    let pieces: Vec<&str> = part.split(',').map(str::trim).collect();
    if pieces.len() < 2 {
        names.extend(split_glued(part));
        return;
    }
    let mut whole: Vec<String> = Vec::new();
    push_comma_list(part, &mut whole);
    if whole.iter().all(|p| is_whole_name(p)) {
        names.extend(whole);
        return;
    }
    let alternating = pieces.len() > 2
        && pieces.len().is_multiple_of(2)
        && pieces.chunks(2).all(|pair| {
            !pair[0].is_empty() && !INITIALS.is_match(pair[0]) && INITIALS.is_match(pair[1])
        });
    if alternating {
        names.extend(
            pieces
                .chunks(2)
                .map(|pair| format!("{}, {}", pair[0], pair[1])),
        );
    } else {
        names.push(part.to_string());
    }
}

/// Whether a comma-separated piece is a whole name (`Yang Z.`, `Joseph Rottman`) rather than
/// half of one (`Smith`, `J. K.`, `de Souza`).
fn is_whole_name(piece: &str) -> bool {
    let words: Vec<&str> = piece.split_whitespace().collect();
    words.len() >= 2
        && words
            .iter()
            .any(|w| w.trim_end_matches('.').chars().count() >= 2)
        && !words[0].starts_with(char::is_lowercase)
}

/// Surname prefixes that start a capital inside one name (`McNamara`, `DeVito`).
const CAPITAL_PREFIXES: &[&str] = &[
    "Mc", "Mac", "De", "Di", "Da", "Du", "Des", "Del", "Della", "La", "Le", "Van", "Vander", "Von",
    "Ten", "Ter", "Al", "El", "Fitz", "St",
];

/// Lower-case particles that can start a surname glued to the previous name (`R. T.de Groot`).
const PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "della", "dos", "das", "van", "von", "der", "den", "le", "la",
    "ten", "ter",
];

/// Splits names a tool wrote with nothing between them. A new name starts after an initial's
/// full stop followed by a capitalised word or a particle (`K.Lewis`, `T.de Groot`), at a
/// capital following a small letter in a name's second or later word (`Pallipuram|Mohammad`,
/// `Bakhtin|V. A.`), or at a capital following a caseless letter (`杨博|Kai Lu`).
fn split_glued(part: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = part.char_indices().collect();
    let mut cuts = Vec::new();
    let mut name_start = 0usize;
    let mut word_start = 0usize;
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        let (_, prev) = chars[i - 1];
        let next = chars.get(i + 1).map(|&(_, n)| n);
        if prev.is_whitespace() {
            word_start = at;
            continue;
        }
        if prev == '.' && c.is_lowercase() {
            let word = part[at..].split(' ').next().unwrap_or("");
            if PARTICLES.contains(&word) && part[at + word.len()..].starts_with(' ') {
                cuts.push(at);
                name_start = at;
                word_start = at;
            }
            continue;
        }
        if !c.is_uppercase() {
            continue;
        }
        let after_initial = prev == '.' && next.is_some_and(char::is_lowercase);
        let after_caseless = prev.is_alphabetic() && !prev.is_lowercase() && !prev.is_uppercase();
        let in_later_word = word_start > name_start
            && prev.is_lowercase()
            && next.is_some_and(|n| n.is_lowercase() || n == '.')
            && !CAPITAL_PREFIXES.contains(&&part[word_start..at]);
        if after_initial || in_later_word || after_caseless {
            cuts.push(at);
            name_start = at;
            word_start = at;
        }
    }
    let mut names = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        names.push(part[start..cut].trim().to_string());
        start = cut;
    }
    names.push(part[start..].trim().to_string());
    names
}

/// Splits a keywords cell: on `;` when it has any, else on `|` (OpenAlex), else on commas
/// outside brackets (`cyst (diagnosis, surgery), colonoscopy` is two keywords).
pub fn split_keywords(cell: &str) -> Vec<String> {
    let parts: Vec<String> = if cell.contains(';') {
        cell.split(';').map(str::to_string).collect()
    } else if cell.contains('|') {
        cell.split('|').map(str::to_string).collect()
    } else {
        split_top_level_commas(cell)
    };
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn split_top_level_commas(cell: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in cell.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            ',' if depth == 0 => {
                parts.push(cell[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(cell[start..].to_string());
    parts
}

static RAYYAN_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(RAYYAN-INCLUSION|RAYYAN-LABELS|RAYYAN-EXCLUSION-REASONS|USER-NOTES):\s*")
        .expect("constant regex")
});

static RAYYAN_VOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"]*)"\s*=>\s*"([^"]*)""#).expect("constant regex"));

/// The screening data Rayyan packs into a notes field
/// (`RAYYAN-INCLUSION: {"Emily"=>"Included"} | RAYYAN-LABELS: a,b | RAYYAN-EXCLUSION-REASONS: c`),
/// as `extra` entries: `rayyan decisions` (`Emily: Included`), `rayyan labels`,
/// `rayyan exclusion reasons`. Empty when the notes hold none.
pub fn rayyan_notes(notes: &str) -> Vec<(String, String)> {
    let keys: Vec<_> = RAYYAN_KEY.captures_iter(notes).collect();
    let mut extra = Vec::new();
    for (i, caps) in keys.iter().enumerate() {
        let (Some(whole), Some(key)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let end = keys
            .get(i + 1)
            .and_then(|next| next.get(0))
            .map_or(notes.len(), |m| m.start());
        let value = notes[whole.end()..end].trim().trim_end_matches('|').trim();
        match key.as_str() {
            "RAYYAN-INCLUSION" => {
                for vote in RAYYAN_VOTE.captures_iter(value) {
                    let who = vote.get(1).map_or("", |m| m.as_str());
                    let what = vote.get(2).map_or("", |m| m.as_str());
                    extra.push(("rayyan decisions".to_string(), format!("{who}: {what}")));
                }
            }
            "RAYYAN-LABELS" | "RAYYAN-EXCLUSION-REASONS" => {
                let name = if key.as_str() == "RAYYAN-LABELS" {
                    "rayyan labels"
                } else {
                    "rayyan exclusion reasons"
                };
                extra.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(|v| (name.to_string(), v.to_string())),
                );
            }
            _ => {}
        }
    }
    extra
}

static EMBASE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<journal>.+?) \((?P<year>\d{4})\)(?: (?P<volume>[^\s:(.]+)(?::(?P<issue>[^(]+?))?)?(?: \((?P<pages>[^)]*)\)| Article Number: (?P<article>[^.\s]+))?\.(?: Date of Publication: (?P<date>.+))?$",
    )
    .expect("constant regex")
});

/// The parts of Embase's citation column (`Source`), for exports that have no separate
/// journal / year / volume columns:
/// `Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct EmbaseSource<'a> {
    pub journal: &'a str,
    pub year: &'a str,
    pub volume: &'a str,
    pub issue: &'a str,
    /// Page range, or the article number.
    pub pages: &'a str,
    /// The full date of publication.
    pub date: &'a str,
}

/// Reads an Embase `Source` citation; `None` when the cell is not one.
pub fn embase_source(cell: &str) -> Option<EmbaseSource<'_>> {
    let caps = EMBASE_SOURCE.captures(cell.trim())?;
    let get = |name: &str| caps.name(name).map_or("", |m| m.as_str().trim());
    Some(EmbaseSource {
        journal: get("journal"),
        year: get("year"),
        volume: get("volume"),
        issue: get("issue"),
        pages: if get("pages").is_empty() {
            get("article")
        } else {
            get("pages")
        },
        date: get("date"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cell: &str) -> Vec<String> {
        split_authors(cell)
    }

    #[test]
    fn author_lists_of_each_tool() {
        // citation-file-formatting/_baseline_covidence.csv
        assert_eq!(names("Yang, Z.; Jiang, B."), ["Yang, Z.", "Jiang, B."]);
        // _baseline_googlescholar.csv: trailing separator
        assert_eq!(
            names("Barrett, Paul M; Willis, Katherine J; "),
            ["Barrett, Paul M", "Willis, Katherine J"]
        );
        // _baseline_rayyan.csv and _baseline_abstrackr.csv (with newlines)
        assert_eq!(
            names("Longrich, N.R.\n and Pereda-Suberbiola, X.\n"),
            ["Longrich, N.R.", "Pereda-Suberbiola, X."]
        );
        // _baseline_embase.csv
        assert_eq!(
            names("Yang Z., Jiang B., Xu J., McNamara M.E."),
            ["Yang Z.", "Jiang B.", "Xu J.", "McNamara M.E."]
        );
        // _baseline_pubmed.csv
        assert_eq!(
            names("Griffin DK, Larkin DM, O'Connor RE."),
            ["Griffin DK", "Larkin DM", "O'Connor RE."]
        );
        // Depression-Dataset-SLIM-DevelopmentTrainingSet.txt
        assert_eq!(
            names("D. Pavlinac, R. Langer and L. Deftos"),
            ["D. Pavlinac", "R. Langer", "L. Deftos"]
        );
        assert_eq!(
            names("G. C. Luketic, R. Santini, Jr."),
            ["G. C. Luketic", "R. Santini, Jr."]
        );
        assert_eq!(
            names("C. W. Purdy, l. H. Nhu, C. W. Livingston, Jr. and J. Slate"),
            [
                "C. W. Purdy",
                "l. H. Nhu",
                "C. W. Livingston, Jr.",
                "J. Slate"
            ]
        );
        // _baseline_openalex.csv
        assert_eq!(
            names("Alba Vicente|Josep Sanjuan"),
            ["Alba Vicente", "Josep Sanjuan"]
        );
        // one name with a comma stays one name
        assert_eq!(names("Smith, J"), ["Smith, J"]);
        assert_eq!(names("Smith, J. K."), ["Smith, J. K."]);
        assert_eq!(names("Curry Rogers, Kristina"), ["Curry Rogers, Kristina"]);
        // surname, initials, surname, initials
        assert_eq!(names("Yang, Z., Jiang, B."), ["Yang, Z.", "Jiang, B."]);
    }

    #[test]
    fn glued_names_are_split_where_a_name_starts() {
        // litstudy/springer.csv
        assert_eq!(
            names("Vivek K. PallipuramMohammad BhuiyanMelissa C. Smith"),
            [
                "Vivek K. Pallipuram",
                "Mohammad Bhuiyan",
                "Melissa C. Smith"
            ]
        );
        assert_eq!(
            names("V. A. BakhtinV. A. KryukovB. N. Chetverushkin"),
            ["V. A. Bakhtin", "V. A. Kryukov", "B. N. Chetverushkin"]
        );
        assert_eq!(
            names("Chun-Tao HongDe-Hao Chen"),
            ["Chun-Tao Hong", "De-Hao Chen"]
        );
        // surname-first names glued after the initials
        assert_eq!(names("Smith J.Jones K. L."), ["Smith J.", "Jones K. L."]);
        assert_eq!(
            names("Smith R. T.de Groot D."),
            ["Smith R. T.", "de Groot D."]
        );
        assert_eq!(
            names("Bo Yang 杨博Kai Lu 卢凯"),
            ["Bo Yang 杨博", "Kai Lu 卢凯"]
        );
        // capitals inside a single name stay
        assert_eq!(names("Maria McNamara"), ["Maria McNamara"]);
        assert_eq!(names("MaryAnn DeVito"), ["MaryAnn DeVito"]);
        assert_eq!(names("McNamara M.E."), ["McNamara M.E."]);
    }

    #[test]
    fn keyword_lists() {
        assert_eq!(split_keywords("a; b c;"), ["a", "b c"]);
        // _baseline_abstrackr.csv
        assert_eq!(
            split_keywords("phosphate,Africa,animal"),
            ["phosphate", "Africa", "animal"]
        );
        // asreview/embase.csv
        assert_eq!(
            split_keywords("article, duplication cyst (diagnosis, surgery), colonoscopy"),
            [
                "article",
                "duplication cyst (diagnosis, surgery)",
                "colonoscopy"
            ]
        );
        assert_eq!(
            split_keywords("Archipelago|Aptian"),
            ["Archipelago", "Aptian"]
        );
    }

    #[test]
    fn rayyan_decisions_labels_and_reasons() {
        // citation-file-formatting/_baseline_rayyan.csv
        assert_eq!(
            rayyan_notes(r#"RAYYAN-INCLUSION: {"Emily"=>"Included"}"#),
            [(
                "rayyan decisions".to_string(),
                "Emily: Included".to_string()
            )]
        );
        let notes = r#"RAYYAN-INCLUSION: {"A"=>"Excluded", "B"=>"Maybe"} | RAYYAN-LABELS: x, y | RAYYAN-EXCLUSION-REASONS: wrong population"#;
        let got = rayyan_notes(notes);
        assert_eq!(
            got,
            [
                ("rayyan decisions".to_string(), "A: Excluded".to_string()),
                ("rayyan decisions".to_string(), "B: Maybe".to_string()),
                ("rayyan labels".to_string(), "x".to_string()),
                ("rayyan labels".to_string(), "y".to_string()),
                (
                    "rayyan exclusion reasons".to_string(),
                    "wrong population".to_string()
                ),
            ]
        );
        assert!(rayyan_notes("ID: 152-434-819-130-920").is_empty());
    }

    #[test]
    fn excel_text_values() {
        assert_eq!(unwrap_excel_text("=\"19326203\""), "19326203");
        assert_eq!(unwrap_excel_text("19326203"), "19326203");
        assert_eq!(unwrap_excel_text("=SUM(A1)"), "=SUM(A1)");
    }

    #[test]
    fn embase_source_citations() {
        // asreview/embase.csv
        let source =
            embase_source("Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004");
        assert_eq!(
            source,
            Some(EmbaseSource {
                journal: "Cancer",
                year: "2004",
                volume: "102",
                issue: "4",
                pages: "253-258",
                date: "25 Aug 2004",
            })
        );
        // citation-file-formatting/_baseline_embase.csv
        let source = embase_source(
            "PLoS ONE (2024) 19:1 January Article Number: e0292318. Date of Publication: 1 Jan 2024",
        )
        .unwrap_or_default();
        assert_eq!((source.issue, source.pages), ("1 January", "e0292318"));
        let source = embase_source("Anatomical Record (2024). Date of Publication: 2024")
            .unwrap_or_default();
        assert_eq!((source.journal, source.volume), ("Anatomical Record", ""));
        assert_eq!(embase_source("Trials"), None);
    }
}
