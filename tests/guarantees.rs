//! Whole-CLI checks of what a build promises about the disk (see "Guarantees" in the README):
//! links are never deleted or read through, a site folder that cannot be read is an error rather
//! than an empty site, an interrupted or killed build leaves nothing behind for long, and a
//! settings file that is not valid YAML never prints more than its offending line.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

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

// --- 4. Interruptions and leftovers ----------------------------------------------------------

/// A site big enough that the debug binary spends a good while rendering it.
fn big_site() -> Site {
    let mut site = Site::new();
    let para = "Delegations met in the palace and talked for two hours about prisoners. ".repeat(8);
    for i in 0..3000 {
        site = site.file(
            &format!("content/notes/note-{i:04}.md"),
            format!(
                "---\ntitle: Note {i}\ntags: [talks]\n---\n\n## One\n\n{para}\n\n## Two\n\n{para}\n"
            ),
        );
    }
    site
}

/// Start `briefing build -q -r ROOT` and wait until its staging folder appears.
fn start_build_and_wait_for_staging(site: &Site) -> Child {
    let bin = assert_cmd::cargo::cargo_bin("briefing");
    let mut child = std::process::Command::new(bin)
        .args(["build", "-q", "-r"])
        .arg(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if site
            .leftovers()
            .iter()
            .any(|n| n.starts_with(".public.new-"))
        {
            return child;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the build ended before its staging folder was seen");
}

fn signal(child: &Child, name: &str) {
    let sent = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Wait (reaping it, so its process id is free) for a child to exit.
fn wait_for(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "the build did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn sighup_is_handled_like_sigterm() {
    let site = big_site();
    site.build_ok();
    let before = tree(&site.public());
    let mut child = start_build_and_wait_for_staging(&site);
    signal(&child, "HUP");
    let status = wait_for(&mut child);
    assert_eq!(status.code(), Some(129), "{status:?}");
    assert_eq!(
        site.leftovers(),
        Vec::<String>::new(),
        "nothing left beside public/"
    );
    assert_same_tree(&before, &tree(&site.public()), "the previous output");
}

/// SIGKILL cannot be caught: the staging folder stays, and the next build removes it.
#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let site = big_site();
    site.build_ok();
    let mut child = start_build_and_wait_for_staging(&site);
    signal(&child, "KILL");
    wait_for(&mut child);
    let left = site.leftovers();
    assert!(!left.is_empty(), "the killed build left nothing to clean");
    site.build_ok();
    assert_eq!(
        site.leftovers(),
        Vec::<String>::new(),
        "left before: {left:?}"
    );
    assert!(site.out_exists("notes/note-0001/index.html"));
}

/// A process id that is not alive: a child that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut c = std::process::Command::new("true").spawn().unwrap();
    let id = c.id();
    c.wait().unwrap();
    id
}

/// Only folders that are ours (the `.briefing` marker, named after the process that made them)
/// and whose process is gone are removed; a link named like a leftover is never followed.
#[test]
fn only_our_leftovers_of_dead_builds_are_removed() {
    let site = briefing_site();
    site.build_ok();
    let dead = dead_pid();
    let alive = std::process::id();
    let ours = |name: &str| {
        let dir = site.path(name);
        std::fs::create_dir_all(dir.join("notes")).unwrap();
        std::fs::write(dir.join(".briefing"), "written by briefing\n").unwrap();
        std::fs::write(dir.join("notes/index.html"), "old").unwrap();
    };
    ours(&format!(".public.new-{dead}-AbC123"));
    ours(&format!(".public.old-{dead}"));
    // Still being built by a live process.
    ours(&format!(".public.new-{alive}-XyZ789"));
    // Not ours: no marker.
    let foreign = site.path(&format!(".public.new-{dead}-NoMark"));
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("mine.txt"), "not briefing's").unwrap();
    // A link named like a leftover, to a folder that looks like ours: the link goes, never
    // what it points at.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join(".briefing"), "x").unwrap();
    std::fs::write(elsewhere.path().join("keep.html"), "keep").unwrap();
    symlink(
        elsewhere.path(),
        site.path(&format!(".public.old-{}", dead_pid())),
    )
    .unwrap();

    site.build_ok();
    let mut left = site.leftovers();
    left.sort();
    let mut expected = vec![
        format!(".public.new-{alive}-XyZ789"),
        format!(".public.new-{dead}-NoMark"),
    ];
    expected.sort();
    // The link is either kept or removed, but what it points at is untouched.
    left.retain(|n| {
        !std::fs::symlink_metadata(site.path(n))
            .unwrap()
            .is_symlink()
    });
    assert_eq!(left, expected);
    assert!(elsewhere.path().join("keep.html").is_file());
    assert!(foreign.join("mine.txt").is_file());
}

/// Makes a folder's contents undeletable while it lives, and deletable again when dropped.
struct Undeletable {
    /// The folder (made read-only) or the file in it (made immutable).
    dir: PathBuf,
    how: &'static str,
}

impl Undeletable {
    /// A folder whose permissions forbid deleting its files (as a normal user), or a file in it
    /// marked immutable (as root, who ignores permissions). `None` if neither works here.
    fn make(dir: &Path) -> Option<Undeletable> {
        let probe = dir.join("probe");
        std::fs::write(&probe, "x").unwrap();
        let mut it = Undeletable {
            dir: dir.to_path_buf(),
            how: "chmod",
        };
        it.set(true);
        if std::fs::remove_file(&probe).is_err() {
            return Some(it);
        }
        it.set(false);
        std::fs::write(&probe, "x").unwrap();
        it.how = "chattr";
        it.set(true);
        if std::fs::remove_file(&probe).is_err() {
            return Some(it);
        }
        it.how = "none";
        None
    }

