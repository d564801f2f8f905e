//! `bindery watch`: build, then rebuild each document when a file it was made from changes.
//!
//! What a document was made from is what reading it recorded ([`crate::doc::Document::reads`],
//! gathered per input in [`crate::Report::reads`]): its sources, its book's configuration and
//! SUMMARY.md, included files, images (also the ones it looked for and did not find). The
//! folders holding those files are watched (not recursively: the events of an output folder
//! inside a watched tree never reach bindery), with notify, debounced so that an editor's save
//! (write a temporary file, rename it over the old one) is one batch. A batch rebuilds only
//! the documents that read one of its files; a document whose last build failed (its reads
//! are then unknown or out of date) is rebuilt on any change in its own folder. A Markdown
//! file, or a book's configuration, appearing or going in a folder named as an input makes
//! the inputs be expanded again, so a new chapter file becomes a new document.
//!
//! Everything that does not depend on the sources (the backends, with their fonts) lives as
//! long as the watch: a rebuild reads and renders only the documents it concerns. A rebuild
//! writes through [`crate::write_set`], so a document that fails keeps its previous outputs.

use crate::{expand_inputs_as, Input, Job, Report};
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant};

/// How long a file must be quiet before its changes are taken (an editor's save is several
/// events within a few milliseconds).
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Why files could not be watched.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The system's file watcher could not be started.
    #[error("cannot watch files: {0}")]
    Start(notify_debouncer_full::notify::Error),
    /// A folder could not be watched.
    #[error("{}: cannot watch this folder: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: notify_debouncer_full::notify::Error,
    },
    /// Nothing could be watched at all.
    #[error("no folder could be watched")]
    Nothing,
}

/// What the watch tells its caller.
pub enum Update<'a> {
    /// A build ended (the first one: `first`), after `elapsed` (reading, rendering, writing).
    Built {
        /// What it did.
        report: &'a Report,
        /// The first build of the watch.
        first: bool,
        /// The files whose change started it (empty for the first).
        changed: &'a [PathBuf],
        /// How long it took.
        elapsed: Duration,
    },
    /// The files now watched (after the first build, and when folders are added).
    Watching {
        /// Files read by the documents.
        files: usize,
        /// Folders watched.
        folders: usize,
    },
    /// A folder could not be watched (the watch goes on without it).
    Warning(&'a WatchError),
}

enum Wake {
    Files(DebounceEventResult),
    Stop,
}

/// A running watch: the file watcher and what each document read.
pub struct Watch {
    wake: Receiver<Wake>,
    sender: Sender<Wake>,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    /// Folders watched (canonical).
    watched: BTreeSet<PathBuf>,
    /// Those of them watched with their subfolders.
    watched_deep: BTreeSet<PathBuf>,
    /// The inputs as given on the command line, expanded again when files come and go.
    given: Vec<PathBuf>,
    any_extension: bool,
    /// For each input (by [`Input::path`]), the files it read (as [`key`]s). Absent: its
    /// last build failed before it was read.
    reads: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// Inputs whose last build failed.
    failed: BTreeSet<PathBuf>,
    /// The output folder (or the folder of `-o FILE`), as a key.
    out_dir: PathBuf,
    /// The extensions of the files written.
    out_extensions: Vec<String>,
}

impl Watch {
    /// Starts the file watcher for the inputs `given` (as the command line named them;
    /// `any_extension`: `--from markdown`).
    pub fn new(given: Vec<PathBuf>, any_extension: bool) -> Result<Watch, WatchError> {
        let (sender, wake) = channel();
        let events = sender.clone();
        let debouncer = new_debouncer(DEBOUNCE, None, move |result| {
            let _ = events.send(Wake::Files(result));
        })
        .map_err(WatchError::Start)?;
        Ok(Watch {
            wake,
            sender,
            debouncer,
            watched: BTreeSet::new(),
            watched_deep: BTreeSet::new(),
            given,
            any_extension,
            reads: BTreeMap::new(),
            failed: BTreeSet::new(),
            out_dir: PathBuf::new(),
            out_extensions: Vec::new(),
        })
    }

