//! The command line (clap derive): parsed here, resolved into a [`crate::Job`] in `main`.

use crate::backend::pdf::{PdfBackend, WriteOptions};
use crate::backend::Format;
use crate::page::UNITS;
use crate::typeset::{self, Typesetter};
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

const WATCH_EXIT_HELP: &str = "Exit status: 0 when stopped by Ctrl-C (SIGINT) or SIGTERM, \
whatever the last build gave; 1 when the files cannot be watched; 2 a usage error.";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert Markdown files, folders of them, or books (mdBook's book.toml, bindery.toml)
    /// into PDF, EPUB and/or JSON.
    #[command(after_help = EXIT_HELP)]
    Build(BuildArgs),
    /// Report everything a build would (dead links, missing images and glyphs, unknown keys...)
    /// without writing any output. Takes the options of `build`.
    #[command(after_help = EXIT_HELP)]
    Check(BuildArgs),
    /// Build, then rebuild a document whenever a file it was made from changes (a source, an
    /// included file, an image, the configuration), until Ctrl-C. Takes the options of
    /// `build`. A failed rebuild keeps the previous outputs.
    #[command(after_help = WATCH_EXIT_HELP)]
    Watch(BuildArgs),
    /// Create a ready project to edit: a configuration, two chapters and an image.
    #[command(after_help = EXIT_HELP)]
    Init(InitArgs),
    /// Print the design as a style file: the built-in defaults (`--default`), every key
    /// documented, to copy into a `style.toml`; or a style file checked, with every key
    /// it leaves out filled in from the defaults.
    #[command(after_help = EXIT_HELP)]
    Style(StyleArgs),
    /// Print a completion script for a shell to standard output, e.g.
    /// `bindery completions bash > ~/.local/share/bash-completion/completions/bindery`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Write man pages (bindery.1 and one per subcommand) into DIR (`make man`).
    #[command(hide = true)]
    Man {
        /// The folder to write them to (created if missing).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// The command line with its version text: the version and the bundled faces (`--version`).
pub fn command() -> clap::Command {
    let faces = crate::bundled_faces().join(", ");
    let version = format!("{}\nbundled faces: {faces}", env!("CARGO_PKG_VERSION"));
    // clap keeps `&'static str`s; this is built once per run.
    let version: &'static str = Box::leak(version.into_boxed_str());
    <Cli as clap::CommandFactory>::command().version(version)
}

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: Shell, out: &mut dyn std::io::Write) {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut command(), "bindery", out);
}

/// Writes `bindery.1` and `bindery-SUBCOMMAND.1` for every visible subcommand into `dir`;
/// returns their paths.
pub fn man_pages(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = command();
    cmd.build();
    let mut written = Vec::new();
    let mut page = |cmd: &clap::Command, name: String| -> std::io::Result<()> {
        let mut bytes = Vec::new();
        // clap keeps `&'static str`s; a few pages per run.
        let title: &'static str = Box::leak(name.clone().into_boxed_str());
        clap_mangen::Man::new(cmd.clone().name(title)).render(&mut bytes)?;
        let path = dir.join(format!("{name}.1"));
        crate::write_atomic(&path, &bytes).map_err(std::io::Error::other)?;
        written.push(path);
        Ok(())
    };
    page(&cmd, "bindery".into())?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        page(sub, format!("bindery-{}", sub.get_name()))?;
    }
    Ok(written)
}

/// The shells `bindery completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// `bindery style`
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct StyleArgs {
    /// Print the built-in defaults.
    #[arg(long)]
    pub default: bool,
    /// A style file to check and print in full.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `bindery init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project folder (created if missing; default: the current folder).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Make an mdBook project (book.toml, src/SUMMARY.md) instead of a bindery.toml one.
    #[arg(long)]
    pub mdbook: bool,
}

/// How diagnostics are printed (`--message-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum MessageFormat {
    /// For people: rustc-style, with the source line and a caret under the span, on stderr.
    #[default]
    Human,
    /// For editors: one JSON object per diagnostic per line, on stdout.
    Json,
    /// For CI: GitHub Actions workflow commands (`::warning file=...::message`), on stdout.
    Github,
}

