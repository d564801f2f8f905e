//! The system's fonts as fallback faces, found through fontdb and chosen to match.
//!
//! fontdb lists the faces (fontconfig's folders on Linux, the usual folders elsewhere) and
//! reads their names, weights and styles; the list is made the first time a character needs a
//! fallback, so a document its bundled faces cover never scans. A face is opened only when a
//! character is looked up in it, and then memory-mapped rather than read: a CJK collection is
//! 20 to 30 MB, of which a document touches the tables and the glyphs it uses.
//!
//! Which face draws a character the text face lacks is decided by a ranking, not by the order
//! of the folders: first the faces that write Han characters the way the document's language
//! does (a Japanese, Simplified Chinese, Traditional Chinese or Korean face, for CJK text),
//! then an emoji face for emoji (and never for anything else), then the weight asked for (bold
//! or not), the kind of face (serif text asks for serif, code for monospace), the nearest
//! weight, the style (italic or upright), and last a stable key (family name, PostScript name,
//! file path, index in the file), so the choice depends neither on directory listing order nor
//! on which thread asked first.

use crate::font::Face;
use crate::typeset::segment;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// How a language writes Han characters: the regional glyph forms a CJK face is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    /// Japanese (`ja`).
    Japanese,
    /// Simplified Chinese (`zh`, `zh-Hans`, `zh-CN`, `zh-SG`).
    Simplified,
    /// Traditional Chinese as in Taiwan (`zh-Hant`, `zh-TW`, `zh-MO`).
    Traditional,
    /// Traditional Chinese as in Hong Kong (`zh-HK`, `yue`).
    HongKong,
    /// Korean (`ko`).
    Korean,
    /// Not a CJK language, or a face made for none in particular.
    Unknown,
}

impl Region {
    /// The region of a BCP 47 language tag.
    pub fn of_lang(lang: &str) -> Region {
        let lower = lang.to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']);
        let rest: Vec<&str> = match parts.next() {
            Some("ja") => return Region::Japanese,
            Some("ko") => return Region::Korean,
            Some("yue") => return Region::HongKong,
            Some("zh") => parts.collect(),
            _ => return Region::Unknown,
        };
        let has = |s: &str| rest.contains(&s);
        if has("hans") {
            Region::Simplified
        } else if has("hk") {
            Region::HongKong
        } else if has("hant") || has("tw") || has("mo") {
            Region::Traditional
        } else {
            Region::Simplified
        }
    }

    /// The region a CJK face is made for, from its names: a region tag in the family name
    /// (`Noto Sans CJK JP`, `AR PL UMing TW`), else the language of a localized family name
    /// (a Japanese name for a Japanese face).
    fn of_face(info: &fontdb::FaceInfo) -> Region {
        use fontdb::Language as L;
        for (name, _) in &info.families {
            let lower = name.to_ascii_lowercase();
            for token in lower.split([' ', '-', '_']) {
                let region = match token {
                    "jp" | "ja" | "japanese" => Region::Japanese,
                    "sc" | "cn" | "gb" | "hans" => Region::Simplified,
                    "tc" | "tw" | "hant" => Region::Traditional,
                    "hk" => Region::HongKong,
                    "kr" | "ko" | "korean" => Region::Korean,
                    _ => continue,
                };
                return region;
            }
        }
        for (_, language) in &info.families {
            let region = match language {
                L::Japanese_Japan => Region::Japanese,
                L::Chinese_PeoplesRepublicOfChina | L::Chinese_Singapore => Region::Simplified,
                L::Chinese_Taiwan | L::Chinese_MacaoSAR => Region::Traditional,
                L::Chinese_HongKongSAR => Region::HongKong,
                L::Korean_Korea => Region::Korean,
                _ => continue,
            };
            return region;
        }
        Region::Unknown
    }
}

/// The kind of face: what serif text, code and emoji each ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Serif (Mincho, Song, Ming, Batang).
    Serif,
    /// Sans serif (Gothic, Hei, Dotum), and any face that does not say.
    Sans,
    /// Fixed pitch.
    Mono,
    /// Colour or outline emoji.
    Emoji,
}

impl Kind {
    fn of_face(info: &fontdb::FaceInfo) -> Kind {
        let names: String = info
            .families
            .iter()
            .map(|(n, _)| n.to_lowercase())
            .chain([info.post_script_name.to_lowercase()])
            .collect::<Vec<_>>()
            .join(" ");
        let has = |words: &[&str]| words.iter().any(|w| names.contains(w));
        if has(&["emoji"]) {
            Kind::Emoji
        } else if info.monospaced || has(&["mono"]) {
            Kind::Mono
        } else if has(&["sans", "gothic", "hei", "dotum", "gulim"]) {
            Kind::Sans
        } else if has(&[
            "serif", "mincho", "ming", "song", "batang", "myeongjo", "明朝", "宋", "명조",
        ]) {
            Kind::Serif
        } else {
            Kind::Sans
        }
    }

