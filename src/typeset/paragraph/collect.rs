//! Collecting a paragraph: styled pieces into the line breaker's items (boxes, glue and
//! penalties) and, for each item, the content it draws.
//!
//! Text is segmented at Unicode line break opportunities ([`segment::words`]); every word
//! becomes one box, or several with hyphenation or emergency penalties between them (found in
//! `prepare.rs`), and every space a glue. Notes, anchors, formulas and images are boxes of
//! their own.

use super::{Content, Paragraph, Piece, Style};
use crate::typeset::fonts::Family;
use crate::typeset::frame::Pt;
use crate::typeset::linebreak;
use crate::typeset::segment;

/// Stretch of the glue between two CJK characters, in em.
const CJK_STRETCH: Pt = 0.1;

/// Whether a word (text between two break opportunities) is all CJK: such words are shaped
/// together (see `Paragraph::add_cjk_words`).
fn is_cjk_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(segment::is_cjk)
}

/// How far a word space may stretch at ratio 1 and shrink at ratio -1, as fractions of its
/// width (TeX's and Typst's half for stretching), each bounded in em so that faces with a
/// narrow space (Source Serif 4's is 0.233 em, DejaVu Serif's 0.318) behave alike: a space
/// stretches by at least a sixth of an em and never shrinks below a sixth of an em (at 40%
/// Source Serif 4 ran its words together, at 0.14 em). Shrinking up to 40% lets the breaker
/// take one more word into a line rather than open the gaps of the line before. Measured on
/// the Rust book with the tolerance of `Paragraph::break_items` and [`HYPHEN_COST`]: in
/// DejaVu Serif the body's justified lines with a word space stretched past half an em went
/// from 3.6% to 1.6% and hyphens from 1,110 to 942; in Source Serif 4 hyphens went from 912
/// to 744 with as few loose lines (0.3% of the body's by `bindery-check spacing`).
const SPACE_STRETCH: Pt = 0.5;
const SPACE_SHRINK: Pt = 0.4;
/// The least stretch of a word space at ratio 1, and the narrowest it may get, in em.
const SPACE_STRETCH_MIN: Pt = 1.0 / 6.0;
const SPACE_MIN: Pt = 1.0 / 6.0;

/// The cost of breaking a line at a hyphenation point (TeX's `\hyphenpenalty` is 50). With
/// the default design (Source Serif 4 at 11 pt, about 74 characters a line) the Rust book had
/// 1,253 hyphenated lines at 70, 1,032 at 150 and 967 at 300, with the same share of loose
/// lines each time (0.45% by `bindery-check spacing`'s definition, prose only): the stricter
/// first pass, not the hyphens, keeps the spacing even, so hyphens can be made rare.
const HYPHEN_COST: f32 = 300.0;

/// U+3000, the space of CJK text, an em wide.
const IDEOGRAPHIC_SPACE: char = '\u{3000}';

