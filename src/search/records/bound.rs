//! The most skim can score a word on a text, from the word alone and the way the text starts.
//!
//! A search can take the best results of a query as final before scoring every record only
//! if it knows the most any record left could score: records that reach that bound cannot be
//! beaten. The bound must be one real titles reach, or it is never met: `32 n - 1` for a word
//! of `n` characters (every character with the largest bonus) is never reached past one
//! character, and a word typed in lower case reaches 31 on its first character only on a
//! text starting with it in lower case, which few titles do. So the bound here follows skim's
//! scoring closely.
//!
//! # Why it holds (fuzzy-matcher 0.3.7, `skim.rs`, `SkimMatcherV2` with its default scores)
//!
//! `fuzzy_match` (no element limit, so always `build_score_matrix`) fills, for word
//! characters `i = 1..=n` and text columns `j` (column `j` is the text's `j`-th character),
//!
//! - `M[i][j] = s + max(M[i-1][j-1] + c, P[i-1][j-1] + b(j))` where the characters match
//!   ignoring ASCII case, `s` being 16 for the same character and 14 for the other ASCII case
//!   (`calculate_match_score`), `b(j)` the in-place bonus of column `j`
//!   (`build_in_place_bonus`: 8 for a head, the character after a hard separator or the start;
//!   7 after other punctuation; 6 for an upper-case letter after a lower-case letter or a
//!   digit; 0 otherwise; doubled in column 1 only, to 16), and `c = max(left, b(j), 4)` with
//!   `left` the bonus stored in the cell left of this one;
//! - `P[i][j] = max(M[i][j-1] - 4, P[i][j-1] - 1)` (gap start -3, extension -1);
//! - row 0 holds `M = -32768` and `P = -1` in every column.
//!
//! The score is the largest `M[n][j]`. Then:
//!
//! 1. **`c = max(b(j), 4)`.** A cell's bonus is only ever set to 0 (reset, or a mismatch in
//!    its own column) or, while filling the column to its right, to `max(its own bonus,
//!    b(j), 4)` for that column `j`. A new matrix starts at 0, so the bonus of any cell of
//!    column `j - 1` is at most `max(b(j), 4)`, and so is `left`. (A matcher used before
//!    keeps bonuses computed on another text; `fresh_skim` gives every call a new one.)
//! 2. **The first character.** `M[1][j] = s - 1 + b(j)`: 31 in column 1 for the same
//!    character, 29 there for the other ASCII case, and at most `16 - 1 + 8 = 23` in any
//!    other column.
//! 3. **Each later character adds at most `step(prev, cur)`** to the best of the row
//!    before. Through a gap, `P[i-1][j-1]` is at most that best less 4 (the cells a
//!    compressed matrix keeps from two rows up are lower still), plus `b(j) <= 8` and
//!    `s <= 16`: 20. Right after the previous character's match, the text's character
//!    before is the word's previous character up to ASCII case, which fixes its kind: after
//!    a letter, a digit or any non-ASCII character, `b(j)` is 0, or 6 when the text's
//!    character is an upper-case letter, which scores 16 only if the word's character is
//!    one too (`c + s` at most 20, or 22 for an upper-case letter in the word); after
//!    anything else, at most 8 + 16 = 24.
//!
//! 4. **Reaching it.** A score equal to the bound needs every character at its most: the
//!    first in column 1 (anywhere else it scores 23 at most, below 29), and each next one
//!    right after the previous one's match, or after skipping exactly one character that
//!    gives it a head's bonus: a gap of `k` characters costs `3 + k`, so the gap path
//!    gives `16 + b(j) - 3 - k`, which is 20 only for `k = 1` and `b(j) = 8` (the skipped
//!    character a hard separator or a NUL), and below 20 otherwise; and when the step's
//!    bound is above 20, only a match right after reaches it. The rows kept from two rows up
//!    are lower than the row before by more than 4. So a text reaches the bound only if it
//!    starts with the word, one hard separator allowed between two of its characters
//!    ([`may_reach`]); for any other text the bound is one less.
//! 5. **How far short.** Call an alignment's shortfall the bound less its score: the sum of
//!    what each character scores below its most. One starting after column 1 falls short
//!    by 6 at least (23 against 29; 8 against 31). One through a cell a compressed matrix
//!    keeps from two rows up skips two characters' matches, 40 at least. One starting in
//!    column 1 follows the text's start as in point 4 up to some character, which it
//!    matches elsewhere or where that start stops: after a gap of `k >= 1` characters, into
//!    a column of bonus `b`, that character falls short by `20 - (16 + b - 3 - k) = 7 + k - b`
//!    at least (0 only for the one separator point 4 allows). For a word of ASCII letters
//!    and digits, the text's first bytes tell every place it can be matched there, and past
//!    them `k` is at least their count ([`shortfall`]).
//!
//! 6. **Elsewhere in the text.** An alignment whose first character is not in column 1
//!    scores at most `23 + after_first`, the first character at a head (after a hard
//!    separator or a NUL; 22 at most after other punctuation, 21 for a capital after a
//!    lower-case letter, 15 elsewhere), each next character at its most. By point 4 it
//!    reaches that only if the text holds the word from that head on, one hard separator
//!    allowed before each character after the first; and if it holds none of the word's first
//!    characters so at any head, it falls short by 1 at least. [`word_starts`] keeps the first
//!    characters so from every head of a text, [`starts_with_word`] tells whether a word's
//!    first characters are among them.
//!
//! Tests compare the bound with skim on random words and texts, and check that titles
//! starting with the word reach it.

