//! Figures that float (issue 15): a picture too tall for the rest of its page heads the next
//! page while the text written after it fills the page it left; it never passes the next
//! heading of its section's level; a captioned table floats too, a plain one splits. Checked on
//! the pages as a reader gets them: words and their boxes (`pdftotext -bbox`), the rendered
//! pixels, and the reading order of the tagged PDF (`pdfinfo -struct-text`).

use super::{bbox_pages, build_into, render_gray, Block, BoxPage};
use crate::util::{have_tool, s, tempdir, tool_output, write};
use std::path::{Path, PathBuf};

/// The grey of the test picture, apart from black text and the grey of rules and heads.
const SHADE: u8 = 200;

/// A `w`×`h` grey PNG of one shade.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    let mut writer = enc.write_header().unwrap();
    writer
        .write_image_data(&vec![SHADE; (w * h) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

/// A paragraph of 70 words; its first word is `start{tag}`, its last `end{tag}`, the others
/// plain words, so that a page's words name their paragraph.
fn para(tag: &str) -> String {
    const WORDS: [&str; 8] = [
        "margin", "leading", "measure", "kerning", "folio", "gutter", "baseline", "quire",
    ];
    let middle: Vec<&str> = (0..68).map(|i| WORDS[(i * 5) % WORDS.len()]).collect();
    format!("start{tag} {} end{tag}.\n\n", middle.join(" "))
}

/// A tall picture (225 × 420 pt on the page) with its caption, `Figcaption` its first word.
const FIGURE: &str = "![A light grey block](tall.png \"Figcaption of the block\")\n\n";

/// Writes `md` and the picture into a new folder and builds the PDF there.
fn build(md: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    write(dir.path(), "doc.md", md);
    write(dir.path(), "tall.png", png(300, 560));
    let out = dir.path().join("out");
    let built = build_into(&dir.path().join("doc.md"), &out, &[]);
    (dir, built.pdf)
}

/// The page (0-based) and box of the first word that starts with `prefix`.
fn find<'p>(pages: &'p [BoxPage], prefix: &str) -> (usize, &'p super::Word) {
    pages
        .iter()
        .enumerate()
        .find_map(|(n, p)| {
            p.words
                .iter()
                .find(|w| w.text.starts_with(prefix))
                .map(|w| (n, w))
        })
        .unwrap_or_else(|| panic!("no word {prefix:?} in the PDF"))
}

/// The words of a page's text block (no running head, no page number), in reading order.
fn body_words(page: &BoxPage) -> Vec<&super::Word> {
    let block = Block::for_paper(page.width, page.height);
    page.words
        .iter()
        .filter(|w| w.y0 >= block.top - 1.0 && w.y1 <= block.bottom + 1.0)
        .collect()
}

/// The top (points) of the picture on page `n` (0-based): the first row of its shade down the
/// middle of the page.
fn picture_top(pdf: &Path, n: usize, page: &BoxPage) -> Option<f64> {
    let gray = render_gray(pdf, n + 1, 72)?;
    let x = page.width / 2.0;
    let mut y = 0.0;
    while y < page.height {
        if gray.at(x, y).abs_diff(SHADE) <= 8 {
            return Some(y);
        }
        y += 0.5;
    }
    None
}

/// The structure tree as `pdfinfo -struct-text` prints it; `None` without pdfinfo.
fn structure(pdf: &Path) -> Option<String> {
    if !have_tool("pdfinfo", "reading the structure tree") {
        return None;
    }
    let (_, out) = tool_output("pdfinfo", ["-struct-text", s(pdf)]);
    Some(out)
}

#[test]
fn a_figure_that_does_not_fit_heads_the_next_page_and_the_text_fills_the_gap() {
    let mut md = String::from("---\ntitle: Floats\n---\n\n## First\n\n");
    for tag in ["one", "two", "three", "four"] {
        md.push_str(&para(tag));
    }
    md.push_str(FIGURE);
    for tag in ["five", "six", "seven", "eight", "nine"] {
        md.push_str(&para(tag));
    }
    let (_dir, pdf) = build(&md);
    let Some(pages) = bbox_pages(&pdf) else {
        return;
    };
    let (fig, caption) = find(&pages, "Figcaption");
    let (four, _) = find(&pages, "endfour");
    let (five, _) = find(&pages, "startfive");
    assert!(fig > 0, "the figure cannot fit on the first page");
    assert_eq!(
        four,
        fig - 1,
        "the text before the figure is on the page before it"
    );
    assert_eq!(
        five,
        fig - 1,
        "the paragraph after the figure fills the page the figure left"
    );
    // That page is full: its last line within four lines of the text block's foot (widow
    // and orphan rules may leave a line or two), not the 420 pt the figure takes.
    let left = &pages[fig - 1];
    let block = Block::for_paper(left.width, left.height);
    let lowest = body_words(left).iter().map(|w| w.y1).fold(0.0f64, f64::max);
    assert!(
        lowest > block.bottom - 60.0,
        "page {} ends at {lowest:.1}, the text block at {:.1}",
        fig,
        block.bottom
    );
    // On its page, the figure comes first: the picture at the top of the text block, its
    // caption the first words read there, the text after it.
    let page = &pages[fig];
    let body = body_words(page);
    assert!(
        body[0].text.starts_with("Figcaption"),
        "page {} reads {:?} first",
        fig + 1,
        body.iter().take(5).map(|w| &w.text).collect::<Vec<_>>()
    );
    assert!(body.iter().all(|w| w.y0 >= caption.y0 - 0.5));
    if let Some(top) = picture_top(&pdf, fig, page) {
        let block = Block::for_paper(page.width, page.height);
        assert!(
            (top - block.top).abs() < 3.0,
            "the picture's top is at {top:.1}, the text block's at {:.1}",
            block.top
        );
    }
    // The picture is on that page only.
    if let Some(top) = picture_top(&pdf, fig - 1, left) {
        panic!("the page the figure left shows it too (at {top:.1})");
    }
    // In the tagged PDF's reading order the figure stays where it is written: after
    // paragraph four, before paragraph five (which a reader of page one meets first).
    if let Some(tree) = structure(&pdf) {
        let at = |what: &str| {
            tree.find(what)
                .unwrap_or_else(|| panic!("{what:?} not in the structure:\n{tree}"))
        };
        let (end_four, figure, caption, start_five) = (
            at("endfour"),
            at("Figure"),
            at("Figcaption"),
            at("startfive"),
        );
        assert!(
            end_four < figure && figure < caption && caption < start_five,
            "reading order: {tree}"
        );
    }
}

#[test]
fn a_figure_never_passes_the_next_heading_of_its_level() {
    // The figure does not fit after paragraph four (a short one, so that a heading and two
    // lines still fit under the figure's place); a short paragraph and a heading follow.
    let doc = |heading: &str| {
        let mut md = String::from("---\ntitle: Floats\n---\n\n## First\n\n");
        for tag in ["one", "two", "three"] {
            md.push_str(&para(tag));
        }
        md.push_str("startfour A short paragraph endfour.\n\n");
        md.push_str(FIGURE);
        md.push_str("A short paragraph, shortafter the figure.\n\n");
        md.push_str(&format!("{heading} Nextheading\n\n"));
        for tag in ["five", "six", "seven", "eight", "nine"] {
            md.push_str(&para(tag));
        }
        md
    };
    // A heading of the figure's level: the figure is set before it, even though that leaves
    // the rest of the page empty.
    let (_dir, pdf) = build(&doc("##"));
    let Some(pages) = bbox_pages(&pdf) else {
        return;
    };
    let (fig, caption) = find(&pages, "Figcaption");
    let (head, heading) = find(&pages, "Nextheading");
    let (short, _) = find(&pages, "shortafter");
    assert_eq!(short, fig - 1, "the short paragraph fills the page left");
    assert!(
        (fig, caption.y0) < (head, heading.y0),
        "the figure (page {}) comes before the next level-2 heading (page {})",
        fig + 1,
        head + 1
    );
    // A lower heading does not hold it back: the figure goes past it to the next page.
    let (_dir, pdf) = build(&doc("###"));
    let Some(pages) = bbox_pages(&pdf) else {
        return;
    };
    let (fig, _) = find(&pages, "Figcaption");
    let (head, _) = find(&pages, "Nextheading");
    assert_eq!(
        head,
        fig - 1,
        "the level-3 heading stays on the page the figure left"
    );
    // And never more than the next page: the text after it is there, under it.
    let (four, _) = find(&pages, "endfour");
    assert_eq!(fig, four + 1);
}

#[test]
fn a_captioned_table_floats_and_a_plain_one_splits() {
    let mut md = String::from("---\ntitle: Tables\n---\n\n## First\n\n");
    for tag in ["one", "two", "three", "four"] {
        md.push_str(&para(tag));
    }
    md.push_str("<table>\n<caption>Tabcaption squares</caption>\n");
    md.push_str("<thead><tr><th>Name</th><th>Square</th></tr></thead>\n<tbody>\n");
    for i in 0..22 {
        md.push_str(&format!("<tr><td>cell{i}</td><td>{}</td></tr>\n", i * i));
    }
    md.push_str("</tbody>\n</table>\n\n");
    // Paragraph six is short, so that the plain table's header and first rows fit under it.
    md.push_str(&para("five"));
    md.push_str("startsix A short paragraph endsix.\n\n");
    md.push_str("| Plainhead | Value |\n|---|---|\n");
    for i in 0..70 {
        md.push_str(&format!("| plain{i} | {i} |\n"));
    }
    md.push('\n');
    md.push_str(&para("seven"));
    let (_dir, pdf) = build(&md);
    let Some(pages) = bbox_pages(&pdf) else {
        return;
    };
    // The captioned table heads the next page, whole; paragraph five fills the first.
    let (first_row, row) = find(&pages, "cell0");
    let (last_row, _) = find(&pages, "cell21");
    let (five, _) = find(&pages, "startfive");
    let (four, _) = find(&pages, "endfour");
    assert_eq!((four, five), (0, 0), "paragraph five fills page one");
    assert_eq!(
        (first_row, last_row),
        (1, 1),
        "the table is whole on page two"
    );
    assert!(body_words(&pages[1]).iter().all(|w| w.y0 >= row.y0 - 40.0));
    // The plain table stays where it is written and runs on over the page, its header
    // repeated above the rest.
    let (p0, _) = find(&pages, "plain0");
    let (p69, _) = find(&pages, "plain69");
    let (six, _) = find(&pages, "endsix");
    assert_eq!(p0, six, "the plain table follows paragraph six");
    assert!(p69 > p0, "the plain table splits across pages");
    let heads = pages
        .iter()
        .filter(|p| p.words.iter().any(|w| w.text == "Plainhead"))
        .count();
    assert!(heads >= 2, "its header is repeated ({heads})");
}
