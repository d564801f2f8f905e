//! Diagnostics you can act on (issue 13, point 4): rustc-style snippets with a caret under the
//! exact span, `--message-format json` (one object per line on stdout) and
//! `--message-format github` (workflow commands), through the real binary.

use crate::util::{bindery, tempdir, write};

/// A dead link in the middle of line 8, a missing image and a formula bindery cannot set on
/// line 9, an unknown front-matter key on line 3.
const DOC: &str = "---\ntitle: T\nfoo: bar\n---\n\n# Hi\n\n\
Some words and then [a dead link](#nowhere) in the middle.\n\
And ![pic](missing.png) here, $\\badmacro{x}$ and more.\n";

#[test]
fn the_caret_is_under_the_link_the_image_and_the_key() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    let run = bindery(dir.path(), &["check", "a.md"]);
    run.assert_code(0);
    let link =
        "warning[dead-link]: link to `#nowhere`: no heading or anchor has that id; kept as text\n \
 --> a.md:8:21\n  \
  |\n\
8 | Some words and then [a dead link](#nowhere) in the middle.\n  \
  |                     ^^^^^^^^^^^^^^^^^^^^^^^\n";
    assert!(run.stderr.contains(link), "{run}");
    let image = "warning[missing-image]: image `missing.png` cannot be read (no such file); its alt text is shown instead\n \
 --> a.md:9:5\n  \
  |\n\
9 | And ![pic](missing.png) here, $\\badmacro{x}$ and more.\n  \
  |     ^^^^^^^^^^^^^^^^^^^\n";
    assert!(run.stderr.contains(image), "{run}");
    // The formula, delimiters included.
    assert!(
        run.stderr.contains(
            " --> a.md:9:31\n  |\n9 | And ![pic](missing.png) here, $\\badmacro{x}$ and more.\n  \
               |                               ^^^^^^^^^^^^^^\n"
        ),
        "{run}"
    );
    // The unknown key, underlined.
    assert!(
        run.stderr
            .contains(" --> a.md:3:1\n  |\n3 | foo: bar\n  | ^^^\n"),
        "{run}"
    );
    assert!(run.stderr.contains("Checked 1 document in"), "{run}");
}

