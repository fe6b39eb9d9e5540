//! The text of the detail pane for one record: shared by the view that draws it and by the
//! update that must know how long it is to clamp scrolling.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme;
use crate::decisions::Decision;
use crate::highlight::{Highlighter, Mark};
use crate::record::Record;

/// Extra fields worth a reviewer's glance, shown under the abstract when the source has them.
const SHOWN_EXTRA: &[&str] = &[
    "language",
    "publication status",
    "publisher",
    "subject",
    "url",
];

/// The record as the detail pane shows it; `also_in` lists where the study's other records
/// come from when it was found more than once; `terms` marks highlight terms.
pub fn text(
    record: &Record,
    decision: Option<&Decision>,
    also_in: &[String],
    others: &[(String, Option<Decision>)],
    terms: &Highlighter,
) -> Text<'static> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    if record.is_untitled() {
        lines.push(Line::from(vec![
            Span::styled(record.display_title(), theme::derived_title()),
            Span::styled("  (no title in source)", theme::dim()),
        ]));
    } else {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        lines.push(Line::from(marked(&record.title, terms, bold)));
    }
    if !record.authors.is_empty() {
        // `Family, Given` names need a stronger separator than their own comma.
        let separator = if record.authors.iter().any(|a| a.contains(',')) {
            "; "
        } else {
            ", "
        };
        lines.push(Line::from(record.authors.join(separator)));
    }
    let citation = citation(record);
    if !citation.is_empty() {
        lines.push(Line::from(Span::styled(citation, theme::dim())));
    }
    if let Some(doi) = &record.doi {
        lines.push(Line::from(vec![
            Span::styled("doi ", theme::dim()),
            Span::raw(doi.clone()),
        ]));
    }
    if !record.keywords.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Keywords ", theme::dim()),
            Span::raw(record.keywords.join("; ")),
        ]));
    }
    if !also_in.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Also in ", theme::duplicate()),
            Span::styled(also_in.join("; "), theme::dim()),
        ]));
    }
    if let Some(line) = decision.and_then(decision_line) {
        lines.push(line);
    }
    if let Some(note) = decision.map(|d| d.note.as_str()).filter(|n| !n.is_empty()) {
        for (i, text) in note.lines().enumerate() {
            let lead = if i == 0 { "✎ note " } else { "       " };
            lines.push(Line::from(vec![
                Span::styled(lead, theme::note()),
                Span::raw(text.to_string()),
            ]));
        }
    }
    for (name, decision) in others {
        let mut spans = vec![Span::styled(format!("{name}: "), theme::dim())];
        match decision.as_ref().and_then(decision_line) {
            Some(line) => spans.extend(line.spans),
            None => spans.push(Span::styled("not screened", theme::dim())),
        }
        if let Some(first) = decision.as_ref().and_then(|d| d.note.lines().next()) {
            spans.push(Span::styled("  ✎ ", theme::note()));
            spans.push(Span::styled(first.to_string(), theme::dim()));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    if record.sections.is_empty() {
        lines.push(Line::from(Span::styled(
            "(no abstract in source)",
            theme::dim().italic(),
        )));
    }
    for (i, section) in record.sections.iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        let mut spans = Vec::new();
        if let Some(label) = &section.label {
            spans.push(Span::styled(label.clone(), theme::section_label()));
            spans.push(Span::raw(" "));
        }
        spans.extend(marked(&section.text, terms, Style::new()));
        lines.push(Line::from(spans));
    }
    let extras: Vec<Line<'static>> = SHOWN_EXTRA
        .iter()
        .filter_map(|key| record.extra.get(key).map(|value| (key, value)))
        .map(|(key, value)| {
            Line::from(vec![
                Span::styled(format!("{key} "), theme::dim()),
                Span::raw(value.to_string()),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.extend(extras);
    lines.push(Line::from(Span::styled(
        format!(
            "{} · record {} · line {} · id {}",
            record.source.file,
            record.source.index + 1,
            record.source.line,
            record.id
        ),
        theme::dim(),
    )));
    Text::from(lines)
}

/// `text` in spans, highlight terms marked on top of `base`.
fn marked(text: &str, terms: &Highlighter, base: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for (range, mark) in terms.marks(text) {
        if range.start > at {
            spans.push(Span::styled(text[at..range.start].to_string(), base));
        }
        let style = match mark {
            Mark::Include => theme::include_term(),
            Mark::Exclude => theme::exclude_term(),
        };
        spans.push(Span::styled(
            text[range.clone()].to_string(),
            base.patch(style),
        ));
        at = range.end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::styled(text[at..].to_string(), base));
    }
    spans
}

/// `2021 · British Journal of General Practice · 71(707):e413-e422`
fn citation(record: &Record) -> String {
    let mut parts = Vec::new();
    if let Some(year) = record.year {
        parts.push(year.to_string());
    }
    if let Some(journal) = &record.journal {
        parts.push(journal.clone());
    }
    let mut locator = record.volume.clone().unwrap_or_default();
    if let Some(issue) = &record.issue {
        locator.push_str(&format!("({issue})"));
    }
    if let Some(pages) = &record.pages {
        if !locator.is_empty() {
            locator.push(':');
        }
        locator.push_str(pages);
    }
    if !locator.is_empty() {
        parts.push(locator);
    }
    parts.join(" · ")
}

fn decision_line(decision: &Decision) -> Option<Line<'static>> {
    let mut parts: Vec<Vec<Span<'static>>> = Vec::new();
    if let Some(status) = decision.status {
        let verdict = format!("{} {}", theme::mark(Some(status)), theme::verdict(status));
        parts.push(vec![Span::styled(verdict, theme::status(Some(status)))]);
    }
    if !decision.reasons.is_empty() {
        parts.push(vec![Span::styled(
            format!("reasons: {}", decision.reasons.join(", ")),
            theme::dim(),
        )]);
    }
    if !decision.themes.is_empty() {
        parts.push(vec![
            Span::styled("themes: ", theme::dim()),
            Span::styled(decision.themes.join(", "), theme::themes()),
        ]);
    }
    let mut spans = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.extend(part);
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}

/// A record's source text, each line numbered with its line in the file, control characters
/// shown as symbols (`␛`) so nothing in the file can act on the terminal.
pub fn raw_text(raw: &str, first_line: usize) -> Text<'static> {
    let lines: Vec<&str> = raw.trim_end_matches('\n').split('\n').collect();
    let width = (first_line + lines.len()).to_string().len();
    let numbered = lines.iter().enumerate().map(|(i, line)| {
        Line::from(vec![
            Span::styled(format!("{:>width$} ", first_line + i), theme::dim()),
            Span::raw(visible_controls(line)),
        ])
    });
    Text::from(numbered.collect::<Vec<_>>())
}

/// Tabs as spaces, other control characters as their Unicode control pictures.
fn visible_controls(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if u32::from(c) < 0x20 => char::from_u32(0x2400 + u32::from(c)).unwrap_or('?'),
            '\u{7f}' => '␡',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// How many lines `text` takes wrapped to `width` columns.
pub fn wrapped_height(text: &Text<'static>, width: u16) -> usize {
    Paragraph::new(text.clone())
        .wrap(Wrap { trim: false })
        .line_count(width)
}