    /// A function that ends [`Watch::run`] (from a signal handler): a build under way is
    /// finished first, so that no output is left half-written.
    pub fn stopper(&self) -> impl Fn() + Send + 'static {
        let sender = self.sender.clone();
        move || {
            let _ = sender.send(Wake::Stop);
        }
    }

    /// Builds every input of `job` with `build`, then rebuilds on changes until stopped.
    /// `build` runs a job (on the caller's thread pool); `update` reports each build.
    pub fn run(
        &mut self,
        job: &mut Job,
        build: &mut dyn FnMut(&Job) -> Report,
        update: &mut dyn FnMut(Update<'_>),
    ) -> Result<(), WatchError> {
        let out_dir = match &job.out_file {
            Some(file) => file.parent().unwrap_or(Path::new("")).to_owned(),
            None => job.out_dir.clone(),
        };
        self.out_dir = key(if out_dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &out_dir
        });
        self.out_extensions = job
            .backends
            .iter()
            .map(|b| b.format().extension().to_owned())
            .collect();
        let started = Instant::now();
        let report = build(job);
        self.learn(
            job,
            &job.inputs.iter().map(|i| i.path().to_owned()).collect(),
            &report,
        );
        update(Update::Built {
            report: &report,
            first: true,
            changed: &[],
            elapsed: started.elapsed(),
        });
        self.watch_folders(job, update)?;
        while let Ok(wake) = self.wake.recv() {
            let events = match wake {
                Wake::Stop => break,
                Wake::Files(Err(errors)) => {
                    for e in errors {
                        update(Update::Warning(&WatchError::Start(e)));
                    }
                    continue;
                }
                Wake::Files(Ok(events)) => events,
            };
            let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
            let mut came_or_went = false;
            for event in &events {
                let kind = event.event.kind;
                if let EventKind::Access(access) = kind {
                    // Reading a file (as a build does) changes nothing.
                    if access != AccessKind::Close(AccessMode::Write) {
                        continue;
                    }
                }
                let moved = matches!(
                    kind,
                    EventKind::Create(_)
                        | EventKind::Remove(_)
                        | EventKind::Modify(
                            notify_debouncer_full::notify::event::ModifyKind::Name(_)
                        )
                );
                for path in &event.event.paths {
                    if ignored(path) {
                        continue;
                    }
                    if moved && lists_documents(path) {
                        came_or_went = true;
                    }
                    changed.insert(key(path));
                }
            }
            if changed.is_empty() {
                continue;
            }
            let mut expand_errors = Vec::new();
            let mut fresh: BTreeSet<PathBuf> = BTreeSet::new();
            if came_or_went {
                let (inputs, errors) = expand_inputs_as(&self.given, self.any_extension);
                let known: BTreeSet<PathBuf> =
                    job.inputs.iter().map(|i| i.path().to_owned()).collect();
                fresh = inputs
                    .iter()
                    .map(|i| i.path().to_owned())
                    .filter(|p| !known.contains(p))
                    .collect();
                // Reported with this rebuild (an input given that is gone, a folder left
                // empty). With no input left at all, the last ones are kept: their folders
                // stay watched, so they come back when their files do.
                expand_errors = errors;
                if !inputs.is_empty() {
                    job.inputs = inputs;
                }
            }
            let rebuild: BTreeSet<PathBuf> = job
                .inputs
                .iter()
                .map(|i| i.path().to_owned())
                .filter(|input| fresh.contains(input) || self.concerns(input, &changed))
                .collect();
            if rebuild.is_empty() && expand_errors.is_empty() {
                continue;
            }
            let started = Instant::now();
            let order: Vec<PathBuf> = job.inputs.iter().map(|i| i.path().to_owned()).collect();
            let all = std::mem::take(&mut job.inputs);
            let (these, others): (Vec<Input>, Vec<Input>) =
                all.into_iter().partition(|i| rebuild.contains(i.path()));
            job.inputs = these;
            let mut report = if job.inputs.is_empty() {
                Report::default()
            } else {
                build(job)
            };
            report.errors.splice(0..0, expand_errors);
            self.learn(job, &rebuild, &report);
            // Back in their order (the command line's, folders expanded by name).
            let mut all = others;
            all.append(&mut job.inputs);
            all.sort_by_key(|i| order.iter().position(|p| p == i.path()));
            job.inputs = all;
            let known: BTreeSet<&Path> = job.inputs.iter().map(|i| i.path()).collect();
            self.reads.retain(|p, _| known.contains(p.as_path()));
            self.failed.retain(|p| known.contains(p.as_path()));
            let changed: Vec<PathBuf> = changed.into_iter().collect();
            update(Update::Built {
                report: &report,
                first: false,
                changed: &changed,
                elapsed: started.elapsed(),
            });
            self.watch_folders(job, update)?;
        }
        Ok(())
    }

    /// Whether a change of `changed` (keys) concerns `input`.
    fn concerns(&self, input: &Path, changed: &BTreeSet<PathBuf>) -> bool {
        let reads = self.reads.get(input);
        if let Some(reads) = reads {
            // A file read, or a folder created or removed that holds one.
            if changed.iter().any(|c| {
                reads.contains(c)
                    || reads
                        .range(c.clone()..)
                        .next()
                        .is_some_and(|r| r.starts_with(c))
            }) {
                return true;
            }
        }
        if reads.is_none() || self.failed.contains(input) {
            // What a failed build needed is not known: anything in its folder may mend it.
            let scope = scope(input);
            return changed
                .iter()
                .any(|c| c.starts_with(&scope) && !self.is_output(c, &scope));
        }
        false
    }

    /// Whether `path` is in the output folder and no source: the folder is not the sources'
    /// own (`dist/` beside them), or the file has an output's extension.
    fn is_output(&self, path: &Path, scope: &Path) -> bool {
        if !path.starts_with(&self.out_dir) {
            return false;
        }
        if !scope.starts_with(&self.out_dir) {
            return true;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        self.out_extensions.iter().any(|e| e == ext)
    }

    /// Takes in what a build of `built` (input paths) read and whether it failed.
    fn learn(&mut self, job: &Job, built: &BTreeSet<PathBuf>, report: &Report) {
        let read: BTreeMap<&Path, &Vec<PathBuf>> =
            report.reads.iter().map(|(i, r)| (i.as_path(), r)).collect();
        let written: BTreeSet<&Path> = report.outputs.iter().map(|o| o.input.as_path()).collect();
        for input in &job.inputs {
            let path = input.path();
            if !built.contains(path) {
                continue;
            }
            if let Some(files) = read.get(path) {
                let mut keys: BTreeSet<PathBuf> = files.iter().map(|f| key(f)).collect();
                keys.insert(key(path));
                self.reads.insert(path.to_owned(), keys);
            }
            // Still watched for what it read last time it could be read.
            if written.contains(path) {
                self.failed.remove(path);
            } else {
                self.failed.insert(path.to_owned());
            }
        }
    }

    /// Watches every folder holding a file a document read (or the nearest one that exists),
    /// the inputs' own folders and the folders named as inputs.
    fn watch_folders(
        &mut self,
        job: &Job,
        update: &mut dyn FnMut(Update<'_>),
    ) -> Result<(), WatchError> {
        let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
        let mut files = 0;
        for reads in self.reads.values() {
            files += reads.len();
            folders.extend(reads.iter().filter_map(|f| f.parent().map(Path::to_owned)));
        }
        folders.extend(job.inputs.iter().map(|i| scope(i.path())));
        folders.extend(self.given.iter().filter(|g| g.is_dir()).map(|g| key(g)));
        // A book never read whole (its first build failed) may be mended anywhere in its
        // folder: SUMMARY.md, a chapter. Its whole tree is watched until it builds.
        let deep: BTreeSet<PathBuf> = job
            .inputs
            .iter()
            .filter(|i| matches!(i, Input::Book(..)) && !self.reads.contains_key(i.path()))
            .map(|i| scope(i.path()))
            .collect();
        let mut failures = 0;
        let before = self.watched.len();
        for (folder, mode) in folders
            .into_iter()
            .map(|f| (f, RecursiveMode::NonRecursive))
            .chain(deep.into_iter().map(|f| (f, RecursiveMode::Recursive)))
        {
            // A folder that does not exist yet: its nearest existing parent sees it come.
            let Some(existing) = folder.ancestors().find(|a| a.is_dir()) else {
                continue;
            };
            let seen = match mode {
                RecursiveMode::Recursive => &self.watched_deep,
                _ => &self.watched,
            };
            if seen.contains(existing) {
                continue;
            }
            match self.debouncer.watch(existing, mode) {
                Ok(()) => {
                    self.watched.insert(existing.to_owned());
                    if mode == RecursiveMode::Recursive {
                        self.watched_deep.insert(existing.to_owned());
                    }
                }
                Err(source) => {
                    failures += 1;
                    update(Update::Warning(&WatchError::Folder {
                        path: existing.to_owned(),
                        source,
                    }));
                }
            }
        }
        if self.watched.is_empty() && failures > 0 {
            return Err(WatchError::Nothing);
        }
        // Said once, and again only when more folders are watched.
        if before == 0 || self.watched.len() != before {
            update(Update::Watching {
                files,
                folders: self.watched.len(),
            });
        }
        Ok(())
    }
}

/// The folder a failed input is rebuilt for: a file's folder, a book's (its configuration's).
fn scope(input: &Path) -> PathBuf {
    key(input
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new(".")))
}

