//! What the command line prints for people and for machines: stable codes and `explain`, the
//! JSON Lines format, GitHub workflow commands, colour under each variable, progress only on a
//! terminal, completions and the man page. Outputs are parsed, not matched as strings.

mod common;

use common::{Run, Site, briefing, briefing_site, run};
use serde_json::Value;

/// A site with one error: an unknown key, E012.
fn broken_site() -> Site {
    briefing_site().file("content/notes/b.md", "---\ntitel: B\n---\nText.\n")
}

/// A site that builds with one warning: no `base_url`, W002.
fn warning_site() -> Site {
    briefing_site().file(
        "site.yaml",
        "title: Test briefing\ndisplay_timezones: [UTC]\n",
    )
}

/// Every line of stdout as a JSON object (failing on a line that is not one).
fn json_lines(r: &Run) -> Vec<Value> {
    r.stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l}\n{}", r.stdout))
        })
        .collect()
}

#[test]
fn human_diagnostics_carry_their_code() {
    let r = broken_site().build();
    r.code(1);
    r.error("unknown key `titel`")
        .code("E012")
        .at("content/notes/b.md:2:1");
    let r = warning_site().build();
    r.code(0);
    let warnings: Vec<_> = common::diagnostics(&r.stderr)
        .into_iter()
        .filter(|d| d.level == "warning")
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert_eq!(warnings[0].code, "W002");
}

#[test]
fn explain_prints_the_readme_entry_and_refuses_unknown_codes() {
    let r = run({
        let mut c = briefing();
        c.args(["explain", "e012"]);
        c
    });
    r.code(0);
    assert!(r.stdout.starts_with("### E012: "), "{}", r.stdout);
    assert!(r.stdout.contains("error[E012]:"), "{}", r.stdout);
    assert!(!r.stdout.contains("### E013"), "{}", r.stdout);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    assert!(
        readme.contains(r.stdout.trim_end()),
        "not the README's text"
    );

    let r = run({
        let mut c = briefing();
        c.args(["explain", "E999"]);
        c
    });
    r.code(2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("E999"), "{}", r.stderr);
}

#[test]
fn json_format_is_json_lines_on_stdout_with_a_summary() {
    let site = broken_site();
    for sub in ["build", "check"] {
        let r = run(site.cmd(sub, &["--message-format", "json"]));
        r.code(1);
        let objects = json_lines(&r);
        assert_eq!(objects.len(), 2, "{}", r.stdout);
        for o in &objects {
            assert_eq!(o["version"], 1, "{o}");
        }
        let (summary, diags) = objects.split_last().unwrap();
        for d in diags {
            assert_eq!(d["type"], "diagnostic", "{d}");
        }
        let error = diags
            .iter()
            .find(|d| d["code"] == "E012")
            .unwrap_or_else(|| panic!("no E012 in {}", r.stdout));
        assert_eq!(error["level"], "error");
        assert_eq!(error["message"], "unknown key `titel`");
        assert_eq!(error["file"], "content/notes/b.md");
        assert_eq!(error["line"], 2);
        assert_eq!(error["column"], 1);
        assert_eq!(error["end"]["line"], 2);
        assert_eq!(error["end"]["column"], 5, "the span is `titel`");
        assert_eq!(error["hint"], "did you mean `title`?");

        assert_eq!(summary["type"], "summary");
        assert_eq!(summary["command"], sub);
        assert_eq!(summary["success"], false);
        assert_eq!(summary["exit_code"], 1);
        assert_eq!(summary["errors"], 1);
        assert_eq!(summary["warnings"], 0);
        // Nothing of the human format went to stderr.
        assert!(!r.stderr.contains("error["), "{}", r.stderr);
    }

    let r = run(warning_site().cmd("build", &["--message-format", "json"]));
    r.code(0);
    let objects = json_lines(&r);
    assert_eq!(objects.len(), 2, "{}", r.stdout);
    let warning = &objects[0];
    assert_eq!(warning["type"], "diagnostic");
    assert_eq!(warning["code"], "W002");
    assert_eq!(warning["level"], "warning");
    assert_eq!(warning["file"], "site.yaml");
    assert_eq!(warning["line"], Value::Null);
    assert_eq!(warning["end"], Value::Null);
    assert!(warning["hint"].as_str().unwrap().contains("base_url"));
    let summary = &objects[1];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["success"], true);
    assert_eq!(summary["exit_code"], 0);
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["warnings"], 1);
    assert!(summary["pages"].as_u64().unwrap() > 0, "{}", r.stdout);
}

