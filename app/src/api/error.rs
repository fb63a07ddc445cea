//! The API's errors, answered in the shape of Help Scout's Mailbox API 2.0
//! (`application/vnd.error+json`, with a `logRef` that also names the log
//! line), never a 5xx for what a client sent.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::json;

/// What went wrong with an API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No credential, or one Roster does not accept (unknown, revoked,
    /// expired, or its user can no longer sign in).
    #[error("Authentication is required: send a valid API key or access token in the Authorization header")]
    Unauthenticated,
    #[error("You are not allowed to access this resource")]
    Forbidden,
    #[error("Resource not found")]
    NotFound,
    /// The account's plan does not have the feature.
    #[error("{0}")]
    NeedsPlan(&'static str),
    /// The account used up its requests for this minute.
    #[error("Too many requests: the account's limit is {limit} a minute")]
    TooManyRequests { limit: u32, retry_after: u64 },
    /// A parameter the client sent is not what the endpoint takes.
    #[error("Bad request")]
    Invalid {
        /// Where: the parameter's name.
        path: &'static str,
        message: String,
        rejected: String,
    },
    #[error("Something went wrong on our side")]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    pub fn invalid(path: &'static str, message: impl Into<String>, rejected: &str) -> Self {
        Self::Invalid {
            path,
            message: message.into(),
            rejected: rejected.chars().take(200).collect(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::NeedsPlan(_) => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let log_ref = match &self {
            ApiError::Unexpected(error) => {
                crate::error::report_unexpected(anyhow::anyhow!("{error:#}"))
            }
            _ => uuid::Uuid::new_v4().to_string(),
        };
        let mut body = json!({ "logRef": log_ref, "message": self.to_string() });
        if let ApiError::Invalid {
            path,
            message,
            rejected,
        } = &self
        {
            body["_embedded"] = json!({ "errors": [{
                "path": path,
                "message": message,
                "rejectedValue": rejected,
                "source": "URL",
            }] });
        }
        let mut response = (status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vnd.error+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let ApiError::TooManyRequests { retry_after, .. } = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"Roster\""),
            );
        }
        response
    }
}
