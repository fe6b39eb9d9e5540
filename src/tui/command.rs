//! Commands a key can be bound to. Each has the name used in config files and a description
//! that the help overlay and the README list.

/// A bindable command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Move to the next study.
    MoveDown,
    /// Move to the previous study.
    MoveUp,
    /// Move to the first study.
    First,
    /// Move to the last study.
    Last,
    /// Move down one screen of studies.
    PageDown,
    /// Move up one screen of studies.
    PageUp,
    /// Scroll the record's text down.
    ScrollDown,
    /// Scroll the record's text up.
    ScrollUp,
    /// Include the study.
    Include,
    /// Exclude the study and choose its reasons.
    Exclude,
    /// Exclude the study for reason n (1–9) of review.toml, in one keystroke.
    ExcludeFor(u8),
    /// Mark the study maybe.
    Maybe,
    /// Clear the study's decision.
    Clear,
    /// Write a note on the study.
    Note,
    /// Open the theme picker.
    Themes,
    /// Undo the last change.
    Undo,
    /// Redo what was undone.
    Redo,
    /// Search studies as you type.
    Search,
    /// Filter the list.
    Filter,
    /// Clear the filters and the kept search.
    ClearFilters,
    /// Change the order of the list.
    Sort,
    /// Show the review's criteria.
    Criteria,
    /// Show counts and pace.
    Summary,
    /// Show or hide the other reviewers' decisions (when the review is not blind).
    Others,
    /// Show the record as it stands in its file, or the cleaned record again.
    Raw,
    /// Step through the records of a study found more than once.
    Members,
    /// Split the record shown off its study (a wrong duplicate).
    Split,
    /// Mark a study, then merge it with the next one marked (a missed duplicate).
    Merge,
    /// Forget a merge mark; show the study again instead of one of its records.
    Cancel,
    /// Move to the next undecided study.
    NextUndecided,
    /// Show or hide the help overlay.
    Help,
    /// Quit.
    Quit,
}

impl Command {
    /// Every command, in help order.
    pub const ALL: [Command; 40] = [
        Command::MoveDown,
        Command::MoveUp,
        Command::First,
        Command::Last,
        Command::PageDown,
        Command::PageUp,
        Command::ScrollDown,
        Command::ScrollUp,
        Command::Include,
        Command::Exclude,
        Command::ExcludeFor(1),
        Command::ExcludeFor(2),
        Command::ExcludeFor(3),
        Command::ExcludeFor(4),
        Command::ExcludeFor(5),
        Command::ExcludeFor(6),
        Command::ExcludeFor(7),
        Command::ExcludeFor(8),
        Command::ExcludeFor(9),
        Command::Maybe,
        Command::Clear,
        Command::Note,
        Command::Themes,
        Command::Undo,
        Command::Redo,
        Command::Search,
        Command::Filter,
        Command::ClearFilters,
        Command::Sort,
        Command::Criteria,
        Command::Summary,
        Command::Others,
        Command::Raw,
        Command::Members,
        Command::Split,
        Command::Merge,
        Command::Cancel,
        Command::NextUndecided,
        Command::Help,
        Command::Quit,
    ];

    /// Whether the command changes decisions (refused in a read-only session).
    pub fn changes_decisions(self) -> bool {
        matches!(
            self,
            Command::Include
                | Command::Exclude
                | Command::ExcludeFor(_)
                | Command::Maybe
                | Command::Clear
                | Command::Note
                | Command::Themes
                | Command::Undo
                | Command::Redo
                | Command::Split
                | Command::Merge
        )
    }

    /// Every command, in help order.
    pub fn all() -> impl Iterator<Item = Command> {
        Self::ALL.into_iter()
    }

    /// The command named `name` in a config file.
    pub fn from_name(name: &str) -> Option<Command> {
        Self::all().find(|c| c.name() == name)
    }

    /// Its name in config files.
    pub fn name(self) -> &'static str {
        self.describe().0
    }

    /// What it does, in a few words.
    pub fn description(self) -> &'static str {
        self.describe().1
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Command::MoveDown => ("move_down", "next study"),
            Command::MoveUp => ("move_up", "previous study"),
            Command::First => ("first", "first study"),
            Command::Last => ("last", "last study"),
            Command::PageDown => ("page_down", "one screen of studies down"),
            Command::PageUp => ("page_up", "one screen of studies up"),
            Command::ScrollDown => ("scroll_down", "scroll the abstract down"),
            Command::ScrollUp => ("scroll_up", "scroll the abstract up"),
            Command::Include => ("include", "include"),
            Command::Exclude => ("exclude", "exclude, choosing reasons"),
            Command::ExcludeFor(n) => EXCLUDE_FOR[usize::from(n.clamp(1, 9)) - 1],
            Command::Maybe => ("maybe", "maybe"),
            Command::Clear => ("clear", "clear the decision"),
            Command::Note => ("note", "write a note"),
            Command::Themes => ("themes", "tag themes"),
            Command::Undo => ("undo", "undo"),
            Command::Redo => ("redo", "redo"),
            Command::Search => ("search", "search as you type"),
            Command::Filter => ("filter", "filter the list"),
            Command::ClearFilters => ("clear_filters", "clear filters and search"),
            Command::Sort => ("sort", "order: corpus, year, author, title"),
            Command::Criteria => ("criteria", "the review's criteria"),
            Command::Summary => ("summary", "counts, pace and agreement"),
            Command::Others => (
                "others",
                "show / hide other reviewers' decisions (not blind)",
            ),
            Command::Raw => ("raw", "the record as in its file (what cleaning did)"),
            Command::Members => ("members", "step through a duplicated study's records"),
            Command::Split => ("split", "split the record shown off its study"),
            Command::Merge => ("merge", "mark, then merge with another study"),
            Command::Cancel => ("cancel", "forget a merge mark / back to the study"),
            Command::NextUndecided => ("next_undecided", "next undecided study"),
            Command::Help => ("help", "this help"),
            Command::Quit => ("quit", "quit"),
        }
    }
}

/// Names and descriptions of the one-keystroke exclusions.
const EXCLUDE_FOR: [(&str, &str); 9] = [
    ("exclude_reason_1", "exclude for reason 1 of review.toml"),
    ("exclude_reason_2", "exclude for reason 2"),
    ("exclude_reason_3", "exclude for reason 3"),
    ("exclude_reason_4", "exclude for reason 4"),
    ("exclude_reason_5", "exclude for reason 5"),
    ("exclude_reason_6", "exclude for reason 6"),
    ("exclude_reason_7", "exclude for reason 7"),
    ("exclude_reason_8", "exclude for reason 8"),
    ("exclude_reason_9", "exclude for reason 9"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_unique_name_that_round_trips() {
        let names: Vec<&str> = Command::all().map(Command::name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        for command in Command::all() {
            assert_eq!(Command::from_name(command.name()), Some(command));
        }
        assert_eq!(Command::ExcludeFor(3).name(), "exclude_reason_3");
        assert_eq!(Command::Quit.description(), "quit");
    }

    #[test]
    fn every_default_binding_names_a_command_and_every_command_has_one() {
        let config = crate::config::Config::defaults().unwrap();
        for binding in &config.bindings {
            assert!(
                Command::from_name(&binding.command).is_some(),
                "{}",
                binding.command
            );
        }
        assert_eq!(config.bindings.len(), Command::ALL.len());
    }
}
