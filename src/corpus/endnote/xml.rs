//! EndNote XML, read as a stream of events with `quick-xml`: one `RawRecord` per `<record>`,
//! each field's text gathered from all its descendants (EndNote desktop wraps text in one or
//! more `<style face=… font=… size=…>` runs per field; Zotero and Mendeley write it bare).

use std::sync::LazyLock;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use regex::Regex;

use super::super::raw::{Parsed, RawRecord, Warning, line_at};
use super::{split_keywords, standard_number_name};

/// How much of the file's start `detect` looks at.
const DETECT_PREFIX: usize = 64 * 1024;

static START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\A\s*(?:<\?xml[^>]{0,500}>\s*)?(?:<!--(?s:.{0,2000}?)-->\s*|<!DOCTYPE[^>]{0,2000}>\s*)*(?:<xml(?:\s[^>]{0,500})?>\s*<records?[\s/>]|<records(?:\s[^>]{0,500})?>\s*(?:<record[\s/>]|</records>))",
    )
    .expect("constant regex")
});

static RECORD_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<record[\s/>]").expect("constant regex"));

/// See [`super::detect`].
pub fn detect(text: &str) -> bool {
    // Every form `START` accepts begins with `<` after white space (`\s`, Unicode White_Space,
    // what `trim_start` drops): other text is rejected without compiling it, which costs more
    // than the rest of opening a small corpus (its bounded repeats make a large automaton).
    if !text.trim_start().starts_with('<') {
        return false;
    }
    let mut end = text.len().min(DETECT_PREFIX);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    START.is_match(&text[..end])
}

/// See [`super::parse`].
pub fn parse(text: &str) -> Parsed {
    let mut state = State::new(text);
    let mut base = 0;
    // Each pass reads from `base` until the end or the first XML error; after an error the
    // reader restarts at the next `<record`, strictly further on, so this always ends.
    while let Some(resume) = read_from(text, base, &mut state) {
        match text.get(resume..).and_then(|rest| RECORD_START.find(rest)) {
            Some(m) => base = resume + m.start(),
            None => break,
        }
    }
    state.parsed
}

/// Reads events from `text[base..]`; returns where to look for the next record after an error,
/// or `None` at the end of the text.
fn read_from(text: &str, base: usize, state: &mut State<'_>) -> Option<usize> {
    let mut reader = Reader::from_str(text.get(base..)?);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let position = |p: u64| base + usize::try_from(p).unwrap_or(usize::MAX - base);
    loop {
        let before = position(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = position(reader.error_position()).max(before);
                state.malformed(at, &error.to_string());
                return Some(at + 1);
            }
        };
        let after = position(reader.buffer_position());
        match event {
            Event::Start(e) => state.start(&e, before),
            Event::Empty(e) => state.empty(&e),
            Event::End(e) => state.end(e.local_name().as_ref(), after),
            Event::Text(t) => state.text(&t.into_inner(), before),
            Event::CData(c) => state.text(&c.into_inner(), before),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r)
                        .map_or_else(|| format!("&{};", &*r), str::to_string),
                };
                state.text(&resolved, before);
            }
            Event::Eof => {
                state.eof();
                return None;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// An open element inside a record.
struct Element {
    name: String,
    /// The `name` attribute of `<ref-type name="Journal Article">`.
    label: Option<String>,
}

/// Where the reader is: the open record, its open elements and the text gathered so far.
struct State<'t> {
    text: &'t str,
    parsed: Parsed,
    record: Option<Builder>,
    stack: Vec<Element>,
    buffer: String,
    /// Byte offset and line of the last offset turned into a line number (lines are counted
    /// forward only, so a one-line 3 MB file costs one pass).
    line_mark: (usize, usize),
    /// Whether text outside records was already reported (once per file is enough).
    stray_text_reported: bool,
}

