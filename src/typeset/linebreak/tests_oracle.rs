//! Brute-force oracle: on small paragraphs, total-fit must find the least-demerits break set.

use super::tests::{check_lines, legal, paragraph, space, word, Rng};
use super::*;

/// Demerits of a complete break set under the first-pass rules, written independently of the
/// engine from the cost model in Knuth & Plass; `None` if some line is infeasible.
fn cost(items: &[Item], params: &Params, breaks: &[usize]) -> Option<f64> {
    let mut total = 0.0;
    let mut start = 0;
    let (mut prev_fit, mut run) = (1i32, 0usize);
    let tolerance = params.tolerance as f64;
    for (index, &b) in breaks.iter().enumerate() {
        let implied = b == items.len();
        let (cost, pen_w, flagged) = match items.get(b) {
            Some(Item::Penalty {
                cost,
                width,
                flagged,
            }) => (*cost as f64, *width as f64, *flagged),
            _ => (0.0, 0.0, false),
        };
        let forced = implied || cost <= -(PENALTY_INF as f64);
        if b < start || (b == start && !forced) {
            return None;
        }
        let (mut w, mut y, mut z, mut fills) = (pen_w, 0.0, 0.0, implied as u32);
        for item in &items[start..b] {
            match *item {
                Item::Box { width } => w += width as f64,
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    w += width as f64;
                    if stretch.is_infinite() {
                        fills += 1;
                    } else {
                        y += stretch as f64;
                    }
                    z += shrink as f64;
                }
                Item::Penalty { .. } => {}
            }
        }
        let target = params.line_width(index) as f64;
        let (stretch, shrink) = if params.ragged {
            (target / 5.0, 0.0)
        } else if y > 0.0 {
            (y, z)
        } else {
            (target / 4.0, z) // lines without stretch are set ragged
        };
        let slack = target - w;
        let (badness, r) = if slack >= -1e-3 {
            if fills > 0 {
                (0.0, 0.0)
            } else if stretch <= 0.0 {
                return None;
            } else {
                let r = slack.max(0.0) / stretch;
                if !params.ragged && r > tolerance {
                    return None;
                }
                (100.0 * r.powi(3), if params.ragged { 0.0 } else { r })
            }
        } else if shrink > 0.0 && slack >= -shrink - 1e-3 {
            let r = (slack / shrink).max(-1.0);
            (100.0 * r.abs().powi(3), r)
        } else {
            return None;
        };
        let fit = if r < -0.5 {
            0
        } else if r <= 0.5 {
            1
        } else if r <= 1.0 {
            2
        } else {
            3
        };
        let mut d = (params.line_penalty as f64 + badness).powi(2);
        if cost > 0.0 {
            d += cost * cost;
        } else if !forced && cost < 0.0 {
            d -= cost * cost;
        }
        if flagged && run > 0 {
            d += params.double_hyphen_demerits as f64;
        }
        if forced && run > 0 {
            d += params.final_hyphen_demerits as f64;
        }
        if (fit - prev_fit).abs() > 1 {
            d += params.fitness_demerits as f64;
        }
        run = if flagged { run + 1 } else { 0 };
        if run > params.max_consecutive_hyphens {
            return None;
        }
        total += d;
        prev_fit = fit;
        // The next line starts at the next box or forced break.
        start = b + 1;
        while start < items.len() {
            match items[start] {
                Item::Box { .. } => break,
                Item::Penalty { cost, .. } if cost <= -PENALTY_INF => break,
                _ => start += 1,
            }
        }
    }
    Some(total)
}

/// The least cost over every subset of optional breakpoints (forced ones always taken).
fn brute_force(items: &[Item], params: &Params) -> Option<f64> {
    let last = items.len() - 1;
    let optional: Vec<usize> = (0..last)
        .filter(|&i| legal(items, i))
        .filter(|&i| !matches!(items[i], Item::Penalty { cost, .. } if cost <= -PENALTY_INF))
        .collect();
    let forced: Vec<usize> = (0..=last)
        .filter(|&i| matches!(items[i], Item::Penalty { cost, .. } if cost <= -PENALTY_INF))
        .collect();
    assert!(optional.len() <= 14, "oracle input too large");
    let mut best: Option<f64> = None;
    for mask in 0u32..(1 << optional.len()) {
        let mut breaks: Vec<usize> = forced.clone();
        breaks.extend(
            optional
                .iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .map(|(_, &i)| i),
        );
        breaks.sort_unstable();
        if let Some(c) = cost(items, params, &breaks) {
            best = Some(best.map_or(c, |b: f64| b.min(c)));
        }
    }
    best
}

/// Run the breaker and the oracle; when a feasible break set exists, the breaker's must cost
/// exactly the minimum. Returns whether the case was feasible (so tests can count them).
fn agrees(items: &[Item], params: &Params) -> bool {
    let lines = break_lines(items, params);
    check_lines(items, params, &lines);
    let Some(best) = brute_force(items, params) else {
        return false;
    };
    let breaks: Vec<usize> = lines.iter().map(|l| l.end).collect();
    let got = cost(items, params, &breaks);
    let got = got.unwrap_or_else(|| panic!("infeasible breaks {breaks:?}, optimum {best}"));
    assert!(
        (got - best).abs() <= 1e-6 * best.abs().max(1.0),
        "breaks {breaks:?} cost {got}, optimum {best}: {items:?}"
    );
    true
}

