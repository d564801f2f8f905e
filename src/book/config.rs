//! `book.toml` (mdBook's configuration, read as mdBook reads it) and `bindery.toml` (an ordered
//! list of files with the same options), into one [`Config`].
//!
//! Every key mdBook knows is accepted; unknown keys are warnings naming their line. bindery's
//! own options live in `[output.bindery]` of book.toml (the table mdBook hands to a backend of
//! that name) or at the top of bindery.toml, and are read by the front-matter reader, so they
//! mean exactly what the same keys mean in front matter.

use crate::doc::Metadata;
use crate::error::{Diagnostic, Error, Result};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

/// Which kind of project a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `book.toml` + `SUMMARY.md`.
    MdBook,
    /// `bindery.toml` with a list of files.
    Bindery,
}

/// An external preprocessor named in `[preprocessor.NAME]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessor {
    /// Its name (the table's key).
    pub name: String,
    /// The command to run (`mdbook-NAME` when not given).
    pub command: String,
    /// The renderers it is for; `None` means all.
    pub renderers: Option<Vec<String>>,
    /// Line of its table in book.toml.
    pub line: u32,
}

/// A book project's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `book.toml` or `bindery.toml`.
    pub path: PathBuf,
    /// Which of the two.
    pub kind: Kind,
    /// `[book] src` (mdBook), relative to the book folder; `src` by default.
    pub src: PathBuf,
    /// bindery.toml's `files`, in order, with the line of each.
    pub files: Vec<(String, u32)>,
    /// The outputs' file name (without extension), when the configuration names one.
    pub name: Option<String>,
    /// `[rust] edition`.
    pub edition: Option<String>,
    /// `[output.html.code.hidelines]`: language -> prefix of hidden lines.
    pub hidelines: BTreeMap<String, String>,
    /// `[preprocessor.*]` other than mdBook's built-in ones, in file order.
    pub preprocessors: Vec<Preprocessor>,
    /// `[build] use-default-preprocessors` (mdBook's include expansion and README renaming).
    pub default_preprocessors: bool,
    /// Metadata and options: `[book]` first, then `[output.bindery]` (or bindery.toml's own
    /// keys) over it.
    pub meta: Metadata,
    /// Warnings (unknown keys), with their lines.
    pub warnings: Vec<Diagnostic>,
    /// The whole file, for the preprocessors and renderers that mdBook hands it to.
    pub raw: Table,
}

/// Reads `book.toml` or `bindery.toml`.
pub fn read(path: &Path, kind: Kind) -> Result<Config> {
    let text = super::read_text(path, None)?;
    parse(path, &text, kind)
}

