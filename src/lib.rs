//! bindery: Markdown to a print-ready PDF and a valid EPUB 3, in one run.

pub mod backend;
pub mod doc;
pub mod error;
pub mod highlight;
pub mod parse;

pub use error::{Diagnostic, Error, Result, Severity};
