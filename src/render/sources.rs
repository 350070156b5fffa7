//! The source list: `/sources/`, every source with the pages that cite it; above `split_above`
//! sources an entry page (the letters, and every source's anchor linking to its entry) with a
//! page a letter at `/sources/<letter>/`, cut into pages of `paginate_by` at
//! `/sources/<letter>/page/N/` (the letters and pages are [`crate::model::letters`]'s).
//! Made after every other output, from their citations.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::jobs::{self, Renderer};
use super::views::{self, CitedOn, PageCtx, SourceView};
use super::{Output, deps, made_by};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::FluentValue;
use crate::model::letters;
use crate::model::outputs::{self, Job};

type Made = Result<(Output, Diagnostics), Diagnostic>;

/// A source's entry on a page of the source list: its view, or the template value a memo
/// kept of it.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry {
    View(Box<SourceView>),
    Kept(tera::Value),
}

/// Each source's view on the source list (its entry and the pages citing it), by id, as
/// [`Renderer::source_pages`] made it for an update.
pub(super) type SourceMemo = rustc_hash::FxHashMap<String, tera::Value>;

/// A letter of a split source list, as its pages show it.
#[derive(Serialize)]
struct LetterLink {
    label: String,
    url: String,
    count: usize,
    current: bool,
}

/// `source_letters` of a letter page: the entry page and every letter.
#[derive(Serialize)]
struct LetterNav {
    entry: String,
    letters: Vec<LetterLink>,
}

/// A letter on the entry page of a split source list, with its sources' anchors.
#[derive(Serialize)]
struct EntryLetter<'a> {
    label: String,
    id: String,
    url: String,
    count: usize,
    sources: Vec<EntryLine<'a>>,
}

/// A source on the entry page of a split source list.
#[derive(Serialize)]
struct EntryLine<'a> {
    anchor: String,
    publisher: &'a str,
    title: Option<&'a str>,
    url: String,
}

