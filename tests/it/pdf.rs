//! PDF integration tests (issues 4 and 5): shared helpers to build a document once per test
//! process, read a PDF's words with their boxes, and know the text block of a page.

pub(crate) mod fidelity;
mod floats;
mod images;
mod math;
mod options;
mod spacing;
mod text_area;
mod torture;
mod validity;

use crate::util::{bindery_fast, have_tool, repo_root, s, tool_output};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// A built PDF and what the build printed on stderr (warnings).
#[derive(Debug, Clone)]
pub struct Built {
    /// The PDF file.
    pub pdf: PathBuf,
    /// Standard error of the build.
    pub stderr: String,
}

/// Builds `src` to PDF once (several tests read the same output) under
/// `CARGO_TARGET_TMPDIR/pdf-it/<key>/`, with [`bindery_fast`] (the release binary when it is up
/// to date, so the Rust book stays quick). Panics when the build fails.
///
/// Once per test process (`cargo test` runs them all in one) and once per suite run: nextest
/// starts a process per test, so the PDF, its stderr and a stamp naming the binary and the
/// source (path, size, modification times) are kept beside it, under a file lock that makes
/// the tests that want the same build wait for the first one instead of building it again.
pub fn built(key: &str, src: &Path) -> Built {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Arc<OnceLock<Built>>>>> = OnceLock::new();
    let id = format!("{key}/{}", src.display());
    let cell = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry(id)
        .or_default()
        .clone();
    cell.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("pdf-it")
            .join(key);
        std::fs::create_dir_all(&out).expect("create the build folder");
        let lock = std::fs::File::create(out.join(".lock")).expect("create the lock file");
        // Released when `lock` is dropped, at the end of this closure.
        lock.lock().expect("lock the build folder");
        let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
        let (stamp_file, stderr_file) = (
            out.join(format!(".{stem}.stamp")),
            out.join(format!(".{stem}.stderr")),
        );
        let bin = crate::util::fast_bin();
        let meta = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
                .unwrap_or_default()
        };
        let stamp = format!(
            "{} {}\n{} {}\n",
            bin.display(),
            meta(&bin),
            src.display(),
            meta(src)
        );
        let pdf = out.join(format!("{stem}.pdf"));
        if std::fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp) && pdf.is_file() {
            if let Ok(stderr) = std::fs::read_to_string(&stderr_file) {
                return Built { pdf, stderr };
            }
        }
        let _ = std::fs::remove_file(&stamp_file);
        let built = build_into(src, &out, &[]);
        std::fs::write(&stderr_file, &built.stderr).expect("keep the build's stderr");
        std::fs::write(&stamp_file, stamp).expect("stamp the build");
        drop(lock);
        built
    })
    .clone()
}

/// Builds `src` to PDF in `out` with extra CLI arguments (no caching); panics on failure.
pub fn build_into(src: &Path, out: &Path, extra: &[&str]) -> Built {
    let mut args = vec!["build", s(src), "-f", "pdf", "-o", s(out)];
    args.extend(extra);
    let run = bindery_fast(&repo_root(), &args, Duration::from_secs(300));
    run.assert_code(0);
    let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
    let pdf = out.join(format!("{stem}.pdf"));
    assert!(pdf.is_file(), "no PDF written at {}:\n{run}", pdf.display());
    Built {
        pdf,
        stderr: run.stderr,
    }
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The Markdown files of `content/`, sorted.
pub fn content_files() -> Vec<PathBuf> {
    let dir = repo_root().join("content");
    let files: Vec<PathBuf> = crate::util::listing(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".md"))
        .map(|n| dir.join(n))
        .collect();
    assert!(!files.is_empty(), "content/ has no Markdown files");
    files
}

/// One word as `pdftotext -bbox` reports it (points, y down from the top of the page).
#[derive(Debug, Clone)]
pub struct Word {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
    /// The word's text (entities decoded).
    pub text: String,
}

/// One page's size and words.
#[derive(Debug, Clone)]
pub struct BoxPage {
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
    /// Words in reading order.
    pub words: Vec<Word>,
}

/// Every page's words with their boxes, through `pdftotext -bbox`; `None` when it is missing.
#[track_caller]
pub fn bbox_pages(pdf: &Path) -> Option<Vec<BoxPage>> {
    if !have_tool("pdftotext", "reading word boxes") {
        return None;
    }
    let (ok, text) = tool_output(
        "pdftotext",
        [
            OsStr::new("-bbox"),
            OsStr::new("-enc"),
            OsStr::new("UTF-8"),
            pdf.as_os_str(),
            OsStr::new("-"),
        ],
    );
    assert!(ok, "pdftotext -bbox failed on {}: {text}", pdf.display());
    let mut pages = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            pages.push(BoxPage {
                width: attr(line, "width"),
                height: attr(line, "height"),
                words: Vec::new(),
            });
        } else if line.starts_with("<word ") {
            let start = line.find('>').unwrap() + 1;
            let end = line.rfind("</word>").unwrap();
            let word = Word {
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
                text: unescape(&line[start..end]),
            };
            pages
                .last_mut()
                .expect("a word before any page")
                .words
                .push(word);
        }
    }
    Some(pages)
}

