//! Markdown to HTML with pulldown-cmark, plus what briefings need on top.
//!
//! - Every heading gets a unique, stable id and a self-link; the headings form a table of contents.
//! - A summary: text before `<!-- more -->`, else the first paragraph.
//! - `[@source-id]` (or `[@a; @b]`) becomes a numbered citation linking to the page's source list.
//! - `@/people/x.md#anchor` links become the target's URL; links relative to the file
//!   (`map.png`, `../people/x.md`) are resolved against the content folder; root-relative
//!   links (`/images/map.png`) are put under the base path.
//! - External links get `rel="noopener"`.
//! - With `raw_html: sanitize`, raw HTML is followed the way the HTML parser will read it: an
//!   element never closed that would swallow the rest of the text (`<script>`, `<textarea>`,
//!   `<template>`, a comment…) is left out with a warning, and nesting past [`MAX_NESTING`] is
//!   an error (the sanitizer's time grows with the depth). A summary, shown away from its text,
//!   drops footnotes and closes what its cut leaves open.
//!
//! Problems (an unknown source, a link to a missing file) are returned with byte offsets into
//! the Markdown text, and their severity, so the caller can place them in the file.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

#[cfg(test)]
use crate::diagnostics::Severity;
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::model::urls::slugify;

/// The extensions every Markdown text is rendered with (also used by the benchmark floor).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Plain text with the smart punctuation Markdown bodies get — curly quotes and apostrophes,
/// en and em dashes, ellipses — by the same parser and rules, and nothing else of Markdown:
/// every other ASCII punctuation is escaped first, so `*`, `[`, `<`, `&` or `#` stay as written.
pub(crate) fn smart(text: &str) -> String {
    if nothing_to_smarten(text) {
        return text.to_string();
    }
    smart_parsed(text)
}

/// Whether [`smart`] gives `text` back as it is without parsing it: it has no quote, no `--`
/// and no `...` for the parser to change, and no line break or trailing space the parse would
/// move (the common case: a title, a name, a publisher).
fn nothing_to_smarten(text: &str) -> bool {
    !text.contains(['\'', '"', '\n', '\r'])
        && !text.contains("--")
        && !text.contains("...")
        && text.trim_end().len() == text.len()
}

/// [`smart`] through the parser.
fn smart_parsed(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    let lead = text.len() - text.trim_start().len();
    let body = &text[lead..];
    let mut src = String::with_capacity(body.len() + 16);
    for (n, line) in body.split('\n').enumerate() {
        if n > 0 {
            src.push('\n');
        }
        let line = line.trim_start();
        // A line that would start a list (`- x`, `+ x`, `1. x`) or a rule stays text.
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        for (i, c) in line.char_indices() {
            let list_dash = i == 0 && c == '-' && !line.starts_with("--");
            let list_dot = digits > 0 && i == digits && c == '.' && !line[i..].starts_with("..");
            if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.')
                || list_dash
                || list_dot
            {
                src.push('\\');
            }
            src.push(c);
        }
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..lead]);
    for ev in Parser::new_ext(&src, Options::ENABLE_SMART_PUNCTUATION) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    // Whatever the parser still read as structure (a line of dashes) is given back as written.
    if out.trim().chars().count() < body.trim().chars().count() / 2 {
        return text.to_string();
    }
    out
}

/// Rendered HTML with every heading one level lower (`<h2>` → `<h3>`, up to `<h6>`, which
/// stays), for a body placed under a heading of the page's own. Text and attribute values
/// never hold a raw `<h2` (they are escaped), so tags are found by their start.
pub(crate) fn nest_headings(html: &str) -> String {
    let b = html.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let h = i + 1 + usize::from(b.get(i + 1) == Some(&b'/'));
            if b.get(h) == Some(&b'h')
                && let Some(&d @ b'1'..=b'5') = b.get(h + 1)
                && matches!(b.get(h + 2), Some(b'>' | b' ' | b'\n' | b'\t'))
            {
                out.extend_from_slice(&b[i..=h]);
                out.push(d + 1);
                i = h + 2;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    // Only ASCII digits were replaced by ASCII digits: the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| html.to_string())
}

/// A heading, for the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What rendering produced.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// HTML of the summary (before `<!-- more -->`, else the first paragraph).
    pub summary: Option<String>,
    /// Ids defined in the HTML (headings, footnotes), for the link checker.
    pub anchors: Vec<String>,
    /// Every link and image URL written, with the byte offset of its source in the text.
    pub links: Vec<(String, usize)>,
}

/// A problem found while rendering, at a byte range of the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub hint: Option<String>,
    /// What kind of problem; most are errors, some (raw HTML the sanitizer would have
    /// swallowed, now kept) are warnings.
    pub code: Code,
}

impl Problem {
    /// A diagnostic with the problem's severity, message and hint, for the caller to place.
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::new(self.code, self.message.clone());
        match &self.hint {
            Some(h) => d.hint(h.clone()),
            None => d,
        }
    }
}

/// Numbers the sources a page cites, in order of first citation, and remembers each citation's
/// anchor so the source list can link back.
///
/// A source's number is found through an index (source id → its place in `cited`), so citing
/// costs the same however many sources the page already cites. `cited` may be read freely and
/// pushed to (the index takes new entries in on the next lookup) but not otherwise changed in
/// place; [`Citer::list`] and [`Citer::contains`] do in O(1) what a search of it would.
#[derive(Debug, Clone, Default)]
pub struct Citer {
    /// (source id, anchors of its citations) in citation order.
    pub cited: Vec<(String, Vec<String>)>,
    /// Every citation made, in order (ids may repeat).
    pub(crate) log: Vec<String>,
    /// Source id → its first place in `cited`, for the entries `cited[..indexed]`.
    index: HashMap<String, usize>,
    indexed: usize,
    /// Entries of `cited` looked at to number citations (for the unit tests).
    #[cfg(test)]
    examined: usize,
}

impl Citer {
    /// Take entries pushed onto `cited` since the last lookup into the index (each once).
    fn sync(&mut self) {
        if self.indexed > self.cited.len() {
            // `cited` was shortened by hand: start again.
            self.index.clear();
            self.indexed = 0;
        }
        for (i, (id, _)) in self.cited.iter().enumerate().skip(self.indexed) {
            #[cfg(test)]
            {
                self.examined += 1;
            }
            self.index.entry(id.clone()).or_insert(i);
        }
        self.indexed = self.cited.len();
    }

    /// The place of `id` in `cited`, if it is there.
    fn position(&mut self, id: &str) -> Option<usize> {
        self.sync();
        #[cfg(test)]
        {
            self.examined += 1;
        }
        self.index.get(id).copied()
    }

    /// Cite `id`; returns (number, anchor of this citation).
    pub(crate) fn cite(&mut self, id: &str) -> (usize, String) {
        let n = match self.position(id) {
            Some(i) => i,
            None => self.push(id),
        };
        let anchor = format!("cite-{}-{}", slugify(id), self.cited[n].1.len() + 1);
        self.cited[n].1.push(anchor.clone());
        self.log.push(id.to_string());
        (n + 1, anchor)
    }

    /// Append `id` to `cited` (not there yet) and index it; returns its place.
    fn push(&mut self, id: &str) -> usize {
        let i = self.cited.len();
        self.cited.push((id.to_string(), Vec::new()));
        self.index.insert(id.to_string(), i);
        self.indexed = self.cited.len();
        i
    }

    /// Whether `id` is in the page's source list (cited, or listed without a mark).
    #[cfg(test)]
    pub(crate) fn contains(&mut self, id: &str) -> bool {
        self.position(id).is_some()
    }

    /// Put `id` in the page's source list without a mark in the text, unless it is there.
    pub(crate) fn list(&mut self, id: &str) {
        if self.position(id).is_none() {
            self.push(id);
        }
    }

