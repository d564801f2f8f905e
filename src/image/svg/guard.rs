//! Bounds on an SVG, measured on its source before usvg converts it, and on the converted tree
//! before it is drawn.
//!
//! usvg converts a picture recursively: every nested element, and every reference to a
//! pattern, mask, clip path, marker, filter or `use`d element, is one call deeper. It copies
//! what `use` and markers instantiate, matches every CSS rule against every element with a
//! backtracking matcher, and looks for recursive references with scans that grow with the
//! square of the picture. Nothing there stops a hostile file before the stack, the memory or the
//! clock runs out (a loop of three masks overflows the stack; twelve descendant selectors on
//! sixty nested groups never finish), and what a stack overflow does cannot be caught.
//!
//! So the source is parsed here first (roxmltree, as usvg parses it, entities expanded), the
//! references every element makes are followed (its attributes, its `style`, and the style-sheet
//! rules that match it), and a picture is refused, as one that cannot be drawn, when
//! - its elements nest deeper than [`MAX_DEPTH`] levels, where following a reference counts as
//!   one level into what it refers to (so a chain of patterns counts as deep as it reaches);
//! - its references form a loop (a pattern filled with itself, three masks masking each other);
//! - it would expand to more than [`MAX_ELEMENTS`] elements once every `use`, marker, pattern
//!   and mask is counted where it is drawn, and every character of text as a glyph;
//! - applying its style sheets, or usvg's checks for recursive references, would take more
//!   than [`MAX_WORK`] steps.
//!
//! After conversion the tree itself is walked once more ([`check_tree`]): its depth (usvg may
//! add a group or two per element) and the pixels its filters are rasterized into.
//!
//! Everything here is iterative, so the check itself never recurses on the picture's shape.

use simplecss::DeclarationTokenizer;
use std::cell::Cell;
use std::collections::HashMap;
use usvg::roxmltree;

/// The deepest nesting of an SVG's elements, where a reference counts as one level into what it
/// refers to. 256 leaves room for any real figure (graphviz, Inkscape and matplotlib stay under
/// 30) and keeps usvg and the PDF writer far from the end of a worker thread's stack.
pub const MAX_DEPTH: u32 = 256;

/// The most elements an SVG may expand to (each `use`, marker, pattern and mask counted where
/// it is drawn, each character of text as a glyph): a quarter of a million.
pub const MAX_ELEMENTS: u64 = 250_000;

/// The most steps that matching an SVG's style sheets against its elements may take, and the
/// most that usvg's scans for recursive references may take: ten million each (well under a
/// second).
pub const MAX_WORK: u64 = 10_000_000;

/// The most pixels the filters of one SVG may be rasterized into in the PDF (blurs and shadows
/// are drawn as images): sixteen megapixels.
pub const MAX_FILTER_PIXELS: f64 = 16.0 * 1024.0 * 1024.0;

/// The most XML nodes (elements, text, comments) an SVG source may hold.
const MAX_NODES: u32 = 1_000_000;

/// How a reference brings in what it refers to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Via {
    /// A child element.
    Child,
    /// `use`, `tref` or `feImage`: a copy of the element.
    Copy,
    /// A marker, drawn at the ends of a shape (`true`: at every vertex too).
    Marker(bool),
    /// A pattern as a fill or stroke: inherited, so drawn for every shape and glyph below.
    Paint,
    /// A clip path, mask or filter (or a pattern or filter inheriting from another), drawn
    /// where it is used.
    Resource,
}

/// One element of the source, with what it refers to.
struct Elem<'a, 'i> {
    node: roxmltree::Node<'a, 'i>,
    /// Child elements and references, in order: (element index, how).
    edges: Vec<(u32, Via)>,
    /// References to gradients (leaves usvg resolves without recursion).
    leaves: u32,
    /// CSS steps spent matching this element.
    css_steps: u64,
    /// Glyphs of its own text (text content elements only).
    glyphs: u64,
    /// Vertices of its own outline (shapes only), an upper estimate.
    vertices: u64,
}