/// How explicitly named inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// CommonMark with bindery's extensions, whatever the file's extension.
    Markdown,
}

/// `bindery build`
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Markdown files (.md, .markdown, .txt), folders of them (each file its own document), or
    /// book folders holding book.toml (mdBook) or bindery.toml (one document); `-` reads
    /// standard input (outputs named `stdin`, or as -o gives). Default: the current folder
    /// when it holds book.toml or bindery.toml, else content/.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Where outputs go: a folder, as DIR/<input stem>.<format> (a book: DIR/<book folder
    /// name>.<format>, or the `name` its configuration gives); or, for one document, a file
    /// whose extension (.pdf, .epub, .html, .json) names the one format written.
    #[arg(
        short,
        long = "output",
        visible_alias = "out-dir",
        value_name = "DIR|FILE",
        default_value = "dist"
    )]
    pub out_dir: PathBuf,
    /// Output formats, comma-separated (default: pdf,epub; with -o FILE, the file's): pdf,
    /// epub, html, json, or NAME for a program `bindery-NAME` on PATH that reads the model
    /// (as json writes it) and prints the file.
    #[arg(short, long, value_parser = crate::backend::Format::parse, value_delimiter = ',')]
    pub format: Vec<Format>,
    /// Read explicitly named files as this format whatever their extension (without it, a
    /// file that is not .md, .markdown or .txt is refused).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<InputFormat>,
    /// Worker threads (default, and 0: one per core). At most 4 per core: more are set to
    /// that, with a note.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Treat every warning as an error (exit 1, nothing written for that input).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Let books include files and images from DIR too (a book may otherwise read only inside
    /// its project: its folder, or the repository it sits in). Repeatable.
    #[arg(long, value_name = "DIR", value_parser = parse_dir)]
    pub allow_root: Vec<PathBuf>,
    /// Print errors only (no warnings, no line per document written).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// List every warning (repeated ones are otherwise summarised with a count), and the system
    /// fonts each PDF draws with.
    #[arg(short, long)]
    pub verbose: bool,
    /// How warnings and errors are printed: `human` (on stderr, with the source line and a
    /// caret), `json` (one object per line on stdout, as cargo does) or `github` (GitHub
    /// Actions workflow commands on stdout).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,

    /// Document title (overrides front matter).
    #[arg(long, help_heading = "Metadata")]
    pub title: Option<String>,
    /// Author; repeat for several (overrides front matter).
    #[arg(long = "author", value_name = "NAME", help_heading = "Metadata")]
    pub authors: Vec<String>,
    /// Language as a BCP 47 tag, e.g. `en`, `az`, `pt-BR` (default: front matter, else `en`).
    #[arg(long, value_parser = parse_lang, help_heading = "Metadata")]
    pub lang: Option<String>,
    /// Publication date: YYYY-MM-DD, YYYY-MM or YYYY (overrides front matter).
    #[arg(long, value_parser = parse_date, help_heading = "Metadata")]
    pub date: Option<String>,
    /// Set a metadata key, as front matter would (and over it): title, author, lang, date or
    /// version, e.g. `--set version=1.2.0`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set, help_heading = "Metadata")]
    pub set: Vec<(String, String)>,
    /// Name outputs DIR/<TEMPLATE>.<format> instead of DIR/<stem>.<format>: text and
    /// {stem}, {title} (as a file name), {version}, {date}, e.g. `{stem}-{version}`.
    #[arg(long, value_name = "TEMPLATE", value_parser = crate::OutName::parse)]
    pub out_name: Option<crate::OutName>,

    /// Paper size: a4, a5, letter, legal, or WIDTHxHEIGHT with a unit (170x240mm, 6x9in).
    #[arg(long, help_heading = "PDF")]
    pub paper: Option<String>,
    /// Page margins with units (mm, cm, in, pt, pc): one length for all sides, or `top right
    /// bottom left` (e.g. "20mm" or "2cm 2.5cm 3cm 2.5cm"). They must leave a third of the page.
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
    /// margins) is smaller than bindery sets text on (see [`crate::page`]). Documents
    /// may still combine a `--paper` with margins of their own; that is checked per document.
    pub fn check_page_setup(&self) -> Result<(), String> {
        use crate::page;
        // A bare number would be read as points (`--margins 2` put text 2 pt from the edge):
        // on the command line every length names its unit.
        if let Some(m) = &self.margins {
            for part in m.split([' ', ',']).filter(|p| !p.is_empty()) {
                needs_unit("--margins", part)?;
            }
        }
        if let Some(b) = &self.bleed {
            needs_unit("--bleed", b)?;
        }
        if let Some(p) = &self.paper {
            // `6x9in`: a unit written once at the end applies to both numbers.
            if let Some((_, h)) = p.trim().to_ascii_lowercase().split_once('x') {
                if h.trim().parse::<f64>().is_ok() {
                    return Err(format!(
                        "--paper: `{p}` has no unit: write WIDTHxHEIGHT in {UNITS}, e.g. {p}in \
                         or {p}mm"
                    ));
                }
            }
        }
        if self.paper.is_none() && self.margins.is_none() {
            return Ok(());
        }
        let origin = if self.margins.is_some() {
            "--margins"
        } else {
            "--paper"
        };
        if let Some(p) = &self.paper {
            let size = page::parse_paper("--paper", p).map_err(|e| e.to_string())?;
            if self.print_profile == Some(PrintProfile::Kdp) {
                crate::typeset::sheet::kdp_trim("--paper", size).map_err(|e| e.to_string())?;
            }
        }
        page::page_from_settings(
            self.paper.as_deref(),
            self.margins.as_deref(),
            self.layout == Some(Layout::Booklet),
            origin,
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    }

    /// The typesetting engine this build asks for (fonts are loaded here, once). The engine
    /// takes plain [`typeset::Options`]: it does not know the command line, which sits above
    /// it; the options are checked and translated here.
    pub fn typesetter(&self) -> crate::Result<Typesetter> {
        use crate::error::Error;
        use crate::page::{self, PageSetup};
        use crate::typeset::{fonts::FontSet, sheet, Options};
        use std::sync::Arc;
        let paper = self
            .paper
            .as_deref()
            .map(|p| page::parse_paper("--paper", p))
            .transpose()?;
        if let Some(m) = &self.margins {
            let (w, h) = paper.unwrap_or((595.28, 841.89));
            page::apply_margins(&mut PageSetup::for_paper(w, h), "--margins", m)?;
        }
        let bleed = match &self.bleed {
            Some(b) => page::parse_length(b)
                .filter(|b| *b <= 72.0)
                .ok_or_else(|| Error::Setting {
                    origin: "--bleed".into(),
                    message: format!(
                        "`{b}` is not a bleed: give a length of at most 1in with a unit, e.g. 3mm or 0.125in"
                    ),
                })?,
            None => 0.0,
        };
        let kdp = self.print_profile == Some(PrintProfile::Kdp);
        if kdp {
            if let Some(p) = paper {
                sheet::kdp_trim("--paper", p)?;
            }
            if self.layout == Some(Layout::Booklet) {
                return Err(Error::Setting {
                    origin: "--print-profile kdp".into(),
                    message: "a KDP interior is printed page by page, not as a booklet".into(),
                });
            }
        }
        let fonts = FontSet::load(self.font_dir.as_deref(), !self.no_system_fonts)?;
        let engine = Typesetter::new(
            Options {
                paper,
                margins: self.margins.clone(),
                toc: self.toc,
                toc_depth: self.toc_depth,
                two_sided: self.two_sided,
                layout: self.layout.map(Into::into),
                font_dir: self.font_dir.is_some(),
                print: sheet::Print {
                    bleed,
                    crop_marks: self.crop_marks,
                    kdp,
                },
            },
            Arc::new(fonts),
        )
        .with_system_fonts(!self.no_system_fonts);
        Ok(engine)
    }

    /// The PDF backend this build asks for: its engine ([`BuildArgs::typesetter`]) and writer
    /// options.
    pub fn pdf_backend(&self) -> crate::Result<PdfBackend> {
        let engine = self.typesetter()?;
        let mut options = WriteOptions {
            standards: self.pdf_standard.clone(),
            ..WriteOptions::default()
        };
        options.standards.dedup();
        if self.print_profile.is_some() {
            options.no_interactive = true;
        }
        Ok(PdfBackend::new(engine, options))
    }
}

