//! Finalizing a paragraph: each broken line into a [`LineBox`] of positioned display-list
//! items. Glyphs are placed along the line with the glue stretched or shrunk by the line's
//! ratio and batched into text items per font, size and colour; decorations (code backgrounds,
//! highlights, underlines, strike lines) and link areas come first in the item list, formulas,
//! images, note links and anchors last. A hyphen is drawn where the line ends in one, a space
//! where it ends at a space; ragged lines are aligned last. A line with right-to-left text is
//! drawn in display order (UAX #9 rule L2, see [`Paragraph::visual_units`]).

use super::{Align, Content, LineBox, Paragraph, Style};
use crate::typeset::fonts::FontId;
use crate::typeset::frame::{Color, Glyph, Glyphs, Item, LinkTarget, Pt};
use crate::typeset::linebreak;
use std::ops::Range;
use std::sync::Arc;

impl Paragraph<'_> {
    /// Sets one broken line of a measure `width` (stretched by `line.ratio` when `justify`).
    pub(super) fn set_line(
        &self,
        line: &linebreak::Line,
        width: Pt,
        align: Align,
        justify: bool,
    ) -> LineBox {
        let mut lb = LineBox {
            hyphenated: line.hyphenated,
            start: self
                .item_at
                .get(line.start)
                .copied()
                .unwrap_or(self.text.len()),
            ..LineBox::default()
        };
        let mut x = 0.0;
        let mut texts: Vec<TextBatch> = Vec::new();
        let ratio = if justify { line.ratio } else { 0.0 };
        let end = line.end.min(self.items.len());
        let mut decorations: Vec<Item> = Vec::new();
        let mut link_spans: Vec<(LinkTarget, Pt, Pt, Pt, Pt)> = Vec::new();
        // The line's pieces in the order they are drawn: each is item `i`'s contents `part`
        // (all of them but in a line with right-to-left text); the style of the line's last
        // words, for the space that ends it.
        let (units, last_style) = self.visual_units(line, end);
        for (i, part) in units {
            match self.items[i] {
                linebreak::Item::Box { .. } => {
                    for c in &self.content[i][part] {
                        match c {
                            Content::Glyphs { run, range } => {
                                let seg_w = self.runs[*run].0.width_of(range.clone());
                                self.place(
                                    &mut texts,
                                    *run,
                                    range.clone(),
                                    x,
                                    &mut decorations,
                                    &mut link_spans,
                                );
                                x += seg_w;
                            }
                            Content::Note { run, number } => {
                                let n = self.runs[*run].0.glyphs.len();
                                let seg_w = self.runs[*run].0.width;
                                self.place(
                                    &mut texts,
                                    *run,
                                    0..n,
                                    x,
                                    &mut decorations,
                                    &mut link_spans,
                                );
                                let st = &self.styles[self.runs[*run].1];
                                lb.items.push(Item::Anchor {
                                    id: format!("fnref-{number}"),
                                    y: -st.size * 2.0,
                                });
                                lb.items.push(Item::Link {
                                    x,
                                    y: -st.size * 1.6 - st.rise,
                                    w: seg_w,
                                    h: st.size * 1.6,
                                    target: LinkTarget::Anchor(format!("fn-{number}")),
                                    node: None,
                                });
                                if !lb.notes.contains(number) {
                                    lb.notes.push(*number);
                                }
                                x += seg_w;
                            }
                            Content::Marker(Some(id)) => lb.items.push(Item::Anchor {
                                id: id.clone(),
                                y: -12.0,
                            }),
                            Content::Math(b) => {
                                for it in &b.items {
                                    let mut it = it.clone();
                                    it.translate(x, 0.0);
                                    lb.items.push(it);
                                }
                                lb.ascent = lb.ascent.max(b.height);
                                lb.descent = lb.descent.max(b.depth);
                                x += b.width;
                            }
                            Content::Image {
                                asset,
                                w,
                                h,
                                link,
                                node,
                            } => {
                                lb.items.push(Item::Image {
                                    x,
                                    y: -*h,
                                    w: *w,
                                    h: *h,
                                    asset: asset.clone(),
                                    node: *node,
                                });
                                if let Some(target) = link {
                                    lb.items.push(Item::Link {
                                        x,
                                        y: -*h,
                                        w: *w,
                                        h: *h,
                                        target: target.clone(),
                                        node: None,
                                    });
                                }
                                lb.ascent = lb.ascent.max(*h);
                                x += *w;
                            }
                            _ => {}
                        }
                    }
                }
                linebreak::Item::Glue {
                    width: w,
                    stretch,
                    shrink,
                } => {
                    if i == line.start {
                        continue;
                    }
                    let adj = if !stretch.is_finite() {
                        0.0
                    } else if ratio >= 0.0 {
                        ratio * stretch
                    } else {
                        ratio * shrink
                    };
                    if let Some(Content::Space { style }) = self.content[i].first() {
                        // A real space glyph at the gap's start keeps copy, search and
                        // pdftotext word boundaries exact; the next glyph is placed absolutely.
                        let (gid, _) = self.spaces.get(style).copied().unwrap_or((0, w));
                        self.push_space(&mut texts, *style, gid, x);
                        let st = &self.styles[*style];
                        if st.link.is_some() || st.code || st.strike || st.underline || st.highlight
                        {
                            self.decorate(st, x, w + adj, &mut decorations, &mut link_spans);
                        }
                    }
                    x += w + adj;
                }
                linebreak::Item::Penalty { .. } => {
                    // The break itself: a hyphen is drawn after the word it ends (among the
                    // units only where the line ends in one).
                    if let Some(Content::Break { hyphen: Some(h) }) = self.content[i].first() {
                        let n = self.runs[*h].0.glyphs.len();
                        self.place(&mut texts, *h, 0..n, x, &mut decorations, &mut link_spans);
                        x += self.runs[*h].0.width;
                    }
                }
            }
        }
        // A line broken at a space ends in one (drawn, invisible), so that text read in order
        // (copied, extracted, spoken from the tags) never glues its last word to the next
        // line's first; so does the last line of a piece of a very long paragraph, which the
        // next piece continues. A right-to-left line ends at its left: the space goes just
        // before it.
        // Not at the glue between two CJK characters: no space separates them in the source.
        let solid = matches!(self.items.get(line.end), Some(linebreak::Item::Glue { .. }))
            && self.content.get(line.end).is_some_and(Vec::is_empty);
        let more = line.end + 1 < self.items.len() || self.continues == Some(true);
        if !line.hyphenated && !solid && more {
            if let Some(style) = last_style {
                if let Some(&(gid, w)) = self.spaces.get(&style) {
                    let at = if self.rtl { -w } else { x };
                    self.push_space(&mut texts, style, gid, at);
                }
            }
        }
        // Alignment of ragged lines, and of a right-to-left paragraph's last line (justified
        // lines fill the measure, or nearly).
        let shift = match align {
            Align::Center => ((width - x) / 2.0).max(0.0),
            Align::Right => (width - x).max(0.0),
            Align::Justify if self.rtl => (width - x).max(0.0),
            _ => 0.0,
        };
        lb.rtl = self.rtl;
        for (target, x0, x1, top, bottom) in link_spans {
            decorations.push(Item::Link {
                x: x0,
                y: top,
                w: x1 - x0,
                h: bottom - top,
                target,
                node: None,
            });
        }
        let mut items = decorations;
        for t in texts {
            items.push(Item::Text {
                x: 0.0,
                y: 0.0,
                font: t.font,
                size: t.size,
                color: t.color,
                glyphs: t.glyphs,
                node: None,
                lang: t.lang,
            });
        }
        items.append(&mut lb.items);
        if shift != 0.0 {
            for item in &mut items {
                item.shift_x(shift);
            }
        }
        lb.items = items;
        // Vertical extent: at least the body face's, more for larger or raised content.
        for st in &self.styles {
            let face = self.fonts.face(st.font(self.fonts));
            lb.ascent = lb.ascent.max(face.ascender * st.size + st.rise.max(0.0));
            lb.descent = lb.descent.max(-face.descender * st.size - st.rise.min(0.0));
        }
        lb
    }

    /// The pieces of a line in the order they are drawn from left to right, as (item, range of
    /// its contents): a box (whole, or one content at a time in a paragraph with right-to-left
    /// text), a glue (not the one that starts the line), the penalty whose hyphen ends the line;
    /// and the style of the line's last words. Without right-to-left text that is the logical
    /// order. Otherwise each piece takes the embedding level of its first character (a hyphen,
    /// that of the word it ends) and the line is reordered by rule L2 of UAX #9.
    fn visual_units(
        &self,
        line: &linebreak::Line,
        end: usize,
    ) -> (Vec<(usize, Range<usize>)>, Option<usize>) {
        let split = !self.levels.is_empty();
        let mut units: Vec<(usize, Range<usize>)> = Vec::new();
        let mut last_style = None;
        for i in line.start..end {
            match self.items[i] {
                linebreak::Item::Box { .. } => {
                    let n = self.content[i].len();
                    for c in &self.content[i] {
                        if let Content::Glyphs { run, .. } = c {
                            last_style = Some(self.runs[*run].1);
                        }
                    }
                    if split {
                        units.extend((0..n).map(|k| (i, k..k + 1)));
                    } else {
                        units.push((i, 0..n));
                    }
                }
                linebreak::Item::Glue { .. } if i != line.start => units.push((i, 0..0)),
                _ => {}
            }
        }
        if line.hyphenated {
            if let (Some(linebreak::Item::Penalty { .. }), Some(cs)) =
                (self.items.get(line.end), self.content.get(line.end))
            {
                if let Some(Content::Break { hyphen: Some(_) }) = cs.first() {
                    units.push((line.end, 0..1));
                }
            }
        }
        if !split {
            return (units, last_style);
        }
        let level_at = |at: usize| {
            self.levels
                .get(at.min(self.levels.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        let mut levels: Vec<u8> = Vec::with_capacity(units.len());
        for (i, part) in &units {
            let level = match (&self.items[*i], self.content[*i].get(part.start)) {
                (linebreak::Item::Penalty { .. }, _) => levels.last().copied().unwrap_or(0),
                (_, Some(Content::Glyphs { run, range })) => {
                    let shaped = &self.runs[*run].0;
                    let cluster = shaped.glyphs.get(range.start).map_or(0, |g| g.cluster);
                    level_at(self.run_at[*run] + cluster)
                }
                (_, Some(Content::Note { run, .. })) => level_at(self.run_at[*run]),
                _ => level_at(self.item_at[*i]),
            };
            levels.push(level);
        }
        let order = super::super::bidi::visual_order(&levels);
        let units = order.into_iter().map(|k| units[k].clone()).collect();
        (units, last_style)
    }

    /// Draws the space glyph `gid` of style `style` at `x`: invisible, but it puts the word
    /// boundary into the text (between words, and at a line broken at a space).
    fn push_space(&self, texts: &mut Vec<TextBatch>, style: usize, gid: u16, x: Pt) {
        let st = &self.styles[style];
        batch(texts, st.font(self.fonts), st).push(Glyph {
            id: gid,
            x,
            y: -st.rise,
            text: " ",
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn place(
        &self,
        texts: &mut Vec<TextBatch>,
        run: usize,
        range: std::ops::Range<usize>,
        x: Pt,
        decorations: &mut Vec<Item>,
        links: &mut Vec<(LinkTarget, Pt, Pt, Pt, Pt)>,
    ) {
        let (shaped, style) = &self.runs[run];
        let st = &self.styles[*style];
        let w = shaped.width_of(range.clone());
        if range.start < range.end.min(shaped.glyphs.len()) {
            let out = batch(texts, shaped.font, st);
            let shift = (x, -st.rise);
            let ranges = self
                .glyph_texts_at
                .get(run)
                .and_then(|at| self.glyph_texts.get(at.clone()));
            match ranges {
                Some(ranges) => shaped.place_into(ranges, range, shift, out),
                None => shaped.place_into(&shaped.glyph_text_ranges(), range, shift, out),
            }
        }
        self.decorate(st, x, w, decorations, links);
    }

    /// Backgrounds, strike lines and link areas for a span of `w` at `x`.
    fn decorate(
        &self,
        st: &Style,
        x: Pt,
        w: Pt,
        decorations: &mut Vec<Item>,
        links: &mut Vec<(LinkTarget, Pt, Pt, Pt, Pt)>,
    ) {
        if st.code {
            decorations.push(Item::Rect {
                x: x - 0.5,
                y: -st.size * 0.95 - st.rise,
                w: w + 1.0,
                h: st.size * 1.3,
                fill: Some(self.code_bg),
                stroke: None,
            });
        }
        if st.highlight {
            decorations.push(Item::Rect {
                x,
                y: -st.size * 0.95 - st.rise,
                w,
                h: st.size * 1.25,
                fill: Some(self.highlight),
                stroke: None,
            });
        }
        if st.underline {
            decorations.push(Item::Line {
                x1: x,
                y1: st.size * 0.12 - st.rise,
                x2: x + w,
                y2: st.size * 0.12 - st.rise,
                width: st.size * 0.05,
                color: st.color,
            });
        }
        if st.strike {
            decorations.push(Item::Line {
                x1: x,
                y1: -st.size * 0.3 - st.rise,
                x2: x + w,
                y2: -st.size * 0.3 - st.rise,
                width: st.size * 0.06,
                color: st.color,
            });
        }
        if let Some(target) = &st.link {
            let top = -st.size * 1.0 - st.rise;
            let bottom = st.size * 0.3 - st.rise;
            match links.last_mut() {
                Some(last) if &last.0 == target && (x - last.2) < st.size => {
                    last.2 = x + w;
                    last.3 = last.3.min(top);
                    last.4 = last.4.max(bottom);
                }
                _ => links.push((target.clone(), x, x + w, top, bottom)),
            }
        }
    }
}

/// Glyphs of one font, size, colour and language on one line, merged into one text item.
struct TextBatch {
    font: FontId,
    size: Pt,
    color: Color,
    lang: Option<Arc<str>>,
    glyphs: Glyphs,
}

/// The line's text item for glyphs of `font` in style `st`: the last one when it has that
/// face, size, colour and language, else a new one.
fn batch<'t>(texts: &'t mut Vec<TextBatch>, font: FontId, st: &Style) -> &'t mut Glyphs {
    let same = texts.last().is_some_and(|t| {
        t.font == font && t.size == st.size && t.color == st.color && t.lang == st.lang
    });
    if !same {
        texts.push(TextBatch {
            font,
            size: st.size,
            color: st.color,
            lang: st.lang.clone(),
            glyphs: Glyphs::default(),
        });
    }
    let last = texts.len() - 1;
    &mut texts[last].glyphs
}
