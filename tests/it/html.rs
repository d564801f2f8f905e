//! Issue 10 through the real binary: raw HTML in Markdown read once into the model and shown
//! by both outputs (one document holding every element), a README of the usual kind, and the
//! Markdown points (in-word scripts, spaces, empty headings, dead links, reference links,
//! footnotes in tables and lists, emphasis inside a word).
//!
//! Each test builds PDF and EPUB with the release binary when it is up to date, reads the PDF
//! with pdftotext, pdfimages and lopdf (outline, link annotations, named destinations) and the
//! EPUB with a small zip reader, and runs EPUBCheck. Checks are collected and reported together,
//! so one failure does not hide the others.

use crate::pdf::{bbox_pages, BoxPage};
use crate::util::{
    bindery_fast, epubcheck, have_tool, output_text, pdftotext, tempdir, tool_output, write, Run,
};
use crate::words::text_words;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Failed checks, reported together at the end of a test.
#[derive(Default)]
struct Checks {
    failed: Vec<String>,
}

impl Checks {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.failed.push(what());
        }
    }

    #[track_caller]
    fn finish(self, run: &Run) {
        assert!(
            self.failed.is_empty(),
            "{} check(s) failed:\n- {}\n\n{run}",
            self.failed.len(),
            self.failed.join("\n- ")
        );
    }
}

/// A `w`×`h` RGB PNG (no alpha, so `pdfimages -list` shows no soft mask).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h * 3).map(|i| (i * 37 % 251) as u8).collect();
        writer.write_image_data(&data).unwrap();
    }
    bytes
}

/// Writes `name` (holding `src`) and `images` into `dir`, builds PDF and EPUB into `dir/out`.
fn build(
    dir: &Path,
    name: &str,
    src: &str,
    images: &[(&str, (u32, u32))],
) -> (Run, PathBuf, PathBuf) {
    write(dir, name, src);
    for (file, (w, h)) in images {
        write(dir, file, png(*w, *h));
    }
    let run = bindery_fast(dir, &["build", name, "-o", "out"], Duration::from_secs(120));
    run.assert_code(0);
    let stem = name.trim_end_matches(".md");
    let out = dir.join("out");
    let (pdf, epub) = (
        out.join(format!("{stem}.pdf")),
        out.join(format!("{stem}.epub")),
    );
    assert!(pdf.is_file() && epub.is_file(), "outputs missing:\n{run}");
    (run, pdf, epub)
}

/// The line (from 1) of the first line of `src` containing `needle`, and the column (from 1,
/// in characters) where it starts.
fn position(src: &str, needle: &str) -> (usize, usize) {
    for (i, line) in src.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (i + 1, line[..at].chars().count() + 1);
        }
    }
    panic!("{needle:?} not in the source");
}

/// Whether `want` appear in `have` in this order (gaps allowed); `Err` names the first missing.
fn in_order(have: &[String], want: &[&str]) -> Result<(), String> {
    let mut at = 0;
    for (n, w) in want.iter().enumerate() {
        match have[at..].iter().position(|h| h == w) {
            Some(i) => at += i + 1,
            None => {
                let before = want[n.saturating_sub(3)..n].join(" ");
                let seen = have.iter().any(|h| h == w);
                return Err(format!(
                    "word {w:?} (after {before:?}) {}",
                    if seen {
                        "is there, but out of order"
                    } else {
                        "is missing"
                    }
                ));
            }
        }
    }
    Ok(())
}

/// The files of a zip archive by name (stored and deflated entries, as EPUBs have).
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes(data[i..i + 4].try_into().unwrap()) as usize;
    let eocd = (0..=data.len().saturating_sub(22))
        .rev()
        .find(|&i| data[i..].starts_with(b"PK\x05\x06"))
        .unwrap_or_else(|| panic!("{} is not a zip archive", path.display()));
    let mut at = u32_at(eocd + 16);
    let mut files = BTreeMap::new();
    for _ in 0..u16_at(eocd + 10) {
        assert!(
            data[at..].starts_with(b"PK\x01\x02"),
            "zip central directory"
        );
        let method = u16_at(at + 10);
        let size = u32_at(at + 20);
        let (name_len, extra_len, comment_len) =
            (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let local = u32_at(at + 42);
        let name = String::from_utf8_lossy(&data[at + 46..at + 46 + name_len]).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        let start = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let raw = &data[start..start + size];
        let bytes = match method {
            0 => raw.to_vec(),
            8 => {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut out)
                    .expect("inflate a zip entry");
                out
            }
            m => panic!("zip compression method {m} for {name}"),
        };
        files.insert(name, bytes);
    }
    files
}

