//! Tables: column widths from content (like a browser's automatic layout), cells wrapped,
//! header rows repeated on every page, light rules and zebra shading; too wide tables shrink
//! their type to a floor and then wrap, so nothing ever crosses the margin. Columns that cannot
//! share the line even then (a hundred of them) are set in parts one below the other, the first
//! column repeated in each (see `column_groups`), so that no column is lost.
//!
//! Spanning cells (HTML `colspan`/`rowspan`, [`CellSpan`]): a cell is set across the summed
//! widths of its columns and the gaps between them, from the top of its first row. Column
//! widths are decided by the one-column cells first; a spanning cell then widens its columns
//! only as far as their sum (with the gaps) falls short of its need, sharing the difference in
//! proportion to the columns' natural widths. Rows joined by a `rowspan` form a group that is
//! laid out as one fragment (so it never breaks across pages); its last row grows when the
//! spanning cell needs more height than its rows. A group taller than the room on a page (the
//! page less the header and a few lines) is cut into parts: between rows where no line of a
//! spanning cell crosses, else between lines like a single row taller than a page, so a
//! spanning cell's text simply continues on the next page (under the repeated header). Zebra
//! shading belongs to the row a cell starts in: a spanning cell is shaded (or not) over its
//! whole height, and only the cells that start in a row take that row's shade, so no band
//! crosses a spanning cell. All header rows are one
//! fragment, repeated on every page. A span that starts in the header stops at its last row;
//! overlapping spans (malformed HTML) are cut back where they would cover a place already
//! covered or holding text.

use super::{Ctx, Fragment};
use crate::doc::{Align as ColAlign, CellSpan, Row};
use crate::error::Code;
use crate::typeset::frame::{Color, Item, Pt, Role};
use crate::typeset::paragraph::{Align, Paragraph, Piece, Style};
use std::ops::Range;
use std::sync::Arc;

/// Smallest type a table shrinks to before its columns wrap harder.
const MIN_SIZE: Pt = 6.5;

