//! No glyph outside the text area: every word box of `pdftotext -bbox` lies inside its page's
//! text block, except the running head (above the top margin) and the page number (below the
//! bottom margin), which must keep 9 pt from the paper's edge.

use super::{bbox_pages, built, content_files, fixture, Block, BoxPage, Built, TOL};
use crate::util::shared_file;

/// Distance the running head and the page number keep from the paper's edge.
const EDGE: f64 = 9.0;

/// Every problem of one page against `block` (page numbers are 1-based in the messages).
pub fn page_problems(
    n: usize,
    page: &BoxPage,
    block: Block,
    head: &mut Option<String>,
) -> Vec<String> {
    let mut bad = Vec::new();
    let mut head_words = Vec::new();
    let mut foot_words = Vec::new();
    for w in &page.words {
        let at = format!(
            "page {n}: '{}' at x {:.1}..{:.1}, y {:.1}..{:.1}",
            w.text, w.x0, w.x1, w.y0, w.y1
        );
        let inside_x = w.x0 >= block.left - TOL && w.x1 <= block.right + TOL;
        if w.y1 <= block.top + TOL {
            head_words.push(w);
        } else if w.y0 >= block.bottom - TOL {
            foot_words.push(w);
        } else if !(inside_x && w.y0 >= block.top - TOL && w.y1 <= block.bottom + TOL) {
            bad.push(format!("{at}: outside the text block {block:?}"));
            continue;
        }
        if !inside_x {
            bad.push(format!("{at}: beside the text block {block:?}"));
        }
        let off_edge =
            w.x0 < EDGE || w.y0 < EDGE || w.x1 > page.width - EDGE || w.y1 > page.height - EDGE;
        if off_edge {
            bad.push(format!("{at}: within {EDGE} pt of the paper's edge"));
        }
    }
    // The footer holds the page number and nothing else.
    let foot: Vec<&str> = foot_words.iter().map(|w| w.text.as_str()).collect();
    if foot != [n.to_string().as_str()] {
        bad.push(format!(
            "page {n}: the bottom margin holds {foot:?}, not just the page number"
        ));
    }
    // The head is one line, absent on page 1 and identical on every later page.
    if let Some(first) = head_words.first() {
        if head_words.iter().any(|w| (w.y0 - first.y0).abs() > 0.5) {
            bad.push(format!(
                "page {n}: the top margin holds more than one line: {:?}",
                head_words.iter().map(|w| &w.text).collect::<Vec<_>>()
            ));
        }
    }
    let text: Vec<&str> = head_words.iter().map(|w| w.text.as_str()).collect();
    let text = text.join(" ");
    if n == 1 {
        if !text.is_empty() {
            bad.push(format!("page 1: text in the top margin: {text}"));
        }
    } else {
        match head {
            None => *head = Some(text),
            Some(h) if *h != text => {
                bad.push(format!(
                    "page {n}: top margin reads '{text}', page 2's reads '{h}'"
                ));
            }
            Some(_) => {}
        }
    }
    bad
}

