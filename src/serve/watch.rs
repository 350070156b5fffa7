//! Watching a site folder for edits: which changes count, debouncing them into one batch, and
//! keeping the watches right as the site's folders come and go.
//!
//! The site root is watched on its own (not recursively: that catches `site.yaml` and the
//! creation, deletion or renaming of the top folders) and `content/`, `templates/`, `static/` and `i18n/`
//! recursively. So the output folder (`public/`), `.git`, `target/` and anything else at the
//! root are never even watched, however big they are. Within the watched folders, editor
//! leftovers and hidden files ([`is_ignored`]) do not count, and neither do reads (access
//! events, which rebuilding itself causes). The events of one burst are coalesced into one
//! batch ([`Watch::wait`]): it ends once no event came for a short quiet time, but not while a
//! file written is still open for writing (where the system reports closes: Linux), so one
//! save — or one `git checkout` — gives one rebuild, and a rebuild does not read a file half
//! written.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::walk::is_ignored;

/// The folders of a site whose contents are watched.
pub(crate) const FOLDERS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// How long the site must be quiet, once every file written has been closed, before a batch is
/// passed on: the events of one save (write a temporary file, rename it over the old one; or
/// truncate, write, close) come within a millisecond or two of each other.
const QUIET: Duration = Duration::from_millis(8);
/// The same where the system does not report that a file written was closed (macOS, Windows,
/// `--poll`): a writer may still be writing.
const QUIET_UNCLOSED: Duration = Duration::from_millis(25);
/// How long a file written but not yet closed may keep a batch waiting (a program that keeps
/// a file open for a long time must not put off every rebuild).
const OPEN_WAIT: Duration = Duration::from_millis(250);
/// The longest a stream of changes can put off a rebuild.
const MAX_SETTLE: Duration = Duration::from_secs(1);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        }
    }
}

/// A running watch on one site folder.
pub(crate) struct Watch {
    backend: Backend,
    rx: Receiver<notify::Result<Event>>,
    /// Whether the backend reports closes of files written (inotify does).
    reports_closes: bool,
    /// The root as an absolute path, and as the file system names it (they differ where the
    /// root is reached through a link, as `/tmp` is on macOS): events may use either.
    roots: Vec<PathBuf>,
    /// The top folders watched now.
    watched: BTreeSet<&'static str>,
}

/// What one wait saw.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Site-relative paths that changed (for messages), sorted.
    pub(crate) paths: BTreeSet<String>,
    /// Problems the watcher reported.
    pub(crate) errors: Vec<Diagnostic>,
}

