//! `abstriage reconcile`: the studies reviewers disagree on, each reviewer's decision, reasons,
//! themes and notes side by side, and one key to adopt a reviewer's decision or set a new one.
//! Results go to `screening/consensus.toml`, saved after every change.

mod view;

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::Size;

use crate::corpus::Corpus;
use crate::decisions::{Decision, Decisions, Status, file};
use crate::dedup::{Clusters, merged};
use crate::highlight::Highlighter;
use crate::reconcile::{Disagreement, Strictness, disagreements, pooled_reasons, settled};
use crate::record::Record;
use crate::review::Review;
use crate::team::{self, CONSENSUS, ReviewerFile};
use crate::tui::terminal::{Input, Screen};

pub use view::draw;

/// The reconciliation session.
pub struct Reconcile {
    /// The records.
    pub corpus: Corpus,
    /// The review protocol (highlight terms).
    pub review: Review,
    /// The reviewers compared, in file order.
    pub reviewers: Vec<ReviewerFile>,
    /// The disagreements, in corpus order.
    pub items: Vec<Disagreement>,
    /// The team's decisions so far.
    pub consensus: Decisions,
    /// Where they are saved.
    pub consensus_path: PathBuf,
    /// Selected disagreement.
    pub cursor: usize,
    /// Abstract scroll.
    pub detail_scroll: u16,
    /// Feedback for the status bar.
    pub message: Option<(String, bool)>,
    /// Terminal size.
    pub size: Size,
    /// Set when the session should end.
    pub should_quit: bool,
    highlighter: Highlighter,
    clusters: Clusters,
    clock: Box<dyn Fn() -> Timestamp>,
}

impl Reconcile {
    /// Starts reconciling the review whose corpus is `corpus`.
    pub fn new(
        corpus: Corpus,
        review: Review,
        clusters: Clusters,
        strictness: Strictness,
    ) -> Result<Self, file::DecisionsError> {
        let reviewers = team::load_reviewers(&corpus.root)?;
        let consensus_path = team::consensus_path(&corpus.root);
        let consensus = file::load(&consensus_path)?;
        let items = disagreements(&corpus.records, &clusters, &reviewers, strictness);
        let highlighter = Highlighter::new(&review.highlight.include, &review.highlight.exclude)
            .unwrap_or_default();
        let mut app = Self {
            corpus,
            review,
            reviewers,
            items,
            consensus,
            consensus_path,
            cursor: 0,
            detail_scroll: 0,
            message: None,
            size: Size::new(80, 24),
            should_quit: false,
            highlighter,
            clusters,
            clock: Box::new(Timestamp::now),
        };
        app.cursor = app.next_unsettled(0).unwrap_or(0);
        Ok(app)
    }

    /// Replaces the clock (tests use a fixed time so files are reproducible).
    pub fn with_clock(mut self, clock: Box<dyn Fn() -> Timestamp>) -> Self {
        self.clock = clock;
        self
    }

    /// The study record of disagreement `index`.
    pub fn record(&self, index: usize) -> Record {
        let cluster = &self.clusters.clusters[self.items[index].cluster];
        merged(&self.corpus.records, cluster)
    }

    /// The consensus on disagreement `index`, if settled.
    pub fn settled(&self, index: usize) -> Option<&Decision> {
        settled(&self.consensus, &self.items[index])
    }

    /// How many disagreements are settled.
    pub fn settled_count(&self) -> usize {
        (0..self.items.len())
            .filter(|&i| self.settled(i).is_some())
            .count()
    }

