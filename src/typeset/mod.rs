//! The typesetting engine: fonts, shaping, line breaking, layout, pagination and composition,
//! ending in [`Paged`], a plain display list of pages that any paged backend draws.
//!
//! [`Typesetter::typeset`] lays the document's sections out in parallel (rayon), paginates the
//! joined flow in order ([`Typesetter::paginate`], where an EPUB's page list can start), then
//! composes each page (running header, footnotes, page number) and optionally imposes a booklet
//! ([`Paginated::compose`]). Nothing here knows a file format: no module under
//! `src/typeset/` imports a backend (a test in `tests/it/arch.rs` checks it).

pub mod bidi;
pub mod compose;
pub mod faces_used;
pub mod fonts;
pub mod frame;
pub mod hyphenate;
pub mod layout;
pub mod linebreak;
pub mod math;
pub mod missing;
pub mod paginate;
pub mod paragraph;
pub mod reuse;
pub mod segment;
pub mod shape;
pub mod sheet;

use crate::doc::{plain_text, Block, Document};
use crate::error::{Diagnostic, Result};
use crate::page::{self, PageSetup};
use fonts::FontSet;
use layout::{Ctx, Flow, Metrics};
use rayon::prelude::*;
use std::sync::Arc;

/// How pages are put on sheets (`--layout`, front matter `layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One page per sheet side, in order.
    #[default]
    Plain,
    /// Two pages per landscape sheet, reordered so a folded duplex stack reads in order.
    Booklet,
}

/// Typesetting options resolved from the command line (front matter may set paper, margins and
/// toc). The engine does not know the command line: `cli` fills these in.
#[derive(Clone)]
pub struct Options {
    /// `--paper`, parsed.
    pub paper: Option<(frame::Pt, frame::Pt)>,
    /// `--margins`, as written (checked once the paper is known).
    pub margins: Option<String>,
    /// `--toc`
    pub toc: bool,
    /// `--toc-depth`
    pub toc_depth: Option<u8>,
    /// `--two-sided`
    pub two_sided: bool,
    /// `--layout`; when not given, the document's `layout` (front matter, book configuration).
    pub layout: Option<Layout>,
    /// `--font-dir` was given (it wins over front matter).
    pub font_dir: bool,
    /// Bleed, crop marks and print-on-demand rules.
    pub print: sheet::Print,
}

/// A typeset document: the pages as display lists, and what a viewer's navigation needs.
/// This is where the engine stops; a paged backend turns it into a file.
pub struct Paged {
    /// The pages, in order.
    pub pages: Vec<frame::Frame>,
    /// The document's logical structure; content items refer to it by index.
    pub structure: Vec<frame::StructNode>,
    /// The bookmarks, in reading order (nesting follows their levels).
    pub outline: Vec<frame::OutlineEntry>,
    /// The faces the pages' glyph runs refer to by [`fonts::FontId`].
    pub fonts: Arc<FontSet>,
    /// Warnings from typesetting.
    pub diagnostics: Vec<Diagnostic>,
    /// The system faces the pages use, one line each (see [`faces_used`]), for `--verbose`.
    pub faces: Vec<String>,
    /// Where each page with body text begins in the model, in page order, for an EPUB's page
    /// list; empty for a booklet, whose sheets are not the pages a reader cites.
    pub page_starts: Vec<crate::doc::PageStart>,
}

/// The engine, with its fonts loaded once for every document of a run.
pub struct Typesetter {
    options: Options,
    fonts: Arc<FontSet>,
    /// Whether fallback to system fonts is on (for documents that bring their own fonts).
    system_fonts: bool,
    /// Section layouts kept for the next build of the same document (`bindery watch` only:
    /// a single build would pay for the copies and never use them).
    layouts: Option<reuse::Layouts>,
}

impl Typesetter {
    /// An engine with explicit options and fonts.
    pub fn new(options: Options, fonts: Arc<FontSet>) -> Self {
        Typesetter {
            options,
            fonts,
            system_fonts: true,
            layouts: None,
        }
    }

    /// Keeps each document's section layouts from one build to the next, and reuses those
    /// whose blocks did not change (see [`reuse`]).
    pub fn keep_layouts(&mut self) {
        self.layouts.get_or_insert_with(Default::default);
    }

