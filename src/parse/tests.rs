//! The model pinned construct by construct: what each piece of Markdown parses into.

use super::{parse_str, MetaOverrides};
use crate::doc::{AlertKind, Align, Block, Document, Inline, ListItem};
use std::path::Path;

fn parse(md: &str) -> Document {
    parse_str(Path::new("t.md"), md, &MetaOverrides::default()).expect("parses")
}

fn text(t: &str) -> Inline {
    Inline::Text { text: t.into() }
}

fn para(doc: &Document, i: usize) -> &[Inline] {
    match &doc.blocks[i] {
        Block::Paragraph { content, .. } => content,
        other => panic!("block {i} is not a paragraph: {other:?}"),
    }
}

#[test]
fn inline_styles() {
    let d = parse("*e* **s** ~~x~~ `c` ^up^ ~dn~ <kbd>k</kbd>");
    let p = para(&d, 0);
    assert_eq!(
        p[0],
        Inline::Emph {
            content: vec![text("e")]
        }
    );
    assert_eq!(
        p[2],
        Inline::Strong {
            content: vec![text("s")]
        }
    );
    assert_eq!(
        p[4],
        Inline::Strike {
            content: vec![text("x")]
        }
    );
    assert_eq!(p[6], Inline::Code { text: "c".into() });
    assert_eq!(
        p[8],
        Inline::Superscript {
            content: vec![text("up")]
        }
    );
    assert_eq!(
        p[10],
        Inline::Subscript {
            content: vec![text("dn")]
        }
    );
    assert_eq!(
        p[12],
        Inline::Span {
            kind: crate::doc::SpanKind::Keyboard,
            lang: None,
            content: vec![text("k")]
        }
    );
}

#[test]
fn smart_punctuation_and_breaks() {
    let d = parse("\"Hi\" -- it's...\nnext  \nhard\\\nend");
    let p = para(&d, 0);
    assert_eq!(p[0], text("“Hi” – it’s…"));
    assert_eq!(p[1], Inline::SoftBreak);
    assert!(p.contains(&Inline::HardBreak));
    assert_eq!(p.iter().filter(|i| **i == Inline::HardBreak).count(), 2);
}

#[test]
fn links_images_autolinks() {
    let d = parse("[a](http://x.org \"T\") <https://y.org> <me@z.org> ![alt *b*](i.png \"cap\")");
    let p = para(&d, 0);
    assert_eq!(
        p[0],
        Inline::Link {
            url: "http://x.org".into(),
            title: "T".into(),
            content: vec![text("a")],
            loc: crate::doc::Loc {
                len: 21,
                file: 0,
                line: 1,
                col: 1
            },
        }
    );
    assert_eq!(
        p[2],
        Inline::Link {
            url: "https://y.org".into(),
            title: String::new(),
            content: vec![text("https://y.org")],
            loc: crate::doc::Loc {
                len: 15,
                file: 0,
                line: 1,
                col: 23
            },
        }
    );
    assert_eq!(
        p[4],
        Inline::Link {
            url: "mailto:me@z.org".into(),
            title: String::new(),
            content: vec![text("me@z.org")],
            loc: crate::doc::Loc {
                len: 10,
                file: 0,
                line: 1,
                col: 39
            },
        }
    );
    assert_eq!(
        p[6],
        Inline::Image {
            // The whole `![alt *b*](i.png "cap")`.
            loc: crate::doc::Loc {
                file: 0,
                line: 1,
                col: 50,
                len: 23
            },
            url: "i.png".into(),
            title: "cap".into(),
            alt: vec![
                text("alt "),
                Inline::Emph {
                    content: vec![text("b")]
                }
            ]
        }
    );
}

