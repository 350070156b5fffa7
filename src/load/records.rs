//! The typed shapes of content: front matter per kind of page, and the YAML data files.
//!
//! Which shape a page is read with depends on its folder: `content/talks/*.md` are talks,
//! `parties/`, `people/` and `topics/` likewise; every other page is a generic page. Data files
//! `content/sources.yaml` and `content/timeline.yaml` have fixed shapes; any other YAML file is
//! free-form data for templates. References between records are kept as plain ids here and
//! resolved by the model stage.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::diagnostics::Diagnostics;
use crate::load::kinds::{EventSeed, Kind, Record, Ref, refs_out};
pub use crate::load::kinds::{Front, parse_front, record_kind};
use crate::load::trust::{Account, AuthorEntry, AuthorRef, Fact, Minutes, Uncertain, WatchItem};
use crate::parse::dates::DateValue;
use crate::parse::{
    LanguageTag, TimeZoneName, required_name, required_publisher, required_title, string_list, yaml,
};

/// Generates a front matter struct with the keys every page accepts (except `title`/`slug`,
/// which differ by kind) followed by the kind's own keys.
macro_rules! record_front {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            #[serde(default)]
            pub(crate) date: Option<DateValue>,
            #[serde(default)]
            pub(crate) updated: Option<DateValue>,
            #[serde(default)]
            pub(crate) summary: Option<String>,
            #[serde(default, deserialize_with = "string_list")]
            pub(crate) tags: Vec<String>,
            #[serde(default)]
            pub(crate) draft: bool,
            #[serde(default)]
            pub(crate) template: Option<String>,
            #[serde(default)]
            pub(crate) weight: Option<i64>,
            #[serde(default, deserialize_with = "string_list")]
            pub(crate) aliases: Vec<String>,
            #[serde(default)]
            pub(crate) extra: Option<serde_json::Value>,
            /// The byline: ids of `content/authors.yaml` or names (site default: `author`).
            #[serde(default)]
            pub(crate) authors: Vec<AuthorRef>,
        }
    };
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TalkStatus {
    Scheduled,
    Postponed,
    UnderWay,
    Concluded,
    Cancelled,
}

