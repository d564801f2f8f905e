//! Figures: an image alone in its paragraph, centred and scaled to fit, with its caption; a
//! framed box with the alt text where the image cannot be drawn. Code listings share the
//! caption style.

use super::{Ctx, Fragment};
use crate::doc::{plain_text, Block, Inline};
use crate::error::Code;
use crate::typeset::fonts::Family;
use crate::typeset::frame::{Color, Item, Pt};
use crate::typeset::paragraph::{Align, Piece, Style};

/// The image of a paragraph that holds nothing else (white space aside), with the link
/// wrapped around it if any: (source, alt text, link destination).
pub fn lone_image(content: &[Inline]) -> Option<(&str, &[Inline], Option<&str>)> {
    let mut found = None;
    for inline in content {
        match inline {
            Inline::Image { url, alt, .. } if found.is_none() => {
                found = Some((url.as_str(), alt.as_slice(), None))
            }
            Inline::Link {
                content, url: href, ..
            } if found.is_none() && content.len() == 1 => match &content[0] {
                Inline::Image { url, alt, .. } => {
                    found = Some((url.as_str(), alt.as_slice(), Some(href.as_str())))
                }
                _ => return None,
            },
            Inline::Text { text } if text.trim().is_empty() => {}
            Inline::SoftBreak => {}
            _ => return None,
        }
    }
    found
}

