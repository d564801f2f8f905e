//! Front matter: a YAML (`---`) or TOML (`+++`) block at the top of a source, into [`Metadata`].

use crate::doc::Metadata;
use crate::error::{find_key_line, toml_message, Diagnostic, Error, Result};
use crate::page;
use serde_json::Value;
use std::path::Path;

/// The front matter found at the top of a source.
pub struct FrontMatter {
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Line (from 1) where the Markdown body starts.
    pub body_line: u32,
}

/// Which syntax the block uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
}

/// Finds a front-matter block, reads it into `meta`, and says where the body starts.
///
/// Unknown keys are warnings; malformed blocks and values of the wrong type are errors that name
/// the line.
pub fn read(
    path: &Path,
    text: &str,
    meta: &mut Metadata,
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter> {
    let none = FrontMatter {
        body_start: 0,
        body_line: 1,
    };
    let (syntax, fence) = if text.starts_with("---") {
        (Syntax::Yaml, "---")
    } else if text.starts_with("+++") {
        (Syntax::Toml, "+++")
    } else {
        return Ok(none);
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != fence {
        return Ok(none);
    }
    // Front matter starts with a key on the very next line; `---` followed by a blank line is
    // a thematic break (or a setext underline) in Markdown.
    let second = text
        .get(first_line_end + 1..)
        .and_then(|t| t.lines().next())
        .unwrap_or("");
    if second.trim().is_empty() {
        return Ok(none);
    }
    // Find the closing fence (YAML also allows `...`).
    let mut offset = first_line_end + 1;
    let mut line_no = 2u32;
    let mut close = None;
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        if line == fence || (syntax == Syntax::Yaml && line == "...") {
            close = Some((offset, end));
            break;
        }
        if end >= text.len() {
            break;
        }
        offset = end + 1;
        line_no += 1;
    }
    let Some((close_start, close_end)) = close else {
        // Without a closing fence this is front matter only if it reads like one: a `key:`
        // (YAML) or `key =` (TOML) line right after the opening fence. Otherwise the fence is
        // Markdown (a thematic break, or `+++` as text).
        let key = second.split([':', '=']).next().unwrap_or("");
        let looks_like_key = !key.trim().is_empty()
            && key
                .trim()
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && second.contains(if syntax == Syntax::Yaml { ':' } else { '=' });
        if !looks_like_key {
            return Ok(none);
        }
        return Err(Error::FrontMatter {
            path: path.to_owned(),
            line: 1,
            col: 1,
            message: format!("the block opened here is never closed with `{fence}`"),
        });
    };
    let block = &text[first_line_end
        .min(text.len())
        .saturating_add(1)
        .min(close_start)..close_start];
    let value = match syntax {
        Syntax::Yaml => parse_yaml(path, block)?,
        Syntax::Toml => parse_toml(path, block)?,
    };
    let before = warnings.len();
    apply_options(path, &|key| key_line(block, key), value, meta, warnings).map_err(
        |e| match e {
            Error::FrontMatter {
                path,
                line,
                col: 1,
                message,
            } => {
                // A value of the wrong type: point at the value, not at the line.
                let col = block
                    .lines()
                    .nth(line.saturating_sub(2) as usize)
                    .and_then(|l| setting_span(l, false))
                    .map_or(1, |(c, _)| c);
                Error::FrontMatter {
                    path,
                    line,
                    col,
                    message,
                }
            }
            e => e,
        },
    )?;
    refine_spans(block, 2, &mut warnings[before..]);
    let body_start = (close_end + 1).min(text.len());
    Ok(FrontMatter {
        body_start,
        body_line: line_no + 1,
    })
}

/// How much YAML front matter may hold. Metadata is a few dozen values; these limits stop an
/// alias bomb ("billion laughs") or a deeply nested block long before it costs time or memory.
const YAML_MAX_VALUES: usize = 10_000;
/// How deep YAML front matter may nest.
const YAML_MAX_DEPTH: usize = 32;

fn parse_yaml(path: &Path, block: &str) -> Result<Value> {
    if block.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: YAML_MAX_VALUES,
            max_events: 4 * YAML_MAX_VALUES,
            max_aliases: YAML_MAX_VALUES,
            max_depth: YAML_MAX_DEPTH,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: YAML_MAX_VALUES,
            max_replay_stack_depth: YAML_MAX_DEPTH,
        },
    };
    serde_saphyr::from_str_with_options::<Value>(block, options).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
        Error::FrontMatter {
            path: path.to_owned(),
            line: line + 1,
            col: col.max(1),
            message: yaml_message(&e, block),
        }
    })
}

