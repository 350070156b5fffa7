//! A long timeline split into year pages and a long source list split into letter pages
//! (`split_above`): `/timeline/` and `/sources/` stay the entry pages and keep every event's
//! and source's anchor, linking to it on `/timeline/<year>/` or `/sources/<letter>/`.

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
    assert_eq!(site.search_kind("/timeline/2001/"), "timeline");
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

/// Sources of [`site_with_sources`] beyond the fixture's two (`Agency One`, `Agency Two`):
/// (id, publisher, the letter page it belongs on).
const MORE_SOURCES: &[(&str, &str, &str)] = &[
    ("reuters", "Reuters", "r"),
    ("rferl", "rfe/RL", "r"),
    ("elysee", "Élysée Palace", "e"),
    ("kommersant", "«Kommersant»", "k"),
    ("interfax", "Интерфакс", "u0438"),
    ("interfax-ua", "Інтерфакс-Україна", "u0456"),
    ("yonhap", "연합뉴스", "u3147"),
    ("news1", "뉴스1", "u3134"),
    ("kbs", "ㄱ KBS", "u3131"),
    ("plus-one", "1+1", "0-9"),
    ("kanal-24", "24 Kanal", "0-9"),
];

/// The common briefing site with [`MORE_SOURCES`] in its registry, a note that links two of
/// them with `@/sources.yaml#…`, and `settings` appended to its site.yaml.
fn site_with_sources(settings: &str) -> common::Site {
    let site = briefing_site();
    let mut sources = std::fs::read_to_string(site.path("content/sources.yaml")).unwrap();
    for (id, publisher, _) in MORE_SOURCES {
        sources.push_str(&format!(
            "- id: {id}\n  publisher: \"{publisher}\"\n  title: Report by {id}\n"
        ));
    }
    site.write("content/sources.yaml", sources);
    site.write(
        "content/notes/links.md",
        "---\ntitle: Links\n---\n\nSee [Reuters](@/sources.yaml#src-reuters) and [Yonhap](@/sources.yaml#src-yonhap).\n",
    );
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}{settings}"));
    site
}

/// A letter of more than `paginate_by` sources is cut into pages: page N at
/// `/sources/<letter>/page/N/`, linked both ways, and every source's line on the entry page,
/// and a link to it, lead to the page it is on.
#[test]
fn a_letter_of_more_than_paginate_by_sources_takes_pages() {
    let site = site_with_sources("split_above: 5\npaginate_by: 1\n");
    site.write(
        "content/notes/more-links.md",
        "---\ntitle: More links\n---\n\nSee [RFE/RL](@/sources.yaml#src-rferl).\n",
    );
    site.build().code(0);
    // R: Reuters, then rfe/RL (case-folded), one a page.
    let one = site.read_out("sources/r/index.html");
    let two = site.read_out("sources/r/page/2/index.html");
    assert!(one.contains("id=\"src-reuters\"") && !one.contains("id=\"src-rferl\""));
    assert!(two.contains("id=\"src-rferl\"") && !two.contains("id=\"src-reuters\""));
    assert!(
        one.contains("href=\"/sources/r/page/2/\" rel=\"next\""),
        "{one}"
    );
    assert!(two.contains("href=\"/sources/r/\" rel=\"prev\""), "{two}");
    assert!(
        two.contains("(page 2 of 2)"),
        "titled as a page of the letter"
    );
    assert!(!site.out_exists("sources/r/page/3/index.html"));
    let entry = site.read_out("sources/index.html");
    assert!(entry.contains("<li id=\"src-rferl\"><a href=\"/sources/r/page/2/#src-rferl\">"));
    assert!(entry.contains("<li id=\"src-reuters\"><a href=\"/sources/r/#src-reuters\">"));
    // Every letter is linked at its first page; on a later page its own letter is current
    // but not this page.
    assert!(
        one.contains("href=\"/sources/r/\" aria-current=\"page\""),
        "{one}"
    );
    assert!(
        two.contains("href=\"/sources/r/\" aria-current=\"true\""),
        "{two}"
    );
    let note = site.read_out("notes/more-links/index.html");
    assert!(
        note.contains("href=\"/sources/r/page/2/#src-rferl\""),
        "{note}"
    );
    // In search, every page of the split list is of the source list's kind.
    assert_eq!(site.search_kind("/sources/"), "sources");
    assert_eq!(site.search_kind("/sources/r/page/2/"), "sources");
    // `paginate_by: 0`: a letter is one page.
    let site = site_with_sources("split_above: 5\npaginate_by: 0\n");
    site.build().code(0);
    let r = site.read_out("sources/r/index.html");
    assert!(r.contains("id=\"src-reuters\"") && r.contains("id=\"src-rferl\""));
    assert!(!site.public().join("sources/r/page").exists());
}

