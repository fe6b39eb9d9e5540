//! Searching studies as a reviewer types: every word typed must match somewhere in the record.
//! Title, authors, journal and keywords are matched fuzzily (skim's algorithm: letters in
//! order, closeness rewarded), the year exactly, and the abstract by the word itself: an
//! in-order scattered match over a 300-word abstract matches nearly every record, and exact
//! substring search is what stays fast over 100,000 abstracts.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::{memchr, memchr2, memrchr, memrchr2};
use rayon::prelude::*;
use regex::{Regex, RegexBuilder};

use self::bound::{
    HEAD, Start, after_first, shortfall, skim_bound, starts_with_word, word_start, word_starts,
};
use crate::record::Record;

mod bound;

/// How much a match in each field counts, relative to the others.
const TITLE_WEIGHT: i64 = 3;
const PEOPLE_WEIGHT: i64 = 2;
const SOURCE_WEIGHT: i64 = 2;
/// Score of a word found in the abstract (a title match of a few letters scores more).
const ABSTRACT_SCORE: i64 = 30;
/// Score of a typed year equal to the record's.
const YEAR_SCORE: i64 = 200;
/// Candidates scored together on one core (a few milliseconds of work at most).
pub(crate) const CHUNK: usize = 1_024;

/// A typed query, ready to match records.
pub struct Query {
    terms: Vec<Term>,
}

struct Term {
    text: String,
    /// The word's bytes, ASCII letters in lower case: what skim compares (it ignores ASCII
    /// case only), for the test that its letters occur in order.
    folded: Vec<u8>,
    /// The word's first character, on which the most it can score on a title depends.
    first: char,
    /// The most the characters after the first add to skim's score (`bound::after_first`).
    after_first: i64,
    /// The most skim can score the word on any text (`bound::skim_bound`).
    ceiling: i64,
    /// The word's first letters, to tell titles none of whose words start so
    /// (`bound::word_start`).
    start: Option<(u32, u32)>,
    in_abstract: Regex,
}

impl Term {
    /// The most this word adds to the score of a record on whose title skim scores it
    /// `title` at most, and whose year scores `year`: the best of its fields as
    /// [`Query::word_score`] weighs them.
    fn bound(&self, title: i64, year: i64) -> i64 {
        let title = TITLE_WEIGHT * title;
        let elsewhere = PEOPLE_WEIGHT.max(SOURCE_WEIGHT) * self.ceiling;
        title.max(elsewhere).max(year).max(ABSTRACT_SCORE)
    }

    /// What the record's year scores for this word: a year matches as it is typed, "201"
    /// matches 2015 (weakly), "2019" 2019. Only a word starting with a digit can.
    fn year_score(&self, year: Option<u16>) -> Option<i64> {
        year.filter(|_| self.folded.first().is_some_and(u8::is_ascii_digit))
            .map(|y| y.to_string())
            .and_then(|y| {
                if y == self.text {
                    Some(YEAR_SCORE)
                } else {
                    y.starts_with(&self.text).then_some(1)
                }
            })
    }
}

/// How a record's title starts, and its year: what its score's bound depends on besides the
/// query and the places words start further in the title.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TitleStart {
    /// The title's first character (`None` for an empty title).
    title_first: Option<char>,
    /// The title's first characters, up to the first that is not ASCII.
    head: [u8; HEAD],
    /// How many bytes of `head` are the title's.
    head_len: u8,
    /// Whether `head` holds the whole title.
    whole: bool,
    /// The record's year.
    year: Option<u16>,
}

impl TitleStart {
    fn of(record: &Record) -> Self {
        let title = record.title.as_bytes();
        let n = title.iter().take(HEAD).take_while(|b| b.is_ascii()).count();
        let mut head = [0; HEAD];
        head[..n].copy_from_slice(&title[..n]);
        Self {
            title_first: record.title.chars().next(),
            head,
            head_len: u8::try_from(n).unwrap_or(0),
            whole: title.len() == n,
            year: record.year,
        }
    }
}

