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

pub(crate) mod deps;
pub(crate) mod editions;
pub(crate) mod export;
mod jobs;
pub(crate) mod links;
pub mod markdown;
pub(crate) mod meta;
mod positions;
pub(crate) mod publish;
pub mod search;
mod sources;
pub(crate) mod templates;
pub(crate) mod time;
pub(crate) mod trust;
pub(crate) mod views;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Locale;
use crate::load::FileBytes;
use crate::load::kinds::Kind;
use crate::load::records::Front;
use crate::model::outputs::{self, Job};
use crate::model::{Page, Site, urls};
use jobs::Renderer;
use markdown::{Citer, Markdown, Resolver};
use templates::Templates;
use views::Index;

/// The bytes of one output file: cheap to clone and share (serve swaps whole sites).
pub(crate) type Bytes = bytes::Bytes;

/// The rendered site: output path (relative, `/`-separated) → bytes.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Every output file by path; shared, so a kept session and the server hold one copy.
    pub files: Arc<BTreeMap<String, Bytes>>,
    /// How many HTML pages were rendered.
    pub pages: usize,
    pub warnings: Diagnostics,
    /// For an incremental update: the outputs that changed (`None` after a full render).
    pub changed: Option<Vec<String>>,
    /// For an incremental update: the HTML outputs rendered again, changed or not (`None`
    /// after a full render), so tests can see that an edit renders no more than it must.
    pub rerendered: Option<Vec<String>>,
}

/// What an incremental [`update`] reuses from the last render of the same site.
pub(crate) struct State {
    tpl: Templates,
    /// For each template, every template it uses (itself included).
    tpl_uses: HashMap<String, Vec<String>>,
    /// The `site` variable every template got.
    site_view: SiteView,
    /// Each page's Markdown body, aligned with `Site::pages`.
    bodies: Vec<Body>,
    /// Each page's listing entry, aligned with `Site::pages`, made the first time a listing
    /// shows it (empty after a one-shot render, which keeps none).
    entries: Vec<OnceLock<tera::Value>>,
    section_bodies: Vec<Option<Body>>,
    /// Every HTML output rendered through a template, by output path, with what it read.
    /// An output kept from an earlier render keeps the job it was made by: after pages came
    /// or went, its index (`Job::Page(i)`…) may be another page's now. Only its kind of job
    /// is to be trusted; the plan (`Site::outputs`) says what each path is now.
    outputs: FxHashMap<String, Output>,
    /// The numbers of what outputs read.
    interner: deps::Interner,
    html_paths: Vec<String>,
    /// Every output path, and the ids and links of each HTML output.
    paths: links::Paths,
    /// The first segments of `paths` (see [`links::roots`]), made when first needed.
    roots: Option<FxHashSet<String>>,
    scans: links::Scans,
    pages: usize,
    /// The search index, to rewrite only the shards an edit changes.
    search: search::Index,
    /// Whether `outputs` hold what each read ([`render_once`] notes nothing).
    reads_kept: bool,
    /// The feed's entries as the last render made them (`None` after a one-shot render, or
    /// without a base URL), and the sitemap's dates as the last update made them (`None` after
    /// a full render: the first update, or [`warm`], makes them).
    feed: Option<publish::FeedKept>,
    lastmods: Option<Vec<Option<jiff::Timestamp>>>,
    /// The index the last render used (`None` after a one-shot render).
    index: Option<Index>,
    /// Who read what, by place in the plan the last update rendered (`None` after a full
    /// render, or when the plan may have changed: made again by the next update that keeps it).
    selector: Option<Selector>,
    /// Who cites what: for each source id, the outputs (by path) that cite it. Made by the
    /// first update that makes pages of a split source list again (`None` until then), kept
    /// up to date as outputs change from then on.
    citers: Option<Citers>,
    /// Each source's view on the source list as the last update made it, for the next to
    /// use where its entry and citing pages stayed the same (empty until an update makes
    /// pages of the source list again).
    source_memo: sources::SourceMemo,
}

/// Whether an update picks the output of `job` by what it read (the source list's pages are
/// made again by what cites what; publishing files and copies by what they show).
fn selectable(job: Job) -> bool {
    job.is_page() && !matches!(job, Job::Sources | Job::SourceLetter(..))
}

/// What an update with the same plan needs to find the outputs an edit touches without going
/// through every output: who read each dep, and where each page's own output is.
#[derive(Debug)]
struct Selector {
    readers: deps::Readers,
    /// `(page index, place)` of every [`Job::Page`] output, by page.
    pages: Vec<(usize, u32)>,
}

impl Selector {
    /// From the kept outputs of the plan `site.outputs`; `None` when one of its outputs is not
    /// kept, or was made by another kind of job.
    fn of(site: &Site, outputs: &FxHashMap<String, Output>) -> Option<Selector> {
        let mut readers = deps::Readers::default();
        let mut pages = Vec::new();
        for (place, o) in site.outputs.iter().enumerate() {
            if !selectable(o.job) {
                continue;
            }
            let meta = outputs.get(&o.path)?;
            if std::mem::discriminant(&meta.job) != std::mem::discriminant(&o.job) {
                return None;
            }
            let place = u32::try_from(place).ok()?;
            if let Job::Page(i) = o.job {
                pages.push((i, place));
            }
            readers.note(place, &[], &meta.reads);
        }
        pages.sort_unstable();
        Some(Selector { readers, pages })
    }

    /// The places of page `i`'s own outputs.
    fn page(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        let from = self.pages.partition_point(|&(p, _)| p < i);
        self.pages[from..]
            .iter()
            .take_while(move |&&(p, _)| p == i)
            .map(|&(_, k)| k)
    }
}

/// For each source id, the paths of the outputs that cite it.
type Citers = FxHashMap<String, BTreeSet<String>>;

/// Note in `citers` (when made) that output `o` cites what it cites (`add`), or no longer.
fn note_cites(citers: &mut Option<Citers>, o: &Output, add: bool) {
    if let Some(c) = citers {
        cites_into(c, o, add);
    }
}

/// Each page's date in the sitemap, aligned with `Site::pages`.
fn lastmods_of(site: &Site) -> Vec<Option<jiff::Timestamp>> {
    site.pages
        .iter()
        .map(|p| publish::page_lastmod(&p.source.front))
        .collect()
}

/// Who cites what among `outputs`.
fn citers_of(outputs: &FxHashMap<String, Output>) -> Citers {
    let mut c = Citers::default();
    for o in outputs.values() {
        cites_into(&mut c, o, true);
    }
    c
}

/// Note in `c` that output `o` cites what it cites (`add`), or no longer.
fn cites_into(c: &mut Citers, o: &Output, add: bool) {
    for id in &o.cites {
        if add {
            c.entry(id.clone()).or_default().insert(o.path.clone());
        } else if let Some(paths) = c.get_mut(id) {
            paths.remove(&o.path);
        }
    }
}

impl State {
    /// The ids and links of every HTML output, by output path.
    pub(crate) fn scans(&self) -> &links::Scans {
        &self.scans
    }

    /// Every output path.
    pub(crate) fn paths(&self) -> &links::Paths {
        &self.paths
    }

    /// How many HTML pages the last render made.
    pub(crate) fn pages(&self) -> usize {
        self.pages
    }
}

