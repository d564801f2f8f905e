//! Whole-document passes after folding: footnotes placed at their references, heading ids.

use crate::doc::{plain_text, Block, Inline, Loc};
use crate::error::Diagnostic;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// Footnote definitions by label index, each taken once when first referenced.
pub struct Notes {
    /// Label text by index.
    pub labels: Vec<String>,
    /// Body and location by label index.
    pub bodies: BTreeMap<usize, (Vec<Block>, Loc)>,
}

struct Resolver<'a> {
    path: &'a Path,
    labels: Vec<String>,
    /// Label index by label text (a scan of `labels` per reference made 80,000 notes slow).
    label_index: HashMap<String, usize>,
    bodies: BTreeMap<usize, (Vec<Block>, Loc)>,
    /// Final number by label index, given at the first reference.
    numbers: BTreeMap<usize, u32>,
    warned: BTreeSet<usize>,
    warnings: &'a mut Vec<Diagnostic>,
    /// The location of the block being walked, for messages about its inlines.
    loc: Loc,
}

/// Replaces every label reference with the note itself (first reference, numbered in order) or
/// a [`Inline::NoteRef`] to it (later references). Unknown labels and unused definitions warn.
pub fn footnotes(path: &Path, blocks: &mut [Block], notes: Notes, warnings: &mut Vec<Diagnostic>) {
    let mut label_index = HashMap::with_capacity(notes.labels.len());
    for (i, l) in notes.labels.iter().enumerate() {
        label_index.entry(l.clone()).or_insert(i);
    }
    let mut r = Resolver {
        path,
        labels: notes.labels,
        label_index,
        bodies: notes.bodies,
        numbers: BTreeMap::new(),
        warned: BTreeSet::new(),
        warnings,
        loc: Loc::default(),
    };
    r.blocks(blocks);
    for (label, (_, loc)) in std::mem::take(&mut r.bodies) {
        if !r.numbers.contains_key(&label) {
            let name = r.labels.get(label).cloned().unwrap_or_default();
            r.warnings.push(Diagnostic::warning_at(
                crate::error::Code::Footnote,
                path,
                loc,
                format!("footnote `[^{name}]` is defined but never referenced; it is left out"),
            ));
        }
    }
}

impl Resolver<'_> {
    fn blocks(&mut self, blocks: &mut [Block]) {
        for block in blocks {
            self.loc = block.loc();
            match block {
                Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                    self.inlines(content)
                }
                Block::Quote { blocks, .. }
                | Block::Alert { blocks, .. }
                | Block::Aligned { blocks, .. } => self.blocks(blocks),
                Block::Details {
                    summary: caption,
                    blocks,
                    ..
                } => {
                    self.inlines(caption);
                    self.blocks(blocks)
                }
                Block::Listing {
                    caption, blocks, ..
                } => {
                    self.inlines(caption);
                    self.blocks(blocks)
                }
                // A figure's caption is set below it.
                Block::Figure {
                    caption, blocks, ..
                } => {
                    self.blocks(blocks);
                    self.inlines(caption)
                }
                Block::List { items, .. } => {
                    items.iter_mut().for_each(|i| self.blocks(&mut i.blocks))
                }
                Block::DefinitionList { items, .. } => {
                    for item in items {
                        self.inlines(&mut item.term);
                        item.definitions.iter_mut().for_each(|d| self.blocks(d));
                    }
                }
                Block::Table { head, rows, .. } => {
                    head.iter_mut()
                        .chain(rows.iter_mut())
                        .flatten()
                        .for_each(|c| self.inlines(c));
                }
                Block::CodeBlock { .. }
                | Block::Rule { .. }
                | Block::Anchor { .. }
                | Block::Html { .. }
                | Block::Chapter { .. }
                | Block::Part { .. } => {}
            }
        }
    }

    fn inlines(&mut self, inlines: &mut [Inline]) {
        for inline in inlines {
            match inline {
                Inline::NoteRef { number } => {
                    let label = *number as usize;
                    *inline = self.reference(label);
                }
                Inline::Image { alt, .. } => self.inlines(alt),
                Inline::Note { blocks, .. } => self.blocks(blocks),
                Inline::Text { text } => self.undefined_references(text),
                // Emphasis, links, spans and the like: what they hold (`Inline::content_mut`).
                other => {
                    if let Some(content) = other.content_mut() {
                        self.inlines(content);
                    }
                }
            }
        }
    }

    /// The parser leaves `[^label]` as text when no definition exists: say so.
    fn undefined_references(&mut self, text: &str) {
        let mut rest = text;
        while let Some(start) = rest.find("[^") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(']') else { break };
            let name = &after[..end];
            if !name.is_empty() && !name.contains(char::is_whitespace) {
                let key = match self.label_index.get(name) {
                    Some(&key) => key,
                    None => {
                        self.labels.push(name.to_owned());
                        self.label_index
                            .insert(name.to_owned(), self.labels.len() - 1);
                        self.labels.len() - 1
                    }
                };
                if !self.bodies.contains_key(&key)
                    && !self.numbers.contains_key(&key)
                    && self.warned.insert(key)
                {
                    self.warnings.push(Diagnostic::warning_at(crate::error::Code::Footnote, self.path, self.loc,
                        format!("footnote `[^{name}]` is referenced but never defined; the text is kept as written"),
                    ));
                }
            }
            rest = &after[end..];
        }
    }

    fn reference(&mut self, label: usize) -> Inline {
        if let Some(&number) = self.numbers.get(&label) {
            return Inline::NoteRef { number };
        }
        let Some((mut body, _)) = self.bodies.remove(&label) else {
            let name = self.labels.get(label).cloned().unwrap_or_default();
            if self.warned.insert(label) {
                self.warnings.push(Diagnostic::warning_at(
                    crate::error::Code::Footnote,
                    self.path,
                    self.loc,
                    format!("footnote `[^{name}]` is referenced but never defined"),
                ));
            }
            // Keep what the author wrote rather than dropping it.
            return Inline::Text {
                text: format!("[^{name}]"),
            };
        };
        let number = self.numbers.len() as u32 + 1;
        self.numbers.insert(label, number);
        let outer = self.loc;
        // References inside the note are numbered after it; a note that refers to itself meets
        // its own number and becomes a NoteRef, so cycles end.
        self.blocks(&mut body);
        self.loc = outer;
        Inline::Note {
            number,
            blocks: body,
        }
    }
}

