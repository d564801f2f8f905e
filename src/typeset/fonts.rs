//! Font faces: the bundled set, user fonts and system fallbacks.
//!
//! A [`FontSet`] holds six fixed slots (serif regular/bold/italic/bold-italic, mono
//! regular/bold), then any extra user faces, then one slot per system face (found through
//! fontdb when a character first needs one, opened when first looked into: see `system`).
//! Faces are parsed once; shaping plans and a word cache live here so that every thread that
//! shapes text shares them through `&FontSet`.

pub(crate) mod cache;
mod folder;
mod system;

pub use crate::font::Face;
pub use system::Region;

use crate::font::BUNDLED;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// Index of a face in the font set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FontId(pub u16);

/// A typeface family the layout asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// The text face (Source Serif 4 unless the user supplies one).
    Serif,
    /// The monospace face for code (Source Code Pro unless the user supplies one).
    Mono,
}

/// Number of fixed slots (the bundled book faces or their user replacements).
const SLOTS: usize = 6;

/// Index of the first DejaVu fallback face: slot `i`'s fallback is `DEJAVU + i`.
const DEJAVU: usize = SLOTS;

/// The bundled script faces after the DejaVu faces, as (regular, bold) pairs: Noto Naskh
/// Arabic, Noto Serif Hebrew. A character of their scripts goes to the pair that has it in
/// the weight of the text it stands in.
const SCRIPT_FACES: [(u16, u16); 2] = [(12, 13), (14, 15)];

/// Noto Serif Armenian (regular, bold), for Armenian in upright serif text, before DejaVu.
const ARMENIAN_FACES: (u16, u16) = (16, 17);

/// All faces a document may use, with fallback lookup and shaping caches.
///
/// `Send + Sync`: share it as `&FontSet` across layout threads.
pub struct FontSet {
    /// Fixed slots first, then extra user faces.
    faces: Vec<Face>,
    /// The system's faces when fallback to them is on, listed on first use;
    /// `FontId(faces.len() + i)` is their face `i`.
    system: Option<OnceLock<system::SystemFonts>>,
    /// Fallback answers per (character, primary face, region of the document's language).
    fallback_cache: Mutex<HashMap<(char, u16, Region), Option<FontId>>>,
    /// Emoji faces per (character, primary face): see [`FontSet::emoji_face`].
    emoji_cache: Mutex<HashMap<(char, u16), Option<FontId>>>,
    /// Shaping results in font units, shared by every caller (see `shape`).
    pub(crate) shape_cache: cache::ShapeCache,
    /// Tells this set's cached shapes from another's (each set gets a new number).
    cache_id: u64,
}

impl FontSet {
    /// The bundled faces (the six book faces, their DejaVu fallbacks and the script faces)
    /// and no system fallback.
    pub fn bundled() -> FontSet {
        use rayon::prelude::*;
        let faces = BUNDLED
            .par_iter()
            .enumerate()
            .filter_map(|(i, (name, data))| {
                let mut face = Face::from_static(data, name)?;
                // Adobe's ascender and descender (1.036 and -0.335 em) make room for stacked
                // Vietnamese marks; a line box that tall would open every line of text past
                // the body's leading. The ascender stays (PDF readers draw a glyph's box from
                // it, and that box must stay inside the text block); the descender becomes
                // the depth of the face's Latin-1 letters (-0.246 em), as DejaVu's own is.
                // Drawing those outlines (CFF) is most of a small document's start-up, hence
                // the faces in parallel.
                if i < SLOTS {
                    face.fit_descender_to_latin1();
                }
                Some(face)
            })
            .collect::<Vec<_>>();
        // The bundled files are part of the binary; a parse failure would be a build defect
        // caught by the tests, so an incomplete set is not reachable in practice.
        FontSet::from_parts(faces, None)
    }

