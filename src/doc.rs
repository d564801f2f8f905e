//! The intermediate document model: plain owned data that every backend renders.
//!
//! Parsing produces a [`Document`]; backends only ever read it. It holds no dependency types,
//! no lifetimes and no interior mutability, so `&Document` is shared across rayon threads as is.
//! Footnotes are already resolved (the body travels with its first reference) and heading ids are
//! assigned and unique, so no backend ever sees a label or invents an anchor.

use crate::error::{Code, Diagnostic, Error};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One converted document: its metadata, its body and the files it refers to.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Document {
    /// Title, authors, language and the other descriptive fields.
    pub meta: Metadata,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// Source files as the user named them, indexed by [`Loc::file`]; the first is the main
    /// input. Not serialised: output must not depend on the working directory.
    #[serde(skip)]
    pub files: Vec<PathBuf>,
    /// Images and other resources read at parse time, keyed by the reference as written.
    pub assets: BTreeMap<String, Asset>,
    /// Warnings found while reading the sources, in source order.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read (or looked for: a missing image) to make this document, as the path
    /// it was read at: sources, configuration, SUMMARY.md, included files, images. What
    /// `bindery watch` watches; not serialised.
    #[serde(skip)]
    pub reads: Vec<PathBuf>,
    /// The design: the style file's settings over the defaults, resolved when the document
    /// is read (see [`crate::style`]); the backends read it, never a style file.
    #[serde(skip)]
    pub style: std::sync::Arc<crate::style::Style>,
}

/// A position in a source file: which file (an index into [`Document::files`]), line and
/// column, both counted from 1.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Index into [`Document::files`].
    pub file: u32,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub col: u32,
    /// How many characters the construct spans on its first line, for diagnostics that point
    /// at it (links, images, formulas); 0 for a block's start. Not part of the model's JSON.
    #[serde(skip)]
    pub len: u32,
}

/// Descriptive metadata, from front matter, the command line or the content itself.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metadata {
    /// Always set after parsing: front matter, else the first level-1 heading, else the file stem.
    pub title: String,
    /// Shown under the title.
    pub subtitle: Option<String>,
    /// Authors in the order given.
    pub authors: Vec<String>,
    /// Publication date as written (ISO 8601 is recommended: `2026-11-25`).
    pub date: Option<String>,
    /// The date as the title pages print it: a full ISO date written out in the document's
    /// language (`25. November 2026`), anything else as written (settled once, in parsing).
    #[serde(skip)]
    pub date_shown: Option<String>,
    /// The outputs' modification time in Unix seconds: SOURCE_DATE_EPOCH, else midnight UTC
    /// of `date`, else 0 (settled once, in parsing).
    pub modified: i64,
    /// BCP 47 language tag; `en` unless given.
    pub lang: String,
    /// Base text direction (`ltr` or `rtl`): as given (front matter `dir`, book.toml
    /// `text-direction`), else `rtl` for a language written right to left (settled once, in
    /// parsing: see [`is_rtl_lang`]); `None` lets each paragraph's first strong character
    /// decide (see [`Metadata::rtl`]).
    pub dir: Option<String>,
    /// A one-paragraph summary.
    pub description: Option<String>,
    /// Subjects / keywords.
    pub keywords: Vec<String>,
    /// A stable identifier (URN, ISBN, URL); derived from title and authors when absent.
    pub identifier: Option<String>,
    /// Copyright or licence statement.
    pub rights: Option<String>,
    /// Cover image, as a reference into [`Document::assets`].
    pub cover: Option<String>,
    /// Print a table of contents (PDF).
    pub toc: Option<bool>,
    /// Deepest heading level the table of contents lists.
    pub toc_depth: Option<u8>,
    /// Paper size as written (`a4`, `letter`, `170x240mm`...).
    pub paper: Option<String>,
    /// PDF standards the document asks for (`pdf-standard`: `ua-1`, `a-2b`...; checked names).
    pub pdf_standard: Vec<String>,
    /// Page margins as written (`20mm`, or `top right bottom left`).
    pub margins: Option<String>,
    /// A folder of the author's own fonts for the PDF, relative to the source file.
    pub fonts: Option<String>,
    /// Mirrored margins for duplex printing (PDF); `--two-sided` also sets it.
    pub two_sided: Option<bool>,
    /// Fold the pages into a booklet (PDF); `--layout booklet` also sets it.
    pub booklet: Option<bool>,
    /// Embed the bundled fonts in the EPUB; `--epub-fonts` also sets it.
    pub epub_fonts: Option<bool>,
    /// The edition's version as written (`1.2.0`): front matter, bindery.toml or
    /// `[output.bindery]`, or `--set version=`; names release outputs (`--out-name`).
    /// Left out of the JSON when unset, so models without one keep their shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The style file named by front matter or the book's configuration (`style`), as
    /// written, relative to the file that names it.
    #[serde(skip)]
    pub style: Option<String>,
    /// The line of the front matter (or the book's configuration, `files[0]`) that set an
    /// option checked only later, by a backend (`fonts`), for its messages.
    #[serde(skip)]
    pub lines: BTreeMap<String, u32>,
}

