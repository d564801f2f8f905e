//! External backends: `--format NAME` for a name bindery does not know runs the program
//! `bindery-NAME` from PATH with the document model on its standard input (the JSON of
//! `--format json`, [`super::json::to_json`]) and takes its standard output as the file
//! `OUT/<stem>.NAME`, written atomically with the other outputs like a built-in backend's.
//!
//! The program is bounded like any untrusted helper: it is stopped (with every process it
//! started) after `BINDERY_BACKEND_TIMEOUT` seconds (default 120), or as soon as its output
//! passes `BINDERY_BACKEND_MAX_OUTPUT` bytes (default 512 MiB). Its three pipes are served on
//! their own threads, so neither side ever waits on a full pipe. A non-zero exit, a timeout, an
//! overflow or an empty output is an error naming the program and quoting what it said on
//! stderr; nothing is written for that input. On success, each line it wrote on stderr is a
//! warning (so `--deny-warnings` applies to it as to a built-in backend).

use super::{Backend, Format, Rendered};
use crate::doc::Document;
use crate::error::{Diagnostic, Error, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Longest backend name accepted (a file name component, with room for `bindery-`).
const MAX_NAME: usize = 64;
/// How much of the program's stderr is kept (the rest is read and dropped).
const MAX_STDERR: u64 = 64 * 1024;
/// Warnings kept from a successful program's stderr; the rest are counted.
const MAX_WARNINGS: usize = 20;

/// Whether `name` may name an external backend: 1 to 64 of `a-z`, `0-9` and `-`, not starting
/// with `-` (so it never reads as an option, nor as a path once prefixed).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The program `bindery-NAME`: the first executable file of that name in the folders of PATH.
pub fn find(name: &str) -> Option<PathBuf> {
    if !valid_name(name) {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    let file = format!("bindery-{name}");
    std::env::split_paths(&path)
        // An empty entry means the current folder to a shell; a backend is never taken from
        // wherever bindery happens to run.
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(&file))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// How long the program may run: `BINDERY_BACKEND_TIMEOUT` seconds, default 120.
fn timeout() -> Duration {
    std::env::var("BINDERY_BACKEND_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
        .map_or(Duration::from_secs(120), Duration::from_secs_f64)
}

/// The most the program may write: `BINDERY_BACKEND_MAX_OUTPUT` bytes, default 512 MiB.
fn max_output() -> u64 {
    std::env::var("BINDERY_BACKEND_MAX_OUTPUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(512 << 20)
}

/// Runs `bindery-NAME` on the model.
#[derive(Debug, Clone)]
pub struct ExternalBackend {
    name: &'static str,
}

impl ExternalBackend {
    /// The backend for `--format NAME` (the program is looked up on PATH when it runs).
    pub fn new(name: &'static str) -> Self {
        ExternalBackend { name }
    }
}

impl Backend for ExternalBackend {
    fn format(&self) -> Format {
        Format::External(self.name)
    }

    fn render(&self, doc: &Document) -> Result<Rendered> {
        let input = doc.files.first().cloned().unwrap_or_default();
        let program = format!("bindery-{}", self.name);
        let fail = |message: String| Error::Render {
            path: input.clone(),
            format: self.name,
            message,
        };
        let Some(path) = find(self.name) else {
            return Err(fail(format!("no program `{program}` on PATH")));
        };
        let model = super::json::to_json(doc)?;
        let ran = run(&path, model).map_err(|why| fail(format!("`{program}` {why}")))?;
        let said = quote(&ran.stderr);
        if !ran.success {
            let status = match ran.code {
                Some(code) => format!("exit status {code}"),
                None => "killed by a signal".to_string(),
            };
            return Err(fail(if said.is_empty() {
                format!("`{program}` failed ({status})")
            } else {
                format!("`{program}` failed ({status}): {said}")
            }));
        }
        if ran.stdout.is_empty() {
            return Err(fail(format!(
                "`{program}` wrote nothing on its standard output{}",
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                }
            )));
        }
        let lines: Vec<&str> = ran
            .stderr
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        let mut diagnostics: Vec<Diagnostic> = lines
            .iter()
            .take(MAX_WARNINGS)
            .map(|line| {
                Diagnostic::warning(
                    crate::error::Code::Backend,
                    &input,
                    0,
                    0,
                    format!("{program}: {}", clip(line)),
                )
            })
            .collect();
        if lines.len() > MAX_WARNINGS {
            diagnostics.push(Diagnostic::warning(
                crate::error::Code::Backend,
                &input,
                0,
                0,
                format!(
                    "{program}: {} more lines on stderr",
                    lines.len() - MAX_WARNINGS
                ),
            ));
        }
        Ok(Rendered {
            bytes: ran.stdout,
            diagnostics,
            pages: None,
            faces: Vec::new(),
            page_starts: Vec::new(),
        })
    }
}

/// A line of the program's stderr as a message: at most 300 characters, control characters
/// shown as `?` (a terminal must not be driven by what a plugin prints).
fn clip(line: &str) -> String {
    let mut out: String = line
        .chars()
        .take(300)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if line.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// What a failed program said, for its error: the last lines of its stderr (at most 1,000
/// characters), on one line.
fn quote(stderr: &str) -> String {
    let lines: Vec<String> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| clip(l.trim()))
        .collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut size = 0;
    for line in lines.iter().rev() {
        if size + line.len() > 1000 && !kept.is_empty() {
            break;
        }
        size += line.len() + 3;
        kept.push(line);
    }
    kept.reverse();
    kept.join(" | ")
}

/// What the program did.
struct Ran {
    success: bool,
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs `program` with `input` on its standard input, within [`timeout`] and [`max_output`].
/// `Err` says (after the program's name) why it was stopped or could not start.
fn run(program: &Path, input: Vec<u8>) -> std::result::Result<Ran, String> {
    let mut cmd = Command::new(program);
    #[cfg(unix)]
    {
        // Its own process group, so stopping it stops what it started too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot be run ({e})"))?;
    let started = Instant::now();
    let limit = timeout();
    let cap = max_output();

    // The model goes in on its own thread: a program that writes before it has read all of
    // its input must not wait on bindery while bindery waits on it. A program that stops
    // reading early only makes this write fail, which is its own business.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let overflow = Arc::new(AtomicBool::new(false));
    let mut out = child.stdout.take().expect("stdout is piped");
    let reader = {
        let overflow = Arc::clone(&overflow);
        let done = done_tx.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            // One byte past the cap tells an overflow from an output of exactly the cap.
            let _ = out
                .by_ref()
                .take(cap.saturating_add(1))
                .read_to_end(&mut bytes);
            if bytes.len() as u64 > cap {
                overflow.store(true, Ordering::SeqCst);
            }
            let _ = done.send(());
            bytes
        })
    };
    let mut err = child.stderr.take().expect("stderr is piped");
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err.by_ref().take(MAX_STDERR).read_to_end(&mut bytes);
        // Drained to the end so the program never blocks on a full stderr.
        let _ = std::io::copy(&mut err, &mut std::io::sink());
        let _ = done_tx.send(());
        bytes
    });

    let why = loop {
        if overflow.load(Ordering::SeqCst) {
            break format!("wrote more than {cap} bytes (BINDERY_BACKEND_MAX_OUTPUT); stopped");
        }
        match child.try_wait() {
            Ok(Some(status)) => {
                return collect(
                    status, started, limit, cap, &child, done_rx, writer, reader, err_reader,
                )
            }
            Ok(None) if started.elapsed() >= limit => {
                break format!(
                    "still running after {} s (BINDERY_BACKEND_TIMEOUT); stopped",
                    limit.as_secs_f64()
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => break format!("could not be waited for ({e})"),
        }
    };
    stop(&mut child);
    // Its pipes are closed now, so the helper threads end.
    let _ = writer.join();
    let _ = reader.join();
    let _ = err_reader.join();
    Err(why)
}

/// After the program exited: its output, once its pipes are closed.
#[allow(clippy::too_many_arguments)]
fn collect(
    status: std::process::ExitStatus,
    started: Instant,
    limit: Duration,
    cap: u64,
    child: &Child,
    done_rx: mpsc::Receiver<()>,
    writer: std::thread::JoinHandle<()>,
    reader: std::thread::JoinHandle<Vec<u8>>,
    err_reader: std::thread::JoinHandle<Vec<u8>>,
) -> std::result::Result<Ran, String> {
    // The program has exited, but something it started may still hold its pipes open: that is
    // waited for only until the deadline, then stopped with the rest of its group.
    for _ in 0..2 {
        let left = limit.saturating_sub(started.elapsed());
        if done_rx.recv_timeout(left).is_err() {
            kill_group(child);
            break;
        }
    }
    let _ = writer.join();
    let stdout = reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if stdout.len() as u64 > cap {
        return Err(format!(
            "wrote more than {cap} bytes (BINDERY_BACKEND_MAX_OUTPUT)"
        ));
    }
    Ok(Ran {
        success: status.success(),
        code: status.code(),
        stdout,
        stderr,
    })
}

/// Stops the program and everything in its process group, and reaps it.
fn stop(child: &mut Child) {
    kill_group(child);
    let _ = child.kill();
    let _ = child.wait();
}

/// Kills the program's process group (it leads its own: `process_group(0)`).
fn kill_group(child: &Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--"])
            .arg(format!("-{}", child.id()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    let _ = child;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("pandoc"));
        assert!(valid_name("my-format2"));
        assert!(!valid_name(""));
        assert!(!valid_name("-x"));
        assert!(!valid_name("PDF"));
        assert!(!valid_name("a/b"));
        assert!(!valid_name("a.b"));
        assert!(!valid_name(&"a".repeat(65)));
    }

    #[test]
    fn quoted_stderr_keeps_the_last_lines() {
        assert_eq!(quote("one\n\ntwo\n"), "one | two");
        let long = "x".repeat(400);
        let text = format!("{long}\n{long}\n{long}\n{long}\nlast");
        let q = quote(&text);
        assert!(q.ends_with("last"));
        assert!(q.len() < 1400);
        assert_eq!(clip("a\u{1b}[31mb"), "a?[31mb");
    }
}
