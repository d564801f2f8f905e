//! Images: every local image the document refers to is read once, here, at parse time, and
//! judged once: only an image that can be used ([`crate::image::check`]: it decodes,
//! it is within the size limits, an SVG is safe to draw and to package) enters
//! [`Document::assets`]. Every other one is reported here, once, with the place that refers to
//! it, and both backends show its alt text instead; so the PDF and the EPUB always agree on
//! which images they hold.

use crate::doc::{Asset, AssetKind, Block, Document, Inline, Loc};
use crate::error::{Code, Diagnostic};
use crate::source;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Reads the images of `doc` (and its cover) relative to `base`, warning about missing, remote
/// and unrecognised ones; backends show the alt text for any image not in `doc.assets`.
pub fn load(base: &Path, doc: &mut Document) {
    load_with(base, doc, Prefetched::default());
}

/// PNG files read and judged while the text they are named in was still being parsed
/// ([`prefetch`]), by the path they were read from.
#[derive(Default)]
pub struct Prefetched(HashMap<PathBuf, (Asset, Result<crate::image::Judged, String>)>);

/// Reads and judges, on the thread pool, the PNG files that `text` appears to name (`<img
/// src>` and `![](…)`, relative to `base`), so that their decoding (the costliest step of
/// reading a document with large screenshots) overlaps the parsing of the text instead of
/// following it. This is a look ahead, not a parse: [`load_with`] takes from it only the files
/// the parsed document does name and reads everything else itself, so a name it misses or
/// one that only a code sample mentions changes nothing but the time taken.
pub fn prefetch(base: &Path, text: &str) -> Prefetched {
    prefetch_all(&[(base, text)])
}

/// [`prefetch`] for several texts, each with the folder its names are relative to (a book's
/// chapters).
pub fn prefetch_all(texts: &[(&Path, &str)]) -> Prefetched {
    use rayon::prelude::*;
    let mut files: Vec<PathBuf> = texts
        .iter()
        .flat_map(|&(base, text)| {
            named_pngs(text)
                .into_iter()
                .filter(|url| !is_remote(url) && !url.starts_with("data:"))
                .map(move |url| local_path(base, url))
        })
        .collect();
    files.sort();
    files.dedup();
    let found: Vec<_> = files
        .into_par_iter()
        .with_max_len(1)
        .filter_map(|file| {
            let bytes = source::read(&file, source::Kind::Image).ok()?;
            if AssetKind::sniff(&bytes) != Some(AssetKind::Png) {
                return None;
            }
            let asset = Asset::new(AssetKind::Png, bytes);
            let verdict = crate::image::check_decoded(&asset);
            Some((file, (asset, verdict)))
        })
        .collect();
    Prefetched(found.into_iter().collect())
}

/// The targets of what looks like an HTML `src="…"` or a Markdown image `![…](…)` in `text`
/// whose path ends in `.png` (a Markdown link to a full-size picture is not an image to draw).
/// One pass over the text: every search for the end of a name stops within [`NEAR`] bytes,
/// and the scan resumes after what it searched, so a text full of unclosed `![` or `src="`
/// costs no more than any other.
fn named_pngs(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    // `src="…"` and `src='…'`.
    let mut from = 0;
    while let Some(i) = text[from..].find("src=") {
        let at = from + i + 4;
        let rest = &text[at..];
        from = match rest.as_bytes().first() {
            Some(&quote) if quote == b'"' || quote == b'\'' => {
                let name = &rest[1..];
                match find_near(name, &[quote]) {
                    Some(end) => {
                        found.push(&name[..end]);
                        at + 1 + end + 1
                    }
                    None => boundary(text, at + 1 + name.len().min(NEAR)),
                }
            }
            _ => at,
        };
    }
    // `![alt](name …)`: the alt text ends at the first `](` of the same paragraph.
    let mut from = 0;
    while let Some(i) = text[from..].find("![") {
        let at = from + i + 2;
        let alt = &text[at..];
        let Some(close) = find_near(alt, b"](") else {
            from = boundary(text, at + alt.len().min(NEAR));
            continue;
        };
        from = at + close + 2;
        if find_near(&alt[..close], b"\n\n").is_some() {
            continue;
        }
        let rest = &text[from..];
        let skipped = rest.len() - rest.trim_start().len();
        let rest = &rest[skipped..];
        let opened = usize::from(rest.starts_with('<'));
        let rest = &rest[opened..];
        let window = &rest.as_bytes()[..rest.len().min(NEAR)];
        match window
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b')' | b'>'))
        {
            Some(end) => {
                found.push(&rest[..end]);
                from += skipped + opened + end;
            }
            None => from = boundary(text, from + skipped + opened + window.len()),
        }
    }
    found.retain(|url| {
        let path = url.split(['?', '#']).next().unwrap_or(url).as_bytes();
        path.len() > 4 && path[path.len() - 4..].eq_ignore_ascii_case(b".png")
    });
    found
}

/// How far the look-ahead searches for the end of a name it has started to read.
const NEAR: usize = 2048;

/// Where the ASCII `needle` first occurs within [`NEAR`] bytes of the start of `text` (a byte
/// index that is a character boundary, as the needle is ASCII).
fn find_near(text: &str, needle: &[u8]) -> Option<usize> {
    let window = &text.as_bytes()[..text.len().min(NEAR)];
    window.windows(needle.len()).position(|w| w == needle)
}

