//! `abstriage mark`: decisions from the command line, on a copy of the seeds. Expected studies
//! are read off the seeds' text (cited at each test), not off the command's output.

mod common;

use assert_cmd::Command;
use common::abstriage;

use std::path::Path;

use common::copy_of_seeds;
use predicates::prelude::*;

/// `abstriage mark --reviewer Ann <corpus> ARGS...`
fn mark(corpus: &Path, args: &[&str]) -> Command {
    let mut cmd = abstriage();
    cmd.args(["mark", "--reviewer", "Ann"])
        .arg(corpus)
        .args(args);
    cmd
}

fn stdout(mut cmd: Command) -> String {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Ann's decisions file, parsed; its `records` table.
fn records(corpus: &Path) -> toml::Table {
    let text = std::fs::read_to_string(corpus.join("screening/ann.toml")).unwrap();
    let mut file: toml::Table = text.parse().unwrap();
    assert_eq!(file["reviewer"].as_str(), Some("Ann"));
    match file.remove("records") {
        Some(toml::Value::Table(records)) => records,
        _ => toml::Table::new(),
    }
}

fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

// seeds/002_d37cc109ac949579.txt: the one record, titled "Influences of peer facilitation in
// general practice - a qualitative study."
const PEER_FACILITATION: &str = "h9558e59a46e7";
const PEER_TITLE: &str =
    "Influences of peer facilitation in general practice - a qualitative study";

#[test]
fn one_study_by_id_with_theme_note_and_then_reasons() {
    let corpus = copy_of_seeds();
    let out = stdout(mark(
        corpus.path(),
        &[
            PEER_FACILITATION,
            "include",
            "--theme",
            "facilitation",
            "--theme",
            "Team Working",
            "--note",
            "peer facilitators; read in full",
        ],
    ));
    assert_eq!(
        out,
        format!(
            "{PEER_FACILITATION}\tInfluences of peer facilitation in general practice - a qualitative…\t\
             undecided → include · themes: facilitation; team working · note: \"peer facilitators; read in…\"\n\
             1 study changed; decisions: {}\n",
            corpus.path().join("screening/ann.toml").display()
        )
    );
    let all = records(corpus.path());
    assert_eq!(all.len(), 1);
    let entry = &all[PEER_FACILITATION];
    assert_eq!(entry["title"].as_str(), Some(PEER_TITLE));
    assert_eq!(entry["status"].as_str(), Some("include"));
    assert_eq!(
        strings(&entry["themes"]),
        ["facilitation", "team working"],
        "spelt as review.toml spells them, sorted"
    );
    assert_eq!(
        entry["note"].as_str(),
        Some("peer facilitators; read in full")
    );
    assert!(entry["decided"].as_datetime().is_some());

    // Exclude for a reason: the reason replaces none, themes and note stay.
    mark(
        corpus.path(),
        &[
            PEER_FACILITATION,
            "exclude",
            "--reason",
            "Not Primary Research",
        ],
    )
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "include · themes: facilitation; team working · note: \"peer facilitators; read in…\" → \
         exclude: not primary research · themes:",
    ));
    let entry = &records(corpus.path())[PEER_FACILITATION];
    assert_eq!(entry["status"].as_str(), Some("exclude"));
    assert_eq!(strings(&entry["reasons"]), ["not primary research"]);
    assert_eq!(strings(&entry["themes"]), ["facilitation", "team working"]);

    // Deciding what is already decided changes nothing, not even the time.
    let before = std::fs::read(corpus.path().join("screening/ann.toml")).unwrap();
    mark(
        corpus.path(),
        &[PEER_FACILITATION, "exclude", "--theme", "facilitation"],
    )
    .assert()
    .success()
    .stdout(predicate::str::starts_with(
        "0 studies changed; decisions: ",
    ));
    assert_eq!(
        std::fs::read(corpus.path().join("screening/ann.toml")).unwrap(),
        before
    );

    // Clear drops the verdict and its reasons, keeps themes and note.
    stdout(mark(corpus.path(), &[PEER_FACILITATION, "clear"]));
    let entry = &records(corpus.path())[PEER_FACILITATION];
    assert!(entry.get("status").is_none());
    assert!(strings(&entry["reasons"]).is_empty());
    assert_eq!(strings(&entry["themes"]), ["facilitation", "team working"]);
}

