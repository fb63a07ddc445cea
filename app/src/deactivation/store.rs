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
           FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE"#,
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
/// of theirs dead, their apps stopped, off the bill; an audit event.
pub async fn deactivate(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<String, DeactivationError> {
    set_active(state, viewer, user_id, false, request).await
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
    set_active(state, viewer, user_id, true, request).await
}

/// Makes the user active or deactivated, in a change of its own.
async fn set_active(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    active: bool,
    request: &RequestInfo,
) -> Result<String, DeactivationError> {
    let what = if active {
        "a reactivation"
    } else {
        "a deactivation"
    };
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        what,
    )
    .await?;
    let name = set_active_in(&mut change, viewer, user_id, active).await?;
    change.commit().await?;
    Ok(name)
}

/// Makes the user active or deactivated as part of `change` (SCIM's
/// writes make it with others). Done already is done: a repeated request
/// changes nothing and records nothing.
pub async fn set_active_in(
    change: &mut Change<'_>,
    viewer: &Viewer,
    user_id: Uuid,
    active: bool,
) -> Result<String, DeactivationError> {
    let now = change.now;
    let target = target(change.conn(), viewer, user_id).await?;
    if target.deactivated != active {
        return Ok(target.name);
    }
    sqlx::query!(
        "UPDATE users SET deactivated_at = CASE WHEN $3::bool THEN NULL ELSE $2::timestamptz END,
                          updated_at = $2, version = version + 1
         WHERE id = $1",
        target.id,
        now,
        active
    )
    .execute(change.conn())
    .await
    .context("changing whether the user is active")?;
    let (action, details) = if active {
        (
            Action::UserReactivated,
            serde_json::json!({ "email": target.email }),
        )
    } else {
        let sessions =
            crate::session::store::revoke_of(change.conn(), target.id, None, now).await?;
        let api_keys = crate::deletion::store::end_access(change.conn(), target.id, now).await?;
        (
            Action::UserDeactivated,
            serde_json::json!({
                "email": target.email,
                "sessions": sessions.len(),
                "api_keys": api_keys,
            }),
        )
    };
    change.record(action, Some(target.id), details).await?;
    tracing::info!(user_id = %target.id, active, "user's access changed");
    Ok(target.name)
}
