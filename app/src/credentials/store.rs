//! Credentials against PostgreSQL. Every change opens the profile first (the
//! profile's access rules), locks the user's row, and records an audit event
//! in the same transaction. Creating a credential is for its owner alone.

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    secret::{self, NewSecret, ShownFor, ShownSecret},
    ApiKeyView, AuthorizedAppView, Credentials, OAuthAppView,
};
use crate::{
    audit::Action,
    change::Change,
    domain::NewOAuthApp,
    profile::{access as profiles, ProfileError},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// The user's credentials. Their owner sees each fresh secret once; an
/// admin never does, and does not use up that one showing.
pub async fn load(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    shown: Option<&ShownSecret>,
) -> Result<Credentials, ProfileError> {
    let mut tx = state.pool.begin().await.context("opening credentials")?;
    let user_id = profiles::open(&mut tx, viewer, target, false).await?;
    let owner = user_id == viewer.user_id;
    // The fresh secret the browser holds is shown while it is still the
    // live credential's own, and only to its owner.
    let shown = shown.filter(|_| owner);
    let api_key = sqlx::query!(
        "SELECT prefix, created_at, key_hash FROM api_keys
         WHERE user_id = $1 AND revoked_at IS NULL",
        user_id
    )
    .fetch_optional(&mut *tx)
    .await
    .context("reading the API key")?
    .map(|row| ApiKeyView {
        new_key: shown.and_then(|shown| shown.value_for(ShownFor::ApiKey, &row.key_hash)),
        prefix: row.prefix,
        created_at: row.created_at,
    });
    let my_apps = sqlx::query!(
        "SELECT id, name, redirect_url, client_id, created_at, secret_hash FROM oauth_apps
         WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
        user_id
    )
    .fetch_all(&mut *tx)
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
        created_at: app.created_at,
    })
    .collect();
    let authorized_apps = sqlx::query_as!(
        AuthorizedAppView,
        "SELECT a.id, o.name, a.authorized_at FROM authorized_apps a
         JOIN oauth_apps o ON o.id = a.app_id
         WHERE a.user_id = $1 AND a.revoked_at IS NULL AND o.deleted_at IS NULL
         ORDER BY a.authorized_at DESC, a.id",
        user_id
    )
    .fetch_all(&mut *tx)
    .await
    .context("listing authorized apps")?;
    tx.commit().await.context("committing credentials")?;
    Ok(Credentials {
        api_key,
        my_apps,
        authorized_apps,
    })
}

/// Makes a new Docs API key for the viewer, revoking the one they had; the
/// key itself is in the answer and nowhere else.
pub async fn create_api_key(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    request: &RequestInfo,
) -> Result<(Uuid, ShownSecret), ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::OwnerOnly, request).await?;
    let now = change.now;
    let tx = change.conn();
    let old = revoke_live_key(tx, user_id, now).await?;
    let key = NewSecret::generate(secret::API_KEY_PREFIX);
    sqlx::query!(
        "INSERT INTO api_keys (user_id, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4)",
        user_id,
        key.shown_part(),
        key.hash,
        now
    )
    .execute(&mut *tx)
    .await
    .context("storing an API key")?;
    let action = if old.is_some() {
        Action::ApiKeyRegenerated
    } else {
        Action::ApiKeyCreated
    };
    change
        .record(
            action,
            Some(user_id),
            serde_json::json!({ "prefix": key.shown_part() }),
        )
        .await?;
    change.commit().await?;
    Ok((
        user_id,
        ShownSecret {
            of: ShownFor::ApiKey,
            value: key.value,
        },
    ))
}

/// Revokes the user's Docs API key; it stops working at once.
pub async fn revoke_api_key(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::OwnerOrAdmin, request).await?;
    let now = change.now;
    let tx = change.conn();
    let prefix = revoke_live_key(tx, user_id, now)
        .await?
        .ok_or(ProfileError::NotFound)?;
    change
        .record(
            Action::ApiKeyRevoked,
            Some(user_id),
            serde_json::json!({ "prefix": prefix }),
        )
        .await?;
    change.commit().await?;
    Ok(user_id)
}

