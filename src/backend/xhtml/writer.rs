//! The XHTML writer proper: blocks, inlines, notes and link targets of one chapter.

use super::escape::{self, push_attr, push_text, xml_id};
use super::{source_path, Mode, Options};
use crate::doc::{
    plain_text, AlertKind, Align, Block, CellSpan, Document, Inline, ListItem, Loc, Row, SpanKind,
};
use crate::error::{Code, Diagnostic};
use crate::highlight;
use std::collections::BTreeMap;

/// Ids carried by the chapters: id -> chapter index.
///
/// Ids are unique by construction: an element carries its id only when no element before it
/// took that id ([`Writer::claim`]). The model's ids (headings, anchors, parts: unique after
/// parsing) come first; the ids the writer makes up (`footnote-ref-1`, `footnote-1`,
/// `listing-2-1`) step aside from them ([`Writer::generated`]), so an author's `{#footnote-1}`
/// never takes a note's place nor makes a second `id="footnote-1"`.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    pub ids: BTreeMap<String, usize>,
    /// Ids of the model's elements met so far.
    pub model: std::collections::BTreeSet<String>,
    /// Ids the writer made up.
    pub generated: std::collections::BTreeSet<String>,
}

impl Targets {
    /// Whether a made-up id met an id of the model (the writing is then done again with the
    /// model's ids reserved).
    pub fn collided(&self) -> bool {
        !self.model.is_disjoint(&self.generated)
    }
}

/// A warning, with the key that groups repeats of one kind (see `merge_repeats`).
pub(crate) type Pending = (Option<String>, Diagnostic);

/// Writes one chapter (or the whole fragment).
pub(crate) struct Writer<'a> {
    pub(super) doc: &'a Document,
    pub(super) mode: Mode,
    options: Options,
    chapter: usize,
    files: &'a [String],
    pub(super) assets: &'a BTreeMap<String, String>,
    /// Known targets (second pass); `None` while surveying.
    targets: Option<&'a Targets>,
    /// The model's ids, which made-up ids avoid (empty until a collision is known).
    reserved: &'a std::collections::BTreeSet<String>,
    /// Ids written so far, across chapters.
    seen: &'a mut Targets,
    diags: &'a mut Vec<Pending>,
    pub(super) out: String,
    notes: Vec<(u32, &'a [Block], Loc)>,
    /// Inside a link (a nested link or note reference is written as text).
    link_depth: u32,
    pub(super) loc: Loc,
    /// The words the document's language uses for what bindery generates.
    words: &'static crate::locale::Words,
    /// The direction an enclosing block gives (HTML `dir`; `Some(None)` for `auto`), over the
    /// document's.
    dir: Option<Option<bool>>,
    /// The pictures written (whether each has alternative text, where it is).
    pub(super) pictures: Vec<(bool, Loc)>,
    /// How many formulas were written.
    pub(super) maths: usize,
    /// How many of them as MathML.
    pub(super) mathml: usize,
    /// The open headings of this chapter: (level in the source, level written). A heading
    /// that skips levels is written one below its parent, so the outline has no gap.
    headings: Vec<(u8, u8)>,
    /// The print edition's page breaks by the block each falls in (see [`PageMarks`]).
    marks: &'a PageMarks,
    /// The page breaks still to place in the paragraph or heading being written: how many of
    /// its characters come before each (as [`crate::doc::reading_chars`] counts), in order.
    pending: Vec<(usize, u32)>,
    /// How many characters of that paragraph or heading are written so far.
    count: usize,
}

/// Where the print edition's pages begin, by block: the characters of the block's text before
/// each page's first one (`None`: at the block's start) and the page number.
pub(crate) type PageMarks = BTreeMap<Loc, Vec<(Option<usize>, u32)>>;

/// No page breaks (a build without a PDF, HTML output).
static NO_MARKS: PageMarks = BTreeMap::new();

/// How every page-break marker starts: the EPUB backend finds them by it for its page list.
pub const PAGE_BREAK: &str = "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"";

