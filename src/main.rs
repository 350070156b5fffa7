//! The command line: parse arguments with clap and hand over to `briefing::commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use briefing::build::BuildOptions;
use briefing::commands::{self, Verbosity};

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

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (ROOT/public by default).
    Build {
        #[command(flatten)]
        root: RootArg,
        /// Output folder.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Base URL, overriding `base_url` in site.yaml (e.g. https://example.org/sub/).
        #[arg(short = 'u', long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check content, templates and links without writing anything.
    Check {
        #[command(flatten)]
        root: RootArg,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
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
            root,
            output,
            base_url,
            drafts,
        } => commands::build(
            &BuildOptions {
                root: root.root,
                output,
                base_url,
                drafts,
            },
            verbosity,
        ),
        Command::Check { root, strict } => commands::check(&root.root, strict, verbosity),
        Command::New { dir } => commands::new(&dir, verbosity),
    };
    ExitCode::from(code)
}
