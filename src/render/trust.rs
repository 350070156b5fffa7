//! What readers are told to trust a page: its byline, when it was published and last updated,
//! how sure each value is (approximate, or disputed with every account cited), the bottom line
//! and what to watch; and the site's `/changes/` and `/corrections/` pages.
//!
//! One rule decides a page's "last updated" ([`stamps`]), and the page header, the status
//! badge, JSON-LD `dateModified`, the feed's `updated` and the sitemap's `<lastmod>` all read it.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Value, json};

use crate::i18n::FluentValue;
use crate::load::kinds::Kind;
use crate::load::records::{Front, MaybeApprox, OutcomeKind, Stance, TalkFront, UpdateKind};
use crate::load::trust::{Account, AuthorKind, AuthorRef, Fact, Minutes, Uncertain, WatchItem};
use crate::model::{Page, Site};
use crate::parse::dates::DateValue;
use crate::render::deps::{self, Dep};
use crate::render::publish::instant;
use crate::render::time::{self, TimeView};
use crate::render::views::{Index, PageCtx, PartyRef, TitleLink, TopicRef, party_ref, topic_ref};

/// One name of a byline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Author {
    pub(crate) name: String,
    pub(crate) url: Option<String>,
    pub(crate) kind: AuthorKind,
}

impl Author {
    /// schema.org `Person` or `Organization`.
    pub(crate) fn jsonld(&self) -> Value {
        let kind = match self.kind {
            AuthorKind::Person => "Person",
            AuthorKind::Organization => "Organization",
        };
        match &self.url {
            Some(u) => json!({"@type": kind, "name": self.name, "url": u}),
            None => json!({"@type": kind, "name": self.name}),
        }
    }
}

/// A page's byline: its `authors`, else the site's `author` (an organisation), else nobody.
pub(crate) fn authors(site: &Site, front: &Front) -> Vec<Author> {
    let own = front.common().authors;
    if own.is_empty() {
        return site
            .config
            .author
            .iter()
            .map(|name| Author {
                name: name.clone(),
                url: None,
                kind: AuthorKind::Organization,
            })
            .collect();
    }
    own.iter()
        .map(|a| match a {
            AuthorRef::Id(id) => match site.briefing.authors.iter().find(|e| &e.id == id) {
                Some(e) => Author {
                    name: e.name.clone(),
                    url: e.url.clone(),
                    kind: e.kind,
                },
                // Unknown ids are errors of the model stage; this is not reached.
                None => Author {
                    name: id.clone(),
                    url: None,
                    kind: AuthorKind::Person,
                },
            },
            AuthorRef::Name { name, url, kind } => Author {
                name: name.clone(),
                url: url.clone(),
                kind: *kind,
            },
        })
        .collect()
}

/// "The editors", "A and B", "A, B and C" in the reader's language.
pub(crate) fn names(loc: &crate::i18n::Locale, authors: &[Author]) -> String {
    let n: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
    match n.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{}{}{last}", init.join(", "), loc.t("list-and")),
    }
}

/// A content date and whether it is approximate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp<'a> {
    pub(crate) at: &'a DateValue,
    pub(crate) approximate: bool,
}

/// When a page was published and last updated, from its content alone.
///
/// Published: `date` (a talk: its `date`, else its first update-log entry). Last updated:
/// `updated`, else (a talk) its latest update-log entry, else the published date.
pub(crate) fn stamps(front: &Front) -> (Option<Stamp<'_>>, Option<Stamp<'_>>) {
    let c = front.common();
    fn plain(d: &DateValue) -> Stamp<'_> {
        Stamp {
            at: d,
            approximate: false,
        }
    }
    match front {
        Front::Talk(t) => {
            let zone = t.venue.timezone.0.as_str();
            let key = |u: &&crate::load::records::Update| instant(&u.at, Some(zone));
            let first = t.updates.iter().min_by_key(key).map(|u| Stamp {
                at: &u.at,
                approximate: u.approximate,
            });
            let latest = t.updates.iter().max_by_key(key).map(|u| Stamp {
                at: &u.at,
                approximate: u.approximate,
            });
            let published = t.date.as_ref().map(plain).or(first);
            let updated = t.updated.as_ref().map(plain).or(latest).or(published);
            (published, updated)
        }
        _ => {
            let published = c.date.map(plain);
            (published, c.updated.map(plain).or(published))
        }
    }
}

