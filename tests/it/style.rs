//! The style file (issue 15, point 4): `style.toml` next to a document, or named by `style`,
//! changes the page, the faces, the sizes and the colours of the PDF and the EPUB's CSS; its
//! errors name the file, line and column; `bindery style --default` is the built-in design.

use crate::util::{bindery, have_tool, listing, s, tempdir, tool_output, write};
use std::path::Path;

const DOC: &str = "\
---
title: Styled
---

# Styled

A paragraph with [a link](https://example.org) that runs long enough to be set over two or three \
lines of justified text, so that the page has some words on it to look at and measure.

A second paragraph, which an indented style sets without space above it.

## A section

```rust
fn main() {}
```
";

/// The page as pixels: `pdftoppm -r 70` of page `page`, (width, height, RGB bytes).
fn pixels(pdf: &Path, page: u32) -> (usize, usize, Vec<u8>) {
    let prefix = pdf.with_extension(format!("p{page}"));
    let (ok, text) = tool_output(
        "pdftoppm",
        [
            "-r",
            "70",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-singlefile",
            s(pdf),
            s(&prefix),
        ],
    );
    assert!(ok, "pdftoppm: {text}");
    let bytes = std::fs::read(prefix.with_extension(format!("p{page}.ppm"))).unwrap();
    // P6 header: magic, width, height, maxval, each followed by white space.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[at + 1..].to_vec())
}

/// Pixels close to `rgb`, and the leftmost column of any dark pixel.
fn count_and_left(img: &(usize, usize, Vec<u8>), rgb: (u8, u8, u8)) -> (usize, usize) {
    let (w, _, data) = img;
    let near = |a: u8, b: u8| a.abs_diff(b) <= 40;
    let mut count = 0;
    let mut left = usize::MAX;
    for (i, p) in data.chunks_exact(3).enumerate() {
        if near(p[0], rgb.0) && near(p[1], rgb.1) && near(p[2], rgb.2) {
            count += 1;
        }
        if p.iter().all(|c| *c < 100) {
            left = left.min(i % w);
        }
    }
    (count, left)
}

fn page_size(pdf: &Path) -> String {
    let (_, info) = tool_output("pdfinfo", [s(pdf)]);
    info.lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or("")
        .to_owned()
}

#[test]
fn a_style_file_changes_the_face_size_margins_and_colours() {
    if !have_tool("pdffonts", "reading the PDF's fonts")
        || !have_tool("pdftoppm", "drawing the PDF")
    {
        return;
    }
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    bindery(dir.path(), &["build", "doc.md", "-o", "plain"]).assert_code(0);
    write(
        dir.path(),
        "style.toml",
        "[page]\nsize = \"a5\"\nmargins = \"30mm\"\n\n[fonts]\ntext = \"Source Code Pro\"\n\n\
         [text]\nsize = \"14pt\"\nparagraphs = \"indent\"\n\n[colors]\nlink = \"#ff0000\"\n\
         code-background = \"#00ff00\"\n",
    );
    bindery(dir.path(), &["build", "doc.md", "-o", "styled"]).assert_code(0);
    let (plain, styled) = (
        dir.path().join("plain/doc.pdf"),
        dir.path().join("styled/doc.pdf"),
    );

    // Paper: A4 without the style, A5 with it.
    assert!(
        page_size(&plain).contains("595.276 x 841.89"),
        "{}",
        page_size(&plain)
    );
    assert!(
        page_size(&styled).contains("419.528 x 595.276"),
        "{}",
        page_size(&styled)
    );

    // Face: the text is set in the mono family, no serif face is embedded.
    let (_, fonts) = tool_output("pdffonts", [s(&styled)]);
    assert!(!fonts.contains("SourceSerif4"), "{fonts}");
    assert!(fonts.contains("SourceCodePro"), "{fonts}");
    let (_, fonts) = tool_output("pdffonts", [s(&plain)]);
    assert!(fonts.contains("SourceSerif4"), "{fonts}");

    // Colours: red link text and a green code background only with the style; margins:
    // 30 mm is 83 px at 70 dpi.
    let (plain_img, styled_img) = (pixels(&plain, 1), pixels(&styled, 1));
    let (red_plain, left_plain) = count_and_left(&plain_img, (255, 0, 0));
    let (red, left) = count_and_left(&styled_img, (255, 0, 0));
    let (green_plain, _) = count_and_left(&plain_img, (0, 255, 0));
    let (green, _) = count_and_left(&styled_img, (0, 255, 0));
    assert_eq!((red_plain, green_plain), (0, 0));
    assert!(red > 10, "no red link text: {red} pixels");
    assert!(green > 200, "no green code background: {green} pixels");
    assert!((80..=86).contains(&left), "text starts at x = {left} px");
    // The plain A4 page's margins are 18% of its width: 107 pt, 104 px.
    assert!(left_plain > 100, "plain text starts at x = {left_plain} px");

    // Size: 14 pt text on an A5 page with wide margins takes more lines, so the styled
    // document's words (the same words) reach a later page or lower on the page.
    let words = |pdf: &Path| {
        let (_, t) = tool_output("pdftotext", ["-layout", s(pdf), "-"]);
        t.lines().filter(|l| !l.trim().is_empty()).count()
    };
    assert!(words(&styled) > words(&plain) + 3);
}

#[test]
fn the_epub_css_carries_the_settings() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    write(
        dir.path(),
        "style.toml",
        "[text]\nparagraphs = \"indent\"\n[colors]\nlink = \"#c00\"\n[headings]\nitalic = [true, false, false, false, true, true]\n",
    );
    bindery(dir.path(), &["build", "doc.md", "-f", "epub", "-o", "out"]).assert_code(0);
    let epub = dir.path().join("out/doc.epub");
    let css = zip_entry(&epub, "stylesheet.css");
    assert!(css.contains("p + p { text-indent: 1.5em; }"), "{css}");
    assert!(css.contains("a { color: #cc0000; }"), "{css}");
    assert!(css.contains("h1 { font-style: italic; }"), "{css}");
    if let Some(check) = crate::util::epubcheck(&epub) {
        assert!(
            check.errors == 0 && check.warnings == 0,
            "{:?}",
            check.messages
        );
    }
}

