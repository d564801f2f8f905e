use super::*;
use crate::doc::plain_text;
use crate::parse::{markdown, parse_str, MetaOverrides};

/// The whole parse of `text` (as `t.md`): blocks and warnings.
fn parse(text: &str) -> (Vec<Block>, Vec<Diagnostic>) {
    let doc = parse_str(Path::new("t.md"), text, &MetaOverrides::default()).expect("parse");
    (doc.blocks, doc.diagnostics)
}

/// Only the Markdown fold and this module's [`read`] (no footnotes, no ids): blocks and warnings.
fn fold_and_read(text: &str) -> (Vec<Block>, Vec<Diagnostic>) {
    let path = Path::new("t.md");
    let mut warnings = Vec::new();
    let index = markdown::LineIndex::new(text, 0, 1, 0);
    let mut labels = Vec::new();
    let folded = markdown::fold(path, text, &index, &mut labels, &mut warnings);
    let mut blocks = folded.blocks;
    read(path, &mut blocks, &mut [], &mut warnings);
    (blocks, warnings)
}

/// Every block, depth first (list items, definitions and containers entered).
fn all_blocks(blocks: &[Block]) -> Vec<Block> {
    let mut copy = blocks.to_vec();
    let mut out = Vec::new();
    crate::doc::visit_blocks_mut(&mut copy, &mut |b| out.push(b.clone()));
    out
}

/// Every piece of text a reader would see in `blocks` (inline lists, code), in order.
fn text(blocks: &[Block]) -> String {
    let mut copy = blocks.to_vec();
    let mut out = String::new();
    let mut push = |inlines: &[Inline]| {
        out.push_str(&plain_text(inlines));
        out.push(' ');
    };
    // Parents before children, so a container's own text (a summary, a term) comes first.
    crate::doc::visit_blocks_mut(&mut copy, &mut |b| match b {
        Block::Paragraph { content, .. } | Block::Heading { content, .. } => push(content),
        Block::Details { summary: c, .. }
        | Block::Figure { caption: c, .. }
        | Block::Listing { caption: c, .. } => push(c),
        Block::CodeBlock { text, .. } => push(&[Inline::Text { text: text.clone() }]),
        Block::DefinitionList { items, .. } => items.iter().for_each(|i| push(&i.term)),
        Block::Table { head, rows, .. } => head
            .iter()
            .chain(rows.iter())
            .flatten()
            .for_each(|c| push(c)),
        _ => {}
    });
    out
}

/// No block or inline left as raw HTML for a backend.
#[track_caller]
fn assert_no_raw_html(blocks: &[Block]) {
    for b in all_blocks(blocks) {
        assert!(
            !matches!(b, Block::Html { .. }),
            "raw HTML block left: {b:?}"
        );
    }
    let mut copy = blocks.to_vec();
    crate::doc::visit_inlines_mut(&mut copy, &mut |i| {
        assert!(
            !matches!(i, Inline::Html { .. }),
            "raw inline HTML left: {i:?}"
        );
    });
}

fn messages(warnings: &[Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| format!("{}:{}: {}", w.line, w.col, w.message))
        .collect()
}

fn texts(cells: &[Vec<Inline>]) -> Vec<String> {
    cells
        .iter()
        .map(|c| plain_text(c).trim().to_owned())
        .collect()
}

#[test]
fn html_details_opened_and_closed_in_different_blocks_holds_the_markdown_between() {
    let src = "Before.\n\n<details>\n<summary>More <em>info</em></summary>\n\nSome **Markdown** here.\n\n- one\n- two\n\n</details>\n\nAfter.\n";
    for (blocks, warnings) in [parse(src), fold_and_read(src)] {
        assert_no_raw_html(&blocks);
        assert!(warnings.is_empty(), "{:?}", messages(&warnings));
        assert_eq!(blocks.len(), 3, "{blocks:#?}");
        assert!(
            matches!(&blocks[0], Block::Paragraph { content, .. } if plain_text(content) == "Before.")
        );
        let Block::Details {
            summary,
            blocks: inner,
            ..
        } = &blocks[1]
        else {
            panic!("no details box: {blocks:#?}");
        };
        assert_eq!(plain_text(summary), "More info");
        assert!(summary.iter().any(|i| matches!(i, Inline::Emph { .. })));
        assert_eq!(inner.len(), 2, "the paragraph and the list: {inner:#?}");
        let Block::Paragraph { content, .. } = &inner[0] else {
            panic!("{inner:#?}");
        };
        assert_eq!(plain_text(content), "Some Markdown here.");
        assert!(content.iter().any(|i| matches!(i, Inline::Strong { .. })));
        assert!(matches!(&inner[1], Block::List { items, .. } if items.len() == 2));
        assert!(
            matches!(&blocks[2], Block::Paragraph { content, .. } if plain_text(content) == "After.")
        );
    }
}

