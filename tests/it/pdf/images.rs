//! PNG variants drawn as they look: eight-bit grey and RGB go into the PDF as the file's own
//! compressed rows (with PNG predictors), everything else is decoded and re-encoded, and
//! transparency becomes a soft mask. Each image is half dark grey and half light grey (or
//! transparent); the rendered page must show both halves in their exact grey.

use super::{build_into, render_gray};
use crate::util::{tempdir, write};

const DARK: u8 = 60;
const LIGHT: u8 = 180;
const W: u32 = 240;
const H: u32 = 120;

/// A PNG `W`×`H` whose left half is `DARK` and right half `LIGHT` (or transparent when
/// `clear_right`), in the given colour type and depth.
fn png(color: png::ColorType, depth: png::BitDepth, clear_right: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, W, H);
    enc.set_color(color);
    enc.set_depth(depth);
    if color == png::ColorType::Indexed {
        enc.set_palette(vec![DARK, DARK, DARK, LIGHT, LIGHT, LIGHT]);
        if clear_right {
            enc.set_trns(vec![255, 0]);
        }
    }
    let mut data = Vec::new();
    for _ in 0..H {
        for x in 0..W {
            let right = x >= W / 2;
            let v = if right { LIGHT } else { DARK };
            let a = if right && clear_right { 0 } else { 255 };
            let px: Vec<u8> = match color {
                png::ColorType::Grayscale => vec![v],
                png::ColorType::GrayscaleAlpha => vec![v, a],
                png::ColorType::Rgb => vec![v, v, v],
                png::ColorType::Rgba => vec![v, v, v, a],
                png::ColorType::Indexed => vec![u8::from(right)],
            };
            if depth == png::BitDepth::Sixteen {
                data.extend(px.iter().flat_map(|&b| [b, b]));
            } else {
                data.extend(px);
            }
        }
    }
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&data).unwrap();
    w.finish().unwrap();
    out
}

/// Pixels of the page whose grey is within 2 of `v`.
fn count(page: &super::Gray, v: u8) -> usize {
    page.data.iter().filter(|&&p| p.abs_diff(v) <= 2).count()
}

#[test]
fn png_variants_render_with_their_colours_and_transparency() {
    use png::{BitDepth::*, ColorType::*};
    let cases = [
        ("grey", Grayscale, Eight, false),
        ("rgb", Rgb, Eight, false),
        ("rgb16", Rgb, Sixteen, false),
        ("rgba-opaque", Rgba, Eight, false),
        ("rgba-clear", Rgba, Eight, true),
        ("greya-clear", GrayscaleAlpha, Eight, true),
        ("indexed", Indexed, Eight, false),
        ("indexed-clear", Indexed, Eight, true),
    ];
    let dir = tempdir();
    let mut failures = Vec::new();
    for (name, color, depth, clear) in cases {
        write(dir.path(), &format!("{name}.png"), png(color, depth, clear));
        let src = write(
            dir.path(),
            &format!("{name}.md"),
            format!("# Image {name}\n\n![]({name}.png)\n"),
        );
        let built = build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
        assert!(
            !built.stderr.contains("warning"),
            "{name}: unexpected warning:\n{}",
            built.stderr
        );
        // 72 dpi: the image is drawn at 96 px per inch, so each half covers about 90×90 px.
        let Some(page) = render_gray(&built.pdf, 1, 72) else {
            return;
        };
        let half = (W as usize / 2) * H as usize * 9 / 16;
        let (dark, light) = (count(&page, DARK), count(&page, LIGHT));
        if dark < half * 8 / 10 {
            failures.push(format!("{name}: {dark} dark pixels, expected about {half}"));
        }
        if clear && light > 0 {
            failures.push(format!(
                "{name}: transparent half drawn ({light} light pixels)"
            ));
        }
        if !clear && light < half * 8 / 10 {
            failures.push(format!(
                "{name}: {light} light pixels, expected about {half}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
