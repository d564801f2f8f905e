//! Errors and warnings: every one names the file (and line, where there is one) it concerns.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The input.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An input is not valid UTF-8.
    #[error("{}:{line}:{col}: invalid UTF-8 (byte offset {offset})", path.display())]
    Utf8 {
        /// The input.
        path: PathBuf,
        /// Line of the first bad byte.
        line: u32,
        /// Column of the first bad byte.
        col: u32,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// A directory given as input holds no Markdown.
    #[error("{}: no Markdown files (.md, .markdown, .txt) in this folder", path.display())]
    EmptyDir {
        /// The folder.
        path: PathBuf,
    },
    /// Front matter could not be parsed or has a value of the wrong type.
    #[error("{}:{line}:{col}: front matter: {message}", path.display())]
    FrontMatter {
        /// The input.
        path: PathBuf,
        /// Line in the input.
        line: u32,
        /// Column in the input.
        col: u32,
        /// What is wrong.
        message: String,
    },
    /// A style file (`style.toml`) has a wrong key, type or value.
    #[error("{}:{line}:{col}: style: {message}", path.display())]
    Style {
        /// The style file (or the file whose `style` key names a missing one).
        path: PathBuf,
        /// Line, from 1.
        line: u32,
        /// Column in characters, from 1.
        col: u32,
        /// What is wrong.
        message: String,
    },
    /// A setting given on the command line or in front matter is invalid.
    #[error("{origin}: {message}")]
    Setting {
        /// Where the setting came from (`--paper`, or `FILE: front matter`).
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A font could not be loaded.
    #[error("{}: {message}", path.display())]
    Font {
        /// The font file or folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A backend failed to render a document.
    #[error("{}: {format} output: {message}", path.display())]
    Render {
        /// The input.
        path: PathBuf,
        /// The format that failed.
        format: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An output could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The output.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A book project (book.toml, bindery.toml, SUMMARY.md, an include) is wrong.
    #[error("{}{}: {message}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Book {
        /// The file concerned.
        path: PathBuf,
        /// Line from 1, or 0 when the message concerns the whole file.
        line: u32,
        /// What is wrong.
        message: String,
    },
    /// Warnings were found and `--deny-warnings` was given.
    #[error("{count} warning(s) treated as errors (--deny-warnings)")]
    DeniedWarnings {
        /// How many.
        count: usize,
    },
}

impl Error {
    /// The file the error concerns, with line and column (0 when it has none), for the
    /// machine-readable message formats.
    pub fn place(&self) -> (Option<&std::path::Path>, u32, u32) {
        match self {
            Error::Utf8 {
                path, line, col, ..
            }
            | Error::FrontMatter {
                path, line, col, ..
            }
            | Error::Style {
                path, line, col, ..
            } => (Some(path), *line, *col),
            Error::Book { path, line, .. } => (Some(path), *line, 0),
            Error::Read { path, .. }
            | Error::EmptyDir { path }
            | Error::Font { path, .. }
            | Error::Render { path, .. }
            | Error::Write { path, .. } => (Some(path), 0, 0),
            Error::Setting { .. } | Error::DeniedWarnings { .. } => (None, 0, 0),
        }
    }
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The output is still produced.
    Warning,
    /// The output is not produced.
    Error,
}

/// What a diagnostic is about: a stable name (`dead-link`) that groups repeats on a terminal,
/// is the `code` of `--message-format json` and the title of a GitHub annotation. Typed, so
/// that grouping never depends on a message's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A link to an id, a chapter or a file that is not there (or an empty target).
    DeadLink,
    /// A link whose target no output may follow (a scheme refused, a local path).
    UnsafeLink,
    /// A link address too long to make clickable in PDF.
    LongLink,
    /// An image file that is missing or cannot be read.
    MissingImage,
    /// A remote or `data:` image, not fetched.
    RemoteImage,
    /// An image file that is not a usable picture.
    BadImage,
    /// An image with no alternative text.
    MissingAlt,
    /// Characters no font has.
    MissingGlyph,
    /// TeX math bindery cannot typeset.
    UnsupportedMath,
    /// A paragraph that may continue the one before it (text input).
    SplitParagraph,
    /// A configuration or front-matter key bindery does not know.
    UnknownKey,
    /// A setting whose value is not used as written.
    BadValue,
    /// Front matter of a book's chapter, ignored.
    IgnoredFrontMatter,
    /// A footnote referenced but not defined, or the reverse.
    Footnote,
    /// An id given twice.
    DuplicateId,
    /// A heading with no text.
    EmptyHeading,
    /// A heading more than one level below the heading it follows.
    HeadingLevel,
    /// Raw HTML bindery leaves out or repairs.
    Html,
    /// A `<Listing>` wrapper bindery cannot use as written.
    Listing,
    /// Containers nested too deep, flattened.
    DeepNesting,
    /// Characters no output can hold.
    BadCharacter,
    /// A table too wide for the page.
    WideTable,
    /// A rule of a print profile not met.
    Print,
    /// An mdBook preprocessor that failed.
    Preprocessor,
    /// What an external backend said on its standard error.
    Backend,
}

impl Code {
    /// The stable name (`dead-link`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::DeadLink => "dead-link",
            Code::UnsafeLink => "unsafe-link",
            Code::LongLink => "long-link",
            Code::MissingImage => "missing-image",
            Code::RemoteImage => "remote-image",
            Code::BadImage => "bad-image",
            Code::MissingAlt => "missing-alt",
            Code::MissingGlyph => "missing-glyph",
            Code::UnsupportedMath => "unsupported-math",
            Code::SplitParagraph => "split-paragraph",
            Code::UnknownKey => "unknown-key",
            Code::BadValue => "bad-value",
            Code::IgnoredFrontMatter => "ignored-front-matter",
            Code::Footnote => "footnote",
            Code::DuplicateId => "duplicate-id",
            Code::EmptyHeading => "empty-heading",
            Code::HeadingLevel => "heading-level",
            Code::Html => "html",
            Code::Listing => "listing",
            Code::DeepNesting => "deep-nesting",
            Code::BadCharacter => "bad-character",
            Code::WideTable => "wide-table",
            Code::Print => "print",
            Code::Preprocessor => "preprocessor",
            Code::Backend => "backend",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A located message for the user (`warning: PATH:LINE:COL: message`), pointing at an exact
/// span: `len` characters from `line`:`col` (the construct's first line only, when it runs
/// over several).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The file concerned.
    pub path: PathBuf,
    /// Line from 1, or 0 when the message concerns the whole file.
    pub line: u32,
    /// Column from 1 (in characters), or 0.
    pub col: u32,
    /// The span's length in characters on its line; 0 when the diagnostic points at a place
    /// rather than at a construct.
    pub len: u32,
    /// What it is about.
    pub code: Code,
    /// The message.
    pub message: String,
}

impl Diagnostic {
    /// A warning at a position.
    pub fn warning(
        code: Code,
        path: impl Into<PathBuf>,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            path: path.into(),
            line,
            col,
            len: 0,
            code,
            message: message.into(),
        }
    }

    /// The same diagnostic spanning `len` characters.
    pub fn with_len(self, len: u32) -> Self {
        Diagnostic { len, ..self }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}: {}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        write!(f, ": {}", self.message)
    }
}