/// Where a full render puts each output file as soon as it is made.
pub(crate) trait Sink: Sync {
    /// Take the output at `path` (relative, `/`-separated). A sink that can fail (a disk) keeps
    /// its first error for its owner to report; the render goes on regardless.
    fn put(&self, path: &str, bytes: Cow<'static, [u8]>);

    /// Take a file copied as it is. A sink that writes to disk streams it there, never holding
    /// it whole; one that keeps outputs reads it. An error is the file's (it cannot be read, or
    /// changed meanwhile); the sink's own failures are kept like those of [`Sink::put`].
    fn copy(&self, path: &str, file: &FileBytes) -> Result<(), Diagnostic>;

    /// An unnamed temporary file where the render may set aside what waits for the end (a
    /// large site's search postings), on the output's file system and gone when it is closed;
    /// `None` (a sink in memory) keeps it all in memory.
    fn scratch(&self) -> Option<std::fs::File> {
        None
    }
}

/// A sink that keeps the outputs in memory.
#[derive(Default)]
struct Memory(std::sync::Mutex<Vec<(String, Bytes)>>);

impl Memory {
    /// What a whole render put here, as `serve` keeps it.
    fn into_rendered(self, streamed: Streamed) -> Rendered {
        let files: BTreeMap<String, Bytes> = self
            .0
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .collect();
        Rendered {
            files: files.into(),
            pages: streamed.pages,
            warnings: streamed.warnings,
            changed: None,
            rerendered: None,
        }
    }
}

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

    fn copy(&self, path: &str, file: &FileBytes) -> Result<(), Diagnostic> {
        self.put(path, file.read()?);
        Ok(())
    }
}

/// What a render to a sink made.
#[derive(Debug, Clone, Default)]
pub(crate) struct Streamed {
    /// How many files were put in the sink.
    pub(crate) files: usize,
    /// How many HTML pages were rendered.
    pub(crate) pages: usize,
    pub(crate) warnings: Diagnostics,
}

/// One rendered output, with the sources its page cites (for the source list's "cited on")
/// and what it read (for [`update`]).
struct Output {
    job: Job,
    /// What the job read, until the output is kept ([`deps::Interner::intern`] numbers them).
    pending: Vec<deps::Dep>,
    /// What the job read, numbered.
    reads: Box<[u32]>,
    path: String,
    /// Site path of a page that belongs in the sitemap (not the 404 page or redirects).
    site_path: Option<String>,
    /// The page; empty once a full render has handed it to the sink.
    html: String,
    cites: Vec<String>,
    title: String,
    url: String,
}

/// An output with the job that made it and what that job read.
fn made_by(
    (mut o, d): (Output, Diagnostics),
    job: Job,
    reads: Vec<deps::Dep>,
) -> (Output, Diagnostics) {
    o.job = job;
    o.pending = reads;
    (o, d)
}

/// Render `site` to memory, keeping what [`update`] needs to re-render only what an edit touches.
pub(crate) fn render_with_state(site: &Site) -> Result<(Rendered, State), Diagnostics> {
    let memory = Memory::default();
    let (streamed, state) = render_into(site, &memory)?;
    Ok((memory.into_rendered(streamed), state))
}

type Body = (Markdown, Citer, Diagnostics);

fn resolver_for<'a>(site: &'a Site, source_index: &'a HashMap<String, usize>) -> Resolver<'a> {
    Resolver {
        targets: &site.link_targets,
        sources: source_index,
        base_path: &site.config.base_path,
        sanitize: site.config.raw_html == crate::config::RawHtml::Sanitize,
        anchor_label: locale(site).t_args(
            "section-link-label",
            &[("label", crate::i18n::FluentValue::from("{label}"))],
        ),
        cite_label: locale(site).t_args(
            "cite-label",
            &[("n", crate::i18n::FluentValue::from("{n}"))],
        ),
    }
}

fn section_body(site: &Site, i: usize, resolver: &Resolver<'_>) -> Option<Body> {
    site.sections[i].index.as_ref().map(|ix| {
        let mut citer = Citer::default();
        let mut problems = Vec::new();
        let whole = match ix.whole() {
            Ok(whole) => whole,
            Err(d) => return (Markdown::default(), citer, Diagnostics::from(d)),
        };
        let md = markdown::render(
            ix.body_of(&whole),
            ix.dir(),
            resolver,
            &mut citer,
            &mut problems,
            false,
        );
        let diags = locate_problems(problems, &ix.path, &whole, ix.split.body_start);
        (md, citer, diags)
    })
}

/// The language a render pass writes in: a one-language site's `language:`. This is the one
/// place a pass picks its [`Locale`]; an edition renders with its own (see ARCHITECTURE.md).
fn locale(site: &Site) -> &Locale {
    site.locales.default_locale()
}

/// Compile the templates and set the variables every template gets.
fn templates_for(site: &Site) -> Result<(Templates, SiteView), Diagnostics> {
    let assets = fingerprint(site);
    let mut tpl = Templates::compile(&site.templates, &site.config, &assets, &site.locales)?;
    let loc = locale(site);
    let view = site_view(site, loc, nav(site, loc));
    tpl.tera.global_context().insert("site", &view);
    Ok((tpl, view))
}

/// Render `site`, handing each output to `sink` as soon as it is made. On error some outputs
/// may already be in the sink: the caller discards them (the write stage's staging folder).
pub(crate) fn render_into(site: &Site, sink: &dyn Sink) -> Result<(Streamed, State), Diagnostics> {
    render_to(site, sink, true)
}

/// [`render_into`] for a render whose state no edit will update (a one-shot `build`, `check`):
/// what each output read is not noted, which saves the notes' memory (each output's list is
/// kept to the end) and the time to make them. [`update`] of the state it returns renders in
/// full.
pub(crate) fn render_once(site: &Site, sink: &dyn Sink) -> Result<(Streamed, State), Diagnostics> {
    render_to(site, sink, false)
}

