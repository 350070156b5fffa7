//! The HTTP side of `briefing serve`: the served site (an immutable snapshot swapped whole on
//! every rebuild), turning request paths into output paths, responses with their headers, and
//! the Server-Sent Events stream that tells pages to reload.
//!
//! Files are served only from the in-memory map of the last build, never from disk, so no
//! request can reach anything outside the site; paths with `..`, `.`, encoded slashes or
//! backslashes, NUL bytes or empty segments are still refused with a 404, so a mistake elsewhere
//! could not turn into one.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use serde_json::json;
use tokio::sync::broadcast;

use super::inject;
use crate::build::Failure;
use crate::diagnostics::Diagnostics;
use crate::render::Rendered;

/// Output path → bytes, as rendered.
pub(crate) type Files = BTreeMap<String, crate::render::Bytes>;

/// One version of the served site. Never changed once made; a rebuild makes a new one.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// The files of the last build that succeeded (empty if none has).
    pub(crate) files: Arc<Files>,
    /// Whether any build has succeeded, i.e. whether `files` is a site.
    pub(crate) built: bool,
    /// The overlay HTML while the latest build failed.
    pub(crate) overlay: Option<Arc<str>>,
    /// Counts the versions the browser has been told about.
    pub(crate) generation: u64,
}

/// What a rebuild changed, as sent to the browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) generation: u64,
    /// Every page should reload (an overlay came or went).
    pub(crate) all: bool,
    /// Output paths added, removed or changed.
    pub(crate) changed: Vec<String>,
}

impl Change {
    pub(crate) fn to_json(&self) -> String {
        json!({"generation": self.generation, "all": self.all, "changed": self.changed}).to_string()
    }
}

/// State shared by the request handlers and the rebuild loop.
#[derive(Debug)]
pub(crate) struct Shared {
    current: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Arc<str>>,
    /// Differs for every run of the server, so reconnecting pages know it restarted.
    instance: String,
    /// Bumped to ask connections with nothing to do to close ([`super::connections`]).
    relief: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(64);
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| format!("{}-{}", std::process::id(), d.as_nanos()))
            .unwrap_or_else(|_| std::process::id().to_string());
        Shared {
            current: RwLock::new(Arc::new(Snapshot::default())),
            events,
            instance,
            relief: tokio::sync::watch::Sender::new(0),
        }
    }

    /// Ask every idle connection to close, to free what they hold (the server ran short of
    /// open files, or is at its connection cap).
    pub(crate) fn relieve(&self) {
        self.relief.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Tells a connection when [`Shared::relieve`] was called.
    pub(crate) fn relief(&self) -> tokio::sync::watch::Receiver<u64> {
        self.relief.subscribe()
    }

    /// The site as it is now.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn swap(&self, next: Snapshot) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(next);
    }

    /// Take the outcome of a build: a new site replaces the old one whole; a failure keeps the
    /// old one and adds the overlay. Tells the browsers, and returns, what changed (nothing if
    /// the outcome looks exactly like what is served). Only the rebuild loop calls this.
    pub(crate) fn publish(&self, outcome: Result<Rendered, &Failure>) -> Option<Change> {
        let old = self.snapshot();
        let next = match outcome {
            Ok(rendered) => {
                // An incremental rebuild says what it changed; a full one is compared.
                let changed = match &rendered.changed {
                    Some(c) => c.clone(),
                    None => diff(&old.files, &rendered.files),
                };
                let all = old.overlay.is_some() || !old.built;
                if changed.is_empty() && !all {
                    return None;
                }
                let change = Change {
                    generation: old.generation + 1,
                    all,
                    changed,
                };
                self.swap(Snapshot {
                    files: rendered.files,
                    built: true,
                    overlay: None,
                    generation: change.generation,
                });
                change
            }
            Err(failure) => {
                let diags = match failure {
                    Failure::Site(d) => d.clone(),
                    Failure::Io(d) => Diagnostics::from(d.clone()),
                };
                let overlay: Arc<str> = inject::overlay(&diags, old.built).into();
                if old.overlay.as_deref() == Some(&*overlay) {
                    return None;
                }
                let change = Change {
                    generation: old.generation + 1,
                    all: true,
                    changed: Vec::new(),
                };
                self.swap(Snapshot {
                    files: old.files.clone(),
                    built: old.built,
                    overlay: Some(overlay),
                    generation: change.generation,
                });
                change
            }
        };
        // No subscriber is not an error: nobody is looking.
        let _ = self.events.send(next.to_json().into());
        Some(next)
    }
}

