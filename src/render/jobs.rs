//! The jobs of the render stage, one method each: a content page through its kind's template
//! (`page_with`), section and tag listings, the front page's briefing, the positions matrix,
//! the timeline, search, 404 and redirect pages (the source list is [`super::sources`]'s).
//! Each returns its output's HTML and metadata; what it reads is noted for [`super::deps`].

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::json;

use super::deps;
use super::markdown::{self, Citer, Markdown, Resolver};
use super::templates::Templates;
use super::views::{self, Index, PageCtx};
use super::{Output, made_by, meta, search, time, venue_zone};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::i18n::Locale;
use crate::load::kinds::Kind;
use crate::load::records::Front;
use crate::model::outputs::{self, Job};
use crate::model::{Page, Site, urls};

pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    pub(super) tpl: &'a Templates,
    pub(super) tpl_uses: &'a HashMap<String, Vec<String>>,
    pub(super) resolver: &'a Resolver<'a>,
    pub(super) section_bodies: &'a [Option<(Markdown, Citer, Diagnostics)>],
    pub(super) ix: &'a Index,
    /// Each page's rendered body, aligned with `Site::pages`: listings make their entries
    /// from them as they need them ([`Renderer::entries`]).
    pub(super) bodies: &'a [(Markdown, Citer, Diagnostics)],
    /// Listing entries kept between renders, aligned with `Site::pages` and made the first
    /// time a listing shows the page (`serve` keeps them; a one-shot build passes none and
    /// makes each listing's entries afresh).
    pub(super) entries: &'a [OnceLock<tera::Value>],
    /// The language of this render pass: its tag is every template's `lang`.
    pub(super) loc: &'a Locale,
}

/// What `page` is in a page's template.
#[derive(serde::Serialize)]
struct PageView<'a> {
    title: &'a str,
    /// The `lang` of the title, summary and body when the edition shows them untranslated
    /// (the original's), else none.
    title_lang: Option<&'a str>,
    summary_lang: Option<&'a str>,
    content_lang: Option<&'a str>,
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

/// `page.tags[]`: a tag's name and link.
#[derive(serde::Serialize)]
struct LinkView<'a> {
    name: &'a str,
    url: String,
    /// A tag's name is never translated: the original's `lang` in a further edition.
    lang: Option<&'a str>,
}

/// `page.section`: the section a page is in.
#[derive(serde::Serialize)]
struct SectionRef<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
}

/// The search script's strings in the page's language, as JSON for `data-strings`: plain
/// messages, `results` (the count's forms by plural category, `{n}` for the number, `0` for
/// none) and `results_for` (`{results}` and `{query}` for the script to fill in).
fn search_strings(loc: &Locale) -> String {
    let placeholders = [
        ("results", crate::i18n::FluentValue::from("{results}")),
        ("query", crate::i18n::FluentValue::from("{query}")),
    ];
    json!({
        "searching": loc.t("search-searching"),
        "unavailable": loc.t("search-unavailable"),
        "also_written": loc.t("also-written"),
        "results": loc.plural_forms("search-results", "count"),
        "results_for": loc.t_args("search-for", &placeholders),
    })
    .to_string()
}

/// A listing entry for a page.
fn page_ref(
    site: &Site,
    loc: &Locale,
    bodies: &[(Markdown, Citer, Diagnostics)],
    i: usize,
) -> tera::Value {
    let p = &site.pages[i];
    let c = p.source.front.common();
    let summary = match c.summary {
        Some(s) => Some(s.to_string()),
        None => bodies[i].0.summary.as_deref().map(markdown::strip_cites),
    };
    let summary_cites = match c.summary {
        Some(_) => Vec::new(),
        None => bodies[i]
            .0
            .summary
            .as_deref()
            .map(|h| views::cited_in(site, h))
            .unwrap_or_default(),
    };
    tera::Value::from_serializable(&PageRef {
        title: c.title,
        lang: site.title_lang(&p.source),
        summary_lang: match c.summary {
            Some(_) => site.text_lang(&p.source, "summary"),
            None => site.body_lang(&p.source),
        },
        url: site.config.url(&p.path),
        path: &p.path,
        kind: p.kind(),
        id: &p.id,
        date: c.date.map(|d| d.to_string()),
        date_view: c
            .date
            .map(|d| time::view(loc, d, venue_zone(&p.source.front), &[], false)),
        summary,
        summary_is_html: c.summary.is_none(),
        summary_cites,
    })
}

