//! The Unicode bidirectional algorithm (UAX #9) for lines set left to right: which stretches of a
//! line run right to left, and in what order they stand on the page. The only user of the
//! `unicode-bidi` crate.
//!
//! A shaper given a whole line guesses one direction for all of it, so a code line such as
//! `مرحبا hello world` came out mirrored (the Latin words spelled backwards). Cutting the line
//! into directional runs first, in visual order, lets each run be shaped in its own direction.

use std::ops::Range;
use unicode_bidi::{BidiInfo, Level};

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

/// Whether `c` can start right-to-left text: a strong right-to-left letter or an explicit
/// embedding, override or isolate. Numbers and neutrals alone never reorder a left-to-right
/// line.
fn may_be_rtl(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, R, RLE, RLI, RLO};
    matches!(unicode_bidi::bidi_class(c), R | AL | RLE | RLO | RLI)
}

#[cfg(test)]
mod tests {
    use super::*;

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