/// The front page's `trust`: its own byline and bottom line and watch list when `_index.md`
/// gives them, else the latest round's; its dates, else the latest round's. Cited on `cx`.
pub(crate) fn front_view(
    cx: &mut PageCtx<'_>,
    home: Option<&crate::load::SourcePage>,
    latest: Option<&Page>,
) -> TrustView {
    let site = cx.site;
    let own_dates = home.is_some_and(|h| h.front.common().date.is_some());
    let mut m = match (home, latest) {
        (Some(h), _) if own_dates => header_view(site, &h.front),
        (_, Some(l)) => header_view(site, &l.source.front),
        (Some(h), None) => header_view(site, &h.front),
        (None, None) => TrustView::default(),
    };
    if let Some(h) = home {
        let own = header_view(site, &h.front);
        m.byline = own.byline;
        m.authors = own.authors;
    }
    // The status badge of the latest round says as of when.
    let as_of = latest.and_then(|l| header_view(site, &l.source.front).status_as_of.flatten());
    m.status_as_of = Some(as_of);
    let has = |s: &crate::load::SourcePage| {
        let (line, watch) = crate::model::trust::editorial(&s.front);
        (line.is_some(), !watch.is_empty())
    };
    let (home_line, home_watch) = home.map_or((false, false), has);
    let line = match (home, latest) {
        (Some(h), _) if home_line => bottom_line(cx, h),
        (_, Some(l)) => bottom_line(cx, &l.source),
        _ => None,
    };
    m.bottom_line = Some(line);
    m.watch_source = Some(if home_watch { "front" } else { "round" });
    m
}

/// The front page's watch list (its own, else the latest round's), cited on `cx`.
pub(crate) fn front_watch(
    cx: &mut PageCtx<'_>,
    home: Option<&crate::load::SourcePage>,
    latest: Option<&Page>,
) -> Vec<WatchView> {
    if let Some(h) = home
        && !crate::model::trust::editorial(&h.front).1.is_empty()
    {
        return watch_view(cx, h, None);
    }
    match latest.map(|l| (l, &l.source.front)) {
        Some((l, Front::Talk(t))) => watch_view(
            cx,
            &l.source,
            Some((t.venue.timezone.0.as_str(), t.venue.city.as_deref())),
        ),
        _ => Vec::new(),
    }
}

/// The zone a page's local times are read in.
fn zone_of(front: &Front) -> Option<&str> {
    match front {
        Front::Talk(t) => Some(t.venue.timezone.0.as_str()),
        _ => None,
    }
}

/// The instant a page was last updated (see [`stamps`]); dates coarser than a day do not count.
pub(crate) fn last_modified(front: &Front) -> Option<Timestamp> {
    let (_, updated) = stamps(front);
    updated
        .filter(|s| s.at.day().is_some())
        .map(|s| instant(s.at, zone_of(front)))
}

/// The instant a page was published (see [`stamps`]).
pub(crate) fn published(front: &Front) -> Option<Timestamp> {
    let (published, _) = stamps(front);
    published
        .filter(|s| s.at.day().is_some())
        .map(|s| instant(s.at, zone_of(front)))
}

/// A talk's end: its actual end, else its start (actual, else scheduled) plus `duration`.
pub(crate) fn talk_end(t: &TalkFront) -> Option<Timestamp> {
    let zone = Some(t.venue.timezone.0.as_str());
    if let Some(e) = &t.actual_end {
        return Some(instant(&e.at, zone));
    }
    let d = t.duration.as_ref()?;
    let start = t
        .actual_start
        .as_ref()
        .map(|a| &a.at)
        .or(t.scheduled_start.as_ref())?;
    // A start with only a date says nothing about when it ended.
    if !matches!(
        start,
        DateValue::Local(_) | DateValue::Instant(..) | DateValue::Zoned(_)
    ) {
        return None;
    }
    instant(start, zone)
        .checked_add(jiff::SignedDuration::from_mins(i64::from(d.value.0)))
        .ok()
}

/// A time view in the page's zone (a talk's venue), approximate as given.
fn when(site: &Site, front: &Front, s: Stamp<'_>) -> TimeView {
    let zones = &site.config.display_timezones;
    let loc = super::locale(site);
    match front {
        Front::Talk(t) => time::at_venue(
            loc,
            s.at,
            &t.venue.timezone.0,
            t.venue.city.as_deref(),
            zones,
            s.approximate,
        ),
        _ => time::view(loc, s.at, None, &[], s.approximate),
    }
}

