//! The display list: positioned glyph runs, rules, boxes, images and links on pages.
//!
//! Layout and pagination produce [`Frame`]s; `draw` turns them into PDF objects. Coordinates are
//! in points with the origin at the page's top-left corner and y growing downwards (the order a
//! reader sees); `draw` flips them into PDF space.

use super::fonts::FontId;
use serde::Serialize;

/// A length in PostScript points (1/72 inch).
pub type Pt = f32;

/// An RGB colour, each channel 0.0..=1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Color(pub f32, pub f32, pub f32);

impl Color {
    /// Pure black, for body text.
    pub const BLACK: Color = Color(0.0, 0.0, 0.0);
}

/// One glyph of a shaped run, placed relative to the run's origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedGlyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Horizontal position from the run's origin.
    pub x: Pt,
    /// Vertical offset from the baseline (positive = down).
    pub y: Pt,
    /// The source text this glyph stands for (several characters for a ligature, empty for the
    /// second glyph of a decomposed cluster); it becomes the PDF's ToUnicode map.
    pub text: GlyphText,
}

/// The source text of one glyph. Nearly always a single character, so it is held inline: a
/// book has millions of glyphs, and one heap string each was a quarter of the run time.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct GlyphText(TextRepr);

#[derive(Clone, PartialEq, Eq)]
enum TextRepr {
    /// Up to `INLINE` bytes of UTF-8 and their length.
    Inline(u8, [u8; GlyphText::INLINE]),
    /// Anything longer (a long ligature cluster).
    Heap(Box<str>),
}

impl Default for TextRepr {
    fn default() -> Self {
        TextRepr::Inline(0, [0; GlyphText::INLINE])
    }
}

impl GlyphText {
    const INLINE: usize = 15;

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only whole UTF-8 strings are ever stored inline (see `From<&str>`).
            TextRepr::Inline(len, bytes) => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            TextRepr::Heap(s) => s,
        }
    }

    /// Makes the text empty (decoration glyphs that must not enter copied text).
    pub fn clear(&mut self) {
        self.0 = TextRepr::default();
    }
}

impl From<&str> for GlyphText {
    fn from(s: &str) -> Self {
        if s.len() <= Self::INLINE {
            let mut bytes = [0; Self::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            GlyphText(TextRepr::Inline(s.len() as u8, bytes))
        } else {
            GlyphText(TextRepr::Heap(s.into()))
        }
    }
}

impl std::ops::Deref for GlyphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for GlyphText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A run of glyphs in one font and size; `y` is the baseline.
    Text {
        /// Left end of the run.
        x: Pt,
        /// Baseline.
        y: Pt,
        /// Which face.
        font: FontId,
        /// Font size.
        size: Pt,
        /// Fill colour.
        color: Color,
        /// The glyphs.
        glyphs: Vec<PlacedGlyph>,
    },
    /// A filled and/or stroked rectangle (`y` is its top edge).
    Rect {
        /// Left.
        x: Pt,
        /// Top.
        y: Pt,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Fill colour, if filled.
        fill: Option<Color>,
        /// Stroke colour and width, if stroked.
        stroke: Option<(Color, Pt)>,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: Pt,
        /// Start y.
        y1: Pt,
        /// End x.
        x2: Pt,
        /// End y.
        y2: Pt,
        /// Stroke width.
        width: Pt,
        /// Stroke colour.
        color: Color,
    },
    /// An image scaled into a box (`y` is its top edge).
    Image {
        /// Left.
        x: Pt,
        /// Top.
        y: Pt,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Key into the document's assets.
        asset: String,
    },
    /// A clickable area (`y` is its top edge).
    Link {
        /// Left.
        x: Pt,
        /// Top.
        y: Pt,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Where it goes.
        target: LinkTarget,
    },
    /// A named destination that internal links jump to.
    Anchor {
        /// The heading or note id.
        id: String,
        /// The vertical position to show at the top of the window.
        y: Pt,
    },
}

/// The target of a [`Item::Link`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "to", rename_all = "snake_case")]
pub enum LinkTarget {
    /// An external URI.
    Uri(String),
    /// An [`Item::Anchor`] id anywhere in the document.
    Anchor(String),
}

/// One finished page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frame {
    /// Page width.
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
}

/// One bookmark of the PDF outline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlineEntry {
    /// Heading level, 1 to 6 (nesting follows it).
    pub level: u8,
    /// Bookmark text.
    pub title: String,
    /// Anchor id it jumps to.
    pub anchor: String,
}
