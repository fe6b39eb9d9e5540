//! What a format parser extracts from one record, before any cleaning.

/// One record's fields exactly as its file gave them (joined continuation lines aside).
/// Cleaning turns it into a [`crate::record::Record`]; the id is computed from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRecord {
    /// Title field.
    pub title: String,
    /// Author names, one per entry.
    pub authors: Vec<String>,
    /// Date or year field in whatever form the source uses (`2021/06/01`, `Published - 3 Mar 2023`).
    pub date: String,
    /// Journal or container title.
    pub journal: String,
    /// Volume.
    pub volume: String,
    /// Issue.
    pub issue: String,
    /// First page, or the whole range / article number.
    pub start_page: String,
    /// Last page, when given separately.
    pub end_page: String,
    /// DOI field.
    pub doi: String,
    /// Abstract; paragraphs separated by `\n`.
    pub abstract_text: String,
    /// Keywords, one per entry.
    pub keywords: Vec<String>,
    /// Everything else the source gave, as (readable name, value) in source order.
    pub extra: Vec<(String, String)>,
    /// 1-based line where the record starts in the decoded file.
    pub line: usize,
    /// Byte range of the record in the decoded file text.
    pub span: std::ops::Range<usize>,
}

impl RawRecord {
    /// Whether the parser found anything at all (a framing line alone is not a record).
    pub fn is_empty(&self) -> bool {
        self.title.trim().is_empty()
            && self.abstract_text.trim().is_empty()
            && self.authors.is_empty()
            && self.doi.trim().is_empty()
            && self.journal.trim().is_empty()
    }

    /// The values kept in `extra` under `name`, in source order.
    pub fn extra_values(&self, name: &str) -> Vec<&str> {
        self.extra
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A record that starts at 1-based line `line`, byte `start` of its file, with nothing yet.
    pub fn starting_at(line: usize, start: usize) -> Self {
        Self {
            line,
            span: start..start,
            ..Self::default()
        }
    }

    /// Appends `value` to a multi-valued text field, separating paragraphs with `\n`.
    pub fn push_paragraph(field: &mut String, value: &str) {
        if !field.is_empty() {
            field.push('\n');
        }
        field.push_str(value);
    }
}

/// A problem found while reading a file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// 1-based line in the file (0 when it concerns the whole file).
    pub line: usize,
    /// What a person should know.
    pub message: String,
}

impl Warning {
    /// A warning about `line`.
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

/// What a parser returns for one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Records in file order.
    pub records: Vec<RawRecord>,
    /// Problems found on the way (the records above are still good).
    pub warnings: Vec<Warning>,
}

/// 1-based line number of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
