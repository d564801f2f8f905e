//! Right-to-left documents (issue 11): Arabic, Persian and Hebrew, each with Latin words and
//! numbers inside, through the real binary with the bundled fonts only. The PDF's text reads in
//! logical order, its lines end at the right margin, it is set in the bundled Naskh and Hebrew
//! faces (no bold face unless bold is asked for), and the EPUB carries `dir` and `xml:lang` and
//! passes EPUBCheck.

use crate::pdf::{bbox_pages, Block, Word, TOL};
use crate::util::{bindery_fast, epubcheck, have_tool, pdftotext, s, tempdir, tool_output, write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An Arabic guide: a justified paragraph long enough for three lines, with a Latin name, a
/// year, brackets and guillemets; a list, a quote and a code block.
const ARABIC: &str = "---\nlang: ar\n---\n\n\
هذا النص تجربة للكتابة من اليمين إلى اليسار. نكتب هنا جملة فيها اسم لاتيني مثل Rust وعدد مثل \
2024 ثم نكمل الكلام بالعربية حتى يمتد السطر ويتجاوز عرض الصفحة مرة أو مرتين، فنرى كيف تنكسر \
الأسطر وكيف تصطف عند الهامش الأيمن من الصفحة في كل سطر من أسطر الفقرة.\n\n\
الفقرة الثانية فيها أقواس (مثل هذه) و«علامات تنصيص» وكلمة bindery في آخرها.\n\n\
- البند الأول في القائمة\n- البند الثاني مع كلمة English في وسطه\n\n\
> اقتباس قصير فيه رقم 42 وكلمة PDF.\n\n```\nlet total = 42;\n```\n";

/// A Persian note: Persian digits, a zero-width non-joiner inside words, Latin names.
const PERSIAN: &str = "---\nlang: fa\n---\n\n\
این متن آزمایشی برای نوشتن از راست به چپ است. ما می‌خواهیم ببینیم که نام‌هایی مانند Markdown \
و عددهایی مانند 365 یا ۱۴۰۳ در میان جمله درست نشان داده می‌شوند و سطرها در لبه راست صفحه تمام \
می‌شوند، حتی وقتی که پاراگراف چند سطر دارد و کلمه‌های زیادی در آن هست.\n\n\
پاراگراف دوم کوتاه است و یک کلمه PDF دارد.\n";

/// A Hebrew letter: a Latin name, a year and an italic word (no bold anywhere in the text).
const HEBREW: &str = "---\nlang: he\n---\n\n\
זהו טקסט לניסיון של כתיבה מימין לשמאל. אנחנו כותבים כאן משפט שיש בו שם לועזי כמו Linux ומספר \
כמו 1948, וממשיכים בעברית עד שהשורה ארוכה יותר מרוחב העמוד, כדי לראות איך השורות נשברות ואיך \
הן מסתיימות בשוליים הימניים של העמוד בכל שורה ושורה.\n\n\
פסקה שנייה קצרה עם המילה EPUB, מילה *נטויה* ומספר 7.\n";

/// The three documents by file stem.
const DOCS: [(&str, &str); 3] = [("arabic", ARABIC), ("persian", PERSIAN), ("hebrew", HEBREW)];

/// Builds `text` as `<stem>.md` in `dir` to PDF and EPUB with the bundled fonts only; returns
/// the two files and the build's stderr.
fn build(dir: &Path, stem: &str, text: &str) -> (PathBuf, PathBuf, String) {
    write(dir, &format!("{stem}.md"), text);
    let run = bindery_fast(
        dir,
        &[
            "build",
            &format!("{stem}.md"),
            "-o",
            "out",
            "--no-system-fonts",
        ],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    let out = dir.join("out");
    (
        out.join(format!("{stem}.pdf")),
        out.join(format!("{stem}.epub")),
        run.stderr,
    )
}

/// Whether `c` is a mark (Arabic harakat and signs, Hebrew points): readers may put a mark
/// beside rather than after its letter, so words are compared without them.
fn is_mark(c: char) -> bool {
    matches!(u32::from(c), 0x0591..=0x05C7 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// The words of a text in order: runs of letters and digits, marks dropped (front matter and
/// Markdown syntax are not letters).
fn words(text: &str) -> Vec<String> {
    text.chars()
        .filter(|c| !is_mark(*c))
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The body of a source: everything after its front matter.
fn body(text: &str) -> &str {
    text.splitn(3, "---\n").nth(2).unwrap_or(text)
}

#[test]
fn right_to_left_pdfs_read_in_logical_order() {
    let dir = tempdir();
    for (stem, text) in DOCS {
        let (pdf, _, stderr) = build(dir.path(), stem, text);
        assert!(!stderr.contains("warning"), "{stem}: {stderr}");
        let Some(extracted) = pdftotext(&pdf) else {
            return;
        };
        // Every word of the source, in the source's order, as one sequence of the text's
        // (the page number and the title taken from the file name come around it).
        let want = words(body(text));
        let got = words(&extracted);
        let start = got
            .iter()
            .position(|w| *w == want[0])
            .unwrap_or_else(|| panic!("{stem}: `{}` not in:\n{extracted}", want[0]));
        assert_eq!(
            got[start..start + want.len()],
            want[..],
            "{stem}: the words are not in the order they were written:\n{extracted}"
        );
    }
}

/// Whether a word as `pdftotext -bbox` gives it is `want`: right-to-left words come in
/// drawing order there (their letters reversed).
fn is_word(bbox_text: &str, want: &str) -> bool {
    let got = words(bbox_text);
    let reversed: String = want.chars().rev().collect();
    got.iter().any(|w| *w == want || *w == reversed)
}

/// The words of a page in lines, each line sorted from left to right.
fn lines_of(words: &[Word]) -> Vec<Vec<Word>> {
    // By the middle of the boxes: the Naskh face's boxes are taller than the Latin face's.
    let mid = |w: &Word| (w.y0 + w.y1) / 2.0;
    let mut lines: Vec<Vec<Word>> = Vec::new();
    for w in words {
        match lines.iter_mut().find(|l| (mid(&l[0]) - mid(w)).abs() < 2.0) {
            Some(l) => l.push(w.clone()),
            None => lines.push(vec![w.clone()]),
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines.sort_by(|a, b| a[0].y1.total_cmp(&b[0].y1));
    lines
}

#[test]
fn right_to_left_lines_end_at_the_right_margin() {
    let dir = tempdir();
    for (stem, text) in DOCS {
        let (pdf, _, _) = build(dir.path(), stem, text);
        let Some(pages) = bbox_pages(&pdf) else {
            return;
        };
        let page = &pages[0];
        let block = Block::for_paper(page.width, page.height);
        // The first paragraph: from the line holding its first word, the lines down to its
        // last word.
        let first_para = body(text).trim_start().split("\n\n").next().unwrap();
        let want = words(first_para);
        let lines = lines_of(&page.words);
        let starts = lines
            .iter()
            .position(|l| l.iter().any(|w| is_word(&w.text, &want[0])))
            .unwrap_or_else(|| panic!("{stem}: no line starts with `{}`", want[0]));
        let last = want.last().unwrap();
        let ends = (starts..lines.len())
            .find(|&i| lines[i].iter().any(|w| is_word(&w.text, last)))
            .unwrap_or_else(|| panic!("{stem}: no line ends with `{last}`"));
        assert!(ends >= starts + 2, "{stem}: expected three lines or more");
        // The paragraph's first word is the rightmost of its first line.
        let first_line = &lines[starts];
        assert!(
            is_word(&first_line.last().unwrap().text, &want[0]),
            "{stem}: the first word is not at the right: {first_line:?}"
        );
        for (i, line) in lines[starts..=ends].iter().enumerate() {
            let right = line.last().unwrap().x1;
            let left = line[0].x0;
            // Every line ends at the right margin, the last one too (flush right)...
            assert!(
                (right - block.right).abs() <= TOL + 0.5,
                "{stem}: line {i} ends at {right:.1}, the margin is at {:.1}: {line:?}",
                block.right
            );
            // ...and every line but the last is justified to the left margin.
            if starts + i < ends {
                assert!(
                    (left - block.left).abs() <= TOL + 0.5,
                    "{stem}: line {i} starts at {left:.1}, not at the left margin {:.1}",
                    block.left
                );
            } else {
                assert!(left > block.left + 20.0, "{stem}: the last line is full");
            }
        }
    }
}

#[test]
fn right_to_left_text_is_set_in_the_bundled_faces_and_regular_stays_regular() {
    if !have_tool("pdffonts", "listing PDF fonts") {
        return;
    }
    let dir = tempdir();
    for (stem, text, face) in [
        ("arabic", ARABIC, "NotoNaskhArabic"),
        ("persian", PERSIAN, "NotoNaskhArabic"),
        ("hebrew", HEBREW, "NotoSerifHebrew"),
    ] {
        let (pdf, _, _) = build(dir.path(), stem, text);
        let (ok, fonts) = tool_output("pdffonts", [s(&pdf)]);
        assert!(ok, "{fonts}");
        assert!(
            fonts.contains(&format!("{face}-Regular")),
            "{stem}:\n{fonts}"
        );
        // No bold in the texts (the title, from the file name, is Latin): no bold face of the
        // script; and, but for the Arabic guide's code block, never a monospace face (the
        // script's letters come from the script face, not from DejaVu Sans Mono's Arabic).
        assert!(!fonts.contains(&format!("{face}-Bold")), "{stem}:\n{fonts}");
        assert!(!fonts.contains("DejaVuSansMono"), "{stem}:\n{fonts}");
        if stem != "arabic" {
            assert!(!fonts.contains("SourceCodePro"), "{stem}:\n{fonts}");
        }
        // Subsetted like the rest (a six-letter tag before the name).
        for line in fonts.lines().filter(|l| l.contains(face)) {
            assert_eq!(line.find('+'), Some(6), "{stem}: not subsetted: {line}");
        }
    }
}

#[test]
fn bold_right_to_left_text_takes_the_bold_face() {
    if !have_tool("pdffonts", "listing PDF fonts") {
        return;
    }
    let dir = tempdir();
    let (pdf, _, _) = build(
        dir.path(),
        "bold",
        "---\nlang: ar\n---\n\nكلمة **عريضة** هنا و*مائلة* هناك.\n\nמילה **מודגשת** כאן.\n",
    );
    let (ok, fonts) = tool_output("pdffonts", [s(&pdf)]);
    assert!(ok, "{fonts}");
    for face in [
        "NotoNaskhArabic-Regular",
        "NotoNaskhArabic-Bold",
        "NotoSerifHebrew-Bold",
    ] {
        assert!(fonts.contains(face), "{face}:\n{fonts}");
    }
}

#[test]
fn right_to_left_epubs_carry_direction_and_language_and_pass_epubcheck() {
    let dir = tempdir();
    for (stem, text, lang) in [
        ("arabic", ARABIC, "ar"),
        ("persian", PERSIAN, "fa"),
        ("hebrew", HEBREW, "he"),
    ] {
        let (_, epub, _) = build(dir.path(), stem, text);
        if have_tool("python3", "reading the EPUB") {
            let py = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n\
                      for n in sorted(z.namelist()):\n    if n.endswith(('.xhtml', '.opf')):\n        \
                      sys.stdout.write('\\n=== ' + n + '\\n' + z.read(n).decode())\n";
            let (ok, files) = tool_output("python3", ["-c", py, s(&epub)]);
            assert!(ok, "{files}");
            // The chapters (epub-builder's navigation document, nav.xhtml, is written from its
            // own template, which names no language for any book).
            let chapters = files
                .split("\n=== ")
                .filter(|d| d.contains(".xhtml\n") && !d.starts_with("OEBPS/nav.xhtml"));
            let mut n = 0;
            for doc in chapters {
                n += 1;
                assert!(
                    doc.contains(&format!("lang=\"{lang}\" xml:lang=\"{lang}\" dir=\"rtl\"")),
                    "{stem}: {doc}"
                );
            }
            assert!(n > 0, "{stem}: no chapter in {files}");
            // Code stays left to right in a right-to-left book.
            if stem == "arabic" {
                assert!(
                    files.contains("<pre dir=\"ltr\"><code>let total"),
                    "{files}"
                );
            }
            assert!(
                files.contains("page-progression-direction=\"rtl\""),
                "{stem}: {files}"
            );
            assert!(files.contains(&format!("<dc:language>{lang}</dc:language>")));
        }
        if let Some(check) = epubcheck(&epub) {
            assert_eq!(
                (check.errors, check.warnings),
                (0, 0),
                "{stem}: {:#?}",
                check.messages
            );
        }
    }
}

#[test]
fn a_left_to_right_document_sets_a_hebrew_paragraph_right_to_left() {
    // No language or direction given: each paragraph goes the way of its first letter.
    let dir = tempdir();
    let (pdf, _, _) = build(
        dir.path(),
        "mixed",
        "An English paragraph that starts at the left margin.\n\n\
         פסקה בעברית עם המילה Rust באמצע.\n",
    );
    let Some(pages) = bbox_pages(&pdf) else {
        return;
    };
    let page = &pages[0];
    let block = Block::for_paper(page.width, page.height);
    let lines = lines_of(&page.words);
    let english = lines
        .iter()
        .find(|l| l.iter().any(|w| w.text == "English"))
        .unwrap();
    assert!((english[0].x0 - block.left).abs() <= TOL, "{english:?}");
    let hebrew = lines
        .iter()
        .find(|l| l.iter().any(|w| is_word(&w.text, "פסקה")))
        .unwrap();
    let right = hebrew.last().unwrap();
    assert!(is_word(&right.text, "פסקה"), "{hebrew:?}");
    assert!((right.x1 - block.right).abs() <= TOL + 0.5, "{hebrew:?}");
}

#[test]
fn an_html_dir_attribute_sets_its_paragraphs_direction_in_both_outputs() {
    let dir = tempdir();
    let (pdf, epub, stderr) = build(
        dir.path(),
        "htmldir",
        "An English paragraph at the left margin.\n\n\
         <p dir=\"rtl\">Latin words in a right-to-left paragraph.</p>\n\n\
         <div dir=\"ltr\"><p>עברית בפסקה משמאל לימין.</p></div>\n",
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    if let Some(pages) = bbox_pages(&pdf) {
        let page = &pages[0];
        let block = Block::for_paper(page.width, page.height);
        let lines = lines_of(&page.words);
        let line = |word: &str| {
            lines
                .iter()
                .find(|l| l.iter().any(|w| is_word(&w.text, word)))
                .unwrap_or_else(|| panic!("no line with {word}: {lines:?}"))
        };
        // The right-to-left paragraph ends at the right margin, its full stop at its left.
        let rtl = line("Latin");
        assert!(
            (rtl.last().unwrap().x1 - block.right).abs() <= TOL + 0.5,
            "{rtl:?}"
        );
        assert!(rtl[0].text.starts_with('.'), "{rtl:?}");
        // The Hebrew paragraph set left to right starts at the left margin; its words are
        // one right-to-left run (the first at the run's right), its full stop at the right.
        let ltr = line("עברית");
        assert!((ltr[0].x0 - block.left).abs() <= TOL, "{ltr:?}");
        assert!(is_word(&ltr[0].text, "לימין"), "{ltr:?}");
        assert!(ltr.last().unwrap().text.ends_with('.'), "{ltr:?}");
    }
    if have_tool("python3", "reading the EPUB") {
        let py = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n\
                  print(''.join(z.read(n).decode() for n in z.namelist() if n.endswith('.xhtml')))";
        let (ok, xhtml) = tool_output("python3", ["-c", py, s(&epub)]);
        assert!(ok, "{xhtml}");
        assert!(xhtml.contains("<div dir=\"rtl\">"), "{xhtml}");
        // Inside a block of given direction no paragraph guesses its own.
        assert!(xhtml.contains("<div dir=\"ltr\">\n<p>עברית"), "{xhtml}");
    }
}

#[test]
fn a_right_to_left_table_of_contents_has_its_numbers_on_the_left() {
    let dir = tempdir();
    write(
        dir.path(),
        "toc.md",
        "---\ntitle: كتاب\nlang: ar\n---\n\n# الفصل الأول\n\nنص.\n\n# الفصل الثاني\n\nنص آخر.\n",
    );
    let run = bindery_fast(
        dir.path(),
        &[
            "build",
            "toc.md",
            "-o",
            "out",
            "-f",
            "pdf",
            "--toc",
            "--no-system-fonts",
        ],
        Duration::from_secs(60),
    );
    run.assert_code(0);
    let Some(pages) = bbox_pages(&dir.path().join("out/toc.pdf")) else {
        return;
    };
    let page = &pages[0];
    let block = Block::for_paper(page.width, page.height);
    let lines = lines_of(&page.words);
    // The first contents line (the heading's first occurrence): title at the right margin,
    // page number at the left one.
    let entry = lines
        .iter()
        .find(|l| l.iter().any(|w| is_word(&w.text, "الثاني")))
        .unwrap();
    assert!(
        (entry.last().unwrap().x1 - block.right).abs() <= TOL + 0.5,
        "{entry:?}"
    );
    assert_eq!(entry[0].text, "1", "{entry:?}");
    assert!(entry[0].x0 < block.left + 10.0, "{entry:?}");
}

#[test]
fn right_to_left_words_in_a_code_block_stand_from_the_right() {
    // A comment of three Hebrew words in a line of code: the run reads from its right end, so
    // its first word is drawn rightmost; before, each word was reversed but the words stood in
    // the order they were written.
    let dir = tempdir();
    let (pdf, _, _) = build(
        dir.path(),
        "code",
        "# Code\n\n```\n// שלום עולם יפה -> x\nlet a = \"مرحبا بالعالم\";\n```\n",
    );
    let Some(pages) = bbox_pages(&pdf) else {
        return;
    };
    let lines = lines_of(&pages[0].words);
    let x_of = |want: &str| -> f64 {
        let word = lines
            .iter()
            .flatten()
            .find(|w| w.text == want || is_word(&w.text, want))
            .unwrap_or_else(|| panic!("`{want}` not drawn: {lines:?}"));
        word.x0
    };
    assert!(x_of("יפה") < x_of("עולם"), "{lines:?}");
    assert!(x_of("עולם") < x_of("שלום"), "{lines:?}");
    assert!(x_of("بالعالم") < x_of("مرحبا"), "{lines:?}");
    // The left-to-right code around them keeps its place.
    assert!(
        x_of("//") < x_of("יפה") && x_of("שלום") < x_of("x"),
        "{lines:?}"
    );
}
