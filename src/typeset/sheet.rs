//! Print preparation: the finished pages placed on the sheet a printer needs, with bleed, crop
//! marks and the page boxes that say where to cut; and the interior rules of print-on-demand
//! services (`--print-profile`).
//!
//! bindery draws nothing to the page edge today (no page backgrounds, figures stay inside the
//! text block), so bleed adds paper around the page without moving anything into it.

use super::frame::{Color, Frame, Item, PageBoxes, Pt};
use crate::error::{Error, Result};
use crate::page::PageSetup;

/// One inch in points.
const INCH: Pt = 72.0;

/// How far crop marks stay from the trimmed page (beyond the bleed), and how long they are.
const MARK_GAP: Pt = 3.0;
const MARK_LEN: Pt = 15.0;

/// What a print file needs around its pages.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Print {
    /// Bleed on every edge (`--bleed`).
    pub bleed: Pt,
    /// Crop marks outside the bleed (`--crop-marks`).
    pub crop_marks: bool,
    /// Amazon KDP's interior rules (`--print-profile kdp`).
    pub kdp: bool,
}

impl Print {
    /// Whether the pages go on a larger sheet at all.
    pub fn active(&self) -> bool {
        self.bleed > 0.0 || self.crop_marks || self.kdp
    }
}

/// KDP's paperback trim sizes, in inches.
const KDP_TRIMS: [(f32, f32); 16] = [
    (5.0, 8.0),
    (5.06, 7.81),
    (5.25, 8.0),
    (5.5, 8.5),
    (6.0, 9.0),
    (6.14, 9.21),
    (6.69, 9.61),
    (7.0, 10.0),
    (7.44, 9.69),
    (7.5, 9.25),
    (8.0, 10.0),
    (8.25, 6.0),
    (8.25, 8.25),
    (8.5, 8.5),
    (8.5, 11.0),
    (8.27, 11.69),
];

/// KDP's bleed: an eighth of an inch on the top, bottom and outside edges.
pub const KDP_BLEED: Pt = 0.125 * INCH;

/// KDP's smallest and largest paperback page counts.
pub const KDP_PAGES: std::ops::RangeInclusive<usize> = 24..=828;

/// The paper KDP books default to: 6 × 9 in.
pub const KDP_DEFAULT: (Pt, Pt) = (6.0 * INCH, 9.0 * INCH);

/// Refuses a page size KDP does not print.
pub fn kdp_trim(origin: &str, (w, h): (Pt, Pt)) -> Result<()> {
    let fits = KDP_TRIMS
        .iter()
        .any(|&(tw, th)| (tw * INCH - w).abs() < 1.0 && (th * INCH - h).abs() < 1.0);
    if fits {
        return Ok(());
    }
    let sizes: Vec<String> = KDP_TRIMS
        .iter()
        .map(|(w, h)| format!("{w}x{h}in"))
        .collect();
    Err(Error::Setting {
        origin: origin.to_owned(),
        message: format!(
            "KDP does not print {:.2} x {:.2} in pages; its trim sizes are {}",
            w / INCH,
            h / INCH,
            sizes.join(", ")
        ),
    })
}

/// KDP's smallest inside (gutter) margin for a book of `pages` pages.
pub fn kdp_inside(pages: usize) -> Pt {
    INCH * match pages {
        0..=150 => 0.375,
        151..=300 => 0.5,
        301..=500 => 0.625,
        501..=700 => 0.75,
        _ => 0.875,
    }
}

/// KDP's margin rules on a page setup for a book of `pages` pages (mirrored margins, the
/// gutter for the page count, outside margins clear of the bleed).
pub fn kdp_margins(setup: &mut PageSetup, pages: usize) {
    setup.make_two_sided();
    setup.inner = setup.inner.max(kdp_inside(pages));
    let edge = 0.375 * INCH;
    setup.outer = setup.outer.max(edge);
    setup.top = setup.top.max(edge);
    setup.bottom = setup.bottom.max(edge);
}

/// Places each page on its printing sheet: moved by the bleed (and the crop marks' room), with
/// its trim and bleed boxes, and crop marks drawn at the corners.
pub fn place(frames: Vec<Frame>, print: &Print) -> Vec<Frame> {
    if !print.active() {
        return frames;
    }
    frames
        .into_iter()
        .enumerate()
        .map(|(index, frame)| place_one(frame, index, print))
        .collect()
}

fn place_one(mut frame: Frame, index: usize, print: &Print) -> Frame {
    let (w, h) = (frame.width, frame.height);
    // Bleed per edge [left, top, right, bottom]. KDP bleeds on three edges: not at the spine,
    // which is on the left of a right-hand (even-index) page and on the right of a left-hand one.
    let b = if print.kdp { KDP_BLEED } else { print.bleed };
    let bleed = if print.kdp {
        if index.is_multiple_of(2) {
            [0.0, b, b, b]
        } else {
            [b, b, 0.0, b]
        }
    } else {
        [b; 4]
    };
    let slug = if print.crop_marks {
        MARK_GAP + MARK_LEN
    } else {
        0.0
    };
    let (dx, dy) = (bleed[0] + slug, bleed[1] + slug);
    for item in &mut frame.items {
        item.translate(dx, dy);
    }
    let trim = [dx, dy, dx + w, dy + h];
    frame.width = w + bleed[0] + bleed[2] + 2.0 * slug;
    frame.height = h + bleed[1] + bleed[3] + 2.0 * slug;
    frame.boxes = Some(PageBoxes {
        trim,
        bleed: [
            trim[0] - bleed[0],
            trim[1] - bleed[1],
            trim[2] + bleed[2],
            trim[3] + bleed[3],
        ],
    });
    if print.crop_marks {
        frame.items.extend(crop_marks(trim, bleed));
    }
    frame
}

