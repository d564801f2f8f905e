//! Paragraphs: styled inline content into shaped, broken and justified lines.
//!
//! The model's inlines are flattened into styled pieces ([`Piece`]), segmented at Unicode line
//! break opportunities, shaped word by word, hyphenated, handed to the Knuth–Plass breaker as
//! boxes, glue and penalties, and finally set into [`LineBox`]es of display-list items.

use super::fonts::{Family, FontId, FontSet};
use super::frame::{Color, Item, LinkTarget, PlacedGlyph, Pt};
use super::hyphenate::hyphenate;
use super::linebreak::{self, break_lines, Params};
use super::segment;
use super::shape::{shape, ShapedRun};
use std::collections::BTreeMap;

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
    Math(std::sync::Arc<super::math::MathBox>),
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

/// Horizontal placement of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Justified, last line flush left.
    Justify,
    /// Flush left, ragged right.
    Left,
    /// Centred.
    Center,
    /// Flush right.
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
    Math(std::sync::Arc<super::math::MathBox>),
}

/// Builds the item list of one paragraph and sets its lines.
pub struct Paragraph<'a> {
    fonts: &'a FontSet,
    lang: &'a str,
    items: Vec<linebreak::Item>,
    content: Vec<Vec<Content>>,
    runs: Vec<(ShapedRun, usize)>,
    styles: Vec<Style>,
    spaces: BTreeMap<usize, (u16, Pt)>,
    missing: Missing,
    narrowest: Pt,
    hyphenate: bool,
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
            missing: Vec::new(),
            narrowest,
            hyphenate,
        }
    }

    fn style_index(&mut self, style: &Style) -> usize {
        match self.styles.iter().position(|s| s == style) {
            Some(i) => i,
            None => {
                self.styles.push(style.clone());
                self.styles.len() - 1
            }
        }
    }

    fn push(&mut self, item: linebreak::Item, content: Vec<Content>) {
        self.items.push(item);
        self.content.push(content);
    }

    /// Shapes `text` in a style; returns the indices of the runs (one per fallback face).
    fn shape_runs(&mut self, text: &str, style: usize) -> Vec<usize> {
        let st = &self.styles[style];
        let font = st.font(self.fonts);
        for c in super::shape::missing_chars(self.fonts, text, font) {
            if !self.missing.contains(&c) {
                self.missing.push(c);
            }
        }
        shape(self.fonts, text, font, st.size, self.lang)
            .into_iter()
            .map(|run| {
                self.runs.push((run, style));
                self.runs.len() - 1
            })
            .collect()
    }

    /// Adds all pieces.
    pub fn add(&mut self, pieces: &[Piece]) {
        let mut i = 0;
        while i < pieces.len() {
            match &pieces[i] {
                Piece::Text(..) => {
                    // Consecutive text pieces are segmented together: a style change is not a
                    // break opportunity ("**bold**ly" is one word).
                    let mut j = i;
                    let mut text = String::new();
                    let mut spans = Vec::new();
                    while let Some(Piece::Text(t, s)) = pieces.get(j) {
                        let start = text.len();
                        text.push_str(t);
                        let style = self.style_index(s);
                        spans.push((start..text.len(), style));
                        j += 1;
                    }
                    self.add_text(&text, &spans);
                    i = j;
                }
                Piece::Break => {
                    self.push(linebreak::Item::fill(), vec![]);
                    self.push(linebreak::Item::forced_break(), vec![Content::Marker(None)]);
                    i += 1;
                }
                Piece::NoteMark(number, style) => {
                    let s = self.style_index(style);
                    let runs = self.shape_runs(&number.to_string(), s);
                    let width: Pt = runs.iter().map(|&r| self.runs[r].0.width).sum();
                    let content = runs
                        .iter()
                        .map(|&run| Content::Note {
                            run,
                            number: *number,
                        })
                        .collect();
                    self.push(linebreak::Item::Box { width }, content);
                    i += 1;
                }
                Piece::Anchor(id) => {
                    self.push(
                        linebreak::Item::Box { width: 0.0 },
                        vec![Content::Marker(Some(id.clone()))],
                    );
                    i += 1;
                }
                Piece::Math(b) => {
                    self.push(
                        linebreak::Item::Box { width: b.width },
                        vec![Content::Math(b.clone())],
                    );
                    i += 1;
                }
                Piece::Image {
                    asset,
                    w,
                    h,
                    link,
                    node,
                } => {
                    self.push(
                        linebreak::Item::Box { width: *w },
                        vec![Content::Image {
                            asset: asset.clone(),
                            w: *w,
                            h: *h,
                            link: link.clone(),
                            node: *node,
                        }],
                    );
                    i += 1;
                }
            }
        }
    }

    fn space(&mut self, style: usize) -> (u16, Pt) {
        if let Some(&s) = self.spaces.get(&style) {
            return s;
        }
        let st = &self.styles[style];
        let font = st.font(self.fonts);
        let runs = shape(self.fonts, " ", font, st.size, self.lang);
        let s = runs
            .first()
            .and_then(|r| r.glyphs.first().map(|g| (g.id, g.advance)))
            .unwrap_or((0, st.size * 0.3));
        self.spaces.insert(style, s);
        s
    }

    fn add_text(&mut self, text: &str, spans: &[(std::ops::Range<usize>, usize)]) {
        let style_at = |pos: usize| {
            spans
                .iter()
                .find(|(r, _)| r.start <= pos && pos < r.end)
                .map_or(0, |(_, s)| *s)
        };
        let words = segment::words(text);
        let count = words.len();
        for (k, word) in words.into_iter().enumerate() {
            if !word.text.is_empty() {
                // A piece of an already hyphenated compound ("well-" + "known") is not
                // hyphenated again: the hyphen is its break.
                let compound = text[..word.text.start].ends_with('-')
                    || text[word.text.clone()].ends_with('-');
                self.add_word(text, word.text.clone(), spans, !compound);
            }
            if !word.space.is_empty() {
                let style = style_at(word.space.start);
                let (_, one) = self.space(style);
                // Several spaces only survive Markdown in code; each keeps its width.
                let width = one * text[word.space.clone()].chars().count().max(1) as Pt;
                // Monospace spaces keep their width; proportional ones stretch and shrink.
                let mono = self.styles[style].family == Family::Mono;
                let (stretch, shrink) = if mono {
                    (0.0, 0.0)
                } else {
                    (width * 0.6, width * 0.3)
                };
                if text[word.space.clone()].contains('\n') {
                    self.push(linebreak::Item::fill(), vec![]);
                    self.push(linebreak::Item::forced_break(), vec![Content::Marker(None)]);
                } else {
                    self.push(
                        linebreak::Item::Glue {
                            width,
                            stretch,
                            shrink,
                        },
                        vec![Content::Space { style }],
                    );
                }
            } else if k + 1 < count
                && !word.text.is_empty()
                && !text[word.text.clone()].ends_with('-')
            {
                // No break after a compound's own hyphen ("wide-scale"): readers and text
                // extraction take a hyphen at a line end for a hyphenation and would join the
                // halves into one word. A compound wider than the line gets breaks there after
                // all, in `set` (`add_emergency_joints`): the margin matters more.
                // A break opportunity with no space (after a hyphen or a dash, between ideographs).
                self.push(
                    linebreak::Item::Penalty {
                        width: 0.0,
                        cost: 0.0,
                        flagged: false,
                    },
                    vec![Content::Break { hyphen: None }],
                );
            }
        }
    }

    /// One word: shaped per style span, hyphenated when in one span and one face, and cut into
    /// emergency pieces (at grapheme boundaries, across its style spans and fallback faces) when
    /// wider than the narrowest line: `**contra**variant` or `` `usize`-like `` words are one
    /// word of several runs, and must break like any other rather than cross the margin.
    fn add_word(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        spans: &[(std::ops::Range<usize>, usize)],
        may_hyphenate: bool,
    ) {
        let parts: Vec<(std::ops::Range<usize>, usize)> = spans
            .iter()
            .filter(|(r, _)| r.start < range.end && r.end > range.start)
            .map(|(r, s)| (r.start.max(range.start)..r.end.min(range.end), *s))
            .collect();
        // Every shaped run of the word with the byte offset of its text in `text`.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (r, style) in &parts {
            for run in self.shape_runs(&text[r.clone()], *style) {
                runs.push((run, r.start + self.runs[run].0.offset));
            }
        }
        let total: Pt = runs.iter().map(|&(run, _)| self.runs[run].0.width).sum();
        let word = &text[range.clone()];
        // Break points as byte offsets into `text`: hyphenation (`None`) for ordinary words,
        // any grapheme boundary (`Some(preferred)`) for words that cannot fit a line at all.
        let mut points: Vec<(usize, Option<bool>)> = Vec::new();
        let mut hyphen = None;
        if total > self.narrowest {
            points = segment::emergency_splits(word)
                .into_iter()
                .map(|s| (range.start + s.offset, Some(s.preferred)))
                .collect();
        } else if let ([(_, style)], [_]) = (parts.as_slice(), runs.as_slice()) {
            let style = *style;
            let st = &self.styles[style];
            if self.hyphenate
                && may_hyphenate
                && st.family == Family::Serif
                && word.chars().count() >= 5
            {
                points = hyphenate(word, self.lang)
                    .into_iter()
                    .map(|o| (range.start + o, None))
                    .collect();
                if !points.is_empty() {
                    hyphen = self.shape_runs("-", style).first().copied();
                }
            }
        }
        // Each point as (run, glyph): only where a glyph starts exactly at the offset (never
        // inside a ligature), in increasing order (right-to-left runs get no cuts); glyph 0 of a
        // later run is the boundary between two runs.
        let mut cuts: Vec<(usize, usize, Option<bool>)> = Vec::new();
        for (offset, kind) in points {
            let found = runs.iter().enumerate().find_map(|(k, &(run, at))| {
                let shaped = &self.runs[run].0;
                if offset < at || offset >= at + shaped.text.len() {
                    return None;
                }
                let g = shaped
                    .glyphs
                    .iter()
                    .position(|g| at + g.cluster == offset)?;
                Some((k, g))
            });
            if let Some((k, g)) = found {
                let after_last = cuts.last().is_none_or(|c| (c.0, c.1) < (k, g));
                if (k, g) > (0, 0) && after_last {
                    cuts.push((k, g, kind));
                }
            }
        }
        // One box per piece between cuts; a box may hold glyphs of several runs.
        let mut cuts = cuts.into_iter().peekable();
        let mut content = Vec::new();
        let mut width = 0.0;
        for (k, &(run, _)) in runs.iter().enumerate() {
            let n = self.runs[run].0.glyphs.len();
            let mut start = 0;
            loop {
                let cut = cuts.next_if(|c| c.0 == k);
                let g = cut.map_or(n, |c| c.1);
                if g > start {
                    width += self.runs[run].0.width_of(start..g);
                    content.push(Content::Glyphs {
                        run,
                        range: start..g,
                    });
                }
                let Some((_, _, kind)) = cut else { break };
                self.push(linebreak::Item::Box { width }, std::mem::take(&mut content));
                width = 0.0;
                match kind {
                    None => {
                        let w = hyphen.map_or(0.0, |h| self.runs[h].0.width);
                        self.push(
                            linebreak::Item::hyphen(w, 50.0),
                            vec![Content::Break { hyphen }],
                        );
                    }
                    Some(preferred) => self.push(
                        linebreak::emergency_penalty(preferred),
                        vec![Content::Break { hyphen: None }],
                    ),
                }
                start = g;
            }
        }
        if !content.is_empty() || runs.is_empty() {
            self.push(linebreak::Item::Box { width }, content);
        }
    }

    /// Adds an emergency breakpoint between the adjacent boxes of every run of the paragraph
    /// that has none and is wider than `width` (see [`linebreak::emergency_joints`]): the parts
    /// of a compound longer than the line (`a-b-c-…`, where [`Paragraph::add_text`] allows no
    /// break after the hyphens), a word and its note mark. Breaking after a hyphen or slash is
    /// preferred to breaking before a note mark or an image.
    fn add_emergency_joints(&mut self, width: Pt) {
        let joints = linebreak::emergency_joints(&self.items, width);
        if joints.is_empty() {
            return;
        }
        let n = self.items.len() + joints.len();
        let mut items = Vec::with_capacity(n);
        let mut content: Vec<Vec<Content>> = Vec::with_capacity(n);
        let mut next = joints.into_iter().peekable();
        let old_items = std::mem::take(&mut self.items);
        let old_content = std::mem::take(&mut self.content);
        for (i, (item, c)) in old_items.into_iter().zip(old_content).enumerate() {
            if next.next_if_eq(&i).is_some() {
                let preferred = content.last().is_some_and(|c| self.ends_in_separator(c));
                items.push(linebreak::emergency_penalty(preferred));
                content.push(vec![Content::Break { hyphen: None }]);
            }
            items.push(item);
            content.push(c);
        }
        self.items = items;
        self.content = content;
    }

    /// Whether a box's drawn text ends in a character after which a long word or address
    /// reads naturally continued on the next line (a hyphen, a slash, a dot...).
    fn ends_in_separator(&self, content: &[Content]) -> bool {
        let last = content.iter().rev().find_map(|c| match c {
            Content::Glyphs { run, range } if !range.is_empty() => {
                let shaped = &self.runs[*run].0;
                let end = shaped
                    .glyphs
                    .get(range.end)
                    .map_or(shaped.text.len(), |g| g.cluster);
                shaped.text.get(..end)?.chars().next_back()
            }
            _ => None,
        });
        last.is_some_and(segment::is_url_separator)
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
        let end = linebreak::Item::paragraph_end();
        self.items.extend(end);
        self.content
            .extend([vec![], vec![], vec![Content::Marker(None)]]);
        let measure = widths.iter().copied().fold(Pt::INFINITY, Pt::min);
        // Words wider than `narrowest` were cut into pieces as they were added; runs of several
        // boxes wider than the line get breakpoints between them now, so no line need overflow.
        self.add_emergency_joints(measure.min(self.narrowest));
        // Justification needs room: on very short measures it opens holes, so set ragged.
        let justify = align == Align::Justify
            && measure >= 14.0 * self.styles.first().map_or(10.0, |s| s.size);
        let mut params = if justify {
            Params::new(measure)
        } else {
            Params::ragged(measure)
        };
        params.line_widths = widths.to_vec();
        params.last_line_fill = if justify { 0.15 } else { 0.0 };
        let lines = break_lines(&self.items, &params);
        (lines, params, justify)
    }

    fn set_line(&self, line: &linebreak::Line, width: Pt, align: Align, justify: bool) -> LineBox {
        let mut lb = LineBox {
            hyphenated: line.hyphenated,
            ..LineBox::default()
        };
        let mut x = 0.0;
        let mut texts: Vec<TextBatch> = Vec::new();
        let ratio = if justify { line.ratio } else { 0.0 };
        let end = line.end.min(self.items.len());
        let mut decorations: Vec<Item> = Vec::new();
        let mut link_spans: Vec<(LinkTarget, Pt, Pt, Pt, Pt)> = Vec::new();
        // The style of the line's last words, for the space that ends it.
        let mut last_style = None;
        for i in line.start..end {
            match self.items[i] {
                linebreak::Item::Box { .. } => {
                    for c in &self.content[i] {
                        match c {
                            Content::Glyphs { run, range } => {
                                last_style = Some(self.runs[*run].1);
                                let seg_w = self.runs[*run].0.width_of(range.clone());
                                self.place(
                                    &mut texts,
                                    *run,
                                    range.clone(),
                                    x,
                                    &mut decorations,
                                    &mut link_spans,
                                );
                                x += seg_w;
                            }
                            Content::Note { run, number } => {
                                let n = self.runs[*run].0.glyphs.len();
                                let seg_w = self.runs[*run].0.width;
                                self.place(
                                    &mut texts,
                                    *run,
                                    0..n,
                                    x,
                                    &mut decorations,
                                    &mut link_spans,
                                );
                                let st = &self.styles[self.runs[*run].1];
                                lb.items.push(Item::Anchor {
                                    id: format!("fnref-{number}"),
                                    y: -st.size * 2.0,
                                });
                                lb.items.push(Item::Link {
                                    x,
                                    y: -st.size * 1.6 - st.rise,
                                    w: seg_w,
                                    h: st.size * 1.6,
                                    target: LinkTarget::Anchor(format!("fn-{number}")),
                                    node: None,
                                });
                                if !lb.notes.contains(number) {
                                    lb.notes.push(*number);
                                }
                                x += seg_w;
                            }
                            Content::Marker(Some(id)) => lb.items.push(Item::Anchor {
                                id: id.clone(),
                                y: -12.0,
                            }),
                            Content::Math(b) => {
                                for it in &b.items {
                                    let mut it = it.clone();
                                    translate(&mut it, x, 0.0);
                                    lb.items.push(it);
                                }
                                lb.ascent = lb.ascent.max(b.height);
                                lb.descent = lb.descent.max(b.depth);
                                x += b.width;
                            }
                            Content::Image {
                                asset,
                                w,
                                h,
                                link,
                                node,
                            } => {
                                lb.items.push(Item::Image {
                                    x,
                                    y: -*h,
                                    w: *w,
                                    h: *h,
                                    asset: asset.clone(),
                                    node: *node,
                                });
                                if let Some(target) = link {
                                    lb.items.push(Item::Link {
                                        x,
                                        y: -*h,
                                        w: *w,
                                        h: *h,
                                        target: target.clone(),
                                        node: None,
                                    });
                                }
                                lb.ascent = lb.ascent.max(*h);
                                x += *w;
                            }
                            _ => {}
                        }
                    }
                }
                linebreak::Item::Glue {
                    width: w,
                    stretch,
                    shrink,
                } => {
                    if i == line.start {
                        continue;
                    }
                    let adj = if !stretch.is_finite() {
                        0.0
                    } else if ratio >= 0.0 {
                        ratio * stretch
                    } else {
                        ratio * shrink
                    };
                    if let Some(Content::Space { style }) = self.content[i].first() {
                        // A real space glyph at the gap's start keeps copy, search and
                        // pdftotext word boundaries exact; the next glyph is placed absolutely.
                        let (gid, _) = self.spaces.get(style).copied().unwrap_or((0, w));
                        let st = &self.styles[*style];
                        push_glyph(
                            &mut texts,
                            st,
                            self.fonts,
                            PlacedGlyph {
                                id: gid,
                                x,
                                y: -st.rise,
                                text: " ".into(),
                            },
                        );
                        if st.link.is_some() || st.code || st.strike || st.underline || st.highlight
                        {
                            self.decorate(st, x, w + adj, &mut decorations, &mut link_spans);
                        }
                    }
                    x += w + adj;
                }
                linebreak::Item::Penalty { .. } => {}
            }
        }
        // The break itself: a hyphen is drawn at the line end.
        if let (Some(linebreak::Item::Penalty { .. }), Some(cs)) =
            (self.items.get(line.end), self.content.get(line.end))
        {
            if let Some(Content::Break { hyphen: Some(h) }) = cs.first() {
                if line.hyphenated {
                    let n = self.runs[*h].0.glyphs.len();
                    self.place(&mut texts, *h, 0..n, x, &mut decorations, &mut link_spans);
                    x += self.runs[*h].0.width;
                }
            }
        }
        // A line broken at a space ends in one (drawn, invisible), so that text read in order
        // (copied, extracted, spoken from the tags) never glues its last word to the next
        // line's first.
        if !line.hyphenated && line.end + 1 < self.items.len() {
            if let Some(style) = last_style {
                if let Some(&(gid, _)) = self.spaces.get(&style) {
                    let st = &self.styles[style];
                    push_glyph(
                        &mut texts,
                        st,
                        self.fonts,
                        PlacedGlyph {
                            id: gid,
                            x,
                            y: -st.rise,
                            text: " ".into(),
                        },
                    );
                }
            }
        }
        // Alignment of ragged lines.
        let shift = match align {
            Align::Center => ((width - x) / 2.0).max(0.0),
            Align::Right => (width - x).max(0.0),
            _ => 0.0,
        };
        for (target, x0, x1, top, bottom) in link_spans {
            decorations.push(Item::Link {
                x: x0,
                y: top,
                w: x1 - x0,
                h: bottom - top,
                target,
                node: None,
            });
        }
        let mut items = decorations;
        for t in texts {
            items.push(Item::Text {
                x: 0.0,
                y: 0.0,
                font: t.font,
                size: t.size,
                color: t.color,
                glyphs: t.glyphs,
                node: None,
            });
        }
        items.append(&mut lb.items);
        if shift != 0.0 {
            for item in &mut items {
                shift_x(item, shift);
            }
        }
        lb.items = items;
        // Vertical extent: at least the body face's, more for larger or raised content.
        for st in &self.styles {
            let face = self.fonts.face(st.font(self.fonts));
            lb.ascent = lb.ascent.max(face.ascender * st.size + st.rise.max(0.0));
            lb.descent = lb.descent.max(-face.descender * st.size - st.rise.min(0.0));
        }
        lb
    }

    #[allow(clippy::too_many_arguments)]
    fn place(
        &self,
        texts: &mut Vec<TextBatch>,
        run: usize,
        range: std::ops::Range<usize>,
        x: Pt,
        decorations: &mut Vec<Item>,
        links: &mut Vec<(LinkTarget, Pt, Pt, Pt, Pt)>,
    ) {
        let (shaped, style) = &self.runs[run];
        let st = &self.styles[*style];
        let w = shaped.width_of(range.clone());
        for mut g in shaped.placed(range) {
            g.x += x;
            g.y -= st.rise;
            push_glyph_font(texts, shaped.font, st, g);
        }
        self.decorate(st, x, w, decorations, links);
    }

    /// Backgrounds, strike lines and link areas for a span of `w` at `x`.
    fn decorate(
        &self,
        st: &Style,
        x: Pt,
        w: Pt,
        decorations: &mut Vec<Item>,
        links: &mut Vec<(LinkTarget, Pt, Pt, Pt, Pt)>,
    ) {
        if st.code {
            decorations.push(Item::Rect {
                x: x - 0.5,
                y: -st.size * 0.95 - st.rise,
                w: w + 1.0,
                h: st.size * 1.3,
                fill: Some(super::layout::CODE_BG),
                stroke: None,
            });
        }
        if st.highlight {
            decorations.push(Item::Rect {
                x,
                y: -st.size * 0.95 - st.rise,
                w,
                h: st.size * 1.25,
                fill: Some(super::layout::HIGHLIGHT),
                stroke: None,
            });
        }
        if st.underline {
            decorations.push(Item::Line {
                x1: x,
                y1: st.size * 0.12 - st.rise,
                x2: x + w,
                y2: st.size * 0.12 - st.rise,
                width: st.size * 0.05,
                color: st.color,
            });
        }
        if st.strike {
            decorations.push(Item::Line {
                x1: x,
                y1: -st.size * 0.3 - st.rise,
                x2: x + w,
                y2: -st.size * 0.3 - st.rise,
                width: st.size * 0.06,
                color: st.color,
            });
        }
        if let Some(target) = &st.link {
            let top = -st.size * 1.0 - st.rise;
            let bottom = st.size * 0.3 - st.rise;
            match links.last_mut() {
                Some(last) if &last.0 == target && (x - last.2) < st.size => {
                    last.2 = x + w;
                    last.3 = last.3.min(top);
                    last.4 = last.4.max(bottom);
                }
                _ => links.push((target.clone(), x, x + w, top, bottom)),
            }
        }
    }
}

