//! SVG figures as vector graphics: parse with usvg, convert with svg2pdf, and carry the result
//! into the writer's lopdf document as a 1×1 Form XObject that is placed like an image.
//!
//! svg2pdf writes with pdf-writer, not lopdf, so its output is read back with lopdf once, the
//! objects reachable from the form are put in a deterministic order (breadth first, dictionary
//! keys sorted), and their references are rewritten to local numbers. Embedding then only
//! allocates fresh object ids in our document. Text in an SVG is drawn as outlines of the bundled
//! DejaVu faces, so figures never depend on the fonts installed on the machine and do not mix
//! their labels into the text layer of the page.
//!
//! The layout asks for an SVG's size and the writer for its objects; both go through one
//! process-wide memo keyed by the SVG's bytes, so each SVG is parsed and converted once per
//! document. The memo holds results of a pure function of those bytes, so it cannot change any
//! output; it is bounded so that a long-lived process does not grow without limit.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use svg2pdf::usvg::{self, fontdb};

#[cfg(test)]
mod tests;
mod times;

/// An SVG converted to PDF objects, ready to be copied into a document.
#[derive(Debug)]
pub struct Prepared {
    /// Intrinsic width in points (1 SVG px = 0.75 pt, as for images at 96 dpi).
    pub width: f32,
    /// Intrinsic height in points.
    pub height: f32,
    /// The Form XObject (index 0) and every object it reaches. A reference to local object `i`
    /// is written as object id `(i + 1, 0)`.
    objects: Vec<Object>,
}

/// How many converted SVGs the memo keeps (a book has a few dozen figures at most).
const MEMO_LEN: usize = 128;

type Memo = Mutex<VecDeque<(Arc<[u8]>, Arc<Result<Prepared, String>>)>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(VecDeque::new()))
}

/// The SVG converted to PDF objects, or why it cannot be drawn (malformed XML, no size, nothing
/// to draw, a conversion failure). Never panics: a panic inside the SVG libraries is caught and
/// reported as an error.
pub fn prepare(bytes: &[u8]) -> Arc<Result<Prepared, String>> {
    if let Ok(memo) = memo().lock() {
        if let Some((_, hit)) = memo.iter().find(|(k, _)| **k == *bytes) {
            return hit.clone();
        }
    }
    // Converted outside the lock: two threads may convert the same SVG at once, which costs
    // time but not correctness (both results are identical).
    let result = std::panic::catch_unwind(|| convert(bytes))
        .unwrap_or_else(|_| Err("the SVG libraries failed on this file".to_string()));
    let result = Arc::new(result);
    if let Ok(mut memo) = memo().lock() {
        if memo.len() >= MEMO_LEN {
            memo.pop_front();
        }
        memo.push_back((Arc::from(bytes), result.clone()));
    }
    result
}

/// Intrinsic size of an SVG in points, `None` when it cannot be drawn.
pub fn svg_size(bytes: &[u8]) -> Option<(f32, f32)> {
    match &*prepare(bytes) {
        Ok(p) => Some((p.width, p.height)),
        Err(_) => None,
    }
}

/// The bundled faces in a font database, with the generic families mapped onto them, built
/// once: SVG text must look the same on every machine.
fn font_db() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for (_, data) in super::fonts::bundled_font_data() {
            let data: &'static [u8] = data;
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_serif_family("DejaVu Serif");
        // No sans face is bundled; sans text falls back to the serif rather than vanishing.
        db.set_sans_serif_family("DejaVu Serif");
        db.set_cursive_family("DejaVu Serif");
        db.set_fantasy_family("DejaVu Serif");
        db.set_monospace_family("DejaVu Sans Mono");
        Arc::new(db)
    })
    .clone()
}