impl Metadata {
    /// The document's base direction for every backend: `Some(true)` right to left,
    /// `Some(false)` left to right, `None` when neither the document nor its language says
    /// (each paragraph then takes the direction of its first strong character).
    pub fn rtl(&self) -> Option<bool> {
        match self.dir.as_deref() {
            Some("rtl") => Some(true),
            Some("ltr") => Some(false),
            _ => None,
        }
    }
}

/// Whether a BCP 47 tag names a language written right to left (by default, in its usual
/// script: Arabic, Persian, Urdu, Pashto, Sorani, Sindhi, Uyghur, Hebrew, Yiddish, Dhivehi,
/// Syriac).
pub fn is_rtl_lang(lang: &str) -> bool {
    let mut subtags = lang.split(['-', '_']);
    let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
    // A script subtag overrides the language's usual script (`az-Arab`, `ku-Arab`, `ur-Latn`).
    if let Some(script) = subtags.next().filter(|s| s.len() == 4) {
        return matches!(
            script.to_ascii_lowercase().as_str(),
            "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg"
        );
    }
    matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb" | "syr"
    )
}

/// A resource the document refers to, read at parse time.
#[derive(Clone, Serialize, PartialEq)]
pub struct Asset {
    /// What kind of file this is, decided from its bytes.
    pub kind: AssetKind,
    /// The file's bytes, untouched.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// A PNG's samples, decoded when the document was read (to judge it), until the PDF
    /// writer takes them instead of decoding the file a second time. Empty for other kinds.
    #[serde(skip)]
    pub pixels: PixelSlot,
}

/// Where a PNG's decoded samples wait for the PDF writer. The first writer takes them
/// ([`PixelSlot::take`]), so that the samples (tens of megabytes for a screenshot) are freed
/// once compressed rather than with the document; a later writer decodes the file again.
#[derive(Default)]
pub struct PixelSlot(std::sync::Mutex<Option<std::sync::Arc<Pixels>>>);

impl PixelSlot {
    /// A slot holding `pixels`.
    pub fn new(pixels: Option<std::sync::Arc<Pixels>>) -> PixelSlot {
        PixelSlot(std::sync::Mutex::new(pixels))
    }

    /// The samples, if no one took them before.
    pub fn take(&self) -> Option<std::sync::Arc<Pixels>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Clone for PixelSlot {
    fn clone(&self) -> PixelSlot {
        PixelSlot::new(self.0.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }
}

/// Samples are decoded from the asset's bytes, which `Asset` compares: two slots never make
/// two assets differ.
impl PartialEq for PixelSlot {
    fn eq(&self, _: &PixelSlot) -> bool {
        true
    }
}

impl Asset {
    /// An asset of `kind` holding `bytes`, not decoded.
    pub fn new(kind: AssetKind, bytes: Vec<u8>) -> Asset {
        Asset {
            kind,
            bytes,
            pixels: PixelSlot::default(),
        }
    }
}

/// A raster picture's samples, as a PDF image takes them: the colour samples (grey or RGB, 8
/// or 16 bits each, big-endian) apart from the alpha samples, which are left out when every
/// pixel is opaque.
#[derive(Clone, PartialEq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    /// One colour sample per pixel (grey) instead of three (RGB).
    pub gray: bool,
    /// 16 bits per sample instead of 8.
    pub sixteen: bool,
    pub color: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
    /// The file's embedded ICC profile, if any.
    pub icc: Option<Vec<u8>>,
    /// A digest of the file the samples come from (cheap to hash, unlike the samples).
    pub digest: (u64, usize),
}

impl std::fmt::Debug for Asset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Asset({:?}, {} bytes)", self.kind, self.bytes.len())
    }
}

/// Image formats bindery recognises.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AssetKind {
    /// Portable Network Graphics.
    Png,
    /// JPEG / JFIF.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
    /// Scalable Vector Graphics.
    Svg,
}

