//! The EndNote tagged (Refer) format: `%X value` lines, one field per line, records separated
//! by blank lines. A record may begin with any tag (AIS eLibrary exports start with `%T`, not
//! `%0`); untagged lines continue the previous field.

use std::sync::LazyLock;

use regex::Regex;

use super::super::raw::{Parsed, RawRecord, Warning};
use super::{split_keywords, standard_number_name};

static TAG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // `%`, one EndNote tag character, then a space (or tab) and the value, or nothing.
    Regex::new(r"^%([0-9A-Z?@!#$&()*+^<>\[\]=~])(?:[ \t](.*)|$)").expect("constant regex")
});

/// Non-blank lines `detect` looks at.
const DETECT_LINES: usize = 200;
/// The first tag line must be among this many non-blank lines.
const FIRST_TAG_WITHIN: usize = 5;

/// See [`super::detect_tagged`].
pub fn detect(text: &str) -> bool {
    let mut seen = 0;
    let mut tags = 0;
    let mut first_tag = None;
    let mut core = false;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(DETECT_LINES)
    {
        seen += 1;
        if let Some(caps) = TAG_LINE.captures(line) {
            tags += 1;
            first_tag.get_or_insert(seen);
            core |= matches!(caps.get(1).map(|m| m.as_str()), Some("0" | "T" | "A"));
        }
    }
    core && tags >= 2 && 3 * tags >= seen && first_tag.is_some_and(|n| n <= FIRST_TAG_WITHIN)
}

/// See [`super::parse_tagged`].
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut open: Option<Builder> = None;
    let mut after_blank = false;
    let mut offset = 0;
    for (index, physical) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let line_start = offset;
        offset += physical.len();
        let line = physical.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        if let Some(caps) = TAG_LINE.captures(line) {
            let tag = caps
                .get(1)
                .and_then(|m| m.as_str().chars().next())
                .unwrap_or('?');
            let value = caps.get(2).map_or("", |m| m.as_str()).trim();
            let repeated_type = tag == '0' && open.as_ref().is_some_and(|b| b.has_type);
            if let Some(b) = open.as_ref().filter(|_| repeated_type && !after_blank) {
                parsed.warnings.push(Warning::new(
                    b.line,
                    "second %0 in this record with no blank line before it; read as a new record",
                ));
            }
            let starts_new = after_blank || repeated_type;
            if starts_new {
                close(&mut parsed, open.take());
            }
            open.get_or_insert_with(|| Builder::new(line_no, line_start))
                .field(tag, value, offset);
        } else if let Some(builder) = open
            .as_mut()
            .filter(|b| !after_blank || b.takes_paragraphs())
        {
            builder.continuation(line.trim(), offset);
        } else {
            close(&mut parsed, open.take());
            parsed.warnings.push(Warning::new(
                line_no,
                "text outside any record (no %-tag line before it); ignored",
            ));
        }
        after_blank = false;
    }
    close(&mut parsed, open);
    parsed
}

fn close(parsed: &mut Parsed, builder: Option<Builder>) {
    if let Some(builder) = builder {
        let record = builder.finish();
        if !record.is_empty() {
            parsed.records.push(record);
        }
    }
}

/// One record's tagged fields in file order, mapped to `RawRecord` at the end.
struct Builder {
    line: usize,
    start: usize,
    end: usize,
    has_type: bool,
    fields: Vec<(char, String)>,
}

impl Builder {
    fn new(line: usize, start: usize) -> Self {
        Self {
            line,
            start,
            end: start,
            has_type: false,
            fields: Vec::new(),
        }
    }

    fn field(&mut self, tag: char, value: &str, end: usize) {
        self.has_type |= tag == '0';
        self.end = end;
        if tag == 'K' {
            let before = self.fields.len();
            self.fields.extend(split_keywords(value).map(|k| ('K', k)));
            if self.fields.len() == before {
                // An empty `%K` still marks where continuation keywords go.
                self.fields.push(('K', String::new()));
            }
        } else {
            self.fields.push((tag, value.to_string()));
        }
    }

