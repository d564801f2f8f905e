//! Text fidelity: `pdftotext` gives back every word of the source, in order (words.rs), and a
//! failure names every lost word with its source line.

use super::{body_of, body_text, built, content_files, fixture, Built};
use crate::util::shared_file;
use crate::words::{source_words, text_words};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Source constructs words.rs does not know yet, rewritten so only reader-visible words stay:
/// heading attribute blocks (`# Title {#id}`), ordered list numbers, task-list boxes (`- [x]`), link reference
/// definitions (`[label]: url`), reference links (`[text][label]` keeps `text`), the HTML
/// entities of raw HTML (`&vert;`), HTML comments, `<sub>`/`<sup>` tags (no word break), and code lines of more than 72 characters without a space
/// (such a line can only be wrapped mid-token; the torture test checks one character by
/// character instead).
pub fn normalise_source(md: &str) -> String {
    let md = &strip_comments(md);
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            } else if line.trim().chars().count() > 72 && !line.trim().contains(char::is_whitespace)
            {
                out.push('\n');
                continue;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let line = if t.starts_with('#') {
            let e = line.trim_end();
            match e.rfind(" {") {
                Some(at) if e.ends_with('}') => e[..at].to_owned(),
                _ => line.to_owned(),
            }
        } else if is_link_definition(line) {
            String::new()
        } else {
            let mut l = line.to_owned();
            for (box_, plain) in [("[x] ", ""), ("[X] ", ""), ("[ ] ", "")] {
                let marker = t.find(box_).filter(|&at| {
                    let head = &t[..at];
                    !head.is_empty()
                        && head
                            .trim_end()
                            .chars()
                            .all(|c| "-*+.0123456789>".contains(c) || c == ' ')
                });
                if let Some(at) = marker {
                    let indent = line.len() - t.len();
                    l.replace_range(indent + at..indent + at + box_.len(), plain);
                }
            }
            reference_links(&drop_list_number(&l))
        };
        let line = ["<sub>", "</sub>", "<sup>", "</sup>"]
            .iter()
            .fold(line, |l, tag| l.replace(tag, ""));
        out.push_str(&decode_entities(&line));
        out.push('\n');
    }
    out
}

