//! Layout: the document's blocks into a flow of [`Fragment`]s (lines, rows, figures) that the
//! paginator stacks onto pages.
//!
//! Every fragment draws its own share of a block's decoration (code background, quote bar,
//! alert tint), so a page may break between any two fragments without extra bookkeeping.

mod code;
mod figure;
mod inlines;
mod table;

use super::fonts::FontSet;
use super::frame::{Color, Item, Node, OutlineEntry, Pt, Role, StructNode};
use super::paragraph::{Align, LineBox, Paragraph, Piece, Style};
use crate::doc::{plain_text, Block, Document, Inline, ListItem, Loc};
use crate::error::{Code, Diagnostic};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Type sizes and spacing, all derived from the body size.
#[derive(Debug, Clone, Copy)]
pub struct Metrics {
    /// Body text size.
    pub body: Pt,
    /// Distance between body baselines.
    pub leading: Pt,
    /// Footnote size.
    pub note: Pt,
    /// Code size.
    pub code: Pt,
    /// Table and caption size.
    pub small: Pt,
}

impl Metrics {
    /// Metrics for a body size (11 pt on A4) and the style's leading and code size.
    pub fn new(body: Pt, style: &crate::style::Style) -> Metrics {
        Metrics {
            body,
            leading: body * style.text.leading as Pt,
            note: body * 0.82,
            code: body * style.code.size as Pt,
            small: body * 0.9,
        }
    }
}

/// One unbreakable piece of the flow.
#[derive(Debug, Clone, Default)]
pub struct Fragment {
    /// Vertical space it takes.
    pub height: Pt,
    /// Space above it, dropped when it starts a page.
    pub space_before: Pt,
    /// What it draws, relative to the text block's left edge and the fragment's top.
    pub items: Vec<Item>,
    /// Must share a page with the next fragment (headings, first lines, widow control).
    pub keep_with_next: bool,
    /// Footnotes referenced in it, by number.
    pub notes: Vec<u32>,
    /// A table header to repeat above it when it starts a page.
    pub header: Option<Arc<Fragment>>,
    /// Baseline of its first line, from its top (list markers align to it).
    pub baseline: Option<Pt>,
    /// A line ending in a hyphenated word (which should not end a page).
    pub hyphenated: bool,
    /// Starts a new page (a chapter, a part).
    pub page_break: Option<PageBreak>,
    /// The chapter whose pages start here, for the running heads.
    pub running: Option<Arc<str>>,
    /// Where it comes from in the model: the block it belongs to and, for a line of running
    /// text, how much of the block's text comes before it (see [`crate::doc::PageStart`]).
    /// A page that begins with this fragment begins there in the EPUB's page list.
    pub source: Option<(crate::doc::Loc, Option<usize>)>,
    /// On the first fragment of a figure that may float: the fragments it heads and how far
    /// it may go (see [`Float`]).
    pub float: Option<Float>,
    /// On the first line of a heading: its level. A floating figure never moves past a heading
    /// of its section's level or higher.
    pub heading: Option<u8>,
}

/// A figure that may float: when it does not fit in the rest of a page it goes to the top of
/// the next one, and the text after it fills the gap (see [`super::paginate`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Float {
    /// How many fragments it takes, this one included (the picture or table, its caption, the
    /// anchor of its `id`), all set together on one page.
    pub len: usize,
    /// The level of the section it is in: it stays above the next heading of this level or
    /// higher. `u8::MAX` before the first heading, where every heading ends its section.
    pub level: u8,
    /// Space between it and the text under it when it heads a page.
    pub gap: Pt,
}

/// How a fragment starts a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageBreak {
    /// On the next page.
    Page,
    /// On the next right-hand (odd-numbered) page when pages are two-sided, else the next page.
    Recto,
}

/// Everything laid out for one section of the document.
#[derive(Debug, Default, Clone)]
pub struct Flow {
    /// The fragments, in reading order.
    pub fragments: Vec<Fragment>,
    /// Footnote bodies by number, laid out at note size.
    pub notes: BTreeMap<u32, Vec<Fragment>>,
    /// Bookmarks, in order.
    pub outline: Vec<OutlineEntry>,
    /// Headings' anchors and titles with their level (for a table of contents).
    pub warnings: Vec<Diagnostic>,
    /// Characters no font has, with where they are first used (see [`super::missing`]).
    pub missing: super::missing::Missing,
    /// Warnings given once per document, by kind (sections merge them, first one wins).
    pub once: BTreeMap<&'static str, Diagnostic>,
    /// The logical structure of what was laid out; items refer to it by index.
    pub structure: Vec<StructNode>,
}

impl Flow {
    /// Renumbers the structure nodes (and every reference to them) to start at `offset`.
    pub fn shift_structure(&mut self, offset: u32) {
        if offset == 0 {
            return;
        }
        for n in &mut self.structure {
            if let Some(p) = &mut n.parent {
                *p += offset;
            }
        }
        let frags = self
            .fragments
            .iter_mut()
            .chain(self.notes.values_mut().flatten());
        for f in frags {
            for it in &mut f.items {
                it.shift_node(offset);
            }
        }
    }
}

/// An open structure node and the one it was opened in.
#[must_use]
pub struct Scope {
    id: u32,
    outer: Node,
}

/// Layout state for one section.
pub struct Ctx<'a> {
    /// Fonts.
    pub fonts: &'a FontSet,
    /// The document (assets, file names, language).
    pub doc: &'a Document,
    /// Sizes.
    pub m: Metrics,
    /// Full text width.
    pub measure: Pt,
    /// Largest height a single fragment may take (figures are scaled to it).
    pub max_height: Pt,
    /// What this section produced.
    pub flow: Flow,
    /// Where the block being laid out starts, for messages.
    loc: crate::doc::Loc,
    /// How many bullet lists enclose the one being laid out (chooses the bullet shape).
    list_depth: usize,
    /// The alignment an enclosing block asks of its paragraphs (HTML `align`), instead of
    /// justified text.
    align: Option<Align>,
    /// The base direction an enclosing block gives its paragraphs (HTML `dir`; `Some(None)`:
    /// each paragraph's first letter decides), instead of the document's.
    dir: Option<Option<bool>>,
    /// The language an enclosing block gives its text (HTML `lang`), instead of the
    /// document's: its runs are shaped and hyphenated by it (see [`Ctx::pieces`]).
    lang: Option<std::sync::Arc<str>>,
    /// The structure node new nodes open in.
    pub(crate) node: Node,
    /// While a paragraph or heading is set: its block and how much of its text comes before
    /// the pieces being set (a paragraph split by a display formula is set in parts), so that
    /// each line records where it begins (see [`Fragment::source`]).
    origin: Option<(crate::doc::Loc, usize)>,
    /// The block being laid out follows a paragraph in the same container (with the style's
    /// `paragraphs = "indent"`, such a paragraph is indented and has no space above).
    follows_paragraph: bool,
    /// The first line of the next paragraph set is indented by this much.
    first_indent: Pt,
    /// Whether the blocks being laid out stand in the running text itself, not inside a
    /// list, quotation, box, table or note: only there may a figure float (inside, it would
    /// leave its container's bars and structure behind).
    in_text: bool,
    /// The level of the last heading of the running text (`u8::MAX` before the first): the
    /// section a figure is in (see [`Float::level`]).
    level: u8,
}

