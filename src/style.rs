//! The style file (`style.toml`): the design of a document's outputs, read and resolved once,
//! when the document is read.
//!
//! A style file sits next to the document (the Markdown file's folder, or a book's root), or is
//! named by the `style` key of front matter, bindery.toml or book.toml's `[output.bindery]`.
//! Every key is typed and documented (the doc comments below are what `bindery style
//! --default` prints); a wrong key, type or value is an error naming the style file, line and
//! column. The result, a [`Style`], travels with the [`crate::doc::Document`]: the typesetter
//! and the EPUB's stylesheet read it and never a file. This module is the only user of the
//! style file's TOML.
//!
//! Precedence: command-line flags, then front matter (or the book's configuration), then the
//! style file, then the defaults below (which are today's built-in design).

use crate::error::{Error, Result};
use crate::page::Pt;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The name a style file has when found next to a document.
pub const FILE_NAME: &str = "style.toml";

/// Defines one table of the style file: the struct (serde, unknown keys refused), its defaults,
/// and the documentation `bindery style --default` prints, from the same doc comments.
macro_rules! style_table {
    (
        $(#[doc = $tdoc:literal])*
        $name:ident in $key:literal {
            $( $(#[doc = $doc:literal])* $field:ident : $ty:ty = $default:expr, )*
        }
    ) => {
        $(#[doc = $tdoc])*
        #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
        #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )* }
            }
        }

        impl Documented for $name {
            const KEY: &'static str = $key;
            const ABOUT: &'static [&'static str] = &[$($tdoc),*];
            const FIELDS: &'static [(&'static str, &'static [&'static str])] =
                &[$( (stringify!($field), &[$($doc),*]), )*];
        }
    };
}

/// A table's name and the documentation of its keys, in the order they are printed.
trait Documented: Serialize {
    const KEY: &'static str;
    const ABOUT: &'static [&'static str];
    const FIELDS: &'static [(&'static str, &'static [&'static str])];
}

/// The design of a document: every setting of the style file, resolved.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Style {
    /// `[page]`
    pub page: Page,
    /// `[fonts]`
    pub fonts: Fonts,
    /// `[text]`
    pub text: Text,
    /// `[headings]`
    pub headings: Headings,
    /// `[colors]`
    pub colors: Colors,
    /// `[code]`
    pub code: CodeStyle,
    /// `[running]`
    pub running: Running,
    /// `[title]`
    pub title: Title,
    /// Where it was read from (`None`: the defaults).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

style_table! {
    /// The page (PDF). Front matter `paper` and `margins`, and `--paper` and `--margins`, win
    /// over these.
    Page in "page" {
        /// Paper size: a4, a5, a3, a6, b5, letter, legal, executive, or WIDTHxHEIGHT with a
        /// unit (170x240mm, 6x9in).
        size: Paper = Paper("a4".into()),
        /// Margins: "auto" (proportioned to the paper: the text block takes about two thirds
        /// of the width, the bottom margin is the largest), one length for all four sides
        /// ("20mm"), or "top right bottom left" ("2cm 2.5cm 3cm 2.5cm"). Units: mm, cm, in, pt, pc.
        margins: Margins = Margins(None),
    }
}

style_table! {
    /// Typefaces (PDF; the EPUB embeds the bundled faces with --epub-fonts). A bundled
    /// family by name ("Source Serif 4", "Source Code Pro"), or font files relative to the
    /// style file: one file, or a list (regular, bold, italic, bold italic), each put in place
    /// by its own weight and style (a style no file has takes the nearest one given).
    /// --font-dir and front matter `fonts` take their place.
    Fonts in "fonts" {
        /// The text face.
        text: FaceSetting = FaceSetting::Family("Source Serif 4".into()),
        /// The face of code blocks and inline code.
        code: FaceSetting = FaceSetting::Family("Source Code Pro".into()),
    }
}