/// The translation notice of a listing: for the sources its own text cites and those the
/// summaries it shows cite.
fn listing_notice(cx: &PageCtx<'_>, refs: &[tera::Value]) -> Option<String> {
    let mut ids: Vec<String> = cx.citer.cited.iter().map(|(id, _)| id.clone()).collect();
    for r in refs {
        for id in r
            .get_from_path("summary_cites")
            .and_then(tera::Value::as_array)
            .unwrap_or_default()
        {
            if let Some(id) = id.as_str()
                && !ids.iter().any(|x| x == id)
            {
                ids.push(id.to_string());
            }
        }
    }
    views::notice_for(cx.site, cx.loc, &ids)
}

/// A listing entry (`section.pages[]`, `tag.pages[]`).
#[derive(serde::Serialize)]
struct PageRef<'a> {
    title: &'a str,
    /// The `lang` of the title and of the summary shown, when the edition shows them
    /// untranslated.
    lang: Option<&'a str>,
    summary_lang: Option<&'a str>,
    url: String,
    path: &'a str,
    kind: &'static str,
    id: &'a str,
    date: Option<String>,
    date_view: Option<time::TimeView>,
    summary: Option<String>,
    summary_is_html: bool,
    /// Sources the shown summary cites (its marks are stripped in listings), so a listing
    /// that quotes it can carry their translation notice.
    summary_cites: Vec<String>,
}

/// A section's title: a record kind's folder without an `_index.md` is named as the navigation
/// names it (`nav-talks`), in the reader's language; else the section's own title.
fn section_title(loc: &crate::i18n::Locale, s: &crate::model::Section) -> String {
    match crate::load::kinds::Kind::from_folder(&s.dir) {
        Some(k) if s.index.is_none() => loc.t(k.decl().nav),
        _ => s.title.clone(),
    }
}

/// The title of page `n` of `total` of a listing titled `title`: the title alone on page 1.
pub(super) fn paged_title(
    loc: &crate::i18n::Locale,
    title: &str,
    n: usize,
    total: usize,
) -> String {
    if n <= 1 {
        title.to_string()
    } else {
        use crate::i18n::FluentValue;
        loc.t_args(
            "paged-title",
            &[
                ("title", FluentValue::from(title)),
                ("n", FluentValue::from(n)),
                ("total", FluentValue::from(total)),
            ],
        )
    }
}

/// One link of a listing's pagination: a page number, or a gap between numbers.
#[derive(serde::Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages are left out before this one.
    gap_before: bool,
}

/// `paginator` in a listing's template: where page `n` of `total` of the listing at `path`
/// stands and the links to the others (the first, the last, and two either side of the
/// current one, so a listing of hundreds of pages does not link every one from every page).
#[derive(serde::Serialize)]
pub(super) struct Paginator {
    current: usize,
    total: usize,
    first: String,
    last: String,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

pub(super) fn paginator(site: &Site, path: &str, n: usize, total: usize) -> Paginator {
    let url = |k: usize| site.config.url(&outputs::paged_path(path, k));
    let mut numbers: Vec<usize> = vec![1, total];
    numbers.extend(n.saturating_sub(2).max(1)..=(n + 2).min(total));
    numbers.sort_unstable();
    numbers.dedup();
    let mut last = 0;
    let pages = numbers
        .into_iter()
        .map(|k| {
            let link = PagerLink {
                number: k,
                url: url(k),
                current: k == n,
                gap_before: k > last + 1,
            };
            last = k;
            link
        })
        .collect();
    Paginator {
        current: n,
        total,
        first: url(1),
        last: url(total),
        prev: (n > 1).then(|| url(n - 1)),
        next: (n < total).then(|| url(n + 1)),
        pages,
    }
}

/// `section` in a listing's template.
#[derive(serde::Serialize)]
struct SectionView<'a> {
    title: String,
    url: String,
    path: &'a str,
    /// The `lang` of the section's title, summary and text (its `_index.md`'s) when the
    /// edition shows them untranslated.
    title_lang: Option<&'a str>,
    summary_lang: Option<&'a str>,
    content_lang: Option<&'a str>,
    dir: &'a str,
    /// The section's text (page 1 only).
    content: String,
    toc: &'a [markdown::TocEntry],
    subsections: Vec<views::TitleLink<'a>>,
    summary: Option<&'a str>,
    extra: Option<&'a serde_json::Value>,
    /// This page's entries (see [`PageRef`]).
    pages: Vec<tera::Value>,
}

