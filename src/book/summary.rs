//! `SUMMARY.md`: the table of contents of an mdBook book.
//!
//! [`parse`] reads the file the way mdBook 0.5 (`mdbook-summary`) does, so a book that builds
//! with mdBook gets the same chapters, in the same order, with the same numbers here, and a file
//! mdBook rejects is rejected here too (with a line number and a plain message).
//!
//! The layout mdBook expects, top to bottom:
//!
//! 1. an optional title, a level-1 heading (`# Summary`), possibly after HTML comments;
//! 2. prefix chapters: plain links `[Title](file.md)` and separators `---`, unnumbered;
//! 3. the numbered part: lists of links `- [Title](file.md)` (or `*`), nested to any depth,
//!    separators, and part titles (`# Part I`) between the lists;
//! 4. suffix chapters: plain links and separators after the numbered part, unnumbered.
//!
//! mdBook does not parse this grammar strictly: it walks pulldown-cmark's event stream with a
//! small state machine and skips what it does not recognise. This module walks the same stream
//! with the same decisions, so the quirks match as well. The ones worth knowing:
//!
//! - The first level-1 heading is the book title when nothing but HTML comes before it, even if
//!   it was meant as a part title.
//! - Numbering runs on across lists and part titles (the first chapter after `# Part II` follows
//!   the last top-level chapter before it); it never restarts.
//! - A paragraph after a numbered list ends the numbered part: from there on only plain links
//!   and separators may come, and a later list or level-1 heading is an error. The one paragraph
//!   that does not end it is the one right after a part title; mdBook skips that paragraph
//!   (links in it included) without a word.
//! - In a list item only the first link counts; text after it is ignored, but anything other
//!   than a link before it is an error. Headings, rules and links that are not the first thing
//!   of an item, and blocks such as quotes or code between the lists, are ignored.
//! - If one item is followed by two nested lists (with something in between), the second
//!   replaces the first.
//! - In link destinations only `%20` is decoded (to a space); anything else, a `#fragment`
//!   included, is kept as written, and `[Title]()` (or `[Title](<>)`) is a draft chapter.
//! - Titles are the plain text of the link or heading: text and inline code are kept (code
//!   without its backticks), a line break inside the text becomes a space, formatting marks and
//!   HTML tags are dropped, an image leaves its alt text, and an empty link text gives an empty
//!   title (mdBook accepts it).
//! - The same file may be listed only once (paths compared component by component, so
//!   `a//b.md` and `a/b.md` are the same file, but `./a.md` and `a.md` are not).
//!
//! What mdBook does not have: chapters may be nested at most [`MAX_DEPTH`] levels (mdBook
//! recurses without a limit), and the walk here uses no recursion at all.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{
    CowStr, DefaultBrokenLinkCallback, Event, HeadingLevel, OffsetIter, Parser, Tag, TagEnd,
};

/// One entry of SUMMARY.md, in reading order (nested chapters flattened, depth-first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A chapter (prefix, numbered or suffix).
    Chapter {
        /// Link text as plain text.
        title: String,
        /// Link destination relative to the folder of SUMMARY.md, as written (percent-decoded as mdBook does); None for a draft chapter `[Title]()`.
        path: Option<String>,
        /// mdBook's section number, e.g. [3, 1] for "3.1."; None for prefix and suffix chapters.
        number: Option<Vec<u32>>,
        /// Nesting depth from 1 (prefix/suffix chapters are 1).
        depth: u8,
        /// 1-based line in SUMMARY.md.
        line: u32,
    },
    /// A part title (`# Part I`).
    Part { title: String, line: u32 },
    /// A separator (`---`).
    Separator { line: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The optional `# Title` at the top.
    pub title: Option<String>,
    /// Every entry in reading order.
    pub entries: Vec<Entry>,
}

/// What is wrong, and where (1-based line; 0 when it concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SummaryError {
    pub line: u32,
    pub message: String,
}

/// The deepest nesting of numbered chapters accepted (a chapter's depth is a `u8`).
pub const MAX_DEPTH: usize = u8::MAX as usize;

/// Reads `SUMMARY.md` (its whole text) as mdBook does.
pub fn parse(text: &str) -> Result<Summary, SummaryError> {
    let mut reader = Reader::new(text);
    let title = reader.title();
    let prefix = reader.affix(Affix::Prefix)?;
    let numbered = reader.numbered_part()?;
    let suffix = reader.affix(Affix::Suffix)?;
    let entries = reader.flatten([prefix, numbered, suffix]);
    check_duplicates(&entries)?;
    Ok(Summary { title, entries })
}

/// mdBook's display of a number: [3, 1] -> "3.1."
pub fn number_label(number: &[u32]) -> String {
    if number.is_empty() {
        // mdBook shows an empty section number as a bare zero.
        return "0".to_owned();
    }
    let mut label = String::with_capacity(number.len() * 3);
    for part in number {
        label.push_str(&part.to_string());
        label.push('.');
    }
    label
}