/// A YAML error in the author's terms. serde-saphyr's own messages speak to programmers ("use
/// Option<String>", "set DuplicateKeyPolicy in Options", "budget breached: Nodes {..}"): the
/// errors front matter can meet are named here, and any other message is passed on only when
/// it reads as plain language.
fn yaml_message(e: &serde_saphyr::Error, block: &str) -> String {
    use serde_saphyr::Error as Y;
    // The error itself, out of the wrappers that add a snippet or an alias's locations.
    let mut e = e;
    while let Y::AliasError { error, .. } | Y::WithSnippet { error, .. } = e {
        e = error;
    }
    match e {
        Y::DuplicateMappingKey { key: Some(key), .. } => match find_key_line(block, key) {
            Some(first) => format!("`{key}` is set twice (first on line {first}); keep one"),
            None => format!("`{key}` is set twice; keep one"),
        },
        Y::DuplicateMappingKey { key: None, .. } => "a key is set twice; keep one".into(),
        Y::NullIntoString { .. } => {
            "a key is empty (nothing, `~` or `null` before the `:`); write its name".into()
        }
        Y::Unexpected { expected, .. } if expected.contains("string") => {
            "keys must be plain names such as `title`, not lists or mappings".into()
        }
        Y::Budget { .. }
        | Y::AliasReplayLimitExceeded { .. }
        | Y::AliasExpansionLimitExceeded { .. }
        | Y::AliasReplayStackDepthExceeded { .. }
        | Y::AliasReplayCounterOverflow { .. } => format!(
            "too large: front matter may hold at most {YAML_MAX_VALUES} values, nested at most \
             {YAML_MAX_DEPTH} deep, every use of an alias (`*name`) counting its whole value; \
             write the metadata out plainly"
        ),
        Y::NonFiniteFloat { value, .. } => {
            format!("`{value}` is not a usable number; put it in quotes to make it text")
        }
        Y::UnknownAnchor { .. } => {
            "an alias (`*name`) refers to no anchor (`&name`) defined before it".into()
        }
        Y::MultipleDocuments { .. } => {
            "the block holds more than one YAML document (a `---` inside it?)".into()
        }
        other => {
            use serde_saphyr::MessageFormatter;
            let message = serde_saphyr::UserMessageFormatter.format_message(other);
            let message = clean_yaml_message(message.lines().next().unwrap_or(""));
            let developer = [
                "Option<",
                "Options",
                "Policy",
                "budget",
                "{",
                "serde",
                "deserialize",
            ];
            if developer.iter().any(|d| message.contains(d)) {
                "not valid YAML".into()
            } else {
                message
            }
        }
    }
}

/// serde-saphyr's first line repeats a position relative to the block ("error: line 2 column
/// 6: ..."); the diagnostic already names the file's own line and column.
fn clean_yaml_message(line: &str) -> String {
    let mut m = line.trim().trim_start_matches("error:").trim();
    if let Some(rest) = m.strip_prefix("line ") {
        if let Some((_, after)) = rest.split_once(':') {
            m = after.trim();
        }
    }
    if m.is_empty() {
        "invalid YAML".to_owned()
    } else {
        m.to_owned()
    }
}

