//! Code blocks: highlighted monospace lines on a light background, wrapped at the margin with a
//! continuation mark, one fragment per visual line so a block can break across pages.

use super::{Ctx, Fragment};
use crate::highlight::{highlight, TokenClass};
use crate::typeset::bidi;
use crate::typeset::fonts::{Family, FontId};
use crate::typeset::frame::{Color, Glyph, Glyphs, Item, Pt};
use crate::typeset::shape::shape_dir;

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
        // How many characters of the code come before each printed line (see
        // `doc::reading_chars`): a page that begins inside the listing begins there.
        let mut starts: Vec<usize> = Vec::new();
        let mut before = 0;
        let mut missing = Vec::new();
        let palette = self.doc.style.code.theme.colors();
        for spans in highlight(lang, text).iter() {
            // The source line with tabs expanded, and each highlighted span's range in it.
            let mut line = String::new();
            let mut styled: Vec<(std::ops::Range<usize>, FontId, Color)> = Vec::new();
            let mut col = 0usize;
            for span in spans.iter() {
                let expanded = expand_tabs(&span.text, &mut col);
                let font = if matches!(span.class, TokenClass::Keyword) {
                    bold
                } else {
                    regular
                };
                let class = crate::highlight::CLASSES
                    .iter()
                    .position(|c| *c == span.class);
                let color = match (&palette, class) {
                    (Some(p), Some(i)) => {
                        let (r, g, b) = p[i];
                        Color(
                            f32::from(r) / 255.0,
                            f32::from(g) / 255.0,
                            f32::from(b) / 255.0,
                        )
                    }
                    // "mono": code in the text's colour.
                    _ => self.doc.style.colors.text.color(),
                };
                missing.extend(crate::typeset::shape::missing_chars(
                    self.fonts, &expanded, font,
                ));
                let start = line.len();
                line.push_str(&expanded);
                styled.push((start..line.len(), font, color));
            }
            // Every glyph of the line in visual order (right-to-left stretches shaped in their
            // own direction), then cut into visual lines.
            let mut cells: Vec<Cell> = Vec::with_capacity(line.len());
            for run in bidi::visual_runs_ltr(&line) {
                // The run's spans, shaped a word at a time as prose is (the shaper's cache then
                // knows the words of comments and strings, which recur, rather than each whole
                // span, which seldom does), in the run's direction, in logical order.
                let mut shaped = Vec::new();
                let rtl = run.rtl.then_some(true);
                for (range, font, color) in &styled {
                    let range = range.start.max(run.range.start)..range.end.min(run.range.end);
                    if range.is_empty() {
                        continue;
                    }
                    for word in words_and_spaces(&line[range]) {
                        for piece in shape_dir(self.fonts, word, *font, size, &lang_str, rtl) {
                            shaped.push((piece, *color));
                        }
                    }
                }
                // A right-to-left run is drawn from its logical end: its words and spans in
                // reverse order, the glyphs of each already in visual order.
                if run.rtl {
                    shaped.reverse();
                }
                for (piece, color) in shaped {
                    for (g, t) in piece.glyphs.iter().zip(piece.glyph_texts()) {
                        cells.push(Cell {
                            font: piece.font,
                            color,
                            id: g.id,
                            advance: g.advance,
                            dx: g.x_offset,
                            dy: -g.y_offset,
                            text: t.into(),
                        });
                    }
                }
            }
            let mut first = true;
            let visible = |cells: &[Cell]| -> usize {
                cells
                    .iter()
                    .map(|c| crate::doc::visible_chars(c.text.as_str()))
                    .sum()
            };
            // A wrapped line continues under its own first character, not at the margin, so
            // that the nesting of the code stays visible (as fvextra's `breakautoindent`);
            // never deeper than half the block, so that a continuation keeps room.
            let lead: Pt = cells
                .iter()
                .take_while(|c| c.text.as_str() == " ")
                .map(|c| c.advance)
                .sum::<Pt>()
                .min(inner / 2.0);
            for range in wrap(&cells, inner, inner - lead) {
                starts.push(before + visible(&cells[..range.start]));
                let mut items = Vec::new();
                let mut x = 0.0;
                if !first {
                    // The mark stands just before the continuation: in the indentation's last
                    // column, or in the block's padding for a line that is not indented.
                    let mark = if lead >= size * 0.7 {
                        lead - size * 0.7
                    } else {
                        -pad * 0.95
                    };
                    items.extend(continuation_mark(mark, size));
                    x = lead;
                }
                first = false;
                // A token's glyphs (one face and colour) become one text item, sized once.
                for group in cells[range].chunk_by(|a, b| a.font == b.font && a.color == b.color) {
                    let (font, color) = (group[0].font, group[0].color);
                    let bytes = group.iter().map(|c| c.text.as_str().len()).sum();
                    let fill = |glyphs: &mut Glyphs, x: &mut Pt| {
                        glyphs.reserve(group.len(), bytes);
                        for c in group {
                            glyphs.push(Glyph {
                                id: c.id,
                                x: *x + c.dx,
                                y: c.dy,
                                text: c.text.as_str(),
                            });
                            *x += c.advance;
                        }
                    };
                    match items.last_mut() {
                        Some(Item::Text {
                            font: f,
                            color: k,
                            size: s,
                            glyphs,
                            ..
                        }) if *f == font && *k == color && *s == size => fill(glyphs, &mut x),
                        _ => {
                            let mut glyphs = Glyphs::default();
                            fill(&mut glyphs, &mut x);
                            items.push(Item::Text {
                                x: 0.0,
                                y: 0.0,
                                font,
                                size,
                                color,
                                glyphs,
                                node: None,
                                lang: None,
                            });
                        }
                    }
                }
                lines.push(items);
            }
            before += visible(&cells);
        }
        self.note_missing(missing);
        let n = lines.len();
        let mut frags = Vec::with_capacity(n);
        for (i, items) in lines.into_iter().enumerate() {
            let top_pad = if i == 0 { pad * 0.8 } else { 0.0 };
            let bottom_pad = if i + 1 == n { pad * 0.8 } else { 0.0 };
            let height = leading + top_pad + bottom_pad;
            let baseline = top_pad + (leading - size * 1.2) / 2.0 + ascent;
            // Code reads left to right in any document; only its block moves to the start side.
            let left = self.start_x(indent, width);
            let mut all = vec![Item::Rect {
                x: left,
                y: 0.0,
                w: width,
                h: height,
                fill: Some(self.doc.style.colors.code_background.color()),
                stroke: None,
            }];
            for mut it in items {
                it.translate(left + pad, baseline);
                all.push(it);
            }
            // Short blocks stay whole; longer ones keep two lines together at each end.
            let keep = n <= 6 || i == 0 || i + 2 == n;
            frags.push(Fragment {
                height,
                items: all,
                keep_with_next: keep && i + 1 < n,
                baseline: Some(baseline),
                source: Some((self.loc, Some(starts[i]))),
                ..Fragment::default()
            });
        }
        frags
    }
}