    /// How far a face of this kind is from the kind asked for (0 = the same).
    fn distance(self, wanted: Kind) -> u8 {
        match (wanted, self) {
            (a, b) if a == b => 0,
            (_, Kind::Emoji) => 3,
            (Kind::Serif, Kind::Sans) | (Kind::Sans, Kind::Serif) | (Kind::Mono, Kind::Sans) => 1,
            _ => 2,
        }
    }

    /// The kind a face of the document's own set is (the kind its fallbacks should be).
    pub fn of(face: &Face) -> Kind {
        let family = face.family.to_lowercase();
        if face.monospace {
            Kind::Mono
        } else if family.contains("sans") || family.contains("gothic") {
            Kind::Sans
        } else {
            Kind::Serif
        }
    }
}

/// What a fallback should look like: the face it stands in for, and the document's region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Want {
    /// Serif, sans or mono.
    pub kind: Kind,
    /// Bold text.
    pub bold: bool,
    /// Italic text.
    pub italic: bool,
    /// The document's region for Han characters.
    pub region: Region,
}

/// The kind of character a fallback is sought for: it decides which rules of the ranking apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    /// Chinese, Japanese or Korean, with the region its glyphs should have.
    Cjk(Region),
    /// A pictograph that has an emoji form.
    Emoji,
    /// Anything else.
    Other,
}

impl Class {
    fn of(c: char, region: Region) -> Class {
        let cp = u32::from(c);
        // Pictographs first: UAX #14 classes most of them as ideographic.
        if matches!(cp, 0x1F000..=0x1FAFF) {
            return Class::Emoji;
        }
        if segment::is_cjk(c) || matches!(cp, 0x3100..=0x312F | 0x31A0..=0x31BF) {
            // Without a CJK language, kana ask for a Japanese face and Hangul for a Korean one;
            // lone Han characters get a Japanese face (the first of the Noto and Source Han
            // collections).
            let region = match region {
                Region::Unknown if matches!(cp, 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF) => {
                    Region::Korean
                }
                Region::Unknown => Region::Japanese,
                r => r,
            };
            Class::Cjk(region)
        } else {
            Class::Other
        }
    }
}

/// A system face: what fontdb read of it, and the face once opened.
struct Candidate {
    id: fontdb::ID,
    family: String,
    post_script: String,
    path: PathBuf,
    index: u32,
    weight: u16,
    italic: bool,
    kind: Kind,
    region: Region,
    /// The file, memory-mapped the first time a character is looked up in it.
    file: OnceLock<Option<(FileData, u32)>>,
    /// The face, parsed the first time it has a character looked up in it.
    face: OnceLock<Option<Face>>,
}

/// A font file's bytes as fontdb shares them.
type FileData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Indices of faces, best first.
type Order = Arc<[u32]>;

/// The system's faces, in a stable order, opened on demand.
pub(crate) struct SystemFonts {
    db: Mutex<fontdb::Database>,
    faces: Vec<Candidate>,
    /// The ranking of `faces` for each kind of character and request, made once.
    orders: Mutex<HashMap<(Class, Want), Order>>,
}

