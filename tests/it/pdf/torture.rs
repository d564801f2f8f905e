//! The torture document (tests/fixtures/torture.md): notes on the page of their reference,
//! a table header on every page of a three-page table, a 300-character code line kept whole,
//! images of every kind (and warnings with file:line for the ones that cannot be drawn).

use super::{
    bbox_pages, build_into, built, fixture, page_texts, render_gray, tokens, Block, Built,
};
use crate::util::{have_tool, listing, tempdir, tool_output};

fn torture() -> Built {
    built("fixtures", &fixture("torture.md"))
}

fn source() -> String {
    std::fs::read_to_string(fixture("torture.md")).unwrap()
}

/// The 1-based line of the first source line containing `needle`.
fn line_of(needle: &str) -> usize {
    source()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} is not in torture.md"))
        + 1
}

/// The first page (1-based) whose tokens satisfy `pred`.
fn page_where(pages: &[Vec<String>], pred: impl Fn(&[String]) -> bool) -> Option<usize> {
    pages.iter().position(|t| pred(t)).map(|i| i + 1)
}

#[test]
fn every_note_starts_on_the_page_of_its_reference() {
    let b = torture();
    let Some(texts) = page_texts(&b.pdf) else {
        return;
    };
    let pages: Vec<Vec<String>> = texts.iter().map(|t| tokens(t)).collect();
    let mut bad = Vec::new();
    let mut ref_pages = Vec::new();
    for k in 1..=40 {
        let mark = format!("mark{k:02}");
        // The reference reads `markNN` + its superscript number, fused or as the next word.
        let with_number = |t: &[String]| {
            t.iter().enumerate().any(|(i, w)| {
                *w == format!("{mark}{k}")
                    || (*w == mark && t.get(i + 1).is_some_and(|n| *n == k.to_string()))
            })
        };
        let Some(r) = page_where(&pages, with_number) else {
            bad.push(format!(
                "note {k}: reference mark {mark} with number {k} not found"
            ));
            continue;
        };
        ref_pages.push(r);
        let start = page_where(&pages, |t| t.contains(&format!("gloss{k:02}")));
        let end = page_where(&pages, |t| t.contains(&format!("glossend{k:02}")));
        match (start, end) {
            (Some(s), Some(e)) => {
                if s != r {
                    bad.push(format!(
                        "note {k}: reference on page {r}, note starts on page {s}"
                    ));
                }
                if e < s || e > s + 1 {
                    bad.push(format!("note {k}: starts on page {s}, ends on page {e}"));
                }
                // The note line opens with its number.
                let line = texts[s - 1]
                    .lines()
                    .find(|l| l.contains(&format!("Gloss{k:02}")));
                if !line.is_some_and(|l| l.trim_start().starts_with(&format!("{k}."))) {
                    bad.push(format!(
                        "note {k}: its line does not start with '{k}.': {line:?}"
                    ));
                }
            }
            _ => bad.push(format!(
                "note {k}: text not found (start {start:?}, end {end:?})"
            )),
        }
    }
    assert!(bad.is_empty(), "{}:\n{}", b.pdf.display(), bad.join("\n"));
    // Forty two-line notes cannot share one page: the paragraph must have been split.
    assert!(
        ref_pages.last() > ref_pages.first(),
        "all 40 notes on one page?"
    );
}

#[test]
fn the_three_page_table_repeats_its_header() {
    let b = torture();
    let Some(texts) = page_texts(&b.pdf) else {
        return;
    };
    let pages: Vec<Vec<String>> = texts.iter().map(|t| tokens(t)).collect();
    let head = ["hdrentry", "hdrparcel", "hdrtenant", "hdrrent"];
    let mut row_pages = Vec::new();
    for r in 1..=120 {
        let row = format!("row{r:03}");
        let p = page_where(&pages, |t| t.contains(&row))
            .unwrap_or_else(|| panic!("{row} is missing from {}", b.pdf.display()));
        row_pages.push(p);
    }
    assert!(
        row_pages.windows(2).all(|w| w[0] <= w[1]),
        "rows out of order: {row_pages:?}"
    );
    let (first, last) = (row_pages[0], row_pages[119]);
    assert!(
        last >= first + 2,
        "the long table should span 3 pages, spans {first}..={last}"
    );
    for p in first..=last {
        let t = &pages[p - 1];
        let first_row = t.iter().position(|w| w.starts_with("row") && w.len() == 6);
        for h in head {
            let at = t.iter().position(|w| w == h);
            assert!(
                at.is_some() && at < first_row,
                "page {p}: header word '{h}' missing or after the first row ({at:?} vs {first_row:?})"
            );
        }
    }
}

