//! The document model as XHTML 5 (polyglot): chapters for the EPUB, one fragment for HTML.
//!
//! One writer serves every output that wants markup. [`render_book`] splits the body at level-1
//! headings, one file each, and rewrites every link so it resolves inside the package (or turns
//! it into plain text with a warning); [`render_fragment`] writes the whole body as one fragment
//! with links kept as written. Either way the result is well-formed XML whatever the input.

pub mod escape;
mod mathml;
mod writer;

use crate::doc::{plain_text, Block, Document, Loc};
use crate::error::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
pub use writer::PAGE_BREAK;
use writer::{PageMarks, Targets, Writer};

/// One chapter file of a book.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// File name inside the package (`ch01.xhtml`).
    pub file: String,
    /// Plain-text title: its level-1 heading, else the document title; never empty, and
    /// already through the XML gate (it goes into the package as it is).
    pub title: String,
    /// Id of the heading the chapter opens with, if any.
    pub id: Option<String>,
    /// Nesting in the navigation: 1 for top-level chapters, deeper for a book's sub-chapters.
    pub level: u8,
    /// Headings of level 2 and deeper, in order, for the navigation document.
    pub toc: Vec<TocEntry>,
    /// The body's markup (what goes inside `<body>`), notes at the end.
    pub body: String,
}

/// A heading listed in the navigation document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    /// 2 to 6.
    pub level: u8,
    /// Anchor inside the chapter file (already a valid XML id).
    pub id: String,
    /// Plain text, never empty, already through the XML gate.
    pub title: String,
}

/// A document as chapter files, with the warnings writing them raised.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The chapters, in reading order.
    pub chapters: Vec<Chapter>,
    /// Package path of every asset, keyed like [`Document::assets`].
    pub assets: BTreeMap<String, String>,
    /// Warnings (broken links, raw HTML that was changed), in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every picture written as an image, in document order (for the accessibility claims).
    pub pictures: Vec<Picture>,
    /// How many formulas were written.
    pub maths: usize,
    /// How many of them as MathML (`Options::mathml`).
    pub mathml: usize,
}

/// A picture the chapters show.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Whether it has alternative text.
    pub alt: bool,
    /// Where it is written in the source.
    pub path: std::path::PathBuf,
    pub loc: Loc,
}

/// Options of the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Syntax-highlight code blocks with `hl-*` span classes.
    pub highlight: bool,
    /// Formulas as MathML (the EPUB); else, and where the TeX parser refuses one, as their
    /// TeX source.
    pub mathml: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            highlight: true,
            mathml: false,
        }
    }
}

/// How links and image sources are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// As written (a standalone HTML page).
    Keep,
    /// Rewritten to chapter files and packaged assets (EPUB).
    Package,
}

/// Package path of the asset at `index` of [`Document::assets`].
pub fn asset_path(index: usize, kind: crate::doc::AssetKind) -> String {
    format!("images/img{:03}.{}", index + 1, kind.extension())
}

/// Splits a document into chapter files and writes each as XHTML.
///
/// Two passes: the first only records which ids each chapter really carries (headings, notes,
/// kept raw-HTML anchors); the second writes the markup, so a link is rewritten only to a
/// target that exists and EPUBCheck never sees a dangling fragment.
pub fn render_book(doc: &Document, options: Options) -> Book {
    render_book_paged(doc, options, &[])
}

/// [`render_book`] with the print edition's page breaks marked where `pages` says each page
/// begins (`epub:type="pagebreak"` spans, ids `page-N`).
pub fn render_book_paged(
    doc: &Document,
    options: Options,
    pages: &[crate::doc::PageStart],
) -> Book {
    let mut marks = PageMarks::new();
    for p in pages {
        marks.entry(p.loc).or_default().push((p.offset, p.page));
    }
    let files: Vec<String> = (0..split(&doc.blocks).len())
        .map(|i| format!("ch{:02}.xhtml", i + 1))
        .collect();
    let assets: BTreeMap<String, String> = doc
        .assets
        .iter()
        .enumerate()
        .map(|(i, (key, asset))| (key.clone(), asset_path(i, asset.kind)))
        .collect();
    render_parts(doc, options, files, assets, &marks)
}