    /// The folder was moved (with the output it is in).
    fn moved_to(&mut self, dir: PathBuf) {
        self.dir = dir;
    }

    fn set(&self, locked: bool) {
        use std::os::unix::fs::PermissionsExt;
        match self.how {
            "chmod" => {
                let mode = if locked { 0o555 } else { 0o755 };
                let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(mode));
            }
            "chattr" => {
                let _ = std::process::Command::new("chattr")
                    .arg(if locked { "+i" } else { "-i" })
                    .arg(self.dir.join("probe"))
                    .stderr(std::process::Stdio::null())
                    .status();
            }
            _ => {}
        }
    }
}

impl Drop for Undeletable {
    fn drop(&mut self) {
        self.set(false);
    }
}

/// The old output could not be deleted: the build succeeds, says so, and a later build that
/// can delete it does.
#[test]
fn an_old_output_that_cannot_be_deleted_is_reported() {
    let site = briefing_site();
    site.build_ok();
    let Some(mut guard) = Undeletable::make(&site.public().join("notes")) else {
        // Neither permissions nor the immutable flag can stop a deletion on this machine.
        eprintln!("skipped: no way to make a file undeletable here");
        return;
    };
    let r = site.build_ok();
    let warning = common::diagnostics(&r.stderr)
        .into_iter()
        .find(|d| d.level == "warning" && d.message.contains("could not delete"))
        .unwrap_or_else(|| panic!("no warning about the old output:\n{}", r.stderr));
    let left = site.leftovers();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(warning.message.contains(&left[0]), "{}", warning.text);
    assert!(
        site.out_exists("notes/a/index.html"),
        "the new site is in place"
    );
    assert!(
        !site.out_exists("notes/probe"),
        "the new site is the new one"
    );
    guard.moved_to(site.path(&left[0]).join("notes"));
    drop(guard);
    site.build_ok();
    assert_eq!(site.leftovers(), Vec::<String>::new());
}

// --- 5. The output guard sees through links --------------------------------------------------

#[test]
fn the_output_guard_compares_real_paths() {
    let site = briefing_site();
    let links = tempfile::tempdir().unwrap();
    let root_link = links.path().join("site");
    symlink(site.root(), &root_link).unwrap();
    let content_link = links.path().join("content");
    symlink(site.path("content"), &content_link).unwrap();
    let before = tree(site.root());
    let cases: Vec<(PathBuf, PathBuf)> = vec![
        // -r through a link, -o the real content folder.
        (root_link.clone(), site.path("content/out")),
        // -r the real site, -o through a link into content.
        (site.root().to_path_buf(), root_link.join("content/out")),
        (site.root().to_path_buf(), content_link.join("out")),
        // -o a link to the site itself.
        (site.root().to_path_buf(), root_link.clone()),
    ];
    for (root, out) in cases {
        let mut c = common::briefing();
        c.arg("build").arg("-r").arg(&root).arg("-o").arg(&out);
        let r = run(c);
        r.code(2);
        r.error("refusing");
        assert_same_tree(
            &before,
            &tree(site.root()),
            &format!("the site after -r {} -o {}", root.display(), out.display()),
        );
    }
}

// --- 6. site.yaml ----------------------------------------------------------------------------

#[test]
fn a_site_yaml_linked_out_of_the_site_is_refused_unread() {
    let secret = "CI-TOKEN-5d1e0b77";
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("settings.yaml");
    std::fs::write(&target, format!("title: {secret}\nbase_url: [{secret}\n")).unwrap();
    for link in [target.as_path(), Path::new("/proc/self/environ")] {
        let site = briefing_site();
        site.build_ok();
        let before = tree(&site.public());
        site.remove("site.yaml");
        symlink(link, site.path("site.yaml")).unwrap();
        for sub in ["build", "check"] {
            let mut c = site.cmd(sub, &[]);
            c.env("BRIEFING_TEST_SECRET", secret);
            let r = run(c);
            r.code(1);
            r.error("outside the site").in_file("site.yaml");
            assert!(
                !r.stderr.contains(secret),
                "{sub} printed the linked file:\n{}",
                r.stderr
            );
        }
        assert_same_tree(&before, &tree(&site.public()), "public/");
    }
}

#[test]
fn a_site_yaml_linked_inside_the_site_is_read() {
    let site = briefing_site();
    let text = common::read(&site.path("site.yaml")).replace("Test briefing", "Linked title");
    site.write("config/site.yaml", text);
    site.remove("site.yaml");
    symlink("config/site.yaml", site.path("site.yaml")).unwrap();
    site.build_ok();
    assert!(site.read_out("index.html").contains("Linked title"));
}

/// A file that is not YAML of settings: the error shows its offending line, and nothing of the
/// lines after it (serde quotes a plain scalar that runs over several lines whole).
#[test]
fn a_site_yaml_that_is_not_yaml_prints_no_more_than_its_offending_line() {
    let site = briefing_site();
    site.write(
        "site.yaml",
        "DEPLOY_USER=briefing\nDEPLOY_TOKEN=5d1e0b77\nDEPLOY_HOST=example.org\n",
    );
    let r = site.build();
    r.code(1).error_count(1);
    let e = &r.errors()[0];
    e.in_file("site.yaml");
    let line = e.locus.clone().unwrap_or_default();
    let shown: Vec<&str> = ["DEPLOY_USER", "DEPLOY_TOKEN", "DEPLOY_HOST"]
        .into_iter()
        .filter(|k| r.stderr.contains(k))
        .collect();
    assert!(
        shown.len() <= 1,
        "more than the offending line ({line}) was printed:\n{}",
        r.stderr
    );
}
