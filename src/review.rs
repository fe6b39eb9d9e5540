//! The review protocol (`review.toml` in the review folder): what is screened for, the
//! exclusion reasons and the themes reviewers tag. Shared by the whole team, so it is edited
//! in place, keeping its comments and layout.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::corpus::REVIEW_FILE;
use crate::files::{TomlFileError, atomic_write, parse_toml};

/// Inclusion and exclusion criteria, as free text shown to reviewers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// What a study must be to be included.
    #[serde(default)]
    pub include: String,
    /// What excludes a study.
    #[serde(default)]
    pub exclude: String,
}

/// Terms to mark in titles and abstracts while screening.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighlightTerms {
    /// Terms suggesting inclusion (`qualitativ*`, `focus group*`).
    #[serde(default)]
    pub include: Vec<String>,
    /// Terms suggesting exclusion (`randomi*ed`, `rat*`).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The protocol of one review.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Short title shown in the title bar.
    #[serde(default)]
    pub title: String,
    /// Screening criteria.
    #[serde(default)]
    pub criteria: Criteria,
    /// Exclusion reasons offered when excluding, in the order given.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Themes reviewers tag records with, in the order given.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Terms marked in titles and abstracts.
    #[serde(default)]
    pub highlight: HighlightTerms,
    /// Whether reviewers screen blind to each other's decisions (the default, as independent
    /// double screening requires); `false` lets a reviewer show them with a key.
    #[serde(default = "blind_by_default")]
    pub blind: bool,
}

fn blind_by_default() -> bool {
    true
}

impl Default for Review {
    fn default() -> Self {
        Self {
            title: String::new(),
            criteria: Criteria::default(),
            reasons: Vec::new(),
            themes: Vec::new(),
            highlight: HighlightTerms::default(),
            blind: true,
        }
    }
}

/// Why the protocol could not be read or updated.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The file does not parse or holds unexpected keys.
    #[error(transparent)]
    Invalid(#[from] TomlFileError),
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Review {
    /// Path of the protocol file of the review folder `root`.
    pub fn path(root: &Path) -> PathBuf {
        root.join(REVIEW_FILE)
    }

    /// Reads the protocol of the review folder `root`; a folder without one gets an empty
    /// protocol titled after the folder.
    pub fn load(root: &Path) -> Result<Self, ReviewError> {
        let path = Self::path(root);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let title = root
                    .canonicalize()
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_default();
                return Ok(Self {
                    title,
                    ..Self::default()
                });
            }
            Err(source) => return Err(ReviewError::Io { path, source }),
        };
        Ok(parse_toml(&path, &text)?)
    }

    /// Adds `theme` to the protocol in memory and in `review.toml` (created if missing),
    /// keeping the file's comments and layout. Adding a theme already listed does nothing.
    pub fn add_theme(&mut self, root: &Path, theme: &str) -> Result<(), ReviewError> {
        add_to(&mut self.themes, root, "themes", theme)
    }

    /// Adds an exclusion reason, as [`Review::add_theme`] adds a theme.
    pub fn add_reason(&mut self, root: &Path, reason: &str) -> Result<(), ReviewError> {
        add_to(&mut self.reasons, root, "reasons", reason)
    }
}

fn add_to(list: &mut Vec<String>, root: &Path, key: &str, value: &str) -> Result<(), ReviewError> {
    let value = value.trim();
    if value.is_empty() || list.iter().any(|t| t.eq_ignore_ascii_case(value)) {
        return Ok(());
    }
    append_to_list(&Review::path(root), key, value)?;
    list.push(value.to_string());
    Ok(())
}

/// Appends `value` to the string array `key` of the TOML file at `path`, editing it in place.
fn append_to_list(path: &Path, key: &str, value: &str) -> Result<(), ReviewError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ReviewError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| match e.span() {
                Some(span) => TomlFileError::at(path, &text, span.start, e.message().trim()),
                None => TomlFileError {
                    path: path.to_path_buf(),
                    location: None,
                    message: e.message().trim().to_string(),
                },
            })?;
    let item = doc
        .entry(key)
        .or_insert_with(|| toml_edit::value(toml_edit::Array::new()));
    let Some(array) = item.as_array_mut() else {
        let offset = text
            .find(&format!("{key} "))
            .or_else(|| text.find(key))
            .unwrap_or(0);
        return Err(TomlFileError::at(
            path,
            &text,
            offset,
            format!("`{key}` must be a list of strings"),
        )
        .into());
    };
    let multiline = array.iter().any(|v| {
        v.decor()
            .prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('\n'))
    });
    array.push(value);
    if multiline {
        if let Some(last) = array.iter_mut().last() {
            last.decor_mut().set_prefix("\n  ");
        }
        array.set_trailing(",\n");
        array.set_trailing_comma(false);
    }
    atomic_write(path, doc.to_string().as_bytes()).map_err(|source| ReviewError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_protocol_is_empty_and_named_after_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let review = Review::load(dir.path()).unwrap();
        assert!(review.themes.is_empty());
        assert_eq!(
            Some(review.title.as_str()),
            dir.path().file_name().and_then(|n| n.to_str())
        );
    }

    #[test]
    fn unknown_keys_are_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("review.toml"),
            "title = \"x\"\nthemse = []\n",
        )
        .unwrap();
        let err = Review::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("review.toml:2:1: unknown field `themse`"),
            "{err}"
        );
    }

    #[test]
    fn adding_a_theme_keeps_comments_and_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.toml");
        std::fs::write(
            &path,
            "# protocol\ntitle = \"x\"\nthemes = [\n  \"a\", # first\n  \"b\",\n]\n",
        )
        .unwrap();
        let mut review = Review::load(dir.path()).unwrap();
        review.add_theme(dir.path(), "new one").unwrap();
        review.add_theme(dir.path(), "A").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "# protocol\ntitle = \"x\"\nthemes = [\n  \"a\", # first\n  \"b\",\n  \"new one\",\n]\n"
        );
        assert_eq!(review.themes, ["a", "b", "new one"]);
        assert_eq!(Review::load(dir.path()).unwrap().themes, review.themes);
    }

    #[test]
    fn reasons_are_added_like_themes_and_highlight_terms_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("review.toml"),
            "reasons = [\"a\"]\n[highlight]\ninclude = [\"qualitativ*\"]\nexclude = [\"rat*\"]\n",
        )
        .unwrap();
        let mut review = Review::load(dir.path()).unwrap();
        assert_eq!(review.highlight.include, ["qualitativ*"]);
        review.add_reason(dir.path(), "wrong population").unwrap();
        let again = Review::load(dir.path()).unwrap();
        assert_eq!(again.reasons, ["a", "wrong population"]);
        assert_eq!(
            again.highlight.exclude,
            ["rat*"],
            "the table after the list is intact"
        );
    }

    #[test]
    fn adding_a_theme_creates_the_protocol_when_missing() {
        let dir = tempfile::tempdir().unwrap();
        let mut review = Review::load(dir.path()).unwrap();
        review.add_theme(dir.path(), "equity").unwrap();
        assert_eq!(Review::load(dir.path()).unwrap().themes, ["equity"]);
    }

    #[test]
    fn the_documented_example_parses() {
        let dir = tempfile::tempdir().unwrap();
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config/review.example.toml");
        std::fs::copy(example, dir.path().join("review.toml")).unwrap();
        let review = Review::load(dir.path()).unwrap();
        assert!(review.reasons.contains(&"wrong study design".to_string()));
        assert_eq!(review.highlight.include.len(), 3);
        assert!(review.criteria.include.contains("What a study must be"));
    }
}
