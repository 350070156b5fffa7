//! `briefing.json`: the whole resolved model for data desks and other tools.
//!
//! The shape is the structs below (their fields declared in alphabetical order, the order of
//! the keys; `tests/publish.rs` checks it), versioned
//! (`"format": "briefing", "version"`) and documented in the README. Text fields are given as
//! written (inline Markdown); times are given as written and, where they denote an instant,
//! also in UTC (`utc`). Addresses (`url`) are absolute when the site has a `base_url`.

use serde::Serialize;

use crate::load::kinds::Kind;
use crate::load::records::{
    Front, OutcomeKind, PartyKind, PartyRole, SourceEntry, Stance, TalkFront, TalkStatus,
    Translator, UpdateKind,
};
use crate::model::Site;
use crate::parse::LanguageTag;
use crate::parse::dates::DateValue;
use crate::render::publish::instant;

/// Version of the export's shape; bump on any incompatible change (2: `url`s absolute under a
/// `base_url`).
pub(crate) const VERSION: u32 = 2;

/// The whole export.
#[derive(Serialize)]
pub(crate) struct Export<'a> {
    format: &'static str,
    parties: Vec<Party<'a>>,
    people: Vec<Person<'a>>,
    positions: Vec<PositionOut<'a>>,
    site: SiteInfo<'a>,
    sources: Vec<Source<'a>>,
    statements: Vec<Statement<'a>>,
    talks: Vec<Talk<'a>>,
    timeline: Vec<Event<'a>>,
    topics: Vec<Topic<'a>>,
    version: u32,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    /// The briefing's "now" (its date).
    as_of: Option<String>,
    base_url: Option<&'a str>,
    description: &'a str,
    language: &'a str,
    title: &'a str,
}

/// A date or time as written, its precision, and (to the minute) its instant in UTC.
#[derive(Serialize)]
struct Time {
    precision: &'static str,
    utc: Option<String>,
    value: String,
}

/// A date; when it is precise to the minute, also its instant (local times read as UTC).
fn date(v: &DateValue) -> Time {
    time(v, "UTC")
}

/// A time read in `zone` when it has none of its own.
fn time(v: &DateValue, zone: &str) -> Time {
    let utc = (v.precision() == "minute").then(|| {
        instant(v, Some(zone))
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    });
    Time {
        value: v.to_string(),
        precision: v.precision(),
        utc,
    }
}

#[derive(Serialize)]
struct Source<'a> {
    accessed: Option<Time>,
    archived_url: Option<&'a str>,
    carried_by: Option<&'a str>,
    id: &'a str,
    language: Option<&'a LanguageTag>,
    note: Option<&'a str>,
    published: Option<Time>,
    publisher: &'a str,
    title: Option<&'a str>,
    translation: Option<TranslationOut<'a>>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct TranslationOut<'a> {
    by: Translator,
    from: &'a LanguageTag,
    to: Option<&'a LanguageTag>,
}

fn source(s: &SourceEntry) -> Source<'_> {
    Source {
        id: &s.id,
        publisher: &s.publisher,
        title: s.title.as_deref(),
        url: s.url.as_deref(),
        archived_url: s.archived_url.as_deref(),
        published: s.published.as_ref().map(date),
        accessed: s.accessed.as_ref().map(date),
        language: s.language.as_ref(),
        carried_by: s.carried_by.as_deref(),
        translation: s.translation.as_ref().map(|t| TranslationOut {
            from: &t.from,
            to: t.to.as_ref(),
            by: t.by,
        }),
        note: s.note.as_deref(),
    }
}

#[derive(Serialize)]
struct PositionOut<'a> {
    as_of: Time,
    party: &'a str,
    sources: &'a [String],
    stance: Stance,
    summary: &'a str,
    topic: &'a str,
}

#[derive(Serialize)]
struct Party<'a> {
    adjective: Option<&'a str>,
    id: &'a str,
    kind: PartyKind,
    leaders: &'a [String],
    name: &'a str,
    roles: &'a [PartyRole],
    short_name: Option<&'a str>,
    url: String,
    variants: &'a [String],
}

