//! Configuration: defaults embedded from `config/default.toml`, overridden by the user's file
//! (found with the `directories` crate, or given with `--config`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::files::{Location, TomlFileError, parse_toml};

/// The default configuration, as shipped (and as `abstriage config init` writes it).
pub const DEFAULT_CONFIG: &str = include_str!("../config/default.toml");

/// Name under which the defaults are reported in error messages.
pub const DEFAULT_CONFIG_NAME: &str = "config/default.toml (built in)";

/// Environment variable naming a config file to use instead of the user's.
pub const CONFIG_ENV: &str = "ABSTRIAGE_CONFIG";

/// How the screen behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behaviour {
    /// After a decision, move to the next undecided record.
    pub advance_after_decision: bool,
}

/// Keys bound to one command, and where that binding was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Command name (`move_down`).
    pub command: String,
    /// Key names, each with its location.
    pub keys: Vec<(String, Location)>,
    /// File the binding comes from.
    pub file: PathBuf,
    /// Where the command name stands in that file.
    pub location: Location,
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Reviewer name set in the config file.
    pub reviewer: Option<String>,
    /// Behaviour switches.
    pub behaviour: Behaviour,
    /// Key bindings, one per command, in the order of the defaults file.
    pub bindings: Vec<Binding>,
    /// The user's config file that was read, if any.
    pub user_file: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    reviewer: Option<String>,
    #[serde(default)]
    behaviour: BehaviourRepr,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BehaviourRepr {
    advance_after_decision: Option<bool>,
}

/// abstriage's folders in the user's home (config, data, runtime), when there is a home.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "abstriage")
}

/// Where the user's config file is by default (`~/.config/abstriage/config.toml` on Linux).
pub fn default_user_path() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join("config.toml"))
}

/// The user's config file: `explicit` if given, else `$ABSTRIAGE_CONFIG`, else the default path.
pub fn user_path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(CONFIG_ENV).map(PathBuf::from))
        .or_else(default_user_path)
}