/// Checks the source of an SVG against the bounds above; the reason in plain words when it is
/// refused.
pub fn check_source(src: &str) -> Result<(), String> {
    // As usvg parses it: a DTD's internal entities are expanded, external ones never read.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(src, options).map_err(xml_reason)?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err("it is XML but not an SVG (its root element is not `svg`)".into());
    }

    // Elements in document order, and each one's index by roxmltree node id.
    let nodes: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.is_element()).collect();
    let max_id = doc
        .descendants()
        .map(|n| n.id().get_usize())
        .max()
        .unwrap_or(0);
    let mut index = vec![u32::MAX; max_id + 1];
    for (i, n) in nodes.iter().enumerate() {
        index[n.id().get_usize()] = i as u32;
    }

    // Plain nesting first: everything below walks ancestors (CSS) and must stay shallow.
    let mut depth = vec![0u32; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        let parent = n.parent_element().map(|p| index[p.id().get_usize()]);
        depth[i] = parent.map_or(1, |p| depth[p as usize] + 1);
        if depth[i] > MAX_DEPTH {
            return Err(too_deep());
        }
    }

    let mut ids: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if let Some(id) = n.attribute("id") {
            ids.entry(id).or_default().push(i as u32);
        }
    }

    let sheet = style_sheet(&doc)?;
    // Rules that can bring in a resource, with what they refer to.
    let referring: Vec<(usize, Vec<(&str, &str)>)> = sheet
        .rules
        .iter()
        .enumerate()
        .filter_map(|(r, rule)| {
            let refs: Vec<(&str, &str)> = rule
                .declarations
                .iter()
                .flat_map(|d| url_ids(d.value).into_iter().map(move |id| (d.name, id)))
                .collect();
            (!refs.is_empty()).then_some((r, refs))
        })
        .collect();

    let mut elems: Vec<Elem> = Vec::with_capacity(nodes.len());
    let steps = Cell::new(0u64);
    for &node in &nodes {
        let mut e = Elem {
            node,
            edges: Vec::new(),
            leaves: 0,
            css_steps: 0,
            glyphs: 0,
            vertices: 0,
        };
        for child in node.children() {
            if child.is_element() {
                e.edges.push((index[child.id().get_usize()], Via::Child));
            } else if child.is_text() && is_text_content(node) {
                e.glyphs += child.text().map_or(0, |t| t.chars().count() as u64);
            }
        }
        e.vertices = vertex_estimate(node);
        let tag = node.tag_name().name();
        for attr in node.attributes() {
            match attr.name() {
                "href" => {
                    if let Some(id) = attr.value().trim().strip_prefix('#') {
                        add_href(&mut e, tag, id, &ids, &nodes);
                    }
                }
                "style" => {
                    // Parsing declarations costs their number times the text's length (the
                    // parser locates every value's end from the start of the text).
                    let cost = declaration_cost(attr.value());
                    if cost > MAX_WORK {
                        return Err(too_much_css());
                    }
                    e.css_steps = e.css_steps.saturating_add(cost);
                    for d in DeclarationTokenizer::from(attr.value()) {
                        for id in url_ids(d.value) {
                            add_url(&mut e, d.name, id, &ids, &nodes);
                        }
                    }
                }
                name => {
                    for id in url_ids(attr.value()) {
                        add_url(&mut e, name, id, &ids, &nodes);
                    }
                }
            }
        }
        // Every rule is matched against every element, as usvg does; the steps are counted.
        let before = steps.get();
        let probe = Probe {
            node,
            steps: &steps,
        };
        for (r, rule) in sheet.rules.iter().enumerate() {
            steps.set(steps.get() + 1);
            let matched = rule.selector.matches(&probe);
            if steps.get() > MAX_WORK {
                return Err(too_much_css());
            }
            if matched {
                if let Ok(k) = referring.binary_search_by_key(&r, |(k, _)| *k) {
                    for &(name, id) in &referring[k].1 {
                        add_url(&mut e, name, id, &ids, &nodes);
                    }
                }
            }
        }
        e.css_steps = e.css_steps.saturating_add(steps.get() - before);
        elems.push(e);
    }

    let measure = measure(&elems, index[root.id().get_usize()])?;
    if measure.depth > MAX_DEPTH {
        return Err(too_deep());
    }
    if measure.elements > MAX_ELEMENTS {
        return Err(format!(
            "it expands to more than {MAX_ELEMENTS} elements once its repeated parts are counted"
        ));
    }
    if measure.css_work > MAX_WORK {
        return Err(too_much_css());
    }
    if measure.scan_work > MAX_WORK {
        return Err(
            "its patterns, masks and clip paths refer to each other too many times to be checked"
                .into(),
        );
    }
    Ok(())
}

