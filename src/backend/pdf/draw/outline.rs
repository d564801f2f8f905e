//! Navigation: the nested outline (bookmarks), link annotations and named destinations.

use super::pdfstr::text_string;
use crate::backend::pdf::frame::{Frame, Item, LinkTarget, OutlineEntry, Pt};
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::BTreeMap;

/// Where each anchor is: page index and the PDF-space y of its top.
pub(crate) type Anchors = BTreeMap<String, (usize, Pt)>;

/// Collects the anchors of all frames; the first occurrence of an id wins.
pub(crate) fn anchors(frames: &[Frame]) -> Anchors {
    let mut out = Anchors::new();
    for (page, frame) in frames.iter().enumerate() {
        for item in &frame.items {
            if let Item::Anchor { id, y } = item {
                out.entry(id.clone()).or_insert((page, frame.height - *y));
            }
        }
    }
    out
}

/// An explicit destination: the page, scrolled so that `top` is at the top of the window.
fn dest(pages: &[ObjectId], page: usize, top: Pt) -> Object {
    let page = pages.get(page).or(pages.first()).copied().unwrap_or((0, 0));
    vec![
        Object::Reference(page),
        "XYZ".into(),
        Object::Integer(0),
        Object::Real(top),
        Object::Null,
    ]
    .into()
}

/// A URI as the 7-bit ASCII PDF requires: bytes outside printable ASCII are %-escaped
/// (UTF-8), as a browser would send them.
pub(crate) fn ascii_uri(uri: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(uri.len());
    for &b in uri.as_bytes() {
        if (0x21..0x7F).contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// Link annotations of one page; links to unknown anchors are skipped (the layout only
/// makes links to ids it placed, so this is a layout defect, not user error).
pub(crate) fn annotations(
    doc: &mut Document,
    frame: &Frame,
    anchors: &Anchors,
    pages: &[ObjectId],
) -> Vec<Object> {
    let mut out = Vec::new();
    for item in &frame.items {
        let Item::Link { x, y, w, h, target } = item else {
            continue;
        };
        let rect: Vec<Object> = vec![
            Object::Real(*x),
            Object::Real(frame.height - *y - *h),
            Object::Real(*x + *w),
            Object::Real(frame.height - *y),
        ];
        let mut annot = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => rect,
            "Border" => vec![Object::Integer(0), Object::Integer(0), Object::Integer(0)],
        };
        match target {
            LinkTarget::Uri(uri) => {
                annot.set(
                    "A",
                    dictionary! {
                        "S" => "URI",
                        "URI" => Object::String(ascii_uri(uri), StringFormat::Literal),
                    },
                );
            }
            LinkTarget::Anchor(id) => {
                let Some(&(page, top)) = anchors.get(id) else {
                    continue;
                };
                annot.set("Dest", dest(pages, page, top));
            }
        }
        out.push(Object::Reference(doc.add_object(annot)));
    }
    out
}

/// A name tree of all anchors (so `file.pdf#id` opens at the heading), sorted by name.
pub(crate) fn dests_tree(doc: &mut Document, anchors: &Anchors, pages: &[ObjectId]) -> ObjectId {
    let mut names = Vec::with_capacity(anchors.len() * 2);
    for (id, &(page, top)) in anchors {
        names.push(Object::String(
            id.as_bytes().to_vec(),
            StringFormat::Literal,
        ));
        names.push(dest(pages, page, top));
    }
    doc.add_object(dictionary! { "Names" => names })
}

/// Builds the outline tree; returns the `/Outlines` dictionary id, or `None` without entries.
/// Levels nest by stack: an entry becomes the child of the nearest preceding shallower one,
/// so a jump from level 1 to 3 still nests once.
pub(crate) fn outline(
    doc: &mut Document,
    entries: &[OutlineEntry],
    anchors: &Anchors,
    pages: &[ObjectId],
    first_top: Pt,
) -> Option<ObjectId> {
    if entries.is_empty() || pages.is_empty() {
        return None;
    }
    // children[i]: entries nested directly under entry i; roots: the top level.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut roots: Vec<usize> = Vec::new();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    for (index, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&(l, _)| l >= e.level) {
            stack.pop();
        }
        match stack.last() {
            Some(&(_, parent)) => children[parent].push(index),
            None => roots.push(index),
        }
        stack.push((e.level, index));
    }
    let tree = Tree {
        entries,
        children: &children,
        anchors,
        pages,
        first_top,
    };
    let root = doc.new_object_id();
    let (first, last, _) = write_level(doc, &tree, &roots, root);
    doc.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "Outlines",
            "First" => first,
            "Last" => last,
            "Count" => roots.len() as i64,
        }),
    );
    Some(root)
}

/// The outline being written.
struct Tree<'a> {
    entries: &'a [OutlineEntry],
    children: &'a [Vec<usize>],
    anchors: &'a Anchors,
    pages: &'a [ObjectId],
    first_top: Pt,
}

/// Writes sibling items under `parent`; returns (first, last, descendant count).
fn write_level(
    doc: &mut Document,
    tree: &Tree<'_>,
    nodes: &[usize],
    parent: ObjectId,
) -> (ObjectId, ObjectId, usize) {
    let ids: Vec<ObjectId> = nodes.iter().map(|_| doc.new_object_id()).collect();
    let mut total = 0;
    for (i, &node) in nodes.iter().enumerate() {
        let e = &tree.entries[node];
        // Unknown anchor: the top of the first page (never a dead bookmark).
        let (page, top) = tree
            .anchors
            .get(&e.anchor)
            .copied()
            .unwrap_or((0, tree.first_top));
        let mut dict: Dictionary = dictionary! {
            "Title" => text_string(&e.title),
            "Parent" => parent,
            "Dest" => dest(tree.pages, page, top),
        };
        if i > 0 {
            dict.set("Prev", ids[i - 1]);
        }
        if i + 1 < ids.len() {
            dict.set("Next", ids[i + 1]);
        }
        total += 1;
        let kids = &tree.children[node];
        if !kids.is_empty() {
            let (first, last, count) = write_level(doc, tree, kids, ids[i]);
            dict.set("First", first);
            dict.set("Last", last);
            // Negative: closed, so a long book opens with its chapters only.
            dict.set("Count", -(count as i64));
            total += count;
        }
        doc.objects.insert(ids[i], Object::Dictionary(dict));
    }
    (ids[0], ids[ids.len() - 1], total)
}
