//! `POST /v2/oauth2/token` (RFC 6749 §3.2): an app proves who it is with its
//! App ID and App Secret (HTTP Basic, or `client_id` and `client_secret` in
//! the body; form-encoded as the RFC says, or JSON as Help Scout's clients
//! also send) and, with its grant (client credentials, a code or a refresh
//! token), gets an access token.

use std::collections::HashMap;

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use base64::Engine as _;
use serde_json::json;

use super::{code, refresh, store, OAuthError, ACCESS_TOKEN_SECONDS};
use crate::{request::RequestInfo, state::AppState};

/// The largest request body the endpoint reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Trades an app's credentials, with its grant, for tokens.
#[utoipa::path(
    post,
    path = "/v2/oauth2/token",
    tag = "OAuth 2.0",
    request_body(content = shapes::TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The tokens (never cached)", body = shapes::TokenResponse),
        (status = 400, description = "RFC 6749's invalid_request, invalid_grant, unsupported_grant_type or invalid_scope", body = shapes::OAuthErrorBody),
        (status = 401, description = "invalid_client: unknown App ID, wrong App Secret, or a deleted app", body = shapes::OAuthErrorBody),
        (status = 413, description = "A body over 16 KiB", body = shapes::OAuthErrorBody),
    ),
    security((), ("basic" = []))
)]
pub async fn token(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match crate::body::read_within(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(crate::body::Unread::TooLarge) => return OAuthError::TooLarge.into_response(),
        Err(crate::body::Unread::BrokeOff) => {
            return OAuthError::InvalidRequest("The request broke off.".into()).into_response()
        }
    };
    let info = RequestInfo::from_parts(&parts);
    match grant(&state, &parts.headers, &body, &info).await {
        Ok(issued) => {
            let mut answer = json!({
                "access_token": issued.access_token,
                "token_type": "bearer",
                "expires_in": ACCESS_TOKEN_SECONDS,
            });
            if let Some(refresh_token) = issued.refresh_token {
                answer["refresh_token"] = refresh_token.into();
            }
            no_store(StatusCode::OK, answer)
        }
        Err(error) => error.into_response(),
    }
}

async fn grant(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    info: &RequestInfo,
) -> Result<store::Issued, OAuthError> {
    let params = parameters(headers, body)?;
    let (client_id, secret) = client_credentials(headers, &params)?;
    let client = store::authenticate(state, &client_id, &secret).await?;
    match params.get("grant_type").map(String::as_str) {
        None | Some("") => Err(OAuthError::InvalidRequest("grant_type is missing.".into())),
        Some("client_credentials") => {
            if params
                .get("scope")
                .is_some_and(|scope| !scope.trim().is_empty())
            {
                return Err(OAuthError::InvalidScope);
            }
            store::issue_for_maker(state, &client).await
        }
        Some("authorization_code") => code::redeem(state, &client, &params, info).await,
        Some("refresh_token") => refresh::rotate(state, &client, &params, info).await,
        Some(_) => Err(OAuthError::UnsupportedGrantType),
    }
}

/// A JSON answer that no cache keeps (RFC 6749 §5.1).
pub(super) fn no_store(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The request's parameters, each given at most once (RFC 6749 §3.2).
fn parameters(headers: &HeaderMap, body: &[u8]) -> Result<HashMap<String, String>, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let pairs: Vec<(String, String)> = match content_type.as_str() {
        "application/x-www-form-urlencoded" => url::form_urlencoded::parse(body)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect(),
        "application/json" => {
            let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body)
                .map_err(|_| {
                OAuthError::InvalidRequest("The body is not a JSON object.".into())
            })?;
            object
                .into_iter()
                .map(|(name, value)| match value {
                    serde_json::Value::String(text) => Ok((name, text)),
                    _ => Err(OAuthError::InvalidRequest(format!(
                        "{name} must be a string."
                    ))),
                })
                .collect::<Result<_, _>>()?
        }
        _ => {
            return Err(OAuthError::InvalidRequest(
                "Send the request as application/x-www-form-urlencoded.".into(),
            ))
        }
    };
    let mut parameters = HashMap::new();
    for (name, value) in pairs {
        if parameters.contains_key(&name) {
            return Err(OAuthError::InvalidRequest(format!(
                "{name} is given more than once."
            )));
        }
        parameters.insert(name, value);
    }
    Ok(parameters)
}

/// The App ID and App Secret, from HTTP Basic (each form-encoded, RFC 6749
/// §2.3.1) or from the body: one way only.
fn client_credentials(
    headers: &HeaderMap,
    parameters: &HashMap<String, String>,
) -> Result<(String, String), OAuthError> {
    let in_body = (parameters.get("client_id"), parameters.get("client_secret"));
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return match in_body {
            (Some(id), Some(secret)) => Ok((id.clone(), secret.clone())),
            _ => Err(OAuthError::InvalidClient),
        };
    };
    let (id, secret) = basic(authorization).ok_or(OAuthError::InvalidClient)?;
    match in_body {
        (_, Some(_)) => Err(OAuthError::InvalidRequest(
            "Send the App Secret once: in the Authorization header or in the body, not both."
                .into(),
        )),
        (Some(body_id), None) if *body_id != id => Err(OAuthError::InvalidRequest(
            "client_id differs from the one in the Authorization header.".into(),
        )),
        _ => Ok((id, secret)),
    }
}

