//! Repairs for pasted plain text (`.txt` sources): a bare first line as the title, indented
//! lines read as text (not as code), and paragraphs that copy-paste split in the middle of a
//! sentence joined again, or, when a split cannot be told from a paragraph end, a warning.
//!
//! The rules, for two top-level paragraphs separated only by blank lines (any number of them):
//!
//! - **join** when the first ends mid-sentence (in a letter or digit, a comma or a semicolon,
//!   possibly followed by closing quotes or brackets: `the "reform"`, `(see above)`) and the
//!   second starts in lower case (any script with case; after opening quotes or brackets; a
//!   leading number, with or without a currency sign, counts as lower case when a lower-case
//!   word follows it: `3 million`, `20 percent`, `£40, according to`, but not the date line
//!   `12 March 2024`);
//! - **warn** (and keep both) when the first ends in a letter or digit with no punctuation at
//!   all and the second starts with a capital: a split before a capital cannot be told from a
//!   paragraph that simply lacks its full stop;
//! - neither when the first paragraph is the document's bare first line (the title), nor when
//!   the second is a *label*: short (every line under [`SHORT`] characters) and without any
//!   final punctuation, like the byline and date lines under a pasted article's title
//!   (`by Jane Doe`, `updated 12 March 2024`) or a subheading; the tail of a real split ends
//!   like a sentence (`The company said` / `that it grew.` is joined);
//! - no warning either when the first is short (a title, byline or date line: bylines and
//!   dates stack at the top of an article without punctuation).
//!
//! Scripts without case (Chinese, Arabic, Hebrew...) never join or warn: nothing tells a
//! paragraph's start from a sentence's middle there. Lists, quotes, headings, tables and code
//! are never joined: only top-level paragraphs, as pulldown-cmark itself finds them.

use crate::doc::{Block, Inline};
use crate::error::Diagnostic;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use std::path::Path;

/// A paragraph all of whose lines are shorter than this (in characters) reads as a title, a
/// byline, a date line or a subheading rather than prose.
const SHORT: usize = 40;

/// Repairs the body of a `.txt` source (`first_line` is its first line's number in the file,
/// after any front matter), warning about splits it cannot decide. The result has exactly as
/// many lines as `body`: a join drops the blank lines between the parts and puts them back
/// after the joined paragraph, so every later block keeps its line for diagnostics.
pub fn prepare(path: &Path, body: &str, first_line: u32, warnings: &mut Vec<Diagnostic>) -> String {
    // Indentation first, so that an indented part of a split paragraph is prose like the rest.
    let text = dedent_code(body);
    let lines: Vec<&str> = text.split('\n').collect();
    let source: Vec<&str> = body.split('\n').collect();
    let paras = top_paragraphs(&text);
    let mut dropped = vec![false; lines.len()];
    let mut put_back = vec![0; lines.len()];
    // The blank lines dropped by the chain of joins being built.
    let mut owed = 0;
    for (k, p) in paras.iter().enumerate() {
        let next = paras.get(k + 1).filter(|q| {
            let gap = lines.get(p.last + 1..q.first);
            gap.is_some_and(|gap| gap.iter().all(|l| blank(l)))
        });
        match next.map(|q| (q, verdict(&lines, p, q))) {
            Some((q, Verdict::Join)) => {
                dropped[p.last + 1..q.first].fill(true);
                owed += q.first - p.last - 1;
                continue;
            }
            Some((q, Verdict::Warn)) => {
                // The column in the file, before any indentation was removed.
                let col = source[q.first]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .count();
                warnings.push(Diagnostic::warning(
                    crate::error::Code::SplitParagraph,
                    path,
                    first_line + q.first as u32,
                    col as u32 + 1,
                    format!(
                        "this paragraph may continue the one ending at line {} \
                         (copy-paste split?); join them if so",
                        first_line + p.last as u32
                    ),
                ));
            }
            _ => {}
        }
        put_back[p.last] = owed;
        owed = 0;
    }
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if !dropped[i] {
            out.push(*line);
        }
        out.extend(std::iter::repeat_n("", put_back[i]));
    }
    out.join("\n")
}

/// What to do with two paragraphs separated only by blank lines.
#[derive(Debug, PartialEq)]
enum Verdict {
    Join,
    Warn,
    Keep,
}

/// A top-level paragraph: its first and last line (0-based, in the body).
#[derive(Debug)]
struct Para {
    first: usize,
    last: usize,
}

