//! Where text may break: UAX #14 opportunities, words for box/glue building, emergency splits.

use std::ops::Range;

use unicode_linebreak::{break_property, linebreaks, BreakClass, BreakOpportunity};

/// Kind of a line-break opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opportunity {
    /// The line must end here (after a newline character, and at the end of the text).
    Mandatory,
    /// The line may end here.
    Allowed,
}

/// UAX #14 break opportunities as byte offsets into `text`, ascending. A break at offset `i`
/// falls between `text[..i]` and `text[i..]`; for non-empty text the last entry is always
/// `(text.len(), Mandatory)`. Offset 0 never appears.
pub fn break_opportunities(text: &str) -> Vec<(usize, Opportunity)> {
    linebreaks(text)
        .map(|(i, kind)| {
            let kind = match kind {
                BreakOpportunity::Mandatory => Opportunity::Mandatory,
                BreakOpportunity::Allowed => Opportunity::Allowed,
            };
            (i, kind)
        })
        .collect()
}

/// A stretch of text between two break opportunities, split into its visible part and the
/// breakable white space after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range of the word itself (may be empty when the text starts with spaces).
    pub text: Range<usize>,
    /// Byte range of the white space after it (spaces, tabs, newlines; never no-break spaces);
    /// empty when the break follows e.g. a hyphen or a dash directly.
    pub space: Range<usize>,
    /// A mandatory break follows (a newline in the space, or the end of the text).
    pub mandatory: bool,
}

/// Split `text` at its break opportunities into [`Word`]s that cover the text exactly and in
/// order. The caller makes a box of each `text`, glue of each non-empty `space`, a zero-cost
/// penalty where `space` is empty (except after the last word), and fill plus a forced break
/// where `mandatory` is set inside the paragraph.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = 0;
    for (end, kind) in linebreaks(text) {
        if end <= start {
            continue;
        }
        let chunk = &text[start..end];
        let trimmed = chunk.trim_end_matches(is_breaking_space);
        let split = start + trimmed.len();
        out.push(Word {
            text: start..split,
            space: split..end,
            mandatory: kind == BreakOpportunity::Mandatory,
        });
        start = end;
    }
    out
}

/// White space that a line may break after and that disappears at a line end.
fn is_breaking_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Whether `c` is set solid among its neighbours in Chinese, Japanese or Korean text: an
/// ideograph, kana, a Hangul syllable or jamo, or fullwidth punctuation. A line may break
/// between two such characters wherever UAX #14 allows (its classes already keep closing
/// brackets, 。、, small kana and the prolonged sound mark off a line's start and opening
/// brackets off its end), and justification spreads a line's slack between them.
pub fn is_cjk(c: char) -> bool {
    use BreakClass::*;
    matches!(
        break_property(c as u32),
        Ideographic
            | ConditionalJapaneseStarter
            | HangulLvSyllable
            | HangulLvtSyllable
            | HangulLJamo
            | HangulVJamo
            | HangulTJamo
    ) || is_cjk_punctuation(c)
}

/// Fullwidth punctuation of CJK text (brackets, 。、，．・ and the like), drawn in one half
/// of its em-box: justification adds no space beside it, where the glyph's own blank half
/// already separates.
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x303F | 0x30FB | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0xFE10..=0xFE19 | 0xFE30..=0xFE4F)
}

/// Which half of its em-box a fullwidth punctuation mark of Japanese and Simplified Chinese
/// is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// The left half, blank on the right: 、。，． and closing brackets.
    Left,
    /// The right half, blank on the left: opening brackets.
    Right,
}

