//! Unit tests of the XHTML writer on hand-built documents.

use super::*;
use crate::doc::{Align, Asset, AssetKind, Definition, Inline, ListItem};
use std::path::PathBuf;

fn t(s: &str) -> Inline {
    Inline::Text { text: s.into() }
}

fn p(content: Vec<Inline>) -> Block {
    Block::Paragraph {
        content,
        loc: Loc {
            len: 0,
            file: 0,
            line: 3,
            col: 1,
        },
    }
}

fn h(level: u8, id: &str, text: &str) -> Block {
    Block::Heading {
        level,
        id: id.into(),
        classes: vec![],
        attrs: vec![],
        content: vec![t(text)],
        loc: Loc {
            len: 0,
            file: 0,
            line: 1,
            col: 1,
        },
    }
}

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        blocks,
        files: vec![PathBuf::from("in.md")],
        ..Document::default()
    }
}

fn link(url: &str, text: &str) -> Inline {
    Inline::Link {
        url: url.into(),
        title: String::new(),
        content: vec![t(text)],
        loc: Loc::default(),
    }
}

fn fragment(blocks: Vec<Block>) -> String {
    render_fragment(
        &doc(blocks),
        Options {
            highlight: false,
            mathml: false,
        },
    )
    .0
}

/// Parses the markup with a strict XML reader (python's expat) when python3 is around.
fn assert_well_formed(body: &str) {
    let page = page("t", "en", false, None, "", body);
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = out else { return };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let result = child.wait_with_output().unwrap();
    assert!(
        result.status.success(),
        "not well-formed: {}\n{page}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn escaping_and_inlines() {
    let body = fragment(vec![p(vec![
        t("a < b & \"c\" \u{1}\u{FFFE}"),
        Inline::Emph {
            content: vec![t("e")],
        },
        Inline::Strong {
            content: vec![t("s")],
        },
        Inline::Strike {
            content: vec![t("x")],
        },
        Inline::Code {
            text: "<code>".into(),
        },
        Inline::SoftBreak,
        Inline::HardBreak,
        Inline::Math {
            loc: Default::default(),
            display: false,
            tex: "a<b".into(),
        },
    ])]);
    // The XML gate: a control character is dropped, a noncharacter becomes U+FFFD.
    assert!(body.contains("a &lt; b &amp; \"c\" \u{FFFD}"), "{body}");
    assert!(body.contains("<em>e</em><strong>s</strong><del>x</del><code>&lt;code&gt;</code>"));
    assert!(body.contains("<br />"));
    assert!(body.contains("<span class=\"math math-inline\">a&lt;b</span>"));
    assert_well_formed(&body);
}

#[test]
fn chapters_split_at_level_one_and_links_are_rewritten() {
    let d = doc(vec![
        p(vec![t("preface"), link("#second", "to second")]),
        h(1, "first", "First"),
        h(2, "sub", "Sub"),
        p(vec![
            link("#second", "s"),
            link("ch02.html#sub", "other file"),
            link("other.md#nowhere", "gone"),
        ]),
        h(1, "second", "Second"),
        p(vec![
            link("#missing", "m"),
            link("https://example.com/a b", "ext"),
            link("../std/index.html", "std"),
        ]),
    ]);
    let book = render_book(&d, Options::default());
    assert_eq!(book.chapters.len(), 3);
    assert_eq!(book.chapters[1].title, "First");
    assert_eq!(
        book.chapters[1].toc,
        vec![TocEntry {
            level: 2,
            id: "sub".into(),
            title: "Sub".into()
        }]
    );
    assert!(book.chapters[0]
        .body
        .contains("<a href=\"ch03.xhtml#second\">to second</a>"));
    let c1 = &book.chapters[1].body;
    assert!(c1.contains("href=\"ch03.xhtml#second\""), "{c1}");
    assert!(
        c1.contains("href=\"ch02.xhtml#sub\">other file</a>"),
        "{c1}"
    );
    assert!(c1.contains("gone") && !c1.contains("other.md"), "{c1}");
    let c2 = &book.chapters[2].body;
    assert!(c2.contains("https://example.com/a%20b"));
    assert!(!c2.contains("#missing") && c2.contains(">m") || c2.contains("m"));
    let messages: Vec<String> = book.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("in.md:3:1") && m.contains("#missing")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("../std/index.html")),
        "{messages:?}"
    );
    for c in &book.chapters {
        assert_well_formed(&c.body);
    }
}

