//! The display list: positioned glyph runs, rules, boxes, images and links on pages.
//!
//! Layout and pagination produce [`Frame`]s; a paged backend draws them. Coordinates are in
//! points with the origin at the page's top-left corner and y growing downwards (the order a
//! reader sees).
//!
//! Content items (text, images, links) carry the [`StructNode`] they belong to, by index into
//! the document's structure (`Paged::structure`); items without one (running heads, page
//! numbers, rules, backgrounds) are decoration, an artifact in tagged PDF terms.

use super::fonts::FontId;
use serde::Serialize;

// Lengths and colours are design values too (the style file and page setup speak them), so
// they are defined below both the style and the engine; the display list names them here.
pub use crate::page::Pt;
pub use crate::style::Color;

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
        /// The structure node it belongs to (`None`: decoration).
        node: Node,
        /// The language of the text when the source marks one for it (HTML `lang` on an inline
        /// element, or on the block around it): the tagged PDF names it on the text itself
        /// where it differs from its structure node's, as PDF/UA asks of every change of
        /// language, so that a screen reader switches its voice.
        #[serde(skip_serializing_if = "Option::is_none")]
        lang: Option<std::sync::Arc<str>>,
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
        /// The structure node it belongs to (a figure, with its alternative text).
        node: Node,
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
        /// The structure node of the text it covers.
        node: Node,
    },
    /// A named destination that internal links jump to.
    Anchor {
        /// The heading or note id.
        id: String,
        /// The vertical position to show at the top of the window.
        y: Pt,
    },
    /// Where a figure that floated to a later page stood in the text. It draws nothing: its
    /// structure node takes its place in the reading order here, its content is drawn where
    /// the figure went.
    FloatRef {
        /// A structure node of the figure (its picture, its caption, its table...).
        node: u32,
    },
}

impl Item {
    /// The structure node of a content item (`None` for decoration and anchors).
    pub fn node(&self) -> Node {
        match self {
            Item::Text { node, .. } | Item::Image { node, .. } | Item::Link { node, .. } => *node,
            _ => None,
        }
    }

    /// Adds `offset` to the item's structure node (sections are numbered apart).
    pub fn shift_node(&mut self, offset: u32) {
        match self {
            Item::Text { node, .. } | Item::Image { node, .. } | Item::Link { node, .. } => {
                if let Some(n) = node {
                    *n += offset;
                }
            }
            Item::FloatRef { node } => *node += offset,
            _ => {}
        }
    }

    /// Makes a content item decoration (a table header repeated on a later page).
    pub fn unclaim(&mut self) {
        if let Item::Text { node, .. } | Item::Image { node, .. } | Item::Link { node, .. } = self {
            *node = None;
        }
    }

    /// Sets the structure node of a content item that has none yet (the innermost block that
    /// made it claims it first).
    pub fn claim(&mut self, owner: u32) {
        if let Item::Text { node, .. } | Item::Image { node, .. } | Item::Link { node, .. } = self {
            node.get_or_insert(owner);
        }
    }
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
    /// Page width (the media box, bleed included).
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
    /// The trimmed page and the bleed around it, when printing with bleed.
    pub boxes: Option<PageBoxes>,
}

/// Where a printed page is cut, inside a larger sheet (`[left, top, right, bottom]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageBoxes {
    /// The finished page after trimming.
    pub trim: [Pt; 4],
    /// How far printing extends (the trim box plus the bleed).
    pub bleed: [Pt; 4],
}

/// A structure node index (`Paged::structure`), or `None` for decoration.
pub type Node = Option<u32>;

