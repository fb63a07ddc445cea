//! Which account a SCIM request acts for: the one whose SCIM token it
//! carries as a Bearer token, found afresh on every request, so a revoked
//! token fails the next call. A SCIM token opens `/scim/v2` only: it is
//! never a session, an API key or an access token, and those never open
//! `/scim/v2`.

use anyhow::Context as _;
use axum::{extract::FromRequestParts, http::request::Parts};
use uuid::Uuid;

use super::error::ScimError;
use crate::{
    credentials::secret::SCIM_TOKEN_PREFIX,
    domain::{Plan, Role},
    session::{token::hash_token, Viewer},
    state::AppState,
};

/// The account a SCIM request acts for, the token it used, and who acts:
/// the Owner or Administrator who made the token. Their changes are
/// recorded as theirs, and the pages' rules hold (nobody deactivates or
/// deletes themselves or the Owner). A token whose maker has been deleted,
/// deactivated or no longer manages users opens nothing.
#[derive(Clone, Debug)]
pub struct ScimCaller {
    pub account_id: Uuid,
    pub token_id: Uuid,
    pub actor: Viewer,
    /// The account's plan: Groups (teams) need Plus or Pro.
    pub plan: Plan,
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
        let found = sqlx::query!(
            r#"WITH found AS (
                   SELECT t.id, t.account_id, t.created_by FROM scim_tokens t
                   WHERE t.token_hash = $1 AND t.revoked_at IS NULL
               ), touched AS (
                   UPDATE scim_tokens SET last_used_at = $2
                   WHERE id = (SELECT id FROM found)
                     AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '5 minutes')
               )
               SELECT found.id AS "token_id!", found.account_id AS "account_id!",
                      u.id AS "user_id!", u.name AS "name!", u.email AS "email!",
                      u.role AS "role!: Role", a.name AS "account_name!",
                      u.timezone AS "timezone!", u.time_format AS "time_format!",
                      a.plan AS "plan!: Plan"
               FROM found
               JOIN users u ON u.id = found.created_by AND u.account_id = found.account_id
                   AND u.deleted_at IS NULL AND u.deactivated_at IS NULL
               JOIN accounts a ON a.id = found.account_id"#,
            hash_token(token),
            state.now(),
        )
        .fetch_optional(&state.pool)
        .await
        .context("finding a SCIM token")?
        .filter(|found| found.role.manages_users())
        .ok_or_else(ScimError::unauthorized)?;
        let limit = state.settings.request_limits.api_per_minute;
        crate::account_limits::count(parts, found.account_id, state.now(), limit)
            .map_err(|retry_after| ScimError::too_many(limit, retry_after))?;
        Ok(ScimCaller {
            account_id: found.account_id,
            token_id: found.token_id,
            plan: found.plan,
            actor: Viewer {
                user_id: found.user_id,
                account_id: found.account_id,
                // Not a session: nothing a SCIM change ends spares one.
                session_id: Uuid::nil(),
                name: found.name,
                email: found.email,
                role: found.role,
                account_name: found.account_name,
                timezone: found.timezone,
                time_format: found.time_format,
                // Two-factor is asked of sessions; a SCIM token is not one.
                two_factor_due: false,
                // SCIM's changes are allowed by role (managing users), never by these.
                permissions: Vec::new(),
            },
        })
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
