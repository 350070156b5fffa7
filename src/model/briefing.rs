//! The briefing model: talks, parties, people, topics, sources and the timeline, cross-checked.
//!
//! Every reference between records is resolved here; an unknown id is an error located in the
//! file that holds it, with the closest known id as a hint. Times are checked for order and
//! against the talk's status, and the briefing's "now" is fixed (from `as_of` in `site.yaml`, or
//! the latest date in the content; never the build machine's clock).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiff::civil::DateTime;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::load::kinds::{Kind, Target};
use crate::load::records::{
    DataFiles, EventEntry, EventTexts, Front, SourceEntry, TalkFront, TalkStatus, UpdateKind,
    locate_token, locate_value,
};
use crate::model::Page;
use crate::model::urls::slugify;
use crate::parse::dates::DateValue;

/// A dated event on the timeline (from `timeline.yaml`, or a talk added automatically).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub(crate) anchor: String,
    pub(crate) date: DateValue,
    /// The event's own title; for an update-log entry its talk's title, for a watch item
    /// empty: the view composes their titles in the reader's language from `update` and
    /// `watch`.
    pub(crate) title: String,
    pub(crate) text: Option<String>,
    pub(crate) parties: Vec<String>,
    pub(crate) topics: Vec<String>,
    pub(crate) talks: Vec<String>,
    pub(crate) people: Vec<String>,
    pub(crate) sources: Vec<String>,
    /// The record this event stands for, when it was added from one (a talk, a statement).
    pub(crate) record: Option<(Kind, String)>,
    /// For an entry of a talk's update log (`record` is the talk): its kind.
    pub(crate) update: Option<UpdateKind>,
    /// For an entry of a talk's update log: its place in the log.
    pub(crate) log_entry: Option<usize>,
    /// The time is approximate (an update-log entry's `approximate`).
    pub(crate) approximate: bool,
    /// A dated item of a "what to watch" list.
    pub(crate) watch: bool,
    /// Which of its texts an edition's translation gave (the others are the original's): of
    /// `timeline.<lang>.yaml`, or of the record it stands for.
    pub(crate) given: EventTexts,
}

impl Event {
    /// What events on the same date are ordered by: the title, an update-log entry's and a
    /// watch item's as the timeline has always ordered them (by the English words they were
    /// once titled with, so that the order is the same in every edition). Never shown; also
    /// names the event in (English) diagnostics.
    pub(crate) fn order_key(&self) -> std::borrow::Cow<'_, str> {
        if self.watch {
            return "To watch".into();
        }
        match self.update {
            Some(UpdateKind::Update) => format!("Update: {}", self.title).into(),
            Some(UpdateKind::Correction) => format!("Correction: {}", self.title).into(),
            None => self.title.as_str().into(),
        }
    }

    /// The talk this event stands for.
    pub(crate) fn talk(&self) -> Option<&str> {
        match &self.record {
            Some((Kind::Talk, id)) => Some(id),
            _ => None,
        }
    }
}

/// Resolved briefing records. Ids map to indexes into `Site::pages`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Briefing {
    /// Record ids → page index, one map per kind (in `Kind::ALL` order).
    records: Vec<BTreeMap<String, usize>>,
    /// For each record (by page index), the records whose front matter references it, in page
    /// order, each once.
    pub(crate) referenced_by: HashMap<usize, Vec<usize>>,
    pub(crate) sources: Vec<SourceEntry>,
    pub(crate) source_index: HashMap<String, usize>,
    /// Each source's anchor slug (`src-<slug>`) → its indexes in `sources` (a slug two ids
    /// share, or a repeated id, has several), so a page's citation marks are looked up, not
    /// searched for one source at a time.
    pub(crate) source_slugs: HashMap<String, Vec<usize>>,
    /// The pages of a split source list (empty when it is one page).
    pub(crate) source_pages: super::letters::Layout,
    pub(crate) timeline: Vec<Event>,
    /// The briefing's "now": `as_of`, or the latest date in the content.
    pub(crate) now: Option<DateTime>,
    /// Talk ids ordered by start.
    pub(crate) talk_order: Vec<String>,
    pub(crate) latest_talk: Option<String>,
    pub(crate) next_talk: Option<String>,
    /// `content/authors.yaml`.
    pub(crate) authors: Vec<crate::load::trust::AuthorEntry>,
}

impl Briefing {
    /// The records of one kind: id → page index.
    pub(crate) fn ids(&self, kind: Kind) -> &BTreeMap<String, usize> {
        static EMPTY: BTreeMap<String, usize> = BTreeMap::new();
        self.records.get(kind as usize).unwrap_or(&EMPTY)
    }

