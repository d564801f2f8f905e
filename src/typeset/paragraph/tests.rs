//! Unit tests for paragraphs: words of several styles and runs, compounds and words wider than
//! the line.

use super::*;
use crate::typeset::shape::shape;

fn style(size: Pt, bold: bool, mono: bool) -> Style {
    let mut st = Style::body(size);
    st.bold = bold;
    if mono {
        st.family = Family::Mono;
        st.code = true;
    }
    st
}

fn width_of(fonts: &FontSet, text: &str, st: &Style) -> Pt {
    shape(fonts, text, st.font(fonts), st.size, "en")
        .iter()
        .map(|r| r.width)
        .sum()
}

fn paragraph<'a>(fonts: &'a FontSet, pieces: &[Piece], narrowest: Pt) -> Paragraph<'a> {
    let mut p = Paragraph::new(fonts, "en", narrowest, true);
    p.add(pieces);
    p
}

/// Breaks like `set` and returns each line's natural width (glue unstretched, the break's
/// hyphen included) and the number of glyphs set, so nothing can be lost unnoticed.
fn line_widths(mut p: Paragraph<'_>, width: Pt, align: Align) -> (Vec<Pt>, usize) {
    let (lines, _, _) = p.break_items(&[width], align);
    let mut glyphs = 0;
    let widths = lines
        .iter()
        .map(|l| {
            let mut w: Pt = 0.0;
            for i in l.start..l.end {
                match p.items[i] {
                    linebreak::Item::Box { width } => w += width,
                    linebreak::Item::Glue { width, .. } if i > l.start => w += width,
                    _ => {}
                }
                for c in &p.content[i] {
                    if let Content::Glyphs { range, .. } = c {
                        glyphs += range.len();
                    }
                }
            }
            if let Some(linebreak::Item::Penalty { width, .. }) = p.items.get(l.end) {
                w += width;
            }
            w
        })
        .collect();
    (widths, glyphs)
}

/// Glyphs of the pieces' words.
fn glyph_count(fonts: &FontSet, pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|piece| match piece {
            // Spaces become glue, not glyphs of boxes.
            Piece::Text(t, st) => t
                .split_whitespace()
                .flat_map(|w| shape(fonts, w, st.font(fonts), st.size, "en"))
                .map(|r| r.glyphs.len())
                .sum(),
            _ => 0,
        })
        .sum()
}

#[test]
fn a_word_of_two_styles_is_measured_whole() {
    let fonts = FontSet::bundled();
    let (b, r) = (style(10.0, true, false), style(10.0, false, false));
    let pieces = [
        Piece::Text("co- and ".into(), r.clone()),
        Piece::Text("contra".into(), b.clone()),
        Piece::Text("variant".into(), r.clone()),
    ];
    let whole = width_of(&fonts, "contra", &b) + width_of(&fonts, "variant", &r);
    let (min, max) = paragraph(&fonts, &pieces, Pt::INFINITY).extents();
    assert!((min - whole).abs() < 0.01, "{min} vs {whole}");
    assert!(max > min + width_of(&fonts, "and", &r), "{max}");
}

#[test]
fn code_followed_by_japanese_breaks_between_them() {
    let fonts = FontSet::bundled();
    let (code, body) = (style(10.0, false, true), style(10.0, false, false));
    let pieces = [
        Piece::Text("usize".into(), code.clone()),
        Piece::Text("など".into(), body.clone()),
    ];
    let usize_w = width_of(&fonts, "usize", &code);
    let (min, max) = paragraph(&fonts, &pieces, Pt::INFINITY).extents();
    assert!((min - usize_w).abs() < 0.01, "{min} vs {usize_w}");
    assert!(max > usize_w + 1.0, "{max}");
    // With no break opportunity (Latin after the code) the two runs are one word.
    let joined = [
        Piece::Text("usize".into(), code.clone()),
        Piece::Text("able".into(), body.clone()),
    ];
    let (min, _) = paragraph(&fonts, &joined, Pt::INFINITY).extents();
    let both = usize_w + width_of(&fonts, "able", &body);
    assert!((min - both).abs() < 0.01, "{min} vs {both}");
}

#[test]
fn a_compound_longer_than_the_line_breaks_inside_the_measure() {
    let fonts = FontSet::bundled();
    let parts = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta",
    ];
    let chain: Vec<&str> = (0..21).map(|i| parts[i % parts.len()]).collect();
    let text = format!("Before {}, after it.", chain.join("-"));
    let pieces = [Piece::Text(text, style(10.0, false, false))];
    for align in [Align::Justify, Align::Left] {
        let p = paragraph(&fonts, &pieces, 200.0);
        let (widths, glyphs) = line_widths(p, 200.0, align);
        assert!(widths.len() >= 3, "{widths:?}");
        assert!(widths.iter().all(|w| *w <= 200.01), "{align:?}: {widths:?}");
        assert_eq!(glyphs, glyph_count(&fonts, &pieces));
    }
}

