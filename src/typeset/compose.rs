//! Page composition: the title block, the table of contents, running heads, footnote areas,
//! page numbers, and booklet imposition.

use super::fonts::FontSet;
use super::frame::{join_fills, Color, Frame, Item, LinkTarget, Pt, Role, StructNode};
use super::layout::{line_fragment, Ctx, Flow, Fragment, Metrics};
use super::paginate::{paginate, Page, Placed, NOTE_GAP};
use super::paragraph::{Align, Paragraph, Piece, Style};
use crate::doc::{Block, Document};
use crate::page::PageSetup;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The style's colour of rules.
fn rule_color(doc: &Document) -> Color {
    doc.style.colors.rule.color()
}

/// The style's colour of running heads, page numbers and the date.
fn grey(doc: &Document) -> Color {
    doc.style.colors.running.color()
}

/// The title, subtitle, authors and date at the top of the first page.
pub fn title_block(ctx: &mut Ctx<'_>, heading: Option<&Block>) -> Vec<Fragment> {
    let m = ctx.m;
    let meta = &ctx.doc.meta;
    let w = ctx.measure;
    let look = ctx.doc.style.title.clone();
    let align = match look.align {
        crate::style::TitleAlign::Center => Align::Center,
        crate::style::TitleAlign::Left => Align::Left,
        crate::style::TitleAlign::Right => Align::Right,
    };
    let mut out: Vec<Fragment> = Vec::new();
    if !look.show {
        // No title block: a first heading that repeats the title keeps its anchor and bookmark.
        if let Some(Block::Heading {
            id, level, content, ..
        }) = heading
        {
            let scope = ctx.open(super::frame::Role::Heading {
                level: *level,
                title: meta.title.trim().to_owned(),
            });
            let mut f = [Fragment {
                items: vec![Item::Anchor {
                    id: id.clone(),
                    y: 0.0,
                }],
                keep_with_next: true,
                ..Fragment::default()
            }];
            ctx.close(scope, &mut f);
            ctx.flow.outline.push(super::frame::OutlineEntry {
                level: *level,
                title: crate::doc::plain_text(content).trim().to_owned(),
                anchor: id.clone(),
            });
            out.extend(f);
        }
        return out;
    }
    let mut title = ctx.text_style(m.body * look.size as Pt);
    title.bold = true;
    title.color = ctx.doc.style.colors.headings.color();
    // The title is the document's first heading when it stands for one (then not set twice).
    let scope = ctx.open(match heading {
        Some(Block::Heading { level, .. }) => super::frame::Role::Heading {
            level: *level,
            title: meta.title.trim().to_owned(),
        },
        _ => super::frame::Role::Title,
    });
    let mut frags = ctx.lines(
        &[Piece::Text(meta.title.clone(), title)],
        0.0,
        w,
        align,
        m.body * look.size as Pt * 1.238,
        false,
    );
    if let (
        Some(Block::Heading {
            id, level, content, ..
        }),
        Some(first),
    ) = (heading, frags.first_mut())
    {
        first.items.push(Item::Anchor {
            id: id.clone(),
            y: 0.0,
        });
        ctx.flow.outline.push(super::frame::OutlineEntry {
            level: *level,
            title: crate::doc::plain_text(content).trim().to_owned(),
            anchor: id.clone(),
        });
    }
    ctx.close(scope, &mut frags);
    out.append(&mut frags);
    let mut add = |ctx: &mut Ctx<'_>, text: String, style: Style, leading: Pt, space: Pt| {
        let scope = ctx.open(super::frame::Role::Paragraph);
        let mut f = ctx.lines(&[Piece::Text(text, style)], 0.0, w, align, leading, false);
        if let Some(first) = f.first_mut() {
            first.space_before = space;
        }
        ctx.close(scope, &mut f);
        out.append(&mut f);
    };
    if let Some(sub) = meta.subtitle.clone() {
        let mut st = ctx.text_style(m.body * 1.35);
        st.italic = true;
        add(ctx, sub, st, m.body * 1.8, m.body * 0.3);
    }
    if !meta.authors.is_empty() {
        let st = ctx.text_style(m.body * 1.15);
        add(
            ctx,
            ctx.doc.meta.authors.join(", "),
            st,
            m.body * 1.6,
            m.body * 0.9,
        );
    }
    if let Some(date) = ctx.doc.meta.date_shown.clone() {
        let mut st = Style::body(m.body);
        st.color = grey(ctx.doc);
        add(ctx, date, st, m.leading, m.body * 0.3);
    }
    for f in &mut out {
        f.keep_with_next = true;
    }
    // A short rule closes the block (on the title's side when it is not centred); without
    // one, the same space does.
    let (x1, x2) = match look.align {
        crate::style::TitleAlign::Center => (w * 0.4, w * 0.6),
        crate::style::TitleAlign::Left => (0.0, w * 0.2),
        crate::style::TitleAlign::Right => (w * 0.8, w),
    };
    let y = m.leading * 0.6;
    out.push(Fragment {
        height: m.leading * 1.2,
        space_before: m.body * 0.4,
        items: if look.rule {
            vec![Item::Line {
                x1,
                y1: y,
                x2,
                y2: y,
                width: 0.5,
                color: rule_color(ctx.doc),
            }]
        } else {
            Vec::new()
        },
        keep_with_next: !look.own_page,
        ..Fragment::default()
    });
    if look.own_page {
        // The text begins on the next page.
        out.push(Fragment {
            page_break: Some(super::layout::PageBreak::Page),
            ..Fragment::default()
        });
    }
    out
}