/// Parses the text of a configuration file that came from `path`.
pub fn parse(path: &Path, text: &str, kind: Kind) -> Result<Config> {
    let lines = Lines::new(text);
    let err = |span: Option<Range<usize>>, message: String| Error::Book {
        path: path.to_owned(),
        line: span.map_or(0, |s| lines.line(s.start)),
        message,
    };
    // The parser's messages, with a repeated key named (and where it was first set).
    let message =
        |m: &str, span: Option<Range<usize>>| crate::error::toml_message(m, text, span, 1);
    let spans = DeTable::parse(text).map_err(|e| err(e.span(), message(e.message(), e.span())))?;
    let table: Table = toml::from_str(text)
        .map_err(|e: toml::de::Error| err(e.span(), message(e.message(), e.span())))?;
    let mut c = Config {
        path: path.to_owned(),
        kind,
        src: PathBuf::from("src"),
        files: Vec::new(),
        name: None,
        edition: None,
        hidelines: BTreeMap::new(),
        preprocessors: Vec::new(),
        default_preprocessors: true,
        meta: Metadata::default(),
        warnings: Vec::new(),
        raw: Table::new(),
    };
    let key_line = |keys: &[&str]| lines.line(key_span(spans.get_ref(), keys).start);
    let wrong = |keys: &[&str], expected: &str| Error::Book {
        path: path.to_owned(),
        line: key_line(keys),
        message: format!("`{}` must be {expected}", keys.join(".")),
    };
    // Keys mdBook does not know, warned about once everything else is read.
    let mut unknown: Vec<Vec<&str>> = Vec::new();

    let options = match kind {
        Kind::Bindery => Some((table.clone(), vec![])),
        Kind::MdBook => {
            for (key, value) in &table {
                match key.as_str() {
                    "book" => {
                        let Some(book) = value.as_table() else {
                            return Err(wrong(&["book"], "a table"));
                        };
                        for (k, v) in book {
                            let keys = ["book", k.as_str()];
                            match k.as_str() {
                                "title" => {
                                    c.meta.title =
                                        string(v).ok_or_else(|| wrong(&keys, "a string"))?
                                }
                                "authors" => {
                                    c.meta.authors = strings(v)
                                        .ok_or_else(|| wrong(&keys, "a list of strings"))?
                                }
                                "description" => {
                                    c.meta.description =
                                        Some(string(v).ok_or_else(|| wrong(&keys, "a string"))?)
                                }
                                "language" => {
                                    let lang = string(v).ok_or_else(|| wrong(&keys, "a string"))?;
                                    if !crate::parse::frontmatter::valid_lang(&lang) {
                                        return Err(wrong(
                                            &keys,
                                            "a BCP 47 language tag such as `en` or `pt-BR`",
                                        ));
                                    }
                                    c.meta.lang = lang;
                                }
                                "src" => {
                                    c.src = PathBuf::from(
                                        string(v).ok_or_else(|| wrong(&keys, "a folder path"))?,
                                    )
                                }
                                "text-direction" => {
                                    let dir = string(v).unwrap_or_default();
                                    if dir != "ltr" && dir != "rtl" {
                                        return Err(wrong(&keys, "`ltr` or `rtl`"));
                                    }
                                    c.meta.dir = Some(dir);
                                }
                                // Deprecated in mdBook, still accepted by it.
                                "multilingual" => {}
                                _ => unknown.push(keys.to_vec()),
                            }
                        }
                    }
                    "rust" => {
                        for (k, v) in value.as_table().into_iter().flatten() {
                            match k.as_str() {
                                "edition" => {
                                    let edition = string(v).unwrap_or_default();
                                    if !["2015", "2018", "2021", "2024"].contains(&edition.as_str())
                                    {
                                        return Err(wrong(
                                            &["rust", "edition"],
                                            "one of 2015, 2018, 2021, 2024",
                                        ));
                                    }
                                    c.edition = Some(edition);
                                }
                                _ => unknown.push(vec!["rust", k.as_str()]),
                            }
                        }
                    }
                    "build" => {
                        for (k, v) in value.as_table().into_iter().flatten() {
                            match k.as_str() {
                                "use-default-preprocessors" => {
                                    c.default_preprocessors = v
                                        .as_bool()
                                        .ok_or_else(|| wrong(&["build", k], "true or false"))?
                                }
                                "build-dir" | "create-missing" | "extra-watch-dirs" => {}
                                _ => unknown.push(vec!["build", k.as_str()]),
                            }
                        }
                    }
                    "preprocessor" => {
                        for (name, v) in value.as_table().into_iter().flatten() {
                            // The built-in ones are bindery's own work.
                            if name == "links" || name == "index" {
                                continue;
                            }
                            let keys = ["preprocessor", name.as_str()];
                            let t = v.as_table().ok_or_else(|| wrong(&keys, "a table"))?;
                            let command = match t.get("command") {
                                None => format!("mdbook-{name}"),
                                Some(v) => string(v).ok_or_else(|| {
                                    wrong(&["preprocessor", name, "command"], "a string")
                                })?,
                            };
                            let renderers = match t.get("renderers") {
                                None => None,
                                Some(v) => Some(strings(v).ok_or_else(|| {
                                    wrong(&["preprocessor", name, "renderers"], "a list of strings")
                                })?),
                            };
                            c.preprocessors.push(Preprocessor {
                                name: name.clone(),
                                command,
                                renderers,
                                line: key_line(&keys),
                            });
                        }
                    }
                    "output" => {
                        let Some(outputs) = value.as_table() else {
                            return Err(wrong(&["output"], "a table"));
                        };
                        if let Some(hide) = outputs
                            .get("html")
                            .and_then(|h| h.get("code"))
                            .and_then(|c| c.get("hidelines"))
                        {
                            let keys = ["output", "html", "code", "hidelines"];
                            for (lang, prefix) in
                                hide.as_table().ok_or_else(|| wrong(&keys, "a table"))?
                            {
                                let prefix = string(prefix).ok_or_else(|| {
                                    wrong(&keys, "a table of language = \"prefix\" strings")
                                })?;
                                c.hidelines.insert(lang.clone(), prefix);
                            }
                        }
                    }
                    _ => unknown.push(vec![key.as_str()]),
                }
            }
            table
                .get("output")
                .and_then(|o| o.get("bindery"))
                .map(|b| {
                    b.as_table()
                        .cloned()
                        .map(|t| (t, vec!["output", "bindery"]))
                        .ok_or_else(|| wrong(&["output", "bindery"], "a table"))
                })
                .transpose()?
        }
    };

    if let Some((options, prefix)) = options {
        let mut front = serde_json::Map::new();
        for (key, value) in &options {
            let mut keys = prefix.clone();
            keys.push(key.as_str());
            let line = key_line(&keys);
            let wrong = |expected: &str| Error::Book {
                path: path.to_owned(),
                line,
                message: format!("`{key}` must be {expected}"),
            };
            match key.as_str() {
                "files" if kind == Kind::Bindery => {
                    let list = value
                        .as_array()
                        .ok_or_else(|| wrong("a list of file paths"))?;
                    let arr = key_value(spans.get_ref(), &keys);
                    for (i, item) in list.iter().enumerate() {
                        let file = string(item).ok_or_else(|| wrong("a list of file paths"))?;
                        let item_line = arr
                            .and_then(|v| match v.get_ref() {
                                DeValue::Array(a) => a.get(i).map(|x| lines.line(x.span().start)),
                                _ => None,
                            })
                            .unwrap_or(line);
                        c.files.push((file, item_line));
                    }
                }
                "name" => {
                    let name = string(value).ok_or_else(|| wrong("a file name"))?;
                    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                        return Err(wrong("a plain file name without a folder"));
                    }
                    c.name = Some(name);
                }
                // mdBook's own keys for any renderer.
                "command" | "optional" | "renderers" if kind == Kind::MdBook => {}
                _ => {
                    front.insert(
                        key.clone(),
                        serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
                    );
                }
            }
        }
        let line_of = |key: &str| {
            let mut keys = prefix.clone();
            keys.push(key);
            key_line(&keys)
        };
        let mut warnings = Vec::new();
        crate::parse::frontmatter::apply_options(
            path,
            &line_of,
            serde_json::Value::Object(front),
            &mut c.meta,
            &mut warnings,
        )?;
        crate::parse::frontmatter::refine_spans(text, 1, &mut warnings);
        for w in warnings {
            // The front-matter reader says "front-matter key"; here it is a setting.
            let message = w
                .message
                .replace("unknown front-matter key", "unknown bindery option");
            c.warnings.push(Diagnostic { message, ..w });
        }
        if kind == Kind::Bindery && c.files.is_empty() {
            return Err(Error::Book {
                path: path.to_owned(),
                line: 0,
                message: "`files` must list the documents' Markdown files in reading order".into(),
            });
        }
    }
    for keys in unknown {
        // The key's own span, so that a caret can underline it.
        let span = key_span(spans.get_ref(), &keys);
        let line_start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let col = text
            .get(line_start..span.start)
            .map_or(1, |s| s.chars().count() as u32 + 1);
        let len = text
            .get(span.clone())
            .map_or(0, |s| s.chars().count() as u32);
        c.warnings.push(
            Diagnostic::warning(
                crate::error::Code::UnknownKey,
                path,
                key_line(&keys),
                col,
                format!(
                    "unknown key `{}` (mdBook does not know it; ignored)",
                    keys.join(".")
                ),
            )
            .with_len(len),
        );
    }
    c.raw = table;
    Ok(c)
}

