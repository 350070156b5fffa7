//! `briefing new DIR`: a minimal briefing in the current content format that builds cleanly.
//!
//! It has one talk, two parties, a person, a topic, a statement and a source, so every kind of
//! record and reference is shown once. It refuses a folder that exists and is not empty.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

const FILES: &[(&str, &str)] = &[
    (".gitignore", "public/\n"),
    (
        "site.yaml",
        "title: New briefing\n\
         description: What is being negotiated, by whom, and on whose reporting.\n\
         language: en\n\
         # base_url: https://example.org/briefing/\n\
         display_timezones: [UTC]\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: New briefing\n---\n\nOne paragraph on what this briefing follows [@example-source].\n",
    ),
    (
        "content/sources.yaml",
        "- id: example-source\n  publisher: Example News Agency\n  title: Talks open in Geneva\n  url: https://example.org/news/talks-open\n  published: 2025-01-10\n  language: en\n",
    ),
    (
        "content/talks/first-round.md",
        "---\ntitle: First round of talks\nstatus: scheduled\nvenue:\n  name: Palais des Nations\n  city: Geneva\n  country: Switzerland\n  timezone: Europe/Zurich\nscheduled_start: 2025-01-15T10:00\nmediators:\n  - party: mediator\ndelegations:\n  - party: party-a\n    head:\n      person: jane-doe\n      title: Foreign Minister\nagenda:\n  - topic: ceasefire\n    proposed_by: party-a\nsources: [example-source]\n---\n\nWhat is expected of this round [@example-source].\n",
    ),
    (
        "content/parties/party-a.md",
        "---\nname: Party A\nkind: state\nroles: [negotiating-party]\nleaders: [jane-doe]\npositions:\n  - topic: ceasefire\n    stance: proposes\n    summary: Wants a ceasefire before anything else.\n    as_of: 2025-01-10\n    sources: [example-source]\n---\n\nBackground on Party A.\n",
    ),
    (
        "content/parties/mediator.md",
        "---\nname: Mediating State\nkind: state\nroles: [mediator, host]\n---\n\nWhy this state mediates.\n",
    ),
    (
        "content/people/jane-doe.md",
        "---\nname: Jane Doe\nparty: party-a\nroles:\n  - title: Foreign Minister\n    organisation: Party A\n    from: 2023-06\n---\n\nWho she is.\n",
    ),
    (
        "content/statements/party-a-sets-out-its-terms.md",
        "---\ntitle: Party A sets out its terms\nparty: party-a\nspeaker: jane-doe\ndate: 2025-01-12\ntopics: [ceasefire]\ntalk: first-round\nsources: [example-source]\n---\n\nWhat was said, or a summary of it [@example-source].\n",
    ),
    (
        "content/topics/ceasefire.md",
        "---\ntitle: Ceasefire\n---\n\nWhat a ceasefire would mean here.\n",
    ),
];

/// Write the scaffold into `dir`.
pub fn create(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .map_err(|e| {
                Diagnostic::new(Code::Io, format!("cannot read `{}`: {e}", dir.display()))
            })?;
        if !empty {
            return Err(Diagnostic::new(
                Code::FolderNotEmpty,
                format!("`{}` exists and is not empty", dir.display()),
            )
            .hint("choose a new folder name"));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::new(
                    Code::Io,
                    format!("cannot create `{}`: {e}", parent.display()),
                )
            })?;
        }
        std::fs::write(&path, text).map_err(|e| {
            Diagnostic::new(Code::Io, format!("cannot write `{}`: {e}", path.display()))
        })?;
    }
    Ok(())
}