/// What [`measure`] found.
struct Measure {
    depth: u32,
    elements: u64,
    css_work: u64,
    scan_work: u64,
}

/// Depth, expanded size and work of the picture from `root`, following children and
/// references depth-first without recursion; a reference back into the path being followed is
/// a loop.
fn measure(elems: &[Elem], root: u32) -> Result<Measure, String> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let n = elems.len();
    let mut state = vec![NEW; n];
    let mut depth = vec![0u32; n];
    // Elements once everything it draws is expanded.
    let mut size = vec![0u64; n];
    // Subtree counts for markers: shapes and the most vertices of one shape.
    let mut shapes = vec![0u64; n];
    let mut max_vertices = vec![0u64; n];
    // What usvg's recursion scans visit below an element: the size of every resource its
    // descendants (and what they copy) link to.
    let mut links = vec![0u64; n];
    let mut post = Vec::with_capacity(n);
    let mut stack: Vec<(u32, usize)> = vec![(root, 0)];
    state[root as usize] = OPEN;
    while let Some(top) = stack.last_mut() {
        let (x, next) = *top;
        let e = &elems[x as usize];
        if let Some(&(t, _)) = e.edges.get(next) {
            top.1 += 1;
            match state[t as usize] {
                NEW => {
                    state[t as usize] = OPEN;
                    stack.push((t, 0));
                }
                OPEN => return Err(loop_reason(&elems[t as usize])),
                _ => {}
            }
            continue;
        }
        stack.pop();
        let xi = x as usize;
        let mut d = 0u32;
        let mut s = 1u64
            .saturating_add(e.glyphs)
            .saturating_add(u64::from(e.leaves));
        let mut sh = u64::from(e.vertices > 0).saturating_add(e.glyphs);
        let mut mv = e.vertices;
        let mut l = 0u64;
        for &(t, via) in &e.edges {
            let ti = t as usize;
            match via {
                Via::Child => {
                    d = d.max(depth[ti]);
                    s = s.saturating_add(size[ti]);
                    sh = sh.saturating_add(shapes[ti]);
                    mv = mv.max(max_vertices[ti]);
                    l = l.saturating_add(links[ti]);
                }
                Via::Copy => {
                    d = d.max(depth[ti].saturating_add(1));
                    s = s.saturating_add(size[ti]);
                    sh = sh.saturating_add(shapes[ti]);
                    mv = mv.max(max_vertices[ti]);
                    l = l.saturating_add(links[ti]);
                }
                Via::Marker(_) | Via::Paint | Via::Resource => {
                    d = d.max(depth[ti].saturating_add(1));
                }
            }
        }
        // Markers are drawn on every shape below (the property is inherited), at its ends, and
        // at each vertex for `marker-mid`; a pattern in every shape and glyph it fills; other
        // resources once, where they are used.
        for &(t, via) in &e.edges {
            let ti = t as usize;
            match via {
                Via::Marker(mid) => {
                    let times = sh.max(1).saturating_mul(if mid { mv.max(1) } else { 2 });
                    s = s.saturating_add(times.saturating_mul(size[ti]));
                }
                Via::Paint => {
                    s = s.saturating_add(sh.max(1).saturating_mul(size[ti]));
                    l = l.saturating_add(size[ti]);
                }
                Via::Resource => {
                    s = s.saturating_add(size[ti]);
                    l = l.saturating_add(size[ti]);
                }
                _ => {}
            }
        }
        depth[xi] = d.saturating_add(1);
        size[xi] = s;
        shapes[xi] = sh;
        max_vertices[xi] = mv;
        links[xi] = l;
        state[xi] = DONE;
        post.push(x);
    }

    // How many times usvg's tree holds each element (`use` copies it), top-down.
    let mut copies = vec![0u64; n];
    copies[root as usize] = 1;
    for &x in post.iter().rev() {
        let c = copies[x as usize];
        for &(t, via) in &elems[x as usize].edges {
            if matches!(via, Via::Child | Via::Copy) {
                let ti = t as usize;
                copies[ti] = copies[ti].saturating_add(c);
            }
        }
    }
    let mut css_work = 0u64;
    let mut scan_work = 0u64;
    for &x in &post {
        let e = &elems[x as usize];
        let c = copies[x as usize];
        css_work = css_work.saturating_add(c.saturating_mul(e.css_steps));
        if is_scanned_container(e.node) {
            scan_work = scan_work.saturating_add(c.saturating_mul(links[x as usize]));
        }
    }
    Ok(Measure {
        depth: depth[root as usize],
        elements: size[root as usize],
        css_work,
        scan_work,
    })
}

