//! External mdBook preprocessors, run with mdBook's protocol: `COMMAND supports RENDERER` (exit
//! status 0 means yes), then `COMMAND` with the JSON array `[context, book]` on standard input,
//! answering with the book on standard output.
//!
//! A preprocessor is an optional extra here: one that cannot be started, fails, times out or
//! answers with something that is not a book is a warning naming it, and the build goes on
//! with the chapters as they were (a book's own `cargo run` preprocessors are often missing
//! from a copy of the book).

use super::{Config, Source};
use crate::error::Diagnostic;
use serde_json::{json, Map, Value};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The mdBook version bindery speaks for (sent to preprocessors, which may warn on others).
pub const MDBOOK_VERSION: &str = "0.5.4";

/// How long a preprocessor may run (`BINDERY_PREPROCESSOR_TIMEOUT` seconds, default 120).
fn timeout() -> Duration {
    let secs = std::env::var("BINDERY_PREPROCESSOR_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| *s > 0.0 && s.is_finite())
        .unwrap_or(120.0);
    Duration::from_secs_f64(secs)
}

/// What a preprocessor answered to `supports RENDERER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// It will process the book.
    Yes,
    /// It is not for this renderer (by `renderers` in book.toml, or its own answer).
    No,
    /// It could not be asked (missing command, crash): why.
    Failed(String),
}

/// Asks every preprocessor of `config` whether it supports `renderer`, all at once (each is a
/// process start; a `cargo run` one may take a while), in book.toml's order.
pub fn check_support(config: &Config, book_dir: &Path, renderer: &str) -> Vec<Support> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = config
            .preprocessors
            .iter()
            .map(|p| {
                scope.spawn(move || {
                    if let Some(list) = &p.renderers {
                        if !list.iter().any(|r| r == renderer) {
                            return Support::No;
                        }
                    }
                    supports(&p.command, book_dir, renderer)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Support::Failed("its check crashed".into()))
            })
            .collect()
    })
}

fn supports(command: &str, book_dir: &Path, renderer: &str) -> Support {
    match run(
        &format!("{command} supports {}", shell_quote(renderer)),
        book_dir,
        None,
    ) {
        Err(message) => Support::Failed(message),
        Ok((true, ..)) => Support::Yes,
        // By the protocol a preprocessor says "not for this renderer" with a plain failure
        // (status 1, as mdBook's own helpers exit); anything else means it could not run.
        Ok((false, Some(1), _, stderr)) if stderr.trim().is_empty() => Support::No,
        Ok((false, code, _, stderr)) => {
            Support::Failed(format!("it cannot be run ({})", last_line(&stderr, code)))
        }
    }
}

/// The warnings for the preprocessors that could not be asked.
pub fn failures(config: &Config, support: &[Support]) -> Vec<Diagnostic> {
    config
        .preprocessors
        .iter()
        .zip(support)
        .filter_map(|(p, s)| match s {
            Support::Failed(message) => Some(warning(config, p, message)),
            _ => None,
        })
        .collect()
}

fn warning(config: &Config, p: &super::config::Preprocessor, message: &str) -> Diagnostic {
    Diagnostic::warning(
        crate::error::Code::Preprocessor,
        &config.path,
        p.line,
        1,
        format!(
            "preprocessor `{}`: {message}; the book is built without it",
            p.name
        ),
    )
}

/// Runs every preprocessor of `config` that supports the renderer (`support`, from
/// [`check_support`]), in the order book.toml lists them, over `sources`.
pub fn run_all(
    config: &Config,
    book_dir: &Path,
    renderer: &str,
    support: &[Support],
    sources: &mut [Source],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (p, support) in config.preprocessors.iter().zip(support) {
        let warn = |message: String| warning(config, p, &message);
        match support {
            Support::Yes => {}
            Support::No => continue,
            Support::Failed(message) => {
                diagnostics.push(warn(message.clone()));
                continue;
            }
        }
        match run_one(&p.command, config, book_dir, renderer, sources) {
            Ok(contents) => {
                for (s, text) in sources.iter_mut().zip(contents) {
                    if let Some(text) = text {
                        if text != s.text {
                            s.text = text;
                            // Lines no longer match the file.
                            s.lines.clear();
                        }
                    }
                }
            }
            Err(message) => diagnostics.push(warn(message)),
        }
    }
}

