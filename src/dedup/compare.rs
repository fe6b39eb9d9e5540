//! Whether two records are the same study, and why. Tuned so that a false merge (two studies
//! screened as one, one of them never seen) is rarer than a missed duplicate (one study seen
//! twice): every rule needs agreement on more than one field, and any clear disagreement
//! (year, first author, first page) vetoes a match that identifiers do not prove. Volumes do
//! not veto: databases disagree on them for the same record too often (a supplement's number
//! given as the volume, `1)` left by a broken export).

use serde::{Deserialize, Serialize};

use super::keys::Keys;

/// Why two records were judged the same study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The same DOI.
    Doi,
    /// The same PubMed id.
    Pmid,
    /// The same title, with year, first author or pages agreeing.
    Title,
    /// The same title and authors and year under different DOIs (a preprint and its
    /// published version).
    TitleAcrossDois,
    /// Titles that differ only a little (a typo, a truncated title, a subtitle), with year and
    /// first author or pages agreeing.
    SimilarTitle,
    /// The reviewer merged them.
    Manual,
}

impl Reason {
    /// How the reason reads in reports.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Doi => "same DOI",
            Reason::Pmid => "same PMID",
            Reason::Title => "same title, year/author/pages agree",
            Reason::TitleAcrossDois => "same title, authors and year; different DOIs",
            Reason::SimilarTitle => "near-identical title, year and author/pages agree",
            Reason::Manual => "merged by the reviewer",
        }
    }
}

/// Shortest title, in words, that can match on its own when nothing else is there to compare.
const DISTINCTIVE_TITLE_WORDS: usize = 8;

/// Shortest truncated title, in words, still compared as a prefix of a longer one.
const MIN_PREFIX_WORDS: usize = 6;

/// Normalised Levenshtein similarity above which two titles count as the same with a typo.
const SIMILAR_TITLE: f64 = 0.93;

/// How two values of one field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agreement {
    Same,
    Different,
    Unknown,
}

fn agree<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> Agreement {
    match (a, b) {
        (Some(a), Some(b)) if a == b => Agreement::Same,
        (Some(_), Some(_)) => Agreement::Different,
        _ => Agreement::Unknown,
    }
}

