//! Key names (`j`, `ctrl-r`, `pagedown`) to terminal key events, and the keymap built from the
//! configuration: a key bound twice, or a name that is no key, is an error naming file, line
//! and key.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::command::Command;
use crate::config::Config;
use crate::files::TomlFileError;

/// A key with its modifiers, normalised so that `G` and `shift-g` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl / Alt (Shift is folded into the character for character keys).
    pub modifiers: KeyModifiers,
}

impl Key {
    /// The key of a terminal key event.
    pub fn from_event(event: &KeyEvent) -> Self {
        Self::normalised(event.code, event.modifiers)
    }

    fn normalised(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, modifiers }
    }
}

/// Parses a key name as written in config files.
pub fn parse_key(name: &str) -> Result<Key, String> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = name;
    loop {
        let lower = rest.to_ascii_lowercase();
        let (prefix_len, modifier) = if lower.starts_with("ctrl-") {
            (5, KeyModifiers::CONTROL)
        } else if lower.starts_with("alt-") {
            (4, KeyModifiers::ALT)
        } else if lower.starts_with("shift-") {
            (6, KeyModifiers::SHIFT)
        } else {
            break;
        };
        if rest.len() == prefix_len {
            break;
        }
        modifiers |= modifier;
        rest = &rest[prefix_len..];
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => KeyCode::Char(if modifiers.contains(KeyModifiers::CONTROL) {
            c.to_ascii_lowercase()
        } else {
            c
        }),
        _ => match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            f if f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                return Err(format!(
                    "`{name}` is not a key name (try \"j\", \"ctrl-r\", \"pagedown\", \"space\")"
                ));
            }
        },
    };
    Ok(Key::normalised(code, modifiers))
}

/// How a key is shown in help: arrows as arrows, names capitalised.
pub fn display_key(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "down" => "↓".into(),
        "up" => "↑".into(),
        "left" => "←".into(),
        "right" => "→".into(),
        "pagedown" | "pgdn" => "PgDn".into(),
        "pageup" | "pgup" => "PgUp".into(),
        "space" => "Space".into(),
        "enter" | "return" => "Enter".into(),
        "esc" | "escape" => "Esc".into(),
        "home" => "Home".into(),
        "end" => "End".into(),
        _ if name.len() > 1 => {
            let lower = name.to_ascii_lowercase();
            lower.replace("ctrl-", "Ctrl-").replace("alt-", "Alt-")
        }
        _ => name.to_string(),
    }
}

/// The active key bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    keys: HashMap<Key, Command>,
    /// Key names per command, in help order, as configured.
    pub bindings: Vec<(Command, Vec<String>)>,
}

impl Keymap {
    /// Builds the keymap from the configuration's bindings.
    pub fn from_config(config: &Config) -> Result<Self, TomlFileError> {
        let mut keys: HashMap<Key, (Command, String)> = HashMap::new();
        let mut bindings = Vec::new();
        for binding in &config.bindings {
            let error = |location, message: String| TomlFileError {
                path: binding.file.clone(),
                location: Some(location),
                message,
            };
            let command = Command::from_name(&binding.command).ok_or_else(|| {
                error(
                    binding.location,
                    format!("unknown command `{}`", binding.command),
                )
            })?;
            let mut names = Vec::new();
            for (name, location) in &binding.keys {
                let key = parse_key(name).map_err(|message| error(*location, message))?;
                if let Some((other, _)) = keys.get(&key).filter(|(other, _)| *other != command) {
                    return Err(error(
                        *location,
                        format!(
                            "key `{name}` is bound twice: to `{}` and to `{}`",
                            other.name(),
                            command.name()
                        ),
                    ));
                }
                keys.insert(key, (command, name.clone()));
                names.push(name.clone());
            }
            bindings.push((command, names));
        }
        bindings.sort_by_key(|(command, _)| Command::ALL.iter().position(|c| c == command));
        Ok(Self {
            keys: keys.into_iter().map(|(k, (c, _))| (k, c)).collect(),
            bindings,
        })
    }

    /// The command bound to a key event.
    pub fn command(&self, event: &KeyEvent) -> Option<Command> {
        self.keys.get(&Key::from_event(event)).copied()
    }

