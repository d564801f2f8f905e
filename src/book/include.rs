//! mdBook's `{{#...}}` directives (its built-in `links` preprocessor) and hidden code lines.
//!
//! [`expand`] rewrites one chapter's source the way mdBook does before rendering:
//!
//! - `{{#include path}}`, `path:N`, `path:N:M`, `path:N:`, `path::M` (1-based, inclusive) and
//!   `path:anchor` (the lines between an `ANCHOR: anchor` line and the next
//!   `ANCHOR_END: anchor` line, or the end of the file; every marker line inside is dropped).
//!   A first part that is not a number is an anchor name; anything the range syntax cannot read
//!   falls back the way mdBook's parser does (`path:5:x` = from line 5, `path::x` = all).
//!   Lines keep their indentation (mdBook does not dedent).
//! - `{{#rustdoc_include path[:range|:anchor]}}`: the whole file, the lines outside the
//!   selection prefixed with `# ` (hidden in Rust code blocks); marker lines are dropped.
//! - `{{#playground path attr...}}` (and the old spelling `playpen`): the whole file in a
//!   `` ```rust,attr,...`` fence.
//! - `{{#title text}}`: removed; the last one gives [`Expanded::title`].
//! - `\{{#...}}`: written without the backslash and not expanded. As in mdBook the escape
//!   reaches up to the LAST `}}` of its line.
//!
//! As in mdBook (its main branch after 0.5.4, which added "multiline includes"; 0.5.4 itself
//! neither repeats the prefix below nor drops a playground's final line break):
//! - directives are found everywhere, also inside code blocks and inline code;
//! - an unknown directive (`{{#foo x}}`) or one without a path (`{{#include }}`) stays as text;
//! - the inserted text loses its final line break, and each of its lines after the first is
//!   prefixed with the text that precedes the directive on its output line, so
//!   `> {{#include x}}` or an indented directive inside a list keeps every line in place;
//! - the text brought in by `include`, `rustdoc_include` and `playground` is itself expanded,
//!   relative to the folder of that file (the folder of the path as written, symlinks are not
//!   resolved for this); at most 10 files deep ([`MAX_DEPTH`]).
//!
//! Where mdBook only logs a message and keeps going, this module returns an error: a missing or
//! unreadable file, an anchor name that has no `ANCHOR:` line (mdBook would insert nothing, or
//! hide the whole file for `rustdoc_include`), nesting deeper than [`MAX_DEPTH`], and an include
//! cycle (mdBook runs into its depth limit). Also unlike mdBook, since a book may come from
//! anywhere: every included path, after following symlinks, must lie inside the project folder
//! or an allowed folder; only regular files of at most 64 MiB are read; the whole expansion of a
//! chapter is capped. A UTF-8 byte order mark at the start of an included file is dropped.
//!
//! [`hide_lines`] and [`hidelines_prefix`] give mdBook's default view of a code block: the
//! hidden lines (Rust `# ` lines, or a configured prefix) removed.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How many files deep includes may nest (mdBook's limit): a directive inside the 10th nested
/// file is an error.
pub const MAX_DEPTH: usize = 10;
/// Largest file an include may read.
const MAX_FILE_BYTES: u64 = crate::source::MAX_TEXT_BYTES;
/// Largest expanded text of one chapter (and of any nested piece of it).
const MAX_EXPANDED_BYTES: usize = 256 * 1024 * 1024;
/// Most bytes of included files one chapter may take lines from, summed over all directives
/// (files are read once; this bounds the work of a file included over and over).
const MAX_SCANNED_BYTES: u64 = 1024 * 1024 * 1024;

/// The result of expanding one chapter's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The text with every directive replaced.
    pub text: String,
    /// `{{#title}}`, if any.
    pub title: Option<String>,
    /// For each line of `text` (index 0 = line 1), the 1-based line of the ORIGINAL chapter
    /// file it comes from (lines produced by an include map to the line of the directive), so
    /// diagnostics can name the real line. One entry per `text.split('\n')` item, so the line
    /// after a final line break has one too.
    pub lines: Vec<u32>,
    /// The files included (canonical paths), in the order first read.
    pub files: Vec<PathBuf>,
}

/// A directive that could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IncludeError {
    /// The file holding the faulty directive: the chapter (as passed to [`expand`]), or a
    /// nested included file (its canonical path).
    pub path: PathBuf,
    /// 1-based line of the directive in that file.
    pub line: u32,
    /// Plain words, e.g. "{{#include ../x.rs:main}}: no anchor `main` in ../x.rs".
    pub message: String,
}

/// Expands the directives of `text`, the content of the chapter file `file`.
///
/// Paths are relative to the folder of `file`. Every included file must resolve (symlinks
/// followed) to a place inside `root` or one of the `allow` folders.
pub fn expand(
    file: &Path,
    text: &str,
    root: &Path,
    allow: &[PathBuf],
) -> Result<Expanded, IncludeError> {
    let roots = std::iter::once(root)
        .chain(allow.iter().map(PathBuf::as_path))
        .filter_map(|p| fs::canonicalize(p).ok())
        .collect();
    let chapter_key = Key {
        file: fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()),
        kind: Kind::Include,
        selection: Selection::ALL,
    };
    let mut expander = Expander {
        roots,
        root: root.to_path_buf(),
        title: None,
        stack: vec![chapter_key],
        cache: HashMap::new(),
        read: Vec::new(),
        scanned: 0,
    };
    let source = Source {
        path: file,
        dir: file.parent().unwrap_or(Path::new("")).to_path_buf(),
        lines: None,
    };
    let mut lines = Vec::new();
    let text = expander.expand_text(text, &source, 0, Some(&mut lines))?;
    Ok(Expanded {
        text,
        title: expander.title,
        lines,
        files: expander.read,
    })
}