style_table! {
    /// Running text.
    Text in "text" {
        /// Body size: "auto" (11pt, or 10pt on a text block narrower than 300pt) or a
        /// length from 6pt to 24pt. Headings, notes, code and tables scale with it.
        size: AutoLength = AutoLength(None),
        /// Distance between baselines, as a multiple of the body size (1.0 to 3.0).
        leading: f64 = 1.38,
        /// How paragraphs are told apart: "spacing" (a blank half line between them) or
        /// "indent" (the first line of a paragraph that follows another is indented).
        paragraphs: Paragraphs = Paragraphs::Spacing,
        /// First-line indent with paragraphs = "indent", in em (0 to 10).
        indent: f64 = 1.5,
        /// Space between paragraphs with paragraphs = "spacing", in lines (0 to 3).
        spacing: f64 = 0.5,
    }
}

style_table! {
    /// Headings, by level: each list gives levels 1 to 6.
    Headings in "headings" {
        /// Sizes, as multiples of the body size (0.5 to 5).
        sizes: [f64; 6] = [2.0, 1.55, 1.28, 1.1, 1.0, 1.0],
        /// Weights: "bold" or "normal".
        weights: [Weight; 6] = [Weight::Bold, Weight::Bold, Weight::Bold, Weight::Bold, Weight::Bold, Weight::Normal],
        /// Italic or upright.
        italic: [bool; 6] = [false, false, false, false, true, true],
        /// Space above, in lines (0 to 10).
        above: [f64; 6] = [1.6, 1.3, 1.0, 0.9, 0.7, 0.7],
        /// Space below, in lines (0 to 10).
        below: [f64; 6] = [0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
        /// Numbered headings ("1.", "1.2.", "1.2.3."): true for each level to number. The
        /// numbers count from the highest numbered level; both outputs show them.
        numbering: [bool; 6] = [false, false, false, false, false, false],
        /// Start a new page before each heading of the level (PDF).
        new_page: [bool; 6] = [false, false, false, false, false, false],
        /// In a book, each top-level chapter opens a new right-hand page (PDF); false runs
        /// chapters on.
        chapter_new_page: bool = true,
    }
}

style_table! {
    /// Colours: "#rrggbb", "#rgb", or a basic CSS name (black, white, gray, silver, red,
    /// maroon, orange, yellow, olive, lime, green, teal, aqua, blue, navy, purple, fuchsia).
    Colors in "colors" {
        /// Running text.
        text: Rgb = Rgb(0, 0, 0),
        /// Headings.
        headings: Rgb = Rgb(0, 0, 0),
        /// Links and footnote numbers.
        link: Rgb = Rgb(0x0d, 0x33, 0x8c),
        /// Behind code blocks and inline code.
        code_background: Rgb = Rgb(0xf2, 0xf2, 0xf0),
        /// Rules, quote bars and table lines.
        rule: Rgb = Rgb(0x8c, 0x8c, 0x8c),
        /// Behind highlighted text (`<mark>`).
        highlight: Rgb = Rgb(0xff, 0xf2, 0x99),
        /// Every other table row.
        table_stripe: Rgb = Rgb(0xf3, 0xf3, 0xf3),
        /// Running heads, page numbers and the date under the title.
        running: Rgb = Rgb(0x59, 0x59, 0x59),
    }
}

style_table! {
    /// Code blocks.
    CodeStyle in "code" {
        /// Syntax colours: "print" (dark colours that read on paper and e-ink), "mono" (the
        /// text colour throughout, keywords in bold), or a theme syntect has: "InspiredGitHub",
        /// "Solarized (light)", "base16-ocean.light"; the dark ones ("Solarized (dark)",
        /// "base16-ocean.dark", "base16-eighties.dark", "base16-mocha.dark") want a dark
        /// code-background.
        theme: CodeTheme = CodeTheme(crate::highlight::PRINT_THEME.into()),
        /// Size, as a multiple of the body size (0.5 to 1.5).
        size: f64 = 0.84,
    }
}

style_table! {
    /// Running heads and page numbers (PDF).
    Running in "running" {
        /// What heads each page from the second on: "chapter" (the chapter's title; in a
        /// two-sided book the book's title on left-hand pages), "title" (the document's
        /// title), or "none".
        header: Header = Header::Chapter,
        /// Where the page number goes: "auto" (outer edge when two-sided, else centred),
        /// "center", "outer", "inner", or "none".
        page_numbers: PageNumbers = PageNumbers::Auto,
        /// A thin rule under the running head.
        rule: bool = true,
    }
}

style_table! {
    /// The title block at the top of the first page (title, subtitle, authors, date).
    Title in "title" {
        /// Alignment: "center", "left" or "right".
        align: TitleAlign = TitleAlign::Center,
        /// Title size, as a multiple of the body size (1 to 5).
        size: f64 = 2.1,
        /// The title block alone on the first page, the text starting on the next.
        own_page: bool = false,
        /// A short rule under the title block.
        rule: bool = true,
        /// Show the title block at all.
        show: bool = true,
    }
}

// ---------------------------------------------------------------------------------------------
// Value types.

/// An RGB colour, each channel 0.0..=1.0: what the typesetter draws with (the display list
/// re-exports it as `typeset::frame::Color`). It is defined here, with the design values it is
/// made from, so that the style does not depend on the engine.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Color(pub f32, pub f32, pub f32);

impl Color {
    /// Pure black, for body text.
    pub const BLACK: Color = Color(0.0, 0.0, 0.0);
}

/// A colour as written in the style file (8 bits a channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// As the typesetter draws it.
    pub fn color(self) -> Color {
        Color(
            f32::from(self.0) / 255.0,
            f32::from(self.1) / 255.0,
            f32::from(self.2) / 255.0,
        )
    }

    /// As CSS writes it.
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    fn parse(s: &str) -> Option<Rgb> {
        let s = s.trim().to_ascii_lowercase();
        if let Some(hex) = s.strip_prefix('#') {
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let n = |h: &str| u8::from_str_radix(h, 16).ok();
            return match hex.len() {
                6 => Some(Rgb(n(&hex[0..2])?, n(&hex[2..4])?, n(&hex[4..6])?)),
                3 => {
                    let d = |i: usize| n(&hex[i..=i]).map(|v| v * 17);
                    Some(Rgb(d(0)?, d(1)?, d(2)?))
                }
                _ => None,
            };
        }
        Some(match s.as_str() {
            "black" => Rgb(0, 0, 0),
            "white" => Rgb(255, 255, 255),
            "gray" | "grey" => Rgb(128, 128, 128),
            "silver" => Rgb(192, 192, 192),
            "red" => Rgb(255, 0, 0),
            "maroon" => Rgb(128, 0, 0),
            "orange" => Rgb(255, 165, 0),
            "yellow" => Rgb(255, 255, 0),
            "olive" => Rgb(128, 128, 0),
            "lime" => Rgb(0, 255, 0),
            "green" => Rgb(0, 128, 0),
            "teal" => Rgb(0, 128, 128),
            "aqua" => Rgb(0, 255, 255),
            "blue" => Rgb(0, 0, 255),
            "navy" => Rgb(0, 0, 128),
            "purple" => Rgb(128, 0, 128),
            "fuchsia" => Rgb(255, 0, 255),
            _ => return None,
        })
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.css())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Rgb::parse(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "`{s}` is not a colour: write \"#rrggbb\", \"#rgb\" or a basic CSS name such as \"navy\""
            ))
        })
    }
}