/// Eight short hairlines in the corners, in line with the trim edges and outside the bleed.
fn crop_marks(trim: [Pt; 4], bleed: [Pt; 4]) -> Vec<Item> {
    let [l, t, r, bt] = trim;
    let line = |x1, y1, x2, y2| Item::Line {
        x1,
        y1,
        x2,
        y2,
        width: 0.25,
        color: Color::BLACK,
    };
    let (gl, gt, gr, gb) = (
        bleed[0] + MARK_GAP,
        bleed[1] + MARK_GAP,
        bleed[2] + MARK_GAP,
        bleed[3] + MARK_GAP,
    );
    vec![
        // Top left: a horizontal mark on the top edge, a vertical one on the left edge.
        line(l - gl - MARK_LEN, t, l - gl, t),
        line(l, t - gt - MARK_LEN, l, t - gt),
        // Top right.
        line(r + gr, t, r + gr + MARK_LEN, t),
        line(r, t - gt - MARK_LEN, r, t - gt),
        // Bottom left.
        line(l - gl - MARK_LEN, bt, l - gl, bt),
        line(l, bt + gb, l, bt + gb + MARK_LEN),
        // Bottom right.
        line(r + gr, bt, r + gr + MARK_LEN, bt),
        line(r, bt + gb, r, bt + gb + MARK_LEN),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Frame {
        Frame {
            width: 432.0,
            height: 648.0,
            items: vec![Item::Rect {
                x: 10.0,
                y: 20.0,
                w: 5.0,
                h: 5.0,
                fill: Some(Color::BLACK),
                stroke: None,
            }],
            boxes: None,
        }
    }

    #[test]
    fn bleed_grows_the_sheet_on_every_side_and_moves_the_page() {
        let print = Print {
            bleed: 3.0 * 72.0 / 25.4,
            ..Print::default()
        };
        let b = print.bleed;
        let f = place(vec![page()], &print).remove(0);
        assert!((f.width - (432.0 + 2.0 * b)).abs() < 1e-3);
        assert!((f.height - (648.0 + 2.0 * b)).abs() < 1e-3);
        let boxes = f.boxes.unwrap();
        assert_eq!(boxes.trim, [b, b, 432.0 + b, 648.0 + b]);
        assert_eq!(boxes.bleed, [0.0, 0.0, f.width, f.height]);
        let Item::Rect { x, y, .. } = f.items[0] else {
            panic!("moved item")
        };
        assert!((x - (10.0 + b)).abs() < 1e-3 && (y - (20.0 + b)).abs() < 1e-3);
    }

    #[test]
    fn kdp_bleeds_on_three_edges_never_at_the_spine() {
        let print = Print {
            kdp: true,
            ..Print::default()
        };
        let pages = place(vec![page(), page()], &print);
        let recto = pages[0].boxes.unwrap();
        let verso = pages[1].boxes.unwrap();
        // Right-hand page: the spine is on the left, so the trim starts at the sheet's edge.
        assert_eq!(recto.trim[0], 0.0);
        assert_eq!(recto.bleed[2], pages[0].width);
        // Left-hand page: the spine is on the right.
        assert_eq!(verso.trim[2], pages[1].width);
        assert_eq!(verso.bleed[0], 0.0);
        assert!((pages[0].width - (432.0 + KDP_BLEED)).abs() < 1e-3);
        assert!((pages[0].height - (648.0 + 2.0 * KDP_BLEED)).abs() < 1e-3);
    }

    #[test]
    fn crop_marks_stay_outside_the_bleed() {
        let print = Print {
            bleed: 9.0,
            crop_marks: true,
            ..Print::default()
        };
        let f = place(vec![page()], &print).remove(0);
        let boxes = f.boxes.unwrap();
        let marks: Vec<_> = f
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Line { x1, y1, x2, y2, .. } => Some((*x1, *y1, *x2, *y2)),
                _ => None,
            })
            .collect();
        assert_eq!(marks.len(), 8);
        let [bl, bt, br, bb] = boxes.bleed;
        for (x1, y1, x2, y2) in marks {
            for (x, y) in [(x1, y1), (x2, y2)] {
                let inside = x > bl && x < br && y > bt && y < bb;
                assert!(!inside, "a mark point inside the bleed box: {x} {y}");
                assert!(x >= 0.0 && y >= 0.0 && x <= f.width && y <= f.height);
            }
        }
    }

    #[test]
    fn kdp_trim_sizes_and_gutters() {
        assert!(kdp_trim("--paper", KDP_DEFAULT).is_ok());
        // A4 is one of KDP's sizes; A5 is not.
        assert!(kdp_trim("--paper", (419.53, 595.28)).is_err());
        assert_eq!(kdp_inside(100), 27.0);
        assert_eq!(kdp_inside(400), 45.0);
        assert_eq!(kdp_inside(800), 63.0);
    }
}