#[test]
fn total_fit_matches_brute_force_on_random_paragraphs() {
    let mut rng = Rng::new(2024);
    let mut feasible = 0;
    let mut case = 0;
    while case < 400 {
        let words = rng.range(2, 9) as usize;
        let items = paragraph(&mut rng, words, case % 2 == 0, case % 5 == 0);
        let bps = (0..items.len() - 1).filter(|&i| legal(&items, i)).count();
        if bps > 13 {
            continue;
        }
        case += 1;
        let mut params = Params::new(rng.range(20, 70) as f32);
        params.tolerance = 2.0 + (case % 3) as f32;
        if case % 4 == 0 {
            params.line_widths = vec![rng.range(20, 50) as f32, rng.range(30, 70) as f32];
        }
        params.max_consecutive_hyphens = (case % 3) as usize;
        params.ragged = case % 6 == 0;
        if agrees(&items, &params) {
            feasible += 1;
        }
    }
    // The comparison must actually happen on most cases, or the test proves nothing.
    assert!(feasible > 200, "only {feasible} feasible cases");
}

/// A paragraph described for proptest: each word as the widths of its pieces (hyphenation
/// points between them) and whether a hard line break follows it.
fn described(words: &[(Vec<u8>, bool)]) -> Vec<Item> {
    let mut items = Vec::new();
    for (i, (pieces, forced)) in words.iter().enumerate() {
        if i > 0 {
            items.push(space());
        }
        for (p, &w) in pieces.iter().enumerate() {
            if p > 0 {
                items.push(Item::hyphen(2.0, 50.0));
            }
            items.push(word(w as f32));
        }
        if *forced && i + 1 < words.len() {
            items.extend(Item::paragraph_end());
        }
    }
    items.extend(Item::paragraph_end());
    items
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Up to eight words of one to three pieces 4 to 18 wide, one in eight followed by a hard
    /// break.
    fn words() -> impl Strategy<Value = Vec<(Vec<u8>, bool)>> {
        let word = (
            proptest::collection::vec(4u8..=18, 1..=3),
            proptest::bool::weighted(0.125),
        );
        proptest::collection::vec(word, 2..=8)
    }

    proptest! {
        // A few hundred cases run in well under a second; shrinking finds a small paragraph.
        #![proptest_config(ProptestConfig {
            cases: 300,
            max_global_rejects: 100_000,
            ..ProptestConfig::default()
        })]

        /// On every small paragraph and measure, the breaker's lines are legal and, when a
        /// feasible break set exists, cost exactly what the brute-force optimum costs.
        #[test]
        fn line_breaker_matches_its_oracle(
            words in words(),
            width in 20u8..=70,
            second in proptest::option::of(20u8..=70),
            tolerance in 2u8..=4,
            hyphens in 0usize..=2,
            ragged in proptest::bool::weighted(0.2),
        ) {
            let items = described(&words);
            let breakpoints = (0..items.len() - 1).filter(|&i| legal(&items, i)).count();
            // The oracle tries every subset of breakpoints.
            prop_assume!(breakpoints <= 13);
            let mut params = Params::new(width as f32);
            params.tolerance = tolerance as f32;
            if let Some(second) = second {
                params.line_widths = vec![width as f32, second as f32];
            }
            params.max_consecutive_hyphens = hyphens;
            params.ragged = ragged;
            agrees(&items, &params);
        }
    }
}

/// First-fit: each line takes as many words as fit with their glue fully shrunk.
fn greedy(items: &[Item], width: f64) -> Vec<usize> {
    let mut breaks = Vec::new();
    let (mut start, mut last_fit) = (0, None);
    let mut i = 0;
    while i < items.len() {
        if legal(items, i) {
            let w: f64 = items[start..i]
                .iter()
                .map(|it| match it {
                    Item::Box { width } => *width as f64,
                    Item::Glue { width, shrink, .. } => (*width - *shrink) as f64,
                    Item::Penalty { .. } => 0.0,
                })
                .sum();
            if w > width {
                if let Some(f) = last_fit {
                    breaks.push(f);
                    start = f + 1;
                    last_fit = None;
                    i = start;
                    continue;
                }
            }
            last_fit = Some(i);
            if matches!(items[i], Item::Penalty { cost, .. } if cost <= -PENALTY_INF) {
                breaks.push(i);
                start = i + 1;
                last_fit = None;
            }
        }
        i += 1;
    }
    breaks
}

#[test]
fn total_fit_beats_first_fit_on_a_known_case() {
    // Words 4 7 6 3 7 9 7 on a measure of 26, spaces 3 (+1.5, -1). First-fit squeezes
    // "4 7 6 3" (ratio -1) and leaves "7 9" with ratio 4.67, far beyond any tolerance;
    // total-fit sets "4 7 6" (ratio 1) / "3 7 9" (ratio 1/3) / "7".
    let widths = [4.0, 7.0, 6.0, 3.0, 7.0, 9.0, 7.0];
    let mut items = Vec::new();
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            items.push(space());
        }
        items.push(word(*w));
    }
    items.extend(Item::paragraph_end());
    let params = Params::new(26.0);
    let first_fit = greedy(&items, 26.0);
    assert_eq!(first_fit, vec![7, 11, 15]);
    assert_eq!(
        cost(&items, &params, &first_fit),
        None,
        "first-fit is beyond tolerance"
    );
    let lines = break_lines(&items, &params);
    let total_fit: Vec<usize> = lines.iter().map(|l| l.end).collect();
    assert_eq!(total_fit, vec![5, 11, 15]);
    assert!((lines[0].ratio - 1.0).abs() < 1e-6 && (lines[1].ratio - 1.0 / 3.0).abs() < 1e-6);
    // Badness 100 and 100/27, plus the last line: (10+100)^2 + (10+100/27)^2 + 10^2.
    let expected = 110.0f64.powi(2) + (10.0 + 100.0 / 27.0f64).powi(2) + 100.0;
    let got = cost(&items, &params, &total_fit).unwrap();
    assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    assert!(agrees(&items, &params));
}