    /// Whether the last field may hold paragraphs separated by blank lines.
    fn takes_paragraphs(&self) -> bool {
        matches!(self.fields.last(), Some(('X' | 'Z' | '<', _)))
    }

    /// An untagged line: a new paragraph of an abstract or a note, more keywords of a keyword
    /// field, more words of anything else.
    fn continuation(&mut self, text: &str, end: usize) {
        self.end = end;
        let Some((tag, value)) = self.fields.last_mut() else {
            return;
        };
        match *tag {
            'K' => {
                let tag = *tag;
                let keywords: Vec<_> = split_keywords(text).collect();
                if value.is_empty() {
                    self.fields.pop();
                }
                self.fields.extend(keywords.into_iter().map(|k| (tag, k)));
            }
            'X' | 'Z' | '<' => RawRecord::push_paragraph(value, text),
            _ => {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(text);
            }
        }
    }

    fn finish(self) -> RawRecord {
        let mut r = RawRecord {
            line: self.line,
            span: self.start..self.end,
            ..RawRecord::default()
        };
        let first = |tag: char| {
            self.fields
                .iter()
                .find(|(t, v)| *t == tag && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        let journal = first('J').or_else(|| first('B')).unwrap_or_default();
        let date = first('D').or_else(|| first('8')).unwrap_or_default();
        let mut title_taken = false;
        let mut journal_taken = false;
        let mut date_taken = false;
        for (tag, value) in self.fields {
            if value.is_empty() {
                continue;
            }
            let take = |taken: &mut bool, wanted: &str| {
                let take = !*taken && value == wanted;
                *taken |= take;
                take
            };
            match tag {
                'T' if !title_taken => {
                    title_taken = true;
                    r.title = value;
                }
                'J' | 'B' if take(&mut journal_taken, &journal) => r.journal = value,
                'D' | '8' if take(&mut date_taken, &date) => r.date = value,
                'A' => r.authors.push(value),
                'V' if r.volume.is_empty() => r.volume = value,
                'N' if r.issue.is_empty() => r.issue = value,
                'P' if r.start_page.is_empty() => r.start_page = value,
                'R' if r.doi.is_empty() => r.doi = value,
                'X' => RawRecord::push_paragraph(&mut r.abstract_text, &value),
                'K' => r.keywords.push(value),
                '@' => r
                    .extra
                    .push((standard_number_name(&value).to_string(), value)),
                other => r.extra.push((extra_name(other), value)),
            }
        }
        r
    }
}

/// Readable name for an EndNote tag kept in `extra`.
fn extra_name(tag: char) -> String {
    let name = match tag {
        '0' => "type",
        'T' => "other title",
        'J' | 'B' => "secondary title",
        'D' | '8' => "date",
        'V' => "volume",
        'N' => "issue",
        'P' => "pages",
        'R' => "doi",
        'C' => "place",
        'E' => "editors",
        'F' => "label",
        'G' => "language",
        'H' => "translated authors",
        'I' => "publisher",
        'L' => "call number",
        'M' => "accession number",
        'O' => "alternate title",
        'Q' => "translated title",
        'S' => "tertiary title",
        'U' => "url",
        'W' | '~' => "database",
        'Y' => "tertiary authors",
        'Z' => "notes",
        '1' => "custom 1",
        '2' => "custom 2",
        '3' => "custom 3",
        '4' => "custom 4",
        '#' => "custom 5",
        '$' => "custom 6",
        ']' => "custom 7",
        '6' => "number of volumes",
        '7' => "edition",
        '9' => "type of work",
        '?' => "subsidiary authors",
        '!' => "short title",
        '&' => "section",
        '(' => "original publication",
        ')' => "reprint edition",
        '*' => "reviewed item",
        '+' => "affiliations",
        '^' => "caption",
        '>' => "pdf url",
        '<' => "research notes",
        '[' => "access date",
        '=' => "last modified date",
        other => return format!("tag %{other}"),
    };
    name.to_string()
}

#[cfg(test)]
#[path = "tagged_tests.rs"]
mod tests;
