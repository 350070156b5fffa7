//! What templates see: serialisable views of pages and briefing records.
//!
//! Views are prepared in Rust so templates stay simple: references are already resolved to
//! names and URLs, times are converted to every display zone, inline Markdown in YAML fields is
//! rendered (with its citations numbered on the page being built), and lists are in reading
//! order. Each page being rendered owns a [`PageCtx`] that numbers its citations.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::i18n::{FluentValue, Locale};
use crate::load::kinds::Kind;
use crate::load::records::{
    Front, OutcomeKind, PartyFront, PersonFront, SourceEntry, Stance, StatementFront, TalkFront,
    TalkStatus, Translator, UpdateKind, locate_token,
};
use crate::model::{Page, Site};
use crate::parse::dates::DateValue;
use crate::render::deps::{self, Dep};
use crate::render::markdown::{self, Citer, Resolver};
use crate::render::time::{self, TimeView};

/// Per-page rendering state: the citation numbering and the problems found.
pub(crate) struct PageCtx<'s> {
    pub(crate) site: &'s Site,
    /// The language being rendered.
    pub(crate) loc: &'s Locale,
    pub(crate) resolver: &'s Resolver<'s>,
    pub(crate) citer: Citer,
    pub(crate) diags: Diagnostics,
    /// Sources the last [`PageCtx::inline`] text cited, so the item's `sources:` marks do not
    /// repeat them.
    just_cited: Vec<String>,
}

impl<'s> PageCtx<'s> {
    pub fn new(site: &'s Site, resolver: &'s Resolver<'s>, loc: &'s Locale) -> Self {
        PageCtx {
            site,
            loc,
            resolver,
            citer: Citer::default(),
            diags: Diagnostics::new(),
            just_cited: Vec::new(),
        }
    }

    /// Render inline Markdown from a YAML field of `file` (a page or data file), reporting
    /// problems at the offending token in that file.
    pub(crate) fn inline(
        &mut self,
        text: &str,
        dir: &str,
        file: &std::path::Path,
        file_text: &str,
    ) -> String {
        deps::read_links(text);
        let mut problems = Vec::new();
        let before = self.citer.log.len();
        let md = markdown::render(
            text,
            dir,
            self.resolver,
            &mut self.citer,
            &mut problems,
            true,
        );
        self.just_cited = self.citer.log[before..].to_vec();
        for p in problems {
            let token = &text[p.offset..(p.offset + p.len).min(text.len())];
            let mut d = p.diagnostic().in_file(file);
            if let Some(off) = locate_token(file_text, token, 0) {
                d = d.at_offset(file_text, off).span(token.chars().count());
            }
            self.diags.push(d);
        }
        md.html
    }

    /// Citation marks for an item's `sources:` list (ids already validated by the model),
    /// leaving out those its text, rendered just before, already cites.
    pub(crate) fn marks(&mut self, ids: &[String]) -> String {
        let already = std::mem::take(&mut self.just_cited);
        ids.iter()
            .filter(|id| self.resolver.sources.contains_key(id.as_str()))
            .filter(|id| !already.contains(id))
            .map(|id| self.citer.mark(id, &self.resolver.cite_label))
            .collect()
    }

    /// Add sources to the page's list without a mark in the text.
    pub(crate) fn list(&mut self, ids: &[String]) {
        for id in ids {
            if self.resolver.sources.contains_key(id.as_str()) {
                self.citer.list(id);
            }
        }
    }

    pub(crate) fn url(&self, site_path: &str) -> String {
        self.site.config.url(site_path)
    }

    /// Inline Markdown text `key` of `source` (a path as in `SourcePage::given`), marked with
    /// the original's `lang` when this edition shows it untranslated.
    pub(crate) fn inline_of(
        &mut self,
        source: &crate::load::SourcePage,
        key: &str,
        text: &str,
    ) -> String {
        let html = self.inline(text, source.dir(), &source.path, &source.text);
        in_lang(self.site.text_lang(source, key), html)
    }

    /// The page's numbered source list and translation notice.
    pub(crate) fn sources_view(&self) -> (Vec<SourceView>, Option<String>) {
        let b = &self.site.briefing;
        if !self.citer.cited.is_empty() {
            deps::read(Dep::Sources);
        }
        let mut list = Vec::new();
        for (n, (id, backrefs)) in self.citer.cited.iter().enumerate() {
            let Some(&i) = b.source_index.get(id) else {
                continue;
            };
            list.push(source_view(
                self.loc,
                &b.sources[i],
                Some(n + 1),
                backrefs.clone(),
                &self.site.config.display_timezones,
            ));
        }
        let notice =
            translation_notice(self.loc, list.iter().filter_map(|s| s.translated.as_ref()));
        (list, notice)
    }
}

/// `source.translated`: how the text cited was translated, and from what.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Translated {
    pub(crate) from: String,
    pub(crate) from_name: String,
    /// The language it was translated into (its name, and its code), when the registry says.
    pub(crate) to_name: Option<String>,
    #[serde(skip)]
    pub(crate) to: Option<String>,
    pub(crate) by: &'static str,
    pub(crate) publisher: String,
    /// The outlet whose text was translated, when it carried someone else's reporting.
    pub(crate) carried_by: Option<String>,
}

/// A source: `sources[]` on a page (numbered, with back-references) and `all_sources[]` on the
/// sources page (with `cited_on`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    pub(crate) n: Option<usize>,
    pub(crate) id: String,
    pub(crate) anchor: String,
    pub(crate) publisher: String,
    pub(crate) title: Option<String>,
    /// The title in the edition's language, shown in brackets after the title as published.
    pub(crate) title_translated: Option<String>,
    pub(crate) url: Option<String>,
    /// A web archive copy, linked beside `url` ("archived copy").
    pub(crate) archived_url: Option<String>,
    pub(crate) published: Option<TimeView>,
    pub(crate) accessed: Option<TimeView>,
    pub(crate) language: Option<String>,
    pub(crate) carried_by: Option<String>,
    pub(crate) translated: Option<Translated>,
    /// One line: who reported it, who carried it, how it was translated.
    pub(crate) provenance: String,
    pub(crate) note: Option<String>,
    /// The note's `lang` when the edition shows it untranslated (set on the sources page, the
    /// one that shows notes).
    pub(crate) note_lang: Option<String>,
    pub(crate) backrefs: Vec<String>,
    /// Pages citing it (filled on the sources page).
    pub(crate) cited_on: Vec<CitedOn>,
}

/// `cited_on[]` of a source on the sources page: a page that cites it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CitedOn {
    pub(crate) title: String,
    pub(crate) url: String,
    /// The page's title's `lang` when the edition shows it untranslated.
    pub(crate) lang: Option<String>,
}

/// `html` (phrasing content) in a `<span lang>` when `lang` is set: text an edition shows from
/// the original, untranslated ([`Site::text_lang`]). Empty text gets no span.
pub(crate) fn in_lang(lang: Option<&str>, html: String) -> String {
    match lang {
        Some(l) if !html.is_empty() => format!("<span lang=\"{l}\">{html}</span>"),
        _ => html,
    }
}

/// A label of a value from its serialised name: `label(loc, "status", &TalkStatus::UnderWay)`
/// is the message `status-under-way`.
pub(crate) fn label<T: Serialize>(loc: &Locale, prefix: &str, v: &T) -> String {
    let name = serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    loc.t(&format!("{prefix}-{name}"))
}

/// How the source was translated, when it was (what a translation notice says of it).
fn translated_of(loc: &Locale, s: &SourceEntry) -> Option<Translated> {
    s.translation.as_ref().map(|t| Translated {
        from: t.from.0.clone(),
        from_name: loc.language_name(&t.from),
        by: match t.by {
            Translator::Machine => "machine",
            Translator::Human => "human",
            Translator::MachineReviewed => "machine-reviewed",
        },
        publisher: s.publisher.clone(),
        to_name: t
            .to
            .as_ref()
            .or(s.language.as_ref())
            .map(|l| loc.language_name(l)),
        to: t.to.as_ref().or(s.language.as_ref()).map(|l| l.to_string()),
        carried_by: s.carried_by.clone(),
    })
}

