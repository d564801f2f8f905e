//! Writing the PDF file with krilla: a [`Paged`] display list, the document's images and its
//! facts in, bytes out.
//!
//! krilla (the PDF library typst's export is built on) subsets the fonts, writes ToUnicode from
//! each glyph's source text, the outline, named destinations, links, XMP metadata and, when
//! asked, the structure tree and the checks of PDF/A and PDF/UA. This module only translates:
//! frames to surfaces, anchors to named destinations, outline levels to a tree, and the
//! typesetter's structure to tags (see `tags`). It is the only module that knows krilla.

mod tags;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_svg;

use crate::doc::{Asset, AssetKind};
use crate::typeset::fonts::{FontId, FontSet};
use crate::typeset::frame::{Color, Frame, Glyphs, Item, LinkTarget, OutlineEntry, Pt};
use crate::typeset::Paged;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Configuration, ConfigurationBuilder, PdfVersion};
use krilla::destination::{Destination, NamedDestination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};
use std::collections::BTreeMap;
use std::ops::Range;

pub use tags::Standard;

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
    /// Creation and modification time in Unix seconds; `None` writes the epoch.
    pub date: Option<i64>,
    /// The source files, which structure locations index (for messages).
    pub files: Vec<std::path::PathBuf>,
}

/// How the file is written beyond its content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteOptions {
    /// Standards the file must meet (krilla refuses to write a file that breaks one).
    pub standards: Vec<Standard>,
    /// Leave out the structure tree (the file is then not tagged).
    pub untagged: bool,
    /// Leave out link annotations and the outline (print files).
    pub no_interactive: bool,
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A requested standard is not met; each entry says what is missing and where.
    #[error("the PDF does not meet {standard}: {}", .problems.join("; "))]
    Standard {
        /// The standards asked for, as written on the command line.
        standard: String,
        /// What is missing.
        problems: Vec<String>,
    },
    /// The PDF library failed.
    #[error("{0}")]
    Library(String),
}

/// Writes `paged` as a PDF. The bytes depend only on the arguments: no clock, no randomness,
/// nothing shared with other documents rendered in the same process.
pub fn write(
    paged: &Paged,
    assets: &BTreeMap<String, Asset>,
    info: &PdfInfo,
    options: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    write_with(paged, assets, Pictures::default(), info, options)
}

