//! Markdown to HTML with pulldown-cmark, plus what briefings need on top.
//!
//! - Every heading gets a unique, stable id and a self-link; the headings form a table of contents.
//! - A summary: text before `<!-- more -->`, else the first paragraph.
//! - `[@source-id]` (or `[@a; @b]`) becomes a numbered citation linking to the page's source list.
//! - `@/people/x.md#anchor` links become the target's URL; links relative to the file
//!   (`map.png`, `../people/x.md`) are resolved against the content folder; root-relative
//!   links (`/images/map.png`) are put under the base path.
//! - External links get `rel="noopener"`.
//!
//! Problems (an unknown source, a link to a missing file) are returned with byte offsets into
//! the Markdown text so the caller can place them in the file.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use crate::diagnostics::did_you_mean;
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
    pub log: Vec<String>,
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
    pub fn cite(&mut self, id: &str) -> (usize, String) {
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
    pub fn contains(&mut self, id: &str) -> bool {
        self.position(id).is_some()
    }

    /// Put `id` in the page's source list without a mark in the text, unless it is there.
    pub fn list(&mut self, id: &str) {
        if self.position(id).is_none() {
            self.push(id);
        }
    }

    /// The HTML of a citation mark for `id`.
    pub fn mark(&mut self, id: &str) -> String {
        let (n, anchor) = self.cite(id);
        format!(
            "<sup class=\"cite\" id=\"{anchor}\"><a href=\"#src-{}\" aria-label=\"Source {n}\">[{n}]</a></sup>",
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
}

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
pub fn sanitize(html: &str) -> String {
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
        match self.targets.get(path) {
            Some(site_path) => Ok(match fragment {
                Some(f) => format!("{}#{}", self.url(site_path), f),
                None => self.url(site_path),
            }),
            None => {
                let hint = did_you_mean(path, self.targets.keys().map(String::as_str))
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

    for (event, range) in parser.into_offset_iter() {
        if skip_cite_text > 0 {
            match &event {
                Event::Start(Tag::Link { .. }) => skip_cite_text += 1,
                Event::End(TagEnd::Link) => skip_cite_text -= 1,
                _ => {}
            }
            continue;
        }
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
                            html.push_str(&citer.mark(id));
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
                    let id = unique_id(&base, &mut used_ids, explicit.is_some());
                    let lvl = level as u8;
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    let mut tag = format!("<h{lvl} id=\"{id}\"");
                    if !classes.is_empty() {
                        let _ = write!(tag, " class=\"{}\"", classes.join(" "));
                    }
                    let mut label = String::new();
                    let _ = escape_html(&mut label, plain.trim());
                    let _ = write!(
                        tag,
                        ">{inner_html} <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section: {label}\">#</a></h{lvl}>"
                    );
                    toc.push(TocEntry {
                        level: lvl,
                        id: id.clone(),
                        title: plain.trim().to_string(),
                    });
                    anchors.push(id);
                    tag.push('\n');
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
        out.push(event);
    }

    let summary = match (more_at, summary_end) {
        (Some(i), _) => Some(&out[..i]),
        (None, Some(i)) => Some(&out[..i.min(out.len())]),
        _ => None,
    }
    .map(|events| {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, without_footnotes(events));
        s
    });

    let summary = if resolver.sanitize {
        summary.map(|s| sanitize(&s))
    } else {
        summary
    };
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
    let mut report = |message: String, hint: Option<String>| {
        let off = text[range.clone()]
            .find(url)
            .map_or(range.start, |i| range.start + i);
        problems.push(Problem {
            offset: off,
            len: url.len().max(1),
            message,
            hint,
        });
    };
    if url.is_empty() || url.starts_with('#') {
        return (url.to_string(), false);
    }
    if resolver.sanitize
        && let Some(scheme) = unsafe_scheme(url)
    {
        report(
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
                report(m, h);
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
                    report(m, h);
                    (url.to_string(), false)
                }
            }
        }
        None => {
            report(format!("link `{url}` goes above content/"), None);
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

    #[test]
    fn inline_mode_drops_the_paragraph() {
        let targets = HashMap::new();
        let sources = HashMap::new();
        let r = Resolver {
            targets: &targets,
            sources: &sources,
            base_path: "/",
            sanitize: false,
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