    /// The page index of a record.
    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<usize> {
        self.ids(kind).get(id).copied()
    }

    pub(crate) fn talks(&self) -> &BTreeMap<String, usize> {
        self.ids(Kind::Talk)
    }

    pub(crate) fn parties(&self) -> &BTreeMap<String, usize> {
        self.ids(Kind::Party)
    }

    pub(crate) fn people(&self) -> &BTreeMap<String, usize> {
        self.ids(Kind::Person)
    }

    pub(crate) fn topics(&self) -> &BTreeMap<String, usize> {
        self.ids(Kind::Topic)
    }

    pub(crate) fn is_empty(&self) -> bool {
        Kind::ALL.iter().all(|&k| self.ids(k).is_empty())
            && self.sources.is_empty()
            && self.timeline.is_empty()
    }
}

/// Reports unknown references in one file, locating each bad id in the file's text.
struct Refs<'a> {
    unreadable: &'a [(String, String)],
    file: &'a Path,
    text: &'a str,
    /// How many times each bad id has been reported in this file (to find the nth occurrence).
    seen: HashMap<String, usize>,
}

impl<'a> Refs<'a> {
    fn new(file: &'a Path, text: &'a str, unreadable: &'a [(String, String)]) -> Self {
        Refs {
            unreadable,
            file,
            text,
            seen: HashMap::new(),
        }
    }

    fn locate(&mut self, d: Diagnostic, token: &str) -> Diagnostic {
        let n = self.seen.entry(token.to_string()).or_insert(0);
        // Where the id is used as a value; failing that, anywhere it appears as a word.
        let at = locate_value(self.text, token, *n)
            .or_else(|| locate_value(self.text, token, 0))
            .or_else(|| locate_token(self.text, token, *n))
            .or_else(|| locate_token(self.text, token, 0));
        *n += 1;
        let d = d.in_file(self.file);
        match at {
            Some(off) => d.at_offset(self.text, off).span(token.chars().count()),
            None => d,
        }
    }

    /// Check that `id` is among `known` (a kind's ids); report it otherwise.
    fn check<'k, I>(
        &mut self,
        kind: &str,
        id: &str,
        known: I,
        drafts: &[(String, String)],
        diags: &mut Diagnostics,
    ) where
        I: IntoIterator<Item = &'k str> + Clone,
    {
        if known.clone().into_iter().any(|k| k == id) {
            return;
        }
        // A record whose file failed to load has been reported already.
        if self
            .unreadable
            .iter()
            .any(|(rel, k)| k == kind && rel.rsplit('/').next() == Some(&format!("{id}.md")))
        {
            return;
        }
        let mut d = Diagnostic::new(Code::UnknownReference, format!("unknown {kind} `{id}`"))
            .label(format!("no {kind} has this id"));
        if drafts
            .iter()
            .any(|(rel, k)| k == kind && rel.rsplit('/').next() == Some(&format!("{id}.md")))
        {
            d = d.hint(format!(
                "the {kind} `{id}` is a draft: publish it, or build with --drafts"
            ));
        } else if let Some(best) = did_you_mean(id, known) {
            d = d.hint(format!("did you mean `{best}`?"));
        }
        diags.push(self.locate(d, id));
    }

    fn at_key(&mut self, code: Code, key: &str, msg: String, diags: &mut Diagnostics) {
        diags.push(self.locate(Diagnostic::new(code, msg), key));
    }
}

