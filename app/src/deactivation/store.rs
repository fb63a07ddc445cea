//! Deactivating and reactivating a user, each in one transaction that
//! locks the user's row: a concurrent delete, role change or second
//! deactivation waits for it and then sees what it did. Every statement is
//! scoped to the viewer's account.

use anyhow::Context as _;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{AccessPreview, DeactivationError};
use crate::{
    audit::Action, change::Change, domain::Role, request::RequestInfo, session::Viewer,
    state::AppState,
};

struct Target {
    id: Uuid,
    name: String,
    email: String,
    role: Role,
    deactivated: bool,
    has_password: bool,
}

/// The live user `user_id` of the viewer's account, if the viewer may
/// deactivate or reactivate them: not themselves, never the Owner. Their
/// row stays locked until the transaction `conn` is in ends (a preview
/// outside one holds it for the statement only).
async fn target(
    conn: &mut PgConnection,
    viewer: &Viewer,
    user_id: Uuid,
) -> Result<Target, DeactivationError> {
    if !viewer.role.manages_users() {
        return Err(DeactivationError::Forbidden);
    }
    let query = sqlx::query_as!(
        Target,
        r#"SELECT id, name, email, role AS "role: Role", (deactivated_at IS NOT NULL) AS "deactivated!",
                  (password_hash IS NOT NULL) AS "has_password!"
           FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR UPDATE"#,
        user_id,
        viewer.account_id
    )
    .fetch_optional(&mut *conn)
    .await;
    let target = query
        .context("finding the user to deactivate")?
        .ok_or(DeactivationError::NotFound)?;
    if target.id == viewer.user_id {
        return Err(DeactivationError::Conflict {
            message: "You can't deactivate yourself. Ask another administrator.".into(),
        });
    }
    if target.role == Role::Owner {
        return Err(DeactivationError::Conflict {
            message: "The Account Owner can't be deactivated. Transfer ownership first.".into(),
        });
    }
    Ok(target)
}

pub async fn preview(
    pool: &PgPool,
    viewer: &Viewer,
    user_id: Uuid,
) -> Result<AccessPreview, DeactivationError> {
    let mut conn = pool.acquire().await.context("opening a deactivation")?;
    let target = target(&mut conn, viewer, user_id).await?;
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL) AS "sessions!",
                  (SELECT count(*) FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL) AS "api_keys!",
                  (SELECT count(*) FROM oauth_apps WHERE user_id = $1 AND deleted_at IS NULL) AS "apps!""#,
        target.id
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting what a deactivation ends")?;
    Ok(AccessPreview {
        user_id: target.id,
        name: target.name,
        email: target.email,
        deactivated: target.deactivated,
        has_password: target.has_password,
        sessions: counts.sessions,
        api_keys: counts.api_keys,
        apps: counts.apps,
    })
}

/// Deactivates the user: signed out everywhere, every credential and link
/// of theirs dead, their apps stopped, off the bill; an audit event. Done
/// already is done: a repeated request changes nothing.
pub async fn deactivate(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<String, DeactivationError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a deactivation",
    )
    .await?;
    let now = change.now;
    let target = target(change.conn(), viewer, user_id).await?;
    if target.deactivated {
        return Ok(target.name);
    }
    sqlx::query!(
        "UPDATE users SET deactivated_at = $2, updated_at = $2, version = version + 1 WHERE id = $1",
        target.id,
        now
    )
    .execute(change.conn())
    .await
    .context("deactivating the user")?;
    let sessions = crate::session::store::revoke_of(change.conn(), target.id, None, now).await?;
    let api_keys = crate::deletion::store::end_access(change.conn(), target.id, now).await?;
    change
        .record(
            Action::UserDeactivated,
            Some(target.id),
            serde_json::json!({
                "email": target.email,
                "sessions": sessions.len(),
                "api_keys": api_keys,
            }),
        )
        .await?;
    change.commit().await?;
    tracing::info!(user_id = %target.id, "user deactivated");
    Ok(target.name)
}

/// Reactivates the user: they may sign in again with the password they
/// had (sessions, keys and authorizations ended by the deactivation stay
/// ended); back on the bill; an audit event.
pub async fn reactivate(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<String, DeactivationError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a reactivation",
    )
    .await?;
    let now = change.now;
    let target = target(change.conn(), viewer, user_id).await?;
    if !target.deactivated {
        return Ok(target.name);
    }
    sqlx::query!(
        "UPDATE users SET deactivated_at = NULL, updated_at = $2, version = version + 1 WHERE id = $1",
        target.id,
        now
    )
    .execute(change.conn())
    .await
    .context("reactivating the user")?;
    change
        .record(
            Action::UserReactivated,
            Some(target.id),
            serde_json::json!({ "email": target.email }),
        )
        .await?;
    change.commit().await?;
    tracing::info!(user_id = %target.id, "user reactivated");
    Ok(target.name)
}
