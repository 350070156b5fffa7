//! The command line: parse arguments with clap and hand over to `briefing::commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use briefing::build::BuildOptions;
use briefing::commands::{self, Verbosity};
use briefing::serve::ServeOptions;
use briefing::serve::connections::Limits;
use briefing::serve::hosts::HostName;

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Build briefing pages on live negotiations as a static site"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what is done.
    #[arg(short, long, global = true)]
    verbose: bool,
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
    },
    /// Serve the site locally, with drafts, rebuilding and reloading the browser on every change.
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
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
    },
    /// Start a new briefing in DIR.
    New {
        /// Folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let code = match cli.command {
        Command::Build {
            site,
            output,
            watch,
            poll,
        } => {
            let opts = site.options(output);
            if watch {
                commands::build_watch(&opts, poll, verbosity)
            } else {
                commands::build(&opts, verbosity)
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
        } => commands::serve(
            &ServeOptions {
                root: root.root,
                interface,
                port,
                open,
                poll,
                allowed_hosts,
                limits,
            },
            verbosity,
        ),
        Command::Check {
            site,
            strict,
            external,
        } => commands::check(&site.options(None), strict, external, verbosity),
        Command::New { dir } => commands::new(&dir, verbosity),
    };
    ExitCode::from(code)
}
