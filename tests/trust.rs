//! Editorial trust (issue #16): bylines, published and updated stamps, approximate and
//! disputed values, durations, the bottom line, what to watch, position histories, `/changes/`
//! and `/corrections/`, and the JSON-LD, feed, sitemap and calendar that follow them. Each key
//! has a fixture that uses it and an error test for a malformed value, located at its line and
//! column.

mod common;

use common::{Site, briefing_site};
use serde_json::Value;

const TALK: &str = "content/talks/round-one.md";

/// A talk for [`briefing_site`] with `extra` front matter lines after `status:`
/// (so the first extra line is line 4).
fn talk_with(status: &str, extra: &str) -> String {
    format!(
        "---\ntitle: Round one\nstatus: {status}\n{extra}venue:\n  name: Palais\n  city: Geneva\n  timezone: Europe/Zurich\n\
         scheduled_start: 2025-05-16T12:30\ndelegations:\n  - party: party-a\n    head: {{person: jane-doe}}\n\
         sources: [src-one]\n---\n\nWhat is expected.\n"
    )
}

fn site_with_talk(status: &str, extra: &str) -> Site {
    let s = briefing_site();
    s.write(TALK, talk_with(status, extra));
    s
}

/// The JSON-LD of an HTML page.
fn jsonld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..end].replace("<\\/", "</")).expect("valid JSON")
}

fn talk_html(s: &Site) -> String {
    s.read_out("talks/round-one/index.html")
}

// --- Bylines -------------------------------------------------------------------------------

#[test]
fn bylines_name_ids_names_and_the_site_default() {
    let s = site_with_talk(
        "scheduled",
        "authors:\n  - the-desk\n  - Jane Roe\n  - {name: Ann Lee, url: https://example.org/ann/}\n",
    );
    s.write(
        "content/authors.yaml",
        "- {id: the-desk, name: The Geneva desk, kind: organization, url: https://example.org/desk/}\n",
    );
    s.write(
        "site.yaml",
        "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\nauthor: The editors\n",
    );
    s.build_ok();
    let html = talk_html(&s);
    assert!(
        html.contains(r#"By <a href="https://example.org/desk/" rel="author">The Geneva desk</a>, Jane Roe and <a href="https://example.org/ann/" rel="author">Ann Lee</a>"#),
        "{html}"
    );
    let ld = jsonld(&html);
    let authors = ld["author"].as_array().expect("authors");
    assert_eq!(authors[0]["@type"], "Organization");
    assert_eq!(authors[0]["url"], "https://example.org/desk/");
    assert_eq!(authors[1]["@type"], "Person");
    assert_eq!(authors[1]["name"], "Jane Roe");
    assert_eq!(authors[2]["url"], "https://example.org/ann/");
    // A page without `authors` has the site's byline.
    let note = s.read_out("notes/a/index.html");
    assert!(note.contains("By The editors"), "{note}");
    assert_eq!(jsonld(&note)["author"][0]["name"], "The editors");
    assert_eq!(jsonld(&note)["author"][0]["@type"], "Organization");
    // The feed names each entry's authors.
    let feed = s.read_out("atom.xml");
    assert!(
        feed.contains(
            "<author><name>The Geneva desk</name><uri>https://example.org/desk/</uri></author>"
        ),
        "{feed}"
    );
}

#[test]
fn an_unknown_author_id_is_located_with_a_hint() {
    let s = site_with_talk("scheduled", "authors: [the-dsk]\n");
    s.write(
        "content/authors.yaml",
        "- {id: the-desk, name: The Geneva desk}\n",
    );
    let r = s.build();
    r.code(1);
    r.error("unknown author `the-dsk`")
        .code("E020")
        .at("content/talks/round-one.md:4:11")
        .hint("did you mean `the-desk`?");
    assert!(!s.public().exists(), "a failed build writes nothing");
}

#[test]
fn a_malformed_author_is_located() {
    let s = site_with_talk("scheduled", "authors:\n  - {name: Ann, url: ftp://x}\n");
    let r = s.build();
    r.code(1);
    r.error("is not an http(s) URL")
        .code("E014")
        .in_file("content/talks/round-one.md");
    let d = r.error("is not an http(s) URL");
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{TALK}:5:"))),
        "{}",
        d.text
    );
}

