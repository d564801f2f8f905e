//! Issue 13, point 8, through the real binary: external backends (`--format NAME` runs
//! `bindery-NAME` from PATH on the model) and the built-in HTML backend (one self-contained
//! page per document), including the page opened in headless Chromium.

use crate::util::{
    bin, command, have_tool, listing, repo_root, run_cmd, s, tempdir, tool_output, write, Run,
};
use std::path::{Path, PathBuf};
use std::time::Duration;

const DOC: &str = "---\ntitle: Plugin Test\nauthor: Ada\n---\n\n# Start\n\nSome *text* and a \
                   table.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";

/// Writes an executable shell script `bindery-NAME` into `dir/bin` and returns that folder.
fn plugin(dir: &Path, name: &str, script: &str) -> PathBuf {
    let path = write(dir, &format!("bin/bindery-{name}"), script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir.join("bin")
}

/// Runs bindery in `dir` with `bin_dir` first on PATH and the extra environment `env`.
fn run_with_path(dir: &Path, bin_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command(&bin(), dir, args);
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin_dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(dirs).unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_cmd(cmd, Duration::from_secs(90))
}

#[test]
fn external_backend_receives_the_model_and_its_output_is_written() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    // Keeps what it was given, says something on stderr, prints a summary as its output.
    let bin_dir = plugin(
        dir.path(),
        "summary",
        "#!/bin/sh\ncat > received.json\necho 'one note from the plugin' >&2\n\
         printf 'summary of %s bytes\\n' \"$(wc -c < received.json | tr -d ' ')\"\n",
    );
    let run = run_with_path(
        dir.path(),
        &bin_dir,
        &["build", "doc.md", "-f", "summary,json", "-o", "out"],
        &[],
    );
    run.assert_code(0);
    assert_eq!(
        listing(&dir.path().join("out")),
        ["doc.json", "doc.summary"]
    );
    let received = std::fs::read(dir.path().join("received.json")).unwrap();
    // The model on stdin is exactly what `--format json` writes: the documented shape.
    assert_eq!(
        received,
        std::fs::read(dir.path().join("out/doc.json")).unwrap(),
        "the plugin got another model than --format json writes"
    );
    let model: serde_json::Value = serde_json::from_slice(&received).unwrap();
    assert_eq!(model["version"], serde_json::json!(1), "{model}");
    assert_eq!(model["meta"]["title"], "Plugin Test");
    assert_eq!(model["meta"]["authors"], serde_json::json!(["Ada"]));
    assert!(model["blocks"].as_array().is_some_and(|b| !b.is_empty()));
    let out = std::fs::read_to_string(dir.path().join("out/doc.summary")).unwrap();
    assert_eq!(out, format!("summary of {} bytes\n", received.len()));
    // Its stderr is reported as a warning naming it; --deny-warnings then fails the input.
    assert!(
        run.stderr
            .contains("bindery-summary: one note from the plugin"),
        "{run}"
    );
    let run = run_with_path(
        dir.path(),
        &bin_dir,
        &[
            "build",
            "doc.md",
            "-f",
            "summary",
            "-o",
            "denied",
            "--deny-warnings",
        ],
        &[],
    );
    run.assert_code(1);
    assert!(listing(&dir.path().join("denied")).is_empty(), "{run}");
}

#[test]
fn failing_external_backend_is_reported_and_nothing_is_written() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    let bin_dir = plugin(
        dir.path(),
        "broken",
        "#!/bin/sh\ncat > /dev/null\necho 'partial output'\n\
         echo 'bindery-broken: tables are not supported' >&2\nexit 3\n",
    );
    // A previous good output stays as it was, and the input's other formats are not written.
    write(dir.path(), "out/doc.broken", "old output");
    let run = run_with_path(
        dir.path(),
        &bin_dir,
        &["build", "doc.md", "-f", "epub,broken", "-o", "out"],
        &[],
    );
    run.assert_code(1);
    let errors = run.lines_starting("error:");
    assert!(
        errors.iter().any(|l| l.contains("doc.md")
            && l.contains("bindery-broken")
            && l.contains("exit status 3")
            && l.contains("tables are not supported")),
        "the error does not name the plugin, its status and what it said:\n{run}"
    );
    assert_eq!(listing(&dir.path().join("out")), ["doc.broken"], "{run}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/doc.broken")).unwrap(),
        "old output"
    );
}