impl<'a> Ctx<'a> {
    /// A context for laying out part of `doc`.
    pub fn new(
        fonts: &'a FontSet,
        doc: &'a Document,
        m: Metrics,
        measure: Pt,
        max_height: Pt,
    ) -> Self {
        Ctx {
            fonts,
            doc,
            m,
            measure,
            max_height,
            flow: Flow::default(),
            loc: crate::doc::Loc::default(),
            list_depth: 0,
            align: None,
            dir: None,
            lang: None,
            node: None,
            origin: None,
            follows_paragraph: false,
            first_indent: 0.0,
            in_text: true,
            level: u8::MAX,
        }
    }

    /// Running text's style at `size`, in the style's text colour.
    pub fn text_style(&self, size: Pt) -> Style {
        let mut s = Style::body(size);
        s.color = self.doc.style.colors.text.color();
        s
    }

    /// Opens a structure node inside the current one.
    pub fn open(&mut self, role: Role) -> Scope {
        let id = self.flow.structure.len() as u32;
        // The language of the node's content, said on the outermost node it differs from the
        // node around it (the document's language being the file's `/Lang`).
        let around = self
            .node
            .and_then(|p| self.flow.structure.get(p as usize))
            .and_then(|p| self.lang_of_node(p));
        let lang = self
            .lang
            .as_deref()
            .filter(|l| Some(*l) != around.as_deref())
            .map(str::to_owned);
        self.flow.structure.push(StructNode {
            role,
            parent: self.node,
            loc: self.loc,
            lang,
        });
        let outer = self.node;
        self.node = Some(id);
        Scope { id, outer }
    }

    /// The language a node's content is in: its own, else the nearest ancestor's that has one
    /// (`None`: the document's).
    fn lang_of_node(&self, node: &StructNode) -> Option<String> {
        let mut at = Some(node);
        // Bounded by the node count: a malformed parent link cannot loop forever.
        for _ in 0..=self.flow.structure.len() {
            let n = at?;
            if n.lang.is_some() {
                return n.lang.clone();
            }
            at = n.parent.and_then(|p| self.flow.structure.get(p as usize));
        }
        None
    }

    /// Opens a structure node inside `parent` (not the current node); closing it returns to
    /// the current node.
    pub fn open_in(&mut self, parent: Node, role: Role) -> Scope {
        let outer = self.node;
        self.node = parent;
        let mut scope = self.open(role);
        scope.outer = outer;
        scope
    }

    /// Closes a node: the content items of `frags` that no inner node claimed are its own.
    pub fn close(&mut self, scope: Scope, frags: &mut [Fragment]) {
        for f in frags {
            for it in &mut f.items {
                it.claim(scope.id);
            }
        }
        self.node = scope.outer;
    }

    /// A figure node for a picture with alternative text `alt` (closed at once: the picture
    /// names it directly).
    pub fn figure_node(&mut self, alt: &[Inline]) -> u32 {
        let alt = plain_text(alt);
        let alt = (!alt.trim().is_empty()).then(|| alt.trim().to_owned());
        if alt.is_none() {
            // Accessible PDF (and EPUB) needs words for every picture; PDF/UA refuses the file.
            self.warn(
                Code::MissingAlt,
                "an image has no alternative text: write what it shows in ![...](...) or alt=\"...\""
                    .to_string(),
            );
        }
        let scope = self.open(Role::Figure { alt });
        let id = scope.id;
        self.close(scope, &mut []);
        id
    }

    /// Warns once per `code` at `at` (a construct's span), else at the current block.
    pub fn warn_once(&mut self, code: Code, at: Option<Loc>, message: String) {
        if !self.flow.once.contains_key(code.as_str()) {
            let path = self.source();
            let loc = at.filter(|l| l.line > 0).unwrap_or(self.loc);
            self.flow.once.insert(
                code.as_str(),
                Diagnostic::warning_at(code, path, loc, message),
            );
        }
    }

    /// Warns at the current block.
    pub fn warn(&mut self, code: Code, message: String) {
        let path = self.source();
        self.flow
            .warnings
            .push(Diagnostic::warning_at(code, path, self.loc, message));
    }

    /// The file the block being laid out comes from.
    fn source(&self) -> std::path::PathBuf {
        let files = &self.doc.files;
        files
            .get(self.loc.file as usize)
            .or(files.first())
            .cloned()
            .unwrap_or_default()
    }

    /// Where a box `w` wide that starts `x` from the start margin is drawn: `x` in a left-to-right
    /// document; measured from the right margin in a right-to-left one, where indents, list
    /// markers, quote bars and note numbers stand on the right. Layout works in start-relative
    /// coordinates and places each line, marker and bar through this.
    pub fn start_x(&self, x: Pt, w: Pt) -> Pt {
        if self.doc.meta.rtl() == Some(true) {
            self.measure - x - w
        } else {
            x
        }
    }

    /// The base direction of the paragraphs being laid out: an enclosing block's (HTML `dir`),
    /// else the document's ([`crate::doc::Metadata::rtl`]). Markers, bars and table columns
    /// follow the document's direction only (see [`Ctx::start_x`]).
    pub fn base_dir(&self) -> Option<bool> {
        self.dir.unwrap_or(self.doc.meta.rtl())
    }