impl AssetKind {
    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            AssetKind::Png => "image/png",
            AssetKind::Jpeg => "image/jpeg",
            AssetKind::Gif => "image/gif",
            AssetKind::Webp => "image/webp",
            AssetKind::Svg => "image/svg+xml",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            AssetKind::Png => "png",
            AssetKind::Jpeg => "jpg",
            AssetKind::Gif => "gif",
            AssetKind::Webp => "webp",
            AssetKind::Svg => "svg",
        }
    }

    /// Recognises a format from a file's first bytes (SVG by its text).
    pub fn sniff(bytes: &[u8]) -> Option<AssetKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(AssetKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AssetKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(AssetKind::Gif)
        } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(AssetKind::Webp)
        } else {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
            head.contains("<svg").then_some(AssetKind::Svg)
        }
    }
}

/// Block-level content.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of running text.
    Paragraph {
        /// Its text.
        content: Vec<Inline>,
        /// Where it starts.
        loc: Loc,
    },
    /// A section heading.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Unique anchor, assigned at parse time.
        id: String,
        /// Classes from `{.class}` attributes.
        classes: Vec<String>,
        /// Other `{key=value}` attributes, in source order.
        attrs: Vec<(String, String)>,
        /// Its text.
        content: Vec<Inline>,
        /// Where it starts.
        loc: Loc,
    },
    /// Preformatted code (fenced or indented).
    CodeBlock {
        /// The first word of the info string, if any (`rust`).
        lang: Option<String>,
        /// The whole info string.
        info: String,
        /// The code, with its final newline.
        text: String,
        /// Where it starts.
        loc: Loc,
    },
    /// A block quote.
    Quote {
        /// Its content.
        blocks: Vec<Block>,
        /// Where it starts.
        loc: Loc,
    },
    /// A GFM alert (`> [!NOTE]`).
    Alert {
        /// Which kind.
        kind: AlertKind,
        /// Its content.
        blocks: Vec<Block>,
        /// Where it starts.
        loc: Loc,
    },
    /// A bulleted or numbered list.
    List {
        /// `None` for bullets, else the number of the first item.
        start: Option<u64>,
        /// Tight lists have no space between items.
        tight: bool,
        /// The items.
        items: Vec<ListItem>,
        /// Where it starts.
        loc: Loc,
    },
    /// A definition list.
    DefinitionList {
        /// Terms with their definitions.
        items: Vec<Definition>,
        /// Where it starts.
        loc: Loc,
    },
    /// A table. Every row has `align.len()` cells; a cell covered by another's span is empty.
    Table {
        /// One alignment per column.
        align: Vec<Align>,
        /// The header rows (one for a Markdown table; none or several from HTML).
        head: Vec<Row>,
        /// Body rows.
        rows: Vec<Row>,
        /// Cells that span several columns or rows (HTML `colspan`/`rowspan`).
        spans: Vec<CellSpan>,
        /// Where it starts.
        loc: Loc,
    },
    /// A thematic break.
    Rule {
        /// Where it is.
        loc: Loc,
    },
    /// A captioned code listing (the Rust book's `<Listing number file-name caption>`
    /// wrapper): its blocks, with the listing's number, the file the code belongs to and a
    /// caption.
    Listing {
        /// The number as written (`2-1`), if any.
        number: Option<String>,
        /// The file the code belongs to (`src/main.rs`), if any.
        file_name: Option<String>,
        /// The caption, parsed as Markdown inline content (may be empty).
        caption: Vec<Inline>,
        /// What the listing holds (usually one code block).
        blocks: Vec<Block>,
        /// Where it starts.
        loc: Loc,
    },
    /// The start of a chapter of a book (one file named by SUMMARY.md or bindery.toml). The
    /// chapter's content follows, up to the next `Chapter` or `Part`, and always opens with
    /// its title heading (levels rebased so the title's level is `depth`, and mdBook's number
    /// already written into the heading's text). Single-file documents have none.
    Chapter {
        /// The title as the table of contents names it (SUMMARY.md's link text), without number.
        title: String,
        /// mdBook's section number as shown (`3.1.`), for numbered chapters.
        number: Option<String>,
        /// Nesting depth from 1, as in SUMMARY.md.
        depth: u8,
        /// Where the chapter's file starts.
        loc: Loc,
    },
    /// A part title of a book (`# Part I` in SUMMARY.md): a page of its own in print and a
    /// top-level entry of the contents.
    Part {
        /// The part's title.
        title: String,
        /// Its unique anchor.
        id: String,
        /// Where it is named (SUMMARY.md).
        loc: Loc,
    },
    /// Content aligned as a whole (HTML `<center>`, `<p align>`, `<div align>`), or set in a
    /// direction (HTML `dir`) or a language (HTML `lang`) of its own.
    Aligned {
        /// `Left`, `Center` or `Right`; `None` when only the direction is given.
        align: Align,
        /// The base direction of its paragraphs (`dir="rtl"`, `ltr`, `auto`), when given.
        #[serde(skip_serializing_if = "Option::is_none")]
        dir: Option<Direction>,
        /// The BCP 47 language of its text (`lang="ar"`), when the source marks one: readers
        /// pronounce it and print hyphenates it by that language.
        #[serde(skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        /// What is aligned.
        blocks: Vec<Block>,
        /// Where it starts.
        loc: Loc,
    },
    /// A titled box whose content is shown in full in print (HTML `<details>`/`<summary>`).
    Details {
        /// The title (`<summary>`); may be empty.
        summary: Vec<Inline>,
        /// What the box holds.
        blocks: Vec<Block>,
        /// Where it starts.
        loc: Loc,
    },
    /// A figure: an image alone in its paragraph (its caption is the title, else the alt
    /// text) or an HTML `<figure>` with its `<figcaption>`.
    Figure {
        /// What the figure shows (usually one paragraph holding one image).
        blocks: Vec<Block>,
        /// The caption; may be empty.
        caption: Vec<Inline>,
        /// Where it starts.
        loc: Loc,
    },
    /// A link target between blocks (an HTML element's `id`).
    Anchor {
        /// The id, unique in the document.
        id: String,
        /// Where it is.
        loc: Loc,
    },
    /// Raw HTML as written: only between the Markdown fold and the HTML reading
    /// (`parse::html`), which turns every one into the blocks above. Backends never see it.
    Html {
        /// The markup.
        html: String,
        /// Where it starts.
        loc: Loc,
    },
}

