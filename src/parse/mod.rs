//! Reading sources: the only stage that reads input files (Markdown, front matter, images).

pub(crate) mod assets;
pub(crate) use assets::percent_decode;
pub mod chars;
pub mod frontmatter;
mod html;
mod listing;
pub mod markdown;
pub mod resolve;
mod segment_breaks;
pub mod style;
mod text;
pub mod urls;

use crate::doc::{plain_text, Block, Document, Metadata};
use crate::error::{Diagnostic, Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Metadata given on the command line; each set field wins over front matter.
#[derive(Debug, Clone, Default)]
pub struct MetaOverrides {
    /// `--title`
    pub title: Option<String>,
    /// `--author` (repeatable)
    pub authors: Vec<String>,
    /// `--lang`
    pub lang: Option<String>,
    /// `--date`
    pub date: Option<String>,
    /// `--set version=...`
    pub version: Option<String>,
    /// SOURCE_DATE_EPOCH: the time every output carries as its modification date.
    pub source_date_epoch: Option<i64>,
}

/// SOURCE_DATE_EPOCH from the environment, when set to a whole number of seconds (read once,
/// into [`MetaOverrides`]).
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

/// Reads one source file (and the images it refers to) into a document.
pub fn load(path: &Path, overrides: &MetaOverrides) -> Result<Document> {
    let bytes = crate::source::read(path, crate::source::Kind::Text).map_err(|e| Error::Read {
        path: path.to_owned(),
        source: e.into(),
    })?;
    let text = decode(path, bytes)?;
    load_text(path, &text, overrides)
}

/// [`load`] with the file's text already read: parses it and reads the style and the images
/// it names, relative to `path`'s folder.
pub fn load_text(path: &Path, text: &str, overrides: &MetaOverrides) -> Result<Document> {
    let base = path.parent().unwrap_or(Path::new("")).to_owned();
    // The screenshots it names are decoded on the other threads while the text is parsed.
    let (doc, prefetched) = rayon::join(
        || parse_str(path, text, overrides),
        || assets::prefetch(&base, text),
    );
    let mut doc = doc?;
    doc.reads.push(path.to_owned());
    style::settle(&mut doc, &base, path)?;
    assets::load_with(&base, &mut doc, prefetched);
    crate::trace::stage("parsed");
    Ok(doc)
}

/// `http:`, `https:`, `ftp:` and protocol-relative URLs, which bindery never fetches.
pub(crate) fn is_remote_url(url: &str) -> bool {
    assets::is_remote(url)
}

/// Reads the images `doc` refers to, relative to `base` (warnings go to the document).
pub(crate) fn load_assets(base: &Path, doc: &mut Document) {
    assets::load(base, doc);
}

/// [`load_assets`], taking what [`assets::prefetch_all`] read ahead.
pub(crate) fn load_prefetched_assets(
    base: &Path,
    doc: &mut Document,
    prefetched: assets::Prefetched,
) {
    assets::load_with(base, doc, prefetched);
}

/// Parses Markdown source text that came from `path` (used for messages, the title fallback and
/// the plain-text rules of `.txt` files). Reads nothing from disk: images are not loaded.
pub fn parse_str(path: &Path, text: &str, overrides: &MetaOverrides) -> Result<Document> {
    let mut warnings = Vec::new();
    let mut meta = Metadata {
        lang: String::new(),
        ..Metadata::default()
    };
    // A byte-order mark is not content; CR LF and lone CR end lines as LF does (a file read
    // through `decode` has LF only already; this covers text given directly).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized = normalize_line_endings(text);
    let text = normalized.as_ref();
    // Characters no output can hold, settled once for every backend (see `chars`).
    let settled = chars::settle_source(path, text, &mut warnings);
    let text = settled.as_ref();
    let front = frontmatter::read(path, text, &mut meta, &mut warnings)?;
    let plain = is_plain_text(path);
    let mut blocks = body(path, text, &front, plain, &mut warnings);
    if plain && meta.title.is_empty() {
        text::title_from_first_line(&mut blocks);
    }
    resolve::heading_ids(path, &mut blocks, &mut warnings);
    resolve::internal_links(path, &mut blocks, &mut warnings);
    urls::unlink_refused(path, &mut blocks, &mut warnings);

    apply_overrides(&mut meta, overrides, path)?;
    crate::locale::Locale::of(&meta.lang).localize_quotes(&mut blocks);
    if meta.title.is_empty() {
        meta.title = first_h1(&blocks).unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    }
    Ok(Document {
        meta,
        blocks,
        files: vec![path.to_owned()],
        assets: BTreeMap::new(),
        diagnostics: warnings,
        reads: Vec::new(),
        style: Default::default(),
    })
}

/// Parses one chapter of a book (no front matter: mdBook has none): its blocks, footnotes
/// resolved and numbered from 1, heading ids unique within the chapter, as mdBook makes them.
pub fn parse_chapter(path: &Path, text: &str, warnings: &mut Vec<Diagnostic>) -> Vec<Block> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized = normalize_line_endings(text);
    let text = normalized.as_ref();
    let settled = chars::settle_source(path, text, warnings);
    let text = settled.as_ref();
    let front = frontmatter::FrontMatter {
        body_start: 0,
        body_line: 1,
    };
    let mut blocks = body(path, text, &front, is_plain_text(path), warnings);
    resolve::heading_ids(path, &mut blocks, warnings);
    urls::unlink_refused(path, &mut blocks, warnings);
    blocks
}

