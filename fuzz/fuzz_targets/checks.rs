//! What every fuzz target checks, in one place: the libFuzzer targets beside this file, the
//! stable harness (`examples/fuzz_stable.rs`) and `tests/hostile.rs` include it with `#[path]`,
//! so a finding reproduces the same way in all three. Each check panics (a finding) when an
//! invariant breaks; returning is a pass.
#![allow(dead_code)] // each libFuzzer target uses one check

use std::path::Path;

use abstriage::corpus::raw::Parsed;
use abstriage::files::TomlFileError;

/// Every target, by the name of its `fuzz_targets/<name>.rs`.
pub const TARGETS: [&str; 14] = [
    "ris",
    "medline",
    "medline_ovid",
    "wos",
    "bibtex",
    "table",
    "endnote_xml",
    "endnote_tagged",
    "web",
    "read_bytes",
    "clean",
    "decisions",
    "review",
    "config",
];

/// Runs target `name` on `bytes` as libFuzzer would: the text targets skip input that is not
/// UTF-8 (`fuzz_target!(|text: &str| ..)` does), `read_bytes` takes any bytes. Returns false for
/// an unknown name.
pub fn run(name: &str, bytes: &[u8]) -> bool {
    if name == "read_bytes" {
        read_bytes(bytes);
        return true;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return TARGETS.contains(&name);
    };
    use abstriage::corpus::{bibtex, endnote, medline, ris, table, web, wos};
    match name {
        "ris" => parsed(text, &ris::parse(text)),
        "medline" => parsed(text, &medline::parse(text)),
        "medline_ovid" => parsed(text, &medline::parse_ovid(text)),
        "wos" => parsed(text, &wos::parse(text)),
        "bibtex" => parsed(text, &bibtex::parse(text)),
        "table" => parsed(text, &table::parse(text)),
        "endnote_xml" => parsed(text, &endnote::parse(text)),
        "endnote_tagged" => parsed(text, &endnote::parse_tagged(text)),
        "web" => parsed(text, &web::parse(text)),
        "clean" => clean(text),
        "decisions" => decisions(text),
        "review" => review(text),
        "config" => config(text),
        _ => return false,
    }
    true
}

/// A parser's output read from `text`: every record's span is a slice of the text (the raw
/// view shows it) and its line is a line of it; so is every warning's.
pub fn parsed(text: &str, parsed: &Parsed) {
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

/// The whole reader on any bytes: the report's counts agree with the records, and a skipped
/// file has none.
pub fn read_bytes(bytes: &[u8]) {
    let (report, records) = abstriage::corpus::read_bytes("fuzz.txt", bytes);
    assert_eq!(report.records, records.len());
    assert!(report.no_title <= records.len() && report.no_abstract <= records.len());
    if report.skipped.is_some() {
        assert!(records.is_empty());
    }
}

/// The cleaner: no section without both label and text, and a title has no outer spaces.
pub fn clean(text: &str) {
    let cleaned = abstriage::clean::clean_abstract(text);
    for section in &cleaned.sections {
        assert!(section.label.is_some() || !section.text.is_empty());
    }
    let title = abstriage::clean::clean_title(text);
    assert_eq!(title.trim(), title, "a clean title has no outer spaces");
}

/// The decisions file loader. What it accepts must save and reload with nothing a reviewer
/// decided lost: same reviewer, ids, verdicts, reasons, themes, notes, titles and duplicate
/// corrections, and a second save identical to the first. Times are stored to the second, so a
/// hand-written `decided = ...T10:03:00.5Z` loses its fraction: they are not compared.
pub fn decisions(text: &str) {
    use abstriage::decisions::file::{from_toml, to_toml};
    let path = Path::new("screening/fuzz.toml");
    let Ok((reviewer, decisions)) = from_toml(path, text) else {
        return;
    };
    let saved = to_toml(&reviewer, &decisions);
    let (again_reviewer, again) = from_toml(path, &saved)
        .unwrap_or_else(|e| panic!("a saved file does not reload: {e}\n{saved}"));
    assert_eq!(again_reviewer, reviewer);
    assert_eq!(again.len(), decisions.len());
    for ((id, before), (again_id, after)) in decisions.iter().zip(again.iter()) {
        assert_eq!(again_id, id);
        let kept = |d: &abstriage::decisions::Decision| {
            (
                d.status,
                d.reasons.clone(),
                d.themes.clone(),
                d.note.clone(),
                d.title.clone(),
            )
        };
        assert_eq!(kept(after), kept(before), "{id}");
    }
    assert_eq!(again.duplicates(), decisions.duplicates());
    assert_eq!(
        to_toml(&again_reviewer, &again),
        saved,
        "a second save differs"
    );
}

/// The review protocol loader (`review.toml`, as `Review::load` reads it): an error, never a
/// panic, and the error points into the file.
pub fn review(text: &str) {
    let path = Path::new("review.toml");
    if let Err(e) = abstriage::files::parse_toml::<abstriage::review::Review>(path, text) {
        located(&e, path, text);
    }
}

/// The user config merged over the built-in defaults, as `Config::load` does: an error naming
/// file, line and column inside the file, never a panic.
pub fn config(text: &str) {
    let path = Path::new("config.toml");
    let mut config = abstriage::config::Config::defaults().expect("the built-in defaults parse");
    if let Err(e) = config.merge(path, text) {
        located(&e, path, text);
    }
}

/// `e`, an error reading `text` from `path`, names the file and, where located, a line and
/// column inside the text (one past its end at most), and says what is wrong.
fn located(e: &TomlFileError, path: &Path, text: &str) {
    assert_eq!(e.path, path);
    assert!(!e.message.is_empty(), "an error without a message: {e:?}");
    if let Some(at) = e.location {
        let lines = text.matches('\n').count() + 1;
        assert!((1..=lines).contains(&at.line), "{e:?} in {lines} lines");
        assert!(at.col >= 1, "{e:?}");
    }
    let _ = e.to_string();
}
