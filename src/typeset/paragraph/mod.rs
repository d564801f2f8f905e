//! Paragraphs: styled inline content into shaped, broken and justified lines.
//!
//! Layout flattens the model's inlines into styled pieces ([`Piece`]); a [`Paragraph`] takes
//! them through four stages, one file each (the shape of typst's inline layout):
//!
//! 1. `collect.rs` ([`Paragraph::add`]): pieces into the line breaker's items (boxes, glue and
//!    penalties), with what each item draws (`Content`). Text is segmented at Unicode line
//!    break opportunities across style changes, one box per word.
//! 2. `prepare.rs`: what the items need before breaking. Words are shaped as they are collected
//!    (a box needs its width), hyphenated, and cut into emergency pieces when wider than the
//!    narrowest line; once the measure is known, runs of boxes wider than a line get emergency
//!    joints, and the embedding levels of bidirectional text are resolved (UAX #9, over the
//!    paragraph's logical text, see [`super::bidi`]).
//! 3. Breaking: [`super::linebreak`] (Knuth–Plass) chooses the lines ([`Paragraph::set`]), on
//!    the logical order.
//! 4. `finalize.rs`: each broken line becomes a [`LineBox`] of positioned display-list items:
//!    its pieces reordered for display (rule L2), glyph runs, decorations, link areas, the
//!    space that ends a line, alignment (a right-to-left paragraph's start is the right margin).
//!
//! [`Paragraph::extents`] measures the collected items without breaking them (table columns).

mod cjk;
mod collect;
mod finalize;
mod prepare;
#[cfg(test)]
mod tests;

use super::fonts::{Family, FontId, FontSet};
use super::frame::{Color, Item, LinkTarget, Pt};
use super::linebreak::{self, break_lines, Params};
use super::math::MathBox;
use super::shape::ShapedRun;
use std::collections::BTreeMap;
use std::sync::Arc;

// The colours of inline decorations are defined here, with the style flags that ask for them,
// rather than in `layout`: layout builds paragraphs, and a paragraph never reaches back up into
// layout (`layout` re-exports `CODE_BG` so that code blocks match inline code).
/// Light background of code.
pub const CODE_BG: Color = Color(0.95, 0.95, 0.94);
/// Behind highlighted text (`<mark>`).
pub const HIGHLIGHT: Color = Color(1.0, 0.95, 0.6);

/// The largest adjustment ratio of a justified line in the breaker's first pass (TeX's
/// `\tolerance=100`): with spaces that stretch by half their width, a gap of at most one and
/// a half spaces (about half an em in DejaVu Serif) unless the paragraph cannot be set so;
/// then the looser passes of [`break_lines`] take over. Measured on the Rust book together
/// with the space and hyphen costs of `collect.rs`.
const JUSTIFY_TOLERANCE: f32 = 1.0;

/// How a run of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Serif or mono.
    pub family: Family,
    /// Bold weight.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Font size.
    pub size: Pt,
    /// Text colour.
    pub color: Color,
    /// Baseline shift, positive = up (superscripts).
    pub rise: Pt,
    /// Inline code: a light background behind it.
    pub code: bool,
    /// Struck through.
    pub strike: bool,
    /// Underlined (`<u>`, `<ins>`).
    pub underline: bool,
    /// Highlighted (`<mark>`): a tinted background.
    pub highlight: bool,
    /// Where a click goes.
    pub link: Option<LinkTarget>,
    /// The language of the run when it differs from the paragraph's (HTML `lang`): it is
    /// shaped and hyphenated by that language.
    pub lang: Option<std::sync::Arc<str>>,
}

impl Style {
    /// Upright, regular serif text of a size.
    pub fn body(size: Pt) -> Style {
        Style {
            family: Family::Serif,
            bold: false,
            italic: false,
            size,
            color: Color::BLACK,
            rise: 0.0,
            code: false,
            strike: false,
            underline: false,
            highlight: false,
            link: None,
            lang: None,
        }
    }

    /// The face this style selects.
    pub fn font(&self, fonts: &FontSet) -> FontId {
        fonts.select(self.family, self.bold, self.italic)
    }
}

/// One styled element of a paragraph before breaking.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Text in a style (soft breaks already turned into spaces).
    Text(String, Style),
    /// A forced line break.
    Break,
    /// A footnote marker: superscript number linking to the note.
    NoteMark(u32, Style),
    /// A named destination at this point of the text.
    Anchor(String),
    /// A typeset formula on the baseline (the line grows to hold it).
    Math(Arc<MathBox>),
    /// An image in the running text, sitting on the baseline (the line grows to hold it).
    Image {
        /// Key into the document's assets.
        asset: String,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Where a click on it goes (an image inside a link).
        link: Option<LinkTarget>,
        /// Its structure node (a figure with its alternative text).
        node: crate::typeset::frame::Node,
    },
}

