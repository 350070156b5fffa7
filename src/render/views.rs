//! What templates see: serialisable views of pages and briefing records.
//!
//! Views are prepared in Rust so templates stay simple: references are already resolved to
//! names and URLs, times are converted to every display zone, inline Markdown in YAML fields is
//! rendered (with its citations numbered on the page being built), and lists are in reading
//! order. Each page being rendered owns a [`PageCtx`] that numbers its citations.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use crate::diagnostics::Diagnostics;
use crate::i18n::{FluentValue, Locale};
use crate::load::kinds::Kind;
use crate::load::records::{
    Front, OutcomeKind, PartyFront, PersonFront, SourceEntry, StatementFront, TalkFront,
    Translator, UpdateKind, locate_token,
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
    pub(crate) cited_on: Vec<Value>,
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

pub(crate) fn source_view(
    loc: &Locale,
    s: &SourceEntry,
    n: Option<usize>,
    backrefs: Vec<String>,
    zones: &[String],
) -> SourceView {
    let translated = s.translation.as_ref().map(|t| Translated {
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
    });
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
    let views: Vec<SourceView> = ids
        .iter()
        .filter_map(|id| b.source_index.get(id))
        .map(|&i| source_view(loc, &b.sources[i], None, Vec::new(), &[]))
        .collect();
    translation_notice(loc, views.iter().filter_map(|s| s.translated.as_ref()))
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

pub(crate) fn party_ref(site: &Site, ix: &Index, id: &str) -> Value {
    match ix.page(site, Kind::Party, id) {
        Some(p) => match &p.source.front {
            Front::Party(f) => {
                // Each name the original's when no translation gave it (a missing short name
                // is the name).
                let name_lang = site.text_lang(&p.source, "name");
                let short_lang = match f.short_name {
                    Some(_) => site.text_lang(&p.source, "short_name"),
                    None => name_lang,
                };
                let adjective_lang = match f.adjective {
                    Some(_) => site.text_lang(&p.source, "adjective"),
                    None => short_lang,
                };
                json!({
                    "id": id, "name": f.name, "short_name": f.short_name.clone().unwrap_or_else(|| f.name.clone()),
                    "adjective": f.adjective.clone().or_else(|| f.short_name.clone()).unwrap_or_else(|| f.name.clone()),
                    "url": site.config.url(&p.path),
                    "lang": name_lang, "short_lang": short_lang, "adjective_lang": adjective_lang,
                })
            }
            _ => {
                json!({"id": id, "name": id, "short_name": id, "adjective": id, "url": Value::Null})
            }
        },
        None => {
            json!({"id": id, "name": id, "short_name": id, "adjective": id, "url": Value::Null})
        }
    }
}

pub(crate) fn person_ref(site: &Site, ix: &Index, id: &str) -> Value {
    match ix
        .page(site, Kind::Person, id)
        .map(|p| (p, &p.source.front))
    {
        Some((p, Front::Person(f))) => json!({
            "id": id, "name": f.name, "url": site.config.url(&p.path),
            "native": f.native_name.as_ref().map(|n| json!({"text": n.text, "lang": n.lang})),
            "lang": site.text_lang(&p.source, "name"),
        }),
        _ => json!({"id": id, "name": id, "url": Value::Null, "native": Value::Null}),
    }
}

pub(crate) fn topic_ref(site: &Site, ix: &Index, id: &str) -> Value {
    match ix.page(site, Kind::Topic, id).map(|p| (p, &p.source.front)) {
        Some((p, Front::Topic(f))) => {
            json!({"id": id, "title": f.title, "url": site.config.url(&p.path), "lang": site.text_lang(&p.source, "title")})
        }
        _ => json!({"id": id, "title": id, "url": Value::Null}),
    }
}

pub(crate) fn talk_ref(site: &Site, ix: &Index, loc: &Locale, id: &str) -> Value {
    match ix.page(site, Kind::Talk, id).map(|p| (p, &p.source.front)) {
        Some((p, Front::Talk(t))) => {
            let zones = &site.config.display_timezones;
            let start = t
                .actual_start
                .as_ref()
                .map(|a| (&a.at, a.approximate))
                .or(t.scheduled_start.as_ref().map(|s| (s, false)));
            json!({
                "id": id, "title": t.title, "url": site.config.url(&p.path),
                "lang": site.text_lang(&p.source, "title"),
                "status": t.status, "status_label": label(loc, "status", &t.status),
                "venue": venue_view(site, &p.source, loc, t),
                "start": start.map(|(v, a)| time::at_venue(loc, v, &t.venue.timezone.0, t.venue.city.as_deref(), zones, a)),
            })
        }
        _ => json!({"id": id, "title": id, "url": Value::Null}),
    }
}

fn venue_view(site: &Site, source: &crate::load::SourcePage, loc: &Locale, t: &TalkFront) -> Value {
    let place: Vec<(&str, &str)> = [
        Some((t.venue.name.as_str(), "venue.name")),
        t.venue.city.as_deref().map(|c| (c, "venue.city")),
        t.venue.country.as_deref().map(|c| (c, "venue.country")),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Each part with its own `lang` when the edition shows it untranslated.
    let parts: Vec<Value> = place
        .iter()
        .map(|(text, key)| json!({"text": text, "lang": site.text_lang(source, key)}))
        .collect();
    json!({
        "name": t.venue.name, "city": t.venue.city, "country": t.venue.country,
        "timezone": t.venue.timezone.0, "zone": loc.zone(&t.venue.timezone.0),
        "text": place.iter().map(|(text, _)| *text).collect::<Vec<_>>().join(", "),
        "parts": parts,
    })
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

/// The full view of a talk, for its own page and the front page. Citations are numbered on `cx`.
pub(crate) fn talk_view(cx: &mut PageCtx<'_>, ix: &Index, page: &Page, t: &TalkFront) -> Value {
    let site = cx.site;
    let loc = cx.loc;
    let zones = site.config.display_timezones.clone();
    let tz = t.venue.timezone.0.clone();
    let city = t.venue.city.as_deref();
    let src = &page.source;
    // The `lang` of text `key` of the talk, when the edition shows it untranslated.
    let lang = |key: String| site.text_lang(src, &key);

    let mediators: Vec<Value> = t
        .mediators
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let note = m.note.as_ref().map(|n| cx.inline_of(src, &format!("mediators.{i}.note"), n));
            let cites = cx.marks(&m.sources);
            json!({
                "party": party_ref(site, ix, &m.party),
                "person": m.person.as_ref().map(|p| person_ref(site, ix, p)),
                "title": m.title.clone().unwrap_or_default(), "role": m.role.clone().unwrap_or_else(|| loc.t("mediator")),
                "title_lang": m.title.as_ref().and_then(|_| lang(format!("mediators.{i}.title"))),
                "role_lang": m.role.as_ref().and_then(|_| lang(format!("mediators.{i}.role"))),
                "note": note, "cites": cites,
            })
        })
        .collect();
    let delegations: Vec<Value> = t
        .delegations
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let note = d.note.as_ref().map(|n| cx.inline_of(src, &format!("delegations.{i}.note"), n));
            let cites = cx.marks(&d.sources);
            json!({
                "party": party_ref(site, ix, &d.party),
                "head": d.head.as_ref().map(|h| json!({"person": person_ref(site, ix, &h.person), "title": h.title.clone().unwrap_or_default(),
                    "title_lang": h.title.as_ref().and_then(|_| lang(format!("delegations.{i}.head.title")))})),
                "members": d.members.iter().enumerate().map(|(j, m)| json!({"person": person_ref(site, ix, &m.person), "title": m.title.clone().unwrap_or_default(),
                    "title_lang": m.title.as_ref().and_then(|_| lang(format!("delegations.{i}.members.{j}.title")))})).collect::<Vec<_>>(),
                "note": note, "cites": cites,
            })
        })
        .collect();
    let agenda: Vec<Value> = t
        .agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let note = a
                .note
                .as_ref()
                .map(|n| cx.inline_of(src, &format!("agenda.{i}.note"), n));
            let cites = cx.marks(&a.sources);
            json!({
                "topic": topic_ref(site, ix, &a.topic),
                "proposed_by": a.proposed_by.as_ref().map(|p| party_ref(site, ix, p)),
                "note": note, "cites": cites,
            })
        })
        .collect();
    let outcome_groups = outcome_groups(cx, ix, page, t);
    json!({
        "id": page.id, "title": t.title, "url": site.config.url(&page.path),
        "lang": lang("title".into()),
        "status": t.status, "status_label": label(loc, "status", &t.status),
        "format": t.format, "format_lang": lang("format".into()),
        "venue": venue_view(site, src, loc, t),
        "scheduled": t.scheduled_start.as_ref().map(|v| time::at_venue(loc, v, &tz, city, &zones, false)),
        "started": t.actual_start.as_ref().map(|a| time::at_venue(loc, &a.at, &tz, city, &zones, a.approximate)),
        "ended": t.actual_end.as_ref().map(|a| time::at_venue(loc, &a.at, &tz, city, &zones, a.approximate)),
        "timing": timing_text(loc, t, &zones),
        "mediators": mediators,
        "delegations": delegations,
        "agenda": agenda,
        "outcome_groups": outcome_groups,
        "rescheduled": t
            .rescheduled
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let note = r.note.as_ref().map(|n| cx.inline_of(src, &format!("rescheduled.{i}.note"), n));
                json!({"from": time::at_venue(loc, &r.from, &tz, city, &zones, false), "note": note})
            })
            .collect::<Vec<_>>(),
    })
}

