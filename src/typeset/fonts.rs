//! Font faces: the bundled set, user fonts and system fallbacks.
//!
//! A [`FontSet`] holds six fixed slots (serif regular/bold/italic/bold-italic, mono
//! regular/bold), then any extra user faces, then one slot per system face (found through
//! fontdb when a character first needs one, opened when first looked into: see `system`).
//! Faces are parsed once; shaping plans and a word cache live here so that every thread that
//! shapes text shares them through `&FontSet`.

pub(crate) mod cache;
mod face;
mod folder;
mod system;

pub use face::Face;
pub use system::Region;

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
    /// The text face (DejaVu Serif unless the user supplies one).
    Serif,
    /// The monospace face for code (DejaVu Sans Mono unless the user supplies one).
    Mono,
}

/// The bundled faces, in slot order (see [`FontSet::select`]): the six fixed slots, then the
/// script faces ([`SCRIPT_FACES`]).
static BUNDLED: [(&str, &[u8]); 10] = [
    ("DejaVuSerif", include_bytes!("../../fonts/DejaVuSerif.ttf")),
    (
        "DejaVuSerif-Bold",
        include_bytes!("../../fonts/DejaVuSerif-Bold.ttf"),
    ),
    (
        "DejaVuSerif-Italic",
        include_bytes!("../../fonts/DejaVuSerif-Italic.ttf"),
    ),
    (
        "DejaVuSerif-BoldItalic",
        include_bytes!("../../fonts/DejaVuSerif-BoldItalic.ttf"),
    ),
    (
        "DejaVuSansMono",
        include_bytes!("../../fonts/DejaVuSansMono.ttf"),
    ),
    (
        "DejaVuSansMono-Bold",
        include_bytes!("../../fonts/DejaVuSansMono-Bold.ttf"),
    ),
    // DejaVu has no Arabic in its serif and no Hebrew in any face of ours (the mono faces'
    // Arabic is monospaced and unjoined in places): text in these scripts gets faces of its
    // own, regular and bold, so a right-to-left document needs no system font. Neither family
    // has an italic; italic text uses the upright face (Arabic and Hebrew type has no
    // slanted tradition to fake).
    (
        "NotoNaskhArabic-Regular",
        include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf"),
    ),
    (
        "NotoNaskhArabic-Bold",
        include_bytes!("../../fonts/NotoNaskhArabic-Bold.ttf"),
    ),
    (
        "NotoSerifHebrew-Regular",
        include_bytes!("../../fonts/NotoSerifHebrew-Regular.ttf"),
    ),
    (
        "NotoSerifHebrew-Bold",
        include_bytes!("../../fonts/NotoSerifHebrew-Bold.ttf"),
    ),
];

/// The bundled font files (PostScript name, bytes), for other consumers of the same faces
/// (SVG text), so the bytes are compiled into the binary only once.
pub(crate) fn bundled_font_data() -> &'static [(&'static str, &'static [u8])] {
    &BUNDLED
}

/// The bundled families a style file may name (`[fonts]`).
pub const BUNDLED_FAMILIES: [&str; 2] = ["DejaVu Serif", "DejaVu Sans Mono"];

/// A bundled family by the name a style file gives it (case, spaces and hyphens aside): the
/// indices into [`bundled_font_data`] of its regular, bold, italic and bold italic faces (a
/// family without italics repeats its upright ones). `None`: no such bundled family.
pub fn bundled_family(name: &str) -> Option<[usize; 4]> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "dejavuserif" => Some([0, 1, 2, 3]),
        "dejavusansmono" => Some([4, 5, 4, 5]),
        _ => None,
    }
}

/// Number of fixed slots (the bundled DejaVu faces or their user replacements).
const SLOTS: usize = 6;

