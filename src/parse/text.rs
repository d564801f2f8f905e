//! Repairs for pasted plain text (`.txt` sources): a bare first line as the title, and
//! paragraphs that copy-paste split in the middle of a sentence joined again.

use crate::doc::{Block, Inline};

/// Joins blank-line-separated chunks that are really one paragraph: the first ends without
/// sentence-closing punctuation and the next starts with a lower-case letter. Line count is kept
/// (the blank line becomes a plain line break inside the paragraph) so diagnostics still point at
/// the right source line.
pub fn prepare(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    // Blank lines removed by a join are put back at the next paragraph break, so that lines
    // after the repaired paragraph keep their numbers for diagnostics.
    let mut owed = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            out.extend(std::iter::repeat_n("", owed));
            owed = 0;
        }
        out.push(line);
        if i + 2 < lines.len()
            && lines[i + 1].trim().is_empty()
            && ends_mid_sentence(line)
            && starts_lowercase(lines[i + 2])
        {
            owed += 1;
            i += 2;
            continue;
        }
        i += 1;
    }
    out.extend(std::iter::repeat_n("", owed));
    out.join("\n")
}

fn ends_mid_sentence(line: &str) -> bool {
    let t = line.trim_end();
    let Some(last) = t.chars().last() else {
        return false;
    };
    // Indented code, list items and headings are not prose.
    let lead = line.trim_start();
    if line.starts_with("    ")
        || lead.starts_with('#')
        || lead.starts_with("- ")
        || lead.starts_with("* ")
    {
        return false;
    }
    last.is_alphanumeric() || last == ','
}

fn starts_lowercase(line: &str) -> bool {
    line.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
        && !line.starts_with("    ")
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
    let text = text.trim();
    let short = !text.is_empty() && text.chars().count() <= 120;
    let sentence = text.ends_with(['.', ',', ';', ':']);
    if one_line && short && !sentence {
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
    use super::prepare;

    #[test]
    fn joins_split_sentences_only() {
        let src = "The board announced\n\nthat it would merge.\n\nA new paragraph.\n";
        assert_eq!(
            prepare(src),
            "The board announced\nthat it would merge.\n\n\nA new paragraph.\n"
        );
        let kept = "Ends here.\n\nnext starts lower but previous ended.\n";
        assert_eq!(prepare(kept), kept);
    }
}
