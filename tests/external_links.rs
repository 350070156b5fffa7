//! `check --external` and `site.yaml`'s `external_links`, against an HTTP server each test
//! starts on 127.0.0.1 (never the network): a slow host, a 429 then success, a 403 to the default
//! user agent, skipped hosts and prefixes, the per-host limit, the level, and sources' archived
//! copies.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use common::{Diag, Run, Site, diagnostics, run};

/// Assert on a diagnostic's message.
trait Says {
    fn message(&self, fragment: &str) -> &Self;
}

impl Says for Diag {
    fn message(&self, fragment: &str) -> &Diag {
        assert!(
            self.message.contains(fragment),
            "no {fragment:?} in the message:\n{}",
            self.text
        );
        self
    }
}

/// The user agent the `/bots` page lets in.
const AGENT: &str = "Briefing test desk (+https://example.org/contact)";

/// One request the server received.
#[derive(Debug, Clone)]
struct Hit {
    method: String,
    path: String,
    user_agent: String,
    at: Instant,
}

#[derive(Default)]
struct State {
    hits: Vec<Hit>,
    in_flight: usize,
    max_in_flight: usize,
}

/// A small HTTP/1.1 server on 127.0.0.1 with one behaviour per path:
/// `/ok*` and `/archive/ok*` 200; `/missing*`, `/gone*` and `/archive/gone*` 404; `/slow` never
/// answers in time; `/limited` 429 (`Retry-After: 1`) the first time, then 200; `/too-limited`
/// 429 asking for two minutes; `/bots` 403 unless the user agent is [`AGENT`]; `/hold/*` holds
/// each request until two are in flight (or 5 s pass), `/brief/*` for 200 ms; anything else 500.
struct Server {
    base: String,
    port: u16,
    state: Arc<(Mutex<State>, Condvar)>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = shared.clone();
                std::thread::spawn(move || answer(stream, &shared));
            }
        });
        Server {
            base: format!("http://127.0.0.1:{port}"),
            port,
            state,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self) -> Vec<Hit> {
        self.state.0.lock().unwrap().hits.clone()
    }

    fn hits_on(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    fn max_in_flight(&self) -> usize {
        self.state.0.lock().unwrap().max_in_flight
    }
}

fn answer(stream: TcpStream, shared: &(Mutex<State>, Condvar)) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            user_agent = value.trim().to_string();
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let (lock, freed) = shared;
    let earlier = {
        let mut s = lock.lock().unwrap();
        let earlier = s.hits.iter().filter(|h| h.path == path).count();
        s.hits.push(Hit {
            method,
            path: path.clone(),
            user_agent: user_agent.clone(),
            at: Instant::now(),
        });
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        freed.notify_all();
        earlier
    };
    let (status, extra) = if path.starts_with("/ok") || path.starts_with("/archive/ok") {
        ("200 OK", "")
    } else if path.starts_with("/missing")
        || path.starts_with("/gone")
        || path.starts_with("/archive/gone")
    {
        ("404 Not Found", "")
    } else if path == "/slow" {
        std::thread::sleep(Duration::from_secs(30));
        ("200 OK", "")
    } else if path == "/limited" {
        if earlier == 0 {
            ("429 Too Many Requests", "Retry-After: 1\r\n")
        } else {
            ("200 OK", "")
        }
    } else if path == "/too-limited" {
        ("429 Too Many Requests", "Retry-After: 120\r\n")
    } else if path == "/bots" {
        if user_agent == AGENT {
            ("200 OK", "")
        } else {
            ("403 Forbidden", "")
        }
    } else if path.starts_with("/hold/") {
        let s = lock.lock().unwrap();
        let _ = freed.wait_timeout_while(s, Duration::from_secs(5), |s| s.in_flight < 2);
        ("200 OK", "")
    } else if path.starts_with("/brief/") {
        std::thread::sleep(Duration::from_millis(200));
        ("200 OK", "")
    } else {
        ("500 Internal Server Error", "")
    };
    lock.lock().unwrap().in_flight -= 1;
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// A site whose front page links to each of `urls`, with `settings` as `external_links`.
fn site_linking(urls: &[String], settings: &str) -> Site {
    let links: String = urls
        .iter()
        .enumerate()
        .map(|(i, u)| format!("[link {i}]({u})\n"))
        .collect();
    Site::new()
        .file("site.yaml", format!("title: T\n{settings}"))
        .file(
            "content/_index.md",
            format!("---\ntitle: T\n---\n\n{links}"),
        )
}

