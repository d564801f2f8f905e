//! HTML tables with several header rows and spanning cells in the PDF: a `colspan` cell is set
//! across the columns it spans, a `rowspan` cell from the top of its first row with nothing else
//! drawn in the places it covers (no zebra band either), the rows a `rowspan` joins stay on one
//! page, and every header row is repeated on the pages a table continues on. Checked on
//! `pdftotext -bbox` word boxes (and one rendered page) of the real binary's output.

use crate::pdf::{bbox_pages, build_into, render_gray, Block, BoxPage, Built, Word, TOL};
use crate::util::{tempdir, write};

/// Builds `md` to PDF in a scratch folder; the folder lives as long as the returned guard.
fn build(md: &str) -> (tempfile::TempDir, Built) {
    let dir = tempdir();
    let src = write(dir.path(), "doc.md", md);
    let built = build_into(&src, &dir.path().join("out"), &[]);
    (dir, built)
}

/// Text with white space removed: what survives any line breaking.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts every word of `texts` comes back from `pages`, in one piece.
#[track_caller]
fn assert_complete(pages: &[BoxPage], texts: &[&str]) {
    let all = squeeze(
        &pages
            .iter()
            .flat_map(|p| &p.words)
            .map(|w| w.text.as_str())
            .collect::<String>(),
    );
    for t in texts {
        for w in t.split_whitespace() {
            assert!(
                all.contains(w),
                "'{w}' does not come back from the PDF:\n{all}"
            );
        }
    }
}

/// The one word `text` on `page` (panics when it is missing or not unique).
#[track_caller]
fn word<'a>(page: &'a BoxPage, text: &str) -> &'a Word {
    let found: Vec<&Word> = page.words.iter().filter(|w| w.text == text).collect();
    assert_eq!(
        found.len(),
        1,
        "'{text}' should be on the page once: {found:?}"
    );
    found[0]
}

/// The words of `text`, each found once on `page`, in order.
#[track_caller]
fn words<'a>(page: &'a BoxPage, text: &str) -> Vec<&'a Word> {
    text.split_whitespace().map(|t| word(page, t)).collect()
}

/// Whether two words sit on one line.
fn same_line(a: &Word, b: &Word) -> bool {
    (a.y0 - b.y0).abs() < 1.0
}

/// A table with two header rows (a `rowspan` and a `colspan` among them), a body cell spanning
/// two rows whose four lines are taller than the two rows, and a cell spanning all three
/// columns.
const SPANS: &str = r#"# Spans

Before the table.

<table>
<thead>
<tr><th rowspan="2">Label</th><th colspan="2">Measured dimensions for every specimen</th></tr>
<tr><th>Width</th><th>Height</th></tr>
</thead>
<tbody>
<tr><td rowspan="2">Spanner<br>second<br>third<br>fourth</td><td>wone</td><td>hone</td></tr>
<tr><td>wtwo</td><td>htwo</td></tr>
<tr><td colspan="3">Across each column in one long line here</td></tr>
<tr><td>Plain</td><td>wfour</td><td>hfour</td></tr>
</tbody>
</table>

After the table.
"#;

#[test]
fn table_spans_colspan_cells_are_set_across_their_columns() {
    let (_dir, built) = build(SPANS);
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    let page = &pages[0];
    let (label, width, height) = (
        word(page, "Label"),
        word(page, "Width"),
        word(page, "Height"),
    );
    assert!(
        label.x0 < width.x0 && width.x0 < height.x0,
        "columns out of order: {label:?} {width:?} {height:?}"
    );
    // The header cell spanning the second and third columns: one line, reaching over the
    // third column's start.
    let measured = words(page, "Measured dimensions for every specimen");
    assert!(
        measured.iter().all(|w| same_line(w, measured[0])),
        "the colspan=2 header is not one line: {measured:?}"
    );
    assert!(
        (measured[0].x0 - width.x0).abs() < TOL,
        "the colspan=2 header does not start in its first column: {measured:?} {width:?}"
    );
    let end = measured.last().unwrap().x1;
    assert!(
        end > height.x0 + TOL,
        "the colspan=2 header stays in one column (ends at {end:.1}, third column starts at {:.1})",
        height.x0
    );
    // The body cell spanning all three columns: one line, from the first column's start to
    // beyond the third's, wider than any one column.
    let across = words(page, "Across each column in one long line here");
    assert!(
        across.iter().all(|w| same_line(w, across[0])),
        "the colspan=3 cell is not one line: {across:?}"
    );
    assert!(
        (across[0].x0 - label.x0).abs() < TOL,
        "the colspan=3 cell does not start in the first column: {across:?} {label:?}"
    );
    let end = across.last().unwrap().x1;
    assert!(
        end > height.x0 + TOL,
        "the colspan=3 cell stays in one column (ends at {end:.1}, third column starts at {:.1})",
        height.x0
    );
    let widest = (width.x0 - label.x0).max(height.x0 - width.x0);
    assert!(
        end - across[0].x0 > widest,
        "the colspan=3 line is no wider than one column ({widest:.1})"
    );
    // The cells under the spanning ones are still in their columns.
    let (wfour, hfour) = (word(page, "wfour"), word(page, "hfour"));
    assert!((wfour.x0 - width.x0).abs() < TOL && (hfour.x0 - height.x0).abs() < TOL);
    assert_complete(
        &pages,
        &[
            SPANS_WORDS,
            "Measured dimensions for every specimen",
            "Across each column in one long line here",
        ],
    );
}

