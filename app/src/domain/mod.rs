//! Parse, don't validate: the types every form turns into before anything
//! acts on it. The same code runs in the browser (to show an error next to the
//! field as you leave it) and on the server (where the rule is enforced; the
//! browser leaves out what only the server needs, such as the list of
//! breached passwords).

/// Makes the text type `$name` (a tuple struct over its `String`, with a
/// `parse`) deserialize only through its parser, and serialize as its text:
/// `#[serde(try_from = "String", into = "String")]` on the type uses these.
macro_rules! parsed_text {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = super::ValidationError;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

mod alternate_emails;
mod company_name;
mod deletion_reason;
mod email;
mod field_errors;
mod invite_validity;
mod notifications;
mod number;
mod oauth_app;
mod password;
mod permissions;
mod person_name;
mod plan;
mod profile_text;
mod query_value;
mod role;
mod team_name;
mod text;
mod two_factor_roles;
mod unicode;

pub use alternate_emails::{parse_alternate_emails, MAX_ALTERNATE_EMAILS};
pub use company_name::CompanyName;
pub use deletion_reason::{DeletionReason, DELETION_REASONS};
pub use email::{parse_auto_bcc, Email};
pub use field_errors::FieldErrors;
pub use invite_validity::{InviteValidity, MAX_INVITE_DAYS, MIN_INVITE_DAYS};
pub use notifications::{
    key as notification_key, Channel, NotificationEvent, NotificationSettings,
};
pub use number::{dollars, grouped};
pub use oauth_app::{AppName, ClientId, NewOAuthApp, RedirectUrl};
pub use password::{
    as_typed as typed_password, strength_hint, Password, PasswordContext, MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS,
};
pub use permissions::{
    built_in_defaults, effective as effective_permissions, explain as explain_permissions, Because,
    Explained, Permission,
};
pub use person_name::{first_and_last, initials as person_initials, PersonName};
pub use plan::{Feature, Plan, PlanRequired, PLUS_OR_PRO};
pub use profile_text::{
    parse_optional_text, parse_phone, TimeFormat, MAX_JOB_TITLE_CHARS, MAX_PRONOUNS_CHARS,
};
pub use query_value::query_value;
pub use role::Role;
pub use team_name::TeamName;
pub use two_factor_roles::TwoFactorRoles;

/// Why a value was refused, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValidationError(pub String);

impl ValidationError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
