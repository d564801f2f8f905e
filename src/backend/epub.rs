//! EPUB 3 packaging: chapters from the XHTML writer, metadata, navigation, cover, fonts.
//!
//! This module decides everything the package holds (metadata, the accessibility claims,
//! reading order, contents, landmarks); [`package`] writes the container files and the zip,
//! so that EPUBCheck and DAISY Ace report nothing and two builds of one source are
//! byte-identical.

pub(crate) mod css;
mod meta;
mod package;

use crate::backend::xhtml::{self, escape};
use crate::backend::{Backend, Format, Rendered};
use crate::doc::Document;
use crate::error::{Diagnostic, Error, Result};
use std::path::PathBuf;

/// The default stylesheet, readable on e-ink.
pub(crate) const STYLE: &str = include_str!("epub/style.css");

/// The CSS family of Armenian in serif text: Noto Serif Armenian upright, DejaVu Serif's
/// italics in italic, as the typesetter sets it (Noto Serif Armenian has no italic, and a
/// slanted copy would not be the PDF's).
const ARMENIAN_FAMILY: &str = "bindery Armenian";
/// The CSS families of Arabic and Hebrew: Noto Naskh Arabic and Noto Serif Hebrew, upright
/// in italic text too, as the typesetter sets them (neither has an italic).
const ARABIC_FAMILY: &str = "bindery Arabic";
const HEBREW_FAMILY: &str = "bindery Hebrew";

/// How each bundled face (by PostScript name, as `crate::font` holds them) is declared in
/// CSS: family, weight, style. The bytes come from the font module, so the binary holds them
/// once. The fallback faces hold only what the book faces lack; the style sheet's stacks
/// name them after the book face in [`SERIF_STACK`]'s and [`CODE_STACK`]'s order, so a
/// reading system falls back to them per character as the PDF does. They are embedded only
/// in a book that has such characters (see [`needs_fallback`]); a file that serves two
/// families is packaged once.
const FONT_CSS: [(&str, &str, &str, &str); 24] = [
    (SERIF_BOOK, "Source Serif 4", "normal", "normal"),
    (
        "SourceSerif4SmText-Bold",
        "Source Serif 4",
        "bold",
        "normal",
    ),
    (
        "SourceSerif4SmText-It",
        "Source Serif 4",
        "normal",
        "italic",
    ),
    (
        "SourceSerif4SmText-BoldIt",
        "Source Serif 4",
        "bold",
        "italic",
    ),
    (CODE_BOOK, "Source Code Pro", "normal", "normal"),
    ("SourceCodePro-Bold", "Source Code Pro", "bold", "normal"),
    ("DejaVuSerif", "DejaVu Serif", "normal", "normal"),
    ("DejaVuSerif-Bold", "DejaVu Serif", "bold", "normal"),
    ("DejaVuSerif-Italic", "DejaVu Serif", "normal", "italic"),
    ("DejaVuSerif-BoldItalic", "DejaVu Serif", "bold", "italic"),
    ("DejaVuSansMono", "DejaVu Sans Mono", "normal", "normal"),
    ("DejaVuSansMono-Bold", "DejaVu Sans Mono", "bold", "normal"),
    (
        "NotoSerifArmenian-Regular",
        ARMENIAN_FAMILY,
        "normal",
        "normal",
    ),
    ("NotoSerifArmenian-Bold", ARMENIAN_FAMILY, "bold", "normal"),
    ("DejaVuSerif-Italic", ARMENIAN_FAMILY, "normal", "italic"),
    ("DejaVuSerif-BoldItalic", ARMENIAN_FAMILY, "bold", "italic"),
    ("NotoNaskhArabic-Regular", ARABIC_FAMILY, "normal", "normal"),
    ("NotoNaskhArabic-Bold", ARABIC_FAMILY, "bold", "normal"),
    ("NotoNaskhArabic-Regular", ARABIC_FAMILY, "normal", "italic"),
    ("NotoNaskhArabic-Bold", ARABIC_FAMILY, "bold", "italic"),
    ("NotoSerifHebrew-Regular", HEBREW_FAMILY, "normal", "normal"),
    ("NotoSerifHebrew-Bold", HEBREW_FAMILY, "bold", "normal"),
    ("NotoSerifHebrew-Regular", HEBREW_FAMILY, "normal", "italic"),
    ("NotoSerifHebrew-Bold", HEBREW_FAMILY, "bold", "italic"),
];

