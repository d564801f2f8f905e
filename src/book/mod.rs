//! Books: a project of several Markdown files read as one document.
//!
//! An mdBook book (`book.toml` + `SUMMARY.md`) or a `bindery.toml` list of files becomes one
//! [`crate::doc::Document`]: chapters in order, includes expanded, links between chapters
//! resolved to anchors, heading ids unique across the book.

pub mod include;
pub mod summary;
