//! Publishing: base URL under a sub-path, sitemap, feed, calendar, JSON export, hashed assets,
//! aliases and the internal link check, on the default site and small fixtures.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const BASE: &str = "https://example.org/sub/";

fn briefing() -> Command {
    let mut c = Command::cargo_bin("briefing").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

/// Build the repository's default site with the sub-path base URL into a temp folder.
fn build_default() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("public");
    briefing()
        .args([
            "build",
            "-q",
            "-r",
            env!("CARGO_MANIFEST_DIR"),
            "-u",
            BASE,
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

fn write_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files(out: &Path) -> BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, e.path().to_path_buf())
        })
        .collect()
}

fn attrs<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let pat = format!(" {name}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let start = i + pat.len();
            html[start..].find('"').map(|end| &html[start..start + end])
        })
        .collect()
}

#[test]
fn every_internal_url_is_under_the_sub_path_and_resolves() {
    let (_dir, out) = build_default();
    let all = files(&out);
    let ids: BTreeMap<&str, HashSet<String>> = all
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, p)| {
            let html = std::fs::read_to_string(p).expect("read");
            (
                k.as_str(),
                attrs(&html, "id").into_iter().map(str::to_string).collect(),
            )
        })
        .collect();
    let mut checked = 0;
    for (rel, path) in all.iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = std::fs::read_to_string(path).expect("read");
        for url in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            let url = url.replace("&amp;", "&");
            let local = if let Some(rest) = url.strip_prefix(BASE) {
                format!("/sub/{rest}")
            } else if url.contains("://") || url.starts_with("mailto:") {
                continue;
            } else {
                url.clone()
            };
            let (path_part, frag) = match local.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (local.clone(), None),
            };
            let target = if path_part.is_empty() {
                rel.clone()
            } else {
                assert!(
                    path_part.starts_with("/sub/"),
                    "{rel}: URL `{url}` is not under /sub/ and not a fragment"
                );
                let mut t = path_part["/sub/".len()..].to_string();
                if t.is_empty() || t.ends_with('/') {
                    t.push_str("index.html");
                }
                t
            };
            assert!(
                all.contains_key(&target),
                "{rel}: `{url}` → {target} does not exist"
            );
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                assert!(
                    ids.get(target.as_str()).is_some_and(|s| s.contains(&f)),
                    "{rel}: `{url}`: no id `{f}` in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn stylesheets_are_fingerprinted_and_referenced() {
    let (_dir, out) = build_default();
    let all = files(&out);
    let css: Vec<&String> = all
        .keys()
        .filter(|k| k.starts_with("style.") && k.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    let hash = css[0].trim_start_matches("style.").trim_end_matches(".css");
    assert!(
        hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "{hash}"
    );
    assert!(!all.contains_key("style.css"));
    assert!(read(&out, "index.html").contains(&format!("href=\"/sub/{}\"", css[0])));
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let (_dir, out) = build_default();
    let xml = read(&out, "sitemap.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut elements = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(_) => elements += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    let locs: Vec<String> = xml
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(str::to_string)
        .collect();
    assert_eq!(
        elements,
        1 + 2 * locs.len() + xml.matches("<lastmod>").count()
    );
    assert!(locs.contains(&BASE.to_string()));
    assert!(locs.contains(&format!("{BASE}talks/istanbul-2025-05-16/")));
    assert!(!locs.iter().any(|l| l.contains("404")));
    for l in &locs {
        let rel = l.strip_prefix(BASE).expect("absolute under base");
        assert!(out.join(rel).join("index.html").is_file(), "{l}");
    }
    assert!(read(&out, "robots.txt").contains(&format!("Sitemap: {BASE}sitemap.xml")));
}

#[test]
fn atom_feed_parses_and_has_updates_and_pages() {
    let (_dir, out) = build_default();
    let xml = read(&out, "atom.xml");
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("valid Atom");
    assert_eq!(feed.title().as_str(), "Russia–Ukraine talks in Istanbul");
    let ids: HashSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), feed.entries().len(), "entry ids are unique");
    assert!(feed.entries().len() >= 3);
    let update = feed
        .entries()
        .iter()
        .find(|e| e.id().ends_with("#update-20250516T103000Z"))
        .expect("the 13:30 update");
    assert_eq!(update.updated().to_rfc3339(), "2025-05-16T10:30:00+00:00");
    assert!(update.published().is_some());
}