/// Asserts every page of a default-A4 PDF keeps its glyphs inside the text block.
#[track_caller]
pub fn assert_inside(b: &Built) {
    let Some(pages) = bbox_pages(&b.pdf) else {
        return;
    };
    assert!(!pages.is_empty(), "{}: no pages", b.pdf.display());
    let mut bad = Vec::new();
    let mut head = None;
    for (i, page) in pages.iter().enumerate() {
        let block = Block::for_paper(page.width, page.height);
        bad.extend(page_problems(i + 1, page, block, &mut head));
    }
    assert!(
        bad.is_empty(),
        "{}: {} glyph(s) outside the text area:\n{}",
        b.pdf.display(),
        bad.len(),
        bad.iter().take(60).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_text_area_check_catches_a_stray_word() {
    let word = |text: &str, x0, y0| super::Word {
        x0,
        y0,
        x1: x0 + 20.0,
        y1: y0 + 10.0,
        text: text.to_owned(),
    };
    let block = Block::for_paper(595.0, 842.0);
    let page = |words| BoxPage {
        width: 595.0,
        height: 842.0,
        words,
    };
    let ok = page(vec![
        word("body", 120.0, 100.0),
        word("2", 290.0, 790.0),
        word("Head", 290.0, 50.0),
    ]);
    let mut head = None;
    assert!(page_problems(2, &ok, block, &mut head).is_empty());
    let stray = page(vec![
        word("body", 490.0, 100.0),
        word("2", 290.0, 790.0),
        word("Head", 290.0, 50.0),
    ]);
    assert_eq!(
        page_problems(3, &stray, block, &mut head).len(),
        2,
        "off the right edge, and the wrong page number"
    );
    let edge = page(vec![word("2", 290.0, 836.0), word("Head", 290.0, 50.0)]);
    assert!(page_problems(2, &edge, block, &mut head)
        .iter()
        .any(|p| p.contains("edge")));
}

#[test]
fn content_pdfs_stay_inside_the_text_area() {
    for src in content_files() {
        assert_inside(&built("content", &src));
    }
}

#[test]
fn handout_pdf_stays_inside_the_text_area() {
    if let Some(h) = shared_file("corpus/handout/handout.md", "the handout text-area check") {
        assert_inside(&built("shared-handout", &h));
    }
}

#[test]
fn torture_pdf_stays_inside_the_text_area() {
    assert_inside(&built("fixtures", &fixture("torture.md")));
}

#[test]
fn multilingual_pdf_stays_inside_the_text_area() {
    assert_inside(&built("fixtures", &fixture("multilingual.md")));
}

#[test]
fn rust_book_pdf_stays_inside_the_text_area() {
    if let Some(book) = shared_file("corpus/rust-book/book.md", "the Rust book text-area check") {
        assert_inside(&built("book", &book));
    }
}

/// A table row taller than a page (a 2,500-word cell) is cut between lines across pages:
/// every word stays inside the text area, all of them come back in order, and the header
/// is repeated on the pages the row continues on.
#[test]
fn a_row_taller_than_a_page_continues_on_the_next_pages() {
    let dir = crate::util::tempdir();
    let words: Vec<String> = (0..2500).map(|i| format!("cellword{i}")).collect();
    let src = crate::util::write(
        dir.path(),
        "tall.md",
        format!(
            "# Tall row\n\n| Wordhead | Notehead |\n|---|---|\n| {} | short |\n| after | last |\n",
            words.join(" ")
        ),
    );
    let b = super::build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
    assert_inside(&b);
    let Some(pages) = super::page_texts(&b.pdf) else {
        return;
    };
    let found: Vec<String> = pages
        .iter()
        .flat_map(|p| super::tokens(p))
        .filter(|w| w.starts_with("cellword"))
        .collect();
    assert_eq!(found, words, "cell words lost or out of order");
    let with_words: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].contains("cellword"))
        .collect();
    assert!(
        with_words.len() >= 3,
        "2,500 words on {} pages",
        with_words.len()
    );
    for &i in &with_words {
        assert!(
            pages[i].contains("Wordhead") && pages[i].contains("Notehead"),
            "page {} continues the row without the header:\n{}",
            i + 1,
            pages[i]
        );
    }
}

/// A paragraph holding only an anchor (`<a id>` kept so that old links still land, as the Rust
/// book has before 182 headings) takes no space: the heading after it sits where it would
/// without it, and a link to the anchor still resolves.
#[test]
fn anchor_only_paragraphs_take_no_space() {
    let dir = crate::util::tempdir();
    let body = |anchor: &str| {
        format!(
            "# Anchors\n\nSee [the old place](#old-id) first.\n\n{anchor}### Next heading\n\nText after.\n"
        )
    };
    let plain = crate::util::write(dir.path(), "plain.md", body(""));
    let anchored = crate::util::write(
        dir.path(),
        "anchored.md",
        body("<!-- old headings -->\n\n<a id=\"old-id\"></a>\n\n"),
    );
    let out = dir.path().join("out");
    let a = super::build_into(&plain, &out, &["--no-system-fonts"]);
    let b = super::build_into(&anchored, &out, &["--no-system-fonts"]);
    let Some((pa, pb)) = bbox_pages(&a.pdf).zip(bbox_pages(&b.pdf)) else {
        return;
    };
    let top = |pages: &[BoxPage]| {
        pages[0]
            .words
            .iter()
            .find(|w| w.text == "Next")
            .map(|w| w.y0)
            .expect("the heading is on page 1")
    };
    assert!(
        (top(&pa) - top(&pb)).abs() < 0.5,
        "the anchor paragraph moved the heading from {:.1} to {:.1}",
        top(&pa),
        top(&pb)
    );
    let bytes = std::fs::read(&b.pdf).unwrap();
    assert!(
        bytes.windows(6).any(|w| w == b"old-id"),
        "the anchor is not a destination"
    );
    assert!(!b.stderr.contains("link"), "{}", b.stderr);
}