/// An EPUB's XHTML documents: (file name without folder, text), the navigation document apart.
struct Epub {
    files: BTreeMap<String, Vec<u8>>,
    /// Content documents (not the navigation document), by base name.
    docs: BTreeMap<String, String>,
    nav: String,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let files = unzip(path);
        let mut docs = BTreeMap::new();
        let mut nav = String::new();
        for (name, bytes) in &files {
            if !name.ends_with(".xhtml") {
                continue;
            }
            let base = name.rsplit('/').next().unwrap().to_owned();
            let text = String::from_utf8(bytes.clone()).expect("XHTML is UTF-8");
            if base == "nav.xhtml" {
                nav = text;
            } else {
                docs.insert(base, text);
            }
        }
        Epub { files, docs, nav }
    }

    /// Every content document, concatenated.
    fn xhtml(&self) -> String {
        self.docs.values().cloned().collect::<Vec<_>>().join("\n")
    }

    /// Every file of the package as (lossy) text: to look for what must not be anywhere.
    fn everything(&self) -> String {
        self.files
            .values()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every link of the content documents: (file it is in, href, plain text).
    fn links(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for (file, xhtml) in &self.docs {
            let mut at = 0;
            while let Some(i) = xhtml[at..].find("<a ") {
                let start = at + i;
                let tag_end = start + xhtml[start..].find('>').unwrap();
                let close = tag_end + xhtml[tag_end..].find("</a>").unwrap_or(0);
                if let Some(href) = attr(&xhtml[start + 1..tag_end], "href") {
                    out.push((
                        file.clone(),
                        href,
                        plain(&xhtml[tag_end + 1..close]).trim().to_owned(),
                    ));
                }
                at = tag_end;
            }
        }
        out
    }

    /// The first link whose text is `text`: its href.
    fn href_of(&self, text: &str) -> Option<(String, String)> {
        self.links()
            .into_iter()
            .find(|(_, _, t)| t == text)
            .map(|(f, h, _)| (f, h))
    }

    /// Whether a link's `href` (found in `from`) lands on an element with that id.
    fn lands(&self, from: &str, href: &str) -> Result<(), String> {
        let (file, fragment) = href
            .split_once('#')
            .ok_or_else(|| format!("{href} has no fragment"))?;
        let file = if file.is_empty() { from } else { file };
        let base = file.rsplit('/').next().unwrap();
        let doc = self
            .docs
            .get(base)
            .ok_or_else(|| format!("{href}: no document {file}"))?;
        if ids(doc).contains(fragment) {
            Ok(())
        } else {
            Err(format!("{href}: {file} has no id {fragment:?}"))
        }
    }

    /// The texts of the navigation document's `<nav epub:type="toc">` entries.
    fn nav_titles(&self) -> Vec<String> {
        let Some(start) = self.nav.find("<nav") else {
            return Vec::new();
        };
        let end = start + self.nav[start..].find("</nav>").unwrap_or(0);
        let toc = &self.nav[start..end];
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(i) = toc[at..].find("<a ") {
            let start = at + i;
            let tag_end = start + toc[start..].find('>').unwrap();
            let close = tag_end + toc[tag_end..].find("</a>").unwrap_or(0);
            out.push(plain(&toc[tag_end + 1..close]).trim().to_owned());
            at = tag_end;
        }
        out
    }
}

/// The value of attribute `name` in a start tag's text (`a href="x"`), entities decoded.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut at = 0;
    while let Some(i) = tag[at..].find(name) {
        let pos = at + i;
        at = pos + name.len();
        let before_ok = tag[..pos].ends_with(|c: char| c.is_whitespace());
        let rest = tag[at..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value = &rest[1..];
        return Some(decode_entities(&value[..value.find(quote)?]));
    }
    None
}

/// Every `id="..."` of a document.
fn ids(xhtml: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut at = 0;
    while let Some(i) = xhtml[at..].find(" id=\"") {
        let start = at + i + 5;
        let end = start + xhtml[start..].find('"').unwrap();
        out.insert(decode_entities(&xhtml[start..end]));
        at = end;
    }
    out
}

/// Markup without tags, entities decoded.
fn plain(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#160;", "\u{a0}")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Where a PDF link annotation goes.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// An explicit destination, as `page-object y`.
    Dest(String),
    Uri(String),
}

/// One link annotation: page index (from 0), rectangle (PDF user space), target.
#[derive(Debug, Clone)]
struct Annot {
    page: usize,
    rect: [f32; 4],
    target: Target,
}

/// What lopdf reads of a PDF: link annotations, named destinations, outline titles.
struct Pdf {
    annots: Vec<Annot>,
    named: BTreeMap<String, String>,
    outline: Vec<String>,
}

/// `page-object y` of an explicit destination `[page /XYZ x y zoom]` (or a reference to one).
fn dest_key(doc: &lopdf::Document, dest: &lopdf::Object) -> String {
    let dest = doc.dereference(dest).expect("a destination").1;
    let a = dest.as_array().expect("a destination array");
    let page = a[0].as_reference().expect("a page reference");
    let y = a.get(3).and_then(|y| y.as_float().ok()).unwrap_or(f32::NAN);
    format!("{} {} {y}", page.0, page.1)
}

impl Pdf {
    fn open(path: &Path) -> Pdf {
        let doc = lopdf::Document::load(path)
            .unwrap_or_else(|e| panic!("lopdf cannot read {}: {e}", path.display()));
        let mut annots = Vec::new();
        for (index, page) in doc.get_pages().values().enumerate() {
            for annot in doc.get_page_annotations(*page).unwrap_or_default() {
                if annot.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Link".as_slice())
                {
                    continue;
                }
                let r = annot.get(b"Rect").unwrap().as_array().unwrap();
                let n = |i: usize| r[i].as_float().unwrap();
                let rect = [n(0), n(1), n(2), n(3)];
                let target = if let Ok(dest) = annot.get(b"Dest") {
                    Target::Dest(dest_key(&doc, dest))
                } else if let Ok(action) = annot.get(b"A") {
                    let action = doc.dereference(action).unwrap().1.as_dict().unwrap();
                    if let Ok(uri) = action.get(b"URI") {
                        Target::Uri(String::from_utf8_lossy(uri.as_str().unwrap()).into_owned())
                    } else if let Ok(dest) = action.get(b"D") {
                        Target::Dest(dest_key(&doc, dest))
                    } else {
                        continue;
                    }
                } else {
                    continue;
                };
                annots.push(Annot {
                    page: index,
                    rect,
                    target,
                });
            }
        }
        Pdf {
            annots,
            named: named_dests(&doc),
            outline: outline(&doc),
        }
    }

    /// The link annotation over the centre of `word` (from `pdftotext -bbox`) on page `page`.
    fn link_at(&self, pages: &[BoxPage], page: usize, word: &crate::pdf::Word) -> Option<&Annot> {
        let height = pages[page].height as f32;
        let cx = ((word.x0 + word.x1) / 2.0) as f32;
        let cy = height - ((word.y0 + word.y1) / 2.0) as f32;
        self.annots.iter().find(|a| {
            a.page == page
                && a.rect[0] <= cx
                && cx <= a.rect[2]
                && a.rect[1] <= cy
                && cy <= a.rect[3]
        })
    }

    /// The target of the link drawn over the first word `text` (`Err` says why there is none).
    fn target_of(&self, pages: &[BoxPage], text: &str) -> Result<Option<Target>, String> {
        let (page, word) =
            find_word(pages, text).ok_or_else(|| format!("no word {text:?} in the PDF"))?;
        Ok(self.link_at(pages, page, word).map(|a| a.target.clone()))
    }

