//! Apps as the token endpoint finds them, the tokens it stores, and the
//! authorizations it ends.

use anyhow::Context as _;
use chrono::TimeDelta;
use subtle::ConstantTimeEq as _;
use uuid::Uuid;

use super::{OAuthError, ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_DAYS};
use crate::{
    audit::Action,
    change::Change,
    credentials::secret::{NewSecret, ACCESS_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX},
    domain::ClientId,
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
    let client_id = ClientId::parse(client_id).ok_or(OAuthError::InvalidClient)?;
    let app = sqlx::query!(
        "SELECT o.id, o.user_id, o.secret_hash FROM oauth_apps o JOIN users m ON m.id = o.user_id
         WHERE o.client_id = $1 AND o.deleted_at IS NULL AND m.deactivated_at IS NULL",
        client_id.as_str()
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

/// What the token endpoint hands an app.
pub(super) struct Issued {
    pub access_token: String,
    /// For the grants that act for someone who allowed the app.
    pub refresh_token: Option<String>,
}

/// A new access token of `client` acting as its maker, who must still be
/// able to sign in; the token itself is in the answer and nowhere else.
pub(super) async fn issue_for_maker(
    state: &AppState,
    client: &Client,
) -> Result<Issued, OAuthError> {
    let token = NewSecret::generate(ACCESS_TOKEN_PREFIX);
    let now = state.now();
    let issued = sqlx::query_scalar!(
        "INSERT INTO oauth_tokens (app_id, user_id, access_hash, created_at, expires_at)
         SELECT $1, u.id, $3, $4, $5 FROM users u
         WHERE u.id = $2 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL AND u.locked_at IS NULL
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
        Some(_) => Ok(Issued {
            access_token: token.value,
            refresh_token: None,
        }),
        None => Err(OAuthError::InvalidGrant(
            "The app's maker can no longer sign in to Roster, so the app cannot act as them."
                .into(),
        )),
    }
}

/// The live authorization a code or refresh token belongs to.
pub(super) struct Grant {
    pub authorization_id: Uuid,
    pub app_id: Uuid,
    /// Who allowed the app.
    pub user_id: Uuid,
}

/// A new access token and refresh token for `grant`, in `change`, while the
/// person who allowed the app can still sign in.
pub(super) async fn issue_pair(
    change: &mut Change<'_>,
    grant: &Grant,
) -> Result<Issued, OAuthError> {
    let now = change.now;
    let access = NewSecret::generate(ACCESS_TOKEN_PREFIX);
    let issued = sqlx::query_scalar!(
        "INSERT INTO oauth_tokens (app_id, user_id, authorization_id, access_hash, created_at, expires_at)
         SELECT $1, u.id, $3, $4, $5, $6 FROM users u
         WHERE u.id = $2 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL AND u.locked_at IS NULL
           AND u.password_hash IS NOT NULL
         RETURNING id",
        grant.app_id,
        grant.user_id,
        grant.authorization_id,
        access.hash,
        now,
        now + TimeDelta::seconds(ACCESS_TOKEN_SECONDS),
    )
    .fetch_optional(change.conn())
    .await
    .context("storing an access token")?;
    if issued.is_none() {
        return Err(OAuthError::InvalidGrant(
            "The person who allowed the app can no longer sign in to Roster.".into(),
        ));
    }
    let refresh = NewSecret::generate(REFRESH_TOKEN_PREFIX);
    sqlx::query!(
        "INSERT INTO oauth_refresh_tokens (authorization_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
        grant.authorization_id,
        refresh.hash,
        now,
        now + TimeDelta::days(REFRESH_TOKEN_DAYS),
    )
    .execute(change.conn())
    .await
    .context("storing a refresh token")?;
    Ok(Issued {
        access_token: access.value,
        refresh_token: Some(refresh.value),
    })
}

/// Completes a trade of a code or refresh token (already marked used in
/// `change`): a new pair for `grant`, committed with it.
pub(super) async fn complete_trade(
    mut change: Change<'_>,
    grant: &Grant,
) -> Result<Issued, OAuthError> {
    let issued = issue_pair(&mut change, grant).await?;
    change.commit().await?;
    Ok(issued)
}

/// Refuses a secret of `grant` shown a second time (a used code, or a
/// refresh token already traded): someone else may hold it, so the whole
/// authorization ends, committed (RFC 6749 §4.1.2, RFC 9700 §4.14.2), and
/// the app is told so in `told`.
pub(super) async fn refuse_replay(
    mut change: Change<'_>,
    grant: &Grant,
    account_id: Uuid,
    why: &str,
    told: &str,
) -> OAuthError {
    let ended = async {
        end_authorization(&mut change, grant.authorization_id, account_id, why).await?;
        change.commit().await
    };
    match ended.await {
        Ok(()) => OAuthError::InvalidGrant(told.to_owned()),
        Err(error) => error.into(),
    }
}

/// Ends an authorization, every token of it at once, recorded as Roster's
/// doing with the reason `why`.
async fn end_authorization(
    change: &mut Change<'_>,
    authorization_id: Uuid,
    account_id: Uuid,
    why: &str,
) -> anyhow::Result<()> {
    let now = change.now;
    let ended = sqlx::query!(
        "UPDATE authorized_apps a SET revoked_at = $2 FROM oauth_apps o
         WHERE a.id = $1 AND a.revoked_at IS NULL AND o.id = a.app_id
         RETURNING a.user_id, o.name",
        authorization_id,
        now
    )
    .fetch_optional(change.conn())
    .await
    .context("ending an authorization")?;
    if let Some(ended) = ended {
        change.identify(account_id, None);
        let details = serde_json::json!({ "name": ended.name, "reason": why });
        change
            .record_by_roster(Action::AuthorizedAppRevoked, Some(ended.user_id), details)
            .await?;
    }
    Ok(())
}