/// `briefing check --external -r ROOT ARGS…`, with no proxy in the way.
fn check_external(site: &Site, args: &[&str]) -> Run {
    let mut args = args.to_vec();
    args.insert(0, "--external");
    let mut cmd = site.cmd("check", &args);
    for var in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    run(cmd)
}

#[test]
fn a_slow_host_times_out_and_a_429_is_retried_after_what_it_asks() {
    let server = Server::start();
    let site = site_linking(
        &[
            server.url("/slow"),
            server.url("/limited"),
            server.url("/ok"),
        ],
        "external_links:\n  timeout: 1\n  retries: 1\n  backoff: 0\n",
    );
    let r = check_external(&site, &[]);
    r.code(1);
    let diags = diagnostics(&r.stderr);
    assert_eq!(diags.len(), 1, "only the slow host fails:\n{}", r.stderr);
    diags[0]
        .message(&format!(
            "external link `{}` did not answer in time (2 tries)",
            server.url("/slow")
        ))
        .hint("external_links.timeout");
    // A timeout is not asked again with GET; it is tried again (retries: 1).
    let slow = server.hits_on("/slow");
    assert_eq!(slow.len(), 2, "{slow:?}");
    assert!(slow.iter().all(|h| h.method == "HEAD"), "{slow:?}");
    // The 429 asked for a second's wait, and got it (the backoff is 0), then the link worked.
    let limited = server.hits_on("/limited");
    assert_eq!(limited.len(), 2, "{limited:?}");
    let waited = limited[1].at - limited[0].at;
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
}

#[test]
fn a_429_that_asks_for_too_long_a_wait_fails_at_once() {
    let server = Server::start();
    let site = site_linking(
        &[server.url("/too-limited")],
        "external_links:\n  retries: 3\n",
    );
    let r = check_external(&site, &[]);
    r.code(1);
    let diags = diagnostics(&r.stderr);
    assert_eq!(diags.len(), 1, "{}", r.stderr);
    diags[0]
        .message("answered HTTP 429 and asked to wait 120 s")
        .hint("per_host");
    assert_eq!(server.hits_on("/too-limited").len(), 1);
}

#[test]
fn a_server_refusing_the_default_agent_answers_the_configured_one() {
    let server = Server::start();
    let url = server.url("/bots");
    let site = site_linking(std::slice::from_ref(&url), "");
    let r = check_external(&site, &[]);
    r.code(1);
    let diags = diagnostics(&r.stderr);
    assert_eq!(diags.len(), 1, "{}", r.stderr);
    diags[0]
        .message(&format!("external link `{url}` answered HTTP 403"))
        .hint("external_links.user_agent");
    let hits = server.hits_on("/bots");
    // HEAD, then GET before calling it broken; a 403 is not retried.
    assert_eq!(
        hits.iter().map(|h| h.method.as_str()).collect::<Vec<_>>(),
        ["HEAD", "GET"]
    );
    assert!(
        hits.iter()
            .all(|h| h.user_agent.starts_with("briefing-link-check/")),
        "{hits:?}"
    );

    site.write(
        "site.yaml",
        format!("title: T\nexternal_links:\n  user_agent: \"{AGENT}\"\n"),
    );
    let r = check_external(&site, &[]);
    r.code(0);
    assert!(
        r.stderr.contains("Requested 1 external link(s)"),
        "{}",
        r.stderr
    );
    assert_eq!(server.hits_on("/bots").last().unwrap().user_agent, AGENT);

    // Or accept the 403 as it is.
    site.write("site.yaml", "title: T\nexternal_links:\n  accept: [403]\n");
    check_external(&site, &[]).code(0);
}

