//! Keys, merges and decisions in the app, each to its frame (and a decision to the file
//! durable on disk), over a corpus with many decisions already made.

use std::time::{Duration, Instant};

use abstriage::decisions::Status;
use abstriage::record::RecordId;
use abstriage::session;
use abstriage::tui::app::App;
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Size;

use super::{cpu_now, key, row, row_cpu};

/// Decides one study after another from the last back (a decision is kept per study), then
/// made-up ids, until `count` decisions are in the file; the first studies stay undecided for
/// [`decide`].
pub(super) fn prefill(session: &mut session::Session, count: usize) {
    let at: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap_or_default();
    let statuses = [Status::Include, Status::Exclude, Status::Maybe];
    let studies = &session.clusters.clusters;
    let keep_undecided = studies.len().min(1_000);
    let mut n = 0;
    for study in studies[keep_undecided..].iter().rev().take(count) {
        let title = study
            .members
            .first()
            .map(|&i| session.corpus.records[i].display_title())
            .unwrap_or_default();
        session
            .decisions
            .set_status(&study.id, &title, Some(statuses[n % 3]), at);
        n += 1;
    }
    while n < count {
        let id = RecordId::new(format!("bench-{n:06}"));
        let title = format!("A study screened earlier, number {n}");
        session
            .decisions
            .set_status(&id, &title, Some(statuses[n % 3]), at);
        n += 1;
    }
    eprintln!("decisions in the file: {}", session.decisions.len());
}

/// Moves and popups: each key handled and the frame drawn.
pub(super) fn keys(session: &session::Session, count: usize) -> anyhow::Result<()> {
    let size = Size::new(120, 40);
    let mut app = App::new(session.clone(), size)?;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height))?;
    terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
    let cycle = [
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::PageDown,
        KeyCode::Char('J'),
        KeyCode::Char('t'),
        KeyCode::Esc,
        KeyCode::PageUp,
        KeyCode::Char('G'),
        KeyCode::Char('g'),
    ];
    let mut times = Vec::with_capacity(count);
    let mut per_key: Vec<Vec<Duration>> = vec![Vec::new(); cycle.len()];
    let cpu = cpu_now();
    for (i, code) in cycle.iter().cycle().take(count).enumerate() {
        let t = Instant::now();
        app.handle_event(&key(*code));
        terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
        let took = t.elapsed();
        times.push(took);
        per_key[i % cycle.len()].push(took);
    }
    row_cpu(
        "key to frame (moves, popup)",
        &mut times,
        cpu_now().saturating_sub(cpu),
    );
    // Which keys cost what, for the hot spots (the table keeps the mix).
    let mut seen = Vec::new();
    for (code, times) in cycle.iter().zip(&mut per_key) {
        times.sort_unstable();
        if seen.contains(code) {
            continue;
        }
        seen.push(*code);
        let p = |q: f64| {
            let i = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len().max(1)) - 1;
            times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        eprintln!("key {code:?}: p50 {:.2} ms, p99 {:.2} ms", p(0.5), p(0.99));
    }
    Ok(())
}

/// Merges: a study marked (`M`), the next one merged with it (`j`, `M`: the key timed, with
/// its frame), then the merge undone (`u`, timed the same way). Each regroups the studies it
/// touches and saves the correction. Then the same under a kept search ("smith", its complete
/// results), whose results follow the regrouping.
pub(super) fn merges(session: &session::Session, count: usize) -> anyhow::Result<()> {
    let size = Size::new(120, 40);
    let mut app = App::new(session.clone(), size)?;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height))?;
    for search in [None, Some("smith")] {
        if let Some(text) = search {
            for c in format!("/{text}\n").chars() {
                let code = if c == '\n' {
                    KeyCode::Enter
                } else {
                    KeyCode::Char(c)
                };
                app.handle_event(&key(code));
                app.finish_search();
            }
            anyhow::ensure!(
                app.list
                    .search
                    .as_ref()
                    .is_some_and(|h| !h.partial && h.ranked.len() > 2 * count),
                "the search found too few studies to merge"
            );
        }
        let (mut merged, mut undone) = (Vec::new(), Vec::new());
        let cpu = cpu_now();
        for _ in 0..count {
            for code in [KeyCode::Char('M'), KeyCode::Char('j')] {
                app.handle_event(&key(code));
            }
            let studies = app.clusters.clusters.len();
            for (code, times) in [
                (KeyCode::Char('M'), &mut merged),
                (KeyCode::Char('u'), &mut undone),
            ] {
                let t = Instant::now();
                app.handle_event(&key(code));
                terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
                times.push(t.elapsed());
            }
            anyhow::ensure!(
                app.clusters.clusters.len() == studies,
                "the merge was not undone ({} studies, {studies} before)",
                app.clusters.clusters.len()
            );
            app.handle_event(&key(KeyCode::Char('j')));
            app.wait_for_saves(Duration::from_secs(10));
        }
        let cpu = cpu_now().saturating_sub(cpu);
        let under = search.map_or(String::new(), |t| format!(" under a search (\"{t}\")"));
        row(&format!("merge (M){under} to frame"), &mut merged);
        row_cpu(
            &format!("undo of a merge (u){under} to frame"),
            &mut undone,
            cpu,
        );
    }
    Ok(())
}

/// Decisions: `i` on the current record, its frame drawn (the save is handed to the
/// background saver, so the key does not wait for it), then the time until the saver reports
/// the file written, fsync and rename included. Each decision waits for its save before the
/// next key, so every save is measured alone (typing faster coalesces saves).
pub(super) fn decide(session: session::Session, count: usize) -> anyhow::Result<()> {
    let size = Size::new(120, 40);
    let path = session.decisions_path.clone();
    let mut app = App::new(session, size)?;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height))?;
    terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
    let (mut durable, mut framed) = (Vec::new(), Vec::new());
    let cpu = cpu_now();
    for _ in 0..count {
        let t = Instant::now();
        app.handle_event(&key(KeyCode::Char('i')));
        terminal.draw(|frame| abstriage::tui::views::draw(frame, &app))?;
        framed.push(t.elapsed());
        if !app.wait_for_saves(Duration::from_secs(10)) {
            anyhow::bail!("the decisions file was not saved: {:?}", app.save_state);
        }
        durable.push(t.elapsed());
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "decisions file: {} decisions, {:.1} MiB",
        app.decisions.len(),
        bytes as f64 / 1048576.0
    );
    row("decision to file durable (background save)", &mut durable);
    // Process CPU: the background saves are in it too.
    row_cpu(
        "decision to frame (CPU with its save)",
        &mut framed,
        cpu_now().saturating_sub(cpu),
    );
    Ok(())
}