fn render_to(
    site: &Site,
    sink: &dyn Sink,
    keep_reads: bool,
) -> Result<(Streamed, State), Diagnostics> {
    let loc = locale(site);
    let (tpl, view) = templates_for(site)?;
    let tpl_uses = template_uses(site);
    let resolver = resolver_for(site, &site.briefing.source_index);

    // Section texts (few), the index of records and the site view every template gets.
    let section_bodies: Vec<Option<Body>> = (0..site.sections.len())
        .map(|i| section_body(site, i, &resolver))
        .collect();
    let ix = Index::new(site);

    // Each output is scanned for the link check and read for the search index while it is
    // fresh, then handed to the sink; only its metadata stays.
    // A one-shot render streams the search index out as its pages come; one that `serve`
    // updates keeps every document, to rewrite only the shards an edit changes.
    let docs = std::sync::Mutex::new(Vec::new());
    let put_search = |path: String, text: String| sink.put(&path, Cow::Owned(text.into_bytes()));
    let streamer = (!keep_reads)
        .then(|| search::Streamer::new(site, search_layout(site), &put_search, sink.scratch()));
    let listings = listing_jobs(site);
    crate::progress::total(site.pages.len() + listings.len());
    let emit = |(mut o, d): (Output, Diagnostics)| -> (Output, Diagnostics, links::Scan) {
        crate::progress::tick();
        let scan = links::Scan::of(&o.html);
        if let Some(doc) = search::Doc::of(site, o.job, &o.title, &o.url, &o.html, &o.cites) {
            match &streamer {
                Some(streamer) => streamer.add(o.job, doc),
                None => docs.lock().map(|mut docs| docs.push(doc)).unwrap_or(()),
            }
        }
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
        tpl_uses: &tpl_uses,
        resolver: &resolver,
        section_bodies: &section_bodies,
        ix: &ix,
        // Made in phase 1, as the pages are: a page lists no other page.
        bodies: &[],
        entries: &[],
        loc,
    };
    type PageResult = Result<(Output, Diagnostics, links::Scan), Diagnostic>;
    // Results of the listing jobs run in phase 1, with their places among the listings.
    type EarlyResults = Vec<(usize, PageResult)>;
    // The one-page views that list no page (the timeline and its year pages, the positions
    // matrix, the changes page) are long single jobs: run beside the pages, and in parallel
    // with each other (one after another, they kept one thread busy for a second after the
    // pages of the 10,000-page briefing were done), they do not leave a thread idle.
    let (early, (bodies, page_results)): (EarlyResults, (Vec<Body>, Vec<PageResult>)) = rayon::join(
        || {
            listings
                .par_iter()
                .enumerate()
                .filter(|(_, j)| lists_no_page(**j))
                .map(|(k, j)| (k, pages_only.job_noted(*j, keep_reads).map(emit)))
                .collect()
        },
        || {
            site.pages
                .par_iter()
                .enumerate()
                .map(|(i, p)| {
                    let ((body, page), reads) = deps::recording_if(keep_reads, || {
                        // The page's text, read again if the load left it on disk, is dropped
                        // as soon as the page is made.
                        let whole = match p.source.whole() {
                            Ok(whole) => whole,
                            Err(d) => return (Body::default(), Err(d)),
                        };
                        let (mut md, citer, d) = render_body(&whole, p, &resolver);
                        let html = std::mem::take(&mut md.html);
                        let page = pages_only.page_with(i, &whole, &md, &citer, html);
                        if !keep_reads {
                            // Only the page itself shows its contents and ids; what listings,
                            // feeds and the link check read of the body stays.
                            md.toc = Vec::new();
                            md.anchors = Vec::new();
                            // Read only to place a broken link: written again then.
                            md.links = Vec::new();
                        }
                        ((md, citer, d), page)
                    });
                    (body, page.map(|o| emit(made_by(o, Job::Page(i), reads))))
                })
                .unzip()
        },
    );
    let mut diags = Diagnostics::new();
    for (_, _, d) in bodies.iter().chain(section_bodies.iter().flatten()) {
        diags.extend(d.clone());
    }

    // Phase 2: everything that lists pages, each listing making its entries from the bodies
    // (and, when the state will be updated, keeping them for the next render).
    let entries: Vec<OnceLock<tera::Value>> = if keep_reads {
        site.pages.iter().map(|_| OnceLock::new()).collect()
    } else {
        Vec::new()
    };
    let r = Renderer {
        site,
        tpl: &tpl,
        tpl_uses: &tpl_uses,
        resolver: &resolver,
        section_bodies: &section_bodies,
        ix: &ix,
        bodies: &bodies,
        entries: &entries,
        loc,
    };

    let mut results: Vec<Option<PageResult>> = listings
        .par_iter()
        .map(|j| (!lists_no_page(*j)).then(|| r.job_noted(*j, keep_reads).map(emit)))
        .collect();
    // In plan order, as if made here.
    for (k, res) in early {
        results[k] = Some(res);
    }
    let results: Vec<PageResult> = results.into_iter().flatten().collect();
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
    if site.outputs.iter().any(|o| o.job == Job::Sources) {
        let made = r.source_pages(outputs.iter(), true, None, None);
        for res in made {
            match res.map(emit) {
                Ok((o, d, scan)) => {
                    diags.extend(d);
                    scans.insert(o.path.clone(), scan);
                    outputs.push(o);
                }
                Err(d) => diags.push(d),
            }
        }
    }

    let pages = outputs.len();
    let mut paths =
        links::Paths::with_capacity_and_hasher(pages + site.copies.len() + 8, Default::default());
    let mut html_paths: Vec<String> = Vec::with_capacity(pages);
    for o in &outputs {
        html_paths.extend(o.site_path.clone());
        paths.insert(o.path.clone());
    }
    html_paths.sort();
    // A render that updates keeps the feed's entries (an update makes again only those of the
    // pages it changed): its feed is made beside the other publishing files.
    let kept_feed = keep_reads
        .then(|| site.outputs.iter().find(|o| o.job == Job::Feed))
        .flatten();
    let mut feed_kept = None;
    let (files, feed_text) = rayon::join(
        || {
            let wanted = |job: Job| kept_feed.is_none() || job != Job::Feed;
            publishing_files(site, &resolver, &bodies, &html_paths, &wanted)
        },
        || kept_feed.map(|_| feed(site, &resolver, &bodies, &mut feed_kept, None)),
    );
    for (path, text) in files {
        sink.put(&path, Cow::Owned(text.into_bytes()));
        paths.insert(path);
    }
    if let (Some(o), Some(mut text)) = (kept_feed, feed_text) {
        // As `publishing_files` ends every text file.
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        sink.put(&o.path, Cow::Owned(text.into_bytes()));
        paths.insert(o.path.clone());
    }
    let search = match streamer {
        Some(streamer) => {
            if let Err(e) = streamer.finish()
                && !diags.has_errors()
            {
                diags.push(Diagnostic::new(crate::diagnostics::Code::Internal, e));
            }
            search::Index::default()
        }
        None => {
            let search = search_index(site, docs.into_inner().unwrap_or_default());
            search.write(&put_search);
            search
        }
    };
    paths.extend(
        site.outputs
            .iter()
            .filter(|o| {
                matches!(
                    o.job,
                    Job::SearchIndex | Job::SearchTerms(_) | Job::SearchDocs(_) | Job::Compare(..)
                )
            })
            .map(|o| o.path.clone()),
    );
    // Static files, in parallel (a site can have many); HTML among them is link-checked too.
    // Each is streamed to the sink; an HTML file is read for its scan, and handed over read.
    let copied: Vec<Result<(String, Option<links::Scan>), Diagnostic>> = site
        .copies
        .par_iter()
        .filter(|c| crate::model::outputs::copied_here(site, c))
        .map(|c| {
            if is_scanned(c) {
                let bytes = c.file.read()?;
                let scan = scan_of(&bytes);
                sink.put(&c.written, bytes);
                Ok((c.written.clone(), scan))
            } else {
                sink.copy(&c.written, &c.file)?;
                Ok((c.written.clone(), None))
            }
        })
        .collect();
    for copied in copied {
        match copied {
            Ok((name, scan)) => {
                if let Some(scan) = scan {
                    scans.insert(name.clone(), scan);
                }
                paths.insert(name);
            }
            Err(d) => diags.push(d),
        }
    }

    // Check links only on a complete site, so one failed page does not cascade.
    if !diags.has_errors() {
        // A page's Markdown links were dropped once it was made: one with a broken link is
        // read and rendered again, to place it.
        let written = |i: usize| -> Vec<(String, usize)> {
            let p = &site.pages[i];
            match p.source.whole() {
                Ok(whole) => render_body(&whole, p, &resolver).0.links,
                Err(_) => Vec::new(),
            }
        };
        diags.extend(links::check(site, &paths, &scans, None, &written, None));
    }
    let warnings = outcome(site, diags)?;
    let files = paths.len();
    let mut interner = deps::Interner::default();
    let state = State {
        tpl,
        tpl_uses,
        site_view: view,
        bodies,
        entries,
        section_bodies,
        outputs: outputs
            .into_iter()
            .map(|mut o| {
                o.reads = interner.intern(std::mem::take(&mut o.pending));
                (o.path.clone(), o)
            })
            .collect(),
        interner,
        html_paths,
        paths,
        roots: None,
        scans,
        pages,
        search,
        reads_kept: keep_reads,
        feed: feed_kept,
        lastmods: None,
        index: keep_reads.then_some(ix),
        citers: None,
        selector: None,
        source_memo: Default::default(),
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

/// Whether a job of phase 2 lists no page, so needs no page's body or listing entry and can run
/// during phase 1 (its reads are noted the same way).
fn lists_no_page(job: Job) -> bool {
    matches!(
        job,
        Job::Timeline
            | Job::TimelineYear(_)
            | Job::Changes
            | Job::Corrections
            | Job::Positions
            | Job::PositionsTopic(_)
    )
}

/// Which of the source list's pages an update makes again.
enum SourcesAgain {
    All,
    /// A split source list: the entry page or not, and these letters' pages.
    Some {
        entry: bool,
        pages: FxHashSet<(char, usize)>,
    },
}

/// What of the source list to make again after an edit (`None`: nothing): the whole list when
/// it is one page and a citation or the registry changed; split, the entry page when the
/// registry changed, and the pages of the letters whose sources changed (in `old`'s registry
/// or `site`'s) or are cited on other pages now (`recited`, when `cited` says citations or
/// the set of outputs changed); everything after a change of structure or templates, when
/// an output is gone (`removed`: its citations with it) or a page is missing.
fn sources_again(
    old: Option<&Site>,
    site: &Site,
    state: &State,
    changes: &deps::Changes,
    cited: bool,
    removed: bool,
    recited: &FxHashSet<String>,
) -> Option<SourcesAgain> {
    let planned: Vec<&outputs::Planned> = site
        .outputs
        .iter()
        .filter(|o| matches!(o.job, Job::Sources | Job::SourceLetter(..)))
        .collect();
    if planned.is_empty() {
        return None;
    }
    let sources_changed = changes.deps.contains(&deps::Dep::Sources);
    let missing = planned.iter().any(|o| match state.outputs.get(&o.path) {
        Some(meta) => meta.job != o.job,
        None => true,
    });
    let templates = changes
        .deps
        .iter()
        .any(|d| matches!(d, deps::Dep::Template(_)));
    if missing || templates || removed || changes.structure {
        return Some(SourcesAgain::All);
    }
    if !outputs::sources_split(site) {
        return (cited || sources_changed).then_some(SourcesAgain::All);
    }
    let b = &site.briefing;
    let layout = &b.source_pages;
    let place = |id: &str| b.source_index.get(id).and_then(|&i| layout.place(i));
    let mut pages: FxHashSet<(char, usize)> = FxHashSet::default();
    if cited {
        pages.extend(recited.iter().filter_map(|id| place(id)));
    }
    if sources_changed {
        let Some(old) = old else {
            return Some(SourcesAgain::All);
        };
        let ob = &old.briefing;
        // The pages of the changed sources, and every page whose sources are not those it had
        // (a source came, went or moved, and the others after it with it).
        for (i, s) in b.sources.iter().enumerate() {
            let before = ob.source_index.get(&s.id).map(|&i| &ob.sources[i]);
            if before != Some(s) {
                pages.extend(layout.place(i));
            }
        }
        fn ids(b: &crate::model::Briefing, k: usize, n: usize) -> Vec<&str> {
            let l = &b.source_pages;
            l.page(k, n)
                .iter()
                .map(|&i| b.sources[i].id.as_str())
                .collect()
        }
        for (k, (c, _)) in layout.letters.iter().enumerate() {
            let was = ob.source_pages.index_of(*c);
            for n in 1..=layout.pages(k) {
                if was.is_none_or(|w| ids(ob, w, n) != ids(b, k, n)) {
                    pages.insert((*c, n));
                }
            }
        }
    }
    (sources_changed || !pages.is_empty()).then_some(SourcesAgain::Some {
        entry: sources_changed,
        pages,
    })
}

/// The jobs of phase 2: the listings and special pages the plan holds, in plan order (listings
/// first: on a big site they are the longest jobs, and started last they would leave one thread
/// finishing them while the others idle). The source list comes after them: it lists the pages
/// that cite each source.
fn listing_jobs(site: &Site) -> Vec<Job> {
    site.outputs
        .iter()
        .map(|o| o.job)
        .filter(|j| {
            j.is_page() && !matches!(j, Job::Page(_) | Job::Sources | Job::SourceLetter(..))
        })
        .collect()
}

/// Whether a copied file is HTML, whose ids and links the link check reads.
fn is_scanned(c: &crate::model::Copy) -> bool {
    c.written.ends_with(".html")
}

/// The ids and links of a copied HTML file (none if it is not UTF-8).
fn scan_of(bytes: &[u8]) -> Option<links::Scan> {
    std::str::from_utf8(bytes).map(links::Scan::of).ok()
}

/// What [`update`] did.
pub(crate) enum Update {
    /// Only what the edit touched was rendered again.
    Done(Rendered),
    /// The edit touches what every page reads (settings, navigation, data files, the briefing's
    /// "now"…): render the whole site instead.
    Full,
}

/// Make now what the first [`update`] after a full render would otherwise make on its way:
/// who read what, who cites what, the sitemap's dates and the link check's roots (the full
/// render keeps its index and the feed's entries itself). `serve` calls it while it waits for the first
/// edit, so that edit is as quick as the next (on the 10,000-page briefing the first title
/// edit took about 200 ms, the next 16). Each is made as the update would make it, from the
/// site the state was rendered from, and kept up to date by every update from then on.
pub(crate) fn warm(site: &Site, state: &mut State) {
    if !state.reads_kept {
        return;
    }
    if state.selector.is_none() {
        state.selector = Selector::of(site, &state.outputs);
    }
    if state.citers.is_none() && outputs::sources_split(site) {
        state.citers = Some(citers_of(&state.outputs));
    }
    if state.roots.is_none() {
        state.roots = Some(links::roots(&state.paths));
    }
    if state.lastmods.is_none() {
        state.lastmods = Some(lastmods_of(site));
    }
}

/// Re-render after an edit: `old` is the site `state` was rendered from, `site` the same site
/// resolved again from the edited files, `files` what the last render made (`base`, when
/// given, an owned map equal to it, used instead of a copy of it). Only the outputs
/// that read something that changed ([`deps::diff`]) are rendered again; the rest are kept
/// as they are. On error the caller must render in full next time.
pub(crate) fn update(
    old: &Site,
    site: &Site,
    state: &mut State,
    files: &BTreeMap<String, Bytes>,
    base: Option<BTreeMap<String, Bytes>>,
) -> Result<Update, Diagnostics> {
    let changes = deps::diff(old, site);
    crate::progress::lap("diff");
    if changes.everything
        || site_view(site, locale(site), nav(site, locale(site))) != state.site_view
    {
        return Ok(Update::Full);
    }
    apply(Some(old), None, site, changes, state, files, base)
}

/// Re-render after only the Markdown bodies of `pages` (indexes into `site.pages`, whose
/// sources the caller has replaced) changed: their front matter is as it was, so the resolved
/// site is too, and nothing needs resolving or comparing again.
pub(crate) fn update_bodies(
    site: &Site,
    pages: &[usize],
    state: &mut State,
    files: &BTreeMap<String, Bytes>,
    base: Option<BTreeMap<String, Bytes>>,
) -> Result<Update, Diagnostics> {
    let mut changes = deps::Changes::default();
    for &i in pages {
        let rel: Arc<str> = Arc::from(site.pages[i].source.rel.as_str());
        changes.deps.insert(deps::Dep::Source(rel.clone()));
        changes.pages.insert(rel);
    }
    apply(None, Some(pages), site, changes, state, files, base)
}

/// Re-render after [`crate::model::patch::patch`] replaced pages in `site` in place: the
/// changes are known from the patch, so nothing is compared.
pub(crate) fn update_patched(
    site: &Site,
    patched: &crate::model::patch::Patched,
    state: &mut State,
    files: &BTreeMap<String, Bytes>,
    base: Option<BTreeMap<String, Bytes>>,
) -> Result<Update, Diagnostics> {
    let mut changes = deps::Changes::default();
    for &i in &patched.pages {
        let rel: Arc<str> = Arc::from(site.pages[i].source.rel.as_str());
        changes.deps.insert(deps::Dep::Source(rel.clone()));
        changes.deps.insert(deps::Dep::Record(rel.clone()));
        changes.deps.insert(deps::Dep::Listing(rel.clone()));
        changes.pages.insert(rel);
    }
    for &s in &patched.sections {
        changes
            .deps
            .insert(deps::Dep::Section(site.sections[s].dir.clone()));
    }
    for &t in &patched.tags {
        changes
            .deps
            .insert(deps::Dep::Tag(site.tags[t].slug.clone()));
    }
    for &t in &patched.renamed_tags {
        changes
            .deps
            .insert(deps::Dep::TagName(site.tags[t].slug.clone()));
    }
    if patched.tag_list {
        changes.deps.insert(deps::Dep::TagList);
    }
    apply(
        None,
        Some(&patched.pages),
        site,
        changes,
        state,
        files,
        base,
    )
}

/// Render again what `changes` touch. `old` is the site `state` was rendered from, or `None`
/// when it has the same pages in the same places as `site`. `files` is what the last render
/// made; `base`, when given, a map equal to it that the new one is made from instead of a copy.
fn apply(
    old: Option<&Site>,
    same: Option<&[usize]>,
    site: &Site,
    mut changes: deps::Changes,
    state: &mut State,
    files: &BTreeMap<String, Bytes>,
    base: Option<BTreeMap<String, Bytes>>,
) -> Result<Update, Diagnostics> {
    if !state.reads_kept {
        // Nothing says which outputs an edit touches.
        return Ok(Update::Full);
    }
    let loc = locale(site);
    if changes
        .deps
        .iter()
        .any(|d| matches!(d, deps::Dep::Template(_)))
    {
        let (tpl, _) = templates_for(site)?;
        state.tpl = tpl;
        state.tpl_uses = template_uses(site);
    }
    let resolver = resolver_for(site, &site.briefing.source_index);
    let mut diags = Diagnostics::new();

    // Bodies, aligned with the new pages: kept unless the page's file changed, a link it
    // makes now leads elsewhere, or the source registry changed under its citations.
    let old_index: Option<FxHashMap<&str, usize>> = old.map(|old| {
        old.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.rel.as_str(), i))
            .collect()
    });
    // Where page `i` of `site` (content path `rel`) was in the old site, and its address then.
    let old_of = |i: usize, rel: &str| -> Option<(usize, &str)> {
        match (&old_index, old) {
            (Some(ix), Some(old)) => ix.get(rel).map(|&j| (j, old.pages[j].path.as_str())),
            _ => Some((i, site.pages[i].path.as_str())),
        }
    };
    let sources_changed = changes.deps.contains(&deps::Dep::Sources);
    let touched = state.interner.touched(&changes);
    let mut anchors_changed = changes.structure;
    let mut rerendered_pages: Vec<usize> = Vec::new();
    // A page's body rendered again; what listings show of it and its anchors compared with
    // the old body's.
    let mut redo = |i: usize, old_body: Option<&Body>, changes: &mut deps::Changes| -> Body {
        let p = &site.pages[i];
        let body = match p.source.whole() {
            Ok(whole) => render_body(&whole, p, &resolver),
            Err(d) => (Markdown::default(), Citer::default(), Diagnostics::from(d)),
        };
        if let Some(old_body) = old_body {
            let (o, n) = (&old_body.0, &body.0);
            if o.summary != n.summary || o.toc != n.toc {
                changes
                    .deps
                    .insert(deps::Dep::Listing(Arc::from(p.source.rel.as_str())));
            }
            anchors_changed |= o.anchors != n.anchors;
        }
        diags.extend(body.2.clone());
        rerendered_pages.push(i);
        body
    };
    crate::progress::lap("prepare");
    let bodies: Vec<Body> = match same {
        // The same pages in the same places: only the edited bodies change.
        Some(edited) => {
            let mut bodies = std::mem::take(&mut state.bodies);
            for &i in edited {
                let body = redo(i, bodies.get(i), &mut changes);
                bodies[i] = body;
            }
            bodies
        }
        None => {
            let mut old_bodies: Vec<Option<Body>> = std::mem::take(&mut state.bodies)
                .into_iter()
                .map(Some)
                .collect();
            let mut bodies: Vec<Body> = Vec::with_capacity(site.pages.len());
            for (i, p) in site.pages.iter().enumerate() {
                let rel = p.source.rel.as_str();
                let old_at = old_of(i, rel);
                let kept = old_at.and_then(|(j, path)| {
                    let out = state.outputs.get(&urls::output_file(path))?;
                    let body = old_bodies[j].as_ref()?;
                    let stale = changes.pages.contains(rel)
                        || touched.touches(&out.reads)
                        || (sources_changed && !body.1.cited.is_empty());
                    (!stale).then(|| old_bodies[j].take()).flatten()
                });
                match kept {
                    Some(body) => bodies.push(body),
                    None => {
                        let old_body = old_at.and_then(|(j, _)| old_bodies[j].as_ref());
                        bodies.push(redo(i, old_body, &mut changes));
                    }
                }
            }
            bodies
        }
    };
    // Section texts whose `_index.md` changed.
    let mut section_bodies = std::mem::take(&mut state.section_bodies);
    section_bodies.resize_with(site.sections.len(), || None);
    for (i, s) in site.sections.iter().enumerate() {
        if changes.deps.contains(&deps::Dep::Section(s.dir.clone())) {
            section_bodies[i] = section_body(site, i, &resolver);
            if let Some(b) = &section_bodies[i] {
                diags.extend(b.2.clone());
            }
        }
    }
    // Listing entries: kept unless what a listing shows of the page changed (made again when
    // a listing shows it).
    let listed: FxHashSet<&str> = changes
        .deps
        .iter()
        .filter_map(|d| match d {
            deps::Dep::Listing(rel) => Some(&**rel),
            _ => None,
        })
        .collect();
    let entries: Vec<OnceLock<tera::Value>> = match same {
        Some(_) if state.entries.len() == site.pages.len() => {
            let mut entries = std::mem::take(&mut state.entries);
            for &i in &rerendered_pages {
                if listed.contains(site.pages[i].source.rel.as_str()) {
                    entries[i] = OnceLock::new();
                }
            }
            entries
        }
        _ => {
            let mut old_entries = std::mem::take(&mut state.entries);
            site.pages
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let rel = p.source.rel.as_str();
                    match old_of(i, rel) {
                        Some((j, _)) if !listed.contains(rel) => old_entries
                            .get_mut(j)
                            .map(std::mem::take)
                            .unwrap_or_default(),
                        _ => OnceLock::new(),
                    }
                })
                .collect()
        }
    };
    crate::progress::lap("bodies and entries");
    // The outputs to render again (listing entries that changed with their bodies included).
    let touched = state.interner.touched(&changes);
    let rerendered: FxHashSet<usize> = rerendered_pages.iter().copied().collect();
    let outputs = &state.outputs;
    let stale = |o: &crate::model::outputs::Planned| -> bool {
        match (o.job, outputs.get(&o.path)) {
            (Job::Page(i), Some(_)) if rerendered.contains(&i) => true,
            (_, Some(meta)) => {
                std::mem::discriminant(&meta.job) != std::mem::discriminant(&o.job)
                    || touched.touches(&meta.reads)
            }
            (_, None) => true,
        }
    };
    // With the same plan, who read what changed is looked up (made on the first such update);
    // otherwise every planned output is checked.
    if same.is_none() {
        state.selector = None;
    } else if state.selector.is_none() {
        state.selector = Selector::of(site, outputs);
        // A kept state holds every output of its plan (an update that fails is not kept).
        debug_assert!(state.selector.is_some(), "a kept output is missing");
    }
    let places: Option<Vec<u32>> = state.selector.as_ref().map(|sel| {
        let mut places = sel.readers.of(&touched);
        places.extend(rerendered_pages.iter().flat_map(|&i| sel.page(i)));
        places.sort_unstable();
        places.dedup();
        places.retain(|&k| stale(&site.outputs[k as usize]));
        places
    });
    let (jobs, rerendered_paths): (Vec<Job>, Vec<String>) = match &places {
        Some(places) => places
            .iter()
            .map(|&k| {
                let o = &site.outputs[k as usize];
                (o.job, o.path.clone())
            })
            .unzip(),
        None => site
            .outputs
            .par_iter()
            .filter(|o| selectable(o.job) && stale(o))
            .map(|o| (o.job, o.path.clone()))
            .unzip(),
    };
    // A page rendered again for what it reads of others (a tag's name…) needs its body, whose
    // HTML the last render handed on: render it again too (the same text, so the same body).
    let missing: Vec<usize> = jobs
        .iter()
        .filter_map(|j| match j {
            Job::Page(i) if !rerendered.contains(i) => Some(*i),
            _ => None,
        })
        .collect();
    let redone: Vec<(usize, Body)> = missing
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            let body = match p.source.whole() {
                Ok(whole) => render_body(&whole, p, &resolver),
                Err(d) => (Markdown::default(), Citer::default(), Diagnostics::from(d)),
            };
            (i, body)
        })
        .collect();
    let mut bodies = bodies;
    for (i, body) in redone {
        diags.extend(body.2.clone());
        bodies[i] = body;
    }
    crate::progress::lap("select");
    // The index of records by id and of pages by place: as it was, with the same pages in the
    // same places.
    let ix = match (same, state.index.take()) {
        (Some(_), Some(ix)) => ix,
        _ => Index::new(site),
    };
    let r = Renderer {
        site,
        tpl: &state.tpl,
        tpl_uses: &state.tpl_uses,
        resolver: &resolver,
        section_bodies: &section_bodies,
        ix: &ix,
        bodies: &bodies,
        entries: &entries,
        loc,
    };
    crate::progress::lap("index");
    type Made = (Output, Diagnostics, Option<search::Doc>);
    let results: Vec<Result<Made, Diagnostic>> = jobs
        .par_iter()
        .map(|&job| match job {
            Job::Page(i) => {
                let (page, reads) = deps::recording(|| {
                    let (body, citer, _) = &bodies[i];
                    let whole = site.pages[i].source.whole()?;
                    r.page_with(i, &whole, body, citer, body.html.clone())
                });
                page.map(|o| made_by(o, Job::Page(i), reads))
            }
            job => r.job_recorded(job),
        })
        .map(|res| {
            res.map(|(o, d)| {
                let doc = search::Doc::of(site, o.job, &o.title, &o.url, &o.html, &o.cites);
                (o, d, doc)
            })
        })
        .collect();
    crate::progress::lap("render");

    let before_outputs = state.outputs.len();
    // The files of the last render that are still planned. With the same pages in the same
    // places the plan is the one `files` was made from: every file is.
    let (mut next, mut changed): (BTreeMap<String, Bytes>, Vec<String>) = if same.is_some() {
        (base.unwrap_or_else(|| files.clone()), Vec::new())
    } else {
        let planned: FxHashSet<&str> = site.outputs.iter().map(|o| o.path.as_str()).collect();
        let citers = &mut state.citers;
        state.outputs.retain(|p, o| {
            let keep = planned.contains(p.as_str());
            if !keep {
                note_cites(citers, o, false);
            }
            keep
        });
        let next = match base {
            Some(mut base) => {
                base.retain(|p, _| planned.contains(p.as_str()));
                base
            }
            None => files
                .iter()
                .filter(|(p, _)| planned.contains(p.as_str()))
                .map(|(p, b)| (p.clone(), b.clone()))
                .collect(),
        };
        (
            next,
            files
                .keys()
                .filter(|p| !planned.contains(p.as_str()))
                .cloned()
                .collect(),
        )
    };
    let outputs_removed = state.outputs.len() != before_outputs;
    let mut outputs_changed = changes.structure || outputs_removed;
    for p in &changed {
        state.scans.remove(p);
    }
    let mut cites_changed = changes.structure || sources_changed;
    // The sources whose "cited on" lists may have changed, when `cites_changed`.
    let mut recited: FxHashSet<String> = FxHashSet::default();
    let put = |next: &mut BTreeMap<String, Bytes>,
               changed: &mut Vec<String>,
               path: &str,
               bytes: Bytes| {
        if next.get(path) != Some(&bytes) {
            changed.push(path.to_string());
            next.insert(path.to_string(), bytes);
        }
    };
    crate::progress::lap("copy the map");
    let mut docs: Vec<search::Doc> = Vec::new();
    for (k, res) in results.into_iter().enumerate() {
        match res {
            Ok((mut o, d, doc)) => {
                diags.extend(d);
                docs.extend(doc);
                let bytes = Bytes::from(std::mem::take(&mut o.html).into_bytes());
                put(&mut next, &mut changed, &o.path, bytes);
                let before = state.outputs.get(&o.path);
                // The source list shows the title and address of each output that cites.
                match before {
                    Some(b)
                        if b.cites == o.cites
                            && (o.cites.is_empty() || (b.title == o.title && b.url == o.url)) => {}
                    Some(b) => {
                        cites_changed = true;
                        recited.extend(b.cites.iter().chain(&o.cites).cloned());
                    }
                    None if o.cites.is_empty() => {}
                    None => {
                        cites_changed = true;
                        recited.extend(o.cites.iter().cloned());
                    }
                }
                outputs_changed |= before.is_none_or(|b| b.site_path != o.site_path);
                if let Some(b) = before {
                    note_cites(&mut state.citers, b, false);
                }
                note_cites(&mut state.citers, &o, true);
                o.reads = state.interner.intern(std::mem::take(&mut o.pending));
                if let (Some(sel), Some(places)) = (&mut state.selector, &places) {
                    let old: &[u32] = before.map_or(&[], |b| &b.reads);
                    sel.readers.note(places[k], old, &o.reads);
                }
                state.outputs.insert(o.path.clone(), o);
            }
            Err(d) => {
                // Its output is not kept: the next update checks every planned output again.
                state.selector = None;
                diags.push(d);
            }
        }
    }
    crate::progress::lap("keep outputs");
    if let Some(again) = sources_again(
        old,
        site,
        state,
        &changes,
        cites_changed || outputs_changed,
        outputs_removed,
        &recited,
    ) {
        let listed = |o: &&Output| !matches!(o.job, Job::Sources | Job::SourceLetter(..));
        // The views of the sources whose entry or citing pages changed are made again.
        if matches!(again, SourcesAgain::All) || sources_changed {
            state.source_memo.clear();
        }
        for id in &recited {
            state.source_memo.remove(id);
        }
        let memo = &mut state.source_memo;
        let made = match &again {
            SourcesAgain::All => r.source_pages(
                state.outputs.values().filter(listed),
                true,
                None,
                Some(memo),
            ),
            SourcesAgain::Some { entry, pages } => {
                // Only the outputs that cite a source those pages show.
                let outputs = &state.outputs;
                let citers = state.citers.get_or_insert_with(|| citers_of(outputs));
                let b = &site.briefing;
                let citing: BTreeSet<&str> = b
                    .source_pages
                    .sources_on(pages)
                    .map(|i| &b.sources[i].id)
                    .filter(|id| !memo.contains_key(*id))
                    .filter_map(|id| citers.get(id))
                    .flatten()
                    .map(String::as_str)
                    .collect();
                let metas = citing
                    .into_iter()
                    .filter_map(|p| outputs.get(p))
                    .filter(listed);
                r.source_pages(metas, *entry, Some(pages), Some(memo))
            }
        };
        // Their search documents made in parallel (a page of sources is long).
        let made: Vec<_> = made
            .into_par_iter()
            .map(|res| {
                res.map(|(o, d)| {
                    let doc = search::Doc::of(site, o.job, &o.title, &o.url, &o.html, &o.cites);
                    (o, d, doc)
                })
            })
            .collect();
        for res in made {
            match res {
                Ok((mut o, d, doc)) => {
                    diags.extend(d);
                    docs.extend(doc);
                    let bytes = Bytes::from(std::mem::take(&mut o.html).into_bytes());
                    put(&mut next, &mut changed, &o.path, bytes);
                    let before = state.outputs.get(&o.path);
                    outputs_changed |= before.is_none_or(|b| b.site_path != o.site_path);
                    o.reads = state.interner.intern(std::mem::take(&mut o.pending));
                    state.outputs.insert(o.path.clone(), o);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    crate::progress::lap("source list pages");
    // The search index: only the shards the new documents change, unless pages came, went or
    // moved (their ids shift) and it is built again. The indexed outputs' addresses are given
    // only then (otherwise they are those of the last render).
    let live: Option<FxHashSet<&str>> = outputs_changed.then(|| {
        state
            .outputs
            .values()
            .filter(|o| o.job.is_indexed())
            .map(|o| o.url.as_str())
            .collect()
    });
    let layout = search_layout(site);
    for (path, text) in state.search.apply(layout, docs, live.as_ref()) {
        put(
            &mut next,
            &mut changed,
            &path,
            Bytes::from(text.into_bytes()),
        );
    }
    crate::progress::lap("search index");
    if outputs_changed {
        state.html_paths = state
            .outputs
            .values()
            .filter_map(|o| o.site_path.clone())
            .collect();
        state.html_paths.sort();
    }
    // Publishing files read every page's listing fields and every record.
    let listings_changed = changes.structure
        || changes.deps.iter().any(|d| {
            !matches!(
                d,
                deps::Dep::Source(_) | deps::Dep::Template(_) | deps::Dep::Link(_)
            )
        });
    // Which of them read what changed: the export and the calendar read only records, the
    // timeline and the sources.
    let any = |f: &dyn Fn(&deps::Dep) -> bool| changes.structure || changes.deps.iter().any(f);
    let records = any(&|d| {
        matches!(
            d,
            deps::Dep::Kind(_) | deps::Dep::Timeline | deps::Dep::Sources
        )
    });
    // The feed: again only the entries of the pages changed, unless what every entry may read
    // (records, links, sources, the page list) changed. The sitemap: only when the pages or
    // the date of one changed.
    let feed_redo: Option<Vec<usize>> = (!changes.structure
        && !changes.deps.iter().any(|d| {
            matches!(
                d,
                deps::Dep::Kind(_)
                    | deps::Dep::Sources
                    | deps::Dep::Timeline
                    | deps::Dep::Link(_)
                    | deps::Dep::Backlinks(_)
            )
        }))
    .then(|| {
        let mut redo: Vec<usize> = changes
            .pages
            .iter()
            .filter_map(|rel| {
                site.pages
                    .binary_search_by(|p| p.source.rel.as_str().cmp(rel))
                    .ok()
            })
            .chain(rerendered_pages.iter().copied())
            .collect();
        redo.sort_unstable();
        redo.dedup();
        redo
    });
    let sitemap_stale = outputs_changed || {
        let lastmods = state
            .lastmods
            .take()
            .filter(|l| l.len() == site.pages.len() && feed_redo.is_some());
        match (lastmods, &feed_redo) {
            (Some(mut l), Some(redo)) => {
                let mut stale = false;
                for &i in redo {
                    let now = publish::page_lastmod(&site.pages[i].source.front);
                    stale |= l[i] != now;
                    l[i] = now;
                }
                state.lastmods = Some(l);
                stale
            }
            _ => true,
        }
    };
    if sitemap_stale {
        state.lastmods = Some(lastmods_of(site));
    }
    let wanted = |job: Job| match job {
        Job::Export | Job::Calendar => records,
        Job::Feed => false,
        Job::Sitemap => sitemap_stale,
        _ => true,
    };
    if listings_changed && site.outputs.iter().any(|o| o.job == Job::Feed) {
        let mut text = feed(
            site,
            &resolver,
            &bodies,
            &mut state.feed,
            feed_redo.as_deref(),
        );
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        // Empty: none of the entries made again changed (or there is no feed without a base
        // URL, and the file is empty as it was).
        if let Some(o) = site.outputs.iter().find(|o| o.job == Job::Feed)
            && !text.is_empty()
        {
            put(
                &mut next,
                &mut changed,
                &o.path,
                Bytes::from(text.into_bytes()),
            );
        }
    }
    if listings_changed {
        for (path, text) in publishing_files(site, &resolver, &bodies, &state.html_paths, &wanted) {
            put(
                &mut next,
                &mut changed,
                &path,
                Bytes::from(text.into_bytes()),
            );
        }
    }
    crate::progress::lap("publishing files");
    // Copied files: only those read again since the last render (a body edit reads none).
    let old_copies: FxHashMap<&str, &Arc<crate::load::FileBytes>> = old
        .map(|old| {
            old.copies
                .iter()
                .map(|c| (c.written.as_str(), &c.file))
                .collect()
        })
        .unwrap_or_default();
    let copies: &[crate::model::Copy] = if old.is_some() { &site.copies } else { &[] };
    for c in copies
        .iter()
        .filter(|c| crate::model::outputs::copied_here(site, c))
    {
        let same = old_copies
            .get(c.written.as_str())
            .is_some_and(|f| Arc::ptr_eq(f, &c.file))
            && next.contains_key(&c.written);
        if same {
            continue;
        }
        let bytes = match c.file.read() {
            Ok(Cow::Borrowed(b)) => Bytes::from_static(b),
            Ok(Cow::Owned(v)) => Bytes::from(v),
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if next.get(&c.written) != Some(&bytes) {
            if is_scanned(c)
                && let Some(scan) = scan_of(&bytes)
            {
                state.scans.insert(c.written.clone(), scan);
            }
            put(&mut next, &mut changed, &c.written, bytes);
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    crate::progress::lap("copied files");
    let changed_html: std::collections::HashSet<String> = changed
        .iter()
        .filter(|p| p.ends_with(".html") && next.contains_key(*p))
        .cloned()
        .collect();
    for path in &changed_html {
        if let Some(html) = next.get(path).and_then(|b| std::str::from_utf8(b).ok()) {
            state.scans.insert(path.clone(), links::Scan::of(html));
        }
    }
    // `next` holds the last render's paths (`state.paths`), less some, plus the changed ones.
    if outputs_changed
        || next.len() != state.paths.len()
        || changed
            .iter()
            .any(|k| next.contains_key(k) && !state.paths.contains(k))
    {
        state.paths = next.keys().cloned().collect();
        state.roots = None;
    }
    state.pages = state.outputs.len();
    state.index = Some(ix);
    state.bodies = bodies;
    state.entries = entries;
    state.section_bodies = section_bodies;
    let only = if anchors_changed {
        None
    } else {
        Some(&changed_html)
    };
    let roots = state
        .roots
        .get_or_insert_with(|| links::roots(&state.paths));
    diags.extend(links::check(
        site,
        &state.paths,
        &state.scans,
        only,
        &|i: usize| state.bodies[i].0.links.clone(),
        Some(roots),
    ));
    let warnings = outcome(site, diags)?;
    changed.sort();
    changed.dedup();
    crate::progress::lap("links");
    Ok(Update::Done(Rendered {
        files: next.into(),
        pages: state.pages,
        warnings,
        changed: Some(changed),
        rerendered: Some(rerendered_paths),
    }))
}

/// For each template, every template it uses (itself included): the names of other templates
/// quoted in its text, followed transitively (an over-approximation of extends, include,
/// import and components).
fn template_uses(site: &Site) -> HashMap<String, Vec<String>> {
    let names: Vec<&str> = site.templates.iter().map(|t| t.name.as_str()).collect();
    let direct: HashMap<&str, Vec<&str>> = site
        .templates
        .iter()
        .map(|t| {
            let uses = names
                .iter()
                .copied()
                .filter(|n| {
                    *n != t.name
                        && (t.text.contains(&format!("\"{n}\""))
                            || t.text.contains(&format!("'{n}'")))
                })
                .collect();
            (t.name.as_str(), uses)
        })
        .collect();
    let mut out = HashMap::new();
    for &n in &names {
        let mut seen = vec![n];
        let mut todo = vec![n];
        while let Some(x) = todo.pop() {
            for &y in direct.get(x).map(Vec::as_slice).unwrap_or_default() {
                if !seen.contains(&y) {
                    seen.push(y);
                    todo.push(y);
                }
            }
        }
        seen.sort_unstable();
        out.insert(
            n.to_string(),
            seen.into_iter().map(str::to_string).collect(),
        );
    }
    out
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

/// The publishing files the plan holds — robots.txt, sitemap, feed, calendar, JSON export (not
/// the search index: [`search_index`]) — made in parallel: (output path, text).
fn publishing_files(
    site: &Site,
    resolver: &Resolver<'_>,
    bodies: &[(Markdown, Citer, Diagnostics)],
    html_paths: &[String],
    wanted: &(dyn Fn(Job) -> bool + Sync),
) -> Vec<(String, String)> {
    site.outputs
        .par_iter()
        .filter(|o| {
            !o.job.is_page()
                && !matches!(
                    o.job,
                    Job::Copy(_)
                        | Job::SearchIndex
                        | Job::SearchTerms(_)
                        | Job::SearchDocs(_)
                        | Job::Compare(..)
                )
                && wanted(o.job)
        })
        .map(|o| {
            let mut text = publishing_file(site, resolver, bodies, html_paths, o.job);
            // Every text file ends with a newline, whatever made it.
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            (o.path.clone(), text)
        })
        .collect()
}

fn publishing_file(
    site: &Site,
    resolver: &Resolver<'_>,
    bodies: &[(Markdown, Citer, Diagnostics)],
    html_paths: &[String],
    job: Job,
) -> String {
    match job {
        Job::Robots => publish::robots(site),
        Job::Sitemap => publish::sitemap(site, html_paths).unwrap_or_default(),
        Job::Feed => feed(site, resolver, bodies, &mut None, None),
        Job::Calendar => publish::calendar(site, locale(site)),
        Job::Export => {
            // The structs' fields are declared in alphabetical order, the documented order.
            serde_json::to_string_pretty(&export::export(site)).unwrap_or_default() + "\n"
        }
        _ => String::new(),
    }
}

/// `atom.xml`, its entries kept in `kept`: only those of the pages `redo` names made again
/// when they are kept ([`publish::atom_kept`]).
fn feed(
    site: &Site,
    resolver: &Resolver<'_>,
    bodies: &[(Markdown, Citer, Diagnostics)],
    kept: &mut Option<publish::FeedKept>,
    redo: Option<&[usize]>,
) -> String {
    let update_html = |i: usize, j: usize| -> String {
        let p = &site.pages[i];
        match &p.source.front {
            Front::Talk(t) => t.updates.get(j).map_or_else(String::new, |u| {
                let mut citer = Citer::default();
                let md = markdown::render(
                    &u.text,
                    p.source.dir(),
                    resolver,
                    &mut citer,
                    &mut Vec::new(),
                    true,
                );
                let mut ids: Vec<String> = citer.cited.into_iter().map(|(id, _)| id).collect();
                ids.extend(
                    u.sources
                        .iter()
                        .filter(|s| !ids.contains(s))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                with_notice(site, markdown::strip_cites(&md.html), &ids)
            }),
            _ => String::new(),
        }
    };
    let summary_html = |i: usize| {
        bodies[i]
            .0
            .summary
            .as_deref()
            .map(|h| with_notice(site, markdown::strip_cites(h), &views::cited_in(site, h)))
    };
    publish::atom_kept(site, locale(site), kept, redo, &update_html, &summary_html)
        .unwrap_or_default()
}

/// The search index of `docs` (every indexed output's), in the plan's layout.
fn search_index(site: &Site, docs: Vec<search::Doc>) -> search::Index {
    search::Index::build(search_layout(site), docs)
}

/// The shards of each family the output plan holds.
fn search_layout(site: &Site) -> search::Layout {
    let count = |f: fn(Job) -> bool| site.outputs.iter().filter(|o| f(o.job)).count();
    search::Layout {
        terms: count(|j| matches!(j, Job::SearchTerms(_))),
        docs: count(|j| matches!(j, Job::SearchDocs(_))),
    }
}

/// A feed entry's HTML followed by the translation notice of the sources it relies on.
fn with_notice(site: &Site, html: String, ids: &[String]) -> String {
    match views::notice_for(site, locale(site), ids) {
        Some(n) => {
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut escaped, &n);
            format!("{html}\n<p><em>{escaped}</em></p>")
        }
        None => html,
    }
}

/// Copied files written under another name (fingerprinted stylesheets and scripts), for `url()`.
fn fingerprint(site: &Site) -> templates::AssetMap {
    let map = site
        .copies
        .iter()
        .filter(|c| c.written != c.output || !c.file.origin.starts_with("content"))
        .map(|c| (c.output.clone(), c.written.clone()))
        .collect();
    std::sync::Arc::new(map)
}

/// The zone a page's local times are read in: the venue's for a talk.
fn venue_zone(front: &Front) -> Option<&str> {
    match front {
        Front::Talk(t) => Some(t.venue.timezone.0.as_str()),
        _ => None,
    }
}

/// The body of page `p` rendered, from `whole`, the text of its file.
fn render_body(whole: &str, p: &Page, resolver: &Resolver<'_>) -> Body {
    let mut citer = Citer::default();
    let mut problems = Vec::new();
    let md = markdown::render(
        p.source.body_of(whole),
        p.source.dir(),
        resolver,
        &mut citer,
        &mut problems,
        false,
    );
    let diags = locate_problems(problems, &p.source.path, whole, p.source.split.body_start);
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

/// `site.nav[]`: a link of the navigation.
#[derive(serde::Serialize, PartialEq)]
struct NavItem {
    title: String,
    path: String,
    url: String,
    /// A section's own title, when the edition shows it untranslated: the original's `lang`
    /// (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
}

/// Navigation: the briefing's pages that exist, then other top-level sections.
fn nav(site: &Site, loc: &Locale) -> Vec<NavItem> {
    let mut items: Vec<(String, String)> = vec![(loc.t("nav-overview"), String::new())];
    let b = &site.briefing;
    let section_exists = |dir: &str| site.sections.iter().any(|s| s.dir == dir);
    for &kind in Kind::ALL {
        let d = kind.decl();
        if !b.ids(kind).is_empty() && section_exists(d.folder) {
            items.push((loc.t(d.nav), format!("{}/", d.folder)));
        }
    }
    for o in &site.outputs {
        let label = match o.job {
            Job::Positions => "nav-positions",
            Job::Timeline => "nav-timeline",
            Job::Sources => "nav-sources",
            _ => continue,
        };
        items.push((
            loc.t(label),
            o.job.site_path(site).unwrap_or_default().into_owned(),
        ));
    }
    items.push((loc.t("nav-search"), "search/".into()));
    let mut out: Vec<NavItem> = items
        .into_iter()
        .map(|(title, path)| NavItem {
            url: site.config.url(&path),
            title,
            path,
            lang: None,
        })
        .collect();
    // A section's own title is the original's `lang` when the edition shows it untranslated.
    for s in &site.sections {
        if s.parent == Some(0) && Kind::from_folder(&s.dir).is_none() {
            out.push(NavItem {
                title: s.title.clone(),
                path: s.path.clone(),
                url: site.config.url(&s.path),
                lang: site.section_title_lang(s).map(str::to_string),
            });
        }
    }
    out
}

/// `site`, the global every template gets: the site's settings, navigation and data files.
#[derive(serde::Serialize, PartialEq)]
struct SiteView {
    title: String,
    description: String,
    language: String,
    author: Option<String>,
    base_url: Option<String>,
    base_path: String,
    nav: Vec<NavItem>,
    has_tags: bool,
    /// "Now" of the briefing, in the reader's language and as `YYYY-MM-DD`.
    as_of: Option<String>,
    as_of_iso: Option<String>,
    display_timezones: Vec<String>,
    /// The data files, by name.
    data: BTreeMap<String, serde_json::Value>,
    generator: &'static str,
}

fn site_view(site: &Site, loc: &Locale, nav: Vec<NavItem>) -> SiteView {
    let c = &site.config;
    let b = &site.briefing;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        language: c.language.clone(),
        author: c.author.clone(),
        base_url: c.base_url.clone(),
        base_path: c.base_path.clone(),
        nav,
        has_tags: !site.tags.is_empty(),
        as_of: b.now.map(|n| loc.date(n.date())),
        as_of_iso: b.now.map(|n| n.date().to_string()),
        display_timezones: c.display_timezones.clone(),
        data: site.data.clone(),
        generator: concat!("briefing ", env!("CARGO_PKG_VERSION")),
    }
}