/// [`write`] with pictures started before the pages were typeset ([`Pictures::start`]).
pub fn write_with(
    paged: &Paged,
    assets: &BTreeMap<String, Asset>,
    pictures: Pictures,
    info: &PdfInfo,
    options: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    let config = configuration(&options.standards)?;
    let settings = SerializeSettings {
        enable_tagging: !options.untagged,
        configuration: config,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let blank;
    let pages = if paged.pages.is_empty() {
        // A PDF needs a page; an empty document gets one blank A4 page.
        blank = [Frame {
            width: 595.28,
            height: 841.89,
            items: Vec::new(),
            boxes: None,
        }];
        &blank[..]
    } else {
        &paged.pages[..]
    };

    let anchors = anchors(pages);
    let named: BTreeMap<&str, NamedDestination> = anchors
        .iter()
        .map(|(id, &(page, y))| {
            let dest = NamedDestination::new(id.to_string(), XyzDestination::new(page, pt(0.0, y)));
            (*id, dest)
        })
        .collect();
    for dest in named.values() {
        let _ = doc.register_named_destination(dest.clone());
    }

    let mut res = Resources {
        fonts: &paged.fonts,
        faces: BTreeMap::new(),
        images: pictures.0,
        assets,
        run: Vec::new(),
    };
    let mut tagger = tags::Tagger::new(&paged.structure, &info.lang, !options.untagged);
    for (index, frame) in pages.iter().enumerate() {
        let mut settings = PageSettings::new(
            Size::from_wh(frame.width.max(1.0), frame.height.max(1.0))
                .ok_or_else(|| WriteError::Library(format!("page {} has no size", index + 1)))?,
        );
        if let Some(b) = &frame.boxes {
            settings = settings
                .with_trim_box(rect(b.trim))
                .with_bleed_box(rect(b.bleed));
        }
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        let links = draw_frame(&mut surface, frame, &mut res, &mut tagger);
        surface.finish();
        if !options.no_interactive {
            for (item, node) in links {
                let Item::Link {
                    x, y, w, h, target, ..
                } = item
                else {
                    continue;
                };
                let Some(area) = Rect::from_xywh(*x, *y, w.max(0.1), h.max(0.1)) else {
                    continue;
                };
                let (target, alt) = match target {
                    LinkTarget::Uri(uri) => (
                        Target::Action(Action::Link(LinkAction::new(ascii_uri(uri)))),
                        uri.clone(),
                    ),
                    // An explicit destination, which every viewer follows; the named ones
                    // serve `file.pdf#id` from outside.
                    LinkTarget::Anchor(id) => {
                        let Some(&(page, y)) = anchors.get(id.as_str()) else {
                            continue;
                        };
                        (
                            Target::Destination(Destination::Xyz(XyzDestination::new(
                                page,
                                pt(0.0, y),
                            ))),
                            format!("go to {id}"),
                        )
                    }
                };
                let annotation = Annotation::new_link(LinkAnnotation::new(area, target), Some(alt));
                if tagger.enabled() {
                    let ident = page.add_tagged_annotation(annotation);
                    tagger.annotation(node, ident);
                } else {
                    page.add_annotation(annotation);
                }
            }
        }
        page.finish();
    }

    if !options.no_interactive {
        doc.set_outline(outline(&paged.outline, &anchors));
    }
    doc.set_metadata(metadata(info, options));
    if let Some(tree) = tagger.finish() {
        doc.set_tag_tree(tree);
    }
    doc.finish()
        .map_err(|e| tags::explain(e, &options.standards, &info.files))
}

/// The PDF version and validators for the standards asked for (none: PDF 1.7, unchecked).
fn configuration(standards: &[Standard]) -> Result<Configuration, WriteError> {
    let mut builder = ConfigurationBuilder::new();
    if standards.is_empty() {
        builder = builder.with_version(PdfVersion::Pdf17);
    }
    for s in standards {
        builder = builder.set_validator(s.validator());
    }
    builder.finish().map_err(|_| WriteError::Standard {
        standard: standards
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join(","),
        problems: vec!["these standards cannot be met by one file".to_string()],
    })
}

/// The fonts and images the pages use, each created once.
struct Resources<'a> {
    fonts: &'a FontSet,
    faces: BTreeMap<u16, Option<Font>>,
    images: BTreeMap<String, Option<Image>>,
    assets: &'a BTreeMap<String, Asset>,
    /// The glyphs of the run being drawn ([`glyph_run`]), kept between runs.
    run: Vec<RunGlyph>,
}

impl Resources<'_> {
    fn font(&mut self, id: FontId) -> Option<Font> {
        let fonts = self.fonts;
        self.faces
            .entry(id.0)
            .or_insert_with(|| {
                if usize::from(id.0) >= fonts.len() {
                    return None;
                }
                Font::new(fonts.face(id).shared_data().into(), fonts.face(id).index())
            })
            .clone()
    }

    fn image(&mut self, key: &str) -> Option<Image> {
        let assets = self.assets;
        self.images
            .entry(key.to_string())
            .or_insert_with(|| raster(assets.get(key)?))
            .clone()
    }
}

/// A raster asset as a krilla image (`None` for an SVG and for what cannot be drawn). Krilla
/// compresses the samples on its thread pool from here on.
fn raster(asset: &Asset) -> Option<Image> {
    if !crate::image::can_draw(asset) {
        return None;
    }
    let data: krilla::Data = asset.bytes.clone().into();
    match asset.kind {
        AssetKind::Png => match asset.pixels.take() {
            Some(pixels) => Image::from_custom(Decoded(pixels), false).ok(),
            None => Image::from_png(data, false).ok(),
        },
        AssetKind::Jpeg => Image::from_jpeg(data, false).ok(),
        // A first frame that does not cover the GIF's screen goes in as the picture it makes
        // on that screen (krilla would size it by the screen).
        AssetKind::Gif => match crate::image::gif_canvas(&asset.bytes) {
            Some((rgba, w, h)) => Some(Image::from_rgba8(rgba, w, h)),
            None => Image::from_gif(data, false).ok(),
        },
        AssetKind::Webp => Image::from_webp(data, false).ok(),
        AssetKind::Svg => None,
    }
}

/// The document's pictures, handed to krilla before its pages are typeset, so that their
/// compression (tens of megabytes of samples for a book's screenshots) runs on the thread
/// pool alongside the typesetting instead of after the last page is drawn, and a PNG's decoded
/// samples are freed before the pages take their memory. A picture the pages never draw is
/// compressed for nothing and left out of the file.
#[derive(Default)]
pub struct Pictures(BTreeMap<String, Option<Image>>);