/// A talk's outcomes grouped by kind (agreed, proposed, noted, rejected), citations numbered on `cx`.
pub(crate) fn outcome_groups(
    cx: &mut PageCtx<'_>,
    ix: &Index,
    page: &Page,
    t: &TalkFront,
) -> Vec<Value> {
    let site = cx.site;
    let loc = cx.loc;
    let mut groups = Vec::new();
    for kind in [
        OutcomeKind::Agreed,
        OutcomeKind::Proposed,
        OutcomeKind::Noted,
        OutcomeKind::Rejected,
    ] {
        let items: Vec<Value> = t
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| o.kind == kind)
            .map(|(j, o)| {
                let text_html = cx.inline_of(&page.source, &format!("outcomes.{j}.text"), &o.text);
                let cites = cx.marks(&o.sources);
                json!({
                    "text": text_html, "cites": cites,
                    "by": o.by.as_ref().map(|p| party_ref(site, ix, p)),
                    "topics": o.topics.iter().map(|x| topic_ref(site, ix, x)).collect::<Vec<_>>(),
                })
            })
            .collect();
        if !items.is_empty() {
            groups
                .push(json!({"kind": kind, "label": label(loc, "outcome", &kind), "items": items}));
        }
    }
    groups
}

/// The update log of a talk, newest first.
pub(crate) fn updates_view(cx: &mut PageCtx<'_>, page: &Page, t: &TalkFront) -> Vec<Value> {
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

/// One entry of a talk's update log; its citations are numbered on `cx`.
pub(crate) fn update_view(
    cx: &mut PageCtx<'_>,
    page: &Page,
    t: &TalkFront,
    (j, u): (usize, &crate::load::records::Update),
) -> Value {
    let zones = cx.site.config.display_timezones.clone();
    let loc = cx.loc;
    let text = cx.inline_of(&page.source, &format!("updates.{j}.text"), &u.text);
    let cites = cx.marks(&u.sources);
    let anchor = crate::render::publish::update_anchors(t).swap_remove(j);
    json!({
        "anchor": anchor,
        "at": time::at_venue(loc, &u.at, &t.venue.timezone.0, t.venue.city.as_deref(), &zones, u.approximate),
        "kind": u.kind, "is_correction": u.kind == UpdateKind::Correction,
        "text": text, "cites": cites,
        "talk": {"title": t.title, "url": cx.url(&page.path), "lang": cx.site.text_lang(&page.source, "title")},
        "url": format!("{}#{}", cx.url(&page.path), anchor),
    })
}

/// Sort key for an update time: the instant, reading local times in `zone`.
pub(crate) fn instant_key(v: &DateValue, zone: &str) -> i64 {
    crate::render::publish::instant(v, Some(zone)).as_second()
}

/// A party's page view.
pub(crate) fn party_view(cx: &mut PageCtx<'_>, ix: &Index, page: &Page, f: &PartyFront) -> Value {
    let site = cx.site;
    let loc = cx.loc;
    let zones = site.config.display_timezones.clone();
    let mut positions: Vec<(usize, &crate::load::records::Position)> =
        f.positions.iter().enumerate().collect();
    positions.sort_by(|(_, a), (_, b)| {
        a.topic
            .cmp(&b.topic)
            .then(b.as_of.start().cmp(&a.as_of.start()))
    });
    let mut seen_topics: Vec<&str> = Vec::new();
    let positions: Vec<Value> = positions
        .into_iter()
        .map(|(i, p)| {
            let summary = cx.inline_of(&page.source, &format!("positions.{i}.summary"), &p.summary);
            let cites = cx.marks(&p.sources);
            // Newest first within a topic: the first one seen is the current position.
            let current = !seen_topics.contains(&p.topic.as_str());
            seen_topics.push(&p.topic);
            json!({
                "current": current,
                "topic": topic_ref(site, ix, &p.topic), "stance": p.stance, "stance_label": label(loc, "stance", &p.stance),
                "summary": summary, "as_of": time::view(loc, &p.as_of, None, &zones, false), "cites": cites,
            })
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
    let people: Vec<Value> = ix
        .records_referencing(site, Kind::Person, (Kind::Party, &page.id))
        .iter()
        .filter(|(_, i)| matches!(&site.pages[**i].source.front, Front::Person(p) if p.party.as_deref() == Some(page.id.as_str())))
        .map(|(id, _)| person_ref(site, ix, id))
        .collect();
    json!({
        "id": page.id, "name": f.name, "short_name": f.short_name, "variants": f.variants, "kind": f.kind,
        "roles": f.roles.iter().map(|r| label(loc, "party-role", r)).collect::<Vec<_>>(),
        "leaders": f.leaders.iter().map(|l| person_ref(site, ix, l)).collect::<Vec<_>>(),
        "positions": positions, "rounds": rounds, "people": people,
    })
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
fn capacity(loc: &Locale, key: &str, party: &Value, title: Option<(&str, Option<&str>)>) -> String {
    let part = |text: &str, lang: &str| {
        FluentValue::from(phrase(
            party[text].as_str().unwrap_or(""),
            party[lang].as_str(),
        ))
    };
    let mut args = vec![
        ("party", part("adjective", "adjective_lang")),
        ("name", part("short_name", "short_lang")),
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
fn rounds_of(
    site: &Site,
    ix: &Index,
    loc: &Locale,
    (kind, id): (Kind, &str),
    capacity: impl Fn(&Page, &TalkFront) -> Vec<String>,
) -> Vec<Value> {
    ix.all(Kind::Talk);
    ix.talks_referencing(site, kind, id)
        .into_iter()
        .filter_map(|id| {
            let p = ix.page(site, Kind::Talk, id)?;
            let Front::Talk(t) = &p.source.front else {
                return None;
            };
            let caps = capacity(p, t);
            (!caps.is_empty())
                .then(|| json!({"talk": talk_ref(site, ix, loc, id), "capacities": caps}))
        })
        .collect()
}

pub(crate) fn person_view(cx: &mut PageCtx<'_>, ix: &Index, page: &Page, f: &PersonFront) -> Value {
    let site = cx.site;
    let loc = cx.loc;
    let zones = site.config.display_timezones.clone();
    let roles: Vec<Value> = f
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cites = cx.marks(&r.sources);
            json!({
                "title": r.title, "organisation": r.organisation,
                "title_lang": site.text_lang(&page.source, &format!("roles.{i}.title")),
                "organisation_lang": site.text_lang(&page.source, &format!("roles.{i}.organisation")),
                "from": r.from.as_ref().map(|d| time::view(loc, d, None, &zones, false)),
                "to": r.to.as_ref().map(|d| time::view(loc, d, None, &zones, false)),
                "cites": cites,
            })
        })
        .collect();
    let id = page.id.clone();
    let rounds = rounds_of(site, ix, loc, (Kind::Person, &page.id), |tp, t| {
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
            .filter(|(_, m)| m.person.as_deref() == Some(id.as_str()))
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
    json!({
        "id": page.id, "name": f.name,
        "native": f.native_name.as_ref().map(|n| json!({"text": n.text, "lang": n.lang})),
        "variants": f.variants,
        "party": f.party.as_ref().map(|p| party_ref(site, ix, p)),
        "roles": roles, "rounds": rounds,
    })
}

pub(crate) fn topic_view(cx: &mut PageCtx<'_>, ix: &Index, page: &Page) -> Value {
    let site = cx.site;
    let loc = cx.loc;
    let zones = site.config.display_timezones.clone();
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
        let items: Vec<Value> = mine
            .into_iter()
            .map(|(i, p)| {
                let summary = cx.inline_of(&pp.source, &format!("positions.{i}.summary"), &p.summary);
                let cites = cx.marks(&p.sources);
                json!({"stance": p.stance, "stance_label": label(loc, "stance", &p.stance), "summary": summary,
                       "as_of": time::view(loc, &p.as_of, None, &zones, false), "cites": cites})
            })
            .collect();
        if !items.is_empty() {
            let history = crate::render::trust::history_view(loc, &f.positions, &page.id);
            positions.push(
                json!({"party": party_ref(site, ix, pid), "positions": items, "history": history}),
            );
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
            outcomes.push(
                json!({"talk": talk_ref(site, ix, loc, tid), "kind": o.kind, "label": label(loc, "outcome", &o.kind),
                "text": text, "cites": cites, "by": o.by.as_ref().map(|p| party_ref(site, ix, p))}),
            );
        }
        for a in t.agenda.iter().filter(|a| a.topic == page.id) {
            agenda.push(json!({"talk": talk_ref(site, ix, loc, tid), "proposed_by": a.proposed_by.as_ref().map(|p| party_ref(site, ix, p))}));
        }
    }
    json!({"id": page.id, "positions": positions, "outcomes": outcomes, "agenda": agenda})
}

/// The positions matrix: rows are topics, columns parties; each cell the latest position.
pub(crate) fn matrix_view(cx: &mut PageCtx<'_>, ix: &Index) -> Value {
    let site = cx.site;
    let loc = cx.loc;
    ix.all(Kind::Party);
    ix.all(Kind::Topic);
    let zones = site.config.display_timezones.clone();
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
        let mut cells = Vec::new();
        let mut any = false;
        for (_, pp, f) in &parties {
            let latest = f
                .positions
                .iter()
                .enumerate()
                .filter(|(_, p)| &p.topic == tid)
                .max_by(|(_, a), (_, b)| a.as_of.start().cmp(&b.as_of.start()));
            cells.push(match latest {
                Some((i, p)) => {
                    any = true;
                    let summary =
                        cx.inline_of(&pp.source, &format!("positions.{i}.summary"), &p.summary);
                    let cites = cx.marks(&p.sources);
                    json!({"stance": p.stance, "stance_label": label(loc, "stance", &p.stance), "summary": summary,
                           "as_of": time::view(loc, &p.as_of, None, &zones, false), "cites": cites,
                           "history": crate::render::trust::history_view(loc, &f.positions, tid)})
                }
                None => Value::Null,
            });
        }
        if any {
            // Moved in, not copied through `json!`.
            let mut row = json!({"topic": topic_ref(site, ix, tid)});
            row["cells"] = Value::Array(cells);
            rows.push(row);
        }
    }
    let mut matrix = json!({
        "parties": parties.iter().map(|(id, _, _)| party_ref(site, ix, id)).collect::<Vec<_>>(),
    });
    matrix["rows"] = Value::Array(rows);
    matrix
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

/// A timeline event's heading as its parts: the kind of entry in the reader's language (an
/// update, a correction), then the text (the event's title, or its talk's) with the `lang` of
/// the original when the edition shows it untranslated. `{prefix, text, lang}`.
pub(crate) fn event_heading(site: &Site, loc: &Locale, e: &crate::model::briefing::Event) -> Value {
    let lang = site.lang_unless(e.given.title);
    match event_kind(loc, e) {
        Some(kind) if e.watch => json!({"prefix": Value::Null, "text": kind, "lang": Value::Null}),
        Some(kind) => json!({"prefix": kind, "text": e.title, "lang": lang}),
        None => json!({"prefix": Value::Null, "text": e.title, "lang": lang}),
    }
}

pub(crate) fn timeline_view(cx: &mut PageCtx<'_>, ix: &Index) -> Vec<Value> {
    timeline_view_of(cx, ix, None)
}

/// The timeline's events of `only` year (every year when `None`), grouped by year.
pub(crate) fn timeline_view_of(cx: &mut PageCtx<'_>, ix: &Index, only: Option<i16>) -> Vec<Value> {
    let site = cx.site;
    let loc = cx.loc;
    let zones = site.config.display_timezones.clone();
    let data_file = site.briefing_timeline_file();
    let mut years: Vec<(i16, Vec<Value>)> = Vec::new();
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
                        t.venue.timezone.0.clone(),
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
        let v = json!({
            "anchor": e.anchor, "text": text, "cites": cites,
            "title": event_title(loc, e),
            "heading": heading,
            "date": time::relabel(
                time::view(loc, &e.date, zone.as_ref().map(|z| z.0.as_str()), &zones, e.approximate),
                zone.as_ref().map(|z| z.1.as_str()),
            ),
            "talk": e.talk().map(|t| talk_ref(site, ix, loc, t)),
            "record": record.map(|(kind, p)| json!({
                "kind": kind, "title": p.source.front.common().title,
                "lang": site.title_lang(&p.source),
                "url": match (e.log_entry, &p.source.front) {
                    // An update links to its entry in the talk's log.
                    (Some(j), Front::Talk(t)) => format!(
                        "{}#{}",
                        site.config.url(&p.path),
                        crate::render::publish::update_anchors(t).swap_remove(j)
                    ),
                    _ => site.config.url(&p.path),
                },
            })),
            "update": e.update,
            "watch": e.watch,
            "parties": e.parties.iter().map(|p| party_ref(site, ix, p)).collect::<Vec<_>>(),
            "topics": e.topics.iter().map(|p| topic_ref(site, ix, p)).collect::<Vec<_>>(),
            "people": e.people.iter().map(|p| person_ref(site, ix, p)).collect::<Vec<_>>(),
            "talks": e.talks.iter().filter(|t| Some(t.as_str()) != e.talk()).map(|t| talk_ref(site, ix, loc, t)).collect::<Vec<_>>(),
        });
        match years.last_mut() {
            Some((y, evs)) if *y == year => evs.push(v),
            _ => years.push((year, vec![v])),
        }
    }
    // The events are moved in: `json!` would copy each of them through `serde_json::to_value`.
    years
        .into_iter()
        .map(|(y, events)| {
            let mut v = json!({"year": y});
            v["events"] = Value::Array(events);
            v
        })
        .collect()
}

impl Site {
    /// The timeline data file's path and text, for locating problems in it.
    pub(crate) fn briefing_timeline_file(&self) -> Option<(std::path::PathBuf, String)> {
        self.timeline_file
            .as_ref()
            .map(|d| (d.path.clone(), d.text.clone()))
    }
}

/// A statement's page view. Citations are numbered on `cx`.
pub(crate) fn statement_view(
    cx: &mut PageCtx<'_>,
    ix: &Index,
    page: &Page,
    f: &StatementFront,
) -> Value {
    let site = cx.site;
    let loc = cx.loc;
    let zones = site.config.display_timezones.clone();
    let zone = f
        .talk
        .as_ref()
        .and_then(|t| ix.page(site, Kind::Talk, t))
        .and_then(|p| match &p.source.front {
            Front::Talk(t) => Some((
                t.venue.timezone.0.clone(),
                time::venue_label(loc, t.venue.city.as_deref()),
            )),
            _ => None,
        });
    let cites = cx.marks(&f.sources);
    json!({
        "id": page.id, "title": f.title, "lang": site.text_lang(&page.source, "title"),
        "date": f.date.as_ref().map(|d| time::relabel(
            time::view(loc, d, zone.as_ref().map(|z| z.0.as_str()), &zones, false),
            zone.as_ref().map(|z| z.1.as_str()),
        )),
        "party": party_ref(site, ix, &f.party),
        "speaker": f.speaker.as_ref().map(|p| person_ref(site, ix, p)),
        "topics": f.topics.iter().map(|t| topic_ref(site, ix, t)).collect::<Vec<_>>(),
        "talk": f.talk.as_ref().map(|t| talk_ref(site, ix, loc, t)),
        "cites": cites,
    })
}

/// What lists a record: the records of each backlinked kind that reference it, grouped by kind
/// (`[{kind, label, items: [{title, url, date}]}]`), newest first within a kind.
pub(crate) fn backlinks_view(site: &Site, ix: &Index, loc: &Locale, page: usize) -> Vec<Value> {
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
        let items: Vec<Value> = items
            .into_iter()
            .map(|p| {
                let c = p.source.front.common();
                json!({
                    "title": c.title, "url": site.config.url(&p.path),
                    "lang": site.title_lang(&p.source),
                    "date": c.date.map(|d| time::view(loc, d, None, zones, false)),
                })
            })
            .collect();
        groups.push(json!({"kind": kind, "label": loc.t(kind.decl().nav), "items": items}));
    }
    groups
}
