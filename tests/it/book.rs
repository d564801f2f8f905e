//! Book projects through the real binary: `bindery build DIR` where DIR holds `book.toml`
//! (mdBook) or `bindery.toml` builds ONE PDF and ONE EPUB named after the folder (or the `name`
//! the configuration gives). SUMMARY.md forms and mdBook numbering, mdBook's includes and hidden
//! code lines, links between chapters (EPUB hrefs and ids, PDF link annotations), images beside
//! chapters in subfolders, external preprocessors, bindery.toml, `[output.bindery]` options,
//! every kind of bad input (exit 1, `file:line`, nothing written), the project boundary (book
//! folder or enclosing git repository, `--allow-root`), and the Rust book from ../shared.
//!
//! EPUBs are read with a small zip reader on flate2 and PDFs with lopdf (both dependencies of
//! the crate), so only the PDF text needs an external tool (pdftotext).

use crate::util::{
    bindery, command, epubcheck, have_tool, listing, pdftotext, qpdf_check, run_cmd, s,
    shared_file, tempdir, write, Run,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// Helpers: writing and building books
// ---------------------------------------------------------------------------------------------

/// Writes an mdBook book in `dir`: `book.toml`, `src/SUMMARY.md` and `files` (paths under src/).
fn mdbook(dir: &Path, toml: &str, summary: &str, files: &[(&str, &str)]) {
    write(dir, "book.toml", toml);
    write(dir, "src/SUMMARY.md", summary);
    for (name, text) in files {
        write(dir, &format!("src/{name}"), text);
    }
}

/// Runs `bindery build BOOK -o out EXTRA...` in `cwd` (the book's parent folder).
fn build(cwd: &Path, book: &str, extra: &[&str]) -> Run {
    let mut args = vec!["build", book, "-o", "out"];
    args.extend_from_slice(extra);
    bindery(cwd, &args)
}

/// The PDF and the EPUB named `name` in `out`, asserting they are the only files there.
#[track_caller]
fn outputs(out: &Path, name: &str) -> (PathBuf, PathBuf) {
    assert_eq!(
        listing(out),
        [format!("{name}.epub"), format!("{name}.pdf")],
        "a book builds exactly one PDF and one EPUB"
    );
    (
        out.join(format!("{name}.pdf")),
        out.join(format!("{name}.epub")),
    )
}

#[track_caller]
fn assert_no_warnings(run: &Run) {
    assert!(
        run.lines_starting("warning:").is_empty(),
        "unexpected warnings:\n{run}"
    );
}

/// Asserts that each of `expected` is a whole (trimmed) line of `text`, in this order.
#[track_caller]
fn assert_lines_in_order(text: &str, expected: &[&str], what: &str) {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut at = 0;
    for want in expected {
        match lines[at..].iter().position(|l| l == want) {
            Some(i) => at += i + 1,
            None => {
                panic!("{what}: no line {want:?} after line {at} (order {expected:?}):\n{text}")
            }
        }
    }
}

/// The trimmed, non-empty lines strictly between the line `from` and the line `to`.
#[track_caller]
fn lines_between<'a>(text: &'a str, from: &str, to: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let start = lines
        .iter()
        .position(|l| *l == from)
        .unwrap_or_else(|| panic!("no line {from:?} in:\n{text}"));
    let end = start
        + 1
        + lines[start + 1..]
            .iter()
            .position(|l| *l == to)
            .unwrap_or_else(|| panic!("no line {to:?} after {from:?} in:\n{text}"));
    lines[start + 1..end]
        .iter()
        .copied()
        .filter(|l| !l.is_empty())
        .collect()
}

/// A 2×2 RGB PNG.
fn png_bytes() -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 2, 2);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[200, 16, 16, 16, 200, 16, 16, 16, 200, 90, 90, 90])
            .unwrap();
    }
    bytes
}