#[test]
fn missing_or_misnamed_external_backend_is_a_usage_error() {
    let dir = tempdir();
    write(dir.path(), "doc.md", DOC);
    let empty_bin = dir.path().join("bin");
    std::fs::create_dir_all(&empty_bin).unwrap();
    for (format, needle) in [
        ("nosuchformat", "bindery-nosuchformat"),
        ("pdf,Bad.Name", "Bad.Name"),
        ("../x", "../x"),
    ] {
        let run = run_with_path(
            dir.path(),
            &empty_bin,
            &["build", "doc.md", "-f", format, "-o", "out"],
            &[],
        );
        run.assert_code(2);
        assert!(run.stderr.contains(needle), "{run}");
        assert!(
            run.stderr.contains("pdf, epub, html, json"),
            "the usage error does not list the built-in formats:\n{run}"
        );
        assert!(listing(&dir.path().join("out")).is_empty());
    }
    // A file of that name that is not executable is not a backend.
    write(dir.path(), "bin/bindery-text", "#!/bin/sh\ncat\n");
    let run = run_with_path(
        dir.path(),
        &empty_bin,
        &["build", "doc.md", "-f", "text", "-o", "out"],
        &[],
    );
    run.assert_code(2);
}

#[test]
fn external_backend_is_bounded_in_time_and_output_and_never_deadlocks() {
    let dir = tempdir();
    // A model far larger than a pipe's buffer (64 KiB), so a backend that writes before it
    // reads would deadlock a runner that fed stdin and read stdout on one thread.
    let mut big = String::from("# Big\n\n");
    for i in 0..6000 {
        big.push_str(&format!(
            "Paragraph {i} says something about the weather.\n\n"
        ));
    }
    write(dir.path(), "big.md", &big);
    write(dir.path(), "doc.md", DOC);
    let bin_dir = plugin(
        dir.path(),
        "early",
        "#!/bin/sh\nhead -c 300000 /dev/zero | tr '\\0' x\ncat > /dev/null\n",
    );
    plugin(dir.path(), "sleepy", "#!/bin/sh\nsleep 60\n");
    plugin(dir.path(), "flood", "#!/bin/sh\nyes bindery\n");
    let run = run_with_path(
        dir.path(),
        &bin_dir,
        &["build", "big.md", "-f", "early", "-o", "out"],
        &[],
    );
    run.assert_code(0);
    assert_eq!(
        std::fs::metadata(dir.path().join("out/big.early"))
            .unwrap()
            .len(),
        300_000
    );

    let run = run_with_path(
        dir.path(),
        &bin_dir,
        &["build", "doc.md", "-f", "sleepy", "-o", "slow"],
        &[("BINDERY_BACKEND_TIMEOUT", "1")],
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("bindery-sleepy") && run.stderr.contains("still running after 1 s"),
        "{run}"
    );
    assert!(listing(&dir.path().join("slow")).is_empty(), "{run}");

    let run = run_with_path(
        dir.path(),
        &bin_dir,
        &["build", "doc.md", "-f", "flood", "-o", "flooded"],
        &[("BINDERY_BACKEND_MAX_OUTPUT", "100000")],
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("bindery-flood") && run.stderr.contains("more than 100000 bytes"),
        "{run}"
    );
    assert!(listing(&dir.path().join("flooded")).is_empty(), "{run}");
}

/// Every value of `attr="..."` in `html`, with the 40 characters before it.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<(&'a str, &'a str)> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(&needle) {
        let start = from + at + needle.len();
        let end = start + html[start..].find('"').unwrap_or(0);
        let mut from_before = start.saturating_sub(40);
        while !html.is_char_boundary(from_before) {
            from_before -= 1;
        }
        let before = &html[from_before..start];
        out.push((before, &html[start..end]));
        from = end;
    }
    out
}

/// Asserts that the page loads nothing from anywhere: every `src` a `data:` URI, every `href`
/// an `#anchor` (or, on a link `<a>`, a web or mail address to follow, never fetched), no
/// `<link>`, `<script>`, `<iframe>`, `<object>` or CSS `url(...)`/`@import`.
fn assert_self_contained(html: &str, name: &str) {
    for (_, src) in attr_values(html, "src") {
        assert!(
            src.starts_with("data:"),
            "{name}: src=\"{src}\" is not embedded"
        );
    }
    for (before, href) in attr_values(html, "href") {
        let anchor = href.starts_with('#') && href.len() > 1;
        let followed = before.contains("<a ")
            && (href.starts_with("https://")
                || href.starts_with("http://")
                || href.starts_with("mailto:"));
        assert!(
            anchor || followed,
            "{name}: href=\"{href}\" after `{before}`"
        );
    }
    for tag in [
        "<link", "<script", "<iframe", "<object", "<embed", "@import", "url(",
    ] {
        assert!(!html.contains(tag), "{name}: holds `{tag}`");
    }
}