    /// Turns fallback to system fonts off (`--no-system-fonts`) or on, for the fonts this
    /// engine loads for a document of its own (front matter `fonts`, a style's faces).
    pub fn with_system_fonts(mut self, on: bool) -> Self {
        self.system_fonts = on;
        self
    }

    /// The fonts for a document: its front matter's `fonts` folder (relative to the source)
    /// when set and no `--font-dir` was given, else the backend's.
    fn fonts_for(&self, doc: &Document, cli_font_dir: bool) -> Result<Arc<FontSet>> {
        let faces = &doc.style.fonts;
        let default = crate::style::Fonts::default();
        if doc.meta.fonts.is_none() && !cli_font_dir && *faces != default {
            // The style's faces (read with the style file) in their slots of a new set.
            let mut set = FontSet::load(None, self.system_fonts)?;
            for (setting, slots) in [(&faces.text, 0..4), (&faces.code, 4..6)] {
                for (slot, face) in style_faces(setting, slots) {
                    set.set_slot(slot, face);
                }
            }
            return Ok(Arc::new(set));
        }
        match (&doc.meta.fonts, cli_font_dir) {
            (Some(dir), false) => {
                let base = doc
                    .files
                    .first()
                    .and_then(|p| p.parent())
                    .unwrap_or(std::path::Path::new(""));
                // The message names the document and the line that asked for the folder.
                let fonts = FontSet::load(Some(&base.join(dir)), self.system_fonts)
                    .map_err(|e| crate::doc::setting_error(doc, "fonts", e))?;
                Ok(Arc::new(fonts))
            }
            _ => Ok(self.fonts.clone()),
        }
    }

    /// The page layout: the command line's, else the document's, else plain pages.
    fn layout(&self, doc: &Document) -> Layout {
        self.options.layout.unwrap_or(match doc.meta.booklet {
            Some(true) => Layout::Booklet,
            _ => Layout::Plain,
        })
    }

    /// Page geometry for a document: command line first, then front matter, then A4.
    fn setup(&self, doc: &Document) -> Result<PageSetup> {
        let path = doc
            .files
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let origin = format!("{path}: front matter");
        let kdp = self.options.print.kdp;
        let (w, h) = match (self.options.paper, &doc.meta.paper) {
            (Some(p), _) => p,
            (None, Some(p)) => {
                let p = page::parse_paper(&origin, p)?;
                if kdp {
                    sheet::kdp_trim(&origin, p)?;
                }
                p
            }
            // The style's paper, unless it is the default one and KDP has its own.
            (None, None) if kdp && doc.style.page.size == crate::style::Page::default().size => {
                sheet::KDP_DEFAULT
            }
            (None, None) => {
                let p = doc.style.page.size.size();
                if kdp {
                    sheet::kdp_trim(&style_origin(doc, "size"), p)?;
                }
                p
            }
        };
        // A booklet puts two pages side by side on each sheet: the pages are half a sheet.
        let (w, h) = if self.layout(doc) == Layout::Booklet {
            (h / 2.0, w)
        } else {
            (w, h)
        };
        let mut s = PageSetup::for_paper(w, h);
        match (
            &self.options.margins,
            &doc.meta.margins,
            &doc.style.page.margins.0,
        ) {
            (Some(m), _, _) => page::apply_margins(&mut s, "--margins", m)?,
            (None, Some(m), _) => page::apply_margins(&mut s, &origin, m)?,
            (None, None, Some(m)) => page::apply_margins(&mut s, &style_origin(doc, "margins"), m)?,
            _ => {}
        }
        if self.options.two_sided
            || doc.meta.two_sided == Some(true)
            || self.layout(doc) == Layout::Booklet
        {
            s.make_two_sided();
        }
        // Each setting was checked where it was given; their combination (the command line's
        // paper with the document's margins, say) is checked here.
        s.check().map_err(|message| crate::Error::Setting {
            origin: origin.clone(),
            message,
        })?;
        if kdp && self.layout(doc) == Layout::Booklet {
            return Err(crate::Error::Setting {
                origin: format!("{path}: layout"),
                message: "a KDP interior is printed page by page, not as a booklet".into(),
            });
        }
        Ok(s)
    }
}

