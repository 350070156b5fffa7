//! `briefing serve` end to end: a real child process on a free port, a throwaway site, raw HTTP
//! over `TcpStream` (so request paths reach the server exactly as written), and the reload
//! stream read as text. Every wait polls with a generous deadline; no test asserts how long
//! anything took.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefing::serve::inject::{END, EVENTS_PATH, START};

const DEADLINE: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// Sites

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(files: &[(&str, &str)]) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(path, text).expect("write file");
    }

    /// Save the way many editors do: write a hidden temporary file, then rename it over.
    fn save_atomically(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        let name = path.file_name().expect("file name").to_string_lossy();
        let tmp = path.with_file_name(format!(".{name}.tmp-save"));
        std::fs::write(&tmp, text).expect("write temporary file");
        std::fs::rename(&tmp, &path).expect("rename over");
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove file");
    }
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

// ---------------------------------------------------------------------------------------------
// The server process

struct Server {
    child: Child,
    url: String,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &Site) -> Server {
        Server::start_with(site, &[])
    }

    fn start_with(site: &Site, extra: &[&str]) -> Server {
        Server::start_command(
            env!("CARGO_BIN_EXE_briefing"),
            &[],
            site,
            &["-p", "0"],
            extra,
        )
    }

    /// Start `program args… serve -r ROOT port… extra…`.
    fn start_command(
        program: &str,
        args: &[&str],
        site: &Site,
        port: &[&str],
        extra: &[&str],
    ) -> Server {
        let mut child = Command::new(program)
            .args(args)
            .arg("serve")
            .arg("-r")
            .arg(site.root())
            .args(port)
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefing serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(err) = child.stderr.take() {
            let sink = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
                    s.push_str(&line);
                    s.push('\n');
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Serving at ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr,
        };
        match rx.recv_timeout(DEADLINE) {
            Ok(url) => {
                let hostport = url
                    .strip_prefix("http://")
                    .and_then(|r| r.strip_suffix('/'))
                    .unwrap_or_else(|| panic!("odd URL {url}"));
                server.addr = hostport.parse().expect("address in the URL");
                server.url = url;
            }
            Err(_) => panic!(
                "briefing serve printed no URL; stderr:\n{}",
                server.stderr()
            ),
        }
        server
    }

    fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn get(&self, path: &str) -> Response {
        get(self.addr, path)
    }

    /// Poll the server's stderr until `done` accepts it or the deadline passes; returns it.
    fn stderr_when(&self, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let log = self.stderr();
            if done(&log) || start.elapsed() > DEADLINE {
                return log;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Poll `path` until `check` accepts the response.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if check(&r) {
                return r;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "timed out waiting for {path}: {what}\nlast response: {} {}\nserver stderr:\n{}",
                    r.status,
                    r.text(),
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn events(&self) -> Events {
        Events::open(self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP client

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body with the serve-only block taken out.
    fn without_injection(&self) -> Vec<u8> {
        strip_injection(&self.body)
    }

    fn has_overlay(&self) -> bool {
        self.text().contains("id=\"briefing-build-error\"")
    }
}

fn strip_injection(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    match (text.find(START), text.find(END)) {
        (Some(s), Some(e)) if e > s => {
            let mut out = text[..s].to_string();
            out.push_str(&text[e + END.len()..]);
            out.into_bytes()
        }
        _ => body.to_vec(),
    }
}

/// Send raw request bytes; read the whole answer (the request asks the server to close).
fn exchange(addr: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut s = TcpStream::connect_timeout(&addr, DEADLINE)?;
    s.set_read_timeout(Some(DEADLINE))?;
    s.set_write_timeout(Some(DEADLINE))?;
    // The server may answer and close before it has read all of an oversized request.
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => Ok(buf),
        Err(e) if !buf.is_empty() => {
            let _ = e;
            Ok(buf)
        }
        Err(e) => Err(e),
    }
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Response {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

/// GET `path` exactly as written, over HTTP/1.0 (so the body is simply everything until close).
fn get(addr: SocketAddr, path: &str) -> Response {
    let req = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let raw = exchange(addr, req.as_bytes()).unwrap_or_else(|e| panic!("GET {path}: {e}"));
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "GET {path}: no HTTP response in {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

/// Percent-encode a site path for a request line.
fn encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The reload stream

#[derive(Debug)]
struct Change {
    all: bool,
    changed: Vec<String>,
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Connect and read up to (and including) the `hello`, so the subscription is live.
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect_timeout(&addr, DEADLINE).expect("connect to events");
        s.set_read_timeout(Some(DEADLINE)).expect("read timeout");
        let req = format!(
            "GET {EVENTS_PATH} HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        );
        s.write_all(req.as_bytes()).expect("send events request");
        let mut reader = BufReader::new(s);
        let mut status = String::new();
        reader.read_line(&mut status).expect("status line");
        assert!(status.contains(" 200"), "events status: {status}");
        let mut saw_type = false;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("header line");
            if line.trim().is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-type:") && lower.contains("text/event-stream") {
                saw_type = true;
            }
        }
        assert!(saw_type, "the events stream is text/event-stream");
        let mut events = Events { reader };
        let (name, data) = events.next().expect("a hello event");
        assert_eq!(name, "hello", "{data}");
        events
    }

    /// The next event as (name, data); `None` at the end of the stream or after the deadline.
    fn next(&mut self) -> Option<(String, String)> {
        let (mut name, mut data) = (String::from("message"), String::new());
        let mut any = false;
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if any {
                    return Some((name, data));
                }
                continue;
            }
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
                any = true;
            } else if let Some(v) = line.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(v.trim_start());
                any = true;
            }
        }
    }

    fn next_change(&mut self) -> Option<Change> {
        loop {
            let (name, data) = self.next()?;
            if name != "change" {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&data).expect("change is JSON");
            let changed = v["changed"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            return Some(Change {
                all: v["all"].as_bool().unwrap_or(false),
                changed,
            });
        }
    }

    /// Read changes until one tells `path`'s page to reload.
    fn wait_for_reload_of(&mut self, path: &str) -> Change {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            match self.next_change() {
                Some(c) if c.all || c.changed.iter().any(|p| p == path) => return c,
                Some(_) => continue,
                None => break,
            }
        }
        panic!("no reload event for {path}");
    }
}