/// `tag` in a tag's listing.
#[derive(serde::Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    /// A tag's name is never translated: the original's `lang` in a further edition.
    lang: Option<&'a str>,
    /// The tag page's heading as HTML, the name in its `lang`.
    heading: String,
    /// This page's entries (see [`PageRef`]).
    pages: Vec<tera::Value>,
}

/// `tags[]` on the list of tags.
#[derive(serde::Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
    /// How many pages have it.
    count: usize,
    /// The original's `lang` in a further edition (tag names are never translated).
    lang: Option<&'a str>,
}

/// `briefing` on the front page of a site with records.
#[derive(serde::Serialize)]
struct BriefingView<'a> {
    latest: Option<views::TalkView<'a>>,
    /// The next round, when it is not the latest.
    next: Option<views::TalkView<'a>>,
    /// The latest round's outcomes.
    outcome_groups: Vec<views::OutcomeGroup<'a>>,
    /// The five newest updates of all talks.
    updates: Vec<views::UpdateView<'a>>,
    /// Every talk, newest first.
    talks: Vec<views::TalkRef<'a>>,
    counts: Counts,
    has_records: bool,
}

/// `briefing.counts`: how many records of each kind, timeline events and sources.
#[derive(serde::Serialize)]
struct Counts {
    talks: usize,
    parties: usize,
    people: usize,
    topics: usize,
    sources: usize,
    events: usize,
}

/// `years[]` on the entry page of a split timeline.
#[derive(serde::Serialize)]
struct EntryYear<'a> {
    year: i16,
    url: String,
    count: usize,
    events: Vec<EntryEvent<'a>>,
}

/// An event on the entry page of a split timeline, linking to its year's page.
#[derive(serde::Serialize)]
struct EntryEvent<'a> {
    anchor: &'a str,
    date: String,
    title: String,
    heading: views::EventHeading<'a>,
    url: String,
}

/// `timeline_years` on a year's page of a split timeline: the entry page and every year.
#[derive(serde::Serialize)]
struct TimelineYears {
    entry: String,
    years: Vec<YearLink>,
}

/// A year of [`TimelineYears`].
#[derive(serde::Serialize)]
struct YearLink {
    year: i16,
    url: String,
    current: bool,
}

impl<'r> Renderer<'r> {
    /// The listing entries of the pages `shown`. A one-shot build makes them as a listing
    /// needs them rather than keeping one for every page (they were about a quarter of a
    /// large build's memory, and a page is on only a few listings: its section's, its
    /// tags'); `serve` keeps each once made, for the next update's listings.
    fn entries(&self, shown: &[usize]) -> Vec<tera::Value> {
        let make = |p: usize| page_ref(self.site, self.loc, self.bodies, p);
        shown
            .iter()
            .map(|&p| match self.entries.get(p) {
                Some(kept) => kept.get_or_init(|| make(p)).clone(),
                None => make(p),
            })
            .collect()
    }

    /// Run a job of phase 2, noting what it reads.
    pub(super) fn job_recorded(&self, job: Job) -> Result<(Output, Diagnostics), Diagnostic> {
        self.job_noted(job, true)
    }

    /// Run a job of phase 2, noting what it reads only if `keep` (see [`deps::recording_if`]).
    pub(super) fn job_noted(
        &self,
        job: Job,
        keep: bool,
    ) -> Result<(Output, Diagnostics), Diagnostic> {
        let (res, reads) = deps::recording_if(keep, || self.job(job));
        res.map(|o| made_by(o, job, reads))
    }

