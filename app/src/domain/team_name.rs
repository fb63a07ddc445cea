use super::{text::parse_display_text, ValidationError};

const MAX_TEAM_NAME_CHARS: usize = 100;

/// A team's name, unique within the account.
pub fn parse_team_name(raw: &str) -> Result<String, ValidationError> {
    parse_display_text(raw, "team name", MAX_TEAM_NAME_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_follow_the_display_text_rules() {
        assert_eq!(parse_team_name("  Tier 2 ").as_deref(), Ok("Tier 2"));
        assert!(parse_team_name(" ").is_err());
        assert!(parse_team_name("a\u{202E}b").is_err());
        assert!(parse_team_name(&"x".repeat(101)).is_err());
    }
}
