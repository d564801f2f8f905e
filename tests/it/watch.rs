//! `bindery watch` through the real binary: the first build, a rebuild per change (a source, an
//! included file, an image, a new chapter), the last good output kept when an edit breaks the
//! build, no rebuild loop from its own outputs, and a clean stop on SIGINT and SIGTERM. Every
//! wait is bounded; nothing asserts how fast anything is.

use crate::util::{bin, command, listing, tempdir, write};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long any one expected line may take (a debug build of a small document is far faster).
const WAIT: Duration = Duration::from_secs(30);

/// A running `bindery watch`, its standard error read line by line on a thread.
struct Watching {
    child: Child,
    lines: Receiver<String>,
    /// Every line read so far, for failure messages.
    seen: Vec<String>,
}

impl Watching {
    fn start(dir: &Path, args: &[&str]) -> Watching {
        let mut all = vec!["watch"];
        all.extend_from_slice(args);
        let mut child = command(&bin(), dir, &all)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .env("NO_COLOR", "1")
            .spawn()
            .expect("start bindery watch");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next line that satisfies `want`, waiting at most [`WAIT`].
    #[track_caller]
    fn wait_for(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "no {what} within {WAIT:?}; stderr so far:\n{}",
                        self.seen.join("\n")
                    )
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "bindery watch ended before {what}; stderr:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Waits until the watch is set up after a build (its `watching ...` note).
    #[track_caller]
    fn ready(&mut self) {
        self.wait_for("the watching note", |l| l.contains("watching "));
    }

    /// The lines that arrive within `period` (a quiet time: the count is what matters).
    fn lines_during(&mut self, period: Duration) -> Vec<String> {
        let deadline = Instant::now() + period;
        let mut got = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    got.push(line);
                }
                Err(_) => break,
            }
        }
        got
    }

    /// Waits (at most 20 s) until no line has come for a second: an editor's save can reach
    /// the watcher as more than one batch on a loaded machine, and each may rebuild.
    fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline && !self.lines_during(Duration::from_secs(1)).is_empty() {}
    }

    /// Sends `signal` (`INT`, `TERM`) and waits (bounded) for the exit status.
    #[track_caller]
    fn stop_with(&mut self, signal: &str) -> Option<i32> {
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{signal} failed");
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for bindery") {
                // What it printed last, for the messages of the caller's assertions.
                self.seen.extend(self.lines.try_iter());
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "bindery watch did not stop within {WAIT:?} of SIGTERM/SIGINT; stderr:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        // A failed test must not leave the watch running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The output's text (`-f json`: the model as plain JSON).
fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Rewrites `path` as editors do: a new file renamed over the old one.
fn save(path: &Path, contents: impl AsRef<[u8]>) {
    let tmp = path.with_extension("saving");
    std::fs::write(&tmp, contents).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

/// A `w`×`h` grey PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Grayscale);
        let mut writer = enc.write_header().unwrap();
        writer
            .write_image_data(&vec![128u8; (w * h) as usize])
            .unwrap();
    }
    bytes
}

fn is_rebuild(line: &str) -> bool {
    line.starts_with("Rebuilt ")
}

