//! bindery: Markdown to a print-ready PDF and a valid EPUB 3, in one run.
//!
//! `main` resolves the command line into a [`Job`]; [`convert`] reads every input
//! ([`parse::load`]), renders every requested format of every document in parallel
//! ([`backend::Backend`]), and writes each output atomically ([`write_atomic`]).

pub mod backend;
pub mod book;
pub mod cli;
pub mod doc;
pub mod error;
pub mod font;
pub mod highlight;
pub mod image;
pub mod init;
pub mod locale;
pub mod page;
pub mod parse;
pub mod source;
pub mod style;
pub mod trace;
pub mod typeset;
pub mod ui;
pub mod watch;

pub use error::{Code, Diagnostic, Error, Result, Severity};

use backend::{Backend, Format};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One document to build.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A Markdown file.
    File(PathBuf),
    /// A book project, by its configuration file (`book.toml` or `bindery.toml`).
    Book(PathBuf, book::Kind),
    /// A document already read, with its outputs' name (mdBook hands `mdbook-bindery` the
    /// book it has preprocessed).
    Document(Box<doc::Document>, String),
    /// Markdown read from standard input (`-`): named `<stdin>` in messages, its outputs
    /// `stdin.FORMAT`, its images found from the current folder.
    Stdin(Vec<u8>),
}

/// The name standard input has in messages.
pub const STDIN_NAME: &str = "<stdin>";

impl Input {
    /// The file named in messages.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Book(p, _) => p,
            Input::Document(doc, _) => doc.files.first().map_or(Path::new("<book>"), |p| p),
            Input::Stdin(_) => Path::new(STDIN_NAME),
        }
    }

    /// The outputs' name without extension: a file's stem, a book's folder (or the name its
    /// configuration gives; known once it is read).
    fn stem(&self) -> std::ffi::OsString {
        let path = match self {
            Input::File(p) => p.clone(),
            Input::Book(p, _) => book::canonical(p.parent().unwrap_or(Path::new("."))),
            Input::Document(_, name) => return name.into(),
            Input::Stdin(_) => return "stdin".into(),
        };
        let stem = match self {
            Input::File(_) => path.file_stem(),
            _ => path.file_name(),
        };
        stem.map(|s| s.to_os_string())
            .unwrap_or_else(|| "output".into())
    }
}

/// Everything a build needs, resolved before any work starts.
pub struct Job {
    /// Documents, in order (folders already expanded).
    pub inputs: Vec<Input>,
    /// How books are read (`--allow-root`, preprocessors).
    pub book: book::LoadOptions,
    /// Where outputs go.
    pub out_dir: PathBuf,
    /// The one file to write instead (`-o FILE.pdf`): one input, one backend. `out_dir` is
    /// then ignored.
    pub out_file: Option<PathBuf>,
    /// The backends to run on every document, one per requested format.
    pub backends: Vec<Box<dyn Backend>>,
    /// Metadata given on the command line.
    pub overrides: parse::MetaOverrides,
    /// Warnings fail the build.
    pub deny_warnings: bool,
    /// `--out-name`: how outputs are named instead of `<stem>` (a folder target only).
    pub out_name: Option<OutName>,
}

/// The PostScript names of the fonts compiled into the binary (`bindery --version`).
pub fn bundled_faces() -> Vec<&'static str> {
    font::bundled_font_data()
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

/// The backends for the formats `args` asks for (fonts are loaded here, once). Every error is
/// about an option of the command line (a usage error: `main` exits 2).
pub fn backends(args: &cli::BuildArgs) -> Result<Vec<Box<dyn Backend>>> {
    let mut formats = args.formats();
    formats.sort();
    formats.dedup();
    let mut backends: Vec<Box<dyn Backend>> = Vec::new();
    for format in formats {
        backends.push(match format {
            Format::Json => Box::new(backend::json::JsonBackend),
            // The only fonts loaded here are `--font-dir`'s: its errors name the option.
            Format::Pdf => Box::new(args.pdf_backend().map_err(|e| match e {
                Error::Font { .. } => Error::Setting {
                    origin: "--font-dir".into(),
                    message: e.to_string(),
                },
                e => e,
            })?),
            Format::Epub => Box::new(backend::epub::EpubBackend::new(args.epub_fonts)),
            Format::Html => Box::new(backend::html::HtmlBackend),
            Format::External(name) => Box::new(backend::external::ExternalBackend::new(name)),
        });
    }
    Ok(backends)
}