/// The defaults as a user config file (`abstriage config init`): every comment and table
/// header kept, every setting commented out, so the file changes nothing until a line is
/// uncommented and edited.
pub fn commented_defaults() -> String {
    let mut out = String::from(
        "# Written by `abstriage config init`: the built-in defaults, commented out.\n\
         # Uncomment a line and change it; the lines you leave commented keep their default.\n\n",
    );
    for line in DEFAULT_CONFIG.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('[') {
            out.push_str(line);
        } else {
            out.push_str("# ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

impl Config {
    /// Loads the defaults merged with the user's file at `user` (a missing file is fine unless
    /// it was named explicitly with `required`).
    pub fn load(user: Option<&Path>, required: bool) -> Result<Self, TomlFileError> {
        let mut config = Self::defaults()?;
        let Some(path) = user else { return Ok(config) };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(config),
            Err(e) => {
                return Err(TomlFileError {
                    path: path.to_path_buf(),
                    location: None,
                    message: e.to_string(),
                });
            }
        };
        config.merge(path, &text)?;
        config.user_file = Some(path.to_path_buf());
        Ok(config)
    }

    /// The built-in defaults alone.
    pub fn defaults() -> Result<Self, TomlFileError> {
        let path = Path::new(DEFAULT_CONFIG_NAME);
        let repr: FileRepr = parse_toml(path, DEFAULT_CONFIG)?;
        let bindings = bindings_from(path, DEFAULT_CONFIG, repr.keys, true);
        Ok(Self {
            reviewer: repr.reviewer,
            behaviour: Behaviour {
                advance_after_decision: repr.behaviour.advance_after_decision.unwrap_or(true),
            },
            bindings,
            user_file: None,
        })
    }

    /// Overrides settings with those of `text`, the contents of `path`. A binding replaces the
    /// default keys of its command; a command the defaults do not know is an error.
    pub fn merge(&mut self, path: &Path, text: &str) -> Result<(), TomlFileError> {
        let repr: FileRepr = parse_toml(path, text)?;
        if repr.reviewer.is_some() {
            self.reviewer = repr.reviewer;
        }
        if let Some(advance) = repr.behaviour.advance_after_decision {
            self.behaviour.advance_after_decision = advance;
        }
        for binding in bindings_from(path, text, repr.keys, false) {
            match self
                .bindings
                .iter_mut()
                .find(|b| b.command == binding.command)
            {
                Some(existing) => *existing = binding,
                None => {
                    let known: Vec<&str> =
                        self.bindings.iter().map(|b| b.command.as_str()).collect();
                    return Err(TomlFileError {
                        path: path.to_path_buf(),
                        location: Some(binding.location),
                        message: format!(
                            "unknown command `{}` (commands: {})",
                            binding.command,
                            known.join(", ")
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

type KeysRepr = BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>;

fn bindings_from(path: &Path, text: &str, keys: KeysRepr, in_file_order: bool) -> Vec<Binding> {
    let mut bindings: Vec<Binding> = keys
        .into_iter()
        .map(|(command, keys)| Binding {
            location: Location::of_offset(text, command.span().start),
            command: command.into_inner(),
            keys: keys
                .into_inner()
                .into_iter()
                .map(|k| (Location::of_offset(text, k.span().start), k.into_inner()))
                .map(|(location, key)| (key, location))
                .collect(),
            file: path.to_path_buf(),
        })
        .collect();
    if in_file_order {
        bindings.sort_by_key(|b| (b.location.line, b.location.col));
    }
    bindings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_in_file_order() {
        let config = Config::defaults().unwrap();
        assert!(config.behaviour.advance_after_decision);
        let first: Vec<&str> = config
            .bindings
            .iter()
            .take(3)
            .map(|b| b.command.as_str())
            .collect();
        assert_eq!(first, ["move_down", "move_up", "first"]);
        let include = config
            .bindings
            .iter()
            .find(|b| b.command == "include")
            .unwrap();
        assert_eq!(include.keys[0].0, "i");
    }

    #[test]
    fn user_file_overrides_single_bindings_and_settings() {
        let mut config = Config::defaults().unwrap();
        config
            .merge(Path::new("u.toml"), "reviewer = \"Ann\"\n[behaviour]\nadvance_after_decision = false\n[keys]\ninclude = [\"y\"]\n")
            .unwrap();
        assert_eq!(config.reviewer.as_deref(), Some("Ann"));
        assert!(!config.behaviour.advance_after_decision);
        let include = config
            .bindings
            .iter()
            .find(|b| b.command == "include")
            .unwrap();
        assert_eq!(
            include.keys,
            [("y".to_string(), Location { line: 5, col: 12 })]
        );
        assert_eq!(include.file, Path::new("u.toml"));
        let exclude = config
            .bindings
            .iter()
            .find(|b| b.command == "exclude")
            .unwrap();
        assert_eq!(exclude.keys[0].0, "x");
    }

    #[test]
    fn unknown_commands_and_settings_are_located() {
        let mut config = Config::defaults().unwrap();
        let err = config
            .merge(Path::new("u.toml"), "[keys]\nincluud = [\"y\"]\n")
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("u.toml:2:1: unknown command `incluud`"),
            "{err}"
        );
        let err = config
            .merge(Path::new("u.toml"), "[behaviour]\nadvance = true\n")
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("u.toml:2:1: unknown field `advance`"),
            "{err}"
        );
    }

    #[test]
    fn missing_user_file_is_fine_unless_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.toml");
        assert!(Config::load(Some(&missing), false).is_ok());
        assert!(Config::load(Some(&missing), true).is_err());
    }

    #[test]
    fn commented_defaults_change_nothing_until_a_line_is_uncommented() {
        let text = commented_defaults();
        let path = Path::new("config.toml");
        let mut config = Config::defaults().unwrap();
        config.merge(path, &text).unwrap();
        assert_eq!(config.bindings, Config::defaults().unwrap().bindings);
        assert!(text.contains("\n[keys]\n"), "table headers stay");
        assert!(text.contains("\n# undo = [\"u\"]\n"));

        let edited = text.replace("# undo = [\"u\"]", "undo = [\"z\"]");
        config.merge(path, &edited).unwrap();
        let undo = config
            .bindings
            .iter()
            .find(|b| b.command == "undo")
            .unwrap();
        let keys: Vec<&str> = undo.keys.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["z"]);
    }
}
