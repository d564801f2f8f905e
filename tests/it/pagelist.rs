//! The EPUB's page list (issue 16): the print edition's page breaks, with the PDF's page
//! numbers, sit where each PDF page's first line begins, also in the middle of a paragraph,
//! and the navigation lists them in order.

use crate::util::{bindery, have_tool, pdf_pages, tempdir, tool_output, write};
use std::path::Path;
use std::process::Command;

/// A document of several pages: long paragraphs (so that pages begin inside them) with
/// emphasis, inline code, links and footnotes, sections, a list and a listing longer than a
/// page. Every word is unique
/// (it carries its number), so a page's first words name one place.
fn source() -> String {
    let words = [
        "amber", "basalt", "cedar", "dune", "ember", "fjord", "granite", "heath", "inlet",
        "juniper", "kelp", "lichen", "moraine", "nettle", "obsidian", "pumice",
    ];
    let mut out = String::from("---\ntitle: Page Breaks\n---\n\n");
    let mut n = 0;
    for section in 1..=4 {
        out.push_str(&format!("## Section {section}\n\n"));
        for para in 0..5 {
            let mut ws = Vec::new();
            for i in 0..(90 + 17 * para) {
                n += 1;
                let w = format!("{}{n}", words[(n * 7 + i) % words.len()]);
                ws.push(match i % 41 {
                    5 => format!("*{w}*"),
                    17 => format!("`{w}`"),
                    29 => format!("[{w}](https://example.org/{n})"),
                    _ => w,
                });
            }
            if para == 2 {
                ws.insert(30, format!("[^s{section}]"));
            }
            out.push_str(&ws.join(" "));
            out.push_str("\n\n");
            if para == 2 {
                out.push_str(&format!(
                    "[^s{section}]: A note of section {section}, set at the foot of its page.\n\n"
                ));
            }
            if section == 2 && para == 1 {
                out.push_str("```rust\n");
                for line in 0..80 {
                    n += 1;
                    out.push_str(&format!(
                        "    let {}{n} = {line};\n",
                        words[n % words.len()]
                    ));
                }
                out.push_str("```\n\n");
            }
        }
        out.push_str("- a list item of a few words\n- and another one\n\n");
    }
    out
}

/// The words of `html` with its tags taken out (a tag ends a word only where the text has
/// white space).
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The file `name` under `OEBPS/` of the EPUB.
fn entry(epub: &Path, name: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('OEBPS/' + sys.argv[2]).decode())"])
        .arg(epub)
        .arg(name)
        .output()
        .expect("python3 reads the EPUB");
    assert!(out.status.success(), "no {name} in {}", epub.display());
    String::from_utf8(out.stdout).unwrap()
}

/// Builds `doc.md` in `dir` as PDF and EPUB into `dir/out` with `extra` arguments.
fn build(dir: &Path, extra: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let mut args = vec![
        "build",
        "doc.md",
        "-f",
        "pdf,epub",
        "--no-system-fonts",
        "-o",
        "out",
    ];
    args.extend(extra);
    let run = bindery(dir, &args);
    assert_eq!(run.code, Some(0), "{run}");
    (
        std::fs::read(dir.join("out/doc.pdf")).unwrap(),
        std::fs::read(dir.join("out/doc.epub")).unwrap(),
    )
}