#[test]
fn gitlab_format_is_a_code_quality_report() {
    let site = broken_site();
    let r = run(site.cmd("check", &["--message-format", "gitlab"]));
    r.code(1);
    let report: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", r.stdout));
    let issues = report.as_array().expect("an array");
    assert_eq!(issues.len(), 1, "{}", r.stdout);
    let i = &issues[0];
    assert_eq!(i["check_name"], "E012");
    assert_eq!(i["severity"], "major");
    assert_eq!(
        i["description"],
        "unknown key `titel` (help: did you mean `title`?)"
    );
    let root = site.root().to_string_lossy().replace('\\', "/");
    assert_eq!(i["location"]["path"], format!("{root}/content/notes/b.md"));
    assert_eq!(i["location"]["lines"]["begin"], 2);
    let fingerprint = i["fingerprint"].as_str().expect("a fingerprint");
    assert_eq!(fingerprint.len(), 64);
    // The same problem keeps its fingerprint from run to run.
    let again = run(site.cmd("check", &["--message-format", "gitlab"]));
    let again: Value = serde_json::from_str(&again.stdout).expect("JSON");
    assert_eq!(again[0]["fingerprint"], fingerprint);

    let r = run(warning_site().cmd("build", &["--message-format", "gitlab"]));
    r.code(0);
    let report: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(report[0]["check_name"], "W002");
    assert_eq!(report[0]["severity"], "minor");
    assert_eq!(report[0]["location"]["lines"]["begin"], 1);
    let r = run(briefing_site().cmd("build", &["--message-format", "gitlab"]));
    r.code(0);
    assert_eq!(
        serde_json::from_str::<Value>(&r.stdout).expect("JSON"),
        serde_json::json!([])
    );
}

/// A workflow command `::error file=…,line=…::message`, taken apart and unescaped.
#[derive(Debug)]
struct WorkflowCommand {
    command: String,
    props: std::collections::BTreeMap<String, String>,
    message: String,
}

fn unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn workflow_commands(stdout: &str) -> Vec<WorkflowCommand> {
    stdout
        .lines()
        .map(|l| {
            let rest = l
                .strip_prefix("::")
                .unwrap_or_else(|| panic!("not a workflow command: {l}"));
            let (head, message) = rest.split_once("::").expect("a message after `::`");
            let (command, props) = head.split_once(' ').unwrap_or((head, ""));
            let props = props
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("key=value");
                    (k.to_string(), unescape(v))
                })
                .collect();
            WorkflowCommand {
                command: command.to_string(),
                props,
                message: unescape(message),
            }
        })
        .collect()
}

#[test]
fn github_actions_gets_workflow_commands_on_stdout() {
    let site = broken_site();
    let mut cmd = site.cmd("check", &[]);
    cmd.env("GITHUB_ACTIONS", "true");
    let r = run(cmd);
    r.code(1);
    let commands = workflow_commands(&r.stdout);
    assert_eq!(commands.len(), 1, "{}", r.stdout);
    let e = commands
        .iter()
        .find(|c| c.command == "error")
        .expect("::error");
    let root = site.root().to_string_lossy().replace('\\', "/");
    assert_eq!(e.props["file"], format!("{root}/content/notes/b.md"));
    assert_eq!(e.props["line"], "2");
    assert_eq!(e.props["col"], "1");
    assert_eq!(e.props["endColumn"], "5");
    assert_eq!(e.props["title"], "E012");
    assert_eq!(
        e.message,
        "unknown key `titel`\nhelp: did you mean `title`?"
    );
    // The human report is still on stderr.
    assert!(r.stderr.contains("error[E012]"), "{}", r.stderr);

    let warned = warning_site();
    let mut cmd = warned.cmd("build", &[]);
    cmd.env("GITHUB_ACTIONS", "true");
    let r = run(cmd);
    r.code(0);
    let commands = workflow_commands(&r.stdout);
    assert_eq!(commands.len(), 1, "{}", r.stdout);
    let w = &commands[0];
    assert_eq!(w.command, "warning");
    assert_eq!(w.props["title"], "W002");
    let root = warned.root().to_string_lossy().replace('\\', "/");
    assert_eq!(w.props["file"], format!("{root}/site.yaml"));
    assert!(!w.props.contains_key("line"), "{w:?}");

    // Not in GitHub Actions: stdout stays empty.
    let r = run(site.cmd("check", &[]));
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // The JSON format keeps stdout JSON even there.
    let mut cmd = site.cmd("check", &["--message-format", "json"]);
    cmd.env("GITHUB_ACTIONS", "true");
    let r = run(cmd);
    assert_eq!(json_lines(&r).len(), 2, "{}", r.stdout);
}