    /// Lays out blocks at `indent` with width `width`, appending to `out`.
    pub fn blocks(&mut self, blocks: &[Block], indent: Pt, width: Pt, out: &mut Vec<Fragment>) {
        let mut after_paragraph = false;
        for block in blocks {
            self.follows_paragraph = after_paragraph;
            self.block(block, indent, width, out);
            after_paragraph = matches!(block, Block::Paragraph { content, .. }
                if figure::lone_image(content).is_none());
        }
        self.follows_paragraph = false;
    }

    /// A display formula centred in `width`, with a little space above and below; `None` when
    /// it cannot be typeset (it is then shown as TeX source in the text).
    fn display_formula(&mut self, tex: &str, loc: Loc, indent: Pt, width: Pt) -> Option<Fragment> {
        let m = self.m;
        let b = self.formula(tex, loc, true, &self.text_style(m.body), width)?;
        let pad = m.leading * 0.3;
        let mut items = b.items;
        let x = self.start_x(indent + (width - b.width) / 2.0, b.width);
        for it in &mut items {
            it.translate(x, pad + b.height);
        }
        // A formula of its own in the structure, its TeX the words a reader hears.
        let scope = self.open(Role::Formula {
            tex: tex.trim().to_owned(),
        });
        let mut frag = [Fragment {
            height: b.height + b.depth + 2.0 * pad,
            items,
            baseline: Some(pad + b.height),
            ..Fragment::default()
        }];
        self.close(scope, &mut frag);
        let [frag] = frag;
        Some(frag)
    }

    /// Sets running text as a justified paragraph with `space` above it and its first line
    /// indented by `first_indent`; returns whether anything took room (text that is only white
    /// space or anchors takes none).
    fn paragraph_text(
        &mut self,
        content: &[Inline],
        indent: Pt,
        width: Pt,
        out: &mut Vec<Fragment>,
        (space, first_indent): (Pt, Pt),
        before: usize,
    ) -> bool {
        let m = self.m;
        // Laying out the pieces lays out footnotes, which moves `self.loc` to their blocks.
        let loc = self.loc;
        let pieces = self.pieces(content, &self.text_style(m.body));
        let visible = pieces.iter().any(|p| match p {
            Piece::Text(text, _) => !text.trim().is_empty(),
            Piece::Anchor(_) | Piece::Break => false,
            Piece::NoteMark(..) | Piece::Image { .. } | Piece::Math(_) => true,
        });
        if !visible {
            // Nothing to read (an `<a id>` kept so that old links still land): the anchors
            // mark the spot without taking a line of space.
            let items: Vec<Item> = self
                .lines(&pieces, indent, width, Align::Left, m.leading, false)
                .into_iter()
                .flat_map(|f| f.items)
                .filter(|it| matches!(it, Item::Anchor { .. }))
                .collect();
            if !items.is_empty() {
                out.push(Fragment {
                    items,
                    keep_with_next: true,
                    ..Fragment::default()
                });
            }
            return false;
        }
        let align = self.align.unwrap_or(Align::Justify);
        self.origin = Some((loc, before));
        self.first_indent = first_indent;
        let mut frags = self.lines(&pieces, indent, width, align, m.leading, true);
        self.first_indent = 0.0;
        self.origin = None;
        // A paragraph that announces what follows ("as shown here:") stays with it.
        if crate::doc::plain_text(content).trim_end().ends_with(':') {
            if let Some(last) = frags.last_mut() {
                last.keep_with_next = true;
            }
        }
        push_all(out, frags, space);
        true
    }

    fn block(&mut self, block: &Block, indent: Pt, width: Pt, out: &mut Vec<Fragment>) {
        let start = out.len();
        let in_text = self.in_text;
        if let (true, Block::Heading { level, .. }) = (in_text, block) {
            self.level = *level;
        }
        // Only an alignment (`<center>`, `dir`) keeps its blocks in the running text.
        self.in_text = in_text && matches!(block, Block::Aligned { .. });
        let scope = role(block).map(|r| self.open(r));
        self.block_content(block, indent, width, out);
        if let Some(scope) = scope {
            self.close(scope, &mut out[start..]);
        }
        self.in_text = in_text;
        // What an inner block or a line did not claim belongs to this block: a page that
        // begins inside a table or a listing is marked at the block's start.
        let loc = block.loc();
        for f in &mut out[start..] {
            f.source.get_or_insert((loc, None));
        }
        if in_text && floats(block) {
            self.mark_float(out, start, loc);
        }
    }