fn convert(bytes: &[u8]) -> Result<Prepared, String> {
    let mut opts = usvg::Options {
        font_family: "DejaVu Serif".to_string(),
        fontdb: font_db(),
        ..usvg::Options::default()
    };
    // External and embedded raster images are never fetched: the output must depend only on
    // the document's own bytes (and svg2pdf is built without raster image support).
    opts.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    let fitted = std::str::from_utf8(bytes)
        .ok()
        .and_then(times::fit_times_labels);
    let source = fitted.as_deref().map_or(bytes, str::as_bytes);
    let tree = usvg::Tree::from_data(source, &opts).map_err(|e| e.to_string())?;
    if !tree.root().has_children() {
        return Err("the SVG draws nothing".to_string());
    }
    let size = tree.size();
    let (width, height) = (size.width() * 0.75, size.height() * 0.75);
    if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
        return Err("the SVG has no usable size".to_string());
    }
    let options = svg2pdf::ConversionOptions {
        // Compressed below with the writer's own (reused) compressor: svg2pdf's sets up a
        // fresh one for every stream, which cost more than the conversion itself.
        compress: false,
        raster_scale: 1.5,
        // Outlines instead of embedded font subsets: no per-figure font copies, and the
        // labels stay out of the page's extractable text.
        embed_text: false,
        pdfa: false,
    };
    let (chunk, root) = svg2pdf::to_chunk(&tree, options).map_err(|e| e.to_string())?;
    // Wrap the objects in a minimal file so lopdf can read them back.
    let catalog = svg2pdf_ref(chunk.refs().map(|r| r.get()).max().unwrap_or(0) + 1);
    let mut pdf = pdf_writer::Pdf::new();
    pdf.extend(&chunk);
    pdf.catalog(catalog);
    let file =
        Document::load_mem(&pdf.finish()).map_err(|e| format!("unreadable conversion: {e}"))?;
    let mut objects = localise(&file, (root.get() as u32, 0))?;
    for obj in &mut objects {
        if let Object::Stream(stream) = obj {
            if !stream.dict.has(b"Filter") {
                stream.set_content(crate::backend::pdf::draw::deflate(&stream.content));
                stream.dict.set("Filter", "FlateDecode");
            }
        }
    }
    Ok(Prepared {
        width,
        height,
        objects,
    })
}

fn svg2pdf_ref(n: i32) -> pdf_writer::Ref {
    pdf_writer::Ref::new(n.max(1))
}

/// The objects reachable from `root`, breadth first, with references rewritten to local
/// numbers and dictionary keys sorted (svg2pdf fills resource dictionaries from a hash map).
fn localise(file: &Document, root: ObjectId) -> Result<Vec<Object>, String> {
    let mut order = vec![root];
    let mut index: BTreeMap<ObjectId, usize> = BTreeMap::from([(root, 0)]);
    let mut next = 0;
    while next < order.len() {
        let id = order[next];
        next += 1;
        let obj = file
            .get_object(id)
            .map_err(|e| format!("conversion lost object {id:?}: {e}"))?;
        let mut refs = Vec::new();
        collect_refs(obj, &mut refs);
        for r in refs {
            if let std::collections::btree_map::Entry::Vacant(slot) = index.entry(r) {
                slot.insert(order.len());
                order.push(r);
            }
        }
    }
    order
        .iter()
        .map(|&id| {
            let obj = file
                .get_object(id)
                .map_err(|e| format!("conversion lost object {id:?}: {e}"))?;
            Ok(remap(obj, &|r| {
                index.get(&r).map(|&i| (i as u32 + 1, 0)).unwrap_or((0, 0))
            }))
        })
        .collect()
}

/// References inside an object, in sorted-key order.
fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(r) => out.push(*r),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => sorted(d).for_each(|(_, v)| collect_refs(v, out)),
        Object::Stream(s) => sorted(&s.dict).for_each(|(_, v)| collect_refs(v, out)),
        _ => {}
    }
}

fn sorted(d: &Dictionary) -> impl Iterator<Item = (&Vec<u8>, &Object)> {
    let mut pairs: Vec<_> = d.iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs.into_iter()
}

/// A copy of `obj` with every reference passed through `map` and dictionary keys sorted.
fn remap(obj: &Object, map: &dyn Fn(ObjectId) -> ObjectId) -> Object {
    let dict = |d: &Dictionary| {
        let mut out = Dictionary::new();
        for (k, v) in sorted(d) {
            out.set(k.clone(), remap(v, map));
        }
        out
    };
    match obj {
        Object::Reference(r) => Object::Reference(map(*r)),
        Object::Array(a) => Object::Array(a.iter().map(|o| remap(o, map)).collect()),
        Object::Dictionary(d) => Object::Dictionary(dict(d)),
        Object::Stream(s) => {
            Object::Stream(Stream::new(dict(&s.dict), s.content.clone()).with_compression(false))
        }
        other => other.clone(),
    }
}

/// Copies a prepared SVG into `doc` and returns the id of its Form XObject (1×1 units, drawn
/// with the same `cm` + `Do` as an image). `None` when the SVG cannot be drawn.
pub(crate) fn add_form(doc: &mut Document, bytes: &[u8]) -> Option<ObjectId> {
    let prepared = prepare(bytes);
    let prepared = prepared.as_ref().as_ref().ok()?;
    let ids: Vec<ObjectId> = prepared
        .objects
        .iter()
        .map(|_| doc.new_object_id())
        .collect();
    let map = |(n, _): ObjectId| {
        ids.get((n as usize).wrapping_sub(1))
            .copied()
            .unwrap_or((0, 0))
    };
    for (obj, &id) in prepared.objects.iter().zip(&ids) {
        doc.objects.insert(id, remap(obj, &map));
    }
    ids.first().copied()
}