// Messages about settings files (front matter, a book's configuration, a style file), shared
// by their readers in `parse`, `book` and `style`: here, below all three, none of them has to
// reach into another for them.

/// A TOML parse error in the author's terms: a repeated key is named, with the line it was
/// first set on (`first_line` is the line of `text`'s first line in its file).
pub(crate) fn toml_message(
    message: &str,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    first_line: u32,
) -> String {
    let message = message.trim();
    if message.starts_with("duplicate key") {
        let key = span.clone().and_then(|s| text.get(s)).map(|k| {
            k.trim()
                .trim_matches(['"', '\''])
                .rsplit('.')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        });
        let Some(key) = key.filter(|k| !k.is_empty() && !k.contains('\n')) else {
            return "a key is set twice; keep one".to_owned();
        };
        // The same key earlier in the same table: the nearest line above that sets it.
        let before = &text[..span.map_or(0, |s| s.start).min(text.len())];
        let before = &before[..before.rfind('\n').map_or(0, |i| i + 1)];
        let count = before.lines().count();
        let first = before
            .lines()
            .rev()
            .enumerate()
            .take_while(|(_, l)| !l.trim_start().starts_with('['))
            .find(|(_, l)| find_key_line(l.trim_start(), &key).is_some())
            .map(|(i, _)| (count - 1 - i) as u32 + first_line);
        return match first {
            Some(first) => format!("`{key}` is set twice (first on line {first}); keep one"),
            None => format!("`{key}` is set twice; keep one"),
        };
    }
    message.to_owned()
}

/// The line (in the whole source, from 1) where `key` is first set in the block.
pub(crate) fn find_key_line(block: &str, key: &str) -> Option<u32> {
    for (i, line) in block.lines().enumerate() {
        let rest = line.trim_start_matches(['"', '\'']);
        if let Some(after) = rest.strip_prefix(key) {
            let after = after.trim_start_matches(['"', '\'']).trim_start();
            if after.starts_with(':') || after.starts_with('=') {
                return Some(i as u32 + 2);
            }
        }
    }
    None
}
