//! Who an API request acts as: the user whose credential (an API key, or an
//! OAuth access token) it carries, found afresh on every request, so a
//! revoked key, an expired token, a deleted app, or a user deleted, locked
//! or not yet set up, fails the next call. Cookies are never read here.

use anyhow::Context as _;
use axum::{extract::FromRequestParts, http::request::Parts};
use base64::Engine as _;
use uuid::Uuid;

use super::ApiError;
use crate::{
    credentials::secret::{ACCESS_TOKEN_PREFIX, API_KEY_PREFIX},
    domain::Role,
    session::token::hash_token,
    state::AppState,
};

/// The user an API request acts as.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: Uuid,
    pub account_id: Uuid,
    pub role: Role,
    /// The account's users version as the credential was found (see
    /// [`super::kept`]).
    pub users_version: i64,
}

/// A credential as the `Authorization` header carries it.
#[derive(Debug, PartialEq, Eq)]
enum Credential<'h> {
    ApiKey(&'h str),
    AccessToken(&'h str),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or(ApiError::Unauthenticated)?;
        let (scheme, value) = scheme_and_value(header).ok_or(ApiError::Unauthenticated)?;
        let basic_user;
        let token = match scheme.as_str() {
            "bearer" => value,
            "basic" => {
                basic_user = basic_user_name(value).ok_or(ApiError::Unauthenticated)?;
                basic_user.as_str()
            }
            _ => return Err(ApiError::Unauthenticated),
        };
        let caller = match credential(token).ok_or(ApiError::Unauthenticated)? {
            Credential::ApiKey(key) => by_api_key(state, key).await?,
            Credential::AccessToken(token) => by_access_token(state, token).await?,
        };
        count_against_the_account(parts, state, &caller)?;
        Ok(caller)
    }
}

/// Counts the request against its account's minute (see [`crate::account_limits`]).
fn count_against_the_account(
    parts: &Parts,
    state: &AppState,
    caller: &Caller,
) -> Result<(), ApiError> {
    let limit = state.settings.request_limits.api_per_minute;
    crate::account_limits::count(parts, caller.account_id, state.now(), limit)
        .map_err(|retry_after| ApiError::TooManyRequests { limit, retry_after })
}

/// `Bearer abc` as `("bearer", "abc")`: the scheme is case-insensitive.
fn scheme_and_value(header: &str) -> Option<(String, &str)> {
    let (scheme, value) = header.trim().split_once(' ')?;
    Some((scheme.to_ascii_lowercase(), value.trim()))
}

/// HTTP Basic's user name (the key); the password is ignored, as Help
/// Scout's clients send a dummy one.
fn basic_user_name(encoded: &str) -> Option<String> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split_once(':').map_or(text.as_str(), |(user, _)| user);
    Some(user.to_owned())
}

/// Which kind of credential `token` is, by its prefix and shape.
fn credential(token: &str) -> Option<Credential<'_>> {
    let looks_random = |rest: &str| {
        (20..=100).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if token.strip_prefix(API_KEY_PREFIX).is_some_and(looks_random) {
        Some(Credential::ApiKey(token))
    } else if token
        .strip_prefix(ACCESS_TOKEN_PREFIX)
        .is_some_and(looks_random)
    {
        Some(Credential::AccessToken(token))
    } else {
        None
    }
}

async fn by_api_key(state: &AppState, key: &str) -> Result<Caller, ApiError> {
    let caller = sqlx::query_as!(
        Caller,
        r#"SELECT u.id AS user_id, u.account_id, u.role AS "role: Role", a.users_version
           FROM api_keys k JOIN users u ON u.id = k.user_id JOIN accounts a ON a.id = u.account_id
           WHERE k.key_hash = $1 AND k.revoked_at IS NULL
             AND u.deleted_at IS NULL AND u.deactivated_at IS NULL AND u.locked_at IS NULL
             AND u.password_hash IS NOT NULL"#,
        hash_token(key),
    )
    .fetch_optional(&state.pool)
    .await
    .context("finding an API key")?;
    caller.ok_or(ApiError::Unauthenticated)
}

/// The user an OAuth access token acts as, while the token is unexpired,
/// its app is not deleted and the authorization it came from (if any) is
/// not revoked. The authorization's "last used" moves on, written at most
/// every few minutes.
async fn by_access_token(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let caller = sqlx::query_as!(
        Caller,
        r#"WITH found AS (
               SELECT u.id AS user_id, u.account_id, u.role, t.authorization_id, c.users_version
               FROM oauth_tokens t
               JOIN oauth_apps a ON a.id = t.app_id
               JOIN users u ON u.id = t.user_id
               JOIN accounts c ON c.id = u.account_id
               -- The app stops while its maker is deactivated.
               JOIN users m ON m.id = a.user_id AND m.deactivated_at IS NULL
               LEFT JOIN authorized_apps z ON z.id = t.authorization_id
               WHERE t.access_hash = $1 AND t.expires_at > $2 AND a.deleted_at IS NULL
                 AND (t.authorization_id IS NULL OR z.revoked_at IS NULL)
                 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL AND u.locked_at IS NULL
                 AND u.password_hash IS NOT NULL
           ), touched AS (
               UPDATE authorized_apps SET last_used_at = $2
               WHERE id = (SELECT authorization_id FROM found)
                 AND (last_used_at IS NULL OR last_used_at < $2 - interval '5 minutes')
           )
           SELECT user_id AS "user_id!", account_id AS "account_id!", role AS "role!: Role",
                  users_version AS "users_version!"
           FROM found"#,
        hash_token(token),
        state.now(),
    )
    .fetch_optional(&state.pool)
    .await
    .context("finding an access token")?;
    caller.ok_or(ApiError::Unauthenticated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bearer_and_basic_in_any_case() {
        assert_eq!(
            scheme_and_value("Bearer rk_abc"),
            Some(("bearer".into(), "rk_abc"))
        );
        assert_eq!(
            scheme_and_value("bAsIc  eA== "),
            Some(("basic".into(), "eA=="))
        );
        assert_eq!(scheme_and_value("rk_abc"), None);
        let encoded = base64::engine::general_purpose::STANDARD.encode("rk_key:X");
        assert_eq!(basic_user_name(&encoded).as_deref(), Some("rk_key"));
        let no_password = base64::engine::general_purpose::STANDARD.encode("rk_key");
        assert_eq!(basic_user_name(&no_password).as_deref(), Some("rk_key"));
        assert_eq!(basic_user_name("%%%"), None);
    }

    #[test]
    fn knows_a_credential_by_its_prefix_and_shape() {
        let key = format!("rk_{}", "a".repeat(43));
        assert_eq!(credential(&key), Some(Credential::ApiKey(&key)));
        assert_eq!(credential("rk_short"), None);
        assert_eq!(credential(&format!("rk_{}", "a b".repeat(20))), None);
        assert_eq!(credential(&format!("xx_{}", "a".repeat(43))), None);
        let token = format!("rat_{}", "b".repeat(43));
        assert_eq!(credential(&token), Some(Credential::AccessToken(&token)));
        assert_eq!(credential(""), None);
    }
}
