//! The style file's settings as CSS, appended to the EPUB's (and the HTML page's) stylesheet.
//!
//! Only what differs from the defaults is written, so a document without a style file keeps
//! the stylesheet byte for byte. Sizes are in em relative to the reader's own text size (an
//! e-reader's size setting still works); what has no meaning on a reflowing screen (paper,
//! margins, the text size itself, running heads, page numbers) is left to the PDF.

use crate::style::{Paragraphs, Style, TitleAlign, Weight};
use std::fmt::Write;

/// The default sizes of the EPUB's headings h1 to h6 in em, as `style.css` sets them (a test
/// reads them there): a little smaller than the PDF's by design, a screen being narrower than
/// a page. A style's heading sizes are scaled by the same ratio.
const HEADING_EM: [f64; 6] = [1.6, 1.3, 1.12, 1.0, 1.0, 1.0];

/// The rules that carry `style`'s settings (empty for the defaults).
pub fn css(style: &Style) -> String {
    let d = Style::default();
    let mut out = String::new();
    let mut rule = |selector: &str, decls: String| {
        if !decls.is_empty() {
            let _ = writeln!(out, "{selector} {{ {decls}}}");
        }
    };
    let (t, dt) = (&style.text, &d.text);
    let mut body = String::new();
    if t.leading != dt.leading {
        let _ = write!(body, "line-height: {}; ", num(t.leading));
    }
    if style.colors.text != d.colors.text {
        let _ = write!(body, "color: {}; ", style.colors.text.css());
    }
    rule("body", body);
    match t.paragraphs {
        Paragraphs::Indent => {
            rule("p", "margin-top: 0; margin-bottom: 0; ".into());
            rule("p + p", format!("text-indent: {}em; ", num(t.indent)));
        }
        Paragraphs::Spacing if t.spacing != dt.spacing => {
            // The PDF's spacing is in lines; a line here is `line-height` em.
            rule(
                "p",
                format!(
                    "margin-bottom: {}em; ",
                    num(t.spacing * t.leading.max(1.0) * 1.05)
                ),
            );
        }
        Paragraphs::Spacing => {}
    }
    let (h, dh) = (&style.headings, &d.headings);
    for (i, em) in HEADING_EM.iter().enumerate() {
        let mut decls = String::new();
        if h.sizes[i] != dh.sizes[i] {
            let base = em / dh.sizes[i];
            let _ = write!(decls, "font-size: {}em; ", num(h.sizes[i] * base));
        }
        if h.weights[i] != dh.weights[i] {
            let w = match h.weights[i] {
                Weight::Bold => "bold",
                Weight::Normal => "normal",
            };
            let _ = write!(decls, "font-weight: {w}; ");
        }
        if h.italic[i] != dh.italic[i] {
            let s = if h.italic[i] { "italic" } else { "normal" };
            let _ = write!(decls, "font-style: {s}; ");
        }
        if h.above[i] != dh.above[i] {
            let _ = write!(decls, "margin-top: {}em; ", num(h.above[i] * t.leading));
        }
        if h.below[i] != dh.below[i] {
            let _ = write!(decls, "margin-bottom: {}em; ", num(h.below[i] * t.leading));
        }
        if h.new_page[i] {
            decls.push_str("page-break-before: always; break-before: page; ");
        }
        rule(&format!("h{}", i + 1), decls);
    }
    let (c, dc) = (&style.colors, &d.colors);
    if c.headings != dc.headings {
        rule(
            "h1, h2, h3, h4, h5, h6",
            format!("color: {}; ", c.headings.css()),
        );
    }
    if c.link != dc.link {
        rule("a", format!("color: {}; ", c.link.css()));
    }
    if c.code_background != dc.code_background {
        let bg = c.code_background.css();
        rule("pre", format!("background-color: {bg}; "));
        rule("code", format!("background-color: {bg}; "));
        rule("pre code", "background-color: transparent; ".into());
    }
    if c.rule != dc.rule {
        let r = c.rule.css();
        rule("hr", format!("border-top-color: {r}; "));
        rule("blockquote", format!("border-left-color: {r}; "));
        rule(
            "[dir=\"rtl\"] blockquote",
            format!("border-right-color: {r}; "),
        );
        rule("th, td", format!("border-color: {r}; "));
    }
    if c.highlight != dc.highlight {
        rule("mark", format!("background-color: {}; ", c.highlight.css()));
    }
    if c.table_stripe != dc.table_stripe {
        rule(
            "tbody tr:nth-child(even)",
            format!("background-color: {}; ", c.table_stripe.css()),
        );
    }
    if style.code.theme != d.code.theme {
        match style.code.theme.colors() {
            Some(palette) => {
                if let Some(c) = style.code.theme.inline_color() {
                    rule("code", format!("color: {}; ", c.css()));
                    rule("a code", "color: inherit; ".into());
                }
                for (class, (r, g, b)) in crate::highlight::CLASSES.iter().zip(palette) {
                    let selector = match class.css_class() {
                        Some(c) => format!(".{c}"),
                        None => "pre".to_owned(),
                    };
                    rule(&selector, format!("color: #{r:02x}{g:02x}{b:02x}; "));
                }
            }
            None => rule(
                ".hl-str, .hl-com, .hl-num, .hl-ty, .hl-fn, .hl-mac, .hl-op, .hl-kw",
                "color: inherit; ".into(),
            ),
        }
    }
    if style.code.size != d.code.size {
        // The stylesheet's code is 0.8em against the PDF's 0.84: the same ratio.
        rule(
            "pre",
            format!(
                "font-size: {}em; ",
                num(style.code.size * 0.8 / d.code.size)
            ),
        );
    }
    let (ti, dti) = (&style.title, &d.title);
    if ti.align != dti.align {
        let a = match ti.align {
            TitleAlign::Center => "center",
            TitleAlign::Left => "left",
            TitleAlign::Right => "right",
        };
        rule(
            ".titlepage, .titlepage h1, .titlepage .subtitle, .titlepage .author, .titlepage .date, .titlepage .rights",
            format!("text-align: {a}; "),
        );
    }
    if ti.size != dti.size {
        rule(
            ".titlepage h1",
            format!("font-size: {}em; ", num(ti.size * 2.0 / dti.size)),
        );
    }
    if out.is_empty() {
        return out;
    }
    format!("\n/* The document's style file. */\n{out}")
}