/// Glyphs of one font, size and colour on one line, merged into one text item.
struct TextBatch {
    font: FontId,
    size: Pt,
    color: Color,
    glyphs: Vec<PlacedGlyph>,
}

fn push_glyph(texts: &mut Vec<TextBatch>, st: &Style, fonts: &FontSet, g: PlacedGlyph) {
    push_glyph_font(texts, st.font(fonts), st, g);
}

fn push_glyph_font(texts: &mut Vec<TextBatch>, font: FontId, st: &Style, g: PlacedGlyph) {
    match texts.last_mut() {
        Some(t) if t.font == font && t.size == st.size && t.color == st.color => t.glyphs.push(g),
        _ => texts.push(TextBatch {
            font,
            size: st.size,
            color: st.color,
            glyphs: vec![g],
        }),
    }
}

/// Moves an item right by `dx`.
pub fn shift_x(item: &mut Item, dx: Pt) {
    match item {
        Item::Text { x, .. }
        | Item::Rect { x, .. }
        | Item::Image { x, .. }
        | Item::Link { x, .. } => *x += dx,
        Item::Line { x1, x2, .. } => {
            *x1 += dx;
            *x2 += dx;
        }
        Item::Anchor { .. } => {}
    }
}

/// Moves an item by `dx`, `dy`.
pub fn translate(item: &mut Item, dx: Pt, dy: Pt) {
    shift_x(item, dx);
    match item {
        Item::Text { y, .. }
        | Item::Rect { y, .. }
        | Item::Image { y, .. }
        | Item::Link { y, .. }
        | Item::Anchor { y, .. } => *y += dy,
        Item::Line { y1, y2, .. } => {
            *y1 += dy;
            *y2 += dy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
