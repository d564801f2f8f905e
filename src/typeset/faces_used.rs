//! Which system faces a document's pages use, for `--verbose`: one line per face with its
//! family, weight and style, how many characters it draws and a sample of them.
//!
//! Fallback faces are chosen per character on the machine that builds (see
//! `fonts::system`), so a reader of the PDF may see a face the author never named; this is
//! where the author sees it too.

use super::fonts::{FontId, FontSet};
use super::frame::{Frame, Item};
use std::collections::BTreeMap;

/// Characters of the sample shown per face.
const SAMPLE: usize = 12;

/// One line per system face the pages draw with, in face order.
pub fn lines(fonts: &FontSet, pages: &[Frame]) -> Vec<String> {
    // Per face: characters drawn, and the first distinct ones.
    let mut used: BTreeMap<FontId, (usize, Vec<char>)> = BTreeMap::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        let Item::Text { font, glyphs, .. } = item else {
            continue;
        };
        if !fonts.is_system(*font) {
            continue;
        }
        let (count, sample) = used.entry(*font).or_default();
        for c in glyphs.iter().flat_map(|g| g.text.chars()) {
            if c.is_whitespace() {
                continue;
            }
            *count += 1;
            if sample.len() < SAMPLE && !sample.contains(&c) {
                sample.push(c);
            }
        }
    }
    used.into_iter()
        .map(|(font, (count, sample))| {
            let sample: String = sample.into_iter().collect();
            let noun = if count == 1 {
                "character"
            } else {
                "characters"
            };
            format!("{}: {count} {noun}, e.g. {sample}", fonts.describe(font))
        })
        .collect()
}