pub(crate) fn source_view(
    loc: &Locale,
    s: &SourceEntry,
    n: Option<usize>,
    backrefs: Vec<String>,
    zones: &[String],
) -> SourceView {
    let translated = translated_of(loc, s);
    let mut args = vec![("publisher", FluentValue::from(s.publisher.as_str()))];
    if let Some(c) = &s.carried_by {
        args.push(("outlet", FluentValue::from(c.as_str())));
    }
    if let Some(t) = &translated {
        args.push((
            "from",
            FluentValue::from(loc.language_name_in(&t.from, "from")),
        ));
        args.push(("by", FluentValue::from(t.by)));
    }
    let key = match (&s.carried_by, &translated) {
        (None, None) => "provenance",
        (Some(_), None) => "provenance-carried",
        (None, Some(_)) => "provenance-translated",
        (Some(_), Some(_)) => "provenance-carried-translated",
    };
    let provenance = loc.t_args(key, &args);
    SourceView {
        n,
        id: s.id.clone(),
        anchor: format!("src-{}", crate::model::urls::slugify(&s.id)),
        publisher: s.publisher.clone(),
        title: s.title.clone(),
        title_translated: s.title_translated.clone(),
        url: s.url.clone(),
        archived_url: s.archived_url.clone(),
        published: s
            .published
            .as_ref()
            .map(|d| time::view(loc, d, None, zones, false)),
        accessed: s
            .accessed
            .as_ref()
            .map(|d| time::view(loc, d, None, zones, false)),
        language: s.language.as_ref().map(|l| loc.language_name(l)),
        carried_by: s.carried_by.clone(),
        translated,
        provenance,
        note: s.note.clone(),
        note_lang: None,
        backrefs,
        cited_on: Vec::new(),
    }
}

/// The ids of the sources whose citation marks are in `html` (`href="#src-<slug>"`).
pub(crate) fn cited_in(site: &Site, html: &str) -> Vec<String> {
    if !html.contains("class=\"cite\"") {
        return Vec::new();
    }
    // Every `href="#src-<slug>"` in the text, as indexes into the registry, in registry order.
    const MARK: &str = "href=\"#src-";
    let b = &site.briefing;
    let mut found: Vec<usize> = Vec::new();
    for (at, _) in html.match_indices(MARK) {
        let rest = &html[at + MARK.len()..];
        if let Some(end) = rest.find('"')
            && let Some(ix) = b.source_slugs.get(&rest[..end])
        {
            found.extend(ix);
        }
    }
    found.sort_unstable();
    found.dedup();
    let mut out: Vec<String> = Vec::new();
    for s in found.into_iter().filter_map(|i| b.sources.get(i)) {
        if !out.contains(&s.id) {
            out.push(s.id.clone());
        }
    }
    out
}

/// The translation notice for text that relies on the sources `ids` (unknown ids are skipped).
pub(crate) fn notice_for(site: &Site, loc: &Locale, ids: &[String]) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    deps::read(Dep::Sources);
    let b = &site.briefing;
    // Only how each was translated: a source's whole view formats its dates and provenance.
    let translated: Vec<Translated> = ids
        .iter()
        .filter_map(|id| b.source_index.get(id))
        .filter_map(|&i| translated_of(loc, &b.sources[i]))
        .collect();
    translation_notice(loc, translated.iter())
}

fn translation_notice<'a>(
    loc: &Locale,
    it: impl Iterator<Item = &'a Translated>,
) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for t in it {
        // The whole chain: whose reporting, the outlet that carried it, and the translation
        // of that outlet's text (not of the original reporting).
        let mut args = vec![
            ("publisher", FluentValue::from(t.publisher.as_str())),
            ("by", FluentValue::from(t.by)),
        ];
        let key = match (&t.carried_by, &t.to_name) {
            (Some(_), _) => {
                args.push((
                    "from",
                    FluentValue::from(loc.language_name_in(&t.from, "whose")),
                ));
                if t.to_name.is_some() {
                    "notice-part-carried-into"
                } else {
                    "notice-part-carried"
                }
            }
            (None, to) => {
                args.push((
                    "from",
                    FluentValue::from(loc.language_name_in(&t.from, "from")),
                ));
                if to.is_some() {
                    "notice-part-into"
                } else {
                    "notice-part"
                }
            }
        };
        if let Some(outlet) = &t.carried_by {
            args.push(("outlet", FluentValue::from(outlet.as_str())));
        }
        if let Some(to) = &t.to {
            args.push(("to", FluentValue::from(loc.language_name_in(to, "into"))));
        }
        let p = loc.t_args(key, &args);
        if !parts.contains(&p) {
            parts.push(p);
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(loc.t_args(
            "notice-translation",
            &[("parts", FluentValue::from(parts.join("; ")))],
        ))
    }
}

/// Lookup tables from ids to pages, one per kind, built once per render. Every lookup is
/// noted as a read of that record ([`deps`]).
pub(crate) struct Index {
    by_kind: Vec<HashMap<String, usize>>,
    /// Each page's content path, shared by the notes of what was read.
    keys: Vec<Arc<str>>,
    /// Each talk's place in `Briefing::talk_order`, by page index.
    talk_rank: HashMap<usize, usize>,
}

impl Index {
    pub fn new(site: &Site) -> Self {
        Index {
            by_kind: Kind::ALL
                .iter()
                .map(|&k| {
                    site.briefing
                        .ids(k)
                        .iter()
                        .map(|(id, &i)| (id.clone(), i))
                        .collect()
                })
                .collect(),
            keys: site
                .pages
                .iter()
                .map(|p| Arc::from(p.source.rel.as_str()))
                .collect(),
            talk_rank: site
                .briefing
                .talk_order
                .iter()
                .enumerate()
                .filter_map(|(rank, id)| Some((site.briefing.get(Kind::Talk, id)?, rank)))
                .collect(),
        }
    }

    /// The records of `kind` whose front matter references page `i`, as page indexes in
    /// page order (the model's `referenced_by`): the only records of that kind a record's
    /// page can list, so it need not go through all of them. Noting what was read stays with
    /// the caller (it reads the whole kind: a record that starts referencing this one changes
    /// the list).
    pub(crate) fn referrers<'p>(
        &self,
        site: &'p Site,
        i: usize,
        kind: Kind,
    ) -> impl Iterator<Item = usize> + 'p {
        site.briefing
            .referenced_by
            .get(&i)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&j| {
                site.pages
                    .get(j)
                    .is_some_and(|p| site.briefing.get(kind, &p.id) == Some(j))
            })
    }

    /// The talks referencing the record of `kind` with id `id`, as ids in talk order (a
    /// subsequence of `Briefing::talk_order`; all of it for an id that is not a record).
    fn talks_referencing<'p>(&self, site: &'p Site, kind: Kind, id: &str) -> Vec<&'p str> {
        let order = &site.briefing.talk_order;
        let Some(i) = site.briefing.get(kind, id) else {
            return order.iter().map(String::as_str).collect();
        };
        let mut ranks: Vec<usize> = self
            .referrers(site, i, Kind::Talk)
            .filter_map(|j| self.talk_rank.get(&j).copied())
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        ranks
            .into_iter()
            .filter_map(|r| order.get(r).map(String::as_str))
            .collect()
    }

    /// The records of `kind` whose front matter references the record of `target` with id
    /// `id`, as entries of `Briefing::ids(kind)` in id order (all of them for an id that is
    /// not a record).
    fn records_referencing<'p>(
        &self,
        site: &'p Site,
        kind: Kind,
        (target, id): (Kind, &str),
    ) -> Vec<(&'p String, &'p usize)> {
        let ids = site.briefing.ids(kind);
        let Some(i) = site.briefing.get(target, id) else {
            return ids.iter().collect();
        };
        let mut out: Vec<(&String, &usize)> = self
            .referrers(site, i, kind)
            .filter_map(|j| ids.get_key_value(&site.pages[j].id))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The page of a record.
    pub(crate) fn page<'p>(&self, site: &'p Site, kind: Kind, id: &str) -> Option<&'p Page> {
        let i = *self.by_kind.get(kind as usize)?.get(id)?;
        deps::read_record(kind, self.key(i));
        site.pages.get(i)
    }

    /// Page `i`'s content path.
    pub(crate) fn key(&self, i: usize) -> Arc<str> {
        self.keys.get(i).cloned().unwrap_or_else(|| Arc::from(""))
    }

    /// Note that every record of `kind` was looked at.
    pub(crate) fn all(&self, kind: Kind) {
        deps::read(Dep::Kind(kind));
    }
}