impl TalkStatus {
    pub(crate) fn label(self) -> &'static str {
        match self {
            TalkStatus::Scheduled => "Scheduled",
            TalkStatus::Postponed => "Postponed",
            TalkStatus::UnderWay => "Under way",
            TalkStatus::Concluded => "Concluded",
            TalkStatus::Cancelled => "Cancelled",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    #[serde(deserialize_with = "required_name")]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) city: Option<String>,
    #[serde(default)]
    pub(crate) country: Option<String>,
    /// IANA zone the venue's local times are in.
    pub(crate) timezone: TimeZoneName,
}

/// A time that may be approximate: `2025-05-16T13:30` or `{at: 2025-05-16T13:30, approximate: true}`,
/// or disputed: `{accounts: [{at: …, sources: […]}, {at: …, sources: […]}]}` (then `at` and
/// `approximate` are the first account's; see [`crate::load::trust::Uncertain`]).
#[derive(Debug, Clone)]
pub struct MaybeApprox {
    pub(crate) at: DateValue,
    pub(crate) approximate: bool,
    /// The alternative accounts of a disputed time (empty unless disputed).
    pub(crate) accounts: Vec<Account<DateValue>>,
}

impl<'de> Deserialize<'de> for MaybeApprox {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let u = Uncertain::<DateValue>::deserialize(d)?;
        Ok(MaybeApprox {
            at: u.value,
            approximate: u.approximate,
            accounts: u.accounts,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRef {
    pub(crate) person: String,
    /// The title the person held in this role at this round.
    #[serde(default)]
    pub(crate) title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mediator {
    pub(crate) party: String,
    #[serde(default)]
    pub(crate) person: Option<String>,
    #[serde(default)]
    pub(crate) title: Option<String>,
    /// "mediator", "chair", "host"…
    #[serde(default)]
    pub(crate) role: Option<String>,
    /// Inline Markdown, as on a delegation.
    #[serde(default)]
    pub(crate) note: Option<String>,
    /// Where the attendance is reported.
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    pub(crate) party: String,
    #[serde(default)]
    pub(crate) head: Option<PersonRef>,
    #[serde(default)]
    pub(crate) members: Vec<PersonRef>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub(crate) topic: String,
    #[serde(default)]
    pub(crate) proposed_by: Option<String>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    Agreed,
    Proposed,
    Noted,
    Rejected,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub(crate) kind: OutcomeKind,
    /// The party that proposed or rejected (required for `proposed` and `rejected`).
    #[serde(default)]
    pub(crate) by: Option<String>,
    pub(crate) text: String,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) topics: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateKind {
    #[default]
    Update,
    Correction,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// When it was posted: a date-time with an offset or zone, or a local time in the venue's zone.
    pub(crate) at: DateValue,
    /// The time is approximate ("about 13:30").
    #[serde(default)]
    pub(crate) approximate: bool,
    #[serde(default)]
    pub(crate) kind: UpdateKind,
    pub(crate) text: String,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
    /// Whether it also stands on the timeline (it does unless `timeline: false`).
    #[serde(default = "yes")]
    pub(crate) timeline: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rescheduling {
    /// The start that was given up.
    pub(crate) from: DateValue,
    #[serde(default)]
    pub(crate) note: Option<String>,
}

record_front! {
    /// Any page outside the record folders.
    PageFront {
        #[serde(deserialize_with = "required_title")]
        title: String,
        #[serde(default)]
        slug: Option<String>,
        /// One or two sentences, inline Markdown (the front page's, from `_index.md`).
        #[serde(default)]
        bottom_line: Option<String>,
        #[serde(default)]
        watch: Vec<WatchItem>,
    }
}

record_front! {
    /// `content/talks/<id>.md`: one round of talks.
    TalkFront {
        #[serde(deserialize_with = "required_title")]
        title: String,
        venue: Venue,
        #[serde(default)]
        scheduled_start: Option<DateValue>,
        #[serde(default)]
        actual_start: Option<MaybeApprox>,
        #[serde(default)]
        actual_end: Option<MaybeApprox>,
        /// How long it lasted (or is to last), when no end is known; may be disputed.
        #[serde(default)]
        duration: Option<Uncertain<Minutes>>,
        /// Further key facts: a short text or count each, which may be disputed.
        #[serde(default)]
        facts: Vec<Fact>,
        #[serde(default)]
        bottom_line: Option<String>,
        #[serde(default)]
        watch: Vec<WatchItem>,
        status: TalkStatus,
        #[serde(default)]
        format: Option<String>,
        #[serde(default)]
        mediators: Vec<Mediator>,
        #[serde(default)]
        delegations: Vec<Delegation>,
        #[serde(default)]
        agenda: Vec<AgendaItem>,
        #[serde(default)]
        outcomes: Vec<Outcome>,
        #[serde(default)]
        updates: Vec<Update>,
        #[serde(default)]
        rescheduled: Vec<Rescheduling>,
        #[serde(default, deserialize_with = "string_list")]
        sources: Vec<String>,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartyKind {
    State,
    Organisation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartyRole {
    NegotiatingParty,
    Mediator,
    Host,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Demands,
    Proposes,
    Supports,
    Conditional,
    Rejects,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub(crate) topic: String,
    pub(crate) stance: Stance,
    pub(crate) summary: String,
    pub(crate) as_of: DateValue,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
}

record_front! {
    /// `content/parties/<id>.md`: a state or organisation at (or around) the table.
    PartyFront {
        #[serde(deserialize_with = "required_name")]
        name: String,
        #[serde(default)]
        short_name: Option<String>,
        /// Other spellings of its name (`Turkey` for Türkiye), found by search.
        #[serde(default, deserialize_with = "string_list")]
        variants: Vec<String>,
        /// The adjective for its delegation ("Ukrainian"); defaults to the short name.
        #[serde(default)]
        adjective: Option<String>,
        kind: PartyKind,
        #[serde(default)]
        roles: Vec<PartyRole>,
        #[serde(default, deserialize_with = "string_list")]
        leaders: Vec<String>,
        #[serde(default)]
        positions: Vec<Position>,
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeName {
    pub(crate) text: String,
    /// BCP 47 language tag (`uk`, `ru`, `tr`).
    pub(crate) lang: LanguageTag,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    #[serde(deserialize_with = "required_title")]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) organisation: Option<String>,
    #[serde(default)]
    pub(crate) from: Option<DateValue>,
    #[serde(default)]
    pub(crate) to: Option<DateValue>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
}

record_front! {
    /// `content/people/<id>.md`: a person named in the briefing.
    PersonFront {
        #[serde(deserialize_with = "required_name")]
        name: String,
        #[serde(default)]
        native_name: Option<NativeName>,
        #[serde(default, deserialize_with = "string_list")]
        variants: Vec<String>,
        #[serde(default)]
        party: Option<String>,
        #[serde(default)]
        roles: Vec<Role>,
    }
}

record_front! {
    /// `content/topics/<id>.md`: an issue on the table.
    TopicFront {
        #[serde(deserialize_with = "required_title")]
        title: String,
    }
}

record_front! {
    /// `content/statements/<id>.md`: an official statement by a party (its body is the
    /// statement or a summary of it). `date` is required.
    StatementFront {
        #[serde(deserialize_with = "required_title")]
        title: String,
        /// The party that made it.
        party: String,
        /// The person who delivered it.
        #[serde(default)]
        speaker: Option<String>,
        #[serde(default, deserialize_with = "string_list")]
        topics: Vec<String>,
        /// The round of talks it was made at or about.
        #[serde(default)]
        talk: Option<String>,
        #[serde(default, deserialize_with = "string_list")]
        sources: Vec<String>,
    }
}

/// The keys every kind shares, borrowed.
pub struct Common<'a> {
    pub title: &'a str,
    pub date: Option<&'a DateValue>,
    pub(crate) updated: Option<&'a DateValue>,
    pub(crate) summary: Option<&'a str>,
    pub tags: &'a [String],
    pub(crate) draft: bool,
    pub(crate) slug: Option<&'a str>,
    pub(crate) template: Option<&'a str>,
    pub(crate) weight: Option<i64>,
    pub(crate) aliases: &'a [String],
    pub(crate) extra: Option<&'a serde_json::Value>,
    pub(crate) authors: &'a [AuthorRef],
}

macro_rules! common {
    ($f:expr, $title:expr, $date:expr) => {
        Common {
            title: $title,
            date: $date,
            updated: $f.updated.as_ref(),
            summary: $f.summary.as_deref(),
            tags: &$f.tags,
            draft: $f.draft,
            slug: None,
            template: $f.template.as_deref(),
            weight: $f.weight,
            aliases: &$f.aliases,
            extra: $f.extra.as_ref(),
            authors: &$f.authors,
        }
    };
}

impl PageFront {
    pub(crate) fn page_common(&self) -> Common<'_> {
        Common {
            slug: self.slug.as_deref(),
            ..common!(self, &self.title, self.date.as_ref())
        }
    }
}

impl Record for TalkFront {
    fn common(&self) -> Common<'_> {
        common!(
            self,
            &self.title,
            self.date.as_ref().or(self.scheduled_start.as_ref())
        )
    }

    fn refs<'a>(&'a self, out: &mut Vec<Ref<'a>>) {
        let mut out = refs_out(out);
        for m in &self.mediators {
            out.one(Kind::Party, &m.party)
                .opt(Kind::Person, &m.person)
                .sources(&m.sources);
        }
        for d in &self.delegations {
            out.one(Kind::Party, &d.party);
            for m in d.head.iter().chain(&d.members) {
                out.one(Kind::Person, &m.person);
            }
            out.sources(&d.sources);
        }
        for a in &self.agenda {
            out.one(Kind::Topic, &a.topic)
                .opt(Kind::Party, &a.proposed_by)
                .sources(&a.sources);
        }
        for o in &self.outcomes {
            out.opt(Kind::Party, &o.by)
                .all(Kind::Topic, &o.topics)
                .sources(&o.sources);
        }
        for u in &self.updates {
            out.sources(&u.sources);
        }
        for a in self.actual_start.iter().chain(&self.actual_end) {
            for acc in &a.accounts {
                out.sources(&acc.sources);
            }
        }
        if let Some(d) = &self.duration {
            for acc in &d.accounts {
                out.sources(&acc.sources);
            }
        }
        for f in &self.facts {
            out.sources(&f.sources);
            for acc in &f.value.accounts {
                out.sources(&acc.sources);
            }
        }
        for w in &self.watch {
            out.sources(&w.sources);
        }
        out.sources(&self.sources);
    }

    /// A talk stands on the timeline at its scheduled start (else its actual start, else its date).
    fn event(&self) -> Option<EventSeed<'_>> {
        let date = self
            .scheduled_start
            .as_ref()
            .or(self.actual_start.as_ref().map(|a| &a.at))
            .or(self.date.as_ref())?;
        Some(EventSeed {
            date,
            title: &self.title,
            text: self.summary.as_deref(),
            parties: self.delegations.iter().map(|d| d.party.clone()).collect(),
            topics: self.agenda.iter().map(|a| a.topic.clone()).collect(),
            talks: Vec::new(),
            people: Vec::new(),
            sources: &self.sources,
        })
    }
}

impl Record for PartyFront {
    fn common(&self) -> Common<'_> {
        common!(self, &self.name, self.date.as_ref())
    }

    fn refs<'a>(&'a self, out: &mut Vec<Ref<'a>>) {
        let mut out = refs_out(out);
        out.all(Kind::Person, &self.leaders);
        for p in &self.positions {
            out.one(Kind::Topic, &p.topic).sources(&p.sources);
        }
    }
}

impl Record for PersonFront {
    fn common(&self) -> Common<'_> {
        common!(self, &self.name, self.date.as_ref())
    }

    fn refs<'a>(&'a self, out: &mut Vec<Ref<'a>>) {
        let mut out = refs_out(out);
        out.opt(Kind::Party, &self.party);
        for r in &self.roles {
            out.sources(&r.sources);
        }
    }
}

impl Record for TopicFront {
    fn common(&self) -> Common<'_> {
        common!(self, &self.title, self.date.as_ref())
    }

