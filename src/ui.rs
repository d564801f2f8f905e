//! What the `bindery` command prints on stderr for people: one cargo-style line per document
//! written, warnings with repeated kinds summarised, colour only on a terminal, and a progress
//! bar (indicatif) on a terminal when a build takes more than a second.
//!
//! Kept apart from the pipeline so that the library's [`crate::Report`] stays data; `main`
//! decides what to print from it.

use crate::{Code, Diagnostic, Output, Severity};
use anstyle::{AnsiColor, Style};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Warnings of one kind beyond this many are summarised ([`SHOWN`] in full, then a count).
pub const SUMMARY_AFTER: usize = 5;
/// Warnings of a summarised kind printed in full.
pub const SHOWN: usize = 3;
/// Places listed in a summary's note.
const PLACES: usize = 3;
/// A message longer than this (in characters) is cut unless `--verbose` (a list of thousands of
/// missing characters made one 450 KB line).
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// How text is styled: plain, or with ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Styles {
    /// Whether to colour.
    pub color: bool,
}

impl Styles {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    pub fn for_stderr() -> Styles {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Styles {
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// `error:` in bold red (or plain).
    pub fn error(&self) -> String {
        self.paint(
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            "error:",
        )
    }

    /// `warning:` in bold yellow (or plain).
    pub fn warning(&self) -> String {
        self.paint(
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            "warning:",
        )
    }

    /// `note:` in bold (or plain).
    pub fn note(&self) -> String {
        self.paint(Style::new().bold(), "note:")
    }

    /// A verb opening a success line (`Wrote`), in bold green (or plain).
    pub fn done(&self, verb: &str) -> String {
        self.paint(
            Style::new().bold().fg_color(Some(AnsiColor::Green.into())),
            verb,
        )
    }
}

/// With `--verbose`: the system fonts each output draws with, one `Fonts` line per face,
/// so that a fallback chosen on this machine is seen (a reader's copy shows the same face).
pub fn face_lines(outputs: &[Output], styles: Styles) -> Vec<String> {
    outputs
        .iter()
        .flat_map(|o| {
            o.faces.iter().map(move |face| {
                format!("{} {}: {face}", styles.done("   Fonts"), o.path.display())
            })
        })
        .collect()
}

/// A size for people: bytes below 1 KB, then KB and MB (of 1024).
pub fn human_size(bytes: usize) -> String {
    const K: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if b < K * K {
        format!("{:.0} KB", (b / K).max(1.0))
    } else {
        format!("{:.1} MB", b / K / K)
    }
}

/// Seconds for people: `0.21 s`, `3.4 s`, `75 s`.
pub fn human_time(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 0.1 {
        format!("{} ms", d.as_millis())
    } else if s < 1.0 {
        format!("{s:.2} s")
    } else if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

/// One line per document, in input order: `Wrote dist/x.pdf (12 pages, 84 KB) and
/// dist/x.epub (31 KB) in 0.21 s`. `verb` is `Wrote`, or `Checked` for `bindery check` (whose
/// outputs are the files a build would write).
pub fn success_lines(outputs: &[Output], verb: &str, styles: Styles) -> Vec<String> {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < outputs.len() {
        let input = &outputs[i].input;
        let n = outputs[i..]
            .iter()
            .take_while(|o| &o.input == input)
            .count();
        let group = &outputs[i..i + n];
        let files: Vec<String> = group
            .iter()
            .map(|o| {
                let size = human_size(o.size);
                let what = match o.pages {
                    Some(1) => format!("1 page, {size}"),
                    Some(p) => format!("{p} pages, {size}"),
                    None => size,
                };
                format!("{} ({what})", o.path.display())
            })
            .collect();
        let list = match files.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => String::new(),
        };
        let elapsed = group.iter().map(|o| o.elapsed).max().unwrap_or_default();
        lines.push(format!(
            "{} {list} in {}",
            styles.done(verb),
            human_time(elapsed)
        ));
        i += n;
    }
    lines
}

/// Source files read back for the snippets of diagnostics: each file at most once, only when
/// a diagnostic about it is shown, and only up to [`MAX_SOURCE_BYTES`] (a larger one, or one
/// that cannot be read, is shown without a snippet).
#[derive(Default)]
pub struct Sources {
    /// Each file's text and the byte offsets its lines start at (thousands of warnings about
    /// one book chapter find their lines without rescanning it).
    files: HashMap<PathBuf, Option<(String, Vec<usize>)>>,
    /// Whether files may be read (off in unit tests of the line layout).
    read: bool,
}

/// Sources larger than this are not read back for snippets.
pub const MAX_SOURCE_BYTES: u64 = 16 << 20;

impl Sources {
    /// Reads files on demand.
    pub fn new() -> Sources {
        Sources {
            files: HashMap::new(),
            read: true,
        }
    }

