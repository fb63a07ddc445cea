//! What a SCIM write carries besides its caller: a JSON body (any JSON
//! media type; at most [`MAX_BODY_BYTES`]) and the request's facts for the
//! audit log and `If-Match`.

use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, StatusCode},
};
use serde_json::Value;

use super::{
    error::{ScimError, ScimType},
    user_store::Precondition,
};
use crate::request::RequestInfo;

/// The largest body a SCIM request may send (a user is well under 4 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body read as JSON.
pub struct ScimJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimJson {
    type Rejection = ScimError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ScimError> {
        let body = match crate::body::read_within(request.into_body(), MAX_BODY_BYTES).await {
            Ok(body) => body,
            Err(crate::body::Unread::TooLarge) => {
                return Err(ScimError {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    scim_type: None,
                    detail: format!(
                        "A SCIM request body can be at most {} KiB.",
                        MAX_BODY_BYTES / 1024
                    ),
                    retry_after: None,
                })
            }
            Err(crate::body::Unread::BrokeOff) => {
                return Err(ScimError::bad(
                    ScimType::InvalidSyntax,
                    "The request broke off.",
                ))
            }
        };
        serde_json::from_slice(&body)
            .map(ScimJson)
            .map_err(|error| {
                ScimError::bad(
                    ScimType::InvalidSyntax,
                    format!("The body is not JSON: {error}."),
                )
            })
    }
}

/// The request's facts: who sent it from where, and its `If-Match`.
pub struct ScimRequest {
    pub info: RequestInfo,
    pub precondition: Precondition,
}

impl<S: Send + Sync> FromRequestParts<S> for ScimRequest {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ScimError> {
        let if_match = parts
            .headers
            .get(header::IF_MATCH)
            .map(|value| {
                value.to_str().map(str::to_owned).map_err(|_| {
                    ScimError::bad(ScimType::InvalidValue, "If-Match is not readable text.")
                })
            })
            .transpose()?;
        Ok(Self {
            info: RequestInfo::from_parts(parts),
            precondition: Precondition(if_match),
        })
    }
}