/// The bundled script faces after the fixed slots, as (regular, bold) pairs: Noto Naskh
/// Arabic, Noto Serif Hebrew. A character the text face lacks goes to the pair that has it
/// before any other face, in the weight of the text it stands in.
const SCRIPT_FACES: [(u16, u16); 2] = [(6, 7), (8, 9)];

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
    /// The bundled faces (six DejaVu slots and the script faces) and no system fallback.
    pub fn bundled() -> FontSet {
        let faces = BUNDLED
            .iter()
            .filter_map(|(name, data)| Face::from_static(data, name))
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

    /// The first face that has `c`: `primary`, then the bundled script faces (in the primary's
    /// weight first), then the other faces of its family, then the other bundled family, then
    /// extra user faces, then the system face ranked best for a document in no particular
    /// language (see [`FontSet::fallback_in`]).
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
        // Script faces first: the other DejaVu faces cover Arabic and Hebrew only in part, in
        // the wrong weight or in monospace (Arabic set in the code face, Hebrew in bold).
        // Only for the letters and marks of these scripts: a symbol the text face lacks keeps
        // the fallback order it always had.
        let bold = self.face(primary).bold;
        let script_faces = if is_arabic_or_hebrew(c) {
            &SCRIPT_FACES[..]
        } else {
            &[]
        };
        for &(regular, heavy) in script_faces {
            let (first, second) = if bold {
                (heavy, regular)
            } else {
                (regular, heavy)
            };
            for i in [first, second] {
                if self.faces[usize::from(i)].has_char(c) {
                    return Some(FontId(i));
                }
            }
        }
        let mono = usize::from(primary.0) >= 4 && usize::from(primary.0) < SLOTS;
        let (same, other) = if mono { (4..6, 0..4) } else { (0..4, 4..6) };
        let fixed = same.chain(other).chain(BUNDLED.len()..self.faces.len());
        for i in fixed {
            if self.faces[i].has_char(c) {
                return Some(FontId(i as u16));
            }
        }
        let system = self.system.as_ref()?.get_or_init(system::SystemFonts::scan);
        let face = self.face(primary);
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
    matches!(u32::from(c), 0x0590..=0x05FF | 0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF
        | 0xFB1D..=0xFB4F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_parse_with_metrics() {
        let set = FontSet::bundled();
        assert_eq!(set.faces.len(), 10);
        for i in 0..10u16 {
            let f = set.face(FontId(i));
            assert!(f.units_per_em > 0);
            assert!(f.ascender > 0.5 && f.ascender < 1.2, "{}", f.ascender);
            assert!(f.descender < 0.0);
            // Latin heights only mean something in the Latin faces.
            if usize::from(i) < SLOTS {
                assert!(f.x_height > 0.3 && f.cap_height > f.x_height);
            }
        }
        assert!(set.face(FontId(2)).italic && set.face(FontId(3)).bold);
        assert!(set.face(FontId(4)).name.contains("Mono"));
    }

    #[test]
    fn coverage_and_fallback() {
        let set = FontSet::bundled();
        let serif = set.select(Family::Serif, false, false);
        for c in ['ə', 'ệ', 'Ω', 'Ж', 'Ա', 'ﬁ'] {
            assert!(set.face(serif).has_char(c), "{c}");
        }
        // Mono lacks Armenian in some versions; either way fallback finds a face.
        let mono = set.select(Family::Mono, false, false);
        assert!(set.fallback_for('Ա', mono).is_some());
        assert_eq!(set.fallback_for('a', mono), Some(mono));
        assert_eq!(set.fallback_for('\u{10FFFD}', serif), None);
    }

    #[test]
    fn arabic_and_hebrew_fall_back_to_their_faces_in_the_text_weight() {
        let set = FontSet::bundled();
        let name = |c: char, bold: bool, italic: bool| {
            let primary = set.select(Family::Serif, bold, italic);
            let id = set.fallback_for(c, primary).unwrap();
            set.face(id).name.clone()
        };
        // Not the monospace face (which has Arabic), not a bold face for regular text.
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
    fn system_fallback_is_lazy_and_deterministic() {
        let a = FontSet::load(None, true).unwrap();
        let b = FontSet::load(None, true).unwrap();
        let serif = a.select(Family::Serif, false, false);
        // U+2200 (for all) is in DejaVu Sans, not necessarily in the serif: whatever is found,
        // both sets agree.
        assert_eq!(a.fallback_for('∀', serif), b.fallback_for('∀', serif));
    }

    #[test]
    fn user_font_dir_replaces_slots() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.ttf"), BUNDLED[5].1).unwrap();
        let set = FontSet::load(Some(dir.path()), false).unwrap();
        // A bold mono face lands in the bold mono slot.
        assert!(set.face(FontId(5)).name.contains("Mono"));
        let empty = tempfile::tempdir().unwrap();
        assert!(FontSet::load(Some(empty.path()), false).is_err());
    }
}
