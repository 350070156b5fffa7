//! The code each fuzz target runs on one input. Shared, through `#[path]`, by the cargo-fuzz
//! targets in `fuzz/fuzz_targets/` and by `tests/fuzz_replay.rs`, which replays the corpus and
//! the saved regressions under a plain `cargo test`; so both run exactly the same code.
//!
//! Every function here may return errors (they are rendered and dropped); only a panic, a hang
//! or running out of memory is a finding.

#![allow(dead_code)]

use std::collections::HashMap;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};

use briefing::diagnostics::{self, Code, Diagnostic, Diagnostics};
use briefing::load::{frontmatter, records};
use briefing::parse::yaml;
use briefing::render::{markdown, search};

/// Content-relative paths, one for each kind of record (and a plain page).
pub const PAGE_PATHS: &[&str] = &[
    "notes/a.md",
    "talks/a.md",
    "parties/a.md",
    "people/a.md",
    "topics/a.md",
];

/// Data files the same text is read as: the two typed ones and a free-form one.
pub const DATA_PATHS: &[&str] = &["sources.yaml", "timeline.yaml", "data/extra.yaml"];

/// Render a diagnostic both ways (plain and coloured), as `commands.rs` would print it.
fn show(d: &Diagnostic) {
    std::hint::black_box(diagnostics::render(d, false));
    std::hint::black_box(diagnostics::render(d, true));
    std::hint::black_box(d.to_string());
}

/// Target `frontmatter`: bytes → UTF-8 → front matter split → typed front matter for every kind
/// of page; the same text as each data file; every diagnostic rendered.
pub fn frontmatter(data: &[u8]) {
    let text = match briefing::parse::decode_utf8(Path::new("content/notes/a.md"), data.to_vec()) {
        Ok(t) => t,
        Err(d) => {
            show(&d);
            return;
        }
    };

    for rel in PAGE_PATHS {
        let path = PathBuf::from("content").join(rel);
        let split = match frontmatter::split(&path, &text) {
            Ok(s) => s,
            Err(d) => {
                show(&d);
                continue;
            }
        };
        let origin = yaml::Origin {
            file: &path,
            file_text: &text,
            offset: split.yaml_start,
        };
        match records::parse_front(rel, &text[split.yaml_start..split.yaml_end], origin) {
            Ok(front) => {
                let c = front.common();
                std::hint::black_box((c.title, c.date, c.tags, front.kind()));
            }
            Err(ds) => {
                for d in ds {
                    show(&d);
                }
            }
        }
        // What the model does to place a wrong reference: search the page for a token.
        if let Some(word) = text.split_whitespace().nth(1)
            && let Some(at) = records::locate_value(&text, word, 0)
                .or_else(|| records::locate_token(&text, word, 0))
        {
            show(
                &Diagnostic::new(Code::UnknownReference, "token")
                    .in_file(&path)
                    .at_offset(&text, at)
                    .span(word.chars().count()),
            );
        }
    }

    let files = DATA_PATHS
        .iter()
        .map(|rel| {
            (
                rel.to_string(),
                PathBuf::from("content").join(rel),
                text.clone(),
            )
        })
        .collect();
    let mut diags = Diagnostics::new();
    let data = records::parse_data_files(files, &mut diags);
    std::hint::black_box((data.sources.len(), data.timeline.len(), data.other.len()));
    for d in diags.iter() {
        show(d);
    }
    std::hint::black_box(diagnostics::render_all(&diags, false));
}

/// Target `markdown`: bytes (lossily decoded) → Markdown → HTML, trusted and sanitized, block
/// and inline; then search text, citation stripping, and problems rendered as diagnostics the
/// way `render/mod.rs` places them.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    let mut targets = HashMap::new();
    for (content, site) in [
        ("_index.md", ""),
        ("people/rustem-umerov.md", "people/rustem-umerov/"),
        ("talks/istanbul-2025-05-16.md", "talks/istanbul-2025-05-16/"),
        ("notes/_index.md", "notes/"),
        ("notes/a.md", "notes/a/"),
        ("notes/map.png", "notes/map.png"),
        ("notes/sub/b.md", "notes/sub/b/"),
    ] {
        targets.insert(content.to_string(), site.to_string());
    }
    let mut sources = HashMap::new();
    sources.insert("reuters-2025-05-16".to_string(), 0);
    sources.insert("ap-2025-05-16".to_string(), 1);
    sources.insert("kyiv-independent".to_string(), 2);

    for (inline, sanitize, dir, base_path) in [
        (false, false, "notes", "/"),
        (true, false, "", "/sub/"),
        (false, true, "notes/sub", "/sub/"),
        (true, true, "talks", "/"),
    ] {
        let resolver = markdown::Resolver {
            targets: &targets,
            sources: &sources,
            base_path,
            sanitize,
            anchor_label: markdown::ANCHOR_LABEL.into(),
            cite_label: markdown::CITE_LABEL.into(),
        };
        let mut citer = markdown::Citer::default();
        let mut problems = Vec::new();
        let md = markdown::render(text, dir, &resolver, &mut citer, &mut problems, inline);

        std::hint::black_box(search::clip_to(&search::plain_text(&md.html), 300));
        // What the search index makes of a page: its text, and that text's terms.
        let text = search::page_text(&format!("<main>{}</main>", md.html));
        std::hint::black_box(search::terms(&text));
        std::hint::black_box(markdown::strip_cites(&md.html));
        if let Some(summary) = &md.summary {
            std::hint::black_box(search::plain_text(&markdown::strip_cites(summary)));
        }
        std::hint::black_box((&md.toc, &md.anchors, &md.links, &citer.cited));

        // As `render/mod.rs` places a problem: the body starts after a front matter.
        let front = "---\ntitle: A\n---\n";
        let file_text = format!("{front}{text}");
        for p in problems {
            let mut d = Diagnostic::new(p.code, p.message)
                .in_file("content/notes/a.md")
                .at_offset(&file_text, front.len() + p.offset)
                .span(p.len);
            if let Some(h) = p.hint {
                d = d.hint(h);
            }
            show(&d);
        }
    }
}

/// Whether a panic was raised inside the YAML library. `parse::yaml::parse` catches those on
/// purpose (serde_yaml 0.9 is unmaintained and has known panics) and turns them into a
/// diagnostic, so they are not findings. A panic anywhere else — including in briefing's own
/// `Deserialize` code called by serde_yaml — is.
pub fn yaml_library_panic(info: &PanicHookInfo<'_>) -> bool {
    info.location().is_some_and(|l| {
        let f = l.file();
        f.contains("serde_yaml") || f.contains("unsafe-libyaml")
    })
}

/// For the fuzz targets: libfuzzer-sys installs a hook that aborts on any panic, before it
/// unwinds. Let the YAML library's panics unwind to `parse::yaml::parse`'s `catch_unwind`, and
/// keep the abort (with its backtrace at the panic) for everything else.
pub fn install_fuzz_panic_hook() {
    let abort_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !yaml_library_panic(info) {
            abort_hook(info);
        }
    }));
}
