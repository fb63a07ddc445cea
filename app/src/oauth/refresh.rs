//! The refresh-token grant (RFC 6749 §6), with rotation: each refresh token
//! is traded once for a new pair. A traded one shown again means two parties
//! hold it, so the whole authorization ends (RFC 9700 §4.14.2).

use std::collections::HashMap;

use anyhow::Context as _;

use super::{
    store::{self, Client, Grant, Issued},
    OAuthError,
};
use crate::{change::Change, request::RequestInfo, session::token::hash_token, state::AppState};

fn invalid_token() -> OAuthError {
    OAuthError::InvalidGrant(
        "The refresh token is not valid: it is unknown, expired, revoked, or not this app's."
            .into(),
    )
}

pub(super) async fn rotate(
    state: &AppState,
    client: &Client,
    params: &HashMap<String, String>,
    request: &RequestInfo,
) -> Result<Issued, OAuthError> {
    let token = params
        .get("refresh_token")
        .filter(|token| !token.is_empty())
        .ok_or_else(|| OAuthError::InvalidRequest("refresh_token is missing.".into()))?;
    if params
        .get("scope")
        .is_some_and(|scope| !scope.trim().is_empty())
    {
        return Err(OAuthError::InvalidScope);
    }
    let mut change = Change::begin_anonymous(state, request, "a refresh-token grant").await?;
    let found = sqlx::query!(
        "SELECT r.id, r.authorization_id, r.expires_at, r.used_at,
                z.app_id, z.user_id, z.revoked_at, u.account_id
         FROM oauth_refresh_tokens r
         JOIN authorized_apps z ON z.id = r.authorization_id
         JOIN users u ON u.id = z.user_id
         WHERE r.token_hash = $1
         FOR UPDATE OF r",
        hash_token(token),
    )
    .fetch_optional(change.conn())
    .await
    .context("finding a refresh token")?
    .filter(|found| found.app_id == client.app_id)
    .ok_or_else(invalid_token)?;
    if found.revoked_at.is_some() {
        return Err(invalid_token());
    }
    let grant = Grant {
        authorization_id: found.authorization_id,
        app_id: found.app_id,
        user_id: found.user_id,
    };
    if found.used_at.is_some() {
        return Err(store::refuse_replay(
            change,
            &grant,
            found.account_id,
            "a refresh token was used twice",
            "This refresh token was already used. The app's access has been revoked; ask the person to allow the app again.",
        )
        .await);
    }
    if found.expires_at <= change.now {
        return Err(invalid_token());
    }
    let now = change.now;
    sqlx::query!(
        "UPDATE oauth_refresh_tokens SET used_at = $2 WHERE id = $1",
        found.id,
        now
    )
    .execute(change.conn())
    .await
    .context("trading a refresh token")?;
    store::complete_trade(change, &grant).await
}