    /// Handles one terminal event; returns whether to redraw.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                self.handle_key(key);
                true
            }
            Event::Resize(w, h) => {
                self.size = Size::new(*w, *h);
                true
            }
            _ => false,
        }
    }

    fn handle_key(&mut self, key: &KeyEvent) {
        self.message = None;
        let last = self.items.len().saturating_sub(1);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => self.should_quit = true,
            KeyCode::Char('j') | KeyCode::Down => self.move_to((self.cursor + 1).min(last)),
            KeyCode::Char('k') | KeyCode::Up => self.move_to(self.cursor.saturating_sub(1)),
            KeyCode::Char('g') | KeyCode::Home => self.move_to(0),
            KeyCode::Char('G') | KeyCode::End => self.move_to(last),
            KeyCode::Char('n') => match self.next_unsettled(self.cursor + 1) {
                Some(next) => self.move_to(next),
                None => self.say("Every disagreement is settled."),
            },
            KeyCode::Char('J') => self.detail_scroll = self.detail_scroll.saturating_add(3),
            KeyCode::Char('K') => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            KeyCode::Char(c @ '1'..='9') => self.adopt(usize::from(c as u8 - b'1')),
            KeyCode::Char('i') => self.settle(Some(Status::Include)),
            KeyCode::Char('x') => self.settle(Some(Status::Exclude)),
            KeyCode::Char('m') => self.settle(Some(Status::Maybe)),
            KeyCode::Char(' ') => self.settle(None),
            _ => {}
        }
    }

    fn move_to(&mut self, index: usize) {
        if index != self.cursor {
            self.detail_scroll = 0;
        }
        self.cursor = index;
    }

    fn next_unsettled(&self, from: usize) -> Option<usize> {
        (from..self.items.len())
            .chain(0..from.min(self.items.len()))
            .find(|&i| self.settled(i).is_none())
    }

    /// Adopts reviewer `n`'s decision (status, reasons, themes, note) as the consensus.
    fn adopt(&mut self, n: usize) {
        let Some(item) = self.items.get(self.cursor) else {
            return;
        };
        let Some(name) = self.reviewers.get(n).map(|r| r.name.clone()) else {
            return self.complain(format!("There is no reviewer {}.", n + 1));
        };
        let Some(decision) = item.decisions[n].clone().filter(|d| d.status.is_some()) else {
            return self.complain(format!("{name} has not decided this study."));
        };
        let id = item.id.clone();
        let now = (self.clock)();
        self.consensus.restore(
            &id,
            Some(Decision {
                decided_at: now,
                ..decision
            }),
        );
        self.saved_then_next(format!("Consensus: {name}'s decision."));
    }

    /// Sets a new consensus decision (`None` clears it). An exclusion starts from the reasons
    /// the excluding reviewers gave.
    fn settle(&mut self, status: Option<Status>) {
        let Some(item) = self.items.get(self.cursor) else {
            return;
        };
        let id = item.id.clone();
        let title = self.record(self.cursor).display_title();
        let now = (self.clock)();
        match status {
            Some(Status::Exclude) => {
                let reasons = pooled_reasons(item);
                self.consensus.exclude_for(&id, &title, reasons, now);
            }
            Some(status) => self.consensus.set_status(&id, &title, Some(status), now),
            None => {
                self.consensus.restore(&id, None);
                self.save();
                return self.say("Consensus cleared.");
            }
        }
        self.saved_then_next("Consensus set.".into());
    }

    fn saved_then_next(&mut self, text: String) {
        if !self.save() {
            return;
        }
        self.say(text);
        if let Some(next) = self.next_unsettled(self.cursor) {
            self.move_to(next);
        } else {
            self.say(format!("All {} disagreements settled.", self.items.len()));
        }
    }

    fn save(&mut self) -> bool {
        match file::save(&self.consensus_path, CONSENSUS, &self.consensus) {
            Ok(()) => true,
            Err(e) => {
                self.complain(format!("Not saved: {e}"));
                false
            }
        }
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }
}

/// Runs reconciliation on `terminal` until it quits (generic so tests use `TestBackend`).
pub fn run<B>(
    terminal: &mut Terminal<B>,
    app: &mut Reconcile,
    mut next_event: impl FnMut() -> io::Result<Event>,
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app.handle_event(&Event::Resize(size.width, size.height));
    let mut redraw = true;
    while !app.should_quit {
        if redraw {
            terminal.draw(|frame| draw(frame, app))?;
        }
        redraw = app.handle_event(&next_event()?);
    }
    Ok(())
}

/// Runs reconciliation in the real terminal, restoring it afterwards.
/// Every settled disagreement is already on disk (each is saved as it is made), so a signal
/// (SIGHUP, SIGTERM, SIGINT) only has to end the loop and give the terminal back.
pub fn run_in_terminal(app: &mut Reconcile) -> anyhow::Result<()> {
    let mut screen = Screen::enter()?;
    screen.watch(None)?;
    let signals = screen.signals();
    run(&mut *screen.terminal, app, || {
        loop {
            match signals.next_input(Duration::from_secs(1))? {
                Input::Event(event) => return Ok(event),
                Input::Quiet => {}
                Input::Signal(signal) => {
                    return Err(io::Error::other(format!("ended by signal {signal}")));
                }
            }
        }
    })
}
