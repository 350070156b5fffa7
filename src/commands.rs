//! What each command does and prints. `main.rs` parses arguments and calls these; this is the
//! one place that prints diagnostics and summaries: rustc-style text on stderr (the human
//! format), or JSON Lines on stdout (`--message-format json`, see [`JSON_VERSION`]), and in
//! GitHub Actions also workflow commands on stdout, so errors show on the lines of a pull request.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::build::{self, BuildOptions, Failure};
use crate::diagnostics::{self, Code, Diagnostic, Diagnostics, Severity, display_path};

/// How chatty to be: `-q`, nothing, `-v`, `-vv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
    /// `-vv`: also per-stage timings of every rebuild and the files it re-rendered.
    Detailed,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// rustc-style text on stderr.
    Human,
    /// JSON Lines on stdout: one object per diagnostic, then a summary object.
    Json,
    /// GitLab's code quality report on stdout: one JSON array of every diagnostic.
    Gitlab,
}

/// The version of the JSON Lines format, in every object as `"version"`. It grows when a field
/// is added and changes meaning only with a new number.
pub(crate) const JSON_VERSION: u32 = 1;

/// How a command prints: verbosity, format, colour, and what it has reported so far.
#[derive(Debug)]
pub struct Ui {
    pub(crate) verbosity: Verbosity,
    pub format: MessageFormat,
    /// Colour the human diagnostics on stderr.
    pub color: bool,
    /// Also print GitHub Actions workflow commands on stdout (human format only, so that the
    /// JSON format's stdout stays JSON).
    pub github: bool,
    /// Show progress on stderr (it is a terminal, the format is human and not `-q`).
    pub progress: bool,
    /// The site folder as given on the command line: workflow commands name files from the
    /// folder the command runs in, as GitHub expects.
    pub root: PathBuf,
    errors: AtomicUsize,
    warnings: AtomicUsize,
    /// The GitLab format's entries, printed as one array by the summary.
    gitlab: std::sync::Mutex<Vec<GitlabIssue>>,
}

impl Ui {
    /// Human output at `verbosity`, without colour, GitHub commands or progress.
    pub fn new(verbosity: Verbosity) -> Ui {
        Ui {
            verbosity,
            format: MessageFormat::Human,
            color: false,
            github: false,
            progress: false,
            root: PathBuf::from("."),
            errors: AtomicUsize::new(0),
            warnings: AtomicUsize::new(0),
            gitlab: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// Start counting diagnostics afresh (for the summary of the next build).
    fn reset_counts(&self) -> (usize, usize) {
        (
            self.errors.swap(0, Ordering::Relaxed),
            self.warnings.swap(0, Ordering::Relaxed),
        )
    }
}

/// Whether the terminal wants colour on stderr, by `--color` and the environment (`NO_COLOR`,
/// `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`), decided the way clap decides for its own messages.
pub fn stderr_color(choice: clap::ColorChoice) -> bool {
    match choice {
        clap::ColorChoice::Always => true,
        clap::ColorChoice::Never => false,
        clap::ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
        }
    }
}

/// One diagnostic of the JSON Lines format.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    version: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    level: &'static str,
    code: &'static str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<JsonPosition>,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

/// The last object of the JSON Lines format.
#[derive(Serialize)]
struct JsonSummary<'a> {
    version: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    command: &'a str,
    success: bool,
    exit_code: u8,
    errors: usize,
    warnings: usize,
    pages: Option<usize>,
    files: Option<usize>,
}

/// One entry of GitLab's code quality report (a subset of the Code Climate format).
#[derive(Debug, Serialize)]
struct GitlabIssue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation,
}

#[derive(Debug, Serialize)]
struct GitlabLocation {
    path: String,
    lines: GitlabLines,
}

#[derive(Debug, Serialize)]
struct GitlabLines {
    begin: usize,
}

/// `d` as a code quality entry: the path as from where the command ran (like GitHub's), and a
/// fingerprint that stays the same while the problem does, so GitLab can tell new from old.
fn gitlab_issue(d: &Diagnostic, root: &Path) -> GitlabIssue {
    use sha2::{Digest, Sha256};
    let path = d
        .file
        .as_ref()
        .map_or_else(|| display_path(root), |f| repo_path(f, root));
    let mut description = d.message.clone();
    if let Some(hint) = &d.hint {
        description.push_str(" (help: ");
        description.push_str(hint);
        description.push(')');
    }
    let line = d.location.map_or(1, |l| l.line);
    let digest = Sha256::digest(format!(
        "{}\0{path}\0{line}\0{}",
        d.code.as_str(),
        d.message
    ));
    GitlabIssue {
        description,
        check_name: d.code.as_str(),
        fingerprint: digest.iter().map(|b| format!("{b:02x}")).collect(),
        severity: match d.severity() {
            Severity::Error => "major",
            Severity::Warning => "minor",
        },
        location: GitlabLocation {
            path,
            lines: GitlabLines { begin: line },
        },
    }
}

