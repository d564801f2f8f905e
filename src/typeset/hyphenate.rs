//! Hyphenation points of single words from the document language, via hypher's patterns.

use crate::typeset::fonts::cache::FxBuild;
use hypher::Lang;
use std::cell::RefCell;
use std::collections::HashMap;
use unicode_linebreak::{break_property, BreakClass};

/// Words longer than this (in chars) are not hyphenated: no natural word is this long, and the
/// line breaker's emergency splits handle such strings better than patterns.
const MAX_WORD_CHARS: usize = 64;

/// The soft hyphen: an author's explicit hyphenation point.
const SOFT_HYPHEN: char = '\u{ad}';

/// hypher's language for a BCP 47 tag (`en`, `en-GB`, `de-CH`, `pt_BR`, `nb`...), by its primary
/// subtag; `None` when hypher has no patterns for it (e.g. `az`, `hy`, `ja`).
pub fn language(tag: &str) -> Option<Lang> {
    let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    let code = match primary.as_str() {
        // Three-letter and legacy codes hypher's table does not know.
        "eng" => "en",
        "deu" | "ger" => "de",
        "fra" | "fre" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" | "dut" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "ell" | "gre" => "el",
        "tur" => "tr",
        "pol" => "pl",
        "nob" | "nno" | "nor" => "no",
        other => other,
    };
    let bytes: [u8; 2] = code.as_bytes().try_into().ok()?;
    Lang::from_iso(bytes)
}

/// Minimum letters before and after a hyphen: hypher's defaults, raised to at least two on each
/// side (a lone letter at a line end reads badly) and to TeX's three after for French.
fn bounds(lang: Lang) -> (usize, usize) {
    let (left, right) = lang.bounds();
    let right = if lang == Lang::French {
        right.max(3)
    } else {
        right
    };
    (left.max(2), right.max(2))
}

/// Byte offsets inside `word` where a hyphen may be inserted (`word[..i]` + "-" / `word[i..]`),
/// ascending, for the language of BCP 47 `lang`. Empty when the language is unknown or the word
/// is not an ordinary word: it must be letters only (leading and trailing punctuation such as
/// quotes and commas are ignored), with no digits, no hyphen, no URL or path characters, not an
/// all-capitals acronym and not camelCase. Pass the whole space-delimited word ("well-known,"),
/// not its UAX #14 pieces, so that words already hyphenated are recognised. If the word holds soft hyphens (U+00AD), exactly the
/// offsets after them are returned: the author chose the breaks.
pub fn hyphenate(word: &str, lang: &str) -> Vec<usize> {
    // Words repeat (a book asks for the same few thousand words again and again): each thread
    // keeps the points it found, per language, and starts over past `MEMO_WORDS`.
    const MEMO_WORDS: usize = 100_000;
    type Words = HashMap<Box<str>, Box<[usize]>, FxBuild>;
    /// How many words are kept, and the words' points per language tag.
    type Memo = (usize, HashMap<Box<str>, Words, FxBuild>);
    thread_local! {
        static MEMO: RefCell<Memo> = RefCell::default();
    }
    MEMO.with(|memo| {
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return points(word, lang);
        };
        let (count, by_lang) = &mut *memo;
        if let Some(found) = by_lang.get(lang).and_then(|w| w.get(word)) {
            return found.to_vec();
        }
        if *count >= MEMO_WORDS {
            by_lang.clear();
            *count = 0;
        }
        let found = points(word, lang);
        by_lang
            .entry(lang.into())
            .or_default()
            .insert(word.into(), found.as_slice().into());
        *count += 1;
        found
    })
}

/// [`hyphenate`]'s answer, worked out.
fn points(word: &str, lang: &str) -> Vec<usize> {
    if word.contains(SOFT_HYPHEN) {
        return word
            .char_indices()
            .filter(|&(i, c)| c == SOFT_HYPHEN && i + c.len_utf8() < word.len())
            .map(|(i, c)| i + c.len_utf8())
            .collect();
    }
    let Some(lang) = language(lang) else {
        return Vec::new();
    };
    if word.chars().any(is_disqualifying) {
        return Vec::new();
    }
    let (offset, core) = core_of(word);
    if !is_plain_word(core) {
        return Vec::new();
    }
    let (left, right) = bounds(lang);
    let mut out = Vec::new();
    let mut at = offset;
    let mut syllables = hypher::hyphenate_bounded(core, lang, left, right).peekable();
    while let Some(syllable) = syllables.next() {
        at += syllable.len();
        if syllables.peek().is_some() {
            // Patterns may split a base letter from its combining mark; skip such points.
            if !starts_with_mark(&word[at..]) {
                out.push(at);
            }
        }
    }
    out
}

