//! The internal link check: every `href` and `src` in the generated HTML that points into the
//! site must reach an output file, and every `#fragment` an `id` in that file.
//!
//! Runs on the rendered output, so it covers links made by templates as well as by content.
//! A broken link found in a page's content is located at the line of the page's source that
//! holds it; one made by a template names the output page.

use std::borrow::Cow;

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{Site, urls};

/// An attribute value as the HTML means it: the entities our writers emit decoded.
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    if s.contains('&') {
        Cow::Owned(
            s.replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">"),
        )
    } else {
        Cow::Borrowed(s)
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Which absolute URLs point into the site. Under a sub-path (`https://example.org/sub/`) every
/// URL below the base is the site's own. With a base URL at the root of a domain, the same host
/// also serves whatever else its owner publishes (a newsroom citing its own articles), so a URL
/// there is the site's own only when its first path segment is one the site builds (a section,
/// a record folder, a generated page or file); any other is an external link.
pub(crate) struct Own<'a> {
    base_url: Option<&'a str>,
    base_path: &'a str,
    /// The site's settings, for the editions' folders: a link into another edition is that
    /// edition's to check (its pages all exist: every edition has every page).
    config: &'a crate::config::Config,
    paths: &'a Paths,
    /// The first segments of every output path (made when first needed).
    roots: std::sync::OnceLock<FxHashSet<&'a str>>,
}

impl<'a> Own<'a> {
    pub fn new(config: &'a crate::config::Config, paths: &'a Paths) -> Own<'a> {
        Own {
            base_url: config.base_url.as_deref(),
            base_path: &config.base_path,
            config,
            paths,
            roots: std::sync::OnceLock::new(),
        }
    }

    /// Whether a root-relative `url` leads into another edition (or, from a further edition,
    /// to the default one and the files shared at the root).
    fn in_other_edition(&self, url: &str) -> bool {
        let c = self.config;
        if !c.is_multilingual() {
            return false;
        }
        let Some(rest) = url.strip_prefix(c.root_path.as_str()) else {
            return false;
        };
        self.other_edition_below_root(rest)
            || (c.edition > 0 && !url.starts_with(c.base_path.as_str()))
    }

    /// Whether `rest`, a path below the site's root (`uk/talks/x/`), is in a further edition
    /// other than this one.
    fn other_edition_below_root(&self, rest: &str) -> bool {
        let c = self.config;
        if !c.is_multilingual() {
            return false;
        }
        let first = rest.split(['/', '?', '#']).next().unwrap_or("");
        c.languages
            .iter()
            .enumerate()
            .any(|(i, l)| i > 0 && i != c.edition && l.code == first)
    }

    /// The part of an absolute `url` after the base URL, when the URL points into the site.
    pub(crate) fn local_part<'u>(&self, url: &'u str) -> Option<&'u str> {
        let rest = url.strip_prefix(self.base_url?)?;
        if self.base_path != "/" {
            return Some(rest);
        }
        let first = rest.split(['/', '?', '#']).next().unwrap_or("");
        if first.is_empty() {
            return Some(rest);
        }
        let roots = self
            .roots
            .get_or_init(|| first_segments(self.paths).collect());
        roots
            .contains(percent_decode(first).as_str())
            .then_some(rest)
    }
}

/// The first segment of each output path (a folder at the site's root, or a file there), with
/// repeats: what [`Own`] takes for the site's own under a root base URL.
fn first_segments(paths: &Paths) -> impl Iterator<Item = &str> {
    paths.iter().map(|p| p.split('/').next().unwrap_or(p))
}

/// The distinct first segments of `paths`, for a caller that keeps them between link checks
/// ([`check`]'s `roots`).
pub(crate) fn roots(paths: &Paths) -> FxHashSet<String> {
    let mut out = FxHashSet::default();
    for r in first_segments(paths) {
        if !out.contains(r) {
            out.insert(r.to_string());
        }
    }
    out
}

