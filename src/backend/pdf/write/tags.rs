//! Tagged PDF: the typesetter's structure nodes become krilla tag groups, each piece of content
//! a marked-content leaf under its node, decoration an artifact; and the standards a file can
//! be asked to meet.
//!
//! The tree is built while the pages are drawn: a node joins its parent the first time content
//! of it (or of a descendant) is drawn, so the order of the tree is the order of the content,
//! which is the reading order; nodes that drew nothing (an empty paragraph) are left out. A
//! figure that floated to a later page joins where it stood in the text instead (an
//! [`Item::FloatRef`](crate::typeset::frame::Item::FloatRef) there).

use super::WriteError;
use crate::doc::Loc;
use crate::typeset::frame::{Node, Role, StructNode};
use krilla::configure::{Accessibility, Archival, ValidationError, Validator};
use krilla::surface::{Location, Surface};
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use std::num::NonZeroU16;
use std::path::PathBuf;
use std::sync::Arc;

/// A PDF standard bindery can write to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// PDF/UA-1 (accessible).
    Ua1,
    /// PDF/A-2b (archival, visual appearance).
    A2b,
    /// PDF/A-2a (archival, accessible).
    A2a,
    /// PDF/A-3b (archival, with attachments allowed).
    A3b,
    /// PDF/A-3a.
    A3a,
}

impl Standard {
    /// Every standard, with the names `--pdf-standard` takes.
    pub const ALL: [(&'static str, Standard); 5] = [
        ("ua-1", Standard::Ua1),
        ("a-2b", Standard::A2b),
        ("a-2a", Standard::A2a),
        ("a-3b", Standard::A3b),
        ("a-3a", Standard::A3a),
    ];

    /// A standard by its name (`ua-1`, `a-2b`...), case-insensitive.
    pub fn parse(name: &str) -> Option<Standard> {
        let name = name.trim().to_ascii_lowercase();
        let name = name.strip_prefix("pdf/").unwrap_or(&name);
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// Its name as `--pdf-standard` takes it.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("?", |(n, _)| n)
    }

    pub(super) fn validator(self) -> Validator {
        match self {
            Standard::Ua1 => Validator::Ua(Accessibility::UA1),
            Standard::A2b => Validator::A(Archival::A2_B),
            Standard::A2a => Validator::A(Archival::A2_A),
            Standard::A3b => Validator::A(Archival::A3_B),
            Standard::A3a => Validator::A(Archival::A3_A),
        }
    }
}

/// What kind of content a leaf marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    /// Glyphs.
    Text,
    /// A picture.
    Image,
    /// Rules and boxes.
    Artifact,
}

enum Child {
    Node(u32),
    Leaf(Identifier),
    /// A link annotation (index into `Tagger::links`), which gets a Link group of its own.
    Link(usize),
}

/// Collects the tree while the pages are drawn.
pub(super) struct Tagger<'a> {
    nodes: &'a [StructNode],
    enabled: bool,
    children: Vec<Vec<Child>>,
    attached: Vec<bool>,
    roots: Vec<Child>,
    links: Vec<Option<Identifier>>,
    /// The language each node's text is in: its own `lang`, else its nearest ancestor's, else
    /// the document's.
    langs: Vec<&'a str>,
    doc_lang: &'a str,
    /// The marked-content section now open on the page: its node, kind, and the language it
    /// names when its text is in another language than its node.
    open: Option<(Node, Content, Option<Arc<str>>)>,
}

impl<'a> Tagger<'a> {
    pub(super) fn new(nodes: &'a [StructNode], doc_lang: &'a str, enabled: bool) -> Self {
        Tagger {
            nodes,
            enabled,
            children: nodes.iter().map(|_| Vec::new()).collect(),
            attached: vec![false; nodes.len()],
            roots: Vec::new(),
            links: Vec::new(),
            langs: node_langs(nodes, doc_lang),
            doc_lang,
            open: None,
        }
    }

    pub(super) fn enabled(&self) -> bool {
        self.enabled
    }

    /// Puts `node` (and its ancestors) into the tree if it is not there yet.
    fn attach(&mut self, node: u32) {
        let mut n = node;
        loop {
            let i = n as usize;
            if i >= self.attached.len() || self.attached[i] {
                return;
            }
            self.attached[i] = true;
            match self.nodes[i].parent {
                Some(p) if (p as usize) < self.nodes.len() && p != n => {
                    self.children[p as usize].push(Child::Node(n));
                    n = p;
                }
                _ => {
                    self.roots.push(Child::Node(n));
                    return;
                }
            }
        }
    }

    fn leaf(&mut self, node: u32, ident: Identifier) {
        if (node as usize) < self.nodes.len() {
            self.attach(node);
            self.children[node as usize].push(Child::Leaf(ident));
        } else {
            self.roots.push(Child::Leaf(ident));
        }
    }

