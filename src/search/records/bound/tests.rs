//! Tests of the bound on skim's score: against skim on random words and texts, how far below it
//! a text not starting with the word falls, and where words start in a text (point 6).

use fuzzy_matcher::FuzzyMatcher;
use proptest::prelude::*;

use super::*;
use crate::search::records::fresh_skim;

/// `text`'s word starts as [`word_starts`] packs them, in order.
fn starts_of(text: &str) -> Vec<u32> {
    let mut starts = Vec::new();
    word_starts(text, &mut starts);
    starts
}

/// Up to four ASCII bytes packed as [`word_starts`] packs them: first byte lowest.
fn packed(letters: &[u8]) -> u32 {
    let mut bytes = [0; 4];
    bytes[..letters.len()].copy_from_slice(letters);
    u32::from_le_bytes(bytes)
}

#[test]
fn every_word_start_with_one_hard_separator_skipped_in_lower_case() {
    // "of Smith": a start goes on through one space. "Smith's": the apostrophe is soft
    // punctuation, so its "s" is no head. "(a) s mith":
    // "a" starts after "(", and ") " is no single separator; "s mith" is followed through
    // its one space. "x/y": "x" then "y" through the slash, and "y" itself after it.
    assert_eq!(
        starts_of("Effects of Smith's (a) s mith x/y"),
        [
            packed(b"effe"),
            packed(b"ofsm"),
            packed(b"smit"),
            packed(b"a"),
            packed(b"smit"),
            packed(b"mith"),
            packed(b"xy"),
            packed(b"y"),
        ]
    );
    // Non-ASCII letters end a start ("é" can match no ASCII letter) and start none.
    assert_eq!(starts_of("Caf\u{e9} \u{e9}t\u{e9}"), [packed(b"caf")]);
    assert_eq!(starts_of(""), Vec::<u32>::new());
    // After a NUL, skim sees a head too (and a start goes on through it).
    assert_eq!(starts_of("a\0bc"), [packed(b"abc"), packed(b"bc")]);
}

#[test]
fn a_word_starts_a_text_word_by_its_first_four_letters() {
    let starts = starts_of("Effects of Smith's syndrome");
    for word in ["smith", "Smit", "SMI", "s", "syndromes", "eff", "o"] {
        assert!(starts_with_word(&starts, word_start(word)), "{word}");
    }
    for word in ["mith", "smy", "x", "ects", "of1"] {
        assert!(!starts_with_word(&starts, word_start(word)), "{word}");
    }
    // A word not starting with four ASCII letters or digits is never ruled out.
    assert_eq!(word_start("s-mith"), None);
    assert_eq!(word_start("\u{e9}t\u{e9}"), None);
    assert!(starts_with_word(&[], word_start("s-m")));
    // Skim on a text holding the word from a head (not column 1) reaches 23 + 20 a letter;
    // on one holding its letters only further apart, it does not.
    let skim = |word: &str, text: &str| fresh_skim().fuzzy_match(text, word).unwrap();
    assert_eq!(skim("smith", "Effects of smith"), 23 + 4 * 20);
    assert_eq!(skim("smith", "Effects of s mith"), 23 + 4 * 20);
    assert!(skim("smith", "Effects of smoking in the home") < 23 + 4 * 20);
}

/// Words of ASCII letters and digits, then possibly anything.
fn word() -> impl Strategy<Value = String> {
    let letters = prop::collection::vec(
        prop::sample::select(vec!['a', 'b', 'i', 's', 'A', 'S', '1']),
        1..6,
    );
    (letters, skim_text(3)).prop_map(|(l, tail)| l.into_iter().collect::<String>() + &tail)
}

