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

/// A site that sanitizes raw HTML, otherwise [`briefing_site`].
fn sanitized_site() -> Site {
    briefing_site().file(
        "site.yaml",
        "title: Test briefing\nbase_url: https://example.org/\ndisplay_timezones: [UTC]\nraw_html: sanitize\n",
    )
}

// --- raw_html: sanitize — elements that would swallow the rest of the page ---------------------

#[test]
fn an_unclosed_element_that_would_swallow_the_page_is_a_warning_and_the_text_is_kept() {
    for tag in [
        "script",
        "style",
        "template",
        "textarea",
        "title",
        "noscript",
        "plaintext",
    ] {
        let site = sanitized_site().file(
            "content/notes/b.md",
            format!(
                "---\ntitle: B\n---\n\nIntro <{tag}>stray.\n\nThe rest of the page, **in bold**.\n\n## Later\n"
            ),
        );
        let r = site.build();
        r.code(0);
        assert!(r.errors().is_empty(), "<{tag}>: {}", r.stderr);
        let w = warnings(&r);
        assert_eq!(w.len(), 1, "<{tag}>: one warning:\n{}", r.stderr);
        assert!(
            w[0].0.contains(&format!("<{tag}>")),
            "<{tag}>: {}",
            r.stderr
        );
        assert_eq!(
            w[0].1.as_deref(),
            Some("content/notes/b.md:5:7"),
            "<{tag}>: {}",
            r.stderr
        );
        let page = site.read_out("notes/b/index.html");
        // The page's body (the layout has a `<title>` of its own).
        let page = &page[page.find("<main").expect("a main element")..];
        assert!(
            page.contains("<p>The rest of the page, <strong>in bold</strong>.</p>"),
            "<{tag}>: the rest of the page is kept, as HTML:\n{page}"
        );
        assert!(page.contains("<h2 id=\"later\">"), "<{tag}>: {page}");
        assert!(page.contains("Intro stray."), "<{tag}>: {page}");
        assert!(!page.contains(&format!("<{tag}>")), "<{tag}>: {page}");
    }
}

#[test]
fn a_closed_script_is_removed_without_a_warning() {
    let site = sanitized_site().file(
        "content/notes/b.md",
        "---\ntitle: B\n---\n\nIntro <script>alert(1)</script> and <textarea>kept</textarea>.\n\n<style>\np { color: red }\n</style>\n\nThe rest.\n",
    );
    let r = site.build();
    r.code(0);
    assert!(
        r.errors().is_empty() && warnings(&r).is_empty(),
        "{}",
        r.stderr
    );
    let page = site.read_out("notes/b/index.html");
    assert!(page.contains("Intro  and kept."), "{page}");
    assert!(page.contains("<p>The rest.</p>"), "{page}");
    assert!(
        !page.contains("alert") && !page.contains("color: red"),
        "{page}"
    );
}

#[test]
fn a_stray_element_in_a_quote_or_a_heading_is_located_where_it_is_written() {
    let site = sanitized_site().file(
        "content/notes/b.md",
        "---\ntitle: B\n---\n\n> Quoted\n> <TITLE lang=\"en\">\n\n## A <style> heading\n\nThe rest.\n",
    );
    let r = site.build();
    r.code(0);
    let mut w = warnings(&r);
    w.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(w.len(), 2, "{}", r.stderr);
    assert_eq!(
        w[0].1.as_deref(),
        Some("content/notes/b.md:6:3"),
        "{}",
        r.stderr
    );
    assert!(w[0].0.contains("<title>"), "{}", r.stderr);
    assert_eq!(
        w[1].1.as_deref(),
        Some("content/notes/b.md:8:6"),
        "{}",
        r.stderr
    );
    assert!(w[1].0.contains("<style>"), "{}", r.stderr);
    let page = site.read_out("notes/b/index.html");
    assert!(page.contains("<p>The rest.</p>"), "{page}");
    assert!(page.contains("A  heading"), "{page}");
}

