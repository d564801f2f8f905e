//! Page-setup options through the binary: paper sizes, margins, two-sided page numbers,
//! booklet imposition, the table of contents, a bad `--paper`, and the handout's size.

use super::text_area::page_problems;
use super::{bbox_pages, build_into, built, render_gray, Block, BoxPage, Word, TOL};
use crate::util::{bindery, pdf_pages, s, shared_file, tempdir, write};
use std::path::{Path, PathBuf};

/// Section names of the generated sample documents.
const NAMES: [&str; 6] = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"];

/// A plain document of `sections` sections (each a heading, a subheading and six paragraphs,
/// about two pages of A4), written to `dir/sample.md`.
fn sample(dir: &Path, sections: usize) -> PathBuf {
    let para = "The survey of the lowland parishes took the whole of the summer, and the clerks \
                wrote up their notes each evening by lamplight while the horses rested in the \
                yard behind the inn. ";
    let mut md = String::from("---\ntitle: Setup Sample\n---\n\n");
    for name in NAMES.iter().cycle().take(sections) {
        md.push_str(&format!("# Section {name}\n\n"));
        for _ in 0..3 {
            md.push_str(&para.repeat(5));
            md.push_str("\n\n");
        }
        md.push_str(&format!("## Detail {name} One\n\n"));
        for _ in 0..3 {
            md.push_str(&para.repeat(5));
            md.push_str("\n\n");
        }
    }
    write(dir, "sample.md", md)
}

/// Words of a page between the top and bottom margins of `block` (the body).
fn body_words(page: &BoxPage, block: Block) -> impl Iterator<Item = &Word> {
    page.words
        .iter()
        .filter(move |w| w.y1 > block.top + TOL && w.y0 < block.bottom - TOL)
}

/// The page number word of a page (the footer), if any.
fn folio(page: &BoxPage, block: Block) -> Option<&Word> {
    page.words.iter().find(|w| w.y0 >= block.bottom - TOL)
}

/// Asserts the pages have size `w` × `h` and keep their text inside `block`, and that the body
/// text reaches both edges of the block (so the margins were really applied).
#[track_caller]
fn assert_setup(pages: &[BoxPage], w: f64, h: f64, block: Block) {
    let mut head = None;
    let mut bad = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        assert!(
            (p.width - w).abs() < 0.5 && (p.height - h).abs() < 0.5,
            "page {} is {} x {}, want {w} x {h}",
            i + 1,
            p.width,
            p.height
        );
        bad.extend(page_problems(i + 1, p, block, &mut head));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let body: Vec<&Word> = pages.iter().flat_map(|p| body_words(p, block)).collect();
    let min_x = body.iter().map(|w| w.x0).fold(f64::MAX, f64::min);
    let max_x = body.iter().map(|w| w.x1).fold(f64::MIN, f64::max);
    assert!(
        (min_x - block.left).abs() < 1.5,
        "text starts at x {min_x}, the block at {}",
        block.left
    );
    assert!(
        (max_x - block.right).abs() < 1.5,
        "text ends at x {max_x}, the block at {}",
        block.right
    );
}

#[test]
fn paper_letter() {
    let dir = tempdir();
    let b = build_into(
        &sample(dir.path(), 2),
        &dir.path().join("out"),
        &["--paper", "letter"],
    );
    if let Some(pages) = bbox_pages(&b.pdf) {
        assert_setup(&pages, 612.0, 792.0, Block::for_paper(612.0, 792.0));
    }
}

#[test]
fn paper_in_millimetres() {
    let dir = tempdir();
    let b = build_into(
        &sample(dir.path(), 2),
        &dir.path().join("out"),
        &["--paper", "170x240mm"],
    );
    let (w, h) = (170.0 * 72.0 / 25.4, 240.0 * 72.0 / 25.4);
    if let Some(pages) = bbox_pages(&b.pdf) {
        assert_setup(&pages, w, h, Block::for_paper(w, h));
    }
}

#[test]
fn margins_in_css_order() {
    let dir = tempdir();
    let b = build_into(
        &sample(dir.path(), 2),
        &dir.path().join("out"),
        &["--margins", "20mm 25mm 30mm 35mm"],
    );
    let mm = 72.0 / 25.4;
    let (w, h) = (210.0 * mm, 297.0 * mm);
    let block = Block {
        left: 35.0 * mm,
        top: 20.0 * mm,
        right: w - 25.0 * mm,
        bottom: h - 30.0 * mm,
    };
    if let Some(pages) = bbox_pages(&b.pdf) {
        assert_setup(&pages, w, h, block);
    }
}

