//! Raw HTML in Markdown, read once with an HTML5 parser into the model.
//!
//! Markdown hands raw HTML over in pieces: an HTML block may open `<details>` and a later one
//! close it, with Markdown paragraphs between; inline tags come one per event around Markdown
//! text. So each list of blocks (and each list of inlines) that holds raw HTML is written out
//! as one HTML fragment in which every Markdown node is a placeholder element, the fragment is
//! parsed by html5ever (through scraper) exactly as a browser would build it (implied end tags,
//! tables, entities), and the tree is mapped onto the model with the Markdown nodes put back
//! where their placeholders landed. No backend ever reads HTML.
//!
//! What the model has no place for is said once: elements whose content must never reach the
//! page (`<style>`, `<script>`, forms...) in one warning per source, any other unknown element
//! (its text kept) in one warning per tag name.

use crate::doc::{Align, Block, CellSpan, Definition, Inline, ListItem, Loc, Row, SpanKind};
use crate::error::Diagnostic;
use ego_tree::NodeRef;
use scraper::{Html, Node};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The placeholder element standing for a Markdown block or inline.
const HOLD: &str = "bindery-held";
/// Starts the comment that marks where each raw HTML piece begins (private-use character, so
/// an author's own comment cannot look like one).
const MARK: char = '\u{E000}';
/// Widest table bindery builds from `colspan` (a hostile `colspan=100000` cannot allocate).
const MAX_COLS: usize = 1000;
/// Deepest element nesting mapped as structure; deeper content keeps only its text.
const MAX_DEPTH: usize = 64;

/// Elements whose content never reaches the page.
const DROPPED: &[&str] = &[
    "style", "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "output",
    "fieldset", "legend", "label", "meter", "progress", "canvas", "audio", "video", "source",
    "track", "map", "area", "head", "title", "meta", "link", "base", "dialog", "slot", "svg",
    "math",
];

/// Containers with no meaning for print beyond grouping their content.
const GROUPS: &[&str] = &[
    "div", "section", "article", "header", "footer", "main", "nav", "aside", "address", "hgroup",
    "search", "body", "html", "picture",
];

/// Inline elements whose content is kept as it is.
const PLAIN_INLINE: &[&str] = &["span", "bdi", "bdo", "time", "data", "font", "nobr"];

/// Turns every raw HTML block and inline in `blocks` (and in the footnote bodies) into model
/// nodes. Warnings go to `warnings`, located in `path`.
pub fn read(
    path: &Path,
    blocks: &mut Vec<Block>,
    notes: &mut [(usize, Vec<Block>, Loc)],
    warnings: &mut Vec<Diagnostic>,
) {
    let mut reader = Reader {
        path,
        warnings,
        dropped: Vec::new(),
        unknown: BTreeMap::new(),
    };
    reader.block_lists(blocks);
    for (_, body, _) in notes.iter_mut() {
        reader.block_lists(body);
    }
    reader.inline_lists(blocks);
    for (_, body, _) in notes.iter_mut() {
        reader.inline_lists(body);
    }
    // A paragraph that held only what is left out (`<noscript>x</noscript>`) is gone.
    let keep = |b: &Block| !matches!(b, Block::Paragraph { content, .. } if content.is_empty());
    crate::doc::retain_blocks(blocks, &keep);
    for (_, body, _) in notes.iter_mut() {
        crate::doc::retain_blocks(body, &keep);
    }
    reader.finish();
}

struct Reader<'a> {
    path: &'a Path,
    warnings: &'a mut Vec<Diagnostic>,
    /// Elements left out, with where: said in one warning at the end.
    dropped: Vec<(String, Loc)>,
    /// Unknown elements (text kept) by name, with the first place.
    unknown: BTreeMap<String, Loc>,
}

/// One raw HTML piece of a fragment: where it starts and its text (to find a tag's own line).
struct Origin {
    loc: Loc,
    html: String,
}

/// The state of mapping one parsed fragment.
struct Walk<'r, 'a> {
    reader: &'r mut Reader<'a>,
    /// Markdown blocks between raw pieces, one entry per run of consecutive blocks: a run
    /// needs only one placeholder (consecutive placeholders land in the same parent whatever the
    /// HTML around them), and the HTML parser's time grows with the placeholders it reads.
    blocks: Vec<Option<Vec<Block>>>,
    inlines: Vec<Option<Inline>>,
    origins: Vec<Origin>,
    /// The raw piece being read (by the marker comments seen so far).
    current: usize,
    /// Where the fragment starts (before any marker).
    start: Loc,
    depth: usize,
    /// Nesting of `<q>`, for alternating quote marks.
    quotes: usize,
}