/// Removes HTML comments (`<!-- ... -->`, also across lines) outside fenced code, keeping the
/// line count so reported line numbers stay right.
fn strip_comments(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut in_fence = false;
    let mut in_comment = false;
    for line in md.lines() {
        let t = line.trim_start();
        if !in_comment && (t.starts_with("```") || t.starts_with("~~~")) {
            in_fence = !in_fence;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut rest = line;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(e) => {
                        rest = &rest[e + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(s) => {
                        out.push_str(&rest[..s]);
                        out.push(' ');
                        rest = &rest[s + 4..];
                        in_comment = true;
                    }
                    None => {
                        out.push_str(rest);
                        break;
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}

/// `line` without the number of an ordered list marker (`1. `, `> 12) `): the renderer numbers
/// items itself (a list written `1.`, `1.`, `1.` prints 1, 2, 3), so the source's digits are
/// markup, not words.
fn drop_list_number(line: &str) -> String {
    let body = line.trim_start_matches([' ', '\t', '>']);
    let at = line.len() - body.len();
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let marker = (1..=9).contains(&digits)
        && body[digits..].starts_with(['.', ')'])
        && body[digits + 1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t');
    if !marker {
        return line.to_owned();
    }
    format!("{}{}", &line[..at], &body[digits + 1..])
}

/// `[label]: destination` at the start of a line (up to three spaces in), not a footnote.
fn is_link_definition(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    line.len() - t.len() <= 3
        && t.starts_with('[')
        && !t.starts_with("[^")
        && t.find("]:").is_some_and(|i| !t[1..i].contains(['[', ']']))
}

/// `[text][label]` and `[text][]` lose their label (the brackets are not word characters).
fn reference_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("][") {
        let Some(close) = rest[at + 2..].find(']') else {
            break;
        };
        let label = &rest[at + 2..at + 2 + close];
        if label.contains(['[', '(']) {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            continue;
        }
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = &rest[at + 2 + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The named entities raw HTML in the corpus uses, and numeric ones.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let name = end.map(|e| &rest[1..e]);
        let decoded = match name {
            Some("vert") => Some('|'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("amp") => Some('&'),
            Some("quot") => Some('"'),
            Some("nbsp") => Some(' '),
            Some(n) if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            Some(n) if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Word tokens of `text` (words.rs), each with its lam-alef pairs put in one order.
fn words(text: &str) -> Vec<String> {
    text_words(text).into_iter().map(|t| lam_alef(&t)).collect()
}

/// `t` with each run of Arabic lams and alefs (plain, madda, hamza above or below) sorted,
/// and without Arabic and Hebrew vowel marks.
/// Shaping draws lam + alef as one ligature glyph whose text is the pair in logical order, and
/// pdftotext, putting a right-to-left run into logical order, reverses that text character by
/// character (`السلام` comes back as `السالم`); so the order inside such a run is not
/// compared, while every other letter, and the letters of the run, still are. A mark (shadda,
/// tanween, a Hebrew point) drawn over its letter comes back before the letter or after it as
/// poppler orders the glyphs of a line, so marks are left out of the comparison: the letters
/// carry it.
fn lam_alef(t: &str) -> String {
    let is_run = |c: char| matches!(c, '\u{644}' | '\u{622}' | '\u{623}' | '\u{625}' | '\u{627}');
    let is_mark =
        |c: char| matches!(c as u32, 0x0591..=0x05C7 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED);
    let mut v: Vec<char> = t.chars().filter(|&c| !is_mark(c)).collect();
    let mut k = 0;
    while k < v.len() {
        let run = v[k..].iter().take_while(|&&c| is_run(c)).count();
        v[k..k + run].sort_unstable();
        k += run.max(1);
    }
    v.into_iter().collect()
}

/// A token without the underscores of `_emphasis_` (and of `_unused` names, on both sides).
fn norm(t: &str) -> &str {
    t.trim_matches('_')
}

/// Whether output token `o` shows source token `t`: the same, or `t` with a note number
/// glued on (pdftotext joins a superscript mark to the word before it).
fn shows(o: &str, t: &str) -> bool {
    o == t
        || o.strip_prefix(t)
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
}

/// Every source word of `md` missing from `text`, as `'word' (file:line)`: table-cell words by
/// presence, body words in order. Words that occur once in the source and once in the output
/// anchor the two sequences (the longest increasing run of them, as in a patience diff);
/// between anchors the words are matched greedily, so one lost word does not hide the others.
pub fn lost_words(md: &str, text: &str, file: &str) -> Vec<String> {
    let md = normalise_source(md);
    let (src, cells) = source_words(&md);
    let arabic = |v: Vec<String>| -> Vec<String> { v.iter().map(|t| lam_alef(t)).collect() };
    let (src, cells) = (arabic(src), arabic(cells));
    let src: Vec<&str> = src
        .iter()
        .map(|t| norm(t))
        .filter(|t| !t.is_empty())
        .collect();
    let out: Vec<String> = words(text);
    let out: Vec<&str> = out
        .iter()
        .map(|t| norm(t))
        .filter(|t| !t.is_empty())
        .collect();
    let line_of = source_lines(&md, &src);
    let mut lost = Vec::new();
    let have: BTreeSet<&str> = out.iter().copied().collect();
    for c in cells.iter().map(|c| norm(c)).filter(|c| !c.is_empty()) {
        if !have.contains(c) && !out.iter().any(|o| shows(o, c)) {
            lost.push(format!("'{c}' (a table cell)"));
        }
    }
    let mut anchors = anchors(&src, &out);
    anchors.push((src.len(), out.len()));
    let (mut j, mut i) = (0, 0);
    for (aj, ai) in anchors {
        // Greedy in-order matching of src[j..aj] inside out[i..ai].
        while j < aj {
            let t = src[j];
            // A compound broken at its own hyphen at a line end reads as one word (`wide-` +
            // `scale` gives `widescale`): accept it for the two source words.
            if j + 1 < aj {
                let joined = format!("{t}{}", src[j + 1]);
                if let Some(k) = (i..ai.min(i + 3)).find(|&k| shows(out[k], &joined)) {
                    i = k + 1;
                    j += 2;
                    continue;
                }
            }
            // A short reach: a word missing here must not drag the match far ahead.
            match (i..ai.min(i + 40)).find(|&k| shows(out[k], t)) {
                Some(k) => i = k + 1,
                None => lost.push(format!("'{t}' ({file}:{})", line_of[j])),
            }
            j += 1;
        }
        (j, i) = (aj + 1, ai + 1);
    }
    lost
}

/// Pairs (source index, output index) of words that occur exactly once on each side, reduced
/// to their longest run increasing on both sides.
fn anchors(src: &[&str], out: &[&str]) -> Vec<(usize, usize)> {
    let count = |v: &[&str]| {
        let mut m: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (i, t) in v.iter().enumerate() {
            m.entry((*t).to_owned()).or_insert((0, i)).0 += 1;
        }
        m
    };
    let (cs, co) = (count(src), count(out));
    let mut pairs: Vec<(usize, usize)> = cs
        .iter()
        .filter_map(|(t, &(n, j))| match co.get(t) {
            Some(&(1, k)) if n == 1 => Some((j, k)),
            _ => None,
        })
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence on the output index (patience sorting).
    let mut tails: Vec<usize> = Vec::new(); // index into pairs of the smallest tail per length
    let mut prev = vec![usize::MAX; pairs.len()];
    for (p, &(_, k)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&q| pairs[q].1 < k);
        if at > 0 {
            prev[p] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(p);
        } else {
            tails[at] = p;
        }
    }
    let mut run = Vec::new();
    let mut p = tails.last().copied().unwrap_or(usize::MAX);
    while p != usize::MAX {
        run.push(pairs[p]);
        p = prev[p];
    }
    run.reverse();
    run
}

/// The 1-based source line of each token of `src` (tokens of lines visible() leaves out
/// simply do not match).
fn source_lines(md: &str, src: &[&str]) -> Vec<usize> {
    let mut line_of = vec![0; src.len()];
    let mut p = 0;
    // Front matter words are not body words: start after a leading `---` block.
    let skip = match md.strip_prefix("---\n") {
        Some(rest) => rest.lines().position(|l| l == "---").map_or(0, |k| k + 2),
        None => 0,
    };
    for (n, line) in md.lines().enumerate().skip(skip) {
        for tok in words(line) {
            if p < src.len() && src[p] == norm(&tok) {
                line_of[p] = n + 1;
                p += 1;
            }
        }
    }
    line_of
}

/// The strict check: every normalised source word found in the output in order (greedy, as
/// words.rs does) and every table word present; `Err` names the first word that is not.
pub fn in_order(md: &str, text: &str) -> Result<(), String> {
    let md = normalise_source(md);
    let (src, cells) = source_words(&md);
    let arabic = |v: Vec<String>| -> Vec<String> { v.iter().map(|t| lam_alef(t)).collect() };
    let (src, cells) = (arabic(src), arabic(cells));
    let out: Vec<String> = words(text);
    let out: Vec<&str> = out
        .iter()
        .map(|t| norm(t))
        .filter(|t| !t.is_empty())
        .collect();
    for c in cells.iter().map(|c| norm(c)).filter(|c| !c.is_empty()) {
        if !out.iter().any(|o| shows(o, c)) {
            return Err(format!("table word '{c}' missing"));
        }
    }
    let src: Vec<&str> = src
        .iter()
        .map(|t| norm(t))
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    let mut j = 0;
    while j < src.len() {
        let t = src[j];
        if let (Some(next), Some(o)) = (src.get(j + 1), out.get(i)) {
            if shows(o, &format!("{t}{next}")) {
                i += 1;
                j += 2;
                continue;
            }
        }
        // A word hyphenated at the foot of a page whose notes come between its halves (the
        // tokens lose the hyphen): the next token is the word's start, and its rest begins a
        // token after the notes.
        if let Some(o) = out.get(i) {
            if o.chars().count() >= 2 && o.len() < t.len() && t.starts_with(o) {
                let rest = &t[o.len()..];
                let window = (i + 1..out.len().min(i + 2_000)).find(|&k| out[k].starts_with(rest));
                if let Some(k) = window {
                    i = k + 1;
                    j += 1;
                    continue;
                }
            }
        }
        match out[i..].iter().position(|o| shows(o, t)) {
            Some(k) => i += k + 1,
            None => {
                let ctx = src[j.saturating_sub(6)..(j + 6).min(src.len())].join(" ");
                return Err(format!(
                    "word {} of {} ('{t}') not found in order; context: {ctx}",
                    j + 1,
                    src.len()
                ));
            }
        }
        j += 1;
    }
    Ok(())
}

/// Asserts that the PDF of `src` keeps every word of it in order; on failure the panic lists
/// the words an anchored match finds lost, with their lines (a diagnosis, not the verdict).
#[track_caller]
pub fn assert_words(b: &Built, src: &Path) {
    let Some(text) = body_text(&b.pdf) else {
        return;
    };
    let md = std::fs::read_to_string(src).unwrap();
    if let Err(first) = in_order(&md, &text) {
        let lost = lost_words(&md, &text, &src.display().to_string());
        panic!(
            "{}: {first}\nwords the anchored match finds lost ({}), first 200:\n{}",
            b.pdf.display(),
            lost.len(),
            lost.iter()
                .take(200)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn source_normalisation_and_the_lost_word_finder() {
    assert_eq!(
        normalise_source("## Lists {#lists}\nText {x}\n- [x] done\n[a]: http://x\nSee [the *docs*][a] &vert; b\n"),
        "## Lists\nText {x}\n- done\n\nSee [the *docs*  | b\n"
    );
    let md = "alpha beta\ngamma delta epsilon\n\nzeta eta theta\n";
    assert_eq!(
        lost_words(md, "alpha gamma delta epsilon zeta eta theta", "f.md"),
        ["'beta' (f.md:1)"]
    );
    assert_eq!(
        lost_words(md, "alpha beta gamma delta2 epsilon zeta eta theta", "f.md"),
        Vec::<String>::new()
    );
    assert_eq!(
        lost_words(md, "alpha beta gamma epsilon delta zeta eta theta", "f.md").len(),
        1
    );
    assert_eq!(
        lost_words("a wide-scale b <!-- x\ny -->c\n", "a widescale b c", "f.md"),
        Vec::<String>::new()
    );
    // Ordered list numbers are the renderer's; the words of the items are still checked.
    let list = "1. one\n1. two\n   1) three\n";
    assert_eq!(normalise_source(list), " one\n two\n    three\n");
    assert!(in_order(list, "1. one\n2. two\n   1. three").is_ok());
    assert!(in_order(list, "1. one\n2.\n   1. three").is_err());
    assert_eq!(normalise_source("1.5 g\n2.x y\n"), "1.5 g\n2.x y\n");
    // A lam-alef ligature comes back from pdftotext with its two letters swapped.
    assert!(in_order("السلام عليكم", "السالم عليكم").is_ok());
    assert!(in_order("السلام عليكم", "السم عليكم").is_err());
    assert!(in_order("السلام عليكم", "السلام").is_err());
    // Running heads indented differently by `-layout` still go, and so do page numbers, so
    // a word hyphenated across the page break is joined.
    let pages = [
        "Title page\n".to_owned(),
        "     The Book\n\nthe successive mod-\n\n\n        2\n".to_owned(),
        "   The Book\n\nules until\n        3\n".to_owned(),
    ];
    assert_eq!(
        text_words(&body_of(&pages)),
        ["title", "page", "the", "successive", "modules", "until"]
    );
    assert!(in_order(md, "alpha beta gamma delta2 epsilon zeta eta theta").is_ok());
    assert!(in_order(md, "alpha gamma beta delta epsilon zeta eta theta").is_err());
}

#[test]
fn content_pdfs_keep_every_word() {
    for src in content_files() {
        assert_words(&built("content", &src), &src);
    }
}

#[test]
fn handout_pdf_keeps_every_word() {
    if let Some(h) = shared_file("corpus/handout/handout.md", "the handout word check") {
        assert_words(&built("shared-handout", &h), &h);
    }
}

#[test]
fn multilingual_pdf_keeps_every_word() {
    let src = fixture("multilingual.md");
    assert_words(&built("fixtures", &src), &src);
}

#[test]
fn torture_pdf_keeps_every_word() {
    let src = fixture("torture.md");
    assert_words(&built("fixtures", &src), &src);
}

#[test]
fn rust_book_pdf_keeps_every_word() {
    if let Some(book) = shared_file("corpus/rust-book/book.md", "the Rust book word check") {
        assert_words(&built("book", &book), &book);
    }
}