fn basic_site() -> Site {
    Site::new(&[
        ("site.yaml", "title: Test briefing\n"),
        ("content/a.md", &page("A", "Hello from A")),
        ("content/b.md", &page("B", "Hello from B")),
    ])
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn serves_pages_with_clean_urls_types_and_the_sites_404() {
    let site = basic_site();
    site.write("static/notes.txt", "plain\n");
    let server = Server::start(&site);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.text().contains(START), "the reload script is injected");
    assert!(home.text().contains("new EventSource"), "{}", home.text());

    let a = server.get("/a/");
    assert_eq!(a.status, 200);
    assert!(a.text().contains("Hello from A"));
    // The injected block sits right before </body>.
    let text = a.text();
    let end = text.find(END).expect("block end");
    assert!(text[end + END.len()..].trim_start().starts_with("</body>"));

    let redirect = server.get("/a");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/a/"));

    let txt = server.get("/notes.txt");
    assert_eq!(txt.status, 200);
    assert_eq!(
        txt.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(txt.body, b"plain\n", "non-HTML files are served untouched");

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    let site_404 = server.get("/404.html");
    assert_eq!(site_404.status, 200);
    assert_eq!(
        missing.without_injection(),
        site_404.without_injection(),
        "a missing page gets the site's own 404 page"
    );

    // Serving never writes the output folder.
    assert!(!site.path("public").exists(), "serve wrote public/");
}

#[test]
fn binds_to_loopback_by_default() {
    let site = basic_site();
    let server = Server::start(&site);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert!(server.addr.ip().is_loopback());
    assert_eq!(server.get("/").status, 200);
    // On Linux all of 127/8 is loopback: a server bound to every interface would answer on
    // 127.0.0.2 too, one bound to 127.0.0.1 does not.
    if cfg!(target_os = "linux") {
        let other = SocketAddr::from(([127, 0, 0, 2], server.addr.port()));
        assert!(
            TcpStream::connect_timeout(&other, Duration::from_secs(5)).is_err(),
            "the server also listens beyond 127.0.0.1"
        );
    }
}

#[test]
fn without_a_port_a_taken_default_port_moves_to_the_next_free_one() {
    // Hold 1111 (or find it held by someone else: taken either way).
    let held = std::net::TcpListener::bind("127.0.0.1:1111");
    let site = basic_site();
    let server = Server::start_command(env!("CARGO_BIN_EXE_briefing"), &[], &site, &[], &[]);
    let port = server.addr.port();
    assert!((1112..=1121).contains(&port), "chose port {port}");
    assert_eq!(server.get("/").status, 200);
    server.stderr_when(|log| log.contains("is taken"));
    let said = format!("Port 1111 is taken; using port {port} instead");
    assert!(server.stderr().contains(&said), "{}", server.stderr());
    drop(held);
}

#[test]
fn very_verbose_lists_the_files_each_rebuild_changed() {
    let site = basic_site();
    let server = Server::start_with(&site, &["-vv"]);
    let quiet = Server::start(&site);
    site.write("content/a.md", &page("A", "Edited for -vv"));
    server.wait_for("/a/", "the rebuild", |r| {
        r.text().contains("Edited for -vv")
    });
    let log = server.stderr_when(|log| log.contains("Changed output"));
    let listed: Vec<&str> = log
        .lines()
        .skip_while(|l| !l.contains("Changed output"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(str::trim)
        .collect();
    assert!(listed.contains(&"a/index.html"), "{log}");
    // Without -vv, no list.
    quiet.wait_for("/a/", "the rebuild", |r| {
        r.text().contains("Edited for -vv")
    });
    let reported = |l: &str| l.starts_with("Updated ") || l.starts_with("Rebuilt ");
    let log = quiet.stderr_when(|log| log.lines().any(reported));
    assert!(log.lines().any(reported), "{log}");
    assert!(!log.contains("Changed output"), "{log}");
}

#[test]
fn an_explicit_port_that_is_taken_is_an_error() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = held.local_addr().expect("its address").port().to_string();
    let site = basic_site();
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "-p", &port, "-r"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run briefing serve");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[E061]: cannot listen on 127.0.0.1:"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
}

#[test]
fn edits_atomic_saves_new_and_deleted_files_rebuild_and_reload() {
    let site = basic_site();
    let server = Server::start(&site);
    let mut events = server.events();

    // A plain edit.
    site.write("content/a.md", &page("A", "Edited in place"));
    server.wait_for("/a/", "the edit", |r| r.text().contains("Edited in place"));
    events.wait_for_reload_of("a/index.html");

    // An atomic save: temporary file, then rename over the page.
    site.save_atomically("content/a.md", &page("A", "Saved atomically"));
    server.wait_for("/a/", "the atomic save", |r| {
        r.text().contains("Saved atomically")
    });
    events.wait_for_reload_of("a/index.html");

    // A new page, in a new folder.
    site.write("content/notes/c.md", &page("C", "A new page"));
    server.wait_for("/notes/c/", "the new page", |r| {
        r.status == 200 && r.text().contains("A new page")
    });
    events.wait_for_reload_of("notes/c/index.html");

    // A deleted page disappears.
    site.remove("content/notes/c.md");
    server.wait_for("/notes/c/", "the page to go", |r| r.status == 404);
    events.wait_for_reload_of("notes/c/index.html");

    // A renamed page moves.
    std::fs::rename(site.path("content/b.md"), site.path("content/b2.md")).expect("rename");
    server.wait_for("/b2/", "the renamed page", |r| r.status == 200);
    let change = events.wait_for_reload_of("b/index.html");
    assert!(
        change.all || change.changed.iter().any(|p| p == "b2/index.html"),
        "{change:?}"
    );
    assert_eq!(server.get("/b/").status, 404);

    // site.yaml counts too.
    site.write("site.yaml", "title: Renamed briefing\n");
    server.wait_for("/", "the new title", |r| {
        r.text().contains("Renamed briefing")
    });
    events.wait_for_reload_of("index.html");
    assert!(!site.path("public").exists(), "serve wrote public/");
}

#[test]
fn a_save_through_a_visible_temporary_file_is_an_edit_of_that_page_alone() {
    let site = basic_site();
    let server = Server::start_with(&site, &["-vv"]);
    // `sed -i` writes `sedXXXXXX` beside the file and renames it over: the temporary file is
    // made and gone within the one change, and must not make the edit a full rebuild.
    let tmp = site.path("content/sedT3mp0");
    std::fs::write(&tmp, page("A retitled", "Hello from A")).expect("write temporary file");
    std::fs::rename(&tmp, site.path("content/a.md")).expect("rename over");
    server.wait_for("/a/", "the retitled page", |r| {
        r.text().contains("A retitled")
    });
    let log = server.stderr_when(|log| log.contains("Stages (ms)"));
    let stages = log
        .lines()
        .find(|l| l.contains("Stages (ms)"))
        .unwrap_or_else(|| panic!("no stages in {log}"));
    // The shortcut for front-matter edits of generic pages patches the site in place.
    assert!(
        stages.contains(" patch ") && !stages.contains(" resolve "),
        "{log}"
    );
    assert!(
        server.get("/").text().contains("A retitled"),
        "the listing shows the new title"
    );
}

#[test]
fn replacing_the_whole_content_folder_is_seen() {
    let site = basic_site();
    let server = Server::start(&site);
    std::fs::rename(site.path("content"), site.path("content-old")).expect("move content away");
    server.wait_for("/a/", "the pages to go", |r| r.status == 404);
    site.write("content/c.md", &page("C", "In a new content folder"));
    server.wait_for("/c/", "the new folder's page", |r| {
        r.status == 200 && r.text().contains("In a new content folder")
    });
    // The new folder is watched too.
    site.write("content/c.md", &page("C", "Edited in the new folder"));
    server.wait_for("/c/", "the edit", |r| {
        r.text().contains("Edited in the new folder")
    });
    // Edits in the old one are not.
    site.write("content-old/a.md", &page("A", "Not part of the site"));
    site.write("content/c.md", &page("C", "Last"));
    server.wait_for("/c/", "the last edit", |r| r.text().contains("Last"));
    assert_eq!(server.get("/a/").status, 404);
}

#[test]
fn a_burst_of_changes_is_one_rebuild_not_one_per_file() {
    let site = basic_site();
    let server = Server::start(&site);
    let mut events = server.events();
    let names: Vec<String> = (1..=6).map(|i| format!("burst{i}")).collect();
    for n in &names {
        site.write(&format!("content/{n}.md"), &page(n, "burst"));
    }
    let mut waiting: BTreeSet<String> = names.iter().map(|n| format!("{n}/index.html")).collect();
    let mut changes = 0;
    let start = Instant::now();
    while !waiting.is_empty() && start.elapsed() < DEADLINE {
        let Some(c) = events.next_change() else { break };
        changes += 1;
        for p in &c.changed {
            waiting.remove(p);
        }
    }
    assert!(waiting.is_empty(), "never told about {waiting:?}");
    assert!(
        changes < names.len(),
        "{changes} reloads for {} files written together",
        names.len()
    );
    for n in &names {
        assert_eq!(server.get(&format!("/{n}/")).status, 200);
    }
}

#[test]
fn editor_leftovers_do_not_rebuild() {
    let site = basic_site();
    let server = Server::start(&site);
    let mut events = server.events();
    // Leftovers first, then a real edit: the first change must be the real one alone.
    site.write("content/.a.md.swp", "swap");
    site.write("content/a.md~", "backup");
    site.write("content/#a.md#", "autosave");
    site.write("content/4913", "");
    site.write("public/index.html", "not watched");
    std::thread::sleep(Duration::from_millis(300));
    site.write("content/b.md", &page("B", "Real edit"));
    let c = events.next_change().expect("a change");
    assert!(c.changed.iter().any(|p| p == "b/index.html"), "{c:?}");
    server.wait_for("/b/", "the real edit", |r| r.text().contains("Real edit"));
    assert_eq!(server.get("/a.md~").status, 404);
    // The server says what it rebuilt for: only the real edit.
    // The rebuild's own line (`Updated …` when only what the edit touched was rendered).
    let rebuilt = |log: &str| {
        log.lines()
            .any(|l| l.starts_with("Updated ") || l.starts_with("Rebuilt "))
    };
    let log = server.stderr_when(rebuilt);
    let changed: Vec<&str> = log.lines().filter(|l| l.starts_with("Changed:")).collect();
    assert_eq!(changed, ["Changed: content/b.md"], "{log}");
}

#[test]
fn polling_sees_changes_too() {
    let site = basic_site();
    let server = Server::start_with(&site, &["--poll"]);
    let mut events = server.events();
    site.write("content/a.md", &page("A", "Seen by polling"));
    server.wait_for("/a/", "the edit", |r| r.text().contains("Seen by polling"));
    events.wait_for_reload_of("a/index.html");
    site.remove("content/b.md");
    server.wait_for("/b/", "the deletion", |r| r.status == 404);
}

#[test]
fn build_watch_rebuilds_the_output_on_change() {
    let site = basic_site();
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("public");
    let child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("build")
        .arg("--watch")
        .arg("-r")
        .arg(site.root())
        .arg("-o")
        .arg(&out_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start briefing build --watch");
    let _guard = Guard(child);
    let page_file = out_dir.join("a/index.html");
    let wait_for = |what: &str, check: &dyn Fn(&str) -> bool| {
        let start = Instant::now();
        loop {
            let text = std::fs::read_to_string(&page_file).unwrap_or_default();
            if check(&text) {
                return;
            }
            assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("the first build", &|t| t.contains("Hello from A"));
    site.write("content/a.md", &page("A", "Rebuilt by watch"));
    wait_for("the rebuild", &|t| t.contains("Rebuilt by watch"));
    assert!(
        !std::fs::read_to_string(&page_file)
            .unwrap_or_default()
            .contains(START),
        "build --watch writes plain pages"
    );
}

/// Kills a child process when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_with_an_overlay_until_fixed() {
    let site = basic_site();
    let server = Server::start(&site);
    let mut events = server.events();

    site.write("content/a.md", "---\ntitle: [unclosed\n---\nBroken body\n");
    let r = server.wait_for("/a/", "the overlay", Response::has_overlay);
    let text = r.text();
    assert_eq!(r.status, 200);
    assert!(text.contains("Hello from A"), "the last good page stays");
    assert!(!text.contains("Broken body"));
    assert!(text.contains("role=\"alert\""));
    assert!(
        text.contains("content/a.md:2:"),
        "the overlay names file:line:col\n{text}"
    );
    // Every page carries it, the 404 page too.
    assert!(server.get("/b/").has_overlay());
    assert!(server.get("/nope/").has_overlay());
    let c = events.next_change().expect("a reload for the overlay");
    assert!(c.all, "{c:?}");
    // The terminal got the same diagnostic.
    server.stderr_when(|log| log.contains("content/a.md:2:"));
    assert!(
        server.stderr().contains("content/a.md:2:"),
        "{}",
        server.stderr()
    );

    site.write("content/a.md", &page("A", "Fixed now"));
    let r = server.wait_for("/a/", "the fix", |r| r.text().contains("Fixed now"));
    assert!(!r.has_overlay(), "fixing the file clears the overlay");
    assert!(!server.get("/b/").has_overlay());
    let c = events.next_change().expect("a reload for the fix");
    assert!(c.all, "{c:?}");
}

#[test]
fn a_first_build_that_fails_still_serves_the_overlay() {
    let site = Site::new(&[("content/a.md", "---\ntitle: [\n---\nx\n")]);
    let server = Server::start(&site);
    for path in ["/", "/a/", "/anything/else"] {
        let r = server.get(path);
        assert!(r.has_overlay(), "{path}: {}", r.text());
        assert!(r.text().contains("content/a.md:2:"), "{}", r.text());
        assert!(
            r.text().contains("new EventSource"),
            "it reloads when fixed"
        );
    }
    site.write("content/a.md", &page("A", "Now it builds"));
    let r = server.wait_for("/a/", "the first good build", |r| {
        r.text().contains("Now it builds")
    });
    assert_eq!(r.status, 200);
    assert!(!r.has_overlay());
}

#[test]
fn a_template_edit_rerenders_the_pages_using_it() {
    let tpl = |mark: &str| {
        format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}<article><h1>{{{{ page.title }}}}</h1><p class=\"mark\">{mark}</p>{{{{ page.content | safe }}}}</article>{{% endblock %}}\n"
        )
    };
    let site = basic_site();
    site.write("templates/page.html", &tpl("first-template"));
    let server = Server::start(&site);
    let mut events = server.events();
    assert!(server.get("/a/").text().contains("first-template"));
    assert!(server.get("/b/").text().contains("first-template"));

    site.write("templates/page.html", &tpl("second-template"));
    server.wait_for("/a/", "the new template", |r| {
        r.text().contains("second-template")
    });
    assert!(server.get("/b/").text().contains("second-template"));
    let c = events.wait_for_reload_of("a/index.html");
    assert!(
        c.all || c.changed.iter().any(|p| p == "b/index.html"),
        "{c:?}"
    );
}

#[test]
fn traversal_and_malformed_paths_get_404_and_do_not_crash_it() {
    let site = basic_site();
    site.write("secret.txt", "outside the output");
    let server = Server::start(&site);
    for path in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/%2e%2e/",
        "/%2e%2e/secret.txt",
        "/..%2f..%2fetc/passwd",
        "/..%2F..%2Fetc%2Fpasswd",
        "/a/../../secret.txt",
        "/a/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/./index.html",
        "/%00",
        "/%zz",
        "/content/a.md",
        "/site.yaml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("outside the output"), "{path}");
    }
    // An absolute URL as request target names a path, not a file on disk.
    let r = server.get("http://127.0.0.1/etc/passwd");
    assert_ne!(r.status, 200);

    // A very long path and a very long header get an error, and the server lives on.
    let long = format!("/{}", "a/".repeat(40_000));
    let raw = exchange(
        server.addr,
        format!("GET {long} HTTP/1.0\r\nHost: {}\r\n\r\n", server.addr).as_bytes(),
    )
    .unwrap_or_default();
    if let Some(r) = parse_response(&raw) {
        assert_ne!(r.status, 200);
    }
    let big = "b".repeat(1 << 20);
    let raw = exchange(
        server.addr,
        format!(
            "GET / HTTP/1.0\r\nHost: {}\r\nX-Big: {big}\r\n\r\n",
            server.addr
        )
        .as_bytes(),
    )
    .unwrap_or_default();
    if let Some(r) = parse_response(&raw) {
        assert_ne!(r.status, 200);
    }
    let raw = exchange(server.addr, b"NOT HTTP AT ALL\r\n\r\n").unwrap_or_default();
    if let Some(r) = parse_response(&raw) {
        assert_ne!(r.status, 200);
    }
    assert_eq!(server.get("/a/").status, 200, "still serving");
    let post = exchange(
        server.addr,
        format!(
            "POST /a/ HTTP/1.0\r\nHost: {}\r\nContent-Length: 0\r\n\r\n",
            server.addr
        )
        .as_bytes(),
    )
    .expect("POST");
    assert_eq!(parse_response(&post).map(|r| r.status), Some(405));
}

/// Every file a clean `briefing build --drafts --base-url URL` writes, relative path → bytes.
fn clean_build(site: &Site, url: &str) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("build")
        .arg("-r")
        .arg(site.root())
        .arg("-o")
        .arg(&out_dir)
        .args(["--drafts", "--base-url", url, "-q"])
        .status()
        .expect("run briefing build");
    assert!(status.success(), "clean build failed");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&out_dir).sort_by_file_name() {
        let entry = entry.expect("walk output");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&out_dir)
            .expect("inside output")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == briefing::output::MARKER {
            continue;
        }
        files.push((rel, std::fs::read(entry.path()).expect("read output")));
    }
    files
}

