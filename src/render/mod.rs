//! Stage 3, render: the resolved site becomes a set of output files.
//!
//! First, in parallel, each page's body is rendered from Markdown (giving HTML, a table of
//! contents and a summary) and the page itself at once through its Tera template: a page needs
//! no other page's body. Then everything that lists pages — section and tag listings, the
//! briefing's own pages, the search page, the 404 page, redirects — is rendered (in parallel).
//! Each output goes to a [`Sink`] as soon as it is made, after its ids and links are noted
//! ([`links::Scan`]); once all are made, every internal link and anchor is checked ([`links`]).
//! Nothing here touches the disk: `build` passes the write stage's staging folder as the sink
//! ([`render_into`]); `serve` keeps the outputs in memory ([`render_with_state`], [`Rendered`]);
//! `check` discards them and reads the scans ([`State::scans`]).

pub mod export;
pub mod links;
pub mod markdown;
pub mod meta;
pub mod publish;
pub mod search;
pub mod templates;
pub mod time;
pub mod views;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::records::Front;
use crate::model::{Page, Site, urls};
use markdown::{Citer, Markdown, Resolver};
use templates::Templates;
use views::{Index, PageCtx};

/// The bytes of one output file: cheap to clone and share (serve swaps whole sites).
pub type Bytes = bytes::Bytes;

/// The rendered site: output path (relative, `/`-separated) → bytes.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub files: BTreeMap<String, Bytes>,
    /// How many HTML pages were rendered.
    pub pages: usize,
    pub warnings: Diagnostics,
    /// For an incremental update: the outputs that changed (`None` after a full render).
    pub changed: Option<Vec<String>>,
}

/// What an incremental update reuses from the last full render of the same site.
pub struct State {
    tpl: Templates,
    source_index: HashMap<String, usize>,
    bodies: Vec<(Markdown, Citer, Diagnostics)>,
    section_bodies: Vec<Option<(Markdown, Citer, Diagnostics)>>,
    refs: Vec<tera::Value>,
    html_paths: Vec<String>,
    /// Every output path, and the ids and links of each HTML output.
    paths: links::Paths,
    scans: links::Scans,
    pages: usize,
}

impl State {
    /// The ids and links of every HTML output, by output path.
    pub fn scans(&self) -> &links::Scans {
        &self.scans
    }
}

/// Where a full render puts each output file as soon as it is made.
pub trait Sink: Sync {
    /// Take the output at `path` (relative, `/`-separated). A sink that can fail (a disk) keeps
    /// its first error for its owner to report; the render goes on regardless.
    fn put(&self, path: &str, bytes: Cow<'static, [u8]>);
}

/// A sink that keeps the outputs in memory.
#[derive(Default)]
struct Memory(std::sync::Mutex<Vec<(String, Bytes)>>);

impl Sink for Memory {
    fn put(&self, path: &str, bytes: Cow<'static, [u8]>) {
        let bytes = match bytes {
            Cow::Borrowed(b) => Bytes::from_static(b),
            Cow::Owned(mut v) => {
                // Rendering grows a page by doubling; what is kept should not carry the slack.
                v.shrink_to_fit();
                Bytes::from(v)
            }
        };
        if let Ok(mut files) = self.0.lock() {
            files.push((path.to_string(), bytes));
        }
    }
}

/// What a render to a sink made.
#[derive(Debug, Clone, Default)]
pub struct Streamed {
    /// How many files were put in the sink.
    pub files: usize,
    /// How many HTML pages were rendered.
    pub pages: usize,
    pub warnings: Diagnostics,
}

/// One rendered output, with the sources its page cites (for the source list's "cited on").
struct Output {
    path: String,
    /// Site path of a page that belongs in the sitemap (not the 404 page or redirects).
    site_path: Option<String>,
    /// The page; empty once a full render has handed it to the sink.
    html: String,
    cites: Vec<String>,
    title: String,
    url: String,
}

/// What a job renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Job {
    Section(usize),
    TagList,
    Tag(usize),
    Positions,
    Timeline,
    Search,
    NotFound,
    Alias(usize),
}

/// Render `site` to memory, keeping what [`update_bodies`] needs to re-render a page later.
pub fn render_with_state(site: &Site) -> Result<(Rendered, State), Diagnostics> {
    let memory = Memory::default();
    let (streamed, state) = render_into(site, &memory)?;
    let files: BTreeMap<String, Bytes> = memory
        .0
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .collect();
    Ok((
        Rendered {
            files,
            pages: streamed.pages,
            warnings: streamed.warnings,
            changed: None,
        },
        state,
    ))
}

