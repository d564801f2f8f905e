//! Everyday use of the command (issue 13): the line a build prints, `-q`, `-o FILE`, lengths
//! without units, exit statuses of bad option values, inputs bindery does not read, standard
//! input, `check`, `init`, summarised warnings, completions, man pages and `--version`.

use crate::util::{bindery, command, listing, run_cmd, s, tempdir, write, Run};
use std::path::Path;
use std::time::Duration;

const DOC: &str = "---\ntitle: A Note\n---\n\n# A Note\n\nSome text to set.\n";

/// `bindery ARGS` in `dir` with standard input read from `stdin_file`.
fn with_stdin(dir: &Path, stdin_file: &Path, args: &[&str]) -> Run {
    let mut cmd = command(&crate::util::bin(), dir, args);
    cmd.stdin(std::fs::File::open(stdin_file).expect("open the stdin file"));
    run_cmd(cmd, Duration::from_secs(60))
}

#[test]
fn a_build_prints_one_line_per_document_and_nothing_with_q() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    write(dir.path(), "b.md", DOC);
    let run = bindery(dir.path(), &["build", "a.md", "b.md", "-o", "out"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{run}");
    for (line, stem) in lines.iter().zip(["a", "b"]) {
        // `Wrote out/a.pdf (1 page, 13 KB) and out/a.epub (4 KB) in 12 ms`
        let head = format!("Wrote out/{stem}.pdf (1 page, ");
        assert!(line.starts_with(&head), "{line}");
        assert!(
            line.contains(&format!(" KB) and out/{stem}.epub (")),
            "{line}"
        );
        assert!(line.contains(" KB) in ") && line.ends_with('s'), "{line}");
    }
    // Not a terminal: no colour codes, whatever NO_COLOR says.
    assert!(!run.stderr.contains('\u{1b}'), "{run}");
    let run = bindery(dir.path(), &["build", "a.md", "-o", "out", "-q"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "{run}");
    assert_eq!(run.stdout, "", "{run}");
}

#[test]
fn o_with_a_known_extension_writes_exactly_that_file() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    for (name, magic) in [
        ("report.pdf", &b"%PDF-"[..]),
        ("book.epub", b"PK"),
        ("model.json", b"{"),
    ] {
        let run = bindery(dir.path(), &["build", "a.md", "-o", &format!("o/{name}")]);
        run.assert_code(0);
        let path = dir.path().join("o").join(name);
        assert!(path.is_file(), "{name} is not a file:\n{run}");
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(magic), "{name} is not in its format");
        assert!(
            run.stderr.starts_with(&format!("Wrote o/{name} (")),
            "{run}"
        );
    }
    assert_eq!(
        listing(&dir.path().join("o")),
        ["book.epub", "model.json", "report.pdf"]
    );
    // `-f` naming the same format is fine; another one is a usage error.
    bindery(dir.path(), &["build", "a.md", "-o", "x.pdf", "-f", "pdf"]).assert_code(0);
    let run = bindery(dir.path(), &["build", "a.md", "-o", "y.pdf", "-f", "epub"]);
    run.assert_code(2);
    assert!(run.stderr.contains("-o y.pdf"), "{run}");
    // Several documents cannot go into one file: nothing is written.
    write(dir.path(), "b.md", DOC);
    let run = bindery(dir.path(), &["build", "a.md", "b.md", "-o", "z.pdf"]);
    run.assert_code(2);
    assert!(run.stderr.contains("-o z.pdf"), "{run}");
    assert!(!dir.path().join("z.pdf").exists());
    // Any other name stays a folder.
    bindery(
        dir.path(),
        &["build", "a.md", "-o", "folder.d", "-f", "json"],
    )
    .assert_code(0);
    assert_eq!(listing(&dir.path().join("folder.d")), ["a.json"]);
}

