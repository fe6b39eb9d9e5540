//! Structured-abstract labels ("Background", "Design and setting", ...): finding them where
//! sources put them — after a colon, alone on a line, separated by one space
//! (`Results Interviews were ...`), or glued to the next word (`AimTo investigate`) — and
//! splitting the abstract into labelled sections.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::Section;

/// Headings of structured abstracts (ICMJE/NLM, BJGP, BMC, Emerald, Cochrane, JAMA styles).
/// Matching is case-insensitive; longer phrases win over their prefixes.
const LABELS: &[&str] = &[
    "background and aims",
    "background and aim",
    "background and objectives",
    "background and objective",
    "background and purpose",
    "background",
    "backgrounds",
    "introduction",
    "context",
    "rationale",
    "purpose",
    "purposes",
    "aims and objectives",
    "aims",
    "aim",
    "objectives",
    "objective",
    "goals",
    "goal",
    "hypothesis",
    "importance",
    "design and setting",
    "design & setting",
    "design, setting and participants",
    "design, setting, and participants",
    "design/methodology/approach",
    "study design",
    "research design and methods",
    "design and methods",
    "design",
    "setting and participants",
    "settings",
    "setting",
    "participants",
    "subjects",
    "patients",
    "population",
    "sample",
    "interventions",
    "intervention",
    "exposures",
    "exposure",
    "methods and materials",
    "materials and methods",
    "methods and analysis",
    "methods",
    "method",
    "methodology",
    "approach",
    "data sources",
    "data source",
    "study selection",
    "data extraction",
    "data synthesis",
    "data collection and analysis",
    "search methods",
    "search strategy",
    "selection criteria",
    "eligibility criteria",
    "evidence acquisition",
    "evidence synthesis",
    "analysis",
    "measurements",
    "main outcome measures",
    "main outcomes and measures",
    "outcome measures",
    "outcomes",
    "main results",
    "results and discussion",
    "results",
    "findings",
    "key findings",
    "discussion and conclusions",
    "discussion and conclusion",
    "discussion",
    "conclusions and relevance",
    "conclusions and implications",
    "conclusions",
    "conclusion",
    "authors' conclusions",
    "interpretation",
    "implications for practice",
    "practical implications",
    "systematic review registration",
    "prospero registration number",
    "prospero registration",
    "research limitations/implications",
    "social implications",
    "implications",
    "limitations",
    "originality/value",
    "significance",
    "relevance",
    "trial registration",
    "registration",
    "funding",
    "case presentation",
    "case description",
    "case report",
    "summary",
];

static LABEL_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    let alternation = LABELS_LONGEST_FIRST
        .iter()
        .map(|l| regex::escape(l).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(r"(?i)\A(?:{alternation})")).expect("constant regex")
});

/// A label found in text: its byte range (label only) and where the section text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatch {
    /// Byte offset where the label starts.
    pub start: usize,
    /// Byte offset just past the label.
    pub end: usize,
    /// Byte offset where the section's text starts (after any `:`, `.` or `-` and spaces).
    pub text_start: usize,
}

static LABELS_LONGEST_FIRST: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut labels = LABELS.to_vec();
    labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
    labels
});

/// The label at the very start of `text`, if the way it is written makes it a label.
///
/// The longest label that fits is tried first; when what follows it rules it out
/// (`BackgroundSocial` read as `Backgrounds` + `ocial`), shorter labels it starts with are tried.
pub fn label_at_start(text: &str) -> Option<LabelMatch> {
    let m = LABEL_AT_START.find(text)?;
    if let Some(found) = label_of_length(text, m.end()) {
        return Some(found);
    }
    let matched = m.as_str().to_lowercase();
    LABELS_LONGEST_FIRST
        .iter()
        .filter(|l| l.len() < m.end() && matched.starts_with(**l) && text.is_char_boundary(l.len()))
        .find_map(|l| label_of_length(text, l.len()))
}

/// Whether the first `len` bytes of `text`, a label, are written as a label.
fn label_of_length(text: &str, len: usize) -> Option<LabelMatch> {
    let label = &text[..len];
    let rest = &text[len..];
    let after_spaces = rest.trim_start_matches([' ', '\t']);
    let spaces = rest.len() - after_spaces.len();
    let starts_upper = label.chars().next().is_some_and(char::is_uppercase);
    let next = after_spaces.chars().next();
    let text_start = match next {
        // `Background: text`, `BACKGROUND:`, `Background :` — any case.
        Some(':' | '：') => len + spaces + next.map_or(1, char::len_utf8),
        // `Purpose; This review ...`: exports that turned line breaks into `;`.
        Some(';')
            if starts_upper
                && after_spaces[1..]
                    .trim_start()
                    .starts_with(char::is_uppercase) =>
        {
            len + spaces + 1
        }
        // `Background - text` / `Background. Text` — a heading style, so only when capitalised.
        Some(c @ ('-' | '–' | '—' | '.'))
            if starts_upper && after_spaces[c.len_utf8()..].starts_with(' ') =>
        {
            len + spaces + c.len_utf8()
        }
        // Nothing after it: a label alone on its line.
        None if starts_upper => len + spaces,
        // `AimTo investigate`, `Method4 GPs`: glued to the next word.
        Some(c) if spaces == 0 && starts_upper && (c.is_uppercase() || c.is_ascii_digit()) => len,
        // `Results Interviews were`: one space, then a capitalised word or a number.
        Some(c) if spaces > 0 && starts_upper && (c.is_uppercase() || c.is_ascii_digit()) => {
            len + spaces
        }
        _ => return None,
    };
    let text_start = text_start + (text.len() - text_start - text[text_start..].trim_start().len());
    Some(LabelMatch {
        start: 0,
        end: len,
        text_start,
    })
}