/// Resolve the records among `pages` and the data files.
pub(crate) fn resolve(
    pages: &[Page],
    data: &DataFiles,
    config: &Config,
    drafts: &[(String, String)],
    unreadable: &[(String, String)],
    diags: &mut Diagnostics,
) -> Briefing {
    let mut b = Briefing {
        records: vec![BTreeMap::new(); Kind::ALL.len()],
        ..Briefing::default()
    };
    for (i, p) in pages.iter().enumerate() {
        if let Some(kind) = p.source.front.kind() {
            b.records[kind as usize].insert(p.id.clone(), i);
        }
    }

    // Sources: unique ids.
    if let Some(file) = &data.sources_file {
        let mut refs = Refs::new(&file.path, &file.text, unreadable);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, s) in data.sources.iter().enumerate() {
            let n = seen.entry(s.id.as_str()).or_insert(0);
            *n += 1;
            if *n > 1 {
                // Point at this repeat, not at the first (valid) entry.
                let d =
                    Diagnostic::new(Code::DuplicateId, format!("duplicate source id `{}`", s.id))
                        .hint("each source needs its own id; merge the entries or rename one");
                let d = match locate_token(&file.text, &s.id, *n - 1) {
                    Some(off) => d
                        .in_file(&file.path)
                        .at_offset(&file.text, off)
                        .span(s.id.chars().count()),
                    None => d.in_file(&file.path),
                };
                diags.push(d);
                continue;
            }
            b.source_index.insert(s.id.clone(), i);
            if slugify(&s.id) != s.id {
                refs.at_key(
                    Code::BadName,
                    &s.id,
                    format!(
                        "source id `{}` must be a slug (lower case, digits, hyphens)",
                        s.id
                    ),
                    diags,
                );
            }
        }
    }
    b.sources = data.sources.clone();
    for (i, s) in b.sources.iter().enumerate() {
        b.source_slugs.entry(slugify(&s.id)).or_default().push(i);
    }

    let source_ids: Vec<&str> = b.sources.iter().map(|s| s.id.as_str()).collect();
    let mut referenced_by: HashMap<usize, Vec<usize>> = HashMap::new();
    let check =
        |refs: &mut Refs<'_>, to: Target, id: &str, diags: &mut Diagnostics| -> Option<usize> {
            match to {
                Target::Source if data.sources_unreadable => None,
                Target::Source => {
                    if !b.source_index.contains_key(id) {
                        refs.check(to.name(), id, source_ids.iter().copied(), drafts, diags);
                    }
                    None
                }
                Target::Record(kind) => {
                    let known = b.ids(kind);
                    let found = known.get(id).copied();
                    if found.is_none() {
                        refs.check(
                            to.name(),
                            id,
                            known.keys().map(String::as_str),
                            drafts,
                            diags,
                        );
                    }
                    found
                }
            }
        };

    for (i, p) in pages.iter().enumerate() {
        let mut refs = Refs::new(&p.source.path, &p.source.text, unreadable);
        for r in p.source.front.refs() {
            if let Some(target) = check(&mut refs, r.to, r.id, diags) {
                let by = referenced_by.entry(target).or_default();
                if by.last() != Some(&i) && target != i {
                    by.push(i);
                }
            }
        }
        // Checks of one kind's own values.
        match &p.source.front {
            Front::Talk(t) => check_talk_times(t, &mut refs, diags),
            Front::Person(person) => {
                for r in &person.roles {
                    if let (Some(from), Some(to)) = (&r.from, &r.to)
                        && to.start() < from.start()
                    {
                        refs.at_key(
                            Code::TimesOutOfOrder,
                            "to",
                            format!("role `{}` ends before it starts", r.title),
                            diags,
                        );
                    }
                }
            }
            Front::Statement(st) => {
                if st.date.is_none() {
                    refs.at_key(
                        Code::MissingField,
                        "party",
                        "a statement needs `date`: when it was made".into(),
                        diags,
                    );
                }
            }
            Front::Party(_) | Front::Topic(_) | Front::Page(_) => {}
        }
    }
    // Timeline entries.
    if let Some(file) = &data.timeline_file {
        let mut refs = Refs::new(&file.path, &file.text, unreadable);
        for e in &data.timeline {
            for (to, list) in [
                (Target::Record(Kind::Party), &e.parties),
                (Target::Record(Kind::Topic), &e.topics),
                (Target::Record(Kind::Talk), &e.talks),
                (Target::Record(Kind::Person), &e.people),
                (Target::Source, &e.sources),
            ] {
                for id in list {
                    check(&mut refs, to, id, diags);
                }
            }
        }
    }

    b.referenced_by = referenced_by;
    b.now = now(pages, data, config);
    b.timeline = timeline(pages, &b, &data.timeline, diags);

    // Talk order, latest and next round relative to "now".
    let mut order: Vec<(DateTime, String)> = b
        .talks()
        .iter()
        .map(|(id, &i)| (talk_start(&pages[i]).unwrap_or_default(), id.clone()))
        .collect();
    order.sort();
    b.talk_order = order.iter().map(|(_, id)| id.clone()).collect();
    if let Some(now) = b.now {
        b.latest_talk = order
            .iter()
            .rfind(|(start, id)| {
                *start <= now
                    && !matches!(
                        talk_front(pages, &b, id).map(|t| t.status),
                        Some(TalkStatus::Cancelled)
                    )
            })
            .map(|(_, id)| id.clone());
        b.next_talk = order
            .iter()
            .find(|(start, id)| {
                *start > now
                    && matches!(
                        talk_front(pages, &b, id).map(|t| t.status),
                        Some(TalkStatus::Scheduled | TalkStatus::Postponed)
                    )
            })
            .map(|(_, id)| id.clone());
        // Status checks relative to "now".
        for (start, id) in &order {
            let Some(i) = b.get(Kind::Talk, id) else {
                continue;
            };
            let Front::Talk(t) = &pages[i].source.front else {
                continue;
            };
            if t.status == TalkStatus::Scheduled && *start < now && t.scheduled_start.is_some() {
                let mut refs = Refs::new(&pages[i].source.path, &pages[i].source.text, unreadable);
                refs.at_key(
                    Code::StaleStatus,
                    "status",
                    format!(
                        "talk is still `scheduled` but its start ({}) is before the briefing's date ({})",
                        start.strftime("%Y-%m-%d %H:%M"),
                        now.strftime("%Y-%m-%d")
                    ),
                    diags,
                );
            }
        }
    }
    b
}