    /// The HTML of a citation mark for `id`; `label` is its `aria-label` in the page's
    /// language, `{n}` standing for its number ([`CITE_LABEL`] in English).
    pub(crate) fn mark(&mut self, id: &str, label: &str) -> String {
        let (n, anchor) = self.cite(id);
        let label = label.replace("{n}", &n.to_string());
        let mut escaped = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut escaped, &label);
        format!(
            "<sup class=\"cite\" id=\"{anchor}\"><a href=\"#src-{}\" aria-label=\"{escaped}\">[{n}]</a></sup>",
            slugify(id)
        )
    }
}

/// What links and citations resolve against.
pub struct Resolver<'a> {
    /// Content path (`people/x.md`, `notes/_index.md`, `notes/map.png`) → site path.
    pub targets: &'a HashMap<String, String>,
    /// Known source ids.
    pub sources: &'a HashMap<String, usize>,
    /// `/` or `/sub/`.
    pub base_path: &'a str,
    /// Clean raw HTML and refuse `javascript:`/`data:` links (`raw_html: sanitize`).
    pub sanitize: bool,
    /// The `aria-label` of a heading's anchor link in the page's language, `{label}` standing
    /// for the heading's text ([`ANCHOR_LABEL`] in English).
    pub anchor_label: String,
    /// The `aria-label` of a citation mark in the page's language, `{n}` standing for its
    /// number ([`CITE_LABEL`] in English).
    pub cite_label: String,
}

/// The English anchor label: the message `section-link-label` with `{label}` for the heading.
pub const ANCHOR_LABEL: &str = "Link to this section: {label}";

/// The English citation label: the message `cite-label` with `{n}` for the number.
pub const CITE_LABEL: &str = "Source {n}";

/// URL schemes refused in sanitized mode.
const UNSAFE_SCHEMES: &[&str] = &["javascript:", "data:", "vbscript:"];

fn unsafe_scheme(url: &str) -> Option<&'static str> {
    let u: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    UNSAFE_SCHEMES.iter().copied().find(|s| u.starts_with(s))
}

/// Clean HTML with ammonia, keeping what briefing itself writes (ids, classes, labels).
pub(crate) fn sanitize(html: &str) -> String {
    thread_local! {
        static CLEANER: ammonia::Builder<'static> = {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["id", "class", "aria-label", "lang", "title"])
                .add_tag_attributes("ol", ["start"])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tags(["input"])
                .link_rel(Some("noopener"))
                .url_schemes(["http", "https", "mailto"].into_iter().collect());
            b
        };
    }
    CLEANER.with(|c| c.clean(html).to_string())
}

impl Resolver<'_> {
    fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path.trim_start_matches('/'))
    }

    /// Resolve a content path (relative to `content/`) to a URL.
    fn content_url(
        &self,
        path: &str,
        fragment: Option<&str>,
    ) -> Result<String, (String, Option<String>)> {
        // An anchor with a place of its own (a source's entry on a split source list's letter
        // page) is keyed `path#fragment`.
        if let Some(f) = fragment
            && let Some(site_path) = self.targets.get(&format!("{path}#{f}"))
        {
            return Ok(format!("{}#{}", self.url(site_path), f));
        }
        match self.targets.get(path) {
            Some(site_path) => Ok(match fragment {
                Some(f) => format!("{}#{}", self.url(site_path), f),
                None => self.url(site_path),
            }),
            None => {
                let files = self.targets.keys().filter(|k| !k.contains('#'));
                let hint = did_you_mean(path, files.map(String::as_str))
                    .map(|b| format!("did you mean `{b}`?"));
                Err((
                    format!("link to `{path}`, which is not a file in content/"),
                    hint,
                ))
            }
        }
    }
}

/// Join `rel` onto the folder `dir` (both relative to `content/`), resolving `.` and `..`.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn is_external(url: &str) -> bool {
    let scheme_end = url.find(':');
    match scheme_end {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && !url[..i].contains('/')
        }
        None => url.starts_with("//"),
    }
}

