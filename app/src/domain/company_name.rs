use serde::{Deserialize, Serialize};

use super::{text::parse_display_text, ValidationError};

/// The account's (company's) name, shown in the top bar and in emails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CompanyName(String);

parsed_text!(CompanyName);

impl CompanyName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_display_text(raw, "company name", 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
