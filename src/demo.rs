//! The bundled demo review (the `seeds/` folder), embedded in the binary so that
//! `abstriage demo` works wherever abstriage is installed.

use std::path::Path;

/// The demo files: name and bytes, exactly as in `seeds/`.
pub const FILES: &[(&str, &[u8])] = &[
    (
        "000_f170cfbf3f584171.txt",
        include_bytes!("../seeds/000_f170cfbf3f584171.txt"),
    ),
    (
        "001_e9e60fdb1346e16d.txt",
        include_bytes!("../seeds/001_e9e60fdb1346e16d.txt"),
    ),
    (
        "002_d37cc109ac949579.txt",
        include_bytes!("../seeds/002_d37cc109ac949579.txt"),
    ),
    (
        "003_6a3c12f13dd16704.txt",
        include_bytes!("../seeds/003_6a3c12f13dd16704.txt"),
    ),
    (
        "004_747b68ea0b09c9b2.txt",
        include_bytes!("../seeds/004_747b68ea0b09c9b2.txt"),
    ),
    ("review.toml", include_bytes!("../seeds/review.toml")),
];

/// What writing the demo did to each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Written anew.
    Created(String),
    /// Already there with the same bytes.
    Unchanged(String),
    /// Already there with other content: left as it is (it may hold the user's edits).
    Kept(String),
}

/// Writes the demo review into `dir` (created if needed), never overwriting a file that
/// differs from the bundled one. Decisions already made in `dir` are untouched.
pub fn write(dir: &Path) -> std::io::Result<Vec<Written>> {
    std::fs::create_dir_all(dir)?;
    let mut report = Vec::new();
    for (name, bytes) in FILES {
        let path = dir.join(name);
        let name = (*name).to_string();
        match std::fs::read(&path) {
            Ok(existing) if existing == *bytes => report.push(Written::Unchanged(name)),
            Ok(_) => report.push(Written::Kept(name)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::write(&path, bytes)?;
                report.push(Written::Created(name));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_exactly_the_seeds_folder() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut on_disk: Vec<String> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "screening")
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, embedded);
        for (name, bytes) in FILES {
            assert_eq!(std::fs::read(seeds.join(name)).unwrap(), *bytes, "{name}");
        }
    }

    #[test]
    fn writing_twice_keeps_user_changes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            write(dir.path())
                .unwrap()
                .iter()
                .all(|w| matches!(w, Written::Created(_)))
        );
        std::fs::write(dir.path().join("review.toml"), "title = \"mine\"\n").unwrap();
        let again = write(dir.path()).unwrap();
        assert!(again.contains(&Written::Kept("review.toml".into())));
        assert!(again.contains(&Written::Unchanged("000_f170cfbf3f584171.txt".into())));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("review.toml")).unwrap(),
            "title = \"mine\"\n"
        );
    }
}