impl Block {
    /// Where the block starts in its source.
    pub fn loc(&self) -> Loc {
        match self {
            Block::Paragraph { loc, .. }
            | Block::Heading { loc, .. }
            | Block::CodeBlock { loc, .. }
            | Block::Quote { loc, .. }
            | Block::Alert { loc, .. }
            | Block::List { loc, .. }
            | Block::DefinitionList { loc, .. }
            | Block::Table { loc, .. }
            | Block::Rule { loc }
            | Block::Listing { loc, .. }
            | Block::Chapter { loc, .. }
            | Block::Part { loc, .. }
            | Block::Aligned { loc, .. }
            | Block::Details { loc, .. }
            | Block::Figure { loc, .. }
            | Block::Anchor { loc, .. }
            | Block::Html { loc, .. } => *loc,
        }
    }

    /// The block's location, to change (a book points each chapter's blocks at its file and
    /// maps lines back through includes).
    pub fn loc_mut(&mut self) -> &mut Loc {
        match self {
            Block::Paragraph { loc, .. }
            | Block::Heading { loc, .. }
            | Block::CodeBlock { loc, .. }
            | Block::Quote { loc, .. }
            | Block::Alert { loc, .. }
            | Block::List { loc, .. }
            | Block::DefinitionList { loc, .. }
            | Block::Table { loc, .. }
            | Block::Rule { loc }
            | Block::Listing { loc, .. }
            | Block::Chapter { loc, .. }
            | Block::Part { loc, .. }
            | Block::Aligned { loc, .. }
            | Block::Details { loc, .. }
            | Block::Figure { loc, .. }
            | Block::Anchor { loc, .. }
            | Block::Html { loc, .. } => loc,
        }
    }
}

/// One table row: its cells, each inline content.
pub type Row = Vec<Vec<Inline>>;

/// A table cell that covers more than itself; the cells it covers are empty.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct CellSpan {
    /// Its row, counting the header rows first, from 0.
    pub row: u32,
    /// Its column, from 0.
    pub col: u32,
    /// Rows covered, at least 1.
    pub rows: u32,
    /// Columns covered, at least 1.
    pub cols: u32,
}

/// One item of a list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListItem {
    /// `Some(done)` for a task-list item.
    pub task: Option<bool>,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// One term of a definition list and its definitions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Definition {
    /// The term.
    pub term: Vec<Inline>,
    /// One or more definitions.
    pub definitions: Vec<Vec<Block>>,
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// No alignment given.
    None,
    /// `:--`
    Left,
    /// `:-:`
    Center,
    /// `--:`
    Right,
}

