//! A small query language for choosing studies from a script (`abstriage mark --where`):
//! `title:rat* -status:include year:<2000`. Clauses separated by spaces must all hold; `-`
//! negates one; `field:term` looks in one field, a bare term in title, abstract and keywords.
//! Terms mean what they mean in `[highlight]`: case-insensitive whole words, `*` for any
//! letters, a quoted phrase whatever its spacing. The language is described in `docs/query.md`.

use std::fmt;

use regex::Regex;

use crate::decisions::{Decision, Status};
use crate::highlight::term_regex;
use crate::record::Record;

/// A field a clause can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The title as the source gives it (not a derived `[label]`).
    Title,
    /// The abstract's text.
    Abstract,
    /// Any author.
    Authors,
    /// The journal.
    Journal,
    /// Any keyword.
    Keywords,
    /// The publication year.
    Year,
    /// The file (relative to the corpus folder) of any of the study's records.
    File,
    /// The reviewer's decision: undecided, include, exclude or maybe.
    Status,
    /// Any of the reviewer's exclusion reasons.
    Reason,
    /// Any of the reviewer's themes.
    Theme,
    /// The reviewer's note.
    Note,
}

impl Field {
    /// Every field, in the order error messages list them.
    pub const ALL: [Field; 11] = [
        Field::Title,
        Field::Abstract,
        Field::Authors,
        Field::Journal,
        Field::Keywords,
        Field::Year,
        Field::File,
        Field::Status,
        Field::Reason,
        Field::Theme,
        Field::Note,
    ];

    /// The name written before the colon.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Abstract => "abstract",
            Field::Authors => "authors",
            Field::Journal => "journal",
            Field::Keywords => "keywords",
            Field::Year => "year",
            Field::File => "file",
            Field::Status => "status",
            Field::Reason => "reason",
            Field::Theme => "theme",
            Field::Note => "note",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// Fields a bare term (no `field:`) looks in.
const BARE_FIELDS: &[Field] = &[Field::Title, Field::Abstract, Field::Keywords];

/// A query that does not parse: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query column {column}: expected {expected}, found {found}")]
pub struct QueryError {
    /// 1-based column (in characters) where the problem is.
    pub column: usize,
    /// What would have been right there.
    pub expected: String,
    /// What is there instead, quoted, or `the end of the query`.
    pub found: String,
}

/// A parsed query, ready to test studies.
#[derive(Debug, Clone)]
pub struct Query {
    clauses: Vec<Clause>,
}

#[derive(Debug, Clone)]
struct Clause {
    negated: bool,
    test: Test,
}

#[derive(Debug, Clone)]
enum Test {
    /// A term in any value of any of the fields.
    Text(Scope, Term),
    /// A year within the bounds (inclusive).
    Year { min: Option<u16>, max: Option<u16> },
    /// The reviewer's verdict (`None`: undecided).
    Status(Option<Status>),
}

/// Where a term is looked for.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// A bare term: title, abstract and keywords.
    Bare,
    /// `field:term`.
    One(Field),
}

impl Scope {
    fn fields(self) -> impl Iterator<Item = Field> {
        let (bare, one) = match self {
            Scope::Bare => (Some(BARE_FIELDS), None),
            Scope::One(field) => (None, Some(field)),
        };
        bare.into_iter().flatten().copied().chain(one)
    }
}

#[derive(Debug, Clone)]
enum Term {
    /// `*` alone: the field is not empty.
    Any,
    /// A word, wildcard word or phrase.
    Pattern(Regex),
}

/// What a query is tested against: a study's record (the merged record for a study found
/// several times), the files its records come from, and the reviewer's decision on it.
#[derive(Debug, Clone, Copy)]
pub struct Study<'a> {
    /// The study's record.
    pub record: &'a Record,
    /// Files of all its records.
    pub files: &'a [&'a str],
    /// The reviewer's own decision, if any.
    pub decision: Option<&'a Decision>,
}

