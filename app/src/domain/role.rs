use serde::{Deserialize, Serialize};

use super::ValidationError;

/// What a user may do in the account. There is exactly one Owner.
/// Stored as its `as_str` text; the server reads it straight into a `Role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Role {
    Owner,
    Administrator,
    User,
    LightUser,
}

impl Role {
    /// The value stored in the database and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Administrator => "administrator",
            Role::User => "user",
            Role::LightUser => "light_user",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Account Owner",
            Role::Administrator => "Administrator",
            Role::User => "User",
            Role::LightUser => "Light User",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw {
            "owner" => Ok(Role::Owner),
            "administrator" => Ok(Role::Administrator),
            "user" => Ok(Role::User),
            "light_user" => Ok(Role::LightUser),
            _ => Err(ValidationError::new("Choose a role from the list.")),
        }
    }

    /// Owners and Administrators manage users.
    pub fn manages_users(self) -> bool {
        matches!(self, Role::Owner | Role::Administrator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_stored_form() {
        for role in [
            Role::Owner,
            Role::Administrator,
            Role::User,
            Role::LightUser,
        ] {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("Owner").is_err());
        assert!(Role::parse("").is_err());
    }
}
