//! Knuth–Plass total-fit line breaking over an abstract box/glue/penalty list.
//!
//! The breaker knows nothing about fonts or text: the caller turns a paragraph into [`Item`]s
//! (boxes for shaped words or word pieces, glue for spaces, penalties for hyphenation points and
//! forced breaks), calls [`break_lines`], and gets back one [`Line`] per output line.
//!
//! # Guarantees
//! * [`break_lines`] always returns breaks; it never fails and never panics. It runs up to three
//!   passes: the caller's `tolerance`, then a looser one, then an *emergency* pass with unlimited
//!   stretch (badness then also counts a virtual stretch of a quarter of the measure, as TeX's
//!   `\emergencystretch` does, so that loose lines are still ranked sensibly).
//! * **No line is wider than its measure** (after shrinking its glue fully), except when the line
//!   holds a single *unbreakable run*: items with no legal breakpoint between them that together
//!   are wider than the line (in practice one box: an image, or a word the caller did not split).
//!   Such a line then holds that run alone.
//! * **Over-long words and URLs**: the caller should split any word wider than the narrowest line
//!   into one box per piece at the offsets of `segment::emergency_splits`, with
//!   [`emergency_penalty`] between pieces. The breaker then breaks inside the word only when it
//!   must.
//! * **Over-long runs of several boxes** (a compound `a-b-c-…` whose parts the caller joins with
//!   no breakpoint, a word followed by a note mark): [`emergency_joints`] lists the places
//!   between adjacent boxes of every run wider than the line; the caller puts an
//!   [`emergency_penalty`] there. With both, every unbreakable run is at most one piece wide and
//!   the emergency pass finds lines within the measure.
//! * [`extents`] measures a paragraph without breaking it: its widest unbreakable run (the
//!   narrowest measure it can be set in without an overfull line) and its natural width.
//! * A line with no stretchable glue (such pieces, a lone word, fixed-width spaces) cannot be
//!   justified: it is set flush left at natural width (ratio 0) and ranked as if ragged, with a
//!   virtual stretch of a quarter of the measure, so it needs no emergency pass.
//! * At most `max_consecutive_hyphens` hyphenated (flagged) lines in a row: a hard limit in the
//!   normal passes; in the emergency pass it gives way (at an enormous cost) only when no
//!   arrangement within the limit exists, e.g. a word whose every syllable fills a line: the
//!   margin matters more than the hyphen count.
//! * Deterministic, and linear in the number of items: every active node is retired once a line
//!   from it would be overfull, dominated candidates are pruned, and the active list is capped.
//!
//! # Conventions
//! * Legal breakpoints: glue immediately after a box, and penalties with cost below
//!   [`PENALTY_INF`]. A penalty with cost `<= -PENALTY_INF` forces a break.
//! * After a break, glue and penalties are discarded up to the next box or forced break.
//! * A paragraph should end with [`Item::paragraph_end`] (penalty +inf, fill glue, forced break).
//!   If the items do not end in a forced break, one is implied after the last item, with fill, and
//!   the last [`Line::end`] is then `items.len()`. Items after the last box that are only glue or
//!   penalties are ignored.
//! * Fill glue has `stretch == f32::INFINITY` ([`Item::fill`]); a line containing it is set at
//!   natural width (its ratio is 0: the fill takes the remaining space).

mod engine;
mod prepare;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_oracle;

use super::frame::Pt;

/// Penalty cost at or above which a break is forbidden (and at or below whose negation forced).
pub const PENALTY_INF: f32 = 10_000.0;

/// Suggested cost of a penalty between emergency pieces of an over-long word that follow a
/// URL-like separator (`/`, `.`, `-`, `_`, `?`, `&`, `=`).
pub const EMERGENCY_PREFERRED_COST: f32 = 0.0;

/// Suggested cost of a penalty between other emergency pieces (grapheme cluster boundaries).
pub const EMERGENCY_COST: f32 = 50.0;

/// One element of the paragraph as the breaker sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Unbreakable material of a fixed width (a word, a word piece, an inline image).
    Box {
        /// Width of the material.
        width: Pt,
    },
    /// A space that may stretch and shrink; a breakpoint when it directly follows a box.
    Glue {
        /// Natural width.
        width: Pt,
        /// How far it may stretch at ratio 1 (`f32::INFINITY` for fill glue).
        stretch: Pt,
        /// How far it may shrink at ratio -1 (never beyond).
        shrink: Pt,
    },
    /// A possible break with a cost; `width` is added to the line only if it breaks here (the
    /// hyphen of a hyphenation point).
    Penalty {
        /// Width drawn at the end of the line when the break is taken.
        width: Pt,
        /// Cost of breaking here: `>= PENALTY_INF` forbids, `<= -PENALTY_INF` forces.
        cost: f32,
        /// A flagged break (a hyphen): consecutive flagged lines cost extra and are limited.
        flagged: bool,
    },
}

impl Item {
    /// Glue with infinite stretch, used before forced breaks so the line sets at natural width.
    pub fn fill() -> Item {
        Item::Glue {
            width: 0.0,
            stretch: f32::INFINITY,
            shrink: 0.0,
        }
    }

