//! The model's inline content as styled pieces for the paragraph builder.

use super::{Ctx, LINK};
use crate::backend::pdf::fonts::Family;
use crate::backend::pdf::frame::{LinkTarget, Pt};
use crate::backend::pdf::inline::{Piece, Style};
use crate::doc::{plain_text, Inline};

impl Ctx<'_> {
    /// Flattens inlines into pieces in `base` style; footnote bodies are laid out on the way.
    pub fn pieces(&mut self, inlines: &[Inline], base: &Style) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut html_stack: Vec<Style> = Vec::new();
        self.push_pieces(inlines, base, &mut out, &mut html_stack);
        out
    }

    /// A formula typeset at the style's size, or `None` (with one warning per document) when
    /// it is outside the supported subset or wider than `width`: it is then shown as TeX source,
    /// which wraps.
    pub(crate) fn formula(
        &mut self,
        tex: &str,
        display: bool,
        st: &Style,
        width: Pt,
    ) -> Option<crate::backend::pdf::math::MathBox> {
        use crate::backend::pdf::math;
        let why = match math::parse(tex) {
            Ok(nodes) => {
                let setter = math::Setter {
                    fonts: self.fonts,
                    lang: &self.doc.meta.lang,
                    color: st.color,
                    display,
                };
                let b = setter.layout(&nodes, st.size);
                if b.width <= width {
                    return Some(b);
                }
                "wider than the text".to_string()
            }
            Err(why) => why,
        };
        self.warn_once(
            "math",
            format!(
                "TeX math bindery cannot typeset ({why}) is shown as its source in PDF output \
                 (first one here)"
            ),
        );
        None
    }

    fn push_pieces(
        &mut self,
        inlines: &[Inline],
        style: &Style,
        out: &mut Vec<Piece>,
        html: &mut Vec<Style>,
    ) {
        for inline in inlines {
            // Inline HTML tags such as <sub> change the style of what follows until closed.
            let st = html.last().cloned().unwrap_or_else(|| style.clone());
            match inline {
                Inline::Text { text } => out.push(Piece::Text(text.clone(), st)),
                Inline::Code { text } => {
                    let mut s = st.clone();
                    s.family = Family::Mono;
                    s.size = st.size * 0.86;
                    s.code = true;
                    s.italic = false;
                    out.push(Piece::Text(text.clone(), s));
                }
                Inline::Emph { content } => {
                    let mut s = st.clone();
                    s.italic = !st.italic;
                    self.push_pieces(content, &s, out, html);
                }
                Inline::Strong { content } => {
                    let mut s = st.clone();
                    s.bold = true;
                    self.push_pieces(content, &s, out, html);
                }
                Inline::Strike { content } => {
                    let mut s = st.clone();
                    s.strike = true;
                    self.push_pieces(content, &s, out, html);
                }
                Inline::Superscript { content } => {
                    self.push_pieces(content, &raised(&st, 0.33), out, html)
                }
                Inline::Subscript { content } => {
                    self.push_pieces(content, &raised(&st, -0.15), out, html)
                }
                Inline::Link { url, content, .. } => {
                    let mut s = st.clone();
                    if let Some(target) = link_target(url) {
                        s.link = Some(target);
                        s.color = LINK;
                    }
                    self.push_pieces(content, &s, out, html);
                }
                Inline::Image { alt, url, .. } => {
                    // An image inside running text (an icon, a badge, a picture in a table
                    // cell) sits on the baseline at its natural size, shrunk to two lines'
                    // height at most; an image alone in its paragraph is a figure (figure.rs).
                    // One that cannot be drawn keeps its place as bracketed alt text.
                    let drawable = self
                        .doc
                        .assets
                        .get(url)
                        .and_then(crate::backend::pdf::draw::image_size);
                    if let Some((pw, ph)) = drawable {
                        let (w, h) = (pw as Pt * 0.75, ph as Pt * 0.75);
                        let scale = (2.0 * st.size / h).min(self.measure / w).min(1.0);
                        out.push(Piece::Image {
                            asset: url.clone(),
                            w: w * scale,
                            h: h * scale,
                        });
                        continue;
                    }
                    let text = plain_text(alt);
                    let shown = if text.trim().is_empty() {
                        url.clone()
                    } else {
                        text
                    };
                    let mut s = st.clone();
                    s.italic = !st.italic;
                    out.push(Piece::Text(format!("[{shown}]"), s));
                }
                Inline::Note { number, blocks } => {
                    out.push(Piece::NoteMark(*number, note_style(&st)));
                    self.note(*number, blocks);
                }
                Inline::NoteRef { number } => out.push(Piece::NoteMark(*number, note_style(&st))),
                Inline::Math { display, tex } => {
                    if let Some(b) = self.formula(tex, *display, &st, self.measure) {
                        if *display {
                            out.push(Piece::Break);
                        }
                        out.push(Piece::Math(std::sync::Arc::new(b)));
                        if *display {
                            out.push(Piece::Break);
                        }
                        continue;
                    }
                    let mut s = st.clone();
                    s.family = Family::Mono;
                    s.size = st.size * 0.86;
                    if *display {
                        out.push(Piece::Break);
                    }
                    out.push(Piece::Text(tex.clone(), s));
                    if *display {
                        out.push(Piece::Break);
                    }
                }
                Inline::Html { html: tag } => self.inline_html(tag, &st, style, out, html),
                Inline::SoftBreak => out.push(Piece::Text(" ".into(), st)),
                Inline::HardBreak => out.push(Piece::Break),
            }
        }
    }

    /// The inline tags authors actually use are understood; anything else is skipped.
    fn inline_html(
        &mut self,
        tag: &str,
        st: &Style,
        base: &Style,
        out: &mut Vec<Piece>,
        stack: &mut Vec<Style>,
    ) {
        let t = tag.trim();
        if t.starts_with("<!--") {
            return;
        }
        let closing = t.starts_with("</");
        let name: String = t
            .trim_start_matches("</")
            .trim_start_matches('<')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let styled = |s: &Style| -> Option<Style> {
            let mut s = s.clone();
            match name.as_str() {
                "sup" => return Some(raised(&s, 0.33)),
                "sub" => return Some(raised(&s, -0.15)),
                "b" | "strong" => s.bold = true,
                "i" | "em" | "cite" | "dfn" | "var" => s.italic = !s.italic,
                "s" | "del" | "strike" => s.strike = true,
                "code" | "kbd" | "samp" | "tt" => {
                    s.family = Family::Mono;
                    s.size *= 0.86;
                    s.code = true;
                }
                "u" | "ins" | "mark" | "small" | "abbr" | "span" | "q" => {}
                _ => return None,
            }
            Some(s)
        };
        match name.as_str() {
            "br" => out.push(Piece::Break),
            "a" | "span" if !closing && crate::parse::markdown::attribute(t, "id").is_some() => {
                if let Some(id) = crate::parse::markdown::attribute(t, "id") {
                    out.push(Piece::Anchor(id));
                }
                if name == "span" {
                    stack.push(st.clone());
                }
            }
            "a" => {
                // `<a href>` wraps text we keep; the link itself is not clickable in PDF.
            }
            _ => {
                if closing {
                    if styled(base).is_some() {
                        stack.pop();
                    }
                } else if let Some(s) = styled(st) {
                    if !t.ends_with("/>") {
                        stack.push(s);
                    }
                } else {
                    self.warn_once("inline-html", format!("inline HTML tag `<{name}>` is skipped in PDF output (its text is kept)"));
                }
            }
        }
    }
}

fn raised(st: &Style, by: f32) -> Style {
    let mut s = st.clone();
    s.rise = st.rise + st.size * by;
    s.size = st.size * 0.72;
    s
}

fn note_style(st: &Style) -> Style {
    let mut s = raised(st, 0.36);
    s.color = LINK;
    s.bold = false;
    s.italic = false;
    s.family = Family::Serif;
    s.code = false;
    s.link = None;
    s
}

/// Internal links (`#id`) jump to the anchor; links to other files keep no target in print.
fn link_target(url: &str) -> Option<LinkTarget> {
    if let Some(id) = url.strip_prefix('#') {
        return Some(LinkTarget::Anchor(id.to_owned()));
    }
    let lower = url.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("mailto:") {
        return Some(LinkTarget::Uri(url.to_owned()));
    }
    // `other.md#x` or `ch02.html#x`: the same id inside this document.
    url.split_once('#')
        .map(|(_, id)| LinkTarget::Anchor(id.to_owned()))
}

/// The text content of a block of HTML: tags and comments removed, entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match end {
            Some(e) => rest = &after[e..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}