/// A diagnostic's file named from the folder the command runs in: `ROOT/file`.
fn repo_path(file: &Path, root: &Path) -> String {
    let path = if file.is_absolute() || root == Path::new(".") {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    let path = display_path(&path);
    path.strip_prefix("./").unwrap_or(&path).to_string()
}

/// The last column of the diagnostic's underlined span (on its line), 1-based.
fn end_column(d: &Diagnostic) -> Option<usize> {
    let loc = d.location?;
    let mut end = loc.column + d.span_len - 1;
    if let Some(line) = &d.source_line {
        end = end.min(line.chars().count().max(loc.column));
    }
    Some(end)
}

fn json_line(value: &impl Serialize) {
    if let Ok(text) = serde_json::to_string(value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }
}

fn json_diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        version: JSON_VERSION,
        kind: "diagnostic",
        level: d.severity().label(),
        code: d.code.as_str(),
        message: &d.message,
        file: d.file.as_deref().map(display_path),
        line: d.location.map(|l| l.line),
        column: d.location.map(|l| l.column),
        end: d
            .location
            .zip(end_column(d))
            .map(|(l, column)| JsonPosition {
                line: l.line,
                column,
            }),
        hint: d.hint.as_deref(),
    }
}

/// Escape the message of a workflow command (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property of a workflow command (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The GitHub Actions workflow command that shows `d` on its file and line in a pull request.
pub(crate) fn workflow_command(d: &Diagnostic, root: &Path) -> String {
    let command = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(file) = &d.file {
        props.push(format!("file={}", escape_property(&repo_path(file, root))));
        if let Some(loc) = d.location {
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
            if let Some(end) = end_column(d) {
                props.push(format!("endColumn={end}"));
            }
        }
    }
    props.push(format!("title={}", d.code.as_str()));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    format!("::{command} {}::{}", props.join(","), escape_data(&message))
}

/// Print diagnostics: human text on stderr (errors always; warnings unless quiet), with
/// workflow commands on stdout in GitHub Actions; or every one as a JSON line on stdout.
pub(crate) fn report(diags: &Diagnostics, ui: &Ui) {
    ui.errors.fetch_add(diags.error_count(), Ordering::Relaxed);
    ui.warnings
        .fetch_add(diags.warning_count(), Ordering::Relaxed);
    match ui.format {
        MessageFormat::Human => {}
        MessageFormat::Json => {
            for d in diags.iter() {
                json_line(&json_diagnostic(d));
            }
            return;
        }
        MessageFormat::Gitlab => {
            if let Ok(mut issues) = ui.gitlab.lock() {
                issues.extend(diags.iter().map(|d| gitlab_issue(d, &ui.root)));
            }
            return;
        }
    }
    let shown: Diagnostics = diags
        .iter()
        .filter(|d| d.is_error() || !ui.quiet())
        .cloned()
        .collect();
    if shown.is_empty() {
        return;
    }
    crate::progress::suspend(|| eprint!("{}", diagnostics::render_all(&shown, ui.color)));
    if ui.github {
        let mut out = std::io::stdout().lock();
        for d in shown.iter() {
            let _ = writeln!(out, "{}", workflow_command(d, &ui.root));
        }
        let _ = out.flush();
    }
}

/// In the JSON format, the closing summary of a command (or of one build of `build --watch`).
fn summarize(ui: &Ui, command: &str, exit_code: u8, built: Option<&build::Summary>) {
    let (errors, warnings) = ui.reset_counts();
    match ui.format {
        MessageFormat::Human => return,
        MessageFormat::Json => {}
        MessageFormat::Gitlab => {
            let issues = ui
                .gitlab
                .lock()
                .map(|mut i| std::mem::take(&mut *i))
                .unwrap_or_default();
            json_line(&issues);
            return;
        }
    }
    json_line(&JsonSummary {
        version: JSON_VERSION,
        kind: "summary",
        command,
        success: exit_code == 0,
        exit_code,
        errors,
        warnings,
        pages: built.map(|s| s.pages),
        files: built.map(|s| s.files),
    });
}

fn report_failure(f: &Failure, ui: &Ui) -> u8 {
    match f {
        Failure::Site(d) => report(d, ui),
        Failure::Io(d) => report(&Diagnostics::from(d.clone()), ui),
    }
    f.exit_code()
}

/// `briefing build`: one build, after which the process exits.
pub fn build(opts: &BuildOptions, ui: &Ui) -> u8 {
    exit_cleanly_on_interrupt();
    let progress = crate::progress::Progress::start(ui.progress, "Building");
    let result = build::build(opts);
    progress.finish();
    report_build(result, ui, true)
}

