//! No text leaves the page or runs into the next table cell, however long its words: compounds
//! longer than the line break at their hyphens, then anywhere; words wider than the line or
//! their cell break between graphemes; a table column is never narrower than its widest
//! unbreakable word (several styled runs with no break opportunity between them are one word).
//! Checked on `pdftotext -bbox` word boxes of the real binary's output, and all text must come
//! back (ignoring white space and hyphens, which line breaks add or remove).

use crate::pdf::{bbox_pages, build_into, Block, BoxPage, Word, TOL};
use crate::util::{tempdir, write};

/// Builds `md` to PDF and reads its word boxes; `None` when pdftotext is missing.
fn build(md: &str) -> Option<Vec<BoxPage>> {
    let dir = tempdir();
    let src = write(dir.path(), "doc.md", md);
    let built = build_into(&src, &dir.path().join("out"), &[]);
    bbox_pages(&built.pdf)
}

/// Text with white space and hyphens removed: what survives any line breaking.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}' | '\u{ad}'))
        .collect()
}

/// Every word that crosses the text block's left or right edge (1 pt tolerance).
fn outside(pages: &[BoxPage]) -> Vec<String> {
    let mut bad = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let block = Block::for_paper(page.width, page.height);
        for w in &page.words {
            if w.x1 > block.right + TOL || w.x0 < block.left - TOL {
                bad.push(format!(
                    "page {}: '{}' at x {:.1}..{:.1} (text block {:.1}..{:.1})",
                    n + 1,
                    w.text,
                    w.x0,
                    w.x1,
                    block.left,
                    block.right
                ));
            }
        }
    }
    bad
}

/// Asserts nothing crosses the margins and every source word comes back.
#[track_caller]
fn assert_inside_and_complete(pages: &[BoxPage], words: &[&str]) {
    let bad = outside(pages);
    assert!(
        bad.is_empty(),
        "text beside the text block:\n{}",
        bad.join("\n")
    );
    let all: String = pages
        .iter()
        .flat_map(|p| &p.words)
        .map(|w| w.text.as_str())
        .collect();
    let all = squeeze(&all);
    for w in words {
        assert!(
            all.contains(&squeeze(w)),
            "'{w}' does not come back whole from the PDF:\n{all}"
        );
    }
}

/// `n` characters of a word with no hyphen and no break opportunity.
fn long_word(n: usize) -> String {
    (0..n).map(|i| (b'a' + (i % 26) as u8) as char).collect()
}

/// A chain of `parts` words joined by hyphens, ending in a comma.
fn compound(parts: usize) -> String {
    let names = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda",
    ];
    let chain: Vec<&str> = (0..parts).map(|i| names[i % names.len()]).collect();
    format!("{},", chain.join("-"))
}

#[test]
fn overflow_long_compound_breaks_at_its_hyphens() {
    let chain = compound(25);
    assert!(chain.len() >= 150, "{}", chain.len());
    let md = format!(
        "# Compounds\n\nA paragraph that holds a very long compound {chain} and then goes on \
         with ordinary words for a while so that the lines around it are justified.\n\n\
         - In a list: {chain} and more.\n\n> Quoted: {chain} and more.\n"
    );
    let Some(pages) = build(&md) else { return };
    assert_inside_and_complete(&pages, &[&chain]);
    // Each part is shorter than a line, so the compound breaks only after its own hyphens:
    // every line's share of it but the last ends in one.
    let pieces: Vec<&Word> = pages
        .iter()
        .flat_map(|p| &p.words)
        .filter(|w| w.text.matches('-').count() >= 2)
        .collect();
    assert!(pieces.len() >= 6, "{pieces:?}");
    let ends: Vec<&str> = pieces
        .iter()
        .filter(|w| !w.text.ends_with(','))
        .map(|w| w.text.as_str())
        .collect();
    assert!(ends.iter().all(|t| t.ends_with('-')), "{ends:?}");
}

#[test]
fn overflow_long_words_break_between_graphemes() {
    let plain = long_word(300);
    let url = format!("https://example.com/{}", long_word(280).replace('k', "/"));
    // A German-style compound of real parts, 300 characters and more.
    let german = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamten\
                  gesellschaftsoberkommissionsvorsitzendenstellvertreterinnenwahl"
        .repeat(3);
    assert!(german.chars().count() >= 300);
    // One word made of three styled runs (bold, code, regular) and no break opportunity.
    let styled_tail = long_word(250);
    let md = format!(
        "# Words\n\nPlain {plain} word.\n\nAn address {url} here.\n\nGerman {german} too.\n\n\
         Styled **Bold**`code`{styled_tail} word.\n\n- Listed {plain} word.\n"
    );
    let Some(pages) = build(&md) else { return };
    let styled = format!("Boldcode{styled_tail}");
    assert_inside_and_complete(&pages, &[&plain, &url, &german, &styled]);
}