/// One output file that was written (by [`check`]: that would have been written).
#[derive(Debug)]
pub struct Output {
    /// The input it came from.
    pub input: PathBuf,
    /// Its path.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Its size in bytes.
    pub size: usize,
    /// Its pages, for formats that have them (PDF).
    pub pages: Option<usize>,
    /// How long its document took to read and render (all its formats, in parallel).
    pub elapsed: std::time::Duration,
    /// The system fonts it draws with, one line each (`--verbose` prints them).
    pub faces: Vec<String>,
}

/// What a build did: outputs written, warnings and errors (all of them, in input order).
#[derive(Debug, Default)]
pub struct Report {
    /// Files written, in input order ([`check`]: the files a build would write).
    pub outputs: Vec<Output>,
    /// Documents read (whether or not they could be rendered).
    pub documents: usize,
    /// Warnings, by input then position.
    pub warnings: Vec<Diagnostic>,
    /// Errors; the build failed if there is any.
    pub errors: Vec<Error>,
    /// For each input that could be read (by its path, as [`Input::path`] gives it), every
    /// file reading it took ([`doc::Document::reads`]): what `bindery watch` watches.
    pub reads: Vec<(PathBuf, Vec<PathBuf>)>,
}

impl Report {
    /// True when nothing failed (and, with `--deny-warnings`, nothing warned).
    pub fn success(&self) -> bool {
        self.errors.is_empty()
    }
}

/// `--out-name TEMPLATE`: an output's name (without its extension) made of text and
/// placeholders: `{stem}` (the name outputs have without the option), `{title}` (the title,
/// lower case, letters and digits joined by hyphens), `{version}` and `{date}` (the document's
/// `version` and `date`, from its front matter, its book's configuration or `--set`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutName {
    parts: Vec<NamePart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum NamePart {
    Text(String),
    Stem,
    Title,
    Version,
    Date,
}

impl NamePart {
    fn placeholder(&self) -> &'static str {
        match self {
            NamePart::Text(_) => "text",
            NamePart::Stem => "{stem}",
            NamePart::Title => "{title}",
            NamePart::Version => "{version}",
            NamePart::Date => "{date}",
        }
    }
}

impl OutName {
    /// The placeholders a template may use.
    pub const PLACEHOLDERS: &'static str = "{stem}, {title}, {version}, {date}";

