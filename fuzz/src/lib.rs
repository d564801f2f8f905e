//! What the fuzz targets share: the backends, built once per process exactly as `bindery build
//! --no-system-fonts` builds them (bundled fonts only, so runs are deterministic and fast), and
//! the validity checks every output goes through in process.
//!
//! A check that fails panics, which libFuzzer reports as a crash with the input that caused it.

use bindery::backend::epub::{EpubBackend, EpubOptions};
use bindery::backend::pdf::PdfBackend;
use bindery::backend::Backend;
use bindery::doc::Document;
use bindery::parse::MetaOverrides;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// Replaces libFuzzer's panic hook, which aborts at once, with one that only reports: bindery
/// catches panics of third-party code on purpose in two places (`highlight`, `image::svg`),
/// and those must not count as crashes. A panic nobody catches still ends the run: libfuzzer-sys
/// aborts when one unwinds out of the target. Each panic location is printed once.
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let seen = std::sync::Mutex::new(std::collections::HashSet::new());
        std::panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if seen
                .lock()
                .map(|mut s| s.insert(at.clone()))
                .unwrap_or(true)
            {
                eprintln!("panic at {at}: {info} (a crash unless bindery catches it)");
            }
        }));
    });
}

/// The name every fuzzed document is parsed under (nothing is read from disk).
pub const PATH: &str = "fuzz.md";

/// Overrides with a fixed modification time, so nothing depends on the clock.
pub fn overrides() -> MetaOverrides {
    MetaOverrides {
        source_date_epoch: Some(1_700_000_000),
        ..MetaOverrides::default()
    }
}

/// Reads `text` as `bindery build` reads a file: parsed while the look-ahead reads and decodes
/// the PNGs it names, then the style and the images loaded, in a folder holding the
/// repository's sample images and a truncated PNG (made once per process). A refused document
/// must say why.
pub fn load(text: &str) -> Option<Document> {
    static FOLDER: OnceLock<std::path::PathBuf> = OnceLock::new();
    let folder = FOLDER.get_or_init(|| {
        let folder = std::env::temp_dir().join(format!("bindery-fuzz-{}", std::process::id()));
        let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/images");
        std::fs::create_dir_all(&folder).expect("a temporary folder");
        for name in ["chart.png", "diagram.svg", "gradient.jpg"] {
            std::fs::copy(images.join(name), folder.join(name)).expect("the sample images");
        }
        let png = std::fs::read(images.join("chart.png")).expect("the sample PNG");
        std::fs::write(folder.join("broken.png"), &png[..png.len() / 2]).expect("a file");
        folder
    });
    said_why(bindery::parse::load_text(
        &folder.join(PATH),
        text,
        &overrides(),
    ))
}

/// Parses `text` as the file [`PATH`]; a refused document must say why.
pub fn parse(text: &str) -> Option<Document> {
    said_why(bindery::parse::parse_str(
        Path::new(PATH),
        text,
        &overrides(),
    ))
}

/// The document, or `None` for a refused one, whose error must say why.
fn said_why(read: bindery::error::Result<Document>) -> Option<Document> {
    match read {
        Ok(doc) => Some(doc),
        Err(e) => {
            assert!(
                !e.to_string().trim().is_empty(),
                "an error without a message"
            );
            None
        }
    }
}

/// The PDF backend of `bindery build --no-system-fonts`.
pub fn pdf_backend() -> &'static PdfBackend {
    static PDF: OnceLock<PdfBackend> = OnceLock::new();
    PDF.get_or_init(|| {
        let args =
            bindery::cli::BuildArgs::parse(&["--no-system-fonts"]).expect("the options parse");
        args.pdf_backend().expect("the bundled fonts load")
    })
}

/// The EPUB backend with a fixed modification time.
pub fn epub_backend() -> EpubBackend {
    EpubBackend::with_options(EpubOptions {
        embed_fonts: false,
        modified: Some(1_700_000_000),
    })
}

/// Makes a parsed document safe to render in a fuzzer: a `fonts` folder from front matter would
/// read (and scan) the disk, which is not what is being fuzzed.
pub fn sandbox(doc: &mut Document) {
    doc.meta.fonts = None;
}

/// Renders `doc` to PDF and checks the bytes: lopdf loads them and finds pages.
pub fn check_pdf(doc: &Document) {
    match pdf_backend().render(doc) {
        Ok(out) => {
            let pdf = lopdf::Document::load_mem(&out.bytes)
                .unwrap_or_else(|e| panic!("the PDF does not load: {e}"));
            assert!(!pdf.get_pages().is_empty(), "a PDF without pages");
        }
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an error without a message"
        ),
    }
}

/// Renders `doc` to EPUB and checks the bytes (see [`check_epub_bytes`]).
pub fn check_epub(doc: &Document) {
    match epub_backend().render(doc) {
        Ok(out) => check_epub_bytes(&out.bytes),
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an error without a message"
        ),
    }
}

/// An EPUB's container opens, `mimetype` comes first, and every XHTML, OPF and NCX file in it
/// is well-formed XML whose `id`s are unique.
pub fn check_epub_bytes(bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("the EPUB is not a zip: {e}"));
    {
        let first = zip.by_index(0).expect("the EPUB has a first entry");
        assert_eq!(first.name(), "mimetype", "mimetype is not the first entry");
    }
    let mut names = std::collections::HashSet::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("a zip entry reads");
        let name = entry.name().to_owned();
        assert!(names.insert(name.clone()), "{name} is in the EPUB twice");
        if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx")) {
            continue;
        }
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
        check_xml(&name, &text);
    }
}

/// `text` parses as XML, and no two elements share an `id`.
pub fn check_xml(name: &str, text: &str) {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let xml = roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}\n{text}"));
    let mut ids = std::collections::HashSet::new();
    for node in xml.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("id") {
            assert!(
                ids.insert(id),
                "{name}: the id `{id}` is given twice\n{text}"
            );
        }
    }
}

/// How deep the JSON model may nest (README, "Limits"): Markdown containers and inlines at
/// most 48 levels, HTML elements at most 64 more, two JSON levels each, and the document's own.
pub const MAX_JSON_DEPTH: usize = 2 * (48 + 64) + 8;

/// Renders `doc` as JSON and checks that it parses back and nests no deeper than documented.
/// serde_json's own reader stops at 128 levels, less than a hostile document's model reaches, so
/// the limit is lifted here and the depth measured instead.
pub fn check_json(doc: &Document) {
    use serde::Deserialize;
    if let Ok(out) = bindery::backend::json::JsonBackend.render(doc) {
        let mut reader = serde_json::Deserializer::from_slice(&out.bytes);
        reader.disable_recursion_limit();
        let value = serde_json::Value::deserialize(&mut reader)
            .unwrap_or_else(|e| panic!("the JSON does not parse: {e}"));
        let depth = json_depth(&value);
        assert!(
            depth <= MAX_JSON_DEPTH,
            "the JSON nests {depth} levels deep, more than the {MAX_JSON_DEPTH} documented"
        );
    }
}

fn json_depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Parses `text`, then renders and checks every format.
pub fn pipeline(text: &str) {
    let Some(mut doc) = parse(text) else { return };
    sandbox(&mut doc);
    bindery::highlight::prepare(bindery::doc::code_blocks(&doc.blocks));
    check_json(&doc);
    check_pdf(&doc);
    check_epub(&doc);
}