    fn refs<'a>(&'a self, _: &mut Vec<Ref<'a>>) {}
}

impl Record for StatementFront {
    fn common(&self) -> Common<'_> {
        common!(self, &self.title, self.date.as_ref())
    }

    fn refs<'a>(&'a self, out: &mut Vec<Ref<'a>>) {
        refs_out(out)
            .one(Kind::Party, &self.party)
            .opt(Kind::Person, &self.speaker)
            .all(Kind::Topic, &self.topics)
            .opt(Kind::Talk, &self.talk)
            .sources(&self.sources);
    }

    /// A statement stands on the timeline on its date.
    fn event(&self) -> Option<EventSeed<'_>> {
        Some(EventSeed {
            date: self.date.as_ref()?,
            title: &self.title,
            text: self.summary.as_deref(),
            parties: vec![self.party.clone()],
            topics: self.topics.clone(),
            talks: self.talk.iter().cloned().collect(),
            people: self.speaker.iter().cloned().collect(),
            sources: &self.sources,
        })
    }
}

/// `content/sources.yaml`: one entry of the source registry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub(crate) id: String,
    /// Who did the reporting (`Reuters`).
    #[serde(deserialize_with = "required_publisher")]
    pub(crate) publisher: String,
    #[serde(default)]
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) url: Option<String>,
    /// A web archive copy of `url`, shown beside it and offered when it fails.
    #[serde(default)]
    pub(crate) archived_url: Option<String>,
    #[serde(default)]
    pub(crate) published: Option<DateValue>,
    #[serde(default)]
    pub(crate) accessed: Option<DateValue>,
    /// Language of the text the briefing relied on (BCP 47).
    #[serde(default)]
    pub(crate) language: Option<LanguageTag>,
    /// The outlet that carried the reporting, when it is not the publisher's own.
    #[serde(default)]
    pub(crate) carried_by: Option<String>,
    #[serde(default)]
    pub(crate) translation: Option<Translation>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    /// The title in an edition's language (`title_translated` of `sources.<lang>.yaml`), shown
    /// in brackets after the title as published; never set in `sources.yaml`.
    #[serde(skip)]
    pub(crate) title_translated: Option<String>,
    /// `note` is an edition's, given by `sources.<lang>.yaml` (else it is the original's).
    #[serde(skip)]
    pub(crate) note_given: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Translator {
    Machine,
    Human,
    /// A machine translation a person has read and corrected.
    MachineReviewed,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// The language translated from (BCP 47).
    pub(crate) from: LanguageTag,
    #[serde(default)]
    pub(crate) to: Option<LanguageTag>,
    pub(crate) by: Translator,
}