#[test]
fn two_sided_mirrors_margins_and_puts_page_numbers_outside() {
    let dir = tempdir();
    let b = build_into(
        &sample(dir.path(), 2),
        &dir.path().join("out"),
        &["--two-sided"],
    );
    let Some(pages) = bbox_pages(&b.pdf) else {
        return;
    };
    assert!(
        pages.len() >= 4,
        "want at least 4 pages, got {}",
        pages.len()
    );
    for (i, p) in pages.iter().enumerate() {
        let n = i + 1;
        let plain = Block::for_paper(p.width, p.height);
        // setup.rs make_two_sided: the inner margin takes 42 % of both side margins.
        let total = plain.left + (p.width - plain.right);
        let (inner, outer) = (total * 0.42, total * 0.58);
        let (left, right) = if n % 2 == 1 {
            (inner, p.width - outer)
        } else {
            (outer, p.width - inner)
        };
        let block = Block {
            left,
            right,
            ..plain
        };
        let num = folio(p, block).unwrap_or_else(|| panic!("page {n} has no page number"));
        assert_eq!(num.text, n.to_string());
        if n % 2 == 1 {
            assert!(
                (num.x1 - right).abs() < TOL,
                "page {n}: number ends at {}, the outer edge is {right}",
                num.x1
            );
        } else {
            assert!(
                (num.x0 - left).abs() < TOL,
                "page {n}: number starts at {}, the outer edge is {left}",
                num.x0
            );
        }
        let min_x = body_words(p, block).map(|w| w.x0).fold(f64::MAX, f64::min);
        assert!(
            (min_x - left).abs() < 1.5,
            "page {n}: text starts at {min_x}, the mirrored block at {left}"
        );
        assert!(
            body_words(p, block).all(|w| w.x1 <= right + TOL),
            "page {n}: text beyond x {right}"
        );
    }
}

#[test]
fn booklet_imposes_two_pages_per_landscape_sheet_in_fold_order() {
    let dir = tempdir();
    let src = sample(dir.path(), 3);
    // A booklet on A4 sheets holds A5 pages with mirrored margins: count those pages first.
    let pages = build_into(
        &src,
        &dir.path().join("a5"),
        &["--paper", "a5", "--two-sided"],
    );
    let booklet = build_into(&src, &dir.path().join("booklet"), &["--layout", "booklet"]);
    let (Some(n), Some(sheets)) = (pdf_pages(&pages.pdf), bbox_pages(&booklet.pdf)) else {
        return;
    };
    let n = n as usize;
    assert!(
        n >= 5,
        "the sample should make at least 5 A5 pages, made {n}"
    );
    let padded = n.div_ceil(4) * 4;
    assert_eq!(
        sheets.len(),
        padded / 2,
        "{n} pages should give {} sheet sides",
        padded / 2
    );
    let mm = 72.0 / 25.4;
    for (k, sheet) in sheets.iter().enumerate() {
        assert!(
            (sheet.width - 297.0 * mm).abs() < 0.5 && (sheet.height - 210.0 * mm).abs() < 0.5,
            "sheet side {} is {} x {}, not landscape A4",
            k + 1,
            sheet.width,
            sheet.height
        );
        let half = sheet.width / 2.0;
        let block = Block::for_paper(half, sheet.height);
        let nums: Vec<(f64, &str)> = sheet
            .words
            .iter()
            .filter(|w| w.y0 >= block.bottom - TOL)
            .map(|w| (w.x0, w.text.as_str()))
            .collect();
        // Side 2j holds pages (padded-1-2j, 2j), side 2j+1 (2j+1, padded-2-2j), 0-based;
        // pages past the end are blank.
        let j = k / 2;
        let (l, r) = if k % 2 == 0 {
            (padded - 1 - 2 * j, 2 * j)
        } else {
            (2 * j + 1, padded - 2 - 2 * j)
        };
        let mut want = Vec::new();
        if l < n {
            want.push(("left", (l + 1).to_string()));
        }
        if r < n {
            want.push(("right", (r + 1).to_string()));
        }
        let got: Vec<(&str, String)> = nums
            .iter()
            .map(|(x, t)| (if *x < half { "left" } else { "right" }, t.to_string()))
            .collect();
        assert_eq!(got, want, "sheet side {}: page numbers", k + 1);
    }
}