#[test]
fn after_any_edits_the_served_site_equals_a_clean_build() {
    let site = basic_site();
    site.write("static/extra.txt", "extra\n");
    let server = Server::start(&site);

    // A sequence of edits of every kind, each waited for.
    site.write("content/a.md", &page("A", "First edit"));
    server.wait_for("/a/", "edit", |r| r.text().contains("First edit"));
    site.write(
        "content/drafts/d.md",
        "---\ntitle: Draft\ndraft: true\n---\nDraft text\n",
    );
    server.wait_for("/drafts/d/", "draft page", |r| {
        r.status == 200 && r.text().contains("Draft text")
    });
    // A renamed folder moves its pages; a deleted folder takes them away.
    std::fs::rename(site.path("content/drafts"), site.path("content/later")).expect("rename");
    server.wait_for("/later/d/", "renamed folder", |r| r.status == 200);
    server.wait_for("/drafts/d/", "old folder gone", |r| r.status == 404);
    site.write("content/tmpdir/t.md", &page("T", "in a folder"));
    server.wait_for("/tmpdir/t/", "new folder", |r| r.status == 200);
    std::fs::remove_dir_all(site.path("content/tmpdir")).expect("remove folder");
    server.wait_for("/tmpdir/t/", "deleted folder", |r| r.status == 404);
    site.save_atomically("content/b.md", &page("B", "Atomic [link](a.md)"));
    server.wait_for("/b/", "atomic save", |r| r.text().contains("Atomic"));
    site.write("content/gone.md", &page("Gone", "soon"));
    server.wait_for("/gone/", "new page", |r| r.status == 200);
    site.remove("content/gone.md");
    server.wait_for("/gone/", "deleted page", |r| r.status == 404);
    site.write("content/a.md", "---\ntitle: [\n---\n");
    server.wait_for("/a/", "broken", Response::has_overlay);
    site.write("content/a.md", &page("A", "Last edit"));
    server.wait_for("/a/", "fixed", |r| {
        r.text().contains("Last edit") && !r.has_overlay()
    });
    site.write("site.yaml", "title: Final title\n");
    server.wait_for("/", "site.yaml", |r| r.text().contains("Final title"));
    site.remove("static/extra.txt");
    server.wait_for("/extra.txt", "static removal", |r| r.status == 404);

    let built = clean_build(&site, &server.url);
    assert!(built.iter().any(|(p, _)| p == "later/d/index.html"));
    assert_serves_a_clean_build(&site, &server);
    assert!(!site.path("public").exists(), "serve wrote public/");
}

