//! Whole-CLI runs on what the Markdown renderer owns: summaries shown away from their page, and
//! `raw_html: sanitize` (stray elements that would swallow the rest of a page, the nesting
//! limit).

mod common;

use common::{Run, Site, briefing_site, hrefs};

/// The warnings printed, as (message, locus).
fn warnings(r: &Run) -> Vec<(String, Option<String>)> {
    common::diagnostics(&r.stderr)
        .into_iter()
        .filter(|d| d.level == "warning")
        .map(|d| (d.message, d.locus))
        .collect()
}

// --- Summaries ----------------------------------------------------------------------------------

#[test]
fn a_footnote_in_the_first_paragraph_stays_out_of_listings() {
    let site = briefing_site().file(
        "content/notes/b.md",
        "---\ntitle: Note B\ntags: [alpha]\n---\n\nTalks began[^1] on Friday.\n\nMore.\n\n[^1]: In Istanbul.\n",
    );
    let r = site.build();
    r.code(0);
    assert!(
        r.errors().is_empty() && warnings(&r).is_empty(),
        "{}",
        r.stderr
    );
    // The page keeps its footnote, linked both ways.
    let page = site.read_out("notes/b/index.html");
    assert!(page.contains("footnote-reference"), "{page}");
    assert!(page.contains("In Istanbul."), "{page}");
    // The listings show the summary without the reference (and without the note).
    for listing in ["notes/index.html", "tags/alpha/index.html"] {
        let html = site.read_out(listing);
        assert!(
            html.contains("Talks began on Friday."),
            "{listing} shows the summary:\n{html}"
        );
        assert!(
            !html.contains("footnote"),
            "{listing} carries a footnote:\n{html}"
        );
        assert!(
            !hrefs(&html).iter().any(|h| h == "#1"),
            "{listing} links to a footnote it does not have:\n{html}"
        );
    }
}

#[test]
fn a_summary_before_more_drops_footnote_references_and_definitions() {
    let site = briefing_site().file(
        "content/notes/b.md",
        "---\ntitle: Note B\n---\n\nOne[^a].\n\n[^a]: The note.\n\nTwo.\n\n<!-- more -->\n\nThree.\n",
    );
    let r = site.build();
    r.code(0);
    assert!(
        r.errors().is_empty() && warnings(&r).is_empty(),
        "{}",
        r.stderr
    );
    let html = site.read_out("notes/index.html");
    assert!(html.contains("One."), "{html}");
    assert!(html.contains("Two."), "{html}");
    assert!(!html.contains("The note."), "{html}");
    assert!(!html.contains("footnote"), "{html}");
}