/// A string setting, trimmed; characters no output can hold (written as TOML escapes) are
/// settled as in sources (`parse::chars`).
fn string(v: &Value) -> Option<String> {
    v.as_str()
        .map(|s| crate::parse::chars::settled(s.trim()).into_owned())
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Array(items) => items.iter().map(string).collect(),
        Value::String(_) => Some(vec![string(v)?]),
        _ => None,
    }
}

/// The span of the key path `keys` (its last key), or of the nearest table that exists.
fn key_span(table: &DeTable<'_>, keys: &[&str]) -> Range<usize> {
    let mut span = 0..0;
    let mut current = Some(table);
    for key in keys {
        let Some(t) = current else { break };
        let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == *key) else {
            break;
        };
        span = k.span();
        current = match v.get_ref() {
            DeValue::Table(inner) => Some(inner),
            _ => None,
        };
    }
    span
}

/// The value at the key path `keys`.
fn key_value<'a, 'i>(
    table: &'a DeTable<'i>,
    keys: &[&str],
) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    let (last, parents) = keys.split_last()?;
    let mut t = table;
    for key in parents {
        let (_, v) = t.iter().find(|(k, _)| k.get_ref().as_ref() == *key)?;
        match v.get_ref() {
            DeValue::Table(inner) => t = inner,
            _ => return None,
        }
    }
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == *last)
        .map(|(_, v)| v)
}

