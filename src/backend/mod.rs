//! Backends: each turns a [`Document`] into the bytes of one output format. The built-in ones
//! do no I/O; an external backend (`bindery-NAME` on PATH, [`external`]) is a program run on
//! the model, whose standard output becomes the file.

pub mod epub;
pub mod external;
pub mod html;
pub mod json;
pub mod pdf;
pub mod xhtml;

use crate::doc::Document;
use crate::error::{Diagnostic, Result};

/// An output format; its name is also the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Print-ready PDF.
    Pdf,
    /// EPUB 3 e-book.
    Epub,
    /// One self-contained HTML page (the EPUB's markup and styles, images embedded).
    Html,
    /// The document model as JSON (for debugging and tooling).
    Json,
    /// An external backend: the program `bindery-NAME` on PATH, given the model as JSON.
    ///
    /// The name is leaked (a few bytes per name on the command line, once per run) so that
    /// `Format` stays `Copy` and every format's extension is a `&'static str`.
    External(&'static str),
}

impl Format {
    /// The formats bindery writes itself, in the order `--help` lists them.
    pub const BUILT_IN: [Format; 4] = [Format::Pdf, Format::Epub, Format::Html, Format::Json];

    /// The file extension and the name used on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Html => "html",
            Format::Json => "json",
            Format::External(name) => name,
        }
    }

    /// The built-in format called `name`, if there is one.
    pub fn built_in(name: &str) -> Option<Format> {
        Format::BUILT_IN.into_iter().find(|f| f.extension() == name)
    }

    /// One `--format` name: a built-in format, else an external backend when a program
    /// `bindery-NAME` is on PATH. The error (a usage error) lists the built-in formats.
    pub fn parse(name: &str) -> std::result::Result<Format, String> {
        if let Some(format) = Format::built_in(name) {
            return Ok(format);
        }
        let known = Format::BUILT_IN.map(Format::extension).join(", ");
        if !external::valid_name(name) {
            return Err(format!(
                "`{name}` is not a format name (built-in formats: {known}; other names are \
                 lower-case letters, digits and `-`, for a program `bindery-NAME` on PATH)"
            ));
        }
        if external::find(name).is_none() {
            return Err(format!(
                "unknown format `{name}`: not built in ({known}) and no program \
                 `bindery-{name}` on PATH"
            ));
        }
        Ok(Format::External(Box::leak(
            name.to_owned().into_boxed_str(),
        )))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// What a backend produced: the file's bytes and any warnings about the document.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The complete output file.
    pub bytes: Vec<u8>,
    /// Warnings, in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages, for formats that have them (PDF), reported in the line a build prints.
    pub pages: Option<usize>,
    /// The system fonts drawn with, one line each (PDF), printed with `--verbose`.
    pub faces: Vec<String>,
    /// Where each printed page begins in the model (PDF), for an EPUB's page list.
    pub page_starts: Vec<crate::doc::PageStart>,
}

/// A rendering begun by [`Backend::stage`]: where the pages begin (empty for formats without
/// pages) and the rest of the work.
pub struct Staged<'a> {
    /// Where each printed page begins in the model, as [`Rendered::page_starts`].
    pub page_starts: Vec<crate::doc::PageStart>,
    /// Completes the rendering.
    pub finish: Box<dyn FnOnce() -> Result<Rendered> + Send + 'a>,
}

/// A renderer for one output format. Options go in through the constructor; `render` is pure.
pub trait Backend: Send + Sync {
    /// The format this backend writes.
    fn format(&self) -> Format;
    /// Renders a whole document into the bytes of one output file.
    fn render(&self, doc: &Document) -> Result<Rendered>;
    /// Whether the backend marks the print edition's pages (the EPUB's page list): it is then
    /// rendered after the PDF of the same build, through [`Backend::render_with_pages`].
    fn wants_pages(&self) -> bool {
        false
    }
    /// [`Backend::render`] with where the PDF's pages begin (`None`: no PDF is built).
    fn render_with_pages(
        &self,
        doc: &Document,
        _pages: Option<&[crate::doc::PageStart]>,
    ) -> Result<Rendered> {
        self.render(doc)
    }
    /// [`Backend::render`] in two steps, so that what other backends wait for (the PDF's page
    /// starts, known once the book is typeset) is handed over before the file is written: the
    /// EPUB then renders while the PDF is being written. By default everything happens in the
    /// first step.
    fn stage<'a>(&'a self, doc: &'a Document) -> Result<Staged<'a>> {
        let rendered = self.render(doc)?;
        Ok(Staged {
            page_starts: rendered.page_starts.clone(),
            finish: Box::new(move || Ok(rendered)),
        })
    }
    /// Asks the backend to keep what it may reuse when the same documents are rendered again
    /// (`bindery watch`); the output must stay what a fresh backend would write.
    fn keep_between_builds(&mut self) {}
}