    fn job(&self, job: Job) -> Result<(Output, Diagnostics), Diagnostic> {
        match job {
            Job::Section(i) => self.section(i, 1),
            Job::SectionPage(i, n) => self.section(i, n),
            Job::TagList => self.tag_list(),
            Job::Tag(i) => self.tag(i, 1),
            Job::TagPage(i, n) => self.tag(i, n),
            Job::Positions if outputs::positions_split(self.site) => self.positions_entry(),
            Job::Positions => self.positions(),
            Job::PositionsTopic(i) => self.positions_topic(i),
            Job::Timeline if outputs::timeline_split(self.site) => self.timeline_entry(),
            Job::Timeline => self.timeline(),
            Job::Changes => self.changes(),
            Job::Corrections => self.corrections(),
            Job::TimelineYear(y) => self.timeline_year(y),
            Job::Search => self.search_page(),
            Job::NotFound => self.not_found(),
            Job::Alias(i) => self.alias(i),
            Job::Sources
            | Job::SourceLetter(..)
            | Job::Page(_)
            | Job::Robots
            | Job::Sitemap
            | Job::Feed
            | Job::Calendar
            | Job::Export
            | Job::SearchIndex
            | Job::SearchTerms(_)
            | Job::SearchDocs(_)
            | Job::Copy(_)
            | Job::Compare(..) => Err(Diagnostic::new(
                Code::Internal,
                format!(
                    "internal: {} is not rendered by a job of its own",
                    job.origin(self.site)
                ),
            )),
        }
    }

    pub(super) fn base_context(&self, path: &str, title: &str) -> tera::Context {
        let mut ctx = self.context_without_meta(path, title);
        ctx.insert("meta", &meta::generic(self.site, path, title));
        ctx
    }

    /// The variables every template gets, except `meta` (pages make their own).
    fn context_without_meta(&self, path: &str, title: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("current_path", path);
        ctx.insert("current_url", &self.site.config.url(path));
        let edition = super::editions::view(self.site, path);
        match &edition.canonical {
            Some(original) => ctx.insert("canonical", original),
            None => ctx.insert("canonical", &self.site.config.absolute_url(path)),
        }
        ctx.insert("lang", &self.site.config.language);
        ctx.insert("edition", &edition);
        ctx.insert("title", title);
        // Byline and dates (`partials/byline.html`); content pages fill it in.
        ctx.insert("trust", &None::<super::trust::TrustView>);
        ctx.insert("lang", self.loc.tag());
        ctx
    }