// --- Published, updated, status as of ------------------------------------------------------

const UPDATES: &str = "updates:\n  - {at: 2025-05-16T12:30, text: Delayed.}\n  - {at: 2025-05-16T13:30, approximate: true, text: Talks begin.}\n";

#[test]
fn last_updated_is_the_latest_update_everywhere() {
    let s = site_with_talk(
        "under-way",
        &format!("actual_start: {{at: 2025-05-16T13:30, approximate: true}}\n{UPDATES}"),
    );
    s.build_ok();
    let html = talk_html(&s);
    assert!(html.contains("Published <time datetime=\"2025-05-16T10:30:00Z\">16 May 2025, 12:30 Geneva time</time>"), "{html}");
    assert!(html.contains("Updated <time datetime=\"2025-05-16T11:30:00Z\">16 May 2025, about 13:30 Geneva time</time>"), "{html}");
    // The status badge says as of when.
    assert!(html.contains("Under way</span> <span class=\"status-as-of\">as of about <time datetime=\"2025-05-16T11:30:00Z\">13:30 Geneva time, 16 May 2025</time>"), "{html}");
    // The update log says "about" for the approximate entry only.
    assert!(html.contains("about 13:30 Geneva, 16 May 2025"), "{html}");
    assert!(!html.contains("about 12:30"), "{html}");
    let ld = jsonld(&html);
    assert_eq!(ld["datePublished"], "2025-05-16T10:30:00Z");
    assert_eq!(ld["dateModified"], "2025-05-16T11:30:00Z");
    let sitemap = s.read_out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/talks/round-one/</loc>\n    <lastmod>2025-05-16T11:30:00Z</lastmod>"), "{sitemap}");
    let feed = s.read_out("atom.xml");
    assert!(
        feed.contains("<title>Update, about 13:30 Geneva time: Round one</title>"),
        "{feed}"
    );
    assert!(feed.contains("<title>Update: Round one</title>"), "{feed}");
    // The timeline says "about" too.
    let timeline = s.read_out("timeline/index.html");
    assert!(timeline.contains("about 13:30"), "{timeline}");
}

#[test]
fn an_explicit_updated_wins_over_the_log() {
    let s = site_with_talk(
        "under-way",
        &format!("actual_start: 2025-05-16T13:30\nupdated: 2025-05-17T09:00\n{UPDATES}"),
    );
    s.build_ok();
    let ld = jsonld(&talk_html(&s));
    assert_eq!(ld["dateModified"], "2025-05-17T07:00:00Z");
}

#[test]
fn a_malformed_approximate_flag_on_an_update_is_located() {
    let s = site_with_talk(
        "under-way",
        "actual_start: 2025-05-16T13:30\nupdates:\n  - at: 2025-05-16T13:30\n    approximate: maybe\n    text: Begins.\n",
    );
    let r = s.build();
    r.code(1);
    let d = r.error("approximate");
    assert_eq!(d.code, "E014", "{}", d.text);
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{TALK}:"))),
        "{}",
        d.text
    );
}

// --- Disputed and approximate values ---------------------------------------------------------

const DISPUTED_START: &str = "actual_start:\n  accounts:\n    - {at: 2025-05-16T14:30, approximate: true, sources: [src-one]}\n    - {at: 2025-05-16T15:00, sources: [src-two], note: according to the other side}\n";

#[test]
fn a_disputed_start_shows_every_account_cited() {
    let s = site_with_talk("under-way", DISPUTED_START);
    s.build_ok();
    let html = talk_html(&s);
    let began = &html[html.find("<dt>Began</dt>").expect("a Began row")..];
    let began = &began[..began.find("</dd>").expect("its end")];
    assert!(
        began.contains("badge-disputed\">Disputed</strong>"),
        "{began}"
    );
    assert!(began.contains("about 14:30 Geneva"), "{began}");
    assert!(began.contains("15:00 Geneva"), "{began}");
    assert!(began.contains("(according to the other side)"), "{began}");
    assert!(
        began.contains("href=\"#src-src-one\"") && began.contains("href=\"#src-src-two\""),
        "{began}"
    );
    // The first account is the one JSON-LD uses.
    assert_eq!(jsonld(&html)["about"]["startDate"], "2025-05-16T12:30:00Z");
}

