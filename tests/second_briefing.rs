//! The fictional second example site (`examples/second-briefing/`, invented Tessic River talks)
//! passes `check --strict`, builds, and its output states facts that were verified by hand:
//! time-zone conversions across day boundaries, scheduled vs actual times, the title a person
//! held at each round, the correction badge, the postponed status and its earlier date,
//! translation notices and provenance, numbered and back-linked citations, the positions
//! matrix showing only the latest stance, the timeline's anchors, drafts and aliases.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/second-briefing")
}

fn briefing() -> Command {
    let mut cmd = Command::cargo_bin("briefing").expect("the briefing binary is built");
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .timeout(std::time::Duration::from_secs(600));
    cmd
}

fn read(out: &Path, rel: &str) -> String {
    let path = out.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[track_caller]
fn assert_has(html: &str, page: &str, needle: &str) {
    assert!(
        html.contains(needle),
        "{page} should contain {needle:?}, but it does not"
    );
}

/// The text between the first `start` and the next `end` after it.
#[track_caller]
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"));
    let rest = &html[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &rest[..to]
}

#[test]
fn second_briefing_checks_strictly_and_builds_with_the_right_facts() {
    briefing()
        .arg("check")
        .arg("-r")
        .arg(example_root())
        .arg("--strict")
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not())
        .stderr(predicate::str::contains("error").not());

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    briefing()
        .arg("build")
        .arg("-r")
        .arg(example_root())
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("panicked").not());

    // Front page: says it is fiction; latest round concluded, next round postponed.
    let index = read(&out, "index.html");
    assert_has(&index, "front page", "This briefing is entirely fictional.");
    let glance = between(&index, "class=\"at-a-glance\"", "</section>");
    assert_has(
        glance,
        "at-a-glance",
        "Latest round: <a href=\"/briefings/tessic/talks/saltmarsh-round-1/\">",
    );
    assert_has(
        glance,
        "at-a-glance",
        "Next round: <a href=\"/briefings/tessic/talks/saltmarsh-round-2/\">",
    );
    assert_has(
        glance,
        "at-a-glance",
        "<span class=\"badge badge-postponed\">Postponed</span>",
    );

    // Concluded round: scheduled vs actual, venue time (Asia/Tbilisi, UTC+4) converted to UTC,
    // Los Angeles (PST, UTC-8: the day before) and Auckland (NZDT, UTC+13: the day after).
    let r1 = read(&out, "talks/saltmarsh-round-1/index.html");
    let p = "round 1";
    assert_has(
        &r1,
        p,
        "<time datetime=\"2025-02-11T06:00:00Z\">10:00 Saltmarsh, 11 February 2025</time> <span class=\"zones\">(UTC 06:00 · Los Angeles 22:00 on 10 February 2025 · Auckland 19:00)</span>",
    );
    assert_has(
        &r1,
        p,
        "<time datetime=\"2025-02-11T06:40:00Z\">about 10:40 Saltmarsh, 11 February 2025</time>",
    );
    assert_has(
        &r1,
        p,
        "<time datetime=\"2025-02-11T19:15:00Z\">23:15 Saltmarsh, 11 February 2025</time> <span class=\"zones\">(UTC 19:15 · Los Angeles 11:15 · Auckland 08:15 on 12 February 2025)</span>",
    );
    // Venue times are labelled with the venue's city, not the zone's (Asia/Tbilisi), and each
    // is shown once, with its zones: no "In short" row repeating them in one zone.
    assert!(
        !r1.contains("Tbilisi,"),
        "round 1 labels a venue time with its zone"
    );
    assert!(!r1.contains("In short"), "round 1 repeats its times");
    assert_has(
        &r1,
        p,
        "<span class=\"badge badge-concluded\">Concluded</span>",
    );
    // Title held at this round, not the later one.
    assert_has(
        &r1,
        p,
        "<a href=\"/briefings/tessic/people/ilka-marenova/\">Ilka Marenova</a> <span class=\"native\" lang=\"qaa-Cyrl\">Илка Маренова</span>, <span class=\"role\">Deputy Minister of Water Resources</span>",
    );
    // Every outcome kind has its group.
    for kind in ["Agreed", "Proposed by one side", "Noted", "Rejected"] {
        assert_has(&r1, p, &format!("\">{kind}</h3>"));
    }
    // The correction in the update log is marked, with its time converted across midnight.
    let correction = between(&r1, "<li id=\"update-20250213T050000Z\"", "</li>");
    assert_has(correction, "the correction", "class=\"update correction\"");
    assert_has(
        correction,
        "the correction",
        "<strong class=\"badge badge-correction\">Correction</strong>",
    );
    assert_has(
        correction,
        "the correction",
        "Los Angeles 21:00 on 12 February 2025",
    );
    // Translation notice and provenance of a carried, machine-translated source.
    assert_has(
        &r1,
        p,
        "Translation notice: this page relies on Lakeside Wire reporting as carried by Saltmarsh Evening Post, whose German text was machine-translated (by AI) into English; Vardena Herald reporting, translated from French into English.",
    );
    assert_has(
        &r1,
        p,
        "Lakeside Wire reporting, as carried by Saltmarsh Evening Post, translated from German by machine (AI).",
    );
    // Citations are numbered, linked to the page's source list, and linked back.
    assert_has(
        &r1,
        p,
        "<sup class=\"cite\" id=\"cite-lakeside-wire-2025-02-12-1\"><a href=\"#src-lakeside-wire-2025-02-12\" aria-label=\"Source 1\">[1]</a></sup>",
    );
    assert_has(
        &r1,
        p,
        "<li id=\"src-lakeside-wire-2025-02-12\" value=\"1\">",
    );
    assert_has(&r1, p, "<a href=\"#cite-lakeside-wire-2025-02-12-1\"");
    // @/ link with an #anchor.
    assert_has(
        &r1,
        p,
        "<a href=\"/briefings/tessic/topics/dam-filling-schedule/#what-is-at-stake\">",
    );

    // Postponed round: status, the new date (Los Angeles is on the day before) and the date
    // given up.
    let r2 = read(&out, "talks/saltmarsh-round-2/index.html");
    let p = "round 2";
    assert_has(
        &r2,
        p,
        "<span class=\"badge badge-postponed\">Postponed</span>",
    );
    assert_has(
        &r2,
        p,
        "<time datetime=\"2025-04-15T06:00:00Z\">10:00 Saltmarsh, 15 April 2025</time> <span class=\"zones\">(UTC 06:00 · Los Angeles 23:00 on 14 April 2025 · Auckland 18:00)</span>",
    );
    assert_has(
        &r2,
        p,
        "Was <span class=\"when\"><time datetime=\"2025-03-18T06:00:00Z\">10:00 Saltmarsh, 18 March 2025</time>",
    );
    assert!(
        !r2.contains("<dt>Began</dt>"),
        "a postponed round has no actual start"
    );

    // Future round: Auckland (NZST, UTC+12) is already on the next day.
    let r3 = read(&out, "talks/korvath-round-3/index.html");
    assert_has(
        &r3,
        "round 3",
        "<span class=\"badge badge-scheduled\">Scheduled</span>",
    );
    assert_has(
        &r3,
        "round 3",
        "(UTC 15:00 · Los Angeles 08:00 · Auckland 03:00 on 21 May 2025)",
    );

    // Person page: the title held at each round, and roles over time.
    let person = read(&out, "people/ilka-marenova/index.html");
    let p = "Ilka Marenova's page";
    assert_has(
        &person,
        p,
        "<h1>Ilka Marenova <span class=\"native\" lang=\"qaa-Cyrl\">Илка Маренова</span></h1>",
    );
    assert_has(
        &person,
        p,
        "saltmarsh-round-1/\">Vardena–Lusmere talks in Saltmarsh, 11 February 2025 (fictional)</a> <span class=\"badge badge-concluded\">Concluded</span>: Head of the Vardenian delegation (Deputy Minister of Water Resources)",
    );
    assert_has(
        &person,
        p,
        "korvath-round-3/\">Third round at the Korvath Dam site (fictional)</a> <span class=\"badge badge-scheduled\">Scheduled</span>: Head of the Vardenian delegation (Minister of Water Resources)",
    );
    assert_has(
        &person,
        p,
        "Minister of Water Resources, Government of Vardena <span class=\"meta\">(from <time datetime=\"2025-02-24\">24 February 2025</time>)</span>",
    );

    // Positions matrix: Vardena's latest stance on the filling schedule (proposes, 11 Feb)
    // replaced the earlier one (rejects, 20 Jan); the topic page keeps both, in order.
    let matrix = read(&out, "positions/index.html");
    let row = between(
        &matrix,
        "<th scope=\"row\"><a href=\"/briefings/tessic/topics/dam-filling-schedule/\">",
        "</tr>",
    );
    assert_has(
        row,
        "filling-schedule row",
        "<span class=\"stance stance-proposes\">Proposes</span> Proposes a non-binding seven-year filling schedule.",
    );
    assert_has(
        row,
        "filling-schedule row",
        "<span class=\"stance stance-demands\">Demands</span>",
    );
    assert!(
        !row.contains("stance-rejects"),
        "the superseded stance is not in the matrix"
    );
    let topic = read(&out, "topics/dam-filling-schedule/index.html");
    let over_time = between(&topic, "Positions over time", "</section>");
    let rejects = over_time.find("As of <time datetime=\"2025-01-20\">20 January 2025</time>:</span> <span class=\"stance stance-rejects\">").expect("the January stance");
    let proposes = over_time.find("As of <time datetime=\"2025-02-11\">11 February 2025</time>:</span> <span class=\"stance stance-proposes\">").expect("the February stance");
    assert!(rejects < proposes, "positions over time are in date order");

    // Timeline: year, month, day and minute precision, with anchors and conversions.
    let timeline = read(&out, "timeline/index.html");
    let p = "timeline";
    assert_has(&timeline, p, "<h2 id=\"year-1998\">1998</h2>");
    assert_has(&timeline, p, "<li id=\"council-founded\">");
    assert_has(
        &timeline,
        p,
        "<time datetime=\"2023-09\">September 2023</time>",
    );
    assert_has(
        &timeline,
        p,
        "<li id=\"2025-02-24-marenova-promoted-to-minister\">",
    );
    assert_has(
        &timeline,
        p,
        "<time datetime=\"2025-03-14T12:45:00Z\">16:45 Tbilisi, 14 March 2025</time> <span class=\"zones\">(UTC 12:45 · Los Angeles 05:45 · Auckland 01:45 on 15 March 2025)</span>",
    );
    assert_has(&timeline, p, "<li id=\"talk-saltmarsh-round-1\">");

    // Sources page: provenance of both translated sources.
    let sources = read(&out, "sources/index.html");
    assert_has(
        &sources,
        "sources",
        "<dt>Translation</dt><dd>From German, by machine (AI)</dd>",
    );
    assert_has(
        &sources,
        "sources",
        "<dt>Translation</dt><dd>From French, by a translator</dd>",
    );

    // Generic page: table, footnote, relative image copied beside it, alias; draft left out.
    let analysis = read(&out, "analysis/water-arithmetic/index.html");
    assert_has(
        &analysis,
        "analysis",
        "<td style=\"text-align: right\">190</td>",
    );
    assert_has(
        &analysis,
        "analysis",
        "<img src=\"/briefings/tessic/analysis/flow-chart.png\"",
    );
    assert_has(&analysis, "analysis", "class=\"footnote-definition\"");
    assert!(
        out.join("analysis/flow-chart.png").is_file(),
        "the image is copied"
    );
    assert_has(
        &read(&out, "notes/water-maths/index.html"),
        "alias",
        "url=https://example.org/briefings/tessic/analysis/water-arithmetic/",
    );
    assert!(
        !out.join("analysis/draft-scenarios").exists(),
        "drafts are not built"
    );
    assert!(!read(&out, "analysis/index.html").contains("draft-scenarios"));

    // Calendar: the postponed round is tentative and was rescheduled once.
    let ics = read(&out, "calendar.ics");
    let vevent = between(&ics, "UID:saltmarsh-round-2@", "END:VEVENT");
    assert_has(vevent, "calendar", "DTSTART:20250415T060000Z");
    assert_has(vevent, "calendar", "SEQUENCE:1");
}
