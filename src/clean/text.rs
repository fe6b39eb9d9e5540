//! Text-level cleaning shared by every field: markup, whitespace, stray prefixes.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    // HTML/JATS/MathML-ish tags: `<i>`, `</sup>`, `<br/>`, `<jats:p xml:lang="en">`.
    Regex::new(r"</?[A-Za-z][A-Za-z0-9:_-]{0,30}(?:\s[^<>]{0,200})?/?>").expect("constant regex")
});

static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:br|/p|p|/div|div|/li|jats:p|/jats:p|/sec|sec)\b[^<>]{0,200}/?>")
        .expect("constant regex")
});

/// Removes markup tags and decodes character entities (`&amp;`, `&#x2019;`), keeping the text
/// between them; block tags (`<p>`, `<br>`) become line breaks.
pub fn strip_markup(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '&']) {
        return Cow::Borrowed(text);
    }
    let with_breaks = BLOCK_TAG.replace_all(text, "\n");
    let without_tags = TAG.replace_all(&with_breaks, "");
    Cow::Owned(html_escape::decode_html_entities(&without_tags).into_owned())
}

/// Collapses runs of whitespace (including no-break and zero-width spaces) to one space and
/// trims the ends.
pub fn squash_whitespace(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

static ABSTRACT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    // `Abstract`, `ABSTRACT:`, `Abstract Abstract` before the text itself.
    Regex::new(r"\A(?:(?i:abstract)(?:\s*[:.\-–]\s*|\s+|\z))+").expect("constant regex")
});

/// Drops the word `Abstract` (once or repeated) that some sources put before the text, when
/// what follows starts a sentence (`Abstract Background There is ...`).
pub fn strip_abstract_prefix(text: &str) -> &str {
    match ABSTRACT_PREFIX.find(text) {
        Some(m) => {
            let rest = &text[m.end()..];
            let starts_sentence = rest
                .chars()
                .next()
                .is_none_or(|c| c.is_uppercase() || !c.is_alphabetic());
            if starts_sentence { rest } else { text }
        }
        None => text,
    }
}

static CONTENT_TYPE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    // Catalogue pages print the item type in lower case before the title.
    Regex::new(
        r"\A(?:scholarly journals?|journal articles?|academic journals?|book chapters?|books?|conference (?:papers?|proceedings)|proceedings papers?|preprints?|dissertations?(?: (?:&|and) theses)?|theses|reports?|reviews?|datasets?|magazines?|trade journals?|newspapers?)\s+(\p{Lu}|\d)",
    )
    .expect("constant regex")
});

/// Drops a lower-case catalogue item type before a title (`scholarly journals Delivering ...`).
pub fn strip_content_type_prefix(title: &str) -> &str {
    match CONTENT_TYPE_PREFIX.captures(title) {
        Some(caps) => caps.get(1).map_or(title, |first| &title[first.start()..]),
        None => title,
    }
}

/// Whether `line` starts with a catalogue item-type prefix and so is a title line.
pub fn has_content_type_prefix(line: &str) -> bool {
    CONTENT_TYPE_PREFIX.is_match(line)
}

/// Separator glyphs sites put between metadata items (`2018 ◽`, `Vol 68 ◽`).
pub const METADATA_SEPARATORS: &[char] = &['◽', '◾', '▪', '•', '·', '|', '◆', '■'];

/// Trims separator glyphs and surrounding space from both ends of a metadata value.
pub fn trim_separators(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || METADATA_SEPARATORS.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_removed_and_entities_decoded() {
        assert_eq!(
            strip_markup("H<sub>2</sub>O &amp; <i>E. coli</i> &#x2019;s"),
            "H2O & E. coli ’s"
        );
        assert_eq!(strip_markup("a<br/>b<p>c</p>"), "a\nb\nc\n");
        assert_eq!(strip_markup("x < y and y > z"), "x < y and y > z");
    }

    #[test]
    fn whitespace_is_squashed() {
        assert_eq!(squash_whitespace("  a\u{a0}\u{a0}b \n\t c  "), "a b c");
    }

    #[test]
    fn abstract_prefix_only_before_a_sentence() {
        assert_eq!(
            strip_abstract_prefix("Abstract Background There"),
            "Background There"
        );
        assert_eq!(strip_abstract_prefix("ABSTRACT: Text"), "Text");
        assert_eq!(strip_abstract_prefix("Abstract Abstract Text"), "Text");
        assert_eq!(
            strip_abstract_prefix("Abstract reasoning is hard"),
            "Abstract reasoning is hard"
        );
    }

    #[test]
    fn content_type_prefix_only_in_lower_case_before_a_capital() {
        assert_eq!(
            strip_content_type_prefix("scholarly journals Delivering care"),
            "Delivering care"
        );
        assert_eq!(
            strip_content_type_prefix("Books and reading in care"),
            "Books and reading in care"
        );
        assert_eq!(
            strip_content_type_prefix("reports of care"),
            "reports of care"
        );
    }
}
