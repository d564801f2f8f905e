//! Page setup: paper sizes, margins and the typographic defaults derived from them.

use super::frame::Pt;
use crate::error::{Error, Result};

/// Points per millimetre.
const MM: Pt = 72.0 / 25.4;

/// Paper size and margins of every page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Page width.
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// Top margin (to the top of the text block).
    pub top: Pt,
    /// Outer (right, on odd pages) margin.
    pub outer: Pt,
    /// Bottom margin (to the bottom of the text block, footnotes included).
    pub bottom: Pt,
    /// Inner (left, on odd pages) margin.
    pub inner: Pt,
    /// Mirror the margins on even pages.
    pub two_sided: bool,
}

impl PageSetup {
    /// A paper size with margins proportioned by the classic rules: the text block takes about
    /// two thirds of the width, and the bottom margin is the largest.
    pub fn for_paper(width: Pt, height: Pt) -> PageSetup {
        let side = (width * 0.16).max(36.0);
        PageSetup {
            width,
            height,
            top: (height * 0.085).max(36.0),
            outer: side,
            bottom: (height * 0.11).max(42.0),
            inner: side,
            two_sided: false,
        }
    }

    /// Width of the text block.
    pub fn measure(&self) -> Pt {
        self.width - self.inner - self.outer
    }

    /// Height of the text block.
    pub fn text_height(&self) -> Pt {
        self.height - self.top - self.bottom
    }

    /// The left edge of the text block on page `index` (0-based: index 0 is a right-hand page).
    pub fn left(&self, index: usize) -> Pt {
        if self.two_sided && index % 2 == 1 {
            self.outer
        } else {
            self.inner
        }
    }

    /// With two-sided printing the inner margin narrows and the outer one widens (the two inner
    /// margins face each other across the spine).
    pub fn make_two_sided(&mut self) {
        if !self.two_sided {
            let total = self.inner + self.outer;
            self.inner = total * 0.42;
            self.outer = total - self.inner;
            self.two_sided = true;
        }
    }
}

/// Parses a paper name (`a4`, `a5`, `letter`, `legal`...) or `WIDTHxHEIGHT` with a unit.
pub fn parse_paper(origin: &str, value: &str) -> Result<(Pt, Pt)> {
    let v = value.trim().to_ascii_lowercase();
    let named = match v.as_str() {
        "a3" => Some((297.0 * MM, 420.0 * MM)),
        "a4" => Some((210.0 * MM, 297.0 * MM)),
        "a5" => Some((148.0 * MM, 210.0 * MM)),
        "a6" => Some((105.0 * MM, 148.0 * MM)),
        "b5" => Some((176.0 * MM, 250.0 * MM)),
        "letter" => Some((612.0, 792.0)),
        "legal" => Some((612.0, 1008.0)),
        "executive" => Some((522.0, 756.0)),
        _ => None,
    };
    if let Some(size) = named {
        return Ok(size);
    }
    let bad = || {
        Error::Setting {
        origin: origin.to_owned(),
        message: format!(
            "`{value}` is not a paper size: use a4, a5, letter, legal, or WIDTHxHEIGHT with a unit such as 170x240mm or 6x9in"
        ),
    }
    };
    let (w, h) = v.split_once('x').ok_or_else(bad)?;
    // A unit written once at the end applies to both numbers (`6x9in`).
    let unit = unit_suffix(h);
    let w = if unit_suffix(w).is_empty() {
        format!("{w}{unit}")
    } else {
        w.to_owned()
    };
    let (w, h) = (
        parse_length(&w).ok_or_else(bad)?,
        parse_length(h).ok_or_else(bad)?,
    );
    if !(72.0..=14400.0).contains(&w) || !(72.0..=14400.0).contains(&h) {
        return Err(Error::Setting {
            origin: origin.to_owned(),
            message: format!("paper `{value}` must be between 1 inch and 200 inches on each side"),
        });
    }
    Ok((w, h))
}

fn unit_suffix(s: &str) -> &str {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    &s[digits.len()..]
}

/// Parses a length with a unit: `mm`, `cm`, `in`, `pt` (a bare number is points).
pub fn parse_length(s: &str) -> Option<Pt> {
    let s = s.trim();
    let unit = unit_suffix(s);
    let number: Pt = s[..s.len() - unit.len()].trim().parse().ok()?;
    let factor = match unit {
        "" | "pt" => 1.0,
        "mm" => MM,
        "cm" => 10.0 * MM,
        "in" => 72.0,
        "pc" => 12.0,
        _ => return None,
    };
    let v = number * factor;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// Applies margins written as one length, or as `top right bottom left` (CSS order; two or
/// three values follow CSS too).
pub fn apply_margins(setup: &mut PageSetup, origin: &str, value: &str) -> Result<()> {
    let bad = |why: &str| {
        Error::Setting {
        origin: origin.to_owned(),
        message: format!("`{value}` {why}; use one length (20mm) or `top right bottom left` (2cm 2.5cm 3cm 2.5cm)"),
    }
    };
    let parts: Vec<Pt> = value
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .map(|p| parse_length(p).ok_or_else(|| bad("is not a list of lengths")))
        .collect::<Result<_>>()?;
    let (t, r, b, l) = match parts.as_slice() {
        [a] => (*a, *a, *a, *a),
        [v, h] => (*v, *h, *v, *h),
        [t, h, b] => (*t, *h, *b, *h),
        [t, r, b, l] => (*t, *r, *b, *l),
        _ => return Err(bad("has the wrong number of values")),
    };
    if setup.width - l - r < 72.0 || setup.height - t - b < 144.0 {
        return Err(bad("leaves too little room for text on this paper"));
    }
    setup.top = t;
    setup.outer = r;
    setup.bottom = b;
    setup.inner = l;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_and_lengths() {
        let (w, h) = parse_paper("--paper", "A4").unwrap();
        assert!((w - 595.3).abs() < 0.1 && (h - 841.9).abs() < 0.1);
        assert_eq!(parse_paper("--paper", "6x9in").unwrap(), (432.0, 648.0));
        let (w, _) = parse_paper("--paper", "170x240mm").unwrap();
        assert!((w - 481.9).abs() < 0.1);
        assert!(parse_paper("--paper", "huge").is_err());
        assert!(parse_paper("--paper", "1x1mm").is_err());
        assert_eq!(parse_length("2cm").map(|v| v.round()), Some(57.0));
        assert_eq!(parse_length("10furlongs"), None);
    }

    #[test]
    fn margins() {
        let mut s = PageSetup::for_paper(595.0, 842.0);
        apply_margins(&mut s, "--margins", "1in 2in").unwrap();
        assert_eq!(
            (s.top, s.outer, s.bottom, s.inner),
            (72.0, 144.0, 72.0, 144.0)
        );
        assert!(apply_margins(&mut s, "--margins", "300mm").is_err());
        s.make_two_sided();
        assert!(s.inner < s.outer);
        assert_eq!(s.left(0), s.inner);
        assert_eq!(s.left(1), s.outer);
    }
}
