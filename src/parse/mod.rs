//! The parsing kit every stage below the command line shares: UTF-8 decoding, the one
//! serde_yaml user ([`yaml`]), dates with their precision ([`dates`]) and the value types that
//! are checked as they are read (time zones, language tags). It knows nothing of sites:
//! `config` reads `site.yaml` with it and `load` reads content with it.

pub(crate) mod dates;
pub mod yaml;

use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::diagnostics::{Code, Diagnostic};

/// Decode bytes as UTF-8 (a leading BOM is dropped, CRLF becomes LF); anything else is an error
/// located at the first bad byte.
pub fn decode_utf8(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n")
        } else {
            s
        }),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let (line, col) = crate::diagnostics::line_col(&prefix, good);
            Err(Diagnostic::new(
                Code::NotUtf8,
                format!("file is not valid UTF-8 (bad byte 0x{:02X})", bytes[good]),
            )
            .in_file(path)
            .at(&prefix, line, col)
            .hint("save the file as UTF-8"))
        }
    }
}

/// Old names the tz database keeps as links after renaming a zone (tz NEWS): still accepted, never
/// suggested, so `Europe/Kyev` gets `Europe/Kyiv` rather than `Europe/Kiev`.
const RENAMED: &[&str] = &[
    "America/Godthab",
    "Asia/Calcutta",
    "Asia/Dacca",
    "Asia/Katmandu",
    "Asia/Rangoon",
    "Asia/Saigon",
    "Asia/Thimbu",
    "Asia/Ujung_Pandang",
    "Asia/Ulan_Bator",
    "Atlantic/Faeroe",
    "Europe/Kiev",
    "Pacific/Enderbury",
    "Pacific/Ponape",
    "Pacific/Truk",
];

/// The time zone of an IANA name from jiff's bundled database, `None` if it has none. Each
/// thread keeps the zones it looked up: a page asks for the same few zones for every time it
/// shows, and a lookup in the database costs more than the conversion.
pub(crate) fn zone(name: &str) -> Option<jiff::tz::TimeZone> {
    thread_local! {
        static ZONES: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Option<jiff::tz::TimeZone>>> =
            Default::default();
    }
    ZONES.with(|z| {
        if let Some(tz) = z.borrow().get(name) {
            return tz.clone();
        }
        let tz = jiff::tz::db().get(name).ok();
        z.borrow_mut().insert(name.into(), tz.clone());
        tz
    })
}

/// An IANA time zone name, checked against jiff's bundled database when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimeZoneName(pub String);

impl<'de> Deserialize<'de> for TimeZoneName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if jiff::tz::db().get(&s).is_ok() {
            return Ok(TimeZoneName(s));
        }
        let names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_string())
            .filter(|n| !RENAMED.contains(&n.as_str()))
            .collect();
        let hint = match crate::diagnostics::did_you_mean(&s, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "use an IANA name such as Europe/Istanbul".to_string(),
        };
        yaml::soft_error(format!("unknown time zone `{s}`{}{hint}", yaml::HINT))
            .map(|()| TimeZoneName("UTC".into()))
            .map_err(serde::de::Error::custom)
    }
}

/// A BCP 47 language tag (`uk`, `en-GB`, `zh-Hant`), checked for form when read: it ends up in
/// `lang` attributes, where a malformed one makes the page invalid HTML and misleads screen
/// readers. The primary subtag must be an ISO 639 code (two or three letters), or `x-…` /
/// `i-…`; every subtag is one to eight letters or digits, joined by `-`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub(crate) struct LanguageTag(pub String);

impl LanguageTag {
    /// Why `s` is not a well-formed tag, if it is not: (message, hint).
    pub(crate) fn problem(s: &str) -> Option<(String, String)> {
        let parts: Vec<&str> = s.split('-').collect();
        let subtag_ok =
            |p: &&str| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric());
        let primary = parts[0];
        let primary_ok = (2..=3).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_alphabetic())
            || (primary.eq_ignore_ascii_case("x") || primary.eq_ignore_ascii_case("i"))
                && parts.len() > 1;
        if primary_ok && parts.iter().all(subtag_ok) {
            return None;
        }
        let hint = if s.contains('_') {
            format!(
                "parts of a language tag are joined by `-`: `{}`",
                s.replace('_', "-")
            )
        } else if s.contains(char::is_whitespace) || primary.len() > 3 {
            "use a code such as `en`, `uk`, `ru` or `en-GB`, not a name".to_string()
        } else {
            "use a BCP 47 tag such as `en`, `uk`, `ru` or `en-GB`".to_string()
        };
        Some((format!("`{s}` is not a language tag"), hint))
    }
}

impl std::ops::Deref for LanguageTag {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for LanguageTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match LanguageTag::problem(&s) {
            None => Ok(LanguageTag(s)),
            Some((message, hint)) => yaml::soft_error(format!("{message}{}{hint}", yaml::HINT))
                .map(|()| LanguageTag("und".into()))
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Text that is required: empty, blank or null (`title: ''`, `title: ~`, `title:`) is refused
/// where it is written, as a missing key is (it would make an empty link text wherever the
/// record is listed). One function per key, so the message names the key (and the YAML layer
/// finds its line by it).
fn required_text<'de, D: Deserializer<'de>>(d: D, key: &str) -> Result<String, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(serde::de::Error::custom(format!(
            "`{key}` must not be empty{}write the text, in quotes if it starts with a sign such as `-` or `[`",
            yaml::HINT
        ))),
    }
}

/// A required `title` ([`required_text`]).
pub(crate) fn required_title<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required_text(d, "title")
}

/// A required `name` ([`required_text`]).
pub(crate) fn required_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required_text(d, "name")
}

/// A required `text` ([`required_text`]).
pub(crate) fn required_text_field<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required_text(d, "text")
}

/// A required `publisher` ([`required_text`]).
pub(crate) fn required_publisher<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required_text(d, "publisher")
}

/// A list of strings; a single string is refused with a clear message rather than split.
pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<String>::deserialize(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let s = decode_utf8(
            Path::new("a.md"),
            b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(s, "---\ntitle: A\n---\n");
    }

    #[test]
    fn latin1_is_refused_with_a_location() {
        let d = decode_utf8(Path::new("a.md"), b"---\ntitle: caf\xE9\n".to_vec()).unwrap_err();
        assert!(d.message.contains("UTF-8"));
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 11));
    }

    #[test]
    fn language_tags_must_be_well_formed() {
        for ok in [
            "en",
            "uk",
            "ru",
            "tr",
            "en-GB",
            "zh-Hant-TW",
            "qab-Geor",
            "x-klingon",
            "es-419",
            "de-CH-1996",
        ] {
            assert_eq!(LanguageTag::problem(ok), None, "{ok}");
        }
        for (bad, hint) in [
            ("en_US", "`en-US`"),
            ("English", "not a name"),
            ("en-", "BCP 47"),
            ("e", "BCP 47"),
            ("", "BCP 47"),
            ("en-toolongsubtag", "BCP 47"),
            ("x", "BCP 47"),
        ] {
            let (_, h) = LanguageTag::problem(bad).unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(h.contains(hint), "{bad:?}: {h}");
        }
    }
}
