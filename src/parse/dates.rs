//! Dates and times as content writes them, parsed with jiff when the YAML is read.
//!
//! A date keeps its precision: `2014` (a year), `2022-03` (a month), `2025-05-16` (a day),
//! `2025-05-16T12:30` (a local time), `2025-05-16T09:30:00Z` or `…+03:00` (an instant with an
//! offset) and `2025-05-16T12:30[Europe/Istanbul]` (a time in a named zone). Because parsing
//! happens inside deserialization, an impossible date (`2025-02-30`) or an unknown zone is
//! reported by the YAML layer with its line and column.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;
use jiff::{Timestamp, ZonedDateTime};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The last year (and, negated, the first) whose local times convert to an instant in every
/// zone: jiff's instants end a day before its civil dates do.
const MAX_YEAR: i16 = 9998;

/// A date or time with the precision it was written with.
#[derive(Debug, Clone, PartialEq)]
pub enum DateValue {
    Year(i16),
    Month(i16, i8),
    Day(Date),
    /// A wall-clock time with no zone (interpreted in the context's zone, e.g. the venue's).
    Local(DateTime),
    /// An exact instant written with an offset (`Z` or `+03:00`).
    Instant(Timestamp, Offset),
    /// A wall-clock time in a named IANA zone.
    Zoned(Box<ZonedDateTime>),
}

impl DateValue {
    pub fn parse(s: &str) -> Result<DateValue, String> {
        let v = DateValue::parse_any(s)?;
        // A time without a zone is read in one later (the venue's, or UTC): it must convert
        // to an instant in any of them, which jiff's instants allow only for these years.
        let year = v.start().year();
        if v.instant().is_none() && !(-MAX_YEAR..=MAX_YEAR).contains(&year) {
            return Err(format!(
                "`{}` cannot be placed in time: it is out of range{}write a date between the years -{MAX_YEAR} and {MAX_YEAR}",
                s.trim(),
                super::yaml::HINT
            ));
        }
        Ok(v)
    }

    fn parse_any(s: &str) -> Result<DateValue, String> {
        let s = s.trim();
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if s.len() == 4 && digits(s) {
            let y: i16 = s.parse().map_err(|_| format!("invalid year `{s}`"))?;
            return Ok(DateValue::Year(y));
        }
        if s.len() == 7 && digits(&s[..4]) && &s[4..5] == "-" && digits(&s[5..]) {
            let y: i16 = s[..4]
                .parse()
                .map_err(|_| format!("invalid year in `{s}`"))?;
            let m: i8 = s[5..]
                .parse()
                .map_err(|_| format!("invalid month in `{s}`"))?;
            if !(1..=12).contains(&m) {
                return Err(format!("invalid date `{s}`: month {m} does not exist"));
            }
            return Ok(DateValue::Month(y, m));
        }
        if s.len() == 10 {
            return s
                .parse::<Date>()
                .map(DateValue::Day)
                .map_err(|e| format!("invalid date `{s}`: {e}"));
        }
        if s.contains('[') {
            return s
                .parse::<ZonedDateTime>()
                .map(|z| DateValue::Zoned(Box::new(z)))
                .map_err(|e| format!("invalid date-time `{s}`: {e}"));
        }
        let has_offset = s.ends_with('Z')
            || s.ends_with('z')
            || s.get(10..)
                .is_some_and(|t| t.contains('+') || t.rfind('-').is_some());
        if has_offset {
            let pieces = jiff::fmt::temporal::Pieces::parse(s)
                .map_err(|e| format!("invalid date-time `{s}`: {e}"))?;
            let offset = pieces.to_numeric_offset().unwrap_or(Offset::UTC);
            let ts = s
                .parse::<Timestamp>()
                .map_err(|e| format!("invalid date-time `{s}`: {e}"))?;
            return Ok(DateValue::Instant(ts, offset));
        }
        s.parse::<DateTime>()
            .map(DateValue::Local)
            .map_err(|e| format!("invalid date-time `{s}`: {e}"))
    }

    /// The civil date-time this value starts at, for ordering and "latest date" computations.
    pub(crate) fn start(&self) -> DateTime {
        match self {
            DateValue::Year(y) => Date::new(*y, 1, 1)
                .unwrap_or_default()
                .to_datetime(jiff::civil::Time::midnight()),
            DateValue::Month(y, m) => Date::new(*y, *m, 1)
                .unwrap_or_default()
                .to_datetime(jiff::civil::Time::midnight()),
            DateValue::Day(d) => d.to_datetime(jiff::civil::Time::midnight()),
            DateValue::Local(dt) => *dt,
            DateValue::Instant(ts, off) => off.to_datetime(*ts),
            DateValue::Zoned(z) => z.datetime(),
        }
    }