/// The code as mdBook's HTML shows it by default, hidden lines removed.
///
/// With `lang_is_rust` (`prefix` is then ignored), mdBook's Rust rule: after optional leading
/// whitespace, a line that is `#` alone or starts with `# ` is hidden; `##` shows as a single
/// `#` (the first `#` is dropped, the indentation kept); anything else after the `#`
/// (`#[derive]`, `#![allow]`, `#\t`) shows unchanged. Otherwise, with a `prefix`, a line is
/// hidden when it starts with the prefix after its leading whitespace (no escape). Without
/// either, `code` is returned unchanged. Shown lines keep their own line breaks.
pub fn hide_lines(code: &str, lang_is_rust: bool, prefix: Option<&str>) -> String {
    if !lang_is_rust && prefix.is_none() {
        return code.to_string();
    }
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let body = body.strip_suffix('\r').unwrap_or(body);
        let ending = &line[body.len()..];
        if lang_is_rust {
            let rest = body.trim_start();
            let indent = &body[..body.len() - rest.len()];
            if let Some(after) = rest.strip_prefix('#') {
                match after.chars().next() {
                    None | Some(' ') => continue,
                    Some('#') => {
                        out.push_str(indent);
                        out.push_str(after);
                        out.push_str(ending);
                        continue;
                    }
                    Some(_) => {}
                }
            }
        } else if let Some(prefix) = prefix {
            if body.trim_start().starts_with(prefix) {
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// Decides how mdBook hides lines in a fenced code block with info string `info`, given
/// book.toml's `[output.html.code.hidelines]` table (language -> prefix).
///
/// Like mdBook's HTML renderer, the info string is split at spaces, tabs and commas; the first
/// word is the language. `lang` (the caller's own idea of the language) is used only when `info`
/// has no word at all; mdBook's behaviour is `lang == ""` then, which is what a block without
/// info string gets. Only the language `rust` (exactly: `rust,ignore` and `rust edition2021`
/// count, `Rust` or no language do not) uses the Rust rule, and for it `hidelines=` is ignored.
/// For any other language, a later word `hidelines=PREFIX` gives the prefix, else the table's
/// entry for the language. Returns `(true, None)` for Rust, `(false, Some(prefix))` for a
/// prefix, `None` when nothing is hidden; the pair is meant for [`hide_lines`].
pub fn hidelines_prefix(
    info: &str,
    lang: &str,
    config: &BTreeMap<String, String>,
) -> Option<(bool, Option<String>)> {
    let mut words = info.split([' ', '\t', ',']).filter(|w| !w.is_empty());
    let lang = words.next().unwrap_or(lang);
    if lang == "rust" {
        return Some((true, None));
    }
    words
        .find_map(|w| w.strip_prefix("hidelines="))
        .or_else(|| config.get(lang).map(String::as_str))
        .map(|prefix| (false, Some(prefix.to_string())))
}

/// The three directives that bring in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Include,
    RustdocInclude,
    Playground,
}

/// Which lines of a file a directive selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Selection {
    /// 0-based lines `from..to` (`to` exclusive; `None`: to the end).
    Lines { from: usize, to: Option<usize> },
    /// The lines between the `ANCHOR:` and `ANCHOR_END:` markers of this name.
    Anchor(String),
}

impl Selection {
    const ALL: Selection = Selection::Lines { from: 0, to: None };

    fn contains(&self, index: usize) -> bool {
        match *self {
            Selection::Lines { from, to } => index >= from && to.is_none_or(|to| index < to),
            Selection::Anchor(_) => false,
        }
    }
}

/// One recognised directive.
#[derive(Debug, PartialEq)]
enum Directive<'a> {
    /// `\{{#...}}`.
    Escaped,
    Title(&'a str),
    File {
        kind: Kind,
        /// The path as written (without the `:range` part).
        path: &'a str,
        selection: Selection,
        /// The words after a playground's path.
        attrs: Vec<&'a str>,
    },
}

/// A directive and its byte span in the text.
#[derive(Debug, PartialEq)]
struct Found<'a> {
    start: usize,
    end: usize,
    directive: Directive<'a>,
}

/// Finds the first directive at or after byte `from`.
///
/// This follows mdBook's pattern, searched left to right without overlaps: either a backslash,
/// `{{#` and the rest of the line up to its last `}}`; or `{{`, optional whitespace, `#`, a type
/// made of ASCII letters, digits and `_`, at least one whitespace, then at least one character
/// other than `}` (line breaks allowed), then `}}`. A match whose type is unknown, or whose
/// argument is only whitespace, is skipped as a whole.
fn find_directive(s: &str, mut from: usize) -> Option<Found<'_>> {
    while from < s.len() {
        let at = from + s[from..].find(['\\', '{'])?;
        if let Some(end) = match_escape(s, at) {
            return Some(Found {
                start: at,
                end,
                directive: Directive::Escaped,
            });
        }
        if let Some((end, kind, arg)) = match_braces(s, at) {
            if let Some(directive) = classify(kind, arg) {
                return Some(Found {
                    start: at,
                    end,
                    directive,
                });
            }
            from = end;
        } else {
            from = at + 1;
        }
    }
    None
}

/// The end of an escaped directive starting at `at`, if one does.
fn match_escape(s: &str, at: usize) -> Option<usize> {
    let body = at + "\\{{#".len();
    if !s[at..].starts_with("\\{{#") {
        return None;
    }
    let line_end = s[body..].find('\n').map_or(s.len(), |n| body + n);
    s[body..line_end].rfind("}}").map(|n| body + n + 2)
}

