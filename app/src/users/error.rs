use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::error::{unexpected_message, HttpError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum UsersError {
    #[error("Sign in to continue.")]
    SignInRequired,
    #[error("Only the Account Owner and Administrators can manage users.")]
    Forbidden,
    #[error("{}", unexpected_message(.reference))]
    Unexpected { reference: String },
    #[error("This request could not be read: {message}")]
    BadRequest { message: String, status: u16 },
}

impl HttpError for UsersError {
    fn status(&self) -> u16 {
        match self {
            UsersError::SignInRequired => 401,
            UsersError::Forbidden => 403,
            UsersError::Unexpected { .. } => 500,
            UsersError::BadRequest { status, .. } => *status,
        }
    }
}

impl FromServerFnError for UsersError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        let (status, message) = crate::error::request_error(&error);
        UsersError::BadRequest { message, status }
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for UsersError {
    fn from(error: anyhow::Error) -> Self {
        UsersError::Unexpected {
            reference: crate::error::report_unexpected(error),
        }
    }
}
