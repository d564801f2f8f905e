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
pub mod highlight;
pub mod parse;
pub mod trace;
pub mod typeset;

pub use error::{Diagnostic, Error, Result, Severity};

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
}

impl Input {
    /// The file named in messages.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Book(p, _) => p,
            Input::Document(doc, _) => doc.files.first().map_or(Path::new("<book>"), |p| p),
        }
    }

    /// The outputs' name without extension: a file's stem, a book's folder (or the name its
    /// configuration gives; known once it is read).
    fn stem(&self) -> std::ffi::OsString {
        let path = match self {
            Input::File(p) => p.clone(),
            Input::Book(p, _) => book::canonical(p.parent().unwrap_or(Path::new("."))),
            Input::Document(_, name) => return name.into(),
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
    /// The backends to run on every document, one per requested format.
    pub backends: Vec<Box<dyn Backend>>,
    /// Metadata given on the command line.
    pub overrides: parse::MetaOverrides,
    /// Warnings fail the build.
    pub deny_warnings: bool,
}

/// The backends for the formats `args` asks for (fonts are loaded here, once).
pub fn backends(args: &cli::BuildArgs) -> Result<Vec<Box<dyn Backend>>> {
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    let mut backends: Vec<Box<dyn Backend>> = Vec::new();
    for format in formats {
        backends.push(match format {
            Format::Json => Box::new(backend::json::JsonBackend),
            Format::Pdf => Box::new(backend::pdf::PdfBackend::from_args(args)?),
            Format::Epub => Box::new(backend::epub::EpubBackend::new(args.epub_fonts)),
        });
    }
    Ok(backends)
}

/// One output file that was (or, on failure, would have been) written.
#[derive(Debug)]
pub struct Output {
    /// The input it came from.
    pub input: PathBuf,
    /// Its path.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: usize,
}

/// What a build did: outputs written, warnings and errors (all of them, in input order).
#[derive(Debug, Default)]
pub struct Report {
    /// Files written.
    pub outputs: Vec<Output>,
    /// Warnings, by input then position.
    pub warnings: Vec<Diagnostic>,
    /// Errors; the build failed if there is any.
    pub errors: Vec<Error>,
}

impl Report {
    /// True when nothing failed (and, with `--deny-warnings`, nothing warned).
    pub fn success(&self) -> bool {
        self.errors.is_empty()
    }
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
    crate::trace::stage("started");
    let mut report = Report::default();
    if let Some(clash) = stem_clash(job) {
        report.errors.push(clash);
        return report;
    }
    // Each input: parse, then every backend, all in parallel; results keep input order.
    let results: Vec<Converted> = job
        .inputs
        .par_iter()
        .map(|input| {
            let loaded = match input {
                Input::File(path) => {
                    parse::load(path, &job.overrides).map(|doc| (doc, input.stem()))
                }
                Input::Book(config, kind) => book::load(config, *kind, &job.overrides, &job.book)
                    .map(|b| (b.doc, b.name.into())),
                Input::Document(doc, name) => Ok((doc.as_ref().clone(), name.into())),
            };
            let input_path = input.path().to_owned();
            match loaded {
                Err(e) => (input_path, input.stem(), Err(e), Vec::new()),
                Ok((doc, stem)) => {
                    let input = &input_path;
                    let rendered: Vec<Result<(Format, backend::Rendered)>> = job
                        .backends
                        .par_iter()
                        .map(|b| b.render(&doc).map(|r| (b.format(), r)))
                        .collect();
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
                                message: e.to_string(),
                            }),
                        }
                    }
                    let warnings = parse::sorted(warnings);
                    match first_error {
                        Some(e) => (input.clone(), stem, Err(e), warnings),
                        None => (input.clone(), stem, Ok(outputs), warnings),
                    }
                }
            }
        })
        .collect();

    for (input, stem, result, diagnostics) in results {
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
                for (format, rendered) in outputs {
                    let path = output_path(&job.out_dir, &stem, format);
                    match write_atomic(&path, &rendered.bytes) {
                        Ok(()) => report.outputs.push(Output {
                            input: input.clone(),
                            path,
                            size: rendered.bytes.len(),
                        }),
                        Err(e) => report.errors.push(e),
                    }
                }
            }
        }
    }
    report
}

/// One input's result: its renderings (or the first error) and its diagnostics.
type Converted = (
    PathBuf,
    std::ffi::OsString,
    Result<Vec<(Format, backend::Rendered)>>,
    Vec<Diagnostic>,
);

/// Two inputs with the same stem would overwrite each other's outputs.
fn stem_clash(job: &Job) -> Option<Error> {
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
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
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
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}