    pub(super) fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        origin: Option<&std::path::Path>,
    ) -> Result<String, Diagnostic> {
        match self.tpl_uses.get(template) {
            Some(uses) => uses
                .iter()
                .for_each(|t| deps::read(deps::Dep::Template(t.clone()))),
            None => deps::read(deps::Dep::Template(template.to_string())),
        }
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

    pub(super) fn finish(
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
                job: Job::NotFound,
                pending: Vec::new(),
                reads: Box::new([]),
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

    /// Page `i`, given the text of its file (`whole`) and its rendered body (`body_html` is
    /// used by generic pages; records render their text again, numbering its citations after
    /// their structured ones).
    pub(super) fn page_with(
        &self,
        i: usize,
        whole: &str,
        body: &Markdown,
        body_citer: &Citer,
        body_html: String,
    ) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let p = &site.pages[i];
        deps::read(deps::Dep::Source(self.ix.key(i)));
        deps::read_links(whole);
        let c = p.source.front.common();
        let mut cx = PageCtx::new(site, self.resolver, self.loc);
        let mut ctx = self.context_without_meta(&p.path, c.title);

        // Records number their structured citations first, then the narrative.
        let kind_template = p
            .source
            .front
            .kind()
            .map_or("page.html", |k| k.decl().template);
        let mut trust = super::trust::header_view(site, &p.source.front);
        let (kind_template, content) = match &p.source.front {
            Front::Page(_) => {
                cx.citer = body_citer.clone();
                // Appended after the body's citations, shown below the headline.
                let line = super::trust::bottom_line(&mut cx, &p.source);
                trust.bottom_line = Some(line);
                trust.watch = Some(super::trust::watch_view(&mut cx, &p.source, None));
                (kind_template, body_html)
            }
            Front::Talk(t) => {
                // The bottom line and the key facts come first on the page: cited first.
                super::trust::talk_facts(&mut cx, p, t, &mut trust);
                let view = views::talk_view(&mut cx, self.ix, p, t);
                let zone = (t.venue.timezone.0.as_str(), t.venue.city.as_deref());
                trust.watch = Some(super::trust::watch_view(&mut cx, &p.source, Some(zone)));
                let html = self.rerender_body(&mut cx, p, whole);
                let updates = views::updates_view(&mut cx, p, t);
                cx.list(&t.sources);
                ctx.insert("talk", &view);
                ctx.insert("updates", &updates);
                (kind_template, html)
            }
            Front::Party(f) => {
                let view = views::party_view(&mut cx, self.ix, p, f);
                ctx.insert("party", &view);
                (kind_template, self.rerender_body(&mut cx, p, whole))
            }
            Front::Person(f) => {
                let view = views::person_view(&mut cx, self.ix, p, f);
                ctx.insert("person", &view);
                (kind_template, self.rerender_body(&mut cx, p, whole))
            }
            Front::Topic(_) => {
                let html = self.rerender_body(&mut cx, p, whole);
                let view = views::topic_view(&mut cx, self.ix, p);
                ctx.insert("topic", &view);
                (kind_template, html)
            }
            Front::Statement(f) => {
                let view = views::statement_view(&mut cx, self.ix, p, f);
                ctx.insert("statement", &view);
                (kind_template, self.rerender_body(&mut cx, p, whole))
            }
        };
        ctx.insert(
            "backlinks",
            &views::backlinks_view(site, self.ix, self.loc, i),
        );
        ctx.insert("trust", &trust);
        let template = c.template.unwrap_or(kind_template);
        if !self.tpl.has(template) {
            return Err(Diagnostic::new(
                Code::MissingTemplate,
                format!("template `{template}` does not exist"),
            )
            .in_file(&p.source.path)
            .hint("add it under templates/, or remove the `template:` key"));
        }
        let section = &site.sections[p.section];
        let (sources, notice) = cx.sources_view();
        let zone = venue_zone(&p.source.front);
        ctx.insert(
            "page",
            &PageView {
                title: c.title,
                title_lang: site.title_lang(&p.source),
                summary_lang: site.text_lang(&p.source, "summary"),
                content_lang: site.body_lang(&p.source),
                url: site.config.url(&p.path),
                path: &p.path,
                permalink: site.config.absolute_url(&p.path),
                id: &p.id,
                kind: p.kind(),
                date: c.date.map(|d| d.to_string()),
                date_view: c.date.map(|d| time::view(self.loc, d, zone, &[], false)),
                updated: c.updated.map(|d| d.to_string()),
                updated_view: c.updated.map(|d| time::view(self.loc, d, zone, &[], false)),
                summary: c.summary,
                summary_html: body.summary.as_deref(),
                content: &content,
                toc: &body.toc,
                tags: p
                    .tags
                    .iter()
                    .map(|&t| {
                        deps::read(deps::Dep::TagName(site.tags[t].slug.clone()));
                        LinkView {
                            name: &site.tags[t].name,
                            url: site.config.url(&site.tags[t].path),
                            lang: site.original_lang(),
                        }
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

    fn rerender_body(&self, cx: &mut PageCtx<'_>, p: &Page, whole: &str) -> String {
        let mut problems = Vec::new();
        let md = markdown::render(
            p.source.body_of(whole),
            p.source.dir(),
            self.resolver,
            &mut cx.citer,
            &mut problems,
            false,
        );
        // Problems were already reported by the first pass.
        md.html
    }

    /// Page `n` (from 1) of section `i`'s listing: the section's text on page 1 only, the
    /// entries of page `n`, and the links to the other pages.
    fn section(&self, i: usize, n: usize) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let s = &site.sections[i];
        deps::read(deps::Dep::Section(s.dir.clone()));
        if let Some(ix) = &s.index {
            deps::read_links(&ix.text);
        }
        let total = outputs::section_pages(site, i);
        let shown = &s.pages[outputs::page_range(s.pages.len(), site.config.paginate_by, n)];
        for &p in shown {
            deps::read(deps::Dep::Listing(self.ix.key(p)));
        }
        let path = outputs::paged_path(&s.path, n);
        let s_title = section_title(self.loc, s);
        let title = paged_title(self.loc, &s_title, n, total);
        let mut cx = PageCtx::new(site, self.resolver, self.loc);
        let mut ctx = self.base_context(&path, &title);
        ctx.insert("paginator", &paginator(site, &s.path, n, total));
        let (mut content, toc) = match self.section_bodies[i].as_ref().filter(|_| n == 1) {
            Some((md, citer, _)) => {
                cx.citer = citer.clone();
                (md.html.clone(), md.toc.as_slice())
            }
            None => (String::new(), &[][..]),
        };
        let subsections = s
            .subsections
            .iter()
            .map(|&j| views::TitleLink {
                title: &site.sections[j].title,
                url: site.config.url(&site.sections[j].path),
                lang: site.section_title_lang(&site.sections[j]),
            })
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
                let whole = ix.whole()?;
                content = markdown::render(
                    ix.body_of(&whole),
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
        let (sources, page_notice) = cx.sources_view();
        let entries = self.entries(shown);
        // A listing carries the notice of the summaries it quotes; the briefing's front page
        // shows no listing.
        let notice = if s.dir.is_empty() && !site.briefing.is_empty() {
            page_notice
        } else {
            listing_notice(&cx, &entries)
        };
        ctx.insert(
            "section",
            &SectionView {
                title: s_title,
                url: site.config.url(&s.path),
                path: &s.path,
                // The `lang` of the section's own texts (from its `_index.md`) when the
                // edition shows them untranslated.
                title_lang: site.section_title_lang(s),
                summary_lang: s
                    .index
                    .as_ref()
                    .and_then(|ix| site.text_lang(ix, "summary")),
                content_lang: s.index.as_ref().and_then(|ix| site.body_lang(ix)),
                dir: &s.dir,
                content,
                toc,
                subsections,
                summary: s.index.as_ref().and_then(|ix| ix.front.common().summary),
                extra: s.index.as_ref().and_then(|ix| ix.front.common().extra),
                pages: entries,
            },
        );
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        if !self.tpl.has(&template) {
            return Err(Diagnostic::new(
                Code::MissingTemplate,
                format!("template `{template}` does not exist"),
            )
            .in_file(
                s.index
                    .as_ref()
                    .map_or_else(|| std::path::PathBuf::from("content"), |ix| ix.path.clone()),
            ));
        }
        let origin = s.index.as_ref().map(|ix| ix.path.as_path());
        let html = self.render(&template, &ctx, origin)?;
        Ok(self.finish(path, html, cx, title))
    }

    /// The front page's briefing: latest and next round, key outcomes, latest updates.
    fn front_page(&self, cx: &mut PageCtx<'r>, ctx: &mut tera::Context) {
        let site = self.site;
        let b = &site.briefing;
        // The latest and next round, every talk's updates and the counts of every kind.
        for &kind in Kind::ALL {
            self.ix.all(kind);
        }
        deps::read(deps::Dep::Timeline);
        // The bottom line opens the at-a-glance box: it is cited first.
        let home = site.sections.first().and_then(|s| s.index.as_deref());
        let latest_page = b
            .latest_talk
            .as_ref()
            .and_then(|id| b.talks().get(id))
            .map(|&i| &site.pages[i]);
        let mut trust = super::trust::front_view(cx, home, latest_page);
        // The at-a-glance box shows no citations: build it on a scratch numbering.
        let glance = |id: &Option<String>| -> Option<views::TalkView<'_>> {
            let i = *b.talks().get(id.as_ref()?)?;
            let p = &site.pages[i];
            let mut scratch = PageCtx::new(site, self.resolver, self.loc);
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
            .and_then(|id| b.talks().get(id))
            .and_then(|&i| match &site.pages[i].source.front {
                Front::Talk(t) => Some(views::outcome_groups(cx, self.ix, &site.pages[i], t)),
                _ => None,
            })
            .unwrap_or_default();
        trust.watch = Some(super::trust::front_watch(cx, home, latest_page));
        ctx.insert("trust", &trust);
        // The five newest updates of all talks; only those are rendered, so the page's
        // citations are exactly the ones it shows.
        let mut newest: Vec<(i64, usize, (usize, &crate::load::records::Update))> = Vec::new();
        for &i in b.talks().values() {
            if let Front::Talk(t) = &site.pages[i].source.front {
                for u in views::newest_first(t) {
                    newest.push((views::instant_key(&u.1.at, &t.venue.timezone.0), i, u));
                }
            }
        }
        newest.sort_by_key(|u| std::cmp::Reverse(u.0));
        newest.truncate(5);
        let updates: Vec<views::UpdateView<'_>> = newest
            .into_iter()
            .filter_map(|(_, i, u)| {
                let p = &site.pages[i];
                match &p.source.front {
                    Front::Talk(t) => Some(views::update_view(cx, p, t, u)),
                    _ => None,
                }
            })
            .collect();
        let talks: Vec<views::TalkRef<'_>> = b
            .talk_order
            .iter()
            .rev()
            .map(|id| views::talk_ref(site, self.ix, self.loc, id))
            .collect();
        ctx.insert(
            "briefing",
            &BriefingView {
                latest,
                next,
                outcome_groups: outcomes,
                updates,
                talks,
                counts: Counts {
                    talks: b.talks().len(),
                    parties: b.parties().len(),
                    people: b.people().len(),
                    topics: b.topics().len(),
                    sources: b.sources.len(),
                    events: b.timeline.len(),
                },
                has_records: !b.is_empty(),
            },
        );
    }

    fn tag_list(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        deps::read(deps::Dep::TagList);
        let site = self.site;
        let mut ctx = self.base_context("tags/", &self.loc.t("title-tags"));
        let tags: Vec<TagLink<'_>> = site
            .tags
            .iter()
            .map(|t| TagLink {
                name: &t.name,
                url: site.config.url(&t.path),
                count: t.pages.len(),
                lang: site.original_lang(),
            })
            .collect();
        ctx.insert("tags", &tags);
        let html = self.render("tags.html", &ctx, None)?;
        Ok(self.finish(
            "tags/".into(),
            html,
            PageCtx::new(site, self.resolver, self.loc),
            self.loc.t("title-tags"),
        ))
    }

    /// Page `n` (from 1) of tag `i`'s listing.
    fn tag(&self, i: usize, n: usize) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let t = &site.tags[i];
        let total = outputs::listing_pages(t.pages.len(), site.config.paginate_by);
        let shown = &t.pages[outputs::page_range(t.pages.len(), site.config.paginate_by, n)];
        let path = outputs::paged_path(&t.path, n);
        let tagged = self.loc.t_args(
            "tag-title",
            &[("tag", crate::i18n::FluentValue::from(t.name.as_str()))],
        );
        let title = paged_title(self.loc, &tagged, n, total);
        // The heading as HTML: the tag's name (never translated) in the original's `lang`.
        let heading = paged_title(
            self.loc,
            &self.loc.t_args(
                "tag-title",
                &[(
                    "tag",
                    crate::i18n::FluentValue::from(views::phrase(&t.name, site.original_lang())),
                )],
            ),
            n,
            total,
        );
        let mut ctx = self.base_context(&path, &title);
        ctx.insert("paginator", &paginator(site, &t.path, n, total));
        deps::read(deps::Dep::Tag(t.slug.clone()));
        for &p in shown {
            deps::read(deps::Dep::Listing(self.ix.key(p)));
        }
        let entries = self.entries(shown);
        let notice = listing_notice(&PageCtx::new(site, self.resolver, self.loc), &entries);
        ctx.insert("translation_notice", &notice);
        ctx.insert(
            "tag",
            &TagView {
                name: &t.name,
                slug: &t.slug,
                url: site.config.url(&t.path),
                lang: site.original_lang(),
                heading,
                pages: entries,
            },
        );
        let html = self.render("tag.html", &ctx, None)?;
        Ok(self.finish(
            path,
            html,
            PageCtx::new(site, self.resolver, self.loc),
            title,
        ))
    }

    fn positions(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut cx = PageCtx::new(self.site, self.resolver, self.loc);
        let mut ctx = self.base_context("positions/", &self.loc.t("nav-positions"));
        let m = views::matrix_view(&mut cx, self.ix);
        ctx.insert("matrix", &m);
        drop(m);
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("positions.html", &ctx, None)?;
        Ok(self.finish("positions/".into(), html, cx, self.loc.t("nav-positions")))
    }

    fn timeline(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut cx = PageCtx::new(self.site, self.resolver, self.loc);
        let mut ctx = self.base_context("timeline/", &self.loc.t("nav-timeline"));
        let years = views::timeline_view(&mut cx, self.ix);
        ctx.insert("years", &years);
        // The context holds its own copy; this one is the size of the page's view.
        drop(years);
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("timeline.html", &ctx, None)?;
        Ok(self.finish("timeline/".into(), html, cx, self.loc.t("nav-timeline")))
    }

    fn changes(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut cx = PageCtx::new(self.site, self.resolver, self.loc);
        let title = self.loc.t("changes-title");
        let mut ctx = self.base_context("changes/", &title);
        let changes = super::trust::changes(&mut cx, self.ix);
        ctx.insert("changes", &changes);
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("changes.html", &ctx, None)?;
        Ok(self.finish("changes/".into(), html, cx, title))
    }

    fn corrections(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut cx = PageCtx::new(self.site, self.resolver, self.loc);
        let title = self.loc.t("corrections-title");
        let mut ctx = self.base_context("corrections/", &title);
        let list = super::trust::corrections(self.site, self.ix, &mut |p, j, u| {
            let text = cx.inline_of(&p.source, &format!("updates.{j}.text"), &u.text);
            text + &cx.marks(&u.sources)
        });
        ctx.insert("corrections", &list);
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("corrections.html", &ctx, None)?;
        Ok(self.finish("corrections/".into(), html, cx, title))
    }

    /// The entry page of a split timeline: the years, and every event's anchor (so that an
    /// old link `timeline/#<event>` still lands on it) linking to the event on its year's page.
    fn timeline_entry(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        deps::read(deps::Dep::Timeline);
        let site = self.site;
        let mut ctx = self.base_context("timeline/", &self.loc.t("nav-timeline"));
        let mut years: Vec<EntryYear<'_>> = Vec::new();
        for e in &site.briefing.timeline {
            let year = e.date.start().year();
            if years.last().is_none_or(|y| y.year != year) {
                years.push(EntryYear {
                    year,
                    url: site.config.url(&format!("timeline/{year}/")),
                    count: 0,
                    events: Vec::new(),
                });
            }
            if let Some(y) = years.last_mut() {
                y.events.push(EntryEvent {
                    anchor: &e.anchor,
                    date: e.date.to_string(),
                    title: views::event_title(self.loc, e),
                    heading: views::event_heading(site, self.loc, e),
                    url: format!("{}#{}", y.url, e.anchor),
                });
                y.count += 1;
            }
        }
        ctx.insert("years", &years);
        let html = self.render("timeline-index.html", &ctx, None)?;
        Ok(self.finish(
            "timeline/".into(),
            html,
            PageCtx::new(site, self.resolver, self.loc),
            self.loc.t("nav-timeline"),
        ))
    }

    /// One year of a split timeline.
    fn timeline_year(&self, year: i16) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let path = format!("timeline/{year}/");
        let title = self.loc.t_args(
            "timeline-year-title",
            &[("year", crate::i18n::FluentValue::from(year.to_string()))],
        );
        let mut cx = PageCtx::new(site, self.resolver, self.loc);
        let mut ctx = self.base_context(&path, &title);
        let years = views::timeline_view_of(&mut cx, self.ix, Some(year));
        ctx.insert("years", &years);
        let years = outputs::timeline_years(site)
            .into_iter()
            .map(|y| YearLink {
                year: y,
                url: site.config.url(&format!("timeline/{y}/")),
                current: y == year,
            })
            .collect();
        ctx.insert(
            "timeline_years",
            &TimelineYears {
                entry: site.config.url("timeline/"),
                years,
            },
        );
        let (sources, notice) = cx.sources_view();
        ctx.insert("sources", &sources);
        ctx.insert("translation_notice", &notice);
        let html = self.render("timeline.html", &ctx, None)?;
        Ok(self.finish(path, html, cx, title))
    }

    fn search_page(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let mut ctx = self.base_context("search/", &self.loc.t("nav-search"));
        ctx.insert("index_url", &self.site.config.url("search-index.json"));
        ctx.insert("search_strings", &search_strings(self.loc));
        let html = self.render("search.html", &ctx, None)?;
        Ok(self.finish(
            "search/".into(),
            html,
            PageCtx::new(self.site, self.resolver, self.loc),
            self.loc.t("nav-search"),
        ))
    }

    fn not_found(&self) -> Result<(Output, Diagnostics), Diagnostic> {
        let ctx = self.base_context("404.html", &self.loc.t("title-not-found"));
        let html = self.render("404.html", &ctx, None)?;
        let (mut o, d) = self.finish(
            String::new(),
            html,
            PageCtx::new(self.site, self.resolver, self.loc),
            self.loc.t("title-not-found"),
        );
        o.path = "404.html".into();
        o.site_path = None;
        Ok((o, d))
    }

    fn alias(&self, i: usize) -> Result<(Output, Diagnostics), Diagnostic> {
        let site = self.site;
        let a = &site.aliases[i];
        let p = &site.pages[a.page];
        deps::read(deps::Dep::Listing(self.ix.key(a.page)));
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
            PageCtx::new(site, self.resolver, self.loc),
            String::new(),
        );
        o.path = a.output.clone();
        o.site_path = None;
        o.cites.clear();
        Ok((o, d))
    }
}