impl SystemFonts {
    /// Lists the system's faces (without opening them for more than their names).
    pub(crate) fn scan() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut faces: Vec<Candidate> = db
            .faces()
            .filter_map(|info| {
                let path = match &info.source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                    fontdb::Source::Binary(_) => return None,
                };
                Some(Candidate {
                    id: info.id,
                    family: info
                        .families
                        .first()
                        .map(|(n, _)| n.clone())
                        .unwrap_or_default(),
                    post_script: info.post_script_name.clone(),
                    path,
                    index: info.index,
                    weight: info.weight.0,
                    italic: info.style != fontdb::Style::Normal,
                    kind: Kind::of_face(info),
                    region: Region::of_face(info),
                    file: OnceLock::new(),
                    face: OnceLock::new(),
                })
            })
            .collect();
        faces.sort_by(|a, b| {
            (&a.family, &a.post_script, &a.path, a.index).cmp(&(
                &b.family,
                &b.post_script,
                &b.path,
                b.index,
            ))
        });
        SystemFonts {
            db: Mutex::new(db),
            faces,
            orders: Mutex::default(),
        }
    }

    /// Number of faces.
    pub(crate) fn len(&self) -> usize {
        self.faces.len()
    }

    /// Face `i` if it has been opened.
    pub(crate) fn opened(&self, i: usize) -> Option<&Face> {
        self.faces.get(i)?.face.get()?.as_ref()
    }

    /// The best-ranked face (its index) that has `c`, for a request `want`.
    pub(crate) fn find(&self, c: char, want: Want) -> Option<usize> {
        let class = Class::of(c, want.region);
        let order = self.order(class, want);
        order
            .iter()
            .map(|&i| i as usize)
            .find(|&i| self.has_char(i, c))
    }

    /// The best-ranked emoji face (its index) that has `c`: for a character asked for in its
    /// emoji presentation (a default-emoji pictograph, or one followed by U+FE0F), which the
    /// text faces may also have in a plain form.
    pub(crate) fn find_emoji(&self, c: char, want: Want) -> Option<usize> {
        self.order(Class::Emoji, want)
            .iter()
            .map(|&i| i as usize)
            .take_while(|&i| self.faces[i].kind == Kind::Emoji)
            .find(|&i| self.has_char(i, c))
    }

    /// The faces ranked for a kind of character and a request (see the module documentation).
    fn order(&self, class: Class, want: Want) -> Arc<[u32]> {
        let key = (class, want);
        if let Some(found) = self.orders.lock().ok().and_then(|o| o.get(&key).cloned()) {
            return found;
        }
        let rank = |c: &Candidate| {
            let region = match class {
                Class::Cjk(r) if c.region == r => 0,
                Class::Cjk(_) if c.region == Region::Unknown => 1,
                Class::Cjk(_) => 2,
                _ => 0,
            };
            let emoji = u8::from((class == Class::Emoji) != (c.kind == Kind::Emoji));
            let bold = u8::from((c.weight >= 600) != want.bold);
            let target: i32 = if want.bold { 700 } else { 400 };
            let weight = (i32::from(c.weight) - target).unsigned_abs();
            let italic = u8::from(c.italic != want.italic);
            (
                region,
                emoji,
                bold,
                c.kind.distance(want.kind),
                weight,
                italic,
            )
        };
        let mut order: Vec<u32> = (0..self.faces.len() as u32).collect();
        // Stable: equal ranks keep the faces' sorted order.
        order.sort_by_key(|&i| rank(&self.faces[i as usize]));
        let order: Arc<[u32]> = order.into();
        if let Ok(mut orders) = self.orders.lock() {
            orders.insert(key, order.clone());
        }
        order
    }

    /// Whether face `i` has `c`. Its character map answers first, so that a search through
    /// the system's faces parses only the face it ends on: a character no face has (the Rust
    /// book's Devanagari, without an Indic font installed) used to parse all of them, 9 ms and
    /// 13 MB for one character on a machine with 52 faces.
    fn has_char(&self, i: usize, c: char) -> bool {
        self.map(i)
            .is_some_and(|(data, index)| Face::file_maps_char((**data).as_ref(), *index, c))
            && self.open(i).is_some_and(|f| f.has_char(c))
    }

    /// Face `i`'s file (once): memory-mapped, with the face's index in it.
    fn map(&self, i: usize) -> Option<&(FileData, u32)> {
        let c = self.faces.get(i)?;
        c.file
            .get_or_init(|| {
                let mut db = self.db.lock().ok()?;
                // SAFETY: the file is mapped read-only and stays mapped while the font set
                // lives. Were another process to truncate or rewrite a system font file during
                // the build, reading the mapping could fault; every program that maps fonts
                // (fontconfig, FreeType, browsers) accepts that risk for system fonts, which a
                // package manager replaces by a rename rather than in place.
                unsafe { db.make_shared_face_data(c.id) }
            })
            .as_ref()
    }

    /// Parses face `i` (once) from its mapped file.
    fn open(&self, i: usize) -> Option<&Face> {
        let c = self.faces.get(i)?;
        c.face
            .get_or_init(|| {
                let (data, index) = self.map(i)?;
                Face::from_shared(data.clone(), *index)
            })
            .as_ref()
    }

    /// A line about face `i` for `--verbose`: its family, weight and style.
    pub(crate) fn describe(&self, i: usize) -> Option<String> {
        let c = self.faces.get(i)?;
        let style = match (c.weight >= 600, c.italic) {
            (false, false) => "regular",
            (true, false) => "bold",
            (false, true) => "italic",
            (true, true) => "bold italic",
        };
        Some(format!(
            "{} {style} ({}, face {} of {})",
            c.family,
            c.post_script,
            c.index,
            c.path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_languages() {
        assert_eq!(Region::of_lang("ja"), Region::Japanese);
        assert_eq!(Region::of_lang("ja-JP"), Region::Japanese);
        assert_eq!(Region::of_lang("zh"), Region::Simplified);
        assert_eq!(Region::of_lang("zh-Hans"), Region::Simplified);
        assert_eq!(Region::of_lang("zh-CN"), Region::Simplified);
        assert_eq!(Region::of_lang("zh-SG"), Region::Simplified);
        assert_eq!(Region::of_lang("zh-Hant"), Region::Traditional);
        assert_eq!(Region::of_lang("zh-TW"), Region::Traditional);
        assert_eq!(Region::of_lang("zh-HK"), Region::HongKong);
        assert_eq!(Region::of_lang("zh-Hans-HK"), Region::Simplified);
        assert_eq!(Region::of_lang("ko-KR"), Region::Korean);
        assert_eq!(Region::of_lang("en"), Region::Unknown);
    }

    #[test]
    fn classes_of_characters() {
        assert_eq!(
            Class::of('漢', Region::Unknown),
            Class::Cjk(Region::Japanese)
        );
        assert_eq!(Class::of('한', Region::Unknown), Class::Cjk(Region::Korean));
        assert_eq!(
            Class::of('漢', Region::Traditional),
            Class::Cjk(Region::Traditional)
        );
        assert_eq!(Class::of('😀', Region::Japanese), Class::Emoji);
        assert_eq!(Class::of('ก', Region::Japanese), Class::Other);
    }

    /// A font list of fakes (never opened): (family, weight, italic, kind, region).
    fn fake(list: &[(&str, u16, bool, Kind, Region)]) -> SystemFonts {
        let faces = list
            .iter()
            .map(|&(family, weight, italic, kind, region)| Candidate {
                id: fontdb::ID::dummy(),
                family: family.into(),
                post_script: family.replace(' ', ""),
                path: PathBuf::from("/fonts/x.ttc"),
                index: 0,
                weight,
                italic,
                kind,
                region,
                file: OnceLock::new(),
                face: OnceLock::new(),
            })
            .collect();
        SystemFonts {
            db: Mutex::new(fontdb::Database::new()),
            faces,
            orders: Mutex::default(),
        }
    }

    #[test]
    fn ranking_prefers_region_then_weight_then_kind() {
        use Kind::*;
        use Region::*;
        let fonts = fake(&[
            ("Noto Sans CJK JP", 700, false, Sans, Japanese),
            ("Noto Sans CJK JP", 400, false, Sans, Japanese),
            ("Noto Sans CJK SC", 400, false, Sans, Simplified),
            ("Noto Serif CJK JP", 700, false, Serif, Japanese),
            ("Noto Serif CJK JP", 400, false, Serif, Japanese),
            ("Noto Serif CJK SC", 400, false, Serif, Simplified),
            ("Noto Sans Mono CJK JP", 400, false, Mono, Japanese),
            ("Noto Color Emoji", 400, false, Emoji, Unknown),
            ("Droid Sans Fallback", 400, false, Sans, Unknown),
        ]);
        let want = |kind, bold, region| Want {
            kind,
            bold,
            italic: false,
            region,
        };
        let first = |c: char, w: Want| {
            fonts.faces[fonts.order(Class::of(c, w.region), w)[0] as usize]
                .post_script
                .clone()
        };
        assert_eq!(first('漢', want(Serif, false, Japanese)), "NotoSerifCJKJP");
        assert_eq!(
            first('漢', want(Serif, false, Simplified)),
            "NotoSerifCJKSC"
        );
        // No Traditional face: a face made for no region comes before another region's.
        assert_eq!(
            first('漢', want(Serif, false, Traditional)),
            "DroidSansFallback"
        );
        // Bold text asks for a bold face: the weight outranks serif.
        assert_eq!(first('漢', want(Serif, true, Japanese)), "NotoSerifCJKJP");
        assert_eq!(
            fonts.faces
                [fonts.order(Class::of('漢', Japanese), want(Sans, true, Japanese))[0] as usize]
                .weight,
            700
        );
        // Code asks for monospace; emoji for the emoji face, which nothing else gets first.
        assert_eq!(
            first('漢', want(Mono, false, Japanese)),
            "NotoSansMonoCJKJP"
        );
        assert_eq!(first('😀', want(Serif, false, Japanese)), "NotoColorEmoji");
        assert_ne!(first('ก', want(Serif, false, Japanese)), "NotoColorEmoji");
        // The order is the same however often it is asked for.
        let w = want(Serif, false, Korean);
        assert_eq!(
            fonts.order(Class::of('漢', Korean), w),
            fonts.order(Class::of('漢', Korean), w)
        );
    }

    #[test]
    fn kind_distances() {
        assert_eq!(Kind::Serif.distance(Kind::Serif), 0);
        assert!(Kind::Sans.distance(Kind::Serif) < Kind::Mono.distance(Kind::Serif));
        assert!(Kind::Sans.distance(Kind::Mono) < Kind::Serif.distance(Kind::Mono));
        assert_eq!(Kind::Emoji.distance(Kind::Serif), 3);
    }
}