/// What the most a record can score depends on besides the query: how its title starts, the
/// first letters of each of its words, and its year ([`Query::ceiling_for`]). About 100
/// bytes a record (12 MB at 100,000), so a search keeps them for every record ([`CueTable`])
/// and bounds a record's score without reading the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cues<'a> {
    start: TitleStart,
    /// The title's words' first letters (`bound::word_starts`).
    words: &'a [u32],
}

impl Cues<'_> {
    /// The most skim can score `term` on the title (`bound`): by how the title starts against
    /// the word's first character, less when the title does not start with the word (down to
    /// what the word scores starting further on, less when no word of the title starts as it
    /// does).
    /// (Skim is given part of the title, `scored_part`, which starts with the title's first
    /// character whenever that character matches the word's first ignoring case, and
    /// otherwise with one that does not match it: the part starts as the title does.)
    fn title_bound(&self, term: &Term) -> i64 {
        let start = Start::of(term.first, self.start.title_first);
        let elsewhere = i64::from(!starts_with_word(self.words, term.start));
        let further = Start::Other.first_score() + term.after_first - elsewhere;
        if start == Start::Other {
            return further;
        }
        let head = &self.start.head[..usize::from(self.start.head_len)];
        let short = shortfall(&term.text, head, self.start.whole);
        (start.first_score() + term.after_first - short).max(further)
    }
}

/// The cues of many records, by key: what a search keeps to bound any record's score.
#[derive(Debug, Clone, Default)]
pub struct CueTable {
    /// By key.
    starts: Vec<TitleStart>,
    /// Key `k`'s words' first letters are `words[offsets[k]..offsets[k + 1]]`.
    offsets: Vec<usize>,
    words: Vec<u32>,
}

impl CueTable {
    /// The cues of the records of `keys` (ascending), `record` giving each key's record. Keys
    /// not among them have no title and no year.
    pub fn new<'r>(keys: &[usize], record: impl Fn(usize) -> &'r Record + Sync) -> Self {
        let parts: Vec<(Vec<TitleStart>, Vec<usize>, Vec<u32>)> = keys
            .par_chunks(CHUNK)
            .map(|keys| {
                let (mut starts, mut counts, mut words) = (Vec::new(), Vec::new(), Vec::new());
                for &key in keys {
                    let record = record(key);
                    starts.push(TitleStart::of(record));
                    let before = words.len();
                    word_starts(&record.title, &mut words);
                    counts.push(words.len() - before);
                }
                (starts, counts, words)
            })
            .collect();
        let size = keys.last().map_or(0, |&k| k + 1);
        let mut table = Self {
            starts: vec![TitleStart::default(); size],
            offsets: vec![0; size + 1],
            words: Vec::with_capacity(parts.iter().map(|p| p.2.len()).sum()),
        };
        let mut counts = vec![0; size];
        let mut keys = keys.iter();
        for (starts, part_counts, words) in parts {
            for (start, count) in starts.into_iter().zip(part_counts) {
                // As many cues as keys, by construction.
                if let Some(&key) = keys.next() {
                    table.starts[key] = start;
                    counts[key] = count;
                }
            }
            // Keys ascending: the words come in key order.
            table.words.extend(words);
        }
        for (k, count) in counts.into_iter().enumerate() {
            table.offsets[k + 1] = table.offsets[k] + count;
        }
        table
    }

    /// The cues of the record of `key` (none for a key beyond those given).
    pub fn get(&self, key: usize) -> Cues<'_> {
        let words = match (self.offsets.get(key), self.offsets.get(key + 1)) {
            (Some(&from), Some(&to)) => &self.words[from..to],
            _ => &[],
        };
        Cues {
            start: self.starts.get(key).copied().unwrap_or_default(),
            words,
        }
    }
}

/// How well a record matched, and where in its title (for highlighting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// Higher is better.
    pub score: i64,
    /// Character positions in the title that matched.
    pub title_positions: Vec<usize>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let words: Vec<&str> = self.terms.iter().map(|t| t.text.as_str()).collect();
        f.debug_tuple("Query").field(&words).finish()
    }
}