    /// The bundled faces, replaced slot by slot by faces found in `font_dir`, plus (when
    /// `system_fallback` is set) the system's faces as per-character fallbacks.
    pub fn load(font_dir: Option<&Path>, system_fallback: bool) -> Result<FontSet> {
        let mut faces = FontSet::bundled().faces;
        if let Some(dir) = font_dir {
            let paths = folder::font_files(dir);
            if paths.is_empty() {
                return Err(Error::Font {
                    path: dir.to_path_buf(),
                    message: "no font files (.ttf, .otf, .ttc, .otc) in this folder".into(),
                });
            }
            let mut replaced = [false; SLOTS];
            for path in paths {
                let data = crate::source::read(&path, crate::source::Kind::Font).map_err(|e| {
                    Error::Font {
                        path: path.clone(),
                        message: format!("cannot read: {e}"),
                    }
                })?;
                let face = Face::from_owned(data).ok_or_else(|| Error::Font {
                    path: path.clone(),
                    message: "not a usable OpenType/TrueType font".into(),
                })?;
                let slot = face.slot();
                if !replaced[slot] {
                    replaced[slot] = true;
                    faces[slot] = face;
                } else {
                    faces.push(face);
                }
            }
        }
        Ok(FontSet::from_parts(
            faces,
            system_fallback.then(OnceLock::new),
        ))
    }