/// Column starts from the header words `names` (left-aligned, one word each), the header's
/// bottom, and the table's page.
fn columns<'a>(pages: &'a [BoxPage], names: &[&str]) -> (&'a BoxPage, Vec<f64>, f64) {
    for page in pages {
        let found: Vec<&Word> = names
            .iter()
            .filter_map(|n| page.words.iter().find(|w| w.text == *n))
            .collect();
        if found.len() == names.len() {
            let starts: Vec<f64> = found.iter().map(|w| w.x0).collect();
            assert!(
                starts.windows(2).all(|p| p[0] < p[1]),
                "header out of order: {found:?}"
            );
            let bottom = found.iter().map(|w| w.y1).fold(0.0, f64::max);
            return (page, starts, bottom);
        }
    }
    panic!("no page has the header {names:?}");
}

/// Asserts no body word crosses into the next column (or beyond the text block after the
/// last) and returns each column's text in reading order, squeezed.
#[track_caller]
fn column_texts(pages: &[BoxPage], names: &[&str]) -> Vec<String> {
    let (page, starts, header_bottom) = columns(pages, names);
    let block = Block::for_paper(page.width, page.height);
    let mut cells: Vec<Vec<&Word>> = vec![Vec::new(); starts.len()];
    let mut bad = Vec::new();
    for w in page.words.iter().filter(|w| w.y0 > header_bottom) {
        if w.y0 >= block.bottom - TOL {
            continue; // the page number
        }
        let c = starts.iter().rposition(|s| *s <= w.x0 + TOL).unwrap_or(0);
        let limit = starts.get(c + 1).copied().unwrap_or(block.right + TOL);
        if w.x1 > limit {
            bad.push(format!(
                "'{}' of column {c} at x {:.1}..{:.1} crosses {limit:.1}",
                w.text, w.x0, w.x1
            ));
        }
        cells[c].push(w);
    }
    assert!(bad.is_empty(), "columns {starts:?}:\n{}", bad.join("\n"));
    cells
        .into_iter()
        .map(|mut ws| {
            // Reading order: by line (words of one line overlap vertically, whatever their
            // size: code is smaller than the text around it), then left to right.
            ws.sort_by(|a, b| a.y0.total_cmp(&b.y0));
            let mut lines: Vec<Vec<&Word>> = Vec::new();
            for w in ws {
                match lines.last_mut() {
                    Some(line) if w.y0 < line[0].y1 - 2.0 => line.push(w),
                    _ => lines.push(vec![w]),
                }
            }
            let mut text = String::new();
            for mut line in lines {
                line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                text.extend(line.iter().map(|w| w.text.as_str()));
            }
            squeeze(&text)
        })
        .collect()
}

#[test]
fn overflow_table_column_holds_its_widest_styled_word() {
    // The first column's longest word is two styled runs: measured per run it would get a
    // column narrower than the word, which then ran into the next one.
    let lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor \
                 incididunt ut labore et dolore magna aliqua.";
    let md = format!(
        "# Table\n\n| Alpha | Beta | Gamma |\n|---|---|---|\n\
         | **Donaudampfschifffahrts**gesellschaftskapitän is a word | {lorem} | {lorem} |\n\
         | `verylongidentifier`suffixed text | {lorem} | `usize`など and more |\n"
    );
    let Some(pages) = build(&md) else { return };
    assert!(outside(&pages).is_empty(), "{:?}", outside(&pages));
    let texts = column_texts(&pages, &["Alpha", "Beta", "Gamma"]);
    for (c, word) in [
        (0, "Donaudampfschifffahrtsgesellschaftskapitän"),
        (0, "verylongidentifiersuffixed"),
        (1, "consecteturadipiscing"),
        (2, "usizeなど"),
    ] {
        assert!(
            texts[c].contains(word),
            "column {c} lacks {word}: {texts:?}"
        );
    }
    // The styled word fits its column, so it stays on one line.
    let whole = pages
        .iter()
        .flat_map(|p| &p.words)
        .any(|w| w.text == "Donaudampfschifffahrtsgesellschaftskapitän");
    assert!(
        whole,
        "the styled word was broken although its column could hold it"
    );
}

#[test]
fn overflow_table_words_wider_than_their_cell_break_inside_it() {
    // Four columns of words that cannot fit side by side even at the smallest table type:
    // each is broken inside its cell rather than drawn over the next one.
    let words = [
        "Pneumonoultramicroscopicsilicovolcanoconiosis",
        "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
        "**Donaudampfschifffahrts**elektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
        "Supercalifragilisticexpialidocious-antidisestablishmentarianism-honorificabilitudinitatibus",
    ];
    let md = format!(
        "# Table\n\n| Alpha | Beta | Gamma | Delta |\n|---|---|---|---|\n| {} |\n",
        words.join(" | ")
    );
    let Some(pages) = build(&md) else { return };
    assert!(outside(&pages).is_empty(), "{:?}", outside(&pages));
    let texts = column_texts(&pages, &["Alpha", "Beta", "Gamma", "Delta"]);
    for (c, word) in words.iter().enumerate() {
        let want = squeeze(&word.replace("**", ""));
        assert!(
            texts[c].contains(&want),
            "column {c} lacks {want}: {texts:?}"
        );
    }
}