    /// The first key bound to `command`, as shown in hints (`?`, `Space`).
    pub fn hint(&self, command: Command) -> String {
        self.bindings
            .iter()
            .find(|(c, _)| *c == command)
            .and_then(|(_, keys)| keys.first())
            .map(|k| display_key(k))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn key_names_parse() {
        assert_eq!(
            parse_key("j"),
            Ok(Key {
                code: KeyCode::Char('j'),
                modifiers: KeyModifiers::NONE
            })
        );
        assert_eq!(
            parse_key("ctrl-r"),
            Ok(Key {
                code: KeyCode::Char('r'),
                modifiers: KeyModifiers::CONTROL
            })
        );
        assert_eq!(parse_key("Ctrl-R"), parse_key("ctrl-r"));
        assert_eq!(parse_key("shift-g"), parse_key("G"));
        assert_eq!(parse_key("space").map(|k| k.code), Ok(KeyCode::Char(' ')));
        assert_eq!(parse_key("f5").map(|k| k.code), Ok(KeyCode::F(5)));
        assert_eq!(parse_key("-").map(|k| k.code), Ok(KeyCode::Char('-')));
        assert!(parse_key("ctrl-").is_err(), "a modifier needs a key");
        assert_eq!(
            parse_key("ctrl--"),
            Ok(Key {
                code: KeyCode::Char('-'),
                modifiers: KeyModifiers::CONTROL
            })
        );
        assert!(
            parse_key("pagedwon")
                .unwrap_err()
                .contains("`pagedwon` is not a key name")
        );
        assert!(parse_key("f13").is_err());
    }

    #[test]
    fn default_keymap_resolves_events_with_or_without_shift_reported() {
        let keymap = Keymap::from_config(&Config::defaults().unwrap()).unwrap();
        assert_eq!(
            keymap.command(&event(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Command::MoveDown)
        );
        assert_eq!(
            keymap.command(&event(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Last)
        );
        assert_eq!(
            keymap.command(&event(KeyCode::Char('G'), KeyModifiers::NONE)),
            Some(Command::Last)
        );
        assert_eq!(
            keymap.command(&event(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Command::Clear)
        );
        assert_eq!(
            keymap.command(&event(KeyCode::Char('j'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(keymap.hint(Command::Help), "?");
        assert_eq!(keymap.bindings.len(), Command::ALL.len());
    }

    #[test]
    fn a_key_bound_twice_is_an_error_naming_file_line_and_key() {
        let mut config = Config::defaults().unwrap();
        config
            .merge(
                Path::new("user.toml"),
                "[keys]\n\ninclude = [\"i\", \"j\"]\n",
            )
            .unwrap();
        let err = Keymap::from_config(&config).unwrap_err().to_string();
        assert_eq!(
            err,
            "user.toml:3:17: key `j` is bound twice: to `move_down` and to `include`"
        );
    }

    #[test]
    fn an_unknown_key_name_is_an_error_naming_file_line_and_key() {
        let mut config = Config::defaults().unwrap();
        config
            .merge(
                Path::new("user.toml"),
                "[keys]\nquit = [\"ctrl-q\", \"escc\"]\n",
            )
            .unwrap();
        let err = Keymap::from_config(&config).unwrap_err().to_string();
        assert!(
            err.starts_with("user.toml:2:19: `escc` is not a key name"),
            "{err}"
        );
    }

    #[test]
    fn rebinding_a_command_frees_its_old_keys() {
        let mut config = Config::defaults().unwrap();
        config
            .merge(
                Path::new("user.toml"),
                "[keys]\ninclude = [\"y\"]\nmaybe = [\"i\"]\n",
            )
            .unwrap();
        let keymap = Keymap::from_config(&config).unwrap();
        assert_eq!(
            keymap.command(&event(KeyCode::Char('i'), KeyModifiers::NONE)),
            Some(Command::Maybe)
        );
        assert_eq!(
            keymap.command(&event(KeyCode::Char('y'), KeyModifiers::NONE)),
            Some(Command::Include)
        );
    }
}