#[test]
fn a_long_source_list_has_an_entry_page_and_a_page_a_letter() {
    let site = site_with_sources("split_above: 5\n");
    site.build_ok();
    let entry = site.read_out("sources/index.html");
    let all: Vec<(&str, &str, &str)> = [
        ("src-one", "Agency One", "a"),
        ("src-two", "Agency Two", "a"),
    ]
    .into_iter()
    .chain(MORE_SOURCES.iter().copied())
    .collect();
    for (id, _, letter) in &all {
        let anchor = format!("src-{id}");
        let page = site.read_out(&format!("sources/{letter}/index.html"));
        // The old anchor is on the entry page, linking to the entry on its letter's page.
        assert!(
            entry.contains(&format!(
                "<li id=\"{anchor}\"><a href=\"/sources/{letter}/#{anchor}\">"
            )),
            "{id} on the entry page"
        );
        assert!(
            entry.contains(&format!("href=\"/sources/{letter}/\"")),
            "{letter} linked"
        );
        assert!(
            page.contains(&format!("<li id=\"{anchor}\">")),
            "{id} on its page"
        );
        assert!(page.contains("href=\"/sources/\""), "entry linked");
    }
    // A letter page holds only its letter's sources, in order of publisher, case-folded.
    let r = site.read_out("sources/r/index.html");
    assert!(r.contains("<title>Sources: R"));
    assert!(!r.contains("id=\"src-src-one\"") && !r.contains("id=\"src-elysee\""));
    let (reuters, rferl) = (
        r.find("id=\"src-reuters\"").unwrap(),
        r.find("id=\"src-rferl\"").unwrap(),
    );
    assert!(reuters < rferl);
    // Its entries are in full, with the pages that cite them.
    let a = site.read_out("sources/a/index.html");
    assert!(a.contains("href=\"https://news.example.com/one\""));
    assert!(a.contains("href=\"/talks/round-one/\""), "cited on");
    // The entry page does not repeat the entries' details.
    assert!(!entry.contains("news.example.com"));
    // Letters in order: Latin, then other scripts by code point, digits and symbols last;
    // each with its number of sources.
    let order: Vec<usize> = [
        "a", "e", "k", "r", "u0438", "u0456", "u3131", "u3134", "u3147", "0-9",
    ]
    .iter()
    .map(|l| {
        entry
            .find(&format!("href=\"/sources/{l}/\""))
            .unwrap_or_else(|| panic!("{l}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(entry.contains("(2 sources)"));
    assert!(entry.contains("(1 source)"));
    assert!(!site.out_exists("sources/b/index.html"));
    // Links to a source's entry lead to its letter page.
    let note = site.read_out("notes/links/index.html");
    assert!(note.contains("href=\"/sources/r/#src-reuters\""), "{note}");
    assert!(note.contains("href=\"/sources/u3147/#src-yonhap\""));
}

#[test]
fn a_short_source_list_stays_one_page() {
    for settings in ["", "split_above: 0\n"] {
        let site = site_with_sources(settings);
        site.build_ok();
        let list = site.read_out("sources/index.html");
        assert!(list.contains("href=\"https://news.example.com/one\""));
        assert!(list.contains("<li id=\"src-yonhap\">"));
        assert!(!site.public().join("sources/a").exists());
        let note = site.read_out("notes/links/index.html");
        assert!(note.contains("href=\"/sources/#src-reuters\""));
    }
}

#[test]
fn every_edition_has_the_letter_pages() {
    let site = site_with_sources(
        "split_above: 5\nlanguages:\n  - code: en\n  - code: uk\n    title: Тестовий брифінг\n",
    );
    site.build_ok();
    for (prefix, title) in [("", "Sources: R"), ("uk/", "Джерела: R")] {
        let entry = site.read_out(&format!("{prefix}sources/index.html"));
        assert!(entry.contains(&format!(
            "<li id=\"src-reuters\"><a href=\"/{prefix}sources/r/#src-reuters\">"
        )));
        let r = site.read_out(&format!("{prefix}sources/r/index.html"));
        assert!(r.contains(&format!("<title>{title}")), "{prefix}");
        assert!(r.contains("<li id=\"src-rferl\">"));
        let note = site.read_out(&format!("{prefix}notes/links/index.html"));
        assert!(note.contains(&format!("href=\"/{prefix}sources/r/#src-reuters\"")));
    }
}

/// The common briefing site with a matrix of two topics × two parties (three positions), and
/// `settings` appended to its site.yaml.
fn site_with_positions(settings: &str) -> common::Site {
    let site = briefing_site();
    site.write(
        "content/parties/party-a.md",
        "---\nname: Party A\nkind: state\nroles: [negotiating-party]\nleaders: [jane-doe]\npositions:\n  \
         - {topic: ceasefire, stance: rejects, summary: Refused it., as_of: 2025-05-01}\n  \
         - {topic: ceasefire, stance: conditional, summary: \"Would accept it with guarantees [@src-one].\", as_of: 2025-06-02}\n  \
         - {topic: prisoners, stance: proposes, summary: Proposes an exchange., as_of: 2025-06-03}\n---\n\nAbout Party A.\n",
    );
    site.write(
        "content/parties/mediator.md",
        "---\nname: Mediating State\nkind: state\nroles: [mediator, host]\npositions:\n  \
         - {topic: ceasefire, stance: supports, summary: Backs a truce., as_of: 2025-05-20}\n---\n\nWhy it mediates.\n",
    );
    site.write(
        "content/topics/prisoners.md",
        "---\ntitle: Prisoners\n---\n\nExchanges of prisoners.\n",
    );
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}{settings}"));
    site
}

#[test]
fn a_large_positions_matrix_has_an_entry_page_and_a_page_a_topic() {
    // Four cells (two topics × two parties) above a threshold of three.
    let site = site_with_positions("split_above: 3\n");
    site.build_ok();
    assert_eq!(site.search_kind("/positions/ceasefire/"), "positions");
    let entry = site.read_out("positions/index.html");
    for (topic, count) in [("ceasefire", "(2 parties)"), ("prisoners", "(1 party)")] {
        assert!(
            entry.contains(&format!("href=\"/positions/{topic}/\"")),
            "{topic} linked"
        );
        let line = &entry[entry.find(&format!("id=\"topic-{topic}\"")).unwrap()..];
        assert!(
            line[..line.find("</li>").unwrap()].contains(count),
            "{line}"
        );
    }
    // The matrix itself is not on the entry page.
    assert!(!entry.contains("Backs a truce."));
    assert!(!entry.contains("<table"));
    // A topic's page: every party with a position on it, its latest one, and no empty cells.
    let ceasefire = site.read_out("positions/ceasefire/index.html");
    assert!(ceasefire.contains("<title>Positions: Ceasefire"));
    assert!(ceasefire.contains("Would accept it with guarantees"));
    assert!(ceasefire.contains("Backs a truce."));
    assert!(!ceasefire.contains("Proposes an exchange."));
    assert!(ceasefire.contains("id=\"src-src-one\""), "its sources");
    assert!(ceasefire.contains("href=\"/positions/\""));
    assert!(ceasefire.contains("href=\"/topics/ceasefire/\""));
    let prisoners = site.read_out("positions/prisoners/index.html");
    assert!(prisoners.contains("Proposes an exchange."));
    assert!(!prisoners.contains("Mediating State</a></th>"));
    assert!(!prisoners.contains("No recorded position"));
}

#[test]
fn a_small_positions_matrix_stays_one_page() {
    for settings in ["", "split_above: 4\n", "split_above: 0\n"] {
        let site = site_with_positions(settings);
        site.build_ok();
        let matrix = site.read_out("positions/index.html");
        assert!(matrix.contains("Backs a truce.") && matrix.contains("Proposes an exchange."));
        assert!(matrix.contains("No recorded position"));
        assert!(
            !site.public().join("positions/ceasefire").exists(),
            "{settings}"
        );
    }
}