#[derive(Serialize)]
struct Person<'a> {
    id: &'a str,
    name: &'a str,
    native_name: Option<NativeNameOut<'a>>,
    party: Option<&'a str>,
    roles: Vec<RoleOut<'a>>,
    url: String,
    variants: &'a [String],
}

#[derive(Serialize)]
struct NativeNameOut<'a> {
    lang: &'a LanguageTag,
    text: &'a str,
}

#[derive(Serialize)]
struct RoleOut<'a> {
    from: Option<Time>,
    organisation: Option<&'a str>,
    sources: &'a [String],
    title: &'a str,
    to: Option<Time>,
}

#[derive(Serialize)]
struct Topic<'a> {
    id: &'a str,
    summary: Option<&'a str>,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Statement<'a> {
    date: Option<Time>,
    id: &'a str,
    party: &'a str,
    sources: &'a [String],
    speaker: Option<&'a str>,
    summary: Option<&'a str>,
    tags: &'a [String],
    talk: Option<&'a str>,
    title: &'a str,
    topics: &'a [String],
    url: String,
}

#[derive(Serialize)]
struct Event<'a> {
    date: Time,
    id: &'a str,
    parties: &'a [String],
    people: &'a [String],
    /// The record the event stands for.
    record: Option<RecordRef<'a>>,
    sources: &'a [String],
    /// The talk the event stands for.
    talk: Option<&'a str>,
    talks: &'a [String],
    text: Option<&'a str>,
    /// As the timeline shows it, in the edition's language.
    title: String,
    topics: &'a [String],
    /// For an entry of a talk's update log: its kind.
    update: Option<UpdateKind>,
    url: String,
}

#[derive(Serialize)]
struct RecordRef<'a> {
    id: &'a str,
    kind: Kind,
}

#[derive(Serialize)]
struct Talk<'a> {
    actual_end: Option<Approx>,
    actual_start: Option<Approx>,
    agenda: Vec<AgendaOut<'a>>,
    /// The byline: the talk's `authors`, else the site's `author`.
    authors: Vec<AuthorOut>,
    /// The bottom line (inline Markdown, as written).
    bottom_line: Option<&'a str>,
    delegations: Vec<DelegationOut<'a>>,
    format: Option<&'a str>,
    id: &'a str,
    mediators: Vec<MediatorOut<'a>>,
    outcomes: Vec<OutcomeOut<'a>>,
    /// When the page was first published and last updated (UTC), as the page header says.
    published: Option<String>,
    rescheduled: Vec<RescheduledOut<'a>>,
    scheduled_start: Option<Time>,
    sources: &'a [String],
    status: TalkStatus,
    summary: Option<&'a str>,
    tags: &'a [String],
    title: &'a str,
    updated: Option<String>,
    updates: Vec<UpdateOut<'a>>,
    url: String,
    venue: VenueOut<'a>,
    watch: Vec<WatchOut<'a>>,
}

/// One name of a byline (`trust::Author`, its keys in order).
#[derive(Serialize)]
struct AuthorOut {
    kind: crate::load::trust::AuthorKind,
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct WatchOut<'a> {
    date: Option<Time>,
    sources: &'a [String],
    text: &'a str,
}

#[derive(Serialize)]
struct VenueOut<'a> {
    city: Option<&'a str>,
    country: Option<&'a str>,
    name: &'a str,
    timezone: &'a str,
}

#[derive(Serialize)]
struct Approx {
    approximate: bool,
    time: Time,
}

#[derive(Serialize)]
struct MediatorOut<'a> {
    note: Option<&'a str>,
    party: &'a str,
    person: Option<&'a str>,
    role: Option<&'a str>,
    sources: &'a [String],
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct PersonRefOut<'a> {
    person: &'a str,
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct DelegationOut<'a> {
    head: Option<PersonRefOut<'a>>,
    members: Vec<PersonRefOut<'a>>,
    note: Option<&'a str>,
    party: &'a str,
    sources: &'a [String],
}

#[derive(Serialize)]
struct AgendaOut<'a> {
    note: Option<&'a str>,
    proposed_by: Option<&'a str>,
    sources: &'a [String],
    topic: &'a str,
}

#[derive(Serialize)]
struct OutcomeOut<'a> {
    by: Option<&'a str>,
    kind: OutcomeKind,
    sources: &'a [String],
    text: &'a str,
    topics: &'a [String],
}

