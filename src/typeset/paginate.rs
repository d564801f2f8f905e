//! Pagination: the flow of fragments onto pages, keeping headings with what follows, avoiding
//! widows and orphans, and putting each footnote at the foot of the page that references it.
//!
//! Figures float (see [`Float`]): one that does not fit in the rest of a page waits, and the
//! text after it fills the page; it then heads the next page, above whatever text continues
//! there. Waiting figures keep their order, and all of them are set, where the text has got
//! to, before the next heading of their section's level or higher, before a page break and at
//! the end. Where a figure stood in the text stays on the page it left as a
//! [`Placed::FloatRef`], so that reading order (the tagged PDF's structure) keeps it there.

use super::frame::Pt;
use super::layout::{Float, Fragment, PageBreak};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// What sits on one page's text block.
#[derive(Debug, Default)]
pub struct Page {
    /// Body fragments with their top offsets in the text block.
    pub body: Vec<(Pt, Placed)>,
    /// Footnote lines (note number, line index) stacked at the foot, top to bottom.
    pub notes: Vec<(u32, usize)>,
    /// Height of the footnote area, separator included (0 without notes).
    pub notes_height: Pt,
}

/// A fragment placed on a page.
#[derive(Debug, Clone)]
pub enum Placed {
    /// Fragment `i` of the flow.
    Body(usize),
    /// A repeated table header.
    Header(Arc<Fragment>),
    /// Where the float that fragment `i` heads stood in the text, when it was set further on
    /// (at the top of a later page, or before a heading): it draws nothing, but this is its
    /// place in the reading order.
    FloatRef(usize),
}

/// Space between the body and the footnote rule, and from the rule to the first note.
pub const NOTE_GAP: Pt = 10.0;

struct State<'a> {
    frags: &'a [Fragment],
    notes: &'a BTreeMap<u32, Vec<Fragment>>,
    height: Pt,
    pages: Vec<Page>,
    y: Pt,
    placed: BTreeSet<u32>,
    carry: VecDeque<(u32, usize)>,
    /// Floats waiting for the top of the next page, in order: (first fragment, its mark).
    pending: VecDeque<(usize, Float)>,
    /// How many entries at the top of the current page are floats that waited for it: the
    /// page's text starts after them (a table header repeats under them).
    lead: usize,
    /// By fragment: the float it heads, for a float that may move (one taller than a page
    /// is set where it stands, like running text).
    floats: Vec<Option<Float>>,
    /// Which fragments belong to a float that may move (they never move with the lines
    /// around them).
    in_float: Vec<bool>,
}

