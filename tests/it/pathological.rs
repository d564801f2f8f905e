//! Pathological inputs convert to every format without a stack overflow, a hang, or lost content:
//! 10,000 nested block quotes, 10,000 nested list levels, a 10 MB paragraph, a 5,000-column row.

use crate::util::{bindery_fast, listing, output_text, s, tempdir, write, Run};
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
    (run, json, dir)
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