/// `content/timeline.yaml`: one dated event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    #[serde(default)]
    pub(crate) id: Option<String>,
    pub(crate) date: DateValue,
    #[serde(deserialize_with = "required_title")]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) text: Option<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) parties: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) topics: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) talks: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) people: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    pub(crate) sources: Vec<String>,
    /// Which texts `timeline.<lang>.yaml` gave (the others are the original's).
    #[serde(skip)]
    pub(crate) given: EventTexts,
}

/// Which of a timeline event's texts an edition's translation gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventTexts {
    pub(crate) title: bool,
    pub(crate) text: bool,
}

/// A data file's text kept for locating references in it.
#[derive(Debug, Clone)]
pub struct DataText {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

/// The YAML data files of `content/`.
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    pub sources: Vec<SourceEntry>,
    pub(crate) sources_file: Option<DataText>,
    pub timeline: Vec<EventEntry>,
    pub(crate) timeline_file: Option<DataText>,
    /// `content/authors.yaml`: the authors bylines name by id.
    pub(crate) authors: Vec<AuthorEntry>,
    pub(crate) authors_file: Option<DataText>,
    /// `sources.yaml` exists but could not be read: source references are not checked.
    pub(crate) sources_unreadable: bool,
    /// Any other YAML file, by its path relative to `content/` without extension
    /// (`data/budget.yaml` → `data/budget`), as free-form data for templates.
    pub other: BTreeMap<String, serde_json::Value>,
}

