//! Stage timings for performance work: with `BINDERY_TRACE=1` in the environment, each
//! pipeline stage prints, on stderr, how long after the first traced stage it ended and on
//! which worker thread. Nothing is printed otherwise, and the check is made once per process.

use std::sync::OnceLock;
use std::time::Instant;

/// Notes that a stage has just ended.
pub fn stage(label: &str) {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    let start = START.get_or_init(|| std::env::var_os("BINDERY_TRACE").map(|_| Instant::now()));
    if let Some(start) = start {
        let thread = std::thread::current();
        eprintln!(
            "trace: {:8.2} ms  {:<10} {label}",
            start.elapsed().as_secs_f64() * 1000.0,
            thread.name().unwrap_or("main"),
        );
    }
}