/// Byte offsets to lines.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(text: &str) -> Result<Config> {
        parse(Path::new("book.toml"), text, Kind::MdBook)
    }

    #[test]
    fn mdbook_keys_and_unknown_ones() {
        let c = book(
            "[book]\ntitle = \"T\"\nauthors = [\"A\", \"B\"]\nlanguage = \"de\"\nsrc = \"text\"\n\
             text-direction = \"rtl\"\ncolour = 1\n\n[rust]\nedition = \"2021\"\n\n\
             [output.html]\nadditional-css = [\"x.css\"]\n[output.html.code.hidelines]\npython = \"~\"\n\n\
             [preprocessor.trpl-note]\ncommand = \"cargo run\"\n[preprocessor.links]\n\n\
             [output.bindery]\npaper = \"a5\"\ntoc = true\ntwo-sided = true\nname = \"trpl\"\nfrobnicate = 2\n\
             [unknowntable]\nx = 1\n",
        )
        .unwrap();
        assert_eq!(c.meta.title, "T");
        assert_eq!(c.meta.authors, ["A", "B"]);
        assert_eq!(c.meta.lang, "de");
        assert_eq!(c.meta.dir.as_deref(), Some("rtl"));
        assert_eq!(c.src, PathBuf::from("text"));
        assert_eq!(c.edition.as_deref(), Some("2021"));
        assert_eq!(c.hidelines.get("python").map(String::as_str), Some("~"));
        assert_eq!(c.preprocessors.len(), 1);
        assert_eq!(c.preprocessors[0].command, "cargo run");
        assert_eq!(c.preprocessors[0].line, 17);
        assert_eq!(c.meta.paper.as_deref(), Some("a5"));
        assert_eq!(c.meta.toc, Some(true));
        assert_eq!(c.meta.two_sided, Some(true));
        assert_eq!(c.name.as_deref(), Some("trpl"));
        let w: Vec<_> = c
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert!(
            w.iter().any(|(l, m)| *l == 7 && m.contains("book.colour")),
            "{w:?}"
        );
        assert!(
            w.iter().any(|(l, m)| *l == 26 && m.contains("frobnicate")),
            "{w:?}"
        );
        assert!(
            w.iter()
                .any(|(l, m)| *l == 27 && m.contains("unknowntable")),
            "{w:?}"
        );
        assert_eq!(w.len(), 3, "{w:?}");
    }

    #[test]
    fn errors_name_the_line() {
        let e = book("[book]\ntitle = \"T\"\nauthors = 3\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("book.toml:3: `book.authors` must be"),
            "{e}"
        );
        let e = book("[book]\ntitle = \"T\n").unwrap_err();
        assert!(e.to_string().starts_with("book.toml:2:"), "{e}");
        let e = book("[output.bindery]\n\ntoc = \"yes\"\n").unwrap_err();
        assert!(e.to_string().starts_with("book.toml:3:"), "{e}");
        let e = book("[rust]\nedition = \"2077\"\n").unwrap_err();
        assert!(e.to_string().contains(":2: `rust.edition`"), "{e}");
    }

    #[test]
    fn bindery_toml() {
        let c = parse(
            Path::new("bindery.toml"),
            "title = \"Report\"\nauthor = \"Ann\"\nfiles = [\n  \"a.md\",\n  \"b/c.md\",\n]\n",
            Kind::Bindery,
        )
        .unwrap();
        assert_eq!(c.meta.title, "Report");
        assert_eq!(c.files, [("a.md".to_owned(), 4), ("b/c.md".to_owned(), 5)]);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let e = parse(Path::new("bindery.toml"), "title = \"R\"\n", Kind::Bindery).unwrap_err();
        assert!(e.to_string().contains("files"), "{e}");
    }
}
