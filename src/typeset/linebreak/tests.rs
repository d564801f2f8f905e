//! Behavioural tests of the line breaker: measure, forced breaks, hyphen limit, emergencies, size.

use super::*;

/// A small deterministic PRNG (xorshift64*), so generated paragraphs are the same every run.
pub(super) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Inter-word glue used by the generated paragraphs.
pub(super) fn space() -> Item {
    Item::Glue {
        width: 3.0,
        stretch: 1.5,
        shrink: 1.0,
    }
}

pub(super) fn word(width: f32) -> Item {
    Item::Box { width }
}

/// A paragraph of `words` random words; some are split into hyphenated pieces and, with
/// `forced`, some words are followed by a hard line break.
pub(super) fn paragraph(rng: &mut Rng, words: usize, hyphens: bool, forced: bool) -> Vec<Item> {
    let mut items = Vec::new();
    for i in 0..words {
        if i > 0 {
            items.push(space());
        }
        let pieces = if hyphens && rng.range(0, 2) == 0 {
            rng.range(2, 3)
        } else {
            1
        };
        for p in 0..pieces {
            if p > 0 {
                items.push(Item::hyphen(2.0, 50.0));
            }
            items.push(word(rng.range(4, 18) as f32));
        }
        if forced && i + 1 < words && rng.range(0, 9) == 0 {
            items.push(Item::Penalty {
                width: 0.0,
                cost: PENALTY_INF,
                flagged: false,
            });
            items.push(Item::fill());
            items.push(Item::forced_break());
        }
    }
    items.extend(Item::paragraph_end());
    items
}

/// Whether `i` is a legal breakpoint (independent of the engine's code).
pub(super) fn legal(items: &[Item], i: usize) -> bool {
    match items[i] {
        Item::Box { .. } => false,
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Penalty { cost, .. } => cost < PENALTY_INF,
    }
}

/// Check the invariants every result must hold: lines in order, every box in exactly one
/// line, breaks at legal points, and no line wider than its measure unless it is one
/// unbreakable run. Returns the set widths.
pub(super) fn check_lines(items: &[Item], params: &Params, lines: &[Line]) -> Vec<f32> {
    let mut covered = vec![false; items.len()];
    let mut widths = Vec::new();
    let mut prev_end = None;
    for (index, line) in lines.iter().enumerate() {
        assert!(
            line.start <= line.end && line.end <= items.len(),
            "{line:?}"
        );
        if let Some(p) = prev_end {
            assert!(line.start > p, "lines out of order: {lines:?}");
            assert!(
                items[p + 1..line.start]
                    .iter()
                    .all(|it| !matches!(it, Item::Box { .. })),
                "a box was dropped between lines"
            );
        }
        if line.end < items.len() {
            assert!(legal(items, line.end), "illegal break at {}", line.end);
        }
        let ratio = line.ratio as f64;
        let mut set = 0.0f64;
        for (i, item) in items.iter().enumerate().take(line.end).skip(line.start) {
            covered[i] = true;
            set += match *item {
                Item::Box { width } => width as f64,
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    let adjust = if ratio >= 0.0 {
                        if stretch.is_finite() {
                            ratio * stretch as f64
                        } else {
                            0.0
                        }
                    } else {
                        ratio * shrink as f64
                    };
                    width as f64 + adjust
                }
                Item::Penalty { .. } => 0.0,
            };
        }
        if let Some(Item::Penalty { width, .. }) = items.get(line.end) {
            set += *width as f64;
        }
        let measure = params.line_width(index) as f64;
        if set > measure + 0.01 {
            let inner = (line.start..line.end).any(|i| legal(items, i));
            assert!(
                !inner,
                "line {index} overfull ({set} > {measure}) yet breakable: {line:?}"
            );
        }
        assert!(line.ratio >= -1.0, "shrunk beyond its shrink: {line:?}");
        widths.push(set as f32);
        prev_end = Some(line.end);
    }
    for (i, item) in items.iter().enumerate() {
        if matches!(item, Item::Box { .. }) {
            assert!(covered[i], "box {i} not in any line");
        }
    }
    widths
}