/// A chapter while the file is being read; nested chapters are indices into `Reader::nodes`.
#[derive(Debug, Default)]
struct Node {
    title: String,
    path: Option<String>,
    number: Option<Vec<u32>>,
    line: u32,
    children: Vec<usize>,
}

/// A top-level item of one of the three sections.
#[derive(Debug)]
enum Item {
    Chapter(usize),
    Part { title: String, line: u32 },
    Separator { line: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affix {
    Prefix,
    Suffix,
}

/// One list being read: the chapters found in it so far, and whose sub-chapters they are.
struct Frame {
    /// The number of the chapter the list hangs under (empty for a top-level list).
    parent_number: Vec<u32>,
    /// Added to the last component of every number in this list: top-level lists carry on
    /// from the chapters of earlier lists, nested lists start at 1.
    carried: u32,
    /// The chapter this list belongs to (None for a top-level list).
    owner: Option<usize>,
    chapters: Vec<usize>,
}

/// The event stream with one event of look-back, as mdBook reads it.
struct Reader<'a> {
    events: OffsetIter<'a, DefaultBrokenLinkCallback>,
    /// An event handed back to be read again, with its byte offset.
    pending: Option<(Event<'a>, usize)>,
    /// Byte offset of the last event read through `next`.
    offset: usize,
    /// Byte offsets of every `\n`, for line numbers.
    newlines: Vec<usize>,
    nodes: Vec<Node>,
}

fn is_h1(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }
    )
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Reader {
            // No extensions: mdBook reads SUMMARY.md as plain CommonMark.
            events: Parser::new(text).into_offset_iter(),
            pending: None,
            offset: 0,
            newlines,
            nodes: Vec::new(),
        }
    }

    fn line_at(&self, offset: usize) -> u32 {
        let line = self.newlines.partition_point(|&nl| nl < offset) + 1;
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    fn line(&self) -> u32 {
        self.line_at(self.offset)
    }

    fn error(&self, message: String) -> SummaryError {
        SummaryError {
            line: self.line(),
            message,
        }
    }

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some((event, offset)) = self.pending.take() {
            self.offset = offset;
            return Some(event);
        }
        let (event, range) = self.events.next()?;
        self.offset = range.start;
        Some(event)
    }

    /// Hands the event just read back, so the next `next` returns it again.
    fn back(&mut self, event: Event<'a>) {
        self.pending = Some((event, self.offset));
    }

    /// The plain text up to the end tag `end` (the start tag has been read), as mdBook turns a
    /// link or heading into a title.
    fn text_until(&mut self, end: TagEnd) -> String {
        let mut text = String::new();
        loop {
            let event = match self.pending.take() {
                Some((event, _)) => event,
                None => match self.events.next() {
                    Some((event, _)) => event,
                    None => break,
                },
            };
            match event {
                Event::End(tag) if tag == end => break,
                Event::Text(s) | Event::Code(s) => text.push_str(&s),
                Event::SoftBreak => text.push(' '),
                _ => {}
            }
        }
        text
    }

    /// The title: a level-1 heading before anything but HTML.
    fn title(&mut self) -> Option<String> {
        loop {
            match self.next()? {
                Event::Start(tag) if is_h1(&tag) => {
                    return Some(self.text_until(TagEnd::Heading(HeadingLevel::H1)));
                }
                Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::HtmlBlock)
                | Event::End(TagEnd::HtmlBlock) => {}
                other => {
                    self.back(other);
                    return None;
                }
            }
        }
    }

    /// Reads the rest of a link whose start tag was just read, as a new chapter.
    fn link(&mut self, dest: CowStr<'a>, number: Option<Vec<u32>>) -> usize {
        let line = self.line();
        let title = self.text_until(TagEnd::Link);
        let path = if dest.is_empty() {
            None
        } else {
            Some(dest.replace("%20", " "))
        };
        self.nodes.push(Node {
            title,
            path,
            number,
            line,
            children: Vec::new(),
        });
        self.nodes.len() - 1
    }

    /// Prefix or suffix chapters: every link becomes a chapter, every rule a separator, the rest
    /// is ignored. A list or a level-1 heading ends the prefix chapters and is an error among
    /// the suffix chapters.
    fn affix(&mut self, kind: Affix) -> Result<Vec<Item>, SummaryError> {
        let mut items = Vec::new();
        // Where this section starts (for suffix chapters: the paragraph that ended the
        // numbered part).
        let mut section_start = None;
        while let Some(event) = self.next() {
            let start_line = *section_start.get_or_insert(self.line());
            match event {
                Event::Start(ref tag) if matches!(tag, Tag::List(_)) || is_h1(tag) => {
                    if kind == Affix::Prefix {
                        self.back(event);
                        break;
                    }
                    let what = if is_h1(tag) {
                        "a part title (a `#` heading)"
                    } else {
                        "a list of numbered chapters"
                    };
                    return Err(self.error(format!(
                        "{what} cannot come here: the numbered chapters ended with the \
                         paragraph on line {start_line}, and after that only unnumbered links \
                         `[Title](file.md)` and separators `---` may follow"
                    )));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let chapter = self.link(dest_url, None);
                    items.push(Item::Chapter(chapter));
                }
                Event::Rule => items.push(Item::Separator { line: self.line() }),
                _ => {}
            }
        }
        Ok(items)
    }

    /// The numbered part: lists, separators and part titles, up to the first paragraph that
    /// is not right after a part title.
    fn numbered_part(&mut self) -> Result<Vec<Item>, SummaryError> {
        let mut items = Vec::new();
        // Top-level chapters so far: numbering carries on across lists and parts.
        let mut carried = 0u32;
        loop {
            let part = match self.next() {
                None => break,
                Some(event @ Event::Start(Tag::Paragraph)) => {
                    self.back(event);
                    break;
                }
                Some(Event::Start(ref tag)) if is_h1(tag) => {
                    let line = self.line();
                    let title = self.text_until(TagEnd::Heading(HeadingLevel::H1));
                    Some(Item::Part { title, line })
                }
                Some(event) => {
                    self.back(event);
                    None
                }
            };
            let chapters = self.part_body(&mut carried)?;
            items.extend(part);
            items.extend(chapters);
        }
        Ok(items)
    }

    /// What follows a part title (or starts the numbered part), up to the next part title or
    /// the paragraph that starts the suffix chapters.
    fn part_body(&mut self, carried: &mut u32) -> Result<Vec<Item>, SummaryError> {
        let mut items = Vec::new();
        // A paragraph as the very first thing (right after a part title) is skipped over;
        // any later one starts the suffix chapters.
        let mut first = true;
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::Paragraph) if !first => {
                    self.back(event);
                    break;
                }
                // Only the start tag of that first paragraph is passed over: its content goes
                // through the arms below like anything else.
                Event::Start(Tag::Paragraph) => {}
                Event::Start(ref tag) if is_h1(tag) => {
                    self.back(event);
                    break;
                }
                Event::Start(Tag::List(_)) => {
                    let chapters = self.list(*carried)?;
                    let count = u32::try_from(chapters.len()).unwrap_or(u32::MAX);
                    *carried = carried.saturating_add(count);
                    items.extend(chapters.into_iter().map(Item::Chapter));
                }
                Event::Start(tag) => {
                    // Anything else is skipped up to the first end tag of the same kind.
                    let end = Event::End(TagEnd::from(tag));
                    while let Some(event) = self.next() {
                        if event == end {
                            break;
                        }
                    }
                }
                Event::Rule => items.push(Item::Separator { line: self.line() }),
                _ => {}
            }
            first = false;
        }
        Ok(items)
    }

    /// A list of numbered chapters whose start tag was just read, with every list nested in
    /// it; returns its top-level chapters. Nested lists are kept on an explicit stack.
    fn list(&mut self, carried: u32) -> Result<Vec<usize>, SummaryError> {
        let mut stack = vec![Frame {
            parent_number: Vec::new(),
            carried,
            owner: None,
            chapters: Vec::new(),
        }];
        loop {
            let event = self.next();
            let Some(frame) = stack.last_mut() else {
                return Ok(Vec::new());
            };
            match event {
                Some(Event::Start(Tag::Item)) => {
                    let index = u32::try_from(frame.chapters.len()).unwrap_or(u32::MAX);
                    let mut number = frame.parent_number.clone();
                    number.push(index.saturating_add(1).saturating_add(frame.carried));
                    let chapter = self.list_item(number)?;
                    frame.chapters.push(chapter);
                }
                Some(Event::Start(Tag::List(_))) => {
                    // A list inside an item: the sub-chapters of the last chapter read.
                    let Some(&owner) = frame.chapters.last() else {
                        continue;
                    };
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.error(format!(
                            "chapters are nested more than {MAX_DEPTH} levels deep"
                        )));
                    }
                    let parent_number = self.nodes[owner].number.clone().unwrap_or_default();
                    stack.push(Frame {
                        parent_number,
                        carried: 0,
                        owner: Some(owner),
                        chapters: Vec::new(),
                    });
                }
                Some(Event::End(TagEnd::List(_))) => {
                    if let Some(done) = self.close(&mut stack) {
                        return Ok(done);
                    }
                }
                Some(_) => {}
                None => {
                    // Cannot happen (pulldown-cmark closes every list), but finish cleanly.
                    loop {
                        if let Some(done) = self.close(&mut stack) {
                            return Ok(done);
                        }
                        if stack.is_empty() {
                            return Ok(Vec::new());
                        }
                    }
                }
            }
        }
    }

    /// Ends the innermost list: a nested list becomes the sub-chapters of its owner (replacing
    /// any earlier ones, as in mdBook); the top-level list's chapters are returned.
    fn close(&mut self, stack: &mut Vec<Frame>) -> Option<Vec<usize>> {
        let frame = stack.pop()?;
        match frame.owner {
            Some(owner) => {
                self.nodes[owner].children = frame.chapters;
                None
            }
            None => Some(frame.chapters),
        }
    }

    /// A list item whose start tag was just read: it must start with a link.
    fn list_item(&mut self, number: Vec<u32>) -> Result<usize, SummaryError> {
        loop {
            match self.next() {
                Some(Event::Start(Tag::Paragraph)) => {}
                Some(Event::Start(Tag::Link { dest_url, .. })) => {
                    return Ok(self.link(dest_url, Some(number)));
                }
                other => {
                    let found = describe(other.as_ref());
                    return Err(self.error(format!(
                        "a numbered chapter must be a list item holding just a link, like \
                         `- [Title](file.md)` (or `- [Title]()` for a draft), but this item \
                         starts with {found}"
                    )));
                }
            }
        }
    }

    /// The three sections' items as entries, nested chapters after their parent.
    fn flatten(&mut self, sections: [Vec<Item>; 3]) -> Vec<Entry> {
        let mut entries = Vec::new();
        let mut todo = Vec::new();
        for item in sections.into_iter().flatten() {
            match item {
                Item::Part { title, line } => entries.push(Entry::Part { title, line }),
                Item::Separator { line } => entries.push(Entry::Separator { line }),
                Item::Chapter(root) => {
                    todo.push(root);
                    while let Some(index) = todo.pop() {
                        let node = std::mem::take(&mut self.nodes[index]);
                        let depth = node.number.as_ref().map_or(1, |n| n.len());
                        entries.push(Entry::Chapter {
                            title: node.title,
                            path: node.path,
                            number: node.number,
                            depth: u8::try_from(depth).unwrap_or(u8::MAX),
                            line: node.line,
                        });
                        todo.extend(node.children.into_iter().rev());
                    }
                }
            }
        }
        entries
    }
}

