//! `mdbook-bindery`: bindery as an mdBook renderer. With `[output.bindery]` in book.toml,
//! `mdbook build` runs this command with mdBook's `RenderContext` JSON on standard input; it
//! writes `<name>.pdf` and `<name>.epub` into mdBook's output folder (`book/bindery/`), from
//! the book as mdBook's preprocessors left it.

use bindery::{convert, Input, Job};
use std::io::Read;
use std::process::ExitCode;

#[path = "../alloc.rs"]
mod alloc;

fn main() -> ExitCode {
    if std::env::args()
        .nth(1)
        .is_some_and(|a| a == "--version" || a == "-V")
    {
        println!("mdbook-bindery {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    // One build, then the process ends.
    alloc::keep_freed_memory();
    bindery::ends_after_run();
    let mut json = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut json) {
        eprintln!("error: mdbook-bindery: cannot read mdBook's render context: {e}");
        return ExitCode::from(1);
    }
    let ctx = match bindery::book::mdbook::render_context(&json) {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("note: mdbook-bindery is run by `mdbook build` for [output.bindery]; to build a book yourself, run `bindery build BOOK_FOLDER`");
            return ExitCode::from(1);
        }
    };
    // The book's own `[output.bindery]` table carries every option; nothing comes from argv.
    let args = bindery::cli::BuildArgs::defaults();
    let backends = match bindery::backends(&args) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let job = Job {
        inputs: vec![Input::Document(Box::new(ctx.book.doc), ctx.book.name)],
        book: Default::default(),
        out_dir: ctx.destination,
        out_file: None,
        backends,
        overrides: Default::default(),
        deny_warnings: false,
        out_name: None,
    };
    let report = convert(&job);
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    for o in &report.outputs {
        eprintln!(
            "mdbook-bindery: wrote {} ({} bytes)",
            o.path.display(),
            o.size
        );
    }
    if report.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