/// The book faces (regular) whose gaps the fallback families fill.
const SERIF_BOOK: &str = "SourceSerif4SmText-Regular";
const CODE_BOOK: &str = "SourceCodePro-Regular";

/// The fallback families of the serif text's stack and of the code's, in the order the
/// typesetter tries its faces: Armenian in upright serif before DejaVu, DejaVu of the text's
/// family, then the script faces for their scripts only.
const SERIF_STACK: [&str; 4] = [
    ARMENIAN_FAMILY,
    "DejaVu Serif",
    ARABIC_FAMILY,
    HEBREW_FAMILY,
];
const CODE_STACK: [&str; 3] = ["DejaVu Sans Mono", ARABIC_FAMILY, HEBREW_FAMILY];

/// The characters a fallback family is declared for (its `unicode-range`), `None` for any it
/// has.
fn family_ranges(family: &str) -> Option<crate::font::Ranges> {
    match family {
        ARMENIAN_FAMILY => Some(crate::font::ARMENIAN),
        ARABIC_FAMILY => Some(crate::font::ARABIC),
        HEBREW_FAMILY => Some(crate::font::HEBREW),
        _ => None,
    }
}

fn is_fallback(family: &str) -> bool {
    SERIF_STACK.contains(&family) || CODE_STACK.contains(&family)
}

/// A bundled font in the EPUB: file name, media type, CSS family, weight, style, the
/// characters it is declared for (`unicode-range`, `None`: all it has), bytes.
struct EmbeddedFont {
    file: String,
    media_type: &'static str,
    family: &'static str,
    weight: &'static str,
    style: &'static str,
    range: Option<String>,
    bytes: &'static [u8],
}

/// The fallback families (CSS names) that draw some character the book face lacks, each
/// character going to the first family of its stack that is declared for it and has it: all
/// the chapters' `markup` for the serif stack, what is inside its `<code>` elements for the
/// code's. Styles are not told apart: the faces of one family cover nearly the same
/// characters.
fn needs_fallback<'a>(markup: impl Iterator<Item = &'a str> + Clone) -> Vec<&'static str> {
    let chars = |text: &mut dyn Iterator<Item = &'a str>| {
        text.flat_map(str::chars)
            .filter(|c| !c.is_ascii())
            .collect::<std::collections::BTreeSet<char>>()
    };
    let all = chars(&mut markup.clone());
    let code = chars(&mut markup.flat_map(|m| {
        m.split("<code")
            .skip(1)
            .filter_map(|rest| rest.split_once("</code>").map(|(c, _)| c))
    }));
    // Each family's character map, read from its first (regular) face.
    let cmap = |family: &str| {
        let (name, ..) = FONT_CSS.iter().find(|(_, f, ..)| *f == family)?;
        crate::font::bundled_cmap(name)
    };
    let mut needed = std::collections::BTreeSet::new();
    for (book, stack, text) in [
        (SERIF_BOOK, &SERIF_STACK[..], &all),
        (CODE_BOOK, &CODE_STACK[..], &code),
    ] {
        let Some(in_book) = crate::font::bundled_cmap(book) else {
            continue;
        };
        let maps: Vec<_> = stack.iter().map(|f| (*f, cmap(f))).collect();
        for &c in text.iter().filter(|&&c| !in_book(c)) {
            let first = maps.iter().find(|(family, map)| {
                family_ranges(family).is_none_or(|r| crate::font::in_ranges(r, c))
                    && map.as_ref().is_some_and(|has| has(c))
            });
            if let Some((family, _)) = first {
                needed.insert(*family);
            }
        }
    }
    // In the order the style sheet declares them.
    let mut out: Vec<&'static str> = Vec::new();
    for (_, family, ..) in FONT_CSS {
        if needed.contains(family) && !out.contains(&family) {
            out.push(family);
        }
    }
    out
}