/// Parse the data files read from `content/`: `(rel, path, text)`.
pub fn parse_data_files(
    files: Vec<(String, PathBuf, String)>,
    diags: &mut Diagnostics,
) -> DataFiles {
    let mut out = DataFiles::default();
    for (rel, path, text) in files {
        let origin = yaml::Origin {
            file: &path,
            file_text: &text,
            offset: 0,
        };
        let stem = rel
            .strip_suffix(".yaml")
            .or_else(|| rel.strip_suffix(".yml"))
            .unwrap_or(&rel)
            .to_string();
        match stem.as_str() {
            "sources" => match yaml::parse_all::<Vec<SourceEntry>>(&text, origin) {
                Ok(v) => {
                    out.sources = v;
                    out.sources_file = Some(DataText { path, text });
                }
                Err(d) => diags.extend(d),
            },
            "authors" => match yaml::parse_all::<Vec<AuthorEntry>>(&text, origin) {
                Ok(v) => {
                    // Also kept as data, so that an edit of it renders every page again.
                    if let Ok(raw) = yaml::parse::<serde_json::Value>(&text, origin) {
                        out.other.insert(stem, raw);
                    }
                    out.authors = v;
                    out.authors_file = Some(DataText { path, text });
                }
                Err(d) => diags.extend(d),
            },
            "timeline" => match yaml::parse_all::<Vec<EventEntry>>(&text, origin) {
                Ok(v) => {
                    out.timeline = v;
                    out.timeline_file = Some(DataText { path, text });
                }
                Err(d) => diags.extend(d),
            },
            _ => match yaml::parse::<serde_json::Value>(&text, origin) {
                Ok(v) => {
                    out.other.insert(stem, v);
                }
                Err(d) => diags.push(d),
            },
        }
    }
    out
}