#[test]
fn notes_lists_tables_alerts() {
    let d = doc(vec![
        h(1, "1-start", "Start"),
        p(vec![
            t("x"),
            Inline::Note {
                number: 1,
                blocks: vec![p(vec![t("note body")])],
            },
            Inline::NoteRef { number: 1 },
        ]),
        Block::List {
            start: None,
            tight: true,
            items: vec![
                ListItem {
                    task: Some(true),
                    blocks: vec![p(vec![t("done")])],
                },
                ListItem {
                    task: Some(false),
                    blocks: vec![p(vec![t("todo")])],
                },
            ],
            loc: Loc::default(),
        },
        Block::List {
            start: Some(3),
            tight: false,
            items: vec![ListItem {
                task: None,
                blocks: vec![p(vec![t("three")])],
            }],
            loc: Loc::default(),
        },
        Block::Table {
            align: vec![Align::Left, Align::Right],
            head: vec![vec![vec![t("a")], vec![t("b")]]],
            rows: vec![vec![vec![t("1")], vec![t("2")]]],
            spans: Vec::new(),
            loc: Loc::default(),
        },
        Block::Alert {
            kind: crate::doc::AlertKind::Warning,
            blocks: vec![p(vec![t("careful")])],
            loc: Loc::default(),
        },
        Block::DefinitionList {
            items: vec![Definition {
                term: vec![t("term")],
                definitions: vec![vec![p(vec![t("def")])]],
            }],
            loc: Loc::default(),
        },
        Block::CodeBlock {
            lang: Some("rust".into()),
            info: "rust".into(),
            text: "fn main() {}\n".into(),
            loc: Loc::default(),
        },
        Block::Quote {
            blocks: vec![p(vec![t("q")])],
            loc: Loc::default(),
        },
        Block::Rule {
            loc: Loc::default(),
        },
    ]);
    let book = render_book(&d, Options::default());
    let body = &book.chapters[0].body;
    assert!(body.contains("<h1 id=\"id-1-start\">"), "{body}");
    assert!(body.contains(
        "epub:type=\"noteref\" role=\"doc-noteref\" id=\"footnote-ref-1\" href=\"#footnote-1\""
    ));
    assert!(
        body.contains("href=\"ch01.xhtml#footnote-1\" aria-label=\"Footnote 1\">1</a>"),
        "{body}"
    );
    assert!(body.contains(
        "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"footnote-1\" aria-label=\"Footnote 1\">"
    ));
    assert!(
        body.contains("role=\"doc-backlink\" aria-label=\"Back to text\">1.</a> note body</p>"),
        "{body}"
    );
    // A task's box is read-only and named by the task.
    assert!(
        body.contains("<li class=\"task\"><input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"done\" /> done</li>"),
        "{body}"
    );
    assert!(
        body.contains("<ol start=\"3\">\n<li><p>three</p>"),
        "{body}"
    );
    assert!(
        body.contains("<th class=\"align-left\" scope=\"col\">a</th>")
            && body.contains("<td class=\"align-right\">2</td>")
    );
    assert!(body.contains("alert alert-warning") && body.contains(">Warning</p>"));
    assert!(body.contains("<dt>term</dt>\n<dd><p>def</p>"));
    assert!(body.contains("<span class=\"hl-kw\">fn"), "{body}");
    assert!(book.diagnostics.is_empty(), "{:?}", book.diagnostics);
    assert_well_formed(body);
}