impl Query {
    /// The query for `text`; `None` when nothing was typed.
    pub fn new(text: &str) -> Option<Self> {
        let terms: Vec<Term> = text
            .split_whitespace()
            .filter_map(|word| {
                let in_abstract = RegexBuilder::new(&regex::escape(word))
                    .case_insensitive(true)
                    .build()
                    .ok()?;
                Some(Term {
                    text: word.to_string(),
                    folded: word.bytes().map(|b| b.to_ascii_lowercase()).collect(),
                    first: word.chars().next()?,
                    after_first: after_first(word),
                    ceiling: skim_bound(word, Start::Same),
                    start: word_start(word),
                    in_abstract,
                })
            })
            .collect();
        (!terms.is_empty()).then_some(Self { terms })
    }

    /// The record's score and title positions, or `None` when some word typed matches nowhere
    /// in it.
    pub fn score(&self, record: &Record) -> Option<Scored> {
        let score = self.rank(record)?;
        Some(Scored {
            score,
            title_positions: self.title_positions(&record.title),
        })
    }

    /// The record's score (higher is better), or `None` when some word typed matches nowhere
    /// in it. The ranking alone: where the title matched is [`Query::title_positions`], needed
    /// only for the rows on screen.
    pub fn rank(&self, record: &Record) -> Option<i64> {
        (0..self.terms.len())
            .map(|word| self.word_score(word, record))
            .sum()
    }

    /// The most any record can score: each word's best field scores at most the title's
    /// weight times the most skim gives the word on any text (authors and sources weigh
    /// less), a typed year's score when the word starts with a digit, or the abstract's score.
    /// A search that has found enough records scoring this much, in key order, has found the
    /// best ones (ties go by key).
    pub fn ceiling(&self) -> i64 {
        self.terms
            .iter()
            .map(|t| {
                let year = if t.first.is_ascii_digit() {
                    YEAR_SCORE
                } else {
                    1
                };
                t.bound(t.ceiling, year)
            })
            .sum()
    }

    /// The most a record with these cues can score: as [`Query::ceiling`], with each word's
    /// title score bounded by how the title starts (against the word's first character, and
    /// whether it starts with the word; elsewhere, whether a word of the title starts as it
    /// does), and its year's score exact. A word typed in lower case scores most on a title
    /// starting with it in lower case, which few titles do: on a capitalised title starting
    /// with it, it reaches this bound, not the ceiling; and titles starting otherwise have a
    /// lower bound, so a search meets those reaching it first. Titles holding the word
    /// further on ("smith" in "Effects of Smith's ...") come before those holding its letters
    /// scattered, which is what orders a name's prefix.
    pub fn ceiling_for(&self, cues: Cues<'_>) -> i64 {
        (0..self.terms.len())
            .map(|word| self.word_ceiling(word, cues))
            .sum()
    }

    /// The most word `word` (0-based) can add to the score of a record with these cues
    /// (0 past the last word): its part of [`Query::ceiling_for`].
    pub fn word_ceiling(&self, word: usize, cues: Cues<'_>) -> i64 {
        self.terms.get(word).map_or(0, |t| {
            let year = t.year_score(cues.start.year).unwrap_or(0);
            t.bound(cues.title_bound(t), year)
        })
    }

    /// The most word `word` (0-based) can add to the score of a record with these cues, on
    /// which `earlier`, a word it starts with, scored `score` ([`Query::word_score`]): at most
    /// [`Query::word_ceiling`], and at most `score` raised by what each character added can
    /// add to any field, weighed as the title is (each raises skim's score by at most its
    /// step, `bound` point 3: skim fills a row of its matrix per character of the word, the
    /// rows of the characters kept are the same, and the best of the last one is the score).
    /// The year is scored afresh ("2019" scores 200 where "201" scored 1); the abstract
    /// matches the longer word only where it matched the shorter one, with the same score.
    /// After a few letters, this is far below the word's ceiling for the records where the
    /// shorter word scored little, which is most of them.
    pub fn grown_ceiling(&self, word: usize, earlier: &str, score: i64, cues: Cues<'_>) -> i64 {
        self.terms.get(word).map_or(0, |t| {
            let added = t.after_first - after_first(earlier);
            let year = t.year_score(cues.start.year).unwrap_or(0);
            let grown = (score + TITLE_WEIGHT * added).max(year);
            grown.min(self.word_ceiling(word, cues))
        })
    }

