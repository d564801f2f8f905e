//! Tests for the PDF writer: validity (qpdf), embedded subsets (pdffonts), exact text
//! (pdftotext), determinism, outline nesting, links and images.

use super::*;
use crate::doc::AssetKind;
use crate::image::can_draw;
use crate::typeset::fonts::Family;
use crate::typeset::frame::{Color, LinkTarget};
use crate::typeset::shape::shape;
use std::process::Command;
use std::sync::Arc;

const LINES: &[&str] = &[
    "Office affinity: fluffy waffles, AVATAR Wave.",
    "Tiếng Việt có dấu: Nguyễn, người, phở, đường.",
    "Ελληνικά: Καλημέρα κόσμε, ἀρχή.",
    "Русский текст: Съешь же ещё этих мягких булок.",
    "Հայերեն: Բարեւ աշխարհ",
    "Azərbaycan dili: Əlifba, Ğğ, İı, Şş.",
    "Combining: e\u{301}te\u{301}, a\u{308}, n\u{303}.",
];

/// A line of text at (x, y) in one face, as the layout would place it.
fn text_items(fonts: &FontSet, text: &str, family: Family, x: f32, y: f32) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pen = x;
    for run in shape(fonts, text, fonts.select(family, false, false), 11.0, "en") {
        items.push(Item::Text {
            x: pen,
            y,
            font: run.font,
            size: run.size,
            color: Color::BLACK,
            glyphs: run.placed(0..run.glyphs.len()),
            node: None,
            lang: None,
        });
        pen += run.width;
    }
    items
}

fn sample(fonts: &FontSet) -> (Vec<Frame>, Vec<OutlineEntry>) {
    let mut frames = Vec::new();
    let mut outline = Vec::new();
    for p in 0..3 {
        let mut items = vec![Item::Anchor {
            id: format!("sec-{p}"),
            y: 60.0,
        }];
        for (i, line) in LINES.iter().enumerate() {
            let family = if i % 3 == 2 {
                Family::Mono
            } else {
                Family::Serif
            };
            items.extend(text_items(
                fonts,
                line,
                family,
                72.0,
                100.0 + 20.0 * i as f32,
            ));
        }
        items.push(Item::Rect {
            x: 72.0,
            y: 300.0,
            w: 100.0,
            h: 20.0,
            fill: Some(Color(0.9, 0.9, 0.9)),
            stroke: Some((Color::BLACK, 0.5)),
        });
        items.push(Item::Line {
            x1: 72.0,
            y1: 330.0,
            x2: 500.0,
            y2: 330.0,
            width: 0.4,
            color: Color::BLACK,
        });
        items.push(Item::Link {
            x: 72.0,
            y: 90.0,
            w: 100.0,
            h: 12.0,
            target: LinkTarget::Anchor("sec-2".into()),
            node: None,
        });
        items.push(Item::Link {
            x: 72.0,
            y: 110.0,
            w: 100.0,
            h: 12.0,
            target: LinkTarget::Uri("https://example.org/a?b=(c)".into()),
            node: None,
        });
        frames.push(Frame {
            width: 595.0,
            height: 842.0,
            items,
            boxes: None,
        });
        outline.push(OutlineEntry {
            level: 1 + (p as u8 % 2) * 2,
            title: format!("Section {p} – Ελληνικά"),
            anchor: format!("sec-{p}"),
        });
    }
    (frames, outline)
}

/// Writes frames (untagged content, as a backend-level test needs no structure).
pub(super) fn write_pdf(
    frames: &[Frame],
    outline: &[OutlineEntry],
    fonts: &Arc<FontSet>,
    assets: &BTreeMap<String, Asset>,
    info: &PdfInfo,
) -> Result<Vec<u8>, WriteError> {
    let paged = Paged {
        pages: frames.to_vec(),
        structure: Vec::new(),
        outline: outline.to_vec(),
        fonts: fonts.clone(),
        diagnostics: Vec::new(),
        faces: Vec::new(),
        page_starts: Vec::new(),
    };
    write(&paged, assets, info, &WriteOptions::default())
}