#[test]
fn html_unclosed_script_block_keeps_the_markdown_after_it_with_a_warning() {
    // `<script>` alone opens an HTML block that (CommonMark) runs to the end of the document.
    let src = "Before.\n\n<script>\nvar hidden = 1;\n\nMarkdown **after** it.\n\n# Heading after\n\nLast words.\n";
    let (blocks, warnings) = parse(src);
    assert_no_raw_html(&blocks);
    let shown = text(&blocks);
    let mut failed = Vec::new();
    if shown.contains("hidden") {
        failed.push(format!("script text shown: {shown:?}"));
    }
    for words in [
        "Before.",
        "Markdown after it.",
        "Heading after",
        "Last words.",
    ] {
        if !shown.contains(words) {
            failed.push(format!("{words:?} lost after an unclosed <script>"));
        }
    }
    if !all_blocks(&blocks)
        .iter()
        .any(|b| matches!(b, Block::Heading { level: 1, .. }))
    {
        failed.push("`# Heading after` is not a heading".into());
    }
    // Not the summary of left-out elements: a warning that the element was never closed.
    if !warnings.iter().any(|w| {
        !w.message.starts_with("HTML left out")
            && ["open", "unclosed", "never closed", "not closed"]
                .iter()
                .any(|m| w.message.contains(m))
    }) {
        failed.push(format!(
            "no warning about the unclosed <script> hiding the rest: {:?}",
            messages(&warnings)
        ));
    }
    assert!(
        failed.is_empty(),
        "{}\ntext: {shown:?}\n{blocks:#?}",
        failed.join("\n")
    );
}

#[test]
fn html_unclosed_script_in_a_div_block_gives_back_the_markdown_it_swallowed() {
    // The HTML block ends at the blank line; the parser keeps `<script>` open over the
    // Markdown placeholders that follow.
    let src = "<div><script>var hidden = 1;\n\nMarkdown **after** it.\n\n- item kept\n";
    for (blocks, warnings) in [parse(src), fold_and_read(src)] {
        assert_no_raw_html(&blocks);
        let shown = text(&blocks);
        assert!(!shown.contains("hidden"), "script text shown: {shown}");
        assert!(shown.contains("Markdown after it."), "{blocks:#?}");
        assert!(shown.contains("item kept"), "{blocks:#?}");
        let all = all_blocks(&blocks);
        assert!(
            all.iter().any(|b| matches!(b, Block::List { .. })),
            "{blocks:#?}"
        );
        let m = messages(&warnings);
        assert!(
            m.iter()
                .any(|w| w.contains("the Markdown after it is kept")),
            "no warning about the swallowed Markdown: {m:?}"
        );
        assert!(
            m.iter().any(|w| w.contains("<script> (line 1)")),
            "<script> not named as left out: {m:?}"
        );
    }
}

#[test]
fn html_unclosed_inline_script_gives_back_the_inlines_after_it() {
    let src = "Before <script>hidden() **kept bold** and `kept code`\n";
    let (blocks, warnings) = parse(src);
    assert_no_raw_html(&blocks);
    let mut copy = blocks.clone();
    let mut strong = false;
    let mut code = false;
    crate::doc::visit_inlines_mut(&mut copy, &mut |i| match i {
        Inline::Strong { content } if plain_text(content) == "kept bold" => strong = true,
        Inline::Code { text } if text == "kept code" => code = true,
        _ => {}
    });
    assert!(
        strong && code,
        "Markdown inlines lost after <script>: {blocks:#?}"
    );
    let m = messages(&warnings);
    assert!(
        m.iter().any(|w| w.contains("left an element open")),
        "no warning: {m:?}"
    );
}

