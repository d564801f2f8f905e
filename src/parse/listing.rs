//! Captioned code listings: the Rust book's `<Listing number="2-1" file-name="src/main.rs"
//! caption="...">` wrapper (mdbook-trpl's convention) folded into [`Block::Listing`].
//!
//! The parser sees the wrapper as raw HTML: usually an HTML block holding the opening tag, the
//! wrapped blocks, and an HTML block holding `</Listing>`. Without blank lines around the tags
//! the Markdown inside lands in the tag's HTML block (it is parsed again as Markdown here), and
//! a closing tag right under a paragraph's text becomes inline HTML at the paragraph's end.
//! The tag name is case-sensitive, as in mdbook-trpl (`<listing>` is an old HTML element).

use super::markdown::{fold as fold_markdown, LineIndex, MAX_DEPTH};
use crate::doc::{visit_inlines_mut, Block, Inline, Loc};
use crate::error::Diagnostic;
use std::path::Path;

/// How many times text found inside a listing tag's HTML block is parsed again (each parse can
/// reveal another such block); past it the text stays raw HTML, so hostile input stays linear.
const MAX_REPARSE: usize = 8;

/// Folds every `<Listing ...>`, the blocks after it and its `</Listing>` into one
/// [`Block::Listing`], at every nesting level. An opening tag that is never closed keeps its
/// blocks as they are (with a warning); a closing tag with no opening one is dropped (with a
/// warning).
pub fn fold(path: &Path, blocks: &mut Vec<Block>, warnings: &mut Vec<Diagnostic>) {
    Pass { path, warnings }.sequence(blocks, 0);
}

/// The parts of an opening tag bindery uses.
#[derive(Debug, Default, PartialEq)]
struct Tag {
    number: Option<String>,
    file_name: Option<String>,
    caption: Option<String>,
    /// Written `<Listing ... />`: a listing with nothing in it.
    self_closing: bool,
}

/// A sequence's blocks with the listing tags cut out of them.
enum Piece {
    Block(Block),
    Open { tag: Tag, markup: String, loc: Loc },
    Close { loc: Loc },
}

