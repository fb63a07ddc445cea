//! Which account a SCIM request acts for: the one whose SCIM token it
//! carries as a Bearer token, found afresh on every request, so a revoked
//! token fails the next call. A SCIM token opens `/scim/v2` only: it is
//! never a session, an API key or an access token, and those never open
//! `/scim/v2`.

use anyhow::Context as _;
use axum::{extract::FromRequestParts, http::request::Parts};
use uuid::Uuid;

use super::error::ScimError;
use crate::{credentials::secret::SCIM_TOKEN_PREFIX, session::token::hash_token, state::AppState};

/// The account a SCIM request acts for, and the token it used.
#[derive(Clone, Debug)]
pub struct ScimCaller {
    pub account_id: Uuid,
    pub token_id: Uuid,
}

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer)
            .filter(|token| looks_like_a_scim_token(token))
            .ok_or_else(ScimError::unauthorized)?;
        // "Last used" moves on at most every few minutes, in the statement
        // that finds the token.
        let caller = sqlx::query_as!(
            ScimCaller,
            r#"WITH found AS (
                   SELECT t.id, t.account_id FROM scim_tokens t
                   WHERE t.token_hash = $1 AND t.revoked_at IS NULL
               ), touched AS (
                   UPDATE scim_tokens SET last_used_at = $2
                   WHERE id = (SELECT id FROM found)
                     AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '5 minutes')
               )
               SELECT id AS "token_id!", account_id AS "account_id!" FROM found"#,
            hash_token(token),
            state.now(),
        )
        .fetch_optional(&state.pool)
        .await
        .context("finding a SCIM token")?;
        caller.ok_or_else(ScimError::unauthorized)
    }
}

/// `Bearer abc` as `abc`; the scheme is case-insensitive.
fn bearer(header: &str) -> Option<&str> {
    let (scheme, value) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| value.trim())
}

fn looks_like_a_scim_token(token: &str) -> bool {
    token.strip_prefix(SCIM_TOKEN_PREFIX).is_some_and(|rest| {
        (20..=100).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bearer_scim_token_is_read() {
        let token = format!("rst_{}", "a".repeat(43));
        assert_eq!(bearer(&format!("bearer  {token} ")), Some(token.as_str()));
        assert!(looks_like_a_scim_token(&token));
        for other in [
            format!("rk_{}", "a".repeat(43)),
            format!("rat_{}", "a".repeat(43)),
            "rst_short".to_owned(),
            format!("rst_{}", "a b".repeat(20)),
        ] {
            assert!(!looks_like_a_scim_token(&other), "{other}");
        }
        assert_eq!(bearer("Basic eA=="), None);
    }
}