impl Query {
    /// Parses `text`. An empty query is an error: a bulk decision on everything must be asked
    /// for explicitly (`*`).
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        Parser::new(text).query()
    }

    /// Whether every clause holds for `study`.
    pub fn matches(&self, study: &Study<'_>) -> bool {
        self.clauses
            .iter()
            .all(|clause| clause.test.holds(study) != clause.negated)
    }
}

impl Test {
    fn holds(&self, study: &Study<'_>) -> bool {
        match self {
            Test::Text(scope, term) => scope.fields().any(|field| {
                let mut found = false;
                each_value(field, study, &mut |value| {
                    found = found
                        || match term {
                            Term::Any => !value.trim().is_empty(),
                            Term::Pattern(regex) => regex.is_match(value),
                        };
                });
                found
            }),
            Test::Year { min, max } => study
                .record
                .year
                .is_some_and(|y| min.is_none_or(|m| y >= m) && max.is_none_or(|m| y <= m)),
            Test::Status(status) => study.decision.and_then(|d| d.status) == *status,
        }
    }
}

/// Calls `f` with each text value of `field` in `study` (list fields one value per item, so a
/// phrase never runs from one author or keyword into the next).
fn each_value(field: Field, study: &Study<'_>, f: &mut dyn FnMut(&str)) {
    let record = study.record;
    let decision = study.decision;
    match field {
        Field::Title => f(&record.title),
        Field::Abstract => record.sections.iter().for_each(|s| f(&s.text)),
        Field::Authors => record.authors.iter().for_each(|a| f(a)),
        Field::Journal => record.journal.iter().for_each(|j| f(j)),
        Field::Keywords => record.keywords.iter().for_each(|k| f(k)),
        Field::File => study.files.iter().for_each(|file| f(file)),
        Field::Reason => decision.iter().flat_map(|d| &d.reasons).for_each(|r| f(r)),
        Field::Theme => decision.iter().flat_map(|d| &d.themes).for_each(|t| f(t)),
        Field::Note => decision.iter().for_each(|d| f(&d.note)),
        // Not text: tested by their own clauses.
        Field::Year | Field::Status => {}
    }
}