    fn from_parts(faces: Vec<Face>, system: Option<OnceLock<system::SystemFonts>>) -> FontSet {
        FontSet {
            faces,
            system,
            fallback_cache: Mutex::new(HashMap::new()),
            emoji_cache: Mutex::new(HashMap::new()),
            shape_cache: Default::default(),
            cache_id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }

    /// A number no other font set in this process has, so per-thread caches of shaped text
    /// never serve one set's glyphs for another's.
    pub(crate) fn cache_id(&self) -> u64 {
        self.cache_id
    }

    /// Puts `face` in fixed slot `slot` (0–3 text, 4–5 code: see [`FontSet::select`]), for a
    /// style file's faces. Only on a set nothing was shaped with yet.
    pub(crate) fn set_slot(&mut self, slot: usize, face: Face) {
        if slot < SLOTS {
            self.faces[slot] = face;
        }
    }

    /// The face for a family and style. Mono has no italic: italic code uses the upright face.
    pub fn select(&self, family: Family, bold: bool, italic: bool) -> FontId {
        let slot = match (family, bold, italic) {
            (Family::Serif, false, false) => 0,
            (Family::Serif, true, false) => 1,
            (Family::Serif, false, true) => 2,
            (Family::Serif, true, true) => 3,
            (Family::Mono, false, _) => 4,
            (Family::Mono, true, _) => 5,
        };
        FontId(slot)
    }

    /// The face behind an id. An id this set never handed out gets the serif regular face.
    pub fn face(&self, id: FontId) -> &Face {
        let i = usize::from(id.0);
        if let Some(face) = self.faces.get(i) {
            return face;
        }
        self.system
            .as_ref()
            .and_then(OnceLock::get)
            .and_then(|system| system.opened(i - self.faces.len()))
            .unwrap_or(&self.faces[0])
    }

    /// Number of face ids in use (fixed, user and system slots); ids are `0..len`.
    pub fn len(&self) -> usize {
        self.faces.len()
            + self
                .system
                .as_ref()
                .and_then(OnceLock::get)
                .map_or(0, |s| s.len())
    }

    /// What a face is, for `--verbose`: the family, weight and style of a system face with
    /// its file, the PostScript name of a bundled or user face.
    pub fn describe(&self, id: FontId) -> String {
        let i = usize::from(id.0);
        if i < self.faces.len() {
            return self.faces[i].name.clone();
        }
        self.system
            .as_ref()
            .and_then(OnceLock::get)
            .and_then(|system| system.describe(i - self.faces.len()))
            .unwrap_or_else(|| self.faces[0].name.clone())
    }

    /// Whether `id` is a system face (a fallback found on this machine).
    pub fn is_system(&self, id: FontId) -> bool {
        usize::from(id.0) >= self.faces.len()
    }

    /// Never true: the bundled faces are always present.
    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// The first face that has `c`, in a fixed order: `primary`; the DejaVu face of its style
    /// (for a character the book face lacks); for Arabic and Hebrew, the bundled script faces
    /// (in the primary's weight first); the other faces of its family (book faces first, then
    /// DejaVu); the other family's; extra user faces; then the system face ranked best for a
    /// document in no particular language (see [`FontSet::fallback_in`]).
    pub fn fallback_for(&self, c: char, primary: FontId) -> Option<FontId> {
        self.fallback_in(c, primary, Region::Unknown)
    }

    /// [`FontSet::fallback_for`] in a document whose language writes Han characters the
    /// way of `region`: the system face is the best-ranked one that has `c` for the region and
    /// for the style of `primary` (bold, italic, serif or monospace; see `system`).
    pub fn fallback_in(&self, c: char, primary: FontId, region: Region) -> Option<FontId> {
        if self.face(primary).has_char(c) {
            return Some(primary);
        }
        let key = (c, primary.0, region);
        if let Ok(cache) = self.fallback_cache.lock() {
            if let Some(found) = cache.get(&key) {
                return *found;
            }
        }
        let found = self.search_fallback(c, primary, region);
        if let Ok(mut cache) = self.fallback_cache.lock() {
            cache.insert(key, found);
        }
        found
    }

    /// The face that draws a character no face has: `primary` when it has the white square
    /// (U+25A1, which shaping draws in place of such a character so that its text survives
    /// in the PDF), else the first face with one in fallback order. Source Serif 4 has no
    /// white square; its DejaVu fallback has.
    pub fn blank_face(&self, primary: FontId) -> FontId {
        self.fallback_for('\u{25A1}', primary).unwrap_or(primary)
    }

    /// The system's emoji face for `c` in its emoji presentation, if the machine has one and
    /// system fonts are on: asked before any text face, since text faces (DejaVu among them)
    /// carry plain outline forms of many emoji (`☕`, `❤`).
    pub fn emoji_face(&self, c: char, primary: FontId) -> Option<FontId> {
        let key = (c, primary.0);
        if let Some(found) = self
            .emoji_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&key).copied())
        {
            return found;
        }
        let found = self.system.as_ref().and_then(|system| {
            let system = system.get_or_init(system::SystemFonts::scan);
            let face = self.face(primary);
            let want = system::Want {
                kind: system::Kind::of(face),
                bold: face.bold,
                italic: face.italic,
                region: Region::Unknown,
            };
            let i = system.find_emoji(c, want)?;
            u16::try_from(self.faces.len() + i).ok().map(FontId)
        });
        if let Ok(mut cache) = self.emoji_cache.lock() {
            cache.insert(key, found);
        }
        found
    }

    fn search_fallback(&self, c: char, primary: FontId, region: Region) -> Option<FontId> {
        let face = self.face(primary);
        // The style the character stands in: the primary's slot, or for a face outside the
        // slots (a script face, a system face) the slot its own style would take.
        let slot = if usize::from(primary.0) < SLOTS {
            usize::from(primary.0)
        } else {
            face.slot()
        };
        if crate::font::is_armenian(c) && slot < 2 {
            let (regular, bold) = ARMENIAN_FACES;
            let id = if slot == 1 { bold } else { regular };
            if self.faces[usize::from(id)].has_char(c) {
                return Some(FontId(id));
            }
        }
        if self.faces[DEJAVU + slot].has_char(c) {
            return Some(FontId((DEJAVU + slot) as u16));
        }
        // Script faces next, and only for the letters and marks of their scripts: a symbol
        // the text faces lack keeps to the text families.
        if is_arabic_or_hebrew(c) {
            for &(regular, heavy) in &SCRIPT_FACES {
                let pair = if face.bold {
                    [heavy, regular]
                } else {
                    [regular, heavy]
                };
                for i in pair {
                    if self.faces[usize::from(i)].has_char(c) {
                        return Some(FontId(i));
                    }
                }
            }
        }
        let mono = slot >= 4;
        let (same, other) = if mono { (4..6, 0..4) } else { (0..4, 4..6) };
        let family = |r: std::ops::Range<usize>| r.clone().chain(r.map(|i| DEJAVU + i));
        let fixed = family(same)
            .chain(family(other))
            .chain(BUNDLED.len()..self.faces.len());
        for i in fixed {
            if self.faces[i].has_char(c) {
                return Some(FontId(i as u16));
            }
        }
        let system = self.system.as_ref()?.get_or_init(system::SystemFonts::scan);
        let want = system::Want {
            kind: system::Kind::of(face),
            bold: face.bold,
            italic: face.italic,
            region,
        };
        let i = system.find(c, want)?;
        u16::try_from(self.faces.len() + i).ok().map(FontId)
    }
}

