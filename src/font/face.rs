//! One parsed font face: metrics, character coverage and shaping state.

use harfrust::{Direction, Language, Script, ShapePlan};
use skrifa::instance::{LocationRef, Size};
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};
use std::sync::{Arc, Mutex, OnceLock};

/// The bytes of a font file.
#[derive(Clone)]
enum Data {
    Static(&'static [u8]),
    Owned(Arc<Vec<u8>>),
    /// Shared without copying: a system font file mapped into memory (see `fonts::system`).
    Shared(Arc<dyn AsRef<[u8]> + Send + Sync>),
}

impl Data {
    fn bytes(&self) -> &[u8] {
        match self {
            Data::Static(b) => b,
            Data::Owned(v) => v,
            Data::Shared(d) => (**d).as_ref(),
        }
    }
}

/// Key of a cached shaping plan.
type PlanKey = (Option<Script>, Direction, Option<Language>);

/// A font face with the metrics layout needs. Vertical metrics are fractions of the font
/// size (multiply by the size in points).
pub struct Face {
    /// Design units per em.
    pub units_per_em: u16,
    /// Ascender above the baseline (positive), in em.
    pub ascender: f32,
    /// Descender below the baseline (negative), in em.
    pub descender: f32,
    /// Line gap recommended by the font, in em.
    pub line_gap: f32,
    /// Height of capital letters, in em.
    pub cap_height: f32,
    /// Height of lowercase x, in em.
    pub x_height: f32,
    /// PostScript name (used as the PDF BaseFont name).
    pub name: String,
    /// Family name from the name table.
    pub family: String,
    /// Weight 600 or more.
    pub bold: bool,
    /// Italic or oblique.
    pub italic: bool,
    /// Fixed pitch (decides the Mono slot for user fonts).
    pub monospace: bool,
    /// Glyph count of the font.
    pub glyph_count: u16,
    /// Font bounding box (x_min, y_min, x_max, y_max), in em.
    pub bbox: [f32; 4],
    /// Italic angle in degrees (negative leans right).
    pub italic_angle: f32,
    data: Data,
    /// The face's index in its file (a collection holds several).
    index: u32,
    /// Characters of the Basic Multilingual Plane the cmap maps, one bit each.
    bmp: Box<[u64; 1024]>,
    /// Mapped characters above U+FFFF, sorted (a CJK face maps tens of thousands: a sorted
    /// list is built as the cmap is read, where a tree took a node per character).
    astral: Box<[u32]>,
    /// The shaping view of the font (owns a reference to the bytes).
    pub(crate) hr: harfrust::font::Font,
    plans: Mutex<Vec<(PlanKey, Arc<ShapePlan>)>>,
    /// Every glyph's advance width in font units, read on first use ([`Face::advance_table`]).
    advances: OnceLock<Box<[f32]>>,
}

impl Face {
    /// Parses a font compiled into the binary.
    pub(crate) fn from_static(data: &'static [u8], fallback_name: &str) -> Option<Face> {
        let hr = harfrust::font::Font::new(data, 0)?;
        Face::build(Data::Static(data), 0, hr, fallback_name)
    }

    /// Parses a font read from disk (the first face of a collection).
    pub(crate) fn from_owned(data: Vec<u8>) -> Option<Face> {
        let data = Arc::new(data);
        let source: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
        let hr = harfrust::font::Font::new(harfrust::font::Blob::from(source), 0)?;
        Face::build(Data::Owned(data), 0, hr, "Font")
    }

    /// Parses face `index` of a font file shared without copying (a memory-mapped system font).
    pub(crate) fn from_shared(
        data: Arc<dyn AsRef<[u8]> + Send + Sync>,
        index: u32,
    ) -> Option<Face> {
        let hr = harfrust::font::Font::new(harfrust::font::Blob::from(data.clone()), index)?;
        Face::build(Data::Shared(data), index, hr, "Font")
    }

    /// Whether face `index` of a font file maps `c` to a glyph, read from its character map
    /// alone: a look-up of microseconds where parsing the face for [`Face::has_char`] walks
    /// every mapping (tens of thousands in a CJK face). The fallback search asks this of each
    /// system face before opening one.
    pub(crate) fn file_maps_char(data: &[u8], index: u32, c: char) -> bool {
        FontRef::from_index(data, index)
            .ok()
            .and_then(|font| font.charmap().map(c))
            .is_some_and(|g| g.to_u32() != 0)
    }