    fn block_content(&mut self, block: &Block, indent: Pt, width: Pt, out: &mut Vec<Fragment>) {
        self.loc = block.loc();
        let m = self.m;
        let gap = m.leading * 0.5;
        match block {
            Block::Paragraph { content, .. } => {
                // An image alone in its paragraph (an HTML `<img>` block, a centred logo) is
                // set like a figure, without a caption.
                if let Some((url, alt, link)) = figure::lone_image(content) {
                    let frags = self.figure(url, alt, &[], link, indent, width);
                    push_all(out, frags, gap);
                    return;
                }
                // With `paragraphs = "indent"`, a paragraph that follows another is told
                // apart by its indented first line instead of space above it.
                let style = &self.doc.style.text;
                let (mut space, mut first_indent) = match style.paragraphs {
                    crate::style::Paragraphs::Indent if self.follows_paragraph => {
                        (0.0, m.body * style.indent as Pt)
                    }
                    _ => (m.leading * style.spacing as Pt, 0.0),
                };
                // Display formulas split their paragraph: the text before them, each formula
                // centred on its own, the text after.
                let mut start = 0;
                for (k, inline) in content.iter().enumerate() {
                    let Inline::Math {
                        display: true,
                        tex,
                        loc,
                    } = inline
                    else {
                        continue;
                    };
                    let Some(frag) = self.display_formula(tex, *loc, indent, width) else {
                        continue;
                    };
                    let before = crate::doc::reading_chars(&content[..start]);
                    if self.paragraph_text(
                        &content[start..k],
                        indent,
                        width,
                        out,
                        (space, first_indent),
                        before,
                    ) {
                        space = 0.0;
                        first_indent = 0.0;
                    }
                    push_all(out, vec![frag], space);
                    space = 0.0;
                    start = k + 1;
                }
                let before = crate::doc::reading_chars(&content[..start]);
                self.paragraph_text(
                    &content[start..],
                    indent,
                    width,
                    out,
                    (space, first_indent),
                    before,
                );
            }
            Block::Heading {
                level,
                id,
                content,
                classes,
                ..
            } => {
                // `{.align-center}` / `{.align-right}` (also what HTML `align` becomes).
                let saved = self.align;
                if classes.iter().any(|c| c == "align-center") {
                    self.align = Some(Align::Center);
                } else if classes.iter().any(|c| c == "align-right") {
                    self.align = Some(Align::Right);
                }
                self.heading(*level, id, content, indent, width, out);
                self.align = saved;
            }
            Block::CodeBlock { lang, text, .. } => {
                let frags = self.code(lang.as_deref(), text, indent, width);
                push_all(out, frags, gap);
            }
            Block::Quote { blocks, .. } => {
                let mut inner = Vec::new();
                let pad = self.indent_step(m.body * 1.2, width);
                self.blocks(blocks, indent + pad, width - pad, &mut inner);
                let x = self.start_x(indent + m.body * 0.25, m.body * 0.18);
                let rule = self.doc.style.colors.rule.color();
                bar(&mut inner, x, m.body * 0.18, rule, None);
                push_all(out, inner, gap);
            }
            Block::Alert { kind, blocks, .. } => {
                let colors = alert_colors(*kind);
                let mut title = Style::body(m.body);
                title.bold = true;
                title.color = colors.0;
                let word = crate::locale::Locale::of(&self.doc.meta.lang)
                    .words
                    .alert(*kind);
                let title = vec![Piece::Text(word.to_owned(), title)];
                let frags = self.boxed(title, colors, blocks, indent, width);
                push_all(out, frags, gap);
            }
            Block::List {
                start,
                tight,
                items,
                ..
            } => self.list(*start, *tight, items, indent, width, out),
            Block::DefinitionList { items, .. } => {
                for item in items {
                    // A list item: the term is its label, the definitions its body.
                    let start = out.len();
                    let li = self.open(Role::ListItem);
                    let label = self.open(Role::Label);
                    let mut term = self.text_style(m.body);
                    term.bold = true;
                    let pieces = self.pieces(&item.term, &term);
                    let mut frags =
                        self.lines(&pieces, indent, width, Align::Left, m.leading, false);
                    frags.iter_mut().for_each(|f| f.keep_with_next = true);
                    self.close(label, &mut frags);
                    push_all(out, frags, gap);
                    let body = self.open(Role::ListBody);
                    let body_start = out.len();
                    for def in &item.definitions {
                        let mut inner = Vec::new();
                        let step = self.indent_step(m.body * 1.8, width);
                        self.blocks(def, indent + step, width - step, &mut inner);
                        push_all(out, inner, m.leading * 0.15);
                    }
                    self.close(body, &mut out[body_start..]);
                    self.close(li, &mut out[start..]);
                }
            }
            Block::Table {
                align,
                head,
                rows,
                spans,
                ..
            } => {
                let frags = self.table(align, head, rows, spans, indent, width);
                push_all(out, frags, gap);
            }
            Block::Figure {
                blocks, caption, ..
            } => {
                let image = match blocks.as_slice() {
                    [Block::Paragraph { content, .. }] => figure::lone_image(content),
                    _ => None,
                };
                let frags = match image {
                    Some((url, alt, link)) => self.figure(url, alt, caption, link, indent, width),
                    None => {
                        let mut frags = Vec::new();
                        self.blocks(blocks, indent, width, &mut frags);
                        if !caption.is_empty() {
                            // The caption never starts a page alone.
                            if let Some(last) = frags.last_mut() {
                                last.keep_with_next = true;
                            }
                            frags.append(&mut self.caption(caption, indent, width));
                        }
                        frags
                    }
                };
                push_all(out, frags, gap);
            }
            Block::Aligned {
                align,
                dir,
                lang,
                blocks,
                ..
            } => {
                let (saved, saved_dir, saved_lang) = (self.align, self.dir, self.lang.clone());
                self.align = match align {
                    crate::doc::Align::Center => Some(Align::Center),
                    crate::doc::Align::Right => Some(Align::Right),
                    crate::doc::Align::Left => Some(Align::Left),
                    // A direction alone (HTML `dir`): the paragraphs keep their alignment.
                    crate::doc::Align::None => saved,
                };
                if let Some(d) = dir {
                    self.dir = Some(d.rtl());
                }
                if let Some(lang) = lang {
                    self.lang = Some(lang.as_str().into());
                }
                let mut inner = Vec::new();
                self.blocks(blocks, indent, width, &mut inner);
                (self.align, self.dir, self.lang) = (saved, saved_dir, saved_lang);
                push_all(out, inner, gap);
            }
            Block::Details {
                summary, blocks, ..
            } => {
                let mut title = Style::body(m.body);
                title.bold = true;
                title.color = DETAILS.0;
                let title = self.pieces(summary, &title);
                let frags = self.boxed(title, DETAILS, blocks, indent, width);
                push_all(out, frags, gap);
            }
            Block::Anchor { id, .. } => out.push(Fragment {
                items: vec![Item::Anchor {
                    id: id.clone(),
                    y: 0.0,
                }],
                keep_with_next: true,
                ..Fragment::default()
            }),
            Block::Rule { .. } => {
                let w = width / 3.0;
                let y = m.leading * 0.5;
                out.push(Fragment {
                    height: m.leading,
                    space_before: gap,
                    items: vec![Item::Line {
                        x1: indent + (width - w) / 2.0,
                        y1: y,
                        x2: indent + (width + w) / 2.0,
                        y2: y,
                        width: 0.6,
                        color: self.doc.style.colors.rule.color(),
                    }],
                    ..Fragment::default()
                });
            }
            Block::Listing {
                number,
                file_name,
                caption,
                blocks,
                ..
            } => {
                let (number, file_name) = (number.as_deref(), file_name.as_deref());
                let frags = self.listing(number, file_name, caption, blocks, indent, width);
                push_all(out, frags, gap);
            }
            // A chapter of the book's top level opens a right-hand page and names the running
            // heads; a nested one (`Installation` under `Getting Started`) runs on like a
            // section of its chapter, as printed books set them, instead of leaving the rest
            // of a page empty for each of an mdBook's many small files.
            Block::Chapter { title, depth, .. } if *depth <= 1 => out.push(Fragment {
                keep_with_next: true,
                page_break: self
                    .doc
                    .style
                    .headings
                    .chapter_new_page
                    .then_some(PageBreak::Recto),
                running: Some(Arc::from(title.as_str())),
                ..Fragment::default()
            }),
            Block::Chapter { .. } => {}
            Block::Part { title, id, .. } => self.part(title, id, out),
            // Converted by the parser (`parse::html`); never reaches a backend.
            Block::Html { .. } => {}
        }
    }

