//! Tagged, archival and print-ready PDF through the real binary: the structure tree
//! (`pdfinfo -struct-text`), PDF/UA-1 and PDF/A identification in the XMP, refusals that name
//! what is missing, bleed and trim boxes, the KDP profile; and the engine's independence from
//! every backend.

use crate::util::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Builds `inputs` into `out` with extra `args`; returns the run.
fn build(cwd: &Path, inputs: &[&str], out: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&str> = vec!["build"];
    all.extend_from_slice(inputs);
    all.extend_from_slice(&["-o", s(out)]);
    all.extend_from_slice(args);
    bindery_fast(cwd, &all, Duration::from_secs(120))
}

fn pdfinfo(args: &[&str], pdf: &Path) -> Option<String> {
    if !have_tool("pdfinfo", "the PDF structure checks") {
        return None;
    }
    let mut all: Vec<&str> = args.to_vec();
    all.push(s(pdf));
    let (ok, out) = tool_output("pdfinfo", &all);
    assert!(ok, "pdfinfo {args:?} {}: {out}", pdf.display());
    Some(out)
}

/// The XMP packet of a PDF (uncompressed by qpdf), or `None` without qpdf.
fn xmp(pdf: &Path) -> Option<String> {
    if !have_tool("qpdf", "reading the XMP packet") {
        return None;
    }
    let (ok, out) = tool_output("qpdf", ["--qdf", "--object-streams=disable", s(pdf), "-"]);
    assert!(
        ok || out.contains("x:xmpmeta"),
        "qpdf: {}",
        &out[..out.len().min(500)]
    );
    let start = out.find("<x:xmpmeta").expect("an XMP packet");
    let end = out[start..]
        .find("</x:xmpmeta>")
        .expect("a closed XMP packet")
        + start;
    Some(out[start..end].to_string())
}

fn content_dir() -> PathBuf {
    repo_root().join("content")
}

const DOC: &str = "---
title: Structure test
lang: en
---

# Structure test

A first paragraph with a [link](#second) and a note.[^n]

## Second

- one
- two

| Name | Score |
|------|------:|
| Ada  | 10    |

![A small square](square.svg)

[^n]: The note.
";

const SQUARE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#369"/></svg>"##;

#[test]
fn every_pdf_is_tagged_with_the_documents_structure() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    write(dir.path(), "square.svg", SQUARE);
    let out = dir.path().join("out");
    build(dir.path(), &["doc.md"], &out, &[]).assert_code(0);
    let pdf = out.join("doc.pdf");
    let Some(info) = pdfinfo(&[], &pdf) else {
        return;
    };
    assert!(info.contains("Tagged:          yes"), "{info}");
    let tree = pdfinfo(&["-struct-text"], &pdf).unwrap();
    // The headings in order, the list, the table with header and data cells, the figure with
    // its alternative text, the note.
    let order = [
        "H1", "P", "Link", "H2", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Figure",
        "Note",
    ];
    let mut at = 0;
    for tag in order {
        let found = tree[at..]
            .lines()
            .position(|l| l.trim_start().starts_with(tag))
            .unwrap_or_else(|| panic!("no {tag} after position {at} in:\n{tree}"));
        at += tree[at..]
            .lines()
            .take(found)
            .map(|l| l.len() + 1)
            .sum::<usize>();
    }
    assert!(tree.contains("A small square"), "figure alt text:\n{tree}");
    assert!(tree.contains("Structure test"), "{tree}");
    // Page numbers are artifacts, not content: no "1" stands alone in the tree.
    assert!(!tree.lines().any(|l| l.trim() == "\"1\""), "{tree}");
}

#[test]
fn content_folder_is_tagged_and_meets_pdf_ua_1_and_pdf_a_2b() {
    let dir = tempdir();
    for (standard, part, marker) in [("ua-1", "1", "pdfuaid:part"), ("a-2b", "2", "pdfaid:part")] {
        let out = dir.path().join(standard);
        let run = build(
            &repo_root(),
            &[s(&content_dir())],
            &out,
            &["--pdf-standard", standard],
        );
        run.assert_code(0);
        for pdf in ["article.pdf", "handout.pdf", "newsletter.pdf"] {
            let pdf = out.join(pdf);
            if let Some(info) = pdfinfo(&[], &pdf) {
                assert!(info.contains("Tagged:          yes"), "{info}");
            }
            if let Some(x) = xmp(&pdf) {
                let found = x.contains(&format!("<{marker}>{part}</{marker}>"))
                    || x.contains(&format!("{marker}=\"{part}\""));
                assert!(
                    found,
                    "{standard}: no {marker} {part} in {}:\n{x}",
                    pdf.display()
                );
            }
            if let Some(r) = qpdf_check(&pdf) {
                r.unwrap();
            }
        }
    }
}