/// Every label in `paragraph`: at its start and at the start of any sentence.
pub fn find_labels(paragraph: &str) -> Vec<LabelMatch> {
    let mut found = Vec::new();
    let bytes = paragraph.as_bytes();
    let mut candidates = vec![0usize];
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            // Closing quotes or brackets that end the sentence with it.
            while j < bytes.len() && matches!(bytes[j], b')' | b'"' | b'\'') {
                j += 1;
            }
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            if j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                candidates.push(j);
            }
        }
    }
    for start in candidates {
        if found
            .last()
            .is_some_and(|m: &LabelMatch| start < m.text_start)
        {
            continue;
        }
        if let Some(m) = label_at_start(&paragraph[start..]) {
            found.push(LabelMatch {
                start,
                end: start + m.end,
                text_start: start + m.text_start,
            });
        }
    }
    found
}

/// Splits paragraphs of abstract text into sections at every label.
pub fn split_sections(paragraphs: &[String]) -> Vec<Section> {
    let mut sections = Vec::new();
    for paragraph in paragraphs {
        let labels = find_labels(paragraph);
        let first = labels.first().map_or(paragraph.len(), |m| m.start);
        push_section(&mut sections, None, &paragraph[..first]);
        for (i, m) in labels.iter().enumerate() {
            let end = labels.get(i + 1).map_or(paragraph.len(), |next| next.start);
            let label = display_label(&paragraph[m.start..m.end]);
            push_section(
                &mut sections,
                Some(label),
                &paragraph[m.text_start.min(end)..end],
            );
        }
    }
    sections
}

fn push_section(sections: &mut Vec<Section>, label: Option<String>, text: &str) {
    let text = text.trim();
    if text.is_empty() && label.is_none() {
        return;
    }
    sections.push(Section {
        label,
        text: text.to_string(),
    });
}

/// A label as a reader writes it: single spaces, and sentence case when the source shouted it
/// (`DESIGN AND SETTING` → `Design and setting`).
pub fn display_label(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let joined = words.join(" ");
    let letters: Vec<char> = joined.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        let lower = joined.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_and_texts(text: &str) -> Vec<(Option<String>, String)> {
        split_sections(&[text.to_string()])
            .into_iter()
            .map(|s| (s.label, s.text))
            .collect()
    }

    fn pair(label: &str, text: &str) -> (Option<String>, String) {
        (Some(label.to_string()), text.to_string())
    }

    #[test]
    fn colon_labels_in_any_case() {
        assert_eq!(
            labels_and_texts("BACKGROUND: Why. METHODS: How. results: What."),
            [
                pair("Background", "Why."),
                pair("Methods", "How."),
                pair("results", "What.")
            ]
        );
    }

    #[test]
    fn glued_labels_after_a_sentence_end() {
        assert_eq!(
            labels_and_texts(
                "BackgroundSocial prescribing works.AimTo investigate it.Design and settingQualitative study.MethodSemi-structured talks.Method4 GPs took part."
            ),
            [
                pair("Background", "Social prescribing works."),
                pair("Aim", "To investigate it."),
                pair("Design and setting", "Qualitative study."),
                pair("Method", "Semi-structured talks."),
                pair("Method", "4 GPs took part."),
            ]
        );
    }

    #[test]
    fn space_separated_labels_need_a_capital_after_them() {
        assert_eq!(
            labels_and_texts(
                "Results Interviews were held. Results were mixed. Methods and Materials Semi-structured interviews."
            ),
            [
                pair("Results", "Interviews were held. Results were mixed."),
                pair("Methods and Materials", "Semi-structured interviews.")
            ]
        );
    }

    #[test]
    fn semicolon_after_a_label_from_exports_that_joined_lines() {
        // Lens CSV (citation-file-formatting/_baseline.csv, CC0) writes `Purpose; This ...`.
        assert_eq!(
            labels_and_texts("Purpose; This review. Background ; Myocardial infarction."),
            [
                pair("Purpose", "This review."),
                pair("Background", "Myocardial infarction.")
            ]
        );
        let text = "Results; however, not all.";
        assert_eq!(labels_and_texts(text), [(None, text.to_string())]);
    }

    #[test]
    fn ordinary_sentences_starting_with_label_words_are_not_split() {
        let text =
            "Background noise was low. Design of the study was simple. Setting up took time.";
        assert_eq!(labels_and_texts(text), [(None, text.to_string())]);
    }

    #[test]
    fn label_alone_on_a_line_is_a_label() {
        assert_eq!(label_at_start("Background:").map(|m| m.end), Some(10));
        assert_eq!(label_at_start("Conclusion").map(|m| m.end), Some(10));
        assert_eq!(label_at_start("conclusion"), None);
    }

    #[test]
    fn display_label_fixes_shouting_and_spacing() {
        assert_eq!(display_label("DESIGN  AND SETTING"), "Design and setting");
        assert_eq!(display_label("Design & setting"), "Design & setting");
    }
}