/// `word` slipped into a text: a separator, punctuation or a letter now and then before its
/// letters, between two texts.
fn holding(word: String) -> impl Strategy<Value = String> {
    let n = word.chars().count();
    let slip = prop::option::weighted(0.3, prop::sample::select(vec![' ', '/', '-', 'b', '\0']));
    (skim_text(12), prop::collection::vec(slip, n), skim_text(12)).prop_map(
        move |(before, slips, after)| {
            let mut text = before;
            for (c, slip) in word.chars().zip(slips) {
                text.extend(slip);
                text.push(c);
            }
            text + &after
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]
    #[test]
    fn a_text_whose_words_do_not_start_as_the_word_scores_below_a_heads_bound(
        (word, text) in word().prop_flat_map(|w| (Just(w.clone()), prop_oneof![holding(w), skim_text(30)])),
    ) {
        let Some(score) = fresh_skim().fuzzy_match(&text, &word) else {
            return Ok(());
        };
        // First character: `word()` never makes an empty word.
        let first = word.chars().next().unwrap();
        // Alignments starting in column 1 are bounded by how the text starts (points 4, 5).
        let start = Start::of(first, text.chars().next());
        let column_1 = if start == Start::Other { i64::MIN } else { skim_bound(&word, start) };
        let elsewhere = i64::from(!starts_with_word(&starts_of(&text), word_start(&word)));
        let further = Start::Other.first_score() + after_first(&word) - elsewhere;
        prop_assert!(
            score <= column_1.max(further),
            "{} > max({}, {}) for {:?} in {:?}", score, column_1, further, word, text
        );
    }
}

/// Words and texts for the bound: letters of both cases, digits, hard and soft separators,
/// non-ASCII letters and a NUL (a character skim treats as the text's start).
fn skim_text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'a', 'b', 'e', 'i', 'n', 's', 'A', 'B', 'S', '1', '9', ' ', '/', '(', '-', '.', '_', 'é',
        'É', '\0',
    ]);
    prop::collection::vec(chars, 0..max).prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]
    #[test]
    fn skim_never_scores_above_the_bound(
        word in skim_text(7),
        text in skim_text(40),
    ) {
        // A new matcher, as every score of a record is made (`fresh_skim`).
        let Some(score) = fresh_skim().fuzzy_match(&text, &word) else {
            return Ok(());
        };
        let start = word
            .chars()
            .next()
            .map_or(Start::Other, |first| Start::of(first, text.chars().next()));
        let bound = skim_bound(&word, start);
        prop_assert!(score <= bound, "{} > {} for {:?} in {:?}", score, bound, word, text);
        prop_assert!(bound <= skim_bound(&word, Start::Same));
    }
}

/// `word`, or nearly: here and there a letter in the other case, a character slipped in
/// before a letter (a separator, punctuation, a letter, a NUL), then any text.
fn nearly(word: String) -> impl Strategy<Value = String> {
    let slip = prop::option::weighted(
        0.3,
        prop::sample::select(vec![' ', '/', '(', '-', '.', 'x', '\0', 'é']),
    );
    let n = word.chars().count();
    (
        prop::collection::vec((any::<bool>(), slip), n),
        skim_text(20),
    )
        .prop_map(move |(changes, tail)| {
            let mut text = String::new();
            for (c, (flip, slip)) in word.chars().zip(changes) {
                if let Some(s) = slip.filter(|_| !text.is_empty()) {
                    text.push(s);
                }
                let c = match (flip, c.is_ascii_lowercase()) {
                    (false, _) => c,
                    (true, true) => c.to_ascii_uppercase(),
                    (true, false) => c.to_ascii_lowercase(),
                };
                text.push(c);
            }
            text + &tail
        })
}

/// Words of ASCII letters and digits (those [`shortfall`] looks into), or any.
fn skim_word() -> impl Strategy<Value = String> {
    let alphanumeric = prop::collection::vec(
        prop::sample::select(vec!['a', 'b', 'e', 'i', 'n', 's', 'A', 'S', '1', '9']),
        1..7,
    )
    .prop_map(|c| c.into_iter().collect::<String>());
    prop_oneof![alphanumeric, skim_text(7)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]
    #[test]
    fn a_text_not_starting_with_the_word_scores_as_far_below_its_bound_as_said(
        (word, text) in skim_word().prop_flat_map(|w| {
            let near = nearly(w.clone());
            (Just(w), prop_oneof![3 => near, 1 => skim_text(30)])
        }),
    ) {
        let Some(first) = word.chars().next() else {
            return Ok(());
        };
        let start = Start::of(first, text.chars().next());
        let Some(score) = fresh_skim().fuzzy_match(&text, &word) else {
            return Ok(());
        };
        let bound = skim_bound(&word, start);
        prop_assert!(score <= bound, "{} > {} for {:?} in {:?}", score, bound, word, text);
        if start == Start::Other {
            return Ok(());
        }
        let n = text.bytes().take(HEAD).take_while(u8::is_ascii).count();
        let (head, whole) = (&text.as_bytes()[..n], n == text.len());
        let short = shortfall(&word, head, whole);
        let further = skim_bound(&word, Start::Other);
        prop_assert!(
            score <= (bound - short).max(further),
            "{} > {} - {} for {:?} in {:?}", score, bound, short, word, text
        );
        if !may_reach(word.as_bytes(), first.len_utf8(), head, whole) {
            prop_assert!(score < bound, "{} reached for {:?} in {:?}", score, word, text);
        }
    }
}
