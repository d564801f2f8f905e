//! TeX math in the PDF: the supported subset is typeset (symbols, not source), anything else is
//! shown as its TeX source with one warning naming the file and line, and dollar signs in prose
//! stay text.

use super::build_into;
use crate::util::{pdftotext, tempdir, write};

#[test]
fn formulas_are_typeset_and_the_rest_is_shown_as_source_with_one_warning() {
    let dir = tempdir();
    let src = write(
        dir.path(),
        "maths.md",
        "# Maths\n\nEuler: $e^{i\\pi} + 1 = 0$, and $\\alpha \\leq \\sqrt{\\beta}$.\n\n\
         $$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n\n\
         A matrix: $\\begin{pmatrix} a & b \\end{pmatrix}$ and another $\\unknown{x}$.\n\n\
         It costs $5 and $6 today.\n",
    );
    let built = build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
    let stderr = crate::util::fold_diagnostics(&built.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("TeX math")).collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning per document:\n{}",
        built.stderr
    );
    assert!(
        warnings[0].contains("maths.md:7:") && warnings[0].contains("\\begin"),
        "the warning names the first formula it could not set: {}",
        warnings[0]
    );
    let Some(text) = pdftotext(&built.pdf) else {
        return;
    };
    for typeset in ["π", "α", "≤", "∑"] {
        assert!(
            text.contains(typeset),
            "'{typeset}' is not in the PDF:\n{text}"
        );
    }
    for source in ["\\pi", "\\frac", "\\sum", "\\alpha"] {
        assert!(!text.contains(source), "'{source}' left as source:\n{text}");
    }
    assert!(
        text.contains("\\begin{pmatrix}"),
        "the unsupported formula is lost:\n{text}"
    );
    assert!(
        text.contains("costs $5 and $6 today"),
        "prose dollars changed:\n{text}"
    );
}

/// A display formula inside a paragraph is centred on its own between the text before it and
/// the text after it, which stay at the left margin.
#[test]
fn display_formulas_are_centred_between_their_text() {
    let dir = tempdir();
    let src = write(
        dir.path(),
        "display.md",
        "# Display\n\nThe text before\n$$\\frac{a}{b} = c$$\nthe text after.\n",
    );
    let built = build_into(&src, &dir.path().join("out"), &["--no-system-fonts"]);
    assert!(!built.stderr.contains("TeX math"), "{}", built.stderr);
    let Some(pages) = super::bbox_pages(&built.pdf) else {
        return;
    };
    let page = &pages[0];
    let find = |t: &str| {
        page.words
            .iter()
            .find(|w| w.text.starts_with(t))
            .unwrap_or_else(|| panic!("'{t}' not on the page: {:?}", page.words))
    };
    let (before, after, c) = (find("before"), find("after"), find("c"));
    let text_left = find("The").x0;
    assert!(
        (find("the").x0 - text_left).abs() < 1.0,
        "the text after starts a new line at the margin"
    );
    assert!(
        after.y0 > c.y1 && c.y0 > before.y1,
        "formula not between the text lines"
    );
    let centre = page.width / 2.0;
    assert!(
        c.x0 > centre - 10.0 && c.x1 < centre + 60.0,
        "the formula is not centred: c at {:.1}..{:.1}, page centre {centre:.1}",
        c.x0,
        c.x1
    );
}
