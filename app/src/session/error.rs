use serde::{Deserialize, Serialize};

use crate::{
    domain::FieldErrors,
    error::{unexpected_message, HttpError},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AuthError {
    /// The one answer for an unknown email, a wrong password, and a locked,
    /// deleted or not yet accepted account: nothing here tells them apart.
    #[error("That email and password don't match an account you can sign in to. Check them and try again, or reset your password.")]
    InvalidCredentials,
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("Too many attempts from your network. Wait {retry_after} seconds, then try again.")]
    TooManyRequests { retry_after: u64 },
    #[error("This reset link is not valid. Ask for a new one.")]
    ResetLinkInvalid,
    #[error("Sign in to continue.")]
    SignInRequired,
    #[error("That password is not right.")]
    WrongPassword,
    #[error("Confirm your password first: it has been more than a few minutes.")]
    ReauthenticationRequired,
    #[error("There is no such session.")]
    NotFound,
    #[error("That code is not right. Enter the 6 digits your app shows now, or one of your recovery codes.")]
    InvalidCode,
    #[error("This sign-in took too long or had too many wrong codes. Sign in again.")]
    ChallengeExpired,
    /// Ten wrong codes in a row: codes are refused for a while, even right ones.
    #[error("Too many wrong codes for this account. Wait {} minutes, then try again, or reset your password.", .retry_after.div_ceil(60))]
    CodesRefused { retry_after: u64 },
    /// Too much costly work (hashing, decoding photos) at once: the request
    /// is turned away (503) rather than left waiting.
    #[error("Roster is busy right now. Wait {retry_after} seconds, then try again.")]
    Busy { retry_after: u64 },
    #[error("{}", unexpected_message(.reference))]
    Unexpected { reference: String },
    #[error("This request could not be read: {message}")]
    BadRequest { message: String, status: u16 },
}

impl crate::components::FormError for AuthError {
    fn field(&self, name: &str) -> Option<String> {
        match self {
            AuthError::Invalid(errors) => errors.get(name).map(str::to_owned),
            _ => None,
        }
    }
}

impl HttpError for AuthError {
    fn status(&self) -> u16 {
        match self {
            AuthError::InvalidCredentials => 401,
            AuthError::Invalid(_) => 422,
            AuthError::TooManyRequests { .. } => 429,
            AuthError::ResetLinkInvalid => 410,
            AuthError::SignInRequired | AuthError::WrongPassword => 401,
            AuthError::ReauthenticationRequired => 403,
            AuthError::NotFound => 404,
            AuthError::InvalidCode => 401,
            AuthError::ChallengeExpired => 410,
            AuthError::CodesRefused { .. } => 429,
            AuthError::Busy { .. } => 503,
            AuthError::Unexpected { .. } => 500,
            AuthError::BadRequest { status, .. } => *status,
        }
    }
}

crate::area_error!(AuthError);
