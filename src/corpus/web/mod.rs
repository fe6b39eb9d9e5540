//! Text copied from web pages: one record (an article page) or many (a results page), wrapped
//! in site furniture. Lines are classified (see [`lines`]) and assembled into records: a record
//! opens with a title or metadata and holds the abstract paragraphs that follow; metadata after
//! an abstract opens the next record.

pub mod lines;

use self::lines::{
    Header, Line, Trailer, classify, is_name_list, is_numbered_entry, is_title_like, split_names,
};
use super::raw::{Parsed, RawRecord, Warning, line_at};
use crate::clean::boilerplate::is_mostly_latin;
use crate::clean::sections::{find_labels, label_at_start};

/// Shortest paragraph that makes unlabelled text an abstract on its own.
const MIN_ABSTRACT_CHARS: usize = 150;

/// Whether `text` holds something an abstract could be: a labelled paragraph, a long one, or
/// text under an `Abstract` heading.
pub fn detect(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.iter().enumerate().any(|(i, l)| {
        l.chars().count() >= MIN_ABSTRACT_CHARS
            || (label_at_start(l).is_some() && l.len() > 40)
            || (classify(l, true) == Line::AbstractHeading
                && lines.iter().skip(i + 1).take(3).any(|next| next.len() > 40))
    })
}

/// Parses pasted web text into records.
pub fn parse(text: &str) -> Parsed {
    let mut assembler = Assembler::new(text);
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        assembler.line(line.trim_end_matches('\n'), index + 1, offset);
        offset += line.len();
    }
    assembler.finish()
}

/// What the next lines are expected to be, after a line that announced them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Anything,
    /// Names, one or more per line, until a blank line (after `Author(s):`).
    Authors,
    /// Numbered reference entries.
    References,
    /// The value of a heading line (`Publisher` then `Cambridge University Press`).
    Value,
    /// Items of a list heading (`Keywords` then one keyword per line), until a blank line.
    List,
}

/// A short line not yet known to be a title: it is one if an abstract or metadata follows.
#[derive(Debug)]
struct Candidate {
    text: String,
    line: usize,
    offset: usize,
}

#[derive(Debug, Default)]
struct Current {
    raw: RawRecord,
    has_abstract: bool,
    /// After an `Abstract` heading: the next text is abstract, however short.
    in_abstract: bool,
    started: bool,
    /// Section labels the abstract has had (lower case): one coming again marks the start of
    /// the article's full text (or a repeat of the abstract), where the abstract ends.
    labels_seen: Vec<String>,
    /// The abstract has ended; later text is not part of it.
    closed: bool,
    /// Paragraphs after the end of the abstract that were not repeats of it.
    left_out: usize,
}

struct Assembler<'t> {
    text: &'t str,
    latin: bool,
    parsed: Parsed,
    current: Current,
    candidate: Option<Candidate>,
    pending_label: Option<String>,
    expect: Expect,
    heading: String,
    /// Metadata seen after one record's abstract that belongs to the next record.
    pending: Vec<(String, String)>,
    /// Line and byte offset of the first pending item: where the next record starts.
    pending_start: Option<(usize, usize)>,
}

