//! What a second briefing and a phone reader found (issue 14): each test builds a fixture site
//! through `tests/common` and asserts what a reader sees.

mod common;

use common::briefing_site;

/// The text between the first `start` and the next `end` after it.
#[track_caller]
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found in:\n{html}"));
    let rest = &html[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &rest[..to]
}

/// HTML with tags dropped and spaces collapsed, for asserting what a reader sees.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    let words: Vec<&str> = out.split_whitespace().collect();
    words
        .join(" ")
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace("( ", "(")
        .replace(" )", ")")
}

#[test]
fn a_source_without_a_title_keeps_its_link_on_the_sources_page() {
    let site = briefing_site().file(
        "content/sources.yaml",
        "- id: src-one\n  publisher: Agency One\n  url: https://news.example.com/one\n  published: 2025-05-10\n\
         - id: src-two\n  publisher: Agency One\n  url: https://news.example.com/two\n  published: 2025-05-11\n",
    );
    site.build_ok();
    let html = site.read_out("sources/index.html");
    let one = between(&html, "id=\"src-src-one\"", "</h2>");
    let two = between(&html, "id=\"src-src-two\"", "</h2>");
    assert!(
        one.contains("href=\"https://news.example.com/one\""),
        "no link in {one}"
    );
    assert!(
        two.contains("href=\"https://news.example.com/two\""),
        "no link in {two}"
    );
}

#[test]
fn a_native_name_equal_to_the_name_is_shown_once() {
    let site = briefing_site().file(
        "content/people/jane-doe.md",
        "---\nname: Jane Doe\nnative_name: {text: Jane Doe, lang: en}\nparty: party-a\n---\n\nWho she is.\n",
    );
    site.build_ok();
    let person = site.read_out("people/jane-doe/index.html");
    let h1 = between(&person, "<h1", "</h1>");
    assert_eq!(text(h1).matches("Jane Doe").count(), 1, "{h1}");
    let talk = site.read_out("talks/round-one/index.html");
    let delegations = between(&talk, "class=\"delegations", "</table>");
    assert_eq!(
        text(delegations).matches("Jane Doe").count(),
        1,
        "{delegations}"
    );
}

#[test]
fn a_role_with_only_an_end_reads_until() {
    let site = briefing_site().file(
        "content/people/jane-doe.md",
        "---\nname: Jane Doe\nparty: party-a\nroles:\n  - title: Minister\n    to: 2025-07\n  - title: Envoy\n    from: 2024-01\n  - title: Adviser\n    from: 2020\n    to: 2023\n---\n\nWho she is.\n",
    );
    site.build_ok();
    let roles = text(between(
        &site.read_out("people/jane-doe/index.html"),
        "class=\"roles\"",
        "</ul>",
    ));
    assert!(roles.contains("Minister (until July 2025)"), "{roles}");
    assert!(roles.contains("Envoy (from January 2024)"), "{roles}");
    assert!(roles.contains("Adviser (2020 to 2023)"), "{roles}");
    assert!(!roles.contains("( to"), "{roles}");
}

#[test]
fn every_output_file_ends_with_a_newline() {
    let site = briefing_site();
    site.build_ok();
    let tree = common::tree(&site.public());
    let mut missing = Vec::new();
    for (path, node) in &tree {
        if let common::Node::File(bytes) = node
            && !path.ends_with(".png")
            && !bytes.is_empty()
            && !bytes.ends_with(b"\n")
        {
            missing.push(path.clone());
        }
    }
    assert!(missing.is_empty(), "no final newline: {missing:?}");
}

#[test]
fn the_scaffold_files_end_with_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("b");
    common::run({
        let mut c = common::briefing();
        c.arg("new").arg(&root);
        c
    })
    .code(0);
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(bytes.ends_with(b"\n"), "{}", entry.path().display());
        }
    }
}

