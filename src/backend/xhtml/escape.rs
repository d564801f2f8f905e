//! Escaping for XHTML: text, attribute values, link targets and XML ids.
//!
//! The XML gate: every string that reaches XML passes [`xml_char`], one character at a time,
//! whether the writer escapes it here ([`push_text`], [`push_attr`]) or cleans it for the
//! package document, the navigation document and the NCX ([`clean`], escaped again when
//! `backend::epub::package` writes them). Sources are already settled by the same rule when they are read
//! (`parse::chars`); the gate also covers what never went through a source: the command line,
//! `book.toml`, mdBook's JSON, text a backend composes.

use std::borrow::Cow;
use std::fmt::Write;

/// What XML 1.0 makes of `c`: `Some(c)` kept, `Some(other)` replaced, `None` dropped. The
/// rule is the model's own (`parse::chars::settle`): controls XML cannot hold are dropped
/// (vertical tab, form feed and U+0085 become a space), noncharacters become U+FFFD.
pub fn xml_char(c: char) -> Option<char> {
    crate::parse::chars::settle(c)
}

/// `text` as XML can hold it (not escaped): for strings handed to another XML writer.
pub fn clean(text: &str) -> Cow<'_, str> {
    crate::parse::chars::settled(text)
}

/// Appends `text` escaped for element content, through the gate ([`xml_char`]).
pub fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        _ => None,
    });
}

/// Appends `text` escaped for a double-quoted attribute value, through the gate.
pub fn push_attr(out: &mut String, text: &str) {
    push_escaped(out, text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        // Literal newlines and tabs in attributes are normalised away by XML parsers.
        '\n' => Some("&#10;"),
        '\t' => Some("&#9;"),
        '\r' => Some("&#13;"),
        _ => None,
    });
}

/// Appends `text` with each character `entity` names replaced by its entity and every other
/// one through the gate. Stretches that need neither are copied whole: a book's EPUB is
/// megabytes of text, and a push per character cost the Rust book's EPUB 6 ms of its 310 ms.
/// Printable ASCII and the three white-space controls pass the gate unchanged, so an ASCII
/// byte needs no decoding: only the entities' characters and the other controls stop the
/// stretch.
fn push_escaped(out: &mut String, text: &str, entity: impl Fn(char) -> Option<&'static str>) {
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let c = if b < 0x80 {
            let c = char::from(b);
            if matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r') && entity(c).is_none() {
                i += 1;
                continue;
            }
            c
        } else {
            text[i..].chars().next().unwrap_or('\u{FFFD}')
        };
        let len = c.len_utf8();
        let replacement = entity(c);
        if replacement.is_none() && xml_char(c) == Some(c) {
            i += len;
            continue;
        }
        out.push_str(&text[plain..i]);
        match replacement {
            Some(e) => out.push_str(e),
            None => out.extend(xml_char(c)),
        }
        i += len;
        plain = i;
    }
    out.push_str(&text[plain..]);
}

/// `text` escaped for element content.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(&mut out, text);
    out
}

/// `text` escaped for an attribute value.
pub fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_attr(&mut out, text);
    out
}

