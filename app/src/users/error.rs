use serde::{Deserialize, Serialize};

use crate::{
    domain::FieldErrors,
    error::{unexpected_message, HttpError},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum UsersError {
    #[error("Sign in to continue.")]
    SignInRequired,
    #[error("Only the Account Owner and Administrators can manage users.")]
    Forbidden,
    #[error("Only the Account Owner can change the plan.")]
    OwnerOnly,
    #[error("{feature} are available on the Plus and Pro plans.")]
    NeedsPlusOrPro { feature: String },
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The input clashes with what exists, e.g. an email address in use.
    #[error("{0}")]
    Duplicate(FieldErrors),
    #[error("That user is not in this account, or has been deleted.")]
    NotFound,
    /// The action does not fit the user's state, e.g. inviting someone who
    /// has already accepted.
    #[error("{message}")]
    Conflict { message: String },
    /// Too much costly work (hashing, decoding photos) at once: the request
    /// is turned away (503) rather than left waiting.
    #[error("Roster is busy right now. Wait {retry_after} seconds, then try again.")]
    Busy { retry_after: u64 },
    #[error("{}", unexpected_message(.reference))]
    Unexpected { reference: String },
    #[error("This request could not be read: {message}")]
    BadRequest { message: String, status: u16 },
}

impl crate::components::FormError for UsersError {
    fn field(&self, name: &str) -> Option<String> {
        match self {
            UsersError::Invalid(errors) | UsersError::Duplicate(errors) => {
                errors.get(name).map(str::to_owned)
            }
            _ => None,
        }
    }
}

impl HttpError for UsersError {
    fn status(&self) -> u16 {
        match self {
            UsersError::SignInRequired => 401,
            UsersError::Forbidden | UsersError::OwnerOnly | UsersError::NeedsPlusOrPro { .. } => {
                403
            }
            UsersError::Invalid(_) => 422,
            UsersError::Duplicate(_) | UsersError::Conflict { .. } => 409,
            UsersError::NotFound => 404,
            UsersError::Busy { .. } => 503,
            UsersError::Unexpected { .. } => 500,
            UsersError::BadRequest { status, .. } => *status,
        }
    }
}

crate::area_error!(UsersError);

impl From<crate::domain::PlanRequired> for UsersError {
    fn from(crate::domain::PlanRequired(feature): crate::domain::PlanRequired) -> Self {
        UsersError::NeedsPlusOrPro {
            feature: feature.name().into(),
        }
    }
}