fn parse_toml(path: &Path, block: &str) -> Result<Value> {
    let table: toml::Table = block.parse().map_err(|e: toml::de::Error| {
        let (line, col) = e.span().map_or((1, 1), |span| line_col(block, span.start));
        let message = toml_message(e.message(), block, e.span(), 2);
        Error::FrontMatter {
            path: path.to_owned(),
            line: line + 1,
            col,
            message,
        }
    })?;
    serde_json::to_value(table).map_err(|e| Error::FrontMatter {
        path: path.to_owned(),
        line: 2,
        col: 1,
        message: e.to_string(),
    })
}

/// Line (from 1) and column (from 1, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

/// Copies known keys into `meta`, checking their types; `line_of` gives the line a key is set
/// on (for messages). Used for front matter and for the options of book projects.
pub fn apply_options(
    path: &Path,
    line_of: &dyn Fn(&str) -> u32,
    value: Value,
    meta: &mut Metadata,
    warnings: &mut Vec<Diagnostic>,
) -> Result<()> {
    let Value::Object(map) = value else {
        if value.is_null() {
            return Ok(());
        }
        return Err(Error::FrontMatter {
            path: path.to_owned(),
            line: 2,
            col: 1,
            message: "expected a mapping of `key: value` pairs".into(),
        });
    };
    for (key, mut value) in map {
        let line = line_of(&key);
        // Escapes such as "\x01" put characters into strings that no output can hold.
        if let Some((first, count)) = super::chars::settle_value(&mut value) {
            let what = super::chars::describe(first, count, "in this value");
            warnings.push(Diagnostic::warning(
                crate::error::Code::BadValue,
                path,
                line,
                1,
                format!("`{key}`: {what}"),
            ));
        }
        let wrong = |expected: &str| Error::FrontMatter {
            path: path.to_owned(),
            line,
            col: 1,
            message: format!("`{key}` must be {expected}, found {}", kind_of(&value)),
        };
        match key.as_str() {
            "title" => meta.title = scalar(&value).ok_or_else(|| wrong("a string"))?,
            "subtitle" => meta.subtitle = Some(scalar(&value).ok_or_else(|| wrong("a string"))?),
            "author" | "authors" => {
                meta.authors =
                    string_list(&value).ok_or_else(|| wrong("a string or a list of strings"))?
            }
            "date" => meta.date = Some(scalar(&value).ok_or_else(|| wrong("a date string"))?),
            "lang" | "language" => {
                let lang = scalar(&value).ok_or_else(|| wrong("a language tag such as `en`"))?;
                if !valid_lang(&lang) {
                    return Err(Error::FrontMatter {
                        path: path.to_owned(),
                        line,
                        col: 1,
                        message: format!("`{key}` must be a BCP 47 language tag such as `en` or `pt-BR`, found `{lang}`"),
                    });
                }
                meta.lang = lang;
            }
            "description" | "abstract" => {
                meta.description = Some(scalar(&value).ok_or_else(|| wrong("a string"))?)
            }
            "keywords" | "subject" | "subjects" => {
                meta.keywords = match &value {
                    Value::String(s) => s
                        .split(',')
                        .map(|k| k.trim().to_owned())
                        .filter(|k| !k.is_empty())
                        .collect(),
                    _ => string_list(&value).ok_or_else(|| wrong("a list of strings"))?,
                }
            }
            "identifier" | "isbn" => {
                meta.identifier = Some(scalar(&value).ok_or_else(|| wrong("a string"))?)
            }
            "version" => {
                meta.version =
                    Some(scalar(&value).ok_or_else(|| wrong("a string such as \"1.2.0\""))?)
            }
            "rights" | "copyright" | "license" => {
                meta.rights = Some(scalar(&value).ok_or_else(|| wrong("a string"))?)
            }
            "cover" | "cover-image" | "cover_image" => {
                meta.cover = Some(scalar(&value).ok_or_else(|| wrong("a path to an image"))?)
            }
            "toc" => meta.toc = Some(value.as_bool().ok_or_else(|| wrong("true or false"))?),
            "toc-depth" | "toc_depth" => {
                let depth = value
                    .as_u64()
                    .filter(|d| (1..=6).contains(d))
                    .ok_or_else(|| wrong("a number from 1 to 6"))?;
                meta.toc_depth = Some(depth as u8);
            }
            "pdf-standard" | "pdf_standard" | "pdf-standards" => {
                let names = match &value {
                    Value::String(s) => s.split(',').map(|n| n.trim().to_owned()).collect(),
                    _ => string_list(&value).ok_or_else(|| wrong("a list of PDF standards"))?,
                };
                let mut out = Vec::new();
                for name in names {
                    let name = name.to_ascii_lowercase();
                    let name = name.strip_prefix("pdf/").unwrap_or(&name).to_owned();
                    if !crate::doc::PDF_STANDARDS.contains(&name.as_str()) {
                        return Err(wrong(&format!(
                            "PDF standards from {}",
                            crate::doc::PDF_STANDARDS.join(", ")
                        )));
                    }
                    out.push(name);
                }
                meta.pdf_standard = out;
            }
            "paper" | "papersize" => {
                meta.paper = Some(scalar(&value).ok_or_else(|| wrong("a paper size"))?)
            }
            "margins" | "margin" => {
                meta.margins = Some(scalar(&value).ok_or_else(|| wrong("a length"))?)
            }
            "two-sided" | "two_sided" => {
                meta.two_sided = Some(value.as_bool().ok_or_else(|| wrong("true or false"))?)
            }
            "epub-fonts" | "epub_fonts" => {
                meta.epub_fonts = Some(value.as_bool().ok_or_else(|| wrong("true or false"))?)
            }
            "layout" => match scalar(&value).as_deref() {
                Some("plain") => meta.booklet = Some(false),
                Some("booklet") => meta.booklet = Some(true),
                _ => return Err(wrong("`plain` or `booklet`")),
            },
            "dir" | "direction" | "text-direction" => {
                let dir = scalar(&value).unwrap_or_default();
                if dir != "ltr" && dir != "rtl" {
                    return Err(wrong("`ltr` or `rtl`"));
                }
                meta.dir = Some(dir);
            }
            "style" => {
                meta.style = Some(scalar(&value).ok_or_else(|| wrong("a path to a style file"))?);
                meta.lines.insert("style".into(), line);
            }
            "fonts" | "font-dir" | "font_dir" => {
                meta.fonts =
                    Some(scalar(&value).ok_or_else(|| wrong("a path to a folder of fonts"))?);
                meta.lines.insert("fonts".into(), line);
            }
            _ => warnings.push(Diagnostic::warning(
                crate::error::Code::UnknownKey,
                path,
                line,
                1,
                format!("unknown front-matter key `{key}` (ignored)"),
            )),
        }
    }
    // Paper and margins that leave no room for text are refused here, at their line.
    check_settings(path, line_of, meta)
}