#[test]
fn page_breaks_land_on_the_pdf_pages_first_words() {
    let dir = tempdir();
    write(dir.path(), "doc.md", source());
    let (pdf_bytes, epub_bytes) = build(dir.path(), &[]);
    let pdf = dir.path().join("out/doc.pdf");
    let epub = dir.path().join("out/doc.epub");
    let Some(pages) = pdf_pages(&pdf) else { return };
    assert!(
        pages >= 6,
        "the document should run to several pages, not {pages}"
    );
    let chapter = entry(&epub, "ch01.xhtml");

    // Every page has body text: each has its marker, in order, in the text and the nav.
    let nav = entry(&epub, "nav.xhtml");
    let list = nav
        .split("epub:type=\"page-list\"")
        .nth(1)
        .expect("the navigation has a page-list");
    let hrefs: Vec<&str> = list
        .split("<a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let expected: Vec<String> = (1..=pages)
        .map(|n| format!("ch01.xhtml#page-{n}"))
        .collect();
    assert_eq!(
        hrefs, expected,
        "one page-list entry per PDF page, in order"
    );
    let mut last = 0;
    for n in 1..=pages {
        let at = chapter
            .find(&format!("id=\"page-{n}\" aria-label=\"{n}\""))
            .unwrap_or_else(|| panic!("no marker for page {n}"));
        assert!(at > last, "page {n}'s marker comes after page {}'s", n - 1);
        last = at;
    }
    let opf = entry(&epub, "content.opf");
    for feature in ["pageNavigation", "printPageNumbers", "pageBreakMarkers"] {
        assert!(opf.contains(feature), "the package claims {feature}");
    }
    assert!(
        opf.contains("<dc:source>"),
        "the package names the print source"
    );

    // The words each PDF page begins with follow its marker. Three pages well apart, and
    // every page from the second (the first opens with the title block).
    if !have_tool("pdftotext", "reading PDF pages") {
        return;
    }
    let mut mid_paragraph = 0;
    let mut in_code = 0;
    let mut checked = Vec::new();
    for n in 2..=pages {
        let (ok, text) = tool_output(
            "pdftotext",
            [
                "-f",
                &n.to_string(),
                "-l",
                &n.to_string(),
                "-enc",
                "UTF-8",
                pdf.to_str().unwrap(),
                "-",
            ],
        );
        assert!(ok, "pdftotext page {n}: {text}");
        // The running head (the title) comes first, then the body.
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        assert_eq!(lines.next(), Some("Page Breaks"), "page {n}'s running head");
        let first: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        // The line's last word may be hyphenated: compare up to three words before it.
        let want = &first[..first.len().saturating_sub(1).clamp(1, 3)];
        let marker = format!("id=\"page-{n}\"");
        let at = chapter.find(&marker).unwrap();
        let tag = chapter[..at].rfind('<').unwrap();
        let after = text_of(&chapter[tag..]);
        let got: Vec<&str> = after.split_whitespace().take(want.len()).collect();
        assert_eq!(got, want, "page {n}: the EPUB's text after its marker");
        let before = &chapter[..tag];
        let opened = before.rfind("<p>").unwrap_or(0);
        if before.rfind("</p>").is_none_or(|close| close < opened)
            && !before[opened..].ends_with("<p>")
        {
            mid_paragraph += 1;
        }
        if before
            .rfind("<pre")
            .is_some_and(|pre| before.rfind("</pre>").is_none_or(|end| end < pre))
        {
            in_code += 1;
        }
        checked.push(n);
    }
    assert!(
        checked.len() >= 3,
        "at least three pages checked: {checked:?}"
    );
    assert!(in_code >= 1, "a page begins inside the listing");
    assert!(
        mid_paragraph >= 2,
        "pages begin inside paragraphs ({mid_paragraph} of {checked:?} did)"
    );

    // EPUBCheck 0 errors, 0 warnings; DAISY Ace no violation (where installed).
    crate::accessibility::assert_accessible(&epub);

    // The same bytes from a second build, and from one or four threads.
    let again = build(dir.path(), &[]);
    assert!(
        again.0 == pdf_bytes && again.1 == epub_bytes,
        "a rebuild differs"
    );
    let one = build(dir.path(), &["-j", "1"]);
    let four = build(dir.path(), &["-j", "4"]);
    assert!(one == four, "-j 1 and -j 4 differ");
    assert!(one.1 == epub_bytes, "-j 1 differs from the default");
}

#[test]
fn an_epub_built_alone_has_no_page_list() {
    // Without a PDF in the build there are no print pages to cite (see ARCHITECTURE.md).
    let dir = tempdir();
    write(dir.path(), "doc.md", source());
    let run = bindery(dir.path(), &["build", "doc.md", "-f", "epub", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{run}");
    let epub = dir.path().join("out/doc.epub");
    assert!(!entry(&epub, "nav.xhtml").contains("page-list"));
    assert!(!entry(&epub, "ch01.xhtml").contains("pagebreak"));
    assert!(!entry(&epub, "content.opf").contains("printPageNumbers"));
}

#[test]
fn a_page_headed_by_a_floated_figure_begins_at_its_text() {
    // A picture too tall for the rest of page one heads page two; the paragraph after it
    // fills page one and runs on under the picture. Page two begins in the print edition's
    // text where that paragraph resumes, not at the picture (which the EPUB keeps where it
    // is written, before the paragraph).
    let dir = tempdir();
    let words = [
        "amber", "basalt", "cedar", "dune", "ember", "fjord", "granite", "heath",
    ];
    let mut md = String::from("---\ntitle: Page Breaks\n---\n\n");
    let mut n = 0;
    let mut para = |out: &mut String| {
        let ws: Vec<String> = (0..70)
            .map(|i| {
                n += 1;
                format!("{}{n}", words[(n * 3 + i) % words.len()])
            })
            .collect();
        out.push_str(&ws.join(" "));
        out.push_str("\n\n");
    };
    for _ in 0..4 {
        para(&mut md);
    }
    md.push_str("![A grey block](tall.png \"Figcaption\")\n\n");
    for _ in 0..6 {
        para(&mut md);
    }
    write(dir.path(), "doc.md", md);
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, 300, 560);
        enc.set_color(png::ColorType::Grayscale);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[200; 300 * 560]).unwrap();
    }
    write(dir.path(), "tall.png", png_bytes);
    build(dir.path(), &[]);
    let pdf = dir.path().join("out/doc.pdf");
    let epub = dir.path().join("out/doc.epub");
    if !have_tool("pdftotext", "reading PDF pages") {
        return;
    }
    let (ok, text) = tool_output(
        "pdftotext",
        [
            "-f",
            "2",
            "-l",
            "2",
            "-enc",
            "UTF-8",
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    assert!(ok, "{text}");
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some("Page Breaks"), "page 2's running head");
    assert_eq!(lines.next(), Some("Figcaption"), "the figure heads page 2");
    let first: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let want = &first[..first.len().saturating_sub(1).clamp(1, 3)];
    let chapter = entry(&epub, "ch01.xhtml");
    let at = chapter.find("id=\"page-2\"").expect("a marker for page 2");
    let tag = chapter[..at].rfind('<').unwrap();
    let after = text_of(&chapter[tag..]);
    let got: Vec<&str> = after.split_whitespace().take(want.len()).collect();
    assert_eq!(got, want, "page 2's marker stands before its first text");
    let figure = chapter.find("<figure").expect("the EPUB has the figure");
    assert!(figure < at, "the EPUB keeps the figure where it is written");
    let third = chapter.find("id=\"page-3\"").expect("a marker for page 3");
    assert!(at < third, "the markers stay in order");
}
