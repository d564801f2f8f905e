//! Layout snapshot tests: small documents typeset with the bundled fonts, their pages, structure
//! and outline compared with JSON snapshots in `src/typeset/snapshots/NAME.json`.
//!
//! A snapshot is [`Paged`] through serde, condensed to stay small and stable: every float is
//! rounded to 2 decimals, and each glyph list becomes the text of its glyphs (`"text"`), their
//! count (`"glyphs"`) and the x of the first and last glyph from the run's origin
//! (`"glyph_x"`, which shows word spacing and justification). Structure nodes carry their index
//! (`"id"`), which items name as `"node"`.
//!
//! A missing snapshot is written and the test passes. To accept a layout change on purpose:
//! `BINDERY_BLESS=1 cargo test --release --lib typeset::tests`, then review the JSON diff.

use super::fonts::FontSet;
use super::frame::{Item, LinkTarget, Pt, Role, StructNode};
use super::{Options, Paged, Typesetter};
use crate::doc::{Block, Document, Loc};
use crate::parse::{parse_str, MetaOverrides};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// The documents.

const PARAGRAPH: &str = "\
A justified paragraph with *emphasis*, **strong words**, a `code span` and \
[a link](https://example.org/bindery) to somewhere else. It runs over several lines so that \
the spaces between words are stretched to fill the measure, while the last line stays ragged \
as it should be, ending in a short one.
";

const LISTS: &str = "\
- First bullet
- Second bullet with a nested list:
  - nested one
  - nested two
- Third bullet

1. Step one
2. Step two
   1. sub-step a
   2. sub-step b
3. Step three

- [x] done task
- [ ] open task
";

const TABLES: &str = r#"| Item | Qty | Note |
|:-----|----:|:----:|
| Apples | 12 | fresh |
| Pears | 7 | ripe |

<table>
<thead>
<tr><th>Name</th><th align="right">Count</th><th>Where</th></tr>
</thead>
<tbody>
<tr><td colspan="2">Spans two columns</td><td>here</td></tr>
<tr><td>Plain</td><td align="right">3</td><td>there</td></tr>
</tbody>
</table>
"#;

const FOOTNOTES: &str = "\
A claim that needs support.[^src] Another one, with a longer note.[^long] The first note is \
cited again.[^src]

[^src]: The source, in short.

[^long]: A longer note that runs over more than one line at the foot of the page, to show \
how notes are set.
";

const HEADINGS: &str = "\
# Chapter

