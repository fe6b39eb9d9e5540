//! Variations: what makes a re-used pool record a different study, and what makes a duplicate
//! look the way the same study looks in another database's export.

use fastrand::Rng;

use super::generate::Entry;

/// Replaces about a third of a title's words (at least two, at least one among the first
/// four, which open a block of candidate duplicates) with words from `vocabulary`, keeping
/// capitals where the replaced word had one. Far enough from the original that no title rule
/// of duplicate detection (same words, a prefix, 93% similar) can match the two.
pub fn substitute_title_words(title: &str, vocabulary: &[String], rng: &mut Rng) -> String {
    let mut words: Vec<String> = title.split(' ').map(str::to_string).collect();
    let replaceable: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .collect();
    if replaceable.is_empty() || vocabulary.is_empty() {
        return format!("{title} {}", rng.u32(..));
    }
    let count = (words.len() / 3).max(2).min(replaceable.len());
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    if let Some(&early) = replaceable.iter().find(|&&i| i < 4) {
        chosen.push(early);
    }
    while chosen.len() < count {
        let candidate = replaceable[rng.usize(..replaceable.len())];
        if !chosen.contains(&candidate) {
            chosen.push(candidate);
        }
    }
    for i in chosen {
        let old = &words[i];
        let (lead, rest) = split_punctuation(old);
        let mut new = vocabulary[rng.usize(..vocabulary.len())].clone();
        if new.eq_ignore_ascii_case(rest.0) {
            new.push('s');
        }
        if rest.0.chars().next().is_some_and(char::is_uppercase) {
            new = capitalise(&new);
        }
        words[i] = format!("{lead}{new}{}", rest.1);
    }
    words.join(" ")
}

