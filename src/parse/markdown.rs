//! Markdown to the document model: pulldown-cmark's event stream folded into owned blocks.
//!
//! The fold uses an explicit stack rather than recursion, and containers nested deeper than
//! [`MAX_DEPTH`] are flattened into their parent (with one warning), so neither this stage nor a
//! recursive backend can overflow the stack on hostile input.

use crate::doc::{AlertKind, Align, Block, Definition, Inline, ListItem, Loc};
use crate::error::Diagnostic;
use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use std::collections::HashMap;
use std::path::Path;

/// Deepest container nesting kept as structure; deeper containers are merged into their parent.
pub const MAX_DEPTH: usize = 48;

/// The Markdown extensions bindery enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_GFM
}

/// The result of folding one source: its blocks (footnote references still unresolved) and the
/// footnote definitions found in it.
pub struct Folded {
    /// The body. `Inline::NoteRef { number }` here means "label number `number`" in `labels`.
    pub blocks: Vec<Block>,
    /// Footnote labels in order of first appearance (reference or definition).
    pub labels: Vec<String>,
    /// Footnote definitions: label index, body, where it is defined.
    pub definitions: Vec<(usize, Vec<Block>, Loc)>,
}

/// What an open container collects.
enum Kind {
    Root,
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
        classes: Vec<String>,
        attrs: Vec<(String, String)>,
    },
    Quote(Option<BlockQuoteKind>),
    Code {
        info: String,
        text: String,
    },
    Html {
        html: String,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
        tight: bool,
    },
    Item {
        task: Option<bool>,
    },
    FootnoteDef {
        label: usize,
    },
    DefList {
        items: Vec<Definition>,
    },
    DefTitle,
    DefBody,
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    TableHead {
        cells: Vec<Vec<Inline>>,
    },
    TableRow {
        cells: Vec<Vec<Inline>>,
    },
    TableCell,
    Emph,
    Strong,
    Strike,
    Sup,
    Sub,
    Link {
        url: String,
        title: String,
    },
    Image {
        url: String,
        title: String,
    },
    /// A container past [`MAX_DEPTH`]: its content goes straight into the parent.
    Flattened,
}

struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    loc: Loc,
    /// A paragraph tag closed directly inside (what makes a list loose; text flushed into a
    /// paragraph before a nested block does not count).
    paragraphs: bool,
}

impl Frame {
    fn new(kind: Kind, loc: Loc) -> Frame {
        Frame {
            kind,
            blocks: Vec::new(),
            inlines: Vec::new(),
            loc,
            paragraphs: false,
        }
    }

    /// Turns loose inline content (a tight list item's text) into a paragraph before a block.
    fn flush_inlines(&mut self) {
        if !self.inlines.is_empty() {
            let content = std::mem::take(&mut self.inlines);
            self.blocks.push(Block::Paragraph {
                content,
                loc: self.loc,
            });
        }
    }
}

