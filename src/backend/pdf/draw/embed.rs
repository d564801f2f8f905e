//! Font embedding: which glyphs each face uses, their character ids, the subset font file,
//! the width array and the ToUnicode map.
//!
//! Every (glyph, source text) pair gets its own character id (CID), so one glyph that stands
//! for different text in different places (a base letter that is also the first glyph of a
//! decomposed cluster, U+00A0 and U+0020 sharing the space glyph) still copies as written.
//! For TrueType outlines a `CIDToGIDMap` maps those CIDs to the subset's glyph ids; CFF
//! subsets are CID-keyed with CID = glyph id, so there the first text seen for a glyph wins.

use super::pdfstr::{deflate, hex_utf16};
use crate::backend::pdf::fonts::{Face, FontId, FontSet};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use subsetter::GlyphRemapper;

/// The glyphs one face uses and the CIDs given to them.
pub(crate) struct FontUse {
    cff: bool,
    /// For each original glyph id: the CID of the first text seen with it, plus one (0 = unseen).
    first: Vec<u32>,
    /// For each CID: the original glyph id and the text it stands for.
    cids: Vec<(u16, String)>,
    /// CIDs of further texts of an already seen glyph.
    extra: HashMap<u16, Vec<(String, u16)>>,
    remapper: GlyphRemapper,
}

impl FontUse {
    pub(crate) fn new(face: &Face) -> FontUse {
        FontUse {
            cff: face.is_cff(),
            first: vec![0; usize::from(face.glyph_count) + 1],
            // CID 0 is .notdef without text, as every CID font expects.
            cids: vec![(0, String::new())],
            extra: HashMap::new(),
            remapper: GlyphRemapper::new(),
        }
        .with_notdef()
    }

    fn with_notdef(mut self) -> FontUse {
        self.first[0] = 1;
        self
    }

    /// Records a use of glyph `gid` standing for `text`.
    pub(crate) fn add(&mut self, gid: u16, text: &str) {
        // Fast path, taken by nearly every glyph: seen before with the same text.
        if let Some(&first) = self.first.get(usize::from(gid)) {
            if first != 0 && self.cids[(first - 1) as usize].1 == text {
                return;
            }
        }
        let g = usize::from(gid);
        if g + 1 >= self.first.len() {
            // An id past the font's last glyph would make the subsetter fail: draw .notdef.
            return;
        }
        let new_gid = self.remapper.remap(gid);
        if self.cff {
            // CID must equal the subset's glyph id: one text per glyph.
            let cid = usize::from(new_gid);
            if cid >= self.cids.len() {
                self.cids.resize(cid + 1, (0, String::new()));
                self.cids[cid] = (gid, text.to_string());
                self.first[g] = cid as u32 + 1;
            }
            return;
        }
        let first = self.first[g];
        if first == 0 {
            if let Ok(cid) = u16::try_from(self.cids.len()) {
                self.cids.push((gid, text.to_string()));
                self.first[g] = u32::from(cid) + 1;
            }
            return;
        }
        let others = self.extra.entry(gid).or_default();
        if others.iter().any(|(t, _)| t == text) {
            return;
        }
        if let Ok(cid) = u16::try_from(self.cids.len()) {
            self.cids.push((gid, text.to_string()));
            others.push((text.to_string(), cid));
        }
    }

    /// The CID written in content streams for glyph `gid` standing for `text`.
    pub(crate) fn cid(&self, gid: u16, text: &str) -> u16 {
        let first = self.first.get(usize::from(gid)).copied().unwrap_or(0);
        if first == 0 {
            return 0;
        }
        let cid = (first - 1) as u16;
        if self.cff || self.cids[usize::from(cid)].1 == text {
            return cid;
        }
        self.extra
            .get(&gid)
            .and_then(|v| v.iter().find(|(t, _)| t == text))
            .map_or(cid, |&(_, c)| c)
    }

    /// Adds everything `other` (the uses of a later stretch of pages) records, in its order:
    /// merging the uses of consecutive stretches in order gives the CIDs a single pass would.
    pub(crate) fn merge(&mut self, other: &FontUse) {
        // CID 0 is .notdef in both; the rest are in order of first use.
        for (gid, text) in other.cids.iter().skip(1) {
            self.add(*gid, text);
        }
    }

    /// Number of CIDs in use.
    pub(crate) fn len(&self) -> usize {
        self.cids.len()
    }
}

