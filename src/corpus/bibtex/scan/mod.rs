//! Splits BibTeX text into entries of raw fields: `@type{key, name = value, ...}` with braced,
//! quoted, numeric and macro values joined by `#`; `@string` macros are expanded, `@preamble`
//! and `@comment` skipped, and text between entries ignored (BibTeX treats it as comment).
//!
//! Real exports are not always well formed, so the scanner recovers instead of failing: an
//! entry is never read past the next line that starts a known entry type (`@article{` at a
//! line start), a value whose closing brace is missing is cut before the next `name =` line,
//! missing commas are tolerated, and stray text is skipped up to the next field. Every
//! recovery is reported as a warning with its line.

mod values;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Entry types of BibTeX, BibLaTeX and the common reference managers' exports.
pub const KNOWN_TYPES: &[&str] = &[
    "article",
    "book",
    "booklet",
    "conference",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
    "online",
    "electronic",
    "www",
    "webpage",
    "report",
    "thesis",
    "collection",
    "mvbook",
    "mvcollection",
    "mvproceedings",
    "mvreference",
    "bookinbook",
    "suppbook",
    "suppcollection",
    "suppperiodical",
    "periodical",
    "reference",
    "inreference",
    "patent",
    "dataset",
    "data",
    "software",
    "standard",
    "artwork",
    "audio",
    "image",
    "jurisdiction",
    "legislation",
    "legal",
    "letter",
    "movie",
    "music",
    "performance",
    "review",
    "video",
    "set",
    "xdata",
    "string",
    "preamble",
    "comment",
];

/// Most recoveries tried inside one entry before the rest of it is given up; keeps the work
/// on adversarial input linear.
const MAX_RECOVERIES: usize = 8;

static ENTRY_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"@[ \t]*([A-Za-z][A-Za-z0-9_:\-]*)[ \t]*([{(])").expect("constant regex")
});

static HARD_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]").expect("constant regex")
});

/// A line that assigns a field (`  title = `, Scopus' `funding_text 1=` with a no-break
/// space) or closes an entry.
static FIELD_OR_CLOSE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\A[ \t]*(?:[A-Za-z][A-Za-z0-9_\-:.]*(?:[ \u{a0}][0-9]+)?[ \t]*=|[})][ \t]*(?:\n|\z))",
    )
    .expect("constant regex")
});

static FIELD_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A[ \t]*[A-Za-z][A-Za-z0-9_\-:.]*(?:[ \u{a0}][0-9]+)?[ \t]*=")
        .expect("constant regex")
});

/// One entry as written: its type, key and fields, values with macros expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Entry type as written (`article`, `ARTICLE`).
    pub kind: String,
    /// Citation key (may be empty in broken files).
    pub key: String,
    /// Fields in source order: name as written, raw value (outer delimiters removed).
    pub fields: Vec<(String, String)>,
    /// Byte offset of the `@`.
    pub start: usize,
    /// Byte offset just past the entry.
    pub end: usize,
}

/// What scanning a file gave: entries, and problems as (byte offset, message).
#[derive(Debug, Default)]
pub struct Scan {
    /// Entries in file order (`@string`, `@preamble` and `@comment` excluded).
    pub entries: Vec<Entry>,
    /// Problems found, at byte offsets.
    pub warnings: Vec<(usize, String)>,
}

/// 1-based line numbers for byte offsets, in logarithmic time.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// Scans every entry of `text`.
pub fn scan(text: &str) -> Scan {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        lines: LineIndex::new(text),
        hard_starts: HARD_START
            .captures_iter(text)
            .filter(|c| is_known_type(&c[1]))
            .filter_map(|c| {
                c.get(0)
                    .map(|m| m.start() + m.as_str().find('@').unwrap_or(0))
            })
            .collect(),
        macros: HashMap::new(),
        expanded: 0,
        scan: Scan::default(),
    };
    scanner.run();
    scanner.scan
}

/// Whether `kind` is a known entry type (case-insensitive).
pub fn is_known_type(kind: &str) -> bool {
    KNOWN_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind))
}

/// How an entry's field list ended.
enum End {
    /// At its closing delimiter; the offset is just past it.
    Closed(usize),
    /// Not closed before `limit` (the next entry, or the end of the file).
    Broken,
}

/// How a value ended.
struct Value {
    text: String,
    next: usize,
    broken: bool,
    /// Cut before the next field by a recovery (its missing comma is not reported again).
    cut: bool,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    lines: LineIndex,
    /// Offsets of the `@` of every line-start entry of a known type: no entry reads past one.
    hard_starts: Vec<usize>,
    macros: HashMap<String, String>,
    /// Bytes of text added by macro expansion so far.
    expanded: usize,
    scan: Scan,
}

