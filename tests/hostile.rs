//! Hostile inputs: what a broken export, a wrong file or a crafted one could hold. Each goes
//! through the whole reader (`read_bytes`: decoding, workbook detection, format detection,
//! parsing, cleaning) and must come back, without a panic, with a sensible result.
//!
//! The plain tests run them at sizes that keep them quick in a debug build;
//! `hostile_inputs_at_full_size` (ignored: `cargo test --release --test hostile -- --ignored
//! --nocapture`) runs the sizes named in docs/fuzzing.md — a 100 MB line, a million columns,
//! braces 100,000 deep — and prints how long each took (timings are recorded there, never
//! asserted); a debug build runs it at a tenth of those sizes unless `HOSTILE_SCALE=1`.

use std::path::Path;
use std::time::Instant;

use abstriage::corpus::{FileReport, Format, read_bytes};
use abstriage::record::Record;

/// The invariants the fuzz targets check (`fuzz/`), shared so a finding replays here.
#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

/// One hostile input, and what reading it must give.
struct Case {
    name: String,
    bytes: Vec<u8>,
    check: fn(&FileReport, &[Record]),
}

/// `count` copies of `unit`, as one string.
fn repeat(unit: &str, count: usize) -> String {
    unit.repeat(count)
}

/// Words of ordinary text, `bytes` long give or take a word.
fn words(bytes: usize) -> String {
    repeat("screening study abstract ", bytes / 25)
}

/// An RIS file with one record whose abstract is `abstract_text` (one line).
fn ris_with_abstract(abstract_text: &str) -> Vec<u8> {
    format!("TY  - JOUR\nTI  - A hostile abstract\nAB  - {abstract_text}\nER  - \n").into_bytes()
}

fn one_record(report: &FileReport, records: &[Record], format: Format) {
    assert_eq!(report.format, Some(format), "{report:?}");
    assert_eq!(records.len(), 1, "{report:?}");
}

fn ris_record(report: &FileReport, records: &[Record]) {
    one_record(report, records, Format::Ris);
    assert_eq!(records[0].title, "A hostile abstract");
}

fn ris_record_with_text(report: &FileReport, records: &[Record]) {
    ris_record(report, records);
    assert!(!records[0].sections.is_empty(), "the abstract was lost");
}

/// How big each kind of hostile input is made.
#[derive(Clone, Copy)]
struct Sizes {
    /// Bytes of a single line.
    line: usize,
    /// Depth of nested braces.
    depth: usize,
    /// Columns of a CSV row.
    columns: usize,
    /// Bytes of an abstract crafted against the cleaner.
    cleaner: usize,
}

/// The sizes of the brief (docs/fuzzing.md): run by the ignored test.
const FULL: Sizes = Sizes {
    line: 100_000_000,
    depth: 100_000,
    columns: 1_000_000,
    cleaner: 1_000_000,
};

/// Sizes that keep `cargo test` quick in a debug build, still far beyond real records.
const QUICK: Sizes = Sizes {
    line: 500_000,
    depth: 100_000,
    columns: 10_000,
    cleaner: 100_000,
};

impl Sizes {
    /// These sizes multiplied by `factor` (depth and columns at least 1).
    fn scaled(self, factor: f64) -> Self {
        let scale = |n: usize| ((n as f64 * factor) as usize).max(1);
        Self {
            line: scale(self.line),
            depth: scale(self.depth),
            columns: scale(self.columns),
            cleaner: scale(self.cleaner),
        }
    }
}