Intro text that points ahead to [the setup](#setup).

## Setup {#setup}

Section text.

### Details

Subsection text.

## Usage

More text.
";

const FORMULA: &str = "\
The area under the curve is

$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$

as computed.
";

const TITLE: &str = "\
---
title: The Title
subtitle: A Subtitle
author: [Ada Lovelace, Grace Hopper]
date: 2024-05-01
---

Body text under the title block.
";

/// Two chapters on A6 paper; the second starts on a page of its own (as in a book).
const PAGES_FRONT: &str = "\
---
title: Pages
paper: a6
---

";

/// A paragraph of plain prose, different for each `n`.
fn prose(n: usize) -> String {
    const WORDS: &str = "margin leading measure kerning folio gutter baseline quire signature \
                         recto verso colophon";
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let picked: Vec<&str> = (0..40).map(|i| words[(i * 7 + n * 5) % 12]).collect();
    format!("Paragraph {n}: {}.\n\n", picked.join(" "))
}

/// The long document: chapter one overflows its page, chapter two starts a new one.
fn pages_doc() -> Document {
    let mut md = String::from(PAGES_FRONT);
    md.push_str("# Chapter one\n\n");
    for n in 1..=3 {
        md.push_str(&prose(n));
    }
    md.push_str("# Chapter two\n\n");
    for n in 4..=5 {
        md.push_str(&prose(n));
    }
    let mut doc = parse(&md);
    let at = doc
        .blocks
        .iter()
        .rposition(|b| matches!(b, Block::Heading { level: 1, .. }))
        .expect("a second chapter");
    doc.blocks.insert(
        at,
        Block::Chapter {
            title: "Chapter two".into(),
            number: None,
            depth: 1,
            loc: Loc::default(),
        },
    );
    doc
}

/// A figure too tall for what is left of the first A6 page: it heads the second, and the
/// paragraphs after it fill the first.
fn float_doc() -> Document {
    let mut md = String::from("---\ntitle: Floats\npaper: a6\n---\n\n## Section\n\n");
    md.push_str(&prose(1));
    md.push_str("![A grey block](block.svg \"The block\")\n\n");
    for n in 2..=4 {
        md.push_str(&prose(n));
    }
    let mut doc = parse(&md);
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="300"><rect width="240" height="300" fill="#777"/></svg>"##;
    doc.assets.insert(
        "block.svg".into(),
        crate::doc::Asset::new(crate::doc::AssetKind::Svg, svg.to_vec()),
    );
    doc
}

// ---------------------------------------------------------------------------------------------
// Typesetting.

fn parse(md: &str) -> Document {
    parse_str(Path::new("t.md"), md, &MetaOverrides::default()).expect("parses")
}

/// Typesets with default options and the bundled fonts only (no system fonts).
fn typeset_doc(doc: &Document) -> Paged {
    let options = Options {
        paper: None,
        margins: None,
        toc: false,
        toc_depth: None,
        two_sided: false,
        layout: None,
        font_dir: false,
        print: super::sheet::Print::default(),
    };
    Typesetter::new(options, Arc::new(FontSet::bundled()))
        .typeset(doc)
        .expect("typesets")
}

fn typeset(md: &str) -> Paged {
    typeset_doc(&parse(md))
}

// ---------------------------------------------------------------------------------------------
// Snapshots.

/// Keys printed first, in this order; then the others; then these last.
const FIRST_KEYS: [&str; 21] = [
    "pages",
    "structure",
    "outline",
    "diagnostics",
    "id",
    "kind",
    "role",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "w",
    "h",
    "width",
    "height",
    "size",
    "font",
    "color",
    "node",
];
const LAST_KEYS: [&str; 3] = ["glyphs", "glyph_x", "text"];

/// The snapshot of a typeset document, condensed (see the module documentation).
fn snapshot(paged: &Paged) -> Value {
    let structure: Vec<Value> = paged
        .structure
        .iter()
        .enumerate()
        .map(|(i, node)| structure_node(i, node))
        .collect();
    let diagnostics: Vec<String> = paged
        .diagnostics
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
        .collect();
    let mut v = serde_json::json!({
        "pages": paged.pages,
        "structure": structure,
        "outline": paged.outline,
        "diagnostics": diagnostics,
    });
    condense(&mut v);
    v
}

/// A structure node as one flat object: its index, its role's fields, its parent.
fn structure_node(i: usize, node: &StructNode) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), i.into());
    if let Ok(Value::Object(role)) = serde_json::to_value(&node.role) {
        m.extend(role);
    }
    m.insert("parent".into(), serde_json::json!(node.parent));
    Value::Object(m)
}

/// Rounds floats to 2 decimals and replaces glyph lists by their text, count and extent.
fn condense(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or_default();
            let r = (f * 100.0).round() / 100.0;
            // No "-0.0": a tiny negative offset is no different from zero.
            let r = if r == 0.0 { 0.0 } else { r };
            if let Some(n) = Number::from_f64(r) {
                *v = Value::Number(n);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(condense),
        Value::Object(m) => {
            if let Some(Value::Array(glyphs)) = m.get("glyphs") {
                let text: String = glyphs
                    .iter()
                    .filter_map(|g| g.get("text").and_then(Value::as_str))
                    .collect();
                let x = |g: Option<&Value>| g.and_then(|g| g.get("x")).cloned();
                let extent = match (x(glyphs.first()), x(glyphs.last())) {
                    (Some(a), Some(b)) => Value::Array(vec![a, b]),
                    _ => Value::Null,
                };
                let count = glyphs.len();
                m.insert("glyphs".into(), count.into());
                m.insert("glyph_x".into(), extent);
                m.insert("text".into(), text.into());
            }
            m.values_mut().for_each(condense);
        }
        _ => {}
    }
}

