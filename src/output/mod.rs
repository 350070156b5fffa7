//! Stage 4, write: put a rendered site on disk, all or nothing.
//!
//! Files are written into a fresh temporary folder beside the output folder ([`Staging`]) as the
//! render makes them (from its worker threads), and the folder is swapped in only once
//! everything is rendered, checked and written: a failed build leaves the previous output
//! exactly as it was. A marker file (`.briefing`) identifies folders briefing wrote; a folder
//! that is not empty and has no marker is never replaced (a guard against `-o .` or `-o content`).
//! An output folder that is a symbolic link is never deleted through: the build replaces the
//! folder the link points at, beside that folder, and the link stays.
//!
//! The staging folder is named after the process that writes it (`.public.new-<pid>-<random>`),
//! as is the old output when it is moved aside (`.public.old-<pid>`), and both carry the
//! marker: a build that was killed (SIGKILL, out of memory, power loss) leaves them, and the
//! next build into the same folder deletes them once their process is gone.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::FileBytes;
use crate::load::assets::CopyError;
use crate::render::Sink;

/// Name of the marker file briefing writes in every output folder.
pub const MARKER: &str = ".briefing";
const MARKER_TEXT: &str =
    "This folder was written by `briefing build`; it is replaced on every build.\n";

/// The folder a build into `out` replaces: `out` itself, or, when `out` is a symbolic link, the
/// folder it points at (so the link is kept and nothing is deleted through it).
fn resolve_output(out: &Path) -> Result<PathBuf, Diagnostic> {
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => out.canonicalize().map_err(|e| {
            let to = std::fs::read_link(out)
                .map(|t| format!(" to `{}`", t.display()))
                .unwrap_or_default();
            Diagnostic::new(
                Code::OutputRefused,
                format!(
                    "output `{}` is a symbolic link{to} that cannot be followed: {e}",
                    out.display()
                ),
            )
            .hint("create the folder it points to, or remove the link")
        }),
        _ => Ok(out.to_path_buf()),
    }
}

/// Refuse output folders that would destroy something that is not ours.
pub(crate) fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let target = resolve_output(out)?;
    // Real paths, so that no link (in `-r`, `-o` or the site) lets one path hide in another.
    let (root_abs, out_abs) = (real_path(root), real_path(&target));
    if root_abs.starts_with(&out_abs) {
        return Err(Diagnostic::new(
            Code::OutputRefused,
            format!(
                "refusing to write the site into `{}`: it contains the site folder itself",
                out.display()
            ),
        )
        .hint("choose an output folder such as ROOT/public"));
    }
    for d in ["content", "templates", "static"] {
        if out_abs.starts_with(real_path(&root.join(d))) {
            return Err(Diagnostic::new(
                Code::OutputRefused,
                format!(
                    "refusing to write the site into `{}`: it is inside the site's {d}/ folder",
                    out.display()
                ),
            )
            .hint("choose an output folder such as ROOT/public"));
        }
    }
    if target.exists() {
        if !target.is_dir() {
            return Err(Diagnostic::new(
                Code::OutputRefused,
                format!("output `{}` exists and is not a folder", out.display()),
            ));
        }
        let empty = std::fs::read_dir(&target)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !target.join(MARKER).is_file() {
            return Err(Diagnostic::new(
                Code::OutputRefused,
                format!(
                    "refusing to replace `{}`: it is not empty and was not written by briefing",
                    out.display()
                ),
            )
            .hint("empty or remove it yourself, or choose another output folder"));
        }
    }
    Ok(())
}

/// `p` made absolute with every link resolved: the longest part of it that exists is
/// canonicalized, and the rest (which cannot contain links) is appended with `.` and `..`
/// resolved.
fn real_path(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let parts: Vec<_> = abs.components().collect();
    for n in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..n].iter().collect();
        if let Ok(real) = head.canonicalize() {
            let tail: PathBuf = parts[n..].iter().collect();
            return normalize(&real.join(tail));
        }
    }
    normalize(&abs)
}

