//! Page setup: paper sizes, margins and the typographic defaults derived from them, and the
//! lengths they are written in.
//!
//! A foundation module, not part of the typesetter: the style file, the front matter reader
//! and the command line check paper and margins with the same rules the typesetter applies,
//! and none of them should depend on the engine to do it.

use crate::error::{Error, Result};

/// A length in PostScript points (1/72 inch).
pub type Pt = f32;

/// The units a length may be written in (a bare number is refused on the command line and in
/// front matter), as messages list them.
pub const UNITS: &str = "mm, cm, in, pt or pc";

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
        let side = (width * 0.18).max(36.0);
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

/// The narrowest text block bindery sets: a line of about a dozen characters.
pub const MIN_TEXT_WIDTH: Pt = 72.0;
/// The shortest text block bindery sets: a heading with a few lines under it. On smaller blocks
/// a short document turns into tens of thousands of pages (75 KB of text on 1 × 1 in paper made
/// 60,000 pages and 3.6 GB).
pub const MIN_TEXT_HEIGHT: Pt = 144.0;
/// The least share of the page's width and of its height the text block must take: margins
/// wider than the text on both sides are a mistake, not a design.
pub const MIN_TEXT_SHARE: Pt = 1.0 / 3.0;

impl PageSetup {
    /// Whether the text block (paper minus margins) is large enough to set text on: at least
    /// [`MIN_TEXT_WIDTH`] wide, [`MIN_TEXT_HEIGHT`] tall, and [`MIN_TEXT_SHARE`] of the page
    /// each way. `Err` says what the page leaves, in the terms of the settings.
    pub fn check(&self) -> std::result::Result<(), String> {
        let (w, h) = (self.measure(), self.text_height());
        let wide_enough = w >= MIN_TEXT_WIDTH - 0.01 && w >= self.width * MIN_TEXT_SHARE - 0.01;
        let tall_enough = h >= MIN_TEXT_HEIGHT - 0.01 && h >= self.height * MIN_TEXT_SHARE - 0.01;
        if wide_enough && tall_enough {
            return Ok(());
        }
        Err(format!(
            "a {} × {} in page with margins of {} in (top), {} in (right), {} in (bottom) and \
             {} in (left) leaves a text block of {} × {} in; bindery needs one at least 1 in \
             wide, 2 in tall, and a third of the page each way: use larger paper or smaller \
             margins",
            inches(self.width),
            inches(self.height),
            inches(self.top),
            inches(self.outer),
            inches(self.bottom),
            inches(self.inner),
            inches(w.max(0.0)),
            inches(h.max(0.0)),
        ))
    }
}

/// A length in inches for messages: two decimals at most, no trailing zeros.
fn inches(v: Pt) -> String {
    let s = format!("{:.2}", v / 72.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// The page setup that page settings as written give, checked: paper (default A4), margins
/// (default: proportioned to the paper), and whether pages are imposed two per sheet as a
/// booklet (each page is then half the sheet). `Err` is a message for the user.
pub fn page_from_settings(
    paper: Option<&str>,
    margins: Option<&str>,
    booklet: bool,
    origin: &str,
) -> Result<PageSetup> {
    let (w, h) = parse_paper(origin, paper.unwrap_or("a4"))?;
    let (w, h) = if booklet { (h / 2.0, w) } else { (w, h) };
    let mut s = PageSetup::for_paper(w, h);
    match margins {
        Some(m) => apply_margins(&mut s, origin, m)?,
        None => s.check().map_err(|message| Error::Setting {
            origin: origin.to_owned(),
            message,
        })?,
    }
    Ok(s)
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

/// Parses a length with a unit: `mm`, `cm`, `in`, `pt` or `pc`. A bare number other than 0 is
/// refused wherever it is written (command line, front matter, bindery.toml, book.toml):
/// read as points, `margins: 2` put text 2 pt from the edge, which nobody means.
pub fn parse_length(s: &str) -> Option<Pt> {
    let s = s.trim();
    let unit = unit_suffix(s);
    let number: Pt = s[..s.len() - unit.len()].trim().parse().ok()?;
    let factor = match unit {
        "" if number == 0.0 => 1.0,
        "pt" => 1.0,
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
        message: format!("`{value}` {why}; use one length with a unit ({}), e.g. 20mm, or `top right bottom left` (2cm 2.5cm 3cm 2.5cm)", UNITS),
    }
    };
    let parts: Vec<Pt> = value
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .map(|p| {
            parse_length(p).ok_or_else(|| match p.parse::<f64>() {
                // `2` alone: the likeliest slip, named as such.
                Ok(_) if p == value.trim() => bad("has no unit"),
                Ok(_) => bad(&format!("has no unit after `{p}`")),
                Err(_) => bad("is not a list of lengths"),
            })
        })
        .collect::<Result<_>>()?;
    let (t, r, b, l) = match parts.as_slice() {
        [a] => (*a, *a, *a, *a),
        [v, h] => (*v, *h, *v, *h),
        [t, h, b] => (*t, *h, *b, *h),
        [t, r, b, l] => (*t, *r, *b, *l),
        _ => return Err(bad("has the wrong number of values")),
    };
    let mut set = *setup;
    set.top = t;
    set.outer = r;
    set.bottom = b;
    set.inner = l;
    set.check().map_err(|message| Error::Setting {
        origin: origin.to_owned(),
        message: format!("`{value}`: {message}"),
    })?;
    *setup = set;
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
        // Every length names its unit; only zero needs none.
        assert_eq!(parse_length("2"), None);
        assert_eq!(parse_length("0"), Some(0.0));
        assert_eq!(parse_length("12pt"), Some(12.0));
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

    #[test]
    fn a_page_needs_room_for_text() {
        for paper in [
            "a4",
            "a5",
            "a6",
            "letter",
            "6x9in",
            "5x8in",
            "3x4in",
            "200x200in",
        ] {
            let (w, h) = parse_paper("--paper", paper).unwrap();
            assert_eq!(PageSetup::for_paper(w, h).check(), Ok(()), "{paper}");
        }
        // 1 × 1 in left no text block at all (60,000 pages for 75 KB of text).
        let err = PageSetup::for_paper(72.0, 72.0).check().unwrap_err();
        assert!(err.contains("a 1 × 1 in page"), "{err}");
        assert!(err.contains("text block of 0 × 0 in"), "{err}");
        assert!(PageSetup::for_paper(144.0, 144.0).check().is_err());
        // Margins: too little width, too little height, less than a third of the page.
        let a4 = PageSetup::for_paper(595.0, 842.0);
        for m in ["1in 3.7in", "5.1in 1in", "1in 2.8in", "1in"] {
            let mut s = a4;
            let r = apply_margins(&mut s, "--margins", m);
            assert_eq!(r.is_ok(), m == "1in", "{m}: {r:?}");
            if r.is_err() {
                assert_eq!(s, a4, "a refused setting changed the page");
            }
        }
        let e = page_from_settings(Some("a6"), Some("1in"), true, "--margins").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--margins: `1in`: a 2.91 × 4.13 in page"),
            "{e}"
        );
        assert!(page_from_settings(Some("a6"), None, true, "--paper").is_ok());
        assert!(page_from_settings(None, None, false, "--paper").is_ok());
    }
}