/// `{{#type arg}}` at `at`: its end, its type and its argument.
fn match_braces(s: &str, at: usize) -> Option<(usize, &str, &str)> {
    if !s[at..].starts_with("{{") {
        return None;
    }
    let hash = skip_whitespace(s, at + 2);
    if !s[hash..].starts_with('#') {
        return None;
    }
    let kind_start = hash + 1;
    let kind_len = s[kind_start..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if kind_len == 0 {
        return None;
    }
    let kind_end = kind_start + kind_len;
    let first_space = s[kind_end..].chars().next().filter(|c| c.is_whitespace())?;
    let after_space = kind_end + first_space.len_utf8();
    let close = after_space + s[after_space..].find('}')?;
    if close == after_space || s.as_bytes().get(close + 1) != Some(&b'}') {
        return None;
    }
    // The whitespace run takes as much as it can but must leave the argument one character.
    let arg_start = skip_whitespace(s, kind_end);
    let arg_start = if arg_start < close {
        arg_start
    } else {
        close - s[..close].chars().next_back().map_or(1, char::len_utf8)
    };
    Some((close + 2, &s[kind_start..kind_end], &s[arg_start..close]))
}

fn skip_whitespace(s: &str, at: usize) -> usize {
    s.len() - s[at..].trim_start().len()
}

/// The directive for a `{{#kind arg}}` match, `None` when mdBook ignores it.
fn classify<'a>(kind: &'a str, arg: &'a str) -> Option<Directive<'a>> {
    if kind == "title" {
        return Some(Directive::Title(arg));
    }
    let mut words = arg.split_whitespace();
    let target = words.next()?;
    let (kind, path, selection) = match kind {
        "include" | "rustdoc_include" => {
            let (path, spec) = match target.split_once(':') {
                Some((path, spec)) => (path, Some(spec)),
                None => (target, None),
            };
            let kind = if kind == "include" {
                Kind::Include
            } else {
                Kind::RustdocInclude
            };
            (kind, path, parse_selection(spec))
        }
        "playground" | "playpen" => (Kind::Playground, target, Selection::ALL),
        _ => return None,
    };
    let attrs = match kind {
        Kind::Playground => words.collect(),
        _ => Vec::new(),
    };
    Some(Directive::File {
        kind,
        path,
        selection,
        attrs,
    })
}

/// Reads what follows the first `:` of an include path the way mdBook does: up to three
/// `:`-separated parts; a first part that is neither empty nor a number names an anchor.
fn parse_selection(spec: Option<&str>) -> Selection {
    let mut parts = spec.unwrap_or("").splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let from = if first.is_empty() {
        None
    } else if let Ok(n) = first.parse::<usize>() {
        Some(n.saturating_sub(1))
    } else {
        return Selection::Anchor(first.to_string());
    };
    let to = parts.next().map(str::parse::<usize>);
    match (from, to) {
        (Some(from), Some(Ok(to))) => Selection::Lines { from, to: Some(to) },
        (Some(from), Some(Err(_))) => Selection::Lines { from, to: None },
        (Some(from), None) => Selection::Lines {
            from,
            to: Some(from.saturating_add(1)),
        },
        (None, Some(Ok(to))) => Selection::Lines {
            from: 0,
            to: Some(to),
        },
        (None, _) => Selection::ALL,
    }
}

/// The name after the first `marker` (`ANCHOR:` or `ANCHOR_END:`) of `line` that has one:
/// optional whitespace, then word characters and `-`.
fn marker_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let mut rest = line;
    while let Some(at) = rest.find(marker) {
        let after = rest[at + marker.len()..].trim_start();
        let len: usize = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .map(char::len_utf8)
            .sum();
        if len > 0 {
            return Some(&after[..len]);
        }
        rest = &rest[at + marker.len()..];
    }
    None
}

fn anchor_start(line: &str) -> Option<&str> {
    marker_name(line, "ANCHOR:")
}

fn anchor_end(line: &str) -> Option<&str> {
    marker_name(line, "ANCHOR_END:")
}

/// Text taken from a file, with the 1-based file line of each of its lines.
#[derive(Debug, Default)]
struct Taken {
    text: String,
    lines: Vec<u32>,
}

impl Taken {
    fn push(&mut self, hidden: bool, line: &str, index: usize) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        if hidden {
            self.text.push_str("# ");
        }
        self.text.push_str(line);
        self.lines.push(line_number(index));
    }
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The lines of `content` that `include` takes; `None` for an anchor that is never opened.
fn take_include(content: &str, selection: &Selection) -> Option<Taken> {
    let mut taken = Taken::default();
    match selection {
        Selection::Lines { from, to } => {
            let count = to.map_or(usize::MAX, |to| to.saturating_sub(*from));
            for (index, line) in content.lines().enumerate().skip(*from).take(count) {
                taken.push(false, line, index);
            }
        }
        Selection::Anchor(name) => {
            let mut opened = false;
            for (index, line) in content.lines().enumerate() {
                if !opened {
                    opened = anchor_start(line) == Some(name.as_str());
                } else if let Some(end) = anchor_end(line) {
                    if end == name {
                        break;
                    }
                } else if anchor_start(line).is_none() {
                    taken.push(false, line, index);
                }
            }
            if !opened {
                return None;
            }
        }
    }
    Some(taken)
}

/// The lines of `content` that `rustdoc_include` gives: all of them, those outside the
/// selection behind `# `; with an anchor, every marker line is dropped and the anchor may be
/// opened again after it closes. `None` for an anchor that is never opened.
fn take_rustdoc(content: &str, selection: &Selection) -> Option<Taken> {
    let mut taken = Taken::default();
    match selection {
        Selection::Lines { .. } => {
            for (index, line) in content.lines().enumerate() {
                taken.push(!selection.contains(index), line, index);
            }
        }
        Selection::Anchor(name) => {
            let (mut inside, mut opened) = (false, false);
            for (index, line) in content.lines().enumerate() {
                if inside {
                    if let Some(end) = anchor_end(line) {
                        inside = end != name;
                    } else if anchor_start(line).is_none() {
                        taken.push(false, line, index);
                    }
                } else if let Some(start) = anchor_start(line) {
                    if start == name {
                        inside = true;
                        opened = true;
                    }
                } else if anchor_end(line).is_none() {
                    taken.push(true, line, index);
                }
            }
            if !opened {
                return None;
            }
        }
    }
    Some(taken)
}

/// A playground block: the file in a Rust fence, `attrs` appended to the info string.
fn take_playground(content: &str, attrs: &[&str]) -> Taken {
    let mut text = String::with_capacity(content.len() + 16);
    text.push_str("```rust");
    for attr in attrs {
        text.push(',');
        text.push_str(attr);
    }
    text.push('\n');
    text.push_str(content);
    if !content.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("```\n");
    // The fence maps to line 1, the file's lines to themselves, the closing fence to the last.
    let file_lines = content.lines().count().max(1);
    let lines = (0..=text.matches('\n').count())
        .map(|i| line_number(i.saturating_sub(1).min(file_lines - 1)))
        .collect();
    Taken { text, lines }
}

/// A file being expanded, for cycle detection.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    file: PathBuf,
    kind: Kind,
    selection: Selection,
}

/// Where a text being expanded comes from.
struct Source<'a> {
    /// The file named in errors.
    path: &'a Path,
    /// The folder its relative paths start from.
    dir: PathBuf,
    /// The file line of each text line; `None`: line n is line n.
    lines: Option<&'a [u32]>,
}

impl Source<'_> {
    fn line(&self, index: usize) -> u32 {
        match self.lines {
            None => line_number(index),
            Some(lines) => lines.get(index).or(lines.last()).copied().unwrap_or(1),
        }
    }
}

