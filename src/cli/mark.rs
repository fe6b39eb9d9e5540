//! `abstriage mark`: decisions from a script — one study by id, or every study a query
//! (`--where`, see `docs/query.md`) matches — stored exactly as the TUI stores them: under the
//! study's id, in the reviewer's own file, with the time of the change.

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

use abstriage::decisions::{Decision, Decisions, Status, file};
use abstriage::dedup::merged;
use abstriage::query::{Query, Study};
use abstriage::record::{Record, RecordId, truncate_words};
use abstriage::session::{Options, Session};
use abstriage::team;
use anyhow::{Context, anyhow};
use clap::Args;
use jiff::Timestamp;

use super::{Failure, open};

/// Longest title shown in a line of the listing (in characters).
const TITLE_CHARS: usize = 70;
/// Longest note shown in a line of the listing (in characters).
const NOTE_CHARS: usize = 30;

/// `abstriage mark` arguments.
#[derive(Args, Debug)]
#[command(
    override_usage = "abstriage mark [PATH] ID ACTION [OPTIONS]\n       \
                      abstriage mark [PATH] ACTION --where QUERY [OPTIONS]",
    after_help = "ACTION is include, exclude, maybe or clear (clear removes the decision and \
                  its reasons, keeps themes and note).\n\
                  Examples:\n  \
                  abstriage mark . h0940cb59c3bc exclude --reason \"not qualitative\"\n  \
                  abstriage mark reviews/rats exclude --where 'title:rat* -status:include' \
                  --reason \"animal study\" --dry-run"
)]
pub struct MarkArgs {
    /// `[PATH] ID ACTION`, or with --where `[PATH] ACTION`. PATH is the corpus (default: the
    /// current folder); ID a record id, as `abstriage export` lists them.
    #[arg(value_name = "ARGS", required = true)]
    args: Vec<String>,
    /// Decide every study QUERY matches instead of one id, e.g. `title:rat* -status:include`
    /// (language: docs/query.md).
    #[arg(long = "where", value_name = "QUERY", allow_hyphen_values = true)]
    query: Option<String>,
    /// Exclusion reason, with `exclude` only; repeat for several. Replaces the study's reasons.
    #[arg(long, value_name = "R")]
    reason: Vec<String>,
    /// Theme to add to the study; repeat for several.
    #[arg(long, value_name = "T")]
    theme: Vec<String>,
    /// Note replacing the study's note (`--note ""` removes it).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    note: Option<String>,
    /// Add reasons and themes that review.toml does not list to it (otherwise a warning).
    #[arg(long)]
    add_missing: bool,
    /// List what would change and write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// The verdict asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Set(Status),
    Clear,
}

/// Which studies to decide.
enum Target {
    One(String),
    Where(Query),
}

/// What to do to each study chosen.
struct Change {
    action: Action,
    reasons: Vec<String>,
    themes: Vec<String>,
    note: Option<String>,
}

/// Runs `abstriage mark`.
pub fn run(args: MarkArgs, options: &Options) -> Result<(), Failure> {
    let (path, target, action) = interpret(&args)?;
    if !args.reason.is_empty() && action != Action::Set(Status::Exclude) {
        return Err(bad(anyhow!(
            "--reason goes with `exclude` only (a reason says why a study is excluded)"
        )));
    }
    let mut session = open(&path, options)?;
    let consensus_file = session
        .decisions_path
        .file_name()
        .is_some_and(|name| name == team::CONSENSUS_FILE);
    if team::is_consensus_name(&session.reviewer) || consensus_file {
        return Err(bad(anyhow!(
            "`{}` holds the team's reconciled decisions, not a reviewer's: mark as yourself \
             with --reviewer NAME",
            team::CONSENSUS
        )));
    }
    let chosen = match &target {
        Target::One(id) => vec![study_of(&session, id)?],
        Target::Where(query) => {
            let chosen = matching(&session, query);
            eprintln!(
                "abstriage: {} of {} studies match the query",
                chosen.len(),
                session.clusters.clusters.len()
            );
            chosen
        }
    };
    // Only now, with the studies known, may review.toml be touched (--add-missing).
    let change = Change {
        action,
        reasons: listed(&mut session, Kind::Reason, &args)?,
        themes: listed(&mut session, Kind::Theme, &args)?,
        note: args.note.clone(),
    };
    let now = Timestamp::now();
    let lines: Vec<String> = chosen
        .into_iter()
        .filter_map(|cluster| apply(&mut session, cluster, &change, now))
        .collect();
    // Saved before anything is printed, so a closed pipe (`| head`) cannot lose the change.
    if !args.dry_run && !lines.is_empty() {
        file::save(
            &session.decisions_path,
            &session.reviewer,
            &session.decisions,
        )
        .context("saving the decisions")?;
    }
    let studies = if lines.len() == 1 { "study" } else { "studies" };
    let mut out = std::io::stdout().lock();
    for line in &lines {
        writeln!(out, "{line}").context("writing the listing")?;
    }
    if args.dry_run {
        writeln!(
            out,
            "{} {studies} would change; nothing written (dry run)",
            lines.len()
        )
    } else {
        writeln!(
            out,
            "{} {studies} changed; decisions: {}",
            lines.len(),
            session.decisions_path.display()
        )
    }
    .context("writing the listing")?;
    Ok(())
}