/// `party` wherever a page names a party: its names and its page's URL (`url` null, and every
/// name its id, when there is no such party).
#[derive(Serialize)]
pub(crate) struct PartyRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) short_name: &'a str,
    pub(crate) adjective: &'a str,
    pub(crate) url: Option<String>,
    /// The `lang` of each name when the edition shows it untranslated: present (maybe null)
    /// when the party exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) short_lang: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) adjective_lang: Option<Option<&'a str>>,
}

pub(crate) fn party_ref<'a>(site: &'a Site, ix: &Index, id: &'a str) -> PartyRef<'a> {
    match ix.page(site, Kind::Party, id).map(|p| (p, &p.source.front)) {
        Some((p, Front::Party(f))) => {
            // Each name the original's when no translation gave it (a missing short name is
            // the name).
            let name_lang = site.text_lang(&p.source, "name");
            let short_lang = match f.short_name {
                Some(_) => site.text_lang(&p.source, "short_name"),
                None => name_lang,
            };
            let adjective_lang = match f.adjective {
                Some(_) => site.text_lang(&p.source, "adjective"),
                None => short_lang,
            };
            PartyRef {
                id,
                name: &f.name,
                short_name: f.short_name.as_deref().unwrap_or(&f.name),
                adjective: f
                    .adjective
                    .as_deref()
                    .or(f.short_name.as_deref())
                    .unwrap_or(&f.name),
                url: Some(site.config.url(&p.path)),
                lang: Some(name_lang),
                short_lang: Some(short_lang),
                adjective_lang: Some(adjective_lang),
            }
        }
        _ => PartyRef {
            id,
            name: id,
            short_name: id,
            adjective: id,
            url: None,
            lang: None,
            short_lang: None,
            adjective_lang: None,
        },
    }
}

/// A person's name as written in their own language (`person.native`).
#[derive(Serialize)]
pub(crate) struct NativeView<'a> {
    pub(crate) text: &'a str,
    pub(crate) lang: &'a str,
}

fn native_view(n: &crate::load::records::NativeName) -> NativeView<'_> {
    NativeView {
        text: &n.text,
        lang: &n.lang.0,
    }
}

/// `person` wherever a page names a person (`url` and `native` null when there is no such
/// person).
#[derive(Serialize)]
pub(crate) struct PersonRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: Option<String>,
    pub(crate) native: Option<NativeView<'a>>,
    /// The name's `lang` when the edition shows it untranslated: present (maybe null) when
    /// the person exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<Option<&'a str>>,
}

pub(crate) fn person_ref<'a>(site: &'a Site, ix: &Index, id: &'a str) -> PersonRef<'a> {
    match ix
        .page(site, Kind::Person, id)
        .map(|p| (p, &p.source.front))
    {
        Some((p, Front::Person(f))) => PersonRef {
            id,
            name: &f.name,
            url: Some(site.config.url(&p.path)),
            native: f.native_name.as_ref().map(native_view),
            lang: Some(site.text_lang(&p.source, "name")),
        },
        _ => PersonRef {
            id,
            name: id,
            url: None,
            native: None,
            lang: None,
        },
    }
}

/// `topic` wherever a page names a topic (`url` null when there is no such topic).
#[derive(Serialize)]
pub(crate) struct TopicRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: Option<String>,
    /// The title's `lang` when the edition shows it untranslated: present (maybe null) when
    /// the topic exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<Option<&'a str>>,
}

pub(crate) fn topic_ref<'a>(site: &'a Site, ix: &Index, id: &'a str) -> TopicRef<'a> {
    match ix.page(site, Kind::Topic, id).map(|p| (p, &p.source.front)) {
        Some((p, Front::Topic(f))) => TopicRef {
            id,
            title: &f.title,
            url: Some(site.config.url(&p.path)),
            lang: Some(site.text_lang(&p.source, "title")),
        },
        _ => TopicRef {
            id,
            title: id,
            url: None,
            lang: None,
        },
    }
}

/// `talk` wherever a page names a round of talks. With no such talk only `id`, `title` (the
/// id) and `url` (null) are there.
#[derive(Serialize)]
pub(crate) struct TalkRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: Option<String>,
    /// The title's `lang` when the edition shows it untranslated: present (maybe null) when
    /// the talk exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<TalkStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) venue: Option<VenueView<'a>>,
    /// Present (maybe null) when the talk exists: its actual start, else its scheduled one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) start: Option<Option<TimeView>>,
}

pub(crate) fn talk_ref<'a>(site: &'a Site, ix: &Index, loc: &Locale, id: &'a str) -> TalkRef<'a> {
    match ix.page(site, Kind::Talk, id).map(|p| (p, &p.source.front)) {
        Some((p, Front::Talk(t))) => {
            let zones = &site.config.display_timezones;
            let start = t
                .actual_start
                .as_ref()
                .map(|a| (&a.at, a.approximate))
                .or(t.scheduled_start.as_ref().map(|s| (s, false)));
            TalkRef {
                id,
                title: &t.title,
                url: Some(site.config.url(&p.path)),
                lang: Some(site.text_lang(&p.source, "title")),
                status: Some(t.status),
                status_label: Some(label(loc, "status", &t.status)),
                venue: Some(venue_view(site, &p.source, loc, t)),
                start: Some(start.map(|(v, a)| {
                    time::at_venue(
                        loc,
                        v,
                        &t.venue.timezone.0,
                        t.venue.city.as_deref(),
                        zones,
                        a,
                    )
                })),
            }
        }
        _ => TalkRef {
            id,
            title: id,
            url: None,
            lang: None,
            status: None,
            status_label: None,
            venue: None,
            start: None,
        },
    }
}

/// `talk.venue`: where a round is held, and its zone.
#[derive(Serialize)]
pub(crate) struct VenueView<'a> {
    pub(crate) name: &'a str,
    pub(crate) city: Option<&'a str>,
    pub(crate) country: Option<&'a str>,
    pub(crate) timezone: &'a str,
    pub(crate) zone: String,
    /// Name, city and country, comma-separated.
    pub(crate) text: String,
    /// Name, city and country, each with its own `lang` when the edition shows it untranslated.
    pub(crate) parts: Vec<VenuePart<'a>>,
}

/// `talk.venue.parts[]`: a part of the venue's place and its `lang` (null when translated).
#[derive(Serialize)]
pub(crate) struct VenuePart<'a> {
    pub(crate) text: &'a str,
    pub(crate) lang: Option<&'a str>,
}

fn venue_view<'a>(
    site: &'a Site,
    source: &crate::load::SourcePage,
    loc: &Locale,
    t: &'a TalkFront,
) -> VenueView<'a> {
    let place: Vec<(&str, &str)> = [
        Some((t.venue.name.as_str(), "venue.name")),
        t.venue.city.as_deref().map(|c| (c, "venue.city")),
        t.venue.country.as_deref().map(|c| (c, "venue.country")),
    ]
    .into_iter()
    .flatten()
    .collect();
    VenueView {
        name: &t.venue.name,
        city: t.venue.city.as_deref(),
        country: t.venue.country.as_deref(),
        timezone: &t.venue.timezone.0,
        zone: loc.zone(&t.venue.timezone.0),
        text: place
            .iter()
            .map(|(text, _)| *text)
            .collect::<Vec<_>>()
            .join(", "),
        // Each part with its own `lang` when the edition shows it untranslated.
        parts: place
            .iter()
            .map(|&(text, key)| VenuePart {
                text,
                lang: site.text_lang(source, key),
            })
            .collect(),
    }
}