fn talk_front<'p>(pages: &'p [Page], b: &Briefing, id: &str) -> Option<&'p TalkFront> {
    match &pages[b.get(Kind::Talk, id)?].source.front {
        Front::Talk(t) => Some(t),
        _ => None,
    }
}

/// A talk's start as a wall-clock time at the venue: actual start, else scheduled.
pub(crate) fn talk_start(p: &Page) -> Option<DateTime> {
    let Front::Talk(t) = &p.source.front else {
        return None;
    };
    let tz = crate::parse::zone(&t.venue.timezone.0)?;
    let v = t
        .actual_start
        .as_ref()
        .map(|a| &a.at)
        .or(t.scheduled_start.as_ref())
        .or(t.date.as_ref())?;
    Some(match v.instant() {
        Some(ts) => ts.to_zoned_datetime(tz).datetime(),
        None => v.start(),
    })
}

fn check_talk_times(t: &TalkFront, refs: &mut Refs<'_>, diags: &mut Diagnostics) {
    let tz = crate::parse::zone(&t.venue.timezone.0);
    let local = |v: &DateValue| match (v.instant(), &tz) {
        (Some(ts), Some(tz)) => ts.to_zoned_datetime(tz.clone()).datetime(),
        _ => v.start(),
    };
    if let (Some(s), Some(e)) = (&t.actual_start, &t.actual_end)
        && local(&e.at) < local(&s.at)
    {
        refs.at_key(
            Code::TimesOutOfOrder,
            "actual_end",
            format!("talk ends ({}) before it starts ({})", e.at, s.at),
            diags,
        );
    }
    match t.status {
        TalkStatus::Scheduled | TalkStatus::Postponed | TalkStatus::Cancelled
            if t.actual_start.is_some() =>
        {
            refs.at_key(
                Code::StatusContradiction,
                "status",
                format!(
                    "status `{}` contradicts `actual_start`: a talk that has begun is under way or concluded",
                    t.status.label().to_lowercase()
                ),
                diags,
            );
        }
        TalkStatus::UnderWay if t.actual_end.is_some() => {
            refs.at_key(
                Code::StatusContradiction,
                "status",
                "status `under-way` contradicts `actual_end`: a talk that has ended is concluded"
                    .into(),
                diags,
            );
        }
        _ => {}
    }
    if t.scheduled_start.is_none() && t.actual_start.is_none() && t.date.is_none() {
        refs.at_key(
            Code::MissingField,
            "status",
            "a talk needs `scheduled_start`, `actual_start` or `date`".into(),
            diags,
        );
    }
}

/// The briefing's "now": `as_of` in `site.yaml`, else the latest date anywhere in the content.
fn now(pages: &[Page], data: &DataFiles, config: &Config) -> Option<DateTime> {
    if let Some(as_of) = &config.as_of {
        return Some(end_of(as_of));
    }
    let mut latest: Option<DateTime> = None;
    let mut see = |v: &DateValue| {
        let e = end_of(v);
        if latest.is_none_or(|l| e > l) {
            latest = Some(e);
        }
    };
    for p in pages {
        let c = p.source.front.common();
        c.date.into_iter().chain(c.updated).for_each(&mut see);
        match &p.source.front {
            Front::Talk(t) => {
                t.scheduled_start.iter().for_each(&mut see);
                t.actual_start.iter().for_each(|a| see(&a.at));
                t.actual_end.iter().for_each(|a| see(&a.at));
                t.updates.iter().for_each(|u| see(&u.at));
            }
            Front::Party(p) => p.positions.iter().for_each(|x| see(&x.as_of)),
            _ => {}
        }
    }
    data.timeline.iter().for_each(|e| see(&e.date));
    data.sources
        .iter()
        .filter_map(|s| s.published.as_ref())
        .for_each(&mut see);
    latest
}