impl Scanner<'_> {
    fn warn(&mut self, offset: usize, message: String) {
        self.scan.warnings.push((offset, message));
    }

    fn run(&mut self) {
        let mut pos = 0;
        while let Some((at, kind, delimiter)) = self.next_start(pos) {
            self.check_outside(pos, at);
            pos = self.block(at, &kind, delimiter).max(at + 1);
        }
        self.check_outside(pos, self.text.len());
    }

    /// The next `@type{` outside entries: at a line start, after white space or after the
    /// previous entry's closing delimiter (never inside a word, as in an e-mail address).
    fn next_start(&self, from: usize) -> Option<(usize, String, usize)> {
        let mut from = from;
        while let Some(caps) = ENTRY_START.captures_at(self.text, from) {
            let whole = caps.get(0)?;
            let at = whole.start();
            let before = at.checked_sub(1).map(|i| self.bytes[i]);
            if before.is_none_or(|b| b.is_ascii_whitespace() || b == b'}' || b == b')') {
                return Some((at, caps[1].to_string(), whole.end() - 1));
            }
            from = at + 1;
        }
        None
    }

    /// Warns about lines between entries that start with `@` but are not entries.
    fn check_outside(&mut self, from: usize, to: usize) {
        let Some(segment) = self.text.get(from..to) else {
            return;
        };
        let mut offset = from;
        for line in segment.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with('@')
                && !trimmed
                    .get(1..8)
                    .is_some_and(|t| t.eq_ignore_ascii_case("comment"))
            {
                let at = offset + (line.len() - trimmed.len());
                self.warn(
                    at,
                    "line starts with `@` but is not an entry (`@type{key, ...`); ignored".into(),
                );
            }
            offset += line.len();
        }
    }

    /// Where the entry starting at `at` must end at the latest.
    fn limit(&self, at: usize) -> usize {
        let next = self.hard_starts.partition_point(|&h| h <= at);
        self.hard_starts
            .get(next)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Reads one `@...` block; returns where scanning goes on.
    fn block(&mut self, at: usize, kind: &str, delimiter: usize) -> usize {
        let close = if self.bytes[delimiter] == b'(' {
            b')'
        } else {
            b'}'
        };
        let limit = self.limit(at);
        let body = delimiter + 1;
        match kind.to_ascii_lowercase().as_str() {
            "comment" => match self.matching(delimiter, limit, false) {
                Some(end) => end + 1,
                None => {
                    self.warn(
                        at,
                        "@comment is not closed; skipped to the next line".into(),
                    );
                    self.line_end(at)
                }
            },
            "preamble" => {
                let mut recoveries = 0;
                let value = self.value(body, close, limit, "preamble", false, &mut recoveries);
                let end = self.skip_space(value.next, limit);
                if !value.broken && self.bytes.get(end) == Some(&close) {
                    end + 1
                } else {
                    self.warn(at, "@preamble is not closed; skipped".into());
                    limit
                }
            }
            "string" => {
                let (fields, end) = self.fields_retrying(body, close, limit);
                for (name, value) in fields {
                    self.macros.insert(name.to_ascii_lowercase(), value);
                }
                match end {
                    End::Closed(next) => next,
                    End::Broken => {
                        self.warn(at, "@string is not closed; macros read so far kept".into());
                        limit
                    }
                }
            }
            _ => self.entry(at, kind, body, close, limit),
        }
    }

    fn entry(&mut self, at: usize, kind: &str, body: usize, close: u8, limit: usize) -> usize {
        let (key, fields_start) = self.key(body, close, limit, at);
        let (fields, end) = self.fields_retrying(fields_start, close, limit);
        let (end, next) = match end {
            End::Closed(next) => (next, next),
            End::Broken => {
                let line = self.lines.line(at);
                let what = if limit < self.text.len() {
                    format!("before the next entry (line {})", self.lines.line(limit))
                } else {
                    "before the end of the file".to_string()
                };
                self.warn(
                    at,
                    format!(
                        "entry `{key}` (line {line}) is not closed {what}; fields read so far kept"
                    ),
                );
                let end = at + self.text[at..limit].trim_end().len();
                (end, limit)
            }
        };
        if !fields.is_empty() || !key.is_empty() {
            self.scan.entries.push(Entry {
                kind: kind.to_string(),
                key,
                fields,
                start: at,
                end,
            });
        }
        next
    }

    /// The citation key and where the fields start.
    fn key(&mut self, body: usize, close: u8, limit: usize, at: usize) -> (String, usize) {
        let start = self.skip_space(body, limit);
        let mut pos = start;
        while pos < limit
            && !self.bytes[pos].is_ascii_whitespace()
            && !matches!(self.bytes[pos], b',' | b'=' | b'{' | b'}' | b'"' | b'#')
            && self.bytes[pos] != close
        {
            pos += 1;
        }
        let key = self.text[start..pos].to_string();
        let after = self.skip_space(pos, limit);
        match self.bytes.get(after) {
            Some(b'=') => {
                self.warn(at, "entry has no citation key".into());
                (String::new(), start)
            }
            Some(b',') => {
                if key.is_empty() {
                    self.warn(at, "entry has no citation key".into());
                }
                (key, after + 1)
            }
            Some(&c) if c == close => (key, after),
            _ if after >= limit => (key, after),
            _ => {
                self.warn(after, format!("missing comma after citation key `{key}`"));
                (key, after)
            }
        }
    }

    /// Reads a field list; when it does not close, reads it again with values not allowed to
    /// run across `name =` lines, and keeps that reading if it closes.
    fn fields_retrying(
        &mut self,
        start: usize,
        close: u8,
        limit: usize,
    ) -> (Vec<(String, String)>, End) {
        let mark = self.scan.warnings.len();
        let strict = self.fields(start, close, limit, false);
        if matches!(strict.1, End::Closed(_)) {
            return strict;
        }
        let strict_warnings = self.scan.warnings.split_off(mark);
        let guarded = self.fields(start, close, limit, true);
        if matches!(guarded.1, End::Closed(_)) {
            return guarded;
        }
        self.scan.warnings.truncate(mark);
        self.scan.warnings.extend(strict_warnings);
        strict
    }

    fn fields(
        &mut self,
        mut pos: usize,
        close: u8,
        limit: usize,
        guarded: bool,
    ) -> (Vec<(String, String)>, End) {
        let mut fields = Vec::new();
        let mut comma = true;
        let mut recoveries = 0;
        loop {
            while pos < limit {
                match self.bytes[pos] {
                    b',' => comma = true,
                    b'%' => pos = self.line_end(pos).saturating_sub(1),
                    c if c.is_ascii_whitespace() => {}
                    _ => break,
                }
                pos += 1;
            }
            if pos >= limit {
                return (fields, End::Broken);
            }
            if self.bytes[pos] == close {
                return (fields, End::Closed(pos + 1));
            }
            let name_start = pos;
            while pos < limit
                && (self.bytes[pos].is_ascii_alphanumeric()
                    || !self.bytes[pos].is_ascii()
                    || matches!(
                        self.bytes[pos],
                        b'_' | b'-' | b':' | b'.' | b'+' | b'/' | b' ' | b'\t'
                    ))
            {
                pos += 1;
            }
            let name = self.text[name_start..pos].trim().to_string();
            if self.bytes.get(pos) == Some(&b'=') && !name.is_empty() {
                if !comma {
                    self.warn(name_start, format!("missing comma before field `{name}`"));
                }
                let value = self.value(pos + 1, close, limit, &name, guarded, &mut recoveries);
                fields.push((name, value.text));
                pos = value.next;
                comma = value.cut;
                if value.broken {
                    return (fields, End::Broken);
                }
                continue;
            }
            recoveries += 1;
            let line_end = self.line_end(name_start).min(limit);
            let junk = self.text[name_start..line_end].trim_end().to_string();
            match self.next_field_line(name_start, limit) {
                Some(next) if recoveries <= MAX_RECOVERIES => {
                    self.warn(
                        name_start,
                        format!(
                            "unexpected text `{}`; skipped to the next field",
                            shorten(&junk)
                        ),
                    );
                    pos = next;
                    comma = true;
                }
                _ => {
                    self.warn(name_start, format!("unexpected text `{}`", shorten(&junk)));
                    return (fields, End::Broken);
                }
            }
        }
    }

    /// The start of the next line after `from` that assigns a field or closes the entry.
    fn next_field_line(&self, from: usize, limit: usize) -> Option<usize> {
        let mut pos = self.line_end(from);
        while pos < limit {
            if FIELD_OR_CLOSE_LINE.is_match(&self.text[pos..limit]) {
                return Some(pos);
            }
            pos = self.line_end(pos);
        }
        None
    }

    /// The offset just past the end of the line holding `pos`.
    fn line_end(&self, pos: usize) -> usize {
        self.text
            .get(pos..)
            .and_then(|rest| rest.find('\n'))
            .map_or(self.text.len(), |i| pos + i + 1)
    }

    fn skip_space(&self, mut pos: usize, limit: usize) -> usize {
        while pos < limit && self.bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        pos
    }
}

/// At most 60 characters of `text`, for messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