/// A base text direction given to a block (HTML `dir`).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
    /// Each paragraph as its first strong letter says.
    Auto,
}

impl Direction {
    /// The `dir` attribute's value, if it is one of the three.
    pub fn from_attr(value: &str) -> Option<Direction> {
        match value.trim().to_ascii_lowercase().as_str() {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            "auto" => Some(Direction::Auto),
            _ => None,
        }
    }

    /// As [`Metadata::rtl`] gives a direction: `Some(true)` right to left, `None` automatic.
    pub fn rtl(self) -> Option<bool> {
        match self {
            Direction::Ltr => Some(false),
            Direction::Rtl => Some(true),
            Direction::Auto => None,
        }
    }

    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
            Direction::Auto => "auto",
        }
    }
}

/// How a [`Inline::Span`] is set apart.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    /// Underlined (`<u>`, `<ins>`).
    Underline,
    /// Highlighted (`<mark>`).
    Highlight,
    /// Smaller print (`<small>`).
    Small,
    /// Keys to press (`<kbd>`).
    Keyboard,
    /// Set as the text around it: a run that only carries a language (`<span lang="fr">`).
    Plain,
}

/// The five GFM alert kinds.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// `[!NOTE]`
    Note,
    /// `[!TIP]`
    Tip,
    /// `[!IMPORTANT]`
    Important,
    /// `[!WARNING]`
    Warning,
    /// `[!CAUTION]`
    Caution,
}

/// Inline content.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text (smart punctuation already applied).
    Text {
        /// The characters.
        text: String,
    },
    /// Inline code.
    Code {
        /// The code.
        text: String,
    },
    /// Emphasis (italic).
    Emph {
        /// What is emphasised.
        content: Vec<Inline>,
    },
    /// Strong emphasis (bold).
    Strong {
        /// What is emphasised.
        content: Vec<Inline>,
    },
    /// Struck-through text.
    Strike {
        /// What is struck.
        content: Vec<Inline>,
    },
    /// Superscript.
    Superscript {
        /// Raised content.
        content: Vec<Inline>,
    },
    /// Subscript.
    Subscript {
        /// Lowered content.
        content: Vec<Inline>,
    },
    /// A hyperlink (inline, reference or autolink).
    Link {
        /// The destination as written (`#id` for internal links).
        url: String,
        /// The optional title.
        title: String,
        /// The link text.
        content: Vec<Inline>,
        /// Where the link starts in its source.
        loc: Loc,
    },
    /// Text set apart in a way Markdown has no syntax for (from HTML elements).
    Span {
        /// How it is set apart.
        kind: SpanKind,
        /// The BCP 47 language of the run (HTML `lang`), when the source marks one.
        #[serde(skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        /// The text.
        content: Vec<Inline>,
    },
    /// An abbreviation with its expansion (`<abbr title>`).
    Abbr {
        /// The expansion; may be empty.
        title: String,
        /// The abbreviation as shown.
        content: Vec<Inline>,
    },
    /// Text with its reading above it (`<ruby>`): kept as ruby where the format has it, else
    /// the base with the reading in parentheses.
    Ruby {
        /// The base text.
        base: Vec<Inline>,
        /// The reading (`<rt>`).
        text: String,
    },
    /// A link target inside text (`<a id>`, `<a name>`, an inline element's `id`).
    Anchor {
        /// The id, unique in the document.
        id: String,
    },
    /// An image.
    Image {
        /// The source as written; a key of [`Document::assets`] when it was read.
        url: String,
        /// The optional title.
        title: String,
        /// The alternative text.
        alt: Vec<Inline>,
        /// Where the image is in its source (its whole `![alt](url)`).
        #[serde(skip)]
        loc: Loc,
    },
    /// A footnote at its first reference, with its body.
    Note {
        /// Number, by order of first reference, from 1.
        number: u32,
        /// The note's body.
        blocks: Vec<Block>,
    },
    /// A later reference to a footnote already given.
    NoteRef {
        /// The number of the note referred to.
        number: u32,
    },
    /// TeX math, kept as source.
    Math {
        /// `$$..$$` (display) rather than `$..$`.
        display: bool,
        /// The TeX source between the delimiters.
        tex: String,
        /// Where the formula is in its source, delimiters included.
        #[serde(skip)]
        loc: Loc,
    },
    /// Raw inline HTML as written: only between the Markdown fold and the HTML reading
    /// (`parse::html`), which replaces every one. Backends never see it.
    Html {
        /// The markup.
        html: String,
    },
    /// A line break in the source that is not a hard break (renders as a space).
    SoftBreak,
    /// A forced line break.
    HardBreak,
}