    /// Marks the fragments of a figure, `out[start..]`, as one float. The anchor of the
    /// figure's own `id` (an HTML `<figure id>` becomes an anchor block just before it, at the
    /// same place in the source) goes with it, so that links land on the picture.
    fn mark_float(&self, out: &mut [Fragment], mut start: usize, loc: Loc) {
        if start >= out.len() {
            return;
        }
        if let Some(before) = start.checked_sub(1).and_then(|k| out.get(k)) {
            let anchor_only = before.height == 0.0
                && !before.items.is_empty()
                && before
                    .items
                    .iter()
                    .all(|it| matches!(it, Item::Anchor { .. }));
            if anchor_only && before.source == Some((loc, None)) {
                start -= 1;
            }
        }
        let len = out.len() - start;
        out[start].float = Some(Float {
            len,
            level: self.level,
            gap: self.m.leading * 0.75,
        });
    }

    /// A titled box (alerts, `<details>`): the title in the box colour, the content indented,
    /// a coloured bar on the left and a tint behind.
    fn boxed(
        &mut self,
        title: Vec<Piece>,
        (color, tint): (Color, Color),
        blocks: &[Block],
        indent: Pt,
        width: Pt,
    ) -> Vec<Fragment> {
        let m = self.m;
        let pad = self.indent_step(m.body * 1.1, width);
        let mut inner = if title.is_empty() {
            Vec::new()
        } else {
            self.lines(
                &title,
                indent + pad,
                width - pad * 1.5,
                Align::Left,
                m.leading,
                false,
            )
        };
        if let Some(first) = inner.first_mut() {
            first.height += m.body * 0.35;
            first
                .items
                .iter_mut()
                .for_each(|i| i.translate(0.0, m.body * 0.35));
            first.baseline = first.baseline.map(|b| b + m.body * 0.35);
        }
        if let Some(last) = inner.last_mut() {
            last.keep_with_next = true;
        }
        let mut body = Vec::new();
        self.blocks(blocks, indent + pad, width - pad * 1.5, &mut body);
        if let Some(f) = body.first_mut() {
            f.space_before = if inner.is_empty() {
                m.body * 0.5
            } else {
                m.body * 0.2
            };
        }
        push_all(&mut inner, body, 0.0);
        inner.push(Fragment {
            height: m.body * 0.5,
            ..Fragment::default()
        });
        let x = self.start_x(indent, m.body * 0.22);
        let tint = (tint, self.start_x(indent, width), width);
        bar(&mut inner, x, m.body * 0.22, color, Some(tint));
        inner
    }

    fn heading(
        &mut self,
        level: u8,
        id: &str,
        content: &[Inline],
        indent: Pt,
        width: Pt,
        out: &mut Vec<Fragment>,
    ) {
        let m = self.m;
        let h = self.doc.style.heading(level);
        let scale = h.size;
        let mut style = Style::body(m.body * scale);
        style.bold = h.bold;
        style.italic = h.italic;
        style.color = self.doc.style.colors.headings.color();
        let loc = self.loc;
        let mut pieces = vec![Piece::Anchor(id.to_owned())];
        pieces.extend(self.pieces(content, &style));
        let leading = (m.body * scale * 1.22).max(m.leading);
        let align = self.align.unwrap_or(Align::Left);
        self.origin = Some((loc, 0));
        let mut frags = self.lines(&pieces, indent, width, align, leading, false);
        self.origin = None;
        for f in &mut frags {
            f.keep_with_next = true;
        }
        if let Some(first) = frags.first_mut() {
            first.items.push(Item::Anchor {
                id: id.to_owned(),
                y: 0.0,
            });
            first.heading = Some(level);
        }
        if h.new_page {
            if let Some(first) = frags.first_mut() {
                first.page_break = Some(PageBreak::Page);
            }
        }
        push_all(out, frags, m.leading * h.above);
        if let Some(last) = out.last_mut() {
            last.height += m.leading * h.below;
        }
        self.flow.outline.push(OutlineEntry {
            level,
            title: plain_text(content).trim().to_owned(),
            anchor: id.to_owned(),
        });
    }

    /// A part title alone on a right-hand page, a third of the way down.
    fn part(&mut self, title: &str, id: &str, out: &mut Vec<Fragment>) {
        let m = self.m;
        let mut style = Style::body(m.body * 2.2);
        style.color = self.doc.style.colors.headings.color();
        style.bold = true;
        let pieces = [Piece::Text(title.to_owned(), style)];
        let leading = m.body * 2.2 * 1.25;
        let mut frags = self.lines(&pieces, 0.0, self.measure, Align::Center, leading, false);
        out.push(Fragment {
            height: self.max_height / 3.0,
            keep_with_next: true,
            page_break: Some(PageBreak::Recto),
            running: Some(Arc::from(title)),
            items: vec![Item::Anchor {
                id: id.to_owned(),
                y: 0.0,
            }],
            ..Fragment::default()
        });
        frags.iter_mut().for_each(|f| f.keep_with_next = true);
        out.extend(frags);
        // What follows the part title starts on a page of its own.
        out.push(Fragment {
            page_break: Some(PageBreak::Page),
            ..Fragment::default()
        });
        self.flow.outline.push(OutlineEntry {
            level: 1,
            title: title.trim().to_owned(),
            anchor: id.to_owned(),
        });
    }