    /// The calendar day, if the value is at least that precise.
    pub(crate) fn day(&self) -> Option<Date> {
        match self {
            DateValue::Year(_) | DateValue::Month(..) => None,
            _ => Some(self.start().date()),
        }
    }

    /// The exact instant, if the value carries a zone or offset.
    pub(crate) fn instant(&self) -> Option<Timestamp> {
        match self {
            DateValue::Instant(ts, _) => Some(*ts),
            DateValue::Zoned(z) => Some(z.timestamp()),
            _ => None,
        }
    }

    /// `year`, `month`, `day`, `minute`: how precise the value is.
    pub(crate) fn precision(&self) -> &'static str {
        match self {
            DateValue::Year(_) => "year",
            DateValue::Month(..) => "month",
            DateValue::Day(_) => "day",
            _ => "minute",
        }
    }

    /// RFC 3339 for an instant; for a day, midnight UTC (used by feeds and sitemaps).
    pub(crate) fn rfc3339(&self) -> String {
        match self {
            DateValue::Instant(ts, off) => ts
                .to_zoned_datetime(jiff::tz::TimeZone::fixed(*off))
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            DateValue::Zoned(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            other => format!(
                "{}T{}Z",
                other.start().date(),
                other.start().time().strftime("%H:%M:%S")
            ),
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Year(y) => write!(f, "{y:04}"),
            DateValue::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            DateValue::Day(d) => write!(f, "{d}"),
            DateValue::Local(dt) => write!(f, "{}", dt.strftime("%Y-%m-%dT%H:%M")),
            DateValue::Instant(..) => f.write_str(&self.rfc3339()),
            DateValue::Zoned(z) => write!(f, "{}", z.strftime("%Y-%m-%dT%H:%M%:z[%Q]")),
        }
    }
}

impl PartialOrd for DateValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.start().cmp(&other.start()))
    }
}

impl Serialize for DateValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A bad date is reported without stopping the parse ([`crate::parse::yaml::soft_error`]); the
/// placeholder never leaves a failed parse.
fn soft<E: de::Error>(r: Result<DateValue, String>) -> Result<DateValue, E> {
    r.or_else(|m| {
        crate::parse::yaml::soft_error(m)
            .map(|()| DateValue::Year(0))
            .map_err(E::custom)
    })
}

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a date such as 2025-05-16, 2025-05, 2025 or 2025-05-16T12:30[Europe/Istanbul]",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                soft(DateValue::parse(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateValue, E> {
                soft(DateValue::parse(&v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateValue, E> {
                soft(DateValue::parse(&v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precisions() {
        assert_eq!(DateValue::parse("2014").unwrap().precision(), "year");
        assert_eq!(DateValue::parse("2022-03").unwrap().to_string(), "2022-03");
        assert_eq!(DateValue::parse("2025-05-16").unwrap().precision(), "day");
        let z = DateValue::parse("2025-05-16T12:30[Europe/Istanbul]").unwrap();
        assert_eq!(z.instant().unwrap().to_string(), "2025-05-16T09:30:00Z");
        let i = DateValue::parse("2025-05-16T12:30:00+03:00").unwrap();
        assert_eq!(i.rfc3339(), "2025-05-16T12:30:00+03:00");
        let l = DateValue::parse("2025-05-16T12:30").unwrap();
        assert_eq!(l.to_string(), "2025-05-16T12:30");
    }

    #[test]
    fn impossible_dates_and_zones_are_errors() {
        assert!(
            DateValue::parse("2025-02-30")
                .unwrap_err()
                .contains("2025-02-30")
        );
        assert!(DateValue::parse("2025-13").is_err());
        assert!(DateValue::parse("2025-05-16T12:30[Mars/Olympus]").is_err());
    }

    #[test]
    fn local_times_are_those_every_zone_can_convert() {
        for bad in ["9999-12-31T23:30", "9999-12-31", "9999", "9999-01"] {
            let e = DateValue::parse(bad).unwrap_err();
            assert!(e.contains("out of range"), "{bad}: {e}");
        }
        for ok in ["9998-12-31T23:59", "9998-12", "9998", "0001-01-01T00:00"] {
            let v = DateValue::parse(ok).unwrap();
            for zone in ["Pacific/Kiritimati", "Etc/GMT+12", "America/New_York"] {
                let tz = jiff::tz::db().get(zone).unwrap();
                assert!(v.start().to_zoned_datetime(tz).is_ok(), "{ok} in {zone}");
            }
        }
    }

    #[test]
    fn ordering_uses_the_start() {
        let a = DateValue::parse("2022-03").unwrap();
        let b = DateValue::parse("2022-03-02").unwrap();
        assert!(a < b);
    }
}
