//! The kinds of briefing record, each declared once.
//!
//! One line of [`kinds!`] per kind says where its files live, what its front matter type is,
//! what it is called, which template renders it, how navigation labels its section, and whether
//! the records it references list it ("backlinked"). Its front matter type says which records
//! it references ([`Record::refs`]) and whether it stands on the timeline ([`Record::event`]).
//! Everything else derives from this: which shape a file is read with, reference checking and
//! "did you mean", navigation, the timeline, the lists of what references a record, and the
//! per-kind `match`es the compiler asks for (views, the export) when a kind is added.

use crate::diagnostics::Diagnostics;
use crate::load::records::{
    Common, PageFront, PartyFront, PersonFront, StatementFront, TalkFront, TopicFront,
};
use crate::parse::dates::DateValue;
use crate::parse::yaml;

/// What one kind of record is (see [`Kind::decl`]).
#[derive(Debug)]
pub(crate) struct Decl {
    /// Folder under `content/` holding one file per record (`talks`).
    pub(crate) folder: &'static str,
    /// The kind's name in messages, `page.kind` and anchors (`talk`).
    pub(crate) one: &'static str,
    /// The interface string (Fluent message) labelling its section in navigation (`nav-talks`).
    pub(crate) nav: &'static str,
    /// The template a record of this kind is rendered with.
    pub(crate) template: &'static str,
    /// Records it references list it under their own page (`statements` on a party's page).
    pub(crate) backlinked: bool,
}

macro_rules! kinds {
    ($($variant:ident($front:ident) {
        folder: $folder:literal, one: $one:literal, nav: $nav:literal,
        template: $template:literal, backlinked: $backlinked:literal $(,)?
    },)*) => {
        /// A kind of briefing record.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Kind { $($variant,)* }

        impl Kind {
            /// Every kind, in navigation order.
            pub(crate) const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            pub(crate) fn decl(self) -> &'static Decl {
                match self {
                    $(Kind::$variant => &Decl {
                        folder: $folder,
                        one: $one,
                        nav: $nav,
                        template: $template,
                        backlinked: $backlinked,
                    },)*
                }
            }

            /// The kind whose records live in `content/<dir>/`.
            pub(crate) fn from_folder(dir: &str) -> Option<Kind> {
                match dir {
                    $($folder => Some(Kind::$variant),)*
                    _ => None,
                }
            }
        }

        /// Front matter, by kind of page.
        #[derive(Debug, Clone)]
        pub enum Front {
            /// Any page outside the record folders.
            Page(Box<PageFront>),
            $($variant(Box<$front>),)*
        }

        impl Front {
            /// The record kind, or `None` for a generic page.
            pub fn kind(&self) -> Option<Kind> {
                match self {
                    Front::Page(_) => None,
                    $(Front::$variant(_) => Some(Kind::$variant),)*
                }
            }

            /// The keys every kind shares.
            pub fn common(&self) -> Common<'_> {
                match self {
                    Front::Page(f) => f.page_common(),
                    $(Front::$variant(f) => f.common(),)*
                }
            }

            /// The references this page's front matter makes, in the order they are written.
            pub(crate) fn refs(&self) -> Vec<Ref<'_>> {
                let mut out = Vec::new();
                match self {
                    Front::Page(_) => {}
                    $(Front::$variant(f) => f.refs(&mut out),)*
                }
                out
            }

            /// The timeline event this record stands for, if any.
            pub(crate) fn event(&self) -> Option<EventSeed<'_>> {
                match self {
                    Front::Page(_) => None,
                    $(Front::$variant(f) => f.event(),)*
                }
            }
        }

        /// Read front matter already parsed (a translation laid over its original) with the
        /// shape the folder of `rel` calls for.
        pub(crate) fn front_from_value(
            rel: &str,
            value: serde_json::Value,
        ) -> Result<Front, serde_json::Error> {
            Ok(match record_kind(rel) {
                $(Some(Kind::$variant) => Front::$variant(Box::new(serde_json::from_value(value)?)),)*
                None => Front::Page(Box::new(serde_json::from_value(value)?)),
            })
        }

        /// Parse a page's front matter with the shape its folder calls for.
        pub fn parse_front(
            rel: &str,
            yaml_text: &str,
            origin: yaml::Origin<'_>,
        ) -> Result<Front, Diagnostics> {
            Ok(match record_kind(rel) {
                $(Some(Kind::$variant) => Front::$variant(Box::new(yaml::parse_all(yaml_text, origin)?)),)*
                None => Front::Page(Box::new(yaml::parse_all(yaml_text, origin)?)),
            })
        }
    };
}

