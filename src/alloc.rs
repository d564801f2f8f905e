//! The allocator of both programs (`bindery` and `mdbook-bindery`, which includes this file),
//! and how a one-shot run uses it.

/// Layout allocates many small objects (a glyph run per word, a line of placed glyphs); the
/// default glibc allocator spent a quarter of a book build in malloc/free, mimalloc far less.
/// Its `no_thp` feature keeps it off transparent huge pages: with them a book build touched
/// 2 MB at a time (peak memory 290 MB instead of 160 MB when first measured; for the Rust book
/// on 2026-12-06, 326 MB instead of 268 MB, over the 300 MB target) and its time varied with how
/// long the kernel took to find free huge pages. They did save most page faults (1,600 instead
/// of 61,000) and some time: bench/README.md has the figures. Its v2 line, not v3: v3 left a
/// book build's abandoned and partly used pages resident (peak 187-194 MB against 169-171 MB
/// for the Rust book, about 5,000 more page faults) for as much CPU or more (twenty
/// alternating runs on 2026-12-06: 0.942 s against 0.915-0.926 s).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A one-shot run (`bindery build`, `bindery check`, `mdbook-bindery`) keeps the memory it frees instead of returning it to the
/// system: mimalloc's purging (1,429 madvise calls in a build of the Rust book, each a TLB
/// flush on every core, of memory soon needed again, in a process that ends soon anyway) cost
/// 1 % to 3 % of the run (0.60 s against 0.61 s, median of twenty alternating runs on
/// 2026-12-06, in three of four such comparisons); the peak stays the same. `watch` keeps the
/// default, so that it gives memory back between builds.
pub fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the sixteenth option in v2 and v3;
    /// `libmimalloc-sys` names no constant for it): -1 never purges.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets an option before any thread but this one allocates; mimalloc reads it when
    // it next decides whether to purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}
