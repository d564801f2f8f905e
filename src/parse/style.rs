//! The design, settled into a document when it is read: the style file found and read
//! (through [`crate::style`], which knows the file but not the model), and what the style
//! changes in the model itself. It is a parse step, run by every path that makes a document
//! (`parse::load`, standard input, a book's assembly), so the backends only read `doc.style`.

use crate::doc::{plain_text, Block, Document, Inline};
use crate::error::Result;
use crate::style;
use std::path::Path;
use std::sync::Arc;

/// Settles a document's style once, when it is read: the file its `style` key names (relative
/// to `names_it`, the front matter's or configuration's file), else `style.toml` in `dir`, else
/// the defaults; then what the style changes in the model itself (heading numbers, which both
/// outputs and the contents show).
pub fn settle(doc: &mut Document, dir: &Path, names_it: &Path) -> Result<()> {
    let named = doc.meta.style.as_deref().map(|value| style::Named {
        file: names_it,
        line: doc.meta.lines.get("style").copied().unwrap_or(0),
        value,
    });
    let style = style::resolve(dir, named, &mut doc.reads)?;
    if style.headings.numbering.iter().any(|n| *n) {
        number_headings(&mut doc.blocks, &doc.meta.title, &style.headings.numbering);
    }
    doc.style = Arc::new(style);
    Ok(())
}

/// Writes "1.", "1.2." ... before the text of the top-level headings of the levels `numbered`
/// says, counting from the highest numbered level. A book's chapters are numbered by mdBook
/// (their titles carry the number), so a book is left as it is; so is a first level-1 heading
/// that repeats the title (the title block shows it).
fn number_headings(blocks: &mut [Block], title: &str, numbered: &[bool; 6]) {
    if blocks.iter().any(|b| matches!(b, Block::Chapter { .. })) {
        return;
    }
    let Some(top) = numbered.iter().position(|n| *n) else {
        return;
    };
    let mut counts = [0u32; 6];
    for (i, b) in blocks.iter_mut().enumerate() {
        let Block::Heading { level, content, .. } = b else {
            continue;
        };
        let l = usize::from((*level).clamp(1, 6)) - 1;
        if i == 0 && l == 0 && plain_text(content).trim() == title.trim() {
            continue;
        }
        counts[l] += 1;
        counts[l + 1..].iter_mut().for_each(|c| *c = 0);
        if l < top || !numbered[l] {
            continue;
        }
        let number: String = counts[top..=l].iter().map(|c| format!("{c}.")).collect();
        content.insert(
            0,
            Inline::Text {
                text: format!("{number} "),
            },
        );
    }
}
