//! The `statements` kind, end to end: the kind added through its declaration alone
//! (`load/kinds.rs`), its template, and the lists every record it references shows.

mod common;

use common::briefing_site;

const STATEMENT: &str = "---\n\
title: Party A sets out its terms\n\
party: party-a\n\
speaker: jane-doe\n\
date: 2025-05-15\n\
topics: [ceasefire]\n\
talk: round-one\n\
sources: [src-one]\n\
---\n\
\n\
The minister said a ceasefire must come first [@src-two].\n";

#[test]
fn a_statement_has_its_page_and_is_listed_on_every_record_it_names() {
    let site = briefing_site().file("content/statements/terms.md", STATEMENT);
    site.build_ok();
    let page = site.read_out("statements/terms/index.html");
    assert!(
        page.contains("<h1>Party A sets out its terms</h1>"),
        "{page}"
    );
    assert!(page.contains(r#"href="/parties/party-a/""#), "party linked");
    assert!(
        page.contains(r#"href="/people/jane-doe/""#),
        "speaker linked"
    );
    assert!(
        page.contains(r#"href="/topics/ceasefire/""#),
        "topic linked"
    );
    assert!(page.contains(r#"href="/talks/round-one/""#), "talk linked");
    // Both the structured source and the body's citation are in its source list.
    assert!(
        page.contains("Agency One") && page.contains("Agency Two"),
        "{page}"
    );

    for listing in [
        "parties/party-a/index.html",
        "people/jane-doe/index.html",
        "topics/ceasefire/index.html",
        "talks/round-one/index.html",
    ] {
        let html = site.read_out(listing);
        assert!(
            html.contains(r#"<h2 id="backlinks-statement">Statements</h2>"#)
                && html.contains(r#"<a href="/statements/terms/">Party A sets out its terms</a>"#),
            "{listing} lists the statement:\n{html}"
        );
    }
    // A record the statement does not name lists nothing.
    let mediator = site.read_out("parties/mediator/index.html");
    assert!(!mediator.contains("backlinks-statement"), "{mediator}");

    let timeline = site.read_out("timeline/index.html");
    assert!(
        timeline.contains(r#"id="statement-terms""#)
            && timeline.contains(r#"<a href="/statements/terms/">Party A sets out its terms</a>"#),
        "{timeline}"
    );
    let nav = site.read_out("index.html");
    assert!(
        nav.contains(r#"href="/statements/""#),
        "navigation has the section"
    );

    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("briefing.json")).expect("briefing.json parses");
    let s = &json["statements"][0];
    assert_eq!(s["id"], "terms");
    assert_eq!(s["speaker"], "jane-doe");
    assert_eq!(s["talk"], "round-one");
    assert_eq!(s["date"]["value"], "2025-05-15");
}

#[test]
fn a_statement_is_checked_like_every_record() {
    let bad = STATEMENT
        .replace("speaker: jane-doe", "speaker: jane-do")
        .replace("talk: round-one", "talk: round-two")
        .replace("date: 2025-05-15\n", "");
    let site = briefing_site().file("content/statements/terms.md", &bad);
    let run = site.build();
    run.code(1);
    run.error("unknown person `jane-do`")
        .in_file("content/statements/terms.md")
        .at("content/statements/terms.md:4:10")
        .hint("did you mean `jane-doe`?");
    run.error("unknown talk `round-two`")
        .in_file("content/statements/terms.md")
        .at("content/statements/terms.md:6:7");
    run.error("a statement needs `date`")
        .in_file("content/statements/terms.md");
    run.error_count(3);
    assert!(!site.out_exists("index.html"), "nothing was written");
}