/// The words a status clause accepts, for messages.
const STATUS_WORDS: &str = "undecided, include, exclude or maybe";

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn new(text: &str) -> Self {
        Self {
            chars: text.chars().collect(),
            pos: 0,
        }
    }

    fn query(mut self) -> Result<Query, QueryError> {
        let mut clauses = Vec::new();
        loop {
            self.skip_spaces();
            if self.at_end() {
                break;
            }
            clauses.push(self.clause()?);
        }
        if clauses.is_empty() {
            return Err(self.error("a clause (a term, a `field:term`, or `*` for every study)"));
        }
        Ok(Query { clauses })
    }

    fn clause(&mut self) -> Result<Clause, QueryError> {
        let negated = self.peek() == Some('-');
        if negated {
            self.pos += 1;
            if self.at_clause_end() {
                return Err(self.error("a term after `-`"));
            }
        }
        let word_start = self.pos;
        let name: String = self.take_while(|c| c.is_alphabetic());
        let field = if !name.is_empty() && self.peek() == Some(':') {
            let field = Field::from_name(&name).ok_or_else(|| QueryError {
                column: word_start + 1,
                expected: format!(
                    "a field ({}), or the term in quotes",
                    Field::ALL.map(Field::name).join(", ")
                ),
                found: format!("`{name}:`"),
            })?;
            self.pos += 1;
            if self.at_clause_end() {
                return Err(self.error(&format!("a term after `{}:`", field.name())));
            }
            Some(field)
        } else {
            self.pos = word_start;
            None
        };
        let value_start = self.pos;
        let value = self.value()?;
        if !self.at_clause_end() {
            return Err(self.error("a space or the end of the query"));
        }
        let test = match field {
            None => Test::Text(Scope::Bare, term(&value, value_start)?),
            Some(Field::Year) => year(&value, value_start)?,
            Some(Field::Status) => status(&value, value_start)?,
            Some(field) => Test::Text(Scope::One(field), term(&value, value_start)?),
        };
        Ok(Clause { negated, test })
    }

    /// A quoted phrase or a word up to the next space (or quote).
    fn value(&mut self) -> Result<String, QueryError> {
        if self.peek() != Some('"') {
            return Ok(self.take_while(|c| !c.is_whitespace() && c != '"'));
        }
        let open = self.pos;
        self.pos += 1;
        let phrase = self.take_while(|c| c != '"');
        if self.at_end() {
            return Err(QueryError {
                column: open + 1,
                expected: "a closing `\"` for this phrase".into(),
                found: "the end of the query".into(),
            });
        }
        self.pos += 1;
        Ok(phrase)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn skip_spaces(&mut self) {
        self.take_while(char::is_whitespace);
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn at_clause_end(&self) -> bool {
        self.peek().is_none_or(char::is_whitespace)
    }

    fn error(&self, expected: &str) -> QueryError {
        QueryError {
            column: self.pos + 1,
            expected: expected.to_string(),
            found: describe(self.peek()),
        }
    }
}

fn describe(c: Option<char>) -> String {
    match c {
        None => "the end of the query".into(),
        Some(c) if c.is_whitespace() => "a space".into(),
        Some(c) => format!("`{c}`"),
    }
}

fn term(value: &str, start: usize) -> Result<Term, QueryError> {
    let value = value.trim();
    if !value.is_empty() && value.chars().all(|c| c == '*') {
        return Ok(Term::Any);
    }
    if !value.chars().any(char::is_alphanumeric) {
        return Err(QueryError {
            column: start + 1,
            expected: "a term with a letter or digit (or `*` alone: the field is not empty)".into(),
            found: if value.is_empty() {
                "an empty phrase".into()
            } else {
                format!("`{value}`")
            },
        });
    }
    term_regex(value)
        .map(Term::Pattern)
        .map_err(|e| QueryError {
            column: start + 1,
            expected: "a shorter term".into(),
            found: e.to_string(),
        })
}

fn year(value: &str, start: usize) -> Result<Test, QueryError> {
    let bad = |offset: usize, found: &str| QueryError {
        column: start + offset + 1,
        expected: "a year (2010), a comparison (<2000, >=2015) or a range (2000..2010)".into(),
        found: if found.is_empty() {
            "nothing".into()
        } else {
            format!("`{found}`")
        },
    };
    let number = |text: &str, offset: usize| -> Result<u16, QueryError> {
        if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad(offset, text));
        }
        text.parse().map_err(|_| bad(offset, text))
    };
    let (min, max) = if let Some((from, to)) = value.split_once("..") {
        let min = (!from.is_empty()).then(|| number(from, 0)).transpose()?;
        let to_offset = from.chars().count() + 2;
        let max = (!to.is_empty())
            .then(|| number(to, to_offset))
            .transpose()?;
        if min.is_none() && max.is_none() {
            return Err(bad(0, value));
        }
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            return Err(QueryError {
                column: start + 1,
                expected: format!("the earlier year first ({b}..{a})"),
                found: format!("`{value}`"),
            });
        }
        (min, max)
    } else if let Some(rest) = value.strip_prefix(">=") {
        (Some(number(rest, 2)?), None)
    } else if let Some(rest) = value.strip_prefix("<=") {
        (None, Some(number(rest, 2)?))
    } else if let Some(rest) = value.strip_prefix('>') {
        (Some(number(rest, 1)?.saturating_add(1)), None)
    } else if let Some(rest) = value.strip_prefix('<') {
        (None, Some(number(rest, 1)?.saturating_sub(1)))
    } else {
        let year = number(value, 0)?;
        (Some(year), Some(year))
    };
    Ok(Test::Year { min, max })
}

fn status(value: &str, start: usize) -> Result<Test, QueryError> {
    if value.eq_ignore_ascii_case("undecided") {
        return Ok(Test::Status(None));
    }
    value
        .parse::<Status>()
        .map(|s| Test::Status(Some(s)))
        .map_err(|_| QueryError {
            column: start + 1,
            expected: STATUS_WORDS.into(),
            found: format!("`{value}`"),
        })
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests;
