//! The typed shapes of editorial trust: bylines (`authors`, `content/authors.yaml`), values
//! that are approximate or disputed (alternative accounts, each with its sources), durations,
//! extra key facts, the bottom line and the "what to watch" list.
//!
//! Values are read through `serde_json::Value` so that every malformed one gets a message of
//! its own (untagged enums lose the inner error); the YAML layer places it at its line and
//! column. Messages about alternative accounts say "alternative account", which the YAML layer
//! files under `E028`.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::parse::dates::DateValue;
use crate::parse::yaml;

/// Whether a byline names a person or an organisation (schema.org `Person`/`Organization`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthorKind {
    #[default]
    Person,
    Organization,
}

/// One entry of `authors:`: an id of `content/authors.yaml` (a slug), or a plain name with an
/// optional URL.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthorRef {
    Id(String),
    Name {
        name: String,
        url: Option<String>,
        kind: AuthorKind,
    },
}

/// A string that is written like an id (lower case letters, digits, hyphens) is one.
pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl<'de> Deserialize<'de> for AuthorRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        author_ref(&v).map_err(serde::de::Error::custom)
    }
}

fn author_ref(v: &Value) -> Result<AuthorRef, String> {
    match v {
        Value::String(s) if s.trim().is_empty() => Err(format!(
            "an author is empty{}write a name (`The editors`) or an id of content/authors.yaml",
            yaml::HINT
        )),
        Value::String(s) if is_id(s.trim()) => Ok(AuthorRef::Id(s.trim().to_string())),
        Value::String(s) => Ok(AuthorRef::Name {
            name: s.trim().to_string(),
            url: None,
            kind: AuthorKind::Person,
        }),
        Value::Object(m) => {
            if let Some(k) = m
                .keys()
                .find(|k| !["name", "url", "kind"].contains(&k.as_str()))
            {
                return Err(format!(
                    "unknown key `{k}` in an author{}an author takes `name`, `url` and `kind`",
                    yaml::HINT
                ));
            }
            let name = match m.get("name") {
                Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
                _ => {
                    return Err(format!(
                        "an author needs `name:` with text{}write `- name: The editors` (and optionally `url:`)",
                        yaml::HINT
                    ));
                }
            };
            let url = match m.get("url") {
                None => None,
                Some(Value::String(u)) if u.starts_with("https://") || u.starts_with("http://") => {
                    Some(u.clone())
                }
                Some(other) => {
                    return Err(format!(
                        "author URL `{}` is not an http(s) URL{}write it as https://…",
                        scalar_text(other),
                        yaml::HINT
                    ));
                }
            };
            let kind = match m.get("kind") {
                None => AuthorKind::Person,
                Some(k) => serde_json::from_value(k.clone()).map_err(|_| {
                    format!(
                        "author kind `{}` is not `person` or `organization`",
                        scalar_text(k)
                    )
                })?,
            };
            Ok(AuthorRef::Name { name, url, kind })
        }
        other => Err(format!(
            "expected an author's name or id, or `name:` and `url:`, not `{}`",
            scalar_text(other)
        )),
    }
}

/// `content/authors.yaml`: one author the bylines can name by id.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorEntry {
    pub(crate) id: String,
    #[serde(deserialize_with = "crate::parse::required_name")]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) url: Option<String>,
    #[serde(default)]
    pub(crate) kind: AuthorKind,
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "nothing".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
        other => other.to_string(),
    }
}

/// A value an [`Uncertain`] can hold, and the key it is written under in a mapping.
pub trait Scalar: Sized + Clone {
    /// `at` for times, `value` for the others.
    const KEY: &'static str;
    fn from_json(v: &Value) -> Result<Self, String>;
}

impl Scalar for DateValue {
    const KEY: &'static str = "at";
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => DateValue::parse(s),
            other => Err(format!(
                "expected a date-time such as 2025-05-16T13:30, not `{}`",
                scalar_text(other)
            )),
        }
    }
}

/// A length of time in whole minutes: `1h`, `90m`, `1h30m`, `2 hours`, `PT1H30M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minutes(pub u32);

impl Minutes {
    pub fn parse(s: &str) -> Result<Minutes, String> {
        let bad = || {
            format!(
                "invalid duration `{s}`{}write hours and minutes such as `1h`, `90m` or `1h30m`",
                yaml::HINT
            )
        };
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("pt").unwrap_or(&t).replace(' ', "");
        let mut total: u64 = 0;
        let mut num = String::new();
        let mut any = false;
        let mut rest = t.as_str();
        while let Some(c) = rest.chars().next() {
            if c.is_ascii_digit() {
                num.push(c);
                rest = &rest[1..];
                continue;
            }
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let n: u64 = num.parse().map_err(|_| bad())?;
            num.clear();
            total += match unit {
                "h" | "hr" | "hrs" | "hour" | "hours" => n * 60,
                "m" | "min" | "mins" | "minute" | "minutes" => n,
                _ => return Err(bad()),
            };
            any = true;
        }
        if !num.is_empty() || !any || total == 0 || total > 60 * 24 * 366 {
            return Err(bad());
        }
        Ok(Minutes(total as u32))
    }

