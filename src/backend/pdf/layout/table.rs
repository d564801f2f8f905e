//! Tables: column widths from content (like a browser's automatic layout), cells wrapped,
//! header repeated on every page, light rules and zebra shading; too wide tables shrink their
//! type to a floor and then wrap, so nothing ever crosses the margin.

use super::{Ctx, Fragment, RULE};
use crate::backend::pdf::frame::{Color, Item, Pt};
use crate::backend::pdf::inline::{translate, Align, Piece, Style};
use crate::backend::pdf::shape::shape;
use crate::doc::{Align as ColAlign, Inline};
use std::sync::Arc;

/// Smallest type a table shrinks to before its columns wrap harder.
const MIN_SIZE: Pt = 6.5;
const ZEBRA: Color = Color(0.955, 0.955, 0.955);

impl Ctx<'_> {
    /// Lays out a table: one fragment per row, each carrying the header to repeat.
    pub fn table(
        &mut self,
        align: &[ColAlign],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        let cols = align.len().max(1);
        let mut size = self.m.small;
        let (mut mins, mut maxs) = self.column_widths(head, rows, cols, size);
        let gap = |size: Pt| size * 0.9;
        let fixed = |size: Pt| gap(size) * cols as Pt;
        let sum_min: Pt = mins.iter().sum();
        if sum_min + fixed(size) > width {
            let shrink = ((width - fixed(size)).max(1.0) / sum_min).clamp(MIN_SIZE / size, 1.0);
            size *= shrink;
            let (a, b) = self.column_widths(head, rows, cols, size);
            mins = a;
            maxs = b;
        }
        let pad = gap(size);
        let avail = (width - fixed(size)).max(cols as Pt);
        let sum_min: Pt = mins.iter().sum();
        let sum_max: Pt = maxs.iter().sum();
        let widths: Vec<Pt> = if sum_max <= avail {
            maxs.clone()
        } else if sum_min <= avail {
            let extra = avail - sum_min;
            let slack: Pt = maxs
                .iter()
                .zip(&mins)
                .map(|(a, b)| a - b)
                .sum::<Pt>()
                .max(0.001);
            mins.iter()
                .zip(&maxs)
                .map(|(mn, mx)| mn + extra * (mx - mn) / slack)
                .collect()
        } else {
            // Even the longest words do not fit: share the room by need; words then break.
            mins.iter()
                .map(|mn| avail * mn / sum_min.max(0.001))
                .collect()
        };
        let table_w: Pt = widths.iter().sum::<Pt>() + fixed(size);
        let leading = size * 1.3;
        let mut header_style = Style::body(size);
        header_style.bold = true;
        let header = self.row(head, align, &widths, indent, pad, &header_style, leading);
        let mut header = header;
        // Rules: above the header and below it.
        header.items.push(Item::Line {
            x1: indent,
            y1: 0.0,
            x2: indent + table_w,
            y2: 0.0,
            width: 0.9,
            color: Color(0.2, 0.2, 0.2),
        });
        let h = header.height;
        header.items.push(Item::Line {
            x1: indent,
            y1: h,
            x2: indent + table_w,
            y2: h,
            width: 0.5,
            color: RULE,
        });
        let header = Arc::new(header);
        let mut frags = vec![Fragment {
            keep_with_next: true,
            ..(*header).clone()
        }];
        let body_style = Style::body(size);
        for (r, cells) in rows.iter().enumerate() {
            let mut f = self.row(cells, align, &widths, indent, pad, &body_style, leading);
            if r % 2 == 1 {
                f.items.insert(
                    0,
                    Item::Rect {
                        x: indent,
                        y: 0.0,
                        w: table_w,
                        h: f.height,
                        fill: Some(ZEBRA),
                        stroke: None,
                    },
                );
            }
            if r + 1 == rows.len() {
                let h = f.height;
                f.items.push(Item::Line {
                    x1: indent,
                    y1: h,
                    x2: indent + table_w,
                    y2: h,
                    width: 0.9,
                    color: Color(0.2, 0.2, 0.2),
                });
            }
            f.header = Some(header.clone());
            // The first two rows stay with the header; the last two stay together.
            f.keep_with_next = r == 0 || r + 2 == rows.len();
            frags.push(f);
        }
        if rows.is_empty() {
            if let Some(f) = frags.first_mut() {
                f.keep_with_next = false;
            }
        }
        frags
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        cells: &[Vec<Inline>],
        align: &[ColAlign],
        widths: &[Pt],
        indent: Pt,
        pad: Pt,
        style: &Style,
        leading: Pt,
    ) -> Fragment {
        let vpad = style.size * 0.35;
        let mut x = indent + pad / 2.0;
        let mut items = Vec::new();
        let mut height: Pt = leading;
        let mut notes = Vec::new();
        let mut baseline = None;
        for (c, w) in widths.iter().enumerate() {
            let empty = Vec::new();
            let cell = cells.get(c).unwrap_or(&empty);
            let pieces = self.pieces(cell, style);
            let a = match align.get(c).copied().unwrap_or(ColAlign::None) {
                ColAlign::Center => Align::Center,
                ColAlign::Right => Align::Right,
                _ => Align::Left,
            };
            let lines = self.lines(&pieces, 0.0, *w, a, leading, false);
            let mut y = vpad;
            for f in lines {
                baseline.get_or_insert(y + f.baseline.unwrap_or(0.0));
                for mut it in f.items {
                    translate(&mut it, x, y);
                    items.push(it);
                }
                notes.extend(f.notes);
                y += f.height;
            }
            height = height.max(y + vpad);
            x += w + pad;
        }
        Fragment {
            height,
            items,
            notes,
            baseline,
            ..Fragment::default()
        }
    }

    /// Narrowest (longest word) and natural (one line) width of each column at `size`.
    fn column_widths(
        &mut self,
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        cols: usize,
        size: Pt,
    ) -> (Vec<Pt>, Vec<Pt>) {
        let mut mins = vec![size; cols];
        let mut maxs = vec![size; cols];
        let all = std::iter::once((head, true)).chain(rows.iter().map(|r| (r.as_slice(), false)));
        for (cells, bold) in all {
            for (c, cell) in cells.iter().enumerate().take(cols) {
                let mut st = Style::body(size);
                st.bold = bold;
                let pieces = self.pieces(cell, &st);
                let (mn, mx) = self.measure(&pieces);
                // A little slack so the breaker never wraps a cell that was measured to fit.
                let (mn, mx) = (mn + size * 0.2, mx + size * 0.4);
                mins[c] = mins[c].max(mn);
                maxs[c] = maxs[c].max(mx);
            }
        }
        (mins, maxs)
    }

    /// (longest word, whole text) widths of pieces.
    fn measure(&self, pieces: &[Piece]) -> (Pt, Pt) {
        let mut longest: Pt = 0.0;
        let mut total: Pt = 0.0;
        for p in pieces {
            if let Piece::Text(text, st) = p {
                let font = st.font(self.fonts);
                for (k, word) in text.split(' ').enumerate() {
                    let w: Pt = shape(self.fonts, word, font, st.size, &self.doc.meta.lang)
                        .iter()
                        .map(|r| r.width)
                        .sum();
                    longest = longest.max(w);
                    total += w + if k > 0 { st.size * 0.3 } else { 0.0 };
                }
            } else if let Piece::NoteMark(..) = p {
                total += 6.0;
            }
        }
        (longest.min(total.max(longest)), total)
    }
}
