//! The screening session's state. Views read it; only [`App::handle_event`] changes it.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Size;

use super::keymap::Keymap;
use super::loading::Background;
use super::popups::Popup;
use super::popups::search::SearchTask;
use super::rows::ListView;
use super::rows::statuses::Statuses;
use super::studies::Studies;
use super::sync::Disk;
use super::team::Team;
use super::undo::History;
use crate::cache;
use crate::config::Behaviour;
use crate::corpus::Corpus;
use crate::decisions::Decisions;
use crate::decisions::lock::{LockError, WriterLock};
use crate::decisions::saver::{Saver, Writer};
use crate::dedup::regroup::Reach;
use crate::dedup::{Automatic, Clusters};
use crate::files::TomlFileError;
use crate::highlight::{HighlightError, Highlighter};
use crate::record::{IdIndex, Record, RecordId};
use crate::review::Review;
use crate::session::Session;

/// Source of "now" for decision timestamps (fixed in tests).
pub type Clock = Box<dyn Fn() -> Timestamp>;

/// Whether the decisions on screen are on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything shown is saved.
    Saved,
    /// A change is being written (in the background; it is on disk within milliseconds).
    Pending,
    /// The last save failed; decisions are kept in memory and saved again on the next change.
    Failed(String),
}

/// A line of feedback in the status bar, until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What to say.
    pub text: String,
    /// Whether it reports a failure (drawn in red).
    pub error: bool,
}

/// The session state.
pub struct App {
    /// The records being screened.
    pub corpus: Corpus,
    /// The review folder's name, for the title bar (`.` or a single file's empty folder
    /// resolved to the folder's real name).
    pub corpus_name: String,
    /// The review protocol.
    pub review: Review,
    /// Who is screening.
    pub reviewer: String,
    /// Where decisions are saved.
    pub decisions_path: PathBuf,
    /// The reviewer's decisions.
    pub decisions: Decisions,
    /// Active key bindings.
    pub keymap: Keymap,
    /// Behaviour switches.
    pub behaviour: Behaviour,
    /// The records grouped into studies.
    pub clusters: Clusters,
    /// Duplicate detection's findings before the reviewer's corrections, applied again when
    /// a correction regroups the studies.
    pub(super) automatic: Automatic,
    /// The corpus's records by id.
    pub(super) ids: Arc<IdIndex>,
    /// The records each record may share a study with, so that a merge or split regroups
    /// only those.
    pub(super) reach: Reach,
    /// The record shown for each study, shared with the search thread.
    pub(super) studies: Arc<Studies>,
    /// Indices into `clusters.clusters`, in list order: one row per study.
    pub rows: Vec<usize>,
    /// The verdict on each study and the counts over the rows, following the decisions.
    pub(super) statuses: RefCell<Statuses>,
    /// Which of the selected study's records the detail pane shows (`None`: the study).
    pub member_view: Option<usize>,
    /// A study marked for merging with the next one chosen.
    pub merge_mark: Option<RecordId>,
    /// The filter, kept search and order that decide the rows.
    pub list: ListView,
    /// Terms marked in titles and abstracts.
    pub highlighter: Highlighter,
    /// The session's changes, for undo and redo.
    pub(super) history: History,
    /// Selected position in `rows`.
    pub cursor: usize,
    /// First row shown in the list.
    pub list_offset: usize,
    /// Lines of the detail pane scrolled off the top.
    pub detail_scroll: u16,
    /// Whether the detail pane shows the record as it stands in its file.
    pub show_raw: bool,
    /// The decoded text of the file the raw view last read: (file, text).
    pub raw_file: Option<(String, String)>,
    /// Open popups, topmost last.
    pub popups: Vec<Popup>,
    /// Whether decisions are saved.
    pub save_state: SaveState,
    /// Feedback for the status bar.
    pub message: Option<Message>,
    /// Terminal size, for layout-dependent updates (paging, scrolling).
    pub size: Size,
    /// Set when the session should end.
    pub should_quit: bool,
    /// The search thread, and what the prompt waits for from it.
    pub(super) search_task: SearchTask,
    /// What to tell the reviewer once the terminal is back (where decisions went on quit).
    pub farewell: Option<String>,
    pub(super) clock: Clock,
    /// The decisions file as last read or written, to merge changes made to it meanwhile.
    pub(super) disk: Disk,
    /// The other reviewers (shown only when the review is not blind).
    pub team: Team,
    /// Writes the decisions file in the background.
    pub(super) saver: Saver,
    /// Why decisions cannot be changed in this session (another session holds the file).
    pub read_only: Option<String>,
    /// The whole corpus being read while the first records are screened.
    pub(super) background: Option<Background>,
    /// The corpus being copied to the load cache (the caller waits for it before exiting).
    pub cache_write: cache::Writing,
    /// This session's hold on the decisions file, released when it ends.
    _lock: Option<WriterLock>,
}