struct Pass<'a> {
    path: &'a Path,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Pass<'_> {
    /// Folds the listings of one sequence of sibling blocks (`depth` containers deep).
    fn sequence(&mut self, blocks: &mut Vec<Block>, depth: usize) {
        for block in blocks.iter_mut() {
            self.children(block, depth);
        }
        if !blocks.iter().any(has_tag) {
            return;
        }
        let mut pieces = Vec::new();
        for block in std::mem::take(blocks) {
            self.expand(block, depth, 0, &mut pieces);
        }
        *blocks = self.pair(pieces, depth);
    }

    /// Folds the listings inside a container.
    fn children(&mut self, block: &mut Block, depth: usize) {
        match block {
            Block::Quote { blocks, .. }
            | Block::Alert { blocks, .. }
            | Block::Listing { blocks, .. } => self.sequence(blocks, depth + 1),
            Block::List { items, .. } => items
                .iter_mut()
                .for_each(|i| self.sequence(&mut i.blocks, depth + 1)),
            Block::DefinitionList { items, .. } => items
                .iter_mut()
                .flat_map(|i| i.definitions.iter_mut())
                .for_each(|d| self.sequence(d, depth + 1)),
            _ => {}
        }
    }

    /// Cuts the listing tags out of one block.
    fn expand(&mut self, block: Block, depth: usize, reparsed: usize, out: &mut Vec<Piece>) {
        match block {
            Block::Html { html, loc } => self.expand_html(html, loc, depth, reparsed, out),
            Block::Paragraph { mut content, loc } => {
                // `<Listing ...> text` on one line is a paragraph starting with the tag.
                let open = match content.first() {
                    Some(Inline::Html { html }) => open_tag(html.trim())
                        .filter(|(_, len)| *len == html.trim().len())
                        .map(|(tag, _)| (tag, html.trim().to_owned())),
                    _ => None,
                };
                if let Some((tag, markup)) = open {
                    content.remove(0);
                    trim_breaks(&mut content, true);
                    if let Some(Inline::Text { text }) = content.first_mut() {
                        *text = text.trim_start().to_owned();
                    }
                    out.push(Piece::Open { tag, markup, loc });
                }
                // `text\n</Listing>`: the closing tag ends the paragraph.
                trim_breaks(&mut content, false);
                let close = matches!(content.last(), Some(Inline::Html { html })
                    if close_tag(html.trim()) == Some(html.trim().len()));
                if close {
                    content.pop();
                    trim_breaks(&mut content, false);
                }
                if !content.is_empty() {
                    out.push(Piece::Block(Block::Paragraph { content, loc }));
                }
                if close {
                    out.push(Piece::Close { loc });
                }
            }
            other => out.push(Piece::Block(other)),
        }
    }

    /// Cuts the listing tags at the start of an HTML block (and a closing tag at its end); the
    /// Markdown after leading tags is parsed again.
    fn expand_html(
        &mut self,
        html: String,
        loc: Loc,
        depth: usize,
        reparsed: usize,
        out: &mut Vec<Piece>,
    ) {
        let mut pos = 0;
        loop {
            let rest = &html[pos..];
            let start = pos + (rest.len() - rest.trim_start().len());
            let here = Loc {
                line: loc.line + html[..start].matches('\n').count() as u32,
                ..loc
            };
            let t = &html[start..];
            if let Some((tag, len)) = open_tag(t) {
                let markup = t[..len].to_owned();
                out.push(Piece::Open {
                    tag,
                    markup,
                    loc: here,
                });
                pos = start + len;
            } else if let Some(len) = close_tag(t) {
                out.push(Piece::Close { loc: here });
                pos = start + len;
            } else {
                break;
            }
        }
        let rest = &html[pos..];
        if pos == 0 {
            // Raw HTML that ends with the closing tag (`<div>..</div>\n</Listing>`).
            let body = html.trim_end();
            if let Some(before) = body.strip_suffix("</Listing>") {
                let line = loc.line + before.matches('\n').count() as u32;
                out.push(Piece::Block(Block::Html {
                    html: before.to_owned(),
                    loc,
                }));
                out.push(Piece::Close {
                    loc: Loc { line, ..loc },
                });
            } else {
                out.push(Piece::Block(Block::Html { html, loc }));
            }
            return;
        }
        if rest.trim().is_empty() {
            return;
        }
        if reparsed >= MAX_REPARSE {
            out.push(Piece::Block(Block::Html {
                html: rest.to_owned(),
                loc,
            }));
            return;
        }
        let line = loc.line + html[..pos].matches('\n').count() as u32;
        let mut blocks = self.markdown(rest, Loc { line, ..loc });
        for block in &mut blocks {
            self.children(block, depth);
        }
        for block in blocks {
            self.expand(block, depth, reparsed + 1, out);
        }
    }

    /// Matches opening and closing tags among a sequence's pieces, innermost first.
    fn pair(&mut self, pieces: Vec<Piece>, depth: usize) -> Vec<Block> {
        struct Opened {
            /// Where the opening tag's HTML block sits in `out`.
            at: usize,
            /// The tag, `None` past the nesting limit (the tags then stay raw HTML).
            tag: Option<Tag>,
            loc: Loc,
        }
        let mut out: Vec<Block> = Vec::new();
        let mut stack: Vec<Opened> = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Block(block) => out.push(block),
                Piece::Open { tag, loc, .. } if tag.self_closing => {
                    out.push(self.listing(tag, Vec::new(), loc));
                }
                Piece::Open { tag, markup, loc } => {
                    let nests = depth + stack.len() < MAX_DEPTH;
                    stack.push(Opened {
                        at: out.len(),
                        tag: nests.then_some(tag),
                        loc,
                    });
                    // Holds the place of the listing until its closing tag.
                    out.push(Block::Html { html: markup, loc });
                }
                Piece::Close { loc } => match stack.pop() {
                    Some(Opened {
                        at,
                        tag: Some(tag),
                        loc: open,
                    }) => {
                        let blocks: Vec<Block> = out.drain(at + 1..).collect();
                        out.pop();
                        out.push(self.listing(tag, blocks, open));
                    }
                    Some(Opened { tag: None, .. }) => out.push(Block::Html {
                        html: "</Listing>".into(),
                        loc,
                    }),
                    None => self.warn(
                        loc,
                        "`</Listing>` without an opening `<Listing>`; it is left out".into(),
                    ),
                },
            }
        }
        for open in &stack {
            self.warn(
                open.loc,
                "`<Listing>` is never closed by `</Listing>`; what follows it is kept as \
                 ordinary content"
                    .into(),
            );
        }
        // The blocks stay as they are; the tag alone goes (backends would only warn about it).
        for open in stack.iter().rev() {
            out.remove(open.at);
        }
        out
    }

    fn listing(&mut self, tag: Tag, blocks: Vec<Block>, loc: Loc) -> Block {
        let caption = match tag.caption.as_deref() {
            Some(text) if !text.trim().is_empty() => self.caption(text, loc),
            _ => Vec::new(),
        };
        Block::Listing {
            number: tag.number,
            file_name: tag.file_name,
            caption,
            blocks,
            loc,
        }
    }

    /// A caption as Markdown inline content (the inlines of what it parses into). Tags in it
    /// are shown as written: an attribute value holds text, and `&lt;T&gt;` means `<T>`.
    fn caption(&mut self, text: &str, loc: Loc) -> Vec<Inline> {
        let mut inlines = Vec::new();
        let mut blocks = self.markdown(text.trim(), loc);
        visit_inlines_mut(&mut blocks, &mut |inline| {
            if let Inline::Html { html } = inline {
                *inline = Inline::Text {
                    text: std::mem::take(html),
                };
            }
        });
        visit_inlines_mut(&mut blocks, &mut |inline| match inline {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => merge_text(content),
            _ => {}
        });
        for block in blocks {
            if let Block::Paragraph { content, .. } | Block::Heading { content, .. } = block {
                if !inlines.is_empty() {
                    inlines.push(Inline::SoftBreak);
                }
                inlines.extend(content);
            }
        }
        merge_text(&mut inlines);
        if inlines.is_empty() {
            // A caption that parses into no text (`1.`, `---`) is shown as written.
            inlines.push(Inline::Text {
                text: text.trim().to_owned(),
            });
        }
        inlines
    }

    /// Parses a piece of Markdown found inside a tag (footnote references in it stay text).
    fn markdown(&mut self, text: &str, loc: Loc) -> Vec<Block> {
        let index = LineIndex::new(text, loc.file, loc.line, 0);
        let mut labels = Vec::new();
        let mut blocks = fold_markdown(self.path, text, &index, &mut labels, self.warnings).blocks;
        visit_inlines_mut(&mut blocks, &mut |inline| {
            if let Inline::NoteRef { number } = inline {
                let label = labels.get(*number as usize).map_or("", String::as_str);
                *inline = Inline::Text {
                    text: format!("[^{label}]"),
                };
            }
        });
        blocks
    }

    fn warn(&mut self, loc: Loc, message: String) {
        self.warnings.push(Diagnostic::warning_at(
            crate::error::Code::Listing,
            self.path,
            loc,
            message,
        ));
    }
}