/// The file of an EPUB whose name ends in `suffix`, as text.
fn zip_entry(epub: &Path, suffix: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let name = zip
        .file_names()
        .find(|n| n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in the EPUB"))
        .to_owned();
    let mut text = String::new();
    zip.by_name(&name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn style_errors_name_the_file_line_and_column_and_write_nothing() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    for (style, place, words) in [
        (
            "[page]\nsize = \"a4\"\n\n[text]\nleeding = 1.4\n",
            ":5:1:",
            "unknown key `leeding`",
        ),
        ("[colors]\nlink = \"bluish\"\n", ":2:8:", "not a colour"),
        ("[text]\nsize = \"-2pt\"\n", ":2:8:", "negative"),
        ("[text]\nsize = \"40pt\"\n", ":2:8:", "outside 6pt to 24pt"),
        ("[text]\nleading = \"wide\"\n", ":2:11:", "invalid type"),
        (
            "[code]\ntheme = \"solarized\"\n",
            ":2:9:",
            "unknown code theme `solarized`",
        ),
        (
            "[fonts]\ncode = \"fonts/missing.ttf\"\n",
            ":2:8:",
            "missing.ttf",
        ),
    ] {
        write(dir.path(), "style.toml", style);
        let run = bindery(dir.path(), &["build", "doc.md", "-o", "out"]);
        run.assert_code(1);
        let text = run.one_line();
        assert!(
            text.contains(&format!("style.toml{place}")) && text.contains(words),
            "{style}: {text}"
        );
        assert!(
            listing(&dir.path().join("out")).is_empty(),
            "{style}: output written"
        );
    }
    // A style file named in front matter that is not there: the front matter's line.
    std::fs::remove_file(dir.path().join("style.toml")).unwrap();
    write(
        dir.path(),
        "named.md",
        "---\ntitle: T\nstyle: look/none.toml\n---\n\nText.\n",
    );
    let run = bindery(dir.path(), &["build", "named.md", "-o", "out"]);
    run.assert_code(1);
    assert!(run.one_line().contains("named.md:3:"), "{}", run.one_line());
    assert!(run.one_line().contains("none.toml"), "{}", run.one_line());
}

#[test]
fn the_default_style_is_the_built_in_design() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    bindery(dir.path(), &["build", "doc.md", "-o", "plain"]).assert_code(0);
    let run = bindery(dir.path(), &["style", "--default"]);
    run.assert_code(0);
    assert!(run.stdout.contains("[page]") && run.stdout.contains("# "));
    write(dir.path(), "style.toml", &run.stdout);
    bindery(dir.path(), &["build", "doc.md", "-o", "styled"]).assert_code(0);
    for ext in ["pdf", "epub"] {
        let a = std::fs::read(dir.path().join(format!("plain/doc.{ext}"))).unwrap();
        let b = std::fs::read(dir.path().join(format!("styled/doc.{ext}"))).unwrap();
        assert!(a == b, "doc.{ext} differs with the default style file");
    }
    // `bindery style FILE` checks a file and prints it whole.
    write(dir.path(), "mine.toml", "[text]\nleading = 1.5\n");
    let run = bindery(dir.path(), &["style", "mine.toml"]);
    run.assert_code(0);
    assert!(run.stdout.contains("leading = 1.5\n"), "{}", run.stdout);
    assert!(run.stdout.contains("size = \"a4\"\n"), "{}", run.stdout);
}

#[test]
fn command_line_beats_front_matter_beats_the_style_file() {
    if !have_tool("pdfinfo", "reading the page size") {
        return;
    }
    let dir = tempdir();
    write(dir.path(), "style.toml", "[page]\nsize = \"a5\"\n");
    write(dir.path(), "doc.md", DOC);
    write(
        dir.path(),
        "front.md",
        DOC.replace("title: Styled", "title: Styled\npaper: letter"),
    );
    bindery(
        dir.path(),
        &["build", "doc.md", "front.md", "-f", "pdf", "-o", "a"],
    )
    .assert_code(0);
    bindery(
        dir.path(),
        &["build", "front.md", "-f", "pdf", "-o", "b", "--paper", "a6"],
    )
    .assert_code(0);
    assert!(page_size(&dir.path().join("a/doc.pdf")).contains("419.528 x 595.276"));
    assert!(page_size(&dir.path().join("a/front.pdf")).contains("612 x 792"));
    assert!(page_size(&dir.path().join("b/front.pdf")).contains("297.638 x 419.528"));
}

#[test]
fn a_book_reads_the_style_its_configuration_names() {
    if !have_tool("pdfinfo", "reading the page size") {
        return;
    }
    let dir = tempdir();
    write(
        dir.path(),
        "bindery.toml",
        "title = \"Book\"\nfiles = [\"one.md\"]\nstyle = \"design/look.toml\"\n",
    );
    write(dir.path(), "one.md", "# One\n\nText.\n");
    write(dir.path(), "design/look.toml", "[page]\nsize = \"a5\"\n");
    bindery(dir.path(), &["build", "-f", "pdf", "-o", "out"]).assert_code(0);
    let pdf = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(
        page_size(&pdf).contains("419.528 x 595.276"),
        "{}",
        page_size(&pdf)
    );
}

#[test]
fn heading_numbers_running_heads_and_page_numbers_follow_the_style() {
    if !have_tool("pdftotext", "reading the PDF's text") {
        return;
    }
    let dir = tempdir();
    // Two pages: the running head and the number would show on the second.
    let long = format!(
        "{DOC}\n## Another section\n\n{}",
        "Words to fill a page. ".repeat(400)
    );
    write(dir.path(), "doc.md", &long);
    bindery(dir.path(), &["build", "doc.md", "-o", "plain"]).assert_code(0);
    write(
        dir.path(),
        "style.toml",
        "[headings]\nnumbering = [false, true, false, false, false, false]\n\n\
         [running]\nheader = \"none\"\npage-numbers = \"none\"\n",
    );
    bindery(dir.path(), &["build", "doc.md", "-o", "styled"]).assert_code(0);
    let text = |pdf: &str| {
        let (_, t) = tool_output("pdftotext", [s(&dir.path().join(pdf)), "-"]);
        t
    };
    let (plain, styled) = (text("plain/doc.pdf"), text("styled/doc.pdf"));
    let lines = |t: &str, l: &str| t.lines().filter(|x| x.trim() == l).count();
    // The plain build heads page 2 with the title and numbers it; the styled one does neither.
    assert!(
        lines(&plain, "2") >= 1 && lines(&plain, "Styled") >= 2,
        "{plain}"
    );
    assert_eq!(lines(&styled, "2"), 0, "{styled}");
    assert_eq!(lines(&styled, "Styled"), 1, "{styled}");
    // Numbers in both outputs.
    assert!(styled.contains("1. A section") && styled.contains("2. Another section"));
    assert!(!plain.contains("1. A section"));
    let epub = crate::util::output_text(&dir.path().join("styled/doc.epub"));
    if let Some(epub) = epub {
        assert!(epub.contains("2. Another section"), "{epub}");
    }
}