/// "Scheduled 12:30, began about 13:30 (Istanbul time)".
fn timing_text(loc: &Locale, t: &TalkFront, zones: &[String]) -> Option<String> {
    let (tz, city) = (t.venue.timezone.0.as_str(), t.venue.city.as_deref());
    let sched = t
        .scheduled_start
        .as_ref()
        .map(|v| time::at_venue(loc, v, tz, city, zones, false));
    let began = t
        .actual_start
        .as_ref()
        .map(|a| time::at_venue(loc, &a.at, tz, city, zones, a.approximate));
    let ended = t
        .actual_end
        .as_ref()
        .map(|a| time::at_venue(loc, &a.at, tz, city, zones, a.approximate));
    let say = |key: &str, v: &TimeView| {
        let time = v.time.clone().unwrap_or_else(|| v.date.clone());
        let key = if v.approximate {
            format!("{key}-about")
        } else {
            key.to_string()
        };
        loc.t_args(&key, &[("time", FluentValue::from(time))])
    };
    let mut parts = Vec::new();
    if let Some(s) = &sched {
        parts.push(loc.t_args(
            "timing-scheduled",
            &[(
                "time",
                FluentValue::from(s.time.clone().unwrap_or_else(|| s.date.clone())),
            )],
        ));
    }
    if let Some(b) = &began {
        parts.push(say("timing-began", b));
    }
    if let Some(e) = &ended {
        parts.push(say("timing-ended", e));
    }
    if parts.is_empty() {
        return None;
    }
    let mut s = parts.join(", ");
    if let Some(first) = s.chars().next() {
        s = first.to_uppercase().collect::<String>() + &s[first.len_utf8()..];
    }
    Some(match t.venue.city.as_deref() {
        Some(c) => loc.t_args(
            "timing-at-venue",
            &[
                ("parts", FluentValue::from(s)),
                ("city", FluentValue::from(c)),
            ],
        ),
        None => loc.t_args("timing-local", &[("parts", FluentValue::from(s))]),
    })
}

/// `talk` on a talk's page (and `briefing.latest`/`next` on the front page): the round in full.
#[derive(Serialize)]
pub(crate) struct TalkView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    /// The title's `lang` when the edition shows it untranslated.
    pub(crate) lang: Option<&'a str>,
    pub(crate) status: TalkStatus,
    pub(crate) status_label: String,
    pub(crate) format: Option<&'a str>,
    pub(crate) format_lang: Option<&'a str>,
    pub(crate) venue: VenueView<'a>,
    pub(crate) scheduled: Option<TimeView>,
    pub(crate) started: Option<TimeView>,
    pub(crate) ended: Option<TimeView>,
    /// "Scheduled 12:30, began about 13:30 (Istanbul time)".
    pub(crate) timing: Option<String>,
    pub(crate) mediators: Vec<MediatorView<'a>>,
    pub(crate) delegations: Vec<DelegationView<'a>>,
    pub(crate) agenda: Vec<AgendaView<'a>>,
    pub(crate) outcome_groups: Vec<OutcomeGroup<'a>>,
    pub(crate) rescheduled: Vec<RescheduledView>,
}

/// `talk.mediators[]`.
#[derive(Serialize)]
pub(crate) struct MediatorView<'a> {
    pub(crate) party: PartyRef<'a>,
    pub(crate) person: Option<PersonRef<'a>>,
    /// Empty when not given.
    pub(crate) title: &'a str,
    /// "Mediator" when not given.
    pub(crate) role: String,
    /// The given title's and role's `lang` when the edition shows them untranslated.
    pub(crate) title_lang: Option<&'a str>,
    pub(crate) role_lang: Option<&'a str>,
    pub(crate) note: Option<String>,
    pub(crate) cites: String,
}

/// `talk.delegations[]`.
#[derive(Serialize)]
pub(crate) struct DelegationView<'a> {
    pub(crate) party: PartyRef<'a>,
    pub(crate) head: Option<MemberView<'a>>,
    pub(crate) members: Vec<MemberView<'a>>,
    pub(crate) note: Option<String>,
    pub(crate) cites: String,
}

/// A delegation's head or member: the person and their title (empty when not given).
#[derive(Serialize)]
pub(crate) struct MemberView<'a> {
    pub(crate) person: PersonRef<'a>,
    pub(crate) title: &'a str,
    /// The given title's `lang` when the edition shows it untranslated.
    pub(crate) title_lang: Option<&'a str>,
}

/// `talk.agenda[]`.
#[derive(Serialize)]
pub(crate) struct AgendaView<'a> {
    pub(crate) topic: TopicRef<'a>,
    pub(crate) proposed_by: Option<PartyRef<'a>>,
    pub(crate) note: Option<String>,
    pub(crate) cites: String,
}

/// `talk.rescheduled[]`: a start it was moved from.
#[derive(Serialize)]
pub(crate) struct RescheduledView {
    pub(crate) from: TimeView,
    pub(crate) note: Option<String>,
}

/// The full view of a talk, for its own page and the front page. Citations are numbered on `cx`.
pub(crate) fn talk_view<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    page: &'a Page,
    t: &'a TalkFront,
) -> TalkView<'a> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = &site.config.display_timezones;
    let tz = t.venue.timezone.0.as_str();
    let city = t.venue.city.as_deref();
    let src = &page.source;
    // The `lang` of text `key` of the talk, when the edition shows it untranslated.
    let lang = |key: String| site.text_lang(src, &key);

    let mediators = t
        .mediators
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let note = m
                .note
                .as_ref()
                .map(|n| cx.inline_of(src, &format!("mediators.{i}.note"), n));
            let cites = cx.marks(&m.sources);
            MediatorView {
                party: party_ref(site, ix, &m.party),
                person: m.person.as_ref().map(|p| person_ref(site, ix, p)),
                title: m.title.as_deref().unwrap_or_default(),
                role: m.role.clone().unwrap_or_else(|| loc.t("mediator")),
                title_lang: m
                    .title
                    .as_ref()
                    .and_then(|_| lang(format!("mediators.{i}.title"))),
                role_lang: m
                    .role
                    .as_ref()
                    .and_then(|_| lang(format!("mediators.{i}.role"))),
                note,
                cites,
            }
        })
        .collect();
    // A head or member, and the key of their title.
    let member = |m: &'a crate::load::records::PersonRef, key: String| MemberView {
        person: person_ref(site, ix, &m.person),
        title: m.title.as_deref().unwrap_or_default(),
        title_lang: m.title.as_ref().and_then(|_| lang(key)),
    };
    let delegations = t
        .delegations
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let note = d
                .note
                .as_ref()
                .map(|n| cx.inline_of(src, &format!("delegations.{i}.note"), n));
            let cites = cx.marks(&d.sources);
            DelegationView {
                party: party_ref(site, ix, &d.party),
                head: d
                    .head
                    .as_ref()
                    .map(|h| member(h, format!("delegations.{i}.head.title"))),
                members: d
                    .members
                    .iter()
                    .enumerate()
                    .map(|(j, m)| member(m, format!("delegations.{i}.members.{j}.title")))
                    .collect(),
                note,
                cites,
            }
        })
        .collect();
    let agenda = t
        .agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let note = a
                .note
                .as_ref()
                .map(|n| cx.inline_of(src, &format!("agenda.{i}.note"), n));
            let cites = cx.marks(&a.sources);
            AgendaView {
                topic: topic_ref(site, ix, &a.topic),
                proposed_by: a.proposed_by.as_ref().map(|p| party_ref(site, ix, p)),
                note,
                cites,
            }
        })
        .collect();
    let outcome_groups = outcome_groups(cx, ix, page, t);
    TalkView {
        id: &page.id,
        title: &t.title,
        url: site.config.url(&page.path),
        lang: lang("title".into()),
        status: t.status,
        status_label: label(loc, "status", &t.status),
        format: t.format.as_deref(),
        format_lang: lang("format".into()),
        venue: venue_view(site, src, loc, t),
        scheduled: t
            .scheduled_start
            .as_ref()
            .map(|v| time::at_venue(loc, v, tz, city, zones, false)),
        started: t
            .actual_start
            .as_ref()
            .map(|a| time::at_venue(loc, &a.at, tz, city, zones, a.approximate)),
        ended: t
            .actual_end
            .as_ref()
            .map(|a| time::at_venue(loc, &a.at, tz, city, zones, a.approximate)),
        timing: timing_text(loc, t, zones),
        mediators,
        delegations,
        agenda,
        outcome_groups,
        rescheduled: t
            .rescheduled
            .iter()
            .enumerate()
            .map(|(i, r)| RescheduledView {
                from: time::at_venue(loc, &r.from, tz, city, zones, false),
                note: r
                    .note
                    .as_ref()
                    .map(|n| cx.inline_of(src, &format!("rescheduled.{i}.note"), n)),
            })
            .collect(),
    }
}

/// `outcome_groups[]` of a talk: its outcomes of one kind.
#[derive(Serialize)]
pub(crate) struct OutcomeGroup<'a> {
    pub(crate) kind: OutcomeKind,
    pub(crate) label: String,
    pub(crate) items: Vec<OutcomeItem<'a>>,
}