#[test]
fn a_disputed_value_with_one_account_is_e028() {
    let s = site_with_talk(
        "under-way",
        "actual_start:\n  accounts:\n    - {at: 2025-05-16T14:30, sources: [src-one]}\n",
    );
    let r = s.build();
    r.code(1);
    let d = r.error("at least two alternative accounts");
    assert_eq!(d.code, "E028", "{}", d.text);
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{TALK}:"))),
        "{}",
        d.text
    );
}

#[test]
fn an_account_without_sources_is_e028_at_its_line() {
    let s = site_with_talk(
        "under-way",
        "actual_start:\n  accounts:\n    - {at: 2025-05-16T14:30, sources: [src-one]}\n    - {at: 2025-05-16T15:00}\n",
    );
    let r = s.build();
    r.code(1);
    let d = r.error("alternative account 2 has no `sources`");
    assert_eq!(d.code, "E028", "{}", d.text);
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{TALK}:"))),
        "{}",
        d.text
    );
}

#[test]
fn an_account_citing_an_unknown_source_is_e020() {
    let s = site_with_talk(
        "under-way",
        "actual_start:\n  accounts:\n    - {at: 2025-05-16T14:30, sources: [src-one]}\n    - {at: 2025-05-16T15:00, sources: [src-tw]}\n",
    );
    let r = s.build();
    r.code(1);
    r.error("unknown source `src-tw`")
        .code("E020")
        .at("content/talks/round-one.md:7:40")
        .hint("did you mean `src-two`?");
}

#[test]
fn disputed_and_plain_facts_are_shown() {
    let s = site_with_talk(
        "under-way",
        "actual_start: 2025-05-16T13:30\nfacts:\n  - {label: Delegates, value: 12, approximate: true, sources: [src-one]}\n  - label: Prisoners to be exchanged\n    accounts:\n      - {value: 1000, sources: [src-one]}\n      - {value: 800, sources: [src-two]}\n",
    );
    s.build_ok();
    let html = talk_html(&s);
    assert!(html.contains("<dt>Delegates</dt><dd>about 12"), "{html}");
    let row = &html[html
        .find("<dt>Prisoners to be exchanged</dt>")
        .expect("the row")..];
    let row = &row[..row.find("</dd>").expect("end")];
    assert!(
        row.contains("Disputed") && row.contains("1000") && row.contains("800"),
        "{row}"
    );
}

#[test]
fn a_fact_without_a_label_is_located() {
    let s = site_with_talk("scheduled", "facts:\n  - {value: 12}\n");
    let r = s.build();
    r.code(1);
    let d = r.error("a fact needs `label:`");
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{TALK}:5:"))),
        "{}",
        d.text
    );
}

// --- Duration and the calendar's end -------------------------------------------------------

#[test]
fn duration_gives_the_end_when_no_actual_end_is_known() {
    let s = site_with_talk(
        "under-way",
        "actual_start: {at: 2025-05-16T13:30, approximate: true}\nduration: {value: 1h30m, approximate: true}\n",
    );
    s.build_ok();
    let html = talk_html(&s);
    assert!(
        html.contains("<dt>Length</dt><dd>about 1 hour 30 minutes</dd>"),
        "{html}"
    );
    let ics = s.read_out("calendar.ics").replace("\r\n ", "");
    // Scheduled 12:30 Geneva (10:30 UTC); began 13:30 (11:30 UTC), plus 1h30m.
    assert!(ics.contains("DTSTART:20250516T103000Z"), "{ics}");
    assert!(ics.contains("DTEND:20250516T130000Z"), "{ics}");
    assert!(ics.contains("Lasted about 1 hour 30 minutes."), "{ics}");
    let ld = jsonld(&html);
    assert_eq!(ld["about"]["endDate"], "2025-05-16T13:00:00Z");
    assert_eq!(ld["about"]["duration"], "PT1H30M");
}

#[test]
fn an_actual_end_beats_the_duration_and_nothing_gives_no_end() {
    let s = site_with_talk(
        "concluded",
        "actual_start: 2025-05-16T13:30\nactual_end: 2025-05-16T14:00\nduration: 3h\n",
    );
    s.build_ok();
    let ics = s.read_out("calendar.ics");
    assert!(ics.contains("DTEND:20250516T120000Z"), "{ics}");
    let s = site_with_talk("scheduled", "");
    s.build_ok();
    let ics = s.read_out("calendar.ics");
    assert!(!ics.contains("DTEND"), "{ics}");
    assert!(jsonld(&talk_html(&s))["about"].get("endDate").is_none());
}

