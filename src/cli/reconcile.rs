//! `abstriage reconcile`: settle the studies reviewers disagree on, in the terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;

use abstriage::dedup;
use abstriage::reconcile::Strictness;
use abstriage::review::Review;
use abstriage::tui::reconcile::{self, Reconcile};

use super::Failure;

/// Opens the reconciliation view on the review at `path`.
pub fn run(path: &Path, strictness: Strictness) -> Result<(), Failure> {
    let (corpus, automatic) = super::read_corpus(path)?;
    let review = Review::load(&corpus.root).map_err(|e| Failure::BadInput(e.into()))?;
    let clusters = dedup::apply(&corpus.records, &automatic, &dedup::Overrides::default());
    let mut app = Reconcile::new(corpus, review, clusters, strictness)
        .map_err(|e| Failure::BadInput(e.into()))?;
    if !std::io::stdout().is_terminal() {
        return Err(Failure::BadInput(anyhow::anyhow!(
            "reconciling needs a terminal"
        )));
    }
    reconcile::run_in_terminal(&mut app)?;
    // Not println!: when the terminal went away during the session (a dropped SSH
    // connection), writing fails and println! would panic; the consensus is saved already.
    let _ = writeln!(
        std::io::stdout(),
        "{} of {} disagreements settled. Consensus: {}",
        app.settled_count(),
        app.items.len(),
        app.consensus_path.display()
    );
    Ok(())
}
