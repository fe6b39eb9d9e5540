//! The search thread: it takes the newest query typed, searches while the typist goes on
//! typing, and hands back the results: the first screen of them as soon as it is certain, then
//! all of them; queries overtaken by a newer one before or while they run are dropped.
//!
//! The [`Searcher`] is the typist's side: it sends each query with its haystack and takes the
//! results. The [`Desk`] is the thread's side; [`Searcher::spawn`] serves it with an
//! [`Engine`] on a thread of its own, and tests hold it to answer when they choose.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvError, Sender, TryRecvError};

use super::engine::{Engine, Found, Haystack};
use super::records::Query;

/// A query to search for.
#[derive(Debug)]
pub struct Request {
    /// Numbers the requests, in the order sent.
    pub id: u64,
    /// What was typed.
    pub text: String,
    /// What to search.
    pub haystack: Haystack,
    /// The results a screen shows: when finding the best this many first is quicker than
    /// ranking them all, they are handed back first ([`Engine::first_screen`]). 0 for the
    /// complete results only.
    pub rows: usize,
}

/// What a search found.
#[derive(Debug)]
pub struct Outcome {
    /// The request's number.
    pub id: u64,
    /// What was typed.
    pub text: String,
    /// The results; `None` when nothing but spaces was typed.
    pub found: Option<Found>,
    /// Only the first screen of the results (the request's `rows` best, exactly those the
    /// complete ranking starts with): the complete results follow.
    pub partial: bool,
}

/// The search thread is gone (it panicked): search on the caller's thread instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the search thread has stopped")]
pub struct Gone;

/// The typist's side of the search thread.
pub struct Searcher {
    requests: Sender<Request>,
    outcomes: Receiver<Outcome>,
    /// The number of the one request whose results are wanted.
    wanted: Arc<AtomicU64>,
    /// The last number given.
    sent: u64,
}

/// The search thread's side: takes requests and answers them.
pub struct Desk {
    requests: Receiver<Request>,
    outcomes: Sender<Outcome>,
    wanted: Arc<AtomicU64>,
}

impl Searcher {
    /// A searcher with its thread (searching on every core through rayon). If no thread can be
    /// started, every wait reports [`Gone`].
    pub fn spawn() -> Self {
        let (searcher, desk) = Self::manual();
        // Without a thread the desk is dropped, and the searcher sees it gone.
        let _ = std::thread::Builder::new()
            .name("search".into())
            .spawn(move || desk.serve());
        searcher
    }

    /// A searcher whose requests go to the [`Desk`] returned, for tests to answer.
    pub fn manual() -> (Self, Desk) {
        let (requests, requested) = mpsc::channel();
        let (answer, outcomes) = mpsc::channel();
        let wanted = Arc::new(AtomicU64::new(0));
        let desk = Desk {
            requests: requested,
            outcomes: answer,
            wanted: Arc::clone(&wanted),
        };
        let searcher = Self {
            requests,
            outcomes,
            wanted,
            sent: 0,
        };
        (searcher, desk)
    }

    /// Asks for the results for `text` in `haystack`, instead of any asked for before, their
    /// best `rows` first when that is quicker (0 for the complete results only). Returns the
    /// request's number.
    pub fn send(&mut self, text: &str, haystack: Haystack, rows: usize) -> u64 {
        let id = self.forget();
        // A send fails only when the thread is gone, which the wait for it reports.
        let _ = self.requests.send(Request {
            id,
            text: text.to_string(),
            haystack,
            rows,
        });
        id
    }

    /// No results are wanted any more: a search running stops at its next chunk. Returns the
    /// number no request has.
    pub fn forget(&mut self) -> u64 {
        self.sent += 1;
        self.wanted.store(self.sent, Ordering::SeqCst);
        self.sent
    }

    /// The newest outcome of request `id` if one has come: its complete results if they
    /// came, else its first screen (outcomes of others are dropped).
    pub fn take(&self, id: u64) -> Result<Option<Outcome>, Gone> {
        let mut taken = None;
        loop {
            match self.outcomes.try_recv() {
                Ok(outcome) if outcome.id == id => {
                    let complete = !outcome.partial;
                    taken = Some(outcome);
                    if complete {
                        return Ok(taken);
                    }
                }
                Ok(_) => {}
                Err(TryRecvError::Empty) => return Ok(taken),
                Err(TryRecvError::Disconnected) if taken.is_some() => return Ok(taken),
                Err(TryRecvError::Disconnected) => return Err(Gone),
            }
        }
    }

