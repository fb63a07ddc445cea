use chrono::{Datelike as _, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::{query_value, FieldErrors};

const MAX_PERSON_CHARS: usize = 320;
/// The end of 9999, the last year a filter or a page's link may name.
const LAST_MICROS: i64 = 253_402_300_799_999_999;

/// Which events the audit log shows, from the page's address: all of them
/// filter by nothing. Dates are days on the viewer's calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Someone who acted or was acted on: a user's id (a profile's link to
    /// the log) or an email address typed in the filter.
    pub person: String,
    /// An event's stored name (`user.role_changed`).
    pub kind: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Where a page reached by "Older events" starts.
    pub before: Option<Cursor>,
}

/// The last event of the page before: the next page holds the events that
/// come right after it, newest first, so every page costs the same and none
/// is shown twice while new events are recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// When it happened, in microseconds since 1970 (the database's precision).
    pub at_micros: i64,
    pub id: i64,
}

impl Cursor {
    fn parse(raw: &str) -> Option<Self> {
        let (at, id) = raw.split_once('.')?;
        Some(Self {
            at_micros: at
                .parse()
                .ok()
                .filter(|at| (0..=LAST_MICROS).contains(at))?,
            id: id.parse().ok().filter(|id| *id > 0)?,
        })
    }

    fn to_param(self) -> String {
        format!("{}.{}", self.at_micros, self.id)
    }
}

impl AuditFilter {
    /// Each bad value is an error under its field's name.
    pub fn parse(
        person: &str,
        kind: &str,
        from: &str,
        to: &str,
        before: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let person = person.trim();
        if person.chars().count() > MAX_PERSON_CHARS || person.chars().any(char::is_control) {
            errors.add("person", "Enter one email address.");
        }
        let from = parse_day(from.trim(), "from", &mut errors);
        let to = parse_day(to.trim(), "to", &mut errors);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", "The end date is before the start date.");
            }
        }
        let before = match before.trim() {
            "" => None,
            raw => Cursor::parse(raw).or_else(|| {
                errors.add(
                    "before",
                    "This page's link is broken. Start again from the newest events.",
                );
                None
            }),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            person: person.to_owned(),
            kind: kind.trim().to_owned(),
            from,
            to,
            before,
        })
    }

    /// The log's address for this filter, from its newest events.
    pub fn href(&self) -> String {
        self.address("/manage/audit-log", None)
    }

    /// The next page's address: the events older than `last`.
    pub fn older_href(&self, last: Cursor) -> String {
        self.address("/manage/audit-log", Some(last))
    }

    /// The address of every event this filter matches, as CSV.
    pub fn export_href(&self) -> String {
        self.address("/manage/audit-log/export", None)
    }

    /// Whether anything narrows the log.
    pub fn is_narrowed(&self) -> bool {
        !self.person.is_empty() || !self.kind.is_empty() || self.from.is_some() || self.to.is_some()
    }

    fn address(&self, path: &str, before: Option<Cursor>) -> String {
        let mut params = Vec::new();
        for (name, value) in [("person", &self.person), ("kind", &self.kind)] {
            if !value.is_empty() {
                params.push(format!("{name}={}", query_value(value)));
            }
        }
        for (name, day) in [("from", self.from), ("to", self.to)] {
            if let Some(day) = day {
                params.push(format!("{name}={}", day.format("%Y-%m-%d")));
            }
        }
        if let Some(before) = before {
            params.push(format!("before={}", before.to_param()));
        }
        if params.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }
}

fn parse_day(raw: &str, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    if raw.is_empty() {
        return None;
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|day| (1970..=9999).contains(&day.year()));
    if day.is_none() {
        errors.add(field, "Enter a date like 2026-12-31.");
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_address_shows_everything() {
        let filter = AuditFilter::parse("", "", "", "", "").unwrap();
        assert_eq!(filter, AuditFilter::default());
        assert!(!filter.is_narrowed());
        assert_eq!(filter.href(), "/manage/audit-log");
    }

    #[test]
    fn a_filter_round_trips_through_its_address() {
        let filter = AuditFilter::parse(
            " grace+ops@example.com ",
            "user.role_changed",
            "2026-11-01",
            "2026-11-30",
            "",
        )
        .unwrap();
        assert!(filter.is_narrowed());
        assert_eq!(
            filter.older_href(Cursor {
                at_micros: 1_764_547_200_000_000,
                id: 42
            }),
            "/manage/audit-log?person=grace%2Bops%40example.com&kind=user.role_changed\
             &from=2026-11-01&to=2026-11-30&before=1764547200000000.42"
        );
        assert_eq!(
            AuditFilter::parse("", "", "", "", "1764547200000000.42")
                .unwrap()
                .before,
            Some(Cursor {
                at_micros: 1_764_547_200_000_000,
                id: 42
            })
        );
    }

    #[test]
    fn garbage_is_an_error_under_its_field() {
        assert!(AuditFilter::parse("a\0@example.com", "", "", "", "").is_err());
        let errors = AuditFilter::parse(&"x".repeat(400), "", "yesterday", "2026-02-30", "12;DROP")
            .unwrap_err();
        assert_eq!(errors.get("person"), Some("Enter one email address."));
        assert_eq!(errors.get("from"), Some("Enter a date like 2026-12-31."));
        assert_eq!(errors.get("to"), Some("Enter a date like 2026-12-31."));
        assert!(errors.get("before").is_some());
        for cursor in ["1.0", "1.-5", ".5", "1.", "-1.5", "253402300800000000.1"] {
            assert!(
                AuditFilter::parse("", "", "", "", cursor).is_err(),
                "{cursor}"
            );
        }
        let errors = AuditFilter::parse("", "", "2026-12-02", "2026-12-01", "").unwrap_err();
        assert_eq!(
            errors.get("to"),
            Some("The end date is before the start date.")
        );
        assert!(AuditFilter::parse("", "", "0001-01-01", "", "").is_err());
    }
}