kinds! {
    Talk(TalkFront) {
        folder: "talks", one: "talk", nav: "nav-talks", template: "talk.html", backlinked: false,
    },
    Party(PartyFront) {
        folder: "parties", one: "party", nav: "nav-parties", template: "party.html", backlinked: false,
    },
    Person(PersonFront) {
        folder: "people", one: "person", nav: "nav-people", template: "person.html", backlinked: false,
    },
    Topic(TopicFront) {
        folder: "topics", one: "topic", nav: "nav-topics", template: "topic.html", backlinked: false,
    },
    Statement(StatementFront) {
        folder: "statements", one: "statement", nav: "nav-statements", template: "statement.html",
        backlinked: true,
    },
}

impl Front {
    /// `talk`, `party`… or `page`.
    pub(crate) fn kind_name(&self) -> &'static str {
        self.kind().map_or("page", |k| k.decl().one)
    }
}

/// The record kind a content-relative path belongs to, if any (`talks/x.md` → talk).
pub fn record_kind(rel: &str) -> Option<Kind> {
    let (dir, name) = rel.split_once('/')?;
    if name.contains('/') || name == "_index.md" {
        return None;
    }
    Kind::from_folder(dir)
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Target {
    Record(Kind),
    /// An entry of `content/sources.yaml`.
    Source,
}

impl Target {
    /// The target's name in messages (`unknown person`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Target::Record(k) => k.decl().one,
            Target::Source => "source",
        }
    }
}

/// One reference written in front matter or a data file: an id of a record or a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ref<'a> {
    pub(crate) to: Target,
    pub(crate) id: &'a str,
}

/// Collects the references of a record.
pub(crate) struct RefsOut<'o, 'a>(&'o mut Vec<Ref<'a>>);

impl<'a> RefsOut<'_, 'a> {
    pub(crate) fn one(&mut self, kind: Kind, id: &'a str) -> &mut Self {
        self.0.push(Ref {
            to: Target::Record(kind),
            id,
        });
        self
    }

    pub(crate) fn opt(&mut self, kind: Kind, id: &'a Option<String>) -> &mut Self {
        if let Some(id) = id {
            self.one(kind, id);
        }
        self
    }

    pub(crate) fn all(&mut self, kind: Kind, ids: &'a [String]) -> &mut Self {
        for id in ids {
            self.one(kind, id);
        }
        self
    }

    pub(crate) fn sources(&mut self, ids: &'a [String]) -> &mut Self {
        for id in ids {
            self.0.push(Ref {
                to: Target::Source,
                id,
            });
        }
        self
    }
}

/// What a record puts on the timeline: its date and the records the event concerns.
#[derive(Debug, Clone)]
pub(crate) struct EventSeed<'a> {
    pub(crate) date: &'a DateValue,
    pub(crate) title: &'a str,
    /// Inline Markdown, in the record's own file.
    pub(crate) text: Option<&'a str>,
    pub(crate) parties: Vec<String>,
    pub(crate) topics: Vec<String>,
    pub(crate) talks: Vec<String>,
    pub(crate) people: Vec<String>,
    pub(crate) sources: &'a [String],
}

/// A kind's front matter type: the keys every kind shares, the references it makes and the
/// timeline event it stands for.
pub(crate) trait Record {
    fn common(&self) -> Common<'_>;
    fn refs<'a>(&'a self, out: &mut Vec<Ref<'a>>);
    fn event(&self) -> Option<EventSeed<'_>> {
        None
    }
}

/// `RefsOut` over `out`, for [`Record::refs`] implementations.
pub(crate) fn refs_out<'o, 'a>(out: &'o mut Vec<Ref<'a>>) -> RefsOut<'o, 'a> {
    RefsOut(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_kinds_come_from_the_folder() {
        assert_eq!(record_kind("talks/a.md"), Some(Kind::Talk));
        assert_eq!(record_kind("statements/a.md"), Some(Kind::Statement));
        assert_eq!(record_kind("talks/_index.md"), None);
        assert_eq!(record_kind("talks/sub/a.md"), None);
        assert_eq!(record_kind("notes/a.md"), None);
    }

    #[test]
    fn every_kind_has_its_own_folder_name_and_template() {
        for (i, a) in Kind::ALL.iter().enumerate() {
            assert_eq!(Kind::from_folder(a.decl().folder), Some(*a));
            for b in &Kind::ALL[i + 1..] {
                assert_ne!(a.decl().folder, b.decl().folder);
                assert_ne!(a.decl().one, b.decl().one);
                assert_ne!(a.decl().template, b.decl().template);
            }
        }
    }
}