/// Resolve `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A fresh folder beside the output folder that a render streams its files into (it is the
/// render's [`Sink`]). [`Staging::commit`] swaps it in for the output folder; dropped without a
/// commit (the build failed), it is deleted and the previous output stays as it was.
pub(crate) struct Staging {
    /// The staging folder; `None` once committed.
    dir: Option<PathBuf>,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    failed: AtomicBool,
    error: Mutex<Option<Diagnostic>>,
    /// The folders (relative) this staging has made: a file whose folder is among them is
    /// created at once, any other's folder is made first (most pages have a folder of their
    /// own, so trying the file first failed for nearly every one).
    made: Mutex<rustc_hash::FxHashSet<Box<str>>>,
    /// Warnings for the caller: leftovers of earlier builds that could not be deleted.
    notes: Diagnostics,
}

impl Staging {
    /// Prepare to replace `out` (checked with [`check_output_dir`]).
    pub fn new(root: &Path, out: &Path) -> Result<Staging, Diagnostic> {
        check_output_dir(root, out)?;
        let out = &resolve_output(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| {
            Diagnostic::new(
                Code::Io,
                format!("cannot create `{}`: {e}", parent.display()),
            )
        })?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let notes = remove_dead_builds(&parent, &name);
        let cannot = |e: std::io::Error| {
            Diagnostic::new(
                Code::Io,
                format!(
                    "cannot create a temporary folder in `{}`: {e}",
                    parent.display()
                ),
            )
        };
        // Made and registered under the lock: an interruption meanwhile waits, then finds the
        // folder registered and deletes it (registered only after it was made, an interruption
        // in between left it behind).
        let mut live = in_use();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(cannot)?
            .keep();
        // Marked at once: if this process is killed, the next build knows the folder as ours.
        if let Err(e) = std::fs::write(dir.join(MARKER), MARKER_TEXT) {
            let _ = remove_tree(&dir);
            return Err(cannot(e));
        }
        live.push(dir.clone());
        drop(live);
        Ok(Staging {
            dir: Some(dir),
            out: out.to_path_buf(),
            parent,
            name,
            failed: AtomicBool::new(false),
            error: Mutex::new(None),
            made: Mutex::default(),
            notes,
        })
    }

    fn fail(&self, d: Diagnostic) {
        self.failed.store(true, Ordering::Relaxed);
        if let Ok(mut e) = self.error.lock() {
            e.get_or_insert(d);
        }
    }

    /// Swap the staged files in for the output folder, then delete the old output. Fails (and
    /// leaves the old output) if any file could not be written. Returns warnings: leftovers of
    /// earlier builds, or the old output, that could not be deleted.
    pub(crate) fn commit(mut self) -> Result<Diagnostics, Diagnostic> {
        if let Some(e) = self.error.lock().ok().and_then(|mut e| e.take()) {
            return Err(e);
        }
        let mut notes = std::mem::take(&mut self.notes);
        // Held to the end: an interruption waits for the swap and the clean-up to finish.
        let mut live = in_use();
        let Some(staged) = self.dir.take() else {
            return Ok(notes);
        };
        live.retain(|p| p != &staged);
        let (out, parent, name) = (&self.out, &self.parent, &self.name);
        // The marker was written when the folder was made: if it is gone, the folder was deleted
        // meanwhile (and partly made again by the writes), so it does not hold the whole site.
        if !std::fs::symlink_metadata(staged.join(MARKER)).is_ok_and(|m| m.is_file()) {
            let _ = remove_tree(&staged);
            return Err(Diagnostic::new(Code::Io, format!(
                "the temporary folder `{}` was deleted while the site was being written into it",
                staged.display()
            ))
            .hint("was another program cleaning up, or a build on another machine into the same folder?"));
        }

        // Swap the new output in, then delete the old one (wherever the swap left it).
        let aside = parent.join(format!(".{name}.old-{}", std::process::id()));
        let old = swap(&staged, out, &aside).inspect_err(|_| {
            let _ = remove_tree(&staged);
        })?;
        if let Some(old) = old
            && let Err(e) = remove_tree(&old)
        {
            notes.push(
                Diagnostic::new(
                    Code::Leftovers,
                    format!(
                        "could not delete the old output, left in `{}`: {e}",
                        old.display()
                    ),
                )
                .hint(
                    "the new site is in place; the next build tries again, or delete it yourself",
                ),
            );
        }
        Ok(notes)
    }
}

