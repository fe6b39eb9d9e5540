//! What the reviewer sees: snapshots of whole screens on TestBackend (checked by eye when
//! accepted), and styles asserted cell by cell where colour carries meaning.

mod common;

use common::{app, draw, press, seeds_dir};
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier};

#[test]
fn main_screen_80x24_with_three_decisions() {
    let decisions = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), decisions.path(), Size::new(80, 24));
    press(&mut app, "ix\x1bm");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn main_screen_120x40_side_by_side() {
    let decisions = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), decisions.path(), Size::new(120, 40));
    press(&mut app, "jjjj");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn theme_picker_filtering() {
    let decisions = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), decisions.path(), Size::new(80, 24));
    press(&mut app, "tfacil\n");
    press(&mut app, "work");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn help_lists_the_active_bindings() {
    let decisions = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), decisions.path(), Size::new(80, 60));
    press(&mut app, "?");
    let screen = draw(&app).backend().to_string();
    for line in [
        // seeds/review.toml's reasons, in order.
        "1  exclude: not qualitative",
        "4  exclude: not primary research",
        "9  exclude for reason 9 (review.toml lists none)",
        "a  write a note",
        "u  undo",
        "Ctrl-r  redo",
        "/  search as you type",
        "f  filter the list",
        "F  clear filters and search",
        "s  order: corpus, year, author, title",
        "c  the review's criteria",
        "S  counts, pace and agreement",
        "j, ↓  next study",
        "G, End  last study",
        "Space  clear the decision",
        "t  tag themes",
        "q  quit",
    ] {
        assert!(screen.contains(line), "help lacks {line:?}:\n{screen}");
    }
}

#[test]
fn help_scrolls_to_its_end_on_a_small_screen() {
    let decisions = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), decisions.path(), Size::new(80, 24));
    press(&mut app, "?");
    let first = draw(&app).backend().to_string();
    assert!(
        first.contains("next study") && !first.contains("q  quit"),
        "{first}"
    );
    press(&mut app, "   ");
    let scrolled = draw(&app).backend().to_string();
    assert!(scrolled.contains("q  quit"), "{scrolled}");
    assert!(!scrolled.contains("next study"), "{scrolled}");
}

#[test]
fn decision_marks_untitled_labels_and_section_labels_are_styled() {
    let decisions = tempfile::tempdir().unwrap();
    let mut app = app(&seeds_dir(), decisions.path(), Size::new(80, 24));
    press(&mut app, "ix\x1bm");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    // List rows start at y=2 inside the border (x=1 is the mark column).
    let mark = |row: u16| buffer[(1, 2 + row)].clone();
    assert_eq!((mark(0).symbol(), mark(0).fg), ("✓", Color::Green));
    assert_eq!((mark(1).symbol(), mark(1).fg), ("✗", Color::Red));
    assert_eq!((mark(2).symbol(), mark(2).fg), ("?", Color::Yellow));
    // Row 1 is untitled (seed 001): its derived label is italic, not a plain title.
    let label = &buffer[(24, 3)];
    assert_eq!(label.symbol(), "[");
    assert!(label.modifier.contains(Modifier::ITALIC));
    assert!(
        !buffer[(24, 2)].modifier.contains(Modifier::ITALIC),
        "a real title is not italic"
    );
    // The selected record (row 3, Skivington) shows its section labels in bold.
    let screen = terminal.backend().to_string();
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("│Background "))
        .expect("a Background label");
    let x = line.chars().take_while(|&c| c != 'B').count();
    let cell = &buffer[(u16::try_from(x).unwrap(), u16::try_from(y).unwrap())];
    assert!(cell.modifier.contains(Modifier::BOLD), "{cell:?}");
}