    /// A forced break (a hard line break); put [`Item::fill`] before it.
    pub fn forced_break() -> Item {
        Item::Penalty {
            width: 0.0,
            cost: -PENALTY_INF,
            flagged: false,
        }
    }

    /// A hyphenation point: breaking here draws a hyphen of `hyphen_width` at the line end.
    pub fn hyphen(hyphen_width: Pt, cost: f32) -> Item {
        Item::Penalty {
            width: hyphen_width,
            cost,
            flagged: true,
        }
    }

    /// The standard paragraph ending: no break before the fill, the fill, the final break.
    pub fn paragraph_end() -> [Item; 3] {
        [
            Item::Penalty {
                width: 0.0,
                cost: PENALTY_INF,
                flagged: false,
            },
            Item::fill(),
            Item::forced_break(),
        ]
    }
}

/// The penalty to put between the pieces of a word wider than the line (see the module docs).
pub fn emergency_penalty(preferred: bool) -> Item {
    let cost = if preferred {
        EMERGENCY_PREFERRED_COST
    } else {
        EMERGENCY_COST
    };
    Item::Penalty {
        width: 0.0,
        cost,
        flagged: false,
    }
}

/// One stretch of a paragraph between two consecutive legal breakpoints: the line it would make
/// if both were taken (glue and penalties after the first discarded, the hyphen of the second
/// included).
#[derive(Debug, Clone, Copy)]
struct Run {
    /// First content item.
    start: usize,
    /// The breakpoint that ends it (`items.len()` for an implied end).
    end: usize,
    /// Natural width, the ending penalty's width included.
    width: f64,
    /// It ends at a forced break (or the implied end).
    forced: bool,
}

/// The unbreakable runs of `items`, in order; empty runs (two breakpoints in a row) are left out.
fn runs(items: &[Item]) -> Vec<Run> {
    let prep = prepare::Prepared::new(items);
    let Some(last) = prep.final_break else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0;
    for b in 0..=last {
        if !prep.is_breakpoint(items, b) {
            continue;
        }
        let implied = b == items.len();
        let forced = implied
            || matches!(items.get(b), Some(Item::Penalty { cost, .. }) if *cost <= -PENALTY_INF);
        // A breakpoint among the glue and penalties skipped after the previous one starts no
        // line (the engine skips it too); a forced one still ends the (empty) line.
        if b < start || (b == start && !forced) {
            continue;
        }
        let end = if implied {
            prep.content_end.max(start)
        } else {
            b
        };
        let (pen_w, _) = prepare::penalty_at(items, b);
        out.push(Run {
            start,
            end: b,
            width: prep.sums(end).w - prep.sums(start).w + pen_w,
            forced,
        });
        start = prep.content_start(items, b);
    }
    out
}

/// `(widest unbreakable run, natural width of the widest line)` of a paragraph: the first is
/// the narrowest measure that sets it without an overfull line (a table column's minimum), the
/// second the measure it needs to stay on one line per forced break (the column's natural
/// width). Glue counts at its natural width. `(0, 0)` for items with no box.
pub fn extents(items: &[Item]) -> (Pt, Pt) {
    let mut widest_run: f64 = 0.0;
    let mut widest_line: f64 = 0.0;
    let mut line = 0.0;
    let mut prev_end: Option<usize> = None;
    for run in runs(items) {
        widest_run = widest_run.max(run.width);
        // Glue at a breakpoint that is not taken counts in the line: add the items between the
        // previous run's end and this run's start back in.
        if let Some(p) = prev_end {
            line += items[p..run.start]
                .iter()
                .map(|item| match *item {
                    Item::Glue { width, .. } if width.is_finite() => width as f64,
                    _ => 0.0,
                })
                .sum::<f64>();
            // The previous run's hyphen is only drawn when broken there.
            if let Some(Item::Penalty { width, .. }) = items.get(p) {
                line -= *width as f64;
            }
        }
        line += run.width;
        if run.forced {
            widest_line = widest_line.max(line);
            line = 0.0;
            prev_end = None;
        } else {
            prev_end = Some(run.end);
        }
    }
    (widest_run as Pt, widest_line.max(widest_run) as Pt)
}

/// Where a paragraph must get emergency breakpoints so that no line need be wider than `width`:
/// every index `i` such that `items[i - 1]` and `items[i]` are both boxes inside an unbreakable
/// run wider than `width`, ascending. Insert a penalty (usually [`emergency_penalty`]) before
/// each; boxes themselves wider than `width` must be split by the caller beforehand.
pub fn emergency_joints(items: &[Item], width: Pt) -> Vec<usize> {
    let limit = width as f64 + 1e-3;
    let mut out = Vec::new();
    for run in runs(items) {
        if run.width <= limit {
            continue;
        }
        let end = run.end.min(items.len());
        for i in run.start + 1..end {
            if matches!(items[i - 1], Item::Box { .. }) && matches!(items[i], Item::Box { .. }) {
                out.push(i);
            }
        }
    }
    out
}

