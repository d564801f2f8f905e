//! Runs and blocks in another language (issue 16, point 4): raw HTML's `lang` reaches the EPUB
//! as `lang` and `xml:lang`, the tagged PDF as `/Lang`, and the PDF hyphenates such a run with
//! its own language's patterns.

use crate::util::{bindery_fast, epubcheck, have_tool, pdftotext, s, tempdir, tool_output, write};
use std::path::Path;
use std::time::Duration;

/// The French word the tests break: hypher's English patterns allow only `développe-ment`,
/// the French ones `dé-ve-lop-pe-ment`.
const WORD: &str = "développement";
const FRENCH_POINTS: [&str; 4] = ["dé", "déve", "dévelop", "développe"];
const ENGLISH_POINTS: [&str; 1] = ["développe"];

/// An English document on a narrow page where the French word comes back often enough that
/// lines end inside it; `marked` puts each occurrence in `<span lang="fr">`.
fn document(marked: bool) -> String {
    let fill = [
        "the", "a", "new", "and", "our", "big", "this", "one", "for", "with", "its", "old",
    ];
    let word = if marked {
        format!("<span lang=\"fr\">{WORD}</span>")
    } else {
        WORD.to_owned()
    };
    let mut words = Vec::new();
    for i in 0..60 {
        words.push(fill[i % fill.len()].to_owned());
        if i % 3 == 0 {
            words.push(fill[(i * 7) % fill.len()].to_owned());
        }
        words.push(word.clone());
    }
    format!(
        "---\ntitle: Runs\nlang: en\npaper: 60x300mm\nmargins: 4mm\n---\n\n{}.\n\n\
         <p lang=\"fr\">Le pays du savoir-faire.</p>\n\n\
         English with <i lang=\"la\">in vitro</i> and <q xml:lang=\"de\">Zeitgeist</q>.\n",
        words.join(" ")
    )
}

/// The word's prefixes that end a line with a hyphen, in the PDF's text.
fn broken_prefixes(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim_end().split(' ').next_back())
        .filter_map(|last| last.strip_suffix('-'))
        .filter(|prefix| WORD.starts_with(prefix) && prefix.len() < WORD.len())
        .map(str::to_owned)
        .collect()
}

/// Builds `name.md` to PDF and EPUB with the bundled fonts; returns the output folder.
fn build(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    write(dir, &format!("{name}.md"), text);
    let run = bindery_fast(
        dir,
        &[
            "build",
            &format!("{name}.md"),
            "-o",
            "out",
            "--no-system-fonts",
            "--format",
            "pdf,epub",
        ],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    dir.join("out")
}

#[test]
fn a_run_marked_french_is_marked_in_the_epub_and_hyphenated_in_french_in_the_pdf() {
    let dir = tempdir();
    let out = build(dir.path(), "marked", &document(true));
    let plain = build(dir.path(), "plain", &document(false));

    // EPUB: both attributes, agreeing, on the run and on the paragraph's container.
    let epub = out.join("marked.epub");
    if have_tool("python3", "reading the EPUB") {
        let (ok, xhtml) = tool_output(
            "python3",
            [
                "-c",
                "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('OEBPS/ch01.xhtml').decode())",
                s(&epub),
            ],
        );
        assert!(ok, "{xhtml}");
        // The print edition's page breaks may fall inside a run: they are not its text.
        let xhtml = without_page_breaks(&xhtml);
        assert_eq!(
            xhtml
                .matches(&format!("<span lang=\"fr\" xml:lang=\"fr\">{WORD}</span>"))
                .count(),
            60,
            "{xhtml}"
        );
        assert!(
            xhtml.contains("<div lang=\"fr\" xml:lang=\"fr\">\n<p>Le pays du savoir-faire.</p>"),
            "{xhtml}"
        );
        assert!(
            xhtml.contains("<span lang=\"la\" xml:lang=\"la\"><em>in vitro</em></span>"),
            "{xhtml}"
        );
        assert!(
            xhtml.contains("<span lang=\"de\" xml:lang=\"de\">"),
            "{xhtml}"
        );
    }
    if let Some(check) = epubcheck(&epub) {
        assert_eq!(
            (check.errors, check.warnings),
            (0, 0),
            "{:#?}",
            check.messages
        );
    }

    // PDF: where the marked word breaks at all, it breaks at French points, some of which
    // English does not allow; unmarked, the same word in the same English text never does.
    let Some(text) = pdftotext(&out.join("marked.pdf")) else {
        return;
    };
    let marked = broken_prefixes(&text);
    assert!(
        marked.iter().all(|p| FRENCH_POINTS.contains(&p.as_str())),
        "{marked:?}"
    );
    assert!(
        marked.iter().any(|p| !ENGLISH_POINTS.contains(&p.as_str())),
        "no break at a French-only point: {marked:?}\n{text}"
    );
    let text = pdftotext(&plain.join("plain.pdf")).expect("pdftotext ran before");
    let unmarked = broken_prefixes(&text);
    assert!(
        unmarked
            .iter()
            .all(|p| ENGLISH_POINTS.contains(&p.as_str())),
        "{unmarked:?}"
    );

    // The tagged PDF says the French paragraph's language on its element.
    if have_tool("qpdf", "reading the structure tree") {
        let pdf = out.join("marked.pdf");
        let (_, qdf) = tool_output("qpdf", ["--qdf", "--object-streams=disable", s(&pdf), "-"]);
        assert_eq!(
            qdf.matches("/Lang (fr)").count(),
            1,
            "the French paragraph's element, once, has /Lang (fr)"
        );
    }
}

#[test]
fn a_malformed_lang_is_a_warning_at_its_line_and_the_text_is_kept() {
    let dir = tempdir();
    write(
        dir.path(),
        "bad.md",
        "Line one.\n\nSee <span lang=\"fr_FR!\">ceci</span> here.\n",
    );
    let run = bindery_fast(
        dir.path(),
        &[
            "build",
            "bad.md",
            "-o",
            "out",
            "--format",
            "epub",
            "--no-system-fonts",
        ],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    assert!(run.stderr.contains("warning[html]"), "{}", run.stderr);
    assert!(run.stderr.contains("fr_FR!"), "{}", run.stderr);
    assert!(run.stderr.contains("bad.md:3:"), "{}", run.stderr);
    let text = crate::util::output_text(&dir.path().join("out/bad.epub"));
    if let Some(text) = text {
        assert!(text.contains("See ceci here."), "{text}");
        assert!(!text.contains("fr_FR"), "{text}");
    }
}

/// `xhtml` without the page-break markers of the EPUB's page list.
fn without_page_breaks(xhtml: &str) -> String {
    let mut out = String::with_capacity(xhtml.len());
    let mut rest = xhtml;
    while let Some(start) = rest.find("<span epub:type=\"pagebreak\"") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</span>")
            .map_or(rest.len(), |e| start + e + 7);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