/// `trust` in a page's template: byline and dates, and, by page, the bottom line, a talk's key
/// facts and what to watch. A key the kind of page does not have is absent, not null: an
/// outer `None` leaves the key out, an inner one is null.
#[derive(Serialize, Default)]
pub(crate) struct TrustView {
    /// The names of the byline, joined ("A and B").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) byline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) authors: Option<Vec<Author>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) published: Option<Option<TimeView>>,
    /// Null when the same as `published`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) updated: Option<Option<TimeView>>,
    /// A talk's and the front page's: what the status badge is as of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status_as_of: Option<Option<TimeView>>,
    /// Generic pages, talks and the front page: rendered inline Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) bottom_line: Option<Option<String>>,
    /// A talk's disputed start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) began: Option<Option<TimeAccounts>>,
    /// A talk's disputed end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ended: Option<Option<TimeAccounts>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duration: Option<Option<DurationView>>,
    /// A talk's further key facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) facts: Option<Vec<FactView>>,
    /// Generic pages, talks and the front page: what to watch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) watch: Option<Vec<WatchView>>,
    /// The front page's: whose watch list it shows, `front` or `round`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) watch_source: Option<&'static str>,
}

/// `trust` in a page's template: byline, published, updated, and (a talk's) status "as of".
pub(crate) fn header_view(site: &Site, front: &Front) -> TrustView {
    let by = authors(site, front);
    let (published, updated) = stamps(front);
    let same = match (published, updated) {
        (Some(p), Some(u)) => p.at == u.at,
        _ => false,
    };
    TrustView {
        byline: Some(names(super::locale(site), &by)),
        authors: Some(by),
        published: Some(published.map(|s| when(site, front, s))),
        updated: Some(updated.filter(|_| !same).map(|s| when(site, front, s))),
        status_as_of: match front {
            Front::Talk(_) => Some(updated.map(|s| when(site, front, s))),
            _ => None,
        },
        ..TrustView::default()
    }
}

/// The citations of one account (its text, then its sources not already cited). `key` is the
/// path of its note (`duration.accounts.0.note`), for its `lang` when untranslated.
fn account_view(
    cx: &mut PageCtx<'_>,
    page: &Page,
    (note, key): (Option<&str>, String),
    sources: &[String],
) -> (Option<String>, String) {
    let note = note.map(|n| cx.inline_of(&page.source, &key, n));
    let cites = cx.marks(sources);
    (note, cites)
}

/// `trust.began`/`ended`: a disputed time, each account with its time at the venue.
#[derive(Serialize)]
pub(crate) struct TimeAccounts {
    /// Always true.
    pub(crate) disputed: bool,
    pub(crate) accounts: Vec<TimeAccount>,
}

/// One account of a disputed time.
#[derive(Serialize)]
pub(crate) struct TimeAccount {
    pub(crate) t: TimeView,
    pub(crate) note: Option<String>,
    pub(crate) cites: String,
}

/// A disputed time: each account with its time at the venue and its citations.
fn time_accounts(
    cx: &mut PageCtx<'_>,
    page: &Page,
    t: &TalkFront,
    (m, at): (&MaybeApprox, &str),
) -> TimeAccounts {
    let loc = cx.loc;
    let accounts = m
        .accounts
        .iter()
        .enumerate()
        .map(|(k, a): (usize, &Account<DateValue>)| {
            let tv = time::at_venue(
                loc,
                &a.value,
                &t.venue.timezone.0,
                t.venue.city.as_deref(),
                &cx.site.config.display_timezones,
                a.approximate,
            );
            let note = (a.note.as_deref(), format!("{at}.accounts.{k}.note"));
            let (note, cites) = account_view(cx, page, note, &a.sources);
            TimeAccount { t: tv, note, cites }
        })
        .collect();
    TimeAccounts {
        disputed: true,
        accounts,
    }
}

/// An amount, "about" it when approximate ("about 2 hours").
pub(crate) fn about(loc: &crate::i18n::Locale, approximate: bool, text: String) -> String {
    if approximate {
        loc.t_args("about-amount", &[("amount", FluentValue::from(text))])
    } else {
        text
    }
}

