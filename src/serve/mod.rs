//! Preview while editing: `briefing serve` and `briefing build --watch`.
//!
//! `serve` binds the port first (so port 0 can pick one and the base URL is known), starts
//! watching, renders the site in memory with drafts and the local address as base URL, prints
//! `Serving at URL`, and then serves from memory while a thread rebuilds on every change and
//! swaps the new site in whole. Nothing is ever written to the output folder, so a preview build
//! cannot be deployed by mistake. A failed rebuild keeps the last good site and shows the errors
//! over every page ([`inject`]); open pages reload through Server-Sent Events ([`server`]).
//! `build --watch` (in `commands.rs`) reuses the watcher ([`watch`], [`each_change`]) and writes
//! like `build` on every change. This module prints nothing: it reports [`Event`]s to the
//! command layer.

pub mod connections;
pub mod hosts;
pub mod inject;
pub(crate) mod server;
pub(crate) mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::build::{self, BuildOptions, Failure};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use server::Shared;
pub(crate) use watch::{Batch, Watch};

/// What `briefing serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port; `None` is [`DEFAULT_PORT`], or one of the next few ports if it is
    /// taken.
    pub port: Option<u16>,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Poll for changes instead of using the system's file events.
    pub poll: bool,
    /// Host names answered besides the loopback names and the interface address.
    pub allowed_hosts: Vec<hosts::HostName>,
    /// Connection timeouts and cap.
    pub limits: connections::Limits,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            interface: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
            open: false,
            poll: false,
            allowed_hosts: Vec::new(),
            limits: connections::Limits::default(),
        }
    }
}

/// The port `serve` listens on when none is given.
pub(crate) const DEFAULT_PORT: u16 = 1111;

/// How many ports after [`DEFAULT_PORT`] are tried when it is taken (and no port was given).
pub(crate) const PORTS_TRIED: u16 = 10;

/// The address to put in URLs for a bound socket: a wildcard bind is reached through loopback.
fn url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// What the preview tells the person running it. `serve` reports through this; the command
/// layer (`commands.rs`) decides how (and whether) to print each event.
pub(crate) enum Event<'a> {
    /// The watcher's own problems (a folder that cannot be watched…).
    WatchProblems(&'a Diagnostics),
    /// A batch of changed files (site-relative paths), about to be rebuilt.
    Changed(&'a std::collections::BTreeSet<String>),
    /// A build's warnings.
    Warnings(&'a Diagnostics),
    /// The first build finished.
    Built { pages: usize, ms: u128 },
    /// A rebuild finished: `files` outputs changed (`None`: nothing changed), `outputs` names
    /// them; `incremental` when only what the change touched was rendered; `fixed` when it
    /// ended a run of failures.
    Rebuilt {
        pages: usize,
        ms: u128,
        files: Option<usize>,
        incremental: bool,
        fixed: bool,
        outputs: &'a [String],
        /// How long each stage of the rebuild took (for `-vv`), in the order they ran.
        stages: &'a [(&'static str, std::time::Duration)],
    },
    /// No port was given and the default one is taken: `chosen` is used instead.
    PortTaken { wanted: u16, chosen: u16 },
    /// A build failed; `stale` when the last good version is still served.
    Failed { failure: &'a Failure, stale: bool },
    /// The server is up at this URL.
    Serving(&'a str),
    /// Watching this folder.
    Watching(&'a std::path::Path),
    /// Interrupted.
    Stopped,
    /// The browser could not be opened.
    NoBrowser { url: &'a str, error: String },
    /// The server's own trouble, not the site's (it ran out of open files accepting a
    /// connection…).
    ServerProblem(&'a Diagnostic),
}

/// Where [`serve`] sends its [`Event`]s.
pub(crate) trait Report: Sync {
    fn event(&self, event: Event<'_>);
}

/// Until watching stops: report the watcher's problems, and for every batch that changed
/// something, report it and call `on_change` once.
pub(crate) fn each_change(
    watch: &mut Watch,
    report: &dyn Report,
    mut on_change: impl FnMut(&Batch),
) {
    while let Some(batch) = watch.wait() {
        if !batch.errors.is_empty() {
            let errors: Diagnostics = batch.errors.iter().cloned().collect();
            report.event(Event::WatchProblems(&errors));
        }
        if batch.paths.is_empty() {
            continue;
        }
        report.event(Event::Changed(&batch.paths));
        on_change(&batch);
    }
}

/// Render the site for serving and hand the outcome to the server; report what happened.
fn rebuild(
    session: &mut build::Session,
    changed: &std::collections::BTreeSet<String>,
    shared: &Shared,
    report: &dyn Report,
    first: bool,
) {
    let started = Instant::now();
    // A crash in one build must not end the preview: it becomes an error like any other.
    let (outcome, mut stages) = crate::progress::timed(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            connections::rebuild(session, changed, shared)
        }))
    });
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(_) => {
            // Whatever the session held may be half-updated: rebuild everything next time.
            session.forget();
            Err(Failure::Io(Diagnostic::new(
                Code::Internal,
                "the build crashed; this is a bug in briefing (the message above says where)",
            )))
        }
    };
    match outcome {
        Ok(rendered) => {
            report.event(Event::Warnings(&rendered.warnings));
            let pages = rendered.pages;
            let incremental = rendered.changed.is_some();
            // The site served until now is freed once the new one is (its last holder here,
            // not the swap, pays for it).
            let previous = shared.snapshot();
            let swapped = Instant::now();
            let change = shared.publish(Ok(rendered));
            let ms = started.elapsed().as_millis();
            stages.push(("swap", swapped.elapsed()));
            if first {
                report.event(Event::Built { pages, ms });
            } else {
                report.event(Event::Rebuilt {
                    pages,
                    ms,
                    files: change.as_ref().map(|c| c.changed.len()),
                    incremental,
                    fixed: change.as_ref().is_some_and(|c| c.all),
                    outputs: change.as_ref().map_or(&[], |c| c.changed.as_slice()),
                    stages: &stages,
                });
            }
            drop(previous);
        }
        Err(f) => {
            let stale = shared.snapshot().built;
            shared.publish(Err(&f));
            report.event(Event::Failed { failure: &f, stale });
        }
    }
}

/// `briefing serve`. Runs until interrupted; a problem that stops it from serving at all (the
/// port is taken, the folder cannot be watched) is returned.
pub(crate) fn serve(opts: &ServeOptions, report: Arc<dyn Report + Send>) -> Result<(), Diagnostic> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::new(Code::Server, format!("cannot start the server: {e}")))?;
    runtime.block_on(serve_async(opts, report))
}