/// Put the folder `staged` in the place of `out`, and return where the old output now is (to
/// be deleted), if there was one. Where the platform can exchange two names atomically (Linux's
/// `renameat2` with `RENAME_EXCHANGE`), `out` never stops existing: a build killed at any point
/// leaves either the old output or the new one there. Elsewhere, or when the file system refuses
/// the exchange, the old output is first renamed to `aside`.
fn swap(staged: &Path, out: &Path, aside: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let moved_in = |e: std::io::Error| {
        Diagnostic::new(
            Code::Io,
            format!("cannot move the new site into `{}`: {e}", out.display()),
        )
    };
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return std::fs::rename(staged, out)
                .map(|()| None)
                .map_err(moved_in);
        }
        _ => {}
    }
    match exchange(staged, out) {
        Ok(()) => Ok(Some(staged.to_path_buf())),
        Err(Exchange::Unsupported) => swap_by_renames(staged, out, aside).map(Some),
        Err(Exchange::Failed(e)) => Err(moved_in(e)),
    }
}

/// Why [`exchange`] did not happen.
enum Exchange {
    /// Not possible here: fall back to two renames.
    Unsupported,
    /// It failed in a way the renames would meet too.
    Failed(std::io::Error),
}

/// Exchange the names `a` and `b` atomically.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> Result<(), Exchange> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // EINVAL: the file system has no exchange; ENOSYS: the kernel predates renameat2 (3.15);
        // EPERM: a seccomp filter (some container runtimes) refuses system calls it does not
        // know. The renames then meet, and report, any real problem.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP | Errno::PERM) => {
            Err(Exchange::Unsupported)
        }
        Err(e) => Err(Exchange::Failed(e.into())),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> Result<(), Exchange> {
    Err(Exchange::Unsupported)
}

/// Move the old output aside to `aside`, then the new one in (putting the old one back if that
/// fails). A build killed between the two renames leaves no `out`: [`exchange`] avoids that.
fn swap_by_renames(staged: &Path, out: &Path, aside: &Path) -> Result<PathBuf, Diagnostic> {
    let _ = remove_tree(aside);
    std::fs::rename(out, aside).map_err(|e| {
        Diagnostic::new(
            Code::Io,
            format!("cannot move the old `{}` aside: {e}", out.display()),
        )
    })?;
    if let Err(e) = std::fs::rename(staged, out) {
        let _ = std::fs::rename(aside, out);
        return Err(Diagnostic::new(
            Code::Io,
            format!("cannot move the new site into `{}`: {e}", out.display()),
        ));
    }
    Ok(aside.to_path_buf())
}

impl Drop for Staging {
    /// An uncommitted staging folder is deleted (under the lock, so an interruption meanwhile
    /// finds it either registered or gone).
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let mut live = in_use();
            live.retain(|p| p != &dir);
            let _ = remove_tree(&dir);
        }
    }
}

/// Staging folders not yet committed or deleted, for [`exit_abandoning_staging`].
static IN_USE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set when the process is about to exit on a signal: no more files are written.
static ABANDONED: AtomicBool = AtomicBool::new(false);