impl<'t> State<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            parsed: Parsed::default(),
            record: None,
            stack: Vec::new(),
            buffer: String::new(),
            line_mark: (0, 1),
            stray_text_reported: false,
        }
    }

    fn line(&mut self, offset: usize) -> usize {
        let (mark, line) = self.line_mark;
        let offset = offset.min(self.text.len());
        let line = if offset >= mark {
            line + self.text.as_bytes()[mark..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
        } else {
            line_at(self.text, offset)
        };
        self.line_mark = (offset, line);
        line
    }

    fn start(&mut self, e: &BytesStart<'_>, offset: usize) {
        let name = e.local_name().as_ref().to_string();
        if name == "record" {
            if let Some(open) = self.record.take() {
                self.parsed.warnings.push(Warning::new(
                    open.record.line,
                    "record has no </record> before the next <record>; dropped",
                ));
            }
            let line = self.line(offset);
            self.record = Some(Builder::new(line, offset));
            self.stack.clear();
            self.buffer.clear();
            return;
        }
        if self.record.is_none() || name == "style" {
            return;
        }
        // Text before a child element belongs to the parent.
        self.emit();
        let label = (name == "ref-type").then(|| attribute(e, "name")).flatten();
        self.stack.push(Element { name, label });
    }

    /// A self-closing element: only `<ref-type name="…"/>` carries anything.
    fn empty(&mut self, e: &BytesStart<'_>) {
        if self.record.is_some()
            && e.local_name().as_ref() == "ref-type"
            && let Some(label) = attribute(e, "name")
        {
            self.emit();
            self.stack.push(Element {
                name: "ref-type".into(),
                label: Some(label),
            });
            self.emit();
            self.stack.pop();
        }
    }

    fn end(&mut self, name: &str, offset: usize) {
        if name == "record" {
            if self.record.is_none() {
                let line = self.line(offset);
                self.parsed
                    .warnings
                    .push(Warning::new(line, "</record> with no open record; ignored"));
                return;
            }
            while !self.stack.is_empty() {
                self.emit();
                self.stack.pop();
            }
            self.buffer.clear();
            if let Some(builder) = self.record.take() {
                let mut record = builder.finish();
                record.span.end = offset;
                if !record.is_empty() {
                    self.parsed.records.push(record);
                }
            }
            return;
        }
        if self.record.is_none() || name == "style" {
            return;
        }
        match self.stack.iter().rposition(|el| el.name == name) {
            Some(index) => {
                while self.stack.len() > index {
                    self.emit();
                    self.stack.pop();
                }
            }
            None => {
                let line = self.line(offset);
                self.parsed.warnings.push(Warning::new(
                    line,
                    format!("closing tag </{name}> with no opening tag; ignored"),
                ));
            }
        }
    }

    fn text(&mut self, text: &str, offset: usize) {
        if self.record.is_some() {
            self.buffer.push_str(text);
        } else if !text.trim().is_empty() && !self.stray_text_reported {
            self.stray_text_reported = true;
            let line = self.line(offset);
            self.parsed
                .warnings
                .push(Warning::new(line, "text outside any record; ignored"));
        }
    }

    /// Hands the gathered text to the record as the value of the innermost open element.
    fn emit(&mut self) {
        let value = normalise_breaks(self.buffer.trim());
        self.buffer.clear();
        let (Some(builder), Some(element)) = (self.record.as_mut(), self.stack.last()) else {
            return;
        };
        if value.is_empty() && element.label.is_none() {
            return;
        }
        let parent = self
            .stack
            .len()
            .checked_sub(2)
            .and_then(|i| self.stack.get(i))
            .map_or("", |el| el.name.as_str());
        builder.field(parent, element, value);
    }

    fn malformed(&mut self, offset: usize, error: &str) {
        let line = self.line(offset);
        let message = match self.record.take() {
            Some(open) => {
                self.stack.clear();
                self.buffer.clear();
                self.parsed.warnings.push(Warning::new(
                    open.record.line,
                    format!("malformed XML at line {line} ({error}); this record is dropped"),
                ));
                return;
            }
            None => format!("malformed XML ({error}); skipped to the next <record>"),
        };
        self.parsed.warnings.push(Warning::new(line, message));
    }

    fn eof(&mut self) {
        if let Some(open) = self.record.take() {
            self.parsed.warnings.push(Warning::new(
                open.record.line,
                "file ends inside this record (no </record>: cut short?); record dropped",
            ));
        }
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let value = e
        .try_get_attribute(name)
        .ok()??
        .normalized_value(XmlVersion::Implicit1_0)
        .ok()?
        .trim()
        .to_string();
    (!value.is_empty()).then_some(value)
}

/// `&#xD;` / `&#13;` (EndNote's line break inside a field) becomes `\n`, like the file's own
/// line ends.
fn normalise_breaks(value: &str) -> String {
    if value.contains('\r') {
        value.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        value.to_string()
    }
}

/// Accumulates one record's fields.
struct Builder {
    record: RawRecord,
    titles: Vec<String>,
    full_titles: Vec<String>,
    secondary_titles: Vec<String>,
    years: Vec<String>,
    dates: Vec<String>,
    /// `number` (EndNote's issue) then `issue` (Zotero, Mendeley).
    issues: Vec<(&'static str, String)>,
    dois: Vec<String>,
}

impl Builder {
    fn new(line: usize, start: usize) -> Self {
        Self {
            record: RawRecord::starting_at(line, start),
            titles: Vec::new(),
            full_titles: Vec::new(),
            secondary_titles: Vec::new(),
            years: Vec::new(),
            dates: Vec::new(),
            issues: Vec::new(),
            dois: Vec::new(),
        }
    }

    fn extra(&mut self, name: &str, value: String) {
        self.record.extra.push((name.to_string(), value));
    }

    fn field(&mut self, parent: &str, element: &Element, value: String) {
        let name = element.name.as_str();
        match (parent, name) {
            ("titles", "title") => self.titles.push(value),
            ("titles", "secondary-title") => self.secondary_titles.push(value),
            ("periodical", "full-title") => self.full_titles.push(value),
            ("periodical" | "alt-periodical", "abbr-1" | "abbr-2" | "abbr-3") => {
                self.extra("journal abbreviation", value);
            }
            ("alt-periodical", "full-title") => self.extra("alternate journal", value),
            ("authors", "author") => self.record.authors.push(value),
            (group, "author") => {
                let name = match group {
                    "secondary-authors" => "editors",
                    "tertiary-authors" => "tertiary authors",
                    "subsidiary-authors" => "subsidiary authors",
                    "translated-authors" => "translated authors",
                    _ => "other contributors",
                };
                self.extra(name, value);
            }
            ("dates", "year") => self.years.push(value),
            ("pub-dates", "date") => self.dates.push(value),
            ("copyright-dates", "date") => self.extra("copyright date", value),
            (_, "volume") => self.record.volume = value,
            (_, "number") => self.issues.push(("number", value)),
            (_, "issue") => self.issues.push(("issue", value)),
            (_, "pages") => self.record.start_page = value,
            (_, "electronic-resource-num") => self.dois.push(value),
            (_, "abstract") => RawRecord::push_paragraph(&mut self.record.abstract_text, &value),
            ("keywords", "keyword") => self.record.keywords.extend(split_keywords(&value)),
            (urls, "url") => {
                let name = match urls {
                    "pdf-urls" => "pdf url",
                    "text-urls" => "full text url",
                    "image-urls" => "image url",
                    _ => "url",
                };
                self.extra(name, value);
            }
            (_, "isbn") => self.extra(standard_number_name(&value), value),
            (_, "ref-type") => {
                let value = element.label.clone().unwrap_or(value);
                self.extra("type", value);
            }
            (_, other) => self.extra(extra_name(other).as_str(), value),
        }
    }

    fn finish(mut self) -> RawRecord {
        let mut titles = self.titles.into_iter();
        self.record.title = titles.next().unwrap_or_default();
        for other in titles {
            self.record.extra.push(("other title".into(), other));
        }
        let mut journals = self.full_titles.into_iter().chain(self.secondary_titles);
        self.record.journal = journals.next().unwrap_or_default();
        for other in journals {
            if other != self.record.journal {
                self.record.extra.push(("secondary title".into(), other));
            }
        }
        let mut dates = self.years.into_iter().chain(self.dates);
        self.record.date = dates.next().unwrap_or_default();
        for other in dates {
            self.record.extra.push(("date".into(), other));
        }
        let mut issues = self.issues.into_iter();
        self.record.issue = issues.next().map(|(_, v)| v).unwrap_or_default();
        for (name, other) in issues {
            if other != self.record.issue {
                self.record.extra.push((name.into(), other));
            }
        }
        let mut dois = self.dois.into_iter();
        self.record.doi = dois.next().unwrap_or_default();
        for other in dois {
            self.record.extra.push(("doi".into(), other));
        }
        self.record
    }
}

/// Readable name for an EndNote XML element kept in `extra`.
fn extra_name(element: &str) -> String {
    let name = match element {
        "language" => "language",
        "accession-num" => "accession number",
        "remote-database-name" | "remote-database-provider" => "database",
        "notes" => "notes",
        "research-notes" => "research notes",
        "work-type" => "type of work",
        "label" => "label",
        "auth-address" | "auth-affiliaton" => "affiliations",
        "publisher" => "publisher",
        "pub-location" => "place",
        "database" => "endnote library",
        "source-app" => "source app",
        "rec-number" => "record number",
        "key" => "foreign key",
        "call-num" => "call number",
        "num-vols" => "number of volumes",
        "orig-pub" => "original publication",
        "tertiary-title" => "tertiary title",
        "alt-title" => "alternate title",
        "short-title" => "short title",
        "translated-title" => "translated title",
        "report-id" => "report id",
        custom if custom.starts_with("custom") || custom.starts_with("misc") => {
            let digits = custom.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let word = &custom[..custom.len() - digits.len()];
            return format!("{word} {digits}").trim_end().to_string();
        }
        other => return other.replace('-', " "),
    };
    name.to_string()
}

#[cfg(test)]
#[path = "xml_tests.rs"]
mod tests;