/// A paper size as written, checked when read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paper(pub String);

impl Paper {
    /// Width and height.
    pub fn size(&self) -> (Pt, Pt) {
        // Checked when read; A4 is only the answer for a value built in code.
        crate::page::parse_paper("style", &self.0).unwrap_or((595.28, 841.89))
    }
}

impl<'de> Deserialize<'de> for Paper {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match crate::page::parse_paper("", &s) {
            Ok(_) => Ok(Paper(s)),
            Err(Error::Setting { message, .. }) => Err(de::Error::custom(message)),
            Err(e) => Err(de::Error::custom(e)),
        }
    }
}

/// Margins as written (`None`: "auto"), checked when read.
#[derive(Debug, Clone, PartialEq)]
pub struct Margins(pub Option<String>);

impl Serialize for Margins {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_deref().unwrap_or("auto"))
    }
}

impl<'de> Deserialize<'de> for Margins {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim() == "auto" {
            return Ok(Margins(None));
        }
        // The lengths are checked on a page large enough for any of them; whether they leave
        // room for text on the style's own paper is checked once the whole file is read.
        let mut page = crate::page::PageSetup::for_paper(14400.0, 14400.0);
        match crate::page::apply_margins(&mut page, "", &s) {
            Ok(()) => Ok(Margins(Some(s))),
            Err(Error::Setting { message, .. }) => Err(de::Error::custom(message)),
            Err(e) => Err(de::Error::custom(e)),
        }
    }
}

