//! Code blocks: highlighted monospace lines on a light background, wrapped at the margin with a
//! continuation mark, one fragment per visual line so a block can break across pages.

use super::{Ctx, Fragment, CODE_BG};
use crate::backend::pdf::fonts::Family;
use crate::backend::pdf::frame::{Color, Item, PlacedGlyph, Pt};
use crate::backend::pdf::shape::shape;
use crate::highlight::{highlight, TokenClass};

/// Spaces a tab advances to (the next multiple of).
const TAB: usize = 4;

impl Ctx<'_> {
    /// Lays out a code block.
    pub fn code(&mut self, lang: Option<&str>, text: &str, indent: Pt, width: Pt) -> Vec<Fragment> {
        let size = self.m.code;
        let leading = size * 1.32;
        let pad = size * 0.7;
        let inner = width - 2.0 * pad;
        let lang_str = self.doc.meta.lang.clone();
        let regular = self.fonts.select(Family::Mono, false, false);
        let bold = self.fonts.select(Family::Mono, true, false);
        let face = self.fonts.face(regular);
        let ascent = face.ascender * size;
        let mut lines: Vec<Vec<Item>> = Vec::new();
        let mut current: Vec<Item> = Vec::new();
        let mut x: Pt = 0.0;
        let mut missing = Vec::new();
        let mark = shape(self.fonts, "↪", regular, size * 0.9, &lang_str);
        for spans in highlight(lang, text) {
            let mut col = 0usize;
            for span in spans {
                let expanded = expand_tabs(&span.text, &mut col);
                let font = if matches!(span.class, TokenClass::Keyword) { bold } else { regular };
                let (r, g, b) = span.class.color();
                let color = Color(f32::from(r) / 255.0, f32::from(g) / 255.0, f32::from(b) / 255.0);
                for c in crate::backend::pdf::shape::missing_chars(self.fonts, &expanded, font) {
                    missing.push(c);
                }
                for run in shape(self.fonts, &expanded, font, size, &lang_str) {
                    let texts = run.glyph_texts();
                    let mut glyphs = Vec::new();
                    for (g, t) in run.glyphs.iter().zip(texts) {
                        if x + g.advance > inner + 0.01 && x > 0.0 {
                            // Wrap: flush this line, start a continuation line with a mark.
                            if !glyphs.is_empty() {
                                current.push(Item::Text { x: 0.0, y: 0.0, font: run.font, size, color, glyphs: std::mem::take(&mut glyphs) });
                            }
                            lines.push(std::mem::take(&mut current));
                            for m in &mark {
                                let n = m.glyphs.len();
                                let mut placed = m.placed(0..n);
                                placed.iter_mut().for_each(|p| p.text.clear());
                                current.push(Item::Text { x: -pad * 0.95, y: 0.0, font: m.font, size: size * 0.9, color: Color(0.45, 0.45, 0.45), glyphs: placed });
                            }
                            x = 0.0;
                        }
                        glyphs.push(PlacedGlyph { id: g.id, x: x + g.x_offset, y: -g.y_offset, text: t.to_owned() });
                        x += g.advance;
                    }
                    if !glyphs.is_empty() {
                        current.push(Item::Text { x: 0.0, y: 0.0, font: run.font, size, color, glyphs });
                    }
                }
            }
            lines.push(std::mem::take(&mut current));
            x = 0.0;
        }
        self.note_missing(missing);
        let n = lines.len();
        let mut frags = Vec::with_capacity(n);
        for (i, items) in lines.into_iter().enumerate() {
            let top_pad = if i == 0 { pad * 0.8 } else { 0.0 };
            let bottom_pad = if i + 1 == n { pad * 0.8 } else { 0.0 };
            let height = leading + top_pad + bottom_pad;
            let baseline = top_pad + (leading - size * 1.2) / 2.0 + ascent;
            let mut all = vec![Item::Rect { x: indent, y: 0.0, w: width, h: height, fill: Some(CODE_BG), stroke: None }];
            for mut it in items {
                crate::backend::pdf::inline::translate(&mut it, indent + pad, baseline);
                all.push(it);
            }
            // Short blocks stay whole; longer ones keep two lines together at each end.
            let keep = n <= 6 || i == 0 || i + 2 == n;
            frags.push(Fragment { height, items: all, keep_with_next: keep && i + 1 < n, baseline: Some(baseline), ..Fragment::default() });
        }
        frags
    }
}

/// Expands tabs to the next multiple of [`TAB`] columns, tracking the column across spans.
fn expand_tabs(text: &str, col: &mut usize) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' {
            let n = TAB - *col % TAB;
            out.extend(std::iter::repeat_n(' ', n));
            *col += n;
        } else {
            out.push(c);
            *col += 1;
        }
    }
    out
}
