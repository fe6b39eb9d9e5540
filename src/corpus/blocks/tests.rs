use super::*;
use crate::corpus::{corpora_dir, corpus_files, read_owned};

/// Blocks and pieces from a few records to many, pieces smaller and larger than blocks.
const SIZES: [(usize, usize); 5] = [
    (700, 300),
    (4096, 1000),
    (3000, 9000),
    (50_000, 8_000),
    (1 << 20, 64 << 10),
];

/// Reads `path` in blocks of every size of [`SIZES`], checking each read that is made against
/// the whole read. Returns how many were made (the others are left to the whole read).
fn read_as_the_whole(path: &Path) -> usize {
    let name = "f.ris";
    let expected = read_owned(name, std::fs::read(path).expect("file"));
    let mut made = 0;
    for (block, piece) in SIZES {
        let Some((report, records)) =
            read_in_pieces_of(path, name, block, piece).expect("readable")
        else {
            continue;
        };
        made += 1;
        let what = format!("{} in blocks of {block}, pieces of {piece}", path.display());
        assert_eq!(records.len(), expected.1.len(), "{what}");
        for (i, (read, whole)) in records.iter().zip(&expected.1).enumerate() {
            assert_eq!(read, whole, "{what}: record {i}");
        }
        assert_eq!(report, expected.0, "{what}");
    }
    made
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// RIS records with CRLF line ends, accents, multi-line abstracts and repeated titles.
fn ris(records: usize) -> String {
    let mut text = String::from("\u{feff}");
    for n in 0..records {
        text.push_str(&format!(
            "TY  - JOUR\r\nTI  - Études of sleep {}\r\nAU  - Müller, J\r\nPY  - 2021\r\nAB  - Background: line one of {n}\r\nline two, naïve.\r\nER  - \r\n\r\n",
            n % 40
        ));
    }
    text
}

#[test]
fn utf8_ris_read_in_blocks_is_read_as_the_whole_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "a.ris", ris(300).as_bytes());
    assert_eq!(read_as_the_whole(&path), SIZES.len(), "every size reads it");
}

#[test]
fn records_tied_to_their_neighbours_are_read_whole_or_as_the_whole() {
    // An empty record whose ER a tag follows (the tag goes to the record before), a
    // `Key: value` line kept for the next record, a record without ER, a stray ER.
    let mut text = String::new();
    for n in 0..300 {
        text.push_str(&format!(
            "TY  - JOUR\nTI  - Title {n}\nAB  - Text {n}\nsecond line\nER  - \n\n"
        ));
        match n % 50 {
            10 => text.push_str("TY  - JOUR\nER  - \nNL  - Orphan tag\n\n"),
            20 => text.push_str("Provider: Someone\n\n"),
            30 => text.push_str("TY  - JOUR\nTI  - Unclosed\n\n"),
            40 => text.push_str("ER  - \n\n"),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "a.ris", text.as_bytes());
    read_as_the_whole(&path);
    // Cut at every record, some piece starts with the empty record's orphan tag.
    assert!(
        read_in_pieces_of(&path, "f.ris", 700, 1)
            .expect("readable")
            .is_none()
    );
}

#[test]
fn other_encodings_and_formats_are_left_to_the_whole_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut late_damage = ris(300).into_bytes();
    let at = late_damage.len() - 40;
    late_damage[at] = 0xFF;
    let latin1 = b"TY  - JOUR\nTI  - \xC9tudes\nER  - \n\n".repeat(100);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in ris(20).encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let medline = "PMID- 1\nTI  - A title\nAB  - An abstract.\n\n".repeat(200);
    for (name, bytes) in [
        ("damaged.ris", late_damage.as_slice()),
        ("latin1.ris", latin1.as_slice()),
        ("utf16.ris", utf16.as_slice()),
        ("medline.nbib", medline.as_bytes()),
    ] {
        let path = write(dir.path(), name, bytes);
        for (block, piece) in SIZES {
            assert!(
                read_in_pieces_of(&path, name, block, piece)
                    .expect("readable")
                    .is_none(),
                "{name} in blocks of {block}"
            );
        }
    }
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn every_shared_ris_file_read_in_blocks_is_read_as_the_whole_file() {
    let (mut files, mut made) = (0, 0);
    for path in corpus_files(&corpora_dir()).expect("corpora") {
        let (report, _) = read_owned("f.ris", std::fs::read(&path).expect("file"));
        if report.format == Some(Format::Ris) {
            files += 1;
            made += read_as_the_whole(&path);
        }
    }
    assert!(files > 40, "{files} RIS files");
    assert!(made > files * 3, "{made} reads in blocks of {files} files");
}