/// The half of the em-box `c` is drawn in, for the punctuation whose blank half two marks in a
/// row share (`。」`, `、「`, `（「`); `None` for centred marks (・：；！？) and everything else.
pub fn punctuation_half(c: char) -> Option<Half> {
    match u32::from(c) {
        0x3001 | 0x3002 | 0xFF0C | 0xFF0E | 0x3009 | 0x300B | 0x300D | 0x300F | 0x3011 | 0x3015
        | 0x3017 | 0x3019 | 0x301B | 0xFF09 | 0xFF3D | 0xFF5D | 0xFF60 => Some(Half::Left),
        0x3008 | 0x300A | 0x300C | 0x300E | 0x3010 | 0x3014 | 0x3016 | 0x3018 | 0x301A | 0xFF08
        | 0xFF3B | 0xFF5B | 0xFF5F => Some(Half::Right),
        _ => None,
    }
}

/// Char boundaries inside `word` (excluding 0 and `word.len()`) where an over-long word may be
/// cut in an emergency without splitting a user-perceived character: never before a combining
/// mark, variation selector, zero-width joiner or emoji modifier, never after a zero-width
/// joiner, never inside a pair of regional indicators (a flag), a Hangul syllable or CR LF.
pub fn grapheme_splits(word: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev: Option<(char, BreakClass)> = None;
    let mut ri_run = 0usize;
    for (i, c) in word.char_indices() {
        let class = break_property(c as u32);
        if let Some((pc, pclass)) = prev {
            if i > 0 && !joins(pc, pclass, c, class, ri_run) {
                out.push(i);
            }
        }
        ri_run = if class == BreakClass::RegionalIndicator {
            ri_run + 1
        } else {
            0
        };
        prev = Some((c, class));
    }
    out
}

/// Characters after which a URL or identifier reads naturally continued on the next line.
pub fn is_url_separator(c: char) -> bool {
    "/.-_?&=#:,;~+|\\".contains(c)
}

/// Whether `prev` and `cur` belong to the same grapheme cluster (an approximation of UAX #29
/// from line-break classes, which is all an emergency split needs).
fn joins(prev: char, pclass: BreakClass, cur: char, class: BreakClass, ri_run: usize) -> bool {
    use BreakClass::*;
    if prev == '\r' && cur == '\n' {
        return true;
    }
    match class {
        CombiningMark | ZeroWidthJoiner | EmojiModifier => return true,
        RegionalIndicator if pclass == RegionalIndicator && ri_run % 2 == 1 => return true,
        _ => {}
    }
    if pclass == ZeroWidthJoiner {
        return true;
    }
    matches!(
        (pclass, class),
        (
            HangulLJamo,
            HangulLJamo | HangulVJamo | HangulLvSyllable | HangulLvtSyllable
        ) | (HangulVJamo | HangulLvSyllable, HangulVJamo | HangulTJamo)
            | (HangulTJamo | HangulLvtSyllable, HangulTJamo)
    )
}

/// An emergency split point with a hint whether it reads naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte offset of the split inside the word.
    pub offset: usize,
    /// The split follows a URL-like separator (`/ . - _ ? & = # :` and similar), where a reader
    /// expects a long address or identifier to continue on the next line.
    pub preferred: bool,
}

