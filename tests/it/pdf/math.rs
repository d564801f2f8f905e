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
    let warnings: Vec<&str> = built
        .stderr
        .lines()
        .filter(|l| l.contains("TeX math"))
        .collect();
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