/// Longest run of consecutive hyphenated lines.
pub(super) fn hyphen_run(lines: &[Line]) -> usize {
    let (mut best, mut run) = (0, 0);
    for line in lines {
        run = if line.hyphenated { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

#[test]
fn empty_and_contentless_input_gives_no_lines() {
    let params = Params::new(100.0);
    assert!(break_lines(&[], &params).is_empty());
    assert!(break_lines(&[space(), space()], &params).is_empty());
}

#[test]
fn single_word_without_paragraph_end_is_one_line() {
    let items = [word(10.0), space()];
    let lines = break_lines(&items, &Params::new(100.0));
    assert_eq!(
        lines,
        vec![Line {
            start: 0,
            end: 2,
            ratio: 0.0,
            hyphenated: false
        }]
    );
}

#[test]
fn justified_lines_fill_the_measure_exactly() {
    let mut rng = Rng::new(7);
    let items = paragraph(&mut rng, 120, true, false);
    let params = Params::new(160.0);
    let lines = break_lines(&items, &params);
    let widths = check_lines(&items, &params, &lines);
    // Every line but the last is set flush to the measure.
    for w in &widths[..widths.len() - 1] {
        assert!((w - 160.0).abs() < 0.01, "{widths:?}");
    }
    assert!(widths[widths.len() - 1] <= 160.0);
    assert!(lines.iter().all(|l| l.ratio <= params.tolerance));
}

#[test]
fn no_line_exceeds_the_measure_over_many_paragraphs() {
    let mut rng = Rng::new(42);
    for case in 0..300 {
        let words = rng.range(1, 60) as usize;
        let items = paragraph(&mut rng, words, case % 2 == 0, case % 3 == 0);
        let mut params = Params::new(rng.range(25, 200) as f32);
        if case % 5 == 0 {
            params.line_widths = vec![rng.range(30, 120) as f32, rng.range(25, 200) as f32];
        }
        params.ragged = case % 7 == 0;
        let lines = break_lines(&items, &params);
        check_lines(&items, &params, &lines);
        assert!(hyphen_run(&lines) <= 2, "case {case}");
    }
}

#[test]
fn forced_breaks_are_honoured() {
    let mut items = vec![word(10.0), space(), word(10.0)];
    items.extend(Item::paragraph_end());
    items.extend([word(10.0), space(), word(10.0)]);
    items.push(Item::fill());
    items.push(Item::forced_break());
    items.push(Item::forced_break()); // an empty line between two hard breaks
    items.push(word(5.0));
    items.extend(Item::paragraph_end());
    let lines = break_lines(&items, &Params::new(100.0));
    let ends: Vec<usize> = lines.iter().map(|l| l.end).collect();
    assert_eq!(ends, vec![5, 10, 11, 15]);
    assert_eq!((lines[2].start, lines[2].end), (11, 11));
    assert_eq!(lines[3].start, 12);
    assert!(lines.iter().all(|l| l.ratio == 0.0));
}

#[test]
fn at_most_two_hyphenated_lines_in_a_row() {
    // Every word is two pieces around a cheap hyphen, and the pieces are sized so that ending
    // each line with a hyphen would be the tightest fit: the limit must still hold.
    let mut rng = Rng::new(3);
    for measure in [40.0, 55.0, 70.0, 90.0] {
        let mut items = Vec::new();
        for i in 0..200 {
            if i > 0 {
                items.push(space());
            }
            items.push(word(rng.range(6, 14) as f32));
            items.push(Item::hyphen(2.0, -50.0));
            items.push(word(rng.range(6, 14) as f32));
        }
        items.extend(Item::paragraph_end());
        let mut params = Params::new(measure);
        params.double_hyphen_demerits = 0.0;
        let lines = break_lines(&items, &params);
        check_lines(&items, &params, &lines);
        assert!(
            lines.iter().filter(|l| l.hyphenated).count() > 10,
            "test needs hyphens"
        );
        assert!(hyphen_run(&lines) <= 2, "measure {measure}");
        params.max_consecutive_hyphens = 1;
        assert!(hyphen_run(&break_lines(&items, &params)) <= 1);
        params.max_consecutive_hyphens = 0;
        assert_eq!(hyphen_run(&break_lines(&items, &params)), 0);
    }
}

#[test]
fn margin_wins_over_the_hyphen_limit() {
    // Five syllables of 90 pt on a 100 pt measure: only four hyphenated lines in a row keep
    // every line inside the margin.
    let mut items = vec![word(90.0)];
    for _ in 0..4 {
        items.push(Item::hyphen(5.0, 50.0));
        items.push(word(90.0));
    }
    items.extend(Item::paragraph_end());
    let params = Params::new(100.0);
    let lines = break_lines(&items, &params);
    let widths = check_lines(&items, &params, &lines);
    assert_eq!(lines.len(), 5);
    assert!(widths.iter().all(|w| *w <= 100.0), "{widths:?}");
    assert_eq!(hyphen_run(&lines), 4);
}

#[test]
fn penultimate_line_avoids_a_hyphen() {
    // "aaaa bbbbb cc-ddddd": ending the first line at the hyphen fits it exactly (ratio 0),
    // the alternative "aaaa bbbbb" is loose (ratio 1); only the final-hyphen demerits decide.
    let glue = Item::Glue {
        width: 3.0,
        stretch: 15.0,
        shrink: 1.0,
    };
    let mut items = vec![word(12.0), glue, word(15.0), glue, word(10.0)];
    items.extend([Item::hyphen(2.0, 50.0), word(15.0)]);
    items.extend(Item::paragraph_end());
    let mut params = Params::new(45.0);
    let lines = break_lines(&items, &params);
    assert_eq!(
        lines.iter().map(|l| l.end).collect::<Vec<_>>(),
        vec![3, 9],
        "{lines:?}"
    );
    assert!(!lines[0].hyphenated);
    params.final_hyphen_demerits = 0.0;
    let lines = break_lines(&items, &params);
    assert_eq!(
        lines.iter().map(|l| l.end).collect::<Vec<_>>(),
        vec![5, 9],
        "{lines:?}"
    );
    assert!(lines[0].hyphenated);
}

#[test]
fn too_wide_box_stands_alone_and_nothing_else_overflows() {
    let items = vec![
        word(30.0),
        space(),
        word(500.0),
        space(),
        word(30.0),
        space(),
        word(30.0),
        Item::Penalty {
            width: 0.0,
            cost: PENALTY_INF,
            flagged: false,
        },
        Item::fill(),
        Item::forced_break(),
    ];
    let params = Params::new(100.0);
    let lines = break_lines(&items, &params);
    check_lines(&items, &params, &lines);
    let wide: Vec<&Line> = lines.iter().filter(|l| l.start == 2).collect();
    assert_eq!(wide.len(), 1);
    assert_eq!(wide[0].end, 3, "the wide box must be alone: {lines:?}");
}

#[test]
fn long_word_split_into_emergency_pieces_stays_inside() {
    // A 20-piece "URL" of 400 pt on a 100 pt measure inside ordinary text, pieces joined by
    // emergency penalties: nothing crosses the margin, and the text around it keeps to the
    // first-pass tolerance (the URL lines are set ragged, not by loosening the paragraph).
    let mut rng = Rng::new(21);
    let mut items = paragraph(&mut rng, 30, true, false);
    items.truncate(items.len() - 3);
    items.push(space());
    for i in 0..20 {
        if i > 0 {
            items.push(emergency_penalty(i % 4 == 0));
        }
        items.push(word(20.0));
    }
    items.push(space());
    let tail = paragraph(&mut rng, 30, true, false);
    items.extend(tail);
    let params = Params::new(100.0);
    let lines = break_lines(&items, &params);
    let widths = check_lines(&items, &params, &lines);
    assert!(widths.iter().all(|w| *w <= 100.01), "{widths:?}");
    assert!(
        lines.iter().all(|l| l.ratio <= params.tolerance),
        "{lines:?}"
    );
    let url_lines = lines.iter().filter(|l| matches!(items[l.end], Item::Penalty { cost, .. } if cost == EMERGENCY_COST || cost == EMERGENCY_PREFERRED_COST)).count();
    assert!(url_lines >= 3, "{lines:?}");
}

#[test]
fn stiff_glue_falls_back_to_looser_passes() {
    // Glue that can barely stretch: no line can be justified within any tolerance, so the
    // emergency pass sets it; lines still come back, in order, and fit.
    let mut items = Vec::new();
    for i in 0..80 {
        if i > 0 {
            items.push(Item::Glue {
                width: 3.0,
                stretch: 0.01,
                shrink: 0.0,
            });
        }
        items.push(word(7.0 + (i % 5) as f32));
    }
    items.extend(Item::paragraph_end());
    let params = Params::new(100.0);
    let lines = break_lines(&items, &params);
    check_lines(&items, &params, &lines);
    assert!(
        lines.len() >= 8 && lines.iter().any(|l| l.ratio > 10.0),
        "{lines:?}"
    );
}

#[test]
fn varying_line_widths_are_respected() {
    let mut rng = Rng::new(11);
    let items = paragraph(&mut rng, 80, true, false);
    let mut params = Params::new(200.0);
    params.line_widths = vec![120.0, 150.0, 200.0];
    let lines = break_lines(&items, &params);
    let widths = check_lines(&items, &params, &lines);
    assert!(
        (widths[0] - 120.0).abs() < 0.01 && (widths[1] - 150.0).abs() < 0.01,
        "{widths:?}"
    );
}

#[test]
fn ragged_lines_are_natural_width_and_even() {
    let mut rng = Rng::new(5);
    let items = paragraph(&mut rng, 60, false, false);
    let params = Params::ragged(120.0);
    let lines = break_lines(&items, &params);
    let widths = check_lines(&items, &params, &lines);
    assert!(lines.iter().all(|l| l.ratio == 0.0));
    // Raggedness is spread out: no line except the last is shorter than 60% of the measure.
    assert!(
        widths[..widths.len() - 1].iter().all(|w| *w > 72.0),
        "{widths:?}"
    );
}

#[test]
fn looseness_changes_the_line_count() {
    let mut rng = Rng::new(9);
    let items = paragraph(&mut rng, 100, true, false);
    let mut params = Params::new(150.0);
    params.tolerance = 3.0;
    let normal = break_lines(&items, &params).len();
    params.looseness = 1;
    let loose = break_lines(&items, &params);
    check_lines(&items, &params, &loose);
    assert_eq!(loose.len(), normal + 1);
    params.looseness = -1;
    let tight = break_lines(&items, &params);
    check_lines(&items, &params, &tight);
    assert!(tight.len() == normal - 1 || tight.len() == normal);
}

#[test]
fn tolerance_is_relaxed_rather_than_failing() {
    // Glue without stretch: no line can be justified, yet lines come back and fit.
    let mut items = Vec::new();
    for i in 0..50 {
        if i > 0 {
            items.push(Item::Glue {
                width: 3.0,
                stretch: 0.0,
                shrink: 0.0,
            });
        }
        items.push(word(7.0 + (i % 5) as f32));
    }
    items.extend(Item::paragraph_end());
    let params = Params::new(100.0);
    let lines = break_lines(&items, &params);
    check_lines(&items, &params, &lines);
    assert!(lines.len() >= 5);
}

#[test]
fn zero_or_tiny_measures_never_panic() {
    let mut rng = Rng::new(1);
    let items = paragraph(&mut rng, 30, true, true);
    for w in [0.0, 1.0, -5.0, f32::INFINITY, f32::NAN] {
        let params = Params::new(w);
        let lines = break_lines(&items, &params);
        assert!(!lines.is_empty());
    }
    let mut params = Params::new(100.0);
    params.line_widths.clear();
    assert_eq!(
        break_lines(&items, &params).last().map(|l| l.end),
        Some(items.len() - 1)
    );
}

#[test]
fn large_paragraph_is_linear_and_fits() {
    // 200k items in the debug profile; the release benchmark covers 1.5M.
    let mut rng = Rng::new(99);
    let items = paragraph(&mut rng, 70_000, true, false);
    assert!(items.len() > 200_000);
    let params = Params::new(300.0);
    let lines = break_lines(&items, &params);
    check_lines(&items, &params, &lines);
    assert!(hyphen_run(&lines) <= 2);
}

#[test]
fn degenerate_zero_width_paragraph_finishes() {
    // Nodes never retire when nothing has width; the active cap keeps this linear.
    let mut items = Vec::new();
    for _ in 0..50_000 {
        items.push(word(0.0));
        items.push(Item::Glue {
            width: 0.0,
            stretch: 1.0,
            shrink: 0.0,
        });
    }
    items.extend(Item::paragraph_end());
    let params = Params::new(100.0);
    let lines = break_lines(&items, &params);
    check_lines(&items, &params, &lines);
}

#[test]
fn extents_measure_the_widest_run_and_the_natural_line() {
    // "ab cd-ef" + forced break + "g": runs are a+b (two boxes, no breakpoint between), the
    // compound before its hyphenation point (hyphen counted), the rest, and "g".
    let items = vec![
        word(10.0),
        word(5.0),
        space(),
        word(20.0),
        Item::hyphen(2.0, 50.0),
        word(8.0),
        Item::fill(),
        Item::forced_break(),
        word(40.0),
    ];
    let (run, line) = extents(&items);
    assert_eq!(run, 40.0);
    // First line at natural width: 10 + 5 + 3 + 20 + 8 (the hyphen is not drawn).
    assert_eq!(line, 46.0);
    let (run, line) = extents(&items[..6]);
    assert_eq!((run, line), (22.0, 46.0));
    assert_eq!(extents(&[]), (0.0, 0.0));
    assert_eq!(extents(&[space()]), (0.0, 0.0));
}

#[test]
fn emergency_joints_open_only_runs_wider_than_the_line() {
    // A compound of five 30 pt parts (150 pt, no breakpoint inside) on a 100 pt measure, after
    // two short words joined into a 40 pt run that fits: joints go inside the compound only.
    let mut items = vec![word(20.0), word(20.0), space()];
    let first = items.len();
    for _ in 0..5 {
        items.push(word(30.0));
    }
    items.extend(Item::paragraph_end());
    let joints = emergency_joints(&items, 100.0);
    assert_eq!(joints, (first + 1..first + 5).collect::<Vec<_>>());
    assert!(emergency_joints(&items, 150.0).is_empty());

    // Without the joints the compound overflows; with them every line fits the measure.
    let params = Params::new(100.0);
    let before = check_lines(&items, &params, &break_lines(&items, &params));
    assert!(before.iter().any(|w| *w > 100.01), "{before:?}");
    for &i in joints.iter().rev() {
        items.insert(i, emergency_penalty(true));
    }
    let lines = break_lines(&items, &params);
    let widths = check_lines(&items, &params, &lines);
    assert!(widths.iter().all(|w| *w <= 100.01), "{widths:?}");
}
