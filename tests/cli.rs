//! The command line: export, demo, help and error paths, run as a user would.

mod common;

use common::abstriage;

use assert_cmd::Command;
use common::{copy_of_seeds, seeds_dir};
use predicates::prelude::*;

#[test]
fn export_json_has_every_field_source_and_decision() {
    let corpus = copy_of_seeds();
    std::fs::create_dir(corpus.path().join("screening")).unwrap();
    std::fs::write(
        corpus.path().join("screening/ann.toml"),
        "format = 1\nreviewer = \"Ann\"\n[records.\"10.3399/bjgp.2020.0856\"]\ntitle = \"x\"\nstatus = \"include\"\nthemes = [\"facilitation\"]\nnote = \"read in full\"\ndecided = 2026-11-24T10:00:00Z\n",
    )
    .unwrap();
    let output = abstriage()
        .args(["export", "--reviewer", "Ann", "--format", "json"])
        .arg(corpus.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 15);
    let first = &records[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "title",
        "display_title",
        "authors",
        "year",
        "journal",
        "volume",
        "issue",
        "pages",
        "doi",
        "keywords",
        "abstract",
        "sections",
        "source",
        "decision",
    ] {
        assert!(keys.contains(&key), "missing {key}: {keys:?}");
    }
    assert_eq!(first["id"], "10.3399/bjgp.2020.0856");
    assert_eq!(first["year"], 2021);
    assert_eq!(
        first["source"],
        serde_json::json!({"file": "000_f170cfbf3f584171.txt", "index": 0})
    );
    assert_eq!(
        first["sections"][1],
        serde_json::json!({"label": "Aim", "text": "To explore the experience of implementing and delivering group consultations in general practice."})
    );
    assert_eq!(
        first["decision"],
        serde_json::json!({"status": "include", "reasons": [], "themes": ["facilitation"], "note": "read in full"})
    );
    let norman = &records[4];
    assert_eq!(norman["title"], "");
    assert_eq!(
        norman["display_title"],
        "[Norman] COVID-19 is disproportionately impacting people in low-income communities"
    );
    assert_eq!(norman["source"]["index"], 1);
    assert_eq!(norman["decision"]["status"], serde_json::Value::Null);
    assert!(
        norman["abstract"]
            .as_str()
            .unwrap()
            .starts_with("COVID-19 is disproportionately")
    );
}

#[test]
fn export_csv_has_one_row_per_record() {
    let output = abstriage()
        .args(["export", "--format", "csv", "--reviewer", "nobody"])
        .arg(seeds_dir())
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert_eq!((&headers[14], &headers[15]), ("duplicate_of", "decision"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 15);
    assert_eq!(
        &rows[0][3],
        "Laura Swaithes; Zoe Paskins; Helen Duffy; Nicola Evans; Christian Mallen; Krysia Dziedzic; Andrew Finney"
    );
    assert!(rows[0][11].starts_with("Background: Group consultations"));
}

#[test]
fn unknown_paths_exit_2_with_the_path_named() {
    abstriage()
        .args(["export", "/no/such/corpus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/no/such/corpus: no such file or directory",
        ));
    abstriage()
        .arg("/no/such/corpus")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/corpus"));
}

#[test]
fn unreadable_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a.ris");
    std::fs::create_dir(&folder).unwrap();
    // A folder holding no bibliographic file.
    abstriage()
        .arg("export")
        .arg(&folder)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no bibliographic files"));
}

#[test]
fn a_broken_decisions_file_stops_with_its_location_and_is_not_touched() {
    let corpus = copy_of_seeds();
    std::fs::create_dir(corpus.path().join("screening")).unwrap();
    let path = corpus.path().join("screening/ann.toml");
    let broken = "format = 1\nreviewer = \"Ann\"\n[records.x]\ntitle = \"t\"\nstatus = \"include\nthemes = []\n";
    std::fs::write(&path, broken).unwrap();
    abstriage()
        .args(["--reviewer", "Ann"])
        .arg(corpus.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("screening/ann.toml:5:18: invalid basic string")
                .and(predicate::str::contains("will not overwrite")),
        );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["export", "--help"],
        vec!["help", "export"],
    ] {
        abstriage()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: abstriage"));
    }
}