impl Inline {
    /// The inlines this one holds within the line (emphasis, links, spans, a ruby's base);
    /// `None` for text, code and what is not part of the line's text (an image's alt, a note).
    pub fn content(&self) -> Option<&[Inline]> {
        match self {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Span { content, .. }
            | Inline::Abbr { content, .. }
            | Inline::Ruby { base: content, .. }
            | Inline::Link { content, .. } => Some(content),
            _ => None,
        }
    }

    /// [`Inline::content`], to change it.
    pub fn content_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Span { content, .. }
            | Inline::Abbr { content, .. }
            | Inline::Ruby { base: content, .. }
            | Inline::Link { content, .. } => Some(content),
            _ => None,
        }
    }

    /// The first character this inline shows in the line, looking into what it holds.
    pub fn first_char(&self) -> Option<char> {
        match self {
            Inline::Text { text } | Inline::Code { text } => text.chars().next(),
            _ => self.content()?.iter().find_map(Inline::first_char),
        }
    }

    /// The last character this inline shows in the line.
    pub fn last_char(&self) -> Option<char> {
        match self {
            Inline::Text { text } | Inline::Code { text } => text.chars().next_back(),
            _ => self.content()?.iter().rev().find_map(Inline::last_char),
        }
    }
}

/// Calls `f` on every block, depth first, parents before their children (the read-only
/// twin of [`visit_blocks_mut`]).
pub fn visit_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::Quote { blocks, .. }
            | Block::Alert { blocks, .. }
            | Block::Listing { blocks, .. }
            | Block::Aligned { blocks, .. }
            | Block::Details { blocks, .. }
            | Block::Figure { blocks, .. } => visit_blocks(blocks, f),
            Block::List { items, .. } => items.iter().for_each(|i| visit_blocks(&i.blocks, f)),
            Block::DefinitionList { items, .. } => items
                .iter()
                .flat_map(|i| i.definitions.iter())
                .for_each(|d| visit_blocks(d, f)),
            _ => {}
        }
    }
}

/// Calls `f` on every block, depth first, parents before their children (list items,
/// definitions, quotes, alerts and listings are entered).
pub fn visit_blocks_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::Quote { blocks, .. }
            | Block::Alert { blocks, .. }
            | Block::Listing { blocks, .. }
            | Block::Aligned { blocks, .. }
            | Block::Details { blocks, .. }
            | Block::Figure { blocks, .. } => visit_blocks_mut(blocks, f),
            Block::List { items, .. } => items
                .iter_mut()
                .for_each(|i| visit_blocks_mut(&mut i.blocks, f)),
            Block::DefinitionList { items, .. } => items
                .iter_mut()
                .flat_map(|i| i.definitions.iter_mut())
                .for_each(|d| visit_blocks_mut(d, f)),
            _ => {}
        }
    }
}

/// Calls `f` on every list of inlines in `blocks` (paragraphs, headings, table cells, terms,
/// captions, and the content of links, emphasis, images and footnotes inside them), each list
/// before the lists nested in it, so `f` may replace inlines (unwrap a link into its text).
/// `f` also gets the location of the block the list belongs to.
pub fn visit_inline_lists_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>, Loc)) {
    visit_blocks_mut(blocks, &mut |block| {
        let loc = block.loc();
        match block {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                lists_mut(content, loc, f)
            }
            Block::Listing { caption, .. }
            | Block::Figure { caption, .. }
            | Block::Details {
                summary: caption, ..
            } => lists_mut(caption, loc, f),
            Block::DefinitionList { items, .. } => items
                .iter_mut()
                .for_each(|i| lists_mut(&mut i.term, loc, f)),
            Block::Table { head, rows, .. } => head
                .iter_mut()
                .chain(rows.iter_mut())
                .flatten()
                .for_each(|c| lists_mut(c, loc, f)),
            _ => {}
        }
    });
}

fn lists_mut(list: &mut Vec<Inline>, loc: Loc, f: &mut dyn FnMut(&mut Vec<Inline>, Loc)) {
    f(list, loc);
    for inline in list {
        match inline {
            Inline::Image { alt, .. } => lists_mut(alt, loc, f),
            Inline::Note { blocks, .. } => visit_inline_lists_mut(blocks, f),
            inline => {
                if let Some(content) = inline.content_mut() {
                    lists_mut(content, loc, f)
                }
            }
        }
    }
}