/// Advance widths per CID in thousandths of an em, rounded as written in `/W`; content
/// streams position glyphs against exactly these numbers.
pub(crate) fn cid_widths(face: &Face, usage: &FontUse) -> Vec<i32> {
    let scale = 1000.0 / f32::from(face.units_per_em);
    face.advances_units(usage.cids.iter().map(|(g, _)| *g))
        .into_iter()
        .map(|w| (w * scale).round() as i32)
        .collect()
}

/// A six-letter subset tag derived from the face and the glyphs kept, so that equal inputs
/// give equal tags and different subsets of one face get different ones.
fn subset_tag(face: &Face, usage: &FontUse) -> String {
    let mut h = std::hash::DefaultHasher::new();
    face.name.hash(&mut h);
    usage.cids.hash(&mut h);
    let mut v = h.finish();
    (0..6)
        .map(|_| {
            let c = (b'A' + (v % 26) as u8) as char;
            v /= 26;
            c
        })
        .collect()
}

/// Subsets and writes one face; returns the Type 0 font object's id.
pub(crate) fn embed_font(
    doc: &mut Document,
    fonts: &FontSet,
    id: FontId,
    usage: &FontUse,
    widths: &[i32],
) -> crate::Result<ObjectId> {
    let face = fonts.face(id);
    let subset =
        subsetter::subset(face.data(), 0, &usage.remapper).map_err(|e| crate::Error::Font {
            path: face.name.clone().into(),
            message: format!("cannot subset: {e}"),
        })?;
    let base = format!("{}+{}", subset_tag(face, usage), face.name);
    let em = |v: f32| Object::Integer((v * 1000.0).round() as i64);
    let mut flags = 4; // symbolic: glyphs are addressed by CID, not a standard encoding
    if face.monospace {
        flags |= 1;
    }
    if face.italic {
        flags |= 64;
    }
    let font_file = deflate(&subset);
    let mut file_dict = dictionary! { "Length1" => subset.len() as i64, "Filter" => "FlateDecode" };
    if usage.cff {
        file_dict.set("Subtype", "OpenType");
    }
    let file_id = doc.add_object(Stream::new(file_dict, font_file).with_compression(false));
    let mut descriptor = dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(base.clone().into_bytes()),
        "Flags" => flags,
        "FontBBox" => vec![em(face.bbox[0]), em(face.bbox[1]), em(face.bbox[2]), em(face.bbox[3])],
        "ItalicAngle" => face.italic_angle,
        "Ascent" => em(face.ascender),
        "Descent" => em(face.descender),
        "CapHeight" => em(face.cap_height),
        "XHeight" => em(face.x_height),
        "StemV" => if face.bold { 120 } else { 80 },
    };
    descriptor.set(if usage.cff { "FontFile3" } else { "FontFile2" }, file_id);
    let descriptor_id = doc.add_object(descriptor);
    let mut cid_font = dictionary! {
        "Type" => "Font",
        "Subtype" => if usage.cff { "CIDFontType0" } else { "CIDFontType2" },
        "BaseFont" => Object::Name(base.clone().into_bytes()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor_id,
        "DW" => 0,
        "W" => vec![Object::Integer(0), widths.iter().map(|&w| Object::Integer(i64::from(w))).collect::<Vec<_>>().into()],
    };
    if !usage.cff {
        let mut map = Vec::with_capacity(usage.len() * 2);
        for (gid, _) in &usage.cids {
            map.extend_from_slice(&usage.remapper.get(*gid).unwrap_or(0).to_be_bytes());
        }
        let map_id = doc.add_object(
            Stream::new(dictionary! { "Filter" => "FlateDecode" }, deflate(&map))
                .with_compression(false),
        );
        cid_font.set("CIDToGIDMap", map_id);
    }
    let cid_font_id = doc.add_object(cid_font);
    let to_unicode = doc.add_object(
        Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            deflate(&to_unicode_cmap(usage)),
        )
        .with_compression(false),
    );
    Ok(doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => Object::Name(base.into_bytes()),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid_font_id)],
        "ToUnicode" => to_unicode,
    }))
}

/// The ToUnicode CMap: each CID with text maps to that text (UTF-16BE, several characters for
/// a ligature). CIDs without text (the second glyph of a cluster) are left unmapped so that
/// text extraction adds nothing for them.
fn to_unicode_cmap(usage: &FontUse) -> Vec<u8> {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, &str)> = usage
        .cids
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| !t.is_empty())
        .map(|(cid, (_, t))| (cid, t.as_str()))
        .collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (cid, text) in chunk {
            out.push_str(&format!("<{cid:04X}> <{}>\n", hex_utf16(text)));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}
