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

/// The glyphs of a text item and the source text each stands for.
///
/// The texts are kept one after another in one string, in glyph order (what a reader copies
/// from the run, and what the PDF's ToUnicode map and text ranges are made of), each glyph
/// holding only where its own text ends. A book has over a million glyphs: 16 bytes each,
/// where a glyph with a text of its own took 40, made the Rust book's peak 38 MB lower, and
/// the memory a run touches is time (page faults, and the kernel's clearing of each page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Glyphs {
    text: String,
    placed: Vec<PlacedGlyph>,
}

/// One glyph, placed relative to its item's origin; its text is in the [`Glyphs`] it belongs
/// to ([`Glyphs::iter`] gives them together).
#[derive(Debug, Clone, Copy, PartialEq)]
struct PlacedGlyph {
    id: u16,
    x: Pt,
    y: Pt,
    /// Where its text ends in [`Glyphs::text`]; it starts where the previous glyph's ends.
    end: u32,
}

// The point of the layout: a book's million glyphs at 16 bytes each.
const _: () = assert!(std::mem::size_of::<PlacedGlyph>() == 16);

/// A glyph and its text, as [`Glyphs`] hands them out and takes them in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Glyph<'a> {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Horizontal position from the run's origin.
    pub x: Pt,
    /// Vertical offset from the baseline (positive = down).
    pub y: Pt,
    /// The source text this glyph stands for (several characters for a ligature, empty for the
    /// second glyph of a decomposed cluster); it becomes the PDF's ToUnicode map.
    pub text: &'a str,
}

impl Glyphs {
    /// No glyphs, with room for `glyphs` of them and `text` bytes of their text.
    pub fn with_capacity(glyphs: usize, text: usize) -> Glyphs {
        Glyphs {
            text: String::with_capacity(text),
            placed: Vec::with_capacity(glyphs),
        }
    }

    /// Room for `glyphs` more glyphs and `text` more bytes of their text.
    pub fn reserve(&mut self, glyphs: usize, text: usize) {
        self.placed.reserve(glyphs);
        self.text.reserve(text);
    }

    /// Adds a glyph after the others.
    pub fn push(&mut self, g: Glyph<'_>) {
        self.text.push_str(g.text);
        self.placed.push(PlacedGlyph {
            id: g.id,
            x: g.x,
            y: g.y,
            // A run's text is a line's at most, far below 4 GB (sources are limited long before).
            end: u32::try_from(self.text.len()).unwrap_or(u32::MAX),
        });
    }

    /// How many glyphs.
    pub fn len(&self) -> usize {
        self.placed.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }

    /// The texts of all the glyphs, one after another.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where glyph `i`'s text stands in [`Glyphs::text`] (empty past the last glyph).
    pub fn text_range(&self, i: usize) -> std::ops::Range<usize> {
        let end = |k: usize| {
            self.placed
                .get(k)
                .map_or(self.text.len(), |g| g.end as usize)
        };
        let start = if i == 0 { 0 } else { end(i - 1) };
        start.min(self.text.len())..end(i).max(start).min(self.text.len())
    }

    /// Each glyph's id, position and the range of its text in [`Glyphs::text`] (as
    /// [`Glyphs::text_range`] gives it), in order and in one pass: what a writer takes, without
    /// slicing the text for each glyph.
    pub fn placements(
        &self,
    ) -> impl ExactSizeIterator<Item = (u16, Pt, Pt, std::ops::Range<usize>)> + '_ {
        let len = self.text.len();
        let mut start = 0usize;
        self.placed.iter().map(move |g| {
            let from = start.min(len);
            let to = (g.end as usize).max(from).min(len);
            start = g.end as usize;
            (g.id, g.x, g.y, from..to)
        })
    }

    /// Glyph `i` with its text.
    pub fn get(&self, i: usize) -> Option<Glyph<'_>> {
        let g = self.placed.get(i)?;
        Some(Glyph {
            id: g.id,
            x: g.x,
            y: g.y,
            text: self.text.get(self.text_range(i)).unwrap_or_default(),
        })
    }

    /// The first glyph.
    pub fn first(&self) -> Option<Glyph<'_>> {
        self.get(0)
    }

    /// The last glyph.
    pub fn last(&self) -> Option<Glyph<'_>> {
        self.get(self.len().checked_sub(1)?)
    }

    /// The glyphs in order, each with its text.
    pub fn iter(&self) -> GlyphIter<'_> {
        GlyphIter {
            glyphs: self,
            range: 0..self.len(),
        }
    }
}