struct Expander {
    /// Canonical folders included files must stay in.
    roots: Vec<PathBuf>,
    /// The project folder as given, for messages.
    root: PathBuf,
    title: Option<String>,
    /// The files being expanded, outermost first.
    stack: Vec<Key>,
    /// Files read so far, by canonical path.
    cache: HashMap<PathBuf, Rc<str>>,
    /// The same files in the order first read ([`Expanded::files`]).
    read: Vec<PathBuf>,
    /// Bytes of files taken from so far.
    scanned: u64,
}

impl Expander {
    /// Expands `text` (from `source`, `depth` files below the chapter). With `map`, pushes the
    /// source line of each output line.
    fn expand_text(
        &mut self,
        text: &str,
        source: &Source<'_>,
        depth: usize,
        mut map: Option<&mut Vec<u32>>,
    ) -> Result<String, IncludeError> {
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        let mut index = 0; // line index in `text` of byte `done`
        if let Some(map) = map.as_deref_mut() {
            map.push(source.line(0));
        }
        while let Some(found) = find_directive(text, done) {
            for piece in text[done..found.start].split_inclusive('\n') {
                out.push_str(piece);
                if piece.ends_with('\n') {
                    index += 1;
                    if let Some(map) = map.as_deref_mut() {
                        map.push(source.line(index));
                    }
                }
            }
            let line = source.line(index);
            let written = &text[found.start..found.end];
            let fail = |message: String| IncludeError {
                path: source.path.to_path_buf(),
                line,
                message: format!("{written}: {message}"),
            };
            let content: Cow<'_, str> = match &found.directive {
                Directive::Escaped => Cow::Borrowed(&written[1..]),
                Directive::Title(title) => {
                    let title = title.trim();
                    if !title.is_empty() {
                        self.title = Some(title.to_string());
                    }
                    Cow::Borrowed("")
                }
                Directive::File {
                    kind,
                    path,
                    selection,
                    attrs,
                } => {
                    if depth >= MAX_DEPTH {
                        return Err(fail(format!(
                            "includes are nested more than {MAX_DEPTH} files deep"
                        )));
                    }
                    let target = source.dir.join(path);
                    let key = Key {
                        file: self.resolve(&target, path).map_err(fail)?,
                        kind: *kind,
                        selection: selection.clone(),
                    };
                    if self.stack.contains(&key) {
                        let chain: Vec<String> = self
                            .stack
                            .iter()
                            .skip_while(|k| k.file != key.file)
                            .map(|k| k.file.display().to_string())
                            .chain([key.file.display().to_string()])
                            .collect();
                        return Err(fail(format!("include cycle: {}", chain.join(" -> "))));
                    }
                    let content = self.read(&key.file, path).map_err(fail)?;
                    self.scanned += content.len() as u64;
                    if self.scanned > MAX_SCANNED_BYTES {
                        return Err(fail(format!(
                            "the chapter's includes take from more than {} MiB of files",
                            MAX_SCANNED_BYTES >> 20
                        )));
                    }
                    let taken = match kind {
                        Kind::Include => take_include(&content, selection),
                        Kind::RustdocInclude => take_rustdoc(&content, selection),
                        Kind::Playground => Some(take_playground(&content, attrs)),
                    };
                    let Some(taken) = taken else {
                        let Selection::Anchor(name) = selection else {
                            unreachable!("only an anchor can be missing")
                        };
                        return Err(fail(format!("no anchor `{name}` in {path}")));
                    };
                    let nested = Source {
                        path: &key.file,
                        dir: target.parent().unwrap_or(Path::new("")).to_path_buf(),
                        lines: Some(&taken.lines),
                    };
                    self.stack.push(key.clone());
                    let expanded = self.expand_text(&taken.text, &nested, depth + 1, None);
                    self.stack.pop();
                    Cow::Owned(expanded?)
                }
            };
            // Later lines of the inserted text repeat what precedes it on its line.
            let prefix = out[out.rfind('\n').map_or(0, |n| n + 1)..].to_string();
            for (i, piece) in content.lines().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(&prefix);
                    if let Some(map) = map.as_deref_mut() {
                        map.push(line);
                    }
                }
                out.push_str(piece);
            }
            if out.len() > MAX_EXPANDED_BYTES {
                return Err(fail(format!(
                    "the expanded text grows beyond {} MiB",
                    MAX_EXPANDED_BYTES >> 20
                )));
            }
            index += written.matches('\n').count();
            done = found.end;
        }
        for piece in text[done..].split_inclusive('\n') {
            out.push_str(piece);
            if piece.ends_with('\n') {
                index += 1;
                if let Some(map) = map.as_deref_mut() {
                    map.push(source.line(index));
                }
            }
        }
        Ok(out)
    }

    /// The canonical path of `target` (written `written`), which must be inside a root.
    fn resolve(&self, target: &Path, written: &str) -> Result<PathBuf, String> {
        let canonical =
            fs::canonicalize(target).map_err(|e| format!("cannot open {written}: {}", io(&e)))?;
        if self.roots.iter().any(|root| canonical.starts_with(root)) {
            Ok(canonical)
        } else {
            Err(format!(
                "{written} (which is {}) leaves the book's project folder {}",
                canonical.display(),
                self.root.display()
            ))
        }
    }

    /// The text of the regular file `canonical` (written `written`), read once.
    fn read(&mut self, canonical: &Path, written: &str) -> Result<Rc<str>, String> {
        if let Some(text) = self.cache.get(canonical) {
            return Ok(Rc::clone(text));
        }
        use crate::source::{read, Kind, ReadError};
        let bytes = read(canonical, Kind::Text).map_err(|e| match e {
            ReadError::Io(e) => format!("cannot read {written}: {}", io(&e)),
            ReadError::NotRegular(_) => format!("{written} is not a regular file"),
            ReadError::TooLarge(_) => {
                format!("{written} is larger than {} MiB", MAX_FILE_BYTES >> 20)
            }
        })?;
        let mut text =
            String::from_utf8(bytes).map_err(|_| format!("{written} is not UTF-8 text"))?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let text: Rc<str> = text.into();
        self.cache.insert(canonical.to_path_buf(), Rc::clone(&text));
        self.read.push(canonical.to_path_buf());
        Ok(text)
    }
}

