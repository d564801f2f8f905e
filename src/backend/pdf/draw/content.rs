//! Page content streams: the display list of one frame as PDF operators.
//!
//! Frames have their origin at the top-left with y down; PDF has it at the bottom-left with y
//! up, so every y becomes `height - y`. Glyphs are written as 2-byte CIDs in `TJ` arrays; a
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

const HEX: &[u8; 16] = b"0123456789ABCDEF";

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

/// Writes the content stream of one page (uncompressed).
pub(crate) fn page_content(frame: &Frame, res: &Resources<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame.items.len() * 64);
    let h = frame.height;
    // Fill colour and font are graphics state; remember them to skip redundant operators.
    let mut fill: Option<Color> = None;
    let mut font_state: Option<(u16, Pt)> = None;
    for item in &frame.items {
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
                if fill != Some(*c) {
                    color(&mut out, *c, b"rg");
                    fill = Some(*c);
                }
                out.extend_from_slice(b"BT\n");
                if font_state != Some((font.0, *size)) {
                    out.extend_from_slice(b"/F");
                    int(&mut out, u64::from(font.0));
                    out.push(b' ');
                    num(&mut out, *size);
                    out.extend_from_slice(b" Tf\n");
                    font_state = Some((font.0, *size));
                }
                text_run(&mut out, *x, h - *y, *size, glyphs, usage, widths);
                out.extend_from_slice(b"ET\n");
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
    out
}

/// One text run: `Tm` at its origin, then `TJ` arrays; a glyph with a vertical offset gets
/// its own `Tm` (marks placed by the shaper).
fn text_run(
    out: &mut Vec<u8>,
    x0: Pt,
    baseline: Pt,
    size: Pt,
    glyphs: &[PlacedGlyph],
    usage: &FontUse,
    widths: &[i32],
) {
    let size = if size.abs() < 1e-6 { 1.0 } else { size };
    // Pen position relative to x0, in points, as the viewer will compute it.
    let mut pen = 0.0f64;
    let mut open = false;
    let mut line_y = f32::NAN;
    for g in glyphs {
        let gy = g.y;
        if gy != line_y {
            if open {
                out.extend_from_slice(b">] TJ\n");
                open = false;
            }
            nums(out, &[1.0, 0.0, 0.0, 1.0, x0 + g.x, baseline - gy], b"Tm");
            pen = f64::from(g.x);
            line_y = gy;
        }
        let diff = f64::from(g.x) - pen;
        // TJ numbers are thousandths of the font size, positive moving left.
        let adj = (-diff * 1000.0 / f64::from(size)).round() as i64;
        if !open {
            out.extend_from_slice(b"[<");
            open = true;
        }
        if adj != 0 {
            out.extend_from_slice(b"> ");
            sint(out, adj);
            out.extend_from_slice(b" <");
            pen -= adj as f64 * f64::from(size) / 1000.0;
        }
        let cid = usage.cid(g.id, &g.text);
        out.extend_from_slice(&[
            HEX[usize::from(cid >> 12)],
            HEX[usize::from((cid >> 8) & 15)],
            HEX[usize::from((cid >> 4) & 15)],
            HEX[usize::from(cid & 15)],
        ]);
        let w = widths.get(usize::from(cid)).copied().unwrap_or(0);
        pen += f64::from(w) * f64::from(size) / 1000.0;
    }
    if open {
        out.extend_from_slice(b">] TJ\n");
    }
}
