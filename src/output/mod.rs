//! Stage 4, write: put a rendered site on disk, all or nothing.
//!
//! Files are written (in parallel) into a fresh temporary folder beside the output folder, which
//! is swapped in only once everything is written: a failed build leaves the previous output
//! exactly as it was. A marker file (`.briefing`) identifies folders briefing wrote; a folder
//! that is not empty and has no marker is never replaced (a guard against `-o .` or `-o content`).

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::Rendered;

/// Name of the marker file briefing writes in every output folder.
pub const MARKER: &str = ".briefing";
const MARKER_TEXT: &str =
    "This folder was written by `briefing build`; it is replaced on every build.\n";

/// Refuse output folders that would destroy something that is not ours.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let (root_abs, out_abs) = (abs(root), abs(out));
    if root_abs.starts_with(&out_abs) {
        return Err(Diagnostic::error(format!(
            "refusing to write the site into `{}`: it contains the site folder itself",
            out.display()
        ))
        .hint("choose an output folder such as ROOT/public"));
    }
    for d in ["content", "templates", "static"] {
        if out_abs.starts_with(root_abs.join(d)) {
            return Err(Diagnostic::error(format!(
                "refusing to write the site into `{}`: it is inside the site's {d}/ folder",
                out.display()
            ))
            .hint("choose an output folder such as ROOT/public"));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(Diagnostic::error(format!(
                "output `{}` exists and is not a folder",
                out.display()
            )));
        }
        let empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).is_file() {
            return Err(Diagnostic::error(format!(
                "refusing to replace `{}`: it is not empty and was not written by briefing",
                out.display()
            ))
            .hint("empty or remove it yourself, or choose another output folder"));
        }
    }
    Ok(())
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

/// Write `site` to `out`, replacing what was there only if everything was written.
pub fn write(site: &Rendered, root: &Path, out: &Path) -> Result<(), Diagnostic> {
    check_output_dir(root, out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", parent.display())))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .map_err(|e| {
            Diagnostic::error(format!(
                "cannot create a temporary folder in `{}`: {e}",
                parent.display()
            ))
        })?;

    // Folders first, then files, in parallel.
    let mut dirs: Vec<PathBuf> = site
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    dirs.sort();
    dirs.dedup();
    // create_dir_all makes missing parents and tolerates another thread making the same
    // folder at the same time.
    dirs.par_iter().try_for_each(|d| {
        std::fs::create_dir_all(tmp.path().join(d))
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", d.display())))
    })?;
    site.files
        .par_iter()
        .try_for_each(|(rel, bytes)| -> Result<(), Diagnostic> {
            let path = tmp.path().join(rel);
            let f = std::fs::File::create(&path)
                .map_err(|e| Diagnostic::error(format!("cannot write `{rel}`: {e}")))?;
            let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
            w.write_all(bytes)
                .and_then(|_| w.flush())
                .map_err(|e| Diagnostic::error(format!("cannot write `{rel}`: {e}")))
        })?;
    std::fs::write(tmp.path().join(MARKER), MARKER_TEXT)
        .map_err(|e| Diagnostic::error(format!("cannot write the marker file: {e}")))?;

    // Swap: move the old output aside, move the new one in, then delete the old one.
    let staged = tmp.keep();
    let old = if out.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            Diagnostic::error(format!(
                "cannot move the old `{}` aside: {e}",
                out.display()
            ))
        })?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&staged, out) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, out);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Diagnostic::error(format!(
            "cannot move the new site into `{}`: {e}",
            out.display()
        )));
    }
    if let Some(old) = old {
        remove_tree(&old);
    }
    Ok(())
}

/// Delete a folder tree, its top-level entries in parallel (the old output can hold tens of
/// thousands of files).
fn remove_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.par_iter().for_each(|p| {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rendered(files: &[(&str, &str)]) -> Rendered {
        let mut r = Rendered::default();
        for (p, c) in files {
            r.files.insert(
                p.to_string(),
                crate::render::Bytes::from(c.as_bytes().to_vec()),
            );
        }
        r
    }

    #[test]
    fn writes_and_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &rendered(&[("index.html", "one"), ("a/index.html", "a")]),
            dir.path(),
            &out,
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a"
        );
        write(&rendered(&[("index.html", "two")]), dir.path(), &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale files are gone");
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