    /// ISO 8601 (`PT1H30M`), for JSON-LD.
    pub(crate) fn iso(self) -> String {
        let (h, m) = (self.0 / 60, self.0 % 60);
        match (h, m) {
            (0, m) => format!("PT{m}M"),
            (h, 0) => format!("PT{h}H"),
            (h, m) => format!("PT{h}H{m}M"),
        }
    }
}

impl Scalar for Minutes {
    const KEY: &'static str = "value";
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Minutes::parse(s),
            other => Err(format!(
                "expected a duration such as `1h30m`, not `{}`",
                scalar_text(other)
            )),
        }
    }
}

/// A short text or a count, shown as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Text(pub String);

impl Scalar for Text {
    const KEY: &'static str = "value";
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Ok(Text(s.trim().to_string())),
            Value::Number(n) => Ok(Text(n.to_string())),
            other => Err(format!(
                "expected a short text or a number, not `{}`",
                scalar_text(other)
            )),
        }
    }
}

/// One of the alternative accounts of a disputed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Account<T> {
    pub(crate) value: T,
    pub(crate) approximate: bool,
    /// Who gives this account (at least one source).
    pub(crate) sources: Vec<String>,
    /// Inline Markdown: whose account it is, in words ("according to the Ukrainian side").
    pub(crate) note: Option<String>,
}

/// A value that may be approximate (`{value: 1h, approximate: true}`) or disputed
/// (`{accounts: [{value: 1h, sources: [a]}, {value: 2h, sources: [b]}]}`). `value` and
/// `approximate` are the first account's when it is disputed.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain<T> {
    pub(crate) value: T,
    pub(crate) approximate: bool,
    /// Two or more when the value is disputed; empty otherwise.
    pub(crate) accounts: Vec<Account<T>>,
}

impl<T> Uncertain<T> {
    pub(crate) fn disputed(&self) -> bool {
        !self.accounts.is_empty()
    }
}

impl<'de, T: Scalar> Deserialize<'de> for Uncertain<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        uncertain(&v).map_err(serde::de::Error::custom)
    }
}

fn string_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "{what}: expected a source id, not `{}`",
                    scalar_text(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "{what}: expected a list of source ids such as `[reuters-2025-05-16]`, not `{}`",
            scalar_text(other)
        )),
    }
}

fn approximate(m: &serde_json::Map<String, Value>) -> Result<bool, String> {
    match m.get("approximate") {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "`approximate` takes `true` or `false`, not `{}`",
            scalar_text(other)
        )),
    }
}

/// Read one [`Uncertain`] from its YAML value.
pub(crate) fn uncertain<T: Scalar>(v: &Value) -> Result<Uncertain<T>, String> {
    let key = T::KEY;
    let Value::Object(m) = v else {
        return Ok(Uncertain {
            value: T::from_json(v)?,
            approximate: false,
            accounts: Vec::new(),
        });
    };
    if let Some(list) = m.get("accounts") {
        if let Some(k) = m.keys().find(|k| k.as_str() != "accounts") {
            return Err(format!(
                "`{k}` beside `accounts`: a disputed value is its alternative accounts only{}move `{k}` into each alternative account",
                yaml::HINT
            ));
        }
        let Value::Array(items) = list else {
            return Err(format!(
                "`accounts` must list the alternative accounts{}write `accounts:` and under it `- {key}: …` with `sources: […]`, one item per account",
                yaml::HINT
            ));
        };
        if items.len() < 2 {
            return Err(format!(
                "a disputed value needs at least two alternative accounts, found {}{}give each side's account with its sources, or write the single value without `accounts`",
                items.len(),
                yaml::HINT
            ));
        }
        let mut accounts = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let Value::Object(a) = item else {
                return Err(format!(
                    "alternative account {} must be a mapping with `{key}:` and `sources:`",
                    n + 1
                ));
            };
            if let Some(k) = a
                .keys()
                .find(|k| ![key, "approximate", "sources", "note"].contains(&k.as_str()))
            {
                return Err(format!(
                    "unknown key `{k}` in alternative account {}{}an account takes `{key}`, `approximate`, `sources` and `note`",
                    n + 1,
                    yaml::HINT
                ));
            }
            let value = match a.get(key) {
                Some(x) => T::from_json(x)?,
                None => {
                    return Err(format!("alternative account {} has no `{key}:`", n + 1));
                }
            };
            let sources = string_list(a.get("sources"), "sources")?;
            if sources.is_empty() {
                return Err(format!(
                    "alternative account {} has no `sources`{}every account of a disputed value says who gives it: add `sources: [id]`",
                    n + 1,
                    yaml::HINT
                ));
            }
            let note = match a.get("note") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(format!(
                        "`note` of alternative account {} must be text, not `{}`",
                        n + 1,
                        scalar_text(other)
                    ));
                }
            };
            accounts.push(Account {
                value,
                approximate: approximate(a)?,
                sources,
                note,
            });
        }
        let first = accounts[0].clone();
        return Ok(Uncertain {
            value: first.value,
            approximate: first.approximate,
            accounts,
        });
    }
    if let Some(k) = m
        .keys()
        .find(|k| ![key, "approximate"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown key `{k}`{}only `{key}` and `approximate` are allowed here, or `accounts` for a disputed value",
            yaml::HINT
        ));
    }
    let Some(x) = m.get(key) else {
        return Err(format!(
            "expected `{key}: …` and optionally `approximate: true`, or `accounts:` for a disputed value"
        ));
    };
    Ok(Uncertain {
        value: T::from_json(x)?,
        approximate: approximate(m)?,
        accounts: Vec::new(),
    })
}