/// The word without leading and trailing non-letters, with the byte offset where it starts.
fn core_of(word: &str) -> (usize, &str) {
    let start = word.find(is_letter).unwrap_or(word.len());
    let rest = &word[start..];
    let end = rest
        .char_indices()
        .rev()
        .find(|&(_, c)| is_letter(c) || is_mark(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    (start, &rest[..end])
}

/// Letters and combining marks only, not too long, not an acronym, not camelCase.
fn is_plain_word(core: &str) -> bool {
    let count = core.chars().count();
    if count == 0 || count > MAX_WORD_CHARS {
        return false;
    }
    if !core.chars().all(|c| is_letter(c) || is_mark(c)) {
        return false;
    }
    let letters: Vec<char> = core.chars().filter(|c| is_letter(*c)).collect();
    let cased = letters
        .iter()
        .filter(|c| c.is_uppercase() || c.is_lowercase())
        .count();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    // An acronym (two or more letters, all capitals) or a capital after the first letter.
    let acronym = cased >= 2 && upper == cased;
    let camel = letters.iter().skip(1).any(|c| c.is_uppercase());
    !acronym && !camel
}

/// Characters that mark a number, a compound already hyphenated, a URL, an address or code,
/// anywhere in the word (even at its edges, unlike ordinary punctuation).
fn is_disqualifying(c: char) -> bool {
    c.is_numeric() || "-\u{2010}\u{2011}/\\@_=&#%~|<>{}[]^*+$".contains(c)
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_mark(c: char) -> bool {
    break_property(c as u32) == BreakClass::CombiningMark
}

fn starts_with_mark(s: &str) -> bool {
    s.chars().next().is_some_and(is_mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word with "-" at every returned offset, for readable assertions.
    fn show(word: &str, lang: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for at in hyphenate(word, lang) {
            out.push_str(&word[last..at]);
            out.push('-');
            last = at;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn english_examples() {
        assert_eq!(show("extensive", "en"), "ex-ten-sive");
        assert_eq!(show("hyphenation", "en-US"), "hy-phen-ation");
        assert_eq!(show("typography", "en-GB"), "ty-pog-ra-phy");
        // Two letters before, three after at least.
        assert_eq!(show("wonderful", "en"), "won-der-ful");
        assert_eq!(show("ugly", "en"), "ugly");
    }

    #[test]
    fn german_and_russian_examples() {
        assert_eq!(show("Silbentrennung", "de"), "Sil-ben-tren-nung");
        assert_eq!(
            show("Donaudampfschifffahrt", "de-AT"),
            "Do-nau-dampf-schiff-fahrt"
        );
        assert_eq!(show("переносить", "ru"), "пе-ре-но-сить");
        assert_eq!(show("электричество", "ru-RU"), "элек-три-че-ство");
    }

    #[test]
    fn punctuation_around_the_word_is_kept_out() {
        assert_eq!(show("(extensive),", "en"), "(ex-ten-sive),");
        assert_eq!(show("“wonderful”", "en"), "“won-der-ful”");
    }

    #[test]
    fn non_words_are_not_hyphenated() {
        for word in [
            "well-known",
            "well-",
            "known\u{2010}",
            "https://extensive.example",
            "extensive2",
            "UNESCO",
            "JavaScript",
            "don't",
            "user@example",
            "",
            "...",
        ] {
            assert!(hyphenate(word, "en").is_empty(), "{word}");
        }
        assert!(hyphenate(&"a".repeat(200), "en").is_empty());
    }

    #[test]
    fn unknown_languages_do_not_hyphenate() {
        assert!(hyphenate("extensive", "az").is_empty());
        assert!(hyphenate("extensive", "").is_empty());
        assert!(hyphenate("extensive", "x-klingon").is_empty());
        assert!(language("zz").is_none());
        assert_eq!(language("nb-NO"), Some(Lang::Norwegian));
        assert_eq!(language("pt_BR"), Some(Lang::Portuguese));
        assert_eq!(language("deu"), Some(Lang::German));
    }

    #[test]
    fn soft_hyphens_are_the_only_points() {
        let word = "ex\u{ad}tensive";
        assert_eq!(hyphenate(word, "en"), vec![4]);
        // Even for an unknown language; a trailing soft hyphen is no break inside the word.
        assert_eq!(hyphenate("ab\u{ad}cd\u{ad}", "zz"), vec![4]);
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        // Decomposed é (e + U+0301) in French: no offset may fall before the mark.
        let word = "de\u{301}veloppement";
        let points = hyphenate(word, "fr");
        assert!(!points.is_empty());
        for p in points {
            assert!(!starts_with_mark(&word[p..]), "{p}");
        }
    }
}
