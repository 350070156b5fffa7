//! Times as readers see them: in the venue's zone and in each of the site's display zones.
//!
//! Uses jiff's bundled time-zone database, so output never depends on the build machine. When a
//! converted time falls on another day than the venue's, the date is shown with it
//! (19:00 on 23 July in Istanbul is 01:00 on 24 July in Seoul). Dates, times and zone names are
//! written in the reader's language ([`Locale`]).

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::i18n::Locale;
use crate::parse::dates::DateValue;

/// A time in another zone.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct ZoneTime {
    /// Readable zone name (`Kyiv`, `UTC`).
    pub(crate) zone: String,
    pub(crate) time: String,
    /// The date, only when it differs from the reference (venue) date.
    pub(crate) date: Option<String>,
}

/// A date or time prepared for templates.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct TimeView {
    /// For `<time datetime>`: the exact instant (`2025-05-16T09:30:00Z`) or the date (`2025-05`).
    pub(crate) datetime: String,
    /// `16 May 2025`, `March 2022`, `2014`.
    pub(crate) date: String,
    /// `12:30` in the reference zone, when the value has a time.
    pub(crate) time: Option<String>,
    /// Readable name of the reference zone (`Istanbul`).
    pub(crate) zone: Option<String>,
    pub(crate) approximate: bool,
    /// The same instant in the display zones.
    pub(crate) others: Vec<ZoneTime>,
    /// `year`, `month`, `day`, `minute`.
    pub(crate) precision: &'static str,
}

