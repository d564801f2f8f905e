//! Identical bytes on every rebuild: across fresh processes, `--jobs`, SOURCE_DATE_EPOCH runs,
//! and a different working directory, locale and time zone.

use crate::util::{
    bindery_fast, command, fast_bin, listing, repo_root, run_cmd, s, shared_file, tempdir, write,
};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A document touching every construct of the model, so every backend path is exercised.
const RICH: &str = r#"---
title: Determinism Sample
subtitle: Same bytes, every time
author: [Ada Lovelace, Charles Babbage]
date: 2024-03-01
lang: en
keywords: [test, reproducible]
---

# Introduction {#intro .lead}

Plain text with *emphasis*, **strong**, `code`, ~~struck~~, "smart quotes" -- and dashes...
A footnote[^one] and another[^two], math $e^{i\pi} + 1 = 0$, H~2~O and x^2^.
Visit <https://example.org> or [the intro](#intro).

$$
\int_0^1 x\,dx = \tfrac12
$$

## Lists

1. First
2. Second
   - nested *item*
   - [x] done
   - [ ] open

Term
: Its definition.

> [!NOTE]
> An alert with **bold** text.

> A quote
>> nested deeper

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | 1.0   |
| ccc  | ddd    | 22.5  |

```rust
fn main() { println!("hello"); }
```

<div>raw html</div>

Line one\
line two after a hard break.

---

## Introduction

A second heading with the same text gets a distinct id.

[^one]: The first note.
[^two]: The second note, with `code`.
"#;

/// The inputs every determinism test converts: the rich sample, a plain one, the repo's own
/// `content/` (when it has any) and the shared handout (when present).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v = vec![
        write(dir, "src/rich.md", RICH),
        write(
            dir,
            "src/plain.md",
            "Just one paragraph, no metadata at all.\n",
        ),
    ];
    let content = repo_root().join("content");
    for name in listing(&content) {
        if name.ends_with(".md") {
            v.push(content.join(name));
        }
    }
    if let Some(h) = shared_file(
        "corpus/handout/handout.md",
        "the handout in determinism tests",
    ) {
        // A copy under its own name: content/ may hold a handout.md too, and equal stems clash.
        let text = std::fs::read(h).expect("read the shared handout");
        v.push(write(dir, "src/shared-handout.md", text));
    }
    v
}

/// Runs one build of `inputs` into `out` (all formats) with extra args and environment.
fn build(cwd: &Path, inputs: &[PathBuf], out: &Path, extra: &[&str], env: &[(&str, &str)]) {
    let mut args = vec!["build"];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(["-o", s(out), "-f", "pdf,epub,json"]);
    args.extend(extra);
    let mut cmd = command(&fast_bin(), cwd, &args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_cmd(cmd, Duration::from_secs(300)).assert_code(0);
}

/// Asserts two output folders hold the same files with the same bytes.
#[track_caller]
fn assert_same(a: &Path, b: &Path, what: &str) {
    let names = listing(a);
    assert!(!names.is_empty(), "nothing was written");
    assert_eq!(names, listing(b), "{what}: different files");
    for n in &names {
        let (x, y) = (
            std::fs::read(a.join(n)).unwrap(),
            std::fs::read(b.join(n)).unwrap(),
        );
        if x != y {
            let first = x
                .iter()
                .zip(&y)
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            panic!(
                "{what}: {n} differs (sizes {} and {}, first difference at byte {first})",
                x.len(),
                y.len()
            );
        }
    }
}

#[test]
fn two_runs_give_identical_bytes() {
    let dir = tempdir();
    let ins = inputs(dir.path());
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(dir.path(), &ins, &a, &[], &[]);
    build(dir.path(), &ins, &b, &[], &[]);
    assert_same(&a, &b, "two runs");
    assert_eq!(listing(&a).len(), ins.len() * 3);
}

#[test]
fn jobs_1_and_the_default_agree() {
    let dir = tempdir();
    let ins = inputs(dir.path());
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    build(dir.path(), &ins, &a, &["--jobs", "1"], &[]);
    build(dir.path(), &ins, &b, &[], &[]);
    build(dir.path(), &ins, &c, &["-j", "7"], &[]);
    assert_same(&a, &b, "--jobs 1 vs default");
    assert_same(&a, &c, "--jobs 1 vs -j 7");
}

#[test]
fn source_date_epoch_runs_agree_and_environment_does_not_leak() {
    let dir = tempdir();
    let ins = inputs(dir.path());
    let elsewhere = tempdir();
    let epoch = [("SOURCE_DATE_EPOCH", "1700000000")];
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    build(dir.path(), &ins, &a, &[], &epoch);
    build(dir.path(), &ins, &b, &[], &epoch);
    assert_same(&a, &b, "two SOURCE_DATE_EPOCH runs");
    // Another working directory, locale and time zone must not change a byte.
    let env = [
        ("SOURCE_DATE_EPOCH", "1700000000"),
        ("LANG", "de_DE.UTF-8"),
        ("LC_ALL", "tr_TR.UTF-8"),
        ("TZ", "Asia/Kolkata"),
    ];
    build(elsewhere.path(), &ins, &c, &[], &env);
    assert_same(&a, &c, "other cwd, locale and time zone");
}

#[test]
fn environment_does_not_leak_without_source_date_epoch() {
    let dir = tempdir();
    let ins = inputs(dir.path());
    let elsewhere = tempdir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(dir.path(), &ins, &a, &[], &[]);
    build(
        elsewhere.path(),
        &ins,
        &b,
        &["-j", "1"],
        &[("LC_ALL", "fr_FR.UTF-8"), ("TZ", "America/New_York")],
    );
    assert_same(&a, &b, "other cwd, locale, time zone and jobs");
}

#[test]
fn the_whole_book_twice_is_identical() {
    let Some(book) = shared_file("corpus/rust-book/book.md", "the book determinism check") else {
        return;
    };
    let dir = tempdir();
    for out in ["a", "b"] {
        let run = bindery_fast(
            dir.path(),
            &[
                "build",
                s(&book),
                "-o",
                s(&dir.path().join(out)),
                "-f",
                "pdf,epub",
            ],
            Duration::from_secs(300),
        );
        run.assert_code(0);
    }
    assert_same(
        &dir.path().join("a"),
        &dir.path().join("b"),
        "the Rust book built twice",
    );
}
