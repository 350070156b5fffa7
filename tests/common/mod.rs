//! Shared helpers for the integration tests: fixture sites in temporary folders, running the
//! `briefing` binary, reading what it wrote, comparing output trees byte for byte, and picking
//! apart the rustc-style diagnostics it prints.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// No run should take anywhere near this long; it only keeps a hang from stalling the suite.
pub const TIMEOUT: Duration = Duration::from_secs(600);

/// The `briefing` binary, with colour off so output is stable, and outside GitHub Actions
/// (whose workflow commands would join stdout) even when the tests run there.
pub fn briefing() -> Command {
    let mut cmd = Command::cargo_bin("briefing").expect("the briefing binary is built");
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("RUST_BACKTRACE")
        .timeout(TIMEOUT);
    cmd
}

/// Run a command to completion and keep what it printed.
pub fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("briefing could be started");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run `cmd` with stderr on a new pseudo-terminal (80×24) and stdout piped; stdin is empty.
/// Returns what was printed; the terminal turns each `\n` into `\r\n`.
#[cfg(unix)]
pub fn run_on_terminal(mut cmd: std::process::Command) -> Run {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use std::io::Read;
    use std::process::Stdio;
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("the terminal's name");
    let name = PathBuf::from(name.to_string_lossy().into_owned());
    let size = rustix::termios::Winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&master, size).expect("set the terminal's size");
    let terminal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&name)
        .expect("open the terminal");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(terminal));
    let child = cmd.spawn().expect("briefing could be started");
    // Our copy of the terminal's end went into `cmd`: drop it, so reading ends with the child.
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        // Linux answers EIO once no process has the terminal open any more.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        bytes
    });
    let out = child.wait_with_output().expect("briefing ran");
    let stderr = reader.join().expect("the terminal was read");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A site folder in a temporary directory (removed when dropped).
pub struct Site {
    dir: tempfile::TempDir,
}

impl Default for Site {
    fn default() -> Self {
        Self::new()
    }
}

impl Site {
    /// An empty site folder: no site.yaml, no content.
    pub fn new() -> Site {
        Site {
            dir: tempfile::Builder::new()
                .prefix("briefing-site-")
                .tempdir()
                .expect("a temporary folder"),
        }
    }

    /// Add a file (parents are created).
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Site {
        self.write(rel, contents);
        self
    }

    /// Write (or overwrite) a file of the site.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
    }

    /// Delete a file of the site.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The default output folder, ROOT/public.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// `briefing SUBCOMMAND -r ROOT ARGS…`
    pub fn cmd(&self, sub: &str, args: &[&str]) -> Command {
        let mut cmd = briefing();
        cmd.arg(sub).arg("-r").arg(self.root()).args(args);
        cmd
    }

    /// `briefing build -r ROOT`.
    pub fn build(&self) -> Run {
        run(self.cmd("build", &[]))
    }

    /// `briefing build -r ROOT`, which must succeed.
    pub fn build_ok(&self) -> Run {
        let r = self.build();
        r.code(0);
        r
    }

    /// `briefing check -r ROOT`.
    pub fn check(&self) -> Run {
        run(self.cmd("check", &[]))
    }

    /// An output file of the last build, as text.
    pub fn read_out(&self, rel: &str) -> String {
        read(&self.public().join(rel))
    }

    pub fn out_exists(&self, rel: &str) -> bool {
        self.public().join(rel).is_file()
    }

    /// The kind the last build's search index gives the page at `url` (a row of a
    /// `search/docs-<j>.json` shard is `[url, title, kind, …]`).
    pub fn search_kind(&self, url: &str) -> String {
        let dir = self.public().join("search");
        for entry in std::fs::read_dir(&dir).expect("a search index") {
            let path = entry.expect("a search shard").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if !name.starts_with("docs-") {
                continue;
            }
            let rows: Vec<serde_json::Value> =
                serde_json::from_str(&read(&path)).expect("search docs are JSON");
            if let Some(row) = rows.iter().find(|r| r[0] == url) {
                return row[2].as_str().unwrap_or_default().to_string();
            }
        }
        panic!("no search row for {url}")
    }

    /// Names in the site folder that look like leftovers of an interrupted write.
    pub fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public."))
            .collect()
    }
}

