//! The one warning about characters no font has: how many, the first twenty with the line
//! where each is first used, and the kind of font that would have them.
//!
//! A document in a script no installed face covers has thousands of such characters (a
//! Japanese book has some 3,000 distinct ones): listed in full, they made a warning line of
//! 450,000 characters. So the list is cut at [`SHOWN`] characters, grouped by line, and the
//! advice names the font to install.

use super::segment;
use crate::doc::{Document, Loc};
use crate::error::{Code, Diagnostic};
use std::collections::HashMap;

/// Characters listed in the warning; the rest are counted.
pub const SHOWN: usize = 20;
/// Up to this many characters, each is named by its code point as well.
const FEW: usize = 5;

/// The characters no font has, each with where it is first used.
#[derive(Debug, Clone, Default)]
pub struct Missing {
    /// Character → (first place, order of first appearance within the section).
    first: HashMap<char, (Loc, u32)>,
}

impl Missing {
    /// Notes `c` at `loc` (kept only if it is the first time).
    pub fn note(&mut self, c: char, loc: Loc) {
        let next = self.first.len() as u32;
        self.first.entry(c).or_insert((loc, next));
    }

    /// Adds another section's characters: the earlier place wins (sections are laid out
    /// apart, in any order).
    pub fn merge(&mut self, other: Missing) {
        for (c, at) in other.first {
            let e = self.first.entry(c).or_insert(at);
            if at < *e {
                *e = at;
            }
        }
    }

    /// Whether no character is missing.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// The characters in order of first use.
    fn ordered(&self) -> Vec<(char, Loc)> {
        let mut all: Vec<(char, (Loc, u32))> = self.first.iter().map(|(c, a)| (*c, *a)).collect();
        all.sort_by_key(|&(c, at)| (at, c));
        all.into_iter().map(|(c, (loc, _))| (c, loc)).collect()
    }

    /// The warning for a document, if any character is missing. `system_fonts` says whether
    /// system faces were searched (the advice differs when `--no-system-fonts` turned them off).
    pub fn warning(&self, doc: &Document, system_fonts: bool) -> Option<Diagnostic> {
        let all = self.ordered();
        let &(_, first) = all.first()?;
        let file = |loc: &Loc| {
            doc.files
                .get(loc.file as usize)
                .or(doc.files.first())
                .cloned()
                .unwrap_or_default()
        };
        // The first characters, grouped by the line they are first used on:
        // `朝の駅 (ja.md:5), 改札 (ja.md:6)`.
        // A few characters are named by code point too (`𓀀 U+13000`): an unfamiliar or
        // invisible character is found by it; thousands would make the line long.
        let named = all.len() <= FEW;
        let show = |c: char| {
            if named {
                format!("{c} U+{:04X}", u32::from(c))
            } else {
                c.to_string()
            }
        };
        let mut groups: Vec<(String, Loc)> = Vec::new();
        for &(c, loc) in all.iter().take(SHOWN) {
            match groups.last_mut() {
                Some((chars, at)) if (at.file, at.line) == (loc.file, loc.line) => {
                    if named {
                        chars.push(' ');
                    }
                    chars.push_str(&show(c));
                }
                _ => groups.push((show(c), loc)),
            }
        }
        let listed = groups
            .iter()
            .map(|(chars, loc)| {
                let name = file(loc);
                let name = name
                    .file_name()
                    .map_or(name.as_os_str(), |n| n)
                    .to_string_lossy()
                    .into_owned();
                format!("{chars} ({name}:{})", loc.line)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let count = all.len();
        let more = if count > SHOWN {
            format!("; the first {SHOWN}: ")
        } else {
            ": ".to_owned()
        };
        let kind = font_kind(all.iter().map(|&(c, _)| c));
        let advice = if system_fonts {
            format!("install {kind}, or give a folder of fonts with --font-dir")
        } else {
            format!("system fonts are off (--no-system-fonts): give a folder with {kind} with --font-dir")
        };
        let noun = if count == 1 {
            "character"
        } else {
            "characters"
        };
        Some(Diagnostic::warning(
            Code::MissingGlyph,
            file(&first),
            first.line,
            first.col.max(1),
            format!("no font has {count} {noun} of this document, drawn as blank boxes{more}{listed}; {advice}"),
        ))
    }
}

/// The kind of font that has most of `chars`, as advice names it.
fn font_kind(chars: impl Iterator<Item = char>) -> &'static str {
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for c in chars {
        *counts.entry(kind_of(c)).or_default() += 1;
    }
    // Most characters first; ties by name, so the advice does not depend on hashing.
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map_or(GENERIC, |(k, _)| k)
}

const GENERIC: &str = "a font that has them (the Noto families cover most scripts)";

fn kind_of(c: char) -> &'static str {
    let cp = u32::from(c);
    match cp {
        0x1F000..=0x1FAFF => "an emoji font such as Noto Color Emoji",
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => "a Hebrew font such as Noto Serif Hebrew",
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            "an Arabic font such as Noto Naskh Arabic"
        }
        0x0900..=0x0DFF => "an Indic font such as Noto Sans Devanagari (or the one for the script)",
        0x0E00..=0x0E7F => "a Thai font such as Noto Sans Thai",
        _ if segment::is_cjk(c) || (0x3100..=0x31BF).contains(&cp) => {
            "a CJK font such as Noto Sans CJK or Noto Serif CJK (Debian and Ubuntu: fonts-noto-cjk)"
        }
        _ => GENERIC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        let mut d = crate::parse::parse_str(
            std::path::Path::new("book/ja.md"),
            "x\n",
            &Default::default(),
        )
        .unwrap();
        d.files = vec!["book/ja.md".into()];
        d
    }

    fn at(line: u32) -> Loc {
        Loc {
            file: 0,
            line,
            col: 1,
            len: 0,
        }
    }

    #[test]
    fn thousands_of_characters_make_one_short_warning() {
        let mut m = Missing::default();
        // Five thousand distinct ideographs over a thousand lines.
        for (i, cp) in (0x4E00u32..0x4E00 + 5000).enumerate() {
            m.note(char::from_u32(cp).unwrap(), at(3 + i as u32 / 5));
        }
        let d = m.warning(&doc(), true).unwrap();
        assert!(d.message.chars().count() < 400, "{}", d.message);
        assert!(
            d.message.contains("no font has 5000 characters"),
            "{}",
            d.message
        );
        assert!(d.message.contains("一丁丂七丄 (ja.md:3)"), "{}", d.message);
        assert!(d.message.contains("Noto Sans CJK"), "{}", d.message);
        assert_eq!((d.line, d.path.to_str()), (3, Some("book/ja.md")));
        // Twenty listed: four lines of five.
        assert_eq!(d.message.matches("(ja.md:").count(), 4);
        let off = m.warning(&doc(), false).unwrap();
        assert!(off.message.contains("--no-system-fonts"), "{}", off.message);
    }

    #[test]
    fn sections_merge_to_the_earliest_place() {
        let mut a = Missing::default();
        a.note('😀', at(40));
        let mut b = Missing::default();
        b.note('😀', at(9));
        b.note('😀', at(12));
        a.merge(b);
        let d = a.warning(&doc(), true).unwrap();
        assert_eq!(d.line, 9);
        assert!(
            d.message.contains("1 character of") && d.message.contains("emoji"),
            "{}",
            d.message
        );
        assert!(Missing::default().warning(&doc(), true).is_none());
    }
}