#[test]
fn html_table_rowspan_colspan_grid_and_spans() {
    let src = "<table>\n<thead>\n<tr><th colspan=\"2\">AB</th><th>C</th></tr>\n</thead>\n<tbody>\n<tr><td rowspan=\"2\">D</td><td>E</td><td>F</td></tr>\n<tr><td>G</td><td>H</td></tr>\n<tr><td>I</td><td colspan=\"2\" rowspan=\"9\">JK</td></tr>\n</tbody>\n</table>\n";
    for (blocks, warnings) in [parse(src), fold_and_read(src)] {
        assert!(warnings.is_empty(), "{:?}", messages(&warnings));
        let [Block::Table {
            align,
            head,
            rows,
            spans,
            ..
        }] = blocks.as_slice()
        else {
            panic!("not one table: {blocks:#?}");
        };
        assert_eq!(align.len(), 3);
        assert_eq!(head.len(), 1);
        assert_eq!(texts(&head[0]), ["AB", "", "C"]);
        let body: Vec<Vec<String>> = rows.iter().map(|r| texts(r)).collect();
        assert_eq!(
            body,
            [vec!["D", "E", "F"], vec!["", "G", "H"], vec!["I", "JK", ""]]
        );
        // Row 0 is the header row; the last span's rowspan=9 is cut at the table's end.
        assert_eq!(
            spans.as_slice(),
            [
                CellSpan {
                    row: 0,
                    col: 0,
                    rows: 1,
                    cols: 2
                },
                CellSpan {
                    row: 1,
                    col: 0,
                    rows: 2,
                    cols: 1
                },
                CellSpan {
                    row: 3,
                    col: 1,
                    rows: 1,
                    cols: 2
                },
            ]
        );
    }
}

#[test]
fn html_table_several_head_rows_and_th_rows_without_thead() {
    let (blocks, _) = parse("<table>\n<tr><th>H1</th><th>H2</th></tr>\n<tr><th>S1</th><th>S2</th></tr>\n<tr><td>a</td><td>b</td></tr>\n</table>\n");
    let [Block::Table { head, rows, .. }] = blocks.as_slice() else {
        panic!("{blocks:#?}");
    };
    assert_eq!(head.len(), 2, "two leading rows of <th> are header rows");
    assert_eq!(texts(&head[1]), ["S1", "S2"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(texts(&rows[0]), ["a", "b"]);
}

#[test]
fn html_colspan_100000_is_capped_and_loses_no_text() {
    let src = "<table><tr><td colspan=\"100000\">wide</td><td>after</td></tr><tr><td>x</td></tr></table>\n";
    let start = std::time::Instant::now();
    let (blocks, _) = parse(src);
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    let [Block::Table {
        align,
        head,
        rows,
        spans,
        ..
    }] = blocks.as_slice()
    else {
        panic!("{blocks:#?}");
    };
    assert!(
        align.len() <= MAX_COLS + 1,
        "{} columns from colspan=100000",
        align.len()
    );
    for row in head.iter().chain(rows) {
        assert_eq!(row.len(), align.len(), "every row has one cell per column");
    }
    assert!(spans
        .iter()
        .all(|s| s.cols as usize <= MAX_COLS && (s.col + s.cols) as usize <= align.len()));
    let shown = text(&blocks);
    for word in ["wide", "after", "x"] {
        assert!(
            shown.split_whitespace().any(|w| w == word),
            "cell text {word:?} lost with colspan=100000: {shown:?}"
        );
    }
}

#[test]
fn html_rowspan_huge_is_cut_at_the_table_end() {
    let (blocks, _) = parse("<table><tr><td rowspan=\"4000000000\">tall</td><td>b</td></tr><tr><td>c</td></tr></table>\n");
    let [Block::Table { rows, spans, .. }] = blocks.as_slice() else {
        panic!("{blocks:#?}");
    };
    assert_eq!(rows.len(), 2);
    assert_eq!(
        spans.as_slice(),
        [CellSpan {
            row: 0,
            col: 0,
            rows: 2,
            cols: 1
        }]
    );
    assert_eq!(texts(&rows[1]), ["", "c"]);
}

#[test]
fn html_deeply_nested_divs_and_spans_do_not_overflow_the_stack() {
    let n = 10_000;
    let divs = format!("{}deep div text{}\n", "<div>".repeat(n), "</div>".repeat(n));
    let spans = format!(
        "Para {}deep span text{} end.\n",
        "<span>".repeat(n),
        "</span>".repeat(n)
    );
    let mixed = format!(
        "<div>{}<em>mixed</em>{}</div>\n",
        "<div><span>".repeat(n / 2),
        "</span></div>".repeat(n / 2)
    );
    let unclosed = format!("{}never closed\n\nMarkdown after.\n", "<div>".repeat(n));
    // Run on a thread with an ordinary 2 MiB stack, as test threads and rayon workers have.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for (src, want) in [
                (divs, vec!["deep div text"]),
                (spans, vec!["Para", "deep span text", "end."]),
                (mixed, vec!["mixed"]),
                (unclosed, vec!["never closed", "Markdown after."]),
            ] {
                let (blocks, _) = parse(&src);
                assert_no_raw_html(&blocks);
                let shown = text(&blocks);
                for w in want {
                    assert!(shown.contains(w), "{w:?} lost: {shown:?}");
                }
            }
        })
        .unwrap();
    handle.join().expect("deep nesting overflowed or panicked");
}

