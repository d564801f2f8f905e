//! Books: a project of several Markdown files read as one document.
//!
//! An mdBook book (`book.toml` + `SUMMARY.md`) or a `bindery.toml` list of files becomes one
//! [`Document`]: chapters in order, each opened by a [`Block::Chapter`] marker and its title
//! heading (numbered as mdBook numbers it, levels rebased to the chapter's depth), mdBook's
//! includes expanded, external preprocessors run, links between chapters resolved to anchors,
//! heading ids and footnote numbers unique across the book, images keyed from the source
//! folder. Everything is read here; backends never learn that a document was a book.

pub mod config;
pub mod include;
mod links;
pub mod mdbook;
pub mod preprocess;
pub mod summary;

use crate::doc::{plain_text, visit_blocks_mut, visit_inlines_mut, Block, Document, Inline};
use crate::error::{Diagnostic, Error, Result};
use crate::parse::MetaOverrides;
pub use config::{Config, Kind};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};

/// Largest chapter or configuration file read (a book chapter is rarely over a megabyte).
pub const MAX_FILE: u64 = crate::source::MAX_TEXT_BYTES;

/// The configuration file of a book project in `dir`, if it is one: `book.toml` (mdBook) or
/// `bindery.toml`.
pub fn project_config(dir: &Path) -> Option<(PathBuf, Kind)> {
    let book = dir.join("book.toml");
    if book.is_file() {
        return Some((book, Kind::MdBook));
    }
    let bindery = dir.join("bindery.toml");
    bindery.is_file().then_some((bindery, Kind::Bindery))
}

/// How a book is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folders besides the project that includes and images may read (`--allow-root`).
    pub allow: Vec<PathBuf>,
    /// The renderer external preprocessors are told about (`bindery`).
    pub renderer: String,
    /// Run the preprocessors book.toml names (off when mdBook has already run them).
    pub preprocessors: bool,
}

/// A book read into one document, with what the build needs to name its outputs.
#[derive(Debug)]
pub struct Book {
    /// The whole book.
    pub doc: Document,
    /// The outputs' file name without extension.
    pub name: String,
    /// The configuration it was read with.
    pub config: Config,
}

/// One chapter's source, before parsing.
#[derive(Debug, Clone)]
pub struct Source {
    /// Title as the contents list names it.
    pub title: String,
    /// `{{#title}}`: the title of the chapter's page (running heads), when it sets one.
    pub page_title: Option<String>,
    /// mdBook's number.
    pub number: Option<Vec<u32>>,
    /// Nesting depth from 1.
    pub depth: u8,
    /// Path relative to the source folder, `/`-separated (`None` for a part title).
    pub rel: Option<String>,
    /// The file on disk.
    pub file: PathBuf,
    /// Its text, includes expanded.
    pub text: String,
    /// For each line of `text`, the line of the file it came from (empty: the same line).
    pub lines: Vec<u32>,
    /// Line of its entry in SUMMARY.md or bindery.toml.
    pub entry_line: u32,
    /// The parent chapters' titles (mdBook's `parent_names`).
    pub parents: Vec<String>,
    /// The files its `{{#include}}`s read (canonical paths).
    pub includes: Vec<PathBuf>,
}

/// Reads a book project whose configuration file is `config_path`.
pub fn load(
    config_path: &Path,
    kind: Kind,
    overrides: &MetaOverrides,
    options: &LoadOptions,
) -> Result<Book> {
    let mut book = load_project(config_path, kind, overrides, options)?;
    // The files that list the chapters were read too (`bindery watch` watches them).
    let mut reads = vec![config_path.to_owned()];
    if kind == Kind::MdBook {
        let book_dir = config_path.parent().unwrap_or(Path::new(""));
        reads.push(book_dir.join(&book.config.src).join("SUMMARY.md"));
    }
    reads.append(&mut book.doc.reads);
    book.doc.reads = reads;
    Ok(book)
}

