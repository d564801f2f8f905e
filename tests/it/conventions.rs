//! Local conventions by `lang` (issue 11, point 6), through the real binary in both outputs:
//! quotation marks as the language prints them, the generated words (contents, alerts,
//! listings) in the language, and the date written out in its form.

use crate::util::{bindery, epubcheck, listing, output_text, tempdir, write};
use std::path::Path;

/// One document per language, the same Markdown with only `lang` changed.
fn document(lang: &str) -> String {
    format!(
        "---\ntitle: Test\nlang: {lang}\ndate: 2026-11-25\ntoc: true\n---\n\n\
         # One\n\n\
         Alpha \"beta\" gamma 'delta' epsilon, Hans' and don't.\n\n\
         > [!NOTE]\n> Body of the note.\n\n\
         > [!CAUTION]\n> Body of the caution.\n\n\
         <Listing number=\"1-2\" file-name=\"src/main.rs\" caption=\"A program\">\n\n\
         ```rust\nfn main() {{}}\n```\n\n\
         </Listing>\n\n\
         ## Two\n\nEnd.\n"
    )
}

/// What each language must print: lang, then the quoted sentence, the contents' title, the
/// note's and the caution's titles, the listing label, the file-name word and the date.
type Expected = [&'static str; 8];

const EXPECTED: &[Expected] = &[
    [
        "en",
        "Alpha \u{201C}beta\u{201D} gamma \u{2018}delta\u{2019} epsilon, Hans\u{2019} and don\u{2019}t.",
        "Contents",
        "Note",
        "Caution",
        "Listing 1-2",
        "Filename",
        "November 25, 2026",
    ],
    [
        "de",
        "Alpha \u{201E}beta\u{201C} gamma \u{201A}delta\u{2018} epsilon, Hans\u{2019} and don\u{2019}t.",
        "Inhalt",
        "Hinweis",
        "Vorsicht",
        "Listing 1-2",
        "Dateiname",
        "25. November 2026",
    ],
    [
        "fr",
        "Alpha \u{AB}\u{202F}beta\u{202F}\u{BB} gamma \u{201C}delta\u{201D} epsilon, Hans\u{2019} and don\u{2019}t.",
        "Table des matières",
        "Remarque",
        "Attention",
        "Encart 1-2",
        "Nom du fichier",
        "25 novembre 2026",
    ],
    [
        "ru",
        "Alpha \u{AB}beta\u{BB} gamma \u{201E}delta\u{201C} epsilon, Hans\u{2019} and don\u{2019}t.",
        "Содержание",
        "Примечание",
        "Осторожно",
        "Листинг 1-2",
        "Имя файла",
        "25 ноября 2026\u{A0}г.",
    ],
    [
        "pl",
        "Alpha \u{201E}beta\u{201D} gamma \u{AB}delta\u{BB} epsilon, Hans\u{2019} and don\u{2019}t.",
        "Spis treści",
        "Uwaga",
        "Przestroga",
        "Listing 1-2",
        "Nazwa pliku",
        "25 listopada 2026",
    ],
    [
        "es",
        "Alpha \u{AB}beta\u{BB} gamma \u{201C}delta\u{201D} epsilon, Hans\u{2019} and don\u{2019}t.",
        "Índice",
        "Nota",
        "Precaución",
        "Listado 1-2",
        "Nombre de archivo",
        "25 de noviembre de 2026",
    ],
    [
        "tr",
        "Alpha \u{201C}beta\u{201D} gamma \u{2018}delta\u{2019} epsilon, Hans\u{2019} and don\u{2019}t.",
        "İçindekiler",
        "Not",
        "Dikkat",
        "Liste 1-2",
        "Dosya adı",
        "25 Kasım 2026",
    ],
];

/// Whitespace as the outputs' text leaves it folded to single spaces, so that a sentence can be
/// found whole across line breaks. No-break spaces are kept, but in a PDF (`pdf`) they are
/// folded too: `pdftotext` reports them as word gaps (the narrow one's width, about 2 pt
/// against 6 pt for a word space, is what the PDF sets).
fn folded(text: &str, pdf: bool) -> String {
    text.split(|c: char| c.is_whitespace() && (pdf || !matches!(c, '\u{202F}' | '\u{A0}')))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn quotes_words_and_dates_follow_the_language_in_both_outputs() {
    let dir = tempdir();
    for &[lang, sentence, contents, note, caution, listing, file_name, date] in EXPECTED {
        let src = write(dir.path(), &format!("{lang}.md"), document(lang));
        bindery(dir.path(), &["build", src.to_str().unwrap(), "-o", "out"]).assert_code(0);
        for ext in ["pdf", "epub"] {
            let out = dir.path().join(format!("out/{lang}.{ext}"));
            let Some(text) = output_text(&out) else {
                return;
            };
            let pdf = ext == "pdf";
            let text = folded(&text, pdf);
            for want in [sentence, note, caution, file_name, date] {
                assert!(
                    text.contains(&folded(want, pdf)),
                    "{lang}.{ext}: `{want}` missing from\n{text}"
                );
            }
            assert!(
                text.contains(&folded(listing, pdf)),
                "{lang}.{ext}: listing label `{listing}` missing from\n{text}"
            );
            if ext == "pdf" {
                // The EPUB's contents are its navigation document, outside the spine.
                assert!(text.contains(contents), "{lang}.pdf: `{contents}` missing");
            }
        }
        let epub = dir.path().join(format!("out/{lang}.epub"));
        assert!(
            epub_file(&epub, "nav.xhtml").contains(contents),
            "{lang}: the EPUB navigation is not titled `{contents}`"
        );
        if let Some(check) = epubcheck(&epub) {
            assert!(
                check.errors == 0 && check.warnings == 0,
                "{lang}: {}",
                check.messages.join("\n")
            );
        }
    }
}

#[test]
fn dates_not_written_in_full_are_printed_as_written() {
    let dir = tempdir();
    for date in ["2026", "Spring 2026"] {
        let src = write(
            dir.path(),
            "d.md",
            format!("---\ntitle: T\nlang: de\ndate: {date}\n---\n\nText.\n"),
        );
        bindery(dir.path(), &["build", src.to_str().unwrap(), "-o", "out"]).assert_code(0);
        let Some(text) = output_text(&dir.path().join("out/d.pdf")) else {
            return;
        };
        assert!(
            text.contains(date),
            "`{date}` not printed as written:\n{text}"
        );
    }
}

#[test]
fn a_book_in_german_gets_german_quotes_in_every_chapter() {
    let dir = tempdir();
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"Buch\"\nlanguage = \"de\"\n",
    );
    write(
        dir.path(),
        "src/SUMMARY.md",
        "# Summary\n\n- [Eins](eins.md)\n- [Zwei](zwei.md)\n",
    );
    write(dir.path(), "src/eins.md", "# Eins\n\nEr sagte \"ja\".\n");
    write(dir.path(), "src/zwei.md", "# Zwei\n\nSie sagte \"nein\".\n");
    bindery(dir.path(), &["build", ".", "-o", "out"]).assert_code(0);
    for ext in ["pdf", "epub"] {
        let name = listing(&dir.path().join("out"))
            .into_iter()
            .find(|n| n.ends_with(ext))
            .expect("an output");
        let Some(text) = output_text(&dir.path().join("out").join(name)) else {
            return;
        };
        for want in ["\u{201E}ja\u{201C}", "\u{201E}nein\u{201C}"] {
            assert!(text.contains(want), "buch.{ext}: `{want}` missing:\n{text}");
        }
    }
}

/// One file of an EPUB, as text (read with Python's zipfile, as `util::output_text` does).
fn epub_file(epub: &Path, suffix: &str) -> String {
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n\
                  print(next(z.read(n).decode() for n in z.namelist() if n.endswith(sys.argv[2])))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(epub)
        .arg(suffix)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
