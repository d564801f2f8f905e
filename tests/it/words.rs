//! "Every word of the source, in order": the words a reader sees in a Markdown source, the words
//! of an output's text, and the check that the first appear in the second in the same order.
//!
//! The same idea as `../shared/tools/bindery-check words`, written by hand without regexes:
//! front matter, footnote bodies and references, images, link targets, fence lines and HTML tags
//! are left out of the source; table cells are checked by presence only, since text extraction may
//! reorder table rows and columns, and so are the captions of HTML figures and tables
//! (`<figcaption>`, `<caption>`): a figure may float to the top of the next page, where a PDF's
//! text reads its caption after the text that follows it in the source.

#![allow(dead_code)] // used by the backend test modules

use std::collections::BTreeSet;

/// The source's body words in order, and its table-cell words (order free), both tokenised.
pub fn source_words(md: &str) -> (Vec<String>, Vec<String>) {
    let (md, captions) = split_captions(md);
    let body = visible(&md);
    let (mut prose, mut table) = (String::new(), visible(&captions));
    for line in body.lines() {
        let trimmed = line.trim_start_matches(' ');
        let target = if line.len() - trimmed.len() <= 3 && trimmed.starts_with('|') {
            &mut table
        } else {
            &mut prose
        };
        // A right-to-left run inside a left-to-right line (an Arabic name in an English
        // sentence) is drawn in UAX #9's order, as browsers draw it, but pdftotext puts such
        // runs back together by its own rule (it splits them at neutral punctuation such as
        // `:` or `«`), so their words' order is not comparable: their presence is. Lines
        // wholly in one direction keep the ordered check.
        let rtl_word = |w: &str| w.chars().any(is_rtl_letter);
        if line.chars().any(is_rtl_letter)
            && line.chars().any(|c| c.is_alphabetic() && !is_rtl_letter(c))
        {
            let (rtl, ltr): (Vec<String>, Vec<String>) =
                text_words(line).into_iter().partition(|w| rtl_word(w));
            target.push_str(&ltr.join(" "));
            target.push('\n');
            table.push_str(&rtl.join(" "));
            table.push('\n');
            continue;
        }
        target.push_str(line);
        target.push('\n');
    }
    (text_words(&prose), text_words(&table))
}

/// `md` without the captions of its HTML figures and tables (each replaced by as many line
/// breaks as it held), and those captions, one a line.
fn split_captions(md: &str) -> (String, String) {
    // ASCII lower-casing keeps every byte offset.
    let lower = md.to_ascii_lowercase();
    let (mut rest, mut captions) = (String::with_capacity(md.len()), String::new());
    let mut at = 0;
    loop {
        let next = ["<figcaption", "<caption"]
            .into_iter()
            .filter_map(|tag| lower[at..].find(tag).map(|k| (at + k, tag)))
            .min();
        let Some((start, tag)) = next else { break };
        let close = format!("</{}>", &tag[1..]);
        let Some(end) = lower[start..].find(&close).map(|k| start + k + close.len()) else {
            break;
        };
        rest.push_str(&md[at..start]);
        rest.push_str(&"\n".repeat(md[start..end].matches('\n').count()));
        captions.push_str(&md[start..end].replace('\n', " "));
        captions.push('\n');
        at = end;
    }
    rest.push_str(&md[at..]);
    (rest, captions)
}

/// A letter of a right-to-left script (Hebrew, Arabic and their presentation forms).
fn is_rtl_letter(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF) && c.is_alphabetic()
}