impl Pictures {
    /// Starts every raster picture of `assets` but the EPUB's `cover`, which the PDF does not
    /// draw (unless the text shows it too: it is then made when first drawn).
    pub fn start(assets: &BTreeMap<String, Asset>, cover: Option<&str>) -> Pictures {
        Pictures(
            assets
                .iter()
                .filter(|(key, a)| a.kind != AssetKind::Svg && Some(key.as_str()) != cover)
                .map(|(key, asset)| (key.clone(), raster(asset)))
                .collect(),
        )
    }
}

/// A picture decoded when the document was read, handed to krilla as samples so that it is not
/// decoded a second time. Hashed by the file it came from, not by its megabytes of samples.
#[derive(Clone)]
struct Decoded(std::sync::Arc<crate::doc::Pixels>);

impl std::hash::Hash for Decoded {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.digest.hash(state);
    }
}

impl krilla::image::CustomImage for Decoded {
    fn color_channel(&self) -> &[u8] {
        &self.0.color
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        self.0.alpha.as_deref()
    }
    fn bits_per_component(&self) -> krilla::image::BitsPerComponent {
        if self.0.sixteen {
            krilla::image::BitsPerComponent::Sixteen
        } else {
            krilla::image::BitsPerComponent::Eight
        }
    }
    fn size(&self) -> (u32, u32) {
        (self.0.width, self.0.height)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        self.0.icc.as_deref()
    }
    fn color_space(&self) -> krilla::image::ImageColorspace {
        if self.0.gray {
            krilla::image::ImageColorspace::Luma
        } else {
            krilla::image::ImageColorspace::Rgb
        }
    }
}

/// A coordinate of the page's content on a grid of a hundredth of a point (3.5 µm, far below
/// what a printer or a screen shows): written with two decimals at most (`83.52`, where the
/// exact value gave `83.52071`), which the compressed page repeats more often and stores in
/// less room. Glyphs within a run keep their own grid (see [`glyph_run`]).
fn on_grid(v: Pt) -> Pt {
    (v * 100.0).round() / 100.0
}

/// The filled boxes of a page (no stroke) painted together: each group is one path of several
/// rectangles in one colour, painted where its first box comes.
///
/// Each box painted on its own repeated krilla's `q … cm … rg … f Q` around it and, in a
/// tagged file, cut the page's text into one marked-content sequence per line that had inline
/// code (`EMC /Artifact BDC … EMC /Span <</MCID n>> BDC`). The Rust book has about 13,000 such
/// boxes (inline code, highlights, code block backgrounds) on 638 pages.
///
/// A box joins the open group of its colour unless something painted since the group's first
/// box, other than text, overlaps it: it then moves under text only, as `frame::join_fills`
/// moves backgrounds (text is the foreground, and the next line's background no longer covers
/// the descenders of the line above). Overlapping images, rules and boxes of other colours keep
/// their order, so the page looks as before.
struct FillGroups {
    /// The group of each item (`NONE` for items not in one).
    group_of: Vec<u32>,
    /// The items of each group, in paint order.
    groups: Vec<Vec<usize>>,
}

impl FillGroups {
    const NONE: u32 = u32::MAX;