/// The glyphs of a [`Glyphs`] in order, each with its text.
#[derive(Clone)]
pub struct GlyphIter<'a> {
    glyphs: &'a Glyphs,
    range: std::ops::Range<usize>,
}

impl<'a> Iterator for GlyphIter<'a> {
    type Item = Glyph<'a>;
    fn next(&mut self) -> Option<Glyph<'a>> {
        let i = self.range.next()?;
        self.glyphs.get(i)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for GlyphIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let i = self.range.next_back()?;
        self.glyphs.get(i)
    }
}

impl ExactSizeIterator for GlyphIter<'_> {}

impl<'a> FromIterator<Glyph<'a>> for Glyphs {
    fn from_iter<I: IntoIterator<Item = Glyph<'a>>>(iter: I) -> Glyphs {
        let mut out = Glyphs::default();
        for g in iter {
            out.push(g);
        }
        out
    }
}

impl<'a> IntoIterator for &'a Glyphs {
    type Item = Glyph<'a>;
    type IntoIter = GlyphIter<'a>;
    fn into_iter(self) -> GlyphIter<'a> {
        self.iter()
    }
}

/// Serialised as the list of glyphs, each with its text (the layout snapshots read them so).
impl Serialize for Glyphs {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
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
        glyphs: Glyphs,
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
    item.painted_box()
        .map(|[left, _, right, bottom]| (left, right, bottom))
}

impl Item {
    /// What the item paints other than text, as `[left, top, right, bottom]` (a box with its
    /// stroke, an image, a rule with its width): `None` for text and for what paints nothing.
    /// What decides whether a background may go under what was painted before it
    /// ([`join_fills`], and the PDF writer's groups of filled boxes).
    pub fn painted_box(&self) -> Option<[Pt; 4]> {
        match self {
            Item::Rect {
                x, y, w, h, stroke, ..
            } => {
                let half = stroke.map_or(0.0, |(_, width)| width / 2.0);
                Some([
                    x - half,
                    y - half,
                    x + w.max(0.0) + half,
                    y + h.max(0.0) + half,
                ])
            }
            Item::Image { x, y, w, h, .. } => Some([*x, *y, x + w, y + h]),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                ..
            } => {
                let half = width / 2.0;
                Some([
                    x1.min(*x2) - half,
                    y1.min(*y2) - half,
                    x1.max(*x2) + half,
                    y1.max(*y2) + half,
                ])
            }
            Item::Text { .. } | Item::Link { .. } | Item::Anchor { .. } | Item::FloatRef { .. } => {
                None
            }
        }
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

    #[test]
    fn each_glyph_keeps_its_own_text() {
        let g = |id, x, text| Glyph {
            id,
            x,
            y: 0.5,
            text,
        };
        // A ligature, the second glyph of a decomposed cluster (no text of its own), a
        // character of several bytes.
        let list = [
            g(1, 0.0, "ffi"),
            g(2, 9.0, "e\u{301}"),
            g(3, 9.0, ""),
            g(4, 15.0, "ه"),
        ];
        let glyphs: Glyphs = list.into_iter().collect();
        assert_eq!(glyphs.len(), 4);
        assert_eq!(glyphs.text(), "ffie\u{301}ه");
        assert_eq!(glyphs.iter().collect::<Vec<_>>(), list);
        assert_eq!(glyphs.iter().next_back(), Some(list[3]));
        assert_eq!(
            (glyphs.first(), glyphs.last()),
            (Some(list[0]), Some(list[3]))
        );
        assert_eq!(glyphs.text_range(2), 6..6);
        assert_eq!(glyphs.text_range(3), 6..8);
        assert_eq!(glyphs.get(4), None);
        // In one pass, as the writer takes them: ids, positions and the same ranges.
        let placed: Vec<_> = glyphs.placements().collect();
        assert_eq!(placed.len(), 4);
        for (i, (id, x, y, range)) in placed.into_iter().enumerate() {
            assert_eq!((id, x, y), (list[i].id, list[i].x, list[i].y));
            assert_eq!(range, glyphs.text_range(i));
        }
        // Serialised glyph by glyph, each with its text, as the layout snapshots read them.
        let json = serde_json::to_value(&glyphs).unwrap();
        assert_eq!(json[0]["text"], "ffi");
        assert_eq!(json[2]["text"], "");
        assert_eq!(json[3]["x"], 15.0);
    }

    fn text(y: Pt) -> Item {
        Item::Text {
            x: 12.0,
            y,
            font: FontId(0),
            size: 9.0,
            color: Color(0.0, 0.0, 0.0),
            glyphs: Glyphs::default(),
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
