//! Writing the PDF file: frames, fonts, images, outline and metadata in, bytes out.
//!
//! The file is built with lopdf directly rather than through printpdf. printpdf 0.12.8 (without
//! its `html` feature) embeds whole fonts, numbers resources from a process-global counter
//! (the same document built twice in one process differs), writes a flat outline sorted by
//! name, has no `/Lang`, and ignores word spacing for two-byte fonts; every one of those would
//! have to be undone by post-processing its output with lopdf anyway. Writing the handful of
//! objects ourselves makes the output a pure function of the input, and lets the content
//! streams be generated and compressed in parallel.

mod content;
mod embed;
mod image;
mod meta;
mod outline;
mod pdfstr;
#[cfg(test)]
mod tests;

pub use image::{can_draw, image_size, prepare_all as prepare_images};
pub(crate) use pdfstr::deflate;

use super::fonts::{FontId, FontSet};
use super::frame::{Frame, Item, OutlineEntry};
use crate::doc::Asset;
use embed::FontUse;
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hash::Hasher;

/// Document facts written to the Info dictionary, the XMP packet and the catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfInfo {
    /// Document title.
    pub title: String,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// Subject (description), if any.
    pub subject: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// BCP 47 language tag for `/Lang` (e.g. `en`, `de-CH`).
    pub lang: String,
    /// Creation and modification time in Unix seconds (SOURCE_DATE_EPOCH, else the document
    /// date); `None` writes the epoch.
    pub date: Option<i64>,
}

/// Compression level for page content. Measured on 600 synthetic pages: level 2 costs about
/// a fifth more time than level 1 but makes the file 30% smaller; levels above 2 barely
/// shrink text operators further and cost much more.
const CONTENT_LEVEL: u32 = 2;

/// Stands in for the file identifier until the file's hash is known.
const ID_PLACEHOLDER: [u8; 16] = *b"bindery-id-slot!";

/// Writes `frames` as a PDF. The bytes depend only on the arguments: no clock, no randomness,
/// nothing shared with other documents rendered in the same process.
pub fn write_pdf(
    frames: &[Frame],
    outline: &[OutlineEntry],
    fonts: &FontSet,
    assets: &BTreeMap<String, Asset>,
    info: &PdfInfo,
) -> crate::Result<Vec<u8>> {
    let blank;
    let frames = if frames.is_empty() {
        // A PDF needs a page; an empty document gets one blank A4 page.
        blank = [Frame {
            width: 595.28,
            height: 841.89,
            items: Vec::new(),
        }];
        &blank[..]
    } else {
        frames
    };
    let mut doc = Document::with_version("1.7");

    // Which glyphs (with which text) each face uses, in first-use order: stretches of pages
    // are scanned in parallel and merged in page order, which assigns the same CIDs as one
    // pass over the whole document.
    let per_stretch: Vec<(Vec<Option<FontUse>>, Vec<&str>)> = frames
        .par_chunks(32)
        .map(|stretch| glyph_uses(stretch, fonts))
        .collect();
    let mut uses: Vec<Option<FontUse>> = (0..fonts.len()).map(|_| None).collect();
    let mut image_keys: Vec<&str> = Vec::new();
    for (stretch_uses, keys) in per_stretch {
        for (i, u) in stretch_uses.into_iter().enumerate() {
            match (&mut uses[i], u) {
                (Some(all), Some(u)) => all.merge(&u),
                (slot @ None, u) => *slot = u,
                (Some(_), None) => {}
            }
        }
        image_keys.extend(keys);
    }
    let font_res: Vec<Option<(FontUse, Vec<i32>)>> = uses
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            u.map(|u| {
                let w = embed::cid_widths(fonts.face(FontId(i as u16)), &u);
                (u, w)
            })
        })
        .collect();

    crate::trace::stage("pdf: glyph uses collected");
    // Images, each once, in asset-key order.
    image_keys.sort_unstable();
    image_keys.dedup();
    let mut images = BTreeMap::new();
    let mut xobjects = Dictionary::new();
    for key in image_keys {
        let Some(asset) = assets.get(key) else {
            continue;
        };
        if let Some(id) = image::add_image(&mut doc, asset) {
            let n = images.len();
            images.insert(key.to_string(), n);
            xobjects.set(format!("Im{n}"), id);
        }
    }

    crate::trace::stage("pdf: images added");
    let res = content::Resources {
        fonts: &font_res,
        images: &images,
    };
    let contents: Vec<Vec<u8>> = frames
        .par_iter()
        .map(|f| pdfstr::deflate_at(&content::page_content(f, &res), CONTENT_LEVEL))
        .collect();

    crate::trace::stage("pdf: content streams compressed");
    let mut font_dict = Dictionary::new();
    for (i, entry) in font_res.iter().enumerate() {
        if let Some((usage, widths)) = entry {
            let id = embed::embed_font(&mut doc, fonts, FontId(i as u16), usage, widths)?;
            font_dict.set(format!("F{i}"), id);
        }
    }
    crate::trace::stage("pdf: fonts subset and embedded");
    let resources = doc.add_object(dictionary! {
        "Font" => font_dict,
        "XObject" => xobjects,
        "ProcSet" => vec!["PDF".into(), "Text".into(), "ImageB".into(), "ImageC".into()],
    });

    let pages_id = doc.new_object_id();
    let page_ids: Vec<ObjectId> = frames.iter().map(|_| doc.new_object_id()).collect();
    let anchors = outline::anchors(frames);
    for ((frame, data), &page_id) in frames.iter().zip(contents).zip(&page_ids) {
        let content_id = doc.add_object(
            Stream::new(dictionary! { "Filter" => "FlateDecode" }, data).with_compression(false),
        );
        let annots = outline::annotations(&mut doc, frame, &anchors, &page_ids);
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(frame.width), Object::Real(frame.height)],
            "Resources" => resources,
            "Contents" => content_id,
        };
        if !annots.is_empty() {
            page.set("Annots", annots);
        }
        doc.objects.insert(page_id, Object::Dictionary(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => page_ids.iter().map(|&id| Object::Reference(id)).collect::<Vec<_>>(),
            "Count" => page_ids.len() as i64,
        }),
    );

    let first_top = frames[0].height;
    let outlines = outline::outline(&mut doc, outline, &anchors, &page_ids, first_top);
    let dests = outline::dests_tree(&mut doc, &anchors, &page_ids);
    let metadata = meta::xmp_stream(&mut doc, info);
    let info_id = meta::info_dict(&mut doc, info);
    let mut catalog = dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Metadata" => metadata,
        "Names" => dictionary! { "Dests" => dests },
    };
    if !info.lang.is_empty() {
        catalog.set("Lang", pdfstr::text_string(&info.lang));
    }
    if let Some(o) = outlines {
        catalog.set("Outlines", o);
        catalog.set("PageMode", "UseOutlines");
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    doc.trailer
        .set("ID", vec![placeholder.clone(), placeholder]);

    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| crate::Error::Render {
        path: info.title.clone().into(),
        format: "pdf",
        message: format!("cannot serialise the PDF: {e}"),
    })?;
    set_file_id(&mut out);
    Ok(out)
}