/// Read a file as UTF-8 text, naming it when that fails.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A small but complete briefing: a note, a talk, two parties, a person, a topic, two sources and
/// a timeline, all cross-referenced, with a base URL so a build prints no warnings.
pub fn briefing_site() -> Site {
    Site::new()
        .file(
            "site.yaml",
            "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\n",
        )
        .file(
            "content/_index.md",
            "---\ntitle: Test briefing\n---\n\nWhat this briefing follows.\n",
        )
        .file(
            "content/notes/a.md",
            "---\ntitle: Note A\ntags: [alpha]\n---\n\n## First\n\nSome text.\n",
        )
        .file(
            "content/sources.yaml",
            "- id: src-one\n  publisher: Agency One\n  title: Talks open\n  url: https://news.example.com/one\n  published: 2025-05-10\n\
             - id: src-two\n  publisher: Agency Two\n  published: 2025-05-11\n",
        )
        .file("content/talks/round-one.md", talk("mediator", "jane-doe", "ceasefire", "src-one"))
        .file(
            "content/parties/party-a.md",
            "---\nname: Party A\nkind: state\nroles: [negotiating-party]\nleaders: [jane-doe]\n---\n\nAbout Party A.\n",
        )
        .file(
            "content/parties/mediator.md",
            "---\nname: Mediating State\nkind: state\nroles: [mediator, host]\n---\n\nWhy it mediates.\n",
        )
        .file(
            "content/people/jane-doe.md",
            "---\nname: Jane Doe\nparty: party-a\n---\n\nWho she is.\n",
        )
        .file(
            "content/topics/ceasefire.md",
            "---\ntitle: Ceasefire\n---\n\nWhat a ceasefire would mean.\n",
        )
        .file(
            "content/timeline.yaml",
            "- date: 2025-05-01\n  title: Talks announced\n  parties: [party-a]\n  sources: [src-two]\n",
        )
}

/// The talk of [`briefing_site`] with the given references. Line numbers are fixed:
/// mediator party on line 10 (column 12), head of delegation on line 14 (column 15),
/// agenda topic on line 17 (column 12), source list on line 19 (column 11).
pub fn talk(mediator: &str, person: &str, topic: &str, source: &str) -> String {
    format!(
        "---\n\
         title: Round one\n\
         status: scheduled\n\
         venue:\n  \
           name: Palais\n  \
           city: Geneva\n  \
           timezone: Europe/Zurich\n\
         scheduled_start: 2025-05-16T12:30\n\
         mediators:\n  \
           - party: {mediator}\n\
         delegations:\n  \
           - party: party-a\n    \
             head:\n      \
               person: {person}\n      \
               title: Minister\n\
         agenda:\n  \
           - topic: {topic}\n    \
             proposed_by: party-a\n\
         sources: [{source}]\n\
         ---\n\
         \n\
         What is expected.\n"
    )
}

/// What one run printed and how it ended.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert the exit code, and that nothing panicked.
    pub fn code(&self, expected: i32) -> &Run {
        self.no_panic();
        assert_eq!(
            self.code,
            Some(expected),
            "expected exit code {expected}\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.stderr,
            self.stdout
        );
        self
    }

    pub fn no_panic(&self) -> &Run {
        assert!(
            !self.stderr.contains("panicked") && self.code != Some(101),
            "briefing panicked:\n{}",
            self.stderr
        );
        self
    }

    /// Every error diagnostic printed, in order.
    pub fn errors(&self) -> Vec<Diag> {
        diagnostics(&self.stderr)
            .into_iter()
            .filter(|d| d.level == "error")
            .collect()
    }

    /// The error whose message contains `fragment` (the test fails if there is none).
    pub fn error(&self, fragment: &str) -> Diag {
        let errors = self.errors();
        errors
            .iter()
            .find(|d| d.message.contains(fragment))
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "no error message contains {fragment:?}\n--- stderr ---\n{}",
                    self.stderr
                )
            })
    }

    /// Assert how many errors were reported (diagnostics and the closing count line agree).
    pub fn error_count(&self, n: usize) -> &Run {
        let errors = self.errors();
        assert_eq!(
            errors.len(),
            n,
            "expected {n} error(s), got {}:\n{}",
            errors.len(),
            self.stderr
        );
        let summary = format!("{n} error{}, ", if n == 1 { "" } else { "s" });
        assert!(
            self.stderr.lines().any(|l| l.starts_with(&summary)),
            "no summary line `{summary}…`:\n{}",
            self.stderr
        );
        self
    }
}

/// One diagnostic as printed: `error[E012]: message`, ` --> locus`, `help: hint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub level: String,
    /// The stable code in brackets after the level (`E012`).
    pub code: String,
    pub message: String,
    pub locus: Option<String>,
    pub help: Vec<String>,
    /// The whole rendered block, for failure messages.
    pub text: String,
}

impl Diag {
    /// Assert the exact `path:line:col` locus.
    pub fn at(&self, locus: &str) -> &Diag {
        assert_eq!(
            self.locus.as_deref(),
            Some(locus),
            "wrong location for this diagnostic:\n{}",
            self.text
        );
        self
    }

    /// Assert the locus names `file` (with or without a line and column).
    pub fn in_file(&self, file: &str) -> &Diag {
        let ok = self.locus.as_deref().is_some_and(|l| {
            l == file
                || l.strip_prefix(file)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .is_some_and(|lc| {
                        let mut parts = lc.split(':');
                        let line = parts.next().and_then(|p| p.parse::<usize>().ok());
                        let col = parts.next().and_then(|p| p.parse::<usize>().ok());
                        line.is_some() && col.is_some() && parts.next().is_none()
                    })
        });
        assert!(ok, "diagnostic is not located in {file}:\n{}", self.text);
        self
    }