    fn of(items: &[Item]) -> FillGroups {
        /// A group still taking boxes, and the extent of what was painted since it began.
        struct Open {
            fill: Color,
            group: usize,
            since: Option<[Pt; 4]>,
        }
        let widen = |since: &mut Option<[Pt; 4]>, b: [Pt; 4]| {
            *since = Some(match *since {
                None => b,
                Some(u) => [
                    u[0].min(b[0]),
                    u[1].min(b[1]),
                    u[2].max(b[2]),
                    u[3].max(b[3]),
                ],
            });
        };
        // Boxes that only touch do not overlap.
        const EPS: Pt = 0.01;
        let overlaps = |u: [Pt; 4], b: [Pt; 4]| {
            b[0] < u[2] - EPS && u[0] < b[2] - EPS && b[1] < u[3] - EPS && u[1] < b[3] - EPS
        };
        let mut out = FillGroups {
            group_of: vec![Self::NONE; items.len()],
            groups: Vec::new(),
        };
        let mut open: Vec<Open> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let painted = match item {
                Item::Rect {
                    fill: Some(fill),
                    stroke: None,
                    ..
                } => {
                    let Some(b) = item.painted_box() else {
                        continue;
                    };
                    let same = open.iter().position(|o| o.fill == *fill);
                    let group =
                        match same.filter(|&k| open[k].since.is_none_or(|u| !overlaps(u, b))) {
                            Some(k) => open[k].group,
                            None => {
                                if let Some(k) = same {
                                    open.remove(k);
                                }
                                out.groups.push(Vec::new());
                                let group = out.groups.len() - 1;
                                open.push(Open {
                                    fill: *fill,
                                    group,
                                    since: None,
                                });
                                group
                            }
                        };
                    out.groups[group].push(i);
                    out.group_of[i] = group as u32;
                    for o in open.iter_mut().filter(|o| o.group != group) {
                        widen(&mut o.since, b);
                    }
                    continue;
                }
                // Text is the foreground; links, anchors and float marks paint nothing.
                other => match other.painted_box() {
                    Some(b) => b,
                    None => continue,
                },
            };
            for o in &mut open {
                widen(&mut o.since, painted);
            }
        }
        out
    }

    /// The group item `index` is painted in, if it is a filled box.
    fn members(&self, index: usize) -> Option<&[usize]> {
        let g = *self.group_of.get(index)?;
        (g != Self::NONE).then(|| self.groups[g as usize].as_slice())
    }
}

/// The rectangle of a box, its edges on the grid of [`on_grid`]; a box thinner than the grid
/// keeps its exact edges rather than vanish.
fn box_rect(x: Pt, y: Pt, w: Pt, h: Pt) -> Option<Rect> {
    let (right, bottom) = (x + w.max(0.0), y + h.max(0.0));
    Rect::from_ltrb(on_grid(x), on_grid(y), on_grid(right), on_grid(bottom))
        .filter(|r| r.width() > 0.0 && r.height() > 0.0)
        .or_else(|| Rect::from_xywh(x, y, w.max(0.0), h.max(0.0)))
}

fn pt(x: Pt, y: Pt) -> Point {
    Point::from_xy(x, y)
}

fn rect(r: [Pt; 4]) -> Option<Rect> {
    Rect::from_ltrb(r[0], r[1], r[2], r[3])
}

fn paint(c: Color) -> rgb::Color {
    let ch = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    rgb::Color::new(ch(c.0), ch(c.1), ch(c.2))
}

