//! The Unicode bidirectional algorithm (UAX #9): which stretches of a paragraph or a line run
//! right to left, and in what order they stand on the page. The only user of the
//! `unicode-bidi` crate.
//!
//! Two users: code lines, set left to right ([`visual_runs_ltr`]), and running paragraphs,
//! whose embedding levels are found once before their lines are broken ([`paragraph_levels`])
//! and whose lines are reordered for display once broken ([`visual_order`], rule L2).
//!
//! A shaper given a whole line guesses one direction for all of it, so a code line such as
//! `مرحبا hello world` came out mirrored (the Latin words spelled backwards). Cutting the line
//! into directional runs first, in visual order, lets each run be shaped in its own direction.

use std::ops::Range;
use unicode_bidi::{BidiInfo, Level, ParagraphBidiInfo};

/// The resolved embedding levels of a paragraph: one per byte of its text (even = left to
/// right, odd = right to left), and the paragraph's own level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels {
    /// Level of each byte of the text.
    pub levels: Vec<u8>,
    /// The paragraph reads right to left (its base level is odd).
    pub rtl: bool,
}

/// The embedding levels of a paragraph's `text` (rules P2 to I2). `base` is the direction the
/// document gives (`Some(true)` right to left); without one, the paragraph's first strong
/// character decides (P2, P3), and left to right when it has none. `None` for the common case
/// of a left-to-right paragraph with no right-to-left character: every level is 0.
///
/// Paragraph separators in `text` (a newline kept in code) do not end the paragraph here: the
/// caller's paragraph is one, so they are read as spaces.
pub fn paragraph_levels(text: &str, base: Option<bool>) -> Option<Levels> {
    if base != Some(true) && !text.chars().any(may_be_rtl) {
        return None;
    }
    // Same byte length, so the levels index the caller's text.
    let one: String = text
        .chars()
        .map(|c| {
            if unicode_bidi::bidi_class(c) == unicode_bidi::BidiClass::B {
                " ".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect();
    let level = base.map(|rtl| if rtl { Level::rtl() } else { Level::ltr() });
    let info = ParagraphBidiInfo::new(&one, level);
    Some(Levels {
        levels: info.levels.iter().map(|l| l.number()).collect(),
        rtl: info.paragraph_level.is_rtl(),
    })
}

/// The display order of a line's pieces given their levels in logical order (rule L2: from the
/// highest level down to the lowest odd one, every stretch at that level or higher is
/// reversed): `order[k]` is the logical index of the piece drawn `k`-th from the left.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    if levels.iter().all(|l| l % 2 == 0 && *l == levels[0]) {
        return (0..levels.len()).collect();
    }
    let levels: Vec<Level> = levels
        .iter()
        .map(|&l| Level::new(l).unwrap_or_else(|_| Level::ltr()))
        .collect();
    ParagraphBidiInfo::reorder_visual(&levels)
}

/// One directional run of a line: its byte range in the text and whether it reads right to
/// left. A right-to-left run's characters are drawn in reverse logical order, which the shaper
/// does when told the run's direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub range: Range<usize>,
    pub rtl: bool,
}

/// The directional runs of `text`, a line whose base direction is left to right, in the order
/// they are drawn from left to right. Text with no right-to-left character is one run (the
/// common case, decided without running the algorithm).
pub fn visual_runs_ltr(text: &str) -> Vec<Run> {
    if text.is_empty() {
        return Vec::new();
    }
    if !text.chars().any(may_be_rtl) {
        return vec![Run {
            range: 0..text.len(),
            rtl: false,
        }];
    }
    let info = BidiInfo::new(text, Some(Level::ltr()));
    let mut out = Vec::new();
    // A paragraph separator inside the line (U+2029 and a few controls) starts a new bidi
    // paragraph; each is ordered on its own and they follow one another.
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            out.push(Run { range: run, rtl });
        }
    }
    out
}

/// Whether `c` is a strong right-to-left letter (Hebrew, Arabic, Syriac, Thaana...).
pub fn is_strong_rtl(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, R};
    matches!(unicode_bidi::bidi_class(c), R | AL)
}

