//! Build script: put the git commit and its date into `--version` when built from a git
//! checkout (`0.1.0 (abc1234 2026-12-01)`); plain `0.1.0` without git or outside a checkout
//! (a crate from crates.io, a source tarball).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let described = git(&["log", "-1", "--format=%h %cs"]).map(|s| format!("{version} ({s})"));
    println!(
        "cargo:rustc-env=BRIEFING_VERSION={}",
        described.as_deref().unwrap_or(version)
    );
    // Run again when HEAD moves (a commit, a checkout) but not on every build.
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(refs) = git(&["rev-parse", "--symbolic-full-name", "HEAD"])
        && let Some(path) = git(&["rev-parse", "--git-path", &refs])
    {
        println!("cargo:rerun-if-changed={path}");
    }
    if let Some(packed) = git(&["rev-parse", "--git-path", "packed-refs"]) {
        println!("cargo:rerun-if-changed={packed}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