/// The briefing site with the given display zones and the talk's venue city (None: no city).
fn zoned_site(zones: &str, city: Option<&str>) -> common::Site {
    let mut t = common::talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "scheduled_start: 2025-05-16T12:30\n",
        "scheduled_start: 2025-05-16T12:30\nactual_start: {at: 2025-05-16T13:30, approximate: true}\n",
    )
    .replace("status: scheduled", "status: under-way");
    t = match city {
        Some(c) => t.replace("city: Geneva", &format!("city: {c}")),
        None => t.replace("  city: Geneva\n", ""),
    };
    briefing_site()
        .file(
            "site.yaml",
            format!("title: T\nbase_url: https://example.org/\ndisplay_timezones: {zones}\n"),
        )
        .file("content/talks/round-one.md", t)
}

#[test]
fn venue_times_are_labelled_with_the_venues_city_and_reader_zones_with_theirs() {
    let site = zoned_site("[Asia/Seoul, UTC]", Some("Geneva"));
    site.build_ok();
    let talk = site.read_out("talks/round-one/index.html");
    let facts = text(between(&talk, "class=\"key-facts\"", "</section>"));
    assert!(facts.contains("12:30 Geneva, 16 May 2025"), "{facts}");
    assert!(facts.contains("Seoul 19:30"), "{facts}");
    assert!(facts.contains("UTC 10:30"), "{facts}");
    assert!(!facts.contains("Zurich"), "{facts}");
    let front = text(between(
        &site.read_out("index.html"),
        "class=\"at-a-glance\"",
        "</section>",
    ));
    assert!(!front.contains("Zurich"), "{front}");

    let site = zoned_site("[UTC]", None);
    site.build_ok();
    let talk = site.read_out("talks/round-one/index.html");
    let facts = text(between(&talk, "class=\"key-facts\"", "</section>"));
    assert!(facts.contains("12:30 local time, 16 May 2025"), "{facts}");
}

#[test]
fn the_front_pages_times_are_shown_in_every_display_zone_like_the_talks() {
    let site = zoned_site("[Asia/Seoul, UTC]", Some("Geneva"));
    site.build_ok();
    let front = text(between(
        &site.read_out("index.html"),
        "class=\"at-a-glance\"",
        "</section>",
    ));
    // Scheduled 12:30 and began about 13:30 in Geneva (UTC+2 in May).
    for want in [
        "12:30 Geneva",
        "Seoul 19:30",
        "UTC 10:30",
        "about 13:30 Geneva",
        "Seoul 20:30",
        "UTC 11:30",
    ] {
        assert!(front.contains(want), "{want:?} not in {front}");
    }
    // The talk page shows each time once, with its zones: no "In short" row repeating them
    // in the venue's zone only.
    let talk = site.read_out("talks/round-one/index.html");
    let facts = text(between(&talk, "class=\"key-facts\"", "</section>"));
    assert!(!facts.contains("In short"), "{facts}");
    assert_eq!(facts.matches("Geneva time").count(), 0, "{facts}");
}

/// The VEVENT properties of `calendar.ics` (unfolded), in order.
fn ics_props(ics: &str) -> Vec<(String, String)> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.replace("\\,", ",").replace("\\n", "\n")))
        .collect()
}