/// Compare everything served with a clean build of the same files.
fn assert_serves_a_clean_build(site: &Site, server: &Server) {
    for (rel, bytes) in &clean_build(site, &server.url) {
        let r = server.get(&format!("/{}", encode(rel)));
        assert_eq!(r.status, 200, "{rel}");
        let served = if rel.ends_with(".html") {
            r.without_injection()
        } else {
            r.body.clone()
        };
        assert!(
            served == *bytes,
            "{rel} differs from a clean build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn body_edits_update_listings_tags_feed_and_links_like_a_clean_build() {
    let site = Site::new(&[
        (
            "site.yaml",
            "title: Notes\nbase_url: https://example.org/\n",
        ),
        (
            "content/notes/one.md",
            "---\ntitle: One\ndate: 2025-01-01\ntags: [alpha]\n---\nFirst summary.\n\n## Kept\n\nMore.\n",
        ),
        (
            "content/notes/two.md",
            "---\ntitle: Two\ndate: 2025-01-02\ntags: [alpha]\n---\nSee [one](one.md#kept).\n",
        ),
    ]);
    let server = Server::start(&site);
    // The first paragraph is the summary: listings, the tag page and the feed change with it.
    site.write(
        "content/notes/one.md",
        "---\ntitle: One\ndate: 2025-01-01\ntags: [alpha]\n---\nNew summary.\n\n## Kept\n\nMore.\n",
    );
    server.wait_for("/notes/", "listing", |r| r.text().contains("New summary."));
    server.wait_for("/tags/alpha/", "tag page", |r| {
        r.text().contains("New summary.")
    });
    server.wait_for("/atom.xml", "feed", |r| r.text().contains("New summary."));
    assert_serves_a_clean_build(&site, &server);
    // A later paragraph: only the page itself.
    site.write(
        "content/notes/one.md",
        "---\ntitle: One\ndate: 2025-01-01\ntags: [alpha]\n---\nNew summary.\n\n## Kept\n\nEven more.\n",
    );
    server.wait_for("/notes/one/", "page", |r| r.text().contains("Even more."));
    assert_serves_a_clean_build(&site, &server);
    // Removing the heading another page links to breaks that link: the overlay says so.
    site.write(
        "content/notes/one.md",
        "---\ntitle: One\ndate: 2025-01-01\ntags: [alpha]\n---\nNew summary.\n\nNo heading.\n",
    );
    let r = server.wait_for("/notes/two/", "broken anchor", Response::has_overlay);
    assert!(r.text().contains("no anchor `#kept`"), "{}", r.text());
    // Putting it back clears the overlay, and everything equals a clean build again.
    site.write(
        "content/notes/one.md",
        "---\ntitle: One\ndate: 2025-01-01\ntags: [alpha]\n---\nNew summary.\n\n## Kept\n\nBack.\n",
    );
    server.wait_for("/notes/two/", "fixed", |r| !r.has_overlay());
    server.wait_for("/notes/one/", "page", |r| r.text().contains("Back."));
    assert_serves_a_clean_build(&site, &server);
}

#[test]
fn requests_that_never_finish_do_not_stall_other_clients() {
    use std::io::Write;
    let site = basic_site();
    let server = Server::start(&site);
    // Many clients that open a connection, send half a request, and never finish it.
    let mut stuck = Vec::new();
    for i in 0..64 {
        let mut s = std::net::TcpStream::connect(server.addr).expect("connect");
        let _ = write!(s, "GET /a/ HTTP/1.1\r\nHost: x\r\nX-Slow-{i}: ");
        stuck.push(s);
    }
    // And one that sends nothing at all.
    stuck.push(std::net::TcpStream::connect(server.addr).expect("connect"));
    // Everyone else is still served.
    for path in ["/", "/a/", "/b/"] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
    }
    drop(stuck);
    assert_eq!(server.get("/a/").status, 200);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_site_is_never_served() {
    let site = basic_site();
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\ntitle: Secret\n---\nTOP-SECRET-CONTENT\n").expect("write");
    std::os::unix::fs::symlink(&secret, site.path("content/leak.md")).expect("symlink");
    std::fs::create_dir_all(site.path("static")).expect("static folder");
    std::os::unix::fs::symlink(outside.path(), site.path("static/outside")).expect("symlink");
    let server = Server::start(&site);
    // The link is a site error: every page shows the overlay naming it, and the file's
    // content is served nowhere.
    let r = server.wait_for("/a/", "overlay", Response::has_overlay);
    assert!(r.text().contains("content/leak.md"), "{}", r.text());
    for path in [
        "/leak/",
        "/outside/secret.md",
        "/static/outside/secret.md",
        "/a/",
        "/",
    ] {
        let r = server.get(path);
        assert!(!r.text().contains("TOP-SECRET-CONTENT"), "{path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Host names, timeouts and limits

/// Send a request naming `host` (no `Host` header at all for `None`); read the whole answer.
fn get_with_host(addr: SocketAddr, path: &str, host: Option<&str>) -> Response {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    let req = format!("GET {path} HTTP/1.0\r\n{host}\r\n");
    let raw = exchange(addr, req.as_bytes()).unwrap_or_else(|e| panic!("GET {path}: {e}"));
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "GET {path}: no HTTP response in {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

/// Read one HTTP/1.1 response with a `Content-Length` off a kept-alive connection.
fn read_response(reader: &mut BufReader<TcpStream>) -> Response {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("read a response line");
        assert!(n > 0, "the connection closed before a response");
        if line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_string());
    }
    let status = head[0].split(' ').nth(1).and_then(|s| s.parse().ok());
    let headers: Vec<(String, String)> = head[1..]
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut r = Response {
        status: status.expect("a status"),
        headers,
        body: Vec::new(),
    };
    let len: usize = r
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .expect("a Content-Length");
    r.body = vec![0; len];
    reader.read_exact(&mut r.body).expect("the body");
    r
}

/// Whether the server closed `s` (end of file, or a reset) with nothing more sent.
fn closed_by_server(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(DEADLINE)).expect("read timeout");
    let mut rest = Vec::new();
    match s.read_to_end(&mut rest) {
        Ok(_) => rest.is_empty(),
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset && rest.is_empty(),
    }
}

fn assert_misdirected(r: &Response, what: &str) {
    assert_eq!(r.status, 421, "{what}: {}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{what}"
    );
    assert!(r.text().contains("--allowed-host"), "{what}: {}", r.text());
    assert!(!r.text().contains("Hello from A"), "{what}: leaks the page");
    assert!(!r.text().contains("Draft text"), "{what}: leaks a draft");
}

#[test]
fn answers_only_the_host_names_it_is_bound_to() {
    let site = basic_site();
    site.write(
        "content/secret.md",
        "---\ntitle: Draft\ndraft: true\n---\nDraft text\n",
    );
    let server = Server::start(&site);
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let r = get_with_host(server.addr, "/secret/", Some(&host));
        assert_eq!(r.status, 200, "Host: {host}");
        assert!(r.text().contains("Draft text"), "Host: {host}");
    }
    // What a page rebinding its own name to 127.0.0.1 would send, and other strangers.
    for host in [
        "rebind.example".to_string(),
        format!("rebind.example:{port}"),
        format!("localhost.rebind.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("0.0.0.0:{port}"),
        format!("127.0.0.2:{port}"),
        String::new(),
    ] {
        for path in ["/secret/", "/a/", "/", "/style.css", EVENTS_PATH] {
            let r = get_with_host(server.addr, path, Some(&host));
            assert_misdirected(&r, &format!("{path} with Host: {host}"));
        }
    }
    let r = get_with_host(server.addr, "/a/", Some("rebind.example"));
    assert!(
        r.text()
            .contains("briefing serve --allowed-host rebind.example"),
        "{}",
        r.text()
    );
    // No host at all is refused too.
    let r = get_with_host(server.addr, "/a/", None);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(!r.text().contains("Hello from A"));
    // An absolute request target names its host as well.
    let r = get_with_host(
        server.addr,
        "http://rebind.example/a/",
        Some(&server.addr.to_string()),
    );
    assert_misdirected(&r, "absolute target");
}

#[test]
fn allowed_host_adds_names() {
    let site = basic_site();
    let server = Server::start_with(
        &site,
        &[
            "-i",
            "127.0.0.1",
            "--allowed-host",
            "Preview.Test",
            "--allowed-host",
            "10.9.8.7",
        ],
    );
    let port = server.addr.port();
    for host in [
        format!("preview.test:{port}"),
        "PREVIEW.TEST.".to_string(),
        format!("10.9.8.7:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        assert_eq!(
            get_with_host(server.addr, "/a/", Some(&host)).status,
            200,
            "Host: {host}"
        );
    }
    for host in [
        "other.test".to_string(),
        format!("sub.preview.test:{port}"),
        format!("preview.test:{}", port.wrapping_add(1)),
        "10.9.8.6".to_string(),
    ] {
        assert_misdirected(
            &get_with_host(server.addr, "/a/", Some(&host)),
            &format!("Host: {host}"),
        );
    }
    // A value that is not a host name is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "-p", "0", "--allowed-host", "http://x.test:80/"])
        .arg("-r")
        .arg(site.root())
        .stdin(Stdio::null())
        .output()
        .expect("run briefing serve");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allowed-host"), "{err}");
    assert!(err.contains("without scheme, port or path"), "{err}");
}

#[test]
fn half_sent_headers_get_408_and_the_connection_is_closed() {
    let site = basic_site();
    let server = Server::start_with(&site, &["--limits", "header=300ms"]);
    let mut s = TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect");
    s.set_read_timeout(Some(DEADLINE)).expect("read timeout");
    write!(s, "GET /a/ HTTP/1.1\r\nHost: {}\r\nX-Slow: ", server.addr).expect("send");
    let mut raw = Vec::new();
    // The server answers, then closes: reading to the end returns.
    s.read_to_end(&mut raw)
        .expect("the server closes the connection");
    let r = parse_response(&raw)
        .unwrap_or_else(|| panic!("no response in {:?}", String::from_utf8_lossy(&raw)));
    assert_eq!(r.status, 408, "{}", r.text());
    assert_eq!(r.header("connection"), Some("close"));
    // A connection that sends nothing at all gets the same.
    let mut s = TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect");
    s.set_read_timeout(Some(DEADLINE)).expect("read timeout");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)
        .expect("the server closes the connection");
    assert_eq!(parse_response(&raw).map(|r| r.status), Some(408));
    // Whole requests are still served.
    assert_eq!(server.get("/a/").status, 200);
}

#[test]
fn idle_keep_alive_connections_are_closed() {
    let site = basic_site();
    let server = Server::start_with(&site, &["--limits", "idle=300ms"]);
    let s = TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect");
    s.set_read_timeout(Some(DEADLINE)).expect("read timeout");
    let mut writer = s.try_clone().expect("clone");
    let mut reader = BufReader::new(s);
    // Kept alive between two requests, sent one right after the other's answer...
    for path in ["/a/", "/b/"] {
        write!(
            writer,
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .expect("send");
        let r = read_response(&mut reader);
        assert_eq!(r.status, 200, "{path}");
        assert_ne!(r.header("connection"), Some("close"));
    }
    // ...then closed without a word once it has nothing to do.
    let mut s = reader.into_inner();
    assert!(closed_by_server(&mut s), "the idle connection stays open");
}

#[test]
fn the_event_stream_gets_keep_alive_comments_and_outlives_the_timeouts() {
    let site = basic_site();
    let server = Server::start_with(
        &site,
        &["--limits", "header=200ms,idle=200ms,keep-alive=100ms"],
    );
    let mut events = server.events();
    // Ten comments at 100 ms take longer than both timeouts.
    let mut comments = 0;
    while comments < 10 {
        let mut line = String::new();
        let n = events
            .reader
            .read_line(&mut line)
            .expect("the stream stays open");
        assert!(n > 0, "the stream was closed after {comments} comments");
        if line.trim_end() == ": keep-alive" {
            comments += 1;
        }
    }
    // And it still carries changes.
    site.write("content/a.md", &page("A", "Still listening"));
    events.wait_for_reload_of("a/index.html");
}

#[test]
fn idle_connections_make_room_at_the_connection_cap() {
    let site = basic_site();
    let server = Server::start_with(&site, &["--limits", "connections=3"]);
    // Three kept-alive connections, each done with one request: the cap is reached.
    let mut idle = Vec::new();
    for _ in 0..3 {
        let s = TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect");
        s.set_read_timeout(Some(DEADLINE)).expect("read timeout");
        let mut writer = s.try_clone().expect("clone");
        let mut reader = BufReader::new(s);
        write!(writer, "GET /a/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).expect("send");
        assert_eq!(read_response(&mut reader).status, 200);
        idle.push(reader.into_inner());
    }
    // A new client is still served (its read times out long before the 60 s idle timeout):
    // the connections that were idle when the cap was reached were closed to make room.
    assert_eq!(server.get("/b/").status, 200);
    for s in &mut idle[..2] {
        assert!(
            closed_by_server(s),
            "an idle connection was kept at the cap"
        );
    }
}

#[test]
fn the_cap_holds_connections_beyond_it_until_one_ends() {
    let site = basic_site();
    let server = Server::start_with(&site, &["--limits", "connections=2,header=500ms"]);
    // Two connections stuck in their headers fill the cap...
    let mut stuck = Vec::new();
    for i in 0..2 {
        let mut s = TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect");
        write!(
            s,
            "GET /a/ HTTP/1.1\r\nHost: {}\r\nX-Slow-{i}: ",
            server.addr
        )
        .expect("send");
        stuck.push(s);
    }
    // ...so a third (accepted after them: the listen queue is first come, first served) is
    // answered only once one of them has had its 408.
    let r = server.get("/a/");
    assert_eq!(r.status, 200);
    let answered = stuck.iter_mut().any(|s| {
        s.set_nonblocking(true).expect("nonblocking");
        let mut buf = [0u8; 64];
        matches!(s.read(&mut buf), Ok(n) if n > 0 && buf.starts_with(b"HTTP/1.1 408"))
    });
    assert!(
        answered,
        "the third connection was served beside two stuck ones"
    );
}

/// `briefing serve` under an open-file limit of `files` (through `sh -c ulimit`).
#[cfg(unix)]
fn start_with_file_limit(site: &Site, files: u32, extra: &[&str]) -> Server {
    let mut args = vec!["-c", "ulimit -n \"$0\" && shift && exec \"$@\""];
    let files = files.to_string();
    args.push(&files);
    args.push("--");
    args.push(env!("CARGO_BIN_EXE_briefing"));
    Server::start_command("sh", &args, site, &["-p", "0"], extra)
}

#[cfg(unix)]
#[test]
fn the_default_cap_leaves_a_rebuild_files_to_open() {
    let site = basic_site();
    let server = start_with_file_limit(&site, 64, &[]);
    // More connections than the process may have files: the cap keeps most of them waiting.
    let _held: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    site.write("content/a.md", &page("A", "Edited beside many connections"));
    let start = Instant::now();
    while !server.stderr().contains("Updated") && !server.stderr().contains("Rebuilt") {
        assert!(
            start.elapsed() < DEADLINE,
            "no rebuild in:\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = server.stderr();
    assert!(!log.contains("error"), "{log}");
}

#[cfg(unix)]
#[test]
fn running_out_of_open_files_is_the_servers_problem_not_the_sites() {
    let site = basic_site();
    let server = start_with_file_limit(&site, 64, &["--limits", "connections=1000"]);
    assert_eq!(server.get("/a/").status, 200);
    // Far more connections than the process may have files, all stuck in their headers.
    let mut held: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect"))
        .collect();
    let wait_for_log = |what: &str| {
        let start = Instant::now();
        while !server.stderr().contains(what) {
            assert!(
                start.elapsed() < DEADLINE,
                "no `{what}` in:\n{}",
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for_log("ran out of open files accepting a connection");
    // A rebuild now cannot open the site's files either. The server closes connections with
    // nothing to do to make room, so on a slow machine a rebuild may find files free: edit
    // again, with the files taken up by more connections, until one runs out.
    let start = Instant::now();
    for round in 0.. {
        site.write(
            "content/a.md",
            &page("A", &format!("Edited while out of files ({round})")),
        );
        let waited = Instant::now();
        while !server.stderr().contains("while rebuilding")
            && waited.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        if server.stderr().contains("while rebuilding") {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "no `ran out of open files while rebuilding` in:\n{}",
            server.stderr()
        );
        // More than the backlog may take: those it refuses are not needed.
        held.extend((0..100).filter_map(|_| {
            TcpStream::connect_timeout(&server.addr, Duration::from_millis(200)).ok()
        }));
    }
    wait_for_log("ran out of open files while rebuilding");
    let log = server.stderr();
    for line in log.lines().filter(|l| l.contains("Too many open files")) {
        assert!(
            line.contains("the preview server ran out of open files"),
            "reported as something else: {line}\n{log}"
        );
    }
    assert!(!log.contains("cannot read"), "{log}");
    // Once the connections are gone, it serves again, and the overlay says whose problem it was.
    drop(held);
    let r = server.wait_for("/a/", "the server problem", |r| r.status == 200);
    assert!(r.has_overlay(), "{}", r.text());
    assert!(
        r.text()
            .contains("the server&#39;s problem, not the site&#39;s"),
        "{}",
        r.text()
    );
    // The next change rebuilds everything.
    site.write("content/a.md", &page("A", "Built again"));
    let r = server.wait_for("/a/", "the rebuild", |r| r.text().contains("Built again"));
    assert!(!r.has_overlay(), "{}", r.text());
}
