//! Text-level cleaning shared by every field: markup, whitespace, stray prefixes.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    // HTML/JATS/MathML-ish tags: `<i>`, `</sup>`, `<br/>`, `<jats:p xml:lang="en">`.
    Regex::new(r"</?[A-Za-z][A-Za-z0-9:_-]{0,30}(?:\s[^<>]{0,200})?/?>").expect("constant regex")
});

static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // Tags that end a block of text (paragraphs, headings, sections, list items), in HTML and
    // JATS (`jats:` prefix, as in Crossref abstracts).
    Regex::new(r"(?i)</?(?:jats:)?(?:br|p|div|li|ul|ol|sec|section|title|h[1-6]|abstract|tr|table|list-item)\b[^<>]{0,200}/?>")
        .expect("constant regex")
});

/// Whether `text` holds a `<` or an `&`, the characters markup and entities start with. A
/// byte search (both are ASCII, and an ASCII byte in UTF-8 is always that character): this
/// is asked of every field of every record.
pub fn has_markup_char(text: &str) -> bool {
    memchr::memchr2(b'<', b'&', text.as_bytes()).is_some()
}

/// Removes markup tags and decodes character entities (`&amp;`, `&#x2019;`), keeping the text
/// between them; block tags (`<p>`, `<br>`) become line breaks. Markup escaped twice by the
/// source (`&lt;i&gt;`, `&amp;amp;`) is undone too.
pub fn strip_markup(text: &str) -> Cow<'_, str> {
    if !has_markup_char(text) {
        return Cow::Borrowed(text);
    }
    let mut current = text.to_string();
    // Each round undoes one level of escaping; sources escape at most twice.
    for _ in 0..3 {
        // Both tag patterns start with `<`: text with entities only (`&amp;`) is neither
        // searched for tags nor makes them be built (1.5 ms, for one `&` in the seeds).
        let decoded = if memchr::memchr(b'<', current.as_bytes()).is_some() {
            let with_breaks = BLOCK_TAG.replace_all(&current, "\n");
            let without_tags = TAG.replace_all(&with_breaks, "");
            html_escape::decode_html_entities(&without_tags).into_owned()
        } else {
            html_escape::decode_html_entities(&current).into_owned()
        };
        let done = decoded == current || !has_markup_char(&decoded);
        current = decoded;
        if done {
            break;
        }
    }
    Cow::Owned(current)
}

/// Collapses runs of whitespace (including no-break and zero-width spaces) to one space and
/// trims the ends.
pub fn squash_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    // Words already separated by single spaces are copied as one run, `run_start..run_end`.
    let mut run: Option<(usize, usize)> = None;
    let mut word_start = None;
    let mut i = 0;
    while i <= bytes.len() {
        // ASCII bytes are judged alone; other characters are decoded (their bytes are never
        // ASCII, so a word never ends inside one). The end of the text ends the last word.
        let (is_space, width) = match bytes.get(i) {
            None => (true, 1),
            Some(&b) if b.is_ascii() => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
            Some(_) => {
                let c = text[i..].chars().next().unwrap_or_default();
                (
                    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}',
                    c.len_utf8(),
                )
            }
        };
        match (is_space, word_start) {
            (true, Some(start)) => {
                run = match run {
                    Some((run_start, run_end))
                        if start == run_end + 1 && bytes[run_end] == b' ' =>
                    {
                        Some((run_start, i))
                    }
                    Some((run_start, run_end)) => {
                        push_word(&mut out, &text[run_start..run_end]);
                        Some((start, i))
                    }
                    None => Some((start, i)),
                };
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
        i += width;
    }
    if let Some((run_start, run_end)) = run {
        push_word(&mut out, &text[run_start..run_end]);
    }
    out
}

