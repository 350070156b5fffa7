//! `briefing.json`: the whole resolved model for data desks and other tools.
//!
//! The shape is versioned (`"format": "briefing", "version": 1`) and documented in the README.
//! Text fields are given as written (inline Markdown); times are given as written and, where
//! they denote an instant, also in UTC (`…_utc`).

use serde_json::{Value, json};

use crate::load::kinds::Kind;
use crate::load::records::{Front, SourceEntry, TalkFront};
use crate::model::Site;
use crate::parse::dates::DateValue;
use crate::render::publish::instant;

/// Version of the export's shape; bump on any incompatible change.
pub const VERSION: u32 = 1;

/// A date; when it is precise to the minute, also its instant (local times read as UTC).
fn date(v: &DateValue) -> Value {
    time(v, "UTC")
}

/// A time read in `zone` when it has none of its own.
fn time(v: &DateValue, zone: &str) -> Value {
    let utc = (v.precision() == "minute").then(|| {
        instant(v, Some(zone))
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    });
    json!({"value": v.to_string(), "precision": v.precision(), "utc": utc})
}

fn source(s: &SourceEntry) -> Value {
    json!({
        "id": s.id, "publisher": s.publisher, "title": s.title, "url": s.url,
        "published": s.published.as_ref().map(date), "accessed": s.accessed.as_ref().map(date),
        "language": s.language, "carried_by": s.carried_by,
        "translation": s.translation.as_ref().map(|t| json!({"from": t.from, "to": t.to, "by": t.by})),
        "note": s.note,
    })
}

/// Build the export.
pub fn export(site: &Site) -> Value {
    let b = &site.briefing;
    let url = |path: &str| site.config.url(path);
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
                    talks.push(talk(t, id, &url(&p.path)));
                }
            }
            Kind::Party => {
                for (id, &i) in b.parties() {
                    let p = &site.pages[i];
                    let Front::Party(f) = &p.source.front else {
                        continue;
                    };
                    for pos in &f.positions {
                        positions.push(json!({
                            "party": id, "topic": pos.topic, "stance": pos.stance, "summary": pos.summary,
                            "as_of": date(&pos.as_of), "sources": pos.sources,
                        }));
                    }
                    parties.push(json!({
                        "id": id, "url": url(&p.path), "name": f.name, "short_name": f.short_name, "adjective": f.adjective,
                        "kind": f.kind, "roles": f.roles, "leaders": f.leaders,
                    }));
                }
            }
            Kind::Person => {
                for (id, &i) in b.people() {
                    let p = &site.pages[i];
                    let Front::Person(f) = &p.source.front else {
                        continue;
                    };
                    people.push(json!({
                        "id": id, "url": url(&p.path), "name": f.name,
                        "native_name": f.native_name.as_ref().map(|n| json!({"text": n.text, "lang": n.lang})),
                        "variants": f.variants, "party": f.party,
                        "roles": f.roles.iter().map(|r| json!({
                            "title": r.title, "organisation": r.organisation,
                            "from": r.from.as_ref().map(date), "to": r.to.as_ref().map(date), "sources": r.sources,
                        })).collect::<Vec<_>>(),
                    }));
                }
            }
            Kind::Topic => {
                for (id, &i) in b.topics() {
                    let p = &site.pages[i];
                    let Front::Topic(f) = &p.source.front else {
                        continue;
                    };
                    topics.push(json!({"id": id, "url": url(&p.path), "title": f.title, "summary": f.summary}));
                }
            }
            Kind::Statement => {
                for (id, &i) in b.ids(Kind::Statement) {
                    let p = &site.pages[i];
                    let Front::Statement(f) = &p.source.front else {
                        continue;
                    };
                    statements.push(json!({
                        "id": id, "url": url(&p.path), "title": f.title, "summary": f.summary,
                        "date": f.date.as_ref().map(date), "party": f.party, "speaker": f.speaker,
                        "topics": f.topics, "talk": f.talk, "sources": f.sources, "tags": f.tags,
                    }));
                }
            }
        }
    }
    let timeline: Vec<Value> = b
        .timeline
        .iter()
        .map(|e| {
            json!({
                "id": e.anchor, "url": format!("{}#{}", url("timeline/"), e.anchor),
                "date": date(&e.date), "title": e.title, "text": e.text,
                "parties": e.parties, "topics": e.topics, "talks": e.talks, "people": e.people,
                "sources": e.sources, "talk": e.talk(),
                "record": e.record.as_ref().map(|(kind, id)| json!({"kind": kind, "id": id})),
                "update": e.update,
            })
        })
        .collect();
    json!({
        "format": "briefing",
        "version": VERSION,
        "site": {
            "title": site.config.title, "description": site.config.description,
            "language": site.config.language, "base_url": site.config.base_url,
            "as_of": b.now.map(|n| n.date().to_string()),
        },
        "talks": talks,
        "parties": parties,
        "people": people,
        "topics": topics,
        "statements": statements,
        "positions": positions,
        "timeline": timeline,
        "sources": b.sources.iter().map(source).collect::<Vec<_>>(),
    })
}

fn talk(t: &TalkFront, id: &str, url: &str) -> Value {
    let z = t.venue.timezone.0.as_str();
    json!({
            "id": id, "url": url, "title": t.title, "summary": t.summary,
            "status": t.status, "format": t.format,
            "venue": {"name": t.venue.name, "city": t.venue.city, "country": t.venue.country, "timezone": z},
            "scheduled_start": t.scheduled_start.as_ref().map(|v| time(v, z)),
            "actual_start": t.actual_start.as_ref().map(|a| json!({"time": time(&a.at, z), "approximate": a.approximate})),
            "actual_end": t.actual_end.as_ref().map(|a| json!({"time": time(&a.at, z), "approximate": a.approximate})),
            "mediators": t.mediators.iter().map(|m| json!({"party": m.party, "person": m.person, "title": m.title, "role": m.role, "note": m.note, "sources": m.sources})).collect::<Vec<_>>(),
            "delegations": t.delegations.iter().map(|d| json!({
                "party": d.party,
                "head": d.head.as_ref().map(|h| json!({"person": h.person, "title": h.title})),
                "members": d.members.iter().map(|m| json!({"person": m.person, "title": m.title})).collect::<Vec<_>>(),
                "note": d.note, "sources": d.sources,
            })).collect::<Vec<_>>(),
            "agenda": t.agenda.iter().map(|a| json!({"topic": a.topic, "proposed_by": a.proposed_by, "note": a.note, "sources": a.sources})).collect::<Vec<_>>(),
            "outcomes": t.outcomes.iter().map(|o| json!({"kind": o.kind, "by": o.by, "text": o.text, "topics": o.topics, "sources": o.sources})).collect::<Vec<_>>(),
            "updates": t.updates.iter().map(|u| json!({"at": time(&u.at, z), "kind": u.kind, "text": u.text, "sources": u.sources})).collect::<Vec<_>>(),
            "rescheduled": t.rescheduled.iter().map(|r| json!({"from": time(&r.from, z), "note": r.note})).collect::<Vec<_>>(),
            "sources": t.sources,
            "tags": t.tags,
    })
}