/// Single lines of `sizes.line` bytes in the shape of each line-based format.
fn long_lines(sizes: Sizes) -> Vec<Case> {
    let line_bytes = sizes.line;
    vec![
        Case {
            name: format!("one-line RIS of {line_bytes} bytes"),
            bytes: format!(
                "TY  - JOUR TI  - One line AU  - Doe, J. PY  - 2020 AB  - {} ER  - ",
                words(line_bytes)
            )
            .into_bytes(),
            check: |report, records| {
                one_record(report, records, Format::Ris);
                assert_eq!(records[0].title, "One line");
                assert_eq!(records[0].year, Some(2020));
                assert!(!records[0].sections.is_empty());
            },
        },
        Case {
            name: format!("RIS abstract line of {line_bytes} bytes"),
            bytes: ris_with_abstract(&words(line_bytes)),
            check: ris_record_with_text,
        },
        Case {
            name: format!("CSV with one cell of {line_bytes} bytes"),
            bytes: format!("Title,Abstract\nHuge cell,\"{}\"\n", words(line_bytes)).into_bytes(),
            check: |report, records| {
                one_record(report, records, Format::Table);
                assert_eq!(records[0].title, "Huge cell");
                assert!(!records[0].sections.is_empty());
            },
        },
        Case {
            name: format!("web text line of {line_bytes} bytes"),
            bytes: format!("A web page title\n\n{}\n", words(line_bytes)).into_bytes(),
            check: |report, records| {
                assert_eq!(report.format, Some(Format::WebText), "{report:?}");
                assert!(records.iter().any(|r| !r.sections.is_empty()));
            },
        },
        Case {
            name: format!("a line of {line_bytes} bytes without a newline or a space"),
            bytes: repeat("x", line_bytes).into_bytes(),
            check: |report, records| {
                // One long "paragraph" of one word: web text at most, never a panic.
                assert!(records.len() <= 1, "{report:?}");
            },
        },
    ]
}

/// A record of each other format whose abstract is one line of `sizes.line` bytes.
fn long_fields(sizes: Sizes) -> Vec<Case> {
    let text = words(sizes.line);
    let shapes = [
        (
            Format::Medline,
            format!("PMID- 1\nTI  - Long field\nAB  - {text}\n"),
        ),
        (
            Format::Ovid,
            format!("<1. >\nTI  - Long field\nAB  - {text}\n"),
        ),
        (
            Format::Wos,
            format!(
                "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI Long field\nAB {text}\nER\n\nEF\n"
            ),
        ),
        (
            Format::Bibtex,
            format!("@article{{long,\n  title = {{Long field}},\n  abstract = {{{text}}}\n}}\n"),
        ),
        (
            Format::EndnoteXml,
            format!(
                "<xml><records><record><titles><title>Long field</title></titles><abstract>{text}</abstract></record></records></xml>"
            ),
        ),
        (
            Format::EndnoteTagged,
            format!("%0 Journal Article\n%T Long field\n%X {text}\n"),
        ),
    ];
    shapes
        .into_iter()
        .map(|(format, body)| Case {
            name: format!("{format} abstract of {} bytes on one line", sizes.line),
            bytes: body.into_bytes(),
            check: match format {
                Format::Medline => |r, rs| long_field(r, rs, Format::Medline),
                Format::Ovid => |r, rs| long_field(r, rs, Format::Ovid),
                Format::Wos => |r, rs| long_field(r, rs, Format::Wos),
                Format::Bibtex => |r, rs| long_field(r, rs, Format::Bibtex),
                Format::EndnoteXml => |r, rs| long_field(r, rs, Format::EndnoteXml),
                _ => |r, rs| long_field(r, rs, Format::EndnoteTagged),
            },
        })
        .collect()
}

fn long_field(report: &FileReport, records: &[Record], format: Format) {
    one_record(report, records, format);
    assert_eq!(records[0].title, "Long field");
    assert!(!records[0].sections.is_empty(), "the abstract was lost");
}

