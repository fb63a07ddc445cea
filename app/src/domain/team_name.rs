use super::{text::parse_display_text, ValidationError};

const MAX_TEAM_NAME_CHARS: usize = 100;

/// A team's name, unique within the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamName(String);

parsed_text!(TeamName);

impl TeamName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_display_text(raw, "team name", MAX_TEAM_NAME_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_follow_the_display_text_rules() {
        assert_eq!(TeamName::parse("  Tier 2 ").unwrap().as_str(), "Tier 2");
        assert!(TeamName::parse(" ").is_err());
        assert!(TeamName::parse("a\u{202E}b").is_err());
        assert!(TeamName::parse(&"x".repeat(101)).is_err());
    }
}