/// How a text starts, against a word's first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// With the word's first character itself: skim can score it 31.
    Same,
    /// With it in the other ASCII case (the word typed in lower case, the title capitalised):
    /// 29.
    OtherCase,
    /// With any other character, or the text is empty: the word's first character is matched
    /// further on, 23 at most.
    Other,
}

impl Start {
    /// How a text whose first character is `text_first` starts, for a word starting with
    /// `word_first`.
    pub(crate) fn of(word_first: char, text_first: Option<char>) -> Self {
        match text_first {
            Some(c) if c == word_first => Start::Same,
            Some(c) if c.eq_ignore_ascii_case(&word_first) => Start::OtherCase,
            _ => Start::Other,
        }
    }

    /// The most skim scores the word's first character on such a text.
    pub(crate) fn first_score(self) -> i64 {
        match self {
            Start::Same => 31,
            Start::OtherCase => 29,
            Start::Other => 23,
        }
    }
}

/// The most the characters of `word` after its first can add to skim's score, whatever the
/// text: the sum of [`step`] over its pairs of characters.
pub(crate) fn after_first(word: &str) -> i64 {
    word.chars()
        .zip(word.chars().skip(1))
        .map(|(prev, cur)| step(prev, cur))
        .sum()
}

/// The most skim gives `word` on a text that starts as `start` says; 0 for an empty word
/// (skim's score of an empty pattern).
pub(crate) fn skim_bound(word: &str, start: Start) -> i64 {
    if word.is_empty() {
        return 0;
    }
    start.first_score() + after_first(word)
}

/// The most a word's character `cur` adds to skim's score after the character `prev`
/// (point 3 of the module's proof).
fn step(prev: char, cur: char) -> i64 {
    const AFTER_GAP: i64 = 20;
    let adjacent = if prev.is_ascii_alphanumeric() || !prev.is_ascii() {
        if cur.is_ascii_uppercase() { 22 } else { 20 }
    } else {
        24
    };
    adjacent.max(AFTER_GAP)
}

/// Bytes of a title's start kept to tell whether a word can reach its bound on it.
pub(crate) const HEAD: usize = 16;