impl Reader<'_> {
    /// Converts the raw HTML blocks of every block list, innermost lists first.
    fn block_lists(&mut self, blocks: &mut Vec<Block>) {
        for block in blocks.iter_mut() {
            match block {
                Block::Quote { blocks, .. }
                | Block::Alert { blocks, .. }
                | Block::Listing { blocks, .. }
                | Block::Aligned { blocks, .. }
                | Block::Details { blocks, .. }
                | Block::Figure { blocks, .. } => self.block_lists(blocks),
                Block::List { items, .. } => items
                    .iter_mut()
                    .for_each(|i| self.block_lists(&mut i.blocks)),
                Block::DefinitionList { items, .. } => items
                    .iter_mut()
                    .flat_map(|i| i.definitions.iter_mut())
                    .for_each(|d| self.block_lists(d)),
                _ => {}
            }
        }
        if !blocks.iter().any(|b| matches!(b, Block::Html { .. })) {
            return;
        }
        let start = blocks.first().map(Block::loc).unwrap_or_default();
        let mut source = String::new();
        let mut walk = Walk::new(self, start);
        let mut run_open = false;
        for block in blocks.drain(..) {
            match block {
                Block::Html { html, loc } => {
                    walk.raw(&mut source, html, loc);
                    run_open = false;
                }
                other => match walk.blocks.last_mut() {
                    Some(Some(run)) if run_open => run.push(other),
                    _ => {
                        let _ = write!(source, "<{HOLD} b=\"{}\"></{HOLD}>", walk.blocks.len());
                        walk.blocks.push(Some(vec![other]));
                        run_open = true;
                    }
                },
            }
        }
        let dom = Html::parse_fragment(&source);
        let mut out = Vec::new();
        walk.blocks_of(dom.tree.root(), &mut out);
        walk.restore_lost(&mut out);
        *blocks = out;
    }

    /// Converts the raw inline HTML of every list of inlines.
    fn inline_lists(&mut self, blocks: &mut [Block]) {
        crate::doc::visit_inline_lists_mut(blocks, &mut |list, loc| {
            if list.iter().any(|i| matches!(i, Inline::Html { .. })) {
                self.inline_list(list, loc);
            }
        });
    }

    fn inline_list(&mut self, list: &mut Vec<Inline>, loc: Loc) {
        let mut source = String::new();
        let mut walk = Walk::new(self, loc);
        for inline in list.drain(..) {
            match inline {
                Inline::Html { html } => walk.raw(&mut source, html, loc),
                Inline::Text { text } => escape_into(&mut source, &text),
                other => {
                    let _ = write!(source, "<{HOLD} i=\"{}\"></{HOLD}>", walk.inlines.len());
                    walk.inlines.push(Some(other));
                }
            }
        }
        let dom = Html::parse_fragment(&source);
        let mut out = Vec::new();
        walk.inlines_of(dom.tree.root(), &mut out);
        // Anything the HTML swallowed (an unclosed `<script>`) is put back rather than lost.
        let lost: Vec<Inline> = walk.inlines.iter_mut().filter_map(Option::take).collect();
        if !lost.is_empty() {
            walk.reader.warn(
                loc,
                "inline HTML left an element open that hid the text after it; the text is kept"
                    .into(),
            );
            out.extend(lost);
        }
        // A break at either end of a run of text shows nothing (`<foo>` content, `<br>` last).
        while matches!(out.last(), Some(Inline::HardBreak)) {
            out.pop();
        }
        while matches!(out.first(), Some(Inline::HardBreak)) {
            out.remove(0);
        }
        *list = merge_text(out);
    }

    fn warn(&mut self, loc: Loc, message: String) {
        self.warnings.push(Diagnostic::warning_at(
            crate::error::Code::Html,
            self.path,
            loc,
            message,
        ));
    }

    /// The warnings that summarise a whole source.
    fn finish(&mut self) {
        self.dropped.sort_by_key(|(_, loc)| *loc);
        if let Some((_, first)) = self.dropped.first() {
            let first = *first;
            let mut names: Vec<String> = Vec::new();
            for (name, loc) in &self.dropped {
                let entry = format!("<{name}> (line {})", loc.line);
                if !names.contains(&entry) {
                    names.push(entry);
                }
            }
            let shown = names.len().min(8);
            let more = names.len() - shown;
            let mut list = names[..shown].join(", ");
            if more > 0 {
                let _ = write!(list, " and {more} more");
            }
            self.warn(
                first,
                format!("HTML left out of both outputs (scripts, styles, forms and embedded content have no place on a page): {list}"),
            );
        }
        for (name, loc) in std::mem::take(&mut self.unknown) {
            self.warn(
                loc,
                format!("HTML element <{name}> is not supported; its text is kept"),
            );
        }
    }
}

impl<'r, 'a> Walk<'r, 'a> {
    fn new(reader: &'r mut Reader<'a>, start: Loc) -> Self {
        Walk {
            reader,
            blocks: Vec::new(),
            inlines: Vec::new(),
            origins: Vec::new(),
            current: usize::MAX,
            start,
            depth: 0,
            quotes: 0,
        }
    }

    /// Appends a raw HTML piece, behind a marker comment saying where it comes from.
    fn raw(&mut self, source: &mut String, html: String, loc: Loc) {
        let _ = write!(source, "<!--{MARK}{}-->", self.origins.len());
        source.push_str(&html);
        self.origins.push(Origin { loc, html });
    }

    /// Where an element named `name` (the next one of its kind in the current piece) starts.
    fn loc_of(&self, name: &str) -> Loc {
        let Some(origin) = self.origins.get(self.current) else {
            return self.start;
        };
        let lower = origin.html.to_ascii_lowercase();
        match lower.find(&format!("<{name}")) {
            Some(at) => {
                let before = &origin.html[..at];
                let lines = before.matches('\n').count() as u32;
                let col = match before.rfind('\n') {
                    Some(nl) => before[nl + 1..].chars().count() as u32 + 1,
                    None => origin.loc.col + before.chars().count() as u32,
                };
                Loc {
                    file: origin.loc.file,
                    line: origin.loc.line + lines,
                    col,
                    len: 0,
                }
            }
            None => origin.loc,
        }
    }

    /// The location of the piece being read.
    fn here(&self) -> Loc {
        self.origins.get(self.current).map_or(self.start, |o| o.loc)
    }

    fn comment(&mut self, text: &str) {
        if let Some(n) = text.strip_prefix(MARK).and_then(|n| n.parse().ok()) {
            self.current = n;
        }
    }

    fn drop_element(&mut self, name: &str) {
        let loc = self.loc_of(name);
        self.reader.dropped.push((name.to_owned(), loc));
    }

    fn unknown(&mut self, name: &str) {
        let loc = self.loc_of(name);
        self.reader.unknown.entry(name.to_owned()).or_insert(loc);
    }

    /// Markdown blocks whose placeholder the HTML swallowed (inside an unclosed `<style>` or
    /// `<textarea>`, where everything is text) are put back, in order, rather than lost.
    fn restore_lost(&mut self, out: &mut Vec<Block>) {
        let lost: Vec<Block> = self
            .blocks
            .iter_mut()
            .filter_map(Option::take)
            .flatten()
            .collect();
        if let Some(first) = lost.first() {
            let loc = first.loc();
            self.reader.warn(
                loc,
                "raw HTML before this point leaves an element open that would hide the rest; the Markdown after it is kept".into(),
            );
            out.extend(lost);
        }
    }

