//! The command-line contract through the real binary: defaults, exit statuses, diagnostics and
//! what is (and is not) left on disk for each kind of bad input.

use crate::util::{bindery, command, listing, run_cmd, s, tempdir, write, Run};
use std::path::Path;
use std::time::Duration;

const GOOD: &str = "---\ntitle: A Good Note\nauthor: Ada\n---\n# Heading\n\nSome *text* with a [link](https://example.org).\n";

/// Asserts exit 1 with an `error:` line naming `name` (and `needle`, when given, e.g. `:3:`).
#[track_caller]
fn assert_error(run: &Run, name: &str, needle: &str) {
    run.assert_code(1);
    let errors = run.lines_starting("error:");
    assert!(
        errors
            .iter()
            .any(|l| l.contains(name) && l.contains(needle)),
        "no `error:` line naming {name:?} with {needle:?}:\n{run}"
    );
}

/// Builds `input` into `out` with all three formats, over pre-existing good outputs, and checks
/// the build fails naming the file (with `needle`), leaving the old outputs byte for byte and no
/// temp files behind.
#[track_caller]
fn assert_fails_without_clobbering(dir: &Path, input: &str, needle: &str) -> Run {
    let out = dir.join("out");
    let stem = Path::new(input)
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    for ext in ["pdf", "epub", "json"] {
        write(
            &out,
            &format!("{stem}.{ext}"),
            format!("previous good {ext}"),
        );
    }
    let before = listing(&out);
    let run = bindery(dir, &["build", input, "-o", "out", "-f", "pdf,epub,json"]);
    assert_error(&run, input, needle);
    assert_eq!(
        listing(&out),
        before,
        "the failed build left files behind:\n{run}"
    );
    for ext in ["pdf", "epub", "json"] {
        let bytes =
            std::fs::read(out.join(format!("{stem}.{ext}"))).expect("old output still there");
        assert_eq!(
            bytes,
            format!("previous good {ext}").as_bytes(),
            "{stem}.{ext} was clobbered:\n{run}"
        );
    }
    run
}

#[test]
fn default_dirs_content_to_dist_pdf_and_epub() {
    let dir = tempdir();
    write(dir.path(), "content/b-second.md", GOOD);
    write(dir.path(), "content/a-first.markdown", GOOD);
    write(
        dir.path(),
        "content/notes.txt",
        "plain text is Markdown too\n",
    );
    write(dir.path(), "content/ignored.rst", "not markdown\n");
    bindery(dir.path(), &["build"]).assert_code(0);
    assert_eq!(
        listing(&dir.path().join("dist")),
        [
            "a-first.epub",
            "a-first.pdf",
            "b-second.epub",
            "b-second.pdf",
            "notes.epub",
            "notes.pdf"
        ]
    );
    for f in listing(&dir.path().join("dist")) {
        let bytes = std::fs::read(dir.path().join("dist").join(&f)).expect("read output");
        let magic: &[u8] = if f.ends_with(".pdf") {
            b"%PDF-"
        } else {
            b"PK\x03\x04"
        };
        assert!(
            bytes.starts_with(magic),
            "{f} does not look like its format"
        );
    }
}

#[test]
fn explicit_inputs_out_dir_and_formats() {
    let dir = tempdir();
    write(dir.path(), "one.md", GOOD);
    write(dir.path(), "more/two.md", GOOD);
    bindery(
        dir.path(),
        &[
            "build",
            "one.md",
            "more/two.md",
            "--out-dir",
            "a/b",
            "--format",
            "json",
        ],
    )
    .assert_code(0);
    assert_eq!(listing(&dir.path().join("a/b")), ["one.json", "two.json"]);
    bindery(
        dir.path(),
        &[
            "build",
            "one.md",
            "-o",
            "c",
            "-f",
            "epub,json",
            "-j",
            "2",
            "-q",
        ],
    )
    .assert_code(0);
    assert_eq!(listing(&dir.path().join("c")), ["one.epub", "one.json"]);
    bindery(
        dir.path(),
        &[
            "build", "one.md", "-o", "d", "-f", "pdf", "--format", "epub", "-v",
        ],
    )
    .assert_code(0);
    assert_eq!(listing(&dir.path().join("d")), ["one.epub", "one.pdf"]);
}

#[test]
fn json_is_the_model_with_cli_overrides() {
    let dir = tempdir();
    write(dir.path(), "doc.md", GOOD);
    bindery(dir.path(), &["build", "doc.md", "-f", "json", "-o", "o"]).assert_code(0);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/doc.json")).unwrap()).unwrap();
    assert_eq!(v["meta"]["title"], "A Good Note");
    assert_eq!(v["meta"]["authors"], serde_json::json!(["Ada"]));
    assert_eq!(
        v["meta"]["lang"], "en",
        "no lang means en, never the locale"
    );
    assert!(v["blocks"].as_array().is_some_and(|b| !b.is_empty()));

    let args = [
        "build", "doc.md", "-f", "json", "-o", "p", "--title", "T2", "--author", "Bo", "--lang",
        "de",
    ];
    bindery(dir.path(), &[&args[..], &["--date", "2020-02-02"]].concat()).assert_code(0);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("p/doc.json")).unwrap()).unwrap();
    assert_eq!(v["meta"]["title"], "T2");
    assert_eq!(v["meta"]["authors"], serde_json::json!(["Bo"]));
    assert_eq!(v["meta"]["lang"], "de");
    assert_eq!(v["meta"]["date"], "2020-02-02");
}

