//! Validity: `qpdf --check` passes and `pdffonts` lists every font embedded and subsetted.

use super::{built, content_files, fixture, Built};
use crate::util::{have_tool, qpdf_check, shared_file, tool_output};
use std::path::Path;

/// `qpdf --check` and `pdffonts` on one PDF: `Ok(false)` when a tool is missing (and allowed
/// to be), an error naming every problem otherwise.
#[track_caller]
pub fn check_valid(pdf: &Path) -> Result<bool, String> {
    let mut problems = Vec::new();
    match qpdf_check(pdf) {
        None => return Ok(false),
        Some(Err(report)) => problems.push(format!("qpdf --check failed:\n{report}")),
        Some(Ok(())) => {}
    }
    if !have_tool("pdffonts", "checking embedded fonts") {
        return Ok(false);
    }
    let (ok, text) = tool_output("pdffonts", [pdf]);
    if !ok {
        return Err(format!("pdffonts failed: {text}"));
    }
    let mut fonts = 0;
    // Two header lines, then one line per font; the last five columns are
    // `emb sub uni object-number generation`.
    for line in text.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 6 {
            problems.push(format!("unreadable pdffonts line: {line}"));
            continue;
        }
        fonts += 1;
        let (emb, sub) = (cols[cols.len() - 5], cols[cols.len() - 4]);
        if emb != "yes" || sub != "yes" {
            problems.push(format!("font not embedded and subsetted: {line}"));
        }
        // A subset's name carries the six-letter tag (ABCDEF+Name).
        let tagged = cols[0]
            .split_once('+')
            .is_some_and(|(t, _)| t.len() == 6 && t.chars().all(|c| c.is_ascii_uppercase()));
        if !tagged {
            problems.push(format!("subset font without a subset tag: {line}"));
        }
    }
    if fonts == 0 {
        problems.push("pdffonts lists no font at all".to_owned());
    }
    if problems.is_empty() {
        Ok(true)
    } else {
        Err(problems.join("\n"))
    }
}

#[track_caller]
fn assert_valid(b: &Built) {
    if let Err(e) = check_valid(&b.pdf) {
        panic!("{}: {e}", b.pdf.display());
    }
}

#[test]
fn content_pdfs_are_valid_with_subset_fonts() {
    for src in content_files() {
        assert_valid(&built("content", &src));
    }
}

#[test]
fn handout_pdf_is_valid_with_subset_fonts() {
    if let Some(h) = shared_file("corpus/handout/handout.md", "the handout validity check") {
        assert_valid(&built("shared-handout", &h));
    }
}

#[test]
fn multilingual_pdf_is_valid_with_subset_fonts() {
    assert_valid(&built("fixtures", &fixture("multilingual.md")));
}

#[test]
fn torture_pdf_is_valid_with_subset_fonts() {
    assert_valid(&built("fixtures", &fixture("torture.md")));
}

#[test]
fn rust_book_pdf_is_valid_with_subset_fonts() {
    if let Some(book) = shared_file("corpus/rust-book/book.md", "the Rust book validity check") {
        assert_valid(&built("book", &book));
    }
}

#[test]
fn a_pdf_without_embedded_fonts_is_caught() {
    // The checker itself must be able to fail: a hand-made PDF using the unembedded Helvetica.
    let dir = crate::util::tempdir();
    let pdf = crate::util::write(dir.path(), "bare.pdf", bare_pdf());
    if !have_tool("pdffonts", "the pdffonts self-test") {
        return;
    }
    let err = check_valid(&pdf).expect_err("an unembedded font must be reported");
    assert!(err.contains("not embedded"), "{err}");
}

/// A minimal, well-formed one-page PDF that uses the standard Helvetica without embedding it.
fn bare_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
        {
            let s = "BT /F1 12 Tf 20 100 Td (Hello) Tj ET";
            format!("<< /Length {} >>\nstream\n{s}\nendstream", s.len())
        },
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}
