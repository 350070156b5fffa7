//! The output registry: every file a build writes is declared once (`model/outputs.rs`), so a
//! content file can never silently replace a generated one.

mod common;

use common::briefing_site;

#[test]
fn a_content_file_named_like_the_fingerprinted_stylesheet_is_a_collision() {
    let site = briefing_site();
    site.build_ok();
    let css = std::fs::read_dir(site.public())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .expect("a fingerprinted stylesheet");
    site.write(&format!("content/{css}"), "body { color: red }");
    let run = site.build();
    run.code(1);
    run.error(&format!("both write `{css}`"))
        .in_file(&format!("content/{css}"));
}

#[test]
fn a_content_file_cannot_replace_a_generated_page_or_file() {
    for (file, output) in [
        ("content/robots.txt", "robots.txt"),
        ("content/briefing.json", "briefing.json"),
        ("content/404.html", "404.html"),
    ] {
        let site = briefing_site().file(file, "mine");
        let run = site.build();
        run.code(1);
        run.error(&format!("both write `{output}`")).in_file(file);
    }
}

#[test]
fn without_a_base_url_no_sitemap_is_planned_so_a_content_sitemap_is_copied() {
    let site = briefing_site()
        .file("site.yaml", "title: T\n")
        .file("content/sitemap.xml", "<urlset/>");
    site.build_ok();
    assert_eq!(site.read_out("sitemap.xml"), "<urlset/>");
}

#[test]
fn site_yaml_zones_and_as_of_are_checked_where_they_are_written() {
    let site = briefing_site().file(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ndisplay_timezones: [UTC, Europe/Kyev]\n",
    );
    let run = site.build();
    run.code(1);
    run.error("unknown time zone `Europe/Kyev`")
        .in_file("site.yaml")
        .at("site.yaml:3:26");
    let site = briefing_site().file("site.yaml", "title: T\nas_of: 2025-02-30\n");
    let run = site.build();
    run.code(1);
    run.error("2025-02-30")
        .in_file("site.yaml")
        .at("site.yaml:2:8");
}

/// The front page shows the five newest updates of all talks; its source list must hold only
/// the sources of what it shows (it used to number every update's citations, then drop all
/// but five, leaving back-links to marks that were not on the page: a broken build).
#[test]
fn the_front_page_cites_only_the_updates_it_shows() {
    let mut sources = String::new();
    let mut updates = String::from("updates:\n");
    for n in 0..7 {
        sources.push_str(&format!("- id: s{n}\n  publisher: Agency {n}\n"));
        updates.push_str(&format!(
            "  - {{at: 2025-05-16T1{n}:00, text: Update {n}, sources: [s{n}]}}\n"
        ));
    }
    let talk = common::talk("mediator", "jane-doe", "ceasefire", "s0")
        .replace("sources: [s0]\n", &format!("sources: [s0]\n{updates}"));
    let site = briefing_site()
        .file("content/sources.yaml", &sources)
        .file(
            "content/timeline.yaml",
            "- date: 2025-05-01\n  title: Talks announced\n",
        )
        .file("content/talks/round-one.md", &talk);
    site.build_ok();
    let front = site.read_out("index.html");
    assert!(
        front.contains("Update 6") && !front.contains("Update 1<"),
        "newest five shown"
    );
    assert!(
        front.contains("Agency 6") && !front.contains("Agency 0<"),
        "{front}"
    );
}

/// Outputs that would clash on disk are site errors naming both sources, found before anything
/// is written (they used to surface as I/O failures, exit 2, while writing).
#[test]
fn a_file_where_another_output_needs_a_folder_is_a_site_error() {
    for (file, text, message) in [
        (
            "content/notes/b.md",
            "---\ntitle: B\naliases: [/robots.txt/]\n---\n\nB.\n",
            "writes the file `robots.txt`, but alias in content/notes/b.md needs a folder",
        ),
        (
            "content/notes/a",
            "an asset named like the page",
            "writes the file `notes/a`",
        ),
        (
            "static/talks",
            "a static file named like a section",
            "writes the file `talks`",
        ),
    ] {
        let site = briefing_site().file(file, text);
        let run = site.build();
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        run.error(message);
        assert!(!site.out_exists("index.html"), "{file}: nothing written");
    }
    let site = briefing_site().file(
        "content/notes/long.md",
        format!(
            "---\ntitle: Long\nslug: {}\n---\n\nText.\n",
            "x".repeat(300)
        ),
    );
    let run = site.build();
    run.code(1);
    run.error("file or folder name of 300 bytes")
        .in_file("content/notes/long.md");
}

#[test]
fn an_alias_that_is_not_a_path_is_located_at_its_line() {
    let site = briefing_site().file(
        "content/notes/b.md",
        "---\ntitle: B\naliases:\n  - /fine/\n  - https://elsewhere.example/x\n---\n\nB.\n",
    );
    let run = site.build();
    run.code(1);
    run.error("alias `https://elsewhere.example/x` is not a path on this site")
        .at("content/notes/b.md:5:5");
}

/// A clash is located where the output path comes from: the `slug:` or alias line, or line 1
/// of the file when it is the file's name.
#[test]
fn an_output_clash_is_located_at_the_key_that_makes_the_path() {
    for (file, text, locus) in [
        (
            "content/notes/b.md",
            "---\ntitle: B\nslug: a\n---\n\nB.\n",
            "content/notes/b.md:3:7",
        ),
        (
            "content/notes/b.md",
            "---\ntitle: B\naliases:\n  - /other/\n  - /notes/a/\n---\n\nB.\n",
            "content/notes/b.md:5:5",
        ),
        (
            "content/notes/A.md",
            "---\ntitle: Big A\n---\n\nA.\n",
            "content/notes/a.md:1:1",
        ),
    ] {
        let site = briefing_site().file(file, text);
        let run = site.build();
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        run.error("both write `notes/a/index.html`").at(locus);
    }
}