#[test]
fn locale_never_sets_the_language() {
    let dir = tempdir();
    write(dir.path(), "doc.md", "Bonjour.\n");
    let mut cmd = command(
        &crate::util::bin(),
        dir.path(),
        &["build", "doc.md", "-f", "json", "-o", "o"],
    );
    cmd.env("LC_ALL", "fr_FR.UTF-8")
        .env("LANG", "fr_FR.UTF-8")
        .env("LANGUAGE", "fr");
    run_cmd(cmd, Duration::from_secs(60)).assert_code(0);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/doc.json")).unwrap()).unwrap();
    assert_eq!(v["meta"]["lang"], "en");
    assert_eq!(
        v["meta"]["title"], "doc",
        "no title and no heading: the file stem"
    );
}

#[test]
fn missing_input() {
    let dir = tempdir();
    assert_fails_without_clobbering(dir.path(), "nope.md", "nope.md");
}

#[test]
fn every_failure_is_reported_and_good_inputs_still_convert() {
    let dir = tempdir();
    write(dir.path(), "good.md", GOOD);
    write(dir.path(), "bad.md", b"ok\n\xC3\x28 broken\n");
    let run = bindery(
        dir.path(),
        &[
            "build",
            "missing.md",
            "bad.md",
            "good.md",
            "-o",
            "out",
            "-f",
            "json",
        ],
    );
    assert_error(&run, "missing.md", "");
    assert_error(&run, "bad.md", "");
    assert_eq!(
        listing(&dir.path().join("out")),
        ["good.json"],
        "the good input still converts:\n{run}"
    );
}

#[test]
fn unreadable_input() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let path = write(dir.path(), "secret.md", GOOD);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root, mode 000 does not stop reads: run bindery without the capability that lets it.
    let denied = std::fs::read(&path).is_err();
    let setpriv = !denied
        && std::process::Command::new("setpriv")
            .args(["--bounding-set=-dac_override,-dac_read_search", "cat"])
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|st| !st.success());
    if !denied && !setpriv {
        crate::util::skip("running as root without setpriv: chmod 000 does not deny reads, skipping unreadable input");
        return;
    }
    let out = dir.path().join("out");
    write(&out, "secret.pdf", "previous good pdf");
    let exe = crate::util::bin();
    let mut cmd = if setpriv {
        let mut c = command(
            Path::new("setpriv"),
            dir.path(),
            &["--bounding-set=-dac_override,-dac_read_search"],
        );
        c.arg(&exe);
        c
    } else {
        command(&exe, dir.path(), &[])
    };
    cmd.args(["build", "secret.md", "-o", "out"]);
    let run = run_cmd(cmd, Duration::from_secs(60));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_error(&run, "secret.md", "");
    assert_eq!(listing(&out), ["secret.pdf"]);
    assert_eq!(
        std::fs::read(out.join("secret.pdf")).unwrap(),
        b"previous good pdf"
    );
}

#[test]
fn folder_without_markdown() {
    let dir = tempdir();
    write(dir.path(), "empty/readme.rst", "no markdown here\n");
    write(dir.path(), "empty/image.png", b"\x89PNG");
    let run = bindery(dir.path(), &["build", "empty", "-o", "out"]);
    assert_error(&run, "empty", "");
    assert!(listing(&dir.path().join("out")).is_empty(), "{run}");
}

#[test]
fn invalid_utf8_says_where() {
    let dir = tempdir();
    write(
        dir.path(),
        "latin1.md",
        b"# Fine title\n\nline two has \xE9t\xE9 in Latin-1\n",
    );
    // Line 3; the bad byte follows the 13 characters of "line two has ".
    let run = assert_fails_without_clobbering(dir.path(), "latin1.md", "latin1.md:3:14");
    assert!(
        run.lines_starting("error:")
            .iter()
            .any(|l| l.to_lowercase().contains("utf-8")),
        "{run}"
    );
}

#[test]
fn malformed_yaml_front_matter_says_which_line() {
    let dir = tempdir();
    write(
        dir.path(),
        "yaml.md",
        "---\ntitle: Fine\n  bad: indentation\nauthor: Ada\n---\n\nBody.\n",
    );
    assert_fails_without_clobbering(dir.path(), "yaml.md", "yaml.md:3:");
}

#[test]
fn unclosed_yaml_front_matter_is_an_error_not_silence() {
    let dir = tempdir();
    write(
        dir.path(),
        "open.md",
        "---\ntitle: [never closed\n---\n\nBody.\n",
    );
    assert_fails_without_clobbering(dir.path(), "open.md", "open.md:");
}

