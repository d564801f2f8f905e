//! Per-paragraph preparation shared by every pass: prefix sums, breakpoints, final lines.

use super::{Item, Line, Params, PENALTY_INF};

/// Per-paragraph data shared by all passes.
pub(super) struct Prepared {
    /// Prefix sums (length n+1) of width, finite stretch, shrink and the count of fill glues.
    width: Vec<f64>,
    stretch: Vec<f64>,
    shrink: Vec<f64>,
    fills: Vec<u32>,
    /// Index of the last break: the final forced penalty, or `items.len()` for an implied end.
    pub final_break: Option<usize>,
    /// For an implied end: one past the last box. Trailing glue and penalties after it are
    /// neither breakpoints nor part of the last line.
    pub(super) content_end: usize,
}

/// Prefix sums at one index.
#[derive(Clone, Copy)]
pub(super) struct Sums {
    pub w: f64,
    pub y: f64,
    pub z: f64,
    pub fills: u32,
}

fn finite_or_zero(v: f32) -> f64 {
    if v.is_finite() {
        v as f64
    } else {
        0.0
    }
}

impl Prepared {
    pub(super) fn new(items: &[Item]) -> Prepared {
        let n = items.len();
        let (mut width, mut stretch, mut shrink, mut fills) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
        );
        let (mut w, mut y, mut z, mut f) = (0.0f64, 0.0f64, 0.0f64, 0u32);
        let mut final_break = None;
        let mut content_end = 0;
        for (i, item) in items.iter().enumerate() {
            width.push(w);
            stretch.push(y);
            shrink.push(z);
            fills.push(f);
            match *item {
                Item::Box { width } => {
                    w += finite_or_zero(width);
                    // Content after the last forced break: an end is implied after the items.
                    final_break = Some(n);
                    content_end = i + 1;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    w += finite_or_zero(width);
                    if stretch == f32::INFINITY {
                        f += 1;
                    } else {
                        y += finite_or_zero(stretch).max(0.0);
                    }
                    z += finite_or_zero(shrink).max(0.0);
                }
                Item::Penalty { cost, .. } => {
                    if cost <= -PENALTY_INF {
                        final_break = Some(i);
                    }
                }
            }
        }
        width.push(w);
        stretch.push(y);
        shrink.push(z);
        fills.push(f);
        Prepared {
            width,
            stretch,
            shrink,
            fills,
            final_break,
            content_end,
        }
    }

    /// Whether a line may end at `i` (the implied end counts).
    pub(super) fn is_breakpoint(&self, items: &[Item], i: usize) -> bool {
        if Some(i) == self.final_break {
            return true;
        }
        if self.final_break == Some(items.len()) && i >= self.content_end {
            return false;
        }
        match items.get(i) {
            Some(Item::Glue { .. }) => i > 0 && matches!(items[i - 1], Item::Box { .. }),
            Some(Item::Penalty { cost, .. }) => *cost < PENALTY_INF,
            _ => false,
        }
    }

    /// First content item after a break at `b`: glue and non-forced penalties are discarded.
    pub(super) fn content_start(&self, items: &[Item], b: usize) -> usize {
        let mut j = b + 1;
        while let Some(item) = items.get(j) {
            match item {
                Item::Box { .. } => break,
                Item::Penalty { cost, .. } if *cost <= -PENALTY_INF => break,
                _ => j += 1,
            }
        }
        j.min(items.len())
    }

    /// Turn break positions into lines with their final adjustment ratios.
    pub(super) fn lines(&self, items: &[Item], params: &Params, breaks: &[usize]) -> Vec<Line> {
        let mut out = Vec::with_capacity(breaks.len());
        let mut start = 0;
        for (index, &end) in breaks.iter().enumerate() {
            let start_here = start.min(end);
            let (pen_w, flagged) = penalty_at(items, end);
            let m = self.measure(start_here, end, pen_w, end == items.len());
            let target = params.line_width(index) as f64;
            let ratio = if params.ragged || !target.is_finite() {
                0.0
            } else if m.w <= target {
                if m.fills > 0 || m.y <= 0.0 {
                    0.0
                } else {
                    (target - m.w) / m.y
                }
            } else if m.z > 0.0 {
                ((target - m.w) / m.z).max(-1.0)
            } else {
                0.0
            };
            out.push(Line {
                start: start_here,
                end,
                ratio: ratio as f32,
                hyphenated: flagged,
            });
            start = self.content_start(items, end);
        }
        out
    }

    fn measure(&self, s: usize, b: usize, pen_w: f64, implied_end: bool) -> Measure {
        let b = if implied_end {
            self.content_end.max(s)
        } else {
            b
        };
        Measure::between(&self.sums(s), &self.sums(b), pen_w, implied_end)
    }

    pub(super) fn sums(&self, i: usize) -> Sums {
        Sums {
            w: self.width[i],
            y: self.stretch[i],
            z: self.shrink[i],
            fills: self.fills[i],
        }
    }
}

/// Natural width, stretch, shrink and fill count of a candidate line.
pub(super) struct Measure {
    pub w: f64,
    pub y: f64,
    pub z: f64,
    pub fills: u32,
}

impl Measure {
    /// The line from prefix sums `s` to `b`, plus the break's penalty width.
    pub(super) fn between(s: &Sums, b: &Sums, pen_w: f64, implied_end: bool) -> Measure {
        Measure {
            w: b.w - s.w + pen_w,
            y: b.y - s.y,
            z: b.z - s.z,
            fills: b.fills.saturating_sub(s.fills) + u32::from(implied_end),
        }
    }
}

/// Width and flag of the penalty at `i` (zero and false for anything else).
pub(super) fn penalty_at(items: &[Item], i: usize) -> (f64, bool) {
    match items.get(i) {
        Some(Item::Penalty { width, flagged, .. }) => (finite_or_zero(*width), *flagged),
        _ => (0.0, false),
    }
}