#[test]
fn a_summary_cut_inside_a_raw_element_closes_it_in_listings() {
    // Trusted mode: the element is closed later in the page, but the summary (the first
    // paragraph) ends inside it; in a listing it would swallow everything after it.
    let site = briefing_site().file(
        "content/notes/aardvark.md",
        "---\ntitle: Aardvark\n---\n\nIntro <script>var x = 1;\n\nmore</script> rest.\n",
    );
    let r = site.build();
    r.code(0);
    let listing = site.read_out("notes/index.html");
    let open = listing
        .find("Intro <script>")
        .expect("the summary is listed");
    let next = listing[open..]
        .find("Note A")
        .expect("the next entry is listed")
        + open;
    assert!(
        listing[open..next].contains("</script>"),
        "the summary's script is closed before the next entry:\n{listing}"
    );
}

// --- raw_html: sanitize — the nesting limit ------------------------------------------------------

#[test]
fn markdown_nested_past_the_limit_is_an_error_at_its_line() {
    let site = sanitized_site();
    site.write(
        "content/notes/deep.md",
        "---\ntitle: Deep\n---\n\nShallow.\n",
    );
    site.build_ok();
    let before = common::tree(&site.public());
    site.write(
        "content/notes/deep.md",
        format!(
            "---\ntitle: Deep\n---\n\nIntro.\n\n{} deep\n",
            ">".repeat(2000)
        ),
    );
    let r = site.build();
    r.code(1).error_count(1);
    r.error("nested more than 100 levels")
        .at("content/notes/deep.md:7:101")
        .hint("100");
    common::assert_same_tree(&before, &common::tree(&site.public()), "no output written");
}

#[test]
fn raw_html_nested_past_the_limit_is_an_error_at_its_line() {
    let site = sanitized_site().file(
        "content/notes/deep.md",
        format!(
            "---\ntitle: Deep\n---\n\nIntro.\n\n{}\n",
            "<div>".repeat(2000)
        ),
    );
    let r = site.build();
    r.code(1).error_count(1);
    r.error("nested more than 100 levels")
        .at("content/notes/deep.md:7:501");
    // Markdown and HTML nesting add up: 60 quotes around 60 `<div>`s.
    let site = sanitized_site().file(
        "content/notes/deep.md",
        format!(
            "---\ntitle: Deep\n---\n\n{} {}\n",
            ">".repeat(60),
            "<div>".repeat(60)
        ),
    );
    let r = site.build();
    r.code(1).error_count(1);
    r.error("nested more than 100 levels")
        .in_file("content/notes/deep.md");
}

#[test]
fn nesting_within_the_limit_builds_and_trusted_mode_has_no_limit() {
    // Closed and self-closed elements, unclosed list items and cells, and paragraphs do not
    // pile up.
    let mut body = String::new();
    for _ in 0..300 {
        body.push_str("<p>Para <span>unclosed\n\n");
    }
    body.push_str("<table>\n");
    for _ in 0..300 {
        body.push_str("<tr><td>a<td>b\n");
    }
    body.push_str("</table>\n\n<ul>\n");
    for _ in 0..300 {
        body.push_str("<li>item <br/> <img alt=\"x\"/> <hr>\n");
    }
    body.push_str("</ul>\n\n");
    body.push_str(&format!("{} deep\n", ">".repeat(90)));
    let site = sanitized_site().file(
        "content/notes/wide.md",
        format!("---\ntitle: Wide\n---\n\n{body}"),
    );
    let r = site.build();
    r.code(0);
    assert!(r.errors().is_empty(), "{}", r.stderr);

    let site = briefing_site().file(
        "content/notes/deep.md",
        format!("---\ntitle: Deep\n---\n\n{} deep\n", ">".repeat(2000)),
    );
    site.build_ok();
}

/// With `raw_html: allow` (the default) raw HTML is the author's, and passes through as it is;
/// but a `<!--` never closed comments out the rest of the page (the footer, the reload script
/// of `serve`): a warning at its line. A closed comment is fine.
#[test]
fn an_unclosed_comment_in_allow_mode_is_a_warning_at_its_line() {
    let site = briefing_site().file(
        "content/notes/b.md",
        "---\ntitle: B\n---\n\nIntro <!-- fine --> text.\n\n<!-- draft note, never closed\n\nThe rest.\n",
    );
    let r = site.build();
    r.code(0);
    let w = warnings(&r);
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].0.contains("`<!--` is never closed"), "{}", r.stderr);
    assert_eq!(
        w[0].1.as_deref(),
        Some("content/notes/b.md:7:1"),
        "{}",
        r.stderr
    );
    common::run(site.cmd("check", &["--strict"])).code(1);
}