impl Default for Shared {
    fn default() -> Self {
        Shared::new()
    }
}

/// Output paths that differ between two builds: added, removed or with other bytes.
pub(crate) fn diff(old: &Files, new: &Files) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    out.sort();
    out
}

/// The router: the event stream (a comment every `keep_alive`), and every other path looked up
/// in the site.
pub(crate) fn router(shared: Arc<Shared>, keep_alive: Duration) -> Router {
    Router::new()
        .route(
            inject::EVENTS_PATH,
            get(move |state| events(state, keep_alive)),
        )
        .fallback(site)
        .with_state(shared)
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// An output file, by its key in the map.
    File(String),
    /// A folder asked for without its trailing slash: where to send the browser.
    Redirect(String),
    NotFound,
}

/// Decode and check a request path (`/talks/x/`), giving the output path it names without the
/// leading slash (`talks/x/`), or `None` for anything that tries to step outside the site or
/// is ambiguous about its segments.
pub(crate) fn clean_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let lower = rest.to_ascii_lowercase();
    // Encoded separators and NUL would make segments mean something else once decoded.
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(rest)?).ok()?;
    if decoded.contains(['\\', '\0']) || decoded.chars().any(char::is_control) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." || (s.is_empty() && i != last) {
            return None;
        }
    }
    Some(decoded)
}

/// `%XX` decoding; `None` on a malformed escape.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Find the output for a request path: clean URLs (`/a/` → `a/index.html`), and `/a` → `/a/`
/// when that is a page.
pub(crate) fn resolve(files: &Files, raw_path: &str, query: Option<&str>) -> Resolved {
    let Some(rel) = clean_path(raw_path) else {
        return Resolved::NotFound;
    };
    if rel.is_empty() || rel.ends_with('/') {
        let key = format!("{rel}index.html");
        return if files.contains_key(&key) {
            Resolved::File(key)
        } else {
            Resolved::NotFound
        };
    }
    if files.contains_key(&rel) {
        return Resolved::File(rel);
    }
    if files.contains_key(&format!("{rel}/index.html")) {
        let location = match query {
            Some(q) => format!("{raw_path}/?{q}"),
            None => format!("{raw_path}/"),
        };
        return Resolved::Redirect(location);
    }
    Resolved::NotFound
}

fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "atom+xml" | "rss+xml" | "svg+xml"
        );
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

const HTML: &str = "text/html; charset=utf-8";

