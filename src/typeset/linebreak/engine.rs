//! One Knuth–Plass pass: active nodes, feasibility, demerits, candidate pruning, traceback.

use super::prepare::{penalty_at, Measure, Prepared, Sums};
use super::{Item, Params, PENALTY_INF};

/// Badness of a line with no stretch left to reach its width (only accepted in the last pass).
const INFINITE_BADNESS: f64 = 1e8;
/// Badness of an overfull line holding one unbreakable run (unavoidable; ranked last).
const OVERFULL_BADNESS: f64 = 1e9;
/// Demerits for exceeding the hyphen limit in the emergency pass (only to avoid an overfull line).
const HYPHEN_LIMIT_DEMERITS: f64 = 1e30;
/// Widths are compared with this slack so rounding never makes an exact fit overfull.
const EPSILON: f64 = 1e-3;
/// Active nodes kept at most (amortised): a safety net for degenerate input such as zero-width
/// items, where lines never become overfull and nodes would otherwise never retire.
const MAX_ACTIVE: usize = 256;
/// Marks the root of the traceback chain.
const ROOT: u32 = u32::MAX;

/// One pass's settings.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pass {
    /// Largest adjustment ratio accepted for stretching (infinite in the emergency pass).
    pub tolerance: f64,
    /// Emergency pass: virtual stretch for badness, hyphen limit soft.
    pub emergency: bool,
}

/// A node of the traceback chain: a break position and the node before it.
#[derive(Clone, Copy)]
struct Trail {
    pos: u32,
    prev: u32,
}

/// An active node: a feasible break from which further lines may start.
#[derive(Clone, Copy)]
struct Active {
    trail: u32,
    /// First content item of the next line.
    start: u32,
    /// Lines set so far (exact when looseness is used, else capped at the last distinct width).
    line: u32,
    fitness: u8,
    /// Flagged (hyphenated) lines in a row ending here.
    run: u8,
    demerits: f64,
    /// Width of the next line, and the prefix sums at `start`, cached because the inner loop
    /// reads them for every breakpoint.
    target: f64,
    at_start: Sums,
}

/// TeX's fitness classes: 0 tight, 1 decent, 2 loose, 3 very loose.
fn fitness(r: f64) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

/// A candidate node at the current breakpoint, before pruning.
#[derive(Clone, Copy)]
struct Candidate {
    class: u32,
    line: u32,
    fitness: u8,
    run: u8,
    demerits: f64,
    prev: u32,
}