/// Where a link points: an output file and an optional fragment; `None` when external.
fn target<'u>(url: &'u str, page_output: &str, own: &Own<'_>) -> Option<(String, Option<&'u str>)> {
    let base_path = own.base_path;
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let (url, frag) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url, None),
    };
    let url = url.split('?').next().unwrap_or(url);
    if url.is_empty() {
        // Same page.
        return Some((page_output.to_string(), frag));
    }
    let local = if let Some(rest) = own.local_part(url) {
        // Below the base URL, the other editions' folders are theirs to check (the base is the
        // root for the default edition, the only one whose base holds other editions).
        if own.config.edition == 0 && own.other_edition_below_root(rest) {
            return None;
        }
        format!("/{rest}")
    } else if url.contains(':') || url.starts_with("//") {
        return None;
    } else if url.starts_with('/') {
        if own.in_other_edition(url) {
            return None;
        }
        match url.strip_prefix(base_path.trim_end_matches('/')) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest.to_string(),
            _ => return Some((format!("(outside the base path {base_path}) {url}"), frag)),
        }
    } else {
        // Relative to the page's folder.
        let dir = page_output.rsplit_once('/').map_or("", |(d, _)| d);
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in url.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut joined = format!("/{}", parts.join("/"));
        if url.ends_with('/') {
            joined.push('/');
        }
        joined
    };
    let mut path = percent_decode(local.trim_start_matches('/'));
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some((path, frag))
}

/// The `id`s and link targets (`href`, `src`) of one HTML output, taken when it is rendered
/// so the output itself need not be kept (a build streams pages to disk); one is kept for every
/// page of a build. The values sit in one buffer, their spans in one slice (the ids sorted by
/// their text, then the links in document order): two allocations per page, however many links
/// it has. A link to an id of the same page (a heading's self-link, a footnote) is settled here
/// and not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    buf: Box<str>,
    spans: Box<[(u32, u32)]>,
    /// How many of `spans` are ids.
    ids: u32,
}

impl Scan {
    /// Scan `html` (one pass over it).
    pub(crate) fn of(html: &str) -> Scan {
        let mut buf = String::new();
        let mut ids: Vec<(u32, u32)> = Vec::new();
        let mut links: Vec<(u32, u32)> = Vec::new();
        for (attr, value) in scan_attrs(html) {
            let start = buf.len() as u32;
            buf.push_str(value);
            let span = (start, buf.len() as u32);
            match attr {
                Attr::Id => ids.push(span),
                Attr::Href | Attr::Src => links.push(span),
            }
        }
        let text = |(a, b): (u32, u32)| buf.get(a as usize..b as usize).unwrap_or("");
        ids.sort_unstable_by(|a, b| text(*a).cmp(text(*b)));
        let has_id = |id: &str| ids.binary_search_by(|s| text(*s).cmp(id)).is_ok();
        // The commonest link of all, a heading's self-link, needs no other page: settled now.
        links.retain(|&l| match text(l).strip_prefix('#') {
            Some(frag) => frag.contains(['&', '%']) || !(frag.is_empty() || has_id(frag)),
            None => true,
        });
        // The buffer keeps only what the kept spans point into.
        let len: u32 = ids.iter().chain(&links).map(|(a, b)| b - a).sum();
        let mut kept = String::with_capacity(len as usize);
        let spans: Box<[(u32, u32)]> = ids
            .iter()
            .chain(&links)
            .map(|&span| {
                let start = kept.len() as u32;
                kept.push_str(text(span));
                (start, kept.len() as u32)
            })
            .collect();
        Scan {
            buf: kept.into_boxed_str(),
            spans,
            ids: ids.len() as u32,
        }
    }

    fn text(&self, (a, b): (u32, u32)) -> &str {
        self.buf.get(a as usize..b as usize).unwrap_or("")
    }

