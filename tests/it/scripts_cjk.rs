//! Chinese, Japanese and Korean (issue 11): lines filled to the measure, source line breaks
//! between CJK characters gone from both outputs, the system face chosen by language and
//! style, and one short warning when no CJK face is available.
//!
//! The documents are tests/fixtures/cjk/*.md (written for these tests). The tests that need a
//! CJK face are skipped when Noto Sans/Serif CJK (Debian's fonts-noto-cjk, which CI installs)
//! is not on the machine.

use crate::pdf::{bbox_pages, build_into, fixture, Block, Word};
use crate::util::{
    bindery, epubcheck, have_cjk_fonts, have_tool, output_text, repo_root, s, tempdir, tool_output,
};
use std::path::{Path, PathBuf};

/// The test documents with their language and the Noto CJK face (PostScript name part) their
/// Han characters must be set in.
const DOCS: [(&str, &str); 4] = [
    ("ja", "NotoSerifCJKjp"),
    ("zh-hans", "NotoSerifCJKsc"),
    ("zh-hant", "NotoSerifCJKtc"),
    ("ko", "NotoSerifCJKkr"),
];

fn source(name: &str) -> PathBuf {
    fixture(&format!("cjk/{name}.md"))
}

/// Builds a test document to PDF in `out`.
fn pdf(name: &str, out: &Path, extra: &[&str]) -> PathBuf {
    build_into(&source(name), out, extra).pdf
}

/// Whether CSS joins a line break between `c` and its neighbour: wide East Asian, not Hangul.
fn joins(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x30FF | 0x3400..=0x9FFF | 0xFF01..=0xFF60)
}

