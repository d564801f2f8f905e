//! The one integration-test binary: each module tests bindery from the outside.

mod accessibility;
mod backends_plugin;
mod book;
mod cli;
mod cli_use;
mod commonmark;
mod conventions;
mod determinism;
mod diagnostics;
mod epub;
mod fuzz_regressions;
mod hostile_inputs;
mod hostile_outputs;
mod html;
mod listing;
mod mdbook;
mod overflow;
mod pasted;
mod pathological;
mod pdf;
mod standards;
mod table_spans;
mod util;
mod watch;
mod words;