#[test]
fn a_disputed_duration_lists_every_account() {
    let s = site_with_talk(
        "concluded",
        "actual_start: 2025-05-16T13:30\nduration:\n  accounts:\n    - {value: 1h, approximate: true, sources: [src-one]}\n    - {value: 2 hours, sources: [src-two]}\n",
    );
    s.build_ok();
    let html = talk_html(&s);
    let row = &html[html.find("<dt>Length</dt>").expect("the row")..];
    let row = &row[..row.find("</dd>").expect("end")];
    assert!(
        row.contains("Disputed") && row.contains("about 1 hour") && row.contains("2 hours"),
        "{row}"
    );
    let ics = s.read_out("calendar.ics").replace("\r\n ", "");
    assert!(
        ics.contains("Length disputed: about 1 hour or 2 hours."),
        "{ics}"
    );
    assert!(
        ics.contains("DTEND:20250516T123000Z"),
        "the first account gives the end: {ics}"
    );
}

#[test]
fn a_malformed_duration_is_located() {
    let s = site_with_talk("scheduled", "duration: 1x\n");
    let r = s.build();
    r.code(1);
    r.error("invalid duration `1x`")
        .code("E014")
        .at("content/talks/round-one.md:4:11")
        .hint("1h30m");
}

// --- Bottom line and what to watch ----------------------------------------------------------

#[test]
fn bottom_line_and_watch_on_the_talk_and_the_front_page() {
    let s = site_with_talk(
        "scheduled",
        "bottom_line: The round is *unlikely* to settle anything [@src-two].\nwatch:\n  - {text: Who leads the delegation, sources: [src-one]}\n  - {text: The reply to the proposal, date: 2025-05-20}\n",
    );
    s.build_ok();
    let html = talk_html(&s);
    let facts = &html[html.find("id=\"facts-heading\"").expect("key facts")..];
    let first = &facts[..facts.find("<dl").expect("the facts")];
    assert!(first.contains("<p class=\"bottom-line\"><strong>Bottom line:</strong> The round is <em>unlikely</em> to settle anything"), "{first}");
    assert!(
        first.contains("href=\"#src-src-two\""),
        "the bottom line is cited: {first}"
    );
    assert!(
        html.contains("<h2 id=\"watch-heading\">What to watch</h2>"),
        "{html}"
    );
    assert!(html.contains("Who leads the delegation"), "{html}");
    // The front page falls back to the latest round's.
    let front = s.read_out("index.html");
    let glance = &front[front.find("id=\"glance-heading\"").expect("at a glance")..];
    assert!(
        glance.find("bottom-line").expect("a bottom line")
            < glance.find("Status").expect("a status"),
        "{glance}"
    );
    assert!(front.contains("What to watch"), "{front}");
    // A dated item stands on the timeline and in the calendar.
    let timeline = s.read_out("timeline/index.html");
    assert!(timeline.contains("id=\"watch-round-one-2\""), "{timeline}");
    assert!(
        !timeline.contains("id=\"watch-round-one-1\""),
        "undated items stay off: {timeline}"
    );
    let ics = s.read_out("calendar.ics").replace("\r\n ", "");
    assert!(ics.contains("DTSTART;VALUE=DATE:20250520"), "{ics}");
    assert!(
        ics.contains("SUMMARY:To watch: The reply to the proposal"),
        "{ics}"
    );
}

#[test]
fn the_front_pages_own_bottom_line_and_watch_win() {
    let s = site_with_talk("scheduled", "bottom_line: The round's own.\n");
    s.write(
        "content/_index.md",
        "---\ntitle: Test briefing\nbottom_line: The briefing's own [@src-one].\nwatch:\n  - {text: The next round, date: 2025-06-01, sources: [src-two]}\n---\n\nText.\n",
    );
    s.build_ok();
    let front = s.read_out("index.html");
    assert!(
        front.contains("The briefing’s own") || front.contains("The briefing's own"),
        "{front}"
    );
    assert!(
        !front.contains("The round’s own") && !front.contains("The round's own"),
        "{front}"
    );
    assert!(front.contains("The next round"), "{front}");
    let timeline = s.read_out("timeline/index.html");
    assert!(timeline.contains("id=\"watch-front-1\""), "{timeline}");
}