impl Typesetter {
    /// Typesets a document into pages: [`Typesetter::paginate`], then [`Paginated::compose`].
    pub fn typeset(&self, doc: &Document) -> Result<Paged> {
        Ok(self.paginate(doc)?.compose())
    }

    /// Lays a document out and cuts it into pages, short of composing them into frames. Under
    /// KDP's rules the gutter grows with the page count, which the gutter changes in turn: the
    /// book is set again (at most twice more) until its gutter suits its length.
    pub fn paginate<'a>(&'a self, doc: &'a Document) -> Result<Paginated<'a>> {
        let base = self.setup(doc)?;
        if !self.options.print.kdp {
            return self.paginate_on(doc, base);
        }
        let mut pages = 0;
        let mut paginated = None;
        for _ in 0..3 {
            let mut setup = base;
            sheet::kdp_margins(&mut setup, pages);
            let p = self.paginate_on(doc, setup)?;
            let count = p.pages.len();
            let settled = sheet::kdp_inside(count) <= setup.inner;
            pages = count;
            paginated = Some(p);
            if settled {
                break;
            }
        }
        let mut paginated = paginated.expect("the loop runs at least once");
        if !sheet::KDP_PAGES.contains(&paginated.pages.len()) {
            let path = doc.files.first().cloned().unwrap_or_default();
            paginated.flow.warnings.push(Diagnostic::warning(
                crate::error::Code::Print,
                path,
                0,
                0,
                format!(
                    "KDP prints paperbacks of {} to {} pages; this one has {}",
                    sheet::KDP_PAGES.start(),
                    sheet::KDP_PAGES.end(),
                    paginated.pages.len()
                ),
            ));
        }
        Ok(paginated)
    }

    /// Lays a document out on pages of `setup`.
    fn paginate_on<'a>(&'a self, doc: &'a Document, setup: PageSetup) -> Result<Paginated<'a>> {
        let body = doc.style.body_size(setup.measure());
        let m = Metrics::new(body, &doc.style);
        let font_set = self.fonts_for(doc, self.options.font_dir)?;
        let fonts: &FontSet = &font_set;
        let measure = setup.measure();
        let max_h = setup.text_height();

        // The title block shows the title; a first level-1 heading that repeats it is not set
        // twice (its anchor and bookmark stay).
        let skip_first = matches!(doc.blocks.first(), Some(Block::Heading { level: 1, content, .. })
            if plain_text(content).trim() == doc.meta.title.trim());
        let blocks = if skip_first {
            &doc.blocks[1..]
        } else {
            &doc.blocks[..]
        };

        // Sections (split before each level-1 and level-2 heading) are laid out in parallel.
        // Images are decoded and compressed alongside, not when the writer reaches them.
        let sections = split_sections(blocks);
        let context = self
            .layouts
            .as_ref()
            .map(|_| reuse::Context::new(doc, &font_set, body, measure, max_h));
        let kept = match (&self.layouts, &context) {
            (Some(layouts), Some(context)) => layouts.take(doc, context),
            _ => None,
        };
        let ((), (flows, reused)) = rayon::join(
            || {
                // The cover image belongs to the EPUB; the PDF does not draw it.
                let cover = doc.meta.cover.as_deref();
                crate::image::prepare_all(
                    doc.assets
                        .iter()
                        .filter(|(key, _)| Some(key.as_str()) != cover)
                        .map(|(_, asset)| asset),
                )
            },
            || {
                sections
                    .par_iter()
                    .map(|section| {
                        if let Some(found) = kept.as_ref().and_then(|k| k.find(section)) {
                            return (found.1.clone(), Some(found));
                        }
                        let mut ctx = Ctx::new(fonts, doc, m, measure, max_h);
                        let mut out = Vec::new();
                        ctx.blocks(section, 0.0, measure, &mut out);
                        ctx.flow.fragments = out;
                        (ctx.flow, None)
                    })
                    .unzip::<_, _, Vec<Flow>, Vec<_>>()
            },
        );

        crate::trace::stage("typeset: sections laid out");
        if let (Some(layouts), Some(context)) = (&self.layouts, context) {
            layouts.keep(doc, context, &sections, &flows, reused);
        }
        let mut title_ctx = Ctx::new(fonts, doc, m, measure, max_h);
        let mut fragments =
            compose::title_block(&mut title_ctx, skip_first.then(|| &doc.blocks[0]));
        // The contents go after the title block.
        let title_len = fragments.len();
        let mut flow = title_ctx.flow;
        flow.fragments.clear();
        for mut f in flows {
            // Each section numbered its structure nodes from 0: they follow what came before.
            f.shift_structure(flow.structure.len() as u32);
            flow.structure.append(&mut f.structure);
            fragments.extend(f.fragments);
            flow.notes.extend(f.notes);
            flow.outline.extend(f.outline);
            flow.warnings.extend(f.warnings);
            flow.missing.merge(f.missing);
            for (kind, d) in f.once {
                flow.once.entry(kind).or_insert(d);
            }
        }
        let toc = self.options.toc || doc.meta.toc.unwrap_or(false);
        let depth = self.options.toc_depth.or(doc.meta.toc_depth).unwrap_or(3);
        let pages = if toc {
            let (pages, mut structure) = compose::with_toc(
                fonts,
                doc,
                m,
                &setup,
                &mut fragments,
                title_len,
                &flow,
                depth,
            );
            flow.structure.append(&mut structure);
            pages
        } else {
            paginate::paginate(
                &fragments,
                &flow.notes,
                setup.text_height(),
                setup.two_sided,
            )
        };
        crate::trace::stage("typeset: paginated");
        let page_starts = if self.layout(doc) == Layout::Booklet {
            Vec::new()
        } else {
            page_starts(&pages, &fragments)
        };
        Ok(Paginated {
            engine: self,
            doc,
            fonts: font_set,
            m,
            setup,
            pages,
            fragments,
            flow,
            page_starts,
        })
    }
}