/// (leading punctuation, (word, trailing punctuation)).
fn split_punctuation(word: &str) -> (&str, (&str, &str)) {
    let start = word.find(char::is_alphanumeric).unwrap_or(word.len());
    let (lead, rest) = word.split_at(start);
    let end = rest.rfind(char::is_alphanumeric).map_or(0, |i| {
        i + rest[i..].chars().next().map_or(1, char::len_utf8)
    });
    (lead, rest.split_at(end))
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The text's sentences in a random order (a sentence ends with `.`, `?` or `!` before a
/// space and a capital letter or digit, so decimals and abbreviations mostly stay whole).
pub fn shuffle_sentences(text: &str, rng: &mut Rng) -> String {
    let mut sentences = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len().saturating_sub(2) {
        if matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes[i + 1] == b' '
            && (bytes[i + 2].is_ascii_uppercase() || bytes[i + 2].is_ascii_digit())
        {
            sentences.push(&text[start..=i]);
            start = i + 2;
        }
    }
    sentences.push(&text[start..]);
    rng.shuffle(&mut sentences);
    sentences.join(" ")
}

/// A copyright statement of the kinds databases leave at the end of abstracts.
pub fn copyright_line(year: u16, rng: &mut Rng) -> String {
    const HOLDERS: &[&str] = &[
        "Elsevier Ltd. All rights reserved.",
        "The Author(s). Published by Elsevier Inc.",
        "John Wiley & Sons Ltd.",
        "The Authors. Published by Oxford University Press on behalf of the Royal College of General Practitioners.",
        "American Psychological Association",
        "Springer Nature Switzerland AG",
        "BMJ Publishing Group Limited. Re-use permitted under CC BY.",
    ];
    let holder = HOLDERS[rng.usize(..HOLDERS.len())];
    match rng.u8(..3) {
        0 => format!("© {year} {holder}"),
        1 => format!("Copyright © {year} {holder}"),
        _ => format!("(c) {year} {holder}"),
    }
}

/// Another record of `study`, written as another database would: each change below happens
/// with its own probability, and every combination stays findable by abstriage's documented
/// rules (a DOI or PMID kept, or the same title words with year and first author kept).
pub fn duplicate(study: &Entry, rng: &mut Rng) -> Entry {
    let mut copy = study.clone();
    match rng.u8(..10) {
        0 => copy.title = copy.title.to_uppercase(),
        1 => copy.title = copy.title.to_lowercase(),
        2 => copy.title = title_case(&copy.title),
        _ => {}
    }
    if rng.f64() < 0.2 {
        copy.title = copy.title.replace(": ", " - ");
    }
    if rng.f64() < 0.2 {
        copy.title = copy.title.replace('-', " ");
    }
    if rng.f64() < 0.3 {
        copy.title = match copy.title.strip_suffix('.') {
            Some(t) => t.to_string(),
            None => format!("{}.", copy.title),
        };
    }
    let lose_doi = !copy.doi.is_empty() && rng.f64() < 0.3;
    if lose_doi {
        copy.doi.clear();
    }
    if rng.f64() < 0.1 {
        // A database cutting the subtitle: still a prefix of six words or more.
        let words: Vec<&str> = copy.title.split_whitespace().collect();
        if words.len() >= 9 {
            copy.title = words[..(words.len() * 2 / 3).max(6)].join(" ");
        }
    }
    // Databases other than PubMed often leave the PMID out (MEDLINE always has it).
    copy.style.hide_pmid = rng.f64() < 0.5;
    copy.copyright = if copy.copyright.is_empty() && rng.f64() < 0.5 {
        copyright_line(copy.year.unwrap_or(2020), rng)
    } else if rng.f64() < 0.5 {
        String::new()
    } else {
        copy.copyright
    };
    copy.style.initials_only = rng.f64() < 0.4;
    copy.style.upper_labels = rng.bool();
    copy.style.split_sections = rng.f64() < 0.3;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if rng.f64() < 0.3
        && digits(&copy.first_page)
        && digits(&copy.last_page)
        && copy.first_page.len() == copy.last_page.len()
    {
        // `1001-1013` → `1001-13`, as MEDLINE writes page ranges.
        let common = copy
            .first_page
            .bytes()
            .zip(copy.last_page.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        copy.last_page = copy.last_page[common.min(copy.last_page.len() - 1)..].to_string();
    }
    if rng.f64() < 0.3 && !copy.journal_abbrev.is_empty() {
        copy.journal = copy.journal_abbrev.clone();
    }
    if rng.f64() < 0.05 {
        copy.sections.clear();
        copy.copyright.clear();
    }
    if rng.f64() < 0.3 {
        copy.keywords.reverse();
    }
    copy
}

/// Every word capitalised, as some databases write titles.
fn title_case(title: &str) -> String {
    title
        .split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution_changes_words_but_keeps_shape() {
        let vocab = vec!["wellbeing".to_string(), "practice".to_string()];
        let mut rng = Rng::with_seed(1);
        let title = "Experience of implementing group consultations: a qualitative study.";
        let varied = substitute_title_words(title, &vocab, &mut rng);
        assert_ne!(varied, title);
        assert_eq!(varied.split(' ').count(), title.split(' ').count());
        assert!(varied.ends_with('.'), "{varied}");
    }

    #[test]
    fn punctuation_around_words_is_kept() {
        assert_eq!(split_punctuation("(word),"), ("(", ("word", "),")));
        assert_eq!(split_punctuation("plain"), ("", ("plain", "")));
        assert_eq!(split_punctuation("--"), ("--", ("", "")));
    }

    #[test]
    fn shuffled_sentences_keep_every_sentence() {
        let text = "First one. Second at 2.5 mg. Third? 4 more.";
        let mut rng = Rng::with_seed(7);
        let shuffled = shuffle_sentences(text, &mut rng);
        let mut a: Vec<&str> = shuffled.split(". ").collect();
        a.sort();
        assert_eq!(shuffled.len(), text.len());
        for sentence in ["First one.", "Second at 2.5 mg.", "Third?", "4 more."] {
            assert!(shuffled.contains(sentence), "{shuffled}");
        }
    }
}