/// Characters of the Hebrew and Arabic blocks (with their supplements and presentation forms),
/// which the bundled script faces are for.
fn is_arabic_or_hebrew(c: char) -> bool {
    crate::font::in_ranges(crate::font::ARABIC, c) || crate::font::in_ranges(crate::font::HEBREW, c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::bundled_family;

    #[test]
    fn bundled_faces_parse_with_metrics() {
        let set = FontSet::bundled();
        assert_eq!(set.faces.len(), BUNDLED.len());
        for (i, (name, _)) in BUNDLED.iter().enumerate() {
            let f = &set.faces[i];
            assert_eq!(f.name, *name);
            assert!(f.units_per_em > 0);
            assert!(f.ascender > 0.5 && f.ascender < 1.2, "{}", f.ascender);
            assert!(f.descender < 0.0);
        }
        for i in 0..SLOTS {
            let f = &set.faces[i];
            // Latin heights only mean something in the Latin faces.
            assert!(f.x_height > 0.3 && f.cap_height > f.x_height);
            // The line box of the book faces reaches down to their Latin-1 letters, not to
            // Adobe's -0.335 em: a line of body text keeps (within 0.5%) the body leading of
            // 1.38 em, which a line box exceeds past 1/1.08 of it (`layout::line_fragment`).
            assert!(f.ascender > 0.95 && f.descender > -0.3, "{}", f.name);
            assert!(
                (f.ascender - f.descender) * 1.08 < 1.38 * 1.005,
                "{}",
                f.name
            );
            // Its DejaVu fallback has the same style.
            let d = &set.faces[DEJAVU + i];
            assert_eq!(
                (d.bold, d.italic, d.monospace),
                (f.bold, f.italic, f.monospace)
            );
        }
        let styles: Vec<_> = (0..SLOTS)
            .map(|i| (set.faces[i].bold, set.faces[i].italic))
            .collect();
        assert_eq!(
            styles[..4],
            [(false, false), (true, false), (false, true), (true, true)]
        );
        assert!(set.faces[4].monospace && set.faces[5].monospace && set.faces[5].bold);
        assert!(!set.faces[0].monospace);
    }

    #[test]
    fn coverage_and_fallback() {
        let set = FontSet::bundled();
        let serif = set.select(Family::Serif, false, false);
        // Latin with Azerbaijani and Vietnamese, Greek, Cyrillic, ligatures: the book face.
        for c in ['ə', 'ệ', 'Ω', 'Ж', 'ﬁ'] {
            assert_eq!(set.fallback_for(c, serif), Some(serif), "{c}");
        }
        // Polytonic Greek, rarer Latin and symbols: DejaVu in the same style (Armenian too,
        // but in upright serif text: see the next test).
        let name = |c: char, family: Family, bold: bool, italic: bool| {
            let primary = set.select(family, bold, italic);
            set.fallback_for(c, primary)
                .map(|id| set.face(id).name.clone())
        };
        for c in ['ἀ', 'ȫ', '∀', '⇝', '─'] {
            assert_eq!(
                name(c, Family::Serif, false, false).as_deref(),
                Some("DejaVuSerif")
            );
            assert_eq!(
                name(c, Family::Serif, true, true).as_deref(),
                Some("DejaVuSerif-BoldItalic")
            );
        }
        // Armenian in bold italic stays with DejaVu (upright serif Armenian: the next test).
        assert_eq!(
            name('Ա', Family::Serif, true, true).as_deref(),
            Some("DejaVuSerif-BoldItalic")
        );
        assert_eq!(
            name('Ա', Family::Mono, true, false).as_deref(),
            Some("DejaVuSansMono-Bold")
        );
        // Source Code Pro has these itself.
        let mono = set.select(Family::Mono, false, false);
        for c in ['a', 'ə', '─', '∀'] {
            assert_eq!(set.fallback_for(c, mono), Some(mono), "{c}");
        }
        // Neither monospace face has U+01E4 (G with stroke): the chain goes on to the other
        // family, book faces first, then DejaVu.
        assert_eq!(
            name('Ǥ', Family::Mono, true, false).as_deref(),
            Some("DejaVuSerif")
        );
        assert_eq!(set.fallback_for('\u{10FFFD}', serif), None);
        // A character no face has is drawn as DejaVu's white square: the book face has none.
        assert_eq!(set.face(set.blank_face(serif)).name, "DejaVuSerif");
        assert_eq!(set.blank_face(mono), mono);
    }

    #[test]
    fn bundled_families_by_name() {
        let serif = bundled_family("source serif 4").unwrap();
        assert_eq!(serif, bundled_family("SourceSerif").unwrap());
        assert_eq!(serif.name, "Source Serif 4");
        assert!(!serif.monospace);
        let names: Vec<_> = serif.faces.iter().map(|f| f.unwrap().0).collect();
        assert_eq!(
            names,
            [
                "SourceSerif4SmText-Regular",
                "SourceSerif4SmText-Bold",
                "SourceSerif4SmText-It",
                "SourceSerif4SmText-BoldIt"
            ]
        );
        let code = bundled_family("Source Code Pro").unwrap();
        assert!(code.monospace && code.faces[2].is_none());
        assert_eq!(code.faces[1].unwrap().0, "SourceCodePro-Bold");
        // The DejaVu files are fallback subsets, not families to set text in.
        assert_eq!(bundled_family("DejaVu Serif"), None);
        assert_eq!(bundled_family("Times"), None);
    }

    #[test]
    fn arabic_and_hebrew_fall_back_to_their_faces_in_the_text_weight() {
        let set = FontSet::bundled();
        let name = |c: char, bold: bool, italic: bool| {
            let primary = set.select(Family::Serif, bold, italic);
            let id = set.fallback_for(c, primary).unwrap();
            set.face(id).name.clone()
        };
        // Not a bold face for regular text.
        assert_eq!(name('ب', false, false), "NotoNaskhArabic-Regular");
        assert_eq!(name('ب', false, true), "NotoNaskhArabic-Regular");
        assert_eq!(name('ب', true, false), "NotoNaskhArabic-Bold");
        assert_eq!(name('\u{060C}', false, false), "NotoNaskhArabic-Regular");
        assert_eq!(name('ש', false, false), "NotoSerifHebrew-Regular");
        assert_eq!(name('ש', true, true), "NotoSerifHebrew-Bold");
        // Code keeps its monospace face where it has the letter.
        let mono = set.select(Family::Mono, false, false);
        if set.face(mono).has_char('ب') {
            assert_eq!(set.fallback_for('ب', mono), Some(mono));
        }
    }

    #[test]
    fn armenian_is_set_in_noto_upright_and_in_dejavu_in_italic_and_code() {
        let set = FontSet::bundled();
        let face_for = |c: char, family, bold, italic| {
            let primary = set.select(family, bold, italic);
            set.fallback_for(c, primary)
                .map(|id| set.face(id).name.clone())
        };
        // The ligature ﬓ is in Noto only.
        for c in ['Բ', 'ա', '\u{FB13}'] {
            let serif = |bold, italic| face_for(c, Family::Serif, bold, italic);
            assert_eq!(
                serif(false, false).as_deref(),
                Some("NotoSerifArmenian-Regular")
            );
            assert_eq!(
                serif(true, false).as_deref(),
                Some("NotoSerifArmenian-Bold")
            );
        }
        for c in ['Բ', 'ա'] {
            let serif = |bold, italic| face_for(c, Family::Serif, bold, italic);
            assert_eq!(serif(false, true).as_deref(), Some("DejaVuSerif-Italic"));
            assert_eq!(serif(true, true).as_deref(), Some("DejaVuSerif-BoldItalic"));
            let mono = face_for(c, Family::Mono, false, false);
            assert_eq!(mono.as_deref(), Some("DejaVuSansMono"));
        }
    }

    #[test]
    fn system_fallback_is_lazy_and_deterministic() {
        let a = FontSet::load(None, true).unwrap();
        let b = FontSet::load(None, true).unwrap();
        let serif = a.select(Family::Serif, false, false);
        // U+0E01 (Thai) is in no bundled face: whatever the system has, both sets agree.
        assert_eq!(
            a.fallback_for('\u{0E01}', serif),
            b.fallback_for('\u{0E01}', serif)
        );
    }

    #[test]
    fn user_font_dir_replaces_slots() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.ttf"), BUNDLED[DEJAVU + 5].1).unwrap();
        let set = FontSet::load(Some(dir.path()), false).unwrap();
        // A bold mono face lands in the bold mono slot, and only there.
        assert_eq!(set.face(FontId(5)).name, "DejaVuSansMono-Bold");
        assert_eq!(set.face(FontId(4)).name, "SourceCodePro-Regular");
        assert_eq!(set.face(FontId(0)).name, "SourceSerif4SmText-Regular");
        let empty = tempfile::tempdir().unwrap();
        assert!(FontSet::load(Some(empty.path()), false).is_err());
    }
}
