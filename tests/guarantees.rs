//! Whole-CLI checks of what a build promises about the disk (see "Guarantees" in the README):
//! links are never deleted or read through, a site folder that cannot be read is an error rather
//! than an empty site, an interrupted or killed build leaves nothing behind for long, and a
//! settings file that is not valid YAML never prints more than its offending line.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::{Site, assert_same_tree, briefing_site, run, tree};

/// Names beside `dir` (in its parent) that look like the leftovers of a build into it.
fn leftovers_beside(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!(".{name}.");
    std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

fn build_with(site: &Site, args: &[&str], extra: &[&Path]) -> common::Run {
    let mut c = site.cmd("build", args);
    c.args(extra);
    run(c)
}

// --- 1. A symlinked output folder ------------------------------------------------------------

/// `public` as a link to a web root outside the site: the build goes into the web root, the
/// link stays a link, and nothing is deleted through it.
#[test]
fn a_symlinked_output_folder_is_built_into_its_target_and_the_link_is_kept() {
    let site = briefing_site();
    let web = tempfile::tempdir().unwrap();
    let webroot = web.path().join("www");
    // A first build straight into the web root: it is briefing's own output.
    build_with(&site, &["-o"], &[&webroot]).code(0);
    assert!(webroot.join("notes/a/index.html").is_file());
    symlink(&webroot, site.public()).unwrap();

    site.remove("content/notes/a.md");
    site.write(
        "content/notes/b.md",
        "---\ntitle: Note B\n---\n\nAnother note.\n",
    );
    for round in 0..2 {
        site.build_ok();
        let meta = std::fs::symlink_metadata(site.public()).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "round {round}: public/ is no longer a link"
        );
        assert_eq!(std::fs::read_link(site.public()).unwrap(), webroot);
        assert!(
            webroot.join("notes/b/index.html").is_file(),
            "round {round}: the new site is not in the link's target"
        );
        assert!(
            !webroot.join("notes/a").exists(),
            "round {round}: the old output was not replaced"
        );
        assert!(webroot.join(".briefing").is_file());
        assert_eq!(site.leftovers(), Vec::<String>::new(), "round {round}");
        assert_eq!(
            leftovers_beside(&webroot),
            Vec::<String>::new(),
            "round {round}"
        );
    }
}

/// A link to a folder briefing did not write is refused like the folder itself, and neither the
/// link nor the folder changes.
#[test]
fn a_symlinked_output_folder_that_is_not_ours_is_refused() {
    let site = briefing_site();
    let web = tempfile::tempdir().unwrap();
    let webroot = web.path().join("www");
    std::fs::create_dir_all(&webroot).unwrap();
    std::fs::write(webroot.join("precious.txt"), "keep me").unwrap();
    symlink(&webroot, site.public()).unwrap();
    let before = tree(web.path());
    let r = site.build();
    r.code(2);
    r.error("not written by briefing");
    assert_same_tree(&before, &tree(web.path()), "the web root");
    assert!(
        std::fs::symlink_metadata(site.public())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(site.leftovers(), Vec::<String>::new());
}

/// A link to nothing is refused with a message naming it; it is not replaced by a folder.
#[test]
fn a_dangling_output_link_is_refused_and_kept() {
    let site = briefing_site();
    let web = tempfile::tempdir().unwrap();
    let missing = web.path().join("not-there");
    symlink(&missing, site.public()).unwrap();
    let r = site.build();
    r.code(2);
    let d = r.error("symbolic link");
    assert!(d.message.contains("public"), "{}", d.text);
    assert_eq!(std::fs::read_link(site.public()).unwrap(), missing);
    assert!(!missing.exists());
    assert_eq!(site.leftovers(), Vec::<String>::new());
}

// --- 2. A content folder that cannot be walked -----------------------------------------------

/// Replace `content/` by `make(site)` and build: the build fails naming `content`, and the
/// previous output is left as it was.
fn unreadable_content(make: impl FnOnce(&Site)) -> common::Run {
    let site = briefing_site();
    site.build_ok();
    let before = tree(&site.public());
    std::fs::remove_dir_all(site.path("content")).unwrap();
    make(&site);
    let r = site.build();
    r.no_panic();
    assert_ne!(
        r.code,
        Some(0),
        "an unreadable content/ built:\n{}",
        r.stderr
    );
    assert!(
        r.errors()
            .iter()
            .any(|d| d.locus.as_deref().is_some_and(|l| l.starts_with("content"))),
        "no error names content:\n{}",
        r.stderr
    );
    assert_same_tree(
        &before,
        &tree(&site.public()),
        "public/ after the failed build",
    );
    assert_eq!(site.leftovers(), Vec::<String>::new());
    let check = site.check();
    assert_eq!(check.code, r.code, "check agrees:\n{}", check.stderr);
    r
}

#[test]
fn a_broken_content_link_is_an_error() {
    let r = unreadable_content(|site| symlink(site.path("nowhere"), site.path("content")).unwrap());
    r.error("broken symbolic link");
}

#[test]
fn a_looping_content_link_is_an_error() {
    let r = unreadable_content(|site| symlink("content", site.path("content")).unwrap());
    r.error("symbolic link");
}

#[test]
fn a_content_file_instead_of_a_folder_is_an_error() {
    let r = unreadable_content(|site| site.write("content", "not a folder"));
    r.error("not a folder");
}
