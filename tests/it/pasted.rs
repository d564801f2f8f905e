//! Pasted plain text (`.txt` sources) through the real binary: a paragraph that copy-paste split
//! is joined however many blank lines the split left, a split that cannot be told from a
//! paragraph end stays and warns with both line numbers, and an indented line is body text, not
//! a code block.

use crate::util::{bindery_fast, have_tool, pdftotext, s, tempdir, tool_output, write, Run};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Long enough not to read as a title or a byline.
const LONG: &str = "The council met on Tuesday to discuss the budget for the coming year, and";

/// Builds `name` (holding `src`) into PDF and EPUB; the run and both outputs.
fn build(dir: &Path, name: &str, src: &str) -> (Run, PathBuf, PathBuf) {
    write(dir, name, src);
    let run = bindery_fast(dir, &["build", name, "-o", "out"], Duration::from_secs(60));
    run.assert_code(0);
    let stem = name.trim_end_matches(".txt");
    let out = dir.join("out");
    (
        run,
        out.join(format!("{stem}.pdf")),
        out.join(format!("{stem}.epub")),
    )
}

/// Every XHTML document of an EPUB, concatenated (`None` without python3).
fn epub_xhtml(epub: &Path) -> Option<String> {
    if !have_tool("python3", "reading EPUB XHTML") {
        return None;
    }
    let py = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n\
              for n in sorted(z.namelist()):\n    if n.endswith('.xhtml'):\n        \
              sys.stdout.write(z.read(n).decode())\n";
    let (ok, text) = tool_output("python3", ["-c", py, s(epub)]);
    assert!(ok, "cannot read {}: {text}", epub.display());
    Some(text)
}

/// The text between the first `a` and the next `b` in `text` (panics when either is missing).
fn between<'t>(text: &'t str, a: &str, b: &str) -> &'t str {
    let start = text
        .find(a)
        .unwrap_or_else(|| panic!("`{a}` not in:\n{text}"))
        + a.len();
    let len = text[start..]
        .find(b)
        .unwrap_or_else(|| panic!("`{b}` not after `{a}` in:\n{text}"));
    &text[start..start + len]
}

/// Whether a stretch of `pdftotext -layout` output crosses a paragraph break (a blank line).
fn crosses_blank_line(stretch: &str) -> bool {
    stretch.split('\n').skip(1).any(|l| l.trim().is_empty())
}

#[test]
fn pasted_split_joins_over_one_two_and_three_blank_lines() {
    for gap in 1..=3 {
        let dir = tempdir();
        let blanks = "\n".repeat(gap);
        let src = format!(
            "Budget news\n\n{LONG} the board\n{blanks}announced that it would merge the two \
             departments.\n\nA new paragraph starts here[^nope].\n"
        );
        let (run, pdf, epub) = build(dir.path(), "split.txt", &src);
        // The blank lines the join removed come back after the paragraph: the next paragraph
        // keeps its source line (6 + gap) in diagnostics.
        let line = 6 + gap;
        assert_eq!(
            run.lines_starting("warning:"),
            [format!(
                "warning: split.txt:{line}:1: footnote `[^nope]` is referenced but never \
                 defined; the text is kept as written"
            )],
            "gap {gap}:\n{run}"
        );
        if let Some(text) = pdftotext(&pdf) {
            let joined = between(&text, "the board", "announced");
            assert!(
                !crosses_blank_line(joined),
                "gap {gap}: not joined:\n{text}"
            );
            // The check can see a paragraph break where there is one.
            let next = between(&text, "departments.", "A new paragraph");
            assert!(crosses_blank_line(next), "gap {gap}:\n{text}");
        }
        if let Some(xhtml) = epub_xhtml(&epub) {
            let joined = between(&xhtml, "the board", "announced");
            assert!(
                joined.trim().is_empty(),
                "gap {gap}: not one <p>: {joined:?}"
            );
        }
    }
}

#[test]
fn pasted_ambiguous_split_warns_with_both_lines_and_stays() {
    let dir = tempdir();
    // Front matter first: the line numbers are the file's, not the body's.
    let src = format!(
        "---\nauthor: Jane Doe\n---\nBudget news\n\nBy Jane Doe\n\n{LONG} the board\n\n\n\
         Parliament would vote on the merger next week.\n"
    );
    let (run, pdf, epub) = build(dir.path(), "ambiguous.txt", &src);
    assert_eq!(
        run.lines_starting("warning:"),
        [
            "warning: ambiguous.txt:11:1: this paragraph may continue the one ending at line 8 \
             (copy-paste split?); join them if so"
        ],
        "{run}"
    );
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            crosses_blank_line(between(&text, "the board", "Parliament")),
            "{text}"
        );
    }
    if let Some(xhtml) = epub_xhtml(&epub) {
        let kept = between(&xhtml, "the board", "Parliament");
        assert!(kept.contains("</p>"), "joined: {kept:?}");
    }
}

#[test]
fn pasted_title_byline_and_date_lines_neither_join_nor_warn() {
    let dir = tempdir();
    // As pasted from a news site: a kicker, the headline, a lower-case byline, a date line.
    let src = format!(
        "WORLD NEWS\n\nCouncil votes to merge two departments after a long debate\n\n\
         by Jane Doe, Local Government Reporter\n\nupdated 12 March 2024\n\n\
         {LONG} the board agreed.\n"
    );
    let (run, _, epub) = build(dir.path(), "article.txt", &src);
    assert!(run.lines_starting("warning:").is_empty(), "{run}");
    if let Some(xhtml) = epub_xhtml(&epub) {
        assert!(
            xhtml.contains("<p>by Jane Doe, Local Government Reporter</p>"),
            "{xhtml}"
        );
        assert!(xhtml.contains("<p>updated 12 March 2024</p>"), "{xhtml}");
    }
}

#[test]
fn pasted_indented_lines_are_body_text_not_code() {
    let dir = tempdir();
    let src = "Budget news\n\n    An indented paragraph, which is not code.\n\n\
               \tA tab-indented one, which is not code either.\n\nThe end.\n";
    let (_, pdf, epub) = build(dir.path(), "indented.txt", src);
    if let Some(xhtml) = epub_xhtml(&epub) {
        assert!(!xhtml.contains("<pre"), "{xhtml}");
        // The paragraph may open with the page-1 marker of the EPUB's page list.
        assert!(
            xhtml.contains("An indented paragraph, which is not code.</p>"),
            "{xhtml}"
        );
    }
    if have_tool("pdffonts", "listing PDF fonts") {
        let (ok, fonts) = tool_output("pdffonts", [s(&pdf)]);
        assert!(ok, "{fonts}");
        assert!(fonts.contains("SourceSerif4SmText-Regular"), "{fonts}");
        assert!(!fonts.contains("Code"), "set in the code font:\n{fonts}");
    }
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            text.contains("An indented paragraph, which is not code."),
            "{text}"
        );
    }
}