impl<'a> Writer<'a> {
    /// A writer for chapter `chapter` of `files`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        doc: &'a Document,
        mode: Mode,
        options: Options,
        chapter: usize,
        files: &'a [String],
        assets: &'a BTreeMap<String, String>,
        targets: Option<&'a Targets>,
        reserved: &'a std::collections::BTreeSet<String>,
        seen: &'a mut Targets,
        diags: &'a mut Vec<Pending>,
    ) -> Self {
        Writer {
            doc,
            mode,
            options,
            chapter,
            files,
            assets,
            targets,
            reserved,
            seen,
            diags,
            out: String::new(),
            dir: None,
            notes: Vec::new(),
            link_depth: 0,
            loc: Loc::default(),
            words: crate::locale::Locale::of(&doc.meta.lang).words,
            pictures: Vec::new(),
            maths: 0,
            mathml: 0,
            headings: Vec::new(),
            marks: &NO_MARKS,
            pending: Vec::new(),
            count: 0,
        }
    }

    /// Marks the print edition's page breaks (see [`PageMarks`]).
    pub fn page_marks(&mut self, marks: &'a PageMarks) {
        self.marks = marks;
    }

    /// Writes one page-break marker, unless that page's marker is already written (two blocks
    /// from one place of the source).
    fn page_break(&mut self, page: u32) {
        let id = self.generated(format!("page-{page}"));
        if self.claim(&id) {
            self.out.push_str(PAGE_BREAK);
            push_attr(&mut self.out, &id);
            self.out
                .push_str(&format!("\" aria-label=\"{page}\"></span>"));
        }
    }

    /// Writes the markers of pages that begin in the current block before it: a block with no
    /// running text of its own (a table, a listing, a list) is marked at its start.
    fn page_breaks_before(&mut self) {
        let pages: Vec<u32> = self
            .marks
            .get(&self.loc)
            .map(|m| m.iter().map(|(_, page)| *page).collect())
            .unwrap_or_default();
        for page in pages {
            self.page_break(page);
        }
    }

    /// Starts the running text of the current block: its page breaks wait for their character.
    fn open_page_breaks(&mut self) {
        self.pending = self
            .marks
            .get(&self.loc)
            .map(|m| {
                m.iter()
                    .map(|(at, page)| (at.unwrap_or(0), *page))
                    .collect()
            })
            .unwrap_or_default();
        self.pending.sort();
        self.count = 0;
    }

    /// Ends the running text of the current block: a page break whose character was not found
    /// (the text the PDF set differs from the markup's, an image's alternative text) is put at
    /// its end rather than lost.
    fn close_page_breaks(&mut self) {
        for (_, page) in std::mem::take(&mut self.pending) {
            self.page_break(page);
        }
    }

    /// Writes text of the current block, a page-break marker before the character a page
    /// begins with.
    fn text(&mut self, text: &str) {
        if self.pending.is_empty() {
            self.count += crate::doc::visible_chars(text);
            push_text(&mut self.out, text);
            return;
        }
        let mut from = 0;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            while self
                .pending
                .first()
                .is_some_and(|(at, _)| *at <= self.count)
            {
                push_text(&mut self.out, &text[from..i]);
                from = i;
                let (_, page) = self.pending.remove(0);
                self.page_break(page);
            }
            self.count += 1;
        }
        push_text(&mut self.out, &text[from..]);
    }

    /// Writes `blocks` as a body, notes last, and returns the markup.
    pub fn chapter(&mut self, blocks: &'a [Block]) -> String {
        self.blocks(blocks);
        self.write_notes();
        std::mem::take(&mut self.out)
    }

    /// Records a warning at the current block; `key` groups repeats of one kind.
    pub(super) fn warn(&mut self, code: Code, key: Option<String>, message: String) {
        let path = source_path(self.doc, self.loc);
        self.diags
            .push((key, Diagnostic::warning_at(code, path, self.loc, message)));
    }

    /// Takes the id of a model element (heading, anchor, part) for this chapter unless some
    /// element already carries it.
    fn claim_model(&mut self, id: &str) -> bool {
        self.seen.model.insert(id.to_owned());
        self.claim(id)
    }

    /// The id the writer makes up from `base`: `base` itself unless the model has that id,
    /// else `base-2`, `base-3`... (the same answer every time it is asked).
    fn generated(&mut self, base: String) -> String {
        let name = if self.reserved.contains(&base) {
            (2u32..)
                .map(|k| format!("{base}-{k}"))
                .find(|n| !self.reserved.contains(n))
                .unwrap_or(base)
        } else {
            base
        };
        self.seen.generated.insert(name.clone());
        name
    }

    /// Takes `id` for this chapter unless some element already carries it.
    pub(super) fn claim(&mut self, id: &str) -> bool {
        if self.seen.ids.contains_key(id) {
            return false;
        }
        self.seen.ids.insert(id.to_string(), self.chapter);
        true
    }

    /// Where a link to `url` should point, or `None` when it must become plain text (with a
    /// warning saying why).
    /// `raw` marks an `href` from raw HTML, which an HTML page keeps exactly as written.
    pub(super) fn resolve(&mut self, url: &str, raw: bool) -> Option<String> {
        // An e-mail autolink reaches the model without its scheme.
        let owned;
        let url = if !raw && !has_scheme(url) && url.contains('@') && !url.contains(['/', '#', ' '])
        {
            owned = format!("mailto:{url}");
            owned.as_str()
        } else {
            url
        };
        if self.mode == Mode::Keep {
            return Some(if raw {
                url.to_string()
            } else {
                escape::href(url)
            });
        }
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("//") {
            return Some(escape::href(&format!("https://{rest}")));
        }
        if has_scheme(url) {
            // Sources were judged when read (`parse::urls`); the same rule again for targets
            // that reach the writer another way.
            if let Err(why) = crate::parse::urls::check(url) {
                self.warn(
                    Code::UnsafeLink,
                    None,
                    format!("link to `{url}` kept as text: {why}"),
                );
                return None;
            }
            return Some(escape::href(url));
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, f),
            None => (url, ""),
        };
        // A picture is packaged, but EPUB lets a link lead only to the book's pages
        // (EPUBCheck RSC-010); the picture itself is shown where it is placed.
        if !path.is_empty() && self.assets.contains_key(path) {
            self.warn(
                Code::UnsafeLink,
                None,
                format!("link to `{url}` kept as text: it leads to a picture, and an EPUB link may lead only to a page of the book"),
            );
            return None;
        }
        let id = xml_id(&escape::percent_decode(fragment)).into_owned();
        let Some(targets) = self.targets else {
            return Some(String::from("#"));
        };
        if !fragment.is_empty() {
            if let Some(&chapter) = targets.ids.get(&id) {
                let file = self
                    .files
                    .get(chapter)
                    .map(String::as_str)
                    .unwrap_or_default();
                return Some(format!("{}#{}", escape::href(file), id));
            }
        }
        let message = if path.is_empty() && fragment.is_empty() {
            "link with an empty target kept as text".to_string()
        } else if path.is_empty() {
            format!("link to `#{fragment}`: no heading or anchor has that id; kept as text")
        } else if fragment.is_empty() {
            format!("link to `{url}`: that file is not part of the document; kept as text")
        } else {
            format!("link to `{url}`: not part of the document and no heading has the id `{fragment}`; kept as text")
        };
        self.warn(Code::DeadLink, None, message);
        None
    }

    fn blocks(&mut self, blocks: &'a [Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Writes a container's content.
    fn contained(&mut self, blocks: &'a [Block]) {
        self.blocks(blocks);
    }

    fn inlines(&mut self, inlines: &'a [Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn block(&mut self, block: &'a Block) {
        self.loc = block.loc();
        if !matches!(
            block,
            Block::Paragraph { .. } | Block::Heading { .. } | Block::CodeBlock { .. }
        ) {
            self.page_breaks_before();
        }
        match block {
            Block::Paragraph { content, .. } => self.paragraph(content, false, ""),
            Block::Heading {
                level,
                id,
                classes,
                attrs,
                content,
                ..
            } => {
                let level = self.heading_level((*level).clamp(1, 6));
                let id = xml_id(id).into_owned();
                self.out.push_str(&format!("<h{level}"));
                if self.claim_model(&id) {
                    self.out.push_str(&format!(" id=\"{}\"", escape::attr(&id)));
                }
                if !classes.is_empty() {
                    self.out.push_str(" class=\"");
                    push_attr(&mut self.out, &classes.join(" "));
                    self.out.push('"');
                }
                // `{key=v}` becomes `data-key="v"`; a key given twice (in any case) is written
                // once, with its last value, as the id is (`{#a #b}` gives `b`).
                let mut written: Vec<(String, &str)> = Vec::new();
                let mut index: BTreeMap<String, usize> = BTreeMap::new();
                for (key, value) in attrs {
                    let name = key.to_ascii_lowercase();
                    if name.is_empty()
                        || !name
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    {
                        continue;
                    }
                    match index.get(&name) {
                        Some(&at) => {
                            self.warn(
                                Code::BadValue,
                                None,
                                format!(
                                    "attribute `{key}` is given more than once in this heading's {{…}}; the last value (`{value}`) is kept"
                                ),
                            );
                            written[at].1 = value;
                        }
                        None => {
                            index.insert(name.clone(), written.len());
                            written.push((name, value));
                        }
                    }
                }
                for (name, value) in written {
                    self.out
                        .push_str(&format!(" data-{name}=\"{}\"", escape::attr(value)));
                }
                self.dir_auto(content);
                self.out.push('>');
                self.open_page_breaks();
                self.inlines(content);
                self.close_page_breaks();
                self.out.push_str(&format!("</h{level}>\n"));
            }
            Block::CodeBlock { lang, text, .. } => self.code_block(lang.as_deref(), text),
            Block::Quote { blocks, .. } => {
                self.out.push_str("<blockquote>\n");
                self.contained(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::Alert { kind, blocks, .. } => {
                let class = alert_class(*kind);
                self.out.push_str(&format!(
                    "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{}</p>\n",
                    escape::text(self.words.alert(*kind))
                ));
                self.contained(blocks);
                self.out.push_str("</div>\n");
            }
            Block::List {
                start,
                tight,
                items,
                ..
            } => self.list(*start, *tight, items),
            Block::DefinitionList { items, .. } => {
                self.out.push_str("<dl>\n");
                for item in items {
                    self.out.push_str("<dt>");
                    self.inlines(&item.term);
                    self.out.push_str("</dt>\n");
                    for definition in &item.definitions {
                        self.out.push_str("<dd>");
                        self.contained(definition);
                        self.out.push_str("</dd>\n");
                    }
                }
                self.out.push_str("</dl>\n");
            }
            Block::Table {
                align,
                head,
                rows,
                spans,
                ..
            } => self.table(align, head, rows, spans),
            Block::Rule { .. } => self.out.push_str("<hr />\n"),
            Block::Aligned {
                align,
                dir,
                lang,
                blocks,
                ..
            } => {
                let class = match align {
                    Align::Center => " class=\"align-center\"",
                    Align::Right => " class=\"align-right\"",
                    Align::Left => " class=\"align-left\"",
                    Align::None => "",
                };
                let saved = self.dir;
                if let Some(d) = dir {
                    self.dir = Some(d.rtl());
                }
                let dir = dir.map_or(String::new(), |d| format!(" dir=\"{}\"", d.as_str()));
                self.out.push_str(&format!("<div{class}{dir}"));
                push_lang(&mut self.out, lang.as_deref());
                self.out.push_str(">\n");
                self.contained(blocks);
                self.dir = saved;
                self.out.push_str("</div>\n");
            }
            Block::Details {
                summary, blocks, ..
            } => {
                // A reading system may not open `<details>`; print shows the content in full,
                // so the EPUB does too: a titled box.
                self.out.push_str("<aside class=\"details\">\n");
                if !summary.is_empty() {
                    self.out.push_str("<p class=\"details-title\"");
                    self.dir_auto(summary);
                    self.out.push('>');
                    self.inlines(summary);
                    self.out.push_str("</p>\n");
                }
                self.contained(blocks);
                self.out.push_str("</aside>\n");
            }
            Block::Figure {
                blocks, caption, ..
            } => {
                self.out.push_str("<figure>\n");
                for block in blocks {
                    match block {
                        // The image of a figure stands alone, not in a paragraph.
                        Block::Paragraph { content, loc } => {
                            self.loc = *loc;
                            self.page_breaks_before();
                            self.out.push_str("<div class=\"figure-body\">");
                            self.inlines(content);
                            self.out.push_str("</div>\n");
                        }
                        other => self.block(other),
                    }
                }
                if !caption.is_empty() {
                    self.out.push_str("<figcaption");
                    self.dir_auto(caption);
                    self.out.push('>');
                    self.inlines(caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            Block::Anchor { id, .. } => {
                let id = xml_id(id).into_owned();
                if self.claim_model(&id) {
                    self.out
                        .push_str(&format!("<div id=\"{}\"></div>\n", escape::attr(&id)));
                }
            }
            // Converted by the parser (`parse::html`); never reaches a backend.
            Block::Html { .. } => {}
            Block::Listing {
                number,
                file_name,
                caption,
                blocks,
                ..
            } => self.listing(number.as_deref(), file_name.as_deref(), caption, blocks),
            // Chapters are file boundaries (see `split`); they write nothing themselves.
            Block::Chapter { .. } => {}
            Block::Part { title, id, .. } => {
                let id = xml_id(id).into_owned();
                if self.claim_model(&id) {
                    self.out.push_str(&format!(
                        "<section class=\"part\" epub:type=\"part\" role=\"doc-part\" aria-labelledby=\"{0}\">\n<h1 class=\"part-title\" id=\"{0}\">",
                        escape::attr(&id)
                    ));
                } else {
                    self.out.push_str(
                        "<section class=\"part\" epub:type=\"part\" role=\"doc-part\">\n<h1 class=\"part-title\">",
                    );
                }
                escape::push_text(&mut self.out, title);
                self.out.push_str("</h1>\n</section>\n");
            }
        }
    }

    /// The level a heading of `source` level is written at: one below the heading it falls
    /// under at most (with a warning where the source skips levels), so the outline a screen
    /// reader walks has no gap. The chapter's first heading keeps its level.
    /// A fragment written as is (`Mode::Keep`, compared with other Markdown renderers) keeps
    /// the source's levels.
    fn heading_level(&mut self, source: u8) -> u8 {
        if self.mode == Mode::Keep {
            return source;
        }
        while self.headings.last().is_some_and(|&(s, _)| s >= source) {
            self.headings.pop();
        }
        let written = match self.headings.last() {
            Some(&(parent_source, parent)) => {
                if source > parent_source + 1 && self.targets.is_some() {
                    self.warn(
                        Code::HeadingLevel,
                        None,
                        format!(
                            "a level-{source} heading under a level-{parent_source} one skips a level; the EPUB and HTML outlines write it one level down, at {}",
                            parent + 1
                        ),
                    );
                }
                source.min(parent + 1)
            }
            None => source,
        };
        self.headings.push((source, written));
        written
    }

    /// A captioned code listing, as mdbook-trpl renders it: a `figure` with the file name
    /// above the code and `Listing N: caption` below, each part only when given.
    fn listing(
        &mut self,
        number: Option<&str>,
        file_name: Option<&str>,
        caption: &'a [Inline],
        blocks: &'a [Block],
    ) {
        self.out.push_str("<figure class=\"listing\"");
        if let Some(number) = number {
            let id = self.generated(xml_id(&format!("listing-{number}")).into_owned());
            if self.claim(&id) {
                self.out.push_str(&format!(" id=\"{}\"", escape::attr(&id)));
            }
        }
        self.out.push_str(">\n");
        if let Some(name) = file_name {
            self.out.push_str("<p class=\"file-name\">");
            push_text(&mut self.out, self.words.file_name);
            self.out.push_str(": <code>");
            push_text(&mut self.out, name);
            self.out.push_str("</code></p>\n");
        }
        self.contained(blocks);
        if number.is_some() || !caption.is_empty() {
            self.out.push_str("<figcaption");
            self.dir_auto(caption);
            self.out.push('>');
            if let Some(number) = number {
                self.out.push_str("<span class=\"listing-number\">");
                push_text(&mut self.out, &self.words.listing_label(number));
                self.out.push_str(if caption.is_empty() {
                    "</span>"
                } else {
                    ":</span> "
                });
            }
            self.inlines(caption);
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    /// A paragraph; `bare` leaves out the `<p>` (tight list items), `prefix` is markup put
    /// before the text (a task checkbox, a note's back link).
    fn paragraph(&mut self, content: &'a [Inline], bare: bool, prefix: &str) {
        if !bare {
            self.out.push_str("<p");
            self.dir_auto(content);
            self.out.push('>');
        }
        self.out.push_str(prefix);
        self.open_page_breaks();
        self.inlines(content);
        self.close_page_breaks();
        if !bare {
            self.out.push_str("</p>\n");
        }
    }

    /// `dir="auto"` on blocks holding right-to-left letters, so a Hebrew or Arabic paragraph in
    /// a book of no given direction is laid out from the right. Where the document or an
    /// enclosing block gives a direction, its paragraphs take it (as in the PDF).
    fn dir_auto(&mut self, content: &[Inline]) {
        let given = self.dir.unwrap_or(self.doc.meta.rtl());
        // Right-to-left letters are U+0590 and up: their first byte is 0xD6 or more.
        let mut rtl = |text: &str| text.bytes().any(|b| b >= 0xD6) && text.chars().any(is_rtl_char);
        if given.is_none() && crate::doc::plain_text_has(content, &mut rtl) {
            self.out.push_str(" dir=\"auto\"");
        }
    }

    fn code_block(&mut self, lang: Option<&str>, text: &str) {
        // Code reads left to right, also in a right-to-left book.
        if self.dir.unwrap_or(self.doc.meta.rtl()) == Some(true) {
            self.out.push_str("<pre dir=\"ltr\"><code");
        } else {
            self.out.push_str("<pre><code");
        }
        if let Some(lang) = lang.filter(|l| !l.is_empty()) {
            self.out.push_str(" class=\"language-");
            push_attr(&mut self.out, lang);
            self.out.push('"');
        }
        self.out.push('>');
        self.open_page_breaks();
        if self.options.highlight && lang.is_some() {
            for (i, line) in highlight::highlight(lang, text).iter().enumerate() {
                if i > 0 {
                    self.out.push('\n');
                }
                for span in line {
                    match span.class.css_class() {
                        Some(class) => {
                            self.out.push_str(&format!("<span class=\"{class}\">"));
                            self.text(&span.text);
                            self.out.push_str("</span>");
                        }
                        None => self.text(&span.text),
                    }
                }
            }
            if text.ends_with('\n') {
                self.out.push('\n');
            }
        } else {
            self.text(text);
        }
        self.close_page_breaks();
        self.out.push_str("</code></pre>\n");
    }

    fn list(&mut self, start: Option<u64>, tight: bool, items: &'a [ListItem]) {
        match start {
            None => self.out.push_str("<ul>\n"),
            Some(1) => self.out.push_str("<ol>\n"),
            Some(n) => self.out.push_str(&format!("<ol start=\"{n}\">\n")),
        }
        for item in items {
            // A read-only checkbox named by the item's own words, so a screen reader says
            // "checkbox, checked, <task>"; an item with no words keeps the box as text.
            let checkbox = match item.task {
                None => String::new(),
                Some(done) => {
                    let name = item
                        .blocks
                        .iter()
                        .find_map(|b| match b {
                            Block::Paragraph { content, .. } => Some(plain_text(content)),
                            _ => None,
                        })
                        .map(|t| escape::clean(t.trim()).into_owned())
                        .unwrap_or_default();
                    if name.trim().is_empty() {
                        (if done { "[x] " } else { "[ ] " }).to_string()
                    } else {
                        format!(
                            "<input type=\"checkbox\" disabled=\"disabled\"{} aria-label=\"{}\" /> ",
                            if done { " checked=\"checked\"" } else { "" },
                            escape::attr(name.trim())
                        )
                    }
                }
            };
            self.out.push_str(if item.task.is_some() {
                "<li class=\"task\">"
            } else {
                "<li>"
            });
            let mut prefix = checkbox.as_str();
            for (i, block) in item.blocks.iter().enumerate() {
                match block {
                    Block::Paragraph { content, loc } => {
                        self.loc = *loc;
                        if tight && i > 0 {
                            self.out.push('\n');
                        }
                        self.paragraph(content, tight, prefix);
                    }
                    other => {
                        if i == 0 && !prefix.is_empty() {
                            self.out.push_str(prefix.trim_end());
                        }
                        self.out.push('\n');
                        self.block(other);
                    }
                }
                prefix = "";
            }
            if item.blocks.is_empty() {
                self.out.push_str(prefix.trim_end());
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str(if start.is_some() {
            "</ol>\n"
        } else {
            "</ul>\n"
        });
    }

    fn table(&mut self, align: &[Align], head: &'a [Row], rows: &'a [Row], spans: &[CellSpan]) {
        // Cells covered by another's span are not written; spanning cells say how far.
        let span_at = |r: usize, c: usize| {
            spans
                .iter()
                .find(|s| s.row as usize == r && s.col as usize == c)
        };
        let covered = |r: usize, c: usize| {
            spans.iter().any(|s| {
                let (sr, sc) = (s.row as usize, s.col as usize);
                (sr..sr + s.rows as usize).contains(&r)
                    && (sc..sc + s.cols as usize).contains(&c)
                    && (sr, sc) != (r, c)
            })
        };
        self.out.push_str("<table>\n");
        let sections: [(&str, &str, &'a [Row], usize); 2] =
            [("thead", "th", head, 0), ("tbody", "td", rows, head.len())];
        for (section, tag, section_rows, first) in sections {
            if section_rows.is_empty() {
                continue;
            }
            self.out.push_str(&format!("<{section}>\n"));
            for (i, row) in section_rows.iter().enumerate() {
                let r = first + i;
                self.out.push_str("<tr>\n");
                for (c, cell) in row.iter().enumerate() {
                    if covered(r, c) {
                        continue;
                    }
                    let span = span_at(r, c).map(|s| (s.rows, s.cols));
                    let align = align.get(c).copied().unwrap_or(Align::None);
                    self.cell(tag, align, span, cell);
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str(&format!("</{section}>\n"));
        }
        self.out.push_str("</table>\n");
    }

    fn cell(&mut self, tag: &str, align: Align, span: Option<(u32, u32)>, content: &'a [Inline]) {
        let class = match align {
            Align::None => "",
            Align::Left => " class=\"align-left\"",
            Align::Center => " class=\"align-center\"",
            Align::Right => " class=\"align-right\"",
        };
        self.out.push_str(&format!("<{tag}{class}"));
        if tag == "th" {
            // Header cells of the head row head their columns.
            self.out
                .push_str(if span.is_some_and(|(_, cols)| cols > 1) {
                    " scope=\"colgroup\""
                } else {
                    " scope=\"col\""
                });
        }
        if let Some((rows, cols)) = span {
            if cols > 1 {
                self.out.push_str(&format!(" colspan=\"{cols}\""));
            }
            if rows > 1 {
                self.out.push_str(&format!(" rowspan=\"{rows}\""));
            }
        }
        self.dir_auto(content);
        self.out.push('>');
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>\n"));
    }

    fn inline(&mut self, inline: &'a Inline) {
        match inline {
            Inline::Text { text } => self.text(text),
            Inline::Code { text } => {
                self.out.push_str("<code>");
                self.text(text);
                self.out.push_str("</code>");
            }
            Inline::Emph { content } => self.wrap("em", content),
            Inline::Strong { content } => self.wrap("strong", content),
            Inline::Strike { content } => self.wrap("del", content),
            Inline::Superscript { content } => self.wrap("sup", content),
            Inline::Subscript { content } => self.wrap("sub", content),
            Inline::Link {
                url,
                title,
                content,
                loc,
            } => {
                // Warnings about the link name its own place (when the model has it).
                if loc.line > 0 {
                    self.loc = *loc;
                }
                let href = if self.link_depth > 0 {
                    None
                } else {
                    self.resolve(url, false)
                };
                match href {
                    Some(href) => {
                        self.out.push_str("<a href=\"");
                        push_attr(&mut self.out, &href);
                        self.out.push('"');
                        if !title.is_empty() {
                            self.out.push_str(" title=\"");
                            push_attr(&mut self.out, title);
                            self.out.push('"');
                        }
                        self.out.push('>');
                        self.link_depth += 1;
                        self.inlines(content);
                        self.link_depth -= 1;
                        self.out.push_str("</a>");
                    }
                    None => self.inlines(content),
                }
            }
            Inline::Image {
                url,
                title,
                alt,
                loc,
            } => {
                if loc.line > 0 {
                    self.loc = *loc;
                }
                self.image(url, title, alt)
            }
            Inline::Note { number, blocks } => {
                let id = self.generated(format!("footnote-ref-{number}"));
                let note = self.generated(format!("footnote-{number}"));
                let claimed = self.claim(&id);
                let id_attr = if claimed {
                    format!(" id=\"{id}\"")
                } else {
                    String::new()
                };
                if self.link_depth > 0 {
                    self.out
                        .push_str(&format!("<sup class=\"noteref\"{id_attr}>{number}</sup>"));
                } else {
                    self.out.push_str(&format!(
                        "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\"{id_attr} \
                         href=\"#{note}\" aria-label=\"{} {number}\">{number}</a>",
                        escape::attr(self.words.footnote)
                    ));
                }
                self.notes.push((*number, blocks, self.loc));
            }
            Inline::NoteRef { number } => {
                let note = self.generated(format!("footnote-{number}"));
                let href = match (self.mode, self.targets) {
                    (Mode::Keep, _) | (_, None) => Some(format!("#{note}")),
                    (Mode::Package, Some(targets)) => targets.ids.get(&note).map(|&c| {
                        let file = self.files.get(c).map(String::as_str).unwrap_or_default();
                        format!("{file}#{note}")
                    }),
                };
                match href.filter(|_| self.link_depth == 0) {
                    Some(href) => self.out.push_str(&format!(
                        "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" href=\"{}\" aria-label=\"{} {number}\">{number}</a>",
                        escape::attr(&href),
                        escape::attr(self.words.footnote)
                    )),
                    None => self.out.push_str(&format!("<sup class=\"noteref\">{number}</sup>")),
                }
            }
            Inline::Math { display, tex, loc } => {
                if loc.line > 0 {
                    self.loc = *loc;
                }
                self.maths += 1;
                // A formula the parser refuses stays its TeX source; the PDF's typesetting,
                // which reads it with the same parser, already warns about it once.
                if self.options.mathml {
                    if let Ok(nodes) = crate::typeset::math::parse(tex) {
                        self.mathml += 1;
                        self.out
                            .push_str(&super::mathml::math(&nodes, tex, *display));
                        return;
                    }
                }
                let class = if *display {
                    "math math-display"
                } else {
                    "math math-inline"
                };
                self.out.push_str(&format!("<span class=\"{class}\">"));
                push_text(&mut self.out, tex);
                self.out.push_str("</span>");
            }
            Inline::Span {
                kind,
                lang,
                content,
            } => {
                let tag = match kind {
                    SpanKind::Underline => "u",
                    SpanKind::Highlight => "mark",
                    SpanKind::Small => "small",
                    SpanKind::Keyboard => "kbd",
                    SpanKind::Plain => "span",
                };
                self.out.push_str(&format!("<{tag}"));
                push_lang(&mut self.out, lang.as_deref());
                self.out.push('>');
                self.inlines(content);
                self.out.push_str(&format!("</{tag}>"));
            }
            Inline::Abbr { title, content } => {
                self.out.push_str("<abbr");
                if !title.is_empty() {
                    self.out.push_str(" title=\"");
                    push_attr(&mut self.out, title);
                    self.out.push('"');
                }
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</abbr>");
            }
            Inline::Ruby { base, text } => {
                // `<rp>` gives reading systems without ruby the reading in parentheses.
                self.out.push_str("<ruby>");
                self.inlines(base);
                self.out.push_str("<rp>(</rp><rt>");
                push_text(&mut self.out, text);
                self.out.push_str("</rt><rp>)</rp></ruby>");
                // Print sets the reading in parentheses: the characters count as it does.
                self.count += crate::doc::visible_chars(text) + 2;
            }
            Inline::Anchor { id } => {
                let id = xml_id(id).into_owned();
                if self.claim_model(&id) {
                    self.out
                        .push_str(&format!("<span id=\"{}\"></span>", escape::attr(&id)));
                }
            }
            // Converted by the parser (`parse::html`); never reaches a backend.
            Inline::Html { .. } => {}
            Inline::SoftBreak => self.out.push('\n'),
            Inline::HardBreak => self.out.push_str("<br />\n"),
        }
    }

    fn wrap(&mut self, tag: &str, content: &'a [Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn image(&mut self, url: &str, title: &str, alt: &'a [Inline]) {
        let src = match self.mode {
            Mode::Keep => Some(escape::href(url)),
            Mode::Package => self.assets.get(url).map(|p| escape::href(p)),
        };
        let Some(src) = src else {
            // The parser already warned about the missing or remote file: show what it depicts.
            self.out.push_str("<span class=\"missing-image\">");
            self.inlines(alt);
            self.out.push_str("</span>");
            return;
        };
        self.pictures
            .push((!plain_text(alt).trim().is_empty(), self.loc));
        self.out.push_str("<img src=\"");
        push_attr(&mut self.out, &src);
        self.out.push_str("\" alt=\"");
        push_attr(&mut self.out, &plain_text(alt));
        self.out.push('"');
        if !title.is_empty() {
            self.out.push_str(" title=\"");
            push_attr(&mut self.out, title);
            self.out.push('"');
        }
        self.out.push_str(" />");
    }

    /// The notes referred to in this chapter, as EPUB 3 popup footnotes with a back link.
    fn write_notes(&mut self) {
        let mut i = 0;
        while i < self.notes.len() {
            let (number, blocks, loc) = self.notes[i];
            self.loc = loc;
            let id = self.generated(format!("footnote-{number}"));
            let back_to = self.generated(format!("footnote-ref-{number}"));
            let id_attr = if self.claim(&id) {
                format!(" id=\"{id}\"")
            } else {
                String::new()
            };
            self.out.push_str(&format!(
                "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\"{id_attr} aria-label=\"{} {number}\">\n",
                escape::attr(self.words.footnote)
            ));
            let back = format!(
                "<a class=\"footnote-back\" href=\"#{back_to}\" role=\"doc-backlink\" aria-label=\"{}\">{number}.</a> ",
                escape::attr(self.words.back_to_text)
            );
            match blocks.split_first() {
                Some((Block::Paragraph { content, loc }, rest)) => {
                    self.loc = *loc;
                    self.paragraph(content, false, &back);
                    self.blocks(rest);
                }
                _ => {
                    self.out.push_str(&format!("<p>{}</p>\n", back.trim_end()));
                    self.blocks(blocks);
                }
            }
            self.out.push_str("</aside>\n");
            i += 1;
        }
    }
}

fn alert_class(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Note => "note",
        AlertKind::Tip => "tip",
        AlertKind::Important => "important",
        AlertKind::Warning => "warning",
        AlertKind::Caution => "caution",
    }
}

/// `scheme:` at the start of a URL (RFC 3986), so `mailto:` and `https:` links are external.
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
fn is_rtl_char(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// ` lang="…" xml:lang="…"` for content in a language of its own: XHTML readers take the
/// language from `xml:lang`, HTML ones from `lang`, and EPUB requires the two to agree.
fn push_lang(out: &mut String, lang: Option<&str>) {
    if let Some(lang) = lang {
        for name in ["lang", "xml:lang"] {
            out.push_str(&format!(" {name}=\""));
            push_attr(out, lang);
            out.push('"');
        }
    }
}