fn in_use() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    IN_USE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Exit the process with `code` after deleting every staging folder in use: for a build
/// interrupted by a signal. A swap in progress is finished first (never half done).
pub(crate) fn exit_abandoning_staging(code: i32) -> ! {
    ABANDONED.store(true, Ordering::SeqCst);
    let mut live = in_use();
    for dir in live.drain(..) {
        // A render's threads may still be finishing a file in it: try again briefly.
        for _ in 0..20 {
            if remove_tree(&dir).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    std::process::exit(code)
}

impl Staging {
    /// Write `bytes` at `rel` (what [`Sink::put`] does, for bytes the caller keeps).
    pub(crate) fn put_slice(&self, rel: &str, bytes: &[u8]) {
        if let Some(mut file) = self.create(rel)
            && let Err(e) = file.write_all(bytes)
        {
            self.fail(Diagnostic::new(
                Code::Io,
                format!("cannot write `{rel}`: {e}"),
            ));
        }
    }

    /// Create the file at `rel`, and the folders it goes in; `None` (the failure kept) when
    /// that fails, or when nothing more is to be written.
    fn create(&self, rel: &str) -> Option<std::fs::File> {
        if self.failed.load(Ordering::Relaxed) || ABANDONED.load(Ordering::Relaxed) {
            return None;
        }
        let path = self.dir.as_ref()?.join(rel);
        let folder = rel
            .rsplit_once('/')
            .map(|(f, _)| f)
            .filter(|f| !f.is_empty());
        let made = |f: &str| self.made.lock().is_ok_and(|m| m.contains(f));
        if let Some(f) = folder
            && !made(f)
        {
            // `create_dir_all` tolerates other threads making the same folders.
            match path.parent().map_or(Ok(()), std::fs::create_dir_all) {
                Ok(()) => {
                    if let Ok(mut m) = self.made.lock() {
                        m.insert(f.into());
                    }
                }
                Err(e) => {
                    self.fail(Diagnostic::new(
                        Code::Io,
                        format!("cannot write `{rel}`: {e}"),
                    ));
                    return None;
                }
            }
        }
        // A folder made before may have been deleted meanwhile (by another program): made
        // again, the build goes on, and the commit finds the marker gone.
        let result = match std::fs::File::create(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::File::create(&path)),
            other => other,
        };
        result
            .map_err(|e| {
                self.fail(Diagnostic::new(
                    Code::Io,
                    format!("cannot write `{rel}`: {e}"),
                ))
            })
            .ok()
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: Cow<'static, [u8]>) {
        self.put_slice(rel, &bytes);
    }

    /// In the staging folder, unnamed: nothing is left of it however the build ends.
    fn scratch(&self) -> Option<std::fs::File> {
        tempfile::tempfile_in(self.dir.as_ref()?).ok()
    }

    /// Streamed from the site's file into the staging folder: never held in memory.
    fn copy(&self, rel: &str, file: &FileBytes) -> Result<(), Diagnostic> {
        let Some(mut out) = self.create(rel) else {
            return Ok(());
        };
        match file.copy_to(&mut out) {
            Ok(()) => Ok(()),
            Err(CopyError::Source(d)) => Err(d),
            Err(CopyError::Output(e)) => {
                self.fail(Diagnostic::new(
                    Code::Io,
                    format!("cannot write `{rel}`: {e}"),
                ));
                Ok(())
            }
        }
    }
}

/// Delete a folder tree, folders in parallel (the old output can hold tens of thousands of
/// files, often most of them in one folder of pages). The marker goes last, so a folder that
/// could not be deleted whole is still known as ours. A link is removed, never followed. Every
/// file is tried; the first failure is returned.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => remove_folder(dir),
        Ok(_) => gone_is_fine(std::fs::remove_file(dir)),
        Err(e) => gone_is_fine(Err(e)),
    }
}

fn gone_is_fine(r: std::io::Result<()>) -> std::io::Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// [`remove_tree`] of `dir`, known to be a folder (not a link to one): its entries' types come
/// from the listing, so nothing is looked up twice.
fn remove_folder(dir: &Path) -> std::io::Result<()> {
    let mut marked = false;
    let entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| {
            let marker = e.file_name() == MARKER;
            marked |= marker;
            !marker
        })
        // A link's type is a link, never the folder it points at.
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries
        .par_iter()
        .map(|(p, is_dir)| {
            if *is_dir {
                gone_is_fine(remove_folder(p))
            } else {
                gone_is_fine(std::fs::remove_file(p))
            }
        })
        .reduce(|| Ok(()), Result::and)?;
    if marked {
        gone_is_fine(std::fs::remove_file(dir.join(MARKER)))?;
    }
    gone_is_fine(std::fs::remove_dir(dir))
}

/// Delete what earlier builds into `parent/name` left because they were killed: folders named
/// `.NAME.new-PID-…` or `.NAME.old-PID` that are folders (not links), carry the marker, and
/// whose process is gone (an empty one without the marker too: killed before it was marked).
/// Anything else is left alone. Returns a warning for each that could not be deleted.
fn remove_dead_builds(parent: &Path, name: &str) -> Diagnostics {
    let mut notes = Diagnostics::new();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return notes;
    };
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name();
        let Some(pid) = file.to_str().and_then(|f| leftover_pid(f, name)) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if pid == std::process::id() || !is_dir || !process_gone(pid) {
            continue;
        }
        let marked = std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file());
        if !marked {
            // Only an empty folder: `remove_dir` refuses any other.
            let _ = std::fs::remove_dir(&path);
            continue;
        }
        if let Err(e) = remove_tree(&path) {
            notes.push(
                Diagnostic::new(
                    Code::Leftovers,
                    format!(
                        "could not delete `{}`, left by an earlier build that was stopped: {e}",
                        path.display()
                    ),
                )
                .hint("delete it yourself"),
            );
        }
    }
    notes
}