#[test]
fn calendar_parses_with_status_sequence_and_utc_times() {
    let (_dir, out) = build_default();
    let ics = read(&out, "calendar.ics");
    for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "bare LF in calendar"
    );
    let cal = ical::IcalParser::new(ics.as_bytes())
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert_eq!(cal.events.len(), 1);
    let ev = &cal.events[0];
    let prop = |name: &str| {
        ev.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    // The scheduled start (12:30 in Istanbul); the late, approximate start is described.
    assert_eq!(prop("DTSTART"), "20250516T093000Z");
    assert!(
        prop("DESCRIPTION")
            .replace("\\,", ",")
            .contains("Began about 13:30 Istanbul, 16 May 2025 (10:30 UTC) (approximate)."),
        "{}",
        prop("DESCRIPTION")
    );
    assert_eq!(prop("STATUS"), "CONFIRMED");
    assert_eq!(prop("SEQUENCE"), "0");
    assert_eq!(prop("UID"), "istanbul-2025-05-16@example.org/sub");
    assert!(prop("LOCATION").contains("Dolmabahçe"));
}

/// The export's keys are in alphabetical order in every object (the documented order; the
/// structs declare their fields in that order and are written as they are).
#[test]
fn json_export_keys_are_in_alphabetical_order() {
    let (_dir, out) = build_default();
    let text = read(&out, "briefing.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    // A `Value`'s objects sort their keys: written again, it is the same text only if every
    // object's keys were in order.
    assert_eq!(serde_json::to_string_pretty(&v).expect("JSON") + "\n", text);
}

#[test]
fn json_export_has_the_documented_shape() {
    let (_dir, out) = build_default();
    let v: serde_json::Value = serde_json::from_str(&read(&out, "briefing.json")).expect("JSON");
    assert_eq!(v["format"], "briefing");
    assert_eq!(v["version"], 2);
    let talk = &v["talks"][0];
    // Under a base URL every address is absolute (issue 14, item 8).
    assert_eq!(talk["url"], format!("{BASE}talks/istanbul-2025-05-16/"));
    for kind in ["parties", "people", "topics", "timeline"] {
        for r in v[kind].as_array().expect("array") {
            let url = r["url"].as_str().expect("url");
            assert!(url.starts_with(BASE), "{kind}: {url} is not under {BASE}");
        }
    }
    assert_eq!(talk["id"], "istanbul-2025-05-16");
    assert_eq!(talk["venue"]["timezone"], "Europe/Istanbul");
    assert_eq!(talk["scheduled_start"]["utc"], "2025-05-16T09:30:00Z");
    assert_eq!(talk["actual_start"]["approximate"], true);
    // The reporting names Umerov as "Ukraine's representative", not as head of delegation.
    assert_eq!(
        talk["delegations"][0]["members"][0]["person"],
        "rustem-umerov"
    );
    assert!(talk["delegations"][0]["head"].is_null());
    assert!(v["positions"].as_array().expect("array").len() >= 9);
    assert_eq!(v["sources"][0]["translation"]["by"], "machine");
    assert_eq!(v["timeline"][0]["date"]["precision"], "year");
    // Editorial trust: byline, dates, bottom line, what to watch, approximate log times.
    assert_eq!(talk["authors"][0]["name"], "The editors");
    assert_eq!(talk["published"], "2025-05-16T09:30:00Z");
    assert_eq!(talk["updated"], "2025-05-16T10:30:00Z");
    assert!(
        talk["bottom_line"]
            .as_str()
            .is_some_and(|b| b.contains("outlet"))
    );
    assert_eq!(talk["watch"].as_array().map(Vec::len), Some(3));
    assert_eq!(talk["updates"][1]["approximate"], true);
}

const TALK: &str = "---\ntitle: Round one\nstatus: postponed\nvenue: {name: Palace, timezone: Europe/Istanbul}\n\
scheduled_start: 2025-06-02T10:00\nrescheduled:\n  - from: 2025-06-01T10:00\n  - from: 2025-05-30T10:00\n\
updates:\n  - at: 2025-05-29T09:00\n    text: Moved.\n  - at: 2025-05-29T11:00\n    kind: correction\n    text: The date was wrong.\n---\nBody.\n";

#[test]
fn corrections_status_and_sequence_reach_feed_and_calendar() {
    let site = write_site(&[("content/talks/round-one.md", TALK)]);
    let out = site.path().join("public");
    briefing()
        .args(["build", "-q", "-u", "https://example.org/", "-r"])
        .arg(site.path())
        .assert()
        .success();
    let feed = atom_syndication::Feed::read_from(read(&out, "atom.xml").as_bytes()).expect("Atom");
    let correction = feed
        .entries()
        .iter()
        .find(|e| e.title().as_str().starts_with("Correction"))
        .expect("a correction entry");
    assert_eq!(correction.categories()[0].term(), "correction");
    let ics = read(&out, "calendar.ics");
    let cal = ical::IcalParser::new(ics.as_bytes())
        .next()
        .expect("cal")
        .expect("valid");
    let prop = |name: &str| {
        cal.events[0]
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(prop("STATUS").as_deref(), Some("TENTATIVE"));
    assert_eq!(prop("SEQUENCE").as_deref(), Some("2"));
    let html = read(&out, "talks/round-one/index.html");
    assert!(html.contains("class=\"update correction\""));
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = write_site(&[(
        "content/notes/new-name.md",
        "---\ntitle: Renamed\naliases: [/notes/old-name/]\n---\nText.\n",
    )]);
    let out = site.path().join("public");
    briefing()
        .args(["build", "-q", "-r"])
        .arg(site.path())
        .assert()
        .success();
    let html = read(&out, "notes/old-name/index.html");
    assert!(html.contains("url=/notes/new-name/"), "{html}");
    assert!(html.contains("<link rel=\"canonical\" href=\"/notes/new-name/\">"));
}

#[test]
fn broken_link_and_anchor_are_site_errors_with_file_and_line() {
    let site = write_site(&[
        (
            "content/a.md",
            "---\ntitle: A\n---\n\n## Here\n\nSee [B](@/b.md#nowhere) and [C](/missing/).\n",
        ),
        ("content/b.md", "---\ntitle: B\n---\n\nB.\n"),
    ]);
    let assert = briefing()
        .args(["build", "-r"])
        .arg(site.path())
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("no anchor `#nowhere`"), "{err}");
    assert!(err.contains("content/a.md:7:9"), "{err}");
    assert!(err.contains("broken link `/missing/`"), "{err}");
    assert!(err.contains("content/a.md:7:33"), "{err}");
    assert!(
        !err.contains("public/index.html"),
        "a summary repeating the link is not reported again: {err}"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn without_a_base_url_absolute_outputs_are_skipped_with_one_warning() {
    let site = write_site(&[("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\nA.\n")]);
    let assert = briefing()
        .args(["build", "-r"])
        .arg(site.path())
        .assert()
        .success();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(
        err.matches("warning[W002]: no `base_url`").count(),
        1,
        "{err}"
    );
    let out = site.path().join("public");
    assert!(!out.join("sitemap.xml").exists());
    assert!(!out.join("atom.xml").exists());
    assert!(out.join("robots.txt").exists());
    assert!(!read(&out, "a/index.html").contains("rel=\"canonical\""));
}

/// A tiny HTTP server on loopback: `/ok` answers 200, anything else 404. Serves `n` requests.
fn local_server(n: usize) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let ok = request_line.split_whitespace().nth(1) == Some("/ok");
            let status = if ok { "200 OK" } else { "404 Not Found" };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (addr, handle)
}

#[test]
fn check_external_reports_broken_external_links_only_when_asked() {
    let (addr, _server) = local_server(16);
    let page = format!("---\ntitle: A\n---\n\n[fine]({addr}/ok) and [gone]({addr}/missing)\n");
    let site = write_site(&[("content/a.md", &page)]);
    // Off by default: no request is made, and the site is fine.
    briefing()
        .args(["check", "-q", "-r"])
        .arg(site.path())
        .assert()
        .success();
    let assert = briefing()
        .args(["check", "--external", "-r"])
        .arg(site.path())
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains(&format!("external link `{addr}/missing` answered HTTP 404")),
        "{err}"
    );
    assert!(err.contains("linked from /a/index.html"), "{err}");
    assert!(!err.contains(&format!("`{addr}/ok`")), "{err}");
}

/// A search result quoting a page that relies on translated reporting carries the page's
/// translation notice, as the page and the listings do (issue 14, item 15).
#[test]
fn search_documents_carry_the_translation_notice() {
    let (_dir, out) = build_default();
    let mut found = None;
    for entry in std::fs::read_dir(out.join("search")).expect("search/") {
        let path = entry.expect("entry").path();
        if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("docs-"))
        {
            continue;
        }
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        for r in rows {
            if r[0]
                .as_str()
                .is_some_and(|u| u.ends_with("talks/istanbul-2025-05-16/"))
            {
                found = Some(r);
            }
        }
    }
    let talk = found.expect("the talk's search document");
    let notice = talk[5].as_str().expect("a notice on the talk's document");
    assert!(notice.contains("machine-translated"), "{notice}");
    // A page that cites nothing translated has none.
}