/// Inserts a table of contents after the title block and paginates; page numbers come from a
/// first pagination (the contents take the same room both times, so they stay right).
#[allow(clippy::too_many_arguments)]
pub fn with_toc(
    fonts: &FontSet,
    doc: &Document,
    m: Metrics,
    setup: &PageSetup,
    frags: &mut Vec<Fragment>,
    at: usize,
    flow: &Flow,
    depth: u8,
) -> (Vec<Page>, Vec<StructNode>) {
    let entries: Vec<_> = flow
        .outline
        .iter()
        .filter(|e| e.level <= depth)
        .cloned()
        .collect();
    let build = |numbers: &BTreeMap<String, usize>| -> (Vec<Fragment>, Vec<StructNode>) {
        let mut ctx = Ctx::new(fonts, doc, m, setup.measure(), setup.text_height());
        let mut out = Vec::new();
        let mut head = Style::body(m.body * 1.3);
        head.bold = true;
        let title = ctx.open(Role::Paragraph);
        out.extend(
            ctx.lines(
                &[Piece::Text(
                    crate::locale::Locale::of(&doc.meta.lang)
                        .words
                        .contents
                        .into(),
                    head,
                )],
                0.0,
                setup.measure(),
                Align::Left,
                m.leading * 1.3,
                false,
            ),
        );
        if let Some(f) = out.first_mut() {
            f.keep_with_next = true;
        }
        ctx.close(title, &mut out);
        let toc = ctx.open(Role::Toc);
        let min_level = entries.iter().map(|e| e.level).min().unwrap_or(1);
        for e in &entries {
            let item = ctx.open(Role::TocItem);
            let indent = f32::from(e.level - min_level) * m.body * 1.5;
            let number = numbers
                .get(&e.anchor)
                .map_or_else(|| "000".to_owned(), |n| n.to_string());
            out.push(toc_line(
                &mut ctx,
                &e.title,
                &number,
                &e.anchor,
                indent,
                setup.measure(),
                e.level == min_level,
            ));
            let at = out.len() - 1;
            ctx.close(item, &mut out[at..]);
        }
        ctx.close(toc, &mut []);
        if let Some(f) = out.last_mut() {
            f.height += m.leading;
        }
        // The contents' nodes follow the document's.
        let mut toc_flow = ctx.flow;
        toc_flow.fragments = out;
        toc_flow.shift_structure(flow.structure.len() as u32);
        (toc_flow.fragments, toc_flow.structure)
    };
    let with = |numbers: &BTreeMap<String, usize>| {
        let (toc, structure) = build(numbers);
        let mut all = frags[..at].to_vec();
        all.extend(toc);
        all.extend_from_slice(&frags[at..]);
        (all, structure)
    };
    let (first, _) = with(&BTreeMap::new());
    let pages = paginate(&first, &flow.notes, setup.text_height(), setup.two_sided);
    let numbers = anchor_pages(&pages, &first);
    let (second, structure) = with(&numbers);
    let pages = paginate(&second, &flow.notes, setup.text_height(), setup.two_sided);
    *frags = second;
    (pages, structure)
}