#[test]
fn a_word_of_several_runs_wider_than_the_line_is_cut_inside_it() {
    let fonts = FontSet::bundled();
    let long: String = (0..300).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let pieces = [
        Piece::Text("see ".into(), style(10.0, false, false)),
        Piece::Text("Bold".into(), style(10.0, true, false)),
        Piece::Text("code".into(), style(10.0, false, true)),
        Piece::Text(long, style(10.0, false, false)),
        Piece::Text(" here".into(), style(10.0, false, false)),
    ];
    for width in [100.0, 37.0] {
        let p = paragraph(&fonts, &pieces, width);
        let (widths, glyphs) = line_widths(p, width, Align::Left);
        assert!(widths.iter().all(|w| *w <= width + 0.01), "{widths:?}");
        assert_eq!(glyphs, glyph_count(&fonts, &pieces));
    }
}

/// Natural width of a paragraph set on one line (boxes and glue).
fn natural(fonts: &FontSet, lang: &str, text: &str) -> Pt {
    let mut p = Paragraph::new(fonts, lang, 1e6, false);
    p.add(&[Piece::Text(text.into(), Style::body(10.0))]);
    p.extents().1
}

#[test]
fn cjk_punctuation_in_a_row_shares_its_blank_half() {
    let fonts = FontSet::load(None, true).unwrap();
    let serif = fonts.select(Family::Serif, false, false);
    if fonts
        .fallback_in('「', serif, crate::typeset::fonts::Region::Japanese)
        .is_none()
    {
        eprintln!("note: no CJK face installed, skipping");
        return;
    }
    // Nine characters, four pairs of marks: 。」 (in one word), 、「 (across a break), 「（ and （「.
    let text = "は。」と、「（「あ";
    let ja = natural(&fonts, "ja", text);
    let ko = natural(&fonts, "ko", text);
    assert!((ko - 90.0).abs() < 0.5, "{ko}");
    assert!((ja - 70.0).abs() < 0.5, "{ja}");
}

#[test]
fn ideographic_space_is_an_em_and_indents() {
    let fonts = FontSet::load(None, true).unwrap();
    let serif = fonts.select(Family::Serif, false, false);
    if fonts
        .fallback_in('あ', serif, crate::typeset::fonts::Region::Japanese)
        .is_none()
    {
        eprintln!("note: no CJK face installed, skipping");
        return;
    }
    assert!((natural(&fonts, "ja", "あ\u{3000}い") - 30.0).abs() < 0.5);
    // At the start it stays, as an indent (an empty box holds it).
    let mut p = Paragraph::new(&fonts, "ja", 1e6, false);
    p.add(&[Piece::Text("\u{3000}あ".into(), Style::body(10.0))]);
    let (lines, _) = p.set(&[200.0], Align::Justify);
    let first_x = lines[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Text { glyphs, .. } => glyphs.iter().find(|g| g.text == "あ").map(|g| g.x),
            _ => None,
        })
        .unwrap();
    assert!((first_x - 10.0).abs() < 0.5, "{first_x}");
}

/// Each word of a set line by its text (the glyphs' texts joined, in logical order within the
/// word) with its left edge, sorted from left to right.
fn words_left_to_right(line: &LineBox) -> Vec<(String, Pt)> {
    let mut glyphs: Vec<(Pt, String)> = Vec::new();
    for item in &line.items {
        if let Item::Text { x, glyphs: gs, .. } = item {
            for g in gs {
                glyphs.push((x + g.x, g.text.to_owned()));
            }
        }
    }
    glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Words are separated by space glyphs; a right-to-left word's glyphs run from its end.
    let mut words: Vec<(String, Pt)> = Vec::new();
    let mut current: Option<(Vec<String>, Pt)> = None;
    for (x, t) in glyphs {
        if t == " " {
            if let Some((w, x0)) = current.take() {
                words.push((w.concat(), x0));
            }
            continue;
        }
        current.get_or_insert_with(|| (Vec::new(), x)).0.push(t);
    }
    if let Some((w, x0)) = current {
        words.push((w.concat(), x0));
    }
    words
        .into_iter()
        .map(|(w, x)| {
            if w.chars().any(crate::typeset::bidi::is_strong_rtl) {
                (w.chars().rev().collect(), x)
            } else {
                (w, x)
            }
        })
        .collect()
}