/// Checks the page settings of front matter or a book's configuration as they stand in
/// `meta` (paper, margins, layout): the error names the line of the `margins` key, else of
/// `paper`, through `line_of` (absent keys give an earlier line than present ones there, so
/// the latest line among a key's spellings is the one set). A bad value is an error of the file
/// even where the command line overrides it.
pub fn check_settings(
    path: &std::path::Path,
    line_of: &dyn Fn(&str) -> u32,
    meta: &Metadata,
) -> Result<()> {
    // The line of a key: the latest among its spellings (see above).
    let line = |spellings: &[&str]| spellings.iter().map(|k| line_of(k)).max().unwrap_or(0);
    let at = |line: u32, e: Error| Error::FrontMatter {
        path: path.to_owned(),
        line,
        col: 1,
        message: match e {
            Error::Setting { message, .. } => message,
            other => other.to_string(),
        },
    };
    let paper_line = line(&["paper", "papersize"]);
    if let Some(paper) = &meta.paper {
        page::parse_paper("paper", paper).map_err(|e| at(paper_line, e))?;
    }
    if meta.paper.is_none() && meta.margins.is_none() {
        return Ok(());
    }
    let setup_line = match meta.margins {
        Some(_) => line(&["margins", "margin"]),
        None => paper_line,
    };
    page::page_from_settings(
        meta.paper.as_deref(),
        meta.margins.as_deref(),
        meta.booklet == Some(true),
        "",
    )
    .map(|_| ())
    .map_err(|e| at(setup_line, e))
}

