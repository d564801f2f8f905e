//! SVG figures: parsed once with usvg into a tree that the layout sizes and a paged backend
//! draws as vectors, and written out again as the safe copy the EPUB packages.
//!
//! Before usvg sees a file, [`guard`] measures it (nesting and reference depth, loops,
//! expansion, style-sheet cost): a hostile SVG is refused as one that cannot be drawn, never by
//! running out of stack or time. The EPUB never packages the file as it was written: it gets
//! usvg's tree written back out ([`Prepared::epub`]), which holds only shapes, paint servers,
//! clip paths, masks and filters. Scripts, event attributes, `foreignObject`, style sheets,
//! entities and the DOCTYPE, external references (`href`s to files or the web, `/etc/passwd`)
//! and embedded images do not survive usvg's conversion, text becomes outlines (so no font is
//! needed), and ids are renamed so that they are unique and valid.
//!
//! Text in an SVG is set in the bundled faces only (generic families mapped onto them), so a
//! figure never depends on the fonts installed on the machine.
//!
//! The layout asks for an SVG's size and the writer for its tree; both go through one
//! process-wide memo keyed by the SVG's bytes, so each SVG is parsed once per document. The memo
//! holds results of a pure function of those bytes, so it cannot change any output; it is
//! bounded so that a long-lived process does not grow without limit.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use usvg::fontdb;

pub mod guard;
mod times;

/// The largest SVG file converted: 16 MiB (a figure of a few hundred thousand elements).
pub const MAX_SVG_BYTES: usize = 16 << 20;

/// A parsed SVG, ready to be drawn.
#[derive(Debug)]
pub struct Prepared {
    /// Intrinsic width in points (1 SVG px = 0.75 pt, as for images at 96 dpi).
    pub width: f32,
    /// Intrinsic height in points.
    pub height: f32,
    /// The parsed picture.
    pub tree: usvg::Tree,
    /// The picture written back out as a self-contained SVG 1.1 file for the EPUB.
    pub epub: String,
}

/// How many converted SVGs the memo keeps (a book has a few dozen figures at most).
const MEMO_LEN: usize = 128;

type Memo = Mutex<VecDeque<(Arc<[u8]>, Arc<Result<Prepared, String>>)>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(VecDeque::new()))
}

/// The SVG parsed, or why it cannot be drawn (malformed XML, no size, nothing to draw, over
/// one of [`guard`]'s bounds), in words that complete "image `x` cannot be used: …". Never
/// panics: a panic inside the SVG libraries is caught and reported as an error.
pub fn prepare(bytes: &[u8]) -> Arc<Result<Prepared, String>> {
    if let Ok(memo) = memo().lock() {
        if let Some((_, hit)) = memo.iter().find(|(k, _)| **k == *bytes) {
            return hit.clone();
        }
    }
    // Converted outside the lock: two threads may convert the same SVG at once, which costs
    // time but not correctness (both results are identical).
    let result = std::panic::catch_unwind(|| convert(bytes))
        .unwrap_or_else(|_| Err("the SVG library failed on this file".to_string()));
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
        for (_, data) in crate::font::bundled_font_data() {
            let data: &'static [u8] = data;
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_serif_family("Source Serif 4 SmText");
        // No sans face is bundled; sans text falls back to the serif rather than vanishing.
        db.set_sans_serif_family("Source Serif 4 SmText");
        db.set_cursive_family("Source Serif 4 SmText");
        db.set_fantasy_family("Source Serif 4 SmText");
        db.set_monospace_family("Source Code Pro");
        Arc::new(db)
    })
    .clone()
}

