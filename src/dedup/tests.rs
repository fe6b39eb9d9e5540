use proptest::prelude::*;

use super::*;
use crate::record::{Section, Source};

fn record(
    id: &str,
    title: &str,
    year: Option<u16>,
    author: &str,
    doi: Option<&str>,
    file: &str,
) -> Record {
    Record {
        id: RecordId::new(id),
        title: title.to_string(),
        authors: if author.is_empty() {
            vec![]
        } else {
            vec![author.to_string()]
        },
        year,
        journal: None,
        volume: None,
        issue: None,
        pages: None,
        doi: doi.map(str::to_string),
        keywords: vec![],
        sections: vec![].into(),
        extra: Default::default(),
        source: Source {
            file: file.to_string(),
            index: 0,
            line: 1,
            span: 0..0,
        },
    }
}

const TITLE: &str =
    "Delivering a primary care-based social prescribing initiative: a qualitative study";

fn three_copies() -> Vec<Record> {
    vec![
        record("h2", TITLE, Some(2018), "Skivington K", None, "pubmed.nbib"),
        record(
            "h9",
            "A different study of something else entirely in general practice",
            Some(2018),
            "Lee A",
            None,
            "pubmed.nbib",
        ),
        record(
            "10.3399/bjgp18x696617",
            &format!("{TITLE}."),
            Some(2018),
            "Skivington, Kathryn",
            Some("10.3399/BJGP18X696617"),
            "scopus.ris",
        ),
        record(
            "h1",
            &TITLE.to_uppercase(),
            Some(2018),
            "Skivington K.",
            None,
            "embase.ris",
        ),
    ]
}

#[test]
fn copies_of_one_study_form_one_cluster_under_the_doi_bearers_id() {
    let records = three_copies();
    let clusters = find(&records, &Overrides::default());
    assert_eq!(clusters.clusters.len(), 2);
    let study = clusters.of(0);
    assert_eq!(
        study.id.as_str(),
        "10.3399/bjgp18x696617",
        "the member with a DOI represents the study"
    );
    assert_eq!(
        study.members,
        [2, 0, 3],
        "representative first, then corpus order"
    );
    assert!(clusters.of(1).members == [1] && !clusters.of(1).is_duplicated());
    assert_eq!(clusters.of_record, [0, 1, 0, 0]);
    assert!(study.links.iter().all(|l| l.reason == Reason::Title));
}

#[test]
fn the_representative_does_not_depend_on_file_order() {
    let mut records = three_copies();
    records.reverse();
    let clusters = find(&records, &Overrides::default());
    assert_eq!(clusters.of(0).id.as_str(), "10.3399/bjgp18x696617");
    let no_doi: Vec<Record> = three_copies()
        .into_iter()
        .filter(|r| r.doi.is_none())
        .collect();
    let mut reversed = no_doi.clone();
    reversed.reverse();
    let id = |records: &[Record]| find(records, &Overrides::default()).of(0).id.clone();
    assert_eq!(id(&no_doi), id(&reversed), "without a DOI, the smallest id");
    assert_eq!(id(&no_doi).as_str(), "h1");
}

#[test]
fn a_record_with_both_a_doi_and_a_pmid_names_the_study_before_one_with_a_doi_only() {
    // Same DOI, so one study; "a-doi" sorts before "b-both", so only the PMID decides.
    let doi = Some("10.1136/bmj.n71");
    let title = "The PRISMA 2020 statement";
    let doi_only = record("a-doi", title, Some(2021), "Page MJ", doi, "scopus.ris");
    let mut both = record("b-both", title, Some(2021), "Page MJ", doi, "pubmed.nbib");
    both.extra.insert("pmid", "33782057");
    let mut pmid_only = record("c-pmid", title, Some(2021), "Page MJ", None, "embase.ris");
    pmid_only.extra.insert("pmid", "33782057");
    let clusters = find(&[doi_only, both, pmid_only], &Overrides::default());
    assert_eq!(clusters.clusters.len(), 1);
    assert_eq!(clusters.of(0).id.as_str(), "b-both");
    assert_eq!(clusters.of(0).members, [1, 0, 2]);
}

#[test]
fn a_reviewers_split_keeps_records_apart_and_their_merge_joins_them() {
    let records = three_copies();
    let mut overrides = Overrides::default();
    overrides.different.insert(pair(
        &RecordId::new("h1"),
        &RecordId::new("10.3399/bjgp18x696617"),
    ));
    overrides
        .different
        .insert(pair(&RecordId::new("h1"), &RecordId::new("h2")));
    let clusters = find(&records, &overrides);
    assert_eq!(clusters.of(3).members, [3], "h1 split off");
    assert_eq!(clusters.of(0).members, [2, 0]);
    overrides
        .same
        .insert(pair(&RecordId::new("h9"), &RecordId::new("h2")));
    let clusters = find(&records, &overrides);
    assert_eq!(
        clusters.of(1).members,
        [2, 0, 1],
        "merged by hand with the cluster h2 is in"
    );
    assert!(
        clusters
            .of(1)
            .links
            .iter()
            .any(|l| l.reason == Reason::Manual)
    );
    assert_eq!(clusters.of(3).members, [3], "the split still holds");
}