    /// The `id` attribute values, sorted.
    #[cfg(test)]
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.spans[..self.ids as usize]
            .iter()
            .map(|s| self.text(*s))
    }

    /// The `href` and `src` attribute values (still HTML-escaped), in document order, but for
    /// the links to an id of this page (settled when scanned).
    pub(crate) fn links(&self) -> impl Iterator<Item = &str> {
        self.spans[self.ids as usize..]
            .iter()
            .map(|s| self.text(*s))
    }

    /// Whether the output has an element with this `id`.
    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.spans[..self.ids as usize]
            .binary_search_by(|s| self.text(*s).cmp(id))
            .is_ok()
    }
}

/// The scans of a site's HTML outputs, by output path. (These maps hold every output and are
/// hashed hundreds of thousands of times per build: Fx hashing, as our own paths need no
/// protection from crafted collisions.)
pub(crate) type Scans = FxHashMap<String, Scan>;

/// Every output path of a site.
pub(crate) type Paths = FxHashSet<String>;

/// Check every internal link of the scanned HTML outputs (or only of those in `only`): each
/// must reach one of `paths` (every output file), and its fragment an id of that output.
pub(crate) fn check(
    site: &Site,
    paths: &Paths,
    scans: &Scans,
    only: Option<&HashSet<String>>,
    written: &(dyn Fn(usize) -> Vec<(String, usize)> + Sync),
    roots: Option<&FxHashSet<String>>,
) -> Diagnostics {
    let mut html_files: Vec<(&String, &Scan)> = match only {
        Some(only) => only.iter().filter_map(|p| scans.get_key_value(p)).collect(),
        None => scans.iter().collect(),
    };
    // Diagnostics come out in a stable order, whatever the hash map's.
    html_files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Which page an output is, for locating a broken link in its Markdown (made only if needed).
    let page_of = std::sync::OnceLock::<HashMap<String, usize>>::new();
    let page_of = || {
        page_of.get_or_init(|| {
            site.pages
                .iter()
                .enumerate()
                .map(|(i, p)| (urls::output_file(&p.path), i))
                .collect()
        })
    };
    let section_of: HashMap<String, usize> = site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.index.is_some())
        .map(|(i, s)| (urls::output_file(&s.path), i))
        .collect();

    let own = Own::new(&site.config, paths);
    if let Some(r) = roots {
        // Kept by the caller: not made again from every path.
        let _ = own.roots.set(r.iter().map(String::as_str).collect());
    }
    // What is wrong with a link on the page at `path`, if anything.
    let problem_of = |raw: &str, path: &str| -> Option<String> {
        let url = unescape(raw);
        let (file, frag) = target(&url, path, &own)?;
        if !paths.contains(&file) {
            return Some(format!(
                "broken link `{url}`: nothing is built at that address"
            ));
        }
        match frag {
            Some(f) if !f.is_empty() && file.ends_with(".html") => {
                let f = percent_decode(f);
                match scans.get(&file) {
                    Some(scan) if scan.has_id(&f) => None,
                    _ => Some(format!(
                        "broken link `{url}`: the page has no anchor `#{f}`"
                    )),
                }
            }
            _ => None,
        }
    };
    // Links that mean the same on every page (the navigation, listings) are resolved once per
    // batch of pages (a memo per rayon job: no shared map to build or lock).
    let absolute = |raw: &str| raw.starts_with('/') || raw.starts_with("http");

    // (url, diagnostic, whether it was located in content)
    let found: Vec<(String, Diagnostic, bool)> = html_files
        .par_iter()
        .map_init(
            FxHashMap::<&str, Option<String>>::default,
            |memo, (path, scan)| {
                let mut out = Vec::new();
                let mut reported: HashSet<String> = HashSet::new();
                // Built only for a page that has a broken link: URL → offset in its Markdown.
                let mut written_at: Option<HashMap<String, usize>> = None;
                // (The commonest link of all, a heading's self-link, was settled by the scan.)
                for raw in scan.links() {
                    let problem = if absolute(raw) {
                        memo.entry(raw)
                            .or_insert_with(|| problem_of(raw, ""))
                            .clone()
                    } else {
                        problem_of(raw, path)
                    };
                    let Some(message) = problem else { continue };
                    let url = unescape(raw);
                    if !reported.insert(message.clone()) {
                        continue;
                    }
                    // Where the link was written: a page's Markdown, else a template.
                    let place = page_of().get(path.as_str()).and_then(|&i| {
                        let p = &site.pages[i];
                        let map = written_at.get_or_insert_with(|| {
                            let mut m = HashMap::new();
                            for (u, off) in written(i) {
                                m.entry(u).or_insert(off);
                            }
                            m
                        });
                        map.get(url.as_ref())
                            .map(|off| (&p.source, p.source.split.body_start + off))
                    });
                    let located = place.is_some();
                    let mut d =
                        Diagnostic::new(Code::BrokenLink, format!("{message} (in /{path})"));
                    d = match place {
                        // The text may have been left on disk by the load: read again
                        // (once a broken link), and placed unless the file changed since.
                        Some((source, off)) => match source.whole() {
                            Ok(text) => d.in_file(&source.path).at_offset(&text, off),
                            Err(_) => d.in_file(&source.path),
                        },
                        None => d
                            .in_file(format!("public/{path}"))
                            .hint("this link was made by a template, or by a section's _index.md"),
                    };
                    if let Some(i) = section_of.get(path.as_str())
                        && let Some(ix) = &site.sections[*i].index
                        && let Some(off) = ix.text[ix.split.body_start..].find(url.as_ref())
                    {
                        d = d
                            .in_file(&ix.path)
                            .at_offset(&ix.text, ix.split.body_start + off);
                        d.hint = None;
                    }
                    out.push((url.into_owned(), d, located));
                }
                out
            },
        )
        .flatten_iter()
        .collect();
    // A broken link written in content also shows up wherever that content is summarised
    // (listings); report it once, at its source.
    let located: HashSet<&str> = found
        .iter()
        .filter(|(_, _, l)| *l)
        .map(|(u, _, _)| u.as_str())
        .collect();
    found
        .iter()
        .filter(|(u, _, l)| *l || !located.contains(u.as_str()))
        .map(|(_, d, _)| d.clone())
        .collect()
}

