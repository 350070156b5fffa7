//! `briefing new DIR`: a minimal briefing in the current content format that builds cleanly.
//!
//! It has one talk between two negotiating parties (so two delegations) with a mediator, their
//! two people, a topic, a statement, a source and a timeline, so every kind of record and
//! reference is shown; comments list the allowed values of `status`, `stance` and `kind`. It refuses a folder that exists and is not empty.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

const FILES: &[(&str, &str)] = &[
    (".gitignore", "public/\n"),
    (
        "site.yaml",
        "title: New briefing\n\
         description: What is being negotiated, by whom, and on whose reporting.\n\
         language: en\n\
         # Set before publishing: absolute links (canonical URLs, the feed) need it.\n\
         # base_url: https://example.org/briefing/\n\
         display_timezones: [UTC]\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: New briefing\n---\n\nOne paragraph on what this briefing follows [@example-source].\n",
    ),
    (
        "content/sources.yaml",
        "# Every claim cites one of these by id: [@example-source] in the text, `sources:` in records.\n\
         - id: example-source\n  publisher: Example News Agency\n  title: Talks open in Geneva\n  url: https://example.org/news/talks-open\n  published: 2025-01-10\n  language: en\n",
    ),
    (
        "content/timeline.yaml",
        "# Events, oldest first. `date` is a day (2025-01-08), a month (2025-01) or a time with its\n\
         # zone (2025-01-08T09:00[Europe/Zurich]); parties, people, topics, talks and sources\n\
         # are lists of ids.\n\
         - date: 2025-01-08\n  title: Both parties accept the mediator's invitation\n  parties: [party-a, party-b, mediator]\n  talks: [first-round]\n  sources: [example-source]\n",
    ),
    (
        "content/talks/first-round.md",
        "---\ntitle: First round of talks\n\
         # status: scheduled, postponed, under-way, concluded or cancelled\n\
         status: scheduled\n\
         venue:\n  name: Palais des Nations\n  city: Geneva\n  country: Switzerland\n  timezone: Europe/Zurich\n\
         scheduled_start: 2025-01-15T10:00\n\
         mediators:\n  - party: mediator\n\
         # One delegation per negotiating party.\n\
         delegations:\n  - party: party-a\n    head:\n      person: jane-doe\n      title: Foreign Minister\n  - party: party-b\n    head:\n      person: john-roe\n      title: Chief Negotiator\n\
         agenda:\n  - topic: ceasefire\n    proposed_by: party-a\n\
         sources: [example-source]\n---\n\nWhat is expected of this round [@example-source].\n",
    ),
    (
        "content/parties/party-a.md",
        "---\nname: Party A\n\
         # kind: state or organisation\n\
         kind: state\n\
         # roles: negotiating-party, mediator, host\n\
         roles: [negotiating-party]\nleaders: [jane-doe]\n\
         positions:\n  - topic: ceasefire\n\
         \x20   # stance: demands, proposes, supports, conditional or rejects\n\
         \x20   stance: proposes\n    summary: Wants a ceasefire before anything else.\n    as_of: 2025-01-10\n    sources: [example-source]\n---\n\nBackground on Party A.\n",
    ),
    (
        "content/parties/party-b.md",
        "---\nname: Party B\n\
         # kind: state or organisation\n\
         kind: organisation\n\
         roles: [negotiating-party]\nleaders: [john-roe]\n\
         positions:\n  - topic: ceasefire\n\
         \x20   # stance: demands, proposes, supports, conditional or rejects\n\
         \x20   stance: conditional\n    summary: Would accept a ceasefire once prisoners are exchanged.\n    as_of: 2025-01-10\n    sources: [example-source]\n---\n\nBackground on Party B.\n",
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
        "content/people/john-roe.md",
        "---\nname: John Roe\nparty: party-b\n---\n\nWho he is.\n",
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
pub(crate) fn create(dir: &Path) -> Result<(), Diagnostic> {
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