/// A number for CSS: at most three decimals, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn heading_sizes_are_the_stylesheets() {
        // The first rule of style.css that names `hN` (alone or among others) and a size.
        let sheet = crate::backend::epub::STYLE;
        for (i, em) in HEADING_EM.iter().enumerate() {
            let h = format!("h{}", i + 1);
            let size = sheet.lines().find_map(|l| {
                let (selectors, body) = l.split_once('{')?;
                selectors.split(',').any(|s| s.trim() == h).then_some(())?;
                let value = body.split_once("font-size:")?.1;
                Some(value.split(';').next()?.trim().to_owned())
            });
            assert_eq!(size, Some(format!("{em}em")), "{h} in style.css");
        }
    }

    #[test]
    fn the_defaults_add_nothing() {
        assert_eq!(css(&Style::default()), "");
    }

    #[test]
    fn settings_become_rules() {
        let s = crate::style::parse(
            Path::new("s.toml"),
            "[text]\nparagraphs = \"indent\"\nindent = 2\n[colors]\nlink = \"#c00\"\ncode-background = \"navy\"\n[headings]\nsizes = [3.0, 1.55, 1.28, 1.1, 1.0, 1.0]\nweights = [\"normal\", \"bold\", \"bold\", \"bold\", \"bold\", \"normal\"]\n",
        )
        .unwrap();
        let c = css(&s);
        assert!(c.contains("p + p { text-indent: 2em; }"), "{c}");
        assert!(c.contains("a { color: #cc0000; }"), "{c}");
        assert!(c.contains("pre { background-color: #000080; }"), "{c}");
        assert!(
            c.contains("h1 { font-size: 2.4em; font-weight: normal; }"),
            "{c}"
        );
    }
}
