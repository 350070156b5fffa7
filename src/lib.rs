//! briefing: a static site generator for briefing pages on live negotiations.
//!
//! The build is a pipeline, one module per stage, data flowing one way:
//! [`load`] (read files, parse front matter and YAML) → [`model`] (URLs, sections, tags,
//! resolved references) → [`render`] (Markdown and templates to HTML in memory, link check) →
//! [`output`] (atomic write). [`build`] runs the pipeline; [`commands`] prints what happened;
//! [`serve`] previews the site from memory while it is edited.
//! See ARCHITECTURE.md.

// Diagnostics travel in `Result::Err` and are only built on the failure path; boxing them
// everywhere would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub(crate) mod i18n;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