/// One outcome in an [`OutcomeGroup`].
#[derive(Serialize)]
pub(crate) struct OutcomeItem<'a> {
    pub(crate) text: String,
    pub(crate) cites: String,
    pub(crate) by: Option<PartyRef<'a>>,
    pub(crate) topics: Vec<TopicRef<'a>>,
}

/// A talk's outcomes grouped by kind (agreed, proposed, noted, rejected), citations numbered on `cx`.
pub(crate) fn outcome_groups<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    page: &'a Page,
    t: &'a TalkFront,
) -> Vec<OutcomeGroup<'a>> {
    let site = cx.site;
    let loc = cx.loc;

    let mut groups = Vec::new();
    for kind in [
        OutcomeKind::Agreed,
        OutcomeKind::Proposed,
        OutcomeKind::Noted,
        OutcomeKind::Rejected,
    ] {
        let items: Vec<OutcomeItem<'a>> = t
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| o.kind == kind)
            .map(|(j, o)| {
                let text_html = cx.inline_of(&page.source, &format!("outcomes.{j}.text"), &o.text);
                let cites = cx.marks(&o.sources);
                OutcomeItem {
                    text: text_html,
                    cites,
                    by: o.by.as_ref().map(|p| party_ref(site, ix, p)),
                    topics: o.topics.iter().map(|x| topic_ref(site, ix, x)).collect(),
                }
            })
            .collect();
        if !items.is_empty() {
            groups.push(OutcomeGroup {
                kind,
                label: label(loc, "outcome", &kind),
                items,
            });
        }
    }
    groups
}

/// The update log of a talk, newest first.
pub(crate) fn updates_view<'a>(
    cx: &mut PageCtx<'a>,
    page: &'a Page,
    t: &'a TalkFront,
) -> Vec<UpdateView<'a>> {
    newest_first(t)
        .into_iter()
        .map(|u| update_view(cx, page, t, u))
        .collect()
}

/// A talk's updates, newest first.
pub(crate) fn newest_first(t: &TalkFront) -> Vec<(usize, &crate::load::records::Update)> {
    let mut ups: Vec<(usize, &crate::load::records::Update)> =
        t.updates.iter().enumerate().collect();
    ups.sort_by(|(_, a), (_, b)| {
        instant_key(&b.at, &t.venue.timezone.0).cmp(&instant_key(&a.at, &t.venue.timezone.0))
    });
    ups
}

/// A title and a link: a page named by another (`update.talk`, `correction.page`).
#[derive(Serialize)]
pub(crate) struct TitleLink<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: String,
    /// The title's `lang` when the edition shows it untranslated.
    pub(crate) lang: Option<&'a str>,
}

/// `updates[]` on a talk's page and `briefing.updates[]`: one entry of a talk's update log.
#[derive(Serialize)]
pub(crate) struct UpdateView<'a> {
    pub(crate) anchor: String,
    pub(crate) at: TimeView,
    pub(crate) kind: UpdateKind,
    pub(crate) is_correction: bool,
    pub(crate) text: String,
    pub(crate) cites: String,
    pub(crate) talk: TitleLink<'a>,
    /// The entry's own link (`<talk url>#<anchor>`).
    pub(crate) url: String,
}

/// One entry of a talk's update log; its citations are numbered on `cx`.
pub(crate) fn update_view<'a>(
    cx: &mut PageCtx<'a>,
    page: &'a Page,
    t: &'a TalkFront,
    (j, u): (usize, &crate::load::records::Update),
) -> UpdateView<'a> {
    let loc = cx.loc;
    let text = cx.inline_of(&page.source, &format!("updates.{j}.text"), &u.text);
    let cites = cx.marks(&u.sources);
    let anchor = crate::render::publish::update_anchors(t).swap_remove(j);
    let talk_url = cx.url(&page.path);
    UpdateView {
        at: time::at_venue(
            loc,
            &u.at,
            &t.venue.timezone.0,
            t.venue.city.as_deref(),
            &cx.site.config.display_timezones,
            u.approximate,
        ),
        kind: u.kind,
        is_correction: u.kind == UpdateKind::Correction,
        text,
        cites,
        url: format!("{talk_url}#{anchor}"),
        talk: TitleLink {
            title: &t.title,
            url: talk_url,
            lang: cx.site.text_lang(&page.source, "title"),
        },
        anchor,
    }
}

/// Sort key for an update time: the instant, reading local times in `zone`.
pub(crate) fn instant_key(v: &DateValue, zone: &str) -> i64 {
    crate::render::publish::instant(v, Some(zone)).as_second()
}

/// `party` on a party's page.
#[derive(Serialize)]
pub(crate) struct PartyView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    /// As given (null when not).
    pub(crate) short_name: Option<&'a str>,
    pub(crate) variants: &'a [String],
    pub(crate) kind: crate::load::records::PartyKind,
    /// Labels of its roles.
    pub(crate) roles: Vec<String>,
    pub(crate) leaders: Vec<PersonRef<'a>>,
    pub(crate) positions: Vec<PartyPosition<'a>>,
    pub(crate) rounds: Vec<RoundView<'a>>,
    pub(crate) people: Vec<PersonRef<'a>>,
}

/// `party.positions[]`: one position, by topic, newest first within a topic.
#[derive(Serialize)]
pub(crate) struct PartyPosition<'a> {
    /// The first (newest) of its topic: the party's position now.
    pub(crate) current: bool,
    pub(crate) topic: TopicRef<'a>,
    pub(crate) stance: Stance,
    pub(crate) stance_label: String,
    pub(crate) summary: String,
    pub(crate) as_of: TimeView,
    pub(crate) cites: String,
}

/// `rounds[]` on a party's or person's page: a talk and what the record was at it.
#[derive(Serialize)]
pub(crate) struct RoundView<'a> {
    pub(crate) talk: TalkRef<'a>,
    pub(crate) capacities: Vec<String>,
}

/// A party's page view.
pub(crate) fn party_view<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    page: &'a Page,
    f: &'a PartyFront,
) -> PartyView<'a> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = &site.config.display_timezones;
    let mut positions: Vec<(usize, &crate::load::records::Position)> =
        f.positions.iter().enumerate().collect();
    positions.sort_by(|(_, a), (_, b)| {
        a.topic
            .cmp(&b.topic)
            .then(b.as_of.start().cmp(&a.as_of.start()))
    });
    let mut seen_topics: Vec<&str> = Vec::new();
    let positions = positions
        .into_iter()
        .map(|(i, p)| {
            let summary = cx.inline_of(&page.source, &format!("positions.{i}.summary"), &p.summary);
            let cites = cx.marks(&p.sources);
            // Newest first within a topic: the first one seen is the current position.
            let current = !seen_topics.contains(&p.topic.as_str());
            seen_topics.push(&p.topic);
            PartyPosition {
                current,
                topic: topic_ref(site, ix, &p.topic),
                stance: p.stance,
                stance_label: label(loc, "stance", &p.stance),
                summary,
                as_of: time::view(loc, &p.as_of, None, zones, false),
                cites,
            }
        })
        .collect();
    let rounds = rounds_of(site, ix, loc, (Kind::Party, &page.id), |tp, t| {
        let mut caps = Vec::new();
        if t.delegations.iter().any(|d| d.party == page.id) {
            caps.push(phrase(&loc.t("capacity-delegation"), None));
        }
        for (k, m) in t
            .mediators
            .iter()
            .enumerate()
            .filter(|(_, m)| m.party == page.id)
        {
            caps.push(match &m.role {
                Some(role) => phrase(
                    role,
                    site.text_lang(&tp.source, &format!("mediators.{k}.role")),
                ),
                None => phrase(&loc.t("mediator"), None),
            });
        }
        caps
    });
    ix.all(Kind::Person);
    // Only people whose front matter references the party can name it as theirs.
    let people = ix
        .records_referencing(site, Kind::Person, (Kind::Party, &page.id))
        .into_iter()
        .filter(|(_, i)| matches!(&site.pages[**i].source.front, Front::Person(p) if p.party.as_deref() == Some(page.id.as_str())))
        .map(|(id, _)| person_ref(site, ix, id))
        .collect();
    PartyView {
        id: &page.id,
        name: &f.name,
        short_name: f.short_name.as_deref(),
        variants: &f.variants,
        kind: f.kind,
        roles: f
            .roles
            .iter()
            .map(|r| label(loc, "party-role", r))
            .collect(),
        leaders: f.leaders.iter().map(|l| person_ref(site, ix, l)).collect(),
        positions,
        rounds,
        people,
    }
}