/// The verdict on `p` followed by `q`. When `p` is itself the tail of a join, the rules still
/// hold: a tail that ends without punctuation was joined only because it is long.
fn verdict(lines: &[&str], p: &Para, q: &Para) -> Verdict {
    // The bare first line is the title (see `title_from_first_line`), whatever follows it: a
    // title over a byline such as `by Jane Doe` must not become one sentence.
    let is_title = lines[..p.first].iter().all(|l| blank(l))
        && p.first == p.last
        && bare_title(lines[p.first].trim());
    if is_title {
        return Verdict::Keep;
    }
    let short = |x: &Para| {
        lines[x.first..=x.last]
            .iter()
            .all(|l| l.trim().chars().count() < SHORT)
    };
    let label = short(q) && ending(lines[q.last]) == End::Bare;
    let end = ending(lines[p.last]);
    match opening(lines[q.first]) {
        Start::Lower if end != End::Closed && !label => Verdict::Join,
        Start::Upper if end == End::Bare && !label && !short(p) => Verdict::Warn,
        _ => Verdict::Keep,
    }
}

/// How a paragraph's last line ends.
#[derive(Debug, PartialEq)]
enum End {
    /// In a letter or digit: no punctuation at all.
    Bare,
    /// In a comma or semicolon, or a letter, digit, comma or semicolon inside closing quotes or
    /// brackets: mid-sentence, but too weak a sign to warn about when a capital follows.
    Open,
    /// Anything else (`.`, `!`, `?`, `:`, `…`, a dash, markup): a paragraph may end here.
    Closed,
}

/// Closing quotes and brackets, which do not end a sentence by themselves.
const CLOSERS: &[char] = &['"', '\'', '’', '”', '»', '›', ')', ']'];
/// Currency signs written before amounts.
const CURRENCY: &[char] = &['$', '£', '€', '¥', '₹'];
/// Opening quotes and brackets (and Spanish opening marks), skipped to find the first letter.
const OPENERS: &[char] = &['"', '\'', '‘', '“', '„', '‚', '«', '‹', '(', '[', '¿', '¡'];

fn ending(line: &str) -> End {
    let t = line.trim_end();
    if t.chars().last().is_some_and(char::is_alphanumeric) {
        return End::Bare;
    }
    match t.trim_end_matches(CLOSERS).chars().last() {
        Some(c) if c.is_alphanumeric() || c == ',' || c == ';' => End::Open,
        _ => End::Closed,
    }
}

/// How a paragraph's first line starts.
#[derive(Debug, PartialEq)]
enum Start {
    Lower,
    Upper,
    /// Punctuation, a script without case, a number not followed by a lower-case word.
    Other,
}

fn opening(line: &str) -> Start {
    let t = line.trim_start().trim_start_matches(OPENERS);
    // A currency sign belongs to the number after it: `£40`, `$3 million`.
    let t = match t.strip_prefix(CURRENCY) {
        Some(n) if n.starts_with(|c: char| c.is_numeric()) => n,
        _ => t,
    };
    match t.chars().next() {
        Some(c) if c.is_lowercase() => Start::Lower,
        Some(c) if c.is_uppercase() => Start::Upper,
        Some(c) if c.is_numeric() => {
            // A number carries no case: the word after it decides. `3 million people`,
            // `20 percent`, `1990s`, `40, according to` continue a sentence; `12 March 2024`
            // and `2024.` may not.
            let rest = t
                .trim_start_matches(|c: char| c.is_numeric() || ".,:/%".contains(c))
                .trim_start();
            if rest.chars().next().is_some_and(char::is_lowercase) {
                Start::Lower
            } else {
                Start::Other
            }
        }
        _ => Start::Other,
    }
}

/// A blank line as Markdown sees it (spaces and tabs only; `\r` of CRLF files too).
fn blank(line: &str) -> bool {
    line.trim_matches([' ', '\t', '\r']).is_empty()
}

/// The byte offset where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// Removes the indentation of the lines Markdown would read as an indented code block: in
/// pasted text, an indented line is a paragraph's first-line indent or a quotation set off,
/// never code (a fenced block stays code: it was written on purpose). Only those lines are
/// touched, so the indentation of list items' continuation lines keeps its meaning.
fn dedent_code(body: &str) -> String {
    let starts = line_starts(body);
    let mut lines: Vec<&str> = body.split('\n').collect();
    for (event, range) in Parser::new_ext(body, super::markdown::options()).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) = event {
            let end = range.end.saturating_sub(1).max(range.start);
            for line in &mut lines[line_of(&starts, range.start)..=line_of(&starts, end)] {
                *line = line.trim_start();
            }
        }
    }
    lines.join("\n")
}

