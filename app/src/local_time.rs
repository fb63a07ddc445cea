//! Times as a person reads them: in the time zone and the 12- or 24-hour
//! clock their profile names, with the zone said.

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use chrono_tz::Tz;

/// How one person reads times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    zone: Tz,
    twelve_hour: bool,
}

impl LocalTime {
    /// From a profile's stored `timezone` and `time_format`; a zone this
    /// build does not know reads as UTC.
    pub fn of(timezone: &str, time_format: &str) -> Self {
        Self {
            zone: timezone.parse().unwrap_or(Tz::UTC),
            twelve_hour: time_format == "12h",
        }
    }

    /// The zone's IANA name, e.g. `Europe/Berlin`.
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// "1 Dec 2026, 14:05 CET" or "1 Dec 2026, 2:05 PM CET".
    pub fn format(&self, at: DateTime<Utc>) -> String {
        let pattern = if self.twelve_hour {
            "%-d %b %Y, %-I:%M %p %Z"
        } else {
            "%-d %b %Y, %H:%M %Z"
        };
        at.with_timezone(&self.zone).format(pattern).to_string()
    }

    /// "1 Dec 2026": the day it is (or was) at `at` on this person's
    /// calendar, for what is shown to the day.
    pub fn date(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone).format("%-d %b %Y").to_string()
    }

    /// The first instant of a day on this person's calendar (the earliest,
    /// when a clock change repeats midnight; the first after a skipped one).
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let mut at = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        // A zone may skip midnight: the day starts at the first hour it has.
        for _ in 0..24 {
            if let Some(start) = self.zone.from_local_datetime(&at).earliest() {
                return start.with_timezone(&Utc);
            }
            at += chrono::TimeDelta::hours(1);
        }
        day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
    }

    /// The day it is (or was) at `at` on this person's calendar.
    pub fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn shows_the_time_in_the_persons_zone_and_clock() {
        let winter = at("2026-12-01T13:05:00Z");
        assert_eq!(
            LocalTime::of("Europe/Berlin", "24h").format(winter),
            "1 Dec 2026, 14:05 CET"
        );
        assert_eq!(
            LocalTime::of("America/New_York", "12h").format(winter),
            "1 Dec 2026, 8:05 AM EST"
        );
        assert_eq!(
            LocalTime::of("no/such_zone", "24h").format(winter),
            "1 Dec 2026, 13:05 UTC"
        );
    }

    #[test]
    fn a_day_starts_at_the_persons_midnight() {
        let zone = LocalTime::of("Asia/Tokyo", "24h");
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(zone.start_of(day), at("2026-11-30T15:00:00Z"));
        assert_eq!(zone.day_of(at("2026-11-30T15:00:00Z")), day);
        assert_eq!(
            zone.day_of(at("2026-11-30T14:59:59Z")),
            day.pred_opt().unwrap()
        );
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_its_first_hour() {
        // Santiago moved its clocks from 00:00 to 01:00 on 6 Sep 2026.
        let zone = LocalTime::of("America/Santiago", "24h");
        let day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(zone.day_of(zone.start_of(day)), day);
        assert_eq!(zone.start_of(day), at("2026-09-06T04:00:00Z"));
    }
}
