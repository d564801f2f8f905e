//! Raw HTML in Markdown: a small tokenizer and the table of elements XHTML output may keep.
//!
//! The writer decides per token what survives; this module only says what a token is, which
//! elements are known, where each may appear and which attributes are safe to copy.

use super::escape::decode_entities;

/// One piece of raw HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// Character data (entities still encoded).
    Text(&'a str),
    /// `<name attr="v">`; names lowercased, attribute values decoded.
    Start {
        /// Element name, lowercased.
        name: String,
        /// Attributes in source order.
        attrs: Vec<(String, String)>,
        /// Written as `<name/>`.
        self_closing: bool,
    },
    /// `</name>`.
    End {
        /// Element name, lowercased.
        name: String,
    },
    /// `<!-- ... -->`, as written.
    Comment(&'a str),
    /// Anything else that starts with `<` (declarations, processing instructions, CDATA,
    /// malformed tags): shown as text.
    Other(&'a str),
}

/// Splits raw HTML into tokens. Total: every byte of `s` belongs to exactly one token.
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some((token, len)) = markup(&s[i..]) else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.push(Token::Text(&s[text_start..i]));
        }
        out.push(token);
        i += len;
        text_start = i;
    }
    if text_start < s.len() {
        out.push(Token::Text(&s[text_start..]));
    }
    out
}

/// Recognises markup at the start of `s` (which begins with `<`).
fn markup(s: &str) -> Option<(Token<'_>, usize)> {
    if let Some(rest) = s.strip_prefix("<!--") {
        let end = rest.find("-->")?;
        return Some((Token::Comment(&s[..4 + end + 3]), 4 + end + 3));
    }
    if s.starts_with("<![CDATA[") {
        let end = s.find("]]>")?;
        return Some((Token::Other(&s[..end + 3]), end + 3));
    }
    if s.starts_with("<?") {
        let end = s.find("?>")?;
        return Some((Token::Other(&s[..end + 2]), end + 2));
    }
    if s.starts_with("<!") && s[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        let end = s.find('>')?;
        return Some((Token::Other(&s[..end + 1]), end + 1));
    }
    if let Some(rest) = s.strip_prefix("</") {
        let name_len = name_len(rest)?;
        let after = &rest[name_len..];
        let trimmed = after.trim_start();
        if !trimmed.starts_with('>') {
            return None;
        }
        let len = 2 + name_len + (after.len() - trimmed.len()) + 1;
        return Some((
            Token::End {
                name: rest[..name_len].to_ascii_lowercase(),
            },
            len,
        ));
    }
    let rest = &s[1..];
    let name_len = name_len(rest)?;
    let name = rest[..name_len].to_ascii_lowercase();
    let mut pos = 1 + name_len;
    let mut attrs = Vec::new();
    loop {
        let after = &s[pos..];
        let trimmed = after.trim_start();
        let had_space = trimmed.len() < after.len();
        pos += after.len() - trimmed.len();
        if trimmed.starts_with("/>") {
            return Some((
                Token::Start {
                    name,
                    attrs,
                    self_closing: true,
                },
                pos + 2,
            ));
        }
        if trimmed.starts_with('>') {
            return Some((
                Token::Start {
                    name,
                    attrs,
                    self_closing: false,
                },
                pos + 1,
            ));
        }
        if !had_space {
            return None;
        }
        let (attr, len) = attribute(trimmed)?;
        attrs.push(attr);
        pos += len;
    }
}

fn name_len(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    Some(
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(s.len()),
    )
}

/// One `name`, `name=value`, `name='v'` or `name="v"` at the start of `s`.
fn attribute(s: &str) -> Option<((String, String), usize)> {
    let first = s.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_' || first == ':') {
        return None;
    }
    let name_end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')))
        .unwrap_or(s.len());
    let name = s[..name_end].to_ascii_lowercase();
    let after = &s[name_end..];
    let trimmed = after.trim_start();
    let Some(value_part) = trimmed.strip_prefix('=') else {
        return Some(((name, String::new()), name_end));
    };
    let value_part_trimmed = value_part.trim_start();
    let offset = name_end
        + (after.len() - trimmed.len())
        + 1
        + (value_part.len() - value_part_trimmed.len());
    let (value, len) = match value_part_trimmed.chars().next()? {
        q @ ('"' | '\'') => {
            let end = value_part_trimmed[1..].find(q)?;
            (&value_part_trimmed[1..1 + end], end + 2)
        }
        _ => {
            let end = value_part_trimmed
                .find(|c: char| {
                    c.is_ascii_whitespace() || matches!(c, '"' | '\'' | '=' | '<' | '>' | '`')
                })
                .unwrap_or(value_part_trimmed.len());
            if end == 0 {
                return None;
            }
            (&value_part_trimmed[..end], end)
        }
    };
    Some(((name, decode_entities(value).into_owned()), offset + len))
}

