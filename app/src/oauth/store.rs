//! Apps as the token endpoint finds them, and the tokens it stores.

use anyhow::Context as _;
use chrono::TimeDelta;
use subtle::ConstantTimeEq as _;
use uuid::Uuid;

use super::{OAuthError, ACCESS_TOKEN_SECONDS};
use crate::{
    credentials::secret::{NewSecret, ACCESS_TOKEN_PREFIX},
    session::token::hash_token,
    state::AppState,
};

/// An app that proved it holds its App Secret.
pub(super) struct Client {
    pub app_id: Uuid,
    /// Who made the app (My Apps).
    pub maker: Uuid,
}

/// The live app with this App ID, if `secret` is its App Secret.
pub(super) async fn authenticate(
    state: &AppState,
    client_id: &str,
    secret: &str,
) -> Result<Client, OAuthError> {
    let plausible = (1..=100).contains(&client_id.len())
        && client_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !plausible {
        return Err(OAuthError::InvalidClient);
    }
    let app = sqlx::query!(
        "SELECT id, user_id, secret_hash FROM oauth_apps WHERE client_id = $1 AND deleted_at IS NULL",
        client_id
    )
    .fetch_optional(&state.pool)
    .await
    .context("finding an app")?
    .ok_or(OAuthError::InvalidClient)?;
    if bool::from(hash_token(secret).ct_eq(&app.secret_hash)) {
        Ok(Client {
            app_id: app.id,
            maker: app.user_id,
        })
    } else {
        Err(OAuthError::InvalidClient)
    }
}

/// A new access token of `client` acting as its maker, who must still be
/// able to sign in; the token itself is in the answer and nowhere else.
pub(super) async fn issue_for_maker(
    state: &AppState,
    client: &Client,
) -> Result<String, OAuthError> {
    let token = NewSecret::generate(ACCESS_TOKEN_PREFIX);
    let now = state.now();
    let issued = sqlx::query_scalar!(
        "INSERT INTO oauth_tokens (app_id, user_id, access_hash, created_at, expires_at)
         SELECT $1, u.id, $3, $4, $5 FROM users u
         WHERE u.id = $2 AND u.deleted_at IS NULL AND u.locked_at IS NULL
           AND u.password_hash IS NOT NULL
         RETURNING id",
        client.app_id,
        client.maker,
        token.hash,
        now,
        now + TimeDelta::seconds(ACCESS_TOKEN_SECONDS),
    )
    .fetch_optional(&state.pool)
    .await
    .context("storing an access token")?;
    match issued {
        Some(_) => Ok(token.value),
        None => Err(OAuthError::InvalidGrant(
            "The app's maker can no longer sign in to Roster, so the app cannot act as them."
                .into(),
        )),
    }
}