    /// Assert the diagnostic's code (`E012`).
    pub fn code(&self, code: &str) -> &Diag {
        assert_eq!(
            self.code, code,
            "wrong code for this diagnostic:\n{}",
            self.text
        );
        self
    }

    /// Assert a `help:` line contains `fragment`.
    pub fn hint(&self, fragment: &str) -> &Diag {
        assert!(
            self.help.iter().any(|h| h.contains(fragment)),
            "no hint containing {fragment:?}:\n{}",
            self.text
        );
        self
    }

    /// Assert no `help:` line contains `fragment`.
    pub fn no_hint(&self, fragment: &str) -> &Diag {
        assert!(
            !self.help.iter().any(|h| h.contains(fragment)),
            "unexpected hint containing {fragment:?}:\n{}",
            self.text
        );
        self
    }

    /// The message must not carry a second position of its own (such as a YAML parser's
    /// "at line 2 column 1", counted from the start of the front matter rather than the file):
    /// the locus is the one place a position is given.
    pub fn no_inner_position(&self) -> &Diag {
        assert!(
            !self.message.contains(" at line ") && !self.message.contains(" column "),
            "the message repeats a position of its own, which disagrees with its locus `{}`:\n{}",
            self.locus.as_deref().unwrap_or("-"),
            self.text
        );
        self
    }
}

/// The level, code and message of a diagnostic's first line, `error[E012]: message`.
fn diagnostic_header(line: &str) -> Option<(&str, &str, &str)> {
    let (level, rest) = line.split_once('[')?;
    if level != "error" && level != "warning" {
        return None;
    }
    let (code, message) = rest.split_once("]: ")?;
    let well_formed = code.len() == 4
        && code.starts_with(if level == "error" { 'E' } else { 'W' })
        && code[1..].bytes().all(|b| b.is_ascii_digit());
    well_formed.then_some((level, code, message))
}

/// Split stderr into diagnostics. A diagnostic starts with a line `error[E0xx]: …` or
/// `warning[W0xx]: …` and runs until the next such line or the closing `N errors, M warnings`
/// line.
pub fn diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    let mut cur: Option<Diag> = None;
    for line in stderr.lines() {
        if let Some((level, code, message)) = diagnostic_header(line) {
            out.extend(cur.take());
            cur = Some(Diag {
                level: level.to_string(),
                code: code.to_string(),
                message: message.to_string(),
                locus: None,
                help: Vec::new(),
                text: format!("{line}\n"),
            });
            continue;
        }
        let is_summary = line.contains(" error") && line.contains(" warning") && {
            let first = line.split_whitespace().next().unwrap_or("");
            !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit())
        };
        if is_summary {
            out.extend(cur.take());
            continue;
        }
        if let Some(d) = cur.as_mut() {
            d.text.push_str(line);
            d.text.push('\n');
            let t = line.trim_start();
            if let Some(locus) = t.strip_prefix("--> ") {
                if d.locus.is_none() {
                    d.locus = Some(locus.trim().to_string());
                }
            } else if let Some(h) = t
                .strip_prefix("help: ")
                .or_else(|| t.strip_prefix("= help: "))
            {
                d.help.push(h.to_string());
            }
        }
    }
    out.extend(cur);
    out
}

/// One entry of an output tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Everything under `dir` (relative path → node), without following links.
pub type Tree = BTreeMap<String, Node>;

pub fn tree(dir: &Path) -> Tree {
    let mut out = Tree::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ft = entry.file_type();
        let node = if ft.is_symlink() {
            Node::Link(std::fs::read_link(entry.path()).unwrap())
        } else if ft.is_dir() {
            Node::Dir
        } else {
            Node::File(std::fs::read(entry.path()).unwrap())
        };
        out.insert(rel, node);
    }
    out
}

/// Assert two trees are byte-identical, naming the paths that differ (never dumping contents).
pub fn assert_same_tree(a: &Tree, b: &Tree, what: &str) {
    if a == b {
        return;
    }
    let mut diffs = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => diffs.push(format!("only in the first: {k}")),
            Some(w) if w != v => diffs.push(format!("differs: {k}")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        diffs.push(format!("only in the second: {k}"));
    }
    panic!("{what}: trees differ:\n  {}", diffs.join("\n  "));
}

/// Every file's text in a tree that contains `needle` (binary files included, lossily).
pub fn files_containing(tree: &Tree, needle: &str) -> Vec<String> {
    tree.iter()
        .filter_map(|(k, v)| match v {
            Node::File(bytes) if String::from_utf8_lossy(bytes).contains(needle) => Some(k.clone()),
            _ => None,
        })
        .collect()
}

/// The `href` values in an HTML text (double-quoted).
pub fn hrefs(html: &str) -> Vec<String> {
    attr(html, "href")
}

/// The values of `name="…"` attributes in an HTML text.
pub fn attr(html: &str, name: &str) -> Vec<String> {
    let pat = format!(" {name}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}