impl State<'_> {
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("at least one page")
    }

    fn note_line_height(&self, number: u32, line: usize, first_on_page: bool) -> Pt {
        let Some(f) = self.notes.get(&number).and_then(|n| n.get(line)) else {
            return 0.0;
        };
        let sep = if first_on_page { NOTE_GAP } else { 0.0 };
        let space = if first_on_page { 0.0 } else { f.space_before };
        f.height + space + sep
    }

    /// Adds note lines while they fit below `self.y`; the rest wait for the next page.
    fn place_note_lines(&mut self, lines: impl IntoIterator<Item = (u32, usize)>) {
        for (number, line) in lines {
            let first = self.page().notes.is_empty();
            let h = self.note_line_height(number, line, first);
            let fits = self.carry.is_empty()
                && self.y + self.page().notes_height + h <= self.height + 0.01;
            if fits {
                let page = self.page();
                page.notes.push((number, line));
                page.notes_height += h;
            } else {
                self.carry.push_back((number, line));
            }
        }
    }

    /// A page should not end in a hyphenated word: the last line moves over with the one that
    /// starts the next page, taking the paragraph's first line along if it would be left alone.
    /// Lines with footnotes stay (their notes are already on this page), and a page is never
    /// left with fewer than three fragments.
    fn last_line_off(&mut self, frags: &[Fragment]) -> Vec<usize> {
        let mut moved = Vec::new();
        loop {
            let page = self.pages.last_mut().expect("at least one page");
            if page.body.len() <= 3 || moved.len() >= 2 {
                break;
            }
            let Some((_, Placed::Body(k))) = page.body.last() else {
                break;
            };
            if self.in_float[*k] {
                break;
            }
            let f = &frags[*k];
            let wanted = if moved.is_empty() {
                f.hyphenated
            } else {
                f.keep_with_next
            };
            if !wanted || !f.notes.is_empty() {
                break;
            }
            moved.push(*k);
            page.body.pop();
        }
        moved.reverse();
        moved
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = 0.0;
        self.lead = 0;
        let carried: Vec<_> = self.carry.drain(..).collect();
        self.place_note_lines(carried);
    }

    /// Starts a new page headed by the floats that wait for it, as many as fit, in order.
    fn new_page_with_floats(&mut self) {
        self.new_page();
        let mut gap = None;
        while let Some(&(start, float)) = self.pending.front() {
            let empty = self.page().body.is_empty();
            let h = self.float_height(start, float, empty);
            // The first one goes on an empty page even when carried notes leave it short.
            let fits = self.y + h + self.page().notes_height <= self.height + 0.01
                || empty && self.page().notes_height == 0.0;
            if !fits {
                break;
            }
            self.pending.pop_front();
            self.place_float(start, float);
            gap = Some(float.gap);
        }
        if let Some(gap) = gap {
            self.y += gap;
        }
        self.lead = self.page().body.len();
    }

    /// Height a float takes, with its notes; `top`: at the top of a page, where the space
    /// above it is dropped (above its first fragment that takes room: the first may be the
    /// figure's anchor).
    fn float_height(&self, start: usize, float: Float, top: bool) -> Pt {
        let mut h = 0.0;
        for f in &self.frags[start..start + float.len] {
            let space = if top && h == 0.0 { 0.0 } else { f.space_before };
            h += space + f.height + self.new_notes_height(f);
        }
        h
    }

    /// Sets a float's fragments one under the other from `self.y`, with their notes.
    fn place_float(&mut self, start: usize, float: Float) {
        let top = self.y == 0.0 && self.page().body.is_empty();
        for k in start..start + float.len {
            self.place_spaced(k, !(top && self.y == 0.0));
        }
    }

    /// Sets fragment `k` at `self.y` (after its space, unless it starts the page) and the
    /// notes it references first.
    fn place(&mut self, k: usize) {
        let spaced = !self.page().body.is_empty();
        self.place_spaced(k, spaced);
    }

    /// [`State::place`], with the space above the fragment or without.
    fn place_spaced(&mut self, k: usize, spaced: bool) {
        let f = &self.frags[k];
        if spaced {
            self.y += f.space_before;
        }
        let y = self.y;
        self.page().body.push((y, Placed::Body(k)));
        self.y += f.height;
        for &n in &f.notes {
            if self.placed.insert(n) {
                let count = self.notes.get(&n).map_or(0, Vec::len);
                self.place_note_lines((0..count).map(|line| (n, line)));
            }
        }
    }

    /// Sets every waiting float here, in order, each on a new page when it does not fit:
    /// the text is about to reach a place no float may pass.
    fn flush_floats(&mut self) {
        while let Some((start, float)) = self.pending.pop_front() {
            let empty = self.page().body.is_empty();
            let h = self.float_height(start, float, empty);
            if !empty && self.y + h + self.page().notes_height > self.height + 0.01 {
                self.new_page();
            }
            self.place_float(start, float);
        }
    }

    /// The fragment after `j` in the running text: floats are out of it, except one right
    /// before a heading, a page break or the end, which is set before them: a heading stays
    /// with the figure that is all its section holds, as it would with text.
    fn next_in_text(&self, j: usize) -> usize {
        let mut next = j + 1;
        while let Some(float) = self.floats.get(next).copied().flatten() {
            let after = next + float.len;
            let held = self
                .frags
                .get(after)
                .is_none_or(|f| f.heading.is_some() || f.page_break.is_some());
            if held {
                break;
            }
            next = after;
        }
        next
    }

    /// Height the notes first referenced in `f` will need.
    fn new_notes_height(&self, f: &Fragment) -> Pt {
        let mut h = 0.0;
        for n in &f.notes {
            if !self.placed.contains(n) {
                if let Some(lines) = self.notes.get(n) {
                    h += lines.iter().map(|l| l.height + l.space_before).sum::<Pt>();
                }
            }
        }
        if h > 0.0 && self.page_notes_empty() {
            h += NOTE_GAP;
        }
        h
    }

    fn page_notes_empty(&self) -> bool {
        self.pages.last().is_none_or(|p| p.notes.is_empty())
    }
}