/// A document laid out and cut into pages, its pages not yet composed into frames (running
/// heads, notes, figures moved into place). An EPUB's page list needs only where the pages
/// start, so it is written while the frames are composed.
pub struct Paginated<'a> {
    engine: &'a Typesetter,
    doc: &'a Document,
    fonts: Arc<FontSet>,
    m: Metrics,
    setup: PageSetup,
    pages: Vec<paginate::Page>,
    fragments: Vec<layout::Fragment>,
    flow: Flow,
    /// Where each page with body text begins in the model (see [`Paged::page_starts`]).
    pub page_starts: Vec<crate::doc::PageStart>,
}

impl Paginated<'_> {
    /// The pages composed into frames.
    pub fn compose(self) -> Paged {
        let Paginated {
            engine,
            doc,
            fonts: font_set,
            m,
            setup,
            pages,
            fragments,
            mut flow,
            page_starts,
        } = self;
        let fonts: &FontSet = &font_set;
        let notes = std::mem::take(&mut flow.notes);
        let mut frames = compose::frames(fonts, doc, m, &setup, &pages, fragments, notes);
        if engine.layout(doc) == Layout::Booklet {
            frames = compose::booklet(frames, &setup);
        }
        let frames = sheet::place(frames, &engine.options.print);
        let mut diagnostics = flow.warnings;
        diagnostics.extend(flow.once.into_values());
        if let Some(d) = flow.missing.warning(doc, engine.system_fonts) {
            diagnostics.push(d);
        }
        crate::trace::stage("typeset: pages composed");
        let faces = faces_used::lines(fonts, &frames);
        Paged {
            pages: frames,
            structure: flow.structure,
            outline: flow.outline,
            fonts: font_set.clone(),
            diagnostics,
            faces,
            page_starts,
        }
    }
}

/// Names a style file's page setting in messages about the page it makes (`style.toml:
/// [page] margins`).
fn style_origin(doc: &Document, key: &str) -> String {
    match &doc.style.path {
        Some(p) => format!("{}: [page] {key}", p.display()),
        None => format!("default style: [page] {key}"),
    }
}