impl Watch {
    /// Start watching `root`; `poll` uses a polling watcher instead of the system's events
    /// (for network and container file systems that do not report changes).
    pub(crate) fn start(root: &Path, poll: bool) -> Result<Watch, Diagnostic> {
        let root = std::path::absolute(root).map_err(|e| {
            Diagnostic::new(
                Code::NoSiteFolder,
                format!("cannot find the site folder `{}`: {e}", root.display()),
            )
        })?;
        if !root.is_dir() {
            return Err(Diagnostic::new(
                Code::NoSiteFolder,
                format!(
                    "site folder `{}` does not exist or is not a folder",
                    root.display()
                ),
            ));
        }
        let (tx, rx) = mpsc::channel();
        let backend = if poll {
            // notify compares modification times in whole seconds; comparing contents too
            // catches a second save within the same second.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            PollWatcher::new(tx, config).map(Backend::Poll)
        } else {
            RecommendedWatcher::new(tx, notify::Config::default()).map(Backend::Native)
        }
        .map_err(|e| Diagnostic::new(Code::Watch, format!("cannot watch for changes: {e}")))?;
        let mut roots = vec![root.clone()];
        if let Ok(c) = root.canonicalize()
            && c != root
        {
            roots.push(c);
        }
        let reports_closes = !poll && cfg!(any(target_os = "linux", target_os = "android"));
        let mut w = Watch {
            backend,
            rx,
            reports_closes,
            roots,
            watched: BTreeSet::new(),
        };
        w.backend
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| {
                Diagnostic::new(
                    Code::Watch,
                    format!("cannot watch `{}`: {e}", root.display()),
                )
                .hint("try --poll")
            })?;
        if let Some(d) = w.refresh(&BTreeSet::new()).into_iter().next() {
            return Err(d.hint("try --poll"));
        }
        Ok(w)
    }

    fn root(&self) -> &Path {
        &self.roots[0]
    }

    /// Watch the top folders that exist and drop those that are gone. Folders in `replaced`
    /// were created, deleted or moved, so their old watch (if any) is renewed.
    fn refresh(&mut self, replaced: &BTreeSet<&'static str>) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for name in FOLDERS {
            let path = self.root().join(name);
            let exists = path.is_dir();
            let was = self.watched.contains(name);
            if was && (!exists || replaced.contains(name)) {
                // The watch may already be gone with the folder.
                let _ = self.backend.unwatch(&path);
                self.watched.remove(name);
            }
            if exists && !self.watched.contains(name) {
                match self.backend.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(name);
                    }
                    Err(e) => problems.push(Diagnostic::new(
                        Code::Watch,
                        format!("cannot watch `{}`: {e}", path.display()),
                    )),
                }
            }
        }
        problems
    }

    /// Block until something in the site changed, then return everything that changed in that
    /// burst: until no event came for [`QUIET`] and every file written has been closed (for at
    /// most [`OPEN_WAIT`] after the last event), or for [`MAX_SETTLE`] in all. `None` when the
    /// watcher has stopped.
    pub(crate) fn wait(&mut self) -> Option<Batch> {
        loop {
            let first = self.rx.recv().ok()?;
            let mut burst = Burst::default();
            self.absorb(first, &mut burst);
            if burst.is_empty() {
                // Reads, and changes that do not count.
                continue;
            }
            let started = Instant::now();
            loop {
                let quiet = if !self.reports_closes {
                    QUIET_UNCLOSED
                } else if burst.open.is_empty() {
                    QUIET
                } else {
                    OPEN_WAIT
                };
                let Some(left) = MAX_SETTLE.checked_sub(started.elapsed()) else {
                    break;
                };
                match self.rx.recv_timeout(quiet.min(left)) {
                    Ok(more) => self.absorb(more, &mut burst),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            let Burst {
                mut batch,
                replaced,
                ..
            } = burst;
            batch.errors.extend(self.refresh(&replaced));
            if !batch.paths.is_empty() || !batch.errors.is_empty() {
                return Some(batch);
            }
        }
    }

    fn absorb(&self, result: notify::Result<Event>, burst: &mut Burst) {
        match result {
            Ok(e) => self.event(&e, burst),
            Err(e) => burst.batch.errors.push(Diagnostic::new(
                Code::WatchTrouble,
                format!("while watching for changes: {e}"),
            )),
        }
    }

    fn event(&self, e: &Event, burst: &mut Burst) {
        let Burst {
            batch,
            replaced,
            open,
        } = burst;
        match e.kind {
            // A file written was closed: its writer is done with it.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for p in &e.paths {
                    open.remove(p);
                }
                return;
            }
            EventKind::Access(_) => return,
            // Written (so far): wait for it to be closed, where closes are reported.
            EventKind::Modify(ModifyKind::Data(_)) | EventKind::Modify(ModifyKind::Any)
                if self.reports_closes =>
            {
                open.extend(
                    e.paths
                        .iter()
                        .filter(|p| self.relevant(p).is_some())
                        .cloned(),
                );
            }
            EventKind::Remove(_) => {
                for p in &e.paths {
                    open.remove(p);
                }
            }
            _ => {}
        }
        if e.need_rescan() || e.paths.is_empty() {
            // The system lost track: assume anything may have changed.
            batch.paths.insert(String::from("(everything)"));
            replaced.extend(FOLDERS);
            return;
        }
        for p in &e.paths {
            if let Some(rel) = self.relevant(p) {
                if matches!(e.kind, EventKind::Modify(ModifyKind::Name(_))) {
                    // Moved away: no longer written under this name.
                    open.remove(p);
                }
                if let Some(top) = FOLDERS.iter().find(|f| **f == rel) {
                    replaced.insert(top);
                }
                batch.paths.insert(rel);
            }
        }
    }

    /// The site-relative path of `path` if a change there matters to the site.
    pub(crate) fn relevant(&self, path: &Path) -> Option<String> {
        let rel = self.roots.iter().find_map(|r| path.strip_prefix(r).ok())?;
        relevant(rel)
    }
}

/// The events of one burst, as they are taken in.
#[derive(Default)]
struct Burst {
    batch: Batch,
    /// Top folders created, deleted or moved (their watches are renewed).
    replaced: BTreeSet<&'static str>,
    /// Files written and not yet closed.
    open: BTreeSet<PathBuf>,
}

impl Burst {
    fn is_empty(&self) -> bool {
        self.batch.paths.is_empty() && self.batch.errors.is_empty()
    }
}

/// Whether a change at `rel` (relative to the site root) matters; the path, `/`-separated.
pub(crate) fn relevant(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => return None,
        }
    }
    let first = parts.first()?;
    let counts = if parts.len() == 1 && first == "site.yaml" {
        true
    } else {
        FOLDERS.contains(&first.as_str()) && !parts[1..].iter().any(|p| is_ignored(p))
    };
    counts.then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_count() {
        for p in [
            "site.yaml",
            "content",
            "content/a.md",
            "templates/page.html",
            "static/css/x.css",
        ] {
            assert_eq!(relevant(Path::new(p)).as_deref(), Some(p), "{p}");
        }
        for p in [
            "public/index.html",
            ".git/index",
            "target/debug/x",
            "content/.a.md.swp",
            "content/a.md~",
            "content/#a.md#",
            "content/4913",
            "content/.git/x",
            "content/sub/.hidden/a.md",
            "site.yaml.tmp",
            "other/site.yaml",
            "",
        ] {
            assert_eq!(relevant(Path::new(p)), None, "{p}");
        }
    }
}