/// One node of the document's logical structure, in document order; a tagged PDF's structure
/// tree is made of these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructNode {
    /// What it is.
    pub role: Role,
    /// The enclosing node (`None`: the document).
    pub parent: Node,
    /// Where its source starts (for messages about it).
    pub loc: crate::doc::Loc,
    /// The language of its content when it differs from its parent's (a block marked with HTML
    /// `lang`): the tagged PDF's `/Lang`, which screen readers follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// What a structure node is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// The document's title block.
    Title,
    /// A heading of level 1 to 6.
    Heading {
        /// Its level.
        level: u8,
        /// Its text (accessible PDF names every heading).
        title: String,
    },
    /// A paragraph (and any other run of body text).
    Paragraph,
    /// A list.
    List {
        /// Numbered rather than bulleted.
        ordered: bool,
    },
    /// A list item.
    ListItem,
    /// A list item's marker.
    Label,
    /// A list item's content.
    ListBody,
    /// A table.
    Table,
    /// A table row.
    TableRow,
    /// A header cell, naming its column.
    HeaderCell,
    /// A data cell.
    Cell,
    /// A figure (image or SVG), with its alternative text when it has one.
    Figure {
        /// What the picture shows.
        alt: Option<String>,
    },
    /// A figure's or listing's caption.
    Caption,
    /// A code block.
    Code,
    /// A block quotation (or a titled box: alert, details).
    BlockQuote,
    /// A footnote.
    Note,
    /// The table of contents.
    Toc,
    /// One entry of the table of contents.
    TocItem,
    /// A formula, with its TeX source as alternative text.
    Formula {
        /// The TeX source.
        tex: String,
    },
    /// A group with no meaning of its own (a definition list's term and description...).
    Div,
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

// Moving items belongs to the display list itself: layout, composition, math and imposition all
// place finished items, and none of them should reach into the paragraph stage to do it.
impl Item {
    /// Moves the item right by `dx`.
    pub fn shift_x(&mut self, dx: Pt) {
        match self {
            Item::Text { x, .. }
            | Item::Rect { x, .. }
            | Item::Image { x, .. }
            | Item::Link { x, .. } => *x += dx,
            Item::Line { x1, x2, .. } => {
                *x1 += dx;
                *x2 += dx;
            }
            Item::Anchor { .. } | Item::FloatRef { .. } => {}
        }
    }

    /// Moves the item by `dx`, `dy`.
    pub fn translate(&mut self, dx: Pt, dy: Pt) {
        self.shift_x(dx);
        match self {
            Item::Text { y, .. }
            | Item::Rect { y, .. }
            | Item::Image { y, .. }
            | Item::Link { y, .. }
            | Item::Anchor { y, .. } => *y += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
            Item::FloatRef { .. } => {}
        }
    }
}

/// A filled rectangle that a later one may extend: its index in the page's items and its left
/// and right edges.
struct OpenFill {
    at: usize,
    left: Pt,
    right: Pt,
}

/// Joins filled rectangles that continue one another down the page into one: the same fill,
/// no stroke, the same left and right edges, the next starting where the one before ends.
///
/// A code block is laid out a line at a time, so that it can break across pages, and each
/// line brings its own piece of background; a quotation's bar comes a fragment at a time. Drawn
/// as they come, viewers show hairline seams where the pieces meet, and a line's descenders
/// are painted over by the next line's background. Joined, each block's background on a page
/// is one rectangle under its text, and the page has fewer drawing operations to write and
/// render (the Rust book: 22,754 fills became 13,497).
///
/// The joined rectangle is painted where its first piece was, so anything painted between the
/// pieces comes to lie on it. That is right for text (foreground); anything else painted in
/// between that reaches below the open rectangle's end, within its left and right edges (an
/// image, another rectangle, a rule), closes it, so no later piece is moved under it.
pub fn join_fills(items: &mut Vec<Item>) {
    const EPS: Pt = 0.01;
    let mut open: Vec<OpenFill> = Vec::new();
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if let Item::Rect {
            x,
            y,
            w,
            h,
            fill: Some(fill),
            stroke: None,
        } = item
        {
            let joined = open.iter().find_map(|o| match &mut out[o.at] {
                Item::Rect {
                    x: ox,
                    y: oy,
                    w: ow,
                    h: oh,
                    fill: Some(of),
                    stroke: None,
                } if *of == fill
                    && (*ox - x).abs() < EPS
                    && (*ow - w).abs() < EPS
                    && (*oy + *oh - y).abs() < EPS =>
                {
                    *oh = y + h - *oy;
                    Some(())
                }
                _ => None,
            });
            if joined.is_some() {
                continue;
            }
        }
        // Whatever else reaches below an open rectangle within its edges closes it.
        if let Some((left, right, bottom)) = extent(&item) {
            open.retain(|o| {
                let Item::Rect { y, h, .. } = &out[o.at] else {
                    return false;
                };
                left >= o.right - EPS || right <= o.left + EPS || bottom <= y + h + EPS
            });
        }
        if let Item::Rect {
            x,
            w,
            fill: Some(_),
            stroke: None,
            ..
        } = item
        {
            open.push(OpenFill {
                at: out.len(),
                left: x,
                right: x + w,
            });
        }
        out.push(item);
    }
    *items = out;
}