/// One contents line: title, dot leaders, page number, all a link to the heading.
fn toc_line(
    ctx: &mut Ctx<'_>,
    title: &str,
    number: &str,
    anchor: &str,
    indent: Pt,
    width: Pt,
    top: bool,
) -> Fragment {
    let m = ctx.m;
    let mut st = Style::body(m.body);
    st.bold = top;
    let num_w = m.body * 2.5;
    let lines = ctx.lines(
        &[Piece::Text(title.to_owned(), st.clone())],
        indent,
        width - indent - num_w - m.body,
        Align::Left,
        m.leading,
        false,
    );
    let mut f = Fragment {
        space_before: if top { m.leading * 0.3 } else { 0.0 },
        ..Fragment::default()
    };
    let mut y = 0.0;
    let mut last_end = indent;
    // Where the title's last line ends, from the start margin: its rightmost glyph, or in a
    // right-to-left document its leftmost one.
    let rtl = ctx.doc.meta.rtl() == Some(true);
    for l in lines {
        let xs = l.items.iter().filter_map(|i| {
            if let Item::Text { x, glyphs, .. } = i {
                let g = if rtl { glyphs.first() } else { glyphs.last() };
                g.map(|g| x + g.x)
            } else {
                None
            }
        });
        last_end = if rtl {
            ctx.measure - xs.fold(ctx.measure - indent, Pt::min)
        } else {
            xs.fold(indent, Pt::max)
        };
        for mut it in l.items {
            it.translate(0.0, y);
            f.items.push(it);
        }
        f.baseline.get_or_insert(y + l.baseline.unwrap_or(0.0));
        y += l.height;
    }
    let base = y - m.leading + f.baseline.unwrap_or(m.leading * 0.75);
    // Leaders and number on the last line of the title.
    let mut p =
        Paragraph::new(ctx.fonts, &ctx.doc.meta.lang, num_w, false).direction(ctx.doc.meta.rtl());
    p.add(&[Piece::Text(number.to_owned(), Style::body(m.body))]);
    let (num_lines, _) = p.set(&[num_w], Align::Right);
    let num_x = ctx.start_x(width - num_w, num_w);
    if let Some(l) = num_lines.into_iter().next() {
        for mut it in l.items {
            it.translate(num_x, base);
            f.items.push(it);
        }
    }
    // Dot leaders on a fixed grid from the right edge (so they line up from entry to entry),
    // never closer than a space to the title. They are drawn, not set: decoration has no text
    // to copy, and every glyph of a tagged file must have some.
    let dots_from = last_end + m.body * 1.0;
    let dots_to = width - num_w - m.body * 0.2;
    let step = m.body * 0.7;
    let dot = m.body * 0.1;
    let mut x = dots_to - dot * 2.0;
    while x >= dots_from {
        f.items.push(Item::Rect {
            x: ctx.start_x(x, dot),
            y: base - dot,
            w: dot,
            h: dot,
            fill: Some(grey(ctx.doc)),
            stroke: None,
        });
        x -= step;
    }
    f.items.push(Item::Link {
        x: ctx.start_x(indent, width - indent),
        y: 0.0,
        w: width - indent,
        h: y,
        target: LinkTarget::Anchor(anchor.to_owned()),
        node: None,
    });
    f.height = y;
    f
}

/// The page (1-based) of every anchor in a paginated flow.
fn anchor_pages(pages: &[Page], frags: &[Fragment]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (n, page) in pages.iter().enumerate() {
        for (_, placed) in &page.body {
            if let Placed::Body(i) = placed {
                for item in &frags[*i].items {
                    if let Item::Anchor { id, .. } = item {
                        out.entry(id.clone()).or_insert(n + 1);
                    }
                }
            }
        }
    }
    out
}