/// A length, or "auto".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoLength(pub Option<Pt>);

impl Serialize for AutoLength {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_str("auto"),
            Some(v) => s.serialize_str(&format!("{v}pt")),
        }
    }
}

impl<'de> Deserialize<'de> for AutoLength {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim() == "auto" {
            return Ok(AutoLength(None));
        }
        if s.trim().starts_with('-') {
            return Err(de::Error::custom(format!(
                "`{s}` is negative: the text size is a length from 6pt to 24pt"
            )));
        }
        match crate::page::parse_length(&s) {
            Some(v) if (6.0..=24.0).contains(&v) => Ok(AutoLength(Some(v))),
            Some(_) => Err(de::Error::custom(format!(
                "`{s}` is outside 6pt to 24pt"
            ))),
            None => Err(de::Error::custom(format!(
                "`{s}` is not a length: write \"auto\" or a number with a unit, e.g. \"11pt\" or \"4mm\""
            ))),
        }
    }
}

/// A typeface setting: a bundled family's name, or font files (relative to the style file).
#[derive(Debug, Clone, PartialEq)]
pub enum FaceSetting {
    /// A bundled family.
    Family(String),
    /// Font files, as written, with their bytes (read with the style file).
    Files(Vec<FontFile>),
}

/// A font file a style names, read when the style is.
#[derive(Debug, Clone, PartialEq)]
pub struct FontFile {
    /// As written in the style file.
    pub written: String,
    /// The file's bytes (empty until read).
    pub data: Arc<Vec<u8>>,
}

impl Serialize for FaceSetting {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            FaceSetting::Family(name) => s.serialize_str(name),
            FaceSetting::Files(files) if files.len() == 1 => s.serialize_str(&files[0].written),
            FaceSetting::Files(files) => s.collect_seq(files.iter().map(|f| f.written.as_str())),
        }
    }
}

/// Whether a face setting names a file rather than a family.
fn is_font_path(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    s.contains('/')
        || s.contains('\\')
        || [".ttf", ".otf", ".ttc", ".otc"]
            .iter()
            .any(|e| lower.ends_with(e))
}

impl<'de> Deserialize<'de> for FaceSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FaceSetting;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a bundled family's name, a font file, or a list of font files")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<FaceSetting, E> {
                if is_font_path(s) {
                    return Ok(FaceSetting::Files(vec![FontFile {
                        written: s.to_owned(),
                        data: Arc::default(),
                    }]));
                }
                if crate::font::bundled_family(s).is_none() {
                    return Err(E::custom(format!(
                        "`{s}` is not a bundled family ({}) nor a font file (.ttf, .otf, .ttc, .otc)",
                        crate::font::BUNDLED_FAMILIES.join(", ")
                    )));
                }
                Ok(FaceSetting::Family(s.to_owned()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<FaceSetting, A::Error> {
                let mut files = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    if !is_font_path(&s) {
                        return Err(de::Error::custom(format!(
                            "`{s}` is not a font file (.ttf, .otf, .ttc, .otc)"
                        )));
                    }
                    files.push(FontFile {
                        written: s,
                        data: Arc::default(),
                    });
                }
                if files.is_empty() || files.len() > 4 {
                    return Err(de::Error::custom(
                        "give one to four font files (regular, bold, italic, bold italic)",
                    ));
                }
                Ok(FaceSetting::Files(files))
            }
        }
        d.deserialize_any(V)
    }
}