/// Serve one path of the current site.
async fn site(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut res = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"Method not allowed\n".to_vec(),
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let snap = shared.snapshot();
    let page = |path: &str, bytes: &[u8]| -> Vec<u8> {
        let block = inject::block(
            path,
            &shared.instance,
            snap.generation,
            snap.overlay.as_deref(),
        );
        inject::into_html(bytes, &block)
    };
    if !snap.built {
        // Nothing has built yet: every page is the error (once something built, `built` is set).
        let wants_html = clean_path(uri.path()).is_some_and(|p| {
            let last = p.rsplit('/').next().unwrap_or("");
            last.is_empty() || !last.contains('.') || is_html(last)
        });
        if wants_html {
            let block = inject::block(
                "",
                &shared.instance,
                snap.generation,
                snap.overlay.as_deref(),
            );
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                HTML,
                inject::error_page(&block),
            );
        }
        return not_found(&snap, &page);
    }
    match resolve(&snap.files, uri.path(), uri.query()) {
        Resolved::File(key) => {
            let bytes = snap.files.get(&key).map(|b| b.as_ref()).unwrap_or(b"");
            let body = if is_html(&key) {
                page(&key, bytes)
            } else {
                bytes.to_vec()
            };
            respond(StatusCode::OK, &content_type(&key), body)
        }
        Resolved::Redirect(location) => {
            let mut res = respond(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(v) = HeaderValue::from_str(&location) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Resolved::NotFound => not_found(&snap, &page),
    }
}

/// The site's `404.html` with status 404, or a plain page if it has none.
fn not_found(snap: &Snapshot, page: &dyn Fn(&str, &[u8]) -> Vec<u8>) -> Response {
    let body = match snap.files.get("404.html") {
        Some(bytes) => page("404.html", bytes),
        None => page(
            "404.html",
            b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n<h1>Not found</h1>\n</body>\n</html>\n",
        ),
    };
    respond(StatusCode::NOT_FOUND, HTML, body)
}

/// The reload stream: a `hello` naming the server instance and site generation, then a
/// `change` for every rebuild that changed something, and a `: keep-alive` comment every
/// `keep_alive` so proxies and the browser see it is alive.
async fn events(
    State(shared): State<Arc<Shared>>,
    keep_alive: Duration,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the generation, so no change falls between the two.
    let rx = shared.events.subscribe();
    let generation = shared.snapshot().generation;
    let hello = Event::default()
        .event("hello")
        .retry(Duration::from_millis(1000))
        .data(json!({"instance": shared.instance, "generation": generation}).to_string());
    let changes = stream::unfold(rx, move |mut rx| {
        let shared = shared.clone();
        async move {
            let data = match rx.recv().await {
                Ok(msg) => msg.to_string(),
                // Missed some: have every page reload to be safe.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let generation = shared.snapshot().generation;
                    json!({"generation": generation, "all": true, "changed": []}).to_string()
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(Event::default().event("change").data(data)), rx))
        }
    });
    Sse::new(stream::once(async move { Ok(hello) }).chain(changes))
        .keep_alive(KeepAlive::new().interval(keep_alive).text("keep-alive"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(keys: &[&str]) -> Files {
        keys.iter()
            .map(|k| (k.to_string(), crate::render::Bytes::from_static(b"x")))
            .collect()
    }

    #[test]
    fn clean_urls_and_redirects() {
        let f = files(&["index.html", "talks/x/index.html", "style.css", "404.html"]);
        assert_eq!(resolve(&f, "/", None), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&f, "/talks/x/", None),
            Resolved::File("talks/x/index.html".into())
        );
        assert_eq!(
            resolve(&f, "/talks/x", Some("a=1")),
            Resolved::Redirect("/talks/x/?a=1".into())
        );
        assert_eq!(
            resolve(&f, "/style.css", None),
            Resolved::File("style.css".into())
        );
        assert_eq!(
            resolve(&f, "/%73tyle.css", None),
            Resolved::File("style.css".into())
        );
        assert_eq!(resolve(&f, "/nope/", None), Resolved::NotFound);
        assert_eq!(resolve(&f, "/talks", None), Resolved::NotFound);
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for p in [
            "/../Cargo.toml",
            "/%2e%2e/",
            "/%2E%2E/x",
            "/..%2f..%2fetc/passwd",
            "/talks/../index.html",
            "/./index.html",
            "//etc/passwd",
            "/a//b",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00",
            "/%ff",
            "/%zz",
            "/%",
            "relative",
        ] {
            assert_eq!(clean_path(p), None, "{p}");
        }
        assert_eq!(clean_path("/").as_deref(), Some(""));
        assert_eq!(clean_path("/a/b/").as_deref(), Some("a/b/"));
        assert_eq!(clean_path("/%D0%B0.css").as_deref(), Some("а.css"));
    }

    #[test]
    fn diff_lists_added_removed_and_changed() {
        let mut a = files(&["a", "b", "c"]);
        let mut b = a.clone();
        b.remove("a");
        b.insert("b".into(), crate::render::Bytes::from_static(b"y"));
        b.insert("d".into(), crate::render::Bytes::from_static(b"x"));
        assert_eq!(diff(&a, &b), vec!["a", "b", "d"]);
        a.clear();
        assert_eq!(diff(&a, &a), Vec::<String>::new());
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
