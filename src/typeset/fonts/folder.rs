//! The font files of a user's font folder (`--font-dir`, front matter `fonts`).
//!
//! Walked here rather than through fontdb (which finds the system's fonts, see `system`): every
//! file of a folder the user named must be a usable font, and one that is not (a broken file, a
//! FIFO) is an error that names it, where fontdb skips it in silence.

use std::path::{Path, PathBuf};

/// Font files recognised by extension.
fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        })
        .unwrap_or(false)
}

/// Every font file under `dir` (recursively, symlinked folders not followed), sorted by
/// path so that the first match of a fallback search is the same on every run.
pub(crate) fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    // A bound on folders visited keeps a pathological tree from stalling the build.
    let mut budget = 10_000usize;
    while let Some(d) = stack.pop() {
        if budget == 0 {
            break;
        }
        budget -= 1;
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if is_font_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