/// The chapters of [`render_book`] for one page holding them all (the HTML backend): every
/// link to a heading, anchor or note is `#id`, and each image's source is what `sources`
/// gives for its key (a `data:` URI); an image `sources` lacks is written as its alt text.
pub fn render_page(doc: &Document, options: Options, sources: BTreeMap<String, String>) -> Book {
    let files = vec![String::new(); split(&doc.blocks).len()];
    render_parts(doc, options, files, sources, &PageMarks::new())
}

/// [`render_book`] with the chapters' file names (one per part of [`split`]) and the image
/// sources given.
fn render_parts(
    doc: &Document,
    options: Options,
    files: Vec<String>,
    assets: BTreeMap<String, String>,
    marks: &PageMarks,
) -> Book {
    let parts = split(&doc.blocks);
    let book = doc
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Chapter { .. } | Block::Part { .. }));

    let survey = |reserved: &BTreeSet<String>| {
        let mut targets = Targets::default();
        let mut scratch = Vec::new();
        for (index, blocks) in parts.iter().enumerate() {
            let mut w = Writer::new(
                doc,
                Mode::Package,
                Options {
                    highlight: false,
                    mathml: false,
                },
                index,
                &files,
                &assets,
                None,
                reserved,
                &mut targets,
                &mut scratch,
            );
            w.chapter(blocks);
        }
        targets
    };
    // Ids the writer makes up (notes, listings) step aside from the model's: known after one
    // survey, so a second one is needed only when an author's id took one of their names.
    let mut reserved = BTreeSet::new();
    let mut targets = survey(&reserved);
    if targets.collided() {
        reserved = std::mem::take(&mut targets.model);
        targets = survey(&reserved);
    }

    let mut diagnostics = Vec::new();
    let mut seen = Targets::default();
    let mut chapters = Vec::with_capacity(parts.len());
    let mut pictures = Vec::new();
    let mut maths = 0;
    let mut mathml = 0;
    let words = crate::locale::Locale::of(&doc.meta.lang).words;
    for (index, blocks) in parts.iter().enumerate() {
        let mut w = Writer::new(
            doc,
            Mode::Package,
            options,
            index,
            &files,
            &assets,
            Some(&targets),
            &reserved,
            &mut seen,
            &mut diagnostics,
        );
        w.page_marks(marks);
        let body = w.chapter(blocks);
        pictures.extend(w.pictures.drain(..).map(|(alt, loc)| Picture {
            alt,
            path: source_path(doc, loc),
            loc,
        }));
        maths += w.maths;
        mathml += w.mathml;
        // A book's chapter opens with its marker and then its title heading, at any level.
        let (level, opening) = match blocks.first() {
            Some(Block::Chapter { depth, .. }) => (*depth, blocks.get(1)),
            Some(Block::Part { .. }) => (1, blocks.first()),
            other => (
                1,
                other.filter(|b| matches!(b, Block::Heading { level: 1, .. })),
            ),
        };
        let (title, id) = match opening {
            Some(Block::Heading { id, content, .. }) => (
                nonempty(&plain_text(content), &document_title(doc)),
                Some(escape::xml_id(id).into_owned()),
            ),
            Some(Block::Part { title, id, .. }) => (
                nonempty(title, words.part),
                Some(escape::xml_id(id).into_owned()),
            ),
            _ => (document_title(doc), None),
        };
        let title_ptr = opening.map(|b| b as *const Block);
        let toc = blocks
            .iter()
            .filter(|b| Some(*b as *const Block) != title_ptr)
            .filter_map(|b| match b {
                Block::Heading {
                    level, id, content, ..
                } if *level > 1 || book => Some(TocEntry {
                    level: *level,
                    id: escape::xml_id(id).into_owned(),
                    title: nonempty(&plain_text(content), words.untitled),
                }),
                _ => None,
            })
            .collect();
        chapters.push(Chapter {
            file: files[index].clone(),
            title,
            id,
            level: level.max(1),
            toc,
            body,
        });
    }
    Book {
        chapters,
        assets,
        diagnostics: merge_repeats(diagnostics),
        pictures,
        maths,
        mathml,
    }
}

