//! The model's inline content as styled pieces for the paragraph builder.

use super::Ctx;
use crate::doc::{plain_text, Inline, Loc, SpanKind};
use crate::error::Code;
use crate::typeset::fonts::Family;
use crate::typeset::frame::{LinkTarget, Pt};
use crate::typeset::paragraph::{Piece, Style};

impl Ctx<'_> {
    /// Flattens inlines into pieces in `base` style; footnote bodies are laid out on the way.
    pub fn pieces(&mut self, inlines: &[Inline], base: &Style) -> Vec<Piece> {
        let mut out = Vec::new();
        // Text inside a block in a language of its own (HTML `<p lang>`) is in that language.
        if base.lang.is_none() && self.lang.is_some() {
            let mut base = base.clone();
            base.lang = self.lang.clone();
            self.push_pieces(inlines, &base, &mut out);
        } else {
            self.push_pieces(inlines, base, &mut out);
        }
        collapse_spaces(&mut out);
        out
    }

    /// A formula typeset at the style's size, or `None` (with one warning per document) when
    /// it is outside the supported subset or wider than `width`: it is then shown as TeX source,
    /// which wraps.
    pub(crate) fn formula(
        &mut self,
        tex: &str,
        loc: Loc,
        display: bool,
        st: &Style,
        width: Pt,
    ) -> Option<crate::typeset::math::MathBox> {
        use crate::typeset::math;
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
            Code::UnsupportedMath,
            Some(loc),
            format!(
                "TeX math bindery cannot typeset ({why}) is shown as its source in PDF output \
                 (first one here)"
            ),
        );
        None
    }

    fn push_pieces(&mut self, inlines: &[Inline], st: &Style, out: &mut Vec<Piece>) {
        for inline in inlines {
            let st = st.clone();
            match inline {
                Inline::Text { text } => out.push(Piece::Text(text.clone(), st)),
                Inline::Code { text } => {
                    let mut s = st.clone();
                    s.family = Family::Mono;
                    s.size = st.size * 0.86;
                    s.code = true;
                    s.italic = false;
                    if let Some(c) = self.doc.style.code.theme.inline_color() {
                        if s.link.is_none() {
                            s.color = c.color();
                        }
                    }
                    out.push(Piece::Text(text.clone(), s));
                }
                Inline::Emph { content } => {
                    let mut s = st.clone();
                    s.italic = !st.italic;
                    self.push_pieces(content, &s, out);
                }
                Inline::Strong { content } => {
                    let mut s = st.clone();
                    s.bold = true;
                    self.push_pieces(content, &s, out);
                }
                Inline::Strike { content } => {
                    let mut s = st.clone();
                    s.strike = true;
                    self.push_pieces(content, &s, out);
                }
                Inline::Superscript { content } => {
                    self.push_pieces(content, &raised(&st, 0.33), out)
                }
                Inline::Subscript { content } => {
                    self.push_pieces(content, &raised(&st, -0.15), out)
                }
                Inline::Link {
                    url, content, loc, ..
                } => {
                    let mut s = st.clone();
                    if url.len() > MAX_LINK_URL {
                        // Every line of a link carries its address in the PDF: a 100 KB
                        // address over 1,700 lines made a 240 MB file.
                        self.warn_once(
                            Code::LongLink,
                            Some(*loc),
                            format!(
                                "a link address longer than {MAX_LINK_URL} bytes is not made \
                                 clickable in PDF output; its text is kept (first one here)"
                            ),
                        );
                    } else if let Some(target) = link_target(url) {
                        s.link = Some(target);
                        s.color = self.doc.style.colors.link.color();
                    }
                    self.push_pieces(content, &s, out);
                }
                Inline::Image { alt, url, .. } => {
                    // An image inside running text (an icon, a badge, a picture in a table
                    // cell) sits on the baseline at its natural size, shrunk to two lines'
                    // height at most; an image alone in its paragraph is a figure (figure.rs).
                    // One that cannot be drawn keeps its place as bracketed alt text.
                    let drawable = self.doc.assets.get(url).and_then(crate::image::image_size);
                    if let Some((pw, ph)) = drawable {
                        let (w, h) = (pw as Pt * 0.75, ph as Pt * 0.75);
                        let scale = (2.0 * st.size / h).min(self.measure / w).min(1.0);
                        // A figure of its own in the structure, inside the paragraph, so that
                        // its alternative text reaches assistive technology.
                        let figure = self.figure_node(alt);
                        out.push(Piece::Image {
                            asset: url.clone(),
                            w: w * scale,
                            h: h * scale,
                            link: st.link.clone(),
                            node: Some(figure),
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
                    out.push(Piece::NoteMark(
                        *number,
                        note_style(&st, self.doc.style.colors.link.color()),
                    ));
                    self.note(*number, blocks);
                }
                Inline::NoteRef { number } => out.push(Piece::NoteMark(
                    *number,
                    note_style(&st, self.doc.style.colors.link.color()),
                )),
                Inline::Math { display, tex, loc } => {
                    if let Some(b) = self.formula(tex, *loc, *display, &st, self.measure) {
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
                Inline::Span {
                    kind,
                    lang,
                    content,
                } => {
                    let mut s = st.clone();
                    if let Some(lang) = lang {
                        s.lang = Some(lang.as_str().into());
                    }
                    match kind {
                        SpanKind::Underline => s.underline = true,
                        SpanKind::Highlight => s.highlight = true,
                        SpanKind::Small => s.size = st.size * 0.85,
                        SpanKind::Keyboard => {
                            s.family = Family::Mono;
                            s.size = st.size * 0.86;
                            s.code = true;
                        }
                        SpanKind::Plain => {}
                    }
                    self.push_pieces(content, &s, out);
                }
                Inline::Abbr { content, .. } => self.push_pieces(content, &st, out),
                Inline::Ruby { base, text } => {
                    // Print has no ruby: the reading follows its base in parentheses.
                    self.push_pieces(base, &st, out);
                    out.push(Piece::Text(format!("({text})"), st));
                }
                Inline::Anchor { id } => out.push(Piece::Anchor(id.clone())),
                // Converted by the parser (`parse::html`); never reaches a backend.
                Inline::Html { .. } => {}
                Inline::SoftBreak => out.push(Piece::Text(" ".into(), st)),
                Inline::HardBreak => out.push(Piece::Break),
            }
        }
    }
}

/// Runs of white space in text are one word space, as in every browser (`beta.  Gamma`);
/// code keeps its spaces, and no-break spaces are not white space here.
fn collapse_spaces(pieces: &mut [Piece]) {
    let mut after_space = true;
    for piece in pieces.iter_mut() {
        match piece {
            Piece::Text(text, st) if !st.code => {
                if !text.contains([' ', '\t', '\n', '\r']) {
                    after_space = false;
                    continue;
                }
                let mut out = String::with_capacity(text.len());
                for c in text.chars() {
                    if matches!(c, ' ' | '\t' | '\n' | '\r') {
                        if !after_space {
                            out.push(' ');
                        }
                        after_space = true;
                    } else {
                        out.push(c);
                        after_space = false;
                    }
                }
                *text = out;
            }
            Piece::Text(text, _) => after_space = text.ends_with(' '),
            Piece::Break => after_space = true,
            Piece::Anchor(_) => {}
            _ => after_space = false,
        }
    }
}

fn raised(st: &Style, by: f32) -> Style {
    let mut s = st.clone();
    s.rise = st.rise + st.size * by;
    s.size = st.size * 0.72;
    s
}

fn note_style(st: &Style, link: super::Color) -> Style {
    let mut s = raised(st, 0.36);
    s.color = link;
    s.bold = false;
    s.italic = false;
    s.family = Family::Serif;
    s.code = false;
    s.link = None;
    s
}

/// Internal links (`#id`) jump to the anchor; links to other files keep no target in print.
/// The longest link address made clickable in a PDF (browsers and servers commonly stop at
/// 8 KB too); each line of a link carries its address, so longer ones would multiply the file.
pub const MAX_LINK_URL: usize = 8 * 1024;

pub(super) fn link_target(url: &str) -> Option<LinkTarget> {
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