    /// Whether the word `text` is a link to the named destination `id`.
    fn links_to(&self, pages: &[BoxPage], text: &str, id: &str) -> Result<(), String> {
        let want = self
            .named
            .get(id)
            .ok_or_else(|| format!("no named destination {id:?} (have {:?})", self.named.keys()))?;
        match self.target_of(pages, text)? {
            Some(Target::Dest(d)) if &d == want => Ok(()),
            Some(other) => Err(format!(
                "link {text:?} goes to {other:?}, not #{id} ({want})"
            )),
            None => Err(format!("no link annotation over {text:?} (to #{id})")),
        }
    }
}

/// The first word whose text (trimmed of punctuation) is `text`: page index and word.
fn find_word<'p>(pages: &'p [BoxPage], text: &str) -> Option<(usize, &'p crate::pdf::Word)> {
    pages.iter().enumerate().find_map(|(i, p)| {
        p.words
            .iter()
            .find(|w| w.text.trim_matches(|c: char| !c.is_alphanumeric()) == text)
            .map(|w| (i, w))
    })
}

/// The horizontal extent (left of its first word, right of its last) of the printed line that
/// holds the word `text`, with the page's width.
fn line_extent(pages: &[BoxPage], text: &str) -> Option<(f64, f64, f64)> {
    let (page, word) = find_word(pages, text)?;
    let line: Vec<&crate::pdf::Word> = pages[page]
        .words
        .iter()
        .filter(|w| (w.y0 - word.y0).abs() < 1.0)
        .collect();
    let left = line.iter().map(|w| w.x0).fold(f64::INFINITY, f64::min);
    let right = line.iter().map(|w| w.x1).fold(f64::NEG_INFINITY, f64::max);
    Some((left, right, pages[page].width))
}

/// The PDF's named destinations (the catalog's `/Names /Dests` tree): id -> `dest_key`.
fn named_dests(doc: &lopdf::Document) -> BTreeMap<String, String> {
    fn walk(doc: &lopdf::Document, node: &lopdf::Dictionary, out: &mut BTreeMap<String, String>) {
        if let Ok(names) = node.get(b"Names").and_then(|n| n.as_array()) {
            for pair in names.chunks(2) {
                let name = String::from_utf8_lossy(pair[0].as_str().unwrap()).into_owned();
                let dest = doc.dereference(&pair[1]).unwrap().1;
                let dest = dest.as_dict().and_then(|d| d.get(b"D")).unwrap_or(dest);
                out.insert(name, dest_key(doc, dest));
            }
        }
        if let Ok(kids) = node.get(b"Kids").and_then(|k| k.as_array()) {
            for kid in kids {
                walk(doc, doc.dereference(kid).unwrap().1.as_dict().unwrap(), out);
            }
        }
    }
    let mut out = BTreeMap::new();
    let catalog = doc.catalog().unwrap();
    if let Ok(names) = catalog.get(b"Names") {
        let names = doc.dereference(names).unwrap().1.as_dict().unwrap();
        if let Ok(dests) = names.get(b"Dests") {
            walk(
                doc,
                doc.dereference(dests).unwrap().1.as_dict().unwrap(),
                &mut out,
            );
        }
    }
    out
}

/// The outline (bookmarks) titles, depth first.
fn outline(doc: &lopdf::Document) -> Vec<String> {
    fn walk(doc: &lopdf::Document, first: Option<&lopdf::Object>, out: &mut Vec<String>) {
        let mut next = first.and_then(|o| o.as_reference().ok());
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            let title = item
                .get(b"Title")
                .ok()
                .and_then(|t| lopdf::decode_text_string(t).ok())
                .unwrap_or_default();
            out.push(title);
            walk(doc, item.get(b"First").ok(), out);
            next = item.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    let mut out = Vec::new();
    if let Ok(outlines) = doc.catalog().unwrap().get(b"Outlines") {
        let root = doc.dereference(outlines).unwrap().1.as_dict().unwrap();
        walk(doc, root.get(b"First").ok(), &mut out);
    }
    out
}

/// (width, height) of every image `pdfimages -list` reports as drawn (soft masks left out);
/// `None` without pdfimages.
fn pdf_images(pdf: &Path) -> Option<Vec<(u32, u32)>> {
    if !have_tool("pdfimages", "listing PDF images") {
        return None;
    }
    let (ok, text) = tool_output(
        "pdfimages",
        [std::ffi::OsStr::new("-list"), pdf.as_os_str()],
    );
    assert!(ok, "pdfimages -list failed: {text}");
    Some(
        text.lines()
            .skip(2)
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                if f.len() <= 4 || f[2] != "image" {
                    return None;
                }
                Some((f[3].parse().ok()?, f[4].parse().ok()?))
            })
            .collect(),
    )
}

/// EPUBCheck's complaints, or `None` when it is clean or not installed.
fn epubcheck_failure(epub: &Path) -> Option<String> {
    let check = epubcheck(epub)?;
    (check.errors > 0 || check.warnings > 0).then(|| {
        format!(
            "EPUBCheck: {} errors, {} warnings\n{}",
            check.errors,
            check.warnings,
            check.messages.join("\n")
        )
    })
}

// ---------------------------------------------------------------------------------------------
// 1. One document holding every element
// ---------------------------------------------------------------------------------------------

const ALL: &str = r##"---
title: Every HTML Element
---

<h1 id="top-heading">Headone Alpha</h1>
<h2>Headtwo Bravo</h2>
<h3 id="third">Headthree Charlie</h3>
<h4>Headfour Delta</h4>
<h5>Headfive Echo</h5>
<h6 id="sixth">Headsix Foxtrot</h6>

<p align="center">Centred golfword paragraph.</p>

<div align="right">Right hotelword division.</div>

<center>Centred indiaword text.</center>

<table>
<thead>
<tr><th colspan="2">Joined julietword</th><th>Head kiloword</th></tr>
</thead>
<tbody>
<tr><td rowspan="2">Tall limaword</td><td>Cell mikeword</td><td>Cell <img src="cell.png" alt="cell picture"> novemberword</td></tr>
<tr><td>Cell oscarword</td><td>Cell papaword</td></tr>
</tbody>
</table>

