//! The benchmark corpus generator (benches/support): what it writes reads back as what it
//! generated, in every format; the same seed gives the same bytes; every generated study is
//! distinct and every planted duplicate is found, by abstriage's own reader and duplicate
//! detection. Runs on the demo records in seeds/ (always there) and, marked ignored, on the
//! shared corpora the benchmark figures come from.

#[path = "../benches/support/mod.rs"]
mod support;

use abstriage::corpus::read_bytes;
use abstriage::dedup::{self, Overrides, keys::fold, keys::title_key};
use abstriage::id::{normalise_doi, normalise_text};
use abstriage::record::{Record, family_name};
use support::{Corpus, Entry, Format, Options, Pool, generate, write};

fn seeds_pool() -> Pool {
    Pool::load(&support::seeds_dir()).expect("seeds")
}

/// What must survive writing and reading back: the fields duplicate detection and the
/// screen depend on.
fn mismatches(format: Format, entry: &Entry, record: &Record) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |what: &str, ok: bool| {
        if !ok {
            wrong.push(format!(
                "{format}: {what} of `{}` read back as {record:?}",
                entry.title
            ));
        }
    };
    check("title", title_key(&entry.title) == title_key(&record.title));
    check(
        "doi",
        normalise_doi(&entry.doi) == record.doi.as_deref().and_then(normalise_doi),
    );
    check("year", entry.year == record.year);
    let families = |names: Vec<String>| names.iter().map(|n| fold(n)).collect::<Vec<_>>();
    check(
        "authors",
        families(entry.authors.iter().map(|a| a.family.clone()).collect())
            == families(record.authors.iter().map(|a| family_name(a)).collect()),
    );
    let text = normalise_text(&record.abstract_text());
    check(
        "abstract",
        entry
            .sections
            .iter()
            .all(|(_, section)| text.contains(&normalise_text(section))),
    );
    check(
        "abstract presence",
        entry.sections.is_empty() == record.sections.is_empty(),
    );
    let pmid = match format {
        Format::Medline if entry.pmid.is_empty() => None,
        Format::Medline => Some(entry.pmid.as_str()),
        Format::Csv | Format::Bibtex => Some(entry.shown_pmid()).filter(|p| !p.is_empty()),
        Format::Ris | Format::EndnoteXml => None,
    };
    if let Some(pmid) = pmid {
        check("pmid", record.extra.get("pmid") == Some(pmid));
    }
    check(
        "first page",
        record
            .pages
            .as_deref()
            .unwrap_or_default()
            .starts_with(&entry.first_page),
    );
    wrong
}

/// Writes `corpus` in every format, reads it back and checks every record and the duplicate
/// clusters against what was generated.
fn assert_round_trip(corpus: &Corpus) {
    for format in Format::ALL {
        let bytes = write::write(format, &corpus.entries);
        let (report, records) = read_bytes(&format!("gen.{}", format.extension()), &bytes);
        assert_eq!(report.warnings, [], "{format}");
        assert_eq!(records.len(), corpus.entries.len(), "{format}");
        let wrong: Vec<String> = corpus
            .entries
            .iter()
            .zip(&records)
            .flat_map(|(e, r)| mismatches(format, e, r))
            .collect();
        // Each kind of difference counted, with its first example.
        let mut kinds: std::collections::BTreeMap<&str, (usize, &str)> = Default::default();
        for w in &wrong {
            let kind = w.split(" of `").next().unwrap_or_default();
            kinds.entry(kind).or_insert((0, w)).0 += 1;
        }
        assert!(
            wrong.is_empty(),
            "{} of {} records differ:\n{kinds:#?}",
            wrong.len(),
            records.len(),
        );
        let clusters = dedup::find(&records, &Overrides::default());
        let split: Vec<_> = clusters
            .clusters
            .iter()
            .filter(|c| {
                let study = corpus.entries[c.members[0]].study;
                c.members.iter().any(|&m| corpus.entries[m].study != study)
            })
            .collect();
        assert_eq!(
            split,
            Vec::<&Box<dedup::Cluster>>::new(),
            "{format}: merged studies"
        );
        let mut cluster_of_study = std::collections::HashMap::new();
        let missed: Vec<String> = corpus
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let first = *cluster_of_study
                    .entry(e.study)
                    .or_insert(clusters.of_record[i]);
                (first != clusters.of_record[i]).then(|| {
                    let other = clusters.clusters[first].members[0];
                    let brief = |r: &Record| {
                        format!(
                            "{:?} {:?} {:?} {:?} {:?} {:?}",
                            r.title,
                            r.doi,
                            r.year,
                            r.authors.first(),
                            r.pages,
                            r.extra.get("pmid")
                        )
                    };
                    format!("{}\nvs\n{}", brief(&records[other]), brief(&records[i]))
                })
            })
            .collect();
        assert!(
            missed.is_empty(),
            "{format}: {} planted duplicates not found, e.g. {}",
            missed.len(),
            missed.first().map_or("", String::as_str)
        );
    }
}

#[test]
fn generated_records_read_back_as_generated_in_every_format() {
    let corpus = generate(&seeds_pool(), &Options::new(300));
    assert_eq!(corpus.entries.len(), 300);
    assert_eq!(corpus.duplicates(), 45, "15% of 300");
    assert_round_trip(&corpus);
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() {
    let pool = seeds_pool();
    let a = generate(&pool, &Options::new(100));
    let b = generate(&pool, &Options::new(100));
    let c = generate(
        &pool,
        &Options {
            seed: 7,
            ..Options::new(100)
        },
    );
    for format in Format::ALL {
        assert_eq!(
            write::write(format, &a.entries),
            write::write(format, &b.entries),
            "{format}"
        );
        assert_ne!(
            write::write(format, &a.entries),
            write::write(format, &c.entries),
            "{format}"
        );
    }
}

#[test]
fn a_folder_splits_records_by_database_and_reads_back_whole() {
    let corpus = generate(&seeds_pool(), &Options::new(400));
    let dir = tempfile::tempdir().expect("temp dir");
    let written = write::write_folder(dir.path(), &corpus, &[], 1).expect("folder");
    let formats: Vec<Format> = written.iter().map(|w| w.format).collect();
    assert_eq!(formats, Format::ALL, "one file per format at 400 records");
    let loaded = abstriage::corpus::load(dir.path()).expect("load");
    assert_eq!(loaded.records.len(), 400);
    let clusters = dedup::find(&loaded.records, &Overrides::default());
    assert_eq!(clusters.clusters.len(), corpus.studies);
}

#[test]
fn sizes_parse_with_thousands_suffixes() {
    assert_eq!(
        support::parse_sizes("1k, 10000,100_000,0.3m").map_err(|e| e.contains("0.3m")),
        Err(true)
    );
    assert_eq!(
        support::parse_sizes("1k,10k,100k,300k"),
        Ok(vec![1_000, 10_000, 100_000, 300_000])
    );
    assert!(support::parse_sizes(" , ").is_err());
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn generated_from_the_shared_corpora_reads_back_as_generated() {
    let pool = Pool::load(&support::corpora_dir()).expect("shared corpora");
    assert!(pool.bases.len() > 10_000, "{}", pool.bases.len());
    // Past one pass over the pool, so varied copies of pool records are checked too.
    let corpus = generate(&pool, &Options::new(pool.bases.len() + 3_000));
    assert_round_trip(&corpus);
}