/// Every word of the table in [`SPANS`].
const SPANS_WORDS: &str =
    "Label Width Height Spanner second third fourth wone hone wtwo htwo Plain wfour hfour";

#[test]
fn table_spans_rowspan_cell_starts_at_its_first_row_and_spans_the_next() {
    let (_dir, built) = build(SPANS);
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    let page = &pages[0];
    let spanner = words(page, "Spanner second third fourth");
    let (wone, wtwo, label, width) = (
        word(page, "wone"),
        word(page, "wtwo"),
        word(page, "Label"),
        word(page, "Width"),
    );
    // The spanning cell starts on its first row's line.
    assert!(
        same_line(spanner[0], wone),
        "the rowspan cell does not start at the top of its first row: {spanner:?} {wone:?}"
    );
    // The second row follows the first directly: the first row is not stretched to hold the
    // spanning cell (its four lines run on beside the second row).
    assert!(
        wtwo.y0 < spanner[2].y0,
        "the second row of the group does not follow the first: {wone:?} {wtwo:?} {spanner:?}"
    );
    assert!(
        spanner[3].y0 > wtwo.y1,
        "the rowspan cell's last line should be below the second row: {spanner:?} {wtwo:?}"
    );
    // The group is as tall as the spanning cell: the next row starts below its last line.
    let across = word(page, "Across");
    assert!(
        across.y0 > spanner[3].y1,
        "the row after the group overlaps the spanning cell: {across:?} {spanner:?}"
    );
    // Nothing but the spanning cell's lines in the first column from its top to the next row.
    let intruders: Vec<&Word> = page
        .words
        .iter()
        .filter(|w| w.x0 < width.x0 - TOL && w.y0 >= wone.y0 - TOL && w.y1 <= across.y0)
        .filter(|w| !spanner.iter().any(|s| std::ptr::eq(*s, *w)))
        .collect();
    assert!(
        intruders.is_empty(),
        "drawn in the places the rowspan cell covers: {intruders:?}"
    );
    // The first column's cells start where the header's do.
    assert!((spanner[0].x0 - label.x0).abs() < TOL);
    assert_complete(&pages, &[SPANS_WORDS]);

    // Zebra shading: the group's second row is a shaded one, but the spanning cell belongs to
    // the first row, so beside `wtwo` the first column stays white while the second is tinted.
    let Some(gray) = render_gray(&built.pdf, 1, 144) else {
        return;
    };
    let height = word(page, "Height");
    let y = (wtwo.y0 + wtwo.y1) / 2.0;
    // Just left of the boundary of the first and second (second and third) columns, in a
    // cell's right padding, where no text is drawn.
    let first_col = gray.at(width.x0 - 5.5, y);
    let second_col = gray.at(height.x0 - 5.5, y);
    assert!(
        (230..252).contains(&second_col),
        "the second row of the group should be tinted beside wtwo (grey {second_col})"
    );
    assert_eq!(
        first_col, 255,
        "the zebra band of the second row crosses the rowspan cell (grey {first_col})"
    );
}