#[test]
fn skipped_hosts_and_prefixes_are_never_requested() {
    let server = Server::start();
    let urls = [
        format!("http://localhost:{}/skipped-host", server.port),
        server.url("/private/page"),
        server.url("/ok"),
    ];
    // Without `skip`, both fail (the server answers 500, or `localhost` is not this server).
    let site = site_linking(&urls, "external_links:\n  retries: 0\n");
    let r = check_external(&site, &[]);
    r.code(1);
    assert_eq!(diagnostics(&r.stderr).len(), 2, "{}", r.stderr);

    let before = server.hits().len();
    site.write(
        "site.yaml",
        format!(
            "title: T\nexternal_links:\n  retries: 0\n  skip:\n    - LocalHost\n    - {}/private/\n",
            server.base
        ),
    );
    let r = check_external(&site, &[]);
    r.code(0);
    assert!(
        r.stderr.contains("Requested 1 external link(s); 2 skipped"),
        "{}",
        r.stderr
    );
    let after: Vec<Hit> = server.hits().split_off(before);
    assert!(
        after.iter().all(|h| h.path == "/ok"),
        "only /ok was requested: {after:?}"
    );
}

#[test]
fn no_more_than_per_host_requests_to_one_host_at_once() {
    let server = Server::start();
    let urls: Vec<String> = (0..4).map(|i| server.url(&format!("/brief/{i}"))).collect();
    let site = site_linking(&urls, "external_links:\n  per_host: 1\n");
    check_external(&site, &[]).code(0);
    assert_eq!(server.hits().len(), 4);
    assert_eq!(server.max_in_flight(), 1);

    // With two allowed, two are in flight together (each waits for the other), never three.
    let server = Server::start();
    let urls: Vec<String> = (0..4).map(|i| server.url(&format!("/hold/{i}"))).collect();
    let site = site_linking(&urls, "external_links:\n  per_host: 2\n");
    check_external(&site, &[]).code(0);
    assert_eq!(server.hits().len(), 4);
    assert_eq!(server.max_in_flight(), 2);
}

#[test]
fn level_warn_reports_broken_links_without_failing() {
    let server = Server::start();
    let site = site_linking(
        &[server.url("/missing")],
        "external_links:\n  level: warn\n",
    );
    let r = check_external(&site, &[]);
    r.code(0);
    let diags = diagnostics(&r.stderr);
    assert_eq!(diags.len(), 1, "{}", r.stderr);
    assert_eq!(diags[0].level, "warning");
    diags[0].message("answered HTTP 404");
    check_external(&site, &["--strict"]).code(1);
}

#[test]
fn the_sites_own_urls_are_not_requested_but_other_pages_of_its_host_are() {
    let server = Server::start();
    // The newsroom's own article, on the host the briefing is published at.
    let site = site_linking(
        &[server.url("/news/our-story")],
        &format!("base_url: {}/\n", server.base),
    );
    site.write("content/notes/a.md", "---\ntitle: A\n---\n\nA.\n");
    let r = check_external(&site, &[]);
    r.code(1);
    let diags = diagnostics(&r.stderr);
    assert_eq!(diags.len(), 1, "{}", r.stderr);
    diags[0].message(&format!("`{}`", server.url("/news/our-story")));
    let paths: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
    assert!(
        paths.iter().all(|p| p == "/news/our-story"),
        "canonical links and the like are not requested: {paths:?}"
    );
}