/// The `/Lang` entries of the marked-content sections of a PDF's first page, in order.
fn content_langs(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let page = *doc.get_pages().values().next().expect("a page");
    let content = doc.get_and_decode_page_content(page).unwrap();
    content
        .operations
        .iter()
        .filter(|op| op.operator == "BDC")
        .filter_map(|op| op.operands.get(1)?.as_dict().ok()?.get(b"Lang").ok())
        .map(|lang| String::from_utf8_lossy(lang.as_str().unwrap()).into_owned())
        .collect()
}

#[test]
fn text_in_another_language_is_marked_with_it_in_the_pdf() {
    // PDF/UA asks for every change of language inside the text to be marked, so that a
    // screen reader changes its voice: a span in another language than its paragraph names
    // its language; one in the paragraph's own does not.
    let dir = tempdir();
    write(
        dir.path(),
        "doc.md",
        "---\ntitle: Languages\nlang: en\n---\n\n\
         They say <span lang=\"fr\">bonjour</span> in the morning.\n\n\
         <p lang=\"de\">Ein Satz mit <span lang=\"de\">deutschen</span> und \
         <span lang=\"en-GB\">English</span> Wörtern.</p>\n",
    );
    let out = dir.path().join("out");
    build(dir.path(), &["doc.md"], &out, &["--pdf-standard", "ua-1"]).assert_code(0);
    assert_eq!(content_langs(&out.join("doc.pdf")), ["fr", "en-GB"]);
}

#[test]
fn pdf_ua_refuses_an_image_without_alternative_text_and_says_so() {
    let dir = tempdir();
    write(dir.path(), "square.svg", SQUARE);
    write(
        dir.path(),
        "doc.md",
        "---\ntitle: No alt\nlang: en\n---\n\nText.\n\n![](square.svg)\n",
    );
    let out = dir.path().join("out");
    write(&out, "doc.pdf", "previous");
    let run = build(dir.path(), &["doc.md"], &out, &["--pdf-standard", "ua-1"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("ua-1") && run.stderr.contains("alternative text"),
        "{}",
        run.stderr
    );
    // The refusal names the image's place.
    assert!(run.stderr.contains("doc.md:8"), "{}", run.stderr);
    // Nothing half-written: the previous output stays.
    assert_eq!(
        std::fs::read_to_string(out.join("doc.pdf")).unwrap(),
        "previous"
    );
    // Without the standard the same document builds, with the warning.
    let run = build(dir.path(), &["doc.md"], &out, &[]);
    run.assert_code(0);
    assert!(run.stderr.contains("alternative text"), "{}", run.stderr);
}

#[test]
fn pdf_standard_from_front_matter_and_bad_names() {
    let dir = tempdir();
    write(
        dir.path(),
        "doc.md",
        "---\ntitle: T\nlang: en\npdf-standard: a-2b\n---\n\nText.\n",
    );
    let out = dir.path().join("out");
    build(dir.path(), &["doc.md"], &out, &[]).assert_code(0);
    if let Some(x) = xmp(&out.join("doc.pdf")) {
        assert!(x.contains("pdfaid"), "{x}");
    }
    let run = build(dir.path(), &["doc.md"], &out, &["--pdf-standard", "x-9"]);
    run.assert_code(2);
    assert!(run.stderr.contains("ua-1"), "{}", run.stderr);
    write(
        dir.path(),
        "bad.md",
        "---\ntitle: T\npdf-standard: pdf/x\n---\n\nText.\n",
    );
    let run = build(dir.path(), &["bad.md"], &out, &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("bad.md:3"), "{}", run.stderr);
}

/// MediaBox, TrimBox and BleedBox of page `n` from `pdfinfo -box`.
fn boxes(pdf: &Path, n: u32) -> Option<[[f64; 4]; 3]> {
    let out = pdfinfo(&["-box", "-f", &n.to_string(), "-l", &n.to_string()], pdf)?;
    let get = |name: &str| -> [f64; 4] {
        let line = out
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no {name} in {out}"));
        let v: Vec<f64> = line
            .split_whitespace()
            .rev()
            .take(4)
            .map(|x| x.parse().unwrap())
            .collect();
        [v[3], v[2], v[1], v[0]]
    };
    Some([get("MediaBox"), get("TrimBox"), get("BleedBox")])
}

#[test]
fn bleed_puts_the_trimmed_page_on_a_larger_sheet() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let handout = content_dir().join("handout.md");
    build(
        dir.path(),
        &[s(&handout)],
        &out,
        &["--paper", "6x9in", "--bleed", "3mm"],
    )
    .assert_code(0);
    let Some([media, trim, bleed]) = boxes(&out.join("handout.pdf"), 1) else {
        return;
    };
    let b = 3.0 * 72.0 / 25.4;
    let close = |a: f64, e: f64| (a - e).abs() < 0.02;
    assert!(
        close(trim[2] - trim[0], 432.0) && close(trim[3] - trim[1], 648.0),
        "{trim:?}"
    );
    assert!(close(media[2] - media[0], 432.0 + 2.0 * b), "{media:?}");
    assert!(close(media[3] - media[1], 648.0 + 2.0 * b), "{media:?}");
    for i in 0..2 {
        assert!(close(trim[i] - media[i], b), "{trim:?} in {media:?}");
    }
    assert!(
        bleed.iter().zip(media).all(|(a, m)| close(*a, m)),
        "{bleed:?}"
    );
    // The text moved with the page: nothing was cut off.
    if let Some(text) = pdftotext(&out.join("handout.pdf")) {
        assert!(text.contains("Community Garden"), "{text}");
    }
}