    /// Waits for the complete results of request `id` (its first screen and the outcomes of
    /// others are dropped).
    pub fn wait(&self, id: u64) -> Result<Outcome, Gone> {
        loop {
            match self.outcomes.recv() {
                Ok(outcome) if outcome.id == id && !outcome.partial => return Ok(outcome),
                Ok(_) => {}
                Err(RecvError) => return Err(Gone),
            }
        }
    }
}

impl Desk {
    /// The newest request, waiting for one if none is there; the older ones waiting are
    /// dropped. `None` once the searcher is gone.
    pub fn next(&self) -> Option<Request> {
        let mut request = self.requests.recv().ok()?;
        while let Ok(newer) = self.requests.try_recv() {
            request = newer;
        }
        Some(request)
    }

    /// Whether the results of request `id` are still wanted (no newer request was sent, and
    /// the searcher did not forget it).
    pub fn wanted(&self, id: u64) -> bool {
        self.wanted.load(Ordering::SeqCst) == id
    }

    /// Hands back an outcome. Returns false when the searcher is gone.
    pub fn answer(&self, outcome: Outcome) -> bool {
        self.outcomes.send(outcome).is_ok()
    }

    /// Answers `request` with `engine`: hands back its first screen at once when there is
    /// one and it is still wanted, then returns its complete results; `None` when it stopped
    /// because a newer one came.
    pub fn search(&self, engine: &mut Engine, request: Request) -> Option<Outcome> {
        let (wanted, id) = (&*self.wanted, request.id);
        let stop = || wanted.load(Ordering::SeqCst) != id;
        let found = match Query::new(&request.text) {
            Some(query) => {
                let query = Arc::new(query);
                if let Some(first) =
                    engine.first_screen(&query, &request.haystack, request.rows, &stop)
                    && self.wanted(id)
                {
                    // A searcher gone is seen when the complete results are handed back.
                    self.answer(Outcome {
                        id,
                        text: request.text.clone(),
                        found: Some(first),
                        partial: true,
                    });
                }
                Some(engine.search(query, &request.haystack, &stop)?)
            }
            // Nothing typed yet (the prompt just opened): get ready for first screens.
            None if request.rows > 0 => {
                engine.prepare(&request.haystack);
                None
            }
            None => None,
        };
        Some(Outcome {
            id,
            text: request.text,
            found,
            partial: false,
        })
    }

