//! Boilerplate that web pages and exporters wrap around abstracts. Each rule is a pattern a
//! reader would name ("copyright notice", "reader-app prompt"), never one site's sentence.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// Longest line (in characters) a line-level rule may remove: site boilerplate is short,
/// and a long paragraph that merely mentions "copyright" is text, not boilerplate.
const MAX_BOILERPLATE_CHARS: usize = 320;

/// Named line rules, checked in order.
const LINE_RULES: &[(&str, &str)] = &[
    (
        "copyright notice",
        r"(?i)(©|\(c\)\s*(19|20)\d\d|\bcopyright(ed)?\b|\ball rights reserved\b)",
    ),
    (
        "privacy and terms",
        r"(?i)\b(privacy (policy|choices|settings|notice|statement)|terms (of use|and conditions|of service)|cookies?( policy| settings| preferences)?\b.*\b(accept|use|policy|settings))",
    ),
    (
        "reader-app prompt",
        r"(?i)(\b(mobile|our|the|read|reader)\b.{0,20}\bapp\b|\bapp (store|image)\b)",
    ),
    (
        "institutional access prompt",
        r"(?i)(\b(log(ging)? ?in|sign ?in|access)\b.{0,60}\b(institution|institutional|university|subscription)|\b\d-tap access\b|\bone-click\b.{0,40}\baccess\b)",
    ),
    (
        "full-text access prompt",
        r"(?i)(\bfull[- ]text (links?|access|options)\b|\bcan'?t access\b|\b(get|purchase|buy|request) (access|this article|full text|pdf)\b|\bfree (full text|pdf)\b)",
    ),
    (
        "cited-by counter",
        r"(?i)^(cited by|citations?|times cited|citing articles)\b[\s:]*\d*(\s*(articles?|times|records|documents))?\.?$",
    ),
    (
        "count line",
        r"(?i)^\d[\d,]*\s+(articles?|citations?|times|records|documents|views|downloads|readers|accesses|altmetric|mentions|shares)\.?$",
    ),
    (
        "continuing-education promotion",
        r"(?i)(\b(cme|cpd|ce) credits?\b|\bclaim (now|free|your)\b)",
    ),
    (
        // At most `MAX_CAPTION_PREFIX_CHARS` before the word, checked in `line_rule`: written
        // here as `{0,40}`, the bound compiled to 40 copies of `\p{L}`, 8 ms.
        CAPTION_RULE,
        r"(?i)^[\p{L}\d\s-]*\b(image|icon|logo|thumbnail|avatar)$",
    ),
    (
        "page action link",
        r"(?i)^(add (like|dislike|to (saved papers|library|favou?rites|collections?|reading list))|save( to .{0,20})?|saved|share( (this )?(document|article|page|via .{0,20}))?|export( citation( format)?| citations?)?|cite( this( article)?)?|download( (pdf|citation|article|full text|references?))?|print|e-?mail( this)?|sign (in|up)( / sign (in|up))?|log ?in|register|related (resources|articles|content)|similar articles|recommended articles|view (full text|pdf|article|metrics)|metrics|altmetric|google scholar|crossref|pubmed|back to top|show more|show less|open in (new tab|viewer)|previous article|next article|table of contents|article information|permissions|reprints|request permissions|follow|track citations|tweet)\s*[.:!]?$",
    ),
    (
        "page section heading",
        r"(?i)^(skip to (main )?content|advertisement|search|menu|affiliations (expand|collapse)|pubmed disclaimer|figures?( and tables)?|tables?|similar articles|cited by|related information|linkout - more resources|grant support|supplementary (information|material)|peer review reports?|metrics details|about this article|rights and permissions|additional information|author information|ethics declarations|availability of data and materials|acknowledgements?|abbreviations|comments?|full text sources|other literature sources|medical|miscellaneous|open access|free( pmc)? article|this article is open access)\s*[.:]?$",
    ),
];

/// The rule for a short caption ending in `image`, `icon`, `logo`, `thumbnail` or `avatar`.
const CAPTION_RULE: &str = "image or icon caption";

/// Longest text before the word of a caption, in characters.
const MAX_CAPTION_PREFIX_CHARS: usize = 40;

static LINE_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(LINE_RULES.iter().map(|(_, re)| *re)).expect("constant regexes")
});

/// The word that ends a caption. No word ends another and their last letters differ (in any
/// case), so a line ends with at most one of them: what is before it is the caption's text.
static CAPTION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:image|icon|logo|thumbnail|avatar)$").expect("constant regex")
});

