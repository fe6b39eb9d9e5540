//! Scrollable panels: the help (from the active keymap), the review's criteria, and the summary
//! of counts and pace.

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::decisions::Status;
use crate::stats::{Pace, Tally, human_duration};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::keymap::display_key;
use crate::tui::layout::centred;
use crate::tui::popups::TextPanel;
use crate::tui::theme;

/// Keys of the pickers, which are fixed (typing filters, so they cannot be letters).
const PICKER_KEYS: &[(&str, &str)] = &[
    ("type", "filter (fuzzy)"),
    ("↑ ↓", "choose"),
    ("Enter", "toggle, or create what was typed"),
    ("Space", "toggle (before typing)"),
    ("Esc", "close"),
];

/// Keys of the note editor.
const NOTE_KEYS: &[(&str, &str)] = &[
    ("arrows", "move; Ctrl/Alt-arrows by word"),
    ("Ctrl-W", "delete the word before"),
    ("Esc", "save and close"),
    ("Ctrl-G", "close without saving"),
];

pub(super) fn draw(frame: &mut Frame<'_>, app: &App, panel: TextPanel, scroll: u16) {
    let (title, lines) = match panel {
        TextPanel::Help => (" Keys ", help(app)),
        TextPanel::Criteria => (" Criteria ", criteria(app)),
        TextPanel::Summary => (" Summary ", summary(app)),
    };
    const WIDTH: u16 = 76;
    let block = Block::bordered()
        .title(title)
        .title_bottom(" j/k scroll · any other key closes ");
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Tall enough for the wrapped text (centred() keeps it within the screen).
    let width = WIDTH.min(frame.area().width).saturating_sub(2);
    let height = u16::try_from(paragraph.line_count(width) + 2).unwrap_or(u16::MAX);
    let area = centred(frame.area(), WIDTH, height);
    frame.render_widget(Clear, area);
    frame.render_widget(paragraph.scroll((scroll, 0)).block(block), area);
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn key_line(keys: &str, what: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{keys:>12}  "), bold()),
        Span::raw(what.to_string()),
    ])
}

fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme::section_label()))
}

fn help(app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (command, keys) in &app.keymap.bindings {
        let keys = keys
            .iter()
            .map(|k| display_key(k))
            .collect::<Vec<_>>()
            .join(", ");
        let what = match command {
            Command::ExcludeFor(n) => match app.review.reasons.get(usize::from(*n) - 1) {
                Some(reason) => format!("exclude: {reason}"),
                None => format!("exclude for reason {n} (review.toml lists none)"),
            },
            _ => command.description().to_string(),
        };
        lines.push(key_line(&keys, &what));
    }
    for (title, keys) in [
        ("Theme and reason pickers (t, x)", PICKER_KEYS),
        ("Note editor (a)", NOTE_KEYS),
    ] {
        lines.push(Line::default());
        lines.push(heading(title));
        lines.extend(keys.iter().map(|(k, w)| key_line(k, w)));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!("Decisions: {}", app.decisions_path.display()),
        theme::dim(),
    )));
    lines
}

fn criteria(app: &App) -> Vec<Line<'static>> {
    let review = &app.review;
    let mut lines = Vec::new();
    if !review.title.is_empty() {
        lines.push(Line::from(Span::styled(review.title.clone(), bold())));
        lines.push(Line::default());
    }
    for (label, text) in [
        ("Include", &review.criteria.include),
        ("Exclude", &review.criteria.exclude),
    ] {
        lines.push(heading(label));
        if text.trim().is_empty() {
            lines.push(Line::from(Span::styled(
                "(not written in review.toml)",
                theme::dim(),
            )));
        }
        lines.extend(reflow(text).into_iter().map(Line::from));
        lines.push(Line::default());
    }
    if !review.reasons.is_empty() {
        lines.push(heading("Exclusion reasons"));
        for (i, reason) in review.reasons.iter().enumerate() {
            lines.push(Line::from(format!("{:>3}  {reason}", i + 1)));
        }
    }
    lines
}

/// Criteria as written in review.toml are hard-wrapped to the file's width; joins the lines of
/// each paragraph so the panel wraps them to its own. Blank lines and list items (`- `, `* `,
/// `1.`) start new lines.
fn reflow(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for line in text.trim().lines().map(str::trim) {
        let item = line.starts_with("- ")
            || line.starts_with("* ")
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        match out.last_mut() {
            Some(last) if joining && !line.is_empty() && !item => {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
        joining = !line.is_empty();
    }
    out
}

fn summary(app: &App) -> Vec<Line<'static>> {
    // The whole review, whatever the list is narrowed to.
    let ids = (0..app.clusters.clusters.len()).map(|c| &app.study(c).id);
    let tally = Tally::of(&app.decisions, ids);
    let count = |s: Status| tally.by_status.get(&s).copied().unwrap_or(0);
    let remaining = tally.studies - tally.screened();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{} of {} studies screened", tally.screened(), tally.studies),
                bold(),
            ),
            Span::raw(format!(" ({remaining} to go)")),
        ]),
        Line::from(format!(
            "  included {}   excluded {}   maybe {}   with a note {}",
            count(Status::Include),
            count(Status::Exclude),
            count(Status::Maybe),
            tally.with_note
        )),
        Line::default(),
    ];
    for (title, counts) in [
        ("Exclusion reasons", &tally.by_reason),
        ("Themes", &tally.by_theme),
    ] {
        lines.push(heading(title));
        if counts.is_empty() {
            lines.push(Line::from(Span::styled("  none yet", theme::dim())));
        }
        let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        lines.extend(
            sorted
                .into_iter()
                .map(|(name, n)| Line::from(format!("  {n:>5}  {name}"))),
        );
        lines.push(Line::default());
    }
    let pace = Pace::of(app.decisions.iter().map(|(_, d)| d.decided_at));
    lines.push(heading("Pace"));
    match (pace.per_hour, pace.median_seconds) {
        (Some(per_hour), Some(median)) => {
            lines.push(Line::from(format!(
                "  {per_hour:.0} decisions per hour of screening; median {} per decision",
                human_duration(median)
            )));
            if let Some(left) = pace.remaining_seconds(remaining) {
                lines.push(Line::from(format!(
                    "  {remaining} studies left: about {} at that pace",
                    human_duration(left)
                )));
            }
            lines.push(Line::from(Span::styled(
                format!(
                    "  (from {} gaps between decisions; gaps over 10 min count as breaks)",
                    pace.intervals
                ),
                theme::dim(),
            )));
        }
        _ => lines.push(Line::from(Span::styled(
            "  Not enough decisions yet to tell.",
            theme::dim(),
        ))),
    }
    lines.push(Line::default());
    lines.push(heading("Agreement (include / exclude / maybe)"));
    lines.extend(
        app.team
            .agreement
            .iter()
            .map(|line| Line::from(format!("  {line}"))),
    );
    lines
}