/// Find the `nth` (0-based) occurrence of `needle` as a whole YAML token in `text`, returning its
/// byte offset. Used to point at a reference the model found to be wrong (serde_yaml keeps no
/// positions once values are read).
pub fn locate_token(text: &str, needle: &str, nth: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.' || c == '/';
    let mut found = 0;
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c));
        let after_ok = text[end..].chars().next().is_none_or(|c| !is_word(c));
        if before_ok && after_ok {
            if found == nth {
                return Some(start);
            }
            found += 1;
        }
        from = start + needle.len().max(1);
    }
    None
}

/// Byte offset of the `nth` occurrence of `needle` used as a whole YAML value: after `key:`, a
/// list dash, `[` or `,` (perhaps quoted), and followed by the end of the line, `,`, `]`, a
/// quote or a comment. That is where an id is used, as opposed to mentioned in a title.
pub fn locate_value(text: &str, needle: &str, nth: usize) -> Option<usize> {
    let mut found = 0;
    let mut k = 0;
    while let Some(start) = locate_token(text, needle, k) {
        k += 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let before = text[line_start..start].trim_end();
        let before = before
            .strip_suffix(['"', '\''])
            .map_or(before, str::trim_end);
        let after = text[start + needle.len()..line_end].trim_start();
        let after = after
            .strip_prefix(['"', '\''])
            .unwrap_or(after)
            .trim_start();
        let is_value = before.ends_with([':', '-', '[', ','])
            && (after.is_empty() || after.starts_with([',', ']', '#']));
        if is_value {
            if found == nth {
                return Some(start);
            }
            found += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn origin<'a>(file_text: &'a str) -> yaml::Origin<'a> {
        yaml::Origin {
            file: Path::new("content/talks/x.md"),
            file_text,
            offset: 0,
        }
    }

    #[test]
    fn talk_front_reads_approximate_times() {
        let y = "title: T\nstatus: concluded\nvenue: {name: P, timezone: Europe/Istanbul}\n\
                 scheduled_start: 2025-05-16T12:30\nactual_start: {at: 2025-05-16T13:30, approximate: true}\n";
        let f = parse_front("talks/x.md", y, origin(y)).unwrap();
        let Front::Talk(t) = f else { panic!() };
        assert!(t.actual_start.unwrap().approximate);
    }

    #[test]
    fn unknown_zone_is_located() {
        let y = "title: T\nstatus: concluded\nvenue:\n  name: P\n  timezone: Europe/Istanbull\n";
        let d = parse_front("talks/x.md", y, origin(y))
            .unwrap_err()
            .into_iter()
            .next()
            .unwrap();
        assert!(d.message.contains("unknown time zone"), "{d:?}");
        assert_eq!(d.location.unwrap().line, 5);
    }

    #[test]
    fn impossible_date_is_located() {
        let y = "title: T\nstatus: concluded\nvenue: {name: P, timezone: UTC}\nscheduled_start: 2025-02-30\n";
        let d = parse_front("talks/x.md", y, origin(y))
            .unwrap_err()
            .into_iter()
            .next()
            .unwrap();
        assert!(d.message.contains("2025-02-30"), "{d:?}");
        assert_eq!(d.location.unwrap().line, 4);
    }

    #[test]
    fn locate_value_skips_mentions() {
        let t =
            "title: Truce or truce talks\ntopics: [truce]\nmore:\n  - topic: \"truce\"  # again\n";
        assert_eq!(locate_value(t, "truce", 0), t.find("[truce").map(|i| i + 1));
        assert_eq!(
            locate_value(t, "truce", 1),
            t.find("\"truce").map(|i| i + 1)
        );
        assert_eq!(locate_value(t, "truce", 2), None);
        assert_eq!(locate_value("title: truce\n", "truce", 0), Some(7));
    }

    #[test]
    fn locate_token_matches_whole_ids() {
        let t = "leaders: [rustem-umerov-x, rustem-umerov]\n";
        assert_eq!(locate_token(t, "rustem-umerov", 0), Some(27));
        assert_eq!(locate_token(t, "rustem-umerov", 1), None);
    }
}