/// Appends words to squashed text, after a space unless they are the first.
fn push_word(out: &mut String, words: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(words);
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

/// Text with markup removed, entities decoded, mojibake repaired and inline TeX math made
/// readable, line breaks kept.
pub fn decoded(raw: &str) -> String {
    decoded_cow(raw).into_owned()
}

/// [`decoded`], borrowing `raw` when there is nothing to decode (the common case).
fn decoded_cow(raw: &str) -> Cow<'_, str> {
    let markup = strip_markup(raw);
    let repaired = match repair_mojibake(&markup) {
        Cow::Borrowed(_) => markup,
        Cow::Owned(repaired) => Cow::Owned(repaired),
    };
    match render_tex_math(&repaired) {
        Cow::Borrowed(_) => repaired,
        Cow::Owned(rendered) => Cow::Owned(rendered),
    }
}

static TEX_MATH: LazyLock<Regex> = LazyLock::new(|| {
    // `$...$` holding TeX commands or grouping: `${\mathcal{O}}(\sqrt{k}\log m)$`.
    Regex::new(r"\$([^$\n]{1,300}?)\$").expect("constant regex")
});

/// Renders inline TeX math that sources copy from LaTeX (`$O(\sqrt{k}\log m)$` → `O(√k log
/// m)`); dollar amounts and other text with `$` are left alone.
pub fn render_tex_math(text: &str) -> Cow<'_, str> {
    if !text.contains('$') {
        return Cow::Borrowed(text);
    }
    TEX_MATH.replace_all(text, |caps: &regex::Captures<'_>| {
        let inner = &caps[1];
        let tex = inner.contains('\\') || inner.contains(['{', '^', '_']);
        if tex {
            super::latex::decode(&caps[0])
        } else {
            caps[0].to_string()
        }
    })
}

/// [`decoded`] text on one line with single spaces: the form of every short field.
pub fn plain(raw: &str) -> String {
    squash_whitespace(&decoded_cow(raw))
}

/// Characters that stand for the bytes 0x80–0xBF when UTF-8 was misread as Windows-1252
/// (`€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ`) or as Latin-1 (the C1 controls U+0080–U+009F), plus
/// U+00A0–U+00BF, which both readings share.
const CONTINUATION: &str = "[\u{80}-\u{BF}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]";

static MOJIBAKE: LazyLock<Regex> = LazyLock::new(|| {
    let c = CONTINUATION;
    Regex::new(&format!(
        "[\u{C2}-\u{DF}]{c}|[\u{E0}-\u{EF}]{c}{{2}}|[\u{F0}-\u{F4}]{c}{{3}}"
    ))
    .expect("constant regex")
});

static LOST_CHARACTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("[\u{C2}-\u{F4}]\u{FFFD}+").expect("constant regex"));

/// The byte a character stands for when UTF-8 was misread as Windows-1252 or Latin-1.
fn misread_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x80..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    let mut buffer = [0; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
    match (unmappable, bytes.as_ref()) {
        (false, [byte]) => Some(*byte),
        _ => None,
    }
}