/// What a list item starts with, in words, for the error when it is not a link.
fn describe(event: Option<&Event<'_>>) -> &'static str {
    match event {
        None => "nothing (the file ends)",
        Some(Event::End(TagEnd::Item)) => "nothing (it is empty)",
        Some(Event::Text(_)) => {
            "plain text (a chapter link needs its file in parentheses right after the title)"
        }
        Some(Event::Code(_)) => "inline code",
        Some(Event::Start(Tag::List(_))) => "another list",
        Some(Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => {
            "formatting (put `*` or `**` inside the link text instead)"
        }
        Some(Event::Start(Tag::Image { .. })) => "an image",
        Some(Event::Start(Tag::Heading { .. })) => "a heading",
        Some(Event::Start(Tag::CodeBlock(_))) => "a code block",
        Some(Event::Start(Tag::BlockQuote(_))) => "a block quote",
        Some(Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_)) => "HTML",
        Some(Event::Rule) => "a horizontal rule",
        Some(Event::SoftBreak | Event::HardBreak) => "a line break",
        Some(_) => "something other than a link",
    }
}

/// mdBook refuses a file listed twice (drafts have no file and never clash).
fn check_duplicates(entries: &[Entry]) -> Result<(), SummaryError> {
    let mut seen: HashMap<&Path, u32> = HashMap::new();
    for entry in entries {
        if let Entry::Chapter {
            path: Some(path),
            line,
            ..
        } = entry
        {
            if let Some(first) = seen.insert(Path::new(path), *line) {
                return Err(SummaryError {
                    line: *line,
                    message: format!(
                        "the file `{path}` is already listed on line {first}; each file can be \
                         only one chapter"
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(title: &str, path: Option<&str>, number: Option<&[u32]>, line: u32) -> Entry {
        Entry::Chapter {
            title: title.to_owned(),
            path: path.map(str::to_owned),
            number: number.map(<[u32]>::to_vec),
            depth: number.map_or(1, |n| u8::try_from(n.len()).unwrap()),
            line,
        }
    }

    fn part(title: &str, line: u32) -> Entry {
        Entry::Part {
            title: title.to_owned(),
            line,
        }
    }

    fn sep(line: u32) -> Entry {
        Entry::Separator { line }
    }

    fn entries(text: &str) -> Vec<Entry> {
        match parse(text) {
            Ok(summary) => summary.entries,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn error(text: &str) -> SummaryError {
        match parse(text) {
            Ok(summary) => panic!("expected an error, got {summary:?}"),
            Err(e) => e,
        }
    }

    /// (title, number label) of every chapter, for compact checks.
    fn numbers(text: &str) -> Vec<(String, String)> {
        entries(text)
            .into_iter()
            .filter_map(|e| match e {
                Entry::Chapter { title, number, .. } => {
                    Some((title, number.map_or(String::new(), |n| number_label(&n))))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn whole_book_layout() {
        let text = "\
# Summary

[Preface](preface.md)
[Foreword](foreword.md)

---

- [One](one.md)
  - [One A](one/a.md)
- [Two](two.md)

---

[Afterword](afterword.md)

---

[License](license.md)
";
        let summary = parse(text).unwrap();
        assert_eq!(summary.title.as_deref(), Some("Summary"));
        assert_eq!(
            summary.entries,
            vec![
                ch("Preface", Some("preface.md"), None, 3),
                ch("Foreword", Some("foreword.md"), None, 4),
                sep(6),
                ch("One", Some("one.md"), Some(&[1]), 8),
                ch("One A", Some("one/a.md"), Some(&[1, 1]), 9),
                ch("Two", Some("two.md"), Some(&[2]), 10),
                sep(12),
                ch("Afterword", Some("afterword.md"), None, 14),
                sep(16),
                ch("License", Some("license.md"), None, 18),
            ]
        );
    }

    #[test]
    fn no_title_and_empty_file() {
        assert_eq!(parse("").unwrap(), Summary::default());
        let summary = parse("- [A](a.md)\n").unwrap();
        assert_eq!(summary.title, None);
        assert_eq!(summary.entries, vec![ch("A", Some("a.md"), Some(&[1]), 1)]);
    }

    #[test]
    fn title_after_html_comment_and_setext_title() {
        let summary = parse("<!-- generated -->\n\n# My *Great* `Book`\n\n- [A](a.md)\n").unwrap();
        assert_eq!(summary.title.as_deref(), Some("My Great Book"));
        assert_eq!(summary.entries, vec![ch("A", Some("a.md"), Some(&[1]), 5)]);

        let summary = parse("Contents\n========\n[A](a.md)\n").unwrap();
        assert_eq!(summary.title.as_deref(), Some("Contents"));
        assert_eq!(summary.entries, vec![ch("A", Some("a.md"), None, 3)]);
    }

    #[test]
    fn leading_heading_is_the_title_not_a_part() {
        // mdBook takes the first `#` heading as the title even when it names a part.
        let summary = parse("# Part I\n- [A](a.md)\n# Part II\n- [B](b.md)\n").unwrap();
        assert_eq!(summary.title.as_deref(), Some("Part I"));
        assert_eq!(
            summary.entries,
            vec![
                ch("A", Some("a.md"), Some(&[1]), 2),
                part("Part II", 3),
                ch("B", Some("b.md"), Some(&[2]), 4),
            ]
        );
    }

    #[test]
    fn parts_continue_numbering() {
        let text = "\
# Summary

[Intro](intro.md)

# Basics

- [First](first.md)
    - [First A](first-a.md)
- [Second](second.md)

# Advanced `Topics`

- [Third](third.md)
  - [Third A](third-a.md)

# Empty part

# Last

* [Fourth](fourth.md)
";
        assert_eq!(
            entries(text),
            vec![
                ch("Intro", Some("intro.md"), None, 3),
                part("Basics", 5),
                ch("First", Some("first.md"), Some(&[1]), 7),
                ch("First A", Some("first-a.md"), Some(&[1, 1]), 8),
                ch("Second", Some("second.md"), Some(&[2]), 9),
                part("Advanced Topics", 11),
                ch("Third", Some("third.md"), Some(&[3]), 13),
                ch("Third A", Some("third-a.md"), Some(&[3, 1]), 14),
                part("Empty part", 16),
                part("Last", 18),
                ch("Fourth", Some("fourth.md"), Some(&[4]), 20),
            ]
        );
    }

    #[test]
    fn nested_numbering_to_depth_four() {
        let text = "\
- [A](a.md)
  - [A1](a1.md)
    - [A1a](a1a.md)
      - [A1a-i](a1ai.md)
      - [A1a-ii](a1aii.md)
    - [A1b](a1b.md)
  - [A2](a2.md)
- [B](b.md)
  * [B1](b1.md)
";
        assert_eq!(
            entries(text),
            vec![
                ch("A", Some("a.md"), Some(&[1]), 1),
                ch("A1", Some("a1.md"), Some(&[1, 1]), 2),
                ch("A1a", Some("a1a.md"), Some(&[1, 1, 1]), 3),
                ch("A1a-i", Some("a1ai.md"), Some(&[1, 1, 1, 1]), 4),
                ch("A1a-ii", Some("a1aii.md"), Some(&[1, 1, 1, 2]), 5),
                ch("A1b", Some("a1b.md"), Some(&[1, 1, 2]), 6),
                ch("A2", Some("a2.md"), Some(&[1, 2]), 7),
                ch("B", Some("b.md"), Some(&[2]), 8),
                ch("B1", Some("b1.md"), Some(&[2, 1]), 9),
            ]
        );
    }

    #[test]
    fn loose_lists_and_tab_indentation() {
        let text = "- [A](a.md)\n\n- [B](b.md)\n\n\t- [B1](b1.md)\n\n- [C](c.md)\n";
        assert_eq!(
            numbers(text),
            [("A", "1."), ("B", "2."), ("B1", "2.1."), ("C", "3.")]
                .map(|(t, n)| (t.to_owned(), n.to_owned()))
        );
    }

    #[test]
    fn numbering_carries_on_across_separators_comments_and_subheadings() {
        let text = "\
- [A](a.md)
---
- [B](b.md)
<!-- a comment -->
- [C](c.md)

## Not a part (ignored)

- [D](d.md)
  - [D1](d1.md)
";
        assert_eq!(
            entries(text),
            vec![
                ch("A", Some("a.md"), Some(&[1]), 1),
                sep(2),
                ch("B", Some("b.md"), Some(&[2]), 3),
                ch("C", Some("c.md"), Some(&[3]), 5),
                ch("D", Some("d.md"), Some(&[4]), 9),
                ch("D1", Some("d1.md"), Some(&[4, 1]), 10),
            ]
        );
    }

    #[test]
    fn separators_between_prefix_and_suffix_chapters() {
        let text = "[A](a.md)\n\n---\n\n***\n\n[B](b.md)\n\n- [C](c.md)\n\n[D](d.md)\n\n---\n";
        assert_eq!(
            entries(text),
            vec![
                ch("A", Some("a.md"), None, 1),
                sep(3),
                sep(5),
                ch("B", Some("b.md"), None, 7),
                ch("C", Some("c.md"), Some(&[1]), 9),
                ch("D", Some("d.md"), None, 11),
                sep(13),
            ]
        );
    }

    #[test]
    fn draft_chapters_keep_their_numbers() {
        let text = "[Draft intro]()\n\n- [A](a.md)\n- [B]()\n  - [B1](<>)\n  - [B2](b2.md)\n- [C](c.md)\n\n[Later]()\n";
        assert_eq!(
            entries(text),
            vec![
                ch("Draft intro", None, None, 1),
                ch("A", Some("a.md"), Some(&[1]), 3),
                ch("B", None, Some(&[2]), 4),
                ch("B1", None, Some(&[2, 1]), 5),
                ch("B2", Some("b2.md"), Some(&[2, 2]), 6),
                ch("C", Some("c.md"), Some(&[3]), 7),
                ch("Later", None, None, 9),
            ]
        );
    }

    #[test]
    fn titles_are_plain_text() {
        let text = "\
- [The `match` Control Flow](match.md)
- [*Emphasis* and **strong** and <b>html</b>](em.md)
- [Two
  lines](two.md)
- [Entities &amp; \\*escapes\\*](ent.md)
- [![logo](logo.png) Logo](logo.md)
- [](empty.md)
";
        assert_eq!(
            numbers(text)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>(),
            [
                "The match Control Flow",
                "Emphasis and strong and html",
                "Two lines",
                "Entities & *escapes*",
                "logo Logo",
                "",
            ]
        );
    }

    #[test]
    fn link_destinations() {
        let text = "\
- [Space](my%20file.md)
- [Angle](<other file.md>)
- [Fragment](chapter.md#section)
- [Other escapes](a%2Fb%C3%A9.md)
- [Dot](./sub/../x.md)
- [Escaped](paren\\).md)
- [Reference][ref]

[ref]: ref%20target.md
";
        let paths: Vec<_> = entries(text)
            .into_iter()
            .map(|e| match e {
                Entry::Chapter { path, .. } => path.unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            paths,
            [
                "my file.md",
                "other file.md",
                "chapter.md#section",
                "a%2Fb%C3%A9.md",
                "./sub/../x.md",
                "paren).md",
                "ref target.md",
            ]
        );
    }

    #[test]
    fn ignored_content_as_in_mdbook() {
        // Text after the link of an item, headings other than `#`, code blocks and quotes
        // between lists, and prose among prefix chapters are all ignored.
        let text = "\
Some words before [A](a.md) and more.

## Heading [B](b.md)

- [C](c.md) trailing text [ignored](ignored.md)

```
- [Not](not.md)
```

> quoted

- [D](d.md)
";
        assert_eq!(
            entries(text),
            vec![
                ch("A", Some("a.md"), None, 1),
                ch("B", Some("b.md"), None, 3),
                ch("C", Some("c.md"), Some(&[1]), 5),
                ch("D", Some("d.md"), Some(&[2]), 13),
            ]
        );
    }

    #[test]
    fn paragraph_right_after_a_part_title_is_skipped() {
        // mdBook silently drops the first paragraph after a part title, links included.
        let text = "# Title\n\n- [A](a.md)\n\n# Part\n\n[Lost](lost.md)\n\n- [B](b.md)\n";
        assert_eq!(
            entries(text),
            vec![
                ch("A", Some("a.md"), Some(&[1]), 3),
                part("Part", 5),
                ch("B", Some("b.md"), Some(&[2]), 9),
            ]
        );
    }

    #[test]
    fn list_right_under_a_prefix_link_starts_the_numbered_part() {
        // No nesting under prefix chapters: the list simply begins the numbered chapters.
        let text = "[Intro](intro.md)\n  - [A](a.md)\n";
        assert_eq!(
            entries(text),
            vec![
                ch("Intro", Some("intro.md"), None, 1),
                ch("A", Some("a.md"), Some(&[1]), 2),
            ]
        );
    }

    #[test]
    fn second_nested_list_replaces_the_first() {
        let text =
            "- [A](a.md)\n  - [Gone](gone.md)\n\n  text\n\n  - [Kept](kept.md)\n- [B](b.md)\n";
        assert_eq!(
            entries(text),
            vec![
                ch("A", Some("a.md"), Some(&[1]), 1),
                ch("Kept", Some("kept.md"), Some(&[1, 1]), 6),
                ch("B", Some("b.md"), Some(&[2]), 7),
            ]
        );
    }

    #[test]
    fn error_item_without_link() {
        let e = error("# Summary\n\n- [A](a.md)\n  - Plain text\n");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("plain text"), "{}", e.message);

        // A `[Title]` without a destination is not a link.
        assert_eq!(error("- [A](a.md)\n- [B]\n").line, 2);
        // Neither is a link wrapped in formatting.
        let e = error("- [A](a.md)\n\n- **[B](b.md)**\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("formatting"), "{}", e.message);
    }

    #[test]
    fn error_empty_item_and_list_in_item() {
        let e = error("- [A](a.md)\n-\n- [B](b.md)\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("empty"), "{}", e.message);

        let e = error("- [A](a.md)\n- - [B](b.md)\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("another list"), "{}", e.message);
    }

    #[test]
    fn error_list_after_suffix_chapters() {
        let text = "- [A](a.md)\n\n[Suffix](suffix.md)\n\n- [B](b.md)\n";
        let e = error(text);
        assert_eq!(e.line, 5);
        assert!(e.message.contains("line 3"), "{}", e.message);
        assert!(e.message.contains("list"), "{}", e.message);

        // A list may interrupt the suffix paragraph: still an error, on its own line.
        assert_eq!(error("- [A](a.md)\n\n[S](s.md)\n* [B](b.md)\n").line, 4);
        // Stray prose between lists ends the numbered part in the same way.
        assert_eq!(error("- [A](a.md)\n\nNotes.\n\n- [B](b.md)\n").line, 5);
    }

    #[test]
    fn error_part_title_after_suffix_chapters() {
        let e = error("- [A](a.md)\n\n[S](s.md)\n\n# Part\n\n- [B](b.md)\n");
        assert_eq!(e.line, 5);
        assert!(e.message.contains("part title"), "{}", e.message);
    }

    #[test]
    fn error_duplicate_file() {
        let e = error("[A](a.md)\n\n- [B](b.md)\n  - [C](c.md)\n  - [A again](a.md)\n");
        assert_eq!(e.line, 5);
        assert!(e.message.contains("`a.md`"), "{}", e.message);
        assert!(e.message.contains("line 1"), "{}", e.message);
        // Paths are compared as paths, as mdBook does.
        assert_eq!(error("- [A](x//a.md)\n- [B](x/a.md)\n").line, 2);
        assert!(parse("- [A](./a.md)\n- [B](a.md)\n").is_ok());
        // Drafts never clash.
        assert!(parse("- [A]()\n- [B]()\n").is_ok());
    }

    #[test]
    fn error_display() {
        let e = error("- nope\n");
        assert_eq!(e.to_string(), format!("line 1: {}", e.message));
        assert!(!e.message.contains("Event"), "{}", e.message);
    }

    #[test]
    fn number_labels() {
        assert_eq!(number_label(&[3, 1]), "3.1.");
        assert_eq!(number_label(&[12]), "12.");
        assert_eq!(number_label(&[1, 2, 3, 4]), "1.2.3.4.");
        assert_eq!(number_label(&[]), "0");
    }

    /// A list nested `levels` deep, one chapter per level, each indented under the last.
    fn nested(levels: usize) -> String {
        let mut text = String::new();
        for level in 0..levels {
            text.push_str(&"  ".repeat(level));
            text.push_str(&format!("- [L{level}](l{level}.md)\n"));
        }
        text
    }

    #[test]
    fn depth_limit() {
        let entries = entries(&nested(MAX_DEPTH));
        assert_eq!(entries.len(), MAX_DEPTH);
        match entries.last() {
            Some(Entry::Chapter { number, depth, .. }) => {
                assert_eq!(usize::from(*depth), MAX_DEPTH);
                assert_eq!(number.as_deref(), Some(&[1; MAX_DEPTH][..]));
            }
            other => panic!("{other:?}"),
        }
        let e = error(&nested(MAX_DEPTH + 1));
        assert_eq!(e.line, u32::try_from(MAX_DEPTH + 1).unwrap());
        assert!(e.message.contains("nested"), "{}", e.message);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let deep = 10_000;
        let inputs = [
            format!("{}[a](a.md)\n", "- ".repeat(deep)),
            format!("{}- [a](a.md)\n", "> ".repeat(deep)),
            format!("- [a](a.md)\n{}\n", "  > - [b](b.md)\n".repeat(deep)),
            "[".repeat(deep),
            format!("- [{}](a.md)", "*".repeat(deep)),
            format!("{}{}", "<!--".repeat(deep), "# T\n"),
            "\u{feff}# Summary\r\n\r\n- [A](a.md)\r\n\u{0}\u{fffd}".to_owned(),
            nested(2_000),
        ];
        for text in &inputs {
            let _ = parse(text);
        }

        // Random text over an alphabet of SUMMARY.md syntax.
        const PIECES: &[&str] = &[
            "-",
            "*",
            "+",
            "[",
            "]",
            "(",
            ")",
            "#",
            "\n",
            " ",
            "  ",
            "\t",
            ">",
            "`",
            "<!--",
            "-->",
            "a",
            "é",
            ".md",
            "%20",
            "1.",
            "!",
            "\\",
            "<",
            "_",
            "=",
            "---\n",
            "\n\n",
            "- [a](a.md)\n",
            "  - [b](b.md)\n",
            "[c]()",
            "\r\n",
            "&amp;",
            "```\n",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % bound as u64).unwrap()
        };
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..random(80) {
                text.push_str(PIECES[random(PIECES.len())]);
            }
            let lines = u32::try_from(text.lines().count().max(1)).unwrap();
            match parse(&text) {
                Ok(summary) => {
                    for entry in summary.entries {
                        let line = match entry {
                            Entry::Chapter { line, depth, .. } => {
                                assert!(depth >= 1);
                                line
                            }
                            Entry::Part { line, .. } | Entry::Separator { line } => line,
                        };
                        assert!((1..=lines + 1).contains(&line), "{text:?}");
                    }
                }
                Err(e) => assert!((1..=lines + 1).contains(&e.line), "{text:?}: {e}"),
            }
        }
    }

    #[test]
    fn rust_book_summary() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/rust-book/src/SUMMARY.md"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("note: {path} is missing; skipping the Rust book check");
            return;
        };
        let summary = parse(&text).unwrap();
        assert_eq!(
            summary.title.as_deref(),
            Some("The Rust Programming Language")
        );
        assert_eq!(summary.entries.len(), 111);
        let chapters: Vec<(String, Option<String>)> = summary
            .entries
            .iter()
            .map(|e| match e {
                Entry::Chapter { title, number, .. } => {
                    (title.clone(), number.as_deref().map(number_label))
                }
                other => panic!("only chapters expected, got {other:?}"),
            })
            .collect();
        let number_of = |title: &str| {
            chapters
                .iter()
                .find(|(t, _)| t == title)
                .and_then(|(_, n)| n.clone())
        };
        let prefix: Vec<_> = chapters.iter().take_while(|(_, n)| n.is_none()).collect();
        assert_eq!(prefix.len(), 3);
        assert_eq!(prefix[1].0, "Foreword");
        assert!(chapters.iter().skip(3).all(|(_, n)| n.is_some()));
        assert_eq!(number_of("Getting Started").as_deref(), Some("1."));
        assert_eq!(number_of("Installation").as_deref(), Some("1.1."));
        assert_eq!(number_of("Hello, Cargo!").as_deref(), Some("1.3."));
        assert_eq!(
            number_of("Programming a Guessing Game").as_deref(),
            Some("2.")
        );
        assert_eq!(number_of("Appendix").as_deref(), Some("22."));
        assert_eq!(number_of("A - Keywords").as_deref(), Some("22.1."));
        assert_eq!(
            number_of("G - How Rust is Made and “Nightly Rust”").as_deref(),
            Some("22.7.")
        );
        match summary
            .entries
            .iter()
            .find(|e| matches!(e, Entry::Chapter { title, .. } if title == "Installation"))
        {
            Some(Entry::Chapter {
                path, depth, line, ..
            }) => {
                assert_eq!(path.as_deref(), Some("ch01-01-installation.md"));
                assert_eq!(*depth, 2);
                assert_eq!(*line, 8);
            }
            other => panic!("{other:?}"),
        }
    }
}