#[derive(Serialize)]
struct UpdateOut<'a> {
    approximate: bool,
    at: Time,
    kind: UpdateKind,
    sources: &'a [String],
    text: &'a str,
}

#[derive(Serialize)]
struct RescheduledOut<'a> {
    from: Time,
    note: Option<&'a str>,
}

/// Build the export.
pub(crate) fn export(site: &Site) -> Export<'_> {
    let b = &site.briefing;
    // Absolute where the site has a base URL, so a consumer needs nothing else to follow it.
    let url = |path: &str| {
        site.config
            .absolute_url(path)
            .unwrap_or_else(|| site.config.url(path))
    };
    let mut talks = Vec::new();
    let mut parties = Vec::new();
    let mut people = Vec::new();
    let mut topics = Vec::new();
    let mut positions = Vec::new();
    let mut statements = Vec::new();
    // One arm per kind: a new kind must say here what the export shows of it.
    for &kind in Kind::ALL {
        match kind {
            Kind::Talk => {
                for id in &b.talk_order {
                    let Some(i) = b.get(Kind::Talk, id) else {
                        continue;
                    };
                    let p = &site.pages[i];
                    let Front::Talk(t) = &p.source.front else {
                        continue;
                    };
                    talks.push(talk(site, &p.source.front, t, id, url(&p.path)));
                }
            }
            Kind::Party => {
                for (id, &i) in b.parties() {
                    let p = &site.pages[i];
                    let Front::Party(f) = &p.source.front else {
                        continue;
                    };
                    for pos in &f.positions {
                        positions.push(PositionOut {
                            party: id,
                            topic: &pos.topic,
                            stance: pos.stance,
                            summary: &pos.summary,
                            as_of: date(&pos.as_of),
                            sources: &pos.sources,
                        });
                    }
                    parties.push(Party {
                        id,
                        url: url(&p.path),
                        name: &f.name,
                        short_name: f.short_name.as_deref(),
                        variants: &f.variants,
                        adjective: f.adjective.as_deref(),
                        kind: f.kind,
                        roles: &f.roles,
                        leaders: &f.leaders,
                    });
                }
            }
            Kind::Person => {
                for (id, &i) in b.people() {
                    let p = &site.pages[i];
                    let Front::Person(f) = &p.source.front else {
                        continue;
                    };
                    people.push(Person {
                        id,
                        url: url(&p.path),
                        name: &f.name,
                        native_name: f.native_name.as_ref().map(|n| NativeNameOut {
                            text: &n.text,
                            lang: &n.lang,
                        }),
                        variants: &f.variants,
                        party: f.party.as_deref(),
                        roles: f
                            .roles
                            .iter()
                            .map(|r| RoleOut {
                                title: &r.title,
                                organisation: r.organisation.as_deref(),
                                from: r.from.as_ref().map(date),
                                to: r.to.as_ref().map(date),
                                sources: &r.sources,
                            })
                            .collect(),
                    });
                }
            }
            Kind::Topic => {
                for (id, &i) in b.topics() {
                    let p = &site.pages[i];
                    let Front::Topic(f) = &p.source.front else {
                        continue;
                    };
                    topics.push(Topic {
                        id,
                        url: url(&p.path),
                        title: &f.title,
                        summary: f.summary.as_deref(),
                    });
                }
            }
            Kind::Statement => {
                for (id, &i) in b.ids(Kind::Statement) {
                    let p = &site.pages[i];
                    let Front::Statement(f) = &p.source.front else {
                        continue;
                    };
                    statements.push(Statement {
                        id,
                        url: url(&p.path),
                        title: &f.title,
                        summary: f.summary.as_deref(),
                        date: f.date.as_ref().map(date),
                        party: &f.party,
                        speaker: f.speaker.as_deref(),
                        topics: &f.topics,
                        talk: f.talk.as_deref(),
                        sources: &f.sources,
                        tags: &f.tags,
                    });
                }
            }
        }
    }
    let timeline_url = url("timeline/");
    let loc = super::locale(site);
    let timeline = b
        .timeline
        .iter()
        .map(|e| Event {
            id: &e.anchor,
            url: format!("{timeline_url}#{}", e.anchor),
            date: date(&e.date),
            title: super::views::event_title(loc, e),
            text: e.text.as_deref(),
            parties: &e.parties,
            topics: &e.topics,
            talks: &e.talks,
            people: &e.people,
            sources: &e.sources,
            talk: e.talk(),
            record: e
                .record
                .as_ref()
                .map(|(kind, id)| RecordRef { kind: *kind, id }),
            update: e.update,
        })
        .collect();
    Export {
        format: "briefing",
        version: VERSION,
        site: SiteInfo {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: site.config.base_url.as_deref(),
            as_of: b.now.map(|n| n.date().to_string()),
        },
        talks,
        parties,
        people,
        topics,
        statements,
        positions,
        timeline,
        sources: b.sources.iter().map(source).collect(),
    }
}