/// A date for a default anchor: `2022-03`, `2025-05-16`, `2025-05-16-1230` (no zone or offset).
fn anchor_date(v: &DateValue) -> String {
    match v.precision() {
        "minute" => v.start().strftime("%Y-%m-%d-%H%M").to_string(),
        _ => v.to_string(),
    }
}

/// The last moment a value covers (a day: 23:59:59 that day), so "as of 16 May" includes that day.
fn end_of(v: &DateValue) -> DateTime {
    match v {
        DateValue::Day(d) => d.to_datetime(jiff::civil::Time::constant(23, 59, 59, 0)),
        other => other.start(),
    }
}

fn timeline(
    pages: &[Page],
    b: &Briefing,
    entries: &[EventEntry],
    diags: &mut Diagnostics,
) -> Vec<Event> {
    let mut events: Vec<Event> = entries
        .iter()
        .map(|e| Event {
            anchor: e
                .id
                .clone()
                .unwrap_or_else(|| slugify(&format!("{} {}", anchor_date(&e.date), e.title))),
            date: e.date.clone(),
            title: e.title.clone(),
            text: e.text.clone(),
            parties: e.parties.clone(),
            topics: e.topics.clone(),
            talks: e.talks.clone(),
            people: e.people.clone(),
            sources: e.sources.clone(),
            record: None,
            update: None,
            log_entry: None,
            approximate: false,
            watch: false,
            given: e.given,
        })
        .collect();
    for &kind in Kind::ALL {
        for (id, &i) in b.ids(kind) {
            let Some(seed) = pages[i].source.front.event() else {
                continue;
            };
            let mut talks = seed.talks;
            if kind == Kind::Talk {
                talks.insert(0, id.clone());
            }
            events.push(Event {
                anchor: format!("{}-{id}", kind.decl().one),
                date: seed.date.clone(),
                title: seed.title.to_string(),
                text: seed.text.map(str::to_string),
                parties: seed.parties,
                topics: seed.topics,
                talks,
                people: seed.people,
                sources: seed.sources.to_vec(),
                record: Some((kind, id.clone())),
                update: None,
                log_entry: None,
                approximate: false,
                watch: false,
                given: EventTexts {
                    title: pages[i].source.gave("title"),
                    text: pages[i].source.gave("summary"),
                },
            });
        }
    }
    // Each entry of a talk's update log, unless marked `timeline: false`, linked to its talk.
    for (id, &i) in b.talks() {
        let Front::Talk(t) = &pages[i].source.front else {
            continue;
        };
        // Entries at the same time (an update and its correction) are numbered: -2, -3…
        let mut at_same_time: HashMap<String, usize> = HashMap::new();
        for (j, u) in t.updates.iter().enumerate().filter(|(_, u)| u.timeline) {
            let base = format!("update-{id}-{}", slugify(&u.at.to_string()));
            let n = at_same_time.entry(base.clone()).or_insert(0);
            *n += 1;
            let anchor = match *n {
                1 => base,
                n => format!("{base}-{n}"),
            };
            events.push(Event {
                anchor,
                date: u.at.clone(),
                title: t.title.clone(),
                text: Some(u.text.clone()),
                parties: Vec::new(),
                topics: Vec::new(),
                talks: vec![id.clone()],
                people: Vec::new(),
                sources: u.sources.clone(),
                record: Some((Kind::Talk, id.clone())),
                update: Some(u.kind),
                log_entry: Some(j),
                approximate: u.approximate,
                watch: false,
                given: EventTexts {
                    title: pages[i].source.gave("title"),
                    text: pages[i].source.gave(&format!("updates.{j}.text")),
                },
            });
        }
    }
    events.sort_by(|a, b| {
        a.date
            .start()
            .cmp(&b.date.start())
            .then_with(|| a.order_key().cmp(&b.order_key()))
    });
    let mut seen = HashMap::new();
    for e in &events {
        if let Some(prev) = seen.insert(e.anchor.clone(), e.order_key().into_owned()) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!(
                        "two timeline events have the id `{}` (`{}` and `{}`)",
                        e.anchor,
                        prev,
                        e.order_key()
                    ),
                )
                .in_file("content/timeline.yaml")
                .hint("give one of them a distinct `id:`"),
            );
        }
    }
    events
}
