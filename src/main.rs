//! The `bindery` command: parse arguments, resolve a job, convert, report, exit.

use anyhow::Context;
use bindery::cli::{BuildArgs, Cli, Command, Target};
use bindery::ui::{self, Styles};
use bindery::{parse, Job};
use clap::FromArgMatches;
use std::process::ExitCode;

mod alloc;

/// What a run of the pipeline is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `bindery build`: write the outputs.
    Build,
    /// `bindery check`: everything a build reports, nothing written.
    Check,
    /// `bindery watch`: build, then rebuild on changes.
    Watch,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Build => "build",
            Mode::Check => "check",
            Mode::Watch => "watch",
        }
    }
}

fn main() -> ExitCode {
    let matches = bindery::cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let styles = Styles::for_stderr();
    match cli.command {
        Command::Build(args) => pipeline(&args, Mode::Build, styles),
        Command::Check(args) => pipeline(&args, Mode::Check, styles),
        Command::Watch(args) => pipeline(&args, Mode::Watch, styles),
        Command::Init(args) => match bindery::init::create(&args.dir, args.mdbook) {
            Ok(files) => {
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                eprintln!("{} {}", styles.done("Created"), names.join(", "));
                let cd = if args.dir.as_os_str() == "." {
                    String::new()
                } else {
                    format!("cd {} && ", args.dir.display())
                };
                eprintln!("{} build it with `{cd}bindery build`", styles.note());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{} {e}", styles.error());
                ExitCode::from(1)
            }
        },
        Command::Style(args) => {
            let text = match &args.file {
                Some(file) => bindery::style::load(file).map(|s| bindery::style::write_file(&s)),
                None => Ok(bindery::style::default_file()),
            };
            match text {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{} {e}", styles.error());
                    ExitCode::from(1)
                }
            }
        }
        Command::Completions { shell } => {
            bindery::cli::completions(shell, &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man { dir } => match bindery::cli::man_pages(&dir) {
            Ok(files) => {
                for f in files {
                    eprintln!("{} {}", styles.done("Wrote"), f.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{} {}: {e}", styles.error(), dir.display());
                ExitCode::from(1)
            }
        },
    }
}

/// Ends the run with a usage error, as clap reports its own: the message, the usage line,
/// exit status 2.
fn usage_error(mode: Mode, message: String) -> ! {
    let mut cli = bindery::cli::command();
    // Built first, so that the usage line names the subcommand.
    cli.build();
    let sub = cli
        .find_subcommand_mut(mode.name())
        .expect("the subcommand exists");
    sub.error(clap::error::ErrorKind::ValueValidation, message)
        .exit()
}

/// `build` and `check`: usage errors first (exit 2), then the pipeline, then the report.
fn pipeline(args: &BuildArgs, mode: Mode, styles: Styles) -> ExitCode {
    if mode != Mode::Watch {
        alloc::keep_freed_memory();
        bindery::ends_after_run();
    }
    if let Err(message) = args.check_page_setup() {
        usage_error(mode, message)
    }
    let target = args
        .target()
        .unwrap_or_else(|message| usage_error(mode, message));
    if let (Some(_), Target::File(file, _)) = (&args.out_name, &target) {
        usage_error(
            mode,
            format!(
                "--out-name names the outputs in a folder, but -o {} is a file",
                file.display()
            ),
        );
    }
    if let Err(message) = set_conflicts(args) {
        usage_error(mode, message)
    }
    if mode == Mode::Watch && args.inputs.iter().any(|i| i.as_os_str() == "-") {
        usage_error(
            mode,
            "standard input (`-`) cannot be watched; name the files".into(),
        );
    }
    let ran = match mode {
        Mode::Watch => watch(args, &target, styles),
        _ => run(args, mode, &target, styles),
    };
    match ran {
        Ok(code) => code,
        Err(e) => {
            // Library errors already carry their cause in their message.
            eprintln!("{} {e}", styles.error());
            ExitCode::from(1)
        }
    }
}

/// A resolved job, the inputs it could not use, and the pool to run it on.
type Prepared = (Job, Vec<bindery::Error>, rayon::ThreadPool);

/// What `build`, `check` and `watch` set up alike: the job resolved from the arguments (the
/// inputs that cannot be used come back as errors to report with the rest) and the worker
/// pool. `Ok(Err(code))`: a usage error was printed and the run ends with `code`.
fn prepare(
    args: &BuildArgs,
    mode: Mode,
    target: &Target,
    styles: Styles,
) -> anyhow::Result<Result<Prepared, ExitCode>> {
    // Resolving fails only on an option of the command line (`--paper`, `--font-dir`...): a
    // usage error, exit 2, like the ones clap reports itself.
    let (job, input_errors) = match resolve(args, target) {
        Ok(resolved) => resolved,
        Err(e) => {
            eprintln!("{} {e}", styles.error());
            return Ok(Err(ExitCode::from(2)));
        }
    };
    // Inputs named in a way bindery refuses (`notes.rst` without --from, `-` twice) are
    // usage errors too: nothing is built.
    let (usage, input_errors): (Vec<_>, Vec<_>) = input_errors
        .into_iter()
        .partition(|e| matches!(e, bindery::Error::Setting { .. }));
    if !usage.is_empty() {
        for e in &usage {
            eprintln!("{} {e}", styles.error());
        }
        return Ok(Err(ExitCode::from(2)));
    }
    if let (Target::File(file, _), n @ 2..) = (target, job.inputs.len()) {
        usage_error(
            mode,
            format!(
                "-o {} names one file, but the inputs are {n} documents; give -o a folder",
                file.display()
            ),
        );
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (threads, note) = bindery::cli::worker_threads(args.jobs, cores);
    if let (Some(note), false) = (note, args.quiet) {
        eprintln!("{} {note}", styles.note());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("worker-{i}"))
        .build()
        .context("cannot start worker threads")?;
    Ok(Ok((job, input_errors, pool)))
}

fn run(args: &BuildArgs, mode: Mode, target: &Target, styles: Styles) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (job, input_errors, pool) = match prepare(args, mode, target, styles)? {
        Ok(prepared) => prepared,
        Err(code) => return Ok(code),
    };
    let verb = match mode {
        Mode::Build | Mode::Watch => "Building",
        Mode::Check => "Checking",
    };
    let progress = ui::Progress::start(job.inputs.len(), verb, ui::progress_wanted(args.quiet));
    let mut report = pool.install(|| {
        bindery::run(&job, mode == Mode::Build, &|input| {
            progress.document_done(input)
        })
    });
    progress.finish();
    // Inputs that could not be used are reported with the rest; the good ones were converted.
    report.errors.splice(0..0, input_errors);
    print_diagnostics(&report, args, styles);
    if !args.quiet {
        match mode {
            Mode::Build | Mode::Watch => {
                for line in ui::success_lines(&report.outputs, "Wrote", styles) {
                    eprintln!("{line}");
                }
                if args.verbose {
                    for line in ui::face_lines(&report.outputs, styles) {
                        eprintln!("{line}");
                    }
                }
            }
            Mode::Check => eprintln!("{}", check_line(&report, started.elapsed(), styles)),
        }
    }
    let code = if report.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    // The process ends here: freeing the loaded faces and caches (about 10 ms after a
    // book) would only delay the exit.
    std::mem::forget(job);
    Ok(code)
}

/// `bindery watch`: the job resolved as for `build`, built, then rebuilt on every change
/// until SIGINT or SIGTERM (exit 0 then; a second signal during a build exits 130 at once,
/// and the next build removes what it left).
fn watch(args: &BuildArgs, target: &Target, styles: Styles) -> anyhow::Result<ExitCode> {
    let (mut job, input_errors, pool) = match prepare(args, Mode::Watch, target, styles)? {
        Ok(prepared) => prepared,
        Err(code) => return Ok(code),
    };
    // One pool and one set of backends (fonts loaded once) for every rebuild; the PDF
    // backend keeps its section layouts, so a rebuild lays out only what changed.
    for backend in &mut job.backends {
        backend.keep_between_builds();
    }
    let given = if args.inputs.is_empty() {
        default_inputs()
    } else {
        args.inputs.clone()
    };
    let mut watch = bindery::watch::Watch::new(given, args.from.is_some())?;
    let stop = watch.stopper();
    let signals = std::sync::atomic::AtomicUsize::new(0);
    ctrlc::set_handler(move || {
        // The first signal ends the watch once a build under way has written its files; a
        // second one does not wait.
        if signals.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 {
            std::process::exit(130);
        }
        stop();
    })
    .context("cannot catch Ctrl-C")?;
    let mut input_errors = Some(input_errors);
    let mut build = |job: &bindery::Job| {
        let mut report = pool.install(|| bindery::run(job, true, &|_| {}));
        if let Some(errors) = input_errors.take() {
            report.errors.splice(0..0, errors);
        }
        report
    };
    let quiet = args.quiet;
    let mut update = |update: bindery::watch::Update<'_>| match update {
        bindery::watch::Update::Built {
            report,
            first,
            changed,
            elapsed,
        } => {
            // In the --message-format asked for, as a build prints them.
            print_diagnostics(report, args, styles);
            if quiet {
                return;
            }
            let verb = if first { "Wrote" } else { "Rebuilt" };
            for line in ui::success_lines(&report.outputs, verb, styles) {
                eprintln!("{line}");
            }
            if !first && !report.success() {
                let cwd = std::env::current_dir().unwrap_or_default();
                let what = changed
                    .first()
                    .map(|c| c.strip_prefix(&cwd).unwrap_or(c).display().to_string())
                    .unwrap_or_default();
                eprintln!(
                    "{} rebuild after a change to {what} failed in {}; the previous outputs are kept",
                    styles.note(),
                    ui::human_time(elapsed)
                );
            }
        }
        bindery::watch::Update::Watching { files, folders } => {
            if !quiet {
                let plural = |n: usize, what: &str| match n {
                    1 => format!("1 {what}"),
                    n => format!("{n} {what}s"),
                };
                eprintln!(
                    "{} watching {} in {}; Ctrl-C stops",
                    styles.note(),
                    plural(files, "file"),
                    plural(folders, "folder")
                );
            }
        }
        bindery::watch::Update::Warning(e) => eprintln!("{} {e}", styles.warning()),
    };
    watch.run(&mut job, &mut build, &mut update)?;
    Ok(ExitCode::SUCCESS)
}

/// `--set title=` and `--title` (or `author`, `lang`, `date`) both given: which one is meant
/// is not clear.
fn set_conflicts(args: &BuildArgs) -> Result<(), String> {
    for (key, _) in &args.set {
        let given = match key.as_str() {
            "title" => args.title.is_some(),
            "author" => !args.authors.is_empty(),
            "lang" => args.lang.is_some(),
            "date" => args.date.is_some(),
            _ => false,
        };
        if given {
            return Err(format!("--set {key}=... and --{key} both given; keep one"));
        }
    }
    Ok(())
}

/// The inputs when none are named: a book project's folder builds itself; elsewhere the
/// content/ folder.
fn default_inputs() -> Vec<std::path::PathBuf> {
    if bindery::book::project_config(std::path::Path::new(".")).is_some() {
        vec![std::path::PathBuf::from(".")]
    } else {
        vec![std::path::PathBuf::from("content")]
    }
}

/// Warnings and errors in the `--message-format` asked for: for people on stderr (repeats
/// summarised, none with `-q`), or every one for machines on stdout, as cargo prints its JSON
/// messages (`-q` does not silence those: they were asked for).
fn print_diagnostics(report: &bindery::Report, args: &BuildArgs, styles: Styles) {
    use bindery::cli::MessageFormat;
    use std::io::Write;
    let mut sources = ui::Sources::new();
    match args.message_format {
        MessageFormat::Human => {
            if !args.quiet {
                for text in ui::warning_lines(&report.warnings, args.verbose, styles, &mut sources)
                {
                    eprintln!("{text}");
                }
            }
            for e in &report.errors {
                eprintln!("{}", ui::render_error(e, styles, &mut sources));
            }
        }
        MessageFormat::Json | MessageFormat::Github => {
            let mut out = std::io::stdout().lock();
            for w in &report.warnings {
                let line = match args.message_format {
                    MessageFormat::Json => ui::json_line(w, &mut sources),
                    _ => ui::github_line(w),
                };
                let _ = writeln!(out, "{line}");
            }
            for e in &report.errors {
                let line = match args.message_format {
                    MessageFormat::Json => ui::json_error(e),
                    _ => ui::github_error(e),
                };
                let _ = writeln!(out, "{line}");
            }
            let _ = out.flush();
        }
    }
}

/// `Checked 3 documents in 0.42 s: 2 warnings, no errors`.
fn check_line(report: &bindery::Report, elapsed: std::time::Duration, styles: Styles) -> String {
    let count = |n: usize, what: &str| match n {
        0 => format!("no {what}s"),
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    let docs = match report.documents {
        1 => "1 document".to_owned(),
        n => format!("{n} documents"),
    };
    format!(
        "{} {docs} in {}: {}, {}",
        styles.done("Checked"),
        ui::human_time(elapsed),
        count(report.warnings.len(), "warning"),
        count(report.errors.len(), "error")
    )
}

/// The metadata the command line sets: `--title` and the like, then `--set KEY=VALUE` (the
/// two never both set one key: [`set_conflicts`]).
fn overrides(args: &BuildArgs) -> parse::MetaOverrides {
    let mut o = parse::MetaOverrides {
        title: args.title.clone(),
        authors: args.authors.clone(),
        lang: args.lang.clone(),
        date: args.date.clone(),
        version: None,
        source_date_epoch: parse::source_date_epoch(),
    };
    for (key, value) in &args.set {
        match key.as_str() {
            "title" => o.title = Some(value.clone()),
            "author" => o.authors.push(value.clone()),
            "lang" => o.lang = Some(value.clone()),
            "date" => o.date = Some(value.clone()),
            "version" => o.version = Some(value.clone()),
            _ => unreachable!("--set takes only the keys parse_set accepts"),
        }
    }
    o
}

/// Turns arguments into a fully resolved job: inputs expanded, backends built with options.
fn resolve(args: &BuildArgs, target: &Target) -> bindery::Result<(Job, Vec<bindery::Error>)> {
    let given = if args.inputs.is_empty() {
        default_inputs()
    } else {
        args.inputs.clone()
    };
    let (inputs, input_errors) = bindery::expand_inputs_as(&given, args.from.is_some());
    let backends = bindery::backends(args)?;
    let (out_dir, out_file) = match target {
        Target::Dir(dir) => (dir.clone(), None),
        Target::File(file, _) => (
            file.parent().map(|p| p.to_owned()).unwrap_or_default(),
            Some(file.clone()),
        ),
    };
    let job = Job {
        inputs,
        book: bindery::book::LoadOptions {
            allow: args.allow_root.clone(),
            renderer: "bindery".into(),
            preprocessors: true,
        },
        out_dir,
        out_file,
        backends,
        overrides: overrides(args),
        deny_warnings: args.deny_warnings,
        out_name: args.out_name.clone(),
    };
    Ok((job, input_errors))
}
