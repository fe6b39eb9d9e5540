//! Writing the decisions file directly, without building a serde tree: the format is fixed,
//! so the writer emits exactly the bytes `toml::to_string_pretty` gives for it (the file must
//! not change when abstriage is upgraded, or every review's git history would show it), about
//! ten times faster. Strings and keys are quoted as `toml_writer` (toml 1.2) quotes them, by
//! the rules of the TOML 1.0 spec (<https://toml.io/en/v1.0.0#string>); a test compares the
//! two on arbitrary decisions.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::Offset;

use super::{Decisions, FORMAT_VERSION};
/// How many entries ahead [`body`] reads the strings of.
const LOOK_AHEAD: usize = 4;

/// The file: `header`, then the body, or `None` when a date is outside the
/// years 1000-9999 that the direct writer handles (the caller then uses the serde path).
pub(super) fn body(header: &str, reviewer: &str, decisions: &Decisions) -> Option<String> {
    // Reserving what the text will take (within a few bytes) avoids regrowing, and so
    // copying, a string of 10 MB.
    let size: usize = decisions
        .iter()
        .map(|(id, d)| {
            let list = |items: &[String]| items.iter().map(|s| s.len() + 8).sum::<usize>();
            id.as_str().len() + d.title.len() + d.note.len() + list(&d.reasons) + list(&d.themes)
        })
        .sum();
    let mut out =
        String::with_capacity(header.len() + reviewer.len() + 256 + size + decisions.len() * 128);
    out.push_str(header);
    let _ = writeln!(out, "format = {FORMAT_VERSION}");
    out.push_str("reviewer = ");
    value(&mut out, reviewer);
    out.push('\n');
    // The entries' strings lie all over the heap: reading those of an entry a few ahead
    // starts their cache misses while this one is written (about halves the time at 50,000).
    let mut ahead = decisions.iter().skip(LOOK_AHEAD);
    for (id, d) in decisions.iter() {
        if let Some((id, d)) = ahead.next() {
            std::hint::black_box((
                id.as_str().as_bytes().first().copied(),
                d.title.as_bytes().first().copied(),
            ));
        }
        out.push_str("\n[records.");
        key(&mut out, id.as_str());
        out.push_str("]\ntitle = ");
        value(&mut out, &d.title);
        if let Some(status) = d.status {
            out.push_str("\nstatus = \"");
            out.push_str(status.as_str());
            out.push('"');
        }
        out.push_str("\nreasons = ");
        array(&mut out, &d.reasons);
        out.push_str("\nthemes = ");
        array(&mut out, &d.themes);
        out.push_str("\nnote = ");
        value(&mut out, &d.note);
        out.push_str("\ndecided = ");
        datetime(&mut out, d.decided_at)?;
        out.push('\n');
    }
    let overrides = decisions.duplicates();
    for (name, set) in [
        ("same", &overrides.same),
        ("different", &overrides.different),
    ] {
        if set.is_empty() {
            continue;
        }
        let _ = write!(out, "\n[duplicates.{name}]\n");
        // Pairs are sorted, so each id's partners follow one another.
        let mut pairs = set.iter().peekable();
        while let Some((a, b)) = pairs.next() {
            let mut partners: Vec<&str> = vec![b.as_str()];
            while let Some((_, b)) = pairs.next_if(|(next, _)| next == a) {
                partners.push(b.as_str());
            }
            key(&mut out, a.as_str());
            out.push_str(" = ");
            array(&mut out, &partners);
            out.push('\n');
        }
    }
    Some(out)
}

/// `2026-11-24T10:03:00Z`, as `Timestamp::strftime("%Y-%m-%dT%H:%M:%SZ")` read back as a TOML
/// datetime prints it (seconds only); `None` outside the years 1000-9999.
fn datetime(out: &mut String, at: Timestamp) -> Option<()> {
    let t = Offset::UTC.to_datetime(at);
    if !(1000..=9999).contains(&t.year()) {
        return None;
    }
    let digits = |out: &mut String, n: i16, width: u32| {
        for place in (0..width).rev() {
            let digit = (n / 10i16.pow(place)) % 10;
            out.push(char::from(b'0' + digit.unsigned_abs() as u8));
        }
    };
    digits(out, t.year(), 4);
    out.push('-');
    digits(out, t.month().into(), 2);
    out.push('-');
    digits(out, t.day().into(), 2);
    out.push('T');
    digits(out, t.hour().into(), 2);
    out.push(':');
    digits(out, t.minute().into(), 2);
    out.push(':');
    digits(out, t.second().into(), 2);
    out.push('Z');
    Some(())
}

/// An array of strings: `[]`, `["a"]`, or one element a line (indented four spaces, each
/// followed by a comma) from two elements on, as the pretty printer lays arrays out.
fn array<S: AsRef<str>>(out: &mut String, items: &[S]) {
    match items {
        [] => out.push_str("[]"),
        [one] => {
            out.push('[');
            value(out, one.as_ref());
            out.push(']');
        }
        _ => {
            out.push('[');
            for item in items {
                out.push_str("\n    ");
                value(out, item.as_ref());
                out.push(',');
            }
            out.push_str("\n]");
        }
    }
}

fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Whether a byte needs an escape code in any TOML string (a control character other than
/// tab and line feed, or DEL).
fn is_control(b: u8) -> bool {
    (b <= 0x1f && b != b'\t' && b != b'\n') || b == 0x7f
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quotes {
    Basic,
    Literal,
    MlBasic,
    MlLiteral,
}

/// A string value, in the first of these forms that can hold it without escapes: `"basic"`,
/// `'literal'`, `"""multi-line basic"""`, `'''multi-line literal'''`; else escaped.
fn value(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    // Nothing to escape and no quote: `"s"`, whichever rule below picks it (the common case,
    // checked in one pass).
    if plain(bytes) {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    let (mut singles, mut doubles, mut max_singles, mut max_doubles) = (0u8, 0u8, 0u8, 0u8);
    let (mut control, mut backslash, mut newline) = (false, false, false);
    for &b in bytes {
        singles = if b == b'\'' {
            singles.saturating_add(1)
        } else {
            0
        };
        doubles = if b == b'"' {
            doubles.saturating_add(1)
        } else {
            0
        };
        max_singles = max_singles.max(singles);
        max_doubles = max_doubles.max(doubles);
        match b {
            b'\\' => backslash = true,
            b'\n' => newline = true,
            b if is_control(b) => control = true,
            _ => {}
        }
    }
    let quotes = if !control && !backslash && max_doubles == 0 && !newline {
        Quotes::Basic
    } else if !control && max_singles == 0 && !newline {
        Quotes::Literal
    } else if !control && !backslash && max_doubles <= 2 {
        Quotes::MlBasic
    } else if !control && max_singles <= 2 {
        Quotes::MlLiteral
    } else if newline {
        Quotes::MlBasic
    } else {
        Quotes::Basic
    };
    quoted(out, s, quotes, newline);
}

/// Whether `bytes` hold no control character, DEL, `"` or `\`: eight bytes at a time, with
/// the bit tricks of <https://graphics.stanford.edu/~seander/bithacks.html#ZeroInWord>
/// ("determine if a word has a byte less than n", exact for n <= 128, and "has a zero byte"
/// on the word XORed with the byte sought).
fn plain(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let less_than = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS != 0;
    let has = |x: u64, b: u64| less_than(x ^ (ONES * b), 1);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let x = u64::from_le_bytes(eight);
        if less_than(x, 0x20) || has(x, 0x7f) || has(x, u64::from(b'"')) || has(x, 0x5c) {
            return false;
        }
    }
    !words
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == 0x7f || b == b'"' || b == b'\\')
}

/// A key: bare when it can be, else `"basic"`, else `'literal'`, else escaped.
fn key(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    if !bytes.is_empty() && bytes.iter().all(|&b| is_bare(b)) {
        out.push_str(s);
        return;
    }
    let control = bytes.iter().any(|&b| b <= 0x1f && b != b'\t' || b == 0x7f);
    let (singles, doubles, backslash) = (
        bytes.contains(&b'\''),
        bytes.contains(&b'"'),
        bytes.contains(&b'\\'),
    );
    let quotes = if !control && !backslash && !doubles {
        Quotes::Basic
    } else if !control && !singles {
        Quotes::Literal
    } else {
        Quotes::Basic
    };
    quoted(out, s, quotes, false);
}

/// `s` between the delimiters of `quotes`; a multi-line string holding a line break starts on
/// a new line. Basic strings escape `"` (in multi-line ones, a run of more than two), `\`
/// and control characters (`\b \t \n \f \r`, others as `\u00XX`; line feeds stay as they are
/// in multi-line strings).
fn quoted(out: &mut String, s: &str, quotes: Quotes, newline: bool) {
    let delimiter = match quotes {
        Quotes::Basic => "\"",
        Quotes::Literal => "'",
        Quotes::MlBasic => "\"\"\"",
        Quotes::MlLiteral => "'''",
    };
    out.push_str(delimiter);
    let multi_line = matches!(quotes, Quotes::MlBasic | Quotes::MlLiteral);
    if newline && multi_line {
        out.push('\n');
    }
    if matches!(quotes, Quotes::Literal | Quotes::MlLiteral) {
        out.push_str(s);
        out.push_str(delimiter);
        return;
    }
    let max_doubles = if multi_line { 2 } else { 0 };
    let bytes = s.as_bytes();
    let (mut start, mut doubles) = (0, 0);
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&str> = match b {
            b'"' => {
                doubles += 1;
                // After an escaped quote the count starts again.
                (doubles > max_doubles).then_some("\\\"")
            }
            0x8 => Some("\\b"),
            b'\t' => Some("\\t"),
            b'\n' if !multi_line => Some("\\n"),
            0xc => Some("\\f"),
            b'\r' => Some("\\r"),
            b'\\' => Some("\\\\"),
            b if is_control(b) => Some(""),
            _ => None,
        };
        if b != b'"' {
            doubles = 0;
        }
        if let Some(escape) = escape {
            out.push_str(&s[start..i]);
            if escape.is_empty() {
                let _ = write!(out, "\\u{:04X}", u32::from(b));
            } else {
                out.push_str(escape);
            }
            start = i + 1;
            doubles = 0;
        }
    }
    out.push_str(&s[start..]);
    out.push_str(delimiter);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::super::{to_toml, via_serde};
    use super::*;
    use crate::decisions::{Decision, Status};
    use crate::dedup::{Overrides, pair};
    use crate::record::RecordId;

    /// Characters that exercise every quoting rule: bare-key characters, the subset that
    /// needs quotes but no escapes, quotes of both kinds (runs of them), backslashes, line
    /// breaks, tabs, other control characters, DEL and non-ASCII text.
    fn text() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'Z', '0', '-', '_', '.', '/', ' ', ':', '"', '\'', '\\', '\n', '\t', '\r',
            '\u{8}', '\u{c}', '\u{0}', '\u{1b}', '\u{7f}', 'é', 'あ', ',', '[', '#', '=',
        ]);
        prop::collection::vec(chars, 0..10).prop_map(|c| c.into_iter().collect())
    }

    fn timestamp() -> impl Strategy<Value = Timestamp> {
        let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        // Mostly ordinary dates; sometimes any the type allows (years 1-999 and before
        // year 0 take the serde path).
        prop_oneof![
            4 => 1_000_000_000i64..5_000_000_000,
            1 => min..=max,
        ]
        .prop_map(|s| Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH))
    }

    fn decision() -> impl Strategy<Value = Decision> {
        let status = prop::option::of(prop::sample::select(Status::ALL.to_vec()));
        let list = || prop::collection::vec(text(), 0..4);
        (status, list(), list(), text(), text(), timestamp()).prop_map(
            |(status, reasons, themes, note, title, decided_at)| Decision {
                status,
                reasons,
                themes,
                note,
                title,
                decided_at,
            },
        )
    }

    fn decisions() -> impl Strategy<Value = Decisions> {
        let entries = prop::collection::btree_map(text(), decision(), 0..6);
        let pairs = || prop::collection::vec((text(), text()), 0..5);
        (entries, pairs(), pairs()).prop_map(|(entries, same, different)| {
            let entries: BTreeMap<RecordId, Decision> = entries
                .into_iter()
                .map(|(id, d)| (RecordId::new(id), d))
                .collect();
            let pairs = |list: Vec<(String, String)>| {
                list.into_iter()
                    .map(|(a, b)| pair(&RecordId::new(a), &RecordId::new(b)))
                    .collect()
            };
            Decisions::from_entries(entries).with_duplicates(Overrides {
                same: pairs(same),
                different: pairs(different),
            })
        })
    }

    proptest! {
        #[test]
        fn the_direct_writer_gives_the_bytes_toml_gives(reviewer in text(), d in decisions()) {
            if let Some(direct) = body("", &reviewer, &d) {
                prop_assert_eq!(direct, via_serde(&reviewer, &d));
            }
            // Whichever path wrote it, the file reads back as what was written.
            let text = to_toml(&reviewer, &d);
            if !text.contains("# serialisation failed") {
                let path = std::path::Path::new("p.toml");
                let (read_reviewer, back) = super::super::from_toml(path, &text)
                    .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                prop_assert_eq!(read_reviewer, reviewer);
                prop_assert_eq!(back.iter().count(), d.iter().count());
            }
        }
    }

    proptest! {
        #[test]
        fn plain_finds_every_byte_that_needs_quoting(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
            let expected = !bytes
                .iter()
                .any(|&b| b < 0x20 || b == 0x7f || b == b'"' || b == b'\\');
            prop_assert_eq!(plain(&bytes), expected);
        }
    }

    #[test]
    fn strings_take_the_plainest_quotes_that_hold_them() {
        // Written by hand from the TOML 1.0 spec's string forms and toml_writer's order of
        // preference (basic, literal, multi-line basic, multi-line literal, escaped).
        let cases = [
            ("plain words: a/b.c", "\"plain words: a/b.c\""),
            ("Smith, J", "\"Smith, J\""),
            ("say \"hi\"", "'say \"hi\"'"),
            ("C:\\path", "'C:\\path'"),
            ("it's \"x\"", "\"\"\"it's \"x\"\"\"\""),
            ("line 1\nline 2", "\"\"\"\nline 1\nline 2\"\"\""),
            ("tab\there", "\"tab\\there\""),
            ("bell\u{7}", "\"bell\\u0007\""),
            ("'\"\\", "''''\"\\'''"),
        ];
        for (input, expected) in cases {
            let mut out = String::new();
            value(&mut out, input);
            assert_eq!(out, expected, "{input:?}");
        }
        let mut out = String::new();
        key(&mut out, "10.3399/bjgp.2020.0856");
        key(&mut out, "h0940cb59c3bc");
        key(&mut out, "");
        assert_eq!(out, "\"10.3399/bjgp.2020.0856\"h0940cb59c3bc\"\"");
    }
}