/// Walks a converted tree (without recursion): refused when it nests deeper than four times
/// [`MAX_DEPTH`] groups, or when its filters would be rasterized into more than
/// [`MAX_FILTER_PIXELS`].
pub fn check_tree(tree: &usvg::Tree) -> Result<(), String> {
    let mut stack: Vec<(&usvg::Group, u32)> = vec![(tree.root(), 1)];
    let mut visited = 0u64;
    let mut filter_pixels = 0f64;
    while let Some((group, depth)) = stack.pop() {
        visited += 1;
        if depth > 4 * MAX_DEPTH {
            return Err(too_deep());
        }
        if visited > 4 * MAX_ELEMENTS {
            return Err(format!(
                "it expands to more than {MAX_ELEMENTS} elements once its repeated parts are counted"
            ));
        }
        if !group.filters().is_empty() {
            // The PDF writer rasterizes a filtered group at up to 1.5 pixels per point (an SVG
            // pixel is 0.75 pt) and never more than 5000 pixels a side.
            let bbox = group.abs_layer_bounding_box();
            let side = |v: f32| (f64::from(v) * 1.125).clamp(1.0, 5000.0);
            filter_pixels += side(bbox.width()) * side(bbox.height());
            if filter_pixels > MAX_FILTER_PIXELS {
                return Err(format!(
                    "its filters (blurs, shadows) would be drawn as more than {} megapixels",
                    MAX_FILTER_PIXELS / (1024.0 * 1024.0)
                ));
            }
        }
        if let Some(mut clip) = group.clip_path() {
            stack.push((clip.root(), depth + 1));
            while let Some(next) = clip.clip_path() {
                stack.push((next.root(), depth + 1));
                clip = next;
            }
        }
        if let Some(mut mask) = group.mask() {
            stack.push((mask.root(), depth + 1));
            while let Some(next) = mask.mask() {
                stack.push((next.root(), depth + 1));
                mask = next;
            }
        }
        for filter in group.filters() {
            for primitive in filter.primitives() {
                if let usvg::filter::Kind::Image(image) = primitive.kind() {
                    stack.push((image.root(), depth + 1));
                }
            }
        }
        for child in group.children() {
            match child {
                usvg::Node::Group(g) => stack.push((g, depth + 1)),
                usvg::Node::Path(p) => {
                    for paint in [p.fill().map(|f| f.paint()), p.stroke().map(|s| s.paint())]
                        .into_iter()
                        .flatten()
                    {
                        if let usvg::Paint::Pattern(pattern) = paint {
                            stack.push((pattern.root(), depth + 1));
                        }
                    }
                }
                usvg::Node::Text(t) => stack.push((t.flattened(), depth + 1)),
                usvg::Node::Image(image) => {
                    if let usvg::ImageKind::SVG(inner) = image.kind() {
                        stack.push((inner.root(), depth + 1));
                    }
                }
            }
        }
    }
    Ok(())
}

