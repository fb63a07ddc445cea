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

/// Why a user is deleted, as it is recorded: the list item's words, or
/// the typed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletionReason(String);

impl DeletionReason {
    /// `reason` is a list item's key; `other` the words typed for "Other".
    pub fn parse(reason: &str, other: &str) -> Result<Self, FieldErrors> {
        match reason.trim() {
            "other" => parse_display_text(other, "reason", MAX_OTHER_REASON_CHARS)
                .map(Self)
                .map_err(|e| FieldErrors::single("other_reason", e.0)),
            key => DELETION_REASONS
                .iter()
                .find(|(k, _)| *k == key && *k != "other")
                .map(|(_, words)| Self((*words).to_owned()))
                .ok_or_else(|| {
                    FieldErrors::single("reason", "Choose why you are deleting this user.")
                }),
        }
    }

    /// A deletion an identity provider asked for, through SCIM.
    pub fn deprovisioned_by_scim() -> Self {
        Self("Deprovisioned by SCIM".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_reason_or_words_for_other() {
        assert_eq!(
            DeletionReason::parse("left_company", "ignored")
                .unwrap()
                .as_str(),
            "They left the company"
        );
        assert_eq!(
            DeletionReason::parse("other", " Contractor, project over ")
                .unwrap()
                .as_str(),
            "Contractor, project over"
        );
        assert!(DeletionReason::parse("", "")
            .unwrap_err()
            .get("reason")
            .is_some());
        assert!(DeletionReason::parse("sudo", "")
            .unwrap_err()
            .get("reason")
            .is_some());
        assert!(DeletionReason::parse("other", " ")
            .unwrap_err()
            .get("other_reason")
            .is_some());
        let essay = "x".repeat(10 * 1024);
        assert!(DeletionReason::parse("other", &essay)
            .unwrap_err()
            .get("other_reason")
            .is_some());
    }
}
