use serde::{Deserialize, Serialize};

use crate::{
    domain::FieldErrors,
    error::{unexpected_message, HttpError},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ProfileError {
    #[error("Sign in to continue.")]
    SignInRequired,
    #[error("You can't see or change this user's profile.")]
    Forbidden,
    #[error("Only the user can do this, from their own profile.")]
    OnlyTheUser,
    #[error("{feature} are available on the Plus and Pro plans.")]
    NeedsPlusOrPro { feature: String },
    #[error("That user is not in this account, or has been deleted.")]
    NotFound,
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("Someone else changed this profile while you were editing it. Reload the page to see their changes, then make yours again.")]
    Stale,
    /// Too much costly work (hashing, decoding photos) at once: the request
    /// is turned away (503) rather than left waiting.
    #[error("Roster is busy right now. Wait {retry_after} seconds, then try again.")]
    Busy { retry_after: u64 },
    #[error("{}", unexpected_message(.reference))]
    Unexpected { reference: String },
    #[error("This request could not be read: {message}")]
    BadRequest { message: String, status: u16 },
}

impl crate::components::FormError for ProfileError {
    fn field(&self, name: &str) -> Option<String> {
        match self {
            ProfileError::Invalid(errors) => errors.get(name).map(str::to_owned),
            _ => None,
        }
    }
}

impl HttpError for ProfileError {
    fn status(&self) -> u16 {
        match self {
            ProfileError::SignInRequired => 401,
            ProfileError::Forbidden
            | ProfileError::OnlyTheUser
            | ProfileError::NeedsPlusOrPro { .. } => 403,
            ProfileError::NotFound => 404,
            ProfileError::Invalid(_) => 422,
            ProfileError::Stale => 409,
            ProfileError::Busy { .. } => 503,
            ProfileError::Unexpected { .. } => 500,
            ProfileError::BadRequest { status, .. } => *status,
        }
    }
}

crate::area_error!(ProfileError);

impl From<crate::domain::PlanRequired> for ProfileError {
    fn from(crate::domain::PlanRequired(feature): crate::domain::PlanRequired) -> Self {
        ProfileError::NeedsPlusOrPro {
            feature: feature.name().into(),
        }
    }
}