/// Braces nested `sizes.depth` deep, and a CSV `sizes.columns` wide.
fn deep_and_wide(sizes: Sizes) -> Vec<Case> {
    let depth = sizes.depth;
    let mut cases = vec![];
    cases.push(Case {
        name: format!("BibTeX braces {depth} deep"),
        bytes: format!(
            "@article{{deep,\n  title = {{{}nested{}}},\n  abstract = {{Background: text.}}\n}}\n",
            repeat("{", depth),
            repeat("}", depth)
        )
        .into_bytes(),
        check: |report, records| {
            one_record(report, records, Format::Bibtex);
            assert_eq!(records[0].title, "nested");
        },
    });
    cases.push(Case {
        name: format!("BibTeX with {depth} unclosed braces"),
        bytes: format!(
            "@article{{open,\n  title = {{{}\n  abstract = {{Background: text.}}\n}}\n",
            repeat("{", depth)
        )
        .into_bytes(),
        check: |report, records| {
            assert_eq!(report.format, Some(Format::Bibtex), "{report:?}");
            assert!(records.len() <= 1);
            assert!(!report.warnings.is_empty(), "the broken value is reported");
        },
    });
    let spaces = sizes.line;
    cases.push(Case {
        name: format!("BibTeX author list with a run of {spaces} spaces"),
        // Found by fuzzing: each space of a run looked at the rest of the run (quadratic).
        bytes: format!(
            "@article{{runs,\n  title = {{Spaces}},\n  author = {{Doe, J{}Roe, K and Poe, E}}\n}}\n",
            repeat(" ", spaces)
        )
        .into_bytes(),
        check: |report, records| {
            one_record(report, records, Format::Bibtex);
            assert_eq!(records[0].title, "Spaces");
            assert_eq!(records[0].authors.len(), 2);
        },
    });
    let columns = sizes.columns;
    cases.push(Case {
        name: format!("CSV with {columns} columns"),
        bytes: {
            let extra: String = (0..columns).map(|i| format!(",c{i}")).collect();
            let values = repeat(",v", columns);
            format!("Title,Abstract{extra}\nMany columns,Background: text.{values}\n").into_bytes()
        },
        check: |report, records| {
            one_record(report, records, Format::Table);
            assert_eq!(records[0].title, "Many columns");
        },
    });
    cases
}

/// Abstracts of `sizes.cleaner` bytes crafted against the cleaner's regexes and loops.
fn cleaner_traps(sizes: Sizes) -> Vec<Case> {
    let cleaner_bytes = sizes.cleaner;
    let mut cases = vec![];
    let cleaner: [(&str, String); 12] = [
        (
            "label words",
            repeat(
                "Background Methods Results Conclusions ",
                cleaner_bytes / 39,
            ),
        ),
        (
            "label words with colons",
            repeat("Background: Methods: Results: ", cleaner_bytes / 30),
        ),
        ("'<' characters", repeat("<", cleaner_bytes)),
        ("'<a ' tag openings", repeat("<a ", cleaner_bytes / 3)),
        ("'&' entity starts", repeat("&amp", cleaner_bytes / 4)),
        (
            "repeated 'Abstract '",
            repeat("Abstract ", cleaner_bytes / 9),
        ),
        (
            "repeated 'Abstract: '",
            repeat("Abstract: ", cleaner_bytes / 10),
        ),
        ("'Ã' mojibake lead bytes", repeat("Ã", cleaner_bytes / 2)),
        ("'Ã£' mojibake pairs", repeat("Ã£", cleaner_bytes / 4)),
        ("'$' math openings", repeat("$\\", cleaner_bytes / 2)),
        ("sentence ends", repeat(". ", cleaner_bytes / 2)),
        ("semicolon breaks", repeat(".; ", cleaner_bytes / 3)),
    ];
    for (what, text) in cleaner {
        cases.push(Case {
            name: format!("abstract of {} bytes of {what}", text.len()),
            bytes: ris_with_abstract(&text),
            check: ris_record,
        });
    }
    // Lines an exporter might have wrapped: each joins the one before it, so the joined
    // paragraph grows with every line.
    let wrapped = repeat(
        "this line of an abstract is long enough to be wrapped text\n",
        cleaner_bytes / 58,
    );
    cases.push(Case {
        name: format!("abstract of {} bytes in wrapped lines", wrapped.len()),
        bytes: format!("Title,Abstract\nWrapped,\"{wrapped}\"\n").into_bytes(),
        check: |report, records| {
            one_record(report, records, Format::Table);
            assert_eq!(records[0].sections.len(), 1);
        },
    });
    let lines = repeat("Background\n", cleaner_bytes / 11);
    cases.push(Case {
        name: format!("abstract of {} bytes of label-only lines", lines.len()),
        bytes: format!("Title,Abstract\nLabels,\"{lines}\"\n").into_bytes(),
        check: |report, records| one_record(report, records, Format::Table),
    });
    cases
}