#[test]
fn html_hostile_inputs_give_text_and_no_panic() {
    let cases: &[(&str, &[&str])] = &[
        ("<table>text<tr>more</tr>\n", &["text", "more"]),
        (
            "<table>text<tr><td>cell</td>more</tr></table> tail\n",
            &["text", "cell", "more", "tail"],
        ),
        ("< notatag <a <b =x>\n", &["notatag"]),
        ("Para < notatag <a <b =x> end\n", &["notatag", "end"]),
        ("<p>< notatag <a <b =x> end</p>\n", &["notatag", "end"]),
        ("&nbsp;&bogus;&#0;&#x110000;\n", &["&bogus;"]),
        (
            "<p>&nbsp;&bogus;&#0;&#x110000; ok</p>\n",
            &["&bogus;", "ok"],
        ),
        ("<div>\n&nbsp;&bogus;&#0;&#x110000;\n</div>\n", &["&bogus;"]),
        (
            "</div></p></table></details>stray closers\n",
            &["stray closers"],
        ),
        ("<td>cell alone</td>\n", &["cell alone"]),
        ("<tr><td>row alone</td></tr>\n", &["row alone"]),
        ("<li>item alone</li>\n", &["item alone"]),
        ("<dd>definition alone</dd>\n", &["definition alone"]),
        ("<summary>summary alone</summary>\n", &["summary alone"]),
        (
            "<figcaption>caption alone</figcaption>\n",
            &["caption alone"],
        ),
        ("<rt>reading alone</rt> base\n", &["base"]),
        ("<ruby>漢<rt>kan</rt>字<rt>ji</rt></ruby>\n", &["漢", "字"]),
        ("<a href=\"#\">empty target</a>\n", &["empty target"]),
        (
            "<img>\n\n<img src=\"\">\n\ntext after images\n",
            &["text after images"],
        ),
        (
            "<svg><text>svg text</text></svg> after svg\n",
            &["after svg"],
        ),
        ("<p>\u{0}nul\u{0}</p>\n", &["nul"]),
        ("<h7>h seven</h7>\n", &["h seven"]),
        (
            "<table><caption>cap only</caption></table>\n",
            &["cap only"],
        ),
        (
            "<select><option>opt</option></select> after form\n",
            &["after form"],
        ),
        ("<!-- unclosed comment\n\nMarkdown after comment.\n", &[]),
        ("<![CDATA[ cdata ]]> after cdata\n", &[]),
        ("<?php echo 1; ?> after pi\n", &[]),
        ("<!DOCTYPE html> after doctype\n", &[]),
    ];
    for (src, want) in cases {
        let result = std::panic::catch_unwind(|| parse(src));
        let (blocks, _) = result.unwrap_or_else(|_| panic!("panicked on {src:?}"));
        assert_no_raw_html(&blocks);
        let shown = text(&blocks);
        for w in *want {
            assert!(
                shown.contains(w),
                "{src:?}: {w:?} lost, got {shown:?}\n{blocks:#?}"
            );
        }
    }
}