/// [`load`], but for the configuration and SUMMARY.md in [`Document::reads`].
fn load_project(
    config_path: &Path,
    kind: Kind,
    overrides: &MetaOverrides,
    options: &LoadOptions,
) -> Result<Book> {
    let config = config::read(config_path, kind)?;
    let book_dir = config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let roots = roots(&book_dir, options);
    let diagnostics = config.warnings.clone();

    // Reading the chapter list and files; warnings come back beside them.
    let read_sources = || -> Result<_> {
        let mut warnings = Vec::new();
        let listed = match kind {
            Kind::MdBook => {
                let src = book_dir.join(&config.src);
                let summary_path = src.join("SUMMARY.md");
                if !summary_path.is_file() {
                    return Err(Error::Book {
                        path: summary_path,
                        line: 0,
                        message: "no SUMMARY.md: an mdBook book lists its chapters there".into(),
                    });
                }
                let text = read_text(&summary_path, None)?;
                let summary = summary::parse(&text).map_err(|e| Error::Book {
                    path: summary_path.clone(),
                    line: e.line,
                    message: e.message,
                })?;
                let sources = summary_sources(&summary, &summary_path, &src, &roots, &config)?;
                (src, sources, summary.title)
            }
            Kind::Bindery => {
                let mut sources = Vec::new();
                for (file, line) in &config.files {
                    let path = book_dir.join(file);
                    let at = |message: String| Error::Book {
                        path: config_path.to_owned(),
                        line: *line,
                        message,
                    };
                    if !path.is_file() {
                        return Err(at(format!("`{file}` does not exist")));
                    }
                    check_inside(&path, &roots).map_err(at)?;
                    let text = read_text(&path, None)?;
                    // Files written as documents of their own may carry front matter: its title
                    // names the chapter; the rest is the book's business (bindery.toml).
                    let mut front = crate::doc::Metadata::default();
                    let mut ignored = Vec::new();
                    let found =
                        crate::parse::frontmatter::read(&path, &text, &mut front, &mut ignored)?;
                    if found.body_start > 0 {
                        warnings.push(Diagnostic::warning(
crate::error::Code::IgnoredFrontMatter,
                        &path,
                        1,
                        1,
                        "front matter of a file listed in bindery.toml: only its `title` is used (as the chapter's title); set the rest in bindery.toml",
                    ));
                    }
                    let body = text[found.body_start..].to_owned();
                    let lines = if found.body_start > 0 {
                        let n = body.split('\n').count() as u32;
                        (found.body_line..found.body_line + n).collect()
                    } else {
                        Vec::new()
                    };
                    sources.push(Source {
                        page_title: None,
                        title: front.title,
                        number: None,
                        depth: 1,
                        rel: Some(normalize(Path::new(file))),
                        file: path,
                        text: body,
                        lines,
                        entry_line: *line,
                        parents: Vec::new(),
                        includes: Vec::new(),
                    });
                }
                (book_dir.clone(), sources, None)
            }
        };
        Ok((listed, warnings))
    };
    // The book is put together while the preprocessors are asked: when none of them takes
    // part (missing, or not for this renderer) that book is the answer, and a slow
    // `cargo run` check costs no time. One that does take part means assembling again.
    let wanted = options.preprocessors && !config.preprocessors.is_empty();
    let (support, read) = std::thread::scope(|scope| {
        let support = wanted.then(|| {
            scope.spawn(|| preprocess::check_support(&config, &book_dir, &options.renderer))
        });
        let read = read_sources().map(|((src_dir, sources, title), warnings)| {
            let mut diagnostics = diagnostics.clone();
            diagnostics.extend(warnings);
            let project = Project {
                config: config.clone(),
                book_dir: book_dir.clone(),
                src_dir,
                roots: roots.clone(),
                title,
            };
            let book = assemble(
                project.clone(),
                sources.clone(),
                overrides,
                diagnostics.clone(),
            );
            (project, sources, book, diagnostics)
        });
        (support.map(|h| h.join().unwrap_or_default()), read)
    });
    let (project, mut sources, book, mut diagnostics) = read?;
    let Some(support) = support else {
        return book;
    };
    if !support.contains(&preprocess::Support::Yes) {
        let mut book = book?;
        book.doc
            .diagnostics
            .extend(preprocess::failures(&project.config, &support));
        book.doc.diagnostics = crate::parse::sorted(std::mem::take(&mut book.doc.diagnostics));
        return Ok(book);
    }
    preprocess::run_all(
        &project.config,
        &project.book_dir,
        &options.renderer,
        &support,
        &mut sources,
        &mut diagnostics,
    );
    assemble(project, sources, overrides, diagnostics)
}

