//! Finalizing a paragraph: each broken line into a [`LineBox`] of positioned display-list
//! items. Glyphs are placed along the line with the glue stretched or shrunk by the line's
//! ratio and batched into text items per font, size and colour; decorations (code backgrounds,
//! highlights, underlines, strike lines) and link areas come first in the item list, formulas,
//! images, note links and anchors last. A hyphen is drawn where the line ends in one, a space
//! where it ends at a space; ragged lines are aligned last.

use super::{Align, Content, LineBox, Paragraph, Style, CODE_BG, HIGHLIGHT};
use crate::typeset::fonts::{FontId, FontSet};
use crate::typeset::frame::{Color, Item, LinkTarget, PlacedGlyph, Pt};
use crate::typeset::linebreak;

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
            ..LineBox::default()
        };
        let mut x = 0.0;
        let mut texts: Vec<TextBatch> = Vec::new();
        let ratio = if justify { line.ratio } else { 0.0 };
        let end = line.end.min(self.items.len());
        let mut decorations: Vec<Item> = Vec::new();
        let mut link_spans: Vec<(LinkTarget, Pt, Pt, Pt, Pt)> = Vec::new();
        // The line's pieces in logical order, then in the order they are drawn.
        let (units, last_style) = self.units(line, end);
        let order = self.visual_order(&units);
        for &u in order.iter().map(|&k| &units[k]) {
            match u {
                Unit::Content(i, k) => {
                    let c = &self.content[i][k];
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
                Unit::Glue(i) => {
                    let linebreak::Item::Glue {
                        width: w,
                        stretch,
                        shrink,
                    } = self.items[i]
                    else {
                        continue;
                    };
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
                Unit::Hyphen(h) => {
                    // The break itself: a hyphen is drawn at the end of the broken word.
                    let n = self.runs[h].0.glyphs.len();
                    self.place(&mut texts, h, 0..n, x, &mut decorations, &mut link_spans);
                    x += self.runs[h].0.width;
                }
            }
        }
        // A line broken at a space ends in one (drawn, invisible), so that text read in order
        // (copied, extracted, spoken from the tags) never glues its last word to the next
        // line's first. A right-to-left line ends at its left, so the space goes just before
        // its first glyph there.
        if !line.hyphenated && line.end + 1 < self.items.len() {
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

    /// The drawable pieces of a line in logical order (the glue that starts a line is not
    /// drawn), with the style of its last words for the space that ends it.
    fn units(&self, line: &linebreak::Line, end: usize) -> (Vec<Unit>, Option<usize>) {
        let mut units = Vec::new();
        let mut last_style = None;
        for i in line.start..end {
            match self.items[i] {
                linebreak::Item::Box { .. } => {
                    for (k, c) in self.content[i].iter().enumerate() {
                        if let Content::Glyphs { run, .. } = c {
                            last_style = Some(self.runs[*run].1);
                        }
                        units.push(Unit::Content(i, k));
                    }
                }
                linebreak::Item::Glue { .. } if i != line.start => units.push(Unit::Glue(i)),
                _ => {}
            }
        }
        if let (Some(linebreak::Item::Penalty { .. }), Some(cs)) =
            (self.items.get(line.end), self.content.get(line.end))
        {
            if let Some(Content::Break { hyphen: Some(h) }) = cs.first() {
                if line.hyphenated {
                    units.push(Unit::Hyphen(*h));
                }
            }
        }
        (units, last_style)
    }

    /// The order in which a line's units are drawn from left to right (UAX #9, L2): the
    /// logical order unless the paragraph has right-to-left text. Each unit takes the level of
    /// its first character; a hyphen, that of the word it ends.
    fn visual_order(&self, units: &[Unit]) -> Vec<usize> {
        if self.levels.is_empty() {
            return (0..units.len()).collect();
        }
        let level_at = |at: usize| {
            self.levels
                .get(at.min(self.levels.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        let mut levels: Vec<u8> = Vec::with_capacity(units.len());
        for u in units {
            let level = match *u {
                Unit::Content(i, k) => match &self.content[i][k] {
                    Content::Glyphs { run, range } => {
                        let shaped = &self.runs[*run].0;
                        let cluster = shaped.glyphs.get(range.start).map_or(0, |g| g.cluster);
                        level_at(self.run_at[*run] + cluster)
                    }
                    Content::Note { run, .. } => level_at(self.run_at[*run]),
                    _ => level_at(self.item_at[i]),
                },
                Unit::Glue(i) => level_at(self.item_at[i]),
                Unit::Hyphen(_) => levels.last().copied().unwrap_or(0),
            };
            levels.push(level);
        }
        super::super::bidi::visual_order(&levels)
    }

    /// Draws the space glyph `gid` of style `style` at `x`: invisible, but it puts the word
    /// boundary into the text (between words, and at a line broken at a space).
    fn push_space(&self, texts: &mut Vec<TextBatch>, style: usize, gid: u16, x: Pt) {
        let st = &self.styles[style];
        push_glyph(
            texts,
            st,
            self.fonts,
            PlacedGlyph {
                id: gid,
                x,
                y: -st.rise,
                text: " ".into(),
            },
        );
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
        let placed = match self.glyph_texts.get(run) {
            Some(texts) => shaped.placed_with(texts, range),
            None => shaped.placed(range),
        };
        for mut g in placed {
            g.x += x;
            g.y -= st.rise;
            push_glyph_font(texts, shaped.font, st, g);
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
                fill: Some(CODE_BG),
                stroke: None,
            });
        }
        if st.highlight {
            decorations.push(Item::Rect {
                x,
                y: -st.size * 0.95 - st.rise,
                w,
                h: st.size * 1.25,
                fill: Some(HIGHLIGHT),
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

/// One drawable piece of a line: content `.1` of box `.0`, glue item `.0`, or the hyphen (a
/// shaped run) at the end of a line broken inside a word.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Content(usize, usize),
    Glue(usize),
    Hyphen(usize),
}

/// Glyphs of one font, size and colour on one line, merged into one text item.
struct TextBatch {
    font: FontId,
    size: Pt,
    color: Color,
    glyphs: Vec<PlacedGlyph>,
}

fn push_glyph(texts: &mut Vec<TextBatch>, st: &Style, fonts: &FontSet, g: PlacedGlyph) {
    push_glyph_font(texts, st.font(fonts), st, g);
}

fn push_glyph_font(texts: &mut Vec<TextBatch>, font: FontId, st: &Style, g: PlacedGlyph) {
    match texts.last_mut() {
        Some(t) if t.font == font && t.size == st.size && t.color == st.color => t.glyphs.push(g),
        _ => texts.push(TextBatch {
            font,
            size: st.size,
            color: st.color,
            glyphs: vec![g],
        }),
    }
}