/// The bundled fonts embedded by `--epub-fonts`, each under the extension and media type of
/// its outlines (CFF in `.otf`, TrueType in `.ttf`): the book faces, and the fallback
/// families in `fallbacks`.
fn fonts(fallbacks: &[&str]) -> Vec<EmbeddedFont> {
    let data = crate::font::bundled_font_data();
    FONT_CSS
        .iter()
        .filter(|(_, family, ..)| !is_fallback(family) || fallbacks.contains(family))
        .filter_map(|(name, family, weight, style)| {
            let bytes = data.iter().find(|(n, _)| n == name)?.1;
            let (ext, media_type) = if bytes.starts_with(b"OTTO") {
                ("otf", "font/otf")
            } else {
                ("ttf", "font/ttf")
            };
            let range = family_ranges(family).map(|ranges| {
                ranges
                    .iter()
                    .map(|(from, to)| format!("U+{from:04X}-{to:04X}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            Some(EmbeddedFont {
                file: format!("{name}.{ext}"),
                media_type,
                family,
                weight,
                style,
                range,
                bytes,
            })
        })
        .collect()
}

/// Options of the EPUB backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EpubOptions {
    /// Embed the bundled fonts (`--epub-fonts`).
    pub embed_fonts: bool,
    /// `dcterms:modified` as seconds since the epoch, over the document's own (settled in
    /// parsing from SOURCE_DATE_EPOCH or its date); for tests.
    pub modified: Option<i64>,
}

/// Writes EPUB 3 books.
#[derive(Debug, Clone, Default)]
pub struct EpubBackend {
    options: EpubOptions,
}

impl EpubBackend {
    /// A backend that embeds the bundled fonts when `embed_fonts` is set.
    pub fn new(embed_fonts: bool) -> Self {
        EpubBackend {
            options: EpubOptions {
                embed_fonts,
                modified: None,
            },
        }
    }

    /// A backend with every option given explicitly (reads no environment).
    pub fn with_options(options: EpubOptions) -> Self {
        EpubBackend { options }
    }
}

impl Backend for EpubBackend {
    fn format(&self) -> Format {
        Format::Epub
    }

    fn render(&self, doc: &Document) -> Result<Rendered> {
        self.render_with_pages(doc, None)
    }

    fn wants_pages(&self) -> bool {
        true
    }

    /// With the PDF's page starts the EPUB carries the print edition's page breaks and a page
    /// list; without them (no PDF in this build) it has none, rather than setting the book a
    /// second time for pages that no file of the build shows.
    fn render_with_pages(
        &self,
        doc: &Document,
        pages: Option<&[crate::doc::PageStart]>,
    ) -> Result<Rendered> {
        let path = doc
            .files
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("<input>"));
        let mut diagnostics = Vec::new();
        let bytes = package(
            doc,
            self.options,
            pages.unwrap_or_default(),
            &mut diagnostics,
        )
        .map_err(|e| Error::Render {
            path,
            format: "epub",
            message: e.to_string(),
        })?;
        Ok(Rendered {
            bytes,
            diagnostics,
            pages: None,
            faces: Vec::new(),
            page_starts: Vec::new(),
        })
    }
}

/// The `(id, page label)` of each page-break marker in a chapter's body, in order (the
/// writer puts them there, see `xhtml::writer`).
fn page_breaks(body: &str) -> impl Iterator<Item = (&str, &str)> {
    body.split(xhtml::PAGE_BREAK).skip(1).filter_map(|rest| {
        let (id, rest) = rest.split_once('"')?;
        let rest = rest.strip_prefix(" aria-label=\"")?;
        let (label, _) = rest.split_once('"')?;
        Some((id, label))
    })
}

