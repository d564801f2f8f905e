//! Pathological inputs convert to every format without a stack overflow, a hang, or lost content:
//! 10,000 nested block quotes, 10,000 nested list levels, a 10 MB paragraph, a 5,000-column row.

use crate::util::{
    bindery_fast, epubcheck, listing, output_text, qpdf_check, s, tempdir, write, Run,
};
use std::path::Path;
use std::time::Duration;

/// Converts `md` to JSON, PDF and EPUB with the fastest binary and checks the run and the files;
/// returns the run and the JSON text.
fn convert_all(name: &str, md: &str, timeout: Duration) -> (Run, String, tempfile::TempDir) {
    let dir = tempdir();
    let input = write(dir.path(), &format!("{name}.md"), md);
    let run = bindery_fast(
        dir.path(),
        &["build", s(&input), "-o", "out", "-f", "json,pdf,epub"],
        timeout,
    );
    // A stack overflow kills the process with a signal: the code is then `None`.
    run.assert_code(0);
    let out = dir.path().join("out");
    assert_eq!(
        listing(&out),
        [
            format!("{name}.epub"),
            format!("{name}.json"),
            format!("{name}.pdf")
        ]
    );
    let json = std::fs::read_to_string(out.join(format!("{name}.json"))).expect("read json");
    assert!(
        json.starts_with('{') && json.trim_end().ends_with('}'),
        "json is not an object"
    );
    eprintln!("{name}: converted in {:?}", run.elapsed);
    assert_outputs_valid(&out);
    (run, json, dir)
}

/// Every PDF in `out` passes `qpdf --check` and every EPUB EPUBCheck with no error and no
/// warning (each skipped, with a note, when its tool is missing and allowed to be).
#[track_caller]
fn assert_outputs_valid(out: &Path) {
    for name in listing(out) {
        let path = out.join(&name);
        if name.ends_with(".pdf") {
            if let Some(Err(e)) = qpdf_check(&path) {
                panic!("{name}: qpdf --check: {e}");
            }
        } else if name.ends_with(".epub") {
            if let Some(check) = epubcheck(&path) {
                assert!(
                    check.errors == 0 && check.warnings == 0,
                    "{name}: EPUBCheck: {:?}",
                    check.messages
                );
            }
        }
    }
}

/// Asserts each marker word survives into the JSON, the PDF text and the EPUB text.
#[track_caller]
fn assert_kept(dir: &Path, name: &str, json: &str, markers: &[&str]) {
    for m in markers {
        assert!(json.contains(m), "{m} dropped from the JSON model");
    }
    for ext in ["pdf", "epub"] {
        if let Some(text) = output_text(&dir.join(format!("out/{name}.{ext}"))) {
            // A word in a very narrow nested column may be broken across lines (or set one
            // letter per line): compare with all white space removed.
            let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            for m in markers {
                assert!(text.contains(m), "{m} dropped from the {ext}");
            }
        }
    }
}

#[test]
fn ten_thousand_nested_block_quotes() {
    let md = format!(
        "Before the quotes.\n\n{}deepestquote\n\nAfterquotes.\n",
        "> ".repeat(10_000)
    );
    let (_, json, dir) = convert_all("quotes", &md, Duration::from_secs(180));
    assert_kept(
        dir.path(),
        "quotes",
        &json,
        &["deepestquote", "Afterquotes"],
    );
}

#[test]
fn ten_thousand_nested_list_levels() {
    // `- - - x` nests one list per marker: 10,000 levels on one line.
    let md = format!(
        "{}deepestitem\n\n{}deepestnumber\n\nAfterlists.\n",
        "- ".repeat(10_000),
        "1. ".repeat(10_000)
    );
    let (_, json, dir) = convert_all("lists", &md, Duration::from_secs(180));
    assert_kept(
        dir.path(),
        "lists",
        &json,
        &["deepestitem", "deepestnumber", "Afterlists"],
    );
}

#[test]
fn mixed_nesting_of_quotes_and_lists() {
    let md = format!("{}mixeddeep\n", "> - ".repeat(5_000));
    let (_, json, dir) = convert_all("mixed", &md, Duration::from_secs(180));
    assert_kept(dir.path(), "mixed", &json, &["mixeddeep"]);
}