/// Stacks `frags` onto pages of text-block height `height`. With `two_sided`, a
/// [`PageBreak::Recto`] break moves on to the next odd-numbered page (leaving a blank one).
pub fn paginate(
    frags: &[Fragment],
    notes: &BTreeMap<u32, Vec<Fragment>>,
    height: Pt,
    two_sided: bool,
) -> Vec<Page> {
    let mut s = State {
        frags,
        notes,
        height,
        pages: vec![Page::default()],
        y: 0.0,
        placed: BTreeSet::new(),
        carry: VecDeque::new(),
        pending: VecDeque::new(),
        lead: 0,
        floats: vec![None; frags.len()],
        in_float: vec![false; frags.len()],
    };
    for (i, f) in frags.iter().enumerate() {
        let Some(mut float) = f.float else { continue };
        // Never past the end of the flow, never empty.
        float.len = float.len.clamp(1, frags.len() - i);
        if s.float_height(i, float, true) <= height + 0.01 {
            s.floats[i] = Some(float);
            s.in_float[i..i + float.len].fill(true);
        }
    }
    let mut i = 0;
    while i < frags.len() {
        let f = &frags[i];
        // No float passes a page break or a heading that ends its section.
        let barrier = f.page_break.is_some()
            || f.heading
                .is_some_and(|h| s.pending.iter().any(|(_, fl)| h <= fl.level));
        if barrier {
            s.flush_floats();
        }
        if let Some(float) = s.floats[i] {
            let empty = s.page().body.is_empty();
            let here = s.float_height(i, float, empty);
            let fits = s.y + here + s.page().notes_height <= height + 0.01;
            if s.pending.is_empty() && (fits || empty) {
                s.place_float(i, float);
            } else {
                let y = s.y;
                s.page().body.push((y, Placed::FloatRef(i)));
                s.pending.push_back((i, float));
            }
            i += float.len;
            continue;
        }
        // A figure taller than a page (a long table) is set where it stands, where it may
        // split across pages; the floats before it go first.
        if f.float.is_some() {
            s.flush_floats();
        }
        if let Some(kind) = f.page_break {
            let blank = s.page().body.iter().all(|(_, placed)| match placed {
                Placed::Body(k) => frags[*k].height == 0.0 && frags[*k].items.is_empty(),
                Placed::Header(_) => false,
                Placed::FloatRef(_) => true,
            });
            if !blank {
                s.new_page();
            }
            if kind == PageBreak::Recto && two_sided && s.pages.len().is_multiple_of(2) {
                s.new_page();
            }
        }
        // The chain of fragments that must share a page with this one (floats are out of
        // the running text: a heading stays with the text after a figure that floats).
        let mut chain = 0.0;
        let mut own = None;
        let mut j = i;
        loop {
            let fj = &frags[j];
            let space = if j == i && s.y == 0.0 {
                0.0
            } else {
                fj.space_before
            };
            chain += space + fj.height + s.new_notes_height(fj);
            own.get_or_insert(chain);
            let next = s.next_in_text(j);
            if !fj.keep_with_next || next >= frags.len() || chain > height {
                break;
            }
            j = next;
        }
        // A chain taller than a page (a heading of thousands of lines, hundreds of table
        // parts) fits on no page: it is set like running text, a new page only when this
        // fragment itself does not fit; moving it on would leave one fragment per page.
        if chain > height {
            chain = own.unwrap_or(chain);
        }
        let page_notes = s.page().notes_height;
        let at_top = s.y == 0.0 && s.page().body.is_empty();
        if !at_top
            && (s.y + chain + page_notes > height + 0.01
                || !s.carry.is_empty() && chain > 0.0 && s.y + chain + page_notes > height)
        {
            let moved = s.last_line_off(frags);
            s.new_page_with_floats();
            for k in moved {
                s.place(k);
            }
        }
        // The page's text starts here (under the floats that head it): a table continued
        // from the page before repeats its header.
        if s.page().body.len() == s.lead {
            if let Some(header) = &f.header {
                let y = s.y;
                s.page().body.push((y, Placed::Header(header.clone())));
                s.y += header.height;
            }
        }
        s.place(i);
        i += 1;
    }
    s.flush_floats();
    // Notes never reached from the body (a note referenced only inside another note) still
    // appear, after everything else.
    let rest: Vec<u32> = notes
        .keys()
        .copied()
        .filter(|n| !s.placed.contains(n))
        .collect();
    for n in rest {
        let count = notes.get(&n).map_or(0, Vec::len);
        s.place_note_lines((0..count).map(|k| (n, k)));
    }
    let mut guard = 0;
    while !s.carry.is_empty() && guard < 100_000 {
        s.new_page();
        guard += 1;
    }
    s.pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(h: Pt, keep: bool) -> Fragment {
        Fragment {
            height: h,
            keep_with_next: keep,
            ..Fragment::default()
        }
    }

    fn pages_of(p: &[Page]) -> Vec<Vec<usize>> {
        p.iter()
            .map(|pg| {
                pg.body
                    .iter()
                    .filter_map(|(_, pl)| {
                        if let Placed::Body(i) = pl {
                            Some(*i)
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// A float of `len` fragments: a picture `h` high and caption lines of 10.
    fn figure(h: Pt, len: usize, level: u8) -> Vec<Fragment> {
        let mut frags = vec![line(h, len > 1)];
        frags[0].space_before = 5.0;
        frags[0].float = Some(Float {
            len,
            level,
            gap: 4.0,
        });
        frags.extend((1..len).map(|_| line(10.0, false)));
        frags
    }

    fn heading(level: u8) -> Fragment {
        Fragment {
            heading: Some(level),
            ..line(10.0, true)
        }
    }

    fn refs_of(p: &Page) -> Vec<usize> {
        p.body
            .iter()
            .filter_map(|(_, pl)| match pl {
                Placed::FloatRef(i) => Some(*i),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_figure_that_does_not_fit_heads_the_next_page_and_text_fills_the_gap() {
        // 5 lines (0..5), a 60-high figure with a caption line (5, 6) that needs 75 of the 50
        // left, then 7 lines (7..14): 5 fill the first page, 2 go under the figure (60 + 10,
        // the gap of 4, then 10 each).
        let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
        frags.extend(figure(60.0, 2, 2));
        frags.extend((0..7).map(|_| line(10.0, false)));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![vec![0, 1, 2, 3, 4, 7, 8, 9, 10, 11], vec![5, 6, 12, 13]]
        );
        // It stood after line 4: the reference is there, on the first page.
        assert_eq!(refs_of(&pages[0]), vec![5]);
        // At the very top (its own space dropped), the text a gap below its caption.
        assert_eq!(pages[1].body[0].0, 0.0);
        assert_eq!(pages[1].body[2].0, 60.0 + 10.0 + 4.0);
        // Where it fits it stays where it is written.
        let mut frags: Vec<Fragment> = (0..2).map(|_| line(10.0, false)).collect();
        frags.extend(figure(50.0, 2, 2));
        frags.push(line(10.0, false));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(pages_of(&pages), vec![vec![0, 1, 2, 3, 4]]);
        assert!(refs_of(&pages[0]).is_empty());
    }

    #[test]
    fn a_figure_never_passes_a_heading_of_its_level_or_higher() {
        // The figure (level 2) cannot fit after 5 lines; a level-3 heading does not stop it,
        // a level-2 one does: it is set before that heading, on a new page.
        for (level, expect) in [
            (3, vec![vec![0, 1, 2, 3, 4, 7, 8, 9, 10, 11], vec![5, 6]]),
            (
                2,
                vec![vec![0, 1, 2, 3, 4, 7], vec![5, 6, 8, 9, 10], vec![11]],
            ),
            (
                1,
                vec![vec![0, 1, 2, 3, 4, 7], vec![5, 6, 8, 9, 10], vec![11]],
            ),
        ] {
            let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
            frags.extend(figure(60.0, 2, 2));
            frags.push(line(10.0, false));
            frags.push(heading(level));
            frags.extend((0..3).map(|_| line(10.0, false)));
            let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
            assert_eq!(pages_of(&pages), expect, "heading of level {level}");
        }
        // Before the first heading (`u8::MAX`), every heading ends the figure's section.
        let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
        frags.extend(figure(60.0, 2, u8::MAX));
        frags.push(heading(6));
        frags.push(line(10.0, false));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8]]
        );
        // Nor a page break (a chapter).
        let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
        frags.extend(figure(60.0, 2, 1));
        frags.push(line(10.0, false));
        frags.push(Fragment {
            page_break: Some(PageBreak::Recto),
            ..line(10.0, false)
        });
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![vec![0, 1, 2, 3, 4, 7], vec![5, 6], vec![8]]
        );
    }

    #[test]
    fn waiting_figures_keep_their_order() {
        // Two figures that do not fit after 5 lines, the second one small enough to fit: it
        // waits behind the first. Both head the next page, in order; a third that fits
        // neither there nor on the first heads the page after.
        let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
        frags.extend(figure(60.0, 1, 2)); // 5
        frags.extend(figure(20.0, 1, 2)); // 6
        frags.extend(figure(50.0, 1, 2)); // 7
        frags.extend((0..14).map(|_| line(10.0, false))); // 8..22
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        let p = pages_of(&pages);
        assert_eq!(p[0], vec![0, 1, 2, 3, 4, 8, 9, 10, 11, 12]);
        assert_eq!(p[1], vec![5, 6, 13]);
        assert_eq!(p[2][0], 7, "{p:?}");
        assert_eq!(refs_of(&pages[0]), vec![5, 6, 7]);
    }

    #[test]
    fn a_heading_stays_with_a_figure_set_before_the_next_heading() {
        // 8 lines, a heading, a figure that does not fit, the next heading: the figure is set
        // before that heading on a new page, and its own heading goes with it.
        let mut frags: Vec<Fragment> = (0..8).map(|_| line(10.0, false)).collect();
        frags.push(heading(2)); // 8
        frags.extend(figure(60.0, 2, 2)); // 9, 10
        frags.push(heading(2)); // 11
        frags.extend((0..2).map(|_| line(10.0, false))); // 12, 13
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![(0..8).collect::<Vec<_>>(), vec![8, 9, 10], vec![11, 12, 13]]
        );
        // The same at the end of the flow.
        let mut frags: Vec<Fragment> = (0..8).map(|_| line(10.0, false)).collect();
        frags.push(heading(2));
        frags.extend(figure(60.0, 2, 2));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![(0..8).collect::<Vec<_>>(), vec![8, 9, 10]]
        );
    }

    #[test]
    fn a_figure_taller_than_a_page_stays_where_it_stands() {
        // A 3-fragment "table" of 50 each is taller than the page: set in place, split.
        let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
        let mut table = figure(50.0, 3, 2);
        table[1].height = 50.0;
        table[2].height = 50.0;
        frags.extend(table);
        frags.push(line(10.0, false));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert!(pages.iter().all(|p| refs_of(p).is_empty()));
        assert_eq!(pages_of(&pages)[0], vec![0, 1, 2, 3, 4]);
        assert_eq!(pages_of(&pages).concat(), (0..9).collect::<Vec<_>>());
    }

    #[test]
    fn a_table_continued_under_a_floated_figure_repeats_its_header() {
        let header = Arc::new(line(10.0, false));
        let row = || Fragment {
            header: Some(header.clone()),
            ..line(10.0, false)
        };
        let mut frags: Vec<Fragment> = (0..5).map(|_| line(10.0, false)).collect();
        frags.extend(figure(60.0, 1, 2)); // 5
        frags.extend((0..8).map(|_| row())); // 6..14
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        let second = &pages[1].body;
        assert!(matches!(second[0].1, Placed::Body(5)));
        assert!(matches!(second[1].1, Placed::Header(_)), "{second:?}");
        assert!(matches!(second[2].1, Placed::Body(11)), "{second:?}");
    }

    #[test]
    fn heading_moves_with_its_text() {
        // 9 lines fill 90 of 100; a heading (kept with next) and a 3-line paragraph follow.
        let mut frags: Vec<Fragment> = (0..9).map(|_| line(10.0, false)).collect();
        frags.push(line(10.0, true)); // heading at 90..100 would strand
        frags.push(line(10.0, true));
        frags.push(line(10.0, true));
        frags.push(line(10.0, false));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![(0..9).collect::<Vec<_>>(), vec![9, 10, 11, 12]]
        );
    }

    #[test]
    fn a_chain_taller_than_a_page_fills_its_pages() {
        // 1,000 lines that all keep with the next (a heading of thousands of characters) can
        // share no page; they fill pages of ten, as running text does, not one per page.
        let mut frags: Vec<Fragment> = vec![line(10.0, false); 3];
        frags.extend((0..1000).map(|_| line(10.0, true)));
        frags.push(line(10.0, false));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(pages.len(), 101);
        assert!(pages_of(&pages)
            .iter()
            .all(|p| p.len() == 10 || p.len() == 4));
    }

    #[test]
    fn no_widow_or_orphan() {
        // A 4-line paragraph (first and second-to-last keep with next) after 8 lines of 10 in 100.
        let mut frags: Vec<Fragment> = (0..8).map(|_| line(10.0, false)).collect();
        frags.extend([
            line(10.0, true),
            line(10.0, false),
            line(10.0, true),
            line(10.0, false),
        ]);
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        // Lines 8,9 fit; 10 and 11 move together so no last line is alone on the next page.
        assert_eq!(
            pages_of(&pages),
            vec![(0..10).collect::<Vec<_>>(), vec![10, 11]]
        );
        // Orphan: a paragraph starting on the last line moves whole.
        let mut frags: Vec<Fragment> = (0..9).map(|_| line(10.0, false)).collect();
        frags.extend([line(10.0, true), line(10.0, false)]);
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![(0..9).collect::<Vec<_>>(), vec![9, 10]]
        );
    }

    #[test]
    fn footnote_on_the_page_of_its_reference() {
        let mut frags: Vec<Fragment> = (0..8).map(|_| line(10.0, false)).collect();
        let mut with_note = line(10.0, false);
        with_note.notes = vec![1];
        frags.push(with_note);
        let notes = BTreeMap::from([(1, vec![line(8.0, false), line(8.0, false)])]);
        let pages = paginate(&frags, &notes, 100.0, false);
        // 80 + 10 + note (10 gap + 16) = 116 > 100: the referencing line moves with its note.
        assert_eq!(pages_of(&pages), vec![(0..8).collect::<Vec<_>>(), vec![8]]);
        assert_eq!(pages[1].notes, vec![(1, 0), (1, 1)]);
    }

    #[test]
    fn a_page_does_not_end_in_a_hyphen() {
        // 10 lines fill the page; line 9 (index 9) ends in a hyphen and its paragraph continues.
        let mut frags: Vec<Fragment> = (0..9).map(|_| line(10.0, false)).collect();
        let mut hyphenated = line(10.0, false);
        hyphenated.hyphenated = true;
        frags.push(hyphenated);
        frags.push(line(10.0, false));
        let pages = paginate(&frags, &BTreeMap::new(), 100.0, false);
        assert_eq!(
            pages_of(&pages),
            vec![(0..9).collect::<Vec<_>>(), vec![9, 10]]
        );
    }

    #[test]
    fn long_note_continues_on_next_page() {
        let mut first = line(10.0, false);
        first.notes = vec![1];
        let notes = BTreeMap::from([(1, (0..20).map(|_| line(8.0, false)).collect::<Vec<_>>())]);
        let pages = paginate(&[first, line(10.0, false)], &notes, 100.0, false);
        assert!(pages.len() >= 2);
        let total: usize = pages.iter().map(|p| p.notes.len()).sum();
        assert_eq!(total, 20, "every note line is placed once");
        assert_eq!(
            pages[0].notes.first(),
            Some(&(1, 0)),
            "the note starts on its reference's page"
        );
    }
}