/// One glyph of a code line before wrapping.
struct Cell {
    font: crate::typeset::fonts::FontId,
    color: Color,
    id: u16,
    advance: Pt,
    dx: Pt,
    dy: Pt,
    text: CellText,
}

/// A cell's text: nearly always one character, so it is held inline (a code block's line is
/// cut into cells before it is wrapped, and a heap string per cell was slow).
#[derive(Clone, PartialEq, Eq)]
enum CellText {
    /// Up to `INLINE` bytes of UTF-8 and their length.
    Inline(u8, [u8; CellText::INLINE]),
    /// Anything longer (a long cluster).
    Heap(Box<str>),
}

impl CellText {
    const INLINE: usize = 15;

    fn as_str(&self) -> &str {
        match self {
            // Only whole UTF-8 strings are ever stored inline (see `From<&str>`).
            CellText::Inline(len, bytes) => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            CellText::Heap(s) => s,
        }
    }
}

impl From<&str> for CellText {
    fn from(s: &str) -> Self {
        if s.len() <= Self::INLINE {
            let mut bytes = [0; Self::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            CellText::Inline(s.len() as u8, bytes)
        } else {
            CellText::Heap(s.into())
        }
    }
}

/// Cuts a line of glyphs into ranges no wider than `first` (the first range) and `rest` (the
/// continuations): after the last space or punctuation that fits when there is one in the
/// range's second half, else at the margin. Never after `_`: identifiers read as one word.
fn wrap(cells: &[Cell], first: Pt, rest: Pt) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < cells.len() {
        let width = if out.is_empty() { first } else { rest };
        let mut x = 0.0;
        let mut end = start;
        while end < cells.len() && (end == start || x + cells[end].advance <= width + 0.01) {
            x += cells[end].advance;
            end += 1;
        }
        if end < cells.len() {
            let min = start + (end - start) / 2;
            let soft = (min..end).rev().find(|&i| {
                let t = cells[i].text.as_str();
                t == " " || (t.len() == 1 && "/.,;:)]}>&|=".contains(t))
            });
            if let Some(i) = soft {
                end = i + 1;
            }
        }
        out.push(start..end);
        start = end;
    }
    if out.is_empty() {
        out.push(0..0);
    }
    out
}

/// `text` cut into its words and its runs of spaces, in order.
fn words_and_spaces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let space = rest.starts_with(' ');
        let end = rest
            .find(|c: char| (c == ' ') != space)
            .unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        (!piece.is_empty()).then_some(piece)
    })
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

/// A hooked arrow (↪) before a wrapped line's continuation, drawn rather than set: it is
/// decoration, so it must not enter copied text, and every glyph of a tagged file needs text.
fn continuation_mark(x: Pt, size: Pt) -> Vec<Item> {
    let color = Color(0.45, 0.45, 0.45);
    let width = size * 0.06;
    let line = |x1: Pt, y1: Pt, x2: Pt, y2: Pt| Item::Line {
        x1,
        y1,
        x2,
        y2,
        width,
        color,
    };
    let (top, base, end) = (-size * 0.62, -size * 0.28, x + size * 0.62);
    let head = size * 0.16;
    vec![
        line(x + size * 0.08, top, x + size * 0.08, base),
        line(x + size * 0.08, base, end, base),
        line(end - head, base - head, end, base),
        line(end - head, base + head, end, base),
    ]
}