#[test]
fn ten_megabyte_paragraph() {
    const VOCAB: [&str; 12] = [
        "typesetting",
        "paragraph",
        "justified",
        "the",
        "of",
        "hyphenation",
        "a",
        "pathological",
        "input",
        "line",
        "breaking",
        "quality",
    ];
    let mut md = String::with_capacity(10_500_000);
    md.push_str("Firstwordofparagraph ");
    let mut i = 0usize;
    while md.len() < 10_000_000 {
        md.push_str(VOCAB[(i * 7 + i / 13) % VOCAB.len()]);
        md.push(' ');
        i += 1;
    }
    md.push_str("Lastwordofparagraph.\n");
    let (_, json, dir) = convert_all("big", &md, Duration::from_secs(600));
    assert_kept(
        dir.path(),
        "big",
        &json,
        &["Firstwordofparagraph", "Lastwordofparagraph"],
    );
}

#[test]
fn five_thousand_column_table_row() {
    let cols = 5_000;
    let cell = |p: &str| {
        (0..cols)
            .map(|i| format!("{p}{i}"))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let md = format!(
        "| {} |\n|{}\n| {} |\n\nAftertable.\n",
        cell("h"),
        "---|".repeat(cols),
        cell("c")
    );
    let (_, json, dir) = convert_all("wide", &md, Duration::from_secs(180));
    for cell in ["h0", "h4999", "c0", "c4999"] {
        assert!(
            json.contains(&format!("\"{cell}\"")),
            "cell {cell} dropped from the JSON model"
        );
    }
    // Cells by presence only: PDF text extraction may reorder a table's cells.
    if let Some(text) = output_text(&dir.path().join("out/wide.epub")) {
        assert!(
            text.contains("h4999") && text.contains("c4999"),
            "last cells dropped from the EPUB"
        );
    }
    assert_kept(dir.path(), "wide", &json, &["Aftertable"]);
}

// Issue 14: algorithms that met adversarial input were super-linear, and some page setups and
// options made runaway output. Each case below took from 9 s to minutes (or never ended)
// before; the timeouts are far above today's times (well under a second to a few seconds) and
// far below the old ones, so a regression fails by the timeout and timing stays out of the
// assertions.

/// Runs the release binary on `md` (as `name.md`) with `args` added; the folder is returned so
/// that the outputs in `out/` can be read.
fn run_on(name: &str, md: &str, args: &[&str], timeout: Duration) -> (Run, tempfile::TempDir) {
    let dir = tempdir();
    let input = write(dir.path(), &format!("{name}.md"), md);
    let mut all = vec!["build", s(&input), "-o", "out"];
    all.extend_from_slice(args);
    let run = bindery_fast(dir.path(), &all, timeout);
    eprintln!("{name}: {:?}", run.elapsed);
    assert_outputs_valid(&dir.path().join("out"));
    (run, dir)
}

/// The characters of an output's text that are in `alphabet`, in order: a long word cut over
/// lines and pages joins up again, without the page numbers and running heads between its
/// pieces (pick an alphabet those do not use).
fn only(path: &Path, alphabet: &str) -> Option<String> {
    output_text(path).map(|t| t.chars().filter(|c| alphabet.contains(*c)).collect())
}

#[test]
fn thousands_of_identical_headings_get_unique_ids_in_linear_time() {
    // Every heading restarted the search for a free suffix at `-1`: 24,000 took 45 s.
    let n = 30_000;
    let md = "# Intro\n\n".repeat(n);
    let (run, dir) = run_on("headings", &md, &["-f", "json"], Duration::from_secs(60));
    run.assert_code(0);
    let json = std::fs::read_to_string(dir.path().join("out/headings.json")).expect("json");
    for id in ["\"intro\"", "\"intro-1\"", "\"intro-2\"", "\"intro-29999\""] {
        assert!(json.contains(id), "id {id} missing");
    }
    assert!(!json.contains("\"intro-30000\""), "an id was skipped");
}

#[test]
fn a_word_of_200_000_characters_is_set_whole_in_linear_time() {
    // Placing each line's piece of a word looked up the text of every glyph of the word:
    // quadratic, 20 to 55 s for 100,000 characters. Every character must reach the text layer.
    // Letters that neither the title (`word`), the words around, nor page numbers use.
    let word: String = "klmnpqsuvy".repeat(20_000);
    let md = format!("Before.\n\n{word}\n\nAfter.\n");
    let (run, dir) = run_on("word", &md, &["-f", "pdf"], Duration::from_secs(60));
    run.assert_code(0);
    if let Some(text) = only(&dir.path().join("out/word.pdf"), "klmnpqsuvy") {
        assert!(text == word, "characters of the long word were lost");
    }
}

#[test]
fn a_formula_of_100_kb_is_set_in_linear_time() {
    // Too wide to typeset, it is shown as its TeX source: one 100 KB word of code.
    let tex = vec!["k_q^v"; 20_000].join("+");
    let md = format!("$${tex}$$\n\nAfter.\n");
    let (run, dir) = run_on("formula", &md, &["-f", "pdf,epub"], Duration::from_secs(60));
    run.assert_code(0);
    assert!(
        run.stderr.contains("formula.md:1:1") && run.stderr.contains("shown as its source"),
        "{run}"
    );
    if let Some(text) = only(&dir.path().join("out/formula.pdf"), "kqv_^+") {
        assert!(text == tex, "characters of the formula were lost");
    }
}

#[test]
fn a_formula_nested_past_the_limit_is_shown_as_source() {
    let tex = format!("{}x{}", "{".repeat(5_000), "}".repeat(5_000));
    let md = format!("Words.\n\n$${tex}$$\n");
    let (run, dir) = run_on("nested", &md, &["-f", "pdf"], Duration::from_secs(60));
    run.assert_code(0);
    assert!(
        run.stderr.contains("nested.md:3:1") && run.stderr.contains("more than 40 deep"),
        "{run}"
    );
    if let Some(text) = only(&dir.path().join("out/nested.pdf"), "{x}") {
        assert!(text == tex, "the formula's source was not shown whole");
    }
}

#[test]
fn a_hundred_thousand_footnotes_parse_in_linear_time() {
    // Each label was looked up by a scan of all labels: 80,000 notes took 9 s to parse.
    let n = 100_000;
    let mut md = String::new();
    for i in 0..n {
        md.push_str(&format!("Text[^n{i}].\n\n"));
    }
    for i in 0..n {
        md.push_str(&format!("[^n{i}]: Note {i}.\n\n"));
    }
    let (run, dir) = run_on("notes", &md, &["-f", "json"], Duration::from_secs(60));
    run.assert_code(0);
    assert!(run.lines_starting("warning:").is_empty(), "{run}");
    let json = std::fs::read_to_string(dir.path().join("out/notes.json")).expect("json");
    assert!(json.contains("Note 99999."), "the last note was lost");
}

#[test]
fn jobs_beyond_four_per_core_are_capped_with_a_note() {
    // `-j 100000` started threads until the system refused.
    let (run, dir) = run_on(
        "jobs",
        "# Jobs\n\nText.\n",
        &["-f", "pdf", "-j", "100000"],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    assert!(
        run.stderr.contains("note: -j 100000") && run.stderr.contains("per core"),
        "{run}"
    );
    assert!(dir.path().join("out/jobs.pdf").exists());
    // 0 means one per core, as no -j does.
    let (run, _) = run_on(
        "zero",
        "Text.\n",
        &["-f", "json", "-j", "0"],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    // No note about the thread count: only the line saying what was written.
    assert!(!run.stderr.contains("note:"), "{run}");
    assert!(run.stderr.starts_with("Wrote "), "{run}");
}

#[test]
fn a_page_without_room_for_text_is_a_usage_error() {
    // `--paper 1x1in` turned 75 KB of text into 60,000 pages and 3.6 GB.
    let md = "# Title\n\nSome text.\n";
    for args in [
        &["--paper", "1x1in"][..],
        &["--paper", "2x2in"],
        &["--margins", "4in"],
        // 2.26 in of text on a page 8.27 in tall: more than 2 in, less than a third.
        &["--paper", "a5", "--margins", "3in 0.5in"],
        &["--paper", "a6", "--layout", "booklet", "--margins", "1in"],
    ] {
        let (run, dir) = run_on("tiny", md, args, Duration::from_secs(60));
        run.assert_code(2);
        assert!(
            run.stderr.contains("text block") && run.stderr.contains("in"),
            "{args:?}: {run}"
        );
        assert!(
            listing(&dir.path().join("out")).is_empty(),
            "{args:?}: wrote"
        );
    }
    // A size that is no size at all is a usage error too.
    let (run, _) = run_on("bad", md, &["--paper", "huge"], Duration::from_secs(60));
    run.assert_code(2);
    assert!(run.stderr.contains("--paper"), "{run}");
    // Small but sane pages still work.
    let (run, dir) = run_on(
        "small",
        md,
        &["--paper", "3x4in", "-f", "pdf"],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    assert!(dir.path().join("out/small.pdf").exists());
}

#[test]
fn page_settings_in_front_matter_and_book_toml_are_checked_at_their_line() {
    let md = "---\ntitle: Tiny\npaper: 1x1in\n---\n\nText.\n";
    let (run, dir) = run_on("front", md, &["-f", "pdf"], Duration::from_secs(60));
    run.assert_code(1);
    assert!(
        run.stderr.contains("front.md:3:") && run.stderr.contains("text block"),
        "{run}"
    );
    assert!(listing(&dir.path().join("out")).is_empty(), "wrote");
    let md = "---\ntitle: Tiny\npaper: a5\nmargins: 3in\n---\n\nText.\n";
    let (run, _) = run_on("margins", md, &["-f", "pdf"], Duration::from_secs(60));
    run.assert_code(1);
    assert!(run.stderr.contains("margins.md:4:"), "{run}");

    let dir = tempdir();
    write(
        dir.path(),
        "book/book.toml",
        "[book]\ntitle = \"Tiny\"\n\n[output.bindery]\ntoc = true\npaper = \"2x2in\"\n",
    );
    write(
        dir.path(),
        "book/src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n",
    );
    write(dir.path(), "book/src/one.md", "# One\n\nText.\n");
    let run = bindery_fast(
        dir.path(),
        &["build", "book", "-o", "out", "-f", "pdf"],
        Duration::from_secs(60),
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("book.toml:6:") && run.stderr.contains("text block"),
        "{run}"
    );
    assert!(listing(&dir.path().join("out")).is_empty(), "wrote");
}

#[test]
fn bare_cr_and_crlf_line_endings_end_lines() {
    // Classic Mac OS files (CR only) were read as one line: one heading of the whole file.
    for (name, nl) in [("cr", "\r"), ("crlf", "\r\n"), ("mixed", "\r\n")] {
        let mut md = ["# One", "", "Text one.", "", "# Two", "", "Text two."].join(nl);
        if name == "mixed" {
            md.push_str("\r\rLast\rline.\n");
        }
        let (run, dir) = run_on(name, &md, &["-f", "json,pdf"], Duration::from_secs(60));
        run.assert_code(0);
        let json =
            std::fs::read_to_string(dir.path().join(format!("out/{name}.json"))).expect("json");
        assert!(
            json.contains("\"id\": \"one\"") || json.contains("\"id\":\"one\""),
            "{name}: no heading One: {json}"
        );
        assert!(json.contains("\"two\""), "{name}: no heading Two");
        assert!(!json.contains("\\r"), "{name}: a CR reached the model");
        if name == "mixed" {
            // A lone CR inside a paragraph is a line ending too: a soft break, not text.
            assert!(json.contains("Last"), "{name}: last paragraph lost");
        }
        if let Some(text) = output_text(&dir.path().join(format!("out/{name}.pdf"))) {
            for word in ["One", "Text one.", "Two", "Text two."] {
                assert!(text.contains(word), "{name}: {word} missing from the PDF");
            }
        }
    }
}

#[test]
fn a_hundred_column_table_keeps_every_column() {
    // Columns 73 to 99 were set past the page's edge and lost from the PDF.
    let cols = 100;
    let row = |p: &str| {
        (0..cols)
            .map(|i| format!("{p}{i}"))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let md = format!(
        "Before.\n\n| {} |\n|{}\n| {} |\n| {} |\n\nAfter.\n",
        row("Head"),
        "---|".repeat(cols),
        row("cell"),
        row("more")
    );
    let (run, dir) = run_on("table", &md, &["-f", "pdf,epub"], Duration::from_secs(60));
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].contains("table.md:3:") && warnings[0].contains("100 columns"),
        "{run}"
    );
    if let Some(text) = output_text(&dir.path().join("out/table.pdf")) {
        let words: std::collections::BTreeSet<&str> = text.split_whitespace().collect();
        for i in 0..cols {
            for p in ["Head", "cell", "more"] {
                let w = format!("{p}{i}");
                assert!(words.contains(w.as_str()), "{w} missing from the PDF");
            }
        }
        assert!(words.contains("After."));
    }
}

#[test]
fn a_code_line_mixing_arabic_and_latin_keeps_each_in_its_direction() {
    // The whole line was shaped right to left, so its Latin words came out backwards.
    let md = "# Code\n\n```\nمرحبا hello world\nx = \"شكرا\" + 42\n```\n";
    let (run, dir) = run_on("rtl", md, &["-f", "pdf"], Duration::from_secs(60));
    run.assert_code(0);
    if let Some(text) = output_text(&dir.path().join("out/rtl.pdf")) {
        assert!(text.contains("hello world"), "Latin reversed: {text}");
        assert!(!text.contains("dlrow"), "Latin reversed: {text}");
        assert!(text.contains("x = \""), "{text}");
        assert!(text.contains("42"), "{text}");
        for word in ["مرحبا", "شكرا"] {
            assert!(text.contains(word), "{word} missing: {text}");
        }
    }
}