fn info() -> PdfInfo {
    PdfInfo {
        title: "Test – Ünïcode".into(),
        authors: vec!["Ada".into(), "Grace <Hopper>".into()],
        subject: Some("Testing".into()),
        keywords: vec!["pdf".into(), "fonts".into()],
        lang: "en".into(),
        date: Some(1_700_000_000),
        files: Vec::new(),
    }
}

/// One page of `items`, no outline, no assets, default metadata.
fn write_page(fonts: &Arc<FontSet>, width: Pt, height: Pt, items: Vec<Item>) -> Vec<u8> {
    let frames = vec![Frame {
        width,
        height,
        items,
        boxes: None,
    }];
    write_pdf(&frames, &[], fonts, &BTreeMap::new(), &PdfInfo::default()).unwrap()
}

fn write_sample() -> Vec<u8> {
    let fonts = Arc::new(FontSet::bundled());
    let (frames, outline) = sample(&fonts);
    write_pdf(&frames, &outline, &fonts, &BTreeMap::new(), &info()).unwrap()
}

/// Runs a tool on the PDF; `None` (with a note) when the tool is not installed.
fn tool(bytes: &[u8], cmd: &str, args: &[&str]) -> Option<(bool, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, bytes).unwrap();
    let mut c = Command::new(cmd);
    c.args(args).arg(&path);
    if cmd == "pdftotext" {
        c.arg("-");
    }
    match c.output() {
        Ok(o) => Some((
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
        )),
        Err(_) => {
            eprintln!("note: {cmd} not installed, skipping that check");
            None
        }
    }
}

/// An object, with a reference followed.
fn deref<'a>(doc: &'a lopdf::Document, obj: &'a lopdf::Object) -> &'a lopdf::Object {
    match obj {
        lopdf::Object::Reference(r) => doc.get_object(*r).unwrap(),
        other => other,
    }
}

#[test]
fn qpdf_accepts_the_file() {
    let pdf = write_sample();
    if let Some((ok, out)) = tool(&pdf, "qpdf", &["--check"]) {
        assert!(ok && !out.contains("WARNING"), "{out}");
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    let pdf = write_sample();
    if let Some((ok, out)) = tool(&pdf, "pdffonts", &[]) {
        assert!(ok, "{out}");
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(rows.len() >= 2, "{out}");
        for row in rows {
            let name = row.split_whitespace().next().unwrap();
            assert!(name.len() > 7 && name.as_bytes()[6] == b'+', "{row}");
            assert!(row.contains("yes yes yes"), "emb/sub/uni: {row}");
        }
    }
    assert!(
        pdf.len() < 120_000,
        "subsets expected, got {} bytes",
        pdf.len()
    );
}

#[test]
fn text_extracts_exactly() {
    let pdf = write_sample();
    if let Some((ok, out)) = tool(&pdf, "pdftotext", &["-enc", "UTF-8", "-raw"]) {
        assert!(ok, "{out}");
        use std::fmt::Write;
        let mut want = String::new();
        for line in LINES {
            let nfc = line.to_string();
            writeln!(want, "{nfc}").unwrap();
        }
        let page1 = out.split('\u{c}').next().unwrap();
        assert_eq!(page1.trim_end(), want.trim_end());
    }
}

#[test]
fn output_is_deterministic_in_one_process() {
    let a = write_sample();
    // Render something else in between, in parallel, to disturb any shared state.
    std::thread::scope(|s| {
        s.spawn(|| {
            let fonts = Arc::new(FontSet::bundled());
            let items = text_items(&fonts, "other", Family::Mono, 0.0, 50.0);
            write_page(&fonts, 100.0, 100.0, items);
        });
    });
    let b = write_sample();
    assert!(a == b, "two writes of the same frames differ");
    let fonts = Arc::new(FontSet::bundled());
    let (mut frames, outline) = sample(&fonts);
    frames.pop();
    let c = write_pdf(&frames, &outline, &fonts, &BTreeMap::new(), &info()).unwrap();
    let id = |pdf: &[u8]| {
        let s = String::from_utf8_lossy(pdf).into_owned();
        let id = s[s.rfind("/ID").unwrap()..][..72].to_string();
        assert!(
            !id.contains("62696E64657279"),
            "placeholder left in place: {id}"
        );
        id
    };
    assert_ne!(id(&a), id(&c), "different documents need different /ID");
}

#[test]
fn outline_nests_by_level_and_metadata_is_set() {
    let pdf = write_sample();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    // Levels 1, 3, 1: the level-3 entry is a child of the first.
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 2);
    let first = doc
        .get_dictionary(outlines.get(b"First").unwrap().as_reference().unwrap())
        .unwrap();
    let child = doc
        .get_dictionary(first.get(b"First").unwrap().as_reference().unwrap())
        .unwrap();
    let title = child.get(b"Title").unwrap().as_str().unwrap();
    assert_eq!(
        lopdf::decode_text_string(&lopdf::Object::String(
            title.to_vec(),
            lopdf::StringFormat::Hexadecimal
        ))
        .unwrap(),
        "Section 1 – Ελληνικά"
    );
    let dest = deref(&doc, child.get(b"Dest").unwrap())
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(dest[3].as_float().unwrap(), 842.0 - 60.0);
    let pages = doc.get_pages();
    assert_eq!(dest[0].as_reference().unwrap(), pages[&2]);
    let info = doc
        .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert!(date.starts_with(b"D:20231114221320"), "{date:?}");
    let meta = doc
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap();
    let xmp = String::from_utf8(meta.as_stream().unwrap().content.clone()).unwrap();
    assert!(
        xmp.contains("Grace &lt;Hopper&gt;") && xmp.contains("2023-11-14T22:13:20"),
        "{xmp}"
    );
}

