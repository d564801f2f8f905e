//! The parser: any bytes, as text, into a document (or a clean error), without a panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bindery_fuzz::init();
    let text = String::from_utf8_lossy(data);
    if let Some(doc) = bindery_fuzz::parse(&text) {
        // The document model serialises (the JSON backend), whatever went in.
        bindery_fuzz::check_json(&doc);
    }
});