/// Defines a keyword setting: an enum written as one of a few lowercase words.
macro_rules! keyword {
    ($(#[doc = $tdoc:literal])* $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $word:literal, )* }) => {
        $(#[doc = $tdoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
        pub enum $name {
            $( $(#[doc = $doc])* #[serde(rename = $word)] $variant, )*
        }
    };
}

keyword! {
    /// How paragraphs are told apart.
    Paragraphs {
        /// Space between them.
        Spacing = "spacing",
        /// The first line indented.
        Indent = "indent",
    }
}

keyword! {
    /// A heading's weight.
    Weight {
        /// Bold.
        Bold = "bold",
        /// Regular.
        Normal = "normal",
    }
}

/// The syntax colours of code, by name: "mono", or a theme of
/// [`crate::highlight::theme_names`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeTheme(pub String);

/// The theme that colours code as text.
pub const MONO_THEME: &str = "mono";

impl CodeTheme {
    /// The colour of inline code: a syntect theme's plain text colour (its code background is
    /// likely the theme's, dark or tinted); `None` for "print" and "mono" (the text's colour).
    pub fn inline_color(&self) -> Option<Rgb> {
        if self.0 == crate::highlight::PRINT_THEME {
            return None;
        }
        self.colors().map(|p| Rgb(p[0].0, p[0].1, p[0].2))
    }

    /// The colour of each token class ([`crate::highlight::CLASSES`] order); `None` for
    /// "mono" (the text colour).
    pub fn colors(&self) -> Option<[(u8, u8, u8); 9]> {
        crate::highlight::theme_colors(&self.0)
    }
}

impl<'de> Deserialize<'de> for CodeTheme {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == MONO_THEME || crate::highlight::theme_colors(&s).is_some() {
            return Ok(CodeTheme(s));
        }
        let names: Vec<String> = std::iter::once(MONO_THEME)
            .chain(crate::highlight::theme_names())
            .map(|n| format!("\"{n}\""))
            .collect();
        Err(de::Error::custom(format!(
            "unknown code theme `{s}`; use one of {}",
            names.join(", ")
        )))
    }
}

keyword! {
    /// What the running head shows.
    Header {
        /// The chapter's title.
        Chapter = "chapter",
        /// The document's title.
        Title = "title",
        /// Nothing.
        None = "none",
    }
}

keyword! {
    /// Where the page number stands.
    PageNumbers {
        /// Outer edge when two-sided, else centred.
        Auto = "auto",
        /// Centred.
        Center = "center",
        /// The outer edge.
        Outer = "outer",
        /// The inner edge.
        Inner = "inner",
        /// No page numbers.
        None = "none",
    }
}

keyword! {
    /// The title block's alignment.
    TitleAlign {
        /// Centred.
        Center = "center",
        /// On the left.
        Left = "left",
        /// On the right.
        Right = "right",
    }
}

// ---------------------------------------------------------------------------------------------
// Derived values.

impl Style {
    /// The body size for a text block `measure` wide.
    pub fn body_size(&self, measure: Pt) -> Pt {
        self.text
            .size
            .0
            .unwrap_or(if measure < 300.0 { 10.0 } else { 11.0 })
    }

    /// The shared default style.
    pub fn shared_default() -> Arc<Style> {
        static DEFAULT: std::sync::OnceLock<Arc<Style>> = std::sync::OnceLock::new();
        DEFAULT.get_or_init(|| Arc::new(Style::default())).clone()
    }

    /// The heading settings of a level (1 to 6; others are clamped).
    pub fn heading(&self, level: u8) -> HeadingLevel {
        let i = usize::from(level.clamp(1, 6)) - 1;
        let h = &self.headings;
        HeadingLevel {
            size: h.sizes[i] as Pt,
            bold: h.weights[i] == Weight::Bold,
            italic: h.italic[i],
            above: h.above[i] as Pt,
            below: h.below[i] as Pt,
            new_page: h.new_page[i],
        }
    }
}

/// One heading level's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadingLevel {
    /// Size, × body.
    pub size: Pt,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Space above, in lines.
    pub above: Pt,
    /// Space below, in lines.
    pub below: Pt,
    /// A page break before it.
    pub new_page: bool,
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Where a style file was named: the file that names it (front matter or a book's
/// configuration), the line of its `style` key, and the value as written.
pub struct Named<'a> {
    /// The file with the `style` key.
    pub file: &'a Path,
    /// The key's line.
    pub line: u32,
    /// The value.
    pub value: &'a str,
}

/// The style of a document whose folder is `dir`: the file `named` (relative to the folder of
/// the file that names it), else `style.toml` in `dir` if there is one, else the defaults.
/// Every path looked at is pushed to `reads` (for `bindery watch`).
pub fn resolve(dir: &Path, named: Option<Named<'_>>, reads: &mut Vec<PathBuf>) -> Result<Style> {
    let path = match named {
        Some(n) => {
            let base = n.file.parent().unwrap_or(Path::new(""));
            let path = base.join(n.value);
            reads.push(path.clone());
            if !path.is_file() {
                return Err(Error::Style {
                    path: n.file.to_owned(),
                    line: n.line,
                    col: 1,
                    message: format!("`style`: there is no style file `{}`", path.display()),
                });
            }
            path
        }
        None => {
            let path = dir.join(FILE_NAME);
            reads.push(path.clone());
            if !path.is_file() {
                return Ok(Style::default());
            }
            path
        }
    };
    load(&path)
}

/// Reads and checks a style file (and the font files it names).
pub fn load(path: &Path) -> Result<Style> {
    let bytes = crate::source::read(path, crate::source::Kind::Text).map_err(|e| Error::Read {
        path: path.to_owned(),
        source: e.into(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, col) = line_col(&String::from_utf8_lossy(e.as_bytes()), offset);
        Error::Utf8 {
            path: path.to_owned(),
            line,
            col,
            offset,
        }
    })?;
    let mut style = parse(path, &text)?;
    read_fonts(path, &text, &mut style)?;
    style.path = Some(path.to_owned());
    Ok(style)
}

/// Parses a style file's text (`path` names it in errors); font files are not read.
pub fn parse(path: &Path, text: &str) -> Result<Style> {
    let style: Style = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        Error::Style {
            path: path.to_owned(),
            line,
            col,
            message: message(e.message()),
        }
    })?;
    check(path, text, &style)?;
    Ok(style)
}

/// The toml crate's message, in the terms of a style file.
fn message(m: &str) -> String {
    let m = m.trim();
    // "unknown field `x`, expected one of `a`, `b`": say it is a key.
    if let Some(rest) = m.strip_prefix("unknown field ") {
        return format!(
            "unknown key {}",
            rest.replace(", expected", "; the keys here are")
        );
    }
    if let Some(rest) = m.strip_prefix("unknown variant ") {
        return format!("unknown value {}", rest.replace(", expected", "; use"));
    }
    crate::error::toml_message(m, "", None, 1)
}

/// Line and column (from 1, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

/// Where `key` of `[table]` is set: the line and the column of its value (1, 1 when not found).
fn key_place(text: &str, table: &str, key: &str) -> (u32, u32) {
    let mut current = String::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(h) = t.strip_prefix('[') {
            current = h.split(']').next().unwrap_or("").trim().to_owned();
            continue;
        }
        let Some((k, _)) = t.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches(['"', '\'']);
        let dotted = format!("{table}.{key}");
        if (current == table && k == key) || (current.is_empty() && k == dotted) {
            let value_at = line.find('=').map_or(0, |i| {
                let after = &line[i + 1..];
                i + 1 + (after.len() - after.trim_start().len())
            });
            return (n as u32 + 1, line[..value_at].chars().count() as u32 + 1);
        }
    }
    (1, 1)
}

