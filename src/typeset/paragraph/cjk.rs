//! CJK punctuation in a row: two fullwidth marks side by side share one blank half-em rather
//! than showing two (`。」`, `、「`, `（「` as JIS X 4051 sets them), in Japanese and Simplified
//! Chinese, whose faces draw these marks in one half of the em-box. Traditional Chinese and
//! Korean faces centre their marks, so there they keep their full width.
//!
//! Marks inside one word (no break between them) are closed up in the shaped run; a pair with
//! a break between (`、` then `「`) gets glue of negative width, which a line break discards
//! like any glue, so the mark at a line end keeps its box.

use super::Paragraph;
use crate::typeset::fonts::Region;
use crate::typeset::frame::Pt;
use crate::typeset::segment::{punctuation_half, Half};
use crate::typeset::shape::ShapedRun;

/// How much of the em two marks in a row give up.
const SHARED: Pt = 0.5;

impl Paragraph<'_> {
    /// Whether the document's language draws its punctuation in half the em-box.
    fn half_box_punctuation(&self) -> bool {
        matches!(
            Region::of_lang(self.lang),
            Region::Japanese | Region::Simplified
        )
    }

    /// Closes up the pairs of marks inside a shaped run (see the module documentation). Only
    /// glyphs a full em wide are touched: a mark from a face that draws it narrow has no blank
    /// half to give.
    pub(super) fn close_up_punctuation(&self, run: &mut ShapedRun) {
        if !run.text.chars().any(|c| punctuation_half(c).is_some()) || !self.half_box_punctuation()
        {
            return;
        }
        let ranges = run.glyph_text_ranges();
        let char_of = |i: usize| {
            ranges
                .get(i)
                .and_then(|r| run.text.get(r.clone()))
                .and_then(|t| t.chars().next())
        };
        let full = |advance: Pt| advance >= run.size * 0.95;
        let cut = run.size * SHARED;
        let mut saved = 0.0;
        for i in 0..run.glyphs.len().saturating_sub(1) {
            let (Some(a), Some(b)) = (char_of(i), char_of(i + 1)) else {
                continue;
            };
            match (punctuation_half(a), punctuation_half(b)) {
                // The first mark's blank right half goes.
                (Some(Half::Left), Some(_)) if full(run.glyphs[i].advance) => {
                    run.glyphs[i].advance -= cut;
                    saved += cut;
                }
                // Two opening marks: the second's blank left half goes.
                (Some(Half::Right), Some(Half::Right)) if full(run.glyphs[i + 1].advance) => {
                    run.glyphs[i + 1].x_offset -= cut;
                    run.glyphs[i + 1].advance -= cut;
                    saved += cut;
                }
                _ => {}
            }
        }
        run.width -= saved;
    }

    /// The width and shrink of the glue at a break between `before` and `after` beside a
    /// mark. A mark drawn in its left half and followed by one drawn in its right half shares
    /// the blank (the width is minus half an em); followed by anything else, its blank half may
    /// shrink away when a justified line needs the room, as JIS X 4051 compresses punctuation
    /// before it spaces characters apart. Only after a glyph a full em wide.
    pub(super) fn punctuation_glue(&self, before: char, after: char, size: Pt) -> (Pt, Pt) {
        if punctuation_half(before) != Some(Half::Left) || !self.half_box_punctuation() {
            return (0.0, 0.0);
        }
        let last = self.content.iter().rev().find_map(|c| {
            c.iter().rev().find_map(|c| match c {
                super::Content::Glyphs { run, range } if !range.is_empty() => self.runs[*run]
                    .0
                    .glyphs
                    .get(range.end - 1)
                    .map(|g| g.advance),
                _ => None,
            })
        });
        if !last.is_some_and(|a| a >= size * 0.95) {
            (0.0, 0.0)
        } else if punctuation_half(after) == Some(Half::Right) {
            (-size * SHARED, 0.0)
        } else {
            (0.0, size * SHARED)
        }
    }
}