/// The structure nodes of the float that fragment `i` heads, in the order its items name
/// them, as [`Item::FloatRef`]s.
fn float_refs(frags: &[Fragment], i: usize) -> Vec<Item> {
    let len = frags
        .get(i)
        .and_then(|f| f.float)
        .map_or(0, |fl| fl.len.min(frags.len() - i));
    let mut nodes: Vec<u32> = Vec::new();
    for f in &frags[i..i + len] {
        for node in f.items.iter().filter_map(Item::node) {
            if !nodes.contains(&node) {
                nodes.push(node);
            }
        }
    }
    nodes
        .into_iter()
        .map(|node| Item::FloatRef { node })
        .collect()
}

/// Draws every page: body, footnotes, running head and page number.
///
/// Consumes the flow: every fragment is placed once, so its items move onto the page rather
/// than being copied (the whole book's display list exists once, not twice).
pub fn frames(
    fonts: &FontSet,
    doc: &Document,
    m: Metrics,
    setup: &PageSetup,
    pages: &[Page],
    mut frags: Vec<Fragment>,
    mut notes: BTreeMap<u32, Vec<Fragment>>,
) -> Vec<Frame> {
    let title_head = running_head(fonts, doc, m, setup, &doc.meta.title);
    // A book's pages are headed by their chapter (on right-hand pages when two-sided, the
    // left ones keep the book's title); a page that opens a chapter or part has no head, and
    // a page left blank before one has neither head nor number.
    let mut chapter_heads: BTreeMap<Arc<str>, Vec<Item>> = BTreeMap::new();
    let mut chapter: Option<Arc<str>> = None;
    let mut out = Vec::with_capacity(pages.len());
    for (n, page) in pages.iter().enumerate() {
        let mut opens = false;
        let mut blank = true;
        for (_, placed) in &page.body {
            if let Placed::Body(i) = placed {
                let f = &frags[*i];
                if let Some(title) = &f.running {
                    chapter = Some(title.clone());
                    opens = true;
                }
                blank &= f.height == 0.0 && f.items.is_empty();
            } else if let Placed::Header(_) = placed {
                blank = false;
            }
        }
        let running = &doc.style.running;
        let by_chapter = running.header == crate::style::Header::Chapter;
        let head = match &chapter {
            Some(title) if by_chapter && (!setup.two_sided || n.is_multiple_of(2)) => chapter_heads
                .entry(title.clone())
                .or_insert_with(|| running_head(fonts, doc, m, setup, title)),
            _ => &title_head,
        };
        let left = setup.left(n);
        let top = setup.top;
        let mut items = Vec::new();
        for (y, placed) in &page.body {
            let moved = match placed {
                Placed::Body(i) => frags
                    .get_mut(*i)
                    .map(|f| std::mem::take(&mut f.items))
                    .unwrap_or_default(),
                // A header repeated on a later page is decoration: its cells were read once.
                Placed::Header(h) => h
                    .items
                    .iter()
                    .cloned()
                    .map(|mut it| {
                        it.unclaim();
                        it
                    })
                    .collect(),
                // The figure is drawn on a later page (its items are still in the flow); its
                // nodes take their place in the reading order here.
                Placed::FloatRef(i) => float_refs(&frags, *i),
            };
            for mut it in moved {
                it.translate(left, top + y);
                items.push(it);
            }
        }
        if !page.notes.is_empty() {
            let mut y = top + setup.text_height() - page.notes_height;
            let rule_y = y + NOTE_GAP * 0.4;
            // On the start side: the right in a right-to-left document.
            let rule_w = setup.measure() / 3.0;
            let x1 = if doc.meta.rtl() == Some(true) {
                left + setup.measure() - rule_w
            } else {
                left
            };
            items.push(Item::Line {
                x1,
                y1: rule_y,
                x2: x1 + rule_w,
                y2: rule_y,
                width: 0.5,
                color: rule_color(doc),
            });
            y += NOTE_GAP;
            for (k, (number, line)) in page.notes.iter().enumerate() {
                let Some(f) = notes.get_mut(number).and_then(|v| v.get_mut(*line)) else {
                    continue;
                };
                if k > 0 {
                    y += f.space_before;
                }
                for mut it in std::mem::take(&mut f.items) {
                    it.translate(left, y);
                    items.push(it);
                }
                y += f.height;
            }
        }
        // Running head from the second page on; page number on every page.
        if n > 0 && !opens && !blank && running.header != crate::style::Header::None {
            for it in head {
                let mut it = it.clone();
                it.translate(left, top - m.body * 2.2);
                items.push(it);
            }
            let y = top - m.body * 1.3;
            items.extend(running.rule.then_some(Item::Line {
                x1: left,
                y1: y,
                x2: left + setup.measure(),
                y2: y,
                width: 0.3,
                color: rule_color(doc),
            }));
        }
        if !blank {
            items.extend(page_number(fonts, doc, m, setup, n));
        }
        join_fills(&mut items);
        out.push(Frame {
            boxes: None,
            width: setup.width,
            height: setup.height,
            items,
        });
    }
    out
}

