//! The document model as JSON: the stable debugging view of what the parser understood.
//!
//! The shape follows `doc.rs` field for field: blocks and inlines are objects tagged by `type`
//! (snake_case variant names), metadata under `meta`, each image under `assets` with its `kind`
//! (the bytes are left out). Source paths are left out so output is the same from any folder.
//! A top-level `version` ([`MODEL_VERSION`]) comes first, so a program reading the model (an
//! external backend, `bindery-NAME`) can tell which shape it was given.

use super::{Backend, Format, Rendered};
use crate::doc::Document;
use crate::error::{Error, Result};

/// The version of the model's JSON shape: raised whenever a field is renamed or removed or its
/// meaning changes (new fields may appear without a change of version).
pub const MODEL_VERSION: u32 = 1;

/// The document with its shape's version in front (`flatten` keeps the document's own fields
/// at the top level, in their order, after `version`).
#[derive(serde::Serialize)]
struct Model<'a> {
    version: u32,
    #[serde(flatten)]
    doc: &'a Document,
}

/// The model as pretty-printed JSON with a trailing newline: what `--format json` writes and
/// what an external backend reads on its standard input.
pub fn to_json(doc: &Document) -> Result<Vec<u8>> {
    let model = Model {
        version: MODEL_VERSION,
        doc,
    };
    let mut bytes = serde_json::to_vec_pretty(&model).map_err(|e| Error::Render {
        path: doc.files.first().cloned().unwrap_or_default(),
        format: "json",
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes the model as pretty-printed JSON with a trailing newline.
#[derive(Debug, Default)]
pub struct JsonBackend;

impl Backend for JsonBackend {
    fn format(&self) -> Format {
        Format::Json
    }

    fn render(&self, doc: &Document) -> Result<Rendered> {
        Ok(Rendered {
            bytes: to_json(doc)?,
            diagnostics: Vec::new(),
            pages: None,
            faces: Vec::new(),
            page_starts: Vec::new(),
        })
    }
}
