//! The document model as JSON: the stable debugging view of what the parser understood.
//!
//! The shape follows `doc.rs` field for field: blocks and inlines are objects tagged by `type`
//! (snake_case variant names), metadata under `meta`, each image under `assets` with its `kind`
//! (the bytes are left out). Source paths are left out so output is the same from any folder.

use super::{Backend, Format, Rendered};
use crate::doc::Document;
use crate::error::{Error, Result};

/// Writes the model as pretty-printed JSON with a trailing newline.
#[derive(Debug, Default)]
pub struct JsonBackend;

impl Backend for JsonBackend {
    fn format(&self) -> Format {
        Format::Json
    }

    fn render(&self, doc: &Document) -> Result<Rendered> {
        let mut bytes = serde_json::to_vec_pretty(doc).map_err(|e| Error::Render {
            path: doc.files.first().cloned().unwrap_or_default(),
            format: "json",
            message: e.to_string(),
        })?;
        bytes.push(b'\n');
        Ok(Rendered {
            bytes,
            diagnostics: Vec::new(),
        })
    }
}