/// The first character boundary of `text` at or after byte `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at.min(text.len())
}

/// The file a local image URL names, relative to `base`.
fn local_path(base: &Path, url: &str) -> PathBuf {
    base.join(percent_decode(url.split(['?', '#']).next().unwrap_or(url)))
}

/// [`load`], taking the files [`prefetch`] read and judged instead of reading them again.
pub fn load_with(base: &Path, doc: &mut Document, mut prefetched: Prefetched) {
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
    let mut judged = Vec::new();
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
        let file = local_path(base, &url);
        // Recorded even when missing: `bindery watch` rebuilds when it appears.
        doc.reads.push(file.clone());
        if let Some((asset, verdict)) = prefetched.0.remove(&file) {
            judged.push((url, loc, path, asset, verdict));
            continue;
        }
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
    judged.extend(
        read.into_iter()
            .zip(verdicts)
            .map(|((url, loc, path, asset), verdict)| (url, loc, path, asset, verdict)),
    );
    // In the document's order of names, whichever way each was read.
    judged.sort_by(|a, b| a.0.cmp(&b.0));
    for (url, loc, path, mut asset, verdict) in judged {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_look_ahead_finds_png_names_in_html_and_markdown() {
        let text = r#"<img alt="a" src="img/one.png" class="c"/>
![two](<img/two%20x.PNG> "title") and ![three](three.png?v=1#x)
<img src='four.png'> ![svg](five.svg) `src=six.png` [link](seven.png)
<img src="https://example.com/eight.png"> ![](data:image/png;base64,AAAA)
[![thumb](nine.png)](ten.png) ![x](€€) ![no

image](eleven.png) ![€](twelve€.png) <img src="€"> <img src="ab€"> <img src="€€">"#;
        let mut found = named_pngs(text);
        found.sort();
        assert_eq!(
            found,
            [
                "four.png",
                "https://example.com/eight.png",
                "img/one.png",
                "img/two%20x.PNG",
                "nine.png",
                "three.png?v=1#x",
                "twelve€.png",
            ]
        );
        assert_eq!(
            local_path(Path::new("base"), "img/two%20x.PNG?v=2"),
            Path::new("base/img/two x.PNG")
        );
    }

    #[test]
    fn the_look_ahead_over_a_hostile_text_is_bounded_and_never_panics() {
        // Unclosed openings by the hundred thousand (each search stops within `NEAR` bytes and
        // the scan goes on after it), and names cut inside a multi-byte character.
        for unit in ["![", "![](", "src=\"", "![](![](", "![€](€€"] {
            let text = unit.repeat(200_000);
            assert!(named_pngs(&text).is_empty(), "{unit:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 500,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Any text made of the pieces the look-ahead reacts to, multi-byte characters among
        /// them: no panic, and every name found is a piece of the text ending in `.png`.
        #[test]
        fn the_look_ahead_takes_any_text(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "![", "](", "src=", "\"", "'", "€", "ab", ".png", ".PNG", ")", " ", "\n\n",
                "<", ">", "?", "#", "a€.png", "src=\"", "![x](", "€€",
            ]),
            0..60,
        )) {
            let text = pieces.concat();
            for name in named_pngs(&text) {
                proptest::prop_assert!(text.contains(name));
                let path = name.split(['?', '#']).next().unwrap_or(name);
                proptest::prop_assert!(path.to_ascii_lowercase().ends_with(".png"), "{name:?}");
            }
        }
    }

    #[test]
    fn a_prefetched_png_is_the_one_the_document_keeps_and_others_are_read_as_before() {
        let dir = std::env::temp_dir().join(format!("bindery-prefetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A 1×1 RGB PNG, written by the png crate, of a colour no other test uses: a file is
        // decoded once per process, and only that first decoding hands out its samples.
        let mut png = Vec::new();
        let mut enc = png::Encoder::new(&mut png, 1, 1);
        enc.set_color(png::ColorType::Rgb);
        enc.write_header()
            .and_then(|mut w| w.write_image_data(&[17, 71, 117]))
            .unwrap();
        std::fs::write(dir.join("a.png"), &png).unwrap();
        std::fs::write(dir.join("b.png"), &png[..png.len() - 20]).unwrap();
        let text = "![a](a.png)\n\n![b](b.png)\n\n```\n![c](c.png)\n```\n";
        let prefetched = prefetch(&dir, text);
        // The damaged file is judged ahead too; the one in a code block does not exist.
        assert_eq!(prefetched.0.len(), 2);
        let mut doc =
            crate::parse::parse_str(Path::new("t.md"), text, &Default::default()).unwrap();
        load_with(&dir, &mut doc, prefetched);
        let keys: Vec<&String> = doc.assets.keys().collect();
        assert_eq!(keys, ["a.png"]);
        let pixels = doc.assets["a.png"]
            .pixels
            .take()
            .expect("decoded samples kept");
        assert_eq!(pixels.color, [17, 71, 117]);
        let bad: Vec<&str> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::BadImage)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert!(bad[0].contains("`b.png` cannot be used"), "{bad:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
