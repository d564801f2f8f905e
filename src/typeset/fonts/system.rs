//! Finding font files on disk: a user's font folder and the usual system font folders.

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

/// Font files in the usual Unix font folders, in sorted path order per folder.
pub(crate) fn system_font_files() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
    }
    dirs.iter().flat_map(|d| font_files(d)).collect()
}