/// Whether a block holds (or may hold) a listing tag.
fn has_tag(block: &Block) -> bool {
    match block {
        Block::Html { html, .. } => html.contains("Listing"),
        Block::Paragraph { content, .. } => content
            .iter()
            .any(|i| matches!(i, Inline::Html { html } if html.contains("Listing"))),
        _ => false,
    }
}

/// Joins neighbouring text nodes (one node per run, as the Markdown fold makes them).
fn merge_text(inlines: &mut Vec<Inline>) {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines.drain(..) {
        match (out.last_mut(), inline) {
            (Some(Inline::Text { text: last }), Inline::Text { text }) => last.push_str(&text),
            (_, inline) => out.push(inline),
        }
    }
    *inlines = out;
}

/// Removes soft breaks and blank text from the start (or end) of inline content.
fn trim_breaks(content: &mut Vec<Inline>, start: bool) {
    let blank = |i: &Inline| match i {
        Inline::SoftBreak | Inline::HardBreak => true,
        Inline::Text { text } => text.trim().is_empty(),
        _ => false,
    };
    if start {
        let n = content.iter().take_while(|i| blank(i)).count();
        content.drain(..n);
    } else {
        while content.last().is_some_and(blank) {
            content.pop();
        }
    }
}

/// `</Listing>` at the start of `s`: its length.
fn close_tag(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("</Listing")?;
    let after = rest.trim_start();
    after.starts_with('>').then(|| s.len() - after.len() + 1)
}

