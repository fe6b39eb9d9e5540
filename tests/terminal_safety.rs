//! A corpus full of escape sequences, opened in a pseudo-terminal: what the program sends to
//! the terminal holds none of them. The data's letters are shown; its control characters,
//! escape sequences (OSC 52 clipboard writes, window titles, cursor reports, DCS, 8-bit CSI)
//! and bidirectional overrides never reach the terminal, in the list, the record, and the
//! raw view of the file.

mod common;

use common::pty::Pty;

/// Byte sequences of the fixture that must never reach the terminal, and what they are.
const FORBIDDEN: &[(&[u8], &str)] = &[
    (b"\x1b]52", "OSC 52 clipboard write"),
    (b"\x1b]0;pwned", "OSC 0 window title"),
    (b"\x07", "BEL"),
    (b"\x1b[6n", "cursor position report request"),
    (b"\x1b[38;5;196m", "the data's colour"),
    (b"\x1bP", "DCS"),
    (b"\x08", "backspace"),
    ("\u{9b}".as_bytes(), "8-bit CSI"),
    ("\u{9c}".as_bytes(), "8-bit string terminator"),
    ("\u{202e}".as_bytes(), "right-to-left override"),
    ("\u{202c}".as_bytes(), "pop directional formatting"),
    ("\u{2067}".as_bytes(), "right-to-left isolate"),
    ("\u{2069}".as_bytes(), "pop directional isolate"),
    ("\u{200e}".as_bytes(), "left-to-right mark"),
];

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn escape_sequences_in_a_corpus_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/escapes.ris");
    std::fs::copy(&fixture, dir.path().join("escapes.ris")).unwrap();
    let mut pty = Pty::spawn(&["--reviewer", "t", "escapes.ris"], dir.path(), 120, 40);
    // The text around the sequences is shown: the records are there, not dropped.
    pty.wait_for_all(&["PWNED title", "0/2 screened"]);
    pty.type_keys("r"); // the raw view: the file's own bytes
    pty.wait_for("TI  - Clipboard");
    pty.type_keys("rj");
    let screen = pty.wait_for("Eight-bit");
    // Wide and combining characters and a tab keep the layout: the line ends at the border.
    assert!(
        screen
            .contains("│Wide, 東京 and combining e\u{301}                                      │"),
        "{screen}"
    );
    assert!(screen.contains("and tab here"), "{screen}");
    pty.type_keys("r");
    pty.wait_for("TI  - Eight-bit");
    pty.type_keys("rq");
    assert!(pty.wait_exit());
    let raw = pty.raw.lock().unwrap().clone();
    assert!(
        find(&raw, b"PWNED title").is_some(),
        "the output was captured"
    );
    let mut found = Vec::new();
    for (bytes, what) in FORBIDDEN {
        if let Some(at) = find(&raw, bytes) {
            let around =
                String::from_utf8_lossy(&raw[at.saturating_sub(40)..(at + 40).min(raw.len())]);
            found.push(format!("{what} at byte {at}: {around:?}"));
        }
    }
    assert!(
        found.is_empty(),
        "sent to the terminal:\n{}",
        found.join("\n")
    );
}
