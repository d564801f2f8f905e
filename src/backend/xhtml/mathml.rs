//! Formulas as MathML (EPUB): the tree `typeset::math::parse` makes of the TeX for the PDF,
//! written as MathML Core elements, with the TeX itself as `alttext`.
//!
//! Every node becomes exactly one element, so the children of `mfrac`, `msub` and friends are
//! always the right count.

use super::escape::{attr, push_text};
use crate::typeset::math::{Class, Node};

/// Big operators whose scripts a displayed formula sets above and below (as the PDF does).
const LIMITS: [&str; 9] = ["∑", "∏", "⋃", "⋂", "lim", "max", "min", "sup", "inf"];

/// The `<math>` element for `nodes`, parsed from `tex`.
pub fn math(nodes: &[Node], tex: &str, display: bool) -> String {
    let mut out = String::with_capacity(tex.len() * 8 + 96);
    out.push_str("<math xmlns=\"http://www.w3.org/1998/Math/MathML\"");
    out.push_str(if display {
        " display=\"block\""
    } else {
        " display=\"inline\""
    });
    out.push_str(&format!(" alttext=\"{}\"><mrow>", attr(tex.trim())));
    list(&mut out, nodes, display, 0);
    out.push_str("</mrow></math>");
    out
}

/// The items of a row. A function name followed by its argument gets the invisible function
/// application operator between them, which gives the space after `sin` and tells a screen
/// reader "sine of".
fn list(out: &mut String, nodes: &[Node], display: bool, depth: u32) {
    for (i, node) in nodes.iter().enumerate() {
        write(out, node, display, depth);
        let function = match node {
            Node::Sym {
                class: Class::Op,
                text,
                ..
            } => text.chars().count() > 1,
            Node::Scripts { base, .. } => {
                matches!(&**base, Node::Sym { class: Class::Op, text, .. } if text.chars().count() > 1)
            }
            _ => false,
        };
        if function && i + 1 < nodes.len() {
            out.push_str("<mo>\u{2061}</mo>");
        }
    }
}

fn write(out: &mut String, node: &Node, display: bool, depth: u32) {
    match node {
        Node::Sym {
            text,
            class,
            italic,
        } => sym(out, text, *class, *italic),
        Node::Group(items) => {
            out.push_str("<mrow>");
            list(out, items, display, depth);
            out.push_str("</mrow>");
        }
        Node::Frac(num, den) => {
            out.push_str("<mfrac>");
            write(out, num, display, depth + 1);
            write(out, den, display, depth + 1);
            out.push_str("</mfrac>");
        }
        Node::Sqrt(None, body) => {
            out.push_str("<msqrt>");
            write(out, body, display, depth + 1);
            out.push_str("</msqrt>");
        }
        Node::Sqrt(Some(index), body) => {
            out.push_str("<mroot>");
            write(out, body, display, depth + 1);
            write(out, index, display, depth + 1);
            out.push_str("</mroot>");
        }
        Node::Scripts { base, sup, sub } => {
            let limits = display
                && depth == 0
                && matches!(&**base, Node::Sym { class: Class::Op, text, .. } if LIMITS.contains(&text.as_str()));
            let tag = match (sub.is_some(), sup.is_some(), limits) {
                (true, true, false) => "msubsup",
                (true, false, false) => "msub",
                (false, _, false) => "msup",
                (true, true, true) => "munderover",
                (true, false, true) => "munder",
                (false, _, true) => "mover",
            };
            out.push_str(&format!("<{tag}>"));
            write(out, base, display, depth);
            if let Some(sub) = sub {
                write(out, sub, display, depth + 1);
            }
            match sup {
                Some(sup) => write(out, sup, display, depth + 1),
                // `msup`/`mover` without either script: not made by the parser, but an empty
                // row keeps the element valid.
                None if sub.is_none() => out.push_str("<mrow></mrow>"),
                None => {}
            }
            out.push_str(&format!("</{tag}>"));
        }
        // MathML Core has no negative space; a thin negative kern is dropped (an empty space
        // keeps the element count).
        Node::Space(em) => out.push_str(&format!("<mspace width=\"{:.3}em\"/>", em.max(0.0))),
    }
}

fn sym(out: &mut String, text: &str, class: Class, italic: bool) {
    let (tag, variant) = match class {
        Class::Bin | Class::Rel | Class::Punct | Class::Open | Class::Close => ("mo", ""),
        // A big operator is an operator; a function name (`sin`) an identifier.
        Class::Op if text.chars().count() == 1 => ("mo", ""),
        Class::Op => ("mi", ""),
        Class::Ord if text.chars().any(char::is_whitespace) => ("mtext", ""),
        Class::Ord if text.chars().all(|c| c.is_ascii_digit() || c == '.') => ("mn", ""),
        // One character is italic by default in `mi`, several are upright.
        Class::Ord if text.chars().count() == 1 && !italic => ("mi", " mathvariant=\"normal\""),
        Class::Ord if text.chars().count() > 1 && italic => ("mtext", ""),
        Class::Ord => ("mi", ""),
    };
    out.push_str(&format!("<{tag}{variant}>"));
    push_text(out, text);
    out.push_str(&format!("</{tag}>"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::math::parse;

    fn ml(tex: &str, display: bool) -> String {
        math(&parse(tex).unwrap(), tex, display)
    }

    #[test]
    fn the_parse_tree_as_mathml() {
        assert_eq!(
            ml("E = mc^2", false),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\" alttext=\"E = mc^2\"><mrow><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></mrow></math>"
        );
        let f = ml("\\frac{a+1}{\\sqrt{x}}", true);
        assert!(
            f.contains("<mfrac><mrow><mi>a</mi><mo>+</mo><mn>1</mn></mrow><mrow><msqrt><mrow><mi>x</mi></mrow></msqrt></mrow></mfrac>"),
            "{f}"
        );
        // Limits above and below a displayed sum, scripts beside it inline.
        assert!(ml("\\sum_{i=1}^n i", true).contains("<munderover><mo>∑</mo>"));
        assert!(ml("\\sum_{i=1}^n i", false).contains("<msubsup><mo>∑</mo>"));
        assert!(ml("\\sin x", false).contains("<mi>sin</mi><mo>\u{2061}</mo><mi>x</mi>"));
        assert!(ml("x < y", false).contains("alttext=\"x &lt; y\""));
    }
}