/// [`grapheme_splits`] annotated with the preferred positions; use
/// `linebreak::emergency_penalty(split.preferred)` between the resulting pieces.
pub fn emergency_splits(word: &str) -> Vec<Split> {
    grapheme_splits(word)
        .into_iter()
        .map(|offset| {
            let before = word[..offset].chars().next_back();
            let after = word[offset..].chars().next();
            // Break after a run of separators ("://"), never inside it.
            let preferred =
                before.is_some_and(is_url_separator) && !after.is_some_and(is_url_separator);
            Split { offset, preferred }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opportunities_follow_uax14() {
        use Opportunity::*;
        assert_eq!(
            break_opportunities("Hello world!"),
            vec![(6, Allowed), (12, Mandatory)]
        );
        assert_eq!(
            break_opportunities("a\nb"),
            vec![(2, Mandatory), (3, Mandatory)]
        );
        // No break before closing punctuation or inside a no-break space.
        assert_eq!(
            break_opportunities("x (y) z"),
            vec![(2, Allowed), (6, Allowed), (7, Mandatory)]
        );
        assert_eq!(break_opportunities("10\u{a0}km"), vec![(6, Mandatory)]);
        assert!(break_opportunities("").is_empty());
    }

    #[test]
    fn code_then_japanese_has_a_break_between() {
        // `usize`など: Latin letters (AL) before hiragana (ID) may break, so a table measures
        // "usize" and each kana apart; Latin before Latin or a closing comma may not.
        assert_eq!(
            break_opportunities("usizeなど"),
            vec![
                (5, Opportunity::Allowed),
                (8, Opportunity::Allowed),
                (11, Opportunity::Mandatory)
            ]
        );
        assert_eq!(
            break_opportunities("contravariant,"),
            vec![(14, Opportunity::Mandatory)]
        );
    }

    #[test]
    fn cjk_breaks_follow_kinsoku() {
        let breaks = |s: &str| -> Vec<usize> {
            break_opportunities(s).into_iter().map(|(i, _)| i).collect()
        };
        // No break before small kana, the prolonged sound mark, 。 or a closing bracket, nor
        // after an opening one.
        assert_eq!(breaks("ちょっと"), vec![9, 12]);
        assert_eq!(breaks("コーヒー"), vec![6, 12]);
        assert_eq!(breaks("す。「閲"), vec![6, 12]);
        assert_eq!(breaks("（まだ）"), vec![6, 12]);
        for c in ['漢', 'か', 'ア', '한', '。', '「', '（'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', '1', ' ', '-', 'é'] {
            assert!(!is_cjk(c), "{c}");
        }
        assert!(is_cjk_punctuation('、') && !is_cjk_punctuation('漢'));
    }

    #[test]
    fn words_cover_text_and_separate_spaces() {
        let text = "well-known  words\tand\nmore \u{a0}x";
        let ws = words(text);
        let mut rebuilt = String::new();
        for w in &ws {
            assert_eq!(w.text.end, w.space.start);
            rebuilt.push_str(&text[w.text.clone()]);
            rebuilt.push_str(&text[w.space.clone()]);
        }
        assert_eq!(rebuilt, text);
        let parts: Vec<(&str, &str, bool)> = ws
            .iter()
            .map(|w| (&text[w.text.clone()], &text[w.space.clone()], w.mandatory))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("well-", "", false),
                ("known", "  ", false),
                ("words", "\t", false),
                ("and", "\n", true),
                ("more", " ", false),
                ("\u{a0}x", "", true),
            ]
        );
    }

    #[test]
    fn grapheme_splits_keep_clusters() {
        // e + combining acute stays together; so does a flag and a ZWJ family.
        assert_eq!(grapheme_splits("ae\u{301}b"), vec![1, 4]);
        assert_eq!(grapheme_splits("abc"), vec![1, 2]);
        let flags = "\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}";
        assert_eq!(grapheme_splits(flags), vec![8]);
        let family = "\u{1F468}\u{200D}\u{1F469}x";
        assert_eq!(grapheme_splits(family), vec![family.len() - 1]);
        let thumbs = "\u{1F44D}\u{1F3FD}!";
        assert_eq!(grapheme_splits(thumbs), vec![8]);
        assert!(grapheme_splits("").is_empty());
        assert!(grapheme_splits("x").is_empty());
        // Hangul jamo sequence forms one syllable.
        assert!(grapheme_splits("\u{1100}\u{1161}\u{11A8}").is_empty());
    }

    #[test]
    fn emergency_splits_prefer_url_separators() {
        let url = "https://example.com/a_b";
        let preferred: Vec<usize> = emergency_splits(url)
            .into_iter()
            .filter(|s| s.preferred)
            .map(|s| s.offset)
            .collect();
        // Not inside "://"; after "//", after ".", after "/", after "_".
        assert_eq!(preferred, vec![8, 16, 20, 22]);
        assert_eq!(emergency_splits(url).len(), url.len() - 1);
    }
}