fn talk<'a>(
    site: &Site,
    front: &'a crate::load::records::Front,
    t: &'a TalkFront,
    id: &'a str,
    url: String,
) -> Talk<'a> {
    let z = t.venue.timezone.0.as_str();
    let approx = |a: &crate::load::records::MaybeApprox| Approx {
        time: time(&a.at, z),
        approximate: a.approximate,
    };
    let person = |h: &'a crate::load::records::PersonRef| PersonRefOut {
        person: &h.person,
        title: h.title.as_deref(),
    };
    Talk {
        id,
        url,
        title: &t.title,
        summary: t.summary.as_deref(),
        status: t.status,
        format: t.format.as_deref(),
        venue: VenueOut {
            name: &t.venue.name,
            city: t.venue.city.as_deref(),
            country: t.venue.country.as_deref(),
            timezone: z,
        },
        scheduled_start: t.scheduled_start.as_ref().map(|v| time(v, z)),
        actual_start: t.actual_start.as_ref().map(approx),
        actual_end: t.actual_end.as_ref().map(approx),
        mediators: t
            .mediators
            .iter()
            .map(|m| MediatorOut {
                party: &m.party,
                person: m.person.as_deref(),
                title: m.title.as_deref(),
                role: m.role.as_deref(),
                note: m.note.as_deref(),
                sources: &m.sources,
            })
            .collect(),
        delegations: t
            .delegations
            .iter()
            .map(|d| DelegationOut {
                party: &d.party,
                head: d.head.as_ref().map(person),
                members: d.members.iter().map(person).collect(),
                note: d.note.as_deref(),
                sources: &d.sources,
            })
            .collect(),
        agenda: t
            .agenda
            .iter()
            .map(|a| AgendaOut {
                topic: &a.topic,
                proposed_by: a.proposed_by.as_deref(),
                note: a.note.as_deref(),
                sources: &a.sources,
            })
            .collect(),
        outcomes: t
            .outcomes
            .iter()
            .map(|o| OutcomeOut {
                kind: o.kind,
                by: o.by.as_deref(),
                text: &o.text,
                topics: &o.topics,
                sources: &o.sources,
            })
            .collect(),
        updates: t
            .updates
            .iter()
            .map(|u| UpdateOut {
                at: time(&u.at, z),
                approximate: u.approximate,
                kind: u.kind,
                text: &u.text,
                sources: &u.sources,
            })
            .collect(),
        rescheduled: t
            .rescheduled
            .iter()
            .map(|r| RescheduledOut {
                from: time(&r.from, z),
                note: r.note.as_deref(),
            })
            .collect(),
        sources: &t.sources,
        tags: &t.tags,
        authors: crate::render::trust::authors(site, front)
            .into_iter()
            .map(|a| AuthorOut {
                kind: a.kind,
                name: a.name,
                url: a.url,
            })
            .collect(),
        published: crate::render::trust::published(front).map(utc),
        updated: crate::render::trust::last_modified(front).map(utc),
        bottom_line: t.bottom_line.as_deref(),
        watch: t
            .watch
            .iter()
            .map(|w| WatchOut {
                text: &w.text,
                date: w.date.as_ref().map(|d| time(d, z)),
                sources: &w.sources,
            })
            .collect(),
    }
}

/// An instant as RFC 3339 in UTC, to the second.
fn utc(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
