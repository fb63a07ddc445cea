//! The token endpoint's errors, as RFC 6749 §5.2 words them: a JSON body
//! with `error` (and a human `error_description`), never cached.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// A parameter missing, repeated, or not what the grant takes.
    #[error("{0}")]
    InvalidRequest(String),
    /// Unknown App ID, wrong App Secret, or a deleted app.
    #[error("The App ID or App Secret is not right, or the app was deleted.")]
    InvalidClient,
    /// The grant itself no longer holds, e.g. the app's maker was deleted.
    #[error("{0}")]
    InvalidGrant(String),
    #[error("Roster does not offer this grant_type.")]
    UnsupportedGrantType,
    #[error("Roster has no scopes: leave scope out.")]
    InvalidScope,
    /// A body over [`super::token::MAX_BODY_BYTES`].
    #[error("The request is too large.")]
    TooLarge,
    #[error("Something went wrong on our side.")]
    Unexpected(#[from] anyhow::Error),
}

impl OAuthError {
    fn code(&self) -> &'static str {
        match self {
            OAuthError::InvalidRequest(_) | OAuthError::TooLarge => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant(_) => "invalid_grant",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidScope => "invalid_scope",
            OAuthError::Unexpected(_) => "server_error",
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = match &self {
            OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
            OAuthError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            OAuthError::Unexpected(error) => {
                crate::error::report_unexpected(anyhow::anyhow!("{error:#}"));
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        };
        let body = serde_json::json!({
            "error": self.code(),
            "error_description": self.to_string(),
        });
        let mut response = super::token::no_store(status, body);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Roster\""),
            );
        }
        response
    }
}
