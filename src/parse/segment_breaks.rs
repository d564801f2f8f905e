//! Line breaks of the source inside East Asian text: removed, as CSS Text 3's segment break
//! transformation removes them (§ 4.1.3).
//!
//! Chinese and Japanese put no space between words, so a source line break between two
//! ideographs is only where the author's editor wrapped: read as a space (as CommonMark's soft
//! break is everywhere else), it puts a gap into the sentence and a preferred break into the
//! paragraph. The rule: a soft break is removed when the characters on both sides are East Asian
//! wide, fullwidth or halfwidth, and neither is Hangul (Korean separates words with spaces).
//!
//! Done once, in the model, so that the PDF, the EPUB and the JSON agree: browsers differ here
//! (Firefox removes such breaks, Chrome and the reading systems built on it show a space), so
//! the EPUB must not carry the line break either.

use crate::doc::{visit_inline_lists_mut, Block, Inline};

/// Removes the soft breaks between East Asian characters in every inline list of `blocks`
/// (footnote bodies included).
pub fn remove_between_east_asian(blocks: &mut [Block]) {
    visit_inline_lists_mut(blocks, &mut |list, _| {
        if !list.iter().any(|i| matches!(i, Inline::SoftBreak)) {
            return;
        }
        let mut i = 0;
        while i < list.len() {
            let removable = matches!(list[i], Inline::SoftBreak)
                && i > 0
                && list[i - 1].last_char().is_some_and(joins_without_space)
                && list
                    .get(i + 1)
                    .and_then(Inline::first_char)
                    .is_some_and(joins_without_space);
            if removable {
                list.remove(i);
                merge_texts(list, i);
            } else {
                i += 1;
            }
        }
    });
}

/// Joins two text nodes that a removed break left side by side (`list[at - 1]` and
/// `list[at]`), so that later stages see one run of text.
fn merge_texts(list: &mut Vec<Inline>, at: usize) {
    if at == 0 || at >= list.len() {
        return;
    }
    if let (Inline::Text { .. }, Inline::Text { .. }) = (&list[at - 1], &list[at]) {
        if let Inline::Text { text: next } = list.remove(at) {
            if let Inline::Text { text } = &mut list[at - 1] {
                text.push_str(&next);
            }
        }
    }
}

/// East Asian Width W, F or H, and not Hangul: the characters CSS joins across a line break.
///
/// The blocks of Unicode's EastAsianWidth.txt that are wide throughout (no crate of the tree
/// carries the property itself; unicode-width folds it into display columns, where halfwidth
/// katakana and wide emoji cannot be told apart). Emoji are left out: they are wide, but sit
/// among words of every script, where the break is a space.
pub fn joins_without_space(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x2FDF // CJK and Kangxi radicals
        | 0x2FF0..=0x2FFF // ideographic description characters
        | 0x3000..=0x303E // CJK symbols and punctuation (U+303F is narrow)
        | 0x3041..=0x30FF // hiragana, katakana
        | 0x3105..=0x312F // bopomofo
        | 0x3190..=0x31EF // kanbun, bopomofo extended, CJK strokes
        | 0x31F0..=0x31FF // katakana phonetic extensions
        | 0x3200..=0x32FF // enclosed CJK letters and months
        | 0x3300..=0x33FF // CJK compatibility
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xA000..=0xA4CF // Yi
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFE10..=0xFE19 // vertical forms
        | 0xFE30..=0xFE6F // CJK compatibility forms, small form variants
        | 0xFF01..=0xFF60 // fullwidth forms
        | 0xFF61..=0xFF9F // halfwidth CJK punctuation and katakana
        | 0xFFE0..=0xFFE6 // fullwidth signs
        | 0x1B000..=0x1B16F // kana supplement and extensions
        | 0x20000..=0x3FFFD // CJK extensions B and later
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    fn para(content: Vec<Inline>) -> Vec<Block> {
        vec![Block::Paragraph {
            content,
            loc: Default::default(),
        }]
    }

    fn content(blocks: &[Block]) -> &[Inline] {
        match &blocks[0] {
            Block::Paragraph { content, .. } => content,
            _ => unreachable!(),
        }
    }

    #[test]
    fn breaks_between_ideographs_and_kana_go() {
        let mut b = para(vec![
            text("日本語の"),
            Inline::SoftBreak,
            text("文章です。"),
        ]);
        remove_between_east_asian(&mut b);
        assert_eq!(content(&b), [text("日本語の文章です。")]);
        // Full stop before the break, opening bracket after it: both wide.
        let mut b = para(vec![text("中文。"), Inline::SoftBreak, text("「引用」")]);
        remove_between_east_asian(&mut b);
        assert_eq!(content(&b), [text("中文。「引用」")]);
    }

    #[test]
    fn breaks_next_to_latin_hangul_or_markup_stay_or_look_inside() {
        for (a, z) in [
            ("日本語", "Rust"),
            ("Rust", "日本語"),
            ("한국어", "문장"),
            ("漢字", "한글"),
        ] {
            let mut b = para(vec![text(a), Inline::SoftBreak, text(z)]);
            remove_between_east_asian(&mut b);
            assert_eq!(content(&b).len(), 3, "{a} / {z}");
        }
        // Emphasis on either side is looked into.
        let mut b = para(vec![
            Inline::Strong {
                content: vec![text("強調")],
            },
            Inline::SoftBreak,
            text("です"),
        ]);
        remove_between_east_asian(&mut b);
        assert_eq!(content(&b).len(), 2);
        // A note reference has no character: the break stays.
        let mut b = para(vec![
            Inline::NoteRef { number: 1 },
            Inline::SoftBreak,
            text("です"),
        ]);
        remove_between_east_asian(&mut b);
        assert_eq!(content(&b).len(), 3);
    }

    #[test]
    fn wide_ranges() {
        for c in [
            'の', 'ア', 'ｱ', '漢', '。', '、', '「', '）', 'ー', '𠀋', '，',
        ] {
            assert!(joins_without_space(c), "{c}");
        }
        for c in ['a', '1', ' ', '한', 'ㄱ', '😀', '—', '…'] {
            assert!(!joins_without_space(c), "{c}");
        }
    }
}
