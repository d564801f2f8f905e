//! Joining a book's chapters into one body: chapter markers and title headings, heading levels
//! rebased to the chapter's depth, ids unique across the book, footnotes renumbered, links
//! between chapters resolved to anchors and image paths keyed from the source folder.

use super::{check_inside, normalize, Source};
use crate::doc::{visit_blocks_mut, visit_inline_lists_mut, Block, Inline, Loc};
use crate::error::{Diagnostic, Error, Result};
use crate::parse::percent_decode;
use crate::parse::resolve::slug;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One chapter being joined.
pub struct Chapter<'a> {
    /// Where it came from.
    pub source: &'a Source,
    /// Its parsed blocks.
    pub blocks: Vec<Block>,
    /// Its index in the document's files.
    pub file: u32,
}

/// What a chapter's ids became in the joined book.
#[derive(Default)]
struct Ids {
    /// Id as the chapter's own source knows it -> id in the book.
    headings: BTreeMap<String, String>,
    /// Ids raw HTML declares (`<a id>`, `<a name>`, any `id=`), kept as they are.
    anchors: BTreeSet<String>,
    /// The title heading's id (where a link to the chapter file lands).
    title: String,
}

/// Links that could not be kept, summarised into one warning each.
#[derive(Default)]
struct Dropped {
    outside: Vec<(PathBuf, Loc, String)>,
    missing_anchor: Vec<(PathBuf, Loc, String)>,
}