fn too_deep() -> String {
    format!(
        "its elements nest more than {MAX_DEPTH} levels deep (counting each reference to a \
         pattern, mask, marker or `use`d element as a level)"
    )
}

fn too_much_css() -> String {
    "its style sheet is too costly to apply (selectors of many levels over many elements)".into()
}

fn loop_reason(target: &Elem) -> String {
    match target.node.attribute("id") {
        Some(id) => format!("its references form a loop (through `#{}`)", id.trim()),
        None => "its references form a loop".into(),
    }
}

/// roxmltree's refusal in plain words, with the position.
fn xml_reason(e: roxmltree::Error) -> String {
    use roxmltree::Error as E;
    let pos = e.pos();
    let what = match e {
        E::NodesLimitReached => return format!("it has more than {MAX_NODES} XML nodes"),
        E::EntityReferenceLoop(_) => "its entities refer to each other too deeply".to_string(),
        E::UnknownEntityReference(..) => {
            "it uses an entity it does not define (external entities are never read)".to_string()
        }
        E::NoRootNode => return "it has no root element".into(),
        _ => "it is not well-formed XML".to_string(),
    };
    format!("{what} (line {}, column {})", pos.row, pos.col)
}

/// The style sheets usvg applies: every `style` element of type `text/css` or none.
fn style_sheet<'i>(doc: &'i roxmltree::Document<'i>) -> Result<simplecss::StyleSheet<'i>, String> {
    let mut sheet = simplecss::StyleSheet::new();
    let mut cost = 0u64;
    for node in doc.descendants().filter(|n| n.has_tag_name("style")) {
        if !matches!(node.attribute("type"), None | Some("text/css")) {
            continue;
        }
        if let Some(text) = node.text() {
            cost = cost.saturating_add(declaration_cost(text));
            if cost > MAX_WORK {
                return Err(too_much_css());
            }
            sheet.parse_more(text);
        }
    }
    // The matcher recurses once per selector component: a selector is never longer than the
    // nesting it could match.
    for rule in &sheet.rules {
        let components = rule.selector.to_string().matches(' ').count() + 1;
        if components > MAX_DEPTH as usize {
            return Err(too_much_css());
        }
    }
    Ok(sheet)
}

/// What parsing CSS declarations costs, in steps: simplecss works out a line and column from
/// the start of the text at the end of every value, so the work is the number of declarations
/// times the text's length (counted here as one step per 16 bytes).
fn declaration_cost(text: &str) -> u64 {
    let declarations = text.bytes().filter(|&b| b == b':').count() as u64 + 1;
    declarations.saturating_mul(text.len() as u64) / 16
}

/// The local ids named by `url(#id)` in a property value.
fn url_ids(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let inner = rest.trim_start().trim_start_matches(['"', '\'']);
        if let Some(id) = inner.strip_prefix('#') {
            let end = id.find(['"', '\'', ')']).unwrap_or(id.len());
            let id = id[..end].trim();
            if !id.is_empty() {
                out.push(id);
            }
        }
    }
    out
}

fn is_gradient(node: roxmltree::Node) -> bool {
    matches!(node.tag_name().name(), "linearGradient" | "radialGradient")
}

/// Elements whose descendants usvg scans for recursive links.
fn is_scanned_container(node: roxmltree::Node) -> bool {
    matches!(
        node.tag_name().name(),
        "pattern" | "clipPath" | "mask" | "filter"
    )
}

/// Elements whose text is drawn as glyphs.
fn is_text_content(node: roxmltree::Node) -> bool {
    matches!(
        node.tag_name().name(),
        "text" | "tspan" | "textPath" | "tref"
    )
}