    /// The words typed, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.text.as_str())
    }

    /// How many words were typed.
    pub fn word_count(&self) -> usize {
        self.terms.len()
    }

    /// What word `word` (0-based) adds to the record's score, `None` when it matches nowhere
    /// in the record. A record's score is the sum over the words ([`Query::rank`]), and a
    /// word's part depends on that word and the record alone, so a search can keep it while
    /// other words are typed.
    pub fn word_score(&self, word: usize, record: &Record) -> Option<i64> {
        let term = self.terms.get(word)?;
        self.best(term, record).map(|b| b.max(1))
    }

    /// The best score of one word over the record's fields.
    fn best(&self, term: &Term, record: &Record) -> Option<i64> {
        // A field matches when the word's letters occur in it in order (skim may still
        // score such a match at or below zero); that test only gets stricter as a word
        // grows, which is what lets a search continue from its previous results. It is run
        // first on the bytes, which rules out most fields without building skim's matrix.
        let fuzzy = |text: &str| {
            in_order(&term.folded, text.as_bytes())
                .then(|| fresh_skim().fuzzy_match(scored_part(&term.folded, text), &term.text))
                .flatten()
        };
        let title = fuzzy(&record.title).map(|s| s * TITLE_WEIGHT);
        // Authors and sources are weighed less than the title: when the title already
        // scores more than they could, skim need not score them.
        let ceiling = SOURCE_WEIGHT.max(PEOPLE_WEIGHT) * term.ceiling;
        let unbeatable = |best: Option<i64>| best.is_some_and(|b| b >= ceiling);
        let people = if unbeatable(title) {
            None
        } else {
            record.authors.iter().filter_map(|a| fuzzy(a)).max()
        };
        let source = if unbeatable(title.max(people.map(|s| s * PEOPLE_WEIGHT))) {
            None
        } else {
            record
                .journal
                .iter()
                .chain(&record.keywords)
                .filter_map(|s| fuzzy(s))
                .max()
        };
        let year = term.year_score(record.year);
        let best = [
            title,
            people.map(|s| s * PEOPLE_WEIGHT),
            source.map(|s| s * SOURCE_WEIGHT),
            year,
        ]
        .into_iter()
        .flatten()
        .max();
        // The abstract can only raise a best below its fixed score.
        if best.is_some_and(|b| b >= ABSTRACT_SCORE) {
            return best;
        }
        let in_abstract = record
            .sections
            .iter()
            .any(|s| term.in_abstract.is_match(&s.text));
        match (best, in_abstract) {
            (Some(b), true) => Some(b.max(ABSTRACT_SCORE)),
            (None, true) => Some(ABSTRACT_SCORE),
            (best, false) => best,
        }
    }

    /// Character positions in `title` matching the query's words (for highlighting).
    pub fn title_positions(&self, title: &str) -> Vec<usize> {
        let mut positions: Vec<usize> = self
            .terms
            .iter()
            .filter(|term| in_order(&term.folded, title.as_bytes()))
            .filter_map(|term| fresh_skim().fuzzy_indices(title, &term.text))
            .flat_map(|(_, positions)| positions)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// The candidates that match, with their scores, in the candidates' order: what a search
    /// box shows for one typed character. Large sets are split over the machine's cores.
    pub fn matches<K: Copy + Send + Sync>(&self, candidates: &[(K, &Record)]) -> Vec<(K, i64)> {
        candidates
            .par_chunks(CHUNK)
            .flat_map_iter(|part| {
                part.iter()
                    .filter_map(|&(key, record)| self.rank(record).map(|s| (key, s)))
            })
            .collect()
    }

    /// Whether this query narrows `previous` (every record it matches, `previous` matched too),
    /// so a search can continue from the previous results instead of starting over: the same
    /// words, the last one possibly longer, possibly more words after it. Whether a word
    /// matches only gets stricter as it grows (its letters in order in a field, a prefix of
    /// the year, a substring of the abstract), and every word must match.
    pub fn narrows(&self, previous: &Query) -> bool {
        previous.terms.len() <= self.terms.len()
            && previous
                .terms
                .iter()
                .zip(&self.terms)
                .enumerate()
                .all(|(i, (old, new))| {
                    let last_old = i + 1 == previous.terms.len();
                    if last_old {
                        new.text.starts_with(&old.text)
                    } else {
                        new.text == old.text
                    }
                })
    }
}

