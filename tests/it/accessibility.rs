//! Accessible EPUB (issue 16): DAISY Ace, the accessibility checker stores and libraries run,
//! reports no violation on the EPUBs bindery writes, EPUBCheck stays silent on them, and the
//! package says what a reading system and a screen reader need (language and direction,
//! roles, labels, accessibility metadata claimed only when true).
//!
//! Ace (npm `@daisy/ace`, pinned in tests/tools/ace/package.json) is installed by `.ci/run`
//! into tests/tools/ace/node_modules and drives headless Chromium; the tests skip without it
//! unless `BINDERY_REQUIRE_TOOLS=1`.

use crate::util::{epubcheck, repo_root, shared_file, skip, tempdir, tools_required, write};
use bindery::backend::epub::{EpubBackend, EpubOptions};
use bindery::backend::Backend;
use bindery::parse::{self, MetaOverrides};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Parses `path` and writes its EPUB beside it; returns the EPUB path and every warning.
fn build(path: &Path) -> (PathBuf, Vec<String>) {
    let doc = parse::load(path, &MetaOverrides::default()).expect("parse");
    let rendered = EpubBackend::with_options(EpubOptions::default())
        .render(&doc)
        .expect("render");
    let out = path.with_extension("epub");
    std::fs::write(&out, &rendered.bytes).unwrap();
    let warnings = doc
        .diagnostics
        .iter()
        .chain(&rendered.diagnostics)
        .map(|d| d.to_string())
        .collect();
    (out, warnings)
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

/// Ace's command (the Puppeteer runner) and the Chromium it drives, or `None` (skipped, or a
/// failure under `BINDERY_REQUIRE_TOOLS=1`).
fn ace_tool() -> Option<(PathBuf, PathBuf)> {
    let ace = repo_root().join("tests/tools/ace/node_modules/.bin/ace-puppeteer");
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    match chromium {
        Some(chromium) if node && ace.is_file() => Some((ace, chromium)),
        _ => {
            assert!(
                !tools_required(),
                "DAISY Ace is required (BINDERY_REQUIRE_TOOLS=1): .ci/run installs it into tests/tools/ace with Chromium"
            );
            skip("DAISY Ace (tests/tools/ace) or Chromium not installed, skipping Ace");
            None
        }
    }
}

/// What Ace found: one line per failed check (`impact rule file: what`), and the metadata
/// it misses.
struct AceReport {
    violations: Vec<String>,
    missing_metadata: Vec<String>,
}

/// Runs Ace on `epub`.
fn ace(epub: &Path) -> Option<AceReport> {
    let (ace, chromium) = ace_tool()?;
    let dir = tempdir();
    let out = Command::new(&ace)
        .env("PUPPETEER_EXECUTABLE_PATH", &chromium)
        .args(["--force", "--silent", "--outdir"])
        .arg(dir.path())
        .arg(epub)
        .stdin(Stdio::null())
        .output()
        .expect("run Ace");
    let report = dir.path().join("report.json");
    let json = std::fs::read(&report).unwrap_or_else(|_| {
        panic!(
            "Ace wrote no report for {}: {}{}",
            epub.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let report: serde_json::Value = serde_json::from_slice(&json).expect("Ace's JSON report");
    let mut violations = Vec::new();
    for subject in report["assertions"].as_array().into_iter().flatten() {
        let file = subject["earl:testSubject"]["url"].as_str().unwrap_or("?");
        for check in subject["assertions"].as_array().into_iter().flatten() {
            if check["earl:result"]["earl:outcome"] != "fail" {
                continue;
            }
            violations.push(format!(
                "{} {} {file}: {}",
                check["earl:test"]["earl:impact"].as_str().unwrap_or("?"),
                check["earl:test"]["dct:title"].as_str().unwrap_or("?"),
                check["earl:result"]["dct:description"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', " ")
            ));
        }
    }
    let missing_metadata = report["a11y-metadata"]["missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect();
    Some(AceReport {
        violations,
        missing_metadata,
    })
}

/// Ace reports no violation on `epub` and misses none of the metadata it asks every EPUB for
/// (the certifier's credential and report are for publishers with one); EPUBCheck says
/// nothing either.
#[track_caller]
pub(crate) fn assert_accessible(epub: &Path) {
    if let Some(check) = epubcheck(epub) {
        assert!(
            check.errors == 0 && check.warnings == 0,
            "EPUBCheck on {}: {}",
            epub.display(),
            check.messages.join("\n")
        );
    }
    let Some(report) = ace(epub) else {
        return;
    };
    assert!(
        report.violations.is_empty(),
        "Ace on {}: {} violations\n{}",
        epub.display(),
        report.violations.len(),
        report.violations.join("\n")
    );
    let missing: Vec<&String> = report
        .missing_metadata
        .iter()
        .filter(|m| !m.starts_with("a11y:certifier"))
        .collect();
    assert!(
        missing.is_empty(),
        "Ace misses metadata in {}: {missing:?}",
        epub.display()
    );
}

/// The `<meta property="name">` values of a package document.
fn meta_values(opf: &str, name: &str) -> Vec<String> {
    let open = format!("<meta property=\"{name}\"");
    opf.match_indices(&open)
        .filter_map(|(at, _)| {
            let rest = &opf[at..];
            let start = rest.find('>')? + 1;
            let end = rest.find("</meta>")?;
            Some(rest[start..end].to_owned())
        })
        .collect()
}

#[test]
fn the_sample_documents_pass_ace_and_epubcheck() {
    let dir = tempdir();
    let content = repo_root().join("content");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&content)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "content/ holds the sample documents");
    copy_dir(&content, dir.path());
    for name in names {
        let (epub, _) = build(&dir.path().join(name.file_name().unwrap()));
        assert_accessible(&epub);
        // Every picture of the samples has its words: the conformance claim is made.
        let opf = entry(&epub, "content.opf");
        assert_eq!(
            meta_values(&opf, "dcterms:conformsTo"),
            ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"],
            "{}",
            epub.display()
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn the_handout_passes_ace_and_epubcheck() {
    let Some(handout) = shared_file("corpus/handout/handout.md", "the handout's EPUB under Ace")
    else {
        return;
    };
    let dir = tempdir();
    let src = dir.path().join("handout.md");
    std::fs::copy(handout, &src).unwrap();
    let (epub, _) = build(&src);
    assert_accessible(&epub);
}

/// A handbook of what Ace failed in bindery's EPUBs before: task lists, links inside text,
/// a table, footnotes, a heading that skips a level, a subtitle.
const HANDBOOK: &str = r#"---
title: A handbook
subtitle: Tasks, links and tables
author: Ada Lovelace
date: 2026-11-25
lang: en
---

# Getting started

Read the [installation guide](https://example.com/install) first, then the
[checklist](#checklist). A note follows.[^1]

## Checklist

- [x] Install the tools
- [ ] Write the first chapter
- [ ] Check the build with [EPUBCheck](https://www.w3.org/publishing/epubcheck/)

#### Deep heading under a level-2 one

| Tool | Version | Purpose |
|:-----|:-------:|--------:|
| bindery | 0.1 | books |
| Ace | 1.4.6 | accessibility |

# Second chapter

More text with *emphasis* and a [link back](#getting-started).

## A section

Text.

### A subsection

Text.

[^1]: The note, with a [link](https://example.com).
"#;

#[test]
fn a_handbook_with_tasks_links_tables_and_notes_passes_ace() {
    let dir = tempdir();
    let src = write(dir.path(), "handbook.md", HANDBOOK);
    let (epub, warnings) = build(&src);
    assert_accessible(&epub);

    // The skipped level is named where it is written, and closed up in the EPUB.
    assert!(
        warnings.iter().any(|w| w.contains("handbook.md:20:1:")
            && w.contains("level-4 heading under a level-2 one")),
        "{warnings:#?}"
    );
    let ch1 = entry(&epub, "ch01.xhtml");
    assert!(
        ch1.contains("<h3 id=\"deep-heading-under-a-level-2-one\">"),
        "{ch1}"
    );
    // Read-only boxes named by their task; header cells that head their columns; notes and
    // back links with names.
    assert!(
        ch1.contains("<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Install the tools\" />"),
        "{ch1}"
    );
    assert!(
        ch1.contains("<th class=\"align-left\" scope=\"col\">Tool</th>"),
        "{ch1}"
    );
    assert!(ch1.contains("aria-label=\"Footnote 1\">1</a>"), "{ch1}");
    assert!(
        ch1.contains("role=\"doc-backlink\" aria-label=\"Back to text\""),
        "{ch1}"
    );
    assert!(
        entry(&epub, "stylesheet.css")
            .contains("a { color: #1a3d8f; text-decoration: underline; }"),
        "links are underlined, not told apart by colour alone"
    );

    let opf = entry(&epub, "content.opf");
    for expected in [
        "xml:lang=\"en\" dir=\"ltr\"",
        "<dc:title id=\"subtitle\">Tasks, links and tables</dc:title>",
        "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
        "page-progression-direction=\"ltr\"",
    ] {
        assert!(
            opf.contains(expected),
            "content.opf lacks {expected}:\n{opf}"
        );
    }
    // Features claimed only when there: no pictures, no maths, no page list here.
    let features = meta_values(&opf, "schema:accessibilityFeature");
    for absent in ["alternativeText", "MathML", "pageNavigation"] {
        assert!(!features.iter().any(|f| f == absent), "{features:?}");
    }
    for present in ["tableOfContents", "readingOrder", "structuralNavigation"] {
        assert!(features.iter().any(|f| f == present), "{features:?}");
    }
    assert_eq!(meta_values(&opf, "schema:accessMode"), ["textual"]);

    let nav = entry(&epub, "nav.xhtml");
    for expected in [
        "lang=\"en\" xml:lang=\"en\" dir=\"ltr\"",
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">",
        "<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"landmarks-title\"",
        "<a epub:type=\"titlepage\" href=\"title.xhtml\">Title page</a>",
    ] {
        assert!(nav.contains(expected), "nav.xhtml lacks {expected}:\n{nav}");
    }
    // The title page is in the landmarks and the reading order, not in the contents.
    let toc = &nav[..nav.find("</nav>").unwrap()];
    assert!(!toc.contains("title.xhtml"), "{toc}");
    assert!(opf.contains("<itemref idref=\"title-xhtml\"/>"), "{opf}");
    // The NCX nests as deep as the contents (chapter, section, subsection).
    let ncx = entry(&epub, "toc.ncx");
    assert!(
        ncx.contains("<meta name=\"dtb:depth\" content=\"3\"/>"),
        "{ncx}"
    );
}

#[test]
fn a_picture_without_words_withholds_the_conformance_claim_with_a_warning() {
    let dir = tempdir();
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 2, 2);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[90; 12]).unwrap();
    }
    write(dir.path(), "pic.png", &png);
    let src = write(
        dir.path(),
        "pictures.md",
        "# Pictures\n\n![A grey square](pic.png)\n\nAnd again:\n\n![](pic.png)\n",
    );
    let (epub, warnings) = build(&src);
    assert!(
        warnings.iter().any(|w| w.contains("pictures.md:7:1:")
            && w.contains("does not claim EPUB Accessibility 1.1")
            && w.contains("no alternative text")),
        "{warnings:#?}"
    );
    let opf = entry(&epub, "content.opf");
    assert!(meta_values(&opf, "dcterms:conformsTo").is_empty(), "{opf}");
    assert!(meta_values(&opf, "a11y:certifiedBy").is_empty(), "{opf}");
    let features = meta_values(&opf, "schema:accessibilityFeature");
    assert!(
        !features.iter().any(|f| f == "alternativeText"),
        "{features:?}"
    );
    // Text alone no longer carries everything.
    assert_eq!(
        meta_values(&opf, "schema:accessModeSufficient"),
        ["textual,visual"]
    );
    assert_eq!(
        meta_values(&opf, "schema:accessMode"),
        ["textual", "visual"]
    );

    // With words for every picture the claim is made.
    std::fs::write(
        &src,
        "# Pictures\n\n![A grey square](pic.png)\n\nAnd again:\n\n![The same square](pic.png)\n",
    )
    .unwrap();
    let (epub, warnings) = build(&src);
    assert!(
        !warnings.iter().any(|w| w.contains("does not claim")),
        "{warnings:#?}"
    );
    let opf = entry(&epub, "content.opf");
    assert!(!meta_values(&opf, "dcterms:conformsTo").is_empty(), "{opf}");
    assert!(
        meta_values(&opf, "schema:accessibilityFeature")
            .iter()
            .any(|f| f == "alternativeText"),
        "{opf}"
    );
    assert_accessible(&epub);
}

#[test]
fn a_right_to_left_book_says_so_in_the_package_and_navigation() {
    let dir = tempdir();
    let src = write(
        dir.path(),
        "rtl.md",
        "---\ntitle: كتاب\nlang: ar\n---\n\n# الفصل الأول\n\nنص عربي.\n\n## قسم\n\nنص.\n",
    );
    let (epub, _) = build(&src);
    let opf = entry(&epub, "content.opf");
    assert!(opf.contains("xml:lang=\"ar\" dir=\"rtl\""), "{opf}");
    assert!(opf.contains("page-progression-direction=\"rtl\""), "{opf}");
    let nav = entry(&epub, "nav.xhtml");
    assert!(
        nav.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""),
        "{nav}"
    );
    assert!(
        nav.contains(">المحتويات</h1>"),
        "the contents' title in Arabic: {nav}"
    );
    assert_accessible(&epub);
}

/// The Rust book (about 100 chapters) under Ace: about a minute and a half of Ace on two
/// cores, most of it Chromium loading each chapter.
#[test]
fn the_rust_book_passes_ace() {
    let Some(book) = shared_file("corpus/rust-book/book.md", "the Rust book under Ace") else {
        return;
    };
    if ace_tool().is_none() {
        return;
    }
    let doc = parse::load(&book, &MetaOverrides::default()).expect("parse the Rust book");
    let rendered = EpubBackend::with_options(EpubOptions::default())
        .render(&doc)
        .expect("render the Rust book");
    let dir = tempdir();
    let epub = dir.path().join("book.epub");
    std::fs::write(&epub, &rendered.bytes).unwrap();
    let start = std::time::Instant::now();
    let Some(report) = ace(&epub) else {
        return;
    };
    eprintln!(
        "Ace on the Rust book: {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert!(
        report.violations.is_empty(),
        "Ace on the Rust book: {} violations\n{}",
        report.violations.len(),
        report.violations.join("\n")
    );
}

/// Formulas of the subset the PDF sets, and one it refuses.
const MATHS: &str = r#"---
title: Formulas
lang: en
---

# Formulas

Einstein wrote $E = mc^2$, and a sum:

$$
\sum_{i=1}^{n} i = \frac{n(n+1)}{2}
$$

A half:

$$
\frac{1}{2}
$$

A command bindery does not know: $\unknowncommand{x}$.
"#;

#[test]
fn maths_is_mathml_that_epubcheck_and_ace_accept_and_chromium_draws() {
    let dir = tempdir();
    let src = write(dir.path(), "maths.md", MATHS);
    let (epub, warnings) = build(&src);
    assert_accessible(&epub);
    let ch = entry(&epub, "ch01.xhtml");
    assert!(
        ch.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\" alttext=\"E = mc^2\">"),
        "{ch}"
    );
    assert_eq!(ch.matches("<math ").count(), 3, "{ch}");
    // The refused formula stays its source (the PDF's typesetting warns about it).
    assert!(
        ch.contains("<span class=\"math math-inline\">\\unknowncommand{x}</span>"),
        "{ch}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("unknowncommand")),
        "one warning per formula, the PDF's: {warnings:#?}"
    );
    let opf = entry(&epub, "content.opf");
    assert!(
        opf.contains(
            "href=\"ch01.xhtml\" media-type=\"application/xhtml+xml\" properties=\"mathml\""
        ),
        "{opf}"
    );
    assert!(
        meta_values(&opf, "schema:accessibilityFeature")
            .iter()
            .any(|f| f == "MathML"),
        "{opf}"
    );

    // Drawn, not spelled out: Chromium sets the EPUB's `\frac{1}{2}` as a stacked fraction,
    // taller and much narrower than the same TeX written as text.
    let Some(chromium) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| crate::util::tool_output(c, ["--version"]).0)
    else {
        crate::util::have_tool("chromium", "drawing the EPUB's MathML");
        return;
    };
    let at = ch
        .find("alttext=\"\\frac{1}{2}\"")
        .expect("the half as MathML");
    let start = ch[..at].rfind("<math").unwrap();
    let end = at + ch[at..].find("</math>").unwrap() + "</math>".len();
    let formula = &ch[start..end];
    let ink = |name: &str, body: &str| {
        let page = dir.path().join(format!("{name}.xhtml"));
        std::fs::write(
            &page,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><title>t</title></head>\
                 <body style=\"margin: 20px; font-size: 40px; background: white; color: black\"><p>{body}</p></body></html>"
            ),
        )
        .unwrap();
        let shot = dir.path().join(format!("{name}.png"));
        let out = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--window-size=800,400",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join(format!("profile-{name}")).display()
            ))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", page.display()))
            .stdin(Stdio::null())
            .output()
            .expect("run chromium");
        assert!(
            shot.is_file(),
            "no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ink_box(&std::fs::read(&shot).unwrap())
    };
    let (drawn_w, drawn_h) = ink("mathml", formula);
    let (source_w, source_h) = ink("source", "\\frac{1}{2}");
    eprintln!("MathML fraction {drawn_w}x{drawn_h} px, TeX source {source_w}x{source_h} px");
    assert!(
        drawn_h as f64 > 1.5 * source_h as f64 && (drawn_w as f64) < 0.5 * source_w as f64,
        "the MathML fraction is {drawn_w}x{drawn_h} px, its TeX source as text {source_w}x{source_h} px"
    );
}

/// Width and height in pixels of what is not white in a PNG screenshot.
fn ink_box(png_bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in 0..info.height {
        for x in 0..info.width {
            let i = (y as usize * info.line_size) + x as usize * channels;
            let dark = buf[i..i + channels.min(3)].iter().any(|&v| v < 128);
            if dark {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    assert!(x1 >= x0, "nothing drawn");
    (x1 - x0 + 1, y1 - y0 + 1)
}
