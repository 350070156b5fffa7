//! The listening side of `briefing serve`: accepting connections within the process's limits,
//! timing out the ones that stall, refusing unknown `Host` names ([`super::hosts`]), and telling
//! the server's own resource exhaustion apart from the site's errors.
//!
//! hyper's HTTP/1 connection is driven directly (axum's `serve` has no timeouts), with a
//! watchdog per connection that knows whether a request is being read, answered or awaited:
//! - request headers not complete [`Limits::header`] after the first byte (for the first
//!   request: after the accept) get `408 Request Timeout`, and the connection is closed;
//! - a keep-alive connection with nothing to do is closed after [`Limits::idle`];
//! - a connection with a response under way is never timed out, which exempts the reload
//!   stream; it sends a `: keep-alive` comment every [`Limits::keep_alive`] instead.
//!
//! At most [`Limits::connection_cap`] connections are open at once (by default half the
//! open-file limit, so a rebuild always has files left to open). At the cap, idle connections
//! are closed to make room (those idle when it is reached, and any that go idle while it
//! lasts) and newer clients wait in the listen queue. Running out of open
//! files or memory anyway, while accepting or while rebuilding, is reported as the server's
//! problem, never as an error in the site.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, Response};
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::Report;
use super::hosts::{AllowedHosts, HostName};
use super::server::{self, Shared};
use crate::build::{Failure, Session};
use crate::diagnostics::{Code, Diagnostic};
use crate::render::Rendered;

/// How long connections may stall, and how many may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From the first byte of a request (or the accept) to the end of its headers.
    pub(crate) header: Duration,
    /// A keep-alive connection waiting for its next request.
    pub(crate) idle: Duration,
    /// Between comments on the reload stream.
    pub(crate) keep_alive: Duration,
    /// Open connections at most; `None`: half the open-file limit (8 to 1024).
    pub(crate) connections: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header: Duration::from_secs(30),
            idle: Duration::from_secs(60),
            keep_alive: Duration::from_secs(15),
            connections: None,
        }
    }
}

impl FromStr for Limits {
    type Err = String;

    /// `header=300ms,idle=2s,keep-alive=100ms,connections=4`; what is not named keeps its
    /// default. (A hidden option, for tests.)
    fn from_str(s: &str) -> Result<Self, String> {
        let mut limits = Limits::default();
        for item in s.split(',').filter(|i| !i.is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| format!("`{item}` is not KEY=VALUE"))?;
            let duration = || {
                parse_duration(value)
                    .ok_or_else(|| format!("`{value}` is not a duration such as 300ms or 2s"))
            };
            match key {
                "header" => limits.header = duration()?,
                "idle" => limits.idle = duration()?,
                "keep-alive" => limits.keep_alive = duration()?,
                "connections" => {
                    let n: usize = value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("`{value}` is not a positive number"))?;
                    limits.connections = Some(n);
                }
                _ => {
                    return Err(format!(
                        "unknown limit `{key}` (header, idle, keep-alive, connections)"
                    ));
                }
            }
        }
        Ok(limits)
    }
}

fn parse_duration(s: &str) -> Option<Duration> {
    let d = if let Some(ms) = s.strip_suffix("ms") {
        Duration::from_millis(ms.parse().ok()?)
    } else {
        Duration::from_secs(s.strip_suffix('s')?.parse().ok()?)
    };
    (!d.is_zero()).then_some(d)
}

impl Limits {
    /// How many connections may be open at once.
    pub(crate) fn connection_cap(&self) -> usize {
        self.connections
            .unwrap_or_else(|| match open_file_limit() {
                Some(n) => usize::try_from((n / 2).clamp(8, 1024)).unwrap_or(1024),
                None => 1024,
            })
            .max(1)
    }
}

/// The soft limit on open files, if there is one.
#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

#[cfg(unix)]
fn out_of_files_codes() -> Vec<i32> {
    use rustix::io::Errno;
    vec![Errno::MFILE.raw_os_error(), Errno::NFILE.raw_os_error()]
}

