//! The no-panic sweep: every example of the CommonMark spec converts to JSON through the binary.
//!
//! All 655 examples go into one folder as separate files and convert in one `bindery build DIR
//! -f json` run. Parsing Markdown never fails, so the only acceptable errors are front-matter
//! errors for the few examples that happen to start like front matter (`---` / `+++`).

use crate::util::{bindery_fast, listing, s, shared_file, tempdir, write};
use std::time::Duration;

#[test]
fn every_spec_example_converts_to_json_without_a_panic() {
    let Some(spec) = shared_file("corpus/commonmark/spec.json", "the CommonMark sweep") else {
        return;
    };
    let examples: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(spec).unwrap()).unwrap();
    assert_eq!(examples.len(), 655, "spec 0.31.2 has 655 examples");

    let dir = tempdir();
    let src = dir.path().join("spec");
    let mut front_matter_like = Vec::new();
    for ex in &examples {
        let n = ex["example"].as_u64().expect("example number");
        let md = ex["markdown"].as_str().expect("example markdown");
        let name = format!("ex{n:03}");
        if md.starts_with("---") || md.starts_with("+++") {
            front_matter_like.push(name.clone());
        }
        write(&src, &format!("{name}.md"), md);
    }
    let run = bindery_fast(
        dir.path(),
        &["build", s(&src), "-o", "out", "-f", "json"],
        Duration::from_secs(300),
    );
    assert!(!run.timed_out, "the sweep hung:\n{run}");
    assert!(!run.stderr.contains("panicked"), "bindery panicked:\n{run}");
    assert!(
        matches!(run.code, Some(0 | 1)),
        "crashed (signal or unexpected status):\n{run}"
    );

    // Errors are only allowed for examples that look like front matter.
    for line in run.lines_starting("error:") {
        assert!(
            front_matter_like
                .iter()
                .any(|name| line.contains(&format!("{name}.md"))),
            "unexpected error on a spec example: {line}\n{run}"
        );
    }
    let written = listing(&dir.path().join("out"));
    let mut missing = Vec::new();
    for ex in &examples {
        let name = format!("ex{:03}", ex["example"].as_u64().unwrap());
        let file = format!("{name}.json");
        if !written.contains(&file) {
            let reported = run
                .lines_starting("error:")
                .iter()
                .any(|l| l.contains(&format!("{name}.md")));
            if !reported {
                missing.push(name);
            }
            continue;
        }
        let text = std::fs::read(dir.path().join("out").join(&file)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&text)
            .unwrap_or_else(|e| panic!("{file} is not valid JSON: {e}"));
        assert!(
            v["blocks"].is_array() && v["meta"].is_object(),
            "{file} is not a document model"
        );
    }
    assert!(
        missing.is_empty(),
        "examples with neither output nor error: {missing:?}\n{run}"
    );
    assert!(
        written.len() >= examples.len() - front_matter_like.len(),
        "{run}"
    );
}
