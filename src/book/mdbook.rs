//! bindery as an mdBook backend: mdBook runs `mdbook-bindery` for `[output.bindery]`, with a
//! `RenderContext` (the configuration, the book as its preprocessors left it, and the output
//! folder) as JSON on standard input.

use super::{config, Book, Kind, LoadOptions, Project, Source};
use crate::error::{Error, Result};
use crate::parse::MetaOverrides;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What mdBook hands a renderer.
pub struct RenderContext {
    /// The book, read into one document.
    pub book: Book,
    /// The folder mdBook wants the outputs in (`book/bindery`).
    pub destination: PathBuf,
}

/// Reads mdBook's `RenderContext` JSON. The chapters' content is taken as mdBook gives it:
/// includes are already expanded and every preprocessor has run.
pub fn render_context(json: &[u8]) -> Result<RenderContext> {
    let bad = |message: String| Error::Book {
        path: PathBuf::from("<mdBook render context>"),
        line: 0,
        message,
    };
    let value: Value = serde_json::from_slice(json)
        .map_err(|e| bad(format!("not the JSON mdBook sends a renderer ({e})")))?;
    let root = value
        .get("root")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .ok_or_else(|| bad("no `root` folder".into()))?;
    let destination = value
        .get("destination")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .ok_or_else(|| bad("no `destination` folder".into()))?;
    let table: toml::Table = value
        .get("config")
        .cloned()
        .map(without_nulls)
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| bad(format!("its `config` is not book.toml ({e})")))?
        .unwrap_or_default();
    let text = toml::to_string(&table).map_err(|e| bad(e.to_string()))?;
    let config = config::parse(&root.join("book.toml"), &text, Kind::MdBook)?;
    let items = value
        .get("book")
        .and_then(|b| b.get("items").or_else(|| b.get("sections")))
        .and_then(Value::as_array)
        .ok_or_else(|| bad("its `book` has no chapters".into()))?;
    let src_dir = root.join(&config.src);
    let mut sources = Vec::new();
    walk(items, 1, &src_dir, &mut Vec::new(), &mut sources);
    let diagnostics = config.warnings.clone();
    let project = Project {
        roots: super::roots(&root, &LoadOptions::default()),
        book_dir: root,
        src_dir,
        title: None,
        config,
    };
    let book = super::assemble(
        project,
        sources,
        &MetaOverrides {
            source_date_epoch: crate::parse::source_date_epoch(),
            ..MetaOverrides::default()
        },
        diagnostics,
    )?;
    Ok(RenderContext { book, destination })
}

/// JSON's `null` (mdBook writes unset options so) has no TOML form: such keys are dropped.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other,
    }
}

fn walk(
    items: &[Value],
    depth: u8,
    src_dir: &Path,
    parents: &mut Vec<String>,
    out: &mut Vec<Source>,
) {
    for item in items {
        if let Some(title) = item.get("PartTitle").and_then(Value::as_str) {
            out.push(Source {
                title: title.to_owned(),
                page_title: None,
                number: None,
                depth: 0,
                rel: None,
                file: src_dir.join("SUMMARY.md"),
                text: String::new(),
                lines: Vec::new(),
                entry_line: 0,
                parents: Vec::new(),
                includes: Vec::new(),
            });
            continue;
        }
        let Some(ch) = item.get("Chapter") else {
            continue;
        };
        let name = ch
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let path = ch
            .get("source_path")
            .and_then(Value::as_str)
            .or_else(|| ch.get("path").and_then(Value::as_str));
        // Draft chapters have no path and are left out, as mdBook's HTML leaves them.
        if let Some(path) = path {
            let number = ch.get("number").and_then(Value::as_array).map(|n| {
                n.iter()
                    .filter_map(Value::as_u64)
                    .map(|x| x.min(u64::from(u32::MAX)) as u32)
                    .collect()
            });
            out.push(Source {
                title: name.clone(),
                page_title: None,
                number,
                depth,
                rel: Some(super::normalize(Path::new(path))),
                file: src_dir.join(path),
                text: ch
                    .get("content")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                lines: Vec::new(),
                entry_line: 0,
                parents: parents.clone(),
                includes: Vec::new(),
            });
        }
        if let Some(sub) = ch.get("sub_items").and_then(Value::as_array) {
            parents.push(name);
            walk(sub, depth.saturating_add(1), src_dir, parents, out);
            parents.pop();
        }
    }
}