#[test]
fn lengths_need_a_unit_and_margins_leave_a_third_of_the_page() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    for (option, value) in [
        ("--margins", "2"),
        ("--margins", "2cm 2"),
        ("--bleed", "3"),
        ("--paper", "6x9"),
    ] {
        let run = bindery(
            dir.path(),
            &["build", "a.md", "-o", "out", "-f", "pdf", option, value],
        );
        run.assert_code(2);
        assert!(
            run.stderr.contains(option) && run.stderr.contains("mm, cm, in, pt or pc"),
            "{option} {value}: the message should name the option and the units:\n{run}"
        );
    }
    // 8 cm margins on A5 (14.8 cm wide) leave less than a third of the width.
    let run = bindery(
        dir.path(),
        &[
            "build",
            "a.md",
            "-o",
            "out",
            "--paper",
            "a5",
            "--margins",
            "5cm",
        ],
    );
    run.assert_code(2);
    assert!(run.stderr.contains("a third of the page"), "{run}");
    assert!(listing(&dir.path().join("out")).is_empty(), "{run}");
    // With units, the same options work.
    bindery(
        dir.path(),
        &[
            "build",
            "a.md",
            "-o",
            "out",
            "-f",
            "pdf",
            "--margins",
            "2cm 25mm",
            "--paper",
            "6x9in",
            "--bleed",
            "3mm",
        ],
    )
    .assert_code(0);
}

#[test]
fn every_bad_option_value_exits_2_and_writes_nothing() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    let missing = dir.path().join("no-such-folder");
    let cases: &[&[&str]] = &[
        &["--paper", "huge"],
        &["--margins", "wide"],
        &["--margins", "1cm 1cm 1cm 1cm 1cm"],
        &["--bleed", "lots"],
        &["--bleed", "5in"],
        &["--lang", "not a tag"],
        &["--date", "yesterday"],
        &["--date", "2026-13-45"],
        &["--toc-depth", "9"],
        &["--layout", "scroll"],
        &["--font-dir", s(&missing)],
        &["--allow-root", s(&missing)],
        &["--pdf-standard", "x-1"],
        &["--print-profile", "lulu"],
        &["-j", "many"],
        &["-f", ""],
        &["--from", "rst"],
        &["--no-such-option"],
    ];
    for case in cases {
        let args = [&["build", "a.md", "-o", "out"][..], case].concat();
        let run = bindery(dir.path(), &args);
        run.assert_code(2);
        assert!(run.stderr.starts_with("error:"), "{case:?}:\n{run}");
        assert!(listing(&dir.path().join("out")).is_empty(), "{case:?}");
    }
    // `check` refuses the same values the same way.
    bindery(dir.path(), &["check", "a.md", "--margins", "2"]).assert_code(2);
}

#[test]
fn a_file_bindery_does_not_read_is_refused_unless_from_markdown() {
    let dir = tempdir();
    write(dir.path(), "notes.rst", "Notes\n\nSome *text*.\n");
    write(dir.path(), "config.toml", "title = \"x\"\n");
    for name in ["notes.rst", "config.toml"] {
        let run = bindery(dir.path(), &["build", name, "-o", "out"]);
        run.assert_code(2);
        assert!(
            run.stderr.contains(name) && run.stderr.contains("--from markdown"),
            "{run}"
        );
    }
    assert!(listing(&dir.path().join("out")).is_empty());
    let run = bindery(
        dir.path(),
        &[
            "build",
            "notes.rst",
            "-o",
            "out",
            "--from",
            "markdown",
            "-f",
            "json",
        ],
    );
    run.assert_code(0);
    assert_eq!(listing(&dir.path().join("out")), ["notes.json"]);
}

#[test]
fn a_dash_reads_standard_input() {
    let dir = tempdir();
    let input = write(dir.path(), "piped.txt", "# From a Pipe\n\nPiped text.\n");
    let run = with_stdin(dir.path(), &input, &["build", "-", "-o", "out.json"]);
    run.assert_code(0);
    let json = std::fs::read_to_string(dir.path().join("out.json")).expect("out.json");
    assert!(json.contains("Piped text."), "{json}");
    // Without a file name, the outputs are named `stdin`.
    let run = with_stdin(dir.path(), &input, &["build", "-", "-o", "d", "-f", "pdf"]);
    run.assert_code(0);
    assert_eq!(listing(&dir.path().join("d")), ["stdin.pdf"]);
    // Messages name it `<stdin>`.
    let bad = write(dir.path(), "bad.md", "# T\n\n![alt](missing.png)\n");
    let run = with_stdin(dir.path(), &bad, &["check", "-"]);
    run.assert_code(0);
    assert!(run.one_line().contains("warning: <stdin>:3:"), "{run}");
}