/// An upper estimate of a shape's vertices (where markers go): a vertex takes at least two
/// characters of path data or points.
fn vertex_estimate(node: roxmltree::Node) -> u64 {
    let data = match node.tag_name().name() {
        "path" => node.attribute("d"),
        "polyline" | "polygon" => node.attribute("points"),
        "line" | "rect" | "circle" | "ellipse" => return 2,
        _ => return 0,
    };
    data.map_or(2, |d| d.len() as u64 / 2 + 2)
}

/// A `href` (or `xlink:href`): `use`, `tref` and `feImage` copy any element, a pattern or a
/// filter inherits from another of its kind; gradients and text paths are leaves.
fn add_href(
    e: &mut Elem,
    tag: &str,
    id: &str,
    ids: &HashMap<&str, Vec<u32>>,
    nodes: &[roxmltree::Node],
) {
    let Some(targets) = ids.get(id) else {
        return;
    };
    for &t in targets {
        let target = nodes[t as usize];
        let via = match tag {
            "use" | "tref" | "feImage" => Via::Copy,
            "pattern" if target.has_tag_name("pattern") => Via::Resource,
            "filter" if target.has_tag_name("filter") => Via::Resource,
            "linearGradient" | "radialGradient" | "textPath" => {
                e.leaves += 1;
                continue;
            }
            _ => continue,
        };
        e.edges.push((t, via));
    }
}

/// A `url(#id)` in property `name`: only what usvg follows for that property is an edge (a
/// fill refers to a pattern, a clip path to a `clipPath`...); gradients are leaves.
fn add_url(
    e: &mut Elem,
    name: &str,
    id: &str,
    ids: &HashMap<&str, Vec<u32>>,
    nodes: &[roxmltree::Node],
) {
    // A gradient's own properties never bring anything in (its stops are all it draws).
    if is_gradient(e.node) || e.node.has_tag_name("stop") {
        return;
    }
    let Some(targets) = ids.get(id) else {
        return;
    };
    for &t in targets {
        let target = nodes[t as usize];
        let kind = target.tag_name().name();
        let via = match (name, kind) {
            (_, "linearGradient" | "radialGradient") => {
                e.leaves += 1;
                continue;
            }
            ("fill" | "stroke", "pattern") => Via::Paint,
            ("clip-path", "clipPath") | ("mask", "mask") | ("filter", "filter") => Via::Resource,
            ("marker-mid", "marker") | ("marker", "marker") => Via::Marker(true),
            ("marker-start" | "marker-end", "marker") => Via::Marker(false),
            _ => continue,
        };
        e.edges.push((t, via));
    }
}

/// An element as the CSS matcher sees it, counting every step the matcher takes; past
/// [`MAX_WORK`] it sees no more parents or siblings, so the matcher stops at once.
#[derive(Clone, Copy)]
struct Probe<'a, 'd, 'i> {
    node: roxmltree::Node<'d, 'i>,
    steps: &'a Cell<u64>,
}

impl Probe<'_, '_, '_> {
    fn step(&self) -> bool {
        let s = self.steps.get() + 1;
        self.steps.set(s);
        s <= MAX_WORK
    }
}

