//! Allowing an app: the person's authorization of it, and the code the app
//! trades for tokens.

use anyhow::Context as _;
use chrono::TimeDelta;

use super::request::AuthorizationRequest;
use crate::{
    audit::Action,
    change::Change,
    credentials::secret::{NewSecret, AUTHORIZATION_CODE_PREFIX},
    oauth::CODE_SECONDS,
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// Lets `request`'s app act as `viewer` (their live authorization of it, or
/// a new one) and returns a code for the app to trade, once, within
/// [`CODE_SECONDS`].
pub async fn allow(
    state: &AppState,
    viewer: &Viewer,
    request: &AuthorizationRequest,
    info: &RequestInfo,
) -> anyhow::Result<String> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        info,
        "allowing an app",
    )
    .await?;
    let now = change.now;
    let authorization = sqlx::query!(
        r#"INSERT INTO authorized_apps (user_id, app_id, authorized_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, app_id) WHERE revoked_at IS NULL
             DO UPDATE SET authorized_at = authorized_apps.authorized_at
           RETURNING id, (xmax = 0) AS "new!""#,
        viewer.user_id,
        request.app.id,
        now
    )
    .fetch_one(change.conn())
    .await
    .context("storing an authorization")?;
    let code = NewSecret::generate(AUTHORIZATION_CODE_PREFIX);
    sqlx::query!(
        "INSERT INTO oauth_codes
             (authorization_id, code_hash, redirect_uri, code_challenge, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        authorization.id,
        code.hash,
        request.redirect_uri,
        request.code_challenge,
        now,
        now + TimeDelta::seconds(CODE_SECONDS),
    )
    .execute(change.conn())
    .await
    .context("storing an authorization code")?;
    let details = serde_json::json!({
        "name": request.app.name,
        "maker": request.app.maker,
        "again": !authorization.new,
    });
    change
        .record(Action::AuthorizedAppAllowed, Some(viewer.user_id), details)
        .await?;
    change.commit().await?;
    Ok(code.value)
}
