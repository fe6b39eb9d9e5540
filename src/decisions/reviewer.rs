//! Who is screening, and which file is theirs.

use std::path::{Path, PathBuf};

use crate::corpus::DECISIONS_DIR;

/// Where the reviewer's name came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSource {
    /// `--reviewer NAME`.
    Flag,
    /// `reviewer = ...` in the user's config file.
    Config,
    /// git's `user.name`.
    Git,
    /// The login name (`$USER` / `$USERNAME`).
    Login,
    /// Nothing said who: the generic name `reviewer`.
    Fallback,
}

/// The reviewer: `--reviewer`, else the config file's `reviewer`, else git's `user.name`,
/// else the login name.
pub fn resolve(flag: Option<&str>, configured: Option<&str>) -> (String, NameSource) {
    let non_empty = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(name) = non_empty(flag) {
        return (name, NameSource::Flag);
    }
    if let Some(name) = non_empty(configured) {
        return (name, NameSource::Config);
    }
    if let Some(name) = git_user_name() {
        return (name, NameSource::Git);
    }
    let login = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok();
    match non_empty(login.as_deref()) {
        Some(name) => (name, NameSource::Login),
        None => ("reviewer".to_string(), NameSource::Fallback),
    }
}

fn git_user_name() -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["config", "--get", "user.name"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let name = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !name.is_empty()).then_some(name)
}

/// A file-name-safe form of a reviewer's name: lower case, spaces as `-`, only letters,
/// digits, `-`, `_` and `.` (`Jane Doe` → `jane-doe`).
pub fn file_stem(reviewer: &str) -> String {
    let mut stem = String::new();
    for c in reviewer.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            stem.push(c);
        } else if c.is_whitespace() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_matches(['-', '.']).to_string();
    if stem.is_empty() {
        "reviewer".to_string()
    } else {
        stem
    }
}

/// The reviewer's decisions file in the review folder `root`: `screening/<stem>.toml`.
pub fn decisions_path(root: &Path, reviewer: &str) -> PathBuf {
    root.join(DECISIONS_DIR)
        .join(format!("{}.toml", file_stem(reviewer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_then_config() {
        assert_eq!(
            resolve(Some(" Ann "), Some("Bo")),
            ("Ann".to_string(), NameSource::Flag)
        );
        assert_eq!(
            resolve(Some(""), Some("Bo")),
            ("Bo".to_string(), NameSource::Config)
        );
        assert_ne!(resolve(None, None).1, NameSource::Flag);
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("Jane  Doe"), "jane-doe");
        assert_eq!(file_stem("../../etc/passwd"), "etcpasswd");
        assert_eq!(file_stem("Zoë O'Neil"), "zoë-oneil");
        assert_eq!(file_stem("  /// "), "reviewer");
        assert_eq!(
            decisions_path(Path::new("r"), "Ann"),
            Path::new("r/screening/ann.toml")
        );
    }
}