    /// Marks what is drawn next as belonging to `node` (an artifact when `node` is `None` or
    /// the content is decoration). Consecutive content of one node and kind shares one
    /// marked-content section: a paragraph's lines on a page are one leaf, not one per run,
    /// which keeps the structure tree (and the file) small.
    pub(super) fn mark(&mut self, surface: &mut Surface, node: Node, content: Content) {
        self.open_section(surface, node, content, None);
    }

    /// [`Tagger::mark`] for text in language `lang` (`None`: its node's): text in another
    /// language than its node's gets a section of its own that names it (`/Lang` on the
    /// span, PDF/UA's way to mark a change of language inside a paragraph).
    pub(super) fn mark_text(&mut self, surface: &mut Surface, node: Node, lang: Option<&Arc<str>>) {
        let node_lang = node
            .and_then(|n| self.langs.get(n as usize).copied())
            .unwrap_or(self.doc_lang);
        let lang = lang.filter(|l| !l.eq_ignore_ascii_case(node_lang));
        self.open_section(surface, node, Content::Text, lang);
    }

    fn open_section(
        &mut self,
        surface: &mut Surface,
        node: Node,
        content: Content,
        lang: Option<&Arc<str>>,
    ) {
        let node = node.filter(|n| (*n as usize) < self.nodes.len());
        // Validation errors about this content then name its source line.
        match node {
            Some(n) => surface.set_location(location(self.nodes[n as usize].loc)),
            None => surface.reset_location(),
        }
        if !self.enabled {
            return;
        }
        let (node, content, lang) = match (node, content) {
            (Some(_), Content::Artifact) | (None, Content::Image) => {
                (None, Content::Artifact, None)
            }
            (Some(n), Content::Text) => (Some(n), Content::Text, lang),
            (node, content) => (node, content, None),
        };
        if let Some((n, c, l)) = &self.open {
            if *n == node && *c == content && l.as_ref() == lang {
                return;
            }
        }
        self.end(surface);
        self.open = Some((node, content, lang.cloned()));
        match (node, content, lang) {
            (Some(n), Content::Text, lang) => {
                let span = SpanTag {
                    lang: lang.map(|l| &**l),
                    ..SpanTag::empty()
                };
                let id = surface.start_tagged(ContentTag::Span(span));
                self.leaf(n, id);
            }
            (Some(n), Content::Image, _) => {
                let id = surface.start_tagged(ContentTag::Other);
                self.leaf(n, id);
            }
            (None, Content::Text, _) => {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::PaginationOther,
                )));
            }
            _ => {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
            }
        }
    }

    /// Closes the open section (at the end of a page).
    pub(super) fn end(&mut self, surface: &mut Surface) {
        if self.enabled && self.open.take().is_some() {
            surface.end_tagged();
        }
    }

    /// Puts `node` into the tree now, before any of its content is drawn: a figure that
    /// floated to a later page keeps, in the reading order, the place it has in the text.
    pub(super) fn reserve(&mut self, node: u32) {
        if self.enabled {
            self.attach(node);
        }
    }

    /// A link annotation of `node`'s text: a Link group under the node.
    pub(super) fn annotation(&mut self, node: Node, ident: Identifier) {
        self.links.push(Some(ident));
        let child = Child::Link(self.links.len() - 1);
        match node {
            Some(n) if (n as usize) < self.nodes.len() => {
                self.attach(n);
                self.children[n as usize].push(child);
            }
            _ => self.roots.push(child),
        }
    }

    /// The finished tree, `None` when tagging is off.
    pub(super) fn finish(mut self) -> Option<TagTree> {
        if !self.enabled {
            return None;
        }
        let mut tree = TagTree::new();
        let roots = std::mem::take(&mut self.roots);
        for child in roots {
            if let Some(node) = self.build(child) {
                tree.push(node);
            }
        }
        Some(tree)
    }

    fn build(&mut self, child: Child) -> Option<krilla::tagging::Node> {
        match child {
            Child::Leaf(id) => Some(id.into()),
            Child::Link(i) => {
                let ident = self.links.get_mut(i)?.take()?;
                Some(TagGroup::with_children(Tag::Link, vec![ident.into()]).into())
            }
            Child::Node(n) => {
                let kids = std::mem::take(&mut self.children[n as usize]);
                let node = &self.nodes[n as usize];
                let tag = kind(&node.role)
                    .with_location(Some(location(node.loc)))
                    .with_lang(node.lang.clone());
                let mut group = TagGroup::new(tag);
                for k in kids {
                    if let Some(node) = self.build(k) {
                        group.push(node);
                    }
                }
                Some(group.into())
            }
        }
    }
}