#[test]
fn a_right_to_left_paragraph_runs_from_the_right_margin_with_latin_in_its_order() {
    let fonts = FontSet::bundled();
    let st = Style::body(10.0);
    // Hebrew, then a Latin phrase and a number, then Hebrew: no document direction, so the
    // first letter (Hebrew) makes the paragraph right to left.
    let text = "שלום Rust 1.0 עולם";
    let mut p = Paragraph::new(&fonts, "he", 400.0, false);
    p.add(&[Piece::Text(text.into(), st)]);
    let (lines, missing) = p.set(&[400.0], Align::Justify);
    assert!(missing.is_empty());
    assert_eq!(lines.len(), 1);
    assert!(lines[0].rtl);
    let words = words_left_to_right(&lines[0]);
    let texts: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
    // Drawn left to right: the last word first, the Latin words in their own order.
    assert_eq!(texts, ["עולם", "Rust", "1.0", "שלום"], "{words:?}");
    // The last (and only) line of a justified right-to-left paragraph is flush right.
    let right = lines[0]
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Text { x, glyphs, .. } => glyphs.iter().map(|g| x + g.x).reduce(Pt::max),
            _ => None,
        })
        .fold(0.0, Pt::max);
    assert!(right > 370.0 && right < 400.0, "{right}");
    assert!(words[0].1 > 300.0, "{words:?}");
}

#[test]
fn the_document_direction_wins_and_a_latin_paragraph_stays_in_order() {
    let fonts = FontSet::bundled();
    let st = Style::body(10.0);
    // A Latin paragraph in a right-to-left document: right to left, but its words (all at an
    // even level) keep their order; it is flush right.
    let mut p = Paragraph::new(&fonts, "ar", 400.0, false).direction(Some(true));
    p.add(&[Piece::Text("one two three".into(), st.clone())]);
    let (lines, _) = p.set(&[400.0], Align::Left);
    assert!(lines[0].rtl);
    let words = words_left_to_right(&lines[0]);
    let texts: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(texts, ["one", "two", "three"]);
    assert!(words[0].1 > 250.0, "not flush right: {words:?}");
    // A left-to-right document keeps a Hebrew paragraph left to right.
    let mut p = Paragraph::new(&fonts, "en", 400.0, false).direction(Some(false));
    p.add(&[Piece::Text("שלום עולם".into(), st)]);
    let (lines, _) = p.set(&[400.0], Align::Left);
    assert!(!lines[0].rtl);
    let words = words_left_to_right(&lines[0]);
    assert!(words[0].1 < 1.0, "{words:?}");
}

#[test]
fn brackets_in_right_to_left_text_are_mirrored() {
    let fonts = FontSet::bundled();
    let st = Style::body(10.0);
    let mut p = Paragraph::new(&fonts, "ar", 400.0, false);
    p.add(&[Piece::Text("كلمة (أخرى)".into(), st.clone())]);
    let (lines, _) = p.set(&[400.0], Align::Left);
    // The opening bracket stands at the right of its word, drawn as the glyph of `)`.
    let serif = st.font(&fonts);
    let close = fonts.face(serif).glyph_for(')').unwrap();
    let open = fonts.face(serif).glyph_for('(').unwrap();
    let mut brackets: Vec<(Pt, u16, String)> = Vec::new();
    for item in &lines[0].items {
        if let Item::Text { x, glyphs, .. } = item {
            for g in glyphs.iter().filter(|g| g.id == open || g.id == close) {
                brackets.push((x + g.x, g.id, g.text.to_owned()));
            }
        }
    }
    brackets.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(brackets.len(), 2, "{brackets:?}");
    // Leftmost: the closing bracket of the text, drawn as `(`; rightmost: the opening one.
    assert_eq!((brackets[0].1, brackets[0].2.as_str()), (open, ")"));
    assert_eq!((brackets[1].1, brackets[1].2.as_str()), (close, "("));
}

#[test]
fn reading_offsets_count_what_the_model_counts() {
    // White space, note numbers and breaks count nothing, as `doc::reading_chars` has it.
    let st = Style::body(10.0);
    let pieces = [
        Piece::Text("Alpha beta".into(), st.clone()),
        Piece::NoteMark(12, st.clone()),
        Piece::Break,
        Piece::Anchor("x".into()),
        Piece::Text(" gamma délta".into(), st.clone()),
    ];
    let mut text = String::new();
    Paragraph::logical_text(&pieces, &mut text);
    let at = |word: &str| text.find(word).unwrap();
    assert_eq!(reading_offset(&pieces, 0), 0);
    assert_eq!(reading_offset(&pieces, at("beta")), 5);
    assert_eq!(reading_offset(&pieces, at("gamma")), 9);
    assert_eq!(reading_offset(&pieces, at("délta")), 14);
    assert_eq!(reading_offset(&pieces, text.len()), 19);
}

#[test]
fn reading_offsets_asked_in_any_order_match_one_at_a_time() {
    let st = Style::body(10.0);
    let pieces = [
        Piece::Text("Alpha beta".into(), st.clone()),
        Piece::NoteMark(12, st.clone()),
        Piece::Break,
        Piece::Text(" gamma délta".into(), st.clone()),
    ];
    let mut text = String::new();
    Paragraph::logical_text(&pieces, &mut text);
    let ats: Vec<usize> = (0..=text.len() + 2).rev().collect();
    let one: Vec<usize> = ats.iter().map(|&a| reading_offset(&pieces, a)).collect();
    assert_eq!(super::reading_offsets(&pieces, &ats), one);
}