    fn list(
        &mut self,
        start: Option<u64>,
        tight: bool,
        items: &[ListItem],
        indent: Pt,
        width: Pt,
        out: &mut Vec<Fragment>,
    ) {
        let m = self.m;
        // Bullets change shape with the number of enclosing bullet lists.
        let depth = self.list_depth;
        let bullets = usize::from(start.is_none());
        self.list_depth += bullets;
        let hang = match start {
            Some(s) => {
                let last = s.saturating_add(items.len() as u64);
                m.body * (0.9 + 0.55 * last.to_string().len() as Pt)
            }
            None => m.body * 1.5,
        };
        let hang = self.indent_step(hang, width);
        let item_gap = if tight {
            m.leading * 0.1
        } else {
            m.leading * 0.5
        };
        for (n, item) in items.iter().enumerate() {
            let li = self.open(Role::ListItem);
            let body = self.open(Role::ListBody);
            let mut inner = Vec::new();
            let saved = self.m;
            self.blocks(&item.blocks, indent + hang, width - hang, &mut inner);
            self.m = saved;
            self.close(body, &mut inner);
            if inner.is_empty() {
                inner.push(Fragment {
                    height: m.leading,
                    baseline: Some(m.leading * 0.75),
                    ..Fragment::default()
                });
            }
            let first = &mut inner[0];
            if tight {
                // A tight list's items are lines of one list, not paragraphs: the space a
                // paragraph keeps above itself gives way to the list's own item gap.
                first.space_before = 0.0;
            }
            let base = first.baseline.unwrap_or(m.leading * 0.75);
            let mut marker = self.text_style(m.body);
            let label = match start {
                Some(s) => format!("{}.", s.saturating_add(n as u64)),
                None => ["•", "◦", "▪"][depth % 3].to_owned(),
            };
            if let Some(done) = item.task {
                let x = self.start_x(indent + hang - m.body * 1.25, m.body * 0.75);
                first.items.extend(checkbox(x, base, m.body * 0.75, done));
            } else {
                if start.is_none() {
                    marker.color = Color(0.25, 0.25, 0.25);
                }
                let mut p = Paragraph::new(self.fonts, &self.doc.meta.lang, hang, false)
                    .direction(self.base_dir());
                p.add(&[Piece::Text(label, marker)]);
                let (lines, missing) = p.set(&[hang - m.body * 0.45], Align::Right);
                self.note_missing(missing);
                let x = self.start_x(indent, hang - m.body * 0.45);
                if let Some(line) = lines.into_iter().next() {
                    // The marker is read first: its items go before the body's.
                    let mut marker = line.items;
                    for it in &mut marker {
                        it.translate(x, base);
                    }
                    first.items.splice(0..0, marker);
                }
            }
            // Whatever the body did not claim on its first line is the marker.
            let label = self.open(Role::Label);
            self.close(label, &mut inner[..1]);
            self.close(li, &mut inner);
            push_all(out, inner, if n == 0 { m.leading * 0.5 } else { item_gap });
        }
        self.list_depth -= bullets;
    }

    /// How far a nested container indents: `step`, unless that would leave less than 40% of
    /// the measure (very deep nesting then stops indenting rather than squeezing text away).
    fn indent_step(&self, step: Pt, width: Pt) -> Pt {
        if width - step < self.measure * 0.4 {
            0.0
        } else {
            step
        }
    }

    /// Records characters no font could draw.
    pub fn note_missing(&mut self, missing: Vec<char>) {
        for c in missing {
            self.flow.missing.note(c, self.loc);
        }
    }

    /// Sets styled pieces as lines, one fragment per line, with widow and orphan control; the
    /// lines stand `indent` from the start margin (see [`Ctx::start_x`]).
    pub fn lines(
        &mut self,
        pieces: &[Piece],
        indent: Pt,
        width: Pt,
        align: Align,
        leading: Pt,
        hyphenate: bool,
    ) -> Vec<Fragment> {
        let x = self.start_x(indent, width);
        self.lines_at(pieces, x, width, align, leading, hyphenate)
    }

    /// [`Ctx::lines`] at `x` from the left edge whatever the direction (a table places its
    /// cells itself).
    pub fn lines_at(
        &mut self,
        pieces: &[Piece],
        indent: Pt,
        width: Pt,
        align: Align,
        leading: Pt,
        hyphenate: bool,
    ) -> Vec<Fragment> {
        let colors = &self.doc.style.colors;
        // A first-line indent: the first line is set shorter, and moved along in a left-to-right
        // paragraph (a right-to-left one is set from the right edge of its measure).
        let fi = std::mem::take(&mut self.first_indent).min(width / 2.0);
        let origin = self.origin;
        let chunks = long_paragraph_pieces(pieces);
        let mut frags: Vec<Fragment> = Vec::new();
        // Characters read in the pieces before this one (the offsets of the EPUB's page list).
        let mut read_before = 0;
        for (k, chunk) in chunks.iter().enumerate() {
            let (chunk, space) = chunk;
            let mut p = Paragraph::new(self.fonts, &self.doc.meta.lang, width, hyphenate)
                .direction(self.base_dir())
                .colors(colors.code_background.color(), colors.highlight.color());
            if k + 1 < chunks.len() {
                p = p.continues(*space);
            }
            let chunk: &[Piece] = chunk;
            p.add(chunk);
            let widths = if fi > 0.0 && k == 0 {
                vec![width - fi, width]
            } else {
                vec![width]
            };
            let (mut lines, missing) = p.set(&widths, align);
            if let Some(first) = lines.first_mut().filter(|l| fi > 0.0 && k == 0 && !l.rtl) {
                first.items.iter_mut().for_each(|it| it.translate(fi, 0.0));
            }
            self.note_missing(missing);
            // Where each line starts in the block's reading text (for the EPUB's page list),
            // all lines in one pass.
            let offsets = match origin {
                Some(_) => {
                    let mut starts: Vec<usize> = lines.iter().map(|l| l.start).collect();
                    starts.push(usize::MAX);
                    super::paragraph::reading_offsets(chunk, &starts)
                }
                None => Vec::new(),
            };
            frags.extend(lines.into_iter().enumerate().map(|(i, l)| {
                let mut f = line_fragment(l, indent, leading);
                f.source =
                    origin.map(|(loc, before)| (loc, Some(before + read_before + offsets[i])));
                f
            }));
            read_before += offsets.last().copied().unwrap_or(0);
        }
        let n = frags.len();
        if n >= 2 {
            frags[0].keep_with_next = true;
            frags[n - 2].keep_with_next = true;
        }
        frags
    }