/// What an element may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Any flow content (blocks and phrasing).
    Flow,
    /// Phrasing (inline) content only.
    Phrasing,
    /// Only the listed child elements (and whitespace).
    Children(&'static [&'static str]),
    /// Nothing: a void element.
    Empty,
}

/// A known element: whether it is phrasing content and what it holds.
#[derive(Debug, Clone, Copy)]
pub struct Element {
    /// The name, lowercase.
    pub name: &'static str,
    /// Allowed where phrasing content is.
    pub phrasing: bool,
    /// What it may contain.
    pub content: Content,
    /// The only parents it may have, when restricted (`li` needs `ul` or `ol`).
    pub parents: &'static [&'static str],
}

const fn el(
    name: &'static str,
    phrasing: bool,
    content: Content,
    parents: &'static [&'static str],
) -> Element {
    Element {
        name,
        phrasing,
        content,
        parents,
    }
}

use Content::{Children, Empty, Flow, Phrasing};

const TABLE_SECTION: &[&str] = &["table", "thead", "tbody", "tfoot"];

/// Elements kept from raw HTML. Everything else (custom components, scripts, forms, media,
/// obsolete presentational tags) is unwrapped: its content stays, its tags go.
static ELEMENTS: &[Element] = &[
    el("a", true, Phrasing, &[]),
    el("abbr", true, Phrasing, &[]),
    el("b", true, Phrasing, &[]),
    el("bdi", true, Phrasing, &[]),
    el("bdo", true, Phrasing, &[]),
    el("br", true, Empty, &[]),
    el("cite", true, Phrasing, &[]),
    el("code", true, Phrasing, &[]),
    el("del", true, Phrasing, &[]),
    el("dfn", true, Phrasing, &[]),
    el("em", true, Phrasing, &[]),
    el("i", true, Phrasing, &[]),
    el("img", true, Empty, &[]),
    el("ins", true, Phrasing, &[]),
    el("kbd", true, Phrasing, &[]),
    el("mark", true, Phrasing, &[]),
    el("q", true, Phrasing, &[]),
    el("s", true, Phrasing, &[]),
    el("samp", true, Phrasing, &[]),
    el("small", true, Phrasing, &[]),
    el("span", true, Phrasing, &[]),
    el("strong", true, Phrasing, &[]),
    el("sub", true, Phrasing, &[]),
    el("sup", true, Phrasing, &[]),
    el("u", true, Phrasing, &[]),
    el("var", true, Phrasing, &[]),
    el("wbr", true, Empty, &[]),
    el("address", false, Flow, &[]),
    el("article", false, Flow, &[]),
    el("aside", false, Flow, &[]),
    el("blockquote", false, Flow, &[]),
    el("details", false, Flow, &[]),
    el("div", false, Flow, &[]),
    el("figure", false, Flow, &[]),
    el("footer", false, Flow, &[]),
    el("header", false, Flow, &[]),
    el("section", false, Flow, &[]),
    el("h1", false, Phrasing, &[]),
    el("h2", false, Phrasing, &[]),
    el("h3", false, Phrasing, &[]),
    el("h4", false, Phrasing, &[]),
    el("h5", false, Phrasing, &[]),
    el("h6", false, Phrasing, &[]),
    el("p", false, Phrasing, &[]),
    el("pre", false, Phrasing, &[]),
    el("hr", false, Empty, &[]),
    el("ul", false, Children(&["li"]), &[]),
    el("ol", false, Children(&["li"]), &[]),
    el("li", false, Flow, &["ul", "ol"]),
    el("dl", false, Children(&["dt", "dd"]), &[]),
    el("dt", false, Phrasing, &["dl"]),
    el("dd", false, Flow, &["dl"]),
    el(
        "table",
        false,
        Children(&["caption", "colgroup", "thead", "tbody", "tfoot", "tr"]),
        &[],
    ),
    el("caption", false, Flow, &["table"]),
    el("colgroup", false, Children(&["col"]), &["table"]),
    el("col", false, Empty, &["colgroup"]),
    el("thead", false, Children(&["tr"]), &["table"]),
    el("tbody", false, Children(&["tr"]), &["table"]),
    el("tfoot", false, Children(&["tr"]), &["table"]),
    el("tr", false, Children(&["td", "th"]), TABLE_SECTION),
    el("td", false, Flow, &["tr"]),
    el("th", false, Flow, &["tr"]),
    el("summary", false, Phrasing, &["details"]),
    el("figcaption", false, Flow, &["figure"]),
];

