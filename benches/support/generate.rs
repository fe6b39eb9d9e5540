//! From a pool of real records to N distinct generated records with planted duplicates.
//!
//! Study `j` is drawn from pool record `order[j % P]` (pool order shuffled once): the first
//! pass over the pool keeps each record as it is (missing identifiers and journal details
//! filled in), every later pass substitutes title words, shuffles the abstract's sentences and
//! takes authors, journal, year, pages and DOI from elsewhere, so no two studies are the same
//! paper by abstriage's duplicate rules. Then a share of the records are extra copies of
//! random studies, varied as databases vary them (see [`super::vary::duplicate`]).

use fastrand::Rng;

use super::pool::Pool;
use super::vary;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Records in all (studies plus duplicates).
    pub records: usize,
    /// Seed of the random stream: the same seed gives the same corpus.
    pub seed: u64,
    /// Share of the records that are extra copies of another record's study (0.0–0.9).
    pub duplicate_rate: f64,
}

impl Options {
    /// `records` records with the default seed and a 15% duplicate rate (typical of a search
    /// over three or four databases after each database's own deduplication).
    pub fn new(records: usize) -> Self {
        Self {
            records,
            seed: DEFAULT_SEED,
            duplicate_rate: DEFAULT_DUPLICATE_RATE,
        }
    }
}

/// Seed used when none is given.
pub const DEFAULT_SEED: u64 = 2026;

/// Duplicate share used when none is given.
pub const DEFAULT_DUPLICATE_RATE: f64 = 0.15;

/// An author's name in parts, so each format can write it its own way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Name {
    /// Family name (`van der Berg`).
    pub family: String,
    /// Given names or initials as the source gave them (`Laura M.`, `L. M.`, `LM`).
    pub given: String,
}

impl Name {
    /// Splits a name as sources write it: `Family, Given`, `Family GI`, `Family G. I.` or
    /// `Given Family`.
    pub fn parse(author: &str) -> Self {
        let author = author.trim();
        if let Some((family, given)) = author.split_once(',') {
            return Self {
                family: family.trim().to_string(),
                given: given.trim().to_string(),
            };
        }
        let words: Vec<&str> = author.split_whitespace().collect();
        let initials = words
            .iter()
            .rev()
            .take_while(|w| is_initials(w))
            .count()
            .min(words.len().saturating_sub(1));
        if initials > 0 {
            let split = words.len() - initials;
            return Self {
                family: words[..split].join(" "),
                given: words[split..].join(" "),
            };
        }
        match words.split_last() {
            Some((last, rest)) => Self {
                family: (*last).to_string(),
                given: rest.join(" "),
            },
            None => Self::default(),
        }
    }

    /// `Family, Given` (RIS, BibTeX, EndNote, MEDLINE `FAU`).
    pub fn full(&self) -> String {
        if self.given.is_empty() {
            self.family.clone()
        } else {
            format!("{}, {}", self.family, self.given)
        }
    }

    /// Initials of the given names, `Laura Mary` → `LM`, `Jean-Paul` → `JP`, `JA` → `JA`; at
    /// most three, as PubMed writes them (and as abstriage tells initials from a name).
    pub fn initials(&self) -> String {
        self.given
            .split([' ', '.', '-'])
            .flat_map(|part| {
                let letters = part.chars().filter(|c| c.is_alphabetic());
                if is_initials(part) {
                    letters.collect::<Vec<_>>()
                } else {
                    letters.take(1).flat_map(char::to_uppercase).collect()
                }
            })
            // Scripts without capitals (`熊, 玮`) have no initials: the name is written whole.
            .filter(|c| c.is_uppercase())
            .take(3)
            .collect()
    }

    /// `Family GI` (MEDLINE `AU`); `Family, Given` when the given names have no initials.
    pub fn short(&self) -> String {
        let initials = self.initials();
        if initials.is_empty() {
            self.full()
        } else {
            format!("{} {initials}", self.family)
        }
    }

    /// `Family G.I.` (Scopus's `Authors` column).
    pub fn dotted(&self) -> String {
        let initials: String = self.initials().chars().map(|c| format!("{c}.")).collect();
        if initials.is_empty() {
            self.full()
        } else {
            format!("{} {initials}", self.family)
        }
    }
}