async fn serve_async(
    opts: &ServeOptions,
    report: Arc<dyn Report + Send>,
) -> Result<(), Diagnostic> {
    let listener = listen(opts, &*report).await?;
    let addr = listener.local_addr().map_err(|e| {
        Diagnostic::new(
            Code::Server,
            format!("cannot read the server's address: {e}"),
        )
    })?;
    let url = url_for(addr);
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: Some(url.clone()),
        drafts: true,
    };

    // Watch before the first build, so an edit made while it runs is not missed.
    let mut watch = Watch::start(&opts.root, opts.poll)?;
    let shared = Arc::new(Shared::new());
    let mut session = build::Session::new(build_opts);
    rebuild(&mut session, &Default::default(), &shared, &*report, true);

    {
        let shared = shared.clone();
        let report = report.clone();
        std::thread::Builder::new()
            .name("briefing-rebuild".into())
            .spawn(move || {
                // While no edit waits (an edit made meanwhile waits for it, as it would wait
                // for the same work inside its own update).
                session.warm();
                each_change(&mut watch, &*report, |batch| {
                    rebuild(&mut session, &batch.paths, &shared, &*report, false);
                    // After a full rebuild, what the next update needs is made again.
                    session.warm();
                });
            })
            .map_err(|e| Diagnostic::new(Code::Watch, format!("cannot start watching: {e}")))?;
    }

    report.event(Event::Serving(&url));
    report.event(Event::Watching(&opts.root));
    if opts.open
        && let Err(error) = open_browser(&url)
    {
        report.event(Event::NoBrowser { url: &url, error });
    }

    let run = connections::run(
        listener,
        addr,
        shared,
        &opts.allowed_hosts,
        opts.limits,
        &*report,
    );
    tokio::select! {
        never = run => match never {},
        _ = tokio::signal::ctrl_c() => {
            report.event(Event::Stopped);
            Ok(())
        }
    }
}

/// Bind the port asked for; without `--port`, the default one or, if it is taken, the first free
/// one of the next [`PORTS_TRIED`] (as zola does), saying which.
async fn listen(
    opts: &ServeOptions,
    report: &dyn Report,
) -> Result<tokio::net::TcpListener, Diagnostic> {
    let cannot = |bind: SocketAddr, e: std::io::Error| {
        let mut d = Diagnostic::new(Code::CannotListen, format!("cannot listen on {bind}: {e}"));
        if e.kind() == std::io::ErrorKind::AddrInUse {
            d = d.hint("choose another port with --port, or --port 0 for any free one");
        }
        d
    };
    let wanted = opts.port.unwrap_or(DEFAULT_PORT);
    let bind = SocketAddr::new(opts.interface, wanted);
    let first = match tokio::net::TcpListener::bind(bind).await {
        Ok(l) => return Ok(l),
        Err(e) => e,
    };
    if opts.port.is_some() || first.kind() != std::io::ErrorKind::AddrInUse {
        return Err(cannot(bind, first));
    }
    for port in (wanted + 1..).take(usize::from(PORTS_TRIED)) {
        if let Ok(l) = tokio::net::TcpListener::bind(SocketAddr::new(opts.interface, port)).await {
            report.event(Event::PortTaken {
                wanted,
                chosen: port,
            });
            return Ok(l);
        }
    }
    Err(cannot(bind, first).hint(format!(
        "ports {wanted} to {} are all taken: choose one with --port, or --port 0 for any free one",
        wanted + PORTS_TRIED
    )))
}

/// Ask the system to open `url` in the default browser.
fn open_browser(url: &str) -> Result<(), String> {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    // Reap it in the background, whatever it does.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_reachable_address() {
        let a: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert_eq!(url_for(a), "http://127.0.0.1:1111/");
        let a: SocketAddr = "0.0.0.0:80".parse().unwrap();
        assert_eq!(url_for(a), "http://127.0.0.1:80/");
        let a: SocketAddr = "[::]:8080".parse().unwrap();
        assert_eq!(url_for(a), "http://[::1]:8080/");
    }
}