    /// Maps the children of `node` as block content.
    fn blocks_of(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Block>) {
        let mut pending: Vec<Inline> = Vec::new();
        for child in node.children() {
            match child.value() {
                Node::Text(text) => push_html_text(&mut pending, text),
                Node::Comment(c) => self.comment(c),
                Node::Element(el) => {
                    let name = el.name();
                    if name == HOLD {
                        if let Some(block) = el
                            .attr("b")
                            .and_then(|n| n.parse::<usize>().ok())
                            .and_then(|n| self.blocks.get_mut(n))
                            .and_then(Option::take)
                        {
                            self.flush(&mut pending, out);
                            out.extend(block);
                        } else {
                            self.inline_element(child, &mut pending);
                        }
                    } else if is_inline(name) {
                        self.inline_element(child, &mut pending);
                    } else {
                        self.flush(&mut pending, out);
                        self.block_element(child, out);
                    }
                }
                _ => {}
            }
        }
        self.flush(&mut pending, out);
    }

    /// Inline content collected between blocks becomes a paragraph (white space alone does not).
    fn flush(&mut self, pending: &mut Vec<Inline>, out: &mut Vec<Block>) {
        let content = trim_inlines(merge_text(std::mem::take(pending)));
        if !content.is_empty() {
            out.push(Block::Paragraph {
                content,
                loc: self.here(),
            });
        }
    }

