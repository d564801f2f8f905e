//! SVG figures: parsed once with usvg into a tree that the layout sizes and a paged backend
//! draws as vectors.
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

mod times;

/// A parsed SVG, ready to be drawn.
#[derive(Debug)]
pub struct Prepared {
    /// Intrinsic width in points (1 SVG px = 0.75 pt, as for images at 96 dpi).
    pub width: f32,
    /// Intrinsic height in points.
    pub height: f32,
    /// The parsed picture.
    pub tree: usvg::Tree,
}

/// How many converted SVGs the memo keeps (a book has a few dozen figures at most).
const MEMO_LEN: usize = 128;

type Memo = Mutex<VecDeque<(Arc<[u8]>, Arc<Result<Prepared, String>>)>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(VecDeque::new()))
}

/// The SVG parsed, or why it cannot be drawn (malformed XML, no size, nothing to draw). Never panics: a panic inside the SVG libraries is caught and
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
        for (_, data) in crate::typeset::fonts::bundled_font_data() {
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
    // the document's own bytes.
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
    Ok(Prepared {
        width,
        height,
        tree,
    })
}
