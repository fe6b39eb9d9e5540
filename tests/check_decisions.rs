//! `abstriage check` on decision files, run as a user (or a pre-commit hook) would, on a copy
//! of the seeds. Titles and ids below are the seeds' (`seeds/002…` line 5 is the title of
//! record h9558e59a46e7, its final full stop dropped by cleaning; ids as listed in
//! docs/record-ids.md and tests/cli.rs); line numbers are counted in the files written here.

mod common;

use common::abstriage;

use std::path::Path;

use common::copy_of_seeds;

const PEER_ID: &str = "h9558e59a46e7";
const PEER: &str = "Influences of peer facilitation in general practice - a qualitative study";

/// Writes `screening/<name>.toml` of the review at `root`.
fn write_decisions(root: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(root.join("screening")).unwrap();
    std::fs::write(root.join(format!("screening/{name}.toml")), text).unwrap();
}

fn read_decisions(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join(format!("screening/{name}.toml"))).unwrap()
}

/// Runs `abstriage check ROOT [args]`: its exit code and standard output.
fn check(root: &Path, args: &[&str]) -> (i32, String) {
    let output = abstriage()
        .arg("check")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let code = output.status.code().unwrap();
    assert!(
        output.stderr.is_empty() || code == 2,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (code, stdout)
}

#[test]
fn fix_re_attaches_a_decision_whose_title_had_a_typo() {
    let review = copy_of_seeds();
    write_decisions(
        review.path(),
        "ann",
        concat!(
            "format = 1\n",
            "reviewer = \"Ann\"\n",
            "\n",
            "[records.h000000000001]\n", // 4
            "title = \"Influences of peer facilitation in general practise - a qualitative study\"\n",
            "status = \"include\"\n",
            "themes = [\"facilitation\"]\n",
            "note = \"read in full\"\n",
            "decided = 2026-11-24T10:00:00Z\n",
        ),
    );
    let (code, out) = check(review.path(), &[]);
    assert_eq!(code, 1, "{out}");
    // `practise` for `practice`: 1 edit in the 71 characters of the normalised title, 0.986.
    assert!(
        out.contains(&format!(
            "\ndecision problems:\n  screening/ann.toml:4: record \"h000000000001\" is not in the \
             corpus (title \"Influences of peer facilitation in general practise - a qualitative \
             study\"); looks like \"{PEER}\" ({PEER_ID}, 0.99): --fix re-attaches it\n"
        )),
        "{out}"
    );
    assert!(
        out.ends_with(
            "\n1 decision file, 1 decision: 1 problem; `abstriage check --fix` repairs 1.\n"
        ),
        "{out}"
    );

    let (code, out) = check(review.path(), &["--fix"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with(&format!(
            "\nfixed:\n  screening/ann.toml: re-attached the decision on \"h000000000001\" to \
             \"{PEER_ID}\" (\"{PEER}\")\n\n1 decision file, 1 decision: 1 fixed, no problems \
             left.\n"
        )),
        "{out}"
    );
    assert_eq!(
        read_decisions(review.path(), "ann"),
        format!(
            "# Screening decisions of reviewer \"Ann\", written by abstriage.\n\
             # One table per record, keyed by record id and sorted; see docs/decisions-format.md.\n\
             format = 1\n\
             reviewer = \"Ann\"\n\
             \n\
             [records.{PEER_ID}]\n\
             title = \"{PEER}\"\n\
             status = \"include\"\n\
             reasons = []\n\
             themes = [\"facilitation\"]\n\
             note = \"read in full\"\n\
             decided = 2026-11-24T10:00:00Z\n"
        )
    );
    let (code, out) = check(review.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("\n1 decision file, 1 decision: no problems.\n"),
        "{out}"
    );
}

#[test]
fn an_orphan_with_no_plausible_match_stays_and_fails_the_check() {
    let review = copy_of_seeds();
    let text = concat!(
        "format = 1\n",
        "reviewer = \"Bo\"\n",
        "\n",
        "[records.\"10.3399/bjgp.2020.0856\"]\n", // 4
        "title = \"Experience of implementing and delivering group consultations\"\n",
        "status = \"include\"\n",
        "decided = 2026-11-24T10:00:00Z\n",
        "\n",
        "[records.hdeadbeef0000]\n", // 9
        "title = \"A randomised trial of exercise for back pain in adults\"\n",
        "status = \"exclude\"\n",
        "reasons = [\"not qualitative\"]\n",
        "decided = 2026-11-24T10:00:00Z\n",
    );
    write_decisions(review.path(), "bo", text);
    let (code, out) = check(review.path(), &["--fix"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.ends_with(
            "\ndecision problems:\n  screening/bo.toml:9: record \"hdeadbeef0000\" is not in the \
             corpus (title \"A randomised trial of exercise for back pain in adults\"); no record \
             has a title close enough to re-attach it\n\n1 decision file, 2 decisions: 0 fixed, \
             1 problem left to fix by hand.\n"
        ),
        "{out}"
    );
    assert_eq!(
        read_decisions(review.path(), "bo"),
        text,
        "nothing to fix: not rewritten"
    );
}

#[test]
fn a_decision_on_a_record_now_found_twice_goes_under_the_study() {
    let review = copy_of_seeds();
    // The same article from another database, with a DOI: the study now has the DOI's id.
    std::fs::write(
        review.path().join("pubmed.ris"),
        format!(
            "TY  - JOUR\nTI  - {PEER}\nDO  - 10.9999/peer.2014\nAB  - BACKGROUND: Practice \
             facilitation is increasingly used to support guideline implementation and \
             practice development in primary care.\nER  - \n"
        ),
    )
    .unwrap();
    write_decisions(
        review.path(),
        "ann",
        &format!(
            "format = 1\nreviewer = \"Ann\"\n\n[records.{PEER_ID}]\ntitle = \"{PEER}\"\n\
             status = \"exclude\"\nreasons = [\"not qualitative\"]\ndecided = 2026-11-24T10:00:00Z\n"
        ),
    );
    let (code, out) = check(review.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "  screening/ann.toml:4: record \"{PEER_ID}\" is a duplicate in study \
             \"10.9999/peer.2014\": --fix files its decision under the study\n"
        )),
        "{out}"
    );
    let (code, out) = check(review.path(), &["--fix"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "\nfixed:\n  screening/ann.toml: filed the decision on duplicate \"{PEER_ID}\" under \
             its study \"10.9999/peer.2014\"\n"
        )),
        "{out}"
    );
    let after = read_decisions(review.path(), "ann");
    assert!(
        after.contains(&format!(
            "\n[records.\"10.9999/peer.2014\"]\ntitle = \"{PEER}\"\nstatus = \"exclude\"\n\
             reasons = [\"not qualitative\"]\n"
        )),
        "{after}"
    );
    assert!(!after.contains(PEER_ID), "{after}");
}

