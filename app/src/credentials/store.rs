//! Credentials against PostgreSQL: reading a user's, and each change to
//! them made in a change the caller began (the profile's access rules
//! decided it may be made), with its audit event.

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    secret::{self, NewSecret, ShownFor, ShownSecret},
    ApiKeyView, AuthorizedAppView, Credentials, OAuthAppView,
};
use crate::{audit::Action, change::Change, domain::NewOAuthApp, local_time::LocalTime};

/// The credentials of `user_id`. `shown` is the fresh secret the browser
/// holds: shown while it is still the live credential's own, and only to
/// its `owner`.
pub async fn load(
    conn: &mut PgConnection,
    user_id: Uuid,
    owner: bool,
    shown: Option<&ShownSecret>,
    local: &LocalTime,
) -> anyhow::Result<Credentials> {
    let shown = shown.filter(|_| owner);
    let api_key = sqlx::query!(
        "SELECT prefix, created_at, key_hash FROM api_keys
         WHERE user_id = $1 AND revoked_at IS NULL",
        user_id
    )
    .fetch_optional(&mut *conn)
    .await
    .context("reading the API key")?
    .map(|row| ApiKeyView {
        new_key: shown.and_then(|shown| shown.value_for(ShownFor::ApiKey, &row.key_hash)),
        prefix: row.prefix,
        created: local.date(row.created_at),
        created_at: row.created_at,
    });
    let my_apps = sqlx::query!(
        "SELECT id, name, redirect_url, client_id, created_at, secret_hash FROM oauth_apps
         WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
        user_id
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing apps")?
    .into_iter()
    .map(|app| OAuthAppView {
        new_secret: shown
            .and_then(|shown| shown.value_for(ShownFor::App(app.id), &app.secret_hash)),
        id: app.id,
        name: app.name,
        redirect_url: app.redirect_url,
        client_id: app.client_id,
        created: local.date(app.created_at),
        created_at: app.created_at,
    })
    .collect();
    let authorized_apps = sqlx::query!(
        "SELECT a.id, o.name, m.name AS maker, a.authorized_at, a.last_used_at
         FROM authorized_apps a
         JOIN oauth_apps o ON o.id = a.app_id
         JOIN users m ON m.id = o.user_id
         WHERE a.user_id = $1 AND a.revoked_at IS NULL AND o.deleted_at IS NULL
         ORDER BY a.authorized_at DESC, a.id",
        user_id
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing authorized apps")?
    .into_iter()
    .map(|app| AuthorizedAppView {
        authorized: local.date(app.authorized_at),
        last_used: app.last_used_at.map(|at| local.date(at)),
        id: app.id,
        name: app.name,
        maker: app.maker,
        authorized_at: app.authorized_at,
        last_used_at: app.last_used_at,
    })
    .collect();
    Ok(Credentials {
        api_key,
        my_apps,
        authorized_apps,
    })
}

/// Makes a new Docs API key for `user_id`, revoking the one they had; the
/// key itself is in the answer and nowhere else.
pub async fn create_api_key(change: &mut Change<'_>, user_id: Uuid) -> anyhow::Result<ShownSecret> {
    let now = change.now;
    let old = revoke_live_key(change.conn(), user_id, now).await?;
    let key = NewSecret::generate(secret::API_KEY_PREFIX);
    sqlx::query!(
        "INSERT INTO api_keys (user_id, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4)",
        user_id,
        key.shown_part(),
        key.hash,
        now
    )
    .execute(change.conn())
    .await
    .context("storing an API key")?;
    let action = if old.is_some() {
        Action::ApiKeyRegenerated
    } else {
        Action::ApiKeyCreated
    };
    let details = serde_json::json!({ "prefix": key.shown_part() });
    change.record(action, Some(user_id), details).await?;
    Ok(ShownSecret {
        of: ShownFor::ApiKey,
        value: key.value,
    })
}

/// Revokes the user's Docs API key, which stops working at once; `false`
/// when they had none.
pub async fn revoke_api_key(change: &mut Change<'_>, user_id: Uuid) -> anyhow::Result<bool> {
    let now = change.now;
    let Some(prefix) = revoke_live_key(change.conn(), user_id, now).await? else {
        return Ok(false);
    };
    let details = serde_json::json!({ "prefix": prefix });
    change
        .record(Action::ApiKeyRevoked, Some(user_id), details)
        .await?;
    Ok(true)
}

/// Creates an OAuth app for `user_id`, with a fresh App ID and App Secret.
pub async fn create_app(
    change: &mut Change<'_>,
    user_id: Uuid,
    app: NewOAuthApp,
) -> anyhow::Result<ShownSecret> {
    let now = change.now;
    let secret = NewSecret::generate(secret::APP_SECRET_PREFIX);
    let client_id = secret::client_id();
    let app_id = sqlx::query_scalar!(
        "INSERT INTO oauth_apps (user_id, name, redirect_url, client_id, secret_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        user_id,
        app.name.as_str(),
        app.redirect_url.as_str(),
        client_id,
        secret.hash,
        now
    )
    .fetch_one(change.conn())
    .await
    .context("storing an app")?;
    let details = serde_json::json!({ "name": app.name.as_str(), "client_id": client_id });
    change
        .record(Action::OAuthAppCreated, Some(user_id), details)
        .await?;
    Ok(ShownSecret {
        of: ShownFor::App(app_id),
        value: secret.value,
    })
}

/// Deletes one of the user's apps; its credentials, and every authorization
/// people gave it, stop working at once. `false` when there is no such app.
pub async fn delete_app(
    change: &mut Change<'_>,
    user_id: Uuid,
    app_id: Uuid,
) -> anyhow::Result<bool> {
    let now = change.now;
    let Some(app) = sqlx::query!(
        "UPDATE oauth_apps SET deleted_at = $3
                 WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL
                 RETURNING name, client_id",
        app_id,
        user_id,
        now
    )
    .fetch_optional(change.conn())
    .await
    .context("deleting an app")?
    else {
        return Ok(false);
    };
    sqlx::query!(
        "UPDATE authorized_apps SET revoked_at = $2 WHERE app_id = $1 AND revoked_at IS NULL",
        app_id,
        now
    )
    .execute(change.conn())
    .await
    .context("ending an app's authorizations")?;
    let details = serde_json::json!({ "name": app.name, "client_id": app.client_id });
    change
        .record(Action::OAuthAppDeleted, Some(user_id), details)
        .await?;
    Ok(true)
}

/// Takes back an app's access to the user's account; `false` when there is
/// no such live authorization.
pub async fn revoke_authorized_app(
    change: &mut Change<'_>,
    user_id: Uuid,
    authorization_id: Uuid,
) -> anyhow::Result<bool> {
    let now = change.now;
    let Some(name) = sqlx::query_scalar!(
        "UPDATE authorized_apps a SET revoked_at = $3
                 FROM oauth_apps o
                 WHERE a.id = $1 AND a.user_id = $2 AND a.revoked_at IS NULL AND o.id = a.app_id
                 RETURNING o.name",
        authorization_id,
        user_id,
        now
    )
    .fetch_optional(change.conn())
    .await
    .context("revoking an authorized app")?
    else {
        return Ok(false);
    };
    let details = serde_json::json!({ "name": name });
    change
        .record(Action::AuthorizedAppRevoked, Some(user_id), details)
        .await?;
    Ok(true)
}

async fn revoke_live_key(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar!(
        "UPDATE api_keys SET revoked_at = $2
         WHERE user_id = $1 AND revoked_at IS NULL RETURNING prefix",
        user_id,
        now
    )
    .fetch_optional(conn)
    .await
    .context("revoking an API key")
}
