//! The pipeline, end to end: load → model → render (→ write). `build`, `check` and `serve` all
//! drive the site through these functions; nothing else calls the stages in sequence.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{self, LoadError};
use crate::model;
use crate::output;
use crate::render::{self, Rendered};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `ROOT/public` when not given.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub(crate) fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build failed: the site has errors (exit 1), or the machine failed us (exit 2).
#[derive(Debug)]
pub enum Failure {
    Site(Diagnostics),
    Io(Diagnostic),
}

impl Failure {
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Failure::Site(_) => 1,
            Failure::Io(_) => 2,
        }
    }
}

/// How long each stage took, for `--verbose`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Timings {
    pub(crate) load_ms: f64,
    pub(crate) model_ms: f64,
    pub(crate) render_ms: f64,
    pub(crate) write_ms: f64,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// A site kept in memory between changes, for `serve` and `build --watch`. After a change only
/// the changed files are read again ([`load::reload`]), the site is resolved again from them
/// (the unchanged pages are shared, not copied), and only the outputs that read something the
/// change touched are rendered again ([`render::update`]). A change that touches what every
/// page reads (`site.yaml`, navigation, data files, the briefing's "now"…) renders everything.
pub struct Session {
    opts: BuildOptions,
    /// The files as last read (whether or not they built).
    source: Option<(load::SourceSite, Settings)>,
    cached: Option<Cached>,
    /// The kept render was made from exactly the files as last read (the last rebuild did not
    /// fail), so a body edit can be applied to it alone.
    in_sync: bool,
}

struct Cached {
    /// The default edition (the only one of a site of one language).
    site: crate::model::Site,
    state: render::State,
    /// What the default edition's render made (with the parallel views), by output path
    /// (shared with what the render handed on: the server's copy).
    files: std::sync::Arc<Files>,
    /// The map of files before `files`, and the paths that changed from it to `files`: once
    /// nothing else holds it (the server has swapped it out), the next update brings it up to
    /// date and makes its map from it, instead of copying `files` (12,000 entries on a big
    /// site). Sites of one edition only.
    older: Option<(std::sync::Arc<Files>, Vec<String>)>,
    /// The further editions, each with what its render made under its own folder.
    more: Vec<Kept>,
}

/// A further edition as last rendered: its files by path inside its folder (`talks/x/…`).
struct Kept {
    site: crate::model::Site,
    state: render::State,
    files: Files,
}

type Files = std::collections::BTreeMap<String, render::Bytes>;

impl Cached {
    /// An owned map equal to `files`, made from the older one when nothing else holds it.
    fn base(&mut self) -> Option<Files> {
        let (older, changed) = self.older.take()?;
        let mut map = std::sync::Arc::try_unwrap(older).ok()?;
        for path in changed {
            match self.files.get(&path) {
                Some(bytes) => {
                    map.insert(path, bytes.clone());
                }
                None => {
                    map.remove(&path);
                }
            }
        }
        Some(map)
    }

    /// Keep what an update of the default edition made, and the map before it for [`Self::base`].
    fn keep(&mut self, rendered: &Rendered) {
        let older = std::mem::replace(&mut self.files, rendered.files.clone());
        self.older = rendered
            .changed
            .clone()
            .filter(|_| self.more.is_empty())
            .map(|changed| (older, changed));
    }

    /// Every output of every edition, by its path in the site.
    fn merged(&self) -> Files {
        let mut all = (*self.files).clone();
        for k in &self.more {
            let prefix = render::editions::prefix(&k.site);
            all.extend(
                k.files
                    .iter()
                    .map(|(p, b)| (format!("{prefix}{p}"), b.clone())),
            );
        }
        all
    }
}