/// The rule that makes `line` site boilerplate, if any.
pub fn line_rule(line: &str) -> Option<&'static str> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > MAX_BOILERPLATE_CHARS {
        return None;
    }
    LINE_SET
        .matches(line)
        .iter()
        .map(|i| LINE_RULES[i].0)
        .find(|&rule| rule != CAPTION_RULE || caption_prefix_fits(line))
}

/// Whether the text before a caption's word is short enough (the line matched the rule).
fn caption_prefix_fits(line: &str) -> bool {
    CAPTION_WORD
        .find(line)
        .is_some_and(|word| line[..word.start()].chars().count() <= MAX_CAPTION_PREFIX_CHARS)
}

static COPYRIGHT_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    // A copyright statement starts a sentence: `© 2019 Elsevier`, `(C) 2015 ...`,
    // `Copyright © ...`, `Copyright 2020 ...`, `All rights reserved`, `Published by Elsevier`.
    Regex::new(
        r"(?i)(?:^|[.!?]\s*)(?:©|\(c\)\s*(?:19|20)\d\d|copyright\s*(?:©|\(c\)|(?:19|20)\d\d|by\b)|all rights reserved\b|published by (?:elsevier|wiley|springer|john wiley|oxford|the american|bmj|taylor)|this is an open access article\b)",
    )
    .expect("constant regex")
});

/// Removes a copyright statement appended to an abstract (`... © 2019 Elsevier B.V. All
/// rights reserved.`): from the first copyright marker in the last 300 characters to the end.
pub fn strip_copyright_tail(text: &str) -> &str {
    let window_start = floor_char_boundary(text, text.len().saturating_sub(300));
    match COPYRIGHT_TAIL.find_at(text, window_start) {
        Some(m) => {
            // Keep the full stop that ended the sentence before the statement.
            let cut = text[m.start()..]
                .find(|c: char| c != '.' && c != '!' && c != '?')
                .map_or(m.start(), |i| m.start() + i);
            text[..cut].trim_end()
        }
        None => text,
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

static WORD_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\[\s*\d+\s*\]|\(?\s*\d+\s+words\s*\)?|word count:?\s*\d+)$")
        .expect("constant regex")
});

/// `[227]`, `(250 words)`, `Word count: 250`: a word count some sites print after abstracts.
pub fn is_word_count(line: &str) -> bool {
    WORD_COUNT.is_match(line.trim())
}

/// Whether most letters of `line` are in a script other than Latin (CJK, Hangul, ...), while
/// `context` is mostly Latin: a notice in another language (`订阅此论文施引文献`) beside
/// an English record.
pub fn is_foreign_script_notice(line: &str, context_is_latin: bool) -> bool {
    if !context_is_latin {
        return false;
    }
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return false;
    }
    let foreign = letters.iter().filter(|c| is_east_asian(**c)).count();
    foreign * 3 > letters.len()
}

fn is_east_asian(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
    )
}