#[test]
fn the_calendar_starts_at_the_scheduled_time_and_describes_the_actual_times() {
    let site = zoned_site("[UTC]", Some("Geneva"));
    // Ended at an approximate time.
    let t = common::read(&site.path("content/talks/round-one.md"))
        .replace(
            "actual_start:",
            "actual_end: {at: 2025-05-16T15:00, approximate: true}\nactual_start:",
        )
        .replace("status: under-way", "status: concluded");
    site.write("content/talks/round-one.md", t);
    site.build_ok();
    let props = ics_props(&site.read_out("calendar.ics"));
    let get = |k: &str| {
        props
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // 12:30 in Geneva in May is 10:30 UTC: the scheduled start, not the late actual one.
    assert_eq!(get("DTSTART"), "20250516T103000Z");
    assert_eq!(get("DTEND"), "20250516T130000Z");
    let d = get("DESCRIPTION");
    assert!(
        d.contains("Began about 13:30 Geneva, 16 May 2025 (11:30 UTC) (approximate)."),
        "{d}"
    );
    assert!(
        d.contains("Ended about 15:00 Geneva, 16 May 2025 (13:00 UTC) (approximate)."),
        "{d}"
    );

    // Without an actual end there is no DTEND (no duration is guessed).
    let site = zoned_site("[UTC]", Some("Geneva"));
    site.build_ok();
    let props = ics_props(&site.read_out("calendar.ics"));
    assert!(!props.iter().any(|(k, _)| k == "DTEND"), "{props:?}");
}

#[test]
fn calendar_uids_differ_between_briefings_on_one_host() {
    let site = briefing_site();
    let uid = |base: &str| {
        common::run(site.cmd("build", &["-q", "-u", base])).code(0);
        ics_props(&site.read_out("calendar.ics"))
            .into_iter()
            .find(|(k, _)| k == "UID")
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    let a = uid("https://example.org/briefings/a/");
    let b = uid("https://example.org/briefings/b/");
    assert_ne!(a, b);
    assert_eq!(a, "round-one@example.org/briefings/a");
}

#[test]
fn a_mediators_attendance_can_be_cited_and_annotated() {
    let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "  - party: mediator\n",
        "  - party: mediator\n    note: Attended *in person*.\n    sources: [src-two]\n",
    );
    let site = briefing_site().file("content/talks/round-one.md", t);
    site.build_ok();
    let html = site.read_out("talks/round-one/index.html");
    let facts = between(&html, "class=\"key-facts\"", "</section>");
    assert!(facts.contains("Attended <em>in person</em>."), "{facts}");
    assert!(facts.contains("href=\"#src-src-two\""), "{facts}");
    let sources = between(&html, "class=\"source-list\"", "</ol>");
    assert!(sources.contains("Agency Two"), "{sources}");
    let export: serde_json::Value = serde_json::from_str(&site.read_out("briefing.json")).unwrap();
    assert_eq!(
        export["talks"][0]["mediators"][0]["sources"][0], "src-two",
        "{export}"
    );

    // An unknown source there is an error at its line, like anywhere else.
    let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "  - party: mediator\n",
        "  - party: mediator\n    sources: [src-too]\n",
    );
    let site = briefing_site().file("content/talks/round-one.md", t);
    let r = site.build();
    r.code(1);
    r.error("src-too").at("content/talks/round-one.md:11:15");
}

#[test]
fn a_translation_notice_names_the_whole_chain() {
    let site = briefing_site().file(
        "content/sources.yaml",
        "- id: src-one\n  publisher: Agency One\n  language: en\n  carried_by: a Korean outlet\n  translation: {from: ko, by: machine}\n\
         - id: src-two\n  publisher: Agency Two\n  translation: {from: fr, to: en, by: human}\n",
    );
    site.build_ok();
    let html = site.read_out("talks/round-one/index.html");
    let notice = text(between(
        &html,
        "class=\"notice translation-notice\"",
        "</aside>",
    ));
    assert!(
        notice.contains(
            "Agency One reporting as carried by a Korean outlet, whose Korean text was machine-translated (by AI) into English"
        ),
        "{notice}"
    );
}

#[test]
fn the_matrix_and_delegations_carry_what_their_phone_cards_show() {
    let site = briefing_site().file(
        "content/parties/party-a.md",
        "---\nname: Party A\nkind: state\nroles: [negotiating-party]\npositions:\n  - {topic: ceasefire, stance: proposes, summary: Wants one., as_of: 2025-05}\n---\n\nAbout Party A.\n",
    );
    site.build_ok();
    // Below 40em each row is a card; each cell names its column for sighted readers (hidden
    // from screen readers, which keep the table and its headers).
    let pos = site.read_out("positions/index.html");
    let matrix = between(
        &pos,
        "<table class=\"matrix stack-table\" role=\"table\"",
        "</table>",
    );
    assert!(
        matrix.contains("<td><span class=\"cell-label\" aria-hidden=\"true\">Party A</span>"),
        "{matrix}"
    );
    assert!(matrix.contains("<th scope=\"col\">Topic</th>"), "{matrix}");
    assert!(matrix.contains("<th scope=\"row\">"), "{matrix}");
    let talk = site.read_out("talks/round-one/index.html");
    let d = between(
        &talk,
        "<table class=\"delegations stack-table\"",
        "</table>",
    );
    for label in ["Head of delegation</span>", "Members</span>"] {
        assert!(d.contains(label), "{label} in {d}");
    }
    let css = std::fs::read_dir(site.public())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "css"))
        .map(|p| common::read(&p))
        .unwrap();
    assert!(
        css.contains(".stack-table .cell-label { display:block;"),
        "no card layout"
    );
}