#[test]
fn the_long_code_line_keeps_every_character_and_marks_continuations() {
    let b = torture();
    let Some(pages) = bbox_pages(&b.pdf) else {
        return;
    };
    let src = source();
    let want = src
        .lines()
        .skip_while(|l| *l != "BEGINLONG")
        .nth(1)
        .expect("the long line follows BEGINLONG");
    assert_eq!(want.chars().count(), 300);
    // The words between BEGINLONG and ENDLONG, in page order, margins left out.
    let mut inside = false;
    let mut segments = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let block = Block::for_paper(page.width, page.height);
        for w in &page.words {
            if w.y1 <= block.top || w.y0 >= block.bottom {
                continue; // running head, page number
            }
            match w.text.as_str() {
                "BEGINLONG" => inside = true,
                "ENDLONG" => inside = false,
                _ if inside => segments.push((i + 1, w.clone())),
                _ => {}
            }
        }
    }
    let got: String = segments
        .iter()
        .flat_map(|(_, w)| w.text.chars())
        .filter(|c| *c != '\u{21AA}' && !c.is_whitespace())
        .collect();
    assert_eq!(got, want, "the 300-character line came back changed");
    assert!(
        segments.len() >= 3,
        "a 300-character line should wrap: {segments:?}"
    );
    // Every continuation line carries a visible mark left of its text; the first line none.
    let mut rendered = std::collections::BTreeMap::new();
    for (k, (p, w)) in segments.iter().enumerate() {
        let Some(g) = rendered
            .entry(*p)
            .or_insert_with(|| render_gray(&b.pdf, *p, 144))
        else {
            return;
        };
        let page = &pages[p - 1];
        let left = Block::for_paper(page.width, page.height).left;
        let ink = g.ink_columns(left - 6.0, w.x0 - 0.5, w.y0 + 1.0, w.y1 - 1.0, |v| v < 200);
        if k == 0 {
            assert!(
                ink.is_empty(),
                "a mark before the first segment of the line: {w:?}"
            );
        } else {
            assert!(
                !ink.is_empty(),
                "no continuation mark before segment {k} on page {p}: {w:?}"
            );
        }
    }
}

#[test]
fn images_of_every_kind_render_or_warn_with_file_and_line() {
    let b = torture();
    let stderr = crate::util::fold_diagnostics(&b.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    for (needle, alt) in [
        ("images/no-such-picture.png", "Lost harbour photograph"),
        ("http://example.com/weather/map.png", "Remote weather map"),
    ] {
        let at = format!("torture.md:{}:", line_of(needle));
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&at) && w.contains(needle)),
            "no warning naming {at} and {needle}:\n{}",
            b.stderr
        );
        if let Some(text) = crate::util::pdftotext(&b.pdf) {
            assert!(text.contains(alt), "the alt text '{alt}' is not in the PDF");
        }
    }
    for good in [
        "images/chart.png",
        "images/gradient.jpg",
        "images/diagram.svg",
        "images/blink.gif",
        "images/tiles.webp",
    ] {
        let at = format!("torture.md:{}:", line_of(good));
        assert!(
            !warnings.iter().any(|w| w.contains(&at)),
            "{good} should draw without a warning:\n{}",
            b.stderr
        );
    }
    if have_tool("pdfimages", "listing images") {
        let (ok, list) = tool_output(
            "pdfimages",
            [std::ffi::OsStr::new("-list"), b.pdf.as_os_str()],
        );
        assert!(ok, "{list}");
        let rows: Vec<Vec<&str>> = list
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        // columns: page num type width height color comp bpc enc ...
        let has = |kind: &str, w: &str, h: &str, enc: &str| {
            rows.iter()
                .any(|r| r.len() > 8 && r[2] == kind && r[3] == w && r[4] == h && r[8] == enc)
        };
        assert!(
            has("image", "480", "240", "image") && has("smask", "480", "240", "image"),
            "the PNG with its alpha mask:\n{list}"
        );
        assert!(
            has("image", "400", "260", "jpeg"),
            "the JPEG passed through as DCT:\n{list}"
        );
        assert!(
            has("image", "40", "20", "image"),
            "the GIF's first frame:\n{list}"
        );
        assert!(
            has("image", "90", "60", "image") && has("smask", "90", "60", "image"),
            "the WebP with its alpha mask:\n{list}"
        );
    }
}

#[test]
fn the_torture_pdf_is_the_same_across_processes_and_jobs() {
    // determinism.rs covers text documents; this one adds images, SVG and page-foot notes.
    let dir = tempdir();
    let src = fixture("torture.md");
    let a = build_into(&src, &dir.path().join("a"), &[]);
    let b = build_into(&src, &dir.path().join("b"), &["--jobs", "1"]);
    let c = build_into(&src, &dir.path().join("c"), &[]);
    assert_eq!(listing(&dir.path().join("a")), ["torture.pdf"]);
    let bytes = |x: &Built| std::fs::read(&x.pdf).unwrap();
    assert!(bytes(&a) == bytes(&c), "two default runs differ");
    assert!(bytes(&a) == bytes(&b), "--jobs 1 differs from the default");
}
