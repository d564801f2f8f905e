//! Hostile and broken input files (issue 14, the input side): images that claim billions of
//! pixels or hold damaged data, JPEGs a PDF viewer cannot read, SVGs that nest or refer to
//! themselves without end, scripts and external references in SVG, devices and FIFOs named as
//! files. Each case is a minimal reproducer built here, run through the release binary (when it
//! is up to date), and must end normally: one warning or error naming the file (and line), the
//! alt text kept in both outputs, a PDF qpdf accepts and poppler draws without complaint, an
//! EPUB EPUBCheck accepts, and no image packaged that was refused. A case that hangs fails by
//! the run's own timeout; timing is never asserted.

use crate::util::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One build of `md` (written as `doc.md` into `dir`, beside the files already there).
struct Built {
    run: Run,
    pdf: PathBuf,
    epub: PathBuf,
}

fn build_md(dir: &Path, md: &str) -> Built {
    write(dir, "doc.md", md);
    let out = dir.join("out");
    let run = bindery_fast(
        dir,
        // --verbose: each test names the warnings it expects, so none may be summarised.
        &[
            "build",
            "doc.md",
            "-o",
            s(&out),
            "--no-system-fonts",
            "--verbose",
        ],
        Duration::from_secs(120),
    );
    Built {
        run,
        pdf: out.join("doc.pdf"),
        epub: out.join("doc.epub"),
    }
}

/// A document with one figure: `![ALT](file)` between two paragraphs (the figure on line 5).
fn figure_doc(file: &str, alt: &str) -> String {
    format!("# Figure test\n\nText before.\n\n![{alt}]({file})\n\nText after.\n")
}

/// Both outputs valid (qpdf, pdftoppm without a message, EPUBCheck), and `alt` read in both.
#[track_caller]
fn assert_valid_with_alt(b: &Built, alt: &str) {
    b.run.assert_code(0);
    if let Some(result) = qpdf_check(&b.pdf) {
        result.unwrap_or_else(|e| panic!("qpdf --check: {e}"));
    }
    assert_draws_cleanly(&b.pdf);
    if let Some(check) = epubcheck(&b.epub) {
        assert!(
            check.errors == 0 && check.warnings == 0,
            "EPUBCheck: {}",
            check.messages.join("\n")
        );
    }
    for out in [&b.pdf, &b.epub] {
        if let Some(text) = output_text(out) {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(alt),
                "{}: no `{alt}` in\n{text}",
                out.display()
            );
        }
    }
}

/// pdftoppm draws every page and says nothing (a corrupt JPEG makes libjpeg complain).
#[track_caller]
fn assert_draws_cleanly(pdf: &Path) {
    if !have_tool("pdftoppm", "drawing the PDF") {
        return;
    }
    let dir = tempdir();
    let (ok, text) = tool_output(
        "pdftoppm",
        ["-r", "20", "-gray", s(pdf), s(&dir.path().join("p"))],
    );
    assert!(ok && text.trim().is_empty(), "pdftoppm: {text}");
}

/// The warning lines of a run about the file `name` (written `` `name` `` in messages).
fn warnings_about(run: &Run, name: &str) -> Vec<String> {
    let quoted = format!("`{name}`");
    run.lines_starting("warning:")
        .into_iter()
        .filter(|l| l.contains(&quoted))
        .collect()
}

/// Asserts one warning about `file`, at `doc.md:5:1`, containing `reason`.
#[track_caller]
fn assert_refused(b: &Built, file: &str, reason: &str) {
    let lines = warnings_about(&b.run, file);
    assert_eq!(lines.len(), 1, "one warning about {file}:\n{}", b.run);
    assert!(
        lines[0].contains("doc.md:5:1") && lines[0].contains(reason),
        "expected `{reason}` at doc.md:5:1:\n{}",
        b.run
    );
}

