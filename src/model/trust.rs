//! Editorial trust, resolved: the authors bylines name (checked against
//! `content/authors.yaml`), position histories (one stance per party, topic and date), the
//! sources of the front page's "what to watch", and the timeline events of dated watch items.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::load::kinds::Kind;
use crate::load::records::{DataFiles, Front, locate_token, locate_value};
use crate::load::trust::{AuthorRef, WatchItem, is_id};
use crate::model::briefing::{Briefing, Event};
use crate::model::urls::slugify;
use crate::model::{Page, Section};

/// `d` in `file`, at the first place `token` is used as a value (else appears as a word).
fn located(d: Diagnostic, file: &Path, text: &str, token: &str, nth: usize) -> Diagnostic {
    let d = d.in_file(file);
    match locate_value(text, token, nth)
        .or_else(|| locate_value(text, token, 0))
        .or_else(|| locate_token(text, token, 0))
    {
        Some(off) => d.at_offset(text, off).span(token.chars().count().max(1)),
        None => d,
    }
}

/// The watch list and bottom line a page's front matter gives, if its kind takes them.
pub(crate) fn editorial(front: &Front) -> (Option<&str>, &[WatchItem]) {
    match front {
        Front::Page(p) => (p.bottom_line.as_deref(), &p.watch),
        Front::Talk(t) => (t.bottom_line.as_deref(), &t.watch),
        _ => (None, &[]),
    }
}

/// Check the trust keys of every page and section index, and add dated watch items (of talks
/// and of the front page) to the timeline.
pub(crate) fn resolve(
    b: &mut Briefing,
    pages: &[Page],
    sections: &[Section],
    data: &DataFiles,
    diags: &mut Diagnostics,
) {
    // authors.yaml: unique slug ids.
    if let Some(file) = &data.authors_file {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for a in &data.authors {
            let n = seen.entry(a.id.as_str()).or_insert(0);
            *n += 1;
            if *n > 1 {
                diags.push(located(
                    Diagnostic::new(Code::DuplicateId, format!("duplicate author id `{}`", a.id))
                        .hint("each author needs their own id; merge the entries or rename one"),
                    &file.path,
                    &file.text,
                    &a.id,
                    *n - 1,
                ));
            } else if !is_id(&a.id) {
                diags.push(located(
                    Diagnostic::new(
                        Code::BadName,
                        format!(
                            "author id `{}` must be a slug (lower case, digits, hyphens)",
                            a.id
                        ),
                    )
                    .hint(format!("write it as `{}`", slugify(&a.id))),
                    &file.path,
                    &file.text,
                    &a.id,
                    0,
                ));
            }
        }
    }
    b.authors = data.authors.clone();
    let ids: Vec<&str> = data.authors.iter().map(|a| a.id.as_str()).collect();

    let home = sections.first().and_then(|s| s.index.as_deref());
    let sources_known = |id: &str| data.sources_unreadable || b.source_index.contains_key(id);
    let all = pages.iter().map(|p| &*p.source).chain(home);
    for sp in all {
        let c = sp.front.common();
        let mut nth: HashMap<&str, usize> = HashMap::new();
        for a in c.authors {
            let AuthorRef::Id(id) = a else { continue };
            if ids.contains(&id.as_str()) {
                continue;
            }
            let n = nth.entry(id).or_insert(0);
            let mut d = Diagnostic::new(Code::UnknownReference, format!("unknown author `{id}`"))
                .label("no entry of content/authors.yaml has this id");
            d = match did_you_mean(id, ids.iter().copied()) {
                Some(best) => d.hint(format!("did you mean `{best}`?")),
                None => d.hint(
                    "add it to content/authors.yaml, or write the name as it is to be shown (`Jane Doe`)",
                ),
            };
            diags.push(located(d, &sp.path, &sp.text, id, *n));
            *n += 1;
        }
        // The front page's watch list is not a record's: check its sources here.
        if matches!(sp.front, Front::Page(_)) {
            let (_, watch) = editorial(&sp.front);
            for id in watch.iter().flat_map(|w| &w.sources) {
                if !sources_known(id) {
                    let mut d =
                        Diagnostic::new(Code::UnknownReference, format!("unknown source `{id}`"));
                    if let Some(best) = did_you_mean(id, b.source_index.keys().map(String::as_str))
                    {
                        d = d.hint(format!("did you mean `{best}`?"));
                    }
                    diags.push(located(d, &sp.path, &sp.text, id, 0));
                }
            }
        }
    }

    // Position histories: one stance per party, topic and date.
    for &i in b.parties().values() {
        let p = &pages[i];
        let Front::Party(f) = &p.source.front else {
            continue;
        };
        let mut seen: HashMap<(&str, String), usize> = HashMap::new();
        for x in &f.positions {
            let n = seen.entry((&x.topic, x.as_of.to_string())).or_insert(0);
            *n += 1;
            if *n == 2 {
                diags.push(located(
                    Diagnostic::new(
                        Code::PositionHistory,
                        format!(
                            "two positions on `{}` as of {}: a history needs one stance per date",
                            x.topic, x.as_of
                        ),
                    )
                    .hint("merge the two entries, or give the later one its own `as_of`"),
                    &p.source.path,
                    &p.source.text,
                    &x.as_of.to_string(),
                    1,
                ));
            }
        }
    }

    // Dated watch items on the timeline.
    let mut events: Vec<Event> = Vec::new();
    let mut add = |owner: Option<(Kind, String)>,
                   src: &crate::load::SourcePage,
                   items: &[WatchItem],
                   key: &str| {
        for (n, w) in items.iter().enumerate() {
            let Some(date) = &w.date else { continue };
            events.push(Event {
                anchor: format!("watch-{key}-{}", n + 1),
                date: date.clone(),
                // Titled by the view, in the reader's language.
                title: String::new(),
                text: Some(w.text.clone()),
                parties: Vec::new(),
                topics: Vec::new(),
                talks: match &owner {
                    Some((Kind::Talk, id)) => vec![id.clone()],
                    _ => Vec::new(),
                },
                people: Vec::new(),
                sources: w.sources.clone(),
                record: owner.clone(),
                update: None,
                log_entry: None,
                approximate: false,
                watch: true,
                // The title is the interface's ("To watch"), the text the record's.
                given: crate::load::records::EventTexts {
                    title: true,
                    text: src.gave(&format!("watch.{n}.text")),
                },
            });
        }
    };
    for (id, &i) in b.talks() {
        let (_, watch) = editorial(&pages[i].source.front);
        add(Some((Kind::Talk, id.clone())), &pages[i].source, watch, id);
    }
    if let Some(h) = home {
        add(None, h, editorial(&h.front).1, "front");
    }
    if !events.is_empty() {
        b.timeline.extend(events);
        b.timeline.sort_by(|a, b| {
            a.date
                .start()
                .cmp(&b.date.start())
                .then_with(|| a.order_key().cmp(&b.order_key()))
        });
    }
}
