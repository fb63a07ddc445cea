use crate::domain::{
    parse_alternate_emails, parse_optional_text, parse_phone, FieldErrors, PersonName, TimeFormat,
    ValidationError, MAX_JOB_TITLE_CHARS, MAX_PRONOUNS_CHARS,
};

/// The Profile section's form, as typed.
pub struct ProfileForm<'a> {
    pub name: &'a str,
    pub alternate_emails: &'a str,
    pub job_title: &'a str,
    pub phone: &'a str,
    pub pronouns: &'a str,
    pub timezone: &'a str,
    pub time_format: &'a str,
}

/// A valid Profile section save. Whether the time zone is a known IANA name
/// is the server's check (the list lives there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub name: PersonName,
    pub alternate_emails: Vec<String>,
    pub job_title: String,
    pub phone: String,
    pub pronouns: String,
    pub timezone: String,
    pub time_format: TimeFormat,
}

impl ProfileUpdate {
    pub fn parse(form: &ProfileForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", PersonName::parse(form.name));
        let alternate_emails = errors.check(
            "alternate_emails",
            // Whether one repeats the main address is checked where that is known.
            parse_alternate_emails(form.alternate_emails, ""),
        );
        let job_title = errors.check(
            "job_title",
            parse_optional_text(form.job_title, "job title", MAX_JOB_TITLE_CHARS),
        );
        let phone = errors.check("phone", parse_phone(form.phone));
        let pronouns = errors.check(
            "pronouns",
            parse_optional_text(form.pronouns, "pronoun", MAX_PRONOUNS_CHARS),
        );
        let timezone = errors.check("timezone", timezone_shape(form.timezone));
        let time_format = errors.check("time_format", TimeFormat::parse(form.time_format));
        match (
            name,
            alternate_emails,
            job_title,
            phone,
            pronouns,
            timezone,
            time_format,
        ) {
            (
                Some(name),
                Some(alternate_emails),
                Some(job_title),
                Some(phone),
                Some(pronouns),
                Some(timezone),
                Some(time_format),
            ) if errors.is_empty() => Ok(Self {
                name,
                alternate_emails,
                job_title,
                phone,
                pronouns,
                timezone,
                time_format,
            }),
            _ => Err(errors),
        }
    }
}

fn timezone_shape(raw: &str) -> Result<String, ValidationError> {
    let zone = raw.trim();
    let plausible = !zone.is_empty()
        && zone.len() <= 64
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    if plausible {
        Ok(zone.to_owned())
    } else {
        Err(ValidationError::new("Choose a time zone from the list."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_checked_on_its_own() {
        let ok = ProfileForm {
            name: "Ada Lovelace",
            alternate_emails: "ada@example.com\nada.k@example.com",
            job_title: "",
            phone: "+44 20 7946 0000",
            pronouns: "she/her",
            timezone: "Europe/London",
            time_format: "12h",
        };
        let update = ProfileUpdate::parse(&ok).unwrap();
        assert_eq!(update.time_format, TimeFormat::TwelveHour);
        assert_eq!(update.alternate_emails.len(), 2);
        let bad = ProfileForm {
            name: "",
            alternate_emails: "nope",
            job_title: "\u{0}",
            phone: "call me",
            pronouns: &"x".repeat(41),
            timezone: "Mars/Olympus Mons; DROP",
            time_format: "25h",
        };
        let errors = ProfileUpdate::parse(&bad).unwrap_err();
        for field in [
            "name",
            "alternate_emails",
            "job_title",
            "phone",
            "pronouns",
            "timezone",
            "time_format",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