/// A scalar as text: strings as they are, numbers and booleans as written.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        // TOML dates arrive as a one-key table after conversion.
        Value::Object(map) if map.len() == 1 && map.contains_key("$__toml_private_datetime") => map
            .values()
            .next()
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => items.iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A loose BCP 47 check: letters, digits and hyphens, starting with a 2–3 letter language.
pub fn valid_lang(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Points warnings about settings (given at a line, column 1) at what they concern: an unknown
/// key at the key, a bad value at the value. `text`'s first line is line `first_line` of its
/// file. Done once per file, after the settings are read, and only for those warnings.
pub fn refine_spans(text: &str, first_line: u32, warnings: &mut [Diagnostic]) {
    use crate::error::Code;
    for w in warnings {
        let key = match w.code {
            Code::UnknownKey => true,
            Code::BadValue => false,
            _ => continue,
        };
        if w.col > 1 || w.len > 0 || w.line < first_line {
            continue;
        }
        let Some(line) = text.lines().nth((w.line - first_line) as usize) else {
            continue;
        };
        if let Some((col, len)) = setting_span(line, key) {
            w.col = col;
            w.len = len;
        }
    }
}

/// Column and length (in characters) of the key (`key`) or of the value of a `key: value` or
/// `key = value` line.
fn setting_span(line: &str, key: bool) -> Option<(u32, u32)> {
    let sep = line.find([':', '='])?;
    let (start, end) = if key {
        let k = &line[..sep];
        let start = k.len() - k.trim_start().len();
        (start, k.trim_end().len())
    } else {
        let v = &line[sep + 1..];
        let start = sep + 1 + (v.len() - v.trim_start().len());
        (start, line.trim_end().len())
    };
    if end <= start {
        return None;
    }
    let col = line[..start].chars().count() as u32 + 1;
    Some((col, line[start..end].chars().count() as u32))
}

/// The line (in the whole source, from 1) where `key` is set in the block; 2 if not found.
fn key_line(block: &str, key: &str) -> u32 {
    find_key_line(block, key).unwrap_or(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_in_a_file_are_checked_at_their_line() {
        let line_of = |key: &str| match key {
            "papersize" => 3,
            "margin" => 5,
            _ => 2,
        };
        let path = std::path::Path::new("doc.md");
        let mut meta = crate::doc::Metadata::default();
        assert!(check_settings(path, &line_of, &meta).is_ok());
        meta.paper = Some("1x1in".into());
        let e = check_settings(path, &line_of, &meta)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("doc.md:3:1: "), "{e}");
        assert!(e.contains("text block"), "{e}");
        meta.paper = Some("huge".into());
        let e = check_settings(path, &line_of, &meta)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("doc.md:3:1: ") && e.contains("`huge`"), "{e}");
        meta.paper = Some("a5".into());
        meta.margins = Some("3in".into());
        let e = check_settings(path, &line_of, &meta)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("doc.md:5:1: ") && e.contains("`3in`"), "{e}");
        meta.margins = Some("1in".into());
        assert!(check_settings(path, &line_of, &meta).is_ok());
        // A bare number in a file is refused as on the command line, naming the units.
        meta.margins = Some("2".into());
        let e = check_settings(path, &line_of, &meta)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("doc.md:5:1: ")
                && e.contains("`2` has no unit;")
                && e.contains("mm, cm, in"),
            "{e}"
        );
        meta.margins = Some("0 20mm".into());
        assert!(check_settings(path, &line_of, &meta).is_ok());
        meta.paper = Some("6x9".into());
        assert!(check_settings(path, &line_of, &meta).is_err());
    }
}