/// The names of the files in an EPUB (python's zipfile; `None` without python).
fn epub_names(epub: &Path) -> Option<Vec<String>> {
    if !have_tool("python3", "listing the EPUB") {
        return None;
    }
    let (ok, text) = tool_output(
        "python3",
        [
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
            s(epub),
        ],
    );
    assert!(ok, "{text}");
    Some(text.lines().map(str::to_string).collect())
}

/// One file of an EPUB as text.
fn epub_file(epub: &Path, name: &str) -> Option<String> {
    if !have_tool("python3", "reading the EPUB") {
        return None;
    }
    let (ok, text) = tool_output(
        "python3",
        [
            "-c",
            "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
            s(epub),
            name,
        ],
    );
    assert!(ok, "{text}");
    Some(text)
}

/// The EPUB holds no image at all.
#[track_caller]
fn assert_no_image_packaged(epub: &Path) {
    if let Some(names) = epub_names(epub) {
        assert!(
            !names.iter().any(|n| n.contains("images/")),
            "a refused image was packaged: {names:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Raster images: sizes checked from the header, before anything is decoded.

/// A PNG header claiming `w`×`h` RGBA pixels, followed by a few bytes of data.
fn png_claiming(w: u32, h: u32, interlaced: bool) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, u8::from(interlaced)]);
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

#[test]
fn an_interlaced_png_claiming_30000_by_30000_pixels_is_refused_from_its_header() {
    let dir = tempdir();
    write(dir.path(), "huge.png", png_claiming(30_000, 30_000, true));
    write(dir.path(), "flat.png", png_claiming(30_000, 30_000, false));
    let md = "# Huge\n\nText.\n\n![Huge interlaced map](huge.png)\n\n![Huge flat map](flat.png)\n";
    let b = build_md(dir.path(), md);
    assert_refused(
        &b,
        "huge.png",
        "30000×30000 pixels, over the limit of 64 megapixels",
    );
    assert_eq!(warnings_about(&b.run, "flat.png").len(), 1, "{}", b.run);
    assert_valid_with_alt(&b, "Huge interlaced map");
    assert_no_image_packaged(&b.epub);
}

/// Image names that end inside a multi-byte character, and unclosed `![` and `src="` by the
/// thousand: the look-ahead that reads a document's PNGs during its parse neither panics nor
/// stalls on them, and the image the document does name is read as always.
#[test]
fn odd_and_unclosed_image_names_build_normally() {
    let dir = tempdir();
    write(dir.path(), "€€.png", png_claiming(30_000, 30_000, false));
    let md = format!(
        "# Names\n\nText <img src=\"€€\"> and <img src='ab€'>.\n\n![Euro map](€€.png)\n\n{}\n\n{}\n",
        "![".repeat(5_000),
        "src=\"".repeat(5_000)
    );
    let b = build_md(dir.path(), &md);
    b.run.assert_code(0);
    assert_refused(&b, "€€.png", "over the limit of 64 megapixels");
    assert_valid_with_alt(&b, "Euro map");
}

#[test]
fn a_gif_with_a_zero_width_screen_is_refused_not_a_panic() {
    let dir = tempdir();
    let mut gif = b"GIF89a".to_vec();
    gif.extend([0, 0, 16, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]);
    gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]);
    write(dir.path(), "zero.gif", gif);
    let b = build_md(dir.path(), &figure_doc("zero.gif", "Zero wide banner"));
    assert_refused(&b, "zero.gif", "0×16 pixels");
    assert_valid_with_alt(&b, "Zero wide banner");
    assert_no_image_packaged(&b.epub);
}