/// How a time at a venue is labelled: the venue's city ("10:00 Geneva", though the zone is
/// `Europe/Zurich`), else "local time". Reader zones keep their own names ([`Locale::zone`]).
pub(crate) fn venue_label(loc: &Locale, city: Option<&str>) -> String {
    match city {
        Some(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => loc.t("local-time"),
    }
}

/// [`view`] in a venue's zone, labelled with [`venue_label`].
pub(crate) fn at_venue(
    loc: &Locale,
    v: &DateValue,
    zone: &str,
    city: Option<&str>,
    display: &[String],
    approximate: bool,
) -> TimeView {
    relabel(
        view(loc, v, Some(zone), display, approximate),
        Some(&venue_label(loc, city)),
    )
}

/// Replace the label of a view's own zone (when it has one) with `label`.
pub(crate) fn relabel(mut t: TimeView, label: Option<&str>) -> TimeView {
    if let (Some(z), Some(l)) = (t.zone.as_mut(), label) {
        *z = l.to_string();
    }
    t
}

/// Prepare `v` for display. `zone` is the reference zone (the venue's) used for local times and
/// as the first zone shown; `display` are the other zones to show.
pub(crate) fn view(
    loc: &Locale,
    v: &DateValue,
    zone: Option<&str>,
    display: &[String],
    approximate: bool,
) -> TimeView {
    // A wall-clock time with no zone of its own, outside a talk, is read as UTC.
    let zone = match (v, zone) {
        (DateValue::Local(_), None) => Some("UTC"),
        _ => zone,
    };
    let tz = zone.and_then(crate::parse::zone);
    let zoned: Option<ZonedDateTime> = match (v, &tz) {
        (DateValue::Zoned(z), _) => Some((**z).clone()),
        (DateValue::Instant(ts, off), None) => Some(ts.to_zoned_datetime(TimeZone::fixed(*off))),
        (DateValue::Instant(ts, _), Some(tz)) => Some(ts.to_zoned_datetime(tz.clone())),
        (DateValue::Local(dt), Some(tz)) => dt.to_zoned_datetime(tz.clone()).ok(),
        _ => None,
    };
    match (v, zoned) {
        (_, Some(z)) => {
            let zone_name = match v {
                DateValue::Zoned(z) if tz.is_none() => {
                    z.time_zone().iana_name().map(|n| loc.zone(n))
                }
                _ => zone.map(|n| loc.zone(n)),
            };
            let date = z.date();
            let others = display
                .iter()
                .filter(|d| Some(d.as_str()) != zone)
                .filter_map(|d| {
                    let other_tz = crate::parse::zone(d)?;
                    let o = z.timestamp().to_zoned_datetime(other_tz);
                    Some(ZoneTime {
                        zone: loc.zone(d),
                        time: loc.time(o.time()),
                        date: (o.date() != date).then(|| loc.date(o.date())),
                    })
                })
                .collect();
            TimeView {
                datetime: z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                date: loc.date(date),
                time: Some(loc.time(z.time())),
                zone: zone_name,
                approximate,
                others,
                precision: "minute",
            }
        }
        (DateValue::Local(dt), None) => TimeView {
            datetime: dt.strftime("%Y-%m-%dT%H:%M").to_string(),
            date: loc.date(dt.date()),
            time: Some(loc.time(dt.time())),
            zone: None,
            approximate,
            others: Vec::new(),
            precision: "minute",
        },
        (DateValue::Year(y), None) => TimeView {
            datetime: format!("{y:04}"),
            date: loc.year(*y),
            time: None,
            zone: None,
            approximate,
            others: Vec::new(),
            precision: "year",
        },
        (DateValue::Month(y, m), None) => TimeView {
            datetime: format!("{y:04}-{m:02}"),
            date: loc.month(*y, *m),
            time: None,
            zone: None,
            approximate,
            others: Vec::new(),
            precision: "month",
        },
        (other, None) => {
            let d = other.start().date();
            TimeView {
                datetime: d.to_string(),
                date: loc.date(d),
                time: None,
                zone: None,
                approximate,
                others: Vec::new(),
                precision: "day",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> std::sync::Arc<Locale> {
        crate::i18n::Locales::default().default_locale().clone()
    }

    fn zones() -> Vec<String> {
        ["Europe/Kyiv", "Europe/Moscow", "UTC", "Asia/Seoul"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn venue_time_in_display_zones() {
        let v = DateValue::parse("2025-05-16T12:30").unwrap();
        let t = view(&en(), &v, Some("Europe/Istanbul"), &zones(), false);
        assert_eq!(t.datetime, "2025-05-16T09:30:00Z");
        assert_eq!(t.time.as_deref(), Some("12:30"));
        assert_eq!(t.zone.as_deref(), Some("Istanbul"));
        let got: Vec<(String, String)> = t
            .others
            .iter()
            .map(|o| (o.zone.clone(), o.time.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Kyiv".into(), "12:30".into()),
                ("Moscow".into(), "12:30".into()),
                ("UTC".into(), "09:30".into()),
                ("Seoul".into(), "18:30".into()),
            ]
        );
        assert!(t.others.iter().all(|o| o.date.is_none()));
    }

    #[test]
    fn day_boundary_shows_the_date() {
        let v = DateValue::parse("2025-07-23T19:00").unwrap();
        let t = view(&en(), &v, Some("Europe/Istanbul"), &zones(), false);
        let seoul = t.others.iter().find(|o| o.zone == "Seoul").unwrap();
        assert_eq!(seoul.time, "01:00");
        assert_eq!(seoul.date.as_deref(), Some("24 July 2025"));
        let kyiv = t.others.iter().find(|o| o.zone == "Kyiv").unwrap();
        assert_eq!(kyiv.date, None);
    }

    #[test]
    fn daylight_saving_change_is_followed() {
        // Kyiv leaves summer time on 26 October 2025 (UTC+3 → UTC+2); Istanbul stays at +3.
        let before = view(
            &en(),
            &DateValue::parse("2025-10-25T12:00").unwrap(),
            Some("Europe/Istanbul"),
            &zones(),
            false,
        );
        let after = view(
            &en(),
            &DateValue::parse("2025-10-27T12:00").unwrap(),
            Some("Europe/Istanbul"),
            &zones(),
            false,
        );
        let kyiv = |t: &TimeView| {
            t.others
                .iter()
                .find(|o| o.zone == "Kyiv")
                .unwrap()
                .time
                .clone()
        };
        assert_eq!(kyiv(&before), "12:00");
        assert_eq!(kyiv(&after), "11:00");
    }

    #[test]
    fn local_times_without_a_venue_are_utc() {
        let t = view(
            &en(),
            &DateValue::parse("2025-03-20T23:00").unwrap(),
            None,
            &zones(),
            false,
        );
        assert_eq!(t.datetime, "2025-03-20T23:00:00Z");
        assert_eq!(t.zone.as_deref(), Some("UTC"));
        let kyiv = t.others.iter().find(|o| o.zone == "Kyiv").unwrap();
        assert_eq!(
            (kyiv.time.as_str(), kyiv.date.as_deref()),
            ("01:00", Some("21 March 2025"))
        );
    }

    #[test]
    fn venue_times_carry_the_venues_city() {
        let v = DateValue::parse("2025-05-16T10:00").unwrap();
        let t = at_venue(&en(), &v, "Europe/Zurich", Some("Geneva"), &zones(), false);
        assert_eq!(t.zone.as_deref(), Some("Geneva"));
        assert_eq!(t.others[0].zone, "Kyiv");
        let t = at_venue(&en(), &v, "Europe/Zurich", None, &zones(), false);
        assert_eq!(t.zone.as_deref(), Some("local time"));
        // A date without a time has no zone to label.
        let d = DateValue::parse("2025-05-16").unwrap();
        assert_eq!(
            at_venue(&en(), &d, "Europe/Zurich", Some("Geneva"), &[], false).zone,
            None
        );
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        assert_eq!(
            view(
                &en(),
                &DateValue::parse("2022-03").unwrap(),
                None,
                &[],
                false
            )
            .date,
            "March 2022"
        );
        assert_eq!(
            view(&en(), &DateValue::parse("2014").unwrap(), None, &[], false).date,
            "2014"
        );
        assert_eq!(
            view(
                &en(),
                &DateValue::parse("2025-05-11").unwrap(),
                None,
                &[],
                false
            )
            .date,
            "11 May 2025"
        );
    }
}