#[test]
fn html_entities_decode_like_a_browser() {
    // In Markdown text and in HTML: `&nbsp;` is U+00A0 (a non-breaking space is content, never
    // trimmed), an unknown entity stays as written, `&#0;` and out-of-range references are U+FFFD.
    let mut failed = Vec::new();
    for src in [
        "&nbsp;&bogus;&#0;&#x110000;\n",
        "<p>&nbsp;&bogus;&#0;&#x110000;</p>\n",
        "<div>&nbsp;&bogus;&#0;&#x110000;</div>\n",
        "Inline <b>&nbsp;&bogus;&#0;&#x110000;</b>\n",
        "<p>&nbsp;&nbsp;indented by two</p>\n",
    ] {
        let (blocks, _) = parse(src);
        let shown = text(&blocks);
        let want = if src.contains("indented") {
            "\u{a0}\u{a0}indented by two"
        } else {
            "\u{a0}&bogus;\u{fffd}\u{fffd}"
        };
        if !shown.contains(want) {
            failed.push(format!("{src:?} gave {shown:?}, want {want:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn html_task_list_items_from_checkboxes() {
    let src = "<ul>\n<li><input type=checkbox checked> done</li>\n<li><input type=\"checkbox\"> todo</li>\n<li>plain</li>\n</ul>\n";
    for (blocks, warnings) in [parse(src), fold_and_read(src)] {
        assert!(
            warnings.is_empty(),
            "a checkbox is not left-out content: {:?}",
            messages(&warnings)
        );
        let [Block::List { start, items, .. }] = blocks.as_slice() else {
            panic!("{blocks:#?}");
        };
        assert_eq!(*start, None);
        let tasks: Vec<Option<bool>> = items.iter().map(|i| i.task).collect();
        assert_eq!(tasks, [Some(true), Some(false), None]);
        let words: Vec<String> = items
            .iter()
            .map(|i| text(&i.blocks).trim().to_owned())
            .collect();
        assert_eq!(words, ["done", "todo", "plain"]);
    }
}

#[test]
fn html_ordered_list_start_and_definition_list() {
    let (blocks, _) = parse("<ol start=\"3\"><li>three</li><li>four</li></ol>\n\n<dl><dt>Term</dt><dd>Def one</dd><dd>Def two</dd><div><dt>T2</dt><dd>D2</dd></div></dl>\n");
    assert!(
        matches!(&blocks[0], Block::List { start: Some(3), items, .. } if items.len() == 2),
        "{blocks:#?}"
    );
    let Block::DefinitionList { items, .. } = &blocks[1] else {
        panic!("{blocks:#?}");
    };
    assert_eq!(items.len(), 2);
    assert_eq!(plain_text(&items[0].term), "Term");
    assert_eq!(items[0].definitions.len(), 2);
    assert_eq!(plain_text(&items[1].term), "T2");
}

#[test]
fn html_left_out_elements_in_one_warning_with_lines_unknown_once_per_tag() {
    let src = "Intro.\n\n<style>\n.css-secret { color: red }\n</style>\n\n<script>var scriptSecret = 1;</script>\n\n<iframe src=\"x\">iframe secret</iframe>\n\nText <foo-bar>custom one</foo-bar> and <foo-bar>custom two</foo-bar>.\n\n<noscript>noscript secret</noscript>\n";
    let (blocks, warnings) = parse(src);
    assert_no_raw_html(&blocks);
    let shown = text(&blocks);
    for secret in [
        "css-secret",
        "scriptSecret",
        "iframe secret",
        "noscript secret",
    ] {
        assert!(!shown.contains(secret), "{secret:?} shown: {shown:?}");
    }
    assert!(
        shown.contains("custom one") && shown.contains("custom two"),
        "{shown:?}"
    );
    let m = messages(&warnings);
    let left: Vec<&String> = m.iter().filter(|w| w.contains("<style>")).collect();
    assert_eq!(left.len(), 1, "{m:?}");
    for part in [
        "<style> (line 3)",
        "<script> (line 7)",
        "<iframe> (line 9)",
        "<noscript> (line 13)",
    ] {
        assert!(left[0].contains(part), "{part:?} not in {:?}", left[0]);
    }
    let unknown: Vec<&String> = m.iter().filter(|w| w.contains("<foo-bar>")).collect();
    assert_eq!(unknown.len(), 1, "one warning per unknown tag: {m:?}");
    assert!(unknown[0].starts_with("11:"), "{unknown:?}");
    assert_eq!(m.len(), 2, "{m:?}");
}

#[test]
fn html_inline_elements_map_to_model_inlines() {
    let (blocks, warnings) = parse("A <sup>up</sup> <sub>down</sub> <kbd>Ctrl</kbd> <code>c&lt;d</code> <i>it</i> <b>bo</b> <s>st</s> <u>un</u> <mark>hi</mark> <small>sm</small> <abbr title=\"Hyper  Text\">HT</abbr> <q>quoted</q> <ruby>base<rp>(</rp><rt>reading</rt><rp>)</rp></ruby> <span id=\"sid\">sp</span> <a name=\"nm\">named</a><br>next\n");
    assert!(warnings.is_empty(), "{:?}", messages(&warnings));
    let [Block::Paragraph { content, .. }] = blocks.as_slice() else {
        panic!("{blocks:#?}");
    };
    let has = |f: &dyn Fn(&Inline) -> bool| content.iter().any(f);
    assert!(has(
        &|i| matches!(i, Inline::Superscript { content } if plain_text(content) == "up")
    ));
    assert!(has(
        &|i| matches!(i, Inline::Subscript { content } if plain_text(content) == "down")
    ));
    assert!(has(
        &|i| matches!(i, Inline::Span { kind: SpanKind::Keyboard, content, .. } if plain_text(content) == "Ctrl")
    ));
    assert!(has(
        &|i| matches!(i, Inline::Code { text } if text == "c<d")
    ));
    assert!(has(&|i| matches!(i, Inline::Emph { .. })));
    assert!(has(&|i| matches!(i, Inline::Strong { .. })));
    assert!(has(&|i| matches!(i, Inline::Strike { .. })));
    assert!(has(&|i| matches!(
        i,
        Inline::Span {
            kind: SpanKind::Underline,
            ..
        }
    )));
    assert!(has(&|i| matches!(
        i,
        Inline::Span {
            kind: SpanKind::Highlight,
            ..
        }
    )));
    assert!(has(&|i| matches!(
        i,
        Inline::Span {
            kind: SpanKind::Small,
            ..
        }
    )));
    assert!(has(
        &|i| matches!(i, Inline::Abbr { title, content } if title == "Hyper Text" && plain_text(content) == "HT")
    ));
    assert!(has(
        &|i| matches!(i, Inline::Ruby { base, text } if plain_text(base) == "base" && text == "reading")
    ));
    assert!(has(&|i| matches!(i, Inline::Anchor { id } if id == "sid")));
    assert!(has(&|i| matches!(i, Inline::Anchor { id } if id == "nm")));
    assert!(has(&|i| matches!(i, Inline::HardBreak)));
    let plain = plain_text(content);
    assert!(plain.contains("\u{201C}quoted\u{201D}"), "{plain:?}");
    assert!(
        !plain.contains('('),
        "<rp> text is not base text: {plain:?}"
    );
}

#[test]
fn html_img_in_paragraph_link_div_and_cell_are_images() {
    let (blocks, _) = parse("<p>In p <img src=\"p.png\" alt=\"P\"></p>\n\n<p><a href=\"https://x.org/\"><img src=\"a.png\" alt=\"A\"></a></p>\n\n<div><img src=\"div.png\"></div>\n\n<table><tr><td><img src=\"td.png\"></td></tr></table>\n");
    let mut copy = blocks.clone();
    let mut urls = Vec::new();
    let mut linked = false;
    crate::doc::visit_inline_lists_mut(&mut copy, &mut |list, _| {
        for i in list.iter() {
            match i {
                Inline::Image { url, .. } => urls.push(url.clone()),
                Inline::Link { url, content, .. }
                    if url == "https://x.org/"
                        && content.iter().any(|c| matches!(c, Inline::Image { .. })) =>
                {
                    linked = true
                }
                _ => {}
            }
        }
    });
    assert_eq!(urls, ["p.png", "a.png", "div.png", "td.png"], "{blocks:#?}");
    assert!(
        linked,
        "the badge image is not inside its link: {blocks:#?}"
    );
}

#[test]
fn html_alignment_headings_ids_figure_and_center() {
    let (blocks, _) = parse("<h2 id=\"sec\" align=\"center\">Centred heading</h2>\n\n<p align=\"center\">mid</p>\n\n<div align=\"right\">right</div>\n\n<center>centre</center>\n\n<div id=\"box\">in box</div>\n\n<figure>\n<img src=\"f.png\" alt=\"F\">\n<figcaption>The caption</figcaption>\n</figure>\n");
    let all = all_blocks(&blocks);
    assert!(
        all.iter()
            .any(|b| matches!(b, Block::Heading { level: 2, id, .. } if id == "sec")),
        "{blocks:#?}"
    );
    // Aligned headings stay headings (for the contents and the EPUB's chapters) and carry
    // their alignment as a class.
    let aligned: Vec<(Align, String)> = all
        .iter()
        .filter_map(|b| match b {
            Block::Aligned { align, blocks, .. } => Some((*align, text(blocks).trim().to_owned())),
            Block::Heading {
                classes, content, ..
            } if classes.iter().any(|c| c == "align-center") => Some((
                Align::Center,
                crate::doc::plain_text(content).trim().to_owned(),
            )),
            _ => None,
        })
        .collect();
    for want in [
        (Align::Center, "Centred heading"),
        (Align::Center, "mid"),
        (Align::Right, "right"),
        (Align::Center, "centre"),
    ] {
        assert!(
            aligned.iter().any(|(a, t)| *a == want.0 && t == want.1),
            "{want:?} not aligned: {aligned:?}"
        );
    }
    let has_box_anchor = all
        .iter()
        .any(|b| matches!(b, Block::Anchor { id, .. } if id == "box"))
        || {
            let mut copy = blocks.clone();
            let mut found = false;
            crate::doc::visit_inlines_mut(&mut copy, &mut |i| {
                found |= matches!(i, Inline::Anchor { id } if id == "box")
            });
            found
        };
    assert!(has_box_anchor, "<div id=box> is no anchor: {blocks:#?}");
    let figure = all.iter().find_map(|b| match b {
        Block::Figure {
            caption, blocks, ..
        } => Some((plain_text(caption), blocks.clone())),
        _ => None,
    });
    let (caption, inner) = figure.unwrap_or_else(|| panic!("no figure: {blocks:#?}"));
    assert_eq!(caption, "The caption");
    let mut inner = inner;
    let mut image = false;
    crate::doc::visit_inlines_mut(&mut inner, &mut |i| {
        image |= matches!(i, Inline::Image { url, .. } if url == "f.png")
    });
    assert!(image, "the figure lost its image: {blocks:#?}");
}

#[test]
fn html_comments_and_markers_leave_nothing() {
    let (blocks, warnings) = parse("Text <!-- inline secret --> more.\n\n<!-- block secret -->\n\n<p>p <!-- nested secret --> q</p>\n\n<!--\u{E000}0-->fake marker\n");
    let shown = text(&blocks);
    assert!(!shown.contains("secret"), "{shown:?}");
    assert!(shown.contains("fake marker"), "{shown:?}");
    assert!(warnings.is_empty(), "{:?}", messages(&warnings));
}

#[test]
fn html_paragraph_holding_only_left_out_elements_leaves_no_empty_paragraph() {
    // `<noscript>` and `<template>` followed by text on their line are inline HTML in a
    // paragraph of their own; once they are left out, nothing of that paragraph remains.
    let (blocks, _) = parse("A.\n\n<noscript>zz</noscript>\n\n<template>tt</template>\n\n<input type=\"text\" value=\"v\">\n\nB.\n");
    let empty: Vec<&Block> = blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph { content, .. } if plain_text(content).trim().is_empty()))
        .collect();
    assert!(empty.is_empty(), "empty paragraphs left: {blocks:#?}");
    assert_eq!(
        text(&blocks).split_whitespace().collect::<Vec<_>>(),
        ["A.", "B."]
    );
}

#[test]
fn a_dir_attribute_gives_its_blocks_a_direction() {
    use crate::doc::Direction;
    let (blocks, warnings) = parse(
        "<div dir=\"rtl\">\n<h2>Title</h2>\n<p>שלום</p>\n</div>\n\n\
         <p dir=\"LTR\" align=\"center\">mid</p>\n\n<p dir=\"sideways\">plain</p>\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let all = all_blocks(&blocks);
    let directed: Vec<(Align, Option<Direction>, String)> = all
        .iter()
        .filter_map(|b| match b {
            Block::Aligned {
                align, dir, blocks, ..
            } => Some((*align, *dir, text(blocks).trim().to_owned())),
            _ => None,
        })
        .collect();
    assert_eq!(
        directed,
        [
            (Align::None, Some(Direction::Rtl), "שלום".to_owned()),
            (Align::Center, Some(Direction::Ltr), "mid".to_owned()),
        ],
        "{blocks:#?}"
    );
    // The heading stays at the top level (the contents and the outline look for it there);
    // an unknown direction is ignored and the paragraph kept.
    assert!(
        blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { level: 2, .. })),
        "{blocks:#?}"
    );
    assert!(text(&blocks).contains("plain"));
}

/// The runs of `blocks` marked with a language: (language, their text), in order.
fn lang_runs(blocks: &[Block]) -> Vec<(String, String)> {
    let mut copy = blocks.to_vec();
    let mut out = Vec::new();
    crate::doc::visit_inlines_mut(&mut copy, &mut |i| {
        if let Inline::Span {
            lang: Some(lang),
            content,
            ..
        } = i
        {
            out.push((lang.clone(), plain_text(content)));
        }
    });
    out
}

#[test]
fn a_lang_attribute_marks_its_inline_run() {
    let (blocks, warnings) = parse(
        "The <span lang=\"fr\">savoir-faire</span> of <i lang=\"la\">in vitro</i>, \
         <q lang=\"de\">Zeitgeist</q> and <u xml:lang=\"it\">dolce</u>.\n",
    );
    assert!(warnings.is_empty(), "{:?}", messages(&warnings));
    assert_eq!(
        lang_runs(&blocks),
        [
            ("fr".to_owned(), "savoir-faire".to_owned()),
            ("la".to_owned(), "in vitro".to_owned()),
            ("de".to_owned(), "\u{201C}Zeitgeist\u{201D}".to_owned()),
            ("it".to_owned(), "dolce".to_owned()),
        ],
        "{blocks:#?}"
    );
    let Block::Paragraph { content, .. } = &blocks[0] else {
        panic!("{blocks:#?}");
    };
    // The span holds exactly its own text (not the text before it), the italic keeps its
    // emphasis inside the run, and the underline carries the language itself.
    assert_eq!(
        content[0],
        Inline::Text {
            text: "The ".into()
        }
    );
    assert!(
        matches!(&content[1], Inline::Span { kind: SpanKind::Plain, lang: Some(l), content }
            if l == "fr" && content == &[Inline::Text { text: "savoir-faire".into() }]),
        "{content:#?}"
    );
    assert!(
        content.iter().any(
            |i| matches!(i, Inline::Span { kind: SpanKind::Plain, content, .. }
            if matches!(content.as_slice(), [Inline::Emph { .. }]))
        ),
        "{content:#?}"
    );
    assert!(
        content.iter().any(|i| matches!(i, Inline::Span { kind: SpanKind::Underline, lang: Some(l), .. } if l == "it")),
        "{content:#?}"
    );
    assert_eq!(
        plain_text(content),
        "The savoir-faire of in vitro, \u{201C}Zeitgeist\u{201D} and dolce."
    );
}

#[test]
fn a_lang_attribute_puts_its_blocks_in_that_language() {
    let (blocks, warnings) = parse(
        "<p lang=\"ar\">مرحبا</p>\n\n<div lang=\"fr\">\n<h2>Titre</h2>\n<p>Un.</p>\n\n\
         Du *Markdown*.\n\n</div>\n\n<p dir=\"rtl\" lang=\"he\">שלום</p>\n\n\
         <ul><li lang=\"es\">uno</li><li>two</li></ul>\n\n\
         <table><tr><td lang=\"ja\">日本</td><td>x</td></tr></table>\n",
    );
    assert!(warnings.is_empty(), "{:?}", messages(&warnings));
    let marked: Vec<(Option<String>, Option<crate::doc::Direction>, String)> = all_blocks(&blocks)
        .iter()
        .filter_map(|b| match b {
            Block::Aligned {
                lang, dir, blocks, ..
            } => Some((lang.clone(), *dir, text(blocks).trim().to_owned())),
            _ => None,
        })
        .collect();
    assert_eq!(
        marked,
        [
            (Some("ar".to_owned()), None, "مرحبا".to_owned()),
            (Some("fr".to_owned()), None, "Un. Du Markdown.".to_owned()),
            (
                Some("he".to_owned()),
                Some(crate::doc::Direction::Rtl),
                "שלום".to_owned()
            ),
            (Some("es".to_owned()), None, "uno".to_owned()),
        ],
        "{blocks:#?}"
    );
    // The heading stays at the top level, its text a run in French; the cell's text is a run.
    assert!(
        blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { level: 2, content, .. }
            if matches!(content.as_slice(), [Inline::Span { lang: Some(l), .. }] if l == "fr"))),
        "{blocks:#?}"
    );
    assert!(lang_runs(&blocks).contains(&("ja".to_owned(), "日本".to_owned())));
}

#[test]
fn a_malformed_lang_is_a_warning_and_the_text_stays() {
    let (blocks, warnings) = parse("Line one.\n\nSee <span lang=\"fr_FR!\">ceci</span> here.\n");
    assert_eq!(lang_runs(&blocks), []);
    assert!(text(&blocks).contains("See ceci here."), "{blocks:#?}");
    assert_eq!(warnings.len(), 1, "{:?}", messages(&warnings));
    let w = &warnings[0];
    assert_eq!(w.code, crate::error::Code::Html);
    assert_eq!(w.line, 3);
    assert!(w.message.contains("fr_FR!"), "{}", w.message);
    // An empty `lang` (unknown language) marks nothing and says nothing.
    let (blocks, warnings) = parse("<p lang=\"\">x</p>\n");
    assert!(warnings.is_empty() && lang_runs(&blocks).is_empty());
    assert!(!all_blocks(&blocks)
        .iter()
        .any(|b| matches!(b, Block::Aligned { .. })));
}