/// A long table: a two-row header (the first spanning both columns) and `n` body rows.
fn long_table(n: usize) -> String {
    let mut md = String::from(
        "# Long\n\n<table>\n<thead>\n<tr><th colspan=\"2\">Topheading spanning</th></tr>\n\
         <tr><th>Leftname</th><th>Rightname</th></tr>\n</thead>\n<tbody>\n",
    );
    for i in 0..n {
        md.push_str(&format!("<tr><td>left{i}</td><td>right{i}</td></tr>\n"));
    }
    md.push_str("</tbody>\n</table>\n");
    md
}

#[test]
fn table_spans_every_header_row_repeats_on_the_next_page() {
    let n = 120;
    let (_dir, built) = build(&long_table(n));
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    assert!(
        pages.len() >= 2,
        "the table should continue on a second page"
    );
    for (k, page) in pages.iter().enumerate() {
        let Some(first) = page.words.iter().find(|w| w.text.starts_with("left")) else {
            continue;
        };
        let top = word(page, "Topheading");
        let (left, right) = (word(page, "Leftname"), word(page, "Rightname"));
        assert!(
            top.y1 <= left.y0 + TOL && same_line(left, right),
            "page {}: header rows out of order: {top:?} {left:?}",
            k + 1
        );
        assert!(
            left.y1 <= first.y0 + TOL,
            "page {}: the header is not above the body: {left:?} {first:?}",
            k + 1
        );
        // The first header row is not set as a body row anywhere else on the page.
        assert_eq!(
            page.words.iter().filter(|w| w.text == "Leftname").count(),
            1
        );
    }
    let body: Vec<String> = (0..n).map(|i| format!("left{i} right{i}")).collect();
    let body: Vec<&str> = body.iter().map(String::as_str).collect();
    assert_complete(&pages, &body);
}

#[test]
fn table_spans_a_rowspan_group_stays_on_one_page() {
    // Groups of three rows joined by a spanning first cell, enough to fill several pages:
    // each group's rows must share a page.
    let groups = 40;
    let mut md = String::from(
        "# Groups\n\n<table>\n<thead><tr><th>Group</th><th>Item</th></tr></thead>\n<tbody>\n",
    );
    for g in 0..groups {
        md.push_str(&format!(
            "<tr><td rowspan=\"3\">group{g}</td><td>item{g}a</td></tr>\n\
             <tr><td>item{g}b</td></tr>\n<tr><td>item{g}c</td></tr>\n"
        ));
    }
    md.push_str("</tbody>\n</table>\n");
    let (_dir, built) = build(&md);
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    assert!(pages.len() >= 3, "the table should fill several pages");
    let page_of = |text: &str| {
        let found: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.words.iter().any(|w| w.text == text))
            .map(|(k, _)| k)
            .collect();
        assert_eq!(found.len(), 1, "'{text}' should be on one page: {found:?}");
        found[0]
    };
    for g in 0..groups {
        let home = page_of(&format!("group{g}"));
        for r in ["a", "b", "c"] {
            assert_eq!(
                page_of(&format!("item{g}{r}")),
                home,
                "group {g} is split across pages"
            );
        }
    }
}

#[test]
fn table_spans_a_group_taller_than_a_page_is_cut_and_keeps_every_word() {
    // A spanning cell far taller than a page beside two short rows: the group is cut between
    // lines, the text continues on the next pages and nothing is lost or drawn twice.
    let long: Vec<String> = (0..900).map(|i| format!("w{i}")).collect();
    let long = long.join(" ");
    let md = format!(
        "# Tall\n\n<table>\n<tr><th>Head</th><th>Side</th></tr>\n\
         <tr><td rowspan=\"2\">{long}</td><td>sidea</td></tr>\n<tr><td>sideb</td></tr>\n\
         <tr><td>after</td><td>last</td></tr>\n</table>\n"
    );
    let (_dir, built) = build(&md);
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    assert!(
        pages.len() >= 2,
        "the group should continue on a second page"
    );
    let all: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.words)
        .map(|w| w.text.as_str())
        .collect();
    for i in 0..900 {
        let w = format!("w{i}");
        assert_eq!(
            all.iter().filter(|t| **t == w).count(),
            1,
            "'{w}' should come back once"
        );
    }
    for w in ["Head", "Side", "sidea", "sideb", "after", "last"] {
        assert!(all.contains(&w), "'{w}' is missing");
    }
    // The spanning cell's text starts beside its first row, and the row after the group comes
    // after its last word.
    let first = pages
        .iter()
        .position(|p| p.words.iter().any(|w| w.text == "w0"));
    let sidea = pages
        .iter()
        .position(|p| p.words.iter().any(|w| w.text == "sidea"));
    assert_eq!(first, sidea);
    // The group's second row follows its first directly, beside the spanning cell's text
    // (not after all of it).
    let p = &pages[sidea.unwrap()];
    let (a, b) = (word(p, "sidea"), word(p, "sideb"));
    assert!(
        b.y0 > a.y1 && b.y0 - a.y0 < 3.0 * (a.y1 - a.y0),
        "the second row of the group does not follow the first: {a:?} {b:?}"
    );
    let last_page = pages
        .iter()
        .position(|p| p.words.iter().any(|w| w.text == "w899"))
        .unwrap();
    let after_page = pages
        .iter()
        .position(|p| p.words.iter().any(|w| w.text == "after"))
        .unwrap();
    assert!(after_page >= last_page);
    if after_page == last_page {
        let p = &pages[last_page];
        assert!(word(p, "after").y0 > word(p, "w899").y1);
    }
    // No word runs past the text block.
    for page in &pages {
        let block = Block::for_paper(page.width, page.height);
        for w in &page.words {
            assert!(w.x1 <= block.right + TOL, "{w:?} crosses the margin");
        }
    }
}