    fn block_element(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Block>) {
        let Node::Element(el) = node.value() else {
            return;
        };
        let name = el.name();
        if DROPPED.contains(&name) {
            self.drop_element(name);
            return;
        }
        if self.depth >= MAX_DEPTH {
            let mut content = Vec::new();
            self.inlines_of(node, &mut content);
            self.flush(&mut content, out);
            return;
        }
        self.depth += 1;
        let loc = self.loc_of(name);
        let id = el.attr("id").filter(|id| !id.trim().is_empty());
        let align = alignment(el.attr("align"), el.attr("style"));
        let dir = el.attr("dir").and_then(crate::doc::Direction::from_attr);
        let lang = self.lang_of(node);
        let start = out.len();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                let mut content = Vec::new();
                self.inlines_of(node, &mut content);
                let heading = Block::Heading {
                    level,
                    id: id.map(|s| s.trim().to_owned()).unwrap_or_default(),
                    classes: el.classes().map(str::to_owned).collect(),
                    attrs: Vec::new(),
                    content: trim_inlines(merge_text(content)),
                    loc,
                };
                aligned(align, vec![heading], loc, out);
            }
            "p" | "summary" => {
                anchor(id, loc, out);
                let mut content = Vec::new();
                self.inlines_of(node, &mut content);
                let content = trim_inlines(merge_text(content));
                if !content.is_empty() {
                    aligned(align, vec![Block::Paragraph { content, loc }], loc, out);
                }
            }
            "center" => {
                anchor(id, loc, out);
                let mut blocks = Vec::new();
                self.blocks_of(node, &mut blocks);
                aligned(Some(Align::Center), blocks, loc, out);
            }
            "blockquote" => {
                anchor(id, loc, out);
                let mut blocks = Vec::new();
                self.blocks_of(node, &mut blocks);
                out.push(Block::Quote { blocks, loc });
            }
            "ul" | "ol" | "menu" | "dir" => {
                anchor(id, loc, out);
                let list = self.list(node, name == "ol", loc);
                out.push(list);
            }
            "li" => {
                // A list item outside a list is its content.
                anchor(id, loc, out);
                self.blocks_of(node, out);
            }
            "dl" => {
                anchor(id, loc, out);
                let list = self.definitions(node, loc);
                out.push(list);
            }
            "table" => {
                anchor(id, loc, out);
                self.table(node, loc, out);
            }
            "pre" | "listing" | "xmp" | "plaintext" if !holds_markdown(node) => {
                anchor(id, loc, out);
                out.push(code_block(node, loc));
            }
            "hr" => out.push(Block::Rule { loc }),
            "figure" => {
                anchor(id, loc, out);
                let mut blocks = Vec::new();
                let mut caption = Vec::new();
                let mut rest = Vec::new();
                for child in node.children() {
                    if element_name(child) == Some("figcaption") {
                        self.inlines_in_language(child, &mut caption);
                    } else {
                        rest.push(child);
                    }
                }
                self.blocks_of_nodes(&rest, &mut blocks);
                out.push(Block::Figure {
                    blocks,
                    caption: trim_inlines(merge_text(caption)),
                    loc,
                });
            }
            "details" => {
                anchor(id, loc, out);
                let mut summary = Vec::new();
                let mut rest = Vec::new();
                let mut seen = false;
                for child in node.children() {
                    if !seen && element_name(child) == Some("summary") {
                        seen = true;
                        self.inlines_in_language(child, &mut summary);
                    } else {
                        rest.push(child);
                    }
                }
                let mut blocks = Vec::new();
                self.blocks_of_nodes(&rest, &mut blocks);
                out.push(Block::Details {
                    summary: trim_inlines(merge_text(summary)),
                    blocks,
                    loc,
                });
            }
            "br" | "wbr" => {}
            _ => {
                let preformatted = matches!(name, "pre" | "listing" | "xmp" | "plaintext");
                if !GROUPS.contains(&name) && !is_table_part(name) && !preformatted {
                    self.unknown(name);
                }
                anchor(id, loc, out);
                let mut blocks = Vec::new();
                self.blocks_of(node, &mut blocks);
                aligned(align, blocks, loc, out);
            }
        }
        if let Some(dir) = dir {
            directed(dir, out, start, loc);
        }
        if let Some(lang) = lang {
            let produced = out.drain(start..).collect();
            out.extend(in_language(&lang, produced, loc));
        }
        self.depth -= 1;
    }

    /// Block content of some of an element's children (a figure without its caption).
    fn blocks_of_nodes(&mut self, nodes: &[NodeRef<'_, Node>], out: &mut Vec<Block>) {
        let mut pending = Vec::new();
        for &child in nodes {
            match child.value() {
                Node::Text(text) => push_html_text(&mut pending, text),
                Node::Comment(c) => self.comment(c),
                Node::Element(el) => {
                    let name = el.name();
                    if name == HOLD && el.attr("b").is_some() {
                        if let Some(block) = el
                            .attr("b")
                            .and_then(|n| n.parse::<usize>().ok())
                            .and_then(|n| self.blocks.get_mut(n))
                            .and_then(Option::take)
                        {
                            self.flush(&mut pending, out);
                            out.extend(block);
                        }
                    } else if is_inline(name) {
                        self.inline_element(child, &mut pending);
                    } else {
                        self.flush(&mut pending, out);
                        self.block_element(child, out);
                    }
                }
                _ => {}
            }
        }
        self.flush(&mut pending, out);
    }

    fn list(&mut self, node: NodeRef<'_, Node>, ordered: bool, loc: Loc) -> Block {
        let start = ordered.then(|| {
            element(node)
                .and_then(|e| e.attr("start"))
                .and_then(|s| s.trim().parse::<u64>().ok())
                .unwrap_or(1)
        });
        let mut items: Vec<ListItem> = Vec::new();
        for child in node.children() {
            match child.value() {
                Node::Comment(c) => self.comment(c),
                Node::Element(el) if el.name() == "li" => {
                    let task = task_marker(child);
                    let mut blocks = Vec::new();
                    self.blocks_of(child, &mut blocks);
                    if let Some(lang) = self.lang_of(child) {
                        blocks = in_language(&lang, blocks, loc);
                    }
                    items.push(ListItem { task, blocks });
                }
                Node::Text(t) if t.trim().is_empty() => {}
                _ => {
                    // Stray content between items belongs to the item before it.
                    let mut blocks = Vec::new();
                    self.blocks_of_nodes(&[child], &mut blocks);
                    match items.last_mut() {
                        Some(item) => item.blocks.append(&mut blocks),
                        None if !blocks.is_empty() => items.push(ListItem { task: None, blocks }),
                        None => {}
                    }
                }
            }
        }
        Block::List {
            start,
            tight: true,
            items,
            loc,
        }
    }

    fn definitions(&mut self, node: NodeRef<'_, Node>, loc: Loc) -> Block {
        let mut items: Vec<Definition> = Vec::new();
        for child in node.children() {
            match (child.value(), element_name(child)) {
                (Node::Comment(c), _) => self.comment(c),
                (_, Some("dt")) => {
                    let mut term = Vec::new();
                    self.inlines_in_language(child, &mut term);
                    items.push(Definition {
                        term: trim_inlines(merge_text(term)),
                        definitions: Vec::new(),
                    });
                }
                (_, Some("dd")) => {
                    let mut blocks = Vec::new();
                    self.blocks_of(child, &mut blocks);
                    if let Some(lang) = self.lang_of(child) {
                        blocks = in_language(&lang, blocks, loc);
                    }
                    match items.last_mut() {
                        Some(item) => item.definitions.push(blocks),
                        None => items.push(Definition {
                            term: Vec::new(),
                            definitions: vec![blocks],
                        }),
                    }
                }
                (Node::Text(t), _) if t.trim().is_empty() => {}
                _ => {
                    // `<div>` groups of `<dt>`/`<dd>` are allowed by HTML.
                    if let Block::DefinitionList { items: inner, .. } = self.definitions(child, loc)
                    {
                        items.extend(inner);
                    }
                }
            }
        }
        Block::DefinitionList { items, loc }
    }

    fn table(&mut self, node: NodeRef<'_, Node>, loc: Loc, out: &mut Vec<Block>) {
        struct RawCell {
            head: bool,
            cols: usize,
            rows: usize,
            align: Option<Align>,
            content: Vec<Inline>,
        }
        let mut caption = Vec::new();
        // (is a `<thead>` row, cells)
        let mut raw_rows: Vec<(bool, Vec<RawCell>)> = Vec::new();
        let mut row_nodes: Vec<(bool, NodeRef<'_, Node>)> = Vec::new();
        for child in node.children() {
            match element_name(child) {
                Some("caption") => self.inlines_in_language(child, &mut caption),
                Some("thead") | Some("tbody") | Some("tfoot") => {
                    let head = element_name(child) == Some("thead");
                    for row in child.children() {
                        match row.value() {
                            Node::Comment(c) => self.comment(c),
                            _ if element_name(row) == Some("tr") => row_nodes.push((head, row)),
                            _ => {}
                        }
                    }
                }
                Some("tr") => row_nodes.push((false, child)),
                _ => {
                    if let Node::Comment(c) = child.value() {
                        self.comment(c);
                    }
                }
            }
        }
        for (head, row) in row_nodes {
            let mut cells = Vec::new();
            for cell in row.children() {
                let Some(el) = element(cell) else {
                    if let Node::Comment(c) = cell.value() {
                        self.comment(c);
                    }
                    continue;
                };
                if !matches!(el.name(), "td" | "th") {
                    continue;
                }
                let span = |name: &str, max: usize| {
                    el.attr(name)
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .map_or(1, |n| n.clamp(1, max))
                };
                let mut blocks = Vec::new();
                self.blocks_of(cell, &mut blocks);
                let mut content = flatten(blocks);
                if let Some(lang) = self.lang_of(cell) {
                    content = with_language(lang, content);
                }
                cells.push(RawCell {
                    head: el.name() == "th",
                    cols: span("colspan", MAX_COLS),
                    rows: span("rowspan", 65_534),
                    align: alignment(el.attr("align"), el.attr("style")),
                    content,
                });
            }
            raw_rows.push((head, cells));
        }
        // Header rows: the `<thead>` rows, else the leading rows made only of `<th>` cells.
        let explicit = raw_rows.iter().any(|(head, _)| *head);
        let heads = if explicit {
            raw_rows.iter().take_while(|(head, _)| *head).count()
        } else {
            raw_rows
                .iter()
                .take_while(|(_, cells)| !cells.is_empty() && cells.iter().all(|c| c.head))
                .count()
        };
        // A colspan wider than the table (`colspan=100000` for "the whole row") spans the
        // table: the widest row made of ordinary spans bounds every span.
        let plain = raw_rows
            .iter()
            .filter(|(_, cells)| cells.iter().all(|c| c.cols <= 100))
            .map(|(_, cells)| cells.iter().map(|c| c.cols).sum::<usize>())
            .max();
        let bound = plain
            .or_else(|| raw_rows.iter().map(|(_, cells)| cells.len()).max())
            .unwrap_or(1)
            .max(1);
        for (_, cells) in raw_rows.iter_mut() {
            cells.iter_mut().for_each(|c| c.cols = c.cols.min(bound));
        }
        // Place cells on a grid, skipping places taken by spans from rows above.
        let mut grid: Vec<Vec<Option<Vec<Inline>>>> = Vec::new();
        let mut taken: Vec<Vec<bool>> = Vec::new();
        let mut spans = Vec::new();
        let mut aligns: Vec<Option<Align>> = Vec::new();
        let total_rows = raw_rows.len();
        for (r, (_, cells)) in raw_rows.into_iter().enumerate() {
            let mut col = 0;
            for cell in cells {
                while taken.get(r).and_then(|row| row.get(col)).copied() == Some(true) {
                    col += 1;
                }
                if col >= MAX_COLS {
                    // Past the widest table bindery builds: the text joins the row's last cell.
                    if let Some(Some(last)) = grid.get_mut(r).and_then(|row| row.last_mut()) {
                        last.push(Inline::Text { text: " ".into() });
                        last.extend(cell.content);
                    }
                    continue;
                }
                let cols = cell.cols.min(MAX_COLS - col);
                let rows = cell.rows.min(total_rows - r);
                for rr in r..r + rows {
                    if taken.len() <= rr {
                        taken.resize_with(rr + 1, Vec::new);
                        grid.resize_with(rr + 1, Vec::new);
                    }
                    if taken[rr].len() < col + cols {
                        taken[rr].resize(col + cols, false);
                    }
                    taken[rr][col..col + cols].fill(true);
                }
                if grid.len() <= r {
                    grid.resize_with(r + 1, Vec::new);
                }
                if grid[r].len() <= col {
                    grid[r].resize_with(col + 1, || None);
                }
                grid[r][col] = Some(cell.content);
                if aligns.len() <= col {
                    aligns.resize(col + 1, None);
                }
                if aligns[col].is_none() && cols == 1 {
                    aligns[col] = cell.align;
                }
                if cols > 1 || rows > 1 {
                    spans.push(CellSpan {
                        row: r as u32,
                        col: col as u32,
                        rows: rows as u32,
                        cols: cols as u32,
                    });
                }
                col += cols;
            }
        }
        let width = grid
            .iter()
            .map(Vec::len)
            .chain(taken.iter().map(Vec::len))
            .max()
            .unwrap_or(0);
        if width == 0 {
            let caption = trim_inlines(merge_text(caption));
            if !caption.is_empty() {
                out.push(Block::Paragraph {
                    content: caption,
                    loc,
                });
            }
            return;
        }
        let mut rows: Vec<Row> = grid
            .into_iter()
            .map(|row| {
                let mut row: Row = row.into_iter().map(Option::unwrap_or_default).collect();
                row.resize_with(width, Vec::new);
                row
            })
            .collect();
        let body = rows.split_off(heads.min(rows.len()));
        let align = (0..width)
            .map(|c| aligns.get(c).copied().flatten().unwrap_or(Align::None))
            .collect();
        let table = Block::Table {
            align,
            head: rows,
            rows: body,
            spans,
            loc,
        };
        let caption = trim_inlines(merge_text(caption));
        if caption.is_empty() {
            out.push(table);
        } else {
            out.push(Block::Figure {
                blocks: vec![table],
                caption,
                loc,
            });
        }
    }

    /// Maps the children of `node` as inline content.
    fn inlines_of(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Inline>) {
        for child in node.children() {
            match child.value() {
                Node::Text(text) => push_html_text(out, text),
                Node::Comment(c) => self.comment(c),
                Node::Element(_) => self.inline_element(child, out),
                _ => {}
            }
        }
    }

    fn inline_element(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Inline>) {
        let Node::Element(el) = node.value() else {
            return;
        };
        let name = el.name();
        if name == HOLD {
            let held = el
                .attr("i")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| self.inlines.get_mut(n))
                .and_then(Option::take);
            if let Some(inline) = held {
                out.push(inline);
            } else if let Some(block) = el
                .attr("b")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| self.blocks.get_mut(n))
                .and_then(Option::take)
            {
                // A Markdown block that landed in inline content keeps its text.
                out.push(Inline::HardBreak);
                out.extend(flatten(block));
                out.push(Inline::HardBreak);
            }
            return;
        }
        if DROPPED.contains(&name) {
            // A task list's checkbox is read by its list item.
            let checkbox = name == "input"
                && el
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("checkbox"));
            if !checkbox {
                self.drop_element(name);
            }
            return;
        }
        if self.depth >= MAX_DEPTH {
            push_text(out, &text_of(node));
            return;
        }
        self.depth += 1;
        if let Some(id) = el
            .attr("id")
            .or_else(|| (name == "a").then(|| el.attr("name")).flatten())
        {
            let id = id.trim();
            if !id.is_empty() {
                out.push(Inline::Anchor { id: id.to_owned() });
            }
        }
        match self.lang_of(node) {
            Some(lang) => {
                // Collected apart: text pushed straight into `out` would join the text before.
                let mut content = Vec::new();
                self.inline_content(node, &mut content);
                out.extend(with_language(lang, merge_text(content)));
            }
            None => self.inline_content(node, out),
        }
        self.depth -= 1;
    }

    /// What an inline element (not a placeholder, not left out) stands for, without the
    /// language it may mark (see [`Walk::inline_element`]).
    fn inline_content(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Inline>) {
        let Node::Element(el) = node.value() else {
            return;
        };
        let name = el.name();
        let mut content = Vec::new();
        let wrap = |f: fn(Vec<Inline>) -> Inline, this: &mut Self, out: &mut Vec<Inline>| {
            let mut content = Vec::new();
            this.inlines_of(node, &mut content);
            out.push(f(merge_text(content)));
        };
        match name {
            "a" => match el.attr("href") {
                Some(href) => {
                    let loc = self.loc_of("a");
                    self.inlines_of(node, &mut content);
                    out.push(Inline::Link {
                        url: href.trim().to_owned(),
                        title: el.attr("title").unwrap_or_default().to_owned(),
                        content: merge_text(content),
                        loc,
                    });
                }
                None => self.inlines_of(node, out),
            },
            "img" => {
                if let Some(src) = el.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
                    let alt = el.attr("alt").map(collapse).unwrap_or_default();
                    out.push(Inline::Image {
                        url: src.to_owned(),
                        title: el.attr("title").map(collapse).unwrap_or_default(),
                        alt: if alt.is_empty() {
                            Vec::new()
                        } else {
                            vec![Inline::Text { text: alt }]
                        },
                        // Raw HTML keeps no spans; the image's block locates it.
                        loc: Loc::default(),
                    });
                } else {
                    self.unknown("img without src");
                }
            }
            "br" => out.push(Inline::HardBreak),
            "wbr" => {}
            "em" | "i" | "cite" | "dfn" | "var" | "address" => {
                wrap(|content| Inline::Emph { content }, self, out)
            }
            "strong" | "b" => wrap(|content| Inline::Strong { content }, self, out),
            "del" | "s" | "strike" => wrap(|content| Inline::Strike { content }, self, out),
            "sup" => wrap(|content| Inline::Superscript { content }, self, out),
            "sub" => wrap(|content| Inline::Subscript { content }, self, out),
            "ins" | "u" => wrap(
                |content| Inline::Span {
                    kind: SpanKind::Underline,
                    lang: None,
                    content,
                },
                self,
                out,
            ),
            "mark" => wrap(
                |content| Inline::Span {
                    kind: SpanKind::Highlight,
                    lang: None,
                    content,
                },
                self,
                out,
            ),
            "small" => wrap(
                |content| Inline::Span {
                    kind: SpanKind::Small,
                    lang: None,
                    content,
                },
                self,
                out,
            ),
            "kbd" => wrap(
                |content| Inline::Span {
                    kind: SpanKind::Keyboard,
                    lang: None,
                    content,
                },
                self,
                out,
            ),
            "code" | "tt" | "samp" => {
                // Markdown inside (`<code>Pin<&mut\n<em>T</em>></code>`) keeps its text, and
                // its line break is a space.
                self.inlines_of(node, &mut content);
                out.push(Inline::Code {
                    text: crate::doc::plain_text(&content),
                });
            }
            "abbr" | "acronym" => {
                self.inlines_of(node, &mut content);
                out.push(Inline::Abbr {
                    title: el.attr("title").map(collapse).unwrap_or_default(),
                    content: merge_text(content),
                });
            }
            "q" => {
                let (open, close) = if self.quotes.is_multiple_of(2) {
                    ("\u{201C}", "\u{201D}")
                } else {
                    ("\u{2018}", "\u{2019}")
                };
                self.quotes += 1;
                push_text(out, open);
                self.inlines_of(node, out);
                push_text(out, close);
                self.quotes -= 1;
            }
            "ruby" => self.ruby(node, out),
            "rt" | "rp" => {}
            _ if PLAIN_INLINE.contains(&name) => self.inlines_of(node, out),
            _ => {
                // Block elements inside inline content keep their text on lines of their own;
                // unknown elements are inline, as in a browser.
                let block = is_known_block(name);
                if !block {
                    self.unknown(name);
                }
                if block && !out.is_empty() {
                    out.push(Inline::HardBreak);
                }
                self.inlines_of(node, out);
                if block {
                    out.push(Inline::HardBreak);
                }
            }
        }
    }

    /// Inline content of `node`, in the language the element marks, if any.
    fn inlines_in_language(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Inline>) {
        match self.lang_of(node) {
            Some(lang) => {
                let mut content = Vec::new();
                self.inlines_of(node, &mut content);
                out.extend(with_language(lang, merge_text(content)));
            }
            None => self.inlines_of(node, out),
        }
    }

    /// The language an element marks (`lang`, else `xml:lang`), when it is a well-formed BCP 47
    /// tag. A malformed one is warned about and ignored: the text stays, only unmarked. An
    /// empty `lang=""` (HTML's "unknown language") marks nothing bindery could use.
    fn lang_of(&mut self, node: NodeRef<'_, Node>) -> Option<String> {
        let el = element(node)?;
        let value = el.attr("lang").or_else(|| el.attr("xml:lang"))?.trim();
        if value.is_empty() {
            return None;
        }
        if super::frontmatter::valid_lang(value) {
            return Some(value.to_owned());
        }
        let loc = self.loc_of(el.name());
        self.reader.warn(
            loc,
            format!(
                "`lang=\"{value}\"` on <{}> is not a language tag (BCP 47, such as `fr` or `pt-BR`); the text is kept without a language of its own",
                el.name()
            ),
        );
        None
    }

    /// `<ruby>`: each base run with the `<rt>` reading that follows it.
    fn ruby(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<Inline>) {
        let mut base = Vec::new();
        for child in node.children() {
            match (child.value(), element_name(child)) {
                (_, Some("rt")) => {
                    let text = collapse(&text_of(child));
                    let content = merge_text(std::mem::take(&mut base));
                    if text.is_empty() {
                        out.extend(content);
                    } else {
                        out.push(Inline::Ruby {
                            base: content,
                            text,
                        });
                    }
                }
                (_, Some("rp")) => {}
                (_, Some("rb")) | (_, Some("rtc")) => self.inlines_of(child, &mut base),
                (Node::Text(t), _) => push_html_text(&mut base, t),
                (Node::Comment(c), _) => self.comment(c),
                (Node::Element(_), _) => self.inline_element(child, &mut base),
                _ => {}
            }
        }
        out.extend(base);
    }
}

