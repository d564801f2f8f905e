//! Text shaping: split text into runs by font coverage, shape each run with harfrust.
//!
//! Shaping happens at the font's design size (units per em) and is scaled afterwards, so one
//! cached result per (face, language, text) serves every font size. The cache (kept in the
//! `FontSet`, see `fonts::cache`) is sharded behind mutexes so that layout threads share it, with
//! a small private cache per thread in front: taking a shared lock and a reference count for
//! every word made the two cores trade cache lines, which cost more than the lookups themselves.

use super::fonts::cache::{FxBuild, UnitGlyph, UnitRun};
use super::fonts::{FontId, FontSet, Region};
use super::frame::{Glyph, Glyphs, Pt};
use harfrust::{Buffer, Direction, Language, ShapeOptions, ShaperFont};
use std::collections::HashMap;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

/// One shaped glyph, scaled to the run's size.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// How far the pen moves after this glyph (kerning included).
    pub advance: Pt,
    /// Horizontal displacement of this glyph from the pen.
    pub x_offset: Pt,
    /// Vertical displacement from the baseline, positive = up (PDF/OpenType convention).
    pub y_offset: Pt,
    /// Byte offset into the run's `text` of the first character this glyph belongs to.
    pub cluster: usize,
}

/// A run of glyphs in one face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedRun {
    /// The face every glyph of the run is from.
    pub font: FontId,
    /// Font size.
    pub size: Pt,
    /// Glyphs in visual order.
    pub glyphs: Vec<ShapedGlyph>,
    /// Sum of the advances.
    pub width: Pt,
    /// The source text of this run.
    pub text: String,
    /// Byte offset of `text` in the string given to [`shape`].
    pub offset: usize,
}

/// Texts longer than this are shaped every time (they are paragraphs, not words).
const MAX_CACHED_LEN: usize = 96;

