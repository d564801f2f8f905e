//! EPUB 3 packaging: chapters from the XHTML writer, metadata, navigation, cover, fonts.
//!
//! epub-builder writes the container, the package document, the navigation document and the
//! NCX; this module decides everything that goes into them, so that EPUBCheck reports nothing
//! and two builds of one source are byte-identical.

mod meta;

use crate::backend::xhtml::{self, escape};
use crate::backend::{Backend, Format, Rendered};
use crate::doc::Document;
use crate::error::{Diagnostic, Error, Result};
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, PageDirection, ReferenceType, TocElement,
    ZipLibrary,
};
use std::path::PathBuf;

/// The default stylesheet, readable on e-ink.
pub(crate) const STYLE: &str = include_str!("epub/style.css");

/// How each bundled face (by PostScript name, as `pdf::fonts` holds them) is declared in CSS:
/// family, weight, style. The bytes come from the PDF font module, so the binary holds them once.
const FONT_CSS: [(&str, &str, &str, &str); 6] = [
    ("DejaVuSerif", "DejaVu Serif", "normal", "normal"),
    ("DejaVuSerif-Bold", "DejaVu Serif", "bold", "normal"),
    ("DejaVuSerif-Italic", "DejaVu Serif", "normal", "italic"),
    ("DejaVuSerif-BoldItalic", "DejaVu Serif", "bold", "italic"),
    ("DejaVuSansMono", "DejaVu Sans Mono", "normal", "normal"),
    ("DejaVuSansMono-Bold", "DejaVu Sans Mono", "bold", "normal"),
];

/// The bundled fonts embedded by `--epub-fonts`: file name, CSS family, weight, style, bytes.
fn fonts() -> Vec<(
    String,
    &'static str,
    &'static str,
    &'static str,
    &'static [u8],
)> {
    let data = crate::typeset::fonts::bundled_font_data();
    FONT_CSS
        .iter()
        .filter_map(|(name, family, weight, style)| {
            let bytes = data.iter().find(|(n, _)| n == name)?.1;
            Some((format!("{name}.ttf"), *family, *weight, *style, bytes))
        })
        .collect()
}

/// Options of the EPUB backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EpubOptions {
    /// Embed the bundled DejaVu fonts (`--epub-fonts`).
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
        let path = doc
            .files
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("<input>"));
        let mut diagnostics = Vec::new();
        let bytes = package(doc, self.options, &mut diagnostics).map_err(|e| Error::Render {
            path,
            format: "epub",
            message: e.to_string(),
        })?;
        Ok(Rendered {
            bytes,
            diagnostics,
            pages: None,
            faces: Vec::new(),
        })
    }
}

