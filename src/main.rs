//! The `abstriage` command: with no subcommand, the screening TUI; subcommands use the same core.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;

use cli::{Failure, open};

use abstriage::dedup::{self, report::DedupFormat};
use abstriage::export::{self, ExportFormat};
use abstriage::session::Options;
use abstriage::tui::{self, app::App};
use abstriage::{config, corpus, demo, files, team};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};

/// Screen study abstracts for systematic and qualitative evidence reviews.
///
/// Opens a corpus (a bibliographic file, or a folder of them: RIS, pasted web text, ...) in a
/// keyboard-driven screen. Decisions are saved after every change as TOML in
/// `<review folder>/screening/<reviewer>.toml`, ready to commit with git.
#[derive(Parser, Debug)]
#[command(name = "abstriage", version, args_conflicts_with_subcommands = true)]
struct Cli {
    /// Corpus to open: a file or a folder. Default: the bundled seeds when run from the source
    /// tree (cargo run), else the current folder if it holds a corpus.
    path: Option<PathBuf>,
    /// Also highlight TERM (as an inclusion term) in titles and abstracts, for this session
    /// only; repeat for several. `*` matches any letters: `--highlight "interview*"`.
    #[arg(long, value_name = "TERM")]
    highlight: Vec<String>,
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Option<Commands>,
}

#[derive(Args, Debug, Clone, Default)]
struct Common {
    /// Your name as reviewer (default: `reviewer` in your config, else git's user.name, else $USER).
    #[arg(long, global = true, value_name = "NAME")]
    reviewer: Option<String>,
    /// Decisions file to use instead of `<review folder>/screening/<reviewer>.toml`.
    #[arg(long, global = true, value_name = "FILE")]
    decisions: Option<PathBuf>,
    /// Config file to use instead of your user config (also: $ABSTRIAGE_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Commands {
    /// Write the bundled demo review into DIR and open it.
    Demo {
        /// Where to write it.
        #[arg(default_value = "abstriage-demo")]
        dir: PathBuf,
    },
    /// Report what reading each file gives: format, encoding, records, records without
    /// title or abstract, and every warning with its line; then check the decision files in
    /// screening/ against the corpus and review.toml. Exit status 1 when a file was skipped
    /// or a decision file has a problem.
    Check {
        /// Corpus to check (a file or a folder; default: the current folder).
        path: Option<PathBuf>,
        /// Re-attach decisions whose record id changed to the record with their title, and
        /// file decisions made on a duplicate under its study's id.
        #[arg(long)]
        fix: bool,
    },
    /// List the studies found more than once: each record with its source and why it matched.
    Dedup {
        /// Corpus to examine (a file or a folder; default: the current folder).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DedupFormat,
    },
    /// Show or create your config file (key bindings, reviewer name, behaviour).
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Inter-rater agreement for every pair of reviewers with a file in screening/: studies
    /// both screened, percent agreement, Cohen's kappa with its 95% CI, PABAK, and agreement
    /// on each exclusion reason and theme.
    Agreement {
        /// The review (a corpus file or folder; default: the current folder).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: cli::agreement::AgreementFormat,
        /// How decisions are compared.
        #[arg(long, value_enum, default_value = "three-way")]
        scheme: cli::agreement::SchemeArg,
    },
    /// Settle the studies reviewers disagree on: each reviewer's decision side by side, one
    /// key to adopt one or set a new one; saved to screening/consensus.toml.
    Reconcile {
        /// The review (a corpus file or folder; default: the current folder).
        path: Option<PathBuf>,
        /// Also list studies all reviewers excluded, but for different reasons.
        #[arg(long)]
        reasons: bool,
        /// Also list studies tagged with different themes.
        #[arg(long)]
        themes: bool,
    },
    /// Print every record with its cleaned fields, source and decision.
    Export {
        /// Corpus to export (a file or a folder; default: the current folder).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
    },
    /// Record decisions from a script: one study by id, or every study a query matches
    /// (`--where 'title:rat*'`), with `--dry-run` to see what would change.
    Mark(cli::mark::MarkArgs),
}