#[test]
fn a_malformed_bottom_line_is_located() {
    let s = site_with_talk("scheduled", "bottom_line: [not, text]\n");
    let r = s.build();
    r.code(1);
    let d = r.error("bottom_line");
    assert_eq!(d.code, "E014", "{}", d.text);
    assert!(
        d.locus
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{TALK}:4:"))),
        "{}",
        d.text
    );
}

#[test]
fn a_watch_item_with_a_bad_date_is_located() {
    let s = site_with_talk(
        "scheduled",
        "watch:\n  - text: The reply\n    date: 2025-13-01\n",
    );
    let r = s.build();
    r.code(1);
    r.error("2025-13-01")
        .code("E014")
        .at("content/talks/round-one.md:6:11");
}

#[test]
fn a_watch_item_on_the_front_page_citing_an_unknown_source_is_located() {
    let s = briefing_site();
    s.write(
        "content/_index.md",
        "---\ntitle: Test briefing\nwatch:\n  - {text: Next, sources: [src-on]}\n---\n",
    );
    let r = s.build();
    r.code(1);
    r.error("unknown source `src-on`")
        .code("E020")
        .at("content/_index.md:4:28")
        .hint("did you mean `src-one`?");
}

// --- Position history and /changes/ ---------------------------------------------------------

const HISTORY: &str = "---\nname: Party A\nkind: state\nroles: [negotiating-party]\npositions:\n  - {topic: ceasefire, stance: rejects, summary: Refused it., as_of: 2025-05-01, sources: [src-one]}\n  - {topic: ceasefire, stance: conditional, summary: Would accept it with guarantees., as_of: 2025-06-02, sources: [src-two]}\n---\n\nAbout Party A.\n";

#[test]
fn a_stance_history_is_shown_and_listed_as_a_change() {
    let s = briefing_site().file("content/parties/party-a.md", HISTORY);
    s.build_ok();
    let matrix = s.read_out("positions/index.html");
    assert!(
        matrix.contains(
            "rejects → conditional, since <time datetime=\"2025-06-02\">2 June 2025</time>"
        ),
        "{matrix}"
    );
    let topic = s.read_out("topics/ceasefire/index.html");
    assert!(
        topic.contains(
            "Stance: rejects → conditional, since <time datetime=\"2025-06-02\">2 June 2025</time>"
        ),
        "{topic}"
    );
    let changes = s.read_out("changes/index.html");
    assert!(changes.contains("Stance changed"), "{changes}");
    assert!(
        changes.contains("Would accept it with guarantees."),
        "{changes}"
    );
    assert!(!changes.contains("No changes yet"), "{changes}");
}

#[test]
fn two_positions_on_one_topic_at_one_date_are_e029() {
    let s = briefing_site().file(
        "content/parties/party-a.md",
        HISTORY.replace("2025-06-02", "2025-05-01"),
    );
    let r = s.build();
    r.code(1);
    r.error("two positions on `ceasefire` as of 2025-05-01")
        .code("E029")
        .at("content/parties/party-a.md:7:95");
}

// --- Corrections ----------------------------------------------------------------------------