/// Ranges and combinations the types alone do not settle.
fn check(path: &Path, text: &str, s: &Style) -> Result<()> {
    let at = |table: &str, key: &str, message: String| {
        let (line, col) = key_place(text, table, key);
        Err(Error::Style {
            path: path.to_owned(),
            line,
            col,
            message: format!("`{key}`: {message}"),
        })
    };
    let range = |v: f64, lo: f64, hi: f64| v.is_finite() && (lo..=hi).contains(&v);
    // Each number with its range, as the message shows it.
    let numbers = [
        ("text", "leading", s.text.leading, 1.0, 3.0, "1.0 to 3.0"),
        ("text", "indent", s.text.indent, 0.0, 10.0, "0 to 10 (em)"),
        (
            "text",
            "spacing",
            s.text.spacing,
            0.0,
            3.0,
            "0 to 3 (lines)",
        ),
        ("code", "size", s.code.size, 0.5, 1.5, "0.5 to 1.5"),
        ("title", "size", s.title.size, 1.0, 5.0, "1 to 5"),
    ];
    for (table, key, v, lo, hi, shown) in numbers {
        if !range(v, lo, hi) {
            return at(table, key, format!("{v} is outside {shown}"));
        }
    }
    for (key, values, lo, hi) in [
        ("sizes", &s.headings.sizes, 0.5, 5.0),
        ("above", &s.headings.above, 0.0, 10.0),
        ("below", &s.headings.below, 0.0, 10.0),
    ] {
        if let Some(v) = values.iter().find(|v| !range(**v, lo, hi)) {
            return at("headings", key, format!("{v} is outside {lo} to {hi}"));
        }
    }
    // The style's own paper and margins must leave room for text.
    if let Some(m) = &s.page.margins.0 {
        let (w, h) = s.page.size.size();
        let mut page = crate::page::PageSetup::for_paper(w, h);
        if let Err(e) = crate::page::apply_margins(&mut page, "", m) {
            let message = match e {
                Error::Setting { message, .. } => message,
                other => other.to_string(),
            };
            return at("page", "margins", message);
        }
    }
    Ok(())
}