impl App {
    /// Starts screening an opened review. Fails when the keymap in its configuration is invalid.
    pub fn new(session: Session, size: Size) -> Result<Self, TomlFileError> {
        let keymap = Keymap::from_config(&session.config)?;
        let disk = Disk::opened(&session.decisions, &session.decisions_path);
        let (lock, read_only, lock_warning) = match WriterLock::acquire(&session.decisions_path) {
            Ok(lock) => (Some(lock), None, None),
            Err(held @ LockError::Held { .. }) => (None, Some(held.to_string()), None),
            // No lock to be had (a read-only folder, a file system without locks): screen
            // anyway; saving reports its own errors.
            Err(e @ LockError::Io { .. }) => (None, None, Some(e.to_string())),
        };
        let saver = Saver::spawn(session.decisions_path.clone(), session.reviewer.clone());
        let corpus_name = folder_name(&session.corpus.root);
        let mut app = Self {
            corpus_name,
            corpus: session.corpus,
            review: session.review,
            reviewer: session.reviewer,
            decisions_path: session.decisions_path,
            decisions: session.decisions,
            keymap,
            behaviour: session.config.behaviour,
            clusters: session.clusters,
            automatic: session.automatic,
            ids: Arc::default(),
            reach: Reach::default(),
            studies: Arc::default(),
            rows: Vec::new(),
            statuses: RefCell::default(),
            member_view: None,
            merge_mark: None,
            list: ListView::default(),
            highlighter: Highlighter::default(),
            history: History::default(),
            cursor: 0,
            list_offset: 0,
            detail_scroll: 0,
            show_raw: false,
            raw_file: None,
            popups: Vec::new(),
            save_state: SaveState::Saved,
            message: None,
            size,
            should_quit: false,
            search_task: SearchTask::default(),
            farewell: None,
            clock: Box::new(Timestamp::now),
            disk,
            team: Team::default(),
            saver,
            read_only,
            background: None,
            cache_write: session.cache_write,
            _lock: lock,
        };
        if let Err(e) = app.highlight_also(&[]) {
            app.message = Some(Message {
                text: format!("review.toml [highlight]: {e}"),
                error: true,
            });
        }
        if let Some(text) = app.read_only.clone().or(lock_warning) {
            app.complain(text);
        }
        app.index_corpus();
        app.adopt_clusters();
        app.cursor = app.first_undecided().unwrap_or(0);
        app.keep_cursor_visible();
        Ok(app)
    }

    /// Marks review.toml's highlight terms plus `extra` inclusion terms (`--highlight`, for
    /// this session only) in titles and abstracts. On error the previous terms stay.
    pub fn highlight_also(&mut self, extra: &[String]) -> Result<(), HighlightError> {
        let mut include = self.review.highlight.include.clone();
        include.extend(extra.iter().cloned());
        self.highlighter = Highlighter::new(&include, &self.review.highlight.exclude)?;
        Ok(())
    }

    /// Writes the decisions file with `writer` (tests inject disk-full and permission errors).
    pub fn with_writer(mut self, writer: Writer) -> Self {
        self.saver = Saver::with_writer(self.decisions_path.clone(), self.reviewer.clone(), writer);
        self
    }

    /// Replaces the clock (tests use a fixed time so files are reproducible).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The selected study's record (for a study found several times, its best fields), if the
    /// corpus is not empty. Decisions are keyed on its id.
    pub fn current(&self) -> Option<&Record> {
        self.rows.get(self.cursor).map(|&c| self.study(c))
    }

    /// The record the detail pane shows: the study, or one of its records (`member_view`).
    pub fn shown(&self) -> Option<&Record> {
        let cluster = &self.clusters.clusters[*self.rows.get(self.cursor)?];
        match self.member_view {
            Some(n) => cluster.members.get(n).map(|&i| &self.corpus.records[i]),
            None => self.current(),
        }
    }

    /// The shown record's text as it stands in its file, when the raw view has it.
    pub fn raw_text(&self) -> Option<&str> {
        let record = self.shown()?;
        let (file, text) = self.raw_file.as_ref()?;
        (*file == record.source.file).then(|| text.get(record.source.span.clone()))?
    }

    /// Handles one terminal event; returns whether the screen must be redrawn.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                self.handle_key(key);
                true
            }
            Event::Resize(width, height) => {
                self.size = Size::new(*width, *height);
                self.keep_cursor_visible();
                self.clamp_detail_scroll();
                true
            }
            Event::Paste(text) => {
                self.paste(text);
                true
            }
            _ => false,
        }
    }

    /// Handles one key: the topmost popup sees it first, otherwise the keymap decides.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        self.message = None;
        // Every key but more typing in the search prompt (and Esc, which drops them, and
        // moves within a first screen, whose rows are final) sees the results of what was
        // typed.
        if self.searching()
            && key.code != KeyCode::Esc
            && !self.only_edits_the_query(key)
            && !self.moves_within_the_first_screen(key)
        {
            self.finish_search();
        }
        if !self.popups.is_empty() {
            // Over SSH, Esc and the next key often arrive together and are read as Alt+key:
            // close the popup as the Esc asked, then handle the key itself. (The note editor
            // has Alt+keys of its own: word moves.)
            if let (KeyCode::Char(_), true) = (key.code, key.modifiers.contains(KeyModifiers::ALT))
                && !self.editing_note()
            {
                self.close_popup();
                let plain = KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT);
                return self.handle_key(&plain);
            }
            self.popup_key(key);
            return;
        }
        if let Some(command) = self.keymap.command(key) {
            self.run(command);
        }
    }

    /// Position in `rows` of the first undecided record at or after `from`, wrapping around.
    pub fn undecided_from(&self, from: usize) -> Option<usize> {
        let n = self.rows.len();
        let statuses = self.statuses_now();
        (0..n)
            .map(|step| (from + step) % n)
            .find(|&pos| statuses.of(self.rows[pos]).is_none())
    }

    fn first_undecided(&self) -> Option<usize> {
        self.undecided_from(0)
    }

    pub(super) fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn complain(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}

/// The name of `folder` as a person calls it: its last component, resolved through the file
/// system when the path has none (`.`, `..`, or the empty folder of `abstriage file.ris`).
fn folder_name(folder: &std::path::Path) -> String {
    let named = |path: &std::path::Path| path.file_name().map(|n| n.to_string_lossy().into_owned());
    let resolved = if folder.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        folder
    };
    named(folder)
        .or_else(|| resolved.canonicalize().ok().as_deref().and_then(named))
        .unwrap_or_else(|| resolved.display().to_string())
}