impl Paragraph<'_> {
    fn style_index(&mut self, style: &Style) -> usize {
        match self.styles.iter().position(|s| s == style) {
            Some(i) => i,
            None => {
                self.styles.push(style.clone());
                self.styles.len() - 1
            }
        }
    }

    fn push(&mut self, item: linebreak::Item, content: Vec<Content>) {
        self.items.push(item);
        self.content.push(content);
        self.item_at.push(self.at);
    }

    /// Appends to the paragraph's logical text (for the bidirectional algorithm) and returns
    /// where it starts.
    fn logical(&mut self, text: &str) -> usize {
        let start = self.text.len();
        self.text.push_str(text);
        self.at = start;
        start
    }

    /// The text `pieces` add to the paragraph's logical text, as [`Paragraph::collect`] adds
    /// it (found first, so that embedding levels are known before shaping).
    pub(super) fn logical_text(pieces: &[Piece], out: &mut String) {
        for p in pieces {
            match p {
                Piece::Text(t, _) => out.push_str(t),
                Piece::Break => out.push('\u{2028}'),
                Piece::NoteMark(n, _) => out.push_str(&n.to_string()),
                Piece::Anchor(_) => {}
                Piece::Math(_) | Piece::Image { .. } => out.push('\u{FFFC}'),
            }
        }
    }

    /// Adds all pieces: consecutive text pieces together, anything else as a box of its own
    /// (a forced break as fill and a forced penalty).
    pub(super) fn collect(&mut self, pieces: &[Piece]) {
        let mut i = 0;
        while i < pieces.len() {
            match &pieces[i] {
                Piece::Text(..) => {
                    // Consecutive text pieces are segmented together: a style change is not a
                    // break opportunity ("**bold**ly" is one word).
                    let mut j = i;
                    let mut text = String::new();
                    let mut spans = Vec::new();
                    while let Some(Piece::Text(t, s)) = pieces.get(j) {
                        let start = text.len();
                        text.push_str(t);
                        let style = self.style_index(s);
                        spans.push((start..text.len(), style));
                        j += 1;
                    }
                    let base = self.logical(&text);
                    self.add_text(&text, &spans, base);
                    i = j;
                }
                Piece::Break => {
                    // A line separator: white space to the bidirectional algorithm, which a
                    // paragraph separator would end the paragraph for.
                    self.logical("\u{2028}");
                    self.push(linebreak::Item::fill(), vec![]);
                    self.push(linebreak::Item::forced_break(), vec![Content::Marker(None)]);
                    i += 1;
                }
                Piece::NoteMark(number, style) => {
                    let s = self.style_index(style);
                    let at = self.logical(&number.to_string());
                    let runs = self.shape_runs(&number.to_string(), s);
                    for run in runs.clone() {
                        self.run_at[run] = at;
                    }
                    let width: Pt = runs.clone().map(|r| self.runs[r].0.width).sum();
                    let content = runs
                        .map(|run| Content::Note {
                            run,
                            number: *number,
                        })
                        .collect();
                    self.push(linebreak::Item::Box { width }, content);
                    i += 1;
                }
                Piece::Anchor(id) => {
                    self.at = self.text.len();
                    self.push(
                        linebreak::Item::Box { width: 0.0 },
                        vec![Content::Marker(Some(id.clone()))],
                    );
                    i += 1;
                }
                Piece::Math(b) => {
                    // An object in the text: a neutral for the bidirectional algorithm.
                    self.logical("\u{FFFC}");
                    self.push(
                        linebreak::Item::Box { width: b.width },
                        vec![Content::Math(b.clone())],
                    );
                    i += 1;
                }
                Piece::Image {
                    asset,
                    w,
                    h,
                    link,
                    node,
                } => {
                    self.logical("\u{FFFC}");
                    self.push(
                        linebreak::Item::Box { width: *w },
                        vec![Content::Image {
                            asset: asset.clone(),
                            w: *w,
                            h: *h,
                            link: link.clone(),
                            node: *node,
                        }],
                    );
                    i += 1;
                }
            }
        }
    }

    /// Adds `text`, which starts at `base` in the paragraph's logical text.
    fn add_text(&mut self, text: &str, spans: &[(std::ops::Range<usize>, usize)], base: usize) {
        let style_at = |pos: usize| {
            spans
                .iter()
                .find(|(r, _)| r.start <= pos && pos < r.end)
                .map_or(0, |(_, s)| *s)
        };
        let words = segment::words(text);
        let count = words.len();
        let mut k = 0;
        while k < count {
            // CJK words set solid against each other (a character or two each, between UAX #14
            // opportunities) are shaped as one text and cut into one box per word: shaping
            // each character apart cost a lookup, a copy and a run per character.
            let mut last = k;
            while last + 1 < count
                && words[last].space.is_empty()
                && !words[last].mandatory
                && is_cjk_word(&text[words[last].text.clone()])
                && is_cjk_word(&text[words[last + 1].text.clone()])
            {
                last += 1;
            }
            let grouped = last > k;
            if grouped {
                self.at = base + words[k].text.start;
                self.add_cjk_words(text, &words[k..=last], spans, base);
                k = last;
            }
            let word = &words[k];
            if !grouped && !word.text.is_empty() {
                // A piece of an already hyphenated compound ("well-" + "known") is not
                // hyphenated again: the hyphen is its break.
                let compound = text[..word.text.start].ends_with('-')
                    || text[word.text.clone()].ends_with('-');
                self.at = base + word.text.start;
                self.add_word(text, word.text.clone(), spans, !compound, base);
            }
            self.at = base + word.space.start.max(word.text.end);
            if !word.space.is_empty() {
                let style = style_at(word.space.start);
                let (_, one) = self.space(style);
                let size = self.styles[style].size;
                // Several spaces only survive Markdown in code; each keeps its width. The
                // ideographic space (U+3000) is an em wide, like the characters around it,
                // and stretches as they do.
                let space = &text[word.space.clone()];
                let ideographic = space.chars().filter(|&c| c == IDEOGRAPHIC_SPACE).count();
                let others = space.chars().count() - ideographic;
                let latin = one * others as Pt;
                let width = latin + size * ideographic as Pt;
                // Monospace spaces keep their width; proportional ones stretch and shrink.
                let mono = self.styles[style].family == Family::Mono;
                let (stretch, shrink) = if mono {
                    (0.0, 0.0)
                } else {
                    (
                        (one * SPACE_STRETCH).max(size * SPACE_STRETCH_MIN) * others as Pt
                            + size * CJK_STRETCH * ideographic as Pt,
                        (one * SPACE_SHRINK).min((one - size * SPACE_MIN).max(0.0)) * others as Pt,
                    )
                };
                if k == 0 && word.text.is_empty() && ideographic > 0 {
                    // A paragraph opened with ideographic spaces is indented by them (the
                    // Japanese convention): an empty box and no break before the glue, which
                    // a line's start would otherwise drop.
                    self.push(
                        linebreak::Item::Box { width: 0.0 },
                        vec![Content::Marker(None)],
                    );
                    self.push(
                        linebreak::Item::Penalty {
                            width: 0.0,
                            cost: linebreak::PENALTY_INF,
                            flagged: false,
                        },
                        vec![],
                    );
                }
                if space.contains('\n') {
                    self.push(linebreak::Item::fill(), vec![]);
                    self.push(linebreak::Item::forced_break(), vec![Content::Marker(None)]);
                } else {
                    self.push(
                        linebreak::Item::Glue {
                            width,
                            stretch,
                            shrink,
                        },
                        vec![Content::Space { style }],
                    );
                }
            } else if let Some((width, stretch, shrink)) = (k + 1 < count)
                .then(|| self.cjk_stretch(text, word.text.end, style_at(word.text.end)))
                .flatten()
            {
                // Between two characters of CJK text (or such a character and a Latin word set
                // solid against it): a break with no space, and glue that takes a share of the
                // line's slack, so that justified lines end at the margin. It draws nothing.
                self.push(
                    linebreak::Item::Glue {
                        width,
                        stretch,
                        shrink,
                    },
                    vec![],
                );
            } else if k + 1 < count
                && !word.text.is_empty()
                && !text[word.text.clone()].ends_with('-')
            {
                // No break after a compound's own hyphen ("wide-scale"): readers and text
                // extraction take a hyphen at a line end for a hyphenation and would join the
                // halves into one word. A compound wider than the line gets breaks there after
                // all, in `set` (`add_emergency_joints`): the margin matters more.
                // A break opportunity with no space (after a hyphen or a dash, between ideographs).
                self.push(
                    linebreak::Item::Penalty {
                        width: 0.0,
                        cost: 0.0,
                        flagged: false,
                    },
                    vec![Content::Break { hyphen: None }],
                );
            }
            k += 1;
        }
    }

    /// Words of CJK text with no space between them (`group`, consecutive words of `text`):
    /// shaped as one text per style span, then cut at the words' starts into one box per word
    /// with CJK glue between (see [`Paragraph::cjk_stretch`]). A word whose start falls inside
    /// a glyph (a ligature across it) stays with the word before.
    fn add_cjk_words(
        &mut self,
        text: &str,
        group: &[segment::Word],
        spans: &[(std::ops::Range<usize>, usize)],
        base: usize,
    ) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            return;
        };
        let range = first.text.start..last.text.end;
        let parts: Vec<(std::ops::Range<usize>, usize)> = spans
            .iter()
            .filter(|(r, _)| r.start < range.end && r.end > range.start)
            .map(|(r, s)| (r.start.max(range.start)..r.end.min(range.end), *s))
            .collect();
        let style_at = |pos: usize| {
            parts
                .iter()
                .find(|(r, _)| r.start <= pos && pos < r.end)
                .map_or(0, |(_, s)| *s)
        };
        let runs = self.shape_word(text, &parts, base);
        for &(run, at) in &runs {
            self.run_at[run] = base + at;
        }
        // The first glyph at each byte offset: (offset, run among `runs`, glyph).
        let mut starts: Vec<(usize, usize, usize)> = Vec::new();
        for (k, &(run, at)) in runs.iter().enumerate() {
            let shaped = &self.runs[run].0;
            for (g, glyph) in shaped.glyphs.iter().enumerate() {
                if glyph.cluster < shaped.text.len() {
                    starts.push((at + glyph.cluster, k, g));
                }
            }
        }
        starts.sort_by_key(|&(offset, _, _)| offset);
        starts.dedup_by_key(|&mut (offset, _, _)| offset);
        // Cuts as (run, glyph, byte offset of the break), in order.
        let mut cuts: Vec<(usize, usize, usize)> = Vec::new();
        for word in &group[1..] {
            let at = word.text.start;
            if let Ok(i) = starts.binary_search_by_key(&at, |&(o, _, _)| o) {
                let (k, g) = (starts[i].1, starts[i].2);
                if (k, g) > (0, 0) && cuts.last().is_none_or(|c| (c.0, c.1) < (k, g)) {
                    cuts.push((k, g, at));
                }
            }
        }
        self.boxes_between_cuts(&runs, cuts, |p, (_, _, at)| {
            let (w, stretch, shrink) = p
                .cjk_stretch(text, at, style_at(at))
                .unwrap_or((0.0, 0.0, 0.0));
            p.push(
                linebreak::Item::Glue {
                    width: w,
                    stretch,
                    shrink,
                },
                vec![],
            );
        });
    }

    /// The glyphs of a word's `runs` (run, byte offset) as boxes, cut at `cuts` (run among
    /// `runs`, glyph, what the cut is), in order; `between` pushes what stands at each cut (a
    /// CJK glue, a hyphenation or emergency penalty). A box may hold glyphs of several runs.
    fn boxes_between_cuts<C>(
        &mut self,
        runs: &[(usize, usize)],
        cuts: Vec<(usize, usize, C)>,
        mut between: impl FnMut(&mut Self, (usize, usize, C)),
    ) {
        let mut cuts = cuts.into_iter().peekable();
        let mut content = Vec::new();
        let mut width = 0.0;
        for (k, &(run, _)) in runs.iter().enumerate() {
            let n = self.runs[run].0.glyphs.len();
            let mut start = 0;
            loop {
                let cut = cuts.next_if(|c| c.0 == k);
                let g = cut.as_ref().map_or(n, |c| c.1);
                if g > start {
                    width += self.runs[run].0.width_of(start..g);
                    content.push(Content::Glyphs {
                        run,
                        range: start..g,
                    });
                }
                let Some(cut) = cut else { break };
                self.push(linebreak::Item::Box { width }, std::mem::take(&mut content));
                width = 0.0;
                between(self, cut);
                start = g;
            }
        }
        if !content.is_empty() || runs.is_empty() {
            self.push(linebreak::Item::Box { width }, content);
        }
    }

    /// The width, stretch and shrink of the glue at a break with no space at byte `at` of
    /// `text` (in style `style`), when a CJK character is on either side of it: `None` elsewhere.
    /// Justification adds nothing beside fullwidth punctuation, whose glyph is already half
    /// blank (the break stays), and two marks in a row share their blank (see `cjk.rs`).
    fn cjk_stretch(&self, text: &str, at: usize, style: usize) -> Option<(Pt, Pt, Pt)> {
        let before = text[..at].chars().next_back()?;
        let after = text[at..].chars().next()?;
        if !segment::is_cjk(before) && !segment::is_cjk(after) {
            return None;
        }
        let size = self.styles[style].size;
        if segment::is_cjk_punctuation(before) || segment::is_cjk_punctuation(after) {
            let (width, shrink) = self.punctuation_glue(before, after, size);
            return Some((width, 0.0, shrink));
        }
        // A tenth of an em per gap: a line of forty characters takes up a full em of slack at
        // a ratio of about 0.25, while a Latin space (0.6 of its width) stretches alongside.
        Some((0.0, size * CJK_STRETCH, 0.0))
    }

    /// One word: shaped per style span, hyphenated when in one span and one face, and cut into
    /// emergency pieces (at grapheme boundaries, across its style spans and fallback faces) when
    /// wider than the narrowest line: `**contra**variant` or `` `usize`-like `` words are one
    /// word of several runs, and must break like any other rather than cross the margin.
    fn add_word(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        spans: &[(std::ops::Range<usize>, usize)],
        may_hyphenate: bool,
        base: usize,
    ) {
        let parts: Vec<(std::ops::Range<usize>, usize)> = spans
            .iter()
            .filter(|(r, _)| r.start < range.end && r.end > range.start)
            .map(|(r, s)| (r.start.max(range.start)..r.end.min(range.end), *s))
            .collect();
        let runs = self.shape_word(text, &parts, base);
        for &(run, at) in &runs {
            self.run_at[run] = base + at;
        }
        let (cuts, hyphen) = self.word_cuts(text, range, &parts, &runs, may_hyphenate);
        // One box per piece between cuts; a box may hold glyphs of several runs.
        self.boxes_between_cuts(&runs, cuts, |p, (_, _, kind)| match kind {
            None => {
                let w = hyphen.map_or(0.0, |h| p.runs[h].0.width);
                p.push(
                    linebreak::Item::hyphen(w, HYPHEN_COST),
                    vec![Content::Break { hyphen }],
                );
            }
            Some(preferred) => p.push(
                linebreak::emergency_penalty(preferred),
                vec![Content::Break { hyphen: None }],
            ),
        });
    }
}