/// Render `text`. `dir` is the folder of the file it came from, relative to `content/`.
/// With `inline`, a single paragraph is returned without its `<p>` wrapper.
pub fn render(
    text: &str,
    dir: &str,
    resolver: &Resolver<'_>,
    citer: &mut Citer,
    problems: &mut Vec<Problem>,
    inline: bool,
) -> Markdown {
    let mut callback = |link: pulldown_cmark::BrokenLink<'_>| {
        let r = link.reference.trim();
        if r.starts_with('@') {
            let ids: Vec<&str> = r
                .split(';')
                .map(|s| s.trim().trim_start_matches('@').trim())
                .collect();
            if ids
                .iter()
                .all(|s| !s.is_empty() && !s.contains(char::is_whitespace))
            {
                return Some((
                    CowStr::from(format!("cite:{}", ids.join(";"))),
                    CowStr::from(""),
                ));
            }
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(text, options(), Some(&mut callback));

    // About one event per 10 bytes of typical prose: sized once instead of grown.
    let mut out: Vec<Event<'_>> = Vec::with_capacity(text.len() / 10 + 16);
    let mut toc = Vec::new();
    let mut anchors: Vec<String> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    // Headings named like a layout id get a suffix (`## Main` → `main-1`).
    for id in LAYOUT_IDS {
        used_ids.insert((*id).to_string(), 1);
    }
    // Footnote definitions keep their names as ids; headings must not take them.
    // (Only lines holding `[^` can define one; most texts have none.)
    for at in memchr::memmem::find_iter(text.as_bytes(), b"[^") {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[line_start..line_end];
        if let Some(rest) = line.trim_start().strip_prefix("[^")
            && let Some((name, _)) = rest.split_once("]:")
        {
            used_ids.insert(name.to_string(), 1);
        }
    }
    let mut summary_end: Option<usize> = None;
    let mut more_at: Option<usize> = None;
    let mut depth = 0usize;
    // Inside a heading: (level, explicit id, classes, collected events, plain text).
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut skip_cite_text = 0usize;
    let mut links: Vec<(String, usize)> = Vec::new();
    // How deep the Markdown is nested here, the lowest it has been since the last raw HTML,
    // and the raw HTML written (all for the checks of `raw_html`).
    let mut nesting = 0usize;
    let mut low = 0usize;
    let mut raw: Vec<RawAt> = Vec::new();
    let mut too_deep = false;

    for (event, range) in parser.into_offset_iter() {
        match &event {
            // An HTML block is no element of its own.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(_) => {
                nesting += 1;
                if resolver.sanitize && nesting > MAX_NESTING && !too_deep {
                    too_deep = true;
                    problems.push(too_deep_problem(range.start, 1, "Markdown"));
                }
            }
            Event::End(_) => {
                nesting = nesting.saturating_sub(1);
                low = low.min(nesting);
            }
            _ => {}
        }
        if skip_cite_text > 0 {
            match &event {
                Event::Start(Tag::Link { .. }) => skip_cite_text += 1,
                Event::End(TagEnd::Link) => skip_cite_text -= 1,
                _ => {}
            }
            continue;
        }
        // Raw HTML as written (the links and marks made below are ours, and hold no markup
        // that could swallow what follows).
        let is_raw = matches!(event, Event::Html(_) | Event::InlineHtml(_));
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id: _,
            }) => {
                if let Some(ids) = dest_url.strip_prefix("cite:") {
                    let mut html = String::new();
                    for id in ids.split(';') {
                        if resolver.sources.contains_key(id) {
                            html.push_str(&citer.mark(id, &resolver.cite_label));
                        } else {
                            let hint =
                                did_you_mean(id, resolver.sources.keys().map(String::as_str))
                                    .map(|b| format!("did you mean `{b}`?"));
                            let off = text[range.clone()]
                                .find(id)
                                .map_or(range.start, |i| range.start + i);
                            problems.push(Problem {
                                offset: off,
                                len: id.len(),
                                message: format!("unknown source `{id}`"),
                                hint: hint
                                    .or_else(|| Some("add it to content/sources.yaml".into())),
                                code: Code::UnknownReference,
                            });
                        }
                    }
                    skip_cite_text = 1;
                    // A note marker sits against the word it follows ("earlier [1]" → "earlier[1]").
                    match heading.as_mut() {
                        Some(h) => trim_trailing_space(&mut h.3),
                        None => trim_trailing_space(&mut out),
                    }
                    Event::InlineHtml(html.into())
                } else {
                    let (href, external) =
                        resolve_url(&dest_url, dir, resolver, text, range.clone(), problems);
                    links.push((href.clone(), url_offset(text, &range, &dest_url)));
                    let mut html = String::from("<a href=\"");
                    let _ = escape_href(&mut html, &href);
                    html.push('"');
                    if !title.is_empty() {
                        html.push_str(" title=\"");
                        let _ = escape_html(&mut html, &title);
                        html.push('"');
                    }
                    if external && !matches!(link_type, LinkType::Email) {
                        html.push_str(" rel=\"noopener\"");
                    }
                    html.push('>');
                    Event::InlineHtml(html.into())
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (src, _) = resolve_url(&dest_url, dir, resolver, text, range.clone(), problems);
                links.push((src.clone(), url_offset(text, &range, &dest_url)));
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: src.into(),
                    title,
                    id,
                })
            }
            Event::Html(h) | Event::InlineHtml(h) if resolver.sanitize && unsafe_html(&h) => {
                problems.push(Problem {
                    offset: range.start,
                    len: range.len().min(h.len()).max(1),
                    message: "raw HTML with a `javascript:` or `data:` URL is not allowed (raw_html: sanitize)".into(),
                    hint: Some("remove the link, or write it in Markdown with a web address".into()),
                    code: Code::UnsafeHtml,
                });
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) if h.trim() == "<!-- more -->" => {
                if more_at.is_none() && depth <= 1 {
                    more_at = Some(out.len());
                }
                continue;
            }
            other => other,
        };

        // Headings are buffered so their id and text are known before the tag is written.
        if let Some(h) = heading.as_mut() {
            match &event {
                Event::End(TagEnd::Heading(_)) => {
                    let (level, explicit, classes, inner, plain) = heading.take().unwrap_or((
                        HeadingLevel::H2,
                        None,
                        Vec::new(),
                        Vec::new(),
                        String::new(),
                    ));
                    let base = explicit.clone().unwrap_or_else(|| {
                        let s = slugify(&plain);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    });
                    if let Some(given) = &explicit
                        && let Some(problem) =
                            explicit_id_problem(given, &used_ids, range.start, text)
                    {
                        problems.push(problem);
                    }
                    let id = unique_id(&base, &mut used_ids, explicit.is_some());
                    let lvl = level as u8;
                    let has_raw = inner
                        .iter()
                        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    // An id given with `{#…}` is checked above; escaped all the same.
                    let mut tag = format!("<h{lvl} id=\"");
                    let _ = escape_html(&mut tag, &id);
                    tag.push('"');
                    if !classes.is_empty() {
                        tag.push_str(" class=\"");
                        let _ = escape_html(&mut tag, &classes.join(" "));
                        tag.push('"');
                    }
                    let mut label = String::new();
                    let mut parts = resolver.anchor_label.split("{label}");
                    let _ = escape_html(&mut label, parts.next().unwrap_or(""));
                    for part in parts {
                        let _ = escape_html(&mut label, plain.trim());
                        let _ = escape_html(&mut label, part);
                    }
                    let _ = write!(
                        tag,
                        ">{inner_html} <a class=\"anchor\" href=\"#{id}\" aria-label=\"{label}\">#</a></h{lvl}>"
                    );
                    toc.push(TocEntry {
                        level: lvl,
                        id: id.clone(),
                        title: plain.trim().to_string(),
                    });
                    anchors.push(id);
                    tag.push('\n');
                    if has_raw {
                        raw.push(RawAt::new(out.len(), range.clone(), nesting, &mut low));
                    }
                    out.push(Event::Html(tag.into()));
                }
                Event::Text(t) | Event::Code(t) => {
                    h.4.push_str(t);
                    h.3.push(event);
                }
                _ => h.3.push(event),
            }
            continue;
        }

        match &event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => {
                heading = Some((
                    *level,
                    id.as_ref().map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                    String::new(),
                ));
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                anchors.push(name.to_string());
                // A note's paragraphs are not the page's first paragraph.
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Paragraph) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && summary_end.is_none() {
                    summary_end = Some(out.len() + 1);
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if is_raw {
            raw.push(RawAt::new(out.len(), range.clone(), nesting, &mut low));
        }
        out.push(event);
    }

    // Sanitized, leave out the start tags that would swallow the rest of the text (warning at
    // each), and stop at nesting past the limit before the sanitizer spends its time on it.
    if resolver.sanitize && !too_deep && !raw.is_empty() {
        let joined = Joined::new(&out, &raw);
        let scan = scan_raw(&joined, &raw, true);
        if let Some(r) = scan.too_deep {
            too_deep = true;
            let (offset, len) = joined.locate(text, &raw, r);
            problems.push(too_deep_problem(offset, len, "raw HTML"));
        } else if !scan.strays.is_empty() {
            for (r, element) in &scan.strays {
                let (offset, len) = joined.locate(text, &raw, r.clone());
                problems.push(stray_problem(offset, len, element));
            }
            let cuts = scan.strays.into_iter().map(|(r, _)| r).collect();
            joined.remove(&mut out, &raw, cuts);
        }
    } else if !resolver.sanitize && !raw.is_empty() {
        // Trusted HTML passes as written, but a comment left open hides the rest of the page,
        // the layout's footer and scripts with it: say so (nothing is changed).
        let joined = Joined::new(&out, &raw);
        for (r, element) in scan_raw(&joined, &raw, true).strays {
            if element == "!--" {
                let (offset, len) = joined.locate(text, &raw, r);
                problems.push(Problem {
                    offset,
                    len,
                    message: "`<!--` is never closed, so the rest of the page is hidden, its footer and scripts with it".into(),
                    hint: Some("end the comment with `-->`".into()),
                    code: Code::UnclosedHtml,
                });
            }
        }
    }
    if too_deep {
        // The text is an error: nothing of it is published.
        return Markdown {
            html: String::new(),
            toc,
            summary: None,
            anchors,
            links,
        };
    }

    let summary = match (more_at, summary_end) {
        (Some(i), _) => Some(i),
        (None, Some(i)) => Some(i.min(out.len())),
        _ => None,
    }
    .map(|n| {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, without_footnotes(&out[..n]));
        // Shown away from the rest of the text, the summary closes what it leaves open (an
        // element closed later in the text would swallow the rest of a listing).
        let k = raw.partition_point(|r| r.at < n);
        if k > 0 {
            let joined = Joined::new(&out, &raw[..k]);
            s.push_str(&scan_raw(&joined, &raw[..k], false).closers);
        }
        let mut s = if resolver.sanitize { sanitize(&s) } else { s };
        // Kept for listings and feeds to the end of a build: no spare capacity.
        s.shrink_to_fit();
        s
    });
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if resolver.sanitize {
        html = sanitize(&html);
    }
    if inline {
        let t = html.trim_end();
        if let Some(inner) = t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>"))
            && !inner.contains("<p>")
        {
            html = inner.to_string();
        }
    }
    Markdown {
        html,
        toc,
        summary,
        anchors,
        links,
    }
}

/// How deep Markdown and raw HTML may nest with `raw_html: sanitize`. The sanitizer's HTML
/// parser does work in proportion to the depth for each element, so unbounded nesting makes a
/// build take time in the square of a page's size (60,000 nested `>` took 13 s); browsers
/// flatten trees a few hundred deep anyway.
pub(crate) const MAX_NESTING: usize = 100;

fn too_deep_problem(offset: usize, len: usize, what: &str) -> Problem {
    Problem {
        offset,
        len,
        message: format!(
            "{what} nested more than {MAX_NESTING} levels deep (the limit with raw_html: sanitize)"
        ),
        hint: Some(format!(
            "flatten the quotes, lists or elements around here to at most {MAX_NESTING} levels"
        )),
        code: Code::TooDeep,
    }
}

