//! Backends: each turns a [`Document`] into the bytes of one output format, without I/O.

pub mod epub;
pub mod json;
pub mod pdf;
pub mod xhtml;

use crate::doc::Document;
use crate::error::{Diagnostic, Result};

/// An output format; its name is also the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Format {
    /// Print-ready PDF.
    Pdf,
    /// EPUB 3 e-book.
    Epub,
    /// The document model as JSON (for debugging and tooling).
    Json,
}

impl Format {
    /// The file extension and the name used on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Json => "json",
        }
    }
}

/// What a backend produced: the file's bytes and any warnings about the document.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The complete output file.
    pub bytes: Vec<u8>,
    /// Warnings, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A renderer for one output format. Options go in through the constructor; `render` is pure.
pub trait Backend: Send + Sync {
    /// The format this backend writes.
    fn format(&self) -> Format;
    /// Renders a whole document into the bytes of one output file.
    fn render(&self, doc: &Document) -> Result<Rendered>;
}