/// The escape sequences that start colours.
fn coloured(s: &str) -> bool {
    s.contains("\u{1b}[")
}

/// `briefing` without the colour settings of [`briefing`], and `env` set; `args` after it.
fn plain_command(site: &Site, env: &[(&str, &str)], args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
    for var in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "CI",
        "GITHUB_ACTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args).arg("-r").arg(site.root());
    cmd
}

/// Whether a diagnostic and a clap error, both on stderr, are coloured under `env` and `args`.
fn colours(site: &Site, terminal: bool, env: &[(&str, &str)], args: &[&str]) -> (bool, bool) {
    let go = |cmd: std::process::Command| -> Run {
        if terminal {
            #[cfg(unix)]
            return common::run_on_terminal(cmd);
        }
        let mut cmd = cmd;
        let out = cmd.output().expect("briefing ran");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let mut check_args = vec!["check"];
    check_args.extend(args);
    let diag = go(plain_command(site, env, &check_args));
    assert!(diag.stderr.contains("E012"), "{}", diag.stderr);
    let mut bad_args = vec!["check", "--no-such-flag"];
    bad_args.extend(args);
    let usage = go(plain_command(site, env, &bad_args));
    assert_eq!(usage.code, Some(2), "{}", usage.stderr);
    (coloured(&diag.stderr), coloured(&usage.stderr))
}

#[test]
fn colour_follows_the_flag_and_the_environment_like_clap() {
    let site = broken_site();
    let pipe = false;
    // (on a terminal?, environment, arguments, coloured?)
    type Case<'a> = (bool, Vec<(&'a str, &'a str)>, Vec<&'a str>, bool);
    let mut cases: Vec<Case<'_>> = vec![
        (pipe, vec![], vec![], false),
        (pipe, vec![("CLICOLOR_FORCE", "1")], vec![], true),
        (
            pipe,
            vec![("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
            vec![],
            false,
        ),
        (pipe, vec![], vec!["--color", "always"], true),
        (pipe, vec![("NO_COLOR", "1")], vec!["--color=always"], true),
        (
            pipe,
            vec![("CLICOLOR_FORCE", "1")],
            vec!["--color", "never"],
            false,
        ),
    ];
    if cfg!(unix) {
        let tty = true;
        cases.extend([
            (tty, vec![], vec![], true),
            (tty, vec![], vec!["--color", "never"], false),
            (tty, vec![("NO_COLOR", "1")], vec![], false),
            // An empty NO_COLOR does not count.
            (tty, vec![("NO_COLOR", "")], vec![], true),
            (tty, vec![("CLICOLOR", "0")], vec![], false),
            (
                tty,
                vec![("CLICOLOR", "0"), ("CLICOLOR_FORCE", "1")],
                vec![],
                true,
            ),
            (tty, vec![("TERM", "dumb")], vec![], false),
            (tty, vec![("TERM", "dumb")], vec!["--color", "always"], true),
        ]);
    }
    for (terminal, env, args, expected) in cases {
        let (diagnostic, clap) = colours(&site, terminal, &env, &args);
        let what = format!("terminal={terminal} env={env:?} args={args:?}");
        assert_eq!(diagnostic, expected, "diagnostic colour with {what}");
        assert_eq!(clap, expected, "clap's colour with {what}");
    }
}

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    let site = briefing_site();
    let mut cmd = site.cmd("build", &[]);
    // Draw at once if at all, so that a bar would show even for this small site.
    cmd.env("BRIEFING_PROGRESS_DELAY_MS", "0");
    let r = run(cmd);
    r.code(0);
    assert!(!r.stderr.contains("Building"), "{}", r.stderr);
    assert!(!r.stderr.contains('\r'), "{:?}", r.stderr);
    assert!(!coloured(&r.stderr), "{:?}", r.stderr);
}