/// How to break a paragraph. Build with [`Params::new`] and adjust fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Width of line `i`; lines after the last entry use the last entry. Empty means unlimited.
    pub line_widths: Vec<Pt>,
    /// Largest adjustment ratio (glue stretch used / stretchability) accepted in the first pass.
    /// 1.26 corresponds to TeX's `\tolerance=200`. Shrinking never goes beyond ratio -1.
    pub tolerance: f32,
    /// Make the paragraph this many lines longer (positive) or shorter (negative) than optimal,
    /// as far as feasible (TeX's `\looseness`). 0 is the norm.
    pub looseness: i32,
    /// Added to every line's badness before squaring (TeX's `\linepenalty`); fewer lines win ties.
    pub line_penalty: f32,
    /// Extra demerits when two consecutive lines end in flagged (hyphen) breaks.
    pub double_hyphen_demerits: f32,
    /// Extra demerits when the penultimate line of a paragraph (or before any forced break) ends
    /// with a hyphen, i.e. the last word is hyphenated.
    pub final_hyphen_demerits: f32,
    /// Hard limit on hyphenated lines in a row (2 by convention; 0 disables hyphen breaks).
    pub max_consecutive_hyphens: usize,
    /// Extra demerits when adjacent lines differ by more than one fitness class (a tight line
    /// next to a loose one), TeX's `\adjdemerits`.
    pub fitness_demerits: f32,
    /// Ragged-right: glue never stretches or shrinks (every [`Line::ratio`] is 0) and breaks are
    /// chosen to make line ends even, as if each line ended in `ragged_stretch` of stretch.
    pub ragged: bool,
    /// Virtual stretch at each line end in ragged mode; `<= 0` means a fifth of the line width.
    pub ragged_stretch: Pt,
    /// If above 0, a line that ends at a forced break (the last line) but fills less than this
    /// fraction of its width costs `fitness_demerits` extra (avoids one short word alone).
    pub last_line_fill: f32,
}

impl Params {
    /// Justified text on a constant measure with conventional TeX-like costs.
    pub fn new(width: Pt) -> Params {
        Params {
            line_widths: vec![width],
            tolerance: 1.26,
            looseness: 0,
            line_penalty: 10.0,
            double_hyphen_demerits: 10_000.0,
            final_hyphen_demerits: 100_000.0,
            max_consecutive_hyphens: 2,
            fitness_demerits: 10_000.0,
            ragged: false,
            ragged_stretch: 0.0,
            last_line_fill: 0.0,
        }
    }

    /// Ragged-right text on a constant measure (headings, very short measures).
    pub fn ragged(width: Pt) -> Params {
        Params {
            ragged: true,
            ..Params::new(width)
        }
    }

    /// Width of line `index` (0-based), per the rule on [`Params::line_widths`].
    pub fn line_width(&self, index: usize) -> Pt {
        match self.line_widths.get(index).or(self.line_widths.last()) {
            Some(w) => *w,
            None => f32::INFINITY,
        }
    }
}

/// One output line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// Index of the line's first item (glue and penalties after the previous break are skipped).
    pub start: usize,
    /// Index of the break item; the line's content is `items[start..end]`. If `items[end]` is a
    /// penalty, its width (the hyphen) is drawn at the line end. `items.len()` for an implied end.
    pub end: usize,
    /// Adjustment ratio: each glue in the line is set at `width + ratio * stretch` when the
    /// ratio is positive, else at `width + ratio * shrink`; never below -1. It can exceed the
    /// tolerance on lines of the emergency pass (a renderer may clamp it and leave the rest of
    /// the line ragged). 0 for ragged lines, lines with fill glue and lines with no glue; fill
    /// glue itself never stretches visibly (the line is left-aligned at natural width).
    pub ratio: f32,
    /// The line ends at a flagged penalty (a hyphen must be drawn).
    pub hyphenated: bool,
}

/// Break `items` into lines by the total-fit algorithm; see the module documentation for the
/// guarantees. Returns no lines when the items hold no box and no forced break.
pub fn break_lines(items: &[Item], params: &Params) -> Vec<Line> {
    let prepared = prepare::Prepared::new(items);
    let Some(last) = prepared.final_break else {
        return Vec::new();
    };
    let first = params.tolerance.max(0.0) as f64;
    let passes = [
        engine::Pass {
            tolerance: first,
            emergency: false,
        },
        engine::Pass {
            tolerance: (first * 2.5).max(3.0),
            emergency: false,
        },
        engine::Pass {
            tolerance: f64::INFINITY,
            emergency: true,
        },
    ];
    for pass in passes {
        if let Some(breaks) = engine::run(items, &prepared, params, pass) {
            return prepared.lines(items, params, &breaks);
        }
    }
    // The emergency pass cannot fail (every active node reaches the next breakpoint, overfull
    // only when no breakpoint lies inside); should it ever, set one line per breakpoint rather
    // than lose text.
    let breaks: Vec<usize> = (0..=last)
        .filter(|&i| prepared.is_breakpoint(items, i))
        .collect();
    prepared.lines(items, params, &breaks)
}