/// An I/O error in plain words (without the "(os error N)" tail).
fn io(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(n) => s[..n].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book folder: `root/src` holds chapters, `outside` is next to `root`.
    struct Book {
        tmp: tempfile::TempDir,
    }

    impl Book {
        fn new() -> Book {
            let tmp = tempfile::tempdir().unwrap();
            fs::create_dir_all(tmp.path().join("book/src")).unwrap();
            Book { tmp }
        }

        fn root(&self) -> PathBuf {
            self.tmp.path().join("book")
        }

        fn outside(&self) -> PathBuf {
            self.tmp.path().to_path_buf()
        }

        /// Writes `text` at `rel` under the root.
        fn write(&self, rel: &str, text: &str) -> PathBuf {
            let path = self.root().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            path
        }

        fn expand_with(&self, text: &str, allow: &[PathBuf]) -> Result<Expanded, IncludeError> {
            let chapter = self.write("src/chapter.md", text);
            expand(&chapter, text, &self.root(), allow)
        }

        fn expand(&self, text: &str) -> Result<Expanded, IncludeError> {
            self.expand_with(text, &[])
        }

        fn text(&self, text: &str) -> String {
            match self.expand(text) {
                Ok(expanded) => expanded.text,
                Err(e) => panic!("{text:?}: {e} ({}:{})", e.path.display(), e.line),
            }
        }

        fn error(&self, text: &str) -> IncludeError {
            self.expand(text).expect_err(text)
        }
    }

    const FIVE: &str = "l1\nl2\nl3\nl4\nl5\n";

    #[test]
    fn include_whole_file_and_line_ranges() {
        let book = Book::new();
        book.write("src/x.txt", FIVE);
        let inc = |spec: &str| book.text(&format!("{{{{#include x.txt{spec}}}}}"));
        assert_eq!(inc(""), "l1\nl2\nl3\nl4\nl5");
        assert_eq!(inc(":"), "l1\nl2\nl3\nl4\nl5");
        assert_eq!(inc("::"), "l1\nl2\nl3\nl4\nl5");
        assert_eq!(inc(":2"), "l2");
        assert_eq!(inc(":2:4"), "l2\nl3\nl4");
        assert_eq!(inc(":4:"), "l4\nl5");
        assert_eq!(inc("::2"), "l1\nl2");
        // What mdBook's parser makes of odd ranges.
        assert_eq!(inc(":0"), "l1");
        assert_eq!(inc(":9"), "");
        assert_eq!(inc(":4:2"), "");
        assert_eq!(inc("::99"), "l1\nl2\nl3\nl4\nl5");
        assert_eq!(inc(":4:x"), "l4\nl5");
        assert_eq!(inc("::x"), "l1\nl2\nl3\nl4\nl5");
        assert_eq!(inc(":2:3:9"), "l2\nl3");
        assert_eq!(inc(":+2"), "l2");
        // Inside a fence, with words after the path (ignored by include).
        assert_eq!(
            book.text("```text\n{{#include x.txt:1:2 ignored words}}\n```\nafter"),
            "```text\nl1\nl2\n```\nafter"
        );
        // Whitespace inside the braces, even line breaks.
        assert_eq!(book.text("{{ #include\n   x.txt:3 }}!"), "l3!");
    }

    #[test]
    fn parse_selection_matches_mdbook() {
        let lines = |from, to| Selection::Lines { from, to };
        assert_eq!(parse_selection(None), Selection::ALL);
        assert_eq!(parse_selection(Some("5")), lines(4, Some(5)));
        assert_eq!(parse_selection(Some("5:10")), lines(4, Some(10)));
        assert_eq!(parse_selection(Some("5:")), lines(4, None));
        assert_eq!(parse_selection(Some(":10")), lines(0, Some(10)));
        assert_eq!(parse_selection(Some("5:10:17:x")), lines(4, Some(10)));
        assert_eq!(parse_selection(Some("-5")), Selection::Anchor("-5".into()));
        assert_eq!(parse_selection(Some("a:b")), Selection::Anchor("a".into()));
    }

    const ANCHORED: &str = "\
fn before() {}
/* ANCHOR: all */
// ANCHOR: part
    let x = 1;
// ANCHOR_END: part
    let y = 2; // ANCHOR: never_closed
//////// ANCHOR_END: all
// ANCHOR:    spaced-name
tail
";

    #[test]
    fn include_anchors() {
        let book = Book::new();
        book.write("src/x.rs", ANCHORED);
        let inc = |name: &str| book.text(&format!("{{{{#include x.rs:{name}}}}}"));
        // Marker lines of other anchors inside are dropped, even with code on them.
        assert_eq!(inc("all"), "    let x = 1;");
        // Indentation is kept (no dedent).
        assert_eq!(inc("part"), "    let x = 1;");
        // Never closed: to the end of the file; marker lines are still dropped.
        assert_eq!(inc("never_closed"), "tail");
        assert_eq!(inc("spaced-name"), "tail");
        // Anything after the anchor name is ignored.
        assert_eq!(inc("part:7"), "    let x = 1;");
        // Names match whole.
        assert_eq!(
            book.error("{{#include x.rs:par}}").message,
            "{{#include x.rs:par}}: no anchor `par` in x.rs"
        );
        // The first ANCHOR_END of the name closes it; a repeated ANCHOR line is dropped.
        book.write(
            "src/y.rs",
            "a\nANCHOR: t\nb\nANCHOR: t\nc\nANCHOR_END: t\nd\nANCHOR: t\ne\nANCHOR_END: t\n",
        );
        assert_eq!(book.text("{{#include y.rs:t}}"), "b\nc");
    }

    #[test]
    fn missing_anchor_is_an_error() {
        let book = Book::new();
        book.write("src/x.rs", "fn main() {}\n// ANCHOR_END: main\n");
        let e = book.error("text\n\n{{#include x.rs:main}}");
        assert_eq!(
            e.message,
            "{{#include x.rs:main}}: no anchor `main` in x.rs"
        );
        assert_eq!(e.line, 3);
        assert_eq!(e.path, book.root().join("src/chapter.md"));
        let e = book.error("{{#rustdoc_include x.rs:main}}");
        assert_eq!(
            e.message,
            "{{#rustdoc_include x.rs:main}}: no anchor `main` in x.rs"
        );
    }

    const ADD_ONE: &str = "\
fn main() {
    let x = add_one(2);
    assert_eq!(x, 3);
}