#[test]
fn corrections_are_listed_linked_and_in_jsonld() {
    let s = site_with_talk(
        "under-way",
        "actual_start: 2025-05-16T13:30\nupdates:\n  - {at: 2025-05-16T13:30, text: Talks begin.}\n  - {at: 2025-05-16T14:00, kind: correction, text: \"They began at 13:30 not 13:00 [@src-two].\"}\n",
    );
    s.build_ok();
    let list = s.read_out("corrections/index.html");
    assert!(list.contains("They began at 13:30 not 13:00"), "{list}");
    assert!(
        list.contains("href=\"/talks/round-one/#update-20250516T120000Z\""),
        "{list}"
    );
    assert!(list.contains("href=\"#src-src-two\""), "{list}");
    let changes = s.read_out("changes/index.html");
    assert!(
        changes.contains("They began at 13:30 not 13:00"),
        "{changes}"
    );
    let html = talk_html(&s);
    let ld = jsonld(&html);
    assert_eq!(ld["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(
        ld["correction"][0]["text"],
        "They began at 13:30 not 13:00."
    );
    assert_eq!(ld["correction"][0]["datePublished"], "2025-05-16T12:00:00Z");
    // Every page's footer links to the list.
    for page in [
        "index.html",
        "notes/a/index.html",
        "talks/round-one/index.html",
        "timeline/index.html",
    ] {
        assert!(
            s.read_out(page)
                .contains("<a href=\"/corrections/\">Corrections</a>"),
            "{page}"
        );
    }
}

#[test]
fn changes_and_corrections_are_built_when_there_are_none() {
    let s = Site::new().file("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n");
    s.build_ok();
    assert!(
        s.read_out("corrections/index.html")
            .contains("No corrections yet.")
    );
    assert!(s.read_out("changes/index.html").contains("No changes yet"));
}

// --- JSON-LD of a talk ----------------------------------------------------------------------

#[test]
fn a_talk_is_a_news_article_about_its_event() {
    let s = site_with_talk(
        "concluded",
        &format!(
            "actual_start: {{at: 2025-05-16T13:30, approximate: true}}\nactual_end: 2025-05-16T15:00\n{UPDATES}"
        ),
    );
    s.build_ok();
    let ld = jsonld(&talk_html(&s));
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Round one");
    assert_eq!(ld["author"][0]["name"], "Test briefing");
    assert_eq!(ld["datePublished"], "2025-05-16T10:30:00Z");
    assert_eq!(ld["dateModified"], "2025-05-16T11:30:00Z");
    let ev = &ld["about"];
    assert_eq!(ev["@type"], "Event");
    assert_eq!(ev["startDate"], "2025-05-16T11:30:00Z");
    assert_eq!(ev["endDate"], "2025-05-16T13:00:00Z");
    assert_eq!(ev["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(ev["location"]["name"], "Palais");
    assert_eq!(ev["location"]["address"]["addressLocality"], "Geneva");
}

#[test]
fn the_default_briefing_shows_byline_updated_bottom_line_and_watch() {
    let s = Site::new();
    let out = s.root().join("public");
    let r = common::run({
        let mut c = common::briefing();
        c.args(["build", "-q", "-r", env!("CARGO_MANIFEST_DIR"), "-o"])
            .arg(&out);
        c
    });
    r.code(0);
    let front = common::read(&out.join("index.html"));
    assert!(front.contains("By The editors"), "{front}");
    assert!(front.contains("Updated <time"), "{front}");
    assert!(
        front.contains("The outlet’s assessment, not this briefing’s:"),
        "{front}"
    );
    assert!(front.contains("What to watch"), "{front}");
    assert!(front.contains("Who led the Russian delegation"), "{front}");
    let glance = &front[front.find("id=\"glance-heading\"").expect("at a glance")..];
    assert!(
        glance.find("bottom-line").expect("bottom line")
            < glance.find("badge-under-way").expect("status")
    );
    let talk = common::read(&out.join("talks/istanbul-2025-05-16/index.html"));
    assert!(talk.contains("as of about <time"), "{talk}");
    assert!(
        out.join("corrections/index.html").is_file() && out.join("changes/index.html").is_file()
    );
}

#[test]
fn a_correction_at_the_same_instant_as_an_update_links_to_its_own_entry() {
    let s = site_with_talk(
        "under-way",
        "actual_start: 2025-05-16T13:30\nupdates:\n  - {at: 2025-05-16T14:00, text: Talks pause.}\n  - {at: 2025-05-16T14:00, kind: correction, text: They did not pause.}\n",
    );
    s.build_ok();
    let html = talk_html(&s);
    assert!(html.contains("id=\"update-20250516T120000Z-2\""), "{html}");
    let list = s.read_out("corrections/index.html");
    assert!(
        list.contains("href=\"/talks/round-one/#update-20250516T120000Z-2\""),
        "{list}"
    );
    let changes = s.read_out("changes/index.html");
    assert!(
        changes.contains("href=\"/talks/round-one/#update-20250516T120000Z-2\""),
        "{changes}"
    );
}