/// The process id in the name of a leftover of a build into `name`: `.NAME.new-PID-XXXXXX` (a
/// staging folder) or `.NAME.old-PID` (an old output moved aside).
fn leftover_pid(file: &str, name: &str) -> Option<u32> {
    let rest = file
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('.')?;
    let digits = match rest.strip_prefix("new-") {
        Some(r) => r.split_once('-')?.0,
        None => rest.strip_prefix("old-")?,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether no process with this id exists (on this machine). Unknown means alive.
#[cfg(unix)]
fn process_gone(pid: u32) -> bool {
    use rustix::process::{Pid, test_kill_process};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    // kill(pid, 0): ESRCH means there is no such process; EPERM means there is one (not ours).
    matches!(test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(not(unix))]
fn process_gone(_: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    fn write(files: &[(&str, &str)], root: &Path, out: &Path) -> Result<(), Diagnostic> {
        let staging = Staging::new(root, out)?;
        for (p, c) in files {
            staging.put(p, Cow::Owned(c.as_bytes().to_vec()));
        }
        staging.commit().map(drop)
    }

    #[test]
    fn writes_and_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[("index.html", "one"), ("a/b/index.html", "b")],
            dir.path(),
            &out,
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "b"
        );
        assert!(out.join(MARKER).is_file());
        write(&[("index.html", "two")], dir.path(), &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale files are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    #[test]
    fn an_abandoned_or_failed_staging_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "one")], dir.path(), &out).unwrap();
        // Dropped without a commit (the render failed).
        let staging = Staging::new(dir.path(), &out).unwrap();
        staging.put("index.html", Cow::Borrowed(b"half"));
        drop(staging);
        // A file that cannot be written (its folder's name is taken by a file).
        let staging = Staging::new(dir.path(), &out).unwrap();
        staging.put("x", Cow::Borrowed(b"file"));
        staging.put("x/index.html", Cow::Borrowed(b"page"));
        staging.put("index.html", Cow::Borrowed(b"two"));
        let err = staging.commit().unwrap_err();
        assert!(err.message.contains("x/index.html"), "{}", err.message);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    /// Between two builds there is always an output folder: a reader polling for it while
    /// builds replace it never finds it missing (with two renames it is missing between them).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn the_swap_never_leaves_the_output_missing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "0")], dir.path(), &out).unwrap();
        let done = AtomicBool::new(false);
        let missing = std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let mut missing = 0usize;
                while !done.load(Ordering::Relaxed) {
                    if std::fs::symlink_metadata(&out).is_err() {
                        missing += 1;
                    }
                }
                missing
            });
            for i in 0..300 {
                write(&[("index.html", &i.to_string())], dir.path(), &out).unwrap();
            }
            done.store(true, Ordering::Relaxed);
            watcher.join().unwrap()
        });
        assert_eq!(missing, 0, "the output was seen missing {missing} times");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "299"
        );
    }

    /// The fallback where there is no exchange: the old output goes aside, the new one in.
    #[test]
    fn the_fallback_swaps_by_two_renames() {
        let dir = tempfile::tempdir().unwrap();
        let (staged, out, aside) = (
            dir.path().join("new"),
            dir.path().join("public"),
            dir.path().join("aside"),
        );
        for (d, text) in [(&staged, "new"), (&out, "old"), (&aside, "stale")] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("index.html"), text).unwrap();
        }
        assert_eq!(swap_by_renames(&staged, &out, &aside).unwrap(), aside);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(aside.join("index.html")).unwrap(),
            "old"
        );
        assert!(!staged.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_tree_is_deleted_without_following_its_links() {
        let base = tempfile::tempdir().unwrap();
        let keep = base.path().join("keep");
        std::fs::create_dir_all(keep.join("inner")).unwrap();
        std::fs::write(keep.join("inner/file.txt"), "kept").unwrap();
        std::fs::write(keep.join(MARKER), MARKER_TEXT).unwrap();
        let tree = base.path().join("tree");
        std::fs::create_dir_all(tree.join("a/b")).unwrap();
        std::fs::write(tree.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(tree.join("a/b/index.html"), "x").unwrap();
        std::fs::write(tree.join("a/index.html"), "x").unwrap();
        std::os::unix::fs::symlink(&keep, tree.join("a/folder-link")).unwrap();
        std::os::unix::fs::symlink(keep.join("inner/file.txt"), tree.join("file-link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            std::fs::read_to_string(keep.join("inner/file.txt")).unwrap(),
            "kept"
        );
        assert!(keep.join(MARKER).is_file());
        // A link given as the tree itself is removed, not what it points at.
        let link = base.path().join("link");
        std::os::unix::fs::symlink(&keep, &link).unwrap();
        remove_tree(&link).unwrap();
        assert!(std::fs::symlink_metadata(&link).is_err());
        assert!(keep.join("inner/file.txt").is_file());
    }

    #[test]
    fn files_go_into_folders_made_once_and_made_again_if_deleted() {
        let base = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(base.path().join("site")).unwrap();
        let out = base.path().join("site/public");
        let staging = Staging::new(&base.path().join("site"), &out).unwrap();
        staging.put_slice("a/b/index.html", b"1");
        staging.put_slice("a/b/other.txt", b"2");
        // Deleted behind the staging's back: the next file into it makes it again.
        let dir = staging.dir.clone().unwrap();
        std::fs::remove_dir_all(dir.join("a")).unwrap();
        staging.put_slice("a/b/third.txt", b"3");
        staging.put_slice("top.txt", b"4");
        assert_eq!(std::fs::read(dir.join("a/b/third.txt")).unwrap(), b"3");
        assert_eq!(std::fs::read(dir.join("top.txt")).unwrap(), b"4");
        staging.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/b/third.txt")).unwrap(), b"3");
        assert!(!out.join("a/b/index.html").exists());
    }

    #[test]
    fn leftovers_are_known_by_name() {
        assert_eq!(
            leftover_pid(".public.new-4242-aB3dE9", "public"),
            Some(4242)
        );
        assert_eq!(leftover_pid(".public.old-4242", "public"), Some(4242));
        assert_eq!(leftover_pid(".www.v2.new-7-x", "www.v2"), Some(7));
        for not in [
            ".public.new-aB3dE9",
            ".public.new-4242",
            ".public.old-",
            ".public.old-12x",
            ".other.old-4242",
            "public.old-4242",
        ] {
            assert_eq!(leftover_pid(not, "public"), None, "{not}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn real_paths_resolve_links_in_the_part_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("site/content")).unwrap();
        std::os::unix::fs::symlink(base.join("site"), base.join("link")).unwrap();
        assert_eq!(
            real_path(&dir.path().join("link/content/missing/../out")),
            base.join("site/content/out")
        );
        assert_eq!(
            real_path(&dir.path().join("link/../site/./x")),
            base.join("site/x")
        );
    }

    /// A staging folder deleted under the build (by another program) is never swapped in, even
    /// though later writes make parts of it again.
    #[test]
    fn a_staging_folder_deleted_meanwhile_is_not_swapped_in() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "one")], dir.path(), &out).unwrap();
        let staging = Staging::new(dir.path(), &out).unwrap();
        staging.put("a/index.html", Cow::Borrowed(b"a"));
        std::fs::remove_dir_all(staging.dir.as_ref().unwrap()).unwrap();
        staging.put("b/index.html", Cow::Borrowed(b"b"));
        let err = staging.commit().unwrap_err();
        assert!(err.message.contains("was deleted"), "{}", err.message);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    #[test]
    fn refuses_foreign_folders_and_the_site_itself() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "x").unwrap();
        assert!(check_output_dir(dir.path(), &dir.path().join("content")).is_err());
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        let other = dir.path().join("docs");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("keep.txt"), "x").unwrap();
        assert!(check_output_dir(dir.path(), &other).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("public")).is_ok());
    }
}