// "social prescribing" is in three seed records, all in seeds/003_6a3c12f13dd16704.txt:
// record 1 (line 1 title and line 14, Skivington, year 2018 on line 3), record 2 (line 21,
// Norman: no year given) and record 10 (line 116, Whitelaw, year 2016 on line 105). So
// `"social prescribing" -year:<2017` is the first two.
const SKIVINGTON: &str = "hd9c9184339e9";
const NORMAN: &str = "h09bd55c1fb96";
const WHITELAW: &str = "hba214c6e762f";
const SOCIAL_PRESCRIBING_SINCE_2017: &str = "\"social prescribing\" -year:<2017";

#[test]
fn bulk_dry_run_lists_and_writes_nothing_then_the_real_run_writes() {
    let corpus = copy_of_seeds();
    let args = [
        "exclude",
        "--where",
        SOCIAL_PRESCRIBING_SINCE_2017,
        "--reason",
        "not implementation or delivery",
        "--theme",
        "social prescribing",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let output = mark(corpus.path(), &dry).output().unwrap();
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).unwrap();
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(id, _)| id))
        .collect();
    assert_eq!(ids, [SKIVINGTON, NORMAN]);
    assert!(out.contains(&format!(
        "{NORMAN}\t[Norman] COVID-19 is disproportionately impacting people in…\t\
         undecided → exclude: not implementation or delivery · themes: social prescribing\n"
    )));
    assert!(out.ends_with("\n2 studies would change; nothing written (dry run)\n"));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "abstriage: 2 of 15 studies match the query\n"
    );
    assert!(
        !corpus.path().join("screening").exists(),
        "a dry run writes nothing"
    );

    let out = stdout(mark(corpus.path(), &args));
    assert!(
        out.ends_with(&format!(
            "\n2 studies changed; decisions: {}\n",
            corpus.path().join("screening/ann.toml").display()
        )),
        "{out}"
    );
    let all = records(corpus.path());
    let decided: Vec<&str> = all.keys().map(String::as_str).collect();
    assert_eq!(decided, [NORMAN, SKIVINGTON], "sorted by id in the file");
    for id in [NORMAN, SKIVINGTON] {
        assert_eq!(all[id]["status"].as_str(), Some("exclude"), "{id}");
        assert_eq!(
            strings(&all[id]["reasons"]),
            ["not implementation or delivery"]
        );
        assert_eq!(strings(&all[id]["themes"]), ["social prescribing"]);
    }
    assert!(!all.contains_key(WHITELAW), "2016: before 2017");

    // A query may start with a negation: the decided studies but the 2018 one.
    mark(
        corpus.path(),
        &[
            "maybe",
            "--where",
            "-status:undecided -year:2018",
            "--dry-run",
        ],
    )
    .assert()
    .success()
    .stdout(predicate::str::starts_with(format!("{NORMAN}\t")))
    .stdout(predicate::str::ends_with(
        "\n1 study would change; nothing written (dry run)\n",
    ));

    // The reviewer's own decisions can be queried: include the ones excluded for that reason.
    let out = stdout(mark(
        corpus.path(),
        &[
            "maybe",
            "--where",
            "reason:\"implementation or delivery\" year:2018",
        ],
    ));
    assert!(out.starts_with(&format!(
        "{SKIVINGTON}\tDelivering a primary care-based social prescribing initiative: a…\t\
         exclude: not implementation or delivery · themes: social prescribing → maybe · themes: \
         social prescribing\n"
    )));
    let all = records(corpus.path());
    assert_eq!(all[SKIVINGTON]["status"].as_str(), Some("maybe"));
    assert_eq!(all[NORMAN]["status"].as_str(), Some("exclude"));
}

