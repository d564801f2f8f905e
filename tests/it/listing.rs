//! Captioned code listings (the Rust book's `<Listing>` wrapper) through the real binary: the
//! file name above the code and "Listing N-M: caption" under it, in the PDF and the EPUB.

use crate::util::{bindery, epubcheck, output_text, s, tempdir, write};
use std::path::Path;

const SOURCE: &str = r#"# Guessing

The first listing reads a guess.

<Listing number="1-1" file-name="src/main.rs" caption="Code that gets a guess from the user and prints it">

```rust,ignore
fn main() {
    let guess_marker = String::new();
}
```

</Listing>

Then a structure, inside a list:

1. Define it:

   <Listing caption="A `Rectangle` struct with *two* fields" number="1-2">

   ```rust
   struct Rectangle { width: u32, height: u32 }
   ```

   </Listing>

The end.
"#;

/// Where each of `needles` first occurs in `text`, in order; panics when one is missing or
/// out of order.
#[track_caller]
fn assert_in_order(text: &str, needles: &[&str], what: &str) {
    let mut from = 0;
    for needle in needles {
        match text[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("{what}: `{needle}` missing or out of order in:\n{text}"),
        }
    }
}

/// Collapses runs of white space (pdftotext lays lines out with many spaces).
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn listings_show_file_name_code_and_caption_in_pdf_and_epub() {
    let dir = tempdir();
    let src = write(dir.path(), "guess.md", SOURCE);
    let out = dir.path().join("out");
    let run = bindery(dir.path(), &["build", s(&src), "-o", s(&out)]);
    run.assert_code(0);
    assert!(
        !run.stderr.contains("Listing") && !run.stderr.contains("HTML"),
        "unexpected warnings:\n{run}"
    );
    let expected = [
        "Filename: src/main.rs",
        "fn main()",
        "guess_marker",
        "Listing 1-1: Code that gets a guess from the user and prints it",
        "struct Rectangle",
        "Listing 1-2: A Rectangle struct with two fields",
        "The end.",
    ];
    for ext in ["pdf", "epub"] {
        let path = out.join(format!("guess.{ext}"));
        assert!(path.is_file(), "no {ext} written:\n{run}");
        let Some(text) = output_text(&path) else {
            continue;
        };
        let text = squash(&text);
        assert_in_order(&text, &expected, ext);
        assert!(!text.contains("<Listing"), "{ext}: a tag leaked:\n{text}");
        assert!(!text.contains("Listing>"), "{ext}: a tag leaked:\n{text}");
        // One file name only: the second listing has none.
        assert_eq!(text.matches("Filename:").count(), 1, "{ext}:\n{text}");
    }
    let epub = out.join("guess.epub");
    if let Some(check) = epubcheck(&epub) {
        assert!(
            check.errors == 0 && check.warnings == 0,
            "EPUBCheck: {} errors, {} warnings\n{}",
            check.errors,
            check.warnings,
            check.messages.join("\n")
        );
    }
}

#[test]
fn listing_model_in_json() {
    let dir = tempdir();
    let src = write(dir.path(), "guess.md", SOURCE);
    let out = dir.path().join("out");
    bindery(dir.path(), &["build", s(&src), "-f", "json", "-o", s(&out)]).assert_code(0);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(Path::new(&out).join("guess.json")).unwrap())
            .unwrap();
    let blocks = json["blocks"].as_array().expect("blocks");
    let listing = blocks
        .iter()
        .find(|b| b["type"] == "listing")
        .expect("a listing block");
    assert_eq!(listing["number"], "1-1");
    assert_eq!(listing["file_name"], "src/main.rs");
    assert_eq!(listing["caption"][0]["type"], "text");
    assert_eq!(listing["blocks"][0]["type"], "code_block");
    assert!(!serde_json::to_string(&json).unwrap().contains("<Listing"));
}