/// Whether most letters of `text` are Latin script.
pub fn is_mostly_latin(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (mut latin, mut all) = (0usize, 0usize);
    for c in letters.take(2000) {
        all += 1;
        if c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) {
            latin += 1;
        }
    }
    all == 0 || latin * 2 > all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_furniture_is_recognised_by_kind() {
        for (line, rule) in [
            (
                "All material on this website is protected by copyright, Copyright © 1994-2024 by WebMD LLC.",
                "copyright notice",
            ),
            (
                "By using this service, you agree to our terms of use and privacy policy.",
                "privacy and terms",
            ),
            (
                "For the best experience, use the Read mobile app",
                "reader-app prompt",
            ),
            (
                "Try logging in through your university/institutional subscription.",
                "institutional access prompt",
            ),
            ("Full text links", "full-text access prompt"),
            ("Cited by", "cited-by counter"),
            ("7 articles.", "count line"),
            ("Export Citation Format", "page action link"),
            ("Sign in / Sign up", "page action link"),
            ("Mobile app image", "reader-app prompt"),
            ("Download PDF", "page action link"),
            ("Affiliations expand", "page section heading"),
            ("2145 Accesses", "count line"),
            ("Free PMC article", "page section heading"),
        ] {
            assert_eq!(line_rule(line), Some(rule), "{line}");
        }
    }

    #[test]
    fn study_text_is_not_boilerplate() {
        for line in [
            "Influences of peer facilitation in general practice - a qualitative study.",
            "Background: Formation of GP clusters began in Scotland in April 2016.",
            "Delivering a primary care-based social prescribing initiative",
            "Share of patients who saved money rose.",
        ] {
            assert_eq!(line_rule(line), None, "{line}");
        }
        let long = format!(
            "This study of copyright law {}",
            "and more words ".repeat(30)
        );
        assert_eq!(line_rule(&long), None);
    }

    #[test]
    fn copyright_tail_is_cut_from_abstracts() {
        assert_eq!(
            strip_copyright_tail("Results were good. © 2019 Elsevier B.V. All rights reserved."),
            "Results were good."
        );
        assert_eq!(
            strip_copyright_tail("Results. Copyright (C) 2020 Wiley."),
            "Results."
        );
        assert_eq!(
            strip_copyright_tail("No statement here."),
            "No statement here."
        );
        let about = "We studied copyright law. The copyright holders agreed.";
        assert_eq!(strip_copyright_tail(about), about);
    }

    /// The rules as they were, with the caption's bound written in its pattern.
    static BOUNDED_SET: LazyLock<RegexSet> = LazyLock::new(|| {
        RegexSet::new(LINE_RULES.iter().map(|&(rule, re)| {
            if rule == CAPTION_RULE {
                r"(?i)^[\p{L}\d\s-]{0,40}\b(image|icon|logo|thumbnail|avatar)$"
            } else {
                re
            }
        }))
        .expect("constant regexes")
    });

    fn bounded_line_rule(line: &str) -> Option<&'static str> {
        let line = line.trim();
        if line.is_empty() || line.chars().count() > MAX_BOILERPLATE_CHARS {
            return None;
        }
        BOUNDED_SET
            .matches(line)
            .iter()
            .next()
            .map(|i| LINE_RULES[i].0)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Captions with 0 to about 60 characters before the word: letters in any script
        /// and case, digits of other scripts, Unicode spaces, characters outside the class
        /// (a combining accent, `_`, `.`), and other rules' words around them.
        #[test]
        fn caption_bound_is_the_patterns(
            prefix in proptest::collection::vec(proptest::sample::select(vec![
                "a", "É", "ß", "中", "Ω", "\u{345}", "٣", "7", " ", "\u{a0}", "\u{3000}", "-",
                "Mobile ", "app ", "our ",
            ]), 0..45),
            outside in proptest::option::weighted(0.2, (
                0..45usize,
                proptest::sample::select(vec!["\u{301}", "_", ".", "©", "\n"]),
            )),
            word in proptest::sample::select(vec![
                "image", "IMAGE", "Icon", "logo", "thumbnail", "Avatar", "images", "imagé", "",
                " icon", "-logo", "_logo", "\u{212a}", "image.",
            ]),
        ) {
            let mut line = prefix.concat();
            if let Some((at, c)) = outside {
                let at = line.char_indices().nth(at).map_or(line.len(), |(i, _)| i);
                line.insert_str(at, c);
            }
            line.push_str(word);
            proptest::prop_assert_eq!(line_rule(&line), bounded_line_rule(&line), "{:?}", line);
        }

        /// Any text at all (mostly not boilerplate).
        #[test]
        fn line_rules_match_the_bounded_ones_on_any_text(line in "\\PC{0,80}") {
            proptest::prop_assert_eq!(line_rule(&line), bounded_line_rule(&line));
        }
    }

    #[test]
    fn captions_have_at_most_40_characters_before_their_word() {
        let forty = "a".repeat(39) + " ";
        assert_eq!(line_rule(&format!("{forty}logo")), Some(CAPTION_RULE));
        assert_eq!(line_rule(&format!("é{forty}logo")), None);
        assert_eq!(line_rule("Zoë's thumbnail"), None);
        assert_eq!(line_rule("Ünïcödé Avatar"), Some(CAPTION_RULE));
        // A longer line that another rule matches is still that rule's.
        assert_eq!(
            line_rule(&format!("{forty}read the app image")),
            Some("reader-app prompt")
        );
    }

    #[test]
    fn word_counts_and_foreign_notices() {
        assert!(is_word_count("[227]"));
        assert!(is_word_count("(250 words)"));
        assert!(!is_word_count("[1] Smith J."));
        assert!(is_foreign_script_notice(
            "订阅此论文施引文献,注册后可以免费订阅5篇论文",
            true
        ));
        assert!(!is_foreign_script_notice("订阅此论文施引文献", false));
        assert!(!is_foreign_script_notice(
            "Zoë and 東京 in an English sentence about places",
            true
        ));
    }
}