    /// Parses a template; `Err` says what is wrong (a usage error): an unknown placeholder, a
    /// lone brace, a folder separator, or no name at all.
    pub fn parse(template: &str) -> std::result::Result<OutName, String> {
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let brace = rest.find(['{', '}']).unwrap_or(rest.len());
            if brace > 0 {
                parts.push(NamePart::Text(rest[..brace].to_owned()));
            }
            rest = &rest[brace..];
            if rest.is_empty() {
                break;
            }
            let Some(end) = rest.find('}').filter(|_| rest.starts_with('{')) else {
                return Err(format!(
                    "`{template}`: a lone `{}`; placeholders are {}",
                    &rest[..1],
                    Self::PLACEHOLDERS
                ));
            };
            parts.push(match &rest[1..end] {
                "stem" => NamePart::Stem,
                "title" => NamePart::Title,
                "version" => NamePart::Version,
                "date" => NamePart::Date,
                other => {
                    return Err(format!(
                        "`{template}`: unknown placeholder `{{{other}}}`; the placeholders are {}",
                        Self::PLACEHOLDERS
                    ))
                }
            });
            rest = &rest[end + 1..];
        }
        let text: String = parts
            .iter()
            .filter_map(|p| match p {
                NamePart::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        if parts.is_empty() || template.trim().is_empty() {
            return Err("the template is empty; e.g. `{stem}-{version}`".into());
        }
        if text.contains(['/', '\\', '\0']) {
            return Err(format!(
                "`{template}` names a folder; it names the file only (the folder is -o's)"
            ));
        }
        if template.starts_with('.') {
            return Err(format!(
                "`{template}` starts with `.`: outputs would be hidden files"
            ));
        }
        Ok(OutName { parts })
    }

    /// The name (without extension) for a document whose default name is `stem`; `Err` when a
    /// placeholder has no value for it or the name would not be a plain file name.
    pub fn render(
        &self,
        stem: &std::ffi::OsStr,
        meta: &doc::Metadata,
    ) -> std::result::Result<std::ffi::OsString, String> {
        let mut name = std::ffi::OsString::new();
        for part in &self.parts {
            let value = match part {
                NamePart::Text(t) => {
                    name.push(t);
                    continue;
                }
                NamePart::Stem => {
                    name.push(stem);
                    continue;
                }
                NamePart::Title => file_slug(&meta.title),
                NamePart::Version => meta.version.clone().ok_or(
                    "uses {version}, but the document has no `version` (set it in its front \
                     matter or configuration, or give --set version=...)",
                )?,
                NamePart::Date => meta.date.clone().ok_or(
                    "uses {date}, but the document has no `date` (set it in its front matter \
                     or configuration, or give --date)",
                )?,
            };
            let value = value.trim();
            if value.is_empty() {
                return Err(format!(
                    "uses {}, which is empty for this document",
                    part.placeholder()
                ));
            }
            if value.contains(['/', '\\', '\0']) || value == "." || value == ".." {
                return Err(format!(
                    "`{value}` cannot be part of a file name (it names a folder)"
                ));
            }
            name.push(value);
        }
        let s = name.to_string_lossy();
        if s.trim().is_empty() || s.starts_with('.') {
            return Err(format!("gives `{s}`, which is no file name to write"));
        }
        Ok(name)
    }
}

/// A title as a file name: lower case, runs of letters and digits (any script) joined by
/// single hyphens.
fn file_slug(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Renders `doc` in every format, in the order of `backends`. Those that mark the print
/// edition's pages (the EPUB's page list) take the page starts of the PDF of the same build:
/// the PDF's own typesetting says where its pages begin, so the EPUB neither sets the book a
/// second time nor could disagree with the PDF beside it. Without a PDF they get none.
///
/// Two rounds: every other backend begins ([`Backend::stage`]: the PDF typesets), then the
/// PDF is written while the page-marking backends render, side by side.
fn render_all(
    backends: &[Box<dyn Backend>],
    doc: &doc::Document,
) -> Vec<Result<(Format, backend::Rendered)>> {
    let staged: Vec<Option<Result<backend::Staged>>> = backends
        .par_iter()
        .map(|b| (!b.wants_pages()).then(|| b.stage(doc)))
        .collect();
    let pages = backends.iter().zip(&staged).find_map(|(b, s)| match s {
        Some(Ok(s)) if b.format() == Format::Pdf => Some(s.page_starts.clone()),
        _ => None,
    });
    backends
        .par_iter()
        .zip(staged)
        .map(|(b, staged)| {
            let rendered = match staged {
                Some(Ok(s)) => (s.finish)(),
                Some(Err(e)) => Err(e),
                None => b.render_with_pages(doc, pages.as_deref()),
            };
            rendered.map(|r| (b.format(), r))
        })
        .collect()
}

/// Set by [`ends_after_run`]: nothing handed to [`free_later`] is freed.
static ENDS_AFTER_RUN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells the library that this process ends once its run is over (`bindery build` and `check`,
/// `mdbook-bindery`; not `watch`, nor a program that embeds the library), so that a document
/// model and its pages are left to the system, which takes a process's memory back whole when
/// it exits, instead of being freed piece by piece. Freeing the Rust book's (millions of small
/// allocations) took a core about 10 ms, while the other was writing and syncing the outputs,
/// and `fsync` of its PDF took 8–10 ms instead of 4–5 (strace, 2026-12-06).
pub fn ends_after_run() {
    ENDS_AFTER_RUN.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Frees `value` on a thread of its own. A book's document model and pages are millions of
/// small allocations that take tens of milliseconds to free, after the outputs are complete:
/// the run need not wait for that, and a process that ends first leaves it to the system. In a
/// process that [`ends_after_run`], `value` is not freed at all.
pub(crate) fn free_later<T: Send + 'static>(value: T) {
    if ENDS_AFTER_RUN.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// The output path of a document named `stem` in `format`.
pub fn output_path(out_dir: &Path, stem: &std::ffi::OsStr, format: Format) -> PathBuf {
    let mut name = stem.to_os_string();
    name.push(".");
    name.push(format.extension());
    out_dir.join(name)
}

/// Runs a job: parse all inputs and render all formats in parallel, then write what succeeded.
///
/// An input whose parsing or any rendering failed writes nothing, so a previous good output
/// stays in place. Every failure is reported.
pub fn convert(job: &Job) -> Report {
    run(job, true, &|_| {})
}

/// Runs a job as [`convert`] does, typesetting included (so that missing glyphs, overfull
/// lines and the like are found), but writes nothing and touches no file: `bindery check`.
pub fn check(job: &Job) -> Report {
    run(job, false, &|_| {})
}

/// [`convert`] (`write`) or [`check`], calling `done` with each input's path as soon as it is
/// rendered (in whatever order the workers finish): the progress bar's feed.
pub fn run(job: &Job, write: bool, done: &(dyn Fn(&Path) + Sync)) -> Report {
    crate::trace::stage("started");
    let mut report = Report::default();
    if let Some(clash) = stem_clash(job) {
        report.errors.push(clash);
        return report;
    }
    report.documents = job.inputs.len();
    if write {
        // What an earlier build that was killed mid-write left behind.
        match &job.out_file {
            Some(file) => remove_stale_temps(
                file.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new(".")),
            ),
            None => remove_stale_temps(&job.out_dir),
        }
    }
    // Each input: parse, then every backend, all in parallel; results keep input order.
    let results: Vec<Converted> = job
        .inputs
        .par_iter()
        .map(|input| {
            let started = std::time::Instant::now();
            let loaded = match input {
                Input::File(path) => {
                    parse::load(path, &job.overrides).map(|doc| (doc, input.stem()))
                }
                Input::Book(config, kind) => book::load(config, *kind, &job.overrides, &job.book)
                    .map(|b| (b.doc, b.name.into())),
                Input::Document(doc, name) => Ok((doc.as_ref().clone(), name.into())),
                Input::Stdin(bytes) => {
                    read_stdin_document(bytes, &job.overrides).map(|doc| (doc, input.stem()))
                }
            };
            let input_path = input.path().to_owned();
            match loaded {
                Err(e) => {
                    done(&input_path);
                    (
                        input_path,
                        input.stem(),
                        Err(e),
                        Vec::new(),
                        started.elapsed(),
                        None,
                    )
                }
                Ok((mut doc, stem)) => {
                    let input = &input_path;
                    if job
                        .backends
                        .iter()
                        .any(|b| matches!(b.format(), Format::Pdf | Format::Epub))
                    {
                        highlight::prepare(doc::code_blocks(&doc.blocks));
                    }
                    let rendered = render_all(&job.backends, &doc);
                    let mut warnings = doc.diagnostics.clone();
                    let mut outputs = Vec::new();
                    let mut first_error = None;
                    for r in rendered {
                        match r {
                            Ok((format, mut out)) => {
                                warnings.append(&mut out.diagnostics);
                                outputs.push((format, out));
                            }
                            Err(e) if first_error.is_none() => first_error = Some(e),
                            Err(e) => warnings.push(Diagnostic {
                                severity: Severity::Error,
                                path: input.clone(),
                                line: 0,
                                col: 0,
                                len: 0,
                                code: crate::Code::Backend,
                                message: e.to_string(),
                            }),
                        }
                    }
                    let warnings = parse::sorted(warnings);
                    // `--out-name`: the document's own values name its outputs.
                    let stem = match &job.out_name {
                        Some(template) if job.out_file.is_none() => {
                            match template.render(&stem, &doc.meta) {
                                Ok(name) => name,
                                Err(message) => {
                                    first_error.get_or_insert(Error::Setting {
                                        origin: format!("{}: --out-name", input.display()),
                                        message,
                                    });
                                    stem
                                }
                            }
                        }
                        _ => stem,
                    };
                    let elapsed = started.elapsed();
                    done(input);
                    let reads = Some(std::mem::take(&mut doc.reads));
                    free_later(doc);
                    match first_error {
                        Some(e) => (input.clone(), stem, Err(e), warnings, elapsed, reads),
                        None => (input.clone(), stem, Ok(outputs), warnings, elapsed, reads),
                    }
                }
            }
        })
        .collect();

    // Names given by `--out-name` are known only now: two documents must not share one.
    let mut named: std::collections::BTreeMap<std::ffi::OsString, PathBuf> = Default::default();
    for (input, stem, result, diagnostics, elapsed, reads) in results {
        if let Some(reads) = reads {
            report.reads.push((input.clone(), reads));
        }
        let result = match result {
            Ok(_) if job.out_name.is_some() && named.contains_key(&stem) => Err(Error::Setting {
                origin: format!("{}: --out-name", input.display()),
                message: format!(
                    "gives `{}`, the name of {}'s outputs too; put {{stem}} or {{title}} in \
                     the template",
                    stem.to_string_lossy(),
                    named[&stem].display()
                ),
            }),
            Ok(outputs) => {
                named.insert(stem.clone(), input.clone());
                Ok(outputs)
            }
            Err(e) => Err(e),
        };
        let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        let denied = job.deny_warnings && !warnings.is_empty();
        if denied {
            report.errors.push(Error::DeniedWarnings {
                count: warnings.len(),
            });
        }
        report.warnings.extend(warnings);
        for e in errors {
            report.errors.push(Error::Render {
                path: input.clone(),
                format: "",
                message: e.message,
            });
        }
        match result {
            Err(e) => report.errors.push(e),
            Ok(_) if denied => {}
            Ok(outputs) => {
                // The outputs of one input replace the previous ones together or not at all.
                let files: Vec<(PathBuf, &[u8])> = outputs
                    .iter()
                    .map(|(format, r)| {
                        let path = match &job.out_file {
                            Some(file) => file.clone(),
                            None => output_path(&job.out_dir, &stem, *format),
                        };
                        (path, r.bytes.as_slice())
                    })
                    .collect();
                let written = if write { write_set(&files) } else { Ok(()) };
                match written {
                    Ok(()) => report.outputs.extend(files.iter().zip(&outputs).map(
                        |((path, bytes), (format, r))| Output {
                            input: input.clone(),
                            path: path.clone(),
                            format: *format,
                            size: bytes.len(),
                            pages: r.pages,
                            elapsed,
                            faces: r.faces.clone(),
                        },
                    )),
                    Err(e) => report.errors.push(e),
                }
            }
        }
    }
    report
}

/// One input's result: its renderings (or the first error), its diagnostics, how long it
/// took, and the files it read (`None`: it could not be read).
type Converted = (
    PathBuf,
    std::ffi::OsString,
    Result<Vec<(Format, backend::Rendered)>>,
    Vec<Diagnostic>,
    std::time::Duration,
    Option<Vec<PathBuf>>,
);

/// Parses Markdown given on standard input, as [`parse::load`] a file: the same size bound,
/// UTF-8 check, and images read relative to the current folder.
fn read_stdin_document(bytes: &[u8], overrides: &parse::MetaOverrides) -> Result<doc::Document> {
    let path = Path::new(STDIN_NAME);
    let text = parse::decode(path, bytes.to_vec())?;
    let mut doc = parse::parse_str(path, &text, overrides)?;
    parse::style::settle(&mut doc, Path::new(""), path)?;
    parse::load_assets(Path::new(""), &mut doc);
    Ok(doc)
}

/// Reads standard input for `-`, bounded as an input file is.
pub fn read_stdin() -> Result<Vec<u8>> {
    use std::io::Read;
    let limit = source::MAX_TEXT_BYTES;
    let mut bytes = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes);
    let path = PathBuf::from(STDIN_NAME);
    match read {
        Err(source) => Err(Error::Read { path, source }),
        Ok(_) if bytes.len() as u64 > limit => Err(Error::Read {
            path,
            source: std::io::Error::other(format!(
                "more than {} MB of text; bindery reads at most that much",
                limit >> 20
            )),
        }),
        Ok(_) => Ok(bytes),
    }
}

/// Two inputs with the same stem would overwrite each other's outputs.
fn stem_clash(job: &Job) -> Option<Error> {
    if job.out_file.is_some() && job.inputs.len() > 1 {
        return Some(Error::Setting {
            origin: "-o".into(),
            message: "a file name writes one document; give a folder for several".into(),
        });
    }
    if job.out_name.is_some() {
        // Named from each document's values: checked once they are read (`run`).
        return None;
    }
    let mut seen = std::collections::BTreeMap::new();
    for input in &job.inputs {
        if let Some(first) = seen.insert(input.stem(), input) {
            return Some(Error::Setting {
                origin: input.path().display().to_string(),
                message: format!(
                    "writes the same output files as {} (same file name); rename one or build them into different --out-dir folders",
                    first.path().display()
                ),
            });
        }
    }
    None
}

/// Expands inputs: files as given, a folder holding `book.toml` or `bindery.toml` (or that file
/// itself) as one book, other folders into their Markdown files sorted by name. Inputs that
/// cannot be used are returned as errors beside the good ones, so that every problem is
/// reported and the good inputs still convert.
pub fn expand_inputs(inputs: &[PathBuf]) -> (Vec<Input>, Vec<Error>) {
    expand_inputs_as(inputs, false)
}

/// [`expand_inputs`], with `-` read from standard input, and files named explicitly refused
/// when their extension is not one bindery reads (`notes.rst`, `config.toml`) unless
/// `any_extension` (`--from markdown`) is set.
pub fn expand_inputs_as(inputs: &[PathBuf], any_extension: bool) -> (Vec<Input>, Vec<Error>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut stdin_read = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_read {
                errors.push(Error::Setting {
                    origin: "-".into(),
                    message: "standard input can be read only once".into(),
                });
                continue;
            }
            stdin_read = true;
            match read_stdin() {
                Ok(bytes) => out.push(Input::Stdin(bytes)),
                Err(e) => errors.push(e),
            }
            continue;
        }
        let meta = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(source) => {
                errors.push(Error::Read {
                    path: input.clone(),
                    source,
                });
                continue;
            }
        };
        if !meta.is_dir() {
            let name = input.file_name().and_then(|n| n.to_str());
            out.push(match name {
                Some("book.toml") => Input::Book(input.clone(), book::Kind::MdBook),
                Some("bindery.toml") => Input::Book(input.clone(), book::Kind::Bindery),
                _ if !any_extension && !parse::is_markdown(input) => {
                    errors.push(Error::Setting {
                        origin: input.display().to_string(),
                        message: "not a file bindery reads (.md, .markdown, .txt, or a book's \
                                  book.toml or bindery.toml); give --from markdown to read it \
                                  as Markdown"
                            .into(),
                    });
                    continue;
                }
                _ => Input::File(input.clone()),
            });
            continue;
        }
        if let Some((config, kind)) = book::project_config(input) {
            out.push(Input::Book(config, kind));
            continue;
        }
        // An mdBook's source folder (SUMMARY.md, book.toml one level up) is that book: its
        // chapters are not separate documents.
        if input.join("SUMMARY.md").is_file() {
            let parent = book::canonical(input).parent().map(Path::to_owned);
            if let Some((config, book::Kind::MdBook)) =
                parent.as_deref().and_then(book::project_config)
            {
                out.push(Input::Book(config, book::Kind::MdBook));
                continue;
            }
        }
        match std::fs::read_dir(input) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && parse::is_markdown(p))
                    .collect();
                files.sort();
                if files.is_empty() {
                    errors.push(Error::EmptyDir {
                        path: input.clone(),
                    });
                }
                out.extend(files.into_iter().map(Input::File));
            }
            Err(source) => errors.push(Error::Read {
                path: input.clone(),
                source,
            }),
        }
    }
    (out, errors)
}