    /// Lays out a footnote's body at note size.
    pub fn note(&mut self, number: u32, blocks: &[Block]) {
        let saved = self.m;
        let m = Metrics {
            body: saved.note,
            leading: saved.note * 1.3,
            ..saved
        };
        self.m = m;
        let mut frags = Vec::new();
        // Room for a three-digit number and its full stop.
        let hang = m.body * 2.3;
        // A note belongs to the document, not to the paragraph that calls it.
        let scope = self.open_in(None, Role::Note);
        self.blocks(blocks, hang, self.measure - hang, &mut frags);
        self.m = saved;
        if frags.is_empty() {
            frags.push(Fragment {
                height: m.leading,
                baseline: Some(m.leading * 0.75),
                ..Fragment::default()
            });
        }
        let base = frags[0].baseline.unwrap_or(m.leading * 0.75);
        let mut style = Style::body(m.body);
        style.color = self.doc.style.colors.link.color();
        style.link = Some(super::frame::LinkTarget::Anchor(format!("fnref-{number}")));
        let mut p =
            Paragraph::new(self.fonts, &self.doc.meta.lang, hang, false).direction(self.base_dir());
        p.add(&[Piece::Text(format!("{number}."), style)]);
        let (lines, _) = p.set(&[hang - m.body * 0.4], Align::Right);
        let x = self.start_x(0.0, hang - m.body * 0.4);
        let first = &mut frags[0];
        first.items.push(Item::Anchor {
            id: format!("fn-{number}"),
            y: 0.0,
        });
        if let Some(line) = lines.into_iter().next() {
            for mut it in line.items {
                it.translate(x, base);
                first.items.push(it);
            }
        }
        for f in &mut frags {
            f.space_before = f.space_before.min(m.leading * 0.2);
        }
        if let Some(f) = frags.first_mut() {
            f.space_before = m.leading * 0.25;
        }
        self.close(scope, &mut frags);
        self.flow.notes.insert(number, frags);
    }
}

/// The most text a paragraph is broken in at once. A longer one (a pasted text file with no
/// blank lines, a generated document) is cut at spaces into pieces about this long, set one
/// after another, each piece's last line justified like the others: breaking a paragraph
/// holds about 300 bytes of memory for every byte of its text, so one of megabytes would take
/// gigabytes, while no reader sees where pieces of this length meet.
const PARAGRAPH_PIECE: usize = 16 << 10;

/// `pieces` cut into runs of at most about [`PARAGRAPH_PIECE`] bytes of text, each with
/// whether a space stood at its end: at the last space within the size (the space dropped:
/// the line before it ends in a space of its own), else at the last place UAX #14 lets a line
/// break (between two ideographs, after a hyphen), else (a word longer than a chunk) between
/// two characters. One run holding them all when they are shorter.
fn long_paragraph_pieces(pieces: &[Piece]) -> Vec<(std::borrow::Cow<'_, [Piece]>, bool)> {
    let total: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t, _) => t.len(),
            _ => 0,
        })
        .sum();
    if total <= PARAGRAPH_PIECE {
        return vec![(std::borrow::Cow::Borrowed(pieces), false)];
    }
    let mut chunks: Vec<(Vec<Piece>, bool)> = vec![(Vec::new(), false)];
    let mut size = 0;
    for piece in pieces {
        let Piece::Text(text, style) = piece else {
            chunks
                .last_mut()
                .expect("one chunk at least")
                .0
                .push(piece.clone());
            continue;
        };
        let mut rest = text.as_str();
        while rest.len() > PARAGRAPH_PIECE.saturating_sub(size) {
            let mut end = PARAGRAPH_PIECE.saturating_sub(size);
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            if end == 0 {
                // The piece before filled the chunk: this one starts the next.
                chunks.push((Vec::new(), false));
                size = 0;
                continue;
            }
            // (where the chunk ends, where the next begins)
            let cut = rest[..end]
                .rfind(' ')
                .filter(|&at| at > 0)
                .map(|at| (at, at + 1))
                .or_else(|| {
                    super::segment::break_opportunities(&rest[..end])
                        .into_iter()
                        .rev()
                        .find(|&(at, kind)| {
                            kind == super::segment::Opportunity::Allowed && at < end
                        })
                        .map(|(at, _)| (at, at))
                })
                .or_else(|| {
                    // One word longer than a chunk: layout cuts it anywhere in an emergency
                    // anyway, so it may be cut between two characters here too.
                    let at = *super::segment::grapheme_splits(&rest[..end]).last()?;
                    Some((at, at))
                })
                .filter(|&(_, next)| next < rest.len() && next > 0);
            let Some((at, next)) = cut else { break };
            let chunk = chunks.last_mut().expect("one chunk at least");
            chunk
                .0
                .push(Piece::Text(rest[..at].to_string(), style.clone()));
            chunk.1 = next > at;
            chunks.push((Vec::new(), false));
            size = 0;
            rest = &rest[next..];
        }
        if !rest.is_empty() {
            chunks
                .last_mut()
                .expect("one chunk at least")
                .0
                .push(Piece::Text(rest.to_string(), style.clone()));
            size += rest.len();
        }
    }
    chunks.retain(|(c, _)| !c.is_empty());
    chunks
        .into_iter()
        .map(|(c, space)| (std::borrow::Cow::Owned(c), space))
        .collect()
}

/// A set line as a fragment: the line's box centred in its leading.
pub fn line_fragment(line: LineBox, indent: Pt, leading: Pt) -> Fragment {
    let content = line.ascent + line.descent;
    let height = leading.max(content * 1.08);
    let baseline = (height - content) / 2.0 + line.ascent;
    let mut items = line.items;
    for it in &mut items {
        it.translate(indent, baseline);
    }
    Fragment {
        height,
        items,
        notes: line.notes,
        baseline: Some(baseline),
        hyphenated: line.hyphenated,
        ..Fragment::default()
    }
}

/// Appends fragments, putting `space` before the first one.
pub fn push_all(out: &mut Vec<Fragment>, mut frags: Vec<Fragment>, space: Pt) {
    if let Some(first) = frags.first_mut() {
        first.space_before = first.space_before.max(space);
    }
    out.append(&mut frags);
}

/// Draws a vertical bar at `x` (and optionally a tinted background at `.1`, `.2` wide) beside
/// every fragment, covering the gaps between them so the bar reads as one line across the block.
fn bar(frags: &mut [Fragment], x: Pt, w: Pt, color: Color, tint: Option<(Color, Pt, Pt)>) {
    for (i, f) in frags.iter_mut().enumerate() {
        let top = if i == 0 { 0.0 } else { -f.space_before };
        let h = f.height - top;
        let mut deco = vec![Item::Rect {
            x,
            y: top,
            w,
            h,
            fill: Some(color),
            stroke: None,
        }];
        if let Some((tint, tx, width)) = tint {
            deco.insert(
                0,
                Item::Rect {
                    x: tx,
                    y: top,
                    w: width,
                    h,
                    fill: Some(tint),
                    stroke: None,
                },
            );
        }
        deco.append(&mut f.items);
        f.items = deco;
    }
}

