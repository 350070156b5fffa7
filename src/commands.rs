//! What each command does and prints. `main.rs` parses arguments and calls these; this is the
//! one place that prints diagnostics and summaries.

use std::io::IsTerminal;
use std::path::Path;

use crate::build::{self, BuildOptions, Failure};
use crate::diagnostics::{self, Diagnostic, Diagnostics};

/// How chatty to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Print diagnostics to stderr (errors always; warnings unless quiet).
pub fn report(diags: &Diagnostics, verbosity: Verbosity) {
    let shown: Diagnostics = diags
        .iter()
        .filter(|d| d.is_error() || verbosity != Verbosity::Quiet)
        .cloned()
        .collect();
    if !shown.is_empty() {
        eprint!("{}", diagnostics::render_all(&shown, color()));
    }
}

fn report_failure(f: &Failure, verbosity: Verbosity) -> u8 {
    match f {
        Failure::Site(d) => report(d, verbosity),
        Failure::Io(d) => report(&Diagnostics::from(d.clone()), verbosity),
    }
    f.exit_code()
}

/// `briefing build`: one build, after which the process exits.
pub fn build(opts: &BuildOptions, verbosity: Verbosity) -> u8 {
    exit_cleanly_on_interrupt();
    build_and_report(opts, verbosity, true)
}

/// On Ctrl+C, SIGTERM or SIGHUP (a closed terminal or SSH session), delete the staging folder of
/// a build in progress before exiting, so an interrupted build leaves nothing beside the output
/// folder (status 130, 143 for SIGTERM, 129 for SIGHUP).
/// The handlers are in place when this returns.
pub fn exit_cleanly_on_interrupt() {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let registered = {
            let _in_runtime = rt.enter();
            (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            )
        };
        // If a handler cannot be installed, the default behaviour stays.
        let (Ok(mut int), Ok(mut term), Ok(mut hup)) = registered else {
            return;
        };
        std::thread::spawn(move || {
            let code = rt.block_on(async {
                tokio::select! {
                    r = int.recv() => r.map(|_| 130),
                    r = term.recv() => r.map(|_| 143),
                    r = hup.recv() => r.map(|_| 129),
                }
            });
            if let Some(code) = code {
                crate::output::exit_abandoning_staging(code);
            }
        });
    }
    #[cfg(not(unix))]
    std::thread::spawn(move || {
        if rt.block_on(tokio::signal::ctrl_c()).is_ok() {
            crate::output::exit_abandoning_staging(130);
        }
    });
}

fn build_and_report(opts: &BuildOptions, verbosity: Verbosity, exiting: bool) -> u8 {
    report_build(build::build(opts), verbosity, exiting)
}

fn report_build(
    result: Result<build::Summary, Failure>,
    verbosity: Verbosity,
    exiting: bool,
) -> u8 {
    match result {
        Ok(mut s) => {
            if exiting {
                // The process ends right after this report.
                s.leftovers.leak_at_exit();
            }
            report(&s.warnings, verbosity);
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "Built {} pages ({} files) into {} in {} ms",
                    s.pages,
                    s.files,
                    s.output.display(),
                    s.millis
                );
                if verbosity == Verbosity::Verbose {
                    let t = &s.timings;
                    eprintln!(
                        "  load {:.1} ms, model {:.1} ms, render and write files {:.1} ms, swap in {:.1} ms",
                        t.load_ms, t.model_ms, t.render_ms, t.write_ms
                    );
                }
            }
            0
        }
        Err(f) => {
            let code = report_failure(&f, verbosity);
            if verbosity != Verbosity::Quiet && code == 1 {
                eprintln!("Build failed; the previous output (if any) was left as it was.");
            }
            code
        }
    }
}

/// `briefing build --watch`: build now, then again on every change, writing like `build`.
/// Runs until interrupted.
pub fn build_watch(opts: &BuildOptions, poll: bool, verbosity: Verbosity) -> u8 {
    let mut watch = match crate::serve::Watch::start(&opts.root, poll) {
        Ok(w) => w,
        Err(d) => return usage_error(d),
    };
    exit_cleanly_on_interrupt();
    let mut session = build::Session::new(opts.clone());
    let none = std::collections::BTreeSet::new();
    report_build(
        build::build_kept(&mut session, opts, &none),
        verbosity,
        false,
    );
    say(
        verbosity,
        format_args!(
            "Watching {} for changes. Press Ctrl+C to stop.",
            opts.root.display()
        ),
    );
    let printer = Printer { verbosity };
    crate::serve::each_change(&mut watch, &printer, |batch| {
        report_build(
            build::build_kept(&mut session, opts, &batch.paths),
            verbosity,
            false,
        );
    });
    usage_error(Diagnostic::error("stopped watching for changes"))
}