/// Maps byte offsets in a source to lines and columns.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    file: u32,
    first_line: u32,
    base: usize,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`, which starts at line `first_line` (and byte `base`) of file `file`.
    pub fn new(text: &'a str, file: u32, first_line: u32, base: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            file,
            first_line,
            base,
        }
    }

    /// The location of a byte offset into the indexed text.
    pub fn loc(&self, offset: usize) -> Loc {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        let _ = self.base;
        Loc {
            file: self.file,
            line: self.first_line + line as u32,
            col: col as u32 + 1,
            len: 0,
        }
    }

    /// The location of a construct at `range`, with its length in characters up to the end
    /// of its first line (what a caret under it can show). Counted only for the constructs
    /// diagnostics point at (links, images, formulas), so blocks cost nothing more.
    pub fn span(&self, range: &std::ops::Range<usize>) -> Loc {
        let loc = self.loc(range.start);
        let end = range.end.min(self.text.len());
        let text = self.text.get(range.start.min(end)..end).unwrap_or("");
        let first = text.split('\n').next().unwrap_or("");
        let len = first.trim_end_matches('\r').chars().count();
        Loc {
            len: len as u32,
            ..loc
        }
    }
}

/// Folds a Markdown body into blocks.
pub fn fold(
    path: &Path,
    body: &str,
    index: &LineIndex<'_>,
    labels: &mut Vec<String>,
    warnings: &mut Vec<Diagnostic>,
) -> Folded {
    let mut stack: Vec<Frame> = vec![Frame::new(Kind::Root, index.loc(0))];
    let mut depth_warned = false;
    let mut definitions = Vec::new();
    // Label indices by label, so that finding one is not a scan of all (80,000 notes).
    let mut known: HashMap<String, usize> = HashMap::with_capacity(labels.len());
    for (i, l) in labels.iter().enumerate() {
        known.entry(l.clone()).or_insert(i);
    }
    let mut label_index = |label: &str, labels: &mut Vec<String>| -> usize {
        if let Some(&i) = known.get(label) {
            return i;
        }
        labels.push(label.to_owned());
        known.insert(label.to_owned(), labels.len() - 1);
        labels.len() - 1
    };

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let loc = index.loc(range.start);
        match event {
            Event::Start(tag) => {
                let is_block = is_block_tag(&tag);
                let top = stack.last_mut().expect("root frame");
                if is_block && !matches!(top.kind, Kind::TableHead { .. } | Kind::TableRow { .. }) {
                    top.flush_inlines();
                }
                let kind = match tag {
                    Tag::Paragraph => Kind::Paragraph,
                    Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    } => Kind::Heading {
                        level: heading_level(level),
                        id: id.map(|s| s.to_string()),
                        classes: classes.into_iter().map(|c| c.to_string()).collect(),
                        attrs: attrs
                            .into_iter()
                            .map(|(k, v)| {
                                (k.to_string(), v.map(|v| v.to_string()).unwrap_or_default())
                            })
                            .collect(),
                    },
                    Tag::BlockQuote(kind) => Kind::Quote(kind),
                    Tag::CodeBlock(kind) => Kind::Code {
                        info: match kind {
                            CodeBlockKind::Fenced(info) => info.to_string(),
                            CodeBlockKind::Indented => String::new(),
                        },
                        text: String::new(),
                    },
                    Tag::HtmlBlock => Kind::Html {
                        html: String::new(),
                    },
                    Tag::List(start) => Kind::List {
                        start,
                        items: Vec::new(),
                        tight: true,
                    },
                    Tag::Item => Kind::Item { task: None },
                    Tag::FootnoteDefinition(label) => Kind::FootnoteDef {
                        label: label_index(&label, labels),
                    },
                    Tag::DefinitionList => Kind::DefList { items: Vec::new() },
                    Tag::DefinitionListTitle => Kind::DefTitle,
                    Tag::DefinitionListDefinition => Kind::DefBody,
                    Tag::Table(align) => Kind::Table {
                        align: align.into_iter().map(alignment).collect(),
                        head: Vec::new(),
                        rows: Vec::new(),
                    },
                    Tag::TableHead => Kind::TableHead { cells: Vec::new() },
                    Tag::TableRow => Kind::TableRow { cells: Vec::new() },
                    Tag::TableCell => Kind::TableCell,
                    Tag::Emphasis => Kind::Emph,
                    Tag::Strong => Kind::Strong,
                    Tag::Strikethrough => Kind::Strike,
                    Tag::Superscript => Kind::Sup,
                    Tag::Subscript => Kind::Sub,
                    Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        ..
                    } => {
                        // An email autolink's destination is the bare address; make it a URL.
                        let url = if link_type == pulldown_cmark::LinkType::Email
                            && !dest_url.starts_with("mailto:")
                        {
                            format!("mailto:{dest_url}")
                        } else {
                            dest_url.to_string()
                        };
                        Kind::Link {
                            url,
                            title: title.to_string(),
                        }
                    }
                    Tag::Image {
                        dest_url, title, ..
                    } => Kind::Image {
                        url: dest_url.to_string(),
                        title: title.to_string(),
                    },
                    Tag::MetadataBlock(_) => Kind::Flattened,
                };
                // Containers that nest (quotes, lists, inline spans) are flattened past the limit;
                // tables, code and HTML never nest inside themselves so they are always kept.
                let nests = matches!(
                    kind,
                    Kind::Quote(_)
                        | Kind::List { .. }
                        | Kind::Item { .. }
                        | Kind::Emph
                        | Kind::Strong
                        | Kind::Strike
                        | Kind::Sup
                        | Kind::Sub
                        | Kind::Link { .. }
                        | Kind::DefList { .. }
                        | Kind::DefTitle
                        | Kind::DefBody
                );
                // A link's or an image's frame keeps the span of the whole construct.
                let loc = if matches!(kind, Kind::Link { .. } | Kind::Image { .. }) {
                    index.span(&range)
                } else {
                    loc
                };
                if nests && stack.len() > MAX_DEPTH {
                    if !depth_warned {
                        depth_warned = true;
                        warnings.push(Diagnostic::warning_at(
                            crate::error::Code::DeepNesting,
                            path,
                            loc,
                            format!(
                                "content nested more than {MAX_DEPTH} levels deep is flattened"
                            ),
                        ));
                    }
                    stack.push(Frame::new(Kind::Flattened, loc));
                } else {
                    stack.push(Frame::new(kind, loc));
                }
            }
            Event::End(end) => {
                if stack.len() <= 1 {
                    continue;
                }
                let frame = stack.pop().expect("checked length");
                let parent = stack.last_mut().expect("root frame");
                close(frame, parent, &end, &mut definitions);
            }
            Event::Text(text) => {
                let top = stack.last_mut().expect("root frame");
                match &mut top.kind {
                    Kind::Code { text: code, .. } => code.push_str(&text),
                    Kind::Html { html } => html.push_str(&text),
                    // `\^` and `\~` are kept apart from the marks of in-word scripts.
                    _ if escaped(body, &range, &text, '^') => {
                        push_text(&mut top.inlines, ESCAPED_CARET);
                        push_text(&mut top.inlines, &text[1..]);
                    }
                    _ if escaped(body, &range, &text, '~') => {
                        push_text(&mut top.inlines, ESCAPED_TILDE);
                        push_text(&mut top.inlines, &text[1..]);
                    }
                    _ => push_text(&mut top.inlines, &text),
                }
            }
            Event::Code(text) => push_inline(
                &mut stack,
                Inline::Code {
                    text: text.to_string(),
                },
            ),
            Event::InlineMath(tex) => push_inline(
                &mut stack,
                Inline::Math {
                    display: false,
                    tex: tex.to_string(),
                    loc: index.span(&range),
                },
            ),
            Event::DisplayMath(tex) => push_inline(
                &mut stack,
                Inline::Math {
                    display: true,
                    tex: tex.to_string(),
                    loc: index.span(&range),
                },
            ),
            Event::Html(html) => {
                let top = stack.last_mut().expect("root frame");
                match &mut top.kind {
                    Kind::Html { html: buf } => buf.push_str(&html),
                    _ => top.blocks.push(Block::Html {
                        html: html.to_string(),
                        loc,
                    }),
                }
            }
            Event::InlineHtml(html) => {
                push_inline(
                    &mut stack,
                    Inline::Html {
                        html: html.to_string(),
                    },
                );
            }
            Event::FootnoteReference(label) => {
                let number = label_index(&label, labels) as u32;
                push_inline(&mut stack, Inline::NoteRef { number });
            }
            Event::SoftBreak => push_inline(&mut stack, Inline::SoftBreak),
            Event::HardBreak => push_inline(&mut stack, Inline::HardBreak),
            Event::Rule => {
                let top = stack.last_mut().expect("root frame");
                top.flush_inlines();
                top.blocks.push(Block::Rule { loc });
            }
            Event::TaskListMarker(done) => {
                if let Some(frame) = stack
                    .iter_mut()
                    .rev()
                    .find(|f| matches!(f.kind, Kind::Item { .. }))
                {
                    frame.kind = Kind::Item { task: Some(done) };
                }
            }
        }
    }
    // Close anything left open (the parser always balances, but be safe with hostile input).
    while stack.len() > 1 {
        let frame = stack.pop().expect("checked length");
        let parent = stack.last_mut().expect("root frame");
        close(frame, parent, &TagEnd::Paragraph, &mut definitions);
    }
    let mut root = stack.pop().expect("root frame");
    root.flush_inlines();
    in_word_scripts(&mut root.blocks);
    for (_, body, _) in &mut definitions {
        in_word_scripts(body);
    }
    Folded {
        blocks: root.blocks,
        labels: labels.clone(),
        definitions,
    }
}

/// Stand-ins for `\^` and `\~` until [`in_word_scripts`] has run (private-use characters).
const ESCAPED_CARET: &str = "\u{E001}";
const ESCAPED_TILDE: &str = "\u{E002}";

/// Whether this text event starts with `mark` written as `\\mark` (the parser's range may or
/// may not include the backslash).
fn escaped(body: &str, range: &std::ops::Range<usize>, text: &str, mark: char) -> bool {
    if !text.starts_with(mark) {
        return false;
    }
    let source = body.get(range.clone()).unwrap_or("");
    if source.starts_with('\\') && source[1..].starts_with(mark) {
        return true;
    }
    let before = &body.as_bytes()[..range.start.min(body.len())];
    before.ends_with(b"\\") && !before.ends_with(b"\\\\") && source.starts_with(mark)
}

/// Superscripts and subscripts inside words (`mc^2^`, `H~2~O`, `x^i+1^`), which the parser
/// only sees at word boundaries: a run between two `^` (or single `~`) with no white space in
/// it, in one piece of text. Escaped marks stay as written.
fn in_word_scripts(blocks: &mut [Block]) {
    crate::doc::visit_inline_lists_mut(blocks, &mut |list, _| {
        if !list.iter().any(|i| matches!(i, Inline::Text { text } if text.contains(['^', '~', '\u{E001}', '\u{E002}']))) {
            return;
        }
        let mut out = Vec::with_capacity(list.len());
        for inline in list.drain(..) {
            match inline {
                Inline::Text { text } => split_scripts(&text, &mut out),
                other => out.push(other),
            }
        }
        *list = out;
    });
}

fn split_scripts(text: &str, out: &mut Vec<Inline>) {
    let restore = |s: &str| s.replace(ESCAPED_CARET, "^").replace(ESCAPED_TILDE, "~");
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['^', '~']) {
        let mark = rest[at..].chars().next().unwrap_or('^');
        let after = &rest[at + 1..];
        let doubled = after.starts_with(mark) || rest[..at].ends_with(mark);
        let end = after.find(|c: char| c == mark || c.is_whitespace());
        match end {
            Some(end)
                if !doubled
                    && end > 0
                    && after[end..].starts_with(mark)
                    && !after[end + 1..].starts_with(mark) =>
            {
                plain.push_str(&rest[..at]);
                if !plain.is_empty() {
                    out.push(Inline::Text {
                        text: restore(&std::mem::take(&mut plain)),
                    });
                }
                let content = vec![Inline::Text {
                    text: restore(&after[..end]),
                }];
                out.push(if mark == '^' {
                    Inline::Superscript { content }
                } else {
                    Inline::Subscript { content }
                });
                rest = &after[end + 1..];
            }
            _ => {
                plain.push_str(&rest[..at + 1]);
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Inline::Text {
            text: restore(&plain),
        });
    }
}

fn push_inline(stack: &mut [Frame], inline: Inline) {
    if let Some(top) = stack.last_mut() {
        top.inlines.push(inline);
    }
}

/// Appends text, merging with a preceding text node (the parser splits text at entity and
/// smart-punctuation boundaries; one node per run is what backends and tests want).
fn push_text(inlines: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text { text: last }) = inlines.last_mut() {
        last.push_str(text);
    } else {
        inlines.push(Inline::Text {
            text: text.to_owned(),
        });
    }
}

fn is_block_tag(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::TableCell
            | Tag::TableRow
            | Tag::TableHead
    )
}

/// Moves a finished container into its parent.
fn close(
    mut frame: Frame,
    parent: &mut Frame,
    _end: &TagEnd,
    definitions: &mut Vec<(usize, Vec<Block>, Loc)>,
) {
    let loc = frame.loc;
    let block = match frame.kind {
        Kind::Root => None,
        Kind::Flattened => {
            frame.flush_inlines();
            parent.flush_inlines();
            parent.blocks.append(&mut frame.blocks);
            None
        }
        Kind::Paragraph => {
            parent.paragraphs = true;
            let paragraph = Block::Paragraph {
                content: frame.inlines,
                loc,
            };
            Some(figure(paragraph))
        }
        Kind::Heading {
            level,
            id,
            classes,
            attrs,
        } => Some(Block::Heading {
            level,
            // An explicit id travels in `id`; an empty one means "assign later".
            id: id.unwrap_or_default(),
            classes,
            attrs,
            content: frame.inlines,
            loc,
        }),
        Kind::Quote(kind) => {
            frame.flush_inlines();
            let blocks = std::mem::take(&mut frame.blocks);
            Some(match kind.map(alert_kind) {
                Some(kind) => Block::Alert { kind, blocks, loc },
                None => Block::Quote { blocks, loc },
            })
        }
        Kind::Code { info, text } => {
            let lang = info
                .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                .next()
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            Some(Block::CodeBlock {
                lang,
                info,
                text,
                loc,
            })
        }
        Kind::Html { html } => Some(Block::Html { html, loc }),
        Kind::List {
            start,
            items,
            tight,
        } => Some(Block::List {
            start,
            tight,
            items,
            loc,
        }),
        Kind::Item { task } => {
            // Text directly inside an item (no paragraph) is what makes a list tight.
            let loose = frame.paragraphs;
            frame.flush_inlines();
            if let Kind::List { items, tight, .. } = &mut parent.kind {
                if loose {
                    *tight = false;
                }
                items.push(ListItem {
                    task,
                    blocks: std::mem::take(&mut frame.blocks),
                });
            } else {
                parent.blocks.append(&mut frame.blocks);
            }
            None
        }
        Kind::FootnoteDef { label } => {
            frame.flush_inlines();
            definitions.push((label, std::mem::take(&mut frame.blocks), loc));
            None
        }
        Kind::DefList { items } => Some(Block::DefinitionList { items, loc }),
        Kind::DefTitle => {
            if let Kind::DefList { items } = &mut parent.kind {
                items.push(Definition {
                    term: frame.inlines,
                    definitions: Vec::new(),
                });
            } else {
                parent.inlines.append(&mut frame.inlines);
            }
            None
        }
        Kind::DefBody => {
            frame.flush_inlines();
            if let Kind::DefList { items } = &mut parent.kind {
                match items.last_mut() {
                    Some(def) => def.definitions.push(std::mem::take(&mut frame.blocks)),
                    None => items.push(Definition {
                        term: Vec::new(),
                        definitions: vec![std::mem::take(&mut frame.blocks)],
                    }),
                }
            } else {
                parent.blocks.append(&mut frame.blocks);
            }
            None
        }
        Kind::Table {
            align,
            head,
            mut rows,
        } => {
            let width = align.len();
            let pad = |row: &mut Vec<Vec<Inline>>| row.resize_with(width, Vec::new);
            let mut head = head;
            pad(&mut head);
            rows.iter_mut().for_each(pad);
            Some(Block::Table {
                align,
                head: vec![head],
                rows,
                spans: Vec::new(),
                loc,
            })
        }
        Kind::TableHead { cells } => {
            if let Kind::Table { head, .. } = &mut parent.kind {
                *head = cells;
            }
            None
        }
        Kind::TableRow { cells } => {
            match &mut parent.kind {
                Kind::Table { rows, .. } => rows.push(cells),
                Kind::TableHead { cells: head } => *head = cells,
                _ => {}
            }
            None
        }
        Kind::TableCell => {
            match &mut parent.kind {
                Kind::TableHead { cells } | Kind::TableRow { cells } => cells.push(frame.inlines),
                _ => parent.inlines.append(&mut frame.inlines),
            }
            None
        }
        Kind::Emph => wrap(
            parent,
            Inline::Emph {
                content: frame.inlines,
            },
        ),
        Kind::Strong => wrap(
            parent,
            Inline::Strong {
                content: frame.inlines,
            },
        ),
        Kind::Strike => wrap(
            parent,
            Inline::Strike {
                content: frame.inlines,
            },
        ),
        Kind::Sup => wrap(
            parent,
            Inline::Superscript {
                content: frame.inlines,
            },
        ),
        Kind::Sub => wrap(
            parent,
            Inline::Subscript {
                content: frame.inlines,
            },
        ),
        Kind::Link { url, title } => wrap(
            parent,
            Inline::Link {
                url,
                title,
                content: frame.inlines,
                loc,
            },
        ),
        Kind::Image { url, title } => wrap(
            parent,
            Inline::Image {
                url,
                title,
                alt: frame.inlines,
                loc,
            },
        ),
    };
    if let Some(block) = block {
        parent.flush_inlines();
        parent.blocks.push(block);
        // Blocks that strayed directly into a list, definition list or table (not produced by
        // the parser today) follow their container rather than being lost.
        parent.blocks.append(&mut frame.blocks);
    }
}

fn wrap(parent: &mut Frame, inline: Inline) -> Option<Block> {
    parent.inlines.push(inline);
    None
}

/// A paragraph that holds one Markdown image and nothing else (white space and a link around
/// the image aside) is a figure, captioned with the image's title, else its alt text.
fn figure(paragraph: Block) -> Block {
    let Block::Paragraph { content, loc } = &paragraph else {
        return paragraph;
    };
    let mut found = None;
    for inline in content {
        let image = match inline {
            Inline::Image { .. } => inline,
            Inline::Link { content, .. } if content.len() == 1 => &content[0],
            Inline::Text { text } if text.trim().is_empty() => continue,
            Inline::SoftBreak => continue,
            _ => return paragraph,
        };
        match image {
            Inline::Image { title, alt, .. } if found.is_none() => {
                found = Some(if title.trim().is_empty() {
                    alt.clone()
                } else {
                    vec![Inline::Text {
                        text: title.clone(),
                    }]
                })
            }
            _ => return paragraph,
        }
    }
    match found {
        Some(caption) => {
            let loc = *loc;
            Block::Figure {
                blocks: vec![paragraph],
                caption,
                loc,
            }
        }
        None => paragraph,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn alert_kind(kind: BlockQuoteKind) -> AlertKind {
    match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    }
}