/// Plain text as HTML, with smart punctuation, in a `<span lang>` when `lang` is set.
pub(crate) fn phrase(text: &str, lang: Option<&str>) -> String {
    let mut html = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut html, &markdown::smart(text));
    in_lang(lang, html)
}

/// "Head of the Ukrainian delegation (Minister of Defence)", as HTML: `key` (`capacity-head`,
/// `capacity-member`) with the party's adjective (`$party`) and short name (`$name`), and the
/// `-titled` form when there is a title (with its `lang`); each name in its `lang` when the
/// edition shows it untranslated.
fn capacity(
    loc: &Locale,
    key: &str,
    party: &PartyRef<'_>,
    title: Option<(&str, Option<&str>)>,
) -> String {
    let part =
        |text: &str, lang: Option<Option<&str>>| FluentValue::from(phrase(text, lang.flatten()));
    let mut args = vec![
        ("party", part(party.adjective, party.adjective_lang)),
        ("name", part(party.short_name, party.short_lang)),
    ];
    match title {
        Some((t, lang)) => {
            args.push(("title", FluentValue::from(phrase(t, lang))));
            loc.t_args(&format!("{key}-titled"), &args)
        }
        None => loc.t_args(key, &args),
    }
}

/// Talks (in order) for which `capacity` returns something, with those capacities (HTML).
/// Only the talks that reference the record (`kind`, `id`) can give it a capacity, so only they
/// are gone through; the whole kind is still noted as read.
fn rounds_of<'a>(
    site: &'a Site,
    ix: &Index,
    loc: &Locale,
    (kind, id): (Kind, &str),
    capacity: impl Fn(&Page, &TalkFront) -> Vec<String>,
) -> Vec<RoundView<'a>> {
    ix.all(Kind::Talk);
    ix.talks_referencing(site, kind, id)
        .into_iter()
        .filter_map(|id| {
            let p = ix.page(site, Kind::Talk, id)?;
            let Front::Talk(t) = &p.source.front else {
                return None;
            };
            let caps = capacity(p, t);
            (!caps.is_empty()).then(|| RoundView {
                talk: talk_ref(site, ix, loc, id),
                capacities: caps,
            })
        })
        .collect()
}

/// `person` on a person's page.
#[derive(Serialize)]
pub(crate) struct PersonView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) native: Option<NativeView<'a>>,
    pub(crate) variants: &'a [String],
    pub(crate) party: Option<PartyRef<'a>>,
    pub(crate) roles: Vec<RoleView<'a>>,
    pub(crate) rounds: Vec<RoundView<'a>>,
}

/// `person.roles[]`: an office held, from when to when.
#[derive(Serialize)]
pub(crate) struct RoleView<'a> {
    pub(crate) title: &'a str,
    pub(crate) organisation: Option<&'a str>,
    /// The title's and organisation's `lang` when the edition shows them untranslated.
    pub(crate) title_lang: Option<&'a str>,
    pub(crate) organisation_lang: Option<&'a str>,
    pub(crate) from: Option<TimeView>,
    pub(crate) to: Option<TimeView>,
    pub(crate) cites: String,
}

pub(crate) fn person_view<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    page: &'a Page,
    f: &'a PersonFront,
) -> PersonView<'a> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = &site.config.display_timezones;
    let roles = f
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cites = cx.marks(&r.sources);
            RoleView {
                title: &r.title,
                organisation: r.organisation.as_deref(),
                title_lang: site.text_lang(&page.source, &format!("roles.{i}.title")),
                organisation_lang: site.text_lang(&page.source, &format!("roles.{i}.organisation")),
                from: r
                    .from
                    .as_ref()
                    .map(|d| time::view(loc, d, None, zones, false)),
                to: r
                    .to
                    .as_ref()
                    .map(|d| time::view(loc, d, None, zones, false)),
                cites,
            }
        })
        .collect();
    let id = page.id.as_str();
    let rounds = rounds_of(site, ix, loc, (Kind::Person, id), |tp, t| {
        let lang = |key: String| site.text_lang(&tp.source, &key);
        let mut caps = Vec::new();
        for (i, d) in t.delegations.iter().enumerate() {
            let party = party_ref(site, ix, &d.party);
            if let Some(h) = d.head.as_ref().filter(|h| h.person == id) {
                let title = h
                    .title
                    .as_deref()
                    .map(|t| (t, lang(format!("delegations.{i}.head.title"))));
                caps.push(capacity(loc, "capacity-head", &party, title));
            }
            for (j, m) in d.members.iter().enumerate().filter(|(_, m)| m.person == id) {
                let title = m
                    .title
                    .as_deref()
                    .map(|t| (t, lang(format!("delegations.{i}.members.{j}.title"))));
                caps.push(capacity(loc, "capacity-member", &party, title));
            }
        }
        for (k, m) in t
            .mediators
            .iter()
            .enumerate()
            .filter(|(_, m)| m.person.as_deref() == Some(id))
        {
            let role = match &m.role {
                Some(r) => phrase(r, lang(format!("mediators.{k}.role"))),
                None => phrase(&loc.t("mediator"), None),
            };
            caps.push(match &m.title {
                Some(title) => format!(
                    "{role} ({})",
                    phrase(title, lang(format!("mediators.{k}.title")))
                ),
                None => role,
            });
        }
        caps
    });
    PersonView {
        id,
        name: &f.name,
        native: f.native_name.as_ref().map(native_view),
        variants: &f.variants,
        party: f.party.as_ref().map(|p| party_ref(site, ix, p)),
        roles,
        rounds,
    }
}

/// `topic` on a topic's page.
#[derive(Serialize)]
pub(crate) struct TopicView<'a> {
    pub(crate) id: &'a str,
    pub(crate) positions: Vec<TopicPositions<'a>>,
    pub(crate) outcomes: Vec<TopicOutcome<'a>>,
    pub(crate) agenda: Vec<TopicAgenda<'a>>,
}

/// `topic.positions[]`: one party's positions on the topic, oldest first.
#[derive(Serialize)]
pub(crate) struct TopicPositions<'a> {
    pub(crate) party: PartyRef<'a>,
    pub(crate) positions: Vec<StanceView>,
    pub(crate) history: Option<crate::render::trust::HistoryView>,
}

/// A position: stance, summary, as of when.
#[derive(Serialize)]
pub(crate) struct StanceView {
    pub(crate) stance: Stance,
    pub(crate) stance_label: String,
    pub(crate) summary: String,
    pub(crate) as_of: TimeView,
    pub(crate) cites: String,
}

/// `topic.outcomes[]`: an outcome of a talk about the topic.
#[derive(Serialize)]
pub(crate) struct TopicOutcome<'a> {
    pub(crate) talk: TalkRef<'a>,
    pub(crate) kind: OutcomeKind,
    pub(crate) label: String,
    pub(crate) text: String,
    pub(crate) cites: String,
    pub(crate) by: Option<PartyRef<'a>>,
}

/// `topic.agenda[]`: a talk that had the topic on its agenda.
#[derive(Serialize)]
pub(crate) struct TopicAgenda<'a> {
    pub(crate) talk: TalkRef<'a>,
    pub(crate) proposed_by: Option<PartyRef<'a>>,
}