#[test]
fn overrides_naming_records_not_in_the_corpus_are_ignored() {
    let records = three_copies();
    let mut overrides = Overrides::default();
    overrides
        .same
        .insert(pair(&RecordId::new("gone"), &RecordId::new("h2")));
    overrides
        .different
        .insert(pair(&RecordId::new("gone"), &RecordId::new("h9")));
    assert_eq!(
        find(&records, &overrides),
        find(&records, &Overrides::default())
    );
}

#[test]
fn the_merged_record_takes_the_best_of_each_member() {
    let mut records = three_copies();
    records[0].sections = vec![Section {
        label: None,
        text: "A much longer abstract from PubMed, with everything in it.".into(),
    }]
    .into();
    records[2].sections = vec![Section {
        label: None,
        text: "Short.".into(),
    }]
    .into();
    records[3].authors = vec!["Skivington K".into(), "Smith M".into(), "Wyke S".into()];
    records[3].keywords = vec!["social prescribing".into()];
    records[0].extra.insert("pmid", "29970396");
    let clusters = find(&records, &Overrides::default());
    let merged = merged(&records, clusters.of(0));
    assert_eq!(merged.id.as_str(), "10.3399/bjgp18x696617");
    assert_eq!(
        merged.title,
        format!("{TITLE}."),
        "the representative's title"
    );
    assert_eq!(merged.doi.as_deref(), Some("10.3399/BJGP18X696617"));
    assert_eq!(merged.sections, records[0].sections, "the longest abstract");
    assert_eq!(merged.authors.len(), 3, "the longest author list");
    assert_eq!(merged.keywords, ["social prescribing"]);
    assert_eq!(merged.extra.get("pmid"), Some("29970396"));
}

#[test]
fn first_words_of_single_spaced_text() {
    assert_eq!(
        super::first_words("a bb ccc dddd eeeee", 4),
        "a bb ccc dddd"
    );
    assert_eq!(super::first_words("a bb ccc dddd", 4), "a bb ccc dddd");
    assert_eq!(super::first_words("a bb", 4), "a bb");
    assert_eq!(super::first_words("a bb", 1), "a");
    assert_eq!(super::first_words("a bb", 0), "");
}

/// Candidates as a map of blocks finds them: every pair of records sharing a block of at most
/// [`MAX_BLOCK`] records.
fn candidates_by_map(keys: &[Keys]) -> Vec<(usize, usize)> {
    let mut blocks: HashMap<Block<'_>, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        for block in blocks_of(k) {
            blocks.entry(block).or_default().push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for members in blocks.values() {
        if (2..=MAX_BLOCK).contains(&members.len()) {
            for (n, &a) in members.iter().enumerate() {
                for &b in &members[n + 1..] {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs.into_iter().collect()
}

fn arbitrary_keys() -> impl Strategy<Value = Vec<Keys>> {
    let title = prop::sample::select(vec![
        "",
        "sleep",
        "sleep and fatigue",
        "sleep and fatigue in nurses on night shifts",
        "sleep and fatigue in nurses on day shifts",
    ]);
    let key = (
        title,
        prop::option::of(prop::sample::select(vec!["10.1/a", "10.1/b"])),
        prop::option::of(prop::sample::select(vec!["1", "2"])),
        prop::option::of(prop::sample::select(vec!["smith", "doe"])),
        prop::option::of(2019u16..2021),
        prop::option::of(prop::sample::select(vec!["12", "e4"])),
    )
        .prop_map(|(title, doi, pmid, author, year, page)| Keys {
            title_text: title.to_string(),
            title_words: keys::word_count(title),
            doi: doi.map(str::to_string),
            pmid: pmid.map(str::to_string),
            author: author.map(str::to_string),
            year,
            page: page.map(str::to_string),
            ..Keys::default()
        });
    prop::collection::vec(key, 0..60)
}

proptest! {
    #[test]
    fn candidates_are_the_pairs_sharing_a_block(keys in arbitrary_keys()) {
        let expected = candidates_by_map(&keys);
        prop_assert_eq!(candidates(&keys), expected.clone());
        // Blocks whose hashes collide are still told apart: every block hashed alike, or by
        // its kind only.
        prop_assert_eq!(candidates_by(&keys, |_| 7), expected.clone());
        prop_assert_eq!(
            candidates_by(&keys, |b| u64::from(matches!(b, Block::Title(_) | Block::Words(_)))),
            expected
        );
    }
}
