//! SCIM's errors (RFC 7644 §3.12): the HTTP status, the `scimType` the RFC
//! names for a 400 or 409 when one fits, and words for the person reading
//! the identity provider's log, as `application/scim+json`.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// The media type of every SCIM answer (RFC 7644 §3.1).
pub const SCIM_JSON: &str = "application/scim+json";

/// The RFC's names for what was wrong with a request (RFC 7644 §3.12,
/// table 9), for the ones Roster answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
}

impl ScimType {
    pub fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<ScimType>,
    pub detail: String,
    /// For a 429: the seconds until the account's next minute.
    pub retry_after: Option<u64>,
}

impl ScimError {
    /// A 400 of the kind `scim_type`.
    pub fn bad(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            scim_type: Some(scim_type),
            detail: detail.into(),
            retry_after: None,
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            scim_type: None,
            detail: detail.into(),
            retry_after: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            scim_type: None,
            detail: "Send the account's SCIM token from Company > Provisioning as a Bearer token. A token stops working once the person who made it no longer manages users.".into(),
            retry_after: None,
        }
    }

    /// A 409 of the kind `scim_type`.
    pub fn conflict(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            scim_type: Some(scim_type),
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// A 429: the account has made its requests for this minute.
    pub fn too_many(limit: u32, retry_after: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            scim_type: None,
            detail: format!("This account may make {limit} API requests a minute. Try again in {retry_after} seconds."),
            retry_after: Some(retry_after),
        }
    }

    /// A 412: `If-Match` named a version the resource has moved on from.
    pub fn stale() -> Self {
        Self {
            status: StatusCode::PRECONDITION_FAILED,
            scim_type: None,
            detail: "The resource changed since that version: read it again.".into(),
            retry_after: None,
        }
    }

    /// One of Roster's own area errors, with its status and words (a 500
    /// was logged with its reference when it was made).
    pub fn from_area<E: crate::error::HttpError + std::fmt::Display>(error: E) -> Self {
        Self {
            status: StatusCode::from_u16(error.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            scim_type: None,
            detail: error.to_string(),
            retry_after: None,
        }
    }

    /// The body, as RFC 7644 §3.12 writes it (the status as a string).
    pub fn body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = scim_type.as_str().into();
        }
        body
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"Roster SCIM\""),
            );
        }
        response
    }
}

/// Anything unexpected: logged with a reference the answer gives, so the
/// operator can find it; the words say nothing of the cause.
impl From<anyhow::Error> for ScimError {
    fn from(error: anyhow::Error) -> Self {
        let reference = crate::error::report_unexpected(error);
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            scim_type: None,
            detail: format!("Something went wrong on our side (reference {reference})."),
            retry_after: None,
        }
    }
}

impl From<super::filter::FilterError> for ScimError {
    fn from(error: super::filter::FilterError) -> Self {
        ScimError::bad(ScimType::InvalidFilter, error.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_rfcs() {
        let error = ScimError::bad(ScimType::InvalidFilter, "Unexpected ')'.");
        assert_eq!(
            error.body(),
            serde_json::json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "400",
                "scimType": "invalidFilter",
                "detail": "Unexpected ')'.",
            })
        );
        let missing = ScimError::not_found("No such user.").body();
        assert_eq!(missing["status"], "404");
        assert!(missing.get("scimType").is_none());
    }

    #[test]
    fn the_answer_is_scim_json() {
        let response = ScimError::unauthorized().into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[header::CONTENT_TYPE], SCIM_JSON);
        assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