/// Render `site`, handing each output to `sink` as soon as it is made. On error some outputs
/// may already be in the sink: the caller discards them (the write stage's staging folder).
pub fn render_into(site: &Site, sink: &dyn Sink) -> Result<(Streamed, State), Diagnostics> {
    let assets = fingerprint(site);
    let mut tpl = Templates::compile(&site.templates, &site.config, &assets)?;
    let source_index: HashMap<String, usize> = site.briefing.source_index.clone();
    let resolver = Resolver {
        targets: &site.link_targets,
        sources: &source_index,
        base_path: &site.config.base_path,
        sanitize: site.config.raw_html == crate::config::RawHtml::Sanitize,
    };

    // Section texts (few), the index of records and the site view every template gets.
    let section_bodies: Vec<Option<(Markdown, Citer, Diagnostics)>> = site
        .sections
        .iter()
        .map(|s| {
            s.index.as_ref().map(|ix| {
                let mut citer = Citer::default();
                let mut problems = Vec::new();
                let md = markdown::render(
                    ix.body(),
                    ix.dir(),
                    &resolver,
                    &mut citer,
                    &mut problems,
                    false,
                );
                let diags = locate_problems(problems, &ix.path, &ix.text, ix.split.body_start);
                (md, citer, diags)
            })
        })
        .collect();
    let ix = Index::new(site);
    let nav = nav(site);
    tpl.tera
        .global_context()
        .insert("site", &site_view(site, &nav));

    // Each output is scanned for the link check while it is fresh, then handed to the sink;
    // only its metadata stays.
    let emit = |(mut o, d): (Output, Diagnostics)| -> (Output, Diagnostics, links::Scan) {
        let scan = links::Scan::of(&o.html);
        sink.put(
            &o.path,
            Cow::Owned(std::mem::take(&mut o.html).into_bytes()),
        );
        (o, d, scan)
    };

    // Phase 1: each page's body, then at once the page itself (it needs no other page's body),
    // so no body's HTML waits in memory for a later phase.
    let pages_only = Renderer {
        site,
        tpl: &tpl,
        resolver: &resolver,
        section_bodies: &section_bodies,
        ix: &ix,
        // Made in phase 2, from every body: a page lists no other page.
        refs: &[],
    };
    type PageResult = Result<(Output, Diagnostics, links::Scan), Diagnostic>;
    let (bodies, page_results): (Vec<(Markdown, Citer, Diagnostics)>, Vec<PageResult>) = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let (mut md, citer, d) = render_body(p.source.body(), p, &resolver);
            let html = std::mem::take(&mut md.html);
            let page = pages_only.page_with(i, &md, &citer, html).map(emit);
            ((md, citer, d), page)
        })
        .unzip();
    let mut diags = Diagnostics::new();
    for (_, _, d) in bodies.iter().chain(section_bodies.iter().flatten()) {
        diags.extend(d.clone());
    }

    // Phase 2: everything that lists pages. Listing entries are made once per page and shared
    // (cheaply cloned) by every listing.
    let refs: Vec<tera::Value> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| page_ref(site, &bodies, i))
        .collect();
    let r = Renderer {
        site,
        tpl: &tpl,
        resolver: &resolver,
        section_bodies: &section_bodies,
        ix: &ix,
        refs: &refs,
    };

    // Listings first: on a big site they are the longest jobs, and started last they would
    // leave one thread finishing them while the others idle.
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..site.sections.len()).map(Job::Section));
    if !site.tags.is_empty() {
        jobs.push(Job::TagList);
        jobs.extend((0..site.tags.len()).map(Job::Tag));
    }
    for (path, _) in site.briefing.generated_pages() {
        match path {
            "positions/" => jobs.push(Job::Positions),
            "timeline/" => jobs.push(Job::Timeline),
            _ => {}
        }
    }
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);
    jobs.extend((0..site.aliases.len()).map(Job::Alias));

    let results: Vec<PageResult> = jobs.par_iter().map(|j| r.job(*j).map(emit)).collect();
    let total = page_results.len() + results.len() + 1;
    let mut outputs = Vec::with_capacity(total);
    let mut scans = links::Scans::with_capacity_and_hasher(total, Default::default());
    for res in page_results.into_iter().chain(results) {
        match res {
            Ok((o, d, scan)) => {
                diags.extend(d);
                scans.insert(o.path.clone(), scan);
                outputs.push(o);
            }
            Err(d) => diags.push(d),
        }
    }
    // The source list comes last: it lists the pages that cite each source.
    if site
        .briefing
        .generated_pages()
        .iter()
        .any(|(p, _)| *p == "sources/")
    {
        match r.sources_page(&outputs).map(emit) {
            Ok((o, d, scan)) => {
                diags.extend(d);
                scans.insert(o.path.clone(), scan);
                outputs.push(o);
            }
            Err(d) => diags.push(d),
        }
    }

    let pages = outputs.len();
    let mut paths =
        links::Paths::with_capacity_and_hasher(pages + site.copies.len() + 8, Default::default());
    let mut html_paths: Vec<String> = Vec::with_capacity(pages);
    for o in outputs {
        html_paths.extend(o.site_path);
        paths.insert(o.path);
    }
    html_paths.sort();
    for (path, text) in publishing_files(site, &resolver, &bodies, &html_paths) {
        sink.put(&path, Cow::Owned(text.into_bytes()));
        paths.insert(path);
    }
    // Static files, in parallel (a site can have many); HTML among them is link-checked too.
    let copied: Vec<(String, Option<links::Scan>)> = site
        .copies
        .par_iter()
        .map(|c| {
            let name = assets.get(&c.output).unwrap_or(&c.output).clone();
            let scan = name
                .ends_with(".html")
                .then(|| std::str::from_utf8(&c.file.bytes).map(links::Scan::of).ok())
                .flatten();
            sink.put(&name, c.file.bytes.clone());
            (name, scan)
        })
        .collect();
    for (name, scan) in copied {
        if let Some(scan) = scan {
            scans.insert(name.clone(), scan);
        }
        paths.insert(name);
    }

    // Check links only on a complete site, so one failed page does not cascade.
    if !diags.has_errors() {
        diags.extend(links::check(site, &paths, &scans, None, &bodies));
    }
    let warnings = outcome(site, diags)?;
    let files = paths.len();
    let state = State {
        tpl,
        source_index,
        bodies,
        section_bodies,
        refs,
        html_paths,
        paths,
        scans,
        pages,
    };
    Ok((
        Streamed {
            files,
            pages,
            warnings,
        },
        state,
    ))
}