/// A length of time in words: "1 hour 30 minutes", "1 година 30 хвилин".
pub(crate) fn duration_text(loc: &crate::i18n::Locale, m: Minutes) -> String {
    let (h, min) = (m.0 / 60, m.0 % 60);
    let unit = |key: &str, n: u32| loc.t_args(key, &[("n", FluentValue::from(n))]);
    match (h, min) {
        (0, min) => unit("duration-minutes", min),
        (h, 0) => unit("duration-hours", h),
        (h, min) => format!(
            "{} {}",
            unit("duration-hours", h),
            unit("duration-minutes", min)
        ),
    }
}

/// One account of a disputed amount (a duration, a fact).
#[derive(Serialize)]
pub(crate) struct AmountAccount {
    pub(crate) text: String,
    pub(crate) note: Option<String>,
    pub(crate) cites: String,
}

/// `trust.duration`: `text` when undisputed, else `accounts`.
#[derive(Serialize)]
pub(crate) struct DurationView {
    pub(crate) disputed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) accounts: Option<Vec<AmountAccount>>,
}

/// A duration: its text, or each account's when disputed.
fn duration_view(cx: &mut PageCtx<'_>, page: &Page, d: &Uncertain<Minutes>) -> DurationView {
    let loc = cx.loc;
    if !d.disputed() {
        return DurationView {
            disputed: false,
            text: Some(about(loc, d.approximate, duration_text(loc, d.value))),
            accounts: None,
        };
    }
    let accounts = d
        .accounts
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let note = (a.note.as_deref(), format!("duration.accounts.{k}.note"));
            let (note, cites) = account_view(cx, page, note, &a.sources);
            AmountAccount {
                text: about(loc, a.approximate, duration_text(loc, a.value)),
                note,
                cites,
            }
        })
        .collect();
    DurationView {
        disputed: true,
        text: None,
        accounts: Some(accounts),
    }
}

/// `trust.facts[]`: a key fact, `text` and `cites` when undisputed, else `accounts`.
#[derive(Serialize)]
pub(crate) struct FactView {
    pub(crate) label: String,
    /// The label's `lang` when the edition shows it untranslated.
    pub(crate) label_lang: Option<String>,
    pub(crate) disputed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cites: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) accounts: Option<Vec<AmountAccount>>,
}

/// Fact `n` of a talk's `facts`.
fn fact_view(cx: &mut PageCtx<'_>, page: &Page, (n, f): (usize, &Fact)) -> FactView {
    let v = &f.value;
    let loc = cx.loc;
    let label_lang = cx
        .site
        .text_lang(&page.source, &format!("facts.{n}.label"))
        .map(str::to_string);
    if !v.disputed() {
        let cites = cx.marks(&f.sources);
        return FactView {
            label: f.label.clone(),
            label_lang,
            disputed: false,
            text: Some(about(loc, v.approximate, v.value.0.clone())),
            cites: Some(cites),
            accounts: None,
        };
    }
    let accounts = v
        .accounts
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let note = (a.note.as_deref(), format!("facts.{n}.accounts.{k}.note"));
            let (note, cites) = account_view(cx, page, note, &a.sources);
            AmountAccount {
                text: about(loc, a.approximate, a.value.0.clone()),
                note,
                cites,
            }
        })
        .collect();
    FactView {
        label: f.label.clone(),
        label_lang,
        disputed: true,
        text: None,
        cites: None,
        accounts: Some(accounts),
    }
}

/// The bottom line, rendered (inline Markdown, cited on `cx`).
pub(crate) fn bottom_line(
    cx: &mut PageCtx<'_>,
    source: &crate::load::SourcePage,
) -> Option<String> {
    let (line, _) = crate::model::trust::editorial(&source.front);
    line.map(|l| cx.inline_of(source, "bottom_line", l))
}

/// `trust.watch[]`: an item of "what to watch".
#[derive(Serialize)]
pub(crate) struct WatchView {
    pub(crate) text: String,
    pub(crate) cites: String,
    /// At the talk's venue on a talk's page.
    pub(crate) date: Option<TimeView>,
}

/// The "what to watch" list, rendered (citations on `cx`).
pub(crate) fn watch_view(
    cx: &mut PageCtx<'_>,
    source: &crate::load::SourcePage,
    zone: Option<(&str, Option<&str>)>,
) -> Vec<WatchView> {
    let (_, items) = crate::model::trust::editorial(&source.front);
    let loc = cx.loc;
    items
        .iter()
        .enumerate()
        .map(|(n, w): (usize, &WatchItem)| {
            let text = cx.inline_of(source, &format!("watch.{n}.text"), &w.text);
            let cites = cx.marks(&w.sources);
            let date = w.date.as_ref().map(|d| match zone {
                Some((z, city)) => {
                    time::at_venue(loc, d, z, city, &cx.site.config.display_timezones, false)
                }
                None => time::view(loc, d, None, &[], false),
            });
            WatchView { text, cites, date }
        })
        .collect()
}