/// The attributes the link check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attr {
    Href,
    Src,
    Id,
}

/// Every double-quoted `href`, `src` and `id` attribute in `html`, in one pass.
pub(crate) fn scan_attrs(html: &str) -> impl Iterator<Item = (Attr, &str)> {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, b"=\"").filter_map(move |i| {
        let before = &bytes[..i];
        let name = if before.ends_with(b" href") {
            Attr::Href
        } else if before.ends_with(b" src") {
            Attr::Src
        } else if before.ends_with(b" id") {
            Attr::Id
        } else {
            return None;
        };
        let start = i + 2;
        let end = memchr::memchr(b'"', &bytes[start..])? + start;
        html.get(start..end).map(|v| (name, v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr_values(html: &str, name: Attr) -> Vec<&str> {
        scan_attrs(html)
            .filter(|(a, _)| *a == name)
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn attribute_values() {
        let h = r#"<a href="/x/">x</a><h2 id="a">A</h2><img src="/i.png" alt="">"#;
        assert_eq!(attr_values(h, Attr::Href), vec!["/x/"]);
        assert_eq!(attr_values(h, Attr::Id), vec!["a"]);
        assert_eq!(attr_values(h, Attr::Src), vec!["/i.png"]);
    }

    #[test]
    fn one_pass_scan_finds_links_and_ids() {
        let h = r##"<a href="/x/" id="a">x</a><p data-id="no"><img src="/i.png" alt=""><a class="c" href="#a">"##;
        let got: Vec<_> = scan_attrs(h).collect();
        assert_eq!(
            got,
            vec![
                (Attr::Href, "/x/"),
                (Attr::Id, "a"),
                (Attr::Src, "/i.png"),
                (Attr::Href, "#a")
            ]
        );
    }

    fn config(base_url: Option<&str>) -> crate::config::Config {
        crate::config::Config::from_file(Default::default(), base_url, false).unwrap()
    }

    #[test]
    fn targets_respect_the_base_path() {
        let paths: Paths = ["index.html", "talks/index.html", "talks/x/index.html"]
            .into_iter()
            .map(String::from)
            .collect();
        let sub = config(Some("https://example.org/sub/"));
        let sub = Own::new(&sub, &paths);
        assert_eq!(
            target("/sub/talks/x/#a", "index.html", &sub),
            Some(("talks/x/index.html".into(), Some("a")))
        );
        assert_eq!(
            target("#a", "talks/x/index.html", &sub),
            Some(("talks/x/index.html".into(), Some("a")))
        );
        assert_eq!(target("https://example.org/", "index.html", &sub), None);
        assert_eq!(
            target("https://example.org/sub/talks/", "index.html", &sub),
            Some(("talks/index.html".into(), None))
        );
        // Under a sub-path, everything below it is the site's, built or not.
        assert_eq!(
            target("https://example.org/sub/news/a", "index.html", &sub),
            Some(("news/a".into(), None))
        );
        assert!(
            target("/talks/", "index.html", &sub)
                .unwrap()
                .0
                .contains("outside")
        );
        let none = config(None);
        let none = Own::new(&none, &paths);
        assert_eq!(
            target("style.css", "a/index.html", &none),
            Some(("a/style.css".into(), None))
        );
        assert_eq!(
            target("https://example.org/talks/", "index.html", &none),
            None
        );
    }

    #[test]
    fn at_a_domain_root_only_what_the_site_builds_is_internal() {
        let paths: Paths = ["index.html", "talks/x/index.html", "atom.xml"]
            .into_iter()
            .map(String::from)
            .collect();
        let root = config(Some("https://example.org/"));
        let own = Own::new(&root, &paths);
        for internal in [
            "https://example.org/",
            "https://example.org/#top",
            "https://example.org/talks/missing/",
            "https://example.org/atom.xml",
            "https://example.org/talks",
        ] {
            assert!(own.local_part(internal).is_some(), "{internal}");
        }
        for external in [
            "https://example.org/news/2025/story",
            "https://example.org/talksx/",
            "https://example.org/atom.xml.bak",
            "https://example.com/talks/",
        ] {
            assert!(own.local_part(external).is_none(), "{external}");
        }
        assert_eq!(
            target("https://example.org/talks/x/", "index.html", &own),
            Some(("talks/x/index.html".into(), None))
        );
    }
}

#[cfg(test)]
mod id_tests {
    use super::Scan;

    #[test]
    fn has_id_finds_every_id_of_a_page_with_many_and_no_other() {
        let html: String = (0..2000)
            .rev()
            .map(|i| format!("<li id=\"event-{i}\"><a href=\"#event-{i}\">#</a></li>"))
            .collect();
        let scan = Scan::of(&html);
        assert!((0..2000).all(|i| scan.has_id(&format!("event-{i}"))));
        assert!(!scan.has_id("event-2000") && !scan.has_id("event-") && !scan.has_id(""));
        assert_eq!(scan.ids().count(), 2000);
        // Each link leads to an id of the page: settled, none kept.
        assert_eq!(scan.links().count(), 0);
    }

    #[test]
    fn a_scan_keeps_every_link_but_those_settled_on_its_own_page() {
        let html = concat!(
            r##"<h2 id="a">A</h2><a href="#a">self</a><a href="#">top</a>"##,
            r##"<a href="#missing">gone</a><a href="#a&amp;b">escaped</a><a href="#%C3%A9">encoded</a>"##,
            r##"<a href="/x/">x</a><img src="a.png" alt=""><a href="https://example.org/">out</a>"##,
        );
        let scan = Scan::of(html);
        assert_eq!(
            scan.links().collect::<Vec<_>>(),
            [
                "#missing",
                "#a&amp;b",
                "#%C3%A9",
                "/x/",
                "a.png",
                "https://example.org/"
            ]
        );
        assert_eq!(scan.ids().collect::<Vec<_>>(), ["a"]);
        assert!(scan.has_id("a") && !scan.has_id("missing"));
    }
}