/// Repairs text that was UTF-8, misread as Windows-1252 or Latin-1 and saved again as UTF-8
/// (`SÃ£o Paulo` → `São Paulo`, `Â©` → `©`, `Ã\u{97}` → `×`). Only sequences that form valid
/// UTF-8 once turned back into bytes are changed, so correct text is never touched; a
/// character lost for good (a lead byte followed by U+FFFD) becomes one U+FFFD.
pub fn repair_mojibake(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut current = Cow::Borrowed(text);
    // Text misread twice needs two passes; a third would find nothing more in real data.
    for _ in 0..3 {
        let repaired = MOJIBAKE.replace_all(&current, |caps: &regex::Captures<'_>| {
            let found = &caps[0];
            let bytes: Option<Vec<u8>> = found.chars().map(misread_byte).collect();
            bytes
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_else(|| found.to_string())
        });
        if repaired == current {
            break;
        }
        current = Cow::Owned(repaired.into_owned());
    }
    match LOST_CHARACTER.replace_all(&current, "\u{FFFD}") {
        Cow::Borrowed(_) => current,
        Cow::Owned(fixed) => Cow::Owned(fixed),
    }
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
        // Escaped twice, as in some Kitchenham_2010.csv abstracts.
        assert_eq!(
            strip_markup("&lt;u&gt;Aim&lt;/u&gt; &amp;amp; &#60;i>x</i> &amp;lt; 5"),
            "Aim & x < 5"
        );
        // Entities alone (no `<` to start a tag), and a `<` that only decoding makes.
        assert_eq!(strip_markup("Smith &amp; Jones"), "Smith & Jones");
        assert_eq!(strip_markup("&lt;b&gt;Bold&lt;/b&gt; &lt;3"), "Bold <3");
    }

    #[test]
    fn mojibake_is_repaired_in_both_misreadings_and_correct_text_is_kept() {
        // Forms found in synergy-dataset/Hamilton_2022.csv and asreview-thesis-Ferdinands/virus.csv.
        assert_eq!(
            repair_mojibake("SÃ£o Paulo, Jean-FranÃ§ois, mÃ©lodie"),
            "São Paulo, Jean-François, mélodie"
        );
        assert_eq!(repair_mojibake("Â© 2012 BlomstrÃ¶m"), "© 2012 Blomström");
        assert_eq!(
            repair_mojibake("11 \u{c3}\u{97} 14 km, 10\u{e2}\u{88}\u{92}6"),
            "11 × 14 km, 10−6"
        );
        assert_eq!(repair_mojibake("Coherâ\u{fffd}\u{fffd}s"), "Coher\u{fffd}s");
        assert_eq!(repair_mojibake("Ã©Ã©"), "éé");
        for fine in [
            "São Paulo",
            "Ångström Ã O",
            "façade — “quoted” 5 µg",
            "SÃO PAULO",
        ] {
            assert_eq!(repair_mojibake(fine), fine);
        }
    }

    #[test]
    fn inline_tex_math_is_rendered_and_prices_are_not() {
        // From asreview-systematic-review-datasets/Kitchenham_2010.csv (CC-BY 4.0).
        let rendered = render_tex_math("is ${\\mathcal{O}}(\\sqrt{k}\\log m)$, where k");
        assert!(!rendered.contains(['$', '\\', '{']), "{rendered}");
        assert!(rendered.starts_with("is O(√k"), "{rendered}");
        assert_eq!(
            render_tex_math("costs $5 and $10 a day"),
            "costs $5 and $10 a day"
        );
    }

    proptest::proptest! {
        /// The definition: the words between white space (with zero-width space and BOM)
        /// joined by single spaces.
        #[test]
        fn squashing_joins_the_words_with_single_spaces(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "bc", "é", "中", " ", "  ", "\t", "\n", "\r", "\u{a0}", "\u{3000}",
                "\u{200b}", "\u{feff}", "\u{85}", "\u{1c}", "\u{2009}", "-",
            ]),
            0..30,
        )) {
            let text = pieces.concat();
            let expected = text
                .split(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(squash_whitespace(&text), expected);
        }
    }

    #[test]
    fn markup_characters_are_found_anywhere() {
        assert!(has_markup_char("a < b"));
        assert!(has_markup_char("é&"));
        assert!(has_markup_char(&format!("{}<", "x".repeat(100))));
        assert!(!has_markup_char("plain text, “quoted” – ＜fullwidth＞ ＆"));
        assert!(!has_markup_char(""));
    }

    #[test]
    fn whitespace_is_squashed() {
        assert_eq!(squash_whitespace("  a\u{a0}\u{a0}b \n\t c  "), "a b c");
        // Unicode spaces (ideographic, thin, line separator), zero-width space and BOM split
        // words; U+001C–U+001F are not white space in Unicode.
        assert_eq!(
            squash_whitespace("x\u{3000}y\u{2009}z\u{2028}\u{200b}é\u{feff}\u{1c}w\u{b}\u{c}v\r"),
            "x y z é \u{1c}w v"
        );
        assert_eq!(squash_whitespace(" \u{85} "), "");
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