/// A talk's key facts beyond the logistics, in reading order, put in `trust`: bottom line,
/// disputed start and end, duration, further facts. Numbered on `cx` before the rest of the
/// talk's view.
pub(crate) fn talk_facts(cx: &mut PageCtx<'_>, page: &Page, t: &TalkFront, trust: &mut TrustView) {
    trust.bottom_line = Some(bottom_line(cx, &page.source));
    trust.began = Some(
        t.actual_start
            .as_ref()
            .filter(|a| !a.accounts.is_empty())
            .map(|a| time_accounts(cx, page, t, (a, "actual_start"))),
    );
    trust.ended = Some(
        t.actual_end
            .as_ref()
            .filter(|a| !a.accounts.is_empty())
            .map(|a| time_accounts(cx, page, t, (a, "actual_end"))),
    );
    trust.duration = Some(t.duration.as_ref().map(|d| duration_view(cx, page, d)));
    trust.facts = Some(
        t.facts
            .iter()
            .enumerate()
            .map(|f| fact_view(cx, page, f))
            .collect(),
    );
}

/// `corrections[]` on the corrections page: a correction in a talk's update log.
#[derive(Serialize)]
pub(crate) struct CorrectionView<'a> {
    pub(crate) date: TimeView,
    pub(crate) text: String,
    /// The talk corrected.
    pub(crate) page: TitleLink<'a>,
    /// The correction's entry in the talk's log.
    pub(crate) url: String,
}

/// Every correction of the site: `{date, text, page: {title, url, lang}, url}`, newest first.
/// `text` is rendered by `html(page, n, update)`, `n` the update's place in the talk's log.
pub(crate) fn corrections<'a>(
    site: &'a Site,
    ix: &Index,
    html: &mut dyn FnMut(&Page, usize, &crate::load::records::Update) -> String,
) -> Vec<CorrectionView<'a>> {
    ix.all(Kind::Talk);
    let zones = &site.config.display_timezones;
    let loc = super::locale(site);
    let mut out: Vec<(Timestamp, CorrectionView<'a>)> = Vec::new();
    for &i in site.briefing.talks().values() {
        let p = &site.pages[i];
        let Front::Talk(t) = &p.source.front else {
            continue;
        };
        let zone = t.venue.timezone.0.as_str();
        let anchors = crate::render::publish::update_anchors(t);
        for (j, (u, anchor)) in t
            .updates
            .iter()
            .zip(anchors)
            .enumerate()
            .filter(|(_, (u, _))| u.kind == UpdateKind::Correction)
        {
            let at = instant(&u.at, Some(zone));
            out.push((
                at,
                CorrectionView {
                    date: time::at_venue(
                        loc,
                        &u.at,
                        zone,
                        t.venue.city.as_deref(),
                        zones,
                        u.approximate,
                    ),
                    text: html(p, j, u),
                    page: TitleLink {
                        title: &t.title,
                        url: site.config.url(&p.path),
                        lang: site.text_lang(&p.source, "title"),
                    },
                    url: format!("{}#{anchor}", site.config.url(&p.path)),
                },
            ));
        }
    }
    out.sort_by_key(|o| std::cmp::Reverse(o.0));
    out.into_iter().map(|(_, v)| v).collect()
}

/// `changes[]` on the changes page: a stance change, an outcome or a correction (`kind`).
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum ChangeView<'a> {
    Stance(StanceChange<'a>),
    Outcome(OutcomeChange<'a>),
    Correction(CorrectionChange<'a>),
}

/// A party's stance on a topic changed (`kind` is `stance`).
#[derive(Serialize)]
pub(crate) struct StanceChange<'a> {
    pub(crate) kind: &'static str,
    pub(crate) label: String,
    pub(crate) date: TimeView,
    pub(crate) party: PartyRef<'a>,
    pub(crate) topic: TopicRef<'a>,
    /// The stances' labels, before and now.
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) from_stance: Stance,
    pub(crate) to_stance: Stance,
    pub(crate) text: String,
    pub(crate) cites: String,
}

