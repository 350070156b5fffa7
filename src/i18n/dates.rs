//! Dates and times in a language's conventions, with ICU4X's compiled CLDR data.
//!
//! Jiff's civil values are handed to ICU4X's Gregorian formatters field by field (the
//! `jiff-icu` bridge targets jiff 0.2, not the jiff 1 this crate uses; the conversion is the
//! three integers of a date and two of a time). The formatting locale is the Fluent message
//! `date-locale` of the language (`en-GB` for English, so English dates read "16 May 2025" and
//! times "12:30"), never the machine's.

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{T, Y, YM, YMD};
use icu_datetime::{FixedCalendarDateTimeFormatter, NoCalendarFormatter};
use icu_locale_core::Locale as IcuLocale;
use icu_time::Time;

/// The formatters of one language.
pub(crate) struct Dates {
    ymd: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    ym: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    y: FixedCalendarDateTimeFormatter<Gregorian, Y>,
    hm: NoCalendarFormatter<T>,
}

impl Dates {
    /// Formatters for `tag` (a BCP 47 tag such as `en-GB` or `uk`). `None` when the tag does not
    /// parse or ICU4X cannot make a formatter for it.
    pub(crate) fn new(tag: &str) -> Option<Dates> {
        let loc: IcuLocale = tag.parse().ok()?;
        Some(Dates {
            ymd: FixedCalendarDateTimeFormatter::try_new((&loc).into(), YMD::long()).ok()?,
            ym: FixedCalendarDateTimeFormatter::try_new((&loc).into(), YM::long()).ok()?,
            y: FixedCalendarDateTimeFormatter::try_new((&loc).into(), Y::long()).ok()?,
            hm: NoCalendarFormatter::try_new((&loc).into(), T::hm()).ok()?,
        })
    }

    fn gregorian(d: jiff::civil::Date) -> Option<Date<Gregorian>> {
        Date::try_new_gregorian(i32::from(d.year()), d.month() as u8, d.day() as u8).ok()
    }

    /// "16 May 2025", "16 травня 2025 р.", "2025년 5월 16일".
    pub(crate) fn date(&self, d: jiff::civil::Date) -> String {
        match Self::gregorian(d) {
            Some(g) => self.ymd.format(&g).to_string(),
            None => d.to_string(),
        }
    }

    /// "March 2022", "березень 2022 р.".
    pub(crate) fn month(&self, year: i16, month: i8) -> String {
        match jiff::civil::Date::new(year, month, 1)
            .ok()
            .and_then(Self::gregorian)
        {
            Some(g) => self.ym.format(&g).to_string(),
            None => format!("{year:04}-{month:02}"),
        }
    }

    /// "2014", "2014 р.".
    pub(crate) fn year(&self, year: i16) -> String {
        match jiff::civil::Date::new(year, 1, 1)
            .ok()
            .and_then(Self::gregorian)
        {
            Some(g) => self.y.format(&g).to_string(),
            None => year.to_string(),
        }
    }

    /// "12:30" (hours and minutes as the language writes them).
    pub(crate) fn time(&self, t: jiff::civil::Time) -> String {
        match Time::try_new(t.hour() as u8, t.minute() as u8, 0, 0) {
            Ok(i) => self.hm.format(&i).to_string(),
            Err(_) => t.strftime("%H:%M").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> jiff::civil::Date {
        jiff::civil::Date::new(y, m, day).unwrap()
    }

    /// CLDR puts a narrow no-break space (U+202F) before "р." and "г.", so the year never
    /// breaks from its abbreviation.
    #[test]
    fn dates_in_each_language() {
        let cases = [
            ("en-GB", "16 May 2025", "March 2022", "2014", "09:05"),
            (
                "uk",
                "16 травня 2025\u{202f}р.",
                "березень 2022\u{202f}р.",
                "2014",
                "09:05",
            ),
            (
                "ru",
                "16 мая 2025\u{202f}г.",
                "март 2022\u{202f}г.",
                "2014",
                "09:05",
            ),
            ("ko", "2025년 5월 16일", "2022년 3월", "2014년", "오전 9:05"),
        ];
        for (tag, date, month, year, time) in cases {
            let f = Dates::new(tag).unwrap();
            assert_eq!(f.date(d(2025, 5, 16)), date, "{tag}");
            assert_eq!(f.month(2022, 3), month, "{tag}");
            assert_eq!(f.year(2014), year, "{tag}");
            assert_eq!(f.time(jiff::civil::time(9, 5, 0, 0)), time, "{tag}");
        }
    }

    #[test]
    fn a_bad_tag_gives_no_formatter() {
        assert!(Dates::new("not a tag!").is_none());
    }
}