#[cfg(unix)]
fn out_of_memory_codes() -> Vec<i32> {
    use rustix::io::Errno;
    vec![Errno::NOMEM.raw_os_error(), Errno::NOBUFS.raw_os_error()]
}

// ERROR_TOO_MANY_OPEN_FILES, WSAEMFILE; ERROR_NOT_ENOUGH_MEMORY, ERROR_OUTOFMEMORY, WSAENOBUFS.
#[cfg(windows)]
fn out_of_files_codes() -> Vec<i32> {
    vec![4, 10024]
}

#[cfg(windows)]
fn out_of_memory_codes() -> Vec<i32> {
    vec![8, 14, 10055]
}

#[cfg(not(any(unix, windows)))]
fn out_of_files_codes() -> Vec<i32> {
    Vec::new()
}

#[cfg(not(any(unix, windows)))]
fn out_of_memory_codes() -> Vec<i32> {
    Vec::new()
}

/// Every OS error that means "the process ran out of something", with what it ran out of.
fn exhaustion_codes() -> impl Iterator<Item = (i32, &'static str)> {
    let files = out_of_files_codes().into_iter().map(|c| (c, "open files"));
    files.chain(out_of_memory_codes().into_iter().map(|c| (c, "memory")))
}

/// What the process ran out of, if `e` says it ran out of something.
fn exhausted(e: &io::Error) -> Option<&'static str> {
    let code = e.raw_os_error()?;
    exhaustion_codes()
        .find(|(c, _)| *c == code)
        .map(|(_, what)| what)
}

/// Whether a failed build failed because the process ran out of something rather than
/// because of the site: what it ran out of, and the system's words for it. The stages turn
/// I/O errors into diagnostics as text, so the text is what is looked for.
fn exhaustion_in(failure: &Failure) -> Option<(&'static str, String)> {
    let diags: Vec<&Diagnostic> = match failure {
        Failure::Site(d) => d.iter().collect(),
        Failure::Io(d) => vec![d],
    };
    exhaustion_codes().find_map(|(code, what)| {
        let text = io::Error::from_raw_os_error(code).to_string();
        diags
            .iter()
            .any(|d| d.is_error() && d.message.contains(&text))
            .then_some((what, text))
    })
}

/// The diagnostic for running out of `what` (`cause` in the system's words) while `doing`;
/// `then` says what happens next.
fn server_problem(what: &str, cause: &str, doing: &str, then: &str) -> Diagnostic {
    let advice = if what == "open files" {
        let now = open_file_limit()
            .map(|n| format!(", now {n}"))
            .unwrap_or_default();
        format!(
            "{then}; close some tabs or connections, or start `briefing serve` with a higher \
             open-file limit (`ulimit -n`{now})"
        )
    } else {
        format!("{then}; free some memory")
    };
    Diagnostic::new(
        Code::Server,
        format!(
            "the preview server ran out of {what} {doing} ({cause}); this is the server's problem, \
         not the site's"
        ),
    )
    .hint(advice)
}

/// Waits between tries of a rebuild that ran out of something (3.1 s in all).
const RETRY_DELAYS: [Duration; 5] = [
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
    Duration::from_millis(1600),
];

/// `session.rebuild(changed)` for `serve`. A rebuild that failed because the process ran out
/// of open files or memory says nothing about the site: idle connections are closed and the
/// whole site is rebuilt again, a few times; if it still runs out, the failure is replaced by
/// one saying it is the server's problem, and the next change rebuilds everything.
pub(crate) fn rebuild(
    session: &mut Session,
    changed: &BTreeSet<String>,
    shared: &Shared,
) -> Result<Rendered, Failure> {
    let mut outcome = session.rebuild(changed);
    for delay in RETRY_DELAYS {
        match &outcome {
            Err(f) if exhaustion_in(f).is_some() => {}
            _ => return outcome,
        }
        shared.relieve();
        std::thread::sleep(delay);
        session.forget();
        outcome = session.rebuild(&BTreeSet::new());
    }
    match outcome {
        Err(f) => match exhaustion_in(&f) {
            Some((what, cause)) => {
                session.forget();
                Err(Failure::Io(server_problem(
                    what,
                    &cause,
                    "while rebuilding",
                    "the next change rebuilds everything",
                )))
            }
            None => Err(f),
        },
        ok => ok,
    }
}