/// `s` through the XML gate and trimmed; `None` when nothing is left.
fn xml(s: &str) -> Option<String> {
    let s = escape::clean(s);
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The conformance claim bindery makes for a document that meets it.
const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

fn package(
    doc: &Document,
    options: EpubOptions,
    page_starts: &[crate::doc::PageStart],
    diagnostics: &mut Vec<Diagnostic>,
) -> zip::result::ZipResult<Vec<u8>> {
    let m = &doc.meta;
    let main_path = doc
        .files
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("<input>"));
    let lang = if meta::valid_lang(m.lang.trim()) {
        m.lang.trim().to_string()
    } else {
        if !m.lang.trim().is_empty() {
            diagnostics.push(Diagnostic::warning(
                crate::error::Code::BadValue,
                &main_path,
                0,
                0,
                format!(
                    "language `{}` is not a BCP 47 tag; the EPUB says `en`",
                    m.lang
                ),
            ));
        }
        "en".to_string()
    };
    // Every string from the document that reaches the package (title, authors, description,
    // subjects, rights, navigation labels) goes through the XML gate first (`xml` here;
    // chapter titles are clean from `render_book`).
    let title = xhtml::document_title(doc);

    let book = xhtml::render_book_paged(
        doc,
        xhtml::Options {
            mathml: true,
            ..xhtml::Options::default()
        },
        page_starts,
    );
    crate::trace::stage("epub: chapters written");
    diagnostics.extend(book.diagnostics.iter().cloned());

    let words = crate::locale::Locale::of(&lang).words;
    // The direction book.toml (`text-direction`) or front matter (`dir`) gives, else the
    // language's own (settled in parsing).
    let rtl = m.rtl() == Some(true);
    let (uuid, other_identifier) = meta::identifier(m);
    let date = m
        .date
        .as_deref()
        .and_then(|date| match meta::dc_date(date) {
            Some(date) => Some(date.format("%Y-%m-%d").to_string()),
            None => {
                diagnostics.push(Diagnostic::warning(
                    crate::error::Code::BadValue,
                    &main_path,
                    0,
                    0,
                    format!("date `{date}` is not YYYY-MM-DD; left out of the EPUB metadata"),
                ));
                None
            }
        });
    let mut pkg = package::Package {
        lang: lang.clone(),
        rtl,
        identifier: format!("urn:uuid:{uuid}"),
        other_identifier: other_identifier.as_deref().and_then(xml),
        title: title.clone(),
        subtitle: m.subtitle.as_deref().and_then(xml),
        authors: m.authors.iter().filter_map(|a| xml(a)).collect(),
        description: m.description.as_deref().and_then(xml),
        subjects: m.keywords.iter().filter_map(|k| xml(k)).collect(),
        rights: m.rights.as_deref().and_then(xml),
        date,
        source: None,
        modified: meta::modified(options.modified.or(Some(m.modified)), None),
        properties: Vec::new(),
        items: Vec::new(),
        toc: Vec::new(),
        landmarks: Vec::new(),
        pages: Vec::new(),
        contents_label: words.contents.to_string(),
        landmarks_label: words.landmarks.to_string(),
        pages_label: words.pages.to_string(),
    };

    let embed_fonts = options.embed_fonts || m.epub_fonts == Some(true);
    let embedded = if embed_fonts {
        let text = book
            .chapters
            .iter()
            .flat_map(|c| [c.title.as_str(), &c.body]);
        fonts(&needs_fallback(text.chain([title.as_str()])))
    } else {
        Vec::new()
    };
    let mut css = STYLE.to_string();
    css.push_str(&self::css::css(&doc.style));
    if embed_fonts {
        css.push_str("\n/* Bundled fonts (--epub-fonts). */\n");
        for f in &embedded {
            let range = f
                .range
                .as_ref()
                .map(|r| format!(" unicode-range: {r};"))
                .unwrap_or_default();
            css.push_str(&format!(
                "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; \
                 src: url(\"fonts/{}\");{range} }}\n",
                f.family, f.weight, f.style, f.file
            ));
        }
        let stack = |book: &str, fallbacks: &[&str], generic: &str| {
            let names: Vec<String> = std::iter::once(book)
                .chain(fallbacks.iter().copied())
                .map(|f| format!("\"{f}\""))
                .collect();
            format!("{}, {generic}", names.join(", "))
        };
        css.push_str(&format!(
            "body {{ font-family: {}; }}\ncode, kbd, samp, pre, .math {{ font-family: {}; }}\n",
            stack("Source Serif 4", &SERIF_STACK, "serif"),
            stack("Source Code Pro", &CODE_STACK, "monospace"),
        ));
    }
    let mut resources = vec![package::Item {
        href: "stylesheet.css".into(),
        media_type: "text/css",
        bytes: css.into_bytes(),
        spine: false,
        cover_image: false,
    }];
    let mut packaged = std::collections::BTreeSet::new();
    for f in embedded {
        // DejaVu Serif's italics serve two families: one file in the package.
        if !packaged.insert(f.file.clone()) {
            continue;
        }
        resources.push(package::Item {
            href: format!("fonts/{}", f.file),
            media_type: f.media_type,
            bytes: f.bytes.to_vec(),
            spine: false,
            cover_image: false,
        });
    }

    let cover_key = m.cover.as_deref().filter(|c| !c.trim().is_empty());
    let mut cover_path = None;
    // Every asset passed the one image check when it was read (`parse::assets`); a raster
    // image is packaged as it is, an SVG as the safe copy that check made of it (no scripts,
    // no external references, no entities: `image::svg`).
    for (key, asset) in &doc.assets {
        let Some(path) = book.assets.get(key) else {
            continue;
        };
        let bytes = if asset.kind == crate::doc::AssetKind::Svg {
            match &*crate::image::svg::prepare(&asset.bytes) {
                Ok(svg) => svg.epub.as_bytes().to_vec(),
                // Not reached: the same bytes were accepted when they were read.
                Err(_) => continue,
            }
        } else {
            asset.bytes.clone()
        };
        let cover_image = Some(key.as_str()) == cover_key;
        if cover_image {
            cover_path = Some(path.clone());
        }
        resources.push(package::Item {
            href: path.clone(),
            media_type: asset.kind.media_type(),
            bytes,
            spine: false,
            cover_image,
        });
    }
    if let (Some(key), None) = (cover_key, &cover_path) {
        diagnostics.push(Diagnostic::warning(
            crate::error::Code::MissingImage,
            &main_path,
            0,
            0,
            format!("cover image `{key}` was not read; the EPUB has no cover"),
        ));
    }

    let mut pages = Vec::new();
    if let Some(path) = &cover_path {
        let body = format!(
            "<section class=\"cover\" epub:type=\"cover\" aria-label=\"{}\"><img src=\"{}\" alt=\"{}\" role=\"doc-cover\" /></section>\n",
            escape::attr(words.cover),
            escape::attr(&escape::href(path)),
            escape::attr(&format!("{}: {title}", words.cover))
        );
        let page = xhtml::page(&title, &lang, rtl, Some("stylesheet.css"), "cover", &body);
        pages.push(("cover.xhtml".to_string(), page));
        pkg.landmarks.push(package::Landmark {
            kind: "cover",
            href: "cover.xhtml".into(),
            label: words.cover.into(),
        });
    }

    // A document whose first chapter opens with its title (the title was taken from that
    // heading) gets no separate title page, which would only say the same thing twice: the
    // byline follows the heading instead. Otherwise the title page comes first in reading
    // order but stays out of the contents (the landmarks list it).
    let first_body = match book.chapters.first() {
        Some(first) if first.title.trim() == title && first.body.starts_with("<h1") => {
            first.body.find("</h1>\n").map(|end| {
                let end = end + "</h1>\n".len();
                format!(
                    "{}{}{}",
                    &first.body[..end],
                    byline(doc),
                    &first.body[end..]
                )
            })
        }
        _ => None,
    };
    if first_body.is_none() {
        let title_page = xhtml::page(
            &title,
            &lang,
            rtl,
            Some("stylesheet.css"),
            "",
            &title_page_body(doc, &title),
        );
        pages.push(("title.xhtml".to_string(), title_page));
        pkg.landmarks.push(package::Landmark {
            kind: "titlepage",
            href: "title.xhtml".into(),
            label: words.title_page.into(),
        });
    }
    if let Some(first) = book.chapters.first() {
        pkg.landmarks.push(package::Landmark {
            kind: "bodymatter",
            href: first.file.clone(),
            label: words.start.into(),
        });
    }

    for (i, chapter) in book.chapters.iter().enumerate() {
        let body = match (&first_body, i) {
            (Some(body), 0) => body,
            _ => &chapter.body,
        };
        let page = xhtml::page(&chapter.title, &lang, rtl, Some("stylesheet.css"), "", body);
        pages.push((chapter.file.clone(), page));
        // The chapter's own entry points at the file; its level-1 heading opens the file, so
        // nothing is lost. Its headings nest under it by level.
        let mut point = package::NavPoint {
            level: chapter.level,
            href: chapter.file.clone(),
            title: chapter.title.clone(),
            children: Vec::new(),
        };
        for entry in &chapter.toc {
            package::nest(
                &mut point.children,
                package::NavPoint {
                    level: entry.level,
                    href: format!("{}#{}", chapter.file, entry.id),
                    title: entry.title.clone(),
                    children: Vec::new(),
                },
            );
        }
        package::nest(&mut pkg.toc, point);
        pkg.pages.extend(
            page_breaks(&chapter.body)
                .map(|(id, label)| (label.to_owned(), format!("{}#{id}", chapter.file))),
        );
    }
    if !pkg.pages.is_empty() {
        // The print edition the page numbers come from: the PDF bindery sets from the same
        // source (an ISBN, when the document gives one, names the book rather than its print).
        pkg.source = Some(format!("{title} (PDF edition)"));
    }
    if pkg.pages.len() < page_starts.len() {
        diagnostics.push(Diagnostic::warning(
            crate::error::Code::Backend,
            &main_path,
            0,
            0,
            format!(
                "{} of the PDF's {} page breaks found no place in the EPUB; its page list lacks them",
                page_starts.len() - pkg.pages.len(),
                page_starts.len()
            ),
        ));
    }
    pkg.items = pages
        .into_iter()
        .map(|(href, page)| package::Item {
            href,
            media_type: "application/xhtml+xml",
            bytes: page.into_bytes(),
            spine: true,
            cover_image: false,
        })
        .chain(resources)
        .collect();

    pkg.properties = accessibility(
        &book,
        cover_path.is_some(),
        !pkg.pages.is_empty(),
        diagnostics,
    );

    let out = package::write(&pkg)?;
    crate::trace::stage("epub: packaged");
    Ok(out)
}