#[test]
fn check_reports_what_a_build_would_and_writes_nothing() {
    let dir = tempdir();
    // A missing image (found while reading) and a character no bundled face has (found only
    // by typesetting).
    write(
        dir.path(),
        "doc.md",
        "# Doc\n\n![A lost map](lost.png)\n\nAn ancient sign: \u{13000}.\n",
    );
    let before = listing(dir.path());
    let run = bindery(dir.path(), &["check", "doc.md", "--no-system-fonts"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("doc.md:3:1") && run.stderr.contains("lost.png"),
        "{run}"
    );
    assert!(
        run.stderr.contains("U+13000"),
        "typesetting did not run:\n{run}"
    );
    assert!(
        run.stderr.contains("Checked 1 document in ") && run.stderr.contains(": 2 warnings"),
        "{run}"
    );
    assert_eq!(listing(dir.path()), before, "check wrote something");
    // A CI gate: warnings fail it, and still nothing is written.
    let run = bindery(
        dir.path(),
        &["check", "doc.md", "--no-system-fonts", "--deny-warnings"],
    );
    run.assert_code(1);
    assert_eq!(listing(dir.path()), before);
    // A previous output is left as it was.
    write(dir.path(), "dist/doc.pdf", "previous");
    bindery(dir.path(), &["check", "doc.md", "-q"]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dist/doc.pdf")).unwrap(),
        "previous"
    );
    // A clean document passes the gate.
    write(dir.path(), "clean.md", DOC);
    bindery(dir.path(), &["check", "clean.md", "--deny-warnings"]).assert_code(0);
}

#[test]
fn repeated_warnings_are_counted_and_verbose_lists_them_all() {
    let dir = tempdir();
    let mut md = String::from("# Pictures\n\n");
    for i in 0..12 {
        md.push_str(&format!("![Picture {i}](missing-{i}.png)\n\n"));
    }
    md.push_str("[a dead link](#no-such-heading)\n");
    write(dir.path(), "pics.md", &md);
    let run = bindery(dir.path(), &["check", "pics.md"]);
    run.assert_code(0);
    let images: Vec<String> = run
        .lines_starting("warning:")
        .into_iter()
        .filter(|l| l.contains("missing-"))
        .collect();
    assert_eq!(images.len(), 3, "{run}");
    let note = run.lines_starting("note:");
    assert_eq!(note.len(), 1, "{run}");
    assert!(
        note[0].starts_with("note: 9 more `missing-image` warnings, at pics.md:9:1, pics.md:11:1, pics.md:13:1 and 6 more places"),
        "{run}"
    );
    // The other kind is shown on its own.
    assert!(run.stderr.contains("no-such-heading"), "{run}");
    let run = bindery(dir.path(), &["check", "pics.md", "--verbose"]);
    run.assert_code(0);
    let all = run
        .lines_starting("warning:")
        .into_iter()
        .filter(|l| l.contains("missing-"))
        .count();
    assert_eq!(all, 12, "{run}");
    assert!(run.lines_starting("note:").is_empty(), "{run}");
}

#[test]
fn init_makes_a_project_that_builds_without_a_warning_and_never_overwrites() {
    for (flag, config) in [(None, "bindery.toml"), (Some("--mdbook"), "book.toml")] {
        let dir = tempdir();
        let mut args = vec!["init", "proj"];
        args.extend(flag);
        let run = bindery(dir.path(), &args);
        run.assert_code(0);
        let proj = dir.path().join("proj");
        assert!(proj.join(config).is_file(), "{run}");
        let run = bindery(
            &proj,
            &[
                "build",
                "--deny-warnings",
                "--no-system-fonts",
                "-f",
                "pdf,epub",
            ],
        );
        run.assert_code(0);
        assert!(!run.stderr.contains("warning"), "{run}");
        assert_eq!(listing(&proj.join("dist")), ["proj.epub", "proj.pdf"]);
        if let Some(report) = crate::util::epubcheck(&proj.join("dist/proj.epub")) {
            assert_eq!(
                (report.errors, report.warnings),
                (0, 0),
                "{:?}",
                report.messages
            );
        }
        // A second init changes nothing.
        let config_text = std::fs::read_to_string(proj.join(config)).unwrap();
        std::fs::write(proj.join(config), format!("{config_text}# edited\n")).unwrap();
        let before = listing(&proj);
        let run = bindery(dir.path(), &args);
        run.assert_code(1);
        assert!(run.stderr.contains("nothing was written"), "{run}");
        assert_eq!(listing(&proj), before);
        assert!(std::fs::read_to_string(proj.join(config))
            .unwrap()
            .ends_with("# edited\n"));
    }
    // One existing file is enough to write nothing at all.
    let dir = tempdir();
    write(dir.path(), "first.md", "# Mine\n");
    bindery(dir.path(), &["init"]).assert_code(1);
    assert_eq!(listing(dir.path()), ["first.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("first.md")).unwrap(),
        "# Mine\n"
    );
}

#[test]
fn completions_man_pages_and_version() {
    let dir = tempdir();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef bindery"),
        ("fish", "complete -c bindery"),
    ] {
        let run = bindery(dir.path(), &["completions", shell]);
        run.assert_code(0);
        assert!(run.stdout.contains(marker), "{shell}:\n{run}");
        for word in ["build", "check", "init", "watch", "style", "margins"] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    bindery(dir.path(), &["completions", "tcsh"]).assert_code(2);
    let run = bindery(dir.path(), &["man", "man"]);
    run.assert_code(0);
    assert_eq!(
        listing(&dir.path().join("man")),
        [
            "bindery-build.1",
            "bindery-check.1",
            "bindery-completions.1",
            "bindery-init.1",
            "bindery-style.1",
            "bindery-watch.1",
            "bindery.1"
        ]
    );
    let page = std::fs::read_to_string(dir.path().join("man/bindery-build.1")).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH bindery-build"),
        "{page}"
    );
    assert!(page.contains("margins"));
    let run = bindery(dir.path(), &["--version"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .starts_with(&format!("bindery {}", env!("CARGO_PKG_VERSION"))),
        "{run}"
    );
    assert!(
        run.stdout.contains("SourceSerif4SmText-Regular")
            && run.stdout.contains("SourceCodePro-Regular")
            && run.stdout.contains("DejaVuSerif"),
        "{run}"
    );
}

#[test]
fn the_sample_content_builds_without_a_warning() {
    let dir = tempdir();
    let content = crate::util::repo_root().join("content");
    let out = dir.path().join("out");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", s(&content), "-o", s(&out), "-f", "pdf,epub"];
        args.extend_from_slice(extra);
        bindery(dir.path(), &args)
    };
    // The newsletter's Japanese, Chinese and Korean names need a system CJK face (none is
    // bundled); with one installed, nothing at all is reported.
    if crate::util::have_cjk_fonts() {
        let run = build(&["--deny-warnings"]);
        run.assert_code(0);
        assert!(!run.stderr.contains("warning"), "{run}");
        assert_eq!(run.stderr.lines().count(), listing(&out).len() / 2, "{run}");
    }
    // Everything else comes from the bundled faces: without system fonts the one warning is
    // the newsletter's CJK characters, and it says what to install.
    let run = build(&["--no-system-fonts"]);
    run.assert_code(0);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].starts_with("warning[missing-glyph]") && warnings[0].contains("CJK"),
        "{run}"
    );
    assert!(run.stderr.contains("content/newsletter.md:27"), "{run}");
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    // util-linux `script` gives the command a terminal (a pseudo-terminal) for its output.
    if !crate::util::have_tool("script", "the colour test on a terminal") {
        return;
    }
    let dir = tempdir();
    write(dir.path(), "a.md", "# T\n\n![lost](lost.png)\n");
    let on_tty = |no_color: Option<&str>| {
        let line = format!("{} build a.md -o out -f json", s(&crate::util::bin()));
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &line, "/dev/null"])
            .current_dir(dir.path())
            .env("TERM", "xterm")
            .env_remove("CI")
            .stdin(std::process::Stdio::null());
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let run = run_cmd(cmd, Duration::from_secs(60));
        run.assert_code(0);
        run.stdout
    };
    let coloured = on_tty(None);
    assert!(
        coloured.contains("\u{1b}[") && coloured.contains("warning"),
        "{coloured}"
    );
    assert!(coloured.contains("Wrote"), "{coloured}");
    let plain = on_tty(Some("1"));
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(
        plain.contains("warning[") && plain.contains(" --> a.md:3:"),
        "{plain}"
    );
    // An empty NO_COLOR does not count (no-color.org).
    assert!(on_tty(Some("")).contains("\u{1b}["));
}
