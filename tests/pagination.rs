//! Paginated section and tag listings: `paginate_by` (default 50, `0` for one page), page N at
//! `<listing>/page/N/`, page 1 at the listing's own address, the pages linked both ways, bad
//! values located in site.yaml, and a kept session re-rendering only the listing page that
//! holds an edited entry.

mod common;

use std::collections::BTreeSet;

use briefing::build::{BuildOptions, Session};
use common::{Site, hrefs};

/// A generic site with `n` dated notes (newest first in listings: note `n` on page 1), all
/// tagged `alpha`, and `site.yaml` with `settings` appended.
fn notes_site(n: usize, settings: &str) -> Site {
    let site = Site::new().file(
        "site.yaml",
        format!("title: Notes\nbase_url: https://example.org/\n{settings}"),
    );
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Field notes\n---\n\nWhat the notes are for.\n",
    );
    for i in 1..=n {
        site.write(
            &format!("content/notes/n{i:03}.md"),
            note(i, &format!("Note {i}")),
        );
    }
    site
}

fn note(i: usize, title: &str) -> String {
    // One note a day from 2020-01-01, so listing order (newest first) is fixed by the number.
    let day = jiff::civil::date(2020, 1, 1)
        .checked_add(jiff::Span::new().days(i as i64))
        .unwrap();
    format!("---\ntitle: {title}\ndate: {day}\ntags: [alpha]\n---\n\nBody of note {i}.\n")
}

/// The titles of the entries a listing page shows, in order.
fn entries(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"listing\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default();
    list.split("<h3><a href=\"")
        .skip(1)
        .filter_map(|e| e.split_once("\">").and_then(|(_, t)| t.split_once("</a>")))
        .map(|(t, _)| t.to_string())
        .collect()
}

/// The `href` of the link with `rel="…"` in the pagination nav, if any.
fn rel_link(html: &str, rel: &str) -> Option<String> {
    let nav = html
        .split("<nav class=\"pagination\"")
        .nth(1)?
        .split("</nav>")
        .next()?;
    nav.split("<a ")
        .find(|a| a.contains(&format!("rel=\"{rel}\"")))
        .and_then(|a| a.split("href=\"").nth(1))
        .and_then(|h| h.split('"').next())
        .map(str::to_string)
}

#[test]
fn listings_are_paginated_by_fifty_by_default() {
    let site = notes_site(120, "");
    site.build_ok();
    let p1 = site.read_out("notes/index.html");
    let p2 = site.read_out("notes/page/2/index.html");
    let p3 = site.read_out("notes/page/3/index.html");
    assert!(!site.out_exists("notes/page/4/index.html"));
    assert!(
        !site.out_exists("notes/page/1/index.html"),
        "page 1 stays at the section's address"
    );
    let (e1, e2, e3) = (entries(&p1), entries(&p2), entries(&p3));
    assert_eq!((e1.len(), e2.len(), e3.len()), (50, 50, 20));
    assert_eq!(e1[0], "Note 120");
    assert_eq!(e2[0], "Note 70");
    assert_eq!(e3.last().map(String::as_str), Some("Note 1"));
    // Every note on exactly one page.
    let all: BTreeSet<&String> = e1.iter().chain(&e2).chain(&e3).collect();
    assert_eq!(all.len(), 120);
    // Linked both ways.
    assert_eq!(rel_link(&p1, "prev"), None);
    assert_eq!(rel_link(&p1, "next").as_deref(), Some("/notes/page/2/"));
    assert_eq!(rel_link(&p2, "prev").as_deref(), Some("/notes/"));
    assert_eq!(rel_link(&p2, "next").as_deref(), Some("/notes/page/3/"));
    assert_eq!(rel_link(&p3, "prev").as_deref(), Some("/notes/page/2/"));
    assert_eq!(rel_link(&p3, "next"), None);
    assert!(p2.contains("aria-label=\"Pages of this listing\""));
    assert!(p2.contains("Page 2 of 3"));
    assert!(p2.contains("href=\"/notes/page/2/\" aria-current=\"page\""));
    // Each page has its own title and canonical address; the section's text is on page 1 only.
    assert!(p2.contains("<title>Field notes (page 2 of 3)"));
    assert!(p2.contains("<link rel=\"canonical\" href=\"https://example.org/notes/page/2/\""));
    assert!(p1.contains("What the notes are for."));
    assert!(!p2.contains("What the notes are for."));
    // The tag's listing is paginated the same way.
    let t2 = site.read_out("tags/alpha/page/2/index.html");
    assert_eq!(entries(&t2).len(), 50);
    assert_eq!(rel_link(&t2, "prev").as_deref(), Some("/tags/alpha/"));
    assert!(site.out_exists("tags/alpha/page/3/index.html"));
    // The later pages are in the sitemap.
    assert!(
        site.read_out("sitemap.xml")
            .contains("https://example.org/notes/page/3/")
    );
}

#[test]
fn a_short_listing_has_one_page_and_no_pagination() {
    let site = notes_site(50, "");
    site.build_ok();
    let p1 = site.read_out("notes/index.html");
    assert_eq!(entries(&p1).len(), 50);
    assert!(!p1.contains("class=\"pagination\""));
    assert!(!site.out_exists("notes/page/2/index.html"));
}