/// Reads the font files the style names, relative to the style file, each checked to be a
/// usable font.
fn read_fonts(path: &Path, text: &str, style: &mut Style) -> Result<()> {
    let base = path.parent().unwrap_or(Path::new("")).to_owned();
    for (key, setting) in [
        ("text", &mut style.fonts.text),
        ("code", &mut style.fonts.code),
    ] {
        let FaceSetting::Files(files) = setting else {
            continue;
        };
        for f in files {
            let file = base.join(&f.written);
            let fail = |message: String| {
                let (line, col) = key_place(text, "fonts", key);
                Error::Style {
                    path: path.to_owned(),
                    line,
                    col,
                    message: format!("`{key}`: {}: {message}", file.display()),
                }
            };
            let data = crate::source::read(&file, crate::source::Kind::Font)
                .map_err(|e| fail(format!("cannot read the font: {e}")))?;
            if crate::font::Face::from_owned(data.clone()).is_none() {
                return Err(fail("not a usable OpenType/TrueType font".into()));
            }
            f.data = Arc::new(data);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// The defaults as a style file, every key with its documentation as comments
/// (`bindery style --default`).
pub fn default_file() -> String {
    write_file(&Style::default())
}

/// A style as a style file, every key written and documented.
pub fn write_file(s: &Style) -> String {
    let mut out = String::from(
        "# bindery style file: the built-in design. Put a copy named style.toml next to your\n\
         # document (or in your book's root, or name it with `style: FILE` in front matter,\n\
         # bindery.toml or book.toml's [output.bindery]) and change what you like; keys left\n\
         # out keep these values. Precedence: command-line flags, then front matter, then this\n\
         # file.\n",
    );
    if let Some(p) = &s.path {
        out = format!("# {} with the defaults filled in.\n", p.display());
    }
    write_table(&mut out, &s.page);
    write_table(&mut out, &s.fonts);
    write_table(&mut out, &s.text);
    write_table(&mut out, &s.headings);
    write_table(&mut out, &s.colors);
    write_table(&mut out, &s.code);
    write_table(&mut out, &s.running);
    write_table(&mut out, &s.title);
    out
}

fn write_table<T: Documented>(out: &mut String, table: &T) {
    use std::fmt::Write;
    let values = toml::Table::try_from(table).unwrap_or_default();
    out.push('\n');
    for line in T::ABOUT {
        let _ = writeln!(out, "#{line}");
    }
    let _ = writeln!(out, "[{}]", T::KEY);
    for (field, doc) in T::FIELDS {
        let key = field.replace('_', "-");
        for line in *doc {
            let _ = writeln!(out, "#{line}");
        }
        if let Some(v) = values.get(&key) {
            let _ = writeln!(out, "{key} = {v}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(Path::new("s.toml"), text).unwrap_err().to_string()
    }

    #[test]
    fn the_default_file_reads_back_as_the_defaults() {
        let text = default_file();
        let parsed = parse(Path::new("default.toml"), &text).unwrap();
        assert_eq!(parsed, Style::default());
        // Every key is documented and written.
        assert!(text.contains("code-background = \"#f2f2f0\""), "{text}");
        assert!(
            text.contains("sizes = [2.0, 1.55, 1.28, 1.1, 1.0, 1.0]"),
            "{text}"
        );
        assert!(!text.contains("\n\n\n"));
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let e = err("[page]\nsize = \"a4\"\n\n[text]\nleeding = 1.4\n");
        assert!(e.starts_with("s.toml:5:1: "), "{e}");
        assert!(e.contains("unknown key `leeding`"), "{e}");
        let e = err("[colors]\nlink = \"bluish\"\n");
        assert!(e.starts_with("s.toml:2:8: "), "{e}");
        assert!(e.contains("`bluish` is not a colour"), "{e}");
        let e = err("[text]\nsize = \"-3pt\"\n");
        assert!(e.starts_with("s.toml:2:"), "{e}");
        let e = err("[text]\nleading = \"wide\"\n");
        assert!(e.starts_with("s.toml:2:"), "{e}");
        let e = err("[code]\ntheme = \"solarized\"\n");
        assert!(
            e.starts_with("s.toml:2:") && e.contains("\"InspiredGitHub\""),
            "{e}"
        );
        let e = err("[text]\n\nleading = 0.2\n");
        assert!(e.starts_with("s.toml:3:11: "), "{e}");
        let e = err("[page]\nsize = \"a6\"\nmargins = \"5cm\"\n");
        assert!(e.starts_with("s.toml:3:11: "), "{e}");
        let e = err("[fonts]\ntext = \"Comic Sans\"\n");
        assert!(
            e.starts_with("s.toml:2:") && e.contains("Source Serif 4"),
            "{e}"
        );
        let e = err("[headings]\nsizes = [2.0, 1.5]\n");
        assert!(e.starts_with("s.toml:2:"), "{e}");
    }

    #[test]
    fn values_are_read() {
        let s = parse(
            Path::new("s.toml"),
            "[page]\nsize = \"a5\"\nmargins = \"15mm\"\n[text]\nsize = \"12pt\"\nparagraphs = \"indent\"\n[colors]\nlink = \"#c00\"\n",
        )
        .unwrap();
        assert_eq!(s.page.size.size().0.round(), 420.0);
        assert_eq!(s.text.size.0, Some(12.0));
        assert_eq!(s.text.paragraphs, Paragraphs::Indent);
        assert_eq!(s.colors.link, Rgb(0xcc, 0, 0));
        assert_eq!(s.body_size(100.0), 12.0);
        assert_eq!(Style::default().body_size(100.0), 10.0);
    }

    #[test]
    fn a_missing_font_file_is_an_error_at_its_key() {
        let dir = std::env::temp_dir().join(format!("bindery-style-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("style.toml");
        std::fs::write(&file, "[fonts]\n\ntext = \"fonts/None.ttf\"\n").unwrap();
        let e = load(&file).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert!(e.contains("style.toml:3:8: "), "{e}");
        assert!(e.contains("None.ttf"), "{e}");
    }
}