impl<'t> Assembler<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            latin: is_mostly_latin(text),
            parsed: Parsed::default(),
            current: Current::default(),
            candidate: None,
            pending_label: None,
            expect: Expect::Anything,
            heading: String::new(),
            pending: Vec::new(),
            pending_start: None,
        }
    }

    fn line(&mut self, line: &str, line_no: usize, offset: usize) {
        let trimmed = line.trim();
        match self.expect {
            Expect::Authors if trimmed.is_empty() => {
                self.expect = Expect::Anything;
                return;
            }
            Expect::Authors
                if trimmed.chars().count() <= 120 && !trimmed.ends_with('.')
                    || trimmed == "..." =>
            {
                let names = split_names(trimmed);
                self.current
                    .raw
                    .authors
                    .extend(names.iter().map(|n| n.to_string()));
                return;
            }
            Expect::References if is_numbered_entry(trimmed) => return,
            Expect::Value if trimmed.is_empty() => return,
            Expect::Value => {
                self.expect = Expect::Anything;
                let heading = std::mem::take(&mut self.heading);
                self.field(&heading, trimmed);
                return;
            }
            Expect::List
                if !trimmed.is_empty()
                    && trimmed.chars().count() <= 80
                    && matches!(classify(trimmed, self.latin), Line::Text(_)) =>
            {
                let heading = self.heading.clone();
                self.field(&heading, trimmed.trim_end_matches([',', ';', '.']));
                return;
            }
            _ => self.expect = Expect::Anything,
        }
        match classify(trimmed, self.latin) {
            Line::Blank | Line::Junk(_) => {}
            Line::AbstractHeading => {
                self.resolve_candidate();
                self.touch(line_no, offset);
                self.current.in_abstract = true;
            }
            Line::Label(label) => {
                self.resolve_candidate();
                self.touch(line_no, offset);
                self.pending_label = Some(label.to_string());
            }
            Line::Title(title) => {
                if self.current.has_abstract || !self.current.raw.title.is_empty() {
                    self.start_record(line_no, offset);
                }
                self.drop_candidate();
                self.touch(line_no, offset);
                self.current.raw.title = title.to_string();
            }
            Line::Header(header) => {
                // After an abstract, metadata opens the next record, whose title is any short
                // line just seen. Before one, a short line may still be followed by a better
                // title candidate, so it waits for the authors or the abstract.
                if self.current.has_abstract {
                    let (line_no, offset) = self
                        .candidate
                        .as_ref()
                        .map_or((line_no, offset), |c| (c.line, c.offset));
                    self.start_record(line_no, offset);
                    self.title_from_candidate();
                }
                self.touch(line_no, offset);
                self.header(header);
            }
            Line::PublicationType(kind) => {
                let pair = ("publication type".to_string(), kind.to_string());
                if self.current.has_abstract {
                    self.pending_start.get_or_insert((line_no, offset));
                    self.pending.push(pair);
                } else {
                    self.current.raw.extra.push(pair);
                }
            }
            Line::Trailer(trailer) => self.trailer(trailer, line_no, offset),
            Line::Text(text) => self.text(text, line_no, offset),
        }
    }

    fn text(&mut self, text: &str, line_no: usize, offset: usize) {
        if let Some(label) = self.pending_label.take() {
            self.add_abstract(&format!("{label}: {text}"), line_no, offset);
            return;
        }
        let opens_abstract = self.current.in_abstract && !self.current.has_abstract;
        if !opens_abstract
            && self.candidate.is_some()
            && (self.current.has_abstract || self.current.raw.authors.is_empty())
            && is_name_list(text)
        {
            self.resolve_candidate();
            self.current
                .raw
                .authors
                .extend(split_names(text).iter().map(|n| n.to_string()));
            return;
        }
        let abstract_like =
            opens_abstract || label_at_start(text).is_some() || !is_title_like(text);
        if abstract_like {
            self.resolve_candidate();
            self.add_abstract(text, line_no, offset);
        } else {
            self.drop_candidate();
            self.candidate = Some(Candidate {
                text: text.to_string(),
                line: line_no,
                offset,
            });
        }
    }

    /// A candidate followed by abstract text is a title: of the current record if it has no
    /// abstract yet, otherwise of a new record.
    fn resolve_candidate(&mut self) {
        let Some(candidate) = self.candidate.as_ref() else {
            return;
        };
        if self.current.has_abstract {
            let (line, start) = (candidate.line, candidate.offset);
            self.start_record(line, start);
        }
        self.title_from_candidate();
    }

    fn title_from_candidate(&mut self) {
        if let Some(candidate) = self.candidate.take() {
            if self.current.raw.title.is_empty() {
                self.touch(candidate.line, candidate.offset);
                self.current.raw.title = candidate.text;
            } else {
                self.unplaced(candidate);
            }
        }
    }

    /// A candidate that turned out not to be a title: a closing sentence of the abstract is
    /// kept in it; anything else is reported and dropped.
    fn drop_candidate(&mut self) {
        if let Some(candidate) = self.candidate.take() {
            self.unplaced(candidate);
        }
    }

    fn unplaced(&mut self, candidate: Candidate) {
        let sentence = candidate.text.ends_with(['.', '!', '?'])
            && candidate.text.split_whitespace().count() >= 6;
        if self.current.has_abstract && sentence {
            RawRecord::push_paragraph(&mut self.current.raw.abstract_text, &candidate.text);
        } else {
            self.parsed.warnings.push(Warning::new(
                candidate.line,
                format!(
                    "line not recognised as part of a record, left out: {:?}",
                    candidate.text
                ),
            ));
        }
    }

    fn add_abstract(&mut self, paragraph: &str, line_no: usize, offset: usize) {
        self.touch(line_no, offset);
        let current = &mut self.current;
        let opening = label_at_start(paragraph).map(|m| paragraph[..m.end].to_lowercase());
        let repeats = opening
            .as_ref()
            .is_some_and(|label| current.labels_seen.contains(label));
        // An `Introduction` after an unlabelled abstract is the article's first heading.
        let body_heading = opening.as_deref().is_some_and(|l| l == "introduction")
            && current.has_abstract
            && current.labels_seen.is_empty();
        if repeats || body_heading {
            current.closed = true;
        }
        if current.closed {
            let key = crate::id::normalise_text(paragraph);
            let known = current
                .raw
                .abstract_text
                .split('\n')
                .any(|p| crate::id::normalise_text(p) == key);
            if !known {
                current.left_out += 1;
            }
            return;
        }
        current.labels_seen.extend(
            find_labels(paragraph)
                .iter()
                .map(|m| paragraph[m.start..m.end].to_lowercase()),
        );
        RawRecord::push_paragraph(&mut current.raw.abstract_text, paragraph);
        current.has_abstract = true;
    }

    /// Marks where the current record starts, the first time it gets content.
    fn touch(&mut self, line_no: usize, offset: usize) {
        if !self.current.started {
            self.current.started = true;
            self.current.raw.line = line_no;
            self.current.raw.span = offset..offset;
        }
    }

    fn start_record(&mut self, line_no: usize, offset: usize) {
        let (line_no, offset) = match self.pending_start.take() {
            Some(start) if start.0 < line_no => start,
            _ => (line_no, offset),
        };
        self.close_current(offset);
        self.touch(line_no, offset);
        self.current.raw.extra.append(&mut self.pending);
    }

    fn close_current(&mut self, end: usize) {
        let mut done = std::mem::take(&mut self.current);
        done.raw.span.end = end;
        if done.left_out > 0 {
            self.parsed.warnings.push(Warning::new(
                done.raw.line,
                format!(
                    "{} paragraph(s) after the end of the abstract left out (a section label came again: the article's full text?)",
                    done.left_out
                ),
            ));
        }
        if !done.raw.is_empty() {
            self.parsed.records.push(done.raw);
        }
        self.pending_label = None;
    }

    fn header(&mut self, header: Header<'_>) {
        let raw = &mut self.current.raw;
        match header {
            Header::Year(year) => raw.date = year.to_string(),
            Header::Volume(volume, issue) => {
                raw.volume = volume.to_string();
                raw.issue = issue.unwrap_or_default().to_string();
            }
            Header::Pages(pages) => raw.start_page = pages.to_string(),
            Header::Journal(journal) => raw.journal = journal.to_string(),
            Header::Authors(inline) => {
                raw.authors
                    .extend(split_names(inline).iter().map(|n| n.to_string()));
                self.expect = Expect::Authors;
            }
            Header::Citation(c) => {
                raw.journal = c.journal.to_string();
                raw.date = c.year.to_string();
                raw.volume = c.volume.to_string();
                raw.issue = c.issue.to_string();
                raw.start_page = c.pages.to_string();
                if !c.doi.is_empty() {
                    raw.doi = c.doi.to_string();
                }
            }
        }
    }

    fn trailer(&mut self, trailer: Trailer<'_>, line_no: usize, offset: usize) {
        match trailer {
            Trailer::Keywords(list) => self.field("Keywords", list),
            Trailer::Doi(doi) => self.field("DOI", doi),
            // A date after an abstract heads the next article on pages that list several;
            // with one article it returns to it at the end.
            Trailer::Date(date) if self.current.has_abstract => {
                self.pending_start.get_or_insert((line_no, offset));
                self.pending
                    .push(("published".to_string(), date.trim().to_string()));
            }
            Trailer::Date(date) => self.field("Published", date),
            Trailer::Field(key, value) => self.field(key, value),
            Trailer::Heading(heading) => {
                self.heading = heading.to_string();
                self.expect = Expect::Value;
            }
            Trailer::References => self.expect = Expect::References,
            Trailer::List(heading) => {
                self.heading = heading.to_string();
                self.expect = Expect::List;
            }
            Trailer::Ids(pairs) => {
                for (key, value) in pairs {
                    self.field(key, value);
                }
            }
        }
    }

    /// Files a `key: value` pair from a metadata table or heading under the right field.
    fn field(&mut self, key: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let raw = &mut self.current.raw;
        match key.trim().to_lowercase().as_str() {
            "journal" | "source" | "journal title" => raw.journal = value.to_string(),
            "doi" | "dois" => raw.doi = value.to_string(),
            "publication types" | "publication type" => {
                raw.extra
                    .push(("publication type".to_string(), value.to_string()));
            }
            "keywords" | "keyword" | "key words" => {
                raw.keywords
                    .extend(value.split([',', ';']).map(|k| k.trim().to_string()));
            }
            "volume" => raw.volume = value.to_string(),
            "issue" | "number" => raw.issue = value.to_string(),
            "pages" => raw.start_page = value.to_string(),
            "publication status" | "published" | "publication date" | "date" => {
                if raw.date.is_empty() {
                    raw.date = value.to_string();
                }
                raw.extra
                    .push((key.trim().to_lowercase(), value.to_string()));
            }
            "original language" => raw.extra.push(("language".to_string(), value.to_string())),
            other => raw.extra.push((other.to_string(), value.to_string())),
        }
    }

    fn finish(mut self) -> Parsed {
        self.current.raw.extra.append(&mut self.pending);
        self.pending_start = None;
        if self.parsed.records.is_empty()
            && !self.current.has_abstract
            && self.current.raw.title.is_empty()
        {
            self.title_from_candidate();
        } else {
            self.drop_candidate();
        }
        let end = self.text.len();
        self.close_current(end);
        for record in &mut self.parsed.records {
            record.line = line_at(self.text, record.span.start);
        }
        self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_page_with_furniture_around_title_and_abstract() {
        let page = "Add to saved papers\n\nA study of things in general practice\n\nBACKGROUND: Why we did it.\n\nMETHODS: What we did.\n\nFull text links\nFor the best experience, use the Read mobile app\n";
        let parsed = parse(page);
        assert_eq!(parsed.records.len(), 1, "{parsed:?}");
        let r = &parsed.records[0];
        assert_eq!(r.title, "A study of things in general practice");
        assert_eq!(
            r.abstract_text,
            "BACKGROUND: Why we did it.\nMETHODS: What we did."
        );
        assert_eq!(r.line, 3);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn results_page_records_open_at_metadata_after_an_abstract() {
        let long = "We did a thing. ".repeat(12);
        let page = format!(
            "2018 ◽\nAuthor(s):\nAnn Lee ◽\nBo Chan\n\nFirst {long}\n\nAuthor(s):\nCy Dee\n\nSecond {long}\n"
        );
        let parsed = parse(&page);
        let authors: Vec<_> = parsed.records.iter().map(|r| r.authors.clone()).collect();
        assert_eq!(authors, [vec!["Ann Lee", "Bo Chan"], vec!["Cy Dee"]]);
        assert_eq!(parsed.records[0].date, "2018");
        assert_eq!(parsed.records[1].line, 8);
    }

    #[test]
    fn title_author_line_and_citation_on_a_generic_page() {
        let page = "Social prescribing in deprived areas\nJane Doe, John A. Smith and Ann Lee\nBr J Gen Pract. 2021;71(707):e413-e422. doi: 10.3399/BJGP.2020.0856.\nAbstract\nShort unlabelled abstract.\n";
        let parsed = parse(page);
        let r = &parsed.records[0];
        assert_eq!(r.title, "Social prescribing in deprived areas");
        assert_eq!(r.authors, ["Jane Doe", "John A. Smith", "Ann Lee"]);
        assert_eq!(
            (r.journal.as_str(), r.volume.as_str(), r.doi.as_str()),
            ("Br J Gen Pract", "71", "10.3399/BJGP.2020.0856")
        );
        assert_eq!(r.abstract_text, "Short unlabelled abstract.");
    }

    #[test]
    fn label_lines_join_the_text_below_them() {
        let parsed = parse("Abstract\nBackground:\nWhy.\nAim:\nWhat for.\nPublisher\nSome Press\n");
        let r = &parsed.records[0];
        assert_eq!(r.abstract_text, "Background: Why.\nAim: What for.");
        assert_eq!(
            r.extra,
            [("publisher".to_string(), "Some Press".to_string())]
        );
    }
}