#[cfg(unix)]
#[test]
fn progress_shows_on_a_terminal() {
    let site = briefing_site();
    let mut cmd = plain_command(&site, &[("BRIEFING_PROGRESS_DELAY_MS", "0")], &["build"]);
    cmd.env("NO_COLOR", "1");
    let r = common::run_on_terminal(cmd);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("Building"), "{:?}", r.stderr);
    // Not with -q.
    let mut cmd = plain_command(
        &site,
        &[("BRIEFING_PROGRESS_DELAY_MS", "0")],
        &["-q", "build"],
    );
    cmd.env("NO_COLOR", "1");
    let r = common::run_on_terminal(cmd);
    assert!(!r.stderr.contains("Building"), "{:?}", r.stderr);
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let r = run({
        let mut c = briefing();
        c.arg("--version");
        c
    });
    r.code(0);
    let version = r.stdout.trim();
    let pkg = concat!("briefing ", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(pkg), "{version}");
    let in_git = std::process::Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short",
            "HEAD",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match in_git {
        Some(commit) => {
            let rest = version[pkg.len()..].trim();
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or_else(|| panic!("no (commit date) in {version}"));
            let (c, date) = inner.split_once(' ').expect("commit and date");
            // The binary may have been built at an earlier commit of this checkout.
            assert!(
                c.len() >= 7 && c.bytes().all(|b| b.is_ascii_hexdigit()),
                "{version}"
            );
            assert!(!commit.is_empty());
            let d: Vec<&str> = date.split('-').collect();
            assert_eq!(d.len(), 3, "{version}");
            assert!(d.iter().all(|p| p.parse::<u32>().is_ok()), "{version}");
        }
        None => assert_eq!(version, pkg),
    }
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let r = run({
            let mut c = briefing();
            c.args(["completions", shell]);
            c
        });
        r.code(0);
        for word in ["build", "serve", "check", "explain", "message-format"] {
            assert!(r.stdout.contains(word), "{shell} completion lacks {word}");
        }
        // Where the shell is installed, the script must at least parse.
        let check = match shell {
            "fish" => vec!["--no-execute"],
            _ => vec!["-n"],
        };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("completion");
        std::fs::write(&file, &r.stdout).unwrap();
        if let Ok(out) = std::process::Command::new(shell)
            .args(&check)
            .arg(&file)
            .output()
        {
            assert!(
                out.status.success(),
                "{shell} rejects its completion script: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let r = run({
        let mut c = briefing();
        c.args(["completions", "tcsh"]);
        c
    });
    r.code(2);
}

#[test]
fn man_page_documents_the_commands() {
    let r = run({
        let mut c = briefing();
        c.arg("man");
        c
    });
    r.code(0);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH briefing"),
        "{}",
        r.stdout
    );
    for word in ["build", "serve", "explain", "completions", "\\-\\-color"] {
        assert!(r.stdout.contains(word), "man page lacks {word}");
    }
}

#[test]
fn new_in_the_current_folder_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let r = run({
        let mut c = briefing();
        c.current_dir(dir.path()).args(["new", "."]);
        c
    });
    r.code(0);
    assert!(r.stderr.contains("in the current folder"), "{}", r.stderr);
    assert!(r.stderr.contains("briefing serve"), "{}", r.stderr);
    assert!(!r.stderr.contains(" -r ."), "{}", r.stderr);
}