impl Session {
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            source: None,
            cached: None,
            in_sync: false,
        }
    }

    /// Make ahead what the next update would make first (see [`render::warm`]); `serve` calls
    /// it while it waits for an edit. Does nothing when nothing is kept, or all of it is made.
    pub fn warm(&mut self) {
        let Some(cached) = self.cached.as_mut() else {
            return;
        };
        render::warm(&cached.site, &mut cached.state);
        for k in &mut cached.more {
            render::warm(&k.site, &mut k.state);
        }
        // The map the first update builds on, copied now rather than then.
        if cached.older.is_none() && cached.more.is_empty() {
            cached.older = Some((std::sync::Arc::new((*cached.files).clone()), Vec::new()));
        }
    }

    /// Drop what is kept, so the next rebuild reads and renders everything.
    pub(crate) fn forget(&mut self) {
        self.cached = None;
        self.source = None;
    }

    /// Rebuild after the given site-relative paths changed (empty: build everything).
    pub fn rebuild(
        &mut self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Result<Rendered, Failure> {
        let changed = &self
            .without_passing(changed)
            .map_or(std::borrow::Cow::Borrowed(changed), std::borrow::Cow::Owned);
        let one_edition = self.cached.as_ref().is_none_or(|c| c.more.is_empty());
        if self.in_sync
            && one_edition
            && let Some(result) = self
                .bodies_only(changed)
                .or_else(|| self.fields_only(changed))
        {
            self.in_sync = result.is_ok();
            return result;
        }
        self.in_sync = false;
        let result = self.rebuild_all(changed);
        self.in_sync = result.is_ok();
        result
    }

    /// `changed` without the files under `content/` that are not there now and were not there
    /// at the last read: a file made and gone within one change, such as the temporary file
    /// `sed -i` or an editor's safe write renames over the page it saves. It changed nothing,
    /// and left in, it would make an edit of one page's front matter a full rebuild. `None`
    /// when there is none, or when nothing else changed.
    fn without_passing(
        &self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Option<std::collections::BTreeSet<String>> {
        let (source, _) = self.source.as_ref()?;
        let passing = |path: &String| {
            path.strip_prefix("content/").is_some_and(|rel| {
                !source.knows(rel)
                    && std::fs::symlink_metadata(self.opts.root.join(path))
                        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
            })
        };
        let fewer: std::collections::BTreeSet<String> =
            changed.iter().filter(|p| !passing(p)).cloned().collect();
        (fewer.len() < changed.len() && !fewer.is_empty()).then_some(fewer)
    }

    fn rebuild_all(
        &mut self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Result<Rendered, Failure> {
        let (source, settings) = self.read(changed)?;
        crate::progress::lap("read");
        let mut sites = resolve_with(source, settings)?;
        crate::progress::lap("resolve");
        if sites.len() > 1 || self.cached.as_ref().is_some_and(|c| !c.more.is_empty()) {
            return self.editions(sites, changed);
        }
        let site = sites.remove(0);
        if let Some(cached) = self.cached.as_mut()
            && !changed.is_empty()
        {
            let base = cached.base();
            match render::update(&cached.site, &site, &mut cached.state, &cached.files, base) {
                Ok(render::Update::Done(mut rendered)) => {
                    add_base_url_warning(&site, &mut rendered.warnings);
                    cached.site = site;
                    cached.keep(&rendered);
                    crate::progress::lap("keep");
                    return Ok(rendered);
                }
                Ok(render::Update::Full) => {}
                Err(d) => {
                    // The kept state is half-updated: render everything next time.
                    self.cached = None;
                    return Err(Failure::Site(d));
                }
            }
        }
        self.full(vec![site])
    }

    /// A rebuild of a site of several editions: each edition updated as a site of one language
    /// is ([`render::update`]), the parallel views made again, and all rendered again when an
    /// edition asks for it, or when which pages are translated changed.
    fn editions(
        &mut self,
        mut sites: Vec<crate::model::Site>,
        changed: &std::collections::BTreeSet<String>,
    ) -> Result<Rendered, Failure> {
        let same_shape = self.cached.as_ref().is_some_and(|c| {
            c.more.len() + 1 == sites.len()
                && std::iter::once(&c.site)
                    .chain(c.more.iter().map(|k| &k.site))
                    .zip(&sites)
                    .all(|(old, new)| {
                        old.config == new.config
                            && old.edition.untranslated == new.edition.untranslated
                            && old.edition.made == new.edition.made
                    })
        });
        let Some(cached) = self
            .cached
            .as_mut()
            .filter(|_| same_shape && !changed.is_empty())
        else {
            return self.full(sites);
        };
        let mut changed_paths: Vec<String> = Vec::new();
        let mut warnings = Diagnostics::new();
        let mut rest = sites.split_off(1);
        let site = sites.remove(0);
        // The default edition, then each further one.
        let mut updates = Vec::with_capacity(rest.len() + 1);
        cached.older = None;
        match render::update(&cached.site, &site, &mut cached.state, &cached.files, None) {
            Ok(render::Update::Done(r)) => updates.push((String::new(), r)),
            Ok(render::Update::Full) => {
                rest.insert(0, site);
                return self.full(rest);
            }
            Err(d) => {
                self.cached = None;
                return Err(Failure::Site(d));
            }
        }
        for (k, new) in cached.more.iter_mut().zip(&rest) {
            match render::update(&k.site, new, &mut k.state, &k.files, None) {
                Ok(render::Update::Done(r)) => updates.push((render::editions::prefix(new), r)),
                Ok(render::Update::Full) => {
                    rest.insert(0, site);
                    return self.full(rest);
                }
                Err(d) => {
                    self.cached = None;
                    return Err(Failure::Site(d));
                }
            }
        }
        let mut updates = updates.into_iter();
        let mut rerendered: Option<Vec<String>> = None;
        if let Some((_, r)) = updates.next() {
            rerendered = r.rerendered;
            changed_paths.extend(r.changed.unwrap_or_default());
            warnings.extend(r.warnings);
            cached.files = r.files;
            cached.site = site;
        }
        for ((prefix, r), (k, new)) in updates.zip(cached.more.iter_mut().zip(rest)) {
            if let (Some(all), Some(more)) = (rerendered.as_mut(), r.rerendered) {
                all.extend(more.into_iter().map(|p| format!("{prefix}{p}")));
            }
            changed_paths.extend(
                r.changed
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| format!("{prefix}{p}")),
            );
            warnings.extend(r.warnings);
            k.files = std::sync::Arc::unwrap_or_clone(r.files);
            k.site = new;
        }
        // The parallel views read two editions each: made again, kept when unchanged.
        let all: Vec<&crate::model::Site> = std::iter::once(&cached.site)
            .chain(cached.more.iter().map(|k| &k.site))
            .collect();
        match render::editions::compare_pages(&all) {
            Ok(pages) => {
                for (path, html) in pages {
                    let bytes = render::Bytes::from(html.into_bytes());
                    if cached.files.get(&path) != Some(&bytes) {
                        changed_paths.push(path.clone());
                        std::sync::Arc::make_mut(&mut cached.files).insert(path, bytes);
                    }
                }
            }
            Err(d) => {
                self.cached = None;
                return Err(Failure::Site(d));
            }
        }
        add_base_url_warning(&cached.site, &mut warnings);
        changed_paths.sort();
        changed_paths.dedup();
        let files = cached.merged();
        let pages =
            cached.state.pages() + cached.more.iter().map(|k| k.state.pages()).sum::<usize>();
        Ok(Rendered {
            files: files.into(),
            pages,
            warnings: render::editions::once(warnings),
            changed: Some(changed_paths),
            rerendered,
        })
    }

    /// The shortcut for an edit of Markdown bodies alone (every changed file a page whose front
    /// matter is byte for byte what it was): the resolved site stays as it is, with the new
    /// texts in place, and only what read those pages is rendered again. `None` when the change
    /// is anything else.
    fn bodies_only(
        &mut self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Option<Result<Rendered, Failure>> {
        let cached = self.cached.as_mut()?;
        let (source, _) = self.source.as_mut()?;
        if changed.is_empty() {
            return None;
        }
        let mut patch = Vec::new();
        for path in changed {
            let rel = path.strip_prefix("content/")?;
            let i = cached.site.pages.iter().position(|p| p.source.rel == rel)?;
            let old = &cached.site.pages[i].source;
            let bytes = std::fs::read(self.opts.root.join(path)).ok()?;
            let text = crate::parse::decode_utf8(&old.path, bytes).ok()?;
            let split = crate::load::frontmatter::split(&old.path, &text).ok()?;
            if text.get(split.yaml_start..split.yaml_end)
                != old.text.get(old.split.yaml_start..old.split.yaml_end)
            {
                return None;
            }
            let page = std::sync::Arc::new(load::SourcePage {
                path: old.path.clone(),
                rel: old.rel.clone(),
                text,
                deferred: None,
                split,
                front: old.front.clone(),
                overlays: old.overlays.clone(),
                given: old.given.clone(),
            });
            let s = source
                .pages
                .binary_search_by(|p| p.rel.as_str().cmp(rel))
                .ok()?;
            patch.push((i, s, page));
        }
        crate::progress::lap("read");
        let mut pages = Vec::with_capacity(patch.len());
        for (i, s, page) in patch {
            cached.site.pages[i].source = page.clone();
            source.pages[s] = page;
            pages.push(i);
        }
        let base = cached.base();
        let result =
            render::update_bodies(&cached.site, &pages, &mut cached.state, &cached.files, base);
        self.settle(result)
    }

    /// The shortcut for an edit of generic pages' front matter that leaves the site's shape as
    /// it was ([`model::patch::patch`]): the pages are replaced in the resolved site, which is
    /// not resolved again, and only what read them is rendered again. `None` when the change is
    /// anything else (nothing is changed then).
    fn fields_only(
        &mut self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Option<Result<Rendered, Failure>> {
        if changed.is_empty() || changed.contains("site.yaml") {
            return None;
        }
        let cached = self.cached.as_mut()?;
        let (old, settings) = self.source.as_ref()?;
        if !settings.errors.is_empty() {
            return None;
        }
        let mut rels = Vec::with_capacity(changed.len());
        for path in changed {
            let rel = path.strip_prefix("content/")?;
            cached
                .site
                .pages
                .binary_search_by(|p| p.source.rel.as_str().cmp(rel))
                .ok()?;
            rels.push(rel);
        }
        let source = load::reload(&self.opts.root, old, changed)?;
        crate::progress::lap("read");
        // A new problem (or one gone) is reported by a full resolve.
        if source.problems != old.problems
            || source.pages.len() != old.pages.len()
            || source.unreadable != old.unreadable
        {
            return None;
        }
        let mut edited = Vec::with_capacity(rels.len());
        for rel in rels {
            edited.push(source.pages.iter().find(|p| p.rel == rel)?.clone());
        }
        let patched = model::patch::patch(&mut cached.site, &edited)?;
        crate::progress::lap("patch");
        let settings = settings.clone();
        self.source = Some((source, settings));
        let base = cached.base();
        let result = render::update_patched(
            &cached.site,
            &patched,
            &mut cached.state,
            &cached.files,
            base,
        );
        self.settle(result)
    }

    /// The end of an update made in place on the kept site (by [`Self::bodies_only`] or
    /// [`Self::fields_only`]): keep what it made, render in full when it asks to, or forget the
    /// half-updated state on error.
    fn settle(
        &mut self,
        result: Result<render::Update, crate::diagnostics::Diagnostics>,
    ) -> Option<Result<Rendered, Failure>> {
        let cached = self.cached.as_mut()?;
        Some(match result {
            Ok(render::Update::Done(mut rendered)) => {
                add_base_url_warning(&cached.site, &mut rendered.warnings);
                cached.keep(&rendered);
                crate::progress::lap("keep");
                Ok(rendered)
            }
            Ok(render::Update::Full) => {
                let kept = self.cached.take()?;
                self.full(vec![kept.site])
            }
            Err(d) => {
                self.cached = None;
                Err(Failure::Site(d))
            }
        })
    }

    /// The site's files after `changed`: only those read again when the last read is kept.
    fn read(
        &mut self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Result<(load::SourceSite, Settings), Failure> {
        let root = &self.opts.root;
        let config_changed = changed.is_empty() || changed.contains("site.yaml");
        let kept = self.source.take().filter(|_| !changed.is_empty());
        let reread = kept.and_then(|(old, settings)| {
            let source = load::reload(root, &old, changed)?;
            Some((source, settings))
        });
        let (source, settings) = match reread {
            Some((source, settings)) if !config_changed => (source, settings),
            Some((source, _)) => (source, read_settings(&self.opts)),
            None => {
                check_root(root)?;
                let settings = read_settings(&self.opts);
                let source = load::load(root).map_err(|e| match e {
                    LoadError::Io(d) => Failure::Io(d),
                })?;
                (source, settings)
            }
        };
        self.source = Some((source.clone(), settings.clone()));
        Ok((source, settings))
    }

    fn full(&mut self, mut sites: Vec<crate::model::Site>) -> Result<Rendered, Failure> {
        self.cached = None;
        if sites.len() == 1 {
            let site = sites.remove(0);
            let (mut rendered, state) = render::render_with_state(&site).map_err(Failure::Site)?;
            add_base_url_warning(&site, &mut rendered.warnings);
            self.cached = Some(Cached {
                site,
                state,
                files: rendered.files.clone(),
                older: None,
                more: Vec::new(),
            });
            return Ok(rendered);
        }
        let (mut rendered, states) =
            render::editions::render_with_state(&sites).map_err(Failure::Site)?;
        if let Some(first) = sites.first() {
            add_base_url_warning(first, &mut rendered.warnings);
        }
        // Each edition keeps the files under its folder; the default keeps the rest.
        let mut files = (*rendered.files).clone();
        let mut more = Vec::new();
        let mut states = states.into_iter();
        let (Some(site), Some(state)) = (sites.first().cloned(), states.next()) else {
            return Ok(rendered);
        };
        for (s, state) in sites.into_iter().skip(1).zip(states) {
            let prefix = render::editions::prefix(&s);
            let mine: Files = files
                .iter()
                .filter_map(|(p, b)| p.strip_prefix(&prefix).map(|r| (r.to_string(), b.clone())))
                .collect();
            files.retain(|p, _| !p.starts_with(&prefix));
            more.push(Kept {
                site: s,
                state,
                files: mine,
            });
        }
        self.cached = Some(Cached {
            site,
            state,
            files: files.into(),
            older: None,
            more,
        });
        Ok(rendered)
    }
}

/// `site.yaml` as read: its settings, or (when it has an error) the defaults with that error, so
/// that the content is still checked and its errors are reported in the same run.
#[derive(Clone)]
struct Settings {
    /// `None` only if even the defaults cannot be made (then the error is all there is).
    config: Option<Config>,
    /// Every error of `site.yaml` (empty when it has none).
    errors: Diagnostics,
}

fn read_settings(opts: &BuildOptions) -> Settings {
    match Config::load(&opts.root, opts.base_url.as_deref(), opts.drafts) {
        Ok(config) => Settings {
            config: Some(config),
            errors: Diagnostics::new(),
        },
        Err(errors) => Settings {
            config: Config::from_file(crate::config::SiteFile::default(), None, opts.drafts).ok(),
            errors,
        },
    }
}

/// The model stage on `source`; an error in `site.yaml` comes out with the content's errors.
fn resolve_with(
    source: load::SourceSite,
    settings: Settings,
) -> Result<Vec<crate::model::Site>, Failure> {
    let Settings { config, errors } = settings;
    match config {
        Some(config) if errors.is_empty() => {
            model::editions::resolve_editions(source, config).map_err(Failure::Site)
        }
        config => {
            let resolved = config.map(|c| model::resolve(source, c));
            let mut all = resolved.and_then(Result::err).unwrap_or_default();
            for e in errors {
                all.push(e);
            }
            all.sort();
            Err(Failure::Site(all))
        }
    }
}

fn add_base_url_warning(site: &crate::model::Site, warnings: &mut Diagnostics) {
    if site.config.base_url.is_none() {
        warnings.push(
            Diagnostic::new(Code::NoBaseUrl, "no `base_url` in site.yaml: URLs are root-relative, and absolute URLs (canonical links) are left out")
                .in_file("site.yaml")
                .hint("set `base_url: https://example.org/` in site.yaml, or pass --base-url"),
        );
    }
}

fn check_root(root: &Path) -> Result<(), Failure> {
    if root.is_dir() {
        return Ok(());
    }
    Err(Failure::Io(Diagnostic::new(
        Code::NoSiteFolder,
        format!(
            "site folder `{}` does not exist or is not a folder",
            root.display()
        ),
    )))
}

/// The first two stages: read the site and resolve it.
fn resolve_site(
    opts: &BuildOptions,
    timings: &mut Timings,
) -> Result<Vec<crate::model::Site>, Failure> {
    let root = &opts.root;
    check_root(root)?;
    let t = Instant::now();
    let settings = read_settings(opts);
    let source = load::load_with(root, load::Bodies::ReadAgain).map_err(|e| match e {
        LoadError::Io(d) => Failure::Io(d),
    })?;
    timings.load_ms = ms(t);
    let t = Instant::now();
    let site = resolve_with(source, settings)?;
    timings.model_ms = ms(t);
    Ok(site)
}

/// The result of a successful build.
#[derive(Debug)]
pub(crate) struct Summary {
    pub(crate) pages: usize,
    pub(crate) files: usize,
    pub(crate) millis: u128,
    pub(crate) output: PathBuf,
    pub(crate) warnings: Diagnostics,
    pub(crate) timings: Timings,
    /// For a rebuild of `build --watch` that rendered only what a change touched: the outputs
    /// it wrote again (`None` after a full render).
    pub(crate) rerendered: Option<Vec<String>>,
    /// What the site was rendered from (see [`Leftovers`]).
    pub(crate) leftovers: Leftovers,
}

/// The resolved site and render state a build used, handed back rather than freed: a one-shot
/// `briefing build` exits next, and freeing hundreds of thousands of small allocations one by
/// one takes about as long as deleting the old output. Dropped normally (`build --watch`), it
/// frees everything.
pub(crate) struct Leftovers {
    _kept: Option<Box<(Vec<crate::model::Site>, Vec<render::State>)>>,
}

impl Leftovers {
    /// Let the operating system reclaim the memory when the process exits, now imminent.
    pub(crate) fn leak_at_exit(&mut self) {
        std::mem::forget(self._kept.take());
    }
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Leftovers")
    }
}

/// Build the site and write it to the output folder atomically: files are written into a
/// staging folder as they are rendered, which replaces the output folder only if the whole build
/// succeeds.
pub(crate) fn build(opts: &BuildOptions) -> Result<Summary, Failure> {
    let started = Instant::now();
    let out = opts.output_dir();
    // Check the output folder before doing any work, but touch the disk only once the site has
    // loaded and resolved.
    output::check_output_dir(&opts.root, &out).map_err(Failure::Io)?;
    let mut timings = Timings::default();
    crate::progress::stage("loading and resolving", None);
    let sites = resolve_site(opts, &mut timings)?;
    let staging = output::Staging::new(&opts.root, &out).map_err(Failure::Io)?;
    let t = Instant::now();
    crate::progress::stage("rendering pages", None);
    let (mut streamed, states) = render_all(&sites, &staging)?;
    timings.render_ms = ms(t);
    add_base_url_warning(&sites[0], &mut streamed.warnings);
    let t = Instant::now();
    crate::progress::stage("swapping in the new output, deleting the old", None);
    let notes = staging.commit().map_err(Failure::Io)?;
    streamed.warnings.extend(notes);
    timings.write_ms = ms(t);
    Ok(Summary {
        pages: streamed.pages,
        files: streamed.files,
        millis: started.elapsed().as_millis(),
        output: out,
        warnings: streamed.warnings,
        timings,
        rerendered: None,
        leftovers: Leftovers {
            _kept: Some(Box::new((sites, states))),
        },
    })
}

/// One build of `build --watch`: `session` renders what `changed` touched (everything the first
/// time), and the whole site is written like `build` does, all or nothing.
pub(crate) fn build_kept(
    session: &mut Session,
    opts: &BuildOptions,
    changed: &std::collections::BTreeSet<String>,
) -> Result<Summary, Failure> {
    use rayon::prelude::*;
    let started = Instant::now();
    let out = opts.output_dir();
    output::check_output_dir(&opts.root, &out).map_err(Failure::Io)?;
    let t = Instant::now();
    let rendered = session.rebuild(changed)?;
    let mut timings = Timings {
        render_ms: ms(t),
        ..Timings::default()
    };
    let t = Instant::now();
    let staging = output::Staging::new(&opts.root, &out).map_err(Failure::Io)?;
    rendered.files.par_iter().for_each(|(path, bytes)| {
        staging.put_slice(path, bytes);
    });
    let notes = staging.commit().map_err(Failure::Io)?;
    timings.write_ms = ms(t);
    let mut warnings = rendered.warnings;
    warnings.extend(notes);
    Ok(Summary {
        pages: rendered.pages,
        files: rendered.files.len(),
        millis: started.elapsed().as_millis(),
        output: out,
        warnings,
        timings,
        rerendered: rendered.changed,
        leftovers: Leftovers { _kept: None },
    })
}

/// Render every edition of a site (one, for a site of one language) into `sink`.
fn render_all(
    sites: &[crate::model::Site],
    sink: &dyn render::Sink,
) -> Result<(render::Streamed, Vec<render::State>), Failure> {
    if let [site] = sites {
        let (streamed, state) = render::render_once(site, sink).map_err(Failure::Site)?;
        return Ok((streamed, vec![state]));
    }
    render::editions::render_into(sites, sink, false).map_err(Failure::Site)
}

/// What `check` found, when the site has no errors.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) warnings: Diagnostics,
    /// The site was checked without a base URL (what needs one was not made, so not checked).
    pub(crate) without_base_url: bool,
    /// With `external`: distinct external URLs requested, and left alone by `skip`.
    pub(crate) external: Option<(usize, usize)>,
}

/// Everything `build` validates, writing nothing; with `external`, also every external link
/// over the network. The render goes to a sink that keeps nothing: the checks need only each
/// page's scan of its ids and links. A missing base URL is not a warning here, as it is for
/// `build`: a site is sound without one, and it is mostly given at publishing time.
pub(crate) fn check(opts: &BuildOptions, external: bool) -> Result<Checked, Failure> {
    struct Discard;
    impl render::Sink for Discard {
        fn put(&self, _: &str, _: std::borrow::Cow<'static, [u8]>) {}
        fn copy(&self, _: &str, _: &load::FileBytes) -> Result<(), Diagnostic> {
            Ok(())
        }
    }
    let sites = resolve_site(opts, &mut Timings::default())?;
    crate::progress::stage("rendering pages", None);
    let (streamed, states) = render_all(&sites, &Discard)?;
    let site = &sites[0];
    let mut checked = Checked {
        warnings: streamed.warnings,
        without_base_url: site.config.base_url.is_none(),
        external: None,
    };
    if external {
        let editions: Vec<crate::check::Rendered<'_>> = sites
            .iter()
            .zip(&states)
            .map(|(s, st)| (s, st.scans(), st.paths()))
            .collect();
        let found = crate::check::check_external(&editions);
        checked.external = Some((found.checked, found.skipped));
        let broken = found.diagnostics;
        if broken.has_errors() {
            let mut all = checked.warnings;
            all.extend(broken);
            return Err(Failure::Site(all));
        }
        checked.warnings.extend(broken);
    }
    Ok(checked)
}