/// Keeps only the blocks for which `keep` holds, at every depth (footnote bodies aside).
pub fn retain_blocks(blocks: &mut Vec<Block>, keep: &dyn Fn(&Block) -> bool) {
    blocks.retain(keep);
    visit_blocks_mut(blocks, &mut |block| match block {
        Block::Quote { blocks, .. }
        | Block::Alert { blocks, .. }
        | Block::Listing { blocks, .. }
        | Block::Aligned { blocks, .. }
        | Block::Details { blocks, .. }
        | Block::Figure { blocks, .. } => blocks.retain(keep),
        Block::List { items, .. } => items.iter_mut().for_each(|i| i.blocks.retain(keep)),
        Block::DefinitionList { items, .. } => items
            .iter_mut()
            .flat_map(|i| i.definitions.iter_mut())
            .for_each(|d| d.retain(keep)),
        _ => {}
    });
}

/// Calls `f` on the location of every block and link in `blocks` (a book points them at
/// their chapter's file and maps lines back through includes).
pub fn visit_locs_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Loc)) {
    visit_blocks_mut(blocks, &mut |b| f(b.loc_mut()));
    visit_inlines_mut(blocks, &mut |i| {
        if let Inline::Link { loc, .. } | Inline::Image { loc, .. } | Inline::Math { loc, .. } = i {
            f(loc)
        }
    });
}

/// Calls `f` on every inline of `blocks`, footnote bodies included.
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    visit_inline_lists_mut(blocks, &mut |list, _| list.iter_mut().for_each(&mut *f));
}

/// The plain text of inline content, as a reader would see it (for titles, alt text, ids).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    plain_text_has(inlines, &mut |piece| {
        out.push_str(piece);
        false
    });
}

/// Whether `f` holds for a piece of the plain text of `inlines` ([`plain_text`] is the pieces
/// one after another), asked piece by piece in order: a question about the characters of a
/// paragraph (has it right-to-left letters?) needs no copy of its text.
pub fn plain_text_has(inlines: &[Inline], f: &mut dyn FnMut(&str) -> bool) -> bool {
    for inline in inlines {
        let stop = match inline {
            Inline::Text { text } | Inline::Code { text } => f(text),
            Inline::Math { tex, .. } => f(tex),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Span { content, .. }
            | Inline::Abbr { content, .. }
            | Inline::Ruby { base: content, .. }
            | Inline::Link { content, .. } => plain_text_has(content, f),
            Inline::Image { alt, .. } => plain_text_has(alt, f),
            Inline::SoftBreak | Inline::HardBreak => f(" "),
            Inline::Note { .. }
            | Inline::NoteRef { .. }
            | Inline::Anchor { .. }
            | Inline::Html { .. } => false,
        };
        if stop {
            return true;
        }
    }
    false
}

/// Year, month, day of a date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time part after
/// `T` or a space is ignored); `None` for anything else or a day that does not exist.
pub fn parse_date(date: &str) -> Option<(i32, u32, u32)> {
    let day_part = date.trim().split(['T', ' ']).next()?;
    let mut parts = day_part.split('-');
    let year: i32 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month: u32 = match parts.next() {
        Some(m) if m.len() == 2 => m.parse().ok().filter(|m| (1..=12).contains(m))?,
        Some(_) => return None,
        None => 1,
    };
    let day: u32 = match parts.next() {
        Some(d) if d.len() == 2 => d.parse().ok().filter(|d| (1..=31).contains(d))?,
        Some(_) => return None,
        None => 1,
    };
    if parts.next().is_some() {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    Some((year, month, day))
}

/// The PDF standards a document can ask for (`pdf-standard`, `--pdf-standard`).
pub const PDF_STANDARDS: [&str; 5] = ["ua-1", "a-2b", "a-2a", "a-3b", "a-3a"];

/// Where a page of the print edition begins in the model: the printed page number, the block
/// its first line belongs to, and how far into that block's text it begins (counted by
/// [`reading_chars`]; `None` when the page begins with the block's start or somewhere inside
/// a block that has no running text of its own, such as a table or a code listing). The PDF's
/// typesetting finds these; the EPUB marks them as its page list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageStart {
    /// The page number printed on the page (the title page is 1).
    pub page: u32,
    /// The block the page begins in.
    pub loc: Loc,
    /// Characters of the block's text before the page's first one.
    pub offset: Option<usize>,
}