#[test]
fn an_installed_binary_with_no_path_outside_a_corpus_explains_usage() {
    let empty = tempfile::tempdir().unwrap();
    // A copy outside the source tree behaves as an installed binary.
    let installed = empty.path().join("abstriage");
    std::fs::copy(assert_cmd::cargo::cargo_bin("abstriage"), &installed).unwrap();
    Command::new(&installed)
        .env(
            "ABSTRIAGE_CONFIG",
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/empty-config.toml"),
        )
        .env_remove("CARGO_MANIFEST_DIR")
        .current_dir(empty.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no corpus here")
                .and(predicate::str::contains("abstriage demo")),
        );
}

#[test]
fn demo_writes_the_bundled_review_even_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("demo");
    // Without a terminal the screen cannot open, but the files are written first.
    abstriage()
        .arg("demo")
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"));
    for (name, bytes) in abstriage::demo::FILES {
        assert_eq!(std::fs::read(target.join(name)).unwrap(), *bytes, "{name}");
    }
    let exported = abstriage().arg("export").arg(&target).output().unwrap();
    let records: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(records.as_array().map(Vec::len), Some(15));
}

#[test]
fn check_prints_a_table_and_exits_1_when_a_file_is_skipped() {
    // A copy: decisions left in seeds/screening/ by running the app here are not the test's.
    let seeds = copy_of_seeds();
    let output = abstriage().arg("check").arg(seeds.path()).output().unwrap();
    assert!(output.status.success(), "the seeds read cleanly");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("file "), "{text}");
    assert!(
        text.contains(
            "003_6a3c12f13dd16704.txt  web text  UTF-8          11        10            0         0"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("5 files: 5 read (15 records), 0 skipped; 0 warnings.\n"),
        "{text}"
    );
    let corpus = copy_of_seeds();
    std::fs::write(corpus.path().join("sheet.xlsx"), b"PK\x03\x04damaged").unwrap();
    abstriage()
        .arg("check")
        .arg(corpus.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "sheet.xlsx: not a workbook abstriage can read",
        ));
}

#[test]
fn export_ris_carries_the_decision_in_a_note() {
    let corpus = copy_of_seeds();
    std::fs::create_dir(corpus.path().join("screening")).unwrap();
    std::fs::write(
        corpus.path().join("screening/ann.toml"),
        "format = 1\nreviewer = \"Ann\"\n[records.\"10.3399/bjgp.2020.0856\"]\ntitle = \"x\"\nstatus = \"exclude\"\nreasons = [\"not qualitative\"]\ndecided = 2026-11-24T10:00:00Z\n",
    )
    .unwrap();
    let output = abstriage()
        .args(["export", "--format", "ris", "--reviewer", "Ann"])
        .arg(corpus.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.matches("ER  - ").count(), 15);
    assert!(
        text.starts_with("TY  - JOUR\nTI  - Experience of implementing"),
        "{text}"
    );
    assert!(
        text.contains("N1  - abstriage: exclude; reasons: not qualitative\n"),
        "{text}"
    );
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn check_runs_over_every_file_of_the_shared_corpora() {
    let output = abstriage()
        .arg("check")
        .arg(common::corpora_dir())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "nothing skipped:\n{text}");
    assert_eq!(
        text.lines().take_while(|l| !l.is_empty()).count(),
        133,
        "a header and one row per file"
    );
    assert!(
        text.ends_with("132 files: 132 read (32054 records), 0 skipped; 2 warnings.\n"),
        "{}",
        &text[text.len().saturating_sub(300)..]
    );
    assert!(
        text.contains("metaknowledge/medline_test.medline:14925: file ends inside a record"),
        "the one truncated file"
    );
    assert!(
        text.contains(
            "citation-file-formatting/_baseline.xlsx:1: text before the table's header row"
        ),
        "the workbook's title row"
    );
}