/// Horizontal placement of lines, by the paragraph's start and end: in a right-to-left
/// paragraph `Left` is flush right and `Right` flush left (so that a list number set `Right`
/// stays beside its text whatever the direction; HTML `align` and table columns are read the
/// same way, as CSS's `start` and `end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Justified, last line flush at the start (left, or right in a right-to-left paragraph).
    Justify,
    /// Flush at the start, ragged at the end.
    Left,
    /// Centred.
    Center,
    /// Flush at the end.
    Right,
}

/// One set line: items relative to the line's left edge and baseline (y = 0, down positive).
#[derive(Debug, Clone, Default)]
pub struct LineBox {
    /// What is drawn.
    pub items: Vec<Item>,
    /// Height above the baseline.
    pub ascent: Pt,
    /// Depth below the baseline (positive).
    pub descent: Pt,
    /// Footnotes first referenced (or referred to) on this line, by number.
    pub notes: Vec<u32>,
    /// The line ends with a hyphenated word.
    pub hyphenated: bool,
    /// The line belongs to a right-to-left paragraph (it starts at the right margin).
    pub rtl: bool,
    /// Where the line's first item starts in the paragraph's logical text (a byte offset, see
    /// [`reading_offset`]): a page that begins with this line begins there.
    pub start: usize,
}

/// How many characters a reader reads in `pieces` before byte `at` of their logical text:
/// the non-white-space characters of their text, where note numbers, formulas, images and
/// breaks count nothing. The same count over the model's inlines is
/// [`crate::doc::reading_chars`], so an EPUB writer finds the place a line starts without the
/// engine: white space is left out because layout collapses it.
pub fn reading_offset(pieces: &[Piece], at: usize) -> usize {
    reading_offsets(pieces, &[at])[0]
}

/// [`reading_offset`] of several positions, in one pass over the pieces: a paragraph's lines
/// ask for theirs together, so that a paragraph of many lines costs time in proportion to its
/// length, not to its length times its lines.
pub fn reading_offsets(pieces: &[Piece], ats: &[usize]) -> Vec<usize> {
    // Settled in ascending order, then given back in the order asked.
    let mut order: Vec<usize> = (0..ats.len()).collect();
    order.sort_by_key(|&k| ats[k]);
    let mut out = Vec::with_capacity(ats.len());
    let mut next = order.iter().map(|&k| ats[k]).peekable();
    let mut pos = 0;
    let mut count = 0;
    // Every position at or before `here` has the count of the characters before it.
    let mut settle = |here: usize, count: usize, out: &mut Vec<usize>| {
        while next.next_if(|&at| at <= here).is_some() {
            out.push(count);
        }
    };
    for p in pieces {
        match p {
            Piece::Text(t, _) => {
                for (i, c) in t.char_indices() {
                    settle(pos + i, count, &mut out);
                    if !c.is_whitespace() {
                        count += 1;
                    }
                }
                pos += t.len();
            }
            Piece::Break => pos += '\u{2028}'.len_utf8(),
            Piece::NoteMark(n, _) => pos += n.to_string().len(),
            Piece::Anchor(_) => {}
            Piece::Math(_) | Piece::Image { .. } => pos += '\u{FFFC}'.len_utf8(),
        }
        settle(pos.saturating_sub(1), count, &mut out);
    }
    // Positions at or past the end have every character before them.
    out.resize(ats.len(), count);
    let mut given = vec![0; ats.len()];
    for (&k, &n) in order.iter().zip(&out) {
        given[k] = n;
    }
    given
}

/// The characters of a paragraph that no font could draw.
pub type Missing = Vec<char>;

/// What one box of the breaker's list stands for.
#[derive(Debug, Clone)]
enum Content {
    /// Glyphs `range` of shaped run `run`.
    Glyphs {
        run: usize,
        range: std::ops::Range<usize>,
    },
    /// A word space in style `style` (drawn as a space glyph for copy and paste).
    Space { style: usize },
    /// A hyphenation or emergency break point; draws `hyphen` (a run) when broken at.
    Break { hyphen: Option<usize> },
    /// An anchor or forced break: nothing drawn.
    Marker(Option<String>),
    /// A note number: run `run` drawn as superscript.
    Note { run: usize, number: u32 },
    /// An image on the baseline.
    Image {
        asset: String,
        w: Pt,
        h: Pt,
        link: Option<LinkTarget>,
        node: crate::typeset::frame::Node,
    },
    /// A formula on the baseline.
    Math(Arc<MathBox>),
}