/// How many characters a reader reads in `inlines`: the non-white-space characters of their
/// text and code, a ruby's base and its reading in parentheses (as print shows it), and nothing
/// for notes, formulas, images and breaks. White space is left out because layout collapses
/// runs of it; the typesetter counts a line's start the same way over what it sets
/// (`typeset::paragraph::reading_offset`), so the two agree on where a page begins.
pub fn reading_chars(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text { text } | Inline::Code { text } => visible_chars(text),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Span { content, .. }
            | Inline::Abbr { content, .. }
            | Inline::Link { content, .. } => reading_chars(content),
            Inline::Ruby { base, text } => reading_chars(base) + visible_chars(text) + 2,
            Inline::Math { .. }
            | Inline::Image { .. }
            | Inline::SoftBreak
            | Inline::HardBreak
            | Inline::Note { .. }
            | Inline::NoteRef { .. }
            | Inline::Anchor { .. }
            | Inline::Html { .. } => 0,
        })
        .sum()
}

/// The non-white-space characters of `text`.
pub fn visible_chars(text: &str) -> usize {
    // Counted from the bytes, without decoding (the EPUB counts every text of a book: 6 ms of
    // the Rust book's build when decoded, its curly quotes sending most paragraphs down the
    // slow path): a character is its first byte, and only the ASCII white space and the
    // characters starting with 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000 to U+205F)
    // and 0xE3 (U+3000) can be white space.
    let bytes = text.as_bytes();
    let mut count = 0;
    for (i, &b) in bytes.iter().enumerate() {
        count += match b {
            b'\t'..=b'\r' | b' ' => 0,
            0x80..=0xBF => 0,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = text[i..].chars().next();
                usize::from(!c.is_some_and(char::is_whitespace))
            }
            _ => 1,
        };
    }
    count
}

/// The code blocks with a language (language, code), in reading order, as
/// [`crate::highlight::prepare`] takes them.
pub fn code_blocks(blocks: &[Block]) -> Vec<(Option<&str>, &str)> {
    let mut code = Vec::new();
    visit_blocks(blocks, &mut |b| {
        if let Block::CodeBlock {
            lang: Some(lang),
            text,
            ..
        } = b
        {
            code.push((Some(lang.as_str()), text.as_str()));
        }
    });
    code
}

// Diagnostics are defined in `error`, below the model (the model holds them); the constructor
// that reads a model location lives here, beside `Loc`, so that `error` does not depend on the
// model.
impl Diagnostic {
    /// A warning about the construct at `loc` (its span when the location has one).
    pub fn warning_at(
        code: Code,
        path: impl Into<PathBuf>,
        loc: impl std::borrow::Borrow<Loc>,
        message: impl Into<String>,
    ) -> Self {
        let loc = *loc.borrow();
        Diagnostic {
            len: loc.len,
            ..Diagnostic::warning(code, path, loc.line, loc.col, message)
        }
    }
}

/// An error a backend met with an option the document set (`key`, as recorded in
/// [`Metadata::lines`]), as a setting error that names the document, the line and the key:
/// `notes.md:4: front matter `fonts`: fonts/x.ttf: not a usable font`.
pub fn setting_error(doc: &Document, key: &str, error: Error) -> Error {
    let file = doc
        .files
        .first()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<input>".into());
    let line = match doc.meta.lines.get(key) {
        Some(line) => format!(":{line}"),
        None => String::new(),
    };
    let front = doc.files.first().is_some_and(|p| {
        p.extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case("toml"))
    });
    let place = if front { "front matter " } else { "" };
    Error::Setting {
        origin: format!("{file}{line}: {place}`{key}`"),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn visible_chars_counts_as_unicode_white_space_says() {
        for text in [
            "",
            "word",
            " a\tb\nc\rd\x0Be\x0Cf ",
            "naïve café",
            "a\u{00A0}b\u{3000}c\u{2028}",
            "漢字 かな",
            "\x0B\x0B",
            "\u{85}\u{1680}\u{2000}\u{200A}\u{200B}\u{202F}\u{205F}\u{2060}\u{3000}\u{3001}",
            "\u{A9}\u{1E00}\u{2019}\u{30A2}\u{1F600} ’quoted’ —",
        ] {
            let decoded = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(super::visible_chars(text), decoded, "{text:?}");
        }
        // Every character on its own and between two others.
        let mut buf = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            buf.clear();
            buf.push(c);
            let alone = usize::from(!c.is_whitespace());
            assert_eq!(super::visible_chars(&buf), alone, "{c:?}");
            buf.insert(0, 'a');
            buf.push('\u{e9}');
            assert_eq!(super::visible_chars(&buf), alone + 2, "{c:?}");
        }
    }
}