/// Skim's matcher, new for each call. A matcher keeps its score matrix between calls, and
/// both `fuzzy_match` and `fuzzy_indices` read cells of it they did not write (the bonus of
/// the cell left of a match, when that cell was a match too; fuzzy-matcher 0.3.7,
/// `build_score_matrix`): a reused matcher scores "ssi" on "aaaaSsiaa" 59 on its first call
/// and 63 after scoring "9" on "aaa 9saaaaa". Only a new matrix makes a record's score its
/// own, whatever was scored before it on that thread. (`use_cache(false)` would, but
/// panics on a `RefCell` borrowed twice.)
pub(crate) fn fresh_skim() -> SkimMatcherV2 {
    SkimMatcherV2::default().ignore_case()
}

/// The part of `text` skim's score of `word` (its bytes, ASCII letters in lower case)
/// depends on, when the word starts and ends with ASCII characters: from the character before
/// the first that matches the word's first character to the last that matches its last
/// character. Skim's matrix starts each row at the first place the row's character can match
/// (so the characters before are read only for the bonus of the one just before), a match
/// ends where the word's last character matches, and only the text's very first character
/// has a bonus of its own (doubled), which the character kept before the first match takes
/// without it ever being matched (fuzzy-matcher 0.3.7, `fuzzy` and `build_score_matrix`;
/// a proptest compares the scores). Shorter text, smaller matrix: titles are scored faster.
fn scored_part<'t>(word: &[u8], text: &'t str) -> &'t str {
    let (Some(&first), Some(&last)) = (word.first(), word.last()) else {
        return text;
    };
    if !first.is_ascii() || !last.is_ascii() {
        return text;
    }
    let bytes = text.as_bytes();
    let found = if first.is_ascii_lowercase() {
        memchr2(first, first.to_ascii_uppercase(), bytes)
    } else {
        memchr(first, bytes)
    };
    let found_last = if last.is_ascii_lowercase() {
        memrchr2(last, last.to_ascii_uppercase(), bytes)
    } else {
        memrchr(last, bytes)
    };
    let (Some(start), Some(end)) = (found, found_last) else {
        return text;
    };
    if end < start {
        return text;
    }
    let before = (0..start)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[before..=end]
}

/// Whether the bytes of `word` (ASCII letters in lower case) occur in `text` in order,
/// ignoring ASCII case. Skim matches a word only where its characters do, comparing ASCII
/// letters without case and other characters exactly, so a field failing this cannot match.
fn in_order(word: &[u8], text: &[u8]) -> bool {
    // Most fields are short (an author, a keyword): a plain loop beats starting memchr.
    if text.len() < 64 {
        let mut wanted = word.iter();
        let mut next = wanted.next();
        for &b in text {
            match next {
                None => break,
                Some(&w) if b.to_ascii_lowercase() == w => next = wanted.next(),
                Some(_) => {}
            }
        }
        return next.is_none();
    }
    let mut rest = text;
    for &b in word {
        let found = if b.is_ascii_lowercase() {
            memchr2(b, b.to_ascii_uppercase(), rest)
        } else {
            memchr(b, rest)
        };
        match found {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests;