/// Runs one preprocessor: the new content of each source, by position.
fn run_one(
    command: &str,
    config: &Config,
    book_dir: &Path,
    renderer: &str,
    sources: &[Source],
) -> Result<Vec<Option<String>>, String> {
    let context = json!({
        "root": super::canonical(book_dir),
        "config": config_json(config),
        "renderer": renderer,
        "mdbook_version": MDBOOK_VERSION,
    });
    let items = book_items(sources);
    // `items` for mdBook 0.5's preprocessors, `sections` for those built on 0.4.
    let book = json!({ "items": items, "sections": items, "__non_exhaustive": null });
    let input = serde_json::to_vec(&json!([context, book])).map_err(|e| e.to_string())?;
    let (ok, code, stdout, stderr) = run(command, book_dir, Some(&input))?;
    if !ok {
        return Err(format!("it failed ({})", last_line(&stderr, code)));
    }
    let value: Value =
        serde_json::from_slice(&stdout).map_err(|e| format!("its answer is not a book ({e})"))?;
    let items = value
        .get("items")
        .or_else(|| value.get("sections"))
        .and_then(Value::as_array)
        .ok_or("its answer has no chapters")?;
    let mut by_path = std::collections::BTreeMap::new();
    collect(items, &mut by_path);
    Ok(sources
        .iter()
        .map(|s| s.rel.as_ref().and_then(|r| by_path.remove(r)))
        .collect())
}

/// book.toml as JSON, as mdBook passes its configuration.
fn config_json(config: &Config) -> Value {
    serde_json::to_value(&config.raw).unwrap_or(Value::Null)
}

/// The sources as mdBook's nested `BookItem`s.
fn book_items(sources: &[Source]) -> Vec<Value> {
    let mut root: Vec<Value> = Vec::new();
    // Stack of open chapters by depth: the path to the list new items go into.
    let mut open: Vec<usize> = Vec::new();
    for s in sources {
        let Some(rel) = &s.rel else {
            open.clear();
            root.push(json!({ "PartTitle": s.title }));
            continue;
        };
        let chapter = json!({ "Chapter": {
            "name": s.title,
            "content": s.text,
            "number": s.number,
            "sub_items": [],
            "path": rel,
            "source_path": rel,
            "parent_names": s.parents,
        }});
        let depth = usize::from(s.depth.max(1));
        open.truncate(depth - 1);
        let mut list = &mut root;
        for &i in &open {
            list = list[i]["Chapter"]["sub_items"]
                .as_array_mut()
                .expect("sub_items is an array");
        }
        list.push(chapter);
        let index = list.len() - 1;
        if open.len() == depth - 1 {
            open.push(index);
        }
    }
    root
}

fn collect(items: &[Value], out: &mut std::collections::BTreeMap<String, String>) {
    for item in items {
        let Some(ch) = item.get("Chapter").and_then(Value::as_object) else {
            continue;
        };
        let path = field(ch, "source_path").or_else(|| field(ch, "path"));
        if let (Some(path), Some(content)) = (path, field(ch, "content")) {
            out.insert(super::normalize(Path::new(&path)), content);
        }
        if let Some(sub) = ch.get("sub_items").and_then(Value::as_array) {
            collect(sub, out);
        }
    }
}

fn field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The last thing a failed command said, or its exit status.
fn last_line(stderr: &str, code: Option<i32>) -> String {
    match stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => line.trim().chars().take(300).collect(),
        None => match code {
            Some(c) => format!("exit status {c}"),
            None => "killed by a signal".into(),
        },
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// What a command did: success, exit code, stdout, stderr.
type Ran = (bool, Option<i32>, Vec<u8>, String);

/// Runs `command` through the shell in `dir`, feeding `input`. Stopped, with everything it
/// started, after [`timeout`].
fn run(command: &str, dir: &Path, input: Option<&[u8]>) -> Result<Ran, String> {
    let mut cmd = Command::new("sh");
    #[cfg(unix)]
    {
        // Its own process group, so a timeout stops the command's children too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{command}` ({e})"))?;
    // Pipes are drained on their own threads so a chatty child never blocks on a full pipe.
    let writer = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        })
    });
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.by_ref().take(1 << 20).read_to_end(&mut v);
        // Keep draining so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut err, &mut std::io::sink());
        v
    });
    let deadline = Instant::now() + timeout();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                #[cfg(unix)]
                let _ = Command::new("kill")
                    .args(["-KILL", "--"])
                    .arg(format!("-{}", child.id()))
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "still running after {} s, stopped",
                    timeout().as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e.to_string()),
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let stdout = reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Ok((status.success(), status.code(), stdout, stderr))
}