// ---------------------------------------------------------------------------------------------
// Connections

/// What every connection shares.
struct Ctx {
    app: TowerToHyperService<Router>,
    hosts: AllowedHosts,
    limits: Limits,
    http: http1::Builder,
    shared: Arc<Shared>,
    /// Connections open now, and at most.
    open: AtomicUsize,
    cap: usize,
}

impl Ctx {
    fn at_cap(&self) -> bool {
        self.open.load(Ordering::Relaxed) >= self.cap
    }
}

/// Counts a connection as open while it lives.
struct Open(Arc<Ctx>);

impl Open {
    fn new(ctx: &Arc<Ctx>) -> Self {
        ctx.open.fetch_add(1, Ordering::Relaxed);
        Open(ctx.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Accept and serve connections on `listener` (bound to `bound`) until the task is dropped.
pub(crate) async fn run(
    listener: TcpListener,
    bound: SocketAddr,
    shared: Arc<Shared>,
    allowed: &[HostName],
    limits: Limits,
    report: &dyn Report,
) -> Infallible {
    let mut http = http1::Builder::new();
    // The watchdog below times headers out, with a 408 (hyper's own timeout closes silently,
    // and also cuts idle keep-alive connections at the header timeout).
    http.header_read_timeout(None).keep_alive(true);
    let cap = limits.connection_cap();
    let permits = Arc::new(Semaphore::new(cap));
    let ctx = Arc::new(Ctx {
        app: TowerToHyperService::new(server::router(shared.clone(), limits.keep_alive)),
        hosts: AllowedHosts::new(bound, allowed),
        limits,
        http,
        shared: shared.clone(),
        open: AtomicUsize::new(0),
        cap,
    });
    // Reported once per spell of trouble, and at most every half minute.
    let mut troubled = false;
    let mut reported: Option<Instant> = None;
    loop {
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                // At the cap: make room by closing connections with nothing to do.
                shared.relieve();
                match permits.clone().acquire_owned().await {
                    Ok(p) => p,
                    // The semaphore is never closed.
                    Err(_) => continue,
                }
            }
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                troubled = false;
                let Ok(local) = stream.local_addr() else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve_connection(stream, local.ip(), ctx.clone(), permit));
            }
            Err(e) if is_about_one_connection(&e) => {}
            Err(e) => {
                drop(permit);
                let was_troubled = std::mem::replace(&mut troubled, true);
                let quiet = reported.is_some_and(|at| at.elapsed() < Duration::from_secs(30));
                if !was_troubled && !quiet {
                    reported = Some(Instant::now());
                    let open = ctx.open.load(Ordering::Relaxed);
                    let then = "new connections wait until there is room; idle ones are closed";
                    let d = match exhausted(&e) {
                        Some(what) => server_problem(
                            what,
                            &e.to_string(),
                            &format!("accepting a connection, with {open} open"),
                            then,
                        ),
                        None => Diagnostic::new(
                            Code::Server,
                            format!("the preview server could not accept a connection: {e}"),
                        )
                        .hint(then),
                    };
                    report.event(super::Event::ServerProblem(&d));
                }
                shared.relieve();
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Errors `accept` returns about one client (which gave up), not about the server.
fn is_about_one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// Where one connection is: reading a request's headers, answering, or waiting.
#[derive(Debug)]
struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

#[derive(Debug)]
struct Phase {
    /// Requests handed to the router whose responses are not finished.
    in_flight: usize,
    /// When the headers being read started to arrive.
    head_since: Option<Instant>,
    /// When the last response finished (or the connection opened).
    idle_since: Instant,
}

/// What the watchdog waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Nothing,
    Headers(Instant),
    Idle(Instant),
}

impl Activity {
    fn new() -> Self {
        let now = Instant::now();
        Activity {
            // The first request's clock runs from the accept.
            phase: Mutex::new(Phase {
                in_flight: 0,
                head_since: Some(now),
                idle_since: now,
            }),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bytes_arrived(&self) {
        let mut p = self.lock();
        if p.in_flight == 0 && p.head_since.is_none() {
            p.head_since = Some(Instant::now());
            drop(p);
            self.changed.notify_one();
        }
    }

    fn request_started(&self) {
        let mut p = self.lock();
        p.in_flight += 1;
        p.head_since = None;
        drop(p);
        self.changed.notify_one();
    }

    fn request_finished(&self) {
        let mut p = self.lock();
        p.in_flight = p.in_flight.saturating_sub(1);
        if p.in_flight == 0 {
            p.idle_since = Instant::now();
        }
        drop(p);
        self.changed.notify_one();
    }

    fn due(&self, limits: &Limits) -> Due {
        let p = self.lock();
        if p.in_flight > 0 {
            Due::Nothing
        } else if let Some(since) = p.head_since {
            Due::Headers(since + limits.header)
        } else {
            Due::Idle(p.idle_since + limits.idle)
        }
    }

    fn is_idle(&self) -> bool {
        let p = self.lock();
        p.in_flight == 0 && p.head_since.is_none()
    }
}

/// The socket, telling the watchdog when bytes arrive.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let res = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(res, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_arrived();
        }
        res
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Counts a request as in flight from its headers to the end of its response.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(activity: &Arc<Activity>) -> Self {
        activity.request_started();
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

/// A response body that ends the request's time in flight when hyper is done with it.
struct Tracked {
    body: Body,
    _in_flight: InFlight,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The service for one connection: check the host, then hand the request to the router.
#[derive(Clone)]
struct Handler {
    ctx: Arc<Ctx>,
    local: IpAddr,
    activity: Arc<Activity>,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response<Tracked>, Infallible>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for Handler {
    type Response = Response<Tracked>;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, req: Request<Incoming>) -> Answer {
        let in_flight = InFlight::start(&self.activity);
        if let Err(refusal) = self.ctx.hosts.check(req.headers(), req.uri(), self.local) {
            let res = refusal.response().map(|body| Tracked {
                body,
                _in_flight: in_flight,
            });
            return Box::pin(std::future::ready(Ok(res)));
        }
        let answer = self.ctx.app.call(req);
        Box::pin(async move {
            let res = answer.await?;
            Ok(res.map(|body| Tracked {
                body,
                _in_flight: in_flight,
            }))
        })
    }
}

enum Wake {
    Closed,
    Changed,
    Due,
    Relief,
}

async fn until(due: Due) {
    match due {
        Due::Nothing => std::future::pending().await,
        Due::Headers(at) | Due::Idle(at) => tokio::time::sleep_until(at).await,
    }
}

/// Serve one connection until it closes or times out.
async fn serve_connection(
    stream: TcpStream,
    local: IpAddr,
    ctx: Arc<Ctx>,
    _permit: OwnedSemaphorePermit,
) {
    let _open = Open::new(&ctx);
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        stream,
        activity: activity.clone(),
    });
    let handler = Handler {
        ctx: ctx.clone(),
        local,
        activity: activity.clone(),
    };
    let mut conn = ctx.http.serve_connection(io, handler);
    let mut relief = ctx.shared.relief();
    loop {
        let due = activity.due(&ctx.limits);
        let event = tokio::select! {
            _ = &mut conn => Wake::Closed,
            _ = activity.changed.notified() => Wake::Changed,
            _ = until(due) => Wake::Due,
            Ok(()) = relief.changed() => Wake::Relief,
        };
        match event {
            Wake::Closed => return,
            // At the cap, a connection with nothing to do makes room for one waiting.
            Wake::Changed => {
                if activity.is_idle() && ctx.at_cap() {
                    return;
                }
            }
            Wake::Due => match activity.due(&ctx.limits) {
                Due::Headers(at) if at <= Instant::now() => {
                    let stream = conn.into_parts().io.into_inner().stream;
                    request_timeout(stream, ctx.limits.header).await;
                    return;
                }
                // Dropping the connection closes it.
                Due::Idle(at) if at <= Instant::now() => return,
                _ => {}
            },
            Wake::Relief => {
                if activity.is_idle() {
                    return;
                }
            }
        }
    }
}

/// Answer 408 on a connection whose request headers did not arrive in time, and close it.
async fn request_timeout(mut stream: TcpStream, limit: Duration) {
    let body = format!(
        "Request timeout: the request's headers did not arrive within {} ms.\n",
        limit.as_millis()
    );
    let head = format!(
        "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let sent = tokio::time::timeout(Duration::from_secs(2), async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
    if !matches!(sent, Ok(Ok(()))) {
        return;
    }
    // Read what the client still sends for a moment, so closing does not reset the connection
    // and destroy the answer before it is read.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let mut buf = [0u8; 4096];
        let mut total = 0usize;
        while total < 1 << 16 {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_to_30_60_15_seconds_and_parse_overrides() {
        let d = Limits::default();
        assert_eq!(d.header, Duration::from_secs(30));
        assert_eq!(d.idle, Duration::from_secs(60));
        assert_eq!(d.keep_alive, Duration::from_secs(15));
        let l: Limits = "header=300ms,idle=2s,keep-alive=100ms,connections=4"
            .parse()
            .unwrap();
        assert_eq!(l.header, Duration::from_millis(300));
        assert_eq!(l.idle, Duration::from_secs(2));
        assert_eq!(l.keep_alive, Duration::from_millis(100));
        assert_eq!(l.connection_cap(), 4);
        let l: Limits = "idle=5s".parse().unwrap();
        assert_eq!(l.header, d.header);
        for bad in [
            "header",
            "header=0ms",
            "header=1m",
            "header=-1s",
            "speed=1s",
            "connections=0",
            "connections=x",
        ] {
            assert!(bad.parse::<Limits>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_cap_leaves_half_the_open_files_to_the_rest() {
        let cap = Limits::default().connection_cap();
        assert!((1..=1024).contains(&cap), "{cap}");
        if let Some(n) = open_file_limit() {
            assert!(cap as u64 <= n.max(16) / 2 || cap == 8, "{cap} of {n}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn exhaustion_is_told_from_other_failures() {
        let emfile = io::Error::from_raw_os_error(rustix::io::Errno::MFILE.raw_os_error());
        assert_eq!(exhausted(&emfile), Some("open files"));
        let enoent = io::Error::from_raw_os_error(rustix::io::Errno::NOENT.raw_os_error());
        assert_eq!(exhausted(&enoent), None);

        let site = |msg: String| {
            Failure::Site(crate::diagnostics::Diagnostics::from(
                Diagnostic::new(Code::Io, msg).in_file("content/a.md"),
            ))
        };
        let f = site(format!("cannot read: {emfile}"));
        let (what, cause) = exhaustion_in(&f).expect("exhaustion");
        assert_eq!(what, "open files");
        assert_eq!(cause, emfile.to_string());
        assert_eq!(exhaustion_in(&site(format!("cannot read: {enoent}"))), None);
        assert_eq!(exhaustion_in(&site("unknown key `x`".into())), None);
        let d = server_problem(what, &cause, "while rebuilding", "retrying");
        assert!(d.message.contains("the server's problem, not the site's"));
        assert!(d.file.is_none());
    }

    #[tokio::test]
    async fn the_watchdog_clock_follows_the_connection() {
        let limits: Limits = "header=1s,idle=2s".parse().unwrap();
        let a = Arc::new(Activity::new());
        // Fresh: the first request's headers are due.
        assert!(matches!(a.due(&limits), Due::Headers(_)));
        a.bytes_arrived();
        let before = a.due(&limits);
        assert!(matches!(before, Due::Headers(_)));
        let guard = InFlight::start(&a);
        assert_eq!(a.due(&limits), Due::Nothing, "answering is never timed out");
        // Bytes during a response (a body, a pipelined request) start no header clock.
        a.bytes_arrived();
        assert_eq!(a.due(&limits), Due::Nothing);
        drop(guard);
        assert!(matches!(a.due(&limits), Due::Idle(_)));
        assert!(a.is_idle());
        a.bytes_arrived();
        assert!(matches!(a.due(&limits), Due::Headers(_)));
        assert!(!a.is_idle());
    }
}