/// Whether `c` can start right-to-left text: a strong right-to-left letter or an explicit
/// embedding, override or isolate. Numbers and neutrals alone never reorder a left-to-right
/// line.
fn may_be_rtl(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, R, RLE, RLI, RLO};
    // Nothing before the Hebrew block is right to left: Latin text is decided without a
    // table lookup per character (every paragraph is asked).
    if c < '\u{0590}' {
        return false;
    }
    matches!(unicode_bidi::bidi_class(c), R | AL | RLE | RLO | RLI)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_paragraph_has_no_levels_unless_the_document_is_right_to_left() {
        assert_eq!(paragraph_levels("plain text 42", None), None);
        assert_eq!(paragraph_levels("plain text 42", Some(false)), None);
        let l = paragraph_levels("plain text", Some(true)).unwrap();
        assert!(l.rtl);
        // Latin in a right-to-left paragraph is embedded at level 2.
        assert_eq!(l.levels[0], 2);
    }

    #[test]
    fn first_strong_character_sets_the_direction() {
        let text = "שלום world";
        let l = paragraph_levels(text, None).unwrap();
        assert!(l.rtl);
        assert_eq!(l.levels[0], 1);
        assert_eq!(l.levels[text.find('w').unwrap()], 2);
        let text = "hello עולם";
        let l = paragraph_levels(text, None).unwrap();
        assert!(!l.rtl);
        assert_eq!(l.levels[text.len() - 1], 1);
        // The document's direction wins over the first letter.
        assert!(!paragraph_levels("עולם", Some(false)).unwrap().rtl);
    }

    #[test]
    fn a_newline_does_not_split_the_paragraph() {
        let text = "שלום\nworld";
        let l = paragraph_levels(text, None).unwrap();
        assert_eq!(l.levels.len(), text.len());
        assert_eq!(l.levels[text.len() - 1], 2);
    }

    #[test]
    fn words_of_a_right_to_left_line_are_reversed_and_embedded_latin_keeps_its_order() {
        // Logical: [אחד] [ ] [Rust] [ ] [1.0] [ ] [שתיים] in a right-to-left paragraph.
        let levels = [1, 1, 2, 2, 2, 1, 1];
        assert_eq!(visual_order(&levels), [6, 5, 2, 3, 4, 1, 0]);
        assert_eq!(visual_order(&[0, 0, 0]), [0, 1, 2]);
        // A right-to-left phrase inside a left-to-right line is reversed in place.
        assert_eq!(visual_order(&[0, 0, 1, 1, 1, 0]), [0, 1, 4, 3, 2, 5]);
        assert!(visual_order(&[]).is_empty());
    }

    fn texts(text: &str) -> Vec<(&str, bool)> {
        visual_runs_ltr(text)
            .into_iter()
            .map(|r| (&text[r.range], r.rtl))
            .collect()
    }

    #[test]
    fn latin_is_one_left_to_right_run() {
        assert_eq!(texts("hello world"), [("hello world", false)]);
        assert!(texts("").is_empty());
    }

    #[test]
    fn arabic_then_latin_keeps_the_latin_left_to_right() {
        assert_eq!(
            texts("مرحبا hello world"),
            [("مرحبا", true), (" hello world", false)]
        );
    }

    #[test]
    fn runs_of_two_arabic_words_stay_together_and_numbers_keep_their_order() {
        // Between two right-to-left words the space belongs to them; the number is its own
        // run, drawn left to right, and stands to the left of the first word.
        let runs = texts("x = \"مرحبا بالعالم 42\";");
        let joined: String = runs.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            joined.chars().count(),
            "x = \"مرحبا بالعالم 42\";".chars().count()
        );
        assert_eq!(runs[0], ("x = \"", false));
        let word = runs
            .iter()
            .position(|r| r.0.contains("مرحبا بالعالم"))
            .unwrap();
        assert!(runs[word].1, "{runs:?}");
        let number = runs.iter().position(|r| r.0.contains("42")).unwrap();
        assert!(number < word, "{runs:?}");
    }
}