/// Re-render after the Markdown bodies of some generic pages changed (their front matter did
/// not): each page, and — if its summary or headings changed — the listings that show it, the
/// search index and the feed. Links are checked for what was re-rendered (all of them if a
/// page's anchors changed). `changes` are (page index, new source). On error the caller must
/// fall back to a full render: `site` already holds the new sources.
pub fn update_bodies(
    site: &mut Site,
    state: &mut State,
    files: &BTreeMap<String, Bytes>,
    changes: Vec<(usize, crate::load::SourcePage)>,
) -> Result<Rendered, Diagnostics> {
    let indexes: Vec<usize> = changes.iter().map(|(i, _)| *i).collect();
    for (i, source) in changes {
        site.pages[i].source = source;
    }
    let site: &Site = site;
    let resolver = Resolver {
        targets: &site.link_targets,
        sources: &state.source_index,
        base_path: &site.config.base_path,
        sanitize: site.config.raw_html == crate::config::RawHtml::Sanitize,
    };
    let mut diags = Diagnostics::new();
    // The changed pages (with their new body HTML), then the listings that show them.
    let mut pages: Vec<(usize, String)> = Vec::new();
    let mut jobs = Vec::new();
    let mut listings_changed = false;
    let mut anchors_changed = false;
    for &i in &indexes {
        let (mut md, citer, d) =
            render_body(site.pages[i].source.body(), &site.pages[i], &resolver);
        diags.extend(d);
        let old = &state.bodies[i].0;
        let summary_changed = old.summary != md.summary;
        listings_changed |= summary_changed || old.toc != md.toc;
        anchors_changed |= old.anchors != md.anchors;
        pages.push((i, std::mem::take(&mut md.html)));
        state.bodies[i] = (md, citer, Diagnostics::new());
        if summary_changed {
            state.refs[i] = page_ref(site, &state.bodies, i);
            jobs.push(Job::Section(site.pages[i].section));
            jobs.extend(site.pages[i].tags.iter().map(|&t| Job::Tag(t)));
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    jobs.sort();
    jobs.dedup();
    let ix = Index::new(site);
    let r = Renderer {
        site,
        tpl: &state.tpl,
        resolver: &resolver,
        section_bodies: &state.section_bodies,
        ix: &ix,
        refs: &state.refs,
    };
    let mut results: Vec<Result<(Output, Diagnostics), Diagnostic>> = pages
        .into_par_iter()
        .map(|(i, html)| {
            let (body, citer, _) = &state.bodies[i];
            r.page_with(i, body, citer, html)
        })
        .collect();
    results.par_extend(jobs.par_iter().map(|j| r.job(*j)));
    let mut next = files.clone();
    let mut changed: Vec<String> = Vec::new();
    for res in results {
        match res {
            Ok((o, d)) => {
                diags.extend(d);
                let bytes = Bytes::from(o.html.into_bytes());
                if next.get(&o.path) != Some(&bytes) {
                    changed.push(o.path.clone());
                    next.insert(o.path, bytes);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    if listings_changed {
        for (path, text) in publishing_files(site, &resolver, &state.bodies, &state.html_paths) {
            let bytes = Bytes::from(text.into_bytes());
            if next.get(&path) != Some(&bytes) {
                changed.push(path.clone());
                next.insert(path, bytes);
            }
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let changed_html: std::collections::HashSet<String> = changed
        .iter()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect();
    for path in &changed_html {
        if let Some(html) = next.get(path).and_then(|b| std::str::from_utf8(b).ok()) {
            state.scans.insert(path.clone(), links::Scan::of(html));
        }
    }
    let only = if anchors_changed {
        None
    } else {
        Some(&changed_html)
    };
    diags.extend(links::check(
        site,
        &state.paths,
        &state.scans,
        only,
        &state.bodies,
    ));
    let warnings = outcome(site, diags)?;
    changed.sort();
    Ok(Rendered {
        files: next,
        pages: state.pages,
        warnings,
        changed: Some(changed),
    })
}

/// The end of a render: all errors (sorted), or the site's warnings with the render's own.
fn outcome(site: &Site, mut diags: Diagnostics) -> Result<Diagnostics, Diagnostics> {
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let mut warnings = site.warnings.clone();
    warnings.extend(diags);
    warnings.sort();
    Ok(warnings)
}

/// Sitemap, robots.txt, feed, calendar, JSON export and search index (made in parallel).
fn publishing_files(
    site: &Site,
    resolver: &Resolver<'_>,
    bodies: &[(Markdown, Citer, Diagnostics)],
    html_paths: &[String],
) -> Vec<(String, String)> {
    let ((mut out, feeds), search) = rayon::join(
        || {
            rayon::join(
                || {
                    let mut out = vec![("robots.txt".to_string(), publish::robots(site))];
                    if let Some(x) = publish::sitemap(site, html_paths) {
                        out.push(("sitemap.xml".into(), x));
                    }
                    out
                },
                || feeds_and_data(site, resolver, bodies),
            )
        },
        || search_index(site, bodies),
    );
    out.extend(feeds);
    out.push(("search-index.json".into(), search));
    out
}

/// The feed, the calendar and the JSON export.
fn feeds_and_data(
    site: &Site,
    resolver: &Resolver<'_>,
    bodies: &[(Markdown, Citer, Diagnostics)],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let update_html = |i: usize, j: usize| -> String {
        let p = &site.pages[i];
        match &p.source.front {
            Front::Talk(t) => t.updates.get(j).map_or_else(String::new, |u| {
                let md = markdown::render(
                    &u.text,
                    p.source.dir(),
                    resolver,
                    &mut Citer::default(),
                    &mut Vec::new(),
                    true,
                );
                markdown::strip_cites(&md.html)
            }),
            _ => String::new(),
        }
    };
    let summary_html = |i: usize| bodies[i].0.summary.as_deref().map(markdown::strip_cites);
    if let Some(x) = publish::atom(site, &update_html, &summary_html) {
        out.push(("atom.xml".into(), x));
    }
    if !site.briefing.talks.is_empty() {
        out.push(("calendar.ics".into(), publish::calendar(site)));
    }
    if !site.briefing.is_empty() {
        let json = serde_json::to_string_pretty(&export::export(site)).unwrap_or_default();
        out.push(("briefing.json".into(), json + "\n"));
    }
    out
}

/// The search index: every page's title, address, kind and summary text.
fn search_index(site: &Site, bodies: &[(Markdown, Citer, Diagnostics)]) -> String {
    let mut entries: Vec<search::Entry> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let c = p.source.front.common();
            let mut text = match c.summary {
                Some(s) => s.to_string(),
                None => bodies[i]
                    .0
                    .summary
                    .as_deref()
                    .map(search::plain_text)
                    .unwrap_or_default(),
            };
            for h in &bodies[i].0.toc {
                text.push_str(" · ");
                text.push_str(&h.title);
            }
            search::Entry {
                title: c.title.to_string(),
                url: site.config.url(&p.path),
                kind: p.kind(),
                text: search::clip(&text),
            }
        })
        .collect();
    entries.par_sort_unstable_by(|a, b| a.url.cmp(&b.url));
    search::to_json(&entries)
}

/// Stylesheets and scripts from `static/` get a content hash in their name so hosts can cache
/// them forever: `style.css` → `style.1a2b3c4d.css`. Templates reach them through `url()`.
fn fingerprint(site: &Site) -> templates::AssetMap {
    use sha2::{Digest, Sha256};
    let mut map = HashMap::new();
    for c in &site.copies {
        let is_static = !c.file.origin.starts_with("content");
        let Some((stem, ext)) = c.output.rsplit_once('.') else {
            continue;
        };
        if is_static && (ext == "css" || ext == "js") {
            let digest = Sha256::digest(&c.file.bytes);
            let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
            map.insert(c.output.clone(), format!("{stem}.{hex}.{ext}"));
        }
    }
    std::sync::Arc::new(map)
}

/// The zone a page's local times are read in: the venue's for a talk.
fn venue_zone(front: &Front) -> Option<&str> {
    match front {
        Front::Talk(t) => Some(t.venue.timezone.0.as_str()),
        _ => None,
    }
}

fn render_body(text: &str, p: &Page, resolver: &Resolver<'_>) -> (Markdown, Citer, Diagnostics) {
    let mut citer = Citer::default();
    let mut problems = Vec::new();
    let md = markdown::render(
        text,
        p.source.dir(),
        resolver,
        &mut citer,
        &mut problems,
        false,
    );
    let diags = locate_problems(
        problems,
        &p.source.path,
        &p.source.text,
        p.source.split.body_start,
    );
    (md, citer, diags)
}

fn locate_problems(
    problems: Vec<markdown::Problem>,
    path: &std::path::Path,
    text: &str,
    body_start: usize,
) -> Diagnostics {
    problems
        .into_iter()
        .map(|p| {
            p.diagnostic()
                .in_file(path)
                .at_offset(text, body_start + p.offset)
                .span(p.len)
        })
        .collect()
}

/// Navigation: the briefing's pages that exist, then other top-level sections.
fn nav(site: &Site) -> Vec<Value> {
    let mut items: Vec<(String, String)> = vec![("Overview".into(), String::new())];
    let b = &site.briefing;
    let section_exists = |dir: &str| site.sections.iter().any(|s| s.dir == dir);
    for (dir, label, has) in [
        ("talks", "Talks", !b.talks.is_empty()),
        ("parties", "Parties", !b.parties.is_empty()),
        ("people", "People", !b.people.is_empty()),
        ("topics", "Topics", !b.topics.is_empty()),
    ] {
        if has && section_exists(dir) {
            items.push((label.into(), format!("{dir}/")));
        }
    }
    for (path, _) in b.generated_pages() {
        let label = match path {
            "positions/" => "Positions",
            "timeline/" => "Timeline",
            _ => "Sources",
        };
        items.push((label.into(), path.to_string()));
    }
    items.push(("Search".into(), "search/".into()));
    for s in &site.sections {
        if s.parent == Some(0)
            && !["talks", "parties", "people", "topics"].contains(&s.dir.as_str())
        {
            items.push((s.title.clone(), s.path.clone()));
        }
    }
    items
        .into_iter()
        .map(|(title, path)| json!({"title": title, "path": path, "url": site.config.url(&path)}))
        .collect()
}

fn site_view(site: &Site, nav: &[Value]) -> Value {
    let c = &site.config;
    let b = &site.briefing;
    json!({
        "title": c.title, "description": c.description, "language": c.language,
        "author": c.author, "base_url": c.base_url, "base_path": c.base_path,
        "nav": nav,
        "has_tags": !site.tags.is_empty(),
        "as_of": b.now.map(|n| time::format_date(n.date())),
        "as_of_iso": b.now.map(|n| n.date().to_string()),
        "display_timezones": c.display_timezones,
        "data": site.data,
        "generator": concat!("briefing ", env!("CARGO_PKG_VERSION")),
    })
}

struct Renderer<'a> {
    site: &'a Site,
    tpl: &'a Templates,
    resolver: &'a Resolver<'a>,
    section_bodies: &'a [Option<(Markdown, Citer, Diagnostics)>],
    ix: &'a Index,
    refs: &'a [tera::Value],
}

/// What `page` is in a page's template.
#[derive(serde::Serialize)]
struct PageView<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
    permalink: Option<String>,
    id: &'a str,
    kind: &'static str,
    date: Option<String>,
    date_view: Option<time::TimeView>,
    updated: Option<String>,
    updated_view: Option<time::TimeView>,
    summary: Option<&'a str>,
    summary_html: Option<&'a str>,
    content: &'a str,
    toc: &'a [markdown::TocEntry],
    tags: Vec<LinkView<'a>>,
    extra: Option<&'a serde_json::Value>,
    draft: bool,
    section: SectionRef<'a>,
    source_path: String,
}

#[derive(serde::Serialize)]
struct LinkView<'a> {
    name: &'a str,
    url: String,
}

#[derive(serde::Serialize)]
struct SectionRef<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
}

/// A listing entry for a page.
fn page_ref(site: &Site, bodies: &[(Markdown, Citer, Diagnostics)], i: usize) -> tera::Value {
    let p = &site.pages[i];
    let c = p.source.front.common();
    let summary = match c.summary {
        Some(s) => Some(s.to_string()),
        None => bodies[i].0.summary.as_deref().map(markdown::strip_cites),
    };
    tera::Value::from_serializable(&PageRef {
        title: c.title,
        url: site.config.url(&p.path),
        path: &p.path,
        kind: p.kind(),
        id: &p.id,
        date: c.date.map(|d| d.to_string()),
        date_view: c
            .date
            .map(|d| time::view(d, venue_zone(&p.source.front), &[], false)),
        summary,
        summary_is_html: c.summary.is_none(),
    })
}

/// A listing entry (`section.pages[]`, `tag.pages[]`).
#[derive(serde::Serialize)]
struct PageRef<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
    kind: &'static str,
    id: &'a str,
    date: Option<String>,
    date_view: Option<time::TimeView>,
    summary: Option<String>,
    summary_is_html: bool,
}

/// `json` as a Tera value with `key` set to `value` (which may be large and shared).
fn with_value(json: &Value, key: &'static str, value: tera::Value) -> tera::Value {
    let mut map = tera::Value::from_serializable(json)
        .into_map()
        .unwrap_or_default();
    map.insert(key.into(), value);
    tera::Value::from(map)
}

impl Renderer<'_> {
    fn job(&self, job: Job) -> Result<(Output, Diagnostics), Diagnostic> {
        match job {
            Job::Section(i) => self.section(i),
            Job::TagList => self.tag_list(),
            Job::Tag(i) => self.tag(i),
            Job::Positions => self.positions(),
            Job::Timeline => self.timeline(),
            Job::Search => self.search_page(),
            Job::NotFound => self.not_found(),
            Job::Alias(i) => self.alias(i),
        }
    }

    fn base_context(&self, path: &str, title: &str) -> tera::Context {
        let mut ctx = self.context_without_meta(path, title);
        ctx.insert("meta", &meta::generic(self.site, path, title));
        ctx
    }

    /// The variables every template gets, except `meta` (pages make their own).
    fn context_without_meta(&self, path: &str, title: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("current_path", path);
        ctx.insert("current_url", &self.site.config.url(path));
        ctx.insert("canonical", &self.site.config.absolute_url(path));
        ctx.insert("title", title);
        ctx
    }

    fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        origin: Option<&std::path::Path>,
    ) -> Result<String, Diagnostic> {
        self.tpl.tera.render(template, ctx).map_err(|e| {
            let mut d = self.tpl.diagnostic(&e, Some(template));
            if let Some(o) = origin {
                d.message = format!(
                    "{} (while rendering {})",
                    d.message,
                    crate::diagnostics::display_path(o)
                );
            }
            d
        })
    }

    fn finish(
        &self,
        path: String,
        html: String,
        cx: PageCtx<'_>,
        title: String,
    ) -> (Output, Diagnostics) {
        let cites = cx.citer.cited.iter().map(|(id, _)| id.clone()).collect();
        let url = self.site.config.url(&path);
        (
            Output {
                site_path: Some(path.clone()),
                path: urls::output_file(&path),
                html,
                cites,
                title,
                url,
            },
            cx.diags,
        )
    }

    /// Page `i`, given its rendered body (`body_html` is used by generic pages; records render
    /// their text again, numbering its citations after their structured ones).
    fn page_with(
        &self,
        i: usize,
        body: &Markdown,
        body_citer: &Citer,
        body_html: String,
    ) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let p = &site.pages[i];
        let c = p.source.front.common();
        let mut cx = PageCtx::new(site, self.resolver);
        let mut ctx = self.context_without_meta(&p.path, c.title);

        // Records number their structured citations first, then the narrative.
        let (kind_template, content) = match &p.source.front {
            Front::Page(_) => {
                cx.citer = body_citer.clone();
                ("page.html", body_html)
            }
            Front::Talk(t) => {
                let view = views::talk_view(&mut cx, self.ix, p, t);
                let html = self.rerender_body(&mut cx, p);
                let updates = views::updates_view(&mut cx, p, t);
                cx.list(&t.sources);
                ctx.insert("talk", &view);
                ctx.insert("updates", &updates);
                ("talk.html", html)
            }
            Front::Party(f) => {
                let view = views::party_view(&mut cx, self.ix, p, f);
                ctx.insert("party", &view);
                ("party.html", self.rerender_body(&mut cx, p))
            }
            Front::Person(f) => {
                let view = views::person_view(&mut cx, self.ix, p, f);
                ctx.insert("person", &view);
                ("person.html", self.rerender_body(&mut cx, p))
            }
            Front::Topic(_) => {
                let html = self.rerender_body(&mut cx, p);
                let view = views::topic_view(&mut cx, self.ix, p);
                ctx.insert("topic", &view);
                ("topic.html", html)
            }
        };
        let template = c.template.unwrap_or(kind_template);
        if !self.tpl.has(template) {
            return Err(
                Diagnostic::error(format!("template `{template}` does not exist"))
                    .in_file(&p.source.path)
                    .hint("add it under templates/, or remove the `template:` key"),
            );
        }
        let section = &site.sections[p.section];
        let (sources, notice) = cx.sources_view();
        let zone = venue_zone(&p.source.front);
        ctx.insert(
            "page",
            &PageView {
                title: c.title,
                url: site.config.url(&p.path),
                path: &p.path,
                permalink: site.config.absolute_url(&p.path),
                id: &p.id,
                kind: p.kind(),
                date: c.date.map(|d| d.to_string()),
                date_view: c.date.map(|d| time::view(d, zone, &[], false)),
                updated: c.updated.map(|d| d.to_string()),
                updated_view: c.updated.map(|d| time::view(d, zone, &[], false)),
                summary: c.summary,
                summary_html: body.summary.as_deref(),
                content: &content,
                toc: &body.toc,
                tags: p
                    .tags
                    .iter()
                    .map(|&t| LinkView {
                        name: &site.tags[t].name,
                        url: site.config.url(&site.tags[t].path),
                    })
                    .collect(),
                extra: c.extra,
                draft: c.draft,
                section: SectionRef {
                    title: &section.title,
                    url: site.config.url(&section.path),
                    path: &section.path,
                },
                source_path: crate::diagnostics::display_path(&p.source.path),
            },
        );
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let summary = c
            .summary
            .map(str::to_string)
            .or_else(|| body.summary.as_deref().map(search::plain_text));
        ctx.insert("meta", &meta::for_page(site, p, summary));
        let html = self.render(template, &ctx, Some(&p.source.path))?;
        Ok(self.finish(p.path.clone(), html, cx, c.title.to_string()))
    }

    fn rerender_body(&self, cx: &mut PageCtx<'_>, p: &Page) -> String {
        let mut problems = Vec::new();
        let md = markdown::render(
            p.source.body(),
            p.source.dir(),
            self.resolver,
            &mut cx.citer,
            &mut problems,
            false,
        );
        // Problems were already reported by the first pass.
        md.html
    }

    fn section(&self, i: usize) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let s = &site.sections[i];
        let mut cx = PageCtx::new(site, self.resolver);
        let mut ctx = self.base_context(&s.path, &s.title);
        let (mut content, toc) = match &self.section_bodies[i] {
            Some((md, citer, _)) => {
                cx.citer = citer.clone();
                (md.html.clone(), md.toc.clone())
            }
            None => (String::new(), Vec::new()),
        };
        let pages: Vec<tera::Value> = s.pages.iter().map(|&p| self.refs[p].clone()).collect();
        let subsections: Vec<Value> = s
            .subsections
            .iter()
            .map(|&j| json!({"title": site.sections[j].title, "url": site.config.url(&site.sections[j].path)}))
            .collect();
        let template = s
            .index
            .as_ref()
            .and_then(|ix| ix.front.common().template.map(str::to_string))
            .unwrap_or_else(|| {
                if s.dir.is_empty() {
                    "index.html".into()
                } else {
                    "section.html".into()
                }
            });
        if s.dir.is_empty() && !site.briefing.is_empty() {
            // The front page shows outcomes and updates above the overview text: number their
            // citations first, then the overview's.
            cx.citer = Citer::default();
            self.front_page(&mut cx, &mut ctx);
            if let Some(ix) = &s.index {
                let mut problems = Vec::new();
                content = markdown::render(
                    ix.body(),
                    ix.dir(),
                    self.resolver,
                    &mut cx.citer,
                    &mut problems,
                    false,
                )
                .html;
            }
        } else if s.dir.is_empty() {
            self.front_page(&mut cx, &mut ctx);
        }
        let (sources, notice) = cx.sources_view();
        ctx.insert_value(
            "section",
            with_value(
                &json!({
                    "title": s.title, "url": site.config.url(&s.path), "path": s.path,
                    "dir": s.dir, "content": content, "toc": toc,
                    "subsections": subsections,
                    "summary": s.index.as_ref().and_then(|ix| ix.front.common().summary.map(str::to_string)),
                    "extra": s.index.as_ref().and_then(|ix| ix.front.common().extra.cloned()),
                }),
                "pages",
                tera::Value::from(pages),
            ),
        );
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        if !self.tpl.has(&template) {
            return Err(
                Diagnostic::error(format!("template `{template}` does not exist")).in_file(
                    s.index
                        .as_ref()
                        .map_or_else(|| std::path::PathBuf::from("content"), |ix| ix.path.clone()),
                ),
            );
        }
        let origin = s.index.as_ref().map(|ix| ix.path.as_path());
        let html = self.render(&template, &ctx, origin)?;
        Ok(self.finish(s.path.clone(), html, cx, s.title.clone()))
    }

    /// The front page's briefing: latest and next round, key outcomes, latest updates.
    fn front_page(&self, cx: &mut PageCtx<'_>, ctx: &mut tera::Context) {
        let site = self.site;
        let b = &site.briefing;
        // The at-a-glance box shows no citations: build it on a scratch numbering.
        let glance = |id: &Option<String>| -> Option<Value> {
            let i = *b.talks.get(id.as_ref()?)?;
            let p = &site.pages[i];
            let mut scratch = PageCtx::new(site, self.resolver);
            match &p.source.front {
                Front::Talk(t) => Some(views::talk_view(&mut scratch, self.ix, p, t)),
                _ => None,
            }
        };
        let latest = glance(&b.latest_talk);
        let next = if b.next_talk != b.latest_talk {
            glance(&b.next_talk)
        } else {
            None
        };
        let outcomes = b
            .latest_talk
            .as_ref()
            .and_then(|id| b.talks.get(id))
            .and_then(|&i| match &site.pages[i].source.front {
                Front::Talk(t) => Some(views::outcome_groups(cx, self.ix, &site.pages[i], t)),
                _ => None,
            })
            .unwrap_or_default();
        let mut updates: Vec<(i64, Value)> = Vec::new();
        for &i in b.talks.values() {
            let p = &site.pages[i];
            if let Front::Talk(t) = &p.source.front {
                let mut keyed: Vec<_> = t
                    .updates
                    .iter()
                    .map(|u| views::instant_key(&u.at, &t.venue.timezone.0))
                    .collect();
                keyed.sort_unstable_by(|a, b| b.cmp(a));
                for (k, v) in keyed.into_iter().zip(views::updates_view(cx, p, t)) {
                    updates.push((k, v));
                }
            }
        }
        updates.sort_by_key(|u| std::cmp::Reverse(u.0));
        updates.truncate(5);
        let talks: Vec<Value> = b
            .talk_order
            .iter()
            .rev()
            .map(|id| views::talk_ref(site, self.ix, id))
            .collect();
        ctx.insert(
            "briefing",
            &json!({
                "latest": latest, "next": next, "outcome_groups": outcomes,
                "updates": updates.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
                "talks": talks,
                "counts": {"talks": b.talks.len(), "parties": b.parties.len(), "people": b.people.len(),
                           "topics": b.topics.len(), "sources": b.sources.len(), "events": b.timeline.len()},
                "has_records": !b.is_empty(),
            }),
        );
    }

    fn tag_list(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let mut ctx = self.base_context("tags/", "Tags");
        let tags: Vec<Value> = site
            .tags
            .iter()
            .map(|t| json!({"name": t.name, "url": site.config.url(&t.path), "count": t.pages.len()}))
            .collect();
        ctx.insert("tags", &tags);
        let html = self.render("tags.html", &ctx, None)?;
        Ok(self.finish(
            "tags/".into(),
            html,
            PageCtx::new(site, self.resolver),
            "Tags".into(),
        ))
    }

    fn tag(&self, i: usize) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let t = &site.tags[i];
        let title = format!("Tagged “{}”", t.name);
        let mut ctx = self.base_context(&t.path, &title);
        let pages: Vec<tera::Value> = t.pages.iter().map(|&p| self.refs[p].clone()).collect();
        ctx.insert_value(
            "tag",
            with_value(
                &json!({"name": t.name, "slug": t.slug, "url": site.config.url(&t.path)}),
                "pages",
                tera::Value::from(pages),
            ),
        );
        let html = self.render("tag.html", &ctx, None)?;
        Ok(self.finish(
            t.path.clone(),
            html,
            PageCtx::new(site, self.resolver),
            title,
        ))
    }

    fn positions(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut cx = PageCtx::new(self.site, self.resolver);
        let mut ctx = self.base_context("positions/", "Positions");
        let m = views::matrix_view(&mut cx, self.ix);
        ctx.insert("matrix", &m);
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("positions.html", &ctx, None)?;
        Ok(self.finish("positions/".into(), html, cx, "Positions".into()))
    }

    fn timeline(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut cx = PageCtx::new(self.site, self.resolver);
        let mut ctx = self.base_context("timeline/", "Timeline");
        let years = views::timeline_view(&mut cx, self.ix);
        ctx.insert("years", &years);
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("timeline.html", &ctx, None)?;
        Ok(self.finish("timeline/".into(), html, cx, "Timeline".into()))
    }

    fn sources_page(&self, outputs: &[Output]) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let mut ctx = self.base_context("sources/", "Sources");
        let mut cited_on: HashMap<&str, Vec<Value>> = HashMap::new();
        let mut sorted: Vec<&Output> = outputs.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        for o in sorted {
            for id in &o.cites {
                cited_on.entry(id.as_str()).or_default().push(json!({
                    "title": if o.path == "index.html" { "Front page" } else { o.title.as_str() },
                    "url": o.url,
                }));
            }
        }
        let list: Vec<views::SourceView> = site
            .briefing
            .sources
            .iter()
            .map(|s| {
                let mut v = views::source_view(s, None, Vec::new(), &site.config.display_timezones);
                v.cited_on = cited_on.remove(s.id.as_str()).unwrap_or_default();
                v
            })
            .collect();
        ctx.insert("all_sources", &list);
        let html = self.render("sources.html", &ctx, None)?;
        Ok(self.finish(
            "sources/".into(),
            html,
            PageCtx::new(site, self.resolver),
            "Sources".into(),
        ))
    }

    fn search_page(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut ctx = self.base_context("search/", "Search");
        ctx.insert("index_url", &self.site.config.url("search-index.json"));
        let html = self.render("search.html", &ctx, None)?;
        Ok(self.finish(
            "search/".into(),
            html,
            PageCtx::new(self.site, self.resolver),
            "Search".into(),
        ))
    }

    fn not_found(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let ctx = self.base_context("404.html", "Page not found");
        let html = self.render("404.html", &ctx, None)?;
        let (mut o, d) = self.finish(
            String::new(),
            html,
            PageCtx::new(self.site, self.resolver),
            "Page not found".into(),
        );
        o.path = "404.html".into();
        o.site_path = None;
        Ok((o, d))
    }

    fn alias(&self, i: usize) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let a = &site.aliases[i];
        let p = &site.pages[a.page];
        let target = site
            .config
            .absolute_url(&p.path)
            .unwrap_or_else(|| site.config.url(&p.path));
        let mut ctx = self.base_context(&p.path, p.source.front.common().title);
        ctx.insert("target", &target);
        let html = self.render("alias.html", &ctx, Some(&p.source.path))?;
        let (mut o, d) = self.finish(
            String::new(),
            html,
            PageCtx::new(site, self.resolver),
            String::new(),
        );
        o.path = a.output.clone();
        o.site_path = None;
        o.cites.clear();
        Ok((o, d))
    }
}