#[test]
fn kdp_profile_has_no_annotations_and_bleeds_on_three_edges() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let article = content_dir().join("article.md");
    let run = build(
        dir.path(),
        &[s(&article)],
        &out,
        &["--print-profile", "kdp"],
    );
    run.assert_code(0);
    // A short document: KDP's page range is named.
    assert!(run.stderr.contains("24 to 828 pages"), "{}", run.stderr);
    let pdf = out.join("article.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    for (_, page) in doc.get_pages() {
        let dict = doc.get_dictionary(page).unwrap();
        assert!(
            dict.get(b"Annots").is_err(),
            "a KDP interior has no annotations"
        );
    }
    assert!(
        doc.catalog().unwrap().get(b"Outlines").is_err(),
        "no outline"
    );
    let (Some([m1, t1, _]), Some([m2, t2, _])) = (boxes(&pdf, 1), boxes(&pdf, 2)) else {
        return;
    };
    let close = |a: f64, e: f64| (a - e).abs() < 0.02;
    // 6 x 9 in trim; 0.125 in of bleed at the top, bottom and outer edge, none at the spine.
    assert!(
        close(t1[2] - t1[0], 432.0) && close(t1[3] - t1[1], 648.0),
        "{t1:?}"
    );
    assert!(
        close(m1[2] - m1[0], 441.0) && close(m1[3] - m1[1], 666.0),
        "{m1:?}"
    );
    assert!(
        close(t1[0], m1[0]),
        "right-hand page: spine on the left {t1:?} {m1:?}"
    );
    assert!(
        close(t2[2], m2[2]),
        "left-hand page: spine on the right {t2:?} {m2:?}"
    );
    // A page size KDP does not print is refused.
    let run = build(
        dir.path(),
        &[s(&article)],
        &out,
        &["--print-profile", "kdp", "--paper", "a5"],
    );
    // A usage error, like any bad --paper.
    run.assert_code(2);
    assert!(run.stderr.contains("6x9in"), "{}", run.stderr);
}

#[test]
fn rust_book_meets_pdf_ua_1_and_a_2a_with_its_structure() {
    let Some(book) = shared_file("corpus/rust-book/book.md", "the Rust book under PDF/UA-1") else {
        return;
    };
    let dir = tempdir();
    let out = dir.path().join("out");
    let run = build(
        dir.path(),
        &[s(&book)],
        &out,
        &["--pdf-standard", "ua-1,a-2a", "--format", "pdf"],
    );
    run.assert_code(0);
    let pdf = out.join("book.pdf");
    // The structure elements, read with lopdf (poppler's -struct-text takes minutes on a book).
    let doc = lopdf::Document::load(&pdf).unwrap();
    let mut kinds: std::collections::BTreeMap<Vec<u8>, usize> = Default::default();
    let mut figures_without_alt = 0;
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"StructElem".as_slice()) {
            continue;
        }
        let kind = dict
            .get(b"S")
            .and_then(|t| t.as_name())
            .unwrap_or(b"?")
            .to_vec();
        if kind == b"Figure" && dict.get(b"Alt").is_err() {
            figures_without_alt += 1;
        }
        *kinds.entry(kind).or_default() += 1;
    }
    let count = |k: &str| kinds.get(k.as_bytes()).copied().unwrap_or(0);
    assert!(count("H1") > 15, "chapters as H1: {kinds:?}");
    assert!(count("H2") > 100 && count("P") > 1000, "{kinds:?}");
    assert!(
        count("TH") > 0 && count("TD") > count("TH"),
        "tables: {kinds:?}"
    );
    assert!(
        count("Figure") > 0 && figures_without_alt == 0,
        "figures with alt: {kinds:?}"
    );
    assert!(count("Code") > 100 && count("L") > 50, "{kinds:?}");
    if let Some(x) = xmp(&pdf) {
        assert!(x.contains("pdfuaid") && x.contains("pdfaid"), "{x}");
    }
}

/// The engine never reaches into a backend: no file under `src/typeset/` names one.
#[test]
fn typeset_imports_no_backend() {
    let mut stack = vec![repo_root().join("src/typeset")];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    assert!(
                        !code.contains("backend::") && !code.contains("krilla"),
                        "{}:{}: the engine names a backend: {line}",
                        path.display(),
                        n + 1
                    );
                }
            }
        }
    }
    assert!(files > 10, "src/typeset/ has its modules");
}