/// The lines of a page's body text: words grouped by their top edge, as (x0, x1, text), in
/// order down the page.
fn body_lines(words: &[Word], block: &Block) -> Vec<(f64, f64, String)> {
    let mut lines: Vec<(f64, f64, f64, String)> = Vec::new();
    for w in words {
        // Body text only: the title is taller, the page number below the block.
        let h = w.y1 - w.y0;
        if w.y0 > block.bottom || !(8.0..18.0).contains(&h) {
            continue;
        }
        match lines.iter_mut().find(|l| (l.0 - w.y0).abs() < 2.0) {
            Some(l) => {
                l.1 = l.1.min(w.x0);
                l.2 = l.2.max(w.x1);
                l.3.push_str(&w.text);
            }
            None => lines.push((w.y0, w.x0, w.x1, w.text.clone())),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    // A paragraph's last line is followed by a wider gap (the paragraph space) or by nothing.
    let gaps: Vec<f64> = lines.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let step = gaps.iter().copied().fold(f64::INFINITY, f64::min);
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| gaps.get(*i).is_some_and(|g| *g < step * 1.2))
        .map(|(_, l)| (l.1, l.2, l.3.clone()))
        .collect()
}

#[test]
fn cjk_lines_fill_the_measure() {
    if !have_cjk_fonts() {
        return;
    }
    let out = tempdir();
    for (name, _) in DOCS {
        let pdf = pdf(name, out.path(), &[]);
        let Some(pages) = bbox_pages(&pdf) else {
            return;
        };
        let page = &pages[0];
        let block = Block::for_paper(page.width, page.height);
        let lines = body_lines(&page.words, &block);
        assert!(lines.len() >= 5, "{name}: too few full lines: {lines:?}");
        // One character of the body size (11 pt on A4) is the most a justified line may
        // fall short of the measure by.
        let em = 11.0;
        for (x0, x1, text) in &lines {
            assert!(
                (x0 - block.left).abs() < 1.0,
                "{name}: line starts at {x0}, not {}: {text}",
                block.left
            );
            assert!(
                *x1 > block.right - em && *x1 < block.right + 1.0,
                "{name}: line ends at {x1}, the measure at {}: {text}",
                block.right
            );
        }
    }
}

/// Pairs of CJK characters that only a source line break separates.
fn joined_pairs(src: &str) -> Vec<(char, char)> {
    let lines: Vec<&str> = src.lines().collect();
    lines
        .windows(2)
        .filter_map(|w| Some((w[0].chars().next_back()?, w[1].chars().next()?)))
        .filter(|&(a, b)| joins(a) && joins(b))
        .collect()
}

#[test]
fn no_space_where_the_source_only_broke_the_line() {
    if !have_cjk_fonts() || !have_tool("pdftotext", "reading PDF text") {
        return;
    }
    let out = tempdir();
    let mut checked = 0;
    for (name, _) in DOCS {
        let src = std::fs::read_to_string(source(name)).unwrap();
        let run = bindery(
            &repo_root(),
            &["build", s(&source(name)), "-o", s(out.path())],
        );
        run.assert_code(0);
        let (ok, text) = tool_output(
            "pdftotext",
            [
                "-enc",
                "UTF-8",
                s(&out.path().join(format!("{name}.pdf"))),
                "-",
            ],
        );
        assert!(ok, "{text}");
        let epub = output_text(&out.path().join(format!("{name}.epub"))).unwrap();
        // Line ends of the PDF are not in the text; the EPUB has no line ends of its own.
        let pdf_text: String = text.split('\n').collect();
        for (a, b) in joined_pairs(&src) {
            for (what, text) in [("PDF", &pdf_text), ("EPUB", &epub)] {
                assert!(
                    text.contains(&format!("{a}{b}")) && !text.contains(&format!("{a} {b}")),
                    "{name} {what}: {a} and {b} are not joined:\n{text}"
                );
            }
            checked += 1;
        }
    }
    // Japanese, both Chinese: their source lines break between CJK characters.
    assert!(checked >= 10, "only {checked} breaks checked");
}

#[test]
fn each_language_gets_its_own_regular_serif_face() {
    if !have_cjk_fonts() || !have_tool("pdffonts", "listing PDF fonts") {
        return;
    }
    let out = tempdir();
    for (name, face) in DOCS {
        let pdf = pdf(name, out.path(), &[]);
        let (ok, fonts) = tool_output("pdffonts", [&pdf]);
        assert!(ok, "{fonts}");
        let cjk: Vec<&str> = fonts.lines().filter(|l| l.contains("CJK")).collect();
        // No bold: the documents have no bold text (their title is the Latin file name, set
        // in the bundled face).
        assert_eq!(cjk.len(), 1, "{name}: one CJK face expected:\n{fonts}");
        assert!(
            cjk[0].contains(&format!("{face}-Regular")),
            "{name}: {face}-Regular expected:\n{fonts}"
        );
    }
}

#[test]
fn bold_italic_and_code_ask_for_matching_faces() {
    if !have_cjk_fonts() || !have_tool("pdffonts", "listing PDF fonts") {
        return;
    }
    let dir = tempdir();
    let src = crate::util::write(
        dir.path(),
        "styles.md",
        "---\ntitle: Styles\nlang: ja\n---\n\n本文と**太字**と*斜体*と`コード`です。\n",
    );
    let run = bindery(
        dir.path(),
        &["build", s(&src), "-f", "pdf", "-o", "out", "--verbose"],
    );
    run.assert_code(0);
    let (_, fonts) = tool_output("pdffonts", [dir.path().join("out/styles.pdf")]);
    for face in [
        "NotoSerifCJKjp-Regular",
        "NotoSerifCJKjp-Bold",
        "NotoSansMonoCJKjp-Regular",
    ] {
        assert!(fonts.contains(face), "{face} missing:\n{fonts}");
    }
    assert_eq!(fonts.matches("CJK").count(), 3, "{fonts}");
    // `--verbose` names each face with what it drew.
    for line in [
        "Noto Serif CJK JP bold",
        "Noto Sans Mono CJK JP regular",
        "e.g. 太字",
    ] {
        assert!(run.stderr.contains(line), "{line}:\n{run}");
    }
}

#[test]
fn cjk_epubs_pass_epubcheck() {
    let out = tempdir();
    for (name, _) in DOCS {
        bindery(
            &repo_root(),
            &["build", s(&source(name)), "-f", "epub", "-o", s(out.path())],
        )
        .assert_code(0);
        let Some(check) = epubcheck(&out.path().join(format!("{name}.epub"))) else {
            return;
        };
        assert_eq!(
            (check.errors, check.warnings),
            (0, 0),
            "{name}: {:#?}",
            check.messages
        );
    }
}

#[test]
fn without_cjk_fonts_one_short_warning() {
    let out = tempdir();
    for (name, _) in DOCS {
        let run = bindery(
            &repo_root(),
            &[
                "build",
                s(&source(name)),
                "-f",
                "pdf",
                "-o",
                s(out.path()),
                "--no-system-fonts",
            ],
        );
        run.assert_code(0);
        let warnings = run.lines_starting("warning");
        assert_eq!(warnings.len(), 1, "{name}: {warnings:#?}");
        let w = &warnings[0];
        assert!(
            w.contains("missing-glyph") || w.contains("no font has"),
            "{w}"
        );
        assert!(w.contains("CJK") && w.contains("--font-dir"), "{w}");
        for line in run.stderr.lines() {
            assert!(line.chars().count() < 400, "{name}: a long line: {line}");
        }
    }
}

#[test]
fn fallback_faces_do_not_depend_on_threads() {
    if !have_cjk_fonts() {
        return;
    }
    let out = tempdir();
    let mut pdfs = Vec::new();
    for jobs in ["1", "4"] {
        let dir = out.path().join(jobs);
        // All four languages in one run, so that documents share the font set.
        let mut args = vec!["build", "-f", "pdf", "-o", s(&dir), "--jobs", jobs];
        let sources: Vec<PathBuf> = DOCS.iter().map(|(n, _)| source(n)).collect();
        args.extend(sources.iter().map(|p| s(p)));
        bindery(&repo_root(), &args).assert_code(0);
        pdfs.push(dir);
    }
    for (name, _) in DOCS {
        let read = |d: &Path| std::fs::read(d.join(format!("{name}.pdf"))).unwrap();
        assert!(
            read(&pdfs[0]) == read(&pdfs[1]),
            "{name}: --jobs 1 and 4 differ"
        );
    }
}