/// A list item's leading checkbox (`<li><input type="checkbox" checked>`), as a task.
fn task_marker(li: NodeRef<'_, Node>) -> Option<bool> {
    for child in li.children() {
        match child.value() {
            Node::Text(t) if t.trim().is_empty() => continue,
            Node::Comment(_) => continue,
            Node::Element(el)
                if el.name() == "input"
                    && el
                        .attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("checkbox")) =>
            {
                return Some(el.attr("checked").is_some())
            }
            Node::Element(el) if el.name() == "p" => return task_marker(child),
            _ => return None,
        }
    }
    None
}

fn code_block(node: NodeRef<'_, Node>, loc: Loc) -> Block {
    let mut text = text_of(node);
    // HTML drops one newline right after `<pre>`; the parser already did.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let language = |node: NodeRef<'_, Node>| {
        element(node).and_then(|e| {
            e.classes().find_map(|c| {
                c.strip_prefix("language-")
                    .or_else(|| c.strip_prefix("lang-"))
                    .map(str::to_owned)
            })
        })
    };
    let lang = language(node).or_else(|| {
        node.children()
            .find(|c| element_name(*c) == Some("code"))
            .and_then(language)
    });
    Block::CodeBlock {
        info: lang.clone().unwrap_or_default(),
        lang,
        text,
        loc,
    }
}