fn stray_problem(offset: usize, len: usize, element: &str) -> Problem {
    if element == "!--" {
        return Problem {
            offset,
            len,
            message: "`<!--` is never closed, so the rest of the page would be hidden (raw_html: sanitize); the `<!--` is left out".into(),
            hint: Some("end the comment with `-->`".into()),
            code: Code::UnclosedHtml,
        };
    }
    let (lost, hint) = match element {
        "script" | "style" | "template" => (
            "the rest of the page would be deleted",
            format!(
                "close it with `</{element}>`, or write `&lt;{element}>` to show the tag as text"
            ),
        ),
        "plaintext" => (
            "the rest of the page would be shown as HTML source",
            "`<plaintext>` can never be closed: remove it (a code block shows text as written)"
                .to_string(),
        ),
        _ => (
            "the rest of the page would be shown as HTML source",
            format!(
                "close it with `</{element}>`, or write `&lt;{element}>` to show the tag as text"
            ),
        ),
    };
    Problem {
        offset,
        len,
        message: format!(
            "`<{element}>` is never closed, so {lost} (raw_html: sanitize); the tag is left out"
        ),
        hint: Some(hint),
        code: Code::UnclosedHtml,
    }
}

/// A raw HTML event of the output: its place in the events, where it was written, the
/// Markdown nesting around it, and the lowest nesting since the raw HTML before it (lower
/// means the Markdown elements that held earlier raw HTML have closed).
struct RawAt {
    at: usize,
    range: std::ops::Range<usize>,
    nesting: usize,
    low: usize,
}

impl RawAt {
    fn new(at: usize, range: std::ops::Range<usize>, nesting: usize, low: &mut usize) -> RawAt {
        let r = RawAt {
            at,
            range,
            nesting,
            low: (*low).min(nesting),
        };
        *low = nesting;
        r
    }
}

/// The raw HTML of a text joined into one string, as the HTML parser meets it: what lies
/// between (our own escaped text and tags) can neither open nor close anything it looks for.
struct Joined {
    html: String,
    /// Where each raw event's text starts in `html`.
    starts: Vec<usize>,
}

fn event_html<'e>(e: &'e Event<'_>) -> &'e str {
    match e {
        Event::Html(h) | Event::InlineHtml(h) => h,
        _ => "",
    }
}

