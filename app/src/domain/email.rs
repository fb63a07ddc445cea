use serde::{Deserialize, Serialize};

use super::ValidationError;

const MAX_EMAIL: usize = 254;
const MAX_LOCAL_PART: usize = 63;
const MAX_LABEL: usize = 63;
const LOCAL_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~.-";

/// An email address a person signs in with and receives mail at.
///
/// Plain ASCII only: a lookalike such as a Cyrillic `а` would otherwise let
/// one person register an address that reads exactly like another's. The
/// domain is lower-cased; the local part is kept as typed, and uniqueness is
/// checked on the lower-cased whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

parsed_text!(Email);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if raw.len() > MAX_EMAIL * 4 {
            return Err(too_long());
        }
        // Fullwidth forms (ｊｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ) become ASCII first.
        let normalized = super::unicode::nfkc(raw);
        let address = normalized.trim();
        if address.is_empty() {
            return Err(ValidationError::new("Enter an email address."));
        }
        if address.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "An email address cannot contain line breaks or control characters.",
            ));
        }
        if !address.is_ascii() {
            return Err(ValidationError::new(
                "Use an email address written in plain Latin letters, digits and symbols.",
            ));
        }
        if address.len() > MAX_EMAIL {
            return Err(too_long());
        }
        let Some((local, domain)) = address.rsplit_once('@') else {
            return Err(malformed());
        };
        check_local_part(local)?;
        check_domain(domain)?;
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_local_part(local: &str) -> Result<(), ValidationError> {
    if local.len() > MAX_LOCAL_PART {
        return Err(ValidationError::new(format!(
            "The part before the @ can be at most {MAX_LOCAL_PART} characters."
        )));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || LOCAL_SYMBOLS.contains(c);
    if local.is_empty()
        || !local.chars().all(allowed)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return Err(malformed());
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), ValidationError> {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(malformed());
    }
    Ok(())
}

fn malformed() -> ValidationError {
    ValidationError::new("Enter an email address like name@example.com.")
}

fn too_long() -> ValidationError {
    ValidationError::new(format!(
        "An email address can be at most {MAX_EMAIL} characters."
    ))
}

/// An Auto Bcc address: empty clears it (`None`); anything else must be an
/// email address.
pub fn parse_auto_bcc(raw: &str) -> Result<Option<Email>, ValidationError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Email::parse(raw).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_only_through_its_parser() {
        let read: Email = serde_json::from_str("\" Ada@Example.COM \"").unwrap();
        assert_eq!(read.as_str(), "Ada@example.com");
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"Ada@example.com\"");
        assert!(serde_json::from_str::<Email>("\"not an address\"").is_err());
        assert!(serde_json::from_str::<super::super::PersonName>("\"\\u0000\"").is_err());
    }

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(
            Email::parse(" Ada.L+x@Example.COM ").unwrap().as_str(),
            "Ada.L+x@example.com"
        );
        assert!(Email::parse("o'brien@mail.example.ie").is_ok());
    }

    #[test]
    fn fullwidth_is_normalised_then_accepted() {
        assert_eq!(
            Email::parse("ｊｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ")
                .unwrap()
                .as_str(),
            "joe@example.com"
        );
    }

    #[test]
    fn refuses_confusables_and_header_injection() {
        assert!(Email::parse("\u{0430}dmin@x.io").is_err());
        assert!(Email::parse("a@x.io\r\nBcc: b@y.io").is_err());
        assert!(Email::parse("a\0@x.io").is_err());
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "   ",
            "plain",
            "@x.io",
            "a@",
            "a@localhost",
            "a..b@x.io",
            ".a@x.io",
            "a@-x.io",
            "a@x..io",
            "a b@x.io",
            "<script>@x.io",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn enforces_length_limits() {
        assert!(Email::parse(&format!("{}@x.io", "a".repeat(63))).is_ok());
        assert!(Email::parse(&format!("{}@x.io", "a".repeat(64))).is_err());
        let long_domain = format!("{}.io", vec!["b".repeat(60); 5].join("."));
        assert!(Email::parse(&format!("a@{long_domain}")).is_err());
        assert!(Email::parse(&"a".repeat(1_000_000)).is_err());
    }
}