/// Whether Markdown blocks landed inside `node` (a `<listing>` tag around Markdown, which is
/// then a plain container rather than preformatted text).
fn holds_markdown(node: NodeRef<'_, Node>) -> bool {
    node.descendants().any(|d| element_name(d) == Some(HOLD))
}

fn element(node: NodeRef<'_, Node>) -> Option<&scraper::node::Element> {
    match node.value() {
        Node::Element(el) => Some(el),
        _ => None,
    }
}

fn element_name(node: NodeRef<'_, Node>) -> Option<&str> {
    element(node).map(|e| e.name())
}

/// All the text under `node`, as written (code keeps its spacing).
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            out.push_str(t);
        }
    }
    out
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "acronym"
            | "b"
            | "bdi"
            | "bdo"
            | "br"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "img"
            | "input"
            | "ins"
            | "kbd"
            | "mark"
            | "nobr"
            | "q"
            | "rp"
            | "rt"
            | "ruby"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    ) || name == HOLD
}

fn is_table_part(name: &str) -> bool {
    matches!(
        name,
        "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" | "col"
    )
}

/// Block elements that inline content flattens without complaint.
fn is_known_block(name: &str) -> bool {
    GROUPS.contains(&name)
        || is_table_part(name)
        || matches!(
            name,
            "p" | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "ul"
                | "ol"
                | "li"
                | "dl"
                | "dt"
                | "dd"
                | "blockquote"
                | "pre"
                | "table"
                | "figure"
                | "figcaption"
                | "details"
                | "summary"
                | "center"
                | "hr"
        )
}

