//! The command line: parse arguments with clap and hand over to `briefing::commands`.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Args, ColorChoice, CommandFactory, FromArgMatches, Parser, Subcommand};

use briefing::build::BuildOptions;
use briefing::commands::{self, MessageFormat, Ui, Verbosity};
use briefing::diagnostics::Code;
use briefing::serve::ServeOptions;
use briefing::serve::connections::Limits;
use briefing::serve::hosts::HostName;

/// `0.1.0 (abc1234 2026-12-01)` when built from a git checkout, else `0.1.0` (see build.rs).
const VERSION: &str = env!("BRIEFING_VERSION");

#[derive(Parser)]
#[command(
    name = "briefing",
    version = VERSION,
    about = "Build briefing pages on live negotiations as a static site"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what is done; -vv for the timings of every rebuild and the files it
    /// wrote again.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    /// Colour the output: auto (when stderr is a terminal and NO_COLOR, CLICOLOR=0 or TERM=dumb
    /// do not say otherwise; CLICOLOR_FORCE forces it), always or never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct RootArg {
    /// The site folder (with content/, templates/, static/ and site.yaml).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
}

/// What is built: the flags `build` and `check` share.
#[derive(Args)]
struct SiteArgs {
    #[command(flatten)]
    root: RootArg,
    /// Base URL, overriding `base_url` in site.yaml (e.g. https://example.org/sub/).
    #[arg(short = 'u', long)]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(self, output: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: self.root.root,
            output,
            base_url: self.base_url,
            drafts: self.drafts,
        }
    }
}

#[derive(Args)]
struct FormatArg {
    /// How to print diagnostics: human (text on stderr), json (JSON Lines on stdout, one
    /// object per diagnostic and a final summary) or gitlab (GitLab's code quality report, a
    /// JSON array, on stdout).
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    message_format: MessageFormat,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (ROOT/public by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Keep running and rebuild whenever the site's files change.
        #[arg(short, long)]
        watch: bool,
        /// With --watch: poll for changes (for file systems that do not report them).
        #[arg(long, requires = "watch")]
        poll: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Serve the site locally, with drafts, rebuilding and reloading the browser on every change.
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// Port to listen on (0 picks a free one). Without it, 1111, or the next free port of
        /// the ten after it.
        #[arg(short, long)]
        port: Option<u16>,
        /// Address to listen on (0.0.0.0 to let other machines see it).
        #[arg(short, long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes (for file systems that do not report them).
        #[arg(long)]
        poll: bool,
        /// Also answer requests for this host name (repeatable), e.g. a name that points at
        /// this machine; others get 421.
        #[arg(long = "allowed-host", value_name = "NAME")]
        allowed_hosts: Vec<HostName>,
        /// Connection timeouts and cap, for tests: header=30s,idle=60s,keep-alive=15s,connections=N.
        #[arg(long, hide = true, default_value = "")]
        limits: Limits,
    },
    /// Check content, templates and links without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Also check external links over the network (off by default).
        #[arg(long)]
        external: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Start a new briefing in DIR.
    New {
        /// Folder to create (must not exist, or be empty); `.` for the current folder.
        dir: PathBuf,
    },
    /// Explain an error or warning code (E012, W002…): an example and the fix.
    Explain {
        /// The code, as printed in brackets after `error` or `warning`.
        #[arg(value_parser = parse_code)]
        code: Code,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, for `man -l -`) to stdout.
    Man,
}

fn parse_code(text: &str) -> Result<Code, String> {
    Code::parse(text).ok_or_else(|| {
        "no such code (codes are printed in brackets after `error` or `warning`, such as E012; \
         the README's error index lists them)"
            .to_string()
    })
}

/// The `--color` given, read before clap parses so that clap's own messages (and errors about
/// the arguments) follow it too. The last one wins; anything after `--` is not an option.
fn color_arg(args: &[OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        let value = if arg == "--" {
            break;
        } else if arg == "--color" {
            it.next().map(|v| v.into_owned())
        } else {
            arg.strip_prefix("--color=").map(str::to_string)
        };
        match value.as_deref() {
            Some("always") => choice = ColorChoice::Always,
            Some("never") => choice = ColorChoice::Never,
            Some("auto") => choice = ColorChoice::Auto,
            _ => {}
        }
    }
    choice
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let choice = color_arg(&args);
    let matches = Cli::command().color(choice).get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.with_cmd(&Cli::command().color(choice)).exit(),
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, 0) => Verbosity::Normal,
        (false, 1) => Verbosity::Verbose,
        (false, _) => Verbosity::Detailed,
    };
    let ui = |format: MessageFormat, root: &PathBuf| {
        let mut ui = Ui::new(verbosity);
        ui.format = format;
        ui.color = commands::stderr_color(cli.color);
        let human = format == MessageFormat::Human;
        ui.github = human && std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
        ui.progress = human && verbosity != Verbosity::Quiet && std::io::stderr().is_terminal();
        ui.root = root.clone();
        ui
    };
    let code = match cli.command {
        Command::Build {
            site,
            output,
            watch,
            poll,
            format,
        } => {
            let ui = ui(format.message_format, &site.root.root);
            let opts = site.options(output);
            if watch {
                commands::build_watch(&opts, poll, &ui)
            } else {
                commands::build(&opts, &ui)
            }
        }
        Command::Serve {
            root,
            port,
            interface,
            open,
            poll,
            allowed_hosts,
            limits,
        } => {
            let ui = ui(MessageFormat::Human, &root.root);
            commands::serve(
                &ServeOptions {
                    root: root.root,
                    interface,
                    port,
                    open,
                    poll,
                    allowed_hosts,
                    limits,
                },
                ui,
            )
        }
        Command::Check {
            site,
            strict,
            external,
            format,
        } => {
            let ui = ui(format.message_format, &site.root.root);
            commands::check(&site.options(None), strict, external, &ui)
        }
        Command::New { dir } => commands::new(&dir, &ui(MessageFormat::Human, &dir)),
        Command::Explain { code } => commands::explain(code),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "briefing",
                &mut std::io::stdout(),
            );
            0
        }
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    2
                }
            }
        }
    };
    ExitCode::from(code)
}
