//! The math parser; a formula it accepts is then typeset inline and displayed, through the PDF
//! and the EPUB backend (both outputs checked).
#![no_main]

use bindery::doc::{Block, Inline, Loc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bindery_fuzz::init();
    if data.len() > 2048 {
        return;
    }
    let tex = String::from_utf8_lossy(data);
    if bindery::typeset::math::parse(&tex).is_err() {
        return;
    }
    let Some(mut doc) = bindery_fuzz::parse("# Math\n\nA formula:\n") else {
        return;
    };
    let loc = Loc {
        file: 0,
        line: 3,
        col: 1,
        len: 0,
    };
    for display in [false, true] {
        doc.blocks.push(Block::Paragraph {
            content: vec![
                Inline::Text {
                    text: "Before ".into(),
                },
                Inline::Math {
                    display,
                    tex: tex.to_string(),
                    loc,
                },
                Inline::Text {
                    text: " after.".into(),
                },
            ],
            loc,
        });
    }
    bindery_fuzz::check_pdf(&doc);
    bindery_fuzz::check_epub(&doc);
});