    fn build(
        data: Data,
        index: u32,
        hr: harfrust::font::Font,
        fallback_name: &str,
    ) -> Option<Face> {
        let font = FontRef::from_index(data.bytes(), index).ok()?;
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(m.units_per_em.max(1));
        let attrs = font.attributes();
        let string = |id| {
            font.localized_strings(id)
                .english_or_first()
                .map(|s| s.to_string())
        };
        let family = string(StringId::TYPOGRAPHIC_FAMILY_NAME)
            .or_else(|| string(StringId::FAMILY_NAME))
            .unwrap_or_else(|| fallback_name.to_string());
        let name = string(StringId::POSTSCRIPT_NAME)
            .map(|n| {
                n.chars()
                    .filter(|c| c.is_ascii_graphic())
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| fallback_name.to_string());
        let mut bmp = Box::new([0u64; 1024]);
        let mut astral = Vec::new();
        for (cp, _) in font.charmap().mappings() {
            if cp < 0x1_0000 {
                bmp[(cp >> 6) as usize] |= 1 << (cp & 63);
            } else {
                astral.push(cp);
            }
        }
        // The mappings come in code point order; sorted anyway, whatever the subtable.
        astral.sort_unstable();
        astral.dedup();
        let x_height = m.x_height.unwrap_or(0.5 * upem) / upem;
        let monospace = m.is_monospace
            || family.to_ascii_lowercase().contains("mono")
            || name.to_ascii_lowercase().contains("mono");
        Some(Face {
            units_per_em: m.units_per_em.max(1),
            ascender: m.ascent / upem,
            descender: m.descent.min(0.0) / upem,
            line_gap: m.leading / upem,
            cap_height: m.cap_height.unwrap_or(0.7 * upem) / upem,
            x_height,
            name,
            family,
            bold: attrs.weight.value() >= 600.0,
            italic: !matches!(attrs.style, skrifa::attribute::Style::Normal),
            monospace,
            glyph_count: m.glyph_count,
            bbox: m
                .bounds
                .map(|b| {
                    [
                        b.x_min / upem,
                        b.y_min / upem,
                        b.x_max / upem,
                        b.y_max / upem,
                    ]
                })
                .unwrap_or([0.0, -0.25, 1.0, 1.0]),
            italic_angle: m.italic_angle,
            data,
            index,
            bmp,
            astral: astral.into(),
            hr,
            plans: Mutex::new(Vec::new()),
            advances: OnceLock::new(),
        })
    }

    /// Whether the font's cmap maps `c` to a glyph.
    pub fn has_char(&self, c: char) -> bool {
        let cp = u32::from(c);
        if cp < 0x1_0000 {
            self.bmp[(cp >> 6) as usize] & (1 << (cp & 63)) != 0
        } else {
            self.astral.binary_search(&cp).is_ok()
        }
    }

    /// The raw font file.
    pub fn data(&self) -> &[u8] {
        self.data.bytes()
    }

    /// The glyph the font maps `c` to, if it has one.
    pub fn glyph_for(&self, c: char) -> Option<u16> {
        let font = FontRef::from_index(self.data(), self.index).ok()?;
        let id = font.charmap().map(c)?.to_u32();
        u16::try_from(id).ok().filter(|&g| g != 0)
    }

    /// The font file, shared without copying (a writer embeds from it).
    pub fn shared_data(&self) -> std::sync::Arc<dyn AsRef<[u8]> + Send + Sync> {
        match &self.data {
            Data::Static(b) => std::sync::Arc::new(*b),
            Data::Owned(v) => v.clone(),
            Data::Shared(d) => d.clone(),
        }
    }

    /// The face's index in its font file (0 unless the file is a collection).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Whether the outlines are CFF (PostScript) rather than TrueType `glyf`.
    pub fn is_cff(&self) -> bool {
        FontRef::from_index(self.data(), self.index)
            .map(|f| f.table_data(skrifa::Tag::new(b"CFF ")).is_some())
            .unwrap_or(false)
    }

    /// Advance width of a glyph in font units (0 for unknown glyphs).
    pub fn advance_units(&self, glyph: u16) -> f32 {
        FontRef::from_index(self.data(), self.index)
            .ok()
            .and_then(|f| {
                f.glyph_metrics(Size::unscaled(), LocationRef::default())
                    .advance_width(skrifa::GlyphId::new(u32::from(glyph)))
            })
            .unwrap_or(0.0)
    }

    /// Every glyph's advance width in font units, by glyph id. The PDF writer asks for the
    /// width of every glyph it draws: the widths of the whole face are read from its tables
    /// once, not again for each of a book's tens of thousands of glyph runs.
    pub fn advance_table(&self) -> &[f32] {
        self.advances.get_or_init(|| {
            let Ok(font) = FontRef::from_index(self.data(), self.index) else {
                return Box::default();
            };
            let gm = font.glyph_metrics(Size::unscaled(), LocationRef::default());
            (0..u32::from(self.glyph_count))
                .map(|g| gm.advance_width(skrifa::GlyphId::new(g)).unwrap_or(0.0))
                .collect()
        })
    }

    /// Sets the descender to the lowest point of the face's Latin-1 characters (U+0021 to
    /// U+00FF, outline control points included, as a TrueType bounding box counts them).
    /// Leaves it as it is when the face has none of these characters.
    pub(crate) fn fit_descender_to_latin1(&mut self) {
        let Ok(font) = FontRef::from_index(self.data.bytes(), self.index) else {
            return;
        };
        /// The lowest point of the outlines drawn into it, control points included.
        struct Lowest(f32);
        impl skrifa::outline::OutlinePen for Lowest {
            fn move_to(&mut self, _: f32, y: f32) {
                self.0 = self.0.min(y);
            }
            fn line_to(&mut self, _: f32, y: f32) {
                self.0 = self.0.min(y);
            }
            fn quad_to(&mut self, _: f32, y1: f32, _: f32, y: f32) {
                self.0 = self.0.min(y1).min(y);
            }
            fn curve_to(&mut self, _: f32, y1: f32, _: f32, y2: f32, _: f32, y: f32) {
                self.0 = self.0.min(y1).min(y2).min(y);
            }
            fn close(&mut self) {}
        }
        let charmap = font.charmap();
        // One outline collection for all the glyphs: asking each glyph's bounds on its own
        // parses the outline tables again every time (a CFF face's start-up cost, doubled).
        let outlines = font.outline_glyphs();
        let settings =
            || skrifa::outline::DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
        let printable = (0x21u32..=0x7E).chain(0xA1..=0xFF).filter(|&c| c != 0xAD);
        let mut pen = Lowest(f32::MAX);
        for g in printable
            .filter_map(char::from_u32)
            .filter_map(|c| charmap.map(c))
        {
            if let Some(glyph) = outlines.get(g) {
                let _ = glyph.draw(settings(), &mut pen);
            }
        }
        let bottom = pen.0;
        if bottom < f32::MAX {
            self.descender = bottom.min(0.0) / f32::from(self.units_per_em);
        }
    }

    /// The fixed slot a user face belongs in (see `FontSet::select`).
    pub(crate) fn slot(&self) -> usize {
        match (self.monospace, self.bold, self.italic) {
            (true, false, _) => 4,
            (true, true, _) => 5,
            (false, false, false) => 0,
            (false, true, false) => 1,
            (false, false, true) => 2,
            (false, true, true) => 3,
        }
    }

    /// The shaping plan for a script, direction and language, built once and shared.
    pub(crate) fn plan(
        &self,
        script: Option<Script>,
        direction: Direction,
        language: Option<Language>,
    ) -> Arc<ShapePlan> {
        let key = (script, direction, language);
        if let Ok(plans) = self.plans.lock() {
            if let Some((_, plan)) = plans.iter().find(|(k, _)| *k == key) {
                return plan.clone();
            }
        }
        let plan = Arc::new(ShapePlan::new(&self.hr, key.1, key.0, key.2.as_ref(), &[]));
        if let Ok(mut plans) = self.plans.lock() {
            plans.push((key, plan.clone()));
        }
        plan
    }
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Face({})", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::Face;

    #[test]
    fn the_advance_table_reads_as_the_font_does() {
        let (name, bytes) = super::super::BUNDLED[0];
        let face = Face::from_static(bytes, name).expect("a bundled face");
        // Past the last glyph too: the font has no width for those, nor has the table.
        let ids: Vec<u16> = (0..face.glyph_count)
            .chain([face.glyph_count, u16::MAX])
            .collect();
        let table = face.advance_table();
        assert_eq!(table.len(), usize::from(face.glyph_count));
        for &id in &ids {
            let width = table.get(usize::from(id)).copied().unwrap_or(0.0);
            assert_eq!(width, face.advance_units(id), "glyph {id}");
        }
        assert!(table.iter().filter(|w| **w > 0.0).count() > 100);
    }
}
