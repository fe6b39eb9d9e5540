//! Commands a key can be bound to. Each has the name used in config files and a description
//! that the help overlay and the README list.

/// A bindable command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Move to the next record.
    MoveDown,
    /// Move to the previous record.
    MoveUp,
    /// Move to the first record.
    First,
    /// Move to the last record.
    Last,
    /// Move down one screen of records.
    PageDown,
    /// Move up one screen of records.
    PageUp,
    /// Scroll the record's text down.
    ScrollDown,
    /// Scroll the record's text up.
    ScrollUp,
    /// Include the record.
    Include,
    /// Exclude the record.
    Exclude,
    /// Mark the record maybe.
    Maybe,
    /// Clear the record's decision.
    Clear,
    /// Open the theme picker.
    Themes,
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
    /// Move to the next undecided record.
    NextUndecided,
    /// Show or hide the help overlay.
    Help,
    /// Quit.
    Quit,
}

impl Command {
    /// Every command, in help order.
    pub const ALL: [Command; 21] = [
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
        Command::Maybe,
        Command::Clear,
        Command::Themes,
        Command::Raw,
        Command::Members,
        Command::Split,
        Command::Merge,
        Command::Cancel,
        Command::NextUndecided,
        Command::Help,
        Command::Quit,
    ];

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
            Command::MoveDown => ("move_down", "next record"),
            Command::MoveUp => ("move_up", "previous record"),
            Command::First => ("first", "first record"),
            Command::Last => ("last", "last record"),
            Command::PageDown => ("page_down", "one screen of records down"),
            Command::PageUp => ("page_up", "one screen of records up"),
            Command::ScrollDown => ("scroll_down", "scroll the abstract down"),
            Command::ScrollUp => ("scroll_up", "scroll the abstract up"),
            Command::Include => ("include", "include"),
            Command::Exclude => ("exclude", "exclude"),
            Command::Maybe => ("maybe", "maybe"),
            Command::Clear => ("clear", "clear the decision"),
            Command::Themes => ("themes", "tag themes"),
            Command::Raw => ("raw", "the record as in its file (what cleaning did)"),
            Command::Members => ("members", "step through a duplicated study's records"),
            Command::Split => ("split", "split the record shown off its study"),
            Command::Merge => ("merge", "mark, then merge with another study"),
            Command::Cancel => ("cancel", "forget a merge mark / back to the study"),
            Command::NextUndecided => ("next_undecided", "next undecided record"),
            Command::Help => ("help", "this help"),
            Command::Quit => ("quit", "quit"),
        }
    }
}

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
        assert_eq!(Command::Quit.description(), "quit");
    }

    #[test]
    fn every_default_binding_names_a_command() {
        let config = crate::config::Config::defaults().unwrap();
        for binding in &config.bindings {
            assert!(
                Command::from_name(&binding.command).is_some(),
                "{}",
                binding.command
            );
        }
        assert_eq!(config.bindings.len(), Command::all().count());
    }
}