pub(crate) fn attr(line: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    let at = line
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {line}"))
        + key.len();
    let end = line[at..].find('"').unwrap() + at;
    line[at..end].parse().unwrap()
}

pub(crate) fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The text of each page (`pdftotext`, reading order), split at its form feeds; `None` when
/// pdftotext is missing.
#[track_caller]
pub fn page_texts(pdf: &Path) -> Option<Vec<String>> {
    let text = crate::util::pdftotext(pdf)?;
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// The text block of a page: what `PageSetup::for_paper` gives (left, top, right, bottom).
#[derive(Debug, Clone, Copy)]
pub struct Block {
    /// Left edge of the text block.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge (footnotes included).
    pub bottom: f64,
}

impl Block {
    /// The default margins of a `width` × `height` page (src/typeset/setup.rs): 18 % of
    /// the width each side, 8.5 % of the height on top, 11 % below (with small floors).
    pub fn for_paper(width: f64, height: f64) -> Block {
        let side = (width * 0.18).max(36.0);
        Block {
            left: side,
            top: (height * 0.085).max(36.0),
            right: width - side,
            bottom: height - (height * 0.11).max(42.0),
        }
    }
}

/// Tolerance for glyph boxes against the text block, in points.
pub const TOL: f64 = 1.0;

/// Lower-cased word tokens of a text (see words.rs).
pub fn tokens(text: &str) -> Vec<String> {
    crate::words::text_words(text)
}

/// A page rendered to 8-bit grey without anti-aliasing (`pdftoppm -gray -aa no`), so text and
/// rules keep their exact grey levels.
#[derive(Debug)]
pub struct Gray {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Pixels per point.
    pub scale: f64,
    /// Row-major pixels, 0 black to 255 white.
    pub data: Vec<u8>,
}

impl Gray {
    /// The pixel at (`x`, `y`) in points from the top left (white outside the page).
    pub fn at(&self, x: f64, y: f64) -> u8 {
        let (px, py) = ((x * self.scale) as isize, (y * self.scale) as isize);
        if px < 0 || py < 0 || px as usize >= self.width || py as usize >= self.height {
            return 255;
        }
        self.data[py as usize * self.width + px as usize]
    }

    /// The x (points) of every pixel column in `x0..x1` × `y0..y1` holding a pixel for which
    /// `ink` is true, scanning at pixel resolution.
    pub fn ink_columns(
        &self,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
        ink: impl Fn(u8) -> bool,
    ) -> Vec<f64> {
        let step = 1.0 / self.scale;
        let mut cols = Vec::new();
        let mut x = x0;
        while x < x1 {
            let mut y = y0;
            while y < y1 {
                if ink(self.at(x, y)) {
                    cols.push(x);
                    break;
                }
                y += step;
            }
            x += step;
        }
        cols
    }
}

/// Renders page `page` (1-based) of `pdf` at `dpi`; `None` when pdftoppm is missing.
#[track_caller]
pub fn render_gray(pdf: &Path, page: usize, dpi: u32) -> Option<Gray> {
    if !have_tool("pdftoppm", "rendering pages") {
        return None;
    }
    let n = page.to_string();
    let r = dpi.to_string();
    let out = std::process::Command::new("pdftoppm")
        .args([
            "-gray",
            "-aa",
            "no",
            "-aaVector",
            "no",
            "-r",
            &r,
            "-f",
            &n,
            "-l",
            &n,
        ])
        .arg(pdf)
        .output()
        .expect("run pdftoppm");
    assert!(
        out.status.success(),
        "pdftoppm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then the pixels.
    let b = out.stdout;
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5", "pdftoppm -gray should write a binary PGM");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = b[i + 1..].to_vec();
    assert_eq!(data.len(), width * height, "truncated PGM");
    Some(Gray {
        width,
        height,
        scale: f64::from(dpi) / 72.0,
        data,
    })
}

/// The text of the body of every page, joined: each page's page number (its last line) and
/// running head (a first line equal to page 2's first line) left out, so a word hyphenated
/// across a page break reads as one.
pub fn body_text(pdf: &Path) -> Option<String> {
    Some(body_of(&page_texts(pdf)?))
}

/// [`body_text`] of pages already extracted.
pub fn body_of(pages: &[String]) -> String {
    // Trimmed: `pdftotext -layout` indents a centred head by its position on the page, which
    // differs by a space or two from page to page.
    let first_line = |p: &str| {
        p.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_owned)
    };
    let head = pages.get(1).and_then(|p| first_line(p));
    let mut out = String::new();
    for (i, page) in pages.iter().enumerate() {
        let mut lines: Vec<&str> = page.lines().collect();
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        if lines
            .last()
            .is_some_and(|l| l.trim() == (i + 1).to_string())
        {
            lines.pop();
        }
        let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
        if i > 0
            && head
                .as_deref()
                .is_some_and(|h| lines.get(start).is_some_and(|l| l.trim() == h))
        {
            lines.remove(start);
        }
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        out.push_str(&lines.join("\n"));
        out.push('\n');
    }
    out
}