/// The faces a style's font setting puts in `slots` (text 0..4, code 4..6): a bundled family's
/// faces in order, or font files each in the slot of its own weight and style (a file
/// without a match for a slot leaves that slot bundled).
fn style_faces(
    setting: &crate::style::FaceSetting,
    slots: std::ops::Range<usize>,
) -> Vec<(usize, fonts::Face)> {
    use crate::style::FaceSetting;
    match setting {
        // A family without italics (the monospace one) repeats its upright faces.
        FaceSetting::Family(name) => crate::font::bundled_family(name)
            .map(|family| {
                let [regular, bold, italic, bold_italic] = family.faces;
                let faces = [regular, bold, italic.or(regular), bold_italic.or(bold)];
                slots
                    .clone()
                    .zip(faces)
                    .filter_map(|(slot, face)| {
                        let (ps, bytes) = face?;
                        fonts::Face::from_static(bytes, ps).map(|f| (slot, f))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        FaceSetting::Files(files) => {
            // Each file in the slot of its own weight and style; a slot no file matches takes
            // the nearest one given (bold italic: bold, else italic; bold and italic: regular),
            // so one file sets every style in the same family rather than mixing in a bundled
            // face.
            let mut by_slot: [Option<&[u8]>; 6] = [None; 6];
            for f in files {
                if let Some(face) = fonts::Face::from_owned(f.data.as_ref().clone()) {
                    let slot = match (slots.start, face.bold, face.italic) {
                        (0, false, false) => 0,
                        (0, true, false) => 1,
                        (0, false, true) => 2,
                        (0, true, true) => 3,
                        (_, false, _) => 4,
                        (_, true, _) => 5,
                    };
                    by_slot[slot].get_or_insert(f.data.as_slice());
                }
            }
            let nearest: [&[usize]; 6] =
                [&[1, 2, 3], &[0, 3, 2], &[0, 3, 1], &[1, 2, 0], &[5], &[4]];
            slots
                .filter_map(|slot| {
                    let data =
                        by_slot[slot].or_else(|| nearest[slot].iter().find_map(|s| by_slot[*s]))?;
                    fonts::Face::from_owned(data.to_vec()).map(|f| (slot, f))
                })
                .collect()
        }
    }
}

/// Where each page begins in the model: its first fragment that came from a block (the title
/// block and the contents did not) and stands where the text put it: a figure that floated
/// onto the page belongs to the text of the page before, so the page starts with the text
/// under it. A page with none (the contents, a page left blank, a page of footnotes carried
/// over, a page of floated figures) has no start.
fn page_starts(pages: &[paginate::Page], frags: &[layout::Fragment]) -> Vec<crate::doc::PageStart> {
    let mut floated = vec![false; frags.len()];
    for (_, placed) in pages.iter().flat_map(|p| &p.body) {
        if let paginate::Placed::FloatRef(i) = placed {
            let len = frags[*i].float.map_or(1, |f| f.len).min(frags.len() - i);
            floated[*i..*i + len].fill(true);
        }
    }
    pages
        .iter()
        .enumerate()
        .filter_map(|(n, page)| {
            page.body.iter().find_map(|(_, placed)| match placed {
                paginate::Placed::Body(i) if !floated[*i] => {
                    frags[*i].source.map(|(loc, offset)| crate::doc::PageStart {
                        page: n as u32 + 1,
                        loc,
                        offset,
                    })
                }
                _ => None,
            })
        })
        .collect()
}

/// Splits blocks before each level-1 or level-2 heading, for parallel layout.
fn split_sections(blocks: &[Block]) -> Vec<&[Block]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in blocks.iter().enumerate() {
        if i > start && matches!(b, Block::Heading { level: 1 | 2, .. }) {
            out.push(&blocks[start..i]);
            start = i;
        }
    }
    if start < blocks.len() {
        out.push(&blocks[start..]);
    }
    out
}

/// `YYYY-MM-DD` (optionally followed by a time) as Unix seconds at midnight UTC.
pub fn parse_date(date: &str) -> Option<i64> {
    let d = date.get(..10)?;
    let mut parts = d.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::parse_date("1970-01-01"), Some(0));
        assert_eq!(super::parse_date("2026-11-25"), Some(1_795_564_800));
        assert_eq!(super::parse_date("soon"), None);
    }
}

#[cfg(test)]
mod tests_layout;