#[derive(Subcommand, Debug)]
enum ConfigAction {
    /// Print where your config file is (or would be): `--config`, else $ABSTRIAGE_CONFIG,
    /// else the platform's config folder.
    Path,
    /// Write a commented copy of the defaults to your config file, ready to edit.
    Init {
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// Exit status for bad input: unknown paths, unreadable or invalid files.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = Options {
        reviewer: cli.common.reviewer.clone(),
        decisions: cli.common.decisions.clone(),
        config: cli.common.config.clone(),
        cache: Default::default(),
    };
    let result = match cli.command {
        None => default_path(cli.path).and_then(|path| screen(&path, &options, &cli.highlight)),
        Some(Commands::Demo { dir }) => demo_command(&dir, &options),
        Some(Commands::Dedup { path, format }) => dedup_command(
            &path.unwrap_or_else(|| PathBuf::from(".")),
            format,
            &options,
        ),
        Some(Commands::Check { path, fix }) => {
            cli::check::run(&path.unwrap_or_else(|| PathBuf::from(".")), fix)
        }
        Some(Commands::Agreement {
            path,
            format,
            scheme,
        }) => cli::agreement::run(&path.unwrap_or_else(|| PathBuf::from(".")), format, scheme),
        Some(Commands::Reconcile {
            path,
            reasons,
            themes,
        }) => cli::reconcile::run(
            &path.unwrap_or_else(|| PathBuf::from(".")),
            abstriage::reconcile::Strictness { reasons, themes },
        ),
        Some(Commands::Config { action }) => config_command(action, &options),
        Some(Commands::Export { path, format }) => export_command(
            &path.unwrap_or_else(|| PathBuf::from(".")),
            format,
            &options,
        ),
        Some(Commands::Mark(args)) => cli::mark::run(args, &options),
    };
    if !matches!(result, Err(Failure::Signalled(_))) {
        cli::finish_cache_writes();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`abstriage export | head`): nothing left to say.
        Err(Failure::Other(e)) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(Failure::BadInput(e)) => {
            let _ = writeln!(std::io::stderr(), "abstriage: {}", report(&e));
            ExitCode::from(BAD_INPUT)
        }
        Err(Failure::Other(e)) => {
            // Not eprintln!: after a session whose terminal is gone, it would panic.
            let _ = writeln!(std::io::stderr(), "abstriage: {}", report(&e));
            ExitCode::FAILURE
        }
        Err(Failure::Silent) => ExitCode::FAILURE,
        Err(Failure::Signalled(signal)) => {
            ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX))
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == Some(std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
            || cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// An error and its causes on one line, skipping causes its message already states.
fn report(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&cause);
        }
    }
    text
}

/// The corpus to open when none is named.
fn default_path(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    if let Some(path) = given {
        return Ok(path);
    }
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR"));
    let from_cargo =
        std::env::var_os("CARGO_MANIFEST_DIR").is_some_and(|dir| Path::new(&dir) == source_tree);
    let from_target =
        std::env::current_exe().is_ok_and(|exe| exe.starts_with(source_tree.join("target")));
    let seeds = source_tree.join("seeds");
    if (from_cargo || from_target) && seeds.is_dir() {
        return Ok(seeds);
    }
    let here = PathBuf::from(".");
    if corpus::holds_corpus(&here) {
        return Ok(here);
    }
    Err(Failure::BadInput(anyhow::anyhow!(
        "no corpus here. Usage: abstriage PATH (a bibliographic file or a folder of them), \
         or `abstriage demo` to try the bundled demo review. See `abstriage --help`."
    )))
}

