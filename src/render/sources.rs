//! The source list: `/sources/`, every source with the pages that cite it; above `split_above`
//! sources an entry page (the letters, and every source's anchor linking to its entry) with a
//! page a letter at `/sources/<letter>/` (the letters are [`crate::model::letters`]'s).
//! Made after every other output, from their citations.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::jobs::Renderer;
use super::views::{self, CitedOn, PageCtx, SourceView};
use super::{Output, deps, made_by};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::FluentValue;
use crate::model::letters;
use crate::model::outputs::{self, Job};

type Made = Result<(Output, Diagnostics), Diagnostic>;

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
    /// order): `/sources/`, or, split, the entry page when `entry` and the pages of the
    /// letters in `only` (every letter when `None`).
    pub(super) fn source_pages<'o>(
        &self,
        outputs: impl Iterator<Item = &'o Output>,
        entry: bool,
        only: Option<&FxHashSet<char>>,
    ) -> Vec<Made> {
        deps::read(deps::Dep::Sources);
        let site = self.site;
        let mut cited_on = self.cited_on(outputs);
        let mut view = |i: usize| {
            let s = &site.briefing.sources[i];
            let mut v = views::source_view(
                self.loc,
                s,
                None,
                Vec::new(),
                &site.config.display_timezones,
            );
            v.cited_on = cited_on.remove(s.id.as_str()).unwrap_or_default();
            v.note_lang = site.lang_unless(s.note_given).map(str::to_string);
            v
        };
        if !outputs::sources_split(site) {
            let list: Vec<SourceView> = (0..site.briefing.sources.len()).map(view).collect();
            let title = self.loc.t("nav-sources");
            let page = self.source_list("sources/".into(), title, list, None);
            return vec![page.map(|o| made_by(o, Job::Sources, Vec::new()))];
        }
        // The sources of each letter, in order of publisher (case-folded), then as registered.
        let mut groups: Vec<(char, Vec<usize>)> = outputs::source_letters(site)
            .into_iter()
            .map(|c| (c, Vec::new()))
            .collect();
        let at: HashMap<char, usize> = groups.iter().enumerate().map(|(k, g)| (g.0, k)).collect();
        for (i, s) in site.briefing.sources.iter().enumerate() {
            if let Some(&k) = at.get(&letters::letter_of(&s.publisher)) {
                groups[k].1.push(i);
            }
        }
        for (_, list) in &mut groups {
            list.sort_by_cached_key(|&i| {
                (letters::sort_key(&site.briefing.sources[i].publisher), i)
            });
        }
        let links: Vec<LetterLink> = groups
            .iter()
            .map(|(c, list)| LetterLink {
                label: letters::label(*c),
                url: site.config.url(&outputs::source_letter_path(*c)),
                count: list.len(),
                current: false,
            })
            .collect();
        let mut made = Vec::new();
        if entry {
            made.push(
                self.sources_entry(&groups, &links)
                    .map(|o| made_by(o, Job::Sources, Vec::new())),
            );
        }
        // Each letter's entries, with the pages that cite them, made in parallel.
        let pages: Vec<(char, Vec<SourceView>)> = groups
            .iter()
            .filter(|(c, _)| only.is_none_or(|o| o.contains(c)))
            .map(|(c, list)| (*c, list.iter().map(|&i| view(i)).collect()))
            .collect();
        made.par_extend(pages.into_par_iter().map(|(c, list)| {
            let label = match c {
                letters::OTHER => self.loc.t("sources-letter-other"),
                c => letters::label(c),
            };
            let title = self.loc.t_args(
                "sources-letter-title",
                &[("letter", FluentValue::from(label.as_str()))],
            );
            let nav: Vec<LetterLink> = links
                .iter()
                .zip(&groups)
                .map(|(l, (g, _))| LetterLink {
                    label: l.label.clone(),
                    url: l.url.clone(),
                    count: l.count,
                    current: *g == c,
                })
                .collect();
            let nav = LetterNav {
                entry: site.config.url("sources/"),
                letters: nav,
            };
            self.source_list(outputs::source_letter_path(c), title, list, Some(nav))
                .map(|o| made_by(o, Job::SourceLetter(c), Vec::new()))
        }));
        made
    }

    /// For each source id, the pages that cite it, in order of output path.
    fn cited_on<'o>(
        &self,
        outputs: impl Iterator<Item = &'o Output>,
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

    /// A page of sources in full at `path`: the whole list, or one letter's with the letters'
    /// navigation `letters`.
    fn source_list(
        &self,
        path: String,
        title: String,
        list: Vec<SourceView>,
        letters: Option<LetterNav>,
    ) -> Made {
        let mut ctx = self.base_context(&path, &title);
        ctx.insert("all_sources", &list);
        drop(list);
        if let Some(l) = letters {
            ctx.insert("source_letters", &l);
        }
        let html = self.render("sources.html", &ctx, None)?;
        let cx = PageCtx::new(self.site, self.resolver, self.loc);
        Ok(self.finish(path, html, cx, title))
    }

    /// The entry page of a split source list: the letters, and every source's anchor (so an
    /// old link `sources/#src-<id>` still lands on it) linking to its entry on its letter's page.
    fn sources_entry(&self, groups: &[(char, Vec<usize>)], links: &[LetterLink]) -> Made {
        let site = self.site;
        let title = self.loc.t("nav-sources");
        let mut ctx = self.base_context("sources/", &title);
        let letters: Vec<EntryLetter<'_>> = groups
            .iter()
            .zip(links)
            .map(|((c, list), link)| {
                let sources: Vec<EntryLine<'_>> = list
                    .iter()
                    .map(|&i| {
                        let s = &site.briefing.sources[i];
                        let anchor = format!("src-{}", crate::model::urls::slugify(&s.id));
                        EntryLine {
                            url: format!("{}#{anchor}", link.url),
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