impl simplecss::Element for Probe<'_, '_, '_> {
    fn parent_element(&self) -> Option<Self> {
        if !self.step() {
            return None;
        }
        self.node
            .parent_element()
            .map(|node| Probe { node, ..*self })
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        if !self.step() {
            return None;
        }
        self.node
            .prev_sibling_element()
            .map(|node| Probe { node, ..*self })
    }

    fn has_local_name(&self, name: &str) -> bool {
        self.node.tag_name().name() == name
    }

    fn attribute_matches(&self, local_name: &str, operator: simplecss::AttributeOperator) -> bool {
        self.node
            .attribute(local_name)
            .is_some_and(|v| operator.matches(v))
    }

    fn pseudo_class_matches(&self, class: simplecss::PseudoClass) -> bool {
        match class {
            simplecss::PseudoClass::FirstChild => self.node.prev_sibling_element().is_none(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">"#;

    fn nested(n: usize, open: &str, close: &str) -> String {
        format!(
            "{HEAD}{}<rect width=\"5\" height=\"5\"/>{}</svg>",
            open.repeat(n),
            close.repeat(n)
        )
    }

    #[test]
    fn moderate_nesting_passes_and_deep_nesting_is_refused() {
        assert_eq!(check_source(&nested(100, "<g>", "</g>")), Ok(()));
        assert_eq!(check_source(&nested(250, "<g>", "</g>")), Ok(()));
        let e = check_source(&nested(300, "<g>", "</g>")).unwrap_err();
        assert!(e.contains("256 levels"), "{e}");
        let e = check_source(&nested(100_000, "<g>", "</g>")).unwrap_err();
        assert!(e.contains("256 levels"), "{e}");
    }

    #[test]
    fn reference_chains_count_as_depth() {
        let chain = |n: usize| {
            let mut s = format!(
                "{HEAD}<defs><pattern id=\"p0\" width=\"4\" height=\"4\"><rect width=\"2\" height=\"2\"/></pattern>"
            );
            for i in 1..=n {
                s.push_str(&format!(
                    "<pattern id=\"p{i}\" width=\"4\" height=\"4\"><rect width=\"2\" height=\"2\" fill=\"url(#p{})\"/></pattern>",
                    i - 1
                ));
            }
            s.push_str(&format!(
                "</defs><rect width=\"9\" height=\"9\" fill=\"url(#p{n})\"/></svg>"
            ));
            s
        };
        assert_eq!(check_source(&chain(10)), Ok(()));
        assert!(check_source(&chain(200))
            .unwrap_err()
            .contains("levels deep"));
    }

    #[test]
    fn reference_loops_are_refused() {
        let masks: String = (0..3)
            .map(|i| {
                format!(
                    "<mask id=\"m{i}\"><rect width=\"8\" height=\"8\" fill=\"white\" mask=\"url(#m{})\"/></mask>",
                    (i + 1) % 3
                )
            })
            .collect();
        let svg = format!(
            "{HEAD}<defs>{masks}</defs><rect width=\"5\" height=\"5\" mask=\"url(#m0)\"/></svg>"
        );
        assert!(check_source(&svg).unwrap_err().contains("loop"));
        let uses = format!("{HEAD}<g id=\"a\"><use xlink:href=\"#a\"/></g></svg>");
        assert!(check_source(&uses).unwrap_err().contains("loop"));
    }

    #[test]
    fn a_gradient_named_by_every_element_is_no_loop() {
        let svg = format!(
            "{HEAD}<style>* {{ fill: url(#g) }}</style><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient><rect width=\"5\" height=\"5\"/></svg>"
        );
        assert_eq!(check_source(&svg), Ok(()));
    }

    #[test]
    fn a_clip_path_set_by_a_class_is_no_loop() {
        // As Illustrator writes it.
        let svg = format!(
            "{HEAD}<defs><style>.cls-1{{clip-path:url(#clip-path);}}</style><clipPath id=\"clip-path\"><rect width=\"8\" height=\"8\"/></clipPath></defs><g class=\"cls-1\"><rect width=\"5\" height=\"5\"/></g></svg>"
        );
        assert_eq!(check_source(&svg), Ok(()));
    }

    #[test]
    fn expansion_bombs_are_refused() {
        let mut uses = format!("{HEAD}<defs><rect id=\"u0\" width=\"1\" height=\"1\"/>");
        for k in 1..7 {
            uses.push_str(&format!("<g id=\"u{k}\">"));
            for _ in 0..10 {
                uses.push_str(&format!("<use xlink:href=\"#u{}\"/>", k - 1));
            }
            uses.push_str("</g>");
        }
        uses.push_str("</defs><use xlink:href=\"#u6\"/></svg>");
        assert!(check_source(&uses).unwrap_err().contains("expands"));

        let path: String = (0..300).map(|i| format!("L{} {} ", i % 7, i % 5)).collect();
        let mut markers = String::from(HEAD);
        for k in 0..4 {
            let mid = if k < 3 {
                format!("marker-mid=\"url(#m{})\"", k + 1)
            } else {
                String::new()
            };
            markers.push_str(&format!(
                "<marker id=\"m{k}\"><path d=\"M0 0 {path}\" stroke=\"black\" {mid}/></marker>"
            ));
        }
        markers.push_str(&format!(
            "<path d=\"M0 0 {path}\" stroke=\"black\" marker-mid=\"url(#m0)\"/></svg>"
        ));
        assert!(check_source(&markers).unwrap_err().contains("expands"));
    }

    #[test]
    fn an_inherited_pattern_counts_for_every_shape_it_fills() {
        let mut s = format!("{HEAD}<defs><pattern id=\"p\" width=\"9\" height=\"9\">");
        s.push_str(&"<rect width=\"1\" height=\"1\"/>".repeat(2_000));
        s.push_str("</pattern></defs><g fill=\"url(#p)\">");
        s.push_str(&"<rect width=\"5\" height=\"5\"/>".repeat(2_000));
        s.push_str("</g></svg>");
        assert!(check_source(&s).unwrap_err().contains("expands"));
    }

    #[test]
    fn backtracking_selectors_are_refused_quickly() {
        let svg = format!(
            "{HEAD}<style>x {}rect {{ fill: red }}</style>{}<rect width=\"1\" height=\"1\"/>{}</svg>",
            "g ".repeat(8),
            "<g>".repeat(60),
            "</g>".repeat(60)
        );
        let t = std::time::Instant::now();
        assert!(check_source(&svg).unwrap_err().contains("style sheet"));
        assert!(t.elapsed().as_secs() < 10);
    }

    #[test]
    fn long_style_sheets_and_style_attributes_are_refused_before_they_are_parsed() {
        let rules: String = (0..40_000)
            .map(|i| format!(".c{i} {{ fill: red }}"))
            .collect();
        let svg = format!("{HEAD}<style>{rules}</style><rect width=\"1\" height=\"1\"/></svg>");
        let t = std::time::Instant::now();
        assert!(check_source(&svg).unwrap_err().contains("style sheet"));
        let style = "fill: red; ".repeat(40_000);
        let svg = format!("{HEAD}<rect width=\"1\" height=\"1\" style=\"{style}\"/></svg>");
        assert!(check_source(&svg).unwrap_err().contains("style sheet"));
        assert!(t.elapsed().as_secs() < 10);
        // An ordinary one passes.
        let rules: String = (0..200)
            .map(|i| format!(".c{i} {{ fill: red; stroke: blue }}\n"))
            .collect();
        let svg = format!(
            "{HEAD}<style>{rules}</style><rect class=\"c7\" width=\"1\" height=\"1\"/></svg>"
        );
        assert_eq!(check_source(&svg), Ok(()));
    }

    #[test]
    fn quadratic_recursion_scans_are_refused() {
        let mut s = format!("{HEAD}<defs><pattern id=\"B\" width=\"9\" height=\"9\">");
        s.push_str(&"<rect width=\"1\" height=\"1\"/>".repeat(20_000));
        s.push_str("</pattern>");
        for i in 0..100 {
            s.push_str(&format!("<pattern id=\"p{i}\" width=\"9\" height=\"9\">"));
            s.push_str(&"<rect width=\"1\" height=\"1\" fill=\"url(#B)\"/>".repeat(200));
            s.push_str("</pattern>");
        }
        s.push_str("</defs><rect width=\"5\" height=\"5\" fill=\"url(#p0)\"/></svg>");
        assert!(check_source(&s).is_err());
    }

    #[test]
    fn plain_words_for_xml_errors() {
        let e = check_source("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect").unwrap_err();
        assert!(e.starts_with("it is not well-formed XML (line 1"), "{e}");
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>";
        assert!(check_source(xxe).unwrap_err().contains("entity"));
    }
}