/// Where a book's files are, once its configuration is read.
#[derive(Debug, Clone)]
pub struct Project {
    /// Its configuration.
    pub config: Config,
    /// The folder holding the configuration.
    pub book_dir: PathBuf,
    /// The folder chapter paths are relative to.
    pub src_dir: PathBuf,
    /// Folders files may be read from (the project first).
    pub roots: Vec<PathBuf>,
    /// SUMMARY.md's title line.
    pub title: Option<String>,
}

/// The folders a book may read from: its project, then any `--allow-root` folders.
pub fn roots(book_dir: &Path, options: &LoadOptions) -> Vec<PathBuf> {
    let mut roots = vec![project_root(book_dir)];
    roots.extend(options.allow.iter().map(|p| canonical(p)));
    roots
}

/// Parses the chapters of a project and joins them into one document.
pub fn assemble(
    project: Project,
    sources: Vec<Source>,
    overrides: &MetaOverrides,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Book> {
    let Project {
        config,
        book_dir,
        src_dir,
        roots,
        title,
    } = project;
    let config_path = config.path.clone();
    let config_path = config_path.as_path();
    let mut meta = config.meta.clone();
    if meta.title.trim().is_empty() {
        meta.title = title.unwrap_or_default();
    }
    if meta.title.trim().is_empty() {
        meta.title = canonical(&book_dir)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    crate::parse::apply_overrides(&mut meta, overrides, config_path)?;
    if let Some(cover) = meta.cover.take() {
        meta.cover = Some(
            cover_path(&cover, &book_dir, &src_dir, &roots).map_err(|message| Error::Book {
                path: config_path.to_owned(),
                line: 0,
                message,
            })?,
        );
    }
    let locale = crate::locale::Locale::of(&meta.lang);

    // Chapters parse independently, in parallel, while the screenshots they name are read
    // ahead; then they are joined in order.
    let ahead: Vec<(&Path, &str)> = sources
        .iter()
        .filter(|s| s.rel.is_some())
        .map(|s| (s.file.parent().unwrap_or(Path::new("")), s.text.as_str()))
        .collect();
    let (parsed, prefetched) = rayon::join(
        || parse_chapters(&sources, &config, &locale),
        || crate::parse::assets::prefetch_all(&ahead),
    );
    let mut files = vec![config_path.to_owned()];

    let mut chapters = Vec::with_capacity(sources.len());
    for (s, (mut blocks, warnings)) in sources.iter().zip(parsed) {
        diagnostics.extend(warnings);
        let file_index = files.len() as u32;
        files.push(s.file.clone());
        crate::doc::visit_locs_mut(&mut blocks, &mut |loc| loc.file = file_index);
        chapters.push(links::Chapter {
            source: s,
            blocks,
            file: file_index,
        });
    }
    let blocks = links::join(&mut chapters, &src_dir, &roots, &files, &mut diagnostics)?;

    let name = config.name.clone().unwrap_or_else(|| {
        canonical(&book_dir)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "book".into())
    });
    // The configuration (and SUMMARY.md) are added by `load`, which read them.
    let reads = sources
        .iter()
        .filter(|s| s.rel.is_some())
        .flat_map(|s| std::iter::once(&s.file).chain(&s.includes))
        .cloned()
        .collect();
    let mut doc = Document {
        meta,
        blocks,
        files,
        assets: Default::default(),
        diagnostics: Vec::new(),
        reads,
        style: Default::default(),
    };
    crate::parse::style::settle(&mut doc, &book_dir, config_path)?;
    crate::parse::load_prefetched_assets(&src_dir, &mut doc, prefetched);
    diagnostics.append(&mut doc.diagnostics);
    doc.diagnostics = crate::parse::sorted(diagnostics);
    crate::trace::stage("book read");
    Ok(Book { doc, name, config })
}

/// Chapters named by SUMMARY.md, read and expanded, in reading order; part titles become
/// sources without a file.
fn summary_sources(
    summary: &summary::Summary,
    summary_path: &Path,
    src: &Path,
    roots: &[PathBuf],
    config: &Config,
) -> Result<Vec<Source>> {
    // Files are read and expanded in parallel: a book's includes are most of its reading.
    let mut parents: Vec<String> = Vec::new();
    let mut todo = Vec::new();
    let (no_path, no_number) = (String::new(), None);
    for entry in &summary.entries {
        match entry {
            summary::Entry::Chapter {
                title,
                path,
                number,
                depth,
                line,
            } => {
                parents.truncate(usize::from(*depth).saturating_sub(1));
                let parent_names = parents.clone();
                parents.push(title.clone());
                // Draft chapters (`[Title]()`) have no file and are left out.
                let Some(rel) = path else { continue };
                todo.push((title, rel, number, *depth, *line, parent_names));
            }
            summary::Entry::Part { title, line } => {
                parents.clear();
                todo.push((title, &no_path, &no_number, 0, *line, Vec::new()));
            }
            summary::Entry::Separator { .. } => {}
        }
    }
    todo.par_iter()
        .map(|(title, rel, number, depth, line, parents)| {
            let at = |message: String| Error::Book {
                path: summary_path.to_owned(),
                line: *line,
                message,
            };
            if *depth == 0 {
                return Ok(Source {
                    title: (*title).clone(),
                    page_title: None,
                    number: None,
                    depth: 0,
                    rel: None,
                    file: summary_path.to_owned(),
                    text: String::new(),
                    lines: Vec::new(),
                    entry_line: *line,
                    parents: Vec::new(),
                    includes: Vec::new(),
                });
            }
            let file = src.join(rel.as_str());
            if !file.is_file() {
                return Err(at(format!(
                    "`{rel}` does not exist (looked for {})",
                    file.display()
                )));
            }
            check_inside(&file, roots).map_err(at)?;
            let text = read_text(&file, None)?;
            let (text, lines, page_title, includes) = if config.default_preprocessors {
                let expanded =
                    include::expand(&file, &text, &roots[0], &roots[1..]).map_err(|e| {
                        Error::Book {
                            path: e.path.clone(),
                            line: e.line,
                            message: e.message.clone(),
                        }
                    })?;
                (
                    expanded.text,
                    expanded.lines,
                    expanded.title,
                    expanded.files,
                )
            } else {
                (text, Vec::new(), None, Vec::new())
            };
            Ok(Source {
                title: (*title).clone(),
                page_title,
                number: (*number).clone(),
                depth: *depth,
                rel: Some(normalize(Path::new(rel.as_str()))),
                file,
                text,
                lines,
                entry_line: *line,
                parents: parents.clone(),
                includes,
            })
        })
        .collect()
}

/// The cover named in the configuration (relative to its folder) as a path relative to the
/// source folder, where images are read; refused when it leaves the project.
fn cover_path(
    cover: &str,
    book_dir: &Path,
    src_dir: &Path,
    roots: &[PathBuf],
) -> std::result::Result<String, String> {
    if crate::parse::is_remote_url(cover) {
        return Ok(cover.to_owned());
    }
    let file = book_dir.join(cover);
    check_inside(&file, roots).map_err(|e| format!("cover image: {e}"))?;
    if Path::new(cover).is_absolute() {
        return Ok(cover.to_owned());
    }
    // From the source folder up to the configuration's folder, then down to the cover.
    let up = src_dir
        .strip_prefix(book_dir)
        .map(|p| p.components().count())
        .unwrap_or(0);
    let mut rel = PathBuf::new();
    (0..up).for_each(|_| rel.push(".."));
    Ok(normalize(&rel.join(cover)))
}

/// Hides mdBook's hidden code lines (Rust's `# ` lines, `hidelines` prefixes), as mdBook's
/// HTML shows the code by default.
/// Each chapter's blocks and warnings, parsed in parallel, in order.
fn parse_chapters(
    sources: &[Source],
    config: &Config,
    locale: &crate::locale::Locale,
) -> Vec<(Vec<Block>, Vec<Diagnostic>)> {
    sources
        .par_iter()
        .map(|s| {
            let mut warnings = Vec::new();
            let mut blocks = if s.rel.is_none() {
                Vec::new()
            } else {
                crate::parse::parse_chapter(&s.file, &s.text, &mut warnings)
            };
            if !s.lines.is_empty() {
                remap_lines(&mut blocks, &mut warnings, &s.lines);
            }
            code_lines(&mut blocks, config);
            locale.localize_quotes(&mut blocks);
            (blocks, warnings)
        })
        .collect()
}

fn code_lines(blocks: &mut [Block], config: &Config) {
    visit_blocks_mut(blocks, &mut |b| {
        if let Block::CodeBlock {
            lang, info, text, ..
        } = b
        {
            let lang = lang.as_deref().unwrap_or("");
            if let Some((rust, prefix)) = include::hidelines_prefix(info, lang, &config.hidelines) {
                *text = include::hide_lines(text, rust, prefix.as_deref());
            }
        }
    });
}

/// Lines of the expanded text back to lines of the chapter file.
fn remap_lines(blocks: &mut [Block], warnings: &mut [Diagnostic], map: &[u32]) {
    let back = |line: u32| -> u32 {
        if line == 0 {
            return 0;
        }
        map.get(line as usize - 1)
            .copied()
            .unwrap_or_else(|| map.last().copied().unwrap_or(line))
    };
    crate::doc::visit_locs_mut(blocks, &mut |loc| loc.line = back(loc.line));
    for w in warnings {
        w.line = back(w.line);
    }
}

/// Renumbers footnotes by `offset` so that every chapter's notes have numbers of their own.
fn shift_notes(blocks: &mut [Block], offset: u32) -> u32 {
    let mut max = 0;
    visit_inlines_mut(blocks, &mut |i| match i {
        Inline::Note { number, .. } | Inline::NoteRef { number } => {
            max = max.max(*number);
            *number += offset;
        }
        _ => {}
    });
    max
}

/// The project a book may read from: the nearest folder above holding `.git` (a book inside
/// a repository includes its examples), else the book's own folder.
pub fn project_root(book_dir: &Path) -> PathBuf {
    let dir = canonical(book_dir);
    let mut at = Some(dir.as_path());
    while let Some(d) = at {
        if d.join(".git").exists() {
            return d.to_owned();
        }
        at = d.parent();
    }
    dir
}

/// A path made absolute with symlinks resolved. For a path that does not exist, its longest
/// existing ancestor is resolved and the rest appended with `.` and `..` applied, so a
/// missing file is still placed where it would be.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_owned());
    let mut lexical = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// Refuses a file whose real location (symlinks followed) is outside every root.
pub fn check_inside(file: &Path, roots: &[PathBuf]) -> std::result::Result<(), String> {
    let real = canonical(file);
    if roots.iter().any(|r| real.starts_with(r)) {
        Ok(())
    } else {
        Err(format!(
            "`{}` leaves the book's project ({}); use --allow-root to read from there on purpose",
            file.display(),
            roots
                .first()
                .map(|r| r.display().to_string())
                .unwrap_or_default()
        ))
    }
}

/// `a/./b/../c.md` as `a/c.md`, `/`-separated; leading `..` kept.
pub fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// Reads a UTF-8 text file of at most [`MAX_FILE`] bytes through [`crate::source::read`]
/// (regular files only: a FIFO or a device never blocks a build). `what` names it in messages
/// when it is not the path itself.
pub fn read_text(path: &Path, what: Option<&str>) -> Result<String> {
    use crate::source::{read, Kind, ReadError};
    let bytes = read(path, Kind::Text).map_err(|e| match e {
        ReadError::Io(source) => Error::Read {
            path: path.to_owned(),
            source,
        },
        other => Error::Book {
            path: path.to_owned(),
            line: 0,
            message: match what {
                Some(what) => format!("{what}: {other}"),
                None => other.to_string(),
            },
        },
    })?;
    crate::parse::decode(path, bytes)
}

/// The plain title of a heading block.
fn heading_text(block: &Block) -> Option<String> {
    match block {
        Block::Heading { content, .. } => Some(plain_text(content).trim().to_owned()),
        _ => None,
    }
}