/// Writes a file atomically: a temporary file in the same folder, synced, then renamed over the
/// target, so readers never see a partial file and a failure leaves the old one untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_set(&[(path.to_owned(), bytes)])
}

/// Writes the outputs of one input so that they replace the previous ones together or not at
/// all, as far as a file system allows (renaming several files is not atomic as a set):
///
/// 1. every file is written to a temporary file beside its target (`.NAME.PID.tmp`) and synced;
///    if any of them fails, every temporary file is removed and nothing else has changed;
/// 2. every target that exists is kept as a hard link (a copy where links are not supported)
///    `.NAME.PID.bak`;
/// 3. the temporary files are renamed over their targets; if one rename fails, the targets
///    already replaced get their previous file back (or are removed, when there was none),
///    and the error says so, naming any file that could not be put back (its previous version
///    is then left in its `.bak` file);
/// 4. the backups are removed.
///
/// A build killed in the middle leaves `.NAME.PID.tmp` or `.bak` files; the next build into
/// that folder removes them ([`remove_stale_temps`]).
pub fn write_set(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let pid = std::process::id();
    let side = |path: &Path, kind: &str| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        path.with_file_name(format!(".{name}.{pid}.{kind}"))
    };
    let write_err = |path: &Path, source| Error::Write {
        path: path.to_owned(),
        source,
    };
    // 1. Temporary files, complete and synced, each on a thread of its own: syncing waits for
    // the disk, and a book's PDF and EPUB then take as long as the longer of the two (about
    // 4 ms for the Rust book's PDF, 2 ms for its EPUB).
    let remove_all = |list: &[PathBuf]| {
        for p in list {
            let _ = std::fs::remove_file(p);
        }
    };
    // Whether the temporary file was created (and must go if anything fails), and the outcome.
    let write_temp = |path: &Path, tmp: &Path, bytes: &[u8]| -> (bool, std::io::Result<()>) {
        use std::io::Write;
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return (false, Err(e));
            }
        }
        let mut file = match std::fs::File::create(tmp) {
            Ok(f) => f,
            Err(e) => return (false, Err(e)),
        };
        (true, file.write_all(bytes).and_then(|()| file.sync_all()))
    };
    let temps: Vec<PathBuf> = files.iter().map(|(path, _)| side(path, "tmp")).collect();
    let outcomes: Vec<(bool, std::io::Result<()>)> = if files.len() == 1 {
        vec![write_temp(&files[0].0, &temps[0], files[0].1)]
    } else {
        std::thread::scope(|scope| {
            // A file whose thread cannot be started is written here, after the others started.
            let writers: Vec<_> = files
                .iter()
                .zip(&temps)
                .map(|((path, bytes), tmp)| {
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || write_temp(path, tmp, bytes))
                        .map_err(|_| (path, tmp, bytes))
                })
                .collect();
            writers
                .into_iter()
                .map(|w| match w {
                    Ok(w) => w.join().unwrap_or_else(|_| {
                        (
                            true,
                            Err(std::io::Error::other("the writing thread failed")),
                        )
                    }),
                    Err((path, tmp, bytes)) => write_temp(path, tmp, bytes),
                })
                .collect()
        })
    };
    let created: Vec<PathBuf> = temps
        .iter()
        .zip(&outcomes)
        .filter(|(_, (made, _))| *made)
        .map(|(tmp, _)| tmp.clone())
        .collect();
    if let Some(((path, _), (_, Err(e)))) = files
        .iter()
        .zip(outcomes)
        .find(|(_, (_, outcome))| outcome.is_err())
    {
        remove_all(&created);
        return Err(write_err(path, e));
    }
    // 2. Backups of the files about to be replaced.
    let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(files.len());
    for (path, _) in files {
        // A symbolic link is kept as the link itself (a hard link to a symlink is one).
        let exists = std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir());
        if !exists {
            backups.push(None);
            continue;
        }
        let bak = side(path, "bak");
        let _ = std::fs::remove_file(&bak);
        let kept =
            std::fs::hard_link(path, &bak).or_else(|_| std::fs::copy(path, &bak).map(|_| ()));
        if let Err(e) = kept {
            remove_all(&temps);
            remove_all(&backups.iter().flatten().cloned().collect::<Vec<_>>());
            let _ = std::fs::remove_file(&bak);
            let e = std::io::Error::new(
                e.kind(),
                format!(
                    "cannot keep the previous file while replacing it ({e}); nothing was replaced"
                ),
            );
            return Err(write_err(path, e));
        }
        backups.push(Some(bak));
    }
    // 3. Renames; on a failure, the earlier ones are undone.
    for (i, ((path, _), tmp)) in files.iter().zip(&temps).enumerate() {
        let Err(e) = std::fs::rename(tmp, path) else {
            continue;
        };
        let mut lost = Vec::new();
        for ((earlier, _), bak) in files[..i].iter().zip(&backups).rev() {
            let undone = match bak {
                Some(bak) => std::fs::rename(bak, earlier),
                None => std::fs::remove_file(earlier),
            };
            if undone.is_err() {
                lost.push(earlier.display().to_string());
            }
        }
        remove_all(&temps[i..]);
        for (j, bak) in backups.iter().enumerate() {
            if let Some(bak) = bak {
                // A backup that could not be put back is the only copy of the old file.
                if j >= i || !lost.contains(&files[j].0.display().to_string()) {
                    let _ = std::fs::remove_file(bak);
                }
            }
        }
        let note = if i == 0 {
            String::from("nothing was replaced")
        } else if lost.is_empty() {
            String::from("the outputs already replaced were put back as they were")
        } else {
            format!(
                "{} could not be put back (the previous version is beside it, as .NAME.{pid}.bak)",
                lost.join(", ")
            )
        };
        let e = std::io::Error::new(e.kind(), format!("{e}; {note}"));
        return Err(write_err(path, e));
    }
    // 4. Done: the backups go, and the folders' new entries are made durable.
    for bak in backups.iter().flatten() {
        let _ = std::fs::remove_file(bak);
    }
    let mut dirs: Vec<&Path> = files.iter().filter_map(|(p, _)| p.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes what [`write_set`] leaves behind when a build is killed: `.NAME.PID.tmp` and
/// `.NAME.PID.bak` files in `dir`, for outputs bindery writes (NAME ends in `.pdf`, `.epub`
/// or `.json`), whose process is gone, or that are over a day old (the process id was
/// reused). Files of a build still running are left alone; nothing else is touched.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(stale_pattern) else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > day);
        if meta.is_file() && (old || !process_alive(pid)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a name of [`write_set`]'s side files (`.x.pdf.123.tmp`, `.x.epub.9.bak`).
pub(crate) fn stale_pattern(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let rest = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".bak"))?;
    let (output, pid) = rest.rsplit_once('.')?;
    let known = [".pdf", ".epub", ".html", ".json"]
        .iter()
        .any(|ext| output.len() > ext.len() && output.ends_with(ext));
    if !known || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` exists: through /proc where there is one; elsewhere every process is
/// taken to be alive, and only age makes a side file stale.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_file_names() {
        assert_eq!(stale_pattern(".book.pdf.123.tmp"), Some(123));
        assert_eq!(stale_pattern(".a.b.epub.9.bak"), Some(9));
        assert_eq!(stale_pattern(".x.json.77.tmp"), Some(77));
        assert_eq!(stale_pattern(".pdf.1.tmp"), None);
        assert_eq!(stale_pattern(".notes.txt.12.tmp"), None);
        assert_eq!(stale_pattern("x.pdf.12.tmp"), None);
        assert_eq!(stale_pattern(".x.pdf.12a.tmp"), None);
        assert_eq!(stale_pattern(".x.pdf..tmp"), None);
    }
}
