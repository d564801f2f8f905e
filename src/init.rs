//! `bindery init`: a small project to start from, that builds without a warning.
//!
//! Every file is checked before any is written, so that an existing project is never
//! overwritten in part: if one of the files is already there, nothing is written.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The files of a new project, relative to its folder, with their contents.
pub fn files(mdbook: bool) -> Vec<(&'static str, String)> {
    let first = "# Getting started\n\n\
        This is the first chapter. Edit it, then run `bindery build` in the project folder:\n\
        the PDF and the EPUB are written to `dist/`.\n\n\
        ![A blue square with a circle in it](images/mark.svg)\n\n\
        Paragraphs are set with *hyphenation* and **justified** lines; code keeps its layout:\n\n\
        ```rust\nfn main() {\n    println!(\"Hello, reader!\");\n}\n```\n"
        .to_owned();
    let second = "# Going further\n\n\
        Add a chapter by creating a Markdown file and listing it in the configuration.\n\n\
        - Links to other chapters work in both outputs: see [the first one](first.md).\n\
        - Tables, footnotes[^1] and task lists are supported.\n\n\
        | Output | Made for |\n|---|---|\n| PDF | print |\n| EPUB | e-readers |\n\n\
        [^1]: Footnotes go to the foot of the page in print.\n"
        .to_owned();
    let image = mark_svg();
    if mdbook {
        vec![
            (
                "book.toml",
                "[book]\ntitle = \"My Book\"\nauthors = [\"Your Name\"]\nlanguage = \"en\"\n\
                 src = \"src\"\n\n\
                 # bindery's options (paper, margins, toc...); `bindery build` reads them, and\n\
                 # `mdbook build` runs mdbook-bindery when it is installed.\n\
                 [output.bindery]\ntoc = true\n"
                    .to_owned(),
            ),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Getting started](first.md)\n- [Going further](second.md)\n"
                    .to_owned(),
            ),
            ("src/first.md", first),
            ("src/second.md", second),
            ("src/images/mark.svg", image),
        ]
    } else {
        vec![
            (
                "bindery.toml",
                "# One document made of the files below, in order. Every front-matter key\n\
                 # (paper, margins, toc, lang...) can be set here.\n\
                 title = \"My Book\"\nauthor = [\"Your Name\"]\nlang = \"en\"\ntoc = true\n\
                 files = [\"first.md\", \"second.md\"]\n"
                    .to_owned(),
            ),
            ("first.md", first),
            ("second.md", second),
            ("images/mark.svg", image),
        ]
    }
}

/// A small figure for the first chapter, drawn here so the project needs nothing else.
fn mark_svg() -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"120\" \
     viewBox=\"0 0 120 120\">\n\
     <rect x=\"4\" y=\"4\" width=\"112\" height=\"112\" rx=\"12\" fill=\"#2f5d8a\"/>\n\
     <circle cx=\"60\" cy=\"60\" r=\"34\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"8\"/>\n\
     </svg>\n"
        .to_owned()
}

/// Creates the project in `dir` (created if missing) and returns the files written. An
/// `Err` when any of them exists already (nothing is then written) or cannot be written.
pub fn create(dir: &Path, mdbook: bool) -> Result<Vec<PathBuf>> {
    let files = files(mdbook);
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| p.display().to_string())
        .collect();
    // A configuration of the other kind would make the folder two projects at once.
    let other = dir.join(if mdbook { "bindery.toml" } else { "book.toml" });
    if !existing.is_empty() || other.exists() {
        let mut names = existing;
        if other.exists() {
            names.push(other.display().to_string());
        }
        return Err(Error::Setting {
            origin: dir.display().to_string(),
            message: format!(
                "already holds {}; nothing was written (init never overwrites)",
                names.join(", ")
            ),
        });
    }
    let mut written = Vec::new();
    for (name, contents) in &files {
        let path = dir.join(name);
        crate::write_atomic(&path, contents.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