#[test]
fn watch_rebuilds_on_edits_keeps_the_last_good_output_and_stops_on_sigint() {
    let dir = tempdir();
    let notes = dir.path().join("notes");
    let a = write(&notes, "a.md", "# Alpha\n\nfirst words\n");
    // The output folder sits inside the watched folder: its writes must not start rebuilds.
    let mut w = Watching::start(dir.path(), &["notes", "-f", "json", "-o", "notes/dist"]);
    let wrote = w.wait_for("the first Wrote line", |l| l.starts_with("Wrote "));
    assert!(wrote.contains("a.json"), "{wrote}");
    w.ready();
    let out = notes.join("dist/a.json");
    assert!(text(&out).contains("first words"));

    save(&a, "# Alpha\n\nsecond words\n");
    let line = w.wait_for("a rebuild after the edit", is_rebuild);
    assert!(line.contains("a.json"), "{line}");
    assert!(text(&out).contains("second words"), "{}", text(&out));

    // A broken source: the error is printed and the previous output stays as it was.
    let before = std::fs::read(&out).unwrap();
    save(&a, b"# Alpha\n\nbroken \xff\xfe bytes\n");
    let error = w.wait_for("the error of the broken source", |l| {
        l.starts_with("error:")
    });
    assert!(error.contains("a.md") && error.contains("UTF-8"), "{error}");
    w.wait_for("the note that the outputs are kept", |l| {
        l.contains("previous outputs are kept")
    });
    assert_eq!(
        std::fs::read(&out).unwrap(),
        before,
        "a failed rebuild wrote"
    );

    // Mended: rebuilt.
    save(&a, "# Alpha\n\nthird words\n");
    w.wait_for("a rebuild after the fix", is_rebuild);
    assert!(text(&out).contains("third words"));

    // A new chapter in the folder becomes a new document.
    write(&notes, "b.md", "# Beta\n\nnew document\n");
    let line = w.wait_for("the new document's build", |l| l.contains("b.json"));
    assert!(is_rebuild(&line), "{line}");
    assert!(text(&notes.join("dist/b.json")).contains("new document"));

    // Nothing changes now: the outputs written into notes/dist start no rebuild.
    let later = w.lines_during(Duration::from_secs(2));
    assert!(
        !later.iter().any(|l| is_rebuild(l)),
        "rebuilt with no change (a loop on its own outputs?):\n{}",
        later.join("\n")
    );

    let code = w.stop_with("INT");
    assert_eq!(code, Some(0), "stderr:\n{}", w.seen.join("\n"));
    assert_eq!(
        listing(&notes.join("dist")),
        ["a.json", "b.json"],
        "side files left behind"
    );
}

#[test]
fn watch_rebuilds_a_book_when_an_included_file_or_an_image_changes_and_stops_on_sigterm() {
    let dir = tempdir();
    let book = dir.path();
    write(book, "book.toml", "[book]\ntitle = \"Watched\"\n");
    write(
        book,
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n",
    );
    write(
        book,
        "src/one.md",
        "# One\n\n```text\n{{#include ../listings/code.txt}}\n```\n\n![A picture](pic.png)\n",
    );
    write(book, "src/two.md", "# Two\n\nunchanged\n");
    let code_txt = write(book, "listings/code.txt", "included first\n");
    let pic = write(book, "src/pic.png", png(2, 2));
    let mut w = Watching::start(book, &["-f", "json", "-o", "dist"]);
    w.wait_for("the first Wrote line", |l| l.starts_with("Wrote "));
    w.ready();
    let out = book.join("dist").join(format!(
        "{}.json",
        std::fs::canonicalize(book)
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
    ));
    assert!(text(&out).contains("included first"));

    save(&code_txt, "included second\n");
    w.wait_for("a rebuild after the included file changed", is_rebuild);
    assert!(text(&out).contains("included second"), "{}", text(&out));

    // An image is read to build the book: replacing it rebuilds.
    save(&pic, png(3, 3));
    w.wait_for("a rebuild after the image changed", is_rebuild);

    // A file no document reads changes nothing.
    w.settle();
    write(book, "notes.txt", "not part of the book\n");
    let later = w.lines_during(Duration::from_secs(2));
    assert!(
        !later.iter().any(|l| is_rebuild(l)),
        "rebuilt for a file the book does not read:\n{}",
        later.join("\n")
    );

    let code = w.stop_with("TERM");
    assert_eq!(code, Some(0), "stderr:\n{}", w.seen.join("\n"));
    let left: Vec<String> = listing(&book.join("dist"))
        .into_iter()
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".bak"))
        .collect();
    assert!(left.is_empty(), "side files left: {left:?}");
}

#[test]
fn watch_refuses_standard_input_as_a_usage_error() {
    let dir = tempdir();
    let run = crate::util::bindery(dir.path(), &["watch", "-"]);
    run.assert_code(2);
    assert!(run.stderr.contains("cannot be watched"), "{run}");
}

