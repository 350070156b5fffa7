//! Whole-CLI runs: the repository's own site, `new`, `--help`, the output guard, drafts, the
//! built-in theme and overrides, copied files, URLs, sections and tags.

mod common;

use std::path::{Path, PathBuf};

use common::{Site, assert_same_tree, briefing, briefing_site, hrefs, read, run, tree};
use predicates::prelude::*;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the repository's own site into `out`.
fn build_default_site(out: &Path) {
    briefing()
        .arg("build")
        .arg("-r")
        .arg(repo_root())
        .arg("-o")
        .arg(out)
        .assert()
        .success()
        .stderr(predicate::str::contains("panicked").not());
}

/// Front matter of a content file, as YAML.
fn front_matter(path: &Path) -> serde_yaml::Value {
    let text = read(path);
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let end = rest
        .find("\n---")
        .unwrap_or_else(|| panic!("{} has unclosed front matter", path.display()));
    serde_yaml::from_str(&rest[..end]).unwrap()
}

/// A simple ASCII slug, enough for the repository's own (ASCII) file names.
fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Each folder of a content path slugged (`a b/c` → `a-b/c`).
fn slug_path(dir: &str) -> String {
    dir.split('/').map(ascii_slug).collect::<Vec<_>>().join("/")
}

#[test]
fn default_site_builds_every_page_listing_and_tag() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_default_site(&out);

    assert!(out.join("index.html").is_file(), "index.html");
    assert!(out.join("404.html").is_file(), "404.html");
    assert!(out.join(".briefing").is_file(), "the output marker");

    let content = repo_root().join("content");
    let settings: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(repo_root().join("site.yaml")).unwrap())
            .unwrap();
    let languages: Vec<String> = settings
        .get("languages")
        .and_then(|l| l.as_sequence())
        .into_iter()
        .flatten()
        .skip(1)
        .filter_map(|l| l.get("code").and_then(|c| c.as_str()).map(str::to_string))
        .collect();
    let mut pages = 0;
    let mut tags: Vec<String> = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            // Every folder has a listing page.
            let listing = if rel.is_empty() {
                "index.html".to_string()
            } else {
                format!("{}/index.html", slug_path(&rel))
            };
            assert!(
                out.join(&listing).is_file(),
                "no listing {listing} for content/{rel}"
            );
            continue;
        }
        let Some(stem) = rel.strip_suffix(".md") else {
            continue;
        };
        // A translation (`x.uk.md`) is built in its edition, under `/uk/`.
        let (stem, edition) = match stem.rsplit_once('.') {
            Some((base, lang)) if languages.iter().any(|l| l == lang) => (base, format!("{lang}/")),
            _ => (stem, String::new()),
        };
        let fm = front_matter(entry.path());
        if let Some(t) = fm.get("tags").and_then(|t| t.as_sequence()) {
            tags.extend(t.iter().filter_map(|t| t.as_str().map(str::to_string)));
        }
        if stem.ends_with("_index") || fm.get("draft").and_then(|d| d.as_bool()) == Some(true) {
            continue;
        }
        let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        let is_record = ["talks", "parties", "people", "topics"].contains(&dir);
        let last = match fm.get("slug").and_then(|s| s.as_str()) {
            Some(s) if !is_record => ascii_slug(s),
            _ if is_record => name.to_string(),
            _ => ascii_slug(name),
        };
        let dir = if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", slug_path(dir))
        };
        let page = format!("{edition}{dir}{last}/index.html");
        assert!(
            out.join(&page).is_file(),
            "no page {page} for content/{rel}"
        );
        pages += 1;
    }
    assert!(pages >= 5, "the default site has pages ({pages})");

    if repo_root().join("content/sources.yaml").is_file() {
        assert!(out.join("sources/index.html").is_file(), "the source list");
    }
    if repo_root().join("content/timeline.yaml").is_file() {
        assert!(out.join("timeline/index.html").is_file(), "the timeline");
    }

    // Every tag has a page, linked from /tags/.
    assert!(!tags.is_empty(), "the default site uses tags");
    let tag_list = read(&out.join("tags/index.html"));
    for name in &tags {
        let marker = format!(">{name}</a>");
        let at = tag_list
            .find(&marker)
            .unwrap_or_else(|| panic!("/tags/ does not list `{name}`"));
        let href_start = tag_list[..at].rfind("href=\"").unwrap() + "href=\"".len();
        let href = &tag_list[href_start..tag_list[href_start..].find('"').unwrap() + href_start];
        let file = out.join(href.trim_start_matches('/')).join("index.html");
        assert!(
            file.is_file(),
            "tag `{name}` links to {href}, which was not built"
        );
    }
}