<ul>
<li>Bullet quebecword</li>
<li>Bullet romeoword</li>
</ul>

<ol start="3">
<li>Third sierraword</li>
<li>Fourth tangoword</li>
</ol>

<dl>
<dt>Term uniformword</dt>
<dd>Meaning victorword</dd>
</dl>

<p>Picture <img src="para.png" alt="para picture"> whiskeyword inside.</p>

<p><a href="https://example.org/badge"><img src="link.png" alt="link picture"></a> Linked xrayword.</p>

<div>Division <img src="div.png" alt="div picture"> yankeeword.</div>

Anchors: <a id="ida">idanchor zuluword</a>, <a name="nameb">nameanchor amberword</a> and <span id="x">spantarget blueword</span>.

<div id="y">Divtarget cyanword.</div>

Jumps: [jumpida](#ida), [jumpnameb](#nameb), [jumpx](#x), [jumpy](#y), [jumpthird](#third), [jumpsixth](#sixth) and <a href="#x">htmljumpx</a>.

Line one<br>line two <sup>supword</sup> <sub>subword</sub> <kbd>Ctrl</kbd> <code>codeword</code> <em>emword</em> <i>iword</i> <strong>strongword</strong> <b>bword</b> <del>delword</del> <s>sword</s> <ins>insword</ins> <u>uword</u> <mark>markword</mark> <abbr title="HyperText Markup Language">HTML</abbr> <q>quoteword</q> <small>smallword</small> <span>spanword</span>.

<hr>

<pre>preline one
  preline two</pre>

<details>
<summary>Summary detailword</summary>

Markdown **boldinside** details.

- listinside item

</details>

<figure>
<img src="fig.png" alt="figure picture">
<figcaption>Figure captionword</figcaption>
</figure>

Ruby <ruby>base<rp>(</rp><rt>reading</rt><rp>)</rp></ruby> rubyend.

<!-- zzcommenttext -->

<style>
.zzcssrule { color: red; }
</style>

<script>
var zzscripttext = 1;
</script>

<noscript>zznoscripttext</noscript>

<template>zztemplatetext</template>

<iframe src="https://example.org/frame">zziframetext</iframe>

<form action="/search"><input type="text" name="q" value="zzinputvalue"><button>zzbuttontext</button></form>

<foo-bar>Custom fooword text.</foo-bar>

Closing omegaword.
"##;

/// Images of distinct sizes, so `pdfimages -list` tells which were drawn.
const ALL_IMAGES: &[(&str, (u32, u32))] = &[
    ("cell.png", (3, 2)),
    ("para.png", (4, 2)),
    ("link.png", (5, 2)),
    ("div.png", (6, 2)),
    ("fig.png", (7, 2)),
];

/// The visible words of [`ALL`], in reading order (both outputs).
const ALL_WORDS: &[&str] = &[
    "headone",
    "alpha",
    "headtwo",
    "bravo",
    "headthree",
    "charlie",
    "headfour",
    "delta",
    "headfive",
    "echo",
    "headsix",
    "foxtrot",
    "centred",
    "golfword",
    "paragraph",
    "right",
    "hotelword",
    "division",
    "centred",
    "indiaword",
    "text",
    "joined",
    "julietword",
    "head",
    "kiloword",
    "tall",
    "limaword",
    "cell",
    "mikeword",
    "cell",
    "novemberword",
    "cell",
    "oscarword",
    "cell",
    "papaword",
    "bullet",
    "quebecword",
    "bullet",
    "romeoword",
    "third",
    "sierraword",
    "fourth",
    "tangoword",
    "term",
    "uniformword",
    "meaning",
    "victorword",
    "picture",
    "whiskeyword",
    "inside",
    "linked",
    "xrayword",
    "division",
    "yankeeword",
    "anchors",
    "idanchor",
    "zuluword",
    "nameanchor",
    "amberword",
    "and",
    "spantarget",
    "blueword",
    "divtarget",
    "cyanword",
    "jumps",
    "jumpida",
    "jumpnameb",
    "jumpx",
    "jumpy",
    "jumpthird",
    "jumpsixth",
    "and",
    "htmljumpx",
    "line",
    "one",
    "line",
    "two",
    "supword",
    "subword",
    "ctrl",
    "codeword",
    "emword",
    "iword",
    "strongword",
    "bword",
    "delword",
    "sword",
    "insword",
    "uword",
    "markword",
    "html",
    "quoteword",
    "smallword",
    "spanword",
    "preline",
    "one",
    "preline",
    "two",
    "summary",
    "detailword",
    "markdown",
    "boldinside",
    "details",
    "listinside",
    "item",
    "figure",
    "captionword",
    "ruby",
    "base",
    "reading",
    "rubyend",
    "custom",
    "fooword",
    "text",
    "closing",
    "omegaword",
];

/// Text that must reach neither output (comments, styles, scripts, forms...).
const SECRETS: &[&str] = &[
    "zzcommenttext",
    "zzcssrule",
    "zzscripttext",
    "zznoscripttext",
    "zztemplatetext",
    "zziframetext",
    "zzinputvalue",
    "zzbuttontext",
];

/// (link text, id) of the internal links of [`ALL`].
const ALL_JUMPS: &[(&str, &str)] = &[
    ("jumpida", "ida"),
    ("jumpnameb", "nameb"),
    ("jumpx", "x"),
    ("jumpy", "y"),
    ("jumpthird", "third"),
    ("jumpsixth", "sixth"),
    ("htmljumpx", "x"),
];

const ALL_HEADINGS: &[&str] = &[
    "Headone Alpha",
    "Headtwo Bravo",
    "Headthree Charlie",
    "Headfour Delta",
    "Headfive Echo",
    "Headsix Foxtrot",
];

#[test]
fn html_every_element_in_both_outputs() {
    let dir = tempdir();
    let (run, pdf_path, epub_path) = build(dir.path(), "all.md", ALL, ALL_IMAGES);
    let mut c = Checks::default();

    // Warnings: one names every left-out element with its line, one names <foo-bar>.
    let warnings = run.lines_starting("warning:");
    let left: Vec<&String> = warnings.iter().filter(|w| w.contains("<style>")).collect();
    c.check(left.len() == 1, || {
        format!("one warning names the left-out elements; got {left:?}")
    });
    if let Some(w) = left.first() {
        for tag in ["style", "script", "noscript", "template", "iframe", "form"] {
            let (line, _) = position(ALL, &format!("<{tag}"));
            let want = format!("<{tag}> (line {line})");
            c.check(w.contains(&want), || {
                format!("left-out warning lacks {want:?}: {w}")
            });
        }
    }
    let foo: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("<foo-bar>"))
        .collect();
    let (foo_line, _) = position(ALL, "<foo-bar>");
    c.check(
        foo.len() == 1 && foo[0].contains(&format!("all.md:{foo_line}:")),
        || format!("one warning names <foo-bar> at line {foo_line}; got {foo:?}"),
    );
    let other: Vec<&String> = warnings
        .iter()
        .filter(|w| !w.contains("<style>") && !w.contains("<foo-bar>"))
        .collect();
    c.check(other.is_empty(), || {
        format!("unexpected warnings: {other:?}")
    });

    // PDF text: every word in order, no secret, ruby as base(reading), list numbers.
    if let Some(text) = pdftotext(&pdf_path) {
        let words = text_words(&text);
        if let Err(e) = in_order(&words, ALL_WORDS) {
            c.failed.push(format!("PDF text: {e}\n{text}"));
        }
        for secret in SECRETS {
            c.check(!text.contains(secret), || {
                format!("PDF text shows {secret:?}")
            });
        }
        c.check(text.contains("base(reading)"), || {
            "PDF ruby is not `base(reading)`".into()
        });
        c.check(
            in_order(
                &words,
                &["3", "third", "sierraword", "4", "fourth", "tangoword"],
            )
            .is_ok(),
            || "PDF <ol start=3> is not numbered 3, 4".into(),
        );
    }

    // PDF images: the ones in <p>, <a>, <div>, the table cell and the figure are drawn.
    if let Some(images) = pdf_images(&pdf_path) {
        for (file, size) in ALL_IMAGES {
            c.check(images.contains(size), || {
                format!("{file} ({size:?}) not drawn in the PDF; pdfimages: {images:?}")
            });
        }
    }

    // PDF outline: h1-h6, nothing empty.
    let pdf = Pdf::open(&pdf_path);
    for h in ALL_HEADINGS {
        c.check(pdf.outline.iter().any(|t| t == h), || {
            format!("PDF outline lacks {h:?}: {:?}", pdf.outline)
        });
    }
    c.check(!pdf.outline.iter().any(|t| t.trim().is_empty()), || {
        format!("empty PDF outline entry: {:?}", pdf.outline)
    });

    // PDF links: each internal link is an annotation over its text, to its id's destination.
    if let Some(pages) = bbox_pages(&pdf_path) {
        for (text, id) in ALL_JUMPS {
            if let Err(e) = pdf.links_to(&pages, text, id) {
                c.failed.push(format!("PDF: {e}"));
            }
        }
        // Alignment: `<p align=center>` and `<center>` centred on the page (margins are
        // symmetric), `<div align=right>` flush with the right edge of the text block.
        let left_edge = line_extent(&pages, "omegaword").map(|(l, _, _)| l);
        for word in ["golfword", "indiaword"] {
            match line_extent(&pages, word) {
                Some((l, r, width)) => c.check(((l + r) / 2.0 - width / 2.0).abs() < 2.0, || {
                    format!("PDF: the line of {word:?} ({l:.1}-{r:.1}) is not centred on a page {width:.1} wide")
                }),
                None => c.failed.push(format!("PDF: no word {word:?}")),
            }
        }
        match (line_extent(&pages, "hotelword"), left_edge) {
            (Some((l, r, width)), Some(left)) => c.check((r - (width - left)).abs() < 2.0, || {
                format!("PDF: the line of \"hotelword\" ({l:.1}-{r:.1}) does not end at the right edge {:.1}", width - left)
            }),
            other => c.failed.push(format!("PDF: right-aligned line not found: {other:?}")),
        }
    }
    c.check(
        pdf.annots
            .iter()
            .any(|a| a.target == Target::Uri("https://example.org/badge".into())),
        || {
            format!(
                "PDF: the linked image has no URI annotation: {:?}",
                pdf.annots
            )
        },
    );

    // EPUB.
    let epub = Epub::open(&epub_path);
    let xhtml = epub.xhtml();
    let everything = epub.everything();
    for secret in SECRETS {
        c.check(!everything.contains(secret), || {
            format!("EPUB holds {secret:?}")
        });
    }
    if let Some(text) = output_text(&epub_path) {
        if let Err(e) = in_order(&text_words(&text), ALL_WORDS) {
            c.failed.push(format!("EPUB text: {e}\n{text}"));
        }
    }
    for (text, id) in ALL_JUMPS {
        match epub.href_of(text) {
            Some((file, href)) => {
                c.check(href.ends_with(&format!("#{id}")), || {
                    format!("EPUB link {text:?} -> {href}, not #{id}")
                });
                if let Err(e) = epub.lands(&file, &href) {
                    c.failed.push(format!("EPUB link {text:?}: {e}"));
                }
            }
            None => c.failed.push(format!("EPUB: no link {text:?}")),
        }
    }
    let figure = xhtml
        .split("<figure")
        .skip(1)
        .map(|f| &f[..f.find("</figure>").unwrap_or(f.len())])
        .find(|f| f.contains("captionword"));
    c.check(
        figure.is_some_and(|f| f.contains("<figcaption") && f.contains("<img")),
        || format!("EPUB: no <figure> with <img> and <figcaption>: {figure:?}"),
    );
    for (needle, what) in [
        ("<rt>reading</rt>", "<ruby> with <rt>"),
        ("<kbd>Ctrl</kbd>", "<kbd>"),
        ("<mark>markword</mark>", "<mark>"),
        (
            "<abbr title=\"HyperText Markup Language\">HTML</abbr>",
            "<abbr title>",
        ),
        ("<sup>supword</sup>", "<sup>"),
        ("<sub>subword</sub>", "<sub>"),
        ("<code>codeword</code>", "<code>"),
        ("colspan=\"2\"", "colspan"),
        ("rowspan=\"2\"", "rowspan"),
        ("<ol start=\"3\"", "<ol start=3>"),
        ("<dt>", "<dl>"),
        ("<hr", "<hr>"),
        ("<pre", "<pre>"),
    ] {
        c.check(xhtml.contains(needle), || {
            format!("EPUB lacks {what}: {needle}")
        });
    }
    c.check(xhtml.contains("<ruby>"), || "EPUB lacks <ruby>".into());
    for (class, word) in [
        ("align-center", "golfword"),
        ("align-right", "hotelword"),
        ("align-center", "indiaword"),
    ] {
        let div = xhtml
            .find(word)
            .and_then(|at| xhtml[..at].rfind("<div").map(|d| &xhtml[d..at]));
        c.check(div.is_some_and(|d| d.contains(class)), || {
            format!("EPUB: {word:?} is not inside a <div class={class:?}>: {div:?}")
        });
    }
    // What held only left-out content (`<noscript>`, `<template>`) leaves nothing behind.
    c.check(!xhtml.contains("<p></p>"), || {
        let at = xhtml.find("<p></p>").unwrap_or(0);
        format!(
            "EPUB has empty paragraphs where only left-out elements stood: {:?}",
            &xhtml[at.saturating_sub(120)..(at + 40).min(xhtml.len())]
        )
    });
    c.check(xhtml.contains("<thead") && xhtml.contains("<th"), || {
        "EPUB table has no head".into()
    });
    for h in ALL_HEADINGS {
        c.check(epub.nav_titles().iter().any(|t| t == h), || {
            format!("EPUB navigation lacks {h:?}: {:?}", epub.nav_titles())
        });
    }
    if let Some(e) = epubcheck_failure(&epub_path) {
        c.failed.push(e);
    }
    c.finish(&run);
}