#[test]
fn a_sources_archived_copy_is_shown_checked_and_offered_as_the_fix() {
    let server = Server::start();
    let sources = format!(
        "- id: rescued\n  publisher: Agency One\n  title: Gone but archived\n  url: {gone}\n  archived_url: {archive}\n\
         - id: lost\n  publisher: Agency Two\n  title: Both gone\n  url: {missing}\n  archived_url: {archive_gone}\n\
         - id: bare\n  publisher: Agency Three\n  url: {gone2}\n",
        gone = server.url("/gone"),
        archive = server.url("/archive/ok"),
        missing = server.url("/missing"),
        archive_gone = server.url("/archive/gone"),
        gone2 = server.url("/gone-too"),
    );
    let site = Site::new()
        .file("site.yaml", "title: T\nexternal_links:\n  retries: 0\n")
        .file("content/sources.yaml", &sources)
        .file(
            "content/_index.md",
            "---\ntitle: T\n---\n\nA [@rescued], b [@lost], c [@bare].\n",
        );

    // Readers see the archived copy beside the original, on the page and on /sources/.
    site.build_ok();
    for page in ["index.html", "sources/index.html"] {
        let html = site.read_out(page);
        let archived: Vec<String> = common::attr(&html, "href")
            .into_iter()
            .filter(|h| h.contains("/archive/"))
            .collect();
        assert_eq!(
            archived,
            [server.url("/archive/ok"), server.url("/archive/gone")],
            "{page}"
        );
        assert!(html.contains("archived copy</a>"), "{page}");
    }
    let export = site.read_out("briefing.json");
    assert!(
        export.contains(&format!(
            "\"archived_url\":\"{}\"",
            server.url("/archive/ok")
        )) || export.contains(&format!(
            "\"archived_url\": \"{}\"",
            server.url("/archive/ok")
        ))
    );

    let r = check_external(&site, &[]);
    r.code(1);
    let diags = diagnostics(&r.stderr);
    let by_url: HashMap<&str, &Diag> = [
        ("/gone", 0usize),
        ("/missing", 1),
        ("/archive/gone", 2),
        ("/gone-too", 3),
    ]
    .into_iter()
    .map(|(path, _)| {
        let url = server.url(path);
        let d = diags
            .iter()
            .find(|d| d.message.contains(&format!("`{url}`")))
            .unwrap_or_else(|| panic!("no diagnostic for {url}:\n{}", r.stderr));
        (path, d)
    })
    .collect();
    assert_eq!(diags.len(), 4, "{}", r.stderr);
    // Each is located at its line of sources.yaml.
    for (path, line) in [
        ("/gone", 4),
        ("/missing", 9),
        ("/archive/gone", 10),
        ("/gone-too", 13),
    ] {
        let locus = by_url[path].locus.as_deref().unwrap_or("");
        assert!(
            locus.starts_with(&format!("content/sources.yaml:{line}:")),
            "{path} at {locus}:\n{}",
            r.stderr
        );
    }
    // The original whose archived copy works: a warning, offering the copy.
    let rescued = by_url["/gone"];
    assert_eq!(rescued.level, "warning", "{}", rescued.text);
    rescued.message("source `rescued`").hint(&format!(
        "archived copy, {}, which works",
        server.url("/archive/ok")
    ));
    // Both gone: errors, and the hint says the copy fails too.
    let lost = by_url["/missing"];
    assert_eq!(lost.level, "error");
    lost.hint("fails too");
    assert_eq!(by_url["/archive/gone"].level, "error");
    by_url["/archive/gone"].message("the archived copy of source `lost`");
    // No copy at all: the hint says how to add one.
    by_url["/gone-too"]
        .message("source `bare`")
        .hint("add `archived_url:` to source `bare`");
}

/// Every edition's external links are checked, not only the default edition's: a link only a
/// translation gives is requested and reported at the page of its edition; a link every edition
/// shares is requested once.
#[test]
fn every_editions_links_are_checked_each_url_once() {
    let server = Server::start();
    let (shared, only_uk) = (server.url("/ok/shared"), server.url("/missing/uk-only"));
    let site = Site::new()
        .file(
            "site.yaml",
            "title: T\nlanguages:\n  - code: en\n  - code: uk\nexternal_links:\n  retries: 0\n  backoff: 0\n",
        )
        .file(
            "content/notes/a.md",
            format!("---\ntitle: A\n---\n\n[shared]({shared})\n"),
        )
        .file(
            "content/notes/a.uk.md",
            format!(
                "---\ntitle: А\ntranslation: {{from: en, by: human}}\n---\n\n[спільне]({shared}) і [лише тут]({only_uk})\n"
            ),
        );
    let r = check_external(&site, &[]);
    r.code(1);
    let diags: Vec<Diag> = diagnostics(&r.stderr)
        .into_iter()
        .filter(|d| d.code == "E041")
        .collect();
    assert_eq!(diags.len(), 1, "{}", r.stderr);
    diags[0]
        .message(&format!("external link `{only_uk}` answered HTTP 404"))
        .message("(linked from /uk/notes/a/index.html")
        .in_file("public/uk/notes/a/index.html");
    // The link both editions show (and the untranslated pages repeat) is asked for once.
    assert_eq!(server.hits_on("/ok/shared").len(), 1, "{:?}", server.hits());
    // Once the uk-only link works, the check passes and counts each URL once.
    site.write(
        "content/notes/a.uk.md",
        format!(
            "---\ntitle: А\ntranslation: {{from: en, by: human}}\n---\n\n[спільне]({shared}) і [лише тут]({})\n",
            server.url("/ok/uk-only")
        ),
    );
    let r = check_external(&site, &[]);
    r.code(0);
    assert!(
        r.stderr.contains("Requested 2 external link(s)"),
        "{}",
        r.stderr
    );
    assert_eq!(server.hits_on("/ok/uk-only").len(), 1);
}