/// On Ctrl+C, SIGTERM or SIGHUP (a closed terminal or SSH session), delete the staging folder of
/// a build in progress before exiting, so an interrupted build leaves nothing beside the output
/// folder (status 130, 143 for SIGTERM, 129 for SIGHUP).
/// The handlers are in place when this returns.
pub(crate) fn exit_cleanly_on_interrupt() {
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

fn report_build(result: Result<build::Summary, Failure>, ui: &Ui, exiting: bool) -> u8 {
    let v = ui.verbosity;
    match result {
        Ok(mut s) => {
            if exiting {
                // The process ends right after this report.
                s.leftovers.leak_at_exit();
            }
            report(&s.warnings, ui);
            if v != Verbosity::Quiet {
                eprintln!(
                    "Built {} pages ({} files) into {} in {} ms",
                    s.pages,
                    s.files,
                    s.output.display(),
                    s.millis
                );
                // `-v` times a one-off build; `-vv` also every rebuild of `build --watch`.
                if v == Verbosity::Detailed || v == Verbosity::Verbose && exiting {
                    let t = &s.timings;
                    eprintln!(
                        "  load {:.1} ms, model {:.1} ms, render and write files {:.1} ms, swap in {:.1} ms",
                        t.load_ms, t.model_ms, t.render_ms, t.write_ms
                    );
                }
                if v == Verbosity::Detailed
                    && let Some(files) = &s.rerendered
                {
                    print_files("Re-rendered", files);
                }
            }
            summarize(ui, "build", 0, Some(&s));
            0
        }
        Err(f) => {
            let code = report_failure(&f, ui);
            if v != Verbosity::Quiet && code == 1 {
                eprintln!("Build failed; the previous output (if any) was left as it was.");
            }
            summarize(ui, "build", code, None);
            code
        }
    }
}

/// `-vv`: the files a rebuild wrote again, one a line.
fn print_files(what: &str, files: &[String]) {
    eprintln!("  {what} {} file(s):", files.len());
    for f in files {
        eprintln!("    {f}");
    }
}

/// `briefing build --watch`: build now, then again on every change, writing like `build`.
/// Runs until interrupted.
pub fn build_watch(opts: &BuildOptions, poll: bool, ui: &Ui) -> u8 {
    let mut watch = match crate::serve::Watch::start(&opts.root, poll) {
        Ok(w) => w,
        Err(d) => return usage_error(d, ui),
    };
    exit_cleanly_on_interrupt();
    let mut session = build::Session::new(opts.clone());
    let none = std::collections::BTreeSet::new();
    report_build(build::build_kept(&mut session, opts, &none), ui, false);
    say(
        ui,
        format_args!(
            "Watching {} for changes. Press Ctrl+C to stop.",
            opts.root.display()
        ),
    );
    session.warm();
    let printer = Printer { ui };
    crate::serve::each_change(&mut watch, &printer, |batch| {
        report_build(
            build::build_kept(&mut session, opts, &batch.paths),
            ui,
            false,
        );
        session.warm();
    });
    usage_error(
        Diagnostic::new(Code::Watch, "stopped watching for changes"),
        ui,
    )
}

/// `briefing serve`: build in memory, serve, rebuild and reload on every change.
pub fn serve(opts: &crate::serve::ServeOptions, ui: Ui) -> u8 {
    // The server's threads print until the process exits: the printer lives as long.
    let ui: &'static Ui = Box::leak(Box::new(ui));
    match crate::serve::serve(opts, std::sync::Arc::new(Printer { ui })) {
        Ok(()) => 0,
        Err(d) => usage_error(d, ui),
    }
}

fn say(ui: &Ui, msg: std::fmt::Arguments<'_>) {
    if !ui.quiet() {
        crate::progress::suspend(|| eprintln!("{msg}"));
    }
}

/// Prints what `serve` and `build --watch` report.
struct Printer<'a> {
    ui: &'a Ui,
}