#[test]
fn malformed_toml_front_matter_says_which_line() {
    let dir = tempdir();
    write(
        dir.path(),
        "toml.md",
        "+++\ntitle = \"Fine\"\nauthor = \n+++\n\nBody.\n",
    );
    assert_fails_without_clobbering(dir.path(), "toml.md", "toml.md:3:");
}

#[test]
fn front_matter_key_of_the_wrong_type() {
    let dir = tempdir();
    write(dir.path(), "title.md", "---\ntitle: [1, 2]\n---\n\nBody.\n");
    let run = assert_fails_without_clobbering(dir.path(), "title.md", "title.md:2:");
    assert!(
        run.lines_starting("error:")
            .iter()
            .any(|l| l.contains("title")),
        "{run}"
    );

    let dir = tempdir();
    write(
        dir.path(),
        "date.md",
        "---\ntitle: T\ndate: {a: 1}\n---\n\nBody.\n",
    );
    let run = assert_fails_without_clobbering(dir.path(), "date.md", "date.md:3:");
    assert!(
        run.lines_starting("error:")
            .iter()
            .any(|l| l.contains("date")),
        "{run}"
    );

    let dir = tempdir();
    write(dir.path(), "lang.md", "+++\nlang = 42\n+++\n\nBody.\n");
    assert_fails_without_clobbering(dir.path(), "lang.md", "lang.md:2:");
}

#[test]
fn unknown_front_matter_key_warns_and_deny_warnings_fails() {
    let dir = tempdir();
    write(
        dir.path(),
        "extra.md",
        "---\ntitle: T\ncolour: blue\n---\n\nBody.\n",
    );
    let run = bindery(
        dir.path(),
        &["build", "extra.md", "-o", "out", "-f", "json"],
    );
    run.assert_code(0);
    let warnings = run.lines_starting("warning:");
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("extra.md:3:") && l.contains("colour")),
        "{run}"
    );
    assert_eq!(listing(&dir.path().join("out")), ["extra.json"]);

    let run = bindery(
        dir.path(),
        &[
            "build",
            "extra.md",
            "-o",
            "denied",
            "-f",
            "json",
            "--deny-warnings",
        ],
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("colour"),
        "the denied warning is still shown:\n{run}"
    );
}

#[test]
fn unknown_format_is_a_usage_error_listing_the_valid_ones() {
    let dir = tempdir();
    write(dir.path(), "doc.md", GOOD);
    let run = bindery(
        dir.path(),
        &["build", "doc.md", "-f", "pdf,docx", "-o", "out"],
    );
    run.assert_code(2);
    for valid in ["pdf", "epub", "json"] {
        assert!(
            run.stderr.contains(valid),
            "usage error does not list {valid}:\n{run}"
        );
    }
    assert!(run.stderr.contains("docx"), "{run}");
    assert!(listing(&dir.path().join("out")).is_empty());
}

#[test]
fn other_usage_errors_exit_2() {
    let dir = tempdir();
    bindery(dir.path(), &["build", "--no-such-flag"]).assert_code(2);
    bindery(dir.path(), &["build", "-j", "many"]).assert_code(2);
    bindery(dir.path(), &["frobnicate"]).assert_code(2);
}

#[test]
fn help_documents_the_contract() {
    let dir = tempdir();
    let run = bindery(dir.path(), &["build", "--help"]);
    run.assert_code(0);
    for flag in [
        "--out-dir",
        "--format",
        "--jobs",
        "--deny-warnings",
        "--quiet",
        "--verbose",
        "--title",
        "--author",
        "--lang",
        "--date",
    ] {
        assert!(
            run.stdout.contains(flag),
            "`bindery build --help` does not mention {flag}:\n{run}"
        );
    }
    bindery(dir.path(), &["--help"]).assert_code(0);
    let run = bindery(dir.path(), &["--version"]);
    run.assert_code(0);
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")), "{run}");
}

#[test]
fn a_previous_good_output_survives_a_later_failure() {
    let dir = tempdir();
    let input = write(dir.path(), "book.md", GOOD);
    bindery(
        dir.path(),
        &["build", "book.md", "-o", "out", "-f", "pdf,epub,json"],
    )
    .assert_code(0);
    let good: Vec<Vec<u8>> = ["pdf", "epub", "json"]
        .iter()
        .map(|e| std::fs::read(dir.path().join(format!("out/book.{e}"))).unwrap())
        .collect();
    std::fs::write(&input, "---\ntitle: [broken\n---\n").unwrap();
    let run = bindery(
        dir.path(),
        &["build", s(&input), "-o", "out", "-f", "pdf,epub,json"],
    );
    assert_error(&run, "book.md", "");
    assert_eq!(
        listing(&dir.path().join("out")),
        ["book.epub", "book.json", "book.pdf"],
        "{run}"
    );
    for (e, bytes) in ["pdf", "epub", "json"].iter().zip(&good) {
        assert_eq!(
            &std::fs::read(dir.path().join(format!("out/book.{e}"))).unwrap(),
            bytes,
            "book.{e} changed"
        );
    }
}
