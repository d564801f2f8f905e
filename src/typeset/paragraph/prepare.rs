//! Preparing a paragraph's items for breaking: shaping (with font fallback, noting the
//! characters no font has), hyphenation, emergency cuts inside words too wide for any line, and
//! emergency joints between boxes once the measure is known.
//!
//! Bidirectional text: each word is shaped in the direction of its script (a word is one
//! directional run), and the paragraph's embedding levels are resolved over its logical text
//! ([`super::super::bidi::paragraph_levels`], from [`Paragraph::set`]), so that breaking sees the
//! logical order and `finalize.rs` reorders each line.

use super::{Content, Paragraph};
use crate::typeset::fonts::Family;
use crate::typeset::frame::Pt;
use crate::typeset::hyphenate::hyphenate;
use crate::typeset::linebreak;
use crate::typeset::segment;
use crate::typeset::shape::{shape, shape_dir, uncovered};
use std::ops::Range;

/// A break point inside a word: (index of the run among the word's runs, glyph in that run,
/// kind), the kind being `None` for a hyphenation and `Some(preferred)` for an emergency cut.
pub(super) type Cut = (usize, usize, Option<bool>);

impl Paragraph<'_> {
    /// Shapes `text` in a style; returns the indices of the runs (one per fallback face).
    pub(super) fn shape_runs(&mut self, text: &str, style: usize) -> Range<usize> {
        self.shape_runs_dir(text, style, None)
    }

    /// [`Paragraph::shape_runs`] in the direction of the text's embedding level (`None`: the
    /// paragraph is all left to right, the script decides).
    fn shape_runs_dir(&mut self, text: &str, style: usize, rtl: Option<bool>) -> Range<usize> {
        let st = &self.styles[style];
        let font = st.font(self.fonts);
        let lang = st.lang.as_deref().unwrap_or(self.lang);
        let mut runs = shape_dir(self.fonts, text, font, st.size, lang, rtl);
        runs.iter_mut()
            .for_each(|run| self.close_up_punctuation(run));
        for c in uncovered(self.fonts, &runs) {
            if !self.missing.contains(&c) {
                self.missing.push(c);
            }
        }
        let first = self.runs.len();
        for run in runs {
            self.runs.push((run, style));
            // Where the run stands in the logical text is set by the caller, which knows.
            self.run_at.push(self.at);
        }
        first..self.runs.len()
    }

    /// The space glyph of a style and its width (shaped once per style).
    pub(super) fn space(&mut self, style: usize) -> (u16, Pt) {
        if let Some(&s) = self.spaces.get(&style) {
            return s;
        }
        let st = &self.styles[style];
        let font = st.font(self.fonts);
        let runs = shape(self.fonts, " ", font, st.size, self.lang);
        let s = runs
            .first()
            .and_then(|r| r.glyphs.first().map(|g| (g.id, g.advance)))
            .unwrap_or((0, st.size * 0.3));
        self.spaces.insert(style, s);
        s
    }

    /// The run of the hyphen drawn where a line breaks at a hyphenation point in style
    /// `style`: shaped for the first word that can be hyphenated, then shared (a book's
    /// paragraphs have a dozen such words each).
    fn hyphen(&mut self, style: usize) -> Option<usize> {
        if let Some(&(_, run)) = self.hyphens.iter().find(|&&(s, _)| s == style) {
            return Some(run);
        }
        let run = self.shape_runs("-", style).next()?;
        self.hyphens.push((style, run));
        Some(run)
    }

    /// Shapes a word's style parts (byte ranges of `text`, which starts at `base` in the
    /// paragraph's logical text, and their styles), each directional run of a part in its own
    /// direction (a word with a bracket, or a name and a suffix of another script).
    pub(super) fn shape_word(
        &mut self,
        text: &str,
        parts: &[(Range<usize>, usize)],
        base: usize,
    ) -> Vec<(usize, usize)> {
        // Every shaped run of the word with the byte offset of its text in `text`.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (r, style) in parts {
            if self.levels.is_empty() {
                // All left to right: the part is one piece (no list of pieces to make).
                for run in self.shape_runs_dir(&text[r.clone()], *style, None) {
                    runs.push((run, r.start + self.runs[run].0.offset));
                }
                continue;
            }
            for (piece, rtl) in self.level_runs(r.clone(), base) {
                for run in self.shape_runs_dir(&text[piece.clone()], *style, rtl) {
                    runs.push((run, piece.start + self.runs[run].0.offset));
                }
            }
        }
        runs
    }

    /// `range` of text starting at `base` in the logical text, cut where the embedding level
    /// changes (at character boundaries), each piece with whether it reads right to left
    /// (`None` in a paragraph with no right-to-left text).
    fn level_runs(&self, range: Range<usize>, base: usize) -> Vec<(Range<usize>, Option<bool>)> {
        let level = |i: usize| self.levels.get(base + i).copied().unwrap_or(0);
        if self.levels.is_empty() || range.is_empty() {
            return vec![(range, None)];
        }
        let mut out: Vec<(Range<usize>, Option<bool>)> = Vec::new();
        let mut start = range.start;
        for i in range.clone().skip(1) {
            // Levels are equal within a character, so any change is at a boundary.
            if level(i) != level(i - 1) {
                out.push((start..i, Some(level(start) % 2 == 1)));
                start = i;
            }
        }
        out.push((start..range.end, Some(level(start) % 2 == 1)));
        out
    }

    /// Where the word `range` of `text`, shaped as `runs` from style `parts`, may break, as
    /// cuts between its glyphs; and the shaped hyphen drawn when a line ends at a hyphenation.
    pub(super) fn word_cuts(
        &mut self,
        text: &str,
        range: Range<usize>,
        parts: &[(Range<usize>, usize)],
        runs: &[(usize, usize)],
        may_hyphenate: bool,
    ) -> (Vec<Cut>, Option<usize>) {
        let total: Pt = runs.iter().map(|&(run, _)| self.runs[run].0.width).sum();
        let word = &text[range.clone()];
        // Break points as byte offsets into `text`: hyphenation (`None`) for ordinary words,
        // any grapheme boundary (`Some(preferred)`) for words that cannot fit a line at all.
        let mut points: Vec<(usize, Option<bool>)> = Vec::new();
        let mut hyphen = None;
        if total > self.narrowest {
            points = segment::emergency_splits(word)
                .into_iter()
                .map(|s| (range.start + s.offset, Some(s.preferred)))
                .collect();
        } else if let ([(_, style)], [_]) = (parts, runs) {
            let style = *style;
            let st = &self.styles[style];
            if self.hyphenate
                && may_hyphenate
                && st.family == Family::Serif
                && word.chars().count() >= 5
            {
                // A run marked with a language of its own (`<span lang="fr">`) is hyphenated
                // by that language's patterns.
                let lang = st.lang.as_deref().unwrap_or(self.lang);
                points = hyphenate(word, lang)
                    .into_iter()
                    .map(|o| (range.start + o, None))
                    .collect();
                if !points.is_empty() {
                    hyphen = self.hyphen(style);
                }
            }
        }
        // Each point as (run, glyph): only where a glyph starts exactly at the offset (never
        // inside a ligature), in increasing order (right-to-left runs get no cuts); glyph 0 of a
        // later run is the boundary between two runs.
        // Found by binary search in the glyph starts sorted by offset (the first glyph of a
        // cluster wins): a 100,000-character word has as many points and glyphs, and a scan of
        // the glyphs per point was quadratic.
        let mut cuts: Vec<Cut> = Vec::new();
        if points.is_empty() {
            return (cuts, hyphen);
        }
        let mut starts: Vec<(usize, usize, usize)> = Vec::new();
        for (k, &(run, at)) in runs.iter().enumerate() {
            let shaped = &self.runs[run].0;
            for (g, glyph) in shaped.glyphs.iter().enumerate() {
                let offset = at + glyph.cluster;
                if offset < at + shaped.text.len() {
                    starts.push((offset, k, g));
                }
            }
        }
        // Stable: among equal offsets the first run, then its first glyph, comes first.
        starts.sort_by_key(|&(offset, _, _)| offset);
        starts.dedup_by_key(|&mut (offset, _, _)| offset);
        for (offset, kind) in points {
            let found = starts
                .binary_search_by_key(&offset, |&(o, _, _)| o)
                .ok()
                .map(|i| (starts[i].1, starts[i].2));
            if let Some((k, g)) = found {
                let after_last = cuts.last().is_none_or(|c| (c.0, c.1) < (k, g));
                if (k, g) > (0, 0) && after_last {
                    cuts.push((k, g, kind));
                }
            }
        }
        (cuts, hyphen)
    }

    /// Adds an emergency breakpoint between the adjacent boxes of every run of the paragraph
    /// that has none and is wider than `width` (see [`linebreak::emergency_joints`]): the parts
    /// of a compound longer than the line (`a-b-c-…`, where [`Paragraph::add_text`] allows no
    /// break after the hyphens), a word and its note mark. Breaking after a hyphen or slash is
    /// preferred to breaking before a note mark or an image.
    pub(super) fn add_emergency_joints(&mut self, width: Pt) {
        let joints = linebreak::emergency_joints(&self.items, width);
        if joints.is_empty() {
            return;
        }
        let n = self.items.len() + joints.len();
        let mut items = Vec::with_capacity(n);
        let mut content: Vec<Vec<Content>> = Vec::with_capacity(n);
        let mut next = joints.into_iter().peekable();
        let mut item_at = Vec::with_capacity(n);
        let old_items = std::mem::take(&mut self.items);
        let old_content = std::mem::take(&mut self.content);
        let old_at = std::mem::take(&mut self.item_at);
        for (i, ((item, c), at)) in old_items
            .into_iter()
            .zip(old_content)
            .zip(old_at)
            .enumerate()
        {
            if next.next_if_eq(&i).is_some() {
                let preferred = content.last().is_some_and(|c| self.ends_in_separator(c));
                items.push(linebreak::emergency_penalty(preferred));
                content.push(vec![Content::Break { hyphen: None }]);
                item_at.push(at);
            }
            items.push(item);
            content.push(c);
            item_at.push(at);
        }
        self.items = items;
        self.content = content;
        self.item_at = item_at;
    }

    /// Whether a box's drawn text ends in a character after which a long word or address
    /// reads naturally continued on the next line (a hyphen, a slash, a dot...).
    fn ends_in_separator(&self, content: &[Content]) -> bool {
        let last = content.iter().rev().find_map(|c| match c {
            Content::Glyphs { run, range } if !range.is_empty() => {
                let shaped = &self.runs[*run].0;
                let end = shaped
                    .glyphs
                    .get(range.end)
                    .map_or(shaped.text.len(), |g| g.cluster);
                shaped.text.get(..end)?.chars().next_back()
            }
            _ => None,
        });
        last.is_some_and(segment::is_url_separator)
    }
}