/// The seeds plus a PubMed record of the first seed study (same DOI, capitalised), as in
/// tests/cli.rs: one study with record ids `10.3399/bjgp.2020.0856` and `…~2`.
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
fn a_duplicate_records_id_decides_its_study_under_the_studys_id() {
    let corpus = corpus_with_a_duplicate();
    // A decision left under the member's id (made before the duplicate was found).
    std::fs::create_dir(corpus.path().join("screening")).unwrap();
    std::fs::write(
        corpus.path().join("screening/ann.toml"),
        "format = 1\nreviewer = \"Ann\"\n[records.\"10.3399/bjgp.2020.0856~2\"]\ntitle = \"x\"\nstatus = \"maybe\"\nthemes = [\"facilitation\"]\ndecided = 2026-11-24T10:00:00Z\n",
    )
    .unwrap();
    mark(corpus.path(), &["10.3399/bjgp.2020.0856~2", "include"])
        .assert()
        .success()
        .stderr(
            "abstriage: 10.3399/bjgp.2020.0856~2 is a duplicate record of study \
             10.3399/bjgp.2020.0856: deciding the study\n",
        )
        .stdout(predicate::str::starts_with(
            "10.3399/bjgp.2020.0856\tExperience of implementing and delivering group \
             consultations in UK…\tmaybe · themes: facilitation → include · themes: facilitation\n",
        ));
    let all = records(corpus.path());
    let decided: Vec<&str> = all.keys().map(String::as_str).collect();
    assert_eq!(
        decided,
        ["10.3399/bjgp.2020.0856"],
        "gathered under the study"
    );
    let entry = &all["10.3399/bjgp.2020.0856"];
    assert_eq!(entry["status"].as_str(), Some("include"));
    assert_eq!(strings(&entry["themes"]), ["facilitation"]);

    // A query sees the study through any of its records' files; a DOI as published names it.
    mark(
        corpus.path(),
        &["maybe", "--where", "file:zz_pubmed.ris", "--dry-run"],
    )
    .assert()
    .success()
    .stdout(predicate::str::starts_with("10.3399/bjgp.2020.0856\t"))
    .stdout(predicate::str::ends_with(
        "1 study would change; nothing written (dry run)\n",
    ));
    mark(corpus.path(), &["10.3399/BJGP.2020.0856", "include"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("0 studies changed"));
}

#[test]
fn mistakes_are_refused_with_exit_2_and_nothing_written() {
    let corpus = copy_of_seeds();
    mark(corpus.path(), &["h-no-such-id", "include"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no record with id `h-no-such-id`").and(
                predicate::str::contains("`abstriage export` lists every record's id"),
            ),
        );
    mark(
        corpus.path(),
        &[PEER_FACILITATION, "include", "--reason", "not qualitative"],
    )
    .assert()
    .code(2)
    .stderr(
        "abstriage: --reason goes with `exclude` only (a reason says why a study is excluded)\n",
    );
    mark(corpus.path(), &["include", PEER_FACILITATION])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the action comes last"));
    mark(
        corpus.path(),
        &["exclude", "--where", "title:rat* yeer:2000"],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::starts_with(
        "abstriage: --where: query column 12: expected a field (title, abstract,",
    ));
    mark(
        corpus.path(),
        &[PEER_FACILITATION, "exclude", "--where", "rat*"],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "with --where, give only [PATH] ACTION",
    ));
    abstriage()
        .args(["mark", "--reviewer", "Consensus"])
        .arg(corpus.path())
        .args([PEER_FACILITATION, "include"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("team's reconciled decisions"));
    let protocol = std::fs::read_to_string(corpus.path().join("review.toml")).unwrap();
    mark(
        corpus.path(),
        &[
            "h-no-such-id",
            "exclude",
            "--reason",
            "animal study",
            "--add-missing",
        ],
    )
    .assert()
    .code(2);
    assert_eq!(
        std::fs::read_to_string(corpus.path().join("review.toml")).unwrap(),
        protocol,
        "review.toml untouched when the command fails"
    );
    assert!(!corpus.path().join("screening").exists());
}

#[test]
fn reasons_and_themes_missing_from_review_toml_warn_or_are_added() {
    let corpus = copy_of_seeds();
    let review = corpus.path().join("review.toml");
    let protocol = std::fs::read_to_string(&review).unwrap();
    mark(
        corpus.path(),
        &[WHITELAW, "exclude", "--reason", "animal study"],
    )
    .assert()
    .success()
    .stderr(
        "abstriage: warning: reason `animal study` is not in review.toml (recorded anyway; \
         --add-missing adds it there)\n",
    );
    assert_eq!(std::fs::read_to_string(&review).unwrap(), protocol);
    assert_eq!(
        strings(&records(corpus.path())[WHITELAW]["reasons"]),
        ["animal study"]
    );

    mark(
        corpus.path(),
        &[NORMAN, "maybe", "--theme", "covid-19", "--add-missing"],
    )
    .assert()
    .success()
    .stderr("abstriage: added theme `covid-19` to review.toml\n");
    let protocol: toml::Table = std::fs::read_to_string(&review).unwrap().parse().unwrap();
    assert_eq!(
        strings(&protocol["themes"]).last(),
        Some(&"covid-19"),
        "appended to the themes"
    );
    assert_eq!(
        strings(&records(corpus.path())[NORMAN]["themes"]),
        ["covid-19"]
    );
}