/// Two records of one study in two files (by DOI), for the dedup command.
fn corpus_with_a_duplicate() -> tempfile::TempDir {
    let corpus = copy_of_seeds();
    std::fs::write(
        corpus.path().join("zz_pubmed.ris"),
        "TY  - JOUR\nTI  - Experience of implementing and delivering group consultations in UK general practice\nDO  - 10.3399/BJGP.2020.0856\nPY  - 2021\nER  - \n",
    )
    .unwrap();
    corpus
}

#[test]
fn dedup_lists_each_duplicated_study_with_sources_and_reasons() {
    let corpus = corpus_with_a_duplicate();
    let output = abstriage()
        .args(["dedup", "--format", "json"])
        .arg(corpus.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let studies: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        studies,
        serde_json::json!([{
            "cluster": "10.3399/bjgp.2020.0856",
            "members": [
                {"id": "10.3399/bjgp.2020.0856", "file": "000_f170cfbf3f584171.txt", "index": 0, "reason": null},
                {"id": "10.3399/bjgp.2020.0856~2", "file": "zz_pubmed.ris", "index": 0, "reason": "doi"},
            ]
        }])
    );
    let text = abstriage()
        .arg("dedup")
        .arg(corpus.path())
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("10.3399/bjgp.2020.0856~2  zz_pubmed.ris #1  (same DOI)"),
        "{text}"
    );
    assert!(
        text.ends_with("16 records, 15 studies: 1 found more than once (1 duplicate records).\n"),
        "{text}"
    );
    let csv = abstriage()
        .args(["dedup", "--format", "csv"])
        .arg(corpus.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(csv.stdout).unwrap(),
        "cluster,id,file,index,reason\n10.3399/bjgp.2020.0856,10.3399/bjgp.2020.0856,000_f170cfbf3f584171.txt,0,representative\n10.3399/bjgp.2020.0856,10.3399/bjgp.2020.0856~2,zz_pubmed.ris,0,same DOI\n"
    );
}

#[test]
fn export_marks_duplicates_and_gives_them_the_studys_decision() {
    let corpus = corpus_with_a_duplicate();
    std::fs::create_dir(corpus.path().join("screening")).unwrap();
    std::fs::write(
        corpus.path().join("screening/ann.toml"),
        "format = 1\nreviewer = \"Ann\"\n[records.\"10.3399/bjgp.2020.0856\"]\ntitle = \"x\"\nstatus = \"include\"\ndecided = 2026-11-24T10:00:00Z\n",
    )
    .unwrap();
    let output = abstriage()
        .args(["export", "--reviewer", "Ann"])
        .arg(corpus.path())
        .output()
        .unwrap();
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let records = records.as_array().unwrap();
    assert_eq!(
        records[0]["duplicate_of"],
        serde_json::Value::Null,
        "the study's representative"
    );
    let copy = records.last().unwrap();
    assert_eq!(copy["source"]["file"], "zz_pubmed.ris");
    assert_eq!(copy["duplicate_of"], "10.3399/bjgp.2020.0856");
    assert_eq!(copy["decision"]["status"], "include");
}

#[test]
fn config_init_writes_commented_defaults_once_and_config_path_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/config.toml");
    abstriage()
        .env("ABSTRIAGE_CONFIG", &file)
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", file.display()));
    abstriage()
        .env("ABSTRIAGE_CONFIG", &file)
        .args(["config", "init"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\n[keys]\n# move_down = [\"j\", \"down\"]\n"),
        "{text}"
    );

    // A second init keeps the user's edits unless forced.
    std::fs::write(&file, "[keys]\nundo = [\"z\"]\n").unwrap();
    abstriage()
        .env("ABSTRIAGE_CONFIG", &file)
        .args(["config", "init"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "[keys]\nundo = [\"z\"]\n"
    );
    abstriage()
        .args(["config", "init", "--force", "--config"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}