#[test]
fn default_site_passes_check() {
    briefing()
        .arg("check")
        .arg("-r")
        .arg(repo_root())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Check passed"))
        .stderr(predicate::str::contains("error[").not());
}

#[test]
fn default_site_builds_byte_identically_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_default_site(&a);
    build_default_site(&b);
    let first = tree(&a);
    assert!(first.len() > 10, "the build wrote files");
    assert_same_tree(&first, &tree(&b), "two builds of the default site");
    // Rebuilding into the same (briefing-owned) folder gives the same bytes again.
    build_default_site(&a);
    assert_same_tree(&first, &tree(&a), "a rebuild into the same folder");
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "no temporary folders left behind: {names:?}"
    );
}

#[test]
fn new_creates_a_site_that_builds_and_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x");
    briefing().arg("new").arg(&dir).assert().success();
    assert!(dir.join("site.yaml").is_file());
    assert!(dir.join("content").is_dir());
    briefing()
        .arg("build")
        .arg("-r")
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("error[").not());
    assert!(dir.join("public/index.html").is_file());
    briefing()
        .arg("check")
        .arg("-r")
        .arg(&dir)
        .assert()
        .success();
}

#[test]
fn the_scaffold_shows_a_talk_between_two_parties_with_a_mediator() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x");
    briefing().arg("new").arg(&dir).assert().success();
    let talk = read(&dir.join("content/talks/first-round.md"));
    let front = talk.split("---\n").nth(1).expect("front matter");
    let front: serde_yaml::Value = serde_yaml::from_str(front).expect("YAML front matter");
    let delegations = front["delegations"].as_sequence().expect("delegations");
    let parties: Vec<&str> = delegations
        .iter()
        .map(|d| d["party"].as_str().expect("a party"))
        .collect();
    assert_eq!(parties, ["party-a", "party-b"]);
    assert_eq!(front["mediators"][0]["party"].as_str(), Some("mediator"));
    // Comments name every allowed value.
    let comment_of = |text: &str, key: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("# {key}:")))
            .unwrap_or_else(|| panic!("no comment on `{key}` in:\n{text}"))
            .to_string()
    };
    let status = comment_of(&talk, "status");
    for v in [
        "scheduled",
        "postponed",
        "under-way",
        "concluded",
        "cancelled",
    ] {
        assert!(status.contains(v), "{status}");
    }
    let party = read(&dir.join("content/parties/party-a.md"));
    let stance = comment_of(&party, "stance");
    for v in ["demands", "proposes", "supports", "conditional", "rejects"] {
        assert!(stance.contains(v), "{stance}");
    }
    let kind = comment_of(&party, "kind");
    for v in ["state", "organisation"] {
        assert!(kind.contains(v), "{kind}");
    }
    let timeline: serde_yaml::Value =
        serde_yaml::from_str(&read(&dir.join("content/timeline.yaml"))).expect("timeline YAML");
    assert!(!timeline.as_sequence().expect("a list").is_empty());
    // The timeline event is on the built site.
    briefing()
        .arg("build")
        .arg("-r")
        .arg(&dir)
        .assert()
        .success();
    let out = common::tree(&dir.join("public"));
    assert!(
        !common::files_containing(&out, "accept the mediator").is_empty(),
        "the timeline event is not on any page"
    );
}

#[test]
fn new_accepts_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    briefing().arg("new").arg(tmp.path()).assert().success();
    assert!(tmp.path().join("site.yaml").is_file());
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    briefing()
        .arg("new")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not empty"));
    assert_eq!(read(&tmp.path().join("notes.txt")), "mine");
    assert!(
        !tmp.path().join("site.yaml").exists(),
        "nothing was written"
    );
}