impl Ctx<'_> {
    /// Lays out a table: one fragment for the header rows (repeated above every later page the
    /// table continues on) and one per body row (or group of rows joined by a `rowspan`).
    pub fn table(
        &mut self,
        align: &[ColAlign],
        head: &[Row],
        rows: &[Row],
        spans: &[CellSpan],
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        let cols = align.len().max(1);
        let head_grid = Grid::new(head, spans, 0, cols);
        let body_grid = Grid::new(rows, spans, head.len(), cols);
        let grids = [(head, &head_grid, true), (rows, &body_grid, false)];
        let mut size = self.m.small;
        let (mut mins, mut maxs) = self.column_widths(&grids, cols, size);
        let sum_min: Pt = mins.iter().sum();
        if sum_min + fixed(size, cols) > width {
            let shrink =
                ((width - fixed(size, cols)).max(1.0) / sum_min).clamp(MIN_SIZE / size, 1.0);
            size *= shrink;
            let (a, b) = self.column_widths(&grids, cols, size);
            mins = a;
            maxs = b;
        }
        let groups = column_groups(&mins, size, width);
        if groups.len() > 1 {
            return self.table_in_groups(align, head, rows, spans, &groups, size, indent, width);
        }
        let parts = TableParts {
            align,
            head,
            rows,
            head_grid: &head_grid,
            body_grid: &body_grid,
        };
        self.set_table(&parts, size, &mins, &maxs, indent, width)
    }

    /// A table too wide for the page even in the smallest type, set as several tables one
    /// below the other, each with some of the columns (see [`column_groups`]); the first
    /// column, when narrow, is repeated in each so that the rows can still be told apart. Each
    /// part is a table of its own in the structure, with its own header rows. Nothing is
    /// dropped: every cell is set in the part that holds its column.
    #[allow(clippy::too_many_arguments)]
    fn table_in_groups(
        &mut self,
        align: &[ColAlign],
        head: &[Row],
        rows: &[Row],
        spans: &[CellSpan],
        groups: &[Vec<usize>],
        size: Pt,
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        self.warn(
            Code::WideTable,
            format!(
            "a table of {} columns is too wide for the page even in {MIN_SIZE} pt type; it is set \
             in {} parts one below the other{}",
            align.len(),
            groups.len(),
            if groups[1].first() == Some(&0) {
                ", its first column repeated in each"
            } else {
                ""
            }
        ),
        );
        // The parts after the first are tables of their own beside the first in the structure.
        let table = self.node;
        let parent = table.and_then(|t| self.flow.structure.get(t as usize)?.parent);
        let mut out = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            let pick = |row: &Row| -> Row {
                group
                    .iter()
                    .map(|&c| row.get(c).cloned().unwrap_or_default())
                    .collect()
            };
            let head: Vec<Row> = head.iter().map(pick).collect();
            let rows: Vec<Row> = rows.iter().map(pick).collect();
            let align: Vec<ColAlign> = group
                .iter()
                .map(|&c| align.get(c).copied().unwrap_or(ColAlign::None))
                .collect();
            let spans = group_spans(spans, group);
            let cols = group.len();
            let head_grid = Grid::new(&head, &spans, 0, cols);
            let body_grid = Grid::new(&rows, &spans, head.len(), cols);
            let grids = [
                (&head[..], &head_grid, true),
                (&rows[..], &body_grid, false),
            ];
            let (mins, maxs) = self.column_widths(&grids, cols, size);
            let parts = TableParts {
                align: &align,
                head: &head,
                rows: &rows,
                head_grid: &head_grid,
                body_grid: &body_grid,
            };
            let scope = (g > 0).then(|| self.open_in(parent, Role::Table));
            let mut frags = self.set_table(&parts, size, &mins, &maxs, indent, width);
            if let Some(scope) = scope {
                self.close(scope, &mut frags);
            }
            if let Some(first) = frags.first_mut() {
                if g > 0 {
                    // Room between the parts, as between paragraphs.
                    first.space_before = first.space_before.max(self.m.leading);
                }
            }
            // A part need not share a page with the next one (a chain of hundreds of parts
            // kept together cannot be paginated).
            if g + 1 < groups.len() {
                if let Some(last) = frags.last_mut() {
                    last.keep_with_next = false;
                }
            }
            out.extend(frags);
        }
        out
    }

    /// Sets a table (or one part of one) at type size `size` with its columns' narrowest and
    /// natural widths.
    fn set_table(
        &mut self,
        t: &TableParts,
        size: Pt,
        mins: &[Pt],
        maxs: &[Pt],
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        let TableParts {
            align,
            head,
            rows,
            head_grid,
            body_grid,
        } = *t;
        let cols = align.len().max(1);
        let pad = gap(size);
        let avail = (width - fixed(size, cols)).max(cols as Pt);
        let sum_min: Pt = mins.iter().sum();
        let sum_max: Pt = maxs.iter().sum();
        let widths: Vec<Pt> = if sum_max <= avail {
            maxs.to_vec()
        } else if sum_min <= avail {
            let extra = avail - sum_min;
            let slack: Pt = maxs
                .iter()
                .zip(mins)
                .map(|(a, b)| a - b)
                .sum::<Pt>()
                .max(0.001);
            mins.iter()
                .zip(maxs)
                .map(|(mn, mx)| mn + extra * (mx - mn) / slack)
                .collect()
        } else {
            // Even the longest words do not fit: share the room by need; words then break.
            mins.iter()
                .map(|mn| avail * mn / sum_min.max(0.001))
                .collect()
        };
        let table_w: Pt = widths.iter().sum::<Pt>() + fixed(size, cols);
        let mirror = (self.doc.meta.rtl() == Some(true)).then_some(self.measure);
        let plan = Columns::new(&widths, indent, pad, table_w, mirror);
        // The rules span the table, on the start side.
        let rule_x = plan.place(indent, table_w);
        let leading = size * 1.3;
        let dark = Color(0.2, 0.2, 0.2);
        let header = (!head.is_empty()).then(|| {
            let mut header_style = self.text_style(size);
            header_style.bold = true;
            let mut header = self
                .band(
                    head,
                    head_grid,
                    0..head.len(),
                    &plan,
                    align,
                    &header_style,
                    leading,
                    |_| false,
                    true,
                )
                .whole();
            // Rules: above the header and below its last row.
            header.items.push(hrule(rule_x, 0.0, table_w, 0.9, dark));
            let h = header.height;
            header.items.push(hrule(
                rule_x,
                h,
                table_w,
                0.5,
                self.doc.style.colors.rule.color(),
            ));
            Arc::new(header)
        });
        let mut frags = Vec::new();
        if let Some(header) = &header {
            frags.push(Fragment {
                keep_with_next: true,
                ..(**header).clone()
            });
        }
        let body_style = self.text_style(size);
        // A row (or group) taller than a page (a long text in one cell) is cut between lines,
        // with the header repeated above each page's part; room is left for a few lines of
        // notes.
        let header_h = header.as_ref().map_or(0.0, |h| h.height);
        let limit = (self.max_height - header_h - 4.0 * leading).max(3.0 * leading);
        let bands = body_grid.bands();
        for (b, range) in bands.iter().enumerate() {
            let band = self.band(
                rows,
                body_grid,
                range.clone(),
                &plan,
                align,
                &body_style,
                leading,
                |r| r % 2 == 1,
                false,
            );
            let parts = band.cut(limit);
            let count = parts.len();
            for (k, mut f) in parts.into_iter().enumerate() {
                let last = k + 1 == count;
                if b == 0 && k == 0 && header.is_none() {
                    // No header: the rule above the table tops the first row.
                    f.items.push(hrule(rule_x, 0.0, table_w, 0.9, dark));
                }
                if b + 1 == bands.len() && last {
                    let h = f.height;
                    f.items.push(hrule(rule_x, h, table_w, 0.9, dark));
                }
                f.header = header.clone();
                // The first two rows stay with the header; the last two stay together.
                f.keep_with_next = last && (b == 0 || b + 2 == bands.len());
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

    /// Lays out the rows `range` of `rows` (a group no span crosses) as one block, keeping each
    /// cell's lines apart so that a block taller than a page can be cut between them. Every
    /// cell is set across the columns it spans, from the top of its first row; a row is as tall
    /// as its tallest one-row cell, and the last row a spanning cell covers grows when the cell
    /// needs more. The cells that start in a row for which `shaded` holds get the zebra tint,
    /// over all the rows they span.
    #[allow(clippy::too_many_arguments)]
    fn band(
        &mut self,
        rows: &[Row],
        grid: &Grid,
        range: Range<usize>,
        plan: &Columns,
        align: &[ColAlign],
        style: &Style,
        leading: Pt,
        shaded: impl Fn(usize) -> bool,
        header: bool,
    ) -> RowLines {
        let vpad = style.size * 0.35;
        let empty = Vec::new();
        // Each cell: (row, column, rows, columns, its lines at their offsets, its height).
        let mut cells = Vec::new();
        let table = self.node;
        for r in range.clone() {
            // Each row and cell is a structure node: header cells name their columns.
            let row = self.open_in(table, Role::TableRow);
            let row_node = self.node;
            self.close(row, &mut []);
            for c in 0..plan.widths.len() {
                let (h, w) = grid.reach[r][c];
                if h == 0 {
                    continue; // covered by a spanning cell
                }
                let cell = rows[r].get(c).unwrap_or(&empty);
                let pieces = self.pieces(cell, style);
                let a = match align.get(c).copied().unwrap_or(ColAlign::None) {
                    ColAlign::Center => Align::Center,
                    ColAlign::Right => Align::Right,
                    _ => Align::Left,
                };
                let x = plan.place(plan.xs[c], plan.text_width(c, w));
                let mut y = vpad;
                let mut lines = Vec::new();
                let cell_role = if header { Role::HeaderCell } else { Role::Cell };
                let scope = self.open_in(row_node, cell_role);
                let mut set = self.lines_at(&pieces, 0.0, plan.text_width(c, w), a, leading, false);
                self.close(scope, &mut set);
                for mut f in set {
                    for it in &mut f.items {
                        it.translate(x, 0.0);
                    }
                    let h = f.height;
                    lines.push((y, f));
                    y += h;
                }
                cells.push((r, c, h, w, lines, y + vpad));
            }
        }
        // Row heights: one-row cells first, then each spanning cell (by its last row) grows
        // its last row as far as the rows it covers fall short of it.
        let first = range.start;
        let mut heights = vec![leading; range.len()];
        for &(r, _, h, _, _, height) in &cells {
            if h == 1 {
                heights[r - first] = heights[r - first].max(height);
            }
        }
        let mut tall: Vec<_> = cells.iter().filter(|cell| cell.2 > 1).collect();
        tall.sort_by_key(|cell| cell.0 + cell.2);
        for &&(r, _, h, _, _, height) in &tall {
            let (from, to) = (r - first, r - first + h);
            let have: Pt = heights[from..to].iter().sum();
            if height > have {
                heights[to - 1] += height - have;
            }
        }
        let mut tops = Vec::with_capacity(heights.len() + 1);
        let mut top = 0.0;
        for h in &heights {
            tops.push(top);
            top += h;
        }
        tops.push(top);
        let mut shades: Vec<Shade> = Vec::new();
        let mut lines = Vec::new();
        let mut baseline = None;
        for (r, c, h, w, cell, _) in cells {
            let top = tops[r - first];
            if shaded(r) {
                let bottom = tops[r - first + h];
                match shades.last_mut() {
                    // Neighbours of the same height share one rectangle (no seams).
                    Some(s) if s.cols.end == c && s.top == top && s.bottom == bottom => {
                        s.cols.end = c + w;
                    }
                    _ => shades.push(Shade {
                        cols: c..c + w,
                        top,
                        bottom,
                    }),
                }
            }
            for (y, f) in cell {
                baseline.get_or_insert(top + y + f.baseline.unwrap_or(0.0));
                lines.push(CellLine {
                    top: top + y,
                    frag: f,
                });
            }
        }
        let rects = shades
            .into_iter()
            .map(|s| {
                let (x, w) = plan.span(s.cols);
                Rect {
                    fill: self.doc.style.colors.table_stripe.color(),
                    x,
                    w,
                    top: s.top,
                    bottom: s.bottom,
                }
            })
            .collect();
        RowLines {
            lines,
            height: top,
            vpad,
            baseline,
            rects,
            bounds: tops[1..tops.len() - 1].to_vec(),
        }
    }

    /// Narrowest (longest word) and natural (one line) width of each column at `size`: the
    /// one-column cells decide first; then each spanning cell (narrowest spans first) widens
    /// its columns only by what their sum, with the gaps between them, lacks.
    fn column_widths(
        &mut self,
        grids: &[(&[Row], &Grid, bool)],
        cols: usize,
        size: Pt,
    ) -> (Vec<Pt>, Vec<Pt>) {
        let mut mins = vec![size; cols];
        let mut maxs = vec![size; cols];
        let mut wide = Vec::new();
        for &(rows, grid, bold) in grids {
            let mut st = self.text_style(size);
            st.bold = bold;
            for (cells, reach) in rows.iter().zip(&grid.reach) {
                for (c, cell) in cells.iter().enumerate().take(cols) {
                    let w = reach[c].1;
                    if w == 0 {
                        continue;
                    }
                    let pieces = self.pieces(cell, &st);
                    let (mn, mx) = self.measure(&pieces);
                    // A little slack so the breaker never wraps a cell that was measured to fit.
                    let (mn, mx) = (mn + size * 0.2, mx + size * 0.4);
                    if w == 1 {
                        mins[c] = mins[c].max(mn);
                        maxs[c] = maxs[c].max(mx);
                    } else {
                        wide.push((c..c + w, mn, mx));
                    }
                }
            }
        }
        wide.sort_by_key(|(cols, _, _)| cols.len());
        for (span, mn, mx) in wide {
            let gaps = gap(size) * (span.len() - 1) as Pt;
            let weights: Vec<Pt> = maxs[span.clone()].to_vec();
            widen(&mut mins[span.clone()], mn - gaps, &weights);
            widen(&mut maxs[span.clone()], mx - gaps, &weights);
            for c in span {
                maxs[c] = maxs[c].max(mins[c]);
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
        let mut p = Paragraph::new(self.fonts, &self.doc.meta.lang, Pt::INFINITY, false)
            .direction(self.base_dir());
        p.add(pieces);
        p.extents()
    }
}

/// Space between columns (and half of it at the table's edges) at type size `size`.
fn gap(size: Pt) -> Pt {
    size * 0.9
}

/// The room the gaps of `cols` columns take at type size `size`.
fn fixed(size: Pt, cols: usize) -> Pt {
    gap(size) * cols as Pt
}

/// What a table (or a part of one) is set from.
#[derive(Clone, Copy)]
struct TableParts<'t> {
    align: &'t [ColAlign],
    head: &'t [Row],
    rows: &'t [Row],
    head_grid: &'t Grid,
    body_grid: &'t Grid,
}

/// The narrowest a column may be made when columns must share a line that cannot hold all
/// their longest words, in ems: longer words then break inside their cell (as in a table that
/// fits but barely), while a column shorter than this keeps its longest word.
const BREAK_WORDS_AT_EMS: Pt = 8.0;

/// Splits the columns of a table into groups set one below the other when they cannot share
/// a line of `width` even at type size `size` with every column at least as wide as its
/// longest word (capped at [`BREAK_WORDS_AT_EMS`]): the indices of each group's columns.
/// Columns go into a group greedily, in order, at least one each; the first column is
/// repeated at the start of every later group when it takes at most a quarter of the line (a
/// narrow column of names or numbers that tells the rows apart). One group (all columns)
/// when they fit.
fn column_groups(mins: &[Pt], size: Pt, width: Pt) -> Vec<Vec<usize>> {
    let need = |c: usize| mins[c].min(BREAK_WORDS_AT_EMS * size) + gap(size);
    let total: Pt = (0..mins.len()).map(need).sum();
    if mins.len() < 2 || total <= width {
        return vec![(0..mins.len()).collect()];
    }
    let stub = mins.len() > 2 && need(0) <= width / 4.0;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let mut used = 0.0;
    for c in 0..mins.len() {
        // A group takes at least one column besides the repeated first one.
        let fresh = group.is_empty() || (stub && group == [0]);
        if !fresh && used + need(c) > width {
            groups.push(std::mem::take(&mut group));
            used = 0.0;
            if stub {
                group.push(0);
                used = need(0);
            }
        }
        group.push(c);
        used += need(c);
    }
    if !group.is_empty() {
        groups.push(group);
    }
    groups
}

/// The spans of a table restricted to the columns `group` (indices into the table's columns,
/// ascending but for a repeated first column): each span that starts in one of them, moved to
/// its place in the group and cut where the group's columns stop being consecutive.
fn group_spans(spans: &[CellSpan], group: &[usize]) -> Vec<CellSpan> {
    let mut out = Vec::new();
    for s in spans {
        let Some(at) = group.iter().position(|&c| c == s.col as usize) else {
            continue;
        };
        let mut cols = 1;
        while cols < s.cols as usize && group.get(at + cols) == Some(&(s.col as usize + cols)) {
            cols += 1;
        }
        out.push(CellSpan {
            col: at as u32,
            cols: cols as u32,
            ..*s
        });
    }
    out
}

/// Grows `widths` so that they sum to at least `need`, sharing what is missing in proportion to
/// `weights` (evenly when those are all zero).
fn widen(widths: &mut [Pt], need: Pt, weights: &[Pt]) {
    let have: Pt = widths.iter().sum();
    if need <= have || widths.is_empty() {
        return;
    }
    let missing = need - have;
    let total: Pt = weights.iter().sum();
    let n = widths.len() as Pt;
    for (w, k) in widths.iter_mut().zip(weights) {
        *w += if total > 0.0 {
            missing * k / total
        } else {
            missing / n
        };
    }
}

/// Which cell covers each place of a run of rows (the header rows, or the body rows).
#[derive(Debug, PartialEq)]
struct Grid {
    /// For each row and column: (rows, columns) covered by the cell that starts there, or
    /// (0, 0) where a spanning cell from before covers the place.
    reach: Vec<Vec<(usize, usize)>>,
}

impl Grid {
    /// The grid of `rows` (the table's rows `first..first + rows.len()`) under `spans`, cut to
    /// these rows and `cols` columns. A span stops before a place already covered or holding
    /// text, so no two cells ever overlap, whatever the model says.
    fn new(rows: &[Row], spans: &[CellSpan], first: usize, cols: usize) -> Grid {
        let n = rows.len();
        let mut reach = vec![vec![(1, 1); cols]; n];
        let mut spans: Vec<(usize, usize, usize, usize)> = spans
            .iter()
            .map(|s| {
                (
                    s.row as usize,
                    s.col as usize,
                    s.rows as usize,
                    s.cols as usize,
                )
            })
            .filter(|&(r, c, _, _)| r >= first && r - first < n && c < cols)
            .map(|(r, c, h, w)| (r - first, c, h, w))
            .collect();
        spans.sort_unstable();
        for (r, c, want_h, want_w) in spans {
            if reach[r][c] != (1, 1) {
                continue; // covered already, or a second span for one cell
            }
            let free = |reach: &[Vec<(usize, usize)>], r: usize, c: usize| {
                reach[r][c] == (1, 1) && rows[r].get(c).is_none_or(Vec::is_empty)
            };
            let mut w = 1;
            while w < want_w && c + w < cols && free(&reach, r, c + w) {
                w += 1;
            }
            let mut h = 1;
            while h < want_h && r + h < n && (c..c + w).all(|cc| free(&reach, r + h, cc)) {
                h += 1;
            }
            for row in &mut reach[r..r + h] {
                for place in &mut row[c..c + w] {
                    *place = (0, 0);
                }
            }
            reach[r][c] = (h, w);
        }
        Grid { reach }
    }

    /// The rows in groups that no span crosses (a row alone when nothing spans down from it).
    fn bands(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut r = 0;
        while r < self.reach.len() {
            let start = r;
            let mut end = r + 1;
            while r < end {
                end = end.max(r + self.reach[r].iter().map(|p| p.0).max().unwrap_or(1));
                r += 1;
            }
            out.push(start..end);
        }
        out
    }
}

/// Where a table's columns are: each one's text width and left text edge.
struct Columns<'a> {
    widths: &'a [Pt],
    /// Start edge of each column's text (from the start margin).
    xs: Vec<Pt>,
    /// The measure, in a right-to-left document: columns run from the right margin.
    mirror: Option<Pt>,
    pad: Pt,
    indent: Pt,
    table_w: Pt,
}

impl<'a> Columns<'a> {
    fn new(widths: &'a [Pt], indent: Pt, pad: Pt, table_w: Pt, mirror: Option<Pt>) -> Self {
        let mut xs = Vec::with_capacity(widths.len());
        let mut x = indent + pad / 2.0;
        for w in widths {
            xs.push(x);
            x += w + pad;
        }
        Columns {
            widths,
            xs,
            mirror,
            pad,
            indent,
            table_w,
        }
    }

    /// Text width of a cell that starts in column `c` and spans `n` columns: their widths and
    /// the gaps between them.
    fn text_width(&self, c: usize, n: usize) -> Pt {
        if n <= 1 {
            return self.widths[c];
        }
        let end = (c + n).min(self.widths.len());
        self.widths[c..end].iter().sum::<Pt>() + self.pad * (end - c - 1) as Pt
    }

    /// Where a box `w` wide that starts `x` from the start margin is drawn (see
    /// [`Ctx::start_x`]).
    fn place(&self, x: Pt, w: Pt) -> Pt {
        match self.mirror {
            Some(measure) => measure - x - w,
            None => x,
        }
    }

    /// Left edge and width of the columns `cols`, gaps included (for backgrounds).
    fn span(&self, cols: Range<usize>) -> (Pt, Pt) {
        let (x, w) = self.span_start(cols);
        (self.place(x, w), w)
    }

    /// Start edge and width of the columns `cols`, from the start margin.
    fn span_start(&self, cols: Range<usize>) -> (Pt, Pt) {
        let edge = |c: usize| {
            if c == 0 {
                self.indent
            } else if c >= self.widths.len() {
                self.indent + self.table_w
            } else {
                self.xs[c] - self.pad / 2.0
            }
        };
        if cols.start == 0 && cols.end >= self.widths.len() {
            return (self.indent, self.table_w);
        }
        let x = edge(cols.start);
        (x, edge(cols.end) - x)
    }
}

/// Shaded cells of one row, by columns, before they are placed.
struct Shade {
    cols: Range<usize>,
    top: Pt,
    bottom: Pt,
}

/// A background rectangle of a block of rows, in the block's coordinates.
#[derive(Debug, Clone, Copy)]
struct Rect {
    /// The stripe colour (the style's `table-stripe`).
    fill: Color,
    x: Pt,
    w: Pt,
    top: Pt,
    bottom: Pt,
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

/// A laid-out table row (or group of rows) before it becomes fragments.
struct RowLines {
    lines: Vec<CellLine>,
    height: Pt,
    /// Padding above the first and below the last line of each cell.
    vpad: Pt,
    baseline: Option<Pt>,
    /// Zebra backgrounds, drawn under the lines.
    rects: Vec<Rect>,
    /// Where one row ends and the next begins, in a group of rows (empty for one row).
    bounds: Vec<Pt>,
}

impl RowLines {
    /// The row as one fragment.
    fn whole(self) -> Fragment {
        let mut items = Vec::new();
        for r in &self.rects {
            items.push(Item::Rect {
                x: r.x,
                y: r.top,
                w: r.w,
                h: r.bottom - r.top,
                fill: Some(r.fill),
                stroke: None,
            });
        }
        let mut notes = Vec::new();
        for line in self.lines {
            for mut it in line.frag.items {
                it.translate(0.0, line.top);
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
    /// quarter of it (a sixteenth for a group of rows), so that the pages they fall on fill
    /// up. A part ends where no line of any cell is split (a line that would cross the cut
    /// moves to the next part whole), and parts of one row carry no padding between them, so
    /// on one page they read as one row. A group of rows is cut where one row ends and the
    /// next begins when no line (of a spanning cell) crosses there, else between lines like
    /// one row, and its parts keep the space between rows. The backgrounds are cut with the
    /// part they fall in.
    fn cut(self, limit: Pt) -> Vec<Fragment> {
        if self.height <= limit {
            return vec![self.whole()];
        }
        let (height, vpad, baseline) = (self.height, self.vpad, self.baseline);
        let (rects, bounds) = (self.rects, self.bounds);
        let group = !bounds.is_empty();
        // A group is cut finer: its parts are mostly whole rows, which fill a page as closely
        // as the rows of any table.
        let step = limit / if group { 16.0 } else { 4.0 };
        // Each part's lines and where it starts and ends, in the row's coordinates.
        let mut parts: Vec<(Vec<CellLine>, Pt, Pt)> = Vec::new();
        // The lines by their tops (each with its place in the row, to restore the drawing
        // order), so that each cut looks only at the lines near it: `open` holds those that
        // start before the current step's end and are not placed yet, `queue` the later ones.
        let mut queue: Vec<(usize, CellLine)> = self.lines.into_iter().enumerate().collect();
        queue.sort_by(|a, b| a.1.top.total_cmp(&b.1.top));
        let mut queue = queue.into_iter().peekable();
        let mut open: Vec<(usize, CellLine)> = Vec::new();
        let bottom = |l: &CellLine| l.top + l.frag.height;
        let mut start = 0.0;
        while !open.is_empty() || queue.peek().is_some() {
            // Only a line that starts before the step's end can cross a cut or end before it.
            while let Some(l) = queue.next_if(|l| l.1.top <= start + step + 0.01) {
                open.push(l);
            }
            let crossed = |open: &[(usize, CellLine)], at: Pt| {
                open.iter()
                    .map(|l| &l.1)
                    .filter(|l| l.top < at - 0.01 && bottom(l) > at + 0.01)
                    .map(|l| l.top)
                    .reduce(Pt::min)
            };
            let mut cut = start + step;
            while let Some(top) = crossed(&open, cut) {
                cut = top;
            }
            // In a group: the last row boundary within the step that no line crosses.
            let lo = bounds.partition_point(|&b| b <= start + 0.01);
            let hi = bounds.partition_point(|&b| b <= start + step).max(lo);
            if let Some(&b) = bounds[lo..hi]
                .iter()
                .rev()
                .find(|&&b| crossed(&open, b).is_none())
            {
                cut = b;
            }
            if cut <= start + 0.01 {
                // A single line taller than the step: it goes whole, with whatever ends first
                // (a line that starts after a bottom cannot end before it).
                cut = open
                    .iter()
                    .map(|l| bottom(&l.1))
                    .fold(Pt::INFINITY, Pt::min);
                while let Some(l) = queue.next_if(|l| l.1.top <= cut + 0.01) {
                    cut = cut.min(bottom(&l.1));
                    open.push(l);
                }
            }
            let (mut here, later): (Vec<_>, Vec<_>) = std::mem::take(&mut open)
                .into_iter()
                .partition(|l| bottom(&l.1) <= cut + 0.01);
            here.sort_by_key(|l| l.0);
            parts.push((
                here.into_iter()
                    .map(|(_, mut l)| {
                        l.top -= start;
                        l
                    })
                    .collect(),
                start,
                cut,
            ));
            open = later;
            start = cut;
        }
        let count = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(k, (lines, from, to))| {
                let end = lines
                    .iter()
                    .map(|l| l.top + l.frag.height)
                    .fold(0.0, Pt::max);
                // The last part keeps the row's bottom padding as laid out.
                let h = if k + 1 == count {
                    (height - start).max(end + vpad)
                } else if group {
                    to - from
                } else {
                    end
                };
                let rects = rects
                    .iter()
                    .filter(|r| r.bottom > from + 0.01 && r.top < from + h - 0.01)
                    .map(|r| Rect {
                        top: if r.top <= from + 0.01 {
                            0.0
                        } else {
                            r.top - from
                        },
                        bottom: if r.bottom >= from + h - 0.01 {
                            h
                        } else {
                            r.bottom - from
                        },
                        ..*r
                    })
                    .collect();
                RowLines {
                    lines,
                    height: h,
                    vpad,
                    baseline: if k == 0 { baseline } else { None },
                    rects,
                    bounds: Vec::new(),
                }
                .whole()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Inline;

    fn text(s: &str) -> Vec<Inline> {
        if s.is_empty() {
            Vec::new()
        } else {
            vec![Inline::Text { text: s.into() }]
        }
    }

    /// Rows from strings, one cell per character (`.` is an empty cell).
    fn rows(spec: &[&str]) -> Vec<Row> {
        spec.iter()
            .map(|r| {
                r.chars()
                    .map(|c| text(if c == '.' { "" } else { "x" }))
                    .collect()
            })
            .collect()
    }

    fn span(row: u32, col: u32, rows: u32, cols: u32) -> CellSpan {
        CellSpan {
            row,
            col,
            rows,
            cols,
        }
    }

    #[test]
    fn columns_that_cannot_share_the_line_are_set_in_groups() {
        // Fits: one group of all columns.
        assert_eq!(
            column_groups(&[30.0; 4], 6.5, 400.0),
            vec![vec![0, 1, 2, 3]]
        );
        // Long words count up to 8 ems only (they break inside their cell).
        assert_eq!(column_groups(&[500.0; 4], 6.5, 400.0).len(), 1);
        // 100 narrow columns: groups of consecutive columns, the narrow first column repeated
        // in each, none lost.
        let groups = column_groups(&[12.0; 100], 6.5, 400.0);
        assert!(groups.len() > 1);
        let mut seen = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            let need: Pt = group.iter().map(|_| 12.0 + gap(6.5)).sum();
            assert!(need <= 400.0, "group {g} too wide: {need}");
            assert_eq!(group[0], 0);
            seen.extend(group.iter().copied().skip(usize::from(g > 0)));
        }
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
        // A wide first column is not repeated; every group holds at least one column even on
        // a line narrower than any.
        let mut mins = vec![12.0; 40];
        mins[0] = 200.0;
        let groups = column_groups(&mins, 6.5, 200.0);
        assert!(groups.iter().skip(1).all(|g| g[0] != 0));
        let groups = column_groups(&[100.0; 5], 6.5, 20.0);
        assert_eq!(groups, (0..5).map(|c| vec![c]).collect::<Vec<_>>());
    }

    #[test]
    fn spans_are_cut_to_their_column_group() {
        let spans = [span(0, 0, 1, 3), span(1, 2, 2, 4), span(2, 6, 1, 1)];
        // Group 1 repeats column 0, then columns 3 to 5.
        assert_eq!(group_spans(&spans, &[0, 3, 4, 5]), vec![span(0, 0, 1, 1)]);
        assert_eq!(
            group_spans(&spans, &[0, 1, 2, 3]),
            vec![span(0, 0, 1, 3), span(1, 2, 2, 2)]
        );
        assert_eq!(
            group_spans(&spans, &[0, 6]),
            vec![span(0, 0, 1, 1), span(2, 1, 1, 1)]
        );
    }

    #[test]
    fn grid_places_spans_and_groups_rows() {
        // Row 0: a cell over two columns; rows 1-2: a cell over two rows in column 0.
        let body = rows(&["x.x", "xxx", ".xx", "xxx"]);
        let g = Grid::new(&body, &[span(0, 0, 1, 2), span(1, 0, 2, 1)], 0, 3);
        assert_eq!(
            g.reach,
            vec![
                vec![(1, 2), (0, 0), (1, 1)],
                vec![(2, 1), (1, 1), (1, 1)],
                vec![(0, 0), (1, 1), (1, 1)],
                vec![(1, 1), (1, 1), (1, 1)],
            ]
        );
        assert_eq!(g.bands(), vec![0..1, 1..3, 3..4]);
    }

    #[test]
    fn grid_cuts_spans_to_their_rows_and_never_overlaps() {
        // Header rows 0-1; a header cell reaching into the body stops at the header's end.
        let head = rows(&["xx", ".x"]);
        let spans = [span(0, 0, 3, 1), span(2, 0, 1, 5), span(3, 1, 1, 1)];
        assert_eq!(
            Grid::new(&head, &spans, 0, 2).reach,
            vec![vec![(2, 1), (1, 1)], vec![(0, 0), (1, 1)]]
        );
        // Body rows 2-4 (the table's): the colspan is cut to the two columns there are; a
        // rowspan that would run into a cell holding text (malformed) stops before it.
        let body = rows(&["x.", "xx", "xx"]);
        let spans = [span(2, 0, 1, 5), span(3, 0, 3, 1)];
        assert_eq!(
            Grid::new(&body, &spans, 2, 2).reach,
            vec![
                vec![(1, 2), (0, 0)],
                vec![(1, 1), (1, 1)],
                vec![(1, 1), (1, 1)]
            ]
        );
        // A colspan that would cover a place a rowspan from above holds stops before it.
        let body = rows(&["xx.", "x.."]);
        let spans = [span(0, 1, 2, 1), span(1, 0, 1, 3)];
        assert_eq!(
            Grid::new(&body, &spans, 0, 3).reach,
            vec![vec![(1, 1), (2, 1), (1, 1)], vec![(1, 1), (0, 0), (1, 1)]]
        );
        // Spans outside the rows or columns are ignored.
        let g = Grid::new(&rows(&["x"]), &[span(7, 0, 2, 2), span(0, 4, 1, 1)], 0, 1);
        assert_eq!(g.reach, vec![vec![(1, 1)]]);
        assert_eq!(
            Grid::new(&[], &[], 0, 3).bands(),
            Vec::<Range<usize>>::new()
        );
    }

    #[test]
    fn widen_shares_only_what_is_missing() {
        let mut w = vec![10.0, 30.0];
        widen(&mut w, 30.0, &[10.0, 30.0]);
        assert_eq!(w, vec![10.0, 30.0], "enough already");
        widen(&mut w, 80.0, &[10.0, 30.0]);
        assert_eq!(w, vec![20.0, 60.0], "in proportion to the weights");
        let mut w = vec![0.0, 0.0];
        widen(&mut w, 8.0, &[0.0, 0.0]);
        assert_eq!(w, vec![4.0, 4.0], "evenly without weights");
    }
}
