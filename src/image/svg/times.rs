//! Labels set in Times: squeeze the bundled serif stand-in to the width the SVG was laid out for.
//!
//! Graphviz (which drew the Rust book's figures) places every label from Times-Roman metrics
//! and sizes the table cells around them. Times is not bundled, and the bundled serif (Source
//! Serif 4 in its small-text cut) is about an eighth wider, so the labels would run over the cell
//! rules. For a plain `<text>` in Times that
//! does not already say how long it is, this adds `textLength` (its Times-Roman width) with
//! `lengthAdjust="spacingAndGlyphs"`, which makes usvg scale the glyphs to that width.

use usvg::roxmltree;

/// Advance widths of Times-Roman for U+0020..=U+007E, in thousandths of an em (the standard
/// PostScript font metrics, which graphviz also uses to size its labels).
const TIMES_ROMAN: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, // ' '../
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, // 0..?
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, // @..O
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, // P.._
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, // `..o
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, // p..~
];

/// The SVG source with `textLength` added to its Times labels, or `None` when there is
/// nothing to change (or the source does not parse; usvg then reports the error).
pub(super) fn fit_times_labels(src: &str) -> Option<String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(src, opts).ok()?;
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        if node.attribute("textLength").is_some() || node.children().any(|c| c.is_element()) {
            continue;
        }
        let inherited = |name: &str| node.ancestors().find_map(|n| n.attribute(name));
        // The width table is for the upright regular face only.
        let regular = inherited("font-weight").is_none_or(|w| matches!(w.trim(), "normal" | "400"))
            && inherited("font-style").is_none_or(|s| s.trim() == "normal");
        if !regular || !inherited("font-family").is_some_and(is_times) {
            continue;
        }
        let Some(size) = inherited("font-size").and_then(font_size) else {
            continue;
        };
        let text: String = node.children().filter_map(|c| c.text()).collect();
        let Some(width) = times_width(&text, size) else {
            continue;
        };
        // Insert right after the tag name; a prefixed name (svg:text) is left alone.
        let at = node.range().start + "<text".len();
        if src.get(node.range().start..at) == Some("<text") {
            inserts.push((
                at,
                format!(" textLength=\"{width:.3}\" lengthAdjust=\"spacingAndGlyphs\""),
            ));
        }
    }
    if inserts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(src.len() + inserts.len() * 56);
    let mut from = 0;
    for (at, attr) in inserts {
        out.push_str(&src[from..at]);
        out.push_str(&attr);
        from = at;
    }
    out.push_str(&src[from..]);
    Some(out)
}

/// Whether the first family of a `font-family` list is Times (Times, Times New Roman, ...).
fn is_times(families: &str) -> bool {
    let first = families.split(',').next().unwrap_or("");
    let first = first.trim().trim_matches(|c| c == '\'' || c == '"');
    first.to_ascii_lowercase().starts_with("times")
}

/// A font size in user units: a plain number or one in `px`.
fn font_size(value: &str) -> Option<f32> {
    let v = value.trim();
    let v = v.strip_suffix("px").unwrap_or(v);
    v.parse::<f32>().ok().filter(|s| s.is_finite() && *s > 0.0)
}

/// The Times-Roman width of the label as usvg will lay it out (white space collapsed and
/// trimmed), `None` for an empty label or one with characters outside printable ASCII.
fn times_width(text: &str, size: f32) -> Option<f32> {
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut units = TIMES_ROMAN[0] as u32 * (words.len() as u32 - 1);
    for c in words.iter().flat_map(|w| w.chars()) {
        let i = (c as u32).checked_sub(0x20)? as usize;
        units += u32::from(*TIMES_ROMAN.get(i)?);
    }
    Some(units as f32 / 1000.0 * size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphviz_label_widths_match() {
        // Graphviz centred "capacity" (14 px) in a 52 px cell at x = 10.6826 from 8.
        let w = times_width("capacity", 14.0).unwrap();
        assert!((w - (52.0 - 2.0 * 2.6826)).abs() < 0.05, "{w}");
        let ab = times_width("  a   b ", 10.0).unwrap();
        assert!((ab - 11.94).abs() < 1e-4, "{ab}");
        assert_eq!(times_width("héllo", 10.0), None);
        assert_eq!(times_width("  ", 10.0), None);
    }

    #[test]
    fn only_plain_times_labels_get_a_length() {
        let src = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g font-family="Times,serif" font-size="14">
<text x="1">name</text><text x="1" font-weight="bold">bold</text><text x="1" font-family="Helvetica">sans</text>
<text x="1" textLength="9">given</text><text x="1">a<tspan>b</tspan></text></g></svg>"#;
        let out = fit_times_labels(src).unwrap();
        assert_eq!(out.matches("textLength").count(), 2, "{out}");
        let name = 14.0 * 2166.0 / 1000.0;
        assert!(
            out.contains(&format!(
                "<text textLength=\"{name:.3}\" lengthAdjust=\"spacingAndGlyphs\" x=\"1\">name"
            )),
            "{out}"
        );
        assert_eq!(
            fit_times_labels("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(fit_times_labels("<svg"), None);
    }
}
