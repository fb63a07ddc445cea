use serde::{Deserialize, Serialize};

use crate::{
    domain::FieldErrors,
    error::{unexpected_message, HttpError},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SetupError {
    #[error("Roster is already set up. Sign in instead.")]
    AlreadySetUp,
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("Too many attempts from your network. Wait {retry_after} seconds, then try again.")]
    TooManyRequests { retry_after: u64 },
    /// Too much costly work (hashing, decoding photos) at once: the request
    /// is turned away (503) rather than left waiting.
    #[error("Roster is busy right now. Wait {retry_after} seconds, then try again.")]
    Busy { retry_after: u64 },
    #[error("{}", unexpected_message(.reference))]
    Unexpected { reference: String },
    /// The request itself was malformed (a forged or broken submission).
    #[error("This request could not be read: {message}")]
    BadRequest { message: String, status: u16 },
}

impl crate::components::FormError for SetupError {
    fn field(&self, name: &str) -> Option<String> {
        match self {
            SetupError::Invalid(errors) => errors.get(name).map(str::to_owned),
            _ => None,
        }
    }
}

impl HttpError for SetupError {
    fn status(&self) -> u16 {
        match self {
            SetupError::AlreadySetUp => 409,
            SetupError::Invalid(_) => 422,
            SetupError::TooManyRequests { .. } => 429,
            SetupError::Busy { .. } => 503,
            SetupError::Unexpected { .. } => 500,
            SetupError::BadRequest { status, .. } => *status,
        }
    }
}

crate::area_error!(SetupError);