/// Workbooks whose sheets claim, or hold, cells a million rows apart.
fn workbooks() -> Vec<Case> {
    let mut cases = vec![];
    for (name, bytes) in [
        (
            "XLSX whose dimension claims every cell of the sheet",
            &include_bytes!("fixtures/hostile/huge-dimension.xlsx")[..],
        ),
        (
            "XLSX with a cell at XFD1048576",
            &include_bytes!("fixtures/hostile/far-cell.xlsx")[..],
        ),
    ] {
        cases.push(Case {
            name: name.to_string(),
            bytes: bytes.to_vec(),
            check: |report, records| {
                // The row of the far cell may make a record of its own; the real one is read.
                assert_eq!(report.format, Some(Format::Table), "{report:?}");
                assert_eq!(records[0].title, "A study");
            },
        });
    }
    cases
}

fn run(cases: Vec<Case>, print: bool) {
    for case in cases {
        let start = Instant::now();
        let (report, records) = read_bytes("hostile.txt", &case.bytes);
        let elapsed = start.elapsed();
        if print {
            println!(
                "{:>8.2} s  {}: {:?}, {} record(s), {} warning(s)",
                elapsed.as_secs_f64(),
                case.name,
                report.format,
                records.len(),
                report.warnings.len()
            );
        }
        (case.check)(&report, &records);
    }
}

#[test]
fn long_lines_are_read() {
    run(long_lines(QUICK), false);
}

#[test]
fn long_fields_of_every_format_are_read() {
    run(long_fields(QUICK), false);
}

#[test]
fn deep_nesting_and_wide_rows_are_read() {
    run(deep_and_wide(QUICK), false);
}

#[test]
fn abstracts_crafted_against_the_cleaner_are_cleaned() {
    run(cleaner_traps(QUICK), false);
}

#[test]
fn workbooks_claiming_huge_sheets_are_read() {
    run(workbooks(), false);
}

#[test]
fn arbitrary_bytes_reach_every_parser_and_loader() {
    // Each fuzz target's checks (every parser on its own, the whole reader, the cleaner, the
    // decisions, review and config loaders) on inputs no exporter would write: random bytes,
    // random syntax characters, random Unicode. A fixed seed keeps the test repeatable.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const SYNTAX: &[u8] = b"{}\"\\,;=#%@<>&[]$-\t\r\n TYERABPMID0123456789";
    for round in 0..300 {
        let len = (next() % 4096) as usize;
        let bytes: Vec<u8> = match round % 3 {
            0 => (0..len).map(|_| next() as u8).collect(),
            1 => (0..len)
                .map(|_| SYNTAX[next() as usize % SYNTAX.len()])
                .collect(),
            _ => (0..len / 4)
                .filter_map(|_| char::from_u32((next() % 0x3_0000) as u32))
                .collect::<String>()
                .into_bytes(),
        };
        for target in checks::TARGETS {
            assert!(checks::run(target, &bytes), "{target}");
        }
    }
}

#[test]
fn fuzz_seeds_pass_their_checks() {
    // The committed seeds of every fuzz target (`fuzz/corpus/TARGET/`), which include the
    // inputs the fuzzers found: a finding fixed stays fixed in `cargo test`, without cargo-fuzz.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for target in checks::TARGETS {
        let dir = corpus.join(target);
        let mut seeds = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let path = entry.expect("a directory entry").path();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            assert!(checks::run(target, &bytes), "{path:?}");
            seeds += 1;
        }
        assert!(seeds > 0, "no seeds for {target}");
    }
}

#[test]
#[ignore = "slow: a 100 MB line and a million columns take 45 s in a release build, minutes in debug"]
fn hostile_inputs_at_full_size() {
    // Full size takes 45 s in a release build but 15 minutes in a debug one (unoptimised
    // regex and UTF-8 code), so a debug build runs a tenth of it unless told otherwise:
    // `HOSTILE_SCALE=1 cargo test --test hostile -- --ignored`, or
    // `cargo test --release --test hostile -- --ignored --nocapture` for the timings.
    let default = if cfg!(debug_assertions) { 0.1 } else { 1.0 };
    let factor = std::env::var("HOSTILE_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    println!("hostile inputs at {factor} x the full sizes of docs/fuzzing.md");
    let sizes = FULL.scaled(factor);
    let mut cases = long_lines(sizes);
    cases.extend(long_fields(sizes));
    cases.extend(deep_and_wide(sizes));
    cases.extend(cleaner_traps(sizes));
    cases.extend(workbooks());
    run(cases, true);
}