/// The left, right and bottom edges of what an item paints below text: `None` for text and
/// for what paints nothing.
fn extent(item: &Item) -> Option<(Pt, Pt, Pt)> {
    match item {
        Item::Rect { x, y, w, h, .. } | Item::Image { x, y, w, h, .. } => Some((*x, x + w, y + h)),
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            ..
        } => Some((
            x1.min(*x2) - width / 2.0,
            x1.max(*x2) + width / 2.0,
            y1.max(*y2) + width / 2.0,
        )),
        Item::Text { .. } | Item::Link { .. } | Item::Anchor { .. } | Item::FloatRef { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(y: Pt, h: Pt, fill: Color) -> Item {
        Item::Rect {
            x: 10.0,
            y,
            w: 100.0,
            h,
            fill: Some(fill),
            stroke: None,
        }
    }

    fn text(y: Pt) -> Item {
        Item::Text {
            x: 12.0,
            y,
            font: FontId(0),
            size: 9.0,
            color: Color(0.0, 0.0, 0.0),
            glyphs: vec![],
            node: Some(0),
            lang: None,
        }
    }

    const GREY: Color = Color(0.95, 0.95, 0.95);

    #[test]
    fn backgrounds_that_continue_one_another_are_joined_under_their_text() {
        let mut items = vec![
            rect(0.0, 12.0, GREY),
            text(9.0),
            rect(12.0, 12.0, GREY),
            text(21.0),
            rect(24.0, 14.0, GREY),
            text(33.0),
        ];
        join_fills(&mut items);
        assert_eq!(
            items,
            vec![rect(0.0, 38.0, GREY), text(9.0), text(21.0), text(33.0)]
        );
    }

    #[test]
    fn backgrounds_apart_or_of_another_colour_or_width_stay_apart() {
        let other = Color(0.9, 0.9, 1.0);
        let narrower = Item::Rect {
            x: 10.0,
            y: 24.0,
            w: 50.0,
            h: 12.0,
            fill: Some(GREY),
            stroke: None,
        };
        let mut items = vec![
            rect(0.0, 12.0, GREY),
            // A gap of a point.
            rect(13.0, 11.0, GREY),
            rect(24.0, 12.0, other),
            narrower.clone(),
        ];
        let before = items.clone();
        join_fills(&mut items);
        assert_eq!(items, before);
    }

    #[test]
    fn a_piece_is_not_moved_under_what_was_painted_before_it() {
        // A rule across the join, and a picture reaching into the next piece: joining would
        // paint the second background under them, where it was painted over them.
        for between in [
            Item::Line {
                x1: 0.0,
                y1: 12.0,
                x2: 200.0,
                y2: 12.0,
                width: 0.5,
                color: Color(0.0, 0.0, 0.0),
            },
            Item::Image {
                x: 50.0,
                y: 5.0,
                w: 20.0,
                h: 10.0,
                asset: "a.png".into(),
                node: None,
            },
        ] {
            let mut items = vec![rect(0.0, 12.0, GREY), between, rect(12.0, 12.0, GREY)];
            let before = items.clone();
            join_fills(&mut items);
            assert_eq!(items, before);
        }
        // What stays inside the first piece (a wrapped line's arrow) lets the next one join.
        let arrow = Item::Line {
            x1: 11.0,
            y1: 3.0,
            x2: 11.0,
            y2: 8.0,
            width: 0.5,
            color: Color(0.4, 0.4, 0.4),
        };
        let mut items = vec![rect(0.0, 12.0, GREY), arrow.clone(), rect(12.0, 12.0, GREY)];
        join_fills(&mut items);
        assert_eq!(items, vec![rect(0.0, 24.0, GREY), arrow]);
    }
}