/// `Err` naming the option and the units when `value` is a plain number.
fn needs_unit(option: &str, value: &str) -> Result<(), String> {
    let v = value.trim();
    if !v.is_empty() && v.parse::<f64>().is_ok() {
        return Err(format!(
            "{option}: `{v}` has no unit: write a length in {UNITS}, e.g. {v}mm"
        ));
    }
    Ok(())
}

/// Where a build writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder: one file per document and format, named after the document.
    Dir(PathBuf),
    /// Exactly this file, in this format (one document).
    File(PathBuf, Format),
}

impl BuildArgs {
    /// The options of a plain `bindery build` (mdbook-bindery's: a book's configuration
    /// carries the rest).
    pub fn defaults() -> BuildArgs {
        BuildArgs::parse(&[]).unwrap_or_else(|e| e.exit())
    }

    /// The options of `bindery build ARGS...` (for callers of the library: tests, fuzzers).
    pub fn parse(args: &[&str]) -> Result<BuildArgs, clap::Error> {
        use clap::FromArgMatches;
        let matches = BuildArgs::augment_args(clap::Command::new("build"))
            .try_get_matches_from(std::iter::once("build").chain(args.iter().copied()))?;
        BuildArgs::from_arg_matches(&matches)
    }

    /// `-o`: a path whose extension names a format bindery writes is that one file (as
    /// pandoc's `-o`); anything else is a folder. A usage error when `-f` asks for other
    /// formats than the file's.
    pub fn target(&self) -> Result<Target, String> {
        let ext = self
            .out_dir
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        // Built-in formats only: an external backend's name (`-f docx`) is no file extension
        // bindery knows, so `-o x.docx` stays a folder, as any other name does.
        let format = ext.as_deref().and_then(Format::built_in);
        let Some(format) = format else {
            return Ok(Target::Dir(self.out_dir.clone()));
        };
        if self.format.iter().any(|f| *f != format) {
            return Err(format!(
                "-o {} writes one {} file; -f asks for {} (give -o a folder to write several \
                 formats)",
                self.out_dir.display(),
                format.extension(),
                self.format
                    .iter()
                    .map(|f| f.extension())
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        Ok(Target::File(self.out_dir.clone(), format))
    }

    /// The formats to write: `-f`'s, else the `-o` file's, else PDF and EPUB.
    pub fn formats(&self) -> Vec<Format> {
        if !self.format.is_empty() {
            return self.format.clone();
        }
        match self.target() {
            Ok(Target::File(_, format)) => vec![format],
            _ => vec![Format::Pdf, Format::Epub],
        }
    }
}

/// `--set KEY=VALUE`: a metadata key the command line can set, and its value.
fn parse_set(pair: &str) -> Result<(String, String), String> {
    const KEYS: &str = "title, author, lang, date, version";
    let Some((key, value)) = pair.split_once('=') else {
        return Err(format!("`{pair}` is not KEY=VALUE (keys: {KEYS})"));
    };
    let key = key.trim();
    match key {
        "title" | "author" | "version" => {}
        "lang" => {
            parse_lang(value)?;
        }
        "date" => {
            parse_date(value)?;
        }
        _ => return Err(format!("unknown key `{key}`; --set takes {KEYS}")),
    }
    Ok((key.to_owned(), value.to_owned()))
}

/// `--date`: a date as front matter takes it (a usage error when it is not one).
fn parse_date(date: &str) -> Result<String, String> {
    match crate::doc::parse_date(date) {
        Some(_) => Ok(date.to_owned()),
        None => Err(format!(
            "`{date}` is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)"
        )),
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
    parse_dir(dir)
}

/// A folder that exists (`--allow-root`, `--font-dir`).
fn parse_dir(dir: &str) -> Result<PathBuf, String> {
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

// The engine has its own `typeset::Layout` without clap's derive (clap stays behind this
// module); this one carries the option's spelling and help, and maps onto it.
impl From<Layout> for typeset::Layout {
    fn from(layout: Layout) -> Self {
        match layout {
            Layout::Plain => typeset::Layout::Plain,
            Layout::Booklet => typeset::Layout::Booklet,
        }
    }
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