#[test]
fn links_point_at_anchors_and_uris() {
    let pdf = write_sample();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages = doc.get_pages();
    let page = doc.get_dictionary(pages[&1]).unwrap();
    let annots = page.get(b"Annots").unwrap().as_array().unwrap();
    assert_eq!(annots.len(), 2);
    let a = doc
        .get_dictionary(annots[0].as_reference().unwrap())
        .unwrap();
    let dest = deref(&doc, a.get(b"Dest").unwrap())
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(dest[0].as_reference().unwrap(), pages[&3]);
    // Every anchor is a named destination too (`file.pdf#sec-2` from outside).
    let catalog = doc.catalog().unwrap();
    let names = deref(&doc, catalog.get(b"Names").unwrap())
        .as_dict()
        .unwrap()
        .clone();
    let dests = deref(&doc, names.get(b"Dests").unwrap())
        .as_dict()
        .unwrap()
        .clone();
    let list = deref(&doc, dests.get(b"Names").unwrap())
        .as_array()
        .unwrap()
        .clone();
    let at = list
        .iter()
        .position(|o| o.as_str().ok() == Some(&b"sec-2"[..]))
        .expect("sec-2 in the name tree");
    let dest = deref(&doc, &list[at + 1]).as_array().unwrap().clone();
    assert_eq!(dest[0].as_reference().unwrap(), pages[&3]);
    let u = doc
        .get_dictionary(annots[1].as_reference().unwrap())
        .unwrap();
    let uri = u
        .get(b"A")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"URI")
        .unwrap()
        .as_str()
        .unwrap();
    assert_eq!(uri, b"https://example.org/a?b=(c)");
}