/// A link target made a valid URL: characters outside the URL-safe set are percent-encoded
/// (UTF-8), existing `%XX` escapes are kept, and a `#` after the one that starts the fragment
/// becomes `%23` (a fragment may not hold one: EPUBCheck RSC-020). The result still needs
/// [`attr`] escaping.
pub fn href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let bytes = url.as_bytes();
    let fragment = bytes.iter().position(|&b| b == b'#');
    for (i, &b) in bytes.iter().enumerate() {
        let safe = b.is_ascii_alphanumeric()
            || b"-_.!~*'();/?:@&=+$,".contains(&b)
            || (b == b'#' && fragment == Some(i));
        let escape_ok = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if safe || escape_ok {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes (as UTF-8, lossily), for looking fragment ids up.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}'
            | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
            | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || matches!(c, '-' | '.' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// An id made a valid XML name without colons (EPUBCheck requires it): unchanged when it
/// already is one, else invalid characters become `-` and a leading `id-` is added when it
/// does not start with a letter or `_`. The same input always gives the same id, so links
/// and targets agree.
pub fn xml_id(id: &str) -> Cow<'_, str> {
    let mut chars = id.chars();
    let valid = chars.next().is_some_and(is_name_start) && chars.all(is_name_char);
    if valid {
        return Cow::Borrowed(id);
    }
    let mut out = String::with_capacity(id.len() + 3);
    if !id.chars().next().is_some_and(is_name_start) {
        out.push_str("id-");
    }
    out.extend(id.chars().map(|c| if is_name_char(c) { c } else { '-' }));
    Cow::Owned(out)
}

/// Decodes the character references in raw HTML text: numeric ones and the common named ones.
/// Unknown names are kept literally (their `&` escaped later), since XHTML defines only five.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let end = tail.find(';').filter(|&e| e > 0 && e <= 32);
        let decoded = end.and_then(|e| entity(&tail[..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        let c = char::from_u32(value)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}');
        return Some(c);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "shy" => '\u{AD}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "para" => '¶',
        "sect" => '§',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "infin" => '∞',
        "check" => '✓',
        "zwj" => '\u{200D}',
        "zwnj" => '\u{200C}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_hash_starts_a_fragment() {
        // Found by fuzzing (fuzz/check_outputs.py): EPUBCheck RSC-020 on `#a#b`.
        assert_eq!(
            href("https://a.example/p?q=1#x#y"),
            "https://a.example/p?q=1#x%23y"
        );
        assert_eq!(href("#id"), "#id");
        assert_eq!(href("a b%20c"), "a%20b%20c");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            text("a<b>&\u{1}\u{FFFE}\u{C}."),
            "a&lt;b&gt;&amp;\u{FFFD} ."
        );
        assert_eq!(attr("\u{0}\u{1F}\u{85}"), "\u{FFFD} ");
        assert_eq!(clean("T\u{1}itle\u{FFFF}"), "Title\u{FFFD}");
        assert_eq!(attr("\"x\"\n"), "&quot;x&quot;&#10;");
        // Plain stretches between the characters that change, of every width, kept whole.
        assert_eq!(
            text("Ünïcödé <€> and 𝔘\u{1}𝔘 & 中文\u{FDD0}end"),
            "Ünïcödé &lt;€&gt; and 𝔘𝔘 &amp; 中文\u{FFFD}end"
        );
        assert_eq!(attr("é\t\"𝔘\""), "é&#9;&quot;𝔘&quot;");
        // Every character, between two others, as a character-by-character escaper has it.
        let one_by_one = |text: &str, attribute: bool| -> String {
            let mut out = String::new();
            for c in text.chars() {
                match (c, attribute) {
                    ('&', _) => out.push_str("&amp;"),
                    ('<', _) => out.push_str("&lt;"),
                    ('>', _) => out.push_str("&gt;"),
                    ('"', true) => out.push_str("&quot;"),
                    ('\n', true) => out.push_str("&#10;"),
                    ('\t', true) => out.push_str("&#9;"),
                    ('\r', true) => out.push_str("&#13;"),
                    _ => out.extend(xml_char(c)),
                }
            }
            out
        };
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let sample = format!("a{c}é{c}");
            assert_eq!(text(&sample), one_by_one(&sample, false), "{c:?}");
            assert_eq!(attr(&sample), one_by_one(&sample, true), "{c:?}");
        }
        let mut out = String::from("kept ");
        push_text(&mut out, "");
        push_text(&mut out, "&");
        assert_eq!(out, "kept &amp;");
        assert_eq!(href("a b/ä?x=1&y#z"), "a%20b/%C3%A4?x=1&y#z");
        assert_eq!(href("%41%zz"), "%41%25zz");
        assert_eq!(percent_decode("caf%C3%A9%"), "café%");
        assert_eq!(xml_id("intro"), "intro");
        assert_eq!(xml_id("1-intro"), "id-1-intro");
        assert_eq!(xml_id("a b:c"), "a-b-c");
        assert_eq!(xml_id(""), "id-");
        assert_eq!(
            decode_entities("&copy; &#x41;&#66; &bogus; & &nbsp"),
            "© AB &bogus; & &nbsp"
        );
    }
}
