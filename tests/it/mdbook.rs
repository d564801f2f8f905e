//! bindery as an mdBook backend: `mdbook build` with `[output.bindery]` runs `mdbook-bindery`,
//! which writes the PDF and the EPUB into mdBook's output folder.

use crate::util::{self, s};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The `mdbook-bindery` built beside the binary the tests use.
fn renderer() -> PathBuf {
    let beside = util::fast_bin().with_file_name("mdbook-bindery");
    if beside.exists() {
        beside
    } else {
        PathBuf::from(env!("CARGO_BIN_EXE_mdbook-bindery"))
    }
}

/// Runs `mdbook build` in `book` with `mdbook-bindery` first on PATH.
fn mdbook_build(book: &Path) -> util::Run {
    let dir = renderer().parent().unwrap().to_owned();
    let path = std::env::join_paths(
        std::iter::once(dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut cmd = Command::new("mdbook");
    cmd.arg("build").current_dir(book).env("PATH", path);
    util::run_cmd(cmd, Duration::from_secs(300))
}

fn check_outputs(pdf: &Path, epub: &Path) {
    assert!(pdf.is_file(), "no {}", pdf.display());
    assert!(epub.is_file(), "no {}", epub.display());
    if let Some(r) = util::qpdf_check(pdf) {
        r.unwrap();
    }
    if let Some(c) = util::epubcheck(epub) {
        assert_eq!((c.errors, c.warnings), (0, 0), "{:#?}", c.messages);
    }
}

#[test]
fn mdbook_build_runs_bindery_as_a_backend() {
    if !util::have_tool("mdbook", "mdBook backend test") {
        return;
    }
    let dir = util::tempdir();
    let book = dir.path().join("handbook");
    util::write(
        &book,
        "book.toml",
        "[book]\ntitle = \"Handbook\"\nauthors = [\"Ann\"]\n\n[output.html]\n\n[output.bindery]\ntoc = true\n",
    );
    util::write(
        &book,
        "src/SUMMARY.md",
        "# Summary\n\n[Preface](preface.md)\n\n- [Start](start.md)\n  - [Details](details.md)\n",
    );
    util::write(
        &book,
        "src/preface.md",
        "# Preface\n\nRead [the details](details.md#knobs) first.\n",
    );
    util::write(
        &book,
        "src/start.md",
        "# Start\n\n```rust\n# fn main() {\nlet answer = 42;\n# }\n```\n\n{{#include snippet.txt}}\n",
    );
    util::write(&book, "src/snippet.txt", "Included paragraph text.\n");
    util::write(
        &book,
        "src/details.md",
        "# Details\n\n## Knobs\n\nTurn them gently.\n",
    );
    let run = mdbook_build(&book);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // With more than one renderer mdBook gives each a folder of its own.
    assert!(
        book.join("book/html/index.html").is_file(),
        "{}",
        run.stderr
    );
    let out = book.join("book/bindery");
    let (pdf, epub) = (out.join("handbook.pdf"), out.join("handbook.epub"));
    check_outputs(&pdf, &epub);
    if let Some(text) = util::output_text(&pdf) {
        for want in [
            "1. Start",
            "1.1. Details",
            "let answer = 42;",
            "Included paragraph text.",
            "Turn them gently.",
        ] {
            assert!(text.contains(want), "PDF lacks {want:?}:\n{text}");
        }
        assert!(!text.contains("fn main"), "hidden line shown:\n{text}");
        assert!(!text.contains("{{#include"), "include left:\n{text}");
    }
    if let Some(text) = util::output_text(&epub) {
        assert!(text.contains("Included paragraph text."), "{text}");
    }
}

/// The Rust book through `mdbook build`, with its HTML-only parts left out (the corpus copy
/// lacks their theme files and preprocessor packages).
#[test]
fn the_rust_book_through_mdbook_build() {
    let Some(shared) = util::shared() else {
        util::skip("../shared not found, skipping the Rust book through mdBook");
        return;
    };
    if !util::have_tool("mdbook", "the Rust book through mdBook") {
        return;
    }
    let dir = util::tempdir();
    let book = dir.path().join("rust-book");
    let copied = Command::new("cp")
        .args(["-r", s(&shared.join("corpus/rust-book")), s(&book)])
        .status()
        .unwrap();
    assert!(copied.success());
    Command::new("chmod")
        .args(["-R", "u+w", s(&book)])
        .status()
        .unwrap();
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    let mut kept = String::new();
    let mut skip = false;
    for line in toml.lines() {
        if line.starts_with('[') {
            skip = line.starts_with("[output.html") || line.starts_with("[preprocessor.trpl");
        }
        if !skip {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept.push_str("\n[output.bindery]\nname = \"trpl\"\n");
    std::fs::write(book.join("book.toml"), kept).unwrap();
    let run = mdbook_build(&book);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // bindery is the only renderer left: mdBook hands it the build folder itself.
    let out = book.join("book");
    check_outputs(&out.join("trpl.pdf"), &out.join("trpl.epub"));
    if let Some(text) = util::output_text(&out.join("trpl.pdf")) {
        for want in [
            "1.1. Installation",
            "3.1. Variables and Mutability",
            "Listing 2-1",
        ] {
            assert!(text.contains(want), "PDF lacks {want:?}");
        }
    }
}