/// Whether `c` is an East Asian wide character that CSS Text 3 joins across a line break with
/// no space (Han, kana, CJK punctuation, fullwidth forms; Hangul is spaced, so not here).
fn is_cjk_solid(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Checks that every body word of `md` appears in `output_text` in order and every table word
/// appears somewhere; the error says which word is missing, with its source context.
pub fn words_in_order(md: &str, output_text: &str) -> Result<usize, String> {
    let (src, cells) = source_words(md);
    let out = text_words(output_text);
    let have: BTreeSet<&str> = out.iter().map(String::as_str).collect();
    let lost: BTreeSet<&str> = cells
        .iter()
        .map(String::as_str)
        .filter(|c| !have.contains(c))
        .collect();
    if !lost.is_empty() {
        return Err(format!(
            "table words missing: {}",
            lost.into_iter().take(20).collect::<Vec<_>>().join(" ")
        ));
    }
    let mut i = 0;
    for (j, t) in src.iter().enumerate() {
        while i < out.len() && &out[i] != t {
            i += 1;
        }
        if i == out.len() {
            let ctx = src[j.saturating_sub(5)..(j + 5).min(src.len())].join(" ");
            return Err(format!(
                "word {} of {} ('{t}') not found in order; source context: {ctx}",
                j + 1,
                src.len()
            ));
        }
        i += 1;
    }
    Ok(src.len())
}

/// Lower-cased word tokens of extracted text: ligatures spelled out, words hyphenated across
/// lines joined, dashes and soft hyphens treated as separators or removed.
pub fn text_words(text: &str) -> Vec<String> {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => s.push_str("ff"),
            '\u{FB01}' => s.push_str("fi"),
            '\u{FB02}' => s.push_str("fl"),
            '\u{FB03}' => s.push_str("ffi"),
            '\u{FB04}' => s.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => s.push_str("st"),
            _ => s.push(c),
        }
    }
    let joined = join_line_hyphens(&s);
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in joined.chars() {
        if c == '\u{AD}' {
            continue;
        }
        if c.is_alphanumeric() || c == '_' || is_mark(c) && !cur.is_empty() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Combining marks that follow a letter belong to its word (Vietnamese, decomposed accents).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Removes a hyphen (or soft hyphen) that ends a line together with the line break and the next
/// line's indentation, so a word broken across lines reads as one.
fn join_line_hyphens(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A line break between two CJK characters is no space: the text runs on (a line of
        // Japanese may break inside what the source holds as one word).
        if c == '\n' && out.chars().last().is_some_and(is_cjk_solid) {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && is_cjk_solid(chars[j]) {
                i = j;
                continue;
            }
        }
        if matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{AD}') {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\n' && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '\n' {
                j += 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The reader-visible part of a Markdown source (words still need tokenising).
fn visible(md: &str) -> String {
    let md = strip_front_matter(md);
    let mut kept = String::with_capacity(md.len());
    let mut in_note = false;
    let mut lines = md.lines().peekable();
    while let Some(line) = lines.next() {
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if is_note_definition(line) {
            in_note = true;
            continue;
        }
        if in_note {
            // A note body continues on indented lines, and across blank lines before more of them.
            let next_indented = lines
                .peek()
                .is_some_and(|n| n.starts_with("    ") || n.starts_with('\t'));
            if indented || (line.trim().is_empty() && next_indented) {
                continue;
            }
            in_note = false;
        }
        // Fences count inside block quotes too (`> ```rust`).
        let t = line.trim_start().trim_start_matches(['>', ' ']);
        if t.starts_with("```") || t.starts_with("~~~") {
            continue; // fence lines and their info strings are not text
        }
        kept.push_str(line);
        kept.push('\n');
    }
    strip_inline_markup(&kept)
}

/// The source without a leading `---` YAML or `+++` TOML block.
fn strip_front_matter(md: &str) -> &str {
    for delim in ["---", "+++"] {
        let Some(rest) = md.strip_prefix(delim).and_then(|r| r.strip_prefix('\n')) else {
            continue;
        };
        let mut offset = md.len() - rest.len();
        for line in rest.split_inclusive('\n') {
            offset += line.len();
            if line.trim_end_matches('\n') == delim {
                return &md[offset..];
            }
        }
    }
    md
}

/// `[^label]: text` at the start of a line.
fn is_note_definition(line: &str) -> bool {
    line.strip_prefix("[^")
        .and_then(|r| r.find("]:").map(|i| !r[..i].contains(']')))
        .unwrap_or(false)
}

/// Removes note references, images, HTML tags and TeX math (a formula is set as symbols, not
/// words; the math tests check its glyphs), and keeps link texts without their targets.
fn strip_inline_markup(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = math_end(s, i) {
            out.push(' ');
            i = end;
            continue;
        }
        if b[i..].starts_with(b"[^") {
            if let Some(end) = s[i..].find(']') {
                i += end + 1;
                continue;
            }
        }
        if b[i..].starts_with(b"![") {
            if let Some(end) = bracket_then_paren(s, i + 1) {
                i = end;
                continue;
            }
        }
        if b[i] == b'[' {
            if let Some(end) = bracket_then_paren(s, i) {
                let text_end = s[i..].find("](").map(|k| i + k).unwrap_or(i);
                out.push_str(&s[i + 1..text_end]);
                i = end;
                continue;
            }
        }
        if b[i] == b'<' {
            let rest = &s[i + 1..];
            let autolink = rest.starts_with("http:")
                || rest.starts_with("https:")
                || rest.starts_with("mailto:")
                || rest
                    .split('>')
                    .next()
                    .is_some_and(|t| t.contains('@') && !t.contains(' '));
            if !autolink {
                if let Some(end) = tag_end(rest) {
                    out.push(' ');
                    i += end + 2;
                    continue;
                }
            }
        }
        let c = s[i..].chars().next().expect("in bounds");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// For TeX math starting at byte `i` (`$$...$$`, or `$...$` on one line with no space just
/// inside the dollars and no digit right after the closing one), the byte just past it.
fn math_end(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i..)?;
    if let Some(body) = rest.strip_prefix("$$") {
        return body.find("$$").map(|k| i + 2 + k + 2);
    }
    let body = rest.strip_prefix('$')?;
    if body.starts_with([' ', '$']) || body.is_empty() {
        return None;
    }
    let line = body.split('\n').next().unwrap_or("");
    let close = line.find('$')?;
    let after = line[close + 1..].chars().next();
    if close == 0 || line[..close].ends_with(' ') || after.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(i + 1 + close + 1)
}

/// The offset of the `>` closing a tag whose text (after `<`) is `rest`: a `>` inside a quoted
/// attribute value (`caption="Option<T>"`) does not close it.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// For `[text](target)` starting at byte `open` (the `[`), the byte just past the `)`.
fn bracket_then_paren(s: &str, open: usize) -> Option<usize> {
    let rest = &s[open..];
    let close = rest.find(']')?;
    if rest[1..close].contains('\n') && rest[1..close].contains("\n\n") {
        return None;
    }
    let after = &rest[close + 1..];
    if !after.starts_with('(') {
        return None;
    }
    let paren = after.find(')')?;
    Some(open + close + 1 + paren + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_words_leave_out_markup() {
        let md = "---\ntitle: T\n---\n# Head\n\nSee [the *docs*](http://x.org/y) and ![pic](a.png).[^n]\n\n\
                  ```rust\nlet x = 1;\n```\n\n| A | B |\n|---|---|\n| cell | two |\n\n[^n]: A note\n    more note\n\nAfter <span>tag</span>.\n";
        let (words, cells) = source_words(md);
        assert_eq!(
            words,
            ["head", "see", "the", "docs", "and", "let", "x", "1", "after", "tag"]
        );
        assert_eq!(cells, ["a", "b", "cell", "two"]);
        // TeX math is symbols, not words; dollars in prose are not maths.
        let (words, _) = source_words("Sum $x^2 + y$ and $$\\frac{1}{2}$$ costs $5 and $6.\n");
        assert_eq!(words, ["sum", "and", "costs", "5", "and", "6"]);
    }

    #[test]
    fn output_words_rejoin_hyphens_and_ligatures() {
        assert_eq!(
            text_words("ef\u{FB01}cient type-\n   setting — done"),
            ["efficient", "typesetting", "done"]
        );
    }

    #[test]
    fn order_is_checked() {
        let md = "one two three\n\n| x |\n|---|\n| cell |\n";
        assert_eq!(words_in_order(md, "One, two;\nthree. cell x"), Ok(3));
        assert!(words_in_order(md, "two one three cell x")
            .unwrap_err()
            .contains("'two'"));
        assert!(words_in_order(md, "one three two cell x").is_err());
        assert!(words_in_order(md, "one two three x")
            .unwrap_err()
            .contains("cell"));
        // A floated figure's caption is read after the text that follows it: order free.
        let md = "Before.\n\n<figure>\n<img src=\"a.png\" alt=\"\">\n<figcaption>The Caption\n</figcaption>\n</figure>\n\nAfter.\n";
        assert_eq!(words_in_order(md, "Before. After. The Caption"), Ok(2));
        assert!(
            words_in_order(md, "Before. After.").is_err(),
            "a caption must be there"
        );
    }
}