/// `s` through the XML gate and trimmed, for epub-builder; `None` when nothing is left.
fn xml(s: &str) -> Option<String> {
    let s = escape::clean(s);
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// A `<meta property>` (epub-builder writes its content as given: escaped here); left out
/// when nothing XML can hold is left of `value`, since an empty one is invalid.
fn property(builder: &mut EpubBuilder<ZipLibrary>, name: &str, value: &str) {
    if let Some(value) = xml(value) {
        builder.add_metadata_opf(Box::new(MetadataOpfV3::new(
            name.to_string(),
            escape::text(&value),
        )));
    }
}

fn package(
    doc: &Document,
    options: EpubOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> epub_builder::Result<Vec<u8>> {
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
    // epub-builder escapes markup but not what XML cannot hold: every string handed to it
    // (title, authors, description, subjects, rights, navigation labels) goes through the XML
    // gate first (`xml` here; chapter titles are clean from `render_book`).
    let title = xhtml::document_title(doc);

    let book = xhtml::render_book(doc, xhtml::Options::default());
    crate::trace::stage("epub: chapters written");
    diagnostics.extend(book.diagnostics.iter().cloned());

    let mut builder = EpubBuilder::new(ZipLibrary::new()?)?;
    builder.epub_version(EpubVersion::V33);
    builder.set_title(title.as_str());
    builder.set_lang(lang.as_str());
    builder.set_generator("bindery");
    let words = crate::locale::Locale::of(&lang).words;
    builder.set_toc_name(words.contents);
    // The direction book.toml (`text-direction`) or front matter (`dir`) gives, else the
    // language's own (settled in parsing).
    let rtl = m.rtl() == Some(true);
    if rtl {
        builder.epub_direction(PageDirection::Rtl);
        builder.metadata("direction", "rtl")?;
    }
    for author in m.authors.iter().filter_map(|a| xml(a)) {
        builder.add_author(author);
    }
    if let Some(description) = m.description.as_deref().and_then(xml) {
        builder.add_description(description);
    }
    for keyword in m.keywords.iter().filter_map(|k| xml(k)) {
        builder.add_subject(keyword);
    }
    if let Some(rights) = m.rights.as_deref().and_then(xml) {
        builder.set_license(rights);
    }
    let (uuid, other_id) = meta::identifier(m);
    builder.set_uuid(uuid);
    if let Some(other) = other_id {
        property(&mut builder, "dcterms:identifier", &other);
    }
    builder.set_modified_date(meta::modified(options.modified.or(Some(m.modified)), None));
    if let Some(date) = m.date.as_deref() {
        match meta::dc_date(date) {
            Some(date) => builder.set_publication_date(date),
            None => {
                diagnostics.push(Diagnostic::warning(
                    crate::error::Code::BadValue,
                    &main_path,
                    0,
                    0,
                    format!("date `{date}` is not YYYY-MM-DD; left out of the EPUB metadata"),
                ));
            }
        }
    }
    if let Some(subtitle) = m.subtitle.as_deref() {
        // epub-builder writes one dc:title; the subtitle goes in as an alternative title.
        property(&mut builder, "dcterms:alternative", subtitle);
    }
    let has_images = !book.assets.is_empty();
    property(&mut builder, "schema:accessMode", "textual");
    if has_images {
        property(&mut builder, "schema:accessMode", "visual");
    }
    property(&mut builder, "schema:accessModeSufficient", "textual");
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        property(&mut builder, "schema:accessibilityFeature", feature);
    }
    if has_images {
        property(
            &mut builder,
            "schema:accessibilityFeature",
            "alternativeText",
        );
    }
    property(&mut builder, "schema:accessibilityHazard", "none");
    property(
        &mut builder,
        "schema:accessibilitySummary",
        "Text with a navigable table of contents, structured headings and reflowable layout; \
         images carry their alternative text.",
    );

    let mut css = STYLE.to_string();
    if options.embed_fonts || m.epub_fonts == Some(true) {
        css.push_str("\n/* Bundled fonts (--epub-fonts). */\n");
        for (file, family, weight, style, _) in fonts() {
            css.push_str(&format!(
                "@font-face {{ font-family: \"{family}\"; font-weight: {weight}; font-style: {style}; \
                 src: url(\"fonts/{file}\"); }}\n"
            ));
        }
        css.push_str("body { font-family: \"DejaVu Serif\", serif; }\n");
    }
    builder.stylesheet(css.as_bytes())?;
    if options.embed_fonts || m.epub_fonts == Some(true) {
        for (file, _, _, _, bytes) in fonts() {
            builder.add_resource(format!("fonts/{file}"), bytes, "font/ttf")?;
        }
    }

    let cover_key = m.cover.as_deref().filter(|c| !c.trim().is_empty());
    let mut cover_path = None;
    // Every asset passed the one image check when it was read (`parse::assets`); a raster
    // image is packaged as it is, an SVG as the safe copy that check made of it (no scripts,
    // no external references, no entities: `typeset::svg`).
    for (key, asset) in &doc.assets {
        let Some(path) = book.assets.get(key) else {
            continue;
        };
        let prepared;
        let bytes: &[u8] = if asset.kind == crate::doc::AssetKind::Svg {
            prepared = crate::typeset::svg::prepare(&asset.bytes);
            match &*prepared {
                Ok(svg) => svg.epub.as_bytes(),
                // Not reached: the same bytes were accepted when they were read.
                Err(_) => continue,
            }
        } else {
            asset.bytes.as_slice()
        };
        if Some(key.as_str()) == cover_key {
            builder.add_cover_image(path, bytes, asset.kind.media_type())?;
            cover_path = Some(path.clone());
        } else {
            builder.add_resource(path, bytes, asset.kind.media_type())?;
        }
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

    if let Some(path) = &cover_path {
        let body = format!(
            "<div class=\"cover\"><img src=\"{}\" alt=\"{}\" /></div>\n",
            escape::attr(&escape::href(path)),
            escape::attr(&format!("{}: {title}", words.cover))
        );
        let page = xhtml::page(&title, &lang, rtl, Some("stylesheet.css"), "cover", &body);
        builder.add_content(
            EpubContent::new("cover.xhtml", page.as_bytes())
                .title(words.cover)
                .reftype(ReferenceType::Cover),
        )?;
    }

    // A document whose first chapter opens with its title (the title was taken from that
    // heading) gets no separate title page, which would only say the same thing twice: the
    // byline follows the heading instead. Otherwise the title page comes first in reading
    // order but stays out of the contents.
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
        builder.add_content(
            EpubContent::new("title.xhtml", title_page.as_bytes())
                .reftype(ReferenceType::TitlePage),
        )?;
    }

    for (i, chapter) in book.chapters.iter().enumerate() {
        let body = match (&first_body, i) {
            (Some(body), 0) => body,
            _ => &chapter.body,
        };
        let page = xhtml::page(&chapter.title, &lang, rtl, Some("stylesheet.css"), "", body);
        // The chapter's own entry points at the file (epub-builder also uses it as the file's
        // path); its level-1 heading opens the file, so nothing is lost.
        let mut content = EpubContent::new(chapter.file.as_str(), page.as_bytes())
            .title(chapter.title.as_str())
            .level(i32::from(chapter.level));
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        for entry in &chapter.toc {
            let url = format!("{}#{}", chapter.file, entry.id);
            content
                .toc
                .add(TocElement::new(url, entry.title.as_str()).level(i32::from(entry.level)));
        }
        builder.add_content(content)?;
    }

    let mut out = Vec::new();
    builder.generate(&mut out)?;
    crate::trace::stage("epub: packaged");
    Ok(out)
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
