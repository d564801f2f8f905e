//! The command line (clap derive): parsed here, resolved into a [`crate::Job`] in `main`.

use crate::backend::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Markdown to a print-ready PDF and a valid EPUB 3, in one run.
#[derive(Debug, Parser)]
#[command(name = "bindery", version, about, long_about = None, after_help = EXIT_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_HELP: &str = "Exit status: 0 success (warnings allowed), 1 an input or build error \
(or any warning with --deny-warnings), 2 a usage error.";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert Markdown files, folders of them, or books (mdBook's book.toml, bindery.toml)
    /// into PDF, EPUB and/or JSON.
    #[command(after_help = EXIT_HELP)]
    Build(BuildArgs),
}

/// `bindery build`
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Markdown files (.md, .markdown, .txt), folders of them (each file its own document), or
    /// book folders holding book.toml (mdBook) or bindery.toml (one document). Default: the
    /// current folder when it holds book.toml or bindery.toml, else content/.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Folder the outputs are written to, as DIR/<input stem>.<format> (a book: DIR/<book
    /// folder name>.<format>, or the `name` its configuration gives).
    #[arg(short, long = "out-dir", value_name = "DIR", default_value = "dist")]
    pub out_dir: PathBuf,
    /// Output formats, comma-separated.
    #[arg(short, long, value_enum, value_delimiter = ',', default_values_t = [Format::Pdf, Format::Epub])]
    pub format: Vec<Format>,
    /// Worker threads (default, and 0: one per core). At most 4 per core: more are set to
    /// that, with a note.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Treat every warning as an error (exit 1, nothing written for that input).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Let books include files and images from DIR too (a book may otherwise read only inside
    /// its project: its folder, or the repository it sits in). Repeatable.
    #[arg(long, value_name = "DIR")]
    pub allow_root: Vec<PathBuf>,
    /// Print errors only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print each output written, with its size.
    #[arg(short, long)]
    pub verbose: bool,

    /// Document title (overrides front matter).
    #[arg(long, help_heading = "Metadata")]
    pub title: Option<String>,
    /// Author; repeat for several (overrides front matter).
    #[arg(long = "author", value_name = "NAME", help_heading = "Metadata")]
    pub authors: Vec<String>,
    /// Language as a BCP 47 tag, e.g. `en`, `az`, `pt-BR` (default: front matter, else `en`).
    #[arg(long, value_parser = parse_lang, help_heading = "Metadata")]
    pub lang: Option<String>,
    /// Publication date, e.g. 2026-11-25 (overrides front matter).
    #[arg(long, help_heading = "Metadata")]
    pub date: Option<String>,

    /// Paper size: a4, a5, letter, legal, or WIDTHxHEIGHT with a unit (170x240mm, 6x9in).
    #[arg(long, help_heading = "PDF")]
    pub paper: Option<String>,
    /// Page margins: one length for all sides, or `top right bottom left` (e.g. "20mm" or "2cm 2.5cm 3cm 2.5cm").
    #[arg(long, help_heading = "PDF")]
    pub margins: Option<String>,
    /// Print a table of contents after the title block.
    #[arg(long, help_heading = "PDF")]
    pub toc: bool,
    /// Deepest heading level listed in the table of contents (1-6).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6), help_heading = "PDF")]
    pub toc_depth: Option<u8>,
    /// Mirrored margins and page numbers on the outer edge, for duplex printing.
    #[arg(long, help_heading = "PDF")]
    pub two_sided: bool,
    /// Page layout: `plain` pages, or a `booklet` imposed two pages per sheet for folding
    /// (default: front matter or the book's configuration, else plain).
    #[arg(long, value_enum, help_heading = "PDF")]
    pub layout: Option<Layout>,
    /// Folder of your own fonts (TTF/OTF); they replace the bundled faces of their family.
    #[arg(long, value_name = "DIR", value_parser = parse_font_dir, help_heading = "PDF")]
    pub font_dir: Option<PathBuf>,
    /// Do not look for system fonts for characters the bundled fonts lack.
    #[arg(long, help_heading = "PDF")]
    pub no_system_fonts: bool,
    /// Standards the PDF must meet, comma-separated: ua-1 (accessible), a-2b, a-2a, a-3b, a-3a
    /// (archival). The build fails, naming what is missing, when the document cannot meet them.
    /// Every PDF is tagged; this also claims conformance.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_standard, help_heading = "PDF")]
    pub pdf_standard: Vec<crate::backend::pdf::Standard>,
    /// Extend backgrounds and full-width pictures this far past the trimmed page on every side,
    /// with TrimBox and BleedBox set, for printers that cut the page (e.g. 3mm or 0.125in).
    #[arg(long, value_name = "LENGTH", help_heading = "PDF")]
    pub bleed: Option<String>,
    /// Draw crop marks outside the page, on a sheet large enough to hold them.
    #[arg(long, help_heading = "PDF")]
    pub crop_marks: bool,
    /// Apply a print-on-demand service's interior rules (see the README): `kdp`.
    #[arg(long, value_enum, value_name = "PROFILE", help_heading = "PDF")]
    pub print_profile: Option<PrintProfile>,

    /// Embed the bundled fonts in the EPUB.
    #[arg(long, help_heading = "EPUB")]
    pub epub_fonts: bool,
}