/// The glyph uses of each face (indexed by face id) and the image keys of some pages.
fn glyph_uses<'a>(frames: &'a [Frame], fonts: &FontSet) -> (Vec<Option<FontUse>>, Vec<&'a str>) {
    let mut uses: Vec<Option<FontUse>> = (0..fonts.len()).map(|_| None).collect();
    let mut image_keys = Vec::new();
    for frame in frames {
        for item in &frame.items {
            match item {
                Item::Text { font, glyphs, .. } => {
                    let Some(slot) = uses.get_mut(usize::from(font.0)) else {
                        continue;
                    };
                    let usage = slot.get_or_insert_with(|| FontUse::new(fonts.face(*font)));
                    for g in glyphs {
                        usage.add(g.id, &g.text);
                    }
                }
                Item::Image { asset, .. } => image_keys.push(asset.as_str()),
                _ => {}
            }
        }
    }
    (uses, image_keys)
}

/// Replaces the placeholder `/ID` with a 128-bit hash of the whole file (computed with the
/// placeholder in place), so identical inputs give identical bytes and different documents
/// different identifiers.
fn set_file_id(out: &mut [u8]) {
    let hex_placeholder: String = ID_PLACEHOLDER.iter().map(|b| format!("{b:02X}")).collect();
    let mut id = String::with_capacity(32);
    for seed in [0x62696e64u64, 0x65727921] {
        let mut h = std::hash::DefaultHasher::new();
        h.write_u64(seed);
        h.write(out);
        id.push_str(&format!("{:016X}", h.finish()));
    }
    let needle = hex_placeholder.as_bytes();
    // The trailer (or cross-reference stream dictionary) starts at the `startxref` offset.
    let tail = &out[out.len().saturating_sub(64)..];
    let start = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .and_then(|p| {
            let digits: String = tail[p + 9..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .take_while(|b| b.is_ascii_digit())
                .map(|&b| b as char)
                .collect();
            digits.parse::<usize>().ok()
        })
        .unwrap_or(0)
        .min(out.len());
    for _ in 0..2 {
        let Some(pos) = out[start..].windows(needle.len()).position(|w| w == needle) else {
            break;
        };
        let at = start + pos;
        out[at..at + needle.len()].copy_from_slice(id.as_bytes());
    }
}