/// Joins the chapters into the book's body. Errors: an image path that leaves the project.
pub fn join(
    chapters: &mut [Chapter<'_>],
    src_dir: &Path,
    roots: &[PathBuf],
    files: &[PathBuf],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Block>> {
    // 1. The ids mdBook's HTML gives the headings (what authors link to), then title headings
    // and levels.
    let mdbook_ids: Vec<BTreeMap<String, String>> = chapters
        .iter_mut()
        .map(|ch| mdbook_ids(&mut ch.blocks))
        .collect();
    for ch in chapters.iter_mut() {
        if ch.source.rel.is_some() {
            title_heading(ch);
        }
    }
    // 2. Ids unique across the book, chapter by chapter in reading order.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut counters: BTreeMap<String, u32> = BTreeMap::new();
    let mut unique = |id: &str, used: &mut BTreeSet<String>| -> String {
        if used.insert(id.to_owned()) {
            return id.to_owned();
        }
        let n = counters.entry(id.to_owned()).or_insert(0);
        loop {
            *n += 1;
            let candidate = format!("{id}-{n}");
            if used.insert(candidate.clone()) {
                return candidate;
            }
        }
    };
    // Raw anchors are claimed first: they cannot be renamed.
    let mut ids: Vec<Ids> = Vec::with_capacity(chapters.len());
    for ch in chapters.iter_mut() {
        let mut chapter_ids = Ids {
            anchors: crate::parse::resolve::ids(&mut ch.blocks),
            ..Ids::default()
        };
        visit_blocks_mut(&mut ch.blocks, &mut |b| {
            if let Block::Heading { id, .. } = b {
                chapter_ids.anchors.remove(id.as_str());
            }
        });
        used.extend(chapter_ids.anchors.iter().cloned());
        ids.push(chapter_ids);
    }
    for ((ch, chapter_ids), aliases) in chapters.iter_mut().zip(ids.iter_mut()).zip(mdbook_ids) {
        let mut first = true;
        visit_blocks_mut(&mut ch.blocks, &mut |b| {
            if let Block::Heading { id, .. } = b {
                let new = unique(id, &mut used);
                chapter_ids.headings.insert(id.clone(), new.clone());
                if first {
                    chapter_ids.title = new.clone();
                    first = false;
                }
                *id = new;
            }
        });
        for (alias, local) in aliases {
            if let Some(new) = chapter_ids.headings.get(&local).cloned() {
                chapter_ids.headings.entry(alias).or_insert(new);
            }
        }
        if ch.source.rel.is_none() {
            let base = format!("part-{}", slug(&ch.source.title));
            chapter_ids.title = unique(&base, &mut used);
        }
    }
    // 3. Footnotes: each chapter numbers its own from 1; the book needs them distinct.
    let mut offset = 0;
    for ch in chapters.iter_mut() {
        offset += super::shift_notes(&mut ch.blocks, offset);
    }
    // 4. Links and images.
    let by_path: BTreeMap<&str, usize> = chapters
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.source.rel.as_deref().map(|r| (r, i)))
        .collect();
    let mut dropped = Dropped::default();
    let mut error = None;
    for k in 0..chapters.len() {
        let Some(rel) = chapters[k].source.rel.clone() else {
            continue;
        };
        let dir = Path::new(&rel)
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default();
        let resolver = Resolver {
            here: k,
            dir: &dir,
            by_path: &by_path,
            ids: &ids,
            src_dir,
        };
        let file = files[chapters[k].file as usize].clone();
        visit_inline_lists_mut(&mut chapters[k].blocks, &mut |list, loc| {
            let mut out = Vec::with_capacity(list.len());
            for inline in list.drain(..) {
                match inline {
                    Inline::Link {
                        url,
                        title,
                        content,
                        loc,
                    } => match resolver.link(&url) {
                        Target::Keep => out.push(Inline::Link {
                            url,
                            title,
                            content,
                            loc,
                        }),
                        Target::Anchor(id) => out.push(Inline::Link {
                            url: format!("#{id}"),
                            title,
                            content,
                            loc,
                        }),
                        Target::Missing => {
                            dropped.missing_anchor.push((file.clone(), loc, url));
                            out.extend(content);
                        }
                        Target::Outside => {
                            dropped.outside.push((file.clone(), loc, url));
                            out.extend(content);
                        }
                    },
                    Inline::Image {
                        url,
                        title,
                        alt,
                        loc: at,
                    } => {
                        let url = match resolver.image(&url, roots) {
                            Ok(u) => u,
                            Err(message) => {
                                error.get_or_insert(Error::Book {
                                    path: file.clone(),
                                    line: loc.line,
                                    message,
                                });
                                url
                            }
                        };
                        out.push(Inline::Image {
                            url,
                            title,
                            alt,
                            loc: at,
                        })
                    }
                    other => out.push(other),
                }
            }
            *list = out;
        });
    }
    if let Some(e) = error {
        return Err(e);
    }
    summarise(
        &dropped.outside,
        "a link to a file outside the book is kept as text",
        "links to files outside the book are kept as text",
        diagnostics,
    );
    summarise(
        &dropped.missing_anchor,
        "a link names an id no heading or anchor has; it is kept as text",
        "links name ids no heading or anchor has; they are kept as text",
        diagnostics,
    );

    // 5. One body: a marker before each chapter, a part block for each part title.
    let mut body = Vec::new();
    for (ch, chapter_ids) in chapters.iter_mut().zip(&ids) {
        let s = ch.source;
        let loc = Loc {
            file: ch.file,
            line: 1,
            col: 1,
            len: 0,
        };
        if s.rel.is_none() {
            body.push(Block::Part {
                title: s.title.clone(),
                id: chapter_ids.title.clone(),
                loc: Loc {
                    line: s.entry_line,
                    ..loc
                },
            });
            continue;
        }
        body.push(Block::Chapter {
            title: if let Some(page) = &s.page_title {
                page.clone()
            } else if s.title.is_empty() {
                ch.blocks
                    .first()
                    .and_then(super::heading_text)
                    .unwrap_or_default()
            } else {
                s.title.clone()
            },
            number: s.number.as_deref().map(super::summary::number_label),
            depth: s.depth,
            loc,
        });
        body.append(&mut ch.blocks);
    }
    Ok(body)
}

fn summarise(
    list: &[(PathBuf, Loc, String)],
    one: &str,
    many: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some((path, loc, url)) = list.first() else {
        return;
    };
    let message = if list.len() == 1 {
        format!("{one}: `{url}`")
    } else {
        format!("{} {many} (first: `{url}`)", list.len())
    };
    diagnostics.push(Diagnostic::warning_at(
        crate::error::Code::DeadLink,
        path,
        *loc,
        message,
    ));
}

/// The id mdBook's HTML renderer gives each heading (its text lower-cased, letters, digits,
/// `_` and `-` kept, white space as `-`, the rest dropped; `-1`, `-2`... for repeats within the
/// chapter), mapped to the heading's own id.
fn mdbook_ids(blocks: &mut [Block]) -> BTreeMap<String, String> {
    let mut used = BTreeSet::new();
    let mut out = BTreeMap::new();
    visit_blocks_mut(blocks, &mut |b| {
        if let Block::Heading { id, content, .. } = b {
            let mut base: String = crate::doc::plain_text(content)
                .trim()
                .to_lowercase()
                .chars()
                .filter_map(|c| {
                    if c.is_alphanumeric() || c == '_' || c == '-' {
                        Some(c)
                    } else if c.is_whitespace() {
                        Some('-')
                    } else {
                        None
                    }
                })
                .collect();
            if base.is_empty() {
                base = "section".into();
            }
            let mut candidate = base.clone();
            let mut n = 0;
            while !used.insert(candidate.clone()) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            out.insert(candidate, id.clone());
        }
    });
    out
}

/// Makes sure the chapter opens with its title heading (SUMMARY.md's title when the file has
/// none), rebases heading levels so the title sits at the chapter's depth and every other
/// heading below it, and writes mdBook's number into the title.
fn title_heading(ch: &mut Chapter<'_>) {
    let s = ch.source;
    let depth = s.depth.clamp(1, 6);
    // The title is the first heading when nothing a reader sees comes before it.
    let first = ch.blocks.iter().position(|b| !invisible(b));
    let has_title = matches!(first.map(|i| &ch.blocks[i]), Some(Block::Heading { .. }));
    let title_at = if has_title {
        first.unwrap_or(0)
    } else {
        let title = if s.title.trim().is_empty() {
            s.file
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            s.title.clone()
        };
        let mut taken = BTreeSet::new();
        visit_blocks_mut(&mut ch.blocks, &mut |b| {
            if let Block::Heading { id, .. } = b {
                taken.insert(id.clone());
            }
        });
        let mut id = slug(&title);
        if id.is_empty() {
            id = "chapter".into();
        }
        while taken.contains(&id) {
            id.push_str("-1");
        }
        let min = min_level(&ch.blocks).unwrap_or(depth + 1);
        ch.blocks.insert(
            0,
            Block::Heading {
                level: min.saturating_sub(1).max(1),
                id,
                classes: Vec::new(),
                attrs: Vec::new(),
                content: vec![Inline::Text { text: title }],
                loc: Loc {
                    file: ch.file,
                    line: 1,
                    col: 1,
                    len: 0,
                },
            },
        );
        0
    };
    let Block::Heading {
        level: title_level, ..
    } = ch.blocks[title_at]
    else {
        return;
    };
    let shift = i16::from(depth) - i16::from(title_level);
    let mut index = 0;
    visit_blocks_mut(&mut ch.blocks, &mut |b| {
        if let Block::Heading { level, .. } = b {
            let floor = if index == 0 {
                depth
            } else {
                (depth + 1).min(6)
            };
            *level = (i16::from(*level) + shift).clamp(i16::from(floor), 6) as u8;
            index += 1;
        }
    });
    if let (Some(number), Block::Heading { content, .. }) = (&s.number, &mut ch.blocks[title_at]) {
        content.insert(
            0,
            Inline::Text {
                text: format!("{} ", super::summary::number_label(number)),
            },
        );
    }
    // The title heading moves to the front, before any invisible anchors.
    if title_at > 0 {
        let title = ch.blocks.remove(title_at);
        ch.blocks.insert(0, title);
    }
}

/// Blocks a reader does not see: anchors, and paragraphs holding only anchors.
fn invisible(block: &Block) -> bool {
    match block {
        Block::Anchor { .. } => true,
        Block::Paragraph { content, .. } => content.iter().all(|i| match i {
            Inline::Anchor { .. } | Inline::SoftBreak => true,
            Inline::Text { text } => text.trim().is_empty(),
            _ => false,
        }),
        _ => false,
    }
}

fn min_level(blocks: &[Block]) -> Option<u8> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
}