#[test]
fn a_gif_whose_first_frame_is_smaller_than_its_screen_is_drawn_whole() {
    // A 4×4 screen whose first frame is 1×1 at (3, 3): the PDF gets a 4×4 picture.
    let dir = tempdir();
    let mut gif = b"GIF89a".to_vec();
    gif.extend([4, 0, 4, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]);
    gif.extend([0x2C, 3, 0, 3, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]);
    write(dir.path(), "corner.gif", gif);
    let b = build_md(dir.path(), &figure_doc("corner.gif", "Corner dot"));
    b.run.assert_code(0);
    assert!(warnings_about(&b.run, "corner.gif").is_empty(), "{}", b.run);
    if let Some(r) = qpdf_check(&b.pdf) {
        r.unwrap();
    }
    assert_draws_cleanly(&b.pdf);
    let pdf = lopdf::Document::load(&b.pdf).expect("the PDF reads back");
    let sizes: Vec<(i64, i64)> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|st| {
            st.dict
                .get(b"Subtype")
                .and_then(|v| v.as_name())
                .is_ok_and(|n| n == b"Image")
        })
        .filter_map(|st| {
            let w = st.dict.get(b"Width").ok()?.as_i64().ok()?;
            let h = st.dict.get(b"Height").ok()?.as_i64().ok()?;
            Some((w, h))
        })
        .collect();
    assert!(sizes.contains(&(4, 4)), "image sizes in the PDF: {sizes:?}");
}

#[test]
fn a_webp_whose_bitstream_is_larger_than_its_canvas_is_refused() {
    let dir = tempdir();
    // An extended WebP: a 1×1 canvas, then a lossless bitstream of 16384×16384.
    let mut riff = b"RIFF\0\0\0\0WEBP".to_vec();
    riff.extend(b"VP8X");
    riff.extend(10u32.to_le_bytes());
    riff.extend([0u8; 10]);
    let bits: u32 = 0x3fff | (0x3fff << 14);
    riff.extend(b"VP8L");
    riff.extend(5u32.to_le_bytes());
    riff.push(0x2f);
    riff.extend(bits.to_le_bytes());
    riff.push(0);
    write(dir.path(), "big.webp", riff);
    let b = build_md(dir.path(), &figure_doc("big.webp", "Big web picture"));
    assert_refused(&b, "big.webp", "16384×16384 pixels");
    assert_valid_with_alt(&b, "Big web picture");
}

// ---------------------------------------------------------------------------------------------
// JPEG: passed through to the PDF, so validated first.

