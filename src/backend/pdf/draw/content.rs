//! Page content streams: the display list of one frame as PDF operators.
//!
//! Frames have their origin at the top-left with y down; PDF has it at the bottom-left with y
//! up, so every y becomes `height - y`. Glyphs are written as 2-byte CIDs (raw bytes in literal strings) in `TJ` arrays; a
//! number is inserted only where the glyph's position differs from where the previous glyph's
//! `/W` width left the pen (kerning, justification), which keeps the streams small.

use super::embed::FontUse;
use super::pdfstr::{int, num, sint};
use crate::backend::pdf::frame::{Color, Frame, Item, PlacedGlyph, Pt};
use std::collections::BTreeMap;

/// What the content writer needs to know about the document's resources.
pub(crate) struct Resources<'a> {
    /// Per face id: glyph usage and `/W` widths (thousandths of an em per CID).
    pub fonts: &'a [Option<(FontUse, Vec<i32>)>],
    /// Image resource number per asset key (only images that can be drawn).
    pub images: &'a BTreeMap<String, usize>,
}

fn color(out: &mut Vec<u8>, c: Color, op: &[u8]) {
    num(out, c.0);
    out.push(b' ');
    num(out, c.1);
    out.push(b' ');
    num(out, c.2);
    out.push(b' ');
    out.extend_from_slice(op);
    out.push(b'\n');
}

fn nums(out: &mut Vec<u8>, values: &[Pt], op: &[u8]) {
    for v in values {
        num(out, *v);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

/// The open text object: consecutive text items share one `BT`..`ET`, and items on the
/// same baseline in the same font continue the same `TJ` array (a justified line of words is
/// one array), which keeps pages small and fast to write.
struct Text {
    /// Face and size set with `Tf`.
    font: Option<(u16, Pt)>,
    /// A `TJ` array is open.
    tj: bool,
    /// Absolute PDF y of the current text line (`Tm`).
    line_y: f32,
    /// Absolute x where the viewer's pen is, after the glyphs written so far.
    pen: f64,
}

impl Text {
    fn close_tj(&mut self, out: &mut Vec<u8>) {
        if self.tj {
            out.extend_from_slice(b")] TJ\n");
            self.tj = false;
        }
    }
}

/// Writes the content stream of one page (uncompressed).
pub(crate) fn page_content(frame: &Frame, res: &Resources<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame.items.len() * 16 + 256);
    let h = frame.height;
    // Fill colour is graphics state; remember it to skip redundant operators.
    let mut fill: Option<Color> = None;
    let mut text: Option<Text> = None;
    for item in &frame.items {
        if !matches!(
            item,
            Item::Text { .. } | Item::Link { .. } | Item::Anchor { .. }
        ) {
            if let Some(mut t) = text.take() {
                t.close_tj(&mut out);
                out.extend_from_slice(b"ET\n");
            }
        }
        match item {
            Item::Text {
                x,
                y,
                font,
                size,
                color: c,
                glyphs,
            } => {
                let Some(Some((usage, widths))) = res.fonts.get(usize::from(font.0)) else {
                    continue;
                };
                if glyphs.is_empty() {
                    continue;
                }
                let t = text.get_or_insert_with(|| {
                    out.extend_from_slice(b"BT\n");
                    Text {
                        font: None,
                        tj: false,
                        line_y: f32::NAN,
                        pen: 0.0,
                    }
                });
                if fill != Some(*c) {
                    t.close_tj(&mut out);
                    color(&mut out, *c, b"rg");
                    fill = Some(*c);
                }
                if t.font != Some((font.0, *size)) {
                    t.close_tj(&mut out);
                    out.extend_from_slice(b"/F");
                    int(&mut out, u64::from(font.0));
                    out.push(b' ');
                    num(&mut out, *size);
                    out.extend_from_slice(b" Tf\n");
                    t.font = Some((font.0, *size));
                }
                text_run(&mut out, t, *x, h - *y, *size, glyphs, usage, widths);
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                fill: f,
                stroke,
            } => {
                if f.is_none() && stroke.is_none() {
                    continue;
                }
                out.extend_from_slice(b"q\n");
                if let Some(f) = f {
                    color(&mut out, *f, b"rg");
                }
                if let Some((sc, sw)) = stroke {
                    color(&mut out, *sc, b"RG");
                    nums(&mut out, &[*sw], b"w");
                }
                nums(&mut out, &[*x, h - *y - *rh, *w, *rh], b"re");
                let op: &[u8] = match (f.is_some(), stroke.is_some()) {
                    (true, true) => b"B\n",
                    (true, false) => b"f\n",
                    _ => b"S\n",
                };
                out.extend_from_slice(op);
                out.extend_from_slice(b"Q\n");
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color: c,
            } => {
                out.extend_from_slice(b"q\n");
                color(&mut out, *c, b"RG");
                nums(&mut out, &[*width], b"w");
                nums(&mut out, &[*x1, h - *y1], b"m");
                nums(&mut out, &[*x2, h - *y2], b"l");
                out.extend_from_slice(b"S\nQ\n");
            }
            Item::Image {
                x,
                y,
                w,
                h: ih,
                asset,
            } => {
                let Some(n) = res.images.get(asset) else {
                    continue;
                };
                out.extend_from_slice(b"q\n");
                nums(&mut out, &[*w, 0.0, 0.0, *ih, *x, h - *y - *ih], b"cm");
                out.extend_from_slice(b"/Im");
                int(&mut out, *n as u64);
                out.extend_from_slice(b" Do\nQ\n");
            }
            Item::Link { .. } | Item::Anchor { .. } => {}
        }
    }
    if let Some(mut t) = text.take() {
        t.close_tj(&mut out);
        out.extend_from_slice(b"ET\n");
    }
    out
}

/// One text run, continuing the open `TJ` where the baseline allows; a glyph with a vertical
/// offset (a mark placed by the shaper) starts a new line with `Tm`.
#[allow(clippy::too_many_arguments)]
fn text_run(
    out: &mut Vec<u8>,
    t: &mut Text,
    x0: Pt,
    baseline: Pt,
    size: Pt,
    glyphs: &[PlacedGlyph],
    usage: &FontUse,
    widths: &[i32],
) {
    let size = f64::from(if size.abs() < 1e-6 { 1.0 } else { size });
    for g in glyphs {
        let gx = f64::from(x0) + f64::from(g.x);
        let gy = baseline - g.y;
        if !t.tj || gy != t.line_y {
            t.close_tj(out);
            nums(out, &[1.0, 0.0, 0.0, 1.0, gx as f32, gy], b"Tm");
            // The pen is where `Tm` put it (rounded to 1/100 as written).
            t.pen = (gx * 100.0).round() / 100.0;
            t.line_y = gy;
            out.extend_from_slice(b"[(");
            t.tj = true;
        }
        // TJ numbers are thousandths of the font size, positive moving left.
        let adj = (-(gx - t.pen) * 1000.0 / size).round() as i64;
        if adj != 0 {
            out.extend_from_slice(b") ");
            sint(out, adj);
            out.extend_from_slice(b" (");
            t.pen -= adj as f64 * size / 1000.0;
        }
        let cid = usage.cid(g.id, &g.text);
        for b in cid.to_be_bytes() {
            // Two raw bytes per glyph in a literal string; only the delimiters, the escape
            // character and line ends (which a reader would normalise) need a backslash.
            match b {
                b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\n' => out.extend_from_slice(b"\\n"),
                _ => out.push(b),
            }
        }
        let w = widths.get(usize::from(cid)).copied().unwrap_or(0);
        t.pen += f64::from(w) * size / 1000.0;
    }
}
