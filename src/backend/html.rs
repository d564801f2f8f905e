//! One self-contained HTML page per document (`--format html`), readable in any browser.
//!
//! The markup is the EPUB's: the same XHTML writer ([`xhtml::render_page`]) with the same
//! chapters, notes and link checks, except that every link inside the document is `#id` and
//! every image is embedded as a `data:` URI (an SVG as the safe copy the EPUB packages: no
//! scripts, no external references). The EPUB's stylesheet is inlined in a `<style>` element,
//! with a few rules for a browser window. So the page loads nothing: links to other sites stay
//! links, but nothing is fetched to show it. Maths is the TeX source, as in the EPUB.

use super::epub;
use super::xhtml::{self, escape};
use super::{Backend, Format, Rendered};
use crate::doc::{AssetKind, Document};
use crate::error::Result;
use base64::Engine;
use std::collections::BTreeMap;

/// What a browser window needs beyond the EPUB's stylesheet: a readable measure, centred.
const PAGE_STYLE: &str = "\n/* A browser window, not an e-reader's page. */\n\
body { max-width: 42em; margin: 0 auto; padding: 1em 1.5em; }\n\
section.chapter { margin-bottom: 2.5em; }\n";

/// Writes HTML pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlBackend;

impl Backend for HtmlBackend {
    fn format(&self) -> Format {
        Format::Html
    }

    fn render(&self, doc: &Document) -> Result<Rendered> {
        let mut diagnostics = Vec::new();
        let bytes = page(doc, &mut diagnostics).into_bytes();
        Ok(Rendered {
            bytes,
            diagnostics,
            pages: None,
            faces: Vec::new(),
            page_starts: Vec::new(),
        })
    }
}

/// Every image of the document as a `data:` URI, keyed like [`Document::assets`]. An SVG that
/// cannot be drawn is left out (it was already refused, with a warning, when it was read).
fn sources(doc: &Document) -> BTreeMap<String, String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    doc.assets
        .iter()
        .filter_map(|(key, asset)| {
            let data = if asset.kind == AssetKind::Svg {
                let prepared = crate::image::svg::prepare(&asset.bytes);
                match &*prepared {
                    Ok(svg) => b64.encode(svg.epub.as_bytes()),
                    Err(_) => return None,
                }
            } else {
                b64.encode(&asset.bytes)
            };
            Some((
                key.clone(),
                format!("data:{};base64,{data}", asset.kind.media_type()),
            ))
        })
        .collect()
}

/// The whole page.
fn page(doc: &Document, diagnostics: &mut Vec<crate::Diagnostic>) -> String {
    let m = &doc.meta;
    let title = xhtml::document_title(doc);
    let lang = m.lang.trim();
    // An invalid tag was warned about when it was read; the page then says `en`, as the EPUB.
    let lang = if crate::parse::frontmatter::valid_lang(lang) {
        lang
    } else {
        "en"
    };
    let rtl = m.rtl() == Some(true);
    let images = sources(doc);
    let cover = m
        .cover
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .and_then(|key| images.get(key).cloned());
    let book = xhtml::render_page(doc, xhtml::Options::default(), images);
    diagnostics.extend(book.diagnostics);

    let size: usize = book.chapters.iter().map(|c| c.body.len()).sum();
    let mut out = String::with_capacity(size + epub::STYLE.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html");
    out.push_str(&format!(
        " lang=\"{0}\" xml:lang=\"{0}\"",
        escape::attr(lang)
    ));
    if rtl {
        out.push_str(" dir=\"rtl\"");
    }
    out.push_str(">\n<head>\n<meta charset=\"utf-8\" />\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    out.push_str("<meta name=\"generator\" content=\"bindery\" />\n");
    let authors: Vec<String> = m
        .authors
        .iter()
        .map(|a| escape::clean(a.trim()).into_owned())
        .filter(|a| !a.is_empty())
        .collect();
    if !authors.is_empty() {
        meta(&mut out, "author", &authors.join(", "));
    }
    if let Some(description) = m.description.as_deref() {
        meta(&mut out, "description", description);
    }
    if !m.keywords.is_empty() {
        meta(&mut out, "keywords", &m.keywords.join(", "));
    }
    out.push_str("<title>");
    escape::push_text(&mut out, &title);
    out.push_str("</title>\n<style>\n");
    out.push_str(epub::STYLE);
    out.push_str(&epub::css::css(&doc.style));
    out.push_str(PAGE_STYLE);
    out.push_str("</style>\n</head>\n<body>\n");

    if let Some(src) = &cover {
        out.push_str(&format!(
            "<div class=\"cover\"><img src=\"{}\" alt=\"{}\" /></div>\n",
            escape::attr(src),
            escape::attr(&format!("Cover: {title}"))
        ));
    }
    // As in the EPUB: a document whose first chapter opens with its title gets the byline
    // under that heading instead of a title block saying the same thing twice.
    let opens_with_title = book
        .chapters
        .first()
        .is_some_and(|c| c.title.trim() == title && c.body.starts_with("<h1"));
    if !opens_with_title {
        out.push_str(&epub::title_page_body(doc, &title));
    }
    for (i, chapter) in book.chapters.iter().enumerate() {
        out.push_str("<section class=\"chapter\">\n");
        match chapter.body.find("</h1>\n") {
            Some(end) if i == 0 && opens_with_title => {
                let end = end + "</h1>\n".len();
                out.push_str(&chapter.body[..end]);
                out.push_str(&epub::byline(doc));
                out.push_str(&chapter.body[end..]);
            }
            _ => out.push_str(&chapter.body),
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A `<meta name content>` in the head, its value through the XML gate; left out when empty.
fn meta(out: &mut String, name: &str, value: &str) {
    let value = escape::clean(value.trim());
    if !value.is_empty() {
        out.push_str(&format!(
            "<meta name=\"{name}\" content=\"{}\" />\n",
            escape::attr(&value)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Asset, Block, Inline, Loc};

    fn para(content: Vec<Inline>) -> Block {
        Block::Paragraph {
            content,
            loc: Loc::default(),
        }
    }

    #[test]
    fn images_are_embedded_and_links_stay_inside() {
        let mut d = Document::default();
        d.meta.title = "T".into();
        d.meta.lang = "en".into();
        d.blocks = vec![para(vec![
            Inline::Image {
                loc: Default::default(),
                url: "pic.png".into(),
                title: String::new(),
                alt: vec![Inline::Text {
                    text: "a pic".into(),
                }],
            },
            Inline::Image {
                loc: Default::default(),
                url: "gone.png".into(),
                title: String::new(),
                alt: vec![Inline::Text {
                    text: "missing".into(),
                }],
            },
        ])];
        d.assets.insert(
            "pic.png".into(),
            Asset::new(AssetKind::Png, b"\x89PNG\r\n\x1a\nrest".to_vec()),
        );
        let r = HtmlBackend.render(&d).unwrap();
        let html = String::from_utf8(r.bytes).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\""),
            "{html}"
        );
        assert!(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgpyZXN0\" alt=\"a pic\""));
        assert!(html.contains("<span class=\"missing-image\">missing</span>"));
        assert!(!html.contains("<link"));
        assert!(html.contains("<style>"));
        // Deterministic.
        assert_eq!(HtmlBackend.render(&d).unwrap().bytes, html.as_bytes());
    }
}
