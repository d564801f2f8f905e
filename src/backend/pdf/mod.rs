//! PDF backend: the typesetting engine's pages ([`crate::typeset`]) written with krilla
//! (`write`), tagged, and checked against the standards asked for.

mod write;

pub use write::{write, write_with, PdfInfo, Pictures, Standard, WriteError, WriteOptions};

use super::{Backend, Format, Rendered, Staged};
use crate::doc::Document;
use crate::error::{Error, Result};
use crate::typeset::Typesetter;

/// The PDF backend.
pub struct PdfBackend {
    engine: Typesetter,
    options: WriteOptions,
}

impl PdfBackend {
    /// A backend with an engine and writer options.
    pub fn new(engine: Typesetter, options: WriteOptions) -> Self {
        PdfBackend { engine, options }
    }
}

impl Backend for PdfBackend {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn keep_between_builds(&mut self) {
        self.engine.keep_layouts();
    }

    fn render(&self, doc: &Document) -> Result<Rendered> {
        (self.stage(doc)?.finish)()
    }

    /// Lays out and paginates, hands over the page starts, and leaves composing the pages and
    /// writing them (about as long as the typesetting on a book) to `finish`.
    fn stage<'a>(&'a self, doc: &'a Document) -> Result<Staged<'a>> {
        // The command line's standards, else the document's (front matter, book.toml).
        let mut options = self.options.clone();
        if options.standards.is_empty() {
            options.standards = doc
                .meta
                .pdf_standard
                .iter()
                .filter_map(|n| Standard::parse(n))
                .collect();
        }
        // The pictures are handed over beside the typesetting: a GIF's first frame is drawn
        // onto its screen here, which should not hold the layout up.
        let (pictures, paginated) = rayon::join(
            || Pictures::start(&doc.assets, doc.meta.cover.as_deref()),
            || self.engine.paginate(doc),
        );
        let paginated = paginated?;
        // The page starts are known once the pages are cut: the EPUB is written while they
        // are composed.
        let page_starts = paginated.page_starts.clone();
        let finish = move || {
            let paged = paginated.compose();
            let info = PdfInfo {
                title: doc.meta.title.clone(),
                authors: doc.meta.authors.clone(),
                subject: doc.meta.description.clone(),
                keywords: doc.meta.keywords.clone(),
                lang: doc.meta.lang.clone(),
                date: Some(doc.meta.modified),
                files: doc.files.clone(),
            };
            let bytes =
                write_with(&paged, &doc.assets, pictures, &info, &options).map_err(|e| {
                    Error::Render {
                        path: doc.files.first().cloned().unwrap_or_default(),
                        format: "pdf",
                        message: e.to_string(),
                    }
                })?;
            crate::trace::stage("pdf: file written");
            let mut paged = paged;
            let rendered = Rendered {
                bytes,
                pages: Some(paged.pages.len()),
                diagnostics: std::mem::take(&mut paged.diagnostics),
                faces: std::mem::take(&mut paged.faces),
                page_starts: std::mem::take(&mut paged.page_starts),
            };
            crate::free_later(paged);
            Ok(rendered)
        };
        Ok(Staged {
            page_starts,
            finish: Box::new(finish),
        })
    }
}