/// The alignment an element asks for (`align=` or `style="text-align: ..."`).
fn alignment(align: Option<&str>, style: Option<&str>) -> Option<Align> {
    let from_style = style.and_then(|s| {
        s.split(';').find_map(|decl| {
            let (key, value) = decl.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case("text-align")
                .then(|| value.trim().to_ascii_lowercase())
        })
    });
    let value = align
        .map(|a| a.trim().to_ascii_lowercase())
        .or(from_style)?;
    match value.as_str() {
        "center" | "middle" => Some(Align::Center),
        "right" | "end" => Some(Align::Right),
        "left" | "start" => Some(Align::Left),
        _ => None,
    }
}

/// Pushes `blocks`, inside an [`Block::Aligned`] when an alignment other than the default is
/// asked for.
/// Headings stay where the contents, the outline and the EPUB's chapters look for them (at
/// the level of the container): an aligned heading carries its alignment as the class
/// `align-center` or `align-right` instead, as `{.align-center}` would in Markdown.
fn aligned(align: Option<Align>, blocks: Vec<Block>, loc: Loc, out: &mut Vec<Block>) {
    let (align, class) = match align {
        Some(Align::Center) => (Align::Center, "align-center"),
        Some(Align::Right) => (Align::Right, "align-right"),
        _ => return out.extend(blocks),
    };
    let mut run = Vec::new();
    for block in blocks {
        match block {
            Block::Heading {
                mut classes,
                level,
                id,
                attrs,
                content,
                loc: at,
            } => {
                if !run.is_empty() {
                    out.push(Block::Aligned {
                        align,
                        dir: None,
                        lang: None,
                        blocks: std::mem::take(&mut run),
                        loc,
                    });
                }
                if !classes.iter().any(|c| c.starts_with("align-")) {
                    classes.push(class.to_owned());
                }
                out.push(Block::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    content,
                    loc: at,
                });
            }
            other => run.push(other),
        }
    }
    if !run.is_empty() {
        out.push(Block::Aligned {
            align,
            dir: None,
            lang: None,
            blocks: run,
            loc,
        });
    }
}

/// Puts the blocks an element with a `dir` attribute produced (`out[start..]`) in that
/// direction: an aligned block keeps its alignment and takes the direction, other blocks go
/// into a [`Block::Aligned`] with the direction only. Headings stay at the container's level,
/// as in [`aligned`] (the contents and the outline look for them there).
fn directed(dir: crate::doc::Direction, out: &mut Vec<Block>, start: usize, loc: Loc) {
    let produced: Vec<Block> = out.drain(start..).collect();
    let mut run = Vec::new();
    let flush = |run: &mut Vec<Block>, out: &mut Vec<Block>| {
        if !run.is_empty() {
            out.push(Block::Aligned {
                align: Align::None,
                dir: Some(dir),
                lang: None,
                blocks: std::mem::take(run),
                loc,
            });
        }
    };
    for block in produced {
        match block {
            Block::Heading { .. } | Block::Anchor { .. } => {
                flush(&mut run, out);
                out.push(block);
            }
            Block::Aligned {
                align,
                dir: None,
                lang,
                blocks,
                loc,
            } => {
                flush(&mut run, out);
                out.push(Block::Aligned {
                    align,
                    dir: Some(dir),
                    lang,
                    blocks,
                    loc,
                });
            }
            other => run.push(other),
        }
    }
    flush(&mut run, out);
}