/// An outcome of a talk (`kind` is `outcome`).
#[derive(Serialize)]
pub(crate) struct OutcomeChange<'a> {
    pub(crate) kind: &'static str,
    pub(crate) label: String,
    pub(crate) outcome: OutcomeKind,
    pub(crate) date: TimeView,
    pub(crate) talk: TitleLink<'a>,
    pub(crate) by: Option<PartyRef<'a>>,
    pub(crate) text: String,
    pub(crate) cites: String,
}

/// A correction in a talk's update log (`kind` is `correction`; `talk.url` is the entry's).
#[derive(Serialize)]
pub(crate) struct CorrectionChange<'a> {
    pub(crate) kind: &'static str,
    pub(crate) label: String,
    pub(crate) date: TimeView,
    pub(crate) talk: TitleLink<'a>,
    pub(crate) text: String,
    pub(crate) cites: String,
}

/// Every stance change, outcome and correction, newest first: `{kind, label, date, ...}`.
pub(crate) fn changes<'a>(cx: &mut PageCtx<'a>, ix: &Index) -> Vec<ChangeView<'a>> {
    let site = cx.site;
    let loc = cx.loc;
    ix.all(Kind::Party);
    ix.all(Kind::Talk);
    ix.all(Kind::Topic);
    let zones = &site.config.display_timezones;
    // (instant, order within the instant, view)
    let mut out: Vec<(Timestamp, usize, ChangeView<'a>)> = Vec::new();
    for (pid, &pi) in site.briefing.parties() {
        let pp = &site.pages[pi];
        let Front::Party(f) = &pp.source.front else {
            continue;
        };
        // Each position with its place in the list (its text's key: `positions.<n>.summary`).
        type Numbered<'p> = Vec<(usize, &'p crate::load::records::Position)>;
        let mut by_topic: std::collections::BTreeMap<&str, Numbered<'_>> =
            std::collections::BTreeMap::new();
        for (n, x) in f.positions.iter().enumerate() {
            by_topic.entry(&x.topic).or_default().push((n, x));
        }
        for (topic, mut hist) in by_topic {
            hist.sort_by_key(|(_, x)| x.as_of.start());
            for w in hist.windows(2) {
                let ((_, before), (n, now)) = (w[0], w[1]);
                if before.stance == now.stance {
                    continue;
                }
                let summary =
                    cx.inline_of(&pp.source, &format!("positions.{n}.summary"), &now.summary);
                let cites = cx.marks(&now.sources);
                out.push((
                    instant(&now.as_of, None),
                    0,
                    ChangeView::Stance(StanceChange {
                        kind: "stance",
                        label: loc.t("change-stance"),
                        date: time::view(loc, &now.as_of, None, zones, false),
                        party: party_ref(site, ix, pid),
                        topic: topic_ref(site, ix, topic),
                        from: before.stance_label(loc),
                        to: super::views::label(loc, "stance", &now.stance),
                        from_stance: before.stance,
                        to_stance: now.stance,
                        text: summary,
                        cites,
                    }),
                ));
            }
        }
    }
    for tid in &site.briefing.talk_order {
        let Some(tp) = ix.page(site, Kind::Talk, tid) else {
            continue;
        };
        let Front::Talk(t) = &tp.source.front else {
            continue;
        };
        let zone = t.venue.timezone.0.as_str();
        let title_lang = site.text_lang(&tp.source, "title");
        let at = t
            .actual_end
            .as_ref()
            .map(|e| &e.at)
            .or(t.actual_start.as_ref().map(|a| &a.at))
            .or(t.scheduled_start.as_ref())
            .or(t.date.as_ref());
        if let Some(at) = at {
            for (n, o) in t.outcomes.iter().enumerate() {
                let text = cx.inline_of(&tp.source, &format!("outcomes.{n}.text"), &o.text);
                let cites = cx.marks(&o.sources);
                out.push((
                    instant(at, Some(zone)),
                    1,
                    ChangeView::Outcome(OutcomeChange {
                        kind: "outcome",
                        label: super::views::label(loc, "outcome", &o.kind),
                        outcome: o.kind,
                        date: time::at_venue(loc, at, zone, t.venue.city.as_deref(), zones, false),
                        talk: TitleLink {
                            title: &t.title,
                            url: site.config.url(&tp.path),
                            lang: title_lang,
                        },
                        by: o.by.as_ref().map(|p| party_ref(site, ix, p)),
                        text,
                        cites,
                    }),
                ));
            }
        }
        let anchors = crate::render::publish::update_anchors(t);
        for (n, (u, anchor)) in t
            .updates
            .iter()
            .zip(anchors)
            .enumerate()
            .filter(|(_, (u, _))| u.kind == UpdateKind::Correction)
        {
            let text = cx.inline_of(&tp.source, &format!("updates.{n}.text"), &u.text);
            let cites = cx.marks(&u.sources);
            let ts = instant(&u.at, Some(zone));
            out.push((
                ts,
                2,
                ChangeView::Correction(CorrectionChange {
                    kind: "correction",
                    label: loc.t("correction"),
                    date: time::at_venue(
                        loc,
                        &u.at,
                        zone,
                        t.venue.city.as_deref(),
                        zones,
                        u.approximate,
                    ),
                    talk: TitleLink {
                        title: &t.title,
                        url: format!("{}#{}", site.config.url(&tp.path), anchor),
                        lang: title_lang,
                    },
                    text,
                    cites,
                }),
            ));
        }
    }
    deps::read(Dep::Timeline);
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, _, v)| v).collect()
}