fn screen(path: &Path, options: &Options, highlight: &[String]) -> Result<(), Failure> {
    let (session, loading) = cli::open_progressively(path, options)?;
    if !std::io::stdout().is_terminal() {
        return Err(Failure::BadInput(anyhow::anyhow!(
            "the screening view needs a terminal; to write records out, use `abstriage export`"
        )));
    }
    let size = ratatui::crossterm::terminal::size()
        .map(|(w, h)| ratatui::layout::Size::new(w, h))
        .context("reading the terminal size")?;
    let decisions_path = session.decisions_path.clone();
    let mut app = App::new(session, size)
        .map_err(|e| Failure::BadInput(e.into()))?
        .with_loading(loading);
    if !highlight.is_empty() {
        app.highlight_also(highlight)
            .map_err(|e| Failure::BadInput(anyhow::anyhow!("--highlight: {e}")))?;
    }
    let (ending, saved) = tui::run_in_terminal(&mut app)?;
    // The copy for the next open, once the whole corpus was read (waited for before the
    // process exits, unless a signal ended the session).
    cli::keep_cache_write(app.cache_write.clone());
    if let tui::Ending::Signal(signal) = ending {
        // Over a dropped SSH connection nobody reads this, and writing it fails (`eprintln!`
        // would panic); a `kill` from a shell does read it.
        let (Ok(saved) | Err(saved)) = saved;
        let _ = writeln!(
            std::io::stderr(),
            "abstriage: ended by signal {signal}. {saved}"
        );
        return Err(Failure::Signalled(signal));
    }
    let counts = app
        .decisions
        .counts(app.corpus.records.iter().map(|r| &r.id));
    // Not println!/eprintln!: if the terminal went away without a signal reaching us, writing
    // fails and they would panic; the decisions are saved (or the failure is in `saved`).
    let mut out = std::io::stdout();
    // Quit before the whole corpus was read: the count is of the records read.
    let of = if app.loading() { "of the" } else { "of" };
    let read = if app.loading() { " read so far" } else { "" };
    let _ = writeln!(
        out,
        "{} {of} {} records{read} screened ({} included, {} excluded, {} maybe). Decisions: {}",
        counts.screened(),
        counts.total,
        counts.include,
        counts.exclude,
        counts.maybe,
        decisions_path.display()
    );
    if let Err(unsaved) = saved {
        let _ = writeln!(std::io::stderr(), "abstriage: {unsaved}");
    }
    Ok(())
}

fn demo_command(dir: &Path, options: &Options) -> Result<(), Failure> {
    let written = demo::write(dir)
        .with_context(|| format!("writing the demo review to {}", dir.display()))?;
    for file in written {
        if let demo::Written::Kept(name) = file {
            eprintln!(
                "abstriage: kept your {} in {} (it differs from the bundled one)",
                name,
                dir.display()
            );
        }
    }
    screen(dir, options, &[])
}

fn config_command(action: ConfigAction, options: &Options) -> Result<(), Failure> {
    let path = config::user_path(options.config.as_deref()).ok_or_else(|| {
        Failure::Other(anyhow::anyhow!(
            "no config folder on this system; name a file with --config or ${}",
            config::CONFIG_ENV
        ))
    })?;
    match action {
        ConfigAction::Path => println!("{}", path.display()),
        ConfigAction::Init { force } => {
            if path.exists() && !force {
                return Err(Failure::BadInput(anyhow::anyhow!(
                    "{} already exists; keeping it (use --force to replace it)",
                    path.display()
                )));
            }
            files::atomic_write(&path, config::commented_defaults().as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            println!("{}", path.display());
        }
    }
    Ok(())
}

fn dedup_command(path: &Path, format: DedupFormat, options: &Options) -> Result<(), Failure> {
    let session = open(path, options)?;
    let stdout = std::io::stdout();
    dedup::report::write(
        &mut stdout.lock(),
        format,
        &session.corpus.records,
        &session.clusters,
    )?;
    Ok(())
}

fn export_command(path: &Path, format: ExportFormat, options: &Options) -> Result<(), Failure> {
    let session = open(path, options)?;
    // Where the team reconciled a study, its consensus decision is the one exported.
    let consensus =
        team::load_consensus(&session.corpus.root).map_err(|e| Failure::BadInput(e.into()))?;
    let decisions = team::with_consensus(&session.decisions, &consensus);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    export::write(
        &mut out,
        format,
        &session.corpus.records,
        &session.clusters,
        &decisions,
    )?;
    Ok(())
}