/// The language of each node's text: its own `lang`, else the nearest ancestor's, else the
/// document's. A parent may come after its child in the list, so each chain is walked up to
/// the first node that has a language or whose answer is already known.
fn node_langs<'a>(nodes: &'a [StructNode], doc_lang: &'a str) -> Vec<&'a str> {
    let mut langs: Vec<Option<&'a str>> = vec![None; nodes.len()];
    for start in 0..nodes.len() {
        let mut chain = Vec::new();
        let mut at = Some(start);
        let found = loop {
            let Some(i) = at.filter(|&i| i < nodes.len()) else {
                break doc_lang;
            };
            if let Some(l) = langs[i] {
                break l;
            }
            if let Some(l) = nodes[i].lang.as_deref() {
                langs[i] = Some(l);
                break l;
            }
            // A node that names itself as its parent, or a longer loop, ends at the document.
            if chain.contains(&i) {
                break doc_lang;
            }
            chain.push(i);
            at = nodes[i].parent.map(|p| p as usize);
        };
        for i in chain {
            langs[i] = Some(found);
        }
    }
    langs.into_iter().map(|l| l.unwrap_or(doc_lang)).collect()
}

/// The tag of a role.
fn kind(role: &Role) -> TagKind {
    match role {
        Role::Title => Tag::Title.into(),
        Role::Heading { level, title } => {
            let level = NonZeroU16::new(u16::from((*level).clamp(1, 6))).unwrap_or(NonZeroU16::MIN);
            Tag::Hn(level, Some(title.clone())).into()
        }
        Role::Paragraph => Tag::P.into(),
        Role::List { ordered } => Tag::L(if *ordered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        Role::ListItem => Tag::LI.into(),
        Role::Label => Tag::Lbl.into(),
        Role::ListBody => Tag::LBody.into(),
        Role::Table => Tag::Table.into(),
        Role::TableRow => Tag::TR.into(),
        Role::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        Role::Cell => Tag::TD.into(),
        Role::Figure { alt } => Tag::Figure(alt.clone().filter(|a| !a.trim().is_empty())).into(),
        Role::Caption => Tag::Caption.into(),
        Role::Code => Tag::Code.into(),
        Role::BlockQuote => Tag::BlockQuote.into(),
        Role::Note => Tag::Note.into(),
        Role::Toc => Tag::TOC.into(),
        Role::TocItem => Tag::TOCI.into(),
        Role::Formula { tex } => Tag::Formula(Some(tex.clone())).into(),
        Role::Div => Tag::Div.into(),
    }
}

/// A source position as krilla's location (file index and line packed into one number).
fn location(loc: Loc) -> Location {
    let packed = (u64::from(loc.file) << 32) | u64::from(loc.line);
    Location::new(packed + 1).unwrap_or(Location::MIN)
}

/// The source position a krilla location stands for, as `path:line`.
fn place(location: Option<Location>, files: &[PathBuf]) -> Option<String> {
    let packed = location?.get() - 1;
    let (file, line) = ((packed >> 32) as usize, packed as u32);
    let path = files.get(file).or(files.first())?;
    Some(if line > 0 {
        format!("{}:{line}", path.display())
    } else {
        path.display().to_string()
    })
}

/// A krilla failure as a message a user can act on: for a standard, what is missing and where.
pub(super) fn explain(
    e: krilla::error::KrillaError,
    standards: &[Standard],
    files: &[PathBuf],
) -> WriteError {
    use krilla::error::KrillaError;
    match e {
        KrillaError::Validation(errors) => {
            let mut problems: Vec<String> = errors
                .iter()
                .map(|(e, _)| match place(where_(e), files) {
                    Some(at) => format!("{} (at {at})", problem(e)),
                    None => problem(e),
                })
                .collect();
            problems.sort();
            problems.dedup();
            WriteError::Standard {
                standard: standards
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join(","),
                problems,
            }
        }
        other => WriteError::Library(format!("{other:?}")),
    }
}

/// Where krilla says a validation error happened.
fn where_(e: &ValidationError) -> Option<Location> {
    match e {
        ValidationError::MissingAltText(l)
        | ValidationError::ContainsNotDefGlyph(_, l, _)
        | ValidationError::NoCodepointMapping(_, _, l)
        | ValidationError::InvalidCodepointMapping(_, _, _, l)
        | ValidationError::UnicodePrivateArea(_, _, _, l) => *l,
        _ => None,
    }
}

/// One validation error in words.
fn problem(e: &ValidationError) -> String {
    match e {
        ValidationError::MissingAltText(_) => {
            "an image has no alternative text (write it in ![alt](...))".to_string()
        }
        ValidationError::NoDocumentTitle => {
            "the document has no title (add `title:` to the front matter)".to_string()
        }
        ValidationError::NoDocumentLanguage => {
            "the document has no language (add `lang:` to the front matter)".to_string()
        }
        ValidationError::ContainsNotDefGlyph(_, _, text) => {
            format!("no font has a glyph for {text:?}")
        }
        other => format!("{other:?}"),
    }
}