/// Builds the item list of one paragraph and sets its lines.
pub struct Paragraph<'a> {
    fonts: &'a FontSet,
    lang: &'a str,
    /// The breaker's items, in order.
    items: Vec<linebreak::Item>,
    /// What each item of `items` draws (same index).
    content: Vec<Vec<Content>>,
    /// Shaped runs and the style (index into `styles`) of each.
    runs: Vec<(ShapedRun, usize)>,
    /// The distinct styles of the paragraph.
    styles: Vec<Style>,
    /// The space glyph and its width, per style.
    spaces: BTreeMap<usize, (u16, Pt)>,
    /// The shaped hyphen of each style that has one (style, run): shaped once and drawn at
    /// the end of every line the paragraph breaks at a hyphenation point in that style.
    hyphens: Vec<(usize, usize)>,
    missing: Missing,
    /// The narrowest line the paragraph will be set in: wider words are cut.
    narrowest: Pt,
    hyphenate: bool,
    /// The source text of each glyph of each run, found once when the lines are set (see
    /// [`ShapedRun::placed_with`]): the runs' lists one after another (one allocation per
    /// paragraph, not one per word), each run's at `glyph_texts_at[run]`.
    glyph_texts: Vec<std::ops::Range<usize>>,
    glyph_texts_at: Vec<std::ops::Range<usize>>,
    /// The direction the document gives its paragraphs (`Some(true)`: right to left), else
    /// each paragraph's first strong character decides.
    base: Option<bool>,
    /// The paragraph's logical text as collected (an object replacement character for each
    /// image and formula), which the bidirectional algorithm reads.
    text: String,
    /// Where in `text` each shaped run starts (same index as `runs`).
    run_at: Vec<usize>,
    /// Where in `text` each item starts (same index as `items`).
    item_at: Vec<usize>,
    /// Where in `text` the next pushed item starts.
    at: usize,
    /// The embedding level of each byte of `text` (resolved as pieces are added, before
    /// shaping); empty when the paragraph is all left to right.
    levels: Vec<u8>,
    /// The paragraph reads right to left.
    rtl: bool,
    /// Behind inline code and highlighted text (the style's colours; see [`Paragraph::colors`]).
    code_bg: Color,
    highlight: Color,
    /// The text goes on in another paragraph (a piece of a very long one, see
    /// [`Paragraph::continues`]): the last line is set like the others, and ends in a space
    /// when `Some(true)`.
    continues: Option<bool>,
}

impl<'a> Paragraph<'a> {
    /// An empty paragraph for lines no narrower than `narrowest`.
    pub fn new(fonts: &'a FontSet, lang: &'a str, narrowest: Pt, hyphenate: bool) -> Self {
        Paragraph {
            fonts,
            lang,
            items: Vec::new(),
            content: Vec::new(),
            runs: Vec::new(),
            styles: Vec::new(),
            spaces: BTreeMap::new(),
            hyphens: Vec::new(),
            missing: Vec::new(),
            narrowest,
            hyphenate,
            glyph_texts: Vec::new(),
            glyph_texts_at: Vec::new(),
            base: None,
            text: String::new(),
            run_at: Vec::new(),
            item_at: Vec::new(),
            at: 0,
            levels: Vec::new(),
            rtl: false,
            code_bg: CODE_BG,
            highlight: HIGHLIGHT,
            continues: None,
        }
    }

    /// Marks the paragraph as a piece of a longer one that the next piece continues: its
    /// last line is justified (or set) like any other and, where a space was between the
    /// pieces (`space`), ends in one, as a line broken between two words does.
    pub fn continues(mut self, space: bool) -> Self {
        self.continues = Some(space);
        self
    }

    /// The colours behind inline code and highlighted text (else [`CODE_BG`], [`HIGHLIGHT`]).
    pub fn colors(mut self, code_bg: Color, highlight: Color) -> Self {
        self.code_bg = code_bg;
        self.highlight = highlight;
        self
    }

    /// Sets the base direction the document gives (`Some(true)`: right to left, see
    /// [`crate::doc::Metadata::rtl`]); without it (`None`) the paragraph's first strong
    /// character decides, left to right when it has none.
    pub fn direction(mut self, base: Option<bool>) -> Self {
        self.base = base;
        self
    }