/// Run one pass; `None` if no feasible set of breaks exists under its rules.
pub(super) fn run(
    items: &[Item],
    prep: &Prepared,
    params: &Params,
    pass: Pass,
) -> Option<Vec<usize>> {
    let last = prep.final_break?;
    let widths_len = params.line_widths.len().max(1);
    let max_run = params.max_consecutive_hyphens.min(u8::MAX as usize) as u8;
    let mut trail: Vec<Trail> = vec![Trail {
        pos: ROOT,
        prev: ROOT,
    }];
    let mut actives: Vec<Active> = vec![Active {
        trail: 0,
        start: 0,
        line: 0,
        fitness: 1,
        run: 0,
        demerits: 0.0,
        target: params.line_width(0) as f64,
        at_start: prep.sums(0),
    }];
    let mut cands: Vec<Candidate> = Vec::new();
    let mut dominated: Vec<bool> = Vec::new();
    let mut last_bp: Option<usize> = None;

    for b in 0..=last {
        if !prep.is_breakpoint(items, b) {
            continue;
        }
        let implied = b == items.len();
        let (pen_w, flagged) = penalty_at(items, b);
        let cost = match items.get(b) {
            Some(Item::Penalty { cost, .. }) => *cost as f64,
            _ => 0.0,
        };
        let forced = implied || cost <= -(PENALTY_INF as f64);
        // For an implied end, trailing glue and penalties are not part of the line.
        let at_b = prep.sums(if implied { prep.content_end } else { b });
        cands.clear();
        let mut removed = false;
        for a in actives.iter_mut() {
            let s = a.start as usize;
            if b < s || (b == s && !forced) {
                continue; // the line would be empty
            }
            let target = a.target;
            let m = Measure::between(&a.at_start, &at_b, pen_w, implied);
            let Some((badness, ratio)) = rate(&m, target, params, pass) else {
                // Overfull: retire the node, unless the line is one unbreakable run.
                if last_bp.is_some_and(|p| p >= s) {
                    a.demerits = f64::NAN;
                    removed = true;
                    continue;
                }
                let d = line_demerits(params, OVERFULL_BADNESS, cost, forced, flagged, a, 0);
                push_candidate(
                    &mut cands, a, d, 0, flagged, max_run, pass, params, widths_len,
                );
                continue;
            };
            if ratio > pass.tolerance {
                continue;
            }
            let fit = fitness(ratio);
            let mut d = line_demerits(params, badness, cost, forced, flagged, a, fit);
            if forced && params.last_line_fill > 0.0 && m.w < params.last_line_fill as f64 * target
            {
                d += params.fitness_demerits as f64;
            }
            push_candidate(
                &mut cands, a, d, fit, flagged, max_run, pass, params, widths_len,
            );
        }
        if forced {
            actives.clear();
        } else if removed {
            actives.retain(|a| !a.demerits.is_nan());
        }
        prune(&mut cands, params.fitness_demerits as f64, &mut dominated);
        let start = prep.content_start(items, b);
        let at_start = prep.sums(start);
        for c in &cands {
            trail.push(Trail {
                pos: b as u32,
                prev: c.prev,
            });
            actives.push(Active {
                trail: (trail.len() - 1) as u32,
                start: start as u32,
                line: c.line,
                fitness: c.fitness,
                run: c.run,
                demerits: c.demerits,
                target: params.line_width(c.line as usize) as f64,
                at_start,
            });
        }
        if actives.is_empty() {
            return None;
        }
        if actives.len() > 2 * MAX_ACTIVE {
            actives.sort_by(|x, y| x.demerits.total_cmp(&y.demerits));
            actives.truncate(MAX_ACTIVE);
        }
        last_bp = Some(b);
    }
    let best = choose_final(&actives, params.looseness)?;
    let mut breaks = Vec::new();
    let mut t = best.trail;
    while t != ROOT {
        let node = trail.get(t as usize)?;
        if node.pos == ROOT {
            break;
        }
        breaks.push(node.pos as usize);
        t = node.prev;
    }
    breaks.reverse();
    Some(breaks)
}

/// Badness and adjustment ratio of a line, or `None` if it is overfull even fully shrunk.
fn rate(m: &Measure, target: f64, params: &Params, pass: Pass) -> Option<(f64, f64)> {
    if !target.is_finite() {
        return Some((0.0, 0.0));
    }
    let (stretch, shrink) = if params.ragged {
        let virt = if params.ragged_stretch > 0.0 {
            params.ragged_stretch as f64
        } else {
            target.abs() / 5.0
        };
        (virt, 0.0)
    } else if m.y > 0.0 {
        (m.y, m.z)
    } else {
        // No stretchable glue (pieces of a split URL, a single word, fixed spaces): the line
        // cannot be justified and is set at natural width, ranked as if it were ragged.
        (target.abs() / 4.0, m.z)
    };
    let stretch = if pass.emergency {
        stretch + target.abs() / 4.0
    } else {
        stretch
    };
    let slack = target - m.w;
    if slack >= -EPSILON {
        if m.fills > 0 {
            return Some((0.0, 0.0));
        }
        if stretch <= 0.0 {
            return Some((INFINITE_BADNESS, f64::INFINITY));
        }
        let r = slack.max(0.0) / stretch;
        // Ragged lines are never too loose: the tolerance does not apply to them.
        let r_limit = if params.ragged { 0.0 } else { r };
        return Some(((100.0 * r * r * r).min(INFINITE_BADNESS), r_limit));
    }
    if shrink > 0.0 && slack >= -shrink - EPSILON {
        let r = (slack / shrink).max(-1.0);
        return Some((100.0 * -r * r * r, r));
    }
    None
}

