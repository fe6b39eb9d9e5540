//! File plumbing shared by everything abstriage writes or parses: atomic replacement, and
//! TOML errors located by `file:line:col`.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes` so that a reader (or a crash) sees either the old file or the
/// new one, never a mix: write a temporary file beside it, flush it to disk, rename it over the
/// target, then flush the directory so the rename itself survives a power cut.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".abstriage-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Where in a text file something is: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
}

impl Location {
    /// The location of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self {
            line,
            col: text[line_start..offset].chars().count() + 1,
        }
    }
}

/// A TOML file that does not parse or does not mean what abstriage expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TomlFileError {
    /// The file.
    pub path: PathBuf,
    /// Where in it, when known.
    pub location: Option<Location>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl fmt::Display for TomlFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some(Location { line, col }) => {
                write!(f, "{}:{line}:{col}: {}", self.path.display(), self.message)
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl TomlFileError {
    /// An error at byte `offset` of `text`, the contents of `path`.
    pub fn at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            location: Some(Location::of_offset(text, offset)),
            message: message.into(),
        }
    }

    /// Converts a `toml` parse error on `text`, the contents of `path`.
    pub fn from_toml(path: &Path, text: &str, error: &toml::de::Error) -> Self {
        Self {
            path: path.to_path_buf(),
            location: error
                .span()
                .map(|span| Location::of_offset(text, span.start)),
            message: error.message().trim().to_string(),
        }
    }
}

/// Parses `text` (the contents of `path`) as TOML into `T`, locating any error.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, TomlFileError> {
    toml::from_str(text).map_err(|e| TomlFileError::from_toml(path, text, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(Location::of_offset(text, 0), Location { line: 1, col: 1 });
        assert_eq!(
            Location::of_offset(text, text.find('x').unwrap_or(0)),
            Location { line: 2, col: 6 }
        );
    }

    #[test]
    fn parse_errors_name_file_line_and_column() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: u32,
        }
        let err = parse_toml::<T>(Path::new("x.toml"), "\na = \"text\"\n").unwrap_err();
        assert!(err.to_string().starts_with("x.toml:2:5: "), "{err}");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.toml");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.toml"]);
    }
}