/// The Markdown body of `text` (after its front matter) as blocks, footnotes resolved.
fn body(
    path: &Path,
    text: &str,
    front: &frontmatter::FrontMatter,
    plain: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    let body = &text[front.body_start..];
    let prepared;
    let body = if plain {
        prepared = text::prepare(path, body, front.body_line, warnings);
        prepared.as_str()
    } else {
        body
    };
    let mut index = markdown::LineIndex::new(body, 0, front.body_line, front.body_start);
    let mut labels = Vec::new();
    let mut folded = markdown::fold(path, body, &index, &mut labels, warnings);
    // An unclosed `<script>`, `<style>`, `<pre>` or `<textarea>` block runs to the end of the
    // file in CommonMark and would hide everything after it: it ends at its first blank line
    // instead (the closing tag is added there), with a warning.
    let closed;
    if let Some((at, tag, line)) = unclosed_raw_block(body, &folded.blocks, front.body_line) {
        warnings.push(Diagnostic::warning(
crate::error::Code::Html,
            path,
            line,
            1,
            format!("<{tag}> is left unclosed; it is taken to end at the first blank line so that the rest of the file is kept"),
        ));
        closed = format!("{}</{tag}>{}", &body[..at], &body[at..]);
        index = markdown::LineIndex::new(&closed, 0, front.body_line, front.body_start);
        labels.clear();
        let mut ignored = Vec::new();
        folded = markdown::fold(path, &closed, &index, &mut labels, &mut ignored);
        warnings.extend(
            ignored
                .into_iter()
                .filter(|w| !warnings.contains(w))
                .collect::<Vec<_>>(),
        );
    }
    let mut blocks = folded.blocks;
    let mut definitions = folded.definitions;
    listing::fold(path, &mut blocks, warnings);
    html::read(path, &mut blocks, &mut definitions, warnings);
    let bodies: BTreeMap<usize, _> = definitions
        .into_iter()
        .map(|(label, body, loc)| (label, (body, loc)))
        .collect();
    resolve::footnotes(
        path,
        &mut blocks,
        resolve::Notes {
            labels: folded.labels,
            bodies,
        },
        warnings,
    );
    // After the HTML is read and the notes are in place, so that every soft break is seen.
    segment_breaks::remove_between_east_asian(&mut blocks);
    blocks
}