/// Gives every heading a unique id: explicit `{#id}` first, then slugs of the heading text.
/// Anchors (HTML `id`s) are claimed with the explicit ids; a repeated one is dropped (links
/// reach the first). An empty heading is dropped with a warning (its explicit id stays as an
/// anchor), so it adds nothing to the contents or the outline.
pub fn heading_ids(path: &Path, blocks: &mut Vec<Block>, warnings: &mut Vec<Diagnostic>) {
    drop_empty_headings(path, blocks, warnings);
    let mut used = BTreeSet::new();
    let mut anchors = BTreeSet::new();
    crate::doc::visit_blocks_mut(blocks, &mut |block| {
        if let Block::Anchor { id, loc } = block {
            if !anchors.insert(id.clone()) {
                warnings.push(Diagnostic::warning_at(
                    crate::error::Code::DuplicateId,
                    path,
                    loc,
                    format!("duplicate id `{id}`; links reach the first one"),
                ));
                id.clear();
            }
        }
    });
    crate::doc::visit_inline_lists_mut(blocks, &mut |list, loc| {
        list.retain(|inline| match inline {
            Inline::Anchor { id } if !anchors.insert(id.clone()) => {
                warnings.push(Diagnostic::warning_at(
                    crate::error::Code::DuplicateId,
                    path,
                    loc,
                    format!("duplicate id `{id}`; links reach the first one"),
                ));
                false
            }
            _ => true,
        })
    });
    remove_cleared_anchors(blocks);
    used.extend(anchors);
    // Explicit ids are claimed first so that an automatic slug never takes one of them.
    visit_headings(blocks, &mut |block| {
        if let Block::Heading { id, loc, .. } = block {
            if !id.is_empty() && !used.insert(id.clone()) {
                warnings.push(Diagnostic::warning_at(
                    crate::error::Code::DuplicateId,
                    path,
                    loc,
                    format!("duplicate id `{id}` on a heading; this one is renamed"),
                ));
                id.clear();
            }
        }
    });
    let mut explicit = used.clone();
    let mut unique = UniqueIds::new(used);
    visit_headings(blocks, &mut |block| {
        if let Block::Heading { id, content, .. } = block {
            if !id.is_empty() && explicit.remove(id.as_str()) {
                return;
            }
            *id = unique.claim(slug(&plain_text(content)));
        }
    });
}

/// Unique ids from base ids: `intro`, then `intro-1`, `intro-2`... skipping every id already
/// taken (explicit ids, anchors, earlier slugs). Linear in the ids claimed: the next suffix to
/// try is remembered per base, and since taken ids are never released, every suffix skipped
/// once stays taken (24,000 identical headings cost 24,000 steps, not 288 million).
struct UniqueIds {
    used: HashSet<String>,
    /// The next suffix to try for a base (0 is the base itself).
    next: HashMap<String, usize>,
}

impl UniqueIds {
    fn new(used: BTreeSet<String>) -> Self {
        UniqueIds {
            used: used.into_iter().collect(),
            next: HashMap::new(),
        }
    }