impl Ctx<'_> {
    /// Lays out a figure: the image (or a framed alt-text box) and its caption.
    pub fn figure(
        &mut self,
        url: &str,
        alt: &[Inline],
        caption: &[Inline],
        link: Option<&str>,
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        let m = self.m;
        let alt_text = plain_text(alt);
        let caption_text = plain_text(caption);
        let mut frags = Vec::new();
        // The writer's own test decides (a PNG with a good header but corrupt data is not
        // drawable), so a figure is never silently dropped between layout and drawing.
        let drawable = self
            .doc
            .assets
            .get(url)
            .and_then(|a| crate::image::image_size(a).map(|s| (a.kind, s)));
        match drawable {
            Some((_, (pw, ph))) => {
                // 96 pixels per inch is how screens (and authors' expectations) size images.
                let natural_w = pw as Pt * 0.75;
                let natural_h = ph as Pt * 0.75;
                let max_h = self.max_height * 0.8;
                let scale = (width / natural_w).min(max_h / natural_h).min(1.0);
                let (w, h) = (natural_w * scale, natural_h * scale);
                let x = self.start_x(indent + (width - w) / 2.0, w);
                let figure = self.figure_node(alt);
                let mut items = vec![Item::Image {
                    x,
                    y: 0.0,
                    w,
                    h,
                    asset: url.to_owned(),
                    node: Some(figure),
                }];
                if let Some(target) = link.and_then(super::inlines::link_target) {
                    items.push(Item::Link {
                        x,
                        y: 0.0,
                        w,
                        h,
                        target,
                        node: None,
                    });
                }
                frags.push(Fragment {
                    height: h,
                    items,
                    keep_with_next: !caption_text.trim().is_empty(),
                    ..Fragment::default()
                });
            }
            None => {
                // Missing and remote files were reported when the document was read.
                if self.doc.assets.contains_key(url) {
                    self.warn(
                        Code::BadImage,
                        format!(
                            "image `{url}`: the file is damaged or uses features bindery cannot \
                         draw; a framed box with its alt text stands in its place"
                        ),
                    );
                }
                // A framed box with the alt text, so the reader knows what is missing.
                let text = if alt_text.trim().is_empty() {
                    url.to_owned()
                } else {
                    alt_text.clone()
                };
                let mut st = self.text_style(m.small);
                st.italic = true;
                st.color = Color(0.3, 0.3, 0.3);
                let pad = m.body;
                let box_w = width * 0.8;
                let lines = self.lines(
                    &[Piece::Text(text, st)],
                    0.0,
                    box_w - 2.0 * pad,
                    Align::Center,
                    m.small * 1.3,
                    false,
                );
                let inner_h: Pt = lines.iter().map(|f| f.height).sum();
                let h = inner_h + 2.0 * pad;
                let x0 = self.start_x(indent + (width - box_w) / 2.0, box_w);
                let mut items = vec![Item::Rect {
                    x: x0,
                    y: 0.0,
                    w: box_w,
                    h,
                    fill: None,
                    stroke: Some((self.doc.style.colors.rule.color(), 0.8)),
                }];
                let mut y = pad;
                for f in lines {
                    for mut it in f.items {
                        it.translate(x0 + pad, y);
                        items.push(it);
                    }
                    y += f.height;
                }
                frags.push(Fragment {
                    height: h,
                    items,
                    keep_with_next: false,
                    ..Fragment::default()
                });
                if caption_text == alt_text {
                    return frags;
                }
            }
        }
        if !caption_text.trim().is_empty() {
            let mut cap = self.caption(caption, indent, width);
            frags.append(&mut cap);
        }
        frags
    }

    /// A figure's caption, centred under it.
    pub fn caption(&mut self, caption: &[Inline], indent: Pt, width: Pt) -> Vec<Fragment> {
        let st = self.caption_style();
        let pieces = self.pieces(caption, &st);
        self.caption_lines(&pieces, indent + width * 0.1, width * 0.8, Align::Center)
    }

    /// The style of caption text (figures, listings): small italic.
    fn caption_style(&self) -> Style {
        let mut st = self.text_style(self.m.small);
        st.italic = true;
        st
    }

    /// A caption's lines, with a little space above them.
    fn caption_lines(
        &mut self,
        pieces: &[Piece],
        indent: Pt,
        width: Pt,
        align: Align,
    ) -> Vec<Fragment> {
        let m = self.m;
        let scope = self.open(crate::typeset::frame::Role::Caption);
        let mut cap = self.lines(pieces, indent, width, align, m.small * 1.3, false);
        if let Some(f) = cap.first_mut() {
            f.space_before = m.small * 0.6;
        }
        self.close(scope, &mut cap);
        cap
    }

    /// A captioned code listing: "Filename: src/main.rs" above its blocks, "Listing 2-1:" and
    /// the caption under them. The file name stays with the code, and the caption with the
    /// code's last line.
    pub fn listing(
        &mut self,
        number: Option<&str>,
        file_name: Option<&str>,
        caption: &[Inline],
        blocks: &[Block],
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        let m = self.m;
        let words = crate::locale::Locale::of(&self.doc.meta.lang).words;
        let mut frags = Vec::new();
        if let Some(name) = file_name {
            let label = self.text_style(m.small);
            let mut mono = label.clone();
            mono.family = Family::Mono;
            mono.size = m.small * 0.92;
            let pieces = [
                Piece::Text(format!("{}: ", words.file_name), label),
                Piece::Text(name.to_owned(), mono),
            ];
            frags = self.lines(&pieces, indent, width, Align::Left, m.small * 1.3, false);
            frags.iter_mut().for_each(|f| f.keep_with_next = true);
        }
        let mut body = Vec::new();
        self.blocks(blocks, indent, width, &mut body);
        if let Some(first) = body.first_mut() {
            if file_name.is_some() {
                // Close under its file name (the code's own space above would part them).
                first.space_before = m.small * 0.3;
            }
        }
        frags.append(&mut body);
        if let (Some(number), Some(first)) = (number, frags.first_mut()) {
            // Where a link to `#listing-2-1` lands (the EPUB's figure carries the same id).
            first.items.push(Item::Anchor {
                id: format!("listing-{number}"),
                y: 0.0,
            });
        }
        if number.is_some() || !caption.is_empty() {
            let st = self.caption_style();
            let mut pieces = Vec::new();
            if let Some(number) = number {
                let mut label = st.clone();
                label.bold = true;
                label.italic = false;
                let colon = if caption.is_empty() { "" } else { ":" };
                pieces.push(Piece::Text(
                    format!("{}{colon}", words.listing_label(number)),
                    label,
                ));
                if !caption.is_empty() {
                    pieces.push(Piece::Text(" ".to_owned(), st.clone()));
                }
            }
            pieces.extend(self.pieces(caption, &st));
            let mut cap = self.caption_lines(&pieces, indent, width, Align::Left);
            // A caption never starts a page alone: it stays with the last line above it.
            if let Some(last) = frags.last_mut() {
                last.keep_with_next = true;
            }
            // A little more room under it than above, so it reads with the code, not the text.
            if let Some(last) = cap.last_mut() {
                last.height += m.small * 0.35;
            }
            frags.append(&mut cap);
        }
        frags
    }
}