/// The paragraphs of `text` that are not inside a list, quote, footnote or other container.
fn top_paragraphs(text: &str) -> Vec<Para> {
    let starts = line_starts(text);
    let mut depth = 0usize;
    let mut paras = Vec::new();
    for (event, range) in Parser::new_ext(text, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 && matches!(tag, Tag::Paragraph) {
                    let len = text[range.clone()].trim_end().len();
                    paras.push(Para {
                        first: line_of(&starts, range.start),
                        last: line_of(&starts, range.start + len.saturating_sub(1)),
                    });
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    paras
}

/// Whether a lone first line reads as a title: not empty, at most 120 characters, and not
/// ending like a sentence or a clause.
fn bare_title(text: &str) -> bool {
    !text.is_empty() && text.chars().count() <= 120 && !text.ends_with(['.', ',', ';', ':'])
}

/// Makes a bare, short first line the document's level-1 heading (so it becomes the title).
pub fn title_from_first_line(blocks: &mut [Block]) {
    if blocks.len() < 2 {
        return;
    }
    let Some(Block::Paragraph { content, loc }) = blocks.first() else {
        return;
    };
    let one_line = !content
        .iter()
        .any(|i| matches!(i, Inline::SoftBreak | Inline::HardBreak));
    let text = crate::doc::plain_text(content);
    if one_line && bare_title(text.trim()) {
        blocks[0] = Block::Heading {
            level: 1,
            id: String::new(),
            classes: Vec::new(),
            attrs: Vec::new(),
            content: content.clone(),
            loc: *loc,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::{prepare, SHORT};
    use crate::error::Diagnostic;
    use std::path::Path;

    /// `prepare` on a body starting at line 1, with the warnings' `line: message` texts.
    fn run(src: &str) -> (String, Vec<String>) {
        run_at(src, 1)
    }

    fn run_at(src: &str, first_line: u32) -> (String, Vec<String>) {
        let mut warnings: Vec<Diagnostic> = Vec::new();
        let out = prepare(Path::new("a.txt"), src, first_line, &mut warnings);
        assert_eq!(
            out.split('\n').count(),
            src.split('\n').count(),
            "line count changed:\n{src:?}\n{out:?}"
        );
        let w = warnings
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
            .collect();
        (out, w)
    }

    /// A line long enough not to read as a title or byline.
    const LONG: &str = "The council met on Tuesday to discuss the budget for next year";

    #[test]
    fn joins_over_any_number_of_blank_lines() {
        for gap in 1..=3 {
            let blanks = "\n".repeat(gap);
            let src = format!("Title\n\n{LONG}\n{blanks}and agreed.\n\nNext one.\n");
            let (out, w) = run(&src);
            // The blank lines come back after the joined paragraph: `Next one.` keeps its
            // line (6 + gap), as in the source.
            let put_back = "\n".repeat(gap);
            assert_eq!(
                out,
                format!("Title\n\n{LONG}\nand agreed.\n{put_back}\nNext one.\n"),
                "gap {gap}"
            );
            assert!(w.is_empty(), "{w:?}");
        }
    }

    #[test]
    fn joins_a_chain_and_keeps_later_lines() {
        let src = format!(
            "Title\n\n{LONG},\n\nwhich took long;\n\n\n\
             as expected, it ran late into the night and the\n\n\
             chair said: Parliament votes now.\n# Next\n\n{LONG}\n\nParliament votes now.\n"
        );
        let (out, w) = run(&src);
        assert_eq!(
            out,
            format!(
                "Title\n\n{LONG},\nwhich took long;\n\
                 as expected, it ran late into the night and the\n\
                 chair said: Parliament votes now.\n\n\n\n\n# Next\n\n{LONG}\n\n\
                 Parliament votes now.\n"
            )
        );
        assert_eq!(out.lines().position(|l| l == "# Next"), Some(10));
        // Line numbers after the joins are the source's.
        assert_eq!(
            w,
            [
                "15:1: this paragraph may continue the one ending at line 13 (copy-paste split?); \
              join them if so"
            ]
        );
        // Two short pieces join when the second ends like a sentence; not when it is a label.
        let (out, _) = run("Title\n\nThe company said\n\nthat it grew.\n");
        assert_eq!(out, "Title\n\nThe company said\nthat it grew.\n\n");
        let kept = format!("Kicker\n\n{LONG}\n\nby Jane Doe, Economics Correspondent\n");
        assert_eq!(run(&kept).0, kept);
    }

    #[test]
    fn what_counts_as_mid_sentence_and_lower_case() {
        let joined = |a: &str, b: &str| {
            let src = format!("{LONG}\n\n{a}\n\n{b}\n");
            run(&src).0 == format!("{LONG}\n\n{a}\n{b}\n\n")
        };
        // Endings: no punctuation, comma, semicolon, and those inside closing quotes/brackets.
        for a in [
            "it said that the plan",
            "it said in 2024",
            "it said, in short,",
            "it said;",
            "the so-called \"reform\"",
            "(see above)",
            "\u{201c}yes,\u{201d}",
        ] {
            assert!(joined(&format!("{LONG} {a}"), "went ahead."), "{a}");
        }
        for a in [
            "it ended.",
            "it ended!",
            "it ended?",
            "as follows:",
            "\"Stop.\"",
            "it —",
        ] {
            assert!(!joined(&format!("{LONG} {a}"), "went ahead."), "{a}");
        }
        // Starts: lower case in any cased script, after opening quotes, or a number followed
        // by a lower-case word.
        for b in [
            "went ahead.",
            "éclairs were served.",
            "\u{447}\u{442}\u{43e} \u{431}\u{44b}\u{43b}\u{43e}.",
            "\u{3b4}\u{3b5}\u{3bd} \u{3ae}\u{3c1}\u{3b8}\u{3b5}.",
            "\u{201c}and then\u{201d} it ended.",
            "(and then) it ended.",
            "3 million people came.",
            "3.5 percent more.",
            "20% of them.",
            "£40, according to the charity.",
            "$3 million was spent.",
        ] {
            assert!(joined(LONG, b), "{b}");
        }
        for b in [
            "Went ahead.",
            "12 March 2024",
            "£40 Million Deal",
            "by Jane Doe",
            "2024.",
            "\u{4ed6}\u{8bf4}\u{3002}",
            "\u{5d4}\u{5d5}\u{5d0}",
            "- a list",
            "> a quote",
        ] {
            assert!(!joined(LONG, b), "{b}");
        }
    }

    #[test]
    fn title_byline_and_date_lines_stay() {
        // The first line is the title even when a lower-case byline follows it; a short line
        // over another short one is a title, byline or date line.
        let src = format!(
            "A very long title for an article about the budget of the council\n\n\
             by Jane Doe\n\nupdated 12 March 2024\n\nBy Jane Doe\n\n{LONG}\n"
        );
        let (out, w) = run(&src);
        assert_eq!(out, src);
        assert!(w.is_empty(), "{w:?}");
        assert!(SHORT > "updated 12 March 2024".len());
    }

    #[test]
    fn an_undecidable_split_warns_with_both_lines() {
        let src = format!("Title\n\n{LONG}\n\n\nParliament would vote on it.\n");
        let (out, w) = run_at(&src, 4);
        assert_eq!(out, src);
        assert_eq!(
            w,
            [
                "9:1: this paragraph may continue the one ending at line 6 (copy-paste split?); \
              join them if so"
            ]
        );
    }

    #[test]
    fn no_warning_for_titles_bylines_subheadings_or_punctuation() {
        for src in [
            // The document's first line, however long.
            format!("{LONG}\n\nParliament would vote on it.\n"),
            // A byline, a date line, a short unpunctuated paragraph.
            format!("Title\n\nBy Jane Doe\n\nMarch 12 2024\n\n{LONG}.\n"),
            // A subheading after a paragraph without its full stop.
            format!("Title\n\n{LONG}\n\nWhat happens next\n\n{LONG}.\n"),
            // Any punctuation at the end of the first part.
            format!("Title\n\n{LONG}:\n\nParliament would vote on it.\n"),
            format!("Title\n\n{LONG},\n\nParliament would vote on it.\n"),
            format!("Title\n\n{LONG}.\n\nParliament would vote on it.\n"),
            // Not prose: a list, a heading, a fenced block.
            format!("Title\n\n- {LONG}\n\nParliament would vote on it.\n"),
            format!("Title\n\n## {LONG}\n\nParliament would vote on it.\n"),
            format!("Title\n\n```\n{LONG}\n\nParliament would vote on it.\n```\n"),
        ] {
            let (_, w) = run(&src);
            assert!(w.is_empty(), "{src:?}: {w:?}");
        }
    }

    #[test]
    fn indented_lines_are_text_not_code() {
        let src = "Title\n\n    An indented paragraph,\n\tand a tab.\n\n        deeper\n";
        let (out, _) = run(src);
        assert_eq!(
            out,
            "Title\n\nAn indented paragraph,\nand a tab.\n\ndeeper\n"
        );
        // An indented paragraph takes part in joins like any other.
        let (out, _) = run(&format!("Title\n\n{LONG}\n\n    and agreed.\n"));
        assert_eq!(out, format!("Title\n\n{LONG}\nand agreed.\n\n"));
        // Fenced code, and the continuation lines of list items, keep their indentation.
        let kept = "Title\n\n```\n    code\n```\n\n1. item\n\n    more of the item\n";
        assert_eq!(run(kept).0, kept);
    }
}