#[test]
fn images_use_packaged_assets_or_alt_text() {
    let mut d = doc(vec![p(vec![
        Inline::Image {
            loc: Default::default(),
            url: "pic.png".into(),
            title: "T".into(),
            alt: vec![t("a pic")],
        },
        Inline::Image {
            loc: Default::default(),
            url: "gone.png".into(),
            title: String::new(),
            alt: vec![t("missing one")],
        },
    ])]);
    d.assets
        .insert("pic.png".into(), Asset::new(AssetKind::Png, vec![1, 2]));
    let book = render_book(&d, Options::default());
    let body = &book.chapters[0].body;
    assert!(
        body.contains("<img src=\"images/img001.png\" alt=\"a pic\" title=\"T\" />"),
        "{body}"
    );
    assert!(body.contains("<span class=\"missing-image\">missing one</span>"));
    assert_eq!(
        book.assets.get("pic.png").map(String::as_str),
        Some("images/img001.png")
    );
}

#[test]
fn skipped_heading_levels_close_up_in_the_book_with_a_warning() {
    let d = doc(vec![
        h(1, "a", "A"),
        h(3, "b", "B"),
        h(4, "c", "C"),
        h(2, "d", "D"),
        h(3, "e", "E"),
    ]);
    let book = render_book(&d, Options::default());
    let body = &book.chapters[0].body;
    for expected in [
        "<h1 id=\"a\">",
        "<h2 id=\"b\">",
        "<h3 id=\"c\">",
        "<h2 id=\"d\">",
        "<h3 id=\"e\">",
    ] {
        assert!(body.contains(expected), "{expected}: {body}");
    }
    let warnings: Vec<_> = book
        .diagnostics
        .iter()
        .filter(|d| d.code == crate::error::Code::HeadingLevel)
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", book.diagnostics);
    assert!(warnings[0]
        .message
        .contains("level-3 heading under a level-1"));
    // The fragment compared with other renderers keeps the source's levels.
    assert!(fragment(vec![h(1, "a", "A"), h(3, "b", "B")]).contains("<h3"));
}

#[test]
fn page_breaks_go_before_the_character_each_page_begins_with() {
    let content = vec![
        t("Alpha  beta\n"),
        Inline::Emph {
            content: vec![t("gamma")],
        },
        Inline::SoftBreak,
        Inline::Code {
            text: "delta()".into(),
        },
        t(" "),
        Inline::Ruby {
            base: vec![t("漢")],
            text: "kan".into(),
        },
        t(" epsilon zeta"),
    ];
    // Alpha beta (9), gamma (14), delta() (21), 漢(kan) (27), epsilon (34), zeta (38).
    assert_eq!(crate::doc::reading_chars(&content), 38);
    let rule = Loc {
        len: 0,
        file: 0,
        line: 5,
        col: 1,
    };
    let para = Loc {
        len: 0,
        file: 0,
        line: 3,
        col: 1,
    };
    let d = doc(vec![p(content), Block::Rule { loc: rule }]);
    let start = |page, loc, offset| crate::doc::PageStart { page, loc, offset };
    let pages = [
        start(2, para, Some(9)),
        start(3, para, Some(14)),
        start(4, para, Some(27)),
        start(5, para, Some(1000)),
        start(6, rule, None),
    ];
    let book = render_book_paged(&d, Options::default(), &pages);
    let body = &book.chapters[0].body;
    assert_well_formed(body);
    let mark = |n: u32| {
        format!(
            "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{n}\" aria-label=\"{n}\"></span>"
        )
    };
    assert!(
        body.contains(&format!("Alpha  beta\n<em>{}gamma</em>", mark(2))),
        "{body}"
    );
    assert!(
        body.contains(&format!("<code>{}delta()</code>", mark(3))),
        "{body}"
    );
    assert!(
        body.contains(&format!("</ruby> {}epsilon", mark(4))),
        "{body}"
    );
    // An offset past the text (print set more than the markup holds) ends the paragraph.
    assert!(body.contains(&format!("zeta{}</p>", mark(5))), "{body}");
    assert!(body.contains(&format!("{}<hr />", mark(6))), "{body}");
    // Without page starts, no marker.
    let plain = render_book(&d, Options::default());
    assert!(!plain.chapters[0].body.contains("pagebreak"));
}
