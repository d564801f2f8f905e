//! Tables: column widths from content (like a browser's automatic layout), cells wrapped,
//! header repeated on every page, light rules and zebra shading; too wide tables shrink their
//! type to a floor and then wrap, so nothing ever crosses the margin.

use super::{Ctx, Fragment, RULE};
use crate::backend::pdf::frame::{Color, Item, Pt};
use crate::backend::pdf::inline::{translate, Align, Paragraph, Piece, Style};
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
        let mut header = self
            .row_lines(head, align, &widths, indent, pad, &header_style, leading)
            .whole();
        // Rules: above the header and below it.
        header
            .items
            .push(hrule(indent, 0.0, table_w, 0.9, Color(0.2, 0.2, 0.2)));
        let h = header.height;
        header.items.push(hrule(indent, h, table_w, 0.5, RULE));
        let header = Arc::new(header);
        let mut frags = vec![Fragment {
            keep_with_next: true,
            ..(*header).clone()
        }];
        let body_style = Style::body(size);
        // A row taller than a page (a long text in one cell) is cut between lines, with the
        // header repeated above each page's part; room is left for a few lines of notes.
        let limit = (self.max_height - header.height - 4.0 * leading).max(3.0 * leading);
        for (r, cells) in rows.iter().enumerate() {
            let row = self.row_lines(cells, align, &widths, indent, pad, &body_style, leading);
            let parts = row.cut(limit);
            let count = parts.len();
            for (k, mut f) in parts.into_iter().enumerate() {
                let last = k + 1 == count;
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
                if r + 1 == rows.len() && last {
                    let h = f.height;
                    f.items
                        .push(hrule(indent, h, table_w, 0.9, Color(0.2, 0.2, 0.2)));
                }
                f.header = Some(header.clone());
                // The first two rows stay with the header; the last two stay together.
                f.keep_with_next = last && (r == 0 || r + 2 == rows.len());
                frags.push(f);
            }
        }
        if rows.is_empty() {
            if let Some(f) = frags.first_mut() {
                f.keep_with_next = false;
            }
        }
        frags
    }

    /// Lays out the cells of one row side by side, keeping each cell's lines apart so that a
    /// row taller than a page can be cut between them.
    #[allow(clippy::too_many_arguments)]
    fn row_lines(
        &mut self,
        cells: &[Vec<Inline>],
        align: &[ColAlign],
        widths: &[Pt],
        indent: Pt,
        pad: Pt,
        style: &Style,
        leading: Pt,
    ) -> RowLines {
        let vpad = style.size * 0.35;
        let mut x = indent + pad / 2.0;
        let mut height: Pt = leading;
        let mut lines = Vec::new();
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
            let mut y = vpad;
            for mut f in self.lines(&pieces, 0.0, *w, a, leading, false) {
                baseline.get_or_insert(y + f.baseline.unwrap_or(0.0));
                for it in &mut f.items {
                    translate(it, x, 0.0);
                }
                let h = f.height;
                lines.push(CellLine { top: y, frag: f });
                y += h;
            }
            height = height.max(y + vpad);
            x += w + pad;
        }
        RowLines {
            lines,
            height,
            vpad,
            baseline,
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

    /// (widest unbreakable run, natural one-line width) of a cell's pieces, measured on the
    /// items the cell will be set from: the break opportunities are the real ones across style
    /// runs (`**contra**variant` and `` `usize`-like `` are one word each, `usize` before
    /// Japanese text is not), notes, images and formulas count at their widths.
    fn measure(&self, pieces: &[Piece]) -> (Pt, Pt) {
        // No hyphenation (cells are set without it) and no emergency pieces (infinite measure).
        let mut p = Paragraph::new(self.fonts, &self.doc.meta.lang, Pt::INFINITY, false);
        p.add(pieces);
        p.extents()
    }
}

/// A horizontal rule of `width` from `x` to `x + w` at height `y`.
fn hrule(x: Pt, y: Pt, w: Pt, width: Pt, color: Color) -> Item {
    Item::Line {
        x1: x,
        y1: y,
        x2: x + w,
        y2: y,
        width,
        color,
    }
}

/// One line of one cell, at its offset from the row's top.
struct CellLine {
    top: Pt,
    frag: Fragment,
}

/// A laid-out table row before it becomes fragments.
struct RowLines {
    lines: Vec<CellLine>,
    height: Pt,
    /// Padding above the first and below the last line of each cell.
    vpad: Pt,
    baseline: Option<Pt>,
}

impl RowLines {
    /// The row as one fragment.
    fn whole(self) -> Fragment {
        let mut items = Vec::new();
        let mut notes = Vec::new();
        for line in self.lines {
            for mut it in line.frag.items {
                translate(&mut it, 0.0, line.top);
                items.push(it);
            }
            notes.extend(line.frag.notes);
        }
        Fragment {
            height: self.height,
            items,
            notes,
            baseline: self.baseline,
            ..Fragment::default()
        }
    }

    /// The row as one fragment when it is no taller than `limit`, else as parts of about a
    /// quarter of it, so that the pages they fall on fill up. A part ends where no line of any
    /// cell is split (a line that would cross the cut moves to the next part whole), and parts
    /// of one row carry no padding between them, so on one page they read as one row.
    fn cut(self, limit: Pt) -> Vec<Fragment> {
        if self.height <= limit {
            return vec![self.whole()];
        }
        let step = limit / 4.0;
        let (height, vpad, baseline) = (self.height, self.vpad, self.baseline);
        let mut parts: Vec<Vec<CellLine>> = Vec::new();
        let mut rest = self.lines;
        // Where the current part starts, in the row's coordinates.
        let mut start = 0.0;
        while !rest.is_empty() {
            let mut cut = start + step;
            while let Some(top) = rest
                .iter()
                .filter(|l| l.top < cut - 0.01 && l.top + l.frag.height > cut + 0.01)
                .map(|l| l.top)
                .reduce(Pt::min)
            {
                cut = top;
            }
            if cut <= start + 0.01 {
                // A single line taller than the step: it goes whole.
                cut = rest
                    .iter()
                    .map(|l| l.top + l.frag.height)
                    .fold(Pt::INFINITY, Pt::min);
            }
            let (here, later): (Vec<CellLine>, Vec<CellLine>) = rest
                .into_iter()
                .partition(|l| l.top + l.frag.height <= cut + 0.01);
            parts.push(
                here.into_iter()
                    .map(|mut l| {
                        l.top -= start;
                        l
                    })
                    .collect(),
            );
            rest = later;
            start = cut;
        }
        let count = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(k, lines)| {
                let end = lines
                    .iter()
                    .map(|l| l.top + l.frag.height)
                    .fold(0.0, Pt::max);
                RowLines {
                    lines,
                    // The last part keeps the row's bottom padding as laid out.
                    height: if k + 1 == count {
                        (height - start).max(end + vpad)
                    } else {
                        end
                    },
                    vpad,
                    baseline: if k == 0 { baseline } else { None },
                }
                .whole()
            })
            .collect()
    }
}