/// The lines of a page: words grouped by their top edge, left to right.
fn lines(page: &BoxPage) -> Vec<Vec<&Word>> {
    let mut out: Vec<Vec<&Word>> = Vec::new();
    for w in &page.words {
        match out.iter_mut().find(|l| (l[0].y0 - w.y0).abs() < 1.0) {
            Some(l) => l.push(w),
            None => out.push(vec![w]),
        }
    }
    for l in &mut out {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    out
}

fn text_of(words: &[&Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn toc_lists_every_heading_with_its_real_page_and_dot_leaders() {
    let dir = tempdir();
    let b = build_into(&sample(dir.path(), 6), &dir.path().join("out"), &["--toc"]);
    let Some(pages) = bbox_pages(&b.pdf) else {
        return;
    };
    let toc_page = pages
        .iter()
        .position(|p| lines(p).iter().any(|l| text_of(l) == "Contents"))
        .expect("a page with a 'Contents' heading");
    let page = &pages[toc_page];
    let block = Block::for_paper(page.width, page.height);
    // Contents lines: a title and a page number flush with the right edge of the block.
    let mut entries = Vec::new();
    for l in lines(page) {
        let last = l[l.len() - 1];
        if l.len() >= 2
            && last.text.parse::<usize>().is_ok()
            && (last.x1 - block.right).abs() < 2.0
            && last.y0 < block.bottom
        {
            entries.push((l[..l.len() - 1].to_vec(), last));
        }
    }
    let titles: Vec<String> = entries.iter().map(|(t, _)| text_of(t)).collect();
    let want: Vec<String> = NAMES
        .iter()
        .flat_map(|n| [format!("Section {n}"), format!("Detail {n} One")])
        .collect();
    assert_eq!(titles, want, "contents entries");
    let gray = render_gray(&b.pdf, toc_page + 1, 144);
    for (title, num) in &entries {
        let name = text_of(title);
        // Where the heading really is: the first page with a line reading exactly the title.
        let actual = pages
            .iter()
            .position(|p| lines(p).iter().any(|l| text_of(l) == name))
            .map(|i| i + 1);
        assert_eq!(
            Some(num.text.parse::<usize>().unwrap()),
            actual,
            "page number of '{name}' in the contents"
        );
        // Dot leaders: grey dots (GREY = 0.35, no anti-aliasing) between title and number.
        if let Some(g) = &gray {
            let end = title.last().unwrap();
            let cols = g.ink_columns(title[0].x0, num.x0, end.y0, end.y1, |v| {
                (60..=120).contains(&v)
            });
            let dots = cols.windows(2).filter(|w| w[1] - w[0] > 1.0).count()
                + usize::from(!cols.is_empty());
            assert!(dots >= 5, "'{name}': {dots} leader dots");
            let first = cols[0];
            assert!(
                first >= end.x1 + 1.0,
                "'{name}': leader dots start at x {first:.1}, inside the title (ends at {:.1})",
                end.x1
            );
            assert!(
                cols[cols.len() - 1] <= num.x0 - 1.0,
                "'{name}': leaders run into the page number"
            );
        }
    }
}

#[test]
fn a_bad_paper_size_exits_2_naming_the_option() {
    let dir = tempdir();
    let src = sample(dir.path(), 1);
    let run = bindery(
        dir.path(),
        &[
            "build",
            s(&src),
            "-f",
            "pdf",
            "-o",
            "out",
            "--paper",
            "huge",
        ],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("--paper"),
        "the message should name --paper:\n{run}"
    );
    assert!(
        !dir.path().join("out/sample.pdf").exists(),
        "a PDF was written despite the error"
    );
}

#[test]
fn the_handout_pdf_is_under_60_kb() {
    let Some(h) = shared_file("corpus/handout/handout.md", "the handout size check") else {
        return;
    };
    let size = std::fs::metadata(built("shared-handout", &h).pdf)
        .unwrap()
        .len();
    assert!(size < 60_000, "the handout PDF has {size} bytes");
}