#[test]
fn png_and_jpeg_images_are_drawn() {
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, 2, 2);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 9, 9, 9, 255])
            .unwrap();
    }
    // An 8×4 baseline JPEG: passed through, the writer must not touch the bytes.
    let jpeg = include_bytes!("../../../../tests/fixtures/tiny.jpg").to_vec();
    let mut assets = BTreeMap::new();
    assets.insert("a.png".to_string(), Asset::new(AssetKind::Png, png_bytes));
    assets.insert(
        "b.jpg".to_string(),
        Asset::new(AssetKind::Jpeg, jpeg.clone()),
    );
    assets.insert(
        "c.svg".to_string(),
        Asset::new(AssetKind::Svg, b"<svg/>".to_vec()),
    );
    assert!(
        can_draw(&assets["a.png"]) && can_draw(&assets["b.jpg"]) && !can_draw(&assets["c.svg"])
    );
    let items = ["a.png", "b.jpg", "c.svg"]
        .iter()
        .map(|k| Item::Image {
            x: 10.0,
            y: 10.0,
            w: 50.0,
            h: 50.0,
            asset: k.to_string(),
            node: None,
        })
        .collect();
    let frames = vec![Frame {
        width: 200.0,
        height: 200.0,
        items,
        boxes: None,
    }];
    let fonts = Arc::new(FontSet::bundled());
    let pdf = write_pdf(&frames, &[], &fonts, &assets, &PdfInfo::default()).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let mut kinds = Vec::new();
    for obj in doc.objects.values() {
        if let Ok(s) = obj.as_stream() {
            if s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image") {
                let filter = s.dict.get(b"Filter").unwrap().as_name().unwrap().to_vec();
                if filter == b"DCTDecode" {
                    assert_eq!(s.content, jpeg);
                }
                kinds.push((String::from_utf8(filter).unwrap(), s.dict.has(b"SMask")));
            }
        }
    }
    kinds.sort();
    // PNG colour + its alpha mask (Flate), JPEG (DCT); nothing for the SVG.
    assert_eq!(
        kinds,
        vec![
            ("DCTDecode".into(), false),
            ("FlateDecode".into(), false),
            ("FlateDecode".into(), true)
        ]
    );
}

/// One glyph standing for different texts gets one CID per text; a glyph without text adds
/// nothing to the extracted text.
#[test]
fn same_glyph_different_texts_and_empty_texts() {
    let fonts = Arc::new(FontSet::bundled());
    let serif = fonts.select(Family::Serif, false, false);
    let run = &shape(&fonts, "ae", serif, 12.0, "en")[0];
    let (a, e) = (run.glyphs[0].id, run.glyphs[1].id);
    let g = |id, x: f32, text| crate::typeset::frame::Glyph {
        id,
        x,
        y: 0.0,
        text,
    };
    let glyphs = [
        g(a, 0.0, "a"),
        g(e, 7.0, "e"),
        g(e, 14.0, "ligature"),
        g(a, 14.0, ""),
        g(e, 21.0, "e"),
    ]
    .into_iter()
    .collect();
    let items = vec![Item::Text {
        x: 72.0,
        y: 100.0,
        font: serif,
        size: 12.0,
        color: Color::BLACK,
        glyphs,
        node: None,
        lang: None,
    }];
    let pdf = write_page(&fonts, 300.0, 200.0, items);
    if let Some((ok, out)) = tool(&pdf, "pdftotext", &["-enc", "UTF-8", "-raw"]) {
        assert!(ok, "{out}");
        assert_eq!(out.trim_end_matches(['\n', '\u{c}']), "aeligaturee");
    }
}

#[test]
fn uris_are_ascii() {
    assert_eq!(ascii_uri("https://ex.org/ä b"), "https://ex.org/%C3%A4%20b");
}

