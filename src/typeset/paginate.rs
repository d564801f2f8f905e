//! Pagination: the flow of fragments onto pages, keeping headings with what follows, avoiding
//! widows and orphans, and putting each footnote at the foot of the page that references it.

use super::frame::Pt;
use super::layout::{Fragment, PageBreak};
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
}

/// Space between the body and the footnote rule, and from the rule to the first note.
pub const NOTE_GAP: Pt = 10.0;

struct State<'a> {
    notes: &'a BTreeMap<u32, Vec<Fragment>>,
    height: Pt,
    pages: Vec<Page>,
    y: Pt,
    placed: BTreeSet<u32>,
    carry: VecDeque<(u32, usize)>,
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
            let page = self.page();
            if page.body.len() <= 3 || moved.len() >= 2 {
                break;
            }
            let Some((_, Placed::Body(k))) = page.body.last() else {
                break;
            };
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
        let carried: Vec<_> = self.carry.drain(..).collect();
        self.place_note_lines(carried);
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
        notes,
        height,
        pages: vec![Page::default()],
        y: 0.0,
        placed: BTreeSet::new(),
        carry: VecDeque::new(),
    };
    for (i, f) in frags.iter().enumerate() {
        if let Some(kind) = f.page_break {
            let blank = s.page().body.iter().all(|(_, placed)| match placed {
                Placed::Body(k) => frags[*k].height == 0.0 && frags[*k].items.is_empty(),
                Placed::Header(_) => false,
            });
            if !blank {
                s.new_page();
            }
            if kind == PageBreak::Recto && two_sided && s.pages.len().is_multiple_of(2) {
                s.new_page();
            }
        }
        // The chain of fragments that must share a page with this one.
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
            if !fj.keep_with_next || j + 1 >= frags.len() || chain > height {
                break;
            }
            j += 1;
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
            s.new_page();
            for k in moved {
                if !s.page().body.is_empty() {
                    s.y += frags[k].space_before;
                }
                let y = s.y;
                s.page().body.push((y, Placed::Body(k)));
                s.y += frags[k].height;
            }
        }
        let at_top = s.page().body.is_empty();
        if at_top {
            if let Some(header) = &f.header {
                let h = header.height;
                s.page().body.push((0.0, Placed::Header(header.clone())));
                s.y = h;
            }
        }
        if !s.page().body.is_empty() {
            s.y += f.space_before;
        }
        let y = s.y;
        s.page().body.push((y, Placed::Body(i)));
        s.y += f.height;
        for &n in &f.notes {
            if s.placed.insert(n) {
                let count = notes.get(&n).map_or(0, Vec::len);
                s.place_note_lines((0..count).map(|k| (n, k)));
            }
        }
    }
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