/// Creates an OAuth app for the viewer, with a fresh App ID and App Secret.
pub async fn create_app(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    app: NewOAuthApp,
    request: &RequestInfo,
) -> Result<(Uuid, ShownSecret), ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::OwnerOnly, request).await?;
    let now = change.now;
    let tx = change.conn();
    let secret = NewSecret::generate(secret::APP_SECRET_PREFIX);
    let client_id = secret::client_id();
    let app_id = sqlx::query_scalar!(
        "INSERT INTO oauth_apps (user_id, name, redirect_url, client_id, secret_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        user_id,
        app.name,
        app.redirect_url,
        client_id,
        secret.hash,
        now
    )
    .fetch_one(&mut *tx)
    .await
    .context("storing an app")?;
    change
        .record(
            Action::OAuthAppCreated,
            Some(user_id),
            serde_json::json!({ "name": app.name, "client_id": client_id }),
        )
        .await?;
    change.commit().await?;
    Ok((
        user_id,
        ShownSecret {
            of: ShownFor::App(app_id),
            value: secret.value,
        },
    ))
}

/// Deletes one of the user's apps; its credentials, and every authorization
/// people gave it, stop working at once.
pub async fn delete_app(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    app_id: Uuid,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::OwnerOrAdmin, request).await?;
    let now = change.now;
    let tx = change.conn();
    let app = sqlx::query!(
        "UPDATE oauth_apps SET deleted_at = $3
                 WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL
                 RETURNING name, client_id",
        app_id,
        user_id,
        now
    )
    .fetch_optional(&mut *tx)
    .await
    .context("deleting an app")?
    .ok_or(ProfileError::NotFound)?;
    sqlx::query!(
        "UPDATE authorized_apps SET revoked_at = $2 WHERE app_id = $1 AND revoked_at IS NULL",
        app_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("ending an app's authorizations")?;
    change
        .record(
            Action::OAuthAppDeleted,
            Some(user_id),
            serde_json::json!({ "name": app.name, "client_id": app.client_id }),
        )
        .await?;
    change.commit().await?;
    Ok(user_id)
}

/// Takes back an app's access to the user's account.
pub async fn revoke_authorized_app(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    authorization_id: Uuid,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::OwnerOrAdmin, request).await?;
    let now = change.now;
    let tx = change.conn();
    let name = sqlx::query_scalar!(
        "UPDATE authorized_apps a SET revoked_at = $3
                 FROM oauth_apps o
                 WHERE a.id = $1 AND a.user_id = $2 AND a.revoked_at IS NULL AND o.id = a.app_id
                 RETURNING o.name",
        authorization_id,
        user_id,
        now
    )
    .fetch_optional(&mut *tx)
    .await
    .context("revoking an authorized app")?
    .ok_or(ProfileError::NotFound)?;
    change
        .record(
            Action::AuthorizedAppRevoked,
            Some(user_id),
            serde_json::json!({ "name": name }),
        )
        .await?;
    change.commit().await?;
    Ok(user_id)
}

async fn revoke_live_key(
    tx: &mut PgConnection,
    user_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar!(
        "UPDATE api_keys SET revoked_at = $2
         WHERE user_id = $1 AND revoked_at IS NULL RETURNING prefix",
        user_id,
        now
    )
    .fetch_optional(tx)
    .await
    .context("revoking an API key")
}

/// Who may make a change: creating a credential is for its owner alone;
/// revoking one is also for an admin who manages them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    OwnerOnly,
    OwnerOrAdmin,
}

/// Begins a change to the user's credentials (the profile's access rules,
/// the user's row locked), refused when it is not `who`'s to make.
async fn begin<'r>(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    who: Who,
    request: &'r RequestInfo,
) -> Result<(Change<'r>, Uuid), ProfileError> {
    let (change, user_id) =
        profiles::begin_change(state, viewer, target, request, "a credentials change").await?;
    if who == Who::OwnerOnly && user_id != viewer.user_id {
        return Err(ProfileError::OnlyTheUser);
    }
    Ok((change, user_id))
}