/// Two entries of one talk's update log at the same minute (an update and its correction) are
/// two timeline events with ids of their own, not a clash blamed on `timeline.yaml`.
#[test]
fn two_updates_at_the_same_minute_are_two_timeline_events() {
    let talk = TALK.replace("2025-05-29T11:00", "2025-05-29T09:00");
    let site = write_site(&[("content/talks/round-one.md", &talk)]);
    let out = site.path().join("public");
    let run = briefing()
        .args(["build", "-q", "-u", "https://example.org/", "-r"])
        .arg(site.path())
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let timeline = read(&out, "timeline/index.html");
    assert!(
        timeline.contains("id=\"update-round-one-2025-05-29t09-00\""),
        "{timeline}"
    );
    assert!(
        timeline.contains("id=\"update-round-one-2025-05-29t09-00-2\""),
        "{timeline}"
    );
}

/// The talk page's own anchors for two update-log entries at the same minute are distinct, the
/// feed gives them distinct ids, and the timeline links each to its own entry.
#[test]
fn two_updates_at_the_same_minute_have_anchors_of_their_own() {
    let talk = TALK.replace("2025-05-29T11:00", "2025-05-29T09:00");
    let site = write_site(&[("content/talks/round-one.md", &talk)]);
    let out = site.path().join("public");
    briefing()
        .args(["build", "-q", "-u", "https://example.org/", "-r"])
        .arg(site.path())
        .assert()
        .success();
    let page = read(&out, "talks/round-one/index.html");
    let ids: Vec<&str> = page
        .match_indices("id=\"update-")
        .map(|(i, _)| {
            let rest = &page[i + 4..];
            &rest[..rest[1..].find('"').map_or(rest.len(), |e| e + 2)]
        })
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1], "{ids:?}");
    let feed = atom_syndication::Feed::read_from(read(&out, "atom.xml").as_bytes()).expect("Atom");
    let mut entry_ids: Vec<&str> = feed
        .entries()
        .iter()
        .map(|e| e.id())
        .filter(|id| id.contains("#update-"))
        .collect();
    entry_ids.sort_unstable();
    entry_ids.dedup();
    assert_eq!(entry_ids.len(), 2, "{entry_ids:?}");
    let timeline = read(&out, "timeline/index.html");
    for id in &ids {
        let anchor = id.trim_matches('"');
        assert!(
            timeline.contains(&format!("round-one/#{anchor}\"")),
            "timeline does not link to #{anchor}"
        );
    }
}
