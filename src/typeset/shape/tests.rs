//! Unit tests for shaping: ligatures, kerning, fallback runs, clusters and the cache.

use super::*;
use crate::typeset::fonts::Family;

fn serif(fonts: &FontSet) -> FontId {
    fonts.select(Family::Serif, false, false)
}

#[test]
fn ligature_keeps_its_letters() {
    let fonts = FontSet::bundled();
    let runs = shape(&fonts, "office", serif(&fonts), 10.0, "en");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert!(
        run.glyphs.len() < 6,
        "expected an ffi ligature: {:?}",
        run.glyphs
    );
    let texts: String = run.glyph_texts().concat();
    assert_eq!(texts, "office");
    let placed = run.placed(0..run.glyphs.len());
    assert_eq!(placed.iter().map(|g| g.text).collect::<String>(), "office");
    assert!((run.width - run.width_of(0..run.glyphs.len())).abs() < 1e-3);
}

#[test]
fn kerning_changes_advances() {
    let fonts = FontSet::bundled();
    let f = serif(&fonts);
    let av = shape(&fonts, "AV", f, 10.0, "en")[0].width;
    let a = shape(&fonts, "A", f, 10.0, "en")[0].width;
    let v = shape(&fonts, "V", f, 10.0, "en")[0].width;
    assert!(av < a + v - 0.1, "AV {av} vs {a}+{v}");
}

#[test]
fn scales_linearly_with_size() {
    let fonts = FontSet::bundled();
    let f = serif(&fonts);
    let w10 = shape(&fonts, "Typography", f, 10.0, "en")[0].width;
    let w20 = shape(&fonts, "Typography", f, 20.0, "en")[0].width;
    assert!((w20 - 2.0 * w10).abs() < 1e-3);
}

#[test]
fn many_scripts_in_one_face() {
    let fonts = FontSet::bundled();
    let f = serif(&fonts);
    for text in [
        "Tiếng Việt",
        "Ελληνικά",
        "Русский",
        "Հայերեն",
        "Azərbaycan",
        "e\u{301}",
    ] {
        let runs = shape(&fonts, text, f, 10.0, "en");
        assert_eq!(runs.len(), 1, "{text}");
        assert!(runs[0].glyphs.iter().all(|g| g.id != 0), "{text}: notdef");
        let t: String = runs[0].glyph_texts().concat();
        assert_eq!(t, text);
        assert!(missing_chars(&fonts, text, f).is_empty());
    }
}

#[test]
fn fallback_splits_runs_and_missing_is_reported() {
    let fonts = FontSet::bundled();
    let mono = fonts.select(Family::Mono, false, false);
    // Find a character the serif has but the mono lacks, so the fallback is exercised.
    let c = ['ϗ', 'Ꙁ', '₿', 'ⱥ', 'Ǆ', 'ꞵ', '℘', 'Ա']
        .into_iter()
        .find(|&c| !fonts.face(mono).has_char(c) && fonts.fallback_for(c, mono).is_some());
    if let Some(c) = c {
        let text = format!("ab{c}cd");
        let runs = shape(&fonts, &text, mono, 10.0, "en");
        assert_eq!(runs.len(), 3, "{runs:?}");
        assert_ne!(runs[1].font, mono);
        assert_eq!(runs[1].offset, 2);
        assert_eq!(
            runs.iter().map(|r| r.text.as_str()).collect::<String>(),
            text
        );
    }
    let f = serif(&fonts);
    // A character no face has is drawn as a white square, here from DejaVu (the book face
    // has none), and keeps its text for extraction.
    let runs = shape(&fonts, "a\u{10FFFD}b", f, 10.0, "en");
    assert_eq!(runs.len(), 3, "{runs:?}");
    let blank = fonts.blank_face(f);
    assert_ne!(blank, f);
    assert_eq!(runs[1].font, blank);
    let square = fonts.face(blank).glyph_for('\u{25A1}');
    assert_eq!(
        runs[1]
            .glyphs
            .iter()
            .map(|g| Some(g.id))
            .collect::<Vec<_>>(),
        [square]
    );
    assert_eq!(
        runs.iter().map(|r| r.text.as_str()).collect::<String>(),
        "a\u{10FFFD}b"
    );
    assert_eq!(
        missing_chars(&fonts, "a\u{10FFFD}b\u{10FFFD}\n", f),
        vec!['\u{10FFFD}']
    );
}

