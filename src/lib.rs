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

pub use error::{Diagnostic, Error, Result, Severity};

use backend::{Backend, Format};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Everything a build needs, resolved before any work starts.
pub struct Job {
    /// Source files, in order (folders already expanded).
    pub inputs: Vec<PathBuf>,
    /// Where outputs go.
    pub out_dir: PathBuf,
    /// The backends to run on every document, one per requested format.
    pub backends: Vec<Box<dyn Backend>>,
    /// Metadata given on the command line.
    pub overrides: parse::MetaOverrides,
    /// Warnings fail the build.
    pub deny_warnings: bool,
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

/// The output path of `input` in `format`.
pub fn output_path(out_dir: &Path, input: &Path, format: Format) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "output".into());
    let mut name = stem;
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
        .map(|input| match parse::load(input, &job.overrides) {
            Err(e) => (input.clone(), Err(e), Vec::new()),
            Ok(doc) => {
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
                    Some(e) => (input.clone(), Err(e), warnings),
                    None => (input.clone(), Ok(outputs), warnings),
                }
            }
        })
        .collect();

    for (input, result, diagnostics) in results {
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
                    let path = output_path(&job.out_dir, &input, format);
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
    Result<Vec<(Format, backend::Rendered)>>,
    Vec<Diagnostic>,
);

/// Two inputs with the same stem would overwrite each other's outputs.
fn stem_clash(job: &Job) -> Option<Error> {
    let mut seen = std::collections::BTreeMap::new();
    for input in &job.inputs {
        let stem = input
            .file_stem()
            .map(|s| s.to_os_string())
            .unwrap_or_default();
        if let Some(first) = seen.insert(stem, input) {
            return Some(Error::Setting {
                origin: input.display().to_string(),
                message: format!(
                    "writes the same output files as {} (same file name); rename one or build them into different --out-dir folders",
                    first.display()
                ),
            });
        }
    }
    None
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
