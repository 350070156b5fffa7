//! Preview while editing: `briefing serve` and `briefing build --watch`.
//!
//! `serve` binds the port first (so port 0 can pick one and the base URL is known), starts
//! watching, renders the site in memory with drafts and the local address as base URL, prints
//! `Serving at URL`, and then serves from memory while a thread rebuilds on every change and
//! swaps the new site in whole. Nothing is ever written to the output folder, so a preview build
//! cannot be deployed by mistake. A failed rebuild keeps the last good site and shows the errors
//! over every page ([`inject`]); open pages reload through Server-Sent Events ([`server`]).
//! `build --watch` reuses the watcher ([`watch`]) and writes like `build` on every change.
//!
//! For now every change re-renders the whole site: correct first, incremental later.

pub mod inject;
pub mod server;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::build::{self, BuildOptions, Failure};
use crate::commands::{self, Verbosity};
use crate::diagnostics::{Diagnostic, Diagnostics};
use server::Shared;
use watch::{Batch, Watch};

/// What `briefing serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Poll for changes instead of using the system's file events.
    pub poll: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            interface: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            open: false,
            poll: false,
        }
    }
}

/// The address to put in URLs for a bound socket: a wildcard bind is reached through loopback.
fn url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

fn say(verbosity: Verbosity, msg: std::fmt::Arguments<'_>) {
    if verbosity != Verbosity::Quiet {
        eprintln!("{msg}");
    }
}

fn report_failure(f: &Failure, verbosity: Verbosity) {
    match f {
        Failure::Site(d) => commands::report(d, verbosity),
        Failure::Io(d) => commands::report(&Diagnostics::from(d.clone()), verbosity),
    }
}

fn describe(batch: &Batch) -> String {
    let mut names: Vec<&str> = batch.paths.iter().map(String::as_str).take(3).collect();
    if batch.paths.len() > names.len() {
        names.push("…");
    }
    names.join(", ")
}

/// Until watching stops: report the watcher's problems, and for every batch that changed
/// something, say what and call `on_change` once.
fn each_change(watch: &mut Watch, verbosity: Verbosity, mut on_change: impl FnMut(&Batch)) {
    while let Some(batch) = watch.wait() {
        if !batch.errors.is_empty() {
            commands::report(&batch.errors.iter().cloned().collect(), verbosity);
        }
        if batch.paths.is_empty() {
            continue;
        }
        say(verbosity, format_args!("Changed: {}", describe(&batch)));
        on_change(&batch);
    }
}

/// Render the site for serving and hand the outcome to the server; print what happened.
fn rebuild(
    session: &mut build::Session,
    changed: &std::collections::BTreeSet<String>,
    shared: &Shared,
    verbosity: Verbosity,
    first: bool,
) {
    let started = Instant::now();
    // A crash in one build must not end the preview: it becomes an error like any other.
    let outcome =
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.rebuild(changed))) {
            Ok(outcome) => outcome,
            Err(_) => {
                // Whatever the session held may be half-updated: rebuild everything next time.
                session.forget();
                Err(Failure::Io(Diagnostic::error(
                    "the build crashed; this is a bug in briefing (the message above says where)",
                )))
            }
        };
    match outcome {
        Ok(rendered) => {
            commands::report(&rendered.warnings, verbosity);
            let pages = rendered.pages;
            let incremental = rendered.changed.is_some();
            let change = shared.publish(Ok(rendered));
            let ms = started.elapsed().as_millis();
            if first {
                say(verbosity, format_args!("Built {pages} pages in {ms} ms"));
            } else {
                match change {
                    Some(c) if c.all => say(
                        verbosity,
                        format_args!("Rebuilt {pages} pages in {ms} ms; the errors are fixed"),
                    ),
                    Some(c) if incremental => say(
                        verbosity,
                        format_args!(
                            "Updated {} file(s) of {pages} pages in {ms} ms",
                            c.changed.len()
                        ),
                    ),
                    Some(c) => say(
                        verbosity,
                        format_args!(
                            "Rebuilt {pages} pages in {ms} ms: {} file(s) changed",
                            c.changed.len()
                        ),
                    ),
                    None => say(
                        verbosity,
                        format_args!("Rebuilt {pages} pages in {ms} ms: nothing changed"),
                    ),
                }
            }
        }
        Err(f) => {
            report_failure(&f, verbosity);
            let stale = shared.snapshot().built;
            shared.publish(Err(&f));
            if stale {
                say(
                    verbosity,
                    format_args!("Build failed; still serving the last good version"),
                );
            } else {
                say(
                    verbosity,
                    format_args!("Build failed; serving the errors until it builds"),
                );
            }
        }
    }
}

