//! The whole pipeline: text -> parse -> JSON, PDF and EPUB, every output checked in process
//! (lopdf reads the PDF back; the EPUB opens and its XHTML, OPF and NCX files parse as XML).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Inputs are kept small: the point is structure, not volume (run with `-max_len=4096`).
const MAX_LEN: usize = 4096;

fuzz_target!(|data: &[u8]| {
    bindery_fuzz::init();
    if data.len() > MAX_LEN {
        return;
    }
    bindery_fuzz::pipeline(&String::from_utf8_lossy(data));
});