#[test]
fn unknown_themes_and_reasons_are_reported_with_their_lines_in_every_file() {
    let review = copy_of_seeds();
    let ann = concat!(
        "format = 1\n",
        "reviewer = \"Ann\"\n",
        "\n",
        "[records.h0940cb59c3bc]\n", // 4
        "title = \"[2023] To compare\"\n",
        "status = \"exclude\"\n",
        "reasons = [\"not primary research\", \"too old\"]\n",
        "decided = 2026-11-24T10:00:00Z\n",
        "\n",
        "[records.h9558e59a46e7]\n", // 10
        "title = \"Influences\"\n",
        "themes = [\"facilitation\", \"peer support\"]\n",
        "decided = 2026-11-24T10:00:00Z\n",
    );
    let consensus = concat!(
        "format = 1\n",
        "reviewer = \"consensus\"\n",
        "[records.\"10.3399/bjgp.2020.0856\"]\n", // 3
        "title = \"Experience\"\n",
        "status = \"include\"\n",
        "themes = [\"Facilitation\"]\n",
        "decided = 2026-11-24T10:00:00Z\n",
    );
    write_decisions(review.path(), "ann", ann);
    write_decisions(review.path(), "consensus", consensus);
    let (code, out) = check(review.path(), &["--fix"]);
    assert_eq!(code, 1, "{out}");
    // seeds/review.toml lists "not primary research" and "facilitation" (lower case), not
    // "too old", "peer support" or "Facilitation".
    assert!(
        out.ends_with(concat!(
            "\ndecision problems:\n",
            "  screening/ann.toml:4: record \"h0940cb59c3bc\": exclusion reason \"too old\" is not in review.toml\n",
            "  screening/ann.toml:10: record \"h9558e59a46e7\": theme \"peer support\" is not in review.toml\n",
            "  screening/consensus.toml:3: record \"10.3399/bjgp.2020.0856\": theme \"Facilitation\" is not in review.toml\n",
            "\n2 decision files, 3 decisions: 0 fixed, 3 problems left to fix by hand.\n",
        )),
        "{out}"
    );
    assert_eq!(read_decisions(review.path(), "ann"), ann);
    assert_eq!(read_decisions(review.path(), "consensus"), consensus);
}

#[test]
fn a_review_in_order_passes_and_a_file_in_conflict_is_located() {
    let review = copy_of_seeds();
    write_decisions(
        review.path(),
        "ann",
        "format = 1\nreviewer = \"Ann\"\n[records.\"10.3399/bjgp.2020.0856\"]\ntitle = \"x\"\n\
         status = \"include\"\nthemes = [\"facilitation\"]\ndecided = 2026-11-24T10:00:00Z\n",
    );
    write_decisions(
        review.path(),
        "consensus",
        "format = 1\nreviewer = \"consensus\"\n[records.h0940cb59c3bc]\ntitle = \"y\"\n\
         status = \"exclude\"\nreasons = [\"not primary research\"]\n\
         decided = 2026-11-24T10:00:00Z\n",
    );
    let (code, out) = check(review.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with(
            "5 files: 5 read (15 records), 0 skipped; 0 warnings.\n\n\
             2 decision files, 2 decisions: no problems.\n"
        ),
        "{out}"
    );

    write_decisions(
        review.path(),
        "cy",
        "format = 1\nreviewer = \"Cy\"\n<<<<<<< HEAD\n",
    );
    let output = abstriage()
        .arg("check")
        .arg(review.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 decision file not read, so not checked")
            && stderr.contains("screening/cy.toml:3:1: git conflict markers"),
        "{stderr}"
    );
    // The other files were still checked, and said so.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.ends_with("2 decision files, 2 decisions: no problems.\n"),
        "{stdout}"
    );
}