fn basic(authorization: &HeaderValue) -> Option<(String, String)> {
    let value = authorization.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    let form_decoded = |part: &str| -> String {
        url::form_urlencoded::parse(format!("x={part}").as_bytes())
            .next()
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()
    };
    Some((form_decoded(id), form_decoded(secret)))
}

/// The endpoint's form and answers, as the API's OpenAPI document names
/// them; the handler reads and writes them as form fields and JSON.
#[allow(dead_code)]
pub mod shapes {
    use serde::Serialize;
    use utoipa::ToSchema;

    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum GrantType {
        ClientCredentials,
        AuthorizationCode,
        RefreshToken,
    }

    /// The token endpoint's form (RFC 6749 §4.1.3, §4.4.2, §6). The App ID
    /// and App Secret go in HTTP Basic or here, not both.
    #[derive(Serialize, ToSchema)]
    pub struct TokenRequest {
        pub grant_type: GrantType,
        pub client_id: Option<String>,
        pub client_secret: Option<String>,
        /// authorization_code: the code the authorization page gave.
        pub code: Option<String>,
        /// authorization_code: as sent to the authorization page, if it was.
        pub redirect_uri: Option<String>,
        /// authorization_code: PKCE's verifier, when a challenge was sent.
        pub code_verifier: Option<String>,
        /// refresh_token: the refresh token to trade (once).
        pub refresh_token: Option<String>,
    }

    #[derive(Serialize, ToSchema)]
    pub struct TokenResponse {
        pub access_token: String,
        /// `bearer`.
        pub token_type: String,
        /// Seconds the access token works (two days).
        pub expires_in: i64,
        /// For the authorization_code and refresh_token grants.
        pub refresh_token: Option<String>,
    }

    /// RFC 6749 §5.2.
    #[derive(Serialize, ToSchema)]
    pub struct OAuthErrorBody {
        /// `invalid_request`, `invalid_client`, `invalid_grant`,
        /// `unsupported_grant_type` or `invalid_scope`.
        pub error: String,
        pub error_description: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap()))
            .collect()
    }

    const FORM: (header::HeaderName, &str) =
        (header::CONTENT_TYPE, "application/x-www-form-urlencoded");

    #[test]
    fn reads_form_and_json_bodies_and_refuses_repeats() {
        let form = parameters(&headers(&[FORM]), b"grant_type=client_credentials&a=%20b").unwrap();
        assert_eq!(form["grant_type"], "client_credentials");
        assert_eq!(form["a"], " b");
        let json_body = parameters(
            &headers(&[(header::CONTENT_TYPE, "application/json; charset=utf-8")]),
            br#"{"grant_type": "client_credentials"}"#,
        )
        .unwrap();
        assert_eq!(json_body["grant_type"], "client_credentials");
        for (content_type, body) in [
            ("application/x-www-form-urlencoded", &b"a=1&a=2"[..]),
            ("application/json", b"[1]"),
            ("application/json", br#"{"a": 1}"#),
            ("text/plain", b"a=1"),
        ] {
            assert!(
                parameters(&headers(&[(header::CONTENT_TYPE, content_type)]), body).is_err(),
                "{content_type} {body:?}"
            );
        }
    }

    #[test]
    fn client_credentials_come_one_way_only() {
        let basic_header = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("app_x:rs%2By+z")
        );
        let with_basic = headers(&[FORM, (header::AUTHORIZATION, basic_header.as_str())]);
        let none = HashMap::new();
        assert_eq!(
            client_credentials(&with_basic, &none).unwrap(),
            ("app_x".into(), "rs+y z".into())
        );
        let secret_twice = HashMap::from([("client_secret".to_owned(), "rs_y".to_owned())]);
        assert!(matches!(
            client_credentials(&with_basic, &secret_twice),
            Err(OAuthError::InvalidRequest(_))
        ));
        let other_id = HashMap::from([("client_id".to_owned(), "app_other".to_owned())]);
        assert!(client_credentials(&with_basic, &other_id).is_err());
        let in_body = HashMap::from([
            ("client_id".to_owned(), "app_x".to_owned()),
            ("client_secret".to_owned(), "rs_y".to_owned()),
        ]);
        assert_eq!(
            client_credentials(&headers(&[FORM]), &in_body).unwrap(),
            ("app_x".into(), "rs_y".into())
        );
        assert!(matches!(
            client_credentials(&headers(&[FORM]), &none),
            Err(OAuthError::InvalidClient)
        ));
        let bearer = headers(&[(header::AUTHORIZATION, "Bearer abc")]);
        assert!(matches!(
            client_credentials(&bearer, &none),
            Err(OAuthError::InvalidClient)
        ));
    }
}