/// `briefing serve`: build in memory, serve, rebuild and reload on every change.
pub fn serve(opts: &crate::serve::ServeOptions, verbosity: Verbosity) -> u8 {
    match crate::serve::serve(opts, std::sync::Arc::new(Printer { verbosity })) {
        Ok(()) => 0,
        Err(d) => usage_error(d),
    }
}

fn say(verbosity: Verbosity, msg: std::fmt::Arguments<'_>) {
    if verbosity != Verbosity::Quiet {
        eprintln!("{msg}");
    }
}

/// Prints what `serve` and `build --watch` report.
struct Printer {
    verbosity: Verbosity,
}

impl crate::serve::Report for Printer {
    fn event(&self, event: crate::serve::Event<'_>) {
        use crate::serve::Event;
        use std::io::Write;
        let v = self.verbosity;
        match event {
            Event::WatchProblems(d) | Event::Warnings(d) => report(d, v),
            Event::Changed(paths) => {
                let mut names: Vec<&str> = paths.iter().map(String::as_str).take(3).collect();
                if paths.len() > names.len() {
                    names.push("…");
                }
                say(v, format_args!("Changed: {}", names.join(", ")));
            }
            Event::Built { pages, ms } => say(v, format_args!("Built {pages} pages in {ms} ms")),
            Event::Rebuilt {
                pages,
                ms,
                files,
                incremental,
                fixed,
            } => match files {
                Some(_) if fixed => say(
                    v,
                    format_args!("Rebuilt {pages} pages in {ms} ms; the errors are fixed"),
                ),
                Some(n) if incremental => say(
                    v,
                    format_args!("Updated {n} file(s) of {pages} pages in {ms} ms"),
                ),
                Some(n) => say(
                    v,
                    format_args!("Rebuilt {pages} pages in {ms} ms: {n} file(s) changed"),
                ),
                None => say(
                    v,
                    format_args!("Rebuilt {pages} pages in {ms} ms: nothing changed"),
                ),
            },
            Event::Failed { failure, stale } => {
                report_failure(failure, v);
                if stale {
                    say(
                        v,
                        format_args!("Build failed; still serving the last good version"),
                    );
                } else {
                    say(
                        v,
                        format_args!("Build failed; serving the errors until it builds"),
                    );
                }
            }
            Event::Serving(url) => {
                // Tests and scripts read this line: keep its shape.
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "Serving at {url}");
                let _ = out.flush();
            }
            Event::Watching(root) => say(
                v,
                format_args!(
                    "Watching {} for changes; drafts are shown. Press Ctrl+C to stop.",
                    root.display()
                ),
            ),
            Event::Stopped => say(v, format_args!("Stopped")),
            Event::NoBrowser { url, error } => say(
                v,
                format_args!("Could not open a browser ({error}); open {url} yourself"),
            ),
            Event::ServerProblem(d) => report(&Diagnostics::from(d.clone()), v),
        }
    }
}

/// `briefing check`.
pub fn check(opts: &BuildOptions, strict: bool, external: bool, verbosity: Verbosity) -> u8 {
    match build::check(opts, external) {
        Ok(checked) => {
            let warnings = &checked.warnings;
            report(warnings, verbosity);
            if let Some((requested, skipped)) = checked.external {
                say(
                    verbosity,
                    format_args!(
                        "Requested {requested} external link(s); {skipped} skipped (external_links.skip)"
                    ),
                );
            }
            if strict && !warnings.is_empty() {
                if verbosity != Verbosity::Quiet {
                    eprintln!(
                        "check --strict: {} warning(s) count as errors",
                        warnings.len()
                    );
                }
                return 1;
            }
            if checked.without_base_url {
                // Not a warning: a site is sound without a base URL, usually given when publishing.
                say(
                    verbosity,
                    format_args!(
                        "Check passed (without a base URL: the feed, the sitemap and canonical links \
                         were not made; pass --base-url to check them too)"
                    ),
                );
            } else {
                say(verbosity, format_args!("Check passed"));
            }
            0
        }
        Err(f) => report_failure(&f, verbosity),
    }
}

/// `briefing new DIR`.
pub fn new(dir: &Path, verbosity: Verbosity) -> u8 {
    match crate::scaffold::create(dir) {
        Ok(()) => {
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "Created a new briefing in {}. Next: briefing build -r {}",
                    dir.display(),
                    dir.display()
                );
            }
            0
        }
        Err(d) => {
            report(&Diagnostics::from(d), verbosity);
            2
        }
    }
}

/// Report a usage problem found outside clap.
pub fn usage_error(d: Diagnostic) -> u8 {
    report(&Diagnostics::from(d), Verbosity::Normal);
    2
}