fn fill(c: Color) -> Fill {
    Fill {
        paint: paint(c).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn stroke(c: Color, width: Pt) -> Stroke {
    Stroke {
        paint: paint(c).into(),
        width,
        ..Stroke::default()
    }
}

/// Draws one page; returns its links (with their structure nodes) for the annotations.
fn draw_frame<'f>(
    surface: &mut Surface,
    frame: &'f Frame,
    res: &mut Resources,
    tagger: &mut tags::Tagger,
) -> Vec<(&'f Item, Option<u32>)> {
    let mut links = Vec::new();
    let fills = FillGroups::of(&frame.items);
    for (index, item) in frame.items.iter().enumerate() {
        let node = item.node();
        match item {
            Item::Text {
                x,
                y,
                font,
                size,
                color,
                glyphs,
                lang,
                ..
            } => {
                if glyphs.is_empty() {
                    continue;
                }
                let Some(face) = res.font(*font) else {
                    continue;
                };
                let run = &mut res.run;
                glyph_run(res.fonts, *font, *size, glyphs, run);
                tagger.mark_text(surface, node, lang.as_ref());
                surface.set_fill(Some(fill(*color)));
                surface.set_stroke(None);
                let first = glyphs.first().map_or(0.0, |g| g.x);
                let origin = pt(on_grid(*x + first), on_grid(*y));
                surface.draw_glyphs(origin, run, face, glyphs.text(), *size, false);
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill: f,
                stroke: s,
            } => {
                if f.is_none() && s.is_none() {
                    continue;
                }
                let mut pb = PathBuilder::new();
                match fills.members(index) {
                    // Painted with the first box of its group.
                    Some([first, ..]) if *first != index => continue,
                    Some(group) => {
                        for &k in group {
                            if let Item::Rect { x, y, w, h, .. } = &frame.items[k] {
                                if let Some(r) = box_rect(*x, *y, *w, *h) {
                                    pb.push_rect(r);
                                }
                            }
                        }
                    }
                    None => {
                        if let Some(r) = box_rect(*x, *y, *w, *h) {
                            pb.push_rect(r);
                        }
                    }
                }
                let Some(path) = pb.finish() else {
                    continue;
                };
                tagger.mark(surface, node, tags::Content::Artifact);
                surface.set_fill(f.map(fill));
                surface.set_stroke(s.map(|(c, w)| stroke(c, w)));
                surface.draw_path(&path);
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                let mut pb = PathBuilder::new();
                pb.move_to(on_grid(*x1), on_grid(*y1));
                pb.line_to(on_grid(*x2), on_grid(*y2));
                let Some(path) = pb.finish() else {
                    continue;
                };
                tagger.mark(surface, node, tags::Content::Artifact);
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
            Item::Image {
                x, y, w, h, asset, ..
            } => {
                let (Some(size), Some(a)) = (
                    Size::from_wh(w.max(0.01), h.max(0.01)),
                    res.assets.get(asset),
                ) else {
                    continue;
                };
                tagger.mark(surface, node, tags::Content::Image);
                surface.push_transform(&krilla::geom::Transform::from_translate(*x, *y));
                if a.kind == AssetKind::Svg {
                    if let Ok(svg) = &*crate::image::svg::prepare(&a.bytes) {
                        surface.draw_svg(
                            &svg.tree,
                            size,
                            // Labels as outlines of the bundled faces: a figure's words are
                            // not the document's text (its alternative text carries them).
                            SvgSettings {
                                embed_text: false,
                                filter_scale: 1.5,
                            },
                        );
                    }
                } else if let Some(image) = res.image(asset) {
                    surface.draw_image(image, size);
                }
                surface.pop();
            }
            Item::Link { .. } => links.push((item, node)),
            Item::Anchor { .. } => {}
            Item::FloatRef { node } => tagger.reserve(*node),
        }
    }
    tagger.end(surface);
    links
}

/// One positioned glyph as krilla wants it: the advance to the next glyph and the vertical
/// offset, both in em (krilla scales them by the font size), and the glyph's share of the
/// run's text.
struct RunGlyph {
    id: GlyphId,
    text: Range<usize>,
    advance: f32,
    rise: f32,
}

impl krilla::text::Glyph for RunGlyph {
    fn glyph_id(&self) -> GlyphId {
        self.id
    }
    fn text_range(&self) -> Range<usize> {
        self.text.clone()
    }
    fn x_advance(&self, size: f32) -> f32 {
        self.advance * size
    }
    fn x_offset(&self, _size: f32) -> f32 {
        0.0
    }
    fn y_offset(&self, size: f32) -> f32 {
        self.rise * size
    }
    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }
    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

/// The run's glyphs as krilla takes them, with their ranges of the item's text
/// ([`Glyphs::text`], which krilla is given as it is). Positions become advances: the next
/// glyph's position less where this one was written, both on the face's grid of
/// [`steps_per_em`] (the last glyph keeps its font advance). On that grid krilla's adjustments (the numbers between the glyphs of a `TJ`)
/// come out in whole thousandths of an em for the usual 1,000-unit faces, `-22` where the exact
/// positions gave `-22.014984` (all but about one in fifty: krilla's own `f32` arithmetic leaves
/// those a few millionths off). Digits that never repeat are what deflate finds least to match:
/// for the Rust book the page contents became a tenth shorter and a fifth smaller compressed
/// (its PDF 4.8 MB instead of 5.4), and the build 4 % quicker. A glyph moves by at
/// most half a step (0.0055 pt at 11 pt), never more, since each position is rounded and not
/// each advance. A glyph with no text of its own (the second glyph of a decomposed cluster)
/// shares the range of the glyph before it, so the cluster's text is written once. `run` is
/// cleared and filled: the writer keeps one for all its runs.
fn glyph_run(fonts: &FontSet, font: FontId, size: Pt, glyphs: &Glyphs, run: &mut Vec<RunGlyph>) {
    run.clear();
    run.reserve(glyphs.len());
    let em = if size.abs() < 1e-6 { 1.0 } else { size };
    let face = fonts.face(font);
    let upem = u32::from(face.units_per_em.max(1));
    let steps = steps_per_em(upem);
    // Where the glyph being written stands, in steps from the run's first glyph.
    let mut at = 0i64;
    let mut placed = glyphs.placements().peekable();
    let first = placed.peek().map_or(0.0, |g| g.1);
    while let Some((id, _, y, range)) = placed.next() {
        let advance = match placed.peek() {
            Some(next) => {
                (f64::from(next.1 - first) / f64::from(em) * f64::from(steps)).round() as i64 - at
            }
            None => {
                let own_units = face
                    .advance_table()
                    .get(usize::from(id))
                    .copied()
                    .unwrap_or(0.0);
                own_units.round() as i64 * i64::from(steps / upem)
            }
        };
        at += advance;
        let range = if range.is_empty() {
            run.last().map_or(range, |r| r.text.clone())
        } else {
            range
        };
        run.push(RunGlyph {
            id: GlyphId::new(u32::from(id)),
            text: range,
            // Divided in `f32`, as krilla divides the font's advance by the face's units: for a
            // glyph written at its own advance the two quotients are the same number, and
            // krilla writes no adjustment at all.
            advance: advance as f32 / steps as f32,
            rise: -y / em,
        });
    }
}

/// The grid glyph positions are written on, in steps per em: the face's units, or a multiple of
/// them for a face of fewer than 1,000 (a thousandth of an em, 0.01 pt at 11 pt, is as coarse
/// as a position gets).
fn steps_per_em(upem: u32) -> u32 {
    upem * 1000u32.div_ceil(upem)
}

/// Where each anchor is: page index and the y of its top. The first occurrence of an id wins.
fn anchors(frames: &[Frame]) -> BTreeMap<&str, (usize, Pt)> {
    let mut out = BTreeMap::new();
    for (page, frame) in frames.iter().enumerate() {
        for item in &frame.items {
            if let Item::Anchor { id, y } = item {
                out.entry(id.as_str()).or_insert((page, *y));
            }
        }
    }
    out
}

/// A URI as the 7-bit ASCII PDF requires: bytes outside printable ASCII are %-escaped
/// (UTF-8), as a browser would send them.
pub(crate) fn ascii_uri(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for &b in uri.as_bytes() {
        if (0x21..0x7F).contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The outline tree. Levels nest by stack: an entry becomes the child of the nearest preceding
/// shallower one, so a jump from level 1 to 3 still nests once. Entries whose anchor was never
/// placed are left out.
fn outline(entries: &[OutlineEntry], anchors: &BTreeMap<&str, (usize, Pt)>) -> Outline {
    // Built bottom-up: a node is pushed into its parent once every child has been added.
    let mut stack: Vec<(u8, OutlineNode)> = Vec::new();
    let mut root = Outline::new();
    let close = |stack: &mut Vec<(u8, OutlineNode)>, root: &mut Outline, level: u8| {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            let (_, node) = stack.pop().expect("checked above");
            match stack.last_mut() {
                Some((_, parent)) => parent.push_child(node),
                None => root.push_child(node),
            }
        }
    };
    for e in entries {
        let Some(&(page, y)) = anchors.get(e.anchor.as_str()) else {
            continue;
        };
        close(&mut stack, &mut root, e.level);
        let node = OutlineNode::new(e.title.clone(), XyzDestination::new(page, pt(0.0, y)));
        stack.push((e.level, node));
    }
    close(&mut stack, &mut root, 0);
    root
}

/// The document facts as krilla writes them into the Info dictionary and XMP.
fn metadata(info: &PdfInfo, options: &WriteOptions) -> Metadata {
    let mut m = Metadata::new()
        .creator("bindery".to_string())
        .producer(format!("bindery {}", env!("CARGO_PKG_VERSION")))
        .creation_date(date_time(info.date.unwrap_or(0)));
    if !info.title.trim().is_empty() {
        m = m.title(info.title.clone());
    }
    if !info.authors.is_empty() {
        m = m.authors(info.authors.clone());
    }
    if let Some(s) = info.subject.as_ref().filter(|s| !s.trim().is_empty()) {
        m = m.description(s.clone());
    }
    if !info.keywords.is_empty() {
        m = m.keywords(info.keywords.clone());
    }
    if !info.lang.is_empty() {
        m = m.language(info.lang.clone());
    }
    let _ = options;
    m
}

/// Unix seconds as a UTC date and time.
fn date_time(secs: i64) -> DateTime {
    let t = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
    use chrono::{Datelike, Timelike};
    DateTime::new(t.year().clamp(0, 9999) as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}