#[test]
fn text_from_yaml_gets_the_same_smart_punctuation_as_markdown_bodies() {
    let site = briefing_site()
        .file(
            "content/topics/ceasefire.md",
            "---\ntitle: Leaders' \"ceasefire\" -- talks...\n---\n\nThe leaders' \"ceasefire\" -- talks...\n",
        )
        .file(
            "content/people/jane-doe.md",
            "---\nname: Jane O'Doe\nparty: party-a\n---\n\nWho she is.\n",
        );
    site.build_ok();
    let html = site.read_out("topics/ceasefire/index.html");
    let curly = "Leaders\u{2019} \u{201c}ceasefire\u{201d} \u{2013} talks\u{2026}";
    let h1 = between(&html, "<h1", "</h1>");
    assert!(h1.contains(curly), "{h1}");
    let body = between(&html, "class=\"content\"", "</div>");
    assert!(
        body.contains("leaders\u{2019} \u{201c}ceasefire\u{201d} \u{2013} talks\u{2026}"),
        "{body}"
    );
    let talk = site.read_out("talks/round-one/index.html");
    assert!(talk.contains(curly), "the agenda's topic link");
    assert!(
        talk.contains("Jane O\u{2019}Doe"),
        "the delegation's person"
    );
    assert!(!talk.contains("Jane O'Doe") && !talk.contains("O&#x27;Doe"));
}

#[test]
fn body_headings_nest_under_the_themes_section_headings() {
    let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "What is expected.\n",
        "What is expected.\n\n## The stakes\n\nText.\n\n### Detail\n\nMore.\n",
    );
    let site = briefing_site().file("content/talks/round-one.md", t).file(
        "content/_index.md",
        "---\ntitle: Test briefing\n---\n\nIntro.\n\n## Background\n\nText.\n",
    );
    site.build_ok();
    let talk = site.read_out("talks/round-one/index.html");
    let narrative = between(&talk, "class=\"narrative\"", "</section>");
    assert!(
        narrative.contains("<h2 id=\"narrative-heading\">What happened</h2>"),
        "{narrative}"
    );
    assert!(
        narrative.contains("<h3 id=\"the-stakes\">The stakes"),
        "{narrative}"
    );
    assert!(
        narrative.contains("<h4 id=\"detail\">Detail"),
        "{narrative}"
    );
    assert!(!narrative.contains("<h2 id=\"the-stakes\""), "{narrative}");
    let front = site.read_out("index.html");
    let overview = between(&front, "class=\"overview\"", "</section>");
    assert!(overview.contains("<h3 id=\"background\">"), "{overview}");
}

#[test]
fn update_log_entries_stand_on_the_timeline_unless_marked_off() {
    let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "sources: [src-one]\n---",
        "updates:\n  - at: 2025-05-16T12:45\n    text: The start is *delayed*.\n    sources: [src-two]\n\
         \x20 - at: 2025-05-16T13:00\n    kind: correction\n    text: Only a typo fixed.\n    timeline: false\n\
         sources: [src-one]\n---",
    );
    let site = briefing_site().file("content/talks/round-one.md", t);
    site.build_ok();
    let html = site.read_out("timeline/index.html");
    let entry = between(&html, "<li id=\"update-round-one-", "</li>");
    // 12:45 in Geneva in May is 10:45 UTC: the link goes to the entry in the talk's log.
    assert!(
        entry.contains("href=\"/talks/round-one/#update-20250516T104500Z\""),
        "{entry}"
    );
    assert!(entry.contains("Update: Round one"), "{entry}");
    assert!(entry.contains("The start is <em>delayed</em>."), "{entry}");
    assert!(entry.contains("12:45 Geneva"), "{entry}");
    assert!(entry.contains("href=\"#src-src-two\""), "{entry}");
    assert!(
        !html.contains("Only a typo fixed"),
        "timeline: false is left off"
    );
    // The talk's log keeps both, and the link lands on an anchor that exists.
    let talk = site.read_out("talks/round-one/index.html");
    assert!(talk.contains("id=\"update-20250516T104500Z\""));
    assert!(talk.contains("Only a typo fixed"));
}