pub(crate) fn topic_view<'a>(cx: &mut PageCtx<'a>, ix: &Index, page: &'a Page) -> TopicView<'a> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = &site.config.display_timezones;
    let mut positions = Vec::new();
    ix.all(Kind::Party);
    ix.all(Kind::Talk);
    // Only parties and talks whose front matter references the topic can list it.
    for (pid, &pi) in ix.records_referencing(site, Kind::Party, (Kind::Topic, &page.id)) {
        let pp = &site.pages[pi];
        let Front::Party(f) = &pp.source.front else {
            continue;
        };
        let mut mine: Vec<_> = f
            .positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.topic == page.id)
            .collect();
        mine.sort_by_key(|(_, p)| p.as_of.start());
        let items: Vec<StanceView> = mine
            .into_iter()
            .map(|(i, p)| {
                let summary =
                    cx.inline_of(&pp.source, &format!("positions.{i}.summary"), &p.summary);
                let cites = cx.marks(&p.sources);
                StanceView {
                    stance: p.stance,
                    stance_label: label(loc, "stance", &p.stance),
                    summary,
                    as_of: time::view(loc, &p.as_of, None, zones, false),
                    cites,
                }
            })
            .collect();
        if !items.is_empty() {
            positions.push(TopicPositions {
                party: party_ref(site, ix, pid),
                positions: items,
                history: crate::render::trust::history_view(loc, &f.positions, &page.id),
            });
        }
    }
    let mut outcomes = Vec::new();
    let mut agenda = Vec::new();
    for tid in ix.talks_referencing(site, Kind::Topic, &page.id) {
        let Some(tp) = ix.page(site, Kind::Talk, tid) else {
            continue;
        };
        let Front::Talk(t) = &tp.source.front else {
            continue;
        };
        for (j, o) in t
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| o.topics.contains(&page.id))
        {
            let text = cx.inline_of(&tp.source, &format!("outcomes.{j}.text"), &o.text);
            let cites = cx.marks(&o.sources);
            outcomes.push(TopicOutcome {
                talk: talk_ref(site, ix, loc, tid),
                kind: o.kind,
                label: label(loc, "outcome", &o.kind),
                text,
                cites,
                by: o.by.as_ref().map(|p| party_ref(site, ix, p)),
            });
        }
        for a in t.agenda.iter().filter(|a| a.topic == page.id) {
            agenda.push(TopicAgenda {
                talk: talk_ref(site, ix, loc, tid),
                proposed_by: a.proposed_by.as_ref().map(|p| party_ref(site, ix, p)),
            });
        }
    }
    TopicView {
        id: &page.id,
        positions,
        outcomes,
        agenda,
    }
}

/// `matrix` on the positions page: rows are topics, columns parties.
#[derive(Serialize)]
pub(crate) struct MatrixView<'a> {
    /// The columns: parties with positions.
    pub(crate) parties: Vec<PartyRef<'a>>,
    pub(crate) rows: Vec<MatrixRow<'a>>,
}

/// `matrix.rows[]`: a topic and each party's latest position on it (null where none).
#[derive(Serialize)]
pub(crate) struct MatrixRow<'a> {
    pub(crate) topic: TopicRef<'a>,
    pub(crate) cells: Vec<Option<MatrixCell>>,
}

/// A cell of the matrix: a party's latest position on a topic, and how it changed.
#[derive(Serialize)]
pub(crate) struct MatrixCell {
    pub(crate) stance: Stance,
    pub(crate) stance_label: String,
    pub(crate) summary: String,
    pub(crate) as_of: TimeView,
    pub(crate) cites: String,
    pub(crate) history: Option<crate::render::trust::HistoryView>,
}

/// The positions matrix: rows are topics, columns parties; each cell the latest position.
pub(crate) fn matrix_view<'a>(cx: &mut PageCtx<'a>, ix: &Index) -> MatrixView<'a> {
    matrix_view_of(cx, ix, None)
}

/// The positions matrix with the row of `only` topic (every topic when `None`).
pub(crate) fn matrix_view_of<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    only: Option<&str>,
) -> MatrixView<'a> {
    let site = cx.site;
    let loc = cx.loc;
    ix.all(Kind::Party);
    ix.all(Kind::Topic);
    let zones = &site.config.display_timezones;
    let parties: Vec<(&String, &Page, &PartyFront)> = site
        .briefing
        .parties()
        .iter()
        .filter_map(|(id, &i)| match &site.pages[i].source.front {
            Front::Party(f) if !f.positions.is_empty() => Some((id, &site.pages[i], f.as_ref())),
            _ => None,
        })
        .collect();
    let mut rows = Vec::new();
    for tid in site.briefing.topics().keys() {
        if only.is_some_and(|t| t != tid) {
            continue;
        }
        let mut cells = Vec::new();
        let mut any = false;
        for (_, pp, f) in &parties {
            let latest = f
                .positions
                .iter()
                .enumerate()
                .filter(|(_, p)| &p.topic == tid)
                .max_by(|(_, a), (_, b)| a.as_of.start().cmp(&b.as_of.start()));
            cells.push(latest.map(|(i, p)| {
                any = true;
                let summary =
                    cx.inline_of(&pp.source, &format!("positions.{i}.summary"), &p.summary);
                let cites = cx.marks(&p.sources);
                MatrixCell {
                    stance: p.stance,
                    stance_label: label(loc, "stance", &p.stance),
                    summary,
                    as_of: time::view(loc, &p.as_of, None, zones, false),
                    cites,
                    history: crate::render::trust::history_view(loc, &f.positions, tid),
                }
            }));
        }
        if any {
            rows.push(MatrixRow {
                topic: topic_ref(site, ix, tid),
                cells,
            });
        }
    }
    MatrixView {
        parties: parties
            .iter()
            .map(|(id, _, _)| party_ref(site, ix, id))
            .collect(),
        rows,
    }
}

/// A timeline event's title in the reader's language: a watch item's is the interface's; an
/// update-log entry's is its kind ("Update", "Correction") and its talk's title.
pub(crate) fn event_title(loc: &Locale, e: &crate::model::briefing::Event) -> String {
    match event_kind(loc, e) {
        Some(kind) if e.watch => kind,
        Some(kind) => format!("{kind}: {}", e.title),
        None => e.title.clone(),
    }
}

/// The kind of entry an event is, in the reader's language, when its title says it: a watch
/// item (its whole title) or an update-log entry (before its talk's title).
fn event_kind(loc: &Locale, e: &crate::model::briefing::Event) -> Option<String> {
    if e.watch {
        return Some(loc.t("watch-title"));
    }
    match e.update? {
        UpdateKind::Update => Some(loc.t("update")),
        UpdateKind::Correction => Some(loc.t("correction")),
    }
}

/// `event.heading`: a timeline event's heading as its parts, `{prefix, text, lang}`.
#[derive(Serialize)]
pub(crate) struct EventHeading<'a> {
    /// The kind of entry in the reader's language (an update, a correction), else null.
    pub(crate) prefix: Option<String>,
    /// The event's title (or its talk's), or a watch item's interface title.
    pub(crate) text: std::borrow::Cow<'a, str>,
    /// The original's `lang` when the edition shows `text` untranslated.
    pub(crate) lang: Option<&'a str>,
}

/// A timeline event's heading as its parts: the kind of entry in the reader's language (an
/// update, a correction), then the text (the event's title, or its talk's) with the `lang` of
/// the original when the edition shows it untranslated.
pub(crate) fn event_heading<'a>(
    site: &'a Site,
    loc: &Locale,
    e: &'a crate::model::briefing::Event,
) -> EventHeading<'a> {
    let lang = site.lang_unless(e.given.title);
    match event_kind(loc, e) {
        Some(kind) if e.watch => EventHeading {
            prefix: None,
            text: kind.into(),
            lang: None,
        },
        prefix => EventHeading {
            prefix,
            text: e.title.as_str().into(),
            lang,
        },
    }
}

/// `years[]` on a timeline page: one year's events, in date order.
#[derive(Serialize)]
pub(crate) struct TimelineYear<'a> {
    pub(crate) year: i16,
    pub(crate) events: Vec<EventView<'a>>,
}

/// One event of the timeline.
#[derive(Serialize)]
pub(crate) struct EventView<'a> {
    pub(crate) anchor: &'a str,
    /// In the original's `<span lang>` when the edition shows it untranslated.
    pub(crate) text: Option<String>,
    pub(crate) cites: String,
    pub(crate) title: String,
    pub(crate) heading: EventHeading<'a>,
    /// At the talk's venue for an event of a talk.
    pub(crate) date: TimeView,
    /// The talk the event stands for.
    pub(crate) talk: Option<TalkRef<'a>>,
    /// The record the event stands for.
    pub(crate) record: Option<EventRecord<'a>>,
    pub(crate) update: Option<UpdateKind>,
    pub(crate) watch: bool,
    pub(crate) parties: Vec<PartyRef<'a>>,
    pub(crate) topics: Vec<TopicRef<'a>>,
    pub(crate) people: Vec<PersonRef<'a>>,
    /// Other talks it names (not the one it stands for).
    pub(crate) talks: Vec<TalkRef<'a>>,
}