/// A last top-level HTML block that opens `<script>`, `<style>`, `<pre>` or `<textarea>` and
/// never closes it: where to close it (the end of the line before its first blank line, as a
/// byte offset into `body`), the tag, and its line.
fn unclosed_raw_block(
    body: &str,
    blocks: &[Block],
    first_line: u32,
) -> Option<(usize, &'static str, u32)> {
    let Some(Block::Html { html, loc }) = blocks.last() else {
        return None;
    };
    let lower = html.trim_start().to_ascii_lowercase();
    let tag = ["script", "style", "pre", "textarea"]
        .into_iter()
        .find(|t| lower.starts_with(&format!("<{t}")))?;
    if lower.contains(&format!("</{tag}")) {
        return None;
    }
    let line_start = body
        .split_inclusive('\n')
        .take((loc.line.saturating_sub(first_line)) as usize)
        .map(str::len)
        .sum::<usize>();
    let rest = body.get(line_start..)?;
    // The end of the last line before a blank one (or of the file).
    let mut end = rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if offset > 0 && line.trim().is_empty() {
            end = offset - 1;
            break;
        }
        offset += line.len();
    }
    let end = end.min(rest.len());
    if end >= rest.len() {
        return None;
    }
    Some((line_start + end, tag, loc.line))
}

/// Applies command-line metadata over what the sources say.
pub(crate) fn apply_overrides(meta: &mut Metadata, o: &MetaOverrides, path: &Path) -> Result<()> {
    // The command line never went through a source: its text is settled here (see `chars`).
    if let Some(title) = &o.title {
        meta.title = chars::settled(title).into_owned();
    }
    if !o.authors.is_empty() {
        meta.authors = o
            .authors
            .iter()
            .map(|a| chars::settled(a).into_owned())
            .collect();
    }
    if let Some(lang) = &o.lang {
        if !frontmatter::valid_lang(lang) {
            return Err(Error::Setting {
                origin: "--lang".into(),
                message: format!("`{lang}` is not a BCP 47 language tag such as `en` or `pt-BR`"),
            });
        }
        meta.lang = lang.clone();
    }
    if let Some(date) = &o.date {
        meta.date = Some(date.clone());
    }
    if let Some(version) = &o.version {
        meta.version = Some(chars::settled(version).into_owned());
    }
    if meta.lang.is_empty() {
        // Never the machine's locale: the same sources must give the same book everywhere.
        meta.lang = "en".to_owned();
    }
    meta.date_shown = meta
        .date
        .as_deref()
        .map(|d| {
            crate::locale::Locale::of(&meta.lang)
                .date(d)
                .unwrap_or_else(|| d.trim().to_owned())
        })
        .filter(|d| !d.is_empty());
    // Settled here once for every backend: SOURCE_DATE_EPOCH, else midnight UTC of the
    // document's date, else the epoch (never the clock).
    meta.modified = o
        .source_date_epoch
        .or_else(|| {
            let (y, m, d) = crate::doc::parse_date(meta.date.as_deref()?)?;
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
            Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
        })
        .unwrap_or(0);
    // Settled here once for every backend: the direction given, else the language's.
    if meta.dir.is_none() && crate::doc::is_rtl_lang(&meta.lang) {
        meta.dir = Some("rtl".into());
    }
    let _ = path;
    Ok(())
}

/// `.txt` sources are pasted plain text: bindery repairs what copy-paste does to them.
fn is_plain_text(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

fn first_h1(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Heading {
            level: 1, content, ..
        } => Some(plain_text(content).trim().to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    })
}

/// Line endings as the parser expects them: CR LF (Windows) and a lone CR (classic Mac OS)
/// become LF, so that a file saved with either is read line by line as written (CommonMark
/// counts all three as line endings, but the stages around the Markdown parser count only LF).
/// Borrowed when the text has no CR, which is what the parser's entries see for every file
/// read through [`decode`].
pub fn normalize_line_endings(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Decodes UTF-8, or says exactly where it is not; line endings become LF (see
/// [`normalize_line_endings`]). Every source, book file and include passes here once, after
/// it is read.
pub(crate) fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let text = decode_utf8(path, bytes)?;
    Ok(match normalize_line_endings(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(normalized) => normalized,
    })
}

fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..offset];
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count() as u32
            + 1;
        Error::Utf8 {
            path: path.to_owned(),
            line,
            col,
            offset,
        }
    })
}

/// Is this a file bindery reads as Markdown?
pub fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["md", "markdown", "txt"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Warnings about a document, sorted by position (stable across thread counts).
pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // By file too: a book's warnings come from many files.
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    diagnostics.dedup();
    diagnostics
}

#[cfg(test)]
mod tests;
