//! Finding the files of a site folder: which are ignored, which are links, in a stable order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};

/// A file found under one of the site's folders.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Path relative to the folder walked, with `/` separators.
    pub(crate) rel: String,
    /// Path to read (a link inside the site is read through).
    pub(crate) abs: PathBuf,
}

/// What a walk found: files, folders (relative, `""` for the top) and problems.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    pub(crate) files: Vec<Found>,
    pub(crate) dirs: Vec<String>,
    pub(crate) problems: Vec<Diagnostic>,
}

/// Editor leftovers and hidden files that never count as content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".bck")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Walk `dir` (which may not exist) in sorted order. `root` is the site root: links that lead
/// outside it are errors naming the link, and are never followed. `root_rel` is how `dir` is
/// named in messages (`content`).
///
/// A `dir` that is missing is an empty walk; one that is there but cannot be walked (a broken or
/// looping link, a link out of the site, a file, unreadable) is an error, never an empty site.
pub(crate) fn walk(root: &Path, dir: &Path, root_rel: &str) -> Walk {
    let mut out = Walk::default();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if let Err(problem) = check_top(&canonical_root, dir) {
        if let Some(d) = problem {
            out.problems.push(d.in_file(root_rel));
        }
        return out;
    }
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                out.problems.push(
                    Diagnostic::new(Code::Io, format!("cannot read: {e}"))
                        .in_file(site_rel(root, &path)),
                );
                continue;
            }
        };
        let rel = match entry.path().strip_prefix(dir) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => continue,
        };
        let shown = if rel.is_empty() {
            root_rel.to_string()
        } else {
            format!("{root_rel}/{rel}")
        };
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => {
                    if target.is_file() {
                        out.files.push(Found {
                            rel,
                            abs: entry.path().to_path_buf(),
                        });
                    } else {
                        out.problems.push(
                            Diagnostic::new(
                                Code::SymlinkNotFollowed,
                                "symbolic link to a folder is not followed",
                            )
                            .in_file(shown),
                        );
                    }
                }
                Ok(_) => out.problems.push(
                    Diagnostic::new(
                        Code::LinkOutsideSite,
                        "symbolic link leads outside the site folder",
                    )
                    .in_file(shown)
                    .hint("copy the file into the site instead of linking to it"),
                ),
                Err(_) => out
                    .problems
                    .push(Diagnostic::new(Code::BadSymlink, "broken symbolic link").in_file(shown)),
            }
            continue;
        }
        if entry.file_type().is_dir() {
            out.dirs.push(rel);
        } else if entry.file_type().is_file() {
            out.files.push(Found {
                rel,
                abs: entry.path().to_path_buf(),
            });
        }
    }
    out
}

/// Whether the folder `dir` itself can be walked: `Err(None)` if it does not exist (nothing to
/// walk), `Err(Some(problem))` if it is there but cannot be walked.
fn check_top(canonical_root: &Path, dir: &Path) -> Result<(), Option<Diagnostic>> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(Diagnostic::new(Code::Io, format!("cannot read: {e}")))),
    };
    if meta.file_type().is_symlink() {
        let target = dir.canonicalize().map_err(|e| {
            Some(if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::new(Code::BadSymlink, "broken symbolic link")
                    .hint("point it at a folder of the site")
            } else {
                Diagnostic::new(
                    Code::BadSymlink,
                    format!("symbolic link cannot be followed: {e}"),
                )
            })
        })?;
        if !target.starts_with(canonical_root) {
            return Err(Some(
                Diagnostic::new(
                    Code::LinkOutsideSite,
                    "symbolic link leads outside the site folder",
                )
                .hint("move or copy the folder into the site instead of linking to it"),
            ));
        }
        if !target.is_dir() {
            return Err(Some(Diagnostic::new(
                Code::BadSymlink,
                "symbolic link leads to something that is not a folder",
            )));
        }
    } else if !meta.is_dir() {
        return Err(Some(Diagnostic::new(
            Code::NoSiteFolder,
            "this is not a folder",
        )));
    }
    std::fs::read_dir(dir)
        .map(drop)
        .map_err(|e| Some(Diagnostic::new(Code::Io, format!("cannot read: {e}"))))
}

/// `path` relative to the site root, for messages.
pub(crate) fn site_rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for n in [".a.md.swp", "a.md~", "#a.md#", "a.bck", "4913", ".hidden"] {
            assert!(is_ignored(n), "{n}");
        }
        for n in ["a.md", "data.yaml", "map.png"] {
            assert!(!is_ignored(n), "{n}");
        }
    }
}
