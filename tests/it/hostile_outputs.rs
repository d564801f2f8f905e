//! Hostile and broken input (issue 14), the outputs' side: every string reaching XML passes
//! one gate (control characters, noncharacters), attributes and titles are valid by
//! construction, links are judged once for every output, the outputs of one input replace the
//! previous ones together or not at all, stale temporary files are cleaned up, and messages
//! speak the author's language with file and line. Every EPUB written here passes EPUBCheck
//! (0 errors, 0 warnings) and every PDF `qpdf --check`.

use crate::util::{
    bindery, epubcheck, have_tool, listing, qpdf_check, tempdir, write, Run, EPUB_XML_PY,
};
use std::path::Path;

/// Builds `args` in `dir` (outputs into `dir/out`) and returns the run.
fn build(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    bindery(dir, &all)
}

/// EPUBCheck reports nothing, and every XML file of the EPUB parses (python's expat) with no
/// id given twice.
#[track_caller]
fn assert_valid_epub(epub: &Path) {
    if let Some(check) = epubcheck(epub) {
        assert!(
            check.errors == 0 && check.warnings == 0,
            "EPUBCheck on {}: {} errors, {} warnings\n{}",
            epub.display(),
            check.errors,
            check.warnings,
            check.messages.join("\n")
        );
    }
    if have_tool("python3", "parsing the EPUB's XML") {
        let out = std::process::Command::new("python3")
            .args(["-c", EPUB_XML_PY])
            .arg(epub)
            .output()
            .expect("run python3");
        assert!(
            out.status.success(),
            "{}: {}",
            epub.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `qpdf --check` passes.
#[track_caller]
fn assert_valid_pdf(pdf: &Path) {
    if let Some(Err(report)) = qpdf_check(pdf) {
        panic!("qpdf --check on {}:\n{report}", pdf.display());
    }
}

/// Both outputs of `name` in `dir/out` are valid.
#[track_caller]
fn assert_valid_outputs(dir: &Path, name: &str) {
    assert_valid_pdf(&dir.join(format!("out/{name}.pdf")));
    assert_valid_epub(&dir.join(format!("out/{name}.epub")));
}

/// The file `name` inside an EPUB, as text (python's zipfile; `None` without python).
fn entry(epub: &Path, name: &str) -> Option<String> {
    if !have_tool("python3", "reading the EPUB") {
        return None;
    }
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
        ])
        .arg(epub)
        .arg(name)
        .output()
        .expect("run python3");
    assert!(out.status.success(), "no {name} in {}", epub.display());
    Some(String::from_utf8(out.stdout).expect("UTF-8"))
}

/// The URIs of the PDF's link annotations.
fn pdf_uris(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let mut uris = Vec::new();
    for page in doc.get_pages().values() {
        for annot in doc.get_page_annotations(*page).unwrap_or_default() {
            let Ok(action) = annot.get(b"A") else {
                continue;
            };
            let Ok((_, action)) = doc.dereference(action) else {
                continue;
            };
            if let Ok(uri) = action.as_dict().and_then(|a| a.get(b"URI")) {
                uris.push(String::from_utf8_lossy(uri.as_str().unwrap_or_default()).into_owned());
            }
        }
    }
    uris
}

/// The hidden files (temporary files, backups) in a folder.
fn hidden(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect()
}

// -------------------------------------------------------------------------------------------
// 1. One gate for what XML cannot hold
// -------------------------------------------------------------------------------------------

#[test]
fn control_characters_and_noncharacters_never_reach_the_xml() {
    let dir = tempdir();
    // Raw controls in the body and a heading, U+FFFE in a heading, escapes in front matter
    // that put controls into the title, the subtitle, an author and the description.
    let md = "---\ntitle: \"Bad\\x01Title\\uFFFE\"\nsubtitle: \"\\x02\"\nauthor: [\"A\\x02da\", \"\\x03\"]\n\
              description: \"Line\\x0bbreak\"\nkeywords: [\"\\x1b[31m\"]\n---\n\n\
              # Head\u{1}ing\u{FFFE} one\n\nText with a bell\u{7} and an escape \u{1b}[0m.\n\n\
              ## Sub\u{b}head\n\nMore\u{c}text.\n\n# \u{2}\u{3}\n\nAfter an H1 of controls only.\n";
    write(dir.path(), "ctl.md", md);
    let run = build(dir.path(), &["ctl.md", "-o", "out"]);
    run.assert_code(0);
    // Told once per file, at the first such character, and once per front-matter value.
    assert!(
        run.one_line()
            .contains("warning: ctl.md:9:7: control character U+0001 removed"),
        "{run}"
    );
    assert!(
        run.one_line().contains("warning: ctl.md:2:8: `title`:"),
        "{run}"
    );
    assert_valid_outputs(dir.path(), "ctl");
    let epub = dir.path().join("out/ctl.epub");
    if let Some(opf) = entry(&epub, "OEBPS/content.opf") {
        assert!(
            opf.contains("<dc:title id=\"title\">BadTitle\u{FFFD}</dc:title>"),
            "{opf}"
        );
        assert!(opf.contains(">Ada</dc:creator>"), "{opf}");
        assert!(!opf.contains("subtitle"), "an empty subtitle: {opf}");
    }
    if let Some(nav) = entry(&epub, "OEBPS/nav.xhtml") {
        assert!(nav.contains(">Heading\u{FFFD} one</a>"), "{nav}");
        assert!(nav.contains(">Sub head</a>"), "{nav}");
    }

    // The command line never passes through a source: the XML gate alone stands between it
    // and content.opf.
    let dir = tempdir();
    write(dir.path(), "plain.md", "Just text.\n");
    let run = build(
        dir.path(),
        &[
            "plain.md",
            "-o",
            "out",
            "--title",
            "Cli\u{1}Title\u{FFFF}",
            "--author",
            "\u{2}",
        ],
    );
    run.assert_code(0);
    assert_valid_outputs(dir.path(), "plain");
    if let Some(opf) = entry(&dir.path().join("out/plain.epub"), "OEBPS/content.opf") {
        assert!(
            opf.contains("<dc:title id=\"title\">CliTitle\u{FFFD}</dc:title>"),
            "{opf}"
        );
        assert!(
            !opf.contains("dc:creator"),
            "an author of controls only: {opf}"
        );
    }
}

#[test]
fn repeated_attribute_keys_give_one_attribute_and_a_warning() {
    let dir = tempdir();
    write(
        dir.path(),
        "attrs.md",
        "Intro.\n\n# Title {key=v key=w Key=x data-key=y .c .c}\n\nText.\n",
    );
    let run = build(dir.path(), &["attrs.md", "-o", "out"]);
    run.assert_code(0);
    assert!(
        run.one_line()
            .contains("warning: attrs.md:3:1: attribute `key` is given more than once"),
        "{run}"
    );
    assert_valid_outputs(dir.path(), "attrs");
    if let Some(ch) = entry(&dir.path().join("out/attrs.epub"), "OEBPS/ch02.xhtml") {
        // The last value wins, as `{#a #b}` gives the id `b`.
        assert_eq!(ch.matches(" data-key=").count(), 1, "{ch}");
        assert!(ch.contains(" data-key=\"x\""), "{ch}");
        assert!(ch.contains(" data-data-key=\"y\""), "{ch}");
    }
}

#[test]
fn an_authors_id_never_takes_a_notes_place() {
    // Headings whose ids are the names the writer gives a note and its reference: the note
    // steps aside (its ids get a suffix), so no id is given twice and every link still leads
    // where it says.
    let dir = tempdir();
    write(
        dir.path(),
        "ids.md",
        "# One\n\nText[^1] and again[^1].\n\n## Ref {#footnote-ref-1}\n\n## Note {#footnote-1}\n\n\
         See [the heading](#footnote-ref-1).\n\n[^1]: The note.\n",
    );
    let run = build(dir.path(), &["ids.md", "-o", "out"]);
    run.assert_code(0);
    assert_valid_outputs(dir.path(), "ids");
    if let Some(ch) = entry(&dir.path().join("out/ids.epub"), "OEBPS/ch01.xhtml") {
        assert!(ch.contains("<h2 id=\"footnote-ref-1\">Ref</h2>"), "{ch}");
        assert!(ch.contains("<h2 id=\"footnote-1\">Note</h2>"), "{ch}");
        assert!(
            ch.contains("id=\"footnote-ref-1-2\" href=\"#footnote-1-2\""),
            "{ch}"
        );
        assert!(ch.contains("id=\"footnote-1-2\""), "{ch}");
        assert!(
            ch.contains("href=\"#footnote-ref-1-2\" role=\"doc-backlink\""),
            "{ch}"
        );
        assert!(
            ch.contains("<a href=\"ch01.xhtml#footnote-ref-1\">the heading</a>"),
            "{ch}"
        );
    }
}

#[test]
fn an_empty_title_falls_back_to_the_file_name() {
    let dir = tempdir();
    // An empty title in front matter, and a level-1 heading with nothing to read (an image
    // that is missing, no alt text).
    write(
        dir.path(),
        "field-notes.md",
        "---\ntitle: \"\"\n---\n\n# ![](missing.png)\n\nText.\n\n## Section\n\nMore.\n",
    );
    let run = build(dir.path(), &["field-notes.md", "-o", "out"]);
    run.assert_code(0);
    assert_valid_outputs(dir.path(), "field-notes");
    let epub = dir.path().join("out/field-notes.epub");
    if let Some(ch) = entry(&epub, "OEBPS/ch01.xhtml") {
        assert!(ch.contains("<title>field-notes</title>"), "{ch}");
    }
    if let Some(opf) = entry(&epub, "OEBPS/content.opf") {
        assert!(
            opf.contains("<dc:title id=\"title\">field-notes</dc:title>"),
            "{opf}"
        );
    }
}

// -------------------------------------------------------------------------------------------
// 2. Links: judged once, for every output
// -------------------------------------------------------------------------------------------

/// A 1x1 PNG.
fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 1, 1);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[10, 20, 30]).unwrap();
    }
    bytes
}