/// `LM`, `L.M.`, `L.`, `J-P`: initials rather than a name.
fn is_initials(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// How one record is written, where exporters differ for the same record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Authors as `Family GI` rather than `Family, Given`.
    pub initials_only: bool,
    /// Section labels in capitals (`BACKGROUND:`), as PubMed writes them.
    pub upper_labels: bool,
    /// Each abstract section on its own line (EndNote, Zotero) rather than one paragraph.
    pub split_sections: bool,
    /// The PMID left out, as databases other than PubMed often do (MEDLINE still writes it).
    pub hide_pmid: bool,
}

/// One generated record, format-neutral; empty strings are fields the record lacks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The study it is a record of (ground truth for duplicate detection).
    pub study: usize,
    /// Title.
    pub title: String,
    /// Authors, in order.
    pub authors: Vec<Name>,
    /// Publication year.
    pub year: Option<u16>,
    /// Journal.
    pub journal: String,
    /// Journal abbreviation.
    pub journal_abbrev: String,
    /// Volume.
    pub volume: String,
    /// Issue.
    pub issue: String,
    /// First page or article number.
    pub first_page: String,
    /// Last page, as the source writes it (`1013` or `13`).
    pub last_page: String,
    /// DOI.
    pub doi: String,
    /// PubMed id (of the study: every copy has the same; see [`Style::hide_pmid`]).
    pub pmid: String,
    /// ISSN.
    pub issn: String,
    /// Abstract sections: (label or empty, text).
    pub sections: Vec<(String, String)>,
    /// Copyright statement ending the abstract, as many databases leave it.
    pub copyright: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// First author's affiliation.
    pub affiliation: String,
    /// How to write it.
    pub style: Style,
}

impl Entry {
    /// The PMID as exports other than MEDLINE write it: empty when hidden.
    pub fn shown_pmid(&self) -> &str {
        if self.style.hide_pmid { "" } else { &self.pmid }
    }

    /// The abstract as one paragraph per section (`Label: text`), the copyright last.
    pub fn abstract_paragraphs(&self) -> Vec<String> {
        let mut paragraphs: Vec<String> = self
            .sections
            .iter()
            .map(|(label, text)| {
                if label.is_empty() {
                    text.clone()
                } else if self.style.upper_labels {
                    format!("{}: {text}", label.to_uppercase())
                } else {
                    format!("{label}: {text}")
                }
            })
            .collect();
        if !self.copyright.is_empty() {
            paragraphs.push(self.copyright.clone());
        }
        paragraphs
    }

    /// The abstract on one line (sections separated by a space), as most databases export it.
    pub fn abstract_line(&self) -> String {
        self.abstract_paragraphs().join(" ")
    }

    /// The page range as written (`1001-1013`, `e413`), empty when there are no pages.
    pub fn pages(&self) -> String {
        match (self.first_page.is_empty(), self.last_page.is_empty()) {
            (true, _) => String::new(),
            (false, true) => self.first_page.clone(),
            (false, false) => format!("{}-{}", self.first_page, self.last_page),
        }
    }
}

/// A generated corpus: records in file order, each knowing its study.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The records.
    pub entries: Vec<Entry>,
    /// Distinct studies among them.
    pub studies: usize,
    /// The options it was generated with.
    pub options: Option<Options>,
}

impl Corpus {
    /// Records that are extra copies of a study already in the corpus.
    pub fn duplicates(&self) -> usize {
        self.entries.len() - self.studies
    }
}

/// Generates `options.records` records from `pool`. An empty pool gives an empty corpus.
pub fn generate(pool: &Pool, options: &Options) -> Corpus {
    if pool.is_empty() || options.records == 0 {
        return Corpus {
            options: Some(*options),
            ..Corpus::default()
        };
    }
    let mut rng = Rng::with_seed(options.seed);
    let rate = options.duplicate_rate.clamp(0.0, 0.9);
    let duplicates = ((options.records as f64) * rate).round() as usize;
    let studies = (options.records - duplicates).max(1);
    let mut order: Vec<usize> = (0..pool.bases.len()).collect();
    rng.shuffle(&mut order);
    let mut entries: Vec<Entry> = (0..studies)
        .map(|study| {
            let base = order[study % order.len()];
            let pass = study / order.len();
            study_entry(pool, base, pass, study, &mut rng)
        })
        .collect();
    let copies: Vec<Entry> = (0..options.records - studies)
        .map(|_| {
            let study = rng.usize(..studies);
            vary::duplicate(&entries[study], &mut rng)
        })
        .collect();
    entries.extend(copies);
    rng.shuffle(&mut entries);
    Corpus {
        entries,
        studies,
        options: Some(*options),
    }
}