/// Writes the whole body as one XHTML fragment (notes at the end), links and image sources
/// kept as written. For HTML output and for comparing against other Markdown renderers.
pub fn render_fragment(doc: &Document, options: Options) -> (String, Vec<Diagnostic>) {
    let files = vec![String::new()];
    let assets = BTreeMap::new();
    let write = |reserved: &BTreeSet<String>| {
        let mut targets = Targets::default();
        let mut diagnostics = Vec::new();
        let mut w = Writer::new(
            doc,
            Mode::Keep,
            options,
            0,
            &files,
            &assets,
            None,
            reserved,
            &mut targets,
            &mut diagnostics,
        );
        let body = w.chapter(&doc.blocks);
        (body, diagnostics, targets)
    };
    // As in `render_book`: written again, the model's ids reserved, after a collision.
    let (mut body, mut diagnostics, targets) = write(&BTreeSet::new());
    if targets.collided() {
        (body, diagnostics, _) = write(&targets.model);
    }
    (body, merge_repeats(diagnostics))
}

/// A complete XHTML document around `body`, with the language and direction (right to left
/// when `rtl`) set and the stylesheet linked.
pub fn page(
    title: &str,
    lang: &str,
    rtl: bool,
    stylesheet: Option<&str>,
    body_class: &str,
    body: &str,
) -> String {
    let lang = escape::attr(lang);
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    // The direction is written either way, so a reading system never has to guess it.
    out.push_str(&format!(
        " lang=\"{lang}\" xml:lang=\"{lang}\" dir=\"{}\"",
        if rtl { "rtl" } else { "ltr" }
    ));
    out.push_str(">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
    escape::push_text(&mut out, title);
    out.push_str("</title>\n");
    if let Some(css) = stylesheet {
        out.push_str(&format!(
            "<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>\n",
            escape::attr(css)
        ));
    }
    out.push_str("</head>\n<body");
    if !body_class.is_empty() {
        out.push_str(&format!(" class=\"{}\"", escape::attr(body_class)));
    }
    out.push_str(">\n");
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// `s` through the XML gate and trimmed, else `fallback` (which must be a nonempty, clean
/// string): what a `<title>`, a navigation label or a package title says, which XML must be
/// able to hold and EPUBCheck wants nonempty.
fn nonempty(s: &str, fallback: &str) -> String {
    let s = escape::clean(s);
    if s.trim().is_empty() {
        fallback.to_string()
    } else {
        s.trim().to_string()
    }
}

/// The document's title as the package and every fallback `<title>` say it: its title (front
/// matter, the command line, its first level-1 heading), else its file's stem, else
/// "Untitled"; through the XML gate and never empty.
pub fn document_title(doc: &Document) -> String {
    let stem = doc
        .files
        .first()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    nonempty(&doc.meta.title, &nonempty(&stem, "Untitled"))
}

/// Top-level blocks cut into chapter files: before every chapter and part of a book, else
/// before every level-1 heading; content before the first cut is a chapter of its own. Never
/// empty, so a book always has a first page.
fn split(blocks: &[Block]) -> Vec<&[Block]> {
    let book = blocks
        .iter()
        .any(|b| matches!(b, Block::Chapter { .. } | Block::Part { .. }));
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, block) in blocks.iter().enumerate() {
        let cut = if book {
            matches!(block, Block::Chapter { .. } | Block::Part { .. })
        } else {
            matches!(block, Block::Heading { level: 1, .. })
        };
        if cut && i > start {
            parts.push(&blocks[start..i]);
            start = i;
        }
    }
    if start < blocks.len() || parts.is_empty() {
        parts.push(&blocks[start..]);
    }
    parts
}

/// Path of a source file, for messages.
pub(crate) fn source_path(doc: &Document, loc: Loc) -> std::path::PathBuf {
    doc.files
        .get(loc.file as usize)
        .cloned()
        .unwrap_or_else(|| std::path::PathBuf::from("<input>"))
}

/// Collapses warnings of one repeated kind (keyed by a `\u{0}` prefix) into the first, with a
/// count, so a book with four hundred `<Listing>` wrappers gives one line, not four hundred.
fn merge_repeats(list: Vec<(Option<String>, Diagnostic)>) -> Vec<Diagnostic> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (key, _) in &list {
        if let Some(key) = key {
            *counts.entry(key.clone()).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for (key, mut diag) in list {
        match key {
            None => out.push(diag),
            Some(key) => {
                if done.insert(key.clone()) {
                    let n = counts.get(&key).copied().unwrap_or(1);
                    if n > 1 {
                        diag.message
                            .push_str(&format!(" (and {} more like it)", n - 1));
                    }
                    out.push(diag);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
