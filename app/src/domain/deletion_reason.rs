use super::{text::parse_display_text, FieldErrors};

const MAX_OTHER_REASON_CHARS: usize = 500;

/// Why a user was deleted: one of a short list, or "Other" in words.
pub const DELETION_REASONS: [(&str, &str); 5] = [
    ("left_company", "They left the company"),
    ("duplicate", "It's a duplicate account"),
    ("no_access_needed", "They no longer need access"),
    ("security", "The account may be compromised"),
    ("other", "Other"),
];

/// The reason as it is recorded: the list item's words, or the typed text.
pub fn parse_deletion_reason(reason: &str, other: &str) -> Result<String, FieldErrors> {
    match reason.trim() {
        "other" => parse_display_text(other, "reason", MAX_OTHER_REASON_CHARS)
            .map_err(|e| FieldErrors::single("other_reason", e.0)),
        key => DELETION_REASONS
            .iter()
            .find(|(k, _)| *k == key && *k != "other")
            .map(|(_, words)| (*words).to_owned())
            .ok_or_else(|| FieldErrors::single("reason", "Choose why you are deleting this user.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_reason_or_words_for_other() {
        assert_eq!(
            parse_deletion_reason("left_company", "ignored").as_deref(),
            Ok("They left the company")
        );
        assert_eq!(
            parse_deletion_reason("other", " Contractor, project over ").as_deref(),
            Ok("Contractor, project over")
        );
        assert!(parse_deletion_reason("", "")
            .unwrap_err()
            .get("reason")
            .is_some());
        assert!(parse_deletion_reason("sudo", "")
            .unwrap_err()
            .get("reason")
            .is_some());
        assert!(parse_deletion_reason("other", " ")
            .unwrap_err()
            .get("other_reason")
            .is_some());
        let essay = "x".repeat(10 * 1024);
        assert!(parse_deletion_reason("other", &essay)
            .unwrap_err()
            .get("other_reason")
            .is_some());
    }
}