/// Whether a value is printed on one line: no array in it holds an object (a page's items,
/// the structure, the outline are one entry a line).
fn is_flat(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.iter().all(|e| !e.is_object() && is_flat(e)),
        Value::Object(m) => m.values().all(is_flat),
        _ => true,
    }
}

/// The entries of an object in printing order.
fn ordered(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let rank = |k: &str| {
        if let Some(i) = FIRST_KEYS.iter().position(|f| *f == k) {
            i
        } else if let Some(i) = LAST_KEYS.iter().position(|f| *f == k) {
            FIRST_KEYS.len() + 1 + i
        } else {
            FIRST_KEYS.len()
        }
    };
    let mut entries: Vec<_> = m.iter().collect();
    // Stable: keys of equal rank keep the map's order.
    entries.sort_by_key(|(k, _)| rank(k));
    entries
}

/// One line of JSON.
fn compact(v: &Value, out: &mut String) {
    match v {
        Value::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                compact(e, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, e)) in ordered(m).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                compact(e, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Indented JSON whose flat parts (an item, a structure node) take one line each.
fn pretty(v: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Array(a) if !is_flat(v) => {
            out.push_str("[\n");
            for (i, e) in a.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                pretty(e, indent + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Object(m) if !is_flat(v) => {
            out.push_str("{\n");
            let entries = ordered(m);
            for (i, (k, e)) in entries.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push_str(": ");
                pretty(e, indent + 1, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        flat => compact(flat, out),
    }
}

fn render(v: &Value) -> String {
    let mut out = String::new();
    pretty(v, 0, &mut out);
    out.push('\n');
    out
}

fn snapshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/typeset/snapshots")
        .join(format!("{name}.json"))
}

/// Where they differ: the lines between the common start and the common end, numbered, at
/// most `SHOWN` of each side. `None` when the texts are equal.
fn diff(expected: &str, actual: &str) -> Option<String> {
    const SHOWN: usize = 6;
    if expected == actual {
        return None;
    }
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let head = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let tail = e[head..]
        .iter()
        .rev()
        .zip(a[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (e_mid, a_mid) = (&e[head..e.len() - tail], &a[head..a.len() - tail]);
    let mut out = format!(
        "first difference at line {}: {} line(s) expected there, {} found\n",
        head + 1,
        e_mid.len(),
        a_mid.len(),
    );
    for (sign, side) in [("-", e_mid), ("+", a_mid)] {
        for (i, line) in side.iter().enumerate().take(SHOWN) {
            let _ = writeln!(out, "{sign}{:>5} {line}", head + 1 + i);
        }
        if side.len() > SHOWN {
            let _ = writeln!(out, "{sign}  ... {} more", side.len() - SHOWN);
        }
    }
    if e_mid.is_empty() && a_mid.is_empty() {
        out.push_str("(only the final newline differs)\n");
    }
    Some(out)
}

/// Compares the document's snapshot with `snapshots/NAME.json`; writes it when it is missing
/// or `BINDERY_BLESS=1` is set.
fn check(name: &str, paged: &Paged) {
    let actual = render(&snapshot(paged));
    let path = snapshot_path(name);
    let bless = std::env::var("BINDERY_BLESS").is_ok_and(|v| v == "1");
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot read snapshot {}: {e}", path.display()),
    };
    match expected {
        Some(expected) if !bless => {
            if let Some(d) = diff(&expected, &actual) {
                let dump = std::env::temp_dir().join(format!("bindery-snapshot-{name}.json"));
                let saved = match std::fs::write(&dump, &actual) {
                    Ok(()) => format!("the new layout is in {}\n", dump.display()),
                    Err(_) => String::new(),
                };
                panic!(
                    "layout snapshot `{name}` differs from {}\n{d}{saved}\
                     If the change is intended, re-bless and review the diff:\n  \
                     BINDERY_BLESS=1 cargo test --release --lib typeset::tests",
                    path.display()
                );
            }
        }
        _ => {
            if expected.as_deref() != Some(actual.as_str()) {
                let dir = path.parent().expect("snapshot folder");
                std::fs::create_dir_all(dir).expect("creates the snapshot folder");
                std::fs::write(&path, &actual).expect("writes the snapshot");
                eprintln!("note: wrote layout snapshot {}", path.display());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshot tests.

#[test]
fn snapshot_paragraph() {
    check("paragraph", &typeset(PARAGRAPH));
}

#[test]
fn snapshot_lists() {
    check("lists", &typeset(LISTS));
}

#[test]
fn snapshot_tables() {
    check("tables", &typeset(TABLES));
}

#[test]
fn snapshot_footnotes() {
    check("footnotes", &typeset(FOOTNOTES));
}

#[test]
fn snapshot_headings() {
    check("headings", &typeset(HEADINGS));
}

#[test]
fn snapshot_formula() {
    check("formula", &typeset(FORMULA));
}

#[test]
fn snapshot_pages() {
    let paged = typeset_doc(&pages_doc());
    assert_eq!(
        paged.pages.len(),
        3,
        "chapter one on 2 pages, chapter two on 1"
    );
    check("pages", &paged);
}

#[test]
fn snapshot_float() {
    let paged = typeset_doc(&float_doc());
    // The picture heads page 2; page 1 holds the paragraphs written after it.
    let image_on = |n: usize| {
        paged.pages[n].items.iter().find_map(|it| match it {
            Item::Image { y, .. } => Some(*y),
            _ => None,
        })
    };
    assert_eq!(image_on(0), None);
    let top = image_on(1).expect("the figure is on page 2");
    let text_on = |n: usize| -> String {
        paged.pages[n]
            .items
            .iter()
            .filter(|it| it.node().is_some())
            .filter_map(run_text)
            .collect()
    };
    assert!(text_on(0).contains("Paragraph 2:"), "{}", text_on(0));
    let first_line = paged.pages[1]
        .items
        .iter()
        .filter(|it| it.node().is_some())
        .find_map(|it| match it {
            Item::Text { y, .. } => Some(*y),
            _ => None,
        })
        .expect("page 2 has text");
    assert!(top < first_line, "the figure is above the text of its page");
    // Where it stood (after paragraph 1), page 1 names its nodes, in order.
    let refs: Vec<u32> = paged.pages[0]
        .items
        .iter()
        .filter_map(|it| match it {
            Item::FloatRef { node } => Some(*node),
            _ => None,
        })
        .collect();
    let roles: Vec<&Role> = refs.iter().map(|n| role(&paged, *n as usize)).collect();
    assert!(
        matches!(roles.as_slice(), [Role::Figure { .. }, Role::Caption]),
        "{roles:?}"
    );
    check("float", &paged);
}

#[test]
fn a_floated_figure_takes_its_anchor_along() {
    // An HTML `<figure id>`: a link to it lands on the page the figure floated to.
    let mut md = String::from("---\ntitle: Floats\npaper: a6\n---\n\n## Section\n\n");
    md.push_str(&prose(1));
    md.push_str("<figure id=\"blockfig\">\n<img src=\"block.svg\" alt=\"A grey block\">\n");
    md.push_str("<figcaption>The block</figcaption>\n</figure>\n\n");
    md.push_str(&prose(2));
    md.push_str(&prose(3));
    let mut doc = parse(&md);
    let floated = float_doc();
    doc.assets = floated.assets;
    let paged = typeset_doc(&doc);
    let page_of = |f: &dyn Fn(&Item) -> bool| {
        paged
            .pages
            .iter()
            .position(|p| p.items.iter().any(f))
            .expect("found")
    };
    let image = page_of(&|it| matches!(it, Item::Image { .. }));
    let anchor = page_of(&|it| matches!(it, Item::Anchor { id, .. } if id == "blockfig"));
    let reference = page_of(&|it| matches!(it, Item::FloatRef { .. }));
    assert_eq!((reference, image), (0, 1), "the figure floats to page 2");
    assert_eq!(anchor, image, "its anchor goes with it");
}

#[test]
fn snapshot_title_block() {
    check("title_block", &typeset(TITLE));
}

// ---------------------------------------------------------------------------------------------
// Layout facts, checked directly.

/// The text of a run.
fn run_text(item: &Item) -> Option<String> {
    match item {
        Item::Text { glyphs, .. } => Some(glyphs.iter().map(|g| g.text).collect()),
        _ => None,
    }
}

/// Every text run that belongs to a structure node, with the node's index and its text.
fn claimed_runs(paged: &Paged) -> Vec<(usize, String)> {
    paged
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|it| Some((it.node()? as usize, run_text(it)?)))
        .collect()
}

fn role(paged: &Paged, node: usize) -> &Role {
    &paged.structure[node].role
}

fn parent(paged: &Paged, node: usize) -> usize {
    paged.structure[node].parent.expect("a parent") as usize
}

#[test]
fn layout_facts() {
    let docs = [
        PARAGRAPH, LISTS, TABLES, FOOTNOTES, HEADINGS, FORMULA, TITLE,
    ]
    .map(typeset);
    let pages = typeset_doc(&pages_doc());

    // Everywhere: items name existing nodes, parents come before their children, content
    // stays on the page.
    for paged in docs.iter().chain([&pages]) {
        for (i, n) in paged.structure.iter().enumerate() {
            if let Some(p) = n.parent {
                assert!((p as usize) < i, "node {i} has a later parent {p}");
            }
        }
        for page in &paged.pages {
            for it in &page.items {
                if let Some(n) = it.node() {
                    assert!((n as usize) < paged.structure.len(), "{it:?}");
                }
                if let Item::Text { x, y, .. } = it {
                    assert!(
                        (0.0..page.width).contains(x) && (0.0..page.height).contains(y),
                        "text outside the page: {it:?}"
                    );
                }
            }
        }
    }

    // A paragraph: after the title block (the file name, `t`), every claimed run belongs to a
    // Paragraph node, and together they read as the source; the page number is decoration.
    let [paragraph, lists, tables, footnotes, headings, _, title] = &docs;
    let mut runs = claimed_runs(paragraph);
    let (title_node, title_text) = runs.remove(0);
    assert_eq!(
        (role(paragraph, title_node), title_text.as_str()),
        (&Role::Title, "t")
    );
    assert!(runs.len() > 5);
    for (node, text) in &runs {
        assert_eq!(role(paragraph, *node), &Role::Paragraph, "{text:?}");
    }
    let all: String = runs.iter().map(|(_, t)| t.as_str()).collect();
    for word in ["emphasis", "strong", "code span", "a link", "short one."] {
        assert!(all.contains(word), "{word:?} missing from {all:?}");
    }
    let uri = LinkTarget::Uri("https://example.org/bindery".into());
    let link = paragraph.pages[0]
        .items
        .iter()
        .find(|it| matches!(it, Item::Link { target, .. } if *target == uri));
    let node = link
        .and_then(Item::node)
        .expect("the link is clickable, in the paragraph");
    assert_eq!(role(paragraph, node as usize), &Role::Paragraph);

    // Lists: markers are Label nodes inside a ListItem inside a List; bodies are ListBody.
    let mut labels = Vec::new();
    for (node, text) in claimed_runs(lists) {
        if role(lists, node) == &Role::Label {
            let item = parent(lists, node);
            assert_eq!(role(lists, item), &Role::ListItem, "marker {text:?}");
            assert!(matches!(
                role(lists, parent(lists, item)),
                Role::List { .. }
            ));
            labels.push(text.trim().to_owned());
        }
    }
    // Bullets by depth, then numbers (each list counts from 1); a task's box is drawn, not set,
    // so its Label node has no text.
    assert_eq!(
        labels,
        ["•", "•", "◦", "◦", "•", "1.", "2.", "1.", "2.", "3."]
    );
    let label_nodes = lists.structure.iter().filter(|n| n.role == Role::Label);
    assert_eq!(label_nodes.count(), 12);
    let ordered = |o: bool| {
        lists
            .structure
            .iter()
            .filter(|n| n.role == Role::List { ordered: o })
            .count()
    };
    assert_eq!((ordered(false), ordered(true)), (3, 2));

    // Tables: header cells are HeaderCell nodes in a TableRow of a Table; data cells are Cell.
    let runs = claimed_runs(tables);
    let cell_of = |word: &str| {
        let (node, _) = runs
            .iter()
            .find(|(_, t)| t.contains(word))
            .unwrap_or_else(|| panic!("{word:?} is set"));
        let row = parent(tables, *node);
        assert_eq!(role(tables, row), &Role::TableRow, "{word}");
        assert_eq!(role(tables, parent(tables, row)), &Role::Table, "{word}");
        role(tables, *node).clone()
    };
    for head in ["Item", "Qty", "Note", "Name", "Count", "Where"] {
        assert_eq!(cell_of(head), Role::HeaderCell, "{head}");
    }
    for data in ["Apples", "12", "Spans two columns", "Plain", "there"] {
        assert_eq!(cell_of(data), Role::Cell, "{data}");
    }

    // Footnotes: two Note nodes, set in the lower half of the page, below the text that cites
    // them; each starts with its number.
    let notes = footnotes.structure.iter().filter(|n| n.role == Role::Note);
    assert_eq!(notes.count(), 2);
    let in_note = |n: usize| {
        role(footnotes, n) == &Role::Note
            || footnotes.structure[n]
                .parent
                .is_some_and(|p| role(footnotes, p as usize) == &Role::Note)
    };
    let page = &footnotes.pages[0];
    let (mut note_runs, mut text_bottom) = (Vec::new(), 0.0f32);
    for it in &page.items {
        if let (Some(n), Some(text), Item::Text { y, .. }) = (it.node(), run_text(it), it) {
            if in_note(n as usize) {
                note_runs.push((*y, text));
            } else {
                text_bottom = text_bottom.max(*y);
            }
        }
    }
    assert!(note_runs.iter().any(|(_, t)| t == "1."), "{note_runs:?}");
    assert!(note_runs.iter().any(|(_, t)| t == "2."), "{note_runs:?}");
    for (y, text) in &note_runs {
        assert!(
            *y > text_bottom && *y > page.height / 2.0,
            "{text:?} at {y}"
        );
    }

    // Headings: levels 1, 2, 3, 2 in the structure and the outline; the anchor link targets
    // the anchor that the heading sets.
    let levels: Vec<u8> = headings
        .structure
        .iter()
        .filter_map(|n| match &n.role {
            Role::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .collect();
    assert_eq!(levels, [1, 2, 3, 2]);
    let outline: Vec<u8> = headings.outline.iter().map(|e| e.level).collect();
    assert_eq!(outline, [1, 2, 3, 2]);
    let items = || headings.pages.iter().flat_map(|p| &p.items);
    assert!(items().any(|it| matches!(it, Item::Anchor { id, .. } if id == "setup")));
    let to_setup = LinkTarget::Anchor("setup".into());
    assert!(items().any(|it| matches!(it, Item::Link { target, .. } if *target == to_setup)));

    // The title block: a Title node holding the title.
    let titled: Vec<String> = claimed_runs(title)
        .into_iter()
        .filter(|(n, _)| role(title, *n) == &Role::Title)
        .map(|(_, t)| t)
        .collect();
    assert!(titled.concat().contains("The Title"), "{titled:?}");

    // The long document: chapter one runs onto page 2, chapter two opens page 3. Decoration
    // (no structure node): the page number on every page, the running head (the title) only on
    // page 2, as the first page and a chapter's opening page have none.
    assert_eq!(pages.pages.len(), 3);
    let decoration = |n: usize| -> Vec<String> {
        pages.pages[n]
            .items
            .iter()
            .filter(|it| it.node().is_none())
            .filter_map(run_text)
            .collect()
    };
    assert_eq!(decoration(0), ["1"]);
    assert_eq!(decoration(1), ["Pages", "2"]);
    assert_eq!(decoration(2), ["3"]);
    let (node, text) = pages.pages[2]
        .items
        .iter()
        .find_map(|it| Some((it.node()? as usize, run_text(it)?)))
        .expect("page 3 has text");
    assert_eq!(text, "Chapter two");
    assert!(matches!(role(&pages, node), Role::Heading { level: 1, .. }));
}

#[test]
fn a_wrapped_code_line_continues_under_its_first_character() {
    let words =
        "alpha + beta + gamma + delta + epsilon + zeta + eta + theta + iota + kappa + lambda";
    let paged = typeset(&format!(
        "```\nfn f() {{\n        let total = {words} + {words};\n}}\n```\n"
    ));
    // Every drawn character of the block with its place on the page, by line.
    let mut lines: BTreeMap<i64, Vec<(Pt, String)>> = BTreeMap::new();
    for item in paged.pages.iter().flat_map(|p| &p.items) {
        if let (Some(_), Item::Text { x, y, glyphs, .. }) = (item.node(), item) {
            for g in glyphs {
                let line = lines.entry((*y * 100.0).round() as i64).or_default();
                line.push((x + g.x, g.text.to_owned()));
            }
        }
    }
    // From the block's first line on (a title block may come before it).
    let lines: Vec<&Vec<(Pt, String)>> = lines
        .values()
        .skip_while(|l| l.first().is_none_or(|(_, t)| t != "f"))
        .collect();
    assert!(lines.len() >= 4, "the long line wraps: {lines:?}");
    let first_char = |line: &[(Pt, String)]| {
        line.iter()
            .filter(|(_, t)| t != " ")
            .map(|(x, _)| *x)
            .fold(Pt::INFINITY, Pt::min)
    };
    let (outer, long, continued) = (
        first_char(lines[0]),
        first_char(lines[1]),
        first_char(lines[2]),
    );
    assert!(
        long > outer + 20.0,
        "the long line is indented: {outer} {long}"
    );
    assert!(
        (continued - long).abs() < 0.01,
        "its continuation starts under `let` ({long}), not at {continued}"
    );
}

/// A paragraph of some 100 KB is set in pieces (`layout::long_paragraph_pieces`): its text,
/// read from the page's glyphs in order, is the source's words, each once, never two glued
/// together where pieces meet; every line of the body but the paragraph's last is justified
/// (its last glyph ends at the right edge of the text), those that end a piece included; and
/// the whole paragraph belongs to one structure node.
#[test]
fn a_very_long_paragraph_is_set_in_pieces_that_read_and_look_as_one() {
    let words: Vec<String> = (0..12_000)
        .map(|i| format!("{}{i}", ["alpha", "beta", "gamma", "typography"][i % 4]))
        .collect();
    let md = format!("{}\n\nAfter.\n", words.join(" "));
    assert!(md.len() > 100_000);
    let paged = typeset(&md);
    let runs = claimed_runs(&paged);
    // The paragraph's node: the one holding the first word (a title block may come first).
    let first_node = runs
        .iter()
        .find(|(_, t)| t.contains(words[0].as_str()))
        .expect("the first word is set")
        .0;
    let text: String = runs
        .iter()
        .filter(|(n, _)| *n == first_node)
        .map(|(_, t)| t.as_str())
        .collect();
    // Hyphenated line ends draw a hyphen with no text of its own.
    let read: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(read.len(), words.len(), "every word once, none glued");
    assert!(read.iter().zip(&words).all(|(a, b)| a == b));
    // Justified: the right ends of the body's lines (the paragraph's last line aside) agree.
    let mut ends: Vec<Pt> = Vec::new();
    for page in &paged.pages {
        let mut lines: std::collections::BTreeMap<i64, Pt> = Default::default();
        for item in &page.items {
            if let (Item::Text { x, y, glyphs, .. }, Some(n)) = (item, item.node()) {
                if n as usize != first_node {
                    continue;
                }
                // The right end of the line's last visible glyph.
                if let Some(g) = glyphs.iter().rev().find(|g| !g.text.trim().is_empty()) {
                    let right = x + g.x;
                    let e = lines.entry((*y * 100.0) as i64).or_insert(right);
                    *e = e.max(right);
                }
            }
        }
        ends.extend(lines.into_values());
    }
    ends.pop();
    let widest = ends.iter().copied().fold(Pt::MIN, Pt::max);
    let ragged = ends.iter().filter(|&&e| widest - e > 12.0).count();
    assert_eq!(
        ragged,
        0,
        "{} of {} lines end short of the margin",
        ragged,
        ends.len()
    );
}
