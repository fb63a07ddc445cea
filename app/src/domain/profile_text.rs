use serde::{Deserialize, Serialize};

use super::{text::parse_display_text, ValidationError};

/// Optional display text (job title, pronouns): empty means not given;
/// otherwise the display-text rules apply.
pub fn parse_optional_text(
    raw: &str,
    what: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        parse_display_text(raw, what, max_chars)
    }
}

pub const MAX_JOB_TITLE_CHARS: usize = 100;
pub const MAX_PRONOUNS_CHARS: usize = 40;
const MAX_PHONE_CHARS: usize = 32;

/// A phone number as people write it: digits with spaces, dots, dashes,
/// brackets and a leading +; at least 3 digits. Empty means not given.
pub fn parse_phone(raw: &str) -> Result<String, ValidationError> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(String::new());
    }
    let allowed = phone.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if phone.chars().count() > MAX_PHONE_CHARS {
        Err(ValidationError::new(format!(
            "A phone number can be at most {MAX_PHONE_CHARS} characters."
        )))
    } else if !allowed || digits < 3 {
        Err(ValidationError::new(
            "Enter a phone number with digits, spaces, dashes or brackets, e.g. +1 (555) 010-2345.",
        ))
    } else {
        Ok(phone.to_owned())
    }
}

/// How times are shown to this user. Stored as its `as_str` text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text"))]
pub enum TimeFormat {
    #[cfg_attr(feature = "ssr", sqlx(rename = "12h"))]
    TwelveHour,
    #[default]
    #[cfg_attr(feature = "ssr", sqlx(rename = "24h"))]
    TwentyFourHour,
}

impl TimeFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeFormat::TwelveHour => "12h",
            TimeFormat::TwentyFourHour => "24h",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeFormat::TwelveHour => "12-hour (1:30 PM)",
            TimeFormat::TwentyFourHour => "24-hour (13:30)",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw {
            "12h" => Ok(TimeFormat::TwelveHour),
            "24h" => Ok(TimeFormat::TwentyFourHour),
            _ => Err(ValidationError::new("Choose 12-hour or 24-hour.")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_digits_and_punctuation() {
        assert_eq!(
            parse_phone(" +1 (555) 010-2345 ").unwrap(),
            "+1 (555) 010-2345"
        );
        assert_eq!(parse_phone("").unwrap(), "");
        for bad in ["12", "call me", "1+2345", "555\u{0}1234", &"1".repeat(33)] {
            assert!(parse_phone(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn optional_text_is_empty_or_display_text() {
        assert_eq!(parse_optional_text("  ", "job title", 100).unwrap(), "");
        assert_eq!(
            parse_optional_text(" Support lead ", "job title", 100).unwrap(),
            "Support lead"
        );
        assert!(parse_optional_text("a\u{202e}b", "job title", 100).is_err());
        assert!(parse_optional_text(&"x".repeat(101), "job title", 100).is_err());
    }

    #[test]
    fn time_formats_round_trip() {
        for format in [TimeFormat::TwelveHour, TimeFormat::TwentyFourHour] {
            assert_eq!(TimeFormat::parse(format.as_str()), Ok(format));
        }
        assert!(TimeFormat::parse("13h").is_err());
    }
}