#[test]
fn links_no_book_may_carry_become_text_in_every_output() {
    let dir = tempdir();
    write(dir.path(), "pic.png", png());
    write(
        dir.path(),
        "links.md",
        "# Links\n\n![A picture](pic.png)\n\n\
         [js](javascript:alert(1)) [split](<java\tscript:x>) [file](file:///etc/passwd) \
         [data](data:text/html,hi) [pic](pic.png) [odd](foo:bar)\n\n\
         [web](https://example.org/) and [mail](mailto:a@example.org)\n\n\
         <a href=\"JAVASCRIPT:alert(2)\">rawjs</a> and <a href=\"data:x\">rawdata</a>\n",
    );
    // --verbose: every refused link is checked below, so none may be summarised.
    let run = build(dir.path(), &["links.md", "-o", "out", "--verbose"]);
    run.assert_code(0);
    for (col, what) in [
        ("5:1", "javascript:alert(1)"),
        ("5:27", "script:x"),
        ("5:52", "file:///etc/passwd"),
        ("5:79", "data:text/html,hi"),
    ] {
        let line = run
            .lines_starting(&format!("warning: links.md:{col}: link to `"))
            .join("\n");
        assert!(
            line.contains(what) && line.contains("kept as text"),
            "{col} {what}:\n{run}"
        );
    }
    assert!(
        run.stderr
            .contains("link to `pic.png` kept as text: it leads to a picture"),
        "{run}"
    );
    assert!(
        run.stderr.contains("link to `foo:bar` kept as text"),
        "{run}"
    );
    assert!(
        run.stderr.contains("link to `JAVASCRIPT:alert(2)`"),
        "{run}"
    );
    assert_valid_outputs(dir.path(), "links");
    let ch = entry(&dir.path().join("out/links.epub"), "OEBPS/ch01.xhtml");
    if let Some(ch) = ch {
        for gone in [
            "javascript",
            "JAVASCRIPT",
            "file:",
            "data:",
            "foo:",
            "href=\"images/",
        ] {
            assert!(!ch.contains(gone), "{gone} in {ch}");
        }
        assert!(
            ch.contains("<a href=\"https://example.org/\">web</a>"),
            "{ch}"
        );
        assert!(ch.contains("<p>js split file data pic odd</p>"), "{ch}");
        assert!(ch.contains("<p>rawjs and rawdata</p>"), "{ch}");
    }
    // The PDF: no link annotation for any of them; the good ones are kept.
    let uris = pdf_uris(&dir.path().join("out/links.pdf"));
    assert_eq!(
        uris,
        ["https://example.org/", "mailto:a@example.org"],
        "{uris:?}"
    );
}