/// Whether skim can score `word` (its bytes, the first character `first_len` bytes long) as
/// much as its bound on a text whose first character is the word's first up to ASCII case,
/// the text starting with `head` (its first bytes; `whole` when they are the whole text):
/// only if the text starts with the word up to ASCII case, one hard separator or NUL allowed
/// before each of its characters after the first (point 4 of the module's proof). True when
/// the head ends before that can be told.
pub(crate) fn may_reach(word: &[u8], first_len: usize, head: &[u8], whole: bool) -> bool {
    // The first character takes as many bytes in both (it is the same character, or an
    // ASCII letter in both).
    let first = first_len;
    let mut at = first;
    for &w in word.iter().skip(first) {
        let next = match head.get(at) {
            Some(&b) if b.eq_ignore_ascii_case(&w) => at + 1,
            Some(&b) if is_head_maker(b) => match head.get(at + 1) {
                Some(&c) if c.eq_ignore_ascii_case(&w) => at + 2,
                Some(_) => return false,
                None => return !whole,
            },
            Some(_) => return false,
            None => return !whole,
        };
        at = next;
    }
    true
}

/// Whether the character after `b` gets skim's head bonus: `b` is a hard separator, or NUL
/// (which skim takes for the start of the text).
fn is_head_maker(b: u8) -> bool {
    HEAD_MAKERS[usize::from(b)]
}

/// [`is_head_maker`] by byte: a table, since it is asked of every byte of every title when a
/// search starts, where a `match` compiles to a jump per byte.
const HEAD_MAKERS: [bool; 256] = {
    let mut table = [false; 256];
    let makers = *b" /\\|()[]{}\0";
    let mut i = 0;
    while i < makers.len() {
        table[makers[i] as usize] = true;
        i += 1;
    }
    table
};

/// How far below its bound skim's score of `word` is at least, on a text whose first
/// character is the word's first up to ASCII case and which starts with `head` (its first
/// characters, all ASCII, in their case; `whole` when they are the whole text), counting only
/// alignments that match the word's first character in column 1 (point 5 of the module's
/// proof; the others fall 6 short at least, or 40). 0 when the text may start with the word.
/// For words of ASCII letters and digits; any other word gets 0 or 1 ([`may_reach`]).
pub(crate) fn shortfall(word: &str, head: &[u8], whole: bool) -> i64 {
    const MOST: i64 = 40;
    let word = word.as_bytes();
    if !word.iter().all(u8::is_ascii_alphanumeric) {
        let first = std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.chars().next())
            .map_or(1, char::len_utf8);
        return i64::from(!may_reach(word, first, head, whole));
    }
    let matches = |at: usize, w: u8| head.get(at).is_some_and(|b| b.eq_ignore_ascii_case(&w));
    // Where the text's start matches each character (point 4), up to the one it does not.
    let mut walk = vec![0];
    let mut stopped = None;
    for (r, &w) in word.iter().enumerate().skip(1) {
        let c = walk[r - 1];
        let next = if matches(c + 1, w) {
            Some(c + 1)
        } else if head.get(c + 1).copied().is_some_and(is_head_maker) && matches(c + 2, w) {
            Some(c + 2)
        } else {
            None
        };
        // Whether the head ends before it can be told.
        let untold =
            !whole && (head.len() <= c + 1 || (head.len() == c + 2 && is_head_maker(head[c + 1])));
        match next {
            Some(next) => walk.push(next),
            None if untold => return 0,
            None => {
                stopped = Some(r);
                break;
            }
        }
    }
    let Some(stopped) = stopped else {
        return 0;
    };
    // Any alignment from column 1 leaves the walk at some character `r` up to the one it
    // stopped at, matching it in another place `q` after a gap.
    let mut least = MOST;
    for r in 1..=stopped {
        let before = walk[r - 1];
        for q in before + 2..head.len() {
            if walk.get(r) == Some(&q) || !matches(q, word[r]) {
                continue;
            }
            let gap = i64::try_from(q - before - 1).unwrap_or(MOST);
            least = least.min(7 + gap - in_place_bonus(head[q - 1], head[q]));
        }
        if !whole {
            // Past the head: a gap of all that is left of it, at least, and a head's bonus.
            let gap = i64::try_from(head.len() - before - 1).unwrap_or(MOST);
            least = least.min(gap - 1);
        }
    }
    least.clamp(1, MOST)
}