/// The element called `name`, if raw HTML may keep it.
pub fn element(name: &str) -> Option<&'static Element> {
    ELEMENTS.iter().find(|e| e.name == name)
}

/// Whether `child` may appear directly inside a parent holding `content`, named `parent`
/// (`None` for the writer's own block or inline context).
pub fn allowed(child: &Element, parent: Option<&str>, content: Content) -> bool {
    if !child.parents.is_empty() {
        return parent.is_some_and(|p| child.parents.contains(&p)) && content != Empty;
    }
    match content {
        Flow => true,
        Phrasing => child.phrasing,
        Children(list) => list.contains(&child.name),
        Empty => false,
    }
}

/// Whether an attribute may be copied to `element` as is. `id` and `href`/`src` are handled by
/// the writer (they need checking against the document).
pub fn keep_attr(element: &str, name: &str, value: &str) -> bool {
    let digits =
        || !value.is_empty() && value.len() < 6 && value.bytes().all(|b| b.is_ascii_digit());
    match name {
        "class" | "title" => true,
        "lang" => {
            !value.is_empty()
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }
        "dir" => matches!(value, "ltr" | "rtl" | "auto"),
        "alt" => element == "img",
        "width" | "height" => element == "img" && digits(),
        "colspan" | "rowspan" => matches!(element, "td" | "th") && digits() && value != "0",
        "span" => matches!(element, "col" | "colgroup") && digits() && value != "0",
        "start" => {
            element == "ol"
                && value
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                && !value.is_empty()
        }
        "scope" => element == "th" && matches!(value, "row" | "col" | "rowgroup" | "colgroup"),
        _ => name.strip_prefix("data-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }),
    }
}

/// Boolean attributes kept, written with their own name as value (XHTML needs one).
pub fn boolean_attr(element: &str, name: &str) -> bool {
    matches!((element, name), ("details", "open") | ("ol", "reversed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t =
            tokenize("a<b class=x id='y' hidden>c</b ><!-- n --><?p?><Listing number=\"1-1\"/>< x");
        assert_eq!(t[0], Token::Text("a"));
        assert_eq!(
            t[1],
            Token::Start {
                name: "b".into(),
                attrs: vec![
                    ("class".into(), "x".into()),
                    ("id".into(), "y".into()),
                    ("hidden".into(), String::new())
                ],
                self_closing: false
            }
        );
        assert_eq!(t[2], Token::Text("c"));
        assert_eq!(t[3], Token::End { name: "b".into() });
        assert_eq!(t[4], Token::Comment("<!-- n -->"));
        assert_eq!(t[5], Token::Other("<?p?>"));
        assert!(
            matches!(&t[6], Token::Start { name, self_closing: true, .. } if name == "listing")
        );
        assert_eq!(t[7], Token::Text("< x"));
        assert_eq!(tokenize("<a href=\"x"), vec![Token::Text("<a href=\"x")]);
        assert_eq!(tokenize("<!-- open"), vec![Token::Text("<!-- open")]);
    }

    #[test]
    fn placement() {
        let li = element("li").unwrap();
        assert!(allowed(li, Some("ul"), Children(&["li"])));
        assert!(!allowed(li, None, Flow));
        let div = element("div").unwrap();
        assert!(!allowed(div, Some("p"), Phrasing));
        assert!(allowed(element("em").unwrap(), Some("p"), Phrasing));
        assert!(element("listing").is_none());
    }
}