/// A path as the watcher reports it: absolute, symbolic links resolved (for a file that is
/// gone, through its folder).
fn key(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            key(parent).join(name)
        }
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// Whether a file's coming or going can change the list of documents: Markdown files (in a
/// folder given as input) and books' configurations.
fn lists_documents(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    crate::parse::is_markdown(path) || matches!(name, "book.toml" | "bindery.toml")
}

/// Editors' temporary files (`.x.md.swp`, `x.md~`, vim's `4913` probe, Emacs's `.#x.md` lock
/// and `#x.md#` autosave) and bindery's own side files (`.x.pdf.PID.tmp`), which no build
/// reads.
fn ignored(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || crate::stale_pattern(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_and_side_files_are_ignored() {
        for name in [
            ".ch1.md.swp",
            "ch1.md~",
            "4913",
            ".#ch1.md",
            "#ch1.md#",
            ".book.pdf.42.tmp",
        ] {
            assert!(ignored(Path::new("src").join(name).as_path()), "{name}");
        }
        for name in ["ch1.md", "book.toml", "cat.png", "4914"] {
            assert!(!ignored(Path::new("src").join(name).as_path()), "{name}");
        }
    }

    #[test]
    fn keys_of_missing_files_go_through_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(key(&dir.path().join("gone.png")), real.join("gone.png"));
        assert_eq!(key(&dir.path().join("a/b.png")), real.join("a/b.png"));
    }
}