#[test]
fn a_bad_front_matter_value_points_at_the_value() {
    let dir = tempdir();
    // A control character in a value is removed with a warning at the value.
    write(
        dir.path(),
        "fm.md",
        "---\ntitle: T\nsubject: \"a\\x01b\"\n---\n\nText.\n",
    );
    let run = bindery(dir.path(), &["check", "fm.md"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains(" --> fm.md:3:10\n  |\n3 | subject: \"a\\x01b\"\n  |          ^^^^^^^^\n"),
        "{run}"
    );
    // A value of the wrong type is an error at the value's column.
    write(
        dir.path(),
        "bad.md",
        "---\ntitle: T\nsubtitle: [1, 2]\n---\n\nText.\n",
    );
    let run = bindery(dir.path(), &["check", "bad.md"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error[bad-value]: front matter: `subtitle`")
            && run
                .stderr
                .contains(" --> bad.md:3:11\n  |\n3 | subtitle: [1, 2]\n  |           ^\n"),
        "{run}"
    );
    // A length without its unit: the caret is under the value, the message names the units.
    write(
        dir.path(),
        "unit.md",
        "---\ntitle: T\nmargins: 2\n---\n\nText.\n",
    );
    let run = bindery(dir.path(), &["build", "unit.md", "-o", "out"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("`2` has no unit; use one length with a unit (mm, cm, in, pt or pc)")
            && run
                .stderr
                .contains(" --> unit.md:3:10\n  |\n3 | margins: 2\n  |          ^\n"),
        "{run}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn json_messages_are_one_object_per_line_on_stdout() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    let run = bindery(dir.path(), &["check", "a.md", "--message-format", "json"]);
    run.assert_code(0);
    let messages: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(messages.len(), 4, "{run}");
    let link = messages
        .iter()
        .find(|m| m["code"] == "dead-link")
        .expect("the dead link");
    assert_eq!(link["severity"], "warning");
    assert_eq!(link["file"], "a.md");
    assert_eq!(link["line"], 8);
    assert_eq!(link["column"], 21);
    assert_eq!(link["end_line"], 8);
    assert_eq!(link["end_column"], 21 + "[a dead link](#nowhere)".len());
    assert!(link["message"]
        .as_str()
        .unwrap()
        .starts_with("link to `#nowhere`"));
    assert!(
        link["rendered"]
            .as_str()
            .unwrap()
            .contains("\n  |                     ^^^^"),
        "{link}"
    );
    // An error has its place too.
    write(dir.path(), "bad.md", "---\ntitle: [1]\n---\n\nText.\n");
    let bad = bindery(dir.path(), &["check", "bad.md", "--message-format", "json"]);
    bad.assert_code(1);
    let error: serde_json::Value = serde_json::from_str(bad.stdout.trim()).expect("one object");
    assert_eq!(error["severity"], "error", "{bad}");
    assert_eq!(error["file"], "bad.md", "{bad}");
    assert_eq!(
        (&error["line"], &error["column"]),
        (&2.into(), &8.into()),
        "{bad}"
    );
    // Nothing for people mixed in, and the summary still on stderr.
    assert!(!run.stderr.contains("warning["), "{run}");
    assert!(run.stderr.contains("Checked 1 document"), "{run}");
}

#[test]
fn github_messages_are_workflow_commands() {
    let dir = tempdir();
    write(dir.path(), "a.md", DOC);
    let run = bindery(dir.path(), &["check", "a.md", "--message-format", "github"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(
            &"::warning file=a.md,line=8,col=21,endLine=8,endColumn=43,title=dead-link::link to \
              `#nowhere`: no heading or anchor has that id; kept as text"
        ),
        "{run}"
    );
    assert!(
        lines.contains(
            &"::warning file=a.md,line=3,col=1,endLine=3,endColumn=3,title=unknown-key::unknown \
              front-matter key `foo` (ignored)"
        ),
        "{run}"
    );
    assert_eq!(lines.len(), 4, "{run}");
    // Property values are escaped as the runner requires.
    write(dir.path(), "a,b:c.md", "See [x](#gone).\n");
    let run = bindery(
        dir.path(),
        &["check", "a,b:c.md", "--message-format", "github"],
    );
    assert!(
        run.stdout
            .starts_with("::warning file=a%2Cb%3Ac.md,line=1,col=5,endLine=1,endColumn=14,"),
        "{run}"
    );
    // Errors too, with the place they have.
    write(dir.path(), "bad.md", "---\ntitle: [1]\n---\n\nText.\n");
    let run = bindery(
        dir.path(),
        &["check", "bad.md", "--message-format", "github"],
    );
    run.assert_code(1);
    assert!(
        run.stdout.starts_with("::error file=bad.md,line=2,col=8::"),
        "{run}"
    );
}

#[test]
fn repeated_warnings_are_grouped_by_code() {
    let dir = tempdir();
    let mut md = String::from("# Links\n\n");
    for i in 0..8 {
        md.push_str(&format!("See [here](#gone-{i}).\n\n"));
    }
    md.push_str("![x](missing.png)\n");
    write(dir.path(), "many.md", &md);
    let run = bindery(dir.path(), &["check", "many.md"]);
    run.assert_code(0);
    assert_eq!(run.stderr.matches("warning[dead-link]").count(), 3, "{run}");
    assert!(
        run.stderr.contains(
            "note: 5 more `dead-link` warnings, at many.md:9:5, many.md:11:5, many.md:13:5 and 2 \
             more places (--verbose lists them all)"
        ),
        "{run}"
    );
    assert_eq!(
        run.stderr.matches("warning[missing-image]").count(),
        1,
        "{run}"
    );
    let run = bindery(dir.path(), &["check", "many.md", "-v"]);
    assert_eq!(run.stderr.matches("warning[dead-link]").count(), 8, "{run}");
}
