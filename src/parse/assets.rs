//! Images: every local image the document refers to is read once, here, at parse time, and
//! judged once: only an image that can be used ([`crate::image::check`]: it decodes,
//! it is within the size limits, an SVG is safe to draw and to package) enters
//! [`Document::assets`]. Every other one is reported here, once, with the place that refers to
//! it, and both backends show its alt text instead; so the PDF and the EPUB always agree on
//! which images they hold.

use crate::doc::{Asset, AssetKind, Block, Document, Inline, Loc};
use crate::error::{Code, Diagnostic};
use crate::source;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads the images of `doc` (and its cover) relative to `base`, warning about missing, remote
/// and unrecognised ones; backends show the alt text for any image not in `doc.assets`.
pub fn load(base: &Path, doc: &mut Document) {
    let mut refs: BTreeMap<String, Loc> = BTreeMap::new();
    collect(&mut doc.blocks, &mut refs);
    if let Some(cover) = &doc.meta.cover {
        refs.entry(cover.clone()).or_insert(Loc {
            file: 0,
            line: 1,
            col: 1,
            len: 0,
        });
    }
    let files = doc.files.clone();
    let mut warnings = Vec::new();
    let mut read = Vec::new();
    for (url, loc) in refs {
        // A book's images are named by many files: each warning names its own.
        let path = files
            .get(loc.file as usize)
            .or(files.first())
            .cloned()
            .unwrap_or_default();
        let warn = |code, message: String| Diagnostic::warning_at(code, &path, loc, message);
        if is_remote(&url) {
            warnings.push(warn(
                Code::RemoteImage,
                format!("remote image `{url}` is not fetched; its alt text is shown instead"),
            ));
            continue;
        }
        if url.starts_with("data:") {
            warnings.push(warn(
                Code::RemoteImage,
                "inline `data:` images are not supported; the alt text is shown instead".into(),
            ));
            continue;
        }
        let file = base.join(percent_decode(url.split(['?', '#']).next().unwrap_or(&url)));
        // Recorded even when missing: `bindery watch` rebuilds when it appears.
        doc.reads.push(file.clone());
        match source::read(&file, source::Kind::Image) {
            Ok(bytes) => match AssetKind::sniff(&bytes) {
                Some(kind) => read.push((url, loc, path, Asset::new(kind, bytes))),
                None => warnings.push(warn(Code::BadImage, format!(
                    "image `{url}` is not a PNG, JPEG, GIF, WebP or SVG file; its alt text is shown instead"
                ))),
            },
            Err(e) => warnings.push(warn(Code::MissingImage, format!(
                "image `{url}` cannot be read ({e}); its alt text is shown instead"
            ))),
        }
    }
    // Judged on the thread pool (the verdicts are memoized, so the layout finds them ready).
    // A PNG's samples are kept for the PDF writer, which then does not decode it again.
    // One task per image: rayon's default splitting left the Rust book's four large
    // screenshots, neighbours in the list, to one thread while the other idled.
    let verdicts: Vec<_> = {
        use rayon::prelude::*;
        read.par_iter()
            .with_max_len(1)
            .map(|(_, _, _, asset)| crate::image::check_decoded(asset))
            .collect()
    };
    for ((url, loc, path, mut asset), verdict) in read.into_iter().zip(verdicts) {
        match verdict {
            Ok((_, pixels)) => {
                asset.pixels = crate::doc::PixelSlot::new(pixels);
                doc.assets.insert(url, asset);
            }
            Err(why) => warnings.push(Diagnostic::warning_at(
                Code::BadImage,
                &path,
                loc,
                format!("image `{url}` cannot be used: {why}; its alt text is shown instead"),
            )),
        }
    }
    doc.diagnostics.extend(warnings);
}

/// `http:`, `https:`, `ftp:` and protocol-relative URLs are remote.
pub fn is_remote(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("ftp://")
        || lower.starts_with("//")
}

/// `%20` and other escapes of a URL path decoded (kept as written when not UTF-8).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Every image reference in `blocks`, with the place of its first use.
fn collect(blocks: &mut [Block], refs: &mut BTreeMap<String, Loc>) {
    crate::doc::visit_inline_lists_mut(blocks, &mut |list, loc| {
        for inline in list.iter() {
            if let Inline::Image { url, loc: at, .. } = inline {
                // The image's own span; one built without it (raw HTML) points at its block.
                let at = if at.line > 0 { *at } else { loc };
                refs.entry(url.clone()).or_insert(at);
            }
        }
    });
}