#[test]
fn html_page_is_self_contained_and_deterministic() {
    let dir = tempdir();
    let images = repo_root().join("content/images");
    for img in ["chart.png", "gradient.jpg", "diagram.svg"] {
        std::fs::copy(images.join(img), dir.path().join(img)).unwrap();
    }
    write(
        dir.path(),
        "doc.md",
        "---\ntitle: Page\nlang: en\n---\n\n# One {#one}\n\nSee [two](#two), [the other \
         file](other.md#x), [a site](https://example.org/) and a note.[^n]\n\n\
         ![A chart](chart.png)\n\nInline ![grad](gradient.jpg) and ![diagram](diagram.svg).\n\n\
         ![gone](missing.png)\n\n# Two {#two}\n\n$$x^2$$\n\n```rust\nfn main() {}\n```\n\n\
         [^n]: The note.\n",
    );
    let run = crate::util::bindery(dir.path(), &["build", "doc.md", "-f", "html", "-o", "a"]);
    run.assert_code(0);
    let html = std::fs::read_to_string(dir.path().join("a/doc.html")).unwrap();
    assert_self_contained(&html, "doc.html");
    assert_eq!(html.matches("<img src=\"data:image/").count(), 3, "{html}");
    for kind in ["image/png", "image/jpeg", "image/svg+xml"] {
        assert!(
            html.contains(&format!("src=\"data:{kind};base64,")),
            "no {kind}"
        );
    }
    assert!(html.contains("<a href=\"#two\">two</a>"), "{html}");
    assert!(html.contains("<a href=\"https://example.org/\">a site</a>"));
    // The link to a file outside the document is its text, with a warning at its line.
    assert!(html.contains("the other file"));
    assert!(run.stderr.contains("doc.md:8:"), "{run}");
    assert!(html.contains("href=\"#footnote-1\""), "{html}");
    assert!(
        html.contains("<style>") && html.contains("hyphens"),
        "EPUB styles inlined"
    );
    assert!(html.contains("<title>Page</title>"));
    // Same bytes every time.
    crate::util::bindery(dir.path(), &["build", "doc.md", "-f", "html", "-o", "b"]).assert_code(0);
    assert_eq!(
        std::fs::read(dir.path().join("b/doc.html")).unwrap(),
        html.as_bytes(),
        "two builds of one source differ"
    );
}

#[test]
fn html_of_the_sample_content_renders_in_chromium() {
    let dir = tempdir();
    let content = repo_root().join("content");
    let out = dir.path().join("out");
    let run = crate::util::bindery(
        &repo_root(),
        &["build", s(&content), "-f", "html", "-o", s(&out)],
    );
    run.assert_code(0);
    let pages = listing(&out);
    assert!(
        !pages.is_empty() && pages.iter().all(|p| p.ends_with(".html")),
        "{pages:?}"
    );
    let mut images_seen = 0;
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert_self_contained(&html, page);
        images_seen += html.matches("<img ").count();
    }
    assert!(images_seen >= 3, "content/ has images: {images_seen}");
    // Chromium is found as Debian names it (or as some other systems do).
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| tool_output(c, ["--version"]).0)
    else {
        have_tool("chromium", "opening the HTML output in a browser");
        return;
    };
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let expected = html.matches("<img ").count();
        // A probe appended after the page: when everything has loaded it records, on <body>,
        // how many images there are and which of them did not decode.
        let probe = "<script>window.addEventListener('load', function () {\n\
             var bad = [];\n\
             for (var i = 0; i < document.images.length; i++) {\n\
               var img = document.images[i];\n\
               if (!img.complete || img.naturalWidth === 0) bad.push(img.alt || String(i));\n\
             }\n\
             document.body.setAttribute('data-probe-images', String(document.images.length));\n\
             document.body.setAttribute('data-probe-broken', bad.join('|'));\n\
             });</script>\n</body>";
        let probed = dir.path().join(format!("probe-{page}"));
        std::fs::write(&probed, html.replacen("</body>", probe, 1)).unwrap();
        let profile = dir.path().join(format!("profile-{page}"));
        let mut cmd = std::process::Command::new(chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=10000",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", probed.display()))
        .stdin(std::process::Stdio::null());
        let run = run_cmd(cmd, Duration::from_secs(120));
        assert_eq!(run.code, Some(0), "chromium failed on {page}:\n{run}");
        assert!(
            run.stdout
                .contains(&format!("data-probe-images=\"{expected}\"")),
            "{page}: the probe did not see {expected} images:\n{}",
            run.stdout.chars().take(2000).collect::<String>()
        );
        assert!(
            run.stdout.contains("data-probe-broken=\"\""),
            "{page}: images that did not render: {}",
            run.stdout
                .split("data-probe-broken=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("?")
        );
        // The page has no script of its own and the probe logs nothing, so any console
        // message (an uncaught error, a refused load) is the page's fault.
        for line in run.stderr.lines() {
            let console_error = line.contains(":CONSOLE") || line.contains("Uncaught");
            let load_error = line.contains("Failed to load resource")
                || line.contains("net::ERR_")
                || line.contains("Refused to");
            assert!(
                !console_error && !load_error,
                "{page}: the browser reported: {line}"
            );
        }
    }
}