/// Characters that attach to the preceding one and must be shaped with it.
fn is_attached(c: char) -> bool {
    let cp = u32::from(c);
    harfrust::unicode::combining_class(cp) != 0
        || matches!(cp, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
            | 0xFE20..=0xFE2F | 0x200C | 0x200D | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// Characters that need no glyph: controls and default-ignorable format characters.
fn needs_no_glyph(c: char) -> bool {
    c.is_control()
        || matches!(u32::from(c), 0x00AD | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2064
            | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

/// Whether a cluster asks for its emoji form: a pictograph shown as emoji by default
/// (Unicode's Emoji_Presentation: most of U+1F000-U+1FAFF and a few older symbols such as
/// `☕` and `⚡`), or any character followed by the emoji selector U+FE0F (`❤️`); the text
/// selector U+FE0E asks for the plain form.
fn wants_emoji(base: char, cluster: &str) -> bool {
    if cluster.contains('\u{FE0E}') {
        return false;
    }
    cluster.contains('\u{FE0F}')
        || matches!(u32::from(base), 0x1F004 | 0x1F0CF | 0x1F18E | 0x1F191..=0x1F19A
            | 0x1F200..=0x1F2FF | 0x1F300..=0x1F320 | 0x1F32D..=0x1F335 | 0x1F337..=0x1F37C
            | 0x1F37E..=0x1F393 | 0x1F3A0..=0x1F3CA | 0x1F3CF..=0x1F3D3 | 0x1F3E0..=0x1F3F0
            | 0x1F3F4 | 0x1F3F8..=0x1F43E | 0x1F440 | 0x1F442..=0x1F4FC | 0x1F4FF..=0x1F53D
            | 0x1F54B..=0x1F54E | 0x1F550..=0x1F567 | 0x1F57A | 0x1F595..=0x1F596 | 0x1F5A4
            | 0x1F5FB..=0x1F64F | 0x1F680..=0x1F6C5 | 0x1F6CC | 0x1F6D0..=0x1F6D2
            | 0x1F6D5..=0x1F6DF | 0x1F6EB..=0x1F6EC | 0x1F6F4..=0x1F6FC | 0x1F7E0..=0x1F7F0
            | 0x1F90C..=0x1F93A | 0x1F93C..=0x1F945 | 0x1F947..=0x1F9FF | 0x1FA70..=0x1FAFF
            | 0x231A..=0x231B | 0x23E9..=0x23EC | 0x23F0 | 0x23F3 | 0x25FD..=0x25FE
            | 0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1 | 0x26AA..=0x26AB
            | 0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4 | 0x26EA | 0x26F2..=0x26F3
            | 0x26F5 | 0x26FA | 0x26FD | 0x2705 | 0x270A..=0x270B | 0x2728 | 0x274C | 0x274E
            | 0x2753..=0x2755 | 0x2757 | 0x2795..=0x2797 | 0x27B0 | 0x27BF | 0x2B1B..=0x2B1C
            | 0x2B50 | 0x2B55)
}

/// Splits `text` into (byte range, face) segments: each base character with its marks goes to
/// the first face that has all of them (primary first), else to the face that has the base,
/// else to the primary (which then draws .notdef). A fallback face keeps the characters after
/// it that the primary lacks as long as it has them, so that a run of CJK text is set in one
/// face rather than in whichever face ranks first for each character (see
/// [`FontSet::fallback_in`]; `lang` is the document's language).
fn segment(
    fonts: &FontSet,
    text: &str,
    primary: FontId,
    lang: &str,
) -> Vec<(Range<usize>, FontId)> {
    let region = Region::of_lang(lang);
    let mut out: Vec<(Range<usize>, FontId)> = Vec::new();
    // The fallback face of the previous cluster, while the run lasts.
    let mut current: Option<FontId> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((start, base)) = chars.next() {
        let mut end = start + base.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !is_attached(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let cluster = &text[start..end];
        let covers = |id: FontId| {
            let face = fonts.face(id);
            cluster
                .chars()
                .all(|c| needs_no_glyph(c) || face.has_char(c))
        };
        let emoji = wants_emoji(base, cluster)
            .then(|| fonts.emoji_face(base, primary))
            .flatten()
            .filter(|&f| covers(f));
        let font = if let Some(f) = emoji {
            f
        } else if needs_no_glyph(base) || covers(primary) {
            primary
        } else if let Some(f) = current.filter(|&f| covers(f)) {
            f
        } else {
            match fonts.fallback_in(base, primary, region) {
                Some(f) if covers(f) => f,
                Some(f) if !fonts.face(primary).has_char(base) => f,
                Some(_) => primary,
                // No face has it: the face that draws the white square stands in for it.
                None => fonts.blank_face(primary),
            }
        };
        // Characters that need no glyph (a zero-width joiner) and those the primary has keep
        // the run going; a character the primary lacks starts or continues one.
        if font != primary {
            current = Some(font);
        } else if !needs_no_glyph(base) && !is_run_neutral(base) {
            current = None;
        }
        match out.last_mut() {
            Some((range, f)) if *f == font && range.end == start => range.end = end,
            _ => out.push((start..end, font)),
        }
    }
    out
}

/// Shapes one single-face segment at the design size.
fn shape_units(
    fonts: &FontSet,
    text: &str,
    font: FontId,
    lang: &str,
    rtl: Option<bool>,
) -> Vec<UnitGlyph> {
    let face = fonts.face(font);
    let mut buffer = Buffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    if let Some(rtl) = rtl {
        // The direction the bidirectional algorithm resolved, whatever the script says: a
        // bracket or a guillemet alone at a right-to-left level is mirrored, and Persian
        // digits (Arabic script, left to right) keep their order.
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
    } else if buffer.direction() == Direction::Invalid {
        buffer.set_direction(Direction::LeftToRight);
    }
    let language = Language::from_str(if lang.is_empty() { "en" } else { lang }).ok();
    buffer.set_language(language.clone());
    let plan = face.plan(buffer.script(), buffer.direction(), language);
    let shaper = ShaperFont::new(&face.hr);
    if harfrust::shape(&shaper, &mut buffer, ShapeOptions::new().plan(Some(&plan))).is_err() {
        // A plan mismatch cannot happen (the plan is built from the buffer's properties); if
        // the shaper refuses anyway, draw nothing rather than abort the document.
        return Vec::new();
    }
    // A character no face has is drawn as the face's white square (U+25A1) where it has one:
    // readers drop the text of `.notdef`, so the character would vanish from the extracted
    // text, while a real glyph keeps it (the build warns that it shows as a box).
    let blank = face.glyph_for('\u{25A1}');
    buffer
        .glyph_infos()
        .iter()
        .zip(buffer.glyph_positions())
        .map(
            |(info, pos)| match (u16::try_from(info.glyph_id).unwrap_or(0), blank) {
                (0, Some(b)) => UnitGlyph {
                    id: b,
                    advance: face.advance_units(b).round() as i32,
                    x_offset: 0,
                    y_offset: 0,
                    cluster: info.cluster,
                },
                (id, _) => UnitGlyph {
                    id,
                    advance: pos.x_advance,
                    x_offset: pos.x_offset,
                    y_offset: pos.y_offset,
                    cluster: info.cluster,
                },
            },
        )
        .collect()
}

/// Characters the text face has that do not end a run of fallback text: spaces and the
/// punctuation CJK text borrows (the ideographic run goes on after `、` or a middle dot the
/// face may lack, and after digits it has).
fn is_run_neutral(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_digit() || c.is_ascii_punctuation()
}

fn shape_all_units(
    fonts: &FontSet,
    text: &str,
    font: FontId,
    lang: &str,
    rtl: Option<bool>,
) -> Vec<UnitRun> {
    segment(fonts, text, font, lang)
        .into_iter()
        .map(|(range, f)| UnitRun {
            font: f,
            glyphs: shape_units(fonts, &text[range.clone()], f, lang, rtl),
            range,
        })
        .collect()
}

/// Shapes `text` in face `font` at `size`, splitting it into runs where characters need a
/// fallback face. Kerning and standard ligatures are on. Characters no face has are drawn
/// as the primary face's white square (else its .notdef); list them with [`missing_chars`].
pub fn shape(fonts: &FontSet, text: &str, font: FontId, size: Pt, lang: &str) -> Vec<ShapedRun> {
    shape_dir(fonts, text, font, size, lang, None)
}

/// [`shape`] in a direction: `Some(true)` right to left, `Some(false)` left to right (the
/// direction of the text's embedding level, see [`super::bidi::paragraph_levels`]) rather than
/// the one its script suggests (`None`). The runs stay in logical order; the glyphs of each
/// are in visual order.
pub fn shape_dir(
    fonts: &FontSet,
    text: &str,
    font: FontId,
    size: Pt,
    lang: &str,
    rtl: Option<bool>,
) -> Vec<ShapedRun> {
    // The caches are keyed by text, face and language: the direction rides on the language
    // key (a NUL never occurs in a language tag).
    let key: std::borrow::Cow<'_, str> = match rtl {
        Some(true) => format!("{lang}\0rtl").into(),
        Some(false) => format!("{lang}\0ltr").into(),
        None => lang.into(),
    };
    let key = &*key;
    if text.is_empty() {
        return Vec::new();
    }
    let scale = |units: &[UnitRun]| -> Vec<ShapedRun> {
        units
            .iter()
            .map(|run| scale_run(fonts, text, run, size))
            .collect()
    };
    if text.len() > MAX_CACHED_LEN {
        return scale(&shape_all_units(fonts, text, font, lang, rtl));
    }
    LOCAL.with(|local| {
        let Ok(mut local) = local.try_borrow_mut() else {
            // Only reachable if shaping re-entered itself on this thread; go to the shared cache.
            return scale(&shared_units(fonts, text, font, key, lang, rtl));
        };
        if local.owner != fonts.cache_id() || local.len >= MAX_LOCAL_ENTRIES {
            local.owner = fonts.cache_id();
            local.map.clear();
            local.len = 0;
        }
        let hit = local
            .map
            .get(text)
            .and_then(|entries| entries.iter().find(|(f, l, _)| *f == font && &**l == key));
        if let Some((_, _, units)) = hit {
            return scale(units);
        }
        let units: Box<[UnitRun]> = shared_units(fonts, text, font, key, lang, rtl)
            .iter()
            .cloned()
            .collect();
        let out = scale(&units);
        local
            .map
            .entry(text.into())
            .or_default()
            .push((font, key.into(), units));
        local.len += 1;
        out
    })
}

/// The shared cache's entry for a word (under `key`: language and direction), shaping it on
/// a miss.
fn shared_units(
    fonts: &FontSet,
    text: &str,
    font: FontId,
    key: &str,
    lang: &str,
    rtl: Option<bool>,
) -> Arc<[UnitRun]> {
    if let Some(u) = fonts.shape_cache.get(text, font, key) {
        return u;
    }
    let u: Arc<[UnitRun]> = shape_all_units(fonts, text, font, lang, rtl).into();
    fonts.shape_cache.put(text, font, key, u.clone());
    u
}

/// Face, language and the shaped runs of one text.
type LocalEntry = (FontId, Box<str>, Box<[UnitRun]>);

/// A thread's private copy of the words it has shaped, for one font set at a time.
#[derive(Default)]
struct LocalCache {
    /// [`FontSet::cache_id`] of the fonts the entries belong to.
    owner: u64,
    map: HashMap<Box<str>, Vec<LocalEntry>, FxBuild>,
    len: usize,
}

/// Words a thread keeps before starting over (a book has some tens of thousands).
const MAX_LOCAL_ENTRIES: usize = 100_000;

thread_local! {
    static LOCAL: std::cell::RefCell<LocalCache> = std::cell::RefCell::default();
}

fn scale_run(fonts: &FontSet, text: &str, run: &UnitRun, size: Pt) -> ShapedRun {
    let k = size / f32::from(fonts.face(run.font).units_per_em);
    let mut width = 0.0;
    let glyphs = run
        .glyphs
        .iter()
        .map(|g| {
            let advance = g.advance as f32 * k;
            width += advance;
            ShapedGlyph {
                id: g.id,
                advance,
                x_offset: g.x_offset as f32 * k,
                y_offset: g.y_offset as f32 * k,
                cluster: g.cluster as usize,
            }
        })
        .collect();
    ShapedRun {
        font: run.font,
        size,
        glyphs,
        width,
        text: text[run.range.clone()].to_string(),
        offset: run.range.start,
    }
}

/// Characters of `text` that neither `font` nor any fallback face has, each listed once in
/// order of first appearance. Controls and invisible format characters are never listed.
pub fn missing_chars(fonts: &FontSet, text: &str, font: FontId) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if needs_no_glyph(c) || out.contains(&c) {
            continue;
        }
        if fonts.fallback_for(c, font).is_none() {
            out.push(c);
        }
    }
    out
}

/// Characters of shaped `runs` that their face lacks (drawn as its white square or .notdef),
/// in order, repeats included: what [`missing_chars`] finds, read off the runs' faces in one
/// pass with no fallback lookup (a lock per character, where CJK text needs a fallback face
/// for every character).
pub fn uncovered<'a>(fonts: &'a FontSet, runs: &'a [ShapedRun]) -> impl Iterator<Item = char> + 'a {
    runs.iter().flat_map(move |run| {
        let face = fonts.face(run.font);
        run.text
            .chars()
            .filter(move |&c| !needs_no_glyph(c) && !face.has_char(c))
    })
}

impl ShapedRun {
    /// The source text each glyph stands for, one entry per glyph. A cluster with as many
    /// glyphs as characters gives one character to each glyph (base + mark); otherwise the
    /// first glyph (a ligature) gets the whole cluster and the others get "".
    pub fn glyph_texts(&self) -> Vec<&str> {
        self.glyph_text_ranges()
            .into_iter()
            .map(|r| &self.text[r])
            .collect()
    }

    /// [`ShapedRun::glyph_texts`] as byte ranges of `text` (empty ranges for "").
    pub fn glyph_text_ranges(&self) -> Vec<Range<usize>> {
        let mut out = Vec::with_capacity(self.glyphs.len());
        self.push_glyph_text_ranges(&mut out);
        out
    }

    /// [`ShapedRun::glyph_text_ranges`] added to the end of `out`: a paragraph keeps those of
    /// all its runs in one list.
    pub fn push_glyph_text_ranges(&self, out: &mut Vec<Range<usize>>) {
        let n = self.glyphs.len();
        let checked = |r: Range<usize>| {
            if self.text.get(r.clone()).is_some() {
                r
            } else {
                0..0
            }
        };
        // Common case: one glyph per cluster, clusters increasing (left-to-right, no ligature).
        let increasing = self.glyphs.windows(2).all(|w| w[0].cluster < w[1].cluster);
        if increasing
            && self
                .glyphs
                .last()
                .is_some_and(|g| g.cluster < self.text.len())
        {
            out.reserve(n);
            for (i, g) in self.glyphs.iter().enumerate() {
                let end = self
                    .glyphs
                    .get(i + 1)
                    .map_or(self.text.len(), |h| h.cluster);
                out.push(checked(g.cluster..end));
            }
            return;
        }
        let mut starts: Vec<usize> = self.glyphs.iter().map(|g| g.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |c: usize| {
            let i = starts.partition_point(|&s| s <= c);
            starts
                .get(i)
                .copied()
                .unwrap_or(self.text.len())
                .min(self.text.len())
        };
        // Shaped right to left, the glyphs of a cluster (a letter and its marks) come in
        // reverse logical order: the first glyph drawn is the last mark.
        let rtl = self.is_rtl();
        let base = out.len();
        out.resize(base + n, 0..0);
        let mut i = 0;
        while i < n {
            let c = self.glyphs[i].cluster;
            let mut j = i + 1;
            while j < n && self.glyphs[j].cluster == c {
                j += 1;
            }
            let cluster = checked(c.min(self.text.len())..end_of(c));
            let cluster_text = &self.text[cluster.clone()];
            let chars = cluster_text.char_indices().collect::<Vec<_>>();
            if chars.len() == j - i && j - i > 1 {
                for (k, &(off, ch)) in chars.iter().enumerate() {
                    let at = cluster.start + off;
                    let glyph = if rtl { j - 1 - k } else { i + k };
                    out[base + glyph] = at..at + ch.len_utf8();
                }
            } else {
                out[base + i] = cluster;
            }
            i = j;
        }
    }

    /// Whether the run was shaped right to left (its glyphs run from the text's end).
    fn is_rtl(&self) -> bool {
        match (self.glyphs.first(), self.glyphs.last()) {
            (Some(a), Some(b)) if a.cluster != b.cluster => a.cluster > b.cluster,
            _ => self
                .text
                .chars()
                .next()
                .is_some_and(super::bidi::is_strong_rtl),
        }
    }

    /// Glyphs `range` of this run placed from x = 0 (offsets applied, y down), with their
    /// source text filled in for the PDF's ToUnicode map.
    pub fn placed(&self, range: Range<usize>) -> Glyphs {
        self.placed_with(&self.glyph_text_ranges(), range)
    }

    /// [`ShapedRun::placed`] with the run's [`ShapedRun::glyph_text_ranges`] computed once by
    /// the caller: a word cut over many lines is placed a piece at a time, and finding the
    /// texts of all its glyphs for each piece made a 100,000-character word quadratic.
    pub fn placed_with(&self, texts: &[Range<usize>], range: Range<usize>) -> Glyphs {
        let mut placed = Glyphs::default();
        self.place_into(texts, range, (0.0, 0.0), &mut placed);
        placed
    }

    /// [`ShapedRun::placed_with`], moved by `shift` (x, y) and added to `out`: a line's glyphs
    /// of one style go straight into its text item.
    pub fn place_into(
        &self,
        texts: &[Range<usize>],
        range: Range<usize>,
        shift: (Pt, Pt),
        out: &mut Glyphs,
    ) {
        let (dx, dy) = shift;
        let end = range.end.min(self.glyphs.len());
        let start = range.start.min(end);
        let text_of = |i: usize| {
            texts
                .get(i)
                .and_then(|r| self.text.get(r.clone()))
                .unwrap_or("")
        };
        let rtl = self.is_rtl();
        if !rtl {
            let mut pen = 0.0;
            for (i, g) in self.glyphs[start..end].iter().enumerate() {
                out.push(Glyph {
                    id: g.id,
                    x: pen + g.x_offset + dx,
                    y: dy - g.y_offset,
                    text: text_of(start + i),
                });
                pen += g.advance;
            }
            return;
        }
        // Positions are absolute, so the order the glyphs are listed in can change freely.
        let mut pen = 0.0;
        let xs: Vec<Pt> = self.glyphs[start..end]
            .iter()
            .map(|g| {
                let x = pen + g.x_offset;
                pen += g.advance;
                x
            })
            .collect();
        let mut order: Vec<usize> = (start..end).collect();
        // A right-to-left cluster's marks come before their letter in drawing order; in the
        // text layer they follow it, as in the text, or readers (poppler) take a mark met
        // before its letter, drawn with no advance, for a character of its own and set it on a
        // line of its own.
        let mut i = 0;
        while i < order.len() {
            let c = self.glyphs[order[i]].cluster;
            let mut j = i + 1;
            while j < order.len() && self.glyphs[order[j]].cluster == c {
                j += 1;
            }
            order[i..j].reverse();
            i = j;
        }
        for i in order {
            let g = &self.glyphs[i];
            let text = text_of(i);
            // A ligature of a right-to-left run (lam-lam-heh) carries its characters in
            // drawing order: readers reverse a right-to-left line's characters to read it,
            // a ligature's among them, and so get them back as written.
            let reversed: String;
            let text = if text.chars().nth(1).is_some() {
                reversed = text.chars().rev().collect();
                &reversed
            } else {
                text
            };
            out.push(Glyph {
                id: g.id,
                x: xs[i - start] + dx,
                y: dy - g.y_offset,
                text,
            });
        }
    }

    /// Width of glyphs `range`.
    pub fn width_of(&self, range: Range<usize>) -> Pt {
        self.glyphs
            .get(range)
            .map(|g| g.iter().map(|g| g.advance).sum())
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests;