/// Share of studies with a DOI (most database records have one; the pool's sources often
/// dropped it).
const DOI_SHARE: f64 = 0.85;

/// Share of studies indexed in MEDLINE, hence with a PMID in every export.
const PMID_SHARE: f64 = 0.6;

/// Study `study`: pool record `base` as it is on the first pass, varied on later ones.
fn study_entry(pool: &Pool, base: usize, pass: usize, study: usize, rng: &mut Rng) -> Entry {
    let mut entry = pool.bases[base].clone();
    entry.study = study;
    if pass > 0 {
        entry.title = vary::substitute_title_words(&entry.title, &pool.title_words, rng);
        for (_, text) in &mut entry.sections {
            *text = vary::shuffle_sentences(text, rng);
        }
        let other = &pool.bases[(base + pass * 7919) % pool.bases.len()];
        entry.authors = other.authors.clone();
        entry.affiliation = other.affiliation.clone();
        entry.journal.clear();
        entry.volume.clear();
        entry.first_page.clear();
        entry.year = Some(rng.u16(1990..=2025));
        entry.doi.clear();
        entry.pmid.clear();
    }
    if entry.year.is_none() {
        entry.year = Some(rng.u16(1990..=2025));
    }
    if entry.journal.is_empty() {
        let (name, abbrev, issn) = &pool.journals[rng.usize(..pool.journals.len())];
        entry.journal = name.clone();
        entry.journal_abbrev = abbrev.clone();
        entry.issn = issn.clone();
    }
    if entry.volume.is_empty() {
        entry.volume = rng.u16(1..=120).to_string();
        entry.issue = rng.u8(1..=12).to_string();
    }
    if entry.first_page.is_empty() {
        let first = rng.u32(1..=3000);
        entry.first_page = first.to_string();
        entry.last_page = (first + rng.u32(4..=16)).to_string();
    }
    if entry.doi.is_empty() && rng.f64() < DOI_SHARE {
        entry.doi = format!(
            "10.{}/gen.{}.{study}",
            rng.u16(1000..=9999),
            entry.year.unwrap_or(2000)
        );
    }
    if entry.pmid.is_empty() && rng.f64() < PMID_SHARE {
        // Above every real PMID, so a generated one never collides with a pool record's.
        entry.pmid = (60_000_000 + study).to_string();
    }
    if entry.affiliation.is_empty() {
        entry.affiliation = pool.affiliations[rng.usize(..pool.affiliations.len())].clone();
    }
    if entry.keywords.is_empty() {
        entry.keywords = (0..rng.usize(3..=7))
            .map(|_| pool.keywords[rng.usize(..pool.keywords.len())].clone())
            .collect();
        entry.keywords.dedup();
    }
    entry.style = Style {
        upper_labels: rng.bool(),
        split_sections: rng.f64() < 0.3,
        ..Style::default()
    };
    if rng.f64() < 0.4 {
        entry.copyright = vary::copyright_line(entry.year.unwrap_or(2020), rng);
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_in_every_common_form() {
        let n = Name::parse("Swaithes, Laura M.");
        assert_eq!(
            (n.family.as_str(), n.given.as_str()),
            ("Swaithes", "Laura M.")
        );
        assert_eq!(n.short(), "Swaithes LM");
        assert_eq!(n.dotted(), "Swaithes L.M.");
        let n = Name::parse("Tsaia T. H.");
        assert_eq!((n.family.as_str(), n.given.as_str()), ("Tsaia", "T. H."));
        let n = Name::parse("van der Berg JA");
        assert_eq!(
            (n.family.as_str(), n.short().as_str()),
            ("van der Berg", "van der Berg JA")
        );
        let n = Name::parse("Laura Swaithes");
        assert_eq!(n.full(), "Swaithes, Laura");
        assert_eq!(Name::parse("熊, 玮").short(), "熊, 玮");
        let n = Name::parse("Dixon-Woods, Mary");
        assert_eq!(n.short(), "Dixon-Woods M");
    }
}