/// One extra key fact of a talk: a label and a short text or count, which may be approximate
/// or disputed (`facts: [{label: Delegates, value: 12, sources: [a]}]`).
#[derive(Debug, Clone)]
pub struct Fact {
    pub(crate) label: String,
    pub(crate) value: Uncertain<Text>,
    pub(crate) sources: Vec<String>,
}

impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        fact(&v).map_err(serde::de::Error::custom)
    }
}

fn fact(v: &Value) -> Result<Fact, String> {
    let Value::Object(m) = v else {
        return Err("a fact is a mapping with `label:` and `value:` (or `accounts:`)".into());
    };
    if let Some(k) = m
        .keys()
        .find(|k| !["label", "value", "approximate", "accounts", "sources"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown key `{k}` in a fact{}a fact takes `label`, `value`, `approximate`, `accounts` and `sources`",
            yaml::HINT
        ));
    }
    let label = match m.get("label") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err("a fact needs `label:` with text".into()),
    };
    let mut rest = m.clone();
    rest.remove("label");
    let sources = string_list(rest.remove("sources").as_ref(), "sources")?;
    if rest.contains_key("accounts") && !sources.is_empty() {
        return Err(format!(
            "`sources` beside `accounts`: each alternative account has its own{}move the sources into the accounts",
            yaml::HINT
        ));
    }
    let value = uncertain::<Text>(&Value::Object(rest))?;
    Ok(Fact {
        label,
        value,
        sources,
    })
}

/// One item of `watch:`: an open question or next step, with an optional date and sources.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchItem {
    /// Inline Markdown.
    #[serde(deserialize_with = "crate::parse::required_text_field")]
    pub(crate) text: String,
    #[serde(default)]
    pub(crate) date: Option<DateValue>,
    #[serde(default, deserialize_with = "crate::parse::string_list")]
    pub(crate) sources: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_print() {
        assert_eq!(Minutes::parse("1h30m").unwrap(), Minutes(90));
        assert_eq!(Minutes::parse("2 hours").unwrap(), Minutes(120));
        assert_eq!(Minutes::parse("PT45M").unwrap(), Minutes(45));
        assert_eq!(Minutes(60).iso(), "PT1H");
        for bad in ["", "1", "1x", "h", "0m", "1h30"] {
            assert!(Minutes::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn disputed_values_need_two_sourced_accounts() {
        let one: Value = serde_json::json!({"accounts": [{"value": "1h", "sources": ["a"]}]});
        assert!(
            uncertain::<Minutes>(&one)
                .unwrap_err()
                .contains("alternative accounts")
        );
        let unsourced: Value =
            serde_json::json!({"accounts": [{"value": "1h", "sources": ["a"]}, {"value": "2h"}]});
        assert!(
            uncertain::<Minutes>(&unsourced)
                .unwrap_err()
                .contains("no `sources`")
        );
        let ok: Value = serde_json::json!({"accounts": [
            {"value": "1h", "approximate": true, "sources": ["a"]},
            {"value": "2h", "sources": ["b"]}]});
        let u = uncertain::<Minutes>(&ok).unwrap();
        assert!(u.disputed() && u.approximate);
        assert_eq!(u.value, Minutes(60));
    }

    #[test]
    fn authors_are_ids_or_names() {
        assert_eq!(
            author_ref(&Value::String("the-desk".into())).unwrap(),
            AuthorRef::Id("the-desk".into())
        );
        assert!(matches!(
            author_ref(&Value::String("The editors".into())).unwrap(),
            AuthorRef::Name { .. }
        ));
        assert!(author_ref(&serde_json::json!({"name": "A", "url": "ftp://x"})).is_err());
    }
}
