use super::{Email, ValidationError};

pub const MAX_ALTERNATE_EMAILS: usize = 5;

/// Other addresses a user writes from, one per line (commas work too): each
/// a valid address, none twice, none the user's own email, at most five.
pub fn parse_alternate_emails(raw: &str, primary: &str) -> Result<Vec<String>, ValidationError> {
    if raw.len() > MAX_ALTERNATE_EMAILS * 300 {
        return Err(too_many());
    }
    let mut emails: Vec<String> = Vec::new();
    for piece in raw
        .split(['\n', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let email =
            Email::parse(piece).map_err(|e| ValidationError::new(format!("{piece}: {}", e.0)))?;
        let address = email.as_str().to_owned();
        if address.eq_ignore_ascii_case(primary.trim()) {
            return Err(ValidationError::new(format!(
                "{address} is already the main email address."
            )));
        }
        if !emails
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&address))
        {
            emails.push(address);
        }
    }
    if emails.len() > MAX_ALTERNATE_EMAILS {
        return Err(too_many());
    }
    Ok(emails)
}

fn too_many() -> ValidationError {
    ValidationError::new(format!(
        "Add at most {MAX_ALTERNATE_EMAILS} alternate email addresses."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_per_line_or_comma_each_once_never_the_main_address() {
        assert_eq!(
            parse_alternate_emails(
                " a@example.com\nB@Example.com, a@example.com\n\n",
                "me@example.com"
            ),
            Ok(vec!["a@example.com".to_owned(), "B@example.com".to_owned()])
        );
        assert_eq!(parse_alternate_emails("", "me@example.com"), Ok(vec![]));
        assert!(parse_alternate_emails("ME@example.com", "me@example.com").is_err());
        assert!(parse_alternate_emails("not an address", "me@example.com").is_err());
        let six = (0..6)
            .map(|i| format!("a{i}@example.com"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(parse_alternate_emails(&six, "me@example.com").is_err());
        assert!(parse_alternate_emails(&"a".repeat(5000), "me@example.com").is_err());
    }
}