/// The accessibility metadata (schema.org, EPUB Accessibility 1.1), each claim made only when
/// this document supports it; a document that falls short of WCAG 2.2 AA gets no
/// conformance claim and a warning that says why.
fn accessibility(
    book: &xhtml::Book,
    cover: bool,
    paged: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(&'static str, String, Option<&'static str>)> {
    let images = book.pictures.len() + usize::from(cover);
    let unlabelled: Vec<&xhtml::Picture> = book.pictures.iter().filter(|p| !p.alt).collect();
    let mut out: Vec<(&'static str, String, Option<&'static str>)> = Vec::new();
    let mut add = |property: &'static str, value: &str| out.push((property, value.into(), None));
    add("schema:accessMode", "textual");
    if images > 0 {
        add("schema:accessMode", "visual");
    }
    if unlabelled.is_empty() {
        add("schema:accessModeSufficient", "textual");
    }
    if images > 0 {
        add("schema:accessModeSufficient", "textual,visual");
    }
    let headings = book
        .chapters
        .iter()
        .any(|c| !c.toc.is_empty() || c.id.is_some());
    if headings {
        add("schema:accessibilityFeature", "structuralNavigation");
    }
    add("schema:accessibilityFeature", "tableOfContents");
    add("schema:accessibilityFeature", "readingOrder");
    add("schema:accessibilityFeature", "displayTransformability");
    if images > 0 && unlabelled.is_empty() {
        add("schema:accessibilityFeature", "alternativeText");
    }
    if book.mathml > 0 {
        add("schema:accessibilityFeature", "MathML");
    }
    if paged {
        add("schema:accessibilityFeature", "pageNavigation");
        add("schema:accessibilityFeature", "printPageNumbers");
        add("schema:accessibilityFeature", "pageBreakMarkers");
    }
    add("schema:accessibilityHazard", "none");
    let mut summary =
        String::from("Reflowable text in reading order, with a table of contents and landmarks");
    if headings {
        summary.push_str(", structured by headings");
    }
    summary.push('.');
    if images > 0 {
        summary.push_str(if unlabelled.is_empty() {
            " Every image has alternative text."
        } else {
            " Some images have no alternative text."
        });
    }
    if paged {
        summary.push_str(" Page breaks and a page list give the PDF edition's page numbers.");
    }
    if book.mathml > 0 {
        summary.push_str(" Mathematics is MathML, with its TeX source as alternative text.");
    }
    if book.maths > book.mathml {
        summary.push_str(if book.mathml > 0 {
            " Formulas bindery cannot read are written as TeX source text."
        } else {
            " Mathematics is written as TeX source text."
        });
    }
    if unlabelled.is_empty() {
        summary.push_str(" Conforms to WCAG 2.2 Level AA.");
    }
    // The summary is bindery's own sentence, in English whatever the book's language.
    out.push(("schema:accessibilitySummary", summary, Some("en")));
    if unlabelled.is_empty() {
        out.push(("dcterms:conformsTo", CONFORMS_TO.into(), None));
        out.push(("a11y:certifiedBy", "bindery".into(), None));
    } else {
        let first = unlabelled[0];
        let more = match unlabelled.len() {
            1 => String::new(),
            n => format!(" (and {} more images without it)", n - 1),
        };
        diagnostics.push(Diagnostic::warning_at(
            crate::error::Code::MissingAlt,
            first.path.clone(),
            first.loc,
            format!(
                "the EPUB does not claim {CONFORMS_TO}: this image has no alternative text{more}; write what it shows in ![...](...)"
            ),
        ));
    }
    out
}

pub(crate) fn title_page_body(doc: &Document, title: &str) -> String {
    let mut body = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1>");
    escape::push_text(&mut body, title);
    body.push_str("</h1>\n");
    body.push_str(&byline(doc));
    body.push_str("</section>\n");
    body
}

/// What a title page says under the title: subtitle, authors, date, rights.
pub(crate) fn byline(doc: &Document) -> String {
    let m = &doc.meta;
    let mut body = String::new();
    if let Some(subtitle) = m.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&format!(
            "<p class=\"subtitle\">{}</p>\n",
            escape::text(subtitle.trim())
        ));
    }
    let authors: Vec<&str> = m
        .authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if !authors.is_empty() {
        body.push_str(&format!(
            "<p class=\"author\">{}</p>\n",
            escape::text(&authors.join(", "))
        ));
    }
    if let Some(date) = m.date_shown.as_deref() {
        body.push_str(&format!(
            "<p class=\"date\">{}</p>\n",
            escape::text(date.trim())
        ));
    }
    if let Some(rights) = m.rights.as_deref().filter(|r| !r.trim().is_empty()) {
        body.push_str(&format!(
            "<p class=\"rights\">{}</p>\n",
            escape::text(rights.trim())
        ));
    }
    body
}