    /// Adds all pieces (see `collect.rs`). The embedding levels of the whole text are
    /// resolved first, so that each directional run is shaped in its direction.
    pub fn add(&mut self, pieces: &[Piece]) {
        let mut text = self.text.clone();
        Paragraph::logical_text(pieces, &mut text);
        match super::bidi::paragraph_levels(&text, self.base) {
            Some(levels) => {
                self.levels = levels.levels;
                self.rtl = levels.rtl;
            }
            None => {
                self.levels.clear();
                self.rtl = false;
            }
        }
        self.collect(pieces);
        debug_assert_eq!(self.text, text);
    }

    /// `(widest unbreakable run, natural width)` of what was added so far, as the breaker
    /// would see it (see [`linebreak::extents`]): a table measures its cells with this, on the
    /// same break opportunities across style runs that setting the cell will use. Build the
    /// paragraph with an infinite `narrowest` so that no word is cut into emergency pieces.
    pub fn extents(&self) -> (Pt, Pt) {
        linebreak::extents(&self.items)
    }

    /// Breaks and sets the lines. `widths` gives each line's measure (the last repeats).
    pub fn set(mut self, widths: &[Pt], align: Align) -> (Vec<LineBox>, Missing) {
        if self.items.is_empty() {
            return (Vec::new(), self.missing);
        }
        let (lines, params, justify) = self.break_items(widths, align);
        // Alignment is by the paragraph's start and end: a right-to-left paragraph starts at
        // the right margin (and its justified last line ends at the left).
        let align = match (self.rtl, align) {
            (true, Align::Left) => Align::Right,
            (true, Align::Right) => Align::Left,
            (_, a) => a,
        };
        let mut texts = Vec::with_capacity(self.runs.iter().map(|(r, _)| r.glyphs.len()).sum());
        self.glyph_texts_at = self
            .runs
            .iter()
            .map(|(run, _)| {
                let start = texts.len();
                run.push_glyph_text_ranges(&mut texts);
                start..texts.len()
            })
            .collect();
        self.glyph_texts = texts;
        let mut out = Vec::with_capacity(lines.len());
        for (n, line) in lines.iter().enumerate() {
            let width = params.line_width(n);
            out.push(self.set_line(line, width, align, justify));
        }
        (out, self.missing)
    }

    /// Ends the item list and breaks it: the lines, the breaker's settings, and whether the
    /// lines are justified.
    fn break_items(&mut self, widths: &[Pt], align: Align) -> (Vec<linebreak::Line>, Params, bool) {
        // No hyphen in a paragraph's last word: a last line holding only the end of a word
        // reads as a fragment. The breaker's final-hyphen demerits only discourage it, and a
        // first pass with nothing else within tolerance still took it.
        // (White space after the last word does not end the scan.)
        let mut in_word = false;
        for item in self.items.iter_mut().rev() {
            match item {
                linebreak::Item::Glue { .. } if in_word => break,
                linebreak::Item::Glue { .. } => {}
                linebreak::Item::Box { .. } => in_word = true,
                linebreak::Item::Penalty {
                    cost,
                    flagged: true,
                    ..
                } => *cost = linebreak::PENALTY_INF,
                linebreak::Item::Penalty { .. } => {}
            }
        }
        if self.continues.is_some() {
            // No fill before the break: the last line is justified like the others. Every
            // style's space is shaped, for the space that ends it.
            for style in 0..self.styles.len() {
                self.space(style);
            }
            self.items.push(linebreak::Item::forced_break());
            self.content.push(vec![Content::Marker(None)]);
            self.item_at.push(self.text.len());
        } else {
            let end = linebreak::Item::paragraph_end();
            self.items.extend(end);
            self.content
                .extend([vec![], vec![], vec![Content::Marker(None)]]);
            self.item_at.extend([self.text.len(); 3]);
        }
        let measure = widths.iter().copied().fold(Pt::INFINITY, Pt::min);
        // Words wider than `narrowest` were cut into pieces as they were added; runs of several
        // boxes wider than the line get breakpoints between them now, so no line need overflow.
        self.add_emergency_joints(measure.min(self.narrowest));
        // Justification needs room: on very short measures it opens holes, so set ragged.
        let justify = align == Align::Justify
            && measure >= 14.0 * self.styles.first().map_or(10.0, |s| s.size);
        let mut params = if justify {
            Params {
                tolerance: JUSTIFY_TOLERANCE,
                ..Params::new(measure)
            }
        } else {
            Params::ragged(measure)
        };
        params.line_widths = widths.to_vec();
        params.last_line_fill = if justify { 0.15 } else { 0.0 };
        let lines = break_lines(&self.items, &params);
        (lines, params, justify)
    }
}
