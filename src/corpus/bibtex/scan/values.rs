//! Values: braced and quoted pieces, numbers and macros joined by `#`, and the recoveries
//! when a value's closing delimiter is missing or text follows it.

use super::{FIELD_AHEAD, FIELD_OR_CLOSE_LINE, MAX_RECOVERIES, Scanner, Value};

/// Macro expansions may add at most this many times the file's size in text.
const MACRO_BUDGET_FACTOR: usize = 4;

impl Scanner<'_> {
    /// A value: pieces (`{...}`, `"..."`, numbers, macros) joined by `#`.
    pub(super) fn value(
        &mut self,
        mut pos: usize,
        close: u8,
        limit: usize,
        name: &str,
        guarded: bool,
        recoveries: &mut usize,
    ) -> Value {
        let mut text = String::new();
        loop {
            pos = self.skip_space(pos, limit);
            let Some(&c) = self.bytes.get(pos).filter(|_| pos < limit) else {
                return Value {
                    text,
                    next: pos,
                    broken: true,
                    cut: false,
                };
            };
            match c {
                b'{' | b'"' => match self.matching(pos, limit, guarded) {
                    Some(end) => {
                        text.push_str(&self.text[pos + 1..end]);
                        pos = end + 1;
                    }
                    None => return self.unterminated(pos, limit, name, text, recoveries),
                },
                c if c.is_ascii_alphanumeric()
                    || matches!(c, b'_' | b'-' | b'.' | b':' | b'+' | b'/') =>
                {
                    let start = pos;
                    while pos < limit
                        && !self.bytes[pos].is_ascii_whitespace()
                        && !matches!(
                            self.bytes[pos],
                            b',' | b'#' | b'{' | b'}' | b'"' | b'=' | b'%'
                        )
                        && self.bytes[pos] != close
                    {
                        pos += 1;
                    }
                    let token = &self.text[start..pos];
                    text.push_str(&self.expand(token, start, name));
                }
                _ => {
                    self.warn(pos, format!("field `{name}` has no value"));
                    return Value {
                        text,
                        next: pos,
                        broken: false,
                        cut: false,
                    };
                }
            }
            let after = self.skip_space(pos, limit);
            if self.bytes.get(after) == Some(&b'#') && after < limit {
                pos = after + 1;
                continue;
            }
            return self.trailing_text(pos, close, limit, name, text);
        }
    }

    /// Text after a value on the same line (`{Foo} bar},` from an unbalanced brace) is kept in
    /// the value; `name =` there is a field that lacks its comma.
    pub(super) fn trailing_text(
        &mut self,
        pos: usize,
        close: u8,
        limit: usize,
        name: &str,
        mut text: String,
    ) -> Value {
        let mut p = pos;
        while p < limit && matches!(self.bytes[p], b' ' | b'\t' | b'\r') {
            p += 1;
        }
        let next = self.bytes.get(p).copied();
        if p >= limit
            || matches!(next, Some(b',' | b'\n' | b'%'))
            || next == Some(close)
            || FIELD_AHEAD.is_match(&self.text[p..limit])
        {
            return Value {
                text,
                next: pos,
                broken: false,
                cut: false,
            };
        }
        let end = self.line_end(p).min(limit);
        let line = &self.text[pos..end];
        let kept = line.trim_end().strip_suffix(',').unwrap_or(line.trim_end());
        self.warn(
            p,
            format!("text after the value of `{name}` (unbalanced brace?); kept in the value"),
        );
        text.push_str(kept);
        Value {
            text,
            next: pos + kept.len(),
            broken: false,
            cut: false,
        }
    }

    /// A value whose closing delimiter is missing: cut before the next `name =` or closing
    /// line, and reading goes on from there.
    pub(super) fn unterminated(
        &mut self,
        open: usize,
        limit: usize,
        name: &str,
        mut text: String,
        recoveries: &mut usize,
    ) -> Value {
        *recoveries += 1;
        let delimiter = if self.bytes[open] == b'"' { "\"" } else { "}" };
        let cut = self
            .next_field_line(open, limit)
            .filter(|_| *recoveries <= MAX_RECOVERIES);
        let end = cut.unwrap_or(limit);
        let piece = self.text[open + 1..end].trim_end();
        text.push_str(piece.strip_suffix(',').unwrap_or(piece));
        match cut {
            Some(cut) => {
                self.warn(
                    open,
                    format!(
                        "value of `{name}` has no closing `{delimiter}`; cut before line {}",
                        self.lines.line(cut)
                    ),
                );
                Value {
                    text,
                    next: cut,
                    broken: false,
                    cut: true,
                }
            }
            None => {
                self.warn(
                    open,
                    format!("value of `{name}` has no closing `{delimiter}`"),
                );
                Value {
                    text,
                    next: limit,
                    broken: true,
                    cut: false,
                }
            }
        }
    }

    /// Expands a bare token: a number as is, else an `@string` or month macro.
    pub(super) fn expand(&mut self, token: &str, at: usize, name: &str) -> String {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            return token.to_string();
        }
        let lower = token.to_ascii_lowercase();
        if let Some(value) = self.macros.get(&lower) {
            // Macros built from macros can grow exponentially (`@string{a = a # a}`).
            if self.expanded + value.len() > self.text.len() * MACRO_BUDGET_FACTOR {
                self.warn(
                    at,
                    format!("macro `{token}` not expanded: the file expands too much text"),
                );
                return token.to_string();
            }
            self.expanded += value.len();
            return value.clone();
        }
        if let Some(month) = month(&lower) {
            return month.to_string();
        }
        self.warn(
            at,
            format!("undefined macro `{token}` in field `{name}`; kept as written"),
        );
        token.to_string()
    }

    /// The offset of the delimiter closing the `{` or `"` at `open`, before `limit`. Braces
    /// nest (in quoted values too); a backslash escapes the next character. In `guarded`
    /// mode a value may not run across a `name =` line.
    pub(super) fn matching(&self, open: usize, limit: usize, guarded: bool) -> Option<usize> {
        let (opener, closer, quoted) = match self.bytes[open] {
            b'"' => (b'{', b'}', true),
            b'(' => (b'(', b')', false),
            _ => (b'{', b'}', false),
        };
        let mut depth = 0usize;
        let mut pos = open + 1;
        while pos < limit {
            let c = self.bytes[pos];
            if c == b'\\' {
                pos += 2;
                continue;
            }
            if quoted && c == b'"' && depth == 0 {
                return Some(pos);
            }
            if c == opener {
                depth += 1;
            } else if c == closer {
                if depth > 0 {
                    depth -= 1;
                } else if !quoted {
                    return Some(pos);
                }
                // A stray `}` inside a quoted value stays text.
            } else if c == b'\n'
                && guarded
                && FIELD_OR_CLOSE_LINE.is_match(&self.text[pos + 1..limit])
            {
                return None;
            }
            pos += 1;
        }
        None
    }
}

/// The standard month macros.
fn month(name: &str) -> Option<&'static str> {
    Some(match name {
        "jan" => "January",
        "feb" => "February",
        "mar" => "March",
        "apr" => "April",
        "may" => "May",
        "jun" => "June",
        "jul" => "July",
        "aug" => "August",
        "sep" => "September",
        "oct" => "October",
        "nov" => "November",
        "dec" => "December",
        _ => return None,
    })
}
