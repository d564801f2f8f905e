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
                    for &run in &runs {
                        self.run_at[run] = at;
                    }
                    let width: Pt = runs.iter().map(|&r| self.runs[r].0.width).sum();
                    let content = runs
                        .iter()
                        .map(|&run| Content::Note {
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
        for (k, word) in words.into_iter().enumerate() {
            if !word.text.is_empty() {
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
                // Several spaces only survive Markdown in code; each keeps its width.
                let width = one * text[word.space.clone()].chars().count().max(1) as Pt;
                // Monospace spaces keep their width; proportional ones stretch and shrink.
                let mono = self.styles[style].family == Family::Mono;
                let (stretch, shrink) = if mono {
                    (0.0, 0.0)
                } else {
                    (width * 0.6, width * 0.3)
                };
                if text[word.space.clone()].contains('\n') {
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
        }
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
        let mut cuts = cuts.into_iter().peekable();
        let mut content = Vec::new();
        let mut width = 0.0;
        for (k, &(run, _)) in runs.iter().enumerate() {
            let n = self.runs[run].0.glyphs.len();
            let mut start = 0;
            loop {
                let cut = cuts.next_if(|c| c.0 == k);
                let g = cut.map_or(n, |c| c.1);
                if g > start {
                    width += self.runs[run].0.width_of(start..g);
                    content.push(Content::Glyphs {
                        run,
                        range: start..g,
                    });
                }
                let Some((_, _, kind)) = cut else { break };
                self.push(linebreak::Item::Box { width }, std::mem::take(&mut content));
                width = 0.0;
                match kind {
                    None => {
                        let w = hyphen.map_or(0.0, |h| self.runs[h].0.width);
                        self.push(
                            linebreak::Item::hyphen(w, 50.0),
                            vec![Content::Break { hyphen }],
                        );
                    }
                    Some(preferred) => self.push(
                        linebreak::emergency_penalty(preferred),
                        vec![Content::Break { hyphen: None }],
                    ),
                }
                start = g;
            }
        }
        if !content.is_empty() || runs.is_empty() {
            self.push(linebreak::Item::Box { width }, content);
        }
    }
}