fn convert(bytes: &[u8]) -> Result<Prepared, String> {
    if bytes.len() > MAX_SVG_BYTES {
        return Err(format!(
            "the SVG is larger than {} MiB, the limit for SVG images",
            MAX_SVG_BYTES >> 20
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "the SVG is not UTF-8 text (gzip-compressed SVG is not read)".to_string())?;
    guard::check_source(text)?;
    let mut opts = usvg::Options {
        font_family: "Source Serif 4 SmText".to_string(),
        fontdb: font_db(),
        ..usvg::Options::default()
    };
    // External and embedded raster images are never fetched: the output must depend only on
    // the document's own bytes.
    opts.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    let fitted = times::fit_times_labels(text);
    let source = fitted.as_deref().unwrap_or(text);
    let tree = usvg::Tree::from_str(source, &opts).map_err(|e| match e {
        usvg::Error::ElementsLimitReached => "the SVG has too many elements".to_string(),
        usvg::Error::InvalidSize => "the SVG has no usable size".to_string(),
        _ => "the SVG is damaged (not well-formed XML, or not an SVG)".to_string(),
    })?;
    if !tree.root().has_children() {
        return Err("the SVG draws nothing".to_string());
    }
    let size = tree.size();
    let (width, height) = (size.width() * 0.75, size.height() * 0.75);
    if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
        return Err("the SVG has no usable size".to_string());
    }
    guard::check_tree(&tree)?;
    let epub = safe_copy(&tree).ok_or("the SVG cannot be written back out safely")?;
    Ok(Prepared {
        width,
        height,
        tree,
        epub,
    })
}

/// The tree written back out for the EPUB: usvg's writer (text as outlines), then every id
/// renamed `s1`, `s2`... in document order (only those something refers to are kept), so ids
/// are valid and unique whatever the source used. Checked once more: no element or attribute
/// outside what usvg writes, no reference that leaves the file.
fn safe_copy(tree: &usvg::Tree) -> Option<String> {
    use std::collections::HashMap;
    let written = tree.to_string(&usvg::WriteOptions {
        indent: usvg::Indent::None,
        attributes_indent: usvg::Indent::None,
        ..usvg::WriteOptions::default()
    });
    // The picture scales with the `img` that shows it (usvg has already mapped any viewBox
    // of the source onto its own size).
    let size = tree.size();
    let written = written.replacen(
        "<svg ",
        &format!("<svg viewBox=\"0 0 {} {}\" ", size.width(), size.height()),
        1,
    );
    let doc = usvg::roxmltree::Document::parse(&written).ok()?;
    // Local references, and the new name of each id referred to.
    let mut names: HashMap<&str, String> = HashMap::new();
    // `href="#id"`, and `url(#id)` in any value (a fill may also be a `#rrggbb` colour).
    let local = |name: &str, value: &str| -> Vec<String> {
        let mut out = Vec::new();
        if name == "href" {
            if let Some(id) = value.strip_prefix('#') {
                out.push(id.to_string());
            }
        }
        let mut rest = value;
        while let Some(i) = rest.find("url(#") {
            rest = &rest[i + 5..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].to_string());
            }
        }
        out
    };
    let mut referred: std::collections::HashSet<String> = Default::default();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if matches!(
            name,
            "script" | "foreignObject" | "style" | "a" | "image" | "iframe"
        ) {
            return None;
        }
        for attr in node.attributes() {
            let lower = attr.name().to_ascii_lowercase();
            if lower.starts_with("on") {
                return None;
            }
            if lower == "href" && !attr.value().starts_with('#') {
                return None;
            }
            if attr.value().contains("url(") && !attr.value().contains("url(#") {
                return None;
            }
            referred.extend(local(attr.name(), attr.value()));
        }
    }
    let mut next = 0;
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("id") {
            if referred.contains(id) && !names.contains_key(id) {
                next += 1;
                names.insert(id, format!("s{next}"));
            }
        }
    }
    // Edits (byte range, replacement), applied back to front.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut kept: std::collections::HashSet<&str> = Default::default();
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            if attr.name() == "id" && attr.namespace().is_none() {
                let id = attr.value();
                match names.get(id) {
                    Some(new) if kept.insert(id) => edits.push((attr.range_value(), new.clone())),
                    _ => {
                        // Unreferred or repeated: dropped, with the space before it.
                        let r = attr.range();
                        edits.push((r.start.saturating_sub(1)..r.end, String::new()));
                    }
                }
                continue;
            }
            let refs = local(attr.name(), attr.value());
            if refs.is_empty() {
                continue;
            }
            let mut value = attr.value().to_string();
            for old in refs {
                let new = names.get(old.as_str())?;
                value = value.replace(&format!("url(#{old})"), &format!("url(#{new})"));
                if value == format!("#{old}") {
                    value = format!("#{new}");
                }
            }
            edits.push((attr.range_value(), escape_attr(&value)));
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = written.clone();
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    usvg::roxmltree::Document::parse(&out).ok()?;
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{out}\n"
    ))
}

/// A value as it may stand between double quotes.
fn escape_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}