impl Joined {
    fn new(out: &[Event<'_>], raw: &[RawAt]) -> Joined {
        let mut html = String::new();
        let mut starts = Vec::with_capacity(raw.len());
        for r in raw {
            starts.push(html.len());
            html.push_str(event_html(&out[r.at]));
        }
        Joined { html, starts }
    }

    /// The raw event holding position `pos` of `html`.
    fn segment(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    fn segment_end(&self, k: usize) -> usize {
        self.starts.get(k + 1).copied().unwrap_or(self.html.len())
    }

    /// Where the tag at `r` of `html` was written in `text`: (offset, length in characters).
    fn locate(&self, text: &str, raw: &[RawAt], r: std::ops::Range<usize>) -> (usize, usize) {
        let k = self.segment(r.start);
        let tag = &self.html[r.start..r.end.min(self.segment_end(k))];
        let tag = tag.lines().next().unwrap_or(tag);
        let len = tag.chars().count().max(1);
        let range = &raw[k].range;
        // An event's text is usually its source as written; else (a heading, a line of a
        // quote) the tag is looked for in the event's source.
        let at = range.start + (r.start - self.starts[k]);
        if text.get(at..).is_some_and(|s| s.starts_with(tag)) {
            return (at, len);
        }
        match text.get(range.clone()).and_then(|s| s.find(tag)) {
            Some(i) => (range.start + i, len),
            None => (range.start, 1),
        }
    }

    /// Remove the ranges `cuts` of `html` from the events they came from.
    fn remove(&self, out: &mut [Event<'_>], raw: &[RawAt], mut cuts: Vec<std::ops::Range<usize>>) {
        cuts.sort_by_key(|r| r.start);
        // (raw event, range in its text), in order.
        let mut pieces: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for c in cuts {
            let (mut k, mut from) = (self.segment(c.start), c.start);
            while from < c.end && k < raw.len() {
                let to = c.end.min(self.segment_end(k));
                if to > from {
                    pieces.push((k, from - self.starts[k]..to - self.starts[k]));
                }
                from = to;
                k += 1;
            }
        }
        let mut i = 0;
        while i < pieces.len() {
            let k = pieces[i].0;
            let event = &out[raw[k].at];
            let h = event_html(event);
            let mut kept = String::with_capacity(h.len());
            let mut last = 0;
            while i < pieces.len() && pieces[i].0 == k {
                let r = &pieces[i].1;
                kept.push_str(h.get(last..r.start).unwrap_or(""));
                last = r.end;
                i += 1;
            }
            kept.push_str(h.get(last..).unwrap_or(""));
            out[raw[k].at] = match event {
                Event::InlineHtml(_) => Event::InlineHtml(kept.into()),
                _ => Event::Html(kept.into()),
            };
        }
    }
}

/// What [`scan_raw`] found.
#[derive(Default)]
struct RawScan {
    /// Start tags never closed that would swallow all that follows: (range in the joined HTML,
    /// element).
    strays: Vec<(std::ops::Range<usize>, &'static str)>,
    /// The first start tag past [`MAX_NESTING`] (range in the joined HTML).
    too_deep: Option<std::ops::Range<usize>>,
    /// End tags (or `-->`) that close what is still open at the end.
    closers: String,
}

/// Elements whose content the HTML parser reads as text up to their end tag (`plaintext`: to
/// the end of the input).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "textarea",
    "title",
    "plaintext",
];

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "basefont", "bgsound",
];

/// HTML elements that end SVG or MathML content when they start inside it.
const BREAKS_OUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// The open elements the start of `start` ends (the HTML parser's implied end tags: a new
/// paragraph or block ends an open paragraph, a new list item the last item, a new cell the
/// last cell, …): the names it ends, and the names that stop the search for them.
fn implied_ends(start: &str) -> &'static [(&'static [&'static str], &'static [&'static str])] {
    const P: (&[&str], &[&str]) = (
        &["p"],
        &[
            "table", "td", "th", "caption", "button", "object", "template", "applet", "marquee",
        ],
    );
    const LI: (&[&str], &[&str]) = (
        &["li"],
        &["ul", "ol", "menu", "table", "td", "th", "template"],
    );
    const DT: (&[&str], &[&str]) = (&["dt", "dd"], &["dl", "table", "td", "th", "template"]);
    const TD: (&[&str], &[&str]) = (&["td", "th"], &["tr", "table", "template"]);
    const TR: (&[&str], &[&str]) = (&["tr"], &["thead", "tbody", "tfoot", "table", "template"]);
    const TBODY: (&[&str], &[&str]) = (&["thead", "tbody", "tfoot"], &["table", "template"]);
    const OPTION: (&[&str], &[&str]) = (&["option"], &["select", "datalist", "template"]);
    const OPTGROUP: (&[&str], &[&str]) = (&["option", "optgroup"], &["select", "template"]);
    const RUBY: (&[&str], &[&str]) = (&["rb", "rt", "rp", "rtc"], &["ruby", "template"]);
    match start {
        "li" => &[P, LI],
        "dt" | "dd" => &[P, DT],
        "td" | "th" => &[TD],
        "tr" => &[TD, TR],
        "thead" | "tbody" | "tfoot" => &[TD, TR, TBODY],
        "option" => &[OPTION],
        "optgroup" => &[OPTGROUP],
        "rb" | "rt" | "rp" | "rtc" => &[RUBY],
        "p" | "div" | "ul" | "ol" | "dl" | "table" | "blockquote" | "pre" | "h1" | "h2" | "h3"
        | "h4" | "h5" | "h6" | "section" | "article" | "aside" | "nav" | "header" | "footer"
        | "figure" | "figcaption" | "details" | "summary" | "form" | "address" | "fieldset"
        | "main" | "menu" | "hgroup" | "center" | "dir" | "listing" | "search" => &[P],
        _ => &[],
    }
}

/// Whether the bytes at `at` are the tag name `name` (any case) followed by what ends a name.
fn name_at(b: &[u8], at: usize, name: &str) -> bool {
    b.get(at..at + name.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()))
        && b.get(at + name.len())
            .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
}

/// The position after the `>` that ends a tag whose attributes start at `from` (quoted
/// attribute values may hold `>`), or `None` if the tag never ends.
fn tag_end(b: &[u8], mut from: usize) -> Option<usize> {
    while from < b.len() {
        match b[from] {
            b'>' => return Some(from + 1),
            b'=' => {
                from += 1;
                while from < b.len() && b[from].is_ascii_whitespace() {
                    from += 1;
                }
                if let Some(&q) = b.get(from)
                    && (q == b'"' || q == b'\'')
                {
                    from += 1 + memchr::memchr(q, &b[from + 1..])? + 1;
                }
            }
            _ => from += 1,
        }
    }
    None
}

/// Where the end tag `</name` of a text-only element whose content starts at `from` is.
fn end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    memchr::memmem::find_iter(&b[from..], b"</")
        .map(|i| from + i)
        .find(|&i| name_at(b, i + 2, name))
}

/// Where `</script` ends a script whose content starts at `from`, following the parser's
/// escape states (`<!--` … `<script>` … `</script>` … `-->` inside a script does not end it).
fn script_end(b: &[u8], from: usize) -> Option<usize> {
    // 0: script data, 1: escaped (after `<!--`), 2: double escaped (then `<script`).
    let mut state = 0u8;
    let mut i = from;
    while let Some(off) = memchr::memchr2(b'<', b'-', &b[i..]) {
        let p = i + off;
        let rest = &b[p..];
        if rest.starts_with(b"-->") {
            state = 0;
            i = p + 3;
        } else if rest.starts_with(b"<!--") {
            if state == 0 {
                state = 1;
            }
            i = p + 4;
        } else if rest.starts_with(b"</") && name_at(b, p + 2, "script") {
            if state < 2 {
                return Some(p);
            }
            state = 1;
            i = p + 8;
        } else if state == 1 && rest.starts_with(b"<") && name_at(b, p + 1, "script") {
            state = 2;
            i = p + 7;
        } else {
            i = p + 1;
        }
    }
    None
}

/// An element open in the raw HTML: its name, the Markdown nesting it was opened in, and
/// whether it is SVG or MathML (where self-closing tags are honoured and text-only elements
/// are not).
struct Open {
    name: String,
    nesting: usize,
    foreign: bool,
}

/// Follow the raw HTML of a text the way the HTML parser will. With `page`, find the start
/// tags never closed that would swallow the rest (text-only elements such as `<script>` and
/// `<textarea>`, and `<template>`) and the first tag past [`MAX_NESTING`]; else (a summary cut
/// out of the text) find what must be closed at its end. Linear in the HTML: each element's
/// end tag is looked for once, and the stack of open elements is bounded by the limit.
fn scan_raw(j: &Joined, raw: &[RawAt], page: bool) -> RawScan {
    let b = j.html.as_bytes();
    let mut found = RawScan::default();
    if raw.is_empty() {
        return found;
    }
    let mut k = 0usize;
    let mut low = raw[0].low;
    let mut stack: Vec<Open> = Vec::new();
    let mut templates: Vec<std::ops::Range<usize>> = Vec::new();
    // Text-only elements with no end tag at or after a position: each is searched for once.
    let mut no_end: Vec<(&'static str, usize)> = Vec::new();
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            let body = lt + 4;
            let end = if b[body..].starts_with(b">") {
                Some(body + 1)
            } else if b[body..].starts_with(b"->") {
                Some(body + 2)
            } else {
                memchr::memmem::find(&b[body..], b"-->").map(|p| body + p + 3)
            };
            match end {
                Some(e) => i = e,
                None if page => {
                    // Left out too: it would hide the rest of the text.
                    found.strays.push((lt..body, "!--"));
                    i = body;
                }
                None => {
                    found.closers.push_str("-->");
                    break;
                }
            }
            continue;
        }
        let is_end = rest.starts_with(b"</");
        let name_start = lt + if is_end { 2 } else { 1 };
        if rest.starts_with(b"<!")
            || rest.starts_with(b"<?")
            || (is_end && !b.get(name_start).is_some_and(u8::is_ascii_alphabetic))
        {
            // A doctype, a bogus comment or `</>`: up to the next `>`.
            match memchr::memchr(b'>', &b[lt + 2..]) {
                Some(p) => i = lt + 2 + p + 1,
                None => break,
            }
            continue;
        }
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            .map_or(b.len(), |p| name_start + p);
        let Some(stop) = tag_end(b, name_end) else {
            // The rest is inside an unterminated tag.
            break;
        };
        let name = j.html[name_start..name_end].to_ascii_lowercase();
        while k + 1 < j.starts.len() && j.starts[k + 1] <= lt {
            k += 1;
            low = low.min(raw[k].low);
        }
        if page {
            // Elements opened inside Markdown elements that have closed since are closed.
            while stack.last().is_some_and(|o| o.nesting > low) {
                stack.pop();
            }
        }
        low = raw[k].nesting;
        let in_foreign = stack.last().is_some_and(|o| {
            o.foreign
                && !matches!(
                    o.name.as_str(),
                    "foreignobject"
                        | "desc"
                        | "title"
                        | "mi"
                        | "mo"
                        | "mn"
                        | "ms"
                        | "mtext"
                        | "annotation-xml"
                )
        });
        if is_end {
            if name == "template" {
                templates.pop();
            }
            if page && let Some(p) = stack.iter().rposition(|o| o.name == name) {
                stack.truncate(p);
            }
            i = stop;
            continue;
        }
        if !in_foreign && let Some(&element) = RAW_TEXT.iter().find(|n| **n == name) {
            let end = if element == "plaintext"
                || no_end.iter().any(|(n, p)| *n == element && *p <= stop)
            {
                None
            } else {
                let e = if element == "script" {
                    script_end(b, stop)
                } else {
                    end_tag(b, stop, element)
                };
                if e.is_none() {
                    no_end.push((element, stop));
                }
                e
            };
            match end {
                Some(e) => i = tag_end(b, e + 2 + element.len()).unwrap_or(b.len()),
                None if page => {
                    // Left out: what follows is read as markup, as the author meant.
                    found.strays.push((lt..stop, element));
                    i = stop;
                }
                None => {
                    found.closers.push_str(&format!("</{element}>"));
                    break;
                }
            }
            continue;
        }
        if name == "template" {
            templates.push(lt..stop);
        }
        i = stop;
        if !page {
            continue;
        }
        let self_closing = b[..stop].ends_with(b"/>");
        let (foreign, breaks_out) = if in_foreign {
            (
                !BREAKS_OUT.contains(&name.as_str()),
                BREAKS_OUT.contains(&name.as_str()),
            )
        } else {
            (name == "svg" || name == "math", false)
        };
        if breaks_out {
            while stack.last().is_some_and(|o| o.foreign) {
                stack.pop();
            }
        }
        if VOID.contains(&name.as_str()) || (foreign && self_closing) {
            continue;
        }
        if !foreign {
            for (ends, stops) in implied_ends(&name) {
                // The search is bounded: the stack never holds more than the limit.
                let nearest = stack
                    .iter()
                    .rev()
                    .take_while(|o| !o.foreign && !stops.contains(&o.name.as_str()))
                    .position(|o| ends.contains(&o.name.as_str()));
                if let Some(from_top) = nearest {
                    stack.truncate(stack.len() - 1 - from_top);
                }
            }
        }
        stack.push(Open {
            name,
            nesting: raw[k].nesting,
            foreign,
        });
        if raw[k].nesting + stack.len() > MAX_NESTING {
            found.too_deep = Some(lt..stop);
            return found;
        }
    }
    if page {
        found
            .strays
            .extend(templates.into_iter().map(|r| (r, "template")));
    } else {
        for _ in templates {
            found.closers.push_str("</template>");
        }
    }
    found
}