/// The fixture's JPEG (baseline, 8-bit, 3 components) and the offset of its SOF segment.
fn jpeg_fixture() -> (Vec<u8>, usize) {
    let bytes = std::fs::read(repo_root().join("tests/fixtures/images/gradient.jpg")).unwrap();
    let mut i = 2;
    loop {
        assert_eq!(bytes[i], 0xFF, "a marker at {i}");
        let marker = bytes[i + 1];
        if matches!(marker, 0xC0..=0xC2) {
            return (bytes, i);
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        i += 2 + len;
    }
}

#[test]
fn jpegs_a_pdf_viewer_cannot_read_are_refused_and_good_ones_pass() {
    let dir = tempdir();
    let (good, sof) = jpeg_fixture();
    let patched = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    let sos = good.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "twelve.jpg",
            patched(&|b| {
                b[sof + 1] = 0xC1;
                b[sof + 4] = 12;
            }),
            "12-bit JPEG",
        ),
        (
            "wide.jpg",
            patched(&|b| b[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF])),
            "65535×65535 pixels",
        ),
        (
            // A size the data does not fill: 65535 pixels wide, 16 tall (1 megapixel).
            "long.jpg",
            patched(&|b| b[sof + 5..sof + 9].copy_from_slice(&[0x00, 0x10, 0xFF, 0xFF])),
            "JPEG data is damaged",
        ),
        (
            "cut.jpg",
            good[..sos + (good.len() - sos) / 2].to_vec(),
            "JPEG data is damaged",
        ),
        (
            // The second half of the picture data overwritten with other bytes.
            "scrambled.jpg",
            patched(&|b| {
                let n = b.len();
                for (k, byte) in b[sos + (n - sos) / 2..n - 2].iter_mut().enumerate() {
                    *byte = (k as u8).wrapping_mul(37) & 0xFE;
                }
            }),
            "JPEG data is damaged",
        ),
        (
            "lossless.jpg",
            patched(&|b| b[sof + 1] = 0xC3),
            "lossless JPEG",
        ),
        (
            "two.jpg",
            patched(&|b| b[sof + 9] = 2),
            "2 colour components",
        ),
    ];
    let mut md = String::from("# JPEGs\n\n![The good gradient](good.jpg)\n");
    write(dir.path(), "good.jpg", &good);
    for (name, bytes, _) in &cases {
        write(dir.path(), name, bytes);
        md.push_str(&format!("\n![Alt of {name}]({name})\n"));
    }
    let b = build_md(dir.path(), &md);
    for (i, (name, _, reason)) in cases.iter().enumerate() {
        let lines = warnings_about(&b.run, name);
        let line = 5 + 2 * i;
        assert!(
            lines.len() == 1
                && lines[0].contains(&format!("doc.md:{line}:1"))
                && lines[0].contains(reason),
            "{name}: expected one warning at line {line} with `{reason}`:\n{}",
            b.run
        );
    }
    assert!(warnings_about(&b.run, "good.jpg").is_empty(), "{}", b.run);
    assert_valid_with_alt(&b, "Alt of scrambled.jpg");
    if let Some(names) = epub_names(&b.epub) {
        let images: Vec<_> = names.iter().filter(|n| n.contains("images/")).collect();
        assert_eq!(images.len(), 1, "only the good JPEG is packaged: {names:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// SVG: depth, loops and cost bounded before usvg sees the file; a safe copy in the EPUB.

const SVG_HEAD: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="80">"#;

fn nested_svg(n: usize, open: &str, close: &str) -> String {
    format!(
        "{SVG_HEAD}{}<rect width=\"60\" height=\"40\" fill=\"#3060c0\"/>{}</svg>\n",
        open.repeat(n),
        close.repeat(n)
    )
}

#[test]
fn moderately_nested_svgs_draw_and_deep_ones_are_refused_never_a_crash() {
    let dir = tempdir();
    let files = [
        ("g26.svg", nested_svg(26, "<g>", "</g>")),
        ("g100.svg", nested_svg(100, "<g opacity=\"0.99\">", "</g>")),
        (
            "svg100.svg",
            nested_svg(100, "<svg width=\"120\" height=\"80\">", "</svg>"),
        ),
        ("g1000.svg", nested_svg(1000, "<g>", "</g>")),
        (
            "svg1000.svg",
            nested_svg(1000, "<svg width=\"120\" height=\"80\">", "</svg>"),
        ),
        ("g100000.svg", nested_svg(100_000, "<g>", "</g>")),
    ];
    let mut md = String::from("# Nesting\n");
    for (name, text) in &files {
        write(dir.path(), name, text);
        md.push_str(&format!("\n![Alt of {name}]({name})\n"));
    }
    let b = build_md(dir.path(), &md);
    b.run.assert_code(0);
    for name in ["g26.svg", "g100.svg", "svg100.svg"] {
        assert!(
            warnings_about(&b.run, name).is_empty(),
            "{name}:\n{}",
            b.run
        );
    }
    for name in ["g1000.svg", "svg1000.svg", "g100000.svg"] {
        let lines = warnings_about(&b.run, name);
        assert!(
            lines.len() == 1 && lines[0].contains("more than 256 levels deep"),
            "{name}:\n{}",
            b.run
        );
    }
    assert_valid_with_alt(&b, "Alt of g1000.svg");
}

#[test]
fn svg_reference_loops_chains_and_costly_style_sheets_are_refused() {
    let dir = tempdir();
    let masks: String = (0..3)
        .map(|i| {
            format!(
                "<mask id=\"m{i}\"><rect width=\"80\" height=\"80\" fill=\"white\" mask=\"url(#m{})\"/></mask>",
                (i + 1) % 3
            )
        })
        .collect();
    let mut patterns = String::from(
        "<pattern id=\"p0\" width=\"9\" height=\"9\" patternUnits=\"userSpaceOnUse\"><rect width=\"4\" height=\"4\"/></pattern>",
    );
    for i in 1..1000 {
        patterns.push_str(&format!(
            "<pattern id=\"p{i}\" width=\"9\" height=\"9\" patternUnits=\"userSpaceOnUse\"><rect width=\"4\" height=\"4\" fill=\"url(#p{})\"/></pattern>",
            i - 1
        ));
    }
    let mut markers = String::from("<marker id=\"k0\"><rect width=\"2\" height=\"2\"/></marker>");
    for i in 1..2000 {
        markers.push_str(&format!(
            "<marker id=\"k{i}\"><path d=\"M0 0 L1 1\" stroke=\"black\" marker-start=\"url(#k{})\"/></marker>",
            i - 1
        ));
    }
    let files = [
        (
            "maskloop.svg",
            format!("{SVG_HEAD}<defs>{masks}</defs><rect width=\"50\" height=\"50\" mask=\"url(#m0)\"/></svg>"),
            "loop",
        ),
        (
            "patterns.svg",
            format!("{SVG_HEAD}<defs>{patterns}</defs><rect width=\"50\" height=\"50\" fill=\"url(#p999)\"/></svg>"),
            "levels deep",
        ),
        (
            "markers.svg",
            format!("{SVG_HEAD}<defs>{markers}</defs><path d=\"M0 0 L50 50\" stroke=\"black\" marker-start=\"url(#k1999)\"/></svg>"),
            "levels deep",
        ),
        (
            // Backtracking selectors over nested groups: usvg's matcher would never finish.
            "selectors.svg",
            format!(
                "{SVG_HEAD}<style>x {}rect {{ fill: red }}</style>{}<rect width=\"9\" height=\"9\"/>{}</svg>",
                "g ".repeat(8),
                "<g>".repeat(60),
                "</g>".repeat(60)
            ),
            "style sheet",
        ),
    ];
    let mut md = String::from("# References\n");
    for (name, text, _) in &files {
        write(dir.path(), name, text);
        md.push_str(&format!("\n![Alt of {name}]({name})\n"));
    }
    let b = build_md(dir.path(), &md);
    b.run.assert_code(0);
    for (name, _, reason) in &files {
        let lines = warnings_about(&b.run, name);
        assert!(
            lines.len() == 1 && lines[0].contains(reason),
            "{name}: expected `{reason}`:\n{}",
            b.run
        );
    }
    assert_valid_with_alt(&b, "Alt of selectors.svg");
    assert_no_image_packaged(&b.epub);
}

#[test]
fn svg_scripts_entities_and_external_references_never_reach_the_epub() {
    let dir = tempdir();
    let hostile = r##"<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY who "world"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" onload="alert(1)">
<script>alert(2)</script>
<style>@import url(http://example.com/s.css); rect.a { fill: url(#grad) }</style>
<defs><linearGradient id="grad"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient>
<clipPath id="1clip"><rect width="150" height="90"/></clipPath></defs>
<image href="/etc/passwd" width="10" height="10"/>
<image xlink:href="http://example.com/x.png" width="10" height="10"/>
<use xlink:href="http://example.com/a.svg#x"/>
<a href="http://example.com/"><rect class="a" width="100" height="50" onclick="alert(3)" clip-path="url(#1clip)"/></a>
<g id="dup"><circle cx="150" cy="50" r="20"/></g><g id="dup"><circle cx="180" cy="50" r="10"/></g>
<foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml">hello</div></foreignObject>
<text x="10" y="90">Hello &who;</text>
</svg>
"##;
    write(dir.path(), "hostile.svg", hostile);
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="5">&xxe;</text></svg>
"#;
    write(dir.path(), "xxe.svg", external);
    let md =
        "# SVG\n\nText.\n\n![A hostile figure](hostile.svg)\n\n![An external entity](xxe.svg)\n";
    let b = build_md(dir.path(), md);
    b.run.assert_code(0);
    assert!(
        warnings_about(&b.run, "hostile.svg").is_empty(),
        "{}",
        b.run
    );
    let lines = warnings_about(&b.run, "xxe.svg");
    assert!(
        lines.len() == 1 && lines[0].contains("doc.md:7:1") && lines[0].contains("entity"),
        "{}",
        b.run
    );
    assert_valid_with_alt(&b, "An external entity");
    let Some(names) = epub_names(&b.epub) else {
        return;
    };
    let svgs: Vec<&String> = names.iter().filter(|n| n.ends_with(".svg")).collect();
    assert_eq!(svgs.len(), 1, "{names:?}");
    let copy = epub_file(&b.epub, svgs[0]).unwrap();
    for banned in [
        "script",
        "alert",
        "onload",
        "onclick",
        "/etc/passwd",
        "example.com",
        "DOCTYPE",
        "ENTITY",
        "foreignObject",
        "style",
        "@import",
        "1clip",
        "dup",
    ] {
        assert!(
            !copy.contains(banned),
            "`{banned}` in the packaged SVG:\n{copy}"
        );
    }
    // The drawing itself survives: the gradient fill and the clip path, renamed.
    assert!(
        copy.contains("linearGradient") && copy.contains("clipPath"),
        "{copy}"
    );
}

// ---------------------------------------------------------------------------------------------
// Only regular files are read.

fn mkfifo(path: &Path) -> bool {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    if !made.is_ok_and(|s| s.success()) {
        crate::util::skip("mkfifo is not available; skipping the FIFO case");
        return false;
    }
    true
}

#[test]
fn a_device_or_a_fifo_named_as_an_image_is_refused_at_once() {
    let dir = tempdir();
    let fifo = dir.path().join("pipe.png");
    let have_fifo = mkfifo(&fifo);
    let mut md = String::from("# Devices\n\nText.\n\n![Endless zeros](/dev/zero)\n");
    if have_fifo {
        md.push_str("\n![A pipe](pipe.png)\n");
    }
    let b = build_md(dir.path(), &md);
    b.run.assert_code(0);
    let zero = warnings_about(&b.run, "/dev/zero");
    assert!(
        zero.len() == 1
            && zero[0].contains("doc.md:5:1")
            && zero[0].contains("not a regular file (a device)"),
        "{}",
        b.run
    );
    if have_fifo {
        let pipe = warnings_about(&b.run, "pipe.png");
        assert!(
            pipe.len() == 1
                && pipe[0].contains("doc.md:7:1")
                && pipe[0].contains("not a regular file (a FIFO)"),
            "{}",
            b.run
        );
    }
    assert_valid_with_alt(&b, "Endless zeros");
}

#[test]
fn a_fifo_or_a_device_given_as_an_input_is_an_error_not_a_wait() {
    let dir = tempdir();
    let fifo = dir.path().join("pipe.md");
    if !mkfifo(&fifo) {
        return;
    }
    let out = dir.path().join("out");
    let run = bindery_fast(
        dir.path(),
        &["build", "pipe.md", "-o", s(&out)],
        Duration::from_secs(60),
    );
    assert!(!run.timed_out, "bindery waited on the FIFO:\n{run}");
    assert_ne!(run.code, Some(0), "{run}");
    assert!(
        run.stderr.contains("pipe.md") && run.stderr.contains("not a regular file (a FIFO)"),
        "{run}"
    );
    assert!(
        listing(&out).is_empty(),
        "nothing is written: {:?}",
        listing(&out)
    );
}

#[test]
fn a_fifo_in_a_font_folder_is_an_error_naming_it() {
    let dir = tempdir();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    if !mkfifo(&fonts.join("Pipe.ttf")) {
        return;
    }
    write(dir.path(), "doc.md", "# Fonts\n\nText.\n");
    let run = bindery_fast(
        dir.path(),
        &["build", "doc.md", "-o", "out", "--font-dir", "fonts"],
        Duration::from_secs(60),
    );
    assert!(!run.timed_out, "bindery waited on the FIFO:\n{run}");
    assert_ne!(run.code, Some(0), "{run}");
    assert!(
        run.stderr.contains("Pipe.ttf") && run.stderr.contains("not a regular file (a FIFO)"),
        "{run}"
    );
}
