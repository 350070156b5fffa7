//! A long timeline split into year pages (`split_above`): `/timeline/` stays the entry page and
//! keeps every event's anchor, linking to the event on `/timeline/<year>/`.

mod common;

use common::{attr, briefing_site};

/// The common briefing site with `n` more timeline events, two a year from 2001, and
/// `settings` appended to its site.yaml.
fn site_with_events(n: usize, settings: &str) -> common::Site {
    let site = briefing_site();
    let mut timeline = String::from(
        "- date: 2025-05-01\n  title: Talks announced\n  parties: [party-a]\n  sources: [src-two]\n",
    );
    for i in 0..n {
        let year = 2001 + i / 2;
        let month = 1 + (i % 2) * 6;
        timeline.push_str(&format!(
            "- date: {year}-{month:02}-01\n  title: Event {i}\n  text: What happened in event {i}.\n"
        ));
    }
    site.write("content/timeline.yaml", timeline);
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}{settings}"));
    site
}

#[test]
fn a_long_timeline_has_an_entry_page_and_a_page_a_year() {
    let site = site_with_events(10, "split_above: 5\n");
    site.build_ok();
    let entry = site.read_out("timeline/index.html");
    // Years 2001…2005 (two events each) and 2025 (the announcement and the talk).
    for year in [2001, 2002, 2003, 2004, 2005, 2025] {
        assert!(
            site.out_exists(&format!("timeline/{year}/index.html")),
            "{year}"
        );
        assert!(
            entry.contains(&format!("href=\"/timeline/{year}/\"")),
            "{year} linked"
        );
    }
    assert!(!site.out_exists("timeline/2006/index.html"));
    // Every event's anchor is on the entry page, linking to the event on its year's page.
    let ids = attr(&entry, "id");
    for i in 0..10 {
        let year = 2001 + i / 2;
        let page = site.read_out(&format!("timeline/{year}/index.html"));
        let anchor = ids
            .iter()
            .find(|id| id.ends_with(&format!("-event-{i}")))
            .unwrap_or_else(|| panic!("event {i}'s anchor on the entry page: {ids:?}"));
        assert!(entry.contains(&format!("href=\"/timeline/{year}/#{anchor}\"")));
        assert!(
            page.contains(&format!("<li id=\"{anchor}\"")),
            "event {i} on its page"
        );
        assert!(page.contains(&format!("What happened in event {i}.")));
    }
    // A year page holds only its year, and links the entry page and the other years.
    let y2003 = site.read_out("timeline/2003/index.html");
    assert!(y2003.contains("Event 4") && y2003.contains("Event 5"));
    assert!(!y2003.contains("Event 3<") && !y2003.contains("Event 6<"));
    assert!(y2003.contains("href=\"/timeline/2002/\""));
    assert!(y2003.contains("href=\"/timeline/\""));
    assert!(y2003.contains("<title>Timeline: 2003"));
    // The event texts are not repeated on the entry page.
    assert!(!entry.contains("What happened in event"));
}

#[test]
fn a_short_timeline_stays_one_page() {
    // The default threshold is 1,000 events.
    let site = site_with_events(10, "");
    site.build_ok();
    let timeline = site.read_out("timeline/index.html");
    assert!(timeline.contains("What happened in event 9."));
    assert!(!site.public().join("timeline/2001").exists());
    // `0` never splits.
    let site = site_with_events(10, "split_above: 0\n");
    site.build_ok();
    assert!(!site.public().join("timeline/2001").exists());
}

#[test]
fn a_bad_threshold_is_located_in_site_yaml() {
    let site = site_with_events(2, "split_above: -1\n");
    let r = site.build();
    r.code(1).no_panic();
    r.error_count(1);
    r.error("is negative").in_file("site.yaml").code("E014");
}
