//! Front matter: the input as the body of a YAML block and of a TOML block, each followed by a
//! heading. Parsing gives a document or a clean error; a document's metadata then goes through
//! the EPUB (content.opf, nav.xhtml, toc.ncx must parse) and the PDF (paper, margins, info).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bindery_fuzz::init();
    if data.len() > 2048 {
        return;
    }
    let input = String::from_utf8_lossy(data);
    for fence in ["---", "+++"] {
        let text = format!("{fence}\n{input}\n{fence}\n# T\n\nBody.\n");
        let Some(mut doc) = bindery_fuzz::parse(&text) else {
            continue;
        };
        bindery_fuzz::sandbox(&mut doc);
        bindery_fuzz::check_json(&doc);
        bindery_fuzz::check_epub(&doc);
        bindery_fuzz::check_pdf(&doc);
    }
});