/// `history` of a party's positions on a topic (a matrix cell, a topic page's party): how its
/// stance changed and since when.
#[derive(Serialize)]
pub(crate) struct HistoryView {
    /// `rejects → conditional`, oldest first.
    pub(crate) text: String,
    pub(crate) since: TimeView,
}

/// The history of a party's positions on `topic` when its stance changed, else `None` (null).
pub(crate) fn history_view(
    loc: &crate::i18n::Locale,
    positions: &[crate::load::records::Position],
    topic: &str,
) -> Option<HistoryView> {
    let mine: Vec<&crate::load::records::Position> =
        positions.iter().filter(|p| p.topic == topic).collect();
    history_text(loc, &mine).map(|(text, since)| HistoryView {
        text,
        since: time::view(loc, &since, None, &[], false),
    })
}

/// How a party's stance on a topic changed: `rejects → conditional`, oldest first, and the
/// date of the current one, or `None` when it never changed.
pub(crate) fn history_text(
    loc: &crate::i18n::Locale,
    positions: &[&crate::load::records::Position],
) -> Option<(String, DateValue)> {
    let mut hist: Vec<&crate::load::records::Position> = positions.to_vec();
    hist.sort_by_key(|x| x.as_of.start());
    let mut steps: Vec<String> = Vec::new();
    let mut since = None;
    for x in &hist {
        let label = x.stance_label(loc);
        if steps.last() != Some(&label) {
            steps.push(label);
            since = Some(x.as_of.clone());
        }
    }
    if steps.len() < 2 {
        return None;
    }
    Some((steps.join(" → "), since?))
}

impl crate::load::records::Position {
    /// The stance's label in lower case (where the language has cases), as a history reads
    /// it (`rejects → conditional`, `відкидає → за умов`).
    pub(crate) fn stance_label(&self, loc: &crate::i18n::Locale) -> String {
        super::views::label(loc, "stance", &self.stance).to_lowercase()
    }
}

/// Markdown text with its citation marks (`[@id]`) taken out, for plain-text metadata.
pub(crate) fn without_cites(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("[@") {
        match rest[i..].find(']') {
            Some(j) => {
                out.push_str(rest[..i].trim_end_matches(' '));
                rest = &rest[i + j + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locales;

    #[test]
    fn lengths_of_time_in_each_language() {
        let l = Locales::default();
        let d = |lang: &str, m: u32| duration_text(l.get(lang), Minutes(m));
        assert_eq!(d("en", 90), "1 hour 30 minutes");
        assert_eq!(d("en", 45), "45 minutes");
        assert_eq!(d("en", 120), "2 hours");
        assert_eq!(d("uk", 90), "1 година 30 хвилин");
        assert_eq!(d("uk", 180 + 22), "3 години 22 хвилини");
        assert_eq!(d("uk", 300 + 1), "5 годин 1 хвилина");
        assert_eq!(d("ru", 120 + 21), "2 часа 21 минута");
        assert_eq!(d("ru", 660), "11 часов");
        assert_eq!(d("ko", 90), "1시간 30분");
        assert_eq!(about(l.get("uk"), true, d("uk", 120)), "приблизно 2 години");
    }
}