/// `bindery build` with `--out-name`, in `dir`: the run and the files of `dir/dist`.
fn build_named(dir: &Path, args: &[&str]) -> (crate::util::Run, Vec<String>) {
    let mut all = vec!["build", "-f", "json", "-o", "dist"];
    all.extend_from_slice(args);
    let run = crate::util::bindery(dir, &all);
    (run, listing(&dir.join("dist")))
}

#[test]
fn out_name_uses_the_version_of_the_front_matter_or_of_set() {
    let dir = tempdir();
    write(
        dir.path(),
        "guide.md",
        "---\ntitle: \"The User's Guide!\"\nversion: 1.2.0\ndate: 2026-03-01\n---\n\ntext\n",
    );
    let (run, files) = build_named(dir.path(), &["guide.md", "--out-name", "{stem}-{version}"]);
    run.assert_code(0);
    assert_eq!(files, ["guide-1.2.0.json"], "{run}");
    assert!(run.stderr.contains("dist/guide-1.2.0.json"), "{run}");

    std::fs::remove_dir_all(dir.path().join("dist")).unwrap();
    let (run, files) = build_named(
        dir.path(),
        &[
            "guide.md",
            "--set",
            "version=2.0",
            "--out-name",
            "{title}_{version}_{date}",
        ],
    );
    run.assert_code(0);
    assert_eq!(files, ["the-user-s-guide_2.0_2026-03-01.json"], "{run}");
}

#[test]
fn out_name_takes_a_books_version_from_its_configuration() {
    let dir = tempdir();
    write(
        dir.path(),
        "manual/bindery.toml",
        "title = \"Manual\"\nversion = \"3.1\"\nfiles = [\"a.md\"]\n",
    );
    write(dir.path(), "manual/a.md", "# A\n\ntext\n");
    let (run, files) = build_named(dir.path(), &["manual", "--out-name", "{stem}-v{version}"]);
    run.assert_code(0);
    assert_eq!(files, ["manual-v3.1.json"], "{run}");
}

