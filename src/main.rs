//! The `bindery` command: parse arguments, resolve a job, convert, report, exit.

use anyhow::Context;
use bindery::cli::{BuildArgs, Cli, Command};
use bindery::{convert, parse, Job};
use clap::Parser;
use std::process::ExitCode;

/// Layout allocates many small objects (a glyph run per word, a line of placed glyphs); the
/// default glibc allocator spent a quarter of a book build in malloc/free, mimalloc far less.
/// Its `no_thp` feature keeps it off transparent huge pages: with them a book build touched
/// 2 MB at a time (peak memory 290 MB instead of 160 MB) and its time varied with how long the
/// kernel took to find free huge pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            if let Err(message) = args.check_page_setup() {
                usage_error(message)
            }
            match build(&args) {
                Ok(code) => code,
                Err(e) => {
                    // Library errors already carry their cause in their message.
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// Ends the run with a usage error, as clap reports its own: the message, the usage line,
/// exit status 2.
fn usage_error(message: String) -> ! {
    let mut cli = <Cli as clap::CommandFactory>::command();
    // Built first, so that the usage line names `bindery build`.
    cli.build();
    let build = cli
        .find_subcommand_mut("build")
        .expect("the build subcommand");
    build
        .error(clap::error::ErrorKind::ValueValidation, message)
        .exit()
}

fn build(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    // Resolving fails only on an option of the command line (`--paper`, `--font-dir`...): a
    // usage error, exit 2, like the ones clap reports itself.
    let (job, input_errors) = match resolve(args) {
        Ok(resolved) => resolved,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (threads, note) = bindery::cli::worker_threads(args.jobs, cores);
    if let (Some(note), false) = (note, args.quiet) {
        eprintln!("note: {note}");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("worker-{i}"))
        .build()
        .context("cannot start worker threads")?;
    let mut report = pool.install(|| convert(&job));
    // Inputs that could not be used are reported with the rest; the good ones were converted.
    report.errors.splice(0..0, input_errors);
    for w in &report.warnings {
        if !args.quiet {
            eprintln!("{w}");
        }
    }
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if args.verbose {
        for o in &report.outputs {
            eprintln!("wrote {} ({} bytes)", o.path.display(), o.size);
        }
    }
    Ok(if report.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Turns arguments into a fully resolved job: inputs expanded, backends built with options.
fn resolve(args: &BuildArgs) -> bindery::Result<(Job, Vec<bindery::Error>)> {
    let given = if args.inputs.is_empty() {
        // A book project's folder builds itself; elsewhere the content/ folder.
        if bindery::book::project_config(std::path::Path::new(".")).is_some() {
            vec![std::path::PathBuf::from(".")]
        } else {
            vec![std::path::PathBuf::from("content")]
        }
    } else {
        args.inputs.clone()
    };
    let (inputs, input_errors) = bindery::expand_inputs(&given);
    let backends = bindery::backends(args)?;
    let job = Job {
        inputs,
        book: bindery::book::LoadOptions {
            allow: args.allow_root.clone(),
            renderer: "bindery".into(),
            preprocessors: true,
        },
        out_dir: args.out_dir.clone(),
        backends,
        overrides: parse::MetaOverrides {
            title: args.title.clone(),
            authors: args.authors.clone(),
            lang: args.lang.clone(),
            date: args.date.clone(),
            source_date_epoch: parse::source_date_epoch(),
        },
        deny_warnings: args.deny_warnings,
    };
    Ok((job, input_errors))
}
