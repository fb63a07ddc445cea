use serde::{Deserialize, Serialize};

use super::{text::parse_display_text, ValidationError};

pub const MAX_NAME_CHARS: usize = 100;

/// A person's name as shown across Roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

parsed_text!(PersonName);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_display_text(raw, "name", MAX_NAME_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Up to two initials for an avatar without a photo.
    pub fn initials(&self) -> String {
        initials(&self.0)
    }
}

/// `Vernon Bear` as (`Vernon`, `Bear`): split at the last space, as the
/// APIs' first and last names; a one-word name has no last name.
pub fn first_and_last(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_owned(), last.to_owned()),
        None => (name.trim().to_owned(), String::new()),
    }
}

pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_last_space() {
        assert_eq!(
            first_and_last("Vernon Bear"),
            ("Vernon".into(), "Bear".into())
        );
        assert_eq!(
            first_and_last("Mary Ann Smith"),
            ("Mary Ann".into(), "Smith".into())
        );
        assert_eq!(first_and_last("Cher"), ("Cher".into(), String::new()));
    }

    #[test]
    fn initials_take_the_first_two_words() {
        assert_eq!(initials("ada lovelace byron"), "AL");
        assert_eq!(initials("Zoë"), "Z");
    }

    #[test]
    fn html_is_kept_literally() {
        let name = PersonName::parse("<script>alert(1)</script>").unwrap();
        assert_eq!(name.as_str(), "<script>alert(1)</script>");
    }
}