fn running_head(
    fonts: &FontSet,
    doc: &Document,
    m: Metrics,
    setup: &PageSetup,
    text: &str,
) -> Vec<Item> {
    let mut st = Style::body(m.note);
    st.italic = true;
    st.color = grey(doc);
    let mut p =
        Paragraph::new(fonts, &doc.meta.lang, setup.measure(), false).direction(doc.meta.rtl());
    p.add(&[Piece::Text(text.to_owned(), st)]);
    let (lines, _) = p.set(&[setup.measure()], Align::Center);
    lines
        .into_iter()
        .next()
        .map(|l| line_fragment(l, 0.0, m.note).items)
        .unwrap_or_default()
}

fn page_number(
    fonts: &FontSet,
    doc: &Document,
    m: Metrics,
    setup: &PageSetup,
    n: usize,
) -> Vec<Item> {
    let mut st = Style::body(m.note);
    st.color = grey(doc);
    let mut p =
        Paragraph::new(fonts, &doc.meta.lang, setup.measure(), false).direction(doc.meta.rtl());
    p.add(&[Piece::Text((n + 1).to_string(), st)]);
    // `auto`: two-sided on the outer edge (right on odd pages, left on even), else centred.
    // One-sided pages are all right-hand pages: their outer edge is the right.
    use crate::style::PageNumbers;
    let outer = if !setup.two_sided || n.is_multiple_of(2) {
        Align::Right
    } else {
        Align::Left
    };
    let inner = if outer == Align::Right {
        Align::Left
    } else {
        Align::Right
    };
    let align = match doc.style.running.page_numbers {
        PageNumbers::None => return Vec::new(),
        PageNumbers::Auto if !setup.two_sided => Align::Center,
        PageNumbers::Center => Align::Center,
        PageNumbers::Auto | PageNumbers::Outer => outer,
        PageNumbers::Inner => inner,
    };
    let (lines, _) = p.set(&[setup.measure()], align);
    let y = setup.height - setup.bottom + m.leading * 1.6;
    lines
        .into_iter()
        .next()
        .map(|l| {
            let mut items = l.items;
            items
                .iter_mut()
                .for_each(|it| it.translate(setup.left(n), y));
            items
        })
        .unwrap_or_default()
}

/// Imposes pages two per landscape sheet so that a duplex-printed, folded stack reads in
/// order: sheet k's front holds pages (n-1-2k, 2k), its back (2k+1, n-2-2k), counted from 0.
pub fn booklet(frames: Vec<Frame>, setup: &PageSetup) -> Vec<Frame> {
    let (w, h) = (setup.width, setup.height);
    let mut pages: Vec<Option<Frame>> = frames.into_iter().map(Some).collect();
    while !pages.len().is_multiple_of(4) {
        pages.push(None);
    }
    let n = pages.len();
    let mut out = Vec::with_capacity(n / 2);
    let mut take = |i: usize| pages[i].take();
    for k in 0..n / 4 {
        for (l, r) in [(n - 1 - 2 * k, 2 * k), (2 * k + 1, n - 2 - 2 * k)] {
            let mut items = Vec::new();
            for (idx, dx) in [(l, 0.0), (r, w)] {
                if let Some(f) = take(idx) {
                    for mut it in f.items {
                        it.translate(dx, 0.0);
                        items.push(it);
                    }
                }
            }
            out.push(Frame {
                boxes: None,
                width: 2.0 * w,
                height: h,
                items,
            });
        }
    }
    out
}