    /// Reads nothing: every diagnostic is shown without a snippet.
    pub fn none() -> Sources {
        Sources::default()
    }

    /// The text of line `line` (from 1) of `path`, without its line ending.
    fn line(&mut self, path: &Path, line: u32) -> Option<&str> {
        if !self.read || line == 0 {
            return None;
        }
        let entry = self.files.entry(path.to_owned()).or_insert_with(|| {
            // Regular files only, as when they were read: a FIFO put in a source's place
            // since must not block the report.
            let meta = std::fs::metadata(path).ok()?;
            if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
                return None;
            }
            let text = std::fs::read_to_string(path).ok()?;
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            Some((text, starts))
        });
        let (text, starts) = entry.as_ref()?;
        let start = *starts.get(line as usize - 1)?;
        let l = text[start..].split('\n').next().unwrap_or("");
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// Where a diagnostic points: `FILE:LINE:COL`, or `FILE`.
fn place(d: &Diagnostic) -> String {
    if d.line > 0 {
        format!("{}:{}:{}", d.path.display(), d.line, d.col.max(1))
    } else {
        d.path.display().to_string()
    }
}

/// A message cut at [`MAX_MESSAGE_CHARS`] unless `verbose`.
fn cut_message(message: &str, verbose: bool) -> std::borrow::Cow<'_, str> {
    if !verbose {
        if let Some((end, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            let rest = message[end..].chars().count();
            return format!(
                "{}… ({rest} more characters; --verbose shows them all)",
                &message[..end]
            )
            .into();
        }
    }
    message.into()
}

/// The byte range in `line` of `len` characters (at least one, when the line has them) from
/// column `col`.
fn byte_span(line: &str, col: u32, len: u32) -> std::ops::Range<usize> {
    let mut chars = line.char_indices().map(|(i, _)| i).chain([line.len()]);
    let start = chars
        .nth(col.saturating_sub(1) as usize)
        .unwrap_or(line.len());
    let end = line[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain([line.len()])
        .nth(len.max(1) as usize)
        .unwrap_or(line.len());
    start..end
}

/// A diagnostic as rustc shows one (annotate-snippets): `warning[code]: message`, then
/// ` --> FILE:LINE:COL`, the source line and a caret under the span. Without a line (or when
/// the file cannot be read back) it shows the place only. Its message is cut at
/// [`MAX_MESSAGE_CHARS`] unless `verbose`. May span several lines; no final newline.
pub fn render(d: &Diagnostic, verbose: bool, styles: Styles, sources: &mut Sources) -> String {
    use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
    let message = cut_message(&d.message, verbose);
    let level = match d.severity {
        Severity::Warning => Level::WARNING,
        Severity::Error => Level::ERROR,
    };
    let path = d.path.display().to_string();
    let title = level.primary_title(message).id(d.code.as_str());
    let group = match sources.line(&d.path, d.line) {
        Some(text) => title.element(
            Snippet::source(text)
                .line_start(d.line as usize)
                .path(path)
                .annotation(AnnotationKind::Primary.span(byte_span(text, d.col, d.len))),
        ),
        None if d.line > 0 => title.element(
            Origin::path(path)
                .line(d.line as usize)
                .char_column(d.col.max(1) as usize),
        ),
        None => title.element(Origin::path(path)),
    };
    let renderer = if styles.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// An error as people read it: with the source line and a caret when it points at a column
/// of a file (a front-matter value), else one `error: PLACE: message` line.
pub fn render_error(e: &crate::Error, styles: Styles, sources: &mut Sources) -> String {
    use crate::Error;
    // Only errors that know their column, in a line that can be shown: a caret at a guessed
    // column would mislead, and a line that is not UTF-8 cannot be printed (its error names
    // line, column and byte offset instead).
    let code = match e {
        Error::FrontMatter { .. } | Error::Style { .. } => Code::BadValue,
        _ => return format!("{} {e}", styles.error()),
    };
    let (Some(path), line, col) = e.place() else {
        return format!("{} {e}", styles.error());
    };
    // The message without the place the Display form starts with.
    let place = format!("{}:{line}:{col}: ", path.display());
    let text = e.to_string();
    let message = text.strip_prefix(&place).unwrap_or(&text).to_owned();
    let d = Diagnostic {
        severity: Severity::Error,
        path: path.to_owned(),
        line,
        col,
        len: 0,
        code,
        message,
    };
    render(&d, true, styles, sources)
}

/// The text of `warnings` (in their order): each in full, except that a code seen more than
/// [`SUMMARY_AFTER`] times shows its first [`SHOWN`], then a note with the count and the next
/// few places. `verbose` lists every one. Each entry may span several lines.
pub fn warning_lines(
    warnings: &[Diagnostic],
    verbose: bool,
    styles: Styles,
    sources: &mut Sources,
) -> Vec<String> {
    let mut total: HashMap<Code, usize> = HashMap::new();
    for w in warnings {
        *total.entry(w.code).or_default() += 1;
    }
    let mut seen: HashMap<Code, usize> = HashMap::new();
    let mut lines = Vec::new();
    for (i, w) in warnings.iter().enumerate() {
        let count = total[&w.code];
        let n = seen.entry(w.code).or_default();
        *n += 1;
        let summarised = !verbose && count > SUMMARY_AFTER;
        if summarised && *n > SHOWN {
            continue;
        }
        lines.push(render(w, verbose, styles, sources));
        if summarised && *n == SHOWN {
            let rest: Vec<String> = warnings[i + 1..]
                .iter()
                .filter(|w2| w2.code == w.code)
                .map(place)
                .collect();
            let mut note = format!(
                "{} {} more `{}` warnings, at {}",
                styles.note(),
                rest.len(),
                w.code,
                rest[..PLACES.min(rest.len())].join(", ")
            );
            if rest.len() > PLACES {
                let _ = write!(note, " and {} more places", rest.len() - PLACES);
            }
            note.push_str(" (--verbose lists them all)");
            lines.push(note);
        }
    }
    lines
}

/// `--message-format json`: one diagnostic as one line of JSON, as cargo writes its messages.
/// Columns count characters from 1; `end_column` is one past the span's last character (equal
/// to `column` when the diagnostic points at a place). `rendered` is the human form, plain.
pub fn json_line(d: &Diagnostic, sources: &mut Sources) -> String {
    let end = if d.line > 0 { d.col.max(1) + d.len } else { 0 };
    serde_json::json!({
        "severity": d.severity,
        "code": d.code.as_str(),
        "message": d.message,
        "file": d.path.display().to_string(),
        "line": d.line,
        "column": d.col,
        "end_line": d.line,
        "end_column": end,
        "rendered": render(d, true, Styles { color: false }, sources),
    })
    .to_string()
}

/// `--message-format json` for an error that is not a located diagnostic (an input that cannot
/// be read, a backend that failed): its message and file, line and column when it has them.
pub fn json_error(e: &crate::Error) -> String {
    let (file, line, col) = e.place();
    serde_json::json!({
        "severity": "error",
        "code": serde_json::Value::Null,
        "message": e.to_string(),
        "file": file.map(|f| f.display().to_string()),
        "line": line,
        "column": col,
        "end_line": line,
        "end_column": col,
        "rendered": format!("error: {e}"),
    })
    .to_string()
}

/// A value of a GitHub workflow command, escaped as the runner unescapes it: `%`, CR and LF
/// always; `:` and `,` too in properties (`property`).
fn github_escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// `--message-format github`: a diagnostic as a GitHub Actions workflow command
/// (`::warning file=F,line=L,col=C,endLine=L,endColumn=E,title=CODE::message`), so that it is
/// shown on the line of a pull request; `endColumn` is the span's last character. Messages are
/// cut at [`MAX_MESSAGE_CHARS`] (an annotation shows little more).
pub fn github_line(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Warning => "warning",
        Severity::Error => "error",
    };
    let mut props = format!("file={}", github_escape(&d.path.to_string_lossy(), true));
    if d.line > 0 {
        let col = d.col.max(1);
        let _ = write!(props, ",line={},col={col}", d.line);
        if d.len > 0 {
            let _ = write!(props, ",endLine={},endColumn={}", d.line, col + d.len - 1);
        }
    }
    let _ = write!(props, ",title={}", github_escape(d.code.as_str(), true));
    let message = cut_message(&d.message, false);
    format!("::{command} {props}::{}", github_escape(&message, false))
}

/// `--message-format github` for an error that is not a located diagnostic.
pub fn github_error(e: &crate::Error) -> String {
    let (file, line, col) = e.place();
    let mut props = Vec::new();
    if let Some(f) = file {
        props.push(format!(
            "file={}",
            github_escape(&f.to_string_lossy(), true)
        ));
        if line > 0 {
            props.push(format!("line={line},col={}", col.max(1)));
        }
    }
    let message = cut_message(&e.to_string(), false).into_owned();
    let sep = if props.is_empty() { "" } else { " " };
    format!(
        "::error{sep}{}::{}",
        props.join(","),
        github_escape(&message, false)
    )
}

/// Whether a progress bar may be drawn: stderr is a terminal that can redraw a line, the run
/// is not quiet, and no CI system is running it (CI logs keep every redraw).
pub fn progress_wanted(quiet: bool) -> bool {
    use std::io::IsTerminal;
    !quiet
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && !matches!(std::env::var("TERM").as_deref(), Ok("dumb"))
}

/// A bar of documents done, drawn only once a build has run for [`PROGRESS_AFTER`] (a quick
/// build shows none), and erased when the build ends, before the report is printed.
pub struct Progress {
    bar: indicatif::ProgressBar,
    finished: std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
    timer: Option<std::thread::JoinHandle<()>>,
}

/// How long a build runs before its progress bar appears.
pub const PROGRESS_AFTER: Duration = Duration::from_secs(1);

impl Progress {
    /// A bar over `documents`, labelled `verb` (`Building`); never drawn unless `enabled`.
    pub fn start(documents: usize, verb: &str, enabled: bool) -> Progress {
        use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
        let bar =
            ProgressBar::with_draw_target(Some(documents as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{{spinner}} {verb} [{{bar:30}}] {{pos}}/{{len}} documents, {{elapsed}} {{wide_msg}}"
        )) {
            bar.set_style(style.progress_chars("=> "));
        }
        let finished =
            std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let timer = enabled.then(|| {
            let (bar, finished) = (bar.clone(), finished.clone());
            std::thread::spawn(move || {
                let (lock, cvar) = &*finished;
                let Ok(done) = lock.lock() else { return };
                let Ok((done, _)) = cvar.wait_timeout_while(done, PROGRESS_AFTER, |d| !*d) else {
                    return;
                };
                if !*done {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            })
        });
        Progress {
            bar,
            finished,
            timer,
        }
    }

    /// One more document rendered (`path` is shown beside the bar).
    pub fn document_done(&self, path: &std::path::Path) {
        self.bar.set_message(path.display().to_string());
        self.bar.inc(1);
    }

    /// Ends the bar and erases it.
    pub fn finish(mut self) {
        {
            let (lock, cvar) = &*self.finished;
            if let Ok(mut done) = lock.lock() {
                *done = true;
            }
            cvar.notify_all();
        }
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(line: u32, message: &str) -> Diagnostic {
        Diagnostic::warning(Code::DeadLink, "a.md", line, 2, message)
    }

    #[test]
    fn repeats_are_summarised_by_code_unless_verbose() {
        let plain = Styles { color: false };
        let mut ws: Vec<Diagnostic> = (1..=8)
            .map(|l| warn(l, &format!("link to `n{l}.md`: no such file")))
            .collect();
        // Another code, whatever its wording.
        ws.push(Diagnostic::warning(
            Code::MissingImage,
            "a.md",
            20,
            2,
            "link to `n9.md`: no such file",
        ));
        let lines = warning_lines(&ws, false, plain, &mut Sources::none());
        assert_eq!(lines.len(), SHOWN + 2, "{lines:#?}");
        assert_eq!(
            lines[SHOWN],
            "note: 5 more `dead-link` warnings, at a.md:4:2, a.md:5:2, a.md:6:2 and 2 more \
             places (--verbose lists them all)"
        );
        assert!(lines[SHOWN + 1].starts_with("warning[missing-image]"));
        assert_eq!(
            warning_lines(&ws, true, plain, &mut Sources::none()).len(),
            9
        );
        // Up to SUMMARY_AFTER of a code are all shown.
        let few = warning_lines(&ws[..SUMMARY_AFTER], false, plain, &mut Sources::none());
        assert_eq!(few.len(), 5);
    }

    #[test]
    fn without_source_the_place_is_shown() {
        let plain = Styles { color: false };
        let text = render(&warn(3, "gone"), false, plain, &mut Sources::none());
        assert_eq!(text, "warning[dead-link]: gone\n--> a.md:3:2");
    }

    #[test]
    fn spans_are_counted_in_characters() {
        assert_eq!(byte_span("aé [x](#y) z", 4, 7), 4..11);
        // At least one character, never past the line.
        assert_eq!(byte_span("abc", 2, 0), 1..2);
        assert_eq!(byte_span("abc", 9, 3), 3..3);
    }

    #[test]
    fn long_messages_are_cut_unless_verbose() {
        let plain = Styles { color: false };
        let long = "x".repeat(MAX_MESSAGE_CHARS + 10);
        let text = render(&warn(0, &long), false, plain, &mut Sources::none());
        assert!(
            text.contains("… (10 more characters; --verbose shows them all)"),
            "{text}"
        );
        let text = render(&warn(0, &long), true, plain, &mut Sources::none());
        assert!(!text.contains("more characters"));
    }

    #[test]
    fn github_commands_are_escaped() {
        let mut d = warn(3, "50% done\nnext: line").with_len(4);
        d.path = "a,b:c.md".into();
        assert_eq!(
            github_line(&d),
            "::warning file=a%2Cb%3Ac.md,line=3,col=2,endLine=3,endColumn=5,title=dead-link::\
             50%25 done%0Anext: line"
        );
    }

    #[test]
    fn sizes_and_times() {
        assert_eq!(human_size(900), "900 bytes");
        assert_eq!(human_size(84 * 1024 + 10), "84 KB");
        assert_eq!(human_size(3 * 1024 * 1024 / 2), "1.5 MB");
        assert_eq!(human_time(Duration::from_millis(210)), "0.21 s");
        assert_eq!(human_time(Duration::from_micros(4500)), "4 ms");
        assert_eq!(human_time(Duration::from_millis(3400)), "3.4 s");
    }
}