#[test]
fn headings_get_unique_ids_and_attributes() {
    let d = parse("# Intro\n\n## Intro\n\n### Custom {#intro .wide data-x=1}\n\n# Intro\n");
    let ids: Vec<_> = d
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    // The explicit `intro` is claimed first; automatic slugs step around it.
    assert_eq!(ids, ["intro-1", "intro-2", "intro", "intro-3"]);
    match &d.blocks[2] {
        Block::Heading {
            level,
            classes,
            attrs,
            ..
        } => {
            assert_eq!(*level, 3);
            assert_eq!(classes, &["wide"]);
            assert_eq!(attrs, &[("data-x".to_owned(), "1".to_owned())]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(d.meta.title, "Intro");
}

#[test]
fn footnotes_resolve_in_order_of_first_reference() {
    let d =
        parse("A[^b] B[^a] C[^b] D[^missing]\n\n[^a]: Note a.\n[^b]: Note b.\n[^unused]: Never.\n");
    let p = para(&d, 0);
    assert_eq!(
        p[1],
        Inline::Note {
            number: 1,
            blocks: vec![Block::Paragraph {
                content: vec![text("Note b.")],
                loc: p_loc(&p[1])
            }]
        }
    );
    assert!(matches!(&p[3], Inline::Note { number: 2, .. }));
    assert_eq!(p[5], Inline::NoteRef { number: 1 });
    assert_eq!(
        p[6],
        text(" D[^missing]"),
        "an undefined reference stays as written"
    );
    let messages: Vec<_> = d.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("[^missing]") && m.contains("never defined")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("[^unused]") && m.contains("never referenced")),
        "{messages:?}"
    );
}

fn p_loc(note: &Inline) -> crate::doc::Loc {
    match note {
        Inline::Note { blocks, .. } => blocks[0].loc(),
        _ => crate::doc::Loc::default(),
    }
}

#[test]
fn self_referencing_footnote_terminates() {
    let d = parse("X[^a]\n\n[^a]: See[^a].\n");
    assert!(matches!(&para(&d, 0)[1], Inline::Note { number: 1, .. }));
}

#[test]
fn lists_tasks_and_tightness() {
    let d = parse("3. a\n4. b\n\n- [x] done\n- [ ] todo\n\n* loose\n\n* list\n");
    match &d.blocks[0] {
        Block::List {
            start,
            tight,
            items,
            ..
        } => {
            assert_eq!((*start, *tight, items.len()), (Some(3), true, 2));
        }
        other => panic!("{other:?}"),
    }
    match &d.blocks[1] {
        Block::List {
            start: None, items, ..
        } => {
            assert_eq!(items[0].task, Some(true));
            assert_eq!(items[1].task, Some(false));
            assert_eq!(
                items[0].blocks,
                vec![Block::Paragraph {
                    content: vec![text("done")],
                    loc: items[0].blocks[0].loc()
                }]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&d.blocks[2], Block::List { tight: false, .. }));
}

#[test]
fn tables_keep_alignment_and_pad_rows() {
    let d = parse("| a | b | c |\n|:--|:-:|--:|\n| 1 |\n");
    match &d.blocks[0] {
        Block::Table {
            align, head, rows, ..
        } => {
            assert_eq!(align, &[Align::Left, Align::Center, Align::Right]);
            assert_eq!(head.len(), 1);
            assert_eq!(head[0].len(), 3);
            assert_eq!(
                rows[0].len(),
                3,
                "short rows are padded to the column count"
            );
            assert_eq!(rows[0][0], vec![text("1")]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn quotes_alerts_definitions_code_math_html_rules() {
    let md = "> q\n\n> [!WARNING]\n> w\n\nTerm\n: Def\n\n```rust ignore\nfn x() {}\n```\n\n$a^2$ and $$b$$\n\n<div>h</div>\n\n---\n";
    let d = parse(md);
    assert!(matches!(&d.blocks[0], Block::Quote { blocks, .. } if blocks.len() == 1));
    assert!(matches!(
        &d.blocks[1],
        Block::Alert {
            kind: AlertKind::Warning,
            ..
        }
    ));
    match &d.blocks[2] {
        Block::DefinitionList { items, .. } => {
            assert_eq!(items[0].term, vec![text("Term")]);
            assert_eq!(items[0].definitions.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    match &d.blocks[3] {
        Block::CodeBlock {
            lang,
            info,
            text,
            loc,
        } => {
            assert_eq!(lang.as_deref(), Some("rust"));
            assert_eq!(info, "rust ignore");
            assert_eq!(text, "fn x() {}\n");
            assert_eq!((loc.line, loc.col), (9, 1));
        }
        other => panic!("{other:?}"),
    }
    let p = para(&d, 4);
    assert_eq!(
        p[0],
        Inline::Math {
            loc: crate::doc::Loc {
                file: 0,
                line: 13,
                col: 1,
                len: 5
            },
            display: false,
            tex: "a^2".into()
        }
    );
    assert_eq!(
        p[2],
        Inline::Math {
            loc: crate::doc::Loc {
                file: 0,
                line: 13,
                col: 11,
                len: 5
            },
            display: true,
            tex: "b".into()
        }
    );
    // Raw HTML is read into the model: a `<div>` holding text is a paragraph.
    assert!(
        matches!(&d.blocks[5], Block::Paragraph { content, .. } if content == &[text("h")]),
        "{:?}",
        d.blocks[5]
    );
    assert!(matches!(&d.blocks[6], Block::Rule { .. }));
}

#[test]
fn front_matter_locations_and_overrides() {
    let md = "---\ntitle: T\nauthor: [A, B]\nlang: az\ntoc: true\n---\n# H\n";
    let d = parse(md);
    assert_eq!(d.meta.title, "T");
    assert_eq!(d.meta.authors, ["A", "B"]);
    assert_eq!(d.meta.lang, "az");
    assert_eq!(d.meta.toc, Some(true));
    assert_eq!(
        d.blocks[0].loc().line,
        7,
        "lines count from the top of the file"
    );
    let o = MetaOverrides {
        title: Some("O".into()),
        lang: Some("vi".into()),
        ..MetaOverrides::default()
    };
    let d = parse_str(Path::new("t.md"), md, &o).unwrap();
    assert_eq!((d.meta.title.as_str(), d.meta.lang.as_str()), ("O", "vi"));
    let d = parse("no title here");
    assert_eq!((d.meta.title.as_str(), d.meta.lang.as_str()), ("t", "en"));
}

#[test]
fn front_matter_errors_name_the_line() {
    let err = parse_str(
        Path::new("t.md"),
        "---\ntitle: ok\nauthor: {a: 1}\n---\n",
        &MetaOverrides::default(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("t.md:3:"), "{err}");
    let err = parse_str(
        Path::new("t.md"),
        "+++\ntitle = \n+++\n",
        &MetaOverrides::default(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("t.md:2:"), "{err}");
    let d = parse("---\nflavour: x\n---\n");
    assert!(d.diagnostics[0].message.contains("`flavour`"));
}

#[test]
fn deep_nesting_is_flattened_not_lost() {
    let md = format!("{}deep", "> ".repeat(500));
    let d = parse(&md);
    let mut depth = 0;
    let mut blocks = &d.blocks;
    while let Some(Block::Quote { blocks: inner, .. }) = blocks.first() {
        depth += 1;
        blocks = inner;
    }
    assert!(depth <= super::markdown::MAX_DEPTH + 1);
    assert_eq!(
        blocks.first().map(|b| matches!(b, Block::Paragraph { .. })),
        Some(true)
    );
    assert!(serde_json::to_string(&d).unwrap().contains("deep"));
    let _ = ListItem {
        task: None,
        blocks: Vec::new(),
    };
}

#[test]
fn plain_text_title_and_split_sentences() {
    let d = parse_str(
        Path::new("p.txt"),
        "Press Release\n\nThe company said\n\nthat it grew.\n",
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(d.meta.title, "Press Release");
    assert_eq!(d.blocks.len(), 2);
    assert_eq!(para(&d, 1)[2], text("that it grew."));
}

/// The listing blocks of a document, depth first.
fn listings(blocks: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Listing { blocks, .. } => {
                out.push(b);
                out.extend(listings(blocks));
            }
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => {
                out.extend(listings(blocks))
            }
            Block::List { items, .. } => items.iter().for_each(|i| out.extend(listings(&i.blocks))),
            _ => {}
        }
    }
    out
}

#[test]
fn listing_wraps_its_blocks_with_number_file_and_caption() {
    let md = "Intro\n\n<Listing number=\"2-1\" file-name=\"src/main.rs\" caption=\"A `Rectangle` *struct*\">\n\n```rust,ignore\nfn main() {}\n```\n\n</Listing>\n\nAfter\n";
    let d = parse(md);
    assert_eq!(d.blocks.len(), 3, "{:#?}", d.blocks);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    let Block::Listing {
        number,
        file_name,
        caption,
        blocks,
        loc,
    } = &d.blocks[1]
    else {
        panic!("not a listing: {:?}", d.blocks[1]);
    };
    assert_eq!(number.as_deref(), Some("2-1"));
    assert_eq!(file_name.as_deref(), Some("src/main.rs"));
    assert_eq!(
        caption,
        &vec![
            text("A "),
            Inline::Code {
                text: "Rectangle".into()
            },
            text(" "),
            Inline::Emph {
                content: vec![text("struct")]
            },
        ]
    );
    assert_eq!(loc.line, 3);
    assert!(
        matches!(&blocks[..], [Block::CodeBlock { lang: Some(l), text, .. }]
        if l == "rust" && text == "fn main() {}\n")
    );
    assert_eq!(para(&d, 2), &[text("After")]);
}

#[test]
fn listing_attributes_in_any_order_with_entities() {
    let md = "<Listing caption='Uses &quot;&lt;T&gt;&quot; &amp; `&str`' number=\"1-2\"\n   file-name=\"a &amp; b.rs\">\n\ncode\n\n</Listing>\n";
    let d = parse(md);
    let [Block::Listing {
        number,
        file_name,
        caption,
        blocks,
        ..
    }] = &d.blocks[..]
    else {
        panic!("{:#?}", d.blocks);
    };
    assert_eq!(number.as_deref(), Some("1-2"));
    assert_eq!(file_name.as_deref(), Some("a & b.rs"));
    // Entities are decoded before the caption is read as Markdown (smart quotes apply).
    assert_eq!(
        caption,
        &vec![
            text("Uses “<T>” & "),
            Inline::Code {
                text: "&str".into()
            }
        ],
        "{caption:?}"
    );
    assert_eq!(blocks.len(), 1);
}

#[test]
fn listing_without_attributes_and_several_blocks() {
    let d = parse("<Listing>\n\nOne\n\n<!-- note -->\n\n```\nx\n```\n\n</Listing>\n");
    let [Block::Listing {
        number,
        file_name,
        caption,
        blocks,
        ..
    }] = &d.blocks[..]
    else {
        panic!("{:#?}", d.blocks);
    };
    assert!(number.is_none() && file_name.is_none() && caption.is_empty());
    // The comment between the blocks is dropped.
    assert_eq!(blocks.len(), 2, "{blocks:#?}");
}

#[test]
fn listing_without_closing_tag_keeps_its_blocks_and_warns_once() {
    let d = parse("Text\n\n<Listing number=\"1-1\">\n\n```\nx\n```\n\nMore\n");
    assert!(listings(&d.blocks).is_empty());
    assert_eq!(d.blocks.len(), 3, "{:#?}", d.blocks);
    assert!(matches!(&d.blocks[1], Block::CodeBlock { .. }));
    assert_eq!(d.diagnostics.len(), 1, "{:?}", d.diagnostics);
    assert_eq!(d.diagnostics[0].line, 3);
    assert!(d.diagnostics[0].message.contains("never closed"));
    // A stray closing tag is dropped, with a warning.
    let d = parse("Text\n\n</Listing>\n");
    assert_eq!(d.blocks.len(), 1);
    assert_eq!(d.diagnostics.len(), 1);
    assert_eq!(d.diagnostics[0].line, 3);
}

#[test]
fn listing_nested_in_lists_and_quotes() {
    let md = "1. Step\n\n   <Listing number=\"3-1\">\n\n   ```rust\n   let x = 1;\n   ```\n\n   </Listing>\n\n2. Next\n\n> <Listing file-name=\"src/main.rs\">\n>\n> ```rust\n> fn f() {}\n> ```\n>\n> </Listing>\n";
    let d = parse(md);
    let found = listings(&d.blocks);
    assert_eq!(found.len(), 2, "{:#?}", d.blocks);
    assert!(
        matches!(found[0], Block::Listing { number: Some(n), blocks, .. }
        if n == "3-1" && matches!(&blocks[..], [Block::CodeBlock { text, .. }] if text == "let x = 1;\n"))
    );
    assert!(
        matches!(found[1], Block::Listing { file_name: Some(f), blocks, .. }
        if f == "src/main.rs" && blocks.len() == 1)
    );
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn listing_tags_sharing_a_block_with_content() {
    // No blank lines: the parser puts the code (and the closing tag) in the tag's HTML block.
    let d = parse("<Listing number=\"1-1\" caption=\"Tight\">\n```rust\nfn main() {}\n```\n</Listing>\n\nAfter\n");
    assert_eq!(d.blocks.len(), 2, "{:#?}", d.blocks);
    assert!(
        matches!(&d.blocks[0], Block::Listing { blocks, caption, .. }
        if caption == &vec![text("Tight")]
        && matches!(&blocks[..], [Block::CodeBlock { text, loc, .. }] if text == "fn main() {}\n" && loc.line == 2))
    );
    // A closing tag right under a paragraph is inline HTML at the paragraph's end.
    let d = parse("<Listing>\n\nSome text\n</Listing>\n\nAfter\n");
    assert!(matches!(&d.blocks[0], Block::Listing { blocks, .. }
        if matches!(&blocks[..], [Block::Paragraph { content, .. }] if content == &vec![text("Some text")])));
    assert_eq!(d.blocks.len(), 2, "{:#?}", d.blocks);
    // Closing tag with text after it in one block; open and close with nothing between.
    let d = parse("<Listing>\n</Listing>\nAfter\n");
    assert!(
        matches!(&d.blocks[..], [Block::Listing { blocks, .. }, Block::Paragraph { .. }] if blocks.is_empty()),
        "{:#?}",
        d.blocks
    );
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn listing_tag_is_case_sensitive() {
    let d = parse("<listing>\n\nx\n\n</listing>\n");
    assert!(listings(&d.blocks).is_empty());
    assert!(d.diagnostics.is_empty());
}

#[test]
fn listing_open_tag_starting_a_paragraph() {
    // Text after the tag on its line: not an HTML block, the tag opens the paragraph.
    let d = parse("<Listing caption=\"C\"> Some text\n\n</Listing>\n");
    assert!(
        matches!(&d.blocks[..], [Block::Listing { blocks, .. }]
        if matches!(&blocks[..], [Block::Paragraph { content, .. }] if content == &vec![text("Some text")])),
        "{:#?}",
        d.blocks
    );
}

#[test]
fn hostile_listing_nesting_stays_bounded() {
    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Listing { blocks, .. } => 1 + depth(blocks),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    let md = "<Listing>\n\n".repeat(5000) + &"</Listing>\n\n".repeat(5000);
    let d = parse(&md);
    assert!(depth(&d.blocks) <= crate::parse::markdown::MAX_DEPTH);
    let md = "<Listing>\n```\nx\n```\n".repeat(3000);
    let start = std::time::Instant::now();
    let d = parse(&md);
    assert!(start.elapsed().as_secs() < 5);
    assert!(!d.blocks.is_empty());
}

#[test]
fn scripts_inside_words() {
    let d = parse("H~2~O, mc^2^ and x^i+1^; a \\^b^ and \\~c~ stay; ~~gone~~ and 2 ^ 3 ^ 4.");
    let p = para(&d, 0);
    let sup = |t: &str| Inline::Superscript {
        content: vec![text(t)],
    };
    let sub = |t: &str| Inline::Subscript {
        content: vec![text(t)],
    };
    assert_eq!(p[0], text("H"));
    assert_eq!(p[1], sub("2"));
    assert_eq!(p[2], text("O, mc"));
    assert_eq!(p[3], sup("2"));
    assert_eq!(p[4], text(" and x"));
    assert_eq!(p[5], sup("i+1"));
    assert_eq!(p[6], text("; a ^b^ and ~c~ stay; "));
    assert!(matches!(p[7], Inline::Strike { .. }));
    assert_eq!(p[8], text(" and 2 ^ 3 ^ 4."));
    assert_eq!(p.len(), 9, "{p:?}");
}

#[test]
fn empty_headings_and_missing_link_targets_warn() {
    let d = parse("# Title\n\n#\n\nSee [x](#nowhere) and [t](#title).\n");
    assert_eq!(d.blocks.len(), 2, "{:?}", d.blocks);
    let p = para(&d, 1);
    assert_eq!(p[0], text("See x and "));
    assert!(matches!(&p[1], Inline::Link { url, .. } if url == "#title"));
    let messages: Vec<String> = d.diagnostics.iter().map(|m| m.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("t.md:3:1") && m.contains("empty heading")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("t.md:5:5") && m.contains("#nowhere")),
        "{messages:?}"
    );
}

fn heading_ids(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn repeated_headings_get_numbered_ids_around_explicit_ones() {
    let d = parse("# Intro\n\n# Intro {#intro-1}\n\n# Intro\n\n# Intro 1\n\n# Intro\n");
    // The explicit `intro-1` is kept; the slugs skip it, and `Intro 1` (slug `intro-1`, taken)
    // gets its own suffix.
    assert_eq!(
        heading_ids(&d),
        ["intro", "intro-1", "intro-2", "intro-1-1", "intro-3"]
    );
}

#[test]
fn many_identical_headings_are_numbered_in_order() {
    let n = 20_000;
    let d = parse(&"## Same\n\n".repeat(n));
    let ids = heading_ids(&d);
    assert_eq!(ids.len(), n);
    assert_eq!(ids[0], "same");
    assert_eq!(ids[1], "same-1");
    assert_eq!(ids[n - 1], format!("same-{}", n - 1));
}

#[test]
fn footnote_labels_are_matched_among_many() {
    let n = 5_000;
    let mut md = String::new();
    for i in 0..n {
        md.push_str(&format!("T[^{i}] and again[^{i}].\n\n"));
    }
    for i in (0..n).rev() {
        md.push_str(&format!("[^{i}]: N{i}\n\n"));
    }
    let d = parse(&md);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    // The first reference carries the note, numbered in reading order; the second refers to it.
    let p = para(&d, n - 1);
    assert!(matches!(p[1], Inline::Note { number, .. } if number as usize == n));
    assert!(matches!(p[3], Inline::NoteRef { number } if number as usize == n));
}

#[test]
fn line_endings_are_normalised() {
    use super::normalize_line_endings as norm;
    assert_eq!(norm("a\nb"), "a\nb");
    assert!(matches!(norm("a\nb"), std::borrow::Cow::Borrowed(_)));
    assert_eq!(norm("a\r\nb\rc\r\r\nd\r"), "a\nb\nc\n\nd\n");
    let d = parse("# One\r\rText one.\r\r# Two\r\n\r\nText\rtwo.\r");
    assert_eq!(heading_ids(&d), ["one", "two"]);
    assert_eq!(para(&d, 3), [text("Text"), Inline::SoftBreak, text("two.")]);
}