/// The blocks an element with a `lang` attribute produced, in that language: an aligned block
/// without a language takes it, other blocks go into a [`Block::Aligned`] with the language
/// only. Headings stay at the container's level, as in [`aligned`], their text a run in the
/// language.
fn in_language(lang: &str, produced: Vec<Block>, loc: Loc) -> Vec<Block> {
    let mut out = Vec::with_capacity(produced.len());
    let mut run = Vec::new();
    let flush = |run: &mut Vec<Block>, out: &mut Vec<Block>| {
        if !run.is_empty() {
            out.push(Block::Aligned {
                align: Align::None,
                dir: None,
                lang: Some(lang.to_owned()),
                blocks: std::mem::take(run),
                loc,
            });
        }
    };
    for block in produced {
        match block {
            Block::Heading {
                level,
                id,
                classes,
                attrs,
                content,
                loc,
            } => {
                flush(&mut run, &mut out);
                out.push(Block::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    content: with_language(lang.to_owned(), content),
                    loc,
                });
            }
            Block::Anchor { .. } => {
                flush(&mut run, &mut out);
                out.push(block);
            }
            Block::Aligned {
                align,
                dir,
                lang: None,
                blocks,
                loc,
            } => {
                flush(&mut run, &mut out);
                out.push(Block::Aligned {
                    align,
                    dir,
                    lang: Some(lang.to_owned()),
                    blocks,
                    loc,
                });
            }
            other => run.push(other),
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Inline content as a run in `lang`: a lone span without a language of its own (`<u
/// lang="fr">`) takes it, anything else is wrapped in a plain span; nothing stays nothing.
fn with_language(lang: String, mut content: Vec<Inline>) -> Vec<Inline> {
    if content.is_empty() {
        return content;
    }
    if let [Inline::Span {
        lang: own @ None, ..
    }] = content.as_mut_slice()
    {
        *own = Some(lang);
        return content;
    }
    vec![Inline::Span {
        kind: SpanKind::Plain,
        lang: Some(lang),
        content,
    }]
}

fn anchor(id: Option<&str>, loc: Loc, out: &mut Vec<Block>) {
    if let Some(id) = id {
        out.push(Block::Anchor {
            id: id.trim().to_owned(),
            loc,
        });
    }
}

/// Block content as inline content (a table cell holds only inlines): paragraphs and list
/// items on lines of their own, bullets and numbers written out.
pub fn flatten(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    for block in blocks {
        let line = |out: &mut Vec<Inline>, content: Vec<Inline>| {
            if !out.is_empty() {
                out.push(Inline::HardBreak);
            }
            out.extend(content);
        };
        match block {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                line(&mut out, content)
            }
            Block::CodeBlock { text, .. } => {
                for l in text.trim_end_matches('\n').split('\n') {
                    line(&mut out, vec![Inline::Code { text: l.to_owned() }]);
                }
            }
            Block::List { start, items, .. } => {
                for (n, item) in items.into_iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}. ", s + n as u64),
                        None => "\u{2022} ".to_owned(),
                    };
                    let mut content = vec![Inline::Text { text: marker }];
                    content.extend(flatten(item.blocks));
                    line(&mut out, content);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    line(&mut out, vec![Inline::Strong { content: item.term }]);
                    for d in item.definitions {
                        line(&mut out, flatten(d));
                    }
                }
            }
            Block::Table { head, rows, .. } => {
                for row in head.into_iter().chain(rows) {
                    let mut content = Vec::new();
                    for (i, cell) in row.into_iter().enumerate() {
                        if i > 0 {
                            content.push(Inline::Text { text: " | ".into() });
                        }
                        content.extend(cell);
                    }
                    line(&mut out, content);
                }
            }
            Block::Figure {
                blocks, caption, ..
            } => {
                line(&mut out, flatten(blocks));
                if !caption.is_empty() {
                    line(&mut out, caption);
                }
            }
            Block::Details {
                summary, blocks, ..
            } => {
                if !summary.is_empty() {
                    line(&mut out, vec![Inline::Strong { content: summary }]);
                }
                line(&mut out, flatten(blocks));
            }
            Block::Quote { blocks, .. }
            | Block::Alert { blocks, .. }
            | Block::Aligned { blocks, .. }
            | Block::Listing { blocks, .. } => line(&mut out, flatten(blocks)),
            Block::Anchor { id, .. } => out.push(Inline::Anchor { id }),
            Block::Rule { .. }
            | Block::Chapter { .. }
            | Block::Part { .. }
            | Block::Html { .. } => {}
        }
    }
    out
}

/// HTML text: white space runs (newlines included) are one space, as a browser shows them.
fn push_html_text(out: &mut Vec<Inline>, text: &str) {
    let mut collapsed = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            space = true;
        } else {
            if space {
                collapsed.push(' ');
            }
            space = false;
            collapsed.push(c);
        }
    }
    if space {
        collapsed.push(' ');
    }
    push_text(out, &collapsed);
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text { text: last }) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text {
            text: text.to_owned(),
        });
    }
}

/// Adjacent text nodes as one (the parser splits text around placeholders and entities).
fn merge_text(list: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(list.len());
    for inline in list {
        match inline {
            Inline::Text { text } => push_text(&mut out, &text),
            other => out.push(other),
        }
    }
    out
}

/// Drops the white space HTML source puts at the start and end of a block's content.
fn trim_inlines(mut list: Vec<Inline>) -> Vec<Inline> {
    while let Some(first) = list.first_mut() {
        match first {
            Inline::Text { text } => {
                let trimmed = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
                if trimmed.is_empty() {
                    list.remove(0);
                } else {
                    *text = trimmed.to_owned();
                    break;
                }
            }
            Inline::SoftBreak | Inline::HardBreak => {
                list.remove(0);
            }
            _ => break,
        }
    }
    while let Some(last) = list.last_mut() {
        match last {
            Inline::Text { text } => {
                let trimmed = text.trim_end_matches(|c: char| c.is_ascii_whitespace());
                if trimmed.is_empty() {
                    list.pop();
                } else {
                    text.truncate(trimmed.len());
                    break;
                }
            }
            Inline::SoftBreak | Inline::HardBreak => {
                list.pop();
            }
            _ => break,
        }
    }
    list
}

/// An attribute's text with white space runs as single spaces.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of the Markdown as HTML text (`<`, `>` and `&` escaped).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