/// Pictures started before typesetting make the same file as pictures made when drawn; the
/// writer takes a PNG's decoded samples out of the document (a later writer decodes the file),
/// and the EPUB's cover is not started.
#[test]
fn pictures_started_ahead_write_the_same_file_and_free_the_samples() {
    let png_of = |rgb: [u8; 3]| {
        let mut bytes = Vec::new();
        let mut enc = png::Encoder::new(&mut bytes, 1, 1);
        enc.set_color(png::ColorType::Rgb);
        enc.write_header()
            .and_then(|mut w| w.write_image_data(&rgb))
            .unwrap();
        bytes
    };
    let assets = || {
        let mut assets = BTreeMap::new();
        for (key, rgb) in [("a.png", [1, 2, 3]), ("cover.png", [4, 5, 6])] {
            // The samples a parse would have kept (a file is decoded once per process, so
            // they are written out here for both documents).
            let pixels = crate::doc::Pixels {
                width: 1,
                height: 1,
                gray: false,
                sixteen: false,
                color: rgb.to_vec(),
                alpha: None,
                icc: None,
                digest: (u64::from(rgb[0]), 1),
            };
            let asset = Asset {
                pixels: crate::doc::PixelSlot::new(Some(Arc::new(pixels))),
                ..Asset::new(AssetKind::Png, png_of(rgb))
            };
            assets.insert(key.to_string(), asset);
        }
        assets
    };
    let frames = vec![Frame {
        width: 100.0,
        height: 100.0,
        items: vec![Item::Image {
            x: 10.0,
            y: 10.0,
            w: 20.0,
            h: 20.0,
            asset: "a.png".into(),
            node: None,
        }],
        boxes: None,
    }];
    let paged = Paged {
        pages: frames,
        structure: Vec::new(),
        outline: Vec::new(),
        fonts: Arc::new(FontSet::bundled()),
        diagnostics: Vec::new(),
        faces: Vec::new(),
        page_starts: Vec::new(),
    };
    let opts = WriteOptions::default();
    let (lazy, ahead) = (assets(), assets());
    let drawn = write(&paged, &lazy, &PdfInfo::default(), &opts).unwrap();
    let pictures = Pictures::start(&ahead, Some("cover.png"));
    assert!(
        ahead["a.png"].pixels.take().is_none(),
        "the samples were taken"
    );
    assert!(
        ahead["cover.png"].pixels.take().is_some(),
        "the cover was started"
    );
    let started = write_with(&paged, &ahead, pictures, &PdfInfo::default(), &opts).unwrap();
    assert_eq!(drawn, started);
    assert!(
        lazy["a.png"].pixels.take().is_none(),
        "the writer took the samples"
    );
}