/// Demerits of one line ending at the current breakpoint, from node `a`.
fn line_demerits(
    params: &Params,
    badness: f64,
    cost: f64,
    forced: bool,
    flagged: bool,
    a: &Active,
    fit: u8,
) -> f64 {
    let base = params.line_penalty as f64 + badness;
    let mut d = base * base;
    if cost > 0.0 {
        d += cost * cost;
    } else if !forced && cost < 0.0 {
        d -= cost * cost;
    }
    if flagged && a.run > 0 {
        d += params.double_hyphen_demerits as f64;
    }
    if forced && a.run > 0 {
        d += params.final_hyphen_demerits as f64;
    }
    if fit.abs_diff(a.fitness) > 1 {
        d += params.fitness_demerits as f64;
    }
    d
}

/// Record a candidate, applying the hyphen limit; keeps the best per (class, fitness, run).
#[allow(clippy::too_many_arguments)]
fn push_candidate(
    cands: &mut Vec<Candidate>,
    a: &Active,
    mut d: f64,
    fitness: u8,
    flagged: bool,
    max_run: u8,
    pass: Pass,
    params: &Params,
    widths_len: usize,
) {
    let run = if flagged { a.run.saturating_add(1) } else { 0 };
    if run > max_run {
        if !pass.emergency {
            return;
        }
        d += HYPHEN_LIMIT_DEMERITS;
    }
    let line = a.line.saturating_add(1);
    let class = if params.looseness != 0 {
        line
    } else {
        line.min(widths_len as u32 - 1)
    };
    let total = a.demerits + d;
    let cand = Candidate {
        class,
        line,
        fitness,
        run,
        demerits: total,
        prev: a.trail,
    };
    match cands
        .iter_mut()
        .find(|c| c.class == class && c.fitness == fitness && c.run == run)
    {
        Some(c) if total < c.demerits => *c = cand,
        Some(_) => {}
        None => cands.push(cand),
    }
}

/// Drop candidates that can never beat another from the same breakpoint and line class: one with
/// a run no longer and demerits lower even after paying the fitness demerits is better forever.
/// `dominated` is scratch space, reused to keep the hot loop free of allocation.
fn prune(cands: &mut Vec<Candidate>, fitness_demerits: f64, dominated: &mut Vec<bool>) {
    if cands.len() < 2 {
        return;
    }
    dominated.clear();
    for (me, c) in cands.iter().enumerate() {
        let beaten = cands.iter().enumerate().any(|(other, o)| {
            if other == me || o.class != c.class || o.run > c.run {
                return false;
            }
            let extra = if o.fitness == c.fitness {
                0.0
            } else {
                fitness_demerits
            };
            let better = o.demerits + extra;
            // Ties are broken by position so exactly one of two equal nodes survives.
            better < c.demerits || (better == c.demerits && other < me)
        });
        dominated.push(beaten);
    }
    let mut index = 0;
    cands.retain(|_| {
        index += 1;
        !dominated[index - 1]
    });
}

/// The final node: least demerits, or with looseness the line count nearest the target.
fn choose_final(actives: &[Active], looseness: i32) -> Option<Active> {
    let best = actives
        .iter()
        .copied()
        .reduce(|x, y| if y.demerits < x.demerits { y } else { x })?;
    if looseness == 0 {
        return Some(best);
    }
    let target = best.line as i64 + looseness as i64;
    actives.iter().copied().reduce(|x, y| {
        let (dx, dy) = (
            (x.line as i64 - target).abs(),
            (y.line as i64 - target).abs(),
        );
        if dy < dx || (dy == dx && y.demerits < x.demerits) {
            y
        } else {
            x
        }
    })
}