fn add_one(num: i32) -> i32 {
    num + 1
}
";

    #[test]
    fn rustdoc_include_hides_the_other_lines() {
        let book = Book::new();
        book.write("src/file.rs", ADD_ONE);
        let expected = "\
# fn main() {
    let x = add_one(2);
#     assert_eq!(x, 3);
# }
# 
# fn add_one(num: i32) -> i32 {
#     num + 1
# }";
        assert_eq!(book.text("{{#rustdoc_include file.rs:2}}"), expected);
        assert_eq!(
            book.text("{{#rustdoc_include file.rs:7:}}"),
            "# fn main() {\n#     let x = add_one(2);\n#     assert_eq!(x, 3);\n# }\n# \n\
             # fn add_one(num: i32) -> i32 {\n    num + 1\n}"
        );
        assert_eq!(
            book.text("{{#rustdoc_include file.rs}}"),
            ADD_ONE.trim_end()
        );
        // What the reader sees by default.
        assert_eq!(
            hide_lines(&book.text("{{#rustdoc_include file.rs:2}}\n"), true, None),
            "    let x = add_one(2);\n"
        );
    }

    #[test]
    fn rustdoc_include_anchors() {
        let book = Book::new();
        book.write(
            "src/x.rs",
            "use a;\n// ANCHOR: other\nfn f() {}\n// ANCHOR_END: other\n\
             // ANCHOR: here\nfn main() {\n    // ANCHOR: inner\n    f();\n    // ANCHOR_END: inner\n}\n\
             // ANCHOR_END: here\nmod m;\n// ANCHOR: here\nagain\n// ANCHOR_END: here\n",
        );
        assert_eq!(
            book.text("{{#rustdoc_include x.rs:here}}"),
            "# use a;\n# fn f() {}\nfn main() {\n    f();\n}\n# mod m;\nagain"
        );
    }

    #[test]
    fn playground_wraps_the_file_in_a_rust_fence() {
        let book = Book::new();
        book.write("src/p.rs", "fn main() {}");
        book.write("src/q.rs", "fn main() {\n}\n");
        assert_eq!(
            book.text("before\n{{#playground p.rs editable no_run}}\nafter"),
            "before\n```rust,editable,no_run\nfn main() {}\n```\nafter"
        );
        assert_eq!(
            book.text("{{#playground q.rs}}"),
            "```rust\nfn main() {\n}\n```"
        );
        assert_eq!(
            book.text("{{#playpen q.rs}}"),
            "```rust\nfn main() {\n}\n```"
        );
        // A playground takes no range: the whole argument is the path.
        assert!(book
            .error("{{#playground q.rs:1}}")
            .message
            .contains("cannot open q.rs:1"));
    }

    #[test]
    fn title_is_removed_and_the_last_wins() {
        let book = Book::new();
        let out = book
            .expand("{{#title  First }}\n# Heading\n{{#title Second}}\n")
            .unwrap();
        assert_eq!(out.text, "\n# Heading\n\n");
        assert_eq!(out.title.as_deref(), Some("Second"));
        assert_eq!(book.expand("# Heading\n").unwrap().title, None);
        // From an included file too; a blank title changes nothing.
        book.write("src/t.md", "{{#title Included}}\nbody");
        let out = book
            .expand("{{#title Own}}{{#include t.md}}{{#title   }}")
            .unwrap();
        assert_eq!(out.text, "\nbody");
        assert_eq!(out.title.as_deref(), Some("Included"));
    }

    #[test]
    fn escapes_and_non_directives_stay() {
        let book = Book::new();
        book.write("src/x.txt", FIVE);
        assert_eq!(
            book.text("a \\{{#include nope.txt}} b {{#include x.txt:1}}"),
            "a {{#include nope.txt}} b {{#include x.txt:1}}",
            "an escape reaches the last }}}} of its line"
        );
        assert_eq!(
            book.text("\\{{#include nope.txt}}\n{{#include x.txt:1}}"),
            "{{#include nope.txt}}\nl1"
        );
        assert_eq!(
            book.text("```hbs\n\\{{#title T}}\n```"),
            "```hbs\n{{#title T}}\n```"
        );
        for text in [
            "{{#foo x.txt}}",
            "{{#include }}",
            "{{#include}}",
            "{{#include    }}",
            "{{include x.txt}}",
            "{{#include x.txt}",
            "{{#include x.txt} }",
            "{{#include-x x.txt}}",
            "{{#Include x.txt}}",
            "\\{{#include x.txt",
        ] {
            assert_eq!(book.text(text), text);
        }
        // A skipped match is skipped whole.
        assert_eq!(
            book.text("{{#foo {{#include x.txt}}"),
            "{{#foo {{#include x.txt}}"
        );
        assert_eq!(book.text("{{{#include x.txt:2}}}"), "{l2}");
    }

    #[test]
    fn find_directive_argument_whitespace() {
        let found = find_directive("{{#title   }}", 0).unwrap();
        assert_eq!(found.directive, Directive::Title(" "));
        let found = find_directive("x {{#title\tA b }}", 0).unwrap();
        assert_eq!((found.start, found.end), (2, 17));
        assert_eq!(found.directive, Directive::Title("A b "));
        assert_eq!(find_directive("{{#title }}", 0), None);
    }

    #[test]
    fn inserted_lines_repeat_the_text_before_the_directive() {
        let book = Book::new();
        book.write("src/x.txt", FIVE);
        book.write("src/word.txt", "word\n");
        assert_eq!(book.text("> {{#include x.txt:1:3}}"), "> l1\n> l2\n> l3");
        assert_eq!(
            book.text("- item\n  ```\n  {{#include x.txt::2}}\n  ```\n"),
            "- item\n  ```\n  l1\n  l2\n  ```\n"
        );
        assert_eq!(book.text("a {{#include word.txt}} b"), "a word b");
        assert_eq!(
            book.text("{{#include word.txt}}: {{#include x.txt:1:2}}"),
            "word: l1\nword: l2"
        );
        // CRLF files come in with LF.
        book.write("src/crlf.txt", "a\r\nb\r\n");
        assert_eq!(book.text("{{#include crlf.txt}}"), "a\nb");
    }

    #[test]
    fn includes_nest_relative_to_the_included_file() {
        let book = Book::new();
        book.write("listings/a/inner.txt", "inner\n");
        book.write("listings/a/sub/deep.txt", "deep\n");
        book.write(
            "listings/a/outer.md",
            "outer\n{{#include inner.txt}}\n{{#include sub/deep.txt}}\n",
        );
        book.write(
            "listings/a/p.rs",
            "// {{#include inner.txt}}\nfn main() {}\n",
        );
        book.write(
            "listings/a/r.rs",
            "fn main() {\n    // ANCHOR: x\n    {{#include inner.txt}}\n    // ANCHOR_END: x\n}\n",
        );
        assert_eq!(
            book.text("{{#include ../listings/a/outer.md}}"),
            "outer\ninner\ndeep"
        );
        assert_eq!(
            book.text("{{#playground ../listings/a/p.rs}}"),
            "```rust\n// inner\nfn main() {}\n```"
        );
        assert_eq!(
            book.text("{{#rustdoc_include ../listings/a/r.rs:x}}"),
            "# fn main() {\n    inner\n# }"
        );
    }

    #[test]
    fn errors_in_nested_files_name_the_file_and_its_real_line() {
        let book = Book::new();
        let outer = book.write(
            "listings/outer.md",
            "skipped\n<!-- ANCHOR: a -->\nok\n{{#include missing.txt}}\n<!-- ANCHOR_END: a -->\n",
        );
        let e = book.error("# Title\n\n{{#include ../listings/outer.md:a}}\n");
        assert_eq!(e.path, fs::canonicalize(outer).unwrap());
        assert_eq!(e.line, 4);
        assert_eq!(
            e.message,
            "{{#include missing.txt}}: cannot open missing.txt: No such file or directory"
        );
    }

    #[test]
    fn missing_file_is_an_error() {
        let book = Book::new();
        let e = book.error("one\ntwo {{#include nope.rs:3}}\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "{{#include nope.rs:3}}: cannot open nope.rs: No such file or directory"
        );
    }

    #[test]
    fn cycles_are_errors() {
        let book = Book::new();
        book.write("src/a.md", "A\n{{#include b.md}}\n");
        let b = book.write("src/b.md", "B\n\n{{#include a.md}}\n");
        let e = book.error("{{#include a.md}}");
        assert_eq!(e.path, fs::canonicalize(b).unwrap());
        assert_eq!(e.line, 3);
        assert!(
            e.message.starts_with("{{#include a.md}}: include cycle: "),
            "{e}"
        );
        assert!(e.message.ends_with("a.md"), "{e}");
        // The chapter including itself.
        let e = book.error("x\n{{#include chapter.md}}\n");
        assert_eq!(
            (e.line, e.path.clone()),
            (2, book.root().join("src/chapter.md"))
        );
        assert!(e.message.contains("include cycle"), "{e}");
        // Another part of the same file is not a cycle.
        assert_eq!(
            book.text(
                "{{#include chapter.md:a}}\n<!-- ANCHOR: a -->\nshown\n<!-- ANCHOR_END: a -->"
            ),
            "shown\n<!-- ANCHOR: a -->\nshown\n<!-- ANCHOR_END: a -->"
        );
    }

    #[test]
    fn nesting_is_limited_to_ten_files() {
        for (files, ok) in [(MAX_DEPTH, true), (MAX_DEPTH + 1, false)] {
            let book = Book::new();
            for n in 1..=files {
                let body = if n < files {
                    format!("{n} {{{{#include d{}.md}}}}", n + 1)
                } else {
                    "end".to_string()
                };
                book.write(&format!("src/d{n}.md"), &body);
            }
            let result = book.expand("{{#include d1.md}}");
            if ok {
                assert_eq!(result.unwrap().text, "1 2 3 4 5 6 7 8 9 end");
            } else {
                let e = result.unwrap_err();
                assert!(e.path.ends_with("d10.md"), "{}", e.path.display());
                assert_eq!(
                    e.message,
                    "{{#include d11.md}}: includes are nested more than 10 files deep"
                );
            }
        }
    }

    #[test]
    fn paths_must_stay_in_the_project() {
        let book = Book::new();
        fs::write(book.outside().join("secret.txt"), "secret\n").unwrap();
        let e = book.error("{{#include ../../secret.txt}}");
        assert!(
            e.message.contains("leaves the book's project folder"),
            "{e}"
        );
        assert!(e
            .message
            .starts_with("{{#include ../../secret.txt}}: ../../secret.txt"));
        let e = book.error("{{#include /etc/passwd}}");
        assert!(
            e.message.contains("leaves the book's project folder"),
            "{e}"
        );
        let e = book.error("{{#rustdoc_include ../../secret.txt}}");
        assert!(
            e.message.contains("leaves the book's project folder"),
            "{e}"
        );
        let e = book.error("{{#playground ../../secret.txt}}");
        assert!(
            e.message.contains("leaves the book's project folder"),
            "{e}"
        );
        // Within the project, going up is fine.
        book.write("top.txt", "top\n");
        assert_eq!(book.text("{{#include ../top.txt}}"), "top");
        // An allowed folder opens the door.
        let allowed = book.expand_with("{{#include ../../secret.txt}}", &[book.outside()]);
        assert_eq!(allowed.unwrap().text, "secret");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_before_the_check() {
        let book = Book::new();
        fs::write(book.outside().join("secret.txt"), "secret\n").unwrap();
        std::os::unix::fs::symlink(
            book.outside().join("secret.txt"),
            book.root().join("src/link.txt"),
        )
        .unwrap();
        let e = book.error("{{#include link.txt}}");
        assert!(
            e.message.contains("leaves the book's project folder"),
            "{e}"
        );
        std::os::unix::fs::symlink(book.outside(), book.root().join("src/up")).unwrap();
        let e = book.error("{{#include up/secret.txt}}");
        assert!(
            e.message.contains("leaves the book's project folder"),
            "{e}"
        );
        // A link that stays inside is fine.
        book.write("data/real.txt", "real\n");
        std::os::unix::fs::symlink(
            book.root().join("data/real.txt"),
            book.root().join("src/in.txt"),
        )
        .unwrap();
        assert_eq!(book.text("{{#include in.txt}}"), "real");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read() {
        let book = Book::new();
        let fifo = book.root().join("src/pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = book.error("{{#include pipe}}");
            assert_eq!(e.message, "{{#include pipe}}: pipe is not a regular file");
        } else {
            eprintln!("note: mkfifo unavailable, FIFO case skipped");
        }
        let e = book
            .expand_with("{{#include /dev/zero}}", &[PathBuf::from("/dev")])
            .unwrap_err();
        assert_eq!(
            e.message,
            "{{#include /dev/zero}}: /dev/zero is not a regular file"
        );
        fs::create_dir_all(book.root().join("src/dir")).unwrap();
        let e = book.error("{{#include dir}}");
        assert_eq!(e.message, "{{#include dir}}: dir is not a regular file");
    }

    #[test]
    fn included_files_must_be_utf8() {
        let book = Book::new();
        fs::write(book.root().join("src/bin.dat"), b"ok\xff\xfe\n").unwrap();
        let e = book.error("{{#include bin.dat}}");
        assert_eq!(e.message, "{{#include bin.dat}}: bin.dat is not UTF-8 text");
        book.write("src/bom.txt", "\u{feff}text\n");
        assert_eq!(book.text("{{#include bom.txt}}"), "text");
    }

    #[test]
    fn line_map_points_at_the_chapter() {
        let book = Book::new();
        book.write("src/x.txt", FIVE);
        let out = book.expand("a\n{{#include x.txt::3}}\nb\n").unwrap();
        assert_eq!(out.text, "a\nl1\nl2\nl3\nb\n");
        assert_eq!(out.lines, [1, 2, 2, 2, 3, 4]);
        // A directive over two lines; text after it keeps its own line.
        let out = book.expand("{{#include\n x.txt:1:2}} tail\nz").unwrap();
        assert_eq!(out.text, "l1\nl2 tail\nz");
        assert_eq!(out.lines, [1, 1, 3]);
        let out = book.expand("{{#title T}}\nx\r\ny").unwrap();
        assert_eq!(out.text, "\nx\r\ny");
        assert_eq!(out.lines, [1, 2, 3]);
        let out = book.expand("").unwrap();
        assert_eq!(out.lines, [1]);
        // Nested includes map to the chapter's directive too.
        book.write("src/n.md", "n1\n{{#include x.txt:4:5}}\n");
        let out = book.expand("top\n\n> {{#include n.md}}\nend").unwrap();
        assert_eq!(out.text, "top\n\n> n1\n> l4\n> l5\nend");
        assert_eq!(out.lines, [1, 2, 3, 3, 3, 4]);
        assert_eq!(out.lines.len(), out.text.split('\n').count());
    }

    #[test]
    fn hide_lines_rust() {
        let code = "\
# fn main() {
    let x = 5;
#
    #    indented hidden
##[derive(Debug)] 
#[derive(Debug)]
#![allow(unused)]
#\tnot hidden
    ## two
#x
# }
";
        assert_eq!(
            hide_lines(code, true, None),
            "    let x = 5;\n#[derive(Debug)] \n#[derive(Debug)]\n#![allow(unused)]\n\
             #\tnot hidden\n    # two\n#x\n"
        );
        // The prefix is ignored for Rust; line breaks are kept as they are.
        assert_eq!(hide_lines("a\r\n# b\r\nc", true, Some("a")), "a\r\nc");
        assert_eq!(hide_lines("a\n# b", true, None), "a\n");
        assert_eq!(hide_lines("# only\n", true, None), "");
    }

    #[test]
    fn hide_lines_with_a_prefix() {
        let code = "~hidden()\nnothidden():\n~    hidden()\n    ~hidden()\n    nothidden()\n";
        assert_eq!(
            hide_lines(code, false, Some("~")),
            "nothidden():\n    nothidden()\n"
        );
        let code = "!!!hidden()\nnothidden():\n!!!    hidden()\n    !!!hidden()\n    nothidden()\n";
        assert_eq!(
            hide_lines(code, false, Some("!!!")),
            "nothidden():\n    nothidden()\n"
        );
        // No Rust rule, no escape.
        assert_eq!(hide_lines("# a\n## b\n", false, Some("#")), "");
        assert_eq!(hide_lines("# a\n", false, None), "# a\n");
    }

    #[test]
    fn hidelines_prefix_from_info_and_config() {
        let mut config = BTreeMap::new();
        config.insert("python".to_string(), "~".to_string());
        let rust = Some((true, None));
        let prefix = |p: &str| Some((false, Some(p.to_string())));
        assert_eq!(hidelines_prefix("rust", "rust", &config), rust);
        assert_eq!(
            hidelines_prefix("rust,ignore,does_not_compile", "", &config),
            rust
        );
        assert_eq!(hidelines_prefix("rust edition2021", "", &config), rust);
        assert_eq!(hidelines_prefix(",rust", "", &config), rust);
        assert_eq!(hidelines_prefix("rust,hidelines=~", "", &config), rust);
        assert_eq!(hidelines_prefix("Rust", "", &config), None);
        assert_eq!(hidelines_prefix("rs", "", &config), None);
        assert_eq!(hidelines_prefix("", "", &config), None);
        assert_eq!(hidelines_prefix("console", "", &config), None);
        assert_eq!(hidelines_prefix("python", "", &config), prefix("~"));
        assert_eq!(
            hidelines_prefix("python hidelines=!!!", "", &config),
            prefix("!!!")
        );
        assert_eq!(
            hidelines_prefix("python,hidelines=!!!", "", &config),
            prefix("!!!")
        );
        assert_eq!(
            hidelines_prefix("sh\thidelines=$", "", &config),
            prefix("$")
        );
        assert_eq!(hidelines_prefix("hidelines=!!!", "", &config), None);
        // `lang` only stands in for an empty info string.
        assert_eq!(hidelines_prefix("", "python", &config), prefix("~"));
        assert_eq!(hidelines_prefix("", "rust", &config), rust);
        assert_eq!(hidelines_prefix("console", "rust", &config), None);
    }

    /// Every chapter of the Rust book expands, and nothing is left unexpanded.
    #[test]
    fn rust_book_expands() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/rust-book");
        let src = root.join("src");
        if !src.is_dir() {
            eprintln!("note: {} is absent, Rust book check skipped", src.display());
            return;
        }
        let mut chapters: Vec<PathBuf> = fs::read_dir(&src)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "md"))
            .collect();
        chapters.sort();
        assert!(chapters.len() > 50);
        let mut directives = 0;
        for chapter in &chapters {
            let text = fs::read_to_string(chapter).unwrap();
            directives += text.matches("{{#").count();
            let out = expand(chapter, &text, &root, &[])
                .unwrap_or_else(|e| panic!("{}:{}: {}", e.path.display(), e.line, e.message));
            assert!(
                !out.text.contains("{{#"),
                "{} keeps a directive",
                chapter.display()
            );
            assert_eq!(out.lines.len(), out.text.split('\n').count());
        }
        assert!(directives > 500, "{directives}");
    }
}