// ---------------------------------------------------------------------------------------------
// 2. A README of the usual kind
// ---------------------------------------------------------------------------------------------

const README: &str = r##"<p align="center"><img src="logo.png" width="200"></p>

<h1 align="center">Widgetizer</h1>

<p align="center">
  <a href="https://ci.example.org/widgetizer"><img src="badge-ci.png" alt="CI status"></a>
  <a href="https://crates.example.org/widgetizer"><img src="badge-crate.png" alt="crates.io"></a>
  <a href="https://docs.example.org/widgetizer"><img src="https://img.shields.io/badge/docs-latest-blue.svg" alt="docs badge"></a>
</p>

<style>
.readme-hidden-rule { display: none; }
table.zzfancy td { padding: 4px; }
</style>

Widgetizer turns widgets into gadgets.

## Contents

- [Question one](#q1)
- [Question two](#q2)
- [Question three](#q3)

## Install

<details>
<summary>Show install steps</summary>

Run `cargo install widgetizer` and then **restart**.

</details>

## Support matrix

<table>
  <tr>
    <th>Platform</th>
    <th>Status</th>
  </tr>
  <tr>
    <td>Linux</td>
    <td>Supported</td>
  </tr>
  <tr>
    <td>Windows</td>
    <td>Planned</td>
  </tr>
</table>

## FAQ

<h3 id="q1">Question one</h3>

Answer one text.

<h3 id="q2">Question two</h3>

Answer two text.

<h3 id="q3">Question three</h3>

Answer three text.
"##;

const CSS_TEXT: &[&str] = &["readme-hidden-rule", "zzfancy", "display: none", "padding"];

#[test]
fn html_readme_of_the_usual_kind() {
    let dir = tempdir();
    let (run, pdf_path, epub_path) = build(
        dir.path(),
        "README.md",
        README,
        &[
            ("logo.png", (40, 20)),
            ("badge-ci.png", (30, 8)),
            ("badge-crate.png", (31, 8)),
        ],
    );
    let mut c = Checks::default();
    let questions = [
        ("Question one", "q1"),
        ("Question two", "q2"),
        ("Question three", "q3"),
    ];

    if let Some(images) = pdf_images(&pdf_path) {
        c.check(images.contains(&(40, 20)), || {
            format!("the logo is not drawn; pdfimages: {images:?}")
        });
        for size in [(30, 8), (31, 8)] {
            c.check(images.contains(&size), || {
                format!("badge {size:?} not drawn; pdfimages: {images:?}")
            });
        }
    }
    if let Some(text) = pdftotext(&pdf_path) {
        for css in CSS_TEXT {
            c.check(!text.contains(css), || {
                format!("PDF shows CSS text {css:?}:\n{text}")
            });
        }
        let words = text_words(&text);
        let want = [
            "widgetizer",
            "widgetizer",
            "turns",
            "widgets",
            "into",
            "gadgets",
            "contents",
            "question",
            "one",
            "install",
            "show",
            "install",
            "steps",
            "run",
            "cargo",
            "restart",
            "support",
            "matrix",
            "platform",
            "status",
            "linux",
            "supported",
            "windows",
            "planned",
            "faq",
            "question",
            "one",
            "answer",
            "one",
            "text",
            "question",
            "three",
            "answer",
            "three",
            "text",
        ];
        if let Err(e) = in_order(&words, &want) {
            c.failed.push(format!("PDF text: {e}\n{text}"));
        }
    }
    let pdf = Pdf::open(&pdf_path);
    for (q, _) in questions {
        c.check(pdf.outline.iter().any(|t| t == q), || {
            format!("PDF outline lacks {q:?}: {:?}", pdf.outline)
        });
    }
    // Every contents link: an annotation to the question's destination.
    for (q, id) in questions {
        match pdf.named.get(id) {
            Some(dest) => c.check(
                pdf.annots
                    .iter()
                    .any(|a| a.target == Target::Dest(dest.clone())),
                || format!("PDF: no live link to #{id} ({q}): {:?}", pdf.annots),
            ),
            None => c.failed.push(format!("PDF: no named destination {id}")),
        }
    }
    // The three contents entries are links; the first occurrences of "one", "two", "three"
    // are in the contents list.
    if let Some(pages) = bbox_pages(&pdf_path) {
        for (word, id) in [("one", "q1"), ("two", "q2"), ("three", "q3")] {
            if let Err(e) = pdf.links_to(&pages, word, id) {
                c.failed.push(format!("PDF contents link: {e}"));
            }
        }
    }
    c.check(pdf.outline.iter().any(|t| t == "Widgetizer"), || {
        format!(
            "PDF outline lacks the centred <h1> Widgetizer: {:?}",
            pdf.outline
        )
    });
    // Without front matter the title is the first level-1 heading (README.md, "Front matter"),
    // centred or not.
    if have_tool("pdfinfo", "reading the PDF title") {
        let (_, info) = tool_output("pdfinfo", [pdf_path.as_os_str()]);
        let title = info
            .lines()
            .find_map(|l| l.strip_prefix("Title:"))
            .map(str::trim);
        c.check(title == Some("Widgetizer"), || {
            format!("PDF title is {title:?}, not the first <h1> \"Widgetizer\"")
        });
    }

    let epub = Epub::open(&epub_path);
    let everything = epub.everything();
    for css in ["readme-hidden-rule", "zzfancy"] {
        c.check(!everything.contains(css), || {
            format!("EPUB holds CSS text {css:?}")
        });
    }
    for (q, id) in questions {
        match epub.href_of(q).filter(|(_, h)| h.contains('#')) {
            Some((file, href)) => {
                c.check(href.ends_with(&format!("#{id}")), || {
                    format!("EPUB contents link {q:?} -> {href}")
                });
                if let Err(e) = epub.lands(&file, &href) {
                    c.failed.push(format!("EPUB contents link {q:?}: {e}"));
                }
            }
            None => c.failed.push(format!("EPUB: no contents link {q:?}")),
        }
        c.check(epub.nav_titles().iter().any(|t| t == q), || {
            format!("EPUB navigation lacks {q:?}: {:?}", epub.nav_titles())
        });
    }
    let opf = epub
        .files
        .iter()
        .find(|(n, _)| n.ends_with(".opf"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let dc_title = opf
        .split_once("<dc:title")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once('<'))
        .map(|(t, _)| t.to_owned());
    c.check(dc_title.as_deref() == Some("Widgetizer"), || {
        format!("EPUB dc:title is {dc_title:?}, not the first <h1> \"Widgetizer\"")
    });
    c.check(epub.nav_titles().iter().any(|t| t == "Widgetizer"), || {
        format!(
            "EPUB navigation lacks the centred <h1> Widgetizer (the PDF outline has it): {:?}",
            epub.nav_titles()
        )
    });
    if let Some(e) = epubcheck_failure(&epub_path) {
        c.failed.push(e);
    }
    c.finish(&run);
}

// ---------------------------------------------------------------------------------------------
// 3. Markdown as written
// ---------------------------------------------------------------------------------------------

const MD: &str = r##"# Markdown Points

Water is H~2~O, energy is mc^2^ and the index x^i+1^ here.

Escaped a\^b\^c and d\~e\~f stay.

Alpha beta.  Gamma delta. Epsilon zeta.

#

Empty heading above kappaword.

See [voidlink](#nowhere) here.

Read [refword][ref] and [collapsedword][] and [shortcutword].

## Target Section

Target text.

| Col A | Col B |
|---|---|
| cellnote[^cellnote] here | plain |

- itemnote[^itemnote] here

It is **contra**variant.

[ref]: #target-section
[collapsedword]: https://example.org/collapsed
[shortcutword]: #target-section

[^cellnote]: Cell note body kappa.
[^itemnote]: Item note body lambda.
"##;

#[test]
fn html_markdown_points_in_both_outputs() {
    let dir = tempdir();
    let (run, pdf_path, epub_path) = build(dir.path(), "md.md", MD, &[]);
    let mut c = Checks::default();
    let warnings = run.lines_starting("warning:");

    // An empty heading warns at its line.
    let empty_line = MD.lines().position(|l| l == "#").unwrap() + 1;
    c.check(
        warnings
            .iter()
            .any(|w| w.contains(&format!("md.md:{empty_line}:")) && w.contains("empty heading")),
        || format!("no warning for the empty heading at line {empty_line}: {warnings:?}"),
    );
    // A dead link warns at its own line and column.
    let (line, col) = position(MD, "[voidlink]");
    let at = format!("md.md:{line}:{col}:");
    c.check(
        warnings
            .iter()
            .any(|w| w.contains(&at) && w.contains("nowhere")),
        || format!("no warning at {at} for the link to #nowhere: {warnings:?}"),
    );
    c.check(
        warnings
            .iter()
            .filter(|w| w.contains("nowhere"))
            .all(|w| w.contains(&at)),
        || format!("a warning about #nowhere elsewhere than {at}: {warnings:?}"),
    );

    let pdf = Pdf::open(&pdf_path);
    let headings = ["Markdown Points", "Target Section"];
    c.check(pdf.outline == headings, || {
        format!("PDF outline should be {headings:?}: {:?}", pdf.outline)
    });
    if let Some(text) = pdftotext(&pdf_path) {
        let words = text_words(&text);
        c.check(words.iter().any(|w| w == "contravariant"), || {
            format!("PDF: `**contra**variant` is not one word:\n{text}")
        });
        for want in ["a^b^c", "d~e~f"] {
            c.check(text.contains(want), || {
                format!("PDF lacks the escaped {want:?}:\n{text}")
            });
        }
        for want in [
            "Cell note body kappa.",
            "Item note body lambda.",
            "voidlink",
            "refword",
        ] {
            c.check(text.contains(want), || {
                format!("PDF lacks {want:?}:\n{text}")
            });
        }
        // Footnotes numbered 1 (the cell's, referenced first) and 2 at the page foot.
        for (n, body) in [
            ("1", "Cell note body kappa."),
            ("2", "Item note body lambda."),
        ] {
            c.check(
                text.lines().any(|l| {
                    let l = l.trim();
                    l.starts_with(n) && l.ends_with(body)
                }),
                || format!("PDF: note {n} is not {body:?}:\n{text}"),
            );
        }
        c.check(
            text.contains("cellnote1") && text.contains("itemnote2"),
            || format!("PDF: note references are not numbered 1 and 2 where they stand:\n{text}"),
        );
    }
    if let Some(pages) = bbox_pages(&pdf_path) {
        // `beta.  Gamma`: the same gap as `delta. Epsilon` on the same line.
        let line_of = |w: &str| {
            pages
                .iter()
                .flat_map(|p| p.words.iter())
                .find(|x| x.text == w)
                .cloned()
        };
        match (
            line_of("beta."),
            line_of("Gamma"),
            line_of("delta."),
            line_of("Epsilon"),
        ) {
            (Some(b), Some(g), Some(d), Some(e)) => {
                let double = g.x0 - b.x1;
                let single = e.x0 - d.x1;
                c.check((b.y0 - d.y0).abs() < 0.5, || {
                    "beta. and delta. are not on one line".into()
                });
                c.check((double - single).abs() <= 0.5, || {
                    format!("two spaces give a gap of {double:.2} pt, one space {single:.2} pt")
                });
            }
            other => c
                .failed
                .push(format!("PDF words of the spacing line: {other:?}")),
        }
        // No link annotation over the dead link; reference links are live.
        match pdf.target_of(&pages, "voidlink") {
            Ok(None) => {}
            Ok(Some(t)) => c
                .failed
                .push(format!("PDF draws the dead link as a link to {t:?}")),
            Err(e) => c.failed.push(format!("PDF: {e}")),
        }
        for word in ["refword", "shortcutword"] {
            if let Err(e) = pdf.links_to(&pages, word, "target-section") {
                c.failed.push(format!("PDF reference link: {e}"));
            }
        }
        match pdf.target_of(&pages, "collapsedword") {
            Ok(Some(Target::Uri(u))) if u == "https://example.org/collapsed" => {}
            other => c
                .failed
                .push(format!("PDF: collapsed reference link is {other:?}")),
        }
        c.check(
            pages
                .iter()
                .flat_map(|p| p.words.iter())
                .any(|w| w.text.starts_with("contravariant")),
            || "PDF: `contravariant` is not one word box".into(),
        );
    }

    let epub = Epub::open(&epub_path);
    let xhtml = epub.xhtml();
    for (needle, what) in [
        ("H<sub>2</sub>O", "H~2~O"),
        ("mc<sup>2</sup>", "mc^2^"),
        ("x<sup>i+1</sup>", "x^i+1^"),
        ("a^b^c", "a\\^b\\^c"),
        ("d~e~f", "d\\~e\\~f"),
        ("<strong>contra</strong>variant", "**contra**variant"),
        ("Cell note body kappa.", "the table cell's note"),
        ("Item note body lambda.", "the list item's note"),
    ] {
        c.check(xhtml.contains(needle), || {
            format!("EPUB: {what} is not {needle:?}")
        });
    }
    c.check(
        !xhtml.contains("<sup>b</sup>") && !xhtml.contains("<sub>e</sub>"),
        || "EPUB: an escaped ^ or ~ made a script".into(),
    );
    c.check(!xhtml.contains("#nowhere"), || {
        "EPUB links to #nowhere".into()
    });
    c.check(xhtml.contains("voidlink"), || {
        "EPUB lost the dead link's text".into()
    });
    for word in ["refword", "shortcutword"] {
        match epub.href_of(word) {
            Some((file, href)) => {
                if let Err(e) = epub.lands(&file, &href) {
                    c.failed.push(format!("EPUB reference link {word:?}: {e}"));
                }
                c.check(href.ends_with("#target-section"), || {
                    format!("EPUB {word:?} -> {href}")
                });
            }
            None => c.failed.push(format!("EPUB: {word:?} is not a link")),
        }
    }
    c.check(
        epub.href_of("collapsedword").map(|(_, h)| h)
            == Some("https://example.org/collapsed".into()),
        || "EPUB: the collapsed reference link is lost".into(),
    );
    // Note references numbered 1 (table cell) and 2 (list item), each linked to its note.
    let noterefs: Vec<(String, String)> = epub
        .links()
        .into_iter()
        .filter(|(_, _, t)| t == "1" || t == "2")
        .map(|(f, h, t)| {
            if let Err(e) = epub.lands(&f, &h) {
                panic!("EPUB note reference {t}: {e}");
            }
            (t, h)
        })
        .collect();
    c.check(
        noterefs.iter().any(|(t, _)| t == "1") && noterefs.iter().any(|(t, _)| t == "2"),
        || format!("EPUB note references: {noterefs:?}"),
    );
    let cell_ref = xhtml
        .find("cellnote")
        .map(|i| &xhtml[i..(i + 400).min(xhtml.len())]);
    c.check(cell_ref.is_some_and(|r| r.contains(">1</a>")), || {
        format!("EPUB: the table cell's note reference is not 1: {cell_ref:?}")
    });
    let item_ref = xhtml
        .find("itemnote")
        .map(|i| &xhtml[i..(i + 400).min(xhtml.len())]);
    c.check(item_ref.is_some_and(|r| r.contains(">2</a>")), || {
        format!("EPUB: the list item's note reference is not 2: {item_ref:?}")
    });
    if let Some(text) = output_text(&epub_path) {
        let words = text_words(&text);
        c.check(words.iter().any(|w| w == "contravariant"), || {
            "EPUB text: `contravariant` is not one word".into()
        });
        c.check(
            in_order(
                &words,
                &["alpha", "beta", "gamma", "delta", "epsilon", "zeta"],
            )
            .is_ok(),
            || "EPUB lost the spacing line".into(),
        );
    }
    let nav = epub.nav_titles();
    c.check(
        !nav.iter().any(|t| t.is_empty() || t.contains("Untitled")),
        || format!("EPUB navigation has an empty heading: {nav:?}"),
    );
    for h in headings {
        c.check(nav.iter().any(|t| t == h), || {
            format!("EPUB navigation lacks {h:?}: {nav:?}")
        });
    }
    if let Some(e) = epubcheck_failure(&epub_path) {
        c.failed.push(e);
    }
    c.finish(&run);
}