impl BuildArgs {
    /// Checks `--paper` and `--margins` (with `--layout booklet`, which halves the paper) as a
    /// usage error: a size that does not parse, or a page whose text block (paper minus
    /// margins) is smaller than bindery sets text on (see [`crate::typeset::setup`]). Documents
    /// may still combine a `--paper` with margins of their own; that is checked per document.
    pub fn check_page_setup(&self) -> Result<(), String> {
        use crate::typeset::setup;
        if self.paper.is_none() && self.margins.is_none() {
            return Ok(());
        }
        let origin = if self.margins.is_some() {
            "--margins"
        } else {
            "--paper"
        };
        if let Some(p) = &self.paper {
            let size = setup::parse_paper("--paper", p).map_err(|e| e.to_string())?;
            if self.print_profile == Some(PrintProfile::Kdp) {
                crate::typeset::sheet::kdp_trim("--paper", size).map_err(|e| e.to_string())?;
            }
        }
        setup::page_from_settings(
            self.paper.as_deref(),
            self.margins.as_deref(),
            self.layout == Some(Layout::Booklet),
            origin,
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    }
}

/// A print-on-demand service whose interior rules a PDF can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrintProfile {
    /// Amazon KDP paperback interiors.
    Kdp,
}

/// `--lang`: a BCP 47 tag (a usage error, exit 2, when it is not one).
fn parse_lang(tag: &str) -> Result<String, String> {
    if crate::parse::frontmatter::valid_lang(tag) {
        Ok(tag.to_owned())
    } else {
        Err(format!(
            "`{tag}` is not a BCP 47 language tag such as `en` or `pt-BR`"
        ))
    }
}

/// `--font-dir`: a folder that exists (whether it holds usable fonts is checked when they
/// are loaded, also as a usage error).
fn parse_font_dir(dir: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(dir);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => Ok(path),
        Ok(_) => Err(format!("`{dir}` is not a folder")),
        Err(e) => Err(format!("cannot read the folder `{dir}`: {e}")),
    }
}

/// One `--pdf-standard` name.
fn parse_standard(name: &str) -> Result<crate::backend::pdf::Standard, String> {
    crate::backend::pdf::Standard::parse(name).ok_or_else(|| {
        let names: Vec<&str> = crate::backend::pdf::Standard::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect();
        format!(
            "unknown PDF standard `{name}` (known: {})",
            names.join(", ")
        )
    })
}

/// How pages are put on sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Layout {
    /// One page per sheet side, in order.
    #[default]
    Plain,
    /// Two pages per landscape sheet, reordered so a folded duplex stack reads in order.
    Booklet,
}

/// Worker threads per core at most: documents are set on the CPU, so threads beyond the cores
/// only wait; a few per core still let one document's file reads overlap another's work.
pub const JOBS_PER_CORE: usize = 4;

/// The worker threads for `-j`/`--jobs` on a machine with `cores` cores: `None` and 0 mean one
/// per core; more than [`JOBS_PER_CORE`] per core is set to that (a mistyped `-j 100000` would
/// otherwise start threads until the system refuses), with a note saying so.
pub fn worker_threads(jobs: Option<usize>, cores: usize) -> (usize, Option<String>) {
    let cores = cores.max(1);
    let limit = cores.saturating_mul(JOBS_PER_CORE);
    match jobs {
        None | Some(0) => (cores, None),
        Some(n) if n > limit => (
            limit,
            Some(format!(
                "-j {n} is more than {JOBS_PER_CORE} worker threads per core ({cores} cores); \
                 using {limit}"
            )),
        ),
        Some(n) => (n, None),
    }
}

#[cfg(test)]
mod tests {
    use super::worker_threads;

    #[test]
    fn jobs_are_capped_at_four_per_core() {
        assert_eq!(worker_threads(None, 8), (8, None));
        assert_eq!(worker_threads(Some(0), 8), (8, None));
        assert_eq!(worker_threads(Some(3), 8), (3, None));
        assert_eq!(worker_threads(Some(32), 8), (32, None));
        let (n, note) = worker_threads(Some(100_000), 2);
        assert_eq!(n, 8);
        assert!(note.unwrap().contains("-j 100000"));
        assert_eq!(worker_threads(Some(usize::MAX), 0).0, 4);
    }
}