#[test]
fn glyphs_are_written_on_the_faces_grid() {
    // A justified line: each space stretched by an odd amount, so that exact positions would
    // give krilla adjustments with long fractions (`-22.014984`).
    let fonts = Arc::new(FontSet::bundled());
    let font = fonts.select(Family::Serif, false, false);
    assert_eq!(
        fonts.face(font).units_per_em,
        1000,
        "the test wants a 1,000-unit face"
    );
    let text = "Justified lines stretch every space by an awkward amount.";
    let mut items = text_items(&fonts, text, Family::Serif, 72.0, 100.123_46);
    let Some(Item::Text { glyphs, .. }) = items.first_mut() else {
        panic!("no text")
    };
    let mut stretch = 0.0;
    // Where each word starts (its first glyph's position, the run's origin being 72 pt).
    let mut word_starts = Vec::new();
    let mut after_space = true;
    let mut stretched = crate::typeset::frame::Glyphs::default();
    for mut g in glyphs.iter() {
        g.x += stretch;
        if after_space {
            word_starts.push(72.0 + g.x);
        }
        after_space = g.text == " ";
        if after_space {
            stretch += 1.234_567;
        }
        stretched.push(g);
    }
    *glyphs = stretched;
    let pdf = write_page(&fonts, 595.0, 842.0, items);
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let raw = doc.get_page_content(page);
    // The run starts on the page's grid of a hundredth of a point: `100.12`, not `100.12346`.
    let written = String::from_utf8_lossy(&raw);
    let tm = written.find(" Tm").expect("a text matrix");
    let origin: Vec<&str> = written[..tm].rsplit(' ').take(2).collect();
    for n in &origin {
        let decimals = n.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 2, "the run's origin is written as {origin:?}");
    }
    let content = lopdf::content::Content::decode(&raw).unwrap();
    let array = content
        .operations
        .iter()
        .find(|op| op.operator == "TJ")
        .and_then(|op| op.operands.first()?.as_array().ok())
        .expect("the line is one TJ");
    let numbers: Vec<f32> = array.iter().filter_map(|o| o.as_float().ok()).collect();
    assert!(numbers.len() >= 9, "a space each: {array:?}");
    // Whole thousandths, bar the odd one krilla's `f32` arithmetic leaves a few millionths off
    // (`22.99997`: about one in fifty in the Rust book).
    let fractional = numbers.iter().filter(|n| n.fract() != 0.0).count();
    assert!(
        fractional * 5 <= numbers.len(),
        "{fractional} of {} adjustments are not whole thousandths of an em: {numbers:?}",
        numbers.len()
    );
    // Written positions stay within half a thousandth of an em (0.0055 pt at 11 pt) of the
    // exact ones, the run's origin within half a hundredth of a point: pdftotext's word boxes
    // start where the words were placed.
    if let Some((ok, out)) = tool(&pdf, "pdftotext", &["-bbox"]) {
        assert!(ok, "{out}");
        let starts: Vec<f32> = out
            .split("<word xMin=\"")
            .skip(1)
            .map(|w| w[..w.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(starts.len(), word_starts.len(), "{out}");
        for s in &starts {
            let nearest = word_starts
                .iter()
                .map(|w| (w - s).abs())
                .fold(f32::MAX, f32::min);
            assert!(
                nearest < 0.011,
                "a word starts at {s}, none was placed there"
            );
        }
    }
}

#[test]
fn boxes_of_one_colour_are_filled_as_one_path_under_the_text() {
    // Grey boxes (inline code) on two lines with text between, a blue box beside them, a
    // stroked box, and a grey box on that box: the first three greys are one fill, painted
    // before the text; the last grey overlaps the stroked box painted before it, so it keeps
    // its place, above it.
    let fonts = Arc::new(FontSet::bundled());
    let grey = Some(Color(0.9, 0.9, 0.9));
    let filled = |x: Pt, y: Pt, fill: Option<Color>| Item::Rect {
        x,
        y,
        w: 30.0,
        h: 12.0,
        fill,
        stroke: None,
    };
    let mut items = vec![
        filled(72.0, 100.0, grey),
        filled(120.0, 100.0, grey),
        filled(220.0, 100.0, Some(Color(0.2, 0.3, 0.8))),
    ];
    items.extend(text_items(
        &fonts,
        "A line of text",
        Family::Serif,
        72.0,
        110.0,
    ));
    items.push(filled(90.0, 116.0, grey));
    items.push(Item::Rect {
        x: 72.0,
        y: 200.0,
        w: 100.0,
        h: 50.0,
        fill: grey,
        stroke: Some((Color(0.0, 0.0, 0.0), 1.0)),
    });
    items.push(filled(80.0, 210.0, grey));
    let pdf = write_page(&fonts, 595.0, 842.0, items);
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let ops: Vec<&str> = content
        .operations
        .iter()
        .map(|op| op.operator.as_str())
        .collect();
    // What is painted, in order: paths by `f` (fill) or `B` (fill and stroke), text by `TJ`
    // or `Tj`.
    let painted: Vec<(usize, &str)> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(**op, "f" | "B" | "S" | "TJ" | "Tj"))
        .map(|(i, op)| (i, if *op == "Tj" { "TJ" } else { *op }))
        .collect();
    assert_eq!(
        painted.iter().map(|(_, op)| *op).collect::<Vec<_>>(),
        ["f", "f", "TJ", "B", "f"],
        "{ops:?}"
    );
    // Rectangles per fill: three greys, one blue, then the grey on the stroked box.
    let subpaths = |end: usize| {
        let start = ops[..end].iter().rposition(|op| *op == "q").unwrap();
        ops[start..end].iter().filter(|op| **op == "m").count()
    };
    assert_eq!(subpaths(painted[0].0), 3, "{ops:?}");
    assert_eq!(subpaths(painted[1].0), 1, "{ops:?}");
    assert_eq!(subpaths(painted[4].0), 1, "{ops:?}");
}