impl Renderer<'_> {
    /// The source list's outputs from every other output's citations (`outputs` in any
    /// order): `/sources/`, or, split, the entry page when `entry` and the letter pages in
    /// `only` (as letter and page number; every page when `None`).
    ///
    /// `memo` (kept by an update) holds the views of sources whose entry and citing pages are
    /// as when they were made: they are used as they are, and the others made and added. The
    /// caller removes those that changed. `outputs` need only hold the pages citing the
    /// sources not in it.
    pub(super) fn source_pages<'o>(
        &self,
        outputs: impl Iterator<Item = &'o Output>,
        entry: bool,
        only: Option<&FxHashSet<(char, usize)>>,
        mut memo: Option<&mut SourceMemo>,
    ) -> Vec<Made> {
        deps::read(deps::Dep::Sources);
        let site = self.site;
        let sources = &site.briefing.sources;
        let layout = &site.briefing.source_pages;
        let known = |id: &str| memo.as_ref().is_some_and(|m| m.contains_key(id));
        // The sources whose views are made: those on the pages made, when not every page is,
        // and not already in the memo.
        let shown: Option<FxHashSet<&str>> = only.map(|only| {
            layout
                .sources_on(only)
                .map(|i| sources[i].id.as_str())
                .filter(|id| !known(id))
                .collect()
        });
        let mut cited_on = self.cited_on(outputs, shown.as_ref());
        let mut view = |i: usize| -> Entry {
            let s = &sources[i];
            if let Some(v) = memo.as_ref().and_then(|m| m.get(&s.id)) {
                return Entry::Kept(v.clone());
            }
            let mut v = views::source_view(
                self.loc,
                s,
                None,
                Vec::new(),
                &site.config.display_timezones,
            );
            v.cited_on = cited_on.remove(s.id.as_str()).unwrap_or_default();
            v.note_lang = site.lang_unless(s.note_given).map(str::to_string);
            match memo.as_mut() {
                Some(m) => {
                    let v = tera::Value::from_serializable(&v);
                    m.insert(s.id.clone(), v.clone());
                    Entry::Kept(v)
                }
                // Made a template value only as its page renders: a build holds every
                // source's view until then, and a value takes several times the room.
                None => Entry::View(Box::new(v)),
            }
        };
        if !outputs::sources_split(site) {
            let list: Vec<Entry> = (0..sources.len()).map(view).collect();
            let title = self.loc.t("nav-sources");
            let page = self.source_list("sources/".into(), title, list, None, None);
            return vec![page.map(|o| made_by(o, Job::Sources, Vec::new()))];
        }
        let links: Vec<LetterLink> = layout
            .letters
            .iter()
            .map(|(c, list)| LetterLink {
                label: letters::label(*c),
                url: site.config.url(&outputs::source_letter_path(*c, 1)),
                count: list.len(),
                current: false,
            })
            .collect();
        let mut made = Vec::new();
        if entry {
            made.push(
                self.sources_entry(&links)
                    .map(|o| made_by(o, Job::Sources, Vec::new())),
            );
        }
        // Each page's entries, with the pages that cite them, made in parallel.
        let pages: Vec<(usize, char, usize, Vec<Entry>)> = layout
            .all_pages()
            .filter(|p| only.is_none_or(|o| o.contains(p)))
            .filter_map(|(c, n)| {
                let k = layout.index_of(c)?;
                Some((
                    k,
                    c,
                    n,
                    layout.page(k, n).iter().map(|&i| view(i)).collect(),
                ))
            })
            .collect();
        made.par_extend(pages.into_par_iter().map(|(k, c, n, list)| {
            let label = match c {
                letters::OTHER => self.loc.t("sources-letter-other"),
                c => letters::label(c),
            };
            let title = self.loc.t_args(
                "sources-letter-title",
                &[("letter", FluentValue::from(label.as_str()))],
            );
            let total = layout.pages(k);
            let title = jobs::paged_title(self.loc, &title, n, total);
            let nav: Vec<LetterLink> = links
                .iter()
                .enumerate()
                .map(|(j, l)| LetterLink {
                    label: l.label.clone(),
                    url: l.url.clone(),
                    count: l.count,
                    current: j == k,
                })
                .collect();
            let nav = LetterNav {
                entry: site.config.url("sources/"),
                letters: nav,
            };
            let first = outputs::source_letter_path(c, 1);
            let pager = jobs::paginator(site, &first, n, total);
            let path = outputs::source_letter_path(c, n);
            self.source_list(path, title, list, Some(nav), Some(pager))
                .map(|o| made_by(o, Job::SourceLetter(c, n), Vec::new()))
        }));
        made
    }

    /// For each source id (each in `shown`, when given), the pages that cite it, in order of
    /// output path.
    fn cited_on<'o>(
        &self,
        outputs: impl Iterator<Item = &'o Output>,
        shown: Option<&FxHashSet<&str>>,
    ) -> HashMap<&'o str, Vec<CitedOn>> {
        let mut cited_on: HashMap<&str, Vec<CitedOn>> = HashMap::new();
        let front_page = self.loc.t("front-page");
        let mut sorted: Vec<&Output> = outputs.collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let site = self.site;
        // A page's title is the original's `lang` when the edition shows it untranslated.
        let title_lang: HashMap<&str, Option<&str>> = match site.original_lang() {
            Some(_) => site
                .pages
                .iter()
                .map(|p| (p.path.as_str(), site.title_lang(&p.source)))
                .collect(),
            None => HashMap::new(),
        };
        for o in sorted {
            let lang = o
                .site_path
                .as_deref()
                .and_then(|p| title_lang.get(p).copied().flatten());
            for id in &o.cites {
                if shown.is_some_and(|s| !s.contains(id.as_str())) {
                    continue;
                }
                cited_on.entry(id.as_str()).or_default().push(CitedOn {
                    title: if o.path == "index.html" {
                        front_page.clone()
                    } else {
                        o.title.clone()
                    },
                    url: o.url.clone(),
                    lang: lang.map(str::to_string),
                });
            }
        }
        cited_on
    }

    /// A page of sources in full at `path`: the whole list, or a page of one letter's with the
    /// letters' navigation `letters` and the letter's pages' `pager`.
    fn source_list(
        &self,
        path: String,
        title: String,
        list: Vec<Entry>,
        letters: Option<LetterNav>,
        pager: Option<jobs::Paginator>,
    ) -> Made {
        let mut ctx = self.base_context(&path, &title);
        ctx.insert("all_sources", &list);
        drop(list);
        if let Some(l) = letters {
            ctx.insert("source_letters", &l);
        }
        if let Some(p) = pager {
            ctx.insert("paginator", &p);
        }
        let html = self.render("sources.html", &ctx, None)?;
        let cx = PageCtx::new(self.site, self.resolver, self.loc);
        Ok(self.finish(path, html, cx, title))
    }

    /// The entry page of a split source list: the letters, and every source's anchor (so an
    /// old link `sources/#src-<id>` still lands on it) linking to its entry on its letter's page.
    fn sources_entry(&self, links: &[LetterLink]) -> Made {
        let site = self.site;
        let layout = &site.briefing.source_pages;
        let title = self.loc.t("nav-sources");
        let mut ctx = self.base_context("sources/", &title);
        let letters: Vec<EntryLetter<'_>> = layout
            .letters
            .iter()
            .zip(links)
            .map(|((c, list), link)| {
                let sources: Vec<EntryLine<'_>> = list
                    .iter()
                    .map(|&i| {
                        let s = &site.briefing.sources[i];
                        let anchor = format!("src-{}", crate::model::urls::slugify(&s.id));
                        let page = layout.place(i).map_or(1, |p| p.1);
                        let url = site.config.url(&outputs::source_letter_path(*c, page));
                        EntryLine {
                            url: format!("{url}#{anchor}"),
                            anchor,
                            publisher: &s.publisher,
                            title: s.title.as_deref(),
                        }
                    })
                    .collect();
                EntryLetter {
                    label: link.label.clone(),
                    id: format!("letter-{}", letters::slug(*c)),
                    url: link.url.clone(),
                    count: link.count,
                    sources,
                }
            })
            .collect();
        ctx.insert("letters", &letters);
        let html = self.render("sources-index.html", &ctx, None)?;
        let cx = PageCtx::new(site, self.resolver, self.loc);
        Ok(self.finish("sources/".into(), html, cx, title))
    }
}
