//! Checks every parser's output must pass, whatever the input: a record's span is a slice of
//! the text (the raw view shows it), and its line is a line of the text.

use abstriage::corpus::raw::Parsed;

/// Panics (a fuzzer finding) when `parsed`, read from `text`, breaks a parser invariant.
pub fn check_parsed(text: &str, parsed: &Parsed) {
    let lines = text.matches('\n').count() + 1;
    for record in &parsed.records {
        assert!(
            text.get(record.span.clone()).is_some(),
            "span {:?} is not a slice of the {}-byte text",
            record.span,
            text.len()
        );
        assert!(
            (1..=lines).contains(&record.line),
            "line {} outside 1..={lines}",
            record.line
        );
    }
    for warning in &parsed.warnings {
        assert!(
            warning.line <= lines,
            "warning line {} > {lines}",
            warning.line
        );
    }
}