#[test]
fn out_name_errors() {
    let dir = tempdir();
    write(dir.path(), "a.md", "# A\n\ntext\n");
    write(dir.path(), "b.md", "---\nversion: \"1\"\n---\n\ntext\n");
    write(dir.path(), "c.md", "---\nversion: \"1\"\n---\n\ntext\n");
    // Usage errors: the template itself.
    for (template, says) in [
        ("{stem}-{release}", "unknown placeholder `{release}`"),
        ("out/{stem}", "names a folder"),
        ("{stem", "lone `{`"),
        ("", "empty"),
        (".{stem}", "hidden"),
    ] {
        let (run, files) = build_named(dir.path(), &["a.md", "--out-name", template]);
        run.assert_code(2);
        assert!(run.stderr.contains(says), "{template}: {run}");
        assert!(files.is_empty(), "{template}: wrote {files:?}");
    }
    let run = crate::util::bindery(
        dir.path(),
        &["build", "a.md", "-o", "x.pdf", "--out-name", "{stem}"],
    );
    run.assert_code(2);
    for set in ["colour=red", "version"] {
        let run = crate::util::bindery(dir.path(), &["build", "a.md", "--set", set]);
        run.assert_code(2);
    }
    let run = crate::util::bindery(
        dir.path(),
        &["build", "a.md", "--set", "title=X", "--title", "Y"],
    );
    run.assert_code(2);

    // Build errors: a document without the value, two documents given one name.
    let (run, files) = build_named(dir.path(), &["a.md", "--out-name", "{stem}-{version}"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("a.md") && run.stderr.contains("no `version`"),
        "{run}"
    );
    assert!(files.is_empty(), "{files:?}");
    let (run, files) = build_named(dir.path(), &["b.md", "c.md", "--out-name", "v{version}"]);
    run.assert_code(1);
    assert!(run.stderr.contains("b.md"), "{run}");
    assert_eq!(files, ["v1.json"], "the first keeps the name: {run}");
}

#[test]
fn out_name_paths_are_plain_file_names() {
    // A version holding a folder separator never writes outside -o.
    let dir = tempdir();
    write(
        dir.path(),
        "a.md",
        "---\nversion: \"1/../../x\"\n---\n\ntext\n",
    );
    let (run, files) = build_named(dir.path(), &["a.md", "--out-name", "{version}"]);
    run.assert_code(1);
    assert!(files.is_empty(), "{files:?}");
    assert!(!dir.path().join("x.json").exists());
}

#[test]
fn watch_builds_a_book_whose_first_build_failed_once_it_is_mended() {
    let dir = tempdir();
    let book = dir.path();
    write(book, "book.toml", "[book]\ntitle = \"Mended\"\n");
    write(
        book,
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n",
    );
    write(book, "src/one.md", "# One\n\ntext\n");
    let mut w = Watching::start(book, &["-f", "json", "-o", "dist"]);
    let error = w.wait_for("the missing chapter's error", |l| l.starts_with("error:"));
    assert!(error.contains("two.md"), "{error}");
    w.ready();
    assert!(listing(&book.join("dist")).is_empty());
    // The chapter that was missing appears, in a folder below the book's own.
    write(book, "src/two.md", "# Two\n\nnow here\n");
    w.wait_for("the build once mended", is_rebuild);
    let files = listing(&book.join("dist"));
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(text(&book.join("dist").join(&files[0])).contains("now here"));
    assert_eq!(w.stop_with("INT"), Some(0));
}

/// A rebuild reuses the layout of the sections that did not change (see typeset::reuse): what
/// it writes must be, byte for byte, what a fresh build of the edited sources writes, after
/// an edit inside a section, a new section, a section removed and an image replaced.
#[test]
fn a_rebuild_writes_the_bytes_of_a_fresh_build() {
    let dir = tempdir();
    let src = dir.path().join("src");
    let section = |n: usize| {
        format!(
            "## Section {n}\n\nParagraph {n} with enough words to fill a line or two of the \
             page, a footnote[^n{n}] and `code`.\n\n[^n{n}]: The note of section {n}.\n\n"
        )
    };
    let doc = |sections: &[usize], extra: &str| {
        let mut md =
            String::from("---\ntitle: Sections\n---\n\n# Sections\n\n![A picture](pic.png)\n\n");
        for &n in sections {
            md.push_str(&section(n));
            if n == 2 {
                md.push_str(extra);
            }
        }
        md
    };
    let page = write(&src, "doc.md", doc(&[1, 2, 3, 4], ""));
    let pic = write(&src, "pic.png", png(2, 2));
    let mut w = Watching::start(&src, &["doc.md", "-f", "pdf", "-o", "out"]);
    w.wait_for("the first Wrote line", |l| l.starts_with("Wrote "));
    w.ready();
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let edits: [Edit; 4] = [
        (
            "an edit inside section 2",
            Box::new(|| save(&page, doc(&[1, 2, 3, 4], "An added sentence.\n\n"))),
        ),
        (
            "a new section",
            Box::new(|| save(&page, doc(&[1, 2, 5, 3, 4], "An added sentence.\n\n"))),
        ),
        (
            "a section removed",
            Box::new(|| save(&page, doc(&[1, 2, 5, 4], "An added sentence.\n\n"))),
        ),
        ("the image replaced", Box::new(|| save(&pic, png(5, 3)))),
    ];
    for (what, edit) in &edits {
        w.settle();
        edit();
        w.wait_for(&format!("a rebuild after {what}"), is_rebuild);
        let fresh = dir.path().join("fresh");
        let run = crate::util::bindery(
            &src,
            &[
                "build",
                "doc.md",
                "-f",
                "pdf",
                "-o",
                fresh.to_str().unwrap(),
            ],
        );
        run.assert_code(0);
        let (watched, built) = (
            std::fs::read(src.join("out/doc.pdf")).unwrap(),
            std::fs::read(fresh.join("doc.pdf")).unwrap(),
        );
        assert!(
            watched == built,
            "after {what}, the rebuilt PDF differs from a fresh build"
        );
    }
    assert_eq!(
        w.stop_with("INT"),
        Some(0),
        "stderr:\n{}",
        w.seen.join("\n")
    );
}