/// `briefing serve`. Runs until interrupted; returns the exit code.
pub fn serve(opts: &ServeOptions, verbosity: Verbosity) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return commands::usage_error(Diagnostic::error(format!(
                "cannot start the server: {e}"
            )));
        }
    };
    runtime.block_on(serve_async(opts, verbosity))
}

async fn serve_async(opts: &ServeOptions, verbosity: Verbosity) -> u8 {
    let bind = SocketAddr::new(opts.interface, opts.port);
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(l) => l,
        Err(e) => {
            let mut d = Diagnostic::error(format!("cannot listen on {bind}: {e}"));
            if e.kind() == std::io::ErrorKind::AddrInUse {
                d = d.hint("choose another port with --port, or --port 0 for any free one");
            }
            return commands::usage_error(d);
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            return commands::usage_error(Diagnostic::error(format!(
                "cannot read the server's address: {e}"
            )));
        }
    };
    let url = url_for(addr);
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: Some(url.clone()),
        drafts: true,
    };

    // Watch before the first build, so an edit made while it runs is not missed.
    let mut watch = match Watch::start(&opts.root, opts.poll) {
        Ok(w) => w,
        Err(d) => return commands::usage_error(d),
    };
    let shared = Arc::new(Shared::new());
    let mut session = build::Session::new(build_opts);
    rebuild(&mut session, &Default::default(), &shared, verbosity, true);

    {
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("briefing-rebuild".into())
            .spawn(move || {
                each_change(&mut watch, verbosity, |batch| {
                    rebuild(&mut session, &batch.paths, &shared, verbosity, false)
                });
            });
        if let Err(e) = spawned {
            return commands::usage_error(Diagnostic::error(format!("cannot start watching: {e}")));
        }
    }

    // Tests and scripts read this line: keep its shape.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Serving at {url}");
    let _ = out.flush();
    drop(out);
    say(
        verbosity,
        format_args!(
            "Watching {} for changes; drafts are shown. Press Ctrl+C to stop.",
            opts.root.display()
        ),
    );
    if opts.open {
        open_browser(&url, verbosity);
    }

    let app = server::router(shared);
    tokio::select! {
        res = axum::serve(listener, app) => match res {
            Ok(()) => 0,
            Err(e) => commands::usage_error(Diagnostic::error(format!("the server stopped: {e}"))),
        },
        _ = tokio::signal::ctrl_c() => {
            say(verbosity, format_args!("Stopped"));
            0
        }
    }
}

/// Ask the system to open `url` in the default browser; say so and go on if it cannot.
fn open_browser(url: &str, verbosity: Verbosity) {
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
    match cmd.spawn() {
        // Reap it in the background, whatever it does.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => say(
            verbosity,
            format_args!("Could not open a browser ({e}); open {url} yourself"),
        ),
    }
}

/// `briefing build --watch`: build now, then again on every change, writing like `build`.
/// Runs until interrupted.
pub fn build_watch(opts: &BuildOptions, poll: bool, verbosity: Verbosity) -> u8 {
    let mut watch = match Watch::start(&opts.root, poll) {
        Ok(w) => w,
        Err(d) => return commands::usage_error(d),
    };
    commands::exit_cleanly_on_interrupt();
    commands::rebuild(opts, verbosity);
    say(
        verbosity,
        format_args!(
            "Watching {} for changes. Press Ctrl+C to stop.",
            opts.root.display()
        ),
    );
    each_change(&mut watch, verbosity, |_| {
        commands::rebuild(opts, verbosity);
    });
    commands::usage_error(Diagnostic::error("stopped watching for changes"))
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