/// The reason `a` and `b` are the same study, or `None` when they are not (or not surely).
pub fn same_study(a: &Keys, b: &Keys) -> Option<Reason> {
    let doi = agree(&a.doi, &b.doi);
    let pmid = agree(&a.pmid, &b.pmid);
    let titles = title_match(a, b);
    // An identifier proves it, unless the titles are plainly different papers (a DOI shared
    // by a whole conference supplement).
    let titles_compatible =
        titles != TitleMatch::Different || a.title_text.is_empty() || b.title_text.is_empty();
    if doi == Agreement::Same && titles_compatible {
        return Some(Reason::Doi);
    }
    if pmid == Agreement::Same && titles_compatible {
        return Some(Reason::Pmid);
    }
    let author = agree(&a.author, &b.author);
    let page = agree(&a.page, &b.page);
    let year = match (a.year, b.year) {
        (Some(x), Some(y)) if x == y => Agreement::Same,
        // Online-first and print years differ by one for the same article, but so do a
        // conference abstract and the paper that followed it: only the same first page tells.
        (Some(x), Some(y)) if x.abs_diff(y) == 1 && page == Agreement::Same => Agreement::Unknown,
        (Some(_), Some(_)) => Agreement::Different,
        _ => Agreement::Unknown,
    };
    let opening = agree(&a.abstract_head, &b.abstract_head);
    let vetoed = [year, author, page].contains(&Agreement::Different);
    if vetoed || pmid == Agreement::Different {
        return None;
    }
    let corroborated = [year, author, page, opening].contains(&Agreement::Same);
    match titles {
        TitleMatch::Same if doi == Agreement::Different => (author == Agreement::Same
            && year == Agreement::Same)
            .then_some(Reason::TitleAcrossDois),
        _ if doi == Agreement::Different => None,
        TitleMatch::Same if corroborated || a.title_words >= DISTINCTIVE_TITLE_WORDS => {
            Some(Reason::Title)
        }
        TitleMatch::Same | TitleMatch::Similar => (year == Agreement::Same
            && (author == Agreement::Same || page == Agreement::Same))
            .then_some(Reason::SimilarTitle),
        TitleMatch::Different => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TitleMatch {
    Same,
    Similar,
    Different,
}

fn title_match(a: &Keys, b: &Keys) -> TitleMatch {
    if a.title_text.is_empty() || b.title_text.is_empty() {
        return TitleMatch::Different;
    }
    if a.title_text == b.title_text {
        return TitleMatch::Same;
    }
    let (short, long) = if a.title_words <= b.title_words {
        (a, b)
    } else {
        (b, a)
    };
    // The shorter title's words are the first words of the longer one.
    let starts_with = long
        .title_text
        .strip_prefix(short.title_text.as_str())
        .is_some_and(|rest| rest.starts_with(' '));
    if short.title_words >= MIN_PREFIX_WORDS && starts_with {
        return TitleMatch::Similar;
    }
    let (x, y) = (&a.title_text, &b.title_text);
    let (lx, ly) = (x.len() as f64, y.len() as f64);
    if lx.min(ly) / lx.max(ly) < SIMILAR_TITLE {
        return TitleMatch::Different;
    }
    if strsim::normalized_levenshtein(x, y) >= SIMILAR_TITLE {
        TitleMatch::Similar
    } else {
        TitleMatch::Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::keys::{title_key, word_count};

    fn keys(title: &str, year: Option<u16>, author: Option<&str>, doi: Option<&str>) -> Keys {
        let title_text = title_key(title);
        Keys {
            title_words: word_count(&title_text),
            title_text,
            doi: doi.map(str::to_string),
            year,
            author: author.map(str::to_string),
            ..Keys::default()
        }
    }

    #[test]
    fn identifiers_prove_it_unless_the_titles_are_plainly_different() {
        let a = keys(
            "Intestinal lipoprotein overproduction",
            Some(2008),
            Some("adeli"),
            Some("10.1/x"),
        );
        let b = keys(
            "Intestinal lipoprotein overproduction.",
            Some(2009),
            Some("adeli"),
            Some("10.1/x"),
        );
        assert_eq!(same_study(&a, &b), Some(Reason::Doi));
        let other = keys(
            "A different abstract in the same supplement",
            Some(2008),
            Some("smith"),
            Some("10.1/x"),
        );
        assert_eq!(same_study(&a, &other), None);
    }

    #[test]
    fn same_title_needs_corroboration_or_length() {
        let a = keys("Reply", Some(2019), Some("lee"), None);
        let b = keys("Reply", Some(2019), Some("kim"), None);
        assert_eq!(same_study(&a, &b), None, "different first authors veto");
        let c = keys("Reply", None, None, None);
        let d = keys("Reply", None, None, None);
        assert_eq!(
            same_study(&c, &d),
            None,
            "a short title alone proves nothing"
        );
        let e = keys(
            "Effects of nasal balloon autoinflation in children with glue ear",
            None,
            None,
            None,
        );
        assert_eq!(same_study(&e, &e.clone()), Some(Reason::Title));
    }

    #[test]
    fn typos_and_truncation_match_only_with_year_and_author() {
        let a = keys(
            "Effect of standard of care treatment on in-vivo coronary vascular function",
            Some(2017),
            Some("adingupu"),
            None,
        );
        let typo = keys(
            "Effect of standard of care treatment on in vivo coronary vascular functoin",
            Some(2017),
            Some("adingupu"),
            None,
        );
        assert_eq!(same_study(&a, &typo), Some(Reason::SimilarTitle));
        let truncated = keys(
            "Effect of standard of care treatment on",
            Some(2017),
            Some("adingupu"),
            None,
        );
        assert_eq!(same_study(&a, &truncated), Some(Reason::SimilarTitle));
        // Cut inside a word, it is not the longer title's first words.
        let cut_in_a_word = keys(
            "Effect of standard of care treatment o",
            Some(2017),
            Some("adingupu"),
            None,
        );
        assert_eq!(same_study(&a, &cut_in_a_word), None);
        let other_year = keys(
            "Effect of standard of care treatment on",
            Some(2015),
            Some("adingupu"),
            None,
        );
        assert_eq!(same_study(&a, &other_year), None);
    }

    #[test]
    fn a_conference_abstract_and_the_later_paper_stay_apart() {
        // Both shapes occur in ASySD/labelled_test_set.csv (gold: different records).
        let abstract_2010 = keys(
            "Decreased neprilysin and pulmonary vascular remodeling in chronic obstructive pulmonary disease",
            Some(2010),
            Some("wick"),
            None,
        );
        let paper_2011 = keys(
            "Decreased neprilysin and pulmonary vascular remodeling in chronic obstructive pulmonary disease",
            Some(2011),
            Some("wick"),
            Some("10.1164/rccm.201002-0154oc"),
        );
        assert_eq!(same_study(&abstract_2010, &paper_2011), None);
        let mut with_pages = (abstract_2010.clone(), paper_2011.clone());
        with_pages.0.page = Some("1265".into());
        with_pages.1.page = Some("1265".into());
        with_pages.1.doi = None;
        assert_eq!(
            same_study(&with_pages.0, &with_pages.1),
            Some(Reason::Title),
            "same pages: online and print years of one article"
        );
    }

    #[test]
    fn a_preprint_and_its_publication_have_different_dois() {
        let preprint = keys(
            "An open source machine learning framework for efficient and transparent systematic reviews",
            Some(2021),
            Some("van de schoot"),
            Some("10.48550/arxiv.2006.12166"),
        );
        let journal = keys(
            "An open source machine learning framework for efficient and transparent systematic reviews",
            Some(2021),
            Some("van de schoot"),
            Some("10.1038/s42256-020-00287-7"),
        );
        assert_eq!(
            same_study(&preprint, &journal),
            Some(Reason::TitleAcrossDois)
        );
        let other_author = keys(
            "An open source machine learning framework for efficient and transparent systematic reviews",
            Some(2021),
            Some("smith"),
            Some("10.1/y"),
        );
        assert_eq!(same_study(&preprint, &other_author), None);
    }
}