fn bad(error: anyhow::Error) -> Failure {
    Failure::BadInput(error)
}

/// The positional arguments, read by hand: `[PATH] ID ACTION`, or with --where
/// `[PATH] ACTION`.
fn interpret(args: &MarkArgs) -> Result<(PathBuf, Target, Action), Failure> {
    enum Chosen<'a> {
        Id(&'a str),
        Query(&'a str),
    }
    let (path, chosen, action) = match (args.query.as_deref(), args.args.as_slice()) {
        (None, [id, action]) => (".", Chosen::Id(id), action),
        (None, [path, id, action]) => (path.as_str(), Chosen::Id(id), action),
        (None, _) => {
            return Err(bad(anyhow!(
                "give a record id and an action: abstriage mark [PATH] ID \
                 include|exclude|maybe|clear (or --where QUERY to choose studies by a query)"
            )));
        }
        (Some(query), [action]) => (".", Chosen::Query(query), action),
        (Some(query), [path, action]) => (path.as_str(), Chosen::Query(query), action),
        (Some(_), _) => {
            return Err(bad(anyhow!(
                "with --where, give only [PATH] ACTION: the query chooses the studies, \
                 not an id"
            )));
        }
    };
    let action = parse_action(action).map_err(|e| {
        let swapped = matches!(chosen, Chosen::Id(id) if parse_action(id).is_ok());
        bad(if swapped {
            anyhow!("{e}; the action comes last: abstriage mark [PATH] ID ACTION")
        } else {
            e
        })
    })?;
    let target = match chosen {
        Chosen::Id(id) => Target::One(id.to_string()),
        Chosen::Query(query) => {
            Target::Where(Query::parse(query).map_err(|e| bad(anyhow!("--where: {e}")))?)
        }
    };
    Ok((PathBuf::from(path), target, action))
}

fn parse_action(word: &str) -> Result<Action, anyhow::Error> {
    if word.eq_ignore_ascii_case("clear") {
        return Ok(Action::Clear);
    }
    word.parse::<Status>()
        .map(Action::Set)
        .map_err(|_| anyhow!("unknown action `{word}` (expected include, exclude, maybe or clear)"))
}

#[derive(Clone, Copy)]
enum Kind {
    Reason,
    Theme,
}

/// The reasons or themes asked for, once each, spelt as review.toml spells them. One that
/// review.toml does not list is added to it with --add-missing, else kept with a warning.
fn listed(session: &mut Session, kind: Kind, args: &MarkArgs) -> Result<Vec<String>, Failure> {
    let (asked, word) = match kind {
        Kind::Reason => (&args.reason, "reason"),
        Kind::Theme => (&args.theme, "theme"),
    };
    let mut kept: Vec<String> = Vec::new();
    for value in asked.iter().map(|v| v.trim()) {
        if value.is_empty() {
            return Err(bad(anyhow!("--{word} needs a {word}, not an empty text")));
        }
        let known = match kind {
            Kind::Reason => &session.review.reasons,
            Kind::Theme => &session.review.themes,
        };
        let value = match known.iter().find(|k| k.eq_ignore_ascii_case(value)) {
            Some(spelt) => spelt.clone(),
            None if args.add_missing && args.dry_run => {
                eprintln!("abstriage: would add {word} `{value}` to review.toml");
                value.to_string()
            }
            None if args.add_missing => {
                let root = session.corpus.root.clone();
                match kind {
                    Kind::Reason => session.review.add_reason(&root, value),
                    Kind::Theme => session.review.add_theme(&root, value),
                }
                .map_err(|e| {
                    Failure::Other(anyhow::Error::new(e).context(format!("adding {word}")))
                })?;
                eprintln!("abstriage: added {word} `{value}` to review.toml");
                value.to_string()
            }
            None => {
                eprintln!(
                    "abstriage: warning: {word} `{value}` is not in review.toml (recorded \
                     anyway; --add-missing adds it there)"
                );
                value.to_string()
            }
        };
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    Ok(kept)
}

/// The study (cluster index) holding record `id`; a duplicate record's study is decided,
/// and the reviewer told so.
fn study_of(session: &Session, id: &str) -> Result<usize, Failure> {
    let records = &session.corpus.records;
    let index = records
        .iter()
        .position(|r| r.id.as_str() == id)
        .or_else(|| {
            // DOIs are stored lower-cased; one pasted as published still names its record.
            records
                .iter()
                .position(|r| r.id.as_str().eq_ignore_ascii_case(id))
        })
        .ok_or_else(|| {
            bad(anyhow!(
                "no record with id `{id}` in {} (`abstriage export` lists every record's id)",
                session.corpus.root.display()
            ))
        })?;
    let cluster = session.clusters.of_record[index];
    let study = &session.clusters.clusters[cluster].id;
    if *study != records[index].id {
        eprintln!(
            "abstriage: {} is a duplicate record of study {study}: deciding the study",
            records[index].id
        );
    }
    Ok(cluster)
}

/// The studies (cluster indices) `query` matches, in corpus order.
fn matching(session: &Session, query: &Query) -> Vec<usize> {
    let records = &session.corpus.records;
    (0..session.clusters.clusters.len())
        .filter(|&c| {
            let cluster = &session.clusters.clusters[c];
            let files: Vec<&str> = cluster
                .members
                .iter()
                .map(|&i| records[i].source.file.as_str())
                .collect();
            let ids = cluster.members.iter().map(|&i| &records[i].id);
            query.matches(&Study {
                record: &study_record(session, c),
                files: &files,
                decision: session.decisions.for_study(&cluster.id, ids),
            })
        })
        .collect()
}

/// The record a study is read as: its only record, or its records merged (as the TUI shows it).
fn study_record(session: &Session, cluster: usize) -> Cow<'_, Record> {
    let cluster = &session.clusters.clusters[cluster];
    let records = &session.corpus.records;
    if cluster.is_duplicated() {
        Cow::Owned(merged(records, cluster))
    } else {
        Cow::Borrowed(&records[cluster.representative()])
    }
}

/// Applies `change` to study `cluster`, stored under the study's id (decisions left under its
/// members are gathered there first, as the TUI does). Returns the listing line when the
/// decision changed; a study already so is left exactly as it was, time stamp included.
fn apply(session: &mut Session, cluster: usize, change: &Change, now: Timestamp) -> Option<String> {
    let title = study_record(session, cluster).display_title();
    let records = &session.corpus.records;
    let study = session.clusters.clusters[cluster].id.clone();
    let mut ids: Vec<RecordId> = session.clusters.clusters[cluster]
        .members
        .iter()
        .map(|&i| records[i].id.clone())
        .collect();
    if !ids.contains(&study) {
        ids.push(study.clone());
    }
    let decisions = &mut session.decisions;
    let before = decisions.for_study(&study, ids.iter()).cloned();
    let saved: Vec<(RecordId, Option<Decision>)> = ids
        .iter()
        .map(|id| (id.clone(), decisions.get(id).cloned()))
        .collect();
    decisions.gather(&study, &ids);
    change.apply(decisions, &study, &title, now);
    let after = decisions.get(&study).cloned();
    if same_decision(before.as_ref(), after.as_ref()) {
        for (id, entry) in saved {
            decisions.restore(&id, entry);
        }
        return None;
    }
    Some(format!(
        "{study}\t{}\t{} → {}",
        truncate_words(&title, TITLE_CHARS),
        describe(before.as_ref()),
        describe(after.as_ref())
    ))
}

impl Change {
    /// The change, through the same calls the TUI's keys make.
    fn apply(&self, decisions: &mut Decisions, id: &RecordId, title: &str, now: Timestamp) {
        match self.action {
            Action::Set(Status::Exclude) if !self.reasons.is_empty() => {
                decisions.exclude_for(id, title, self.reasons.clone(), now);
            }
            Action::Set(status) => decisions.set_status(id, title, Some(status), now),
            Action::Clear => decisions.set_status(id, title, None, now),
        }
        for theme in &self.themes {
            let has = decisions
                .get(id)
                .is_some_and(|d| d.themes.iter().any(|t| t == theme));
            if !has {
                decisions.toggle_theme(id, title, theme, now);
            }
        }
        if let Some(note) = &self.note {
            decisions.set_note(id, title, note, now);
        }
    }
}

/// Whether two decisions say the same, whenever and on whatever title they were made.
fn same_decision(a: Option<&Decision>, b: Option<&Decision>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            (a.status, &a.reasons, &a.themes, &a.note) == (b.status, &b.reasons, &b.themes, &b.note)
        }
        _ => false,
    }
}

/// A decision on one line: `exclude: not qualitative; no abstract · themes: equity · note: "…"`.
fn describe(decision: Option<&Decision>) -> String {
    let Some(d) = decision else {
        return "undecided".into();
    };
    let mut text = d.status.map_or("undecided", Status::as_str).to_string();
    if !d.reasons.is_empty() {
        text.push_str(&format!(": {}", d.reasons.join("; ")));
    }
    if !d.themes.is_empty() {
        text.push_str(&format!(" · themes: {}", d.themes.join("; ")));
    }
    if !d.note.is_empty() {
        let note = d.note.split_whitespace().collect::<Vec<_>>().join(" ");
        text.push_str(&format!(
            " · note: \"{}\"",
            truncate_words(&note, NOTE_CHARS)
        ));
    }
    text
}