/// The folder a book in `dir` may read from is the nearest folder above with `.git`, else the
/// book's own folder. Tests about "outside the book" need the latter: when some folder above
/// the temp dir is a repository (TMPDIR inside a checkout), a `.git` folder in the book pins
/// the project to the book folder so the test still means what it says.
fn pin_project_to(book_dir: &Path) {
    let real = std::fs::canonicalize(book_dir).expect("book folder exists");
    if real.ancestors().skip(1).any(|d| d.join(".git").exists()) {
        eprintln!(
            "note: a git repository encloses {}; pinning the project to the book folder",
            real.display()
        );
        std::fs::create_dir_all(book_dir.join(".git")).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers: reading EPUBs (zip on flate2) and PDFs (lopdf)
// ---------------------------------------------------------------------------------------------

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
        assert!(data[local..].starts_with(b"PK\x03\x04"), "zip local header");
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

/// An EPUB's files, with paths relative to the package document's folder.
struct Epub {
    files: BTreeMap<String, Vec<u8>>,
    /// `OEBPS/`: the folder of content.opf inside the zip.
    base: String,
}

/// One entry of the navigation document: nesting depth (1 = top list), href, plain text.
#[derive(Debug, Clone, PartialEq)]
struct NavEntry {
    depth: usize,
    href: String,
    text: String,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let files = unzip(path);
        let container = String::from_utf8(files["META-INF/container.xml"].clone()).unwrap();
        let opf = start_tags(&container, "rootfile")
            .first()
            .and_then(|t| attr(t, "full-path"))
            .expect("container.xml names the package document");
        let base = opf
            .rfind('/')
            .map_or(String::new(), |i| opf[..=i].to_owned());
        Epub { files, base }
    }

    fn has(&self, name: &str) -> bool {
        self.files.contains_key(&format!("{}{name}", self.base))
    }

    fn bytes(&self, name: &str) -> &[u8] {
        self.files
            .get(&format!("{}{name}", self.base))
            .unwrap_or_else(|| panic!("no {name} in the EPUB"))
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.bytes(name).to_vec()).expect("XHTML is UTF-8")
    }

    /// Names (relative to the package folder) of the files under `folder/`.
    fn under(&self, folder: &str) -> Vec<String> {
        let prefix = format!("{}{folder}/", self.base);
        self.files
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .map(|k| k[self.base.len()..].to_owned())
            .collect()
    }

    /// The spine's documents in reading order: (href, XHTML).
    fn spine(&self) -> Vec<(String, String)> {
        let opf_name = self
            .files
            .keys()
            .find(|k| k.ends_with(".opf"))
            .expect("a package document")
            .clone();
        let opf = String::from_utf8(self.files[&opf_name].clone()).unwrap();
        let items: BTreeMap<String, String> = start_tags(&opf, "item")
            .iter()
            .filter_map(|t| Some((attr(t, "id")?, attr(t, "href")?)))
            .collect();
        start_tags(&opf, "itemref")
            .iter()
            .filter_map(|t| attr(t, "idref"))
            .map(|id| {
                let href = items[&id].clone();
                let text = self.text(&href);
                (href, text)
            })
            .collect()
    }

    /// The chapter documents (`chNN.xhtml`) in reading order.
    fn chapters(&self) -> Vec<(String, String)> {
        self.spine()
            .into_iter()
            .filter(|(h, _)| h.starts_with("ch") && h.ends_with(".xhtml"))
            .collect()
    }

    /// What a reader sees of the spine documents: bodies without tags, entities decoded.
    fn body_text(&self) -> String {
        self.spine()
            .iter()
            .map(|(_, x)| plain(x.split_once("<body").map_or(x.as_str(), |(_, b)| b)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The entries of the table of contents (`<nav epub:type="toc">`) in order.
    fn nav(&self) -> Vec<NavEntry> {
        let nav = self.text("nav.xhtml");
        let start = nav.find("<nav").expect("a <nav> in nav.xhtml");
        let end = start + nav[start..].find("</nav>").expect("</nav>");
        let toc = &nav[start..end];
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut at = 0;
        while let Some(i) = toc[at..].find('<') {
            let rest = &toc[at + i..];
            if rest.starts_with("<ol") {
                depth += 1;
            } else if rest.starts_with("</ol") {
                depth -= 1;
            } else if rest.starts_with("<a ") {
                let tag_end = rest.find('>').unwrap();
                let close = rest.find("</a>").unwrap();
                out.push(NavEntry {
                    depth,
                    href: attr(&rest[..tag_end], "href").unwrap_or_default(),
                    text: plain(&rest[tag_end + 1..close]).trim().to_owned(),
                });
            }
            at += i + 1;
        }
        out
    }
}

/// The start tags `<name ...>` of `xml` (their text without `<` and `>`).
fn start_tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = xml[at..].find(&open) {
        let start = at + i + 1;
        let after = xml[start + name.len()..].chars().next();
        let end = start + xml[start..].find('>').unwrap_or(xml.len() - start);
        if matches!(after, Some(c) if c.is_whitespace() || c == '>' || c == '/') {
            out.push(&xml[start..end]);
        }
        at = end;
    }
    out
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

/// The links of a document: (href, plain text).
fn links(xhtml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = xhtml[at..].find("<a ") {
        let start = at + i;
        let tag_end = start + xhtml[start..].find('>').unwrap();
        let close = tag_end + xhtml[tag_end..].find("</a>").unwrap_or(0);
        if let Some(href) = attr(&xhtml[start + 1..tag_end], "href") {
            out.push((href, plain(&xhtml[tag_end + 1..close]).trim().to_owned()));
        }
        at = tag_end;
    }
    out
}

/// The text of the element carrying `id="id"` (up to its first child tag).
fn text_at_id(xhtml: &str, id: &str) -> Option<String> {
    let at = xhtml.find(&format!(" id=\"{id}\""))?;
    let start = at + xhtml[at..].find('>')? + 1;
    let end = start + xhtml[start..].find("</")?;
    Some(plain(&xhtml[start..end]).trim().to_owned())
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
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An href that names a place in the package (not `https:`, `mailto:`...).
fn is_local(href: &str) -> bool {
    !href.contains("://") && !href.starts_with("mailto:") && !href.starts_with("tel:")
}

/// Asserts every local link of every spine document goes to a file of the package and, with a
/// fragment, to an id that file has. Returns the number of links to another file with a
/// fragment.
#[track_caller]
fn assert_epub_links_land(epub: &Epub) -> usize {
    let spine = epub.spine();
    let docs: BTreeMap<&str, BTreeSet<String>> =
        spine.iter().map(|(h, x)| (h.as_str(), ids(x))).collect();
    let mut cross = 0;
    for (name, xhtml) in &spine {
        for (href, text) in links(xhtml) {
            if !is_local(&href) {
                continue;
            }
            let (file, fragment) = match href.split_once('#') {
                Some((f, frag)) => (if f.is_empty() { name.as_str() } else { f }, Some(frag)),
                None => (href.as_str(), None),
            };
            assert!(
                !file.ends_with(".md") && !file.ends_with(".html"),
                "{name}: link {text:?} still points to a source or web page: {href}"
            );
            assert!(
                epub.has(file),
                "{name}: link {text:?} -> {href}: no {file} in the package"
            );
            if let Some(fragment) = fragment {
                let target = docs.get(file).unwrap_or_else(|| {
                    panic!("{name}: link {text:?} -> {href}: {file} is not in the spine")
                });
                assert!(
                    target.contains(fragment),
                    "{name}: link {text:?} -> {href}: {file} has no id {fragment:?}"
                );
                if file != name {
                    cross += 1;
                }
            }
        }
    }
    cross
}

#[track_caller]
fn assert_epubcheck_clean(epub: &Path) {
    if let Some(check) = epubcheck(epub) {
        assert!(
            check.errors == 0 && check.warnings == 0,
            "EPUBCheck on {}: {} errors, {} warnings\n{}",
            epub.display(),
            check.errors,
            check.warnings,
            check.messages.join("\n")
        );
    }
}

fn pdf(path: &Path) -> lopdf::Document {
    lopdf::Document::load(path)
        .unwrap_or_else(|e| panic!("lopdf cannot read {}: {e}", path.display()))
}

/// `page-object y` of an explicit destination `[page /XYZ x y zoom]` (or a reference to one).
fn dest_key(doc: &lopdf::Document, dest: &lopdf::Object) -> String {
    let dest = doc.dereference(dest).expect("a destination").1;
    let a = dest.as_array().expect("a destination array");
    let page = a[0].as_reference().expect("a page reference");
    let y = a.get(3).and_then(|y| y.as_float().ok()).unwrap_or(f32::NAN);
    format!("{} {} {y}", page.0, page.1)
}

/// The link annotations of a PDF: destinations of internal links, URIs of external ones.
fn pdf_links(doc: &lopdf::Document) -> (Vec<String>, Vec<String>) {
    let (mut internal, mut uris) = (Vec::new(), Vec::new());
    for page in doc.get_pages().values() {
        for annot in doc.get_page_annotations(*page).unwrap_or_default() {
            if annot.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Link".as_slice()) {
                continue;
            }
            if let Ok(dest) = annot.get(b"Dest") {
                internal.push(dest_key(doc, dest));
            } else if let Ok(action) = annot.get(b"A") {
                let action = doc.dereference(action).unwrap().1.as_dict().unwrap();
                if let Ok(uri) = action.get(b"URI") {
                    uris.push(String::from_utf8_lossy(uri.as_str().unwrap()).into_owned());
                } else if let Ok(dest) = action.get(b"D") {
                    internal.push(dest_key(doc, dest));
                }
            }
        }
    }
    (internal, uris)
}

/// The PDF's named destinations (the catalog's `/Names /Dests` tree): id -> `dest_key`.
fn pdf_named_dests(doc: &lopdf::Document) -> BTreeMap<String, String> {
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

/// The outline (bookmarks), depth first: (depth from 1, title).
fn pdf_outline(doc: &lopdf::Document) -> Vec<(usize, String)> {
    fn walk(
        doc: &lopdf::Document,
        first: Option<&lopdf::Object>,
        depth: usize,
        out: &mut Vec<(usize, String)>,
    ) {
        let mut next = first.and_then(|o| o.as_reference().ok());
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            let title = item
                .get(b"Title")
                .ok()
                .and_then(|t| lopdf::decode_text_string(t).ok())
                .unwrap_or_default();
            out.push((depth, title));
            walk(doc, item.get(b"First").ok(), depth + 1, out);
            next = item.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    let mut out = Vec::new();
    if let Ok(outlines) = doc.catalog().unwrap().get(b"Outlines") {
        let root = doc.dereference(outlines).unwrap().1.as_dict().unwrap();
        walk(doc, root.get(b"First").ok(), 1, &mut out);
    }
    out
}

/// Width and height of the first page in points.
fn pdf_page_size(doc: &lopdf::Document) -> (f32, f32) {
    let page = *doc.get_pages().values().next().expect("a page");
    let dict = doc.get_dictionary(page).unwrap();
    let b = dict.get(b"MediaBox").unwrap().as_array().unwrap();
    let n = |i: usize| b[i].as_float().unwrap();
    (n(2) - n(0), n(3) - n(1))
}

/// (width, height) of every image XObject.
fn pdf_images(doc: &lopdf::Document) -> Vec<(i64, i64)> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image".as_slice())
        })
        .map(|s| {
            let n = |k: &[u8]| s.dict.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
            (n(b"Width"), n(b"Height"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. SUMMARY.md
// ---------------------------------------------------------------------------------------------

const FORMS_SUMMARY: &str = "\
# Summary

[Preface](preface.md)

---

- [Alpha](alpha.md)
  - [Alpha One](alpha/one.md)
    - [Alpha Deep](alpha/deep.md)
- [Beta](beta.md)
- [Draft Chapter]()

# Part I

- [Gamma](gamma.md)

---

[Appendix](appendix.md)
";

#[test]
fn summary_forms_order_numbers_parts_and_drafts() {
    let dir = tempdir();
    let book = dir.path().join("forms");
    mdbook(
        &book,
        "[book]\ntitle = \"Forms Book\"\nauthors = [\"Ann\"]\n",
        FORMS_SUMMARY,
        &[
            ("preface.md", "# Preface\n\nText of the preface.\n"),
            ("alpha.md", "# Alpha\n\nText of alpha.\n"),
            ("alpha/one.md", "# Alpha One\n\nText of alpha one.\n"),
            ("alpha/deep.md", "# Alpha Deep\n\nText of alpha deep.\n"),
            ("beta.md", "# Beta\n\nText of beta.\n"),
            ("gamma.md", "# Gamma\n\nText of gamma.\n"),
            // No heading: the chapter takes SUMMARY.md's title.
            ("appendix.md", "Text of the appendix.\n"),
        ],
    );
    let run = build(dir.path(), "forms", &[]);
    run.assert_code(0);
    // A draft chapter has no file: left out without a word.
    assert_no_warnings(&run);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "forms");

    // mdBook numbers a draft chapter too (it is listed, greyed out, as "3."), so Gamma, after
    // the part title, is "4.": numbering runs on across parts.
    let expected = [
        "Preface",
        "1. Alpha",
        "1.1. Alpha One",
        "1.1.1. Alpha Deep",
        "2. Beta",
        "Part I",
        "4. Gamma",
        "Appendix",
    ];
    if let Some(text) = pdftotext(&pdf_path) {
        assert_lines_in_order(&text, &expected, "PDF text");
        assert_lines_in_order(
            &text,
            &[
                "Text of the preface.",
                "Text of alpha.",
                "Text of beta.",
                "Text of gamma.",
                "Text of the appendix.",
            ],
            "PDF body text",
        );
        assert!(
            !text.contains("Draft"),
            "the draft chapter is in the PDF:\n{text}"
        );
        assert!(!text.contains("3. "), "a chapter is numbered 3:\n{text}");
    }
    let outline: Vec<String> = pdf_outline(&pdf(&pdf_path))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for title in expected {
        assert!(
            outline.iter().any(|t| t == title),
            "PDF outline lacks {title:?}: {outline:?}"
        );
    }

    let epub = Epub::open(&epub_path);
    let body = epub.body_text();
    assert!(
        !body.contains("Draft"),
        "the draft chapter is in the EPUB:\n{body}"
    );
    assert_lines_in_order(&body, &expected, "EPUB text");
    let nav: Vec<(usize, String)> = epub
        .nav()
        .into_iter()
        .filter(|e| !e.href.contains('#') && e.href != "title.xhtml")
        .map(|e| (e.depth, e.text))
        .collect();
    let want: Vec<(usize, String)> = [
        (1, "Preface"),
        (1, "1. Alpha"),
        (2, "1.1. Alpha One"),
        (3, "1.1.1. Alpha Deep"),
        (1, "2. Beta"),
        (1, "Part I"),
        (1, "4. Gamma"),
        (1, "Appendix"),
    ]
    .into_iter()
    .map(|(d, t)| (d, t.to_owned()))
    .collect();
    assert_eq!(nav, want, "EPUB navigation (depth, entry)");
    assert!(
        epub.text("nav.xhtml").matches("<ol").count() >= 3,
        "nested chapters are nested <ol> lists"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Includes
// ---------------------------------------------------------------------------------------------

const LINES_RS: &str = "line one alpha\nline two beta\nline three gamma\nline four delta\n";

const ANCHORS_RS: &str = "\
fn outside_before() {}
// ANCHOR: main
fn inside_main() {
    // ANCHOR: other
    let inner = 1;
    // ANCHOR_END: other
}
// ANCHOR_END: main
fn outside_after() {}
";

const INCLUDES_MD: &str = r"# Includes

{{#title New Title}}

Whole:

```text
{{#include file.rs}}
```

Two:

```text
{{#include file.rs:2}}
```

TwoThree:

```text
{{#include file.rs:2:3}}
```

FromTwo:

```text
{{#include file.rs:2:}}
```

ToTwo:

```text
{{#include file.rs::2}}
```

Anchor:

```rust
{{#include anchors.rs:main}}
```

Rustdoc:

```rust
{{#rustdoc_include anchors.rs:other}}
```

Nested:

```text
{{#include nested/outer.txt}}
```

Escaped: \{{#include x.rs}}

End.
";

/// The code blocks of a document, tags removed, in order.
fn code_blocks(xhtml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = xhtml[at..].find("<pre") {
        let start = at + i;
        let end = start + xhtml[start..].find("</pre>").unwrap();
        out.push(plain(&xhtml[start..end]));
        at = end;
    }
    out
}

#[test]
fn include_forms_in_both_outputs() {
    let dir = tempdir();
    let book = dir.path().join("inc");
    mdbook(
        &book,
        "[book]\ntitle = \"Includes\"\n",
        "# Summary\n\n- [Includes](inc.md)\n",
        &[
            ("inc.md", INCLUDES_MD),
            ("file.rs", LINES_RS),
            ("anchors.rs", ANCHORS_RS),
            // Nested includes are relative to the including file's folder.
            ("nested/outer.txt", "outer first\n{{#include inner.txt}}\n"),
            ("nested/inner.txt", "inner second\n"),
        ],
    );
    let run = build(dir.path(), "inc", &[]);
    run.assert_code(0);
    assert_no_warnings(&run);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "inc");

    let sections: [(&str, &str, &[&str]); 8] = [
        (
            "Whole:",
            "Two:",
            &[
                "line one alpha",
                "line two beta",
                "line three gamma",
                "line four delta",
            ],
        ),
        ("Two:", "TwoThree:", &["line two beta"]),
        (
            "TwoThree:",
            "FromTwo:",
            &["line two beta", "line three gamma"],
        ),
        (
            "FromTwo:",
            "ToTwo:",
            &["line two beta", "line three gamma", "line four delta"],
        ),
        ("ToTwo:", "Anchor:", &["line one alpha", "line two beta"]),
        // The other anchor's marker lines inside are dropped too.
        (
            "Anchor:",
            "Rustdoc:",
            &["fn inside_main() {", "let inner = 1;", "}"],
        ),
        // rustdoc_include: the lines outside the anchor are there, hidden (`# `).
        ("Rustdoc:", "Nested:", &["let inner = 1;"]),
        (
            "Nested:",
            "Escaped: {{#include x.rs}}",
            &["outer first", "inner second"],
        ),
    ];
    let check = |text: &str, what: &str| {
        for (from, to, want) in &sections {
            assert_eq!(
                lines_between(text, from, to),
                *want,
                "{what}: between {from:?} and {to:?}:\n{text}"
            );
        }
        for absent in [
            "ANCHOR",
            "outside_before",
            "outside_after",
            "{{#title",
            "New Title",
            "{{#include file",
            "{{#rustdoc",
        ] {
            assert!(!text.contains(absent), "{what} shows {absent:?}:\n{text}");
        }
        // The escape shows the directive literally, without the backslash.
        assert!(
            text.contains("Escaped: {{#include x.rs}}"),
            "{what}: escape:\n{text}"
        );
        assert!(
            !text.contains("\\{{"),
            "{what}: the escape's backslash is shown:\n{text}"
        );
    };
    if let Some(text) = pdftotext(&pdf_path) {
        check(&text, "PDF");
    }
    let epub = Epub::open(&epub_path);
    check(&epub.body_text(), "EPUB");
    // Indentation is kept exactly (mdBook does not dedent).
    let (_, xhtml) = &epub.chapters()[0];
    let blocks = code_blocks(xhtml);
    assert!(
        blocks.contains(&"fn inside_main() {\n    let inner = 1;\n}\n".to_owned()),
        "anchor include as code: {blocks:?}"
    );
    assert!(
        blocks.contains(&"    let inner = 1;\n".to_owned()),
        "rustdoc_include shows only its anchor: {blocks:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Hidden code lines
// ---------------------------------------------------------------------------------------------

#[test]
fn hidden_code_lines_rust_and_hidelines() {
    let dir = tempdir();
    let book = dir.path().join("hid");
    mdbook(
        &book,
        "[book]\ntitle = \"Hidden\"\n\n[output.html.code.hidelines]\npython = \"~\"\n",
        "- [Hidden](hid.md)\n",
        &[(
            "hid.md",
            "# Hidden\n\n```rust\n# fn main() {\nlet shown_value = 1;\n##[derive(Debug)]\n#[derive(Clone)]\n    # let hidden_indented = 2;\n# }\n```\n\n\
             ```python\n~import hidden_module\nprint(\"shown_python\")\n```\n\n\
             ```\n# shown_plain_hash\n```\n",
        )],
    );
    let run = build(dir.path(), "hid", &[]);
    run.assert_code(0);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "hid");
    let check = |text: &str, what: &str| {
        for shown in [
            "let shown_value = 1;",
            "#[derive(Debug)]",
            "#[derive(Clone)]",
            "print(\"shown_python\")",
            "# shown_plain_hash",
        ] {
            assert!(text.contains(shown), "{what} lacks {shown:?}:\n{text}");
        }
        for hidden in [
            "fn main()",
            "hidden_indented",
            "##[derive",
            "hidden_module",
            "~",
        ] {
            assert!(
                !text.contains(hidden),
                "{what} shows hidden {hidden:?}:\n{text}"
            );
        }
    };
    if let Some(text) = pdftotext(&pdf_path) {
        check(&text, "PDF");
    }
    check(&Epub::open(&epub_path).body_text(), "EPUB");
}

// ---------------------------------------------------------------------------------------------
// 4. Links between chapters
// ---------------------------------------------------------------------------------------------

const LINKS_A: &str = "\
# Chapter A

- [to b](b.md)
- [to b sec](b.md#sec)
- [to c deep](sub/c.md#deep)
- [to b html](b.html#sec)
- [to b ref][r]
- [a summary](a.md#summary)
- [b summary](b.md#summary)
- [web](https://example.org/)

## Summary

Summary of A.

[r]: b.md#sec
";

#[test]
fn links_between_chapters_land_on_anchors() {
    let dir = tempdir();
    let book = dir.path().join("links");
    mdbook(
        &book,
        "[book]\ntitle = \"Links\"\n",
        "# Summary\n\n- [A](a.md)\n- [B](b.md)\n- [C](sub/c.md)\n",
        &[
            ("a.md", LINKS_A),
            (
                "b.md",
                "# Chapter B\n\n## Sec\n\nSection text.\n\n## Summary\n\nSummary of B.\n",
            ),
            (
                "sub/c.md",
                "# Chapter C\n\n- [back to b sec](../b.md#sec)\n\n## Deep\n\nDeep text.\n",
            ),
        ],
    );
    let run = build(dir.path(), "links", &[]);
    run.assert_code(0);
    assert_no_warnings(&run);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "links");

    // EPUB: every link goes to a file of the package and an id it has.
    let epub = Epub::open(&epub_path);
    let chapters = epub.chapters();
    let file_of = |heading: &str| -> String {
        chapters
            .iter()
            .find(|(_, x)| x.contains(&format!("{heading}</h1>")))
            .map(|(h, _)| h.clone())
            .unwrap_or_else(|| panic!("no chapter file with the heading {heading:?}"))
    };
    let (fa, fb, fc) = (
        file_of("Chapter A"),
        file_of("Chapter B"),
        file_of("Chapter C"),
    );
    assert_eq!(
        assert_epub_links_land(&epub),
        7,
        "links to another chapter file"
    );
    let all: BTreeMap<String, String> = chapters
        .iter()
        .flat_map(|(_, x)| links(x))
        .map(|(href, text)| (text, href))
        .collect();
    let target = |text: &str| -> (String, String) {
        let href = all
            .get(text)
            .unwrap_or_else(|| panic!("no link {text:?}: {all:?}"));
        let (f, id) = href
            .split_once('#')
            .unwrap_or_else(|| panic!("{text:?} -> {href} has no fragment"));
        (f.to_owned(), id.to_owned())
    };
    let text_of = |file: &str, id: &str| -> String {
        let xhtml = &chapters.iter().find(|(h, _)| h == file).unwrap().1;
        text_at_id(xhtml, id).unwrap_or_else(|| panic!("{file} has no id {id:?}"))
    };
    let (to_b_file, to_b_id) = target("to b");
    assert_eq!(to_b_file, fb);
    assert_eq!(text_of(&fb, &to_b_id), "2. Chapter B");
    for text in ["to b sec", "to b html", "to b ref", "back to b sec"] {
        let (f, id) = target(text);
        assert_eq!(f, fb, "{text:?}");
        assert_eq!(text_of(&f, &id), "Sec", "{text:?} lands on the heading Sec");
    }
    let (f, id) = target("to c deep");
    assert_eq!(f, fc);
    assert_eq!(text_of(&fc, &id), "Deep");
    // `## Summary` in two chapters: two different ids, each link on its own chapter's heading.
    let (a_file, a_id) = target("a summary");
    let (b_file, b_id) = target("b summary");
    assert_eq!((&a_file, &b_file), (&fa, &fb));
    assert_ne!(a_id, b_id, "the two Summary headings share an id");
    assert_eq!(text_of(&fa, &a_id), "Summary");
    assert_eq!(text_of(&fb, &b_id), "Summary");
    assert_eq!(
        all.get("web").map(String::as_str),
        Some("https://example.org/")
    );
    assert_epubcheck_clean(&epub_path);

    // PDF: eight internal links (each alone on its line, so one annotation each), all on named
    // destinations of the right headings; the web link stays a URI.
    let doc = pdf(&pdf_path);
    let (internal, uris) = pdf_links(&doc);
    assert_eq!(uris, ["https://example.org/"]);
    assert_eq!(internal.len(), 8, "internal link annotations: {internal:?}");
    let named = pdf_named_dests(&doc);
    let dest = |id: &str| {
        named
            .get(id)
            .unwrap_or_else(|| panic!("no named destination {id:?}: {named:?}"))
    };
    let wanted: BTreeSet<&String> = [
        dest("sec"),
        dest("deep"),
        dest(&a_id),
        dest(&b_id),
        dest(&to_b_id),
    ]
    .into_iter()
    .collect();
    let got: BTreeSet<&String> = internal.iter().collect();
    assert!(
        wanted.is_subset(&got),
        "links miss destinations: want {wanted:?}, have {got:?}"
    );
    assert_ne!(dest(&a_id), dest(&b_id));
    let named_values: BTreeSet<&String> = named.values().collect();
    assert!(
        got.is_subset(&named_values),
        "a PDF link goes somewhere no heading is: {got:?} vs {named:?}"
    );
    assert_eq!(internal.iter().filter(|d| *d == dest("sec")).count(), 4);
}

// ---------------------------------------------------------------------------------------------
// 5. Links out of the book
// ---------------------------------------------------------------------------------------------

#[test]
fn links_outside_the_book_become_text_with_one_warning() {
    let dir = tempdir();
    let book = dir.path().join("out-links");
    mdbook(
        &book,
        "[book]\ntitle = \"Outside\"\n",
        "- [A](a.md)\n",
        &[(
            "a.md",
            "# A\n\nSee [other one](../other/index.html),\n[other two](../other/index.html#x) and\n[other three](../other/page.md).\n",
        )],
    );
    let run = build(dir.path(), "out-links", &[]);
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert_eq!(warnings.len(), 1, "one warning for three links:\n{run}");
    assert!(
        warnings[0].contains("a.md:3") && warnings[0].contains("../other/index.html"),
        "the warning names the first link's place, the count and the link:\n{run}"
    );
    assert!(
        warnings[0].contains("3 links"),
        "the warning says how many:\n{run}"
    );
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "out-links");
    let epub = Epub::open(&epub_path);
    let (_, xhtml) = &epub.chapters()[0];
    assert!(
        links(xhtml).is_empty(),
        "links were kept: {:?}",
        links(xhtml)
    );
    let body = epub.body_text();
    for t in ["other one", "other two", "other three"] {
        assert!(body.contains(t), "{t:?} is gone:\n{body}");
    }
    let (internal, uris) = pdf_links(&pdf(&pdf_path));
    assert!(
        internal.is_empty() && uris.is_empty(),
        "PDF links: {internal:?} {uris:?}"
    );
    if let Some(text) = pdftotext(&pdf_path) {
        assert!(text.contains("other three"), "{text}");
    }

    // One such link: the warning names it without a count.
    write(
        &book,
        "src/a.md",
        "# A\n\nSee [other one](../other/index.html).\n",
    );
    let run = build(dir.path(), "out-links", &[]);
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].contains("a.md:3") && warnings[0].contains("../other/index.html"),
        "{run}"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Images beside chapters
// ---------------------------------------------------------------------------------------------

#[test]
fn images_relative_to_a_chapter_in_a_subfolder() {
    let dir = tempdir();
    let book = dir.path().join("pics");
    let png = png_bytes();
    mdbook(
        &book,
        "[book]\ntitle = \"Pictures\"\n",
        "- [A](a.md)\n- [C](sub/c.md)\n",
        &[
            ("a.md", "# A\n\nNo picture here.\n"),
            ("sub/c.md", "# C\n\n![a tiny picture](img/p.png)\n"),
        ],
    );
    write(&book, "src/sub/img/p.png", &png);
    // A file of the same name at the top of src/ must not be the one taken.
    write(&book, "src/img/p.png", b"not a png");
    let run = build(dir.path(), "pics", &[]);
    run.assert_code(0);
    assert_no_warnings(&run);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "pics");

    let epub = Epub::open(&epub_path);
    let chapters = epub.chapters();
    let (_, c) = chapters
        .iter()
        .find(|(_, x)| x.contains("C</h1>"))
        .expect("chapter C");
    let img = start_tags(c, "img");
    assert_eq!(img.len(), 1, "one image in chapter C: {c}");
    let src = attr(img[0], "src").expect("src");
    assert!(epub.has(&src), "the image {src} is not in the package");
    assert_eq!(
        epub.bytes(&src),
        png.as_slice(),
        "the EPUB's image is sub/img/p.png"
    );
    assert_eq!(epub.under("images").len(), 1, "{:?}", epub.under("images"));

    let images = pdf_images(&pdf(&pdf_path));
    assert!(
        images.contains(&(2, 2)),
        "no 2x2 image in the PDF: {images:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Bad input: exit 1, file:line, nothing written
// ---------------------------------------------------------------------------------------------

/// A good book `parent/bk` (book.toml, SUMMARY.md listing a.md, a.md) with the project pinned to
/// its own folder; tests then break one thing.
fn good_book(parent: &Path) -> PathBuf {
    let book = parent.join("bk");
    mdbook(
        &book,
        "[book]\ntitle = \"Bad\"\n",
        "# Summary\n\n- [A](a.md)\n",
        &[("a.md", "# A\n\nText.\n")],
    );
    pin_project_to(&book);
    book
}

/// Builds `parent/bk` over previous outputs and asserts: exit 1, an `error:` line holding every
/// one of `needles` (`a.md:3`), the previous outputs byte for byte and nothing else written.
#[track_caller]
fn assert_refused(parent: &Path, extra: &[&str], needles: &[&str]) -> Run {
    let out = parent.join("out");
    write(&out, "bk.pdf", "previous good pdf");
    write(&out, "bk.epub", "previous good epub");
    let run = build(parent, "bk", extra);
    run.assert_code(1);
    assert!(
        run.lines_starting("error:")
            .iter()
            .any(|l| needles.iter().all(|n| l.contains(n))),
        "no `error:` line with {needles:?}:\n{run}"
    );
    assert_eq!(
        listing(&out),
        ["bk.epub", "bk.pdf"],
        "files were written:\n{run}"
    );
    assert_eq!(
        std::fs::read(out.join("bk.pdf")).unwrap(),
        b"previous good pdf",
        "{run}"
    );
    assert_eq!(
        std::fs::read(out.join("bk.epub")).unwrap(),
        b"previous good epub",
        "{run}"
    );
    run
}

#[test]
fn bad_book_toml_names_its_line() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(&book, "book.toml", "[book]\ntitle = \"Bad\nauthors = []\n");
    assert_refused(dir.path(), &[], &["book.toml:2"]);
    write(&book, "book.toml", "[book]\ntitle = \"Bad\"\nauthors = 3\n");
    assert_refused(dir.path(), &[], &["book.toml:3", "authors"]);
}

#[test]
fn summary_entry_for_a_missing_file() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(
        &book,
        "src/SUMMARY.md",
        "# Summary\n\n- [A](a.md)\n- [Missing](missing.md)\n",
    );
    assert_refused(dir.path(), &[], &["SUMMARY.md:4", "missing.md"]);
}

#[test]
fn include_of_a_missing_file() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(
        &book,
        "src/a.md",
        "# A\n\nText.\n\n{{#include nofile.rs}}\n",
    );
    assert_refused(dir.path(), &[], &["a.md:5", "nofile.rs"]);
}

#[test]
fn include_of_a_missing_anchor() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(
        &book,
        "src/x.rs",
        "// ANCHOR: here\nfn x() {}\n// ANCHOR_END: here\n",
    );
    write(
        &book,
        "src/a.md",
        "# A\n\nText.\n\n```rust\n{{#include x.rs:nope}}\n```\n",
    );
    assert_refused(dir.path(), &[], &["a.md:6", "nope"]);
}

#[test]
fn include_cycle() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(&book, "src/c1.rs", "one\n{{#include c2.rs}}\n");
    write(&book, "src/c2.rs", "two\n{{#include c1.rs}}\n");
    write(&book, "src/a.md", "# A\n\n{{#include c1.rs}}\n");
    assert_refused(dir.path(), &[], &["c2.rs:2", "cycle"]);
}

#[test]
fn include_leaving_the_project_and_allow_root() {
    let dir = tempdir();
    let book = good_book(dir.path());
    if Path::new("/etc/passwd").is_file() {
        write(&book, "src/a.md", "# A\n\n{{#include /etc/passwd}}\n");
        assert_refused(dir.path(), &[], &["a.md:3", "/etc/passwd"]);
    }
    write(dir.path(), "outside.txt", "text from outside the book\n");
    write(&book, "src/a.md", "# A\n\n{{#include ../../outside.txt}}\n");
    assert_refused(dir.path(), &[], &["a.md:3", "outside.txt"]);
    // --allow-root PARENT lets it in.
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let run = build(dir.path(), "bk", &["--allow-root", s(dir.path())]);
    run.assert_code(0);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "bk");
    assert!(Epub::open(&epub_path)
        .body_text()
        .contains("text from outside the book"));
    if let Some(text) = pdftotext(&pdf_path) {
        assert!(text.contains("text from outside the book"), "{text}");
    }
}

#[test]
fn image_leaving_the_project() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(dir.path(), "p.png", png_bytes());
    write(&book, "src/a.md", "# A\n\n![outside](../../p.png)\n");
    assert_refused(dir.path(), &[], &["a.md:3"]);
    // Percent-encoded, the path still leaves.
    write(&book, "src/a.md", "# A\n\n![outside](..%2F..%2Fp.png)\n");
    assert_refused(dir.path(), &[], &["a.md:3"]);
}

/// An absolute image path is, as in mdBook, relative to the book's source folder: never a
/// file elsewhere on the machine.
#[test]
fn image_by_absolute_path_is_book_relative() {
    let dir = tempdir();
    let book = good_book(dir.path());
    let outside = write(dir.path(), "p.png", png_bytes());
    write(&book, "src/img/root.png", png_bytes());
    write(
        &book,
        "src/a.md",
        format!(
            "# A\n\n![from the root](/img/root.png)\n\n![outside]({})\n",
            s(&outside)
        ),
    );
    let run = build(dir.path(), "bk", &[]);
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(warnings[0].contains("a.md:5"), "{run}");
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "bk");
    let epub = Epub::open(&epub_path);
    assert_eq!(epub.under("images").len(), 1, "{:?}", epub.under("images"));
    let (_, xhtml) = &epub.chapters()[0];
    let img = start_tags(xhtml, "img");
    assert_eq!(img.len(), 1, "only /img/root.png is an image: {xhtml}");
    assert_eq!(epub.bytes(&attr(img[0], "src").unwrap()), png_bytes());
    assert_eq!(pdf_images(&pdf(&pdf_path)).len(), 1);
}

/// BUG (the cover is read by src/parse/assets.rs relative to src/ without the project check):
/// `cover = "../../p.png"` in `[output.bindery]` embeds a file from outside the project.
#[test]
fn cover_leaving_the_project() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(dir.path(), "p.png", png_bytes());
    write(
        &book,
        "book.toml",
        "[book]\ntitle = \"Bad\"\n\n[output.bindery]\ncover = \"../../p.png\"\n",
    );
    assert_refused(dir.path(), &[], &["book.toml"]);
}

#[test]
fn chapter_that_is_not_utf8() {
    let dir = tempdir();
    let book = good_book(dir.path());
    write(&book, "src/a.md", b"# A\n\nok\n\nbad \xff\xfe here\n");
    assert_refused(dir.path(), &[], &["a.md:5", "UTF-8"]);
}

// ---------------------------------------------------------------------------------------------
// 8. A book inside a git repository
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn book_in_a_repository_reads_the_repository_but_not_beyond() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status();
    if !git.is_ok_and(|s| s.success()) {
        // Only the `.git` entry matters to bindery.
        std::fs::create_dir_all(repo.join(".git")).unwrap();
    }
    write(&repo, "examples/x.rs", "fn example_from_the_repo() {}\n");
    let book = repo.join("book");
    mdbook(
        &book,
        "[book]\ntitle = \"In a repo\"\n",
        "# Summary\n\n- [A](a.md)\n",
        &[(
            "a.md",
            "# A\n\n```rust\n{{#include ../../examples/x.rs}}\n```\n",
        )],
    );
    let run = build(&repo, "book", &[]);
    run.assert_code(0);
    let (pdf_path, epub_path) = outputs(&repo.join("out"), "book");
    assert!(Epub::open(&epub_path)
        .body_text()
        .contains("fn example_from_the_repo() {}"));
    if let Some(text) = pdftotext(&pdf_path) {
        assert!(text.contains("fn example_from_the_repo() {}"), "{text}");
    }

    // Symlinks in the book that point outside the repository are refused: as an include, as a
    // chapter and as an image.
    write(dir.path(), "secret.txt", "secret outside the repo\n");
    write(
        dir.path(),
        "secret.md",
        "# Secret\n\nsecret outside the repo\n",
    );
    write(dir.path(), "secret.png", png_bytes());
    symlink(dir.path().join("secret.txt"), book.join("src/link.txt")).unwrap();
    symlink(dir.path().join("secret.md"), book.join("src/linked.md")).unwrap();
    symlink(dir.path().join("secret.png"), book.join("src/linked.png")).unwrap();
    let refused = |needles: &[&str]| {
        std::fs::remove_dir_all(repo.join("out")).ok();
        let run = build(&repo, "book", &[]);
        run.assert_code(1);
        assert!(
            run.lines_starting("error:")
                .iter()
                .any(|l| needles.iter().all(|n| l.contains(n))),
            "no `error:` line with {needles:?}:\n{run}"
        );
        assert!(
            listing(&repo.join("out")).is_empty(),
            "files were written:\n{run}"
        );
    };
    write(&book, "src/a.md", "# A\n\n{{#include link.txt}}\n");
    refused(&["a.md:3", "link.txt"]);
    write(&book, "src/a.md", "# A\n\nText.\n");
    write(
        &book,
        "src/SUMMARY.md",
        "# Summary\n\n- [A](a.md)\n- [Linked](linked.md)\n",
    );
    refused(&["SUMMARY.md:4", "linked.md"]);
    write(&book, "src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n");
    write(&book, "src/a.md", "# A\n\n![linked](linked.png)\n");
    refused(&["a.md:3", "linked.png"]);
}

// ---------------------------------------------------------------------------------------------
// 9. Preprocessors
// ---------------------------------------------------------------------------------------------

/// mdBook's preprocessor protocol in Python: `supports` says yes; otherwise read
/// `[context, book]`, upper-case every chapter (sub_items too) and print the book.
const UPPER_PY: &str = r#"import json, sys
if len(sys.argv) > 1 and sys.argv[1] == "supports":
    sys.exit(0)
context, book = json.load(sys.stdin)
assert context["renderer"] == "bindery", context["renderer"]
def walk(items):
    for item in items:
        chapter = item.get("Chapter") if isinstance(item, dict) else None
        if chapter:
            chapter["content"] = chapter["content"].upper()
            walk(chapter.get("sub_items", []))
walk(book.get("items") or book.get("sections") or [])
json.dump(book, sys.stdout)
"#;

fn preprocessor_book(dir: &Path, preprocessor: &str) -> PathBuf {
    let book = dir.join("pp");
    mdbook(
        &book,
        &format!("[book]\ntitle = \"Pre\"\n\n{preprocessor}"),
        "# Summary\n\n- [Alpha](a.md)\n  - [Beta](sub/b.md)\n",
        &[
            ("a.md", "# Alpha\n\nlower words at the top\n"),
            ("sub/b.md", "# Beta\n\nnested lower words\n"),
        ],
    );
    write(&book, "upper.py", UPPER_PY);
    book
}

#[test]
fn preprocessor_changes_every_chapter() {
    if !have_tool("python3", "the preprocessor test") {
        return;
    }
    let dir = tempdir();
    preprocessor_book(
        dir.path(),
        "[preprocessor.upper]\ncommand = \"python3 upper.py\"\n",
    );
    let run = build(dir.path(), "pp", &[]);
    run.assert_code(0);
    assert_no_warnings(&run);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "pp");
    let body = Epub::open(&epub_path).body_text();
    for t in ["LOWER WORDS AT THE TOP", "NESTED LOWER WORDS"] {
        assert!(body.contains(t), "EPUB lacks {t:?}:\n{body}");
    }
    assert!(!body.contains("lower words"), "{body}");
    if let Some(text) = pdftotext(&pdf_path) {
        assert!(
            text.contains("LOWER WORDS AT THE TOP") && text.contains("NESTED LOWER WORDS"),
            "{text}"
        );
        assert!(!text.contains("lower words"), "{text}");
    }
}

#[test]
fn preprocessor_that_cannot_run_is_one_warning() {
    let dir = tempdir();
    preprocessor_book(
        dir.path(),
        "[preprocessor.nosuch]\ncommand = \"bindery-no-such-preprocessor-xyz\"\n",
    );
    let run = build(dir.path(), "pp", &[]);
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].contains("nosuch") && warnings[0].contains("book.toml:4"),
        "{run}"
    );
    let (_, epub_path) = outputs(&dir.path().join("out"), "pp");
    assert!(Epub::open(&epub_path)
        .body_text()
        .contains("lower words at the top"));
}

#[test]
fn preprocessor_for_other_renderers_is_not_run() {
    let dir = tempdir();
    let book = preprocessor_book(
        dir.path(),
        "[preprocessor.upper]\ncommand = \"python3 upper.py\"\nrenderers = [\"html\"]\n",
    );
    // Were it run, it would leave a trace even without python.
    write(&book, "upper.py", "open('ran', 'w').write('ran')\n");
    let run = build(dir.path(), "pp", &[]);
    run.assert_code(0);
    assert_no_warnings(&run);
    assert!(!book.join("ran").exists(), "an html-only preprocessor ran");
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "pp");
    assert!(Epub::open(&epub_path)
        .body_text()
        .contains("lower words at the top"));
    if let Some(text) = pdftotext(&pdf_path) {
        assert!(text.contains("lower words at the top"), "{text}");
    }
}

/// Whether process `pid` is still running (not gone, not a zombie).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

#[test]
fn preprocessor_that_hangs_is_stopped() {
    let dir = tempdir();
    let build_with_timeout = || {
        let mut cmd = command(
            &crate::util::bin(),
            dir.path(),
            &["build", "pp", "-o", "out"],
        );
        cmd.env("BINDERY_PREPROCESSOR_TIMEOUT", "1");
        let run = run_cmd(cmd, Duration::from_secs(60));
        run.assert_code(0);
        assert!(
            run.elapsed < Duration::from_secs(10),
            "took {:?}:\n{run}",
            run.elapsed
        );
        let warnings = run.lines_starting("warning:");
        assert_eq!(warnings.len(), 1, "{run}");
        assert!(
            warnings[0].contains("slow") && warnings[0].contains("book.toml:4"),
            "{run}"
        );
        run
    };
    // `sleep 30` as a command: `sleep 30 supports bindery` fails at once, so this is a
    // preprocessor that cannot be run (a warning), not a hang.
    let book = preprocessor_book(dir.path(), "[preprocessor.slow]\ncommand = \"sleep 30\"\n");
    build_with_timeout();
    // Says yes to `supports`, then hangs in a child of its own (the way `cargo run` or a
    // Python wrapper does), recording that child's pid.
    write(
        &book,
        "book.toml",
        "[book]\ntitle = \"Pre\"\n\n[preprocessor.slow]\ncommand = \"sh hang.sh\"\n",
    );
    write(
        &book,
        "hang.sh",
        "if [ \"$1\" = supports ]; then exit 0; fi\nsleep 30 &\necho $! > sleep.pid\nwait\n",
    );
    let run = build_with_timeout();
    let (_, epub_path) = outputs(&dir.path().join("out"), "pp");
    assert!(Epub::open(&epub_path)
        .body_text()
        .contains("lower words at the top"));

    // "Stopped, with everything it started" (src/book/preprocess.rs): the hanging child too.
    let pid: Option<u32> = std::fs::read_to_string(book.join("sleep.pid"))
        .ok()
        .and_then(|p| p.trim().parse().ok());
    if let Some(pid) = pid.filter(|_| Path::new("/proc/self/stat").exists()) {
        let deadline = std::time::Instant::now() + Duration::from_millis(1500);
        while alive(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let survived = alive(pid);
        if survived {
            // Our own leftover: stop it by its pid before failing.
            let _ = std::process::Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
        }
        assert!(
            !survived,
            "the timed-out preprocessor's child (pid {pid}, `sleep 30`) was left running:\n{run}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 10. bindery.toml
// ---------------------------------------------------------------------------------------------

#[test]
fn bindery_toml_files_in_order_name_and_errors() {
    let dir = tempdir();
    let book = dir.path().join("report");
    write(
        &book,
        "bindery.toml",
        "title = \"Report\"\nfiles = [\n  \"intro.md\",\n  \"part2/body.md\",\n]\n",
    );
    write(&book, "intro.md", "# Intro\n\nIntro text comes first.\n");
    write(
        &book,
        "part2/body.md",
        "# Body\n\nBody text comes second.\n",
    );
    // Not listed: not part of the document.
    write(&book, "unlisted.md", "# Unlisted\n\nUnlisted text.\n");
    let run = build(dir.path(), "report", &[]);
    run.assert_code(0);
    assert_no_warnings(&run);
    let (pdf_path, epub_path) = outputs(&dir.path().join("out"), "report");
    let order = [
        "Intro",
        "Intro text comes first.",
        "Body",
        "Body text comes second.",
    ];
    let epub = Epub::open(&epub_path);
    assert_lines_in_order(&epub.body_text(), &order, "EPUB text");
    assert!(!epub.body_text().contains("Unlisted"));
    let opf_name = epub
        .files
        .keys()
        .find(|k| k.ends_with(".opf"))
        .unwrap()
        .clone();
    let opf = String::from_utf8(epub.files[&opf_name].clone()).unwrap();
    assert!(opf.contains(">Report</dc:title>"), "{opf}");
    if let Some(text) = pdftotext(&pdf_path) {
        assert_lines_in_order(&text, &["Report"], "PDF title");
        assert_lines_in_order(&text, &order, "PDF text");
        assert!(!text.contains("Unlisted"), "{text}");
    }

    // `bindery build` with no argument in the book folder: ./dist.
    let run = bindery(&book, &["build"]);
    run.assert_code(0);
    outputs(&book.join("dist"), "report");

    // `name` renames the outputs.
    write(
        &book,
        "bindery.toml",
        "title = \"Report\"\nname = \"final\"\nfiles = [\"intro.md\", \"part2/body.md\"]\n",
    );
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    build(dir.path(), "report", &[]).assert_code(0);
    outputs(&dir.path().join("out"), "final");

    // A missing file is an error naming bindery.toml and its line; nothing is written.
    write(
        &book,
        "bindery.toml",
        "title = \"Report\"\nfiles = [\n  \"intro.md\",\n  \"nope.md\",\n]\n",
    );
    let before: Vec<Vec<u8>> = ["final.epub", "final.pdf"]
        .iter()
        .map(|f| std::fs::read(dir.path().join("out").join(f)).unwrap())
        .collect();
    let run = build(dir.path(), "report", &[]);
    run.assert_code(1);
    assert!(
        run.lines_starting("error:")
            .iter()
            .any(|l| l.contains("bindery.toml:4") && l.contains("nope.md")),
        "{run}"
    );
    assert_eq!(
        listing(&dir.path().join("out")),
        ["final.epub", "final.pdf"],
        "{run}"
    );
    for (f, old) in ["final.epub", "final.pdf"].iter().zip(before) {
        assert_eq!(std::fs::read(dir.path().join("out").join(f)).unwrap(), old);
    }
}

// ---------------------------------------------------------------------------------------------
// 11. [output.bindery] options and unknown keys
// ---------------------------------------------------------------------------------------------

#[test]
fn output_bindery_paper_and_command_line_override() {
    let dir = tempdir();
    let book = dir.path().join("paper");
    mdbook(
        &book,
        "[book]\ntitle = \"Paper\"\ncolour = 1\n\n[output.bindery]\npaper = \"a5\"\n",
        "- [A](a.md)\n",
        &[("a.md", "# A\n\nText.\n")],
    );
    let run = build(dir.path(), "paper", &[]);
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].contains("book.toml:3") && warnings[0].contains("colour"),
        "{run}"
    );
    let (pdf_path, _) = outputs(&dir.path().join("out"), "paper");
    let (w, h) = pdf_page_size(&pdf(&pdf_path));
    // A5: 148 × 210 mm.
    assert!(
        (w - 419.53).abs() < 1.0 && (h - 595.28).abs() < 1.0,
        "A5 expected, got {w} x {h}"
    );

    let run = build(dir.path(), "paper", &["--paper", "a4"]);
    run.assert_code(0);
    let (w, h) = pdf_page_size(&pdf(&pdf_path));
    assert!(
        (w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0,
        "A4 expected, got {w} x {h}"
    );
}

// ---------------------------------------------------------------------------------------------
// 12. The Rust book (../shared/corpus/rust-book)
// ---------------------------------------------------------------------------------------------

/// SUMMARY.md's chapters as (file, "N.N. Title" or "Title"), read the simple way (the Rust
/// book uses only plain links and `- [..](..)` lists indented by two spaces).
fn summary_entries(summary: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut counters: Vec<u32> = Vec::new();
    for line in summary.lines() {
        let trimmed = line.trim_start();
        let (Some(open), Some(mid)) = (trimmed.find('['), trimmed.find("](")) else {
            continue;
        };
        let title = &trimmed[open + 1..mid];
        let file = &trimmed[mid + 2..mid + 2 + trimmed[mid + 2..].find(')').unwrap()];
        let label = if trimmed.starts_with("- ") || trimmed.starts_with("* ") {
            let depth = (line.len() - trimmed.len()) / 2 + 1;
            counters.truncate(depth);
            counters.resize(depth, 0);
            counters[depth - 1] += 1;
            let number: String = counters.iter().map(|n| format!("{n}.")).collect();
            format!("{number} {title}")
        } else {
            title.to_owned()
        };
        out.push((file.to_owned(), label));
    }
    out
}

/// Links of a chapter's source to `NAME.md` / `NAME.html` (NAME of `a-z0-9-`), inline
/// (`](x.md#y)`) and reference definitions (`[r]: x.html#y`): (target `NAME.md`, fragment?).
fn source_chapter_links(text: &str) -> Vec<(String, bool)> {
    let parse = |dest: &str| -> Option<(String, bool)> {
        let dest = dest.trim_start_matches('<').trim_end_matches('>');
        let (path, fragment) = match dest.split_once('#') {
            Some((p, _)) => (p, true),
            None => (dest, false),
        };
        let stem = path
            .strip_suffix(".md")
            .or_else(|| path.strip_suffix(".html"))?;
        let ok = !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| (format!("{stem}.md"), fragment))
    };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("](") {
        let start = at + i + 2;
        let end = start + text[start..].find(')').unwrap_or(0);
        out.extend(parse(&text[start..end]));
        at = start;
    }
    for line in text.lines() {
        let t = line.trim_start();
        if let (true, Some(i)) = (t.starts_with('['), t.find("]: ")) {
            if let Some(dest) = t[i + 3..].split_whitespace().next() {
                out.extend(parse(dest));
            }
        }
    }
    out
}

#[test]
fn rust_book_corpus() {
    let Some(book) = shared_file("corpus/rust-book/book.toml", "the Rust book build")
        .and_then(|p| p.parent().map(Path::to_owned))
    else {
        return;
    };
    let dir = tempdir();
    let out = dir.path().join("out");
    // The book's own preprocessors (`cargo run --manifest-path packages/...`) are not in the
    // corpus; they fail at once, and a short timeout keeps any surprise quick.
    let mut cmd = command(
        &crate::util::fast_bin(),
        &book,
        &["build", ".", "-o", s(&out)],
    );
    cmd.env("BINDERY_PREPROCESSOR_TIMEOUT", "20");
    let run = run_cmd(cmd, Duration::from_secs(300));
    run.assert_code(0);
    let name = std::fs::canonicalize(&book)
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let (pdf_path, epub_path) = outputs(&out, &name);

    if let Some(result) = qpdf_check(&pdf_path) {
        result.unwrap_or_else(|e| panic!("qpdf --check failed:\n{e}"));
    }
    assert_epubcheck_clean(&epub_path);

    // The first ten chapters, in SUMMARY.md order with mdBook's numbers, in the EPUB's
    // navigation (chapter entries: no fragment) and in the PDF outline.
    let summary = std::fs::read_to_string(book.join("src/SUMMARY.md")).unwrap();
    let entries = summary_entries(&summary);
    let want: Vec<&str> = entries.iter().take(10).map(|(_, l)| l.as_str()).collect();
    let epub = Epub::open(&epub_path);
    let nav: Vec<String> = epub
        .nav()
        .into_iter()
        .filter(|e| !e.href.contains('#') && e.href != "title.xhtml")
        .map(|e| e.text)
        .take(10)
        .collect();
    assert_eq!(nav, want, "the EPUB navigation's first chapters");
    let outline: Vec<String> = pdf_outline(&pdf(&pdf_path))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let mut at = 0;
    for w in &want {
        at += outline[at..]
            .iter()
            .position(|t| t == w)
            .unwrap_or_else(|| {
                panic!(
                    "PDF outline: no {w:?} in order after entry {at}: {:?}",
                    &outline[..outline.len().min(40)]
                )
            })
            + 1;
    }

    // Links between chapters. At rust-lang/book 917544888a55 the 111 chapter files (SUMMARY.md
    // not counted) link to ANOTHER chapter with: 1 inline `](x.md)` (no fragment); 6 reference
    // definitions to `.md` (1 with a fragment, and that one is empty: `...async.md#`); 162
    // reference definitions to `.html` (103 with a fragment, 2 of which name their own chapter,
    // 59 without). So `.md#`/`.html#` links to another chapter: 1 + 101 = 102, and 168 links to
    // another chapter in all. The issue's "112 `.md#frag`" counted SUMMARY.md's 111 entries plus
    // the one inline link, and its "168 `.html#frag`" is the 162 + 6 reference definitions, with
    // or without a fragment. bindery writes every one as `chNN.xhtml#id` (170 cross-file hrefs:
    // some definitions are used twice).
    let files: BTreeSet<&str> = entries.iter().map(|(f, _)| f.as_str()).collect();
    let (mut with_fragment, mut all_links) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(book.join("src").join(file)).unwrap();
        for (target, fragment) in source_chapter_links(&text) {
            if files.contains(target.as_str()) && target != *file {
                all_links += 1;
                with_fragment += usize::from(fragment);
            }
        }
    }
    eprintln!(
        "rust-book: {with_fragment} .md#/.html# links to another chapter, {all_links} in all"
    );
    assert!(with_fragment >= 100, "the corpus changed? {with_fragment}");
    let cross = assert_epub_links_land(&epub);
    assert!(
        cross >= with_fragment,
        "{cross} cross-chapter hrefs with an id in the EPUB, {with_fragment} `.md#`/`.html#` links in the sources"
    );
    assert!(
        cross >= all_links,
        "{cross} cross-chapter hrefs in the EPUB, {all_links} links to other chapters in the sources"
    );
    // In the PDF every internal link is a jump to a place on a page of the document.
    let doc = pdf(&pdf_path);
    let pages: BTreeSet<String> = doc
        .get_pages()
        .values()
        .map(|id| format!("{} {}", id.0, id.1))
        .collect();
    let (internal, _) = pdf_links(&doc);
    for dest in &internal {
        let page = dest.rsplit_once(' ').map_or(dest.as_str(), |(p, _)| p);
        assert!(pages.contains(page), "a PDF link jumps nowhere: {dest}");
    }
    assert!(
        internal.len() >= all_links,
        "{} internal PDF links, {all_links} links to other chapters in the sources",
        internal.len()
    );
    // No href names a source file or a web page that is not in the package (nav included).
    for (href, text) in links(&epub.text("nav.xhtml")) {
        let file = href.split('#').next().unwrap();
        assert!(
            !is_local(&href) || epub.has(file),
            "nav entry {text:?} -> {href}"
        );
    }
}

/// The prose of a chapter file (fenced code left out: includes and hidden lines change it).
fn prose(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        // Fences inside block quotes too.
        let t = line.trim_start_matches([' ', '>']);
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m && t.trim_end().trim_start_matches(m).is_empty() => {
                fence = None
            }
            (None, None) => {
                out.push_str(line);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn rust_book_tree_keeps_every_word_of_the_chapters_prose() {
    let Some(summary) = shared_file("corpus/rust-book/src/SUMMARY.md", "the book's prose check")
    else {
        return;
    };
    let src = summary.parent().unwrap().to_owned();
    let book = src.parent().unwrap().to_owned();
    // The chapters in SUMMARY.md order, their prose joined.
    let mut md = String::new();
    for line in std::fs::read_to_string(&summary).unwrap().lines() {
        let Some(start) = line.find("](") else {
            continue;
        };
        let file = &line[start + 2..line.rfind(')').unwrap_or(line.len())];
        if file.ends_with(".md") {
            md.push_str(&prose(&std::fs::read_to_string(src.join(file)).unwrap()));
            md.push_str("\n\n");
        }
    }
    let dir = tempdir();
    let out = dir.path().join("out");
    let mut cmd = command(
        &crate::util::fast_bin(),
        &book,
        &["build", ".", "-o", s(&out), "-q"],
    );
    cmd.env("BINDERY_PREPROCESSOR_TIMEOUT", "20");
    run_cmd(cmd, Duration::from_secs(300)).assert_code(0);
    let name = std::fs::canonicalize(&book).unwrap();
    let name = name.file_name().unwrap().to_string_lossy();
    let (pdf, epub) = outputs(&out, &name);
    if let Some(text) = crate::pdf::body_text(&pdf) {
        crate::pdf::fidelity::in_order(&md, &text).unwrap_or_else(|e| panic!("PDF: {e}"));
    }
    if let Some(text) = crate::util::output_text(&epub) {
        crate::pdf::fidelity::in_order(&md, &text).unwrap_or_else(|e| panic!("EPUB: {e}"));
    }
}

#[test]
fn an_mdbook_source_folder_builds_its_book() {
    let dir = tempdir();
    let book = dir.path().join("guide");
    mdbook(
        &book,
        "[book]\ntitle = \"Guide\"\n",
        "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n",
        &[
            ("one.md", "# One\n\nSee [two](two.md).\n"),
            ("two.md", "# Two\n\nThe end.\n"),
        ],
    );
    let run = build(dir.path(), "guide/src", &[]);
    run.assert_code(0);
    let (pdf, _) = outputs(&dir.path().join("out"), "guide");
    if let Some(text) = pdftotext(&pdf) {
        assert_lines_in_order(&text, &["1. One", "2. Two"], "the book's chapters");
    }
}