#[test]
fn cached_and_uncached_agree() {
    let fonts = FontSet::bundled();
    let f = serif(&fonts);
    let first = shape(&fonts, "Waffle", f, 12.0, "en");
    let second = shape(&fonts, "Waffle", f, 12.0, "en");
    assert_eq!(first, second);
    let long = "Waffle ".repeat(30);
    let runs = shape(&fonts, &long, f, 12.0, "en");
    assert_eq!(runs[0].glyph_texts().concat(), long);
}

#[test]
fn shaping_is_shareable_across_threads() {
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<FontSet>();
    let fonts = FontSet::bundled();
    let f = serif(&fonts);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for w in ["alpha", "beta", "gamma", "office", "fjord"] {
                    assert!(!shape(&fonts, w, f, 9.0, "en").is_empty());
                }
            });
        }
    });
}

#[test]
fn placing_pieces_of_a_run_gives_the_texts_of_the_whole() {
    // A word cut over lines is placed a piece at a time with texts found once for the run.
    let fonts = FontSet::bundled();
    for text in ["office affluent", "e\u{301}te\u{301}", "مرحبا", "abc"] {
        let run = &shape(&fonts, text, serif(&fonts), 10.0, "en")[0];
        let ranges = run.glyph_text_ranges();
        let whole: Vec<String> = run
            .placed(0..run.glyphs.len())
            .iter()
            .map(|g| g.text.to_string())
            .collect();
        let mut pieces = Vec::new();
        for start in (0..run.glyphs.len()).step_by(2) {
            let end = (start + 2).min(run.glyphs.len());
            for (g, p) in run
                .placed_with(&ranges, start..end)
                .iter()
                .zip(run.placed(start..end).iter())
            {
                assert_eq!((g.id, g.x, g.y), (p.id, p.x, p.y));
                assert_eq!(g.text, p.text);
                pieces.push(g.text.to_string());
            }
        }
        assert_eq!(pieces, whole, "{text}");
        // Every character once (glyphs are in visual order: right to left for Arabic).
        let mut got: Vec<char> = run.glyph_texts().concat().chars().collect();
        let mut want: Vec<char> = run.text.chars().collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn marks_of_a_right_to_left_cluster_keep_their_own_text() {
    // Shaped right to left, a cluster's glyphs come in reverse logical order (the hamza
    // above before its heh): each glyph must still carry its own character, and in the text
    // layer the letter comes before its mark.
    let set = FontSet::bundled();
    for text in ["کلمهٔ", "هٔ"] {
        let run = &shape_dir(&set, text, serif(&set), 10.0, "fa", Some(true))[0];
        let texts = run.glyph_texts();
        let heh = run.glyphs.iter().position(|g| g.advance > 0.0).unwrap();
        assert_eq!(texts[heh - 1], "\u{654}", "{texts:?}");
        assert_eq!(texts[heh], "ه", "{texts:?}");
        let placed = run.placed(0..run.glyphs.len());
        let texts: Vec<&str> = placed.iter().map(|g| g.text).collect();
        assert_eq!(texts[..2], ["ه", "\u{654}"], "{placed:?}");
    }
}

#[test]
fn a_right_to_left_ligature_carries_its_text_in_drawing_order() {
    // Naskh draws lam, lam and heh of "الله" as one glyph. Readers put a right-to-left line's
    // characters back into logical order by reversing them, those of a ligature included; so
    // its text is given in drawing order, and comes out as written.
    let set = FontSet::bundled();
    let run = &shape_dir(&set, "الله", serif(&set), 10.0, "ar", Some(true))[0];
    let placed = run.placed(0..run.glyphs.len());
    let lig = placed
        .iter()
        .find(|g| g.text.chars().count() > 1)
        .expect("a ligature");
    assert_eq!(lig.text, "هلل");
    // Left to right, a ligature keeps its text in logical order.
    let run = &shape(&set, "office", serif(&set), 10.0, "en")[0];
    let texts: String = run
        .placed(0..run.glyphs.len())
        .iter()
        .map(|g| g.text.to_owned())
        .collect();
    assert_eq!(texts, "office");
}

#[test]
fn emoji_presentation_is_asked_for_by_default_pictographs_and_the_emoji_selector() {
    use super::wants_emoji;
    assert!(wants_emoji('🚀', "🚀"));
    assert!(wants_emoji('☕', "☕"));
    // A symbol whose default is text becomes emoji only with U+FE0F.
    assert!(!wants_emoji('❤', "❤"));
    assert!(wants_emoji('❤', "❤\u{FE0F}"));
    // U+FE0E asks for the plain form even of a default-emoji character.
    assert!(!wants_emoji('☕', "☕\u{FE0E}"));
    assert!(!wants_emoji('a', "a"));
}