    /// Serves requests until the searcher is gone: the newest one each time, answered only
    /// while it is still wanted. (A search finished after a newer request came is still kept
    /// by the engine, which the newer one may continue from.)
    pub fn serve(self) {
        let mut engine = Engine::default();
        while let Some(request) = self.next() {
            if !self.wanted(request.id) {
                continue;
            }
            let id = request.id;
            if let Some(outcome) = self.search(&mut engine, request)
                && self.wanted(id)
                && !self.answer(outcome)
            {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use crate::search::screen::Budget;

    fn haystack() -> Haystack {
        let titled = |title: &str| Record {
            title: title.into(),
            ..Record::default()
        };
        Haystack::all(vec![
            titled("Insulin pumps"),
            titled("Glucose at home"),
            titled("Insulin resistance"),
        ])
    }

    #[test]
    fn only_the_newest_request_is_searched_and_answered() {
        let (mut searcher, desk) = Searcher::manual();
        let first = searcher.send("glucose", haystack(), 0);
        let newest = searcher.send("insulin", haystack(), 0);
        assert_ne!(first, newest);
        let request = desk.next().unwrap();
        assert_eq!((request.id, request.text.as_str()), (newest, "insulin"));
        assert!(desk.wanted(newest) && !desk.wanted(first));
        let mut engine = Engine::default();
        let outcome = desk.search(&mut engine, request).unwrap();
        let keys: Vec<usize> = outcome
            .found
            .as_ref()
            .unwrap()
            .scores
            .iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(keys, [0, 2]);
        // An outcome for an older request is dropped by the searcher, not taken for the newer.
        desk.answer(Outcome {
            id: first,
            text: "glucose".into(),
            found: None,
            partial: false,
        });
        desk.answer(outcome);
        let taken = searcher.take(newest).unwrap().unwrap();
        assert_eq!(taken.text, "insulin");
        assert!(searcher.take(newest).unwrap().is_none());
    }

    #[test]
    fn a_forgotten_request_stops_and_is_not_answered() {
        let (mut searcher, desk) = Searcher::manual();
        searcher.send("insulin", haystack(), 0);
        searcher.forget();
        let request = desk.next().unwrap();
        assert!(desk.search(&mut Engine::default(), request).is_none());
    }

    #[test]
    fn the_thread_answers_and_its_end_is_seen() {
        let mut searcher = Searcher::spawn();
        let id = searcher.send("insulin pumps", haystack(), 0);
        let outcome = searcher.wait(id).unwrap();
        assert_eq!(outcome.found.unwrap().scores.len(), 1);
        let id = searcher.send("   ", haystack(), 0);
        assert!(searcher.wait(id).unwrap().found.is_none());
        let (searcher, desk) = Searcher::manual();
        drop(desk);
        assert_eq!(searcher.take(1).unwrap_err(), Gone);
        assert_eq!(searcher.wait(1).unwrap_err(), Gone);
    }

    /// Twelve studies, the insulin ones (titles starting with "Insulin") at keys 2, 5 and 9.
    fn twelve() -> Haystack {
        let titled = |title: &str| Record {
            title: title.into(),
            ..Record::default()
        };
        Haystack::all(
            (0..12)
                .map(|i| match i {
                    2 | 5 | 9 => titled("Insulin pumps"),
                    _ => titled("Glucose and vitamin intake"),
                })
                .collect(),
        )
    }

    #[test]
    fn the_first_screen_is_handed_back_before_the_complete_results() {
        let (mut searcher, desk) = Searcher::manual();
        let id = searcher.send("in", twelve(), 2);
        let request = desk.next().unwrap();
        assert_eq!(request.rows, 2);
        // An engine looking for a first screen among more than 4 records, giving up after 4.
        let complete = desk
            .search(
                &mut Engine::with_budget(Budget { most: 4, share: 1 }),
                request,
            )
            .unwrap();
        // "in" on "Insulin ..." reaches its bound (a title starting with "I"): the first two
        // such titles are the first screen, handed back while the complete results were found.
        let first = searcher.take(id).unwrap().unwrap();
        assert!(first.partial && !complete.partial);
        assert_eq!(first.found.as_ref().unwrap().ranked, [2, 5]);
        let all = complete.found.as_ref().unwrap();
        assert_eq!(all.ranked.len(), 12, "\"in\" is in every title");
        assert_eq!(all.ranked[..3], [2, 5, 9]);
        // Both waiting: `take` gives the complete results, `wait` never the first screen.
        desk.answer(Outcome {
            partial: true,
            ..first
        });
        desk.answer(complete);
        assert!(!searcher.take(id).unwrap().unwrap().partial);
        let id = searcher.send("in", twelve(), 2);
        let request = desk.next().unwrap();
        let complete = desk
            .search(
                &mut Engine::with_budget(Budget { most: 4, share: 1 }),
                request,
            )
            .unwrap();
        desk.answer(complete);
        assert!(!searcher.wait(id).unwrap().partial);
    }

    #[test]
    fn a_newer_request_stops_the_first_screen_too() {
        let (mut searcher, desk) = Searcher::manual();
        let older = searcher.send("in", twelve(), 2);
        let newer = searcher.send("ins", twelve(), 2);
        let request = Request {
            id: older,
            text: "in".into(),
            haystack: twelve(),
            rows: 2,
        };
        assert!(
            desk.search(
                &mut Engine::with_budget(Budget { most: 4, share: 1 }),
                request
            )
            .is_none()
        );
        // Nothing was handed back for it, not even a first screen.
        assert!(searcher.take(older).unwrap().is_none());
        assert!(desk.wanted(newer));
    }
}