/// Byte offset of `url` as written inside `range` (or the start of the range).
fn url_offset(text: &str, range: &std::ops::Range<usize>, url: &str) -> usize {
    let Some(t) = text.get(range.clone()) else {
        return range.start;
    };
    // An inline link, `[text](url "title")`: the URL follows the last `](`, maybe after `<`.
    if let Some(i) = memchr::memmem::rfind(t.as_bytes(), b"](") {
        let after = t[i + 2..].trim_start();
        let after = after.strip_prefix('<').unwrap_or(after);
        if after.starts_with(url) {
            return range.start + (t.len() - after.len());
        }
    }
    t.find(url).map_or(range.start, |i| range.start + i)
}

/// Remove citation marks from an HTML fragment (for summaries shown away from their page).
pub fn strip_cites(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<sup class=\"cite\"") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</sup>") {
            Some(j) => rest = &rest[i + j + "</sup>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `events` without footnote references and definitions: a summary is shown away from its page
/// (listings, feeds), where the notes are not, so its references would link nowhere.
fn without_footnotes<'a, 'e>(events: &'e [Event<'a>]) -> impl Iterator<Item = Event<'a>> + 'e {
    let mut in_note = 0usize;
    events.iter().filter_map(move |e| match e {
        Event::FootnoteReference(_) => None,
        Event::Start(Tag::FootnoteDefinition(_)) => {
            in_note += 1;
            None
        }
        Event::End(TagEnd::FootnoteDefinition) => {
            in_note = in_note.saturating_sub(1);
            None
        }
        _ if in_note > 0 => None,
        e => Some(e.clone()),
    })
}

/// Drop spaces and a line break at the end of the events written so far.
fn trim_trailing_space(events: &mut Vec<Event<'_>>) {
    loop {
        match events.last() {
            Some(Event::SoftBreak) => {
                events.pop();
            }
            Some(Event::Text(t)) if t.ends_with(char::is_whitespace) => {
                let trimmed = t.trim_end().to_string();
                events.pop();
                if !trimmed.is_empty() {
                    events.push(Event::Text(trimmed.into()));
                    return;
                }
            }
            _ => return,
        }
    }
}

/// What is wrong with an id given to a heading with `{#…}` (`offset`: the heading's), if
/// anything: characters that do not belong in an id (a quote would end the attribute), or an
/// id the page already has (a heading's, a footnote's, or one of the layout's: `main`, the
/// skip link's target).
fn explicit_id_problem(
    id: &str,
    used: &HashMap<String, usize>,
    offset: usize,
    text: &str,
) -> Option<Problem> {
    let line_len = text[offset..].find('\n').unwrap_or(text.len() - offset);
    let problem = |message: String, hint: &str| Problem {
        offset,
        len: line_len.max(1),
        message,
        hint: Some(hint.into()),
        code: Code::DuplicateId,
    };
    if !id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        return Some(problem(
            format!("heading id `{id}` may hold only letters, digits, `-`, `_`, `.` and `:`"),
            "write the id as a slug, such as {#next-steps}",
        ));
    }
    if used.contains_key(id) || LAYOUT_IDS.contains(&id) {
        let whose = if LAYOUT_IDS.contains(&id) {
            "the page layout's (the target of its skip link)"
        } else {
            "another heading's or footnote's on this page"
        };
        return Some(problem(
            format!("heading id `{id}` is already {whose}: links to `#{id}` would go to the first"),
            "give this heading another id with {#…}",
        ));
    }
    None
}

/// Ids the built-in layout gives every page (`base.html`): a heading must not take them.
pub(crate) const LAYOUT_IDS: &[&str] = &["main"];

/// A heading being collected: (level, explicit id, classes, inner events, plain text).
type OpenHeading<'a> = (
    HeadingLevel,
    Option<String>,
    Vec<String>,
    Vec<Event<'a>>,
    String,
);

fn unique_id(base: &str, used: &mut HashMap<String, usize>, explicit: bool) -> String {
    let count = used.entry(base.to_string()).or_insert(0);
    *count += 1;
    if *count == 1 || explicit {
        base.to_string()
    } else {
        let mut n = *count - 1;
        loop {
            let candidate = format!("{base}-{n}");
            if !used.contains_key(&candidate) {
                used.insert(candidate.clone(), 1);
                return candidate;
            }
            n += 1;
        }
    }
}

