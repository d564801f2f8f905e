//! Raster images drawn as they look: eight-bit grey and RGB PNGs go into the PDF as the file's
//! own compressed rows (with PNG predictors), every other PNG, GIF and WebP is decoded and
//! re-encoded, and transparency becomes a soft mask. Each image is half dark grey and half light grey (or
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

/// The same picture as a GIF (palette of the two greys, the light one transparent when
/// `clear_right`).
fn gif(clear_right: bool) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [DARK, DARK, DARK, LIGHT, LIGHT, LIGHT];
        let mut enc = gif::Encoder::new(&mut out, W as u16, H as u16, &palette).unwrap();
        let pixels: Vec<u8> = (0..H)
            .flat_map(|_| (0..W).map(|x| u8::from(x >= W / 2)))
            .collect();
        let frame = gif::Frame::from_palette_pixels(
            W as u16,
            H as u16,
            pixels,
            palette.to_vec(),
            clear_right.then_some(1),
        );
        enc.write_frame(&frame).unwrap();
    }
    out
}

/// The same picture as a lossless WebP, RGB or RGBA.
fn webp(clear_right: bool) -> Vec<u8> {
    let mut data = Vec::new();
    for _ in 0..H {
        for x in 0..W {
            let right = x >= W / 2;
            let v = if right { LIGHT } else { DARK };
            data.extend([v, v, v]);
            if clear_right {
                data.push(if right { 0 } else { 255 });
            }
        }
    }
    let color = if clear_right {
        image_webp::ColorType::Rgba8
    } else {
        image_webp::ColorType::Rgb8
    };
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(&data, W, H, color)
        .unwrap();
    out
}

/// Pixels of the page whose grey is within 2 of `v`.
fn count(page: &super::Gray, v: u8) -> usize {
    page.data.iter().filter(|&&p| p.abs_diff(v) <= 2).count()
}

#[test]
fn png_gif_and_webp_variants_render_with_their_colours_and_transparency() {
    use png::{BitDepth::*, ColorType::*};
    let pngs = [
        ("grey", Grayscale, Eight, false),
        ("rgb", Rgb, Eight, false),
        ("rgb16", Rgb, Sixteen, false),
        ("rgba-opaque", Rgba, Eight, false),
        ("rgba-clear", Rgba, Eight, true),
        ("greya-clear", GrayscaleAlpha, Eight, true),
        ("indexed", Indexed, Eight, false),
        ("indexed-clear", Indexed, Eight, true),
    ];
    let mut cases: Vec<(String, Vec<u8>, bool)> = pngs
        .iter()
        .map(|&(name, color, depth, clear)| {
            (format!("{name}.png"), png(color, depth, clear), clear)
        })
        .collect();
    for clear in [false, true] {
        cases.push((format!("palette-{clear}.gif"), gif(clear), clear));
        cases.push((format!("lossless-{clear}.webp"), webp(clear), clear));
    }
    let dir = tempdir();
    let mut failures = Vec::new();
    for (name, bytes, clear) in cases {
        write(dir.path(), &name, bytes);
        let stem = name.replace('.', "-");
        let src = write(
            dir.path(),
            &format!("{stem}.md"),
            format!("# Image {name}\n\n![]({name})\n"),
        );
        let built = build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
        // The picture has no alternative text on purpose (no caption to measure around): that
        // warning is expected, any other is not.
        let others: Vec<&str> = built
            .stderr
            .lines()
            .filter(|l| l.contains("warning") && !l.contains("no alternative text"))
            .collect();
        assert!(
            others.is_empty(),
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

/// An image inside running text (an icon in a sentence, a picture in a table cell) is drawn on
/// the line, at most two lines tall, not replaced by its alt text; the words around it stay.
#[test]
fn images_in_running_text_and_table_cells_are_drawn_inline() {
    let dir = tempdir();
    write(
        dir.path(),
        "icon.png",
        png(png::ColorType::Rgb, png::BitDepth::Eight, false),
    );
    let src = write(
        dir.path(),
        "inline.md",
        "# Inline\n\nBefore the icon ![tiny icon](icon.png) and after it.\n\n\
         | Icon | Meaning |\n|---|---|\n| ![cell icon](icon.png) | Explained here |\n",
    );
    let built = build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    let Some(text) = crate::util::pdftotext(&built.pdf) else {
        return;
    };
    for word in ["Before the icon", "and after it.", "Explained here"] {
        assert!(text.contains(word), "'{word}' missing:\n{text}");
    }
    assert!(
        !text.contains("[tiny icon]") && !text.contains("[cell icon]"),
        "an inline image became its alt text:\n{text}"
    );
    // Drawn twice, two lines tall at most: both halves of the picture are on the page.
    let Some(page) = render_gray(&built.pdf, 1, 72) else {
        return;
    };
    let dark = count(&page, DARK);
    assert!(
        dark > 100,
        "the inline images are not drawn ({dark} dark pixels)"
    );
    assert!(
        dark < (W as usize / 2) * H as usize / 4,
        "the inline images are drawn larger than two lines ({dark} dark pixels)"
    );
}

/// A GIF whose header claims a 65535×65535 screen (four billion pixels) is refused with a
/// warning and its alt text, not decoded into a 17 GB buffer.
#[test]
fn an_image_claiming_billions_of_pixels_is_refused_not_allocated() {
    let dir = tempdir();
    let mut gif = b"GIF89a".to_vec();
    gif.extend([
        0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF,
    ]);
    gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]);
    write(dir.path(), "huge.gif", gif);
    let src = write(
        dir.path(),
        "huge.md",
        "# Huge\n\n![Enormous banner](huge.gif)\n\nText after.\n",
    );
    let built = build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
    assert!(
        built.stderr.contains("huge.md:3:") && built.stderr.contains("huge.gif"),
        "{}",
        built.stderr
    );
    if let Some(text) = crate::util::pdftotext(&built.pdf) {
        assert!(
            text.contains("Enormous banner") && text.contains("Text after."),
            "{text}"
        );
    }
}