impl crate::serve::Report for Printer<'_> {
    fn event(&self, event: crate::serve::Event<'_>) {
        use crate::serve::Event;
        let ui = self.ui;
        match event {
            Event::WatchProblems(d) | Event::Warnings(d) => report(d, ui),
            Event::Changed(paths) => {
                // `-v` names every changed file; otherwise the first three.
                let take = if ui.verbosity >= Verbosity::Verbose {
                    paths.len()
                } else {
                    3
                };
                let mut names: Vec<&str> = paths.iter().map(String::as_str).take(take).collect();
                if paths.len() > names.len() {
                    names.push("…");
                }
                say(ui, format_args!("Changed: {}", names.join(", ")));
            }
            Event::Built { pages, ms } => say(ui, format_args!("Built {pages} pages in {ms} ms")),
            Event::Rebuilt {
                pages,
                ms,
                files,
                incremental,
                fixed,
                outputs,
                stages,
            } => {
                match files {
                    Some(_) if fixed => say(
                        ui,
                        format_args!("Rebuilt {pages} pages in {ms} ms; the errors are fixed"),
                    ),
                    Some(n) if incremental => say(
                        ui,
                        format_args!("Updated {n} file(s) of {pages} pages in {ms} ms"),
                    ),
                    Some(n) => say(
                        ui,
                        format_args!("Rebuilt {pages} pages in {ms} ms: {n} file(s) changed"),
                    ),
                    None => say(
                        ui,
                        format_args!("Rebuilt {pages} pages in {ms} ms: nothing changed"),
                    ),
                }
                if ui.verbosity == Verbosity::Detailed {
                    let laps: Vec<String> = stages
                        .iter()
                        .map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0))
                        .collect();
                    say(ui, format_args!("Stages (ms): {}", laps.join(", ")));
                    if !outputs.is_empty() {
                        print_files("Changed output", outputs);
                    }
                }
            }
            Event::Failed { failure, stale } => {
                report_failure(failure, ui);
                if stale {
                    say(
                        ui,
                        format_args!("Build failed; still serving the last good version"),
                    );
                } else {
                    say(
                        ui,
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
                ui,
                format_args!(
                    "Watching {} for changes; drafts are shown. Press Ctrl+C to stop.",
                    root.display()
                ),
            ),
            Event::Stopped => say(ui, format_args!("Stopped")),
            Event::NoBrowser { url, error } => say(
                ui,
                format_args!("Could not open a browser ({error}); open {url} yourself"),
            ),
            Event::PortTaken { wanted, chosen } => say(
                ui,
                format_args!("Port {wanted} is taken; using port {chosen} instead"),
            ),
            Event::ServerProblem(d) => report(&Diagnostics::from(d.clone()), ui),
        }
    }
}

/// `briefing check`.
pub fn check(opts: &BuildOptions, strict: bool, external: bool, ui: &Ui) -> u8 {
    let progress = crate::progress::Progress::start(ui.progress, "Checking");
    let result = build::check(opts, external);
    progress.finish();
    let code = match result {
        Ok(checked) => {
            let warnings = &checked.warnings;
            report(warnings, ui);
            if let Some((requested, skipped)) = checked.external {
                say(
                    ui,
                    format_args!(
                        "Requested {requested} external link(s); {skipped} skipped (external_links.skip)"
                    ),
                );
            }
            if strict && !warnings.is_empty() {
                if !ui.quiet() {
                    eprintln!(
                        "check --strict: {} warning(s) count as errors",
                        warnings.len()
                    );
                }
                1
            } else {
                if checked.without_base_url {
                    // Not a warning: a site is sound without a base URL, usually given when
                    // publishing.
                    say(
                        ui,
                        format_args!(
                            "Check passed (without a base URL: the feed, the sitemap and canonical \
                             links were not made; pass --base-url to check them too)"
                        ),
                    );
                } else {
                    say(ui, format_args!("Check passed"));
                }
                0
            }
        }
        Err(f) => report_failure(&f, ui),
    };
    summarize(ui, "check", code, None);
    code
}

/// `briefing new DIR`.
pub fn new(dir: &Path, ui: &Ui) -> u8 {
    match crate::scaffold::create(dir) {
        Ok(()) => {
            let here = dir == Path::new(".") || dir == Path::new("./");
            let (place, root) = if here {
                ("the current folder".to_string(), String::new())
            } else {
                (
                    format!("`{}`", dir.display()),
                    format!(" -r {}", dir.display()),
                )
            };
            say(
                ui,
                format_args!(
                    "Created a new briefing in {place}. Next: `briefing serve{root}` to preview \
                     it while you edit, `briefing build{root}` to write the site"
                ),
            );
            0
        }
        Err(d) => {
            report(&Diagnostics::from(d), ui);
            2
        }
    }
}

/// `briefing explain CODE`: the error index's entry for a code (parsed by clap, so an unknown
/// code is a usage error before this runs).
pub fn explain(code: Code) -> u8 {
    match diagnostics::explanation(code) {
        Some(text) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
            0
        }
        None => {
            // The README lists every code (a test checks it); this is a bug if it happens.
            eprintln!(
                "no explanation of {} (this is a bug in briefing)",
                code.as_str()
            );
            2
        }
    }
}

/// Report a usage problem found outside clap.
pub(crate) fn usage_error(d: Diagnostic, ui: &Ui) -> u8 {
    report(&Diagnostics::from(d), ui);
    2
}
