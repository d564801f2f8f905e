//! Font files below every stage: the faces compiled into the binary (the catalogue the style
//! file names families from, the typesetter sets with, SVG labels are drawn in and the EPUB
//! embeds) and one parsed face ([`Face`]). It sits under the style, the image reader, the
//! typesetter and the backends alike, so that checking a style's font or drawing an SVG's text
//! does not reach into the typesetting engine.

mod face;

pub use face::Face;

/// The bundled faces, in the typesetter's slot order (see `FontSet::select` in
/// `typeset::fonts`): the six fixed slots (the book faces), the six DejaVu fallback faces in the
/// same order (`DEJAVU` there), then the script faces (`SCRIPT_FACES`, `ARMENIAN_FACES`). How
/// each file was made: `fonts/README.md`.
pub(crate) static BUNDLED: [(&str, &[u8]); 18] = [
    // Source Serif 4 in its "small text" optical size, the cut drawn for 9 to 13.5 pt (opsz 12
    // to 18 px in the font's own table): our 11 pt body sits in the middle of it. The
    // default "text" cut is drawn for 13.5 pt and up, with finer hairlines and tighter
    // spacing that thin out at body size on paper and on screen.
    (
        "SourceSerif4SmText-Regular",
        include_bytes!("../../fonts/SourceSerif4SmText-Regular.otf"),
    ),
    (
        "SourceSerif4SmText-Bold",
        include_bytes!("../../fonts/SourceSerif4SmText-Bold.otf"),
    ),
    (
        "SourceSerif4SmText-It",
        include_bytes!("../../fonts/SourceSerif4SmText-It.otf"),
    ),
    (
        "SourceSerif4SmText-BoldIt",
        include_bytes!("../../fonts/SourceSerif4SmText-BoldIt.otf"),
    ),
    (
        "SourceCodePro-Regular",
        include_bytes!("../../fonts/SourceCodePro-Regular.otf"),
    ),
    (
        "SourceCodePro-Bold",
        include_bytes!("../../fonts/SourceCodePro-Bold.otf"),
    ),
    // DejaVu reduced to what the book faces lack (Armenian, polytonic Greek, Georgian, the
    // rarer Latin letters, arrows, box drawing, mathematical signs...): a character the book
    // face lacks is drawn in the DejaVu face of the same style before any other.
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
    // Neither the book faces nor DejaVu's serif have Arabic or Hebrew (DejaVu Sans Mono's
    // Arabic is monospaced and unjoined in places, and left out of its subset): text in these
    // scripts gets faces of its own, regular and bold, so a right-to-left document needs no
    // system font. Neither family has an italic; italic text uses the upright face (Arabic
    // and Hebrew type has no slanted tradition to fake).
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
    // Armenian in upright serif text: DejaVu Serif's Armenian set about 16% wider than the
    // Source Serif around it (Բ 0.81 em against Noto's 0.68). There is no Noto Serif
    // Armenian italic, so italic Armenian stays with DejaVu Serif Italic (a real italic), and
    // code with DejaVu Sans Mono (monospaced).
    (
        "NotoSerifArmenian-Regular",
        include_bytes!("../../fonts/NotoSerifArmenian-Regular.ttf"),
    ),
    (
        "NotoSerifArmenian-Bold",
        include_bytes!("../../fonts/NotoSerifArmenian-Bold.ttf"),
    ),
];

/// The bundled font files (PostScript name, bytes), for other consumers of the same faces
/// (SVG text, the EPUB's embedded fonts), so the bytes are compiled into the binary only once.
pub(crate) fn bundled_font_data() -> &'static [(&'static str, &'static [u8])] {
    &BUNDLED
}

/// The bundled families a style file may name (`[fonts]`), as messages list them.
pub const BUNDLED_FAMILIES: [&str; 2] = ["Source Serif 4", "Source Code Pro"];

/// Whether the bundled face `name` (a PostScript name in [`BUNDLED`]) maps a character, as a
/// test to ask many characters (the EPUB embeds a DejaVu face only when the book needs it).
/// `None` for a name that is not bundled.
pub(crate) fn bundled_cmap(name: &str) -> Option<impl Fn(char) -> bool + 'static> {
    let bytes: &'static [u8] = BUNDLED.iter().find(|(n, _)| *n == name)?.1;
    let charmap = skrifa::MetadataProvider::charmap(&skrifa::FontRef::new(bytes).ok()?);
    Some(move |c: char| charmap.map(c).is_some())
}

/// Characters of a script as ranges of code points, both ends included.
pub type Ranges = &'static [(u32, u32)];

/// The characters the bundled Noto Serif Armenian is for: the Armenian block and the Armenian
/// ligatures. The typesetter sets them in it in upright serif text, and the EPUB's style
/// sheet does the same (its `unicode-range` writes these ranges).
pub const ARMENIAN: Ranges = &[(0x0530, 0x058F), (0xFB13, 0xFB17)];

/// The characters the bundled Noto Naskh Arabic is for: the Arabic blocks, supplement,
/// extended blocks and presentation forms.
pub const ARABIC: Ranges = &[
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFE),
];

/// The characters the bundled Noto Serif Hebrew is for: the Hebrew block and its
/// presentation forms.
pub const HEBREW: Ranges = &[(0x0590, 0x05FF), (0xFB1D, 0xFB4F)];

/// Whether `c` is in `ranges`.
pub fn in_ranges(ranges: Ranges, c: char) -> bool {
    let c = u32::from(c);
    ranges.iter().any(|&(from, to)| (from..=to).contains(&c))
}

/// Whether `c` is one of [`ARMENIAN`].
pub fn is_armenian(c: char) -> bool {
    in_ranges(ARMENIAN, c)
}

/// A bundled family a document may ask for by name: its faces' PostScript names and bytes,
/// as regular, bold, italic and bold italic (`None` where the family has no such face: the
/// monospace family has no italic, and code set in italic uses the upright face).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledFamily {
    /// The family's name, as CSS and the font's name table give it.
    pub name: &'static str,
    /// Whether it is the monospace family (it belongs in the code slots).
    pub monospace: bool,
    /// Regular, bold, italic, bold italic.
    pub faces: [Option<(&'static str, &'static [u8])>; 4],
}

/// The complete bundled families a design may name ("Source Serif 4", "Source Code Pro";
/// letter case and spaces do not matter, and "Source Serif" means the same). DejaVu is not
/// one: its bundled files hold only what the book faces lack (see [`BUNDLED`]).
pub fn bundled_family(name: &str) -> Option<BundledFamily> {
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let face = |i: usize| Some(BUNDLED[i]);
    match key.as_str() {
        "sourceserif4" | "sourceserif" | "sourceserif4smtext" => Some(BundledFamily {
            name: "Source Serif 4",
            monospace: false,
            faces: [face(0), face(1), face(2), face(3)],
        }),
        "sourcecodepro" => Some(BundledFamily {
            name: "Source Code Pro",
            monospace: true,
            faces: [face(4), face(5), None, None],
        }),
        _ => None,
    }
}
