//! The one integration-test binary: each module tests bindery from the outside.

mod book;
mod cli;
mod commonmark;
mod determinism;
mod epub;
mod listing;
mod mdbook;
mod overflow;
mod pasted;
mod pathological;
mod pdf;
mod util;
mod words;
