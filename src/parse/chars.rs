//! Characters no output can hold: settled once, when a source is read, by one rule.
//!
//! XML 1.0 (every file of an EPUB, the PDF's XMP metadata) cannot hold the C0 controls other
//! than tab, line feed and carriage return, nor U+FFFE and U+FFFF; it discourages the C1
//! controls and the other noncharacters. No font draws any of them either: the PDF's shaper
//! gives controls no glyph, and draws noncharacters as a missing-glyph box. So the rule is
//! applied in two places, with one function, [`settle`]:
//!
//! - when a source is read (`parse_str`, `parse_chapter`, front-matter values): the model then
//!   holds what every output will show, the PDF, the EPUB and the JSON agree, a heading made of
//!   control characters is as empty as it looks (the title falls back), and the author is told
//!   once, at the first such character's line and column;
//! - in the XML writer (`backend::xhtml::escape`), as the gate every string passes on its way
//!   into XML, whatever its origin: the command line (`--title`), `book.toml`, mdBook's JSON,
//!   or text a backend composes. For text already settled the gate changes nothing.
//!
//! What the rule does: the C0 and C1 controls carry nothing visible and are dropped, except
//! vertical tab, form feed and next line (U+0085), which separate words like a line end and
//! become a space, and NUL, which CommonMark replaces with U+FFFD; noncharacters (U+FDD0 to
//! U+FDEF and the last two code points of every plane) become U+FFFD, so the place where the
//! source was damaged stays visible. Lone surrogates cannot occur in a Rust string.

use crate::error::Diagnostic;
use std::borrow::Cow;
use std::path::Path;

/// What becomes of `c`: `Some(c)` kept, `Some(other)` replaced, `None` dropped.
pub fn settle(c: char) -> Option<char> {
    match c {
        '\t' | '\n' | '\r' => Some(c),
        '\u{0}' => Some('\u{FFFD}'),
        '\u{B}' | '\u{C}' | '\u{85}' => Some(' '),
        '\u{1}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => None,
        c if is_noncharacter(c) => Some('\u{FFFD}'),
        c => Some(c),
    }
}

/// U+FDD0..U+FDEF and U+xFFFE, U+xFFFF of every plane.
fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// The strings of a front-matter or configuration value settled; the first changed character
/// and how many there were, when any was.
pub(crate) fn settle_value(value: &mut serde_json::Value) -> Option<(char, usize)> {
    use serde_json::Value;
    let mut found: Option<(char, usize)> = None;
    let mut note = |s: &mut String| {
        if let Some(at) = s.find(is_unsettled) {
            let first = s[at..].chars().next().unwrap_or('\u{FFFD}');
            let n = s[at..].chars().filter(|&c| is_unsettled(c)).count();
            let entry = found.get_or_insert((first, 0));
            entry.1 += n;
            *s = settled(s).into_owned();
        }
    };
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => note(s),
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
    found
}

/// Whether [`settle`] changes `c`.
pub fn is_unsettled(c: char) -> bool {
    settle(c) != Some(c)
}

/// `text` with [`settle`] applied to every character (borrowed when nothing changes).
pub fn settled(text: &str) -> Cow<'_, str> {
    match text.find(is_unsettled) {
        None => Cow::Borrowed(text),
        Some(at) => {
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..at]);
            out.extend(text[at..].chars().filter_map(settle));
            Cow::Owned(out)
        }
    }
}

/// A whole source settled, with one warning at the first changed character (line and column
/// counted from the start of `text`, the file's first line) saying how many there were.
pub(crate) fn settle_source<'a>(
    path: &Path,
    text: &'a str,
    warnings: &mut Vec<Diagnostic>,
) -> Cow<'a, str> {
    let Some(at) = text.find(is_unsettled) else {
        return Cow::Borrowed(text);
    };
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    let first = text[at..].chars().next().unwrap_or('\u{FFFD}');
    let count = text[at..].chars().filter(|&c| is_unsettled(c)).count();
    warnings.push(Diagnostic::warning(
        crate::error::Code::BadCharacter,
        path,
        line,
        col,
        describe(first, count, "in this file"),
    ));
    settled(text)
}

/// What was done to `first` (and to `count - 1` more, found `scope`), for a warning.
pub(crate) fn describe(first: char, count: usize, scope: &str) -> String {
    let code = format!("U+{:04X}", u32::from(first));
    let mut message = match settle(first) {
        None => format!("control character {code} removed (no output can show it)"),
        Some(' ') => format!("control character {code} replaced by a space"),
        _ => format!("{code} is not a character any output can hold; replaced by U+FFFD"),
    };
    if count > 1 {
        message.push_str(&format!(
            " (and {} more such characters {scope})",
            count - 1
        ));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        assert_eq!(settled("a\u{1}b\tc\nd\re"), "ab\tc\nd\re");
        assert_eq!(settled("a\u{B}b\u{C}c\u{85}d"), "a b c d");
        assert_eq!(
            settled("\u{0}\u{FFFE}\u{FFFF}\u{FDD0}\u{1FFFE}\u{10FFFF}"),
            "\u{FFFD}".repeat(6)
        );
        assert_eq!(settled("\u{7F}\u{80}\u{9F}x"), "x");
        assert!(matches!(
            settled("plain café \u{FFFD} \u{E000}"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn one_warning_at_the_first() {
        let mut w = Vec::new();
        let out = settle_source(Path::new("a.md"), "ok\nab\u{1}c\u{2}\u{FFFE}\n", &mut w);
        assert_eq!(out, "ok\nabc\u{FFFD}\n");
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].col), (2, 3));
        assert_eq!(
            w[0].message,
            "control character U+0001 removed (no output can show it) (and 2 more such characters in this file)"
        );
    }
}