// -------------------------------------------------------------------------------------------
// 3. All-or-nothing outputs, stale temporary files
// -------------------------------------------------------------------------------------------

/// A first build of `x.md` into `out`; returns the bytes of its PDF and EPUB.
fn first_build(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    write(dir, "x.md", "# Doc\n\nThe first version.\n");
    build(dir, &["x.md", "-o", "out"]).assert_code(0);
    let read = |ext: &str| std::fs::read(dir.join(format!("out/x.{ext}"))).unwrap();
    let old = (read("pdf"), read("epub"));
    write(
        dir,
        "x.md",
        "# Doc\n\nThe second version, which must not half-replace the first.\n",
    );
    old
}

#[test]
fn a_failed_write_leaves_the_previous_outputs_together() {
    // The EPUB cannot be replaced (a folder is in its place): the PDF, renamed first, is put
    // back, so the old pair stays a pair.
    let dir = tempdir();
    let (old_pdf, _) = first_build(dir.path());
    let out = dir.path().join("out");
    std::fs::remove_file(out.join("x.epub")).unwrap();
    std::fs::create_dir_all(out.join("x.epub/inside")).unwrap();
    let run = build(dir.path(), &["x.md", "-o", "out"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("out/x.epub: cannot write:")
            && run.stderr.contains("put back as they were"),
        "{run}"
    );
    assert_eq!(
        std::fs::read(out.join("x.pdf")).unwrap(),
        old_pdf,
        "the PDF was replaced"
    );
    assert_eq!(hidden(&out), Vec::<String>::new(), "temporary files left");

    // The PDF cannot be replaced: nothing is.
    let dir = tempdir();
    let (_, old_epub) = first_build(dir.path());
    let out = dir.path().join("out");
    std::fs::remove_file(out.join("x.pdf")).unwrap();
    std::fs::create_dir_all(out.join("x.pdf/inside")).unwrap();
    let run = build(dir.path(), &["x.md", "-o", "out"]);
    run.assert_code(1);
    assert!(run.stderr.contains("nothing was replaced"), "{run}");
    assert_eq!(std::fs::read(out.join("x.epub")).unwrap(), old_epub);
    assert_eq!(hidden(&out), Vec::<String>::new(), "temporary files left");
    assert_valid_epub(&out.join("x.epub"));
}

#[test]
fn an_output_folder_that_cannot_be_made_writes_nothing() {
    let dir = tempdir();
    write(dir.path(), "x.md", "# Doc\n\nText.\n");
    write(dir.path(), "afile", "not a folder\n");
    let run = build(dir.path(), &["x.md", "-o", "afile/out"]);
    run.assert_code(1);
    assert!(run.stderr.contains("afile/out/x."), "{run}");
    assert!(run.stderr.contains("cannot write"), "{run}");
    assert_eq!(listing(dir.path()), ["afile", "x.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("afile")).unwrap(),
        "not a folder\n"
    );
}

#[test]
fn a_read_only_folder_keeps_the_previous_outputs() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let (old_pdf, old_epub) = first_build(dir.path());
    let out = dir.path().join("out");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into read-only folders: then the build runs as `nobody` (through setpriv),
    // who may read the sources but not write into the folder.
    let probe = out.join(".probe");
    let as_root = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    let run = if !as_root {
        build(dir.path(), &["x.md", "-o", "out"])
    } else if have_tool("setpriv", "building as another user") {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(crate::util::bin())
            .args(["build", "x.md", "-o", "out"])
            .current_dir(dir.path())
            .env("LC_ALL", "C.UTF-8")
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(std::process::Stdio::null());
        crate::util::run_cmd(cmd, std::time::Duration::from_secs(60))
    } else {
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    };
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    run.assert_code(1);
    assert!(run.stderr.contains("cannot write"), "{run}");
    assert_eq!(std::fs::read(out.join("x.pdf")).unwrap(), old_pdf);
    assert_eq!(std::fs::read(out.join("x.epub")).unwrap(), old_epub);
    assert_eq!(hidden(&out), Vec::<String>::new());
}

/// A process id no process can have (above the kernel's maximum), else a large one.
fn dead_pid() -> u64 {
    std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(4_194_304 + 1, |max| max + 1)
}

#[test]
fn stale_temporary_files_of_killed_builds_are_removed() {
    let dir = tempdir();
    write(dir.path(), "x.md", "# Doc\n\nText.\n");
    let out = dir.path().join("out");
    let dead = dead_pid();
    let alive = std::process::id();
    let stale = [
        format!(".x.pdf.{dead}.tmp"),
        format!(".x.epub.{dead}.tmp"),
        format!(".other.pdf.{dead}.bak"),
    ];
    // A build still running (this process is alive) and files bindery does not name.
    let kept = [
        format!(".x.pdf.{alive}.tmp"),
        format!(".notes.txt.{dead}.tmp"),
        ".x.pdf.tmp".to_owned(),
    ];
    for name in stale.iter().chain(&kept) {
        write(&out, name, "partial");
    }
    let run = build(dir.path(), &["x.md", "-o", "out"]);
    run.assert_code(0);
    let mut expected: Vec<String> = kept.to_vec();
    expected.sort();
    assert_eq!(hidden(&out), expected);
    assert_valid_outputs(dir.path(), "x");
}

// -------------------------------------------------------------------------------------------
// 4. Messages
// -------------------------------------------------------------------------------------------

/// Library wording that must never reach the author.
const LEAKS: [&str; 6] = [
    "Option<",
    "DuplicateKeyPolicy",
    "budget breached",
    "Options",
    "Nodes {",
    "serde",
];

/// Builds `md` (as `fm.md`) to JSON and returns the run, which must fail with one error that
/// names the file and line `at` and contains `says`.
#[track_caller]
fn front_matter_error(md: &str, at: &str, says: &str) -> Run {
    let dir = tempdir();
    write(dir.path(), "fm.md", md);
    let run = build(dir.path(), &["fm.md", "-o", "out", "-f", "json,epub"]);
    run.assert_code(1);
    let errors = run.lines_starting("error:");
    assert_eq!(errors.len(), 1, "{run}");
    assert!(
        errors[0].starts_with(&format!("error: fm.md:{at}")),
        "{run}"
    );
    assert!(errors[0].contains(says), "{run}");
    for leak in LEAKS {
        assert!(!run.stderr.contains(leak), "`{leak}` leaked:\n{run}");
    }
    assert!(!dir.path().join("out").exists(), "something was written");
    run
}

#[test]
fn front_matter_errors_are_plain() {
    front_matter_error(
        "---\ntitle: A\nauthor: B\ntitle: C\n---\n\nx\n",
        "4:",
        "`title` is set twice (first on line 2); keep one",
    );
    front_matter_error("---\n~: b\n---\n\nx\n", "2:", "a key is empty");
    front_matter_error("---\ntitle: x\n: b\n---\n\nx\n", "3:", "a key is empty");
    front_matter_error(
        "---\n[a, b]: c\n---\n\nx\n",
        "2:",
        "keys must be plain names",
    );
    front_matter_error("---\ntitle: .nan\n---\n\nx\n", "2:", "not a usable number");
    front_matter_error(
        "---\ntitle: *nowhere\n---\n\nx\n",
        "2:",
        "refers to no anchor",
    );
    front_matter_error(
        "+++\ntitle = \"a\"\nauthor = \"b\"\ntitle = \"c\"\n+++\n\nx\n",
        "4:",
        "`title` is set twice (first on line 2); keep one",
    );
    // Billion laughs: nine levels of nine aliases each would be 387 million strings.
    let mut md = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for name in 'b'..='i' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        md.push_str(&format!("{name}: &{name} [{refs}]\n"));
        prev = name;
    }
    md.push_str("title: x\n---\n\nbody\n");
    let run = front_matter_error(&md, "", "too large");
    assert!(run.elapsed.as_secs() < 20, "{run}");
    // Deep nesting.
    let deep = format!(
        "---\ntitle: x\ndeep: {}1{}\n---\n\nx\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    front_matter_error(&deep, "3:", "");
}

#[test]
fn control_characters_in_front_matter_are_read_not_refused() {
    // A raw control character used to stop the YAML parser ("unexpected character").
    let dir = tempdir();
    write(
        dir.path(),
        "fm.md",
        "---\ntitle: Bell\u{7}s\n---\n\nText.\n",
    );
    let run = build(dir.path(), &["fm.md", "-o", "out"]);
    run.assert_code(0);
    assert!(
        run.one_line()
            .contains("warning: fm.md:2:12: control character U+0007 removed"),
        "{run}"
    );
    assert_valid_outputs(dir.path(), "fm");
}

#[test]
fn book_toml_duplicate_keys_are_named() {
    let dir = tempdir();
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"A\"\nauthors = [\"B\"]\ntitle = \"C\"\n",
    );
    write(
        dir.path(),
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n",
    );
    write(dir.path(), "src/one.md", "# One\n\nText.\n");
    let run = build(dir.path(), &["book.toml", "-o", "out"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("book.toml:4: `title` is set twice (first on line 2); keep one"),
        "{run}"
    );
}

#[test]
fn font_errors_name_the_document_or_the_option() {
    let dir = tempdir();
    write(dir.path(), "fonts/broken.ttf", "not a font");
    write(dir.path(), "empty/readme.txt", "no fonts here");
    // Front matter: the document and the line that asked for the folder.
    write(
        dir.path(),
        "doc.md",
        "---\ntitle: T\nfonts: fonts\n---\n\nText.\n",
    );
    let run = build(dir.path(), &["doc.md", "-o", "out"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: doc.md:3: front matter `fonts`: fonts/broken.ttf: not a usable"),
        "{run}"
    );
    write(
        dir.path(),
        "doc.md",
        "---\ntitle: T\nfonts: missing\n---\n\nText.\n",
    );
    let run = build(dir.path(), &["doc.md", "-o", "out"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: doc.md:3: front matter `fonts`: missing"),
        "{run}"
    );
    assert!(!dir.path().join("out").exists());

    // The command line: usage errors (exit 2) that name the option.
    write(dir.path(), "plain.md", "Text.\n");
    for (folder, says) in [
        ("nowhere", "--font-dir"),
        ("plain.md", "is not a folder"),
        ("empty", "--font-dir: empty: no font files"),
        ("fonts", "--font-dir: fonts/broken.ttf: not a usable"),
    ] {
        let run = build(dir.path(), &["plain.md", "-o", "out", "--font-dir", folder]);
        run.assert_code(2);
        assert!(run.stderr.contains(says), "{folder}: {run}");
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_bad_language_is_a_usage_error() {
    let dir = tempdir();
    write(dir.path(), "plain.md", "Text.\n");
    for lang in ["bad lang!", "", "e", "en_US"] {
        let run = build(dir.path(), &["plain.md", "-o", "out", "--lang", lang]);
        run.assert_code(2);
        assert!(run.stderr.contains("--lang"), "{lang}: {run}");
    }
    build(dir.path(), &["plain.md", "-o", "out", "--lang", "pt-BR"]).assert_code(0);
    assert_valid_outputs(dir.path(), "plain");
}