#[test]
fn zero_puts_every_entry_on_one_page() {
    let site = notes_site(120, "paginate_by: 0\n");
    site.build_ok();
    let p1 = site.read_out("notes/index.html");
    assert_eq!(entries(&p1).len(), 120);
    assert!(!p1.contains("class=\"pagination\""));
    assert!(!site.public().join("notes/page").exists());
    assert!(!site.public().join("tags/alpha/page").exists());
}

#[test]
fn long_listings_link_the_first_last_and_nearby_pages() {
    let site = notes_site(40, "paginate_by: 2\n");
    site.build_ok();
    assert!(site.out_exists("notes/page/20/index.html"));
    assert!(!site.out_exists("notes/page/21/index.html"));
    let p10 = site.read_out("notes/page/10/index.html");
    let nav = p10.split("<nav class=\"pagination\"").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    let links: Vec<String> = hrefs(nav);
    for n in [8, 9, 11, 12, 20] {
        assert!(
            links.contains(&format!("/notes/page/{n}/")),
            "page {n} linked: {links:?}"
        );
    }
    assert!(links.contains(&"/notes/".to_string()));
    assert!(!links.contains(&"/notes/page/5/".to_string()), "{links:?}");
    assert!(nav.contains("…"), "the gaps are shown");
}

#[test]
fn the_home_page_of_a_site_without_records_is_paginated_too() {
    let site = Site::new().file(
        "site.yaml",
        "title: Home\nbase_url: https://example.org/\npaginate_by: 2\n",
    );
    for i in 1..=5 {
        site.write(&format!("content/p{i}.md"), note(i, &format!("Page {i}")));
    }
    site.build_ok();
    assert_eq!(entries(&site.read_out("index.html")).len(), 2);
    let p3 = site.read_out("page/3/index.html");
    assert_eq!(entries(&p3), vec!["Page 1"]);
    assert_eq!(rel_link(&p3, "prev").as_deref(), Some("/page/2/"));
}

#[test]
fn bad_values_are_located_in_site_yaml() {
    for (value, says) in [
        ("-3", "negative"),
        ("2.5", "not a whole number"),
        ("ten", "not a number"),
        ("[1]", "whole number"),
    ] {
        let site = notes_site(3, &format!("paginate_by: {value}\n"));
        let r = site.build();
        r.code(1).no_panic();
        r.error_count(1);
        r.error(says).at("site.yaml:3:14").code("E014");
        assert!(!site.public().exists(), "nothing written for {value}");
    }
}

#[test]
fn a_page_under_page_n_that_clashes_with_a_listing_page_is_an_error() {
    let site = notes_site(3, "paginate_by: 2\n");
    site.write("content/notes/page/2.md", note(9, "Clash"));
    let r = site.build();
    r.code(1).no_panic();
    r.error("both write `notes/page/2/index.html`");
}

fn opts(site: &Site) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
    }
}

#[test]
fn a_title_edit_renders_again_only_the_listing_page_that_holds_the_entry() {
    let site = notes_site(30, "paginate_by: 10\n");
    let mut session = Session::new(opts(&site));
    session.rebuild(&BTreeSet::new()).expect("the site builds");
    // Note 15 is on page 2 of the section (30…21, 20…11, 10…1) and of the tag.
    let rel = "content/notes/n015.md";
    site.write(rel, note(15, "Note fifteen, retitled"));
    let r = session
        .rebuild(&BTreeSet::from([rel.to_string()]))
        .expect("the edit builds");
    let rendered: BTreeSet<String> = r
        .rerendered
        .expect("an incremental update")
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    let expected: BTreeSet<String> = [
        "notes/n015/index.html",
        "notes/page/2/index.html",
        "tags/alpha/page/2/index.html",
    ]
    .map(String::from)
    .into();
    assert_eq!(rendered, expected);
    let page2 = String::from_utf8(r.files["notes/page/2/index.html"].to_vec()).unwrap();
    assert!(entries(&page2).contains(&"Note fifteen, retitled".to_string()));
    // A new note shifts every entry: every page of the section and the tag again, and one more.
    let new = "content/notes/n031.md";
    site.write(new, note(31, "Note 31"));
    let r = session
        .rebuild(&BTreeSet::from([new.to_string()]))
        .expect("the edit builds");
    assert!(r.files.contains_key("notes/page/4/index.html"));
    // (`None`: a new page renders the whole site again, which includes them.)
    if let Some(rendered) = &r.rerendered {
        for p in [
            "notes/index.html",
            "notes/page/2/index.html",
            "notes/page/3/index.html",
        ] {
            assert!(
                rendered.iter().any(|r| r == p),
                "{p} rendered again: {rendered:?}"
            );
        }
    }
    let p3 = String::from_utf8(r.files["notes/page/3/index.html"].to_vec()).unwrap();
    assert_eq!(entries(&p3)[0], "Note 11");
    assert!(p3.contains("Page 3 of 4"));
}