/// `event.record`: the record an event stands for (an update links to its log entry).
#[derive(Serialize)]
pub(crate) struct EventRecord<'a> {
    pub(crate) kind: Kind,
    pub(crate) title: &'a str,
    /// The title's `lang` when the edition shows it untranslated.
    pub(crate) lang: Option<&'a str>,
    pub(crate) url: String,
}

pub(crate) fn timeline_view<'a>(cx: &mut PageCtx<'a>, ix: &Index) -> Vec<TimelineYear<'a>> {
    timeline_view_of(cx, ix, None)
}

/// The timeline's events of `only` year (every year when `None`), grouped by year.
pub(crate) fn timeline_view_of<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    only: Option<i16>,
) -> Vec<TimelineYear<'a>> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = &site.config.display_timezones;
    let data_file = site.briefing_timeline_file();
    let mut years: Vec<TimelineYear<'a>> = Vec::new();
    deps::read(Dep::Timeline);
    for e in &site.briefing.timeline {
        let year = e.date.start().year();
        if only.is_some_and(|y| y != year) {
            continue;
        }
        let record = e
            .record
            .as_ref()
            .and_then(|(kind, id)| Some((*kind, ix.page(site, *kind, id)?)));
        let (zone, text) = match record {
            Some((_, p)) => {
                let tz = match &p.source.front {
                    Front::Talk(t) => Some((
                        t.venue.timezone.0.as_str(),
                        time::venue_label(loc, t.venue.city.as_deref()),
                    )),
                    _ => None,
                };
                let text = e
                    .text
                    .as_ref()
                    .map(|t| cx.inline(t, p.source.dir(), &p.source.path, &p.source.text));
                (tz, text)
            }
            None => {
                let text = e.text.as_ref().map(|t| match &data_file {
                    Some((path, ftext)) => cx.inline(t, "", path, ftext),
                    None => cx.inline(t, "", std::path::Path::new("content/timeline.yaml"), ""),
                });
                (None, text)
            }
        };
        let text = text.map(|t| in_lang(site.lang_unless(e.given.text), t));
        let heading = event_heading(site, loc, e);
        let cites = cx.marks(&e.sources);
        let v = EventView {
            anchor: &e.anchor,
            text,
            cites,
            title: event_title(loc, e),
            heading,
            date: time::relabel(
                time::view(
                    loc,
                    &e.date,
                    zone.as_ref().map(|z| z.0),
                    zones,
                    e.approximate,
                ),
                zone.as_ref().map(|z| z.1.as_str()),
            ),
            talk: e.talk().map(|t| talk_ref(site, ix, loc, t)),
            record: record.map(|(kind, p)| EventRecord {
                kind,
                title: p.source.front.common().title,
                lang: site.title_lang(&p.source),
                url: match (e.log_entry, &p.source.front) {
                    // An update links to its entry in the talk's log.
                    (Some(j), Front::Talk(t)) => format!(
                        "{}#{}",
                        site.config.url(&p.path),
                        crate::render::publish::update_anchors(t).swap_remove(j)
                    ),
                    _ => site.config.url(&p.path),
                },
            }),
            update: e.update,
            watch: e.watch,
            parties: e.parties.iter().map(|p| party_ref(site, ix, p)).collect(),
            topics: e.topics.iter().map(|p| topic_ref(site, ix, p)).collect(),
            people: e.people.iter().map(|p| person_ref(site, ix, p)).collect(),
            talks: e
                .talks
                .iter()
                .filter(|t| Some(t.as_str()) != e.talk())
                .map(|t| talk_ref(site, ix, loc, t))
                .collect(),
        };
        match years.last_mut() {
            Some(y) if y.year == year => y.events.push(v),
            _ => years.push(TimelineYear {
                year,
                events: vec![v],
            }),
        }
    }
    years
}

impl Site {
    /// The timeline data file's path and text, for locating problems in it.
    pub(crate) fn briefing_timeline_file(&self) -> Option<(std::path::PathBuf, String)> {
        self.timeline_file
            .as_ref()
            .map(|d| (d.path.clone(), d.text.clone()))
    }
}

/// `statement` on a statement's page.
#[derive(Serialize)]
pub(crate) struct StatementView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// The title's `lang` when the edition shows it untranslated.
    pub(crate) lang: Option<&'a str>,
    /// At the talk's venue when it was made at a talk.
    pub(crate) date: Option<TimeView>,
    pub(crate) party: PartyRef<'a>,
    pub(crate) speaker: Option<PersonRef<'a>>,
    pub(crate) topics: Vec<TopicRef<'a>>,
    pub(crate) talk: Option<TalkRef<'a>>,
    pub(crate) cites: String,
}

/// A statement's page view. Citations are numbered on `cx`.
pub(crate) fn statement_view<'a>(
    cx: &mut PageCtx<'a>,
    ix: &Index,
    page: &'a Page,
    f: &'a StatementFront,
) -> StatementView<'a> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = &site.config.display_timezones;
    let zone = f
        .talk
        .as_ref()
        .and_then(|t| ix.page(site, Kind::Talk, t))
        .and_then(|p| match &p.source.front {
            Front::Talk(t) => Some((
                t.venue.timezone.0.as_str(),
                time::venue_label(loc, t.venue.city.as_deref()),
            )),
            _ => None,
        });
    let cites = cx.marks(&f.sources);
    StatementView {
        id: &page.id,
        title: &f.title,
        lang: site.text_lang(&page.source, "title"),
        date: f.date.as_ref().map(|d| {
            time::relabel(
                time::view(loc, d, zone.as_ref().map(|z| z.0), zones, false),
                zone.as_ref().map(|z| z.1.as_str()),
            )
        }),
        party: party_ref(site, ix, &f.party),
        speaker: f.speaker.as_ref().map(|p| person_ref(site, ix, p)),
        topics: f.topics.iter().map(|t| topic_ref(site, ix, t)).collect(),
        talk: f.talk.as_ref().map(|t| talk_ref(site, ix, loc, t)),
        cites,
    }
}

/// `backlinks[]` on a record's page: the records of one kind that reference it.
#[derive(Serialize)]
pub(crate) struct BacklinkGroup<'a> {
    pub(crate) kind: Kind,
    pub(crate) label: String,
    pub(crate) items: Vec<BacklinkItem<'a>>,
}

/// One record in a [`BacklinkGroup`].
#[derive(Serialize)]
pub(crate) struct BacklinkItem<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: String,
    /// The title's `lang` when the edition shows it untranslated.
    pub(crate) lang: Option<&'a str>,
    pub(crate) date: Option<TimeView>,
}

/// What lists a record: the records of each backlinked kind that reference it, grouped by kind
/// (`[{kind, label, items: [{title, url, date}]}]`), newest first within a kind.
pub(crate) fn backlinks_view<'a>(
    site: &'a Site,
    ix: &Index,
    loc: &Locale,
    page: usize,
) -> Vec<BacklinkGroup<'a>> {
    deps::read(Dep::Backlinks(ix.key(page)));
    let Some(by) = site.briefing.referenced_by.get(&page) else {
        return Vec::new();
    };
    for &i in by {
        deps::read(Dep::Record(ix.key(i)));
    }
    let zones = &site.config.display_timezones;
    let mut groups = Vec::new();
    for &kind in Kind::ALL.iter().filter(|k| k.decl().backlinked) {
        let mut items: Vec<&Page> = by
            .iter()
            .filter_map(|&i| site.pages.get(i))
            .filter(|p| p.source.front.kind() == Some(kind))
            .collect();
        if items.is_empty() {
            continue;
        }
        items.sort_by(|a, b| {
            let (ca, cb) = (a.source.front.common(), b.source.front.common());
            cb.date
                .map(|d| d.start())
                .cmp(&ca.date.map(|d| d.start()))
                .then_with(|| ca.title.cmp(cb.title))
        });
        let items = items
            .into_iter()
            .map(|p| {
                let c = p.source.front.common();
                BacklinkItem {
                    title: c.title,
                    url: site.config.url(&p.path),
                    lang: site.title_lang(&p.source),
                    date: c.date.map(|d| time::view(loc, d, None, zones, false)),
                }
            })
            .collect();
        groups.push(BacklinkGroup {
            kind,
            label: loc.t(kind.decl().nav),
            items,
        });
    }
    groups
}