#[test]
fn listings_and_the_feed_that_quote_translated_text_carry_the_notice() {
    let t = common::talk("mediator", "jane-doe", "ceasefire", "src-one").replace(
        "sources: [src-one]\n---",
        "updates:\n  - at: 2025-05-16T12:45\n    text: Delayed.\n    sources: [src-two]\nsources: [src-one]\n---",
    );
    let site = briefing_site()
        .file(
            "content/sources.yaml",
            "- id: src-one\n  publisher: Agency One\n\
             - id: src-two\n  publisher: Agency Two\n  language: en\n  translation: {from: ko, by: machine}\n",
        )
        .file("content/talks/round-one.md", t)
        .file(
            "content/parties/party-a.md",
            "---\nname: Party A\nkind: state\ntags: [alpha]\ndate: 2025-05-10\n---\n\nAbout Party A [@src-two].\n\nMore.\n",
        );
    site.build_ok();
    let want = "Agency Two reporting, machine-translated (by AI) from Korean into English";
    for page in ["parties/index.html", "tags/alpha/index.html"] {
        let html = site.read_out(page);
        let notice = text(between(&html, "translation-notice", "</aside>"));
        assert!(notice.contains(want), "{page}: {notice}");
    }
    // A listing that quotes nothing translated has none.
    assert!(
        !site
            .read_out("topics/index.html")
            .contains("translation-notice")
    );
    let feed = site.read_out("atom.xml");
    let update = between(&feed, "<title>Update: Round one</title>", "</entry>");
    assert!(update.contains(want), "{update}");
    let party = between(&feed, "<title>Party A</title>", "</entry>");
    assert!(party.contains(want), "{party}");
}

/// The site gates' second fixture (`tests/fixtures/gates/rich/`) stays valid: it must build
/// without a warning, and show what it exists to show (the gates then check it in a browser).
#[test]
fn the_gate_fixture_checks_strictly_and_shows_what_the_default_site_cannot() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gates/rich");
    let mut check = common::briefing();
    check.arg("check").arg("-r").arg(&root).arg("--strict");
    let r = common::run(check);
    r.code(0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let out = tempfile::tempdir().unwrap();
    let mut build = common::briefing();
    build
        .arg("build")
        .arg("-q")
        .arg("-r")
        .arg(&root)
        .arg("-o")
        .arg(out.path().join("public"));
    common::run(build).code(0);
    let public = out.path().join("public");
    let talk = common::read(&public.join("talks/arvel-round-1/index.html"));
    // An agenda item with sources and nothing else: its mark follows the topic's link.
    assert!(
        talk.contains("Fishing quotas</a><sup class=\"cite\""),
        "no bare agenda item"
    );
    // Eight sources, above `split_above`: a page a letter, and C's six take two pages.
    let sources = common::read(&public.join("sources/a/index.html"));
    let cited = between(&sources, "id=\"src-registry-notes\"", "</dl>");
    assert!(cited.matches("<li><a href=").count() >= 12, "{cited}");
    let c2 = common::read(&public.join("sources/c/page/2/index.html"));
    assert!(c2.contains("id=\"src-coast-gazette-2025-03-11\""), "{c2}");
    // Three parties' positions on nine topics: 27 cells, above the fixture's `split_above`, so
    // the gates see a split matrix, its entry page and a page a topic.
    let entry = common::read(&public.join("positions/index.html"));
    assert_eq!(entry.matches("<li id=\"topic-").count(), 9, "{entry}");
    let topic = common::read(&public.join("positions/pilot-boats/index.html"));
    assert_eq!(topic.matches("<th scope=\"row\">").count(), 2, "{topic}");
}