/// The colours of a `<details>` box: neutral grey.
const DETAILS: (Color, Color) = (Color(0.3, 0.3, 0.33), Color(0.96, 0.96, 0.96));

fn alert_colors(kind: crate::doc::AlertKind) -> (Color, Color) {
    use crate::doc::AlertKind::*;
    match kind {
        Note => (Color(0.12, 0.35, 0.7), Color(0.94, 0.96, 0.99)),
        Tip => (Color(0.1, 0.45, 0.2), Color(0.94, 0.98, 0.95)),
        Important => (Color(0.45, 0.25, 0.7), Color(0.96, 0.95, 0.99)),
        Warning => (Color(0.6, 0.4, 0.0), Color(0.99, 0.97, 0.92)),
        Caution => (Color(0.7, 0.12, 0.12), Color(0.99, 0.94, 0.94)),
    }
}

/// A task-list box: a square, ticked when done.
fn checkbox(x: Pt, baseline: Pt, size: Pt, done: bool) -> Vec<Item> {
    let top = baseline - size * 0.9;
    let mut items = vec![Item::Rect {
        x,
        y: top,
        w: size,
        h: size,
        fill: None,
        stroke: Some((Color(0.2, 0.2, 0.2), 0.6)),
    }];
    if done {
        let c = Color(0.1, 0.1, 0.1);
        items.push(Item::Line {
            x1: x + size * 0.2,
            y1: top + size * 0.5,
            x2: x + size * 0.42,
            y2: top + size * 0.78,
            width: 1.0,
            color: c,
        });
        items.push(Item::Line {
            x1: x + size * 0.42,
            y1: top + size * 0.78,
            x2: x + size * 0.85,
            y2: top + size * 0.15,
            width: 1.0,
            color: c,
        });
    }
    items
}

/// Whether a block is a figure that may float: a picture (image or SVG) with its caption, or
/// a table a `<figure>` or a `<caption>` makes one (a plain table stays where it is written).
fn floats(block: &Block) -> bool {
    match block {
        Block::Figure { blocks, .. } => match blocks.as_slice() {
            [Block::Paragraph { content, .. }] => figure::lone_image(content).is_some(),
            [Block::Table { .. }] => true,
            _ => false,
        },
        _ => false,
    }
}

/// The structure node a block opens (`None`: it has no meaning of its own, or its parts open
/// theirs).
fn role(block: &Block) -> Option<Role> {
    Some(match block {
        Block::Paragraph { content, .. } if figure::lone_image(content).is_some() => return None,
        Block::Paragraph { .. } => Role::Paragraph,
        Block::Heading { level, content, .. } => Role::Heading {
            level: *level,
            title: plain_text(content).trim().to_owned(),
        },
        Block::CodeBlock { .. } => Role::Code,
        Block::Quote { .. } => Role::BlockQuote,
        Block::Alert { .. } | Block::Details { .. } | Block::Listing { .. } => Role::Div,
        Block::List { start, .. } => Role::List {
            ordered: start.is_some(),
        },
        Block::DefinitionList { .. } => Role::List { ordered: false },
        Block::Table { .. } => Role::Table,
        Block::Part { title, .. } => Role::Heading {
            level: 1,
            title: title.clone(),
        },
        Block::Figure { .. }
        | Block::Aligned { .. }
        | Block::Anchor { .. }
        | Block::Rule { .. }
        | Block::Chapter { .. }
        | Block::Html { .. } => return None,
    })
}

#[cfg(test)]
mod long_paragraph_tests {
    use super::*;

    fn texts(chunks: &[(std::borrow::Cow<'_, [Piece]>, bool)]) -> Vec<(String, bool)> {
        chunks
            .iter()
            .map(|(c, space)| {
                let t: String = c
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t, _) => t.as_str(),
                        _ => "|",
                    })
                    .collect();
                (t, *space)
            })
            .collect()
    }

    #[test]
    fn long_paragraphs_are_cut_at_spaces_breaks_or_characters_and_nothing_is_lost() {
        let style = Style::body(10.0);
        let piece = |t: &str| Piece::Text(t.to_string(), style.clone());
        // Short: the pieces themselves.
        let short = [piece("a b"), Piece::Break, piece("c")];
        let chunks = long_paragraph_pieces(&short);
        assert!(matches!(
            chunks[..],
            [(std::borrow::Cow::Borrowed(_), false)]
        ));
        // Words: cut at spaces, which are dropped and remembered; every piece close to the size.
        let words = "word ".repeat(10_000);
        let long = [piece(words.trim_end()), Piece::Break, piece("tail")];
        let got = texts(&long_paragraph_pieces(&long));
        assert!(got.len() >= 3, "{}", got.len());
        assert!(got[..got.len() - 1].iter().all(|(t, space)| *space
            && t.len() <= PARAGRAPH_PIECE
            && t.len() > PARAGRAPH_PIECE - 10
            && !t.ends_with(' ')));
        let joined: Vec<String> = got.iter().map(|(t, _)| t.clone()).collect();
        assert_eq!(joined.join(" "), format!("{}|tail", words.trim_end()));
        // Ideographs: cut between two, nothing dropped, no space.
        let han = "漢字".repeat(5_000);
        let got = texts(&long_paragraph_pieces(&[piece(&han)]));
        assert!(got.len() >= 2 && got[..got.len() - 1].iter().all(|(_, space)| !space));
        assert_eq!(got.iter().map(|(t, _)| t.as_str()).collect::<String>(), han);
        // One giant word: cut between two characters, never inside one.
        let giant = "aé=".repeat(20_000);
        let got = texts(&long_paragraph_pieces(&[piece(&giant)]));
        assert!(got.len() >= 3);
        assert_eq!(
            got.iter().map(|(t, _)| t.as_str()).collect::<String>(),
            giant
        );
        // A piece that fills a chunk exactly, then a giant word: the word starts the next
        // chunk and is cut too; no chunk is larger than the size.
        let (full, word) = ("x".repeat(PARAGRAPH_PIECE), "y".repeat(3 * PARAGRAPH_PIECE));
        let got = texts(&long_paragraph_pieces(&[piece(&full), piece(&word)]));
        assert!(
            got.iter().all(|(t, _)| t.len() <= PARAGRAPH_PIECE),
            "{}",
            got.len()
        );
        assert_eq!(
            got.iter().map(|(t, _)| t.as_str()).collect::<String>(),
            full + &word
        );
    }
}