    /// The first of `base`, `base-1`, `base-2`... not yet taken, which it takes.
    fn claim(&mut self, base: String) -> String {
        let n = self.next.entry(base.clone()).or_insert(0);
        loop {
            let candidate = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn drop_empty_headings(path: &Path, blocks: &mut Vec<Block>, warnings: &mut Vec<Diagnostic>) {
    let empty = |content: &[Inline]| {
        plain_text(content).trim().is_empty()
            && !content
                .iter()
                .any(|i| matches!(i, Inline::Image { .. } | Inline::Math { .. }))
    };
    let mut fix = |blocks: &mut Vec<Block>| {
        for block in blocks.iter_mut() {
            if let Block::Heading {
                id, content, loc, ..
            } = block
            {
                if empty(content) {
                    warnings.push(Diagnostic::warning_at(
                        crate::error::Code::EmptyHeading,
                        path,
                        *loc,
                        "empty heading left out (nothing to show in the contents or outline)",
                    ));
                    *block = Block::Anchor {
                        id: std::mem::take(id),
                        loc: *loc,
                    };
                }
            }
        }
    };
    fix(blocks);
    crate::doc::visit_blocks_mut(blocks, &mut |block| match block {
        Block::Quote { blocks, .. }
        | Block::Alert { blocks, .. }
        | Block::Listing { blocks, .. }
        | Block::Aligned { blocks, .. }
        | Block::Details { blocks, .. }
        | Block::Figure { blocks, .. } => fix(blocks),
        Block::List { items, .. } => items.iter_mut().for_each(|i| fix(&mut i.blocks)),
        Block::DefinitionList { items, .. } => items
            .iter_mut()
            .flat_map(|i| i.definitions.iter_mut())
            .for_each(&mut fix),
        _ => {}
    });
    remove_cleared_anchors(blocks);
}

/// Removes anchors whose id was cleared (repeats, empty headings without an id).
fn remove_cleared_anchors(blocks: &mut Vec<Block>) {
    crate::doc::retain_blocks(
        blocks,
        &|b| !matches!(b, Block::Anchor { id, .. } if id.is_empty()),
    );
}

/// Every id a link can reach in `blocks`: headings, anchors and parts.
pub fn ids(blocks: &mut [Block]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    crate::doc::visit_blocks_mut(blocks, &mut |block| match block {
        Block::Heading { id, .. } | Block::Anchor { id, .. } | Block::Part { id, .. } => {
            ids.insert(id.clone());
        }
        _ => {}
    });
    crate::doc::visit_inline_lists_mut(blocks, &mut |list, _| {
        for inline in list.iter() {
            if let Inline::Anchor { id } = inline {
                ids.insert(id.clone());
            }
        }
    });
    ids
}

/// Links to `#id` where no heading or anchor has that id: a warning at the link, and the link
/// becomes its text, so that no output has a link that leads nowhere.
pub fn internal_links(path: &Path, blocks: &mut [Block], warnings: &mut Vec<Diagnostic>) {
    let ids = ids(blocks);
    unlink(blocks, &mut |url, loc| {
        let fragment = url.strip_prefix('#')?;
        let id = crate::parse::percent_decode(fragment);
        if ids.contains(id.as_str()) {
            return None;
        }
        Some(Diagnostic::warning_at(
            crate::error::Code::DeadLink,
            path,
            loc,
            if fragment.is_empty() {
                "link with an empty target kept as text".to_owned()
            } else {
                format!("link to `#{fragment}`: no heading or anchor has that id; kept as text")
            },
        ))
    })
    .into_iter()
    .for_each(|w| warnings.push(w));
}

/// Replaces each link for which `judge` gives a warning with the link's content; returns the
/// warnings in document order.
pub fn unlink(
    blocks: &mut [Block],
    judge: &mut dyn FnMut(&str, Loc) -> Option<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    crate::doc::visit_inline_lists_mut(blocks, &mut |list, _| {
        if !list.iter().any(|i| matches!(i, Inline::Link { .. })) {
            return;
        }
        let mut out = Vec::with_capacity(list.len());
        for inline in list.drain(..) {
            match inline {
                Inline::Link {
                    url,
                    title,
                    content,
                    loc,
                } => match judge(&url, loc) {
                    Some(warning) => {
                        found.push(warning);
                        content.into_iter().for_each(|i| push_merged(&mut out, i));
                    }
                    None => out.push(Inline::Link {
                        url,
                        title,
                        content,
                        loc,
                    }),
                },
                other => push_merged(&mut out, other),
            }
        }
        *list = out;
    });
    found
}

/// Pushes an inline, joining text to text before it (an unlinked link's words run on).
fn push_merged(out: &mut Vec<Inline>, inline: Inline) {
    match (out.last_mut(), inline) {
        (Some(Inline::Text { text: last }), Inline::Text { text }) => last.push_str(&text),
        (_, inline) => out.push(inline),
    }
}

fn visit_headings(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    crate::doc::visit_blocks_mut(blocks, &mut |block| {
        if matches!(block, Block::Heading { .. }) {
            f(block)
        }
    });
}

/// A heading's text as an anchor: lower case, letters and digits kept (any script), spaces and
/// punctuation runs become single hyphens. XML ids may not start with a digit, so such slugs get a
/// leading `h-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c.is_ascii_punctuation() || !c.is_alphanumeric()
        {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        return "section".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        out.insert_str(0, "h-");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("  Ünïcode  ƏLİFBA "), "ünïcode-əli̇fba");
        assert_eq!(slug("1. Getting Started"), "h-1-getting-started");
        assert_eq!(slug("???"), "section");
        assert_eq!(slug("Ελληνικά и Русский"), "ελληνικά-и-русский");
    }
}