/// Resolve a link or image URL written in content. Returns (URL to write, is external).
fn resolve_url(
    url: &str,
    dir: &str,
    resolver: &Resolver<'_>,
    text: &str,
    range: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> (String, bool) {
    let mut report = |code: Code, message: String, hint: Option<String>| {
        let off = text[range.clone()]
            .find(url)
            .map_or(range.start, |i| range.start + i);
        problems.push(Problem {
            offset: off,
            len: url.len().max(1),
            message,
            hint,
            code,
        });
    };
    if url.is_empty() || url.starts_with('#') {
        return (url.to_string(), false);
    }
    if resolver.sanitize
        && let Some(scheme) = unsafe_scheme(url)
    {
        report(
            Code::UnsafeHtml,
            format!("`{scheme}` URLs are not allowed (raw_html: sanitize)"),
            Some("link to a web page instead".into()),
        );
        return (String::new(), false);
    }
    if let Some(rest) = url.strip_prefix("@/") {
        let (path, frag) = split_fragment(rest);
        let path = percent_decode(path);
        return match resolver.content_url(&path, frag) {
            Ok(u) => (u, false),
            Err((m, h)) => {
                report(Code::BrokenLink, m, h);
                (url.to_string(), false)
            }
        };
    }
    if is_external(url) {
        return (url.to_string(), true);
    }
    if let Some(rest) = url.strip_prefix('/') {
        // Root-relative in content: put it under the base path.
        return (format!("{}{}", resolver.base_path, rest), false);
    }
    // Relative to the source file's folder.
    let (path, frag) = split_fragment(url);
    let path = percent_decode(path);
    match join(dir, &path) {
        Some(joined) => {
            let key = if resolver.targets.contains_key(&joined) {
                joined
            } else if resolver
                .targets
                .contains_key(&format!("{joined}/_index.md"))
            {
                format!("{joined}/_index.md")
            } else {
                joined
            };
            match resolver.content_url(&key, frag) {
                Ok(u) => (u, false),
                Err((m, h)) => {
                    report(Code::BrokenLink, m, h);
                    (url.to_string(), false)
                }
            }
        }
        None => {
            report(
                Code::BrokenLink,
                format!("link `{url}` goes above content/"),
                None,
            );
            (url.to_string(), false)
        }
    }
}

/// Whether raw HTML carries a `javascript:`/`data:` URL in an attribute.
fn unsafe_html(h: &str) -> bool {
    let lower = h.to_ascii_lowercase();
    ["href", "src", "action", "formaction", "xlink:href"]
        .iter()
        .any(|attr| {
            lower.match_indices(attr).any(|(i, _)| {
                let rest = lower[i + attr.len()..].trim_start();
                rest.strip_prefix('=')
                    .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                    .and_then(unsafe_scheme)
                    .is_some()
            })
        })
}

fn split_fragment(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (s, None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: Option<&u8>) -> Option<u8> {
    let b = *b?;
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod smart_tests {
    use super::smart;

    #[test]
    fn yaml_text_gets_the_bodies_punctuation_and_nothing_else() {
        assert_eq!(smart("Leaders' meeting"), "Leaders\u{2019} meeting");
        assert_eq!(
            smart("Türkiye's \"host\" role"),
            "Türkiye\u{2019}s \u{201c}host\u{201d} role"
        );
        assert_eq!(
            smart("1990--2000 -- or --- so..."),
            "1990\u{2013}2000 \u{2013} or \u{2014} so\u{2026}"
        );
        assert_eq!(
            smart("*not* [a](link) <b> &amp; #1 `x`"),
            "*not* [a](link) <b> &amp; #1 `x`"
        );
        assert_eq!(smart("- not a list"), "- not a list");
        assert_eq!(smart("1. not a list"), "1. not a list");
        assert_eq!(smart("a\\b 'c'"), "a\\b \u{2018}c\u{2019}");
        // A line the parser reads as a rule is given back as written.
        assert_eq!(smart("---"), "---");
        assert_eq!(smart("No quotes"), "No quotes");
    }

    proptest::proptest! {
        /// The shortcut gives what the parser would: any one-line text without quotes, `--`
        /// or `...`, in an alphabet of Markdown's and the shortcut's special characters.
        #[test]
        fn text_with_nothing_to_smarten_is_what_the_parser_gives(
            text in "[ a1.\\-*_\\[\\]()<>&#!`~|=+:;,?/\\\\{}é\t]{0,24}"
        ) {
            if super::nothing_to_smarten(&text) {
                proptest::prop_assert_eq!(smart(&text), super::smart_parsed(&text));
            }
        }
    }

    #[test]
    fn nested_headings_move_one_level_down() {
        use super::nest_headings;
        assert_eq!(
            nest_headings(
                "<h2 id=\"a\">A <a href=\"#a\">#</a></h2>\n<p>&lt;h2&gt; <hr></p><h6>x</h6><h1>y</h1>"
            ),
            "<h3 id=\"a\">A <a href=\"#a\">#</a></h3>\n<p>&lt;h2&gt; <hr></p><h6>x</h6><h2>y</h2>"
        );
        assert_eq!(nest_headings("<header><h5>z</h5>"), "<header><h6>z</h6>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_simple(text: &str) -> (Markdown, Vec<Problem>, Citer) {
        let mut targets = HashMap::new();
        targets.insert(
            "people/rustem-umerov.md".to_string(),
            "people/rustem-umerov/".to_string(),
        );
        targets.insert("notes/map.png".to_string(), "notes/map.png".to_string());
        let mut sources = HashMap::new();
        sources.insert("reuters-2025-05-16".to_string(), 0);
        let r = Resolver {
            targets: &targets,
            sources: &sources,
            base_path: "/sub/",
            sanitize: false,
            anchor_label: ANCHOR_LABEL.into(),
            cite_label: CITE_LABEL.into(),
        };
        let mut citer = Citer::default();
        let mut problems = Vec::new();
        let md = render(text, "notes", &r, &mut citer, &mut problems, false);
        (md, problems, citer)
    }

    #[test]
    fn link_offsets_point_at_the_url_as_written() {
        let text =
            "See [a](x.md), [b]( <y.md> \"t\"), [](x.md) [c](q.md) and [d][r].\n\n[r]: z.md\n";
        let range = |from: &str, to: &str| {
            let a = text.find(from).unwrap();
            a..text[a..].find(to).unwrap() + a + to.len()
        };
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(url_offset(text, &range("[a]", ")"), "x.md"), at("x.md"));
        assert_eq!(url_offset(text, &range("[b]", "\")"), "y.md"), at("y.md"));
        assert_eq!(url_offset(text, &range("[c]", ")"), "q.md"), at("q.md"));
        // A reference link: its URL is elsewhere; the search falls back to the range.
        let d = range("[d]", "[r]");
        assert_eq!(url_offset(text, &d, "z.md"), d.start);
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let (md, _, _) = render_simple("# Talks\n\n## Talks\n\n## Who *met*\n");
        assert!(
            md.html
                .contains("<h1 id=\"talks\">Talks <a class=\"anchor\" href=\"#talks\"")
        );
        assert!(md.html.contains("<h2 id=\"talks-1\">"));
        assert!(md.html.contains("<h2 id=\"who-met\">Who <em>met</em>"));
        assert_eq!(md.toc.len(), 3);
        assert_eq!(md.toc[2].title, "Who met");
    }

    #[test]
    fn external_links_get_noopener_and_internal_links_resolve() {
        let (md, problems, _) = render_simple(
            "[R](https://www.reuters.com/) [U](@/people/rustem-umerov.md#roles) [M](map.png) [A](/images/a.png)",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            md.html
                .contains("<a href=\"https://www.reuters.com/\" rel=\"noopener\">R</a>")
        );
        assert!(
            md.html
                .contains("<a href=\"/sub/people/rustem-umerov/#roles\">U</a>")
        );
        assert!(md.html.contains("<a href=\"/sub/notes/map.png\">M</a>"));
        assert!(md.html.contains("<a href=\"/sub/images/a.png\">A</a>"));
    }

    #[test]
    fn broken_internal_link_is_a_problem_with_a_suggestion() {
        let (_, problems, _) = render_simple("See [U](@/people/rustem-umerv.md).");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].offset, "See [U](@/".len() - 2);
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `people/rustem-umerov.md`?")
        );
    }

    #[test]
    fn citations_are_numbered_and_unknown_ones_reported() {
        let (md, problems, citer) = render_simple(
            "Talks began [@reuters-2025-05-16]. Again [@reuters-2025-05-16]. [@nope]",
        );
        assert!(md.html.contains("<sup class=\"cite\" id=\"cite-reuters-2025-05-16-1\"><a href=\"#src-reuters-2025-05-16\" aria-label=\"Source 1\">[1]</a></sup>"));
        assert!(md.html.contains("cite-reuters-2025-05-16-2"));
        assert!(
            md.html.contains("Talks began<sup"),
            "marker sits against the word: {}",
            md.html
        );
        assert_eq!(citer.cited.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "unknown source `nope`");
        assert!(!md.html.contains("[@"));
    }

    #[test]
    fn summary_is_first_paragraph_or_before_more() {
        let (md, _, _) = render_simple("First para.\n\nSecond.\n");
        assert_eq!(md.summary.as_deref(), Some("<p>First para.</p>\n"));
        let (md, _, _) = render_simple("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(md.summary.as_deref(), Some("<p>One.</p>\n<p>Two.</p>\n"));
    }

    /// The numbering as it was first written: a linear search of the sources cited so far.
    fn reference_numbering(calls: &[(bool, String)]) -> (Vec<(usize, String)>, Vec<String>) {
        let mut cited: Vec<(String, usize)> = Vec::new();
        let mut marks = Vec::new();
        for (mark, id) in calls {
            let i = match cited.iter().position(|(s, _)| s == id) {
                Some(i) => i,
                None => {
                    cited.push((id.clone(), 0));
                    cited.len() - 1
                }
            };
            if *mark {
                cited[i].1 += 1;
                marks.push((i + 1, format!("cite-{}-{}", slugify(id), cited[i].1)));
            }
        }
        (marks, cited.into_iter().map(|(s, _)| s).collect())
    }

    #[test]
    fn numbering_a_citation_looks_at_one_entry_not_every_source_cited_so_far() {
        // 4,000 sources, each cited twice, with sources listed without a mark pushed straight
        // onto `cited` (as the page views do) in between.
        let mut calls: Vec<(bool, String)> = Vec::new();
        for i in 0..4000 {
            calls.push((true, format!("s{i}")));
            calls.push((true, format!("s{}", (i * 7) % 4000)));
            if i % 10 == 0 {
                calls.push((false, format!("listed{i}")));
                calls.push((false, format!("s{i}")));
                calls.push((false, format!("also-listed{i}")));
            }
        }
        let mut citer = Citer::default();
        let mut marks = Vec::new();
        for (mark, id) in &calls {
            if *mark {
                marks.push(citer.cite(id));
            } else if id.starts_with("also") {
                citer.list(id);
            } else if !citer.contains(id) {
                citer.cited.push((id.clone(), Vec::new()));
            }
        }
        let (want_marks, want_cited) = reference_numbering(&calls);
        assert_eq!(marks, want_marks, "numbers and anchors are unchanged");
        let cited: Vec<&String> = citer.cited.iter().map(|(s, _)| s).collect();
        assert_eq!(cited, want_cited.iter().collect::<Vec<_>>());
        assert!(
            citer.examined <= 2 * calls.len(),
            "{} entries examined for {} lookups: the search is not by index",
            citer.examined,
            calls.len()
        );
    }

    #[test]
    fn summaries_leave_footnotes_out() {
        // A note defined first is not the first paragraph; the reference is dropped.
        let (md, _, _) = render_simple("[^n]: A note first.\n\nTalks began[^n] today.\n\nMore.\n");
        assert_eq!(md.summary.as_deref(), Some("<p>Talks began today.</p>\n"));
        assert!(md.html.contains("footnote-reference"), "{}", md.html);
    }

    #[test]
    fn headings_do_not_take_footnote_ids() {
        let (md, _, _) = render_simple("## Gap\n\nText[^gap].\n\n[^gap]: The note.\n");
        assert!(md.html.contains("<h2 id=\"gap-1\">"), "{}", md.html);
        assert!(md.html.contains("id=\"gap\""), "{}", md.html);
    }

    #[test]
    fn extensions_are_on() {
        let (md, _, _) = render_simple(
            "| a |\n|---|\n| b |\n\n~~x~~ - [x] t \"q\"[^1]\n\n[^1]: n\n\n![Map of Istanbul](map.png)",
        );
        assert!(md.html.contains("<table>"));
        assert!(md.html.contains("<del>x</del>"));
        assert!(md.html.contains("“q”"));
        assert!(md.html.contains("alt=\"Map of Istanbul\""));
        assert!(md.html.contains("src=\"/sub/notes/map.png\""));
    }

    #[test]
    fn sanitize_mode_cleans_raw_html_and_refuses_script_urls() {
        let targets = HashMap::new();
        let sources = HashMap::new();
        let r = Resolver {
            targets: &targets,
            sources: &sources,
            base_path: "/",
            sanitize: true,
            anchor_label: ANCHOR_LABEL.into(),
            cite_label: CITE_LABEL.into(),
        };
        let mut problems = Vec::new();
        let md = render(
            "<script>alert(1)</script>\n\nHi <b onclick=\"x()\">b</b> [x](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(1)\">y</a>\n\n## Kept {#kept}\n",
            "",
            &r,
            &mut Citer::default(),
            &mut problems,
            false,
        );
        assert!(!md.html.contains("<script"), "{}", md.html);
        assert!(!md.html.contains("onclick"), "{}", md.html);
        assert!(
            !md.html.to_lowercase().contains("javascript:"),
            "{}",
            md.html
        );
        assert!(md.html.contains("<h2 id=\"kept\">"), "{}", md.html);
        assert_eq!(problems.len(), 2, "{problems:?}");
        // Trusted mode passes raw HTML through.
        let r = Resolver {
            sanitize: false,
            ..r
        };
        let md = render(
            "<b class=\"x\">b</b>",
            "",
            &r,
            &mut Citer::default(),
            &mut Vec::new(),
            true,
        );
        assert_eq!(md.html, "<b class=\"x\">b</b>");
    }

    /// Render `text` sanitized: (HTML, warnings as (offset, message), errors as offsets).
    fn sanitized(text: &str) -> (String, Vec<(usize, String)>, Vec<usize>) {
        let (targets, sources) = (HashMap::new(), HashMap::new());
        let r = Resolver {
            targets: &targets,
            sources: &sources,
            base_path: "/",
            sanitize: true,
            anchor_label: ANCHOR_LABEL.into(),
            cite_label: CITE_LABEL.into(),
        };
        let mut problems = Vec::new();
        let md = render(text, "", &r, &mut Citer::default(), &mut problems, false);
        let warnings = problems
            .iter()
            .filter(|p| p.code.severity() == Severity::Warning)
            .map(|p| (p.offset, p.message.clone()))
            .collect();
        let errors = problems
            .iter()
            .filter(|p| p.code.severity() == Severity::Error)
            .map(|p| p.offset)
            .collect();
        (md.html, warnings, errors)
    }

    #[test]
    fn only_elements_left_open_to_the_end_are_strays() {
        // Closed in a later block, in another case, or after a comment holding a decoy.
        for text in [
            "A <script>x\n\ny</script> z\n",
            "A <STYLE>x</style >\n\nz\n",
            "<!-- <script> -->\n\nz\n",
            "A <template><template>x</template></template> z\n",
            "A <textarea title=\"</textarea>\">x</textarea> z\n",
            "A <script><!-- a <script> b </script> c --></script> z\n",
            "<svg><style/><title/></svg> z\n",
        ] {
            let (html, warnings, errors) = sanitized(text);
            assert!(
                warnings.is_empty() && errors.is_empty(),
                "{text:?}: {warnings:?}"
            );
            assert!(html.contains('z'), "{text:?}: {html}");
        }
        // Left open: the escape states of a script, a template around a closed one, a stray
        // after a closed pair, `<plaintext>` (which nothing closes).
        for (text, element, at) in [
            (
                "<script>\n<!-- <script> x </script> --> y\n\nz\n",
                "script",
                0,
            ),
            ("A <template><template>x</template> y\n\nz\n", "template", 2),
            ("<b>A</b> <title>t</title> <title>x\n\nz\n", "title", 26),
            ("A <plaintext>x</plaintext>\n\nz\n", "plaintext", 2),
        ] {
            let (html, warnings, errors) = sanitized(text);
            assert!(errors.is_empty(), "{text:?}");
            assert_eq!(warnings.len(), 1, "{text:?}: {warnings:?}");
            assert_eq!(warnings[0].0, at, "{text:?}: {warnings:?}");
            assert!(
                warnings[0].1.contains(&format!("`<{element}>`")),
                "{warnings:?}"
            );
            assert!(html.contains("<p>z</p>"), "{text:?}: {html}");
        }
        // A comment left open, alone or once a stray before it is left out.
        // (An HTML block opened by `<!--` runs to the end: its text is kept, unformatted.)
        for text in [
            "<!-- x\n\nz\n",
            "<script>\n<!-- <script> x </script> y\n\nz\n",
        ] {
            let (html, warnings, _) = sanitized(text);
            assert!(
                warnings.iter().any(|w| w.1.contains("`<!--`")),
                "{text:?}: {warnings:?}"
            );
            assert!(html.contains('z'), "{text:?}: {html}");
        }
    }

    #[test]
    fn nesting_is_counted_as_the_html_parser_nests() {
        // Self-closing tags nest in HTML (not in SVG), and an HTML tag leaves SVG.
        let deep = |t: &str| !sanitized(t).2.is_empty();
        assert!(deep(&"<div/>".repeat(150)));
        assert!(!deep(&format!("<svg>{}</svg>", "<path/>".repeat(150))));
        assert!(deep(&format!("<svg>{}", "<div/>".repeat(150))));
        // Elements opened inside Markdown elements close with them.
        assert!(!deep(&"* <span>item\n".repeat(150)));
        assert!(!deep(&"> <b>quoted\n\n".repeat(150)));
        assert!(deep(&"<span>".repeat(150)));
        // The limit itself is allowed.
        assert!(!deep(&format!("{}x", "<span>".repeat(MAX_NESTING - 1))));
        assert!(deep(&format!("{}x", "<span>".repeat(MAX_NESTING + 1))));
    }

    #[test]
    fn a_summary_closes_what_it_leaves_open() {
        let targets = HashMap::new();
        let sources = HashMap::new();
        for sanitize in [false, true] {
            let r = Resolver {
                targets: &targets,
                sources: &sources,
                base_path: "/",
                sanitize,
                anchor_label: ANCHOR_LABEL.into(),
                cite_label: CITE_LABEL.into(),
            };
            let md = render(
                "A <textarea>x\n\ny</textarea> <!-- c\n\nd -->\n",
                "",
                &r,
                &mut Citer::default(),
                &mut Vec::new(),
                false,
            );
            let summary = md.summary.unwrap_or_default();
            if sanitize {
                assert_eq!(summary, "<p>A x&lt;/p&gt;\n</p>", "{summary}");
            } else {
                assert_eq!(summary, "<p>A <textarea>x</p>\n</textarea>", "{summary}");
            }
        }
    }

    #[test]
    fn inline_mode_drops_the_paragraph() {
        let targets = HashMap::new();
        let sources = HashMap::new();
        let r = Resolver {
            targets: &targets,
            sources: &sources,
            base_path: "/",
            sanitize: false,
            anchor_label: ANCHOR_LABEL.into(),
            cite_label: CITE_LABEL.into(),
        };
        let md = render(
            "A *b*",
            "",
            &r,
            &mut Citer::default(),
            &mut Vec::new(),
            true,
        );
        assert_eq!(md.html, "A <em>b</em>");
    }
}
