//! Reading a document as `bindery build` does: the look-ahead that finds the PNGs a text names
//! and decodes them during the parse, then the images loaded, on any text (names unclosed,
//! cut inside a character, of missing, damaged or real files), without a panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bindery_fuzz::init();
    let text = String::from_utf8_lossy(data);
    if let Some(doc) = bindery_fuzz::load(&text) {
        bindery_fuzz::check_json(&doc);
    }
});