enum Target {
    /// An external link (or one bindery cannot place): kept as written.
    Keep,
    /// A place in the book.
    Anchor(String),
    /// A fragment no heading or anchor of the chapter has.
    Missing,
    /// A file that is not part of the book.
    Outside,
}

struct Resolver<'a> {
    here: usize,
    dir: &'a Path,
    by_path: &'a BTreeMap<&'a str, usize>,
    ids: &'a [Ids],
    src_dir: &'a Path,
}

impl Resolver<'_> {
    fn link(&self, url: &str) -> Target {
        if url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return Target::Keep;
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() {
            return match fragment {
                Some(f) => self.anchor(self.here, Some(f)),
                None => Target::Keep,
            };
        }
        if path.starts_with('/') {
            return Target::Outside;
        }
        let decoded = percent_decode(path);
        let rel = normalize(&self.dir.join(&decoded));
        match self.chapter(&rel) {
            Some(k) => self.anchor(k, fragment),
            None => Target::Outside,
        }
    }

    /// The chapter a source-relative path names: `x.md`, its rendered `x.html`, a folder's
    /// `index.html` for its `README.md`.
    fn chapter(&self, rel: &str) -> Option<usize> {
        if let Some(&k) = self.by_path.get(rel) {
            return Some(k);
        }
        let stem = rel
            .strip_suffix(".html")
            .or_else(|| rel.strip_suffix(".htm"))
            .or_else(|| rel.strip_suffix('/'))
            .map(|s| {
                if rel.ends_with('/') {
                    format!("{s}/index")
                } else {
                    s.to_owned()
                }
            })?;
        if let Some(&k) = self.by_path.get(format!("{stem}.md").as_str()) {
            return Some(k);
        }
        let dir = stem.strip_suffix("index")?;
        self.by_path
            .get(format!("{dir}README.md").as_str())
            .copied()
    }

    fn anchor(&self, k: usize, fragment: Option<&str>) -> Target {
        let ids = &self.ids[k];
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return Target::Anchor(ids.title.clone());
        };
        let fragment = percent_decode(fragment);
        if let Some(id) = ids.headings.get(&fragment) {
            return Target::Anchor(id.clone());
        }
        if ids.anchors.contains(&fragment) {
            return Target::Anchor(fragment);
        }
        Target::Missing
    }

    /// An image path relative to the chapter, as a path relative to the source folder (the
    /// key the document's assets are read under).
    /// A path starting with `/` is taken from the source folder, as mdBook's site root.
    fn image(&self, url: &str, roots: &[PathBuf]) -> std::result::Result<String, String> {
        if url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return Ok(url.to_owned());
        }
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let rel = match path.strip_prefix('/') {
            Some(from_root) => normalize(Path::new(&percent_decode(from_root))),
            None => normalize(&self.dir.join(percent_decode(path))),
        };
        let file = self.src_dir.join(&rel);
        if file.exists() || rel.starts_with("..") {
            check_inside(&file, roots)?;
        }
        Ok(rel)
    }
}

/// `https:`, `mailto:` and other schemes (a Windows drive letter is not one).
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 1 => url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("ch01.md#a:b"));
        assert!(!has_scheme("c:/x"));
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b%"), "a b%");
        assert_eq!(percent_decode("%C3%A9"), "é");
    }
}