#[test]
fn table_spans_a_table_without_header_rows_starts_each_page_with_its_rows() {
    // No header rows: nothing (not even an empty row) is repeated above the rows on the
    // pages the table continues on.
    let n = 120;
    let mut md = String::from("# Bare\n\n<table>\n");
    for i in 0..n {
        md.push_str(&format!("<tr><td>left{i}</td><td>right{i}</td></tr>\n"));
    }
    md.push_str("</table>\n");
    let (_dir, built) = build(&md);
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    assert!(
        pages.len() >= 2,
        "the table should continue on a second page"
    );
    let page = &pages[1];
    let block = Block::for_paper(page.width, page.height);
    let first = page
        .words
        .iter()
        .filter(|w| w.text.starts_with("left"))
        .map(|w| w.y0)
        .fold(f64::INFINITY, f64::min);
    let line = {
        let w = word(&pages[0], "left0");
        w.y1 - w.y0
    };
    assert!(
        first - block.top < line,
        "an empty header row tops the second page: first row at {first:.1}, text block at {:.1}",
        block.top
    );
    let body: Vec<String> = (0..n).map(|i| format!("left{i} right{i}")).collect();
    let body: Vec<&str> = body.iter().map(String::as_str).collect();
    assert_complete(&pages, &body);
}

#[test]
fn table_spans_a_long_group_of_short_rows_is_cut_between_rows() {
    // One short spanning cell beside 150 one-line rows: the group is taller than a page, so it
    // is cut, between rows, and on every page the rows keep their even spacing.
    let n = 150;
    let mut md = String::from("# Rows\n\n<table>\n<tr><th>Key</th><th>Value</th></tr>\n");
    for i in 0..n {
        let first = if i == 0 {
            format!("<td rowspan=\"{n}\">spanning</td>")
        } else {
            String::new()
        };
        md.push_str(&format!("<tr>{first}<td>value{i}</td></tr>\n"));
    }
    md.push_str("</table>\n");
    let (_dir, built) = build(&md);
    let Some(pages) = bbox_pages(&built.pdf) else {
        return;
    };
    assert!(pages.len() >= 3, "the group should run over several pages");
    let mut seen = 0;
    let mut pitch = None;
    for (k, page) in pages.iter().enumerate() {
        let rows: Vec<&Word> = page
            .words
            .iter()
            .filter(|w| w.text.starts_with("value"))
            .collect();
        for pair in rows.windows(2) {
            let d = pair[1].y0 - pair[0].y0;
            let p = *pitch.get_or_insert(d);
            assert!(
                (d - p).abs() < 0.5,
                "page {}: rows {} and {} are {d:.2} apart, not {p:.2}",
                k + 1,
                pair[0].text,
                pair[1].text
            );
        }
        // The header is repeated above the rows.
        if !rows.is_empty() {
            assert!(word(page, "Key").y1 <= rows[0].y0 + TOL, "page {}", k + 1);
        }
        seen += rows.len();
    }
    assert_eq!(seen, n, "every row comes back once");
    assert!(same_line(
        word(&pages[0], "spanning"),
        word(&pages[0], "value0")
    ));
}
