//! What the `bindery` command prints on stderr for people: one cargo-style line per document
//! written, warnings with repeated kinds summarised, colour only on a terminal, and a progress
//! bar (indicatif) on a terminal when a build takes more than a second.
//!
//! Kept apart from the pipeline so that the library's [`crate::Report`] stays data; `main`
//! decides what to print from it.

use crate::{Diagnostic, Output, Severity};
use anstyle::{AnsiColor, Style};
use std::collections::HashMap;
use std::fmt::Write as _;
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

/// The kind of a warning, for grouping repeats: its message with what varies from one
/// occurrence to the next (quoted names, numbers) taken out.
pub fn warning_kind(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                // A quoted span is one placeholder, whatever it holds.
                kind.push(c);
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                kind.push('…');
                kind.push(c);
            }
            c if c.is_ascii_digit() => {
                while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    chars.next();
                }
                kind.push('#');
            }
            c => kind.push(c),
        }
    }
    kind
}

/// Where a diagnostic points: `FILE:LINE:COL`, or `FILE`.
fn place(d: &Diagnostic) -> String {
    if d.line > 0 {
        format!("{}:{}:{}", d.path.display(), d.line, d.col.max(1))
    } else {
        d.path.display().to_string()
    }
}

/// A diagnostic as a line, its message cut at [`MAX_MESSAGE_CHARS`] unless `verbose`.
pub fn diagnostic_line(d: &Diagnostic, verbose: bool, styles: Styles) -> String {
    let prefix = match d.severity {
        Severity::Warning => styles.warning(),
        Severity::Error => styles.error(),
    };
    let mut message = d.message.as_str();
    let mut cut = String::new();
    if !verbose {
        if let Some((end, _)) = d.message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message = &d.message[..end];
            let rest = d.message[end..].chars().count();
            cut = format!("… ({rest} more characters; --verbose shows them all)");
        }
    }
    format!("{prefix} {}: {message}{cut}", place(d))
}

/// The lines for `warnings` (in their order): each in full, except that a kind seen more than
/// [`SUMMARY_AFTER`] times shows its first [`SHOWN`], then a note with the count and the next
/// few places. `verbose` lists every one.
pub fn warning_lines(warnings: &[Diagnostic], verbose: bool, styles: Styles) -> Vec<String> {
    let kinds: Vec<String> = warnings.iter().map(|w| warning_kind(&w.message)).collect();
    let mut total: HashMap<&str, usize> = HashMap::new();
    for k in &kinds {
        *total.entry(k.as_str()).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut lines = Vec::new();
    for (i, (w, k)) in warnings.iter().zip(&kinds).enumerate() {
        let count = total[k.as_str()];
        let n = seen.entry(k.as_str()).or_default();
        *n += 1;
        let summarised = !verbose && count > SUMMARY_AFTER;
        if summarised && *n > SHOWN {
            continue;
        }
        lines.push(diagnostic_line(w, verbose, styles));
        if summarised && *n == SHOWN {
            let rest: Vec<String> = warnings[i + 1..]
                .iter()
                .zip(&kinds[i + 1..])
                .filter(|(_, k2)| *k2 == k)
                .map(|(w, _)| place(w))
                .collect();
            let mut note = format!(
                "{} {} more warnings like this one, at {}",
                styles.note(),
                rest.len(),
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
        Diagnostic::warning("a.md", line, 2, message)
    }

    #[test]
    fn kinds_ignore_names_and_numbers() {
        assert_eq!(
            warning_kind("link to `x.md#a`: no such heading"),
            warning_kind("link to `other.md`: no such heading")
        );
        assert_eq!(
            warning_kind("33 links kept as text"),
            warning_kind("2 links kept as text")
        );
        assert_ne!(
            warning_kind("image `x`: not found"),
            warning_kind("image `x`: not a PNG")
        );
    }

    #[test]
    fn repeats_are_summarised_unless_verbose() {
        let plain = Styles { color: false };
        let mut ws: Vec<Diagnostic> = (1..=8)
            .map(|l| warn(l, &format!("link to `n{l}.md`: no such file")))
            .collect();
        ws.push(warn(20, "something else"));
        let lines = warning_lines(&ws, false, plain);
        assert_eq!(lines.len(), SHOWN + 2, "{lines:#?}");
        assert_eq!(
            lines[SHOWN],
            "note: 5 more warnings like this one, at a.md:4:2, a.md:5:2, a.md:6:2 and 2 more \
             places (--verbose lists them all)"
        );
        assert!(lines[SHOWN + 1].ends_with("something else"));
        assert_eq!(warning_lines(&ws, true, plain).len(), 9);
        // Up to SUMMARY_AFTER of a kind are all shown.
        assert_eq!(warning_lines(&ws[..SUMMARY_AFTER], false, plain).len(), 5);
    }

    #[test]
    fn long_messages_are_cut_unless_verbose() {
        let plain = Styles { color: false };
        let long = "x".repeat(MAX_MESSAGE_CHARS + 10);
        let line = diagnostic_line(&warn(1, &long), false, plain);
        assert!(line.ends_with("… (10 more characters; --verbose shows them all)"));
        assert!(diagnostic_line(&warn(1, &long), true, plain).ends_with("xxx"));
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