/// `<Listing ...>` at the start of `s`: what it says and its length.
fn open_tag(s: &str) -> Option<(Tag, usize)> {
    let rest = s.strip_prefix("<Listing")?;
    if !rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/') {
        return None;
    }
    let (attrs, len, self_closing) = attributes(s, "<Listing".len())?;
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let tag = Tag {
        number: get("number"),
        file_name: get("file-name"),
        caption: get("caption"),
        self_closing,
    };
    Some((tag, len))
}

/// Attribute names and values in source order.
type Attributes = Vec<(String, String)>;

/// Reads a start tag's attributes from byte `i` of `s` (just after the element name) up to
/// its `>`, as the HTML tokenizer does: names lowercased, values unquoted and their character
/// references decoded, the first of repeated names kept. Returns the attributes, the tag's
/// length and whether it ends in `/>`; `None` when the tag is not closed.
fn attributes(s: &str, mut i: usize) -> Option<(Attributes, usize, bool)> {
    let b = s.as_bytes();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut attrs = Attributes::new();
    loop {
        while b.get(i).copied().is_some_and(space) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => return Some((attrs, i + 1, false)),
            b'/' if b.get(i + 1) == Some(&b'>') => return Some((attrs, i + 2, true)),
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // The name: up to white space, `/`, `>` or `=` (a leading `=` belongs to it).
        let start = i;
        i += 1;
        while b
            .get(i)
            .is_some_and(|&c| !space(c) && !matches!(c, b'/' | b'>' | b'='))
        {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut j = i;
        while b.get(j).copied().is_some_and(space) {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while b.get(j).copied().is_some_and(space) {
                j += 1;
            }
            match *b.get(j)? {
                q @ (b'"' | b'\'') => {
                    let end = j + 1 + s[j + 1..].find(q as char)?;
                    value = decode_entities(&s[j + 1..end]);
                    i = end + 1;
                }
                b'>' => i = j,
                _ => {
                    let end = s[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(s.len(), |e| j + e);
                    value = decode_entities(&s[j..end]);
                    i = end;
                }
            }
        }
        if !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

/// Decodes character references: numeric ones and the named ones attribute values use. Unknown
/// names and a `&` not starting a reference (`&str`) stay as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let decoded = tail
            .find(';')
            .filter(|&e| e > 0 && e <= 10)
            .and_then(|e| entity(&tail[..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return Some(
            char::from_u32(value)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> Option<(Tag, usize)> {
        open_tag(s)
    }

    #[test]
    fn reads_attributes_like_html() {
        let s = r#"<Listing caption='A &quot;b&quot; &amp; &lt;T&gt; `&str`'
            file-name = src/main.rs NUMBER="2-1" number="9">rest"#;
        let (t, len) = tag(s).unwrap();
        assert_eq!(&s[len..], "rest");
        assert_eq!(t.number.as_deref(), Some("2-1"));
        assert_eq!(t.file_name.as_deref(), Some("src/main.rs"));
        assert_eq!(t.caption.as_deref(), Some("A \"b\" & <T> `&str`"));
        assert!(!t.self_closing);
        assert!(tag(r#"<Listing caption="a > b">"#)
            .is_some_and(|(t, _)| t.caption.as_deref() == Some("a > b")));
        assert_eq!(tag("<Listing>").unwrap(), (Tag::default(), 9));
        assert!(tag("<Listing/>").unwrap().0.self_closing);
        assert!(tag("<listing>").is_none());
        assert!(tag("<Listings>").is_none());
        assert!(tag(r#"<Listing caption="never closed>"#).is_none());
        assert!(tag(r#"<Listing number="1""#).is_none());
        assert_eq!(close_tag("</Listing >\n"), Some(11));
        assert_eq!(close_tag("</listing>"), None);
        assert_eq!(decode_entities("&#x41;&#66;&bogus;&"), "AB&bogus;&");
    }
}
