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

/// A located message for the user (`warning: PATH:LINE:COL: message`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The file concerned.
    pub path: PathBuf,
    /// Line from 1, or 0 when the message concerns the whole file.
    pub line: u32,
    /// Column from 1, or 0.
    pub col: u32,
    /// The message.
    pub message: String,
}

impl Diagnostic {
    /// A warning at a position.
    pub fn warning(
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
            message: message.into(),
        }
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