#[test]
fn help_and_version() {
    let help = briefing().arg("--help").assert().success();
    let out = String::from_utf8_lossy(&help.get_output().stdout).into_owned();
    for word in ["build", "check", "new"] {
        assert!(out.contains(word), "--help mentions `{word}`:\n{out}");
    }
    briefing()
        .args(["build", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--drafts"))
        .stdout(predicate::str::contains("--output"))
        .stdout(predicate::str::contains("--base-url"));
    briefing()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    briefing()
        .args(["build", "--no-such-flag"])
        .assert()
        .code(2);
    briefing().assert().code(2);
    let tmp = tempfile::tempdir().unwrap();
    briefing()
        .arg("build")
        .arg("-r")
        .arg(tmp.path().join("does-not-exist"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    assert!(
        !tmp.path().join("does-not-exist").exists(),
        "a missing site folder is reported, not created"
    );
}

#[test]
fn a_build_that_fails_on_content_creates_no_output_folders() {
    let site = Site::new().file("content/a.md", "---\ntitle: [unclosed\n---\n");
    let out = site.root().join("new/dir/public");
    site.cmd("build", &["-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a.md"));
    assert!(
        !site.root().join("new").exists(),
        "nothing is created for an output that was never going to be written"
    );
}

/// Ctrl+C in the middle of a build: the staging folder goes, the previous output stays.
#[cfg(unix)]
#[test]
fn an_interrupted_build_leaves_no_staging_folder_and_the_old_output() {
    use std::time::{Duration, Instant};
    // Big enough that the debug binary spends a good while rendering.
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
    site.build_ok();
    let before = tree(&site.public());

    let bin = assert_cmd::cargo::cargo_bin("briefing");
    let mut child = std::process::Command::new(bin)
        .args(["build", "-q", "-r"])
        .arg(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the render to start writing into its staging folder, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut staging_seen = false;
    while Instant::now() < deadline {
        if site
            .leftovers()
            .iter()
            .any(|n| n.starts_with(".public.new-"))
        {
            staging_seen = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        staging_seen,
        "the build ended before its staging folder was seen"
    );
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the interrupted build did not exit"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert_eq!(
        site.leftovers(),
        Vec::<String>::new(),
        "nothing left beside public/"
    );
    assert_same_tree(&before, &tree(&site.public()), "the previous output");
}

#[test]
fn output_guard_refuses_a_foreign_folder() {
    let site = briefing_site();
    let tmp = tempfile::tempdir().unwrap();
    let foreign = tmp.path().join("docs");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "precious").unwrap();
    let before = tree(&foreign);
    let r = run({
        let mut c = site.cmd("build", &["-o"]);
        c.arg(&foreign);
        c
    });
    r.code(2);
    r.error("not written by briefing");
    assert_same_tree(&before, &tree(&foreign), "the foreign folder");

    // An empty folder is fine, and once briefing has written it, so is a rebuild.
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    for _ in 0..2 {
        let mut c = site.cmd("build", &["-o"]);
        c.arg(&fresh);
        run(c).code(0);
    }
    assert!(fresh.join("index.html").is_file());
}

#[test]
fn output_guard_refuses_content_and_the_site_itself() {
    let site = briefing_site();
    let before = tree(site.root());
    for out in [
        site.path("content"),
        site.path("content/notes"),
        site.root().to_path_buf(),
    ] {
        let mut c = site.cmd("build", &["-o"]);
        c.arg(&out);
        let r = run(c);
        r.code(2);
        r.error("refusing");
    }
    assert_same_tree(&before, &tree(site.root()), "the site folder");
}

#[test]
fn drafts_are_built_only_with_drafts() {
    let site = briefing_site().file(
        "content/notes/secret-plan.md",
        "---\ntitle: Draft plan\ndraft: true\ntags: [drafty]\n---\n\nNot yet.\n",
    );
    site.build_ok();
    assert!(!site.out_exists("notes/secret-plan/index.html"));
    assert!(!site.read_out("notes/index.html").contains("Draft plan"));
    assert!(!site.out_exists("tags/drafty/index.html"));
    assert!(site.out_exists("notes/a/index.html"));

    run(site.cmd("build", &["--drafts"])).code(0);
    assert!(site.out_exists("notes/secret-plan/index.html"));
    assert!(site.read_out("notes/index.html").contains("Draft plan"));
    assert!(site.out_exists("tags/drafty/index.html"));
}

#[test]
fn a_site_without_templates_or_static_uses_the_built_in_theme() {
    let site = Site::new().file(
        "content/hello.md",
        "---\ntitle: Hello\n---\n\nHi *there*.\n",
    );
    site.build_ok();
    assert!(!site.path("templates").exists() && !site.path("static").exists());
    let html = site.read_out("hello/index.html");
    assert!(html.contains("<em>there</em>"), "{html}");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    let css: Vec<String> = hrefs(&html)
        .into_iter()
        .filter(|h| h.ends_with(".css"))
        .collect();
    assert!(!css.is_empty(), "the page links a stylesheet:\n{html}");
    for href in css {
        let file = site.public().join(href.trim_start_matches('/'));
        let bytes =
            std::fs::read(&file).unwrap_or_else(|_| panic!("stylesheet {href} was not written"));
        assert!(!bytes.is_empty(), "stylesheet {href} is empty");
    }
    assert!(site.out_exists("index.html") && site.out_exists("404.html"));
}

#[test]
fn a_sites_page_template_overrides_the_built_in_one() {
    let site = Site::new()
        .file(
            "content/hello.md",
            "---\ntitle: Hello\n---\n\nHi *there*.\n",
        )
        .file(
            "templates/page.html",
            "<p id=\"custom\">CUSTOM PAGE {{ page.title }}</p>\n{{ page.content | safe }}\n",
        );
    site.build_ok();
    let html = site.read_out("hello/index.html");
    assert!(
        html.starts_with("<p id=\"custom\">CUSTOM PAGE Hello</p>"),
        "{html}"
    );
    assert!(html.contains("<em>there</em>"), "{html}");
    assert!(
        !html.contains("<!DOCTYPE html>"),
        "the built-in page was used:\n{html}"
    );
    // Other outputs still use the built-in theme.
    assert!(site.read_out("index.html").contains("<!DOCTYPE html>"));
}

#[test]
fn an_image_beside_a_page_is_copied() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image bytes \xff\xfe";
    let site = Site::new()
        .file(
            "content/notes/map-page.md",
            "---\ntitle: Map\n---\n\n![The map](map.png)\n",
        )
        .file("content/notes/map.png", png);
    site.build_ok();
    assert_eq!(
        std::fs::read(site.public().join("notes/map.png")).unwrap(),
        png
    );
    let html = site.read_out("notes/map-page/index.html");
    assert!(html.contains("src=\"/notes/map.png\""), "{html}");
}

#[test]
fn file_names_are_transliterated_into_slugs() {
    let site = Site::new()
        .file(
            "content/notes/Переговори 2025.md",
            "---\ntitle: Переговори\n---\n\nТекст.\n",
        )
        .file("content/Новини/_index.md", "---\ntitle: Новини\n---\n")
        .file("content/Новини/Перша новина.md", "---\ntitle: Перша\n---\n");
    site.build_ok();
    let html = site.read_out("notes/peregovori-2025/index.html");
    assert!(html.contains("Переговори"), "{html}");
    assert!(site.out_exists("novini/index.html"));
    assert!(site.out_exists("novini/persha-novina/index.html"));
    assert!(
        site.read_out("notes/index.html")
            .contains("href=\"/notes/peregovori-2025/\""),
        "the listing links the slug URL"
    );
}

#[test]
fn a_tag_given_twice_lists_its_page_once() {
    let site = Site::new()
        .file(
            "content/notes/a.md",
            "---\ntitle: Alpha\ntags: [Energy, energy, ENERGY!, Gas]\n---\n",
        )
        .file(
            "content/notes/b.md",
            "---\ntitle: Beta\ntags: [energy]\n---\n",
        );
    site.build_ok();
    let html = site.read_out("tags/energy/index.html");
    assert_eq!(html.matches("href=\"/notes/a/\"").count(), 1, "{html}");
    assert_eq!(html.matches("href=\"/notes/b/\"").count(), 1, "{html}");
    let page = site.read_out("notes/a/index.html");
    assert_eq!(page.matches("href=\"/tags/energy/\"").count(), 1, "{page}");
}

#[test]
fn slug_overrides_the_file_name() {
    let site = Site::new().file(
        "content/notes/x.md",
        "---\ntitle: X\nslug: A Better Name\n---\n",
    );
    site.build_ok();
    assert!(site.out_exists("notes/a-better-name/index.html"));
    assert!(!site.public().join("notes/x").exists());
}

#[test]
fn two_pages_with_the_same_output_path_are_an_error_naming_both() {
    let site = Site::new()
        .file("content/notes/first.md", "---\ntitle: One\n---\n")
        .file(
            "content/notes/second.md",
            "---\ntitle: Two\nslug: first\n---\n",
        );
    let r = site.build();
    r.code(1);
    let d = r.error("notes/first/index.html");
    assert!(
        d.message.contains("content/notes/first.md")
            && d.message.contains("content/notes/second.md"),
        "the error names both files:\n{}",
        d.text
    );
    assert!(!site.public().exists(), "nothing was written");
}

#[test]
fn sections_with_and_without_index() {
    let site = Site::new()
        .file(
            "content/analysis/_index.md",
            "---\ntitle: Deep Analysis\n---\n\nIntro to the analysis SECTIONINTRO.\n",
        )
        .file("content/analysis/one.md", "---\ntitle: Analysis one\n---\n")
        .file("content/analysis/two.md", "---\ntitle: Analysis two\n---\n")
        .file(
            "content/field-notes/three.md",
            "---\ntitle: Note three\n---\n",
        );
    site.build_ok();

    let with = site.read_out("analysis/index.html");
    assert!(with.contains("Deep Analysis"), "{with}");
    assert!(with.contains("SECTIONINTRO"), "the _index.md body is shown");
    for page in ["/analysis/one/", "/analysis/two/"] {
        assert!(
            hrefs(&with).iter().any(|h| h == page),
            "lists {page}:\n{with}"
        );
    }
    assert!(!site.public().join("analysis/_index").exists());

    let without = site.read_out("field-notes/index.html");
    assert!(
        without.contains("Field notes"),
        "titled from the folder:\n{without}"
    );
    assert!(
        hrefs(&without).iter().any(|h| h == "/field-notes/three/"),
        "{without}"
    );
}

#[test]
fn every_tag_gets_a_page_and_the_tag_list_links_them() {
    let site = Site::new()
        .file(
            "content/a.md",
            "---\ntitle: Page A\ntags: [Ceasefire, Prisoner exchange]\n---\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: Page B\ntags: [ceasefire]\n---\n",
        )
        .file(
            "content/c.md",
            "---\ntitle: Page C\ntags: [Переговори]\n---\n",
        );
    site.build_ok();
    let list = site.read_out("tags/index.html");
    for (slug, pages) in [
        ("ceasefire", &["/a/", "/b/"][..]),
        ("prisoner-exchange", &["/a/"][..]),
        ("peregovori", &["/c/"][..]),
    ] {
        let url = format!("/tags/{slug}/");
        assert!(hrefs(&list).contains(&url), "/tags/ links {url}:\n{list}");
        let page = site.read_out(&format!("tags/{slug}/index.html"));
        for p in pages {
            assert!(
                hrefs(&page).iter().any(|h| h == p),
                "{url} lists {p}:\n{page}"
            );
        }
    }
    // `Ceasefire` and `ceasefire` are one tag; nothing else is built under tags/.
    let tag_dirs = std::fs::read_dir(site.public().join("tags"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_dir())
        .count();
    assert_eq!(tag_dirs, 3);
    assert!(!site.read_out("tags/ceasefire/index.html").contains("/c/\""));
}

#[test]
fn check_strict_fails_on_warnings_only() {
    // A talk still `scheduled` after its start is a warning, not an error.
    let site = briefing_site();
    site.write(
        "site.yaml",
        "base_url: https://example.org/\nas_of: 2025-06-01\n",
    );
    run(site.cmd("check", &[])).code(0);
    let strict = run(site.cmd("check", &["--strict"]));
    strict.code(1);
    assert!(strict.stderr.contains("warning[W"), "{}", strict.stderr);
    site.write("site.yaml", "base_url: https://example.org/\n");
    run(site.cmd("check", &["--strict"])).code(0);
    assert!(!site.public().exists(), "check writes nothing");
}

/// The HTML of one small page, rendered through a minimal page template of the site's own (so the
/// snapshot shows what Markdown rendering produces, not the theme around it).
#[test]
fn snapshot_of_a_rendered_page() {
    let site = Site::new()
        .file("site.yaml", "title: Snap\nbase_url: https://example.org/sub/\n")
        .file(
            "templates/page.html",
            "<h1>{{ page.title }}</h1>\n\
             <ul class=\"tags\">{% for t in page.tags %}<li><a href=\"{{ t.url }}\">{{ t.name }}</a></li>{% endfor %}</ul>\n\
             <nav>{% for h in page.toc %}<a href=\"#{{ h.id }}\">{{ h.title }}</a> {% endfor %}</nav>\n\
             {{ page.content | safe }}",
        )
        .file("content/notes/other.md", "---\ntitle: Other\n---\n")
        .file(
            "content/notes/tiny.md",
            "---\ntitle: A \"tiny\" page\ntags: [Talks]\n---\n\n\
             ## Where things stand\n\n\
             The talks -- \"so far\" -- went *slowly*; see [the other note](@/notes/other.md)\n\
             and [the agency](https://example.org/agency).\n\n\
             ## Where things stand\n\n\
             - one `code`\n- two <b>raw</b>\n",
        );
    site.build_ok();
    insta::assert_snapshot!("tiny_page", site.read_out("notes/tiny/index.html"));
}

/// `title:` of a delegation head is optional in the talk's front matter, so a talk without it
/// must build with the built-in theme.
#[test]
fn a_delegation_head_without_a_title_builds() {
    let site = briefing_site();
    let text = common::talk("mediator", "jane-doe", "ceasefire", "src-one")
        .replace("      title: Minister\n", "");
    assert!(!text.contains("Minister"));
    site.write("content/talks/round-one.md", text);
    site.build_ok();
    let html = site.read_out("talks/round-one/index.html");
    assert!(
        html.contains("/people/jane-doe/"),
        "the head is shown:\n{html}"
    );
}

/// Issue 14, item 7: a newsroom at the root of its own domain cites its own articles. Those are
/// external links; only a same-host URL whose first segment the site builds is internal.
#[test]
fn a_new_briefing_builds_at_the_root_of_the_domain_its_sources_are_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x");
    briefing().arg("new").arg(&dir).assert().success();
    let r = run({
        let mut c = briefing();
        c.arg("build")
            .arg("-r")
            .arg(&dir)
            .args(["-u", "https://example.org/"]);
        c
    });
    r.code(0);
    assert!(!r.stderr.contains("error"), "{}", r.stderr);
    let sources = read(&dir.join("public/sources/index.html"));
    assert!(
        hrefs(&sources).contains(&"https://example.org/news/talks-open".to_string()),
        "the source keeps its own URL"
    );
}

#[test]
fn with_a_root_base_url_same_host_links_are_internal_only_under_what_the_site_builds() {
    let body = "[ours](https://example.org/news/2025/our-story) \
                [home](https://example.org/) \
                [note](https://example.org/notes/a/) \
                [gone](https://example.org/notes/missing/)\n";
    let site = Site::new()
        .file("site.yaml", "base_url: https://example.org/\n")
        .file("content/notes/a.md", "---\ntitle: A\n---\n\nA.\n")
        .file("content/b.md", format!("---\ntitle: B\n---\n\n{body}"));
    let r = site.build();
    r.code(1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].contains("https://example.org/notes/missing/"),
        "{}",
        r.stderr
    );
}

#[test]
fn under_a_sub_path_everything_below_the_base_path_is_internal() {
    let body = "[elsewhere](https://example.org/news/our-story) \
                [inside](https://example.org/sub/news/our-story)\n";
    let site = Site::new()
        .file("site.yaml", "base_url: https://example.org/sub/\n")
        .file("content/b.md", format!("---\ntitle: B\n---\n\n{body}"));
    let r = site.build();
    r.code(1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].contains("https://example.org/sub/news/our-story"),
        "{}",
        r.stderr
    );
}

/// Issue 14, item 9: `check` takes the site flags `build` takes.
#[test]
fn check_takes_the_site_flags_build_takes() {
    let site = Site::new()
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n\n[own](https://example.org/notes/gone/)\n",
        )
        .file("content/notes/b.md", "---\ntitle: B\n---\n\nB.\n")
        .file(
            "content/notes/draft.md",
            "---\ntitle: Draft\ndraft: true\n---\n\n[broken](@/notes/nothing.md)\n",
        );
    // Without a base URL the link is external, and the draft is left out.
    run(site.cmd("check", &[])).code(0);
    // With one, it points into the site and is broken.
    for flag in ["-u", "--base-url"] {
        let r = run(site.cmd("check", &[flag, "https://example.org/"]));
        r.code(1);
        assert!(
            r.stderr
                .contains("broken link `https://example.org/notes/gone/`"),
            "{}",
            r.stderr
        );
    }
    // --drafts checks the draft too.
    let r = run(site.cmd("check", &["--drafts"]));
    r.code(1);
    assert!(r.stderr.contains("nothing.md"), "{}", r.stderr);
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn a_new_briefing_and_the_default_site_pass_check_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x");
    briefing().arg("new").arg(&dir).assert().success();
    for root in [dir.as_path(), repo_root().as_path()] {
        let r = run({
            let mut c = briefing();
            c.arg("check").arg("--strict").arg("-r").arg(root);
            c
        });
        r.code(0);
        assert!(!r.stderr.contains("warning"), "{}", r.stderr);
        // And with the base URL it would be published at.
        let r = run({
            let mut c = briefing();
            c.args(["check", "--strict", "-u", "https://example.org/", "-r"])
                .arg(root);
            c
        });
        r.code(0);
    }
}