/// Skim's in-place bonus of an ASCII character `cur` after `prev` (fuzzy-matcher 0.3.7,
/// `CharType::of`, `CharRole::of_type`, `in_place_bonus`): 8 for a head (after a hard
/// separator or a NUL), 7 after other punctuation, 6 for a capital after a lower-case letter
/// or a digit, else 0.
fn in_place_bonus(prev: u8, cur: u8) -> i64 {
    let soft = |b: u8| matches!(b, b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~');
    if is_head_maker(prev) {
        8
    } else if soft(prev) {
        7
    } else if cur.is_ascii_uppercase() && !prev.is_ascii_uppercase() {
        // `prev` is a lower-case letter, a digit or another character skim counts as lower
        // case.
        6
    } else {
        0
    }
}

/// Characters kept from each head of a text by [`word_starts`]: enough to tell most words
/// apart, few enough to pack into a `u32`.
const START_LEN: usize = 4;

/// Appends to `out`, for every head of `text` (its start, or a character after a hard
/// separator or a NUL) that is an ASCII letter or digit, the text's characters from there as
/// point 6 of the module's proof follows them: up to [`START_LEN`] ASCII letters and digits,
/// one hard separator skipped before each after the first, in lower case, packed in a `u32`
/// (first character in the lowest byte, zeros after the last).
pub(crate) fn word_starts(text: &str, out: &mut Vec<u32>) {
    let bytes = text.as_bytes();
    // Whether the byte at hand is a head: the text's first, or one after a head maker.
    let mut head = true;
    for (p, &first) in bytes.iter().enumerate() {
        if head && first.is_ascii_alphanumeric() {
            out.push(start_at(bytes, p));
        }
        head = is_head_maker(first);
    }
}

/// The start [`word_starts`] keeps for the head at `p` of `bytes` (an ASCII letter or digit).
fn start_at(bytes: &[u8], p: usize) -> u32 {
    let mut packed = u32::from(bytes[p].to_ascii_lowercase());
    let mut at = p + 1;
    for n in 1..START_LEN {
        let next = match bytes.get(at) {
            Some(&b) if b.is_ascii_alphanumeric() => b,
            Some(&b) if is_head_maker(b) => match bytes.get(at + 1) {
                Some(&c) if c.is_ascii_alphanumeric() => {
                    at += 1;
                    c
                }
                _ => break,
            },
            _ => break,
        };
        packed |= u32::from(next.to_ascii_lowercase()) << (8 * n);
        at += 1;
    }
    packed
}

/// A word's first characters as [`word_starts`] packs them, with the mask of the bytes they
/// take; `None` when they are not all ASCII letters and digits (no text's starts can then
/// tell anything of the word).
pub(crate) fn word_start(word: &str) -> Option<(u32, u32)> {
    let first: Vec<u8> = word.bytes().take(START_LEN).collect();
    if first.is_empty() || !first.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let mut packed = 0;
    let mut mask = 0;
    for (n, b) in first.iter().enumerate() {
        packed |= u32::from(b.to_ascii_lowercase()) << (8 * n);
        mask |= 0xff << (8 * n);
    }
    Some((packed, mask))
}

/// Whether a text whose [`word_starts`] are `starts` may hold a word whose [`word_start`] is
/// `start` from one of its heads; when not, skim scores the word there at least 1 below the
/// bound of point 6.
pub(crate) fn starts_with_word(starts: &[u32], start: Option<(u32, u32)>) -> bool {
    start.is_none_or(|(packed, mask)| starts.iter().any(|s| s & mask == packed))
}

#[cfg(test)]
mod tests;
